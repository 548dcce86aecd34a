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
            let mut message = plain_types(&first_line(e.message()));
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
    let (found, expected) = message
        .strip_prefix("invalid type: ")?
        .split_once(", expected ")?;
    let number = expected.contains("number");
    if found.starts_with("string") && number {
        Some("write the number without quotes, e.g. `8` or `0.25`".into())
    } else if expected == "a string" && !found.starts_with("table") && !found.starts_with("array") {
        Some(format!("put the text in double quotes: `\"{snippet}\"`"))
    } else if found.starts_with("array") && !expected.contains("array") {
        Some("give one value here, not an array `[...]`".into())
    } else if found.starts_with("string") && expected.contains("array") {
        Some("give a list in square brackets, e.g. `[\"a\", \"b\"]`".into())
    } else {
        None
    }
}

/// Serde names Rust types ("expected f64", "expected a sequence"); content authors
/// write TOML, so the message names TOML's kinds of value instead.
fn plain_types(message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else {
        return message.to_string();
    };
    if !(head.starts_with("invalid type: ") || head.starts_with("invalid value: ")) {
        return message.to_string();
    }
    let plain = match expected {
        "f64" | "f32" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "a sequence" => "an array `[...]`",
        "a map" => "a table",
        e if e.starts_with("struct ") => "a table",
        e if e.starts_with("a sequence") => "an array `[...]`",
        e => e,
    };
    let head = head
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: table")
        .replace(": floating point", ": number")
        .replace(": integer", ": number");
    format!("{head}, expected {plain}")
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
    fn type_errors_name_toml_kinds_with_a_hint() {
        let m = plain_types("invalid type: string \"high\", expected f64");
        assert_eq!(m, "invalid type: string \"high\", expected a number");
        assert_eq!(
            hint_for(&m, "\"high\"").as_deref(),
            Some("write the number without quotes, e.g. `8` or `0.25`")
        );
        let m = plain_types("invalid type: integer `42`, expected a string");
        assert_eq!(m, "invalid type: number `42`, expected a string");
        assert_eq!(
            hint_for(&m, "42").as_deref(),
            Some("put the text in double quotes: `\"42\"`")
        );
        let m = plain_types("invalid type: sequence, expected f64");
        assert_eq!(m, "invalid type: array, expected a number");
        assert_eq!(
            hint_for(&m, "[1]").as_deref(),
            Some("give one value here, not an array `[...]`")
        );
        assert_eq!(
            plain_types("invalid value: integer `-3`, expected u32"),
            "invalid value: number `-3`, expected a whole number of 0 or more"
        );
        assert_eq!(plain_types("expected `=`"), "expected `=`");
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
