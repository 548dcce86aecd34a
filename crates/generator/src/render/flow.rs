//! Flow Framework metrics of a value stream: the latest three months as headline
//! figures, and month by month for the charts and the table.

use super::charts::{ChartView, DataTable, figure};
use super::format;
use super::views::SiteView;
use minijinja::{Value, context};
use vmo_charts as vc;
use vmo_core::Date;
use vmo_core::flow::{
    FlowKind, FlowMetrics, FlowWindow, WorkItem, flow_metrics, flow_series, month_windows,
};

fn kind_label(k: FlowKind) -> &'static str {
    match k {
        FlowKind::Feature => "Features",
        FlowKind::Defect => "Defects",
        FlowKind::Debt => "Debt",
        FlowKind::Risk => "Risks",
    }
}

fn days(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |d| format!("{} days", format::number(d, 1)))
}

/// The flow section of a value stream page.
pub fn flow_view(v: &SiteView<'_>, id: &str, name: &str, items: &[WorkItem]) -> Value {
    let as_of = v.content.portfolio.settings.as_of;
    let first = as_of.add_months_to_first(-11);
    let windows = month_windows(first, as_of);
    let recent = FlowWindow {
        label: "last three months".into(),
        from: as_of.add_months_to_first(-2),
        to: as_of,
    };
    let (series, head) = match (flow_series(items, &windows), flow_metrics(items, &recent)) {
        (Ok(s), Ok(h)) => (s, h),
        (Err(e), _) | (_, Err(e)) => {
            return context! { error => format!("The flow data could not be analysed: {e}") };
        }
    };
    let months: Vec<Value> = series
        .iter()
        .map(|m| {
            context! {
                label => m.label, velocity => m.velocity,
                flow_time => days(m.flow_time.as_ref().map(|t| t.median)),
                efficiency => m.flow_efficiency.map_or_else(|| "—".into(), |e| format::percent(e, 0)),
                load => m.load.at_end, wip => format::number(m.load.average_wip, 1),
                mix => m.distribution_done.iter().map(|k| format!("{} {}", k.count, kind_label(k.kind).to_lowercase())).collect::<Vec<_>>().join(", "),
            }
        })
        .collect();
    context! {
        items => items.len(),
        window => format!("{} to {}", recent.from, recent.to),
        velocity => head.velocity,
        flow_time => days(head.flow_time.as_ref().map(|t| t.median)),
        flow_time_p85 => days(head.flow_time.as_ref().map(|t| t.p85)),
        efficiency => head.flow_efficiency.map_or_else(|| "—".into(), |e| format::percent(e, 0)),
        load => head.load.at_end,
        wip => format::number(head.load.average_wip, 1),
        months => months,
        charts => context! {
            distribution => distribution_chart(id, name, &head),
            velocity => velocity_chart(id, name, &series),
            flow_time => flow_time_chart(id, name, &series, as_of),
        },
    }
}

fn distribution_chart(id: &str, name: &str, m: &FlowMetrics) -> ChartView {
    let title = format!("{name}: flow distribution");
    let total: usize = m.distribution_done.iter().map(|k| k.count).sum();
    let data = vc::BarData {
        bars: m
            .distribution_done
            .iter()
            .map(|k| vc::Bar {
                label: kind_label(k.kind).into(),
                value: k.count as f64,
                group: None,
            })
            .collect(),
        groups: Vec::new(),
        unit: "items".into(),
        format: vc::ValueFormat::Fixed {
            decimals: 0,
            prefix: String::new(),
            suffix: String::new(),
        },
    };
    let table = DataTable {
        head: vec!["Type".into(), "Items done".into(), "Share".into()],
        rows: m
            .distribution_done
            .iter()
            .map(|k| {
                vec![
                    kind_label(k.kind).into(),
                    k.count.to_string(),
                    k.share
                        .map_or_else(|| "—".into(), |s| format::percent(s, 0)),
                ]
            })
            .collect(),
    };
    let desc = format!(
        "Items finished in the {} by flow item type: {total} in all.",
        m.label
    );
    figure(
        &title,
        vc::bar_chart(
            &format!("flow-dist-{id}"),
            &vc::ChartSpec::new(&title, desc).with_width(560),
            &data,
        ),
        &table,
    )
    .explained("flow")
}

fn velocity_chart(id: &str, name: &str, series: &[FlowMetrics]) -> ChartView {
    let title = format!("{name}: flow velocity by month");
    let data = vc::BarData {
        bars: series
            .iter()
            .map(|m| vc::Bar {
                label: m.label.clone(),
                value: m.velocity as f64,
                group: None,
            })
            .collect(),
        groups: Vec::new(),
        unit: "items".into(),
        format: vc::ValueFormat::Fixed {
            decimals: 0,
            prefix: String::new(),
            suffix: String::new(),
        },
    };
    let table = DataTable {
        head: vec!["Month".into(), "Items done".into()],
        rows: series
            .iter()
            .map(|m| vec![m.label.clone(), m.velocity.to_string()])
            .collect(),
    };
    figure(
        &title,
        vc::bar_chart(
            &format!("flow-vel-{id}"),
            &vc::ChartSpec::new(&title, "Work items finished each month.").with_width(560),
            &data,
        ),
        &table,
    )
    .explained("flow")
}

fn flow_time_chart(id: &str, name: &str, series: &[FlowMetrics], as_of: Date) -> ChartView {
    let title = format!("{name}: median flow time by month");
    let points: Vec<vc::KpiPoint> = series
        .iter()
        .filter_map(|m| {
            Some(vc::KpiPoint {
                day: m.to.min(as_of).days_since_epoch(),
                value: m.flow_time.as_ref()?.median,
            })
        })
        .collect();
    let data = vc::KpiData {
        points,
        baseline: None,
        target: None,
        unit: "days".into(),
        format: vc::ValueFormat::Fixed {
            decimals: 0,
            prefix: String::new(),
            suffix: " d".into(),
        },
        ticks: Vec::new(),
        x_range: None,
        labels: vc::KpiLabels {
            actual: "Median flow time".into(),
            target: "Target".into(),
            baseline: "Baseline".into(),
        },
    };
    let table = DataTable {
        head: vec![
            "Month".into(),
            "Median flow time".into(),
            "85th percentile".into(),
        ],
        rows: series
            .iter()
            .map(|m| {
                vec![
                    m.label.clone(),
                    days(m.flow_time.as_ref().map(|t| t.median)),
                    days(m.flow_time.as_ref().map(|t| t.p85)),
                ]
            })
            .collect(),
    };
    let desc = "Median days from an item's creation to done, waiting included, for items finished each month.";
    figure(
        &title,
        vc::kpi_chart(
            &format!("flow-time-{id}"),
            &vc::ChartSpec::new(&title, desc).with_width(560),
            &data,
        ),
        &table,
    )
    .explained("flow")
}
