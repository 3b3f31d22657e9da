//! Regenerates `generated/` from `docs-input/` when the docs change.
//!
//! Only files whose content changed are written, so an unchanged doc set touches nothing. Under
//! `CI=true` nothing is written: a stale `generated/` fails the build with a diff, because the
//! committed bindings must be exactly what the committed docs produce.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=docs-input");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CI");

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = root.join("docs-input");
    let out = root.join("generated");
    let input = match docbind::Input::read(&[docs]) {
        Ok(input) => input,
        Err(error) => panic!("docbind: cannot read the docs: {error}"),
    };
    // The committed bindings carry the documented examples as tests (`cargo test` runs them).
    let (model, files) = docbind::generate_with(&input, true);
    for diagnostic in &model.diagnostics {
        println!("cargo:warning=docs-input/{diagnostic}");
    }

    if std::env::var("CI").is_ok_and(|v| v == "true") {
        let diff = docbind::diff_output(&files, &out);
        if !diff.is_empty() {
            eprintln!("{diff}");
            panic!("docbind: generated/ is stale for docs-input/; run `cargo run -p docbind -- generate --example-tests` and commit the result");
        }
        return;
    }
    if let Err(error) = docbind::write_output(&files, &out) {
        panic!("docbind: cannot write generated/: {error}");
    }
}
