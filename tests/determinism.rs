//! Same input, same bytes: the real binary builds the sample site twice under different
//! thread counts, time zones, locales, `SOURCE_DATE_EPOCH` and file creation orders, and
//! every output file must be byte-identical (issue 5, determinism).
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

mod common;
use common::{repo_root, vmo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Copies `from` into `to`, creating the entries of each folder in `reverse` order or
/// not, so that the two copies' directory listings (`read_dir` order) can differ.
fn copy_tree(from: &Path, to: &Path, reverse: bool) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    if reverse {
        entries.reverse();
    }
    for path in entries {
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target, reverse);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every file of a built site: its path below `root` and its bytes.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

fn build(site: &Path, out: &Path, env: &[(&str, &str)]) {
    let mut cmd = vmo();
    cmd.arg("build").arg(site).arg("--out").arg(out);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let result = cmd.output().unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn two_builds_in_different_environments_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (site_a, site_b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy_tree(&repo_root().join("content"), &site_a.join("content"), false);
    copy_tree(&repo_root().join("content"), &site_b.join("content"), true);
    let (out_a, out_b) = (tmp.path().join("out-a"), tmp.path().join("out-b"));
    build(
        &site_a,
        &out_a,
        &[
            ("RAYON_NUM_THREADS", "1"),
            ("TZ", "UTC"),
            ("LC_ALL", "C"),
            ("LANG", "C"),
        ],
    );
    build(
        &site_b,
        &out_b,
        &[
            ("RAYON_NUM_THREADS", "7"),
            ("TZ", "Pacific/Chatham"),
            ("LC_ALL", "de_DE.UTF-8"),
            ("LANG", "tr_TR.UTF-8"),
            ("SOURCE_DATE_EPOCH", "1700000000"),
        ],
    );
    let (a, b) = (files(&out_a), files(&out_b));
    assert!(a.len() > 50, "the sample site has {} files", a.len());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    let differing: Vec<_> = a
        .iter()
        .filter(|(path, bytes)| b[*path] != **bytes)
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(differing.is_empty(), "files that differ: {differing:?}");
}
