//! docbind's parse + resolve over the whole Graph corpus, against a raw pulldown-cmark parse of the
//! same bytes, single-threaded, in one run (so the ratio holds on a noisy machine).
//!
//! `cargo bench -p docbind --bench corpus` (the corpus is found through `DOCBIND_CORPUS`, default
//! `../shared/graph-docs` from the workspace root).

use std::path::PathBuf;
use std::sync::OnceLock;

use docbind::Input;

/// The allocator the `docbind` CLI uses, so that these figures are the CLI's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// Both versions of the corpus, read once.
fn corpus() -> &'static [Input] {
    static CORPUS: OnceLock<Vec<Input>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let configured =
            std::env::var_os("DOCBIND_CORPUS").map(PathBuf::from).unwrap_or_else(|| "../shared/graph-docs".into());
        let corpus = if configured.is_absolute() { configured } else { root.join(configured) };
        assert!(corpus.is_dir(), "the Graph docs corpus is not at {}; set DOCBIND_CORPUS", corpus.display());
        ["v1.0", "beta"].iter().map(|v| Input::read(&[corpus.join(v)]).expect("corpus is readable")).collect()
    })
}

fn single_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool").install(work)
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn raw_pulldown_cmark() -> usize {
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    corpus()
        .iter()
        .flat_map(|input| input.pages.values())
        .map(|text| pulldown_cmark::Parser::new_ext(text, options).into_offset_iter().count())
        .sum()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn docbind_parse_and_resolve() -> usize {
    single_thread(|| corpus().iter().map(|input| docbind::build_model(input).operations.len()).sum())
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn docbind_parse_and_resolve_parallel() -> usize {
    corpus().iter().map(|input| docbind::build_model(input).operations.len()).sum()
}

/// Stage 1 alone: pulldown-cmark plus docbind's block building.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn stage_markdown() -> usize {
    corpus().iter().flat_map(|input| input.pages.values()).map(|text| docbind::markdown::parse(text).blocks.len()).sum()
}

/// Stages 1 and 2: blocks grouped into sections, front matter and annotations read.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn stage_sections() -> usize {
    corpus()
        .iter()
        .flat_map(|input| input.pages.iter())
        .map(|(file, text)| {
            let mut diagnostics = docbind::diagnostics::Diagnostics::default();
            docbind::sections::split(file, text, &mut diagnostics).sections.len()
        })
        .sum()
}

/// The least any reader of these pages does: the raw parse above, plus reading every JSON body and
/// `<!-- { ... } -->` annotation into a `serde_json::Value` (strictly; snippets that fail are skipped).
/// docbind's ratio cannot go below this one's.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn floor_parse_and_json() -> usize {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let parse = |snippet: &str| {
        let snippet = snippet.trim();
        let is_json = snippet.starts_with('{') || snippet.starts_with('[');
        usize::from(is_json && serde_json::from_str::<serde_json::Value>(snippet).is_ok())
    };
    let mut parsed = 0;
    for text in corpus().iter().flat_map(|input| input.pages.values()) {
        let mut block = String::new();
        for (event, _) in
            pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::ENABLE_TABLES).into_offset_iter()
        {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => block.clear(),
                Event::Text(t) | Event::Html(t) => block.push_str(&t),
                Event::End(TagEnd::CodeBlock) => parsed += parse(&block),
                Event::End(TagEnd::HtmlBlock) => {
                    for comment in block.split("<!--").skip(1) {
                        parsed += parse(comment.split("-->").next().unwrap_or_default());
                    }
                }
                _ => {}
            }
        }
    }
    parsed
}
