//! What both corpus benches share: the corpus, read once, and the work docbind is compared with.

use std::path::PathBuf;
use std::sync::OnceLock;

use docbind::Input;

/// Both versions of the corpus, read once.
pub fn corpus() -> &'static [Input] {
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

pub fn single_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool").install(work)
}

/// The raw pulldown-cmark parse of every page (tables on, as docbind parses), each event visited.
pub fn raw_pulldown_cmark() -> usize {
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    corpus()
        .iter()
        .flat_map(|input| input.pages.values())
        .map(|text| pulldown_cmark::Parser::new_ext(text, options).into_offset_iter().count())
        .sum()
}

/// docbind's parse + resolve of both versions, on one thread.
pub fn docbind_parse_and_resolve() -> usize {
    single_thread(|| corpus().iter().map(|input| docbind::build_model(input).call_count()).sum())
}

/// Stage 1 alone: pulldown-cmark plus docbind's block building.
pub fn stage_markdown() -> usize {
    corpus().iter().flat_map(|input| input.pages.values()).map(|text| docbind::markdown::parse(text).blocks.len()).sum()
}

/// Stages 1 and 2: blocks grouped into sections, front matter and annotations read.
pub fn stage_sections() -> usize {
    corpus()
        .iter()
        .flat_map(|input| input.pages.iter().map(move |page| (page, &input.includes)))
        .map(|((file, text), includes)| {
            let mut diagnostics = docbind::diagnostics::Diagnostics::default();
            docbind::sections::split(file, text, includes, &mut diagnostics).sections.len()
        })
        .sum()
}

/// The least any reader of these pages does: the raw parse above, plus reading every JSON body and
/// `<!-- { ... } -->` annotation into a `serde_json::Value` (strictly; snippets that fail are skipped).
/// docbind's ratio cannot go below this one's.
pub fn floor_parse_and_json() -> usize {
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
