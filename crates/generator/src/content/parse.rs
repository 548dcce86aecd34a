//! Splitting front matter from Markdown and turning TOML errors into diagnostics.

use crate::diagnostics::{Diagnostics, SourceText, did_you_mean};
use serde::de::DeserializeOwned;
use std::ops::Range;

/// A Markdown file split at its `+++` fences.
#[derive(Debug)]
pub struct Split<'a> {
    /// The TOML between the fences.
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    pub body_offset: usize,
}

/// Splits `+++` front matter from a Markdown file, or reports why it cannot.
pub fn split_front_matter<'a>(file: &'a SourceText, diags: &mut Diagnostics) -> Option<Split<'a>> {
    let text = file.text.as_str();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "+++" {
        diags.error(
            file,
            start..start + first_line_end.min(rest.len()),
            "the file does not start with `+++` front matter",
            Some(
                "start the file with a line `+++`, the TOML front matter, and another `+++` line"
                    .into(),
            ),
        );
        return None;
    }
    let front_offset = start + first_line_end;
    let mut pos = front_offset;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim_end() == "+++" {
            return Some(Split {
                front: &text[front_offset..pos],
                front_offset,
                body: &text[line_end..],
                body_offset: line_end,
            });
        }
        pos = line_end;
    }
    diags.error(
        file,
        start..front_offset,
        "the front matter is never closed",
        Some("add a line `+++` after the front matter".into()),
    );
    None
}

/// Deserialises TOML found at `offset` in `file`, reporting an error with its location.
pub fn parse_toml<T: DeserializeOwned>(
    file: &SourceText,
    toml_text: &str,
    offset: usize,
    diags: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str::<T>(toml_text) {
        Ok(v) => Some(v),
        Err(e) => {
            let span = e
                .span()
                .map_or(offset..offset, |s| s.start + offset..s.end + offset);
            let mut message = first_line(e.message());
            let hint = hint_for(&message, &file.text[clamp(&span, file.text.len())]);
            // The hint names the likely fix; the full list of valid keys is noise then.
            if hint
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
                && let Some((head, _)) = message.split_once(", expected")
            {
                message = head.to_string();
            }
            diags.error(file, span, message, hint);
            None
        }
    }
}

fn clamp(span: &Range<usize>, len: usize) -> Range<usize> {
    span.start.min(len)..span.end.min(len)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Serde's "unknown field `x`, expected one of `a`, `b`" (and "unknown variant")
/// becomes a hint naming the nearest valid spelling.
fn hint_for(message: &str, snippet: &str) -> Option<String> {
    for what in ["field", "variant"] {
        let Some(rest) = message.strip_prefix(&format!("unknown {what} `")) else {
            continue;
        };
        let word = rest.split('`').next().unwrap_or(snippet);
        let expected: Vec<&str> = message
            .split_once("expected ")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let what = if what == "field" { "key" } else { "value" };
        return Some(did_you_mean(word, &expected, what));
    }
    if message.starts_with("missing field") {
        return Some("add it: see docs/content-format.md for every key".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceText {
        SourceText {
            path: "x.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn splits_front_matter() {
        let f = src("+++\ntitle = \"a\"\n+++\nBody\n");
        let mut d = Diagnostics::new();
        let s = split_front_matter(&f, &mut d).unwrap();
        assert_eq!(s.front, "title = \"a\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&f.text[s.front_offset..s.front_offset + 5], "title");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let f = src("+++\ntitle = \"a\"\n");
        let mut d = Diagnostics::new();
        assert!(split_front_matter(&f, &mut d).is_none());
        assert!(d.has_errors());
    }

    #[test]
    fn unknown_field_hint() {
        let h = hint_for(
            "unknown field `titel`, expected one of `title`, `summary`",
            "titel",
        );
        assert_eq!(h.as_deref(), Some("did you mean `title`?"));
    }
}
