//! Delivery view for the traditional PMO: earned value from the plan, the actuals and
//! the milestones, plus benefits realised to date.
//!
//! # Conventions
//!
//! - **To date** means up to and including `settings.as_of` (the whole of that day).
//!   Plan periods before the one containing `as_of` count in full; the current period
//!   counts pro rata to the days elapsed, `(days from its first day to as_of, both
//!   included) / (days in the period)`; later periods count nothing.
//! - **Budget at completion** (BAC) is the total planned cost.
//! - **Planned value** (PV) is the planned cost to date, pro-rated as above.
//! - **Actual cost** (AC) is the sum of the actual costs of every period up to and
//!   including the current one (actuals are reported to date, so they are not
//!   pro-rated).
//! - **Earned value** (EV): the model has no percent complete, so progress is measured by
//!   milestones, all weighted equally: `EV = BAC x (milestones done on or before as_of)
//!   / (all milestones)`. Without milestones EV is unavailable, and so is everything
//!   derived from it.
//! - Indices, as in the PMI's earned value management: `CV = EV - AC`, `SV = EV - PV`,
//!   `CPI = EV / AC`, `SPI = EV / PV`, `EAC = BAC / CPI` (the "typical" forecast: the
//!   cost efficiency so far continues), `ETC = EAC - AC`, `VAC = BAC - EAC`, `TCPI =
//!   (BAC - EV) / (BAC - AC)` (the efficiency the remaining budget needs; unavailable
//!   once the budget is spent). Above 1 is good for CPI, SPI; below 1 is good for TCPI.
//! - **Earned schedule** (Lipke): `ES` is the time at which the planned value curve (the
//!   cumulative planned cost, accruing evenly within each period) reaches the earned
//!   value; `AT` is the time elapsed from the plan's start to `as_of`; both in periods.
//!   `SPI(t) = ES / AT` and `SV(t) = ES - AT`. Unlike SPI, which returns to 1 when a late
//!   project finally finishes (EV = PV = BAC), SPI(t) stays below 1 for it: the planned
//!   duration over the time it took.
//! - **Benefits**: planned benefit to date is pro-rated like PV; actual benefit to date
//!   is summed like AC; `realised_to_date = actual / planned to date`; the forecast at
//!   completion is `actual to date + (total planned - planned to date)`: the rest of the
//!   plan is still expected.
//! - A ratio whose denominator is zero, or whose result is not finite, is
//!   [`Indicator::Unavailable`] with a typed [`Unavailable`] reason, never NaN.

use crate::analysis;
use crate::calendar::{Calendar, Period};
use crate::date::Date;
use crate::model::{CashPlan, Initiative, Milestone, Settings};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an indicator could not be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unavailable {
    /// The initiative has no milestones, so there is no earned value.
    NoMilestones,
    /// Nothing has been spent yet (AC = 0).
    ZeroActualCost,
    /// Nothing was planned to be spent yet (PV = 0).
    ZeroPlannedValue,
    /// Nothing has been earned yet (EV = 0, so CPI = 0).
    ZeroEarnedValue,
    /// The budget is spent (BAC - AC <= 0): no efficiency can finish within it.
    BudgetSpent,
    /// No benefit was planned to date.
    ZeroPlannedBenefit,
    /// No benefit is planned at all.
    ZeroTotalBenefit,
    /// The plan has not started by `as_of` (no time has elapsed).
    NotStarted,
    /// The result overflowed.
    NonFinite,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unavailable::NoMilestones => "the initiative has no milestones to measure progress",
            Unavailable::ZeroActualCost => "no actual cost has been recorded yet",
            Unavailable::ZeroPlannedValue => "no cost was planned to date",
            Unavailable::ZeroEarnedValue => "no value has been earned yet",
            Unavailable::BudgetSpent => "the budget at completion is already spent",
            Unavailable::ZeroPlannedBenefit => "no benefit was planned to date",
            Unavailable::ZeroTotalBenefit => "no benefit is planned",
            Unavailable::NotStarted => "the plan has not started yet",
            Unavailable::NonFinite => "the result is not a finite number",
        })
    }
}

/// A value, or the reason it is unavailable. Serialised like
/// [`analysis::Computed`](crate::analysis::Computed): `{"status": "ok", "value": 1.2}` or
/// `{"status": "unavailable", "reason": "zero-actual-cost"}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Indicator {
    Ok { value: f64 },
    Unavailable { reason: Unavailable },
}

impl Indicator {
    /// The value, if available.
    pub fn value(&self) -> Option<f64> {
        match *self {
            Indicator::Ok { value } => Some(value),
            Indicator::Unavailable { .. } => None,
        }
    }

    fn of(x: f64) -> Indicator {
        if x.is_finite() {
            Indicator::Ok { value: x }
        } else {
            Indicator::Unavailable {
                reason: Unavailable::NonFinite,
            }
        }
    }

    fn na(reason: Unavailable) -> Indicator {
        Indicator::Unavailable { reason }
    }

    /// `f(self)` when available.
    fn map(self, f: impl FnOnce(f64) -> f64) -> Indicator {
        match self {
            Indicator::Ok { value } => Indicator::of(f(value)),
            other => other,
        }
    }

    /// `num / den`, unavailable with `reason` when `den` is zero.
    fn ratio(num: Indicator, den: Indicator, reason: Unavailable) -> Indicator {
        match (num, den) {
            (Indicator::Ok { value: n }, Indicator::Ok { value: d }) => {
                if d == 0.0 {
                    Indicator::na(reason)
                } else {
                    Indicator::of(n / d)
                }
            }
            (Indicator::Unavailable { reason }, _) | (_, Indicator::Unavailable { reason }) => {
                Indicator::na(reason)
            }
        }
    }
}

/// Benefits planned and realised to date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenefitsToDate {
    pub planned_total: f64,
    /// Planned benefit to date, the current period pro-rated.
    pub planned_to_date: f64,
    /// Actual benefit of every period up to and including the current one.
    pub actual_to_date: f64,
    /// `actual_to_date / planned_to_date` (1 = on plan).
    pub realised_to_date: Indicator,
    /// `actual_to_date / planned_total`: how much of the whole case is banked.
    pub realised_of_total: Indicator,
    /// `actual_to_date + planned_total - planned_to_date`.
    pub forecast_at_completion: f64,
}

/// Cumulative planned value, actual cost and earned value at the end of one period (at
/// `as_of` for the current period), for an S-curve chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarnedValueRow {
    pub period: Period,
    pub label: String,
    /// The period's last day, or `as_of` for the current period.
    pub date: Date,
    /// Planned cost of the whole period.
    pub planned_cost: f64,
    /// Cumulative planned value at `date`.
    pub planned_value: f64,
    /// Cumulative actual cost; `None` after the current period.
    pub actual_cost: Option<f64>,
    /// Earned value at `date` (milestones done by then); `None` after the current
    /// period or without milestones.
    pub earned_value: Option<f64>,
}

/// The earned value view of one initiative on `as_of`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarnedValue {
    pub as_of: Date,
    /// The period containing `as_of`.
    pub period: Period,
    pub period_label: String,
    /// Share of the current period elapsed on `as_of`, in 0..=1.
    pub period_elapsed: f64,
    /// BAC: total planned cost.
    pub budget_at_completion: f64,
    /// PV: planned cost to date.
    pub planned_value: f64,
    /// AC: actual cost to date.
    pub actual_cost: f64,
    pub milestones_done: usize,
    pub milestones_total: usize,
    /// `milestones_done / milestones_total`, in 0..=1.
    pub percent_complete: Indicator,
    /// EV = BAC x percent complete.
    pub earned_value: Indicator,
    /// CV = EV - AC (negative: over budget).
    pub cost_variance: Indicator,
    /// SV = EV - PV (negative: behind schedule).
    pub schedule_variance: Indicator,
    /// CPI = EV / AC.
    pub cpi: Indicator,
    /// SPI = EV / PV.
    pub spi: Indicator,
    /// EAC = BAC / CPI.
    pub estimate_at_completion: Indicator,
    /// ETC = EAC - AC.
    pub estimate_to_complete: Indicator,
    /// VAC = BAC - EAC (negative: expected overrun).
    pub variance_at_completion: Indicator,
    /// TCPI = (BAC - EV) / (BAC - AC).
    pub tcpi: Indicator,
    /// ES: when, in periods from the plan's start, the plan expected the value earned.
    pub earned_schedule: Indicator,
    /// AT: periods elapsed from the plan's start to `as_of`.
    pub actual_time: f64,
    /// SPI(t) = ES / AT.
    pub spi_t: Indicator,
    /// SV(t) = ES - AT, in periods (negative: behind schedule).
    pub schedule_variance_t: Indicator,
    pub benefits: BenefitsToDate,
    /// One row per period over the plan and the actuals to date.
    pub rows: Vec<EarnedValueRow>,
}

/// Share of period `p` elapsed at the end of `as_of`, in 0..=1: 1 before the period
/// containing `as_of`, 0 after it (the same rule as the business case's figures to date,
/// [`analysis::elapsed_share`]).
pub fn elapsed_fraction(calendar: &Calendar, p: Period, as_of: Date) -> f64 {
    analysis::elapsed_share(calendar, p, as_of)
}

/// The most rows [`EarnedValue::rows`] holds; a longer span gives no rows.
pub const MAX_ROWS: i64 = 10_000;

fn value_in(plan: &CashPlan, values: &[f64], p: Period) -> f64 {
    usize::try_from(i64::from(p.0) - i64::from(plan.start.0))
        .ok()
        .and_then(|k| values.get(k).copied())
        .unwrap_or(0.0)
}

/// Sum of `values` weighted by how much of each period has elapsed by `date`.
fn pro_rated(calendar: &Calendar, plan: &CashPlan, values: &[f64], date: Date) -> f64 {
    let now = calendar.period_of(date);
    plan.periods()
        .zip(values)
        .map(|(p, v)| match p.cmp(&now) {
            std::cmp::Ordering::Less => *v,
            std::cmp::Ordering::Equal => v * elapsed_fraction(calendar, p, date),
            std::cmp::Ordering::Greater => 0.0,
        })
        .sum()
}

/// Sum of the actuals of every period up to and including `now`.
fn actual_to(actuals: Option<&CashPlan>, pick: fn(&CashPlan) -> &Vec<f64>, now: Period) -> f64 {
    actuals.map_or(0.0, |a| {
        a.periods()
            .zip(pick(a))
            .filter(|(p, _)| *p <= now)
            .map(|(_, v)| v)
            .sum()
    })
}

fn done_by(milestones: &[Milestone], date: Date) -> usize {
    milestones
        .iter()
        .filter(|m| m.done.is_some_and(|d| d <= date))
        .count()
}

/// The earned value view of an initiative on `settings.as_of` (see the module docs).
/// Never fails: what cannot be computed is [`Indicator::Unavailable`].
pub fn earned_value(settings: &Settings, initiative: &Initiative) -> EarnedValue {
    earned_value_of(
        &settings.calendar,
        settings.as_of,
        &initiative.plan,
        initiative.actuals.as_ref(),
        &initiative.milestones,
    )
}

/// [`earned_value`] from its parts.
pub fn earned_value_of(
    calendar: &Calendar,
    as_of: Date,
    plan: &CashPlan,
    actuals: Option<&CashPlan>,
    milestones: &[Milestone],
) -> EarnedValue {
    let now = calendar.period_of(as_of);
    let bac = plan.total_cost();
    let pv = pro_rated(calendar, plan, &plan.cost, as_of);
    let ac = actual_to(actuals, |a| &a.cost, now);
    let total = milestones.len();
    let done = done_by(milestones, as_of);
    let fraction_at = |date: Date| -> Indicator {
        if total == 0 {
            Indicator::na(Unavailable::NoMilestones)
        } else {
            Indicator::of(done_by(milestones, date) as f64 / total as f64)
        }
    };
    let percent_complete = fraction_at(as_of);
    let ev = percent_complete.map(|f| bac * f);
    let (pv_i, ac_i, bac_i) = (Indicator::of(pv), Indicator::of(ac), Indicator::of(bac));
    let cpi = Indicator::ratio(ev, ac_i, Unavailable::ZeroActualCost);
    let spi = Indicator::ratio(ev, pv_i, Unavailable::ZeroPlannedValue);
    let eac = Indicator::ratio(bac_i, cpi, Unavailable::ZeroEarnedValue);
    let tcpi = if bac - ac <= 0.0 {
        match ev {
            Indicator::Ok { .. } => Indicator::na(Unavailable::BudgetSpent),
            other => other,
        }
    } else {
        Indicator::ratio(
            ev.map(|e| bac - e),
            Indicator::of(bac - ac),
            Unavailable::BudgetSpent,
        )
    };

    let planned_total = plan.total_benefit();
    let planned_to_date = pro_rated(calendar, plan, &plan.benefit, as_of);
    let actual_benefit = actual_to(actuals, |a| &a.benefit, now);
    let benefits = BenefitsToDate {
        planned_total,
        planned_to_date,
        actual_to_date: actual_benefit,
        realised_to_date: Indicator::ratio(
            Indicator::of(actual_benefit),
            Indicator::of(planned_to_date),
            Unavailable::ZeroPlannedBenefit,
        ),
        realised_of_total: Indicator::ratio(
            Indicator::of(actual_benefit),
            Indicator::of(planned_total),
            Unavailable::ZeroTotalBenefit,
        ),
        forecast_at_completion: actual_benefit + (planned_total - planned_to_date),
    };

    // Rows over the plan periods and the actual periods up to now.
    let mut first = plan.start;
    let mut end = end_period(plan);
    if let Some(a) = actuals {
        let a_end = end_period(a).min(Period(now.0.saturating_add(1)));
        if a_end > a.start {
            first = first.min(a.start);
            end = end.max(a_end);
        }
    }
    let mut rows = Vec::new();
    let (mut cum_ac, mut cum_pv) = (0.0, 0.0);
    // A guard against absurd period spans (the calendar's labels keep them small).
    let span = i64::from(end.0) - i64::from(first.0);
    let periods = if span <= MAX_ROWS {
        first.0..end.0
    } else {
        0..0
    };
    for p in periods.map(Period) {
        let (date, weight) = if p == now {
            (as_of, elapsed_fraction(calendar, p, as_of))
        } else {
            (calendar.end_date(p), 1.0)
        };
        let planned_cost = value_in(plan, &plan.cost, p);
        let planned_value = cum_pv + planned_cost * weight;
        cum_pv += planned_cost;
        let known = p <= now;
        if known {
            cum_ac += actuals.map_or(0.0, |a| value_in(a, &a.cost, p));
        }
        rows.push(EarnedValueRow {
            period: p,
            label: calendar.label(p),
            date,
            planned_cost,
            planned_value,
            actual_cost: known.then_some(cum_ac),
            earned_value: if known {
                fraction_at(date).value().map(|f| bac * f)
            } else {
                None
            },
        });
    }

    // Earned schedule: the time the planned value curve reaches EV.
    let at = f64::from(now.0 - plan.start.0) + elapsed_fraction(calendar, now, as_of);
    let es = ev
        .value()
        .map_or(ev, |e| Indicator::of(earned_schedule(&plan.cost, e)));
    let spi_t = if at <= 0.0 {
        Indicator::na(Unavailable::NotStarted)
    } else {
        es.map(|x| x / at)
    };
    EarnedValue {
        earned_schedule: es,
        actual_time: at,
        spi_t,
        schedule_variance_t: if at <= 0.0 { spi_t } else { es.map(|x| x - at) },
        as_of,
        period: now,
        period_label: calendar.label(now),
        period_elapsed: elapsed_fraction(calendar, now, as_of),
        budget_at_completion: bac,
        planned_value: pv,
        actual_cost: ac,
        milestones_done: done,
        milestones_total: total,
        percent_complete,
        earned_value: ev,
        cost_variance: ev.map(|e| e - ac),
        schedule_variance: ev.map(|e| e - pv),
        cpi,
        spi,
        estimate_at_completion: eac,
        estimate_to_complete: eac.map(|e| e - ac),
        variance_at_completion: eac.map(|e| bac - e),
        tcpi,
        benefits,
        rows,
    }
}

/// The time, in periods from the first, at which the cumulative of `costs` (accruing
/// evenly within each period) first reaches `earned`: 0 for nothing earned, the time the
/// whole budget is reached for everything earned.
pub fn earned_schedule(costs: &[f64], earned: f64) -> f64 {
    if earned <= 0.0 {
        return 0.0;
    }
    let mut cum = 0.0;
    let mut reached = 0.0;
    for (k, &c) in costs.iter().enumerate() {
        if c > 0.0 {
            if cum + c >= earned {
                return k as f64 + (earned - cum) / c;
            }
            reached = (k + 1) as f64;
        }
        cum += c;
    }
    reached
}

/// The period after a plan's last (`start + len`, the longer array).
fn end_period(plan: &CashPlan) -> Period {
    let len = plan.cost.len().max(plan.benefit.len());
    Period(
        plan.start
            .0
            .saturating_add(i32::try_from(len).unwrap_or(i32::MAX)),
    )
}
