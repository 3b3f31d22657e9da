//! Where tests find the repository's docs and the shared material.
#![allow(dead_code)]

use std::path::PathBuf;

/// The workspace root (the folder holding `docs-input/`).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ sits in the workspace").to_path_buf()
}

/// `DOCBIND_CORPUS` (relative paths are taken from the workspace root), else `../shared/graph-docs`.
pub fn corpus() -> PathBuf {
    let configured =
        std::env::var_os("DOCBIND_CORPUS").map(PathBuf::from).unwrap_or_else(|| "../shared/graph-docs".into());
    let path = if configured.is_absolute() { configured } else { workspace().join(configured) };
    assert!(
        path.is_dir(),
        "the Graph docs corpus is not at {} — set DOCBIND_CORPUS to the graph-docs folder of ../shared",
        path.display()
    );
    path
}

/// The page this project started from: `seed/update-relations.md` beside the corpus.
pub fn seed() -> PathBuf {
    let path = corpus().parent().expect("the corpus has a parent folder").join("seed/update-relations.md");
    assert!(path.is_file(), "the seed page is not at {} (it sits beside the corpus in ../shared)", path.display());
    path
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
