//! Today's docs: a folder laid out like a checkout of the docs repository (`api-reference/v1.0`,
//! `api-reference/beta`, `api-reference/includes`, `concepts/`), whose pages keep permission tables
//! in include files, name their area with `ms.subservice` and write `odata.type` as a property row.
//! The pages under `tests/today/` are ours; scope names and paths are Graph's.

use std::path::{Path, PathBuf};
use std::process::Command;

use docbind::diagnostics::Diagnostic;
use docbind::ir::{Model, Operation, Permission};
use docbind::Input;

fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/today")
}

fn v1() -> (Input, Model) {
    let input = Input::read(&[checkout().join("api-reference/v1.0")]).unwrap();
    let model = docbind::build_model(&input);
    (input, model)
}

/// The operation with a request line at `path`.
fn operation<'m>(model: &'m Model, path: &str) -> &'m Operation {
    let found = model.calls().find(|(_, c)| c.line.path == path);
    found.unwrap_or_else(|| panic!("no operation at {path}")).1.operation
}

fn diagnostics<'m>(model: &'m Model, code: &str) -> Vec<&'m Diagnostic> {
    model.diagnostics.iter().filter(|d| d.code == code).collect()
}

fn scopes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn include_files_are_read_but_are_not_pages() {
    let (input, model) = v1();
    let pages: Vec<&str> = input.pages.keys().map(String::as_str).collect();
    assert_eq!(
        pages,
        [
            "api/agentidentity-get.md",
            "api/group-post-members.md",
            "api/user-list-broken.md",
            "resources/agentidentity.md"
        ]
    );
    let includes: Vec<&str> = input.includes.keys().map(String::as_str).collect();
    // Beside the version folder and above the whole reference, as the pages name them; SDK samples
    // (`includes/snippets/`) are neither read nor reported.
    assert_eq!(
        includes,
        [
            "../../concepts/includes/groups-allowed-member-types.md",
            "../includes/all-clouds.md",
            "includes/display-name-limit.md",
            "includes/loop-a.md",
            "includes/loop-b.md",
            "includes/permissions/agentidentity-get-permissions.md",
        ]
    );
    assert!(model.diagnostics.iter().all(|d| !d.message.contains("snippets")), "{:#?}", model.diagnostics);
}

#[test]
fn a_permissions_include_gives_least_and_higher_privileged_scopes() {
    let (_, model) = v1();
    let get = operation(&model, "/servicePrincipals/{id}/microsoft.graph.agentIdentity");
    let permission = |kind: &str, least: &[&str], higher: &[&str]| Permission {
        kind: kind.to_string(),
        scopes: scopes(least),
        higher: scopes(higher),
        resource: None,
    };
    assert_eq!(
        get.permissions,
        [
            permission("Delegated (work or school account)", &["AgentIdentity.Read.All"], &["Application.Read.All"]),
            permission("Delegated (personal Microsoft account)", &[], &[]),
            permission(
                "Application",
                &["AgentIdentity.Read.All", "AgentIdentity.CreateAsManager"],
                &["Application.Read.All"]
            ),
        ]
    );
    // The include's table is located at the directive on the page.
    assert!(diagnostics(&model, "DB021").iter().all(|d| !d.file.contains("agentidentity")));
}

#[test]
fn a_per_resource_table_keeps_each_resource() {
    let (_, model) = v1();
    let post = operation(&model, "/groups/{group-id}/members/$ref");
    let for_user: Vec<&Permission> =
        post.permissions.iter().filter(|p| p.resource.as_deref() == Some("user")).collect();
    assert_eq!(for_user.len(), 3, "{:#?}", post.permissions);
    assert_eq!(for_user[0].kind, "Delegated (work or school account)");
    assert_eq!(for_user[0].scopes, scopes(&["GroupMember.ReadWrite.All", "User.ReadWrite.All"]));
    assert!(for_user[1].scopes.is_empty(), "personal accounts are not supported");
    let device = post.permissions.iter().find(|p| p.resource.as_deref() == Some("device") && p.kind == "Application");
    assert_eq!(device.unwrap().scopes, scopes(&["GroupMember.ReadWrite.All", "Device.ReadWrite.All"]));
}

#[test]
fn broken_includes_are_located_at_their_directive() {
    let (_, model) = v1();
    let at = |d: &Diagnostic| format!("{}:{}:{}", d.file, d.line, d.column);
    let missing = diagnostics(&model, "DB019");
    assert_eq!(missing.iter().map(|d| at(d)).collect::<Vec<_>>(), ["api/user-list-broken.md:17:1"], "{missing:#?}");
    assert!(missing[0].message.contains("includes/permissions/user-list-permissions.md"), "{}", missing[0].message);
    let looping = diagnostics(&model, "DB020");
    assert_eq!(looping.iter().map(|d| at(d)).collect::<Vec<_>>(), ["api/user-list-broken.md:12:1"], "{looping:#?}");
    assert!(looping[0].message.contains("includes/loop-a.md → includes/loop-b.md → includes/loop-a.md"));
    // The operation whose permissions were in the missing file says it has none it could read.
    let unread = diagnostics(&model, "DB021");
    assert_eq!(unread.iter().map(|d| at(d)).collect::<Vec<_>>(), ["api/user-list-broken.md:14:1"], "{unread:#?}");
    assert!(operation(&model, "/users").permissions.is_empty());
}

#[test]
fn a_permissions_annotation_without_a_table_after_it_is_reported() {
    let input = Input::read(&[checkout().join("api-reference/beta")]).unwrap();
    let model = docbind::build_model(&input);
    let unread: Vec<String> =
        diagnostics(&model, "DB021").iter().map(|d| format!("{}:{}: {}", d.file, d.line, d.message)).collect();
    assert_eq!(
        unread,
        ["api/user-delete.md:14: the Permissions section holds no permission table docbind reads: \
          the operation's permissions are unknown"]
    );
}

#[test]
fn area_comes_from_ms_subservice_and_odata_type_rows_are_not_fields() {
    let (_, model) = v1();
    assert_eq!(operation(&model, "/servicePrincipals/{id}/microsoft.graph.agentIdentity").area, "entra-agent-id");
    assert_eq!(operation(&model, "/groups/{group-id}/members/$ref").area, "groups");
    let identity = model.types.iter().find(|t| t.name == "microsoft.graph.agentIdentity").unwrap();
    let names: Vec<&str> = identity.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["id", "displayName", "agentIdentityBlueprintId"]);
    // An include inside a cell adds its text to the description.
    assert_eq!(identity.properties[1].description, "The name shown for the agent. At most 256 characters.");
}

#[test]
fn generated_docs_say_which_scopes_are_least_privileged() {
    let input = Input::read(&[checkout().join("api-reference/v1.0")]).unwrap();
    let (_, files) = docbind::generate(&input);
    let paths = &files["paths.rs"];
    assert!(
        paths
            .contains("Permissions (least privileged first; choose a higher privileged one only if the app needs it):"),
        "{paths}"
    );
    assert!(
        paths.contains(
            "- Application: AgentIdentity.Read.All, AgentIdentity.CreateAsManager; higher privileged: Application.Read.All"
        ),
        "{paths}"
    );
    assert!(paths.contains("- Application (for a user): GroupMember.ReadWrite.All, User.ReadWrite.All"), "{paths}");
}

fn docbind(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_docbind")).args(args).output().unwrap()
}

#[test]
fn a_checkout_of_the_docs_repository_works_as_docs() {
    let root = checkout();
    let root = root.to_str().unwrap();
    let report = docbind(&["report", root, "--json"]);
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    // Both versions, and only the reference pages: not the concept page, not the include files.
    assert_eq!(report["versions"]["v1.0"]["pages"], 4, "{report:#}");
    assert_eq!(report["versions"]["beta"]["pages"], 1, "{report:#}");
    assert_eq!(report["pages"], 5);

    let out = tempfile::tempdir().unwrap();
    let generate = |version: &str| {
        let out_dir = out.path().join(version);
        let run = docbind(&["generate", root, "--api-version", version, "--out", out_dir.to_str().unwrap(), "--quiet"]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        std::fs::read_to_string(out_dir.join("paths.rs")).unwrap()
    };
    assert!(generate("v1.0").contains("AgentIdentity.Read.All"));
    assert!(generate("beta").contains("/users/{id}"));
    let wrong = docbind(&["generate", root, "--api-version", "v2.0", "--out", out.path().to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("holds no `v2.0` folder"));

    let diff = docbind(&["diff", root, root, "--json"]);
    assert!(diff.status.success(), "{}", String::from_utf8_lossy(&diff.stderr));
    let diff: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert_eq!(diff["changes"].as_array().map(Vec::len), Some(0), "{diff:#}");
}
