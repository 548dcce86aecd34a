//! Valid ```` ```vmo ```` blocks in a report show what they ask for: each chart is the
//! chart its own page draws (not an empty or a placeholder one), and each table has the
//! rows its `model`, `limit`, `stage`, `value_stream` and `objective` select, in the
//! order the analysis gives. (`tests/sites/invalid/report-embed` covers invalid blocks.)
#![allow(clippy::unwrap_used, reason = "tests panic with the failure")]

mod common;
use common::*;
use scraper::{ElementRef, Html, Selector};
use vmo_core::{Portfolio, PortfolioAnalysis};

/// Every embed kind, with the options that change what it shows.
const REPORT: &str = r#"+++
title = "Every embed"
date = 2026-06-30
author = "Tests"
summary = "One block of each kind."
+++

Charts of the portfolio.

```vmo
chart = "investment-by-value-stream"
```

```vmo
chart = "investment-by-objective"
```

```vmo
chart = "investment-by-stage"
```

```vmo
chart = "value-vs-effort"
```

```vmo
chart = "benefits-realisation"
```

```vmo
chart = "risk-heatmap"
```

```vmo
chart = "roadmap"
```

```vmo
chart = "cash-flow"
initiative = "pricing-engine-ml"
```

Tables.

```vmo
table = "ranking"
model = "investment-committee"
limit = 5
```

```vmo
table = "ranking"
model = "wsjf"
limit = 5
```

```vmo
table = "ranking"
model = "rice"
```

```vmo
table = "top-risks"
limit = 4
```

```vmo
table = "benefits"
```

```vmo
table = "value-streams"
```

```vmo
table = "initiatives"
stage = "delivery"
```

```vmo
table = "initiatives"
value_stream = "claims"
limit = 2
```

```vmo
table = "initiatives"
objective = "regulatory-resilience"
```
"#;

const PAGE: &str = "reports/every-embed/index.html";

struct Built {
    site: vmo_generator::Site,
    p: Portfolio,
    a: PortfolioAnalysis,
}

/// The sample site with the report above added.
fn built() -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    copy_dir(&repo_root().join("content"), &dir.join("content"));
    std::fs::write(dir.join("content/reports/every-embed.md"), REPORT).unwrap();
    let site = build(&dir);
    let mut d = vmo_generator::Diagnostics::new();
    let sources = vmo_generator::source::read_site(&dir, &mut d);
    let p = vmo_generator::content::load(&sources, &mut d)
        .unwrap()
        .portfolio;
    let a = vmo_core::analyse(&p);
    Built { site, p, a }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The `<figure>` whose chart has the id `id`, as written in `html`.
fn figure<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let at = html.find(&format!("aria-labelledby=\"{id}-title"))?;
    let start = html[..at].rfind("<figure")?;
    let end = at + html[at..].find("</figure>")? + "</figure>".len();
    Some(&html[start..end])
}

/// The text of each cell of each body row of a table.
fn rows(table: ElementRef<'_>) -> Vec<Vec<String>> {
    table
        .select(&sel("tbody tr"))
        .map(|tr| {
            tr.select(&sel("th, td"))
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn embedded_charts_are_the_charts_of_their_pages() {
    let b = built();
    let report = text(&b.site, PAGE);
    // Chart id, and a page that draws the same chart.
    for (id, page) in [
        ("inv-by-value-stream", "value-streams/index.html"),
        ("inv-by-objective", "objectives/index.html"),
        ("vve-portfolio-value-vs-effort", "index.html"),
        ("benefits-realisation", "benefits/index.html"),
        ("risk-heatmap", "risks/index.html"),
        ("roadmap", "roadmap/index.html"),
    ] {
        let embedded = figure(report, id).unwrap_or_else(|| panic!("no {id} chart embedded"));
        let own = figure(text(&b.site, page), id).unwrap_or_else(|| panic!("{page}: no {id}"));
        assert_eq!(
            embedded, own,
            "{id}: the embedded chart differs from {page}'s"
        );
        // Not an empty chart drawn in both places: marks, and rows in its data table.
        let marks: usize = ["<rect", "<circle", "<polygon"]
            .iter()
            .map(|m| embedded.matches(m).count())
            .sum();
        let rows = Html::parse_fragment(embedded)
            .select(&sel("details table tbody tr"))
            .count();
        assert!(
            marks >= 3 && rows >= 2,
            "{id}: {marks} marks, {rows} data rows"
        );
    }
    // The cash flow of the initiative named, under the embed's own id.
    let page = text(&b.site, "initiatives/pricing-engine-ml/index.html");
    let own = figure(page, "cf-pricing-engine-ml").expect("the initiative's cash flow");
    // Its id is the report's and the block's: report-every-embed-7 (the eighth block).
    let embedded = figure(report, "report-every-embed-7").expect("a cash flow embedded");
    assert!(embedded.contains("vmo-chart-cashflow"));
    assert_eq!(
        embedded.replace("report-every-embed-7", "ID"),
        own.replace("cf-pricing-engine-ml", "ID"),
        "the embedded cash flow differs from the initiative page's"
    );
    // Investment by stage (drawn for the whole portfolio only here): one row per stage,
    // each the stage's planned cost.
    let fig = figure(report, "inv-by-stage-portfolio").expect("investment by stage");
    let doc = Html::parse_fragment(fig);
    let table = doc.select(&sel("table")).next().expect("its data table");
    let got = rows(table);
    let want: Vec<Vec<String>> =
        b.p.stages
            .iter()
            .map(|s| {
                let cost: f64 =
                    b.p.initiatives
                        .iter()
                        .filter(|i| i.stage == s.id)
                        .map(|i| i.plan.total_cost())
                        .sum();
                vec![
                    s.name.clone(),
                    vmo_generator::render::format::money(cost, &b.p.settings.currency),
                ]
            })
            .collect();
    let got2: Vec<Vec<String>> = got.iter().map(|r| r[..2].to_vec()).collect();
    assert_eq!(got2, want, "investment by stage");
    assert!(fig.matches("<rect").count() >= b.p.stages.len());
}

#[test]
fn embedded_tables_show_the_rows_their_options_select() {
    let b = built();
    let (p, a) = (&b.p, &b.a);
    let doc = Html::parse_document(text(&b.site, PAGE));
    let tables: Vec<ElementRef<'_>> = doc.select(&sel("div.embed table")).collect();
    assert_eq!(tables.len(), 9, "one table per block");
    let title = |k: usize| p.initiatives[k].title.clone();
    let stage_name = |id: &str| p.stage(id).unwrap().name.clone();
    let firsts =
        |t: ElementRef<'_>| -> Vec<String> { rows(t).into_iter().map(|r| r[0].clone()).collect() };
    // Every row links to its initiative's (or value stream's) page.
    for t in &tables {
        for a in t.select(&sel("tbody th a")) {
            let href = a.value().attr("href").unwrap();
            let target = resolve(PAGE, href).unwrap();
            assert!(b.site.get(&target).is_some(), "{href} does not resolve");
        }
    }

    // Rankings: the model's ranking from the analysis, cut at the limit.
    let ranking = |model: &str| -> Vec<String> {
        a.rankings
            .iter()
            .find(|r| r.model_id == model)
            .unwrap()
            .ranked
            .iter()
            .map(|&k| title(k))
            .collect()
    };
    for (t, model, limit) in [
        (tables[0], "investment-committee", Some(5)),
        (tables[1], "wsjf", Some(5)),
        (tables[2], "rice", None),
    ] {
        let all = ranking(model);
        let want: Vec<String> = all
            .iter()
            .take(limit.unwrap_or(usize::MAX))
            .cloned()
            .collect();
        assert!(all.len() > 5, "{model} ranks {} initiatives", all.len());
        assert_eq!(firsts(t), want, "ranking by {model}");
        let ranks: Vec<String> = rows(t).iter().map(|r| r[1].clone()).collect();
        let one_to_n: Vec<String> = (1..=want.len()).map(|n| n.to_string()).collect();
        assert_eq!(ranks, one_to_n, "{model}: ranks");
        let name = &p.models.iter().find(|m| m.id == model).unwrap().name;
        let caption = t
            .select(&sel("caption"))
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert_eq!(caption, format!("Ranking by {name}"));
    }
    assert_ne!(
        firsts(tables[0]),
        firsts(tables[1]),
        "the model changes nothing"
    );

    // Top risks: the highest exposures of open risks, cut at the limit.
    let mut exposures: Vec<f64> = p
        .initiatives
        .iter()
        .flat_map(|i| &i.risks)
        .filter(|r| r.status != vmo_core::RiskStatus::Closed)
        .map(|r| r.probability * f64::from(r.impact))
        .collect();
    exposures.sort_by(|x, y| y.total_cmp(x));
    let shown: Vec<String> = rows(tables[3]).iter().map(|r| r[4].clone()).collect();
    let want: Vec<String> = exposures[..4]
        .iter()
        .map(|x| vmo_generator::render::format::number(*x, 2))
        .collect();
    assert_eq!(shown, want, "top risks");

    // Benefits: every initiative with benefits planned to date.
    let with_benefits = a
        .initiatives
        .iter()
        .filter(|m| m.to_date.planned_benefit > 0.0)
        .count();
    assert!(with_benefits > 3);
    assert_eq!(rows(tables[4]).len(), with_benefits, "benefits");

    // Value streams: one row each, counting every initiative once.
    let vs = rows(tables[5]);
    let names: Vec<String> = p.value_streams.iter().map(|s| s.name.clone()).collect();
    assert_eq!(vs.iter().map(|r| r[0].clone()).collect::<Vec<_>>(), names);
    let counted: usize = vs.iter().map(|r| r[1].parse::<usize>().unwrap()).sum();
    assert_eq!(counted, p.initiatives.len());

    // Initiatives filtered by stage, value stream and objective, by NPV, cut at the limit.
    let by_npv = |keep: &dyn Fn(&vmo_core::Initiative) -> bool| -> Vec<String> {
        let mut ks: Vec<usize> = (0..p.initiatives.len())
            .filter(|&k| keep(&p.initiatives[k]))
            .collect();
        let npv = |k: usize| {
            *a.initiatives[k]
                .business_case
                .npv
                .value()
                .unwrap_or(&f64::NAN)
        };
        ks.sort_by(|&x, &y| npv(y).total_cmp(&npv(x)).then(x.cmp(&y)));
        ks.into_iter().map(title).collect()
    };
    let delivery = by_npv(&|i| i.stage == "delivery");
    assert!(delivery.len() > 2 && delivery.len() < p.initiatives.len());
    assert_eq!(firsts(tables[6]), delivery, "initiatives in delivery");
    assert!(
        rows(tables[6])
            .iter()
            .all(|r| r[1] == stage_name("delivery"))
    );
    let claims = by_npv(&|i| i.value_stream == "claims");
    assert!(
        claims.len() > 2,
        "the claims stream has {} initiatives",
        claims.len()
    );
    assert_eq!(
        firsts(tables[7]),
        claims[..2],
        "claims initiatives, limit 2"
    );
    let resilience = by_npv(&|i| i.objectives.iter().any(|o| o == "regulatory-resilience"));
    assert!(!resilience.is_empty() && resilience.len() < p.initiatives.len());
    assert_eq!(
        firsts(tables[8]),
        resilience,
        "initiatives serving the objective"
    );
}
