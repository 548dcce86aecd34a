//! The Monte Carlo distribution of an initiative's NPV as a figure: how many trials, the
//! histogram's bins and percentile markers, its description and its data table.

use vmo_charts as vc;
use vmo_charts::numbers::{currency_symbol, money, percent};
use vmo_core::Period;
use vmo_core::montecarlo::{Simulation, SimulationConfig};

/// Trials per simulation, on the initiative page and in the what-if widget's baseline
/// (same seed), so both show the same percentiles. 5,000 keeps a build of thousands of
/// initiatives within seconds; the percentiles move by well under 1% of their spread
/// between 5,000 and 10,000 trials.
pub const TRIALS: usize = 5_000;
/// Histogram bins.
pub const BINS: usize = 30;

/// The simulation as the page runs it: seed 0, [`BINS`] bins, `trials` trials and the
/// horizon (none = the whole, possibly delayed, plan).
pub fn config(trials: usize, horizon: Option<Period>) -> SimulationConfig {
    SimulationConfig {
        trials,
        seed: 0,
        bins: BINS,
        horizon,
    }
}

/// The histogram figure of a simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct HistogramFigure {
    pub title: String,
    /// What the chart shows, with the trial count, percentiles and chance of a loss.
    pub desc: String,
    pub data: vc::HistogramData,
    /// The data table's header and rows (NPV from, to, outcomes).
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl HistogramFigure {
    /// The chart's SVG under `id`.
    pub fn svg(&self, id: &str) -> Result<String, vc::ChartError> {
        vc::histogram_chart(
            id,
            &vc::ChartSpec::new(&self.title, self.desc.clone()),
            &self.data,
        )
    }
}

/// The histogram of `sim`, the simulated NPV of the initiative titled `title`, in
/// `currency`.
pub fn histogram(sim: &Simulation, title: &str, currency: &str) -> HistogramFigure {
    let desc = format!(
        "Distribution of NPV over {} simulated outcomes of cost, benefit and delay. {}. Chance that NPV is negative: {}.",
        vmo_charts::numbers::number(sim.trials as f64, 0),
        sim.percentiles
            .iter()
            .map(|q| format!("{} = {}", q.label, money(q.value, currency)))
            .collect::<Vec<_>>()
            .join("; "),
        percent(sim.prob_negative_npv, 1)
    );
    let data = vc::HistogramData {
        bins: sim
            .histogram
            .iter()
            .map(|b| vc::HistogramBin {
                start: b.start,
                end: b.end,
                count: b.count as u64,
            })
            .collect(),
        markers: sim
            .percentiles
            .iter()
            .map(|q| vc::HistogramMarker {
                value: q.value,
                label: format!("P{}", q.p),
            })
            .collect(),
        x_title: format!("NPV ({currency})"),
        y_title: "Outcomes".into(),
        format: vc::ValueFormat::Compact {
            prefix: currency_symbol(currency).unwrap_or("").to_string(),
            suffix: String::new(),
        },
        split_at: Some(0.0),
        below_label: "NPV < 0".into(),
        above_label: "NPV ≥ 0".into(),
    };
    HistogramFigure {
        title: format!("Simulated NPV: {title}"),
        desc,
        data,
        head: vec!["NPV from".into(), "to".into(), "Outcomes".into()],
        rows: sim
            .histogram
            .iter()
            .map(|b| {
                vec![
                    money(b.start, currency),
                    money(b.end, currency),
                    b.count.to_string(),
                ]
            })
            .collect(),
    }
}
