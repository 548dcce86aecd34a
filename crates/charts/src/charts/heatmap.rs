//! Risk heat map (probability x impact).

use serde::{Deserialize, Serialize};

use super::{head, no_data};
use crate::draw::*;
use crate::font::text_width;
use crate::theme::Role;
use crate::{ChartError, ChartSpec};

/// Counts per (probability, impact) cell with severity zones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeatMapData {
    /// `counts[p][i]`: number of risks with probability band `p + 1` and
    /// impact `i + 1`; row 0 (lowest probability) is drawn at the bottom.
    /// Usually 5 x 5; all rows must have the same length (at most 10 x 10).
    pub counts: Vec<Vec<u32>>,
    /// Labels of probability bands, lowest first; empty = "1".."n".
    #[serde(default)]
    pub row_labels: Vec<String>,
    /// Labels of impact levels, lowest first; empty = "1".."n".
    #[serde(default)]
    pub col_labels: Vec<String>,
    /// Zone of a cell from its score `(p + 1) * (i + 1)`: medium from this score (default 5).
    #[serde(default)]
    pub medium_from: Option<u32>,
    /// High from this score (default 10).
    #[serde(default)]
    pub high_from: Option<u32>,
    #[serde(default)]
    pub labels: HeatMapLabels,
}

/// Axis and legend texts of [`heat_map_chart`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeatMapLabels {
    pub rows: String,
    pub cols: String,
    pub low: String,
    pub medium: String,
    pub high: String,
}

impl Default for HeatMapLabels {
    fn default() -> Self {
        HeatMapLabels {
            rows: "Probability".into(),
            cols: "Impact".into(),
            low: "Low".into(),
            medium: "Medium".into(),
            high: "High".into(),
        }
    }
}

const KIND: &str = "heatmap";

/// A grid of cells coloured by severity zone with risk counts in them, axes labelled.
pub fn heat_map_chart(
    id: &str,
    spec: &ChartSpec,
    data: &HeatMapData,
) -> Result<String, ChartError> {
    let rows = data.counts.len();
    if rows == 0 {
        return no_data(KIND, id, spec, 420);
    }
    let cols = data.counts[0].len();
    for (i, r) in data.counts.iter().enumerate() {
        check_len(&format!("counts[{i}]"), cols, r.len())?;
    }
    if cols == 0 {
        return no_data(KIND, id, spec, 420);
    }
    if rows > 10 || cols > 10 {
        return Err(ChartError::InvalidData(
            "heat map larger than 10 x 10".into(),
        ));
    }
    let default_labels = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>();
    let row_labels = if data.row_labels.is_empty() {
        default_labels(rows)
    } else {
        data.row_labels.clone()
    };
    let col_labels = if data.col_labels.is_empty() {
        default_labels(cols)
    } else {
        data.col_labels.clone()
    };
    check_len("row_labels", rows, row_labels.len())?;
    check_len("col_labels", cols, col_labels.len())?;
    let medium_from = data.medium_from.unwrap_or(5);
    let high_from = data.high_from.unwrap_or(10).max(medium_from);
    let zone = |p: usize, i: usize| {
        let s = ((p + 1) * (i + 1)) as u32;
        if s >= high_from {
            Role::High
        } else if s >= medium_from {
            Role::Medium
        } else {
            Role::Low
        }
    };
    let l = &data.labels;
    let items = vec![
        LegendItem::new(&l.low, Swatch::Box(Role::Low, 1.0)),
        LegendItem::new(&l.medium, Swatch::Box(Role::Medium, 1.0)),
        LegendItem::new(&l.high, Swatch::Box(Role::High, 1.0)),
    ];
    let height = spec.height_or(440);
    let row_labels: Vec<String> = row_labels
        .iter()
        .map(|s| crate::svg::clean_text(s))
        .collect();
    let col_labels: Vec<String> = col_labels
        .iter()
        .map(|s| crate::svg::clean_text(s))
        .collect();

    render(head(KIND, id, spec, height), |c| {
        let lw = legend(c, &items, OUTER, OUTER, c.w - 2.0 * OUTER)?;
        let label_w = max_label_width(&row_labels, FS_LABEL)
            .max(text_width(&l.rows, FS_SMALL))
            .min(c.w * 0.3);
        let top = OUTER + lw + 26.0;
        let bottom = OUTER + 44.0;
        let avail_w = c.w - 2.0 * OUTER - label_w - 12.0;
        let avail_h = c.h - top - bottom;
        let cell = (avail_w / cols as f64)
            .min(avail_h / rows as f64)
            .clamp(8.0, 110.0);
        let grid_w = cell * cols as f64;
        // Centre the label column + grid block horizontally.
        let block_w = label_w + 12.0 + grid_w;
        let left = ((c.w - block_w) / 2.0).max(OUTER);
        let gx0 = left + label_w + 12.0;
        let gy0 = top;
        c.text(
            &l.rows,
            gx0 - 10.0,
            gy0 - 8.0,
            FS_SMALL,
            Role::Muted,
            Anchor::End,
            Baseline::Bottom,
        )?;
        for (p, row_label) in row_labels.iter().enumerate() {
            let y = gy0 + cell * (rows - 1 - p) as f64;
            c.text_fit(
                row_label,
                label_w,
                gx0 - 10.0,
                y + cell / 2.0,
                FS_LABEL,
                Role::Text,
                Anchor::End,
                Baseline::Middle,
            )?;
            for i in 0..cols {
                let x = gx0 + cell * i as f64;
                c.rect(
                    x + 1.5,
                    y + 1.5,
                    x + cell - 1.5,
                    y + cell - 1.5,
                    zone(p, i),
                    1.0,
                )?;
                let n = data.counts[p][i];
                if n > 0 {
                    c.text_bold(
                        &n.to_string(),
                        x + cell / 2.0,
                        y + cell / 2.0,
                        (cell * 0.28).clamp(10.0, 18.0),
                        Role::Text,
                        Anchor::Middle,
                        Baseline::Middle,
                    )?;
                }
            }
        }
        let gy1 = gy0 + cell * rows as f64;
        let every = ((max_label_width(&col_labels, FS_LABEL) + 8.0) / cell)
            .ceil()
            .max(1.0) as usize;
        for (i, lab) in col_labels.iter().enumerate() {
            if i % every != 0 {
                continue;
            }
            c.text_fit(
                lab,
                cell * every as f64 - 4.0,
                gx0 + cell * (i as f64 + 0.5),
                gy1 + 8.0,
                FS_LABEL,
                Role::Text,
                Anchor::Middle,
                Baseline::Top,
            )?;
        }
        c.text(
            &l.cols,
            gx0 + grid_w / 2.0,
            gy1 + 30.0,
            FS_SMALL,
            Role::Muted,
            Anchor::Middle,
            Baseline::Top,
        )
    })
}
