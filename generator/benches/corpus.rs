//! docbind's parse + resolve over the whole Graph corpus, against a raw pulldown-cmark parse of the
//! same bytes, single-threaded, in one run.
//!
//! `cargo bench -p docbind --bench corpus` (the corpus is found through `DOCBIND_CORPUS`, default
//! `../shared/graph-docs` from the workspace root). The `paired` bench gives the ratios steadier.

mod support;

/// The allocator the `docbind` CLI uses, so that these figures are the CLI's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn raw_pulldown_cmark() -> usize {
    support::raw_pulldown_cmark()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn docbind_parse_and_resolve() -> usize {
    support::docbind_parse_and_resolve()
}

/// The raw parse with the pages read from disk, as a whole process does it.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn raw_from_files() -> usize {
    support::raw_from_files()
}

/// docbind's parse + resolve with the folders read from disk, on one thread.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn docbind_from_files() -> usize {
    support::docbind_from_files()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn docbind_parse_and_resolve_parallel() -> usize {
    support::corpus().iter().map(|input| docbind::build_model(input).call_count()).sum()
}

/// Stage 1 alone: pulldown-cmark plus docbind's block building.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn stage_markdown() -> usize {
    support::stage_markdown()
}

/// Stages 1 and 2: blocks grouped into sections, front matter and annotations read.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn stage_sections() -> usize {
    support::stage_sections()
}

/// The least any reader of these pages does (see [`support::floor_parse_and_json`]).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn floor_parse_and_json() -> usize {
    support::floor_parse_and_json()
}
