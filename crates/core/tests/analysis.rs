//! `analyse` on the hand-built portfolio of `common`, numbers checked by hand.

mod common;

use vmo_core::analysis::{Computed, MilestoneStatus};
use vmo_core::finance::{IrrOutcome, Payback};
use vmo_core::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn ok<T: std::fmt::Debug>(c: &Computed<T>) -> &T {
    c.value()
        .unwrap_or_else(|| panic!("expected a value, got {c:?}"))
}

fn after(c: &Computed<Payback>) -> f64 {
    match ok(c) {
        Payback::After(p) => *p,
        Payback::Never => panic!("expected a payback"),
    }
}

#[test]
fn business_case_by_hand() {
    let a = analyse(&common::portfolio());
    let bc = &a.initiatives[0].business_case;
    // Rows: 2025..2027, end of period from base 2025 at 10%: t = 1, 2, 3 years.
    let labels: Vec<&str> = bc.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2025", "2026", "2027"]);
    assert_eq!(
        bc.rows.iter().map(|r| r.t_years).collect::<Vec<_>>(),
        [1.0, 2.0, 3.0]
    );
    assert_eq!(
        bc.rows.iter().map(|r| r.net).collect::<Vec<_>>(),
        [-100.0, 10.0, 121.0]
    );
    assert_eq!(
        bc.rows.iter().map(|r| r.cumulative_net).collect::<Vec<_>>(),
        [-100.0, -90.0, 31.0]
    );
    assert!(close(bc.rows[1].discount_factor.unwrap(), 1.0 / 1.21));
    assert!(close(bc.rows[2].pv_net.unwrap(), 121.0 / 1.331));
    // NPV = -100/1.1 + 10/1.21 + 121/1.331 = 10/1.21.
    assert!(close(*ok(&bc.npv), 10.0 / 1.21));
    assert!(close(bc.rows[2].cumulative_pv.unwrap(), 10.0 / 1.21));
    assert!(close(*ok(&bc.pv_cost), 100.0 / 1.1 + 50.0 / 1.21));
    assert!(close(*ok(&bc.pv_benefit), 60.0 / 1.21 + 121.0 / 1.331));
    assert_eq!(
        (bc.total_cost, bc.total_benefit, bc.total_net),
        (150.0, 181.0, 31.0)
    );
    assert!(close(*ok(&bc.roi), 31.0 / 150.0));
    // PV benefit / PV cost = 140.4959 / 132.2314.
    assert!(close(*ok(&bc.bcr), 1.0625));
    // IRR: -100 + 10x + 121x^2 = 0 with x = 1/(1+r).
    let x = (-10.0 + 48500.0_f64.sqrt()) / 242.0;
    let IrrOutcome::Roots(roots) = ok(&bc.irr) else {
        panic!("one root")
    };
    assert_eq!(roots.len(), 1);
    assert!(close(roots[0], 1.0 / x - 1.0));
    // Payback from the start of 2025: two full years, then 90 of 2027's 121.
    assert!(close(after(&bc.payback_periods), 2.0 + 90.0 / 121.0));
    assert!(close(after(&bc.payback_years), 2.0 + 90.0 / 121.0));
    // Discounted: cumulative PV -90.909, -82.645, then +90.909 in 2027.
    assert!(close(
        after(&bc.discounted_payback_periods),
        2.0 + (100.0 / 1.1 - 10.0 / 1.21) / (121.0 / 1.331)
    ));
}

#[test]
fn to_date_and_realisation() {
    let a = analyse(&common::portfolio());
    let t = &a.initiatives[0].to_date;
    assert_eq!(t.period_label, "2026");
    // 2026 is half gone on 2026-06-30: 181 of its 365 days, so its plan counts 181/365.
    let share = 181.0 / 365.0;
    assert!(close(t.planned_cost, 100.0 + 50.0 * share));
    assert!(close(t.planned_benefit, 60.0 * share));
    assert_eq!((t.actual_cost, t.actual_benefit), (150.0, 30.0));
    assert!(close(t.benefits_realised.unwrap(), 30.0 / (60.0 * share)));
    assert!(close(t.cost_variance, 150.0 - (100.0 + 50.0 * share)));
    // Actuals to date plus the plan not yet elapsed.
    assert!(close(
        t.forecast_cost_at_completion,
        150.0 + 50.0 * (1.0 - share)
    ));
    assert!(close(
        t.forecast_benefit_at_completion,
        30.0 + 60.0 * (1.0 - share) + 121.0
    ));
    let r = &a.initiatives[0].realisation;
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].actual_cost, Some(110.0));
    assert_eq!(r[2].actual_benefit, None);
    // beta: nothing planned to date as benefit -> no realisation ratio.
    let t = &a.initiatives[1].to_date;
    assert!(close(t.planned_cost, 200.0 * 181.0 / 365.0));
    assert_eq!(t.benefits_realised, None);
}

#[test]
fn scores_alignment_risk_kpis_milestones() {
    let a = analyse(&common::portfolio());
    let alpha = &a.initiatives[0];
    let s: Vec<(&str, Option<f64>, Option<usize>)> = alpha
        .scores
        .iter()
        .map(|m| {
            (
                m.model_id.as_str(),
                m.score.value().map(|s| s.value),
                m.rank,
            )
        })
        .collect();
    assert_eq!(s[0], ("wsjf", Some(4.0), Some(1)));
    assert_eq!(s[1], ("rice", Some(675.0), Some(1)));
    // fit 4/5 = 0.8 (weight 2), risk 2 on 1..5 lower-is-better = 0.75 (weight 1).
    assert!(close(s[2].1.unwrap(), 100.0 * (2.0 * 0.8 + 0.75) / 3.0));
    let beta = &a.initiatives[1];
    assert!(beta.scores.iter().all(|m| m.rank.is_none()));
    assert!(matches!(beta.scores[0].score, Computed::Unavailable { .. }));

    assert_eq!(*ok(&alpha.strategic_alignment), 0.75);
    assert_eq!(*ok(&beta.strategic_alignment), 1.0);
    assert_eq!(
        (alpha.risk.active, alpha.risk.total, alpha.risk.max),
        (1, 2.0, 2.0)
    );
    assert_eq!(
        (beta.risk.active, beta.risk.total, beta.risk.max),
        (2, 5.0, 3.0)
    );
    // Latest actual on or before as_of is 15: halfway from 10 to 20.
    assert_eq!(alpha.kpis[0].progress, Some(0.5));
    let st: Vec<MilestoneStatus> = alpha.milestones.iter().map(|m| m.status).collect();
    assert_eq!(
        st,
        [
            MilestoneStatus::Done,
            MilestoneStatus::DoneLate,
            MilestoneStatus::Late,
            MilestoneStatus::Upcoming
        ]
    );
}

/// Closed work is ranked nowhere: a closed initiative that would top the ranking has no
/// score and no rank, and the open ones are ranked among themselves.
#[test]
fn closed_initiatives_are_not_ranked() {
    let mut p = common::portfolio();
    p.stages.push(vmo_core::model::Stage {
        id: "retired".to_owned(),
        name: "Retired".to_owned(),
        description: String::new(),
        class: vmo_core::model::StageClass::Closed,
    });
    let mut gone = p.initiatives[0].clone();
    gone.id = "aaa-gone".to_owned();
    gone.stage = "retired".to_owned();
    if let Some(w) = gone.wsjf.as_mut() {
        w.job_size = 0.5; // would score far above alpha
    }
    p.initiatives.insert(0, gone);
    let a = analyse(&p);
    let gone = &a.initiatives[0];
    assert!(gone.scores.iter().all(|m| m.rank.is_none()));
    assert_eq!(
        gone.scores[0].score,
        Computed::Unavailable {
            reason: "closed: not ranked".to_owned()
        }
    );
    let alpha = &a.initiatives[1];
    assert_eq!((alpha.scores[0].rank, alpha.scores[0].of), (Some(1), 1));
    assert_eq!(a.rankings[0].ranked, [1]);
}

#[test]
fn portfolio_totals() {
    let a = analyse(&common::portfolio());
    let t = &a.totals;
    assert_eq!((t.investment, t.planned_benefit), (350.0, 181.0));
    assert!(close(*ok(&t.npv), 10.0 / 1.21 - 200.0 / 1.21));
    assert!(close(*ok(&t.roi), (181.0 - 350.0) / 350.0));
    assert_eq!(t.actual_cost_to_date, 150.0);
    // alpha realised 30 of its pro-rated 60 × 181/365; beta plans no benefit to date.
    assert!(close(
        t.benefits_realised.unwrap(),
        30.0 / (60.0 * 181.0 / 365.0)
    ));
    let stage: Vec<(&str, usize, f64)> = t
        .by_stage
        .iter()
        .map(|b| (b.key.as_str(), b.count, b.investment))
        .collect();
    assert_eq!(
        stage,
        [
            ("discovery", 1, 200.0),
            ("delivery", 1, 150.0),
            ("live", 0, 0.0)
        ]
    );
    let class: Vec<(&str, f64)> = t
        .by_stage_class
        .iter()
        .map(|b| (b.key.as_str(), b.investment))
        .collect();
    assert_eq!(
        class,
        [
            ("proposed", 200.0),
            ("committed", 150.0),
            ("operating", 0.0),
            ("closed", 0.0)
        ]
    );
    // beta's 200 is split between its two objectives.
    let obj: Vec<(&str, usize, f64)> = t
        .by_objective
        .iter()
        .map(|b| (b.key.as_str(), b.count, b.investment))
        .collect();
    assert_eq!(obj, [("growth", 2, 250.0), ("cost", 1, 100.0)]);
    assert_eq!(t.by_value_stream[1].investment, 200.0);
    assert_eq!(t.by_kind[1].key, "product");
    let risks: Vec<(&str, usize, f64)> = t
        .top_risks
        .iter()
        .map(|r| (r.initiative_id.as_str(), r.risk, r.exposure))
        .collect();
    // By score (band × impact), then exposure: beta's 100% × 3 (score 15, exposure 3),
    // beta's 40% × 5 (score 15, exposure 2), alpha's 50% × 4 (score 12, exposure 2).
    assert_eq!(
        risks,
        [("beta", 1, 3.0), ("beta", 0, 2.0), ("alpha", 0, 2.0)]
    );
    let budget: Vec<(f64, f64, f64, f64)> = t
        .budget
        .as_ref()
        .expect("budget set")
        .iter()
        .map(|b| (b.budget, b.committed_cost, b.proposed_cost, b.headroom))
        .collect();
    assert_eq!(
        budget,
        [
            (120.0, 100.0, 0.0, 20.0),
            (300.0, 50.0, 200.0, 250.0),
            (50.0, 0.0, 0.0, 50.0)
        ]
    );
    assert_eq!(a.rankings[0].ranked, [0]);
    assert_eq!(a.rankings[0].unscored, [1]);
}

#[test]
fn quarterly_irr_is_annualised_and_mid_period_times() {
    let mut p = common::portfolio();
    p.settings.calendar.cadence = Cadence::Quarter;
    p.settings.discounting = Discounting::MidPeriod;
    p.settings.base_period = Period(2025 * 4);
    p.settings.budget = None;
    p.initiatives.truncate(1);
    p.initiatives[0].actuals = None;
    p.initiatives[0].plan = CashPlan {
        start: Period(2025 * 4 + 1),
        cost: vec![100.0, 0.0, 0.0, 0.0, 0.0],
        benefit: vec![0.0, 0.0, 0.0, 0.0, 110.0],
    };
    let a = analyse(&p);
    let bc = &a.initiatives[0].business_case;
    assert_eq!(bc.rows[0].label, "2025-Q2");
    // (period - base + 0.5) * 0.25 years.
    assert_eq!(bc.rows[0].t_years, 0.375);
    // 110 a year after 100: 10% a year, whatever the quarter count.
    let irr = ok(&bc.irr).unique().expect("one root");
    assert!(close(irr, 0.10));
    assert!(close(*ok(&bc.mirr), 0.10));
    assert!(close(after(&bc.payback_periods), 4.0 + 100.0 / 110.0));
    assert!(close(after(&bc.payback_years), (4.0 + 100.0 / 110.0) / 4.0));
    assert!(a.totals.budget.is_none());
}

#[test]
fn unusable_inputs_give_reasons_not_nan() {
    let mut p = common::portfolio();
    p.settings.discount_rate = -1.5;
    p.initiatives[1].plan.cost.clear();
    p.initiatives[1].plan.benefit.clear();
    let a = analyse(&p);
    let bc = &a.initiatives[0].business_case;
    assert!(matches!(bc.npv, Computed::Unavailable { .. }));
    assert!(bc.rows.iter().all(|r| r.pv_net.is_none()));
    assert!(matches!(a.totals.npv, Computed::Unavailable { .. }));
    let empty = &a.initiatives[1].business_case;
    assert!(matches!(empty.irr, Computed::Unavailable { .. }));
    assert!(matches!(empty.roi, Computed::Unavailable { .. }));
    // Serialises; unavailable metrics carry their reason.
    let json = serde_json::to_string(&a).expect("serialises");
    assert!(
        json.contains(
            "\"status\":\"unavailable\",\"reason\":\"the rate -1.5 is at or below -100%\""
        )
    );
}

/// What remains of committed work, discounted to `as_of`: sunk costs do not count; the
/// current period is pro-rated; proposed work has no such figure.
#[test]
fn remaining_value_counts_only_what_is_still_to_come() {
    let mut p = common::portfolio();
    p.settings.as_of = common::date("2025-12-31");
    let plan = CashPlan {
        start: Period(2025),
        cost: vec![100.0, 50.0, 50.0],
        benefit: vec![0.0, 100.0, 200.0],
    };
    // 2025 is over; 2026 nets 50 at its end (a year on), 2027 nets 150 two years on.
    let r = vmo_core::analysis::remaining(&p, &plan);
    assert_eq!((r.cost, r.benefit), (100.0, 300.0));
    assert!(close(*ok(&r.npv), 50.0 / 1.1 + 150.0 / 1.21), "{r:?}");
    p.settings.discounting = Discounting::MidPeriod;
    let r = vmo_core::analysis::remaining(&p, &plan);
    assert!(close(
        *ok(&r.npv),
        50.0 / 1.1f64.powf(0.5) + 150.0 / 1.1f64.powf(1.5)
    ));
    // Halfway through 2026 (181 of 365 days gone): what is left of 2026, at its end.
    p.settings.discounting = Discounting::EndOfPeriod;
    p.settings.as_of = common::date("2026-06-30");
    let left = 1.0 - 181.0 / 365.0;
    let r = vmo_core::analysis::remaining(&p, &plan);
    assert!(close(r.cost, 50.0 * left + 50.0));
    let want = 50.0 * left / 1.1f64.powf(left) + 150.0 / 1.1f64.powf(1.0 + left);
    assert!(close(*ok(&r.npv), want), "{} vs {want}", ok(&r.npv));
    // Committed work has the figure; proposed work does not.
    let a = analyse(&common::portfolio());
    assert!(a.initiatives[0].remaining.is_some());
    assert!(a.initiatives[1].remaining.is_none());
}
