//! The incremental rebuild's benchmark: builds a site with a [`Session`], then edits one
//! initiative (a line added to its narrative, then a benefit changed) and times each
//! rebuild to updated output. The site is left as it was.
//!
//! `cargo run --release -p vmo-generator --example rebuild -- SITE OUT [RUNS]`

use std::path::PathBuf;
use std::time::Instant;
use vmo_generator::BuildOptions;
use vmo_generator::session::Session;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// An edit of the initiative's text, the `k`th time.
type Edit = fn(&str, usize) -> String;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(site), Some(out)) = (args.first(), args.get(1)) else {
        return Err("usage: rebuild SITE OUT [RUNS]".into());
    };
    let runs: usize = args.get(2).map_or(Ok(3), |r| r.parse())?;
    let site = PathBuf::from(site);
    let mut session = Session::open(&BuildOptions {
        site_dir: site.clone(),
        out_dir: Some(PathBuf::from(out)),
        base_url: None,
    })?;
    let t = Instant::now();
    let first = session.build().result?;
    println!(
        "full build: {:.0} ms, {} files",
        t.elapsed().as_secs_f64() * 1e3,
        first.site_files
    );
    let dir = site.join("content/initiatives");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let file = names[names.len() / 2].clone();
    let original = std::fs::read_to_string(&file)?;
    let edits: [(&str, Edit); 2] = [
        ("narrative line", |t, k| format!("{t}\nEdited {k}.\n")),
        ("benefit", |t, k| {
            t.replacen(
                "benefit = [",
                &format!("benefit = [{}, ", 1000 * (k + 1)),
                1,
            )
            .replacen("cost = [", "cost = [0, ", 1)
        }),
    ];
    let mut result = Ok(());
    for (what, edit) in edits {
        for k in 0..runs {
            std::fs::write(&file, edit(&original, k))?;
            let t = Instant::now();
            let outcome = session.rebuild(std::slice::from_ref(&file));
            let ms = t.elapsed().as_secs_f64() * 1e3;
            match outcome.result {
                Ok(u) => println!(
                    "rebuild after a {what} edit: {ms:.0} ms (simulated {}, rendered {} pages, wrote {} files)",
                    u.analysed,
                    u.pages_rendered,
                    u.files.written.len()
                ),
                Err(e) => {
                    result = Err(format!("{what}: {e}").into());
                    break;
                }
            }
        }
    }
    std::fs::write(&file, original)?;
    result
}
