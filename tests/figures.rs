//! What the pages say, read from the built sample site and compared with what is
//! computed independently of the render code: the risk register's order and zones, and
//! the dependencies flagged at risk.
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

mod common;
use common::*;
use scraper::{Html, Selector};
use vmo_core::model::{Health, StageClass};

/// The text of every cell of every body row of the first table after heading `h2`.
fn table_after(html: &str, h2: &str) -> Vec<Vec<String>> {
    let doc = Html::parse_document(html);
    let heading = Selector::parse("h2").unwrap();
    let rows = Selector::parse("tbody tr").unwrap();
    let cells = Selector::parse("th, td").unwrap();
    let start = doc
        .select(&heading)
        .find(|h| h.text().collect::<String>().trim() == h2)
        .unwrap_or_else(|| panic!("no heading {h2}"));
    let table = start
        .next_siblings()
        .filter_map(scraper::ElementRef::wrap)
        .find_map(|e| {
            if e.value().name() == "table" {
                Some(e)
            } else {
                e.select(&Selector::parse("table").unwrap()).next()
            }
        })
        .unwrap();
    table
        .select(&rows)
        .map(|r| {
            r.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect()
}

fn sample() -> (vmo_generator::Site, vmo_core::Portfolio) {
    let root = repo_root();
    let site = build(&root);
    let mut d = vmo_generator::Diagnostics::new();
    let sources = vmo_generator::source::read_site(&root, &mut d);
    let content = vmo_generator::content::load(&sources, &mut d).unwrap();
    (site, content.portfolio)
}

/// The register is ordered by one score (probability band × impact, then exposure), and
/// each row's zone is that score's: recomputed here from the page's own probability and
/// impact, with the bands written out (no shared endpoints).
#[test]
fn the_risk_register_sorts_and_zones_by_one_score() {
    let (site, _) = sample();
    let rows = table_after(text(&site, "risks/index.html"), "Register");
    assert!(rows.len() > 20);
    let band = |p: f64| match p {
        p if p >= 80.0 => 5,
        p if p >= 60.0 => 4,
        p if p >= 40.0 => 3,
        p if p >= 20.0 => 2,
        _ => 1,
    };
    let mut last: Option<(u32, f64)> = None;
    for r in rows.iter().filter(|r| r[9] != "closed") {
        let p: f64 = r[2].trim_end_matches('%').parse().unwrap();
        let impact: u32 = r[3].parse().unwrap();
        let score = band(p) * impact;
        assert_eq!(r[4], score.to_string(), "{r:?}");
        let zone = if score >= 12 {
            "High"
        } else if score >= 6 {
            "Medium"
        } else {
            "Low"
        };
        assert_eq!(r[5], zone, "{r:?}");
        let exposure = p / 100.0 * f64::from(impact);
        if let Some((s, e)) = last {
            assert!(
                s > score || (s == score && e >= exposure - 1e-9),
                "out of order at {r:?}"
            );
        }
        last = Some((score, exposure));
    }
    let heat = text(&site, "risks/index.html");
    assert!(heat.contains("20% to under 40%") && !heat.contains("20–40%"));
}

/// No live, non-red dependency is flagged, and no closed initiative raises a flag; every
/// red dependency of an open initiative is.
#[test]
fn dependencies_at_risk_are_real_risks() {
    let (site, p) = sample();
    let rows = table_after(
        text(&site, "dependencies/index.html"),
        "Dependencies at risk",
    );
    let by_title = |t: &str| p.initiatives.iter().find(|i| i.title == t).unwrap();
    let class = |i: &vmo_core::model::Initiative| p.stage(&i.stage).unwrap().class;
    for r in &rows {
        let (from, to) = (by_title(&r[0]), by_title(&r[1]));
        assert_ne!(class(from), StageClass::Closed, "{r:?}");
        if class(to) == StageClass::Operating {
            assert_eq!(to.health, Health::Red, "a live dependency flagged: {r:?}");
        }
        assert!(!r[2].contains("ends"), "{r:?}");
    }
    for i in p
        .initiatives
        .iter()
        .filter(|i| class(i) != StageClass::Closed)
    {
        for d in &i.depends_on {
            let dep = p.initiative(d).unwrap();
            if dep.health == Health::Red {
                assert!(
                    rows.iter()
                        .any(|r| r[0] == i.title && r[1] == dep.title && r[2].contains("is red")),
                    "{} -> {} (red) not flagged",
                    i.id,
                    dep.id
                );
            }
        }
    }
    assert!(!rows.is_empty());
}

/// A rank reads the same everywhere: the rank and count an initiative page gives under
/// each model are its row and the row count of that model's table on the
/// prioritisation page, and closed initiatives are in no table and say so.
#[test]
fn ranks_agree_between_initiative_pages_and_the_prioritisation_page() {
    let (site, p) = sample();
    let doc = Html::parse_document(text(&site, "prioritisation/index.html"));
    let class = |i: &vmo_core::model::Initiative| p.stage(&i.stage).unwrap().class;
    let closed = p
        .initiatives
        .iter()
        .filter(|i| class(i) == StageClass::Closed)
        .count();
    assert!(closed > 0, "the sample has closed work");
    for m in &p.models {
        let section = Selector::parse(&format!(
            "section[aria-labelledby=\"model-{}\"] tbody tr",
            m.id
        ))
        .unwrap();
        let cell = Selector::parse("td, th").unwrap();
        let rows: Vec<Vec<String>> = doc
            .select(&section)
            .map(|r| {
                r.select(&cell)
                    .map(|c| c.text().collect::<String>().trim().to_string())
                    .collect()
            })
            .collect();
        assert!(!rows.is_empty(), "{}", m.id);
        for (n, r) in rows.iter().enumerate() {
            assert_eq!(r[0], (n + 1).to_string());
            let i = p.initiatives.iter().find(|i| i.title == r[1]).unwrap();
            assert_ne!(
                class(i),
                StageClass::Closed,
                "{} ranked under {}",
                i.id,
                m.id
            );
            let page = text(&site, &format!("initiatives/{}/index.html", i.id));
            let said = format!("{}: ", m.name);
            let h3 = page
                .split("<h3>")
                .find(|h| h.starts_with(&said))
                .unwrap_or_else(|| panic!("{}: no {said}", i.id));
            assert!(
                h3.contains(&format!(
                    "(rank {} of {} open initiatives)",
                    n + 1,
                    rows.len()
                )),
                "{} under {}: {h3}",
                i.id,
                m.id
            );
        }
        for i in p
            .initiatives
            .iter()
            .filter(|i| class(i) == StageClass::Closed)
        {
            let page = text(&site, &format!("initiatives/{}/index.html", i.id));
            let h3 = page
                .split("<h3>")
                .find(|h| h.starts_with(&format!("{}: ", m.name)))
                .unwrap();
            assert!(h3.contains("closed: not ranked"), "{}: {h3}", i.id);
        }
    }
}

/// One way to write a number: no page shows a Python-ish `None`, a `NaN` or `inf`, a
/// unit glued to its number (`15.0minutes`), or a raw float in prose.
#[test]
fn no_page_shows_none_nan_or_a_glued_unit() {
    let (site, _) = sample();
    let mut problems = Vec::new();
    for f in site.files.iter().filter(|f| f.path.ends_with(".html")) {
        let doc = Html::parse_document(std::str::from_utf8(&f.bytes).unwrap());
        // A value printed alone in a cell or a span is a text node of its own.
        for node in doc.root_element().text() {
            if matches!(
                node.trim(),
                "None" | "NaN" | "inf" | "-inf" | "undefined" | "null"
            ) {
                problems.push(format!("{}: {}", f.path, node.trim()));
            }
        }
        let text: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
        for word in text.split(|c: char| c.is_whitespace() || "(),;:".contains(c)) {
            if matches!(word, "NaN" | "inf" | "-inf") {
                problems.push(format!("{}: {word}", f.path));
            }
            let glued = word.char_indices().any(|(i, c)| {
                c.is_ascii_digit()
                    && word[i + 1..].starts_with(|d: char| {
                        d.is_alphabetic() && d != 'k' && d != 'M' && d != 'B' && d != 'Q'
                    })
            }) && word.chars().filter(|c| c.is_alphabetic()).count() > 3;
            if glued && !word.contains('-') && !word.contains('/') {
                problems.push(format!("{}: {word}", f.path));
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Reads the way the flows run: where money comes in before it goes out, the page calls
/// a single IRR a borrowing rate (lower is better); where the cumulative recovers and
/// then falls below zero again, the payback says so. Both decided here from the plan's
/// own numbers, not from the engine.
#[test]
fn irr_and_payback_read_the_way_the_flows_run() {
    let (site, p) = sample();
    let mut borrowing = 0;
    let mut dips = 0;
    for i in &p.initiatives {
        let nets: Vec<f64> = i
            .plan
            .benefit
            .iter()
            .zip(&i.plan.cost)
            .map(|(b, c)| b - c)
            .collect();
        let page = text(&site, &format!("initiatives/{}/index.html", i.id));
        let nonzero: Vec<f64> = nets.iter().copied().filter(|v| *v != 0.0).collect();
        let money_in_first =
            nonzero.first().is_some_and(|v| *v > 0.0) && nonzero.iter().any(|v| *v < 0.0);
        let sign_changes = nonzero
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        if money_in_first && sign_changes == 1 {
            borrowing += 1;
            assert!(
                page.contains("a borrowing rate: lower is better"),
                "{}",
                i.id
            );
            assert!(page.contains("Judge it by its NPV or MIRR"), "{}", i.id);
        } else {
            assert!(!page.contains("borrowing rate"), "{}", i.id);
        }
        // The cumulative: below zero, back to zero or above, below again?
        let mut cum = 0.0;
        let (mut recovered, mut dipped_after) = (false, false);
        for v in &nets {
            let next = cum + v;
            if cum < 0.0 && next >= 0.0 {
                recovered = true;
            }
            if recovered && next < 0.0 {
                dipped_after = true;
            }
            cum = next;
        }
        if dipped_after {
            dips += 1;
            let said = if cum < 0.0 {
                "not recovered: reached after"
            } else {
                "then below zero again"
            };
            assert!(page.contains(said), "{}: expected {said:?}", i.id);
        }
    }
    assert!(
        borrowing > 0 && dips > 0,
        "the sample has both cases: {borrowing} {dips}"
    );
}

/// When committed work alone is over the envelope in a period, the page says which
/// period and by how much, in words and amounts, and still shows the selection.
#[test]
fn an_over_committed_envelope_is_said_in_words_and_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/initiatives")).unwrap();
    let minimal = fixture("minimal/content");
    let mut settings = std::fs::read_to_string(minimal.join("portfolio.toml")).unwrap();
    // 2025: €71k of committed and live work (payments 70,000 + web shop 1,000).
    settings.push_str("\n[budget]\nstart = \"2025\"\namounts = [50000, 100000]\n");
    std::fs::write(site.join("content/portfolio.toml"), settings).unwrap();
    for e in std::fs::read_dir(minimal.join("initiatives")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(
            &p,
            site.join("content/initiatives")
                .join(p.file_name().unwrap()),
        )
        .unwrap();
    }
    let built = build(&site);
    let page = text(&built, "prioritisation/index.html");
    assert!(
        page.contains("Committed and live work alone costs more than the envelope in 1 year: 2025 by €21k (€71k committed against an envelope of €50k)"),
        "{page}"
    );
    assert!(!page.contains("[7"), "a raw array on the page");
}

/// Committed and live initiatives show what continuing is worth: the CSV's
/// `remaining_npv` is the flows after `as_of` (the current period pro-rated by days),
/// discounted to `as_of`, recomputed here; proposed and closed ones show no such tile.
#[test]
fn remaining_value_is_what_is_still_to_come() {
    let (site, p) = sample();
    let s = &p.settings;
    let cal = &s.calendar;
    let csv = text(&site, "data/initiatives.csv");
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = head.iter().position(|h| *h == "remaining_npv").unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let day = |d: vmo_core::Date| d.days_since_epoch() as f64;
    let mut checked = 0;
    for (i, row) in p.initiatives.iter().zip(&rows) {
        assert_eq!(&row[0], i.id.as_str());
        let class = p.stage(&i.stage).unwrap().class;
        let page = text(&site, &format!("initiatives/{}/index.html", i.id));
        if !matches!(class, StageClass::Committed | StageClass::Operating) {
            assert_eq!(&row[col], "", "{}", i.id);
            assert!(!page.contains("Remaining value"), "{}", i.id);
            continue;
        }
        assert!(page.contains("Remaining value"), "{}", i.id);
        let years_per_period = match cal.cadence {
            vmo_core::Cadence::Year => 1.0,
            vmo_core::Cadence::Quarter => 0.25,
        };
        let offset = match s.discounting {
            vmo_core::model::Discounting::EndOfPeriod => 1.0,
            vmo_core::model::Discounting::MidPeriod => 0.5,
            vmo_core::model::Discounting::StartOfPeriod => 0.0,
        };
        // What is left of the current period, in periods; a period j ahead starts that
        // much plus j - 1 periods after as_of, and its flow is at the convention's point.
        let now = cal.period_of(s.as_of);
        let length = |per| day(cal.end_date(per)) - day(cal.start_date(per)) + 1.0;
        let left_now = (day(cal.end_date(now)) - day(s.as_of)) / length(now);
        let mut want = 0.0;
        for (k, per) in i.plan.periods().enumerate() {
            let net = i.plan.benefit[k] - i.plan.cost[k];
            let ahead = per.0 - now.0;
            let (part, t) = match ahead {
                a if a < 0 => continue,
                0 => (left_now, offset * left_now),
                a => (1.0, left_now + f64::from(a - 1) + offset),
            };
            want += net * part / (1.0 + s.discount_rate).powf(t * years_per_period);
        }
        let got: f64 = row[col].parse().unwrap();
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{}: {got} vs {want}",
            i.id
        );
        checked += 1;
    }
    assert!(checked > 5, "{checked}");
}

/// Money as a table writes it (`€1,234,567`, `−€5`), as a number.
fn money_cell(s: &str) -> Option<f64> {
    let neg = s.starts_with('−') || s.starts_with('-');
    let digits: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let x: f64 = digits.parse().ok()?;
    Some(if neg { -x } else { x })
}

/// The benefits chart covers the whole plan, and compares the current period's plan
/// pro-rated to `as_of` with its actuals: its planned column sums to the lifetime plan
/// (less the part of the current period still to come), and up to the current period
/// to the "planned to date" the tiles give.
#[test]
fn the_benefits_chart_covers_the_plan_and_pro_rates_as_the_tiles_do() {
    let (site, _) = sample();
    let json: serde_json::Value = serde_json::from_str(text(&site, "data/portfolio.json")).unwrap();
    let totals = &json["totals"];
    let html = text(&site, "benefits/index.html");
    let doc = Html::parse_document(html);
    let caption = Selector::parse("table caption, details summary").unwrap();
    let table = doc
        .select(&Selector::parse("table").unwrap())
        .find(|t| {
            t.select(&caption).any(|c| {
                c.text()
                    .collect::<String>()
                    .contains("Benefits: planned vs realised")
            }) || t.text().collect::<String>().contains("Realised benefit")
        })
        .unwrap();
    let rows: Vec<Vec<String>> = table
        .select(&Selector::parse("tbody tr").unwrap())
        .map(|r| {
            r.select(&Selector::parse("th, td").unwrap())
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect();
    let current = rows
        .iter()
        .position(|r| r[0].ends_with(" to date"))
        .expect("the current period is labelled");
    let planned: Vec<f64> = rows.iter().map(|r| money_cell(&r[1]).unwrap()).collect();
    let to_date: f64 = planned[..=current].iter().sum();
    let want = totals["planned_benefit_to_date"].as_f64().unwrap();
    assert!(
        (to_date - want).abs() <= 1.0 * rows.len() as f64,
        "{to_date} vs {want}"
    );
    let lifetime = totals["planned_benefit"].as_f64().unwrap();
    let shown: f64 = planned.iter().sum();
    assert!(
        shown <= lifetime + 1.0 && shown > 0.8 * lifetime,
        "{shown} of {lifetime}"
    );
    assert!(rows.len() > 6, "every period of the plan: {}", rows.len());
}

/// Every chart links to the section of the methods page that says how it is computed,
/// and every such link resolves to a heading there.
#[test]
fn every_chart_links_to_its_method() {
    let (site, _) = sample();
    let methods = text(&site, "methods/index.html");
    let mut charts = 0;
    for f in site.files.iter().filter(|f| f.path.ends_with(".html")) {
        let page = std::str::from_utf8(&f.bytes).unwrap();
        let figures = page.matches("<figure class=\"chart\">").count();
        let links: Vec<&str> = page
            .split("methods/index.html#")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        let explained = page.matches("class=\"chart-method small\"").count();
        assert_eq!(
            figures, explained,
            "{}: {figures} charts, {explained} method links",
            f.path
        );
        for id in links {
            assert!(
                methods.contains(&format!("id=\"{id}\"")),
                "{}: #{id} is not on the methods page",
                f.path
            );
        }
        charts += figures;
    }
    assert!(charts > 100, "{charts}");
    let words = methods.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("SPI(t)") && words.contains("borrowing rate"));
}

/// One way to write an amount (see the opening of `docs/methods.md`): in every list that
/// compares initiatives, on every page (reports included), an initiative's amount under
/// a given heading reads the same, and it is the short form (never `€1,234,567`); the
/// full form is kept for one initiative's own tables and the data tables under charts.
#[test]
fn an_amount_reads_the_same_in_every_list() {
    use std::collections::BTreeMap;
    let (site, portfolio) = sample();
    let table = Selector::parse("table").unwrap();
    let head = Selector::parse("thead th").unwrap();
    let row = Selector::parse("tbody tr").unwrap();
    let cell = Selector::parse("th, td").unwrap();
    let link = Selector::parse("a[href]").unwrap();
    let full = |s: &str| {
        s.contains('€')
            && s.chars().collect::<Vec<_>>().windows(4).any(|w| {
                w[0].is_ascii_digit()
                    && w[1] == ','
                    && w[2].is_ascii_digit()
                    && w[3].is_ascii_digit()
            })
    };
    // (initiative, heading) -> (text, page)
    let mut seen: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    let mut compared = 0;
    for f in &site.files {
        if !f.path.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(std::str::from_utf8(&f.bytes).unwrap());
        for t in doc.select(&table) {
            // Data tables under charts give every value in full, by design.
            if t.ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| a.value().name() == "details")
            {
                continue;
            }
            let heads: Vec<String> = t
                .select(&head)
                .map(|h| h.text().collect::<String>().trim().to_string())
                .collect();
            for r in t.select(&row) {
                let cells: Vec<_> = r.select(&cell).collect();
                // A row of one initiative: its first link goes to its page.
                let Some(id) = r.select(&link).find_map(|a| {
                    let href = a.value().attr("href")?;
                    let rest = href.split("initiatives/").nth(1)?;
                    let id = rest.strip_suffix("/index.html")?;
                    portfolio
                        .initiatives
                        .iter()
                        .any(|i| i.id == id)
                        .then(|| id.to_string())
                }) else {
                    continue;
                };
                for (h, c) in heads.iter().zip(&cells) {
                    let s = c.text().collect::<String>().trim().to_string();
                    if !s.contains('€') {
                        continue;
                    }
                    assert!(
                        !full(&s),
                        "{}: {id}'s {h} reads {s} in a list; lists give short amounts",
                        f.path
                    );
                    compared += 1;
                    let key = (id.clone(), h.clone());
                    match seen.get(&key) {
                        Some((before, page)) => assert_eq!(
                            before, &s,
                            "{id}'s {h} reads {before} on {page} and {s} on {}",
                            f.path
                        ),
                        None => {
                            seen.insert(key, (s, f.path.clone()));
                        }
                    }
                }
            }
        }
    }
    assert!(compared > 300, "{compared} amounts compared");
    // The same heading across pages: at least some initiative appears under "Cost" in
    // more than one list (the initiatives list, value streams, objectives, reports).
    assert!(seen.keys().any(|(_, h)| h == "Cost"));
}
