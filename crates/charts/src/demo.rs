//! Sample data and a demo page with every chart in light and dark mode.
//! Used by the tests and `cargo run -p vmo-charts --example demo`.

use crate::*;

/// Label used to check escaping.
pub const NASTY: &str = "<script>alert(1)</script> & \"q\" 'x'";

fn spec(title: &str, desc: &str) -> ChartSpec {
    ChartSpec::new(title, desc)
}

/// Sample data for every chart: (id, rendered SVG result).
pub fn all_charts() -> Vec<(&'static str, Result<String, ChartError>)> {
    let groups: Vec<String> = ["Customer", "Operations", "Digital", "Compliance"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut out = Vec::new();

    let periods: Vec<String> = (2025..=2031).map(|y| y.to_string()).collect();
    let net = vec![
        -1_200_000.0,
        -450_000.0,
        380_000.0,
        720_000.0,
        910_000.0,
        950_000.0,
        980_000.0,
    ];
    let mut disc = Vec::new();
    let mut acc = 0.0;
    for (i, v) in net.iter().enumerate() {
        acc += v / 1.08f64.powi(i as i32 + 1);
        disc.push(acc);
    }
    out.push((
        "cashflow",
        cash_flow_chart(
            "cashflow",
            &spec("Cumulative cash flow: CRM replacement", "Net cash flow per year, cumulative and discounted cumulative value (NPV 1.2M EUR at 8%)."),
            &CashFlowData {
                currency: "EUR".into(),
                periods,
                net,
                cumulative: Vec::new(),
                cumulative_discounted: disc,
                labels: CashFlowLabels::default(),
            },
        ),
    ));

    let pts = [
        ("CRM", "Customer", 1_650_000.0, 1_240_000.0, 8.0),
        (
            "Self-service portal",
            "Customer",
            820_000.0,
            2_100_000.0,
            9.0,
        ),
        ("ERP upgrade", "Operations", 2_900_000.0, 310_000.0, 5.0),
        (
            "Warehouse robots",
            "Operations",
            2_100_000.0,
            1_650_000.0,
            6.5,
        ),
        ("Data platform", "Digital", 1_300_000.0, 900_000.0, 7.5),
        ("AI triage", "Digital", 450_000.0, 1_050_000.0, 6.0),
        ("GDPR tooling", "Compliance", 380_000.0, -120_000.0, 4.0),
        ("Audit trail", "Compliance", 600_000.0, 40_000.0, 3.0),
        (NASTY, "Digital", 1_000_000.0, -350_000.0, 2.0),
    ];
    out.push((
        "bubble",
        bubble_chart(
            "bubble",
            &spec(
                "Value vs effort",
                "NPV against total cost per initiative; bubble size is strategic alignment.",
            ),
            &BubbleData {
                points: pts
                    .iter()
                    .map(|(n, g, x, y, s)| BubblePoint {
                        name: n.to_string(),
                        group: g.to_string(),
                        x: *x,
                        y: *y,
                        size: *s,
                    })
                    .collect(),
                groups: groups.clone(),
                x_title: "Total cost (EUR)".into(),
                y_title: "NPV (EUR)".into(),
                size_title: "Bubble size: strategic alignment score".into(),
                ..BubbleData::default()
            },
        ),
    ));

    out.push((
        "bars",
        bar_chart(
            "bars",
            &spec(
                "Investment by value stream",
                "Planned investment per value stream over the plan horizon.",
            ),
            &BarData {
                bars: [
                    ("Customer", 4_200_000.0),
                    ("Operations", 3_150_000.0),
                    ("Digital", 2_400_000.0),
                    ("Compliance", 980_000.0),
                    (NASTY, 125_000.0),
                ]
                .iter()
                .map(|(l, v)| Bar {
                    label: l.to_string(),
                    value: *v,
                    group: Some(l.to_string()),
                })
                .collect(),
                groups: groups.clone(),
                unit: "EUR".into(),
                format: ValueFormat::default(),
            },
        ),
    ));

    out.push((
        "bars-objective",
        bar_chart(
            "bars-objective",
            &spec(
                "Investment by objective",
                "Investment attributed to each strategic objective.",
            )
            .with_width(560),
            &BarData {
                bars: [
                    ("Grow recurring revenue", 3_900_000.0),
                    (
                        "Reduce cost to serve by 15% before the end of 2027",
                        2_800_000.0,
                    ),
                    ("Regulatory compliance", 1_100_000.0),
                    ("Reduce carbon footprint", -150_000.0),
                ]
                .iter()
                .map(|(l, v)| Bar {
                    label: l.to_string(),
                    value: *v,
                    group: None,
                })
                .collect(),
                unit: "EUR".into(),
                ..BarData::default()
            },
        ),
    ));

    out.push((
        "plan-actual",
        plan_actual_chart(
            "plan-actual",
            &spec(
                "Benefits realisation",
                "Planned vs actual benefits per quarter.",
            ),
            &PlanActualData {
                periods: [
                    "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026",
                    "Q4 2026",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
                planned: vec![50e3, 120e3, 200e3, 260e3, 300e3, 320e3, 340e3, 360e3],
                actual: vec![
                    Some(40e3),
                    Some(135e3),
                    Some(170e3),
                    Some(240e3),
                    Some(310e3),
                ],
                unit: "EUR".into(),
                ..PlanActualData::default()
            },
        ),
    ));

    let kpi_pts = vec![
        KpiPoint::ymd(2025, 1, 15, 61.0),
        KpiPoint::ymd(2025, 2, 15, 63.5),
        KpiPoint::ymd(2025, 3, 15, 62.0),
        KpiPoint::ymd(2025, 4, 15, 67.0),
        KpiPoint::ymd(2025, 5, 15, 70.5),
        KpiPoint::ymd(2025, 6, 15, 72.0),
        KpiPoint::ymd(2025, 8, 15, 76.5),
        KpiPoint::ymd(2025, 9, 15, 78.0),
    ];
    out.push((
        "kpi",
        kpi_chart(
            "kpi",
            &spec(
                "First-contact resolution",
                "Monthly first-contact resolution rate against baseline 60% and target 85%.",
            ),
            &KpiData {
                points: kpi_pts,
                baseline: Some(60.0),
                target: Some(85.0),
                unit: "%".into(),
                format: ValueFormat::Fixed {
                    decimals: 0,
                    prefix: String::new(),
                    suffix: "%".into(),
                },
                x_range: Some((days_from_civil(2025, 1, 1), days_from_civil(2025, 12, 31))),
                ..KpiData::default()
            },
        ),
    ));

    let d = days_from_civil;
    let item = |label: &str, group: &str, s: i64, e: i64, ms: Vec<(i64, &str)>| RoadmapItem {
        label: label.into(),
        group: group.into(),
        start: s,
        end: e,
        milestones: ms
            .into_iter()
            .map(|(day, l)| Milestone {
                day,
                label: l.into(),
            })
            .collect(),
    };
    out.push((
        "roadmap",
        roadmap_chart(
            "roadmap",
            &spec(
                "Roadmap",
                "Initiatives by start and end date, with milestones.",
            ),
            &RoadmapData {
                items: vec![
                    item(
                        "CRM replacement",
                        "Customer",
                        d(2025, 1, 6),
                        d(2025, 11, 28),
                        vec![(d(2025, 4, 1), "Pilot"), (d(2025, 9, 1), "Go-live")],
                    ),
                    item(
                        "Self-service portal",
                        "Customer",
                        d(2025, 3, 1),
                        d(2026, 2, 27),
                        vec![(d(2025, 10, 15), "Beta")],
                    ),
                    item(
                        "ERP upgrade",
                        "Operations",
                        d(2025, 6, 2),
                        d(2026, 9, 30),
                        vec![],
                    ),
                    item(
                        "Data platform",
                        "Digital",
                        d(2024, 11, 4),
                        d(2025, 7, 31),
                        vec![(d(2025, 2, 3), "MVP")],
                    ),
                    item(
                        NASTY,
                        "Compliance",
                        d(2025, 9, 1),
                        d(2026, 3, 31),
                        vec![(d(2026, 1, 15), NASTY)],
                    ),
                ],
                groups: groups.clone(),
                today: Some(d(2025, 8, 20)),
                ..RoadmapData::default()
            },
        ),
    ));

    out.push((
        "heatmap",
        heat_map_chart(
            "heatmap",
            &spec("Risk heat map", "Open risks by probability and impact."),
            &HeatMapData {
                counts: vec![
                    vec![2, 1, 0, 0, 0],
                    vec![1, 3, 2, 1, 0],
                    vec![0, 2, 4, 1, 1],
                    vec![0, 0, 1, 2, 0],
                    vec![0, 0, 0, 1, 1],
                ],
                row_labels: ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                col_labels: ["Minimal", "Minor", "Moderate", "Major", "Severe"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                ..HeatMapData::default()
            },
        ),
    ));

    // A deterministic bell-ish shape.
    let bins: Vec<HistogramBin> = (0..30)
        .map(|i| {
            let x = -1.0 + i as f64 * 0.1;
            let z = (x - 0.45) / 0.55;
            HistogramBin {
                start: x * 1e6,
                end: (x + 0.1) * 1e6,
                count: (1000.0 * (-z * z / 2.0).exp()).round() as u64,
            }
        })
        .collect();
    out.push((
        "histogram",
        histogram_chart(
            "histogram",
            &spec("NPV distribution (10,000 trials)", "Monte Carlo distribution of NPV; P10, P50 and P90 marked; 21% chance that NPV is negative."),
            &HistogramData {
                bins,
                markers: vec![
                    HistogramMarker { value: -250e3, label: "P10".into() },
                    HistogramMarker { value: 450e3, label: "P50".into() },
                    HistogramMarker { value: 1_150e3, label: "P90".into() },
                    HistogramMarker { value: 520e3, label: "Business case".into() },
                ],
                x_title: "NPV (EUR) — P10: 90% of trials above".into(),
                y_title: "Trials".into(),
                split_at: Some(0.0),
                below_label: "NPV < 0".into(),
                above_label: "NPV ≥ 0".into(),
                ..HistogramData::default()
            },
        ),
    ));

    let node = |id: &str, label: &str, group: &str, emphasis: bool| DepNode {
        id: id.into(),
        label: label.into(),
        group: group.into(),
        emphasis,
    };
    let e = |a: &str, b: &str| (a.to_string(), b.to_string());
    out.push((
        "depmap",
        dependency_map_chart(
            "depmap",
            &spec(
                "Dependency map",
                "Arrows go from an initiative to one it needs.",
            ),
            &DepMapData {
                nodes: vec![
                    node("data", "Data platform", "Digital", false),
                    node("crm", "CRM replacement", "Customer", true),
                    node("portal", "Self-service portal", "Customer", false),
                    node("ai", "AI triage", "Digital", false),
                    node("erp", "ERP upgrade", "Operations", false),
                    node("robots", "Warehouse robots", "Operations", false),
                    node("gdpr", NASTY, "Compliance", false),
                    node("alone", "Isolated initiative", "Compliance", false),
                ],
                edges: vec![
                    e("crm", "data"),
                    e("portal", "crm"),
                    e("ai", "data"),
                    e("ai", "crm"),
                    e("robots", "erp"),
                    e("portal", "gdpr"),
                ],
                groups: groups.clone(),
                hide_isolated: true,
            },
        ),
    ));

    // Narrow variants, as used in dashboard cards.
    out.push((
        "cashflow-narrow",
        cash_flow_chart(
            "cashflow-narrow",
            &spec("Cash flow (narrow)", "Same data at 420 wide.")
                .with_width(420)
                .with_height(300),
            &CashFlowData {
                currency: "EUR".into(),
                periods: (2025..=2034).map(|y| format!("FY{y}")).collect(),
                net: vec![
                    -900e3, -300e3, 100e3, 250e3, 300e3, 320e3, 330e3, 340e3, 350e3, 360e3,
                ],
                ..CashFlowData::default()
            },
        ),
    ));
    out.push((
        "kpi-narrow",
        kpi_chart(
            "kpi-narrow",
            &spec("KPI (narrow)", "Lower is better; baseline above target.")
                .with_width(420)
                .with_height(260),
            &KpiData {
                points: (0..18)
                    .map(|i| KpiPoint {
                        day: days_from_civil(2024, 1, 1) + i * 30,
                        value: 48.0 - i as f64 * 0.9,
                    })
                    .collect(),
                baseline: Some(48.0),
                target: Some(35.0),
                unit: "Days to onboard".into(),
                format: ValueFormat::Fixed {
                    decimals: 0,
                    prefix: String::new(),
                    suffix: String::new(),
                },
                ..KpiData::default()
            },
        ),
    ));

    out.push((
        "empty",
        cash_flow_chart(
            "empty",
            &spec("Empty", "No data."),
            &CashFlowData::default(),
        ),
    ));
    out
}

/// A standalone HTML page with every sample chart in light and dark mode.
/// `font_url` is where the page finds [`FONT_TTF`].
pub fn demo_page(font_url: &str) -> Result<String, ChartError> {
    let charts = all_charts();
    let mut cards = String::new();
    for (id, svg) in &charts {
        let svg = svg.clone()?;
        cards.push_str(&format!(
            "<figure class=\"f-{id}\"><figcaption>{id}</figcaption>{svg}</figure>\n"
        ));
    }
    let dark_cards = cards
        .replace("-title", "-dtitle")
        .replace("-desc", "-ddesc");
    Ok(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vmo-charts demo</title>\n<style>\n\
@font-face{{font-family:\"{family}\";src:url(\"{font_url}\") format(\"truetype\");}}\n\
body{{margin:0;font-family:\"{family}\",sans-serif;display:flex;}}\n\
.col{{flex:1;padding:16px;}}\n.light{{background:#ffffff;color:#1f2937;}}\n.dark{{background:#161b22;color:#e5e7eb;}}\n\
figure{{margin:0 0 28px 0;max-width:760px;}} figcaption{{font-size:13px;opacity:.6;margin-bottom:4px}}\n\
.light{{\n{light}}}\n.dark{{\n{dark}}}\n{css}\n</style></head><body>\n\
<div class=\"col light\">\n{cards}</div>\n<div class=\"col dark\">\n{dark_cards}</div>\n</body></html>\n",
        family = FONT_FAMILY,
        light = crate::theme::vars_block(false),
        dark = crate::theme::vars_block(true),
        css = CHART_CSS,
    ))
}
