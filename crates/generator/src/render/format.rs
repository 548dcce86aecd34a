//! Number formatting for pages: the shared implementation in `vmo-charts`, so pages and
//! widgets write numbers the same way.

pub use vmo_charts::numbers::*;
