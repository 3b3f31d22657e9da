//! A standalone crate around the emitted sources: `Cargo.toml`, `src/`, and the runtime, either as
//! a path dependency or vendored next to the crate (so the output builds with nothing but crates.io).
//!
//! Takes the emitted files; gives the files of the crate, as relative paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Where the generated crate finds `docbind-runtime`.
pub enum Runtime<'a> {
    /// A path dependency on an existing checkout of the runtime.
    Path(&'a Path),
    /// A copy of the runtime inside the output, at `docbind-runtime/`.
    Vendored,
}

const RUNTIME_SOURCES: [(&str, &str); 16] = [
    ("src/lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("src/auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("src/batch.rs", include_str!("../../runtime/src/batch.rs")),
    ("src/client.rs", include_str!("../../runtime/src/client.rs")),
    ("src/connect.rs", include_str!("../../runtime/src/connect.rs")),
    ("src/dates/mod.rs", include_str!("../../runtime/src/dates/mod.rs")),
    ("src/dates/grammar.rs", include_str!("../../runtime/src/dates/grammar.rs")),
    ("src/error.rs", include_str!("../../runtime/src/error.rs")),
    ("src/io.rs", include_str!("../../runtime/src/io.rs")),
    ("src/model.rs", include_str!("../../runtime/src/model.rs")),
    ("src/paging.rs", include_str!("../../runtime/src/paging.rs")),
    ("src/related.rs", include_str!("../../runtime/src/related.rs")),
    ("src/request.rs", include_str!("../../runtime/src/request.rs")),
    ("src/response.rs", include_str!("../../runtime/src/response.rs")),
    ("src/testing.rs", include_str!("../../runtime/src/testing.rs")),
    ("src/upload.rs", include_str!("../../runtime/src/upload.rs")),
];

/// The runtime's optional features, which a generated crate passes on.
const RUNTIME_OPTIONS: [&str; 4] = ["azure-identity", "tracing", "time", "chrono"];

/// The vendored runtime's manifest: the runtime's own dependencies, without workspace inheritance.
const RUNTIME_MANIFEST: &str = r#"[package]
name = "docbind-runtime"
version = "0.1.0"
edition = "2021"
license = "MIT OR Apache-2.0"
description = "The small runtime that docbind-generated clients call (vendored by docbind)"

[features]
default = ["rustls"]
rustls = ["dep:hyper-rustls", "dep:rustls", "dep:webpki-roots"]
testing = ["dep:wiremock"]
azure-identity = ["dep:azure_core"]
tracing = ["dep:tracing"]
time = ["dep:time"]
chrono = ["dep:chrono"]

[dependencies]
azure_core = { version = "1.1", default-features = false, optional = true }
chrono = { version = "0.4", default-features = false, features = ["alloc"], optional = true }
erased-serde = { version = "0.4", default-features = false, features = ["std"] }
futures-util = { version = "0.3", default-features = false, features = ["std"] }
http-body-util = "0.1"
hyper = { version = "1", default-features = false, features = ["client", "http1"] }
hyper-rustls = { version = "0.27", default-features = false, features = ["http1", "tls12", "ring", "webpki-roots"], optional = true }
hyper-util = { version = "0.1", default-features = false, features = ["client-legacy", "client-proxy", "http1", "tokio"] }
percent-encoding = "2"
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }
serde = { version = "1", default-features = false, features = ["std"] }
serde_json = "1"
serde_path_to_error = "0.1"
tokio = { version = "1", features = ["net", "time"] }
time = { version = "0.3", default-features = false, features = ["std"], optional = true }
tower-service = "0.3"
tracing = { version = "0.1", default-features = false, features = ["std"], optional = true }
webpki-roots = { version = "1", optional = true }
wiremock = { version = "0.6", optional = true }
"#;

/// The crate's files: `Cargo.toml`, the sources under `src/`, and the vendored runtime if asked.
pub fn crate_files(
    name: &str,
    runtime: Runtime<'_>,
    features: &BTreeSet<String>,
    sources: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let dependency = match runtime {
        Runtime::Path(path) => format!("{{ path = {:?} }}", path.display().to_string()),
        Runtime::Vendored => "{ path = \"docbind-runtime\" }".to_string(),
    };
    let testing = match runtime {
        Runtime::Path(_) => dependency.replace(" }", ", features = [\"testing\"] }"),
        Runtime::Vendored => "{ path = \"docbind-runtime\", features = [\"testing\"] }".to_string(),
    };
    let all: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let each: String = features.iter().map(|f| format!("{f} = []\n")).collect();
    // The runtime's optional features, through the crate (none is on by default).
    let runtime_features: String = RUNTIME_OPTIONS
        .iter()
        .filter(|option| !features.contains(**option))
        .map(|option| format!("{option} = [\"docbind-runtime/{option}\"]\n"))
        .collect();
    let manifest = format!(
        "# @generated by docbind. Do not edit: change the docs and regenerate.\n\
         [package]\nname = {name:?}\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [lib]\npath = \"src/lib.rs\"\n\n\
         # One feature per product area of the docs (`ms.prod`). An item compiles when any area that\n\
         # needs it is on; fields are never gated, so features only add items.\n\
         [features]\ndefault = [{}]\n{each}\n\
         # The runtime's options: sign-in with azure_identity credentials, tracing spans, and\n\
         # conversions of dates and times to the `time` and `chrono` crates.\n{runtime_features}\n\
         [dependencies]\ndocbind-runtime = {dependency}\n\n\
         [dev-dependencies]\ndocbind-runtime = {testing}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n\
         # docs.rs shows the features each item needs.\n\
         [package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n\
         # Generated code is rewritten whole, so incremental caches cost more than they save\n\
         # (they add about a third to a check of all of Graph); as a dependency it is not incremental anyway.\n\
         [profile.dev]\nincremental = false\n\n\
         # A crate of its own, even when generated inside another workspace.\n[workspace]\n",
        all.join(", ")
    );
    let mut files: BTreeMap<String, String> =
        sources.into_iter().map(|(file, text)| (format!("src/{file}"), text)).collect();
    files.insert("Cargo.toml".to_string(), manifest);
    if let Runtime::Vendored = runtime {
        files.insert("docbind-runtime/Cargo.toml".to_string(), RUNTIME_MANIFEST.to_string());
        for (file, text) in RUNTIME_SOURCES {
            files.insert(format!("docbind-runtime/{file}"), text.to_string());
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every module of the runtime is vendored: a file left out would only show when a vendored
    /// crate is compiled.
    #[test]
    fn every_runtime_source_is_vendored() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        let mut on_disk = Vec::new();
        let mut folders = vec![root.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    on_disk.push(path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let mut vendored: Vec<String> = RUNTIME_SOURCES.iter().map(|(path, _)| path.to_string()).collect();
        vendored.sort();
        assert_eq!(vendored, on_disk);
    }

    /// The vendored manifest is written by hand; it must keep up with the runtime's real one.
    #[test]
    fn the_vendored_manifest_lists_every_runtime_dependency() {
        let manifest = include_str!("../../runtime/Cargo.toml");
        let dependencies = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
        for line in dependencies.lines().filter(|line| !line.trim().is_empty()) {
            let name = line.split('=').next().unwrap().trim().trim_end_matches(".workspace");
            let expected = if line.contains("workspace") { format!("\n{name} = ") } else { format!("\n{line}\n") };
            assert!(RUNTIME_MANIFEST.contains(&expected), "the vendored manifest lacks `{line}`");
        }
    }
}
