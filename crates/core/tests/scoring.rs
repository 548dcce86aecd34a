//! Ranking a portfolio under each model.

mod common;

use vmo_core::scoring::{ScoreError, rank};
use vmo_core::*;

fn wsjf(bv: f64, tc: f64, rr: f64, size: f64) -> Option<WsjfInputs> {
    Some(WsjfInputs {
        business_value: bv,
        time_criticality: tc,
        risk_reduction: rr,
        job_size: size,
    })
}

#[test]
fn wsjf_ranking_novacalculator_example() {
    // novacalculator.com "Cost of Delay & WSJF" worked example 1: Security Patch 11,
    // New Dashboard 3, Mobile App 2.25, API Refactor 1.75.
    let mut items = vec![
        common::initiative("api-refactor"),
        common::initiative("mobile-app"),
        common::initiative("new-dashboard"),
        common::initiative("security-patch"),
        common::initiative("unscored"),
    ];
    items[0].wsjf = wsjf(4.0, 3.0, 7.0, 8.0);
    items[1].wsjf = wsjf(9.0, 5.0, 4.0, 8.0);
    items[2].wsjf = wsjf(8.0, 4.0, 3.0, 5.0);
    items[3].wsjf = wsjf(5.0, 9.0, 8.0, 2.0);
    let r = rank(&common::model("wsjf", Method::Wsjf), &items, &[]);
    let order: Vec<(usize, usize, f64)> = r
        .ranked
        .iter()
        .map(|x| (x.index, x.rank, x.score.value))
        .collect();
    assert_eq!(
        order,
        [(3, 1, 11.0), (2, 2, 3.0), (1, 3, 2.25), (0, 4, 1.75)]
    );
    assert_eq!(r.unscored.len(), 1);
    assert_eq!(r.unscored[0].index, 4);
    assert_eq!(
        r.unscored[0].reason,
        ScoreError::MissingInputs { method: "WSJF" }
    );
}

#[test]
fn ties_are_broken_by_id_and_bad_inputs_are_unscored() {
    let mut items = vec![
        common::initiative("b"),
        common::initiative("a"),
        common::initiative("c"),
    ];
    items[0].wsjf = wsjf(1.0, 1.0, 1.0, 1.0);
    items[1].wsjf = wsjf(1.0, 1.0, 1.0, 1.0);
    items[2].wsjf = wsjf(1.0, 1.0, 1.0, 0.0);
    let r = rank(&common::model("wsjf", Method::Wsjf), &items, &[]);
    let order: Vec<usize> = r.ranked.iter().map(|x| x.index).collect();
    assert_eq!(order, [1, 0]);
    assert!(matches!(
        r.unscored[0].reason,
        ScoreError::ZeroDenominator { .. }
    ));
}

#[test]
fn weighted_scores_do_not_depend_on_the_set() {
    let p = common::portfolio();
    let model = &p.models[2];
    let both = rank(model, &p.initiatives, &p.criteria);
    let alone = rank(model, &p.initiatives[..1], &p.criteria);
    assert_eq!(both.ranked[0].score, alone.ranked[0].score);
    // beta gives no criterion scores.
    assert_eq!(both.unscored[0].index, 1);
}
