//! How each figure reads: the words that a page and a widget show for a number, decided
//! once, so that the static site and the widgets that recompute it in the browser cannot
//! say the same figure two ways.
//!
//! - [`irr()`]: every IRR root, or why there is none, and how to read it (a borrowing
//!   rate when money comes in first).
//! - [`payback()`]: the payback, with the first recovery when it differs from the final
//!   one.
//! - [`montecarlo::histogram`]: the simulated NPV distribution, its trial count and
//!   percentiles.
//! - [`frontier::frontier`]: the efficient frontier, its budget levels and table.
//! - [`variance`]: work in flight against its plan, the rule and each rating's reason.

pub mod frontier;
pub mod irr;
pub mod montecarlo;
pub mod payback;
pub mod variance;

pub use irr::{IrrText, irr};
pub use payback::{PaybackText, payback};
