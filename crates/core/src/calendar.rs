//! Periods of the portfolio calendar: fiscal years or fiscal quarters.
//!
//! A period is an absolute index: for a yearly cadence the fiscal year's number; for a
//! quarterly cadence `fiscal_year * 4 + (quarter - 1)`. Fiscal year `Y` begins on the
//! first day of `fiscal_year_start_month` in calendar year `Y` (so with an April start,
//! FY2025 runs from 2025-04-01 to 2026-03-31). Labels are `2025` or `2025-Q3`.

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// How long one period of the portfolio is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cadence {
    Year,
    Quarter,
}

/// An absolute period index (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period(pub i32);

/// The portfolio's calendar: cadence and fiscal year start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub cadence: Cadence,
    /// 1 = January.
    pub fiscal_year_start_month: u8,
}

impl Calendar {
    /// Periods in one year: 1 or 4.
    pub fn periods_per_year(&self) -> i32 {
        match self.cadence {
            Cadence::Year => 1,
            Cadence::Quarter => 4,
        }
    }

    /// Length of one period in years (1 or 0.25).
    pub fn period_years(&self) -> f64 {
        1.0 / f64::from(self.periods_per_year())
    }

    /// Parses a label (`2025`, or `2025-Q3` for quarters).
    pub fn parse(&self, label: &str) -> Result<Period, String> {
        let year_of = |s: &str| -> Result<i32, String> {
            match s.parse::<i32>() {
                Ok(y) if (1000..=9998).contains(&y) && s.len() == 4 => Ok(y),
                _ => Err(format!("`{s}` is not a four-digit fiscal year")),
            }
        };
        match self.cadence {
            Cadence::Year => {
                if label.contains('Q') {
                    return Err(format!(
                        "`{label}` names a quarter, but the portfolio's cadence is `year`: write the fiscal year alone, like `2025`"
                    ));
                }
                year_of(label).map(Period)
            }
            Cadence::Quarter => {
                let Some((y, q)) = label.split_once("-Q") else {
                    return Err(format!(
                        "`{label}` is not a quarter: the portfolio's cadence is `quarter`, so write it like `2025-Q1`"
                    ));
                };
                let y = year_of(y)?;
                match q.parse::<i32>() {
                    Ok(q @ 1..=4) => Ok(Period(y * 4 + q - 1)),
                    _ => Err(format!("`Q{q}` is not a quarter (Q1 to Q4)")),
                }
            }
        }
    }

    /// The label of a period.
    pub fn label(&self, p: Period) -> String {
        match self.cadence {
            Cadence::Year => format!("{}", p.0),
            Cadence::Quarter => format!("{}-Q{}", p.0.div_euclid(4), p.0.rem_euclid(4) + 1),
        }
    }

    /// The first day of a period.
    pub fn start_date(&self, p: Period) -> Date {
        let fy_start = |y: i32| {
            Date::new(
                y.clamp(1, 9999),
                self.fiscal_year_start_month.clamp(1, 12),
                1,
            )
            .unwrap_or_else(|_| Date::from_days_since_epoch(0))
        };
        match self.cadence {
            Cadence::Year => fy_start(p.0),
            Cadence::Quarter => {
                fy_start(p.0.div_euclid(4)).add_months_to_first(3 * p.0.rem_euclid(4))
            }
        }
    }

    /// The last day of a period.
    pub fn end_date(&self, p: Period) -> Date {
        Date::from_days_since_epoch(self.start_date(Period(p.0 + 1)).days_since_epoch() - 1)
    }

    /// The period containing a date.
    pub fn period_of(&self, d: Date) -> Period {
        let months_from_fy0 =
            d.year() * 12 + i32::from(d.month()) - i32::from(self.fiscal_year_start_month);
        let fy = months_from_fy0.div_euclid(12);
        match self.cadence {
            Cadence::Year => Period(fy),
            Cadence::Quarter => Period(fy * 4 + months_from_fy0.rem_euclid(12) / 3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn april_fiscal_quarters() {
        let c = Calendar {
            cadence: Cadence::Quarter,
            fiscal_year_start_month: 4,
        };
        let p = c.parse("2025-Q4").unwrap();
        assert_eq!(c.label(p), "2025-Q4");
        assert_eq!(c.start_date(p).to_string(), "2026-01-01");
        assert_eq!(c.end_date(p).to_string(), "2026-03-31");
        assert_eq!(c.period_of(Date::parse("2026-02-14").unwrap()), p);
        assert_eq!(
            c.period_of(Date::parse("2025-04-01").unwrap()),
            c.parse("2025-Q1").unwrap()
        );
        assert!(c.parse("2025").is_err());
    }

    #[test]
    fn calendar_years() {
        let c = Calendar {
            cadence: Cadence::Year,
            fiscal_year_start_month: 1,
        };
        assert_eq!(
            c.period_of(Date::parse("2025-12-31").unwrap()),
            Period(2025)
        );
        assert_eq!(c.end_date(Period(2024)).to_string(), "2024-12-31");
        assert!(c.parse("2025-Q1").is_err());
    }
}
