//! The pipeline, end to end (see the crate docs for the steps).

use crate::analysis::{self, Analysis};
use crate::content::Content;
use crate::diagnostics::Diagnostics;
use crate::output::{LockError, OutputError};
use crate::render::Site;
use crate::{content, output, render, source};
use source::SiteSources;
use std::path::{Path, PathBuf};

/// What `vmo build` was asked to do.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub site_dir: PathBuf,
    pub out_dir: Option<PathBuf>,
    pub base_url: Option<String>,
}

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum BuildError {
    /// The command line asks for something unsafe or invalid; nothing was written
    /// (`vmo` exits with status 2).
    Usage(String),
    /// The content has errors: the diagnostics say which.
    Content(Diagnostics),
    /// Another build is writing the same output folder.
    Locked(LockError),
    /// Writing the output failed: the path and what was being done.
    Io(OutputError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Usage(m) => f.write_str(m),
            BuildError::Content(d) => write!(f, "the content has {} problem(s)", d.iter().count()),
            BuildError::Locked(e) => e.fmt(f),
            BuildError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for BuildError {}

/// One run of stages 1 to 4: the site when there was no error, every diagnostic, and
/// the sources as read, against which the diagnostics are shown.
#[derive(Debug, Default)]
pub struct Checked {
    pub site: Option<Site>,
    pub diagnostics: Diagnostics,
    pub sources: SiteSources,
}

/// Stages 1 to 3: the sources as read, every diagnostic so far, and the checked content
/// with its analysis when there was no error. `base_url` (already checked with
/// [`content::base_url::check`]) overrides the settings.
fn analysed(
    site_dir: &Path,
    base_url: Option<&str>,
) -> (SiteSources, Diagnostics, Option<(Content, Analysis)>) {
    let mut diags = Diagnostics::new();
    let t = std::time::Instant::now();
    let sources = source::read_site(site_dir, &mut diags);
    render::timing("read", t);
    let t = std::time::Instant::now();
    let content = content::load(&sources, &mut diags);
    render::timing("load and check", t);
    let ready = match content {
        Some(mut content) if !diags.has_errors() => {
            if let Some(url) = base_url {
                content.portfolio.settings.base_url = url.to_string();
            }
            let t = std::time::Instant::now();
            let analysis = analysis::analyse(&content, &mut analysis::Memo::default());
            render::timing("analyse", t);
            Some((content, analysis))
        }
        _ => None,
    };
    (sources, diags, ready)
}

/// Reads, checks and renders a site in memory, writing nothing. `base_url` (already
/// checked with [`content::base_url::check`]) overrides the settings.
pub fn check(site_dir: &Path, base_url: Option<&str>) -> Checked {
    let (sources, mut diags, ready) = analysed(site_dir, base_url);
    let site =
        ready.and_then(
            |(content, analysis)| match render::render(&content, &analysis, &sources) {
                Ok(site) => Some(site),
                Err(render_diags) => {
                    diags.extend(render_diags);
                    None
                }
            },
        );
    Checked {
        site,
        diagnostics: diags,
        sources,
    }
}

/// What `vmo check` found: how many files a build would write (none when it would
/// fail), every diagnostic, and the sources they are shown against.
#[derive(Debug, Default)]
pub struct Validated {
    pub files: Option<usize>,
    pub diagnostics: Diagnostics,
    pub sources: SiteSources,
}

/// Reads, checks and renders a site, counting the files and keeping none, so a check
/// of a large portfolio holds no more than a build does.
pub fn validate(site_dir: &Path) -> Validated {
    let (sources, mut diagnostics, ready) = analysed(site_dir, None);
    let files = ready.and_then(|(content, analysis)| {
        let count = render::Count::default();
        match render::render_into(&content, &analysis, &sources, &count) {
            Ok(()) => Some(count.files()),
            Err(render::RenderError::Content(d)) => {
                diagnostics.extend(d);
                None
            }
            // Counting cannot fail.
            Err(render::RenderError::Io(_)) => None,
        }
    });
    Validated {
        files,
        diagnostics,
        sources,
    }
}

/// [`check`], returning only the site and the diagnostics.
pub fn check_site(site_dir: &Path, base_url: Option<&str>) -> (Option<Site>, Diagnostics) {
    let c = check(site_dir, base_url);
    (c.site, c.diagnostics)
}

/// What a build did: the output folder written (or why not), every diagnostic (the
/// warnings of a successful build too) and the sources they are shown against.
#[derive(Debug)]
pub struct BuildReport {
    pub result: Result<PathBuf, BuildError>,
    pub diagnostics: Diagnostics,
    pub sources: SiteSources,
}

/// An output folder ready to be written: checked, locked, and recovered from what an
/// interrupted run left.
pub(crate) struct Prepared {
    /// The output folder as asked for.
    pub out: PathBuf,
    /// It resolved ([`output::check_target`]).
    pub target: PathBuf,
    pub lock: output::OutputLock,
    /// `--base-url`, checked.
    pub base_url: Option<String>,
}

/// Checks `--base-url` and the output folder, takes the lock and recovers; nothing is
/// read or written before (a refusal is a usage error).
pub(crate) fn prepare(opts: &BuildOptions) -> Result<Prepared, BuildError> {
    let base_url = match opts.base_url.as_deref().map(content::base_url::check) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(why)) => return Err(BuildError::Usage(format!("--base-url: {why}"))),
    };
    let out = opts
        .out_dir
        .clone()
        .unwrap_or_else(|| opts.site_dir.join("public"));
    let target =
        output::check_target(&opts.site_dir, &out).map_err(|e| BuildError::Usage(e.to_string()))?;
    let lock = output::lock(&target, output::LOCK_WAIT).map_err(BuildError::Locked)?;
    output::recover(&target, &lock).map_err(BuildError::Io)?;
    Ok(Prepared {
        out,
        target,
        lock,
        base_url,
    })
}

/// Builds a site and writes it atomically. Before anything is read, the output folder is
/// checked ([`output::check_target`]) and locked; what interrupted runs left beside it
/// is then put back or removed, even when the build goes on to fail.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let Prepared {
        out,
        target,
        lock,
        base_url,
    } = match prepare(opts) {
        Ok(p) => p,
        Err(e) => {
            return BuildReport {
                result: Err(e),
                diagnostics: Diagnostics::new(),
                sources: SiteSources::default(),
            };
        }
    };
    let (sources, mut diagnostics, ready) = analysed(&opts.site_dir, base_url.as_deref());
    let result = match ready {
        None => Err(BuildError::Content(diagnostics.clone())),
        Some((content, analysis)) => {
            // Each page is written into the staging folder as it is rendered; the folder
            // is swapped in only once the whole site is written, and removed otherwise.
            let t = std::time::Instant::now();
            let written = output::Staging::new(&target, &lock)
                .map_err(BuildError::Io)
                .and_then(|staging| {
                    match render::render_into(&content, &analysis, &sources, &staging) {
                        Ok(()) => staging.commit().map_err(BuildError::Io),
                        Err(render::RenderError::Io(e)) => Err(BuildError::Io(e)),
                        Err(render::RenderError::Content(d)) => {
                            diagnostics.extend(d);
                            Err(BuildError::Content(diagnostics.clone()))
                        }
                    }
                });
            render::timing("render and write", t);
            written.map(|()| out)
        }
    };
    BuildReport {
        result,
        diagnostics,
        sources,
    }
}

/// [`build`], returning the output folder and the warnings, or why it failed.
pub fn build_site(opts: &BuildOptions) -> Result<(PathBuf, Diagnostics), BuildError> {
    let report = build(opts);
    report.result.map(|out| (out, report.diagnostics))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_check_counts_the_files_a_build_writes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let site = super::check(&root, None).site.expect("the sample builds");
        assert_eq!(super::validate(&root).files, Some(site.files.len()));
    }
}
