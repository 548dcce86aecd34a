//! Stage 4, render: content and analysis become every output file, in memory.
//!
//! [`plan`](pages::plan) lists the pages, each a template and a context; they render in
//! parallel; static assets and data downloads are added; the [`Site`] is sorted by path
//! so the output does not depend on the thread count.

pub mod bounds;
pub mod budget;
pub mod charts;
pub mod csp;
pub mod data;
pub mod decisions;
pub mod figures;
pub mod flow;
pub mod format;
pub mod markdown;
pub mod methods;
pub mod page_views;
pub mod pages;
pub mod paging;
pub mod tables;
pub mod template_errors;
pub mod templates;
pub mod uncertainty;
pub mod views;

use crate::analysis::Analysis;
use crate::content::Content;
use crate::diagnostics::Diagnostics;
use crate::digest::{Digest, Digester};
use crate::output::{OutputError, is_safe_relative};
use crate::source::SiteSources;
use pages::Page;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One file of the output site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The whole rendered site, sorted by path.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub files: Vec<OutputFile>,
}

impl Site {
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }
}

/// The Content-Security-Policy every page carries (and satisfies): no inline script or
/// style, scripts and wasm only from the site itself.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// Prints how long a stage took when `VMO_TIMINGS` is set (for profiling builds).
pub fn timing(stage: &str, since: std::time::Instant) {
    if timings_on() {
        eprintln!(
            "timing: {stage}: {:.1} ms",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

fn timings_on() -> bool {
    std::env::var_os("VMO_TIMINGS").is_some()
}

/// Time spent per template (keying, context and rendering), summed over threads, for
/// `VMO_TIMINGS`.
#[derive(Default)]
struct TemplateTimes(std::sync::Mutex<std::collections::BTreeMap<&'static str, (usize, f64)>>);

struct TemplateTimer<'a> {
    times: &'a TemplateTimes,
    template: &'static str,
    since: std::time::Instant,
}

impl TemplateTimes {
    fn start(&self, template: &'static str) -> TemplateTimer<'_> {
        TemplateTimer {
            times: self,
            template,
            since: std::time::Instant::now(),
        }
    }

    fn print(self) {
        let times = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        for (template, (n, ms)) in times {
            eprintln!("timing:   {template}: {n} pages, {ms:.1} ms (summed over threads)");
        }
    }
}

impl Drop for TemplateTimer<'_> {
    fn drop(&mut self) {
        let ms = self.since.elapsed().as_secs_f64() * 1000.0;
        let mut t = self.times.0.lock().unwrap_or_else(|e| e.into_inner());
        let e = t.entry(self.template).or_default();
        e.0 += 1;
        e.1 += ms;
    }
}

/// Where rendered files go as they are rendered, from any thread: memory
/// ([`Site`], for tests), the output's temporary folder
/// ([`Staging`](crate::output::Staging), for a build), or a count ([`Count`], for
/// `vmo check`).
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), OutputError>;

    /// Puts a file given as pieces in order (a large download, never held whole by a
    /// sink that writes); by default joined and [`put`](Self::put).
    fn put_parts(
        &self,
        path: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), OutputError> {
        let bytes = parts.flatten().collect();
        self.put(OutputFile {
            path: path.to_string(),
            bytes,
        })
    }
}

/// Collects the files in memory.
#[derive(Debug, Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

impl Collect {
    /// The collected files as a site, sorted by path.
    pub fn into_site(self) -> Site {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Site { files }
    }
}

/// Counts the files and keeps none (`vmo check`: render everything, hold nothing).
#[derive(Debug, Default)]
pub struct Count(AtomicUsize);

impl Sink for Count {
    fn put(&self, _: OutputFile) -> Result<(), OutputError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn put_parts(
        &self,
        _: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> Result<(), OutputError> {
        parts.for_each(drop);
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Count {
    /// How many files were put.
    pub fn files(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// The templates or the content failed: the diagnostics say where.
    Content(Diagnostics),
    /// The sink could not take a file.
    Io(OutputError),
}

/// Renders the whole site in memory.
pub fn render(
    content: &Content,
    analysis: &Analysis,
    sources: &SiteSources,
) -> Result<Site, Diagnostics> {
    let sink = Collect::default();
    match render_into(content, analysis, sources, &sink) {
        Ok(()) => Ok(sink.into_site()),
        Err(RenderError::Content(d)) => Err(d),
        // Collecting in memory cannot fail.
        Err(RenderError::Io(e)) => {
            let mut d = Diagnostics::new();
            d.error_in(&e.path.to_string_lossy(), e.to_string(), None);
            Err(d)
        }
    }
}

/// Renders the whole site into `sink`, each page as soon as it is rendered, so memory
/// holds the pages being rendered and not the site. Every path is put once. When this
/// fails, what the sink took is not a site: a [`Staging`](crate::output::Staging)
/// dropped without its commit removes it.
pub fn render_into(
    content: &Content,
    analysis: &Analysis,
    sources: &SiteSources,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    render_with(content, analysis, sources, sink, None, None).map(|_| ())
}

/// A digest per page of what it was made of (see [`render_changed`]).
pub type PageKeys = std::collections::HashMap<String, Digest>;

/// What [`render_changed`] rendered.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Every file of the site, sorted, the pages it did not render again included.
    pub paths: Vec<String>,
    /// The key of every page, for the next call.
    pub keys: PageKeys,
    /// How many pages were rendered (the rest were unchanged).
    pub pages_rendered: usize,
}

/// Renders the site into `sink` as [`render_into`] does, except the pages whose key is
/// the one in `previous`: they would come out byte for byte as before, and are neither
/// rendered nor put. A page's key is a digest of its template, the theme and the
/// values it is made of (an initiative's page: its inputs, figures and links; any
/// other page: its whole context). Every other file is put (the sink may compare).
/// `reuse` holds what the last render printed and drew, taken where it is unchanged.
pub fn render_changed(
    content: &Content,
    analysis: &Analysis,
    sources: &SiteSources,
    sink: &dyn Sink,
    previous: &PageKeys,
    reuse: &Reuse,
) -> Result<Rendered, RenderError> {
    let r = render_with(
        content,
        analysis,
        sources,
        sink,
        Some(previous),
        Some(reuse),
    );
    reuse.charts.rotate();
    r
}

/// What a render keeps for the next one ([`render_changed`]): the data files'
/// initiatives as printed and the portfolio-wide charts as drawn, by what they were
/// made from.
#[derive(Debug, Default)]
pub struct Reuse {
    pub data: data::DataCache,
    pub charts: charts::ChartCache,
}

fn render_with(
    content: &Content,
    analysis: &Analysis,
    sources: &SiteSources,
    sink: &dyn Sink,
    previous: Option<&PageKeys>,
    reuse: Option<&Reuse>,
) -> Result<Rendered, RenderError> {
    let mut diags = Diagnostics::new();
    let env = templates::environment(sources, &content.portfolio.settings.currency, &mut diags);
    if diags.has_errors() {
        return Err(RenderError::Content(diags));
    }
    let t = std::time::Instant::now();
    let mut ctx = views::SiteView::new(content, analysis);
    ctx.chart_cache = reuse.map(|r| &r.charts);
    timing("views", t);
    let t = std::time::Instant::now();
    let pages = pages::plan(&ctx);
    let page_paths: std::collections::HashSet<String> =
        pages.iter().map(|p| p.path.clone()).collect();
    let mut paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
    for path in paths.iter().filter(|p| !is_safe_relative(p)) {
        diags.error_in(path, "an output path would escape the output folder", None);
    }
    if diags.has_errors() {
        return Err(RenderError::Content(diags));
    }
    let keys = previous.map(|previous| Keys {
        previous,
        theme: theme_digest(sources),
    });
    let (io, new_keys, pages_rendered) =
        render_pages(&env, &ctx, pages, sources, sink, keys.as_ref(), &mut diags);
    timing("pages", t);
    if let Some(e) = io {
        return Err(RenderError::Io(e));
    }
    let mut files = Vec::new();
    for (name, bytes) in templates::DEFAULT_STATIC {
        let mut bytes = sources
            .static_files
            .get(*name)
            .cloned()
            .unwrap_or_else(|| bytes.to_vec());
        if *name == "style.css" {
            // The chart palette first (the theme may redefine it), the chart rules last.
            let mut css = vmo_charts::CHART_THEME_CSS.as_bytes().to_vec();
            css.extend_from_slice(&bytes);
            css.extend_from_slice(vmo_charts::CHART_CSS.as_bytes());
            bytes = css;
        }
        files.push(OutputFile {
            path: format!("assets/{name}"),
            bytes,
        });
    }
    for (name, bytes) in &sources.static_files {
        if !templates::DEFAULT_STATIC.iter().any(|(n, _)| n == name)
            && name != "widgets/BUILD-INFO.txt"
        {
            files.push(OutputFile {
                path: format!("assets/{name}"),
                bytes: bytes.clone(),
            });
        }
    }
    files.push(OutputFile {
        path: "assets/fonts/vmo-sans.ttf".into(),
        bytes: vmo_charts::FONT_TTF.to_vec(),
    });
    paths.extend(files.iter().map(|f| f.path.clone()));
    paths.sort();
    files.extend(data::sitemap(
        &content.portfolio.settings.base_url,
        paths.iter().map(String::as_str),
    ));
    // The data files go into the sink as they are printed (the largest are hundreds of
    // megabytes at 10,000 initiatives); their fixed names under `data/` are no page's and
    // no theme file's (those are under `assets/`).
    let t = std::time::Instant::now();
    let reuse = reuse.map(|r| (&r.data, analysis.input_hashes.as_slice()));
    let mut data_paths =
        data::write_downloads(content, &analysis.metrics, &ctx.figures, reuse, sink)
            .map_err(RenderError::Io)?;
    timing("downloads", t);
    let t = std::time::Instant::now();
    data_paths.extend(data::write_widget_files(content, reuse, sink).map_err(RenderError::Io)?);
    timing("widget data", t);
    // The first file of a path wins (a theme's own font over the default one), and no
    // file replaces a page.
    let mut seen = page_paths;
    seen.extend(data_paths);
    files.retain(|f| seen.insert(f.path.clone()));
    for f in files.iter_mut().filter(|f| csp::is_html(&f.path)) {
        csp::ensure(&mut f.bytes);
    }
    for f in &files {
        if !is_safe_relative(&f.path) {
            diags.error_in(
                &f.path,
                "an output path would escape the output folder",
                None,
            );
        }
    }
    if diags.has_errors() {
        return Err(RenderError::Content(diags));
    }
    for f in files {
        sink.put(f).map_err(RenderError::Io)?;
    }
    Ok(Rendered {
        paths: seen_sorted(seen),
        keys: new_keys,
        pages_rendered,
    })
}

fn seen_sorted(seen: std::collections::HashSet<String>) -> Vec<String> {
    let mut paths: Vec<String> = seen.into_iter().collect();
    paths.sort();
    paths
}

/// A digest of the theme's overrides (templates and static files, by name).
fn theme_digest(sources: &SiteSources) -> Digest {
    let mut d = Digester::default();
    for (name, text) in &sources.templates {
        d.json(name);
        d.json(&text.len());
        d.bytes(text.as_bytes());
    }
    d.bytes(b"\0static\0");
    for (name, bytes) in &sources.static_files {
        d.json(name);
        d.json(&bytes.len());
        d.bytes(bytes);
    }
    d.finish()
}

/// The previous keys of the pages and the digest of the theme, for [`render_changed`].
/// A page's context is digested as its JSON: minijinja prints none and undefined alike
/// as `null` and drops the "safe" mark of a string, so a page must not differ only in
/// those (none of the default theme's contexts do).
struct Keys<'a> {
    previous: &'a PageKeys,
    theme: Digest,
}

impl Keys<'_> {
    /// A page's key: its path, template, the theme, and the digest of what it is made of.
    fn of(&self, path: &str, template: &str, made_of: Digest) -> Digest {
        let mut d = Digester::default();
        d.digest(self.theme);
        d.json(&(path, template));
        d.digest(made_of);
        d.finish()
    }
}

/// What rendering a page used and its budgets (when bounded), or why it failed.
type PageResult = Result<(bounds::Usage, Option<bounds::Bounds>), bounds::RenderFailure>;

/// Renders the pages in parallel, within their budgets when the site overrides a
/// template, each put into `sink` as soon as it is rendered; every failure becomes a
/// diagnostic, one per cause. With `keys`, a page whose key is unchanged is skipped.
/// Returns the sink's first error, if any, the pages' keys (with `keys`) and how many
/// pages were rendered.
fn render_pages(
    env: &minijinja::Environment<'static>,
    view: &views::SiteView<'_>,
    pages: Vec<Page<'_>>,
    sources: &SiteSources,
    sink: &dyn Sink,
    keys: Option<&Keys<'_>>,
    diags: &mut Diagnostics,
) -> (Option<OutputError>, PageKeys, usize) {
    let bounded = templates::is_bounded(sources);
    // A page over its budgets took a while to fail; the pages after it (in plan order)
    // are not rendered then, so a template that loops on every page does not make the
    // build take ten thousand times as long. Which pages after it had already started
    // depends on the threads, so their results are dropped too: the report is the same
    // on every run (and the build fails, so what the sink took is not kept).
    let first_over = AtomicUsize::new(usize::MAX);
    let io_error: std::sync::Mutex<Option<OutputError>> = std::sync::Mutex::new(None);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let rendered_count = AtomicUsize::new(0);
    type Done = (String, &'static str, Option<PageResult>, Option<Digest>);
    let per_template = timings_on().then(TemplateTimes::default);
    let rendered: Vec<Done> = pages
        .into_par_iter()
        .enumerate()
        .map(|(k, p)| {
            if k > first_over.load(Ordering::Relaxed) || failed.load(Ordering::Relaxed) {
                return (p.path, p.template, None, None);
            }
            let _timer = per_template.as_ref().map(|t| t.start(p.template));
            let unchanged =
                |key: Digest| keys.is_some_and(|ks| ks.previous.get(&p.path) == Some(&key));
            let mut key = keys.and_then(|ks| p.key(view).map(|d| ks.of(&p.path, p.template, d)));
            if key.is_some_and(unchanged) {
                return (p.path, p.template, Some(Ok(Default::default())), key);
            }
            let context = p.context(view);
            if let Some(ks) = keys
                && key.is_none()
            {
                let k = ks.of(&p.path, p.template, Digest::of_json(&context));
                if unchanged(k) {
                    return (p.path, p.template, Some(Ok(Default::default())), Some(k));
                }
                key = Some(k);
            }
            rendered_count.fetch_add(1, Ordering::Relaxed);
            let b = bounded.then(|| bounds::Bounds::for_data(bounds::data_size(&context)));
            let r = bounds::render_page(env, p.template, &context, b);
            drop(context);
            if r.as_ref().is_err_and(|f| f.exceeded.is_some()) {
                first_over.fetch_min(k, Ordering::Relaxed);
            }
            let r = r.map(|(mut bytes, usage)| {
                if csp::is_html(&p.path) {
                    csp::ensure(&mut bytes);
                }
                let file = OutputFile {
                    path: p.path.clone(),
                    bytes,
                };
                if let Err(e) = sink.put(file) {
                    failed.store(true, Ordering::Relaxed);
                    io_error
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get_or_insert(e);
                }
                (usage, b)
            });
            (p.path, p.template, Some(r), key)
        })
        .collect();
    let count = rendered_count.into_inner();
    if let Some(t) = per_template {
        t.print();
    }
    if let Some(e) = io_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return (Some(e), PageKeys::new(), count);
    }
    let first_over = first_over.into_inner();
    let mut failures = template_errors::Failures::default();
    let mut peak = bounds::Peak::default();
    let mut new_keys = PageKeys::new();
    for (k, (path, template, r, key)) in rendered.into_iter().enumerate() {
        match r {
            None => failures.not_rendered(),
            Some(_) if k > first_over => failures.not_rendered(),
            Some(Ok((usage, b))) => {
                if let Some(b) = b {
                    peak.note(&path, usage, b);
                }
                if let Some(key) = key {
                    new_keys.insert(path, key);
                }
            }
            Some(Err(f)) => failures.add(&path, template, &f, sources),
        }
    }
    failures.report(diags);
    if bounded {
        peak.print();
    }
    (None, new_keys, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default theme against the parts of its budgets that grow with the data (the
    /// fixed allowances left out, so the margins hold however big the portfolio): on
    /// every page of the sample, a tenth of the steps, a third of the output.
    #[test]
    fn the_default_theme_uses_a_small_share_of_its_budgets() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut diags = Diagnostics::new();
        let sources = crate::source::read_site(&root, &mut diags);
        let content = crate::content::load(&sources, &mut diags).expect("the sample loads");
        let analysis = crate::analysis::analyse(&content, &mut crate::analysis::Memo::default());
        let env =
            templates::environment(&sources, &content.portfolio.settings.currency, &mut diags);
        assert!(templates::is_bounded(&sources) && !diags.has_errors());
        let view = views::SiteView::new(&content, &analysis);
        let roomy = bounds::Bounds {
            fuel: 1 << 40,
            output: 1 << 40,
        };
        for p in pages::plan(&view) {
            let context = p.context(&view);
            let size = bounds::data_size(&context);
            let fuel = bounds::FUEL_PER_VALUE * size.values;
            let output = bounds::OUTPUT_PER_TEXT_BYTE * size.text_bytes
                + bounds::OUTPUT_PER_VALUE * size.values;
            let (_, used) = bounds::render_page(&env, p.template, &context, Some(roomy))
                .unwrap_or_else(|f| panic!("{}: {:?}", p.path, f.error));
            assert!(used.fuel * 10 < fuel, "{}: {used:?} of {size:?}", p.path);
            assert!(
                used.written * 3 < output,
                "{}: {used:?} of {size:?}",
                p.path
            );
            assert!(
                used.produced * 3 < output * bounds::PRODUCED_PER_OUTPUT,
                "{}: {used:?} of {size:?}",
                p.path
            );
        }
    }
}
