//! The initiative page's uncertainty and delivery views: a Monte Carlo distribution of
//! NPV over the initiative's low / likely / high ranges, and the earned-value figures.

use super::charts::{ChartView, DataTable, figure};
use super::format;
use super::views::SiteView;
use minijinja::{Value, context};
use vmo_core::Distribution;
use vmo_core::delivery::Indicator;

fn range_text(r: &vmo_core::Range3, pct: bool) -> String {
    let f = |x: f64| {
        if pct {
            format::percent(x, 0)
        } else {
            format::number(x, 1)
        }
    };
    format!("{} / {} / {}", f(r.low), f(r.likely), f(r.high))
}

pub fn simulation_view(v: &SiteView<'_>, k: usize) -> Value {
    let p = &v.content.portfolio;
    let i = &p.initiatives[k];
    let cur = &p.settings.currency;
    let u = &i.uncertainty;
    let ranges = context! {
        cost => range_text(&u.cost, true),
        benefit => range_text(&u.benefit, true),
        delay => range_text(&u.delay, false),
        distribution => match u.distribution { Distribution::Pert => "Beta-PERT", Distribution::Triangular => "triangular" },
    };
    let sim = match &v.analysis.initiatives[k].simulation {
        Ok(s) => s,
        Err(e) => return context! { error => e.to_string(), ranges => ranges },
    };
    let fig = vmo_explain::montecarlo::histogram(sim, &i.title, cur);
    let svg = fig.svg(&format!("mc-{}", i.id));
    let table = DataTable {
        head: fig.head,
        rows: fig.rows,
    };
    let chart: ChartView = figure(&fig.title, svg, &table).explained("monte-carlo");
    context! {
        trials => sim.trials,
        ranges => ranges,
        planned_npv => sim.planned_npv,
        mean => sim.mean,
        std_dev => sim.std_dev,
        percentiles => sim.percentiles.iter().map(|q| context! { p => q.p, value => q.value, label => q.label }).collect::<Vec<_>>(),
        prob_negative => sim.prob_negative_npv,
        chart => chart,
    }
}

fn indicator(x: &Indicator, digits: usize) -> String {
    match x {
        Indicator::Ok { value } => format::number(*value, digits),
        Indicator::Unavailable { reason } => format!("n/a ({reason})"),
    }
}

pub fn earned_value_view(v: &SiteView<'_>, k: usize) -> Value {
    let p = &v.content.portfolio;
    let Some(ev) = &v.analysis.initiatives[k].earned_value else {
        return Value::UNDEFINED;
    };
    context! {
        bac => ev.budget_at_completion,
        pv => ev.planned_value,
        ev => ev.earned_value.value(),
        ac => ev.actual_cost,
        done => ev.milestones_done,
        total => ev.milestones_total,
        cpi => indicator(&ev.cpi, 2),
        spi => indicator(&ev.spi, 2),
        spi_t => indicator(&ev.spi_t, 2),
        spi_t_note => match (ev.earned_schedule.value(), ev.actual_time) {
            (Some(es), at) if at > 0.0 => format!(
                "the value earned was planned {} {}s in; {} have passed",
                format::number(es, 1),
                match p.settings.calendar.cadence {
                    vmo_core::Cadence::Year => "year",
                    vmo_core::Cadence::Quarter => "quarter",
                },
                format::number(at, 1)
            ),
            _ => "earned schedule ÷ time elapsed".to_string(),
        },
        eac => indicator(&ev.estimate_at_completion, 0),
        eac_money => ev.estimate_at_completion.value(),
        tcpi => indicator(&ev.tcpi, 2),
    }
}
