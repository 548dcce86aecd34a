//! The embedded chart font: registration with plotters and text measurement.
//!
//! Layout decisions (margins, legend wrapping, label truncation) are made with
//! the metrics of the embedded font read by `ab_glyph`, never with system
//! fonts or the browser, so the same input gives the same bytes on every
//! machine and on `wasm32-unknown-unknown`.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};

/// Font family name written into every chart (`font-family` of the root `<svg>`).
///
/// The site must declare an `@font-face` with this family name whose source is
/// [`FONT_TTF`] (see [`FONT_FILE_NAME`]), e.g.
/// `@font-face { font-family: "VMO Sans"; src: url("fonts/vmo-sans.ttf") format("truetype"); }`.
pub const FONT_FAMILY: &str = "VMO Sans";

/// Suggested file name when shipping [`FONT_TTF`] as a site asset.
pub const FONT_FILE_NAME: &str = "vmo-sans.ttf";

/// The embedded font (Open Sans Regular 1.10, Apache-2.0; licence in
/// `crates/charts/fonts/`). Ship it with the site so browsers render chart text
/// with the same metrics that were used for layout.
pub static FONT_TTF: &[u8] = include_bytes!("../fonts/OpenSans-Regular.ttf");

/// Licence text of [`FONT_TTF`], to ship next to it.
pub static FONT_LICENSE: &str = include_str!("../fonts/OpenSans-COPYRIGHT.txt");

static MEASURE_FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();

fn measure_font() -> Option<&'static FontRef<'static>> {
    MEASURE_FONT
        .get_or_init(|| FontRef::try_from_slice(FONT_TTF).ok())
        .as_ref()
}

/// Registers [`FONT_TTF`] with plotters under [`FONT_FAMILY`], once per process.
///
/// Safe to call from several threads; every chart function calls it. On
/// `wasm32` plotters has no font registry (the browser lays out text), so this
/// only checks that the embedded font parses.
pub(crate) fn ensure_registered() -> Result<(), crate::ChartError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static REGISTERED: OnceLock<bool> = OnceLock::new();
        let ok = *REGISTERED.get_or_init(|| {
            plotters::style::register_font(
                FONT_FAMILY,
                plotters::style::FontStyle::Normal,
                FONT_TTF,
            )
            .is_ok()
        });
        if !ok {
            return Err(crate::ChartError::Font);
        }
    }
    if measure_font().is_none() {
        return Err(crate::ChartError::Font);
    }
    Ok(())
}

/// Advance width in CSS pixels of `text` set in the embedded font at `size_px`.
pub(crate) fn text_width(text: &str, size_px: f64) -> f64 {
    let Some(font) = measure_font() else {
        // Unreachable in practice (checked by `ensure_registered`); keep a sane estimate.
        return text.chars().count() as f64 * size_px * 0.56;
    };
    let upem = f64::from(font.units_per_em().unwrap_or(2048.0));
    let mut units = 0.0f64;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        units += f64::from(font.h_advance_unscaled(id));
        if let Some(p) = prev {
            units += f64::from(font.kern_unscaled(p, id));
        }
        prev = Some(id);
    }
    units * size_px / upem
}

/// Truncates `text` with an ellipsis so that it fits in `max_px` at `size_px`.
///
/// The result is the longest prefix (trailing white space trimmed) that fits with the
/// ellipsis. Prefix widths are accumulated once, in the order [`text_width`] adds them,
/// so this is linear in the length of `text` and gives the same bytes as measuring
/// every candidate (which was quadratic: a 5,000-character title took seconds).
pub(crate) fn fit_text(text: &str, size_px: f64, max_px: f64) -> String {
    if text_width(text, size_px) <= max_px {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // kept[n]: the length of `chars[..n]` with trailing white space trimmed.
    let mut kept = vec![0usize; chars.len() + 1];
    for n in 1..=chars.len() {
        kept[n] = if chars[n - 1].is_whitespace() {
            kept[n - 1]
        } else {
            n
        };
    }
    let ellipsis = |m: usize| {
        let mut s: String = chars[..m].iter().collect();
        s.push('\u{2026}');
        s
    };
    let Some(font) = measure_font() else {
        // Unreachable in practice (see `text_width`): every candidate, measured.
        return (0..chars.len())
            .rev()
            .map(|n| ellipsis(kept[n]))
            .find(|s| text_width(s, size_px) <= max_px)
            .unwrap_or_default();
    };
    let upem = f64::from(font.units_per_em().unwrap_or(2048.0));
    let ell = font.glyph_id('\u{2026}');
    let mut ids = Vec::with_capacity(chars.len());
    let mut prefix = Vec::with_capacity(chars.len() + 1);
    let mut units = 0.0f64;
    prefix.push(units);
    for &c in &chars {
        let id = font.glyph_id(c);
        units += f64::from(font.h_advance_unscaled(id));
        if let Some(&p) = ids.last() {
            units += f64::from(font.kern_unscaled(p, id));
        }
        ids.push(id);
        prefix.push(units);
    }
    for n in (0..chars.len()).rev() {
        let m = kept[n];
        let mut u = prefix[m] + f64::from(font.h_advance_unscaled(ell));
        if m > 0 {
            u += f64::from(font.kern_unscaled(ids[m - 1], ell));
        }
        if u * size_px / upem <= max_px {
            return ellipsis(m);
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_parses_and_has_needed_glyphs() {
        let font = measure_font().expect("font parses");
        for c in ['\u{2212}', '\u{2026}', '\u{20ac}', '%', 'k', 'M'] {
            assert_ne!(font.glyph_id(c).0, 0, "missing glyph for {c:?}");
        }
        assert!(FONT_TTF.len() < 800 * 1024);
    }

    #[test]
    fn measurement_is_sane() {
        let w = text_width("Hello world", 12.0);
        assert!(w > 50.0 && w < 80.0, "{w}");
        assert!(text_width("", 12.0).abs() < f64::EPSILON);
        let t = fit_text("A very long label that will not fit", 12.0, 80.0);
        assert!(t.ends_with('\u{2026}'));
        assert!(text_width(&t, 12.0) <= 80.0);
    }
}

#[cfg(test)]
mod fit_text_is_linear {
    use super::*;

    /// The quadratic original: every shorter candidate measured again.
    fn fit_text_old(text: &str, size_px: f64, max_px: f64) -> String {
        if text_width(text, size_px) <= max_px {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut n = chars.len();
        while n > 0 {
            n -= 1;
            let mut s: String = chars[..n].iter().collect::<String>().trim_end().to_string();
            s.push('\u{2026}');
            if text_width(&s, size_px) <= max_px {
                return s;
            }
        }
        String::new()
    }

    #[test]
    fn same_as_the_quadratic_version() {
        let samples = [
            "Customer portal modernisation programme",
            "AV  To  Wa  \u{2026}  ff fi  LT Yo  ",
            "   ",
            "",
            "x",
            "Très long titre d’initiative — avec « guillemets » et chiffres 12 345",
            "\u{202e}gnp.exe\u{200b}\u{200b} <script>alert(1)</script> TPL{{ 7*7 }}TPL",
            "a\tb\nc  d   e",
        ];
        let mut seed = 7u64;
        let mut n = 0;
        for s in samples {
            for size in [9.0, 11.0, 12.5, 14.0] {
                for max in [0.0, 1.0, 5.0, 10.0, 24.0, 37.5, 60.0, 100.0, 140.0, 300.0] {
                    assert_eq!(
                        fit_text(s, size, max),
                        fit_text_old(s, size, max),
                        "{s:?} {size} {max}"
                    );
                    n += 1;
                }
            }
        }
        let alphabet: Vec<char> = "AVTWaoy .,-\u{2026}fiLT'\"<>&é\u{200b}\u{202e} \t"
            .chars()
            .collect();
        for _ in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 33) as usize % 40;
            let s: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 50)) as usize + i * 7) % alphabet.len()])
                .collect();
            let max = ((seed >> 20) % 300) as f64 / 1.7;
            assert_eq!(
                fit_text(&s, 11.0, max),
                fit_text_old(&s, 11.0, max),
                "{s:?} {max}"
            );
            n += 1;
        }
        assert!(n > 3000);
    }
}
