//! Golden figures: every headline figure, roll-up and table cell of each page type, and
//! the downloads, against an oracle that shares nothing with the render code.
//!
//! `tests/golden/oracle.py` recomputes the figures from a site's content files with the
//! formulas of docs/methods.md (Python's standard library only); `tests/golden/check.py`
//! parses the pages the `vmo` binary built and compares. Each site here is built into a
//! temporary folder and checked; a minimum count per page type keeps a check that finds
//! nothing to compare from passing. Disagreements already reported and not fixed yet are
//! pinned, one a line, in the site's `golden-known-mismatches.txt`.
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Page types the check reports, each with the fewest figures it must have compared.
const KINDS: [&str; 12] = [
    "dashboard",
    "initiatives list",
    "value streams",
    "objectives",
    "benefits",
    "risks",
    "roadmap",
    "prioritisation",
    "reports",
    "initiative pages",
    "CSV",
    "JSON",
];

/// Builds `site` with the binary, runs the golden check on it and returns how many
/// figures it compared per page type, failing with its report on any mismatch.
fn golden(site: &Path) -> Vec<(String, usize)> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let built = build_into(site, &out);
    assert!(
        built.status.success(),
        "{} does not build:\n{}",
        site.display(),
        String::from_utf8_lossy(&built.stderr)
    );
    let check = Command::new("python3")
        .arg(repo_root().join("tests/golden/check.py"))
        .arg("--site")
        .arg(site)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("python3 runs (the golden check needs Python 3.11 or later)");
    let report = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(
        check.status.success(),
        "golden figures of {} differ from the oracle:\n{report}{}",
        site.display(),
        String::from_utf8_lossy(&check.stderr)
    );
    KINDS
        .iter()
        .map(|kind| {
            let n = report
                .lines()
                .find_map(|l| {
                    let rest = l.trim_start().strip_prefix(kind)?;
                    rest.trim().strip_suffix("compared")?.trim().parse().ok()
                })
                .unwrap_or(0);
            (kind.to_string(), n)
        })
        .collect()
}

fn at_least(counts: &[(String, usize)], min: &[(&str, usize)]) {
    for (kind, n) in min {
        let got = counts
            .iter()
            .find(|(k, _)| k == kind)
            .map_or(0, |(_, n)| *n);
        assert!(
            got >= *n,
            "only {got} {kind} figures compared (at least {n} expected): {counts:?}"
        );
    }
}

#[test]
fn the_sample_site_shows_the_oracles_figures() {
    let counts = golden(&repo_root());
    at_least(
        &counts,
        &[
            ("dashboard", 300),
            ("initiatives list", 300),
            ("value streams", 600),
            ("objectives", 1000),
            ("benefits", 200),
            ("risks", 500),
            ("roadmap", 500),
            ("prioritisation", 800),
            ("reports", 1000),
            ("initiative pages", 4500),
            ("CSV", 1000),
            ("JSON", 2500),
        ],
    );
}

/// Quarters of a fiscal year starting in July, mid-period discounting from a base
/// period after some plans start, the reporting date part-way through a quarter: two
/// IRR roots, a borrowing rate, no cost at all, a payback that dips below zero again,
/// milestones due and done around the reporting date, risks on the band edges, a
/// budget that funded work alone over-commits.
#[test]
fn a_quarterly_mid_period_site_shows_the_oracles_figures() {
    let counts = golden(&fixture("golden-quarterly"));
    at_least(&counts, &KINDS.map(|k| (k, 20)));
}

/// Calendar years, start-of-period discounting, a reporting date on 29 February of a
/// leap year, a currency without a symbol, amounts in the billions, a KPI whose baseline
/// is its target, a case that never pays back once discounted.
#[test]
fn a_start_of_period_site_shows_the_oracles_figures() {
    let counts = golden(&fixture("golden-start"));
    at_least(&counts, &KINDS.map(|k| (k, 20)));
}

/// The minimal site has no reports.
#[test]
fn the_minimal_site_shows_the_oracles_figures() {
    let counts = golden(&fixture("minimal"));
    let kinds: Vec<(&str, usize)> = KINDS
        .iter()
        .filter(|k| **k != "reports")
        .map(|k| (*k, 5))
        .collect();
    at_least(&counts, &kinds);
}
