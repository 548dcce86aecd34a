//! Dependencies at risk: each rule on a small portfolio, and the false alarms it must
//! not raise (a live platform that runs on after its dependent, a closed dependent).

mod common;

use common::{date, initiative};
use vmo_core::dependencies::{Reason, at_risk};
use vmo_core::model::*;
use vmo_core::*;

/// A portfolio (as_of 2026-06-30, yearly periods) with a closed stage, and `items`.
fn portfolio(items: Vec<Initiative>) -> Portfolio {
    let mut p = common::portfolio();
    p.stages.push(Stage {
        id: "retired".to_owned(),
        name: "Retired".to_owned(),
        description: String::new(),
        class: StageClass::Closed,
    });
    p.initiatives = items;
    p.initiatives.sort_by(|a, b| a.id.cmp(&b.id));
    p
}

/// An initiative at `stage`, benefits from `benefit_from` (a year) to 2030.
fn item(id: &str, stage: &str, benefit_from: i32, end: &str) -> Initiative {
    let mut i = initiative(id);
    i.stage = stage.to_owned();
    i.end = date(end);
    i.plan = CashPlan {
        start: Period(2024),
        cost: vec![100.0; 7],
        benefit: (2024..2031)
            .map(|y| if y >= benefit_from { 50.0 } else { 0.0 })
            .collect(),
    };
    i
}

fn reasons(p: &Portfolio, dependent: &str, dependency: &str) -> Vec<Reason> {
    at_risk(p)
        .into_iter()
        .find(|r| {
            p.initiatives[r.dependent].id == dependent
                && p.initiatives[r.dependency].id == dependency
        })
        .map(|r| r.reasons)
        .unwrap_or_default()
}

#[test]
fn a_live_platform_is_no_risk_however_long_it_runs() {
    let platform = item("platform", "live", 2024, "2029-12-31");
    let mut app = item("app", "delivery", 2027, "2026-12-31");
    app.depends_on = vec!["platform".into()];
    let p = portfolio(vec![platform, app]);
    assert!(at_risk(&p).is_empty(), "{:?}", at_risk(&p));
}

#[test]
fn closed_dependents_raise_nothing() {
    let mut lib = item("lib", "delivery", 2029, "2029-12-31");
    lib.health = Health::Red;
    let mut old = item("old", "retired", 2024, "2025-12-31");
    old.depends_on = vec!["lib".into()];
    let p = portfolio(vec![lib, old]);
    assert!(at_risk(&p).is_empty());
}

#[test]
fn red_stopped_retired_unapproved_and_late_dependencies_are_flagged_with_their_reason() {
    let mut red = item("red", "live", 2024, "2030-12-31");
    red.health = Health::Red;
    let stopped = item("stopped", "retired", 2024, "2028-12-31");
    let mut retired = item("retired-product", "retired", 2024, "2025-12-31");
    retired.kind = Kind::Product;
    let completed = item("completed-project", "retired", 2024, "2025-12-31");
    let idea = item("idea", "discovery", 2026, "2026-12-31");
    let late = item("late", "delivery", 2029, "2029-06-30");
    let on_time = item("on-time", "delivery", 2027, "2027-06-30");
    let mut app = item("app", "delivery", 2028, "2030-12-31");
    app.depends_on = [
        "red",
        "stopped",
        "retired-product",
        "completed-project",
        "idea",
        "late",
        "on-time",
    ]
    .map(String::from)
    .to_vec();
    let p = portfolio(vec![
        red, stopped, retired, completed, idea, late, on_time, app,
    ]);
    assert_eq!(reasons(&p, "app", "red"), [Reason::Red]);
    assert_eq!(
        reasons(&p, "app", "stopped"),
        [Reason::Stopped {
            planned_end: Period(2028)
        }]
    );
    assert_eq!(reasons(&p, "app", "retired-product"), [Reason::Retired]);
    assert_eq!(reasons(&p, "app", "completed-project"), []);
    assert_eq!(reasons(&p, "app", "idea"), [Reason::NotApproved]);
    assert_eq!(
        reasons(&p, "app", "late"),
        [Reason::Late {
            delivers: Period(2029),
            needed_from: Period(2028)
        }]
    );
    assert_eq!(reasons(&p, "app", "on-time"), []);
    assert_eq!(at_risk(&p).len(), 5);
}

#[test]
fn a_dependent_already_delivering_is_not_late_and_an_enabler_delivers_at_its_end() {
    // An enabler with no benefits of its own delivers in the period of its end date.
    let mut enabler = item("enabler", "delivery", 9999, "2028-03-31");
    enabler.plan.benefit = vec![0.0; 7];
    let mut waiting = item("waiting", "delivery", 2027, "2030-12-31");
    waiting.depends_on = vec!["enabler".into()];
    // Already delivering (benefits from 2025, before as_of): no date to be late for.
    let mut running = item("running", "live", 2025, "2030-12-31");
    running.depends_on = vec!["enabler".into()];
    let p = portfolio(vec![enabler, waiting, running]);
    assert_eq!(
        reasons(&p, "waiting", "enabler"),
        [Reason::Late {
            delivers: Period(2028),
            needed_from: Period(2027)
        }]
    );
    assert_eq!(reasons(&p, "running", "enabler"), []);
}
