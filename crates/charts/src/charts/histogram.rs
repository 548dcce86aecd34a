//! Histogram with labelled marker lines (Monte Carlo results).

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::font::text_width;
use crate::format::{ValueFormat, nice_ticks};
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// One bin `[start, end)` with its count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    pub start: f64,
    pub end: f64,
    pub count: u64,
}

/// A labelled vertical line, e.g. P10 / P50 / P90.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistogramMarker {
    pub value: f64,
    /// e.g. "P10 (90% chance above)"; the formatted value is drawn under it.
    pub label: String,
}

/// A distribution as bins, with markers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistogramData {
    pub bins: Vec<HistogramBin>,
    #[serde(default)]
    pub markers: Vec<HistogramMarker>,
    /// X axis title, e.g. "NPV (EUR)".
    #[serde(default)]
    pub x_title: String,
    /// Caption of the count axis, e.g. "Trials".
    #[serde(default)]
    pub y_title: String,
    #[serde(default)]
    pub format: ValueFormat,
    /// Bins whose midpoint is below this value are drawn in the "negative"
    /// colour (e.g. 0 for NPV).
    #[serde(default)]
    pub split_at: Option<f64>,
    /// Legend labels for bins below / at or above `split_at` (no legend when empty).
    #[serde(default)]
    pub below_label: String,
    #[serde(default)]
    pub above_label: String,
}

const KIND: &str = "histogram";
const FS_MARK: f64 = 12.0;

/// Bars for bins, dashed vertical marker lines labelled at the top (staggered
/// when close), optional colour split at a threshold.
pub fn histogram_chart(
    id: &str,
    spec: &ChartSpec,
    data: &HistogramData,
) -> Result<String, ChartError> {
    let starts: Vec<f64> = data.bins.iter().map(|b| b.start).collect();
    let ends: Vec<f64> = data.bins.iter().map(|b| b.end).collect();
    let marks: Vec<f64> = data.markers.iter().map(|m| m.value).collect();
    check_values("bins.start", &starts)?;
    check_values("bins.end", &ends)?;
    check_values("markers.value", &marks)?;
    if let Some(s) = data.split_at {
        check_values("split_at", &[s])?;
    }
    if let Some(i) = data.bins.iter().position(|b| b.end < b.start) {
        return Err(ChartError::InvalidData(format!(
            "bins[{i}] ends before it starts"
        )));
    }
    if data.bins.is_empty() {
        return no_data(KIND, id, spec, 320);
    }
    let fmt = &data.format;
    let (mut lo, mut hi) = starts
        .iter()
        .chain(&ends)
        .chain(&marks)
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if hi - lo < 1e-12 {
        lo -= lo.abs().max(1.0) * 0.5;
        hi += hi.abs().max(1.0) * 0.5;
    }
    let xt = nice_ticks(lo, hi, 6, false);
    let max_count = data.bins.iter().map(|b| b.count).max().unwrap_or(0);
    let yt = nice_ticks(0.0, max_count as f64 * 1.04, 4, true);
    let count_fmt = ValueFormat::default();
    let ylabels: Vec<String> = yt.iter().map(|t| count_fmt.format(*t)).collect();

    let mut items = Vec::new();
    if data.split_at.is_some() {
        if !data.below_label.is_empty() {
            items.push(LegendItem::new(
                &data.below_label,
                Swatch::Box(Role::Negative, 1.0),
            ));
        }
        if !data.above_label.is_empty() {
            items.push(LegendItem::new(
                &data.above_label,
                Swatch::Box(Role::Series(0), 1.0),
            ));
        }
    }
    let height = spec.height_or(340);

    render(head(KIND, id, spec, height), |c| {
        let lw = legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        let x0 = OUTER + max_label_width(&ylabels, FS_TICK) + 8.0;
        let x1 = c.w - OUTER - 12.0;
        let xs_pre = Scale::new(xt[0], xt[xt.len() - 1], x0, x1);
        // Stagger marker labels into levels so they do not overlap.
        let mut order: Vec<usize> = (0..data.markers.len()).collect();
        order.sort_by(|a, b| {
            data.markers[*a]
                .value
                .total_cmp(&data.markers[*b].value)
                .then(a.cmp(b))
        });
        // Markers that show the same value share one label ("P10 = P50 = P90"), rather
        // than a stack of three labels over one line (a range with no spread).
        let mut merged: Vec<(usize, String)> = Vec::new();
        for &k in &order {
            let m = &data.markers[k];
            let label = crate::svg::clean_text(&m.label);
            match merged.last_mut() {
                Some((j, l)) if fmt.format(data.markers[*j].value) == fmt.format(m.value) => {
                    l.push_str(" = ");
                    l.push_str(&label);
                }
                _ => merged.push((k, label)),
            }
        }
        let mut level_end: Vec<f64> = Vec::new();
        let mut placed: Vec<(usize, usize, f64, Anchor, String)> = Vec::new();
        for (k, label) in merged {
            let m = &data.markers[k];
            let w = text_width(&label, FS_MARK).max(text_width(&fmt.format(m.value), FS_SMALL));
            let x = xs_pre.map(m.value);
            let (start, anchor) = if x - w / 2.0 < x0 {
                (x, Anchor::Start)
            } else if x + w / 2.0 > c.w - OUTER {
                (x - w, Anchor::End)
            } else {
                (x - w / 2.0, Anchor::Middle)
            };
            let lvl = level_end
                .iter()
                .position(|e| start > *e + 8.0)
                .unwrap_or(level_end.len());
            if lvl == level_end.len() {
                level_end.push(start + w);
            } else {
                level_end[lvl] = start + w;
            }
            placed.push((k, lvl, x, anchor, label));
        }
        let level_h = 30.0;
        let levels = level_end.len() as f64;
        let plot = Plot {
            x0,
            y0: OUTER + lw + 20.0 + levels * level_h,
            x1,
            y1: c.h - OUTER - 20.0 - if data.x_title.is_empty() { 0.0 } else { 22.0 },
        };
        y_caption(c, &data.y_title, OUTER + lw + 14.0)?;
        let xs = Scale::new(xt[0], xt[xt.len() - 1], plot.x0, plot.x1);
        let ys = Scale::new(yt[0], yt[yt.len() - 1], plot.y1, plot.y0);
        y_grid(c, plot, ys, &yt, &count_fmt)?;
        let xticks: Vec<(f64, String)> = xt.iter().map(|t| (*t, fmt.format(*t))).collect();
        for (t, label) in &xticks {
            let x = xs.map(*t);
            c.vline(x, plot.y1, plot.y1 + 4.0, Role::Axis, 1, false)?;
            c.text(
                label,
                x,
                plot.y1 + 7.0,
                FS_TICK,
                Role::Muted,
                Anchor::Middle,
                Baseline::Top,
            )?;
        }
        let mut bins = data.bins.clone();
        bins.sort_by(|a, b| a.start.total_cmp(&b.start));
        for b in &bins {
            let mid = (b.start + b.end) / 2.0;
            let role = match data.split_at {
                Some(s) if mid < s => Role::Negative,
                _ => Role::Series(0),
            };
            let (mut bx0, mut bx1) = (xs.map(b.start), xs.map(b.end));
            // A bin of no width (every outcome the same) is drawn as a narrow bar.
            if bx1 - bx0 < 3.0 && b.count > 0 {
                let m = (bx0 + bx1) / 2.0;
                (bx0, bx1) = (m - 4.0, m + 4.0);
            }
            let gap = if bx1 - bx0 > 4.0 { 1.0 } else { 0.0 };
            c.rect(
                bx0 + gap / 2.0,
                ys.map(b.count as f64),
                bx1 - gap / 2.0,
                plot.y1,
                role,
                0.9,
            )?;
        }
        if !data.x_title.is_empty() {
            c.text(
                &data.x_title,
                (plot.x0 + plot.x1) / 2.0,
                c.h - OUTER,
                FS_SMALL,
                Role::Muted,
                Anchor::Middle,
                Baseline::Bottom,
            )?;
        }
        for (_, lvl, x, _, _) in &placed {
            let ty = plot.y0 - (levels - *lvl as f64) * level_h + 2.0;
            c.vline(*x, ty + 26.0, plot.y1, Role::Marker, 1, true)?;
        }
        for (k, lvl, x, anchor, label) in placed {
            let m = &data.markers[k];
            let ty = plot.y0 - (levels - lvl as f64) * level_h + 2.0;
            let value = fmt.format(m.value);
            let w = text_width(&label, FS_MARK).max(text_width(&value, FS_SMALL));
            let bx = match anchor {
                Anchor::Start => x,
                Anchor::Middle => x - w / 2.0,
                Anchor::End => x - w,
            };
            c.rect(bx - 3.0, ty - 1.0, bx + w + 3.0, ty + 27.0, Role::Bg, 1.0)?;
            c.text_bold(&label, x, ty, FS_MARK, Role::Text, anchor, Baseline::Top)?;
            c.text(
                &value,
                x,
                ty + 14.0,
                FS_SMALL,
                Role::Muted,
                anchor,
                Baseline::Top,
            )?;
        }
        Ok(())
    })
}
