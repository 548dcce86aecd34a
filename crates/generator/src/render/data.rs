//! Data downloads: `data/portfolio.json` (inputs and every computed metric) and
//! `data/initiatives.csv` (one row per initiative); and `sitemap.xml` when the site's
//! base URL is absolute.

use super::OutputFile;
use super::figures::Figures;
use crate::analysis::InputHash;
use crate::content::Content;
use crate::content::base_url::page_url;
use crate::digest::Digest;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::collections::HashMap;
use std::sync::Arc;
use vmo_core::{InitiativeMetrics, PortfolioAnalysis};

/// `sitemap.xml` (the sitemaps.org protocol) listing `pages` (site paths of HTML pages),
/// when `base_url` is an absolute URL: a sitemap holds absolute URLs only, so a site
/// published under a bare path (`/portfolio/`) has none.
pub fn sitemap<'a>(base_url: &str, pages: impl Iterator<Item = &'a str>) -> Option<OutputFile> {
    if !crate::content::base_url::is_absolute(base_url) {
        return None;
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in pages.filter(|p| p.ends_with(".html") && *p != "404.html") {
        let url = page_url(base_url, path)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        xml.push_str(&format!("  <url><loc>{url}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    })
}

/// The download files; `figures` are the initiatives' figures, in portfolio order.
/// Writes the downloads for people into `sink`, `data/portfolio.json` in pieces as
/// it is printed; returns their paths.
pub fn write_downloads(
    content: &Content,
    analysis: &PortfolioAnalysis,
    figures: &[Figures],
    reuse: Option<(&DataCache, &[InputHash])>,
    sink: &dyn super::Sink,
) -> Result<Vec<String>, crate::output::OutputError> {
    let json = "data/portfolio.json";
    sink.put_parts(json, &mut portfolio_json_with(content, analysis, reuse))?;
    let csv = OutputFile {
        path: "data/initiatives.csv".into(),
        bytes: initiatives_csv(content, figures),
    };
    let paths = vec![json.to_string(), csv.path.clone()];
    sink.put(csv)?;
    Ok(paths)
}

/// The whole portfolio as JSON: settings, registries, initiatives (inputs and
/// `metrics`) and totals. Keys are sorted, so the bytes are deterministic.
///
/// The initiatives (most of the bytes) are printed in parallel, each as it would be
/// printed inside the document (indented two levels), and spliced into the rest.
pub fn portfolio_json(content: &Content, analysis: &PortfolioAnalysis) -> String {
    let bytes: Vec<u8> = portfolio_json_with(content, analysis, None)
        .flatten()
        .collect();
    String::from_utf8(bytes).unwrap_or_default()
}

/// What the data files of the last render were made of, per initiative, so that a
/// rebuild ([`render_changed`](super::render_changed)) prints again only the
/// initiatives whose inputs ([`InputHash`]: the settings and the initiative) or metrics
/// changed; the rest of each file is printed every time.
#[derive(Debug, Default)]
pub struct DataCache {
    /// Initiative id: its inputs' hash, its metrics and its text in `portfolio.json`.
    export: std::sync::Mutex<HashMap<String, Export>>,
    /// Initiative id: its inputs' hash with the registries' digest, its text in
    /// `inputs.json` and its `data/whatif/ID.json`.
    widget: std::sync::Mutex<HashMap<String, Widget>>,
}

#[derive(Debug)]
struct Export {
    inputs: InputHash,
    metrics: InitiativeMetrics,
    text: Arc<str>,
}

#[derive(Debug)]
struct Widget {
    inputs: (InputHash, Digest),
    compact: Arc<str>,
    whatif: Arc<[u8]>,
}

fn locked<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One initiative as `portfolio.json` prints it (indented two levels).
fn export_text(p: &vmo_core::Portfolio, i: &vmo_core::Initiative, m: &InitiativeMetrics) -> String {
    let v = export_value(p, i, m);
    let mut out = String::new();
    let text = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "null".into());
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// [`portfolio_json`] in pieces, taking from `reuse` the initiatives printed before
/// and unchanged (and leaving in it exactly this portfolio's).
fn portfolio_json_with<'a>(
    content: &'a Content,
    analysis: &'a PortfolioAnalysis,
    reuse: Option<(&DataCache, &[InputHash])>,
) -> JsonParts<'a> {
    let p = &content.portfolio;
    let doc = portfolio_doc(content, analysis, false);
    let items = match reuse {
        None => Items::Print {
            p,
            metrics: &analysis.initiatives,
        },
        Some((cache, hashes)) => {
            let old = std::mem::take(&mut *locked(&cache.export));
            let fresh: Vec<Export> = p
                .initiatives
                .par_iter()
                .zip(&analysis.initiatives)
                .zip(hashes)
                .map(|((i, m), h)| match old.get(&i.id) {
                    Some(e) if e.inputs == *h && e.metrics == *m => Export {
                        inputs: *h,
                        metrics: m.clone(),
                        text: Arc::clone(&e.text),
                    },
                    _ => Export {
                        inputs: *h,
                        metrics: m.clone(),
                        text: Arc::from(export_text(p, i, m)),
                    },
                })
                .collect();
            let items = fresh.iter().map(|e| Arc::clone(&e.text)).collect();
            *locked(&cache.export) = p
                .initiatives
                .iter()
                .map(|i| i.id.clone())
                .zip(fresh)
                .collect();
            Items::Cached(items)
        }
    };
    let s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    // Pretty JSON never has a raw newline inside a string, and only a top-level key is
    // indented by exactly two spaces: the empty list is found once, at the top.
    const EMPTY: &str = "\n  \"initiatives\": [],\n";
    let total = p.initiatives.len();
    match s.find(EMPTY).filter(|_| total > 0) {
        None => JsonParts {
            head: Some((s + "\n").into_bytes()),
            items,
            next: 0,
            total: 0,
            tail: None,
        },
        Some(at) => JsonParts {
            head: Some(format!("{}\n  \"initiatives\": [\n", &s[..at]).into_bytes()),
            items,
            next: 0,
            total,
            tail: Some(format!("\n  ],\n{}\n", &s[at + EMPTY.len()..]).into_bytes()),
        },
    }
}

/// Initiatives printed at a time (in parallel) while `portfolio.json` is written: the
/// file is never held whole (about 160 MB at 10,000 initiatives).
const BATCH: usize = 512;

/// Where the export's initiatives come from.
enum Items<'a> {
    Print {
        p: &'a vmo_core::Portfolio,
        metrics: &'a [InitiativeMetrics],
    },
    Cached(Vec<Arc<str>>),
}

/// `portfolio.json` as a sequence of byte pieces: the document up to its list of
/// initiatives, the initiatives [`BATCH`] at a time, the rest.
struct JsonParts<'a> {
    head: Option<Vec<u8>>,
    items: Items<'a>,
    next: usize,
    total: usize,
    tail: Option<Vec<u8>>,
}

impl Iterator for JsonParts<'_> {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        if let Some(head) = self.head.take() {
            return Some(head);
        }
        if self.next < self.total {
            let range = self.next..(self.next + BATCH).min(self.total);
            let texts: Vec<Arc<str>> = match &self.items {
                Items::Print { p, metrics } => p.initiatives[range.clone()]
                    .par_iter()
                    .zip(&metrics[range.clone()])
                    .map(|(i, m)| Arc::from(export_text(p, i, m)))
                    .collect(),
                Items::Cached(all) => all[range.clone()].to_vec(),
            };
            let mut out = Vec::with_capacity(texts.iter().map(|t| t.len() + 2).sum());
            for (n, t) in texts.iter().enumerate() {
                if n > 0 || range.start > 0 {
                    out.extend_from_slice(b",\n");
                }
                out.extend_from_slice(t.as_bytes());
            }
            self.next = range.end;
            return Some(out);
        }
        self.tail.take()
    }
}

/// One initiative of the export: its inputs, `metrics`, `page_url` and `url`.
fn export_value(p: &vmo_core::Portfolio, i: &vmo_core::Initiative, m: &InitiativeMetrics) -> Json {
    let mut v = serde_json::to_value(i).unwrap_or(Json::Null);
    if let Json::Object(map) = &mut v {
        map.insert(
            "metrics".into(),
            serde_json::to_value(m).unwrap_or(Json::Null),
        );
        let path = crate::route::Route::Initiative(&i.id).path();
        map.insert(
            "page_url".into(),
            json!(page_url(&p.settings.base_url, &path)),
        );
        map.insert("url".into(), json!(path));
    }
    v
}

/// The export document, with its initiatives when `inline`, else with an empty list
/// (for [`portfolio_json`] to splice).
fn portfolio_doc(content: &Content, analysis: &PortfolioAnalysis, inline: bool) -> Json {
    let p = &content.portfolio;
    let initiatives: Vec<Json> = if inline {
        p.initiatives
            .par_iter()
            .zip(&analysis.initiatives)
            .map(|(i, m)| export_value(p, i, m))
            .collect()
    } else {
        Vec::new()
    };
    json!({
        "format": "vmo-portfolio",
        "version": 1,
        "settings": p.settings,
        "objectives": p.objectives,
        "value_streams": p.value_streams,
        "stages": p.stages,
        "criteria": p.criteria,
        "models": p.models,
        "initiatives": initiatives,
        "totals": analysis.totals,
    })
}

/// What the widgets download: the export's format with the settings, the registries and
/// initiatives' inputs only (the widgets compute every figure themselves), compact.
/// Read by `vmo-wasm-widgets`' `Session::from_json`, like `data/portfolio.json`.
#[derive(Serialize)]
struct InputsDoc<'a> {
    format: &'static str,
    version: u32,
    settings: &'a vmo_core::Settings,
    objectives: &'a [vmo_core::Objective],
    value_streams: &'a [vmo_core::ValueStream],
    stages: &'a [vmo_core::Stage],
    criteria: &'a [vmo_core::Criterion],
    models: &'a [vmo_core::PriorityModel],
    initiatives: &'a [&'a vmo_core::Initiative],
}

fn inputs_json(p: &vmo_core::Portfolio, initiatives: &[&vmo_core::Initiative]) -> Vec<u8> {
    let doc = InputsDoc {
        format: "vmo-portfolio",
        version: 1,
        settings: &p.settings,
        objectives: &p.objectives,
        value_streams: &p.value_streams,
        stages: &p.stages,
        criteria: &p.criteria,
        models: &p.models,
        initiatives,
    };
    let mut bytes = serde_json::to_vec(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The path of an initiative's what-if data.
pub fn whatif_path(id: &str) -> String {
    format!("data/whatif/{id}.json")
}

/// The widgets' data: `data/inputs.json` (every initiative, for the prioritisation
/// scenario, the explorer and the standalone what-if) and one small file per initiative
/// for its page's what-if, so an initiative page downloads its own inputs and not the
/// whole portfolio.
///
/// Each what-if file is written into `sink` as it is printed, taking from `reuse` the
/// initiatives printed before whose inputs and registries are unchanged (and leaving in
/// it exactly this portfolio's); returns their paths.
pub fn write_widget_files(
    content: &Content,
    reuse: Option<(&DataCache, &[InputHash])>,
    sink: &dyn super::Sink,
) -> Result<Vec<String>, crate::output::OutputError> {
    let p = &content.portfolio;
    // An initiative's text in inputs.json and its what-if file.
    let print = |i: &vmo_core::Initiative| -> (Arc<str>, Arc<[u8]>) {
        (
            Arc::from(serde_json::to_string(i).unwrap_or_else(|_| "null".into())),
            Arc::from(inputs_json(p, &[i])),
        )
    };
    let widgets: Vec<(Arc<str>, Arc<[u8]>)> = match reuse {
        // Each what-if file is written as it is printed, and only its line of
        // inputs.json is kept.
        None => p
            .initiatives
            .par_iter()
            .map(|i| {
                let (compact, whatif) = print(i);
                sink.put(OutputFile {
                    path: whatif_path(&i.id),
                    bytes: whatif.to_vec(),
                })?;
                Ok((compact, Arc::from(Vec::new())))
            })
            .collect::<Result<_, crate::output::OutputError>>()?,
        Some((cache, hashes)) => {
            let registries = Digest::of_json(&(
                &p.objectives,
                &p.value_streams,
                &p.stages,
                &p.criteria,
                &p.models,
            ));
            let old = std::mem::take(&mut *locked(&cache.widget));
            let fresh: Vec<Widget> = p
                .initiatives
                .par_iter()
                .zip(hashes)
                .map(|(i, h)| {
                    let inputs = (*h, registries);
                    let (compact, whatif) = match old.get(&i.id) {
                        Some(w) if w.inputs == inputs => {
                            (Arc::clone(&w.compact), Arc::clone(&w.whatif))
                        }
                        _ => print(i),
                    };
                    Widget {
                        inputs,
                        compact,
                        whatif,
                    }
                })
                .collect();
            let texts = fresh
                .iter()
                .map(|w| (Arc::clone(&w.compact), Arc::clone(&w.whatif)))
                .collect();
            *locked(&cache.widget) = p
                .initiatives
                .iter()
                .map(|i| i.id.clone())
                .zip(fresh)
                .collect();
            texts
        }
    };
    // inputs.json is the document of every initiative: printed with an empty list, the
    // initiatives (its last field) spliced in.
    let mut all = inputs_json(p, &[]);
    let tail = b"\"initiatives\":[]}\n";
    if all.ends_with(tail) {
        all.truncate(all.len() - tail.len() + b"\"initiatives\":[".len());
        all.reserve(widgets.iter().map(|w| w.0.len() + 1).sum::<usize>() + 3);
        for (n, w) in widgets.iter().enumerate() {
            if n > 0 {
                all.push(b',');
            }
            all.extend_from_slice(w.0.as_bytes());
        }
        all.extend_from_slice(b"]}\n");
    } else {
        let every: Vec<&vmo_core::Initiative> = p.initiatives.iter().collect();
        all = inputs_json(p, &every);
    }
    if reuse.is_some() {
        p.initiatives
            .par_iter()
            .zip(&widgets)
            .try_for_each(|(i, w)| {
                sink.put(OutputFile {
                    path: whatif_path(&i.id),
                    bytes: w.1.to_vec(),
                })
            })?;
    }
    sink.put(OutputFile {
        path: "data/inputs.json".into(),
        bytes: all,
    })?;
    let mut paths: Vec<String> = p.initiatives.iter().map(|i| whatif_path(&i.id)).collect();
    paths.push("data/inputs.json".into());
    Ok(paths)
}

/// A cell that a spreadsheet could read as a formula gets a leading apostrophe.
fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn num_cell(x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => format!("{x}"),
        _ => String::new(),
    }
}

/// One row per initiative with its key figures (blank where a figure does not exist).
pub fn initiatives_csv(content: &Content, figures: &[Figures]) -> Vec<u8> {
    let p = &content.portfolio;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = [
        "id",
        "title",
        "kind",
        "stage",
        "value_stream",
        "objectives",
        "owner",
        "sponsor",
        "health",
        "start",
        "end",
        "total_cost",
        "total_benefit",
        "npv",
        "irr",
        "roi",
        "benefit_cost_ratio",
        "payback_periods",
        "discounted_payback_periods",
        "planned_cost_to_date",
        "actual_cost_to_date",
        "planned_benefit_to_date",
        "actual_benefit_to_date",
        "benefits_realised",
        "strategic_alignment",
        "risk_exposure",
        "remaining_npv",
        "plan_rating",
        "page_url",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for m in &p.models {
        head.push(format!("score_{}", m.id));
        head.push(format!("rank_{}", m.id));
    }
    let _ = w.write_record(&head);
    for (i, f) in p.initiatives.iter().zip(figures) {
        let mut rec = vec![
            i.id.clone(),
            text_cell(&i.title),
            super::views::kind_label(i.kind).to_string(),
            i.stage.clone(),
            i.value_stream.clone(),
            i.objectives.join(";"),
            text_cell(&i.owner),
            text_cell(&i.sponsor),
            super::views::health_label(i.health).to_string(),
            i.start.to_string(),
            i.end.to_string(),
            num_cell(Some(f.total_cost)),
            num_cell(Some(f.total_benefit)),
            num_cell(Some(f.npv)),
            num_cell(f.irr),
            num_cell(f.roi),
            num_cell(f.bcr),
            num_cell(f.payback),
            num_cell(f.discounted_payback),
            num_cell(Some(f.planned_cost_to_date)),
            num_cell(Some(f.actual_cost)),
            num_cell(Some(f.planned_benefit_to_date)),
            num_cell(Some(f.actual_benefit)),
            num_cell(f.realised),
            num_cell(Some(f.alignment)),
            num_cell(Some(f.exposure)),
            num_cell(f.remaining_npv),
            f.plan_rating.unwrap_or_default().to_string(),
            page_url(
                &p.settings.base_url,
                &crate::route::Route::Initiative(&i.id).path(),
            ),
        ];
        for m in &p.models {
            let s = f.scores.iter().find(|s| s.model_id == m.id);
            rec.push(num_cell(s.and_then(|s| s.value)));
            rec.push(
                s.and_then(|s| s.rank)
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
            );
        }
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    #[test]
    fn the_spliced_export_is_the_document_printed_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut diags = Diagnostics::new();
        let sources = crate::source::read_site(&root, &mut diags);
        let mut content = crate::content::load(&sources, &mut diags).expect("the sample loads");
        for keep in [usize::MAX, 1, 0] {
            content.portfolio.initiatives.truncate(keep);
            let analysis = vmo_core::analyse(&content.portfolio);
            let doc = portfolio_doc(&content, &analysis, true);
            let whole = serde_json::to_string_pretty(&doc).unwrap() + "\n";
            assert_eq!(
                portfolio_json(&content, &analysis),
                whole,
                "{keep} initiatives"
            );
        }
    }
}
