//! The VMO site's interactive widgets, compiled to WebAssembly.
//!
//! Three widgets enhance pages that are complete without them: the what-if business case
//! ([`whatif`]), the prioritisation scenario ([`prioritise`]) and the portfolio explorer
//! ([`explore`]). Each is plain Rust over `vmo-core` (the numbers) and `vmo-charts` (the
//! SVG), tested natively; [`bindings`] is the only code that knows about JavaScript: it
//! takes and returns JSON strings and delegates in one line per function.
//!
//! # Steps
//!
//! 1. The page's script fetches `data/portfolio.json` and hands the text to
//!    [`Session::from_json`], which parses it into a `vmo_core::Portfolio` and analyses
//!    it once.
//! 2. Each widget sends its form (text fields as typed) as JSON and gets a view (figures
//!    already formatted, charts as SVG, field messages) back as JSON.

pub mod bindings;
pub mod error;
pub mod explore;
/// Number formatting shared with the generator's pages.
pub use vmo_charts::numbers as format;
pub mod prioritise;
pub mod session;
pub mod whatif;

pub use error::{FieldError, WidgetError};
pub use session::Session;
