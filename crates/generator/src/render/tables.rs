//! Tables embedded in Markdown with ```` ```vmo ```` blocks (`table = "..."`).

use super::format;
use super::views::SiteView;
use serde::Serialize;

/// A table ready to print; the first cell of a row is its header (and link).
#[derive(Debug, Serialize)]
pub struct TableView {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<TableRow>,
    /// Columns of words (a stage, a risk), aligned left; the others after the first are
    /// figures, aligned right.
    pub text_columns: Vec<usize>,
}

#[derive(Debug, Serialize)]
pub struct TableRow {
    pub cells: Vec<String>,
    pub href: Option<String>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML of an embedded table; `root` is the page's relative path to the site root.
pub fn table_html(t: &TableView, root: &str) -> String {
    let mut h = String::from("<div class=\"table-scroll embed\"><table>");
    h.push_str(&format!(
        "<caption>{}</caption><thead><tr>",
        escape(&t.caption)
    ));
    let num = |n: usize| n > 0 && !t.text_columns.contains(&n);
    for (n, c) in t.head.iter().enumerate() {
        let class = if num(n) { " class=\"num\"" } else { "" };
        h.push_str(&format!("<th scope=\"col\"{class}>{}</th>", escape(c)));
    }
    h.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        h.push_str("<tr>");
        for (n, c) in r.cells.iter().enumerate() {
            match (n, &r.href) {
                (0, Some(href)) => h.push_str(&format!(
                    "<th scope=\"row\"><a href=\"{}{}\">{}</a></th>",
                    escape(root),
                    escape(href),
                    escape(c)
                )),
                (0, None) => h.push_str(&format!("<th scope=\"row\">{}</th>", escape(c))),
                _ if num(n) => h.push_str(&format!("<td class=\"num\">{}</td>", escape(c))),
                _ => h.push_str(&format!("<td>{}</td>", escape(c))),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>\n");
    h
}

/// Rows of an embedded table without a `limit`: more are cut, and the caption says how
/// many there are, so a report stays light however large the portfolio.
pub const EMBED_ROWS: usize = 100;

/// Builds a named table (names and references were checked when the content loaded):
/// `limit` rows, or at most [`EMBED_ROWS`] without one.
pub fn table(
    v: &SiteView<'_>,
    name: &str,
    model: Option<&str>,
    limit: Option<usize>,
    stage: Option<&str>,
    value_stream: Option<&str>,
    objective: Option<&str>,
) -> TableView {
    let mut t = all_rows(v, name, model, limit, stage, value_stream, objective);
    if limit.is_none() && t.rows.len() > EMBED_ROWS {
        let total = t.rows.len();
        t.rows.truncate(EMBED_ROWS);
        t.caption = format!(
            "{} (the first {EMBED_ROWS} of {total}; a limit shows more)",
            t.caption
        );
    }
    t
}

fn all_rows(
    v: &SiteView<'_>,
    name: &str,
    model: Option<&str>,
    limit: Option<usize>,
    stage: Option<&str>,
    value_stream: Option<&str>,
    objective: Option<&str>,
) -> TableView {
    let p = &v.content.portfolio;
    let cur = p.settings.currency.as_str();
    let limit = limit.unwrap_or(usize::MAX);
    let row = |k: usize, cells: Vec<String>| TableRow {
        cells,
        href: Some(v.rows[k].href.clone()),
    };
    match name {
        "ranking" => {
            let m = model.and_then(|id| p.models.iter().find(|m| m.id == id));
            let name = m.map_or("", |m| m.name.as_str());
            let mut ranked: Vec<(usize, f64)> = v
                .figures
                .iter()
                .enumerate()
                .filter(|(k, _)| {
                    p.stage(&p.initiatives[*k].stage)
                        .is_none_or(|s| s.class != vmo_core::StageClass::Closed)
                })
                .filter_map(|(k, f)| {
                    f.scores
                        .iter()
                        .find(|s| Some(s.model_id.as_str()) == model)
                        .and_then(|s| s.value)
                        .map(|x| (k, x))
                })
                .collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            TableView {
                caption: format!("Ranking by {name}"),
                head: vec![
                    "Initiative".into(),
                    "Rank".into(),
                    "Score".into(),
                    "Stage".into(),
                    "Cost".into(),
                ],
                text_columns: vec![3],
                rows: ranked
                    .iter()
                    .take(limit)
                    .enumerate()
                    .map(|(n, &(k, s))| {
                        row(
                            k,
                            vec![
                                v.rows[k].title.clone(),
                                (n + 1).to_string(),
                                format::number(s, 2),
                                v.rows[k].stage_name.clone(),
                                format::money_short(v.rows[k].total_cost, cur),
                            ],
                        )
                    })
                    .collect(),
            }
        }
        "top-risks" => {
            let mut risks: Vec<(f64, usize, usize)> = Vec::new();
            for (k, i) in p.initiatives.iter().enumerate() {
                for (n, r) in i.risks.iter().enumerate() {
                    if r.status != vmo_core::RiskStatus::Closed {
                        risks.push((r.probability * f64::from(r.impact), k, n));
                    }
                }
            }
            risks.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            TableView {
                caption: "Top risks by exposure (probability × impact)".into(),
                head: vec![
                    "Initiative".into(),
                    "Risk".into(),
                    "Probability".into(),
                    "Impact".into(),
                    "Exposure".into(),
                ],
                text_columns: vec![1],
                rows: risks
                    .iter()
                    .take(limit)
                    .map(|&(e, k, n)| {
                        let r = &p.initiatives[k].risks[n];
                        row(
                            k,
                            vec![
                                v.rows[k].title.clone(),
                                r.title.clone(),
                                format::percent(r.probability, 0),
                                r.impact.to_string(),
                                format::number(e, 2),
                            ],
                        )
                    })
                    .collect(),
            }
        }
        "benefits" => {
            let mut ks: Vec<usize> = (0..p.initiatives.len())
                .filter(|&k| v.figures[k].planned_benefit_to_date > 0.0)
                .collect();
            ks.sort_by(|&a, &b| {
                v.figures[a]
                    .realised
                    .unwrap_or(0.0)
                    .total_cmp(&v.figures[b].realised.unwrap_or(0.0))
                    .then(a.cmp(&b))
            });
            TableView {
                caption: format!("Benefits realised to {}", p.settings.as_of),
                head: vec![
                    "Initiative".into(),
                    "Planned to date".into(),
                    "Actual to date".into(),
                    "Realised".into(),
                ],
                text_columns: Vec::new(),
                rows: ks
                    .iter()
                    .take(limit)
                    .map(|&k| {
                        let f = &v.figures[k];
                        row(
                            k,
                            vec![
                                v.rows[k].title.clone(),
                                format::money_short(f.planned_benefit_to_date, cur),
                                format::money_short(f.actual_benefit, cur),
                                f.realised_text.clone(),
                            ],
                        )
                    })
                    .collect(),
            }
        }
        "value-streams" => TableView {
            caption: "Value streams".into(),
            head: vec![
                "Value stream".into(),
                "Initiatives".into(),
                "Investment".into(),
                "NPV".into(),
            ],
            text_columns: Vec::new(),
            rows: p
                .value_streams
                .iter()
                .take(limit)
                .map(|s| {
                    let ks: Vec<usize> = (0..p.initiatives.len())
                        .filter(|&k| p.initiatives[k].value_stream == s.id)
                        .collect();
                    TableRow {
                        cells: vec![
                            s.name.clone(),
                            ks.len().to_string(),
                            format::money_short(
                                ks.iter().map(|&k| v.figures[k].total_cost).sum(),
                                cur,
                            ),
                            format::money_short(ks.iter().map(|&k| v.figures[k].npv).sum(), cur),
                        ],
                        href: Some(crate::route::Route::ValueStream(&s.id, 1).path()),
                    }
                })
                .collect(),
        },
        _ => {
            let mut ks: Vec<usize> = (0..p.initiatives.len())
                .filter(|&k| {
                    let i = &p.initiatives[k];
                    stage.is_none_or(|s| i.stage == s)
                        && value_stream.is_none_or(|s| i.value_stream == s)
                        && objective.is_none_or(|o| i.objectives.iter().any(|x| x == o))
                })
                .collect();
            ks.sort_by(|&a, &b| {
                v.figures[b]
                    .npv
                    .total_cmp(&v.figures[a].npv)
                    .then(a.cmp(&b))
            });
            TableView {
                caption: "Initiatives by NPV".into(),
                head: vec![
                    "Initiative".into(),
                    "Stage".into(),
                    "Cost".into(),
                    "NPV".into(),
                    "ROI".into(),
                ],
                text_columns: vec![1],
                rows: ks
                    .iter()
                    .take(limit)
                    .map(|&k| {
                        let r = &v.rows[k];
                        row(
                            k,
                            vec![
                                r.title.clone(),
                                r.stage_name.clone(),
                                format::money_short(r.total_cost, cur),
                                format::money_short(r.npv, cur),
                                r.roi_text.clone(),
                            ],
                        )
                    })
                    .collect(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
