//! Planned vs actual per period (benefits realisation).

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::format::{ValueFormat, nice_ticks};
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// Planned and actual values per period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanActualData {
    pub periods: Vec<String>,
    /// Planned value per period (parallel to `periods`).
    pub planned: Vec<f64>,
    /// Actual value per period; `null`/missing trailing entries = not reported yet.
    #[serde(default)]
    pub actual: Vec<Option<f64>>,
    /// Caption, e.g. the currency code.
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub format: ValueFormat,
    #[serde(default)]
    pub labels: PlanActualLabels,
}

/// Legend texts of [`plan_actual_chart`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanActualLabels {
    pub planned: String,
    pub actual: String,
}

impl Default for PlanActualLabels {
    fn default() -> Self {
        PlanActualLabels {
            planned: "Planned".into(),
            actual: "Actual".into(),
        }
    }
}

const KIND: &str = "plan-actual";
const SERIES: Role = Role::Series(0);
const PLANNED_ALPHA: f64 = 0.35;

/// Grouped bars per period: planned (light) and actual (solid).
pub fn plan_actual_chart(
    id: &str,
    spec: &ChartSpec,
    data: &PlanActualData,
) -> Result<String, ChartError> {
    let n = data.periods.len();
    check_len("planned", n, data.planned.len())?;
    check_values("planned", &data.planned)?;
    if data.actual.len() > n {
        return Err(ChartError::LengthMismatch {
            field: "actual".into(),
            expected: n,
            found: data.actual.len(),
        });
    }
    let actual: Vec<f64> = data.actual.iter().flatten().copied().collect();
    for (i, v) in data.actual.iter().enumerate() {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(ChartError::NonFinite {
                field: "actual".into(),
                index: i,
            });
        }
    }
    check_values("actual", &actual)?;
    if n == 0 {
        return no_data(KIND, id, spec, 340);
    }
    let height = spec.height_or(340);
    let fmt = &data.format;
    let (lo, hi) = data
        .planned
        .iter()
        .chain(&actual)
        .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let ticks = nice_ticks(lo, hi, 5, false);
    let labels: Vec<String> = ticks.iter().map(|t| fmt.format(*t)).collect();
    let items = vec![
        LegendItem::new(&data.labels.planned, Swatch::Box(SERIES, PLANNED_ALPHA)),
        LegendItem::new(&data.labels.actual, Swatch::Box(SERIES, 1.0)),
    ];

    render(head(KIND, id, spec, height), |c| {
        let lw = legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        let plot = Plot {
            x0: OUTER + max_label_width(&labels, FS_TICK) + 8.0,
            y0: OUTER + lw + 24.0,
            x1: c.w - OUTER - 8.0,
            y1: c.h - OUTER - 20.0,
        };
        y_caption(c, &data.unit, plot.y0 - 8.0)?;
        let ys = Scale::new(ticks[0], ticks[ticks.len() - 1], plot.y1, plot.y0);
        y_grid(c, plot, ys, &ticks, fmt)?;
        let band = plot.width() / n as f64;
        let bw = (band * 0.36).min(34.0);
        let y0 = ys.map(0.0);
        for i in 0..n {
            let cx = plot.x0 + band * (i as f64 + 0.5);
            c.rect(
                cx - bw - 1.0,
                y0,
                cx - 1.0,
                ys.map(data.planned[i]),
                SERIES,
                PLANNED_ALPHA,
            )?;
            if let Some(Some(a)) = data.actual.get(i) {
                c.rect(cx + 1.0, y0, cx + bw + 1.0, ys.map(*a), SERIES, 1.0)?;
            }
        }
        c.hline(plot.x0, plot.x1, y0, Role::Axis, 1, false)?;
        band_labels(c, plot, &data.periods)
    })
}
