//! ```` ```vmo ```` blocks: charts and tables of portfolio data embedded in Markdown.

use super::raw::RawEmbed;
use super::resolve::Checker;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::ops::Range;
use vmo_core::Portfolio;

/// Charts a `vmo` block can embed.
pub const CHARTS: &[&str] = &[
    "investment-by-value-stream",
    "investment-by-objective",
    "investment-by-stage",
    "value-vs-effort",
    "benefits-realisation",
    "risk-heatmap",
    "roadmap",
    "cash-flow",
];

/// Tables a `vmo` block can embed.
pub const TABLES: &[&str] = &[
    "ranking",
    "top-risks",
    "benefits",
    "value-streams",
    "initiatives",
];

/// What a block asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Embed {
    Chart {
        name: String,
        initiative: Option<String>,
    },
    Table {
        name: String,
        model: Option<String>,
        limit: Option<usize>,
        stage: Option<String>,
        value_stream: Option<String>,
        objective: Option<String>,
    },
}

/// A block and where it stands in the Markdown body (byte range of the whole fence).
#[derive(Clone, Debug)]
pub struct EmbedAt {
    pub range: Range<usize>,
    pub embed: Embed,
}

/// The pages an `@/` link may name, besides initiatives, value streams, objectives and
/// reports: `@/roadmap`, `@/risks`, ...
pub const SECTIONS: &[&str] = &[
    "index",
    "initiatives",
    "prioritisation",
    "whatif",
    "roadmap",
    "dependencies",
    "risks",
    "benefits",
    "value-streams",
    "objectives",
    "reports",
    "data",
];

/// The site path (`initiatives/x/index.html`) of an `@/` link target, if it is one of
/// `targets` (sorted).
pub fn link_target(dest: &str, targets: &[String]) -> Option<String> {
    let path = dest.strip_prefix("@/")?;
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (path, String::new()),
    };
    let route = crate::route::Route::of_link(path)?;
    let path = path.trim_end_matches('/').trim_end_matches(".md");
    let exists = route == crate::route::Route::Dashboard
        || targets.binary_search_by(|t| t.as_str().cmp(path)).is_ok();
    exists.then(|| format!("{}{fragment}", route.path()))
}

/// Finds and checks every `vmo` block and every `@/` link of `body` (which starts at
/// `body_offset` in the file). `targets` are the valid link paths.
pub fn find_embeds(
    body: &str,
    body_offset: usize,
    p: &Portfolio,
    targets: &[String],
    c: &mut Checker<'_>,
) -> Vec<EmbedAt> {
    let mut out = Vec::new();
    // An open block: where its fence starts, and the ranges of its text.
    let mut open: Option<(usize, Vec<Range<usize>>)> = None;
    for (ev, range) in Parser::new_ext(body, crate::render::markdown::OPTIONS).into_offset_iter() {
        match ev {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if dest_url.starts_with("@/") && link_target(&dest_url, targets).is_none() =>
            {
                let saved = c.offset;
                c.offset = body_offset;
                let wanted = dest_url.trim_start_matches("@/").trim_end_matches('/');
                let names: Vec<&str> = targets.iter().map(String::as_str).collect();
                let hint = match crate::diagnostics::nearest(wanted, names.iter().copied()) {
                    Some(n) => format!("did you mean `@/{n}`?"),
                    None => "link to `@/initiatives/<id>`, `@/reports/<slug>`, `@/value-streams/<id>`, `@/objectives/<id>` or a section such as `@/roadmap`".into(),
                };
                c.error(
                    &range,
                    format!("broken link: `{dest_url}` names no page"),
                    Some(hint),
                );
                c.offset = saved;
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.trim() == "vmo" => {
                open = Some((range.start, Vec::new()));
            }
            Event::Text(_) => {
                if let Some((_, texts)) = &mut open {
                    texts.push(range);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, texts)) = open.take() {
                    let (text_offset, text) = block_text(body, start, &texts);
                    let saved = c.offset;
                    c.offset = body_offset + text_offset;
                    if let Some(embed) = check_embed(&text, p, c) {
                        out.push(EmbedAt {
                            range: start..range.end,
                            embed,
                        });
                    }
                    c.offset = saved;
                }
            }
            _ => {}
        }
    }
    out
}

/// The TOML of a block whose text is at `texts` in `body`, and where it starts: the
/// body's own bytes from its first line to its last, with what the Markdown parser left
/// out (a list item's indentation, a quote's `>`) turned into spaces. So every offset in
/// it is an offset in the file: an error in the block's third line, indented in a list
/// or ended with CRLF, points at that line and column, not where the parser's text
/// (indentation and `\r` removed) would put it.
fn block_text(body: &str, fence_start: usize, texts: &[Range<usize>]) -> (usize, String) {
    let (Some(first), Some(last)) = (texts.first(), texts.last()) else {
        return (fence_start, String::new());
    };
    let (start, end) = (first.start, last.end);
    let mut text = String::with_capacity(end - start);
    let mut pos = start;
    for r in texts {
        blank(&body[pos..r.start], &mut text);
        text.push_str(&body[r.clone()]);
        pos = r.end;
    }
    (start, text)
}

/// Appends `gap` with every character but line ends replaced by as many spaces as it
/// has bytes (TOML reads spaces before a key, and `\r\n` as a line end).
fn blank(gap: &str, out: &mut String) {
    for ch in gap.chars() {
        match ch {
            '\r' | '\n' => out.push(ch),
            _ => (0..ch.len_utf8()).for_each(|_| out.push(' ')),
        }
    }
}

fn check_embed(text: &str, p: &Portfolio, c: &mut Checker<'_>) -> Option<Embed> {
    let raw: RawEmbed = super::parse::parse_toml(c.file, text, c.offset, c.diags)?;
    let ok = |c: &mut Checker<'_>,
              v: &Option<toml::Spanned<String>>,
              all: Vec<&str>,
              what: &str|
     -> Option<String> {
        let v = v.as_ref()?;
        c.reference(v, &all, what).then(|| v.get_ref().clone())
    };
    // The initiatives are sorted by id: looked up, listed only for a hint.
    let initiative = raw.initiative.as_ref().and_then(|v| {
        let found = p
            .initiatives
            .binary_search_by(|i| i.id.as_str().cmp(v.get_ref()))
            .is_ok();
        let all = || p.initiatives.iter().map(|i| i.id.as_str()).collect();
        c.reference_found(v, found, all, "initiative")
            .then(|| v.get_ref().clone())
    });
    let model = ok(
        c,
        &raw.model,
        p.models.iter().map(|i| i.id.as_str()).collect(),
        "model",
    );
    let stage = ok(
        c,
        &raw.stage,
        p.stages.iter().map(|i| i.id.as_str()).collect(),
        "stage",
    );
    let value_stream = ok(
        c,
        &raw.value_stream,
        p.value_streams.iter().map(|i| i.id.as_str()).collect(),
        "value stream",
    );
    let objective = ok(
        c,
        &raw.objective,
        p.objectives.iter().map(|i| i.id.as_str()).collect(),
        "objective",
    );
    let limit = match &raw.limit {
        Some(l) if *l.get_ref() < 1 => {
            c.error(&l.span(), "limit must be at least 1", None);
            return None;
        }
        Some(l) => Some(usize::try_from(*l.get_ref()).unwrap_or(usize::MAX)),
        None => None,
    };
    match (&raw.chart, &raw.table) {
        (Some(ch), None) => {
            if !c.reference(ch, CHARTS, "chart") {
                return None;
            }
            if ch.get_ref() == "cash-flow" && raw.initiative.is_none() {
                c.error(
                    &ch.span(),
                    "the cash-flow chart needs an initiative",
                    Some("add `initiative = \"<id>\"`".into()),
                );
                return None;
            }
            Some(Embed::Chart {
                name: ch.get_ref().clone(),
                initiative,
            })
        }
        (None, Some(t)) => {
            if !c.reference(t, TABLES, "table") {
                return None;
            }
            if t.get_ref() == "ranking" && raw.model.is_none() {
                c.error(
                    &t.span(),
                    "the ranking table needs a model",
                    Some(format!(
                        "add `model = \"{}\"`",
                        p.models.first().map_or("wsjf", |m| m.id.as_str())
                    )),
                );
                return None;
            }
            Some(Embed::Table {
                name: t.get_ref().clone(),
                model,
                limit,
                stage,
                value_stream,
                objective,
            })
        }
        (Some(ch), Some(_)) => {
            c.error(
                &ch.span(),
                "a vmo block embeds either a chart or a table, not both",
                Some("split it into two blocks".into()),
            );
            None
        }
        (None, None) => {
            c.error(
                &(0..0),
                "a vmo block must say `chart = \"...\"` or `table = \"...\"`",
                Some(format!(
                    "charts: {}; tables: {}",
                    CHARTS.join(", "),
                    TABLES.join(", ")
                )),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block's TOML as `find_embeds` checks it, with its offset in `md`.
    fn toml_of(md: &str) -> (usize, String) {
        let mut fence = None;
        let mut texts = Vec::new();
        for (ev, range) in Parser::new_ext(md, crate::render::markdown::OPTIONS).into_offset_iter()
        {
            match ev {
                Event::Start(Tag::CodeBlock(_)) => fence = Some(range.start),
                Event::Text(_) if fence.is_some() => texts.push(range),
                _ => {}
            }
        }
        block_text(md, fence.unwrap_or(0), &texts)
    }

    #[test]
    fn block_text_keeps_file_offsets_in_a_list_item() {
        let md = "- item\n\n  ```vmo\n  chart = \"x\"\n  tabel = 1\n  ```\n";
        let (at, text) = toml_of(md);
        assert_eq!(&md[at..at + text.len()], "chart = \"x\"\n  tabel = 1\n");
        assert_eq!(text, "chart = \"x\"\n  tabel = 1\n");
    }

    #[test]
    fn block_text_keeps_crlf_and_blanks_quote_markers() {
        let md = "```vmo\r\nchart = \"x\"\r\ntabel = 1\r\n```\r\n";
        let (at, text) = toml_of(md);
        assert_eq!((at, text.as_str()), (8, "chart = \"x\"\r\ntabel = 1\r\n"));
        let md = "> ```vmo\n> a = 1\n> b = 2\n> ```\n";
        let (at, text) = toml_of(md);
        assert_eq!((at, text.as_str()), (11, "a = 1\n  b = 2\n"));
    }
}
