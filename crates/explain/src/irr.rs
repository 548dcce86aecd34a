//! The internal rate of return in words.

use vmo_charts::numbers::percent;
use vmo_core::analysis::Computed;
use vmo_core::finance::IrrOutcome;

/// How an IRR reads.
#[derive(Clone, Debug, PartialEq)]
pub struct IrrText {
    /// Every root (annual), ascending.
    pub roots: Vec<f64>,
    /// The rate to compare with other cases' IRRs (sort, rank): the single root of an
    /// investment (money goes out first). `None` for several roots, none, and for a
    /// borrowing rate (money comes in first), which reads the other way round.
    pub comparable: Option<f64>,
    /// For a table cell: `12.3%`, `−14.4% (borrowing)`, `2 roots`, `none`, `n/a`.
    pub short: String,
    /// The figure alone, for where `note` stands beside it (a tile): `−14.4%`.
    pub figure: String,
    /// The sentence under the figure.
    pub long: String,
    /// A few words beside the figure.
    pub note: String,
}

/// How the IRR `irr` of a case reads; `inflow_first` when its money comes in before it
/// goes out ([`vmo_core::finance::inflow_first`]).
pub fn irr(irr: &Computed<IrrOutcome>, inflow_first: bool) -> IrrText {
    let none = |short: &str, long: String, note: String| IrrText {
        roots: Vec::new(),
        comparable: None,
        short: short.into(),
        figure: short.into(),
        long,
        note,
    };
    match irr {
        Computed::Ok {
            value: IrrOutcome::Roots(r),
        } if r.len() == 1 && inflow_first => IrrText {
            roots: r.clone(),
            comparable: None,
            short: format!("{} (borrowing)", percent(r[0], 1)),
            figure: percent(r[0], 1),
            long: format!(
                "{} a year. Money comes in here before it goes out, so this rate is what the plan's money costs, not what it earns: for such a case a lower rate is better. Judge it by its NPV or MIRR.",
                percent(r[0], 2)
            ),
            note: "a borrowing rate: lower is better".into(),
        },
        Computed::Ok {
            value: IrrOutcome::Roots(r),
        } if r.len() == 1 => IrrText {
            roots: r.clone(),
            comparable: Some(r[0]),
            short: percent(r[0], 1),
            figure: percent(r[0], 1),
            long: format!("{} a year", percent(r[0], 2)),
            note: "internal rate of return".into(),
        },
        Computed::Ok {
            value: IrrOutcome::Roots(r),
        } => {
            let list: Vec<String> = r.iter().map(|x| percent(*x, 1)).collect();
            IrrText {
                roots: r.clone(),
                comparable: None,
                short: format!("{} roots", r.len()),
                figure: format!("{} roots", r.len()),
                long: format!(
                    "{} rates make NPV zero: {}. The cash flows change sign more than once, so no single IRR describes this case; use NPV.",
                    r.len(),
                    list.join(", ")
                ),
                note: list.join(" and "),
            }
        }
        Computed::Ok {
            value: IrrOutcome::NoSignChange,
        } => none(
            "none",
            "No IRR: the net cash flows never change sign, so no discount rate makes the NPV zero."
                .into(),
            "flows never change sign".into(),
        ),
        Computed::Ok {
            value: IrrOutcome::NoRootInRange,
        } => none(
            "none",
            "No IRR: the net cash flows change sign, but no rate above −100% makes the NPV zero."
                .into(),
            "no root above −100%".into(),
        ),
        Computed::Unavailable { reason } => {
            none("n/a", format!("Not computed: {reason}."), reason.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(r: &[f64]) -> Computed<IrrOutcome> {
        Computed::Ok {
            value: IrrOutcome::Roots(r.to_vec()),
        }
    }

    #[test]
    fn an_investment_rate_is_comparable_a_borrowing_rate_is_not() {
        let t = irr(&roots(&[0.123]), false);
        assert_eq!((t.comparable, t.short.as_str()), (Some(0.123), "12.3%"));
        let t = irr(&roots(&[-0.144]), true);
        assert_eq!(t.comparable, None);
        assert_eq!(t.short, "−14.4% (borrowing)");
        assert_eq!(t.figure, "−14.4%");
        assert!(t.long.contains("lower rate is better"), "{}", t.long);
        let t = irr(&roots(&[0.0, 0.5]), false);
        assert_eq!((t.comparable, t.short.as_str()), (None, "2 roots"));
    }
}
