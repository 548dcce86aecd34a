//! Data downloads: `data/portfolio.json` (inputs and every computed metric) and
//! `data/initiatives.csv` (one row per initiative); and `sitemap.xml` when the site's
//! base URL is absolute.

use super::OutputFile;
use super::figures::Figures;
use crate::content::Content;
use crate::content::base_url::page_url;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value as Json, json};
use vmo_core::PortfolioAnalysis;

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
pub fn downloads(
    content: &Content,
    analysis: &PortfolioAnalysis,
    figures: &[Figures],
) -> Vec<OutputFile> {
    let (json, csv) = rayon::join(
        || portfolio_json(content, analysis),
        || initiatives_csv(content, figures),
    );
    vec![
        OutputFile {
            path: "data/portfolio.json".into(),
            bytes: json.into_bytes(),
        },
        OutputFile {
            path: "data/initiatives.csv".into(),
            bytes: csv,
        },
    ]
}

/// The whole portfolio as JSON: settings, registries, initiatives (inputs and
/// `metrics`) and totals. Keys are sorted, so the bytes are deterministic.
///
/// The initiatives (most of the bytes) are printed in parallel, each as it would be
/// printed inside the document (indented two levels), and spliced into the rest.
pub fn portfolio_json(content: &Content, analysis: &PortfolioAnalysis) -> String {
    let (doc, initiatives) = portfolio_doc(content, analysis, false);
    let items: Vec<String> = initiatives
        .par_iter()
        .map(|v| {
            let mut out = String::new();
            let text = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into());
            for (n, line) in text.lines().enumerate() {
                if n > 0 {
                    out.push('\n');
                }
                out.push_str("    ");
                out.push_str(line);
            }
            out
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    // Pretty JSON never has a raw newline inside a string, and only a top-level key is
    // indented by exactly two spaces: the empty list is found once, at the top.
    const EMPTY: &str = "\n  \"initiatives\": [],\n";
    if !items.is_empty()
        && let Some(at) = s.find(EMPTY)
    {
        let list = format!("\n  \"initiatives\": [\n{}\n  ],\n", items.join(",\n"));
        s.replace_range(at..at + EMPTY.len(), &list);
    }
    s.push('\n');
    s
}

/// The export document and its initiatives: inside the document when `inline`, else
/// beside it (the document's list left empty).
fn portfolio_doc(
    content: &Content,
    analysis: &PortfolioAnalysis,
    inline: bool,
) -> (Json, Vec<Json>) {
    let p = &content.portfolio;
    let initiatives: Vec<Json> = p
        .initiatives
        .par_iter()
        .zip(&analysis.initiatives)
        .map(|(i, m)| {
            let mut v = serde_json::to_value(i).unwrap_or(Json::Null);
            if let Json::Object(map) = &mut v {
                map.insert(
                    "metrics".into(),
                    serde_json::to_value(m).unwrap_or(Json::Null),
                );
                let path = format!("initiatives/{}/index.html", i.id);
                map.insert(
                    "page_url".into(),
                    json!(page_url(&p.settings.base_url, &path)),
                );
                map.insert("url".into(), json!(path));
            }
            v
        })
        .collect();
    let doc = json!({
        "format": "vmo-portfolio",
        "version": 1,
        "settings": p.settings,
        "objectives": p.objectives,
        "value_streams": p.value_streams,
        "stages": p.stages,
        "criteria": p.criteria,
        "models": p.models,
        "initiatives": if inline { initiatives.clone() } else { Vec::new() },
        "totals": analysis.totals,
    });
    (doc, if inline { Vec::new() } else { initiatives })
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
pub fn widget_files(content: &Content) -> Vec<OutputFile> {
    let p = &content.portfolio;
    let all: Vec<&vmo_core::Initiative> = p.initiatives.iter().collect();
    let mut files: Vec<OutputFile> = p
        .initiatives
        .par_iter()
        .map(|i| OutputFile {
            path: whatif_path(&i.id),
            bytes: inputs_json(p, &[i]),
        })
        .collect();
    files.push(OutputFile {
        path: "data/inputs.json".into(),
        bytes: inputs_json(p, &all),
    });
    files
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
            page_url(
                &p.settings.base_url,
                &format!("initiatives/{}/index.html", i.id),
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
            let (doc, _) = portfolio_doc(&content, &analysis, true);
            let whole = serde_json::to_string_pretty(&doc).unwrap() + "\n";
            assert_eq!(
                portfolio_json(&content, &analysis),
                whole,
                "{keep} initiatives"
            );
        }
    }
}
