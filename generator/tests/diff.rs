//! `docbind diff` on changes made to our own pages (docs-input), one kind of change each, and the
//! class each must get. Runs without the corpus.

mod common;

use docbind::diff::{Change, Class};
use docbind::Input;

/// docs-input with `edit` applied to the text of `file` (or the file removed when `edit` gives
/// `None`), diffed against docs-input as it is.
fn changes_after(file: &str, edit: impl Fn(&str) -> Option<String>) -> Vec<Change> {
    let docs = common::workspace().join("docs-input");
    let old = Input::read(std::slice::from_ref(&docs)).expect("docs-input is readable");
    let mut new = old.clone();
    match edit(&old.pages[file]) {
        Some(text) => {
            new.pages.insert(file.to_string(), text);
        }
        None => {
            new.pages.remove(file);
        }
    }
    docbind::diff::diff("v1.0", &docbind::build_model(&old), &docbind::build_model(&new))
}

/// docs-input with `edit` applied to every page, diffed against docs-input as it is.
fn changes_in_every_page(edit: impl Fn(&str, &str) -> String) -> Vec<Change> {
    let old = Input::read(&[common::workspace().join("docs-input")]).expect("docs-input is readable");
    let mut new = old.clone();
    for (file, text) in new.pages.iter_mut() {
        *text = edit(file, text);
    }
    docbind::diff::diff("v1.0", &docbind::build_model(&old), &docbind::build_model(&new))
}

fn replaced(from: &'static str, to: &'static str) -> impl Fn(&str) -> Option<String> {
    move |text: &str| {
        assert!(text.contains(from), "the fixture page has {from:?}");
        Some(text.replacen(from, to, 1))
    }
}

/// The change of this kind on this item (the test fails listing every change when there is none).
fn find<'a>(changes: &'a [Change], kind: &str, item: &str) -> &'a Change {
    changes
        .iter()
        .find(|c| c.kind == kind && c.item == item)
        .unwrap_or_else(|| panic!("no {kind} of {item} among {changes:#?}"))
}

#[test]
fn no_change_is_no_change() {
    assert_eq!(changes_after("resources/entity.md", |t| Some(t.to_string())), []);
}

#[test]
fn a_removed_property_breaks_and_an_added_one_does_not() {
    // Out of the table and out of every example, so that no page shows the property any more.
    let changes = changes_in_every_page(|file, text| {
        let text = text.replace("\"parentSiteId\"", "\"siteOfTheGroup\"");
        match file {
            "resources/termstore-group.md" => {
                text.replace("|parentSiteId|String|Identifier of the site the group belongs to.|\n", "")
            }
            _ => text,
        }
    });
    let change = find(&changes, "property_removed", "microsoft.graph.termStore.group.parentSiteId");
    assert_eq!((change.class, change.old.as_deref()), (Class::Breaking, Some("String")));
    assert!(change.old_source.as_deref().is_some_and(|s| s.starts_with("resources/termstore-group.md:")), "{change:?}");

    let changes = changes_after(
        "resources/termstore-group.md",
        replaced(
            "|id|String|Identifier of the group. Read-only.|\n",
            "|id|String|Identifier of the group. Read-only.|\n|isArchived|Boolean|Whether the group is archived.|\n",
        ),
    );
    let change = find(&changes, "property_added", "microsoft.graph.termStore.group.isArchived");
    assert_eq!(change.class, Class::Additive, "structs are built with ..Default::default()");
    assert!(changes.iter().all(|c| c.class != Class::Breaking), "{changes:#?}");
}

#[test]
fn a_retyped_property_and_a_collection_change_break() {
    let changes =
        changes_after("resources/termstore-group.md", replaced("|description|String|", "|description|Int32|"));
    let change = find(&changes, "property_retyped", "microsoft.graph.termStore.group.description");
    assert_eq!(
        (change.class, change.old.as_deref(), change.new.as_deref()),
        (Class::Breaking, Some("String"), Some("Int32"))
    );
    let changes = changes_after(
        "resources/termstore-group.md",
        replaced("|description|String|", "|description|String collection|"),
    );
    let change = find(&changes, "property_collection_changed", "microsoft.graph.termStore.group.description");
    assert_eq!(change.class, Class::Breaking);
}

#[test]
fn enum_members_added_and_removed_break_exhaustive_matches() {
    let changes = changes_after(
        "resources/enums-termstore.md",
        replaced(
            "|reuse|1|The term appears in the new place and can be edited from either place.|\n",
            "|copy|1|A copy of the term.|\n",
        ),
    );
    assert_eq!(
        find(&changes, "enum_member_removed", "microsoft.graph.termStore.relationType.reuse").class,
        Class::Breaking
    );
    assert_eq!(
        find(&changes, "enum_member_added", "microsoft.graph.termStore.relationType.copy").class,
        Class::Breaking
    );
}

#[test]
fn operations_removed_break_and_added_ones_do_not() {
    let changes = changes_after("api/termstore-term-delete.md", |_| None);
    let change = find(&changes, "operation_removed", "DELETE /sites/{}/termstore/sets/{}/terms/{}");
    assert_eq!(change.class, Class::Breaking);
    let changes = changes_after("api/termstore-set-get.md", |text| {
        Some(text.replace(
            "GET /sites/{site-id}/termStore/sets/{set-id}",
            "GET /sites/{site-id}/termStore/sets/{set-id}\nGET /termStore/sets/{set-id}",
        ))
    });
    assert_eq!(find(&changes, "operation_added", "GET /termstore/sets/{}").class, Class::Additive);
}

#[test]
fn permissions_and_descriptions_are_docs_only() {
    let changes = changes_after(
        "api/termstore-group-get.md",
        replaced("|Application|Not supported.|", "|Application|TermStore.Read.All|"),
    );
    let change = find(&changes, "permissions_widened", "GET /sites/{}/termstore/groups/{}");
    assert_eq!((change.class, change.new.as_deref()), (Class::DocsOnly, Some("Application: TermStore.Read.All")));
    let changes =
        changes_after("resources/termstore-group.md", replaced("What the group is for.", "The group's purpose."));
    let change = find(&changes, "description_changed", "microsoft.graph.termStore.group.description");
    assert_eq!(change.class, Class::DocsOnly);
    assert_eq!(docbind::diff::summarize(&changes).semver, "patch");
}

#[test]
fn a_type_renamed_with_its_properties_shows_as_a_rename() {
    let changes = changes_after("resources/termstore-localizedname.md", |text| {
        Some(text.replace("localizedName", "localizedTitle"))
    });
    let change = find(&changes, "type_renamed", "microsoft.graph.termStore.localizedName");
    assert_eq!(
        (change.class, change.new.as_deref()),
        (Class::Breaking, Some("microsoft.graph.termStore.localizedTitle"))
    );
    assert!(!changes.iter().any(|c| c.kind == "type_added" || c.kind == "type_removed"), "{changes:#?}");
}

#[test]
fn reports_render_for_terminals_pull_requests_and_machines() {
    let changes =
        changes_after("resources/termstore-group.md", replaced("|description|String|", "|description|Int32|"));
    let text = docbind::diff::render_text(&changes, false);
    assert!(text.starts_with("\nbreaking ("), "breaking first:\n{text}");
    assert!(text.trim_end().ends_with("a major change"), "{text}");
    let markdown = docbind::diff::render_markdown(&changes);
    assert!(markdown.contains("| all | ") && markdown.contains("<details><summary>"), "{markdown}");
    let json: serde_json::Value = serde_json::from_str(&docbind::diff::render_json(&changes)).unwrap();
    assert_eq!(json["summary"]["semver"], "major");
    assert_eq!(json["changes"][0]["kind"], "property_retyped");
    assert_eq!(json["changes"][0]["class"], "breaking");
}

#[test]
fn a_changed_response_or_status_of_a_request() {
    // The group comes back as a set: a different type.
    let changes = changes_in_every_page(|file, text| match file {
        "api/termstore-group-get.md" => text
            .replace(
                "a [group](../resources/termstore-group.md) object",
                "a [set](../resources/termstore-set.md) object",
            )
            .replace(
                "\"@odata.type\": \"microsoft.graph.termStore.group\"",
                "\"@odata.type\": \"microsoft.graph.termStore.set\"",
            ),
        _ => text.to_string(),
    });
    let change = find(&changes, "response_type_changed", "GET /sites/{}/termstore/groups/{}");
    assert_eq!(change.class, Class::Breaking);
    assert_eq!(
        (change.old.as_deref(), change.new.as_deref()),
        (Some("microsoft.graph.termStore.group"), Some("microsoft.graph.termStore.set"))
    );
    let changes = changes_after("api/termstore-group-delete.md", |text| {
        Some(text.replace("204 No Content", "202 Accepted").replace("`204", "`202"))
    });
    let change = find(&changes, "status_changed", "DELETE /sites/{}/termstore/groups/{}");
    assert_eq!((change.class, change.new.as_deref()), (Class::DocsOnly, Some("202")));
}

#[test]
fn narrowed_permissions_are_docs_only() {
    let changes = changes_after(
        "api/termstore-group-get.md",
        replaced("TermStore.Read.All, TermStore.ReadWrite.All", "TermStore.ReadWrite.All"),
    );
    let change = find(&changes, "permissions_narrowed", "GET /sites/{}/termstore/groups/{}");
    assert_eq!(
        (change.class, change.old.as_deref()),
        (Class::DocsOnly, Some("Delegated (work or school account): TermStore.Read.All"))
    );
}

#[test]
fn a_new_base_type_breaks() {
    let changes = changes_after("resources/termstore-group.md", |text| {
        Some(
            text.replace("Inherits from [entity](entity.md).", "")
                .replace(",\n  \"baseType\": \"microsoft.graph.entity\"", ""),
        )
    });
    let change = find(&changes, "base_type_changed", "microsoft.graph.termStore.group");
    assert_eq!(
        (change.class, change.old.as_deref(), change.new.as_deref()),
        (Class::Breaking, Some("microsoft.graph.entity"), Some("none"))
    );
}

#[test]
fn types_and_enums_added_and_removed() {
    let changes = changes_after("resources/keyvalue.md", |_| None);
    assert_eq!(find(&changes, "type_removed", "microsoft.graph.keyValue").class, Class::Breaking);
    let changes = changes_after("resources/enums-termstore.md", |text| {
        Some(format!("{text}\n### termColor values\n\nThe colour of a term.\n\n|Member|Value|Description|\n|:---|:---|:---|\n|red|0|Red.|\n|blue|1|Blue.|\n"))
    });
    assert_eq!(find(&changes, "enum_added", "microsoft.graph.termStore.termColor").class, Class::Additive);
}

#[test]
fn an_enum_that_becomes_flags_breaks() {
    let changes = changes_after(
        "resources/enums-termstore.md",
        replaced(
            "|global|0|Visible in every site.|\n|system|1|Made and used by SharePoint itself.|\n|siteCollection|2|",
            "|global|1|Visible in every site.|\n|system|2|Made and used by SharePoint itself.|\n|siteCollection|4|",
        ),
    );
    let change = find(&changes, "enum_flags_changed", "microsoft.graph.termStore.termGroupScope");
    assert_eq!(
        (change.class, change.old.as_deref(), change.new.as_deref()),
        (Class::Breaking, Some("plain"), Some("flags"))
    );
}

#[test]
fn areas_come_go_and_types_move_between_them() {
    // Every page of the store moves from `sharepoint` to `taxonomy`.
    let changes = changes_in_every_page(|_, text| text.replace("ms.prod: \"sharepoint\"", "ms.prod: \"taxonomy\""));
    assert_eq!(find(&changes, "area_removed", "feature `sharepoint`").class, Class::Breaking);
    assert_eq!(find(&changes, "area_added", "feature `taxonomy`").class, Class::Additive);
    let change = find(&changes, "type_moved_area", "microsoft.graph.termStore.group");
    assert_eq!(
        (change.class, change.old.as_deref(), change.new.as_deref()),
        (Class::Breaking, Some("sharepoint"), Some("taxonomy"))
    );
}

#[test]
fn a_request_that_takes_another_body_breaks() {
    let changes = changes_after(
        "api/termstore-group-post.md",
        replaced(
            "supply a JSON representation of the [group](../resources/termstore-group.md) object",
            "supply a JSON representation of the [set](../resources/termstore-set.md) object",
        ),
    );
    let change = find(&changes, "request_body_changed", "POST /sites/{}/termstore/groups");
    assert_eq!((change.class, change.new.as_deref()), (Class::Breaking, Some("microsoft.graph.termStore.set")));
}

#[test]
fn a_new_value_in_a_request_line_is_a_new_argument() {
    let changes = changes_after(
        "api/termstore-group-get.md",
        replaced(
            "GET /sites/{site-id}/termStore/groups/{group-id}\n",
            "GET /sites/{site-id}/termStore/groups/{group-id}?culture={culture}\n",
        ),
    );
    let change = find(&changes, "parameters_changed", "GET /sites/{}/termstore/groups/{}");
    assert_eq!(
        (change.class, change.old.as_deref(), change.new.as_deref()),
        (Class::Breaking, Some(""), Some("culture"))
    );
}
