//! The value domain of a Value Management Office portfolio.
//!
//! Pure: no I/O, no drawing, no bindings. The generator and the wasm widgets both call
//! these functions, so a number on a static page and the number a widget recomputes come
//! from one place.
//!
//! - [`model`]: the resolved portfolio (settings, objectives, value streams, stages,
//!   prioritisation models, initiatives), as the generator hands it over after checking
//!   every reference.
//! - [`calendar`] and [`date`]: periods (fiscal years or quarters) and civil dates.
//! - [`finance`]: discounting, NPV, IRR (every root), ROI, payback, benefit-cost ratio.
//! - [`scoring`]: WSJF, RICE and weighted scoring, each with its breakdown.
//! - [`analysis`]: per-initiative metrics and portfolio roll-ups used by the pages.
//! - [`variance`]: work in flight against its plan to date, red, amber or green by one
//!   rule, and its stale figures.

pub mod analysis;
pub mod budget;
pub mod calendar;
pub mod date;
pub mod delivery;
pub mod dependencies;
pub mod finance;
pub mod flow;
pub mod model;
pub mod montecarlo;
pub mod risk;
pub mod scoring;
pub mod selection;
pub mod variance;
pub mod whatif;

pub use analysis::{InitiativeMetrics, PortfolioAnalysis, PortfolioTotals, analyse};
pub use calendar::{Cadence, Calendar, Period};
pub use date::Date;
pub use model::*;
