//! The sample portfolio in `content/` builds into a complete site.

mod common;
use common::*;

#[test]
fn every_initiative_has_a_page_and_every_link_resolves() {
    let root = repo_root();
    let site = build(&root);
    let (content, _) = {
        let mut d = vmo_generator::Diagnostics::new();
        let sources = vmo_generator::source::read_site(&root, &mut d);
        (
            vmo_generator::content::load(&sources, &mut d).expect("sample loads"),
            d,
        )
    };
    let p = &content.portfolio;
    assert!(
        p.initiatives.len() >= 30,
        "the sample has {} initiatives",
        p.initiatives.len()
    );
    for i in &p.initiatives {
        let page = text(&site, &format!("initiatives/{}/index.html", i.id));
        assert!(page.contains("<svg"), "{} has no chart", i.id);
    }
    for s in &p.value_streams {
        text(&site, &format!("value-streams/{}/index.html", s.id));
    }
    for o in &p.objectives {
        text(&site, &format!("objectives/{}/index.html", o.id));
    }
    for page in [
        "index.html",
        "initiatives/index.html",
        "prioritisation/index.html",
        "roadmap/index.html",
        "dependencies/index.html",
        "risks/index.html",
        "benefits/index.html",
        "reports/index.html",
        "data/index.html",
        "404.html",
    ] {
        text(&site, page);
    }
    assert!(content.reports.len() >= 3);
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_page_is_reachable_from_the_dashboard() {
    let site = build(&repo_root());
    let mut seen = std::collections::BTreeSet::from(["index.html".to_string()]);
    let mut queue = vec!["index.html".to_string()];
    while let Some(page) = queue.pop() {
        for link in attributes(text(&site, &page), "href") {
            if let Some(t) = resolve(&page, link)
                && t.ends_with(".html")
                && site.get(&t).is_some()
                && seen.insert(t.clone())
            {
                queue.push(t);
            }
        }
    }
    let unreachable: Vec<&str> = site
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".html") && *p != "404.html" && !seen.contains(*p))
        .collect();
    assert!(unreachable.is_empty(), "unreachable pages: {unreachable:?}");
}

#[test]
fn json_export_matches_the_inputs() {
    let root = repo_root();
    let site = build(&root);
    let json: serde_json::Value =
        serde_json::from_str(text(&site, "data/portfolio.json")).expect("valid JSON");
    let mut d = vmo_generator::Diagnostics::new();
    let sources = vmo_generator::source::read_site(&root, &mut d);
    let content = vmo_generator::content::load(&sources, &mut d).unwrap();
    let list = json["initiatives"].as_array().unwrap();
    assert_eq!(list.len(), content.portfolio.initiatives.len());
    for (j, i) in list.iter().zip(&content.portfolio.initiatives) {
        assert_eq!(j["id"], i.id.as_str());
        assert_eq!(j["title"], i.title.as_str());
        let cost: f64 = j["plan"]["cost"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .sum();
        assert!((cost - i.plan.total_cost()).abs() < 1e-6);
        assert!(j["metrics"].is_object(), "{} has no metrics", i.id);
        // The round trip: the exported inputs deserialise to the same initiative.
        let back: vmo_core::Initiative = serde_json::from_value({
            let mut v = j.clone();
            v.as_object_mut().unwrap().remove("metrics");
            v.as_object_mut().unwrap().remove("url");
            v
        })
        .unwrap();
        assert_eq!(&back, i);
    }
    let csv = text(&site, "data/initiatives.csv");
    assert_eq!(csv.lines().count(), content.portfolio.initiatives.len() + 1);
}

#[test]
fn pages_carry_a_csp_and_no_inline_script_or_style() {
    let site = build(&repo_root());
    for f in site.files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = std::str::from_utf8(&f.bytes).unwrap();
        assert!(
            html.contains("http-equiv=\"Content-Security-Policy\""),
            "{} has no CSP",
            f.path
        );
        // The only scripts are the widget loader and the chart search, external modules:
        // no inline script.
        for (at, _) in html.match_indices("<script") {
            let tag = &html[at..html[at..]
                .find("</script>")
                .map_or(html.len(), |e| at + e + 9)];
            assert!(
                is_widget_loader(&f.path, tag),
                "{} has an unexpected script: {tag}",
                f.path
            );
        }
        assert!(
            !html.contains(" style=\""),
            "{} has an inline style attribute",
            f.path
        );
        assert!(
            !html.contains("<style"),
            "{} has an inline style element",
            f.path
        );
        assert!(
            !html.contains(" onload=")
                && !html.contains(" onclick=")
                && !html.contains(" onerror="),
            "{} has an event handler",
            f.path
        );
    }
}

/// Whether `tag` (from `<script` to its `</script>`) is exactly the widget loader of
/// `page`: an empty external module whose `src`, relative to the page, is the site's
/// `assets/widgets/widgets.js`. Anything else (an inline script, other attributes, a
/// script from elsewhere) is not.
fn is_widget_loader(page: &str, tag: &str) -> bool {
    let Some(src) = tag
        .strip_prefix("<script type=\"module\" src=\"")
        .and_then(|t| t.strip_suffix("\"></script>"))
    else {
        return false;
    };
    !src.contains(['"', '<', '>', ':'])
        && !src.starts_with('/')
        && matches!(
            resolve(page, src).as_deref(),
            Some("assets/widgets/widgets.js" | "assets/widgets/find.js")
        )
}

#[test]
fn the_script_check_refuses_what_is_not_the_widget_loader() {
    let page = "initiatives/x/index.html";
    let src = "..&#x2f;..&#x2f;assets&#x2f;widgets&#x2f;widgets.js";
    let loader = format!("<script type=\"module\" src=\"{src}\"></script>");
    assert!(is_widget_loader(page, &loader));
    assert!(is_widget_loader(
        "index.html",
        "<script type=\"module\" src=\"assets/widgets/widgets.js\"></script>"
    ));
    for bad in [
        // Inline code that merely ends like the loader.
        "<script>alert(1)//assets/widgets/widgets.js\"></script>".to_string(),
        format!("<script>alert(1)//{src}\"></script>"),
        // The loader's prefix with code in its body.
        format!("<script type=\"module\" src=\"{src}\">alert(1)</script>"),
        // Another file, another site, another place.
        "<script type=\"module\" src=\"../../assets/evil.js\"></script>".into(),
        "<script type=\"module\" src=\"https://evil.example/assets/widgets/widgets.js\"></script>"
            .into(),
        "<script type=\"module\" src=\"/assets/widgets/widgets.js\"></script>".into(),
        "<script type=\"module\" src=\"assets/widgets/widgets.js\"></script>".into(),
        // Extra attributes.
        format!("<script type=\"module\" src=\"{src}\" onload=\"x()\"></script>"),
        format!("<script type=\"module\" src=\"{src}\""),
    ] {
        assert!(!is_widget_loader(page, &bad), "accepted: {bad}");
    }
}

#[test]
fn builds_are_byte_identical() {
    let root = repo_root();
    let a = build(&root);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let b = pool.install(|| build(&root));
    assert_eq!(a.files.len(), b.files.len());
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!(x.path, y.path);
        assert!(x.bytes == y.bytes, "{} differs between builds", x.path);
    }
}

/// The README's promise that `public/index.html` opens straight from disk: every link,
/// asset and stylesheet `url()` is relative to the page (no `/…`, no `//host/…`, no
/// `file:`), so it resolves inside the site wherever the folder is; the only absolute
/// URLs are links that the content itself writes. The broken-link check alone does not
/// see this: it resolves `/assets/style.css` on a top-level page as if it were relative.
#[test]
fn every_link_is_relative() {
    let root = repo_root();
    let site = build(&root);
    let mut d = vmo_generator::Diagnostics::new();
    let sources = vmo_generator::source::read_site(&root, &mut d);
    let written: Vec<&str> = sources.content.iter().map(|f| f.text.as_str()).collect();
    let mut absolute = Vec::new();
    let mut checked = 0;
    for f in &site.files {
        let links: Vec<String> = if f.path.ends_with(".html") {
            let html = std::str::from_utf8(&f.bytes).unwrap();
            let mut v = Vec::new();
            for attr in [
                "href",
                "src",
                "action",
                "formaction",
                "poster",
                "xlink:href",
            ] {
                v.extend(attributes(html, attr).into_iter().map(decode));
            }
            for set in attributes(html, "srcset") {
                v.extend(
                    decode(set)
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next().map(str::to_string)),
                );
            }
            v
        } else if f.path.ends_with(".css") {
            let css = std::str::from_utf8(&f.bytes).unwrap();
            css.split("url(")
                .skip(1)
                .filter_map(|s| s.split(')').next())
                .map(|u| u.trim().trim_matches(['"', '\'']).to_string())
                .collect()
        } else {
            continue;
        };
        for link in links {
            checked += 1;
            let external = link.contains("://") || link.starts_with("mailto:");
            let rooted = link.starts_with('/') || link.starts_with('\\');
            let scheme = link
                .split_once(':')
                .is_some_and(|(s, _)| !s.contains(['/', '?', '#']));
            if rooted
                || (scheme && !external && !link.starts_with("data:"))
                || (external && !written.iter().any(|t| t.contains(link.as_str())))
            {
                absolute.push(format!("{}: {link}", f.path));
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    assert!(
        absolute.is_empty(),
        "links that do not open from disk:\n{}",
        absolute.join("\n")
    );
}

/// An attribute value as a browser reads it (the entities templates write).
fn decode(v: &str) -> String {
    v.replace("&#x2f;", "/")
        .replace("&#x3a;", ":")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}
