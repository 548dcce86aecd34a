//! The bodies of the fuzz targets, as plain functions so that the seeds and every
//! input that once crashed (`regressions/<target>/`) also run as ordinary tests on a
//! stable toolchain: `cargo test --manifest-path fuzz/Cargo.toml`.
//!
//! Each function panics when an oracle fails, which libFuzzer reports as a crash:
//!
//! - `front_matter`: splitting `+++` front matter and parsing TOML into the raw
//!   structs never panics, and every diagnostic renders with its snippet.
//! - `site`: loading, analysing and rendering a small in-memory site never panics, valid
//!   content always renders, every page it renders is inert (see [`audit_html`]) and
//!   template syntax in content is never evaluated.
//! - `markdown`: rendering and sanitising any Markdown gives inert HTML.
//! - `value_maths`: the money maths never panics and never returns NaN or an infinity
//!   (the documented contract of `vmo_core::finance`), IRR roots are real roots.

pub mod html;
pub mod maths;
pub mod site;

pub use html::audit_html;

use vmo_generator::Diagnostic;
use vmo_generator::diagnostics::{Diagnostics, SourceText};

/// Renders every diagnostic with its source snippet as the `vmo` binary does
/// ([`vmo_generator::diagnostics::write_report`]), into memory, so a span that codespan
/// cannot show is found here rather than in front of a user.
pub fn render_diagnostics(sources: &[SourceText], diags: &Diagnostics) -> String {
    use codespan_reporting::term::termcolor::NoColor;
    let list: Vec<Diagnostic> = diags.clone().into_sorted();
    for d in &list {
        assert!(d.line >= 1 && d.column >= 1, "{d}");
    }
    let mut out = NoColor::new(Vec::new());
    vmo_generator::diagnostics::write_report(&mut out, &list, |file| {
        sources
            .iter()
            .find(|s| s.path == file)
            .map(|s| s.text.clone())
            .unwrap_or_default()
    })
    .expect("diagnostic renders");
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// Target `front_matter`: one initiative (or report) file.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceText {
        path: "content/initiatives/fuzz.md".into(),
        text: text.to_string(),
    };
    let mut diags = Diagnostics::new();
    use vmo_generator::content::{parse, raw};
    if let Some(split) = parse::split_front_matter(&file, &mut diags) {
        assert!(split.front_offset <= split.body_offset && split.body_offset <= text.len());
        assert_eq!(
            &text[split.front_offset..][..split.front.len()],
            split.front
        );
        assert_eq!(&text[split.body_offset..], split.body);
        let _ = parse::parse_toml::<raw::RawInitiative>(
            &file,
            split.front,
            split.front_offset,
            &mut diags,
        );
        let _ =
            parse::parse_toml::<raw::RawReport>(&file, split.front, split.front_offset, &mut diags);
    }
    // The same text as the other TOML files of a site.
    let _ = parse::parse_toml::<raw::RawPortfolio>(&file, text, 0, &mut diags);
    let _ = parse::parse_toml::<raw::RawFlowFile>(&file, text, 0, &mut diags);
    render_diagnostics(std::slice::from_ref(&file), &diags);
}

/// Target `markdown`: a narrative, rendered and sanitised.
pub fn markdown(data: &[u8]) {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    use vmo_generator::content::Document;
    use vmo_generator::render::markdown::{MarkdownContext, render_markdown};
    let doc = Document {
        file: "content/initiatives/fuzz.md".into(),
        markdown: md.to_string(),
        embeds: Vec::new(),
    };
    let targets = vec!["initiatives/a".to_string(), "roadmap".to_string()];
    let cx = MarkdownContext {
        root: "../../",
        targets: &targets,
        trusted_html: false,
    };
    let body = render_markdown(&doc, &cx, &mut |_| String::new());
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><title>t</title><meta \
         http-equiv=\"Content-Security-Policy\" content=\"{}\"></head><body>{body}</body></html>",
        vmo_generator::render::CSP
    );
    let problems = audit_html("initiatives/a/index.html", &page);
    assert!(problems.is_empty(), "{problems:#?}\n--- HTML:\n{body}");
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every seed and every saved crash of `target` runs through `f`.
    fn replay(target: &str, f: fn(&[u8])) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut n = 0;
        for dir in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
                continue;
            };
            for e in entries.flatten() {
                let bytes = std::fs::read(e.path()).expect("readable input");
                f(&bytes);
                n += 1;
            }
        }
        assert!(n > 0, "no inputs for {target}");
    }

    #[test]
    fn front_matter_inputs() {
        replay("front_matter", super::front_matter);
    }

    #[test]
    fn markdown_inputs() {
        replay("markdown", super::markdown);
    }

    #[test]
    fn site_inputs() {
        replay("site", super::site::site);
    }

    #[test]
    fn value_maths_inputs() {
        replay("value_maths", super::maths::value_maths);
    }
}
