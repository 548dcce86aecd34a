//! Money maths: discounting, NPV, IRR (every root), MIRR, ROI, payback, benefit-cost
//! ratio.
//!
//! # Conventions
//!
//! - Rates are effective per period of the flows they apply to (per year for
//!   [`xnpv`]/[`xirr`] and [`discount_factor`]). A rate must be finite and above -100%.
//! - Discounting uses `(1 + r)^-t` computed with `libm`, so every platform (native and
//!   wasm) gives the same digits.
//! - [`npv_periodic`] counts value `i` at time `first_t + i` periods: `first_t = 1` is the
//!   spreadsheet `NPV()` convention (every value at the end of its period, the first
//!   too), `first_t = 0` is numpy-financial's `npv` (the first value undiscounted), and
//!   `first_t = 0.5` is mid-period discounting.
//! - Functions never return NaN or an infinity: on input they cannot handle, they
//!   return a [`FinanceError`] saying why.

use crate::date::Date;
use serde::Serialize;
use std::fmt;

/// Why a financial metric could not be computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum FinanceError {
    /// No cash flows were given.
    EmptyFlows,
    /// The metric needs at least `needed` flows.
    TooFewFlows { needed: usize },
    /// A rate of -100% or less: `(1 + r)` must be positive.
    RateAtOrBelowMinusOne { rate: f64 },
    /// An input or the result is not a finite number (NaN, infinite, or overflowed).
    NonFinite { what: &'static str },
    /// The metric divides by something that is zero.
    ZeroDenominator { what: &'static str },
    /// The metric needs at least one negative and one positive flow.
    NeedsPositiveAndNegative,
    /// A dated flow is earlier than the first one (XNPV/XIRR measure time from the
    /// first date, which must be the earliest).
    DateBeforeFirst { index: usize },
}

impl fmt::Display for FinanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinanceError::EmptyFlows => f.write_str("there are no cash flows"),
            FinanceError::TooFewFlows { needed } => {
                write!(f, "at least {needed} cash flows are needed")
            }
            FinanceError::RateAtOrBelowMinusOne { rate } => {
                write!(f, "the rate {rate} is at or below -100%")
            }
            FinanceError::NonFinite { what } => write!(f, "the {what} is not a finite number"),
            FinanceError::ZeroDenominator { what } => write!(f, "the {what} is zero"),
            FinanceError::NeedsPositiveAndNegative => {
                f.write_str("at least one negative and one positive cash flow are needed")
            }
            FinanceError::DateBeforeFirst { index } => write!(
                f,
                "cash flow {index} is dated before the first cash flow, which must be the earliest"
            ),
        }
    }
}

impl std::error::Error for FinanceError {}

type Result<T> = std::result::Result<T, FinanceError>;

fn check_rate(rate: f64) -> Result<()> {
    if !rate.is_finite() {
        Err(FinanceError::NonFinite { what: "rate" })
    } else if rate <= -1.0 {
        Err(FinanceError::RateAtOrBelowMinusOne { rate })
    } else {
        Ok(())
    }
}

fn check_flows(values: &[f64]) -> Result<()> {
    if values.is_empty() {
        Err(FinanceError::EmptyFlows)
    } else if values.iter().any(|v| !v.is_finite()) {
        Err(FinanceError::NonFinite { what: "cash flow" })
    } else {
        Ok(())
    }
}

fn finite(x: f64, what: &'static str) -> Result<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(FinanceError::NonFinite { what })
    }
}

/// The discount factor `(1 + rate)^-t`: the present value of 1 received `t` periods
/// (years, for an annual rate) after the base date. `t` may be fractional or negative.
pub fn discount_factor(rate: f64, t: f64) -> Result<f64> {
    check_rate(rate)?;
    finite(t, "time")?;
    finite(libm::pow(1.0 + rate, -t), "discount factor")
}

/// Net present value of per-period flows: value `i` is counted at time `first_t + i`
/// periods and discounted by `(1 + rate_per_period)^-(first_t + i)`.
///
/// `first_t = 1` is the spreadsheet `NPV()` convention, `0` numpy-financial's `npv`,
/// `0.5` mid-period.
pub fn npv_periodic(rate_per_period: f64, values: &[f64], first_t: f64) -> Result<f64> {
    check_rate(rate_per_period)?;
    check_flows(values)?;
    finite(first_t, "first flow time")?;
    let mut sum = 0.0;
    for (i, v) in values.iter().enumerate() {
        sum += v * discount_factor(rate_per_period, first_t + i as f64)?;
    }
    finite(sum, "net present value")
}

fn year_fractions(flows: &[(Date, f64)]) -> Result<Vec<(f64, f64)>> {
    let Some(&(d0, _)) = flows.first() else {
        return Err(FinanceError::EmptyFlows);
    };
    flows
        .iter()
        .enumerate()
        .map(|(i, &(d, v))| {
            let days = d0.days_until(d);
            if days < 0 {
                return Err(FinanceError::DateBeforeFirst { index: i });
            }
            finite(v, "cash flow")?;
            Ok((days as f64 / 365.0, v))
        })
        .collect()
}

/// Net present value of dated flows, the spreadsheet `XNPV()` convention: each flow is
/// discounted by `(1 + rate)^-(days since the first date / 365)` with an annual rate.
/// The first flow must be the earliest; the others may be in any order.
pub fn xnpv(rate: f64, flows: &[(Date, f64)]) -> Result<f64> {
    check_rate(rate)?;
    let mut sum = 0.0;
    for (t, v) in year_fractions(flows)? {
        sum += v * discount_factor(rate, t)?;
    }
    finite(sum, "net present value")
}

/// The internal rates of return of a series of flows: every real rate above -100% at
/// which the NPV is zero.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "roots", rename_all = "kebab-case")]
pub enum IrrOutcome {
    /// The roots, ascending and deduplicated. Several roots happen when the flows change
    /// sign more than once; none of them is "the" IRR then.
    Roots(Vec<f64>),
    /// Every flow has the same sign (or is zero): no rate makes the NPV zero.
    NoSignChange,
    /// The flows change sign, but the NPV has no real zero above -100%.
    NoRootInRange,
}

impl IrrOutcome {
    /// The root when there is exactly one.
    pub fn unique(&self) -> Option<f64> {
        match self {
            IrrOutcome::Roots(r) if r.len() == 1 => Some(r[0]),
            _ => None,
        }
    }

    /// Applies `f` to every root (e.g. to annualise quarterly rates); roots that become
    /// non-finite are dropped.
    pub fn map_roots(&self, f: impl Fn(f64) -> Result<f64>) -> IrrOutcome {
        match self {
            IrrOutcome::Roots(r) => {
                let mapped: Vec<f64> = r.iter().filter_map(|&x| f(x).ok()).collect();
                if mapped.is_empty() {
                    IrrOutcome::NoRootInRange
                } else {
                    IrrOutcome::Roots(mapped)
                }
            }
            other => other.clone(),
        }
    }
}

/// Every IRR of per-period flows (value `i` at the end of period `i`, value 0 at time
/// 0), as rates per period.
///
/// Unlike spreadsheet `IRR()` this needs no guess and finds all roots: writing
/// `s = ln(1 + r)`, the NPV is a sum of exponentials `sum v_i e^(-s i)`, whose real roots
/// are isolated by the roots of its successive derivatives (Rolle), bounded by a Cauchy
/// bound, and polished by safeguarded Newton. A root of even multiplicity (the NPV
/// touching zero) is reported when the NPV at a turning point is zero to within
/// 1e-12 of the flows' discounted magnitude.
pub fn irr(values: &[f64]) -> Result<IrrOutcome> {
    check_flows(values)?;
    let terms: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (i as f64, v))
        .collect();
    Ok(exp_sum_roots(&terms))
}

/// Every annual rate at which [`xnpv`] is zero (the spreadsheet `XIRR()`, but all
/// roots; see [`irr`] for the method).
pub fn xirr(flows: &[(Date, f64)]) -> Result<IrrOutcome> {
    let terms = year_fractions(flows)?;
    Ok(exp_sum_roots(&terms))
}

/// Modified IRR, the spreadsheet `MIRR()`: with `n` flows (value `i` at time `i`),
/// `(FV of positive flows at reinvest_rate / -PV of negative flows at finance_rate)^(1/(n-1)) - 1`.
pub fn mirr(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> Result<f64> {
    check_flows(values)?;
    check_rate(finance_rate)?;
    check_rate(reinvest_rate)?;
    if values.len() < 2 {
        return Err(FinanceError::TooFewFlows { needed: 2 });
    }
    let n = values.len();
    let (mut pv_neg, mut fv_pos) = (0.0, 0.0);
    for (i, &v) in values.iter().enumerate() {
        if v < 0.0 {
            pv_neg += v * discount_factor(finance_rate, i as f64)?;
        } else if v > 0.0 {
            fv_pos += v * discount_factor(reinvest_rate, -((n - 1 - i) as f64))?;
        }
    }
    if pv_neg == 0.0 || fv_pos == 0.0 {
        return Err(FinanceError::NeedsPositiveAndNegative);
    }
    let ratio = finite(fv_pos / -pv_neg, "ratio of future to present value")?;
    finite(
        libm::pow(ratio, 1.0 / (n - 1) as f64) - 1.0,
        "modified internal rate of return",
    )
}

/// Return on investment, undiscounted: `(total_benefit - total_cost) / total_cost`.
pub fn roi(total_benefit: f64, total_cost: f64) -> Result<f64> {
    finite(total_benefit, "total benefit")?;
    finite(total_cost, "total cost")?;
    if total_cost == 0.0 {
        return Err(FinanceError::ZeroDenominator { what: "total cost" });
    }
    finite(
        (total_benefit - total_cost) / total_cost,
        "return on investment",
    )
}

/// Benefit-cost ratio: `pv_benefit / pv_cost` (both present values, costs positive).
pub fn benefit_cost_ratio(pv_benefit: f64, pv_cost: f64) -> Result<f64> {
    finite(pv_benefit, "present value of benefits")?;
    finite(pv_cost, "present value of costs")?;
    if pv_cost == 0.0 {
        return Err(FinanceError::ZeroDenominator {
            what: "present value of costs",
        });
    }
    finite(pv_benefit / pv_cost, "benefit-cost ratio")
}

/// When cumulative flows pay back the investment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "periods", rename_all = "kebab-case")]
pub enum Payback {
    /// After this many periods (fractional) from the payback origin; see [`payback`].
    After(f64),
    /// The cumulative is still negative after the last flow.
    Never,
}

impl Payback {
    /// Multiplies the periods by `factor` (e.g. period length in years).
    pub fn scaled(self, factor: f64) -> Payback {
        match self {
            Payback::After(p) => Payback::After(p * factor),
            Payback::Never => Payback::Never,
        }
    }
}

/// Simple (undiscounted) payback.
///
/// Value `i` is counted at time `first_t + i` periods, and the cumulative is taken to
/// move linearly from one counted time to the next (and from 0 at `first_t - 1` to the
/// first value): a flow accrues evenly over the period that ends when it is counted.
///
/// - `first_t = 0` is the textbook convention: the first value is the outlay at time 0,
///   later values come at the end of each period; -200000, 60000, 80000, 70000 pays
///   back after 2 + 60000/70000 = 2.857 periods.
/// - `first_t = 1` reads each value as spread over its own period, so the result counts
///   periods from the start of the first period (the business-case pages use this).
///
/// The payback is the last time the cumulative rises from below zero to zero (a later
/// dip below zero postpones it: the final recovery); [`Payback::After`]`(0.0)` when it is
/// never negative; [`Payback::Never`] when it ends below zero. [`first_payback`] is the
/// first time, which is earlier when the cumulative dips below zero again later.
pub fn payback(net_values: &[f64], first_t: f64) -> Result<Payback> {
    crossings(net_values, first_t).map(|c| c.last)
}

/// The first recovery: the first time the cumulative rises from below zero to zero, by
/// the conventions of [`payback`]; [`Payback::After`]`(0.0)` when it is never negative,
/// [`Payback::Never`] when it never recovers. Equal to [`payback`] unless the cumulative
/// falls below zero again after recovering (late costs, a decommissioning), when it is
/// earlier, and it may be a time even when [`payback`] is [`Payback::Never`].
pub fn first_payback(net_values: &[f64], first_t: f64) -> Result<Payback> {
    crossings(net_values, first_t).map(|c| c.first)
}

/// The first and the last recovery of a cumulative.
struct Crossings {
    first: Payback,
    last: Payback,
}

fn crossings(net_values: &[f64], first_t: f64) -> Result<Crossings> {
    check_flows(net_values)?;
    finite(first_t, "first flow time")?;
    let mut cum = 0.0_f64;
    let mut first: Option<f64> = None;
    let mut last: Option<f64> = None;
    let mut ever_negative = false;
    for (i, &v) in net_values.iter().enumerate() {
        let next = cum + v;
        if !next.is_finite() {
            return Err(FinanceError::NonFinite {
                what: "cumulative cash flow",
            });
        }
        if next < 0.0 {
            ever_negative = true;
        }
        if cum < 0.0 && next >= 0.0 {
            // v > 0 here, and 0 < -cum <= v, so the fraction is in (0, 1].
            let t = first_t + i as f64 - 1.0 + (-cum / v);
            first.get_or_insert(t);
            last = Some(t);
        }
        cum = next;
    }
    if !ever_negative {
        return Ok(Crossings {
            first: Payback::After(0.0),
            last: Payback::After(0.0),
        });
    }
    Ok(Crossings {
        first: first.map_or(Payback::Never, Payback::After),
        last: if cum < 0.0 {
            Payback::Never
        } else {
            last.map_or(Payback::Never, Payback::After)
        },
    })
}

/// Discounted payback: [`payback`] of the present values `v_i (1 + r)^-(first_t + i)`,
/// with the same time convention. With `first_t = 0` (textbook), -50000 then 10000 for 8
/// years at 11% pays back after 7.663 years.
pub fn discounted_payback(
    rate_per_period: f64,
    net_values: &[f64],
    first_t: f64,
) -> Result<Payback> {
    payback(
        &present_values(rate_per_period, net_values, first_t)?,
        first_t,
    )
}

/// `v_i (1 + r)^-(first_t + i)`, checked.
fn present_values(rate_per_period: f64, net_values: &[f64], first_t: f64) -> Result<Vec<f64>> {
    check_rate(rate_per_period)?;
    check_flows(net_values)?;
    finite(first_t, "first flow time")?;
    net_values
        .iter()
        .enumerate()
        .map(|(i, v)| Ok(v * discount_factor(rate_per_period, first_t + i as f64)?))
        .collect()
}

/// The first recovery of the present values ([`first_payback`] of what
/// [`discounted_payback`] sums).
pub fn first_discounted_payback(
    rate_per_period: f64,
    net_values: &[f64],
    first_t: f64,
) -> Result<Payback> {
    first_payback(
        &present_values(rate_per_period, net_values, first_t)?,
        first_t,
    )
}

/// Whether money comes in before it goes out: the first non-zero net flow is an inflow
/// and a later one is an outflow (a run-down product, a retirement, a sale and
/// leaseback). An IRR of such flows is a borrowing rate: for them a lower rate is better.
pub fn inflow_first(net_values: &[f64]) -> bool {
    let mut nonzero = net_values.iter().filter(|v| **v != 0.0);
    nonzero.next().is_some_and(|v| *v > 0.0) && nonzero.any(|v| *v < 0.0)
}

/// The annual effective rate equivalent to a rate per period: `(1 + r)^n - 1` with `n`
/// periods per year (4 for quarters).
pub fn annualise(rate_per_period: f64, periods_per_year: i32) -> Result<f64> {
    check_rate(rate_per_period)?;
    finite(
        libm::pow(1.0 + rate_per_period, f64::from(periods_per_year)) - 1.0,
        "annual rate",
    )
}

/// The rate per period equivalent to an annual effective rate: `(1 + R)^(1/n) - 1`.
pub fn deannualise(annual_rate: f64, periods_per_year: i32) -> Result<f64> {
    check_rate(annual_rate)?;
    if periods_per_year == 0 {
        return Err(FinanceError::ZeroDenominator {
            what: "number of periods per year",
        });
    }
    finite(
        libm::pow(1.0 + annual_rate, 1.0 / f64::from(periods_per_year)) - 1.0,
        "rate per period",
    )
}

// ---------------------------------------------------------------------------------------
// Root finding for sums of exponentials g(s) = sum c_i e^(-s tau_i), s = ln(1 + r).

/// A cleaned exponential sum: times strictly increasing from 0, no zero coefficient,
/// coefficients scaled so the largest magnitude is 1 (a positive factor: same roots).
#[derive(Debug)]
struct ExpSum {
    c: Vec<f64>,
    tau: Vec<f64>,
}

impl ExpSum {
    fn new(mut terms: Vec<(f64, f64)>) -> ExpSum {
        terms.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(terms.len());
        for (t, v) in terms {
            match merged.last_mut() {
                Some(last) if last.0 == t => last.1 += v,
                _ => merged.push((t, v)),
            }
        }
        merged.retain(|&(_, v)| v != 0.0);
        let t0 = merged.first().map_or(0.0, |m| m.0);
        let scale = merged.iter().fold(0.0_f64, |m, &(_, v)| m.max(v.abs()));
        ExpSum {
            c: merged.iter().map(|&(_, v)| v / scale).collect(),
            tau: merged.iter().map(|&(t, _)| t - t0).collect(),
        }
    }

    /// The relative size (of the sum of the terms' magnitudes) below which the sum is
    /// indistinguishable from zero: each term's exponential and product are within about
    /// two units in the last place, and the sum adds one rounding per term; the factor 16
    /// is headroom over that bound.
    fn noise(&self) -> f64 {
        16.0 * self.c.len() as f64 * f64::EPSILON
    }

    fn sign_changes(&self) -> usize {
        self.c
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count()
    }

    /// g(s) e^(s ref), its derivative, and the sum of the terms' magnitudes, with `ref`
    /// chosen so that no exponential exceeds 1 (no overflow).
    fn eval(&self, s: f64) -> (f64, f64, f64) {
        let reference = if s >= 0.0 {
            0.0
        } else {
            self.tau.last().copied().unwrap_or(0.0)
        };
        let (mut g, mut dg, mut mag) = (0.0, 0.0, 0.0);
        for (&c, &t) in self.c.iter().zip(&self.tau) {
            let e = libm::exp(-s * (t - reference));
            g += c * e;
            dg -= (t - reference) * c * e;
            mag += c.abs() * e;
        }
        (g, dg, mag)
    }

    /// The derivative (times a positive factor), as a cleaned sum.
    fn derivative(&self) -> ExpSum {
        ExpSum::new(
            self.c
                .iter()
                .zip(&self.tau)
                .map(|(&c, &t)| (t, -t * c))
                .collect(),
        )
    }

    /// An interval containing every real root.
    fn bracket(&self) -> (f64, f64) {
        let m = self.c.len() - 1;
        if m == 0 {
            return (-1.0, 1.0);
        }
        let tail: f64 = self.c[1..].iter().map(|c| c.abs()).sum();
        let hi = (libm::log(tail / self.c[0].abs()) / self.tau[1]).max(0.0) + 1.0;
        let head: f64 = self.c[..m].iter().map(|c| c.abs()).sum();
        let lo =
            (libm::log(head / self.c[m].abs()) / (self.tau[m] - self.tau[m - 1])).max(0.0) + 1.0;
        (-lo, hi)
    }

    /// The root in (a, b), given g(a) and g(b) of opposite signs: Newton, falling back
    /// to bisection whenever a step leaves the bracket or does not shrink fast enough.
    fn solve(&self, a: f64, b: f64) -> f64 {
        let (ga, ..) = self.eval(a);
        let (mut lo, mut hi) = if ga < 0.0 { (a, b) } else { (b, a) };
        let mut s = 0.5 * (a + b);
        let mut dx_old = (b - a).abs();
        for _ in 0..300 {
            let (g, dg, _) = self.eval(s);
            if g == 0.0 {
                return s;
            }
            if g < 0.0 {
                lo = s;
            } else {
                hi = s;
            }
            let newton = s - g / dg;
            let inside = dg != 0.0 && newton.is_finite() && (newton - lo) * (newton - hi) < 0.0;
            let next = if inside && (newton - s).abs() < 0.5 * dx_old {
                newton
            } else {
                0.5 * (lo + hi)
            };
            dx_old = (next - s).abs();
            if dx_old <= 1e-15 * s.abs().max(1.0) || (hi - lo).abs() <= 4e-16 * s.abs().max(1.0) {
                return next;
            }
            s = next;
        }
        s
    }

    /// Roots in [a, b], given the sorted roots of the derivative inside it.
    fn roots_between(&self, a: f64, b: f64, critical: &[f64]) -> Vec<f64> {
        let mut points = Vec::with_capacity(critical.len() + 2);
        points.push(a);
        points.extend(critical.iter().copied().filter(|&c| c > a && c < b));
        points.push(b);
        let mut roots = Vec::new();
        let values: Vec<f64> = points.iter().map(|&p| self.eval(p).0).collect();
        for (k, &p) in points.iter().enumerate() {
            let (g, _, mag) = self.eval(p);
            if g.abs() <= self.noise() * mag {
                roots.push(p);
            }
            if k + 1 < points.len() {
                let (gp, gq) = (values[k], values[k + 1]);
                if gp != 0.0 && gq != 0.0 && (gp < 0.0) != (gq < 0.0) {
                    roots.push(self.solve(p, points[k + 1]));
                }
            }
        }
        roots.sort_by(f64::total_cmp);
        self.distinct(roots, critical)
    }

    /// Merges the candidate roots (sorted) that floating point cannot tell apart, each
    /// cluster into its mean. Near a root of multiplicity m the sum is below its
    /// rounding error over a width of about eps^(1/m) (5e-6 for a triple root), so one
    /// multiple root comes out of the search as several candidates. Two neighbours are
    /// one root when the sum stays within its rounding error ([`ExpSum::noise`]) everywhere between
    /// them: by Rolle, its largest magnitude between two roots is at a turning point (a
    /// root of the derivative, `critical`) or, for close roots, near their midpoint.
    /// Genuinely distinct roots rise above the noise between them (two simple roots
    /// once they are about 1e-7 apart in ln(1 + r), two triple roots 0.04 apart) and are
    /// kept apart.
    fn distinct(&self, roots: Vec<f64>, critical: &[f64]) -> Vec<f64> {
        let noise = self.noise();
        let flat = |x: f64| {
            let (g, _, mag) = self.eval(x);
            g.abs() <= noise * mag
        };
        let mut clusters: Vec<Vec<f64>> = Vec::new();
        for r in roots {
            let same = clusters.last().and_then(|c| c.last()).is_some_and(|&prev| {
                r - prev <= 1e-12 * prev.abs().max(1.0)
                    || (flat(0.5 * (prev + r))
                        && critical
                            .iter()
                            .filter(|&&c| c > prev && c < r)
                            .all(|&c| flat(c)))
            });
            match clusters.last_mut() {
                Some(c) if same => c.push(r),
                _ => clusters.push(vec![r]),
            }
        }
        clusters
            .iter()
            .map(|c| c.iter().sum::<f64>() / c.len() as f64)
            .collect()
    }
}

/// Every real root r > -1 of `sum v (1 + r)^-t` over `(t, v)` terms with finite inputs.
fn exp_sum_roots(terms: &[(f64, f64)]) -> IrrOutcome {
    let f = ExpSum::new(terms.to_vec());
    if f.sign_changes() == 0 {
        return IrrOutcome::NoSignChange;
    }
    let (a, b) = f.bracket();
    // Derivative chain down to a sum with at most one sign change (at most one root);
    // each derivative has one term fewer, so the chain ends.
    let mut chain = vec![f];
    while chain.last().is_some_and(|g| g.sign_changes() > 1) {
        let d = chain.last().map(ExpSum::derivative);
        chain.extend(d);
    }
    let mut roots: Vec<f64> = Vec::new();
    for g in chain.iter().rev() {
        roots = g.roots_between(a, b, &roots);
    }
    let mut rates: Vec<f64> = roots
        .into_iter()
        .map(libm::expm1)
        .filter(|r| r.is_finite() && *r > -1.0)
        .collect();
    // Distinct roots in ln(1 + r) can be one rate: near -100% a rate's last bits are
    // coarser than the log's (every ln(1 + r) below about -36 is within an ulp of -1).
    // A rate is reported once.
    rates.dedup();
    if rates.is_empty() {
        IrrOutcome::NoRootInRange
    } else {
        IrrOutcome::Roots(rates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn roots(values: &[f64]) -> Vec<f64> {
        match irr(values) {
            Ok(IrrOutcome::Roots(r)) => r,
            other => panic!("expected roots, got {other:?}"),
        }
    }

    fn d(s: &str) -> Date {
        Date::parse(s).expect("test date")
    }

    #[test]
    fn roots_near_minus_one_that_round_to_one_rate_are_reported_once() {
        // Found by the value_maths fuzz target: roots at ln(1 + r) = -36 and -36.3 are
        // distinct, but both rates round to -1 + 2 ulp.
        for (xa, xb) in [(36.0_f64, 36.3_f64), (35.9, 36.2), (36.5, 36.9)] {
            let (a, b) = (xa.exp(), xb.exp());
            let r = roots(&[a * b, -(a + b), 1.0]);
            assert!(r.windows(2).all(|w| w[0] < w[1]), "{r:?}");
            assert!(r.iter().all(|&x| x > -1.0), "{r:?}");
        }
        // Still two where the rates can tell them apart.
        let (a, b) = (30.0_f64.exp(), 31.0_f64.exp());
        assert_eq!(roots(&[a * b, -(a + b), 1.0]).len(), 2);
    }

    #[test]
    fn npv_end_of_period_formcalc() {
        // Adobe FormCalc NPV docs: NPV(0.1, 500, 1500, 4000, 10000).
        let v = npv_periodic(0.1, &[500.0, 1500.0, 4000.0, 10000.0], 1.0).unwrap();
        assert!(close(v, 11529.60863329007, 1e-9), "{v}");
        // Adobe FormCalc NPV docs: NPV(0.065, 5000).
        let v = npv_periodic(0.065, &[5000.0], 1.0).unwrap();
        assert!(close(v, 4694.83568075117, 1e-9), "{v}");
        // Adobe FormCalc NPV docs: NPV(0.0275/12, 50, 60, 40, 100, 25).
        let v = npv_periodic(0.0275 / 12.0, &[50.0, 60.0, 40.0, 100.0, 25.0], 1.0).unwrap();
        assert!(close(v, 273.14193838457, 1e-9), "{v}");
    }

    #[test]
    fn npv_financial_crate_end_of_period() {
        // docs.rs `financial` crate npv example: every value at the end of its period.
        let v = npv_periodic(0.1, &[-1000.0, 500.0, 500.0, 500.0], 1.0).unwrap();
        assert!(close(v, 221.29635953828267, 1e-9), "{v}");
    }

    #[test]
    #[allow(
        clippy::excessive_precision,
        reason = "the digits are quoted from the source"
    )]
    fn npv_time_zero_numpy() {
        // numpy-financial npv docs: npv(0.281, [-100, 39, 59, 55, 20]).
        let v = npv_periodic(0.281, &[-100.0, 39.0, 59.0, 55.0, 20.0], 0.0).unwrap();
        assert!(close(v, -0.0084785916384548798, 1e-12), "{v}");
    }

    #[test]
    fn mid_period_is_sqrt_one_plus_r_higher() {
        // docs/references.md: at 10% mid-period PVs are 4.88% higher than end of period.
        let flows = [100.0, 200.0, 300.0];
        let end = npv_periodic(0.1, &flows, 1.0).unwrap();
        let mid = npv_periodic(0.1, &flows, 0.5).unwrap();
        assert!(close(mid / end, 1.0488088481701516, 1e-12));
    }

    #[test]
    fn xnpv_and_xirr_spreadsheet() {
        // Spreadsheet XNPV / XIRR docs example.
        let flows = [
            (d("2008-01-01"), -10000.0),
            (d("2008-03-01"), 2750.0),
            (d("2008-10-30"), 4250.0),
            (d("2009-02-15"), 3250.0),
            (d("2009-04-01"), 2750.0),
        ];
        let v = xnpv(0.09, &flows).unwrap();
        assert!(close(v, 2086.6476, 1e-4), "{v}");
        let r = xirr(&flows).unwrap().unique().unwrap();
        // The spreadsheet stops iterating at a tolerance of about 1e-8; the exact root is
        // 0.37336253352.
        assert!(close(r, 0.373362535, 1e-8), "{r}");
        assert!(xnpv(r, &flows).unwrap().abs() < 1e-8);
    }

    #[test]
    fn xnpv_rejects_flow_before_first_date() {
        let flows = [(d("2008-03-01"), -10.0), (d("2008-01-01"), 20.0)];
        assert_eq!(
            xnpv(0.1, &flows),
            Err(FinanceError::DateBeforeFirst { index: 1 })
        );
    }

    #[test]
    fn irr_numpy_single_root() {
        // numpy-financial irr docs.
        let r = roots(&[-100.0, 39.0, 59.0, 55.0, 20.0]);
        assert_eq!(r.len(), 1);
        assert!(close(r[0], 0.2809484211599611, 1e-13), "{r:?}");
    }

    #[test]
    fn irr_numpy_two_roots() {
        // numpy-financial irr docs: -100, 100, 0, -7 has roots -0.0833 and -0.6789.
        let r = roots(&[-100.0, 100.0, 0.0, -7.0]);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(close(r[0], -0.6789, 5e-5), "{r:?}");
        assert!(close(r[1], -0.0833, 5e-5), "{r:?}");
    }

    #[test]
    fn irr_numpy_issue_28_two_roots() {
        // numpy-financial issue #28: -50, -100, 600, 300, -100 has 1.85442 and -0.76890.
        let r = roots(&[-50.0, -100.0, 600.0, 300.0, -100.0]);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(close(r[0], -0.76890, 5e-6), "{r:?}");
        assert!(close(r[1], 1.85442, 5e-6), "{r:?}");
    }

    #[test]
    fn irr_spreadsheet_examples() {
        // Spreadsheet IRR docs: -2.1% over four years, 8.7% over five.
        let r = roots(&[-70000.0, 12000.0, 15000.0, 18000.0, 21000.0]);
        assert_eq!(r.len(), 1);
        assert!(close(r[0], -0.021, 5e-4), "{r:?}");
        let r = roots(&[-70000.0, 12000.0, 15000.0, 18000.0, 21000.0, 26000.0]);
        assert_eq!(r.len(), 1);
        assert!(close(r[0], 0.087, 5e-4), "{r:?}");
    }

    #[test]
    fn irr_honest_about_no_root() {
        assert_eq!(irr(&[100.0, 50.0]), Ok(IrrOutcome::NoSignChange));
        assert_eq!(irr(&[0.0, 0.0]), Ok(IrrOutcome::NoSignChange));
        assert_eq!(irr(&[-5.0]), Ok(IrrOutcome::NoSignChange));
        // -100 + 100x - 100x^2 < 0 for every x: sign changes, no real root.
        assert_eq!(irr(&[-100.0, 100.0, -100.0]), Ok(IrrOutcome::NoRootInRange));
        assert_eq!(irr(&[]), Err(FinanceError::EmptyFlows));
        assert_eq!(
            irr(&[-1.0, f64::NAN]),
            Err(FinanceError::NonFinite { what: "cash flow" })
        );
    }

    #[test]
    fn irr_double_root() {
        // -(1 - x)^2 with x = 1/(1+r): the NPV touches zero at r = 0 without crossing.
        assert_eq!(irr(&[-1.0, 2.0, -1.0]), Ok(IrrOutcome::Roots(vec![0.0])));
    }

    /// The number of sign changes of the flows (Descartes' bound on the roots).
    fn sign_changes(values: &[f64]) -> usize {
        let signs: Vec<bool> = values
            .iter()
            .filter(|v| **v != 0.0)
            .map(|v| *v < 0.0)
            .collect();
        signs.windows(2).filter(|w| w[0] != w[1]).count()
    }

    /// Flows whose NPV is `lead * prod (1 - x / x_k)` in x = 1 / (1 + r): the
    /// polynomial with the given roots x_k (repeated for multiplicity).
    fn flows_with_roots(lead: f64, rates: &[f64]) -> Vec<f64> {
        let mut poly = vec![lead];
        for r in rates {
            let xk = 1.0 / (1.0 + r);
            let mut next = vec![0.0; poly.len() + 1];
            for (i, c) in poly.iter().enumerate() {
                next[i] += c;
                next[i + 1] -= c / xk;
            }
            poly = next;
        }
        poly
    }

    #[test]
    fn irr_multiple_roots_are_reported_once() {
        // -a (1 - x)^3: a triple root at 0%.
        for a in [1.0, 1000.0, 7.5e6] {
            let r = roots(&[-a, 3.0 * a, -3.0 * a, a]);
            assert_eq!(r.len(), 1, "{a}: {r:?}");
            assert!(r[0].abs() < 1e-4, "{r:?}");
        }
        // (11x - 10)^3: a triple root at 10%, three sign changes.
        let flows = [-1000.0, 3300.0, -3630.0, 1331.0];
        let r = roots(&flows);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(close(r[0], 0.10, 1e-4), "{r:?}");
        assert!(r.len() <= sign_changes(&flows));
        // A double root at 10% beside a simple one at 25%.
        let flows = flows_with_roots(-1000.0, &[0.10, 0.10, 0.25]);
        let r = roots(&flows);
        assert_eq!(r.len(), 2, "{flows:?}: {r:?}");
        assert!(close(r[0], 0.10, 1e-5) && close(r[1], 0.25, 1e-9), "{r:?}");
        // A quadruple root.
        let flows = flows_with_roots(-1.0, &[0.05; 4]);
        let r = roots(&flows);
        assert_eq!(r.len(), 1, "{flows:?}: {r:?}");
        assert!(close(r[0], 0.05, 1e-3), "{r:?}");
    }

    #[test]
    fn irr_close_but_distinct_roots_stay_apart() {
        for (a, b) in [
            (0.10, 0.1001),
            (0.10, 0.10001),
            (-0.2, -0.19999),
            (0.0, 0.0001),
        ] {
            let flows = flows_with_roots(-1000.0, &[a, b]);
            let r = roots(&flows);
            assert_eq!(r.len(), 2, "{a} {b}: {r:?}");
            assert!(
                close(r[0], a, 1e-9) && close(r[1], b, 1e-9),
                "{a} {b}: {r:?}"
            );
        }
    }

    #[test]
    fn irr_leading_zeros_do_not_matter() {
        let a = roots(&[-100.0, 39.0, 59.0, 55.0, 20.0]);
        let b = roots(&[0.0, 0.0, -100.0, 39.0, 59.0, 55.0, 20.0, 0.0]);
        assert!(close(a[0], b[0], 1e-13));
    }

    #[test]
    fn mirr_spreadsheet() {
        // Spreadsheet MIRR docs: finance 10%, reinvest 12% -> 12.61%.
        let v = mirr(
            &[-120000.0, 39000.0, 30000.0, 21000.0, 37000.0, 46000.0],
            0.10,
            0.12,
        )
        .unwrap();
        assert!(close(v, 0.1261, 5e-5), "{v}");
        assert_eq!(
            mirr(&[1.0, 2.0], 0.1, 0.1),
            Err(FinanceError::NeedsPositiveAndNegative)
        );
        assert_eq!(
            mirr(&[-1.0], 0.1, 0.1),
            Err(FinanceError::TooFewFlows { needed: 2 })
        );
    }

    #[test]
    fn roi_and_bcr() {
        assert!(close(roi(150.0, 100.0).unwrap(), 0.5, 1e-15));
        assert_eq!(
            roi(1.0, 0.0),
            Err(FinanceError::ZeroDenominator { what: "total cost" })
        );
        assert!(close(benefit_cost_ratio(120.0, 80.0).unwrap(), 1.5, 1e-15));
        assert!(benefit_cost_ratio(1.0, 0.0).is_err());
    }

    #[test]
    fn payback_textbook() {
        // Textbook examples (docs/references.md): first value at time 0, then end of year.
        let flows = [-200000.0, 60000.0, 80000.0, 70000.0, 60000.0, 50000.0];
        let Payback::After(p) = payback(&flows, 0.0).unwrap() else {
            panic!("pays back")
        };
        assert!(close(p, 2.857, 5e-4), "{p}");
        let Payback::After(p) = discounted_payback(0.12, &flows, 0.0).unwrap() else {
            panic!("pays back")
        };
        assert!(close(p, 3.861, 5e-4), "{p}");
        let mut flows = vec![-50000.0];
        flows.extend([10000.0; 8]);
        let Payback::After(p) = discounted_payback(0.11, &flows, 0.0).unwrap() else {
            panic!("pays back")
        };
        assert!(close(p, 7.663, 5e-4), "{p}");
    }

    #[test]
    fn first_and_final_recovery() {
        // Recovered after 2/3 of period 1, below zero again in period 2, recovered for
        // good halfway through period 3.
        let flows = [-100.0, 150.0, -100.0, 100.0];
        assert_eq!(
            first_payback(&flows, 0.0),
            Ok(Payback::After(100.0 / 150.0))
        );
        assert_eq!(payback(&flows, 0.0), Ok(Payback::After(2.5)));
        // Recovered, then a decommissioning cost takes it below zero for good.
        let flows = [-100.0, 150.0, -80.0];
        assert_eq!(
            first_payback(&flows, 1.0),
            Ok(Payback::After(1.0 + 100.0 / 150.0))
        );
        assert_eq!(payback(&flows, 1.0), Ok(Payback::Never));
        // Simple never (ends below zero) but discounted recovers: the late cost shrinks.
        let flows = [-100.0, 150.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -60.0];
        assert_eq!(payback(&flows, 1.0), Ok(Payback::Never));
        assert!(matches!(
            discounted_payback(0.10, &flows, 1.0),
            Ok(Payback::After(_))
        ));
        assert!(matches!(first_payback(&flows, 1.0), Ok(Payback::After(_))));
        // No dip: first and final agree.
        let flows = [-200_000.0, 60_000.0, 80_000.0, 70_000.0];
        assert_eq!(first_payback(&flows, 0.0), payback(&flows, 0.0));
        assert_eq!(first_payback(&[5.0, -1.0], 0.0), Ok(Payback::After(0.0)));
    }

    #[test]
    fn inflow_first_flows() {
        assert!(inflow_first(&[0.0, 500.0, 200.0, -900.0]));
        assert!(!inflow_first(&[-100.0, 50.0, 80.0]));
        assert!(!inflow_first(&[100.0, 50.0]));
        assert!(!inflow_first(&[]));
    }

    #[test]
    fn payback_edges() {
        // Spread convention: measured from the start of the first period.
        assert_eq!(
            payback(&[-100.0, 50.0, 100.0], 1.0),
            Ok(Payback::After(2.5))
        );
        assert_eq!(payback(&[-100.0, 50.0], 0.0), Ok(Payback::Never));
        assert_eq!(payback(&[10.0, 5.0], 0.0), Ok(Payback::After(0.0)));
        // A later dip below zero postpones the payback.
        assert_eq!(
            payback(&[-100.0, 200.0, -150.0, 100.0], 0.0),
            Ok(Payback::After(2.5))
        );
        assert_eq!(
            discounted_payback(0.1, &[-100.0, 105.0], 0.0),
            Ok(Payback::Never)
        );
    }

    #[test]
    fn annualise_quarters() {
        let q = deannualise(0.08, 4).unwrap();
        assert!(close(annualise(q, 4).unwrap(), 0.08, 1e-15));
        assert!(close(annualise(0.02, 4).unwrap(), 0.08243216, 1e-12));
        assert!(annualise(-1.0, 4).is_err());
    }

    #[test]
    fn discount_factor_rejects_bad_rates() {
        assert_eq!(
            discount_factor(-1.0, 1.0),
            Err(FinanceError::RateAtOrBelowMinusOne { rate: -1.0 })
        );
        assert!(discount_factor(f64::INFINITY, 1.0).is_err());
        assert!(discount_factor(-0.999, 1e6).is_err());
        assert!(close(discount_factor(0.1, 2.0).unwrap(), 1.0 / 1.21, 1e-15));
    }
}
