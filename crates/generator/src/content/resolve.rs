//! Resolution: raw files become a checked [`vmo_core::Portfolio`]. Every reference is
//! looked up here, once, and every problem is reported with its location.

use super::raw::*;
use crate::diagnostics::{Diagnostics, SourceText, did_you_mean};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use vmo_core::*;

/// The largest money amount a period may hold (10^15): far beyond any real budget, and
/// small enough that sums and present values of thousands of them stay finite.
pub const MAX_AMOUNT: f64 = 1e15;

/// Checks an id: lowercase ASCII letters, digits and single `-` between them.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
}

/// A suggested id for a name that is not valid.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Context shared by the checks of one file.
#[derive(Debug)]
pub struct Checker<'a> {
    pub file: &'a SourceText,
    /// Where the TOML being checked starts in the file.
    pub offset: usize,
    pub diags: &'a mut Diagnostics,
}

impl Checker<'_> {
    pub fn span(&self, s: &Range<usize>) -> Range<usize> {
        s.start + self.offset..s.end + self.offset
    }

    pub fn error(&mut self, s: &Range<usize>, msg: impl Into<String>, hint: Option<String>) {
        let span = self.span(s);
        self.diags.error(self.file, span, msg, hint);
    }

    pub fn warning(&mut self, s: &Range<usize>, msg: impl Into<String>, hint: Option<String>) {
        let span = self.span(s);
        self.diags.warning(self.file, span, msg, hint);
    }

    pub fn date(&mut self, v: &S<toml::value::Datetime>) -> Option<Date> {
        let dt = v.get_ref();
        match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => match Date::new(i32::from(d.year), d.month, d.day) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.error(&v.span(), e.to_string(), None);
                    None
                }
            },
            _ => {
                self.error(
                    &v.span(),
                    format!("`{dt}` is not a plain date"),
                    Some("write a date without time, like 2026-03-31".into()),
                );
                None
            }
        }
    }

    pub fn period(&mut self, cal: &Calendar, v: &S<String>) -> Option<Period> {
        match cal.parse(v.get_ref()) {
            Ok(p) => Some(p),
            Err(e) => {
                self.error(&v.span(), e, None);
                None
            }
        }
    }

    /// A finite number within `lo..=hi`.
    pub fn number(&mut self, v: &S<f64>, what: &str, lo: f64, hi: f64) -> Option<f64> {
        let x = *v.get_ref();
        if !x.is_finite() {
            self.error(&v.span(), format!("{what} must be a finite number"), None);
            None
        } else if x < lo || x > hi {
            let range = match (lo == f64::NEG_INFINITY, hi == f64::INFINITY) {
                (true, true) => "any finite number".to_string(),
                (false, true) if lo == f64::MIN_POSITIVE => "greater than 0".to_string(),
                (false, true) => format!("at least {lo}"),
                (true, false) => format!("at most {hi}"),
                (false, false) => format!("between {lo} and {hi}"),
            };
            self.error(
                &v.span(),
                format!("{what} is {x}, but must be {range}"),
                None,
            );
            None
        } else {
            Some(x)
        }
    }

    pub fn id(&mut self, v: &S<String>, what: &str) -> String {
        let id = v.get_ref();
        if !valid_id(id) {
            self.error(
                &v.span(),
                format!("`{id}` is not a valid {what} id"),
                Some(format!(
                    "use lowercase letters, digits and `-`, like `{}`",
                    slugify(id)
                )),
            );
        }
        id.clone()
    }

    /// Checks that `v` names one of `ids`, with a did-you-mean hint.
    pub fn reference(&mut self, v: &S<String>, ids: &[&str], what: &str) -> bool {
        let found = ids.contains(&v.get_ref().as_str());
        self.reference_found(v, found, || ids.to_vec(), what)
    }

    /// [`reference`](Self::reference) where the caller looked `v` up (in a sorted list or
    /// an index: one among thousands of initiatives); `ids` are listed only for the hint.
    pub fn reference_found<'b>(
        &mut self,
        v: &S<String>,
        found: bool,
        ids: impl FnOnce() -> Vec<&'b str>,
        what: &str,
    ) -> bool {
        if found {
            return true;
        }
        let hint = did_you_mean(v.get_ref(), &ids(), what);
        self.error(
            &v.span(),
            format!("unknown {what} `{}`", v.get_ref()),
            Some(hint),
        );
        false
    }

    fn unique<'b>(&mut self, ids: impl Iterator<Item = &'b S<String>>, what: &str) {
        let mut seen = BTreeSet::new();
        for id in ids {
            if !seen.insert(id.get_ref().as_str()) {
                self.error(
                    &id.span(),
                    format!("duplicate {what} id `{}`", id.get_ref()),
                    Some(format!(
                        "another {what} above has this id already: each needs its own"
                    )),
                );
            }
        }
    }

    /// A series of finite, non-negative amounts of at most [`MAX_AMOUNT`].
    fn amounts(&mut self, v: &S<Vec<S<f64>>>, what: &str) -> Vec<f64> {
        v.get_ref()
            .iter()
            .map(|x| {
                let amount = *x.get_ref();
                if amount < 0.0 {
                    self.error(
                        &x.span(),
                        format!("{what} is {amount}, but amounts cannot be negative"),
                        Some(
                            "write costs and benefits as positive amounts: money coming in is a \
                             benefit, money going out a cost"
                                .into(),
                        ),
                    );
                    return 0.0;
                }
                if amount > MAX_AMOUNT {
                    self.error(
                        &x.span(),
                        format!("{what} is {amount}, but amounts are limited to 10^15"),
                        Some("check the units: amounts are in the portfolio's currency".into()),
                    );
                    return 0.0;
                }
                self.number(x, what, 0.0, MAX_AMOUNT).unwrap_or(0.0)
            })
            .collect()
    }
}

/// Portfolio settings and the registries initiatives refer to. Always returns a
/// portfolio, so initiatives can be checked against it even when a setting is wrong.
pub fn resolve_portfolio(raw: RawPortfolio, c: &mut Checker<'_>) -> Option<Portfolio> {
    let month = *raw.calendar.fiscal_year_start_month.get_ref();
    if !(1..=12).contains(&month) {
        c.error(
            &raw.calendar.fiscal_year_start_month.span(),
            format!("fiscal_year_start_month is {month}, but must be 1 (January) to 12 (December)"),
            None,
        );
    }
    let calendar = Calendar {
        cadence: raw.calendar.cadence,
        fiscal_year_start_month: month.clamp(1, 12) as u8,
    };
    let currency = raw.currency.get_ref();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        c.error(
            &raw.currency.span(),
            format!("`{currency}` is not an ISO 4217 currency code"),
            Some("use three capital letters, like `EUR`, `USD` or `GBP`".into()),
        );
    }
    let as_of = c.date(&raw.as_of);
    let rate = c.number(
        &raw.finance.discount_rate,
        "discount_rate",
        -0.999_999,
        f64::INFINITY,
    );
    if rate.is_some_and(|r| r > 1.0) {
        c.warning(
            &raw.finance.discount_rate.span(),
            "discount_rate is above 100%",
            Some("rates are fractions: 8% is 0.08".into()),
        );
    }
    let base_period = c.period(&calendar, &raw.finance.base_period);
    let budget = raw.budget.as_ref().and_then(|b| {
        let start = c.period(&calendar, &b.start)?;
        let values = c.amounts(&b.amounts, "a budget amount");
        Some(PeriodSeries { start, values })
    });

    if raw.objectives.is_empty() {
        c.diags.error_in(
            &c.file.path,
            "no [[objectives]] are defined",
            Some("a portfolio needs at least one strategic objective".into()),
        );
    }
    if raw.value_streams.is_empty() {
        c.diags.error_in(
            &c.file.path,
            "no [[value_streams]] are defined",
            Some("a portfolio needs at least one value stream".into()),
        );
    }
    if raw.stages.is_empty() {
        c.diags.error_in(
            &c.file.path,
            "no [[stages]] are defined",
            Some("list the lifecycle stages in order".into()),
        );
    }
    if raw.models.is_empty() {
        c.diags.error_in(&c.file.path, "no [[models]] are defined", Some("add at least one prioritisation model: `kind = \"wsjf\"`, `\"rice\"` or `\"weighted\"`".into()));
    }
    c.unique(raw.objectives.iter().map(|o| &o.id), "objective");
    c.unique(raw.value_streams.iter().map(|o| &o.id), "value stream");
    c.unique(raw.stages.iter().map(|o| &o.id), "stage");
    c.unique(raw.criteria.iter().map(|o| &o.id), "criterion");
    c.unique(raw.models.iter().map(|o| &o.id), "model");

    let objectives = raw
        .objectives
        .iter()
        .map(|o| Objective {
            id: c.id(&o.id, "objective"),
            name: o.name.clone(),
            description: o.description.clone(),
            weight: c
                .number(
                    &o.weight,
                    "an objective's weight",
                    f64::MIN_POSITIVE,
                    f64::INFINITY,
                )
                .unwrap_or(1.0),
            owner: o.owner.clone(),
        })
        .collect();
    let value_streams = raw
        .value_streams
        .iter()
        .map(|v| ValueStream {
            id: c.id(&v.id, "value stream"),
            name: v.name.clone(),
            description: v.description.clone(),
            owner: v.owner.clone(),
        })
        .collect();
    let stages = raw
        .stages
        .iter()
        .map(|s| Stage {
            id: c.id(&s.id, "stage"),
            name: s.name.clone(),
            description: s.description.clone(),
            class: s.class,
        })
        .collect();
    let criteria: Vec<Criterion> = raw
        .criteria
        .iter()
        .map(|k| {
            let min = c
                .number(&k.min, "a criterion's min", f64::MIN, f64::MAX)
                .unwrap_or(0.0);
            let max = c
                .number(&k.max, "a criterion's max", f64::MIN, f64::MAX)
                .unwrap_or(1.0);
            if max <= min {
                c.error(
                    &k.max.span(),
                    format!("max ({max}) must be greater than min ({min})"),
                    None,
                );
            }
            Criterion {
                id: c.id(&k.id, "criterion"),
                name: k.name.clone(),
                description: k.description.clone(),
                min,
                max: if max > min { max } else { min + 1.0 },
                direction: k.direction,
            }
        })
        .collect();
    let criterion_ids: Vec<&str> = raw
        .criteria
        .iter()
        .map(|k| k.id.get_ref().as_str())
        .collect();
    let models = raw
        .models
        .iter()
        .map(|m| {
            let method = match (m.kind.get_ref(), &m.weights) {
                (RawMethod::Weighted, Some(w)) => {
                    let mut weights = Vec::new();
                    for (k, v) in w.get_ref() {
                        if !criterion_ids.contains(&k.as_str()) {
                            let hint = did_you_mean(k, &criterion_ids, "criterion");
                            c.error(
                                &w.span(),
                                format!(
                                    "model `{}` weights unknown criterion `{k}`",
                                    m.id.get_ref()
                                ),
                                Some(hint),
                            );
                            continue;
                        }
                        match v.as_float().or(v.as_integer().map(|i| i as f64)) {
                            Some(x) if x.is_finite() && x >= 0.0 => weights.push((k.clone(), x)),
                            _ => c.error(
                                &w.span(),
                                format!("the weight of `{k}` must be a number of at least 0"),
                                None,
                            ),
                        }
                    }
                    if weights.iter().map(|(_, x)| x).sum::<f64>() <= 0.0 {
                        c.error(
                            &w.span(),
                            format!("model `{}` has no positive weight", m.id.get_ref()),
                            Some("give at least one criterion a weight above 0".into()),
                        );
                    }
                    Method::Weighted { weights }
                }
                (RawMethod::Weighted, None) => {
                    c.error(
                        &m.kind.span(),
                        format!("weighted model `{}` has no weights", m.id.get_ref()),
                        Some("add `weights = { criterion-id = 40, ... }`".into()),
                    );
                    Method::Weighted {
                        weights: Vec::new(),
                    }
                }
                (kind, Some(w)) => {
                    c.error(
                        &w.span(),
                        format!(
                            "only weighted models take weights, and `{}` is {kind:?}",
                            m.id.get_ref()
                        ),
                        Some("remove `weights` or use `kind = \"weighted\"`".into()),
                    );
                    if *kind == RawMethod::Wsjf {
                        Method::Wsjf
                    } else {
                        Method::Rice
                    }
                }
                (RawMethod::Wsjf, None) => Method::Wsjf,
                (RawMethod::Rice, None) => Method::Rice,
            };
            PriorityModel {
                id: c.id(&m.id, "model"),
                name: m.name.clone(),
                description: m.description.clone(),
                method,
            }
        })
        .collect();

    Some(Portfolio {
        settings: Settings {
            title: raw.title.into_inner(),
            description: raw.description,
            organisation: raw.organisation,
            base_url: match &raw.base_url {
                None => "/".into(),
                Some(url) => super::base_url::check(url.get_ref()).unwrap_or_else(|why| {
                    c.error(
                        &url.span(),
                        format!("base_url: {why}"),
                        Some("the address the site is published at, such as \"https://vmo.example/\" or \"/portfolio/\"".into()),
                    );
                    "/".into()
                }),
            },
            currency: raw.currency.into_inner(),
            // Fallbacks keep the checks of every initiative going; the errors above
            // already fail the run.
            as_of: as_of.unwrap_or_else(|| Date::from_days_since_epoch(0)),
            calendar,
            discount_rate: rate.unwrap_or(0.0),
            discounting: raw.finance.discounting,
            base_period: base_period.unwrap_or(Period(2000)),
            budget,
        },
        objectives,
        value_streams,
        stages,
        criteria,
        models,
        initiatives: Vec::new(),
    })
}

/// One initiative, checked against the portfolio's registries.
pub fn resolve_initiative(
    id: &str,
    raw: &RawInitiative,
    p: &Portfolio,
    all_ids: &[&str],
    sorted_ids: &[&str],
    c: &mut Checker<'_>,
) -> Option<Initiative> {
    let stage_ids: Vec<&str> = p.stages.iter().map(|s| s.id.as_str()).collect();
    let vs_ids: Vec<&str> = p.value_streams.iter().map(|s| s.id.as_str()).collect();
    let obj_ids: Vec<&str> = p.objectives.iter().map(|s| s.id.as_str()).collect();
    let cal = p.settings.calendar;

    c.reference(&raw.stage, &stage_ids, "stage");
    c.reference(&raw.value_stream, &vs_ids, "value stream");
    if raw.objectives.get_ref().is_empty() {
        c.error(
            &raw.objectives.span(),
            "an initiative must serve at least one objective",
            Some(format!("add one of: {}", obj_ids.join(", "))),
        );
    }
    let mut seen = BTreeSet::new();
    for o in raw.objectives.get_ref() {
        c.reference(o, &obj_ids, "objective");
        if !seen.insert(o.get_ref()) {
            c.error(
                &o.span(),
                format!("objective `{}` is listed twice", o.get_ref()),
                None,
            );
        }
    }
    for (what, v) in [
        ("title", &raw.title),
        ("owner", &raw.owner),
        ("sponsor", &raw.sponsor),
    ] {
        if v.get_ref().trim().is_empty() {
            c.error(&v.span(), format!("the {what} is empty"), None);
        }
    }
    let start = c.date(&raw.start);
    let end = c.date(&raw.end);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        c.error(
            &raw.end.span(),
            format!("end ({e}) is before start ({s})"),
            None,
        );
    }
    let as_of = p.settings.as_of;
    if let Some(review) = &raw.next_review
        && let Some(due) = c.date(review)
        && due < as_of
    {
        c.warning(
            &review.span(),
            format!("stale figures: due for review on {due}, before the reporting date {as_of}"),
            Some("review the plan, actuals and scores, then move `next_review` forward".into()),
        );
    }

    let plan = cash_plan(c, &cal, &raw.plan, "plan");
    let actuals = raw.actuals.as_ref().and_then(|a| {
        let actual = cash_plan(c, &cal, a, "actuals")?;
        if let Some(plan) = &plan {
            if actual.start != plan.start {
                c.error(
                    &a.get_ref().start.span(),
                    format!(
                        "actuals start in {} but the plan starts in {}",
                        cal.label(actual.start),
                        cal.label(plan.start)
                    ),
                    Some(format!("use start = \"{}\"", cal.label(plan.start))),
                );
            } else if actual.cost.len() > plan.cost.len() {
                c.error(
                    &a.get_ref().cost.span(),
                    format!(
                        "actuals cover {} periods but the plan only {}",
                        actual.cost.len(),
                        plan.cost.len()
                    ),
                    Some("extend the plan to every period that has actuals".into()),
                );
            }
        }
        Some(actual)
    });
    if actuals.is_some()
        && p.stage(raw.stage.get_ref())
            .is_some_and(|s| s.class == StageClass::Proposed)
        && let Some(a) = &raw.actuals
    {
        c.warning(
            &a.span(),
            "a proposed initiative has actuals",
            Some("move it to a committed stage, or remove the actuals".into()),
        );
    }

    let uncertainty = Uncertainty {
        cost: range(c, raw.uncertainty.cost.as_ref(), "cost"),
        benefit: range(c, raw.uncertainty.benefit.as_ref(), "benefit"),
        delay: range(c, raw.uncertainty.delay.as_ref(), "delay"),
        distribution: raw.uncertainty.distribution,
    };

    let wsjf = raw.wsjf.as_ref().map(|w| {
        let w = w.get_ref();
        let f = |c: &mut Checker<'_>, v: &S<f64>, what: &str, lo: f64| {
            c.number(v, what, lo, f64::INFINITY).unwrap_or(1.0)
        };
        WsjfInputs {
            business_value: f(c, &w.business_value, "business_value", 0.0),
            time_criticality: f(c, &w.time_criticality, "time_criticality", 0.0),
            risk_reduction: f(c, &w.risk_reduction, "risk_reduction", 0.0),
            job_size: f(c, &w.job_size, "job_size", f64::MIN_POSITIVE),
        }
    });
    let rice = raw.rice.as_ref().map(|r| {
        let r = r.get_ref();
        RiceInputs {
            reach: c
                .number(&r.reach, "reach", 0.0, f64::INFINITY)
                .unwrap_or(0.0),
            impact: c
                .number(&r.impact, "impact", 0.0, f64::INFINITY)
                .unwrap_or(0.0),
            confidence: c
                .number(&r.confidence, "confidence", 0.0, 1.0)
                .unwrap_or(0.0),
            effort: c
                .number(&r.effort, "effort", f64::MIN_POSITIVE, f64::INFINITY)
                .unwrap_or(1.0),
        }
    });
    for m in &p.models {
        let missing = match &m.method {
            Method::Wsjf if wsjf.is_none() => Some("[wsjf]"),
            Method::Rice if rice.is_none() => Some("[rice]"),
            _ => None,
        };
        if let Some(table) = missing {
            c.error(
                &raw.title.span(),
                format!(
                    "model `{}` is in use but this initiative has no {table} inputs",
                    m.id
                ),
                Some(format!("add a {table} table: see docs/content-format.md")),
            );
        }
    }

    let mut criteria = BTreeMap::new();
    for (k, v) in &raw.criteria {
        let Some(crit) = p.criteria.iter().find(|x| &x.id == k.get_ref()) else {
            let ids: Vec<&str> = p.criteria.iter().map(|x| x.id.as_str()).collect();
            c.reference(k, &ids, "criterion");
            continue;
        };
        if let Some(x) = c.number(
            v,
            &format!("the score for `{}`", crit.id),
            crit.min,
            crit.max,
        ) {
            criteria.insert(crit.id.clone(), x);
        }
    }
    for m in &p.models {
        if let Method::Weighted { weights } = &m.method {
            for (cid, _) in weights {
                if !raw.criteria.keys().any(|k| k.get_ref() == cid) && !criteria.contains_key(cid) {
                    c.error(
                        &raw.title.span(),
                        format!("model `{}` needs a score for criterion `{cid}`", m.id),
                        Some(format!("add `{cid} = ...` under [criteria]")),
                    );
                }
            }
        }
    }

    let kpis = raw
        .kpis
        .iter()
        .map(|k| {
            let mut actuals: Vec<DatedValue> = k
                .actuals
                .iter()
                .filter_map(|a| {
                    let a = a.get_ref();
                    Some(DatedValue {
                        date: c.date(&a.date)?,
                        value: c.number(&a.value, "a KPI value", f64::MIN, f64::MAX)?,
                    })
                })
                .collect();
            actuals.sort_by_key(|a| a.date);
            Kpi {
                name: k.name.get_ref().clone(),
                unit: k.unit.clone(),
                direction: match k.direction {
                    RawKpiDirection::Increase => Direction::HigherIsBetter,
                    RawKpiDirection::Decrease => Direction::LowerIsBetter,
                },
                baseline: c
                    .number(&k.baseline, "baseline", f64::MIN, f64::MAX)
                    .unwrap_or(0.0),
                target: c
                    .number(&k.target, "target", f64::MIN, f64::MAX)
                    .unwrap_or(0.0),
                target_date: k.target_date.as_ref().and_then(|d| c.date(d)),
                actuals,
            }
        })
        .collect();
    let risks = raw
        .risks
        .iter()
        .map(|r| {
            let impact = *r.impact.get_ref();
            if !(1..=5).contains(&impact) {
                c.error(
                    &r.impact.span(),
                    format!("impact is {impact}, but must be 1 (minor) to 5 (severe)"),
                    None,
                );
            }
            Risk {
                title: r.title.get_ref().clone(),
                probability: c
                    .number(&r.probability, "probability", 0.0, 1.0)
                    .unwrap_or(0.0),
                impact: impact.clamp(1, 5) as u8,
                owner: r.owner.clone(),
                mitigation: r.mitigation.clone(),
                status: r.status,
            }
        })
        .collect();
    let milestones = raw
        .milestones
        .iter()
        .filter_map(|m| {
            Some(Milestone {
                name: m.name.get_ref().clone(),
                due: c.date(&m.due)?,
                done: match &m.done {
                    Some(d) => Some(c.date(d)?),
                    None => None,
                },
            })
        })
        .collect();

    let mut deps = Vec::new();
    for d in &raw.depends_on {
        if d.get_ref() == id {
            c.error(&d.span(), "an initiative cannot depend on itself", None);
        } else if c.reference_found(
            d,
            sorted_ids.binary_search(&d.get_ref().as_str()).is_ok(),
            || all_ids.to_vec(),
            "initiative",
        ) {
            if deps.contains(d.get_ref()) {
                c.error(
                    &d.span(),
                    format!("`{}` is listed twice", d.get_ref()),
                    None,
                );
            } else {
                deps.push(d.get_ref().clone());
            }
        }
    }

    Some(Initiative {
        id: id.to_string(),
        title: raw.title.get_ref().clone(),
        summary: raw.summary.clone(),
        kind: raw.kind,
        stage: raw.stage.get_ref().clone(),
        value_stream: raw.value_stream.get_ref().clone(),
        objectives: raw
            .objectives
            .get_ref()
            .iter()
            .map(|o| o.get_ref().clone())
            .collect(),
        owner: raw.owner.get_ref().clone(),
        sponsor: raw.sponsor.get_ref().clone(),
        start: start?,
        end: end?,
        health: raw.health,
        tags: raw.tags.clone(),
        plan: plan?,
        actuals,
        uncertainty,
        wsjf,
        rice,
        criteria,
        kpis,
        risks,
        milestones,
        depends_on: deps,
    })
}

fn cash_plan(
    c: &mut Checker<'_>,
    cal: &Calendar,
    raw: &S<RawCashPlan>,
    what: &str,
) -> Option<CashPlan> {
    let r = raw.get_ref();
    let start = c.period(cal, &r.start);
    let cost = c.amounts(&r.cost, "a cost");
    let benefit = c.amounts(&r.benefit, "a benefit");
    if cost.len() != benefit.len() {
        c.error(
            &r.benefit.span(),
            format!(
                "{what}.benefit has {} periods but {what}.cost has {}",
                benefit.len(),
                cost.len()
            ),
            Some("give both arrays one value per period, from the same start".into()),
        );
        return None;
    }
    if cost.is_empty() && what == "plan" {
        c.error(
            &raw.span(),
            "the plan has no periods",
            Some("add at least one period of cost and benefit".into()),
        );
        return None;
    }
    Some(CashPlan {
        start: start?,
        cost,
        benefit,
    })
}

fn range(c: &mut Checker<'_>, raw: Option<&S<RawRange>>, what: &str) -> Range3 {
    let default = if what == "delay" { 0.0 } else { 1.0 };
    let Some(r) = raw else {
        return Range3 {
            low: default,
            likely: default,
            high: default,
        };
    };
    let v = *r.get_ref();
    if ![v.low, v.likely, v.high]
        .iter()
        .all(|x| x.is_finite() && *x >= 0.0)
    {
        c.error(
            &r.span(),
            format!("the {what} range must be finite and not negative"),
            None,
        );
    } else if !(v.low <= v.likely && v.likely <= v.high) {
        c.error(
            &r.span(),
            format!(
                "the {what} range is not ordered: low {} <= likely {} <= high {} does not hold",
                v.low, v.likely, v.high
            ),
            None,
        );
    } else {
        return Range3 {
            low: v.low,
            likely: v.likely,
            high: v.high,
        };
    }
    Range3 {
        low: default,
        likely: default,
        high: default,
    }
}

/// Reports every dependency cycle once, spelled out, at the first edge of the cycle.
pub fn check_cycles(initiatives: &[Initiative], report: &mut dyn FnMut(&str, &str, String)) {
    let index: BTreeMap<&str, usize> = initiatives
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done
    let mut state = vec![0u8; initiatives.len()];
    let mut stack: Vec<usize> = Vec::new();
    fn visit(
        n: usize,
        all: &[Initiative],
        index: &BTreeMap<&str, usize>,
        state: &mut [u8],
        stack: &mut Vec<usize>,
        report: &mut dyn FnMut(&str, &str, String),
    ) {
        state[n] = 1;
        stack.push(n);
        for d in &all[n].depends_on {
            let Some(&m) = index.get(d.as_str()) else {
                continue;
            };
            match state[m] {
                0 => visit(m, all, index, state, stack, report),
                1 => {
                    let from = stack.iter().position(|&x| x == m).unwrap_or(0);
                    let mut names: Vec<&str> =
                        stack[from..].iter().map(|&x| all[x].id.as_str()).collect();
                    names.push(all[m].id.as_str());
                    report(&all[n].id, d, names.join(" → "));
                }
                _ => {}
            }
        }
        stack.pop();
        state[n] = 2;
    }
    for n in 0..initiatives.len() {
        if state[n] == 0 {
            visit(n, initiatives, &index, &mut state, &mut stack, report);
        }
    }
}
