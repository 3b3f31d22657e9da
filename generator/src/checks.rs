//! Properties that must hold for any input, whatever its bytes. The fuzz targets (`fuzz/`) and the
//! regression tests (`generator/tests/fuzz_regressions.rs`) call these same functions, so a crash
//! found by fuzzing becomes a test by saving its input.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::{emit, lower, sections, Input};

/// Pages in one fuzz input are separated by this line.
pub const PAGE_SEPARATOR: &[u8] = b"\n=====\n";

/// One page, from bytes through markdown, sections and lowering. Panics are the failures.
pub fn page(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut diagnostics = Diagnostics::default();
    let includes = Default::default();
    let page = sections::split("api/fuzz.md", &text, &includes, &mut diagnostics);
    let _ = lower::lower(&page, &mut diagnostics);
}

/// Up to eight pages (alternately under `api/` and `resources/`; the seventh is an include file,
/// `includes/page6.md`), parsed and resolved together.
pub fn input_of(bytes: &[u8]) -> Input {
    let mut pages = BTreeMap::new();
    let mut rest = bytes;
    for index in 0..8 {
        let (page, next) = match memchr::memmem::find(rest, PAGE_SEPARATOR) {
            Some(at) if index < 7 => (&rest[..at], &rest[at + PAGE_SEPARATOR.len()..]),
            _ => (rest, &[][..]),
        };
        let folder = match index {
            6 => "includes",
            _ if index % 2 == 0 => "api",
            _ => "resources",
        };
        pages.insert(format!("{folder}/page{index}.md"), String::from_utf8_lossy(page).into_owned());
        if next.is_empty() {
            break;
        }
        rest = next;
    }
    let (includes, pages) = pages.into_iter().partition(|(file, _)| file.starts_with("includes/"));
    Input { pages, includes, name: "fuzz".into() }
}

/// Several pages through resolve; the model must serialize.
pub fn resolve(bytes: &[u8]) {
    let model = crate::build_model(&input_of(bytes));
    serde_json::to_string(&model).expect("the model serializes");
}

/// Several pages through resolve and emit; every emitted file must parse as a Rust file.
pub fn emit(bytes: &[u8]) {
    let build = crate::build(&input_of(bytes));
    let settings =
        emit::Settings { input_name: "fuzz".into(), example_tests: true, area_features: true, api_listing: true };
    let emitted = emit::emit(&build.model, &build.names, &settings);
    let files = emitted.files;
    for (name, content) in files {
        assert!(
            !content.contains("compile_error!("),
            "{name}: the emitter produced tokens that do not parse:\n{content}"
        );
        if let Err(error) = syn::parse_file(&content) {
            panic!("{name} is not a Rust file: {error}\n{content}");
        }
    }
}
