//! Fixture sites: `tests/sites/minimal` builds; every folder under `tests/sites/invalid/`
//! fails with exactly the diagnostics in its `expected.txt` (file:line:col, message and
//! hint); every folder under `tests/sites/warnings/` builds, with exactly the warnings in
//! its `expected.txt`. Run with `VMO_BLESS=1` to rewrite the expectations after a
//! deliberate change.
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

mod common;
use common::*;

#[test]
fn minimal_site_builds() {
    let site = build(&fixture("minimal"));
    assert!(site.get("initiatives/web-shop/index.html").is_some());
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:?}");
}

/// Checks every fixture site under `tests/sites/<folder>/`: it builds when `must_build`
/// (and then reports warnings only) or fails otherwise, with exactly the diagnostics in
/// its `expected.txt`. Returns how many fixtures there were.
fn check_fixtures(folder: &str, must_build: bool) -> usize {
    let mut cases: Vec<_> = std::fs::read_dir(fixture(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let bless = std::env::var_os("VMO_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let (site, diags) = vmo_generator::check_site(case, None);
        let list = diags.into_sorted();
        let got: Vec<String> = list.iter().map(|d| d.to_string()).collect();
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, got.join("\n") + "\n").unwrap();
            continue;
        }
        match (must_build, site.is_some()) {
            (true, false) => failures.push(format!("{}: failed, but must build", case.display())),
            (false, true) => failures.push(format!("{}: built, but must fail", case.display())),
            _ => {}
        }
        if must_build
            && list
                .iter()
                .any(|d| d.severity != vmo_generator::Severity::Warning)
        {
            failures.push(format!("{}: an error, not only warnings", case.display()));
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        if expected.is_empty() || got != expected {
            failures.push(format!(
                "{}:\n  expected:\n    {}\n  got:\n    {}",
                case.display(),
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    cases.len()
}

#[test]
fn invalid_sites_report_every_error_with_its_location() {
    let n = check_fixtures("invalid", false);
    assert!(n >= 8, "expected at least 8 invalid fixtures, found {n}");
}

#[test]
fn warning_sites_build_and_report_exactly_their_warnings() {
    let n = check_fixtures("warnings", true);
    assert!(n >= 1, "expected warning fixtures");
}
