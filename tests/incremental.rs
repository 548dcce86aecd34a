//! Incremental rebuilds ([`vmo_generator::session::Session`]): after each kind of edit,
//! the output folder a session patched is byte for byte the site a full build of the
//! same files makes, and the session re-read, simulated and rendered only what the
//! edit touches.
#![allow(clippy::unwrap_used, reason = "a test panics with the failure")]

mod common;

#[allow(dead_code, reason = "the example's main is not called here")]
#[path = "../crates/generator/examples/synthetic.rs"]
mod synthetic;

use common::{build, copy_dir, files_under, replace_once, repo_root};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vmo_generator::BuildOptions;
use vmo_generator::session::{Session, Update};

/// Every file under `dir` but the build marker, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = files_under(dir);
    out.remove(".vmo-site");
    out
}

/// Asserts that the output folder holds exactly what a full build of `site` makes.
fn assert_same_as_full_build(site: &Path, out: &Path, what: &str) {
    let full = build(site);
    let expected: BTreeMap<String, Vec<u8>> =
        full.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let got = files(out);
    let missing: Vec<&String> = expected.keys().filter(|p| !got.contains_key(*p)).collect();
    let extra: Vec<&String> = got.keys().filter(|p| !expected.contains_key(*p)).collect();
    let differ: Vec<&String> = expected
        .iter()
        .filter(|(p, b)| got.get(*p).is_some_and(|g| g != *b))
        .map(|(p, _)| p)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "{what}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

struct Site {
    _dir: tempfile::TempDir,
    site: PathBuf,
    out: PathBuf,
    session: Session,
}

impl Site {
    fn new(fill: impl FnOnce(&Path)) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fill(&site);
        let out = dir.path().join("out");
        let mut session = Session::open(&BuildOptions {
            site_dir: site.clone(),
            out_dir: Some(out.clone()),
            base_url: None,
        })
        .unwrap();
        let first = session.build().result.unwrap();
        assert_eq!(first.files.written.len(), first.site_files);
        Site {
            _dir: dir,
            site,
            out,
            session,
        }
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.site.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, replace_once(&text, from, to)).unwrap();
    }

    /// Rebuilds after `changed`, checks the output against a full build, and returns
    /// what the rebuild did.
    fn rebuild(&mut self, changed: &[&str], what: &str) -> Update {
        let paths: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let outcome = self.session.rebuild(&paths);
        let update = outcome
            .result
            .unwrap_or_else(|e| panic!("{what}: {e}: {:?}", outcome.diagnostics.into_sorted()));
        assert_same_as_full_build(&self.site, &self.out, what);
        update
    }
}

fn sample() -> Site {
    Site::new(|site| {
        copy_dir(&repo_root().join("content"), &site.join("content"));
        copy_dir(&repo_root().join("themes"), &site.join("themes"));
    })
}

const COMMS: &str = "content/initiatives/agent-commission-system.md";

#[test]
fn each_kind_of_edit_patches_the_output_to_what_a_full_build_writes() {
    let mut s = sample();
    let pages = s.session.sources().content.len();

    // Nothing changed: nothing simulated, rendered or written.
    let u = s.rebuild(&[COMMS], "no change");
    assert_eq!((u.analysed, u.files.written.len()), (0, 0), "{u:?}");
    assert!(!u.whole_read);

    // A summary: the initiative's page and the files that show it; only it is
    // analysed again (its inputs' digest covers the whole file).
    s.edit(
        COMMS,
        "summary = \"Retired:",
        "summary = \"Retired (edited):",
    );
    let u = s.rebuild(&[COMMS], "summary");
    assert_eq!(u.analysed, 1, "{u:?}");
    assert!(
        u.files
            .written
            .contains(&"initiatives/agent-commission-system/index.html".to_string())
    );
    assert!(u.pages_rendered < u.site_files / 2, "{u:?}");

    // A benefit: its simulation, ranks, totals, downloads.
    s.edit(COMMS, "benefit = [700_000,", "benefit = [900_000,");
    let u = s.rebuild(&[COMMS], "benefit");
    assert_eq!(u.analysed, 1, "{u:?}");
    assert!(u.files.written.contains(&"data/portfolio.json".to_string()));

    // A risk's probability, and a new dependency (both sides' pages show it).
    s.edit(
        "content/initiatives/claims-document-ai.md",
        "probability = 0.65",
        "probability = 0.85",
    );
    s.edit(
        COMMS,
        "depends_on = [\"integration-platform\"]",
        "depends_on = [\"integration-platform\", \"data-lakehouse\"]",
    );
    let u = s.rebuild(
        &["content/initiatives/claims-document-ai.md", COMMS],
        "risk and dependency",
    );
    assert!(
        u.files
            .written
            .contains(&"initiatives/data-lakehouse/index.html".to_string())
    );

    // A new initiative, then its removal: its folder goes with it.
    let new = "content/initiatives/zz-added-initiative.md";
    let text = std::fs::read_to_string(s.site.join(COMMS)).unwrap();
    std::fs::write(
        s.site.join(new),
        replace_once(&text, "title = \"", "title = \"Added: "),
    )
    .unwrap();
    let u = s.rebuild(&[new], "added initiative");
    assert_eq!(u.analysed, 1, "{u:?}");
    assert_eq!(s.session.sources().content.len(), pages + 1);
    std::fs::remove_file(s.site.join(new)).unwrap();
    let u = s.rebuild(&[new], "removed initiative");
    assert!(
        u.files
            .removed
            .contains(&"initiatives/zz-added-initiative/index.html".to_string())
    );
    assert!(!s.out.join("initiatives/zz-added-initiative").exists());

    // A narrative and a report.
    s.edit(COMMS, "+++\n\n", "+++\n\nAn added first paragraph.\n\n");
    s.rebuild(&[COMMS], "narrative");
    let report = "content/reports/how-we-prioritise.md";
    let text = std::fs::read_to_string(s.site.join(report)).unwrap();
    std::fs::write(
        s.site.join(report),
        format!("{text}\nAn added closing line.\n"),
    )
    .unwrap();
    s.rebuild(&[report], "report");

    // A setting changes every figure: every initiative is simulated again.
    s.edit(
        "content/portfolio.toml",
        "discount_rate = 0.08",
        "discount_rate = 0.09",
    );
    let u = s.rebuild(&["content/portfolio.toml"], "discount rate");
    let initiatives = s
        .session
        .sources()
        .content
        .iter()
        .filter(|f| f.path.starts_with("content/initiatives/"))
        .count();
    assert_eq!(u.analysed, initiatives, "{u:?}");

    // A template and a stylesheet of the theme.
    let t = "themes/default/templates/404.html";
    s.edit(t, "does not exist", "does not exist (edited)");
    let u = s.rebuild(&[t], "template");
    assert_eq!(u.files.written, vec!["404.html".to_string()], "{u:?}");
    let css = "themes/default/static/style.css";
    let text = std::fs::read_to_string(s.site.join(css)).unwrap();
    std::fs::write(s.site.join(css), format!("{text}\n/* edited */\n")).unwrap();
    let u = s.rebuild(&[css], "stylesheet");
    assert_eq!(
        u.files.written,
        vec!["assets/style.css".to_string()],
        "{u:?}"
    );

    // A path that is not one input file reads the whole site, with the same result.
    let u = s.rebuild(&["content"], "a folder");
    assert!(u.whole_read);
    assert!(u.files.written.is_empty(), "{u:?}");
}

#[test]
fn a_failed_rebuild_leaves_the_output_as_it_was_and_the_next_one_recovers() {
    let mut s = sample();
    let before = files(&s.out);
    s.edit(COMMS, "health = \"green\"", "health = \"greenish\"");
    let outcome = s.session.rebuild(&[PathBuf::from(COMMS)]);
    assert!(outcome.result.is_err());
    let d = outcome.diagnostics.into_sorted();
    assert!(d.iter().any(|d| d.file == COMMS), "{d:?}");
    assert_eq!(files(&s.out), before);
    s.edit(COMMS, "health = \"greenish\"", "health = \"amber\"");
    s.rebuild(&[COMMS], "fixed");
}

#[test]
fn a_portfolio_of_several_pages_per_list_is_patched_exactly() {
    let mut s = Site::new(|site| synthetic::write(260, site).unwrap());
    let ids: Vec<String> = s
        .session
        .sources()
        .content
        .iter()
        .filter_map(|f| {
            f.path
                .strip_prefix("content/initiatives/")?
                .strip_suffix(".md")
        })
        .map(str::to_string)
        .collect();
    // An initiative in the middle of the lists moves to the first page of those by title.
    let id = &ids[ids.len() / 2];
    let rel = format!("content/initiatives/{id}.md");
    let text = std::fs::read_to_string(s.site.join(&rel)).unwrap();
    let edited = replace_once(&text, "title = \"", "title = \"AAA ");
    std::fs::write(s.site.join(&rel), edited).unwrap();
    let u = s.rebuild(&[rel.as_str()], "moved initiative");
    assert_eq!(u.analysed, 1, "{u:?}");
    assert!(u.pages_rendered < u.site_files / 4, "{u:?}");
}

#[test]
fn an_error_of_the_sources_is_reported_until_it_is_mended() {
    let mut s = sample();
    let stray = "content/initiatives/notes.txt";
    std::fs::write(s.site.join(stray), "notes").unwrap();
    assert!(s.session.rebuild(&[PathBuf::from(stray)]).result.is_err());
    // Another file edited: the stray file is still there, and still an error.
    s.edit(
        COMMS,
        "summary = \"Retired:",
        "summary = \"Retired (edited):",
    );
    let outcome = s.session.rebuild(&[PathBuf::from(COMMS)]);
    assert!(outcome.result.is_err());
    assert!(
        outcome
            .diagnostics
            .into_sorted()
            .iter()
            .any(|d| d.file == stray),
        "the stray file is reported again"
    );
    std::fs::remove_file(s.site.join(stray)).unwrap();
    s.rebuild(&[stray], "stray removed");
}

#[test]
fn static_files_and_folders_come_and_go() {
    let mut s = sample();
    let statics = s.site.join("themes/default/static");
    // A file, then a folder of the same name in its place, then no folder at all.
    std::fs::write(statics.join("extra"), "a file").unwrap();
    s.rebuild(&["themes/default/static/extra"], "a static file");
    assert!(s.out.join("assets/extra").is_file());
    std::fs::remove_file(statics.join("extra")).unwrap();
    std::fs::create_dir(statics.join("extra")).unwrap();
    std::fs::write(statics.join("extra/inner.txt"), "inside").unwrap();
    s.rebuild(
        &[
            "themes/default/static/extra",
            "themes/default/static/extra/inner.txt",
        ],
        "a folder in its place",
    );
    assert!(s.out.join("assets/extra/inner.txt").is_file());
    std::fs::remove_dir_all(statics.join("extra")).unwrap();
    s.rebuild(&["themes/default/static/extra"], "the folder removed");
    assert!(!s.out.join("assets/extra").exists());
}
