//! `vmo`: build or check a VMO portfolio site.

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor;
use std::path::PathBuf;
use std::process::ExitCode;
use vmo_generator::build::BuildError;
use vmo_generator::diagnostics::escape_path;
use vmo_generator::{BuildOptions, Diagnostic, Diagnostics, Severity, SiteSources};

#[derive(Parser, Debug)]
#[command(
    name = "vmo",
    version,
    about = "Static site generator for a Value Management Office portfolio"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into SITE_DIR/public (or --out).
    Build {
        /// The site folder, holding content/ and optionally themes/.
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Where to write the site (default: SITE_DIR/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Base URL of the published site (overrides portfolio.toml).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check the content and render in memory; write nothing.
    Check {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// `human` (default: snippets on stderr) or `json` (one document on stdout, for
        /// editors and CI).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "error: {}",
                vmo_generator::diagnostics::escape(&format!("{e:#}"))
            );
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build {
            site_dir,
            out,
            base_url,
        } => {
            let opts = BuildOptions {
                site_dir,
                out_dir: out,
                base_url,
            };
            let report = vmo_generator::build::build(&opts);
            print_diagnostics(&report.diagnostics, &report.sources);
            match report.result {
                Ok(out) => {
                    eprintln!("built {}", escape_path(&out));
                    Ok(ExitCode::SUCCESS)
                }
                Err(BuildError::Usage(message)) => {
                    eprintln!("error: {message}");
                    Ok(ExitCode::from(2))
                }
                Err(BuildError::Content(_)) => Ok(ExitCode::from(1)),
                Err(e @ (BuildError::Locked(_) | BuildError::Io(_))) => {
                    eprintln!("error: {e}\nThe previous site was left as it was.");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Check { site_dir, format } => {
            let checked = vmo_generator::build::validate(&site_dir);
            let (files, diags) = (checked.files, checked.diagnostics);
            if format == Format::Json {
                let list = diags.into_sorted();
                let errors = list
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                let doc = serde_json::json!({
                    "ok": files.is_some(),
                    "errors": errors,
                    "warnings": list.len() - errors,
                    "diagnostics": list,
                });
                println!("{}", serde_json::to_string_pretty(&doc)?);
                return Ok(if files.is_some() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                });
            }
            print_diagnostics(&diags, &checked.sources);
            if let Some(files) = files {
                eprintln!("ok: {files} files would be written");
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::from(1))
            }
        }
    }
}

/// Prints every diagnostic with a source snippet from the files as they were read (never
/// read again from the disk), then a count.
fn print_diagnostics(diags: &Diagnostics, sources: &SiteSources) {
    let list: Vec<Diagnostic> = diags.clone().into_sorted();
    if list.is_empty() {
        return;
    }
    // Colour only on a terminal: `Auto` looks at TERM alone, so logs and pipes got escapes.
    let colour = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    };
    let writer = termcolor::StandardStream::stderr(colour);
    let _ = vmo_generator::diagnostics::write_report(&mut writer.lock(), &list, |file| {
        sources.text(file).unwrap_or_default().to_string()
    });
    let errors = list
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = list.len() - errors;
    eprintln!("{errors} error(s), {warnings} warning(s)");
}
