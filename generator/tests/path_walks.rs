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
    let Some(corpus) = common::corpus() else { return };
    for version in ["v1.0", "beta"] {
        let input = Input::read(&[corpus.join(version)]).expect("corpus is readable");
        check(version, &input);
    }
}

/// A page with one request line per kind of segment: what each is named, and where it leads.
#[test]
fn each_kind_of_segment_has_its_step() {
    let lines = [
        "GET /me/drive/root:/{item-path}:/content",
        "GET /me/mailFolders/{id}/childFolders/{id}/.../messages/{id}",
        "GET /groups/{id}/members/microsoft.graph.user",
        "GET /groups/{id}/members/$count",
        "POST /groups/{id}/members/$ref",
        "GET /me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='{address}')",
        "POST /me/sendMail",
        "GET /users/{id | userPrincipalName}",
        "GET /self/{type}",
    ];
    let page = format!(
        "---\ntitle: \"Steps\"\n---\n# Steps\nNamespace: microsoft.graph\n\n## HTTP request\n```http\n{}\n```\n\n## Response\nIf successful, this method returns a `200 OK` response code and a [user](../resources/user.md) object.\n",
        lines.join("\n")
    );
    let user = "---\ntitle: \"user resource type\"\n---\n# user resource type\nNamespace: microsoft.graph\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|Id.|\n";
    let input = Input {
        includes: Default::default(),
        pages: [("api/steps.md", page.as_str()), ("resources/user.md", user)]
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
        name: "t".into(),
    };
    let build = docbind::build(&input);
    let tree = &build.names.paths;
    let chain = |path: &str| -> String {
        let index = build.model.operations.iter().position(|o| o.path == path).expect(path);
        let route = &tree.routes[index];
        let mut names: Vec<&str> = route.steps.iter().map(|s| tree.nodes[s.node].edges[s.edge].name.as_str()).collect();
        names.push(&tree.nodes[route.node].methods[route.method].name);
        names.join(".")
    };
    assert_eq!(chain("/me/drive/root:/{item-path}:/content"), "me.drive.root.path.content.get");
    assert_eq!(
        chain("/me/mailFolders/{id}/childFolders/{id}/.../messages/{id}"),
        "me.mail_folders.id.child_folders.id.messages.id.get"
    );
    assert_eq!(chain("/groups/{id}/members/microsoft.graph.user"), "groups.id.members.as_user.get");
    assert_eq!(chain("/groups/{id}/members/$count"), "groups.id.members.count.get");
    assert_eq!(chain("/groups/{id}/members/$ref"), "groups.id.members.ref_.post");
    assert_eq!(
        chain("/me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='{address}')"),
        "me.drive.items.id.workbook.worksheets.id.range.get"
    );
    // An action that ends its path is called on its parent.
    assert_eq!(chain("/me/sendMail"), "me.send_mail");
    assert_eq!(chain("/users/{id | userPrincipalName}"), "users.id.get");
    assert_eq!(chain("/self/{type}"), "self_.id.get");

    // `...`: the step after `childFolders/{id}` leads back to `childFolders`, so folders nest.
    let folder_item = {
        let index = build.model.operations.iter().position(|o| o.path.contains("/.../")).unwrap();
        // me, mail_folders, id, child_folders, id: where the fifth step leads.
        let step = &tree.routes[index].steps[4];
        tree.nodes[step.node].edges[step.edge].target
    };
    let back = tree.nodes[folder_item].edges.iter().find(|e| e.name == "child_folders").expect("a repeated step");
    assert_eq!(tree.nodes[back.target].template, "/me/mailFolders/{id}/childFolders");
    // Every line walks to itself.
    let (_, missed) = misses(&build.model, &build.names);
    assert!(missed.is_empty(), "{missed:?}");
}
