//! Safe on every input, never hanging: through the `vmo` binary, on sites generated here
//! (nothing large is committed).
//!
//! - template overrides that loop for ever or build gigabytes fail, at their line;
//! - template errors point at the template's file and line, once per cause;
//! - errors in embedded `vmo` blocks point at the right line and column in list items
//!   and CRLF files;
//! - thousands of embeds build in linear time;
//! - a large Markdown body builds in memory proportional to it;
//! - every page carries the Content-Security-Policy, whatever the templates say.
//!
//! Each ran against the code before its fix and failed there (hung, ran out of time or
//! memory, or reported the wrong place).
#![allow(clippy::unwrap_used, reason = "tests panic with the failure")]

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A copy of `tests/sites/minimal` in a temporary folder, with `files` (site-relative
/// path, text) written into it.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("minimal"), &tmp.path().join("site"));
    for (rel, text) in files {
        write(tmp.path(), rel, text);
    }
    tmp
}

fn write(tmp: &Path, rel: &str, text: &str) {
    let path = tmp.join("site").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// What a run of `vmo build` gave.
struct Run {
    success: bool,
    stderr: String,
    out: PathBuf,
    /// Peak resident memory, in bytes (Linux only, else 0).
    peak_rss: u64,
}

/// `vmo build` of `tmp/site` into `tmp/out`, killed (and the test failed) if it runs
/// longer than `limit`: the old code hung on several of these sites.
fn build_within(tmp: &Path, limit: Duration, env: &[(&str, &str)]) -> Run {
    let out = tmp.join("out");
    let err_path = tmp.join("stderr.txt");
    let mut cmd = vmo();
    cmd.arg("build")
        .arg(tmp.join("site"))
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (status, peak_rss) = wait_within(cmd, limit);
    Run {
        success: status.success(),
        stderr: std::fs::read_to_string(&err_path).unwrap(),
        out,
        peak_rss,
    }
}

fn wait_within(mut cmd: Command, limit: Duration) -> (std::process::ExitStatus, u64) {
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    let mut peak = 0;
    loop {
        peak = peak.max(peak_rss(child.id()));
        if let Some(status) = child.try_wait().unwrap() {
            return (status, peak);
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("vmo build was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The process's peak resident memory so far (`VmHWM`), or 0 where /proc has none.
fn peak_rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024)
        })
        .unwrap_or(0)
}

const MINUTE: Duration = Duration::from_secs(60);

// 1. Bounded template work.

#[test]
fn a_template_loop_that_never_ends_fails_at_its_line() {
    // 10^10 iterations: the old build ran for hours.
    let body =
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}";
    let tmp = site(&[(
        "themes/default/templates/initiative.html",
        &initiative_template(body),
    )]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("themes/default/templates/initiative.html:3:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("step limit"), "{}", run.stderr);
    assert_eq!(error_count(&run.stderr), 1, "{}", run.stderr);
}

#[test]
fn a_macro_that_calls_itself_twice_fails() {
    // 2^60 calls, never deeper than 60: the old build never ended.
    let tmp = site(&[(
        "themes/default/templates/macros.html",
        "{% macro chart(c, root=\"\", n=0) %}{% if n < 60 %}{{ chart(c, root, n + 1) }}{{ chart(c, root, n + 1) }}{% endif %}{% endmacro %}\n{% macro badge(t, k) %}{% endmacro %}\n{% macro health(h) %}{% endmacro %}\n{% macro tile(l, v, note=\"\") %}{% endmacro %}\n",
    )]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("themes/default/templates/macros.html:1:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_that_writes_hundreds_of_megabytes_fails_at_its_line() {
    // 400 MB per page: the old build wrote it. The limit for this page is about 16 MB.
    let tmp = site(&[(
        "themes/default/templates/initiative.html",
        &initiative_template("{% for i in range(400) %}{{ 'x' * 1000000 }}{% endfor %}"),
    )]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(!run.success, "a 400 MB page was written");
    assert!(
        run.stderr
            .contains("themes/default/templates/initiative.html:3:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("size limit"), "{}", run.stderr);
}

#[test]
fn with_the_limits_on_the_default_theme_makes_the_same_pages() {
    // Any override turns the limits on, for the default templates too. (The unit test
    // `render::tests::the_default_theme_uses_a_small_share_of_its_budgets` checks the
    // margins.)
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &repo_root().join("content"),
        &tmp.path().join("site/content"),
    );
    let plain = build_within(tmp.path(), 5 * MINUTE, &[]);
    assert!(plain.success, "{}", plain.stderr);
    std::fs::rename(&plain.out, tmp.path().join("plain")).unwrap();
    let default_404 =
        std::fs::read_to_string(repo_root().join("themes/default/templates/404.html")).unwrap();
    write(
        tmp.path(),
        "themes/default/templates/404.html",
        &default_404,
    );
    let bounded = build_within(tmp.path(), 5 * MINUTE, &[]);
    assert!(bounded.success, "{}", bounded.stderr);
    let diff = Command::new("diff")
        .arg("-r")
        .arg(tmp.path().join("plain"))
        .arg(&bounded.out)
        .status()
        .unwrap();
    assert!(diff.success(), "the pages differ with the limits on");
}

// 2. Template errors located, once per cause.

/// How many errors `vmo` said it found.
fn error_count(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.starts_with("error")).count()
}

/// An initiative page template whose line 3 is `body`.
fn initiative_template(body: &str) -> String {
    format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n{body}\n{{% endblock %}}\n")
}

#[test]
fn a_template_error_is_reported_once_at_its_line() {
    let template = initiative_template("<p>{{ i.title }}</p> <p>{{ nosuch.field }}</p>");
    let tmp = site(&[("themes/default/templates/initiative.html", &template)]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(!run.success);
    // Two initiative pages broken, one error, at the expression.
    assert_eq!(error_count(&run.stderr), 1, "{}", run.stderr);
    let at = format!(
        "themes/default/templates/initiative.html:{}",
        position(&template, "nosuch")
    );
    assert!(run.stderr.contains(&at), "{at} in {}", run.stderr);
    assert!(
        run.stderr
            .contains("rendering `initiatives/payments/index.html` and 1 other page failed"),
        "{}",
        run.stderr
    );
    // The snippet shows the line.
    assert!(run.stderr.contains("{{ nosuch.field }}"), "{}", run.stderr);
}

#[test]
fn a_template_that_does_not_parse_is_reported_at_its_line() {
    let tmp = site(&[(
        "themes/default/templates/initiative.html",
        &initiative_template("{% for x in %}{% endfor %}"),
    )]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("themes/default/templates/initiative.html:3:"),
        "{}",
        run.stderr
    );
}

// 3. Embeds at the right column.

/// The `line:column` of the first `needle` in `text`, as a diagnostic writes it.
fn position(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{line}:{col}")
}

#[test]
fn an_embed_in_a_list_item_is_reported_where_it_is() {
    let report = "+++\ntitle = \"Embeds\"\n+++\n\n- a chart:\n\n  ```vmo\n  chart = \"roadmap\"\n  limit = 0\n  tabel = \"x\"\n  ```\n\n- and a bad name:\n\n    ```vmo\n    table = \"top-risks\"\n    stage = \"nowhere\"\n    ```\n";
    let tmp = site(&[("content/reports/embeds.md", report)]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(!run.success);
    for needle in ["tabel", "\"nowhere\""] {
        let at = format!("content/reports/embeds.md:{}", position(report, needle));
        assert!(run.stderr.contains(&at), "{at} in {}", run.stderr);
    }
}

#[test]
fn an_embed_in_a_crlf_file_is_reported_where_it_is() {
    let report = "+++\r\ntitle = \"Embeds\"\r\n+++\r\n\r\nText.\r\n\r\n```vmo\r\nchart = \"roadmap\"\r\n\r\n\r\nstage = \"nowhere\"\r\n```\r\n";
    let tmp = site(&[("content/reports/embeds.md", report)]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(!run.success);
    let at = format!(
        "content/reports/embeds.md:{}",
        position(report, "\"nowhere\"")
    );
    assert!(run.stderr.contains(&at), "{at} in {}", run.stderr);
}

// 4. Embedding linear in the number of embeds.

#[test]
fn five_thousand_embedded_charts_build_in_linear_time() {
    // Each embed used to copy the whole page so far: 5,000 charts took 94 s in a
    // release build (and 4 times as long at twice as many). Now one pass: a few
    // seconds in a debug build. The minute limit is what fails the old code.
    let mut report = String::from("+++\ntitle = \"Many charts\"\n+++\n");
    for k in 0..5_000 {
        report.push_str(&format!(
            "\nChart {k}.\n\n```vmo\nchart = \"value-vs-effort\"\n```\n"
        ));
    }
    let tmp = site(&[("content/reports/many.md", &report)]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(run.success, "{}", run.stderr);
    let page = std::fs::read_to_string(run.out.join("reports/many/index.html")).unwrap();
    assert_eq!(page.matches("<svg").count(), 5_000);
    assert!(!page.contains("vmo-embed"), "a marker was left");
}

// 5. Memory proportional to the input.

#[test]
#[cfg(target_os = "linux")]
fn a_large_markdown_table_builds_in_memory_proportional_to_it() {
    // 6 MB of table rows: ammonia's DOM of the whole table took about 50 bytes per
    // input byte (over 300 MB); cleaned row by row in pieces, it takes under 20.
    let mut body = String::from("\n| Initiative | Cost | Status |\n|---|--:|---|\n");
    let mut k = 0;
    while body.len() < 6_000_000 {
        k += 1;
        body.push_str(&format!("| Initiative {k} | {k},000 | on *track* |\n"));
    }
    let web_shop =
        std::fs::read_to_string(fixture("minimal/content/initiatives/web-shop.md")).unwrap();
    let tmp = site(&[(
        "content/initiatives/web-shop.md",
        &format!("{web_shop}{body}"),
    )]);
    let run = build_within(tmp.path(), 5 * MINUTE, &[]);
    assert!(run.success, "{}", run.stderr);
    let page = std::fs::read_to_string(run.out.join("initiatives/web-shop/index.html")).unwrap();
    assert!(page.contains(&format!("<td>Initiative {k}</td>")));
    assert!(
        run.peak_rss < 60_000_000 + 25 * body.len() as u64,
        "peak memory {} MB for {} MB of Markdown",
        run.peak_rss >> 20,
        body.len() >> 20
    );
}

// 6. The generator guarantees the CSP.

/// Where the first of `needles` is in `page`.
fn first(page: &str, needles: &[&str]) -> usize {
    needles
        .iter()
        .filter_map(|n| page.find(n))
        .min()
        .unwrap_or(page.len())
}

#[test]
fn every_page_carries_the_policy_first_whatever_the_templates_say() {
    let base =
        std::fs::read_to_string(repo_root().join("themes/default/templates/base.html")).unwrap();
    let own = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\">";
    // The policy line removed; a weaker policy of the theme's own, after a script.
    let no_csp: String = base
        .lines()
        .filter(|l| !l.contains("Content-Security-Policy"))
        .map(|l| {
            if l.starts_with("<meta charset") {
                format!("{l}\n<script src=\"{{{{ root }}}}assets/x.js\"></script>\n{own}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    // Guards: an edit that missed (the theme changed) would test the default theme.
    assert!(
        base.contains("Content-Security-Policy\" content=\"{{ csp }}\"")
            && !no_csp.contains("{{ csp }}"),
        "the fixture changed: base.html's policy line was not removed"
    );
    assert!(
        no_csp.contains(own),
        "the fixture changed: base.html has no `<meta charset` line to put a script after"
    );
    let tmp = site(&[
        ("themes/default/templates/base.html", &no_csp),
        (
            "themes/default/static/extra.html",
            "<!doctype html><title>x</title><script src=x.js></script>",
        ),
    ]);
    let run = build_within(tmp.path(), MINUTE, &[]);
    assert!(run.success, "{}", run.stderr);
    let csp = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        vmo_generator::render::CSP.replace('\'', "&#x27;")
    );
    let mut pages = 0;
    for path in html_files(&run.out) {
        let page = std::fs::read_to_string(&path).unwrap();
        let at = page
            .find(&csp)
            .unwrap_or_else(|| panic!("{} has no policy", path.display()));
        let head = page.find("<head").unwrap_or(usize::MAX);
        assert!(
            head < at,
            "{}: the policy is not in the head",
            path.display()
        );
        assert!(
            at < first(&page, &["<script", "<link", "<style", "<base", own]),
            "{}: something comes before the policy",
            path.display()
        );
        pages += 1;
    }
    assert!(pages > 10, "{pages} pages");
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(html_files(&path));
        } else if path.extension().is_some_and(|x| x == "html") {
            out.push(path);
        }
    }
    out
}
