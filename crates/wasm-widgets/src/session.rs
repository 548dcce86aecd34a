//! A loaded portfolio: `data/portfolio.json` parsed into [`vmo_core::Portfolio`] and
//! analysed once, shared by every widget on a page.

use crate::error::WidgetError;
use serde::Deserialize;
use vmo_core::{Initiative, Portfolio, PortfolioAnalysis, StageClass};

/// The parts of `data/portfolio.json` the widgets read. The file's other keys
/// (`format`, `version`, `totals`) and each initiative's `metrics` and `url` are ignored:
/// the widgets recompute every figure with [`vmo_core::analyse`], the function that
/// produced them.
#[derive(Deserialize)]
struct PortfolioDoc {
    format: String,
    version: u32,
    settings: vmo_core::Settings,
    objectives: Vec<vmo_core::Objective>,
    value_streams: Vec<vmo_core::ValueStream>,
    stages: Vec<vmo_core::Stage>,
    criteria: Vec<vmo_core::Criterion>,
    models: Vec<vmo_core::PriorityModel>,
    initiatives: Vec<Initiative>,
}

/// The portfolio and its analysis.
#[derive(Debug)]
pub struct Session {
    pub portfolio: Portfolio,
    pub analysis: PortfolioAnalysis,
}

impl Session {
    /// Reads the site's `data/portfolio.json`.
    pub fn from_json(json: &str) -> Result<Session, WidgetError> {
        let doc: PortfolioDoc =
            serde_json::from_str(json).map_err(|e| WidgetError::Data(e.to_string()))?;
        if doc.format != "vmo-portfolio" || doc.version != 1 {
            return Err(WidgetError::Data(format!(
                "expected format `vmo-portfolio` version 1, found `{}` version {}",
                doc.format, doc.version
            )));
        }
        let mut portfolio = Portfolio {
            settings: doc.settings,
            objectives: doc.objectives,
            value_streams: doc.value_streams,
            stages: doc.stages,
            criteria: doc.criteria,
            models: doc.models,
            initiatives: doc.initiatives,
        };
        portfolio.initiatives.sort_by(|a, b| a.id.cmp(&b.id));
        let analysis = vmo_core::analyse(&portfolio);
        Ok(Session {
            portfolio,
            analysis,
        })
    }

    pub fn currency(&self) -> &str {
        &self.portfolio.settings.currency
    }

    /// The index of an initiative.
    pub fn index(&self, id: &str) -> Result<usize, WidgetError> {
        self.portfolio
            .initiatives
            .binary_search_by(|i| i.id.as_str().cmp(id))
            .map_err(|_| WidgetError::UnknownInitiative(id.to_string()))
    }

    pub fn initiative(&self, k: usize) -> &Initiative {
        &self.portfolio.initiatives[k]
    }

    /// Whether an initiative still competes for money (its stage is not closed): the
    /// prioritisation page's rule.
    pub fn is_open(&self, k: usize) -> bool {
        let i = self.initiative(k);
        self.portfolio
            .stage(&i.stage)
            .is_none_or(|s| s.class != StageClass::Closed)
    }

    pub fn stage_name(&self, id: &str) -> String {
        self.portfolio
            .stage(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    pub fn value_stream_name(&self, id: &str) -> String {
        self.portfolio
            .value_stream(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    /// The page of an initiative, relative to the site root.
    pub fn url(&self, k: usize) -> String {
        format!("initiatives/{}/index.html", self.initiative(k).id)
    }
}
