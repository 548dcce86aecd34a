//! Template errors as diagnostics: at the template's file, line and column, with the
//! offending line shown, and one diagnostic per cause however many pages it breaks.

use super::bounds::{self, Exceeded, RenderFailure};
use super::format::group;
use super::templates::{DEFAULT_TEMPLATES, TEMPLATE_DIR};
use crate::diagnostics::{Diagnostics, SourceText};
use crate::source::SiteSources;
use std::collections::BTreeMap;
use std::ops::Range;

/// The text of template `name` as this site renders it: its override, or the default.
pub fn template_text<'s>(name: &str, sources: &'s SiteSources) -> Option<&'s str> {
    sources.templates.get(name).map(String::as_str).or_else(|| {
        DEFAULT_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
    })
}

/// Where `e` points: the template's file (site-relative, as the diagnostics printer
/// reads it) and text, and the span of the failing expression, or of its whole line when
/// minijinja knows only the line. `fallback` names the template when the error does not.
pub fn locate(
    e: &minijinja::Error,
    fallback: &str,
    sources: &SiteSources,
) -> (SourceText, Range<usize>) {
    let name = e.name().unwrap_or(fallback);
    let text = template_text(name, sources).unwrap_or("");
    let line = e.line().map(|n| line_span(text, n));
    let span = match (e.range(), &line) {
        (Some(r), Some(l))
            if r.start >= l.start
                && r.start <= l.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end) =>
        {
            r
        }
        (_, Some(l)) => l.clone(),
        (_, None) => 0..0,
    };
    let source = SourceText {
        path: format!("{TEMPLATE_DIR}{name}"),
        text: text.to_string(),
    };
    (source, span)
}

/// The byte range of 1-based line `n` of `text`, without its line end.
fn line_span(text: &str, n: usize) -> Range<usize> {
    let mut start = 0;
    for _ in 1..n {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len()..text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    start..text[start..end].trim_end_matches('\r').len() + start
}

/// An error in one line: its kind, detail and the errors it wraps.
pub fn cause(e: &minijinja::Error) -> String {
    let mut s = e.kind().to_string();
    if let Some(d) = e.detail() {
        s.push_str(&format!(": {d}"));
    }
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        s.push_str(&format!("; {inner}"));
        source = inner.source();
    }
    s
}

/// One cause and the pages it broke.
#[derive(Debug)]
struct Failure {
    source: SourceText,
    span: Range<usize>,
    cause: String,
    hint: String,
    /// The first page (by path) it broke, what is particular to it, and how many.
    example: String,
    detail: String,
    pages: usize,
    /// It ran out of a budget (rendering stops after such a page).
    exceeded: bool,
}

/// The render failures of a build, one per cause (template, place and message).
#[derive(Debug, Default)]
pub struct Failures {
    by_cause: BTreeMap<(String, usize, String), Failure>,
    /// Pages not rendered because an earlier one ran out of a budget.
    not_rendered: usize,
}

impl Failures {
    /// Records that `page`, rendered from `template`, failed.
    pub fn add(&mut self, page: &str, template: &str, f: &RenderFailure, sources: &SiteSources) {
        let (source, span) = locate(&f.error, template, sources);
        let (cause, detail, hint) = describe(f, &source.path, sources);
        let key = (source.path.clone(), span.start, cause.clone());
        let entry = self.by_cause.entry(key).or_insert_with(|| Failure {
            source,
            span,
            cause,
            hint,
            example: page.to_string(),
            detail: detail.clone(),
            pages: 0,
            exceeded: f.exceeded.is_some(),
        });
        entry.pages += 1;
        if page < entry.example.as_str() {
            entry.example = page.to_string();
            entry.detail = detail;
        }
    }

    /// Records a page left out after one that ran out of a budget.
    pub fn not_rendered(&mut self) {
        self.not_rendered += 1;
    }

    /// One error per cause, naming one page it broke and how many others.
    pub fn report(self, diags: &mut Diagnostics) {
        for f in self.by_cause.into_values() {
            let pages = match f.pages {
                1 => format!("`{}`", f.example),
                2 => format!("`{}` and 1 other page", f.example),
                n => format!("`{}` and {} other pages", f.example, n - 1),
            };
            let mut hint = f.hint;
            if f.exceeded && self.not_rendered > 0 {
                hint.push_str(&format!(
                    "; rendering stopped there ({} more pages not rendered)",
                    self.not_rendered
                ));
            }
            diags.error(
                &f.source,
                f.span,
                format!("rendering {pages} failed: {}{}", f.cause, f.detail),
                Some(hint),
            );
        }
    }
}

/// The cause (the same for every page it breaks), what is particular to this page, and
/// a hint.
fn describe(f: &RenderFailure, path: &str, sources: &SiteSources) -> (String, String, String) {
    match (f.exceeded, f.bounds) {
        (Some(Exceeded::Fuel), Some(b)) => (
            "the templates did not finish within the page's step limit".into(),
            format!(" ({} steps)", group(u128::from(b.fuel))),
            format!(
                "a page may take {} template steps plus {} per value of its data; look for a loop inside a loop over `range(...)`, or a macro that calls itself",
                group(u128::from(bounds::FUEL_BASE)),
                bounds::FUEL_PER_VALUE
            ),
        ),
        (Some(Exceeded::Output), Some(b)) => (
            "the page grew over its size limit".into(),
            format!(" ({} MB)", group(u128::from(b.output.div_ceil(1_000_000)))),
            format!(
                "a page may be {} MiB plus {} bytes per byte of text and {} bytes per value of its data; look for a loop that writes a large value many times",
                bounds::OUTPUT_BASE >> 20,
                bounds::OUTPUT_PER_TEXT_BYTE,
                bounds::OUTPUT_PER_VALUE
            ),
        ),
        _ => (cause(&f.error), String::new(), hint_for(path, sources)),
    }
}

/// What to do about an error in the template at `path`.
fn hint_for(path: &str, sources: &SiteSources) -> String {
    let name = path.strip_prefix(TEMPLATE_DIR).unwrap_or(path);
    if sources.templates.contains_key(name) {
        return "fix the override, or delete it to use the default template".into();
    }
    let overrides: Vec<String> = sources.templates.keys().map(|n| format!("`{n}`")).collect();
    format!(
        "`{name}` is the default template; an override it uses ({}) may lack a block, macro or variable it needs",
        overrides.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_spans() {
        let t = "ab\r\ncd\nef";
        assert_eq!(line_span(t, 1), 0..2);
        assert_eq!(line_span(t, 2), 4..6);
        assert_eq!(line_span(t, 3), 7..9);
        assert_eq!(line_span(t, 9), 9..9);
    }
}
