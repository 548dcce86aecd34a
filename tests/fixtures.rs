//! Fixture sites: `tests/sites/minimal` builds; every folder under `tests/sites/invalid/`
//! fails with exactly the diagnostics in its `expected.txt` (file:line:col, message and
//! hint); every folder under `tests/sites/warnings/` builds, with exactly the warnings in
//! its `expected.txt`. Run with `VMO_BLESS=1` to rewrite the expectations after a
//! deliberate change (whether each fixture builds is checked all the same).
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

mod common;
use common::*;
use std::path::Path;

#[test]
fn minimal_site_builds() {
    let site = build(&fixture("minimal"));
    assert!(site.get("initiatives/web-shop/index.html").is_some());
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:?}");
}

/// Whether `VMO_BLESS` asks for the expectations to be rewritten.
fn blessing() -> bool {
    std::env::var_os("VMO_BLESS").is_some()
}

/// Checks every fixture site in `dir`: it builds when `must_build` (and then reports
/// warnings only) or fails otherwise (with at least one diagnostic), with exactly the
/// diagnostics in its `expected.txt`. With `bless`, `expected.txt` is rewritten from
/// what the build gave instead of compared, and every other check still applies: a
/// blessing run can rewrite what a fixture reports, never whether it builds. Returns
/// how many fixtures there were, or the failures.
fn check_fixtures(dir: &Path, must_build: bool, bless: bool) -> Result<usize, String> {
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let (site, diags) = vmo_generator::check_site(case, None);
        let list = diags.into_sorted();
        let got: Vec<String> = list.iter().map(|d| d.to_string()).collect();
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
        if got.is_empty() {
            failures.push(format!(
                "{}: no diagnostic, but a fixture exists to produce one",
                case.display()
            ));
        }
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, got.join("\n") + "\n").unwrap();
            continue;
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
    if failures.is_empty() {
        Ok(cases.len())
    } else {
        Err(failures.join("\n\n"))
    }
}

#[test]
fn invalid_sites_report_every_error_with_its_location() {
    let n =
        check_fixtures(&fixture("invalid"), false, blessing()).unwrap_or_else(|e| panic!("{e}"));
    assert!(n >= 8, "expected at least 8 invalid fixtures, found {n}");
}

#[test]
fn warning_sites_build_and_report_exactly_their_warnings() {
    let n =
        check_fixtures(&fixture("warnings"), true, blessing()).unwrap_or_else(|e| panic!("{e}"));
    assert!(n >= 1, "expected warning fixtures");
}

/// Regression: with `VMO_BLESS` set, the check wrote every `expected.txt` and skipped
/// everything else, so a must-fail fixture that built passed (and was blessed).
#[test]
fn blessing_still_checks_that_invalid_sites_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("builds-but-must-fail");
    copy_dir(&fixture("minimal"), &case);
    std::fs::write(case.join("expected.txt"), "garbage\n").unwrap();
    let err = check_fixtures(tmp.path(), false, true).unwrap_err();
    assert!(err.contains("built, but must fail"), "{err}");
}

/// The same for a must-build fixture that fails.
#[test]
fn blessing_still_checks_that_warning_sites_build() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("fails-but-must-build");
    copy_dir(&fixture("invalid/bad-values"), &case);
    std::fs::write(case.join("expected.txt"), "garbage\n").unwrap();
    let err = check_fixtures(tmp.path(), true, true).unwrap_err();
    assert!(err.contains("failed, but must build"), "{err}");
    assert!(err.contains("an error, not only warnings"), "{err}");
}

/// Blessing rewrites a wrong `expected.txt` of a fixture with the right outcome, and
/// the next, ordinary run passes; without blessing, garbage fails.
#[test]
fn blessing_rewrites_only_the_expectations() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("bad-values");
    copy_dir(&fixture("invalid/bad-values"), &case);
    std::fs::write(case.join("expected.txt"), "garbage\n").unwrap();
    let err = check_fixtures(tmp.path(), false, false).unwrap_err();
    assert!(err.contains("garbage"), "{err}");
    assert_eq!(check_fixtures(tmp.path(), false, true), Ok(1));
    assert_eq!(
        std::fs::read_to_string(case.join("expected.txt")).unwrap(),
        std::fs::read_to_string(fixture("invalid/bad-values/expected.txt")).unwrap()
    );
    assert_eq!(check_fixtures(tmp.path(), false, false), Ok(1));
}
