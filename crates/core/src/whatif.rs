//! What-if scenarios on a business case: cost overrun, benefit realisation, delay,
//! horizon, and overrides of the discount rate and discounting convention.
//!
//! Every lever is a pure function from a [`CashPlan`] to a new [`CashPlan`]; a
//! [`Scenario`] applies them all in one call ([`apply`]) and [`evaluate`] recomputes the
//! business case with [`analysis::business_case`](crate::analysis::business_case), so a
//! widget and the static page use the same arithmetic.
//!
//! # Conventions
//!
//! - **Order.** [`apply`] scales costs (overrun) and benefits (realisation), then delays
//!   the benefits, then cuts or extends the plan to the horizon. A delay can therefore
//!   push benefits past the horizon, where they are lost.
//! - **Delay keeps the costs where they were planned.** A delay of `N` periods moves
//!   every benefit `N` periods later; costs stay in the periods they were planned in, and
//!   the plan gets `N` more periods (zero cost, the delayed benefits). This isolates the
//!   *cost of delay* (benefits received later, so discounted more, or lost past the
//!   horizon). The extra spend a longer delivery usually brings is the cost-overrun
//!   lever's job (two quarters late on an eight-quarter delivery that keeps its team is
//!   roughly a 25% overrun): combining both levers never counts the same money twice.
//! - **Plans are normalised.** The result always has as many costs as benefits (the
//!   shorter array is padded with zeros), so no flow is silently dropped.
//! - Inputs are validated: a NaN, an infinity, a negative realisation, a cost overrun
//!   below -100%, a delay over [`MAX_DELAY_PERIODS`] or a horizon over
//!   [`MAX_HORIZON_PERIODS`] is a [`WhatIfError`], never a NaN in the output.

use crate::analysis::{self, BusinessCase};
use crate::model::{CashPlan, Discounting, Portfolio, Settings};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest delay accepted, in periods (50 years of quarters).
pub const MAX_DELAY_PERIODS: u32 = 200;
/// The longest horizon accepted, in periods (250 years of quarters).
pub const MAX_HORIZON_PERIODS: usize = 1000;
/// The largest cost overrun accepted, as a fraction (100 = +10,000%).
pub const MAX_COST_OVERRUN: f64 = 100.0;
/// The largest benefit realisation accepted, as a fraction (100 = 10,000%).
pub const MAX_BENEFIT_REALISATION: f64 = 100.0;

/// Why a scenario could not be applied.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum WhatIfError {
    /// A lever is NaN or infinite.
    NotFinite { what: &'static str },
    /// A lever is outside its accepted range `min..=max`.
    OutOfRange {
        what: &'static str,
        value: f64,
        min: f64,
        max: f64,
    },
    /// The delay exceeds [`MAX_DELAY_PERIODS`].
    DelayTooLong { periods: u32, max: u32 },
    /// The horizon is zero or exceeds [`MAX_HORIZON_PERIODS`].
    HorizonOutOfRange { periods: usize, max: usize },
    /// A plan value is NaN or infinite (`what` is `cost` or `benefit`).
    PlanNotFinite { what: &'static str, index: usize },
    /// Scaling a plan value overflowed.
    Overflow { what: &'static str, index: usize },
    /// The plan's periods would run past the largest period index.
    PeriodOverflow,
}

impl fmt::Display for WhatIfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WhatIfError::NotFinite { what } => write!(f, "the {what} is not a finite number"),
            WhatIfError::OutOfRange {
                what,
                value,
                min,
                max,
            } => write!(
                f,
                "the {what} ({value}) is out of range: it must be between {min} and {max}"
            ),
            WhatIfError::DelayTooLong { periods, max } => write!(
                f,
                "a delay of {periods} periods is too long: at most {max} periods"
            ),
            WhatIfError::HorizonOutOfRange { periods, max } => write!(
                f,
                "a horizon of {periods} periods is out of range: 1 to {max} periods"
            ),
            WhatIfError::PlanNotFinite { what, index } => {
                write!(
                    f,
                    "the plan's {what} in period {index} is not a finite number"
                )
            }
            WhatIfError::Overflow { what, index } => {
                write!(f, "the scaled {what} in period {index} overflows")
            }
            WhatIfError::PeriodOverflow => f.write_str("the plan runs past the last period"),
        }
    }
}

impl std::error::Error for WhatIfError {}

type Result<T> = std::result::Result<T, WhatIfError>;

fn in_range(what: &'static str, value: f64, min: f64, max: f64) -> Result<f64> {
    if !value.is_finite() {
        Err(WhatIfError::NotFinite { what })
    } else if value < min || value > max {
        Err(WhatIfError::OutOfRange {
            what,
            value,
            min,
            max,
        })
    } else {
        Ok(value)
    }
}

/// Checks the plan's values and pads the shorter array with zeros.
fn normalised(plan: &CashPlan) -> Result<CashPlan> {
    for (what, values) in [("cost", &plan.cost), ("benefit", &plan.benefit)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(WhatIfError::PlanNotFinite { what, index });
        }
    }
    let n = plan.cost.len().max(plan.benefit.len());
    let pad = |v: &[f64]| {
        let mut out = Vec::with_capacity(n);
        out.extend_from_slice(v);
        out.resize(n, 0.0);
        out
    };
    let out = CashPlan {
        start: plan.start,
        cost: pad(&plan.cost),
        benefit: pad(&plan.benefit),
    };
    check_periods(&out)?;
    Ok(out)
}

fn check_periods(plan: &CashPlan) -> Result<()> {
    i32::try_from(plan.cost.len())
        .ok()
        .and_then(|n| plan.start.0.checked_add(n))
        .map(|_| ())
        .ok_or(WhatIfError::PeriodOverflow)
}

fn scaled(values: &mut [f64], factor: f64, what: &'static str) -> Result<()> {
    for (index, v) in values.iter_mut().enumerate() {
        *v *= factor;
        if !v.is_finite() {
            return Err(WhatIfError::Overflow { what, index });
        }
    }
    Ok(())
}

/// The plan with every cost multiplied by `1 + overrun` (`0.3` = 30% more, `-0.1` = 10%
/// under budget). `overrun` must be in `-1..=`[`MAX_COST_OVERRUN`].
pub fn with_cost_overrun(plan: &CashPlan, overrun: f64) -> Result<CashPlan> {
    let x = in_range("cost overrun", overrun, -1.0, MAX_COST_OVERRUN)?;
    let mut out = normalised(plan)?;
    scaled(&mut out.cost, 1.0 + x, "cost")?;
    Ok(out)
}

/// The plan with every benefit multiplied by `realisation` (`0.6` = 60% of the planned
/// benefits, `1.0` = as planned). `realisation` must be in `0..=`[`MAX_BENEFIT_REALISATION`].
pub fn with_benefit_realisation(plan: &CashPlan, realisation: f64) -> Result<CashPlan> {
    let x = in_range(
        "benefit realisation",
        realisation,
        0.0,
        MAX_BENEFIT_REALISATION,
    )?;
    let mut out = normalised(plan)?;
    scaled(&mut out.benefit, x, "benefit")?;
    Ok(out)
}

/// The plan with its benefits `periods` whole periods later: the benefit planned in
/// period `k` arrives in period `k + periods`. Costs stay where they were planned (see
/// the module docs for why); the plan gains `periods` periods at the end, with zero cost.
/// At most [`MAX_DELAY_PERIODS`].
pub fn with_delay(plan: &CashPlan, periods: u32) -> Result<CashPlan> {
    if periods > MAX_DELAY_PERIODS {
        return Err(WhatIfError::DelayTooLong {
            periods,
            max: MAX_DELAY_PERIODS,
        });
    }
    let mut out = normalised(plan)?;
    let d = periods as usize;
    if d == 0 {
        return Ok(out);
    }
    out.cost.resize(out.cost.len() + d, 0.0);
    let mut benefit = vec![0.0; d];
    benefit.extend_from_slice(&out.benefit);
    out.benefit = benefit;
    check_periods(&out)?;
    Ok(out)
}

/// The plan cut to its first `periods` periods, or extended with zero flows to that many
/// periods. `periods` must be in `1..=`[`MAX_HORIZON_PERIODS`].
pub fn with_horizon(plan: &CashPlan, periods: usize) -> Result<CashPlan> {
    if periods == 0 || periods > MAX_HORIZON_PERIODS {
        return Err(WhatIfError::HorizonOutOfRange {
            periods,
            max: MAX_HORIZON_PERIODS,
        });
    }
    let mut out = normalised(plan)?;
    out.cost.resize(periods, 0.0);
    out.benefit.resize(periods, 0.0);
    check_periods(&out)?;
    Ok(out)
}

/// A what-if scenario: every lever of the business-case widget. The default changes
/// nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Fractional cost overrun: costs are multiplied by `1 + cost_overrun` (0.3 = +30%).
    pub cost_overrun: f64,
    /// Fraction of the planned benefits realised (0.6 = 60%; 1.0 = as planned).
    pub benefit_realisation: f64,
    /// Whole periods the benefits arrive late (see [`with_delay`]).
    pub delay_periods: u32,
    /// Annual effective discount rate replacing the portfolio's, if set.
    pub discount_rate: Option<f64>,
    /// Number of periods from the plan's start to keep (cut or zero-extended), if set;
    /// applied after the delay.
    pub horizon: Option<usize>,
    /// Discounting convention replacing the portfolio's, if set.
    pub discounting: Option<Discounting>,
}

impl Default for Scenario {
    fn default() -> Scenario {
        Scenario {
            cost_overrun: 0.0,
            benefit_realisation: 1.0,
            delay_periods: 0,
            discount_rate: None,
            horizon: None,
            discounting: None,
        }
    }
}

impl Scenario {
    /// Checks every lever without a plan: the same errors [`apply`] would give for them.
    pub fn validate(&self) -> Result<()> {
        in_range("cost overrun", self.cost_overrun, -1.0, MAX_COST_OVERRUN)?;
        in_range(
            "benefit realisation",
            self.benefit_realisation,
            0.0,
            MAX_BENEFIT_REALISATION,
        )?;
        if self.delay_periods > MAX_DELAY_PERIODS {
            return Err(WhatIfError::DelayTooLong {
                periods: self.delay_periods,
                max: MAX_DELAY_PERIODS,
            });
        }
        if let Some(rate) = self.discount_rate {
            if !rate.is_finite() {
                return Err(WhatIfError::NotFinite {
                    what: "discount rate",
                });
            }
            if rate <= -1.0 {
                return Err(WhatIfError::OutOfRange {
                    what: "discount rate",
                    value: rate,
                    min: -1.0,
                    max: f64::MAX,
                });
            }
        }
        if let Some(h) = self.horizon
            && (h == 0 || h > MAX_HORIZON_PERIODS)
        {
            return Err(WhatIfError::HorizonOutOfRange {
                periods: h,
                max: MAX_HORIZON_PERIODS,
            });
        }
        Ok(())
    }
}

/// A scenario applied to a plan: the transformed plan and the settings it is to be
/// valued under (the portfolio's, or the scenario's overrides).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AppliedScenario {
    pub plan: CashPlan,
    /// Annual effective discount rate in force.
    pub discount_rate: f64,
    /// Discounting convention in force.
    pub discounting: Discounting,
}

/// Applies every lever of `scenario` to `plan` (overrun and realisation, then delay,
/// then horizon) and resolves the rate and convention against `settings`.
pub fn apply(plan: &CashPlan, settings: &Settings, scenario: &Scenario) -> Result<AppliedScenario> {
    scenario.validate()?;
    let mut out = normalised(plan)?;
    scaled(&mut out.cost, 1.0 + scenario.cost_overrun, "cost")?;
    scaled(&mut out.benefit, scenario.benefit_realisation, "benefit")?;
    out = with_delay(&out, scenario.delay_periods)?;
    if let Some(h) = scenario.horizon {
        out = with_horizon(&out, h)?;
    }
    Ok(AppliedScenario {
        plan: out,
        discount_rate: scenario.discount_rate.unwrap_or(settings.discount_rate),
        discounting: scenario.discounting.unwrap_or(settings.discounting),
    })
}

/// A scenario's business case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioResult {
    pub applied: AppliedScenario,
    /// NPV, IRR, ROI, payback... of the transformed plan under the settings in force.
    pub business_case: BusinessCase,
}

/// Applies `scenario` to `plan` and computes its business case with
/// [`analysis::business_case`] under the portfolio's settings, overridden by the
/// scenario's discount rate and convention. Only `portfolio.settings` is read.
pub fn evaluate(
    portfolio: &Portfolio,
    plan: &CashPlan,
    scenario: &Scenario,
) -> Result<ScenarioResult> {
    let applied = apply(plan, &portfolio.settings, scenario)?;
    let mut settings = portfolio.settings.clone();
    settings.discount_rate = applied.discount_rate;
    settings.discounting = applied.discounting;
    let valuation = Portfolio {
        settings,
        objectives: Vec::new(),
        value_streams: Vec::new(),
        stages: Vec::new(),
        criteria: Vec::new(),
        models: Vec::new(),
        initiatives: Vec::new(),
    };
    let business_case = analysis::business_case(&valuation, &applied.plan);
    Ok(ScenarioResult {
        applied,
        business_case,
    })
}
