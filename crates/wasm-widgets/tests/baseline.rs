//! One crate, one number: for every initiative of the sample site, the what-if widget's
//! baseline shows exactly what the generator printed on the initiative page (NPV, IRR,
//! ROI, payback, the Monte Carlo percentiles) and redraws byte-identical charts.

use std::path::Path;
use vmo_widgets::{Session, whatif};

fn site() -> vmo_generator::Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let (site, diags) = vmo_generator::check_site(&root, None);
    site.unwrap_or_else(|| panic!("the sample site does not build: {diags:?}"))
}

fn file<'a>(site: &'a vmo_generator::Site, path: &str) -> &'a str {
    let f = site
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is not in the site"));
    std::str::from_utf8(&f.bytes).expect("utf-8")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// The initiative ids linked from the prioritisation page's "Funded within the
/// envelope" list.
fn funded_list(page: &str) -> std::collections::BTreeSet<&str> {
    let start = page
        .find("<h3>Funded within the envelope</h3>")
        .expect("the page has a funded list");
    let list = &page[start..];
    let list = &list[..list.find("</ul>").expect("the funded list ends")];
    list.split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .map(|h| {
            h.trim_end_matches("index.html")
                .trim_end_matches("&#x2f;")
                .rsplit("&#x2f;")
                .next()
                .expect("an initiative link")
        })
        .collect()
}

#[test]
fn widget_baseline_matches_every_initiative_page() {
    let site = site();
    let session = Session::from_json(file(&site, "data/portfolio.json")).expect("portfolio.json");
    assert!(!session.portfolio.initiatives.is_empty());
    for (k, i) in session.portfolio.initiatives.iter().enumerate() {
        let page = file(&site, &format!("initiatives/{}/index.html", i.id));
        let b = whatif::baseline(&session, &i.id).expect("baseline");
        let has = |what: &str, text: &str| {
            assert!(
                page.contains(&escape(text)),
                "{}: the page does not show the widget's {what} `{text}`",
                i.id
            );
        };
        has("NPV", &b.case.npv_text);
        has("IRR", &b.case.irr_text);
        has("ROI", &b.case.roi_text);
        has("payback", &b.case.payback_text);
        has("discounted payback", &b.case.discounted_payback_text);
        has("benefit-cost ratio", &b.case.bcr_text);
        // The same chart code with the page's chart id gives the page's SVG, byte for byte.
        let case = &session.analysis.initiatives[k].business_case;
        let svg = whatif::cash_flow_svg(
            &session,
            &i.title,
            case,
            &b.case.payback_text,
            &format!("cf-{}", i.id),
        )
        .expect("chart");
        assert!(page.contains(&svg), "{}: cash-flow SVG differs", i.id);
        if page.contains("id=\"h-unc\"") {
            let mc = b.monte_carlo.as_ref().expect("simulation");
            for q in &mc.percentiles {
                has("percentile", &q.text);
                has("percentile label", &q.label);
            }
            has("chance of a negative NPV", &mc.prob_negative_text);
            let sim = vmo_core::montecarlo::simulate_initiative(
                &session.portfolio.settings,
                i,
                // The page's configuration, from its one home.
                &vmo_explain::montecarlo::config(whatif::TRIALS, None),
            )
            .expect("simulation");
            let svg = whatif::histogram_svg(&session, &i.title, &sim, &format!("mc-{}", i.id))
                .expect("histogram");
            assert!(page.contains(&svg), "{}: histogram SVG differs", i.id);
        }
    }
}

#[test]
fn the_unchanged_form_reproduces_the_baseline() {
    let site = site();
    let session = Session::from_json(file(&site, "data/portfolio.json")).expect("portfolio.json");
    for i in &session.portfolio.initiatives {
        let b = whatif::baseline(&session, &i.id).expect("baseline");
        let s = whatif::scenario(&session, &b.form).expect("scenario");
        assert!(s.errors.is_empty(), "{}: {:?}", i.id, s.errors);
        let case = s.case.expect("case");
        assert_eq!(case.npv, b.case.npv, "{}", i.id);
        assert_eq!(case.irr_roots, b.case.irr_roots, "{}", i.id);
        assert_eq!(case.payback_text, b.case.payback_text, "{}", i.id);
        let (mc, base) = (s.monte_carlo.expect("mc"), b.monte_carlo.clone());
        assert_eq!(
            mc.map(|m| m.percentiles),
            base.map(|m| m.percentiles),
            "{}",
            i.id
        );
    }
}

#[test]
fn widget_baseline_selection_is_the_prioritisation_pages() {
    let site = site();
    let session = Session::from_json(file(&site, "data/portfolio.json")).expect("portfolio.json");
    let page = file(&site, "prioritisation/index.html");
    let form = vmo_widgets::prioritise::default_form(&session, "");
    let view = vmo_widgets::prioritise::evaluate(&session, &form).expect("view");
    let sel = view.selection.expect("selection");
    let shown = vmo_widgets::format::money_short(sel.value, session.currency());
    // A total reads short, in the widget as on the page (the opening of docs/methods.md).
    assert_eq!(sel.value_text, shown);
    assert!(
        page.contains(&escape(&shown)),
        "the prioritisation page does not show the widget's selected NPV {shown}"
    );
    // "Cost" means the same in the widget's ranking as in the page's: the lifetime cost.
    for r in &view.ranking {
        let link = escape(&format!("initiatives/{}/index.html", r.id)).replace('/', "&#x2f;");
        let row = page
            .split(&link)
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_else(|| panic!("{} is not ranked on the page", r.id));
        assert!(
            row.contains(&format!(">{}</td>", escape(&r.cost_text))),
            "{}: the widget's cost {} is not the page's",
            r.id,
            r.cost_text
        );
    }
    // The selected proposed initiatives are exactly the page's funded list (committed
    // and live work is funded without being listed there).
    let proposed: std::collections::BTreeSet<&str> = view
        .ranking
        .iter()
        .filter(|r| r.selected && !r.committed)
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        !proposed.is_empty(),
        "the baseline selects no proposed work"
    );
    assert_eq!(
        funded_list(page),
        proposed,
        "the prioritisation page's funded list is not the widget's selection"
    );
    // The frontier is drawn by the same code (only the chart id differs).
    let frontier = view.frontier_chart.replace("wi-frontier", "frontier");
    assert!(page.contains(&frontier), "the frontier SVG differs");
}
