//! Deterministic number formatting for pages and widgets (no locale): money with
//! thousands separators, compact money (1.2M), percentages and plain numbers. The
//! generator and the wasm widgets both use it, so a widget reads like the page around it.

/// The symbol of common currencies; other codes are written out (`CHF 1,200`).
pub fn currency_symbol(code: &str) -> Option<&'static str> {
    match code {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        "INR" => Some("₹"),
        _ => None,
    }
}

fn with_symbol(code: &str, digits: String, negative: bool) -> String {
    let sign = if negative { "−" } else { "" };
    match currency_symbol(code) {
        Some(s) => format!("{sign}{s}{digits}"),
        None => format!("{sign}{code}\u{a0}{digits}"),
    }
}

/// Groups an integer's digits in threes with commas.
pub fn group(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `€1,234,568` (rounded to the unit; a minus sign for negatives).
pub fn money(x: f64, code: &str) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let r = x.abs().round();
    with_symbol(code, group(r as u128), x < 0.0 && r > 0.0)
}

/// `€1.2M`, `€350k`, `€950`.
pub fn money_short(x: f64, code: &str) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let a = x.abs();
    let digits = if a >= 1e9 {
        format!("{}B", trim(a / 1e9, 2))
    } else if a >= 1e6 {
        format!("{}M", trim(a / 1e6, if a >= 1e8 { 0 } else { 1 }))
    } else if a >= 1e3 {
        format!("{}k", trim(a / 1e3, 0))
    } else {
        format!("{}", a.round())
    };
    with_symbol(code, digits, x < 0.0 && a >= 0.5)
}

/// `x` with `decimals` decimals, rounded half away from zero as people and
/// spreadsheets do (`20.25` to one decimal is `20.3`; Rust's `{:.1}` would give `20.2`).
/// Every number the site writes is rounded this way, in charts too.
pub fn fixed(x: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let x = (x * scale).round() / scale;
    format!("{x:.decimals$}")
}

/// Rounds half away from zero (as people and spreadsheets do), then drops trailing zeros.
fn trim(x: f64, decimals: usize) -> String {
    let s = fixed(x, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `12.3%` from a fraction (0.123).
pub fn percent(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    // Half away from zero, as every number (`{:.N}` alone rounds an exact tie to even:
    // 12.5% would read 12%).
    let s = format!("{}%", fixed(x * 100.0, decimals));
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.', '%']).is_empty() {
        return s[1..].to_string();
    }
    s.replacen('-', "−", 1)
}

/// A plain number with up to `decimals` decimals, trailing zeros removed.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let neg = x < 0.0;
    let t = trim(x.abs(), decimals);
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    let int = group(int.parse::<u128>().unwrap_or(0));
    let body = if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    };
    if neg && body.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("−{body}")
    } else {
        body
    }
}

/// The text after a number for a unit: a space before a word (`15.0 minutes`), none
/// before a symbol (`97%`), nothing for no unit.
pub fn unit_suffix(unit: &str) -> String {
    if unit.starts_with(char::is_alphanumeric) {
        format!(" {unit}")
    } else {
        unit.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(money(1_234_567.6, "EUR"), "€1,234,568");
        assert_eq!(money(-1500.0, "CHF"), "−CHF\u{a0}1,500");
        assert_eq!(money(-0.2, "EUR"), "€0");
        assert_eq!(money_short(1_250_000.0, "EUR"), "€1.3M");
        assert_eq!(money_short(350_400.0, "USD"), "$350k");
        assert_eq!(money_short(-2_000_000.0, "EUR"), "−€2M");
        assert_eq!(percent(0.1234, 1), "12.3%");
        assert_eq!(percent(-0.05, 0), "−5%");
        assert_eq!(percent(0.125, 0), "13%");
        assert_eq!(percent(-0.125, 0), "−13%");
        assert_eq!(percent(0.0625, 1), "6.3%");
        assert_eq!(percent(-0.0001, 1), "0.0%");
        assert_eq!(number(1234.5, 2), "1,234.5");
        assert_eq!(number(f64::NAN, 2), "n/a");
    }
}
