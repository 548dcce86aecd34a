//! Flow data: `content/flow/<value-stream-id>.toml`, the work items of a value stream
//! with their dated state changes, for Flow Framework metrics.

use super::raw::RawFlowFile;
use super::resolve::Checker;
use crate::diagnostics::{Diagnostics, SourceText};
use std::collections::{BTreeMap, BTreeSet};
use vmo_core::Portfolio;
use vmo_core::flow::WorkItem;

/// Loads every flow file; the key is the value stream id.
pub fn load_flow(
    sources: &[SourceText],
    p: &Portfolio,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<WorkItem>> {
    let mut out = BTreeMap::new();
    let streams: Vec<&str> = p.value_streams.iter().map(|v| v.id.as_str()).collect();
    for f in sources
        .iter()
        .filter(|f| f.path.starts_with("content/flow/"))
    {
        let name = f.path.trim_start_matches("content/flow/");
        let Some(stream) = name.strip_suffix(".toml") else {
            diags.error_in(
                &f.path,
                "only TOML files (.toml) belong in content/flow/",
                Some("name the file after a value stream: `<value-stream-id>.toml`".into()),
            );
            continue;
        };
        if !streams.contains(&stream) {
            let hint = crate::diagnostics::did_you_mean(stream, &streams, "value stream");
            diags.error_in(
                &f.path,
                format!("`{stream}` is not a value stream: flow files are named after one"),
                Some(hint),
            );
            continue;
        }
        let Some(raw) = super::parse::parse_toml::<RawFlowFile>(f, &f.text, 0, diags) else {
            continue;
        };
        let mut c = Checker {
            file: f,
            offset: 0,
            diags,
        };
        let mut seen = BTreeSet::new();
        let mut items = Vec::new();
        for it in &raw.items {
            if !seen.insert(it.id.get_ref().clone()) {
                c.error(
                    &it.id.span(),
                    format!("duplicate work item id `{}`", it.id.get_ref()),
                    None,
                );
                continue;
            }
            if it.transitions.get_ref().is_empty() {
                c.error(&it.transitions.span(), "a work item needs at least one state change", Some("the first one creates the item: `{ date = 2026-01-05, state = \"active\" }`".into()));
                continue;
            }
            let mut transitions = Vec::new();
            let mut ok = true;
            for t in it.transitions.get_ref() {
                let Some(d) = c.date(&t.get_ref().date) else {
                    ok = false;
                    continue;
                };
                if let Some((prev, _)) = transitions.last()
                    && d < *prev
                {
                    c.error(
                        &t.span(),
                        format!("state changes must be in date order: {d} comes after {prev}"),
                        None,
                    );
                    ok = false;
                }
                transitions.push((d, t.get_ref().state));
            }
            if ok {
                items.push(WorkItem {
                    id: it.id.get_ref().clone(),
                    kind: it.kind,
                    transitions,
                });
            }
        }
        out.insert(stream.to_string(), items);
    }
    out
}
