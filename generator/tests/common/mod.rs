//! Where tests find the repository's docs and the shared material.
#![allow(dead_code)]

use std::path::PathBuf;

/// The workspace root (the folder holding `docs-input/`).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ sits in the workspace").to_path_buf()
}

/// `DOCBIND_CORPUS` (relative paths are taken from the workspace root), else `../shared/graph-docs`.
/// When it is not there, the calling test is skipped: it says so on stderr and returns `None`
/// (a fresh clone without `../shared` passes its tests). With `DOCBIND_REQUIRE_CORPUS` set, as
/// `.ci/run` sets it, a missing corpus fails the test instead, so no corpus test is skipped in CI.
pub fn corpus() -> Option<PathBuf> {
    let configured =
        std::env::var_os("DOCBIND_CORPUS").map(PathBuf::from).unwrap_or_else(|| "../shared/graph-docs".into());
    let path = if configured.is_absolute() { configured } else { workspace().join(configured) };
    if path.is_dir() {
        Some(path)
    } else {
        skip(&format!("the Graph docs corpus is not at {}", path.display()))
    }
}

/// The page this project started from: `seed/update-relations.md` beside the corpus (skipped like
/// [`corpus`] when missing).
pub fn seed() -> Option<PathBuf> {
    let path = corpus()?.parent().expect("the corpus has a parent folder").join("seed/update-relations.md");
    if path.is_file() {
        Some(path)
    } else {
        skip(&format!("the seed page is not at {} (beside the corpus)", path.display()))
    }
}

fn skip(why: &str) -> Option<PathBuf> {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    let line = format!("{why}: set DOCBIND_CORPUS to the graph-docs folder of ../shared");
    assert!(std::env::var_os("DOCBIND_REQUIRE_CORPUS").is_none(), "{test}: {line} (DOCBIND_REQUIRE_CORPUS is set)");
    // Straight to stderr: the test harness captures `eprintln!` of passing tests, and a skip must show.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {line}");
    None
}

/// The `(JSON name, Rust field)` pairs of every type emitted in a file, read from the `Model` impls,
/// where the names and the fields are two lists in the same order.
pub fn wire_names(file: &str) -> Vec<(String, String)> {
    let squeezed: String = file.chars().filter(|c| !c.is_whitespace()).collect();
    let mut pairs = Vec::new();
    for body in squeezed.split("impl::docbind_runtime::Modelfor").skip(1) {
        let list = |method: &str, open: &str| -> Vec<String> {
            let from = body.find(method).expect("the impl has its methods");
            let from = from + body[from..].find(open).unwrap() + open.len();
            let to = from + body[from..].find(']').unwrap();
            body[from..to].split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
        };
        let names = list("fnfield_names", "&[");
        let fields = list("fnfields(&self", "visit(&[");
        assert_eq!(names.len(), fields.len(), "the names and fields of an impl differ in length:\n{body}");
        pairs.extend(
            names.into_iter().zip(fields).map(|(name, field)| {
                (name.trim_matches('"').to_string(), field.trim_start_matches("&self.").to_string())
            }),
        );
    }
    pairs
}
