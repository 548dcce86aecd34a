//! Cumulative cash flow of one initiative.

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::font::text_width;
use crate::format::{ValueFormat, nice_ticks};
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// Net cash flow per period with cumulative (and optionally discounted
/// cumulative) lines. All lists are parallel to `periods`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CashFlowData {
    /// Currency code shown as the axis caption, e.g. "EUR".
    pub currency: String,
    /// Period labels, e.g. "2025", "Q1 2026".
    pub periods: Vec<String>,
    /// Net flow per period (benefit − cost; costs negative).
    pub net: Vec<f64>,
    /// Cumulative undiscounted value; empty = running sum of `net`.
    #[serde(default)]
    pub cumulative: Vec<f64>,
    /// Cumulative discounted value (its last value is the NPV); empty = not drawn.
    #[serde(default)]
    pub cumulative_discounted: Vec<f64>,
    /// Legend texts.
    #[serde(default)]
    pub labels: CashFlowLabels,
}

/// Legend texts of [`cash_flow_chart`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CashFlowLabels {
    pub inflow: String,
    pub outflow: String,
    pub cumulative: String,
    pub discounted: String,
}

impl Default for CashFlowLabels {
    fn default() -> Self {
        CashFlowLabels {
            inflow: "Net benefit".into(),
            outflow: "Net cost".into(),
            cumulative: "Cumulative".into(),
            discounted: "Cumulative discounted".into(),
        }
    }
}

const KIND: &str = "cashflow";
const CUM: Role = Role::Series(0);
const DISC: Role = Role::Series(3);

/// Bars for net flow per period (green up / red down), a solid line with dots
/// for the cumulative value and a dashed line for the cumulative discounted
/// value, with their final values labelled at the right; zero line emphasised.
pub fn cash_flow_chart(
    id: &str,
    spec: &ChartSpec,
    data: &CashFlowData,
) -> Result<String, ChartError> {
    let n = data.periods.len();
    check_len("net", n, data.net.len())?;
    check_values("net", &data.net)?;
    let cumulative: Vec<f64> = if data.cumulative.is_empty() {
        data.net
            .iter()
            .scan(0.0, |acc, v| {
                *acc += v;
                Some(*acc)
            })
            .collect()
    } else {
        check_len("cumulative", n, data.cumulative.len())?;
        data.cumulative.clone()
    };
    check_values("cumulative", &cumulative)?;
    let disc = &data.cumulative_discounted;
    if !disc.is_empty() {
        check_len("cumulative_discounted", n, disc.len())?;
        check_values("cumulative_discounted", disc)?;
    }
    if n == 0 {
        return no_data(KIND, id, spec, 360);
    }

    let height = spec.height_or(360);
    let fmt = ValueFormat::default();
    let all = data
        .net
        .iter()
        .chain(&cumulative)
        .chain(disc.iter())
        .copied();
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let ticks = nice_ticks(lo, hi, 5, false);
    let labels: Vec<String> = ticks.iter().map(|t| fmt.format(*t)).collect();

    let l = &data.labels;
    let mut items = Vec::new();
    let any_pos = data.net.iter().any(|v| *v > 0.0);
    let any_neg = data.net.iter().any(|v| *v < 0.0);
    if any_pos || !any_neg {
        items.push(LegendItem::new(&l.inflow, Swatch::Box(Role::Positive, 1.0)));
    }
    if any_neg || !any_pos {
        items.push(LegendItem::new(
            &l.outflow,
            Swatch::Box(Role::Negative, 1.0),
        ));
    }
    items.push(LegendItem::new(&l.cumulative, Swatch::LineDot(CUM)));
    if !disc.is_empty() {
        items.push(LegendItem::new(&l.discounted, Swatch::Line(DISC, true)));
    }

    let last_cum = cumulative[n - 1];
    let last_disc = disc.last().copied();
    let end_w = text_width(&fmt.format(last_cum), FS_LABEL).max(
        last_disc
            .map(|v| text_width(&fmt.format(v), FS_LABEL))
            .unwrap_or(0.0),
    );

    render(head(KIND, id, spec, height), |c| {
        let lw = legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        let plot = Plot {
            x0: OUTER + max_label_width(&labels, FS_TICK) + 8.0,
            y0: OUTER + lw + 24.0,
            x1: c.w - OUTER - end_w - 10.0,
            y1: c.h - OUTER - 20.0,
        };
        y_caption(c, &data.currency, plot.y0 - 8.0)?;
        let ys = Scale::new(ticks[0], ticks[ticks.len() - 1], plot.y1, plot.y0);
        y_grid(c, plot, ys, &ticks, &fmt)?;

        let band = plot.width() / n as f64;
        let bar_w = (band * 0.56).min(56.0);
        let cx = |i: usize| plot.x0 + band * (i as f64 + 0.5);
        let y0 = ys.map(0.0);
        for (i, v) in data.net.iter().enumerate() {
            let role = if *v >= 0.0 {
                Role::Positive
            } else {
                Role::Negative
            };
            c.rect(
                cx(i) - bar_w / 2.0,
                y0,
                cx(i) + bar_w / 2.0,
                ys.map(*v),
                role,
                0.9,
            )?;
        }
        c.hline(plot.x0, plot.x1, y0, Role::Axis, 1, false)?;

        let pts = |vals: &[f64]| -> Vec<(f64, f64)> {
            vals.iter()
                .enumerate()
                .map(|(i, v)| (cx(i), ys.map(*v)))
                .collect()
        };
        if !disc.is_empty() {
            c.line(&pts(disc), DISC, 2, true)?;
        }
        let cum_pts = pts(&cumulative);
        c.line(&cum_pts, CUM, 2, false)?;
        for (x, y) in &cum_pts {
            c.circle(*x, *y, 3.5, CUM, 1.0, true, 1)?;
        }

        // Final values at the right end of the lines, pushed apart if close.
        let lx = cx(n - 1) + 10.0;
        let mut y_cum = ys.map(last_cum);
        if let Some(d) = last_disc {
            let mut y_d = ys.map(d);
            if (y_cum - y_d).abs() < 15.0 {
                let mid = (y_cum + y_d) / 2.0;
                let up = if d > last_cum { -7.5 } else { 7.5 };
                y_d = mid + up;
                y_cum = mid - up;
            }
            c.text(
                &fmt.format(d),
                lx,
                y_d,
                FS_LABEL,
                DISC,
                Anchor::Start,
                Baseline::Middle,
            )?;
        }
        c.text(
            &fmt.format(last_cum),
            lx,
            y_cum,
            FS_LABEL,
            CUM,
            Anchor::Start,
            Baseline::Middle,
        )?;

        band_labels(c, plot, &data.periods)
    })
}
