//! The list of pages: each a path, a template and how to make its context.

use super::paging;
use super::views::SiteView;
use minijinja::Value;

/// A page to render: its path and template, and how to make its context. The context
/// is made only when the page is rendered, so the plan is small and a page's context
/// (an initiative's charts, a narrative of megabytes) lives only while it renders.
pub struct Page<'a> {
    pub path: String,
    pub template: &'static str,
    section: &'static str,
    title: String,
    crumbs: &'static [(&'static str, &'static str)],
    extra: Box<dyn Fn() -> Value + Send + Sync + 'a>,
    /// The initiative whose page this is: its key comes from the values it is made of
    /// ([`SiteView::initiative_key`]), without making its context.
    initiative: Option<usize>,
}

impl std::fmt::Debug for Page<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("path", &self.path)
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

impl Page<'_> {
    /// The template's context: the page's own values and those every page has.
    pub fn context(&self, v: &SiteView<'_>) -> Value {
        v.page(
            &self.path,
            self.section,
            &self.title,
            self.crumbs,
            (self.extra)(),
        )
    }

    /// A digest of everything the page is made of, when that is known without making its
    /// context (an initiative's page); `None` otherwise, and the context's own digest
    /// keys the page.
    pub fn key(&self, v: &SiteView<'_>) -> Option<crate::digest::Digest> {
        self.initiative.and_then(|k| v.initiative_key(k))
    }
}

/// The relative prefix from a page to the site root (`../../` for `a/b/index.html`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn page<'a>(
    path: String,
    template: &'static str,
    section: &'static str,
    title: &str,
    crumbs: &'static [(&'static str, &'static str)],
    extra: impl Fn() -> Value + Send + Sync + 'a,
) -> Page<'a> {
    Page {
        path,
        template,
        section,
        title: title.to_string(),
        crumbs,
        extra: Box::new(extra),
        initiative: None,
    }
}

/// Every page of the site.
pub fn plan<'a>(v: &'a SiteView<'a>) -> Vec<Page<'a>> {
    let top = |path: &str, template, section, title: &str, extra: fn(&SiteView<'_>) -> Value| {
        page(path.to_string(), template, section, title, &[], move || {
            extra(v)
        })
    };
    let mut pages = vec![
        top(
            "index.html",
            "dashboard.html",
            "dashboard",
            "Portfolio dashboard",
            |v| v.dashboard(),
        ),
        top(
            "value-streams/index.html",
            "groups.html",
            "value-streams",
            "Value streams",
            |v| v.value_streams_index(),
        ),
        top(
            "objectives/index.html",
            "groups.html",
            "objectives",
            "Strategic objectives",
            |v| v.objectives_index(),
        ),
        top(
            "prioritisation/index.html",
            "prioritisation.html",
            "prioritisation",
            "Prioritisation",
            |v| v.prioritisation(),
        ),
        top(
            "reports/index.html",
            "reports.html",
            "reports",
            "Reports",
            |v| v.reports_index(),
        ),
        top(
            "data/index.html",
            "data.html",
            "data",
            "Data downloads",
            |_| Value::UNDEFINED,
        ),
        top("404.html", "404.html", "", "Page not found", |_| {
            Value::UNDEFINED
        }),
        top(
            "whatif/index.html",
            "whatif.html",
            "whatif",
            "What if?",
            |_| Value::UNDEFINED,
        ),
        top(
            "methods/index.html",
            "methods.html",
            "methods",
            "Methods",
            |_| {
                minijinja::context! { body => super::methods::body_html() }
            },
        ),
    ];
    let p = &v.content.portfolio;
    let paged = |section: &'static str,
                 template,
                 title: &str,
                 rows: usize,
                 size,
                 extra: fn(&SiteView<'_>, usize) -> Value| {
        let pages = paging::count(rows, size);
        (1..=pages)
            .map(move |n| {
                page(
                    paging::path(section, n),
                    template,
                    section,
                    &paging::title(title, n, pages),
                    &[],
                    move || extra(v, n),
                )
            })
            .collect::<Vec<_>>()
    };
    pages.extend(paged(
        "roadmap",
        "roadmap.html",
        "Roadmap",
        p.initiatives.len(),
        paging::ROADMAP_ROWS,
        |v, n| v.roadmap(n),
    ));
    pages.extend(paged(
        "dependencies",
        "dependencies.html",
        "Dependency map",
        v.linked_initiatives().len(),
        paging::DEPENDENCY_ROWS,
        |v, n| v.dependencies(n),
    ));
    for (m, model) in p.models.iter().enumerate() {
        let ranked = v.ranked_open_count(&model.id);
        if ranked <= paging::RANKING_TOP {
            continue;
        }
        let section = format!("prioritisation/{}", model.id);
        let count = paging::count(ranked, paging::RANKING_ROWS);
        let title = format!("{} ranking", model.name);
        for n in 1..=count {
            pages.push(page(
                paging::path(&section, n),
                "ranking.html",
                "prioritisation",
                &paging::title(&title, n, count),
                &[("Prioritisation", "prioritisation/index.html")],
                move || v.ranking_page(m, n),
            ));
        }
    }
    let list_pages = paging::count(p.initiatives.len(), paging::INITIATIVE_ROWS);
    for n in 1..=list_pages {
        pages.push(page(
            paging::file_path("initiatives", n),
            "initiatives.html",
            "initiatives",
            &paging::title("Initiatives", n, list_pages),
            &[],
            move || v.initiatives_index(n),
        ));
    }
    pages.extend(paged(
        "benefits",
        "benefits.html",
        "Benefits realisation",
        v.benefit_order().len(),
        paging::BENEFIT_ROWS,
        |v, n| v.benefits(n),
    ));
    let risk_count = p.initiatives.iter().map(|i| i.risks.len()).sum();
    pages.extend(paged(
        "risks",
        "risks.html",
        "Risk register",
        risk_count,
        paging::RISK_ROWS,
        |v, n| v.risks(n),
    ));
    for (k, i) in p.initiatives.iter().enumerate() {
        let mut page = page(
            format!("initiatives/{}/index.html", i.id),
            "initiative.html",
            "initiatives",
            &i.title,
            &[("Initiatives", "initiatives/index.html")],
            move || v.initiative(k),
        );
        page.initiative = Some(k);
        pages.push(page);
    }
    for s in &p.value_streams {
        let section = format!("value-streams/{}", s.id);
        let count = paging::count(v.stream_size(&s.id), paging::GROUP_ROWS);
        for n in 1..=count {
            pages.push(page(
                paging::path(&section, n),
                "group.html",
                "value-streams",
                &paging::title(&s.name, n, count),
                &[("Value streams", "value-streams/index.html")],
                move || v.value_stream(&s.id, n),
            ));
        }
    }
    for o in &p.objectives {
        let section = format!("objectives/{}", o.id);
        let count = paging::count(v.objective_size(&o.id), paging::GROUP_ROWS);
        for n in 1..=count {
            pages.push(page(
                paging::path(&section, n),
                "group.html",
                "objectives",
                &paging::title(&o.name, n, count),
                &[("Objectives", "objectives/index.html")],
                move || v.objective(&o.id, n),
            ));
        }
    }
    for (k, r) in v.content.reports.iter().enumerate() {
        let path = format!("reports/{}/index.html", r.slug);
        let root = root_of(&path);
        pages.push(page(
            path,
            "report.html",
            "reports",
            &r.title,
            &[("Reports", "reports/index.html")],
            move || v.report(k, &root),
        ));
    }
    pages
}

#[cfg(test)]
mod tests {
    #[test]
    fn roots() {
        assert_eq!(super::root_of("index.html"), "");
        assert_eq!(super::root_of("a/b/index.html"), "../../");
    }
}
