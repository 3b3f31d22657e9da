//! Builds this package's client from `docs-input/` into `OUT_DIR` with docbind's build-step API,
//! the way a user's crate would: a docs change shows in the next build, and nothing is written
//! into the source tree. The committed `generated/` is the same client as reviewable files, kept
//! fresh by `tests/generated_is_fresh.rs`.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("Cargo sets OUT_DIR"));
    // The committed bindings carry the documented examples as tests (`cargo test` runs them).
    let built = docbind::Builder::new()
        .docs(root.join("docs-input"))
        .example_tests(true)
        .file_name("termstore.rs")
        .generate_to(&out);
    if let Err(error) = built {
        panic!("docbind: cannot build the client from docs-input: {error}");
    }
}
