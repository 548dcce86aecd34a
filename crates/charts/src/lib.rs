//! SVG charts for VMO pages.
