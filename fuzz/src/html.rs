//! The oracle for rendered pages: parsed the way a browser parses them (html5ever via
//! scraper), a page is inert when nothing in it can run script or load from elsewhere.
//! The same rules as `tests/hostile.rs`, kept small for speed.

use scraper::{ElementRef, Html};

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "cite",
    "ping",
    "manifest",
    "codebase",
    "longdesc",
    "usemap",
    "lowsrc",
    "dynsrc",
    "icon",
];

const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "portal",
    "fencedframe",
    "foreignobject",
    "animate",
    "set",
    "animatemotion",
    "animatetransform",
    "handler",
    "listener",
];

/// Why a URL is unsafe, or None (tabs and newlines are ignored and surrounding controls
/// trimmed, as a browser does).
pub fn unsafe_url(value: &str) -> Option<&'static str> {
    let url: String = value
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_matches(|c: char| c <= ' ')
        .to_ascii_lowercase();
    for scheme in ["javascript:", "vbscript:", "livescript:", "mocha:"] {
        if url.starts_with(scheme) {
            return Some(scheme);
        }
    }
    let raster = [
        "data:image/png",
        "data:image/jpeg",
        "data:image/gif",
        "data:image/webp",
    ];
    if url.starts_with("data:") && !raster.iter().any(|r| url.starts_with(r)) {
        return Some("data:");
    }
    None
}

/// Every problem of a page: script other than `<script type="module" src="assets/...">`,
/// event handlers, inline styles, unsafe URLs, frames and other forbidden elements, a
/// missing or different CSP.
pub fn audit_html(page: &str, html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    let mut scripts = 0;
    let mut csp = 0;
    let depth = page.matches('/').count();
    for node in doc.tree.nodes() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let e = el.value();
        let name = e.name().to_ascii_lowercase();
        if name == "script" {
            scripts += 1;
            let src = e.attr("src").unwrap_or("");
            let inside = src
                .strip_prefix(&"../".repeat(depth))
                .is_some_and(|rest| rest.starts_with("assets/") && !rest.contains(".."));
            let ok = e.attrs().count() == 2
                && e.attr("type") == Some("module")
                && inside
                && el.text().all(|t| t.trim().is_empty());
            if !ok {
                found.push(format!("script: {e:?}"));
            }
        }
        if FORBIDDEN_ELEMENTS.contains(&name.as_str()) {
            found.push(format!("forbidden element: {e:?}"));
        }
        if name == "meta"
            && let Some(equiv) = e.attr("http-equiv")
        {
            if equiv.eq_ignore_ascii_case("content-security-policy")
                && e.attr("content") == Some(vmo_generator::render::CSP)
            {
                csp += 1;
            } else {
                found.push(format!("meta http-equiv: {e:?}"));
            }
        }
        for (attr, value) in e.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") || attr == "style" || attr == "srcdoc" {
                found.push(format!("attribute `{attr}`: {e:?}"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let urls: Vec<&str> = if attr == "srcset" || attr == "ping" {
                    value.split([',', ' ']).collect()
                } else {
                    vec![value]
                };
                for url in urls {
                    if let Some(why) = unsafe_url(url) {
                        found.push(format!("unsafe URL ({why}) in `{attr}`: {e:?}"));
                    }
                }
            }
        }
    }
    let raw = html.to_ascii_lowercase().matches("<script").count();
    if raw != scripts {
        found.push(format!(
            "`<script` {raw} times in the bytes, {scripts} parsed"
        ));
    }
    if csp != 1 {
        found.push(format!("{csp} CSP meta tags"));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oracle_sees_attacks() {
        let page = format!(
            "<!doctype html><meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\
             <a href=\" java\tscript:x\">a</a><img src=x onerror=y><svg><set/></svg>\
             <script type=module src=\"assets/w.js\"></script>",
            vmo_generator::render::CSP
        );
        let found = audit_html("index.html", &page).join("\n");
        assert!(found.contains("unsafe URL (javascript:)"), "{found}");
        assert!(found.contains("`onerror`"), "{found}");
        assert!(found.contains("forbidden element"), "{found}");
        assert!(!found.contains("script: <script"), "{found}");
    }
}
