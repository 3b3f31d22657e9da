//! Flags enums are sets. A standalone crate puts each product area (`ms.prod`) behind a Cargo
//! feature: an item compiles when any area that needs it is on, and fields are never gated, so any
//! set of features compiles and turning one on only adds items.

use docbind::Input;

const MESSAGE: &str = r#"---
title: "message resource type"
ms.prod: "outlook"
---
# message resource type
Namespace: microsoft.graph

## Properties
|Property|Type|Description|
|:---|:---|:---|
|id|String|Identifier.|
|subject|String|Subject.|
|sender|[user](user.md)|Who sent it.|
"#;

const USER: &str = r#"---
title: "user resource type"
ms.prod: 'Users'
---
# user resource type
Namespace: microsoft.graph

## Properties
|Property|Type|Description|
|:---|:---|:---|
|id|String|Identifier.|
|messages|[message](message.md) collection|The mailbox.|
"#;

const LIST_MESSAGES: &str = r#"---
title: "List messages"
ms.prod: "outlook"
---
# List messages
Namespace: microsoft.graph

## HTTP request
``` http
GET /users/{id}/messages
```

## Response
If successful, this method returns a `200 OK` response code and a collection of [message](../resources/message.md) objects in the response body.
"#;

const GET_USER: &str = r#"---
title: "Get user"
---
# Get user
Namespace: microsoft.graph

## HTTP request
``` http
GET /users/{id}
```

## Response
If successful, this method returns a `200 OK` response code and a [user](../resources/user.md) object in the response body.
"#;

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn an_item_compiles_when_any_area_that_needs_it_is_on_and_fields_are_never_gated() {
    let intune_app = MESSAGE
        .replace("message resource type", "mobileApp resource type")
        .replace("outlook", "intune")
        .replace("|sender|[user](user.md)|Who sent it.|\n", "");
    let pages = [
        ("resources/message.md", MESSAGE),
        ("resources/user.md", USER),
        ("api/user-list-messages.md", LIST_MESSAGES),
        ("api/user-get.md", GET_USER),
        ("resources/intune-apps-mobileapp.md", &intune_app),
    ];
    let input = Input {
        includes: Default::default(),
        pages: pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(),
        name: "t".into(),
    };
    let settings =
        docbind::emit::Settings { input_name: input.name.clone(), area_features: true, ..Default::default() };
    let (build, emitted) = docbind::generate_sources(&input, &settings);
    let files = emitted.files;
    let features: Vec<String> = docbind::emit::area_features(&build.model, &build.names).into_iter().collect();
    assert_eq!(
        features,
        ["general", "intune-apps", "outlook", "users"],
        "`'Users'` and an unsaid area are normalized; Intune pages are split by the part in their file name"
    );

    let graph = squeeze(&files["graph.rs"]);
    // `message` is outlook's; users needs it too (a user's `messages`), and so does general, whose
    // `GET /users/{id}` returns a user. `user` is needed by users, by general and by outlook (a
    // message's `sender`). intune-apps needs neither.
    assert!(
        graph.contains(
            r#"#[cfg(any(feature="general",feature="outlook",feature="users"))]#[derive(Default)]pubstructMessage{"#
        ),
        "{graph}"
    );
    assert!(graph.contains(r#"#[cfg(feature="intune-apps")]#[derive(Default)]pubstructMobileApp{"#), "{graph}");
    assert!(
        graph.contains(
            r#"#[cfg(any(feature="general",feature="outlook",feature="users"))]#[derive(Default)]pubstructUser{"#
        ),
        "{graph}"
    );
    // No field is ever gated: a type that compiles has all of them.
    assert!(!graph.contains(r#")]pubsender:"#) && !graph.contains(r#")]pubmessages:"#), "{graph}");
    assert!(graph.contains(r#"&["id","subject","sender"]"#), "{graph}");

    // The first step is there when any request under it is; each request needs its page's area.
    let lib = squeeze(&files["root.rs"]);
    assert!(lib.contains(r#"#[cfg(any(feature="general",feature="outlook"))]#[inline]pubfnusers()"#), "{lib}");
    let paths = squeeze(&files["paths.rs"]);
    // A request whose gate is its step's needs no gate of its own.
    let messages = paths.split(r#"#[cfg(feature="outlook")]implUsersItemMessages{"#).nth(1).expect("{paths}");
    assert!(messages.starts_with("///Listmessages") && messages.contains("pubfnlist(&self,)"), "{paths}");
    assert!(
        paths.contains(
            r#"#[cfg(feature="general")]#[inline]pubfnget(&self)->::docbind_runtime::Request<crate::graph::User>"#
        ),
        "{paths}"
    );

    // Without area features (the committed generated/), nothing is gated.
    let (_, plain) = docbind::generate_with(&input, false);
    for (name, text) in &plain {
        assert!(!text.contains("cfg(feature") && !text.contains("cfg(any"), "{name}: {text}");
    }

    let manifest = docbind::package::crate_files(
        "t",
        docbind::package::Runtime::Vendored,
        &docbind::emit::area_features(&build.model, &build.names),
        files,
    )["Cargo.toml"]
        .clone();
    assert!(
        manifest
            .contains("[features]\ndefault = [\"general\", \"intune-apps\", \"outlook\", \"users\"]\ngeneral = []\n"),
        "{manifest}"
    );
}

const PARTS: &str = r#"---
title: "clonablePart enum type"
doc_type: enumPageType
---
# clonablePart enum type
Namespace: microsoft.graph

## Members
| Member | Value| Description |
|:---|:---|:---|
|apps|1|The apps.|
|tabs|2|The tabs.|
|settings|4|The settings.|
|channels|8|The channels.|
"#;

const CLONE: &str = r#"---
title: "cloneRequest resource type"
---
# cloneRequest resource type
Namespace: microsoft.graph

## Properties
|Property|Type|Description|
|:---|:---|:---|
|partsToClone|[clonablePart](clonablepart.md)|What to copy, several at once.|
"#;

/// A flags enum (members valued 1, 2, 4, 8) types its properties as sets.
#[test]
fn flags_enums_are_sets() {
    let pages = [("resources/clonablepart.md", PARTS), ("resources/clonerequest.md", CLONE)];
    let input = Input {
        includes: Default::default(),
        pages: pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(),
        name: "t".into(),
    };
    let (model, files) = docbind::generate(&input);
    assert!(model.enums[0].flags, "{:?}", model.enums[0]);
    let graph = squeeze(&files["graph.rs"]);
    assert!(
        graph
            .contains("pubparts_to_clone:::std::option::Option<::docbind_runtime::Flags<crate::graph::ClonablePart>,>"),
        "{graph}"
    );
}

/// Current pages name their area in `ms.subservice` and have no `ms.prod`.
#[test]
fn ms_subservice_names_the_area_when_ms_prod_is_absent() {
    let current = MESSAGE.replace("ms.prod: \"outlook\"", "ms.subservice: \"outlook\"");
    assert!(!current.contains("ms.prod"), "the page has no ms.prod");
    let pages = [("resources/message.md", current.as_str()), ("resources/user.md", USER)];
    let input = Input {
        includes: Default::default(),
        pages: pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(),
        name: "t".into(),
    };
    let model = docbind::build_model(&input);
    let message = model.types.iter().find(|t| t.name == "microsoft.graph.message").expect("the message type");
    assert_eq!(message.area, "outlook");
}

/// A resource page of `ms.prod` `area`: `name`, its base, its properties as table rows.
fn resource(area: &str, name: &str, base: Option<&str>, rows: &[&str]) -> (String, String) {
    let inherits = base.map_or(String::new(), |base| format!("Inherits from [{base}]({base}.md).\n\n"));
    let text = format!(
        "---\ntitle: \"{name} resource type\"\nms.prod: \"{area}\"\n---\n# {name} resource type\nNamespace: \
         microsoft.graph\n\n{inherits}## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{}\n",
        rows.join("\n")
    );
    (format!("resources/{name}.md"), text)
}

/// The `Any…` enum of a base and its members: a member needed where the base is needs no gate of
/// its own, and no item carries the same gate twice.
#[test]
fn members_of_a_polymorphic_base_carry_a_gate_only_where_it_says_more() {
    let get_file = GET_USER
        .replace("Get user", "Get file attachment")
        .replace("---\n# ", "ms.prod: \"intune\"\n---\n# ")
        .replace("/users/{id}", "/deviceAppManagement/files/{id}")
        .replace("[user](../resources/user.md)", "[fileAttachment](../resources/fileattachment.md)");
    let list_attachments = LIST_MESSAGES
        .replace("List messages", "List attachments")
        .replace("/users/{id}/messages", "/users/{id}/messages/{id}/attachments")
        .replace("[message](../resources/message.md)", "[attachment](../resources/attachment.md)");
    let pages = [
        resource("outlook", "attachment", None, &["|name|String|Its name.|"]),
        resource("outlook", "fileAttachment", Some("attachment"), &["|contentBytes|Binary|The file.|"]),
        resource("outlook", "itemAttachment", Some("attachment"), &["|item|String|The item.|"]),
        ("api/attachment-list.md".to_string(), list_attachments),
        ("api/intune-files-get.md".to_string(), get_file),
    ];
    let input = Input { includes: Default::default(), pages: pages.into_iter().collect(), name: "t".into() };
    let settings =
        docbind::emit::Settings { input_name: input.name.clone(), area_features: true, ..Default::default() };
    let (build, emitted) = docbind::generate_sources(&input, &settings);
    assert!(
        build.model.diagnostics.iter().all(|d| d.severity != docbind::diagnostics::Severity::Error),
        "{:#?}",
        build.model.diagnostics
    );
    let graph = &emitted.files["graph.rs"];
    let lines: Vec<&str> = graph.lines().map(str::trim).collect();
    for pair in lines.windows(2) {
        assert!(!(pair[0].starts_with("#[cfg(") && pair[0] == pair[1]), "a gate twice:\n{graph}");
    }
    let squeezed = squeeze(graph);
    for expected in [
        // The enum is outlook's; so is itemAttachment, and its variant and impls say nothing more.
        r#"#[cfg(feature="outlook")]#[derive(Debug,Clone,PartialEq)]#[non_exhaustive]pubenumAnyAttachment{Attachment("#,
        r#"),ItemAttachment(::std::boxed::Box<crate::graph::ItemAttachment>),"#,
        r#"#[cfg(feature="outlook")]impl::std::convert::From<crate::graph::ItemAttachment>forAnyAttachment"#,
        // fileAttachment is needed by intune too, so it is there whenever the enum is.
        r#"),FileAttachment(::std::boxed::Box<crate::graph::FileAttachment>),ItemAttachment("#,
        r#"#[cfg(any(feature="intune-files",feature="outlook"))]#[derive(Default)]pubstructFileAttachment{"#,
        r#"#[cfg(feature="outlook")]impl::std::convert::From<crate::graph::FileAttachment>forAnyAttachment"#,
    ] {
        assert!(squeezed.contains(expected), "missing `{expected}` in:\n{graph}");
    }
}
