//! Every documented request line is reached by walking its path: for each operation of the v1.0 and
//! beta corpora (and of docs-input), the steps of its route put together exactly the request line's
//! path, worked out here from the line as documented. The generated crates check the same with the
//! real generated code (`request_lines_walk_to_their_paths_*` in their `examples.rs`).
//!
//! Literal text is compared ignoring ASCII case (Graph's paths do; one step spelling serves pages
//! that spell a segment differently), `...` ("nested to any depth") is walked once, and a trailing
//! `/` or the closing `:` of `root:/{path}:` at the end of a line is not part of the path.

mod common;

use docbind::ir::{Model, PathPiece};
use docbind::Input;

/// The documented path with `{}` for every value, `...` walked once.
fn documented(operation: &docbind::ir::Operation) -> String {
    let mut text = String::new();
    for piece in &operation.path_template.segments {
        match piece {
            PathPiece::Literal(literal) => text.push_str(literal),
            PathPiece::Parameter(_) => text.push_str("{}"),
        }
    }
    text.replace("/.../", "/")
}

fn normalized(path: &str) -> String {
    path.trim_end_matches(['/', ':']).to_ascii_lowercase()
}

/// The operations whose walk does not give their request line, as `documented → walked` lines.
fn misses(model: &Model, names: &docbind::naming::Names) -> (usize, Vec<String>) {
    let tree = &names.paths;
    let mut exact = 0;
    let mut misses = Vec::new();
    for (operation, route) in model.operations.iter().zip(&tree.routes) {
        let walked = tree.walk_text(route);
        let documented = documented(operation);
        if normalized(&walked) != normalized(&documented) {
            misses.push(format!("{} {} → {walked}", operation.method.as_str(), operation.path));
            continue;
        }
        let method = &tree.nodes[route.node].methods[route.method];
        assert_eq!(method.method, operation.method, "{}", operation.path);
        let wanted = docbind::paths::method_query(operation).iter().filter(|(_, v)| v.contains('{')).count();
        assert!(method.query_params.len() >= wanted, "{}: the method takes the query values", operation.path);
        if walked.trim_end_matches(['/', ':']) == documented.trim_end_matches(['/', ':']) {
            exact += 1;
        }
    }
    (exact, misses)
}

fn check(name: &str, input: &Input) {
    let build = docbind::build(input);
    let (exact, misses) = misses(&build.model, &build.names);
    let total = build.model.operations.len();
    assert!(
        misses.is_empty(),
        "{name}: {} of {total} request lines are not walked:\n{}",
        misses.len(),
        misses.join("\n")
    );
    println!("{name}: {total} request lines walked, {exact} of them with the page's own spelling");
}

#[test]
fn every_docs_input_request_line_is_walked() {
    let input = Input::read(&[common::workspace().join("docs-input")]).expect("docs-input is readable");
    check("docs-input", &input);
}

#[test]
fn every_corpus_request_line_is_walked() {
    let corpus = common::corpus();
    for version in ["v1.0", "beta"] {
        let input = Input::read(&[corpus.join(version)]).expect("corpus is readable");
        check(version, &input);
    }
}
