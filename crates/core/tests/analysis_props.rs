//! `analyse` is total: any finite plan and any finite settings give a result whose
//! computed money metrics are finite (or unavailable with a reason), never NaN.

mod common;

use proptest::prelude::*;
use vmo_core::analysis::Computed;
use vmo_core::finance::{IrrOutcome, Payback};
use vmo_core::*;

fn finite_f(c: &Computed<f64>) -> bool {
    c.value().is_none_or(|v| v.is_finite())
}

fn finite_p(c: &Computed<Payback>) -> bool {
    match c.value() {
        Some(Payback::After(p)) => p.is_finite() && *p >= 0.0,
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn analyse_is_total_and_never_nan(
        cost in prop::collection::vec(-1e12..1e12f64, 0..12),
        benefit in prop::collection::vec(-1e12..1e12f64, 0..12),
        rate in prop_oneof![-2.0..2.0f64, prop::num::f64::NORMAL],
        start in 2015..2035i32,
        quarterly in any::<bool>(),
        discounting in prop::sample::select(vec![
            Discounting::EndOfPeriod, Discounting::MidPeriod, Discounting::StartOfPeriod,
        ]),
    ) {
        let mut p = common::portfolio();
        let n = cost.len().min(benefit.len());
        p.settings.discount_rate = rate;
        p.settings.discounting = discounting;
        if quarterly {
            p.settings.calendar.cadence = Cadence::Quarter;
            p.settings.base_period = Period(2025 * 4);
        }
        p.initiatives[0].plan = CashPlan {
            start: Period(if quarterly { start * 4 } else { start }),
            cost: cost[..n].to_vec(),
            benefit: benefit[..n].to_vec(),
        };
        let a = analyse(&p);
        for m in &a.initiatives {
            let bc = &m.business_case;
            for c in [&bc.pv_cost, &bc.pv_benefit, &bc.npv, &bc.mirr, &bc.roi, &bc.bcr] {
                prop_assert!(finite_f(c), "{c:?}");
            }
            for c in [
                &bc.payback_periods,
                &bc.payback_years,
                &bc.discounted_payback_periods,
                &bc.discounted_payback_years,
            ] {
                prop_assert!(finite_p(c), "{c:?}");
            }
            if let Some(IrrOutcome::Roots(r)) = bc.irr.value() {
                prop_assert!(r.iter().all(|x| x.is_finite() && *x > -1.0), "{r:?}");
            }
            for r in &bc.rows {
                prop_assert!(r.discount_factor.is_none_or(f64::is_finite));
                prop_assert!(r.cumulative_pv.is_none_or(f64::is_finite));
            }
        }
        for c in [&a.totals.npv, &a.totals.pv_cost, &a.totals.pv_benefit, &a.totals.roi] {
            prop_assert!(finite_f(c), "{c:?}");
        }
    }
}
