//! The efficient frontier as a figure: the budget levels it is computed at, the bars and
//! their labels, its description and its data table.

use vmo_charts as vc;
use vmo_charts::numbers::{currency_symbol, money, money_short, number, percent};
use vmo_core::selection::FrontierPoint;

/// Budget levels above the lowest: 40%, 50%, … 160% of the reference budget.
pub const LEVELS: usize = 12;

/// The total budgets the frontier is computed at: 40% to 160% of `reference` (the
/// envelope over its periods, or the amount typed in), in steps of 10%.
pub fn levels(reference: f64) -> Vec<f64> {
    (0..=LEVELS)
        .map(|n| reference * (0.4 + 0.1 * n as f64))
        .collect()
}

/// What the frontier maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Npv,
    /// A prioritisation model's score (points, no currency).
    Score,
}

impl Measure {
    /// A value of this measure as a table writes it.
    pub fn text(self, x: f64, currency: &str) -> String {
        match self {
            Measure::Npv => money(x, currency),
            Measure::Score => format!("{} points", number(x, 2)),
        }
    }
}

/// The frontier figure.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierFigure {
    pub title: String,
    pub desc: String,
    pub data: vc::BarData,
    /// The data table: every level, a level below the cost of funded work included.
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl FrontierFigure {
    /// The chart's SVG under `id`.
    pub fn svg(&self, id: &str) -> Result<String, vc::ChartError> {
        vc::bar_chart(
            id,
            &vc::ChartSpec::new(&self.title, self.desc.clone()),
            &self.data,
        )
    }
}

/// The frontier `points` (at [`levels`] of `reference`), maximising `measure`.
pub fn frontier(
    points: &[FrontierPoint],
    reference: f64,
    currency: &str,
    measure: Measure,
) -> FrontierFigure {
    let label = |b: f64| {
        format!(
            "{} ({})",
            money_short(b, currency),
            percent(if reference > 0.0 { b / reference } else { 0.0 }, 0)
        )
    };
    let what = match measure {
        Measure::Npv => "NPV",
        Measure::Score => "score",
    };
    let desc = format!(
        "The best total {what} that proposed initiatives can add, alongside funded work, at each total budget from 40% to 160% of the {} envelope.",
        money_short(reference, currency)
    );
    let data = vc::BarData {
        bars: points
            .iter()
            .filter(|pt| pt.feasible)
            .map(|pt| vc::Bar {
                label: label(pt.budget),
                value: pt.value,
                group: None,
            })
            .collect(),
        groups: Vec::new(),
        unit: match measure {
            Measure::Npv => currency.to_string(),
            Measure::Score => String::new(),
        },
        format: match measure {
            Measure::Npv => vc::ValueFormat::Compact {
                prefix: currency_symbol(currency).unwrap_or("").into(),
                suffix: String::new(),
            },
            Measure::Score => vc::ValueFormat::default(),
        },
    };
    let rows = points
        .iter()
        .map(|pt| {
            if pt.feasible {
                vec![
                    label(pt.budget),
                    measure.text(pt.value, currency),
                    pt.chosen.len().to_string(),
                    if pt.exact { "yes" } else { "approximate" }.into(),
                ]
            } else {
                vec![
                    label(pt.budget),
                    "below the cost of funded work".into(),
                    "—".into(),
                    "—".into(),
                ]
            }
        })
        .collect();
    FrontierFigure {
        title: "Efficient frontier".into(),
        desc,
        data,
        head: vec![
            "Total budget".into(),
            format!("Best {what}"),
            "Initiatives".into(),
            "Exact".into(),
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(budget: f64, feasible: bool, value: f64) -> FrontierPoint {
        FrontierPoint {
            budget,
            feasible,
            value,
            cost: 0.0,
            chosen: if feasible { vec![0, 2] } else { Vec::new() },
            exact: true,
            nodes: 1,
        }
    }

    #[test]
    fn levels_run_from_40_to_160_percent() {
        let l = levels(10_000_000.0);
        assert_eq!(l.len(), LEVELS + 1);
        assert!((l[0] - 4_000_000.0).abs() < 1e-6);
        assert!((l[LEVELS] - 16_000_000.0).abs() < 1e-6);
    }

    #[test]
    fn an_infeasible_level_is_a_row_but_not_a_bar() {
        let pts = [point(4e6, false, 0.0), point(5e6, true, 1_234_567.0)];
        let f = frontier(&pts, 10e6, "EUR", Measure::Npv);
        assert_eq!(f.data.bars.len(), 1);
        assert_eq!(f.data.bars[0].label, "€5M (50%)");
        assert_eq!(f.rows[0][1], "below the cost of funded work");
        assert_eq!(f.rows[1], ["€5M (50%)", "€1,234,567", "2", "yes"]);
        assert_eq!(f.head[1], "Best NPV");
        let s = frontier(&pts, 10e6, "EUR", Measure::Score);
        assert_eq!(s.rows[1][1], "1,234,567 points");
        assert!(s.desc.contains("best total score"));
        assert!(s.data.unit.is_empty());
    }
}
