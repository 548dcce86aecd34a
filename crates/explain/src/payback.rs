//! The payback in words: the final recovery, and the first when it is earlier.

use vmo_charts::numbers::number;
use vmo_core::Cadence;
use vmo_core::analysis::Computed;
use vmo_core::finance::Payback;

/// How a payback reads.
#[derive(Clone, Debug, PartialEq)]
pub struct PaybackText {
    /// The final recovery in periods, to compare and sort (`None` when never).
    pub periods: Option<f64>,
    pub text: String,
}

/// A time in periods and years, as the cadence writes it.
fn when(periods: f64, years: f64, cadence: Cadence) -> String {
    match cadence {
        Cadence::Year => format!("{} years", number(years, 1)),
        Cadence::Quarter => format!(
            "{} quarters ({} years)",
            number(periods, 1),
            number(years, 1)
        ),
    }
}

/// How a payback reads: `last` (periods, years) is the final recovery
/// ([`vmo_core::finance::payback`]), `first` the first one
/// ([`vmo_core::finance::first_payback`]); both counted from the start of the first
/// plan period.
pub fn payback(
    last: (&Computed<Payback>, &Computed<Payback>),
    first: (&Computed<Payback>, &Computed<Payback>),
    cadence: Cadence,
) -> PaybackText {
    let value = |c: &Computed<Payback>| match c {
        Computed::Ok {
            value: Payback::After(x),
        } => Ok(Some(*x)),
        Computed::Ok {
            value: Payback::Never,
        } => Ok(None),
        Computed::Unavailable { reason } => Err(reason.clone()),
    };
    let (lp, ly, fp, fy) = match (value(last.0), value(last.1), value(first.0), value(first.1)) {
        (Ok(lp), Ok(ly), Ok(fp), Ok(fy)) => (lp, ly, fp, fy),
        (Err(reason), ..) | (_, Err(reason), ..) | (.., Err(reason), _) | (.., Err(reason)) => {
            return PaybackText {
                periods: None,
                text: format!("n/a ({reason})"),
            };
        }
    };
    let text = match (lp.zip(ly), fp.zip(fy)) {
        (Some((p, _)), _) if p <= 0.0 => "immediate (never below zero)".to_string(),
        (Some((p, y)), Some((p1, y1))) if p1 < p - 1e-9 => format!(
            "{} (first reached after {}, then below zero again)",
            when(p, y, cadence),
            when(p1, y1, cadence)
        ),
        (Some((p, y)), _) => when(p, y, cadence),
        (None, Some((p1, y1))) => format!(
            "not recovered: reached after {}, but the cumulative ends below zero",
            when(p1, y1, cadence)
        ),
        (None, None) => "never within the plan".to_string(),
    };
    PaybackText { periods: lp, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(x: f64) -> Computed<Payback> {
        Computed::Ok {
            value: Payback::After(x),
        }
    }
    const NEVER: Computed<Payback> = Computed::Ok {
        value: Payback::Never,
    };

    #[test]
    fn first_and_final_recovery_read_apart() {
        let t = payback(
            (&after(4.0), &after(4.0)),
            (&after(1.3), &after(1.3)),
            Cadence::Year,
        );
        assert_eq!(
            t.text,
            "4 years (first reached after 1.3 years, then below zero again)"
        );
        assert_eq!(t.periods, Some(4.0));
        let t = payback(
            (&after(2.5), &after(2.5)),
            (&after(2.5), &after(2.5)),
            Cadence::Year,
        );
        assert_eq!(t.text, "2.5 years");
        let t = payback((&NEVER, &NEVER), (&after(2.0), &after(2.0)), Cadence::Year);
        assert_eq!(
            t.text,
            "not recovered: reached after 2 years, but the cumulative ends below zero"
        );
        assert_eq!(t.periods, None);
        let t = payback((&NEVER, &NEVER), (&NEVER, &NEVER), Cadence::Year);
        assert_eq!(t.text, "never within the plan");
        let t = payback(
            (&after(0.0), &after(0.0)),
            (&after(0.0), &after(0.0)),
            Cadence::Year,
        );
        assert_eq!(t.text, "immediate (never below zero)");
        let t = payback(
            (&after(6.0), &after(1.5)),
            (&after(6.0), &after(1.5)),
            Cadence::Quarter,
        );
        assert_eq!(t.text, "6 quarters (1.5 years)");
    }
}
