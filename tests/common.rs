//! Helpers shared by the integration tests.
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "test helpers panic with the failure")]

use std::path::{Path, PathBuf};
use vmo_generator::Site;

/// The repository root (the sample site lives in its `content/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/sites").join(name)
}

/// Builds a site in memory, panicking with the diagnostics if it fails.
pub fn build(dir: &Path) -> Site {
    let (site, diags) = vmo_generator::check_site(dir, None);
    match site {
        Some(s) => s,
        None => panic!(
            "{} failed to build:\n{}",
            dir.display(),
            diags
                .into_sorted()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

pub fn text<'a>(site: &'a Site, path: &str) -> &'a str {
    let f = site
        .get(path)
        .unwrap_or_else(|| panic!("{path} is missing"));
    std::str::from_utf8(&f.bytes).unwrap()
}

/// Values of `attr="..."` attributes in an HTML page.
pub fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let start = i + pat.len();
            html[start..].find('"').map(|end| &html[start..start + end])
        })
        .collect()
}

/// Resolves a relative link from `page` to a site path, or None for external links.
pub fn resolve(page: &str, href: &str) -> Option<String> {
    // Decode the entities templates use in attributes, as a browser would.
    let href = href
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    if href.starts_with('#')
        || href.contains("://")
        || href.starts_with("mailto:")
        || href.starts_with("data:")
    {
        return None;
    }
    let href = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || path.is_empty() {
        path = format!(
            "{}{}index.html",
            path,
            if path.is_empty() { "" } else { "/" }
        );
    }
    Some(path)
}

/// Every internal link and asset of every page that does not resolve.
pub fn broken_links(site: &Site) -> Vec<String> {
    let mut broken = Vec::new();
    for f in site.files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = std::str::from_utf8(&f.bytes).unwrap();
        for attr in ["href", "src"] {
            for link in attributes(html, attr) {
                if let Some(target) = resolve(&f.path, link)
                    && site.get(&target).is_none()
                {
                    broken.push(format!("{} -> {link} ({target})", f.path));
                }
            }
        }
    }
    broken
}

/// The `vmo` binary of this package.
pub fn vmo() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_vmo"))
}

/// `vmo build SITE --out OUT`, its output captured.
pub fn build_into(site: impl AsRef<std::ffi::OsStr>, out: &Path) -> std::process::Output {
    vmo()
        .arg("build")
        .arg(site)
        .arg("--out")
        .arg(out)
        .output()
        .expect("vmo runs")
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// `text` with the first `from` replaced by `to`, panicking when `from` is not there: a
/// test that edits a fixture must not go on to test the unedited fixture (and pass for
/// nothing) when the fixture changes.
pub fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "the fixture changed: `{from}` is not in it any more"
    );
    text.replacen(from, to, 1)
}

/// Every file under `dir`, by path relative to it (with `/`), with its bytes.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(root, &e.path(), out);
            } else {
                let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
                let rel = rel.to_str().unwrap().replace('\\', "/");
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}
