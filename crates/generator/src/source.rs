//! Stage 1, sources: the only place that reads the disk. Everything after works on the
//! [`SiteSources`] in memory.

use crate::diagnostics::{Diagnostics, SourceText};
use std::collections::BTreeMap;
use std::path::Path;

/// Every input file of a site, read into memory.
#[derive(Clone, Debug, Default)]
pub struct SiteSources {
    /// `content/portfolio.toml`, `content/initiatives/*.md`, `content/reports/*.md`,
    /// `content/flow/*.toml`,
    /// sorted by path.
    pub content: Vec<SourceText>,
    /// Template overrides from `themes/default/templates/`, by file name.
    pub templates: BTreeMap<String, String>,
    /// Static file overrides from `themes/default/static/`, by relative path.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Reads a site folder. Unreadable files, non-UTF-8 text and symbolic links are reported,
/// not followed.
pub fn read_site(root: &Path, diags: &mut Diagnostics) -> SiteSources {
    let mut s = SiteSources::default();
    let content = root.join("content");
    // A link could publish files from anywhere on the machine: refuse every one.
    for (rel, path) in [
        ("content", content.clone()),
        ("content/portfolio.toml", content.join("portfolio.toml")),
        ("content/initiatives", content.join("initiatives")),
        ("content/reports", content.join("reports")),
        ("content/flow", content.join("flow")),
        ("themes", root.join("themes")),
        ("themes/default", root.join("themes/default")),
        (
            "themes/default/templates",
            root.join("themes/default/templates"),
        ),
        ("themes/default/static", root.join("themes/default/static")),
    ] {
        if is_symlink(&path) {
            diags.error_in(
                rel,
                "symbolic links are not followed in a site folder",
                Some("copy the files in instead of linking them".into()),
            );
            return s;
        }
    }
    if !content.is_dir() {
        diags.error_in(
            "content/",
            format!("no content folder in {}", root.display()),
            Some("run `vmo build` in a site folder, or pass it: `vmo build path/to/site`".into()),
        );
        return s;
    }
    let mut read_text =
        |rel: String, path: &Path, diags: &mut Diagnostics| match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => s.content.push(SourceText { path: rel, text }),
                Err(_) => diags.error_in(
                    &rel,
                    "the file is not valid UTF-8 text",
                    Some("save it as UTF-8".into()),
                ),
            },
            Err(e) => diags.error_in(&rel, format!("cannot read the file: {e}"), None),
        };
    let portfolio = content.join("portfolio.toml");
    if portfolio.is_file() {
        read_text("content/portfolio.toml".into(), &portfolio, diags);
    }
    for sub in ["initiatives", "reports", "flow"] {
        for (rel, path) in list_files(&content.join(sub), &format!("content/{sub}"), false, diags) {
            if rel.ends_with(".md") || (sub == "flow" && rel.ends_with(".toml")) {
                read_text(rel, &path, diags);
            } else if !rel.rsplit('/').next().unwrap_or("").starts_with('.') {
                diags.error_in(
                    &rel,
                    "only Markdown files (.md) belong here",
                    Some("rename it to end in .md, or move it out of content/".into()),
                );
            }
        }
    }
    s.content.sort_by(|a, b| a.path.cmp(&b.path));
    let theme = root.join("themes").join("default");
    for (rel, path) in list_files(&theme.join("templates"), "", true, diags) {
        match std::fs::read_to_string(&path) {
            Ok(t) => {
                s.templates.insert(rel, t);
            }
            Err(e) => diags.error_in(
                &format!("themes/default/templates/{rel}"),
                format!("cannot read the template: {e}"),
                None,
            ),
        }
    }
    for (rel, path) in list_files(&theme.join("static"), "", true, diags) {
        match std::fs::read(&path) {
            Ok(b) => {
                s.static_files.insert(rel, b);
            }
            Err(e) => diags.error_in(
                &format!("themes/default/static/{rel}"),
                format!("cannot read the file: {e}"),
                None,
            ),
        }
    }
    s
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Regular files in `dir` (and below it when `recursive`), as (relative path with `/`,
/// full path), sorted. Symbolic links are reported and skipped: content must live inside
/// the site. Without `recursive`, a subfolder is reported: its files would otherwise be
/// ids that clash with the files above them.
fn list_files(
    dir: &Path,
    prefix: &str,
    recursive: bool,
    diags: &mut Diagnostics,
) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            diags.error_in(
                &rel,
                "symbolic links are not followed in a site folder",
                Some("copy the file in instead of linking it".into()),
            );
        } else if meta.is_dir() && recursive {
            out.extend(list_files(&e.path(), &rel, recursive, diags));
        } else if meta.is_dir() {
            for (inner, _) in list_files(&e.path(), &rel, true, diags) {
                diags.error_in(
                    &inner,
                    "content in subfolders is not read",
                    Some(format!("move it up into {prefix}/")),
                );
            }
        } else if meta.is_file() {
            out.push((rel, e.path()));
        }
    }
    out
}
