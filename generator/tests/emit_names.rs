//! Names the docs use that are not Rust identifiers, and types that contain themselves, come out as
//! valid Rust: keywords get a trailing `_`, `@odata.*` names are recased and renamed back on the wire,
//! and a single-valued self reference is boxed. A referenced base type with derived types becomes an
//! enum of them all, chosen by `@odata.type`.

use std::collections::BTreeMap;

use docbind::Input;

mod common;

const POST: &str = r#"---
title: "post resource type"
---
# post resource type
Namespace: microsoft.graph

Inherits from [entity](entity.md).

## Properties
|Property|Type|Description|
|:---|:---|:---|
|self|String|Link to the post itself.|
|type|String|Kind of post.|
|@odata.type|String|The type name.|
|site@odata.bind|String|Binds a site.|
|3dModel|Binary|A model.|
|inReplyTo|[post](post.md)|The post this one answers.|
|replies|[post](post.md) collection|Answers to this post.|
"#;

const ENTITY: &str = r#"---
title: "entity resource type"
---
# entity resource type
Namespace: microsoft.graph

## Properties
|Property|Type|Description|
|:---|:---|:---|
|id|String|Identifier.|
"#;

#[test]
fn awkward_names_and_recursion_emit_valid_rust() {
    let pages: BTreeMap<String, String> =
        [("post.md", POST), ("entity.md", ENTITY)].iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let (model, files) = docbind::generate(&Input { includes: Default::default(), pages, name: "test".into() });
    assert!(model.diagnostics.is_empty(), "{:#?}", model.diagnostics);
    let graph = &files["graph.rs"];
    syn::parse_file(graph).expect("the emitted module parses as Rust");
    // Compared without whitespace: line breaking is prettyplease's business.
    let squeezed: String = graph.chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        "pub self_: ::std::option::Option<::std::string::String>",
        "pub type_: ::std::option::Option<::std::string::String>",
        "pub odata_type:",
        "pub site_odata_bind:",
        "pub n3d_model:",
        "pub in_reply_to: ::std::option::Option<::std::boxed::Box<crate::graph::Post>>",
        "pub replies: ::std::option::Option<::std::vec::Vec<crate::graph::Post>>",
        // Inherited from entity, after the post's own properties.
        "pub id: ::std::option::Option<::std::string::String>",
    ] {
        let expected: String = expected.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(squeezed.contains(&expected), "missing `{expected}` in:\n{graph}");
    }
    let pairs = common::wire_names(graph);
    for (wire, field) in
        [("self", "self_"), ("type", "type_"), ("@odata.type", "odata_type"), ("site@odata.bind", "site_odata_bind")]
    {
        assert!(
            pairs.contains(&(wire.to_string(), field.to_string())),
            "`{wire}` is not read into `{field}`: {pairs:?}"
        );
    }
    let post = model.types.iter().find(|t| t.name == "microsoft.graph.post").unwrap();
    assert_eq!(post.base.as_deref(), Some("microsoft.graph.entity"));
    assert_eq!(post.inherited, ["id"]);
}

/// A page of one resource type: `name`, its base, and its properties as table rows.
fn resource(name: &str, base: Option<&str>, rows: &[&str]) -> (String, String) {
    let inherits = base.map_or(String::new(), |base| format!("Inherits from [{base}]({base}.md).\n\n"));
    let text = format!(
        "---\ntitle: \"{name} resource type\"\n---\n# {name} resource type\nNamespace: microsoft.graph\n\n{inherits}\
         ## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{}\n",
        rows.join("\n")
    );
    (format!("{name}.md"), text)
}

#[test]
fn referenced_bases_with_derived_types_become_enums_chosen_by_odata_type() {
    let pages: BTreeMap<String, String> = [
        resource("attachment", None, &["|name|String|Its name.|"]),
        resource("fileAttachment", Some("attachment"), &["|contentBytes|Binary|The file.|"]),
        resource("referenceAttachment", Some("fileAttachment"), &["|url|String|Where it is.|"]),
        resource("message", None, &["|attachments|[attachment](attachment.md) collection|Its files.|"]),
        // A base nobody refers to stays a plain struct.
        resource("shape", None, &["|sides|Int32|How many.|"]),
        resource("square", Some("shape"), &["|side|Int32|How long.|"]),
    ]
    .into_iter()
    .collect();
    let (model, files) = docbind::generate(&Input { includes: Default::default(), pages, name: "test".into() });
    assert!(model.diagnostics.is_empty(), "{:#?}", model.diagnostics);
    let graph = &files["graph.rs"];
    syn::parse_file(graph).expect("the emitted module parses as Rust");
    let squeezed: String = graph.chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        "pub attachments: ::std::option::Option<::std::vec::Vec<crate::graph::AnyAttachment>>",
        "pub enum AnyAttachment {",
        "Attachment(::std::boxed::Box<crate::graph::Attachment>),",
        "FileAttachment(::std::boxed::Box<crate::graph::FileAttachment>),",
        // Descendants at any depth.
        "ReferenceAttachment(::std::boxed::Box<crate::graph::ReferenceAttachment>),",
        "Undocumented(::docbind_runtime::serde_json::Value),",
        "::std::option::Option::Some(\"microsoft.graph.fileattachment\") => {",
        "::std::option::Option::Some(\"microsoft.graph.fileAttachment\"),",
        "::docbind_runtime::polymorphic_traits!(AnyAttachment);",
    ] {
        let expected: String = expected.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(squeezed.contains(&expected), "missing `{expected}` in:\n{graph}");
    }
    assert!(!squeezed.contains("AnyShape"), "an unreferenced base got an enum:\n{graph}");
}
