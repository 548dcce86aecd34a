//! The methods page (`methods/`): how every figure is computed, from
//! `docs/methods.md`, the one source of those definitions for the site and for readers
//! of the repository. Every chart links to its section ([`super::charts::ChartView`]'s
//! `method`).

use pulldown_cmark::{Options, Parser, html};

/// The definitions, as written for the repository.
pub const METHODS_MD: &str = include_str!("../../../../docs/methods.md");

/// The sections a figure may link to (`methods/index.html#ID`): the `{#id}` of each
/// heading of `docs/methods.md` (a test checks that they are all there).
pub const SECTIONS: &[&str] = &[
    "periods",
    "rollups",
    "npv",
    "irr",
    "mirr",
    "roi",
    "bcr",
    "payback",
    "remaining",
    "scores",
    "selection",
    "monte-carlo",
    "earned-value",
    "flow",
    "kpis",
    "variance",
    "risks",
    "dependencies",
];

/// The page's body: the Markdown after its title, as HTML with heading ids. The text is
/// ours (embedded at build time), so it is not sanitised like content.
pub fn body_html() -> String {
    let body = METHODS_MD
        .split_once('\n')
        .map_or(METHODS_MD, |(_title, rest)| rest);
    let mut out = String::with_capacity(body.len() * 3 / 2);
    let options = Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_TABLES;
    html::push_html(&mut out, Parser::new_ext(body, options));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variance_rule_reads_as_the_pages_print_it() {
        let rule = vmo_explain::variance::rule(&vmo_core::variance::TOLERANCES);
        assert!(
            METHODS_MD.contains(&rule),
            "docs/methods.md should say: {rule}"
        );
        let stale = format!(
            "more than {} days older than `as_of`",
            vmo_core::variance::TOLERANCES.kpi_stale_days
        );
        assert!(METHODS_MD.contains(&stale));
    }

    #[test]
    fn every_linked_section_exists_and_every_section_is_listed() {
        let html = body_html();
        for id in SECTIONS {
            assert!(html.contains(&format!("id=\"{id}\"")), "no section {id}");
        }
        let headings = METHODS_MD.matches("{#").count();
        assert_eq!(
            headings,
            SECTIONS.len(),
            "a section is missing from SECTIONS"
        );
    }
}
