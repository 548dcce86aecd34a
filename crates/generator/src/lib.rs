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
//! 3. [`analysis::analyse`]: content becomes an [`Analysis`]: business cases, scores
//!    and ranks, roll-ups ([`vmo_core::analyse`]), and per initiative its simulation and
//!    earned value, memoised by a hash of their inputs ([`analysis::Memo`]); the
//!    reverse-dependency index.
//! 4. [`render::render_into`]: content and analysis become every output file (pages,
//!    charts inlined as SVG, CSS, font, data downloads), each handed to a
//!    [`render::Sink`] as soon as it is rendered ([`render::render`] collects them into
//!    a [`Site`] in memory).
//! 5. [`output::Staging`]: the build's sink writes the files beside the target folder
//!    and swaps them in only when the site is complete, so a failed build leaves the
//!    previous site as it was.
//!
//! A [`session::Session`] keeps what a build read and computed, so that a rebuild
//! after some files changed re-reads, simulates, renders and writes only what they
//! touch ([`render::render_changed`], [`output::Patch`]), with the bytes of a full
//! build.

pub mod analysis;
pub mod build;
pub mod content;
pub mod diagnostics;
pub mod digest;
pub mod output;
pub mod render;
pub mod route;
pub mod session;
pub mod source;

pub use analysis::Analysis;
pub use build::{BuildOptions, build_site, check_site};
pub use content::Content;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use render::{OutputFile, Site};
pub use source::SiteSources;
