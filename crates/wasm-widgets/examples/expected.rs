//! Writes what the browser tests must see, computed natively by the same functions the
//! wasm bundle runs: `cargo run -p vmo-wasm-widgets --example expected -- PORTFOLIO_JSON
//! CASES_JSON OUT_DIR`. Writes OUT_DIR/expected.json and OUT_DIR/bench-portfolio.json (the
//! sample portfolio grown to 1,000 initiatives, for the in-browser benchmark).

use serde_json::{Value, json};
use std::error::Error;
use vmo_widgets::Session;
use vmo_widgets::explore::{ExploreQuery, explore};
use vmo_widgets::prioritise::{evaluate, from_hash};
use vmo_widgets::whatif::{WhatIfForm, baseline, scenario};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [portfolio_path, cases_path, out_dir] = args.as_slice() else {
        return Err("usage: expected PORTFOLIO_JSON CASES_JSON OUT_DIR".into());
    };
    let text = std::fs::read_to_string(portfolio_path)?;
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(cases_path)?)?;
    let s = Session::from_json(&text)?;

    // What-if: the baseline, then each step applied on top of the previous form.
    let w = &cases["whatif"];
    let id = w["initiative"].as_str().ok_or("whatif.initiative")?;
    let base = baseline(&s, id)?;
    let mut form = serde_json::to_value(&base.form)?;
    let mut steps = Vec::new();
    for step in w["steps"].as_array().ok_or("whatif.steps")? {
        for (k, v) in step.as_object().ok_or("step")? {
            form[k] = v.clone();
        }
        let f: WhatIfForm = serde_json::from_value(form.clone())?;
        steps.push(json!({ "form": f, "view": scenario(&s, &f)? }));
    }
    let mut bad = serde_json::to_value(&base.form)?;
    for (k, v) in w["invalid"].as_object().ok_or("invalid")? {
        bad[k] = v.clone();
    }
    let invalid = scenario(&s, &serde_json::from_value(bad)?)?;
    let standalone = baseline(
        &s,
        cases["whatif_standalone"]["initiative"]
            .as_str()
            .ok_or("standalone")?,
    )?;

    let prioritise: Vec<Value> = cases["prioritise"]["hashes"]
        .as_array()
        .ok_or("prioritise.hashes")?
        .iter()
        .map(|h| {
            let form = from_hash(&s, h.as_str().unwrap_or(""));
            evaluate(&s, &form).map(|v| json!({ "hash": h, "view": v }))
        })
        .collect::<Result<_, _>>()?;
    let default = evaluate(&s, &vmo_widgets::prioritise::default_form(&s, ""))?;

    let explore: Vec<Value> = cases["explore"]["queries"]
        .as_array()
        .ok_or("explore.queries")?
        .iter()
        .map(|q| {
            let query: ExploreQuery = serde_json::from_value(q.clone())?;
            Ok(json!({ "query": q, "view": explore(&s, &query) }))
        })
        .collect::<Result<_, serde_json::Error>>()?;

    let expected = json!({
        "whatif": { "baseline": base, "steps": steps, "invalid": invalid, "standalone": standalone, "default_initiative": vmo_widgets::whatif::default_initiative(&s) },
        "prioritise": { "cases": prioritise, "default": default },
        "explore": explore,
    });
    std::fs::create_dir_all(out_dir)?;
    std::fs::write(
        format!("{out_dir}/expected.json"),
        serde_json::to_string_pretty(&expected)?,
    )?;
    std::fs::write(
        format!("{out_dir}/bench-portfolio.json"),
        grow(&text, 1000)?,
    )?;
    Ok(())
}

/// The portfolio with its initiatives copied until there are `n`, ids suffixed, each
/// copy's dependencies pointing at the same copy's initiatives.
fn grow(text: &str, n: usize) -> Result<String, Box<dyn Error>> {
    let mut doc: Value = serde_json::from_str(text)?;
    let originals = doc["initiatives"].as_array().ok_or("initiatives")?.clone();
    let mut all = Vec::with_capacity(n);
    let mut copy = 0;
    while all.len() < n {
        for i in &originals {
            if all.len() == n {
                break;
            }
            let mut i = i.clone();
            let suffix = format!("-c{copy:03}");
            let id = format!("{}{suffix}", i["id"].as_str().unwrap_or("x"));
            i["id"] = json!(id);
            if let Some(deps) = i["depends_on"].as_array_mut() {
                for d in deps.iter_mut() {
                    *d = json!(format!("{}{suffix}", d.as_str().unwrap_or("")));
                }
            }
            // Vary the numbers a little so copies are not identical.
            let f = 1.0 + (copy as f64) * 0.003;
            if let Some(c) = i["plan"]["cost"].as_array_mut() {
                for x in c.iter_mut() {
                    *x = json!(x.as_f64().unwrap_or(0.0) * f);
                }
            }
            all.push(i);
        }
        copy += 1;
    }
    // Dependencies of a truncated last copy may point at missing ids: drop those.
    let ids: std::collections::BTreeSet<String> = all
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect();
    for i in &mut all {
        if let Some(deps) = i["depends_on"].as_array_mut() {
            deps.retain(|d| d.as_str().is_some_and(|d| ids.contains(d)));
        }
    }
    all.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    doc["initiatives"] = Value::Array(all);
    Ok(serde_json::to_string(&doc)?)
}
