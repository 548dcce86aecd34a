//! Variance against plan: the rule of `vmo_core::variance` on the hand-built fixture,
//! at and either side of each threshold.

#![allow(clippy::unwrap_used, reason = "a test panics with the failure")]

mod common;

use vmo_core::analysis::InitiativeMetrics;
use vmo_core::variance::{Rag, Stale, TOLERANCES, assess};
use vmo_core::*;

fn metrics(p: &Portfolio, id: &str) -> InitiativeMetrics {
    let a = analyse(p);
    a.initiatives
        .into_iter()
        .find(|m| m.id == id)
        .expect("the fixture has it")
}

/// `alpha` with a plan of 100 a year from 2025 and `cost` spent to date (as of
/// 2026-06-30: 181/365 of 2026 elapsed).
fn spending(cost_2026: f64) -> Portfolio {
    let mut p = common::portfolio();
    let a = &mut p.initiatives[0];
    a.plan = CashPlan {
        start: Period(2025),
        cost: vec![100.0, 100.0, 100.0],
        benefit: vec![0.0, 0.0, 0.0],
    };
    a.actuals = Some(CashPlan {
        start: Period(2025),
        cost: vec![100.0, cost_2026],
        benefit: vec![0.0, 0.0],
    });
    a.milestones.clear();
    a.kpis.clear();
    p
}

#[test]
fn cost_is_rated_by_its_share_over_the_plan_to_date() {
    let planned = 100.0 + 100.0 * 181.0 / 365.0;
    // Spend so that the overrun is exactly `share` of the plan to date.
    let at = |share: f64| {
        let p = spending(planned * (1.0 + share) - 100.0);
        let m = metrics(&p, "alpha");
        assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap()
    };
    assert_eq!(at(0.0).cost, Rag::Green);
    assert_eq!(at(0.049).cost, Rag::Green);
    assert_eq!(at(0.051).cost, Rag::Amber);
    assert_eq!(at(0.099).cost, Rag::Amber);
    assert_eq!(at(0.101).cost, Rag::Red);
    // Underspending is not rated.
    assert_eq!(at(-0.5).cost, Rag::Green);
    let v = at(0.2);
    assert!((v.cost_over.unwrap() - 0.2).abs() < 1e-9);
    assert_eq!(v.overall, Rag::Red);
    // No benefit planned yet: not rated, and said so.
    assert_eq!(v.benefits_realised, None);
    assert_eq!(v.benefits, Rag::Green);
}

#[test]
fn benefits_dates_and_stale_figures() {
    let mut p = common::portfolio();
    // The fixture's alpha: 150 spent against 124.8 planned to date (20% over), 30 of
    // 29.75 benefits (101%).
    let m = metrics(&p, "alpha");
    let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
    assert_eq!(v.cost, Rag::Red);
    assert_eq!(v.benefits, Rag::Green);
    assert!((v.benefits_realised.unwrap() - 30.0 / (60.0 * 181.0 / 365.0)).abs() < 1e-12);

    // Benefits: 80% of plan is amber, below it red.
    let planned = 60.0 * 181.0 / 365.0;
    for (got, want) in [
        (0.95, Rag::Green),
        (0.9, Rag::Amber),
        (0.8, Rag::Amber),
        (0.79, Rag::Red),
    ] {
        p.initiatives[0].actuals.as_mut().unwrap().benefit = vec![0.0, planned * got];
        let m = metrics(&p, "alpha");
        let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
        assert_eq!(v.benefits, want, "{got}");
    }

    // Dates: any overdue milestone is amber, over 30 days red; done ones do not count.
    let a = &mut p.initiatives[0];
    a.milestones = vec![
        common::milestone("Pilot", "2026-06-10", None),
        common::milestone("Design", "2026-01-10", Some("2026-03-01")),
    ];
    let m = metrics(&p, "alpha");
    let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
    assert_eq!(v.most_overdue, Some(("Pilot".to_string(), 20)));
    assert_eq!(v.dates, Rag::Amber);
    p.initiatives[0]
        .milestones
        .push(common::milestone("Go-live", "2026-05-30", None));
    let m = metrics(&p, "alpha");
    let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
    assert_eq!(v.most_overdue, Some(("Go-live".to_string(), 31)));
    assert_eq!(v.dates, Rag::Red);
    // A committed initiative past its planned end is overdue from it.
    p.initiatives[0].milestones.clear();
    p.initiatives[0].end = common::date("2026-06-29");
    let m = metrics(&p, "alpha");
    let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
    assert_eq!(v.most_overdue, Some(("the planned end".to_string(), 1)));

    // Stale: actuals for the last closed year (2025) are there; the fixture's KPI was
    // last read on 2026-01-01, 180 days before the as-of date.
    let kpi = |last: &str, days: i64| Stale::Kpi {
        name: "NPS".into(),
        last: common::date(last),
        days,
    };
    assert_eq!(v.stale, [kpi("2026-01-01", 180)]);
    p.initiatives[0].actuals = None;
    let m = metrics(&p, "alpha");
    let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
    assert_eq!(
        v.stale,
        [
            Stale::Actuals {
                expected: Period(2025),
                last: None
            },
            kpi("2026-01-01", 180)
        ]
    );
    // A KPI read more than 120 days before the as-of date is stale.
    p.initiatives[0].kpis[0].actuals = vec![DatedValue {
        date: common::date("2026-03-01"),
        value: 12.0,
    }];
    let m = metrics(&p, "alpha");
    let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
    assert_eq!(v.stale[1], kpi("2026-03-01", 121));
    // ... and one read 120 days before it is not.
    p.initiatives[0].kpis[0].actuals[0].date = common::date("2026-03-02");
    let m = metrics(&p, "alpha");
    let v = assess(&p.settings, &p.initiatives[0], &m, &TOLERANCES).unwrap();
    assert_eq!(v.stale.len(), 1);

    // Proposed work is not rated.
    let m = metrics(&p, "beta");
    assert_eq!(
        assess(&p.settings, &p.initiatives[1], &m, &TOLERANCES),
        None
    );
}
