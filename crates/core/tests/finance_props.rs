//! Properties of the money maths that must hold for every input, not only the worked
//! examples.

use proptest::prelude::*;
use vmo_core::finance::{
    IrrOutcome, Payback, annualise, benefit_cost_ratio, discount_factor, discounted_payback, irr,
    mirr, npv_periodic, payback, roi,
};

/// Any finite f64, including huge, tiny and subnormal values.
fn finite() -> impl Strategy<Value = f64> {
    prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO
}

fn money() -> impl Strategy<Value = f64> {
    -1e7..1e7f64
}

fn sign_changes(v: &[f64]) -> usize {
    let nz: Vec<f64> = v.iter().copied().filter(|x| *x != 0.0).collect();
    nz.windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count()
}

fn ok_finite(r: Result<f64, vmo_core::finance::FinanceError>) -> bool {
    r.map_or(true, f64::is_finite)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// One sign change, outlay at time 0 (numpy convention): the NPV falls as the rate
    /// rises. (With the outlay itself discounted, `first_t > 0`, it need not.)
    #[test]
    fn npv_decreases_in_rate_for_conventional_flows(
        outlay in 1.0..1e7f64,
        inflows in prop::collection::vec(0.0..1e7f64, 1..20),
        r1 in -0.9..5.0f64,
        dr in 1e-6..5.0f64,
    ) {
        let mut flows = vec![-outlay];
        flows.extend(inflows);
        let a = npv_periodic(r1, &flows, 0.0).unwrap();
        let b = npv_periodic(r1 + dr, &flows, 0.0).unwrap();
        let magnitude: f64 = flows
            .iter()
            .enumerate()
            .map(|(i, v)| v.abs() * discount_factor(r1, i as f64).unwrap())
            .sum();
        prop_assert!(b <= a + 1e-12 * magnitude, "{a} then {b}");
    }

    /// Every reported IRR zeroes the NPV (relative to the flows' discounted magnitude),
    /// roots are ascending, above -100%, and no more than Descartes' bound.
    #[test]
    fn irr_roots_zero_the_npv(flows in prop::collection::vec(money(), 1..25)) {
        match irr(&flows).unwrap() {
            IrrOutcome::Roots(roots) => {
                prop_assert!(!roots.is_empty());
                prop_assert!(roots.len() <= sign_changes(&flows));
                prop_assert!(roots.windows(2).all(|w| w[0] < w[1]), "{roots:?}");
                for r in roots {
                    prop_assert!(r.is_finite() && r > -1.0);
                    let Ok(npv) = npv_periodic(r, &flows, 0.0) else { continue };
                    let magnitude: f64 = flows
                        .iter()
                        .enumerate()
                        .map(|(i, v)| v.abs() * discount_factor(r, i as f64).unwrap_or(f64::MAX))
                        .sum();
                    prop_assert!(npv.abs() <= 1e-9 * magnitude, "r={r} npv={npv} mag={magnitude}");
                }
            }
            IrrOutcome::NoSignChange => prop_assert_eq!(sign_changes(&flows), 0),
            IrrOutcome::NoRootInRange => prop_assert!(sign_changes(&flows) >= 2),
        }
    }

    /// Conventional flows (one sign change) have exactly one IRR.
    #[test]
    fn conventional_flows_have_one_irr(
        outlay in 1.0..1e7f64,
        inflows in prop::collection::vec(0.0..1e7f64, 1..20),
    ) {
        let mut flows = vec![-outlay];
        flows.extend(inflows);
        prop_assume!(flows.iter().any(|v| *v > 0.0));
        let out = irr(&flows).unwrap();
        prop_assert!(out.unique().is_some(), "{out:?}");
    }

    /// Total on finite input: Ok with a finite number, or a typed error; never a panic.
    #[test]
    fn total_on_finite_input(
        flows in prop::collection::vec(finite(), 0..12),
        rate in finite(),
        rate2 in finite(),
        first_t in finite(),
    ) {
        prop_assert!(ok_finite(npv_periodic(rate, &flows, first_t)));
        prop_assert!(ok_finite(discount_factor(rate, first_t)));
        prop_assert!(ok_finite(mirr(&flows, rate, rate2)));
        prop_assert!(ok_finite(roi(rate, rate2)));
        prop_assert!(ok_finite(benefit_cost_ratio(rate, rate2)));
        prop_assert!(ok_finite(annualise(rate, 4)));
        for p in [payback(&flows, first_t), discounted_payback(rate, &flows, first_t)] {
            if let Ok(Payback::After(x)) = p {
                prop_assert!(x.is_finite());
            }
        }
        if let Ok(IrrOutcome::Roots(r)) = irr(&flows) {
            prop_assert!(r.iter().all(|x| x.is_finite() && *x > -1.0));
        }
    }

    /// Completeness: flows built from known, well-separated rates have exactly those
    /// IRRs, however many there are.
    #[test]
    fn irr_finds_every_constructed_root(
        picks in prop::collection::btree_set(0usize..30, 1..5),
        scale in 1.0..1e6f64,
    ) {
        // Rates -0.9, -0.8, ..., 2.0: separated by 0.1.
        let rates: Vec<f64> = picks.iter().map(|&k| -0.9 + 0.1 * k as f64).collect();
        let poly = flows_with_roots(-scale, rates.iter().copied());
        let IrrOutcome::Roots(found) = irr(&poly).unwrap() else {
            return Err(TestCaseError::fail(format!("no roots for {poly:?}")));
        };
        prop_assert_eq!(found.len(), rates.len(), "{:?} vs {:?}", found, rates);
        for (f, r) in found.iter().zip(&rates) {
            prop_assert!((f - r).abs() < 1e-7, "{found:?} vs {rates:?}");
        }
    }

    /// Multiple roots are reported once each: flows built from well-separated rates,
    /// each repeated up to three times, have exactly the distinct rates as IRRs, never
    /// more than Descartes' bound. (Rates 0.3 apart: two triple roots much closer than
    /// that, in a polynomial of degree 9, differ from one root by less than floating
    /// point resolves, and are rightly reported as one.)
    #[test]
    fn irr_reports_a_multiple_root_once(
        picks in prop::collection::btree_map(0usize..10, 1usize..4, 1..4),
        scale in 1.0..1e6f64,
    ) {
        let rates: Vec<(f64, usize)> =
            picks.iter().map(|(&k, &m)| (-0.9 + 0.3 * k as f64, m)).collect();
        let poly = flows_with_roots(
            -scale,
            rates.iter().flat_map(|&(r, m)| std::iter::repeat_n(r, m)),
        );
        let IrrOutcome::Roots(found) = irr(&poly).unwrap() else {
            return Err(TestCaseError::fail(format!("no roots for {poly:?}")));
        };
        prop_assert!(found.len() <= sign_changes(&poly));
        prop_assert_eq!(found.len(), rates.len(), "{:?} vs {:?}", found, rates);
        for (f, &(r, m)) in found.iter().zip(&rates) {
            let tol = multiple_root_tolerance(&poly, &rates, r, m);
            prop_assert!((f - r).abs() < tol, "{found:?} vs {rates:?} (tolerance {tol:e})");
        }
    }
}

/// How far floating point may move a root `r` of multiplicity `m` of `flows`, built by
/// [`flows_with_roots`] from `rates`: the perturbation bound of a multiple root,
/// `|dx|^m · |p^(m)(x)/m!| ≈ noise` with the noise a few hundred rounding errors of the
/// sum `Σ|c_i||x|^i`, taken back from x = 1/(1 + r) to the rate. A double root beside two
/// triple roots is fixed far less precisely than `eps^(1/2)`; a fixed tolerance per
/// multiplicity was flaky.
fn multiple_root_tolerance(flows: &[f64], rates: &[(f64, usize)], r: f64, m: usize) -> f64 {
    let x = 1.0 / (1.0 + r);
    let noise: f64 = 512.0
        * f64::EPSILON
        * flows
            .iter()
            .enumerate()
            .map(|(i, c)| c.abs() * x.abs().powi(i as i32))
            .sum::<f64>();
    // p(x) = lead · Π (1 - (1 + r_j) x)^(m_j): the coefficient of (x - x0)^m at this root.
    let others: f64 = rates
        .iter()
        .filter(|(rj, _)| *rj != r)
        .map(|&(rj, mj)| (1.0 - (1.0 + rj) * x).abs().powi(mj as i32))
        .product();
    let lead_m = flows[0].abs() * (1.0 + r).abs().powi(m as i32) * others;
    let dx = (noise / lead_m).powf(1.0 / m as f64);
    // r = 1/x - 1, so dr ≈ dx / x², with room for the next order.
    (4.0 * dx / (x * x)).max(1e-9 * (1.0 + r.abs()))
}

/// `lead × prod_k (1 - (1 + r_k) x)`, with x = 1/(1 + r), as flows: its zeros are the
/// r_k (repeated for multiplicity).
fn flows_with_roots(lead: f64, rates: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut poly = vec![lead];
    for r in rates {
        let mut next = vec![0.0; poly.len() + 1];
        for (i, c) in poly.iter().enumerate() {
            next[i] += c;
            next[i + 1] -= (1.0 + r) * c;
        }
        poly = next;
    }
    poly
}
