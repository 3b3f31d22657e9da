//! The real Graph docs (../shared/graph-docs, found through `DOCBIND_CORPUS`): every page goes through
//! parse and resolve, the report's counts are a snapshot (so every parser change shows its effect on
//! the 11,289 pages as a reviewable diff), and the targets hold.

mod common;

use docbind::report::Report;
use docbind::Input;

#[test]
fn corpus_report() {
    let Some(corpus) = common::corpus() else { return };
    let mut builds = Vec::new();
    for version in ["v1.0", "beta"] {
        let input = Input::read(&[corpus.join(version)]).expect("corpus is readable");
        builds.push((version.to_string(), docbind::build(&input)));
    }
    let report = Report::new(&builds.iter().map(|(v, b)| (v.clone(), b)).collect::<Vec<_>>());
    assert!(report.panicked_pages.is_empty(), "docbind failed on {:?}", report.panicked_pages);
    assert_eq!(report.total.pages, 11_289, "the corpus should hold 11,289 pages");
    let missed: Vec<String> = report.targets().iter().filter(|t| !t.met).map(|t| t.to_string()).collect();
    assert!(missed.is_empty(), "targets missed:\n{}", missed.join("\n"));
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_json_snapshot!("corpus-report", report);
    });
}

/// The public API generated for each version, one line per item: a docs or generator change shows
/// here as a short diff of types, fields, steps and request methods (with their HTTP lines and
/// features). No name in it is numbered.
#[test]
fn generated_api() {
    let Some(corpus) = common::corpus() else { return };
    for version in ["v1.0", "beta"] {
        let input = Input::read(&[corpus.join(version)]).expect("corpus is readable");
        let settings = docbind::emit::Settings::standalone(&input.name);
        let (_, emitted) = docbind::generate_sources(&input, &settings);
        let listing = emitted.api.expect("asked for");
        assert!(!listing.contains("does not parse"), "an emitted module of {version} does not parse");
        // Fields and variants keep the digits of their JSON names (`v10_0`); everything named by
        // docbind alone (modules, types, steps, requests, parameters) is checked.
        let named: Vec<&str> = listing.lines().filter(|line| !line.contains(" (variant)") && !is_field(line)).collect();
        assert!(named.len() > 1000, "{version}: {} lines", named.len());
        let numbered: Vec<&str> = named.into_iter().filter(|line| has_numbered_name(line)).collect();
        assert!(numbered.is_empty(), "{version} has numbered names:\n{}", numbered.join("\n"));
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("api-{version}"), listing);
        });
    }
}

/// A snake-case identifier ending in `_` and digits (`list_users_4`, `id_2`), or a Pascal-case one
/// ending in a digit after a lower-case letter that its own words do not explain: the way a name
/// is numbered when its scope has it already. Docs names with digits (`windows10`, `parts79`,
/// `Windows81CompliancePolicy`) have no `_` before them.
fn has_numbered_name(line: &str) -> bool {
    let signature = line.split("  ").next().unwrap_or(line);
    signature.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|word| {
        let Some((head, digits)) = word.rsplit_once('_') else { return false };
        !head.is_empty() && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    })
}

/// `graph::Type.field: T`.
fn is_field(line: &str) -> bool {
    line.split_once(": ").is_some_and(|(path, _)| path.contains('.') && !path.contains('('))
}

#[test]
fn numbered_names_are_recognized() {
    assert!(is_field("graph::AndroidMinimumOperatingSystem.v10_0: Option<bool>"));
    assert!(!is_field("paths::Me::get(&self) -> Request<graph::User>  GET /me [users]"));
    assert!(has_numbered_name("graph::list_users_4() -> Request<()>"));
    assert!(has_numbered_name("paths::MeItem::id(&self, id_2: &str) -> MeItem"));
    assert!(!has_numbered_name("paths::ThingsItem::parts79(&self) -> ThingsItemParts79"));
    assert!(!has_numbered_name("graph::Windows81CompliancePolicy.password_minimum_length: Option<i32>  GET /x_1"));
}

/// The real docs change from 2020-05-18 to 2021 (`graph-docs-2020` beside the corpus): what it does
/// to the generated crates' users, counted per class, kind and area. A snapshot, so a change to the
/// diff's rules shows its effect on 14 months of Graph docs.
#[test]
fn diff_of_fourteen_months_of_docs() {
    let Some(corpus) = common::corpus() else { return };
    let older = corpus.parent().expect("the corpus has a parent folder").join("graph-docs-2020");
    assert!(older.is_dir(), "the 2020 docs are not at {} (beside the corpus)", older.display());
    let mut changes = Vec::new();
    for version in ["v1.0", "beta"] {
        let model = |root: &std::path::Path| {
            docbind::build_model(&Input::read(&[root.join(version)]).expect("the docs are readable"))
        };
        changes.extend(docbind::diff::diff(version, &model(&older), &model(&corpus)));
    }
    let summary = docbind::diff::summarize(&changes);
    assert_eq!(summary.semver, "major");
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_json_snapshot!("diff-2020-2021", summary);
    });
}
