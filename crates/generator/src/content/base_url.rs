//! The site's base URL (`base_url` in the settings, `vmo build --base-url`): where the
//! site is published. Canonical links, the sitemap and the URLs in the data exports are
//! made from it, so a value that is not a URL is refused rather than published.

/// Checks a base URL and returns it normalised, ending in `/`: an `http` or `https` URL
/// with a host and without user name, password, query or fragment
/// (`https://vmo.example/portfolio/`), or a path from the web server's root
/// (`/portfolio/`). Otherwise says why not.
pub fn check(value: &str) -> Result<String, String> {
    if value.starts_with('/') && !value.starts_with("//") {
        return check_path(value);
    }
    let url = url::Url::parse(value).map_err(|e| {
        format!(
            "`{}` is not a URL ({e}); use an http or https URL such as \
             `https://vmo.example/`, or a path such as `/portfolio/`",
            crate::diagnostics::escape(value)
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{}:` URLs cannot be a site's address; use http or https, or a path such as `/portfolio/`",
            crate::diagnostics::escape(url.scheme())
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host name".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "the URL carries a user name or password, which would be published on every page"
                .into(),
        );
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("a base URL has no query (`?`) or fragment (`#`)".into());
    }
    let mut s = url.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

fn check_path(value: &str) -> Result<String, String> {
    if let Some(c) = value.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>')
    }) {
        return Err(format!(
            "the path contains {}, which a URL path cannot hold as it is; \
             percent-encode it (a space is `%20`)",
            crate::diagnostics::escape(&format!("{c:?}"))
        ));
    }
    if value.split('/').any(|seg| seg == "." || seg == "..") {
        return Err("the path has `.` or `..` segments; write it out in full".into());
    }
    let mut s = value.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

/// Whether a checked base URL names a host (`https://...`) rather than only a path:
/// canonical links and the sitemap need one.
pub fn is_absolute(base: &str) -> bool {
    base.starts_with("https://") || base.starts_with("http://")
}

/// The absolute form of a page's address under `base`: `index.html` files are named by
/// their folder (`initiatives/a/index.html` -> `BASE/initiatives/a/`).
pub fn page_url(base: &str, path: &str) -> String {
    let path = match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => path,
    };
    format!("{base}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_values_are_normalised() {
        assert_eq!(
            check("https://vmo.example").as_deref(),
            Ok("https://vmo.example/")
        );
        assert_eq!(
            check("https://VMO.example/portfolio").as_deref(),
            Ok("https://vmo.example/portfolio/")
        );
        assert_eq!(
            check("http://intranet:8080/vmo/").as_deref(),
            Ok("http://intranet:8080/vmo/")
        );
        assert_eq!(check("/").as_deref(), Ok("/"));
        assert_eq!(check("/portfolio").as_deref(), Ok("/portfolio/"));
        assert_eq!(check("/a%20b/").as_deref(), Ok("/a%20b/"));
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "javascript:alert(1)//",
            "garbage",
            "",
            "//evil.example/",
            "ftp://files.example/",
            "https://user:secret@vmo.example/",
            "https://vmo.example/?q=1",
            "https://vmo.example/#top",
            "/a b/",
            "/a/../b/",
            "/x\u{1b}]0;pwned\u{7}/",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/",
        ] {
            assert!(check(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn page_urls() {
        assert_eq!(page_url("/", "index.html"), "/");
        assert_eq!(
            page_url("https://x.example/", "initiatives/a/index.html"),
            "https://x.example/initiatives/a/"
        );
        assert_eq!(
            page_url("/p/", "data/portfolio.json"),
            "/p/data/portfolio.json"
        );
        assert_eq!(page_url("/", "404.html"), "/404.html");
    }
}
