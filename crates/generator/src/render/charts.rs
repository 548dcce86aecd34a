//! Charts of the pages: analysis in, `vmo-charts` data out, each chart inlined as SVG
//! with its data table behind a `<details>`.

use super::format;
use super::tables::escape;
use super::views::SiteView;
use crate::digest::Digest;
use serde::Serialize;
use std::collections::BTreeMap;
use vmo_charts as vc;
use vmo_core::Period;

/// A chart ready for a template: `html` is the whole `<figure>`; `method` the section of
/// the methods page (`methods/index.html#METHOD`) that says how it is computed, linked
/// under the chart.
#[derive(Clone, Debug, Serialize)]
pub struct ChartView {
    pub title: String,
    pub html: String,
    pub method: Option<&'static str>,
}

impl ChartView {
    /// Links the chart to its section of the methods page.
    pub fn explained(mut self, section: &'static str) -> ChartView {
        debug_assert!(super::methods::SECTIONS.contains(&section), "{section}");
        self.method = Some(section);
        self
    }
}

/// A chart's data as a table (first column is the row header).
#[derive(Clone, Debug, Default)]
pub struct DataTable {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The chart's HTML for a page whose root is `root`, with its methods link (as the
/// templates' `chart` macro writes it).
pub fn figure_html(c: &ChartView, root: &str) -> String {
    match c.method {
        Some(m) => format!(
            "{}<p class=\"chart-method small\"><a href=\"{}{}#{m}\">How this is computed</a></p>",
            c.html,
            escape(root),
            crate::route::Route::Methods.path()
        ),
        None => c.html.clone(),
    }
}

/// The `<figure>` of a chart: the SVG (or why it could not be drawn) and its data table.
pub fn figure(title: &str, svg: Result<String, vc::ChartError>, table: &DataTable) -> ChartView {
    let mut h = String::from("<figure class=\"chart\">");
    match svg {
        Ok(svg) => h.push_str(&svg),
        Err(e) => h.push_str(&format!(
            "<p class=\"muted\">The chart could not be drawn: {}.</p>",
            escape(&e.to_string())
        )),
    }
    if !table.rows.is_empty() {
        h.push_str(&format!("<details class=\"chart-data\"><summary>Data table: {}</summary><div class=\"table-scroll\"><table><thead><tr>", escape(title)));
        for (n, c) in table.head.iter().enumerate() {
            let class = if n > 0 { " class=\"num\"" } else { "" };
            h.push_str(&format!("<th scope=\"col\"{class}>{}</th>", escape(c)));
        }
        h.push_str("</tr></thead><tbody>");
        for row in &table.rows {
            h.push_str("<tr>");
            for (n, c) in row.iter().enumerate() {
                if n == 0 {
                    h.push_str(&format!("<th scope=\"row\">{}</th>", escape(c)));
                } else {
                    h.push_str(&format!("<td class=\"num\">{}</td>", escape(c)));
                }
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div></details>");
    }
    h.push_str("</figure>\n");
    ChartView {
        title: title.to_string(),
        html: h,
        method: None,
    }
}

/// The charts drawn by the last render, by the digest of what each was drawn from, so
/// that a rebuild draws again only the portfolio-wide charts whose data changed (an
/// initiative's page is not rendered at all when it did not change). A render keeps
/// exactly the charts it used.
#[derive(Debug, Default)]
pub struct ChartCache {
    previous: std::sync::Mutex<Charts>,
    used: std::sync::Mutex<Charts>,
}

impl ChartCache {
    /// Ends a render: what it used is what the next one may reuse.
    pub fn rotate(&self) {
        let used = std::mem::take(&mut *lock(&self.used));
        *lock(&self.previous) = used;
    }
}

type Charts = std::collections::HashMap<Digest, std::sync::Arc<str>>;

fn lock(m: &std::sync::Mutex<Charts>) -> std::sync::MutexGuard<'_, Charts> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `draw(id, spec, data)`, or the same chart from the view's [`ChartCache`].
fn drawn<D: serde::Serialize>(
    v: &SiteView<'_>,
    id: &str,
    spec: &vc::ChartSpec,
    data: &D,
    draw: fn(&str, &vc::ChartSpec, &D) -> Result<String, vc::ChartError>,
) -> Result<String, vc::ChartError> {
    let Some(cache) = v.chart_cache else {
        return draw(id, spec, data);
    };
    // Each kind of chart has its own data type: two kinds never share a key.
    let key = Digest::of_json(&(std::any::type_name::<D>(), id, spec, data));
    let found = lock(&cache.previous).get(&key).cloned();
    let found = found.or_else(|| lock(&cache.used).get(&key).cloned());
    let svg: std::sync::Arc<str> = match found {
        Some(svg) => svg,
        None => std::sync::Arc::from(draw(id, spec, data)?),
    };
    lock(&cache.used).insert(key, std::sync::Arc::clone(&svg));
    Ok(svg.to_string())
}

fn money(v: &SiteView<'_>) -> vc::ValueFormat {
    let cur = &v.content.portfolio.settings.currency;
    vc::ValueFormat::Compact {
        prefix: format::currency_symbol(cur).unwrap_or("").to_string(),
        suffix: if format::currency_symbol(cur).is_some() {
            String::new()
        } else {
            format!(" {cur}")
        },
    }
}

fn m(v: &SiteView<'_>, x: f64) -> String {
    format::money(x, &v.content.portfolio.settings.currency)
}

fn stream_groups(v: &SiteView<'_>) -> Vec<String> {
    v.content
        .portfolio
        .value_streams
        .iter()
        .map(|s| s.name.clone())
        .collect()
}

pub fn cash_flow(v: &SiteView<'_>, k: usize, id: &str) -> ChartView {
    let f = &v.figures[k];
    let i = &v.content.portfolio.initiatives[k];
    let title = format!("Cumulative cash flow: {}", i.title);
    let discounted: Option<Vec<f64>> = f.rows.iter().map(|r| r.cumulative_pv).collect();
    let last = f.rows.last();
    let desc = format!(
        "Net cash flow per period and its running total, undiscounted and discounted. Cumulative net at the end: {}; NPV: {}; payback: {}.",
        last.map_or_else(|| "n/a".into(), |r| m(v, r.cumulative)),
        m(v, f.npv),
        f.payback_text
    );
    let data = vc::CashFlowData {
        currency: v.content.portfolio.settings.currency.clone(),
        periods: f.rows.iter().map(|r| r.label.clone()).collect(),
        net: f.rows.iter().map(|r| r.net).collect(),
        cumulative: f.rows.iter().map(|r| r.cumulative).collect(),
        cumulative_discounted: discounted.unwrap_or_default(),
        labels: vc::CashFlowLabels::default(),
    };
    let table = DataTable {
        head: vec![
            "Period".into(),
            "Net".into(),
            "Cumulative".into(),
            "Cumulative discounted".into(),
        ],
        rows: f
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.label.clone(),
                    m(v, r.net),
                    m(v, r.cumulative),
                    r.cumulative_pv.map_or_else(|| "n/a".into(), |x| m(v, x)),
                ]
            })
            .collect(),
    };
    figure(
        &title,
        vc::cash_flow_chart(id, &vc::ChartSpec::new(&title, desc), &data),
        &table,
    )
    .explained("payback")
}

pub fn value_vs_effort(v: &SiteView<'_>, all: &[usize], title: &str) -> ChartView {
    let p = &v.content.portfolio;
    // Past a bound, the chart plots the initiatives that matter most to the question it
    // answers: the highest NPV and the highest cost, each up to the bound.
    let each = super::paging::BUBBLES_EACH;
    let chosen: Vec<usize>;
    let ks = if all.len() > 2 * each {
        let by = |key: &dyn Fn(usize) -> f64| {
            let mut s = all.to_vec();
            s.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
            s.truncate(each);
            s
        };
        let mut pick = by(&|k| v.figures[k].npv);
        pick.extend(by(&|k| v.figures[k].total_cost));
        pick.sort_unstable();
        pick.dedup();
        chosen = pick;
        &chosen[..]
    } else {
        all
    };
    let points: Vec<vc::BubblePoint> = ks
        .iter()
        .map(|&k| {
            let i = &p.initiatives[k];
            vc::BubblePoint {
                name: i.title.clone(),
                group: v.rows[k].value_stream_name.clone(),
                x: v.figures[k].total_cost,
                y: v.figures[k].npv,
                size: v.figures[k].alignment,
            }
        })
        .collect();
    let data = vc::BubbleData {
        points,
        groups: stream_groups(v),
        x_title: format!("Lifetime cost ({})", p.settings.currency),
        y_title: format!("NPV ({})", p.settings.currency),
        size_title: "Bubble size: strategic alignment".into(),
        x_format: money(v),
        y_format: money(v),
        label_limit: Some(12),
    };
    let shown = if ks.len() == all.len() {
        format!("{} initiatives", ks.len())
    } else {
        format!(
            "The {each} initiatives of highest NPV and the {each} of highest cost ({} of {}; every initiative is in the explorer)",
            ks.len(),
            all.len()
        )
    };
    let desc = format!(
        "{shown} plotted by lifetime cost (effort) and NPV (value); bubble size is strategic alignment and colour the value stream. Top right is high value at high cost; top left is the sweet spot."
    );
    let mut sorted = ks.to_vec();
    sorted.sort_by(|&a, &b| {
        v.figures[b]
            .npv
            .total_cmp(&v.figures[a].npv)
            .then(a.cmp(&b))
    });
    let table = DataTable {
        head: vec![
            "Initiative".into(),
            "Value stream".into(),
            "Cost".into(),
            "NPV".into(),
            "Alignment".into(),
        ],
        rows: sorted
            .iter()
            .map(|&k| {
                vec![
                    v.rows[k].title.clone(),
                    v.rows[k].value_stream_name.clone(),
                    m(v, v.figures[k].total_cost),
                    m(v, v.figures[k].npv),
                    format::percent(v.figures[k].alignment, 0),
                ]
            })
            .collect(),
    };
    let id = format!("vve-{}", title.to_lowercase());
    figure(
        title,
        drawn(
            v,
            &id,
            &vc::ChartSpec::new(title, desc),
            &data,
            vc::bubble_chart,
        ),
        &table,
    )
    .explained("npv")
}

fn bars(
    v: &SiteView<'_>,
    id: &str,
    title: &str,
    desc: &str,
    items: Vec<(String, f64, Option<String>)>,
    head: &str,
) -> ChartView {
    let total: f64 = items.iter().map(|x| x.1).sum();
    let table = DataTable {
        head: vec![head.to_string(), "Investment".into(), "Share".into()],
        rows: items
            .iter()
            .map(|(l, x, _)| {
                vec![
                    l.clone(),
                    m(v, *x),
                    if total > 0.0 {
                        format::percent(x / total, 0)
                    } else {
                        "—".into()
                    },
                ]
            })
            .collect(),
    };
    let data = vc::BarData {
        bars: items
            .into_iter()
            .map(|(label, value, group)| vc::Bar {
                label,
                value,
                group,
            })
            .collect(),
        groups: stream_groups(v),
        unit: v.content.portfolio.settings.currency.clone(),
        format: money(v),
    };
    figure(
        title,
        drawn(
            v,
            id,
            &vc::ChartSpec::new(title, desc),
            &data,
            vc::bar_chart,
        ),
        &table,
    )
    .explained("periods")
}

pub fn investment_by_value_stream(v: &SiteView<'_>) -> ChartView {
    let items: Vec<(String, f64, Option<String>)> = v
        .analysis
        .metrics
        .totals
        .by_value_stream
        .iter()
        .map(|b| {
            let name = v
                .content
                .portfolio
                .value_stream(&b.key)
                .map_or_else(|| b.key.clone(), |s| s.name.clone());
            (name.clone(), b.investment, Some(name))
        })
        .collect();
    bars(
        v,
        "inv-by-value-stream",
        "Investment by value stream",
        "Lifetime planned cost of all initiatives in each value stream.",
        items,
        "Value stream",
    )
}

pub fn investment_by_objective(v: &SiteView<'_>) -> ChartView {
    let items = v
        .analysis
        .metrics
        .totals
        .by_objective
        .iter()
        .map(|b| {
            (
                v.content
                    .portfolio
                    .objective(&b.key)
                    .map_or_else(|| b.key.clone(), |s| s.name.clone()),
                b.investment,
                None,
            )
        })
        .collect();
    bars(
        v,
        "inv-by-objective",
        "Investment by strategic objective",
        "Lifetime planned cost aligned to each objective; an initiative serving several objectives is split equally between them.",
        items,
        "Objective",
    )
}

/// Investment by stage of a set of (initiative, share) members.
pub fn investment_by_stage(v: &SiteView<'_>, members: &[(usize, f64)], scope: &str) -> ChartView {
    let p = &v.content.portfolio;
    let items = p
        .stages
        .iter()
        .map(|s| {
            let x: f64 = members
                .iter()
                .filter(|(k, _)| p.initiatives[*k].stage == s.id)
                .map(|&(k, share)| v.figures[k].total_cost * share)
                .sum();
            (s.name.clone(), x, None)
        })
        .collect();
    let id = format!("inv-by-stage-{scope}").to_lowercase();
    bars(
        v,
        &id,
        &format!("{scope}: investment by stage"),
        "Lifetime planned cost by lifecycle stage.",
        items,
        "Stage",
    )
}

/// Planned vs actual benefits per period, summed over the portfolio.
/// Planned and realised benefit per period, by one rule for the portfolio and each
/// initiative, the rule of the figures to date: every period of the plan is shown; the
/// current one compares its plan pro-rated to `as_of` (by days) with what was realised
/// by then, and says so in its label.
fn realisation_rows<'a>(
    v: &SiteView<'_>,
    rows: impl Iterator<Item = &'a vmo_core::analysis::RealisationRow>,
) -> (Vec<(String, f64, Option<f64>)>, String) {
    let s = &v.content.portfolio.settings;
    let now = s.calendar.period_of(s.as_of);
    let share = vmo_core::analysis::elapsed_share(&s.calendar, now, s.as_of);
    let mut per: BTreeMap<Period, (String, f64, Option<f64>)> = BTreeMap::new();
    for r in rows {
        let e = per
            .entry(r.period)
            .or_insert_with(|| (r.label.clone(), 0.0, None));
        e.1 += if r.period == now {
            r.planned_benefit * share
        } else {
            r.planned_benefit
        };
        if let Some(a) = r.actual_benefit {
            e.2 = Some(e.2.unwrap_or(0.0) + a);
        }
    }
    let current = s.calendar.label(now);
    if let Some(e) = per.get_mut(&now) {
        e.0 = format!("{current} to date");
    }
    let note = format!(
        "Every period of the plan; {current}, the current one, shows its plan to {} pro-rated by days (as the figures to date are) against what was realised by then.",
        s.as_of
    );
    (per.into_values().collect(), note)
}

pub fn benefits_realisation(v: &SiteView<'_>) -> ChartView {
    let (rows, note) = realisation_rows(
        v,
        v.analysis
            .metrics
            .initiatives
            .iter()
            .flat_map(|m| &m.realisation),
    );
    plan_actual(
        v,
        "benefits-realisation",
        "Benefits: planned vs realised",
        &format!(
            "Benefits planned per period across the portfolio, with the benefits realised to date. {note}"
        ),
        rows,
        ("Planned benefit", "Realised benefit"),
    ).explained("periods")
}

pub fn initiative_realisation(v: &SiteView<'_>, k: usize) -> ChartView {
    let (rows, note) = realisation_rows(v, v.analysis.metrics.initiatives[k].realisation.iter());
    let id = format!("real-{}", v.content.portfolio.initiatives[k].id);
    plan_actual(
        v,
        &id,
        "Benefits: planned vs actual",
        &format!("Planned benefit per period and the actual benefit recorded to date. {note}"),
        rows,
        ("Planned benefit", "Actual benefit"),
    )
    .explained("periods")
}

pub fn budget(v: &SiteView<'_>) -> Option<ChartView> {
    let rows = v.analysis.metrics.totals.budget.as_ref()?;
    let rows = rows
        .iter()
        .map(|r| (r.label.clone(), r.budget, Some(r.committed_cost)))
        .collect();
    Some(plan_actual(
        v,
        "budget",
        "Budget envelope vs committed cost",
        "The budget per period and the planned cost of initiatives in committed and operating stages.",
        rows,
        ("Budget", "Committed cost"),
    ).explained("selection"))
}

fn plan_actual(
    v: &SiteView<'_>,
    id: &str,
    title: &str,
    desc: &str,
    rows: Vec<(String, f64, Option<f64>)>,
    labels: (&str, &str),
) -> ChartView {
    let table = DataTable {
        head: vec!["Period".into(), labels.0.into(), labels.1.into()],
        rows: rows
            .iter()
            .map(|(l, p, a)| {
                vec![
                    l.clone(),
                    m(v, *p),
                    a.map_or_else(|| "—".into(), |x| m(v, x)),
                ]
            })
            .collect(),
    };
    let data = vc::PlanActualData {
        periods: rows.iter().map(|r| r.0.clone()).collect(),
        planned: rows.iter().map(|r| r.1).collect(),
        actual: rows.iter().map(|r| r.2).collect(),
        unit: v.content.portfolio.settings.currency.clone(),
        format: money(v),
        labels: vc::PlanActualLabels {
            planned: labels.0.into(),
            actual: labels.1.into(),
        },
    };
    figure(
        title,
        vc::plan_actual_chart(id, &vc::ChartSpec::new(title, desc), &data),
        &table,
    )
}

pub fn kpi(v: &SiteView<'_>, k: usize, n: usize) -> ChartView {
    let i = &v.content.portfolio.initiatives[k];
    let kpi = &i.kpis[n];
    let title = format!("{} over time", kpi.name);
    let desc = format!(
        "Actual values of {} against its baseline ({}) and target ({}).",
        kpi.name,
        format::number(kpi.baseline, 2),
        format::number(kpi.target, 2)
    );
    let data = vc::KpiData {
        points: kpi
            .actuals
            .iter()
            .map(|a| vc::KpiPoint {
                day: a.date.days_since_epoch(),
                value: a.value,
            })
            .collect(),
        baseline: Some(kpi.baseline),
        target: Some(kpi.target),
        unit: kpi.unit.clone(),
        format: vc::ValueFormat::Fixed {
            decimals: 1,
            prefix: String::new(),
            suffix: format::unit_suffix(&kpi.unit),
        },
        ticks: Vec::new(),
        x_range: kpi.target_date.and_then(|t| {
            let first = kpi.actuals.first()?.date.days_since_epoch();
            Some((
                first.min(t.days_since_epoch()),
                t.days_since_epoch().max(first),
            ))
        }),
        labels: vc::KpiLabels {
            actual: "Actual".into(),
            target: "Target".into(),
            baseline: "Baseline".into(),
        },
    };
    let table = DataTable {
        head: vec!["Date".into(), format!("Value ({})", kpi.unit)],
        rows: kpi
            .actuals
            .iter()
            .map(|a| vec![a.date.to_string(), format::number(a.value, 2)])
            .collect(),
    };
    figure(
        &title,
        vc::kpi_chart(
            &format!("kpi-{}-{n}", i.id),
            &vc::ChartSpec::new(&title, desc).with_width(560),
            &data,
        ),
        &table,
    )
    .explained("kpis")
}

/// The roadmap's order of the initiatives: by value stream (in the settings' order),
/// then start, then id.
pub fn roadmap_order(p: &vmo_core::Portfolio) -> Vec<usize> {
    let mut ks: Vec<usize> = (0..p.initiatives.len()).collect();
    let stream_pos: std::collections::HashMap<&str, usize> = p
        .value_streams
        .iter()
        .enumerate()
        .map(|(n, s)| (s.id.as_str(), n))
        .collect();
    let pos = |id: &str| stream_pos.get(id).copied().unwrap_or(usize::MAX);
    ks.sort_by(|&a, &b| {
        let (x, y) = (&p.initiatives[a], &p.initiatives[b]);
        pos(&x.value_stream)
            .cmp(&pos(&y.value_stream))
            .then(x.start.cmp(&y.start))
            .then(x.id.cmp(&y.id))
    });
    ks
}

/// A fiscal year's name on a time axis: "FY2025" when fiscal years do not follow the
/// calendar (the year starts on the first of `fiscal_year_start_month` of 2025), else "2025".
fn fiscal_year_label(
    years: &vmo_core::calendar::Calendar,
    p: vmo_core::calendar::Period,
) -> String {
    if years.fiscal_year_start_month == 1 {
        years.label(p)
    } else {
        format!("FY{}", years.label(p))
    }
}

/// The Gantt chart of the initiatives `ks` (a page of [`roadmap_order`]), on the time
/// axis of the whole portfolio so that every page reads on the same scale.
pub fn roadmap(v: &SiteView<'_>, ks: &[usize]) -> ChartView {
    let p = &v.content.portfolio;
    let items: Vec<vc::RoadmapItem> = ks
        .iter()
        .map(|&k| {
            let i = &p.initiatives[k];
            vc::RoadmapItem {
                label: i.title.clone(),
                group: v.rows[k].value_stream_name.clone(),
                start: i.start.days_since_epoch(),
                end: i.end.days_since_epoch(),
                milestones: i
                    .milestones
                    .iter()
                    .map(|ms| vc::Milestone {
                        day: ms.due.days_since_epoch(),
                        label: ms.name.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    // Ticks at the starts of fiscal years, the periods every other figure uses.
    let years = vmo_core::calendar::Calendar {
        cadence: vmo_core::calendar::Cadence::Year,
        ..p.settings.calendar
    };
    let (lo, hi) = (
        p.initiatives
            .iter()
            .map(|i| years.period_of(i.start).0)
            .min()
            .unwrap_or(2025),
        p.initiatives
            .iter()
            .map(|i| years.period_of(i.end).0)
            .max()
            .unwrap_or(2026),
    );
    let ticks = (lo..=hi + 1)
        .map(|y| {
            let period = vmo_core::calendar::Period(y);
            (
                years.start_date(period).days_since_epoch(),
                fiscal_year_label(&years, period),
            )
        })
        .collect();
    let data = vc::RoadmapData {
        items,
        groups: stream_groups(v),
        today: Some(p.settings.as_of.days_since_epoch()),
        ticks,
        labels: vc::RoadmapLabels {
            today: format!("As of {}", p.settings.as_of),
            milestone: "Milestone".into(),
        },
    };
    let title = "Portfolio roadmap";
    let shown = if ks.len() == p.initiatives.len() {
        format!("{} initiatives", ks.len())
    } else {
        format!(
            "{} of the portfolio's {} initiatives",
            ks.len(),
            p.initiatives.len()
        )
    };
    let desc = format!(
        "{shown} as bars from start to end date, coloured by value stream, with milestones as diamonds and a line at the reporting date {}.",
        p.settings.as_of
    );
    let table = DataTable {
        head: vec![
            "Initiative".into(),
            "Value stream".into(),
            "Start".into(),
            "End".into(),
        ],
        rows: ks
            .iter()
            .map(|&k| {
                vec![
                    v.rows[k].title.clone(),
                    v.rows[k].value_stream_name.clone(),
                    p.initiatives[k].start.to_string(),
                    p.initiatives[k].end.to_string(),
                ]
            })
            .collect(),
    };
    figure(
        title,
        drawn(
            v,
            "roadmap",
            &vc::ChartSpec::new(title, desc).with_width(1100),
            &data,
            vc::roadmap_chart,
        ),
        &table,
    )
    .explained("kpis")
}

pub fn risk_heatmap(v: &SiteView<'_>) -> ChartView {
    let mut counts = vec![vec![0u32; 5]; 5];
    for i in &v.content.portfolio.initiatives {
        for r in i
            .risks
            .iter()
            .filter(|r| r.status != vmo_core::RiskStatus::Closed)
        {
            let rating = vmo_core::risk::rate(r.probability, r.impact);
            counts[usize::from(rating.band) - 1][usize::from(rating.impact) - 1] += 1;
        }
    }
    let bands = vmo_core::risk::BAND_LABELS;
    let impacts = ["1 minor", "2", "3", "4", "5 severe"];
    let data = vc::HeatMapData {
        counts: counts.clone(),
        row_labels: bands.iter().map(|s| s.to_string()).collect(),
        col_labels: impacts.iter().map(|s| s.to_string()).collect(),
        medium_from: Some(u32::from(vmo_core::risk::MEDIUM_FROM)),
        high_from: Some(u32::from(vmo_core::risk::HIGH_FROM)),
        labels: vc::HeatMapLabels {
            rows: "Probability".into(),
            cols: "Impact".into(),
            low: "Low".into(),
            medium: "Medium".into(),
            high: "High".into(),
        },
    };
    let total: u32 = counts.iter().flatten().sum();
    let title = "Risk heat map";
    let desc = format!(
        "{total} open and mitigating risks counted by probability band and impact. Zones by score (band × impact, band 1 for a probability under 20% to band 5 for 80% and above): low below {}, medium {} to {}, high {} and above.",
        vmo_core::risk::MEDIUM_FROM,
        vmo_core::risk::MEDIUM_FROM,
        vmo_core::risk::HIGH_FROM - 1,
        vmo_core::risk::HIGH_FROM
    );
    let table = DataTable {
        head: std::iter::once("Probability \\ impact".to_string())
            .chain(impacts.iter().map(|s| s.to_string()))
            .collect(),
        rows: (0..5)
            .rev()
            .map(|b| {
                std::iter::once(bands[b].to_string())
                    .chain(counts[b].iter().map(|c| c.to_string()))
                    .collect()
            })
            .collect(),
    };
    figure(
        title,
        drawn(
            v,
            "risk-heatmap",
            &vc::ChartSpec::new(title, desc).with_width(560),
            &data,
            vc::heat_map_chart,
        ),
        &table,
    )
    .explained("risks")
}

/// The dependency map of the initiatives `page` (indices, a page of the dependencies
/// page, or all of them) with their direct neighbours: the arrows that start or end on
/// the page.
pub fn dependency_map(v: &SiteView<'_>, page: &[usize]) -> ChartView {
    let p = &v.content.portfolio;
    let n = p.initiatives.len();
    let mut on_page = vec![false; n];
    for &k in page {
        on_page[k] = true;
    }
    // The arrows that start or end on the page, in the order of the portfolio and of
    // each initiative's `depends_on`: from the page's initiatives and their dependents
    // (the reverse index), not a scan of every initiative per page.
    let mut from: Vec<usize> = page.to_vec();
    for &k in page {
        from.extend(
            v.analysis.dependents[k]
                .iter()
                .copied()
                .filter(|&j| !on_page[j]),
        );
    }
    from.sort_unstable();
    from.dedup();
    let mut edges_k: Vec<(usize, usize)> = Vec::new();
    for k in from {
        for d in &p.initiatives[k].depends_on {
            if let Some(j) = v.index_of(d)
                && (on_page[k] || on_page[j])
            {
                edges_k.push((k, j));
            }
        }
    }
    let mut shown = on_page.clone();
    for &(a, b) in &edges_k {
        shown[a] = true;
        shown[b] = true;
    }
    let nodes: Vec<vc::DepNode> = p
        .initiatives
        .iter()
        .enumerate()
        .filter(|&(k, _)| shown[k] || page.len() == n)
        .map(|(k, i)| vc::DepNode {
            id: i.id.clone(),
            label: i.title.clone(),
            group: v.rows[k].value_stream_name.clone(),
            emphasis: i.health == vmo_core::Health::Red,
        })
        .collect();
    let edges: Vec<(String, String)> = edges_k
        .iter()
        .map(|&(a, b)| (p.initiatives[a].id.clone(), p.initiatives[b].id.clone()))
        .collect();
    let data = vc::DepMapData {
        nodes,
        edges: edges.clone(),
        groups: stream_groups(v),
        hide_isolated: true,
    };
    let title = "Dependency map";
    let desc = format!(
        "{} dependencies between initiatives; an arrow goes from an initiative to one it needs. Columns are dependency depth. Red outlines mark initiatives in red health.",
        edges.len()
    );
    let table = DataTable {
        head: vec!["Initiative".into(), "Depends on".into()],
        rows: edges_k
            .iter()
            .map(|&(a, b)| vec![v.rows[a].title.clone(), v.rows[b].title.clone()])
            .collect(),
    };
    figure(
        title,
        drawn(
            v,
            "dependency-map",
            &vc::ChartSpec::new(title, desc).with_width(1100),
            &data,
            vc::dependency_map_chart,
        ),
        &table,
    )
    .explained("dependencies")
}

/// A chart embedded in Markdown by name (names were checked when the content loaded).
pub fn named(v: &SiteView<'_>, name: &str, initiative: Option<&str>, id: &str) -> ChartView {
    let all: Vec<usize> = (0..v.content.portfolio.initiatives.len()).collect();
    let members: Vec<(usize, f64)> = all.iter().map(|&k| (k, 1.0)).collect();
    match name {
        "investment-by-value-stream" => investment_by_value_stream(v),
        "investment-by-objective" => investment_by_objective(v),
        "investment-by-stage" => investment_by_stage(v, &members, "Portfolio"),
        "value-vs-effort" => value_vs_effort(v, &all, "Portfolio: value vs effort"),
        "benefits-realisation" => benefits_realisation(v),
        "risk-heatmap" => risk_heatmap(v),
        // A report shows the roadmap's first page; the roadmap pages have the rest.
        "roadmap" => {
            let order = v.roadmap_order();
            roadmap(v, &order[..order.len().min(super::paging::ROADMAP_ROWS)])
        }
        _ => match initiative.and_then(|i| v.index_of(i)) {
            Some(k) => cash_flow(v, k, id),
            None => figure(
                name,
                Err(vc::ChartError::InvalidData("no initiative".into())),
                &DataTable::default(),
            )
            .explained("periods"),
        },
    }
}
