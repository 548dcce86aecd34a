//! Dependencies at risk: which of the portfolio's dependencies may let their dependent
//! down, and why.
//!
//! A dependency is at risk when its dependent still needs it (the dependent is not
//! closed) and it
//!
//! - is red ([`Reason::Red`]);
//! - was stopped: closed before its planned end ([`Reason::Stopped`]), or is a product
//!   that has been retired ([`Reason::Retired`]); a project that closed after its
//!   planned end delivered, and raises nothing;
//! - is not yet approved (its stage is a proposed one) while its dependent is committed
//!   or live ([`Reason::NotApproved`]);
//! - is not yet delivering (proposed or committed) and starts delivering only after its
//!   dependent needs it ([`Reason::Late`]). An initiative delivers from its first period
//!   with planned benefits (or, when it plans none, such as an enabling platform, from
//!   the period of its end date); a dependent needs its dependencies from the period it
//!   starts delivering itself. A dependent that already delivers (from the period of
//!   `as_of` or earlier) shows no date by which it needs more, so for it only the other
//!   reasons count.
//!
//! A live dependency (an operating stage) that is not red is delivering, and raises
//! nothing however long it runs.

use crate::calendar::{Calendar, Period};
use crate::model::{Health, Initiative, Kind, Portfolio, StageClass};
use serde::Serialize;

/// Why a dependency is at risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// The dependency's health is red.
    Red,
    /// Closed before its planned end (`planned_end`, a period).
    Stopped { planned_end: Period },
    /// A product that has been retired (its stage is a closed one).
    Retired,
    /// Still at a proposed stage while the dependent is committed or live.
    NotApproved,
    /// Delivers from `delivers`, after the dependent needs it from `needed_from`.
    Late {
        delivers: Period,
        needed_from: Period,
    },
}

/// One dependency at risk: `dependent` (index into the portfolio's initiatives) depends
/// on `dependency`, for `reasons` (at least one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AtRisk {
    pub dependent: usize,
    pub dependency: usize,
    pub reasons: Vec<Reason>,
}

/// The period an initiative delivers from: its first period with planned benefits, or
/// the period of its end date when it plans none.
pub fn delivers_from(i: &Initiative, calendar: &Calendar) -> Period {
    i.plan
        .periods()
        .zip(&i.plan.benefit)
        .find(|(_, b)| **b > 0.0)
        .map_or_else(|| calendar.period_of(i.end), |(p, _)| p)
}

/// Every dependency at risk, by dependent then dependency (portfolio order).
pub fn at_risk(p: &Portfolio) -> Vec<AtRisk> {
    let class = |i: &Initiative| p.stage(&i.stage).map(|s| s.class);
    let index: std::collections::BTreeMap<&str, usize> = p
        .initiatives
        .iter()
        .enumerate()
        .map(|(k, i)| (i.id.as_str(), k))
        .collect();
    let cal = &p.settings.calendar;
    let as_of = p.settings.as_of;
    let mut out = Vec::new();
    for (k, dependent) in p.initiatives.iter().enumerate() {
        let dependent_class = class(dependent);
        if dependent_class == Some(StageClass::Closed) {
            continue;
        }
        for d in &dependent.depends_on {
            let Some(&j) = index.get(d.as_str()) else {
                continue;
            };
            let dep = &p.initiatives[j];
            let mut reasons = Vec::new();
            if dep.health == Health::Red {
                reasons.push(Reason::Red);
            }
            match class(dep) {
                Some(StageClass::Closed) if dep.end > as_of => reasons.push(Reason::Stopped {
                    planned_end: cal.period_of(dep.end),
                }),
                Some(StageClass::Closed) if dep.kind == Kind::Product => {
                    reasons.push(Reason::Retired);
                }
                Some(c @ (StageClass::Proposed | StageClass::Committed)) => {
                    if c == StageClass::Proposed
                        && matches!(
                            dependent_class,
                            Some(StageClass::Committed | StageClass::Operating)
                        )
                    {
                        reasons.push(Reason::NotApproved);
                    }
                    let delivers = delivers_from(dep, cal);
                    let needed_from = delivers_from(dependent, cal);
                    if needed_from > cal.period_of(as_of) && delivers > needed_from {
                        reasons.push(Reason::Late {
                            delivers,
                            needed_from,
                        });
                    }
                }
                _ => {}
            }
            if !reasons.is_empty() {
                out.push(AtRisk {
                    dependent: k,
                    dependency: j,
                    reasons,
                });
            }
        }
    }
    out
}
