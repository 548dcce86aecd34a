//! The VMO static site generator: a folder of TOML/Markdown portfolio content in, a
//! static website out.
//!
//! # Steps
//!
//! 1. [`source::read_site`]: the site folder becomes [`SiteSources`] (every input file
//!    in memory). The only stage that reads the disk.
//! 2. [`content::load`]: sources become a checked [`Content`]: the
//!    [`vmo_core::Portfolio`] with every reference resolved, narratives and reports with
//!    their embedded charts and tables. Every problem becomes a [`Diagnostic`].
//! 3. [`vmo_core::analyse`]: the portfolio becomes a [`vmo_core::PortfolioAnalysis`]:
//!    business cases, scores and ranks, roll-ups.
//! 4. [`render::render`]: content and analysis become a [`Site`]: every output file
//!    (pages, charts inlined as SVG, CSS, font, data downloads) in memory.
//! 5. [`output::write_atomically`]: the site is written beside the target folder and
//!    swapped in only when complete, so a failed build leaves the previous site as it was.

pub mod analysis;
pub mod build;
pub mod content;
pub mod diagnostics;
pub mod output;
pub mod render;
pub mod source;

pub use build::{BuildOptions, build_site, check_site};
pub use content::Content;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use render::{OutputFile, Site};
pub use source::SiteSources;
