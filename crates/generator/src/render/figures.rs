//! Display-ready figures of one initiative, from its [`InitiativeMetrics`]: every text a
//! page shows for a number (including "n/a" with the reason) is decided here once.

use super::format;
use serde::Serialize;
use vmo_core::analysis::{Computed, MilestoneStatus};
use vmo_core::{Portfolio, PortfolioAnalysis};

#[derive(Clone, Debug, Serialize)]
pub struct CaseRow {
    pub label: String,
    pub cost: f64,
    pub benefit: f64,
    pub net: f64,
    pub cumulative: f64,
    pub factor: Option<f64>,
    pub pv: Option<f64>,
    pub cumulative_pv: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TermView {
    pub label: String,
    pub input: f64,
    pub contribution: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScoreView {
    pub model_id: String,
    pub model_name: String,
    pub value: Option<f64>,
    pub rank: Option<usize>,
    pub of: usize,
    pub formula: String,
    pub terms: Vec<TermView>,
    /// Why there is no score.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MilestoneView {
    pub name: String,
    pub due: String,
    pub done: Option<String>,
    pub status: &'static str,
    pub status_label: &'static str,
}

/// The figures of one initiative.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    pub total_cost: f64,
    pub total_benefit: f64,
    pub npv: f64,
    pub npv_ok: bool,
    pub pv_cost: f64,
    pub pv_benefit: f64,
    /// The IRR when there is exactly one root (annual).
    pub irr: Option<f64>,
    pub irr_short: String,
    pub irr_long: String,
    pub irr_note: String,
    pub mirr_text: Option<String>,
    pub roi: Option<f64>,
    pub roi_text: String,
    pub bcr: Option<f64>,
    pub bcr_text: String,
    /// Payback in periods.
    pub payback: Option<f64>,
    pub payback_text: String,
    pub discounted_payback: Option<f64>,
    pub discounted_payback_text: String,
    pub planned_cost_to_date: f64,
    pub planned_benefit_to_date: f64,
    pub actual_cost: f64,
    pub actual_benefit: f64,
    pub forecast_cost: f64,
    pub forecast_benefit: f64,
    pub realised: Option<f64>,
    pub realised_text: String,
    /// The NPV at `as_of` of what is still to come, for committed and live work.
    pub remaining_npv: Option<f64>,
    /// The rating against plan to date (`red`, `amber`, `green`) of work in flight.
    pub plan_rating: Option<&'static str>,
    /// Its tile's words: the value, or why there is none.
    pub remaining_text: String,
    pub remaining_note: String,
    pub alignment: f64,
    pub exposure: f64,
    pub rows: Vec<CaseRow>,
    pub scores: Vec<ScoreView>,
    pub milestones: Vec<MilestoneView>,
    pub kpi_progress: Vec<Option<f64>>,
}

/// Computes the figures of initiative `k`.
pub fn figures(p: &Portfolio, a: &PortfolioAnalysis, k: usize) -> Figures {
    let m = &a.initiatives[k];
    let c = &m.business_case;
    let cadence = p.settings.calendar.cadence;
    let irr_text = vmo_explain::irr(&c.irr, c.inflow_first);
    let irr = irr_text
        .roots
        .first()
        .copied()
        .filter(|_| irr_text.roots.len() == 1);
    // The tile shows the figure with its note beside it.
    let (irr_short, irr_long, irr_note) = (irr_text.figure, irr_text.long, irr_text.note);
    let ratio = |x: &Computed<f64>| x.value().copied();
    let roi = ratio(&c.roi);
    let bcr = ratio(&c.bcr);
    let simple = vmo_explain::payback(
        (&c.payback_periods, &c.payback_years),
        (&c.first_payback_periods, &c.first_payback_years),
        cadence,
    );
    let discounted = vmo_explain::payback(
        (&c.discounted_payback_periods, &c.discounted_payback_years),
        (
            &c.first_discounted_payback_periods,
            &c.first_discounted_payback_years,
        ),
        cadence,
    );
    let (payback, payback_t) = (simple.periods, simple.text);
    let (dpayback, dpayback_t) = (discounted.periods, discounted.text);
    let td = &m.to_date;
    let scores = m
        .scores
        .iter()
        .map(|s| {
            let name = p
                .models
                .iter()
                .find(|x| x.id == s.model_id)
                .map_or_else(|| s.model_id.clone(), |x| x.name.clone());
            match &s.score {
                Computed::Ok { value } => ScoreView {
                    model_id: s.model_id.clone(),
                    model_name: name,
                    value: Some(value.value),
                    rank: s.rank,
                    of: s.of,
                    formula: value.formula.clone(),
                    terms: value
                        .terms
                        .iter()
                        .map(|t| TermView {
                            label: t.label.clone(),
                            input: t.input,
                            contribution: t.contribution,
                        })
                        .collect(),
                    reason: None,
                },
                Computed::Unavailable { reason } => ScoreView {
                    model_id: s.model_id.clone(),
                    model_name: name,
                    value: None,
                    rank: None,
                    of: s.of,
                    formula: String::new(),
                    terms: Vec::new(),
                    reason: Some(reason.clone()),
                },
            }
        })
        .collect();
    let milestones = m
        .milestones
        .iter()
        .map(|ms| {
            let (status, status_label) = match ms.status {
                MilestoneStatus::Done => ("done", "done"),
                MilestoneStatus::DoneLate => ("done-late", "done late"),
                MilestoneStatus::Late => ("late", "overdue"),
                MilestoneStatus::Upcoming => ("upcoming", "upcoming"),
            };
            MilestoneView {
                name: ms.name.clone(),
                due: ms.due.to_string(),
                done: ms.done.map(|d| d.to_string()),
                status,
                status_label,
            }
        })
        .collect();
    let (remaining_npv, remaining_text, remaining_note) = match &m.remaining {
        Some(r) => match r.npv.value() {
            Some(v) => (
                Some(*v),
                format::money_short(*v, &p.settings.currency),
                format!(
                    "flows after {} at their value then; spent costs are sunk",
                    r.as_of
                ),
            ),
            None => (None, "n/a".into(), "could not be discounted".into()),
        },
        None => (None, String::new(), String::new()),
    };
    Figures {
        remaining_npv,
        plan_rating: m.plan_variance.as_ref().map(|x| x.overall.label()),
        remaining_text,
        remaining_note,
        total_cost: c.total_cost,
        total_benefit: c.total_benefit,
        npv: c.npv.value().copied().unwrap_or(0.0),
        npv_ok: c.npv.value().is_some(),
        pv_cost: c.pv_cost.value().copied().unwrap_or(0.0),
        pv_benefit: c.pv_benefit.value().copied().unwrap_or(0.0),
        irr,
        irr_short,
        irr_long,
        irr_note,
        mirr_text: c.mirr.value().map(|x| {
            format!(
                "{} a year (finance and reinvestment at the discount rate)",
                format::percent(*x, 2)
            )
        }),
        roi,
        roi_text: roi.map_or_else(|| "n/a".into(), |x| format::percent(x, 0)),
        bcr,
        bcr_text: bcr.map_or_else(|| "n/a".into(), |x| format::number(x, 2)),
        payback,
        payback_text: payback_t,
        discounted_payback: dpayback,
        discounted_payback_text: dpayback_t,
        planned_cost_to_date: td.planned_cost,
        planned_benefit_to_date: td.planned_benefit,
        actual_cost: td.actual_cost,
        actual_benefit: td.actual_benefit,
        forecast_cost: td.forecast_cost_at_completion,
        forecast_benefit: td.forecast_benefit_at_completion,
        realised: td.benefits_realised,
        realised_text: td
            .benefits_realised
            .map_or_else(|| "—".into(), |x| format::percent(x, 0)),
        alignment: m.strategic_alignment.value().copied().unwrap_or(0.0),
        exposure: m.risk.total,
        rows: c
            .rows
            .iter()
            .map(|r| CaseRow {
                label: r.label.clone(),
                cost: r.cost,
                benefit: r.benefit,
                net: r.net,
                cumulative: r.cumulative_net,
                factor: r.discount_factor,
                pv: r.pv_net,
                cumulative_pv: r.cumulative_pv,
            })
            .collect(),
        scores,
        milestones,
        kpi_progress: m.kpis.iter().map(|k| k.progress).collect(),
    }
}
