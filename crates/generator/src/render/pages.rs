//! The list of pages: each a path, a template and how to make its context.

use super::paging;
use super::views::SiteView;
use crate::route::Route;
use minijinja::Value;

/// A page to render: its path and template, and how to make its context. The context
/// is made only when the page is rendered, so the plan is small and a page's context
/// (an initiative's charts, a narrative of megabytes) lives only while it renders.
pub struct Page<'a> {
    pub path: String,
    pub template: &'static str,
    section: &'static str,
    title: String,
    crumbs: &'static [(&'static str, Route<'static>)],
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
    route: Route<'_>,
    template: &'static str,
    section: &'static str,
    title: &str,
    crumbs: &'static [(&'static str, Route<'static>)],
    extra: impl Fn() -> Value + Send + Sync + 'a,
) -> Page<'a> {
    Page {
        path: route.path(),
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
    let top = |route: Route<'static>,
               template,
               section,
               title: &str,
               extra: fn(&SiteView<'_>) -> Value| {
        page(route, template, section, title, &[], move || extra(v))
    };
    let mut pages = vec![
        top(
            Route::Dashboard,
            "dashboard.html",
            "dashboard",
            "Portfolio dashboard",
            |v| v.dashboard(),
        ),
        top(
            Route::ValueStreams,
            "groups.html",
            "value-streams",
            "Value streams",
            |v| v.value_streams_index(),
        ),
        top(
            Route::Objectives,
            "groups.html",
            "objectives",
            "Strategic objectives",
            |v| v.objectives_index(),
        ),
        top(
            Route::Prioritisation,
            "prioritisation.html",
            "prioritisation",
            "Prioritisation",
            |v| v.prioritisation(),
        ),
        top(Route::Reports, "reports.html", "reports", "Reports", |v| {
            v.reports_index()
        }),
        top(Route::Data, "data.html", "data", "Data downloads", |_| {
            Value::UNDEFINED
        }),
        top(Route::NotFound, "404.html", "", "Page not found", |_| {
            Value::UNDEFINED
        }),
        top(Route::WhatIf, "whatif.html", "whatif", "What if?", |_| {
            Value::UNDEFINED
        }),
        top(Route::Methods, "methods.html", "methods", "Methods", |_| {
            minijinja::context! { body => super::methods::body_html() }
        }),
    ];
    let p = &v.content.portfolio;
    // A paged list: `route` at each page, `rows` rows of `size` a page.
    let paged = |route: Route<'a>,
                 template,
                 section: &'static str,
                 title: &str,
                 crumbs: &'static [(&'static str, Route<'static>)],
                 rows: usize,
                 size,
                 extra: Box<dyn Fn(usize) -> Value + Send + Sync + 'a>| {
        let pages = paging::count(rows, size);
        let extra: std::sync::Arc<dyn Fn(usize) -> Value + Send + Sync + 'a> = extra.into();
        (1..=pages)
            .map(|n| {
                let extra = std::sync::Arc::clone(&extra);
                page(
                    route.at(n),
                    template,
                    section,
                    &paging::title(title, n, pages),
                    crumbs,
                    move || extra(n),
                )
            })
            .collect::<Vec<_>>()
    };
    pages.extend(paged(
        Route::Roadmap(1),
        "roadmap.html",
        "roadmap",
        "Roadmap",
        &[],
        p.initiatives.len(),
        paging::ROADMAP_ROWS,
        Box::new(move |n| v.roadmap(n)),
    ));
    pages.extend(paged(
        Route::Dependencies(1),
        "dependencies.html",
        "dependencies",
        "Dependency map",
        &[],
        v.linked_initiatives().len(),
        paging::DEPENDENCY_ROWS,
        Box::new(move |n| v.dependencies(n)),
    ));
    for (m, model) in p.models.iter().enumerate() {
        let ranked = v.ranked_open_count(&model.id);
        if ranked <= paging::RANKING_TOP {
            continue;
        }
        pages.extend(paged(
            Route::Ranking(&model.id, 1),
            "ranking.html",
            "prioritisation",
            &format!("{} ranking", model.name),
            &[("Prioritisation", Route::Prioritisation)],
            ranked,
            paging::RANKING_ROWS,
            Box::new(move |n| v.ranking_page(m, n)),
        ));
    }
    let lists = v.budget_lists();
    let proposals = lists.funded.len() + lists.unfunded.len();
    if lists.is_paged() {
        pages.extend(paged(
            Route::Budget(1),
            "budget.html",
            "prioritisation",
            "Budget selection: every proposal",
            &[("Prioritisation", Route::Prioritisation)],
            proposals,
            paging::BUDGET_ROWS,
            Box::new(move |n| super::budget::budget_page(v, n)),
        ));
    }
    pages.extend(paged(
        Route::Initiatives(1),
        "initiatives.html",
        "initiatives",
        "Initiatives",
        &[],
        p.initiatives.len(),
        paging::INITIATIVE_ROWS,
        Box::new(move |n| v.initiatives_index(n)),
    ));
    pages.extend(paged(
        Route::Benefits(1),
        "benefits.html",
        "benefits",
        "Benefits realisation",
        &[],
        v.benefit_order().len(),
        paging::BENEFIT_ROWS,
        Box::new(move |n| v.benefits(n)),
    ));
    let risk_count = p.initiatives.iter().map(|i| i.risks.len()).sum();
    pages.extend(paged(
        Route::Risks(1),
        "risks.html",
        "risks",
        "Risk register",
        &[],
        risk_count,
        paging::RISK_ROWS,
        Box::new(move |n| v.risks(n)),
    ));
    for (k, i) in p.initiatives.iter().enumerate() {
        let mut page = page(
            Route::Initiative(&i.id),
            "initiative.html",
            "initiatives",
            &i.title,
            &[("Initiatives", Route::Initiatives(1))],
            move || v.initiative(k),
        );
        page.initiative = Some(k);
        pages.push(page);
    }
    for s in &p.value_streams {
        pages.extend(paged(
            Route::ValueStream(&s.id, 1),
            "group.html",
            "value-streams",
            &s.name,
            &[("Value streams", Route::ValueStreams)],
            v.stream_size(&s.id),
            paging::GROUP_ROWS,
            Box::new(move |n| v.value_stream(&s.id, n)),
        ));
    }
    for o in &p.objectives {
        pages.extend(paged(
            Route::Objective(&o.id, 1),
            "group.html",
            "objectives",
            &o.name,
            &[("Objectives", Route::Objectives)],
            v.objective_size(&o.id),
            paging::GROUP_ROWS,
            Box::new(move |n| v.objective(&o.id, n)),
        ));
    }
    for (k, r) in v.content.reports.iter().enumerate() {
        let route = Route::Report(&r.slug);
        let root = root_of(&route.path());
        pages.push(page(
            route,
            "report.html",
            "reports",
            &r.title,
            &[("Reports", Route::Reports)],
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
