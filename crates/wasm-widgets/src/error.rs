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

/// Whether every comma in `t` separates thousands: groups of exactly three digits after
/// the first, all before any decimal point (`1,250,000.5`).
fn thousands_commas(t: &str) -> bool {
    let whole = t.split(['.', 'e', 'E']).next().unwrap_or("");
    let digits = whole.trim_start_matches(['-', '+']);
    let mut groups = digits.split(',');
    let first = groups.next().unwrap_or("");
    !t[whole.len()..].contains(',')
        && (1..=3).contains(&first.len())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses a number typed by a person: surrounding spaces, a trailing `%`, thousands
/// commas (in groups of three: `12,000,000`) and a typographic minus are accepted; `k`,
/// `M` and `B` suffixes multiply when `suffixes` is set. A decimal comma (`1,5`) is
/// refused with a message saying to write a point, never read as another number; blank,
/// non-numeric and non-finite input is a message too.
pub fn parse_number(text: &str, suffixes: bool) -> Result<f64, String> {
    let trimmed = text.trim().replace('\u{2212}', "-").replace(['_', ' '], "");
    if trimmed.contains(',')
        && !thousands_commas(trimmed.trim_end_matches(['%', 'k', 'K', 'm', 'M', 'b', 'B']))
    {
        return Err(format!(
            "write decimals with a point: “{}” has a comma that does not separate thousands (for one and a half, write 1.5)",
            text.trim()
        ));
    }
    let t = trimmed.replace(',', "");
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
        _ => Err(format!("“{}” is not a number", text.trim())),
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
    fn a_decimal_comma_is_refused_never_misread() {
        for t in ["1,5", "30,5%", "1,50", "12,5M", "1,2345", ",5", "1,000,00"] {
            let e = parse_number(t, true).expect_err(t);
            assert!(e.contains("write decimals with a point"), "{t}: {e}");
        }
        assert_eq!(parse_number("1,500", false), Ok(1500.0));
        assert_eq!(parse_number("1,500.25", false), Ok(1500.25));
        assert_eq!(parse_number("-2,000k", true), Ok(-2e6));
        assert_eq!(parse_number("1.5", false), Ok(1.5));
        assert_eq!(
            parse_number("abc", false),
            Err("“abc” is not a number".into())
        );
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_whole("3", 0, 10), Ok(3));
        assert!(parse_whole("3.5", 0, 10).is_err());
        assert!(parse_whole("11", 0, 10).is_err());
        assert!(parse_whole("-1", 0, 10).is_err());
    }
}
