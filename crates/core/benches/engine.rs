//! The value engine's hot paths, on synthetic portfolios of realistic shape:
//! business cases (NPV, IRR, ...) for 10,000 plans, re-ranking 10,000 initiatives,
//! exact budget selection of 200 and 1,000 items, the efficient frontier, a what-if
//! scenario, and a 10,000-trial Monte Carlo simulation.
//!
//! Run with `cargo bench -p vmo-core --bench engine`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::collections::BTreeMap;
use std::hint::black_box;
use vmo_core::analysis::business_case;
use vmo_core::scoring;
use vmo_core::selection::{self, Budget, Item};
use vmo_core::whatif::{self, Scenario};
use vmo_core::*;

/// xorshift64*: deterministic inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn date(s: &str) -> Date {
    Date::parse(s).expect("bench date")
}

fn portfolio() -> Portfolio {
    Portfolio {
        settings: Settings {
            title: "Bench".to_owned(),
            description: String::new(),
            organisation: String::new(),
            base_url: "/".to_owned(),
            currency: "EUR".to_owned(),
            as_of: date("2026-06-30"),
            calendar: Calendar {
                cadence: Cadence::Quarter,
                fiscal_year_start_month: 1,
            },
            discount_rate: 0.08,
            discounting: Discounting::MidPeriod,
            base_period: Period(2025 * 4),
            budget: None,
        },
        objectives: vec![],
        value_streams: vec![],
        stages: vec![],
        criteria: vec![
            vmo_core::Criterion {
                id: "fit".to_owned(),
                name: "Strategic fit".to_owned(),
                description: String::new(),
                min: 0.0,
                max: 5.0,
                direction: Direction::HigherIsBetter,
            },
            vmo_core::Criterion {
                id: "risk".to_owned(),
                name: "Delivery risk".to_owned(),
                description: String::new(),
                min: 0.0,
                max: 5.0,
                direction: Direction::LowerIsBetter,
            },
        ],
        models: vec![],
        initiatives: vec![],
    }
}

/// A quarterly plan: 2-6 quarters of delivery cost, then 4-16 quarters of benefits.
fn plan(rng: &mut Rng) -> CashPlan {
    let build = 2 + rng.below(5);
    let run = 4 + rng.below(13);
    let capex = rng.range(50e3, 2e6);
    let ratio = rng.range(0.4, 3.0);
    let mut cost = vec![capex / build as f64; build];
    let mut benefit = vec![0.0; build];
    for _ in 0..run {
        cost.push(capex * 0.02);
        benefit.push(capex * ratio / run as f64 * rng.range(0.7, 1.3));
    }
    CashPlan {
        start: Period(2025 * 4 + rng.below(8) as i32),
        cost,
        benefit,
    }
}

fn initiative(k: usize, rng: &mut Rng) -> Initiative {
    let fib = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0];
    let mut f = || fib[rng.below(fib.len())];
    let wsjf = Some(WsjfInputs {
        business_value: f(),
        time_criticality: f(),
        risk_reduction: f(),
        job_size: f(),
    });
    Initiative {
        id: format!("i{k:05}"),
        title: String::new(),
        summary: String::new(),
        kind: Kind::Project,
        stage: "delivery".to_owned(),
        value_stream: "vs".to_owned(),
        objectives: vec![],
        owner: String::new(),
        sponsor: String::new(),
        start: date("2025-01-01"),
        end: date("2027-12-31"),
        health: Health::Green,
        tags: vec![],
        plan: plan(rng),
        actuals: None,
        uncertainty: Uncertainty {
            cost: Range3 {
                low: 1.0,
                likely: 1.0,
                high: 1.0,
            },
            benefit: Range3 {
                low: 1.0,
                likely: 1.0,
                high: 1.0,
            },
            delay: Range3 {
                low: 0.0,
                likely: 0.0,
                high: 0.0,
            },
            distribution: Distribution::Triangular,
        },
        wsjf,
        rice: None,
        criteria: BTreeMap::from([
            ("fit".to_owned(), rng.range(0.0, 5.0).round()),
            ("risk".to_owned(), rng.range(0.0, 5.0).round()),
        ]),
        kpis: vec![],
        risks: vec![],
        milestones: vec![],
        depends_on: vec![],
    }
}

/// `n` candidate initiatives: value an NPV-like figure (cost × a return between -30% and
/// +250%), cost split over `periods` budget periods, about 8% depending on one or two
/// others, a few pinned and excluded.
fn items(n: usize, periods: usize, seed: u64) -> Vec<Item> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|k| {
            let cost = libm::exp(rng.range(libm::log(50e3), libm::log(5e6)));
            let value = (cost * rng.range(-0.3, 2.5)).round();
            let split: Vec<f64> = (0..periods).map(|_| rng.range(0.2, 1.0)).collect();
            let sum: f64 = split.iter().sum();
            let depends_on = if k > 10 && rng.below(100) < 8 {
                (0..1 + rng.below(2)).map(|_| rng.below(k)).collect()
            } else {
                vec![]
            };
            Item {
                id: format!("i{k}"),
                value,
                cost: split.iter().map(|s| (cost * s / sum).round()).collect(),
                pinned: rng.below(100) < 2,
                excluded: rng.below(100) < 2,
                depends_on,
            }
        })
        .map(|mut it| {
            if it.pinned && it.excluded {
                it.excluded = false;
            }
            it
        })
        .collect()
}

fn budget_share(items: &[Item], share: f64, periods: usize) -> Budget {
    let per: Vec<f64> = (0..periods)
        .map(|d| share * items.iter().map(|i| i.cost[d]).sum::<f64>())
        .collect();
    if periods == 1 {
        Budget::Total(per[0])
    } else {
        Budget::PerPeriod(per)
    }
}

fn engine(c: &mut Criterion) {
    let mut rng = Rng(0x5eed);
    let p = portfolio();
    let plans: Vec<CashPlan> = (0..10_000).map(|_| plan(&mut rng)).collect();
    c.bench_function("business_case x10k (NPV, IRR, MIRR, payback)", |b| {
        b.iter(|| {
            for pl in &plans {
                black_box(business_case(&p, black_box(pl)));
            }
        })
    });

    let scenario = Scenario {
        cost_overrun: 0.3,
        benefit_realisation: 0.6,
        delay_periods: 2,
        discount_rate: Some(0.1),
        horizon: Some(20),
        discounting: None,
    };
    c.bench_function("what-if scenario, one plan", |b| {
        b.iter(|| black_box(whatif::evaluate(&p, black_box(&plans[0]), &scenario)))
    });

    let uncertainty = Uncertainty {
        cost: Range3 {
            low: 0.9,
            likely: 1.05,
            high: 1.5,
        },
        benefit: Range3 {
            low: 0.5,
            likely: 0.9,
            high: 1.15,
        },
        delay: Range3 {
            low: 0.0,
            likely: 1.0,
            high: 3.0,
        },
        distribution: Distribution::Pert,
    };
    let config = montecarlo::SimulationConfig {
        trials: 10_000,
        ..Default::default()
    };
    c.bench_function("Monte Carlo, 10k trials, PERT", |b| {
        b.iter(|| {
            black_box(montecarlo::simulate(
                &p.settings,
                "bench",
                black_box(&plans[0]),
                &uncertainty,
                &config,
            ))
        })
    });
    let triangular = Uncertainty {
        distribution: Distribution::Triangular,
        ..uncertainty.clone()
    };
    c.bench_function("Monte Carlo, 10k trials, triangular", |b| {
        b.iter(|| {
            black_box(montecarlo::simulate(
                &p.settings,
                "bench",
                black_box(&plans[0]),
                &triangular,
                &config,
            ))
        })
    });

    let initiatives: Vec<Initiative> = (0..10_000).map(|k| initiative(k, &mut rng)).collect();
    let wsjf = PriorityModel {
        id: "wsjf".to_owned(),
        name: "WSJF".to_owned(),
        description: String::new(),
        method: Method::Wsjf,
    };
    let weighted = PriorityModel {
        id: "weighted".to_owned(),
        name: "Weighted".to_owned(),
        description: String::new(),
        method: Method::Weighted {
            weights: vec![("fit".to_owned(), 3.0), ("risk".to_owned(), 1.0)],
        },
    };
    c.bench_function("rank x10k, WSJF", |b| {
        b.iter(|| black_box(scoring::rank(&wsjf, &initiatives, &p.criteria)))
    });
    c.bench_function("rank x10k, weighted", |b| {
        b.iter(|| black_box(scoring::rank(&weighted, &initiatives, &p.criteria)))
    });

    let mut group = c.benchmark_group("selection");
    for (n, periods, share) in [(200, 1, 0.3), (200, 3, 0.3), (1000, 1, 0.3), (1000, 3, 0.3)] {
        let its = items(n, periods, 42 + n as u64);
        let budget = budget_share(&its, share, periods);
        let s = selection::select(&its, &budget).expect("feasible");
        eprintln!(
            "select n={n} periods={periods}: exact={} nodes={} chosen={} value={}",
            s.exact,
            s.nodes,
            s.chosen.len(),
            s.value
        );
        group.bench_function(format!("select n={n} periods={periods}"), |b| {
            b.iter(|| black_box(selection::select(black_box(&its), &budget)))
        });
    }
    let mut its = items(1000, 1, 1042);
    its.iter_mut().for_each(|i| i.depends_on.clear());
    let budget = budget_share(&its, 0.3, 1);
    let s = selection::select(&its, &budget).expect("feasible");
    eprintln!(
        "select n=1000 periods=1 no dependencies: exact={} nodes={}",
        s.exact, s.nodes
    );
    group.bench_function("select n=1000 periods=1, no dependencies", |b| {
        b.iter(|| black_box(selection::select(black_box(&its), &budget)))
    });
    let its = items(200, 1, 7);
    let total: f64 = its.iter().map(|i| i.cost[0]).sum();
    let levels: Vec<f64> = (1..=20).map(|k| total * k as f64 / 20.0).collect();
    group.bench_function("frontier n=200, 20 levels", |b| {
        b.iter(|| black_box(selection::efficient_frontier(black_box(&its), &levels)))
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
