//! Safety through the real binary: the output folder is ours alone (an unsafe `--out` is
//! a usage error that touches nothing), one build writes an output folder at a time,
//! inputs that are not regular files are refused unopened and never printed, every
//! operating-system error names its path, content cannot drive the terminal, and the
//! base URL is checked and used.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

mod common;
use common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd` to its end, failing the test if it takes more than a minute (a build that
/// hangs on a pipe or reads an endless device would otherwise hang the suite).
fn run(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("vmo did not finish within a minute: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn build(site: &Path, out: &Path) -> Output {
    run(vmo().arg("build").arg(site).arg("--out").arg(out))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every path under `dir` with the bytes of its files (links not followed), by relative
/// path: what a test compares before and after to see that nothing was touched.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                out.insert(rel, None);
                walk(root, &e.path(), out);
            } else if t.is_file() {
                out.insert(rel, Some(std::fs::read(e.path()).unwrap()));
            } else {
                out.insert(rel, None);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A copy of the minimal fixture at `dir/site`.
fn site_in(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    copy_dir(&fixture("minimal"), &site);
    site
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

/// `vmo build ~/portfolio --out ~` and its kin: each is refused with exit 2 and a reason,
/// and nothing at all changes on disk (not even a lock file is made).
#[test]
fn an_output_folder_that_would_lose_files_is_a_usage_error_that_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let site = site_in(&home);
    std::fs::create_dir_all(site.join(".git/objects")).unwrap();
    std::fs::create_dir_all(site.join("themes/default/static")).unwrap();
    let mine = tmp.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("thesis.txt"), "years of work").unwrap();
    std::fs::write(tmp.path().join("a-file"), "a file").unwrap();
    symlink(&mine, tmp.path().join("link-to-mine")).unwrap();
    let cases: &[(PathBuf, &str)] = &[
        (site.clone(), "it is the site folder itself"),
        (site.join("."), "it is the site folder itself"),
        (home.clone(), "it is your home folder"),
        (tmp.path().to_path_buf(), "it contains your home folder"),
        (PathBuf::from("/"), "the root of the file system"),
        (site.join("content"), "inside the site's content/ folder"),
        (
            site.join("content/initiatives/new"),
            "inside the site's content/ folder",
        ),
        (
            site.join("themes/default/static"),
            "inside the site's themes/ folder",
        ),
        (site.join(".git"), "inside the site's .git/ folder"),
        (
            site.join("public/../content"),
            "inside the site's content/ folder",
        ),
        (mine.clone(), "files that vmo did not write"),
        (tmp.path().join("a-file"), "exists and is not a folder"),
        (tmp.path().join("link-to-mine"), "it is a symbolic link"),
    ];
    let before = snapshot(tmp.path());
    for (out, why) in cases {
        let o = run(vmo()
            .env("HOME", &home)
            .arg("build")
            .arg(&site)
            .arg("--out")
            .arg(out));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--out {}: {err}", out.display());
        assert!(
            err.contains("refusing to write the site to") && err.contains(why),
            "--out {}: expected {why:?}, got: {err}",
            out.display()
        );
        assert!(err.contains("hint: "), "{err}");
        assert!(
            snapshot(tmp.path()) == before,
            "--out {} changed files",
            out.display()
        );
    }
    // Relative to the working folder too: `cd site && vmo build --out ..`.
    let o = run(vmo()
        .env("HOME", &home)
        .current_dir(&site)
        .args(["build", "--out", ".."]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(snapshot(tmp.path()) == before);
}

/// An empty folder and a folder of a previous build are written; a build writes its
/// marker, so the next build may replace it.
#[test]
fn empty_folders_and_previous_builds_are_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_in(tmp.path());
    let out = tmp.path().join("empty");
    std::fs::create_dir_all(&out).unwrap();
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join(".vmo-site").is_file());
    std::fs::write(out.join("stale.html"), "stale").unwrap();
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("stale.html").exists());
    assert!(out.join("index.html").is_file());
}

/// The path of the lock file of output folder `out`.
fn lock_file(out: &Path) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy();
    out.with_file_name(format!(".{name}.vmo-lock"))
}

/// While another process holds the output folder, a build waits, then fails with a
/// message saying so, removing nothing that the other process owns; once the lock is
/// released, the build goes through.
#[test]
fn a_build_waits_for_another_build_of_the_same_output_then_fails_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_in(tmp.path());
    let out = tmp.path().join("public");
    assert!(build(&site, &out).status.success());
    let previous = snapshot(&out);
    let holder = std::fs::OpenOptions::new()
        .write(true)
        .open(lock_file(&out))
        .unwrap();
    holder.lock().unwrap();
    // What a live build owns: its temporary folder, half written.
    let live = tmp
        .path()
        .join(format!(".public.vmo-tmp-{}", std::process::id()));
    std::fs::create_dir_all(live.join("initiatives")).unwrap();

    let started = Instant::now();
    let o = build(&site, &out);
    let waited = started.elapsed();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("another vmo build is writing this output folder"),
        "{err}"
    );
    assert!(err.contains(".public.vmo-lock"), "{err}");
    assert!(waited >= Duration::from_secs(5), "did not wait: {waited:?}");
    assert!(
        live.join("initiatives").is_dir(),
        "a live run's folder was removed"
    );
    assert!(snapshot(&out) == previous);

    drop(holder);
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!live.exists(), "the stray of a dead run stays");
}

/// Two builds started together into one folder: each either writes a complete site or
/// says it found the folder busy; the site in place at the end is complete.
#[test]
fn two_builds_at_once_leave_one_complete_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_in(tmp.path());
    // Static files make the write long enough for the two runs to overlap.
    let bulk = site.join("themes/default/static");
    std::fs::create_dir_all(&bulk).unwrap();
    for i in 0..400 {
        std::fs::write(bulk.join(format!("bulk-{i:04}.txt")), vec![b'x'; 16 * 1024]).unwrap();
    }
    let out = tmp.path().join("public");
    let spawn = || {
        vmo()
            .arg("build")
            .arg(&site)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(
            o.status.success() || err.contains("another vmo build is writing"),
            "{err}"
        );
    }
    let expected = {
        let mut files: Vec<String> = common::build(&site)
            .files
            .iter()
            .map(|f| f.path.clone())
            .collect();
        files.push(".vmo-site".into());
        files.sort();
        files
    };
    let written: Vec<String> = snapshot(&out)
        .into_iter()
        .filter(|(_, bytes)| bytes.is_some())
        .map(|(p, _)| p)
        .collect();
    assert_eq!(written, expected);
    let strays: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".vmo-tmp-") || n.contains(".vmo-old-"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}

/// Links, pipes and devices in place of content are refused by their metadata, without
/// being opened: no hang, no memory blow-up, and nothing of what they point at printed.
#[test]
fn links_pipes_and_devices_are_refused_unopened_and_never_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.toml");
    std::fs::write(&secret, "password = \"hunter2-TOPSECRET\"\n").unwrap();
    type Plant = fn(&Path, &Path);
    let cases: &[(&str, Plant, &str)] = &[
        (
            "link to a secret",
            |site, secret| symlink(secret, site.join("content/initiatives/leak.md")).unwrap(),
            "symbolic links are not followed",
        ),
        (
            "settings linked to a secret",
            |site, secret| {
                let p = site.join("content/portfolio.toml");
                std::fs::remove_file(&p).unwrap();
                symlink(secret, p).unwrap();
            },
            "symbolic links are not followed",
        ),
        (
            "link to an endless device",
            |site, _| symlink("/dev/zero", site.join("content/initiatives/zero.md")).unwrap(),
            "symbolic links are not followed",
        ),
        (
            "named pipe for an initiative",
            |site, _| mkfifo(&site.join("content/initiatives/pipe.md")),
            "a named pipe is not a regular file",
        ),
        (
            "named pipe for the settings",
            |site, _| {
                let p = site.join("content/portfolio.toml");
                std::fs::remove_file(&p).unwrap();
                mkfifo(&p);
            },
            "a named pipe is not a regular file",
        ),
        (
            "named pipe for a template",
            |site, _| {
                let t = site.join("themes/default/templates");
                std::fs::create_dir_all(&t).unwrap();
                mkfifo(&t.join("base.html"));
            },
            "a named pipe is not a regular file",
        ),
        (
            "named pipe for a static file",
            |site, _| {
                let t = site.join("themes/default/static");
                std::fs::create_dir_all(&t).unwrap();
                mkfifo(&t.join("logo.svg"));
            },
            "a named pipe is not a regular file",
        ),
        (
            "link for the theme folder",
            |site, secret| {
                std::fs::create_dir_all(site.join("themes")).unwrap();
                symlink(secret.parent().unwrap(), site.join("themes/default")).unwrap();
            },
            "symbolic links are not followed",
        ),
    ];
    for (k, (what, plant, message)) in cases.iter().enumerate() {
        let dir = tmp.path().join(format!("case{k}"));
        let site = site_in(&dir);
        plant(&site, &secret);
        let o = build(&site, &dir.join("public"));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains(message), "{what}: {err}");
        assert!(
            !err.contains("TOPSECRET"),
            "{what} printed the secret: {err}"
        );
        // One cause, one error: a refused settings file is not also "missing".
        assert!(err.contains("1 error(s)"), "{what}: {err}");
        assert!(!dir.join("public").exists(), "{what}");
    }
}

/// Each input file has a size limit: a file over it is refused before it is read (a
/// sparse file, so the test writes nothing large).
#[test]
fn a_file_over_its_size_limit_is_refused_with_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_in(tmp.path());
    let f = std::fs::File::create(site.join("content/initiatives/huge.md")).unwrap();
    f.set_len(65 << 20).unwrap();
    let settings = std::fs::OpenOptions::new()
        .append(true)
        .open(site.join("content/portfolio.toml"))
        .unwrap();
    settings.set_len(5 << 20).unwrap();
    let o = build(&site, &tmp.path().join("public"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the file is too large: 65 MiB, the limit for this kind of file is 64 MiB"),
        "{err}"
    );
    assert!(
        err.contains("the file is too large: 5 MiB, the limit for this kind of file is 4 MiB"),
        "{err}"
    );
    assert!(err.contains("2 error(s)"), "{err}");
}

/// An operating-system error names the path and what was being done to it.
#[test]
fn file_system_errors_name_the_path_and_the_action() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_in(tmp.path());
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = build(&site, &file.join("public"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("creating the folder {}: ", file.display())),
        "{err}"
    );
    assert!(
        err.contains("The previous site was left as it was."),
        "{err}"
    );
}

/// Control and bidi characters from content are shown escaped, in messages and in
/// snippets, so a file cannot clear, retitle or reorder the reader's terminal.
#[test]
fn content_cannot_drive_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_in(tmp.path());
    let page = site.join("content/initiatives/payments.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let evil = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{202e}lave";
    // A misspelt value stream carrying escapes: the message quotes it.
    let text = replace_once(
        &text,
        "value_stream = \"sales\"",
        &format!(
            "value_stream = \"sa{}\"",
            evil.replace('\u{1b}', "\\u001b")
                .replace('\u{7}', "\\u0007")
        ),
    );
    // And raw in the body, after a broken link on the same line.
    let text = format!("{text}\n[x](@/nowhere) {evil}\n");
    std::fs::write(&page, text).unwrap();
    let o = build(&site, &tmp.path().join("public"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown value stream"), "{err}");
    assert!(err.contains("broken link"), "{err}");
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!err.contains(c), "{c:?} printed raw: {err:?}");
    }
    assert!(err.contains("\\u{1b}]0;PWNED\\u{7}"), "{err}");
}

/// `--base-url` must be an http(s) URL or a path: anything else is a usage error before
/// anything is written. A good one is used: canonical links, the sitemap, the exports.
#[test]
fn the_base_url_is_checked_and_used() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_in(tmp.path());
    let out = tmp.path().join("public");
    for bad in [
        "javascript:alert(1)",
        "garbage",
        "//evil.example/",
        "https://u:p@x.example/",
    ] {
        let o = run(vmo()
            .arg("build")
            .arg(&site)
            .arg("--out")
            .arg(&out)
            .arg("--base-url")
            .arg(bad));
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--base-url"), "{}", stderr(&o));
        assert!(!out.exists());
    }
    let o = run(vmo()
        .arg("build")
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .args(["--base-url", "https://vmo.example/portfolio"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let page = read("initiatives/web-shop/index.html");
    assert!(
        page.contains(
            r#"<link rel="canonical" href="https:&#x2f;&#x2f;vmo.example&#x2f;portfolio&#x2f;initiatives&#x2f;web-shop&#x2f;">"#
        ),
        "{page}"
    );
    let sitemap = read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://vmo.example/portfolio/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://vmo.example/portfolio/initiatives/web-shop/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404"), "{sitemap}");
    let json: serde_json::Value = serde_json::from_str(&read("data/portfolio.json")).unwrap();
    assert_eq!(
        json["settings"]["base_url"],
        "https://vmo.example/portfolio/"
    );
    let shop = json["initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "web-shop")
        .unwrap();
    assert_eq!(
        shop["page_url"],
        "https://vmo.example/portfolio/initiatives/web-shop/"
    );
    let csv = read("data/initiatives.csv");
    assert!(
        csv.contains(",https://vmo.example/portfolio/initiatives/web-shop/"),
        "{csv}"
    );

    // Under a bare path, no canonical link or sitemap (they need a host).
    let o = run(vmo()
        .arg("build")
        .arg(&site)
        .arg("--out")
        .arg(&out)
        .args(["--base-url", "/portfolio/"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!read("index.html").contains("rel=\"canonical\""));
    assert!(!out.join("sitemap.xml").exists());
    assert!(read("data/initiatives.csv").contains(",/portfolio/initiatives/web-shop/"));
}
