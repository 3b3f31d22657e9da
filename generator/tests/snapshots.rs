//! Snapshots of the IR and of the emitted Rust for every docs-input page and for the seed page.
//!
//! Each page is run through the whole pipeline on its own, so a snapshot shows exactly what that page
//! yields (types it references from other pages show up as unknown, with their diagnostics). The whole
//! docs-input model is snapshotted too; the whole emitted tree is `generated/`, checked by `docbind check`.

mod common;

use std::path::Path;

use docbind::Input;

fn page_outputs(path: &Path) -> (String, String) {
    let input = Input::read(&[path.to_path_buf()]).expect("page is readable");
    let (model, files) = docbind::generate(&input);
    let ir = serde_json::to_string_pretty(&model).expect("the IR serializes");
    let rust = files.iter().map(|(name, content)| format!("// ==== {name}\n{content}")).collect::<Vec<_>>().join("\n");
    (ir, rust)
}

fn snapshot_page(name: &str, path: &Path) {
    let (ir, rust) = page_outputs(path);
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(format!("ir__{name}"), ir);
        insta::assert_snapshot!(format!("rust__{name}"), rust);
    });
}

#[test]
fn every_docs_input_page() {
    let docs = common::workspace().join("docs-input");
    let input = Input::read(std::slice::from_ref(&docs)).expect("docs-input is readable");
    assert!(input.pages.len() >= 30, "docs-input has {} pages", input.pages.len());
    for file in input.pages.keys() {
        let name = file.trim_end_matches(".md").replace('/', "__");
        snapshot_page(&name, &docs.join(file));
    }
}

#[test]
fn seed_page() {
    let Some(seed) = common::seed() else { return };
    snapshot_page("seed__update-relations", &seed);
}

#[test]
fn whole_docs_input_model() {
    let input = Input::read(&[common::workspace().join("docs-input")]).expect("docs-input is readable");
    let model = docbind::build_model(&input);
    assert!(model.diagnostics.is_empty(), "docs-input has diagnostics: {:#?}", model.diagnostics);
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_json_snapshot!("ir__docs-input", model);
    });
}

/// The API listing the emitter reads from items as it formats them is the listing of the files it
/// wrote, parsed again: it shows exactly what users get.
#[test]
fn emitted_api_is_the_api_of_the_written_files() {
    let input = Input::read(&[common::workspace().join("docs-input")]).expect("docs-input is readable");
    let settings = docbind::emit::Settings::standalone(&input.name);
    let (_, emitted) = docbind::generate_sources(&input, &settings);
    let api = emitted.api.expect("asked for");
    assert!(api.lines().count() > 100, "{api}");
    assert!(api.contains("crate::sites() -> paths::Sites [sharepoint]\n"), "{api}");
    assert_eq!(api, docbind::api::listing(&emitted.files));
}
