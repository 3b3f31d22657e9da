//! The real Graph docs (../shared/graph-docs, found through `DOCBIND_CORPUS`) go through parse and
//! resolve without docbind failing on any page, and yield a model of the expected size.

mod common;

use docbind::Input;

#[test]
fn every_corpus_page_parses_and_resolves() {
    let corpus = common::corpus();
    for version in ["v1.0", "beta"] {
        let input = Input::read(&[corpus.join(version)]).expect("corpus is readable");
        let model = docbind::build_model(&input);
        let internal: Vec<_> = model.diagnostics.iter().filter(|d| d.code == "DB999").collect();
        assert!(internal.is_empty(), "docbind failed on {} {version} pages: {internal:#?}", internal.len());
        eprintln!(
            "{version}: {} pages, {} operations, {} types, {} enums, {} diagnostics",
            input.pages.len(),
            model.operations.len(),
            model.types.len(),
            model.enums.len(),
            model.diagnostics.len()
        );
        // Floors well below what the corpus holds (FORMAT-NOTES counts ~7,100 api pages, ~3,350
        // annotated resources, ~600 enum pages over both versions), so that a parser regression that
        // silently drops pages fails here.
        let (pages, operations, types, enums) =
            if version == "v1.0" { (3_300, 2_000, 900, 250) } else { (7_900, 5_000, 2_000, 600) };
        assert!(input.pages.len() >= pages, "{version}: {} pages", input.pages.len());
        assert!(model.operations.len() >= operations, "{version}: {} operations", model.operations.len());
        assert!(model.types.len() >= types, "{version}: {} types", model.types.len());
        assert!(model.enums.len() >= enums, "{version}: {} enums", model.enums.len());
    }
}
