//! The `docbind` command line: generate, check and inspect bindings from Graph-style docs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use docbind::diagnostics::{Diagnostic, Severity};
use docbind::Input;

#[derive(Parser)]
#[command(
    name = "docbind",
    version,
    about = "Turn Microsoft Graph-style API reference markdown into typed Rust bindings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the bindings: write the Rust files for DOCS into OUT (only files that changed).
    Generate {
        /// Folder of markdown pages.
        #[arg(default_value = "docs-input")]
        docs: PathBuf,
        /// Folder the Rust files go to.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Check that OUT is what `generate` would write; print a unified diff and exit 1 if not. Writes nothing.
    Check {
        #[arg(default_value = "docs-input")]
        docs: PathBuf,
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Print the resolved model (IR) of the given pages or folders as JSON on stdout.
    Ir {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Generate { docs, out } => {
            let input = Input::read(std::slice::from_ref(&docs)).map_err(|e| e.to_string())?;
            let (model, files) = docbind::generate(&input);
            report(&docs, &model.diagnostics);
            let changed = docbind::write_output(&files, &out).map_err(|e| e.to_string())?;
            eprintln!(
                "docbind: {} pages → {} operations, {} types, {} enums; {} of {} files in {} changed",
                input.pages.len(),
                model.operations.len(),
                model.types.len(),
                model.enums.len(),
                changed.len(),
                files.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { docs, out } => {
            let input = Input::read(std::slice::from_ref(&docs)).map_err(|e| e.to_string())?;
            let (_, files) = docbind::generate(&input);
            let diff = docbind::diff_output(&files, &out);
            if diff.is_empty() {
                eprintln!("docbind: {} is up to date with {}", out.display(), docs.display());
                Ok(ExitCode::SUCCESS)
            } else {
                print!("{diff}");
                eprintln!(
                    "docbind: {} is stale; run `docbind generate {} --out {}`",
                    out.display(),
                    docs.display(),
                    out.display()
                );
                Ok(ExitCode::from(1))
            }
        }
        Command::Ir { paths } => {
            let input = Input::read(&paths).map_err(|e| e.to_string())?;
            let model = docbind::build_model(&input);
            let json = serde_json::to_string_pretty(&model).map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Diagnostics on stderr, one per line, `path:line:col: severity[code] message`, then a count.
fn report(docs: &Path, diagnostics: &[Diagnostic]) {
    let base = if docs.is_file() { docs.parent().unwrap_or(docs) } else { docs };
    for diagnostic in diagnostics {
        let shown = Diagnostic { file: base.join(&diagnostic.file).display().to_string(), ..diagnostic.clone() };
        eprintln!("{shown}");
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if !diagnostics.is_empty() {
        eprintln!("docbind: {errors} errors, {warnings} warnings in the docs");
    }
}
