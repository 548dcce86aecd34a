//! Theme overrides: a site's `themes/default/templates/X` or `themes/default/static/X`
//! replaces the embedded default of the same name, and nothing else. The sample site
//! cannot show it: its theme folder is this repository's `themes/default/`, the very
//! files the binary embeds, so a build that ignored overrides would look the same.
#![allow(clippy::unwrap_used, reason = "tests panic with the failure")]

mod common;
use common::*;
use std::collections::BTreeMap;
use vmo_generator::render::templates::{DEFAULT_STATIC, DEFAULT_TEMPLATES};

/// The theme in the repository is the embedded one, file for file: a template or asset
/// added to `themes/default/` but not to the embedded lists would still work in the
/// sample (read from disk as an override) and be missing from every other site.
#[test]
fn the_repository_theme_is_the_embedded_theme() {
    let theme = repo_root().join("themes/default");
    let templates = files_under(&theme.join("templates"));
    let embedded: BTreeMap<String, Vec<u8>> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
        .collect();
    assert_eq!(
        templates.keys().collect::<Vec<_>>(),
        embedded.keys().collect::<Vec<_>>(),
        "themes/default/templates/ and the embedded templates differ"
    );
    assert!(templates == embedded, "a template's text differs");
    let mut statics = files_under(&theme.join("static"));
    // The bundle's build record stays in the repository; it is not published.
    assert!(statics.remove("widgets/BUILD-INFO.txt").is_some());
    let embedded: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    assert_eq!(
        statics.keys().collect::<Vec<_>>(),
        embedded.keys().collect::<Vec<_>>(),
        "themes/default/static/ and the embedded static files differ"
    );
    assert!(statics == embedded, "a static file's bytes differ");
}

/// Overrides by name: a page template, a new template it includes, the stylesheet and a
/// new static file all come from the site; every other output is what the embedded
/// theme makes.
#[test]
fn overrides_replace_the_default_of_the_same_name_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    copy_dir(&fixture("minimal"), &dir);
    let plain = build(&dir);

    let theme = dir.join("themes/default");
    std::fs::create_dir_all(theme.join("templates")).unwrap();
    std::fs::create_dir_all(theme.join("static/img")).unwrap();
    std::fs::write(
        theme.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>\
         <p>OVERRIDDEN-404</p>{% include \"own-partial.html\" %}{% endblock %}",
    )
    .unwrap();
    std::fs::write(
        theme.join("templates/own-partial.html"),
        "<p>FROM-THE-SITE-PARTIAL {{ site.title }}</p>",
    )
    .unwrap();
    let css = "/* OVERRIDDEN-CSS */\nbody { margin: 0 }\n";
    std::fs::write(theme.join("static/style.css"), css).unwrap();
    std::fs::write(theme.join("static/img/logo.svg"), "<svg/>").unwrap();
    let themed = build(&dir);

    let page = text(&themed, "404.html");
    assert!(page.contains("<p>OVERRIDDEN-404</p>"), "{page}");
    assert!(
        page.contains("<p>FROM-THE-SITE-PARTIAL Minimal portfolio</p>"),
        "{page}"
    );
    // The override still extends the embedded base: the site's head and navigation.
    assert!(page.contains("Content-Security-Policy"));
    assert!(page.contains(&attr_of(text(&plain, "404.html"), "stylesheet")));
    let style = text(&themed, "assets/style.css");
    assert!(style.contains(css), "the stylesheet override is not used");
    let (_, default_css) = DEFAULT_STATIC
        .iter()
        .find(|(n, _)| *n == "style.css")
        .unwrap();
    assert!(!style.contains(std::str::from_utf8(default_css).unwrap()));
    assert!(text(&plain, "assets/style.css").contains(std::str::from_utf8(default_css).unwrap()));
    assert_eq!(text(&themed, "assets/img/logo.svg"), "<svg/>");

    // Everything else is byte for byte the plain build.
    let changed: Vec<&str> = themed
        .files
        .iter()
        .filter(|f| !["404.html", "assets/style.css", "assets/img/logo.svg"].contains(&&*f.path))
        .filter(|f| plain.get(&f.path).is_none_or(|p| p.bytes != f.bytes))
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        changed.is_empty(),
        "changed without an override: {changed:?}"
    );
    assert_eq!(themed.files.len(), plain.files.len() + 1);
}

/// The `<link rel="stylesheet" ...>` tag of a page.
fn attr_of(html: &str, rel: &str) -> String {
    let at = html
        .find(&format!("rel=\"{rel}\""))
        .unwrap_or_else(|| panic!("no rel={rel}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    html[start..=end].to_string()
}
