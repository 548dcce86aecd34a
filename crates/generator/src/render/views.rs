//! Page contexts: what each template sees. Built from the content and the analysis;
//! templates never compute a figure themselves.

use super::charts;
use super::figures::{Figures, figures};
use super::markdown::render_markdown;
use super::pages::root_of;
use crate::content::Content;
use crate::content::embed::Embed;
use crate::route::Route;
use minijinja::{Value, context};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use vmo_core::*;

/// Site-wide values shared by every page.
#[derive(Debug, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub organisation: String,
    pub description: String,
    pub currency: String,
    pub as_of: String,
    pub discount_rate: f64,
    pub discounting_label: &'static str,
    pub base_date: String,
    pub cadence_label: String,
    pub period_word: &'static str,
}

#[derive(Debug, Serialize)]
struct NavItem {
    key: &'static str,
    label: &'static str,
    href: String,
}

/// A row describing one initiative, used in every list and table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub href: String,
    pub title: String,
    pub summary: String,
    pub kind: &'static str,
    pub stage_name: String,
    pub stage_class: &'static str,
    pub value_stream_name: String,
    pub value_stream_href: String,
    pub owner: String,
    pub health: &'static str,
    pub total_cost: f64,
    pub npv: f64,
    pub roi_text: String,
    pub realised_text: String,
}

pub fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Project => "project",
        Kind::Product => "product",
        Kind::Programme => "programme",
    }
}

pub fn class_label(c: StageClass) -> &'static str {
    match c {
        StageClass::Proposed => "proposed",
        StageClass::Committed => "committed",
        StageClass::Operating => "operating",
        StageClass::Closed => "closed",
    }
}

pub fn health_label(h: Health) -> &'static str {
    match h {
        Health::Green => "green",
        Health::Amber => "amber",
        Health::Red => "red",
    }
}

/// A model's ranking of open initiatives (index, score), best first, and the titles of
/// the open initiatives it does not score.
pub(super) type OpenRanking = (Vec<(usize, f64)>, Vec<String>);

/// The linked initiatives, the number of dependencies, and per initiative the indexes
/// of the dependencies at risk it is the dependent of.
pub(super) type DependencyIndex = (Vec<usize>, usize, Vec<Vec<usize>>);

/// Everything pages are made from, with the shared values computed once.
#[derive(Debug)]
pub struct SiteView<'a> {
    pub content: &'a Content,
    pub analysis: &'a crate::analysis::Analysis,
    site: Value,
    nav: Value,
    pub figures: Vec<Figures>,
    pub rows: Vec<Row>,
    index: BTreeMap<&'a str, usize>,
    roadmap_order: std::sync::OnceLock<Vec<usize>>,
    /// Every initiative by title (then id), computed once.
    title_order: std::sync::OnceLock<Vec<usize>>,
    pub(super) rankings: std::sync::OnceLock<std::collections::HashMap<String, Vec<(usize, f64)>>>,
    pub(super) benefit_order: std::sync::OnceLock<Vec<usize>>,
    pub(super) risk_rows: std::sync::OnceLock<Vec<super::page_views::RiskRow>>,
    pub(super) site_key: std::sync::OnceLock<crate::digest::Digest>,
    /// Per model: its ranking of open initiatives and the open ones it does not score.
    pub(super) open_rankings: std::sync::OnceLock<std::collections::HashMap<String, OpenRanking>>,
    pub(super) dependency_index: std::sync::OnceLock<DependencyIndex>,
    budget_lists: std::sync::OnceLock<super::budget::BudgetLists>,
    /// Charts drawn by the last render, when rendering again ([`charts::ChartCache`]).
    pub chart_cache: Option<&'a charts::ChartCache>,
}

impl<'a> SiteView<'a> {
    pub fn new(content: &'a Content, analysis: &'a crate::analysis::Analysis) -> SiteView<'a> {
        let p = &content.portfolio;
        let s = &p.settings;
        let cal = s.calendar;
        let info = SiteInfo {
            title: s.title.clone(),
            organisation: s.organisation.clone(),
            description: s.description.clone(),
            currency: s.currency.clone(),
            as_of: s.as_of.to_string(),
            discount_rate: s.discount_rate,
            discounting_label: match s.discounting {
                Discounting::EndOfPeriod => "end-of-period flows",
                Discounting::MidPeriod => "mid-period flows",
                Discounting::StartOfPeriod => "start-of-period flows",
            },
            base_date: cal.start_date(s.base_period).to_string(),
            cadence_label: format!(
                "{} periods, fiscal year starting {}",
                match cal.cadence {
                    Cadence::Year => "yearly",
                    Cadence::Quarter => "quarterly",
                },
                month_name(cal.fiscal_year_start_month)
            ),
            period_word: match cal.cadence {
                Cadence::Year => "year",
                Cadence::Quarter => "quarter",
            },
        };
        let nav: Vec<NavItem> = crate::route::NAV
            .iter()
            .map(|&(key, label, route)| NavItem {
                key,
                label,
                href: route.path(),
            })
            .collect();
        let figures: Vec<Figures> = (0..p.initiatives.len())
            .into_par_iter()
            .map(|k| figures(p, &analysis.metrics, k))
            .collect();
        let rows = p
            .initiatives
            .iter()
            .zip(&figures)
            .map(|(i, f)| {
                let stage = p.stage(&i.stage);
                let vs = p.value_stream(&i.value_stream);
                Row {
                    id: i.id.clone(),
                    href: Route::Initiative(&i.id).path(),
                    title: i.title.clone(),
                    summary: i.summary.clone(),
                    kind: kind_label(i.kind),
                    stage_name: stage.map_or_else(|| i.stage.clone(), |s| s.name.clone()),
                    stage_class: stage.map_or("proposed", |s| class_label(s.class)),
                    value_stream_name: vs
                        .map_or_else(|| i.value_stream.clone(), |s| s.name.clone()),
                    value_stream_href: Route::ValueStream(&i.value_stream, 1).path(),
                    owner: i.owner.clone(),
                    health: health_label(i.health),
                    total_cost: f.total_cost,
                    npv: f.npv,
                    roi_text: f.roi_text.clone(),
                    realised_text: f.realised_text.clone(),
                }
            })
            .collect();
        let index = p
            .initiatives
            .iter()
            .enumerate()
            .map(|(k, i)| (i.id.as_str(), k))
            .collect();
        SiteView {
            content,
            analysis,
            site: Value::from_serialize(&info),
            nav: Value::from_serialize(&nav),
            figures,
            rows,
            index,
            roadmap_order: std::sync::OnceLock::new(),
            title_order: std::sync::OnceLock::new(),
            rankings: std::sync::OnceLock::new(),
            benefit_order: std::sync::OnceLock::new(),
            risk_rows: std::sync::OnceLock::new(),
            site_key: std::sync::OnceLock::new(),
            open_rankings: std::sync::OnceLock::new(),
            dependency_index: std::sync::OnceLock::new(),
            budget_lists: std::sync::OnceLock::new(),
            chart_cache: None,
        }
    }

    /// The initiatives in the roadmap's order ([`charts::roadmap_order`]), computed once.
    pub fn roadmap_order(&self) -> &[usize] {
        self.roadmap_order
            .get_or_init(|| charts::roadmap_order(&self.content.portfolio))
    }

    /// The budget selection's proposals in the pages' order, computed once.
    pub fn budget_lists(&self) -> &super::budget::BudgetLists {
        self.budget_lists
            .get_or_init(|| super::budget::BudgetLists::new(self))
    }

    fn portfolio(&self) -> &'a Portfolio {
        &self.content.portfolio
    }

    /// A page's context: `extra`, its own values, and those every page has.
    pub fn page(
        &self,
        path: &str,
        section: &str,
        title: &str,
        crumbs: &[(&str, Route<'_>)],
        extra: Value,
    ) -> Value {
        let crumbs: Vec<BTreeMap<&str, String>> = crumbs
            .iter()
            .map(|(label, route)| {
                BTreeMap::from([("label", label.to_string()), ("href", route.path())])
            })
            .collect();
        let base = context! {
            site => self.site.clone(),
            nav => self.nav.clone(),
            csp => super::CSP,
            root => root_of(path),
            canonical => canonical_url(&self.content.portfolio.settings.base_url, path),
            section => section,
            page_title => title,
            breadcrumbs => crumbs,
        };
        context! { ..extra, ..base }
    }

    /// The rows `keep` accepts, by title (case-insensitive), then id.
    fn sorted_rows(&self, keep: impl Fn(&Initiative) -> bool) -> Vec<&Row> {
        let p = self.portfolio();
        let order = self.title_order.get_or_init(|| {
            let lower: Vec<String> = self.rows.iter().map(|r| r.title.to_lowercase()).collect();
            let mut ks: Vec<usize> = (0..self.rows.len()).collect();
            ks.sort_by(|&a, &b| {
                lower[a]
                    .cmp(&lower[b])
                    .then(self.rows[a].id.cmp(&self.rows[b].id))
            });
            ks
        });
        order
            .iter()
            .filter(|&&k| keep(&p.initiatives[k]))
            .map(|&k| &self.rows[k])
            .collect()
    }

    /// Page `n` (from 1) of the list of all initiatives, by title; the explorer is on
    /// the first page.
    pub fn initiatives_index(&self, n: usize) -> Value {
        let rows = self.sorted_rows(|_| true);
        let size = super::paging::INITIATIVE_ROWS;
        let pager = super::paging::pager(Route::Initiatives(n), size, rows.len());
        let shown = &rows[super::paging::rows(pager.page, size, rows.len())];
        context! { initiatives => shown, total => rows.len(), pager => pager }
    }

    /// Totals over a set of initiatives, with each one's share (1 unless split).
    fn group_totals(&self, members: &[(usize, f64)]) -> GroupTotals {
        let mut g = GroupTotals::default();
        for &(k, share) in members {
            let f = &self.figures[k];
            g.count += 1;
            g.investment += f.total_cost * share;
            g.npv += f.npv * share;
            g.planned_benefit_to_date += f.planned_benefit_to_date * share;
            g.actual_benefit += f.actual_benefit * share;
        }
        g.realised_text = if g.planned_benefit_to_date > 0.0 {
            super::format::percent(g.actual_benefit / g.planned_benefit_to_date, 0)
        } else {
            "—".into()
        };
        g
    }

    fn members_of_stream(&self, id: &str) -> Vec<(usize, f64)> {
        self.portfolio()
            .initiatives
            .iter()
            .enumerate()
            .filter(|(_, i)| i.value_stream == id)
            .map(|(k, _)| (k, 1.0))
            .collect()
    }

    /// Initiatives serving an objective, each with its equal share of that objective.
    fn members_of_objective(&self, id: &str) -> Vec<(usize, f64)> {
        self.portfolio()
            .initiatives
            .iter()
            .enumerate()
            .filter(|(_, i)| i.objectives.iter().any(|o| o == id))
            .map(|(k, i)| (k, 1.0 / i.objectives.len() as f64))
            .collect()
    }

    pub fn value_streams_index(&self) -> Value {
        let p = self.portfolio();
        let groups: Vec<Value> = p
            .value_streams
            .iter()
            .map(|s| {
                let g = self.group_totals(&self.members_of_stream(&s.id));
                context! { name => s.name, description => s.description, owner => s.owner, href => Route::ValueStream(&s.id, 1).path(), ..Value::from_serialize(&g) }
            })
            .collect();
        context! {
            intro => "The value streams the portfolio invests in: what each costs, what it is worth and how much of its planned benefit has arrived.",
            singular => "value stream",
            show_weight => false,
            groups => groups,
            chart => charts::investment_by_value_stream(self),
        }
    }

    pub fn objectives_index(&self) -> Value {
        let p = self.portfolio();
        let total_weight: f64 = p.objectives.iter().map(|o| o.weight).sum();
        let groups: Vec<Value> = p
            .objectives
            .iter()
            .map(|o| {
                let g = self.group_totals(&self.members_of_objective(&o.id));
                context! { name => o.name, description => o.description, owner => o.owner, weight_share => o.weight / total_weight, href => Route::Objective(&o.id, 1).path(), ..Value::from_serialize(&g) }
            })
            .collect();
        context! {
            intro => "The strategic objectives and their weights, with the investment aligned to each.",
            singular => "objective",
            show_weight => true,
            groups => groups,
            chart => charts::investment_by_objective(self),
        }
    }

    /// A group's page (`route`: a value stream's or an objective's): totals and charts on
    /// the first page, its initiatives by NPV in pages.
    #[allow(clippy::too_many_arguments, reason = "a group page's parts, named")]
    fn group_page(
        &self,
        route: Route<'_>,
        name: &str,
        description: &str,
        owner: &str,
        singular: &str,
        members: Vec<(usize, f64)>,
        share_note: &str,
    ) -> Value {
        let g = self.group_totals(&members);
        let ids: Vec<usize> = members.iter().map(|(k, _)| *k).collect();
        let rows: Vec<&Row> = {
            let mut r: Vec<&Row> = ids.iter().map(|&k| &self.rows[k]).collect();
            r.sort_by(|a, b| b.npv.total_cmp(&a.npv).then(a.id.cmp(&b.id)));
            r
        };
        let size = super::paging::GROUP_ROWS;
        let pager = super::paging::pager(route, size, rows.len());
        let shown = &rows[super::paging::rows(pager.page, size, rows.len())];
        let charts = if pager.page == 1 {
            context! {
                by_stage => charts::investment_by_stage(self, &members, name),
                value_vs_effort => charts::value_vs_effort(self, &ids, &format!("{name}: value vs effort")),
            }
        } else {
            Value::UNDEFINED
        };
        context! {
            singular => singular,
            g => context! { name => name, description => description, owner => owner, share_note => share_note, ..Value::from_serialize(&g) },
            initiatives => shown,
            charts => charts,
            pager => pager,
        }
    }

    /// How many initiatives a value stream has.
    pub fn stream_size(&self, id: &str) -> usize {
        self.members_of_stream(id).len()
    }

    /// How many initiatives serve an objective.
    pub fn objective_size(&self, id: &str) -> usize {
        self.members_of_objective(id).len()
    }

    /// Page `n` (from 1) of a value stream; its flow metrics are on the first page.
    pub fn value_stream(&self, id: &str, n: usize) -> Value {
        let p = self.portfolio();
        let Some(s) = p.value_stream(id) else {
            return Value::UNDEFINED;
        };
        let page = self.group_page(
            Route::ValueStream(id, n),
            &s.name,
            &s.description,
            &s.owner,
            "value stream",
            self.members_of_stream(id),
            "lifetime cost",
        );
        let flow = self
            .content
            .flow
            .get(id)
            .filter(|_| n <= 1)
            .map(|items| super::flow::flow_view(self, id, &s.name, items));
        context! { flow => flow, ..page }
    }

    /// Page `n` (from 1) of an objective.
    pub fn objective(&self, id: &str, n: usize) -> Value {
        let p = self.portfolio();
        let Some(o) = p.objective(id) else {
            return Value::UNDEFINED;
        };
        self.group_page(
            Route::Objective(id, n),
            &o.name,
            &o.description,
            &o.owner,
            "objective",
            self.members_of_objective(id),
            "equal share of multi-objective initiatives",
        )
    }

    pub fn reports_index(&self) -> Value {
        let reports: Vec<Value> = self
            .content
            .reports
            .iter()
            .map(|r| context! { title => r.title, href => Route::Report(&r.slug).path(), date => r.date.map(|d| d.to_string()), author => r.author, summary => r.summary })
            .collect();
        context! { reports => reports }
    }

    pub fn report(&self, k: usize, root: &str) -> Value {
        let r = &self.content.reports[k];
        let body = self.markdown(&r.body, root, &format!("report-{}", r.slug));
        context! {
            r => context! { title => r.title, date => r.date.map(|d| d.to_string()), author => r.author, summary => r.summary },
            body => body,
        }
    }

    /// Markdown with its embeds rendered; `root` is the page's path to the site root.
    pub fn markdown(&self, doc: &crate::content::Document, root: &str, id_prefix: &str) -> String {
        let cx = super::markdown::MarkdownContext {
            root,
            targets: &self.content.link_targets,
            trusted_html: self.content.trusted_html,
        };
        render_markdown(doc, &cx, &mut |n| {
            let Some(e) = doc.embeds.get(n) else {
                return String::new();
            };
            self.embed_html(&e.embed, root, &format!("{id_prefix}-{n}"))
        })
    }

    fn embed_html(&self, e: &Embed, root: &str, id: &str) -> String {
        match e {
            Embed::Chart { name, initiative } => {
                let chart = charts::named(self, name, initiative.as_deref(), id);
                super::charts::figure_html(&chart, root)
            }
            Embed::Table {
                name,
                model,
                limit,
                stage,
                value_stream,
                objective,
            } => {
                let t = super::tables::table(
                    self,
                    name,
                    model.as_deref(),
                    *limit,
                    stage.as_deref(),
                    value_stream.as_deref(),
                    objective.as_deref(),
                );
                super::tables::table_html(&t, root)
            }
        }
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct GroupTotals {
    pub count: usize,
    pub investment: f64,
    pub npv: f64,
    pub planned_benefit_to_date: f64,
    pub actual_benefit: f64,
    pub realised_text: String,
}

fn month_name(m: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[usize::from(m.clamp(1, 12) - 1)]
}

/// A page's canonical URL (`<link rel="canonical">`): only under an absolute base URL,
/// since a bare path cannot say on which host the page lives; none for the 404 page.
fn canonical_url(base: &str, path: &str) -> Option<String> {
    use crate::content::base_url;
    (base_url::is_absolute(base) && path != "404.html").then(|| base_url::page_url(base, path))
}
