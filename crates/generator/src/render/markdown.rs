//! Markdown to safe HTML: CommonMark plus tables, footnotes and strikethrough; raw HTML
//! sanitised with ammonia; `vmo` blocks replaced by the charts and tables they embed.

use crate::content::Document;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};

/// The sentinel that stands for embed `n` until sanitising is done. Private-use
/// characters, so ordinary text never produces it by accident; if a writer types one,
/// the worst outcome is an extra chart.
fn marker(n: usize) -> String {
    format!("<p>\u{e000}vmo-embed-{n}\u{e000}</p>")
}

/// Renders `doc` to sanitised HTML; `embed_html(i)` gives the HTML of `doc.embeds[i]`.
pub fn render_markdown(doc: &Document, embed_html: &mut dyn FnMut(usize) -> String) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut in_embed = false;
    let mut events = Vec::new();
    for (ev, range) in Parser::new_ext(&doc.markdown, opts).into_offset_iter() {
        match &ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.trim() == "vmo" => {
                in_embed = true;
                if let Some(n) = doc.embeds.iter().position(|e| e.range.start == range.start) {
                    events.push(Event::Html(format!("{}\n", marker(n)).into()));
                }
            }
            Event::End(TagEnd::CodeBlock) if in_embed => in_embed = false,
            _ if in_embed => {}
            _ => events.push(ev),
        }
    }
    let mut raw = String::new();
    html::push_html(&mut raw, events.into_iter());
    let mut clean = sanitize(&raw);
    for n in 0..doc.embeds.len() {
        let m = marker(n);
        if clean.contains(&m) {
            clean = clean.replacen(&m, &embed_html(n), 1);
        }
    }
    clean
}

/// Removes scripts, event handlers, unsafe URLs and anything else not in ammonia's
/// allow list; links to other sites get `rel="noopener noreferrer"`.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(md: &str) -> Document {
        Document {
            file: "x.md".into(),
            markdown: md.into(),
            embeds: Vec::new(),
        }
    }

    #[test]
    fn raw_html_is_sanitised() {
        let html = render_markdown(
            &doc(
                "Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))",
            ),
            &mut |_| String::new(),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn tables_render() {
        let html = render_markdown(&doc("|a|b|\n|-|-|\n|1|2|\n"), &mut |_| String::new());
        assert!(html.contains("<table>"), "{html}");
    }
}
