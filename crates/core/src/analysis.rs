//! Per-initiative metrics and portfolio roll-ups: everything the site's pages show,
//! computed once by [`analyse`].
//!
//! # Conventions
//!
//! - **Time.** A plan period's flow is counted `offset` periods after the period starts,
//!   where the offset comes from the portfolio's [`Discounting`](crate::Discounting)
//!   setting (end 1, mid 0.5, start 0). Its time in years from the base date (the first
//!   day of `settings.base_period`) is `t = (period - base_period + offset) *
//!   period_years`, and its discount factor `(1 + discount_rate)^-t` with the annual
//!   effective `discount_rate`.
//! - **IRR and MIRR** are computed on the per-period net flows, then annualised
//!   (`(1 + r)^4 - 1` for quarters). Every IRR root is kept. MIRR uses the discount rate
//!   (per period) as both finance and reinvestment rate.
//! - **ROI** is undiscounted: `(total benefit - total cost) / total cost`. **BCR** is
//!   discounted: `PV benefits / PV costs`.
//! - **Payback** counts from the start of the initiative's first plan period, each
//!   period's net (or, discounted, its present value) accruing evenly over the period;
//!   see [`finance::payback`] with `first_t = 1`.
//! - **To date** means periods up to and including the period containing
//!   `settings.as_of`.
//! - A metric that cannot be computed is [`Computed::Unavailable`] with the reason, never
//!   NaN.

use crate::calendar::Period;
use crate::date::Date;
use crate::finance::{self, FinanceError, IrrOutcome, Payback};
use crate::model::{CashPlan, Direction, Initiative, Kind, Kpi, Portfolio, RiskStatus, StageClass};
use crate::scoring::{self, Score};
use serde::Serialize;
use std::collections::BTreeMap;

/// A metric, or the reason it could not be computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Computed<T> {
    Ok { value: T },
    Unavailable { reason: String },
}

impl<T> Computed<T> {
    /// The value, if computed.
    pub fn value(&self) -> Option<&T> {
        match self {
            Computed::Ok { value } => Some(value),
            Computed::Unavailable { .. } => None,
        }
    }

    fn from_result<E: std::fmt::Display>(r: Result<T, E>) -> Computed<T> {
        match r {
            Ok(value) => Computed::Ok { value },
            Err(e) => Computed::Unavailable {
                reason: e.to_string(),
            },
        }
    }
}

/// One row of a business-case cash-flow table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CashFlowRow {
    pub period: Period,
    /// The period's label, e.g. `2025` or `2025-Q3`.
    pub label: String,
    pub cost: f64,
    pub benefit: f64,
    /// `benefit - cost`.
    pub net: f64,
    /// Years from the base date to when this period's flow is counted (see module docs).
    pub t_years: f64,
    /// `(1 + discount_rate)^-t_years`; `None` when the discount rate is unusable or the
    /// factor overflows (the business case's `npv` says why).
    pub discount_factor: Option<f64>,
    /// `net * discount_factor`; `None` as above, or on overflow.
    pub pv_net: Option<f64>,
    /// Running total of `net` up to and including this period.
    pub cumulative_net: f64,
    /// Running total of `pv_net`.
    pub cumulative_pv: Option<f64>,
}

/// The business case of one initiative: its plan, discounted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BusinessCase {
    /// One row per plan period, in order.
    pub rows: Vec<CashFlowRow>,
    pub total_cost: f64,
    pub total_benefit: f64,
    /// `total_benefit - total_cost`.
    pub total_net: f64,
    pub pv_cost: Computed<f64>,
    pub pv_benefit: Computed<f64>,
    /// Net present value at the portfolio discount rate: `pv_benefit - pv_cost`.
    pub npv: Computed<f64>,
    /// Every IRR, annual effective (per-period roots annualised).
    pub irr: Computed<IrrOutcome>,
    /// Money comes in before it goes out ([`finance::inflow_first`]): the IRR is then a
    /// borrowing rate, for which lower is better.
    pub inflow_first: bool,
    /// MIRR, annual effective.
    pub mirr: Computed<f64>,
    /// Undiscounted ROI as a fraction (0.25 = 25%).
    pub roi: Computed<f64>,
    /// Benefit-cost ratio, `pv_benefit / pv_cost`.
    pub bcr: Computed<f64>,
    /// Simple payback (the final recovery: [`finance::payback`]), in periods from the
    /// start of the first plan period.
    pub payback_periods: Computed<Payback>,
    /// Simple payback in years.
    pub payback_years: Computed<Payback>,
    /// Discounted payback, in periods from the start of the first plan period.
    pub discounted_payback_periods: Computed<Payback>,
    /// Discounted payback in years.
    pub discounted_payback_years: Computed<Payback>,
    /// The first recovery ([`finance::first_payback`]), in periods and in years: earlier
    /// than the payback when the cumulative dips below zero again later.
    pub first_payback_periods: Computed<Payback>,
    pub first_payback_years: Computed<Payback>,
    /// The first recovery of the discounted cumulative, in periods and in years.
    pub first_discounted_payback_periods: Computed<Payback>,
    pub first_discounted_payback_years: Computed<Payback>,
}

/// Plan against actuals, up to and including the period containing `as_of`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ToDate {
    pub as_of: Date,
    /// The period containing `as_of`.
    pub period: Period,
    pub period_label: String,
    pub planned_cost: f64,
    pub planned_benefit: f64,
    pub actual_cost: f64,
    pub actual_benefit: f64,
    /// `actual_benefit / planned_benefit`; `None` when no benefit was planned to date.
    pub benefits_realised: Option<f64>,
    /// `actual_cost - planned_cost`: positive means spending above plan.
    pub cost_variance: f64,
    /// Actual cost to date plus the planned cost of the periods after `as_of`.
    pub forecast_cost_at_completion: f64,
    /// Actual benefit to date plus the planned benefit of the periods after `as_of`.
    pub forecast_benefit_at_completion: f64,
}

/// Planned and actual flows for one period (benefits realisation chart).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RealisationRow {
    pub period: Period,
    pub label: String,
    pub planned_cost: f64,
    pub planned_benefit: f64,
    /// `None` for periods after the one containing `as_of`, or without actuals.
    pub actual_cost: Option<f64>,
    pub actual_benefit: Option<f64>,
}

/// An initiative's score under one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelScore {
    pub model_id: String,
    pub score: Computed<Score>,
    /// 1-based rank among the open initiatives scored by this model (ties broken by
    /// id). Closed initiatives are ranked nowhere: their score is unavailable.
    pub rank: Option<usize>,
    /// How many open initiatives this model ranked.
    pub of: usize,
}

/// Exposure of an initiative's open and mitigating risks (probability x impact, so each
/// risk's exposure is in 0..=5).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskExposure {
    /// Number of open or mitigating risks.
    pub active: usize,
    /// Sum of their exposures.
    pub total: f64,
    /// Largest exposure (0 without active risks).
    pub max: f64,
}

/// Progress of one KPI.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KpiProgress {
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    /// The latest actual dated on or before `as_of`.
    pub latest: Option<crate::model::DatedValue>,
    /// Fraction of the way from baseline to target of `latest`: 0 at the baseline, 1 at
    /// the target, below 0 when worse than the baseline, above 1 past the target. When
    /// baseline equals target: 1 if `latest` is at least as good (per `direction`), else
    /// 0. `None` without an actual.
    pub progress: Option<f64>,
}

/// Where a milestone stands on `as_of`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneStatus {
    /// Done on or before its due date.
    Done,
    /// Done after its due date.
    DoneLate,
    /// Not done, due before `as_of`.
    Late,
    /// Not done, due on or after `as_of`.
    Upcoming,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MilestoneState {
    pub name: String,
    pub due: Date,
    pub done: Option<Date>,
    pub status: MilestoneStatus,
}

/// Everything the pages show about one initiative.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InitiativeMetrics {
    pub id: String,
    /// The class of the initiative's stage.
    pub stage_class: Option<StageClass>,
    pub business_case: BusinessCase,
    pub to_date: ToDate,
    /// Plan and actuals per period, over the union of plan and actual periods.
    pub realisation: Vec<RealisationRow>,
    /// One entry per portfolio model, in the configured order.
    pub scores: Vec<ModelScore>,
    /// Sum of the weights of the objectives served / sum of all objective weights (0..=1).
    pub strategic_alignment: Computed<f64>,
    pub risk: RiskExposure,
    pub kpis: Vec<KpiProgress>,
    pub milestones: Vec<MilestoneState>,
    /// What continuing is worth from `as_of` on, for committed and live work (`None` for
    /// proposed and closed initiatives): see [`Remaining`].
    pub remaining: Option<Remaining>,
    /// Work in flight against its plan to date, rated by the one rule of
    /// [`variance`](crate::variance) (`None` for proposed and closed work).
    pub plan_variance: Option<crate::variance::PlanVariance>,
}

/// The value of what remains of a plan: its flows after `as_of` (the part of the
/// current period still to come pro-rated by days, as the figures to date are),
/// discounted to `as_of` at the portfolio rate under its convention. Costs already spent
/// are sunk and do not count: this is the figure for a continue-or-stop decision, beside
/// the lifetime NPV, which discounts every flow to the base date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Remaining {
    pub as_of: Date,
    /// Planned cost and benefit still to come, undiscounted.
    pub cost: f64,
    pub benefit: f64,
    /// Their net present value at `as_of`.
    pub npv: Computed<f64>,
}

/// A slice of the portfolio (one stage, value stream, objective, ...).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breakdown {
    /// The id (stage, value stream, objective) or the kebab-case name (stage class,
    /// kind).
    pub key: String,
    pub count: usize,
    /// Planned cost (for objectives: each initiative's cost split equally across the
    /// objectives it serves).
    pub investment: f64,
    /// Planned benefit (split like `investment`).
    pub planned_benefit: f64,
}

/// One risk, located.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskRef {
    /// Index into `portfolio.initiatives`.
    pub initiative: usize,
    pub initiative_id: String,
    /// Index into the initiative's `risks`.
    pub risk: usize,
    pub exposure: f64,
}

/// Budget against planned cost for one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BudgetRow {
    pub period: Period,
    pub label: String,
    pub budget: f64,
    /// Planned cost of initiatives in committed or operating stages.
    pub committed_cost: f64,
    /// Planned cost of initiatives in proposed stages.
    pub proposed_cost: f64,
    /// `budget - committed_cost`.
    pub headroom: f64,
}

/// Portfolio roll-ups.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioTotals {
    pub initiatives: usize,
    /// Sum of planned costs.
    pub investment: f64,
    /// Sum of planned benefits.
    pub planned_benefit: f64,
    /// Sums over initiatives; unavailable if any initiative's is.
    pub pv_cost: Computed<f64>,
    pub pv_benefit: Computed<f64>,
    pub npv: Computed<f64>,
    /// `(planned_benefit - investment) / investment`.
    pub roi: Computed<f64>,
    pub planned_cost_to_date: f64,
    pub planned_benefit_to_date: f64,
    pub actual_cost_to_date: f64,
    pub actual_benefit_to_date: f64,
    /// `actual_benefit_to_date / planned_benefit_to_date`; `None` when nothing was planned.
    pub benefits_realised: Option<f64>,
    /// Per configured stage, in lifecycle order.
    pub by_stage: Vec<Breakdown>,
    /// Per stage class (proposed, committed, operating, closed), each listed.
    pub by_stage_class: Vec<Breakdown>,
    /// Per configured value stream.
    pub by_value_stream: Vec<Breakdown>,
    /// Per configured objective: an initiative's investment and benefit are split
    /// equally across the objectives it serves, so the column sums to the investment of
    /// aligned initiatives; `count` counts every initiative serving the objective.
    pub by_objective: Vec<Breakdown>,
    /// Planned cost of initiatives serving no objective.
    pub unaligned_investment: f64,
    /// Per kind (project, product, programme), each listed.
    pub by_kind: Vec<Breakdown>,
    /// Every open or mitigating risk, in the order of [`crate::risk::order`] (score,
    /// then exposure, highest first), then initiative id, then risk index. Pages show
    /// the first few.
    pub top_risks: Vec<RiskRef>,
    /// Per budget period, when a budget is set.
    pub budget: Option<Vec<BudgetRow>>,
}

/// The ranking of the portfolio under one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelRanking {
    pub model_id: String,
    /// Indices into `portfolio.initiatives`, best first (ties by id).
    pub ranked: Vec<usize>,
    /// Initiatives the model could not score, by id.
    pub unscored: Vec<usize>,
}

/// The analysis of a whole portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioAnalysis {
    /// Same order as `portfolio.initiatives`.
    pub initiatives: Vec<InitiativeMetrics>,
    pub totals: PortfolioTotals,
    /// One per portfolio model, in the configured order.
    pub rankings: Vec<ModelRanking>,
}

/// Computes every metric of the portfolio. Never panics; a metric that cannot be
/// computed is [`Computed::Unavailable`].
pub fn analyse(portfolio: &Portfolio) -> PortfolioAnalysis {
    let n = portfolio.initiatives.len();
    // Only open initiatives are ranked: closed work competes for nothing.
    let open: Vec<usize> = (0..n)
        .filter(|&k| {
            portfolio
                .stage(&portfolio.initiatives[k].stage)
                .is_none_or(|s| s.class != StageClass::Closed)
        })
        .collect();
    let open_initiatives: Vec<&Initiative> =
        open.iter().map(|&k| &portfolio.initiatives[k]).collect();
    let rankings: Vec<(scoring::Ranking, Vec<Slot>)> = portfolio
        .models
        .iter()
        .map(|m| {
            let mut r = scoring::rank(m, &open_initiatives, &portfolio.criteria);
            // Indices into the whole portfolio again.
            for x in &mut r.ranked {
                x.index = open[x.index];
            }
            for x in &mut r.unscored {
                x.index = open[x.index];
            }
            // Where each initiative sits in the ranking, for a linear-time lookup.
            let mut slots = vec![Slot::Closed; n];
            for (k, x) in r.ranked.iter().enumerate() {
                slots[x.index] = Slot::Ranked(k);
            }
            for (k, x) in r.unscored.iter().enumerate() {
                slots[x.index] = Slot::Unscored(k);
            }
            (r, slots)
        })
        .collect();
    let initiatives: Vec<InitiativeMetrics> = portfolio
        .initiatives
        .iter()
        .enumerate()
        .map(|(k, i)| initiative_metrics(portfolio, k, i, &rankings))
        .collect();
    let totals = totals(portfolio, &initiatives);
    let rankings = rankings
        .into_iter()
        .map(|(r, _)| ModelRanking {
            model_id: r.model_id,
            ranked: r.ranked.iter().map(|x| x.index).collect(),
            unscored: r.unscored.iter().map(|x| x.index).collect(),
        })
        .collect();
    PortfolioAnalysis {
        initiatives,
        totals,
        rankings,
    }
}

fn initiative_metrics(
    p: &Portfolio,
    index: usize,
    i: &Initiative,
    rankings: &[(scoring::Ranking, Vec<Slot>)],
) -> InitiativeMetrics {
    let scores = rankings
        .iter()
        .map(|(r, slots)| {
            let (score, rank) = match slots.get(index) {
                Some(Slot::Ranked(k)) => (
                    Computed::Ok {
                        value: r.ranked[*k].score.clone(),
                    },
                    Some(r.ranked[*k].rank),
                ),
                Some(Slot::Unscored(k)) => (
                    Computed::Unavailable {
                        reason: r.unscored[*k].reason.to_string(),
                    },
                    None,
                ),
                None | Some(Slot::Closed) => (
                    Computed::Unavailable {
                        reason: "closed: not ranked".to_owned(),
                    },
                    None,
                ),
            };
            ModelScore {
                model_id: r.model_id.clone(),
                score,
                rank,
                of: r.ranked.len(),
            }
        })
        .collect();
    let mut m = InitiativeMetrics {
        id: i.id.clone(),
        stage_class: p.stage(&i.stage).map(|s| s.class),
        business_case: business_case(p, &i.plan),
        to_date: to_date(p, i),
        realisation: realisation(p, i),
        scores,
        strategic_alignment: alignment(p, i),
        risk: risk_exposure(i),
        kpis: i
            .kpis
            .iter()
            .map(|k| kpi_progress(k, p.settings.as_of))
            .collect(),
        milestones: milestones(i, p.settings.as_of),
        remaining: match p.stage(&i.stage).map(|s| s.class) {
            Some(StageClass::Committed | StageClass::Operating) => Some(remaining(p, &i.plan)),
            _ => None,
        },
        plan_variance: None,
    };
    m.plan_variance = crate::variance::assess(&p.settings, i, &m, &crate::variance::TOLERANCES);
    m
}

/// See [`Remaining`]. Positions are in periods from the base period's start: `as_of` is
/// at its period's index plus the elapsed share; what remains of a period spans from
/// `as_of` (or the period's start) to the period's end, and its flow is taken at the
/// convention's point of that span (its end, middle or start).
pub fn remaining(p: &Portfolio, plan: &CashPlan) -> Remaining {
    let s = &p.settings;
    let cal = &s.calendar;
    let now = cal.period_of(s.as_of);
    let pos_now = f64::from(now.0 - s.base_period.0) + elapsed_share(cal, now, s.as_of);
    let offset = s.discounting.offset();
    let (mut cost, mut benefit, mut npv) = (0.0, 0.0, Ok(0.0));
    for (k, period) in plan.periods().enumerate() {
        let share = 1.0 - elapsed_share(cal, period, s.as_of);
        if share <= 0.0 {
            continue;
        }
        let c = plan.cost[k] * share;
        let b = plan.benefit.get(k).copied().unwrap_or(0.0) * share;
        cost += c;
        benefit += b;
        let end = f64::from(period.0 - s.base_period.0) + 1.0;
        let start = (end - 1.0).max(pos_now);
        let t_years = (start + offset * (end - start) - pos_now) * cal.period_years();
        npv = npv.and_then(|acc: f64| {
            finance::discount_factor(s.discount_rate, t_years).map(|d| acc + (b - c) * d)
        });
    }
    Remaining {
        as_of: s.as_of,
        cost,
        benefit,
        npv: Computed::from_result(npv),
    }
}

/// Where an initiative sits in a model's ranking.
#[derive(Clone, Copy)]
enum Slot {
    Ranked(usize),
    Unscored(usize),
    /// A closed initiative: not ranked.
    Closed,
}

/// Sums `Some` values; `None` if any is `None`.
fn sum_opt(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.sum()
}

fn finite_or(x: f64, what: &'static str) -> Result<f64, FinanceError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(FinanceError::NonFinite { what })
    }
}

/// The business case of a plan under the portfolio's settings.
pub fn business_case(p: &Portfolio, plan: &CashPlan) -> BusinessCase {
    let s = &p.settings;
    let rate = s.discount_rate;
    let period_years = s.calendar.period_years();
    let ppy = s.calendar.periods_per_year();
    let offset = s.discounting.offset();
    let rate_error = finance::discount_factor(rate, 0.0).err();

    let mut rows = Vec::with_capacity(plan.cost.len());
    let (mut cum, mut cum_pv) = (0.0, Some(0.0));
    for (k, period) in plan.periods().enumerate() {
        let cost = plan.cost[k];
        let benefit = plan.benefit.get(k).copied().unwrap_or(0.0);
        let net = benefit - cost;
        let t_years = (f64::from(period.0 - s.base_period.0) + offset) * period_years;
        let df = finance::discount_factor(rate, t_years).ok();
        let pv_net = df.map(|d| net * d).filter(|v| v.is_finite());
        cum += net;
        cum_pv = cum_pv
            .zip(pv_net)
            .map(|(a, b)| a + b)
            .filter(|v| v.is_finite());
        rows.push(CashFlowRow {
            period,
            label: s.calendar.label(period),
            cost,
            benefit,
            net,
            t_years,
            discount_factor: df,
            pv_net,
            cumulative_net: cum,
            cumulative_pv: cum_pv,
        });
    }
    let total_cost: f64 = rows.iter().map(|r| r.cost).sum();
    let total_benefit: f64 = rows.iter().map(|r| r.benefit).sum();
    let pv = |f: &dyn Fn(&CashFlowRow) -> f64, what: &'static str| -> Computed<f64> {
        let r = match &rate_error {
            Some(e) => Err(e.clone()),
            None => sum_opt(rows.iter().map(|r| r.discount_factor.map(|d| f(r) * d)))
                .ok_or(FinanceError::NonFinite {
                    what: "discount factor",
                })
                .and_then(|v| finite_or(v, what)),
        };
        Computed::from_result(r)
    };
    let pv_cost = pv(&|r| r.cost, "present value of costs");
    let pv_benefit = pv(&|r| r.benefit, "present value of benefits");
    let npv = pv(&|r| r.net, "net present value");
    let nets: Vec<f64> = rows.iter().map(|r| r.net).collect();

    let irr = Computed::from_result(
        finance::irr(&nets).map(|o| o.map_roots(|r| finance::annualise(r, ppy))),
    );
    let mirr = Computed::from_result(
        finance::deannualise(rate, ppy)
            .and_then(|rp| finance::mirr(&nets, rp, rp).and_then(|m| finance::annualise(m, ppy))),
    );
    let bcr = match (pv_benefit.value(), pv_cost.value()) {
        (Some(b), Some(c)) => Computed::from_result(finance::benefit_cost_ratio(*b, *c)),
        _ => Computed::Unavailable {
            reason: "the present values could not be computed".to_owned(),
        },
    };
    let payback = finance::payback(&nets, 1.0);
    let first_payback = finance::first_payback(&nets, 1.0);
    let pv_nets: Option<Vec<f64>> = rows.iter().map(|r| r.pv_net).collect();
    let pv_nets = match (&rate_error, pv_nets) {
        (Some(e), _) => Err(e.clone()),
        (None, Some(v)) => Ok(v),
        (None, None) => Err(FinanceError::NonFinite {
            what: "discount factor",
        }),
    };
    let discounted = pv_nets
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|v| finance::payback(v, 1.0));
    let first_discounted = pv_nets.and_then(|v| finance::first_payback(&v, 1.0));
    let in_years = |pb: &Result<Payback, FinanceError>| {
        Computed::from_result(pb.clone().map(|pb| pb.scaled(period_years)))
    };
    BusinessCase {
        total_cost,
        total_benefit,
        total_net: total_benefit - total_cost,
        pv_cost,
        pv_benefit,
        npv,
        irr,
        inflow_first: finance::inflow_first(&nets),
        mirr,
        roi: Computed::from_result(finance::roi(total_benefit, total_cost)),
        bcr,
        payback_years: in_years(&payback),
        payback_periods: Computed::from_result(payback),
        discounted_payback_years: in_years(&discounted),
        discounted_payback_periods: Computed::from_result(discounted),
        first_payback_years: in_years(&first_payback),
        first_payback_periods: Computed::from_result(first_payback),
        first_discounted_payback_years: in_years(&first_discounted),
        first_discounted_payback_periods: Computed::from_result(first_discounted),
        rows,
    }
}

/// The share of period `per` that has elapsed by `as_of`: 1 before the current period,
/// the elapsed fraction of days (as_of included) within it, 0 after it.
pub fn elapsed_share(cal: &crate::calendar::Calendar, per: Period, as_of: Date) -> f64 {
    let now = cal.period_of(as_of);
    if per < now {
        1.0
    } else if per > now {
        0.0
    } else {
        let start = cal.start_date(per);
        let days = start.days_until(cal.end_date(per)) + 1;
        let elapsed = start.days_until(as_of) + 1;
        (elapsed as f64 / days.max(1) as f64).clamp(0.0, 1.0)
    }
}

/// Figures to date. The plan of the current period is pro-rated by elapsed days, so a
/// half-way period compares half its plan with its actuals to date.
fn to_date(p: &Portfolio, i: &Initiative) -> ToDate {
    let as_of = p.settings.as_of;
    let cal = p.settings.calendar;
    let now = cal.period_of(as_of);
    let shares: Vec<f64> = i
        .plan
        .periods()
        .map(|per| elapsed_share(&cal, per, as_of))
        .collect();
    let sum_plan = |values: &[f64], elapsed: bool| -> f64 {
        values
            .iter()
            .zip(&shares)
            .map(|(v, w)| v * if elapsed { *w } else { 1.0 - *w })
            .sum()
    };
    let sum_actual = |pick: fn(&CashPlan) -> &Vec<f64>| -> f64 {
        i.actuals.as_ref().map_or(0.0, |a| {
            a.periods()
                .zip(pick(a))
                .filter(|(per, _)| *per <= now)
                .map(|(_, v)| v)
                .sum()
        })
    };
    let planned_cost = sum_plan(&i.plan.cost, true);
    let planned_benefit = sum_plan(&i.plan.benefit, true);
    let actual_cost = sum_actual(|a| &a.cost);
    let actual_benefit = sum_actual(|a| &a.benefit);
    ToDate {
        as_of,
        period: now,
        period_label: cal.label(now),
        planned_cost,
        planned_benefit,
        actual_cost,
        actual_benefit,
        benefits_realised: ratio(actual_benefit, planned_benefit),
        cost_variance: actual_cost - planned_cost,
        forecast_cost_at_completion: actual_cost + sum_plan(&i.plan.cost, false),
        forecast_benefit_at_completion: actual_benefit + sum_plan(&i.plan.benefit, false),
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    let r = a / b;
    (b != 0.0 && r.is_finite()).then_some(r)
}

fn realisation(p: &Portfolio, i: &Initiative) -> Vec<RealisationRow> {
    let now = p.settings.calendar.period_of(p.settings.as_of);
    let value_at = |plan: &CashPlan, values: &[f64], per: Period| -> Option<f64> {
        usize::try_from(per.0 - plan.start.0)
            .ok()
            .and_then(|k| values.get(k).copied())
    };
    let mut first = i.plan.start;
    let mut end = Period(i.plan.start.0 + i.plan.cost.len() as i32);
    if let Some(a) = &i.actuals
        && (!a.cost.is_empty() || !a.benefit.is_empty())
    {
        first = first.min(a.start);
        end = end.max(Period(a.start.0 + a.cost.len().max(a.benefit.len()) as i32));
    }
    (first.0..end.0)
        .map(Period)
        .map(|per| {
            let actual = |pick: fn(&CashPlan) -> &Vec<f64>| {
                i.actuals
                    .as_ref()
                    .filter(|_| per <= now)
                    .and_then(|a| value_at(a, pick(a), per))
            };
            RealisationRow {
                period: per,
                label: p.settings.calendar.label(per),
                planned_cost: value_at(&i.plan, &i.plan.cost, per).unwrap_or(0.0),
                planned_benefit: value_at(&i.plan, &i.plan.benefit, per).unwrap_or(0.0),
                actual_cost: actual(|a| &a.cost),
                actual_benefit: actual(|a| &a.benefit),
            }
        })
        .collect()
}

fn alignment(p: &Portfolio, i: &Initiative) -> Computed<f64> {
    let total: f64 = p.objectives.iter().map(|o| o.weight).sum();
    let served: f64 = p
        .objectives
        .iter()
        .filter(|o| i.objectives.contains(&o.id))
        .map(|o| o.weight)
        .sum();
    match ratio(served, total) {
        Some(v) => Computed::Ok { value: v },
        None => Computed::Unavailable {
            reason: "the objectives' weights sum to zero".to_owned(),
        },
    }
}

fn is_active(status: RiskStatus) -> bool {
    matches!(status, RiskStatus::Open | RiskStatus::Mitigating)
}

fn exposure(probability: f64, impact: u8) -> f64 {
    probability * f64::from(impact)
}

fn risk_exposure(i: &Initiative) -> RiskExposure {
    let active: Vec<f64> = i
        .risks
        .iter()
        .filter(|r| is_active(r.status))
        .map(|r| exposure(r.probability, r.impact))
        .collect();
    RiskExposure {
        active: active.len(),
        total: active.iter().sum(),
        max: active.iter().copied().fold(0.0, f64::max),
    }
}

fn kpi_progress(k: &Kpi, as_of: Date) -> KpiProgress {
    let latest = k
        .actuals
        .iter()
        .filter(|a| a.date <= as_of)
        .max_by_key(|a| a.date)
        .copied();
    let progress = latest.map(|l| {
        let span = k.target - k.baseline;
        match ratio(l.value - k.baseline, span) {
            Some(f) => f,
            None => {
                let good = match k.direction {
                    Direction::HigherIsBetter => l.value >= k.target,
                    Direction::LowerIsBetter => l.value <= k.target,
                };
                if good { 1.0 } else { 0.0 }
            }
        }
    });
    KpiProgress {
        name: k.name.clone(),
        unit: k.unit.clone(),
        direction: k.direction,
        baseline: k.baseline,
        target: k.target,
        latest,
        progress,
    }
}

fn milestones(i: &Initiative, as_of: Date) -> Vec<MilestoneState> {
    i.milestones
        .iter()
        .map(|m| MilestoneState {
            name: m.name.clone(),
            due: m.due,
            done: m.done,
            status: match m.done {
                Some(d) if d <= m.due => MilestoneStatus::Done,
                Some(_) => MilestoneStatus::DoneLate,
                None if m.due < as_of => MilestoneStatus::Late,
                None => MilestoneStatus::Upcoming,
            },
        })
        .collect()
}

fn stage_class_key(c: StageClass) -> &'static str {
    match c {
        StageClass::Proposed => "proposed",
        StageClass::Committed => "committed",
        StageClass::Operating => "operating",
        StageClass::Closed => "closed",
    }
}

fn kind_key(k: Kind) -> &'static str {
    match k {
        Kind::Project => "project",
        Kind::Product => "product",
        Kind::Programme => "programme",
    }
}

/// Accumulates breakdown rows in a fixed key order.
struct Tally {
    rows: Vec<Breakdown>,
    index: BTreeMap<String, usize>,
}

impl Tally {
    fn new<'a>(keys: impl Iterator<Item = &'a str>) -> Tally {
        let mut rows = Vec::new();
        let mut index = BTreeMap::new();
        for k in keys {
            if !index.contains_key(k) {
                index.insert(k.to_owned(), rows.len());
                rows.push(Breakdown {
                    key: k.to_owned(),
                    count: 0,
                    investment: 0.0,
                    planned_benefit: 0.0,
                });
            }
        }
        Tally { rows, index }
    }

    fn add(&mut self, key: &str, investment: f64, benefit: f64) {
        if let Some(&k) = self.index.get(key) {
            let row = &mut self.rows[k];
            row.count += 1;
            row.investment += investment;
            row.planned_benefit += benefit;
        }
    }
}

fn sum_computed(
    p: &Portfolio,
    metrics: &[InitiativeMetrics],
    pick: fn(&BusinessCase) -> &Computed<f64>,
) -> Computed<f64> {
    let mut total = 0.0;
    for (i, m) in p.initiatives.iter().zip(metrics) {
        match pick(&m.business_case) {
            Computed::Ok { value } => total += value,
            Computed::Unavailable { reason } => {
                return Computed::Unavailable {
                    reason: format!("{}: {reason}", i.id),
                };
            }
        }
    }
    Computed::from_result(finite_or(total, "portfolio total"))
}

fn totals(p: &Portfolio, metrics: &[InitiativeMetrics]) -> PortfolioTotals {
    const CLASSES: [StageClass; 4] = [
        StageClass::Proposed,
        StageClass::Committed,
        StageClass::Operating,
        StageClass::Closed,
    ];
    let mut by_stage = Tally::new(p.stages.iter().map(|s| s.id.as_str()));
    let mut by_class = Tally::new(CLASSES.iter().map(|&c| stage_class_key(c)));
    let mut by_stream = Tally::new(p.value_streams.iter().map(|s| s.id.as_str()));
    let mut by_objective = Tally::new(p.objectives.iter().map(|o| o.id.as_str()));
    let mut by_kind = Tally::new(
        [Kind::Project, Kind::Product, Kind::Programme]
            .iter()
            .map(|&k| kind_key(k)),
    );
    let mut unaligned_investment = 0.0;
    let mut top_risks = Vec::new();
    let (mut investment, mut planned_benefit) = (0.0, 0.0);
    let (mut pc, mut pb, mut ac, mut ab) = (0.0, 0.0, 0.0, 0.0);

    for (k, (i, m)) in p.initiatives.iter().zip(metrics).enumerate() {
        let (cost, benefit) = (m.business_case.total_cost, m.business_case.total_benefit);
        investment += cost;
        planned_benefit += benefit;
        pc += m.to_date.planned_cost;
        pb += m.to_date.planned_benefit;
        ac += m.to_date.actual_cost;
        ab += m.to_date.actual_benefit;
        by_stage.add(&i.stage, cost, benefit);
        if let Some(c) = m.stage_class {
            by_class.add(stage_class_key(c), cost, benefit);
        }
        by_stream.add(&i.value_stream, cost, benefit);
        by_kind.add(kind_key(i.kind), cost, benefit);
        let mut objectives: Vec<&String> = i.objectives.iter().collect();
        objectives.sort();
        objectives.dedup();
        if objectives.is_empty() {
            unaligned_investment += cost;
        } else {
            let n = objectives.len() as f64;
            for o in objectives {
                by_objective.add(o, cost / n, benefit / n);
            }
        }
        for (r, risk) in i.risks.iter().enumerate() {
            if is_active(risk.status) {
                top_risks.push(RiskRef {
                    initiative: k,
                    initiative_id: i.id.clone(),
                    risk: r,
                    exposure: exposure(risk.probability, risk.impact),
                });
            }
        }
    }
    top_risks.sort_by(|a, b| {
        let rating = |r: &RiskRef| {
            let risk = &p.initiatives[r.initiative].risks[r.risk];
            crate::risk::rate(risk.probability, risk.impact)
        };
        crate::risk::order(&rating(a), &rating(b))
            .then_with(|| a.initiative_id.cmp(&b.initiative_id))
            .then(a.risk.cmp(&b.risk))
    });

    let budget = p.settings.budget.as_ref().map(|series| {
        (series.start.0..series.end().0)
            .map(Period)
            .map(|per| {
                let (mut committed, mut proposed) = (0.0, 0.0);
                for (i, m) in p.initiatives.iter().zip(metrics) {
                    let cost = plan_cost(&i.plan, per);
                    match m.stage_class {
                        Some(StageClass::Committed | StageClass::Operating) => committed += cost,
                        Some(StageClass::Proposed) => proposed += cost,
                        _ => {}
                    }
                }
                let budget = series.get(per);
                BudgetRow {
                    period: per,
                    label: p.settings.calendar.label(per),
                    budget,
                    committed_cost: committed,
                    proposed_cost: proposed,
                    headroom: budget - committed,
                }
            })
            .collect()
    });

    PortfolioTotals {
        initiatives: p.initiatives.len(),
        investment,
        planned_benefit,
        pv_cost: sum_computed(p, metrics, |b| &b.pv_cost),
        pv_benefit: sum_computed(p, metrics, |b| &b.pv_benefit),
        npv: sum_computed(p, metrics, |b| &b.npv),
        roi: Computed::from_result(finance::roi(planned_benefit, investment)),
        planned_cost_to_date: pc,
        planned_benefit_to_date: pb,
        actual_cost_to_date: ac,
        actual_benefit_to_date: ab,
        benefits_realised: ratio(ab, pb),
        by_stage: by_stage.rows,
        by_stage_class: by_class.rows,
        by_value_stream: by_stream.rows,
        by_objective: by_objective.rows,
        unaligned_investment,
        by_kind: by_kind.rows,
        top_risks,
        budget,
    }
}

/// The planned cost of a plan in one period (0 outside it).
fn plan_cost(plan: &CashPlan, per: Period) -> f64 {
    usize::try_from(per.0 - plan.start.0)
        .ok()
        .and_then(|k| plan.cost.get(k).copied())
        .unwrap_or(0.0)
}
