//! Every input the fuzzers ever crashed on (`fuzz/regressions/<target>/`), run through the same check
//! the fuzz target runs. A crash found by `cargo fuzz` is fixed, and its input saved here.

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != ".keep"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    inputs.sort();
    inputs
}

fn run(target: &str, check: fn(&[u8])) {
    for (name, bytes) in inputs(target) {
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        assert!(outcome.is_ok(), "{target} regression input {name} fails again");
    }
}

#[test]
fn page_regressions() {
    run("page", docbind::checks::page);
}

#[test]
fn resolve_regressions() {
    run("resolve", docbind::checks::resolve);
}

#[test]
fn emit_regressions() {
    run("emit", docbind::checks::emit);
}
