//! Roadmap / Gantt chart.

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::font::{fit_text, text_width};
use crate::format::{date_ticks, format_date};
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// A dated milestone on a roadmap row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// Days since 1970-01-01.
    pub day: i64,
    /// Short label drawn under the diamond when there is room.
    #[serde(default)]
    pub label: String,
}

/// One roadmap row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapItem {
    pub label: String,
    /// Group (e.g. value stream) deciding the colour.
    #[serde(default)]
    pub group: String,
    /// Start day (days since 1970-01-01), inclusive.
    pub start: i64,
    /// End day, inclusive; must not be before `start`.
    pub end: i64,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// Rows of a roadmap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoadmapData {
    /// Drawn top to bottom in this order.
    pub items: Vec<RoadmapItem>,
    /// Group order for colours (see [`crate::BubbleData::groups`]).
    #[serde(default)]
    pub groups: Vec<String>,
    /// The "today" marker (days since 1970-01-01); none = not drawn.
    #[serde(default)]
    pub today: Option<i64>,
    /// X tick positions (days) and labels; empty = month/year ticks computed from the dates.
    #[serde(default)]
    pub ticks: Vec<(i64, String)>,
    #[serde(default)]
    pub labels: RoadmapLabels,
}

/// Legend texts of [`roadmap_chart`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoadmapLabels {
    pub today: String,
    pub milestone: String,
}

impl Default for RoadmapLabels {
    fn default() -> Self {
        RoadmapLabels {
            today: "Today".into(),
            milestone: "Milestone".into(),
        }
    }
}

const KIND: &str = "roadmap";

/// Rows beyond which the time axis is drawn above the rows as well as below: a reader of
/// a long chart (or of its second printed page) keeps the dates in view.
pub const AXIS_TOP_ROWS: usize = 12;

/// One bar per item from start to end coloured by group, milestones as
/// diamonds (labelled below the bar when there is room), a dashed vertical
/// "today" line, month or year ticks with vertical gridlines.
pub fn roadmap_chart(id: &str, spec: &ChartSpec, data: &RoadmapData) -> Result<String, ChartError> {
    for (i, it) in data.items.iter().enumerate() {
        if it.end < it.start {
            return Err(ChartError::InvalidData(format!(
                "items[{i}] ({}) ends before it starts",
                crate::svg::clean_text(&it.label)
            )));
        }
    }
    let n = data.items.len();
    if n == 0 {
        return no_data(KIND, id, spec, 200);
    }
    let groups = group_order(&data.groups, data.items.iter().map(|i| i.group.as_str()));
    let mut items: Vec<LegendItem> = Vec::new();
    let used: Vec<&String> = groups
        .iter()
        .filter(|g| data.items.iter().any(|i| &i.group == *g))
        .collect();
    if used.len() > 1 || used.first().is_some_and(|g| !g.is_empty()) {
        for g in used {
            items.push(LegendItem::new(
                g,
                Swatch::Box(Role::series(group_index(&groups, g)), 1.0),
            ));
        }
    }
    let any_ms = data.items.iter().any(|i| !i.milestones.is_empty());
    let ms_labels = data
        .items
        .iter()
        .flat_map(|i| &i.milestones)
        .any(|m| !m.label.trim().is_empty());
    if any_ms {
        items.push(LegendItem::new(
            &data.labels.milestone,
            Swatch::Diamond(Role::Marker),
        ));
    }
    if data.today.is_some() {
        items.push(LegendItem::new(
            &data.labels.today,
            Swatch::Line(Role::Today, true),
        ));
    }

    let width = f64::from(spec.width());
    let legend_h = legend_height(&items, width - 2.0 * OUTER);
    let axis_top = n > AXIS_TOP_ROWS;
    let top = OUTER
        + legend_h
        + if data.today.is_some() { 26.0 } else { 8.0 }
        + if axis_top { 20.0 } else { 0.0 };
    let bottom = OUTER + 24.0;
    let row = match spec.height {
        Some(h) => ((f64::from(h) - top - bottom) / n as f64).clamp(14.0, 80.0),
        None if ms_labels => 40.0,
        None => 30.0,
    };
    let height = spec
        .height
        .unwrap_or((top + row * n as f64 + bottom).ceil() as u32)
        .clamp(120, 4000);

    // Day range covering bars, milestones and today, padded by 2%.
    let days = data
        .items
        .iter()
        .flat_map(|i| {
            [i.start, i.end]
                .into_iter()
                .chain(i.milestones.iter().map(|m| m.day))
        })
        .chain(data.today);
    let (mut dlo, mut dhi) = days.fold((i64::MAX, i64::MIN), |(a, b), d| (a.min(d), b.max(d)));
    dlo = dlo.clamp(-1_000_000, 1_000_000);
    dhi = dhi.clamp(-1_000_000, 1_000_000);
    let pad = ((dhi - dlo) / 50).max(3);
    dlo -= pad;
    dhi += pad;

    let labels: Vec<String> = data
        .items
        .iter()
        .map(|i| crate::svg::clean_text(&i.label))
        .collect();
    let label_w = max_label_width(&labels, FS_LABEL).min(width * 0.3);

    render(head(KIND, id, spec, height), |c| {
        legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        let plot = Plot {
            x0: OUTER + label_w + 14.0,
            y0: top,
            x1: c.w - OUTER - 8.0,
            y1: top + row * n as f64,
        };
        let xs = Scale::new(dlo as f64, dhi as f64, plot.x0, plot.x1);
        let xt = if data.ticks.is_empty() {
            date_ticks(dlo, dhi, (plot.width() / 90.0).floor().max(2.0) as usize)
        } else {
            data.ticks.clone()
        };
        let xt: Vec<(f64, String)> = xt
            .into_iter()
            .filter(|(d, _)| *d >= dlo && *d <= dhi)
            .map(|(d, l)| (d as f64, l))
            .collect();
        // Alternate row shading for readability.
        for i in (1..n).step_by(2) {
            let y = plot.y0 + row * i as f64;
            c.rect(OUTER, y, plot.x1, y + row, Role::Grid, 0.45)?;
        }
        x_grid(c, plot, xs, &xt, false)?;
        c.hline(plot.x0, plot.x1, plot.y1, Role::Axis, 1, false)?;
        if axis_top {
            // The same tick labels above the rows (above the "today" label).
            let ty = plot.y0 - if data.today.is_some() { 26.0 } else { 7.0 };
            let mut last_end = f64::NEG_INFINITY;
            for (t, label) in &xt {
                let x = xs.map(*t);
                let w = text_width(label, FS_TICK);
                let start = (x - w / 2.0).min(c.w - 2.0 - w);
                if start < last_end + 6.0 {
                    continue;
                }
                last_end = start + w;
                c.text(
                    label,
                    start,
                    ty,
                    FS_TICK,
                    Role::Muted,
                    Anchor::Start,
                    Baseline::Bottom,
                )?;
            }
            c.hline(plot.x0, plot.x1, plot.y0, Role::Axis, 1, false)?;
        }

        let bar_h = if ms_labels {
            (row * 0.4).min(16.0)
        } else {
            (row * 0.5).min(18.0)
        };
        for (i, it) in data.items.iter().enumerate() {
            let row_top = plot.y0 + row * i as f64;
            let cy = if ms_labels {
                row_top + 4.0 + bar_h / 2.0 + (row - 36.0).max(0.0) / 4.0
            } else {
                row_top + row / 2.0
            };
            let role = Role::series(group_index(&groups, &it.group));
            let x0 = xs.map(it.start as f64);
            let x1 = xs.map((it.end + 1) as f64).max(x0 + 3.0);
            // The row's name and its bar share one hover text: the whole name, its dates.
            let tip = format!(
                "{}: {} to {}",
                labels[i],
                format_date(it.start),
                format_date(it.end)
            );
            c.titled(&tip, |c| {
                c.text_fit(
                    &labels[i],
                    label_w,
                    OUTER + 2.0,
                    cy,
                    FS_LABEL,
                    Role::Text,
                    Anchor::Start,
                    Baseline::Middle,
                )?;
                c.rect(x0, cy - bar_h / 2.0, x1, cy + bar_h / 2.0, role, 1.0)
            })?;
            let mut ms: Vec<&Milestone> = it.milestones.iter().collect();
            ms.sort_by_key(|m| m.day);
            for (k, m) in ms.iter().enumerate() {
                let mx = xs.map(m.day as f64);
                let next = ms
                    .get(k + 1)
                    .map(|n| xs.map(n.day as f64))
                    .unwrap_or(plot.x1 + 4.0);
                let room = next - (mx - 6.0) - 8.0;
                let name = crate::svg::clean_text(&m.label);
                // The diamond and its label share one hover text: the whole name and
                // its date, whether or not the label had room.
                let tip = if name.is_empty() {
                    format!("{}: {}", data.labels.milestone, format_date(m.day))
                } else {
                    format!("{name}: due {}", format_date(m.day))
                };
                c.titled(&tip, |c| {
                    c.diamond(mx, cy, 6.5, Role::Marker)?;
                    // A label cut to a stub ("Co…") says nothing: it is drawn whole or
                    // cut to eight characters or more, else left to the hover text.
                    let t = fit_text(&name, FS_SMALL, room.max(0.0));
                    if !name.is_empty() && (t == name || t.chars().count() > 8) {
                        let start = (mx - 6.0).min(plot.x1 - text_width(&t, FS_SMALL));
                        c.text(
                            &t,
                            start,
                            cy + bar_h / 2.0 + 3.0,
                            FS_SMALL,
                            Role::Muted,
                            Anchor::Start,
                            Baseline::Top,
                        )?;
                    }
                    Ok(())
                })?;
            }
        }
        if let Some(t) = data.today {
            let x = xs.map(t as f64);
            c.vline(x, plot.y0 - 4.0, plot.y1, Role::Today, 2, true)?;
            c.text(
                &data.labels.today,
                x,
                plot.y0 - 7.0,
                FS_SMALL,
                Role::Today,
                Anchor::Middle,
                Baseline::Bottom,
            )?;
        }
        Ok(())
    })
}
