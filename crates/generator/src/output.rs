//! Stage 5, output: the site is written into a temporary folder beside the target as
//! it is rendered ([`Staging`]) and swapped in only when every file is written. A
//! failed build leaves the previous site untouched; stray temporary folders of earlier
//! runs are removed.
//!
//! The output folder is ours alone: [`check_target`] refuses any folder whose
//! replacement would lose the user's files, [`lock`] lets one build at a time write it,
//! and every failure names the path and what was being done to it ([`OutputError`]).

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

/// Whether an output path is a plain relative path that stays inside the output folder.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(s) if !s.is_empty()))
}

/// The file every folder written by `vmo build` carries. A build replaces an existing,
/// non-empty output folder only when it has this file, so a mistyped `--out` cannot
/// replace a folder that is not a site built by vmo.
pub const MARKER: &str = ".vmo-site";

const MARKER_TEXT: &str = "This folder was written by `vmo build`: the next build replaces it whole.\n\
Do not keep files of your own here.\n";

/// How long a build waits for another build of the same output folder to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// A failed operation on the file system: what was being done, to which path, and why.
#[derive(Debug)]
pub struct OutputError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.action,
            crate::diagnostics::escape_path(&self.path),
            self.source
        )
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Attaches what was being done, and to which path, to an I/O result.
fn at<T>(r: io::Result<T>, action: &'static str, path: &Path) -> Result<T, OutputError> {
    r.map_err(|source| OutputError {
        action,
        path: path.to_path_buf(),
        source,
    })
}

/// Why an output folder is refused before anything is written: a usage error.
#[derive(Debug)]
pub struct UnsafeOutput {
    pub message: String,
    pub hint: String,
}

impl fmt::Display for UnsafeOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  hint: {}", self.message, self.hint)
    }
}

impl std::error::Error for UnsafeOutput {}

/// `path` made absolute, with every existing part resolved (links followed, `..`
/// applied) and the missing rest appended as written; `.` and `..` in the missing
/// rest are applied by name, as creating the folders would.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                if exists {
                    match std::fs::canonicalize(&out) {
                        Ok(real) => out = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Checks that `out` may be the output folder of the site in `site_dir`, and returns it
/// resolved. Refused: the file-system root, the home folder and the folders that contain
/// it, the site folder and the folders that contain it, anything inside the site's
/// `content/`, `themes/` or `.git/`, a symbolic link, something that is not a folder,
/// and a non-empty folder that a build of vmo did not write (it has no [`MARKER`]).
pub fn check_target(site_dir: &Path, out: &Path) -> Result<PathBuf, UnsafeOutput> {
    let shown = crate::diagnostics::escape_path(out);
    let refuse = |why: String, hint: &str| UnsafeOutput {
        message: format!("refusing to write the site to {shown}: {why}"),
        hint: hint.to_string(),
    };
    const ELSEWHERE: &str = "pass --out a new or empty folder of its own, such as SITE_DIR/public";
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse(
            "it is a symbolic link, and the build replaces the folder it names".into(),
            "pass --out the real folder, not a link to it",
        ));
    }
    let target = resolve(out).map_err(|e| refuse(format!("cannot resolve it ({e})"), ELSEWHERE))?;
    if target.parent().is_none() {
        return Err(refuse(
            "it is the root of the file system".into(),
            ELSEWHERE,
        ));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && let Ok(home) = resolve(Path::new(&home))
        && home.starts_with(&target)
    {
        let what = if home == target {
            "it is your home folder".to_string()
        } else {
            format!(
                "it contains your home folder ({})",
                crate::diagnostics::escape_path(&home)
            )
        };
        return Err(refuse(what, ELSEWHERE));
    }
    if let Ok(site) = resolve(site_dir) {
        if site.starts_with(&target) {
            let what = if site == target {
                "it is the site folder itself"
            } else {
                "it contains the site folder"
            };
            return Err(refuse(
                format!("{what}, so the build would replace your content"),
                ELSEWHERE,
            ));
        }
        for inner in ["content", "themes", ".git"] {
            if target.starts_with(site.join(inner)) {
                return Err(refuse(
                    format!(
                        "it is inside the site's {inner}/ folder, which holds your {}",
                        if inner == ".git" {
                            "history"
                        } else {
                            "sources"
                        }
                    ),
                    ELSEWHERE,
                ));
            }
        }
    }
    match std::fs::symlink_metadata(&target) {
        Err(_) => Ok(target),
        Ok(meta) if !meta.is_dir() => Err(refuse(
            "it exists and is not a folder".into(),
            "remove it, or pass --out another path",
        )),
        Ok(_) => {
            let mut entries = std::fs::read_dir(&target)
                .map_err(|e| refuse(format!("cannot list it ({e})"), ELSEWHERE))?;
            let empty = entries.next().is_none();
            let built = std::fs::symlink_metadata(target.join(MARKER)).is_ok_and(|m| m.is_file());
            if empty || built {
                Ok(target)
            } else {
                Err(refuse(
                    format!(
                        "it is a folder with files that vmo did not write (it has no {MARKER} file), \
                         and the build replaces the whole folder"
                    ),
                    "pass --out a new or empty folder; or, if everything in it may go, empty it first",
                ))
            }
        }
    }
}

/// Holds the lock on one output folder for as long as it lives: one build writes an
/// output folder at a time. The lock is the file `.NAME.vmo-lock` beside the folder (it
/// stays there; the lock is released when the process ends, however it ends).
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

/// Why the output folder could not be locked.
#[derive(Debug)]
pub enum LockError {
    /// Another build holds the lock.
    Busy {
        lock: PathBuf,
        waited: Duration,
    },
    Io(OutputError),
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockError::Busy { lock, waited } => write!(
                f,
                "another vmo build is writing this output folder (it holds {}); \
                 waited {} s. Wait for it to finish, then build again",
                crate::diagnostics::escape_path(lock),
                waited.as_secs()
            ),
            LockError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LockError {}

/// Takes the lock on `target` (a resolved output folder), waiting up to `wait` for
/// another build to release it.
pub fn lock(target: &Path, wait: Duration) -> Result<OutputLock, LockError> {
    let parent = parent_dir(target);
    at(
        std::fs::create_dir_all(&parent),
        "creating the folder",
        &parent,
    )
    .map_err(LockError::Io)?;
    let path = parent.join(format!("{}lock", name_prefix(target)));
    let file = at(
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path),
        "opening the lock file",
        &path,
    )
    .map_err(LockError::Io)?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(OutputLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(LockError::Busy {
                    lock: path,
                    waited: start.elapsed(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(LockError::Io(OutputError {
                    action: "locking",
                    path,
                    source: e,
                }));
            }
        }
    }
}

/// `.NAME.vmo-`: the start of the name of everything a build keeps beside `target`.
fn name_prefix(target: &Path) -> String {
    let name = target.file_name().unwrap_or_default();
    format!(".{}.vmo-", name.to_string_lossy())
}

/// This run's temporary folder of kind `tag` (`tmp`, `old`) beside `target`.
fn sibling(target: &Path, tag: &str) -> PathBuf {
    parent_dir(target).join(format!(
        "{}{tag}-{}",
        name_prefix(target),
        std::process::id()
    ))
}

/// Whether `name` is a temporary folder of kind `tag` of some run for `target`.
fn is_sibling(target: &Path, tag: &str, name: &str) -> bool {
    name.strip_prefix(&name_prefix(target))
        .and_then(|rest| rest.strip_prefix(tag))
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The temporary folders of kind `tag` that earlier runs left beside `target`.
fn siblings(target: &Path, tag: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent_dir(target)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| is_sibling(target, tag, &e.file_name().to_string_lossy()))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Makes `target` ready for a build, whatever an interrupted run left behind: when a run
/// was killed between its two renames (the previous site set aside as `.NAME.vmo-old-PID`,
/// the new one not yet in place), the previous site is put back; then the temporary
/// folders of interrupted runs are removed. Call it holding the [`lock`]: no live run
/// then owns any of them. `vmo build` calls it first, so even a build that then fails
/// leaves the previous site in place and no strays.
pub fn recover(target: &Path, _lock: &OutputLock) -> Result<(), OutputError> {
    if std::fs::symlink_metadata(target).is_err() {
        let newest = siblings(target, "old")
            .into_iter()
            .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
            .max();
        if let Some((_, old)) = newest {
            at(
                std::fs::rename(&old, target),
                "putting back the previous site from",
                &old,
            )?;
        }
    }
    for stray in siblings(target, "tmp")
        .into_iter()
        .chain(siblings(target, "old"))
    {
        at(
            std::fs::remove_dir_all(&stray),
            "removing the temporary folder",
            &stray,
        )?;
    }
    Ok(())
}

/// A site being written: files go into `.NAME.vmo-tmp-PID` beside the target as they
/// are rendered (from any thread), and [`Staging::commit`] swaps the folder in once
/// every file is written. Dropped without a commit (a failed build), it removes the
/// temporary folder, so the previous site stays as it was.
#[derive(Debug)]
pub struct Staging {
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Starts writing `target` (checked by [`check_target`]). Call [`recover`] first,
    /// holding the [`lock`] (`build` does, before rendering), so that what an
    /// interrupted run left behind is put back or removed.
    pub fn new(target: &Path, _lock: &OutputLock) -> Result<Staging, OutputError> {
        let staging = Staging {
            tmp: sibling(target, "tmp"),
            target: target.to_path_buf(),
            committed: false,
        };
        at(
            std::fs::create_dir_all(&staging.tmp),
            "creating the temporary folder",
            &staging.tmp,
        )?;
        at(
            std::fs::write(staging.tmp.join(MARKER), MARKER_TEXT),
            "writing",
            &staging.tmp.join(MARKER),
        )?;
        Ok(staging)
    }

    /// Writes one file of the site (a path refused by [`is_safe_relative`], or the
    /// marker's, is an error).
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        check_path(path)?;
        let dest = self.tmp.join(path);
        if let Some(dir) = dest.parent() {
            at(std::fs::create_dir_all(dir), "creating the folder", dir)?;
        }
        at(std::fs::write(&dest, bytes), "writing", &dest)
    }

    /// Swaps the written site in for the previous one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let (tmp, target) = (&self.tmp, &self.target);
        match std::fs::symlink_metadata(target) {
            Ok(meta) => {
                if !meta.is_dir() {
                    return Err(OutputError {
                        action: "replacing",
                        path: target.to_path_buf(),
                        source: io::Error::new(
                            io::ErrorKind::AlreadyExists,
                            "it exists and is not a folder",
                        ),
                    });
                }
                let old = sibling(target, "old");
                at(
                    std::fs::rename(target, &old),
                    "setting aside the previous site",
                    target,
                )?;
                if let Err(e) = std::fs::rename(tmp, target) {
                    let _ = std::fs::rename(&old, target);
                    return Err(OutputError {
                        action: "moving the new site into place at",
                        path: target.to_path_buf(),
                        source: e,
                    });
                }
                self.committed = true;
                // The new site is in place; a previous one that cannot be removed now is
                // a stray that the next build's `recover` removes.
                let _ = std::fs::remove_dir_all(&old);
            }
            Err(_) => {
                at(
                    std::fs::rename(tmp, target),
                    "moving the new site into place at",
                    target,
                )?;
                self.committed = true;
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, file: crate::render::OutputFile) -> Result<(), OutputError> {
        Staging::put(self, &file.path, &file.bytes)
    }

    fn put_parts(
        &self,
        path: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), OutputError> {
        check_path(path)?;
        write_parts(&self.tmp.join(path), parts, &mut |_| {})
    }
}

/// Refuses a path of the site that [`is_safe_relative`] refuses, or the marker's.
fn check_path(path: &str) -> Result<(), OutputError> {
    if is_safe_relative(path) && path != MARKER {
        return Ok(());
    }
    Err(OutputError {
        action: "refusing to write outside the output folder",
        path: PathBuf::from(path),
        source: io::Error::from(io::ErrorKind::InvalidInput),
    })
}

/// Writes `parts` in order into a new file at `dest` (its folder made), showing each
/// to `seen`.
fn write_parts(
    dest: &Path,
    parts: &mut dyn Iterator<Item = Vec<u8>>,
    seen: &mut dyn FnMut(&[u8]),
) -> Result<(), OutputError> {
    use std::io::Write;
    if let Some(dir) = dest.parent() {
        at(std::fs::create_dir_all(dir), "creating the folder", dir)?;
    }
    let mut file = io::BufWriter::new(at(std::fs::File::create(dest), "writing", dest)?);
    for part in parts {
        seen(&part);
        at(file.write_all(&part), "writing", dest)?;
    }
    at(file.flush(), "writing", dest)
}

/// The files of an output folder, by path, with the digest of the bytes in each.
pub type Written = std::collections::HashMap<String, crate::digest::Digest>;

/// A change to a site already in place (an incremental rebuild): each file whose bytes
/// differ from what `written` records is written into `.NAME.vmo-tmp-PID` beside the
/// target as it is rendered (from any thread), and [`Patch::apply`] moves them in one by
/// one and removes the files the site no longer has. Each file is replaced whole (a
/// rename), never written in place. Dropped without `apply` (a failed rebuild), it
/// removes the temporary folder and the site stays as it was.
#[derive(Debug)]
pub struct Patch<'a> {
    tmp: PathBuf,
    target: PathBuf,
    written: &'a Written,
    staged: std::sync::Mutex<Vec<(String, crate::digest::Digest)>>,
    applied: bool,
}

/// What [`Patch::apply`] changed in the output folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Files written (new or changed), sorted.
    pub written: Vec<String>,
    /// Files removed, sorted.
    pub removed: Vec<String>,
}

impl<'a> Patch<'a> {
    /// Starts a change to `target`, whose files are `written`. Hold the [`lock`].
    pub fn new(
        target: &Path,
        written: &'a Written,
        _lock: &OutputLock,
    ) -> Result<Patch<'a>, OutputError> {
        let tmp = sibling(target, "tmp");
        at(
            std::fs::create_dir_all(&tmp),
            "creating the temporary folder",
            &tmp,
        )?;
        Ok(Patch {
            tmp,
            target: target.to_path_buf(),
            written,
            staged: std::sync::Mutex::new(Vec::new()),
            applied: false,
        })
    }

    /// Moves the changed files into the site and removes those not in `paths` (every
    /// file of the new site); returns what it did and the new record of the folder.
    pub fn apply(mut self, paths: &[String]) -> Result<(Applied, Written), OutputError> {
        let mut staged =
            std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()));
        staged.sort_by(|a, b| a.0.cmp(&b.0));
        let mut record = self.written.clone();
        let keep: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
        let mut removed: Vec<String> = record
            .keys()
            .filter(|p| !keep.contains(p.as_str()))
            .cloned()
            .collect();
        removed.sort();
        let mut applied = Applied::default();
        // Removals first: a file may give way to a folder of the same name, or the other
        // way round, and on a case-insensitive disk `Logo.png` to `logo.png`.
        for path in removed {
            real_folders(&self.target, &path)?;
            let dest = self.target.join(&path);
            if std::fs::symlink_metadata(&dest).is_ok_and(|m| m.is_file()) {
                at(std::fs::remove_file(&dest), "removing", &dest)?;
            }
            // Folders the site no longer has (an initiative's), when they are empty.
            let mut dir = dest.parent();
            while let Some(d) = dir.filter(|d| *d != self.target) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
            record.remove(&path);
            applied.removed.push(path);
        }
        for (path, digest) in staged {
            let dest = self.target.join(&path);
            real_folders(&self.target, &path)?;
            if let Some(dir) = dest.parent() {
                at(std::fs::create_dir_all(dir), "creating the folder", dir)?;
            }
            at(
                std::fs::rename(self.tmp.join(&path), &dest),
                "moving into place",
                &dest,
            )?;
            record.insert(path.clone(), digest);
            applied.written.push(path);
        }
        self.applied = true;
        let _ = std::fs::remove_dir_all(&self.tmp);
        Ok((applied, record))
    }
}

/// Refuses a path of the site under `target` whose folders are not real folders (a link
/// there would take a write out of the output folder).
fn real_folders(target: &Path, path: &str) -> Result<(), OutputError> {
    check_path(path)?;
    let mut dir = target.to_path_buf();
    let parts: Vec<&str> = path.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        dir.push(part);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if !m.is_dir() => {
                return Err(OutputError {
                    action: "refusing to write through what is not a folder",
                    path: dir,
                    source: io::Error::from(io::ErrorKind::InvalidInput),
                });
            }
            _ => {}
        }
    }
    Ok(())
}

impl Drop for Patch<'_> {
    fn drop(&mut self) {
        if !self.applied {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

impl crate::render::Sink for Patch<'_> {
    fn put_parts(
        &self,
        path: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), OutputError> {
        check_path(path)?;
        // Written aside while digested; kept only when it differs from the site's.
        let dest = self.tmp.join(path);
        let mut d = crate::digest::Digester::default();
        write_parts(&dest, parts, &mut |b| d.bytes(b))?;
        let digest = d.finish();
        if self.written.get(path) == Some(&digest) {
            return at(std::fs::remove_file(&dest), "removing", &dest);
        }
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), digest));
        Ok(())
    }

    fn put(&self, file: crate::render::OutputFile) -> Result<(), OutputError> {
        let digest = crate::digest::Digest::of_bytes(&file.bytes);
        if self.written.get(&file.path) == Some(&digest) {
            return Ok(());
        }
        check_path(&file.path)?;
        let dest = self.tmp.join(&file.path);
        if let Some(dir) = dest.parent() {
            at(std::fs::create_dir_all(dir), "creating the folder", dir)?;
        }
        at(std::fs::write(&dest, &file.bytes), "writing", &dest)?;
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file.path, digest));
        Ok(())
    }
}

/// A sink that records the digest of every file it passes on (a session's first build,
/// so the next rebuild knows what the output folder holds).
#[derive(Debug)]
pub struct Recording<'a, S> {
    pub inner: &'a S,
    pub record: std::sync::Mutex<Written>,
}

impl<S: crate::render::Sink> crate::render::Sink for Recording<'_, S> {
    fn put_parts(
        &self,
        path: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), OutputError> {
        let mut d = crate::digest::Digester::default();
        let mut seen = parts.inspect(|b| d.bytes(b));
        self.inner.put_parts(path, &mut seen)?;
        drop(seen);
        self.record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), d.finish());
        Ok(())
    }

    fn put(&self, file: crate::render::OutputFile) -> Result<(), OutputError> {
        let digest = crate::digest::Digest::of_bytes(&file.bytes);
        let path = file.path.clone();
        self.inner.put(file)?;
        self.record
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, digest);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for p in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "C:/x",
            "a\\..\\b",
            "",
            "./a",
        ] {
            assert!(!is_safe_relative(p), "{p}");
        }
        assert!(is_safe_relative("initiatives/a/index.html"));
    }
}
