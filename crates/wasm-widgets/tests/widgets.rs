//! The widgets' logic on the sample portfolio: scenario links round-trip, bad input is an
//! inline message, filters and sorts do what they say, a selection respects the budget.

use std::path::Path;
use vmo_widgets::explore::{ExploreQuery, explore};
use vmo_widgets::prioritise::{self, PrioritiseForm};
use vmo_widgets::{Session, whatif};

fn session() -> Session {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let (site, diags) = vmo_generator::check_site(&root, None);
    let site = site.unwrap_or_else(|| panic!("the sample site does not build: {diags:?}"));
    let f = site
        .files
        .iter()
        .find(|f| f.path == "data/portfolio.json")
        .expect("portfolio.json");
    Session::from_json(std::str::from_utf8(&f.bytes).expect("utf-8")).expect("session")
}

#[test]
fn a_scenario_link_reproduces_the_scenario() {
    let s = session();
    let ids: Vec<String> = s
        .portfolio
        .initiatives
        .iter()
        .map(|i| i.id.clone())
        .collect();
    let form = PrioritiseForm {
        model: s.portfolio.models.last().expect("model").id.clone(),
        value: "score".into(),
        budget: "80".into(),
        weights: Default::default(),
        pinned: vec![ids[3].clone()],
        excluded: vec![ids[5].clone(), ids[1].clone()],
    };
    let view = prioritise::evaluate(&s, &form).expect("view");
    let again = prioritise::evaluate(&s, &prioritise::from_hash(&s, &view.hash)).expect("again");
    assert_eq!(again.hash, view.hash);
    assert_eq!(again.selection, view.selection);
    assert_eq!(again.ranking, view.ranking);
    // The baseline's link is short: nothing but the model.
    let base = prioritise::evaluate(&s, &prioritise::default_form(&s, "")).expect("base");
    assert_eq!(base.hash, format!("model={}", s.portfolio.models[0].id));
}

#[test]
fn re_ranking_alone_is_the_scenario_ranking() {
    let s = session();
    for model in &s.portfolio.models {
        let mut form = prioritise::default_form(&s, &model.id);
        // Re-weight a weighted model so the ranking differs from the page's.
        if let Some(c) = s.portfolio.criteria.first() {
            form.weights.insert(c.id.clone(), "40".into());
        }
        let view = prioritise::evaluate(&s, &form).expect("view");
        let ranked = prioritise::rank(&s, &form).expect("rank");
        let scored: Vec<(String, f64)> = view
            .ranking
            .iter()
            .filter_map(|r| Some((r.id.clone(), r.score?)))
            .collect();
        assert!(!ranked.is_empty(), "{}", model.id);
        assert_eq!(ranked, scored, "{}", model.id);
    }
}

#[test]
fn the_selection_fits_the_budget_and_keeps_dependencies() {
    let s = session();
    for budget in ["0", "50", "80", "100", "150"] {
        let form = PrioritiseForm {
            budget: budget.into(),
            ..prioritise::default_form(&s, "")
        };
        let v = prioritise::evaluate(&s, &form).expect("view");
        if budget == "0" {
            // Committed work alone is over a zero budget: the page must say so.
            assert!(
                v.warnings
                    .iter()
                    .any(|w| w.contains("alone costs more than the budget in")),
                "{:?}",
                v.warnings
            );
        }
        let Some(sel) = v.selection else {
            // An envelope too small for the committed work and what it depends on has no
            // selection, and says so; the envelope as set always has one.
            assert!(budget != "100" && budget != "150", "{budget}");
            assert!(
                v.warnings
                    .iter()
                    .any(|w| w.contains("cost more than the budget"))
            );
            continue;
        };
        assert!(sel.exact);
        // What is selected (and what funding down the ranking takes) costs no more than
        // the budget in any period of the envelope: the envelope at this percentage,
        // or the cost of committed work where that alone is over it.
        let problem = vmo_core::budget::budget_problem(
            &s.portfolio,
            &s.analysis,
            budget.parse::<f64>().expect("budget") / 100.0,
        )
        .expect("the sample sets a budget envelope");
        let limits = problem.effective_budget();
        let item = |id: &str| {
            problem
                .items
                .iter()
                .find(|x| x.id == id)
                .unwrap_or_else(|| panic!("{id} is not a candidate"))
        };
        let cost_of = |chosen: &[&str]| -> Vec<f64> {
            (0..limits.len())
                .map(|n| chosen.iter().map(|id| item(id).cost[n]).sum())
                .collect()
        };
        let chosen: Vec<&str> = sel.chosen.iter().map(String::as_str).collect();
        let by_rank: Vec<&str> = v
            .ranking
            .iter()
            .filter(|r| r.rank_funded)
            .map(|r| r.id.as_str())
            .collect();
        for (what, ids) in [("selection", &chosen), ("funding by rank", &by_rank)] {
            for ((cost, limit), period) in cost_of(ids).iter().zip(&limits).zip(&problem.periods) {
                assert!(
                    vmo_core::selection::fits(*cost, *limit),
                    "{budget}%: the {what} costs {cost} in {period:?}, over its budget {limit}"
                );
            }
        }
        // Committed work is always in, and the cost shown is the cost checked.
        for x in problem.items.iter().filter(|x| x.pinned) {
            assert!(
                chosen.contains(&x.id.as_str()),
                "{budget}%: {} dropped",
                x.id
            );
        }
        assert_eq!(
            sel.cost_text,
            // A total reads short (the opening of docs/methods.md).
            vmo_widgets::format::money_short(cost_of(&chosen).iter().sum(), s.currency()),
            "{budget}%"
        );
        // Funding down the ranking obeys the same rules, so it is never worth more.
        assert!(
            sel.value >= v.rank_funded_value - 1e-6,
            "{budget}: exact {} < by rank {}",
            sel.value,
            v.rank_funded_value
        );
        for r in v.ranking.iter().filter(|r| r.selected) {
            let i = &s.portfolio.initiatives[s.index(&r.id).expect("id")];
            for d in &i.depends_on {
                let dep = v.ranking.iter().find(|x| &x.id == d);
                assert!(dep.is_none_or(|x| x.selected), "{} needs {d}", r.id);
            }
        }
        // The frontier never decreases with the budget.
        assert!(
            v.frontier
                .windows(2)
                .all(|w| w[1].value >= w[0].value - 1e-6)
        );
    }
}

#[test]
fn bad_input_is_an_inline_message_not_an_error() {
    let s = session();
    let id = &s.portfolio.initiatives[0].id;
    let base = whatif::baseline(&s, id).expect("baseline");
    for (field, value) in [
        ("cost_overrun", "abc"),
        ("cost_overrun", "-150"),
        ("benefit_realisation", ""),
        ("delay", "1.5"),
        ("delay", "100000"),
        ("discount_rate", "-100"),
        ("discount_rate", "NaN"),
        ("horizon", "0"),
        ("trials", "10000000"),
        ("discounting", "sometimes"),
    ] {
        let mut form = base.form.clone();
        match field {
            "cost_overrun" => form.cost_overrun = value.into(),
            "benefit_realisation" => form.benefit_realisation = value.into(),
            "delay" => form.delay = value.into(),
            "discount_rate" => form.discount_rate = value.into(),
            "horizon" => form.horizon = value.into(),
            "trials" => form.trials = value.into(),
            _ => form.discounting = value.into(),
        }
        let v = whatif::scenario(&s, &form).expect("no hard error");
        assert_eq!(v.errors.len(), 1, "{field}={value}: {:?}", v.errors);
        assert_eq!(v.errors[0].field, field);
        assert!(v.case.is_none());
    }
    let bad = prioritise::evaluate(
        &s,
        &PrioritiseForm {
            budget: "lots".into(),
            ..prioritise::default_form(&s, "")
        },
    )
    .expect("view");
    assert_eq!(bad.errors[0].field, "budget");
    assert!(bad.selection.is_some(), "the default budget stands in");
}

#[test]
fn a_scenario_moves_the_numbers_the_expected_way() {
    let s = session();
    let id = &s.portfolio.initiatives[0].id;
    let base = whatif::baseline(&s, id).expect("baseline");
    let npv = |f: &whatif::WhatIfForm| {
        whatif::scenario(&s, f)
            .expect("view")
            .case
            .expect("case")
            .npv
            .expect("npv")
    };
    let b = npv(&base.form);
    let mut worse = base.form.clone();
    worse.cost_overrun = "30".into();
    assert!(npv(&worse) < b);
    worse.delay = "2".into();
    let delayed = npv(&worse);
    worse.benefit_realisation = "60".into();
    assert!(npv(&worse) < delayed);
}

/// Closed work is ranked nowhere: sorted by a model's score, every closed initiative
/// comes after every scored one, and says why it has no score.
#[test]
fn explorer_sorts_closed_initiatives_last_by_score() {
    let s = session();
    let model = &s.portfolio.models[0].id;
    let v = explore(
        &s,
        &ExploreQuery {
            sort: format!("score:{model}"),
            desc: true,
            ..Default::default()
        },
    );
    let closed = |id: &str| {
        let i = &s.portfolio.initiatives[s.index(id).expect("id")];
        s.portfolio
            .stage(&i.stage)
            .is_some_and(|st| st.class == vmo_core::model::StageClass::Closed)
    };
    let first_closed = v
        .rows
        .iter()
        .position(|r| closed(&r.id))
        .expect("the sample has closed work");
    assert!(first_closed > 0);
    for r in &v.rows[first_closed..] {
        if closed(&r.id) {
            assert_eq!(r.metric_text, "closed: not ranked");
        } else {
            assert!(
                r.metric_text.parse::<f64>().is_err(),
                "scored after a closed one: {r:?}"
            );
        }
    }
}

#[test]
fn explorer_filters_and_sorts() {
    let s = session();
    let all = explore(&s, &ExploreQuery::default());
    assert_eq!(all.count, s.portfolio.initiatives.len());
    let stage = s.portfolio.initiatives[0].stage.clone();
    let v = explore(
        &s,
        &ExploreQuery {
            stage: stage.clone(),
            sort: "npv".into(),
            desc: true,
            ..Default::default()
        },
    );
    assert!(v.count > 0 && v.count < all.count);
    let npvs: Vec<f64> = v
        .rows
        .iter()
        .map(|r| {
            let k = s.index(&r.id).expect("id");
            *s.analysis.initiatives[k]
                .business_case
                .npv
                .value()
                .expect("npv")
        })
        .collect();
    assert!(npvs.windows(2).all(|w| w[0] >= w[1]));
    let title = &s.portfolio.initiatives[2].title;
    let word = title
        .split_whitespace()
        .next()
        .expect("word")
        .to_uppercase();
    let found = explore(
        &s,
        &ExploreQuery {
            text: word,
            ..Default::default()
        },
    );
    assert!(found.rows.iter().any(|r| &r.title == title));
    assert!(found.rows.iter().all(|r| r.url.starts_with("initiatives/")));
}
