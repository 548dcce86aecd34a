//! Horizontal bar chart: amounts by category.

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::font::text_width;
use crate::format::{ValueFormat, nice_ticks};
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// One category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Optional group deciding the colour (e.g. the value stream itself, so it
    /// matches other charts); none = first series colour.
    #[serde(default)]
    pub group: Option<String>,
}

/// Amounts by category (investment by value stream, objective, stage...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BarData {
    /// Drawn top to bottom in this order.
    pub bars: Vec<Bar>,
    /// Group order for colours (see [`crate::BubbleData::groups`]).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Caption, e.g. the currency code.
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub format: ValueFormat,
}

const KIND: &str = "bars";

/// One horizontal bar per category with its value at the bar end; a legend is
/// shown only when groups differ from the category labels.
pub fn bar_chart(id: &str, spec: &ChartSpec, data: &BarData) -> Result<String, ChartError> {
    let values: Vec<f64> = data.bars.iter().map(|b| b.value).collect();
    check_values("bars.value", &values)?;
    let n = data.bars.len();
    if n == 0 {
        return no_data(KIND, id, spec, 200);
    }
    let groups = group_order(
        &data.groups,
        data.bars.iter().filter_map(|b| b.group.as_deref()),
    );
    let show_legend = data
        .bars
        .iter()
        .any(|b| b.group.as_ref().is_some_and(|g| g != &b.label));
    let items: Vec<LegendItem> = if show_legend {
        groups
            .iter()
            .filter(|g| data.bars.iter().any(|b| b.group.as_ref() == Some(*g)))
            .map(|g| LegendItem::new(g, Swatch::Box(Role::series(group_index(&groups, g)), 1.0)))
            .collect()
    } else {
        Vec::new()
    };
    let width = f64::from(spec.width());
    let legend_h = legend_height(&items, width - 2.0 * OUTER);
    let top = OUTER + legend_h + if data.unit.is_empty() { 4.0 } else { 20.0 };
    let bottom = 30.0 + OUTER;
    let row = match spec.height {
        Some(h) => ((f64::from(h) - top - bottom) / n as f64).clamp(12.0, 60.0),
        None => 30.0,
    };
    let height = spec
        .height
        .unwrap_or((top + row * n as f64 + bottom).ceil() as u32)
        .clamp(120, 4000);

    let fmt = &data.format;
    let (lo, hi) = values
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let ticks = nice_ticks(lo, hi, 5, false);
    let value_w = values
        .iter()
        .map(|v| text_width(&fmt.format(*v), FS_LABEL))
        .fold(0.0, f64::max);
    let labels: Vec<String> = data
        .bars
        .iter()
        .map(|b| crate::svg::clean_text(&b.label))
        .collect();
    let label_w = max_label_width(&labels, FS_LABEL).min(width * 0.36);

    render(head(KIND, id, spec, height), |c| {
        legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        // Room left of the most negative bar for its value label.
        let approx_w = c.w - 2.0 * OUTER - label_w - 22.0 - value_w;
        let t0 = ticks[0];
        let t1 = ticks[ticks.len() - 1];
        let slack = (lo - t0) / (t1 - t0) * approx_w;
        let neg_room = if lo < 0.0 {
            (value_w + 8.0 - slack).max(0.0)
        } else {
            0.0
        };
        let plot = Plot {
            x0: OUTER + label_w + 12.0 + neg_room,
            y0: top,
            x1: c.w - OUTER - value_w - 10.0,
            y1: top + row * n as f64,
        };
        y_caption(c, &data.unit, plot.y0 - 4.0)?;
        let xs = Scale::new(ticks[0], ticks[ticks.len() - 1], plot.x0, plot.x1);
        let xt: Vec<(f64, String)> = ticks.iter().map(|t| (*t, fmt.format(*t))).collect();
        x_grid(c, plot, xs, &xt, true)?;
        let bar_h = (row * 0.62).min(26.0);
        let x0 = xs.map(0.0);
        for (i, b) in data.bars.iter().enumerate() {
            let cy = plot.y0 + row * (i as f64 + 0.5);
            let role = match &b.group {
                Some(g) => Role::series(group_index(&groups, g)),
                None => Role::Series(0),
            };
            let xv = xs.map(b.value);
            c.rect(x0, cy - bar_h / 2.0, xv, cy + bar_h / 2.0, role, 1.0)?;
            c.text_fit(
                &labels[i],
                label_w,
                OUTER + label_w,
                cy,
                FS_LABEL,
                Role::Text,
                Anchor::End,
                Baseline::Middle,
            )?;
            let (vx, anchor) = if b.value < 0.0 {
                (xv - 6.0, Anchor::End)
            } else {
                (xv + 6.0, Anchor::Start)
            };
            c.text(
                &fmt.format(b.value),
                vx,
                cy,
                FS_LABEL,
                Role::Text,
                anchor,
                Baseline::Middle,
            )?;
        }
        c.vline(x0, plot.y0, plot.y1, Role::Axis, 1, false)
    })
}
