//! Flow Framework metrics on a small hand-made value stream, every number worked out by
//! hand in the comments.

mod common;

use common::date;
use proptest::prelude::*;
use vmo_core::flow::*;
use vmo_core::{Cadence, Calendar, Date, Period};

use FlowKind::{Debt, Defect, Feature, Risk};
use FlowState::{Active, Done, Waiting};

fn item(id: &str, kind: FlowKind, steps: &[(&str, FlowState)]) -> WorkItem {
    WorkItem {
        id: id.to_owned(),
        kind,
        transitions: steps.iter().map(|(d, s)| (date(d), *s)).collect(),
    }
}

fn window(label: &str, from: &str, to: &str) -> FlowWindow {
    FlowWindow {
        label: label.to_owned(),
        from: date(from),
        to: date(to),
    }
}

/// The dataset. Days in [brackets] are the item's days active (A) / waiting (W) /
/// in progress within 2025-Q1.
fn items() -> Vec<WorkItem> {
    vec![
        // A: active 6-10 Jan (4 d), waiting 10-20 (10 d), active 20-25 (5 d), done 25 Jan.
        // Flow time 19 d, active 9 d. In progress Q1: 19 d (all in January).
        item(
            "A",
            Feature,
            &[
                ("2025-01-06", Active),
                ("2025-01-10", Waiting),
                ("2025-01-20", Active),
                ("2025-01-25", Done),
            ],
        ),
        // B: waiting 15 Jan - 1 Feb (17 d), active 1-11 Feb (10 d), done 11 Feb.
        // Flow time 27 d, active 10 d. In progress: 17 d in Jan, 10 d in Feb.
        item(
            "B",
            Defect,
            &[
                ("2025-01-15", Waiting),
                ("2025-02-01", Active),
                ("2025-02-11", Done),
            ],
        ),
        // C: active 1-15 Feb (14 d), done 15 Feb, reopened 1 Mar, active to 11 Mar (10 d),
        // done 11 Mar. Completed 11 Mar (the last done): flow time 28 + 10 = 38 d, active
        // 24 d (the 14 done days in between are not active). In progress: 14 d Feb,
        // 10 d Mar.
        item(
            "C",
            Feature,
            &[
                ("2025-02-01", Active),
                ("2025-02-15", Done),
                ("2025-03-01", Active),
                ("2025-03-11", Done),
            ],
        ),
        // D: active from 20 Mar, not done. In progress: 20..31 Mar = 12 d.
        item("D", Debt, &[("2025-03-20", Active)]),
        // E: waiting from 25 Mar. In progress: 25..31 Mar = 7 d.
        item("E", Risk, &[("2025-03-25", Waiting)]),
        // F: created 20 Dec 2024, done 2 Jan: flow time 13 d, all active. In progress in
        // Q1: 1 Jan only (1 d).
        item(
            "F",
            Feature,
            &[("2024-12-20", Active), ("2025-01-02", Done)],
        ),
        // G: active 30 Mar, done 2 Apr (after Q1). In progress: 30, 31 Mar (2 d).
        item(
            "G",
            Feature,
            &[("2025-03-30", Active), ("2025-04-02", Done)],
        ),
        // H: active 10-20 Feb (10 d), done 20 Feb, reopened 5 Apr and still open: never
        // completed, so it counts in no velocity. In progress: 10 d in Feb.
        item(
            "H",
            Defect,
            &[
                ("2025-02-10", Active),
                ("2025-02-20", Done),
                ("2025-04-05", Active),
            ],
        ),
    ]
}

fn counts(shares: &[KindShare]) -> Vec<(FlowKind, usize)> {
    shares.iter().map(|s| (s.kind, s.count)).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12
}

#[test]
fn quarter_by_hand() {
    let m = flow_metrics(&items(), &window("2025-Q1", "2025-01-01", "2025-03-31")).unwrap();
    assert_eq!(m.days, 90);
    // Completed in Q1: A (25 Jan), B (11 Feb), C (11 Mar), F (2 Jan).
    assert_eq!(m.velocity, 4);
    // Flow times 13, 19, 27, 38: mean 97/4, median (19 + 27)/2, p85 rank ceil(3.4) = 4.
    let t = m.flow_time.unwrap();
    assert_eq!(t.count, 4);
    assert_eq!(t.mean, 24.25);
    assert_eq!(t.median, 23.0);
    assert_eq!(t.p85, 38.0);
    assert_eq!((t.min, t.max), (13.0, 38.0));
    // Efficiency: active 9 + 10 + 24 + 13 = 56 over flow 97.
    assert_eq!((m.active_days, m.flow_time_days), (56, 97));
    assert!(close(m.flow_efficiency.unwrap(), 56.0 / 97.0));
    // Load at 31 Mar: D active, G active, E waiting.
    assert_eq!((m.load.at_end, m.load.active, m.load.waiting), (3, 2, 1));
    // WIP days 19 + 27 + 24 + 12 + 7 + 1 + 2 + 10 = 102 over 90 days.
    assert!(close(m.load.average_wip, 102.0 / 90.0));
    // Distribution of done: 3 features (A, C, F), 1 defect (B).
    assert_eq!(
        counts(&m.distribution_done),
        [(Feature, 3), (Defect, 1), (Debt, 0), (Risk, 0)]
    );
    let shares: Vec<Option<f64>> = m.distribution_done.iter().map(|s| s.share).collect();
    assert_eq!(shares, [Some(0.75), Some(0.25), Some(0.0), Some(0.0)]);
    // Distribution of load: G feature, D debt, E risk.
    assert_eq!(
        counts(&m.distribution_load),
        [(Feature, 1), (Defect, 0), (Debt, 1), (Risk, 1)]
    );
}

#[test]
fn monthly_series_by_hand() {
    let windows = month_windows(date("2025-01-01"), date("2025-03-31"));
    let labels: Vec<&str> = windows.iter().map(|w| w.label.as_str()).collect();
    assert_eq!(labels, ["2025-01", "2025-02", "2025-03"]);
    let s = flow_series(&items(), &windows).unwrap();
    let (jan, feb, mar) = (&s[0], &s[1], &s[2]);

    // January (31 d): A and F completed; flow 19, 13: mean 16, median 16, p85 rank
    // ceil(1.7) = 2 -> 19; efficiency (9 + 13)/(19 + 13) = 22/32. Load at 31 Jan: B
    // waiting. WIP days A 19 + B 17 + F 1 = 37.
    assert_eq!(jan.velocity, 2);
    let t = jan.flow_time.unwrap();
    assert_eq!((t.mean, t.median, t.p85), (16.0, 16.0, 19.0));
    assert_eq!(jan.flow_efficiency, Some(22.0 / 32.0));
    assert_eq!((jan.load.at_end, jan.load.waiting), (1, 1));
    assert!(close(jan.load.average_wip, 37.0 / 31.0));

    // February (28 d): only B completes (C's 15 Feb done was reopened; H never
    // completes). Flow 27, efficiency 10/27. Load at 28 Feb: none (C and H are done
    // then). WIP days B 10 + C 14 + H 10 = 34.
    assert_eq!(feb.velocity, 1);
    assert_eq!(feb.flow_time.unwrap().p85, 27.0);
    assert_eq!(feb.flow_efficiency, Some(10.0 / 27.0));
    assert_eq!(feb.load.at_end, 0);
    assert!(counts(&feb.distribution_load).iter().all(|c| c.1 == 0));
    assert!(feb.distribution_load.iter().all(|c| c.share.is_none()));
    assert!(close(feb.load.average_wip, 34.0 / 28.0));

    // March (31 d): C completes; flow 38, efficiency 24/38. Load D, E, G. WIP days
    // C 10 + D 12 + E 7 + G 2 = 31.
    assert_eq!(mar.velocity, 1);
    assert_eq!(mar.flow_efficiency, Some(24.0 / 38.0));
    assert_eq!(mar.load.at_end, 3);
    assert!(close(mar.load.average_wip, 1.0));

    // The months add up to the quarter.
    let velocity: usize = s.iter().map(|m| m.velocity).sum();
    let wip_days: f64 = s.iter().map(|m| m.load.average_wip * m.days as f64).sum();
    assert_eq!(velocity, 4);
    assert!((wip_days - 102.0).abs() < 1e-9);

    // April: G (2 Apr) completes; H is back in progress at the end.
    let apr = flow_metrics(&items(), &window("2025-04", "2025-04-01", "2025-04-30")).unwrap();
    assert_eq!(apr.velocity, 1);
    assert_eq!(apr.flow_time.unwrap().mean, 3.0);
    assert_eq!(counts(&apr.distribution_load)[1], (Defect, 1));
    assert_eq!(apr.load.at_end, 3);
}

#[test]
fn empty_window_of_items() {
    let m = flow_metrics(&items(), &window("2024", "2024-01-01", "2024-06-30")).unwrap();
    assert_eq!(m.velocity, 0);
    assert_eq!(m.flow_time, None);
    assert_eq!(m.flow_efficiency, None);
    assert_eq!(m.load.average_wip, 0.0);
    let m = flow_metrics(&[], &window("x", "2025-01-01", "2025-01-01")).unwrap();
    assert_eq!((m.days, m.velocity, m.load.at_end), (1, 0, 0));
}

#[test]
fn item_flows() {
    let it = items();
    let c = item_flow(&it[2]).unwrap();
    assert_eq!(c.created, date("2025-02-01"));
    assert_eq!(c.completed, Some(date("2025-03-11")));
    assert_eq!(
        (c.flow_time_days, c.active_days, c.waiting_days),
        (Some(38), 24, 0)
    );
    let b = item_flow(&it[1]).unwrap();
    assert_eq!((b.active_days, b.waiting_days), (10, 17));
    let h = item_flow(&it[7]).unwrap();
    assert_eq!((h.completed, h.flow_time_days), (None, None));
    // Repeated done records: completed when it first became done in the final run.
    let x = item(
        "X",
        Feature,
        &[
            ("2025-01-01", Active),
            ("2025-01-05", Done),
            ("2025-01-09", Done),
        ],
    );
    assert_eq!(item_flow(&x).unwrap().completed, Some(date("2025-01-05")));
    // Same-day transitions apply in order: created and done on one day.
    let y = item("Y", Defect, &[("2025-01-01", Active), ("2025-01-01", Done)]);
    let f = item_flow(&y).unwrap();
    assert_eq!((f.flow_time_days, f.active_days), (Some(0), 0));
    let m = flow_metrics(&[y], &window("d", "2025-01-01", "2025-01-01")).unwrap();
    assert_eq!((m.velocity, m.flow_efficiency, m.load.at_end), (1, None, 0));
}

#[test]
fn validation() {
    let bad = vec![
        item(
            "A",
            Feature,
            &[("2025-01-06", Active), ("2025-01-05", Done)],
        ),
        item("B", Feature, &[]),
        item("A", Defect, &[("2025-01-06", Active)]),
    ];
    assert_eq!(
        validate(&bad),
        [
            FlowError::UnorderedTransitions {
                item: "A".to_owned(),
                index: 1
            },
            FlowError::NoTransitions {
                item: "B".to_owned()
            },
            FlowError::DuplicateId {
                item: "A".to_owned()
            },
        ]
    );
    assert!(validate(&items()).is_empty());
    let w = window("x", "2025-01-01", "2025-01-31");
    assert_eq!(
        flow_metrics(&bad, &w),
        Err(FlowError::UnorderedTransitions {
            item: "A".to_owned(),
            index: 1
        })
    );
    assert_eq!(
        FlowError::UnorderedTransitions {
            item: "A".to_owned(),
            index: 1
        }
        .to_string(),
        "work item `A`: transition 2 is dated before the one before it; list transitions in date order"
    );
    let backwards = window("x", "2025-02-01", "2025-01-31");
    assert!(matches!(
        flow_metrics(&items(), &backwards),
        Err(FlowError::EmptyWindow { .. })
    ));
}

#[test]
fn calendar_quarter_windows() {
    let cal = Calendar {
        cadence: Cadence::Quarter,
        fiscal_year_start_month: 4,
    };
    let w = calendar_windows(
        &cal,
        cal.parse("2025-Q3").unwrap(),
        cal.parse("2025-Q4").unwrap(),
    );
    assert_eq!(
        w,
        [
            window("2025-Q3", "2025-10-01", "2025-12-31"),
            window("2025-Q4", "2026-01-01", "2026-03-31"),
        ]
    );
    assert!(calendar_windows(&cal, Period(10), Period(9)).is_empty());
    assert_eq!(
        month_windows(date("2025-12-15"), date("2026-01-02")).len(),
        2
    );
    assert!(month_windows(date("2025-02-01"), date("2025-01-31")).is_empty());
}

#[test]
fn serde_shape() {
    let json = r#"{"id":"A","kind":"defect","transitions":[["2025-01-06","active"],["2025-01-09","done"]]}"#;
    let it: WorkItem = serde_json::from_str(json).unwrap();
    assert_eq!(
        it,
        item("A", Defect, &[("2025-01-06", Active), ("2025-01-09", Done)])
    );
    assert_eq!(serde_json::to_string(&it).unwrap(), json);
}

fn arb_item(k: usize) -> impl Strategy<Value = WorkItem> {
    (
        0..4usize,
        0..400i64,
        prop::collection::vec((0..30i64, 0..3usize), 1..8),
    )
        .prop_map(move |(kind, start, steps)| {
            let base = date("2025-01-01").days_since_epoch() + start;
            let mut day = base;
            let transitions = steps
                .iter()
                .map(|&(gap, s)| {
                    day += gap;
                    (Date::from_days_since_epoch(day), [Active, Waiting, Done][s])
                })
                .collect();
            WorkItem {
                id: format!("i{k}"),
                kind: FlowKind::ALL[kind],
                transitions,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn months_add_up_to_the_year(items in prop::collection::vec(0..1usize, 0..25)
        .prop_flat_map(|v| (0..v.len()).map(arb_item).collect::<Vec<_>>())) {
        let year = flow_metrics(&items, &window("2025", "2025-01-01", "2025-12-31")).unwrap();
        let months = flow_series(&items, &month_windows(date("2025-01-01"), date("2025-12-31"))).unwrap();
        prop_assert_eq!(months.len(), 12);
        prop_assert_eq!(months.iter().map(|m| m.velocity).sum::<usize>(), year.velocity);
        let wip: f64 = months.iter().map(|m| m.load.average_wip * m.days as f64).sum();
        prop_assert!((wip - year.load.average_wip * 365.0).abs() < 1e-6);
        prop_assert_eq!(months[11].load.at_end, year.load.at_end);
        for m in months.iter().chain([&year]) {
            if let Some(e) = m.flow_efficiency {
                prop_assert!((0.0..=1.0).contains(&e));
            }
            if let Some(t) = m.flow_time {
                prop_assert!(t.min <= t.median && t.median <= t.max);
                prop_assert!(t.min <= t.p85 && t.p85 <= t.max);
                prop_assert!(t.min <= t.mean && t.mean <= t.max);
            }
            let s: f64 = m.distribution_done.iter().filter_map(|k| k.share).sum();
            prop_assert!(m.velocity == 0 || (s - 1.0).abs() < 1e-12);
        }
    }
}
