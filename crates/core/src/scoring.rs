//! Prioritisation scores: WSJF, RICE, weighted scoring, each with its breakdown, and the
//! ranking of a portfolio under a model.
//!
//! Every score carries the terms it was computed from and its formula, so a page can
//! explain a rank. Scores are absolute, never relative to the set being ranked: adding or
//! removing an initiative never changes another initiative's score.

use crate::model::{
    Criterion, Direction, Initiative, Method, PriorityModel, RiceInputs, WsjfInputs,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// One input of a score and what it contributed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreTerm {
    /// Human label, e.g. `Time criticality` or a criterion's name.
    pub label: String,
    /// The input as given (on its own scale).
    pub input: f64,
    /// The term's additive share of the score, when the score is a sum over terms
    /// (WSJF's numerator terms: `input / job size`; weighted scoring:
    /// `100 * weight * normalised / sum of weights`); the shares add up to the score.
    /// `None` for multiplicative factors and divisors (RICE, WSJF's job size).
    pub contribution: Option<f64>,
}

/// A score with its explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// The score (always finite).
    pub value: f64,
    pub terms: Vec<ScoreTerm>,
    /// The formula in words, e.g. `(business value + time criticality + risk reduction) / job size`.
    pub formula: String,
}

/// Why an initiative could not be scored.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum ScoreError {
    /// The initiative has no inputs for this kind of model (no `wsjf`/`rice` table).
    MissingInputs { method: &'static str },
    /// The initiative gives no score for a criterion the model weights.
    MissingCriterionScore { criterion: String },
    /// The model weights a criterion the portfolio does not define.
    UnknownCriterion { criterion: String },
    /// A divisor (job size, effort, a scale's span, the sum of weights) is zero.
    ZeroDenominator { what: String },
    /// An input is outside its allowed range (negative, or outside a criterion's
    /// scale), or not finite.
    OutOfRange { what: String, value: f64 },
    /// The result overflowed.
    NonFinite,
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::MissingInputs { method } => {
                write!(f, "the initiative has no {method} inputs")
            }
            ScoreError::MissingCriterionScore { criterion } => {
                write!(f, "the initiative has no score for criterion `{criterion}`")
            }
            ScoreError::UnknownCriterion { criterion } => {
                write!(f, "criterion `{criterion}` is not defined")
            }
            ScoreError::ZeroDenominator { what } => write!(f, "the {what} is zero"),
            ScoreError::OutOfRange { what, value } => {
                write!(f, "the {what} ({value}) is out of range")
            }
            ScoreError::NonFinite => f.write_str("the score is not a finite number"),
        }
    }
}

impl std::error::Error for ScoreError {}

fn non_negative(what: &str, value: f64) -> Result<f64, ScoreError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(ScoreError::OutOfRange {
            what: what.to_owned(),
            value,
        })
    }
}

fn positive_divisor(what: &str, value: f64) -> Result<f64, ScoreError> {
    if non_negative(what, value)? == 0.0 {
        Err(ScoreError::ZeroDenominator {
            what: what.to_owned(),
        })
    } else {
        Ok(value)
    }
}

fn finished(value: f64, terms: Vec<ScoreTerm>, formula: &str) -> Result<Score, ScoreError> {
    if !value.is_finite()
        || terms
            .iter()
            .any(|t| t.contribution.is_some_and(|c| !c.is_finite()))
    {
        return Err(ScoreError::NonFinite);
    }
    Ok(Score {
        value,
        terms,
        formula: formula.to_owned(),
    })
}

/// SAFe Weighted Shortest Job First:
/// `(business value + time criticality + risk reduction) / job size`.
/// Inputs must be non-negative; job size positive.
pub fn wsjf(inputs: &WsjfInputs) -> Result<Score, ScoreError> {
    let numerator = [
        ("Business value", inputs.business_value),
        ("Time criticality", inputs.time_criticality),
        (
            "Risk reduction / opportunity enablement",
            inputs.risk_reduction,
        ),
    ];
    for (label, v) in numerator {
        non_negative(label, v)?;
    }
    let size = positive_divisor("job size", inputs.job_size)?;
    let cost_of_delay: f64 = numerator.iter().map(|(_, v)| v).sum();
    let mut terms: Vec<ScoreTerm> = numerator
        .iter()
        .map(|&(label, v)| ScoreTerm {
            label: label.to_owned(),
            input: v,
            contribution: Some(v / size),
        })
        .collect();
    terms.push(ScoreTerm {
        label: "Job size".to_owned(),
        input: size,
        contribution: None,
    });
    finished(
        cost_of_delay / size,
        terms,
        "(business value + time criticality + risk reduction) / job size",
    )
}

/// Intercom RICE: `reach * impact * confidence / effort`, confidence as a fraction
/// (0.8 = 80%). Inputs must be non-negative; effort positive.
pub fn rice(inputs: &RiceInputs) -> Result<Score, ScoreError> {
    let reach = non_negative("reach", inputs.reach)?;
    let impact = non_negative("impact", inputs.impact)?;
    let confidence = non_negative("confidence", inputs.confidence)?;
    let effort = positive_divisor("effort", inputs.effort)?;
    let term = |label: &str, input: f64| ScoreTerm {
        label: label.to_owned(),
        input,
        contribution: None,
    };
    finished(
        reach * impact * confidence / effort,
        vec![
            term("Reach", reach),
            term("Impact", impact),
            term("Confidence", confidence),
            term("Effort", effort),
        ],
        "reach × impact × confidence / effort",
    )
}

/// A score on a criterion's declared scale, normalised to 0..=1: `(x - min) / (max -
/// min)`, or `(max - x) / (max - min)` when lower is better. The scale is the one the
/// portfolio declares, not the spread of the scores given, so the result does not depend
/// on which other initiatives are in the set.
pub fn normalise(criterion: &Criterion, x: f64) -> Result<f64, ScoreError> {
    let (lo, hi) = (criterion.min, criterion.max);
    let span = hi - lo;
    if !span.is_finite() || !lo.is_finite() || span < 0.0 {
        return Err(ScoreError::OutOfRange {
            what: format!("scale of criterion `{}`", criterion.id),
            value: span,
        });
    }
    if span == 0.0 {
        return Err(ScoreError::ZeroDenominator {
            what: format!("span of criterion `{}`'s scale", criterion.id),
        });
    }
    if !x.is_finite() || x < lo || x > hi {
        return Err(ScoreError::OutOfRange {
            what: format!("score for criterion `{}`", criterion.id),
            value: x,
        });
    }
    let n = (x - lo) / span;
    Ok(match criterion.direction {
        Direction::HigherIsBetter => n,
        Direction::LowerIsBetter => 1.0 - n,
    })
}

/// Weighted scoring: `100 * sum(weight * normalised score) / sum(weights)`, in 0..=100,
/// with each score normalised by its criterion's declared scale (see [`normalise`]).
/// Weights must be non-negative with a positive sum.
pub fn weighted(
    scores: &BTreeMap<String, f64>,
    weights: &[(String, f64)],
    criteria: &[Criterion],
) -> Result<Score, ScoreError> {
    let mut total_weight = 0.0;
    for (id, w) in weights {
        total_weight += non_negative(&format!("weight of criterion `{id}`"), *w)?;
    }
    positive_divisor("sum of criteria weights", total_weight)?;
    let mut terms = Vec::with_capacity(weights.len());
    let mut value = 0.0;
    for (id, w) in weights {
        let criterion =
            criteria
                .iter()
                .find(|c| &c.id == id)
                .ok_or_else(|| ScoreError::UnknownCriterion {
                    criterion: id.clone(),
                })?;
        let x = *scores
            .get(id)
            .ok_or_else(|| ScoreError::MissingCriterionScore {
                criterion: id.clone(),
            })?;
        let share = 100.0 * w * normalise(criterion, x)? / total_weight;
        value += share;
        terms.push(ScoreTerm {
            label: criterion.name.clone(),
            input: x,
            contribution: Some(share),
        });
    }
    finished(
        value,
        terms,
        "100 × Σ(weight × score normalised to its scale) / Σ weights",
    )
}

/// The score of an initiative under a model.
pub fn score(
    model: &PriorityModel,
    initiative: &Initiative,
    criteria: &[Criterion],
) -> Result<Score, ScoreError> {
    match &model.method {
        Method::Wsjf => wsjf(
            initiative
                .wsjf
                .as_ref()
                .ok_or(ScoreError::MissingInputs { method: "WSJF" })?,
        ),
        Method::Rice => rice(
            initiative
                .rice
                .as_ref()
                .ok_or(ScoreError::MissingInputs { method: "RICE" })?,
        ),
        Method::Weighted { weights } => {
            if initiative.criteria.is_empty() {
                return Err(ScoreError::MissingInputs {
                    method: "weighted scoring",
                });
            }
            weighted(&initiative.criteria, weights, criteria)
        }
    }
}

/// A scored initiative in a ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    /// Index into the initiatives slice that was ranked.
    pub index: usize,
    /// 1-based position.
    pub rank: usize,
    pub score: Score,
}

/// An initiative left out of a ranking, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unscored {
    pub index: usize,
    pub reason: ScoreError,
}

/// A portfolio ranked under one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    pub model_id: String,
    /// By descending score; equal scores by ascending initiative id, so ranks are
    /// distinct and deterministic.
    pub ranked: Vec<Ranked>,
    /// Initiatives that could not be scored (missing inputs, invalid inputs), by id.
    pub unscored: Vec<Unscored>,
}

/// Ranks initiatives under a model: scored ones by descending score (ties by id), then
/// the unscored ones by id.
pub fn rank<I: std::borrow::Borrow<Initiative>>(
    model: &PriorityModel,
    initiatives: &[I],
    criteria: &[Criterion],
) -> Ranking {
    let mut ranked = Vec::new();
    let mut unscored = Vec::new();
    for (index, initiative) in initiatives.iter().enumerate() {
        match score(model, initiative.borrow(), criteria) {
            Ok(score) => ranked.push(Ranked {
                index,
                rank: 0,
                score,
            }),
            Err(reason) => unscored.push(Unscored { index, reason }),
        }
    }
    let id = |i: usize| initiatives[i].borrow().id.as_str();
    ranked.sort_by(|a, b| {
        b.score
            .value
            .total_cmp(&a.score.value)
            .then_with(|| id(a.index).cmp(id(b.index)))
            .then_with(|| a.index.cmp(&b.index))
    });
    for (k, r) in ranked.iter_mut().enumerate() {
        r.rank = k + 1;
    }
    unscored.sort_by(|a, b| id(a.index).cmp(id(b.index)).then(a.index.cmp(&b.index)));
    Ranking {
        model_id: model.id.clone(),
        ranked,
        unscored,
    }
}

/// CD3, Cost of Delay Divided by Duration (Black Swan Farming):
/// `cost of delay per period / duration in periods`.
///
/// The cost of delay is the value lost for every period the job is not delivered (money
/// or any other unit per period); the duration is how many periods the job occupies the
/// team. Scheduling jobs by descending CD3 minimises the total cost of delay of a
/// sequence on one team (see [`sequence_cost_of_delay`]). The cost of delay must be
/// non-negative, the duration positive.
pub fn cd3(cost_of_delay_per_period: f64, duration_periods: f64) -> Result<Score, ScoreError> {
    let cod = non_negative("cost of delay per period", cost_of_delay_per_period)?;
    let duration = positive_divisor("duration", duration_periods)?;
    finished(
        cod / duration,
        vec![
            ScoreTerm {
                label: "Cost of delay per period".to_owned(),
                input: cod,
                contribution: None,
            },
            ScoreTerm {
                label: "Duration (periods)".to_owned(),
                input: duration,
                contribution: None,
            },
        ],
        "cost of delay per period / duration",
    )
}

/// A job to schedule on one team: what each period of waiting costs, and how long it
/// takes once started.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DelayJob {
    /// Value lost per period until the job is delivered (non-negative).
    pub cost_of_delay_per_period: f64,
    /// Periods of work (non-negative; zero is delivered the moment it starts).
    pub duration_periods: f64,
}

/// The cost of delay of a sequence of jobs done one after another, from time 0.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SequenceDelay {
    /// When each job is delivered (in the order given): the sum of the durations up to
    /// and including it.
    pub finish: Vec<f64>,
    /// Each job's cost of delay: `cost of delay per period * finish`.
    pub cost_of_delay: Vec<f64>,
    /// The sum of `cost_of_delay`: the value lost, compared with having every job
    /// delivered at time 0.
    pub total: f64,
}

fn check_jobs(jobs: &[DelayJob]) -> Result<(), ScoreError> {
    for j in jobs {
        non_negative("cost of delay per period", j.cost_of_delay_per_period)?;
        non_negative("duration", j.duration_periods)?;
    }
    Ok(())
}

/// The total cost of delay of doing `jobs` in the order given, one at a time from time
/// 0: `Σ cost_of_delay_i × finish_i`.
///
/// Black Swan Farming's example (A: 10 per week for 2 weeks, B: 30 per week for 4
/// weeks): A then B loses `10 × 2 + 30 × 6 = 200`, B then A `30 × 4 + 10 × 6 = 180`, so
/// B (CD3 7.5) goes before A (CD3 5).
pub fn sequence_cost_of_delay(jobs: &[DelayJob]) -> Result<SequenceDelay, ScoreError> {
    check_jobs(jobs)?;
    let mut t = 0.0;
    let mut finish = Vec::with_capacity(jobs.len());
    let mut cost_of_delay = Vec::with_capacity(jobs.len());
    let mut total = 0.0;
    for j in jobs {
        t += j.duration_periods;
        let c = j.cost_of_delay_per_period * t;
        total += c;
        finish.push(t);
        cost_of_delay.push(c);
    }
    if !total.is_finite() || !t.is_finite() {
        return Err(ScoreError::NonFinite);
    }
    Ok(SequenceDelay {
        finish,
        cost_of_delay,
        total,
    })
}

/// The value the jobs deliver by `horizon` when done in the order given: each job earns
/// its cost of delay per period from its finish to the horizon,
/// `Σ cost_of_delay_i × max(0, horizon - finish_i)`. Over a horizon by which every job
/// is done, this plus [`sequence_cost_of_delay`] is `horizon × Σ cost_of_delay_i`.
pub fn value_delivered_by(jobs: &[DelayJob], horizon: f64) -> Result<f64, ScoreError> {
    let horizon = non_negative("horizon", horizon)?;
    let seq = sequence_cost_of_delay(jobs)?;
    let v: f64 = jobs
        .iter()
        .zip(&seq.finish)
        .map(|(j, f)| j.cost_of_delay_per_period * (horizon - f).max(0.0))
        .sum();
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ScoreError::NonFinite)
    }
}

/// The order that minimises the total cost of delay on one team: by descending CD3
/// (`cost of delay / duration`), ties by input order. Zero-duration jobs with a cost of
/// delay come first (their CD3 is unbounded); jobs without cost of delay last. Returns
/// indices into `jobs`.
pub fn cd3_order(jobs: &[DelayJob]) -> Result<Vec<usize>, ScoreError> {
    check_jobs(jobs)?;
    // Group 0: delivered instantly with a cost of delay (unbounded CD3); group 1: the
    // rest with a cost of delay, by descending CD3; group 2: no cost of delay.
    let key = |j: &DelayJob| match (j.cost_of_delay_per_period > 0.0, j.duration_periods > 0.0) {
        (true, false) => (0u8, 0.0),
        (true, true) => (1, j.cost_of_delay_per_period / j.duration_periods),
        (false, _) => (2, 0.0),
    };
    let mut keyed: Vec<(u8, f64, usize)> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| {
            let (g, r) = key(j);
            (g, r, i)
        })
        .collect();
    keyed.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
    let order = keyed.into_iter().map(|k| k.2).collect();
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rice_intercom_examples() {
        // docs/references.md (Intercom RICE): 450 x 3 x 100% / 2 = 675.
        let s = rice(&RiceInputs {
            reach: 450.0,
            impact: 3.0,
            confidence: 1.0,
            effort: 2.0,
        })
        .unwrap();
        assert_eq!(s.value, 675.0);
        assert_eq!(s.terms.len(), 4);
        // timeclick-software/awesome-time-tracking details/rice-framework.md:
        // 2000 x 2 x 80% / 4 = 800.
        let s = rice(&RiceInputs {
            reach: 2000.0,
            impact: 2.0,
            confidence: 0.8,
            effort: 4.0,
        })
        .unwrap();
        assert!((s.value - 800.0).abs() < 1e-9);
        let zero = RiceInputs {
            reach: 1.0,
            impact: 1.0,
            confidence: 1.0,
            effort: 0.0,
        };
        assert!(matches!(
            rice(&zero),
            Err(ScoreError::ZeroDenominator { .. })
        ));
    }

    #[test]
    fn wsjf_breakdown_adds_up() {
        // novacalculator.com WSJF worked example: Security Patch (5 + 9 + 8) / 2 = 11.
        let s = wsjf(&WsjfInputs {
            business_value: 5.0,
            time_criticality: 9.0,
            risk_reduction: 8.0,
            job_size: 2.0,
        })
        .unwrap();
        assert_eq!(s.value, 11.0);
        let sum: f64 = s.terms.iter().filter_map(|t| t.contribution).sum();
        assert_eq!(sum, 11.0);
        assert_eq!(s.terms[3].contribution, None);
        let neg = WsjfInputs {
            business_value: -1.0,
            time_criticality: 1.0,
            risk_reduction: 1.0,
            job_size: 1.0,
        };
        assert!(matches!(wsjf(&neg), Err(ScoreError::OutOfRange { .. })));
    }

    fn criterion(id: &str, min: f64, max: f64, direction: Direction) -> Criterion {
        Criterion {
            id: id.to_owned(),
            name: id.to_uppercase(),
            description: String::new(),
            min,
            max,
            direction,
        }
    }

    #[test]
    fn weighted_normalises_by_declared_scale() {
        let criteria = [
            criterion("value", 0.0, 10.0, Direction::HigherIsBetter),
            criterion("cost", 1.0, 5.0, Direction::LowerIsBetter),
        ];
        let weights = vec![("value".to_owned(), 3.0), ("cost".to_owned(), 1.0)];
        let scores = BTreeMap::from([("value".to_owned(), 5.0), ("cost".to_owned(), 2.0)]);
        // value 0.5 (weight 3), cost (5 - 2) / 4 = 0.75 (weight 1): 100 * 2.25 / 4.
        let s = weighted(&scores, &weights, &criteria).unwrap();
        assert_eq!(s.value, 56.25);
        let sum: f64 = s.terms.iter().filter_map(|t| t.contribution).sum();
        assert_eq!(sum, 56.25);
        // Out of the declared scale, missing, unknown, zero weights: typed errors.
        let high = BTreeMap::from([("value".to_owned(), 11.0), ("cost".to_owned(), 2.0)]);
        assert!(matches!(
            weighted(&high, &weights, &criteria),
            Err(ScoreError::OutOfRange { .. })
        ));
        let missing = BTreeMap::from([("value".to_owned(), 1.0)]);
        assert_eq!(
            weighted(&missing, &weights, &criteria),
            Err(ScoreError::MissingCriterionScore {
                criterion: "cost".to_owned()
            })
        );
        let unknown = vec![("speed".to_owned(), 1.0)];
        assert!(matches!(
            weighted(&scores, &unknown, &criteria),
            Err(ScoreError::UnknownCriterion { .. })
        ));
        let zero = vec![("value".to_owned(), 0.0)];
        assert!(matches!(
            weighted(&scores, &zero, &criteria),
            Err(ScoreError::ZeroDenominator { .. })
        ));
    }
}
