//! What both corpus benches share: the corpus, read once, and the work docbind is compared with.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use docbind::Input;

/// The folders of both versions of the corpus.
fn folders() -> [PathBuf; 2] {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let configured =
        std::env::var_os("DOCBIND_CORPUS").map(PathBuf::from).unwrap_or_else(|| "../shared/graph-docs".into());
    let corpus = if configured.is_absolute() { configured } else { root.join(configured) };
    assert!(corpus.is_dir(), "the Graph docs corpus is not at {}; set DOCBIND_CORPUS", corpus.display());
    ["v1.0", "beta"].map(|version| corpus.join(version))
}

/// One version's folder, read as docbind reads its input.
fn read(folder: &Path) -> Input {
    Input::read(&[folder.to_path_buf()]).expect("corpus is readable")
}

/// Both versions of the corpus, read once.
pub fn corpus() -> &'static [Input] {
    static CORPUS: OnceLock<Vec<Input>> = OnceLock::new();
    CORPUS.get_or_init(|| folders().iter().map(|folder| read(folder)).collect())
}

/// The raw pulldown-cmark parse of one page (tables on, as docbind parses), each event visited.
fn raw_events(text: &str) -> usize {
    pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::ENABLE_TABLES).into_offset_iter().count()
}

/// The raw parse as a whole process does it: every page found and read from disk, then parsed
/// ([`raw_events`]).
pub fn raw_from_files() -> usize {
    fn walk(dir: &Path, events: &mut usize) {
        for entry in std::fs::read_dir(dir).expect("corpus folder is readable") {
            let path = entry.expect("corpus folder is readable").path();
            if path.is_dir() {
                walk(&path, events);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                *events += raw_events(&std::fs::read_to_string(&path).expect("corpus page is readable"));
            }
        }
    }
    let mut events = 0;
    for folder in folders() {
        walk(&folder, &mut events);
    }
    events
}

/// docbind's parse + resolve as a whole process does it: each version's folder read
/// ([`Input::read`]), built into a model and dropped, on one thread.
pub fn docbind_from_files() -> usize {
    single_thread(|| folders().iter().map(|folder| docbind::build_model(&read(folder)).call_count()).sum())
}

pub fn single_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool").install(work)
}

/// The raw pulldown-cmark parse of every page ([`raw_events`]).
pub fn raw_pulldown_cmark() -> usize {
    corpus().iter().flat_map(|input| input.pages.values()).map(|text| raw_events(text)).sum()
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
