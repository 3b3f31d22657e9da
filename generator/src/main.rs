//! The `docbind` command line: generate, check, inspect and report on Graph-style docs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use docbind::diagnostics::{self, Diagnostic, Severity};
use docbind::report::{self, Report};
use docbind::{Build, Input};

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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Fail when the docs have warnings or errors.
    Warnings,
    /// Fail when the docs have errors.
    Errors,
}

#[derive(Clone, Copy, ValueEnum)]
enum DenyChange {
    /// Fail when a change breaks code written against the crate.
    Breaking,
    /// Fail on any change to the API (breaking or additive).
    Api,
}

#[derive(clap::Args)]
struct DiagnosticOptions {
    /// Make diagnostics of this severity (and worse) fail the run.
    #[arg(long, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// Do not print diagnostics (they are still counted).
    #[arg(long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every diagnostic with its source line (by default: counts by code and the first few).
    #[arg(long, short)]
    verbose: bool,
}

#[derive(clap::Args)]
struct VersionOption {
    /// When DOCS holds API versions (`v1.0/` and `beta/`, directly or under `api-reference/`, as a
    /// checkout of the docs repository does): the one to read.
    #[arg(long, value_name = "VERSION", default_value = "v1.0")]
    api_version: String,
}

impl VersionOption {
    /// The folder of pages to read: DOCS itself, or its folder for the chosen version.
    fn folder(&self, docs: &Path) -> Result<PathBuf, String> {
        let versions = docbind::version_folders(docs);
        if versions.is_empty() {
            return Ok(docs.to_path_buf());
        }
        match versions.into_iter().find(|(version, _)| *version == self.api_version) {
            Some((_, folder)) => Ok(folder),
            None => Err(format!(
                "{} holds no `{}` folder (choose one with --api-version)",
                docs.display(),
                self.api_version
            )),
        }
    }
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
        /// Also write `examples.rs`: every documented example as a test against a local server.
        #[arg(long)]
        example_tests: bool,
        #[command(flatten)]
        version: VersionOption,
        /// Write a complete crate of this name: `Cargo.toml`, the sources in `src/`.
        #[arg(long = "crate", value_name = "NAME")]
        crate_name: Option<String>,
        /// With `--crate`: copy the runtime into the crate (`docbind-runtime/`) instead of depending
        /// on the runtime of docbind's own checkout by path.
        #[arg(long, requires = "crate_name")]
        vendor_runtime: bool,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Check that OUT is what `generate` would write; print a unified diff and exit 1 if not. Writes nothing.
    Check {
        /// Folder of markdown pages.
        #[arg(default_value = "docs-input")]
        docs: PathBuf,
        /// Folder of the committed Rust files.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Check `examples.rs` too (as `generate --example-tests` writes it).
        #[arg(long)]
        example_tests: bool,
        #[command(flatten)]
        version: VersionOption,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Print the public API that `generate` would emit for DOCS, sorted, one line per item (modules,
    /// types, fields, enum variants, functions): diff two of these to review an API change.
    Api {
        /// Folder of markdown pages.
        #[arg(default_value = "docs-input")]
        docs: PathBuf,
        #[command(flatten)]
        version: VersionOption,
    },
    /// Say what a docs change does to the generated crate's users: every change to operations,
    /// types, properties, enums and areas, each breaking, additive or docs only, with its pages.
    ///
    /// `docbind diff OLD NEW` compares two docs folders; `docbind diff --git REV [DOCS]` compares DOCS
    /// at a git revision with the working tree. Folders holding `v1.0/` and `beta/` are compared per version.
    Diff {
        /// OLD and NEW docs folders; with `--git`, only DOCS (default `docs-input`).
        paths: Vec<PathBuf>,
        /// Compare DOCS as it was at this git revision (OLD) with DOCS as it is (NEW).
        #[arg(long, value_name = "REV")]
        git: Option<String>,
        /// A report for a pull-request comment: a summary table and a section per area.
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        /// The changes as JSON: `{"summary": {...}, "changes": [...]}`.
        #[arg(long)]
        json: bool,
        /// Exit 1 when a change is of this class (a CI gate for docs changes).
        #[arg(long, value_name = "CLASS")]
        deny: Option<DenyChange>,
        /// List docs-only changes one by one (by default they are counted).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Print the resolved model (IR) of the given pages or folders as JSON on stdout.
    Ir {
        /// Markdown pages, or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Parse and resolve every page and report on the health of the docs.
    ///
    /// A folder holding `v1.0/` and `beta/` is reported per version; other folders are one version each.
    Report {
        /// Folders of markdown pages.
        #[arg(required = true)]
        docs: Vec<PathBuf>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Check the targets set for the Graph corpus and exit 1 if one is missed.
        #[arg(long)]
        check_targets: bool,
        /// How many located examples to show per diagnostic code.
        #[arg(long, default_value_t = 3)]
        examples: usize,
        /// Make diagnostics of this severity (and worse) fail the run.
        #[arg(long, value_name = "LEVEL")]
        deny: Option<Deny>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
}

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the kernel backs memory with 2 MB pages by default (`transparent_hugepage=always`),
/// mimalloc's returning of freed pages and touching them again made the kernel clear whole 2 MB
/// pages over and over: a quarter of a beta `generate` went to clearing pages, and peak memory
/// is rounded up to 2 MB pieces. The process asks for 4 KB pages instead; mimalloc's own switch
/// for this (`MIMALLOC_ALLOW_THP=0`) is read only from the environment, before `main`.
#[cfg(all(feature = "mimalloc", target_os = "linux"))]
fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it sets one flag of this process, which the
    // kernel reads at each later page fault. A kernel without it returns an error, ignored.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    #[cfg(all(feature = "mimalloc", target_os = "linux"))]
    no_transparent_huge_pages();
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
        Command::Generate { docs, out, example_tests, version, crate_name, vendor_runtime, diagnostics } => {
            let docs = version.folder(&docs)?;
            let input = Input::read(std::slice::from_ref(&docs)).map_err(|e| e.to_string())?;
            let settings = docbind::emit::Settings {
                input_name: input.name.clone(),
                example_tests,
                area_features: crate_name.is_some(),
                api_listing: crate_name.is_some(),
            };
            let (build, emitted) = docbind::generate_sources(&input, &settings);
            let mut files = emitted.files;
            let model = &build.model;
            if let Some(name) = &crate_name {
                // The crate's API, one line per item, beside its sources: a regeneration's pull
                // request shows a short API diff next to the code diff.
                let api = emitted.api.unwrap_or_default();
                let own_runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
                let runtime = if vendor_runtime {
                    docbind::package::Runtime::Vendored
                } else {
                    docbind::package::Runtime::Path(&own_runtime)
                };
                files = docbind::package::crate_files(name, runtime, &emitted.features, files);
                files.insert("API.txt".to_string(), api);
            }
            print_diagnostics(&docs, &input, &model.diagnostics, &diagnostics);
            let changed = docbind::write_output(&files, &out).map_err(|e| e.to_string())?;
            let written = changed.iter().filter(|name| files.contains_key(*name)).count();
            let removed = match changed.len() - written {
                0 => String::new(),
                n => format!(", {n} removed (no longer generated)"),
            };
            eprintln!(
                "docbind: {} pages → {} operations at {} request lines, {} types, {} enums; {written} of {} files in {} \
                 changed{removed}",
                input.pages.len(),
                model.operations.len(),
                model.call_count(),
                model.types.len(),
                model.enums.len(),
                files.len(),
                out.display()
            );
            let verdict = verdict(&model.diagnostics, diagnostics.deny);
            left_to_exit((input, build, files));
            Ok(verdict)
        }
        Command::Check { docs, out, example_tests, version, diagnostics } => {
            let docs = version.folder(&docs)?;
            let input = Input::read(std::slice::from_ref(&docs)).map_err(|e| e.to_string())?;
            let (model, files) = docbind::generate_with(&input, example_tests);
            print_diagnostics(&docs, &input, &model.diagnostics, &diagnostics);
            let diff = docbind::diff_output(&files, &out);
            let verdict = verdict(&model.diagnostics, diagnostics.deny);
            left_to_exit((input, model, files));
            if diff.is_empty() {
                eprintln!("docbind: {} is up to date with {}", out.display(), docs.display());
                Ok(verdict)
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
        Command::Api { docs, version } => {
            let docs = version.folder(&docs)?;
            let input = Input::read(std::slice::from_ref(&docs)).map_err(|e| e.to_string())?;
            // With area features, as a crate has them, so each request shows the features it needs.
            let settings = docbind::emit::Settings::standalone(&input.name);
            let (_, emitted) = docbind::generate_sources(&input, &settings);
            print!("{}", emitted.api.unwrap_or_default());
            Ok(ExitCode::SUCCESS)
        }
        Command::Ir { paths } => {
            let input = Input::read(&paths).map_err(|e| e.to_string())?;
            let model = docbind::build_model(&input);
            let json = serde_json::to_string_pretty(&model).map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { paths, git, markdown, json, deny, verbose } => {
            diff_command(&paths, git.as_deref(), markdown, json, deny, verbose)
        }
        Command::Report { docs, json, check_targets, examples, deny, quiet } => {
            report_command(&docs, json, check_targets, examples, deny, quiet)
        }
    }
}

/// Each DOCS folder, split into its `v1.0/` and `beta/` folders when it has them (directly or
/// under `api-reference/`).
fn versions(docs: &[PathBuf]) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for path in docs {
        let split = docbind::version_folders(path);
        if split.is_empty() {
            let name =
                std::path::absolute(path).ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
            out.push((name.unwrap_or_else(|| path.display().to_string()), path.clone()));
        } else {
            out.extend(split);
        }
    }
    out
}

/// The docs at a git revision, extracted into a temporary folder (removed when dropped).
struct Checkout(PathBuf);

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn checkout(docs: &Path, revision: &str) -> Result<Checkout, String> {
    let git = |args: &[&str]| -> Result<std::process::Output, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(docs)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() {
            Ok(output)
        } else {
            Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()))
        }
    };
    let prefix = String::from_utf8_lossy(&git(&["rev-parse", "--show-prefix"])?.stdout).trim().to_string();
    let top = String::from_utf8_lossy(&git(&["rev-parse", "--show-toplevel"])?.stdout).trim().to_string();
    let tree = if prefix.is_empty() { revision.to_string() } else { format!("{revision}:{prefix}") };
    // From the top of the repository: in a subfolder, git archive would take the folder again.
    let archive = git(&["-C", &top, "archive", "--format=tar", &tree])?;
    let folder = std::env::temp_dir().join(format!("docbind-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let checkout = Checkout(folder);
    let mut tar = std::process::Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&checkout.0)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    use std::io::Write;
    tar.stdin.take().map(|mut stdin| stdin.write_all(&archive.stdout)).transpose().map_err(|e| e.to_string())?;
    let status = tar.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("tar could not extract {tree}"));
    }
    Ok(checkout)
}

fn diff_command(
    paths: &[PathBuf],
    git: Option<&str>,
    markdown: bool,
    json: bool,
    deny: Option<DenyChange>,
    verbose: bool,
) -> Result<ExitCode, String> {
    let kept;
    let (old, new) = match (git, paths) {
        (Some(revision), [] | [_]) => {
            let docs = paths.first().cloned().unwrap_or_else(|| PathBuf::from("docs-input"));
            kept = checkout(&docs, revision)?;
            (kept.0.clone(), docs)
        }
        (None, [old, new]) => (old.clone(), new.clone()),
        _ => return Err("give OLD and NEW docs folders, or --git REV [DOCS]".to_string()),
    };
    let (old_versions, new_versions) = (versions(std::slice::from_ref(&old)), versions(std::slice::from_ref(&new)));
    // One version's folder against the same version's, else the folders themselves.
    let pairs: Vec<(&String, PathBuf, &PathBuf)> = new_versions
        .iter()
        .filter_map(|(version, new_path)| {
            let old_path = match old_versions.iter().find(|(v, _)| v == version) {
                Some((_, path)) => path.clone(),
                None if old_versions.len() == 1 && new_versions.len() == 1 => old_versions[0].1.clone(),
                None => return None,
            };
            Some((version, old_path, new_path))
        })
        .collect();
    // Every side of every version is read and built at once: each build ends in a serial resolve,
    // and the others keep the second core busy meanwhile.
    let model_of = |path: &PathBuf| {
        Input::read(std::slice::from_ref(path)).map(|input| docbind::build_model(&input)).map_err(|e| e.to_string())
    };
    let per_version: Vec<Result<Vec<docbind::diff::Change>, String>> = {
        use rayon::prelude::*;
        pairs
            .par_iter()
            .map(|(version, old_path, new_path)| {
                let (before, after) = rayon::join(|| model_of(old_path), || model_of(new_path));
                Ok(docbind::diff::diff(version, &before?, &after?))
            })
            .collect()
    };
    let mut changes = Vec::new();
    for version_changes in per_version {
        changes.extend(version_changes?);
    }
    changes.sort();
    if json {
        print!("{}", docbind::diff::render_json(&changes));
    } else if markdown {
        print!("{}", docbind::diff::render_markdown(&changes));
    } else {
        print!("{}", docbind::diff::render_text(&changes, verbose));
    }
    let failing = match deny {
        Some(DenyChange::Breaking) => changes.iter().any(|c| c.class == docbind::diff::Class::Breaking),
        Some(DenyChange::Api) => changes.iter().any(|c| c.class != docbind::diff::Class::DocsOnly),
        None => false,
    };
    Ok(if failing { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn report_command(
    docs: &[PathBuf],
    json: bool,
    check_targets: bool,
    examples: usize,
    deny: Option<Deny>,
    quiet: bool,
) -> Result<ExitCode, String> {
    let started = Instant::now();
    let mut runs: Vec<(String, PathBuf, Input, Build)> = Vec::new();
    for (version, path) in versions(docs) {
        let input = Input::read(std::slice::from_ref(&path)).map_err(|e| e.to_string())?;
        let bar = if quiet || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(input.pages.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{prefix:>6} [{bar:40}] {pos}/{len} pages")
                    .expect("the template is valid")
                    .progress_chars("=> "),
            );
            bar.set_prefix(version.clone());
            bar
        };
        let build = docbind::build_with_progress(&input, &|| bar.inc(1));
        bar.finish_and_clear();
        runs.push((version, path, input, build));
    }
    let elapsed = started.elapsed();
    let report = Report::new(&runs.iter().map(|(v, _, _, b)| (v.clone(), b)).collect::<Vec<_>>());
    let all_diagnostics: Vec<&Diagnostic> = runs.iter().flat_map(|r| r.3.model.diagnostics.iter()).collect();

    if json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else {
        print_report_text(&report, &runs, examples, elapsed);
    }
    let mut failed = false;
    if check_targets {
        let targets = report.targets();
        eprintln!("targets:");
        for target in &targets {
            eprintln!("  {target}");
        }
        failed |= targets.iter().any(|t| !t.met);
    }
    if let Some(deny) = deny {
        failed |= all_diagnostics.iter().any(|d| denied(d.severity, deny));
    }
    drop(all_diagnostics);
    left_to_exit(runs);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A command's data at its end, left for the process's exit to free: dropping a resolved model is
/// hundreds of thousands of frees, which took about 50 ms at the end of a beta `generate`, on one
/// thread, with nothing waiting for the memory.
fn left_to_exit<T>(data: T) {
    std::mem::forget(data);
}

fn print_report_text(
    report: &Report,
    runs: &[(String, PathBuf, Input, Build)],
    examples: usize,
    elapsed: std::time::Duration,
) {
    let styled = std::io::stdout().is_terminal();
    let columns: Vec<(&str, &report::Counts)> =
        runs.iter().map(|(v, ..)| (v.as_str(), &report.versions[v])).chain([("total", &report.total)]).collect();
    type Row = (&'static str, fn(&report::Counts) -> u64);
    let rows: [Row; 17] = [
        ("pages", |c| c.pages),
        ("api pages", |c| c.api_pages),
        ("  with an HTTP request section", |c| c.api_pages_with_http_request),
        ("  with an operation", |c| c.api_pages_with_operation),
        ("operations", |c| c.operations),
        ("  with a status", |c| c.operations_with_status),
        ("  needing a response type", |c| c.operations_needing_type),
        ("  with a response type", |c| c.operations_with_response_type),
        ("type references", |c| c.type_refs),
        ("  resolved", |c| c.type_refs_resolved),
        ("JSON bodies", |c| c.json_bodies),
        ("  parsed", |c| c.json_bodies_parsed),
        ("examples (request + response)", |c| c.examples),
        ("  that become tests", |c| c.example_tests),
        ("types", |c| c.types),
        ("enums", |c| c.enums),
        ("panics", |c| c.panics),
    ];
    print!("{:<34}", "");
    for (name, _) in &columns {
        print!("{name:>10}");
    }
    println!();
    for (label, get) in rows {
        print!("{label:<34}");
        for (_, counts) in &columns {
            print!("{:>10}", get(counts));
        }
        println!();
    }

    println!("\ndiagnostics by code (total, with up to {examples} examples each):");
    let mut by_code: std::collections::BTreeMap<&str, Vec<(&Path, &Input, &Diagnostic)>> = Default::default();
    for (_, path, input, build) in runs {
        for diagnostic in &build.model.diagnostics {
            by_code.entry(diagnostic.code.as_str()).or_default().push((path, input, diagnostic));
        }
    }
    let mut codes: Vec<_> = by_code.into_iter().collect();
    codes.sort_by_key(|(code, list)| (std::cmp::Reverse(list.len()), *code));
    for (code, list) in codes {
        println!("\n{code} {} × {}", list[0].2.name, list.len());
        // Spread the examples over the list rather than showing the first page's three.
        let step = (list.len() / examples.max(1)).max(1);
        for (path, input, diagnostic) in list.iter().step_by(step).take(examples) {
            let shown = path.join(&diagnostic.file).display().to_string();
            let text = input.pages.get(&diagnostic.file).map(String::as_str).unwrap_or_default();
            println!("{}", diagnostics::render(diagnostic, text, &shown, styled));
        }
    }

    print_untestable_examples(runs, examples);

    println!("\nstages (summed over pages and threads):");
    for (_, _, _, build) in runs {
        for (stage, time) in report::stage_times(build) {
            println!("  {stage:<22} {:>9.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    let mut slowest: Vec<(&str, &docbind::PageOutcome)> =
        runs.iter().flat_map(|(v, _, _, b)| b.pages.iter().map(move |p| (v.as_str(), p))).collect();
    slowest.sort_by_key(|(_, p)| std::cmp::Reverse(p.parse_time + p.lower_time));
    println!("slowest pages:");
    for (version, page) in slowest.iter().take(5) {
        println!("  {:>7.2} ms  {version}/{}", (page.parse_time + page.lower_time).as_secs_f64() * 1000.0, page.file);
    }
    println!("wall time {:.0} ms", elapsed.as_secs_f64() * 1000.0);
    if !report.panicked_pages.is_empty() {
        println!("\npages docbind failed on:");
        for page in &report.panicked_pages {
            println!("  {page}");
        }
    }
}

/// Example pairs that cannot become tests, by reason, with a few located ones each. Every reason
/// is a disagreement within a page, something its authors can fix.
fn print_untestable_examples(runs: &[(String, PathBuf, Input, Build)], examples: usize) {
    let mut by_reason: std::collections::BTreeMap<docbind::ir::Untestable, Vec<String>> = Default::default();
    for (_, path, _, build) in runs {
        for line in build.model.operations.iter().flat_map(|o| &o.request_lines) {
            for example in &line.examples {
                if let (Some(reason), Some(request)) = (example.untestable, &example.request) {
                    let at = &request.source;
                    let shown = format!("{}:{}:{}", path.join(&*at.file).display(), at.line, at.column);
                    by_reason.entry(reason).or_default().push(format!("{shown} {}", example.name));
                }
            }
        }
    }
    if by_reason.is_empty() {
        return;
    }
    println!("\nexample pairs without a test (doc problems), by reason:");
    for (reason, list) in by_reason {
        println!("\n{} × {}: {}", report::reason_key(reason), list.len(), reason.explanation());
        let step = (list.len() / examples.max(1)).max(1);
        for example in list.iter().step_by(step).take(examples) {
            println!("  {example}");
        }
    }
}

fn denied(severity: Severity, deny: Deny) -> bool {
    match deny {
        Deny::Warnings => matches!(severity, Severity::Error | Severity::Warning),
        Deny::Errors => severity == Severity::Error,
    }
}

fn verdict(diagnostics: &[Diagnostic], deny: Option<Deny>) -> ExitCode {
    match deny {
        Some(deny) if diagnostics.iter().any(|d| denied(d.severity, deny)) => {
            eprintln!("docbind: failing because of --deny");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Up to this many diagnostics are printed whole without `--verbose`.
const SHOWN_BY_DEFAULT: usize = 20;

/// Diagnostics on stderr: all of them with `--verbose` (or when there are few), else the worst few
/// with their source lines and a count per code; then the totals.
fn print_diagnostics(docs: &Path, input: &Input, list: &[Diagnostic], options: &DiagnosticOptions) {
    let base = if docs.is_file() { docs.parent().unwrap_or(docs) } else { docs };
    let styled = std::io::stderr().is_terminal();
    let render = |diagnostic: &Diagnostic| {
        let shown = base.join(&diagnostic.file).display().to_string();
        let text = input.pages.get(&diagnostic.file).map(String::as_str).unwrap_or_default();
        diagnostics::render(diagnostic, text, &shown, styled)
    };
    let everything = options.verbose || list.len() <= SHOWN_BY_DEFAULT;
    if !options.quiet && everything {
        for diagnostic in list {
            eprintln!("{}", render(diagnostic));
        }
    } else if !options.quiet {
        // Errors first, then warnings, then notes; in file order within each.
        let mut worst: Vec<&Diagnostic> = list.iter().collect();
        worst.sort_by_key(|d| d.severity);
        for diagnostic in worst.iter().take(5) {
            eprintln!("{}", render(diagnostic));
        }
        let mut by_code: std::collections::BTreeMap<(&str, &str), usize> = std::collections::BTreeMap::new();
        for diagnostic in list {
            *by_code.entry((diagnostic.code.as_str(), diagnostic.name.as_str())).or_default() += 1;
        }
        eprintln!("docbind: diagnostics by code:");
        for ((code, name), count) in &by_code {
            eprintln!("  {code} {name:<24} {count:>6}");
        }
        eprintln!(
            "docbind: the 5 worst are shown above; --verbose prints all {}, `docbind report --json` counts them",
            list.len()
        );
    }
    let errors = list.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = list.iter().filter(|d| d.severity == Severity::Warning).count();
    if !list.is_empty() {
        eprintln!(
            "docbind: {errors} errors, {warnings} warnings, {} notes in the docs",
            list.len() - errors - warnings
        );
    }
}
