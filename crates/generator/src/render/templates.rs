//! The template environment: the default theme embedded in the binary, overridden by
//! name from the site's `themes/default/templates/`, plus deterministic filters.

use super::format;
use crate::diagnostics::Diagnostics;
use crate::source::SiteSources;
use minijinja::{Environment, Error, ErrorKind, Value};

/// Where a site's template overrides live (site-relative, with the trailing `/`).
pub const TEMPLATE_DIR: &str = "themes/default/templates/";

/// The default theme's templates, embedded so a user needs no theme folder.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../../../themes/default/templates/macros.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../../../themes/default/templates/dashboard.html"),
    ),
    (
        "initiative.html",
        include_str!("../../../../themes/default/templates/initiative.html"),
    ),
    (
        "initiatives.html",
        include_str!("../../../../themes/default/templates/initiatives.html"),
    ),
    (
        "group.html",
        include_str!("../../../../themes/default/templates/group.html"),
    ),
    (
        "groups.html",
        include_str!("../../../../themes/default/templates/groups.html"),
    ),
    (
        "prioritisation.html",
        include_str!("../../../../themes/default/templates/prioritisation.html"),
    ),
    (
        "ranking.html",
        include_str!("../../../../themes/default/templates/ranking.html"),
    ),
    (
        "budget.html",
        include_str!("../../../../themes/default/templates/budget.html"),
    ),
    (
        "ranking-table.html",
        include_str!("../../../../themes/default/templates/ranking-table.html"),
    ),
    (
        "roadmap.html",
        include_str!("../../../../themes/default/templates/roadmap.html"),
    ),
    (
        "dependencies.html",
        include_str!("../../../../themes/default/templates/dependencies.html"),
    ),
    (
        "risks.html",
        include_str!("../../../../themes/default/templates/risks.html"),
    ),
    (
        "benefits.html",
        include_str!("../../../../themes/default/templates/benefits.html"),
    ),
    (
        "reports.html",
        include_str!("../../../../themes/default/templates/reports.html"),
    ),
    (
        "report.html",
        include_str!("../../../../themes/default/templates/report.html"),
    ),
    (
        "data.html",
        include_str!("../../../../themes/default/templates/data.html"),
    ),
    (
        "embed-table.html",
        include_str!("../../../../themes/default/templates/embed-table.html"),
    ),
    (
        "initiative-table.html",
        include_str!("../../../../themes/default/templates/initiative-table.html"),
    ),
    (
        "404.html",
        include_str!("../../../../themes/default/templates/404.html"),
    ),
    (
        "whatif.html",
        include_str!("../../../../themes/default/templates/whatif.html"),
    ),
    (
        "methods.html",
        include_str!("../../../../themes/default/templates/methods.html"),
    ),
];

/// The default theme's static files.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../../../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../../../themes/default/static/favicon.svg"),
    ),
    // The WebAssembly widgets (built by scripts/build-widgets.sh and committed).
    (
        "widgets/widgets.js",
        include_bytes!("../../../../themes/default/static/widgets/widgets.js"),
    ),
    (
        "widgets/whatif.js",
        include_bytes!("../../../../themes/default/static/widgets/whatif.js"),
    ),
    (
        "widgets/prioritise.js",
        include_bytes!("../../../../themes/default/static/widgets/prioritise.js"),
    ),
    (
        "widgets/explore.js",
        include_bytes!("../../../../themes/default/static/widgets/explore.js"),
    ),
    (
        "widgets/find.js",
        include_bytes!("../../../../themes/default/static/widgets/find.js"),
    ),
    (
        "widgets/widgets.css",
        include_bytes!("../../../../themes/default/static/widgets/widgets.css"),
    ),
    (
        "widgets/vmo_widgets.js",
        include_bytes!("../../../../themes/default/static/widgets/vmo_widgets.js"),
    ),
    (
        "widgets/vmo_widgets_bg.wasm",
        include_bytes!("../../../../themes/default/static/widgets/vmo_widgets_bg.wasm"),
    ),
];

/// Whether pages render within [`bounds`](super::bounds): when the site overrides a
/// template (the default theme alone is trusted to end).
pub fn is_bounded(sources: &SiteSources) -> bool {
    !sources.templates.is_empty()
}

/// Builds the environment; a template override that does not parse is a diagnostic at
/// its line.
pub fn environment(
    sources: &SiteSources,
    currency: &str,
    diags: &mut Diagnostics,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
    // Debug snapshots copy the values a failing template saw (a whole narrative, say);
    // errors keep their location without them, in every build profile alike.
    env.set_debug(false);
    if is_bounded(sources) {
        super::bounds::install(&mut env);
    }
    for (name, text) in DEFAULT_TEMPLATES {
        let text = sources
            .templates
            .get(*name)
            .cloned()
            .unwrap_or_else(|| (*text).to_string());
        if let Err(e) = env.add_template_owned(name.to_string(), text) {
            parse_error(&e, name, sources, diags);
        }
    }
    for (name, text) in &sources.templates {
        if !DEFAULT_TEMPLATES.iter().any(|(n, _)| n == name)
            && let Err(e) = env.add_template_owned(name.clone(), text.clone())
        {
            parse_error(&e, name, sources, diags);
        }
    }
    let cur = currency.to_string();
    env.add_filter("money", move |v: Value| {
        num(&v, "money").map(|x| format::money(x, &cur))
    });
    let cur = currency.to_string();
    env.add_filter("money_short", move |v: Value| {
        num(&v, "money_short").map(|x| format::money_short(x, &cur))
    });
    env.add_filter("pct", |v: Value, d: Option<usize>| {
        num(&v, "pct").map(|x| format::percent(x, d.unwrap_or(1)))
    });
    env.add_filter("num", |v: Value, d: Option<usize>| {
        num(&v, "num").map(|x| format::number(x, d.unwrap_or(0)))
    });
    env.add_filter("sign", |v: Value| {
        num(&v, "sign").map(|x| if x < 0.0 { "neg" } else { "pos" })
    });
    env
}

/// A template that does not parse, at its line.
fn parse_error(e: &Error, name: &str, sources: &SiteSources, diags: &mut Diagnostics) {
    let (source, span) = super::template_errors::locate(e, name, sources);
    diags.error(
        &source,
        span,
        format!("template error: {}", super::template_errors::cause(e)),
        Some("fix the override, or delete it to use the default template".into()),
    );
}

/// A number for the number filters: `none` is a figure that is not available (it reads
/// "n/a"); an undefined value is a template mistake (a misspelt or missing variable), an
/// error at the template's line rather than a silent "n/a".
fn num(v: &Value, filter: &str) -> Result<f64, Error> {
    if v.is_undefined() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            format!("the value given to `{filter}` is undefined: a misspelt or missing variable"),
        ));
    }
    if v.is_none() {
        return Ok(f64::NAN);
    }
    f64::try_from(v.clone()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("expected a number, got {v}"),
        )
    })
}
