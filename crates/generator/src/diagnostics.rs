//! Diagnostics: every problem found in a run, with file, span, line, column and a hint.
//!
//! Stages push into a [`Diagnostics`] list instead of stopping at the first problem; the
//! binary prints them all once, sorted by file and position.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::Path;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site folder, with `/` separators.
    pub file: String,
    /// Byte range in the file (empty when the problem is the file as a whole).
    pub span: Range<usize>,
    /// 1-based line and column (column counted in characters).
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            escape(&self.file),
            self.line,
            self.column,
            escape(&self.message)
        )?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {})", escape(h))?;
        }
        Ok(())
    }
}

/// Whether `c` would act on a terminal rather than show: a control character (escape
/// sequences, carriage return, backspace, ...) or one that reorders text (bidi
/// overrides, isolates and marks).
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control and bidi character written as an escape (`\u{1b}`), so
/// that content quoted in a message can neither move the cursor, clear or retitle the
/// reader's terminal, nor reorder what it shows.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if acts_on_terminal(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A path as [`escape`] shows text.
pub fn escape_path(path: &Path) -> String {
    escape(&path.to_string_lossy()).into_owned()
}

/// A file's text made safe to print as a snippet, byte for byte the same length so that
/// spans still point at the same places: each character that acts on a terminal
/// becomes as many `?` as it has bytes (line feeds and tabs stay; a carriage return
/// before a line feed becomes a space).
fn printable_source(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| acts_on_terminal(c) && c != '\n' && c != '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => out.push(' '),
            c if acts_on_terminal(c) => out.extend(std::iter::repeat_n('?', c.len_utf8())),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A source file as read, kept so diagnostics can show lines and snippets.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceText {
    pub path: String,
    pub text: String,
}

/// Line and column (1-based, column in chars) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|&o| text.is_char_boundary(o))
        .unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // A CRLF line's `\r` is part of its ending, not a column.
    (
        line,
        before[line_start..].trim_end_matches('\r').chars().count() + 1,
    )
}

/// The diagnostics of a run.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds an error at `span` of `file` (whose text is `text`).
    pub fn error(
        &mut self,
        file: &SourceText,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.push(Severity::Error, file, span, message.into(), hint);
    }

    pub fn warning(
        &mut self,
        file: &SourceText,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.push(Severity::Warning, file, span, message.into(), hint);
    }

    /// An error that belongs to no file's content (e.g. a missing file).
    pub fn error_in(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        self.items.push(Diagnostic {
            severity: Severity::Error,
            file: path.to_string(),
            span: 0..0,
            line: 1,
            column: 1,
            message: message.into(),
            hint,
        });
    }

    fn push(
        &mut self,
        severity: Severity,
        file: &SourceText,
        span: Range<usize>,
        message: String,
        hint: Option<String>,
    ) {
        let (line, column) = line_col(&file.text, span.start);
        self.items.push(Diagnostic {
            severity,
            file: file.path.clone(),
            span,
            line,
            column,
            message,
            hint,
        });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by file, position and message, errors first on ties.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.span.start, a.severity, &a.message).cmp(&(
                &b.file,
                b.span.start,
                b.severity,
                &b.message,
            ))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Writes every diagnostic with a source snippet (codespan-reporting), sorted by file and
/// line, the way `vmo` prints them. `source` gives the text of a file named in a
/// diagnostic as it was read into memory (empty when there is none: the message is then
/// shown without a snippet); it must never read the disk again, where the file may
/// since be a link to a secret, a pipe or a device. Control and bidi characters from
/// content are escaped ([`escape`]), in snippets too. The `vmo` binary writes to the terminal; the fuzz targets to memory, so a
/// span that cannot be shown is found there rather than in front of a user.
pub fn write_report(
    out: &mut dyn codespan_reporting::term::termcolor::WriteColor,
    diags: &[Diagnostic],
    mut source: impl FnMut(&str) -> String,
) -> Result<(), codespan_reporting::files::Error> {
    use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term;

    let mut files = SimpleFiles::new();
    let mut ids = std::collections::BTreeMap::new();
    let config = term::Config::default();
    for d in diags {
        let name = escape(&d.file).into_owned();
        let id = *ids.entry(d.file.clone()).or_insert_with(|| {
            let text = source(&d.file);
            let text = printable_source(&text).into_owned();
            files.add(name.clone(), text)
        });
        let base = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut cd = base.with_message(escape(&d.message));
        let mut notes = Vec::new();
        let len = files.get(id).map_or(0, |f| f.source().len());
        if d.span.end > d.span.start || d.span.start < len {
            let start = d.span.start.min(len);
            let span = start..d.span.end.min(len).max(start);
            cd = cd.with_labels(vec![
                Label::primary(id, span).with_message(format!("{name}:{}:{}", d.line, d.column)),
            ]);
        } else {
            notes.push(format!("in {name}"));
        }
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {}", escape(h)));
        }
        term::emit_to_write_style(out, &config, &files, &cd.with_notes(notes))?;
    }
    Ok(())
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.75).map(|(_, c)| c)
}

/// A hint naming the nearest candidate, or listing the valid ones when there are few.
pub fn did_you_mean(word: &str, candidates: &[&str], what: &str) -> String {
    match nearest(word, candidates.iter().copied()) {
        Some(n) => format!("did you mean `{n}`?"),
        None if candidates.is_empty() => format!("no {what} is defined"),
        None if candidates.len() <= 8 => format!(
            "valid {what}s: {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "there are {} {what}s; none is close to `{word}`",
            candidates.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\ncé d\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 6), (2, 3)); // after 'c' and 'é' (2 bytes)
        assert_eq!(line_col(t, 999), (3, 1));
        // At the `\n` of a CRLF ending, the column is the `\r`'s: one past the text.
        assert_eq!(line_col("ab\r\ncd", 3), (1, 3));
        assert_eq!(line_col("ab\r\ncd", 5), (2, 2));
    }

    #[test]
    fn nearest_finds_typos() {
        let c = ["customer-onboarding", "claims", "pricing"];
        assert_eq!(
            nearest("custmer-onboarding", c),
            Some("customer-onboarding")
        );
        assert_eq!(nearest("zzz", c), None);
    }
}
