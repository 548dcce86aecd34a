//! The what-if business case widget: the form's text fields in, the baseline and the
//! scenario side by side out (NPV, every IRR root, ROI, payback, the cash-flow chart and
//! a Monte Carlo view). Every figure comes from `vmo_core::whatif`,
//! `vmo_core::analysis::business_case` and `vmo_core::montecarlo`, every chart from
//! `vmo_charts`, drawn exactly as the generator draws them on the initiative page.

use crate::error::{FieldError, WidgetError, parse_number, parse_whole};
use crate::format;
use crate::session::Session;
use serde::{Deserialize, Serialize};
use vmo_charts as vc;
use vmo_core::analysis::{BusinessCase, Computed};
use vmo_core::montecarlo::{self, Simulation, SimulationConfig};
use vmo_core::whatif::{self, Scenario};
use vmo_core::{Cadence, CashPlan, Discounting, Period, Settings};
use vmo_explain::montecarlo::config as montecarlo_config;

/// Trials and bins of the Monte Carlo view: the initiative page's (and seed 0), so the
/// baseline distribution is the one printed on the page.
pub use vmo_explain::montecarlo::{BINS, TRIALS};
/// The most trials the form accepts.
pub const MAX_TRIALS: u64 = 200_000;

/// The form as typed: every field is text, parsed and checked here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIfForm {
    pub initiative: String,
    /// Percent: `30` = costs 30% over plan.
    pub cost_overrun: String,
    /// Percent of the planned benefits realised: `60`.
    pub benefit_realisation: String,
    /// Whole periods the benefits arrive late.
    pub delay: String,
    /// Annual discount rate in percent.
    pub discount_rate: String,
    /// Periods from the plan's start to count; blank = the whole (delayed) plan.
    pub horizon: String,
    /// `end-of-period`, `mid-period` or `start-of-period`.
    pub discounting: String,
    pub trials: String,
}

/// One business case as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseView {
    pub npv: Option<f64>,
    pub npv_text: String,
    /// Every IRR root, annual, ascending.
    pub irr_roots: Vec<f64>,
    pub irr_text: String,
    pub roi: Option<f64>,
    pub roi_text: String,
    pub payback_text: String,
    pub discounted_payback_text: String,
    pub bcr_text: String,
    pub total_cost_text: String,
    pub total_benefit_text: String,
    /// The cumulative cash-flow chart (SVG).
    pub chart: String,
}

/// One percentile, labelled with its direction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PercentileView {
    pub p: u8,
    pub value: f64,
    pub text: String,
    /// e.g. `P10: 10% of outcomes are at or below this value`.
    pub label: String,
}

/// The Monte Carlo view of one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonteCarloView {
    pub trials: usize,
    pub percentiles: Vec<PercentileView>,
    pub prob_negative: f64,
    pub prob_negative_text: String,
    pub mean_text: String,
    /// The histogram (SVG).
    pub chart: String,
}

/// The baseline: the initiative as planned, under the portfolio's settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Baseline {
    pub id: String,
    pub title: String,
    pub currency: String,
    /// `year` or `quarter`.
    pub period_word: String,
    pub plan_periods: usize,
    /// The form prefilled with the baseline (no change).
    pub form: WhatIfForm,
    pub case: CaseView,
    pub monte_carlo: Result<MonteCarloView, String>,
    /// The percentiles every simulation reports, with the page's label for each.
    pub percentiles: Vec<PercentileLabel>,
}

/// A percentile and its label (`P10: 10% of outcomes are at or below this value`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PercentileLabel {
    pub p: u8,
    pub label: String,
}

/// The scenario next to the baseline, or why the form cannot be evaluated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioView {
    /// Inline messages for fields; when not empty, `case` and `monte_carlo` are absent.
    pub errors: Vec<FieldError>,
    pub case: Option<CaseView>,
    pub monte_carlo: Option<Result<MonteCarloView, String>>,
    /// Scenario NPV minus baseline NPV.
    pub npv_change_text: Option<String>,
}

fn discounting_name(d: Discounting) -> &'static str {
    match d {
        Discounting::EndOfPeriod => "end-of-period",
        Discounting::MidPeriod => "mid-period",
        Discounting::StartOfPeriod => "start-of-period",
    }
}

/// The initiative the standalone what-if opens on when the link names none: the open
/// initiative (not closed) with an uncertainty range to simulate and the largest
/// planned cost, the biggest bet of the portfolio; else the first open one; else the
/// first.
pub fn default_initiative(s: &Session) -> Option<String> {
    let p = &s.portfolio;
    let uncertain = |i: &vmo_core::Initiative| {
        let u = &i.uncertainty;
        [&u.cost, &u.benefit, &u.delay]
            .iter()
            .any(|r| r.high > r.low)
    };
    let cost = |i: &vmo_core::Initiative| i.plan.cost.iter().sum::<f64>();
    let open: Vec<usize> = (0..p.initiatives.len()).filter(|&k| s.is_open(k)).collect();
    open.iter()
        .copied()
        .filter(|&k| uncertain(&p.initiatives[k]))
        .max_by(|&a, &b| {
            cost(&p.initiatives[a])
                .total_cmp(&cost(&p.initiatives[b]))
                .then(b.cmp(&a))
        })
        .or_else(|| open.first().copied())
        .or_else(|| (!p.initiatives.is_empty()).then_some(0))
        .map(|k| p.initiatives[k].id.clone())
}

/// The form that changes nothing.
pub fn default_form(s: &Session, id: &str) -> Result<WhatIfForm, WidgetError> {
    let k = s.index(id)?;
    let settings = &s.portfolio.settings;
    Ok(WhatIfForm {
        initiative: s.initiative(k).id.clone(),
        cost_overrun: "0".into(),
        benefit_realisation: "100".into(),
        delay: "0".into(),
        discount_rate: rate_text(settings.discount_rate),
        horizon: String::new(),
        discounting: discounting_name(settings.discounting).into(),
        trials: TRIALS.to_string(),
    })
}

fn rate_text(rate: f64) -> String {
    format::number(rate * 100.0, 6).replace(',', "")
}

fn money(s: &Session, x: f64) -> String {
    format::money(x, s.currency())
}

fn ratio_text(x: &Computed<f64>, f: impl Fn(f64) -> String) -> String {
    x.value().map_or_else(|| "n/a".into(), |v| f(*v))
}

/// The cumulative cash-flow chart, built exactly as the generator's
/// `render::charts::cash_flow` builds it.
pub fn cash_flow_svg(
    s: &Session,
    title: &str,
    case: &BusinessCase,
    payback: &str,
    chart_id: &str,
) -> Result<String, WidgetError> {
    let title = format!("Cumulative cash flow: {title}");
    let npv = case.npv.value().copied().unwrap_or(0.0);
    let discounted: Option<Vec<f64>> = case.rows.iter().map(|r| r.cumulative_pv).collect();
    let desc = format!(
        "Net cash flow per period and its running total, undiscounted and discounted. Cumulative net at the end: {}; NPV: {}; payback: {}.",
        case.rows
            .last()
            .map_or_else(|| "n/a".into(), |r| money(s, r.cumulative_net)),
        money(s, npv),
        payback
    );
    let data = vc::CashFlowData {
        currency: s.currency().to_string(),
        periods: case.rows.iter().map(|r| r.label.clone()).collect(),
        net: case.rows.iter().map(|r| r.net).collect(),
        cumulative: case.rows.iter().map(|r| r.cumulative_net).collect(),
        cumulative_discounted: discounted.unwrap_or_default(),
        labels: vc::CashFlowLabels::default(),
    };
    Ok(vc::cash_flow_chart(
        chart_id,
        &vc::ChartSpec::new(&title, desc),
        &data,
    )?)
}

fn case_view(
    s: &Session,
    title: &str,
    case: &BusinessCase,
    chart_id: &str,
) -> Result<CaseView, WidgetError> {
    let cadence = s.portfolio.settings.calendar.cadence;
    // The page's words for the same figures (vmo-explain), so they cannot drift apart.
    let irr = vmo_explain::irr(&case.irr, case.inflow_first);
    let (irr_roots, irr_text) = (irr.roots, irr.long);
    let payback = vmo_explain::payback(
        (&case.payback_periods, &case.payback_years),
        (&case.first_payback_periods, &case.first_payback_years),
        cadence,
    )
    .text;
    let chart = cash_flow_svg(s, title, case, &payback, chart_id)?;
    let npv = case.npv.value().copied();
    Ok(CaseView {
        npv,
        npv_text: npv.map_or_else(|| "n/a".into(), |v| money(s, v)),
        irr_roots,
        irr_text,
        roi: case.roi.value().copied(),
        roi_text: ratio_text(&case.roi, |x| format::percent(x, 0)),
        payback_text: payback,
        discounted_payback_text: vmo_explain::payback(
            (
                &case.discounted_payback_periods,
                &case.discounted_payback_years,
            ),
            (
                &case.first_discounted_payback_periods,
                &case.first_discounted_payback_years,
            ),
            cadence,
        )
        .text,
        bcr_text: ratio_text(&case.bcr, |x| format::number(x, 2)),
        total_cost_text: money(s, case.total_cost),
        total_benefit_text: money(s, case.total_benefit),
        chart,
    })
}

/// The Monte Carlo histogram, the figure the initiative page draws.
pub fn histogram_svg(
    s: &Session,
    title: &str,
    sim: &Simulation,
    chart_id: &str,
) -> Result<String, WidgetError> {
    Ok(vmo_explain::montecarlo::histogram(sim, title, s.currency()).svg(chart_id)?)
}

fn monte_carlo(
    s: &Session,
    k: usize,
    settings: &Settings,
    plan: &CashPlan,
    config: &SimulationConfig,
    chart_id: &str,
) -> Result<Result<MonteCarloView, String>, WidgetError> {
    let i = s.initiative(k);
    let sim = match montecarlo::simulate(settings, &i.id, plan, &i.uncertainty, config) {
        Ok(sim) => sim,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let chart = histogram_svg(s, &i.title, &sim, chart_id)?;
    Ok(Ok(MonteCarloView {
        trials: sim.trials,
        percentiles: sim
            .percentiles
            .iter()
            .map(|q| PercentileView {
                p: q.p,
                value: q.value,
                text: money(s, q.value),
                label: q.label.clone(),
            })
            .collect(),
        prob_negative: sim.prob_negative_npv,
        prob_negative_text: format::percent(sim.prob_negative_npv, 1),
        mean_text: money(s, sim.mean),
        chart,
    }))
}

/// The baseline of an initiative: its business case and the page's simulation.
pub fn baseline(s: &Session, id: &str) -> Result<Baseline, WidgetError> {
    let k = s.index(id)?;
    let i = s.initiative(k);
    let case = &s.analysis.initiatives[k].business_case;
    let settings = &s.portfolio.settings;
    Ok(Baseline {
        id: i.id.clone(),
        title: i.title.clone(),
        currency: s.currency().to_string(),
        period_word: match settings.calendar.cadence {
            Cadence::Year => "year".into(),
            Cadence::Quarter => "quarter".into(),
        },
        plan_periods: i.plan.cost.len().max(i.plan.benefit.len()),
        form: default_form(s, id)?,
        case: case_view(s, &i.title, case, &format!("wi-base-cf-{}", i.id))?,
        monte_carlo: monte_carlo(
            s,
            k,
            settings,
            &i.plan,
            &montecarlo_config(TRIALS, None),
            &format!("wi-base-mc-{}", i.id),
        )?,
        percentiles: montecarlo::PERCENTILES
            .iter()
            .map(|&p| PercentileLabel {
                p,
                label: montecarlo::percentile_label(p),
            })
            .collect(),
    })
}

/// Parses the form into a scenario and a trial count, or the fields' messages.
pub fn parse_form(s: &Session, form: &WhatIfForm) -> Result<(Scenario, usize), Vec<FieldError>> {
    let mut errors = Vec::new();
    fn field(errors: &mut Vec<FieldError>, name: &str, r: Result<f64, String>) -> f64 {
        r.unwrap_or_else(|m| {
            errors.push(FieldError::new(name, m));
            0.0
        })
    }
    let pct = |text: &str, min: f64, max: f64| -> Result<f64, String> {
        let x = parse_number(text, false)?;
        if x < min || x > max {
            return Err(format!(
                "enter a percentage from {} to {}",
                format::number(min, 2),
                format::number(max, 2)
            ));
        }
        Ok(x / 100.0)
    };
    let overrun = field(
        &mut errors,
        "cost_overrun",
        pct(&form.cost_overrun, -100.0, whatif::MAX_COST_OVERRUN * 100.0),
    );
    let realisation = field(
        &mut errors,
        "benefit_realisation",
        pct(
            &form.benefit_realisation,
            0.0,
            whatif::MAX_BENEFIT_REALISATION * 100.0,
        ),
    );
    let delay = field(
        &mut errors,
        "delay",
        parse_whole(&form.delay, 0, u64::from(whatif::MAX_DELAY_PERIODS)).map(|d| d as f64),
    );
    let settings = &s.portfolio.settings;
    // The prefilled rate stands for the portfolio's own value, bit for bit.
    let rate = if form.discount_rate.trim() == rate_text(settings.discount_rate) {
        None
    } else {
        Some(field(
            &mut errors,
            "discount_rate",
            parse_number(&form.discount_rate, false).and_then(|x| {
                if x > -100.0 && x <= 1000.0 {
                    Ok(x / 100.0)
                } else {
                    Err("enter a rate above −100% and at most 1,000%".into())
                }
            }),
        ))
    };
    let horizon = if form.horizon.trim().is_empty() {
        None
    } else {
        Some(field(
            &mut errors,
            "horizon",
            parse_whole(&form.horizon, 1, whatif::MAX_HORIZON_PERIODS as u64).map(|h| h as f64),
        ) as usize)
    };
    let discounting = match form.discounting.as_str() {
        "end-of-period" => Discounting::EndOfPeriod,
        "mid-period" => Discounting::MidPeriod,
        "start-of-period" => Discounting::StartOfPeriod,
        other => {
            errors.push(FieldError::new(
                "discounting",
                format!("`{other}` is not a discounting convention"),
            ));
            settings.discounting
        }
    };
    let trials = field(
        &mut errors,
        "trials",
        parse_whole(&form.trials, 100, MAX_TRIALS).map(|t| t as f64),
    ) as usize;
    if !errors.is_empty() {
        return Err(errors);
    }
    let scenario = Scenario {
        cost_overrun: overrun,
        benefit_realisation: realisation,
        delay_periods: delay as u32,
        discount_rate: rate,
        horizon,
        discounting: (discounting != settings.discounting).then_some(discounting),
    };
    Ok((scenario, trials))
}

/// Evaluates the form: the scenario's business case and simulation, or inline messages.
pub fn scenario(s: &Session, form: &WhatIfForm) -> Result<ScenarioView, WidgetError> {
    let k = s.index(&form.initiative)?;
    let (scenario, trials) = match parse_form(s, form) {
        Ok(x) => x,
        Err(errors) => {
            return Ok(ScenarioView {
                errors,
                case: None,
                monte_carlo: None,
                npv_change_text: None,
            });
        }
    };
    let i = s.initiative(k);
    let result = match whatif::evaluate(&s.portfolio, &i.plan, &scenario) {
        Ok(r) => r,
        Err(e) => {
            return Ok(ScenarioView {
                errors: vec![FieldError::new("scenario", e.to_string())],
                case: None,
                monte_carlo: None,
                npv_change_text: None,
            });
        }
    };
    let case = case_view(
        s,
        &i.title,
        &result.business_case,
        &format!("wi-scen-cf-{}", i.id),
    )?;
    let mut settings = s.portfolio.settings.clone();
    settings.discount_rate = result.applied.discount_rate;
    settings.discounting = result.applied.discounting;
    let plan = &result.applied.plan;
    let horizon = scenario
        .horizon
        .and_then(|h| i32::try_from(h).ok())
        .and_then(|h| plan.start.0.checked_add(h))
        .map(Period);
    let mc = monte_carlo(
        s,
        k,
        &settings,
        plan,
        &montecarlo_config(trials, horizon),
        &format!("wi-scen-mc-{}", i.id),
    )?;
    let base = s.analysis.initiatives[k].business_case.npv.value().copied();
    let npv_change_text = case.npv.zip(base).map(|(a, b)| {
        let d = a - b;
        if d > 0.0 {
            format!("+{}", money(s, d))
        } else {
            money(s, d)
        }
    });
    Ok(ScenarioView {
        errors: Vec::new(),
        case: Some(case),
        monte_carlo: Some(mc),
        npv_change_text,
    })
}
