//! Drawing helpers on top of plotters' SVG backend, in pixel coordinates.

use std::cell::{Cell, RefCell};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ChartError;
use crate::font::{FONT_FAMILY, fit_text, text_width};
use crate::format::ValueFormat;
use crate::svg::{Head, finish};
use crate::theme::Role;

/// Font sizes in CSS px (at the default 720 px width).
pub(crate) const FS_TICK: f64 = 12.0;
pub(crate) const FS_LABEL: f64 = 12.5;
pub(crate) const FS_LEGEND: f64 = 13.0;
pub(crate) const FS_SMALL: f64 = 11.0;
pub(crate) const OUTER: f64 = 10.0;

/// plotters writes `font-size` as `size / 1.24`.
const PLOTTERS_FONT_RATIO: f64 = 1.24;

pub(crate) fn px(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-1.0e6, 1.0e6) as i32
    } else {
        0
    }
}

fn render_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Render(format!("{e:?}"))
}

pub(crate) type R = Result<(), ChartError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Baseline {
    Top,
    Middle,
    Bottom,
}

pub(crate) struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
    pub w: f64,
    pub h: f64,
    /// Elements drawn so far: plotters writes one SVG element per draw call.
    marks: Cell<usize>,
    /// Runs of elements `[start, end)` that share a hover title (`<g><title>`).
    titles: RefCell<Vec<Titled>>,
}

/// Elements `start..end` of a chart grouped under one `<title>` (a hover text).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Titled {
    pub start: usize,
    pub end: usize,
    pub title: String,
}

impl Canvas<'_> {
    /// Counts one drawn element.
    fn drawn(&self, r: Result<(), ChartError>) -> R {
        r?;
        self.marks.set(self.marks.get() + 1);
        Ok(())
    }

    /// Draws what `f` draws under one hover title: a mark's name and figures, or the
    /// whole text of a label cut to fit. Nested titles keep the outer one. A title of
    /// several lines keeps them; its first line names the mark.
    pub fn titled(&self, title: &str, f: impl FnOnce(&Self) -> R) -> R {
        let start = self.marks.get();
        let depth = self.titles.borrow().len();
        f(self)?;
        let end = self.marks.get();
        // Lines stay lines (a tooltip shows them so); each is cleaned.
        let title = title
            .split('\n')
            .map(crate::svg::clean_text)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        let mut titles = self.titles.borrow_mut();
        titles.truncate(depth);
        if end > start && !title.is_empty() {
            titles.push(Titled { start, end, title });
        }
        Ok(())
    }

    /// Text cut to `max_w` with an ellipsis; when cut, its whole text is its title.
    #[allow(clippy::too_many_arguments)]
    pub fn text_fit(
        &self,
        s: &str,
        max_w: f64,
        x: f64,
        y: f64,
        size: f64,
        role: Role,
        anchor: Anchor,
        base: Baseline,
    ) -> R {
        let full = crate::svg::clean_text(s);
        let cut = fit_text(&full, size, max_w);
        if cut == full {
            self.text(&cut, x, y, size, role, anchor, base)
        } else {
            self.titled(&full, |c| c.text(&cut, x, y, size, role, anchor, base))
        }
    }

    pub fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, role: Role, alpha: f64) -> R {
        let a = (px(x0.min(x1)), px(y0.min(y1)));
        let b = (px(x0.max(x1)), px(y0.max(y1)));
        if a.0 == b.0 || a.1 == b.1 {
            return Ok(());
        }
        let r = self
            .area
            .draw(&Rectangle::new(
                [a, b],
                role.color(false).mix(alpha).filled(),
            ))
            .map_err(render_err);
        self.drawn(r)
    }

    pub fn rect_outline(&self, x0: f64, y0: f64, x1: f64, y1: f64, role: Role, width: u32) -> R {
        let a = (px(x0.min(x1)), px(y0.min(y1)));
        let b = (px(x0.max(x1)), px(y0.max(y1)));
        let r = self
            .area
            .draw(&Rectangle::new(
                [a, b],
                role.color(false).stroke_width(width),
            ))
            .map_err(render_err);
        self.drawn(r)
    }

    pub fn line(&self, pts: &[(f64, f64)], role: Role, width: u32, dashed: bool) -> R {
        if pts.len() < 2 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        let r = self
            .area
            .draw(&PathElement::new(
                pts,
                role.color(dashed).stroke_width(width),
            ))
            .map_err(render_err);
        self.drawn(r)
    }

    pub fn hline(&self, x0: f64, x1: f64, y: f64, role: Role, width: u32, dashed: bool) -> R {
        self.line(&[(x0, y), (x1, y)], role, width, dashed)
    }

    pub fn vline(&self, x: f64, y0: f64, y1: f64, role: Role, width: u32, dashed: bool) -> R {
        self.line(&[(x, y0), (x, y1)], role, width, dashed)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn circle(
        &self,
        x: f64,
        y: f64,
        r: f64,
        role: Role,
        alpha: f64,
        filled: bool,
        width: u32,
    ) -> R {
        let r = r.round().clamp(1.0, 1000.0) as i32;
        let style = if filled {
            role.color(false).mix(alpha).filled()
        } else {
            role.color(false).mix(alpha).stroke_width(width)
        };
        let r = self
            .area
            .draw(&Circle::new((px(x), px(y)), r, style))
            .map_err(render_err);
        self.drawn(r)
    }

    pub fn polygon(&self, pts: &[(f64, f64)], role: Role, alpha: f64) -> R {
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        let r = self
            .area
            .draw(&Polygon::new(pts, role.color(false).mix(alpha).filled()))
            .map_err(render_err);
        self.drawn(r)
    }

    pub fn diamond(&self, x: f64, y: f64, r: f64, role: Role) -> R {
        self.polygon(&[(x, y - r), (x + r, y), (x, y + r), (x - r, y)], role, 1.0)?;
        let pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y), (x, y - r)];
        self.line(&pts, Role::Bg, 1, false)
    }

    #[allow(clippy::too_many_arguments)]
    fn text_styled(
        &self,
        s: &str,
        x: f64,
        y: f64,
        size: f64,
        role: Role,
        anchor: Anchor,
        base: Baseline,
        bold: bool,
    ) -> R {
        let s = crate::svg::clean_text(s);
        if s.is_empty() {
            return Ok(());
        }
        let h = match anchor {
            Anchor::Start => HPos::Left,
            Anchor::Middle => HPos::Center,
            Anchor::End => HPos::Right,
        };
        let v = match base {
            Baseline::Top => VPos::Top,
            Baseline::Middle => VPos::Center,
            Baseline::Bottom => VPos::Bottom,
        };
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let font = FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            size * PLOTTERS_FONT_RATIO,
            style,
        );
        let color = role.color(false);
        let ts = TextStyle::from(font).color(&color).pos(Pos::new(h, v));
        let r = self
            .area
            .draw(&Text::new(s, (px(x), px(y)), ts))
            .map_err(render_err);
        self.drawn(r)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        s: &str,
        x: f64,
        y: f64,
        size: f64,
        role: Role,
        anchor: Anchor,
        base: Baseline,
    ) -> R {
        self.text_styled(s, x, y, size, role, anchor, base, false)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text_bold(
        &self,
        s: &str,
        x: f64,
        y: f64,
        size: f64,
        role: Role,
        anchor: Anchor,
        base: Baseline,
    ) -> R {
        self.text_styled(s, x, y, size, role, anchor, base, true)
    }

    /// A centred message (used for "No data").
    pub fn message(&self, msg: &str) -> R {
        let m = 24.0;
        self.rect_outline(m, m, self.w - m, self.h - m, Role::Grid, 1)?;
        let msg = fit_text(msg, 14.0, self.w - 2.0 * m - 20.0);
        self.text(
            &msg,
            self.w / 2.0,
            self.h / 2.0,
            14.0,
            Role::Muted,
            Anchor::Middle,
            Baseline::Middle,
        )
    }
}

/// Renders a chart: registers the font, runs `draw` on a canvas, post-processes.
pub(crate) fn render<F>(head: Head<'_>, draw: F) -> Result<String, ChartError>
where
    F: FnOnce(&Canvas<'_>) -> R,
{
    crate::font::ensure_registered()?;
    let mut buf = String::new();
    let (marks, titles) = {
        let backend = SVGBackend::with_string(&mut buf, (head.width, head.height));
        let canvas = Canvas {
            area: backend.into_drawing_area(),
            w: f64::from(head.width),
            h: f64::from(head.height),
            marks: Cell::new(0),
            titles: RefCell::new(Vec::new()),
        };
        draw(&canvas)?;
        canvas.area.present().map_err(render_err)?;
        (canvas.marks.get(), canvas.titles.into_inner())
    };
    finish(&buf, &head, marks, &titles)
}

/// Linear map from a data domain to a pixel range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        Scale { d0, d1, r0, r1 }
    }
    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < f64::MIN_POSITIVE || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

/// The plot rectangle.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plot {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Plot {
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
}

/// Width of the widest tick label.
pub(crate) fn max_label_width(labels: &[String], size: f64) -> f64 {
    labels
        .iter()
        .map(|l| text_width(l, size))
        .fold(0.0, f64::max)
}

/// Horizontal gridlines with value labels on the left; the zero line is drawn
/// as an axis line.
pub(crate) fn y_grid(c: &Canvas<'_>, plot: Plot, ys: Scale, ticks: &[f64], fmt: &ValueFormat) -> R {
    for &t in ticks {
        let y = ys.map(t);
        let role = if t == 0.0 { Role::Axis } else { Role::Grid };
        c.hline(plot.x0, plot.x1, y, role, 1, false)?;
        c.text(
            &fmt.format(t),
            plot.x0 - 8.0,
            y,
            FS_TICK,
            Role::Muted,
            Anchor::End,
            Baseline::Middle,
        )?;
    }
    Ok(())
}

/// Vertical gridlines with value labels below the plot.
pub(crate) fn x_grid(
    c: &Canvas<'_>,
    plot: Plot,
    xs: Scale,
    ticks: &[(f64, String)],
    zero_axis: bool,
) -> R {
    let mut last_end = f64::NEG_INFINITY;
    for (t, label) in ticks {
        let x = xs.map(*t);
        let role = if zero_axis && *t == 0.0 {
            Role::Axis
        } else {
            Role::Grid
        };
        c.vline(x, plot.y0, plot.y1, role, 1, false)?;
        let w = text_width(label, FS_TICK);
        let (lx, anchor) = if x + w / 2.0 > c.w - 2.0 {
            (x, Anchor::End)
        } else {
            (x, Anchor::Middle)
        };
        let start = match anchor {
            Anchor::End => lx - w,
            _ => lx - w / 2.0,
        };
        if start < last_end + 6.0 {
            continue;
        }
        last_end = start + w;
        c.text(
            label,
            lx,
            plot.y1 + 7.0,
            FS_TICK,
            Role::Muted,
            anchor,
            Baseline::Top,
        )?;
    }
    Ok(())
}

/// Category labels centred under bands; thinned out when they would overlap.
pub(crate) fn band_labels(c: &Canvas<'_>, plot: Plot, labels: &[String]) -> R {
    let n = labels.len();
    if n == 0 {
        return Ok(());
    }
    let band = plot.width() / n as f64;
    let widest = max_label_width(labels, FS_TICK);
    let every = ((widest + 10.0) / band).ceil().max(1.0) as usize;
    let max_w = band * every as f64 - 8.0;
    for (i, l) in labels.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = plot.x0 + band * (i as f64 + 0.5);
        c.text_fit(
            l,
            max_w.max(24.0),
            x,
            plot.y1 + 7.0,
            FS_TICK,
            Role::Muted,
            Anchor::Middle,
            Baseline::Top,
        )?;
    }
    Ok(())
}

#[derive(Clone, Debug)]
pub(crate) enum Swatch {
    Box(Role, f64),
    Line(Role, bool),
    LineDot(Role),
    Dot(Role),
    Diamond(Role),
}

#[derive(Clone, Debug)]
pub(crate) struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendItem {
    pub fn new(label: &str, swatch: Swatch) -> Self {
        LegendItem {
            label: crate::svg::clean_text(label),
            swatch,
        }
    }
}

const LEGEND_ROW: f64 = 22.0;
const SWATCH_W: f64 = 22.0;

fn legend_item_width(item: &LegendItem, max_w: f64) -> f64 {
    SWATCH_W + 6.0 + text_width(&item.label, FS_LEGEND).min(max_w) + 18.0
}

/// Height needed by [`legend`] for these items in `width` pixels.
pub(crate) fn legend_height(items: &[LegendItem], width: f64) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    let mut rows = 1;
    let mut x = 0.0;
    for it in items {
        let w = legend_item_width(it, width * 0.6);
        if x > 0.0 && x + w > width {
            rows += 1;
            x = 0.0;
        }
        x += w;
    }
    f64::from(rows) * LEGEND_ROW
}

/// Draws a wrapping legend starting at (x, y) (top-left); returns its height.
pub(crate) fn legend(
    c: &Canvas<'_>,
    items: &[LegendItem],
    x: f64,
    y: f64,
    width: f64,
) -> Result<f64, ChartError> {
    if items.is_empty() {
        return Ok(0.0);
    }
    let mut cx = 0.0;
    let mut row = 0.0;
    for it in items {
        let w = legend_item_width(it, width * 0.6);
        if cx > 0.0 && cx + w > width {
            row += 1.0;
            cx = 0.0;
        }
        let sx = x + cx;
        let cy = y + row * LEGEND_ROW + LEGEND_ROW / 2.0;
        match it.swatch {
            Swatch::Box(role, alpha) => {
                c.rect(sx + 4.0, cy - 6.0, sx + 18.0, cy + 6.0, role, alpha)?
            }
            Swatch::Line(role, dashed) => c.hline(sx, sx + SWATCH_W, cy, role, 2, dashed)?,
            Swatch::LineDot(role) => {
                c.hline(sx, sx + SWATCH_W, cy, role, 2, false)?;
                c.circle(sx + SWATCH_W / 2.0, cy, 3.5, role, 1.0, true, 1)?;
            }
            Swatch::Dot(role) => c.circle(sx + 11.0, cy, 6.0, role, 0.85, true, 1)?,
            Swatch::Diamond(role) => c.diamond(sx + 11.0, cy, 6.0, role)?,
        }
        c.text_fit(
            &it.label,
            width * 0.6,
            sx + SWATCH_W + 6.0,
            cy,
            FS_LEGEND,
            Role::Text,
            Anchor::Start,
            Baseline::Middle,
        )?;
        cx += w;
    }
    Ok((row + 1.0) * LEGEND_ROW)
}

/// Checks that every value is finite and not absurdly large.
pub(crate) fn check_values(field: &str, values: &[f64]) -> R {
    for (i, v) in values.iter().enumerate() {
        if !v.is_finite() {
            return Err(ChartError::NonFinite {
                field: field.to_string(),
                index: i,
            });
        }
        if v.abs() > 1e15 {
            return Err(ChartError::InvalidData(format!(
                "{field}[{i}] = {v} is out of range (|value| <= 1e15)"
            )));
        }
    }
    Ok(())
}

pub(crate) fn check_len(field: &str, expected: usize, found: usize) -> R {
    if expected != found {
        return Err(ChartError::LengthMismatch {
            field: field.to_string(),
            expected,
            found,
        });
    }
    Ok(())
}

/// Assigns a palette index to each group: listed groups first (in order), then
/// unlisted ones in order of first appearance.
pub(crate) fn group_order<'a>(
    listed: &'a [String],
    used: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for g in listed.iter().map(String::as_str).chain(used) {
        if !order.iter().any(|o| o == g) {
            order.push(g.to_string());
        }
    }
    order
}

pub(crate) fn group_index(order: &[String], g: &str) -> usize {
    order.iter().position(|o| o == g).unwrap_or(0)
}

/// Caption above the y axis (unit or currency), left-aligned at the outer margin.
pub(crate) fn y_caption(c: &Canvas<'_>, text: &str, y: f64) -> R {
    // A unit or title from content can be any length: it ends in an ellipsis at the edge.
    c.text_fit(
        text,
        c.w - 2.0 * OUTER,
        OUTER,
        y,
        FS_SMALL,
        Role::Muted,
        Anchor::Start,
        Baseline::Bottom,
    )
}
