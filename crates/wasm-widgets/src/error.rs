//! The widgets' errors. Field-level problems (a blank or absurd input) are not errors:
//! they come back inside a response as [`FieldError`]s, so the widget shows them next to
//! the field and keeps working. A [`WidgetError`] means the request itself could not be
//! served (bad data file, unknown initiative, malformed request).

use serde::Serialize;
use std::fmt;

/// A request that could not be served.
#[derive(Clone, Debug, PartialEq)]
pub enum WidgetError {
    /// `data/portfolio.json` could not be read as a portfolio.
    Data(String),
    /// The request JSON is malformed (a bug in the widget script, not a user error).
    Request(String),
    /// No initiative has this id.
    UnknownInitiative(String),
    /// A chart could not be drawn.
    Chart(String),
    /// The Monte Carlo simulation could not run.
    Simulation(String),
    /// The selection could not be made.
    Selection(String),
}

impl fmt::Display for WidgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WidgetError::Data(m) => write!(f, "the portfolio data could not be read: {m}"),
            WidgetError::Request(m) => write!(f, "the widget sent a malformed request: {m}"),
            WidgetError::UnknownInitiative(id) => write!(f, "no initiative has the id `{id}`"),
            WidgetError::Chart(m) => write!(f, "the chart could not be drawn: {m}"),
            WidgetError::Simulation(m) => write!(f, "the simulation could not run: {m}"),
            WidgetError::Selection(m) => write!(f, "the selection could not be made: {m}"),
        }
    }
}

impl std::error::Error for WidgetError {}

impl From<vmo_charts::ChartError> for WidgetError {
    fn from(e: vmo_charts::ChartError) -> Self {
        WidgetError::Chart(e.to_string())
    }
}

/// A problem with one input field, shown next to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name in the request (`cost_overrun`, `budget`, `weight:strategic-fit`).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Parses a number typed by a person: surrounding spaces, a trailing `%`, thousands
/// commas and a typographic minus are accepted; `k`, `M` and `B` suffixes multiply when
/// `suffixes` is set. Blank, non-numeric and non-finite input is a message.
pub fn parse_number(text: &str, suffixes: bool) -> Result<f64, String> {
    let t = text
        .trim()
        .replace('\u{2212}', "-")
        .replace([',', '_', ' '], "");
    let t = t.strip_suffix('%').unwrap_or(&t).trim();
    if t.is_empty() {
        return Err("enter a number".into());
    }
    let (body, factor) = match t.chars().last() {
        Some('k' | 'K') if suffixes => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') if suffixes => (&t[..t.len() - 1], 1e6),
        Some('b' | 'B') if suffixes => (&t[..t.len() - 1], 1e9),
        _ => (t, 1.0),
    };
    // Rust's parser also reads `inf` and `NaN`: only plain decimal notation is a number here.
    let plain = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && body.chars().any(|c| c.is_ascii_digit());
    match body.parse::<f64>() {
        Ok(x) if plain && (x * factor).is_finite() => Ok(x * factor),
        _ => Err(format!("`{}` is not a number", text.trim())),
    }
}

/// Parses a whole number in `min..=max`.
pub fn parse_whole(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let x = parse_number(text, false)?;
    if x.fract() != 0.0 {
        return Err(format!("enter a whole number from {min} to {max}"));
    }
    if x < min as f64 || x > max as f64 {
        return Err(format!("enter a whole number from {min} to {max}"));
    }
    Ok(x as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_people_type() {
        assert_eq!(parse_number(" 30 ", false), Ok(30.0));
        assert_eq!(parse_number("30%", false), Ok(30.0));
        assert_eq!(parse_number("−12.5", false), Ok(-12.5));
        assert_eq!(parse_number("12,000,000", false), Ok(12e6));
        assert_eq!(parse_number("12.5M", true), Ok(12.5e6));
        assert_eq!(parse_number("350k", true), Ok(350e3));
        assert!(parse_number("12M", false).is_err());
        assert!(parse_number("", false).is_err());
        assert!(parse_number("inf", false).is_err());
        assert!(parse_number("NaN", false).is_err());
        assert!(parse_number("1e400", false).is_err());
        assert!(parse_number("abc", true).is_err());
        assert!(parse_number("-", false).is_err());
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_whole("3", 0, 10), Ok(3));
        assert!(parse_whole("3.5", 0, 10).is_err());
        assert!(parse_whole("11", 0, 10).is_err());
        assert!(parse_whole("-1", 0, 10).is_err());
    }
}
