//! The adversarial page suite (`tests/adversarial/`, plus pages too large or too odd to commit, made
//! here): each page gets the diagnostic it must get, at its line, and everything around it still
//! generates. None may panic; the emitted Rust must parse.

use std::collections::BTreeMap;
use std::path::PathBuf;

use docbind::ir::Model;
use docbind::Input;

mod common;

fn suite() -> (Model, BTreeMap<String, String>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial");
    let input = Input::read(&[dir]).expect("the suite is readable");
    docbind::generate(&input)
}

fn has(model: &Model, file: &str, code: &str, line: u32) -> bool {
    model.diagnostics.iter().any(|d| d.file == file && d.code == code && d.line == line)
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_page_gets_its_diagnostic_at_its_line() {
    let (model, _) = suite();
    let expected = [
        ("bad-tables.md", "DB014", 11),
        ("case-collisions.md", "DB012", 11),
        ("case-collisions.md", "DB012", 13),
        ("case-collisions.md", "DB012", 14),
        ("empty.md", "DB001", 1),
        ("inheritance-cycles.md", "DB013", 8),
        ("inheritance-cycles.md", "DB013", 13),
        ("inheritance-cycles.md", "DB013", 18),
        ("inheritance-cycles.md", "DB013", 23),
        ("invalid-json.md", "DB005", 22),
        ("invalid-json.md", "DB004", 31),
        ("invalid-json.md", "DB004", 40),
        ("invalid-json.md", "DB004", 49),
        ("outside-links.md", "DB007", 7),
        ("unterminated-comment.md", "DB002", 14),
        ("unterminated-fence.md", "DB009", 8),
    ];
    for (file, code, line) in expected {
        assert!(has(&model, file, code, line), "no {code} at {file}:{line}; got {:#?}", model.diagnostics);
    }
    assert!(model.diagnostics.iter().all(|d| d.code != "DB999"), "docbind failed on a page");
    // Pages that are fine, however odd, get nothing.
    for quiet in [
        "keywords.md",
        "type-named-type.md",
        "odata-names.md",
        "self-typed.md",
        "eighty-lines.md",
        "only-front-matter.md",
    ] {
        let found: Vec<_> = model.diagnostics.iter().filter(|d| d.file == quiet).collect();
        assert!(found.is_empty(), "{quiet}: {found:#?}");
    }
}

#[test]
fn everything_around_the_problems_still_generates() {
    let (model, files) = suite();
    let count = |file: &str| model.calls().filter(|(_, c)| *c.line.source.file == *file).count();
    assert_eq!(count("eighty-lines.md"), 80);
    for file in
        ["keywords.md", "invalid-json.md", "unterminated-fence.md", "unterminated-comment.md", "outside-links.md"]
    {
        assert_eq!(count(file), 1, "{file}");
    }
    for name in ["loopy", "cycleA", "node", "widget", "gadget", "binding"] {
        assert!(model.types.iter().any(|t| t.name == format!("microsoft.graph.{name}")), "{name}");
    }
    // Cycles do not loop forever and inherit nothing twice.
    let cycle_a = model.types.iter().find(|t| t.name == "microsoft.graph.cycleA").unwrap();
    assert_eq!(cycle_a.properties.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);

    for (name, content) in &files {
        syn::parse_file(content).unwrap_or_else(|e| panic!("{name} does not parse: {e}\n{content}"));
    }
    let graph = squeeze(&files["graph.rs"]);
    let keywords = squeeze(&files["crate_.rs"]);
    let lib = squeeze(&files["root.rs"]);
    let paths = squeeze(&files["paths.rs"]);
    // `POST /self/{type}/move`: keywords escaped in steps, parameters and actions alike.
    for expected in [
        "pubfnself_()->crate::paths::SelfStep{",
        "pubfnid(&self,type_:&str)->SelfStepItem{",
        "pubfnmove_(&self,body:&crate::paths::SelfStepItemMoveBody,",
    ] {
        assert!(lib.contains(expected) || paths.contains(expected), "lacks `{expected}`:\n{}", files["paths.rs"]);
    }
    // Two pages documenting `GET /widgets/{widget-id}` are one request method naming both pages.
    let widget = paths.split("pubstructWidgetsItem{").nth(1).expect("the step of `/widgets/{widget-id}`");
    let widget = widget.split("pubstruct").next().unwrap_or_default();
    assert_eq!(widget.matches("pubfnget(").count(), 1, "{widget}");
    assert!(paths.contains("`duplicate-operation-1.md:9:1`,`duplicate-operation-2.md:9:1`"), "{}", files["paths.rs"]);
    // 80 request lines under one node: 80 steps named by their segments.
    for step in ["parts0", "parts79"] {
        assert!(paths.contains(&format!("pubfn{step}(&self)")), "lacks `{step}()`");
    }
    for expected in [
        "pubstructType{",
        "pubfinal_:",
        "pubwhere_:",
        "pubenumUse{",
        "Fn,",
        "Self_,",
        "Match,",
        "pubself_:",
        "publoop_:::std::option::Option<crate::crate_::Use>",
    ] {
        // The action's parameters (`self`) are in its body struct, beside the steps.
        let found = keywords.contains(&squeeze(expected)) || paths.contains(&squeeze(expected));
        assert!(found, "crate_.rs lacks `{expected}`:\n{}", files["crate_.rs"]);
    }
    for expected in [
        "pubname:",
        // A second spelling of a name gets a longer name that says so, never a number.
        "pubname_as_written:",
        "pubdisplay_name_as_written:",
        "Active,",
        "ActiveAsWritten,",
        "ACTIVE,",
        "pubodata_type:",
        "pubsite_odata_bind:",
        "pubmicrosoft_graph_conflict_behavior:",
        "pubn1st_place:",
        "pubnext:::std::option::Option<::std::boxed::Box<crate::graph::Node>>",
        "pubchildren:::std::option::Option<::std::vec::Vec<crate::graph::Node>>",
    ] {
        assert!(graph.contains(&squeeze(expected)), "graph.rs lacks `{expected}`");
    }
    // Renamed fields still read and write their documented JSON names.
    let pairs = [&files["crate_.rs"], &files["graph.rs"], &files["paths.rs"]].map(|f| common::wire_names(f)).concat();
    for (wire, field) in [("self", "self_"), ("Name", "name_as_written"), ("@odata.type", "odata_type")] {
        assert!(pairs.contains(&(wire.to_string(), field.to_string())), "`{wire}` is not read into `{field}`");
    }
}

#[test]
fn huge_deep_and_odd_bytes_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // 20 MB: a table of 100,000 rows and a 12 MB paragraph.
    let mut big = String::from("---\ntitle: \"big resource type\"\n---\n# big resource type\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n");
    for i in 0..100_000 {
        big.push_str(&format!(
            "|property{i}|String|Row {i} of a very long table, padded out to make the page large.|\n"
        ));
    }
    big.push('\n');
    big.push_str(&"All work and no play makes a long paragraph. ".repeat(12_000_000 / 45));
    big.push('\n');
    assert!(big.len() >= 20_000_000);
    std::fs::write(dir.path().join("big.md"), &big).unwrap();

    // 10,000-deep JSON, in an annotation and in an example body.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_page = format!(
        "---\ntitle: \"Get deep\"\n---\n# Get deep\n\n## HTTP request\n```http\nGET /deep\n```\n\n## Response\nIf successful, this method returns a `200 OK` response code.\n\n## Example\n<!-- {{ \"blockType\": \"request\", \"x\": {deep} }} -->\n```http\nGET https://graph.microsoft.com/v1.0/deep\n```\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{{ \"value\": {deep} }}\n```\n"
    );
    std::fs::write(dir.path().join("deep.md"), deep_page).unwrap();

    // A BOM, CRLF line endings and bytes that are not UTF-8.
    let odd = b"\xEF\xBB\xBF---\r\ntitle: \"Get odd\"\r\n---\r\n# Get \xC3\x28 odd \xFF\r\n\r\n## HTTP request\r\n```http\r\nGET /odd\r\n```\r\n\r\n## Response\r\nIf successful, this method returns a `204 No Content` response code.\r\n";
    std::fs::write(dir.path().join("odd.md"), odd).unwrap();

    let input = Input::read(&[dir.path().to_path_buf()]).unwrap();
    let (model, files) = docbind::generate(&input);
    let big_type = model.types.iter().find(|t| t.name == "microsoft.graph.big").expect("the big type");
    // The rows past the limit are a diagnostic at the first one left out (row 5,001 is on line 5,009).
    assert_eq!(big_type.properties.len(), docbind::sections::MAX_TABLE_ROWS);
    assert!(has(&model, "big.md", "DB018", 5_009), "{:#?}", model.diagnostics);
    assert!(has(&model, "deep.md", "DB002", 15), "{:#?}", model.diagnostics);
    assert!(has(&model, "deep.md", "DB004", 24), "{:#?}", model.diagnostics);
    let odd_line = model.calls().find(|(_, c)| c.line.path == "/odd").expect("the odd page's request line").1.line;
    assert_eq!(odd_line.response.status, Some(204));
    assert!(model.calls().any(|(_, c)| c.line.path == "/deep"));
    for content in files.values() {
        syn::parse_file(content).expect("emitted Rust parses");
    }
}
