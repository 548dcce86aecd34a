//! The prioritisation page's budget section: the value-maximising set of proposed
//! initiatives within the envelope, the same question with the budget cut by 20%, and
//! the efficient frontier.

use super::charts::{ChartView, DataTable, figure};
use super::format;
use super::views::SiteView;
use minijinja::{Value, context};
use vmo_core::selection::FrontierPoint;

/// The budget section's context (stage 3's selection), or undefined when the portfolio
/// sets no budget.
pub fn budget_view(v: &SiteView<'_>) -> Value {
    let p = &v.content.portfolio;
    let cur = &p.settings.currency;
    let Some(budget) = &v.analysis.budget else {
        return Value::UNDEFINED;
    };
    let problem = &budget.problem;
    let sel = match &budget.selection {
        Ok(s) => s,
        Err(e) => return context! { error => e },
    };
    let cut = budget.cut.as_ref().and_then(|r| r.as_ref().ok());
    let cal = &p.settings.calendar;
    let proposed: Vec<usize> = (0..problem.items.len())
        .filter(|&n| !problem.items[n].pinned)
        .collect();
    let row = |n: usize, reason: &str| {
        let k = problem.initiative[n];
        let r = &v.rows[k];
        context! { title => r.title, href => r.href, npv => problem.items[n].value, cost => problem.items[n].cost.iter().sum::<f64>(), stage_name => r.stage_name, reason => reason }
    };
    let funded: Vec<Value> = proposed
        .iter()
        .filter(|n| sel.chosen.contains(n))
        .map(|&n| row(n, ""))
        .collect();
    let unfunded: Vec<Value> = proposed
        .iter()
        .filter(|n| !sel.chosen.contains(n))
        .map(|&n| {
            let reason = if problem.items[n].value <= 0.0 {
                "NPV not positive"
            } else {
                "does not fit the envelope with a better set"
            };
            row(n, reason)
        })
        .collect();
    let dropped: Vec<Value> = cut
        .as_ref()
        .map(|c| {
            proposed
                .iter()
                .filter(|n| sel.chosen.contains(n) && !c.chosen.contains(n))
                .map(|&n| row(n, ""))
                .collect()
        })
        .unwrap_or_default();
    let pinned_cost = problem.pinned_cost();
    let periods: Vec<Value> = problem
        .periods
        .iter()
        .enumerate()
        .map(|(n, per)| {
            let pinned = pinned_cost[n];
            context! { label => cal.label(*per), budget => problem.budget[n], committed => pinned, selected => sel.cost[n], headroom => problem.budget[n] - sel.cost[n], over => pinned > problem.budget[n] }
        })
        .collect();
    // Periods that funded work alone over-commits, in words and amounts.
    let over: Vec<String> = problem
        .periods
        .iter()
        .zip(&pinned_cost)
        .zip(&problem.budget)
        .filter(|((_, c), b)| !vmo_core::selection::fits(**c, **b))
        .map(|((per, c), b)| {
            format!(
                "{} by {} ({} committed against an envelope of {})",
                cal.label(*per),
                format::money_short(c - b, cur),
                format::money_short(*c, cur),
                format::money_short(*b, cur)
            )
        })
        .collect();
    context! {
        over => over,
        funded => funded,
        unfunded => unfunded,
        dropped => dropped,
        cut_value => cut.as_ref().map(|c| c.value),
        value => sel.value,
        optimality => sel.describe(|x| format::money(x, cur)),
        periods => periods,
        first => problem.periods.first().map(|x| cal.label(*x)),
        last => problem.periods.last().map(|x| cal.label(*x)),
        frontier => budget.frontier.as_ref().and_then(|points| frontier_chart(points, problem, cur)),
    }
}

fn frontier_chart(
    points: &[FrontierPoint],
    problem: &vmo_core::budget::BudgetProblem,
    cur: &str,
) -> Option<ChartView> {
    let envelope: f64 = problem.budget.iter().sum();
    let fig =
        vmo_explain::frontier::frontier(points, envelope, cur, vmo_explain::frontier::Measure::Npv);
    let svg = fig.svg("frontier");
    let table = DataTable {
        head: fig.head,
        rows: fig.rows,
    };
    Some(figure(&fig.title, svg, &table).explained("selection"))
}
