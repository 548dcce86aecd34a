//! One module per chart.

pub(crate) mod bars;
pub(crate) mod bubble;
pub(crate) mod cashflow;
pub(crate) mod depmap;
pub(crate) mod heatmap;
pub(crate) mod histogram;
pub(crate) mod kpi;
pub(crate) mod plan_actual;
pub(crate) mod roadmap;

use crate::ChartSpec;
use crate::draw::render;
use crate::svg::Head;

/// Renders the "no data" variant of a chart.
pub(crate) fn no_data(
    kind: &str,
    id: &str,
    spec: &ChartSpec,
    height: u32,
) -> Result<String, crate::ChartError> {
    let head = Head {
        kind,
        id,
        title: &spec.title,
        desc: &spec.desc,
        width: spec.width(),
        height: spec.height_or(height).min(240),
    };
    render(head, |c| c.message(spec.no_data_text()))
}

pub(crate) fn head<'a>(kind: &'a str, id: &'a str, spec: &'a ChartSpec, height: u32) -> Head<'a> {
    Head {
        kind,
        id,
        title: &spec.title,
        desc: &spec.desc,
        width: spec.width(),
        height,
    }
}
