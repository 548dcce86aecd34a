//! The `vmo` binary: exit codes, output folder handling, messages.

mod common;
use common::*;

#[test]
fn build_writes_the_site_and_check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let st = vmo().arg("check").arg(fixture("minimal")).status().unwrap();
    assert_eq!(st.code(), Some(0));
    assert!(!fixture("minimal").join("public").exists());
    let st = build_into(fixture("minimal"), &out).status;
    assert_eq!(st.code(), Some(0));
    assert!(out.join("index.html").is_file());
    assert!(out.join("initiatives/web-shop/index.html").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let st = vmo().arg("build").arg("--no-such-flag").output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    let st = vmo().arg("frobnicate").output().unwrap();
    assert_eq!(st.status.code(), Some(2));
}

#[test]
fn content_errors_exit_1_with_locations_and_leave_the_old_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build_into(fixture("minimal"), &out).status.success());
    let previous = std::fs::read(out.join("index.html")).unwrap();
    let o = build_into(fixture("invalid/unknown-reference"), &out);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("content/initiatives/payments.md:"), "{err}");
    assert!(err.contains("did you mean `sales`?"), "{err}");
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), previous);
    let mut left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".public.vmo-lock", "public"],
        "a temporary folder was left behind"
    );
}

#[test]
fn a_rebuild_replaces_the_site_and_removes_stale_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(build_into(fixture("minimal"), &out).status.success());
    std::fs::write(out.join("stale.html"), "old").unwrap();
    std::fs::create_dir_all(tmp.path().join(".site.vmo-tmp-999999")).unwrap();
    let st = build_into(fixture("minimal"), &out).status;
    assert_eq!(st.code(), Some(0));
    assert!(!out.join("stale.html").exists());
    assert!(out.join("index.html").is_file());
    let mut left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".site.vmo-lock", "site"],
        "stray temporary folders remain"
    );
}

/// `vmo check --format json SITE`: the exit code and the JSON document on stdout.
fn check_json(site: &std::path::Path) -> (Option<i32>, serde_json::Value) {
    let o = vmo()
        .args(["check", "--format", "json"])
        .arg(site)
        .output()
        .expect("vmo runs");
    let doc = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    (o.status.code(), doc)
}

#[test]
fn check_json_lists_every_diagnostic() {
    let (code, doc) = check_json(&fixture("invalid/many-files"));
    assert_eq!(code, Some(1));
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["errors"], 4);
    let first = &doc["diagnostics"][0];
    assert_eq!(first["file"], "content/initiatives/payments.md");
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 15);
    assert_eq!(first["hint"], "did you mean `grow`?");
}

#[test]
fn stale_figures_are_a_warning_in_check_and_build_not_an_error() {
    let site = fixture("warnings/stale-figures");
    let (code, doc) = check_json(&site);
    assert_eq!(code, Some(0));
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["warnings"], 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "content/initiatives/payments.md");
    assert_eq!(d["line"], 12);

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build_into(&site, &out);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: stale figures: due for review on 2026-03-31"),
        "{err}"
    );
    assert!(err.contains("0 error(s), 1 warning(s)"), "{err}");
    assert!(out.join("initiatives/payments/index.html").is_file());
}
