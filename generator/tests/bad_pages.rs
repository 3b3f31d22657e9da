//! Bad pages never panic and never stop the run: each problem becomes a located diagnostic with a
//! stable code, and the good pages still generate.

use std::collections::BTreeMap;

use docbind::diagnostics::Diagnostic;
use docbind::ir::ContradictionKind;
use docbind::Input;

const GOOD: &str = r#"---
title: "Get thing"
---
# Get thing
Namespace: microsoft.graph

Read a thing.

## HTTP request
``` http
GET /things/{thing-id}
```

## Response
If successful, this method returns a `200 OK` response code and a [thing](thing.md) object in the response body.
"#;

const THING: &str = r#"---
title: "thing resource type"
---
# thing resource type
Namespace: microsoft.graph

## Properties
|Property|Type|Description|
|:---|:---|:---|
|id|String|Identifier.|
|owner|[person](person.md)|Not documented anywhere.|
|size|Int64|Bytes.|
"#;

const BAD_ANNOTATION: &str = r#"---
title: "Bad annotation"
---
# Bad annotation

## HTTP request
<!-- { "blockType": "ignored", "name": "x -->
``` http
GET /bad
```

## Response
If successful, this method returns a `204 No Content` response code.

## Examples
### Request
<!-- { "blockType": "request", "name": "bad", } -->
``` http
POST https://graph.microsoft.com/v1.0/bad
Content-Type: application/json

{ "a": 1,, }
```
"#;

const NO_RESPONSE: &str =
    "---\ntitle: \"No response\"\n---\n# No response\n\n## HTTP request\n```http\nDELETE /things/{id}\n```\n";

const NO_REQUEST_LINE: &str =
    "---\ntitle: \"Prose only\"\n---\n# Prose only\n\n## HTTP request\n```http\nSee the other page.\n```\n";

const BROKEN_FRONT_MATTER: &str = "---\ntitle: [unclosed\n---\n# Broken\n";

const UNCLOSED: &str =
    "---\ntitle: \"Unclosed\"\n---\n# Unclosed\n\n## HTTP request\n```http\nGET /open\n<!-- {\n|a|b\n|-|\n|1|2|3|\n";

fn run(pages: &[(&str, &str)]) -> docbind::ir::Model {
    let pages: BTreeMap<String, String> = pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    docbind::build_model(&Input { includes: Default::default(), pages, name: "test".into() })
}

fn codes(diagnostics: &[Diagnostic], file: &str) -> Vec<(String, u32)> {
    diagnostics.iter().filter(|d| d.file == file).map(|d| (d.code.clone(), d.line)).collect()
}

#[test]
fn every_problem_is_located_and_the_rest_still_generates() {
    let model = run(&[
        ("api/get.md", GOOD),
        ("api/thing.md", THING),
        ("api/bad-annotation.md", BAD_ANNOTATION),
        ("api/no-response.md", NO_RESPONSE),
        ("api/prose.md", NO_REQUEST_LINE),
        ("api/broken.md", BROKEN_FRONT_MATTER),
        ("api/unclosed.md", UNCLOSED),
        ("api/empty.md", ""),
    ]);
    let d = &model.diagnostics;
    assert!(codes(d, "api/bad-annotation.md").contains(&("DB002".into(), 7)), "{d:#?}");
    assert!(codes(d, "api/bad-annotation.md").contains(&("DB003".into(), 17)), "{d:#?}");
    assert!(codes(d, "api/bad-annotation.md").contains(&("DB004".into(), 22)), "{d:#?}");
    assert!(codes(d, "api/thing.md").contains(&("DB006".into(), 11)), "unknown type `person`: {d:#?}");
    assert!(codes(d, "api/thing.md").contains(&("DB007".into(), 11)), "link to person.md: {d:#?}");
    assert!(codes(d, "api/no-response.md").contains(&("DB009".into(), 8)), "{d:#?}");
    assert!(codes(d, "api/prose.md").contains(&("DB008".into(), 6)), "{d:#?}");
    assert!(codes(d, "api/broken.md").iter().any(|(c, _)| c == "DB001"), "{d:#?}");
    assert!(codes(d, "api/empty.md").contains(&("DB001".into(), 1)), "{d:#?}");
    assert!(d.iter().all(|d| d.code != "DB999"), "no page made docbind fail: {d:#?}");

    // The good page and its type still come out, typed.
    let get = model.operations.iter().find(|o| o.name == "Get thing").expect("the good operation");
    assert_eq!(get.request_lines[0].response.status, Some(200));
    let thing = model.types.iter().find(|t| t.name == "microsoft.graph.thing").expect("the good type");
    assert_eq!(thing.properties.len(), 3);
    let (_, files) = docbind::generate(&Input {
        includes: Default::default(),
        pages: [("api/get.md", GOOD), ("api/thing.md", THING)]
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
        name: "test".into(),
    });
    let graph = &files["graph.rs"];
    assert!(
        files["paths.rs"].contains("pub fn get(&self) -> ::docbind_runtime::Request<crate::graph::Thing>"),
        "{files:?}"
    );
    assert!(graph.contains("pub owner: ::std::option::Option<::docbind_runtime::serde_json::Value>"), "{graph}");
}

#[test]
fn bytes_that_are_not_utf8_and_crlf_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF---\r\ntitle: \"x\"\r\n---\r\n# Get \xFF thing\r\n\r\n## HTTP request\r\n```http\r\nGET /x\r\n```\r\n".to_vec();
    bytes.extend_from_slice(
        b"\r\n## Response\r\nIf successful, this method returns a `204 No Content` response code.\r\n",
    );
    std::fs::write(dir.path().join("x.md"), bytes).unwrap();
    let input = Input::read(&[dir.path().to_path_buf()]).unwrap();
    let model = docbind::build_model(&input);
    assert_eq!(model.call_count(), 1);
    let line = &model.operations[0].request_lines[0];
    assert_eq!(line.path, "/x");
    assert_eq!(line.response.status, Some(204));
}

const CONTRADICTING_EXAMPLE: &str = r##"---
title: "Get thing"
---
# Get thing
Namespace: microsoft.graph

## HTTP request
``` http
GET /things/{thing-id}
```

## Response
If successful, this method returns a `200 OK` response code and a [thing](thing.md) object in the response body.

## Example
### Request
<!-- { "blockType": "request", "name": "get_thing" } -->
``` http
GET https://graph.microsoft.com/v1.0/things/1
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 200 OK
Content-Type: application/json

{ "@odata.type": "#microsoft.graph.thing", "id": "1", "size": "big", "colour": "red" }
```
"##;

#[test]
fn examples_that_contradict_the_tables_are_located_diagnostics() {
    let model = run(&[("api/get.md", CONTRADICTING_EXAMPLE), ("api/thing.md", THING)]);
    let found = codes(&model.diagnostics, "api/get.md");
    assert!(found.contains(&("DB016".into(), 25)), "colour is not a property: {found:?}");
    assert!(found.contains(&("DB017".into(), 25)), "size is an Int64: {found:?}");
    let messages: Vec<&str> = model.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("response $.colour")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("response $.size")), "{messages:?}");
    // The example carries where it contradicts the tables, for the generated example tests.
    let get = model.operations.iter().find(|o| o.name == "Get thing").unwrap();
    let found: Vec<(&str, ContradictionKind)> =
        get.request_lines[0].examples[0].contradictions.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    assert_eq!(
        found,
        [("$.colour", ContradictionKind::UndocumentedProperty), ("$.size", ContradictionKind::WrongType)]
    );
    let generate = |get: &str| {
        let pages = [("api/get.md", get), ("api/thing.md", THING)];
        let pages = pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        docbind::generate_with(&Input { includes: Default::default(), pages, name: "test".into() }, true).1
    };
    // A wrong type means the typed client cannot read the example: no test, and the file says why.
    let files = generate(CONTRADICTING_EXAMPLE);
    assert!(!files["examples.rs"].contains("async fn"), "{}", files["examples.rs"]);
    assert!(files["examples.rs"].contains("another type than the docs' own tables say"), "{}", files["examples.rs"]);
    // A property the tables lack is only excused: the test still expects every documented field.
    let files = generate(&CONTRADICTING_EXAMPLE.replace(r#""size": "big""#, r#""size": 5"#));
    assert!(files["examples.rs"].contains("async fn"), "{}", files["examples.rs"]);
    assert!(files["examples.rs"].contains(r#"&["$.colour"]"#), "{}", files["examples.rs"]);
}
