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
fn documented(line: &docbind::ir::RequestLine) -> String {
    let mut text = String::new();
    for piece in &line.path_template.segments {
        match piece {
            // A space is never part of a URL; the steps leave it out.
            PathPiece::Literal(literal) => text.extend(literal.chars().filter(|c| *c != ' ')),
            PathPiece::Parameter(_) => text.push_str("{}"),
        }
    }
    text.replace("/.../", "/")
}

fn normalized(path: &str) -> String {
    path.trim_end_matches(['/', ':']).to_ascii_lowercase()
}

/// The request lines whose walk does not give them, as `documented → walked` lines.
fn misses(model: &Model, names: &docbind::naming::Names) -> (usize, Vec<String>) {
    let tree = &names.paths;
    let mut exact = 0;
    let mut misses = Vec::new();
    assert_eq!(tree.routes.len(), model.call_count(), "a route for every request line");
    for (id, call) in model.calls() {
        let (line, route) = (call.line, &tree.routes[&id]);
        let walked = tree.walk_text(route);
        let documented = documented(line);
        if normalized(&walked) != normalized(&documented) {
            misses.push(format!("{} {} → {walked}", line.method.as_str(), line.path));
            continue;
        }
        let method = &tree.nodes[route.node].methods[route.method];
        assert_eq!(method.method, line.method, "{}", line.path);
        let wanted = docbind::paths::method_query(line).iter().filter(|(_, v)| v.contains('{')).count();
        assert!(method.query_params.len() >= wanted, "{}: the method takes the query values", line.path);
        if walked.trim_end_matches(['/', ':']) == documented.trim_end_matches(['/', ':']) {
            exact += 1;
        }
    }
    (exact, misses)
}

fn check(name: &str, input: &Input) {
    let build = docbind::build(input);
    let (exact, misses) = misses(&build.model, &build.names);
    let total = build.model.call_count();
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
        let id = build.model.calls().find(|(_, c)| c.line.path == path).expect(path).0;
        let route = &tree.routes[&id];
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
        let id = build.model.calls().find(|(_, c)| c.line.path.contains("/.../")).unwrap().0;
        // me, mail_folders, id, child_folders, id: where the fifth step leads.
        let step = &tree.routes[&id].steps[4];
        tree.nodes[step.node].edges[step.edge].target
    };
    let back = tree.nodes[folder_item].edges.iter().find(|e| e.name == "child_folders").expect("a repeated step");
    // `/me` is `/users/{id}`: the node is named by the plain way, which the page also documents.
    assert_eq!(tree.nodes[back.target].template, "/users/{id | userPrincipalName}/mailFolders/{id}/childFolders");
    // Every line walks to itself.
    let (_, missed) = misses(&build.model, &build.names);
    assert!(missed.is_empty(), "{missed:?}");
}

/// Graph's aliases: `/me` is `/users/{id}`, a drive's `root` is one of its items, and an item by
/// its path (`root:/{path}:`, `items/{id}:/{path}:`) is an item. Each leads to the node of the
/// plain form, so every request of one is a request of the others, and an example that writes one
/// where its page's request line writes the other is a test through the alias.
#[test]
fn aliases_lead_to_the_node_of_the_plain_form() {
    let get_item = "---\ntitle: \"Get item\"\n---\n# Get item\nNamespace: microsoft.graph\n\n## HTTP request\n```http\nGET /users/{user-id}/drive/items/{item-id}\nGET /users/{user-id}/messages\nGET /me/drive/root\n```\n\n## Response\nIf successful, this method returns a `200 OK` response code and a [driveItem](../resources/driveitem.md) object.\n";
    let upload = "---\ntitle: \"Upload\"\n---\n# Upload\nNamespace: microsoft.graph\n\n## HTTP request\n```http\nPUT /users/{user-id}/drive/items/{item-id}/content\n```\n\n## Response\nIf successful, this method returns a `201 Created` response code and a [driveItem](../resources/driveitem.md) object.\n\n## Example\n\n<!-- { \"blockType\": \"request\", \"name\": \"upload_by_path\" } -->\n```http\nPUT https://graph.microsoft.com/v1.0/me/drive/root:/Folder%20A/notes.txt:/content\nContent-Type: text/plain\n\nhello\n```\n\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.driveItem\" } -->\n```http\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{\"id\": \"0123\"}\n```\n";
    let by_path = "---\ntitle: \"Children by path\"\n---\n# Children by path\nNamespace: microsoft.graph\n\n## HTTP request\n```http\nGET /me/drive/root:/{item-path}:/children\n```\n\n## Response\nIf successful, this method returns a `200 OK` response code and a collection of [driveItem](../resources/driveitem.md) objects.\n";
    let item = "---\ntitle: \"driveItem resource type\"\n---\n# driveItem resource type\nNamespace: microsoft.graph\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|Id.|\n";
    let input = Input::from_pages(
        "t",
        [
            ("api/get-item.md", get_item),
            ("api/upload.md", upload),
            ("api/by-path.md", by_path),
            ("resources/driveitem.md", item),
        ],
    );
    let build = docbind::build(&input);
    let tree = &build.names.paths;
    let route_of = |path: &str| {
        let id = build.model.calls().find(|(_, c)| c.line.path == path).expect(path).0;
        &tree.routes[&id]
    };
    let names = |route: &docbind::paths::Route| -> String {
        let mut names: Vec<&str> = route.steps.iter().map(|s| tree.nodes[s.node].edges[s.edge].name.as_str()).collect();
        names.push(&tree.nodes[route.node].methods[route.method].name);
        names.join(".")
    };
    let end = |path: &str| (route_of(path).node, route_of(path).method);
    assert_eq!(names(route_of("/me/drive/root:/{item-path}:/children")), "me.drive.root.path.children.list");
    assert_eq!(names(route_of("/me/drive/root")), "me.drive.root.get");
    // The root item, an item by path and an item by id are one node: one `get`, one `children`.
    assert_eq!(end("/me/drive/root"), end("/users/{user-id}/drive/items/{item-id}"));
    let item_node = route_of("/users/{user-id}/drive/items/{item-id}").node;
    assert_eq!(tree.nodes[item_node].struct_name, "UsersItemDriveItemsItem", "named by the plain way");
    let by_path_step = tree.nodes[item_node].edges.iter().find(|e| e.name == "path").expect("path(..) on an item");
    assert_eq!((by_path_step.target, by_path_step.alias), (item_node, true));
    // `me()` is `users().id(..)`: the request of one is the request of the other.
    let me = tree.nodes[0].edges.iter().find(|e| e.name == "me").expect("me()");
    let users_item = route_of("/users/{user-id}/messages").steps[1].clone();
    assert_eq!(me.target, tree.nodes[users_item.node].edges[users_item.edge].target);

    // The upload example writes `/me/drive/root:/{path}:/content` for the page's
    // `/users/{user-id}/drive/items/{item-id}/content`: it is a test, through `me()`, `root()` and
    // `path(..)`.
    let upload = build.model.calls().map(|(_, c)| c).find(|c| c.line.path.ends_with("/content")).unwrap();
    let values = upload.example_values(&upload.line.examples[0]).expect("a test through the aliases");
    assert_eq!(
        values.aliases,
        [docbind::ir::UrlAlias::Me, docbind::ir::UrlAlias::DriveRootPath("Folder A/notes.txt".to_string())]
    );
    let (_, files) = docbind::generate_with(&input, true);
    let examples = &files["examples.rs"];
    let squeezed: String = examples.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squeezed
            .contains(r#"crate::me().drive().root().path("FolderA/notes.txt").content().put("text/plain","hello")"#),
        "{examples}"
    );
    assert!(squeezed.contains(r#""/me/drive/root:/Folder%20A/notes.txt:/content""#), "{examples}");
    let (_, missed) = misses(&build.model, &build.names);
    assert!(missed.is_empty(), "{missed:?}");
}
