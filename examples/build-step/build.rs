//! Gets the client with docbind's build-step API: v1.0's `outlook` area from the Graph docs corpus
//! (`DOCBIND_CORPUS`, by default `../shared/graph-docs` beside the docbind checkout), or, without
//! the corpus, the termStore pages of docbind's own `docs-input/`.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DOCBIND_CORPUS");
    println!("cargo::rustc-check-cfg=cfg(graph_corpus)");
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus =
        std::env::var_os("DOCBIND_CORPUS").map_or_else(|| PathBuf::from("../shared/graph-docs"), PathBuf::from);
    let corpus = if corpus.is_absolute() { corpus } else { checkout.join(corpus) };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("Cargo sets OUT_DIR"));
    let builder = if corpus.join("v1.0").is_dir() {
        println!("cargo:rustc-cfg=graph_corpus");
        docbind::Builder::new().docs(corpus).api_version("v1.0").areas(["outlook"])
    } else {
        docbind::Builder::new().docs(checkout.join("docs-input"))
    };
    if let Err(error) = builder.module_path("crate::graph").generate_to(&out) {
        panic!("docbind: {error}");
    }
}
