//! Monte Carlo: closed-form distribution checks, determinism, and totality.

mod common;

use proptest::prelude::*;
use vmo_core::analysis::business_case;
use vmo_core::montecarlo::Rng;
use vmo_core::montecarlo::*;
use vmo_core::*;

fn r3(low: f64, likely: f64, high: f64) -> Range3 {
    Range3 { low, likely, high }
}

fn fixed(v: f64) -> Range3 {
    r3(v, v, v)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

fn certain() -> Uncertainty {
    Uncertainty {
        cost: fixed(1.0),
        benefit: fixed(1.0),
        delay: fixed(0.0),
        distribution: Distribution::Triangular,
    }
}

fn cfg(trials: usize) -> SimulationConfig {
    SimulationConfig {
        trials,
        ..SimulationConfig::default()
    }
}

fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    (m, xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n)
}

#[test]
fn triangular_quantiles_closed_form() {
    // docs/references.md: a=10, mode=20, b=60 -> P10 17.07, P50 28.38, P90 45.86.
    // c = (20-10)/50 = 0.2; P10 = 10 + sqrt(0.1*50*10) = 10 + sqrt(50);
    // P50 = 60 - sqrt(0.5*50*40) = 60 - sqrt(1000); P90 = 60 - sqrt(0.1*50*40) = 60 - sqrt(200).
    let r = r3(10.0, 20.0, 60.0);
    let q = |u| triangular_quantile(&r, u);
    assert!(close(q(0.1), 10.0 + 50f64.sqrt(), 1e-12));
    assert!(close(q(0.5), 60.0 - 1000f64.sqrt(), 1e-12));
    assert!(close(q(0.9), 60.0 - 200f64.sqrt(), 1e-12));
    assert!(close(q(0.1), 17.07, 5e-3));
    assert!(close(q(0.5), 28.38, 5e-3));
    assert!(close(q(0.9), 45.86, 5e-3));
    // The mode sits at the CDF value c.
    assert!(close(q(0.2), 20.0, 1e-12));
    assert_eq!((q(0.0), q(1.0)), (10.0, 60.0));
    assert_eq!(range_mean(&r, Distribution::Triangular), 30.0);
    // Degenerate.
    assert_eq!(triangular_quantile(&fixed(3.0), 0.7), 3.0);
}

#[test]
fn triangular_sampling_matches_closed_form() {
    let r = r3(10.0, 20.0, 60.0);
    let mut rng = Rng::new(42);
    let mut xs = sample_range(&r, Distribution::Triangular, &mut rng, 200_000).unwrap();
    let (m, v) = mean_var(&xs);
    // Mean 30; variance (a²+b²+c²-ab-ac-bc)/18 = 2100/18. Standard errors 0.024, 0.3.
    assert!(close(m, 30.0, 0.1), "{m}");
    assert!(close(v, 2100.0 / 18.0, 1.5), "{v}");
    xs.sort_by(f64::total_cmp);
    for (p, expected) in [(0.1, 17.0711), (0.5, 28.3772), (0.9, 45.8579)] {
        let got = quantile_sorted(&xs, p).unwrap();
        assert!(close(got, expected, 0.1), "P{p}: {got}");
    }
}

#[test]
fn pert_sampling_matches_closed_form() {
    // alpha = 1 + 4*10/50 = 1.8, beta = 1 + 4*40/50 = 4.2; mean (10 + 80 + 60)/6 = 25;
    // variance alpha*beta/((alpha+beta)^2 (alpha+beta+1)) * 50^2 = 7.56/252*2500 = 75.
    let r = r3(10.0, 20.0, 60.0);
    let (a, b) = pert_shape(&r).unwrap();
    assert!(close(a, 1.8, 1e-12) && close(b, 4.2, 1e-12));
    assert_eq!(range_mean(&r, Distribution::Pert), 25.0);
    let mut rng = Rng::new(7);
    let xs = sample_range(&r, Distribution::Pert, &mut rng, 200_000).unwrap();
    let (m, v) = mean_var(&xs);
    assert!(close(m, 25.0, 0.1), "{m}");
    assert!(close(v, 75.0, 1.5), "{v}");
    assert!(xs.iter().all(|x| (10.0..=60.0).contains(x)));
    // Symmetric: Beta(3, 3) on [0, 1], mean 1/2, variance 1/28.
    let xs = sample_range(&r3(0.0, 0.5, 1.0), Distribution::Pert, &mut rng, 200_000).unwrap();
    let (m, v) = mean_var(&xs);
    assert!(close(m, 0.5, 0.002), "{m}");
    assert!(close(v, 1.0 / 28.0, 0.001), "{v}");
    // Mode at an end: alpha = 1, beta = 5, mean (0 + 0 + 1)/6.
    let xs = sample_range(&r3(0.0, 0.0, 1.0), Distribution::Pert, &mut rng, 200_000).unwrap();
    assert!(close(mean_var(&xs).0, 1.0 / 6.0, 0.002));
    // Degenerate.
    let xs = sample_range(&fixed(2.5), Distribution::Pert, &mut rng, 10).unwrap();
    assert!(xs.iter().all(|&x| x == 2.5));
}

#[test]
fn planned_npv_matches_business_case() {
    let p = common::portfolio();
    let alpha = &p.initiatives[0];
    let sim = simulate(&p.settings, "alpha", &alpha.plan, &certain(), &cfg(100)).unwrap();
    let npv = *business_case(&p, &alpha.plan).npv.value().unwrap();
    // NPV = -100/1.1 + 10/1.21 + 121/1.331 = 10/1.21 (tests/analysis.rs).
    assert!(close(sim.planned_npv, npv, 1e-12));
    assert!(close(npv, 10.0 / 1.21, 1e-12));
    // No uncertainty: every trial is the plan.
    assert_eq!(sim.std_dev, 0.0);
    assert!(close(sim.mean, npv, 1e-12));
    assert!(sim.percentiles.iter().all(|q| q.value == sim.min));
    assert_eq!(sim.min, sim.max);
    assert_eq!(sim.histogram.len(), 1);
    assert_eq!(sim.histogram[0].count, 100);
    assert_eq!(sim.prob_negative_npv, 0.0);
}

#[test]
fn fixed_delay_multipliers_and_rounding() {
    let p = common::portfolio();
    let plan = &p.initiatives[0].plan;
    let pv_cost = 100.0 / 1.1 + 50.0 / 1.21;
    let pv_benefit = 60.0 / 1.21 + 121.0 / 1.331;
    let run = |u: Uncertainty| simulate(&p.settings, "alpha", plan, &u, &cfg(10)).unwrap();
    // One period late: benefits discounted one more year.
    let mut u = certain();
    u.delay = fixed(1.0);
    assert!(close(run(u.clone()).mean, pv_benefit / 1.1 - pv_cost, 1e-9));
    // 0.4 rounds to 0, 0.5 to 1 (halves away from zero), -0.5 to -1.
    u.delay = fixed(0.4);
    assert!(close(run(u.clone()).mean, pv_benefit - pv_cost, 1e-9));
    u.delay = fixed(0.5);
    assert!(close(run(u.clone()).mean, pv_benefit / 1.1 - pv_cost, 1e-9));
    u.delay = fixed(-0.5);
    assert!(close(run(u.clone()).mean, pv_benefit * 1.1 - pv_cost, 1e-9));
    // Costs +30%, benefits at 60%.
    let mut u = certain();
    u.cost = fixed(1.3);
    u.benefit = fixed(0.6);
    let s = run(u);
    assert!(close(s.mean, 0.6 * pv_benefit - 1.3 * pv_cost, 1e-9));
    assert_eq!(s.prob_negative_npv, 1.0);
}

#[test]
fn horizon_drops_late_benefits() {
    let p = common::portfolio();
    let plan = &p.initiatives[0].plan;
    let mut u = certain();
    u.delay = fixed(1.0);
    let c = SimulationConfig {
        trials: 5,
        horizon: Some(Period(2027)),
        ..SimulationConfig::default()
    };
    // Delayed by one year, only the 2025 benefit (0) lands before 2027.
    let s = simulate(&p.settings, "alpha", plan, &u, &c).unwrap();
    assert!(close(s.mean, -(100.0 / 1.1 + 50.0 / 1.21), 1e-9));
    // Without delay, 2025 and 2026 count: 60/1.21.
    let s = simulate(&p.settings, "alpha", plan, &certain(), &c).unwrap();
    assert!(close(
        s.mean,
        60.0 / 1.21 - (100.0 / 1.1 + 50.0 / 1.21),
        1e-9
    ));
}

#[test]
fn cost_only_quantiles_mirror_the_cost_distribution() {
    // Benefits zero: NPV = -m * PV(costs), so NPV's P10 is -PV(costs) times the cost
    // multiplier's P90 (a=0.8, mode 1.0, b=1.6: c = 0.25, P90 = 1.6 - sqrt(0.1*0.8*0.6)).
    let p = common::portfolio();
    let plan = CashPlan {
        start: Period(2025),
        cost: vec![100.0, 50.0],
        benefit: vec![0.0, 0.0],
    };
    let pv_cost = 100.0 / 1.1 + 50.0 / 1.21;
    let mut u = certain();
    u.cost = r3(0.8, 1.0, 1.6);
    let s = simulate(&p.settings, "x", &plan, &u, &cfg(200_000)).unwrap();
    let p90_mult = 1.6 - (0.1f64 * 0.8 * 0.6).sqrt();
    let p10_mult = 0.8 + (0.1f64 * 0.8 * 0.2).sqrt();
    assert!(close(s.percentiles[0].value, -pv_cost * p90_mult, 0.3));
    assert!(close(s.percentiles[2].value, -pv_cost * p10_mult, 0.3));
    assert!(close(s.mean, -pv_cost * (0.8 + 1.0 + 1.6) / 3.0, 0.1));
    assert_eq!(s.prob_negative_npv, 1.0);
}

#[test]
fn deterministic_streams() {
    let p = common::portfolio();
    let mut i = p.initiatives[0].clone();
    i.uncertainty = Uncertainty {
        cost: r3(0.9, 1.0, 1.5),
        benefit: r3(0.5, 0.9, 1.1),
        delay: r3(0.0, 0.0, 2.0),
        distribution: Distribution::Pert,
    };
    let c = cfg(5_000);
    let a = simulate_initiative(&p.settings, &i, &c).unwrap();
    let b = simulate_initiative(&p.settings, &i, &c).unwrap();
    // Bit for bit, including the serialised form.
    assert_eq!(a.mean.to_bits(), b.mean.to_bits());
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    // Another id, another stream.
    let mut j = i.clone();
    j.id = "alpha2".to_owned();
    let other = simulate_initiative(&p.settings, &j, &c).unwrap();
    assert_ne!(other.stream_seed, a.stream_seed);
    assert_ne!(other.mean.to_bits(), a.mean.to_bits());
    // Another user seed, another stream.
    let reseeded =
        simulate_initiative(&p.settings, &i, &SimulationConfig { seed: 1, ..c }).unwrap();
    assert_ne!(reseeded.mean.to_bits(), a.mean.to_bits());
    // But the same distribution, roughly.
    assert!(close(reseeded.mean, a.mean, 0.05 * a.std_dev.max(1.0)));
}

#[test]
fn pinned_stream() {
    // Pins the generator and sampler: if this changes, every published simulation does.
    // Exact values (x86_64, debug and release; libm makes wasm32 agree). The seed, the
    // first draw and its uniform were computed by an independent implementation of
    // FNV-1a, SplitMix64 and xoshiro256**, not by this crate.
    assert_eq!(stream_seed("alpha", 0), 0x1253_c85b_0c81_7711);
    assert_eq!(
        Rng::new(stream_seed("alpha", 0)).next_u64(),
        0xdc35_e4fe_229c_f6aa
    );
    // uniform() = ((bits >> 11) + 0.5) / 2^53 of that draw.
    let u = Rng::new(stream_seed("alpha", 0)).uniform();
    assert_eq!(u.to_bits(), 0x3feb_86bc_9fc4_539e, "{u}");
    let p = common::portfolio();
    let mut i = p.initiatives[0].clone();
    i.uncertainty = Uncertainty {
        cost: r3(0.9, 1.0, 1.5),
        benefit: r3(0.5, 0.9, 1.1),
        delay: r3(0.0, 0.0, 2.0),
        distribution: Distribution::Pert,
    };
    let s = simulate_initiative(&p.settings, &i, &cfg(1000)).unwrap();
    assert_eq!(s.mean.to_bits(), 0xc035_d105_5339_6617, "{}", s.mean);
    assert_eq!(
        s.percentiles[1].value.to_bits(),
        0xc034_ddec_4d1f_539a,
        "{}",
        s.percentiles[1].value
    );
}

#[test]
fn percentile_labels_state_the_direction() {
    let p = common::portfolio();
    let s = simulate(
        &p.settings,
        "a",
        &p.initiatives[0].plan,
        &certain(),
        &cfg(1),
    )
    .unwrap();
    let labels: Vec<(u8, &str)> = s
        .percentiles
        .iter()
        .map(|q| (q.p, q.label.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            (10, "P10: 10% of outcomes are at or below this value"),
            (50, "P50: 50% of outcomes are at or below this value"),
            (90, "P90: 90% of outcomes are at or below this value"),
        ]
    );
}

#[test]
fn quantile_type7() {
    // numpy.percentile([1, 2, 3, 4], 10) = 1.3; 50 -> 2.5; 90 -> 3.7.
    let xs = [1.0, 2.0, 3.0, 4.0];
    assert!(close(quantile_sorted(&xs, 0.1).unwrap(), 1.3, 1e-12));
    assert!(close(quantile_sorted(&xs, 0.5).unwrap(), 2.5, 1e-12));
    assert!(close(quantile_sorted(&xs, 0.9).unwrap(), 3.7, 1e-12));
    assert_eq!(quantile_sorted(&[5.0], 0.9), Some(5.0));
    assert_eq!(quantile_sorted(&[], 0.5), None);
    assert_eq!(quantile_sorted(&xs, 1.5), None);
}

#[test]
fn typed_errors_on_bad_input() {
    let p = common::portfolio();
    let plan = &p.initiatives[0].plan;
    let u = certain();
    let run = |u: &Uncertainty, c: &SimulationConfig| simulate(&p.settings, "a", plan, u, c);
    assert_eq!(run(&u, &cfg(0)), Err(SimulationError::NoTrials));
    assert!(matches!(
        run(&u, &cfg(MAX_TRIALS + 1)),
        Err(SimulationError::TooManyTrials { .. })
    ));
    let no_bins = SimulationConfig { bins: 0, ..cfg(10) };
    assert!(matches!(
        run(&u, &no_bins),
        Err(SimulationError::BadBinCount { .. })
    ));
    let mut bad = u.clone();
    bad.cost = r3(1.2, 1.0, 1.5);
    assert!(matches!(
        run(&bad, &cfg(10)),
        Err(SimulationError::InvalidRange {
            what: "cost multiplier",
            ..
        })
    ));
    bad.cost = r3(f64::NAN, 1.0, 1.5);
    assert!(run(&bad, &cfg(10)).is_err());
    bad.cost = r3(-f64::MAX, 0.0, f64::MAX);
    assert!(run(&bad, &cfg(10)).is_err());
    let mut s = p.settings.clone();
    s.discount_rate = -1.0;
    assert!(matches!(
        simulate(&s, "a", plan, &u, &cfg(10)),
        Err(SimulationError::Finance(_))
    ));
    // Errors display a sentence.
    assert_eq!(
        SimulationError::NoTrials.to_string(),
        "the simulation needs at least one trial"
    );
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let p = common::portfolio();
    let zero = CashPlan {
        start: Period(2025),
        cost: vec![0.0; 7],
        benefit: vec![0.0; 7],
    };
    let mut u = certain();
    u.cost = r3(0.5, 1.0, 3.0);
    u.delay = r3(-2.0, 0.0, 8.0);
    let s = simulate(&p.settings, "z", &zero, &u, &cfg(1000)).unwrap();
    assert_eq!((s.min, s.max, s.mean, s.std_dev), (0.0, 0.0, 0.0, 0.0));
    assert_eq!(s.prob_negative_npv, 0.0);
    assert_eq!(s.histogram.len(), 1);
    // Empty plan.
    let empty = CashPlan {
        start: Period(2025),
        cost: vec![],
        benefit: vec![],
    };
    assert_eq!(
        simulate(&p.settings, "e", &empty, &u, &cfg(10))
            .unwrap()
            .max,
        0.0
    );
    // Huge multipliers and delays: a finite answer or a typed error, never NaN.
    let plan = &p.initiatives[0].plan;
    for (cost, benefit, delay) in [
        (r3(0.0, 1.0, 1e300), r3(0.0, 1.0, 1e300), r3(0.0, 0.0, 1e9)),
        (
            r3(1e307, 1e307, 1e308),
            r3(0.0, 1.0, 1e308),
            r3(-1e15, 0.0, 1e15),
        ),
        (
            r3(-1e308, 0.0, 0.0),
            r3(0.0, 0.0, 1e308),
            r3(-1e300, 0.0, 0.0),
        ),
    ] {
        for distribution in [Distribution::Triangular, Distribution::Pert] {
            let u = Uncertainty {
                cost,
                benefit,
                delay,
                distribution,
            };
            match simulate(&p.settings, "h", plan, &u, &cfg(2000)) {
                Ok(s) => {
                    for v in [s.mean, s.std_dev, s.min, s.max, s.prob_negative_npv] {
                        assert!(v.is_finite());
                    }
                    assert!(s.percentiles.iter().all(|q| q.value.is_finite()));
                    assert!(
                        s.histogram
                            .iter()
                            .all(|b| b.start.is_finite() && b.end.is_finite())
                    );
                }
                Err(e) => assert!(matches!(e, SimulationError::NonFinite { .. })),
            }
        }
    }
}

fn range() -> impl Strategy<Value = Range3> {
    (-1e6..1e6f64, 0.0..1e6f64, 0.0..1e6f64).prop_map(|(low, a, b)| r3(low, low + a, low + a + b))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn outputs_are_ordered_and_finite(
        cost in prop::collection::vec(-1e9..1e9f64, 0..10),
        benefit in prop::collection::vec(-1e9..1e9f64, 0..10),
        c in range(),
        b in range(),
        d in (-20.0..20.0f64, 0.0..10.0f64, 0.0..10.0f64).prop_map(|(l, a, b)| r3(l, l + a, l + a + b)),
        pert in any::<bool>(),
        rate in -0.5..0.5f64,
        trials in 1..400usize,
        seed in any::<u64>(),
        horizon in prop::option::of(2020..2040i32),
    ) {
        let mut p = common::portfolio();
        p.settings.discount_rate = rate;
        let n = cost.len().min(benefit.len());
        let plan = CashPlan { start: Period(2025), cost: cost[..n].to_vec(), benefit: benefit[..n].to_vec() };
        let u = Uncertainty {
            cost: c,
            benefit: b,
            delay: d,
            distribution: if pert { Distribution::Pert } else { Distribution::Triangular },
        };
        let config = SimulationConfig { trials, seed, bins: 30, horizon: horizon.map(Period) };
        let s = simulate(&p.settings, "prop", &plan, &u, &config).unwrap();
        let q: Vec<f64> = s.percentiles.iter().map(|x| x.value).collect();
        prop_assert!(s.min <= q[0] && q[0] <= q[1] && q[1] <= q[2] && q[2] <= s.max, "{q:?}");
        prop_assert!((0.0..=1.0).contains(&s.prob_negative_npv));
        prop_assert_eq!(s.histogram.iter().map(|b| b.count).sum::<usize>(), trials);
        prop_assert!(s.mean.is_finite() && s.std_dev.is_finite() && s.std_dev >= 0.0);
        let slack = 1e-9 * s.min.abs().max(s.max.abs()).max(1.0);
        prop_assert!(s.mean >= s.min - slack && s.mean <= s.max + slack);
        for w in s.histogram.windows(2) {
            prop_assert!(w[0].start <= w[0].end && w[0].end == w[1].start);
        }
    }
}

/// Speed: `cargo test -p vmo-core --release --test montecarlo -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run in release"]
fn timing_10k_trials_7_periods() {
    let p = common::portfolio();
    let plan = CashPlan {
        start: Period(2025),
        cost: vec![500.0, 300.0, 100.0, 50.0, 50.0, 50.0, 50.0],
        benefit: vec![0.0, 100.0, 300.0, 400.0, 400.0, 400.0, 400.0],
    };
    for distribution in [Distribution::Triangular, Distribution::Pert] {
        let u = Uncertainty {
            cost: r3(0.9, 1.0, 1.6),
            benefit: r3(0.4, 0.9, 1.1),
            delay: r3(0.0, 1.0, 4.0),
            distribution,
        };
        let runs = 50;
        let start = std::time::Instant::now();
        let mut sink = 0.0;
        for seed in 0..runs {
            let c = SimulationConfig {
                seed,
                ..SimulationConfig::default()
            };
            sink += simulate(&p.settings, "timing", &plan, &u, &c).unwrap().mean;
        }
        let per = start.elapsed() / runs as u32;
        println!(
            "{distribution:?}: 10k trials x 7 periods: {per:?} per simulation (sink {sink:.1})"
        );
    }
}
