//! The resolved portfolio: what the generator hands over once every file has parsed and
//! every reference (objective, value stream, stage, criterion, dependency) is known to
//! exist. Ids are kept as strings; they are guaranteed to resolve.

use crate::calendar::{Calendar, Period};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole portfolio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    pub settings: Settings,
    pub objectives: Vec<Objective>,
    pub value_streams: Vec<ValueStream>,
    pub stages: Vec<Stage>,
    pub criteria: Vec<Criterion>,
    pub models: Vec<PriorityModel>,
    /// Sorted by id.
    pub initiatives: Vec<Initiative>,
}

/// Portfolio-wide settings, including every convention that changes a number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub title: String,
    pub description: String,
    pub organisation: String,
    pub base_url: String,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// The reporting date: actuals are "to date" as of this day; milestones before it
    /// without a completion date are late.
    pub as_of: Date,
    pub calendar: Calendar,
    /// Annual effective discount rate (0.08 = 8%).
    pub discount_rate: f64,
    pub discounting: Discounting,
    /// Discounting starts at the first day of this period (the base date).
    pub base_period: Period,
    /// Budget envelope per period, if set.
    pub budget: Option<PeriodSeries>,
}

/// When within a period its cash flow is taken to happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Discounting {
    /// Flows at the end of each period: a flow in the base period is discounted one full
    /// period (the spreadsheet `NPV()` convention).
    EndOfPeriod,
    /// Flows spread evenly, approximated at the middle of each period.
    MidPeriod,
    /// Flows at the start of each period: the base period is not discounted
    /// (numpy-financial's `npv` convention).
    StartOfPeriod,
}

impl Discounting {
    /// Offset, in periods, from a period's start to the moment its flow is counted.
    pub fn offset(self) -> f64 {
        match self {
            Discounting::EndOfPeriod => 1.0,
            Discounting::MidPeriod => 0.5,
            Discounting::StartOfPeriod => 0.0,
        }
    }
}

/// Values for consecutive periods starting at `start`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodSeries {
    pub start: Period,
    pub values: Vec<f64>,
}

impl PeriodSeries {
    /// The value in period `p` (0 outside the series).
    pub fn get(&self, p: Period) -> f64 {
        usize::try_from(p.0 - self.start.0)
            .ok()
            .and_then(|i| self.values.get(i).copied())
            .unwrap_or(0.0)
    }
    /// The period after the last one.
    pub fn end(&self) -> Period {
        Period(self.start.0 + self.values.len() as i32)
    }
    pub fn total(&self) -> f64 {
        self.values.iter().sum()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Relative weight among objectives (any positive scale; shares are weight / sum).
    pub weight: f64,
    pub owner: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueStream {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner: String,
}

/// A lifecycle stage configured by the portfolio, in lifecycle order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub description: String,
    pub class: StageClass,
}

/// What a stage means for the numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StageClass {
    /// Ideas and cases under analysis: not funded, not counted as committed investment.
    Proposed,
    /// Approved and in delivery: funded.
    Committed,
    /// Live and delivering benefits.
    Operating,
    /// Retired or stopped.
    Closed,
}

/// A criterion for weighted scoring.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The scale scores are given on, e.g. 0..=5.
    pub min: f64,
    pub max: f64,
    pub direction: Direction,
}

/// Whether more is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// A prioritisation model in use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriorityModel {
    pub id: String,
    pub name: String,
    pub description: String,
    pub method: Method,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Method {
    /// SAFe Weighted Shortest Job First.
    Wsjf,
    /// Intercom's Reach x Impact x Confidence / Effort.
    Rice,
    /// Weighted sum over named criteria.
    Weighted {
        /// (criterion id, weight), in the configured order.
        weights: Vec<(String, f64)>,
    },
}

/// What sort of investment an initiative is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Project,
    Product,
    Programme,
}

/// Delivery health as reported by the owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    Green,
    Amber,
    Red,
}

/// One initiative (project, product or programme).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    /// The file stem; unique; used in URLs.
    pub id: String,
    pub title: String,
    pub summary: String,
    pub kind: Kind,
    pub stage: String,
    pub value_stream: String,
    pub objectives: Vec<String>,
    pub owner: String,
    pub sponsor: String,
    pub start: Date,
    pub end: Date,
    pub health: Health,
    pub tags: Vec<String>,
    /// The business case: planned costs and benefits per period.
    pub plan: CashPlan,
    /// Actual costs and benefits to date (the arrays may be shorter than the plan).
    pub actuals: Option<CashPlan>,
    pub uncertainty: Uncertainty,
    pub wsjf: Option<WsjfInputs>,
    pub rice: Option<RiceInputs>,
    /// Criterion id -> score on that criterion's scale.
    pub criteria: BTreeMap<String, f64>,
    pub kpis: Vec<Kpi>,
    pub risks: Vec<Risk>,
    pub milestones: Vec<Milestone>,
    /// Ids of initiatives this one needs.
    pub depends_on: Vec<String>,
}

/// Costs and benefits per period, from `start`. Both arrays have the same length.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CashPlan {
    pub start: Period,
    pub cost: Vec<f64>,
    pub benefit: Vec<f64>,
}

impl CashPlan {
    /// Net flow (benefit - cost) per period.
    pub fn net(&self) -> Vec<f64> {
        self.cost
            .iter()
            .zip(&self.benefit)
            .map(|(c, b)| b - c)
            .collect()
    }
    pub fn periods(&self) -> impl Iterator<Item = Period> + '_ {
        (0..self.cost.len()).map(|i| Period(self.start.0 + i as i32))
    }
    pub fn total_cost(&self) -> f64 {
        self.cost.iter().sum()
    }
    pub fn total_benefit(&self) -> f64 {
        self.benefit.iter().sum()
    }
}

/// Low / likely / high estimates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range3 {
    pub low: f64,
    pub likely: f64,
    pub high: f64,
}

/// Uncertainty of the business case. Cost and benefit ranges are multipliers of the
/// plan (1.0 = as planned); delay is in whole periods.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Uncertainty {
    pub cost: Range3,
    pub benefit: Range3,
    pub delay: Range3,
    pub distribution: Distribution,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Distribution {
    Triangular,
    Pert,
}

/// SAFe WSJF inputs, each on the modified Fibonacci scale (1, 2, 3, 5, 8, 13, 20).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WsjfInputs {
    pub business_value: f64,
    pub time_criticality: f64,
    pub risk_reduction: f64,
    pub job_size: f64,
}

/// Intercom RICE inputs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiceInputs {
    /// People or events per quarter.
    pub reach: f64,
    /// 3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal.
    pub impact: f64,
    /// 0..=1 (1.0, 0.8, 0.5 by convention).
    pub confidence: f64,
    /// Person-months.
    pub effort: f64,
}

/// A key performance indicator with its baseline, target and dated actuals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub baseline: f64,
    pub target: f64,
    pub target_date: Option<Date>,
    /// Sorted by date.
    pub actuals: Vec<DatedValue>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatedValue {
    pub date: Date,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    pub title: String,
    /// 0..=1.
    pub probability: f64,
    /// 1 (minor) ..= 5 (severe).
    pub impact: u8,
    pub owner: String,
    pub mitigation: String,
    pub status: RiskStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskStatus {
    Open,
    Mitigating,
    Closed,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub name: String,
    pub due: Date,
    pub done: Option<Date>,
}

impl Portfolio {
    pub fn initiative(&self, id: &str) -> Option<&Initiative> {
        self.initiatives
            .binary_search_by(|i| i.id.as_str().cmp(id))
            .ok()
            .map(|k| &self.initiatives[k])
    }
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }
    pub fn value_stream(&self, id: &str) -> Option<&ValueStream> {
        self.value_streams.iter().find(|s| s.id == id)
    }
    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.objectives.iter().find(|s| s.id == id)
    }
}
