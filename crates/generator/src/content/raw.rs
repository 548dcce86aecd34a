//! The files as written: serde structs mirroring `docs/content-format.md`, strict
//! (`deny_unknown_fields`) and with spans on every value that is checked later.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;
use toml::value::Datetime;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPortfolio {
    pub title: S<String>,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub base_url: Option<S<String>>,
    /// Keep raw HTML in Markdown as written instead of sanitising it. Only for sites
    /// whose every author is trusted.
    #[serde(default)]
    pub trusted_html: bool,
    pub currency: S<String>,
    pub as_of: S<Datetime>,
    #[serde(default)]
    pub calendar: RawCalendar,
    pub finance: RawFinance,
    pub budget: Option<RawBudget>,
    #[serde(default)]
    pub objectives: Vec<RawObjective>,
    #[serde(default)]
    pub value_streams: Vec<RawNamed>,
    #[serde(default)]
    pub stages: Vec<RawStage>,
    #[serde(default)]
    pub criteria: Vec<RawCriterion>,
    #[serde(default)]
    pub models: Vec<RawModel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    #[serde(default = "default_cadence")]
    pub cadence: vmo_core::Cadence,
    #[serde(default = "default_month")]
    pub fiscal_year_start_month: S<i64>,
}

impl Default for RawCalendar {
    fn default() -> Self {
        RawCalendar {
            cadence: default_cadence(),
            fiscal_year_start_month: default_month(),
        }
    }
}

fn default_cadence() -> vmo_core::Cadence {
    vmo_core::Cadence::Year
}
fn default_month() -> S<i64> {
    Spanned::new(0..0, 1)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFinance {
    pub discount_rate: S<f64>,
    #[serde(default = "default_discounting")]
    pub discounting: vmo_core::Discounting,
    pub base_period: S<String>,
}

fn default_discounting() -> vmo_core::Discounting {
    vmo_core::Discounting::EndOfPeriod
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    pub start: S<String>,
    pub amounts: S<Vec<S<f64>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObjective {
    pub id: S<String>,
    pub name: String,
    pub weight: S<f64>,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNamed {
    pub id: S<String>,
    pub name: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub id: S<String>,
    pub name: String,
    pub class: vmo_core::StageClass,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    pub id: S<String>,
    pub name: String,
    pub min: S<f64>,
    pub max: S<f64>,
    #[serde(default = "default_direction")]
    pub direction: vmo_core::Direction,
    #[serde(default)]
    pub description: String,
}

fn default_direction() -> vmo_core::Direction {
    vmo_core::Direction::HigherIsBetter
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RawMethod {
    Wsjf,
    Rice,
    Weighted,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub id: S<String>,
    pub name: String,
    pub kind: S<RawMethod>,
    #[serde(default)]
    pub description: String,
    /// Criterion id -> weight, for `weighted` models. Order is the file's order.
    pub weights: Option<S<toml::Table>>,
}

/// An initiative's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitiative {
    pub title: S<String>,
    #[serde(default)]
    pub summary: String,
    pub kind: vmo_core::Kind,
    pub stage: S<String>,
    pub value_stream: S<String>,
    pub objectives: S<Vec<S<String>>>,
    pub owner: S<String>,
    pub sponsor: S<String>,
    pub start: S<Datetime>,
    pub end: S<Datetime>,
    #[serde(default = "default_health")]
    pub health: vmo_core::Health,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub depends_on: Vec<S<String>>,
    pub plan: S<RawCashPlan>,
    pub actuals: Option<S<RawCashPlan>>,
    #[serde(default)]
    pub uncertainty: RawUncertainty,
    pub wsjf: Option<S<RawWsjf>>,
    pub rice: Option<S<RawRice>>,
    #[serde(default)]
    pub criteria: BTreeMap<S<String>, S<f64>>,
    #[serde(default)]
    pub kpis: Vec<RawKpi>,
    #[serde(default)]
    pub risks: Vec<RawRisk>,
    #[serde(default)]
    pub milestones: Vec<RawMilestone>,
    /// When the figures (plan, actuals, scores) are next due for review: past the
    /// reporting date, the build warns that they are stale.
    pub next_review: Option<S<Datetime>>,
}

fn default_health() -> vmo_core::Health {
    vmo_core::Health::Green
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCashPlan {
    pub start: S<String>,
    pub cost: S<Vec<S<f64>>>,
    pub benefit: S<Vec<S<f64>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUncertainty {
    #[serde(default = "default_distribution")]
    pub distribution: vmo_core::Distribution,
    pub cost: Option<S<RawRange>>,
    pub benefit: Option<S<RawRange>>,
    pub delay: Option<S<RawRange>>,
}

impl Default for RawUncertainty {
    fn default() -> Self {
        RawUncertainty {
            distribution: default_distribution(),
            cost: None,
            benefit: None,
            delay: None,
        }
    }
}

fn default_distribution() -> vmo_core::Distribution {
    vmo_core::Distribution::Pert
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    pub low: f64,
    pub likely: f64,
    pub high: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWsjf {
    pub business_value: S<f64>,
    pub time_criticality: S<f64>,
    pub risk_reduction: S<f64>,
    pub job_size: S<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRice {
    pub reach: S<f64>,
    pub impact: S<f64>,
    pub confidence: S<f64>,
    pub effort: S<f64>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RawKpiDirection {
    Increase,
    Decrease,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKpi {
    pub name: S<String>,
    #[serde(default)]
    pub unit: String,
    #[serde(default = "default_kpi_direction")]
    pub direction: RawKpiDirection,
    pub baseline: S<f64>,
    pub target: S<f64>,
    pub target_date: Option<S<Datetime>>,
    #[serde(default)]
    pub actuals: Vec<S<RawDatedValue>>,
}

fn default_kpi_direction() -> RawKpiDirection {
    RawKpiDirection::Increase
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatedValue {
    pub date: S<Datetime>,
    pub value: S<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRisk {
    pub title: S<String>,
    pub probability: S<f64>,
    pub impact: S<i64>,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub mitigation: String,
    #[serde(default = "default_risk_status")]
    pub status: vmo_core::RiskStatus,
}

fn default_risk_status() -> vmo_core::RiskStatus {
    vmo_core::RiskStatus::Open
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    pub name: S<String>,
    pub due: S<Datetime>,
    pub done: Option<S<Datetime>>,
}

/// A report's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub title: S<String>,
    pub date: Option<S<Datetime>>,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub summary: String,
}

/// The body of a ```` ```vmo ```` block in a report or narrative.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEmbed {
    pub chart: Option<S<String>>,
    pub table: Option<S<String>>,
    pub initiative: Option<S<String>>,
    pub model: Option<S<String>>,
    pub stage: Option<S<String>>,
    pub value_stream: Option<S<String>>,
    pub objective: Option<S<String>>,
    pub limit: Option<S<i64>>,
}

/// `content/flow/<value-stream>.toml`: the work items of one value stream.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlowFile {
    #[serde(default)]
    pub items: Vec<RawWorkItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkItem {
    pub id: S<String>,
    pub kind: vmo_core::flow::FlowKind,
    #[serde(default)]
    pub title: String,
    pub transitions: S<Vec<S<RawTransition>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransition {
    pub date: S<Datetime>,
    pub state: vmo_core::flow::FlowState,
}
