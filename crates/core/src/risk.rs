//! How a risk is rated, by one rule everywhere: the register's order, its zone column,
//! the heat map's zones, the dashboard's top risks.
//!
//! A probability falls in one of five bands that share no endpoint: band 1 is below
//! 20%, band 2 from 20% to below 40%, band 3 from 40% to below 60%, band 4 from 60% to
//! below 80%, band 5 from 80% to 100%. A risk's score is its band times its impact (1 to
//! 5), so 1 to 25; its zone is high from a score of [`HIGH_FROM`], medium from
//! [`MEDIUM_FROM`], low below. Risks are ordered by score, then by exposure (probability
//! times impact, which tells apart two risks in one cell of the heat map), highest first.

use serde::Serialize;
use std::cmp::Ordering;

/// The score from which a risk is in the high zone.
pub const HIGH_FROM: u8 = 12;
/// The score from which a risk is in the medium zone.
pub const MEDIUM_FROM: u8 = 6;

/// The labels of the probability bands, band 1 first.
pub const BAND_LABELS: [&str; 5] = [
    "under 20%",
    "20% to under 40%",
    "40% to under 60%",
    "60% to under 80%",
    "80% to 100%",
];

/// A zone of the heat map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    Low,
    Medium,
    High,
}

impl Zone {
    pub fn label(self) -> &'static str {
        match self {
            Zone::Low => "Low",
            Zone::Medium => "Medium",
            Zone::High => "High",
        }
    }
}

/// A risk's rating.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rating {
    /// The probability band, 1 to 5.
    pub band: u8,
    /// The impact, 1 to 5.
    pub impact: u8,
    /// Band times impact, 1 to 25.
    pub score: u8,
    pub zone: Zone,
    /// Probability times impact, 0 to 5.
    pub exposure: f64,
}

/// The band (1 to 5) of a probability (0 to 1).
pub fn band(probability: f64) -> u8 {
    if probability >= 0.8 {
        5
    } else if probability >= 0.6 {
        4
    } else if probability >= 0.4 {
        3
    } else if probability >= 0.2 {
        2
    } else {
        1
    }
}

/// The zone of a score.
pub fn zone(score: u8) -> Zone {
    if score >= HIGH_FROM {
        Zone::High
    } else if score >= MEDIUM_FROM {
        Zone::Medium
    } else {
        Zone::Low
    }
}

/// Rates a risk of `probability` (0 to 1) and `impact` (1 to 5).
pub fn rate(probability: f64, impact: u8) -> Rating {
    let band = band(probability);
    let impact = impact.clamp(1, 5);
    let score = band * impact;
    Rating {
        band,
        impact,
        score,
        zone: zone(score),
        exposure: probability * f64::from(impact),
    }
}

/// The order of the register: higher score first, then higher exposure.
pub fn order(a: &Rating, b: &Rating) -> Ordering {
    b.score
        .cmp(&a.score)
        .then_with(|| b.exposure.total_cmp(&a.exposure))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_share_no_endpoint() {
        assert_eq!(band(0.0), 1);
        assert_eq!(band(0.199_999), 1);
        assert_eq!(band(0.2), 2);
        assert_eq!(band(0.4), 3);
        assert_eq!(band(0.599_9), 3);
        assert_eq!(band(0.6), 4);
        assert_eq!(band(0.8), 5);
        assert_eq!(band(1.0), 5);
    }

    #[test]
    fn score_zone_and_order_follow_one_rule() {
        // 40% x 5 (band 3, score 15, high) outranks 75% x 3 (band 4, score 12, high),
        // though its exposure (2.0) is below the other's (2.25).
        let a = rate(0.4, 5);
        let b = rate(0.75, 3);
        assert_eq!((a.score, a.zone), (15, Zone::High));
        assert_eq!((b.score, b.zone), (12, Zone::High));
        assert_eq!(order(&a, &b), Ordering::Less);
        // One cell, two exposures: the higher first.
        assert_eq!(order(&rate(0.7, 3), &rate(0.65, 3)), Ordering::Less);
        assert_eq!(rate(0.3, 3).zone, Zone::Medium);
        assert_eq!(rate(0.3, 2).zone, Zone::Low);
    }
}
