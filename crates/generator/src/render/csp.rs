//! The Content-Security-Policy on every HTML page, whatever the templates say.
//!
//! A `<meta http-equiv="Content-Security-Policy">` only guards what comes after it, and
//! only inside `<head>`. So the generator does not trust a template override to write it:
//! [`ensure`] looks at the start of every HTML file, and unless the first element of
//! its head that matters is already the policy exactly as the default `base.html` writes
//! it, inserts it there: right after `<head>` and any `<meta charset>`/`<meta name>`
//! (they load nothing), before every script, style, link or base element. A page with no
//! `<head>` tag, or with something before it, gets `<head>` and the policy at the
//! earliest place a parser would open the head: after the doctype, comments and
//! `<html>`, before anything else (a later `<head>` tag is then ignored by browsers, as
//! a second one always is).
//!
//! A template may add a policy of its own. It cannot weaken this one: browsers enforce
//! every policy a page carries, so an extra one can only restrict further. Injecting
//! rather than failing the build keeps a working theme working; the policy is the
//! generator's guarantee, not the theme's.

use super::CSP;

/// The policy's `<meta>` element, byte for byte as the default `base.html` renders it
/// (minijinja escapes `'` as `&#x27;`).
pub fn meta_tag() -> String {
    format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        escape(CSP)
    )
}

/// Escapes an attribute value the way minijinja's HTML auto-escaping does.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `path` is served as an HTML page (by its extension).
pub fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// Puts the policy first in the head of `html` unless it is there already. Returns
/// whether the page was changed.
pub fn ensure(html: &mut Vec<u8>) -> bool {
    let tag = meta_tag();
    let (at, head_open) = insertion_point(html);
    if head_open && html[at..].starts_with(tag.as_bytes()) {
        return false;
    }
    let insert = if head_open {
        tag
    } else {
        format!("<head>{tag}")
    };
    html.splice(at..at, insert.into_bytes());
    true
}

/// Where the policy must go, and whether a `<head>` is open there.
fn insertion_point(html: &[u8]) -> (usize, bool) {
    let mut i = if html.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    i = skip_prologue(html, i, true);
    if let Some(t) = tag_at(html, i).filter(|t| t.name == "html") {
        i = skip_prologue(html, t.end, false);
    }
    let Some(head) = tag_at(html, i).filter(|t| t.name == "head") else {
        return (i, false);
    };
    i = head.end;
    loop {
        let next = skip_prologue(html, i, false);
        match tag_at(html, next) {
            Some(t) if t.name == "meta" && !t.has_attribute("http-equiv") => i = t.end,
            _ => return (next, true),
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Skips whitespace and comments (and, when `doctype`, doctypes and the other `<!`/`<?`
/// declarations the HTML tokenizer reads as bogus comments).
fn skip_prologue(html: &[u8], mut i: usize, doctype: bool) -> usize {
    loop {
        while i < html.len() && is_space(html[i]) {
            i += 1;
        }
        let rest = &html[i..];
        if rest.starts_with(b"<!--") {
            i = comment_end(html, i + 4);
        } else if doctype && (rest.starts_with(b"<!") || rest.starts_with(b"<?")) {
            i = find(html, i, b">").map_or(html.len(), |e| e + 1);
        } else {
            return i;
        }
    }
}

/// The end of a comment whose text starts at `i`, as the HTML tokenizer reads it:
/// `<!-->` and `<!--->` are whole comments, otherwise it ends at `-->` or `--!>`.
fn comment_end(html: &[u8], i: usize) -> usize {
    let rest = &html[i..];
    if rest.starts_with(b">") {
        return i + 1;
    }
    if rest.starts_with(b"->") {
        return i + 2;
    }
    let a = find(html, i, b"-->").map(|e| e + 3);
    let b = find(html, i, b"--!>").map(|e| e + 4);
    match (a, b) {
        (Some(a), Some(b)) => a.min(b),
        (Some(e), None) | (None, Some(e)) => e,
        (None, None) => html.len(),
    }
}

fn find(html: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    html.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// A start tag: its lower-case name, attribute names and where it ends.
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<String>,
    end: usize,
}

impl Tag {
    fn has_attribute(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| a == name)
    }
}

/// The start tag at `i`, read as the HTML tokenizer reads it (`>` inside a quoted
/// attribute value does not end it), or None when there is none.
fn tag_at(html: &[u8], i: usize) -> Option<Tag> {
    if html.get(i) != Some(&b'<') || !html.get(i + 1)?.is_ascii_alphabetic() {
        return None;
    }
    let mut j = i + 1;
    while j < html.len() && !is_space(html[j]) && html[j] != b'/' && html[j] != b'>' {
        j += 1;
    }
    let name = String::from_utf8_lossy(&html[i + 1..j]).to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while j < html.len() && (is_space(html[j]) || html[j] == b'/') {
            j += 1;
        }
        match html.get(j) {
            None => return None,
            Some(b'>') => {
                return Some(Tag {
                    name,
                    attributes,
                    end: j + 1,
                });
            }
            Some(_) => {}
        }
        // The name: up to space, `/`, `>` or `=` (a leading `=` belongs to it).
        let start = j;
        j += 1;
        while j < html.len() && !is_space(html[j]) && !matches!(html[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        attributes.push(String::from_utf8_lossy(&html[start..j]).to_ascii_lowercase());
        while j < html.len() && is_space(html[j]) {
            j += 1;
        }
        if html.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < html.len() && is_space(html[j]) {
            j += 1;
        }
        match html.get(j) {
            Some(&q @ (b'"' | b'\'')) => j = find(html, j + 1, &[q])? + 1,
            _ => {
                while j < html.len() && !is_space(html[j]) && html[j] != b'>' {
                    j += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ensured(html: &str) -> String {
        let mut bytes = html.as_bytes().to_vec();
        ensure(&mut bytes);
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_page_with_the_policy_first_is_left_as_it_is() {
        let page = format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"x\">\n{}\n<title>t</title>",
            meta_tag()
        );
        let mut bytes = page.clone().into_bytes();
        assert!(!ensure(&mut bytes));
        assert_eq!(bytes, page.into_bytes());
    }

    #[test]
    fn a_missing_policy_goes_first_in_head_after_the_charset() {
        let t = meta_tag();
        assert_eq!(
            ensured(
                "<!DOCTYPE html><HTML><Head class=\"a>b\"><meta charset=utf-8><script src=x></script>"
            ),
            format!(
                "<!DOCTYPE html><HTML><Head class=\"a>b\"><meta charset=utf-8>{t}<script src=x></script>"
            )
        );
    }

    #[test]
    fn a_different_policy_gets_ours_before_it() {
        let t = meta_tag();
        let weak = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\">";
        assert_eq!(
            ensured(&format!("<html><head>{weak}")),
            format!("<html><head>{t}{weak}")
        );
    }

    #[test]
    fn without_a_head_the_policy_opens_one_before_anything_else() {
        let t = meta_tag();
        assert_eq!(
            ensured("<!doctype html><!-- c --><script>x()</script><head>"),
            format!("<!doctype html><!-- c --><head>{t}<script>x()</script><head>")
        );
        assert_eq!(ensured("hello"), format!("<head>{t}hello"));
        assert_eq!(
            ensured("<html lang=en><body>"),
            format!("<html lang=en><head>{t}<body>")
        );
    }

    #[test]
    fn comments_end_where_a_browser_ends_them() {
        let t = meta_tag();
        // `<!-->` is a whole comment: the script after it runs, so the policy goes first.
        assert_eq!(
            ensured("<!--><script>x()</script><!-- -->"),
            format!("<!--><head>{t}<script>x()</script><!-- -->")
        );
        assert_eq!(ensured("<!---><head>"), format!("<!---><head>{t}"));
    }

    #[test]
    fn a_meta_with_http_equiv_is_not_skipped() {
        let t = meta_tag();
        assert_eq!(
            ensured("<head><meta http-equiv=refresh content=0>"),
            format!("<head>{t}<meta http-equiv=refresh content=0>")
        );
    }

    #[test]
    fn html_paths() {
        assert!(is_html("a/index.html") && is_html("x.HTM") && !is_html("a.svg"));
    }
}
