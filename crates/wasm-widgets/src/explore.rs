//! The portfolio explorer ("where is my thing?"): search and filter initiatives by text,
//! stage, value stream, objective and owner; sort by any metric; every row links to the
//! initiative's page.
//!
//! Text search: the query is split on whitespace and every word must occur
//! (case-insensitively) in the title, id, summary, owner, sponsor, tags, stage name or
//! value stream name. Sorting puts initiatives without the metric (an unscored
//! initiative, a case with no IRR) last in either direction; ties by title.

use crate::format;
use crate::session::Session;
use serde::{Deserialize, Serialize};

/// The explorer's query; blank fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExploreQuery {
    pub text: String,
    pub stage: String,
    pub value_stream: String,
    pub objective: String,
    pub owner: String,
    /// A sort key from [`ExploreOptions::sort_keys`]; blank = title.
    pub sort: String,
    /// Descending.
    pub desc: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What the filters and the sort can be set to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExploreOptions {
    pub stages: Vec<Choice>,
    pub value_streams: Vec<Choice>,
    pub objectives: Vec<Choice>,
    pub owners: Vec<Choice>,
    pub sort_keys: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExploreRow {
    pub id: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub stage: String,
    pub value_stream: String,
    pub owner: String,
    pub npv_text: String,
    /// The sort metric's value as shown (blank when sorting by title).
    pub metric_text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExploreView {
    pub total: usize,
    pub count: usize,
    /// The sort metric's column heading.
    pub metric_label: String,
    pub rows: Vec<ExploreRow>,
}

/// The filter and sort options of a portfolio.
pub fn options(s: &Session) -> ExploreOptions {
    let p = &s.portfolio;
    let choices = |v: Vec<(String, String)>| {
        v.into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect()
    };
    let mut owners: Vec<String> = p.initiatives.iter().map(|i| i.owner.clone()).collect();
    owners.sort();
    owners.dedup();
    let mut sort_keys: Vec<(String, String)> = [
        ("title", "Title"),
        ("npv", "NPV"),
        ("irr", "IRR"),
        ("roi", "ROI"),
        ("bcr", "Benefit-cost ratio"),
        ("payback", "Payback"),
        ("cost", "Planned cost"),
        ("benefit", "Planned benefit"),
        ("alignment", "Strategic alignment"),
        ("risk", "Risk exposure"),
        ("realised", "Benefits realised"),
        ("start", "Start date"),
        ("end", "End date"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    for m in &p.models {
        sort_keys.push((format!("score:{}", m.id), format!("Score: {}", m.name)));
    }
    ExploreOptions {
        stages: choices(
            p.stages
                .iter()
                .map(|x| (x.id.clone(), x.name.clone()))
                .collect(),
        ),
        value_streams: choices(
            p.value_streams
                .iter()
                .map(|x| (x.id.clone(), x.name.clone()))
                .collect(),
        ),
        objectives: choices(
            p.objectives
                .iter()
                .map(|x| (x.id.clone(), x.name.clone()))
                .collect(),
        ),
        owners: choices(owners.into_iter().map(|o| (o.clone(), o)).collect()),
        sort_keys: choices(sort_keys),
    }
}

/// A metric for sorting, and how it is shown.
fn metric(s: &Session, k: usize, key: &str) -> (Option<f64>, String) {
    let m = &s.analysis.initiatives[k];
    let c = &m.business_case;
    let cur = s.currency();
    let i = s.initiative(k);
    let opt = |x: Option<f64>, f: &dyn Fn(f64) -> String| (x, x.map_or_else(|| "n/a".into(), f));
    match key {
        "npv" => opt(c.npv.value().copied(), &|x| format::money_short(x, cur)),
        // Only an investment's single rate sorts; a borrowing rate (money in first),
        // several roots or none sort after, each saying what it is.
        "irr" => {
            let t = vmo_explain::irr(&c.irr, c.inflow_first);
            (t.comparable, t.short)
        }
        "roi" => opt(c.roi.value().copied(), &|x| format::percent(x, 0)),
        "bcr" => opt(c.bcr.value().copied(), &|x| format::number(x, 2)),
        "payback" => {
            let t = vmo_explain::payback(
                (&c.payback_periods, &c.payback_years),
                (&c.first_payback_periods, &c.first_payback_years),
                s.portfolio.settings.calendar.cadence,
            );
            (t.periods, t.text)
        }
        "cost" => opt(Some(c.total_cost), &|x| format::money_short(x, cur)),
        "benefit" => opt(Some(c.total_benefit), &|x| format::money_short(x, cur)),
        "alignment" => opt(m.strategic_alignment.value().copied(), &|x| {
            format::percent(x, 0)
        }),
        "risk" => opt(Some(m.risk.total), &|x| format::number(x, 2)),
        "realised" => opt(m.to_date.benefits_realised, &|x| format::percent(x, 0)),
        "start" => (Some(i.start.days_since_epoch() as f64), i.start.to_string()),
        "end" => (Some(i.end.days_since_epoch() as f64), i.end.to_string()),
        _ => {
            if let Some(model) = key.strip_prefix("score:")
                && let Some(ms) = m.scores.iter().find(|x| x.model_id == model)
            {
                return match &ms.score {
                    vmo_core::analysis::Computed::Ok { value } => {
                        opt(Some(value.value), &|x| format::number(x, 2))
                    }
                    // "closed: not ranked", or what the model lacks.
                    vmo_core::analysis::Computed::Unavailable { reason } => (None, reason.clone()),
                };
            }
            (None, String::new())
        }
    }
}

fn matches(s: &Session, k: usize, q: &ExploreQuery, words: &[String]) -> bool {
    let i = s.initiative(k);
    if (!q.stage.is_empty() && i.stage != q.stage)
        || (!q.value_stream.is_empty() && i.value_stream != q.value_stream)
        || (!q.objective.is_empty() && !i.objectives.contains(&q.objective))
        || (!q.owner.is_empty() && i.owner != q.owner)
    {
        return false;
    }
    if words.is_empty() {
        return true;
    }
    let hay = [
        i.title.as_str(),
        i.id.as_str(),
        i.summary.as_str(),
        i.owner.as_str(),
        i.sponsor.as_str(),
        &i.tags.join(" "),
        &s.stage_name(&i.stage),
        &s.value_stream_name(&i.value_stream),
    ]
    .join("\n")
    .to_lowercase();
    words.iter().all(|w| hay.contains(w.as_str()))
}

/// The initiatives matching a query, sorted.
pub fn explore(s: &Session, q: &ExploreQuery) -> ExploreView {
    let words: Vec<String> = q.text.split_whitespace().map(str::to_lowercase).collect();
    let key = if q.sort.is_empty() {
        "title"
    } else {
        q.sort.as_str()
    };
    let mut hits: Vec<(usize, Option<f64>, String)> = (0..s.portfolio.initiatives.len())
        .filter(|&k| matches(s, k, q, &words))
        .map(|k| {
            let (v, t) = if key == "title" {
                (None, String::new())
            } else {
                metric(s, k, key)
            };
            (k, v, t)
        })
        .collect();
    let title = |k: usize| s.initiative(k).title.to_lowercase();
    hits.sort_by(|a, b| {
        let by_metric = match (a.1, b.1) {
            (Some(x), Some(y)) => {
                if q.desc {
                    y.total_cmp(&x)
                } else {
                    x.total_cmp(&y)
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        let by_title = if key == "title" && q.desc {
            title(b.0).cmp(&title(a.0))
        } else {
            title(a.0).cmp(&title(b.0))
        };
        by_metric.then(by_title).then(a.0.cmp(&b.0))
    });
    let metric_label = options(s)
        .sort_keys
        .into_iter()
        .find(|c| c.value == key)
        .map_or_else(String::new, |c| c.label);
    let cur = s.currency();
    let rows: Vec<ExploreRow> = hits
        .into_iter()
        .map(|(k, _, metric_text)| {
            let i = s.initiative(k);
            ExploreRow {
                id: i.id.clone(),
                title: i.title.clone(),
                url: s.url(k),
                summary: i.summary.clone(),
                stage: s.stage_name(&i.stage),
                value_stream: s.value_stream_name(&i.value_stream),
                owner: i.owner.clone(),
                npv_text: s.analysis.initiatives[k]
                    .business_case
                    .npv
                    .value()
                    .map_or_else(|| "n/a".into(), |x| format::money_short(*x, cur)),
                metric_text,
            }
        })
        .collect();
    ExploreView {
        total: s.portfolio.initiatives.len(),
        count: rows.len(),
        metric_label: if key == "title" {
            String::new()
        } else {
            metric_label
        },
        rows,
    }
}
