//! Flow Framework metrics (Mik Kersten, *Project to Product*) for one value stream,
//! from its work items' state changes.
//!
//! # Conventions
//!
//! - **Days.** Dates are whole days. An item's state on a day is its state at the end of
//!   that day: the last transition dated on or before it (transitions on the same day
//!   apply in list order). Transitions must be in date order (equal dates allowed).
//! - **Created** is the first transition's date, whatever its state.
//! - **Completed** is the date the item last became done: the first transition of the
//!   trailing run of `done` transitions. An item whose last transition is not `done`
//!   (e.g. reopened) is not completed. So an item done, reopened and done again counts
//!   once, at its last completion.
//! - For a window `[from, to]` (both days included):
//!   - **Flow velocity**: items completed in the window.
//!   - **Flow time**: `completed - created` in days, waiting included, for the items
//!     completed in the window: mean, median (the mean of the two middle values for an
//!     even count) and p85 by nearest rank (the smallest flow time that at least 85% of
//!     the items did not exceed: the `ceil(0.85 n)`-th smallest).
//!   - **Flow efficiency**: for the items completed in the window, total active days /
//!     total flow time days (aggregated, so long items weigh more). Days between an
//!     earlier completion and a reopening count in flow time but not as active.
//!   - **Flow load**: items active or waiting at the end of `to`, and the average WIP:
//!     the mean over the window's days of the number of items active or waiting at the
//!     end of each day.
//!   - **Flow distribution**: the share of each kind among the items completed in the
//!     window, and among the load at the end of the window.
//! - A ratio with nothing to divide by (no items) is `None`, never NaN.

use crate::calendar::{Calendar, Period};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The Flow Framework's four flow item types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowKind {
    /// New business value.
    Feature,
    /// Quality: fixes of problems that affect the customer.
    Defect,
    /// Removal of impediments to future delivery (technical debt).
    Debt,
    /// Security, governance and compliance work.
    Risk,
}

impl FlowKind {
    /// Every kind, in the order the metrics list them.
    pub const ALL: [FlowKind; 4] = [
        FlowKind::Feature,
        FlowKind::Defect,
        FlowKind::Debt,
        FlowKind::Risk,
    ];
}

/// A work item's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowState {
    /// Being worked on.
    Active,
    /// In the value stream but not being worked on (queued, blocked, in review...).
    Waiting,
    /// Delivered.
    Done,
}

impl FlowState {
    fn in_progress(self) -> bool {
        matches!(self, FlowState::Active | FlowState::Waiting)
    }
}

/// One work item of a value stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    pub id: String,
    pub kind: FlowKind,
    /// State changes in date order; the first one creates the item.
    pub transitions: Vec<(Date, FlowState)>,
}

/// Why flow metrics could not be computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "kebab-case")]
pub enum FlowError {
    /// The item has no transitions, so no creation date.
    NoTransitions { item: String },
    /// Transition `index` is dated before the one before it.
    UnorderedTransitions { item: String, index: usize },
    /// Two items share an id.
    DuplicateId { item: String },
    /// The window ends before it starts.
    EmptyWindow { label: String, from: Date, to: Date },
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::NoTransitions { item } => {
                write!(f, "work item `{item}` has no state transitions")
            }
            FlowError::UnorderedTransitions { item, index } => write!(
                f,
                "work item `{item}`: transition {} is dated before the one before it; list transitions in date order",
                index + 1
            ),
            FlowError::DuplicateId { item } => write!(f, "two work items have the id `{item}`"),
            FlowError::EmptyWindow { label, from, to } => {
                write!(
                    f,
                    "the window `{label}` ends ({to}) before it starts ({from})"
                )
            }
        }
    }
}

impl std::error::Error for FlowError {}

/// A window of days `[from, to]`, both included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowWindow {
    /// E.g. `2025-Q3` or `2025-07`.
    pub label: String,
    pub from: Date,
    pub to: Date,
}

/// The flow of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFlow {
    pub created: Date,
    /// When the item last became done; `None` unless its last state is done.
    pub completed: Option<Date>,
    /// `completed - created`, in days.
    pub flow_time_days: Option<i64>,
    /// Days active between creation and completion (or the last transition when not
    /// completed).
    pub active_days: i64,
    /// Days waiting, likewise.
    pub waiting_days: i64,
}

/// Flow time statistics, in days.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowTimeStats {
    pub count: usize,
    pub mean: f64,
    pub median: f64,
    /// Nearest rank: at least 85% of the items took this long or less.
    pub p85: f64,
    pub min: f64,
    pub max: f64,
}

/// Work in progress.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowLoad {
    /// Items active or waiting at the end of the window.
    pub at_end: usize,
    /// Of which active.
    pub active: usize,
    /// Of which waiting.
    pub waiting: usize,
    /// Mean over the window's days of the items active or waiting at the end of each
    /// day.
    pub average_wip: f64,
}

/// How many items of one kind, and their share.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindShare {
    pub kind: FlowKind,
    pub count: usize,
    /// `count / total`; `None` when there are no items at all.
    pub share: Option<f64>,
}

/// The Flow Framework metrics of one window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowMetrics {
    pub label: String,
    pub from: Date,
    pub to: Date,
    /// Days in the window (`to - from + 1`).
    pub days: i64,
    /// Items completed in the window.
    pub velocity: usize,
    /// Over the items completed in the window; `None` when there are none.
    pub flow_time: Option<FlowTimeStats>,
    /// Sum of active days / sum of flow time days of the items completed in the window;
    /// `None` when that flow time is zero.
    pub flow_efficiency: Option<f64>,
    /// Sum of active days of the items completed in the window.
    pub active_days: i64,
    /// Sum of flow time days of the items completed in the window.
    pub flow_time_days: i64,
    pub load: FlowLoad,
    /// Kinds among the items completed in the window, in [`FlowKind::ALL`] order.
    pub distribution_done: Vec<KindShare>,
    /// Kinds among the load at the end of the window, in [`FlowKind::ALL`] order.
    pub distribution_load: Vec<KindShare>,
}

/// Every problem with a set of work items (empty when they are usable).
pub fn validate(items: &[WorkItem]) -> Vec<FlowError> {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for item in items {
        if !seen.insert(item.id.as_str()) {
            errors.push(FlowError::DuplicateId {
                item: item.id.clone(),
            });
        }
        if let Err(e) = check_item(item) {
            errors.push(e);
        }
    }
    errors
}

fn check_item(item: &WorkItem) -> Result<(), FlowError> {
    if item.transitions.is_empty() {
        return Err(FlowError::NoTransitions {
            item: item.id.clone(),
        });
    }
    if let Some(k) = item.transitions.windows(2).position(|w| w[1].0 < w[0].0) {
        return Err(FlowError::UnorderedTransitions {
            item: item.id.clone(),
            index: k + 1,
        });
    }
    Ok(())
}

/// An item checked and reduced to day numbers.
#[derive(Debug)]
struct Prepared {
    kind: FlowKind,
    /// (day, state) per transition.
    steps: Vec<(i64, FlowState)>,
    /// Day of the last completion.
    completed: Option<i64>,
    flow_time: i64,
    active: i64,
}

fn prepare(item: &WorkItem) -> Result<Prepared, FlowError> {
    check_item(item)?;
    let steps: Vec<(i64, FlowState)> = item
        .transitions
        .iter()
        .map(|(d, s)| (d.days_since_epoch(), *s))
        .collect();
    let created = steps[0].0;
    // The trailing run of done transitions starts at `k`.
    let mut k = steps.len();
    while k > 0 && steps[k - 1].1 == FlowState::Done {
        k -= 1;
    }
    let (completed, stop) = if k < steps.len() {
        (Some(steps[k].0), k)
    } else {
        (None, steps.len() - 1)
    };
    let active = steps[..stop]
        .iter()
        .zip(&steps[1..=stop])
        .filter(|(a, _)| a.1 == FlowState::Active)
        .map(|(a, b)| b.0 - a.0)
        .sum();
    Ok(Prepared {
        kind: item.kind,
        completed,
        flow_time: completed.map_or(0, |c| c - created),
        active,
        steps,
    })
}

impl Prepared {
    /// The state at the end of `day`, if created by then.
    fn state_at(&self, day: i64) -> Option<FlowState> {
        let n = self.steps.partition_point(|s| s.0 <= day);
        n.checked_sub(1).map(|k| self.steps[k].1)
    }

    /// Days in `[from, to]` at whose end the item is active or waiting.
    fn wip_days(&self, from: i64, to: i64) -> i64 {
        let mut total = 0;
        for (k, &(start, state)) in self.steps.iter().enumerate() {
            if !state.in_progress() {
                continue;
            }
            let end = self.steps.get(k + 1).map_or(i64::MAX, |s| s.0);
            let lo = start.max(from);
            let hi = end.min(to.saturating_add(1));
            total += (hi - lo).max(0);
        }
        total
    }
}

/// The flow of one item (see the module docs).
pub fn item_flow(item: &WorkItem) -> Result<ItemFlow, FlowError> {
    let p = prepare(item)?;
    let last = p
        .completed
        .unwrap_or_else(|| p.steps.last().map_or(0, |s| s.0));
    let waiting = p
        .steps
        .windows(2)
        .filter(|w| w[0].1 == FlowState::Waiting && w[1].0 <= last)
        .map(|w| w[1].0 - w[0].0)
        .sum();
    Ok(ItemFlow {
        created: item.transitions[0].0,
        completed: p.completed.map(Date::from_days_since_epoch),
        flow_time_days: p.completed.map(|_| p.flow_time),
        active_days: p.active,
        waiting_days: waiting,
    })
}

fn shares(counts: [usize; 4]) -> Vec<KindShare> {
    let total: usize = counts.iter().sum();
    FlowKind::ALL
        .iter()
        .zip(counts)
        .map(|(&kind, count)| KindShare {
            kind,
            count,
            share: (total > 0).then(|| count as f64 / total as f64),
        })
        .collect()
}

fn kind_index(k: FlowKind) -> usize {
    match k {
        FlowKind::Feature => 0,
        FlowKind::Defect => 1,
        FlowKind::Debt => 2,
        FlowKind::Risk => 3,
    }
}

/// Median of ascending values (mean of the two middle ones for an even count).
fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// Nearest-rank percentile of ascending values: the `ceil(p n / 100)`-th smallest.
fn nearest_rank(sorted: &[i64], p: u32) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (n * p as usize).div_ceil(100).clamp(1, n);
    Some(sorted[rank - 1] as f64)
}

fn window_metrics(items: &[Prepared], w: &FlowWindow) -> Result<FlowMetrics, FlowError> {
    if w.to < w.from {
        return Err(FlowError::EmptyWindow {
            label: w.label.clone(),
            from: w.from,
            to: w.to,
        });
    }
    let (from, to) = (w.from.days_since_epoch(), w.to.days_since_epoch());
    let days = to - from + 1;
    let mut flow_times = Vec::new();
    let (mut active_days, mut flow_days) = (0i64, 0i64);
    let mut done_kinds = [0usize; 4];
    let mut load_kinds = [0usize; 4];
    let (mut active, mut waiting) = (0usize, 0usize);
    let mut wip_days = 0i64;
    for it in items {
        if let Some(c) = it.completed
            && (from..=to).contains(&c)
        {
            flow_times.push(it.flow_time);
            active_days += it.active;
            flow_days += it.flow_time;
            done_kinds[kind_index(it.kind)] += 1;
        }
        match it.state_at(to) {
            Some(FlowState::Active) => active += 1,
            Some(FlowState::Waiting) => waiting += 1,
            _ => {}
        }
        if it.state_at(to).is_some_and(FlowState::in_progress) {
            load_kinds[kind_index(it.kind)] += 1;
        }
        wip_days += it.wip_days(from, to);
    }
    flow_times.sort_unstable();
    let n = flow_times.len();
    let flow_time = match (
        median(&flow_times),
        nearest_rank(&flow_times, 85),
        flow_times.first(),
        flow_times.last(),
    ) {
        (Some(median), Some(p85), Some(&min), Some(&max)) => Some(FlowTimeStats {
            count: n,
            mean: flow_days as f64 / n as f64,
            median,
            p85,
            min: min as f64,
            max: max as f64,
        }),
        _ => None,
    };
    Ok(FlowMetrics {
        label: w.label.clone(),
        from: w.from,
        to: w.to,
        days,
        velocity: n,
        flow_time,
        flow_efficiency: (flow_days > 0).then(|| active_days as f64 / flow_days as f64),
        active_days,
        flow_time_days: flow_days,
        load: FlowLoad {
            at_end: active + waiting,
            active,
            waiting,
            average_wip: wip_days as f64 / days as f64,
        },
        distribution_done: shares(done_kinds),
        distribution_load: shares(load_kinds),
    })
}

/// The flow metrics of one value stream's items over one window. Fails on the first
/// invalid item (use [`validate`] to list them all) or an empty window.
pub fn flow_metrics(items: &[WorkItem], window: &FlowWindow) -> Result<FlowMetrics, FlowError> {
    let prepared = items.iter().map(prepare).collect::<Result<Vec<_>, _>>()?;
    window_metrics(&prepared, window)
}

/// [`flow_metrics`] for each window, in order (e.g. consecutive quarters from
/// [`calendar_windows`] or months from [`month_windows`]), for charts. Items are
/// checked once.
pub fn flow_series(
    items: &[WorkItem],
    windows: &[FlowWindow],
) -> Result<Vec<FlowMetrics>, FlowError> {
    let prepared = items.iter().map(prepare).collect::<Result<Vec<_>, _>>()?;
    windows
        .iter()
        .map(|w| window_metrics(&prepared, w))
        .collect()
}

/// One window per calendar period from `first` to `last` (both included), labelled like
/// the period (`2025` or `2025-Q3`). Empty when `last < first`.
pub fn calendar_windows(calendar: &Calendar, first: Period, last: Period) -> Vec<FlowWindow> {
    (first.0..=last.0)
        .map(Period)
        .map(|p| FlowWindow {
            label: calendar.label(p),
            from: calendar.start_date(p),
            to: calendar.end_date(p),
        })
        .collect()
}

/// One window per calendar month from the month containing `first` to the month
/// containing `last` (both included), labelled `YYYY-MM`. Empty when `last < first`.
pub fn month_windows(first: Date, last: Date) -> Vec<FlowWindow> {
    let mut out = Vec::new();
    if last < first {
        return out;
    }
    let mut m = first.add_months_to_first(0);
    while m <= last {
        let next = m.add_months_to_first(1);
        out.push(FlowWindow {
            label: format!("{:04}-{:02}", m.year(), m.month()),
            from: m,
            to: Date::from_days_since_epoch(next.days_since_epoch() - 1),
        });
        m = next;
    }
    out
}
