//! Post-processing of the SVG written by plotters: accessible root element,
//! class names for theme colours, dashes, and compact text elements.

use crate::ChartError;
use crate::theme::{Role, lookup_hex};

/// Makes caller text safe to hand to plotters (which XML-escapes it): control
/// characters become spaces (XML 1.0 forbids most of them and plotters writes
/// one tag per line), non-characters are dropped, whitespace is collapsed.
pub(crate) fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = if (c as u32) < 0x20 || c == '\u{7f}' {
            ' '
        } else {
            c
        };
        if c == '\u{fffe}' || c == '\u{ffff}' {
            continue;
        }
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// XML-escapes text we write ourselves (title, desc). Never applied to text
/// handed to plotters, which escapes `<>&"'` itself.
pub(crate) fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// Reduces an id to `[a-z0-9-]`: lowercase ASCII letters and digits are kept,
/// runs of anything else become one `-`; never empty, never starts with a digit.
pub fn sanitize_id(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("chart");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "c-");
    }
    out
}

pub(crate) struct Head<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    pub width: u32,
    pub height: u32,
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find("=\"") else { break };
        let key = rest[..eq].trim().to_string();
        let after = &rest[eq + 2..];
        let Some(end) = after.find('"') else { break };
        out.push((key, after[..end].to_string()));
        rest = &after[end + 1..];
    }
    out
}

fn fmt_size(v: &str) -> String {
    match v.parse::<f64>() {
        Ok(f) if f.is_finite() => {
            let s = format!("{:.2}", f);
            let s = s.trim_end_matches('0').trim_end_matches('.');
            s.to_string()
        }
        _ => v.to_string(),
    }
}

/// Rewrites one element: classes from sentinel colours, no `opacity="1"`,
/// dashes, rounded bars, text without per-element font-family.
fn rewrite_tag(tag: &str, attrs: Vec<(String, String)>) -> String {
    let mut classes: Vec<String> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut dashed = false;
    let mut fill_role: Option<Role> = None;
    for (k, v) in attrs {
        match k.as_str() {
            "opacity" if v == "1" => continue,
            "font-family" => continue,
            "font-size" => {
                out.push((k, fmt_size(&v)));
                continue;
            }
            "fill" | "stroke" => {
                if let Some((role, d)) = lookup_hex(&v) {
                    let prefix = if k == "fill" { "f" } else { "s" };
                    classes.push(format!("vmo-{prefix}-{}", role.class_suffix()));
                    if k == "stroke" && d {
                        dashed = true;
                    }
                    if k == "fill" {
                        fill_role = Some(role);
                    }
                    out.push((k, v.to_ascii_lowercase()));
                    continue;
                }
            }
            _ => {}
        }
        out.push((k, v));
    }
    if dashed {
        out.push(("stroke-dasharray".into(), "6 4".into()));
    }
    if tag == "rect"
        && matches!(
            fill_role,
            Some(
                Role::Series(_)
                    | Role::Positive
                    | Role::Negative
                    | Role::Low
                    | Role::Medium
                    | Role::High
            )
        )
    {
        out.push(("rx".into(), "2".into()));
    }
    if !classes.is_empty() {
        out.push(("class".into(), classes.join(" ")));
    }
    let mut s = String::new();
    s.push('<');
    s.push_str(tag);
    for (k, v) in out {
        s.push(' ');
        s.push_str(&k);
        s.push_str("=\"");
        s.push_str(&v); // already escaped by plotters or produced by us
        s.push('"');
    }
    s
}

/// Turns plotters' SVG document into the final chart fragment. `marks` is the number of
/// elements the canvas drew and `titles` the runs of them that share a hover title; each
/// run becomes `<g><title>…</title>…</g>`. Should plotters ever write another number of
/// elements than the canvas counted, the chart keeps its marks and drops the titles.
pub(crate) fn finish(
    raw: &str,
    head: &Head<'_>,
    marks: usize,
    titles: &[crate::draw::Titled],
) -> Result<String, ChartError> {
    let (out, seen) = finish_with(raw, head, titles)?;
    if seen == marks || titles.is_empty() {
        return Ok(out);
    }
    debug_assert!(
        false,
        "plotters wrote {seen} elements, the canvas drew {marks}"
    );
    Ok(finish_with(raw, head, &[])?.0)
}

fn finish_with(
    raw: &str,
    head: &Head<'_>,
    titles: &[crate::draw::Titled],
) -> Result<(String, usize), ChartError> {
    let mut titles = titles.iter().peekable();
    let mut open: Option<usize> = None;
    let mut k = 0usize;
    let id = sanitize_id(head.id);
    let mut out = String::with_capacity(raw.len() + 512);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"vmo-chart vmo-chart-{kind}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{font}, sans-serif\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n",
        kind = head.kind,
        w = head.width,
        h = head.height,
        font = crate::FONT_FAMILY,
        title = escape_xml(&clean_text(head.title)),
        desc = escape_xml(&clean_text(head.desc)),
    ));
    let mut lines = raw.lines();
    let first = lines.next().unwrap_or_default();
    if !first.starts_with("<svg") {
        return Err(ChartError::Render(
            "unexpected SVG header from plotters".into(),
        ));
    }
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        if line == "</svg>" {
            if open.take().is_some() {
                out.push_str("</g>\n");
            }
            out.push_str("</svg>\n");
            return Ok((out, k));
        }
        if open.is_none()
            && let Some(t) = titles.next_if(|t| t.start == k)
        {
            out.push_str("<g><title>");
            out.push_str(&escape_xml(&t.title));
            out.push_str("</title>\n");
            open = Some(t.end);
        }
        let Some(body) = line.strip_prefix('<') else {
            return Err(ChartError::Render(format!("unexpected SVG line: {line}")));
        };
        let name_end = body.find(' ').unwrap_or(body.len());
        let tag = &body[..name_end];
        if tag == "text" {
            let attrs = parse_attrs(body[name_end..].trim_end_matches('>'));
            let mut content = String::new();
            for l in lines.by_ref() {
                if l == "</text>" {
                    break;
                }
                if !content.is_empty() {
                    content.push(' ');
                }
                content.push_str(l);
            }
            out.push_str(&rewrite_tag("text", attrs));
            out.push('>');
            out.push_str(&content);
            out.push_str("</text>\n");
        } else if let Some(inner) = body[name_end..].strip_suffix("/>") {
            out.push_str(&rewrite_tag(tag, parse_attrs(inner)));
            out.push_str("/>\n");
        } else {
            return Err(ChartError::Render(format!(
                "unexpected SVG element: {line}"
            )));
        }
        k += 1;
        if open == Some(k) {
            out.push_str("</g>\n");
            open = None;
        }
        // A run that starts inside another (not made by `titled`) is skipped.
        while titles.next_if(|t| t.start < k).is_some() {}
    }
    Err(ChartError::Render("unterminated SVG from plotters".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(sanitize_id("Cash Flow: <X>"), "cash-flow-x");
        assert_eq!(sanitize_id("  "), "chart");
        assert_eq!(sanitize_id("2025-plan"), "c-2025-plan");
        assert_eq!(sanitize_id("é-ok--"), "ok");
    }

    #[test]
    fn text_is_cleaned() {
        assert_eq!(clean_text(" a\n\tb\u{0}c  d "), "a b c d");
        assert_eq!(
            escape_xml("<a & 'b'>\""),
            "&lt;a &amp; &apos;b&apos;&gt;&quot;"
        );
    }
}
