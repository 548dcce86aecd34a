//! The dashboard's decisions: what the budget funds and what drops at a 20% cut, the
//! work in flight off its plan (by the one rule of [`vmo_core::variance`]), and the
//! figures that are stale. Each list is bounded; the links lead to the detail.

use super::format;
use super::views::SiteView;
use crate::route::Route;
use minijinja::{Value, context};
use vmo_core::variance::{Rag, TOLERANCES};

/// Initiatives each list of the decisions shows.
pub const DECISION_ROWS: usize = 5;

/// Initiatives off plan (red or amber) and stale ones the dashboard lists.
pub const OFF_PLAN_ROWS: usize = 10;

/// The decisions section's context.
pub fn decisions_view(v: &SiteView<'_>) -> Value {
    context! {
        budget => funding(v),
        variance => off_plan(v),
    }
}

/// What the budget funds: the selection's value, its count, its largest proposals and
/// what a 20% cut drops (or undefined without a budget).
fn funding(v: &SiteView<'_>) -> Value {
    let Some(budget) = &v.analysis.budget else {
        return Value::UNDEFINED;
    };
    let sel = match &budget.selection {
        Ok(s) => s,
        Err(e) => return context! { error => e },
    };
    let problem = &budget.problem;
    let lists = v.budget_lists();
    let cal = &v.content.portfolio.settings.calendar;
    let row = |n: usize| {
        let r = &v.rows[problem.initiative[n]];
        context! { title => r.title, href => r.href, npv => problem.items[n].value, health => r.health }
    };
    let top =
        |l: &[usize]| -> Vec<Value> { l.iter().take(DECISION_ROWS).map(|&n| row(n)).collect() };
    let cut = budget.cut.as_ref().and_then(|r| r.as_ref().ok());
    context! {
        value => sel.value,
        funded => top(&lists.funded),
        funded_count => lists.funded.len(),
        proposals => lists.funded.len() + lists.unfunded.len(),
        dropped => top(&lists.dropped),
        dropped_count => lists.dropped.len(),
        cut_value => cut.map(|c| c.value),
        first => problem.periods.first().map(|x| cal.label(*x)),
        last => problem.periods.last().map(|x| cal.label(*x)),
        all => lists.is_paged().then(|| Route::Budget(1).path()),
    }
}

/// Work in flight against its plan: the counts by rating, the red and amber ones (red
/// first, then by the cost planned to date, largest first), and the stale figures.
fn off_plan(v: &SiteView<'_>) -> Value {
    let p = &v.content.portfolio;
    let metrics = &v.analysis.metrics.initiatives;
    let cal = &p.settings.calendar;
    let cur = &p.settings.currency;
    let rated: Vec<usize> = (0..metrics.len())
        .filter(|&k| metrics[k].plan_variance.is_some())
        .collect();
    let rating = |k: usize| {
        metrics[k]
            .plan_variance
            .as_ref()
            .map_or(Rag::Green, |x| x.overall)
    };
    let count = |r: Rag| rated.iter().filter(|&&k| rating(k) == r).count();
    let mut off: Vec<usize> = rated
        .iter()
        .copied()
        .filter(|&k| rating(k) != Rag::Green)
        .collect();
    off.sort_by(|&a, &b| {
        rating(b).cmp(&rating(a)).then(
            metrics[b]
                .to_date
                .planned_cost
                .total_cmp(&metrics[a].to_date.planned_cost),
        )
    });
    let rows: Vec<Value> = off
        .iter()
        .take(OFF_PLAN_ROWS)
        .filter_map(|&k| {
            let x = metrics[k].plan_variance.as_ref()?;
            let r = &v.rows[k];
            let d = &metrics[k].to_date;
            Some(context! {
                title => r.title, href => r.href, stage_name => r.stage_name, stage_class => r.stage_class,
                overall => x.overall.label(),
                cost => x.cost.label(), cost_text => vmo_explain::variance::cost(x),
                spent => format::money_short(d.actual_cost, cur),
                benefits => x.benefits.label(), benefits_text => vmo_explain::variance::benefits(x),
                dates => x.dates.label(), dates_text => vmo_explain::variance::dates(x),
                stale => !x.stale.is_empty(),
            })
        })
        .collect();
    let stale_all: Vec<(usize, String)> = rated
        .iter()
        .filter_map(|&k| {
            let x = metrics[k].plan_variance.as_ref()?;
            (!x.stale.is_empty()).then(|| {
                let text: Vec<String> = x
                    .stale
                    .iter()
                    .map(|s| vmo_explain::variance::stale(s, cal))
                    .collect();
                (k, text.join("; "))
            })
        })
        .collect();
    let stale: Vec<Value> = stale_all
        .iter()
        .take(OFF_PLAN_ROWS)
        .map(|(k, text)| context! { title => v.rows[*k].title, href => v.rows[*k].href, text => text })
        .collect();
    context! {
        rated => rated.len(),
        red => count(Rag::Red),
        amber => count(Rag::Amber),
        green => count(Rag::Green),
        rows => rows,
        off_count => off.len(),
        stale => stale,
        stale_count => stale_all.len(),
        rule => vmo_explain::variance::rule(&TOLERANCES),
        as_of => p.settings.as_of.to_string(),
    }
}

/// Initiative `k` against its plan to date, for its page (undefined when it is not in
/// flight).
pub fn plan_view(v: &SiteView<'_>, k: usize) -> Value {
    let Some(x) = v.analysis.metrics.initiatives[k].plan_variance.as_ref() else {
        return Value::UNDEFINED;
    };
    let cal = &v.content.portfolio.settings.calendar;
    let stale: Vec<String> = x
        .stale
        .iter()
        .map(|s| vmo_explain::variance::stale(s, cal))
        .collect();
    context! {
        overall => x.overall.label(),
        cost => x.cost.label(), cost_text => vmo_explain::variance::cost(x),
        benefits => x.benefits.label(), benefits_text => vmo_explain::variance::benefits(x),
        dates => x.dates.label(), dates_text => vmo_explain::variance::dates(x),
        stale => stale,
    }
}
