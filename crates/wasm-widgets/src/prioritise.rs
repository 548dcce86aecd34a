//! The prioritisation scenario widget: choose the model, change criteria weights, set the
//! budget, pin or exclude initiatives; get the ranking (`vmo_core::scoring::rank`), the
//! exact value-maximising selection under the budget and the efficient frontier
//! (`vmo_core::selection`), and the dependencies that funding by rank order would break.
//!
//! # Conventions
//!
//! - **Candidates** are the initiatives whose stage is not closed (the prioritisation
//!   page's rule). A dependency on a closed initiative counts as met.
//! - **With a budget envelope** (the portfolio's `[budget]`), the problem is the
//!   prioritisation page's: `vmo_core::budget::budget_problem` (committed and operating
//!   initiatives funded, proposed ones compete, each period's planned cost against that
//!   period's envelope). The budget field is then a percentage of the envelope (100 = as
//!   set, 80 = cut by 20%), and the baseline selection is the page's.
//! - **Without one**, the cost of a candidate is its total planned cost, the budget one
//!   total amount (default: half the candidates' total cost), nothing is pinned.
//! - Pinning forces an initiative in (with what it depends on); excluding one keeps it
//!   out, even when it is committed (what if we stopped it?).
//! - **Value** is the initiative's NPV (default) or its score under the chosen model
//!   (unscored initiatives are worth 0).
//! - **Rank order funding**: walking the ranking from the top, fund each candidate that
//!   still fits the budget. The warnings list the dependencies this would leave unfunded;
//!   the exact selection never breaks one.
//! - The whole scenario is a URL fragment ([`to_hash`], [`from_hash`]):
//!   `model=ID&value=npv|score&budget=AMOUNT&w.CRITERION=WEIGHT&pin=ID,ID&ex=ID,ID`.

use crate::error::{FieldError, WidgetError, parse_number};
use crate::format;
use crate::session::Session;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use vmo_core::selection::{self, Budget, Item, SelectionError};
use vmo_core::{Method, PriorityModel, scoring};

/// Budget levels of the efficient frontier (plus zero), as on the page.
pub use vmo_explain::frontier::LEVELS as FRONTIER_LEVELS;

/// The scenario as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrioritiseForm {
    /// Model id; blank = the first model.
    pub model: String,
    /// `npv` or `score`.
    pub value: String,
    /// Budget amount (`12000000`, `12M`); blank = the default budget.
    pub budget: String,
    /// Criterion id -> weight as typed (weighted models only; missing = the model's).
    pub weights: BTreeMap<String, String>,
    pub pinned: Vec<String>,
    pub excluded: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelOption {
    pub id: String,
    pub name: String,
    /// `wsjf`, `rice` or `weighted`.
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeightView {
    pub criterion: String,
    pub name: String,
    /// The weight in force (as typed when valid).
    pub weight: String,
    /// The model's own weight.
    pub default: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankRow {
    /// 1-based rank among scored candidates; `None` when unscored.
    pub rank: Option<usize>,
    pub id: String,
    pub title: String,
    pub url: String,
    pub stage_name: String,
    pub score: Option<f64>,
    pub score_text: String,
    /// The lifetime cost, the "Cost" of every table of the site.
    pub cost: f64,
    pub cost_text: String,
    pub npv_text: String,
    /// Pinned by this scenario.
    pub pinned: bool,
    /// Funded already (committed or operating): in every selection unless excluded.
    pub committed: bool,
    pub excluded: bool,
    /// In the exact selection.
    pub selected: bool,
    /// Funded when funding by rank order.
    pub rank_funded: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelectionView {
    pub count: usize,
    pub value: f64,
    pub value_text: String,
    pub cost_text: String,
    pub exact: bool,
    /// `exact`, or why the answer is the best found rather than proven.
    pub optimality: String,
    /// Chosen ids, in id order.
    pub chosen: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrontierPointView {
    pub budget: f64,
    pub value: f64,
    pub cost: f64,
    pub count: usize,
}

/// Everything the widget shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrioritiseView {
    /// The form actually in force (invalid fields replaced by their defaults).
    pub form: PrioritiseForm,
    pub models: Vec<ModelOption>,
    pub model_name: String,
    pub formula: String,
    pub weights: Vec<WeightView>,
    pub budget: f64,
    pub budget_text: String,
    /// `percent` (of the envelope) or `amount`.
    pub budget_mode: String,
    pub default_budget: f64,
    pub value_label: String,
    pub ranking: Vec<RankRow>,
    /// `None` when no selection is possible (the message is in `warnings`).
    pub selection: Option<SelectionView>,
    /// Funding down the ranking under the same rules as the selection
    /// (`selection::fund_in_order`): its value (never above the exact selection's).
    pub rank_funded_value: f64,
    pub rank_funded_value_text: String,
    pub frontier: Vec<FrontierPointView>,
    pub frontier_chart: String,
    pub warnings: Vec<String>,
    pub errors: Vec<FieldError>,
    /// The URL fragment reproducing this scenario (without `#`).
    pub hash: String,
}

fn model_kind(m: &PriorityModel) -> &'static str {
    match m.method {
        Method::Wsjf => "wsjf",
        Method::Rice => "rice",
        Method::Weighted { .. } => "weighted",
    }
}

/// Whether the portfolio sets a budget envelope (the budget field is then a percentage
/// of it).
pub fn envelope_mode(s: &Session) -> bool {
    s.portfolio.settings.budget.is_some()
}

/// The default budget: 100 (% of the envelope), or an amount (see the module docs).
pub fn default_budget(s: &Session) -> f64 {
    if envelope_mode(s) {
        return 100.0;
    }
    let total: f64 = (0..s.portfolio.initiatives.len())
        .filter(|&k| s.is_open(k))
        .map(|k| s.initiative(k).plan.total_cost())
        .sum();
    (total / 2.0).round()
}

fn number_text(x: f64) -> String {
    format::number(x, 6).replace(',', "")
}

/// The form of the baseline scenario for a model (blank: the first model).
pub fn default_form(s: &Session, model: &str) -> PrioritiseForm {
    let model = s
        .portfolio
        .models
        .iter()
        .find(|m| m.id == model)
        .or_else(|| s.portfolio.models.first());
    PrioritiseForm {
        model: model.map(|m| m.id.clone()).unwrap_or_default(),
        value: "npv".into(),
        budget: number_text(default_budget(s)),
        weights: BTreeMap::new(),
        pinned: Vec::new(),
        excluded: Vec::new(),
    }
}

/// The URL fragment of a form: only what differs from the default budget and weights
/// is written, ids sorted, so one scenario has one link.
pub fn to_hash(s: &Session, form: &PrioritiseForm) -> String {
    let mut parts = vec![format!("model={}", enc(&form.model))];
    if form.value != "npv" {
        parts.push(format!("value={}", enc(&form.value)));
    }
    if parse_number(&form.budget, !envelope_mode(s)).ok() != Some(default_budget(s)) {
        parts.push(format!("budget={}", enc(form.budget.trim())));
    }
    for (c, w) in &form.weights {
        parts.push(format!("w.{}={}", enc(c), enc(w.trim())));
    }
    let list = |ids: &[String]| {
        let mut v: Vec<String> = ids.iter().map(|x| enc(x)).collect();
        v.sort();
        v.dedup();
        v.join(",")
    };
    if !form.pinned.is_empty() {
        parts.push(format!("pin={}", list(&form.pinned)));
    }
    if !form.excluded.is_empty() {
        parts.push(format!("ex={}", list(&form.excluded)));
    }
    parts.join("&")
}

/// Percent-encodes everything but unreserved characters (ids are `[a-z0-9-]` already).
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn dec(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if bytes[k] == b'%'
            && k + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[k + 1]), hex(bytes[k + 2]))
        {
            out.push((h * 16 + l) as u8);
            k += 3;
            continue;
        }
        out.push(if bytes[k] == b'+' { b' ' } else { bytes[k] });
        k += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The form a URL fragment describes (with or without the leading `#`); unknown keys
/// are ignored, missing ones take their defaults.
pub fn from_hash(s: &Session, hash: &str) -> PrioritiseForm {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let mut model = String::new();
    let mut form = PrioritiseForm::default();
    let mut budget = None;
    let mut value = None;
    for pair in hash.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = dec(v);
        match k {
            "model" => model = v,
            "value" => value = Some(v),
            "budget" => budget = Some(v),
            "pin" => form.pinned = split_ids(&v),
            "ex" => form.excluded = split_ids(&v),
            _ => {
                if let Some(c) = k.strip_prefix("w.") {
                    form.weights.insert(dec(c), v);
                }
            }
        }
    }
    let base = default_form(s, &model);
    PrioritiseForm {
        model: base.model,
        value: value.unwrap_or(base.value),
        budget: budget.unwrap_or(base.budget),
        ..form
    }
}

fn split_ids(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// The scenario's scoring model: the chosen model (or the first, with a warning) with the
/// form's valid weights in force; invalid weights become field errors.
struct ScenarioModel<'a> {
    base: PrioritiseForm,
    model0: &'a PriorityModel,
    model: PriorityModel,
    weights_view: Vec<WeightView>,
    form_weights: BTreeMap<String, String>,
}

fn scenario_model<'a>(
    s: &'a Session,
    form: &PrioritiseForm,
    errors: &mut Vec<FieldError>,
    warnings: &mut Vec<String>,
) -> Result<ScenarioModel<'a>, WidgetError> {
    let p = &s.portfolio;
    let base = default_form(s, &form.model);
    let Some(model0) = p.models.iter().find(|m| m.id == base.model) else {
        return Err(WidgetError::Request("the portfolio has no model".into()));
    };
    if !form.model.is_empty() && form.model != model0.id {
        warnings.push(format!(
            "No model has the id `{}`: showing {}.",
            form.model, model0.name
        ));
    }
    // Weights: the model's, overridden by valid typed ones.
    let mut model = model0.clone();
    let mut weights_view = Vec::new();
    let mut form_weights = BTreeMap::new();
    if let Method::Weighted { weights } = &mut model.method {
        for (c, w) in weights.iter_mut() {
            let default = number_text(*w);
            let name = p
                .criteria
                .iter()
                .find(|x| &x.id == c)
                .map_or_else(|| c.clone(), |x| x.name.clone());
            let mut shown = default.clone();
            if let Some(text) = form.weights.get(c.as_str()) {
                match parse_number(text, false) {
                    Ok(x) if (0.0..=1e6).contains(&x) => {
                        *w = x;
                        shown = text.trim().to_string();
                        if shown != default {
                            form_weights.insert(c.clone(), shown.clone());
                        }
                    }
                    Ok(_) => errors.push(FieldError::new(
                        format!("weight:{c}"),
                        "enter a weight from 0 to 1,000,000",
                    )),
                    Err(m) => errors.push(FieldError::new(format!("weight:{c}"), m)),
                }
            }
            weights_view.push(WeightView {
                criterion: c.clone(),
                name,
                weight: shown,
                default,
            });
        }
        if weights.iter().all(|(_, w)| *w == 0.0) {
            errors.push(FieldError::new(
                "weights",
                "at least one weight must be above zero",
            ));
            weights.clone_from(&match &model0.method {
                Method::Weighted { weights } => weights.clone(),
                _ => Vec::new(),
            });
            form_weights.clear();
        }
    }
    Ok(ScenarioModel {
        base,
        model0,
        model,
        weights_view,
        form_weights,
    })
}

/// The candidates (open initiatives) and their ranking under the scenario's model: the
/// first half of [`evaluate`], alone, for the in-browser benchmark of a re-rank.
fn candidates_ranked<'a>(
    s: &'a Session,
    model: &PriorityModel,
) -> (Vec<usize>, Vec<&'a vmo_core::Initiative>, scoring::Ranking) {
    let cand: Vec<usize> = (0..s.portfolio.initiatives.len())
        .filter(|&k| s.is_open(k))
        .collect();
    let cand_inits: Vec<&vmo_core::Initiative> = cand.iter().map(|&k| s.initiative(k)).collect();
    let ranking = scoring::rank(model, &cand_inits, &s.portfolio.criteria);
    (cand, cand_inits, ranking)
}

/// Re-ranks only: the ids of the scored candidates in rank order, with their scores.
pub fn rank(s: &Session, form: &PrioritiseForm) -> Result<Vec<(String, f64)>, WidgetError> {
    let m = scenario_model(s, form, &mut Vec::new(), &mut Vec::new())?;
    let (_, cand_inits, ranking) = candidates_ranked(s, &m.model);
    Ok(ranking
        .ranked
        .iter()
        .map(|r| (cand_inits[r.index].id.clone(), r.score.value))
        .collect())
}

/// Evaluates a scenario.
pub fn evaluate(s: &Session, form: &PrioritiseForm) -> Result<PrioritiseView, WidgetError> {
    let p = &s.portfolio;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let ScenarioModel {
        base,
        model0,
        model,
        weights_view,
        form_weights,
    } = scenario_model(s, form, &mut errors, &mut warnings)?;
    let envelope = envelope_mode(s);
    let budget = match parse_number(&form.budget, !envelope) {
        Ok(b) if b >= 0.0 && (!envelope || b <= 1000.0) => b,
        Ok(_) => {
            errors.push(FieldError::new(
                "budget",
                if envelope {
                    "enter a percentage of the envelope from 0 to 1,000"
                } else {
                    "enter a budget of 0 or more"
                },
            ));
            default_budget(s)
        }
        Err(m) => {
            errors.push(FieldError::new("budget", m));
            default_budget(s)
        }
    };
    let by_score = match form.value.as_str() {
        "score" => true,
        "npv" | "" => false,
        other => {
            errors.push(FieldError::new(
                "value",
                format!("`{other}` is not a value measure (npv or score)"),
            ));
            false
        }
    };

    // Candidates and their ranking under the (re-weighted) model.
    let (cand, cand_inits, ranking) = candidates_ranked(s, &model);
    let mut score = vec![None; cand.len()];
    let mut rank = vec![None; cand.len()];
    for r in &ranking.ranked {
        score[r.index] = Some(r.score.value);
        rank[r.index] = Some(r.rank);
    }
    let formula = ranking
        .ranked
        .first()
        .map(|r| r.score.formula.clone())
        .unwrap_or_default();
    let pos: BTreeMap<&str, usize> = cand_inits
        .iter()
        .enumerate()
        .map(|(n, i)| (i.id.as_str(), n))
        .collect();
    let known = |ids: &[String], what: &str, warnings: &mut Vec<String>| -> Vec<String> {
        let mut out = Vec::new();
        for id in ids {
            if pos.contains_key(id.as_str()) {
                out.push(id.clone());
            } else {
                warnings.push(format!(
                    "`{id}` is not an open initiative: it cannot be {what}."
                ));
            }
        }
        out.sort();
        out.dedup();
        out
    };
    let pinned = known(&form.pinned, "pinned", &mut warnings);
    let excluded = known(&form.excluded, "excluded", &mut warnings);
    let npv = |n: usize| {
        s.analysis.initiatives[cand[n]]
            .business_case
            .npv
            .value()
            .copied()
    };
    let problem = if envelope {
        vmo_core::budget::budget_problem(&s.portfolio, &s.analysis, budget / 100.0)
    } else {
        None
    };
    let mut items: Vec<Item> = match &problem {
        Some(problem) => problem.items.clone(),
        None => cand_inits
            .iter()
            .enumerate()
            .map(|(n, i)| Item {
                id: i.id.clone(),
                value: npv(n).unwrap_or(0.0),
                cost: vec![i.plan.total_cost()],
                pinned: false,
                excluded: false,
                depends_on: i
                    .depends_on
                    .iter()
                    .filter_map(|d| pos.get(d.as_str()).copied())
                    .collect(),
            })
            .collect(),
    };
    for (n, item) in items.iter_mut().enumerate() {
        if by_score {
            item.value = score[n].unwrap_or(0.0);
        }
        if pinned.contains(&item.id) {
            item.pinned = true;
        }
        if excluded.contains(&item.id) {
            item.excluded = true;
            item.pinned = pinned.contains(&item.id);
        }
    }
    let total_cost = |item: &Item| item.cost.iter().sum::<f64>();
    // The envelope, raised to the cost of pinned work where that alone over-commits a
    // period (the page's `effective_budget`, with this scenario's pins).
    let limits: Vec<f64> = match &problem {
        Some(problem) => problem
            .budget
            .iter()
            .enumerate()
            .map(|(d, b)| {
                let pinned: f64 = items.iter().filter(|i| i.pinned).map(|i| i.cost[d]).sum();
                b.max(pinned)
            })
            .collect(),
        None => vec![budget],
    };
    // Say so where pinned work alone is over a period's budget: the selection's cost
    // is then above that budget, and must not stand unlabelled.
    if let Some(problem) = &problem {
        let cal = &s.portfolio.settings.calendar;
        let over: Vec<String> = problem
            .periods
            .iter()
            .zip(&problem.budget)
            .zip(&limits)
            .filter(|((_, b), l)| !selection::fits(**l, **b))
            .map(|((per, b), l)| {
                format!(
                    "{} by {}",
                    cal.label(*per),
                    format::money_short(l - b, s.currency())
                )
            })
            .collect();
        if !over.is_empty() {
            warnings.push(format!(
                "Committed and pinned work alone costs more than the budget in {}: nothing else can be added there, and the selection's cost is over the budget by that much.",
                over.join(", ")
            ));
        }
    }
    let budget_amount: f64 = match &problem {
        Some(problem) => problem.budget.iter().sum(),
        None => budget,
    };
    let budget_rule = if problem.is_some() {
        Budget::PerPeriod(limits.clone())
    } else {
        Budget::Total(budget)
    };
    let selection = match selection::select(&items, &budget_rule) {
        Ok(sel) => Some(sel),
        Err(e) => {
            warnings.push(selection_message(&e, &cand_inits));
            None
        }
    };
    let chosen: Vec<bool> = {
        let mut v = vec![false; items.len()];
        for &n in selection.iter().flat_map(|x| x.chosen.iter()) {
            v[n] = true;
        }
        v
    };

    // Funding down the ranking, under the exact selection's rules (every period's
    // budget, dependencies, pins and exclusions), so the exact value is never below it.
    let mut order: Vec<usize> = ranking.ranked.iter().map(|r| r.index).collect();
    order.extend(ranking.unscored.iter().map(|u| u.index));
    let funded_list: Vec<usize> =
        selection::fund_in_order(&items, &order, &budget_rule).unwrap_or_default();
    let mut funded = vec![false; items.len()];
    for &n in &funded_list {
        funded[n] = true;
    }
    let funded_value: f64 = funded_list.iter().map(|&n| items[n].value).sum();
    let value_text = |v: f64| {
        if by_score {
            format!("{} points", format::number(v, 2))
        } else {
            format::money_short(v, s.currency())
        }
    };

    // Efficient frontier.
    // The page's frontier: total budgets from 40% to 160% of the envelope (or of the
    // amount), each item's cost summed over the periods.
    let reference = match &s.portfolio.settings.budget {
        Some(envelope) if problem.is_some() => envelope.total(),
        _ => budget_amount,
    };
    let levels = vmo_explain::frontier::levels(reference);
    let summed: Vec<Item> = items
        .iter()
        .map(|i| Item {
            cost: vec![total_cost(i)],
            ..i.clone()
        })
        .collect();
    let points = selection::efficient_frontier(&summed, &levels).unwrap_or_default();
    let measure = if by_score {
        vmo_explain::frontier::Measure::Score
    } else {
        vmo_explain::frontier::Measure::Npv
    };
    let frontier_chart = vmo_explain::frontier::frontier(&points, reference, s.currency(), measure)
        .svg("wi-frontier")?;
    let frontier: Vec<FrontierPointView> = points
        .into_iter()
        .filter(|f| f.feasible)
        .map(|f| FrontierPointView {
            budget: f.budget,
            value: f.value,
            cost: f.cost,
            count: f.chosen.len(),
        })
        .collect();

    let ranking_rows: Vec<RankRow> = order
        .iter()
        .map(|&n| {
            let k = cand[n];
            let i = s.initiative(k);
            RankRow {
                rank: rank[n],
                id: i.id.clone(),
                title: i.title.clone(),
                url: s.url(k),
                stage_name: s.stage_name(&i.stage),
                score: score[n],
                score_text: score[n].map_or_else(|| "not scored".into(), |x| format::number(x, 2)),
                // "Cost" is the lifetime cost, as in every table of the site; the
                // selection's own cost is the budget it uses (the envelope's periods).
                cost: i.plan.total_cost(),
                cost_text: format::money_short(i.plan.total_cost(), s.currency()),
                npv_text: npv(n)
                    .map_or_else(|| "n/a".into(), |x| format::money_short(x, s.currency())),
                pinned: pinned.contains(&items[n].id),
                committed: problem.as_ref().is_some_and(|p| p.items[n].pinned),
                excluded: items[n].excluded,
                selected: chosen[n],
                rank_funded: funded[n],
            }
        })
        .collect();
    let selection_view = selection.as_ref().map(|sel| SelectionView {
        count: sel.chosen.len(),
        value: sel.value,
        value_text: value_text(sel.value),
        cost_text: format::money_short(sel.cost.iter().sum(), s.currency()),
        exact: sel.exact,
        optimality: sel.describe(|x| format::money(x, s.currency())),
        chosen: {
            let mut v: Vec<String> = sel.chosen.iter().map(|&n| items[n].id.clone()).collect();
            v.sort();
            v
        },
    });
    let form_in_force = PrioritiseForm {
        model: model0.id.clone(),
        value: if by_score { "score" } else { "npv" }.into(),
        budget: if errors.iter().any(|e| e.field == "budget") {
            base.budget.clone()
        } else {
            form.budget.trim().to_string()
        },
        weights: form_weights,
        pinned,
        excluded,
    };
    let hash = to_hash(s, &form_in_force);
    Ok(PrioritiseView {
        models: p
            .models
            .iter()
            .map(|m| ModelOption {
                id: m.id.clone(),
                name: m.name.clone(),
                kind: model_kind(m).into(),
            })
            .collect(),
        model_name: model0.name.clone(),
        formula,
        weights: weights_view,
        budget,
        budget_text: if problem.is_some() {
            format!(
                "{} ({} of the envelope)",
                format::money_short(budget_amount, s.currency()),
                format::percent(budget / 100.0, 0)
            )
        } else {
            format::money_short(budget_amount, s.currency())
        },
        budget_mode: if envelope { "percent" } else { "amount" }.into(),
        default_budget: default_budget(s),
        value_label: if by_score {
            format!("{} score", model0.name)
        } else {
            "NPV".into()
        },
        ranking: ranking_rows,
        selection: selection_view,
        rank_funded_value: funded_value,
        rank_funded_value_text: value_text(funded_value),
        frontier,
        frontier_chart,
        warnings,
        errors,
        hash,
        form: form_in_force,
    })
}

/// Why no selection was made, naming initiatives rather than indices.
fn selection_message(e: &SelectionError, items: &[&vmo_core::Initiative]) -> String {
    let title = |n: &usize| items.get(*n).map_or("?", |i| i.title.as_str());
    match e {
        SelectionError::Infeasible { .. } => {
            "The pinned initiatives (with what they depend on) cost more than the budget: no selection fits.".into()
        }
        SelectionError::PinnedAndExcluded { item } => format!(
            "{} is both pinned and excluded: no selection can satisfy both.",
            title(item)
        ),
        SelectionError::PinnedNeedsExcluded { pinned, excluded } => format!(
            "{} is pinned but depends on {}, which is excluded: no selection can satisfy both.",
            title(pinned),
            title(excluded)
        ),
        other => format!("No selection: {other}."),
    }
}
