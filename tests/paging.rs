//! Pages of a bounded size: a portfolio larger than a page cuts its roadmap and risk
//! register into pages (`render/paging.rs`) that together list every row exactly once,
//! in order, link to each other, and stay small.
#![allow(clippy::unwrap_used, reason = "a test panics with the failure")]

mod common;

#[allow(dead_code, reason = "the example's main is not called here")]
#[path = "../crates/generator/examples/synthetic.rs"]
mod synthetic;

use common::{broken_links, build, text};
use std::collections::BTreeMap;

/// The rows (`<tr>` of a `<tbody>`) of the table after `heading` on a page.
fn body_rows<'a>(html: &'a str, heading: &str) -> Vec<&'a str> {
    let at = html
        .find(heading)
        .unwrap_or_else(|| panic!("{heading} missing"));
    let rest = &html[at..];
    let body = &rest[rest.find("<tbody>").unwrap()..];
    let body = &body[..body.find("</tbody>").unwrap()];
    body.split("<tr>").skip(1).collect()
}

/// Every page of a paged section, from its first.
fn pages_of<'a>(site: &'a vmo_generator::Site, section: &str) -> Vec<&'a str> {
    (1..)
        .map(|k| match k {
            1 => format!("{section}/index.html"),
            k => format!("{section}/{k}/index.html"),
        })
        .map_while(|p| site.get(&p).map(|f| std::str::from_utf8(&f.bytes).unwrap()))
        .collect()
}

#[test]
fn a_large_portfolio_pages_its_roadmap_and_risk_register() {
    let dir = tempfile::tempdir().unwrap();
    let n = 560;
    synthetic::write(n, dir.path()).unwrap();
    let site = build(dir.path());
    assert!(broken_links(&site).is_empty(), "{:?}", broken_links(&site));

    // Roadmap: 100 initiatives a page, each in exactly one page's chart table.
    let roadmap = pages_of(&site, "roadmap");
    assert_eq!(roadmap.len(), n.div_ceil(100));
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, html) in roadmap.iter().enumerate() {
        assert!(
            html.len() < 2_000_000,
            "roadmap page {} is {} bytes",
            k + 1,
            html.len()
        );
        let rows = body_rows(html, "Data table: Portfolio roadmap");
        let expect = if k + 1 < roadmap.len() {
            100
        } else {
            n - 100 * k
        };
        assert_eq!(rows.len(), expect, "roadmap page {}", k + 1);
        for r in rows {
            *seen.entry(r.to_string()).or_default() += 1;
        }
        let of = format!("page {} of {}", k + 1, roadmap.len());
        assert!(html.contains(&of), "pager on page {}", k + 1);
        assert_eq!(html.contains("rel=\"prev\""), k > 0);
        assert_eq!(html.contains("rel=\"next\""), k + 1 < roadmap.len());
    }
    assert_eq!(seen.len(), n, "every initiative once on the roadmap");
    assert!(seen.values().all(|&c| c == 1));
    assert!(roadmap[1].contains(&format!("<title>Roadmap, page 2 of {}", roadmap.len())));

    // Risk register: 250 risks a page, every risk of the portfolio once.
    let risks: usize = {
        let mut d = vmo_generator::Diagnostics::new();
        let sources = vmo_generator::source::read_site(dir.path(), &mut d);
        let c = vmo_generator::content::load(&sources, &mut d).unwrap();
        c.portfolio.initiatives.iter().map(|i| i.risks.len()).sum()
    };
    let pages = risks.div_ceil(250);
    assert!(
        pages > 1,
        "{risks} risks fit one page: make the portfolio larger"
    );
    let mut listed = 0;
    for k in 1..=pages {
        let path = if k == 1 {
            "risks/index.html".to_string()
        } else {
            format!("risks/{k}/index.html")
        };
        let html = text(&site, &path);
        let rows = body_rows(html, "<h2>Register</h2>").len();
        assert!(rows <= 250 && rows > 0, "{path}: {rows} rows");
        listed += rows;
        // The heat map and the summary are on the first page only.
        assert_eq!(html.contains("id=\"h-heat\""), k == 1, "{path}");
    }
    assert_eq!(listed, risks);
    assert!(
        site.get(&format!("risks/{}/index.html", pages + 1))
            .is_none()
    );

    // Dependencies: 100 initiatives a page, every initiative with a dependency once in
    // the "All dependencies" lists, each page's at-risk rows those of its own.
    let (linked, at_risk) = {
        let mut d = vmo_generator::Diagnostics::new();
        let sources = vmo_generator::source::read_site(dir.path(), &mut d);
        let c = vmo_generator::content::load(&sources, &mut d).unwrap();
        let a = vmo_generator::analysis::analyse(&c, &mut Default::default());
        let linked = (0..c.portfolio.initiatives.len())
            .filter(|&k| {
                !c.portfolio.initiatives[k].depends_on.is_empty() || !a.dependents[k].is_empty()
            })
            .count();
        (linked, a.dependencies_at_risk.len())
    };
    let pages = linked.div_ceil(100);
    assert!(pages > 1, "{linked} linked initiatives fit one page");
    assert!(
        at_risk > 0,
        "the synthetic portfolio has dependencies at risk"
    );
    let (mut listed, mut risky) = (BTreeMap::<String, usize>::new(), 0);
    for k in 1..=pages {
        let path = if k == 1 {
            "dependencies/index.html".to_string()
        } else {
            format!("dependencies/{k}/index.html")
        };
        let html = text(&site, &path);
        assert!(html.len() < 2_000_000, "{path} is {} bytes", html.len());
        for r in body_rows(html, "<h2>All dependencies</h2>") {
            *listed.entry(r.to_string()).or_default() += 1;
        }
        if html.contains("<th scope=\"col\">Why it matters</th>") {
            risky += body_rows(html, "<h2>Dependencies at risk</h2>").len();
        }
        assert!(html.contains("class=\"pager\""), "{path}");
    }
    assert_eq!(listed.len(), linked);
    assert!(listed.values().all(|&c| c == 1));
    assert_eq!(
        risky, at_risk,
        "every dependency at risk on its dependent's page"
    );

    // Benefits: 250 initiatives a page, each once; totals and chart on the first page.
    let benefits = pages_of(&site, "benefits");
    assert!(
        benefits.len() > 1,
        "benefits fit one page: make the portfolio larger"
    );
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, html) in benefits.iter().enumerate() {
        let rows = body_rows(html, "<h2>By initiative</h2>");
        assert!(!rows.is_empty() && rows.len() <= 250);
        assert!(k + 1 == benefits.len() || rows.len() == 250);
        assert_eq!(
            html.contains("Planned to date</p>") || html.contains("class=\"tiles\""),
            k == 0
        );
        for r in rows {
            *seen.entry(r.to_string()).or_default() += 1;
        }
    }
    assert!(
        seen.values().all(|&c| c == 1),
        "an initiative on two benefits pages"
    );

    // The list of all initiatives: 250 a page as initiatives/index-N.html (beside the
    // initiatives' own folders), the explorer on the first page only.
    let mut listed: BTreeMap<String, usize> = BTreeMap::new();
    let list_pages = n.div_ceil(250);
    for k in 1..=list_pages {
        let path = if k == 1 {
            "initiatives/index.html".to_string()
        } else {
            format!("initiatives/index-{k}.html")
        };
        let html = text(&site, &path);
        assert!(html.len() < 2_000_000, "{path} is {} bytes", html.len());
        assert_eq!(
            html.contains("data-vmo-widget=\"explore\""),
            k == 1,
            "{path}"
        );
        for r in body_rows(html, "class=\"pager\"") {
            *listed.entry(r.to_string()).or_default() += 1;
        }
    }
    assert!(
        site.get(&format!("initiatives/index-{}.html", list_pages + 1))
            .is_none()
    );
    assert_eq!(listed.len(), n, "every initiative once in the list");
    assert!(listed.values().all(|&c| c == 1));

    // A group's initiatives: 250 a page, by NPV, totals, charts and flow on the first.
    let group = pages_of(&site, "objectives/lower-cost-to-serve");
    assert!(
        group.len() > 1,
        "the objective fits one page: make the portfolio larger"
    );
    let mut members: BTreeMap<String, usize> = BTreeMap::new();
    for (k, html) in group.iter().enumerate() {
        assert_eq!(
            html.contains("id=\"h-vve\""),
            k == 0,
            "charts on the first page only"
        );
        let rows = body_rows(html, "<h2>Initiatives</h2>");
        assert!(rows.len() <= 250 && (k + 1 == group.len() || rows.len() == 250));
        for r in rows {
            *members.entry(r.to_string()).or_default() += 1;
        }
    }
    assert!(
        members.values().all(|&c| c == 1),
        "an initiative on two pages of its group"
    );

    // A report's embedded table without a limit: its first 100 rows, and it says so.
    let report = text(&site, "reports/benefits-realisation-deep-dive/index.html");
    let at = report
        .find("(the first 100 of ")
        .expect("the cut table says so");
    let embedded = body_rows(&report[at..], "</caption>");
    assert_eq!(embedded.len(), 100);
    assert!(report.len() < 2_000_000);

    // Value vs effort: the 100 of highest NPV and the 100 of highest cost, not all 560.
    let dashboard = text(&site, "index.html");
    let bubbles = body_rows(dashboard, "Data table: Portfolio: value vs effort");
    assert!(
        (100..=200).contains(&bubbles.len()),
        "{} bubbles",
        bubbles.len()
    );
    assert!(dashboard.contains("The 100 initiatives of highest NPV and the 100 of highest cost"));

    // Prioritisation: each model's first 100 ranks, the whole ranking on its own pages.
    let page = text(&site, "prioritisation/index.html");
    let top = body_rows(page, "id=\"model-wsjf\"");
    assert_eq!(top.len(), 100);
    assert!(page.contains("The whole WSJF (SAFe) ranking</a>"));
    let whole = text(&site, "prioritisation/wsjf/index.html");
    let all = body_rows(whole, "Rank</th>");
    assert!(all.len() > 100 && all.len() <= 250, "{}", all.len());
    // The model's pages are a level deeper: their links climb one more folder.
    let deeper: Vec<String> = top
        .iter()
        .map(|r| r.replace("..&#x2f;", "..&#x2f;..&#x2f;"))
        .collect();
    assert!(
        all[..100] == deeper[..],
        "the page's ranks are the ranking's first"
    );
    assert!(all[all.len() - 1].starts_with(&format!("<td class=\"num\">{}</td>", all.len())));

    // Budget selection: each list's 50 of highest NPV, every proposal on its own pages.
    budget_is_bounded_and_whole(&site, page);
}

/// The hrefs of the initiatives linked in `html` from `at` to the next `</ul>`.
fn listed<'a>(html: &'a str, at: &str) -> Vec<&'a str> {
    let rest = &html[html.find(at).unwrap_or_else(|| panic!("{at} missing"))..];
    let list = &rest[..rest.find("</ul>").unwrap()];
    list.split("<a href=\"")
        .skip(1)
        .map(|l| l.split('"').next().unwrap())
        .collect()
}

fn budget_is_bounded_and_whole(site: &vmo_generator::Site, page: &str) {
    let funded_top = listed(page, "<h3>Funded within the envelope</h3>");
    let unfunded_top = listed(page, "<h3>Not funded</h3>");
    assert_eq!(funded_top.len(), 50);
    assert!(page.contains("Every proposal and its decision</a>"));
    let pages: Vec<&str> = (1..)
        .map(|k| match k {
            1 => "prioritisation/budget.html".to_string(),
            k => format!("prioritisation/budget-{k}.html"),
        })
        .map_while(|p| site.get(&p).map(|f| std::str::from_utf8(&f.bytes).unwrap()))
        .collect();
    assert!(!pages.is_empty());
    let mut rows: Vec<(String, bool, f64)> = Vec::new();
    for html in &pages {
        assert!(html.len() < 2_000_000);
        for r in body_rows(html, "Decision</th>") {
            let href = r
                .split("<a href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let funded = r.contains("<td>Funded");
            let npv = r.split("<td class=\"num").nth(1).unwrap();
            let npv = npv[npv.find('>').unwrap() + 1..npv.find("</td>").unwrap()].to_string();
            rows.push((href.to_string(), funded, money(&npv)));
        }
    }
    let funded = rows.iter().take_while(|r| r.1).count();
    assert!(
        rows[funded..].iter().all(|r| !r.1),
        "funded first, then not funded"
    );
    let unique: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(unique.len(), rows.len(), "every proposal once");
    // Highest NPV first in each group (to the rounding of the short amounts).
    for group in [&rows[..funded], &rows[funded..]] {
        assert!(group.windows(2).all(|w| w[0].2 >= w[1].2), "by NPV");
    }
    let tile = format!(
        "<div class=\"tile-value\">{funded}</div><div class=\"tile-note\">of {}</div>",
        rows.len()
    );
    assert!(
        page.contains(&tile),
        "the tile counts every proposal: {tile}"
    );
    // The prioritisation page's lists are the first rows of the whole one (both pages
    // are in the same folder, so their links read the same).
    let up = |r: &(String, bool, f64)| r.0.clone();
    let whole_funded: Vec<String> = rows[..funded].iter().map(up).collect();
    assert_eq!(funded_top, whole_funded[..50]);
    let whole_unfunded: Vec<String> = rows[funded..].iter().map(up).collect();
    assert_eq!(
        unfunded_top,
        whole_unfunded[..unfunded_top.len()],
        "not funded"
    );
}

/// A short amount as the pages print it (`€1.2M`, `-€640k`, `€90`), in units.
fn money(text: &str) -> f64 {
    let t = text.replace('\u{2212}', "-");
    let negative = t.starts_with('-');
    let digits: String = t
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let scale = match t.chars().last() {
        Some('k') => 1e3,
        Some('M') => 1e6,
        Some('B') | Some('G') => 1e9,
        _ => 1.0,
    };
    let v: f64 = digits.parse().unwrap_or(0.0) * scale;
    if negative { -v } else { v }
}

#[test]
fn a_portfolio_that_fits_one_page_has_no_pager() {
    let site = build(&common::repo_root());
    for p in ["roadmap/index.html", "risks/index.html"] {
        assert!(!text(&site, p).contains("class=\"pager\""), "{p}");
    }
    assert!(site.get("roadmap/2/index.html").is_none());
}
