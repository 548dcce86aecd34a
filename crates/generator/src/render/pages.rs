//! The list of pages: each a path, a template and its context.

use super::views::SiteView;
use minijinja::Value;
use rayon::prelude::*;

/// A page to render.
#[derive(Debug)]
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub context: Value,
}

/// The relative prefix from a page to the site root (`../../` for `a/b/index.html`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Every page of the site.
pub fn plan(v: &SiteView<'_>) -> Vec<Page> {
    let mut pages = vec![
        v.page(
            "index.html",
            "dashboard.html",
            "dashboard",
            "Portfolio dashboard",
            &[],
            v.dashboard(),
        ),
        v.page(
            "initiatives/index.html",
            "initiatives.html",
            "initiatives",
            "Initiatives",
            &[],
            v.initiatives_index(),
        ),
        v.page(
            "value-streams/index.html",
            "groups.html",
            "value-streams",
            "Value streams",
            &[],
            v.value_streams_index(),
        ),
        v.page(
            "objectives/index.html",
            "groups.html",
            "objectives",
            "Strategic objectives",
            &[],
            v.objectives_index(),
        ),
        v.page(
            "prioritisation/index.html",
            "prioritisation.html",
            "prioritisation",
            "Prioritisation",
            &[],
            v.prioritisation(),
        ),
        v.page(
            "roadmap/index.html",
            "roadmap.html",
            "roadmap",
            "Roadmap",
            &[],
            v.roadmap(),
        ),
        v.page(
            "dependencies/index.html",
            "dependencies.html",
            "dependencies",
            "Dependency map",
            &[],
            v.dependencies(),
        ),
        v.page(
            "risks/index.html",
            "risks.html",
            "risks",
            "Risk register",
            &[],
            v.risks(),
        ),
        v.page(
            "benefits/index.html",
            "benefits.html",
            "benefits",
            "Benefits realisation",
            &[],
            v.benefits(),
        ),
        v.page(
            "reports/index.html",
            "reports.html",
            "reports",
            "Reports",
            &[],
            v.reports_index(),
        ),
        v.page(
            "data/index.html",
            "data.html",
            "data",
            "Data downloads",
            &[],
            Value::UNDEFINED,
        ),
        v.page(
            "404.html",
            "404.html",
            "",
            "Page not found",
            &[],
            Value::UNDEFINED,
        ),
        v.page(
            "whatif/index.html",
            "whatif.html",
            "whatif",
            "What if?",
            &[],
            Value::UNDEFINED,
        ),
    ];
    pages.push(v.page(
        "methods/index.html",
        "methods.html",
        "methods",
        "Methods",
        &[],
        minijinja::context! { body => super::methods::body_html() },
    ));
    let p = &v.content.portfolio;
    // Initiative pages are most of the work (each runs a simulation): build them in
    // parallel; the order of `pages` does not matter, the site is sorted by path.
    let initiative_pages: Vec<Page> = p
        .initiatives
        .par_iter()
        .enumerate()
        .map(|(k, i)| {
            v.page(
                &format!("initiatives/{}/index.html", i.id),
                "initiative.html",
                "initiatives",
                &i.title,
                &[("Initiatives", "initiatives/index.html")],
                v.initiative(k),
            )
        })
        .collect();
    pages.extend(initiative_pages);
    for s in &p.value_streams {
        pages.push(v.page(
            &format!("value-streams/{}/index.html", s.id),
            "group.html",
            "value-streams",
            &s.name,
            &[("Value streams", "value-streams/index.html")],
            v.value_stream(&s.id),
        ));
    }
    for o in &p.objectives {
        pages.push(v.page(
            &format!("objectives/{}/index.html", o.id),
            "group.html",
            "objectives",
            &o.name,
            &[("Objectives", "objectives/index.html")],
            v.objective(&o.id),
        ));
    }
    for (k, r) in v.content.reports.iter().enumerate() {
        let path = format!("reports/{}/index.html", r.slug);
        let ctx = v.report(k, &root_of(&path));
        pages.push(v.page(
            &path,
            "report.html",
            "reports",
            &r.title,
            &[("Reports", "reports/index.html")],
            ctx,
        ));
    }
    pages
}

#[cfg(test)]
mod tests {
    #[test]
    fn roots() {
        assert_eq!(super::root_of("index.html"), "");
        assert_eq!(super::root_of("a/b/index.html"), "../../");
    }
}
