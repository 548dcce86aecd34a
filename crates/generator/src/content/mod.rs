//! Stage 2, content: [`SiteSources`](crate::source::SiteSources) in, a checked
//! [`Content`] out (or every diagnostic found).

pub mod base_url;
pub mod embed;
pub mod flow;
pub mod parse;
pub mod raw;
pub mod resolve;

use crate::diagnostics::{Diagnostics, SourceText};
use crate::source::SiteSources;
use embed::EmbedAt;
use raw::{RawInitiative, RawPortfolio, RawReport};
use rayon::prelude::*;
use resolve::{Checker, slugify, valid_id};
use std::collections::BTreeMap;
use vmo_core::{Date, Portfolio};

/// A Markdown body and the embeds found in it.
#[derive(Clone, Debug)]
pub struct Document {
    /// Path of the file it came from.
    pub file: String,
    pub markdown: String,
    pub embeds: Vec<EmbedAt>,
}

/// A free Markdown report.
#[derive(Clone, Debug)]
pub struct Report {
    pub slug: String,
    pub title: String,
    pub date: Option<Date>,
    pub author: String,
    pub summary: String,
    pub body: Document,
}

/// The checked content of a site.
#[derive(Clone, Debug)]
pub struct Content {
    pub portfolio: Portfolio,
    /// Initiative id -> its narrative.
    pub narratives: BTreeMap<String, Document>,
    /// Sorted by date (newest first), then slug.
    pub reports: Vec<Report>,
    /// Every page an `@/` link may name (`initiatives/x`, `roadmap`, ...), sorted.
    pub link_targets: Vec<String>,
    /// Raw HTML in Markdown is kept as written (`trusted_html = true`).
    pub trusted_html: bool,
    /// Work items per value stream id (`content/flow/`).
    pub flow: BTreeMap<String, Vec<vmo_core::flow::WorkItem>>,
}

const PORTFOLIO: &str = "content/portfolio.toml";

/// A parsed initiative file: its id, file, front matter's offset, fields and parts.
type Parsed<'a> = (
    String,
    &'a SourceText,
    usize,
    RawInitiative,
    parse::Split<'a>,
);

/// Parses and checks every content file; all problems go to `diags`.
pub fn load(sources: &SiteSources, diags: &mut Diagnostics) -> Option<Content> {
    let Some(pfile) = sources.content.iter().find(|f| f.path == PORTFOLIO) else {
        if sources.refused.contains(PORTFOLIO) {
            // Reported when it was read: it exists, but could not be read.
            return None;
        }
        diags.error_in(
            PORTFOLIO,
            "the portfolio settings file is missing",
            Some("create content/portfolio.toml: see docs/content-format.md".into()),
        );
        return None;
    };
    let raw: Option<RawPortfolio> = parse::parse_toml(pfile, &pfile.text, 0, diags);
    let trusted_html = raw.as_ref().is_some_and(|r| r.trusted_html);
    let mut portfolio = raw.and_then(|raw| {
        let mut c = Checker {
            file: pfile,
            offset: 0,
            diags,
        };
        resolve::resolve_portfolio(raw, &mut c)
    });

    // Parse every initiative even when the settings failed, to report their errors too.
    let mut parsed: Vec<Parsed<'_>> = Vec::new();
    // Every initiative file with a valid name, parsed or not: a file with a syntax error
    // still exists, so references to it are not reported as unknown as well.
    // Files refused when they were read (a link, a pipe, too large) exist too.
    let mut existing: Vec<String> = sources
        .refused
        .iter()
        .filter_map(|p| p.strip_prefix("content/initiatives/")?.strip_suffix(".md"))
        .filter(|id| valid_id(id))
        .map(str::to_string)
        .collect();
    // Parsed in parallel (most of this stage's time), each file's diagnostics kept
    // apart and added in the files' order.
    let files: Vec<&SourceText> = sources
        .content
        .iter()
        .filter(|f| f.path.starts_with("content/initiatives/"))
        .collect();
    let each: Vec<(Diagnostics, Option<String>, Option<Parsed<'_>>)> = files
        .par_iter()
        .map(|&f| {
            let mut d = Diagnostics::new();
            let Some(id) = file_id(f, &mut d) else {
                return (d, None, None);
            };
            let parsed = parse::split_front_matter(f, &mut d).and_then(|split| {
                parse::parse_toml::<RawInitiative>(f, split.front, split.front_offset, &mut d)
                    .map(|raw| (id.clone(), f, split.front_offset, raw, split))
            });
            (d, Some(id), parsed)
        })
        .collect();
    for (d, id, one) in each {
        diags.extend(d);
        existing.extend(id);
        parsed.extend(one);
    }
    if parsed.is_empty() && !diags.has_errors() {
        diags.error_in(
            "content/initiatives/",
            "there are no initiatives",
            Some("add one Markdown file per initiative under content/initiatives/".into()),
        );
    }
    let p = portfolio.as_mut()?;

    let all_ids: Vec<&str> = existing.iter().map(String::as_str).collect();
    // Looked up once per dependency: sorted, so a portfolio of thousands is not a scan each.
    let mut sorted_ids = all_ids.clone();
    sorted_ids.sort_unstable();
    let mut narratives = BTreeMap::new();
    let mut initiatives = Vec::new();
    for (id, f, offset, raw, _) in &parsed {
        let mut c = Checker {
            file: f,
            offset: *offset,
            diags,
        };
        if let Some(i) = resolve::resolve_initiative(id, raw, p, &all_ids, &sorted_ids, &mut c) {
            initiatives.push(i);
        }
    }
    // Dependencies on files that did not parse are dropped here; their errors fail the run.
    let resolved: std::collections::BTreeSet<String> =
        initiatives.iter().map(|i| i.id.clone()).collect();
    for i in &mut initiatives {
        i.depends_on.retain(|d| resolved.contains(d));
    }
    initiatives.sort_by(|a, b| a.id.cmp(&b.id));
    p.initiatives = initiatives;

    let files: BTreeMap<&str, (&SourceText, usize, &RawInitiative)> = parsed
        .iter()
        .map(|(id, f, off, raw, _)| (id.as_str(), (*f, *off, raw)))
        .collect();
    resolve::check_cycles(&p.initiatives, &mut |from, to, cycle| {
        if let Some((f, off, raw)) = files.get(from)
            && let Some(d) = raw.depends_on.iter().find(|d| d.get_ref() == to)
        {
            let span = d.span().start + off..d.span().end + off;
            diags.error(f, span, format!("dependency cycle: {cycle}"), Some("an initiative cannot (indirectly) depend on itself: remove one of these dependencies".into()));
        }
    });

    let mut link_targets: Vec<String> = embed::SECTIONS.iter().map(|s| s.to_string()).collect();
    link_targets.extend(
        p.initiatives
            .iter()
            .map(|i| format!("initiatives/{}", i.id)),
    );
    link_targets.extend(
        p.value_streams
            .iter()
            .map(|v| format!("value-streams/{}", v.id)),
    );
    link_targets.extend(p.objectives.iter().map(|o| format!("objectives/{}", o.id)));
    link_targets.extend(
        sources
            .content
            .iter()
            .filter_map(|f| f.path.strip_prefix("content/reports/")?.strip_suffix(".md"))
            .map(|slug| format!("reports/{slug}")),
    );
    // Looked up for every `@/` link (`embed::link_target`).
    link_targets.sort_unstable();
    link_targets.dedup();

    // Narratives and their embeds (checked against the resolved portfolio).
    for (id, f, _, _, split) in &parsed {
        let mut c = Checker {
            file: f,
            offset: split.body_offset,
            diags,
        };
        let embeds = embed::find_embeds(split.body, split.body_offset, p, &link_targets, &mut c);
        narratives.insert(
            id.clone(),
            Document {
                file: f.path.clone(),
                markdown: split.body.to_string(),
                embeds,
            },
        );
    }

    let mut reports = Vec::new();
    for f in sources
        .content
        .iter()
        .filter(|f| f.path.starts_with("content/reports/"))
    {
        let Some(slug) = file_id(f, diags) else {
            continue;
        };
        let Some(split) = parse::split_front_matter(f, diags) else {
            continue;
        };
        let Some(raw) = parse::parse_toml::<RawReport>(f, split.front, split.front_offset, diags)
        else {
            continue;
        };
        let mut c = Checker {
            file: f,
            offset: split.front_offset,
            diags,
        };
        let date = raw.date.as_ref().and_then(|d| c.date(d));
        c.offset = split.body_offset;
        let embeds = embed::find_embeds(split.body, split.body_offset, p, &link_targets, &mut c);
        reports.push(Report {
            slug,
            title: raw.title.into_inner(),
            date,
            author: raw.author,
            summary: raw.summary,
            body: Document {
                file: f.path.clone(),
                markdown: split.body.to_string(),
                embeds,
            },
        });
    }
    reports.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));

    let flow = flow::load_flow(&sources.content, p, diags);

    if diags.has_errors() {
        return None;
    }
    Some(Content {
        portfolio: portfolio?,
        narratives,
        reports,
        link_targets,
        trusted_html,
        flow,
    })
}

/// The id of a Markdown file: its stem, which must be a valid id.
fn file_id(f: &SourceText, diags: &mut Diagnostics) -> Option<String> {
    let name = f.path.rsplit('/').next().unwrap_or(&f.path);
    let Some(stem) = name.strip_suffix(".md") else {
        diags.error_in(
            &f.path,
            "only Markdown files (.md) belong here",
            Some("rename it to end in .md, or move it elsewhere".into()),
        );
        return None;
    };
    if !valid_id(stem) {
        diags.error_in(
            &f.path,
            format!("`{stem}` is not a valid file name for content: it becomes a URL and an id"),
            Some(format!("rename it to `{}.md`", slugify(stem))),
        );
        return None;
    }
    Some(stem.to_string())
}
