//! Rebuilding after a change: a [`Session`] keeps what a build read and computed, so
//! "these files changed" re-reads only them, simulates only the initiatives whose inputs
//! changed ([`analysis::Memo`]), renders only the pages whose key changed
//! ([`render::render_changed`]) and writes only the files whose bytes changed
//! ([`output::Patch`]). The output is byte for byte what a full build of the same
//! sources writes (tested). `vmo serve` is its user.

use crate::analysis::{self, Memo};
use crate::build::{BuildError, BuildOptions};
use crate::content;
use crate::diagnostics::Diagnostics;
use crate::output::{self, Applied, OutputLock, Written};
use crate::render::{self, PageKeys};
use crate::source::{self, Refreshed, SiteSources};
use std::path::{Path, PathBuf};

/// A site folder and its output folder, built once and then kept up to date. The
/// output folder is locked for as long as the session lives.
#[derive(Debug)]
pub struct Session {
    site_dir: PathBuf,
    target: PathBuf,
    base_url: Option<String>,
    lock: OutputLock,
    sources: SiteSources,
    memo: Memo,
    /// The output folder's files as this session last left them; empty until a build
    /// succeeded (the next one is then a whole build, swapped in).
    written: Written,
    keys: PageKeys,
    reuse: render::Reuse,
    /// Whether the last read reported an error: the next reads the whole site, so
    /// that every error of the sources is reported again until it is mended.
    read_failed: bool,
}

/// What one (re)build changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Update {
    /// Files written and removed in the output folder.
    pub files: Applied,
    /// Whether the whole site was read again, or only the changed files.
    pub whole_read: bool,
    /// Initiatives simulated (the others came from the memo).
    pub analysed: usize,
    /// Pages rendered (the others were unchanged).
    pub pages_rendered: usize,
    /// Every file of the site.
    pub site_files: usize,
}

/// A (re)build's result and every diagnostic (the warnings of a success too), shown
/// against [`Session::sources`].
#[derive(Debug)]
pub struct Outcome {
    pub result: Result<Update, BuildError>,
    pub diagnostics: Diagnostics,
}

impl Session {
    /// Checks and locks the output folder, as `vmo build` does (a refused folder or a
    /// held lock is an error); builds nothing yet.
    pub fn open(opts: &BuildOptions) -> Result<Session, BuildError> {
        let crate::build::Prepared {
            target,
            lock,
            base_url,
            ..
        } = crate::build::prepare(opts)?;
        Ok(Session {
            site_dir: opts.site_dir.clone(),
            target,
            base_url,
            lock,
            sources: SiteSources::default(),
            memo: Memo::default(),
            written: Written::new(),
            keys: PageKeys::new(),
            reuse: Default::default(),
            read_failed: false,
        })
    }

    /// The output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The sources as last read: the diagnostics are shown against them.
    pub fn sources(&self) -> &SiteSources {
        &self.sources
    }

    /// Reads and builds the whole site, swapped in atomically as `vmo build` does.
    pub fn build(&mut self) -> Outcome {
        let mut diagnostics = Diagnostics::new();
        self.sources = source::read_site(&self.site_dir, &mut diagnostics);
        self.written.clear();
        self.keys.clear();
        self.run(diagnostics, true)
    }

    /// Brings the output up to date after the files at `changed` (paths inside the site
    /// folder, relative to it or not) were created, edited or deleted. Before a first
    /// successful build, or when a path is not one input file, it reads the whole site;
    /// before a first successful build it also writes the whole site.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Outcome {
        if self.written.is_empty() {
            return self.build();
        }
        let rel: Option<Vec<String>> = changed
            .iter()
            .map(|p| self.relative(p))
            .collect::<Option<_>>()
            .filter(|_| !self.read_failed);
        let mut diagnostics = Diagnostics::new();
        let whole = match rel {
            Some(rel) => {
                source::refresh(&self.site_dir, &mut self.sources, &rel, &mut diagnostics)
                    == Refreshed::Site
            }
            None => {
                self.sources = source::read_site(&self.site_dir, &mut diagnostics);
                true
            }
        };
        self.run(diagnostics, whole)
    }

    /// `path` relative to the site folder with `/` separators, when it is inside it.
    fn relative(&self, path: &Path) -> Option<String> {
        let rel = if path.is_absolute() {
            let site = std::path::absolute(&self.site_dir).ok()?;
            path.strip_prefix(site).ok()?.to_path_buf()
        } else {
            path.to_path_buf()
        };
        let parts: Option<Vec<&str>> = rel
            .components()
            .map(|c| match c {
                std::path::Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        parts.filter(|p| !p.is_empty()).map(|p| p.join("/"))
    }

    /// Stages 2 to 5 on the sources as read.
    fn run(&mut self, mut diagnostics: Diagnostics, whole_read: bool) -> Outcome {
        self.read_failed = diagnostics.has_errors();
        let failed = |e: BuildError, diagnostics| Outcome {
            result: Err(e),
            diagnostics,
        };
        let t = std::time::Instant::now();
        let content = content::load(&self.sources, &mut diagnostics);
        render::timing("load and check", t);
        let mut content = match content {
            Some(c) if !diagnostics.has_errors() => c,
            _ => return failed(BuildError::Content(diagnostics.clone()), diagnostics),
        };
        if let Some(url) = &self.base_url {
            content.portfolio.settings.base_url = url.clone();
        }
        let t = std::time::Instant::now();
        let analysis = analysis::analyse(&content, &mut self.memo);
        render::timing("analyse", t);
        let analysed = self.memo.computed;
        let t = std::time::Instant::now();
        let outcome = if self.written.is_empty() {
            self.whole(&content, &analysis)
        } else {
            match self.patch(&content, &analysis) {
                // The folder may be part-way through the change: written whole again.
                Err(render::RenderError::Io(_)) => {
                    self.written.clear();
                    self.keys.clear();
                    self.whole(&content, &analysis)
                }
                done => done,
            }
        };
        render::timing("render and write", t);
        match outcome {
            Ok((files, pages_rendered, site_files)) => Outcome {
                result: Ok(Update {
                    files,
                    whole_read,
                    analysed,
                    pages_rendered,
                    site_files,
                }),
                diagnostics,
            },
            Err(render::RenderError::Io(e)) => {
                // What is in the folder is unknown: the next build is whole.
                self.written.clear();
                self.keys.clear();
                failed(BuildError::Io(e), diagnostics)
            }
            Err(render::RenderError::Content(d)) => {
                diagnostics.extend(d);
                failed(BuildError::Content(diagnostics.clone()), diagnostics)
            }
        }
    }

    /// A whole build into a staging folder, swapped in.
    fn whole(
        &mut self,
        content: &content::Content,
        analysis: &analysis::Analysis,
    ) -> Result<(Applied, usize, usize), render::RenderError> {
        let staging =
            output::Staging::new(&self.target, &self.lock).map_err(render::RenderError::Io)?;
        let recording = output::Recording {
            inner: &staging,
            record: Default::default(),
        };
        let rendered = render::render_changed(
            content,
            analysis,
            &self.sources,
            &recording,
            &PageKeys::new(),
            &self.reuse,
        )?;
        let record = recording
            .record
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        staging.commit().map_err(render::RenderError::Io)?;
        let mut written: Vec<String> = record.keys().cloned().collect();
        written.sort();
        self.written = record;
        self.keys = rendered.keys;
        Ok((
            Applied {
                written,
                removed: Vec::new(),
            },
            rendered.pages_rendered,
            rendered.paths.len(),
        ))
    }

    /// Only what changed, moved into the site in place.
    fn patch(
        &mut self,
        content: &content::Content,
        analysis: &analysis::Analysis,
    ) -> Result<(Applied, usize, usize), render::RenderError> {
        let patch = output::Patch::new(&self.target, &self.written, &self.lock)
            .map_err(render::RenderError::Io)?;
        let rendered = render::render_changed(
            content,
            analysis,
            &self.sources,
            &patch,
            &self.keys,
            &self.reuse,
        )?;
        let (applied, record) = patch
            .apply(&rendered.paths)
            .map_err(render::RenderError::Io)?;
        self.written = record;
        self.keys = rendered.keys;
        Ok((applied, rendered.pages_rendered, rendered.paths.len()))
    }
}
