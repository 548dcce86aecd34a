//! Deterministic, locale-free number and date formatting, and tick selection.

use serde::{Deserialize, Serialize};

/// How values are written on axes and labels.
///
/// JSON: `{"kind":"compact","prefix":"","suffix":""}` or
/// `{"kind":"fixed","decimals":1,"suffix":"%"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ValueFormat {
    /// Three significant digits with k/M/B/T suffixes: `350k`, `1.25M`, `−12.5k`.
    Compact {
        #[serde(default)]
        prefix: String,
        #[serde(default)]
        suffix: String,
    },
    /// Fixed decimals, no grouping: `85`, `12.5%`.
    Fixed {
        decimals: u8,
        #[serde(default)]
        prefix: String,
        #[serde(default)]
        suffix: String,
    },
}

impl Default for ValueFormat {
    fn default() -> Self {
        ValueFormat::Compact {
            prefix: String::new(),
            suffix: String::new(),
        }
    }
}

impl ValueFormat {
    /// Formats one value (finite values only; others give an empty string).
    pub fn format(&self, v: f64) -> String {
        if !v.is_finite() {
            return String::new();
        }
        match self {
            ValueFormat::Compact { prefix, suffix } => {
                let (neg, body) = compact_abs(v);
                format!(
                    "{}{prefix}{body}{suffix}",
                    if neg { "\u{2212}" } else { "" }
                )
            }
            ValueFormat::Fixed {
                decimals,
                prefix,
                suffix,
            } => {
                let d = usize::from((*decimals).min(6));
                let s = crate::numbers::fixed(v.abs(), d);
                let zero = s.chars().all(|c| c == '0' || c == '.');
                let neg = v < 0.0 && !zero;
                format!("{}{prefix}{s}{suffix}", if neg { "\u{2212}" } else { "" })
            }
        }
    }
}

/// Formats `v` as a compact number (`350k`, `1.2M`); `−` is U+2212.
pub fn format_compact(v: f64) -> String {
    ValueFormat::default().format(v)
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Returns (negative, text of |v|).
fn compact_abs(v: f64) -> (bool, String) {
    const UNITS: [(f64, &str); 5] = [(1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")];
    let a = v.abs();
    if a < 1e-12 {
        return (false, "0".to_string());
    }
    let mut ui = UNITS.iter().rposition(|(u, _)| a >= *u).unwrap_or(0);
    loop {
        let (unit, sym) = UNITS[ui];
        let x = a / unit;
        let mag = x.log10().floor() as i32;
        let decimals = (2 - mag).clamp(0, 4) as usize;
        let s = trim_zeros(crate::numbers::fixed(x, decimals));
        let rounded: f64 = s.parse().unwrap_or(x);
        if rounded >= 1000.0 && ui + 1 < UNITS.len() {
            ui += 1;
            continue;
        }
        if s == "0" {
            return (false, s);
        }
        return (v < 0.0, format!("{s}{sym}"));
    }
}

/// A "nice" tick step close to `raw` (1, 2, 2.5 or 5 times a power of ten).
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    let f = raw / p;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * p
}

/// Ticks covering `[lo, hi]` with about `target` intervals; returns the ticks
/// (first and last are the extended domain). `integer` forces steps >= 1.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize, integer: bool) -> Vec<f64> {
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if (hi - lo).abs() < 1e-12 {
        if lo.abs() < 1e-12 {
            lo = 0.0;
            hi = 1.0;
        } else if lo > 0.0 {
            lo = 0.0;
        } else {
            hi = 0.0;
        }
    }
    let mut step = nice_step((hi - lo) / target.max(1) as f64);
    if integer && step < 1.0 {
        step = 1.0;
    }
    let i0 = (lo / step + 1e-9).floor() as i64;
    let i1 = (hi / step - 1e-9).ceil() as i64;
    let i1 = i1.max(i0 + 1).min(i0 + 200);
    (i0..=i1)
        .map(|i| {
            let v = i as f64 * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect()
}

/// Days since 1970-01-01 for a proleptic Gregorian date (month and day are
/// clamped to valid ranges).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let m = i64::from(month.clamp(1, 12));
    let d = i64::from(day.clamp(1, 31));
    let y = i64::from(year) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days.clamp(-100_000_000, 100_000_000) + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `"Mar 2025"` for a day number.
pub fn format_month(days: i64) -> String {
    let (y, m, _) = civil_from_days(days);
    format!("{} {y}", MONTHS[(m as usize).clamp(1, 12) - 1])
}

/// `"12 Mar 2025"` for a day number.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{d} {} {y}", MONTHS[(m as usize).clamp(1, 12) - 1])
}

/// Month-aligned ticks between two day numbers, at most `max_ticks` of them.
/// Labels are `Mar 2025` (or `2025` for yearly steps).
pub(crate) fn date_ticks(lo: i64, hi: i64, max_ticks: usize) -> Vec<(i64, String)> {
    let (y0, m0, _) = civil_from_days(lo);
    let (y1, m1, _) = civil_from_days(hi);
    let months = (i64::from(y1) - i64::from(y0)) * 12 + i64::from(m1) - i64::from(m0) + 1;
    let max_ticks = max_ticks.max(2) as i64;
    let step = [1i64, 2, 3, 6, 12, 24, 60, 120, 600]
        .into_iter()
        .find(|s| months / s < max_ticks)
        .unwrap_or(1200);
    let mut out = Vec::new();
    // Start at the first month boundary >= lo that is aligned to the step.
    let mut idx = i64::from(y0) * 12 + i64::from(m0) - 1;
    idx = idx.div_euclid(step) * step;
    for _ in 0..400 {
        let y = idx.div_euclid(12) as i32;
        let m = (idx.rem_euclid(12) + 1) as u32;
        let day = days_from_civil(y, m, 1);
        if day > hi {
            break;
        }
        if day >= lo {
            let label = if step >= 12 {
                format!("{y}")
            } else {
                format_month(day)
            };
            out.push((day, label));
        }
        idx += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers_round_as_the_tables_do() {
        // Half away from zero, as `numbers::money_short` (tables, tiles) rounds.
        assert_eq!(format_compact(20.25e6), "20.3M");
        assert_eq!(format_compact(-20.25e6), "\u{2212}20.3M");
        assert_eq!(crate::numbers::money_short(20.25e6, "EUR"), "€20.3M");
        assert_eq!(
            ValueFormat::Fixed {
                decimals: 1,
                prefix: String::new(),
                suffix: "%".into()
            }
            .format(12.25),
            "12.3%"
        );
    }

    #[test]
    fn compact_numbers() {
        let cases = [
            (0.0, "0"),
            (350_000.0, "350k"),
            (1_250_000.0, "1.25M"),
            (1_200_000.0, "1.2M"),
            (-12_500.0, "\u{2212}12.5k"),
            (999_600.0, "1M"),
            (999.4, "999"),
            (0.05, "0.05"),
            (12.0, "12"),
            (2.5e9, "2.5B"),
            (-0.0001, "\u{2212}0.0001"),
            (1e-15, "0"),
        ];
        for (v, s) in cases {
            assert_eq!(format_compact(v), s, "{v}");
        }
        let pct = ValueFormat::Fixed {
            decimals: 1,
            prefix: String::new(),
            suffix: "%".into(),
        };
        assert_eq!(pct.format(-0.01), "0.0%");
        // Half away from zero, as every other number on the site.
        assert_eq!(pct.format(85.25), "85.3%");
    }

    #[test]
    fn ticks() {
        assert_eq!(
            nice_ticks(0.0, 1.0e6, 5, false),
            vec![0.0, 200e3, 400e3, 600e3, 800e3, 1e6]
        );
        let t = nice_ticks(-130.0, 470.0, 5, false);
        assert_eq!(t.first().copied(), Some(-200.0));
        assert_eq!(t.last().copied(), Some(600.0));
        assert_eq!(
            nice_ticks(0.0, 0.0, 5, false),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(nice_ticks(0.0, 3.0, 5, true), vec![0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2025, 3, 1), 20148);
        for d in [-1000, 0, 59, 20148, 30000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(format_date(20148), "1 Mar 2025");
        let t = date_ticks(
            days_from_civil(2025, 1, 15),
            days_from_civil(2025, 12, 20),
            6,
        );
        assert_eq!(t[0].1, "Apr 2025");
        assert!(t.len() <= 6);
    }
}
