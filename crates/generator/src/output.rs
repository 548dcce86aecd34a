//! Stage 5, output: the rendered [`Site`] is written into a temporary folder beside the
//! target and swapped in only when every file is written. A failed build leaves the
//! previous site untouched; stray temporary folders of earlier runs are removed.

use crate::render::Site;
use std::io;
use std::path::{Component, Path, PathBuf};

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

/// The name prefix of every temporary folder beside `target`: `.NAME.vmo-`.
fn stray_prefix(target: &Path) -> io::Result<String> {
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the output folder has no name")
    })?;
    Ok(format!(".{}.vmo-", name.to_string_lossy()))
}

/// This run's temporary folder of kind `tag` (`tmp`, `old`) beside `target`.
fn sibling(target: &Path, tag: &str) -> io::Result<PathBuf> {
    let parent = target.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(parent.join(format!(
        "{}{tag}-{}",
        stray_prefix(target)?,
        std::process::id()
    )))
}

fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes temporary folders left by interrupted runs for this target.
fn clean_strays(target: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent_dir(target)) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        if e.file_name().to_string_lossy().starts_with(prefix) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Makes `target` ready for a build, whatever an interrupted run left behind: when a run
/// was killed between its two renames (the previous site set aside as `.NAME.vmo-old-PID`,
/// the new one not yet in place), the previous site is put back; then the temporary
/// folders of interrupted runs are removed. `vmo build` calls it first, so even a build
/// that then fails leaves the previous site in place and no strays.
pub fn recover(target: &Path) -> io::Result<()> {
    let prefix = stray_prefix(target)?;
    if std::fs::symlink_metadata(target).is_err() {
        let old_prefix = format!("{prefix}old-");
        let newest = std::fs::read_dir(parent_dir(target))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&old_prefix))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .max();
        if let Some((_, old)) = newest {
            std::fs::rename(old, target)?;
        }
    }
    clean_strays(target, &prefix);
    Ok(())
}

/// Writes `site` to `target`, atomically replacing what was there. Call [`recover`]
/// first (`build_site` does, before rendering), so that what an interrupted run left
/// behind is put back or removed.
pub fn write_atomically(site: &Site, target: &Path) -> io::Result<()> {
    let tmp = sibling(target, "tmp")?;
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let result = (|| {
        std::fs::create_dir_all(&tmp)?;
        for f in &site.files {
            if !is_safe_relative(&f.path) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("refusing to write outside the output folder: {}", f.path),
                ));
            }
            let dest = tmp.join(&f.path);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&dest, &f.bytes)?;
        }
        if target.exists() {
            let meta = std::fs::symlink_metadata(target)?;
            if !meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a folder", target.display()),
                ));
            }
            let old = sibling(target, "old")?;
            std::fs::rename(target, &old)?;
            if let Err(e) = std::fs::rename(&tmp, target) {
                let _ = std::fs::rename(&old, target);
                return Err(e);
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&tmp, target)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
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
