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
