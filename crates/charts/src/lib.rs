//! SVG charts for VMO pages.
//!
//! Every chart is a function taking an `id`, a [`ChartSpec`] (accessible title
//! and description, optional size) and a plain data struct, and returning an
//! SVG fragment ready to inline in HTML:
//!
//! - root `<svg role="img" aria-labelledby="{id}-title {id}-desc">` whose first
//!   children are `<title>` and `<desc>`; `{id}` is sanitised to `[a-z0-9-]`;
//! - a `viewBox` and the same `width` and `height`: a chart shows at its own size, so
//!   its text is the size it was laid out at on every page and screen; a container
//!   narrower than the chart scrolls it rather than shrinking its text ([`CHART_CSS`]);
//! - no inline `style` attributes; colours are presentation attributes with
//!   light-theme defaults plus classes (`vmo-f-c1`, `vmo-s-grid`, ...) that
//!   [`CHART_CSS`] maps to CSS variables, so dark mode works;
//! - text laid out with the embedded font ([`FONT_TTF`], family [`FONT_FAMILY`]),
//!   so the output is byte-identical on every machine and on wasm32.
//!
//! Empty data renders a "No data" message; NaN/infinite values, mismatched
//! lengths and other invalid input return a [`ChartError`].
//!
//! Text passed to plotters is escaped by plotters' SVG backend
//! (`plotters-svg` `escape_and_push`); title and description are escaped here.

mod charts;
mod draw;
mod font;
mod format;
pub mod numbers;
mod svg;
mod theme;

use serde::{Deserialize, Serialize};

pub use charts::bars::{Bar, BarData, bar_chart};
pub use charts::bubble::{BubbleData, BubblePoint, bubble_chart};
pub use charts::cashflow::{CashFlowData, CashFlowLabels, cash_flow_chart};
pub use charts::depmap::{DepMapData, DepNode, dependency_map_chart};
pub use charts::heatmap::{HeatMapData, HeatMapLabels, heat_map_chart};
pub use charts::histogram::{HistogramBin, HistogramData, HistogramMarker, histogram_chart};
pub use charts::kpi::{KpiData, KpiLabels, KpiPoint, kpi_chart};
pub use charts::plan_actual::{PlanActualData, PlanActualLabels, plan_actual_chart};
pub use charts::roadmap::{Milestone, RoadmapData, RoadmapItem, RoadmapLabels, roadmap_chart};
pub use font::{FONT_FAMILY, FONT_FILE_NAME, FONT_LICENSE, FONT_TTF};
pub use format::{
    ValueFormat, civil_from_days, days_from_civil, format_compact, format_date, format_month,
};
pub use svg::sanitize_id;
pub use theme::{CHART_CSS, CHART_THEME_CSS, SERIES_COUNT};

#[doc(hidden)]
pub mod demo;

/// Default chart width in SVG user units (CSS px at 1:1).
pub const DEFAULT_WIDTH: u32 = 720;

/// Accessible text and optional size of one chart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// Short accessible name (`<title>`), e.g. "Cumulative cash flow of CRM replacement".
    pub title: String,
    /// Longer description (`<desc>`): what the chart shows and its key numbers.
    #[serde(default)]
    pub desc: String,
    /// viewBox width; default [`DEFAULT_WIDTH`]. Use a smaller width for charts
    /// shown in narrow columns so that text stays readable. Clamped to 240..=2400.
    #[serde(default)]
    pub width: Option<u32>,
    /// viewBox height; each chart has a default (some grow with rows). Clamped to 120..=4000.
    #[serde(default)]
    pub height: Option<u32>,
    /// Message shown when there is nothing to draw; default "No data".
    #[serde(default)]
    pub no_data: Option<String>,
}

impl ChartSpec {
    /// A spec with title and description and default size.
    pub fn new(title: impl Into<String>, desc: impl Into<String>) -> Self {
        ChartSpec {
            title: title.into(),
            desc: desc.into(),
            ..ChartSpec::default()
        }
    }

    /// Sets the viewBox width.
    pub fn with_width(mut self, width: u32) -> Self {
        self.width = Some(width);
        self
    }

    /// Sets the viewBox height.
    pub fn with_height(mut self, height: u32) -> Self {
        self.height = Some(height);
        self
    }

    pub(crate) fn width(&self) -> u32 {
        self.width.unwrap_or(DEFAULT_WIDTH).clamp(240, 2400)
    }

    pub(crate) fn height_or(&self, default: u32) -> u32 {
        self.height.unwrap_or(default).clamp(120, 4000)
    }

    pub(crate) fn no_data_text(&self) -> &str {
        self.no_data.as_deref().unwrap_or("No data")
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    /// A value is NaN or infinite: `field[index]`.
    NonFinite { field: String, index: usize },
    /// Two parallel lists differ in length.
    LengthMismatch {
        field: String,
        expected: usize,
        found: usize,
    },
    /// Other invalid input (described).
    InvalidData(String),
    /// The embedded font could not be loaded (should not happen).
    Font,
    /// plotters reported an error (should not happen).
    Render(String),
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChartError::NonFinite { field, index } => {
                write!(f, "chart value {field}[{index}] is not a finite number")
            }
            ChartError::LengthMismatch {
                field,
                expected,
                found,
            } => write!(
                f,
                "chart data {field} has {found} values, expected {expected}"
            ),
            ChartError::InvalidData(m) => write!(f, "invalid chart data: {m}"),
            ChartError::Font => write!(f, "the embedded chart font could not be loaded"),
            ChartError::Render(m) => write!(f, "chart rendering failed: {m}"),
        }
    }
}

impl std::error::Error for ChartError {}
