//! Variance against plan: how far an initiative in flight (committed or operating) is
//! from its plan to date on cost, benefits and dates, rated red, amber or green by one
//! stated rule ([`Tolerances`]), and which of its figures are stale.
//!
//! # The rule
//!
//! - **Cost**: spending to date above the plan to date (the current period pro-rated by
//!   days, as [`ToDate`] is), as a share of that plan. Red above
//!   [`Tolerances::cost_red`], amber above [`Tolerances::cost_amber`]. Spending with no
//!   plan to date is red. Underspending is shown but not rated: it can mean savings or
//!   a slip, which the dates tell.
//! - **Benefits**: benefits realised to date as a share of those planned to date. Red
//!   below [`Tolerances::benefit_red`], amber below [`Tolerances::benefit_amber`]. Not
//!   rated before any benefit was planned.
//! - **Dates**: the most overdue milestone (not done, due before `as_of`). Red when it
//!   is more than [`Tolerances::late_red_days`] days overdue, amber when it is overdue
//!   at all. A committed initiative past its end date counts as overdue from that date.
//! - **Overall**: the worst of the three.
//! - **Stale**: the last closed period (the one before `as_of`'s, or the plan's last
//!   period if it ended earlier) has no actuals although the plan had started by then; a KPI's latest reading is more than
//!   [`Tolerances::kpi_stale_days`] days old. Stale figures make the rating itself
//!   doubtful, so pages show them beside it.

use crate::analysis::{InitiativeMetrics, MilestoneStatus, ToDate};
use crate::model::{Initiative, Settings, StageClass};
use crate::{Date, Period};
use serde::Serialize;

/// Red, amber or green.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    /// The word pages show: `green`, `amber`, `red`.
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// The thresholds of the rule (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tolerances {
    /// Spending above plan to date, as a share of the plan, above which cost is amber.
    pub cost_amber: f64,
    /// ... and red.
    pub cost_red: f64,
    /// Benefits realised to date, as a share of plan, below which benefits are amber.
    pub benefit_amber: f64,
    /// ... and red.
    pub benefit_red: f64,
    /// Days a milestone may be overdue before the dates are red (any overdue one is
    /// amber).
    pub late_red_days: i64,
    /// Age in days from which a KPI's latest reading is stale.
    pub kpi_stale_days: i64,
}

/// The tolerances of every page: cost 5% / 10% over plan, benefits 95% / 80% of plan,
/// a milestone 30 days overdue, a KPI reading older than 120 days.
pub const TOLERANCES: Tolerances = Tolerances {
    cost_amber: 0.05,
    cost_red: 0.10,
    benefit_amber: 0.95,
    benefit_red: 0.80,
    late_red_days: 30,
    kpi_stale_days: 120,
};

/// A figure that is out of date.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Stale {
    /// No actuals for the last closed period; `last` is the latest period with any.
    Actuals {
        expected: Period,
        last: Option<Period>,
    },
    /// A KPI whose latest reading (on or before `as_of`) is older than the tolerance.
    Kpi { name: String, last: Date, days: i64 },
}

/// One initiative against its plan to date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanVariance {
    /// `(actual - planned) / planned` cost to date (`None` when nothing was planned or
    /// spent), and its rating.
    pub cost_over: Option<f64>,
    pub cost: Rag,
    /// Benefits realised to date as a share of plan (`None` before any was planned),
    /// and its rating.
    pub benefits_realised: Option<f64>,
    pub benefits: Rag,
    /// The most overdue milestone (or the end date) and by how many days, with its
    /// rating.
    pub most_overdue: Option<(String, i64)>,
    pub dates: Rag,
    /// The worst of the three.
    pub overall: Rag,
    pub stale: Vec<Stale>,
}

/// Whether a stage class is work in flight (committed or operating), the only work
/// rated against its plan.
pub fn in_flight(class: Option<StageClass>) -> bool {
    matches!(class, Some(StageClass::Committed | StageClass::Operating))
}

/// Rates an initiative in flight against its plan to date; `None` for proposed and
/// closed work (or an unknown stage).
pub fn assess(
    settings: &Settings,
    i: &Initiative,
    m: &InitiativeMetrics,
    t: &Tolerances,
) -> Option<PlanVariance> {
    if !in_flight(m.stage_class) {
        return None;
    }
    let as_of = settings.as_of;
    let (cost_over, cost) = rate_cost(&m.to_date, t);
    let (benefits_realised, benefits) = match m.to_date.benefits_realised {
        Some(r) if m.to_date.planned_benefit > 0.0 => (
            Some(r),
            if r < t.benefit_red {
                Rag::Red
            } else if r < t.benefit_amber {
                Rag::Amber
            } else {
                Rag::Green
            },
        ),
        _ => (None, Rag::Green),
    };
    let mut overdue: Vec<(String, i64)> = m
        .milestones
        .iter()
        .filter(|s| s.status == MilestoneStatus::Late)
        .map(|s| (s.name.clone(), s.due.days_until(as_of)))
        .collect();
    if m.stage_class == Some(StageClass::Committed) && i.end < as_of {
        overdue.push(("the planned end".to_string(), i.end.days_until(as_of)));
    }
    // The most overdue; the first listed of equals.
    let most_overdue = overdue
        .into_iter()
        .reduce(|a, b| if b.1 > a.1 { b } else { a });
    let dates = match &most_overdue {
        Some((_, days)) if *days > t.late_red_days => Rag::Red,
        Some(_) => Rag::Amber,
        None => Rag::Green,
    };
    let overall = cost.max(benefits).max(dates);
    Some(PlanVariance {
        cost_over,
        cost,
        benefits_realised,
        benefits,
        most_overdue,
        dates,
        overall,
        stale: stale(settings, i, m, t),
    })
}

fn rate_cost(d: &ToDate, t: &Tolerances) -> (Option<f64>, Rag) {
    if d.planned_cost > 0.0 {
        let over = d.cost_variance / d.planned_cost;
        let rag = if over > t.cost_red {
            Rag::Red
        } else if over > t.cost_amber {
            Rag::Amber
        } else {
            Rag::Green
        };
        (over.is_finite().then_some(over), rag)
    } else if d.actual_cost > 0.0 {
        // Spending with nothing planned to date.
        (None, Rag::Red)
    } else {
        (None, Rag::Green)
    }
}

fn stale(settings: &Settings, i: &Initiative, m: &InitiativeMetrics, t: &Tolerances) -> Vec<Stale> {
    let mut out = Vec::new();
    let cal = settings.calendar;
    // The last closed period, or the plan's last period when it ended before.
    let plan_len = i.plan.cost.len().max(i.plan.benefit.len());
    let plan_end = Period(i.plan.start.0 + plan_len as i32 - 1);
    let expected = Period(cal.period_of(settings.as_of).0 - 1).min(plan_end);
    if plan_len > 0 && i.plan.start <= expected {
        let last = i.actuals.as_ref().and_then(|a| {
            let n = a.cost.len().max(a.benefit.len());
            (n > 0).then(|| Period(a.start.0 + n as i32 - 1))
        });
        if last.is_none_or(|l| l < expected) {
            out.push(Stale::Actuals { expected, last });
        }
    }
    for k in &m.kpis {
        if let Some(latest) = &k.latest {
            let days = latest.date.days_until(settings.as_of);
            if days > t.kpi_stale_days {
                out.push(Stale::Kpi {
                    name: k.name.clone(),
                    last: latest.date,
                    days,
                });
            }
        }
    }
    out
}
