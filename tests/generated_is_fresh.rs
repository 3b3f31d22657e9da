//! The committed `generated/` is exactly what docbind makes of `docs-input/`: this test regenerates
//! it in memory and fails with the diff when it is stale. `DOCBIND_UPDATE_GENERATED=1 cargo test
//! --test generated_is_fresh` (or `cargo run -p docbind -- generate --example-tests`) updates it.

use std::path::Path;

#[test]
fn generated_is_what_docs_input_gives() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = docbind::Input::read(&[root.join("docs-input")]).expect("docs-input is readable");
    let (_, files) = docbind::generate_with(&input, true);
    let out = root.join("generated");
    let diff = docbind::diff_output(&files, &out);
    if diff.is_empty() {
        return;
    }
    if std::env::var_os("DOCBIND_UPDATE_GENERATED").is_some() {
        docbind::write_output(&files, &out).expect("generated/ is writable");
        return;
    }
    panic!(
        "generated/ is stale for docs-input/; run `cargo run -p docbind -- generate --example-tests` \
         (or this test with DOCBIND_UPDATE_GENERATED=1) and commit the result:\n{diff}"
    );
}
