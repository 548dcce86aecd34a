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

/// What `vmo` prints for a diagnostic is a snippet of the file: its header, then the
/// line of the span as the file has it, and carets under exactly the span's columns,
/// labelled with the location; then the hint. Checked for every diagnostic of every
/// invalid and warning fixture whose span lies on one line.
#[test]
fn diagnostics_show_the_source_line_and_underline_the_span() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for folder in ["invalid", "warnings"] {
        let mut cases: Vec<_> = std::fs::read_dir(fixture(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        for case in cases {
            let (_, diags) = vmo_generator::check_site(&case, None);
            let diags = diags.into_sorted();
            let tmp = tempfile::tempdir().unwrap();
            let o = build_into(&case, &tmp.path().join("public"));
            let err = String::from_utf8(o.stderr).unwrap();
            // One block per diagnostic, in order: from its "error:" or "warning:" line.
            let mut blocks: Vec<Vec<&str>> = Vec::new();
            for line in err.lines() {
                if line.starts_with("error: ") || line.starts_with("warning: ") {
                    blocks.push(Vec::new());
                }
                if let Some(b) = blocks.last_mut() {
                    b.push(line);
                }
            }
            if blocks.len() != diags.len() {
                failures.push(format!(
                    "{}: {} diagnostics, {} printed:\n{err}",
                    case.display(),
                    diags.len(),
                    blocks.len()
                ));
                continue;
            }
            for (d, block) in diags.iter().zip(&blocks) {
                let sev = match d.severity {
                    vmo_generator::Severity::Error => "error",
                    vmo_generator::Severity::Warning => "warning",
                };
                let mut problems = Vec::new();
                if block[0] != format!("{sev}: {}", d.message) {
                    problems.push(format!("header `{}`", block[0]));
                }
                if let Some(h) = &d.hint
                    && !block.iter().any(|l| l.trim() == format!("= hint: {h}"))
                {
                    problems.push("no hint".into());
                }
                let source = std::fs::read_to_string(case.join(&d.file)).unwrap_or_default();
                let single_line = d.span.end <= source.len()
                    && !source[d.span.clone()]
                        .trim_end_matches(['\r', '\n'])
                        .contains('\n')
                    && d.span.start < source.len();
                if single_line {
                    let location = format!("{}:{}:{}", d.file, d.line, d.column);
                    let src_line = source.lines().nth(d.line - 1).unwrap().trim_end();
                    let before = src_line.chars().take(d.column - 1).collect::<String>();
                    let shown = source[d.span.clone()].trim_end_matches(['\r', '\n']);
                    let carets = shown.chars().count().max(1);
                    let want_header = format!("┌─ {location}");
                    let want_line = format!("{} │ {src_line}", d.line);
                    let want_carets = format!(
                        "│ {}{} {location}",
                        " ".repeat(before.chars().count()),
                        "^".repeat(carets)
                    );
                    if !block.iter().any(|l| l.trim_start() == want_header) {
                        problems.push(format!("no `{want_header}`"));
                    }
                    match block.iter().position(|l| l.trim() == want_line.trim()) {
                        None => problems.push(format!("no `{want_line}`")),
                        Some(n)
                            if block.get(n + 1).map(|l| l.trim_start()) != Some(&want_carets) =>
                        {
                            problems.push(format!(
                                "carets `{}`, want `{want_carets}`",
                                block.get(n + 1).unwrap_or(&"")
                            ))
                        }
                        Some(_) => checked += 1,
                    }
                }
                if !problems.is_empty() {
                    failures.push(format!(
                        "{}: {d}\n  {}\n  printed:\n{}",
                        case.display(),
                        problems.join("\n  "),
                        block.join("\n")
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked >= 20, "only {checked} snippets checked");
}
