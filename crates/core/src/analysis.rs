//! Per-initiative metrics and portfolio roll-ups.

use crate::model::Portfolio;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct InitiativeMetrics {}

#[derive(Clone, Debug, Serialize)]
pub struct PortfolioTotals {}

#[derive(Clone, Debug, Serialize)]
pub struct PortfolioAnalysis {
    pub initiatives: Vec<InitiativeMetrics>,
    pub totals: PortfolioTotals,
}

pub fn analyse(portfolio: &Portfolio) -> PortfolioAnalysis {
    PortfolioAnalysis {
        initiatives: portfolio
            .initiatives
            .iter()
            .map(|_| InitiativeMetrics {})
            .collect(),
        totals: PortfolioTotals {},
    }
}
