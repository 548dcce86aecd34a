//! The embedded chart font: registration with plotters and text measurement.
//!
//! Layout decisions (margins, legend wrapping, label truncation) are made with
//! the metrics of the embedded font, never with system fonts or the browser, so
//! the same input gives the same bytes on every machine and on
//! `wasm32-unknown-unknown`. The metrics (advance widths, and kerning as a class
//! matrix) are a table in `font/metrics.rs`, generated from the font with
//! `ab_glyph` by a test that fails when the two disagree: the widgets measure text
//! exactly as the generator does without carrying the 217 KB font and a font
//! parser in their bundle.

#[cfg(not(target_arch = "wasm32"))]
use std::sync::OnceLock;

/// The font's advance widths and kerning, generated from [`FONT_TTF`] by a test.
#[rustfmt::skip]
mod metrics;

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

/// Advance width and kerning classes of one character of [`FONT_TTF`].
#[derive(Debug, Clone, Copy)]
struct Metrics {
    advance: u16,
    left: u8,
    right: u8,
}

/// The metrics of `c`: the font's `.notdef` glyph (no kerning) when it has no glyph.
fn metrics(c: char) -> Metrics {
    match metrics::GLYPHS.binary_search_by_key(&c, |g| g.0) {
        Ok(i) => {
            let (_, advance, left, right) = metrics::GLYPHS[i];
            Metrics {
                advance,
                left,
                right,
            }
        }
        Err(_) => Metrics {
            advance: metrics::NOTDEF_ADVANCE,
            left: 0,
            right: 0,
        },
    }
}

/// Kerning in font units between two adjacent characters.
fn kern(prev: Metrics, next: Metrics) -> f64 {
    let cell = usize::from(prev.left) * metrics::RIGHT_CLASSES + usize::from(next.right);
    f64::from(metrics::KERN_VALUES[usize::from(metrics::KERN[cell])])
}

/// Registers [`FONT_TTF`] with plotters under [`FONT_FAMILY`], once per process.
///
/// Safe to call from several threads; every chart function calls it. On
/// `wasm32` plotters has no font registry (the browser lays out text) and text is
/// measured with [`metrics`] alone, so the font's bytes stay out of the bundle.
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
    Ok(())
}

/// Advance width in CSS pixels of `text` set in the embedded font at `size_px`.
pub(crate) fn text_width(text: &str, size_px: f64) -> f64 {
    let mut units = 0.0f64;
    let mut prev = None;
    for c in text.chars() {
        let m = metrics(c);
        units += f64::from(m.advance);
        if let Some(p) = prev {
            units += kern(p, m);
        }
        prev = Some(m);
    }
    units * size_px / metrics::UNITS_PER_EM
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
    let ell = metrics('\u{2026}');
    let mut seen = Vec::with_capacity(chars.len());
    let mut prefix = Vec::with_capacity(chars.len() + 1);
    let mut units = 0.0f64;
    prefix.push(units);
    for &c in &chars {
        let m = metrics(c);
        units += f64::from(m.advance);
        if let Some(&p) = seen.last() {
            units += kern(p, m);
        }
        seen.push(m);
        prefix.push(units);
    }
    for n in (0..chars.len()).rev() {
        let m = kept[n];
        let mut u = prefix[m] + f64::from(ell.advance);
        if m > 0 {
            u += kern(seen[m - 1], ell);
        }
        if u * size_px / metrics::UNITS_PER_EM <= max_px {
            return ellipsis(m);
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    use ab_glyph::{Font, FontRef, GlyphId};
    use std::collections::BTreeMap;
    use std::fmt::Write as _;

    const METRICS_RS: &str = "src/font/metrics.rs";

    /// `src/font/metrics.rs` as it must be, computed from [`FONT_TTF`] with `ab_glyph`.
    ///
    /// Kerning is stored as classes: characters whose kerning row (as the left of a
    /// pair) is the same share a left class, likewise columns and right classes, and
    /// the class matrix holds indexes into the few distinct values. Class 0 is "no
    /// kerning", which `.notdef` (characters the font lacks) uses.
    fn generate() -> String {
        let font = FontRef::try_from_slice(FONT_TTF).expect("font parses");
        let mut glyphs: Vec<(char, GlyphId)> = font.codepoint_ids().map(|(g, c)| (c, g)).collect();
        glyphs.sort_by_key(|g| g.0);
        glyphs.dedup_by_key(|g| g.0);
        let kern = |a: GlyphId, b: GlyphId| {
            let k = font.kern_unscaled(a, b);
            assert!(k.fract() == 0.0 && k.abs() < 32768.0, "kerning {k}");
            k as i16
        };
        let ids: Vec<GlyphId> = glyphs.iter().map(|g| g.1).collect();
        for &g in &ids {
            assert_eq!(kern(GlyphId(0), g), 0, ".notdef kerns");
            assert_eq!(kern(g, GlyphId(0)), 0, ".notdef kerns");
        }
        let mut values: Vec<i16> = vec![0];
        let mut value_index = |v: i16| match values.iter().position(|&x| x == v) {
            Some(i) => i,
            None => {
                values.push(v);
                values.len() - 1
            }
        };
        // Rows and columns of the kerning matrix, as value indexes.
        let rows: Vec<Vec<usize>> = ids
            .iter()
            .map(|&a| ids.iter().map(|&b| value_index(kern(a, b))).collect())
            .collect();
        let n = ids.len();
        let cols: Vec<Vec<usize>> = (0..n)
            .map(|j| (0..n).map(|i| rows[i][j]).collect())
            .collect();
        let classes = |lines: &[Vec<usize>]| {
            let mut of: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
            of.insert(vec![0; n], 0);
            let class: Vec<usize> = lines
                .iter()
                .map(|l| {
                    let next = of.len();
                    *of.entry(l.clone()).or_insert(next)
                })
                .collect();
            (class, of.len())
        };
        let (left, n_left) = classes(&rows);
        let (right, n_right) = classes(&cols);
        assert!(n_left <= 256 && n_right <= 256 && values.len() <= 256);
        // The class matrix: any member of each class gives its row.
        let mut matrix = vec![0usize; n_left * n_right];
        for i in 0..n {
            for j in 0..n {
                matrix[left[i] * n_right + right[j]] = rows[i][j];
            }
        }
        let upem = font.units_per_em().expect("units per em");
        let notdef = font.h_advance_unscaled(GlyphId(0));
        let mut out = String::new();
        let w = &mut out;
        let _ = writeln!(
            w,
            "//! Metrics of `fonts/OpenSans-Regular.ttf`: generated by"
        );
        let _ = writeln!(
            w,
            "//! `VMO_BLESS=1 cargo test -p vmo-charts font::tests`. Do not edit."
        );
        let _ = writeln!(w);
        let _ = writeln!(w, "/// Font units per em.");
        let _ = writeln!(w, "pub(super) const UNITS_PER_EM: f64 = {upem:?};");
        let _ = writeln!(
            w,
            "/// Advance of `.notdef`, drawn for characters the font lacks."
        );
        let _ = writeln!(w, "pub(super) const NOTDEF_ADVANCE: u16 = {notdef};");
        let _ = writeln!(
            w,
            "/// Number of right kerning classes (the row length of [`KERN`])."
        );
        let _ = writeln!(w, "pub(super) const RIGHT_CLASSES: usize = {n_right};");
        let _ = writeln!(
            w,
            "/// (character, advance, left kerning class, right kerning class), by character."
        );
        let _ = writeln!(
            w,
            "pub(super) static GLYPHS: [(char, u16, u8, u8); {n}] = ["
        );
        for (i, (c, g)) in glyphs.iter().enumerate() {
            let adv = font.h_advance_unscaled(*g);
            assert!(adv.fract() == 0.0 && (0.0..65536.0).contains(&adv));
            let _ = writeln!(
                w,
                "    ('\\u{{{:x}}}', {}, {}, {}),",
                u32::from(*c),
                adv as u16,
                left[i],
                right[i]
            );
        }
        let _ = writeln!(w, "];");
        let _ = writeln!(
            w,
            "/// Kerning of (left class, right class) at `left * RIGHT_CLASSES + right`: an index into [`KERN_VALUES`]."
        );
        let _ = writeln!(w, "pub(super) static KERN: [u8; {}] = [", matrix.len());
        for row in matrix.chunks(n_right) {
            let cells: Vec<String> = row.iter().map(usize::to_string).collect();
            let _ = writeln!(w, "    {},", cells.join(", "));
        }
        let _ = writeln!(w, "];");
        let _ = writeln!(w, "/// The distinct kerning values, in font units.");
        let cells: Vec<String> = values.iter().map(i16::to_string).collect();
        let _ = writeln!(
            w,
            "pub(super) static KERN_VALUES: [i16; {}] = [{}];",
            values.len(),
            cells.join(", ")
        );
        out
    }

    /// The text of `metrics.rs` this test binary was compiled with: the table in use.
    const COMPILED_METRICS: &str = include_str!("font/metrics.rs");

    /// Compares the compiled table with what the font gives. With `bless`, a table that
    /// differs is rewritten at `path`, and the check still fails: the table in use is
    /// the old one until the crate is compiled again (a second run, without blessing,
    /// then checks the new one).
    fn check_metrics(
        compiled: &str,
        want: &str,
        path: &std::path::Path,
        bless: bool,
    ) -> Result<(), String> {
        if compiled == want {
            return Ok(());
        }
        if bless {
            std::fs::write(path, want).map_err(|e| format!("{}: {e}", path.display()))?;
            return Err(format!(
                "{METRICS_RS} rewritten from the font: run the tests again (without VMO_BLESS) to check the new table"
            ));
        }
        Err(format!(
            "{METRICS_RS} is not what the font gives: run `VMO_BLESS=1 cargo test -p vmo-charts font::tests`"
        ))
    }

    #[test]
    fn metrics_table_is_the_fonts() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(METRICS_RS);
        let bless = std::env::var_os("VMO_BLESS").is_some();
        if let Err(e) = check_metrics(COMPILED_METRICS, &generate(), &path, bless) {
            panic!("{e}");
        }
    }

    /// Regression: with `VMO_BLESS` set, the test wrote the table and then compared the
    /// file with what it had just written, so it passed whatever the table in use was.
    #[test]
    fn blessing_a_wrong_table_rewrites_it_and_fails() {
        let path = std::env::temp_dir().join(format!("vmo-metrics-{}.rs", std::process::id()));
        let want = generate();
        let stale = "// an old table\n";
        let err = check_metrics(stale, &want, &path, true).unwrap_err();
        assert!(err.contains("rewritten"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some(want.as_str())
        );
        let _ = std::fs::remove_file(&path);
        assert!(check_metrics(stale, &want, &path, false).is_err());
        assert!(!path.exists(), "only blessing writes");
        assert_eq!(check_metrics(&want, &want, &path, true), Ok(()));
        assert!(!path.exists(), "a right table is not rewritten");
    }

    /// The table measures exactly what the font measures, character pairs and all.
    #[test]
    fn widths_are_the_fonts() {
        let font = FontRef::try_from_slice(FONT_TTF).expect("font parses");
        let upem = f64::from(font.units_per_em().expect("units per em"));
        let by_font = |text: &str, size: f64| {
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
            units * size / upem
        };
        let chars: Vec<char> = font.codepoint_ids().map(|(_, c)| c).collect();
        // Every pair the font maps, and characters it lacks next to them.
        for (i, &a) in chars.iter().enumerate() {
            for &b in chars.iter().skip(i % 7).step_by(7) {
                let s: String = [a, b, '\u{4e2d}', a].iter().collect();
                assert_eq!(
                    text_width(&s, 11.0).to_bits(),
                    by_font(&s, 11.0).to_bits(),
                    "{s:?}"
                );
            }
        }
        for c in ['\u{2212}', '\u{2026}', '\u{20ac}', '%', 'k', 'M'] {
            assert!(
                metrics::GLYPHS.binary_search_by_key(&c, |g| g.0).is_ok(),
                "missing glyph for {c:?}"
            );
        }
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
