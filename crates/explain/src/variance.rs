//! Variance against plan in words: the rule of [`vmo_core::variance`], each rating's
//! reason and each stale figure.

use vmo_charts::numbers::{number, percent};
use vmo_core::Calendar;
use vmo_core::variance::{PlanVariance, Stale, Tolerances};

/// The rule, as a sentence pages print beside the ratings.
pub fn rule(t: &Tolerances) -> String {
    format!(
        "Red: spending more than {} above plan to date, benefits below {} of plan to date, or a milestone more than {} days overdue. Amber: more than {} above plan, benefits below {}, or any milestone overdue. Green otherwise; underspending is shown, not rated. The plan to date counts the current period pro rata by days.",
        percent(t.cost_red, 0),
        percent(t.benefit_red, 0),
        t.late_red_days,
        percent(t.cost_amber, 0),
        percent(t.benefit_amber, 0),
    )
}

/// Cost to date against plan: `12% over plan`, `3% under plan`, `on plan`.
pub fn cost(v: &PlanVariance) -> String {
    match v.cost_over {
        Some(x) if x.abs() < 0.005 => "on plan".into(),
        Some(x) if x > 0.0 => format!("{} over plan", percent(x, 0)),
        Some(x) => format!("{} under plan", percent(-x, 0)),
        None if v.cost == vmo_core::variance::Rag::Red => "spending, none planned yet".into(),
        None => "none planned yet".into(),
    }
}

/// Benefits realised to date: `72% of plan`, or `none planned yet`.
pub fn benefits(v: &PlanVariance) -> String {
    match v.benefits_realised {
        Some(r) => format!("{} of plan", percent(r, 0)),
        None => "none planned yet".into(),
    }
}

/// The dates: `Go-live 45 days overdue`, or `on time`.
pub fn dates(v: &PlanVariance) -> String {
    match &v.most_overdue {
        Some((name, days)) => format!(
            "{name} {} day{} overdue",
            number(*days as f64, 0),
            if *days == 1 { "" } else { "s" }
        ),
        None => "on time".into(),
    }
}

/// A stale figure: `no actuals for FY2026 Q3 (latest FY2026 Q1)`, `KPI “NPS” last
/// measured 2026-03-01, 190 days before the as-of date`.
pub fn stale(s: &Stale, cal: &Calendar) -> String {
    match s {
        Stale::Actuals { expected, last } => match last {
            Some(l) => format!(
                "no actuals for {} (latest {})",
                cal.label(*expected),
                cal.label(*l)
            ),
            None => format!("no actuals reported (due by {})", cal.label(*expected)),
        },
        Stale::Kpi { name, last, days } => format!(
            "KPI “{name}” last measured {last}, {} days before the as-of date",
            number(*days as f64, 0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmo_core::variance::{Rag, TOLERANCES};

    fn variance(cost_over: Option<f64>, cost: Rag) -> PlanVariance {
        PlanVariance {
            cost_over,
            cost,
            benefits_realised: Some(0.724),
            benefits: Rag::Red,
            most_overdue: Some(("Go-live".into(), 45)),
            dates: Rag::Red,
            overall: Rag::Red,
            stale: Vec::new(),
        }
    }

    #[test]
    fn reads_each_rating() {
        assert_eq!(cost(&variance(Some(0.123), Rag::Red)), "12% over plan");
        assert_eq!(cost(&variance(Some(-0.031), Rag::Green)), "3% under plan");
        assert_eq!(cost(&variance(Some(0.001), Rag::Green)), "on plan");
        assert_eq!(
            cost(&variance(None, Rag::Red)),
            "spending, none planned yet"
        );
        assert_eq!(benefits(&variance(None, Rag::Red)), "72% of plan");
        assert_eq!(dates(&variance(None, Rag::Red)), "Go-live 45 days overdue");
        let r = rule(&TOLERANCES);
        assert!(
            r.starts_with("Red: spending more than 10% above plan to date, benefits below 80%")
        );
        assert!(r.contains(
            "more than 30 days overdue. Amber: more than 5% above plan, benefits below 95%"
        ));
    }
}
