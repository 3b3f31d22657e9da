//! The real Graph docs (../shared/graph-docs, found through `DOCBIND_CORPUS`): every page goes through
//! parse and resolve, the report's counts are a snapshot (so every parser change shows its effect on
//! the 11,289 pages as a reviewable diff), and the targets hold.

mod common;

use docbind::report::Report;
use docbind::Input;

#[test]
fn corpus_report() {
    let corpus = common::corpus();
    let mut builds = Vec::new();
    for version in ["v1.0", "beta"] {
        let input = Input::read(&[corpus.join(version)]).expect("corpus is readable");
        builds.push((version.to_string(), docbind::build(&input)));
    }
    let report = Report::new(&builds.iter().map(|(v, b)| (v.clone(), b)).collect::<Vec<_>>());
    assert!(report.panicked_pages.is_empty(), "docbind failed on {:?}", report.panicked_pages);
    assert_eq!(report.total.pages, 11_289, "the corpus should hold 11,289 pages");
    let missed: Vec<String> = report.targets().iter().filter(|t| !t.met).map(|t| t.to_string()).collect();
    assert!(missed.is_empty(), "targets missed:\n{}", missed.join("\n"));
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_json_snapshot!("corpus-report", report);
    });
}

/// The public API generated for each version, one line per item: a docs or generator change shows
/// here as a short diff of types, fields and functions.
#[test]
fn generated_api() {
    let corpus = common::corpus();
    for version in ["v1.0", "beta"] {
        let input = Input::read(&[corpus.join(version)]).expect("corpus is readable");
        let (_, files) = docbind::generate(&input);
        let listing = docbind::api::listing(&files);
        assert!(!listing.contains("does not parse"), "an emitted module of {version} does not parse");
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("api-{version}"), listing);
        });
    }
}
