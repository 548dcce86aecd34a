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

/// The Markdown extensions in use (the content checks parse with the same ones).
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_SMART_PUNCTUATION);

/// How a page renders Markdown.
#[derive(Debug)]
pub struct MarkdownContext<'a> {
    /// The page's relative path to the site root, for `@/` links.
    pub root: &'a str,
    /// Valid `@/` link targets.
    pub targets: &'a [String],
    /// Raw HTML is kept as written (the site says its content is trusted).
    pub trusted_html: bool,
}

/// Renders `doc` to HTML, sanitised unless the site trusts its HTML; `embed_html(i)`
/// gives the HTML of `doc.embeds[i]`; `@/` links become relative links.
pub fn render_markdown(
    doc: &Document,
    cx: &MarkdownContext<'_>,
    embed_html: &mut dyn FnMut(usize) -> String,
) -> String {
    let mut in_embed = false;
    // One flag per open image: whether it is dropped (its URL is unsafe).
    let mut images: Vec<bool> = Vec::new();
    let mut events = Vec::new();
    for (ev, range) in Parser::new_ext(&doc.markdown, OPTIONS).into_offset_iter() {
        // An image whose URL the sanitiser would remove becomes its alt text: an `<img>`
        // without `src` is invalid HTML.
        let dropped = match &ev {
            Event::Start(Tag::Image { dest_url, .. }) => {
                let unsafe_url = !cx.trusted_html && !safe_url(dest_url);
                images.push(unsafe_url);
                unsafe_url
            }
            Event::End(TagEnd::Image) => images.pop().unwrap_or(false),
            _ => false,
        };
        if dropped {
            continue;
        }
        let ev = match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let dest = crate::content::embed::link_target(&dest_url, cx.targets)
                    .map_or_else(|| dest_url.to_string(), |t| format!("{}{t}", cx.root));
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            ev => ev,
        };
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
    let mut clean = if cx.trusted_html { raw } else { sanitize(&raw) };
    for n in 0..doc.embeds.len() {
        let m = marker(n);
        if clean.contains(&m) {
            clean = clean.replacen(&m, &embed_html(n), 1);
        }
    }
    clean
}

/// Removes scripts, event handlers, unsafe URLs and anything else not in ammonia's
/// allow list. No `rel` is added to links: every page already sends no referrer
/// (`<meta name="referrer" content="no-referrer">`), `target` is not allowed, and a
/// `rel` left on an `<a>` whose unsafe `href` was removed is invalid HTML.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// Whether the sanitiser keeps `url`: relative, or with one of ammonia's allowed schemes.
fn safe_url(url: &str) -> bool {
    match ammonia::Url::parse(url) {
        Ok(u) => ammonia::Builder::default()
            .clone_url_schemes()
            .contains(u.scheme()),
        Err(e) => e == ammonia::url::ParseError::RelativeUrlWithoutBase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CX: MarkdownContext<'static> = MarkdownContext {
        root: "../../",
        targets: &[],
        trusted_html: false,
    };

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
            &CX,
            &mut |_| String::new(),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn internal_links_become_relative() {
        let targets = vec!["initiatives/web-shop".to_string()];
        let cx = MarkdownContext {
            root: "../../",
            targets: &targets,
            trusted_html: false,
        };
        let html = render_markdown(
            &doc("[shop](@/initiatives/web-shop) and [map](@/roadmap#top)"),
            &cx,
            &mut |_| String::new(),
        );
        assert!(
            html.contains("href=\"../../initiatives/web-shop/index.html\""),
            "{html}"
        );
    }

    #[test]
    fn trusted_html_is_kept() {
        let cx = MarkdownContext {
            root: "",
            targets: &[],
            trusted_html: true,
        };
        let html = render_markdown(&doc("<div class=\"x\">kept</div>"), &cx, &mut |_| {
            String::new()
        });
        assert!(html.contains("<div class=\"x\">"), "{html}");
    }

    #[test]
    fn tables_render() {
        let html = render_markdown(&doc("|a|b|\n|-|-|\n|1|2|\n"), &CX, &mut |_| String::new());
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn unsafe_images_become_their_alt_text_and_links_get_no_rel() {
        let html = render_markdown(
            &doc(
                "![js](javascript:alert(1)) ![ok](a.png) [x](javascript:alert(2)) [y](https://example.org/)",
            ),
            &CX,
            &mut |_| String::new(),
        );
        assert_eq!(
            html,
            "<p>js <img src=\"a.png\" alt=\"ok\"> <a>x</a> <a href=\"https://example.org/\">y</a></p>\n"
        );
    }
}
