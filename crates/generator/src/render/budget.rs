//! The prioritisation page's budget section: the value-maximising set of proposed
//! initiatives within the envelope, the same question with the budget cut by 20%, and
//! the efficient frontier.

use super::charts::{ChartView, DataTable, figure};
use super::format;
use super::views::SiteView;
use crate::route::Route;
use minijinja::{Value, context};
use vmo_core::budget::BudgetProblem;
use vmo_core::selection::FrontierPoint;

/// The proposals (unpinned items) of the budget selection in the order pages list them:
/// by NPV, highest first (then in the problem's order), computed once
/// ([`SiteView::budget_lists`]).
#[derive(Debug, Default)]
pub struct BudgetLists {
    /// Funded within the envelope.
    pub funded: Vec<usize>,
    /// Not funded.
    pub unfunded: Vec<usize>,
    /// Funded, but not with the budget cut by 20%.
    pub dropped: Vec<usize>,
}

impl BudgetLists {
    /// Whether a list is longer than the prioritisation page shows, so that every
    /// proposal has pages of its own.
    pub fn is_paged(&self) -> bool {
        [&self.funded, &self.unfunded, &self.dropped]
            .iter()
            .any(|l| l.len() > super::paging::BUDGET_TOP)
    }

    pub(super) fn new(v: &SiteView<'_>) -> BudgetLists {
        let Some(budget) = &v.analysis.budget else {
            return BudgetLists::default();
        };
        let Ok(sel) = &budget.selection else {
            return BudgetLists::default();
        };
        let problem = &budget.problem;
        let items = &problem.items;
        let mask = |chosen: &[usize]| {
            let mut m = vec![false; items.len()];
            for &n in chosen {
                m[n] = true;
            }
            m
        };
        let chosen = mask(&sel.chosen);
        let kept = budget
            .cut
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .map(|c| mask(&c.chosen));
        let mut proposed: Vec<usize> = (0..items.len()).filter(|&n| !items[n].pinned).collect();
        proposed.sort_by(|&a, &b| items[b].value.total_cmp(&items[a].value).then(a.cmp(&b)));
        let (funded, unfunded): (Vec<usize>, Vec<usize>) =
            proposed.into_iter().partition(|&n| chosen[n]);
        let dropped = kept.map_or_else(Vec::new, |kept| {
            funded.iter().copied().filter(|&n| !kept[n]).collect()
        });
        BudgetLists {
            funded,
            unfunded,
            dropped,
        }
    }
}

/// One proposal's row: its initiative, NPV, cost in the envelope and decision.
fn budget_row(v: &SiteView<'_>, problem: &BudgetProblem, n: usize, with_decision: bool) -> Value {
    let lists = v.budget_lists();
    let item = &problem.items[n];
    let r = &v.rows[problem.initiative[n]];
    let funded = lists
        .funded
        .binary_search_by(|&m| order(problem, m, n))
        .is_ok();
    let reason = if funded {
        ""
    } else if item.value <= 0.0 {
        "NPV not positive"
    } else {
        "does not fit the envelope with a better set"
    };
    let dropped = with_decision
        && lists
            .dropped
            .binary_search_by(|&m| order(problem, m, n))
            .is_ok();
    context! { title => r.title, href => r.href, npv => item.value, cost => item.cost.iter().sum::<f64>(), stage_name => r.stage_name, stage_class => r.stage_class, reason => reason, funded => funded, dropped => dropped }
}

/// The lists' order of items `a` and `b`.
fn order(problem: &BudgetProblem, a: usize, b: usize) -> std::cmp::Ordering {
    let items = &problem.items;
    items[b].value.total_cmp(&items[a].value).then(a.cmp(&b))
}

/// Page `n` (from 1) of every proposal: the funded, then the others, each by NPV.
pub fn budget_page(v: &SiteView<'_>, n: usize) -> Value {
    let Some(budget) = &v.analysis.budget else {
        return Value::UNDEFINED;
    };
    let lists = v.budget_lists();
    let total = lists.funded.len() + lists.unfunded.len();
    let size = super::paging::BUDGET_ROWS;
    let pager = super::paging::pager(Route::Budget(n), size, total);
    let rows: Vec<Value> = super::paging::rows(pager.page, size, total)
        .map(|k| {
            let n = lists
                .funded
                .get(k)
                .copied()
                .unwrap_or_else(|| lists.unfunded[k - lists.funded.len()]);
            budget_row(v, &budget.problem, n, true)
        })
        .collect();
    context! {
        rows => rows,
        pager => pager,
        funded_count => lists.funded.len(),
        unfunded_count => lists.unfunded.len(),
        dropped_count => lists.dropped.len(),
        cut => budget.cut.as_ref().is_some_and(|c| c.is_ok()),
    }
}

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
    let lists = v.budget_lists();
    let top = super::paging::BUDGET_TOP;
    let rows = |items: &[usize]| -> Vec<Value> {
        items[..items.len().min(top)]
            .iter()
            .map(|&n| budget_row(v, problem, n, false))
            .collect()
    };
    let funded = rows(&lists.funded);
    let unfunded = rows(&lists.unfunded);
    let dropped = rows(&lists.dropped);
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
        funded_count => lists.funded.len(),
        unfunded_count => lists.unfunded.len(),
        dropped_count => lists.dropped.len(),
        top => top,
        more => lists.is_paged().then(|| Route::Budget(1).path()),
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
