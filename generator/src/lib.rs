//! docbind: Microsoft Graph-style API reference markdown → typed Rust bindings.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! 1. `markdown`: page text → front matter + located blocks (pulldown-cmark).
//! 2. `sections`: blocks → the sections of a Graph page, annotations attached to their fences.
//! 3. `lower`: sections → that page's part of the [`ir::Model`].
//! 4. `resolve`: all pages' models → one model resolved across pages; then [`naming`] names every
//!    item once, with the path tree of [`paths`].
//! 5. [`emit`]: resolved model and names → formatted Rust files.
//!
//! The API is what a build step, the CLI and other tools call: [`Input`] reads a folder or files,
//! [`build_model`] and [`build`] run stages 1–4, [`generate`], [`diff_output`] and [`write_output`] deal
//! with the output folder, [`Builder`] is docbind as a crate's build step, and [`diff`], [`report`]
//! and [`api`] say what a docs change does, how the pages read, and what a crate offers. The stages
//! themselves are private (the first two are reachable, hidden, for the benches and fuzz targets).

// The API: what a build step, the CLI and other tools call, and the data they get back.
pub mod api;
pub mod builder;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod naming;
pub mod package;
pub mod paths;
pub mod report;

// The first stages, public only for the benches and the fuzz targets, which time and feed them one
// by one; hidden from the docs, not part of the API.
#[doc(hidden)]
pub mod checks;
#[doc(hidden)]
pub mod markdown;
#[doc(hidden)]
pub mod sections;

// The rest of the pipeline and its helpers.
mod areas;
mod includes;
mod json;
mod lower;
mod names;
mod pairing;
mod resolve;
mod template;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use builder::{Builder, Generated};
use diagnostics::{Code, Diagnostics, Source};

/// The pages to read: relative path (with `/`) → text.
#[derive(Debug, Default, Clone)]
pub struct Input {
    pub pages: BTreeMap<String, String>,
    /// The include files the pages name (`[!INCLUDE]` directives): key → text. They are not pages.
    pub includes: includes::Includes,
    /// A short name for headers and messages (the folder name as given).
    pub name: String,
}

#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    NoPages(PathBuf),
    /// A build step's docs have diagnostics at or above its `fail_on` severity.
    Denied {
        count: usize,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Error::NoPages(path) => write!(f, "{}: no markdown pages found", path.display()),
            Error::Denied { count } => write!(f, "{count} diagnostics in the docs at or above the severity to fail on"),
        }
    }
}

impl std::error::Error for Error {}

impl Input {
    /// Pages with these names and texts, and no include files.
    pub fn from_pages<'a>(name: &str, pages: impl IntoIterator<Item = (&'a str, &'a str)>) -> Input {
        let pages = pages.into_iter().map(|(file, text)| (file.to_string(), text.to_string())).collect();
        Input { pages, includes: Default::default(), name: name.to_string() }
    }

    /// Reads every `.md` file under each path (a file is taken as it is), and the include files
    /// they name. Folders named `includes` hold include files, not pages. Paths in the
    /// model are relative to the folder given (or the file's folder), with `/` separators, so
    /// output does not depend on where the docs live.
    pub fn read(paths: &[PathBuf]) -> Result<Input, Error> {
        let mut pages = BTreeMap::new();
        let mut all_includes = includes::Includes::new();
        for path in paths {
            let io = |error| Error::Io { path: path.clone(), error };
            let metadata = std::fs::metadata(path).map_err(io)?;
            let mut found = BTreeMap::new();
            let root = if metadata.is_file() {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                found.insert(name, read_text(path)?);
                path.parent().map(Path::to_path_buf).unwrap_or_default()
            } else {
                use rayon::prelude::*;
                let mut files = Vec::new();
                collect_markdown(path, &mut files)?;
                // Read on rayon's pool (a tenth of a run was reading 8,000 files one by one); the
                // first failure in folder order is the one reported.
                let texts: Vec<Result<String, Error>> = files.par_iter().map(|file| read_text(file)).collect();
                for (file, text) in files.iter().zip(texts) {
                    let relative = file.strip_prefix(path).unwrap_or(file);
                    let key =
                        relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                    found.insert(key, text?);
                }
                path.clone()
            };
            all_includes.extend(includes::read(&root, &found, |file| read_text(file).ok()));
            pages.extend(found);
        }
        if pages.is_empty() {
            return Err(Error::NoPages(paths.first().cloned().unwrap_or_default()));
        }
        // Only the last component: the name appears in generated headers, which must not depend on
        // where the docs are or how their path was spelled.
        let name = paths
            .iter()
            .map(|p| {
                std::path::absolute(p)
                    .ok()
                    .and_then(|a| a.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Input { pages, includes: all_includes, name })
    }
}

/// The API versions a docs folder holds, as (version, folder): its `v1.0/` and `beta/` folders,
/// or those of its `api-reference/` folder (a checkout of the docs repository, whose `concepts/`
/// and other folders are not API reference). Empty when the folder is one version's pages.
pub fn version_folders(docs: &Path) -> Vec<(String, PathBuf)> {
    for root in [docs.to_path_buf(), docs.join("api-reference")] {
        let found: Vec<_> =
            ["v1.0", "beta"].iter().map(|v| (v.to_string(), root.join(v))).filter(|(_, p)| p.is_dir()).collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Pages are read as bytes; invalid UTF-8 is replaced rather than refused, so one bad byte costs one
/// character, not the page.
fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|error| Error::Io { path: path.to_path_buf(), error })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    // Most pages have no `\r`; `replace` would search and copy every one of them.
    Ok(if memchr::memchr(b'\r', text.as_bytes()).is_some() { text.replace("\r\n", "\n") } else { text })
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|error| Error::Io { path: dir.to_path_buf(), error })?;
    for entry in entries {
        let entry = entry.map_err(|error| Error::Io { path: dir.to_path_buf(), error })?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|error| Error::Io { path: path.clone(), error })?;
        if file_type.is_dir() {
            // Include files are not pages; `includes::read` reads the ones pages name. A docs
            // checkout's `includes/` folders hold tens of thousands of SDK samples besides.
            if entry.file_name() != "includes" {
                collect_markdown(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// What processing one page found besides its model: how it was classified, what JSON it held,
/// and how long each stage took. The report sums these.
#[derive(Debug, Clone, Default)]
pub struct PageOutcome {
    pub file: String,
    pub stats: lower::PageStats,
    /// docbind panicked on this page; it was skipped and a DB999 diagnostic says so.
    pub panicked: bool,
    pub parse_time: Duration,
    pub lower_time: Duration,
}

/// Stages 1–3 for one page, with a panic inside a page caught so that the run goes on.
fn process_page(
    file: &str,
    text: &str,
    includes: &includes::Includes,
) -> (resolve::PageInput, Diagnostics, PageOutcome) {
    let run = || {
        let mut diagnostics = Diagnostics::default();
        let started = Instant::now();
        let page = sections::split(file, text, includes, &mut diagnostics);
        let parsed = Instant::now();
        let (model, stats) = lower::lower(&page, &mut diagnostics);
        let links = page.links.iter().map(|l| (l.clone(), page.lines.source(l.offset))).collect();
        let outcome = PageOutcome {
            file: file.to_string(),
            stats,
            panicked: false,
            parse_time: parsed - started,
            lower_time: parsed.elapsed(),
        };
        (resolve::PageInput { file: file.to_string(), model, links }, diagnostics, outcome)
    };
    // Unwind safety: a panicking page leaves nothing shared behind; its partial results are dropped.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        let mut diagnostics = Diagnostics::default();
        let at = Source { file: file.into(), line: 1, column: 1 };
        diagnostics.push(Code::Internal, &at, "docbind failed on this page (a bug in docbind); the page was skipped");
        let page = resolve::PageInput { file: file.to_string(), model: ir::Model::default(), links: Vec::new() };
        (page, diagnostics, PageOutcome { file: file.to_string(), panicked: true, ..PageOutcome::default() })
    })
}

/// The resolved model of an input and what each page yielded.
#[derive(Debug, Clone)]
pub struct Build {
    pub model: ir::Model,
    /// Every Rust name of the client, made once after resolve; its DB012 diagnostics are in the
    /// model's list too.
    pub names: naming::Names,
    pub pages: Vec<PageOutcome>,
    pub type_refs: resolve::TypeRefCounts,
    pub resolve_time: Duration,
}

/// Parses every page (in parallel, on rayon's pool) and resolves them into one model. Pages are
/// processed independently and merged in file order, so the result does not depend on thread count.
/// `progress` is called once per finished page.
pub fn build_with_progress(input: &Input, progress: &(dyn Fn() + Sync)) -> Build {
    use rayon::prelude::*;
    let processed: Vec<_> = input
        .pages
        .par_iter()
        .map(|(file, text)| {
            let result = process_page(file, text, &input.includes);
            progress();
            result
        })
        .collect();
    let mut diagnostics = Diagnostics(Vec::with_capacity(processed.iter().map(|(_, d, _)| d.0.len()).sum()));
    let mut pages = Vec::with_capacity(processed.len());
    let mut outcomes = Vec::with_capacity(processed.len());
    for (page, page_diagnostics, outcome) in processed {
        diagnostics.0.extend(page_diagnostics.0);
        pages.push(page);
        outcomes.push(outcome);
    }
    let started = Instant::now();
    let (mut model, type_refs) = resolve::resolve(pages, diagnostics);
    let names = naming::assign(&model);
    if !names.diagnostics.is_empty() {
        model.diagnostics.extend(names.diagnostics.iter().cloned());
        model.diagnostics.sort();
        model.diagnostics.dedup();
    }
    Build { model, names, pages: outcomes, type_refs, resolve_time: started.elapsed() }
}

pub fn build(input: &Input) -> Build {
    build_with_progress(input, &|| {})
}

/// Parses and resolves every page of the input into one model.
pub fn build_model(input: &Input) -> ir::Model {
    build(input).model
}

/// The generated files for an input: relative file name → content.
pub fn generate(input: &Input) -> (ir::Model, BTreeMap<String, String>) {
    generate_with(input, false)
}

/// Like [`generate`]; `example_tests` adds `examples.rs`, the documented examples as tests.
pub fn generate_with(input: &Input, example_tests: bool) -> (ir::Model, BTreeMap<String, String>) {
    let settings = emit::Settings { input_name: input.name.clone(), example_tests, ..Default::default() };
    let (build, emitted) = generate_sources(input, &settings);
    (build.model, emitted.files)
}

/// Like [`generate_with`], with every setting of the emitter: area features as a standalone crate
/// has them (see [`emit::area_features`]), the API listing.
pub fn generate_sources(input: &Input, settings: &emit::Settings) -> (Build, emit::Emitted) {
    let build = build(input);
    let emitted = emit::emit(&build.model, &build.names, settings);
    (build, emitted)
}

/// The files under `dir`, as relative paths with `/`, recursively (none if `dir` does not exist).
fn existing_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.is_dir() {
                // Build output and hidden folders (`.git`) are never docbind's.
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name != "target" && !name.starts_with('.') {
                    walk(root, &path, out);
                }
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Files docbind owns in an output folder: those it writes, and Rust sources where it puts them (the
/// folder itself, a crate's `src/`, the vendored runtime's `src/`).
fn owned(name: &str, files: &BTreeMap<String, String>) -> bool {
    let source_folder = !name.contains('/') || name.starts_with("src/") || name.starts_with("docbind-runtime/src/");
    files.contains_key(name) || (name.ends_with(".rs") && source_folder)
}

/// How the output folder differs from what would be generated: a unified diff per changed file,
/// empty when the folder is up to date. Rust files in the folder that docbind would not write count too.
pub fn diff_output(files: &BTreeMap<String, String>, out: &Path) -> String {
    let mut diff = String::new();
    for (name, content) in files {
        let current = std::fs::read_to_string(out.join(name)).unwrap_or_default();
        if current != *content {
            let text = similar::TextDiff::from_lines(current.as_str(), content.as_str());
            let old = format!("a/{name}");
            let new = format!("b/{name}");
            diff.push_str(&text.unified_diff().context_radius(3).header(&old, &new).to_string());
        }
    }
    for name in existing_files(out).iter().filter(|n| owned(n, files) && !files.contains_key(*n)) {
        diff.push_str(&format!("--- a/{name}\n+++ /dev/null\n(file would be removed)\n"));
    }
    diff
}

/// Whether the file at `path` holds exactly `content`, read in slices (a generated file can be
/// 14 MB; holding a second copy of each would raise the peak memory of a run by that much).
fn same_content(path: &Path, content: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    if file.metadata().map(|m| m.len()).ok() != Some(content.len() as u64) {
        return false;
    }
    let mut buffer = vec![0; 64 * 1024];
    let mut rest = content;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && buffer[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Brings `out` to exactly `files` (plus whatever files it holds that docbind does not own) and
/// returns the names of the files written or removed; when nothing changes, nothing is touched.
///
/// The new tree is built beside `out` (`.NAME.docbind-new`, unchanged files hard-linked so their
/// times stay) and swapped in by renames, so a run that fails or is killed leaves the previous tree
/// whole. Nothing outside `out` and its two sibling work folders is touched.
pub fn write_output(files: &BTreeMap<String, String>, out: &Path) -> Result<Vec<String>, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| Error::Io { path, error }
    };
    let existing = existing_files(out);
    let mut changed: Vec<String> = files
        .iter()
        .filter(|(name, content)| !same_content(&out.join(name), content.as_bytes()))
        .map(|(name, _)| name.clone())
        .collect();
    changed.extend(existing.iter().filter(|n| owned(n, files) && !files.contains_key(*n)).cloned());
    if changed.is_empty() {
        return Ok(changed);
    }

    let folder = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "generated".into());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let staging = parent.join(format!(".{folder}.docbind-new"));
    let retired = parent.join(format!(".{folder}.docbind-old"));
    for leftover in [&staging, &retired] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(io(leftover))?;
        }
    }
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    let write_at = |name: &str| -> Result<PathBuf, Error> {
        let path = staging.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        Ok(path)
    };
    for name in &existing {
        if changed.contains(name) {
            continue;
        }
        let target = write_at(name)?;
        let source = out.join(name);
        std::fs::hard_link(&source, &target)
            .or_else(|_| std::fs::copy(&source, &target).map(|_| ()))
            .map_err(io(&source))?;
    }
    for name in changed.iter().filter(|n| files.contains_key(*n)) {
        let path = write_at(name)?;
        std::fs::write(&path, &files[name]).map_err(io(&path))?;
    }
    if out.exists() {
        std::fs::rename(out, &retired).map_err(io(out))?;
        if let Err(error) = std::fs::rename(&staging, out) {
            // Put the previous tree back before reporting.
            let _ = std::fs::rename(&retired, out);
            return Err(Error::Io { path: out.to_path_buf(), error });
        }
        std::fs::remove_dir_all(&retired).map_err(io(&retired))?;
    } else {
        std::fs::rename(&staging, out).map_err(io(out))?;
    }
    changed.sort();
    Ok(changed)
}
