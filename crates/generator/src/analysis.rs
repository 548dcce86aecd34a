//! Stage 3, analysis: everything a page shows that is computed, before anything is
//! rendered.
//!
//! - [`vmo_core::analyse`]: business cases, to-date figures, scores, ranks and roll-ups
//!   (the function the widgets run too);
//! - per initiative, as a pure function of the settings and that initiative: the Monte
//!   Carlo simulation of its NPV (most of the build's arithmetic) and its earned value,
//!   memoised by a hash of their inputs ([`Memo`]), so a rebuild after one file changed
//!   recomputes only that initiative;
//! - one portfolio step: the reverse-dependency index (who depends on each initiative),
//!   built once instead of a scan per page, and the dependencies at risk.
//!
//! Render only reads an [`Analysis`].

use crate::content::Content;
use crate::digest::Digest;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use vmo_core::budget::{BudgetProblem, budget_problem};
use vmo_core::delivery::{EarnedValue, earned_value};
use vmo_core::montecarlo::{Simulation, SimulationConfig, SimulationError, simulate_initiative};
use vmo_core::selection::{Budget, FrontierPoint, Selection, efficient_frontier, select};
use vmo_core::{Initiative, PortfolioAnalysis, Settings};

/// The Monte Carlo settings of every page and widget (`vmo_explain::montecarlo`).
pub fn simulation_config() -> SimulationConfig {
    vmo_explain::montecarlo::config(vmo_explain::montecarlo::TRIALS, None)
}

/// What is computed for one initiative from its own inputs and the settings alone.
#[derive(Debug, PartialEq)]
pub struct InitiativeAnalysis {
    /// The distribution of its NPV over its low / likely / high ranges, or why there is
    /// none.
    pub simulation: Result<Simulation, SimulationError>,
    /// Earned value on `as_of`, when the initiative records actuals.
    pub earned_value: Option<EarnedValue>,
}

impl InitiativeAnalysis {
    /// Computes the analysis of `initiative` (no memo).
    pub fn compute(settings: &Settings, initiative: &Initiative) -> InitiativeAnalysis {
        InitiativeAnalysis {
            simulation: simulate_initiative(settings, initiative, &simulation_config()),
            earned_value: initiative
                .actuals
                .is_some()
                .then(|| earned_value(settings, initiative)),
        }
    }
}

/// The analysis of the whole portfolio, in the portfolio's initiative order.
#[derive(Debug)]
pub struct Analysis {
    /// Business cases, scores, ranks and roll-ups.
    pub metrics: PortfolioAnalysis,
    /// Same order as `portfolio.initiatives`.
    pub initiatives: Vec<Arc<InitiativeAnalysis>>,
    /// The digest of each initiative's inputs (the settings and the initiative), same
    /// order: what a rebuild compares to know that an initiative is unchanged.
    pub input_hashes: Vec<InputHash>,
    /// `dependents[k]`: the initiatives that depend on initiative `k`, in portfolio
    /// order.
    pub dependents: Vec<Vec<usize>>,
    /// Every dependency at risk, by dependent then dependency
    /// ([`vmo_core::dependencies::at_risk`]).
    pub dependencies_at_risk: Vec<vmo_core::dependencies::AtRisk>,
    /// The budget selection, when the portfolio sets a budget.
    pub budget: Option<Arc<BudgetAnalysis>>,
}

/// The budget question ([`vmo_core::budget`]) answered: the value-maximising set of
/// proposed initiatives within the envelope, the same with the envelope cut by 20%,
/// and the efficient frontier over total budget levels.
#[derive(Debug, PartialEq)]
pub struct BudgetAnalysis {
    pub problem: BudgetProblem,
    pub selection: Result<Selection, String>,
    /// The selection with the envelope cut to [`BUDGET_CUT`] of itself.
    pub cut: Option<Result<Selection, String>>,
    /// The best value at each of [`vmo_explain::frontier::levels`] of the whole
    /// envelope (each initiative's cost summed over its periods).
    pub frontier: Option<Vec<FrontierPoint>>,
}

/// The share of the envelope of the "budget cut" question.
pub const BUDGET_CUT: f64 = 0.8;

impl BudgetAnalysis {
    fn solve(problem: &BudgetProblem) -> Result<Selection, String> {
        select(
            &problem.items,
            &Budget::PerPeriod(problem.effective_budget()),
        )
        .map_err(|e| e.to_string())
    }

    /// Answers the budget question of `problem` and its cut.
    pub fn compute(problem: BudgetProblem, cut: Option<&BudgetProblem>) -> BudgetAnalysis {
        // The three questions side by side: each is one sequential search.
        let frontier = || {
            let items: Vec<_> = problem
                .items
                .iter()
                .map(|i| vmo_core::selection::Item {
                    cost: vec![i.cost.iter().sum()],
                    ..i.clone()
                })
                .collect();
            let envelope: f64 = problem.budget.iter().sum();
            efficient_frontier(&items, &vmo_explain::frontier::levels(envelope)).ok()
        };
        let ((selection, cut), frontier) = rayon::join(
            || rayon::join(|| Self::solve(&problem), || cut.map(Self::solve)),
            frontier,
        );
        BudgetAnalysis {
            problem,
            selection,
            cut,
            frontier,
        }
    }
}

/// A 128-bit digest of what an [`InitiativeAnalysis`] is a function of: the settings,
/// the initiative and the simulation config, as their canonical JSON.
pub type InputHash = Digest;

#[derive(Serialize)]
struct Inputs<'a> {
    settings: &'a Settings,
    initiative: &'a Initiative,
    trials: usize,
    bins: usize,
    seed: u64,
}

/// The [`InputHash`] of one initiative's analysis.
pub fn input_hash(settings: &Settings, initiative: &Initiative) -> InputHash {
    let c = simulation_config();
    Digest::of_json(&Inputs {
        settings,
        initiative,
        trials: c.trials,
        bins: c.bins,
        seed: c.seed,
    })
}

/// Per-initiative analyses kept between builds, by the hash of their inputs, and the
/// budget selection, by the hash of its problem. A build takes what it can from the memo
/// and leaves in it exactly what it used, so the memo never holds more than one
/// portfolio's worth.
#[derive(Debug, Default)]
pub struct Memo {
    entries: HashMap<InputHash, Arc<InitiativeAnalysis>>,
    budget: Option<(Digest, Arc<BudgetAnalysis>)>,
    /// How many analyses the last [`analyse`] computed (the rest came from the memo).
    pub computed: usize,
}

/// Runs stage 3 on checked content, reusing what `memo` holds.
pub fn analyse(content: &Content, memo: &mut Memo) -> Analysis {
    let p = &content.portfolio;
    let metrics = vmo_core::analyse(p);
    let hashes: Vec<InputHash> = p
        .initiatives
        .par_iter()
        .map(|i| input_hash(&p.settings, i))
        .collect();
    // The simulations (in parallel) and the budget selection (exact branch and bound,
    // sequential within each of its three questions) are independent: run side by side.
    let previous_budget = memo.budget.take();
    let entries = &memo.entries;
    let (initiatives, budget) = rayon::join(
        || {
            p.initiatives
                .par_iter()
                .zip(&hashes)
                .map(|(i, h)| match entries.get(h) {
                    Some(a) => Arc::clone(a),
                    None => Arc::new(InitiativeAnalysis::compute(&p.settings, i)),
                })
                .collect::<Vec<Arc<InitiativeAnalysis>>>()
        },
        || {
            budget_problem(p, &metrics, 1.0).map(|problem| {
                let cut = budget_problem(p, &metrics, BUDGET_CUT);
                let key = Digest::of_json(&(&problem, &cut));
                match previous_budget {
                    Some((k, b)) if k == key => (k, b),
                    _ => (
                        key,
                        Arc::new(BudgetAnalysis::compute(problem, cut.as_ref())),
                    ),
                }
            })
        },
    );
    memo.computed = hashes
        .iter()
        .filter(|h| !memo.entries.contains_key(h))
        .count();
    memo.entries = hashes
        .iter()
        .copied()
        .zip(initiatives.iter().cloned())
        .collect();
    memo.budget = budget.clone();
    let budget = budget.map(|(_, b)| b);
    let index: HashMap<&str, usize> = p
        .initiatives
        .iter()
        .enumerate()
        .map(|(k, i)| (i.id.as_str(), k))
        .collect();
    let mut dependents = vec![Vec::new(); p.initiatives.len()];
    for (k, i) in p.initiatives.iter().enumerate() {
        for d in &i.depends_on {
            if let Some(&j) = index.get(d.as_str())
                && dependents[j].last() != Some(&k)
            {
                dependents[j].push(k);
            }
        }
    }
    Analysis {
        metrics,
        initiatives,
        input_hashes: hashes,
        dependents,
        dependencies_at_risk: vmo_core::dependencies::at_risk(p),
        budget,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    fn sample() -> Content {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut diags = Diagnostics::new();
        let sources = crate::source::read_site(&root, &mut diags);
        crate::content::load(&sources, &mut diags).expect("the sample loads")
    }

    #[test]
    fn the_memo_recomputes_only_what_changed_and_gives_the_same_analysis() {
        let mut content = sample();
        let mut memo = Memo::default();
        let first = analyse(&content, &mut memo);
        let n = content.portfolio.initiatives.len();
        assert_eq!(memo.computed, n);
        let again = analyse(&content, &mut memo);
        assert_eq!(memo.computed, 0);
        assert!(
            first
                .initiatives
                .iter()
                .zip(&again.initiatives)
                .all(|(a, b)| Arc::ptr_eq(a, b))
        );
        // One initiative edited: only it is simulated again, and its result is what a
        // build without a memo computes.
        let k = content
            .portfolio
            .initiatives
            .iter()
            .position(|i| i.uncertainty.cost.high > i.uncertainty.cost.low)
            .expect("an initiative with a cost range");
        content.portfolio.initiatives[k].uncertainty.cost.high += 0.1;
        let edited = analyse(&content, &mut memo);
        assert_eq!(memo.computed, 1);
        assert_ne!(edited.initiatives[k], first.initiatives[k]);
        let fresh = analyse(&content, &mut Memo::default());
        assert!(
            edited
                .initiatives
                .iter()
                .zip(&fresh.initiatives)
                .all(|(a, b)| a == b)
        );
        // A settings change touches every initiative.
        content.portfolio.settings.discount_rate += 0.01;
        analyse(&content, &mut memo);
        assert_eq!(memo.computed, n);
    }

    #[test]
    fn dependents_are_the_reverse_of_depends_on() {
        let content = sample();
        let a = analyse(&content, &mut Memo::default());
        let p = &content.portfolio;
        for (j, i) in p.initiatives.iter().enumerate() {
            let scanned: Vec<usize> = p
                .initiatives
                .iter()
                .enumerate()
                .filter(|(_, x)| x.depends_on.contains(&i.id))
                .map(|(k, _)| k)
                .collect();
            assert_eq!(a.dependents[j], scanned, "{}", i.id);
        }
        assert!(a.dependents.iter().any(|d| !d.is_empty()));
    }
}
