//! The pipeline, end to end (see the crate docs for the steps).

use crate::diagnostics::Diagnostics;
use crate::render::Site;
use crate::{content, output, render, source};
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
    /// The content has errors: the diagnostics say which.
    Content(Diagnostics),
    /// Writing the output failed.
    Io(std::io::Error),
}

/// Reads, checks and renders a site in memory, writing nothing.
pub fn check_site(site_dir: &Path, base_url: Option<&str>) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let t = std::time::Instant::now();
    let sources = source::read_site(site_dir, &mut diags);
    render::timing("read", t);
    let t = std::time::Instant::now();
    let Some(mut content) = content::load(&sources, &mut diags) else {
        return (None, diags);
    };
    render::timing("load and check", t);
    if let Some(url) = base_url {
        content.portfolio.settings.base_url = url.to_string();
    }
    if diags.has_errors() {
        return (None, diags);
    }
    let t = std::time::Instant::now();
    let analysis = vmo_core::analyse(&content.portfolio);
    render::timing("analyse", t);
    match render::render(&content, &analysis, &sources) {
        Ok(site) => (Some(site), diags),
        Err(render_diags) => {
            diags.extend(render_diags);
            (None, diags)
        }
    }
}

/// Builds a site and writes it atomically. Returns the warnings of a successful build.
pub fn build_site(opts: &BuildOptions) -> Result<(PathBuf, Diagnostics), BuildError> {
    let out = opts
        .out_dir
        .clone()
        .unwrap_or_else(|| opts.site_dir.join("public"));
    output::recover(&out).map_err(BuildError::Io)?;
    let (site, diags) = check_site(&opts.site_dir, opts.base_url.as_deref());
    let Some(site) = site else {
        return Err(BuildError::Content(diags));
    };
    output::write_atomically(&site, &out).map_err(BuildError::Io)?;
    Ok((out, diags))
}
