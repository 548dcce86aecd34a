//! What-if levers on the fixture's `alpha` plan (yearly, base 2025, 10% end of period):
//! cost 100, 50, 0; benefit 0, 60, 121.

mod common;

use proptest::prelude::*;
use vmo_core::analysis::business_case;
use vmo_core::whatif::*;
use vmo_core::*;

fn alpha() -> CashPlan {
    common::portfolio()
        .initiative("alpha")
        .expect("fixture")
        .plan
        .clone()
}

fn npv(result: &ScenarioResult) -> f64 {
    *result.business_case.npv.value().expect("npv")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

#[test]
fn levers_one_by_one() {
    let plan = alpha();
    let p = with_cost_overrun(&plan, 0.3).unwrap();
    assert_eq!(p.cost, vec![130.0, 65.0, 0.0]);
    assert_eq!(p.benefit, plan.benefit);
    let p = with_benefit_realisation(&plan, 0.5).unwrap();
    assert_eq!(p.benefit, vec![0.0, 30.0, 60.5]);
    assert_eq!(p.cost, plan.cost);
    let p = with_delay(&plan, 2).unwrap();
    assert_eq!(p.start, plan.start);
    assert_eq!(p.cost, vec![100.0, 50.0, 0.0, 0.0, 0.0]);
    assert_eq!(p.benefit, vec![0.0, 0.0, 0.0, 60.0, 121.0]);
    assert_eq!(with_delay(&plan, 0).unwrap(), plan);
    let p = with_horizon(&plan, 2).unwrap();
    assert_eq!((p.cost, p.benefit), (vec![100.0, 50.0], vec![0.0, 60.0]));
    let p = with_horizon(&plan, 4).unwrap();
    assert_eq!(p.cost, vec![100.0, 50.0, 0.0, 0.0]);
    assert_eq!(p.benefit, vec![0.0, 60.0, 121.0, 0.0]);
}

#[test]
fn uneven_arrays_are_padded_not_dropped() {
    let plan = CashPlan {
        start: Period(2025),
        cost: vec![10.0],
        benefit: vec![0.0, 5.0, 7.0],
    };
    let p = with_cost_overrun(&plan, 0.0).unwrap();
    assert_eq!(p.cost, vec![10.0, 0.0, 0.0]);
    assert_eq!(p.benefit, vec![0.0, 5.0, 7.0]);
}

#[test]
fn default_scenario_is_the_business_case() {
    let portfolio = common::portfolio();
    let plan = alpha();
    let r = evaluate(&portfolio, &plan, &Scenario::default()).unwrap();
    assert_eq!(r.applied.plan, plan);
    assert_eq!(r.applied.discount_rate, 0.10);
    assert_eq!(r.applied.discounting, Discounting::EndOfPeriod);
    assert_eq!(r.business_case, business_case(&portfolio, &plan));
    // -100/1.1 + 10/1.1^2 + 121/1.1^3 = 10/1.21.
    assert!(close(npv(&r), 10.0 / 1.21));
}

#[test]
fn combined_scenario_by_hand() {
    let portfolio = common::portfolio();
    let scenario = Scenario {
        cost_overrun: 0.2,
        benefit_realisation: 0.5,
        delay_periods: 1,
        discount_rate: Some(0.05),
        horizon: Some(3),
        discounting: Some(Discounting::StartOfPeriod),
    };
    let r = evaluate(&portfolio, &alpha(), &scenario).unwrap();
    // Costs 120, 60, 0 (and 0 in the added period, cut by the horizon); benefits 0, 0,
    // 30 (the 60.5 delayed to 2028 is past the 3-period horizon). Start of period at 5%:
    // times 0, 1, 2.
    assert_eq!(r.applied.plan.cost, vec![120.0, 60.0, 0.0]);
    assert_eq!(r.applied.plan.benefit, vec![0.0, 0.0, 30.0]);
    assert_eq!(r.applied.discount_rate, 0.05);
    let want = -120.0 - 60.0 / 1.05 + 30.0 / 1.05 / 1.05;
    assert!(close(npv(&r), want), "{} vs {want}", npv(&r));
}

#[test]
fn delay_costs_value_and_keeps_costs() {
    let portfolio = common::portfolio();
    let late = Scenario {
        delay_periods: 1,
        ..Scenario::default()
    };
    let r = evaluate(&portfolio, &alpha(), &late).unwrap();
    let want = -100.0 / 1.1 - 50.0 / 1.21 + 60.0 / 1.331 + 121.0 / 1.4641;
    assert!(close(npv(&r), want));
    assert_eq!(r.business_case.total_cost, 150.0);
    assert_eq!(r.business_case.total_benefit, 181.0);
}

#[test]
fn invalid_levers_are_typed_errors() {
    let plan = alpha();
    let s = common::portfolio().settings;
    let with = |f: &dyn Fn(&mut Scenario)| {
        let mut sc = Scenario::default();
        f(&mut sc);
        apply(&plan, &s, &sc)
    };
    assert_eq!(
        with(&|sc| sc.cost_overrun = f64::NAN),
        Err(WhatIfError::NotFinite {
            what: "cost overrun"
        })
    );
    assert!(matches!(
        with(&|sc| sc.cost_overrun = -1.5),
        Err(WhatIfError::OutOfRange { .. })
    ));
    assert!(matches!(
        with(&|sc| sc.benefit_realisation = -0.1),
        Err(WhatIfError::OutOfRange {
            what: "benefit realisation",
            ..
        })
    ));
    assert!(matches!(
        with(&|sc| sc.benefit_realisation = f64::INFINITY),
        Err(WhatIfError::NotFinite { .. })
    ));
    assert_eq!(
        with(&|sc| sc.delay_periods = 201),
        Err(WhatIfError::DelayTooLong {
            periods: 201,
            max: 200
        })
    );
    assert!(with(&|sc| sc.delay_periods = 200).is_ok());
    assert!(matches!(
        with(&|sc| sc.horizon = Some(0)),
        Err(WhatIfError::HorizonOutOfRange { .. })
    ));
    assert!(matches!(
        with(&|sc| sc.horizon = Some(MAX_HORIZON_PERIODS + 1)),
        Err(WhatIfError::HorizonOutOfRange { .. })
    ));
    assert!(matches!(
        with(&|sc| sc.discount_rate = Some(-1.0)),
        Err(WhatIfError::OutOfRange { .. })
    ));
    assert!(matches!(
        with(&|sc| sc.discount_rate = Some(f64::NAN)),
        Err(WhatIfError::NotFinite { .. })
    ));
    let bad = CashPlan {
        start: Period(2025),
        cost: vec![1.0, f64::NAN],
        benefit: vec![],
    };
    assert_eq!(
        apply(&bad, &s, &Scenario::default()),
        Err(WhatIfError::PlanNotFinite {
            what: "cost",
            index: 1
        })
    );
    let huge = CashPlan {
        start: Period(2025),
        cost: vec![1e308],
        benefit: vec![1e308],
    };
    assert_eq!(
        with_cost_overrun(&huge, 1.0),
        Err(WhatIfError::Overflow {
            what: "cost",
            index: 0
        })
    );
    let edge = CashPlan {
        start: Period(i32::MAX - 1),
        cost: vec![1.0],
        benefit: vec![1.0],
    };
    assert_eq!(with_delay(&edge, 5), Err(WhatIfError::PeriodOverflow));
    // Errors read as sentences.
    assert_eq!(
        WhatIfError::DelayTooLong {
            periods: 201,
            max: 200
        }
        .to_string(),
        "a delay of 201 periods is too long: at most 200 periods"
    );
}

#[test]
fn scenario_from_a_shared_link() {
    let sc: Scenario =
        serde_json::from_str(r#"{"delay_periods": 2, "discounting": "mid-period"}"#).unwrap();
    assert_eq!(sc.delay_periods, 2);
    assert_eq!(sc.benefit_realisation, 1.0);
    assert_eq!(sc.discounting, Some(Discounting::MidPeriod));
    let back: Scenario = serde_json::from_str(&serde_json::to_string(&sc).unwrap()).unwrap();
    assert_eq!(back, sc);
    assert!(serde_json::from_str::<Scenario>(r#"{"dealy": 2}"#).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any finite plan and in-range levers: no error, no NaN; with costs and benefits
    /// non-negative and a positive rate, more overrun, less realisation or more delay
    /// never raise the NPV.
    #[test]
    fn levers_are_total_and_monotone(
        cost in prop::collection::vec(0.0..1e9f64, 1..10),
        benefit in prop::collection::vec(0.0..1e9f64, 1..10),
        overrun in -1.0..5.0f64,
        extra in 0.0..2.0f64,
        realisation in 0.0..3.0f64,
        delay in 0u32..12,
        horizon in prop::option::of(1usize..30),
        rate in 0.001..0.5f64,
        discounting in prop::sample::select(vec![
            Discounting::EndOfPeriod, Discounting::MidPeriod, Discounting::StartOfPeriod,
        ]),
    ) {
        let portfolio = common::portfolio();
        let plan = CashPlan { start: Period(2026), cost, benefit };
        let base = Scenario {
            cost_overrun: overrun,
            benefit_realisation: realisation,
            delay_periods: delay,
            discount_rate: Some(rate),
            horizon,
            discounting: Some(discounting),
        };
        let r = evaluate(&portfolio, &plan, &base).unwrap();
        let v = npv(&r);
        prop_assert!(v.is_finite());
        prop_assert_eq!(r.applied.plan.cost.len(), r.applied.plan.benefit.len());
        if let Some(h) = horizon {
            prop_assert_eq!(r.applied.plan.cost.len(), h);
        }
        let tol = 1e-9 * (1.0 + v.abs());
        let worse = [
            Scenario { cost_overrun: overrun + extra, ..base.clone() },
            Scenario { benefit_realisation: realisation * 0.5, ..base.clone() },
            Scenario { delay_periods: delay + 1, ..base.clone() },
        ];
        for w in &worse {
            let wv = npv(&evaluate(&portfolio, &plan, w).unwrap());
            prop_assert!(wv <= v + tol, "{:?}: {} > {}", w, wv, v);
        }
    }
}
