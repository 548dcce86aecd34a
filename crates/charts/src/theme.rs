//! Colour roles, their sentinel colours and the CSS that maps them to CSS variables.
//!
//! Charts are drawn by plotters with one distinctive RGB colour per role (the
//! light-theme default, so an SVG viewed without the site CSS still looks
//! right). After rendering, every `fill`/`stroke` value is looked up here and
//! the element gets a class such as `vmo-f-c1` / `vmo-s-grid`; [`CHART_CSS`]
//! maps these classes to `var(--chart-1)` etc., which the site defines for
//! light and dark mode (or takes from [`CHART_THEME_CSS`]).

use plotters::style::RGBColor;

/// A semantic colour used in charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Categorical series colour, index 0..SERIES_COUNT.
    Series(u8),
    Text,
    Muted,
    Grid,
    Axis,
    Bg,
    Positive,
    Negative,
    Low,
    Medium,
    High,
    Target,
    Baseline,
    Today,
    Marker,
}

/// Number of categorical series colours (`--chart-1` .. `--chart-8`).
pub const SERIES_COUNT: usize = 8;

/// (class suffix, CSS variable, light default, dark default)
type RoleInfo = (&'static str, &'static str, [u8; 3], [u8; 3]);

const SERIES: [RoleInfo; SERIES_COUNT] = [
    ("c1", "--chart-1", [0x3A, 0x6E, 0xA5], [0x7A, 0xA8, 0xE0]),
    ("c2", "--chart-2", [0xE0, 0x7B, 0x22], [0xF5, 0xA6, 0x5B]),
    ("c3", "--chart-3", [0x3F, 0x8F, 0x5A], [0x7C, 0xC9, 0x8F]),
    ("c4", "--chart-4", [0x8E, 0x5E, 0xA2], [0xC3, 0x9B, 0xD6]),
    ("c5", "--chart-5", [0x2A, 0x9D, 0x9F], [0x6F, 0xD0, 0xCF]),
    ("c6", "--chart-6", [0xC9, 0xA2, 0x27], [0xE8, 0xC8, 0x5A]),
    ("c7", "--chart-7", [0xC8, 0x4C, 0x5C], [0xF0, 0x8A, 0x97]),
    ("c8", "--chart-8", [0x7A, 0x60, 0x4E], [0xBD, 0xA0, 0x8A]),
];

const OTHER: [(Role, RoleInfo); 14] = [
    (
        Role::Text,
        (
            "text",
            "--chart-text",
            [0x1F, 0x29, 0x37],
            [0xE5, 0xE7, 0xEB],
        ),
    ),
    (
        Role::Muted,
        (
            "muted",
            "--chart-muted",
            [0x5F, 0x6B, 0x7A],
            [0xA0, 0xA8, 0xB4],
        ),
    ),
    (
        Role::Grid,
        (
            "grid",
            "--chart-grid",
            [0xE3, 0xE7, 0xED],
            [0x33, 0x3B, 0x47],
        ),
    ),
    (
        Role::Axis,
        (
            "axis",
            "--chart-axis",
            [0x8A, 0x94, 0xA3],
            [0x7B, 0x85, 0x94],
        ),
    ),
    (
        Role::Bg,
        ("bg", "--chart-bg", [0xFF, 0xFF, 0xFE], [0x16, 0x1B, 0x22]),
    ),
    (
        Role::Positive,
        (
            "pos",
            "--chart-positive",
            [0x3B, 0x8C, 0x5F],
            [0x6C, 0xC4, 0x8E],
        ),
    ),
    (
        Role::Negative,
        (
            "neg",
            "--chart-negative",
            [0xC4, 0x53, 0x42],
            [0xEE, 0x8A, 0x78],
        ),
    ),
    (
        Role::Low,
        ("low", "--chart-low", [0xCF, 0xEB, 0xD3], [0x1F, 0x4A, 0x2E]),
    ),
    (
        Role::Medium,
        (
            "med",
            "--chart-medium",
            [0xFB, 0xE6, 0xA9],
            [0x5C, 0x4A, 0x16],
        ),
    ),
    (
        Role::High,
        (
            "high",
            "--chart-high",
            [0xF5, 0xB8, 0xAE],
            [0x6E, 0x2A, 0x24],
        ),
    ),
    (
        Role::Target,
        (
            "target",
            "--chart-target",
            [0x2E, 0x7D, 0x4F],
            [0x74, 0xD3, 0x9A],
        ),
    ),
    (
        Role::Baseline,
        (
            "baseline",
            "--chart-baseline",
            [0x6E, 0x77, 0x84],
            [0x9A, 0xA3, 0xAF],
        ),
    ),
    (
        Role::Today,
        (
            "today",
            "--chart-today",
            [0xD9, 0x48, 0x0F],
            [0xFF, 0x8C, 0x4B],
        ),
    ),
    (
        Role::Marker,
        (
            "marker",
            "--chart-marker",
            [0x37, 0x41, 0x51],
            [0xD1, 0xD5, 0xDB],
        ),
    ),
];

fn info(role: Role) -> RoleInfo {
    match role {
        Role::Series(i) => SERIES[usize::from(i) % SERIES_COUNT],
        other => OTHER
            .iter()
            .find(|(r, _)| *r == other)
            .map(|(_, i)| *i)
            .unwrap_or(OTHER[0].1),
    }
}

fn all_roles() -> impl Iterator<Item = Role> {
    (0..SERIES_COUNT as u8)
        .map(Role::Series)
        .chain(OTHER.iter().map(|(r, _)| *r))
}

impl Role {
    /// Series colour for a group index (wraps around the palette).
    pub(crate) fn series(i: usize) -> Role {
        Role::Series((i % SERIES_COUNT) as u8)
    }

    /// The sentinel colour to draw this role with. Dashed strokes use a variant
    /// whose blue channel differs by one, so the post-processor can add
    /// `stroke-dasharray` (plotters' SVG backend has no dashes).
    pub(crate) fn color(self, dashed: bool) -> RGBColor {
        let [r, g, b] = info(self).2;
        RGBColor(r, g, if dashed { b ^ 1 } else { b })
    }

    pub(crate) fn class_suffix(self) -> &'static str {
        info(self).0
    }
}

/// Looks up an `#RRGGBB` value written by plotters: the role and whether it is the dashed variant.
pub(crate) fn lookup_hex(hex: &str) -> Option<(Role, bool)> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    let rgb = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    all_roles().find_map(|role| {
        let [r, g, b] = info(role).2;
        if rgb == [r, g, b] {
            Some((role, false))
        } else if rgb == [r, g, b ^ 1] {
            Some((role, true))
        } else {
            None
        }
    })
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

#[cfg(test)]
fn build_chart_css() -> String {
    let mut css = String::from(
        "/* vmo-charts: maps chart classes to theme variables. */\n\
.vmo-chart{display:block;height:auto;max-width:none;overflow:visible}\n\
.vmo-chart text{font-family:var(--chart-font,\"VMO Sans\"),\"Open Sans\",system-ui,sans-serif}\n\
.vmo-chart polyline{stroke-linejoin:round;stroke-linecap:round}\n",
    );
    for role in all_roles() {
        let (suffix, var, light, _) = info(role);
        css.push_str(&format!(
            ".vmo-chart .vmo-f-{suffix}{{fill:var({var},{})}}\n.vmo-chart .vmo-s-{suffix}{{stroke:var({var},{})}}\n",
            hex(light),
            hex(light)
        ));
    }
    css
}

/// CSS declarations (`--chart-1:#...;`) of the default light or dark palette.
pub(crate) fn vars_block(dark: bool) -> String {
    let mut s = String::new();
    for role in all_roles() {
        let (_, var, light, darkc) = info(role);
        let c = if dark { darkc } else { light };
        let c = if role == Role::Bg && !dark {
            [0xFF, 0xFF, 0xFF]
        } else {
            c
        };
        s.push_str(&format!("  {var}:{};\n", hex(c)));
    }
    s
}

#[cfg(test)]
fn build_theme_css() -> String {
    let block = vars_block;
    format!(
        "/* vmo-charts default palette; the site may define these variables itself. */\n\
:root{{\n{light}}}\n\
@media (prefers-color-scheme: dark){{\n:root:not([data-theme=\"light\"]){{\n{dark}}}\n}}\n\
:root[data-theme=\"dark\"]{{\n{dark}}}\n",
        light = block(false),
        dark = block(true),
    )
}

/// CSS that maps chart classes to CSS variables (with light-theme fallbacks).
///
/// Include it in the site stylesheet. Variables used: `--chart-1` ..
/// `--chart-8`, `--chart-text`, `--chart-muted`, `--chart-grid`, `--chart-axis`,
/// `--chart-bg`, `--chart-positive`, `--chart-negative`, `--chart-low`,
/// `--chart-medium`, `--chart-high`, `--chart-target`, `--chart-baseline`,
/// `--chart-today`, `--chart-marker`, and optionally `--chart-font`.
/// The same text is in `crates/charts/src/chart.css`.
pub const CHART_CSS: &str = include_str!("chart.css");

/// Default values of the chart CSS variables: light mode on `:root`, dark mode
/// via `prefers-color-scheme` (unless `<html data-theme="light">`) and via
/// `<html data-theme="dark">`. The site may use it or define the variables itself.
/// The same text is in `crates/charts/src/chart-theme.css`.
pub const CHART_THEME_CSS: &str = include_str!("chart-theme.css");

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed CSS files must match the palette; run with
    /// `VMO_CHARTS_BLESS=1 cargo test -p vmo-charts` after changing it.
    #[test]
    fn css_files_match_palette() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/");
        if std::env::var_os("VMO_CHARTS_BLESS").is_some() {
            std::fs::write(format!("{dir}chart.css"), build_chart_css()).expect("write css");
            std::fs::write(format!("{dir}chart-theme.css"), build_theme_css()).expect("write css");
            return;
        }
        assert_eq!(CHART_CSS, build_chart_css(), "src/chart.css is stale");
        assert_eq!(
            CHART_THEME_CSS,
            build_theme_css(),
            "src/chart-theme.css is stale"
        );
    }

    #[test]
    fn sentinels_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for role in all_roles() {
            for dashed in [false, true] {
                let c = role.color(dashed);
                assert!(seen.insert((c.0, c.1, c.2)), "duplicate sentinel {role:?}");
                let hx = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
                assert_eq!(lookup_hex(&hx), Some((role, dashed)));
            }
        }
    }
}
