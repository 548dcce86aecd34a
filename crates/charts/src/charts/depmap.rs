//! Dependency map: initiatives in columns by dependency depth, arrows to what they need.

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// One node (initiative).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepNode {
    /// Key used by `edges`.
    pub id: String,
    /// Text in the box (truncated to fit).
    pub label: String,
    /// Group (e.g. value stream) deciding the colour.
    #[serde(default)]
    pub group: String,
    /// Drawn with a thick "negative" outline (e.g. red health).
    #[serde(default)]
    pub emphasis: bool,
}

/// Nodes and "depends on" edges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepMapData {
    pub nodes: Vec<DepNode>,
    /// `(a, b)`: `a` depends on `b`; the arrow goes from `a` to `b`. Edges
    /// naming unknown nodes are an error.
    #[serde(default)]
    pub edges: Vec<(String, String)>,
    /// Group order for colours (see [`crate::BubbleData::groups`]).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Leave out nodes without any edge.
    #[serde(default)]
    pub hide_isolated: bool,
}

const KIND: &str = "depmap";
const BOX_H: f64 = 32.0;
const ROW: f64 = 52.0;

/// Columns by dependency depth (column 0 needs nothing), boxes coloured by
/// group, curved arrows from each node to the nodes it depends on. Cycles do
/// not fail: depths are capped and the arrow is drawn anyway.
pub fn dependency_map_chart(
    id: &str,
    spec: &ChartSpec,
    data: &DepMapData,
) -> Result<String, ChartError> {
    let index = |key: &str| data.nodes.iter().position(|n| n.id == key);
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (k, (a, b)) in data.edges.iter().enumerate() {
        match (index(a), index(b)) {
            (Some(x), Some(y)) if x != y => {
                if !edges.contains(&(x, y)) {
                    edges.push((x, y));
                }
            }
            (Some(_), Some(_)) => {}
            _ => {
                return Err(ChartError::InvalidData(format!(
                    "edges[{k}] names an unknown node ({} -> {})",
                    crate::svg::clean_text(a),
                    crate::svg::clean_text(b)
                )));
            }
        }
    }
    let shown: Vec<usize> = (0..data.nodes.len())
        .filter(|i| !data.hide_isolated || edges.iter().any(|(a, b)| a == i || b == i))
        .collect();
    if shown.is_empty() {
        return no_data(KIND, id, spec, 200);
    }
    let n = data.nodes.len();
    // Depth = 1 + max depth of dependencies (bounded relaxation, safe with cycles).
    let mut depth = vec![0usize; n];
    for _ in 0..n.min(64) {
        let mut changed = false;
        for &(a, b) in &edges {
            let d = (depth[b] + 1).min(n.min(64));
            if depth[a] < d {
                depth[a] = d;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Compact depths to consecutive columns among shown nodes.
    let mut levels: Vec<usize> = shown.iter().map(|i| depth[*i]).collect();
    levels.sort_unstable();
    levels.dedup();
    let col_of = |i: usize| levels.iter().position(|l| *l == depth[i]).unwrap_or(0);
    let cols = levels.len();

    let groups = group_order(&data.groups, data.nodes.iter().map(|n| n.group.as_str()));
    // Order within columns: column 0 by group then input order; later columns by
    // the mean row of their dependencies (barycentre), to reduce crossings.
    let mut row_of = vec![0f64; n];
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); cols];
    for &i in &shown {
        columns[col_of(i)].push(i);
    }
    for (c, col) in columns.iter_mut().enumerate() {
        let mut keyed: Vec<(f64, usize)> = col
            .iter()
            .map(|&i| {
                let deps: Vec<f64> = edges
                    .iter()
                    .filter(|(a, _)| *a == i)
                    .map(|(_, b)| row_of[*b])
                    .collect();
                let key = if c == 0 || deps.is_empty() {
                    group_index(&groups, &data.nodes[i].group) as f64 * 1000.0 + i as f64 * 1e-3
                } else {
                    deps.iter().sum::<f64>() / deps.len() as f64 + i as f64 * 1e-6
                };
                (key, i)
            })
            .collect();
        keyed.sort_by(|x, y| x.0.total_cmp(&y.0));
        *col = keyed.into_iter().map(|(_, i)| i).collect();
        for (r, &i) in col.iter().enumerate() {
            row_of[i] = r as f64;
        }
    }
    let max_rows = columns.iter().map(Vec::len).max().unwrap_or(1);

    let used: Vec<&String> = groups
        .iter()
        .filter(|g| shown.iter().any(|i| &data.nodes[*i].group == *g))
        .collect();
    let items: Vec<LegendItem> = if used.len() > 1 || used.first().is_some_and(|g| !g.is_empty()) {
        used.iter()
            .map(|g| LegendItem::new(g, Swatch::Box(Role::series(group_index(&groups, g)), 0.6)))
            .collect()
    } else {
        Vec::new()
    };
    let width = f64::from(spec.width());
    let top = OUTER + legend_height(&items, width - 2.0 * OUTER) + 14.0;
    let height = spec
        .height
        .unwrap_or((top + ROW * max_rows as f64 + OUTER).ceil() as u32)
        .clamp(120, 4000);

    render(head(KIND, id, spec, height), |c| {
        legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        let col_w = (c.w - 2.0 * OUTER) / cols as f64;
        let gap = (col_w * 0.22).clamp(28.0, 80.0);
        let box_w = (col_w - gap).max(40.0);
        let row_h = ((c.h - top - OUTER) / max_rows as f64).max(BOX_H + 4.0);
        let pos = |i: usize| {
            let col = col_of(i);
            // Centre shorter columns vertically.
            let rows_here = columns[col].len() as f64;
            let offset = (max_rows as f64 - rows_here) * row_h / 2.0;
            let x0 = OUTER + col_w * col as f64 + gap / 2.0;
            let cy = top + offset + row_h * (row_of[i] + 0.5);
            (x0, cy)
        };
        let col_x0 = |col: usize| OUTER + col_w * col as f64 + gap / 2.0;
        // Horizontal channels between boxes of a column (and above/below them).
        let channel = |col: usize, y: f64| {
            let rows_here = columns[col].len();
            let offset = (max_rows as f64 - rows_here as f64) * row_h / 2.0;
            (0..=rows_here)
                .map(|r| top + offset + row_h * r as f64)
                .min_by(|p, q| (p - y).abs().total_cmp(&(q - y).abs()))
                .unwrap_or(y)
        };
        let curve = |from: (f64, f64), to: (f64, f64), pts: &mut Vec<(f64, f64)>| {
            let dx = (from.0 - to.0) / 2.0;
            let (p1, p2) = ((from.0 - dx, from.1), (to.0 + dx, to.1));
            for k in 1..=16 {
                let t = f64::from(k) / 16.0;
                let u = 1.0 - t;
                let x = u * u * u * from.0
                    + 3.0 * u * u * t * p1.0
                    + 3.0 * u * t * t * p2.0
                    + t * t * t * to.0;
                let y = u * u * u * from.1
                    + 3.0 * u * u * t * p1.1
                    + 3.0 * u * t * t * p2.1
                    + t * t * t * to.1;
                pts.push((x, y));
            }
        };
        // Edges first, under the boxes. An edge leaves the left side of `a`,
        // crosses skipped columns through the channels between their boxes and
        // ends with an arrowhead on the right side of `b`.
        for &(a, b) in &edges {
            if !shown.contains(&a) || !shown.contains(&b) {
                continue;
            }
            let (ax, ay) = pos(a);
            let (bx, by) = pos(b);
            let role = Role::Axis;
            let (ca, cb) = (col_of(a), col_of(b));
            if ca > cb {
                let mut pts = vec![(ax, ay)];
                let mut cur = (ax, ay);
                for k in (cb + 1..ca).rev() {
                    let total = (ca - cb) as f64;
                    let target_y = ay + (by - ay) * (ca - k) as f64 / total;
                    let gy = channel(k, target_y);
                    let enter = (col_x0(k) + box_w + gap * 0.3, gy);
                    let leave = (col_x0(k) - gap * 0.3, gy);
                    curve(cur, enter, &mut pts);
                    pts.push(leave);
                    cur = leave;
                }
                let end = (bx + box_w + 7.0, by);
                curve(cur, end, &mut pts);
                c.line(&pts, role, 1, false)?;
                let tip = (bx + box_w + 1.0, by);
                c.polygon(
                    &[tip, (tip.0 + 8.0, tip.1 - 4.5), (tip.0 + 8.0, tip.1 + 4.5)],
                    role,
                    1.0,
                )?;
            } else {
                // Same column or backwards (only with cycles): a plain dashed line.
                c.line(
                    &[(ax + box_w / 2.0, ay), (bx + box_w / 2.0, by)],
                    role,
                    1,
                    true,
                )?;
            }
        }
        for &i in &shown {
            let node = &data.nodes[i];
            let (x0, cy) = pos(i);
            let role = Role::series(group_index(&groups, &node.group));
            let (y0, y1) = (cy - BOX_H / 2.0, cy + BOX_H / 2.0);
            c.rect(x0, y0, x0 + box_w, y1, Role::Bg, 1.0)?;
            c.rect(x0, y0, x0 + box_w, y1, role, 0.22)?;
            c.rect(x0, y0, x0 + 4.0, y1, role, 1.0)?;
            if node.emphasis {
                c.rect_outline(x0, y0, x0 + box_w, y1, Role::Negative, 2)?;
            }
            c.text_fit(
                &node.label,
                box_w - 16.0,
                x0 + 10.0,
                cy,
                FS_LABEL,
                Role::Text,
                Anchor::Start,
                Baseline::Middle,
            )?;
        }
        Ok(())
    })
}
