//! Contexts of the portfolio-wide pages and the initiative page.

use super::charts;
use super::format;
use super::views::{Row, SiteView, class_label, health_label};
use crate::route::Route;
use minijinja::{Value, context};
use serde::Serialize;
use vmo_core::*;

#[derive(Debug, Serialize)]
pub(super) struct RiskRow {
    title: String,
    initiative: String,
    href: String,
    probability: f64,
    impact: u8,
    exposure: f64,
    /// Probability band × impact (see `vmo_core::risk`).
    score: u8,
    zone: &'static str,
    #[serde(skip)]
    rating: vmo_core::risk::Rating,
    owner: String,
    mitigation: String,
    status: &'static str,
}

#[derive(Debug, Serialize)]
struct Link {
    title: String,
    href: String,
    stage_name: String,
    health: &'static str,
}

fn status_label(s: RiskStatus) -> &'static str {
    match s {
        RiskStatus::Open => "open",
        RiskStatus::Mitigating => "mitigating",
        RiskStatus::Closed => "closed",
    }
}

impl SiteView<'_> {
    fn p(&self) -> &Portfolio {
        &self.content.portfolio
    }

    /// Every risk of the portfolio in the register's order, computed once.
    fn all_risks(&self) -> &[RiskRow] {
        self.risk_rows.get_or_init(|| self.risk_register())
    }

    /// Every risk of the portfolio, open and mitigating first by exposure, then closed.
    fn risk_register(&self) -> Vec<RiskRow> {
        let mut out: Vec<RiskRow> = self
            .p()
            .initiatives
            .iter()
            .flat_map(|i| {
                i.risks.iter().map(move |r| {
                    let rating = vmo_core::risk::rate(r.probability, r.impact);
                    RiskRow {
                        title: r.title.clone(),
                        initiative: i.title.clone(),
                        href: Route::Initiative(&i.id).path(),
                        probability: r.probability,
                        impact: r.impact,
                        exposure: rating.exposure,
                        score: rating.score,
                        zone: rating.zone.label(),
                        rating,
                        owner: r.owner.clone(),
                        mitigation: r.mitigation.clone(),
                        status: status_label(r.status),
                    }
                })
            })
            .collect();
        out.sort_by(|a, b| {
            (a.status == "closed")
                .cmp(&(b.status == "closed"))
                .then(vmo_core::risk::order(&a.rating, &b.rating))
                .then(a.initiative.cmp(&b.initiative))
                .then(a.title.cmp(&b.title))
        });
        out
    }

    fn link(&self, id: &str) -> Option<Link> {
        self.index_of(id).map(|k| self.link_to(k))
    }

    /// The initiatives that depend on initiative `k`, as links (stage 3's index).
    fn downstream(&self, k: usize) -> Vec<Link> {
        self.analysis.dependents[k]
            .iter()
            .map(|&j| self.link_to(j))
            .collect()
    }

    fn link_to(&self, k: usize) -> Link {
        let r: &Row = &self.rows[k];
        Link {
            title: r.title.clone(),
            href: r.href.clone(),
            stage_name: r.stage_name.clone(),
            health: r.health,
        }
    }

    pub fn dashboard(&self) -> Value {
        let p = self.p();
        let t = self.totals();
        let stages: Vec<Value> = p
            .stages
            .iter()
            .map(|s| {
                let ks: Vec<usize> = p.initiatives.iter().enumerate().filter(|(_, i)| i.stage == s.id).map(|(k, _)| k).collect();
                let count_h = |h: Health| ks.iter().filter(|&&k| p.initiatives[k].health == h).count();
                context! {
                    name => s.name, class => class_label(s.class), count => ks.len(),
                    investment => ks.iter().map(|&k| self.figures[k].total_cost).sum::<f64>(),
                    npv => ks.iter().map(|&k| self.figures[k].npv).sum::<f64>(),
                    green => count_h(Health::Green), amber => count_h(Health::Amber), red => count_h(Health::Red),
                }
            })
            .collect();
        let top_model = p.models.first();
        let top_ranked: Vec<Value> = top_model
            .map(|m| {
                self.ranking(&m.id)
                    .iter()
                    .filter(|&&(k, _)| self.is_open(k))
                    .take(8)
                    .map(|&(k, score)| context! { title => self.rows[k].title, href => self.rows[k].href, stage_name => self.rows[k].stage_name, health => self.rows[k].health, score => score })
                    .collect()
            })
            .unwrap_or_default();
        let all: Vec<usize> = (0..p.initiatives.len()).collect();
        let reports: Vec<Value> = self
            .content
            .reports
            .iter()
            .take(3)
            .map(|r| context! { title => r.title, href => Route::Report(&r.slug).path(), date => r.date.map(|d| d.to_string()), summary => r.summary })
            .collect();
        context! {
            totals => t,
            stages => stages,
            top_risks => self.all_risks().iter().filter(|r| r.status != "closed").take(6).collect::<Vec<_>>(),
            top_model => context! { name => top_model.map(|m| m.name.clone()) },
            top_ranked => top_ranked,
            reports => reports,
            decisions => super::decisions::decisions_view(self),
            charts => context! {
                value_vs_effort => charts::value_vs_effort(self, &all, "Portfolio: value vs effort"),
                by_value_stream => charts::investment_by_value_stream(self),
                by_objective => charts::investment_by_objective(self),
                benefits => charts::benefits_realisation(self),
                budget => charts::budget(self),
            },
        }
    }

    /// Not closed: still competing for money.
    fn is_open(&self, k: usize) -> bool {
        let i = &self.p().initiatives[k];
        self.p()
            .stage(&i.stage)
            .is_none_or(|s| s.class != StageClass::Closed)
    }

    /// (initiative index, score), best first, for one model.
    /// The initiatives `model_id` scores, best first, with their scores (computed once
    /// per model: paged sections ask on every page).
    fn ranking(&self, model_id: &str) -> &[(usize, f64)] {
        self.rankings
            .get_or_init(|| {
                self.p()
                    .models
                    .iter()
                    .map(|m| (m.id.clone(), self.rank_by(&m.id)))
                    .collect()
            })
            .get(model_id)
            .map_or(&[], Vec::as_slice)
    }

    fn rank_by(&self, model_id: &str) -> Vec<(usize, f64)> {
        let mut out: Vec<(usize, f64)> = self
            .figures
            .iter()
            .enumerate()
            .filter_map(|(k, f)| {
                f.scores
                    .iter()
                    .find(|s| s.model_id == model_id)
                    .and_then(|s| s.value)
                    .map(|v| (k, v))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    pub fn totals(&self) -> Value {
        let p = self.p();
        let f = &self.figures;
        let sum = |g: fn(&super::figures::Figures) -> f64| f.iter().map(g).sum::<f64>();
        let investment = sum(|x| x.total_cost);
        let benefit = sum(|x| x.total_benefit);
        let planned_benefit_to_date = sum(|x| x.planned_benefit_to_date);
        let actual_benefit = sum(|x| x.actual_benefit);
        let by_class = |c: StageClass| {
            p.initiatives
                .iter()
                .filter(|i| p.stage(&i.stage).is_some_and(|s| s.class == c))
                .count()
        };
        context! {
            count => p.initiatives.len(),
            count_note => format!("{} proposed · {} in delivery · {} live", by_class(StageClass::Proposed), by_class(StageClass::Committed), by_class(StageClass::Operating)),
            investment => investment,
            benefit => benefit,
            npv => sum(|x| x.npv),
            roi_text => if investment > 0.0 { format::percent((benefit - investment) / investment, 0) } else { "—".into() },
            actual_cost => sum(|x| x.actual_cost),
            planned_cost_to_date => sum(|x| x.planned_cost_to_date),
            actual_benefit => actual_benefit,
            planned_benefit_to_date => planned_benefit_to_date,
            realised_text => if planned_benefit_to_date > 0.0 { format::percent(actual_benefit / planned_benefit_to_date, 0) } else { "—".into() },
        }
    }

    pub fn initiative(&self, k: usize) -> Value {
        let p = self.p();
        let i = &p.initiatives[k];
        let f = &self.figures[k];
        let row = &self.rows[k];
        let path = Route::Initiative(&i.id).path();
        let narrative = self
            .content
            .narratives
            .get(&i.id)
            .map(|d| self.markdown(d, &super::pages::root_of(&path), &format!("n-{}", i.id)))
            .unwrap_or_default();
        let objectives: Vec<Value> = i
            .objectives
            .iter()
            .filter_map(|o| p.objective(o))
            .map(|o| context! { name => o.name, href => Route::Objective(&o.id, 1).path() })
            .collect();
        let kpis: Vec<Value> = i
            .kpis
            .iter()
            .enumerate()
            .map(|(n, kpi)| {
                context! {
                    name => kpi.name, unit => super::format::unit_suffix(&kpi.unit), baseline => kpi.baseline, target => kpi.target,
                    target_date => kpi.target_date.map(|d| d.to_string()),
                    // The actual the progress is measured from: the latest on or before as_of.
                    latest => self.analysis.metrics.initiatives[k].kpis.get(n).and_then(|m| m.latest.as_ref()).map(|a| a.value),
                    progress => f.kpi_progress.get(n).copied().flatten(),
                    chart => charts::kpi(self, k, n),
                }
            })
            .collect();
        let risks: Vec<Value> = i
            .risks
            .iter()
            .map(|r| context! { title => r.title, probability => r.probability, impact => r.impact, owner => r.owner, mitigation => r.mitigation, status => status_label(r.status) })
            .collect();
        let upstream: Vec<Link> = i.depends_on.iter().filter_map(|d| self.link(d)).collect();
        let downstream = self.downstream(k);
        let first_label = i
            .plan
            .periods()
            .next()
            .map(|p0| self.p().settings.calendar.label(p0))
            .unwrap_or_default();
        context! {
            i => context! {
                id => i.id,
                title => i.title, summary => i.summary, kind => row.kind, stage_name => row.stage_name, stage_class => row.stage_class,
                health => health_label(i.health), owner => i.owner, sponsor => i.sponsor,
                value_stream_name => row.value_stream_name, value_stream_href => row.value_stream_href,
                objectives => objectives, start => i.start.to_string(), end => i.end.to_string(), tags => i.tags,
                npv => f.npv, irr_short => f.irr_short, irr_long => f.irr_long, irr_note => f.irr_note,
                roi_text => f.roi_text, bcr_text => f.bcr_text, payback_text => f.payback_text,
                discounted_payback_text => f.discounted_payback_text, realised_text => f.realised_text,
                remaining_text => f.remaining_text, remaining_note => f.remaining_note,
                alignment => f.alignment,
            },
            narrative => narrative,
            case => context! {
                rows => f.rows, total_cost => f.total_cost, total_benefit => f.total_benefit, total_net => f.total_benefit - f.total_cost,
                pv_cost => f.pv_cost, pv_benefit => f.pv_benefit, mirr_text => f.mirr_text, first_label => first_label,
            },
            realisation => context! {
                rows => i.actuals.is_some(),
                actual_cost => f.actual_cost, planned_cost => f.planned_cost_to_date,
                actual_benefit => f.actual_benefit, planned_benefit => f.planned_benefit_to_date,
                forecast_cost => f.forecast_cost, forecast_benefit => f.forecast_benefit,
            },
            scores => f.scores,
            kpis => kpis,
            risks => risks,
            milestones => f.milestones,
            upstream => upstream,
            downstream => downstream,
            charts => context! {
                cash_flow => charts::cash_flow(self, k, &format!("cf-{}", i.id)),
                realisation => charts::initiative_realisation(self, k),
            },
            simulation => super::uncertainty::simulation_view(self, k),
            evm => super::uncertainty::earned_value_view(self, k),
            plan => super::decisions::plan_view(self, k),
        }
    }

    /// A digest of everything initiative `k`'s page is made of, so an unchanged digest
    /// means unchanged bytes: the site's settings and definitions, the initiative (stage
    /// 3's digest of its inputs; its analysis is a function of them), its narrative, its figures (the
    /// portfolio-wide ones too: scores, ranks, alignment) and row, and the rows it links
    /// to upstream and downstream. `None` when its narrative embeds portfolio charts or
    /// tables, which may show any initiative.
    pub fn initiative_key(&self, k: usize) -> Option<crate::digest::Digest> {
        let p = self.p();
        let i = &p.initiatives[k];
        let narrative = self.content.narratives.get(&i.id);
        if narrative.is_some_and(|d| !d.embeds.is_empty()) {
            return None;
        }
        #[derive(Serialize)]
        struct Key<'a> {
            narrative: Option<&'a str>,
            figures: &'a super::figures::Figures,
            row: &'a Row,
            upstream: Vec<Option<&'a Row>>,
            downstream: Vec<&'a Row>,
        }
        let mut d = crate::digest::Digester::default();
        d.digest(self.site_key());
        // The initiative and the settings, as stage 3 digested them.
        d.digest(self.analysis.input_hashes[k]);
        d.json(&Key {
            narrative: narrative.map(|n| n.markdown.as_str()),
            figures: &self.figures[k],
            row: &self.rows[k],
            upstream: i
                .depends_on
                .iter()
                .map(|d| self.index_of(d).map(|j| &self.rows[j]))
                .collect(),
            downstream: self.analysis.dependents[k]
                .iter()
                .map(|&j| &self.rows[j])
                .collect(),
        });
        Some(d.finish())
    }

    /// A digest of what every page may show of the site: the settings and the
    /// definitions (stages, value streams, objectives, criteria, models), computed once.
    fn site_key(&self) -> crate::digest::Digest {
        *self.site_key.get_or_init(|| {
            let p = self.p();
            crate::digest::Digest::of_json(&(
                &p.settings,
                &p.stages,
                &p.value_streams,
                &p.objectives,
                &p.criteria,
                &p.models,
                self.content.trusted_html,
            ))
        })
    }

    /// The prioritisation page: each model's first [`RANKING_TOP`](super::paging::RANKING_TOP)
    /// ranks (the whole ranking on its own pages) and the budget selection.
    pub fn prioritisation(&self) -> Value {
        let p = self.p();
        let top = super::paging::RANKING_TOP;
        let rankings: Vec<Value> = p
            .models
            .iter()
            .map(|m| {
                let (ranking, total) = self.model_ranking(m, 0..top);
                let more = (total > top).then(|| Route::Ranking(&m.id, 1).path());
                context! { more => more, total => total, ..ranking }
            })
            .collect();
        context! { rankings => rankings, budget => super::budget::budget_view(self) }
    }

    /// Page `n` (from 1) of model `m`'s whole ranking.
    pub fn ranking_page(&self, m: usize, n: usize) -> Value {
        let model = &self.p().models[m];
        let size = super::paging::RANKING_ROWS;
        let total = self.ranked_open(&model.id).len();
        let pager = super::paging::pager(Route::Ranking(&model.id, n), size, total);
        let (ranking, _) = self.model_ranking(model, super::paging::rows(pager.page, size, total));
        context! { r => ranking, pager => pager }
    }

    /// How many open initiatives `model_id` ranks.
    pub fn ranked_open_count(&self, model_id: &str) -> usize {
        self.ranked_open(model_id).len()
    }

    /// The open initiatives ranked by `model_id`, best first, with their scores, and the
    /// titles of the open initiatives it does not score (computed once per model: each
    /// page of a ranking asks).
    fn ranked_open(&self, model_id: &str) -> &[(usize, f64)] {
        self.open_ranking(model_id)
            .map_or(&[], |(r, _)| r.as_slice())
    }

    fn open_ranking(&self, model_id: &str) -> Option<&super::views::OpenRanking> {
        self.open_rankings
            .get_or_init(|| {
                self.p()
                    .models
                    .iter()
                    .map(|m| {
                        let ranked = self
                            .ranking(&m.id)
                            .iter()
                            .copied()
                            .filter(|&(k, _)| self.is_open(k))
                            .collect();
                        let unscored = self
                            .figures
                            .iter()
                            .enumerate()
                            .filter(|(k, f)| {
                                self.is_open(*k)
                                    && f.scores
                                        .iter()
                                        .find(|s| s.model_id == m.id)
                                        .is_none_or(|s| s.value.is_none())
                            })
                            .map(|(k, _)| self.rows[k].title.clone())
                            .collect();
                        (m.id.clone(), (ranked, unscored))
                    })
                    .collect()
            })
            .get(model_id)
    }

    /// Ranks `rows` (from 0) of model `m`'s ranking of open initiatives, with the model's
    /// formula and terms, and how many it ranks.
    fn model_ranking(
        &self,
        m: &vmo_core::PriorityModel,
        rows: std::ops::Range<usize>,
    ) -> (Value, usize) {
        let ranked = self.ranked_open(&m.id);
        let total = ranked.len();
        let first_scores = self
            .ranking(&m.id)
            .first()
            .and_then(|&(k, _)| self.figures[k].scores.iter().find(|s| s.model_id == m.id));
        let term_heads: Vec<String> = first_scores
            .map(|s| s.terms.iter().map(|t| t.label.clone()).collect())
            .unwrap_or_default();
        let formula = first_scores.map(|s| s.formula.clone()).unwrap_or_default();
        let rows: Vec<Value> = ranked
            .iter()
            .enumerate()
            .skip(rows.start)
            .take(rows.end.saturating_sub(rows.start))
            .map(|(n, &(k, score))| {
                let s = self.figures[k].scores.iter().find(|s| s.model_id == m.id);
                let terms: Vec<f64> = s.map(|s| s.terms.iter().map(|t| t.input).collect()).unwrap_or_default();
                let r = &self.rows[k];
                context! { rank => n + 1, title => r.title, href => r.href, stage_name => r.stage_name, stage_class => r.stage_class, terms => terms, score => score, cost => r.total_cost }
            })
            .collect();
        let unscored: &[String] = self.open_ranking(&m.id).map_or(&[], |(_, u)| u.as_slice());
        let ranking = context! { id => m.id, name => m.name, description => m.description, formula => formula, term_heads => term_heads, rows => rows, unscored => unscored };
        (ranking, total)
    }

    /// Page `n` (from 1) of the roadmap: its initiatives in the roadmap's order (value
    /// stream, then start) and their milestones.
    pub fn roadmap(&self, n: usize) -> Value {
        let p = self.p();
        let order = self.roadmap_order();
        let size = super::paging::ROADMAP_ROWS;
        let pager = super::paging::pager(Route::Roadmap(n), size, order.len());
        let ks = &order[super::paging::rows(pager.page, size, order.len())];
        let mut milestones: Vec<Value> = Vec::new();
        let mut all: Vec<(vmo_core::Date, &str, usize, usize)> = Vec::new();
        for &k in ks {
            let f = &self.figures[k];
            for (n, ms) in f.milestones.iter().enumerate() {
                all.push((p.initiatives[k].milestones[n].due, ms.name.as_str(), k, n));
            }
        }
        all.sort();
        for (_, _, k, n) in all {
            let ms = &self.figures[k].milestones[n];
            milestones.push(context! { initiative => self.rows[k].title, href => self.rows[k].href, ..Value::from_serialize(ms) });
        }
        context! { chart => charts::roadmap(self, ks), milestones => milestones, pager => pager }
    }

    /// Page `n` (from 1) of the dependencies: a page of the initiatives that need or are
    /// needed by another (portfolio order), their map with their direct neighbours,
    /// their dependencies at risk and their rows of the full list.
    pub fn dependencies(&self, n: usize) -> Value {
        let p = self.p();
        let count = p.initiatives.len();
        let (linked, edge_count, at_risk_of) = self.dependency_index();
        let cal = &p.settings.calendar;
        let size = super::paging::DEPENDENCY_ROWS;
        let pager = super::paging::pager(Route::Dependencies(n), size, linked.len());
        let ks = &linked[super::paging::rows(pager.page, size, linked.len())];
        let all_risks = &self.analysis.dependencies_at_risk;
        // The page's initiatives' dependencies at risk, in the order of the whole list
        // (by dependent, then dependency).
        let mut shown: Vec<usize> = if pager.pages == 1 {
            (0..all_risks.len()).collect()
        } else {
            ks.iter()
                .flat_map(|&k| at_risk_of[k].iter().copied())
                .collect()
        };
        shown.sort_unstable();
        let at_risk: Vec<Value> = shown
            .iter()
            .map(|&r| &all_risks[r])
            .map(|r| {
                let (i, dep) = (&p.initiatives[r.dependent], &p.initiatives[r.dependency]);
                let why: Vec<String> = r.reasons.iter().map(|reason| dependency_reason(reason, dep, cal)).collect();
                context! { from => i.title, from_href => Route::Initiative(&i.id).path(), to => dep.title, to_href => Route::Initiative(&dep.id).path(), why => why.join("; ") }
            })
            .collect();
        let nodes: Vec<Value> = ks
            .iter()
            .map(|&k| {
                let i = &p.initiatives[k];
                let upstream: Vec<Link> = i.depends_on.iter().filter_map(|d| self.link(d)).collect();
                let downstream = self.downstream(k);
                context! { title => i.title, href => Route::Initiative(&i.id).path(), upstream => upstream, downstream => downstream }
            })
            .collect();
        // One page maps the whole portfolio, as the map always did.
        let everyone: Vec<usize> = if pager.pages == 1 {
            (0..count).collect()
        } else {
            Vec::new()
        };
        let map_page = if pager.pages == 1 { &everyone[..] } else { ks };
        context! {
            chart => charts::dependency_map(self, map_page), at_risk => at_risk, at_risk_total => all_risks.len(),
            nodes => nodes, node_count => linked.len(), edge_count => edge_count, pager => pager,
        }
    }

    /// The linked initiatives, the number of dependencies, and for each initiative the
    /// dependencies at risk it is the dependent of (indexes into stage 3's list),
    /// computed once: each page of the dependencies asks.
    fn dependency_index(&self) -> &super::views::DependencyIndex {
        self.dependency_index.get_or_init(|| {
            let p = self.p();
            let mut of = vec![Vec::new(); p.initiatives.len()];
            for (r, risk) in self.analysis.dependencies_at_risk.iter().enumerate() {
                of[risk.dependent].push(r);
            }
            (
                self.linked_initiatives(),
                p.initiatives.iter().map(|i| i.depends_on.len()).sum(),
                of,
            )
        })
    }

    /// The initiatives that depend on another or that another depends on, in portfolio
    /// order.
    pub fn linked_initiatives(&self) -> Vec<usize> {
        let p = self.p();
        (0..p.initiatives.len())
            .filter(|&k| {
                !p.initiatives[k].depends_on.is_empty() || !self.analysis.dependents[k].is_empty()
            })
            .collect()
    }

    /// Page `n` (from 1) of the risk register; the heat map and the summary are on the
    /// first page.
    pub fn risks(&self, n: usize) -> Value {
        let risks = self.all_risks();
        let pager = super::paging::pager(Route::Risks(n), super::paging::RISK_ROWS, risks.len());
        let shown = &risks[super::paging::rows(pager.page, super::paging::RISK_ROWS, risks.len())];
        let page = context! { pager => pager.clone(), risks => shown };
        if pager.page > 1 {
            // The summary and the heat map are the first page's.
            return page;
        }
        let open: Vec<&RiskRow> = risks.iter().filter(|r| r.status != "closed").collect();
        let initiatives: std::collections::BTreeSet<&str> =
            open.iter().map(|r| r.href.as_str()).collect();
        context! {
            chart => charts::risk_heatmap(self),
            open_count => open.len(),
            high_count => open.iter().filter(|r| r.rating.zone == vmo_core::risk::Zone::High).count(),
            initiative_count => initiatives.len(),
            bands => vmo_core::risk::BAND_LABELS,
            medium_from => vmo_core::risk::MEDIUM_FROM,
            high_from => vmo_core::risk::HIGH_FROM,
            ..page
        }
    }

    /// Page `n` (from 1) of benefits realisation: the totals and the chart on the first
    /// page, the initiatives with benefits to date, least realised first, in pages.
    pub fn benefits(&self, n: usize) -> Value {
        let order = self.benefit_order();
        let size = super::paging::BENEFIT_ROWS;
        let pager = super::paging::pager(Route::Benefits(n), size, order.len());
        let mut rows: Vec<Value> = Vec::new();
        for &k in &order[super::paging::rows(pager.page, size, order.len())] {
            let f = &self.figures[k];
            let r = &self.rows[k];
            rows.push(context! {
                title => r.title, href => r.href, stage_name => r.stage_name, stage_class => r.stage_class,
                planned_benefit => f.planned_benefit_to_date, actual_benefit => f.actual_benefit,
                realised => f.realised, realised_bar => f.realised.map(|x| x.clamp(0.0, 1.0)), realised_text => f.realised_text,
                actual_cost => f.actual_cost, planned_cost => f.planned_cost_to_date,
            });
        }
        if pager.page > 1 {
            // The totals and the chart are the first page's.
            return context! { rows => rows, pager => pager };
        }
        context! {
            totals => self.totals(),
            chart => charts::benefits_realisation(self),
            rows => rows,
            pager => pager,
        }
    }

    /// The initiatives with benefits planned or realised to date, least realised first
    /// (computed once).
    pub fn benefit_order(&self) -> &[usize] {
        self.benefit_order.get_or_init(|| self.benefit_rows())
    }

    fn benefit_rows(&self) -> Vec<usize> {
        let mut ks: Vec<usize> = (0..self.figures.len())
            .filter(|&k| {
                self.figures[k].planned_benefit_to_date > 0.0
                    || self.figures[k].actual_benefit > 0.0
            })
            .collect();
        ks.sort_by(|&a, &b| {
            self.figures[a]
                .realised
                .unwrap_or(f64::INFINITY)
                .total_cmp(&self.figures[b].realised.unwrap_or(f64::INFINITY))
                .then(a.cmp(&b))
        });
        ks
    }
}

/// Why a dependency is at risk, in words (see [`vmo_core::dependencies`] for the rule).
fn dependency_reason(
    reason: &vmo_core::dependencies::Reason,
    dep: &vmo_core::model::Initiative,
    cal: &vmo_core::Calendar,
) -> String {
    use vmo_core::dependencies::Reason;
    match reason {
        Reason::Red => format!("{} is red", dep.title),
        Reason::Stopped { planned_end } => format!(
            "{} was stopped: it is closed, though planned to run until {}",
            dep.title,
            cal.label(*planned_end)
        ),
        Reason::Retired => format!("{} is retired, and this still needs it", dep.title),
        Reason::NotApproved => format!(
            "{} is not approved yet (still proposed), while this is committed or live",
            dep.title
        ),
        Reason::Late {
            delivers,
            needed_from,
        } => format!(
            "{} delivers from {}, after this needs it from {}",
            dep.title,
            cal.label(*delivers),
            cal.label(*needed_from)
        ),
    }
}
