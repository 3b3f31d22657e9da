//! Flags enums are sets. A standalone crate puts each product area (`ms.prod`) behind a Cargo feature: a type, enum or
//! function needs its own area, and a field, variant or function that refers to another area's type
//! needs that area too, so that any set of features compiles.

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
fn items_and_cross_area_references_are_gated_by_area_features() {
    let intune_app = MESSAGE.replace("message resource type", "mobileApp resource type").replace("outlook", "intune");
    let pages = [
        ("resources/message.md", MESSAGE),
        ("resources/user.md", USER),
        ("api/user-list-messages.md", LIST_MESSAGES),
        ("api/user-get.md", GET_USER),
        ("resources/intune-apps-mobileapp.md", &intune_app),
    ];
    let input = Input { pages: pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(), name: "t".into() };
    let (model, files) = docbind::generate_sources(&input, false, true);
    let features: Vec<String> = docbind::emit::area_features(&model).into_iter().collect();
    assert_eq!(
        features,
        ["general", "intune-apps", "outlook", "users"],
        "`'Users'` and an unsaid area are normalized; Intune pages are split by the part in their file name"
    );

    let graph = squeeze(&files["graph.rs"]);
    // Each type is behind its area; a field typed by another area's type also needs that area.
    assert!(graph.contains(r#"#[cfg(feature="outlook")]#[derive(Default)]pubstructMessage{"#), "{graph}");
    assert!(graph.contains(r#"#[cfg(feature="users")]pubsender:"#), "{graph}");
    assert!(graph.contains(r#"#[cfg(feature="outlook")]pubmessages:"#), "{graph}");
    // The field table leaves the gated field out with the same condition, so names and fields agree.
    assert!(graph.contains(r#"&["id","subject",#[cfg(feature="users")]"sender"]"#), "{graph}");
    // A function needs its own area and its response type's.
    assert!(graph.contains(r#"#[cfg(feature="outlook")]pubfnlist_messages("#), "{graph}");
    assert!(graph.contains(r#"#[cfg(all(feature="general",feature="users"))]pubfnget_user("#), "{graph}");

    // Without area features (the committed generated/), nothing is gated.
    let (_, plain) = docbind::generate_with(&input, false);
    assert!(!plain["graph.rs"].contains("cfg(feature"), "{}", plain["graph.rs"]);

    let manifest = docbind::package::crate_files(
        "t",
        docbind::package::Runtime::Vendored,
        &docbind::emit::area_features(&model),
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
    let input = Input { pages: pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(), name: "t".into() };
    let (model, files) = docbind::generate(&input);
    assert!(model.enums[0].flags, "{:?}", model.enums[0]);
    let graph = squeeze(&files["graph.rs"]);
    assert!(
        graph
            .contains("pubparts_to_clone:::std::option::Option<::docbind_runtime::Flags<crate::graph::ClonablePart>,>"),
        "{graph}"
    );
}
