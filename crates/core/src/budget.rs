//! The portfolio's budget question, posed once for the pages and the widgets: which
//! proposed initiatives to fund within the budget envelope left by the work already
//! funded.
//!
//! Conventions: committed and operating initiatives are pinned (they are funded);
//! closed ones take no part; proposed ones compete. An initiative's value is its NPV
//! (0 when the NPV cannot be computed) and its cost is its planned cost in each period
//! of the budget envelope. Dependencies on closed initiatives are ignored (the work is
//! done or stopped); a dependency on a proposed initiative means both or neither.

use crate::Period;
use crate::analysis::PortfolioAnalysis;
use crate::model::{Portfolio, StageClass};
use crate::selection::Item;
use serde::Serialize;

/// The inputs of the budget selection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BudgetProblem {
    /// One item per initiative that is not closed.
    pub items: Vec<Item>,
    /// The initiative index (in `Portfolio::initiatives`) of each item.
    pub initiative: Vec<usize>,
    /// The periods of the envelope.
    pub periods: Vec<Period>,
    /// The envelope per period, scaled.
    pub budget: Vec<f64>,
}

impl BudgetProblem {
    /// Planned cost of the pinned (funded) items in each period.
    pub fn pinned_cost(&self) -> Vec<f64> {
        (0..self.budget.len())
            .map(|n| {
                self.items
                    .iter()
                    .filter(|i| i.pinned)
                    .map(|i| i.cost[n])
                    .sum()
            })
            .collect()
    }

    /// The budget the selection works with: the envelope, raised to the cost of funded
    /// work in a period that funded work alone over-commits (nothing else can be added
    /// that period; the pages show the over-commitment).
    pub fn effective_budget(&self) -> Vec<f64> {
        self.budget
            .iter()
            .zip(self.pinned_cost())
            .map(|(b, p)| b.max(p))
            .collect()
    }
}

/// The budget problem at `scale` × the envelope (1.0 = as set; 0.8 = cut by 20%), or
/// `None` when the portfolio sets no budget.
pub fn budget_problem(p: &Portfolio, a: &PortfolioAnalysis, scale: f64) -> Option<BudgetProblem> {
    let envelope = p.settings.budget.as_ref()?;
    let periods: Vec<Period> = (0..envelope.values.len())
        .map(|k| Period(envelope.start.0 + k as i32))
        .collect();
    let mut initiative = Vec::new();
    let mut index_of = vec![None; p.initiatives.len()];
    for (k, i) in p.initiatives.iter().enumerate() {
        let class = p.stage(&i.stage).map(|s| s.class);
        if class != Some(StageClass::Closed) {
            index_of[k] = Some(initiative.len());
            initiative.push(k);
        }
    }
    let items = initiative
        .iter()
        .map(|&k| {
            let i = &p.initiatives[k];
            let class = p.stage(&i.stage).map(|s| s.class);
            let cost = periods
                .iter()
                .map(|&per| {
                    usize::try_from(per.0 - i.plan.start.0)
                        .ok()
                        .and_then(|n| i.plan.cost.get(n).copied())
                        .unwrap_or(0.0)
                })
                .collect();
            Item {
                id: i.id.clone(),
                value: a
                    .initiatives
                    .get(k)
                    .and_then(|m| m.business_case.npv.value().copied())
                    .unwrap_or(0.0),
                cost,
                pinned: matches!(class, Some(StageClass::Committed | StageClass::Operating)),
                excluded: false,
                depends_on: i
                    .depends_on
                    .iter()
                    .filter_map(|d| p.initiatives.iter().position(|x| &x.id == d))
                    .filter_map(|j| index_of[j])
                    .collect(),
            }
        })
        .collect();
    let scale = if scale.is_finite() && scale >= 0.0 {
        scale
    } else {
        1.0
    };
    Some(BudgetProblem {
        items,
        initiative,
        periods,
        budget: envelope.values.iter().map(|b| b * scale).collect(),
    })
}
