//! KPI progress: dated actuals against baseline and target.

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::font::{fit_text, text_width};
use crate::format::{ValueFormat, date_ticks, days_from_civil, nice_ticks};
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// One dated measurement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct KpiPoint {
    /// Days since 1970-01-01 (see [`crate::days_from_civil`]).
    pub day: i64,
    pub value: f64,
}

impl KpiPoint {
    /// A point from a calendar date.
    pub fn ymd(year: i32, month: u32, day: u32, value: f64) -> Self {
        KpiPoint {
            day: days_from_civil(year, month, day),
            value,
        }
    }
}

/// A KPI's actuals, baseline and target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KpiData {
    /// Dated actuals (any order; drawn sorted by day).
    pub points: Vec<KpiPoint>,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub target: Option<f64>,
    /// Caption, e.g. "%" or "NPS".
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub format: ValueFormat,
    /// X tick positions and labels; empty = month ticks computed from the dates.
    #[serde(default)]
    pub ticks: Vec<(i64, String)>,
    /// Optional x range (days) e.g. to show the time left until a target date.
    #[serde(default)]
    pub x_range: Option<(i64, i64)>,
    #[serde(default)]
    pub labels: KpiLabels,
}

/// Legend texts of [`kpi_chart`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KpiLabels {
    pub actual: String,
    pub target: String,
    pub baseline: String,
}

impl Default for KpiLabels {
    fn default() -> Self {
        KpiLabels {
            actual: "Actual".into(),
            target: "Target".into(),
            baseline: "Baseline".into(),
        }
    }
}

const KIND: &str = "kpi";
const LINE: Role = Role::Series(0);

/// A line with dots through the actuals (latest value labelled), dashed
/// horizontal lines for target and baseline labelled at the right.
pub fn kpi_chart(id: &str, spec: &ChartSpec, data: &KpiData) -> Result<String, ChartError> {
    let values: Vec<f64> = data.points.iter().map(|p| p.value).collect();
    check_values("points.value", &values)?;
    let refs: Vec<f64> = data
        .baseline
        .iter()
        .chain(data.target.iter())
        .copied()
        .collect();
    check_values("baseline/target", &refs)?;
    if data.x_range.is_some_and(|(a, b)| a > b) {
        return Err(ChartError::InvalidData(
            "x_range start is after its end".into(),
        ));
    }
    if data.points.is_empty() && refs.is_empty() {
        return no_data(KIND, id, spec, 320);
    }
    let height = spec.height_or(320);
    let fmt = &data.format;
    let mut pts = data.points.clone();
    pts.sort_by_key(|p| p.day);
    let (mut dlo, mut dhi) = match (pts.first(), pts.last()) {
        (Some(a), Some(b)) => (a.day, b.day),
        _ => (0, 0),
    };
    if let Some((a, b)) = data.x_range {
        dlo = dlo.min(a);
        dhi = dhi.max(b);
        if pts.is_empty() {
            (dlo, dhi) = (a, b);
        }
    }
    if dhi - dlo < 2 {
        dlo -= 15;
        dhi += 15;
    }
    let (mut lo, mut hi) = values
        .iter()
        .chain(&refs)
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let pad = ((hi - lo) * 0.08).max(hi.abs().max(lo.abs()) * 0.02);
    if lo >= 0.0 && lo - pad < 0.0 {
        lo = 0.0;
    } else {
        lo -= pad;
    }
    hi += pad;
    let ticks = nice_ticks(lo, hi, 5, false);
    let labels: Vec<String> = ticks.iter().map(|t| fmt.format(*t)).collect();

    let l = &data.labels;
    let mut items = vec![LegendItem::new(&l.actual, Swatch::LineDot(LINE))];
    let mut refs_drawn: Vec<(f64, String, Role)> = Vec::new();
    if let Some(t) = data.target {
        items.push(LegendItem::new(&l.target, Swatch::Line(Role::Target, true)));
        refs_drawn.push((t, format!("{} {}", l.target, fmt.format(t)), Role::Target));
    }
    if let Some(b) = data.baseline {
        items.push(LegendItem::new(
            &l.baseline,
            Swatch::Line(Role::Baseline, true),
        ));
        refs_drawn.push((
            b,
            format!("{} {}", l.baseline, fmt.format(b)),
            Role::Baseline,
        ));
    }
    // The reference labels sit in the right margin, at most a third of the chart wide
    // (a long target label from content is cut with an ellipsis, the plot keeps its room).
    let max_right = f64::from(spec.width()) / 3.0;
    for (_, s, _) in &mut refs_drawn {
        *s = crate::svg::clean_text(s);
    }
    let right = refs_drawn
        .iter()
        .map(|(_, s, _)| text_width(&fit_text(s, FS_SMALL, max_right), FS_SMALL))
        .fold(0.0, f64::max);

    render(head(KIND, id, spec, height), |c| {
        let lw = legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        let plot = Plot {
            x0: OUTER + max_label_width(&labels, FS_TICK) + 8.0,
            y0: OUTER + lw + 24.0,
            x1: c.w - OUTER - right - 8.0,
            y1: c.h - OUTER - 20.0,
        };
        y_caption(c, &data.unit, plot.y0 - 8.0)?;
        let ys = Scale::new(ticks[0], ticks[ticks.len() - 1], plot.y1, plot.y0);
        let xs = Scale::new(dlo as f64, dhi as f64, plot.x0 + 12.0, plot.x1 - 12.0);
        y_grid(c, plot, ys, &ticks, fmt)?;
        let xt: Vec<(i64, String)> = if data.ticks.is_empty() {
            date_ticks(dlo, dhi, ((plot.width()) / 80.0).floor().max(2.0) as usize)
        } else {
            data.ticks.clone()
        };
        let mut last_end = f64::NEG_INFINITY;
        for (d, label) in &xt {
            if *d < dlo || *d > dhi {
                continue;
            }
            let x = xs.map(*d as f64);
            c.vline(x, plot.y1, plot.y1 + 4.0, Role::Axis, 1, false)?;
            let w = text_width(label, FS_TICK);
            if x - w / 2.0 < last_end + 8.0 {
                continue;
            }
            last_end = x + w / 2.0;
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
        c.hline(plot.x0, plot.x1, plot.y1, Role::Axis, 1, false)?;

        // Reference lines, labels in the right margin pushed apart when close.
        let mut label_ys: Vec<f64> = refs_drawn.iter().map(|(v, _, _)| ys.map(*v)).collect();
        if label_ys.len() == 2 && (label_ys[0] - label_ys[1]).abs() < 15.0 {
            let mid = (label_ys[0] + label_ys[1]) / 2.0;
            let s = if label_ys[0] <= label_ys[1] {
                -7.5
            } else {
                7.5
            };
            label_ys = vec![mid + s, mid - s];
        }
        for ((v, text, role), ly) in refs_drawn.iter().zip(&label_ys) {
            c.hline(plot.x0, plot.x1, ys.map(*v), *role, 2, true)?;
            c.text_fit(
                text,
                max_right,
                plot.x1 + 6.0,
                *ly,
                FS_SMALL,
                *role,
                Anchor::Start,
                Baseline::Middle,
            )?;
        }

        let line: Vec<(f64, f64)> = pts
            .iter()
            .map(|p| (xs.map(p.day as f64), ys.map(p.value)))
            .collect();
        c.line(&line, LINE, 2, false)?;
        for (x, y) in &line {
            c.circle(*x, *y, 3.5, LINE, 1.0, true, 1)?;
        }
        if let (Some(p), Some((x, y))) = (pts.last(), line.last()) {
            // Label the latest value on the side the line is heading to (away
            // from the previous segment), on a background so lines stay readable.
            let rising = line.len() < 2 || line[line.len() - 2].1 >= *y;
            let fits_above = *y - 24.0 > plot.y0;
            let fits_below = *y + 24.0 < plot.y1;
            let above = (rising && fits_above) || !fits_below;
            let text = fmt.format(p.value);
            let w = text_width(&text, FS_LABEL) + 6.0;
            let (t0, t1) = if above {
                (y - 24.0, y - 7.0)
            } else {
                (y + 7.0, y + 24.0)
            };
            let cx = x.min(plot.x1 - w / 2.0);
            c.rect(cx - w / 2.0, t0, cx + w / 2.0, t1, Role::Bg, 0.85)?;
            c.text_bold(
                &text,
                cx,
                (t0 + t1) / 2.0,
                FS_LABEL,
                Role::Text,
                Anchor::Middle,
                Baseline::Middle,
            )?;
        }
        Ok(())
    })
}
