//! The `docbind` binary as users run it: `ir` on the seed page, `check` and `generate` on docs-input.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn docbind(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docbind")).args(args).current_dir(cwd).output().expect("docbind runs")
}

fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn ir_of_the_seed_page() {
    let Some(seed) = common::seed() else { return };
    let output = docbind(&["ir", seed.to_str().unwrap()], &common::workspace());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let ir: Value = serde_json::from_slice(&output.stdout).expect("the IR is JSON");

    let operations = ir["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 1);
    let op = &operations[0];
    assert_eq!(op["name"], "Update relations");
    assert_eq!(op["body"]["type_ref"]["target"]["name"], "microsoft.graph.termStore.relation");
    let lines = op["request_lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!(line["method"], "PATCH");
    assert_eq!(line["path"], "/termStores/{termStoresId}/groups/{groupId}/sets/{setId}/relations");
    let params: Vec<&str> =
        line["path_parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, ["termStoresId", "groupId", "setId"]);
    assert_eq!(line["response"]["status"], 200);

    let relation =
        ir["types"].as_array().unwrap().iter().find(|t| t["name"] == "microsoft.graph.termStore.relation").unwrap();
    let properties: Vec<&str> =
        relation["properties"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(properties, ["id", "relationship"]);
    let relationship = &relation["properties"][1]["type_ref"]["target"];
    assert_eq!(relationship["kind"], "named");
    assert_eq!(relationship["name"], "microsoft.graph.termStore.relationType");
    let relation_type = ir["enums"].as_array().unwrap().iter().find(|e| e["name"] == relationship["name"]).unwrap();
    let members: Vec<&str> =
        relation_type["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(members, ["pin", "reuse"]);

    let diagnostics = ir["diagnostics"].as_array().unwrap();
    let located = |code: &str| -> Vec<(u64, u64)> {
        diagnostics
            .iter()
            .filter(|d| d["code"] == code)
            .inspect(|d| assert_eq!(d["file"], "update-relations.md"))
            .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
            .collect()
    };
    // Author and ms.prod in the front matter, three permission cells, two body-table descriptions.
    let todo_lines: Vec<u64> = located("DB010").iter().map(|(line, _)| *line).collect();
    assert_eq!(todo_lines, [4, 6, 20, 21, 22, 47, 48]);
    assert!(located("DB010").iter().all(|(_, column)| *column > 1));
    let entity_link = diagnostics
        .iter()
        .find(|d| d["code"] == "DB007" && d["message"].as_str().unwrap().contains("termstore-entity.md"))
        .expect("the link to termstore-entity.md is reported");
    assert_eq!((entity_link["line"].as_u64(), entity_link["column"].as_u64()), (Some(47), Some(53)));
}

#[test]
fn check_passes_on_the_committed_tree() {
    let output = docbind(&["check", "--example-tests"], &common::workspace());
    assert!(
        output.status.success(),
        "generated/ is stale:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_reports_a_stale_tree_with_a_diff_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let workspace = common::workspace();
    std::fs::write(out.path().join("lib.rs"), "// stale\n").unwrap();
    std::fs::write(out.path().join("leftover.rs"), "// no longer generated\n").unwrap();
    let before = read_tree(out.path());
    let output = docbind(&["check", "docs-input", "--out", out.path().to_str().unwrap()], &workspace);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.contains("--- a/lib.rs") && diff.contains("+++ b/lib.rs") && diff.contains("-// stale"), "{diff}");
    assert!(diff.contains("+++ b/term_store.rs"), "{diff}");
    assert!(diff.contains("leftover.rs"), "{diff}");
    assert_eq!(read_tree(out.path()), before, "check must not write");
}

#[test]
fn generating_twice_is_byte_identical_and_matches_the_committed_tree() {
    let workspace = common::workspace();
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    for dir in [&first, &second] {
        let output =
            docbind(&["generate", "docs-input", "--out", dir.path().to_str().unwrap(), "--example-tests"], &workspace);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    assert_eq!(read_tree(first.path()), read_tree(second.path()));
    assert_eq!(read_tree(first.path()), read_tree(&workspace.join("generated")));
    // A second run into the same folder changes nothing.
    let again =
        docbind(&["generate", "docs-input", "--out", first.path().to_str().unwrap(), "--example-tests"], &workspace);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("0 of 6 files"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn help_and_missing_input_are_clear() {
    let help = docbind(&["--help"], &common::workspace());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("generate") && text.contains("check") && text.contains("ir"), "{text}");
    let missing = docbind(&["ir", "no-such-folder"], &common::workspace());
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-folder"));
}

#[test]
fn generate_swaps_the_tree_in_whole_and_keeps_files_it_does_not_own() {
    let workspace = common::workspace();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("generated");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("lib.rs"), "// old\n").unwrap();
    std::fs::write(out.join("obsolete.rs"), "// no longer generated\n").unwrap();
    std::fs::write(out.join("NOTES.txt"), "kept\n").unwrap();
    // Leftovers of a run that was killed half-way are cleared.
    std::fs::create_dir_all(parent.path().join(".generated.docbind-new")).unwrap();
    std::fs::write(parent.path().join(".generated.docbind-new/junk.rs"), "junk").unwrap();

    let output = docbind(&["generate", "docs-input", "--out", out.to_str().unwrap(), "--example-tests"], &workspace);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let names: Vec<String> = read_tree(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["NOTES.txt", "examples.rs", "graph.rs", "lib.rs", "paths.rs", "root.rs", "term_store.rs"]);
    assert_eq!(read_tree(&out), {
        let mut expected = read_tree(&workspace.join("generated"));
        expected.insert(0, ("NOTES.txt".into(), b"kept\n".to_vec()));
        expected
    });
    // Only the output folder is left in its parent: no work folders remain.
    let siblings: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["generated"]);
}

#[test]
fn a_failing_generate_leaves_the_previous_tree_whole() {
    let workspace = common::workspace();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("generated");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("lib.rs"), "// previous\n").unwrap();
    // The work folder cannot be made: a file stands where it would go.
    std::fs::write(parent.path().join(".generated.docbind-new"), "in the way").unwrap();
    let output = docbind(&["generate", "docs-input", "--out", out.to_str().unwrap()], &workspace);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(read_tree(&out), [("lib.rs".to_string(), b"// previous\n".to_vec())]);
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let input = docbind::Input::read(&[common::workspace().join("docs-input")]).unwrap();
    let with_threads = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| docbind::generate_with(&input, true).1)
    };
    assert_eq!(with_threads(1), with_threads(2));
    assert_eq!(with_threads(1), with_threads(4));
}

#[test]
fn generate_writes_a_standalone_crate() {
    let workspace = common::workspace();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("termstore-client");
    let args =
        ["generate", "docs-input", "--out", out.to_str().unwrap(), "--crate", "termstore-client", "--vendor-runtime"];
    let output = docbind(&args, &workspace);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut files: Vec<String> = Vec::new();
    for folder in ["", "src", "docbind-runtime", "docbind-runtime/src", "docbind-runtime/src/dates"] {
        for entry in std::fs::read_dir(out.join(folder)).unwrap().map(|e| e.unwrap()).filter(|e| e.path().is_file()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            files.push(if folder.is_empty() { name } else { format!("{folder}/{name}") });
        }
    }
    files.sort();
    assert_eq!(
        files,
        [
            "API.txt",
            "Cargo.toml",
            "docbind-runtime/Cargo.toml",
            "docbind-runtime/src/auth.rs",
            "docbind-runtime/src/batch.rs",
            "docbind-runtime/src/client.rs",
            "docbind-runtime/src/connect.rs",
            "docbind-runtime/src/dates/grammar.rs",
            "docbind-runtime/src/dates/mod.rs",
            "docbind-runtime/src/error.rs",
            "docbind-runtime/src/io.rs",
            "docbind-runtime/src/lib.rs",
            "docbind-runtime/src/model.rs",
            "docbind-runtime/src/paging.rs",
            "docbind-runtime/src/related.rs",
            "docbind-runtime/src/request.rs",
            "docbind-runtime/src/response.rs",
            "docbind-runtime/src/testing.rs",
            "docbind-runtime/src/upload.rs",
            "src/graph.rs",
            "src/lib.rs",
            "src/paths.rs",
            "src/root.rs",
            "src/term_store.rs",
        ]
    );
    let api = std::fs::read_to_string(out.join("API.txt")).unwrap();
    assert!(api.contains("paths::SitesItemTermStoreGroupsItem::get(&self) -> Request<term_store::Group>"), "{api}");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"termstore-client\"") && manifest.contains("path = \"docbind-runtime\""),
        "{manifest}"
    );
    let again = docbind(&args, &workspace);
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("0 of 24 files"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

/// `docbind diff --git REV DOCS` as a reviewer of a docs pull request runs it: the docs as committed
/// against the working tree, and `--deny breaking` as the gate.
#[test]
fn diff_against_a_git_revision_gates_breaking_changes() {
    let repo = tempfile::tempdir().unwrap();
    let docs = repo.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let source = common::workspace().join("docs-input");
    for folder in ["api", "resources"] {
        std::fs::create_dir_all(docs.join(folder)).unwrap();
        for entry in std::fs::read_dir(source.join(folder)).unwrap().map(|e| e.unwrap()) {
            std::fs::copy(entry.path(), docs.join(folder).join(entry.file_name())).unwrap();
        }
    }
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(repo.path())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "docs"]);
    let unchanged = docbind(&["diff", "--git", "HEAD", "docs", "--deny", "breaking"], repo.path());
    assert!(unchanged.status.success(), "{}", String::from_utf8_lossy(&unchanged.stderr));
    assert!(String::from_utf8_lossy(&unchanged.stdout).contains("no change"));

    let page = docs.join("resources/termstore-group.md");
    let text = std::fs::read_to_string(&page).unwrap().replace("|description|String|", "|description|Int32|");
    std::fs::write(&page, text).unwrap();
    let changed = docbind(&["diff", "--git", "HEAD", "docs", "--deny", "breaking"], repo.path());
    let report = String::from_utf8_lossy(&changed.stdout);
    assert_eq!(changed.status.code(), Some(1), "{report}");
    assert!(
        report.contains("property_retyped microsoft.graph.termStore.group.description: String → Int32"),
        "{report}"
    );
    let json = docbind(&["diff", "--git", "HEAD", "docs", "--json"], repo.path());
    let json: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(json["summary"]["breaking"], 1, "{json}");
}
