//! Stage 1, sources: the only place that reads the disk. Everything after works on the
//! [`SiteSources`] in memory.
//!
//! Every input is checked by its metadata before it is opened: only regular files and
//! folders are read. Symbolic links, named pipes, sockets and devices are reported
//! without being opened (a link could publish or print a file from anywhere on the
//! machine, a pipe or a device would block or never end), and every file has a size
//! limit ([`limits`]). Files are opened without following links and without blocking,
//! and what was opened is checked again, so a file swapped for a pipe or a link between
//! the check and the open is refused too.

use crate::diagnostics::{Diagnostics, SourceText};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest input file of each kind, in bytes (documented in
/// `docs/content-format.md`). Far above any real portfolio, and low enough that a run
/// stays within memory on a small machine.
pub mod limits {
    /// `content/portfolio.toml`.
    pub const SETTINGS: u64 = 4 << 20;
    /// `content/initiatives/*.md` and `content/reports/*.md`.
    pub const MARKDOWN: u64 = 64 << 20;
    /// `content/flow/*.toml`.
    pub const FLOW: u64 = 64 << 20;
    /// `themes/default/templates/*`.
    pub const TEMPLATE: u64 = 4 << 20;
    /// Each file of `themes/default/static/`.
    pub const STATIC: u64 = 64 << 20;
}

/// Every input file of a site, read into memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SiteSources {
    /// `content/portfolio.toml`, `content/initiatives/*.md`, `content/reports/*.md`,
    /// `content/flow/*.toml`,
    /// sorted by path.
    pub content: Vec<SourceText>,
    /// Template overrides from `themes/default/templates/`, by file name.
    pub templates: BTreeMap<String, String>,
    /// Static file overrides from `themes/default/static/`, by relative path.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Paths (relative to the site folder) that exist but were refused, with an error
    /// already reported: later stages treat them as present, so one cause gives one
    /// error (a refused `portfolio.toml` is not also "missing").
    pub refused: BTreeSet<String>,
}

impl SiteSources {
    /// The text of an input file named by its site-relative path (a content file or a
    /// template), as it was read: diagnostics are shown against this, never against the
    /// disk, which may have changed or may be a link, a pipe or a device.
    pub fn text(&self, path: &str) -> Option<&str> {
        if let Some(name) = path.strip_prefix(TEMPLATES) {
            return self.templates.get(name).map(String::as_str);
        }
        self.content
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| self.content[i].text.as_str())
    }
}

const TEMPLATES: &str = "themes/default/templates/";

/// Why an input was not read.
enum Refusal {
    Link,
    Special(&'static str),
    TooLarge(u64),
    Io(std::io::Error),
    NotUtf8,
}

impl Refusal {
    fn report(self, rel: &str, limit: u64, diags: &mut Diagnostics) {
        let (message, hint) = match self {
            Refusal::Link => (
                "symbolic links are not followed in a site folder".to_string(),
                "copy the file in instead of linking it".to_string(),
            ),
            Refusal::Special(kind) => (
                format!("{kind} is not a regular file, so it is not read"),
                "only regular files and folders belong in a site folder".to_string(),
            ),
            Refusal::TooLarge(len) => (
                format!(
                    "the file is too large: {} MiB, the limit for this kind of file is {} MiB",
                    len.div_ceil(1 << 20),
                    limit >> 20
                ),
                "split it into smaller files".to_string(),
            ),
            Refusal::Io(e) => (
                format!("cannot read the file: {e}"),
                "check that it exists and that you may read it".to_string(),
            ),
            Refusal::NotUtf8 => (
                "the file is not valid UTF-8 text".to_string(),
                "save it as UTF-8".to_string(),
            ),
        };
        diags.error_in(rel, message, Some(hint));
    }
}

/// What kind of thing a non-regular, non-folder, non-link entry is, for messages.
fn special_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = t;
    "a special file"
}

/// Reads a regular file of at most `limit` bytes, refusing anything else without
/// reading from it.
fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let meta = std::fs::symlink_metadata(path).map_err(Refusal::Io)?;
    check_type(&meta)?;
    if meta.len() > limit {
        return Err(Refusal::TooLarge(meta.len()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Not following a link and not blocking on a pipe, in case the path was
        // replaced since it was checked.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => Refusal::Link,
        _ => Refusal::Io(e),
    })?;
    check_type(&file.metadata().map_err(Refusal::Io)?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte past the limit tells a file that grew since it was checked.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

fn check_type(meta: &std::fs::Metadata) -> Result<(), Refusal> {
    let t = meta.file_type();
    if t.is_symlink() {
        Err(Refusal::Link)
    } else if t.is_file() {
        Ok(())
    } else if t.is_dir() {
        Err(Refusal::Special("a folder"))
    } else {
        Err(Refusal::Special(special_kind(t)))
    }
}

/// Reads a text file into `s.content`, or reports why not.
fn read_text(s: &mut SiteSources, rel: String, path: &Path, limit: u64, diags: &mut Diagnostics) {
    match read_regular(path, limit).and_then(|b| String::from_utf8(b).map_err(|_| Refusal::NotUtf8))
    {
        Ok(text) => s.content.push(SourceText { path: rel, text }),
        Err(r) => refuse(s, rel, r, limit, diags),
    }
}

fn refuse(s: &mut SiteSources, rel: String, r: Refusal, limit: u64, diags: &mut Diagnostics) {
    r.report(&rel, limit, diags);
    s.refused.insert(rel);
}

/// What is at a folder's path.
enum Folder {
    Missing,
    Present,
    /// Reported: not a folder (a link, a file, a pipe...).
    Refused,
}

/// Checks that `path`, if it exists, is a real folder; reports it otherwise.
fn folder(s: &mut SiteSources, rel: &str, path: &Path, diags: &mut Diagnostics) -> Folder {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Folder::Missing;
    };
    let t = meta.file_type();
    if t.is_dir() {
        return Folder::Present;
    }
    let (message, hint) = if t.is_symlink() {
        (
            "symbolic links are not followed in a site folder".to_string(),
            "copy the files in instead of linking them",
        )
    } else {
        let kind = if t.is_file() {
            "a file"
        } else {
            special_kind(t)
        };
        (
            format!("this should be a folder, but it is {kind}"),
            "replace it with a folder",
        )
    };
    diags.error_in(rel, message, Some(hint.into()));
    s.refused.insert(rel.to_string());
    Folder::Refused
}

/// Reads a site folder. Unreadable files, non-UTF-8 text, files over their size limit,
/// symbolic links and special files are reported, never followed or opened.
pub fn read_site(root: &Path, diags: &mut Diagnostics) -> SiteSources {
    let mut s = SiteSources::default();
    let content = root.join("content");
    match folder(&mut s, "content", &content, diags) {
        Folder::Present => {}
        Folder::Refused => return s,
        Folder::Missing => {
            diags.error_in(
                "content/",
                format!("no content folder in {}", root.display()),
                Some(
                    "run `vmo build` in a site folder, or pass it: `vmo build path/to/site`".into(),
                ),
            );
            return s;
        }
    }
    let portfolio = content.join("portfolio.toml");
    if std::fs::symlink_metadata(&portfolio).is_ok() {
        read_text(
            &mut s,
            "content/portfolio.toml".into(),
            &portfolio,
            limits::SETTINGS,
            diags,
        );
    }
    for sub in ["initiatives", "reports", "flow"] {
        let rel_dir = format!("content/{sub}");
        let dir = content.join(sub);
        if !matches!(folder(&mut s, &rel_dir, &dir, diags), Folder::Present) {
            continue;
        }
        for (name, path) in list_files(&mut s, &dir, &rel_dir, false, diags) {
            let rel = format!("{rel_dir}/{name}");
            if rel.ends_with(".md") {
                read_text(&mut s, rel, &path, limits::MARKDOWN, diags);
            } else if sub == "flow" && rel.ends_with(".toml") {
                read_text(&mut s, rel, &path, limits::FLOW, diags);
            } else if !name.starts_with('.') {
                diags.error_in(
                    &rel,
                    "only Markdown files (.md) belong here",
                    Some("rename it to end in .md, or move it out of content/".into()),
                );
            }
        }
    }
    s.content.sort_by(|a, b| a.path.cmp(&b.path));
    for (rel, path) in [
        ("themes", root.join("themes")),
        ("themes/default", root.join("themes/default")),
    ] {
        if !matches!(folder(&mut s, rel, &path, diags), Folder::Present) {
            return s;
        }
    }
    let theme = root.join("themes/default");
    let templates = theme.join("templates");
    if matches!(
        folder(&mut s, "themes/default/templates", &templates, diags),
        Folder::Present
    ) {
        for (rel, path) in list_files(&mut s, &templates, "themes/default/templates", true, diags) {
            let full = format!("{TEMPLATES}{rel}");
            match read_regular(&path, limits::TEMPLATE)
                .and_then(|b| String::from_utf8(b).map_err(|_| Refusal::NotUtf8))
            {
                Ok(t) => {
                    s.templates.insert(rel, t);
                }
                Err(r) => refuse(&mut s, full, r, limits::TEMPLATE, diags),
            }
        }
    }
    let statics = theme.join("static");
    if matches!(
        folder(&mut s, "themes/default/static", &statics, diags),
        Folder::Present
    ) {
        for (rel, path) in list_files(&mut s, &statics, "themes/default/static", true, diags) {
            match read_regular(&path, limits::STATIC) {
                Ok(b) => {
                    s.static_files.insert(rel, b);
                }
                Err(r) => refuse(
                    &mut s,
                    format!("themes/default/static/{rel}"),
                    r,
                    limits::STATIC,
                    diags,
                ),
            }
        }
    }
    s
}

/// Regular files in `dir` (and below it when `recursive`), as (path relative to `dir`
/// with `/`, full path), sorted. `site_rel` is `dir` relative to the site folder, for
/// diagnostics. Links and special files are reported and skipped: content must live
/// inside the site. In content folders (not `recursive`), hidden entries (a name that
/// starts with a dot) other than regular files are skipped unopened (editors keep lock
/// files there as links), and a subfolder is reported once: its files would otherwise be ids that clash
/// with the files above them.
fn list_files(
    s: &mut SiteSources,
    dir: &Path,
    site_rel: &str,
    recursive: bool,
    diags: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diags.error_in(site_rel, format!("cannot list the folder: {e}"), None);
            s.refused.insert(site_rel.to_string());
            return out;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let full = format!("{site_rel}/{name}");
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        let t = meta.file_type();
        if !recursive && name.starts_with('.') && !t.is_file() {
            continue;
        }
        if t.is_symlink() {
            refuse(s, full, Refusal::Link, 0, diags);
        } else if t.is_dir() && recursive {
            for (rel, path) in list_files(s, &e.path(), &full, recursive, diags) {
                out.push((format!("{name}/{rel}"), path));
            }
        } else if t.is_dir() {
            diags.error_in(
                &full,
                "content in subfolders is not read",
                Some(format!("move its files up into {site_rel}/")),
            );
            s.refused.insert(full);
        } else if t.is_file() {
            out.push((name, e.path()));
        } else {
            refuse(s, full, Refusal::Special(special_kind(t)), 0, diags);
        }
    }
    out
}

/// What [`refresh`] did with the paths it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refreshed {
    /// Each path was read again (or dropped, when it no longer exists).
    Files,
    /// The whole site was read again: a path was not one input file, a folder on its
    /// way was not a real folder, a file could not be read, or an earlier read had
    /// refused a file (its diagnostic must be reported again).
    Site,
}

/// Brings `s` (read from `root` by [`read_site`]) up to date after the files at
/// `changed` (site-relative, `/`-separated) were created, edited or deleted. A path
/// that names one input file is read again with the same checks as [`read_site`];
/// anything else reads the whole site again, so the result is always what
/// [`read_site`] would give now.
pub fn refresh(
    root: &Path,
    s: &mut SiteSources,
    changed: &[String],
    diags: &mut Diagnostics,
) -> Refreshed {
    // A path that fails part-way leaves `s` half updated: the whole read replaces it.
    if s.refused.is_empty() && changed.iter().all(|rel| refresh_file(root, s, rel)) {
        return Refreshed::Files;
    }
    *s = read_site(root, diags);
    Refreshed::Site
}

/// What kind of input `rel` is, if it is one input file: its limit and where it goes.
enum Input<'a> {
    Content(u64),
    Template(&'a str),
    Static(&'a str),
}

fn input_kind(rel: &str) -> Option<Input<'_>> {
    let plain = |name: &str| !name.is_empty() && !name.starts_with('.') && !name.contains('/');
    if rel == "content/portfolio.toml" {
        return Some(Input::Content(limits::SETTINGS));
    }
    for (dir, ext, limit) in [
        ("content/initiatives/", ".md", limits::MARKDOWN),
        ("content/reports/", ".md", limits::MARKDOWN),
        ("content/flow/", ".toml", limits::FLOW),
    ] {
        if let Some(name) = rel.strip_prefix(dir) {
            return (plain(name) && name.ends_with(ext)).then_some(Input::Content(limit));
        }
    }
    let nested = |r: &str| {
        !r.is_empty()
            && r.split('/')
                .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\\'))
    };
    if let Some(r) = rel.strip_prefix(TEMPLATES) {
        return nested(r).then_some(Input::Template(r));
    }
    if let Some(r) = rel.strip_prefix("themes/default/static/") {
        return nested(r).then_some(Input::Static(r));
    }
    None
}

/// Whether `key` is a file below the folder `dir` (both relative, `/`-separated).
fn is_below(key: &str, dir: &str) -> bool {
    key.strip_prefix(dir)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Reads `rel` again into `s`; false when only a whole read gives [`read_site`]'s
/// answer.
fn refresh_file(root: &Path, s: &mut SiteSources, rel: &str) -> bool {
    let Some(kind) = input_kind(rel) else {
        return false;
    };
    // Every folder on the way must be a real folder, as a whole read requires.
    let mut dir = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        dir.push(part);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            _ => return false,
        }
    }
    let path = root.join(rel);
    let exists = match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => true,
        Ok(_) => return false,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(_) => return false,
    };
    match kind {
        Input::Content(limit) => {
            let at = s.content.binary_search_by(|f| f.path.as_str().cmp(rel));
            if let Ok(k) = at {
                s.content.remove(k);
            }
            if exists {
                let Ok(text) = read_regular(&path, limit)
                    .and_then(|b| String::from_utf8(b).map_err(|_| Refusal::NotUtf8))
                else {
                    return false;
                };
                let k = at.unwrap_or_else(|k| k);
                s.content.insert(
                    k,
                    SourceText {
                        path: rel.to_string(),
                        text,
                    },
                );
            }
        }
        // A folder of templates or static files that went away is one path with files
        // below it: only a whole read drops them all.
        Input::Template(name) if s.templates.keys().any(|k| is_below(k, name)) => return false,
        Input::Static(name) if s.static_files.keys().any(|k| is_below(k, name)) => return false,
        Input::Template(name) => {
            s.templates.remove(name);
            if exists {
                let Ok(text) = read_regular(&path, limits::TEMPLATE)
                    .and_then(|b| String::from_utf8(b).map_err(|_| Refusal::NotUtf8))
                else {
                    return false;
                };
                s.templates.insert(name.to_string(), text);
            }
        }
        Input::Static(name) => {
            s.static_files.remove(name);
            if exists {
                let Ok(bytes) = read_regular(&path, limits::STATIC) else {
                    return false;
                };
                s.static_files.insert(name.to_string(), bytes);
            }
        }
    }
    true
}
