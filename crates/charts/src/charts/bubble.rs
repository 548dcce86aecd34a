//! Value vs effort bubble chart.

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::font::{fit_text, text_width};
use crate::format::{ValueFormat, nice_ticks};
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// One bubble.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BubblePoint {
    /// Short name, drawn next to the bubble when there are few points.
    pub name: String,
    /// Group (e.g. value stream) deciding the colour.
    #[serde(default)]
    pub group: String,
    /// Effort / cost.
    pub x: f64,
    /// Value (NPV, score...).
    pub y: f64,
    /// Bubble area is proportional to this (values <= 0 get the smallest bubble).
    #[serde(default)]
    pub size: f64,
}

/// Points of a value vs effort chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BubbleData {
    pub points: Vec<BubblePoint>,
    /// Group order (colour `--chart-1` for the first, ...). Groups used by
    /// points but not listed come after, in order of appearance. Pass the same
    /// list to every chart so a value stream keeps its colour.
    #[serde(default)]
    pub groups: Vec<String>,
    /// X axis title, e.g. "Cost (EUR)".
    #[serde(default)]
    pub x_title: String,
    /// Y axis title, e.g. "NPV (EUR)".
    #[serde(default)]
    pub y_title: String,
    /// What the bubble size means, e.g. "Bubble size: strategic alignment".
    #[serde(default)]
    pub size_title: String,
    #[serde(default)]
    pub x_format: ValueFormat,
    #[serde(default)]
    pub y_format: ValueFormat,
    /// Every point is labelled when there are at most this many (default 15); with more,
    /// the [`LABEL_EACH`] of highest value and the [`LABEL_EACH`] of highest cost are.
    #[serde(default)]
    pub label_limit: Option<usize>,
}

const KIND: &str = "bubble";

/// With more points than the label limit, the points of highest value (y) and those of
/// highest cost (x) labelled, this many of each: the bubbles a reader asks about.
pub const LABEL_EACH: usize = 3;

/// Tukey's outer fences of `v` (3 interquartile ranges beyond the quartiles): a value
/// outside is far out. Fewer than 8 values, or no spread, fence nothing out.
fn fences(v: &[f64]) -> std::ops::RangeInclusive<f64> {
    if v.len() < 8 {
        return f64::NEG_INFINITY..=f64::INFINITY;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let q = |p: f64| s[((s.len() - 1) as f64 * p).round() as usize];
    let (q1, q3) = (q(0.25), q(0.75));
    let iqr = q3 - q1;
    if iqr <= 0.0 {
        return f64::NEG_INFINITY..=f64::INFINITY;
    }
    (q1 - 3.0 * iqr)..=(q3 + 3.0 * iqr)
}

/// An axis title without its unit, for a hover text: "Lifetime cost (EUR)" → "Lifetime cost".
fn axis_name(title: &str, fallback: &str) -> String {
    let t = crate::svg::clean_text(title.split(" (").next().unwrap_or_default());
    if t.is_empty() {
        fallback.to_string()
    } else {
        t
    }
}

fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Bubbles at (cost, value), area by `size`, coloured by group with a legend;
/// short names next to bubbles when few. The y zero line is emphasised.
pub fn bubble_chart(id: &str, spec: &ChartSpec, data: &BubbleData) -> Result<String, ChartError> {
    let pts = &data.points;
    let xs_v: Vec<f64> = pts.iter().map(|p| p.x).collect();
    let ys_v: Vec<f64> = pts.iter().map(|p| p.y).collect();
    let ss_v: Vec<f64> = pts.iter().map(|p| p.size).collect();
    check_values("points.x", &xs_v)?;
    check_values("points.y", &ys_v)?;
    check_values("points.size", &ss_v)?;
    if pts.is_empty() {
        return no_data(KIND, id, spec, 420);
    }
    let height = spec.height_or(420);
    let groups = group_order(&data.groups, pts.iter().map(|p| p.group.as_str()));
    let used: Vec<&String> = groups
        .iter()
        .filter(|g| pts.iter().any(|p| &p.group == *g))
        .collect();
    let items: Vec<LegendItem> = if used.len() > 1 || used.first().is_some_and(|g| !g.is_empty()) {
        used.iter()
            .map(|g| LegendItem::new(g, Swatch::Dot(Role::series(group_index(&groups, g)))))
            .collect()
    } else {
        Vec::new()
    };

    let max_size = ss_v.iter().copied().fold(0.0f64, f64::max);
    let label_limit = data.label_limit.unwrap_or(15);

    render(head(KIND, id, spec, height), |c| {
        let mut top = OUTER + legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        if !data.size_title.is_empty() {
            c.text(
                &data.size_title,
                OUTER,
                top + 4.0,
                FS_SMALL,
                Role::Muted,
                Anchor::Start,
                Baseline::Top,
            )?;
            top += 20.0;
        }
        let bottom_title = if data.x_title.is_empty() { 0.0 } else { 22.0 };
        let y1 = c.h - OUTER - 20.0 - bottom_title;
        let y0 = top + 26.0;
        let r_max = ((y1 - y0) / 9.0).clamp(10.0, 30.0);
        let r_min = 5.0;
        let radius = |s: f64| {
            if max_size > 0.0 && s > 0.0 {
                r_min + (r_max - r_min) * (s / max_size).sqrt()
            } else if max_size > 0.0 {
                r_min
            } else {
                9.0
            }
        };

        // Domains: include zero on y (value sign matters) and on x when costs are positive.
        // Points far outside the rest (Tukey's outer fences) do not stretch the axes: they
        // sit in a margin beyond the axis's end, ringed and labelled with their value.
        let (fx, fy) = (fences(&xs_v), fences(&ys_v));
        let (mut xlo, mut xhi) = pts
            .iter()
            .filter(|p| fx.contains(&p.x))
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
        let (mut ylo, mut yhi) = pts
            .iter()
            .filter(|p| fy.contains(&p.y))
            .fold((0.0f64, 0.0f64), |(a, b), p| (a.min(p.y), b.max(p.y)));
        if xlo > xhi {
            (xlo, xhi) = (0.0, 1.0);
        }
        if xlo >= 0.0 {
            xlo = 0.0;
        }
        if (xhi - xlo).abs() < 1e-9 {
            xhi = xlo + xlo.abs().max(1.0);
        }
        if (yhi - ylo).abs() < 1e-9 {
            yhi = ylo + 1.0;
        }
        // Pad so that bubbles stay inside the plot (approximate plot size).
        let approx_w = c.w - 110.0;
        let approx_h = y1 - y0;
        let px_x = (r_max + 4.0) / approx_w * (xhi - xlo);
        let px_y = (r_max + 4.0) / approx_h * (yhi - ylo);
        // Costs that are never negative keep an axis from zero: the room for a bubble
        // near zero is a margin left of the zero line, not a negative tick (a cost axis
        // from -10M reads as negative costs).
        let from_zero = xlo == 0.0;
        xhi += px_x;
        ylo -= px_y;
        yhi += px_y;
        if !from_zero {
            xlo -= px_x;
        }
        let xt = nice_ticks(xlo, xhi, 6, false);
        let x_start = if from_zero {
            -(r_max + 4.0) / approx_w * (xt[xt.len() - 1] - xt[0])
        } else {
            xt[0]
        };
        let yt = nice_ticks(ylo, yhi, 5, false);
        let ylabels: Vec<String> = yt.iter().map(|t| data.y_format.format(*t)).collect();
        // Off the scale: beyond the axes' ends (a fenced-out point within the last nice
        // tick is drawn in place).
        let (xd0, xd1, yd0, yd1) = (x_start, xt[xt.len() - 1], yt[0], yt[yt.len() - 1]);
        let x_over = |p: &BubblePoint| p.x > xd1;
        let y_over = |p: &BubblePoint| p.y > yd1;
        let y_under = |p: &BubblePoint| p.y < yd0;
        let inside = |p: &BubblePoint| p.x >= xd0 && !x_over(p) && !y_over(p) && !y_under(p);
        let gutter = 2.0 * r_max + 14.0;
        let (g_right, g_top, g_bottom) = (
            pts.iter().any(x_over),
            pts.iter().any(y_over),
            pts.iter().any(y_under),
        );
        let plot = Plot {
            x0: OUTER + max_label_width(&ylabels, FS_TICK) + 8.0,
            y0: y0 + if g_top { gutter } else { 0.0 },
            x1: c.w - OUTER - 8.0 - if g_right { gutter } else { 0.0 },
            y1: y1 - if g_bottom { gutter } else { 0.0 },
        };
        let xs = Scale::new(x_start, xt[xt.len() - 1], plot.x0, plot.x1);
        let ys = Scale::new(yt[0], yt[yt.len() - 1], plot.y1, plot.y0);
        let xticks: Vec<(f64, String)> =
            xt.iter().map(|t| (*t, data.x_format.format(*t))).collect();
        x_grid(c, plot, xs, &xticks, true)?;
        y_grid(c, plot, ys, &yt, &data.y_format)?;
        c.line(
            &[(plot.x0, plot.y0), (plot.x0, plot.y1)],
            Role::Axis,
            1,
            false,
        )?;
        y_caption(c, &data.y_title, plot.y0 - 10.0)?;
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

        // Where a bubble is drawn: at its value, or clamped to the plot's edge when off
        // the scale.
        let place = |p: &BubblePoint| {
            let r = radius(p.size);
            let x = if x_over(p) {
                plot.x1 + gutter / 2.0 + 4.0
            } else {
                xs.map(p.x).max(plot.x0 + r)
            };
            let y = if y_over(p) {
                plot.y0 - gutter / 2.0 - 4.0
            } else if y_under(p) {
                plot.y1 + gutter / 2.0 + 4.0
            } else {
                ys.map(p.y)
            };
            (x, y, r)
        };
        // The margins beyond the axes, each with its bound ("over €12M").
        if g_right {
            let x = plot.x1 + 8.0;
            c.vline(x, plot.y0, plot.y1, Role::Axis, 1, true)?;
            c.text(
                &format!("over {}", data.x_format.format(xd1)),
                x + gutter / 2.0,
                plot.y1 + 7.0,
                FS_TICK,
                Role::Muted,
                Anchor::Middle,
                Baseline::Top,
            )?;
        }
        for (on, y, bound, word) in [
            (g_top, plot.y0 - 8.0, yd1, "over"),
            (g_bottom, plot.y1 + 8.0, yd0, "under"),
        ] {
            if on {
                c.hline(plot.x0, plot.x1, y, Role::Axis, 1, true)?;
                c.text(
                    &format!("{word} {}", data.y_format.format(bound)),
                    plot.x0 - 8.0,
                    if word == "over" {
                        y - gutter / 2.0
                    } else {
                        y + gutter / 2.0
                    },
                    FS_TICK,
                    Role::Muted,
                    Anchor::End,
                    Baseline::Middle,
                )?;
            }
        }
        let x_name = axis_name(&data.x_title, "x");
        let y_name = axis_name(&data.y_title, "y");
        // Largest first so small bubbles stay visible on top.
        let mut order: Vec<usize> = (0..pts.len()).collect();
        order.sort_by(|a, b| pts[*b].size.total_cmp(&pts[*a].size).then(a.cmp(b)));
        for &i in &order {
            let p = &pts[i];
            let role = Role::series(group_index(&groups, &p.group));
            let (x, y, r) = place(p);
            // The name on the first line (what a search matches), then the figures.
            let mut tip = crate::svg::clean_text(&p.name);
            if !p.group.is_empty() {
                tip.push_str(&format!("\n{}", crate::svg::clean_text(&p.group)));
            }
            tip.push_str(&format!(
                "\n{x_name}: {}\n{y_name}: {}",
                data.x_format.format(p.x),
                data.y_format.format(p.y)
            ));
            if !inside(p) {
                tip.push_str("\nBeyond the axis, drawn in the margin");
            }
            c.titled(&tip, |c| {
                c.circle(x, y, r, role, 0.55, true, 1)?;
                c.circle(x, y, r, role, 1.0, false, 1)?;
                if !inside(p) {
                    // A ring marks a bubble held at the edge.
                    c.circle(x, y, r + 3.0, Role::Text, 1.0, false, 1)?;
                }
                Ok(())
            })?;
        }
        if pts.iter().any(|p| !inside(p)) {
            c.text(
                "Ringed: beyond the axis, value in its label",
                c.w - OUTER,
                y0 - 10.0,
                FS_SMALL,
                Role::Muted,
                Anchor::End,
                Baseline::Bottom,
            )?;
        }

        // Which points get a label: all of a few, else the largest by value and by cost.
        let labelled: Vec<bool> = if pts.len() <= label_limit {
            vec![true; pts.len()]
        } else {
            let mut l = vec![false; pts.len()];
            let mut by = |key: &dyn Fn(&BubblePoint) -> f64| {
                let mut idx: Vec<usize> = (0..pts.len()).collect();
                idx.sort_by(|&a, &b| key(&pts[b]).total_cmp(&key(&pts[a])).then(a.cmp(&b)));
                for &k in idx.iter().take(LABEL_EACH) {
                    l[k] = true;
                }
            };
            by(&|p| p.y);
            by(&|p| p.x);
            for (k, p) in pts.iter().enumerate() {
                l[k] |= !inside(p);
            }
            l
        };
        {
            let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
            let bubbles: Vec<(f64, f64, f64)> = pts.iter().map(place).collect();
            // Place labels of off-scale bubbles first (their value is only there), then
            // of big bubbles.
            let mut label_order: Vec<usize> =
                order.iter().copied().filter(|&i| labelled[i]).collect();
            label_order.sort_by_key(|&i| inside(&pts[i]));
            for &i in &label_order {
                let (x, y, r) = bubbles[i];
                let p = &pts[i];
                // An off-scale bubble's label keeps its value whole: "Name… €30.2M".
                let (full, name) = if inside(p) {
                    let full = crate::svg::clean_text(&p.name);
                    let name = fit_text(&full, FS_LABEL, 160.0);
                    (full, name)
                } else {
                    let v = if x_over(p) {
                        data.x_format.format(p.x)
                    } else {
                        data.y_format.format(p.y)
                    };
                    let full = format!("{} {v}", crate::svg::clean_text(&p.name));
                    let room = 160.0 - text_width(&format!(" {v}"), FS_LABEL);
                    let name = format!(
                        "{} {v}",
                        fit_text(&crate::svg::clean_text(&p.name), FS_LABEL, room)
                    );
                    (full, name)
                };
                if name.is_empty() {
                    continue;
                }
                let w = text_width(&name, FS_LABEL);
                let h = 15.0;
                // Right, left, above, below; then above and below held to the chart's
                // right edge (for a bubble in the right-hand margin).
                let edge = c.w - 4.0 - w;
                let candidates = [
                    (x + r + 4.0, y - h / 2.0),
                    (x - r - 4.0 - w, y - h / 2.0),
                    (x - w / 2.0, y - r - 2.0 - h),
                    (x - w / 2.0, y + r + 2.0),
                    (edge.min(x - w / 2.0), y - r - 5.0 - h),
                    (edge.min(x - w / 2.0), y + r + 5.0),
                ];
                // First try not to touch any bubble, then accept covering other bubbles.
                'strict: for strict in [true, false] {
                    for (bx, by) in candidates {
                        let bbox = (bx, by, bx + w, by + h);
                        if bx < plot.x0 + 2.0 || bx + w > c.w - 4.0 || by < y0 || by + h > y1 {
                            continue;
                        }
                        if placed.iter().any(|b| overlaps(*b, bbox)) {
                            continue;
                        }
                        let hits = bubbles.iter().enumerate().any(|(j, (cx, cy, cr))| {
                            let nx = cx.clamp(bbox.0, bbox.2);
                            let ny = cy.clamp(bbox.1, bbox.3);
                            let d = ((nx - cx).powi(2) + (ny - cy).powi(2)).sqrt();
                            if j == i {
                                d < *cr - 0.5
                            } else if strict {
                                // Keep clear of other bubbles so the label is not misattributed.
                                d < *cr + 8.0
                            } else {
                                d < 2.0
                            }
                        });
                        if hits {
                            continue;
                        }
                        placed.push(bbox);
                        let draw = |c: &Canvas<'_>| {
                            c.text(
                                &name,
                                bx,
                                by + h / 2.0,
                                FS_LABEL,
                                Role::Text,
                                Anchor::Start,
                                Baseline::Middle,
                            )
                        };
                        if name == full {
                            draw(c)?;
                        } else {
                            c.titled(&full, draw)?;
                        }
                        break 'strict;
                    }
                }
            }
        }
        Ok(())
    })
}
