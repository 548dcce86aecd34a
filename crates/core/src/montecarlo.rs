//! Monte Carlo simulation of an initiative's NPV over its uncertainty ranges.
//!
//! # Conventions
//!
//! - **Inputs.** An initiative's [`Uncertainty`] gives three independent ranges (low /
//!   likely / high): a cost multiplier, a benefit multiplier and a delay in periods, all
//!   drawn from the same [`Distribution`] (triangular or Beta-PERT). The three draws of
//!   a trial are independent of each other.
//! - **One trial.** Every planned cost is multiplied by the cost draw, every planned
//!   benefit by the benefit draw, and the benefits (not the costs) move `delay` periods
//!   later (earlier when negative). The delay draw is rounded to whole periods, halves
//!   away from zero (`libm::round`: 1.5 -> 2, -0.5 -> -1), because plans are per period.
//!   The NPV is then computed exactly as the business case does
//!   ([`analysis::business_case`](crate::analysis::business_case)): each period's flow
//!   counted at `(period - base_period + offset) * period_years` years from the base
//!   date, discounted at the portfolio's annual rate. Delayed benefits are kept even
//!   when they move past the last plan period, unless [`SimulationConfig::horizon`]
//!   says where to stop counting. (The plan's two arrays have the same length; if not,
//!   the missing values count as 0.)
//! - **Randomness.** A xoshiro256** generator written here (no dependency), seeded by
//!   SplitMix64 from a stable FNV-1a 64-bit hash of the initiative id mixed with
//!   [`SimulationConfig::seed`]. Sampling uses only integer arithmetic and `libm`, so
//!   the same inputs give bit-identical results on every platform, native or wasm.
//!   Draws are taken in a fixed order per trial: cost, benefit, delay.
//! - **Triangular** draws use the inverse CDF ([`triangular_quantile`]) of one uniform.
//!   **Beta-PERT** draws are `low + (high - low) * B` with `B ~ Beta(alpha, beta)`,
//!   `alpha = 1 + 4 (likely - low) / (high - low)`, `beta = 1 + 4 (high - likely) /
//!   (high - low)` (mean `(low + 4 likely + high) / 6`); `B = X / (X + Y)` with `X, Y`
//!   gamma draws by Marsaglia and Tsang's method (normals by Box-Muller). A degenerate
//!   range (`low == high`) always gives that constant.
//! - **Percentiles** use linear interpolation between order statistics, the "type 7"
//!   definition (spreadsheet `PERCENTILE.INC`, numpy's default): with `n` sorted values
//!   `x[0..n]`, `P(q) = x[h] + (h - floor h) (x[h+1] - x[h])` at `h = (n - 1) q`. The
//!   label states the direction: **P10 is the value 10% of simulated NPVs are at or
//!   below** (90% are above), so P10 is the pessimistic end for NPV.
//! - **Errors, never NaN.** Every output is finite; otherwise a [`SimulationError`]
//!   says why.

use crate::calendar::Period;
use crate::finance::{self, FinanceError};
use crate::model::{CashPlan, Distribution, Initiative, Range3, Settings, Uncertainty};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most trials one simulation may run (memory grows with the trial count).
pub const MAX_TRIALS: usize = 1_000_000;
/// The most histogram bins.
pub const MAX_BINS: usize = 1_000;

/// How to run a simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationConfig {
    /// Number of trials, 1..=[`MAX_TRIALS`].
    pub trials: usize,
    /// Mixed with the initiative id into the generator's seed: change it for another
    /// (equally valid) sample; keep it to reproduce one.
    pub seed: u64,
    /// Number of histogram bins, 1..=[`MAX_BINS`].
    pub bins: usize,
    /// Benefits counted in this period or later are dropped (`None`: every benefit is
    /// counted wherever the delay moves it). Costs are never dropped.
    pub horizon: Option<Period>,
}

impl Default for SimulationConfig {
    /// 10 000 trials, seed 0, 30 bins, no horizon.
    fn default() -> SimulationConfig {
        SimulationConfig {
            trials: 10_000,
            seed: 0,
            bins: 30,
            horizon: None,
        }
    }
}

/// One percentile of the simulated NPVs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Percentile {
    /// 10 for P10.
    pub p: u8,
    pub value: f64,
    /// States the direction, e.g. `P10: 10% of outcomes are at or below this value`.
    pub label: String,
}

/// One histogram bin: values in `[start, end)` (the last bin also holds `end`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub start: f64,
    pub end: f64,
    pub count: usize,
}

/// The distribution of an initiative's NPV over its uncertainty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    pub trials: usize,
    /// The seed the generator actually started from (hash of id and config seed).
    pub stream_seed: u64,
    pub distribution: Distribution,
    /// The NPV with no uncertainty (multipliers 1, no delay), for reference.
    pub planned_npv: f64,
    /// Mean of the simulated NPVs.
    pub mean: f64,
    /// Population standard deviation (divides by `trials`).
    pub std_dev: f64,
    /// P10, P50, P90 (type 7; see the module docs), ascending.
    pub percentiles: Vec<Percentile>,
    /// Share of trials with NPV < 0, in 0..=1.
    pub prob_negative_npv: f64,
    /// Equal-width bins from `min` to `max`; a single bin when every NPV is equal.
    pub histogram: Vec<Bin>,
    pub min: f64,
    pub max: f64,
}

/// Why a simulation could not run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum SimulationError {
    /// Zero trials were asked for.
    NoTrials,
    /// More than [`MAX_TRIALS`] trials were asked for.
    TooManyTrials { trials: usize, max: usize },
    /// Zero or more than [`MAX_BINS`] histogram bins.
    BadBinCount { bins: usize, max: usize },
    /// A range is not `low <= likely <= high` with finite values (and a finite width).
    InvalidRange {
        what: &'static str,
        low: f64,
        likely: f64,
        high: f64,
    },
    /// The discount rate or a discount factor is unusable.
    Finance(FinanceError),
    /// A trial's NPV (or a statistic) is not a finite number.
    NonFinite { what: &'static str },
}

impl fmt::Display for SimulationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimulationError::NoTrials => f.write_str("the simulation needs at least one trial"),
            SimulationError::TooManyTrials { trials, max } => {
                write!(f, "{trials} trials is more than the maximum of {max}")
            }
            SimulationError::BadBinCount { bins, max } => {
                write!(f, "{bins} histogram bins: use 1 to {max}")
            }
            SimulationError::InvalidRange {
                what,
                low,
                likely,
                high,
            } => write!(
                f,
                "the {what} range (low {low}, likely {likely}, high {high}) must be finite with low <= likely <= high"
            ),
            SimulationError::Finance(e) => e.fmt(f),
            SimulationError::NonFinite { what } => {
                write!(f, "the simulated {what} is not a finite number")
            }
        }
    }
}

impl std::error::Error for SimulationError {}

impl From<FinanceError> for SimulationError {
    fn from(e: FinanceError) -> SimulationError {
        SimulationError::Finance(e)
    }
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness.

/// FNV-1a, 64 bits: a stable hash of bytes (the same on every platform and release).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of an initiative's stream: FNV-1a of the id, mixed with the user seed.
pub fn stream_seed(id: &str, seed: u64) -> u64 {
    let mut s = fnv1a64(id.as_bytes()) ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    splitmix64(&mut s)
}

/// xoshiro256** (Blackman and Vigna), seeded by SplitMix64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose state is four SplitMix64 outputs from `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        let mut s = [0u64; 4];
        for w in &mut s {
            *w = splitmix64(&mut sm);
        }
        if s == [0; 4] {
            // The one state xoshiro cannot leave; SplitMix64 never yields it in practice.
            s[0] = 1;
        }
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform draw in the open interval (0, 1): `(k + 0.5) / 2^53` for a random
    /// 53-bit `k`.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal draw (Box-Muller, cosine branch; two uniforms per draw).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform();
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }

    /// A Gamma(shape, 1) draw for `shape >= 1` (Marsaglia and Tsang, 2000). Gives up
    /// after 1000 rejections (probability far below 1e-1000) and returns the mean.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        self.gamma_with(&GammaShape::new(shape))
    }

    /// [`Rng::gamma`] with its constants computed once.
    fn gamma_with(&mut self, g: &GammaShape) -> f64 {
        let GammaShape { shape, d, c } = *g;
        for _ in 0..1000 {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v))
            {
                return d * v;
            }
        }
        shape
    }

    /// A Beta(alpha, beta) draw for `alpha, beta >= 1`: `X / (X + Y)` with gamma draws.
    pub fn beta(&mut self, alpha: f64, beta: f64) -> f64 {
        self.beta_with(&GammaShape::new(alpha), &GammaShape::new(beta))
    }

    /// [`Rng::beta`] with the gamma draws' constants computed once.
    fn beta_with(&mut self, alpha: &GammaShape, beta: &GammaShape) -> f64 {
        let x = self.gamma_with(alpha);
        let y = self.gamma_with(beta);
        let s = x + y;
        if s > 0.0 { x / s } else { 0.5 }
    }
}

/// The constants of Marsaglia and Tsang's method for one shape: `d = shape - 1/3`,
/// `c = 1 / sqrt(9 d)`.
#[derive(Clone, Copy, Debug)]
struct GammaShape {
    shape: f64,
    d: f64,
    c: f64,
}

impl GammaShape {
    fn new(shape: f64) -> GammaShape {
        let d = shape - 1.0 / 3.0;
        GammaShape {
            shape,
            d,
            c: 1.0 / libm::sqrt(9.0 * d),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Distributions.

fn check_range(what: &'static str, r: &Range3) -> Result<(), SimulationError> {
    let ok = r.low.is_finite()
        && r.likely.is_finite()
        && r.high.is_finite()
        && r.low <= r.likely
        && r.likely <= r.high
        && (r.high - r.low).is_finite();
    if ok {
        Ok(())
    } else {
        Err(SimulationError::InvalidRange {
            what,
            low: r.low,
            likely: r.likely,
            high: r.high,
        })
    }
}

/// The inverse CDF of the triangular distribution on `[low, high]` with mode `likely`,
/// at probability `u` (clamped to 0..=1). Assumes `low <= likely <= high`, finite.
///
/// With `c = (likely - low) / (high - low)`: `low + (high - low) sqrt(u c)` for `u < c`,
/// else `high - (high - low) sqrt((1 - u)(1 - c))`. For `a = 10, mode 20, b = 60`:
/// P10 = 17.07, P50 = 28.38, P90 = 45.86.
pub fn triangular_quantile(r: &Range3, u: f64) -> f64 {
    let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
    let width = r.high - r.low;
    if width <= 0.0 || !width.is_finite() {
        return r.low;
    }
    let c = (r.likely - r.low) / width;
    let x = if u < c {
        r.low + width * libm::sqrt(u * c)
    } else {
        r.high - width * libm::sqrt((1.0 - u) * (1.0 - c))
    };
    x.clamp(r.low, r.high)
}

/// The mean of a range's distribution: `(low + likely + high) / 3` (triangular) or
/// `(low + 4 likely + high) / 6` (PERT).
pub fn range_mean(r: &Range3, d: Distribution) -> f64 {
    match d {
        Distribution::Triangular => r.low / 3.0 + r.likely / 3.0 + r.high / 3.0,
        Distribution::Pert => r.low / 6.0 + r.likely * (4.0 / 6.0) + r.high / 6.0,
    }
}

/// The Beta-PERT shape parameters `(alpha, beta)` of a non-degenerate range.
pub fn pert_shape(r: &Range3) -> Option<(f64, f64)> {
    let width = r.high - r.low;
    (width > 0.0 && width.is_finite()).then(|| {
        (
            1.0 + 4.0 * (r.likely - r.low) / width,
            1.0 + 4.0 * (r.high - r.likely) / width,
        )
    })
}

/// Draws from one range with precomputed parameters.
#[derive(Clone, Copy, Debug)]
enum Sampler {
    Constant(f64),
    Triangular(Range3),
    Pert {
        low: f64,
        width: f64,
        alpha: GammaShape,
        beta: GammaShape,
    },
}

impl Sampler {
    fn new(r: &Range3, d: Distribution) -> Sampler {
        if r.high <= r.low {
            return Sampler::Constant(r.low);
        }
        match (d, pert_shape(r)) {
            (Distribution::Pert, Some((alpha, beta))) => Sampler::Pert {
                low: r.low,
                width: r.high - r.low,
                alpha: GammaShape::new(alpha),
                beta: GammaShape::new(beta),
            },
            _ => Sampler::Triangular(*r),
        }
    }

    fn draw(&self, rng: &mut Rng) -> f64 {
        match *self {
            Sampler::Constant(c) => c,
            Sampler::Triangular(r) => triangular_quantile(&r, rng.uniform()),
            Sampler::Pert {
                low,
                width,
                alpha,
                beta,
            } => (low + width * rng.beta_with(&alpha, &beta)).clamp(low, low + width),
        }
    }
}

/// Draws `n` values from one range (for tests and charts of the input distributions).
pub fn sample_range(
    r: &Range3,
    d: Distribution,
    rng: &mut Rng,
    n: usize,
) -> Result<Vec<f64>, SimulationError> {
    check_range("sampled", r)?;
    if n > MAX_TRIALS {
        return Err(SimulationError::TooManyTrials {
            trials: n,
            max: MAX_TRIALS,
        });
    }
    let s = Sampler::new(r, d);
    Ok((0..n).map(|_| s.draw(rng)).collect())
}

// ---------------------------------------------------------------------------------------
// Statistics.

/// The type 7 quantile (linear interpolation; see the module docs) of ascending,
/// finite values at `q` in 0..=1. `None` when `values` is empty or `q` is not in 0..=1.
pub fn quantile_sorted(values: &[f64], q: f64) -> Option<f64> {
    quantile_of(values.len(), q, |k| values[k])
}

/// The type 7 quantile at `q` of `n` values whose `k`th smallest is `nth(k)`.
fn quantile_of(n: usize, q: f64, mut nth: impl FnMut(usize) -> f64) -> Option<f64> {
    if n == 0 || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let h = (n - 1) as f64 * q;
    let k = libm::floor(h) as usize;
    let lo = nth(k.min(n - 1));
    let hi = nth((k + 1).min(n - 1));
    if lo >= hi {
        return Some(lo);
    }
    let f = h - k as f64;
    let diff = hi - lo;
    let v = if diff.is_finite() {
        lo + f * diff
    } else {
        lo * (1.0 - f) + hi * f
    };
    // Clamping keeps quantiles ordered whatever the rounding.
    Some(v.clamp(lo, hi))
}

/// The percentiles every simulation reports, ascending.
pub const PERCENTILES: [u8; 3] = [10, 50, 90];

/// The label of percentile `p`, stating its direction.
pub fn percentile_label(p: u8) -> String {
    format!("P{p}: {p}% of outcomes are at or below this value")
}

/// Mean and population standard deviation without overflow: the values are scaled by
/// their largest magnitude first.
fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let scale = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if scale == 0.0 || n == 0.0 {
        return (0.0, 0.0);
    }
    let mean_s = values.iter().map(|v| v / scale).sum::<f64>() / n;
    let var_s = values
        .iter()
        .map(|v| {
            let d = v / scale - mean_s;
            d * d
        })
        .sum::<f64>()
        / n;
    (mean_s * scale, libm::sqrt(var_s) * scale)
}

/// Equal-width bins of `values` (in any order) from their smallest to their largest.
fn histogram(values: &[f64], bins: usize) -> Vec<Bin> {
    let (Some(min), Some(max)) = (
        values.iter().copied().min_by(f64::total_cmp),
        values.iter().copied().max_by(f64::total_cmp),
    ) else {
        return Vec::new();
    };
    if min >= max {
        return vec![Bin {
            start: min,
            end: max,
            count: values.len(),
        }];
    }
    let edge = |k: usize| {
        if k == 0 {
            return min;
        }
        if k == bins {
            return max;
        }
        let f = k as f64 / bins as f64;
        (min * (1.0 - f) + max * f).clamp(min, max)
    };
    let mut out: Vec<Bin> = (0..bins)
        .map(|k| Bin {
            start: edge(k),
            end: edge(k + 1),
            count: 0,
        })
        .collect();
    let (half_min, half_span) = (min * 0.5, max * 0.5 - min * 0.5);
    for &v in values {
        let t = (v * 0.5 - half_min) / half_span;
        let mut k = ((t * bins as f64) as usize).min(bins - 1);
        // Agree with the published edges exactly.
        while k > 0 && v < out[k].start {
            k -= 1;
        }
        while k + 1 < bins && v >= out[k + 1].start {
            k += 1;
        }
        out[k].count += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------
// The simulation.

/// Present values of a plan, precomputed so a trial costs O(1).
#[derive(Debug)]
struct PlanPv {
    /// PV of all costs.
    cost: f64,
    /// `benefit_prefix[j]` = PV of the benefits of the first `j` periods.
    benefit_prefix: Vec<f64>,
    /// `1 + rate`, and the period length in years.
    growth: f64,
    period_years: f64,
    /// Periods (from the plan start) before the horizon, if any.
    horizon: Option<i64>,
}

impl PlanPv {
    fn new(
        s: &Settings,
        plan: &CashPlan,
        horizon: Option<Period>,
    ) -> Result<PlanPv, SimulationError> {
        let rate = s.discount_rate;
        finance::discount_factor(rate, 0.0)?;
        let period_years = s.calendar.period_years();
        let offset = s.discounting.offset();
        let n = plan.cost.len().max(plan.benefit.len());
        let mut cost = 0.0;
        let mut benefit_prefix = Vec::with_capacity(n + 1);
        benefit_prefix.push(0.0);
        let mut acc = 0.0;
        for k in 0..n {
            let period = i64::from(plan.start.0) + k as i64;
            let t = ((period - i64::from(s.base_period.0)) as f64 + offset) * period_years;
            let df = finance::discount_factor(rate, t)?;
            let c = plan.cost.get(k).copied().unwrap_or(0.0);
            let b = plan.benefit.get(k).copied().unwrap_or(0.0);
            if !c.is_finite() || !b.is_finite() {
                return Err(SimulationError::NonFinite { what: "plan" });
            }
            cost += c * df;
            acc += b * df;
            benefit_prefix.push(acc);
        }
        if !cost.is_finite() || !acc.is_finite() {
            return Err(SimulationError::NonFinite {
                what: "present value",
            });
        }
        Ok(PlanPv {
            cost,
            benefit_prefix,
            growth: 1.0 + rate,
            period_years,
            horizon: horizon.map(|h| i64::from(h.0) - i64::from(plan.start.0)),
        })
    }

    /// NPV with the given multipliers and whole-period delay.
    fn npv(&self, cost_mult: f64, benefit_mult: f64, delay: i64) -> f64 {
        let n = self.benefit_prefix.len() - 1;
        // Benefit k lands at k + delay; it counts when k + delay < horizon.
        let counted = match self.horizon {
            None => n,
            Some(h) => usize::try_from(h.saturating_sub(delay).clamp(0, n as i64)).unwrap_or(0),
        };
        let base = self.benefit_prefix[counted];
        let benefit = if base == 0.0 || benefit_mult == 0.0 {
            0.0
        } else if delay == 0 {
            benefit_mult * base
        } else {
            let shift = libm::pow(self.growth, -(delay as f64) * self.period_years);
            benefit_mult * base * shift
        };
        let cost = if self.cost == 0.0 {
            0.0
        } else {
            cost_mult * self.cost
        };
        benefit - cost
    }
}

/// Simulates an initiative's NPV over its own plan and uncertainty; see [`simulate`].
pub fn simulate_initiative(
    settings: &Settings,
    initiative: &Initiative,
    config: &SimulationConfig,
) -> Result<Simulation, SimulationError> {
    simulate(
        settings,
        &initiative.id,
        &initiative.plan,
        &initiative.uncertainty,
        config,
    )
}

/// Simulates the NPV of `plan` under `uncertainty` (see the module docs for the
/// conventions). `id` seeds the stream, so each initiative has its own reproducible
/// sample; the widget passes a modified plan or settings with the same id.
pub fn simulate(
    settings: &Settings,
    id: &str,
    plan: &CashPlan,
    uncertainty: &Uncertainty,
    config: &SimulationConfig,
) -> Result<Simulation, SimulationError> {
    let trials = config.trials;
    if trials == 0 {
        return Err(SimulationError::NoTrials);
    }
    if trials > MAX_TRIALS {
        return Err(SimulationError::TooManyTrials {
            trials,
            max: MAX_TRIALS,
        });
    }
    if config.bins == 0 || config.bins > MAX_BINS {
        return Err(SimulationError::BadBinCount {
            bins: config.bins,
            max: MAX_BINS,
        });
    }
    check_range("cost multiplier", &uncertainty.cost)?;
    check_range("benefit multiplier", &uncertainty.benefit)?;
    check_range("delay", &uncertainty.delay)?;
    let pv = PlanPv::new(settings, plan, config.horizon)?;
    let planned_npv = pv.npv(1.0, 1.0, 0);
    if !planned_npv.is_finite() {
        return Err(SimulationError::NonFinite {
            what: "planned NPV",
        });
    }

    let d = uncertainty.distribution;
    let cost = Sampler::new(&uncertainty.cost, d);
    let benefit = Sampler::new(&uncertainty.benefit, d);
    let delay = Sampler::new(&uncertainty.delay, d);
    let seed = stream_seed(id, config.seed);
    let mut rng = Rng::new(seed);
    let mut values = Vec::with_capacity(trials);
    let mut negative = 0usize;
    for _ in 0..trials {
        let cm = cost.draw(&mut rng);
        let bm = benefit.draw(&mut rng);
        // Saturating float-to-int conversion; the range is finite.
        let dl = libm::round(delay.draw(&mut rng)) as i64;
        let v = pv.npv(cm, bm, dl);
        if !v.is_finite() {
            return Err(SimulationError::NonFinite { what: "NPV" });
        }
        negative += usize::from(v < 0.0);
        values.push(v);
    }
    let (mean, std_dev) = mean_sd(&values);
    if !mean.is_finite() || !std_dev.is_finite() {
        return Err(SimulationError::NonFinite {
            what: "mean or standard deviation",
        });
    }
    // One sort serves the percentiles, the histogram's range and the extremes. (Order
    // statistics by selection were faster natively but hundreds of times slower in the
    // wasm widget, so the simulation sorts, on both.)
    values.sort_by(f64::total_cmp);
    let histogram = histogram(&values, config.bins);
    let min = values.first().copied().unwrap_or(0.0);
    let max = values.last().copied().unwrap_or(0.0);
    let percentiles = PERCENTILES
        .iter()
        .map(|&p| Percentile {
            p,
            value: quantile_sorted(&values, f64::from(p) / 100.0).unwrap_or(0.0),
            label: percentile_label(p),
        })
        .collect();
    Ok(Simulation {
        trials,
        stream_seed: seed,
        distribution: d,
        planned_npv,
        mean,
        std_dev,
        percentiles,
        prob_negative_npv: negative as f64 / trials as f64,
        histogram,
        min,
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_reference_sequence_is_stable() {
        // Pin the first outputs so a refactor cannot silently change every simulation:
        // seed 0 through four SplitMix64 outputs, then xoshiro256** (values from an
        // independent implementation of both published algorithms, not from this one).
        let mut r = Rng::new(0);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(
            first,
            [
                0x99ec_5f36_cb75_f2b4,
                0xbf6e_1f78_4956_452a,
                0x1a5f_849d_4933_e6e0
            ]
        );
        // xoshiro256** reference vector (state 1, 2, 3, 4; as in rand_xoshiro's tests).
        let mut x = Rng { s: [1, 2, 3, 4] };
        let got: Vec<u64> = (0..4).map(|_| x.next_u64()).collect();
        assert_eq!(got, [11520, 0, 1509978240, 1215971899390074240]);
        // SplitMix64 reference (Vigna): seed 0 gives 0xe220a8397b1dcdaf first.
        let mut s = 0u64;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
    }

    #[test]
    fn fnv1a_reference() {
        // FNV-1a 64 test vectors (Fowler, Noll, Vo).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn histogram_all_equal_and_edges() {
        let h = histogram(&[5.0, 5.0, 5.0], 30);
        assert_eq!(
            h,
            vec![Bin {
                start: 5.0,
                end: 5.0,
                count: 3
            }]
        );
        let h = histogram(&[0.0, 1.0, 2.0, 3.0, 4.0], 4);
        assert_eq!(h.iter().map(|b| b.count).collect::<Vec<_>>(), [1, 1, 1, 2]);
        let h = histogram(&[-f64::MAX, f64::MAX], 3);
        assert_eq!(h.iter().map(|b| b.count).sum::<usize>(), 2);
        assert!(h.iter().all(|b| b.start.is_finite() && b.end.is_finite()));
    }
}
