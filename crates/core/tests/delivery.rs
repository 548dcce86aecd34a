//! Earned value on hand-computed cases.

mod common;

use common::{date, milestone};
use vmo_core::delivery::*;
use vmo_core::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn v(i: Indicator) -> f64 {
    i.value()
        .unwrap_or_else(|| panic!("expected a value, got {i:?}"))
}

fn na(reason: Unavailable) -> Indicator {
    Indicator::Unavailable { reason }
}

#[test]
fn alpha_by_hand() {
    // common::portfolio(): calendar years, as of 2026-06-30. Plan cost 100, 50, 0 and
    // benefit 0, 60, 121 for 2025..2027; actual cost 110, 40 and benefit 0, 30.
    let p = common::portfolio();
    let ev = earned_value(&p.settings, &p.initiatives[0]);
    // 2026-01-01..2026-06-30 is 31+28+31+30+31+30 = 181 of 365 days.
    let f = 181.0 / 365.0;
    assert_eq!(ev.period, Period(2026));
    assert_eq!(ev.period_label, "2026");
    assert!(close(ev.period_elapsed, f));
    // BAC = 150; PV = 100 + 50 f = 124.79452; AC = 110 + 40 = 150.
    assert_eq!(ev.budget_at_completion, 150.0);
    assert!(close(ev.planned_value, 100.0 + 50.0 * f));
    assert_eq!(ev.actual_cost, 150.0);
    // Milestones done by as_of: 2025-06-01 and 2026-01-15, 2 of 4: EV = 75.
    assert_eq!((ev.milestones_done, ev.milestones_total), (2, 4));
    assert_eq!(v(ev.percent_complete), 0.5);
    assert_eq!(v(ev.earned_value), 75.0);
    // CV = 75 - 150; SV = 75 - 124.79; CPI = 0.5; SPI = 75 / 124.79 = 0.60099.
    assert_eq!(v(ev.cost_variance), -75.0);
    assert!(close(v(ev.schedule_variance), 75.0 - (100.0 + 50.0 * f)));
    assert_eq!(v(ev.cpi), 0.5);
    assert!(close(v(ev.spi), 75.0 / (100.0 + 50.0 * f)));
    assert!((v(ev.spi) - 0.600988).abs() < 5e-7);
    // EAC = 150 / 0.5 = 300; ETC = 300 - 150; VAC = 150 - 300.
    assert_eq!(v(ev.estimate_at_completion), 300.0);
    assert_eq!(v(ev.estimate_to_complete), 150.0);
    assert_eq!(v(ev.variance_at_completion), -150.0);
    // BAC - AC = 0: the budget is spent.
    assert_eq!(ev.tcpi, na(Unavailable::BudgetSpent));
    // Benefits: planned to date 60 f = 29.753; actual 30; realised 30 / 29.753 = 1.0083;
    // of the total 30 / 181; forecast 30 + 181 - 29.753 = 181.247.
    let b = &ev.benefits;
    assert_eq!(b.planned_total, 181.0);
    assert!(close(b.planned_to_date, 60.0 * f));
    assert_eq!(b.actual_to_date, 30.0);
    assert!(close(v(b.realised_to_date), 30.0 / (60.0 * f)));
    assert!(close(v(b.realised_of_total), 30.0 / 181.0));
    assert!(close(b.forecast_at_completion, 30.0 + 181.0 - 60.0 * f));
    // The analysis' figures to date use the same pro rata rule.
    let a = analyse(&p);
    assert!(close(
        a.initiatives[0].to_date.planned_cost,
        ev.planned_value
    ));
    assert!(close(
        a.initiatives[0].to_date.planned_benefit,
        b.planned_to_date
    ));
}

#[test]
fn alpha_s_curve_rows() {
    let p = common::portfolio();
    let ev = earned_value(&p.settings, &p.initiatives[0]);
    let f = 181.0 / 365.0;
    let labels: Vec<&str> = ev.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2025", "2026", "2027"]);
    let r = &ev.rows;
    // 2025: whole year; one milestone (2025-06-01) done by 2025-12-31: EV = 150/4.
    assert_eq!(r[0].date, date("2025-12-31"));
    assert_eq!((r[0].planned_cost, r[0].planned_value), (100.0, 100.0));
    assert_eq!(r[0].actual_cost, Some(110.0));
    assert_eq!(r[0].earned_value, Some(37.5));
    // 2026: at as_of.
    assert_eq!(r[1].date, date("2026-06-30"));
    assert!(close(r[1].planned_value, 100.0 + 50.0 * f));
    assert_eq!(r[1].actual_cost, Some(150.0));
    assert_eq!(r[1].earned_value, Some(75.0));
    // 2027: the future: plan only.
    assert_eq!(r[2].date, date("2027-12-31"));
    assert_eq!(r[2].planned_value, 150.0);
    assert_eq!((r[2].actual_cost, r[2].earned_value), (None, None));
}

#[test]
fn quarters_with_tcpi() {
    // Calendar quarters; 2025-Q1 is Jan 1..Mar 31 (90 days); as of Feb 14: 31 + 14 = 45
    // days elapsed, half the quarter.
    let cal = Calendar {
        cadence: Cadence::Quarter,
        fiscal_year_start_month: 1,
    };
    let q1 = cal.parse("2025-Q1").unwrap();
    let plan = CashPlan {
        start: q1,
        cost: vec![100.0, 100.0],
        benefit: vec![0.0, 50.0],
    };
    let actuals = CashPlan {
        start: q1,
        cost: vec![60.0],
        benefit: vec![0.0],
    };
    let ms = [
        milestone("a", "2025-02-01", Some("2025-02-01")),
        milestone("b", "2025-03-01", None),
        milestone("c", "2025-05-01", None),
        // Done after as_of: not counted yet.
        milestone("d", "2025-06-01", Some("2025-02-20")),
    ];
    let ev = earned_value_of(&cal, date("2025-02-14"), &plan, Some(&actuals), &ms);
    assert_eq!(ev.period_elapsed, 0.5);
    // BAC 200; PV 50; AC 60; EV = 200 / 4 = 50.
    assert_eq!(
        (ev.budget_at_completion, ev.planned_value, ev.actual_cost),
        (200.0, 50.0, 60.0)
    );
    assert_eq!(v(ev.earned_value), 50.0);
    // CPI 50/60; SPI 1; EAC 200/(5/6) = 240; ETC 180; VAC -40; TCPI 150/140.
    assert!(close(v(ev.cpi), 5.0 / 6.0));
    assert_eq!(v(ev.spi), 1.0);
    assert!(close(v(ev.estimate_at_completion), 240.0));
    assert!(close(v(ev.estimate_to_complete), 180.0));
    assert!(close(v(ev.variance_at_completion), -40.0));
    assert!(close(v(ev.tcpi), 150.0 / 140.0));
    assert_eq!(v(ev.schedule_variance), 0.0);
    assert_eq!(v(ev.cost_variance), -10.0);
    // No benefit planned yet.
    let b = &ev.benefits;
    assert_eq!(b.realised_to_date, na(Unavailable::ZeroPlannedBenefit));
    assert_eq!(v(b.realised_of_total), 0.0);
    assert_eq!(b.forecast_at_completion, 50.0);
    // Rows: Q1 at as_of, Q2 future.
    assert_eq!(ev.rows.len(), 2);
    assert_eq!(ev.rows[0].label, "2025-Q1");
    assert_eq!(ev.rows[0].planned_value, 50.0);
    assert_eq!(ev.rows[1].planned_value, 200.0);
    assert_eq!(ev.rows[1].actual_cost, None);
}

#[test]
fn typed_unavailability() {
    let cal = Calendar {
        cadence: Cadence::Year,
        fiscal_year_start_month: 1,
    };
    let plan = CashPlan {
        start: Period(2025),
        cost: vec![100.0],
        benefit: vec![0.0],
    };
    // No milestones: EV and everything built on it.
    let ev = earned_value_of(&cal, date("2025-07-01"), &plan, None, &[]);
    for i in [
        ev.percent_complete,
        ev.earned_value,
        ev.cpi,
        ev.spi,
        ev.estimate_at_completion,
        ev.tcpi,
        ev.cost_variance,
    ] {
        assert_eq!(i, na(Unavailable::NoMilestones));
    }
    assert_eq!(ev.actual_cost, 0.0);
    assert_eq!(
        ev.benefits.realised_of_total,
        na(Unavailable::ZeroTotalBenefit)
    );
    // Nothing spent: CPI unavailable; nothing earned: EAC unavailable.
    let ms = [milestone("m", "2025-12-31", None)];
    let ev = earned_value_of(&cal, date("2025-07-01"), &plan, None, &ms);
    assert_eq!(v(ev.earned_value), 0.0);
    assert_eq!(ev.cpi, na(Unavailable::ZeroActualCost));
    assert_eq!(ev.estimate_at_completion, na(Unavailable::ZeroActualCost));
    assert_eq!(v(ev.spi), 0.0);
    // Before the plan starts: PV = 0.
    let ev = earned_value_of(&cal, date("2024-07-01"), &plan, None, &ms);
    assert_eq!(ev.planned_value, 0.0);
    assert_eq!(ev.spi, na(Unavailable::ZeroPlannedValue));
    // Spent but nothing earned: CPI 0, EAC unavailable.
    let actuals = CashPlan {
        start: Period(2025),
        cost: vec![10.0],
        benefit: vec![0.0],
    };
    let ev = earned_value_of(&cal, date("2025-07-01"), &plan, Some(&actuals), &ms);
    assert_eq!(v(ev.cpi), 0.0);
    assert_eq!(ev.estimate_at_completion, na(Unavailable::ZeroEarnedValue));
    // Serialised like analysis::Computed.
    assert_eq!(
        serde_json::to_string(&ev.estimate_at_completion).unwrap(),
        r#"{"status":"unavailable","reason":"zero-earned-value"}"#
    );
    assert_eq!(
        serde_json::to_string(&ev.cpi).unwrap(),
        r#"{"status":"ok","value":0.0}"#
    );
    assert_eq!(
        Unavailable::BudgetSpent.to_string(),
        "the budget at completion is already spent"
    );
}

#[test]
fn huge_and_odd_inputs_stay_finite() {
    let cal = Calendar {
        cadence: Cadence::Year,
        fiscal_year_start_month: 1,
    };
    let plan = CashPlan {
        start: Period(2025),
        cost: vec![f64::MAX, f64::MAX],
        benefit: vec![1e-300, 0.0],
    };
    let actuals = CashPlan {
        start: Period(1000),
        cost: vec![1e-300],
        benefit: vec![],
    };
    let ms = [milestone("m", "2025-12-31", Some("2025-01-01"))];
    let ev = earned_value_of(&cal, date("2025-07-01"), &plan, Some(&actuals), &ms);
    for i in [
        ev.cpi,
        ev.spi,
        ev.estimate_at_completion,
        ev.tcpi,
        ev.benefits.realised_to_date,
    ] {
        assert!(i.value().is_none_or(f64::is_finite), "{i:?}");
    }
    // Actuals dated long before the plan widen the rows; the span stays bounded.
    assert!(ev.rows.len() <= 1100);
}

/// Earned schedule on alpha: EV 75 was planned to be reached 0.75 of the way through
/// 2025 (100 planned in 2025), and 1 + 181/365 periods have elapsed.
#[test]
fn earned_schedule_by_hand() {
    let p = common::portfolio();
    let ev = earned_value(&p.settings, &p.initiatives[0]);
    let at = 1.0 + 181.0 / 365.0;
    assert!(close(ev.actual_time, at));
    assert!(close(v(ev.earned_schedule), 0.75));
    assert!(close(v(ev.spi_t), 0.75 / at));
    assert!(close(v(ev.schedule_variance_t), 0.75 - at));
    assert_eq!(earned_schedule(&[100.0; 4], 150.0), 1.5);
    assert_eq!(earned_schedule(&[0.0, 200.0], 50.0), 1.25);
    assert_eq!(earned_schedule(&[100.0; 4], 0.0), 0.0);
}

/// A late project that has finished: every milestone done, EV = PV = BAC, so SPI is back
/// to 1; SPI(t) is the planned duration over the time it took, below 1.
#[test]
fn spi_t_does_not_drift_back_to_one_when_a_late_project_finishes() {
    let plan = CashPlan {
        start: Period(2020),
        cost: vec![100.0; 4],
        benefit: vec![0.0; 4],
    };
    let milestones = vec![
        common::milestone("a", "2021-06-30", Some("2022-06-30")),
        common::milestone("b", "2023-12-31", Some("2025-12-31")),
    ];
    let cal = common::portfolio().settings.calendar;
    let ev = earned_value_of(&cal, common::date("2025-12-31"), &plan, None, &milestones);
    assert_eq!(v(ev.earned_value), 400.0);
    assert_eq!(v(ev.spi), 1.0);
    // Planned in 4 years, done after 6.
    assert!(close(ev.actual_time, 6.0));
    assert!(close(v(ev.earned_schedule), 4.0));
    assert!(close(v(ev.spi_t), 4.0 / 6.0));
    // Before the plan starts, no time has elapsed.
    let early = earned_value_of(&cal, common::date("2019-06-30"), &plan, None, &milestones);
    assert_eq!(early.spi_t, na(Unavailable::NotStarted));
}
