//! Target `site`: a small site held in one input, loaded, analysed and rendered in
//! memory through the generator's public stages (`content::load`, `analysis::analyse`,
//! `render::render`), as `build::check_site` does after reading the disk.
//!
//! Input format (readable, so seeds are plain text): files separated by lines
//! `%%% <path>`; only paths under `content/` are kept.
//!
//! ```text
//! %%% content/portfolio.toml
//! title = "..."
//! %%% content/initiatives/a.md
//! +++
//! ...
//! ```

use crate::{audit_html, render_diagnostics};
use vmo_generator::SiteSources;
use vmo_generator::diagnostics::{Diagnostics, SourceText};

/// At most this many files, so an input stays a *small* site.
const MAX_FILES: usize = 12;

/// The files of an input, sorted by path (duplicates: the first wins).
pub fn sources(text: &str) -> SiteSources {
    let mut content: Vec<SourceText> = Vec::new();
    for chunk in format!("\n{text}").split("\n%%% ").skip(1) {
        let (path, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let path = path.trim_end_matches('\r');
        if path.starts_with("content/") && !content.iter().any(|f| f.path == path) {
            content.push(SourceText {
                path: path.to_string(),
                text: body.to_string(),
            });
        }
        if content.len() == MAX_FILES {
            break;
        }
    }
    content.sort_by(|a, b| a.path.cmp(&b.path));
    SiteSources {
        content,
        ..SiteSources::default()
    }
}

pub fn site(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = sources(text);
    let mut diags = Diagnostics::new();
    let content = vmo_generator::content::load(&sources, &mut diags);
    render_diagnostics(&sources.content, &diags);
    let Some(content) = content else {
        assert!(diags.has_errors(), "no content and no error");
        return;
    };
    if diags.has_errors() {
        return;
    }
    let analysis =
        vmo_generator::analysis::analyse(&content, &mut vmo_generator::analysis::Memo::default());
    // Content that loads without an error must render: a template failing on valid
    // content is a bug of the theme or of the views.
    let site = match vmo_generator::render::render(&content, &analysis, &sources) {
        Ok(site) => site,
        Err(d) => panic!(
            "valid content failed to render:\n{}",
            d.into_sorted()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    for f in &site.files {
        assert!(
            vmo_generator::output::is_safe_relative(&f.path),
            "unsafe output path {:?}",
            f.path
        );
        if f.path.ends_with(".html") {
            let html = std::str::from_utf8(&f.bytes).expect("pages are UTF-8");
            // `TPL{{ 7*7 }}TPL` in the seeds: evaluated, it would read `TPL49TPL`.
            assert!(
                text.contains("TPL49TPL") || !html.contains("TPL49TPL"),
                "{}: template syntax in content was evaluated",
                f.path
            );
            let problems = audit_html(&f.path, html);
            assert!(problems.is_empty(), "{}: {problems:#?}", f.path);
        }
    }
}
