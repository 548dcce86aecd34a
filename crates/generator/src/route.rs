//! Every page of the site and its address: the one place a page's path is spelt. The
//! page plan, the navigation, every link between pages, the `@/` links of Markdown,
//! the sitemap and the export's URLs all name pages by a [`Route`].
//!
//! A portfolio-wide list comes in pages ([`render::paging`](crate::render::paging)):
//! page 1 is `SECTION/index.html`, page n is `SECTION/n/index.html`; in a section whose
//! folder holds other pages (one per initiative), page n is `SECTION/index-n.html`,
//! which no child's folder can be.

/// A page of the site. Numbers are page numbers of a paged list, from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route<'a> {
    Dashboard,
    /// The list of all initiatives.
    Initiatives(usize),
    Initiative(&'a str),
    Prioritisation,
    /// One model's whole ranking, by the model's id.
    Ranking(&'a str, usize),
    /// Every proposal of the budget selection, funded and not.
    Budget(usize),
    WhatIf,
    Roadmap(usize),
    Dependencies(usize),
    Risks(usize),
    Benefits(usize),
    ValueStreams,
    ValueStream(&'a str, usize),
    Objectives,
    Objective(&'a str, usize),
    Reports,
    /// A report, by its slug.
    Report(&'a str),
    Data,
    Methods,
    NotFound,
}

/// The navigation: each entry's key (the `section` of the pages under it), label and
/// page, in order.
pub const NAV: &[(&str, &str, Route<'static>)] = &[
    ("dashboard", "Dashboard", Route::Dashboard),
    ("initiatives", "Initiatives", Route::Initiatives(1)),
    ("prioritisation", "Prioritisation", Route::Prioritisation),
    ("whatif", "What if?", Route::WhatIf),
    ("roadmap", "Roadmap", Route::Roadmap(1)),
    ("dependencies", "Dependencies", Route::Dependencies(1)),
    ("risks", "Risks", Route::Risks(1)),
    ("benefits", "Benefits", Route::Benefits(1)),
    ("value-streams", "Value streams", Route::ValueStreams),
    ("objectives", "Objectives", Route::Objectives),
    ("reports", "Reports", Route::Reports),
    ("data", "Data", Route::Data),
];

/// Page `n` of a list in folder `dir`: `dir/index.html`, `dir/N/index.html`.
fn paged(dir: &str, n: usize) -> String {
    if n <= 1 {
        format!("{dir}/index.html")
    } else {
        format!("{dir}/{n}/index.html")
    }
}

impl Route<'_> {
    /// The page's path in the output folder (with `/`).
    pub fn path(&self) -> String {
        match *self {
            Route::Dashboard => "index.html".into(),
            Route::Initiatives(n) if n > 1 => format!("initiatives/index-{n}.html"),
            Route::Initiatives(_) => "initiatives/index.html".into(),
            Route::Initiative(id) => format!("initiatives/{id}/index.html"),
            Route::Prioritisation => "prioritisation/index.html".into(),
            Route::Ranking(model, n) => paged(&format!("prioritisation/{model}"), n),
            // Files beside the models' folders, which no model id can be.
            Route::Budget(n) if n > 1 => format!("prioritisation/budget-{n}.html"),
            Route::Budget(_) => "prioritisation/budget.html".into(),
            Route::WhatIf => "whatif/index.html".into(),
            Route::Roadmap(n) => paged("roadmap", n),
            Route::Dependencies(n) => paged("dependencies", n),
            Route::Risks(n) => paged("risks", n),
            Route::Benefits(n) => paged("benefits", n),
            Route::ValueStreams => "value-streams/index.html".into(),
            Route::ValueStream(id, n) => paged(&format!("value-streams/{id}"), n),
            Route::Objectives => "objectives/index.html".into(),
            Route::Objective(id, n) => paged(&format!("objectives/{id}"), n),
            Route::Reports => "reports/index.html".into(),
            Route::Report(slug) => format!("reports/{slug}/index.html"),
            Route::Data => "data/index.html".into(),
            Route::Methods => "methods/index.html".into(),
            Route::NotFound => "404.html".into(),
        }
    }

    /// The page number of a paged list (1 for any other page).
    pub fn page(&self) -> usize {
        match *self {
            Route::Initiatives(n)
            | Route::Ranking(_, n)
            | Route::Budget(n)
            | Route::Roadmap(n)
            | Route::Dependencies(n)
            | Route::Risks(n)
            | Route::Benefits(n)
            | Route::ValueStream(_, n)
            | Route::Objective(_, n) => n.max(1),
            _ => 1,
        }
    }
}

impl<'a> Route<'a> {
    /// The same list at page `n` (the same page for a page that is not paged).
    pub fn at(self, n: usize) -> Route<'a> {
        match self {
            Route::Initiatives(_) => Route::Initiatives(n),
            Route::Ranking(m, _) => Route::Ranking(m, n),
            Route::Budget(_) => Route::Budget(n),
            Route::Roadmap(_) => Route::Roadmap(n),
            Route::Dependencies(_) => Route::Dependencies(n),
            Route::Risks(_) => Route::Risks(n),
            Route::Benefits(_) => Route::Benefits(n),
            Route::ValueStream(id, _) => Route::ValueStream(id, n),
            Route::Objective(id, _) => Route::Objective(id, n),
            other => other,
        }
    }

    /// The page an `@/` link names (`@/roadmap`, `@/initiatives/x`, `@/index`), when
    /// it is one of the site's kinds of page; whether it exists is for the caller.
    pub fn of_link(path: &'a str) -> Option<Route<'a>> {
        let path = path.trim_end_matches('/').trim_end_matches(".md");
        let child = |dir: &str| {
            path.strip_prefix(dir)
                .and_then(|rest| rest.strip_prefix('/'))
                .filter(|id| !id.is_empty() && !id.contains('/'))
        };
        Some(match path {
            "" | "index" => Route::Dashboard,
            "initiatives" => Route::Initiatives(1),
            "prioritisation" => Route::Prioritisation,
            "whatif" => Route::WhatIf,
            "roadmap" => Route::Roadmap(1),
            "dependencies" => Route::Dependencies(1),
            "risks" => Route::Risks(1),
            "benefits" => Route::Benefits(1),
            "value-streams" => Route::ValueStreams,
            "objectives" => Route::Objectives,
            "reports" => Route::Reports,
            "data" => Route::Data,
            "methods" => Route::Methods,
            _ => {
                if let Some(id) = child("initiatives") {
                    Route::Initiative(id)
                } else if let Some(id) = child("value-streams") {
                    Route::ValueStream(id, 1)
                } else if let Some(id) = child("objectives") {
                    Route::Objective(id, 1)
                } else if let Some(slug) = child("reports") {
                    Route::Report(slug)
                } else {
                    return None;
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(Route::Dashboard.path(), "index.html");
        assert_eq!(Route::Initiatives(1).path(), "initiatives/index.html");
        assert_eq!(Route::Initiatives(3).path(), "initiatives/index-3.html");
        assert_eq!(Route::Initiative("a").path(), "initiatives/a/index.html");
        assert_eq!(Route::Roadmap(2).path(), "roadmap/2/index.html");
        assert_eq!(
            Route::Ranking("wsjf", 1).path(),
            "prioritisation/wsjf/index.html"
        );
        assert_eq!(
            Route::ValueStream("v", 2).path(),
            "value-streams/v/2/index.html"
        );
        assert_eq!(Route::Budget(1).path(), "prioritisation/budget.html");
        assert_eq!(Route::Budget(3).path(), "prioritisation/budget-3.html");
        assert_eq!(Route::Roadmap(1).at(4), Route::Roadmap(4));
        assert_eq!(Route::Data.at(4), Route::Data);
    }

    #[test]
    fn links_name_routes() {
        assert_eq!(Route::of_link("index"), Some(Route::Dashboard));
        assert_eq!(Route::of_link("roadmap/"), Some(Route::Roadmap(1)));
        assert_eq!(
            Route::of_link("initiatives/x.md"),
            Some(Route::Initiative("x"))
        );
        assert_eq!(Route::of_link("initiatives/x/y"), None);
        assert_eq!(Route::of_link("nowhere"), None);
    }
}
