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
    assert!(lib.contains(r#"#[cfg(any(feature="general",feature="outlook"))]pubfnusers()"#), "{lib}");
    let paths = squeeze(&files["paths.rs"]);
    // A request whose gate is its step's needs no gate of its own.
    let messages = paths.split(r#"#[cfg(feature="outlook")]implUsersItemMessages{"#).nth(1).expect("{paths}");
    assert!(messages.starts_with("///Listmessages") && messages.contains("pubfnlist(&self,)"), "{paths}");
    assert!(
        paths.contains(r#"#[cfg(feature="general")]pubfnget(&self)->::docbind_runtime::Request<crate::graph::User>"#),
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
