//! Markdown to safe HTML: CommonMark plus tables, footnotes and strikethrough; raw HTML
//! sanitised with ammonia; `vmo` blocks replaced by the charts and tables they embed.

use crate::content::Document;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};
use std::cell::RefCell;

/// The sentinel that stands for embed `n` until sanitising is done. Private-use
/// characters, so ordinary text never produces it by accident; if a writer types one,
/// the worst outcome is an extra chart.
fn marker(n: usize) -> String {
    format!("{MARKER_OPEN}{n}{MARKER_CLOSE}")
}

const MARKER_OPEN: &str = "<p>\u{e000}vmo-embed-";
const MARKER_CLOSE: &str = "\u{e000}</p>";

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
///
/// Memory stays in proportion to the Markdown, not to the number of HTML elements: the
/// events stream into the HTML writer (never collected), and the HTML is sanitised in
/// pieces of about [`CHUNKING`]`.target` bytes (ammonia builds a DOM of what it cleans,
/// some 150 bytes per element: a 50 MB body of short paragraphs or table rows made
/// gigabytes of it). A piece ends only between the children of paragraphs, lists, list
/// items, block quotes and table bodies (or at the top level), and is cleaned inside copies of
/// the elements still open there, so each element is cleaned in the context it has in
/// the whole page: the result is byte for byte the whole page cleaned at once.
/// Embedded charts and tables go in, in one pass over each cleaned piece.
pub fn render_markdown(
    doc: &Document,
    cx: &MarkdownContext<'_>,
    embed_html: &mut dyn FnMut(usize) -> String,
) -> String {
    render_in_pieces(doc, cx, embed_html, CHUNKING)
}

/// Where the HTML of a document is cut for sanitising.
#[derive(Clone, Copy, Debug)]
struct Chunking {
    /// A piece ends at the first place it may once it has this many bytes...
    target: usize,
    /// ... where no raw HTML element is open, unless it has this many.
    force: usize,
}

const CHUNKING: Chunking = Chunking {
    target: 128 << 10,
    force: 1 << 20,
};

fn render_in_pieces(
    doc: &Document,
    cx: &MarkdownContext<'_>,
    embed_html: &mut dyn FnMut(usize) -> String,
    chunking: Chunking,
) -> String {
    let pieces = RefCell::new(Pieces {
        raw: String::new(),
        open: Vec::new(),
        out: String::new(),
        used: vec![false; doc.embeds.len()],
        trusted: cx.trusted_html,
        embed_html,
    });
    let events = Events {
        parser: Parser::new_ext(&doc.markdown, OPTIONS).into_offset_iter(),
        doc,
        cx,
        pieces: &pieces,
        chunking,
        in_embed: false,
        images: Vec::new(),
        next_embed: 0,
        stack: Vec::new(),
        blocked: 0,
        raw_depth: 0,
    };
    // Writing into a String cannot fail.
    let _ = html::write_html_fmt(Shared(&pieces), events);
    let mut pieces = pieces.into_inner();
    pieces.flush(&[]);
    pieces.out
}

/// An element a piece may end inside: its start and end tags as ammonia writes them.
type Wrap = (&'static str, &'static str);

/// The HTML written so far: the piece being written, what is done, and which embeds are
/// already in.
struct Pieces<'e> {
    raw: String,
    /// The elements open where the current piece starts.
    open: Vec<Wrap>,
    out: String,
    used: Vec<bool>,
    trusted: bool,
    embed_html: &'e mut dyn FnMut(usize) -> String,
}

impl Pieces<'_> {
    /// Cleans the current piece, which ends inside `open_now`, and appends it.
    fn flush(&mut self, open_now: &[Wrap]) {
        let raw = std::mem::take(&mut self.raw);
        if self.trusted {
            insert_embeds(&raw, &mut self.out, &mut self.used, self.embed_html);
            return;
        }
        let head: String = self.open.iter().map(|w| w.0).collect();
        let tail: String = open_now.iter().rev().map(|w| w.1).collect();
        let clean = sanitize(&format!("{head}{raw}{tail}"));
        drop(raw);
        // The copies of the open elements come out as they went in (they have no
        // attributes to lose); anything else would be a bug, and the piece is kept whole
        // rather than cut wrong.
        let inner = if clean.len() >= head.len() + tail.len()
            && clean.starts_with(&head)
            && clean.ends_with(&tail)
        {
            &clean[head.len()..clean.len() - tail.len()]
        } else {
            debug_assert!(false, "a cleaned piece lost its context");
            &clean
        };
        insert_embeds(inner, &mut self.out, &mut self.used, self.embed_html);
        self.open = open_now.to_vec();
    }
}

/// Copies `clean` into `out`, each embed's marker (its first one) replaced by its HTML.
fn insert_embeds(
    clean: &str,
    out: &mut String,
    used: &mut [bool],
    embed_html: &mut dyn FnMut(usize) -> String,
) {
    let mut rest = clean;
    while let Some(at) = rest.find(MARKER_OPEN) {
        let after = &rest[at + MARKER_OPEN.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n = after[..digits].parse::<usize>().ok();
        match n {
            Some(n) if after[digits..].starts_with(MARKER_CLOSE) && used.get(n) == Some(&false) => {
                used[n] = true;
                out.push_str(&rest[..at]);
                out.push_str(&embed_html(n));
                rest = &after[digits + MARKER_CLOSE.len()..];
            }
            _ => {
                out.push_str(&rest[..at + MARKER_OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// The HTML writer's output, into the current piece.
struct Shared<'p, 'e>(&'p RefCell<Pieces<'e>>);

impl std::fmt::Write for Shared<'_, '_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().raw.push_str(s);
        Ok(())
    }
}

/// The document's events as the page shows them (unsafe images as their alt text, `@/`
/// links made relative, `vmo` blocks as markers), ending a piece between two events
/// where it may. The writer has written every event it was given when it asks for the
/// next one, so the piece is complete then.
struct Events<'a, 'p, 'e> {
    parser: pulldown_cmark::OffsetIter<'a>,
    doc: &'a Document,
    cx: &'a MarkdownContext<'a>,
    pieces: &'p RefCell<Pieces<'e>>,
    chunking: Chunking,
    in_embed: bool,
    /// One flag per open image: whether it is dropped (its URL is unsafe).
    images: Vec<bool>,
    /// The first embed that may still start (embeds are in document order).
    next_embed: usize,
    /// The open elements; None for those a piece must not end inside.
    stack: Vec<Option<Wrap>>,
    /// How many of `stack` are None.
    blocked: usize,
    /// Raw HTML elements opened and not closed (as far as a quick count tells).
    raw_depth: usize,
}

impl<'a> Iterator for Events<'a, '_, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        self.maybe_flush();
        loop {
            let (ev, range) = self.parser.next()?;
            if let Some(ev) = self.transform(ev, range.start) {
                self.track(&ev);
                return Some(ev);
            }
        }
    }
}

impl<'a> Events<'a, '_, '_> {
    fn maybe_flush(&mut self) {
        if self.blocked > 0 {
            return;
        }
        let len = self.pieces.borrow().raw.len();
        if len >= self.chunking.target && (self.raw_depth == 0 || len >= self.chunking.force) {
            let open: Vec<Wrap> = self.stack.iter().flatten().copied().collect();
            self.pieces.borrow_mut().flush(&open);
        }
    }

    /// The event as the page shows it, or None when it is left out.
    fn transform(&mut self, ev: Event<'a>, start: usize) -> Option<Event<'a>> {
        // An image whose URL the sanitiser would remove becomes its alt text: an `<img>`
        // without `src` is invalid HTML.
        let dropped = match &ev {
            Event::Start(Tag::Image { dest_url, .. }) => {
                let unsafe_url = !self.cx.trusted_html && !safe_url(dest_url);
                self.images.push(unsafe_url);
                unsafe_url
            }
            Event::End(TagEnd::Image) => self.images.pop().unwrap_or(false),
            _ => false,
        };
        if dropped {
            return None;
        }
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.trim() == "vmo" => {
                self.in_embed = true;
                let embeds = &self.doc.embeds[self.next_embed.min(self.doc.embeds.len())..];
                let k = embeds.partition_point(|e| e.range.start < start);
                let n = self.next_embed + k;
                (embeds.get(k).is_some_and(|e| e.range.start == start)).then(|| {
                    self.next_embed = n + 1;
                    Event::Html(format!("{}\n", marker(n)).into())
                })
            }
            Event::End(TagEnd::CodeBlock) if self.in_embed => {
                self.in_embed = false;
                None
            }
            _ if self.in_embed => None,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let dest = crate::content::embed::link_target(&dest_url, self.cx.targets)
                    .map_or_else(|| dest_url.to_string(), |t| format!("{}{t}", self.cx.root));
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }))
            }
            ev => Some(ev),
        }
    }

    /// Keeps the open elements and the raw HTML depth up to date.
    fn track(&mut self, ev: &Event<'a>) {
        match ev {
            Event::Start(tag) => {
                let wrap = match tag {
                    Tag::List(None) => Some(("<ul>", "</ul>")),
                    Tag::List(Some(_)) => Some(("<ol>", "</ol>")),
                    Tag::Item => Some(("<li>", "</li>")),
                    Tag::BlockQuote(_) => Some(("<blockquote>", "</blockquote>")),
                    // Between a paragraph's inline parts (not inside emphasis or a link).
                    Tag::Paragraph => Some(("<p>", "</p>")),
                    // A table may be cut between the rows of its body (below).
                    _ => None,
                };
                self.blocked += usize::from(wrap.is_none());
                self.stack.push(wrap);
            }
            Event::End(end) => {
                if self.stack.pop().flatten().is_none() {
                    self.blocked = self.blocked.saturating_sub(1);
                }
                if *end == TagEnd::TableHead
                    && let Some(top) = self.stack.last_mut()
                    && top.is_none()
                {
                    *top = Some(("<table><tbody>", "</tbody></table>"));
                    self.blocked -= 1;
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                self.raw_depth = self.raw_depth.saturating_add_signed(tag_balance(h));
            }
            _ => {}
        }
    }
}

/// Elements opened minus elements closed in a piece of raw HTML, roughly: void elements
/// and comments do not count. It only decides where pieces may end; a wrong count makes
/// a piece longer, or (past [`Chunking::force`]) cuts an element the sanitiser then
/// closes early, never anything unsafe.
fn tag_balance(html: &str) -> isize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let b = html.as_bytes();
    let mut depth = 0isize;
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&c| c == b'<') {
        i += p + 1;
        if b[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        let close = b.get(i) == Some(&b'/');
        let s = i + usize::from(close);
        let len = b[s..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if len == 0 || !b[s].is_ascii_alphabetic() {
            continue;
        }
        let name = html[s..s + len].to_ascii_lowercase();
        if !VOID.contains(&name.as_str()) {
            depth += if close { -1 } else { 1 };
        }
    }
    depth
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

    /// Every kind of block and inline the sample content uses, and raw HTML.
    const RICH: &str = "# Title {#t}\n\nA *para* with **bold**, `code`, ~~del~~, a [link](https://example.org/ \"t\") and [bad](javascript:x()).[^n]\n\n\
        - one\n- two *em*\n  - nested\n  - list\n\n    more in the item\n- [ ] task\n- [x] done\n\n\
        3. three\n4. four\n\n> quote\n>\n> - in a list\n> - again\n\n\
        | a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n| x | <b>y</b> | z |\n\n\
        ```rust\nlet x = 1 < 2;\n```\n\n<div class=\"box\">\n\ninside *div*\n\n</div>\n\n\
        <script>alert(1)</script>\n\nText <span onclick=\"x()\">span</span> ![img](a.png) ![bad](javascript:y)\n\n\
        ***\n\n[^n]: The note.\n\n";

    fn doc_of(md: String) -> Document {
        Document {
            file: "x.md".into(),
            markdown: md,
            embeds: Vec::new(),
        }
    }

    #[test]
    fn cut_into_the_smallest_pieces_the_html_is_the_html_cleaned_whole() {
        let md = RICH.repeat(20);
        let whole = render_in_pieces(
            &doc_of(md.clone()),
            &CX,
            &mut |_| String::new(),
            Chunking {
                target: usize::MAX,
                force: usize::MAX,
            },
        );
        let pieces = render_in_pieces(
            &doc_of(md),
            &CX,
            &mut |_| String::new(),
            Chunking {
                target: 1,
                force: usize::MAX,
            },
        );
        assert_eq!(pieces, whole);
    }

    #[test]
    fn a_huge_list_table_or_paragraph_is_cut_between_its_parts() {
        let list = "- item *a*\n".repeat(30_000);
        let table = format!("|a|b|\n|-|-|\n{}", "|1|2|\n".repeat(30_000));
        let paragraph = "*a* **b** <i>c</i> [d](e) ".repeat(10_000);
        for md in [list, table, paragraph] {
            let cut = |target| {
                render_in_pieces(
                    &doc_of(md.clone()),
                    &CX,
                    &mut |_| String::new(),
                    Chunking {
                        target,
                        force: usize::MAX,
                    },
                )
            };
            assert_eq!(cut(4096), cut(usize::MAX));
        }
    }

    #[test]
    fn pieces_never_end_inside_open_raw_html_unless_forced() {
        let md = format!("<div>\n\n{}</div>\n", "para\n\n".repeat(100));
        let cut = |force| {
            render_in_pieces(
                &doc_of(md.clone()),
                &CX,
                &mut |_| String::new(),
                Chunking { target: 1, force },
            )
        };
        assert_eq!(
            cut(usize::MAX),
            sanitize(&{
                let mut raw = String::new();
                html::push_html(&mut raw, Parser::new_ext(&md, OPTIONS));
                raw
            })
        );
        // Forced, the div is closed early by the sanitiser: different, still clean.
        assert!(!cut(1).contains("<script"));
    }

    #[test]
    fn each_embed_goes_in_once_in_one_pass() {
        let n = 3;
        let md: String = (0..n)
            .map(|k| format!("Para {k}\n\n```vmo\nchart = \"roadmap\"\n```\n\n"))
            .collect();
        let mut d = doc_of(md.clone());
        d.embeds = md
            .match_indices("```vmo")
            .map(|(at, _)| crate::content::embed::EmbedAt {
                range: at..at + 1,
                embed: crate::content::embed::Embed::Chart {
                    name: "roadmap".into(),
                    initiative: None,
                },
            })
            .collect();
        let html = render_markdown(&d, &CX, &mut |k| format!("<figure>{k}</figure>"));
        assert_eq!(
            html,
            "<p>Para 0</p>\n<figure>0</figure>\n<p>Para 1</p>\n<figure>1</figure>\n<p>Para 2</p>\n<figure>2</figure>\n"
        );
    }

    #[test]
    fn tag_balance_counts_elements() {
        assert_eq!(tag_balance("<div class=\"a\"><br><img src=x>"), 1);
        assert_eq!(tag_balance("</div></p>"), -2);
        assert_eq!(tag_balance("<!-- <div> --> a < b"), 0);
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
