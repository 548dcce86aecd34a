//! Atomic output through the real binary: a build killed while it writes, a build that
//! fails, and a run killed between its two renames all leave the previous site exactly
//! as it was (byte for byte), and the next run removes what they left behind.
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names in `dir` other than `keep` and its lock file (which stays, by design).
fn others(dir: &Path, keep: &str) -> Vec<String> {
    let lock = format!(".{keep}.vmo-lock");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| *n != keep && *n != lock)
        .collect()
}

/// The minimal site plus `files` extra static files of `size` bytes each, so that writing
/// the output takes long enough to be interrupted.
fn bulky_site(dir: &Path, files: usize, size: usize) -> PathBuf {
    let site = dir.join("bulky");
    let content = site.join("content/initiatives");
    std::fs::create_dir_all(&content).unwrap();
    let minimal = fixture("minimal/content");
    std::fs::copy(
        minimal.join("portfolio.toml"),
        site.join("content/portfolio.toml"),
    )
    .unwrap();
    for e in std::fs::read_dir(minimal.join("initiatives")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, content.join(p.file_name().unwrap())).unwrap();
    }
    let bulk = site.join("themes/default/static");
    std::fs::create_dir_all(&bulk).unwrap();
    let body = vec![b'x'; size];
    for i in 0..files {
        std::fs::write(bulk.join(format!("bulk-{i:05}.txt")), &body).unwrap();
    }
    site
}

/// Kills a build of `site` into `out` once its temporary folder appears beside `out`.
/// Returns whether the kill landed mid-write (the temporary folder is still there).
fn kill_mid_write(site: &Path, out: &Path) -> bool {
    let parent = out.parent().unwrap();
    let mut child = vmo()
        .arg("build")
        .arg(site)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let tmp_prefix = ".public.vmo-tmp-";
    let started = Instant::now();
    loop {
        let writing = std::fs::read_dir(parent).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(tmp_prefix)
        });
        if writing {
            // Let it write a little, then kill it without warning (SIGKILL).
            std::thread::sleep(Duration::from_millis(20));
            child.kill().unwrap();
            child.wait().unwrap();
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before its temporary folder was seen");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no temporary folder"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
    others(parent, "public")
        .iter()
        .any(|n| n.starts_with(tmp_prefix))
}

#[test]
fn a_build_killed_mid_write_leaves_the_previous_site_and_the_next_run_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let out = work.join("public");
    assert!(build_into(fixture("minimal"), &out).status.success());
    let previous = snapshot(&out);

    // Bigger sites until a kill lands while the files are being written (the swap at the
    // end is two renames: a kill rarely lands after it, but then the test tries again).
    let mut landed = false;
    for (round, files) in [600, 1500, 3000].into_iter().enumerate() {
        let site = bulky_site(&tmp.path().join(format!("round{round}")), files, 32 * 1024);
        landed = kill_mid_write(&site, &out);
        if landed {
            break;
        }
        // The kill came after the swap: start again from the previous site.
        std::fs::remove_dir_all(&out).unwrap();
        assert!(build_into(fixture("minimal"), &out).status.success());
        assert_eq!(snapshot(&out), previous);
    }
    assert!(landed, "no kill landed while the build was writing");
    let stray: Vec<String> = others(&work, "public");
    assert_eq!(
        stray.len(),
        1,
        "one partly written temporary folder: {stray:?}"
    );
    let partial = snapshot(&work.join(&stray[0])).len();
    assert!(
        snapshot(&out) == previous,
        "the killed build changed the previous site"
    );

    // A next run that fails still removes the stray folder and leaves the site.
    let o = build_into(fixture("invalid/unknown-reference"), &out);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(others(&work, "public"), Vec::<String>::new());
    assert!(
        snapshot(&out) == previous,
        "the failed build changed the site"
    );

    // And a next run that succeeds replaces the site.
    let site = bulky_site(&tmp.path().join("last"), 3, 10);
    assert!(build_into(&site, &out).status.success());
    assert_eq!(others(&work, "public"), Vec::<String>::new());
    assert!(out.join("assets/bulk-00002.txt").is_file());
    eprintln!("killed mid-write with {partial} files written to the temporary folder");
}

#[test]
fn a_run_killed_between_its_renames_gets_the_previous_site_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build_into(fixture("minimal"), &out).status.success());
    let previous = snapshot(&out);
    // The state a kill between `public -> .public.vmo-old-PID` and `tmp -> public` leaves.
    std::fs::rename(&out, tmp.path().join(".public.vmo-old-4242")).unwrap();
    std::fs::create_dir_all(tmp.path().join(".public.vmo-tmp-4242/initiatives")).unwrap();

    let o = build_into(fixture("invalid/unknown-reference"), &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(snapshot(&out) == previous, "the previous site is back");
    assert_eq!(others(tmp.path(), "public"), Vec::<String>::new());
}
