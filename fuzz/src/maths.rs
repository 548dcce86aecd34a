//! Target `value_maths`: `vmo_core::finance` on arbitrary floats (NaN, infinities,
//! subnormals, 1e308) and `analysis::business_case` on any plan the content checks
//! accept (finite, non-negative amounts) under any settings.
//!
//! Oracles, from the documented contracts:
//! - `finance` functions never return NaN or an infinity (`Ok` values are finite);
//! - IRR roots are finite, above -100%, ascending and distinct, and for moderate flows
//!   the NPV at each root is zero relative to the flows' discounted magnitude;
//! - a business case of amounts up to [`MAX_AMOUNT`] never holds NaN ("money never
//!   silently becomes NaN"); its computed metrics are finite.

use arbitrary::{Arbitrary, Unstructured};
use vmo_core::finance::{self, IrrOutcome, Payback};

/// The largest amount the content checks are to accept (1e15: a quadrillion is a typo in
/// any currency). Without a bound, two periods of 1e308 make `total_net` inf - inf = NaN,
/// which the JSON export writes as `null`: `tests/hostile.rs`,
/// `absurd_amounts_are_refused`, pins the content-side fix.
const MAX_AMOUNT: f64 = 1e15;

#[derive(Arbitrary, Debug)]
pub struct Input {
    values: Vec<f64>,
    rate: f64,
    first_t: f64,
    finance_rate: f64,
    reinvest_rate: f64,
    /// Small integers as flows: the regime where the IRR residual is checked.
    small: Vec<i16>,
    case: Case,
}

#[derive(Arbitrary, Debug)]
struct Case {
    rate: f64,
    quarterly: bool,
    discounting: u8,
    fiscal_month: u8,
    base_year: i16,
    start_offset: i8,
    cost: Vec<f64>,
    benefit: Vec<f64>,
}

fn finite(what: &str, r: &Result<f64, finance::FinanceError>) {
    if let Ok(x) = r {
        assert!(x.is_finite(), "{what} returned {x}");
    }
}

fn check_payback(what: &str, r: &Result<Payback, finance::FinanceError>) {
    if let Ok(Payback::After(p)) = r {
        assert!(p.is_finite(), "{what} returned After({p})");
    }
}

fn check_irr(values: &[f64], r: &Result<IrrOutcome, finance::FinanceError>, residual: bool) {
    let Ok(IrrOutcome::Roots(roots)) = r else {
        return;
    };
    assert!(!roots.is_empty(), "Roots([]) for {values:?}");
    for w in roots.windows(2) {
        assert!(w[0] < w[1], "roots not ascending and distinct: {roots:?}");
    }
    for &root in roots {
        assert!(
            root.is_finite() && root > -1.0,
            "root {root} for {values:?}"
        );
        if residual {
            let mut npv = 0.0;
            let mut scale = 0.0;
            for (i, v) in values.iter().enumerate() {
                let df = (1.0 + root).powf(-(i as f64));
                npv += v * df;
                scale += (v * df).abs();
            }
            if scale.is_finite() && scale > 0.0 {
                assert!(
                    npv.abs() <= 1e-6 * scale,
                    "NPV at root {root} is {npv} (scale {scale}) for {values:?}"
                );
            }
        }
    }
}

pub fn value_maths(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(input) = Input::arbitrary(&mut u) else {
        return;
    };
    let v = &input.values;
    finite(
        "npv_periodic",
        &finance::npv_periodic(input.rate, v, input.first_t),
    );
    finite(
        "mirr",
        &finance::mirr(v, input.finance_rate, input.reinvest_rate),
    );
    check_payback("payback", &finance::payback(v, input.first_t));
    check_payback(
        "discounted_payback",
        &finance::discounted_payback(input.rate, v, input.first_t),
    );
    check_irr(v, &finance::irr(v), false);
    let small: Vec<f64> = input.small.iter().map(|&x| f64::from(x)).collect();
    if small.len() <= 24 {
        check_irr(&small, &finance::irr(&small), true);
    }
    finite(
        "npv_periodic (small)",
        &finance::npv_periodic(input.rate, &small, 1.0),
    );
    business_case(&input.case);
}

fn business_case(c: &Case) {
    use vmo_core::*;
    // What the content checks let through: finite, non-negative amounts, at most
    // MAX_AMOUNT.
    let amount = |x: &f64| {
        if x.is_finite() {
            x.abs().min(MAX_AMOUNT)
        } else {
            0.0
        }
    };
    let n = c.cost.len().min(c.benefit.len()).min(64);
    let cost: Vec<f64> = c.cost[..n].iter().map(amount).collect();
    let benefit: Vec<f64> = c.benefit[..n].iter().map(amount).collect();
    if n == 0 {
        return;
    }
    let calendar = Calendar {
        cadence: if c.quarterly {
            Cadence::Quarter
        } else {
            Cadence::Year
        },
        fiscal_year_start_month: 1 + c.fiscal_month % 12,
    };
    let ppy = calendar.periods_per_year();
    let base = Period(i32::from(c.base_year) * ppy);
    let settings = Settings {
        title: String::new(),
        description: String::new(),
        organisation: String::new(),
        base_url: "/".into(),
        currency: "EUR".into(),
        as_of: Date::from_days_since_epoch(0),
        calendar,
        discount_rate: c.rate,
        discounting: match c.discounting % 3 {
            0 => Discounting::EndOfPeriod,
            1 => Discounting::MidPeriod,
            _ => Discounting::StartOfPeriod,
        },
        base_period: base,
        budget: None,
    };
    let p = Portfolio {
        settings,
        objectives: Vec::new(),
        value_streams: Vec::new(),
        stages: Vec::new(),
        criteria: Vec::new(),
        models: Vec::new(),
        initiatives: Vec::new(),
    };
    let plan = CashPlan {
        start: Period(base.0 + i32::from(c.start_offset)),
        cost,
        benefit,
    };
    let bc = analysis::business_case(&p, &plan);
    let debug = format!("{bc:?}");
    assert!(!debug.contains("NaN"), "NaN in a business case: {bc:#?}");
    for (what, m) in [
        ("pv_cost", &bc.pv_cost),
        ("pv_benefit", &bc.pv_benefit),
        ("npv", &bc.npv),
        ("mirr", &bc.mirr),
        ("roi", &bc.roi),
        ("bcr", &bc.bcr),
    ] {
        if let Some(x) = m.value() {
            assert!(x.is_finite(), "{what} = {x}");
        }
    }
    for r in &bc.rows {
        for x in [r.discount_factor, r.pv_net, r.cumulative_pv]
            .into_iter()
            .flatten()
        {
            assert!(x.is_finite(), "row {r:?}");
        }
    }
}
