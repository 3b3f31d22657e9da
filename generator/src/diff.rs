//! What a docs change does to the users of the generated crate: two resolved models compared item by
//! item (operations, types and their properties, enums and their members, areas), each change
//! classified as breaking, additive or docs only, the way cargo-semver-checks classifies API changes.
//!
//! Takes the old and the new [`Model`]; gives a sorted list of [`Change`]s and their [`Summary`].
//! The CLI (`docbind diff`) prints them for a terminal, as markdown for a pull request, or as JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diagnostics::Source;
use crate::ir::{BodySpec, Call, EnumDef, Model, PathPiece, RequestLine, TypeDef, TypeRef, TypeTarget};
use crate::names::feature_name;

/// How a change affects code written against the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Code that compiles today stops compiling or silently changes meaning.
    Breaking,
    /// New items; existing code keeps compiling and meaning the same.
    Additive,
    /// Only what the docs say about an item (descriptions, permissions, statuses).
    DocsOnly,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::DocsOnly => "docs only",
        }
    }
}

/// One change to one item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub class: Class,
    /// The API version of the docs (`v1.0`, `beta`), or the folder's name.
    pub version: String,
    /// The product area (Cargo feature) of the item, in the new docs when it is there.
    pub area: String,
    /// `operation_removed`, `property_retyped`, `enum_member_added`...
    pub kind: &'static str,
    /// `GET /me/messages`, `microsoft.graph.user.mobilePhone`, `microsoft.graph.color.red`.
    pub item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// `file:line` in the old and the new docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_source: Option<String>,
}

/// Counts per class and per area, and the semver bump the change calls for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub breaking: usize,
    pub additive: usize,
    pub docs_only: usize,
    /// `major`, `minor`, `patch` or `none`.
    pub semver: &'static str,
    pub by_area: BTreeMap<String, BTreeMap<Class, usize>>,
    pub by_kind: BTreeMap<&'static str, usize>,
}

pub fn summarize(changes: &[Change]) -> Summary {
    let mut summary = Summary::default();
    for change in changes {
        match change.class {
            Class::Breaking => summary.breaking += 1,
            Class::Additive => summary.additive += 1,
            Class::DocsOnly => summary.docs_only += 1,
        }
        *summary.by_area.entry(change.area.clone()).or_default().entry(change.class).or_default() += 1;
        *summary.by_kind.entry(change.kind).or_default() += 1;
    }
    summary.semver = if summary.breaking > 0 {
        "major"
    } else if summary.additive > 0 {
        "minor"
    } else if summary.docs_only > 0 {
        "patch"
    } else {
        "none"
    };
    summary
}

fn at(source: &Source) -> String {
    format!("{}:{}", source.file, source.line)
}

/// A type as the diff shows it: `microsoft.graph.user`, `Collection(string)`.
fn type_text(type_ref: &TypeRef) -> String {
    let inner = match &type_ref.target {
        TypeTarget::Named(name) => name.clone(),
        TypeTarget::Primitive(primitive) => format!("{primitive:?}"),
        TypeTarget::Unknown(written) => format!("unknown `{written}`"),
    };
    if type_ref.collection {
        format!("Collection({inner})")
    } else {
        inner
    }
}

fn body_text(body: &Option<BodySpec>) -> String {
    match body {
        None => "none".to_string(),
        Some(BodySpec::Type { type_ref }) => type_text(type_ref),
        Some(BodySpec::Parameters { parameters }) => {
            let names: Vec<String> =
                parameters.iter().map(|p| format!("{}: {}", p.name, type_text(&p.type_ref))).collect();
            format!("{{{}}}", names.join(", "))
        }
    }
}

/// `GET /users/{}/messages`: what identifies a request across versions of the docs, whatever its
/// placeholders are called. The version is the docs folder's (pages have been seen to say another).
fn operation_key(line: &RequestLine) -> String {
    let mut path = String::new();
    for segment in &line.path_template.segments {
        match segment {
            PathPiece::Literal(text) => path.push_str(&text.to_ascii_lowercase()),
            _ => path.push_str("{}"),
        }
    }
    format!("{} {path}", line.method.as_str())
}

/// Collects the changes; each call adds one.
struct Changes(Vec<Change>);

impl Changes {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        class: Class,
        kind: &'static str,
        area: &str,
        item: String,
        old: Option<String>,
        new: Option<String>,
        sources: (Option<&Source>, Option<&Source>),
    ) {
        self.0.push(Change {
            class,
            version: String::new(),
            area: feature_name(area),
            kind,
            item,
            old,
            new,
            old_source: sources.0.map(at),
            new_source: sources.1.map(at),
        });
    }
}

/// Every change from `old` to `new` (two models of one API version), sorted: breaking first, then
/// by area, kind and item.
pub fn diff(version: &str, old: &Model, new: &Model) -> Vec<Change> {
    let mut changes = Changes(Vec::new());
    operations(old, new, &mut changes);
    types(old, new, &mut changes);
    enums(old, new, &mut changes);
    areas(old, new, &mut changes);
    let mut changes = changes.0;
    for change in &mut changes {
        change.version = version.to_string();
    }
    changes.sort();
    changes.dedup();
    changes
}

/// Items by key; the first of several with one key wins.
fn by_key<T>(items: &[T], key: impl Fn(&T) -> String) -> BTreeMap<String, &T> {
    let mut map = BTreeMap::new();
    for item in items {
        map.entry(key(item)).or_insert(item);
    }
    map
}

fn operations(old: &Model, new: &Model, changes: &mut Changes) {
    // Several pages may document one request line; the first (by file) speaks for it.
    let (old_calls, new_calls): (Vec<Call>, Vec<Call>) =
        (old.calls().map(|(_, c)| c).collect(), new.calls().map(|(_, c)| c).collect());
    let key = |c: &Call| operation_key(c.line);
    let (before, after) = (by_key(&old_calls, key), by_key(&new_calls, key));
    for (key, was) in &before {
        let Some(is) = after.get(key) else {
            changes.push(
                Class::Breaking,
                "operation_removed",
                &was.operation.area,
                key.clone(),
                None,
                None,
                (Some(&was.line.source), None),
            );
            continue;
        };
        let sources = (Some(&was.line.source), Some(&is.line.source));
        let area = &is.operation.area;
        let (old_body, new_body) = (body_text(&was.operation.body), body_text(&is.operation.body));
        if old_body != new_body {
            changes.push(
                Class::Breaking,
                "request_body_changed",
                area,
                key.clone(),
                Some(old_body),
                Some(new_body),
                sources,
            );
        }
        let response = |c: &Call| c.line.response.body_type().map_or("none".to_string(), type_text);
        if response(was) != response(is) {
            changes.push(
                Class::Breaking,
                "response_type_changed",
                area,
                key.clone(),
                Some(response(was)),
                Some(response(is)),
                sources,
            );
        }
        let query = |c: &Call| c.line.query_parameters();
        let (old_query, new_query) = (query(was), query(is));
        if old_query != new_query {
            // A parameter of the request method is an argument: any change to them breaks calls.
            changes.push(
                Class::Breaking,
                "parameters_changed",
                area,
                key.clone(),
                Some(old_query.join(", ")),
                Some(new_query.join(", ")),
                sources,
            );
        }
        if was.line.response.status != is.line.response.status {
            let status = |c: &Call| c.line.response.status.map_or("unstated".to_string(), |s| s.to_string());
            changes.push(
                Class::DocsOnly,
                "status_changed",
                area,
                key.clone(),
                Some(status(was)),
                Some(status(is)),
                sources,
            );
        }
        let scopes = |c: &Call| -> BTreeSet<String> {
            // Least and higher privileged alike: a scope moving between the two columns is neither
            // widening nor narrowing.
            c.operation
                .permissions
                .iter()
                .flat_map(|p| {
                    let kind = match &p.resource {
                        Some(resource) => format!("{} ({resource})", p.kind),
                        None => p.kind.clone(),
                    };
                    p.scopes.iter().chain(&p.higher).map(move |s| format!("{kind}: {s}"))
                })
                .collect()
        };
        let (old_scopes, new_scopes) = (scopes(was), scopes(is));
        let added: Vec<&String> = new_scopes.difference(&old_scopes).collect();
        let removed: Vec<&String> = old_scopes.difference(&new_scopes).collect();
        if !added.is_empty() {
            let list = added.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ");
            changes.push(Class::DocsOnly, "permissions_widened", area, key.clone(), None, Some(list), sources);
        }
        if !removed.is_empty() {
            let list = removed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ");
            changes.push(Class::DocsOnly, "permissions_narrowed", area, key.clone(), Some(list), None, sources);
        }
        if was.operation.description != is.operation.description {
            changes.push(Class::DocsOnly, "description_changed", area, key.clone(), None, None, sources);
        }
    }
    for (key, is) in &after {
        if !before.contains_key(key) {
            changes.push(
                Class::Additive,
                "operation_added",
                &is.operation.area,
                key.clone(),
                None,
                None,
                (None, Some(&is.line.source)),
            );
        }
    }
}

/// How alike two types are: shared property names over all of them.
fn likeness(a: &TypeDef, b: &TypeDef) -> f64 {
    let names =
        |t: &TypeDef| -> BTreeSet<String> { t.properties.iter().map(|p| p.name.to_ascii_lowercase()).collect() };
    let (a, b) = (names(a), names(b));
    let all = a.union(&b).count();
    if all == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / all as f64
}

fn types(old: &Model, new: &Model, changes: &mut Changes) {
    let key = |t: &TypeDef| t.name.to_ascii_lowercase();
    let (before, after) = (by_key(&old.types, key), by_key(&new.types, key));
    let removed: Vec<&TypeDef> = before.iter().filter(|(k, _)| !after.contains_key(*k)).map(|(_, t)| *t).collect();
    let added: Vec<&TypeDef> = after.iter().filter(|(k, _)| !before.contains_key(*k)).map(|(_, t)| *t).collect();
    // A type that went away while one of nearly the same properties came is most likely renamed.
    let mut renamed_to: BTreeMap<&str, &TypeDef> = BTreeMap::new();
    for gone in &removed {
        let best = added
            .iter()
            .filter(|t| t.properties.len() >= 2 && !renamed_to.values().any(|r| r.name == t.name))
            .map(|t| (likeness(gone, t), *t))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, to)) = best {
            renamed_to.insert(gone.name.as_str(), to);
        }
    }
    for gone in &removed {
        let sources = (Some(&gone.source), renamed_to.get(gone.name.as_str()).map(|t| &t.source));
        match renamed_to.get(gone.name.as_str()) {
            Some(to) => changes.push(
                Class::Breaking,
                "type_renamed",
                &to.area,
                gone.name.clone(),
                Some(gone.name.clone()),
                Some(to.name.clone()),
                sources,
            ),
            None => changes.push(Class::Breaking, "type_removed", &gone.area, gone.name.clone(), None, None, sources),
        }
    }
    for came in &added {
        if !renamed_to.values().any(|t| t.name == came.name) {
            changes.push(
                Class::Additive,
                "type_added",
                &came.area,
                came.name.clone(),
                None,
                None,
                (None, Some(&came.source)),
            );
        }
    }
    for (key, was) in &before {
        let Some(is) = after.get(key) else { continue };
        let sources = (Some(&was.source), Some(&is.source));
        if was.base != is.base {
            let base = |t: &TypeDef| t.base.clone().unwrap_or_else(|| "none".to_string());
            changes.push(
                Class::Breaking,
                "base_type_changed",
                &is.area,
                is.name.clone(),
                Some(base(was)),
                Some(base(is)),
                sources,
            );
        }
        if feature_name(&was.area) != feature_name(&is.area) {
            // A type's own area gates it: code built with only the old area loses it.
            changes.push(
                Class::Breaking,
                "type_moved_area",
                &is.area,
                is.name.clone(),
                Some(was.area.clone()),
                Some(is.area.clone()),
                sources,
            );
        }
        if was.description != is.description {
            changes.push(Class::DocsOnly, "description_changed", &is.area, is.name.clone(), None, None, sources);
        }
        let name = |p: &crate::ir::Property| p.name.clone();
        let (old_props, new_props) = (by_key(&was.properties, name), by_key(&is.properties, name));
        for (name, property) in &old_props {
            let item = format!("{}.{name}", is.name);
            match new_props.get(name) {
                None => changes.push(
                    Class::Breaking,
                    "property_removed",
                    &is.area,
                    item,
                    Some(type_text(&property.type_ref)),
                    None,
                    (Some(&property.source), Some(&is.source)),
                ),
                Some(now) => {
                    let sources = (Some(&property.source), Some(&now.source));
                    let (a, b) = (&property.type_ref, &now.type_ref);
                    if a.collection != b.collection {
                        changes.push(
                            Class::Breaking,
                            "property_collection_changed",
                            &is.area,
                            item.clone(),
                            Some(type_text(a)),
                            Some(type_text(b)),
                            sources,
                        );
                    } else if a.target != b.target {
                        changes.push(
                            Class::Breaking,
                            "property_retyped",
                            &is.area,
                            item.clone(),
                            Some(type_text(a)),
                            Some(type_text(b)),
                            sources,
                        );
                    }
                    if property.description != now.description {
                        changes.push(Class::DocsOnly, "description_changed", &is.area, item, None, None, sources);
                    }
                }
            }
        }
        for (name, property) in &new_props {
            if !old_props.contains_key(name) {
                let item = format!("{}.{name}", is.name);
                // Generated structs are built with `..Default::default()`: a new field is additive.
                changes.push(
                    Class::Additive,
                    "property_added",
                    &is.area,
                    item,
                    None,
                    Some(type_text(&property.type_ref)),
                    (None, Some(&property.source)),
                );
            }
        }
    }
}

fn enums(old: &Model, new: &Model, changes: &mut Changes) {
    let key = |e: &EnumDef| e.name.to_ascii_lowercase();
    let (before, after) = (by_key(&old.enums, key), by_key(&new.enums, key));
    for (key, was) in &before {
        let Some(is) = after.get(key) else {
            changes.push(
                Class::Breaking,
                "enum_removed",
                &was.area,
                was.name.clone(),
                None,
                None,
                (Some(&was.source), None),
            );
            continue;
        };
        let sources = (Some(&was.source), Some(&is.source));
        if was.flags != is.flags {
            let kind = |e: &EnumDef| if e.flags { "flags" } else { "plain" }.to_string();
            changes.push(
                Class::Breaking,
                "enum_flags_changed",
                &is.area,
                is.name.clone(),
                Some(kind(was)),
                Some(kind(is)),
                sources,
            );
        }
        let members = |e: &EnumDef| -> BTreeSet<String> { e.members.iter().map(|m| m.name.clone()).collect() };
        let (old_members, new_members) = (members(was), members(is));
        for gone in old_members.difference(&new_members) {
            changes.push(
                Class::Breaking,
                "enum_member_removed",
                &is.area,
                format!("{}.{gone}", is.name),
                None,
                None,
                sources,
            );
        }
        for came in new_members.difference(&old_members) {
            // The generated enums are exhaustive: a `match` without a wildcard stops compiling.
            changes.push(
                Class::Breaking,
                "enum_member_added",
                &is.area,
                format!("{}.{came}", is.name),
                None,
                None,
                sources,
            );
        }
    }
    for (key, is) in &after {
        if !before.contains_key(key) {
            changes.push(
                Class::Additive,
                "enum_added",
                &is.area,
                is.name.clone(),
                None,
                None,
                (None, Some(&is.source)),
            );
        }
    }
}

fn areas(old: &Model, new: &Model, changes: &mut Changes) {
    let of = |model: &Model| -> BTreeSet<String> {
        model
            .types
            .iter()
            .map(|t| &t.area)
            .chain(model.operations.iter().map(|o| &o.area))
            .map(|a| feature_name(a))
            .collect()
    };
    let (before, after) = (of(old), of(new));
    for gone in before.difference(&after) {
        changes.push(Class::Breaking, "area_removed", gone, format!("feature `{gone}`"), None, None, (None, None));
    }
    for came in after.difference(&before) {
        changes.push(Class::Additive, "area_added", came, format!("feature `{came}`"), None, None, (None, None));
    }
}

/// The report for a terminal: breaking changes first, grouped by area; docs-only changes as counts
/// unless `verbose`; a one-line summary at the end.
pub fn render_text(changes: &[Change], verbose: bool) -> String {
    let mut out = String::new();
    for class in [Class::Breaking, Class::Additive, Class::DocsOnly] {
        let of_class: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
        if of_class.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{} ({})\n", class.label(), of_class.len()));
        if class == Class::DocsOnly && !verbose {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for change in &of_class {
                *counts.entry(change.kind).or_default() += 1;
            }
            for (kind, count) in counts {
                out.push_str(&format!("  {kind}: {count}\n"));
            }
            out.push_str("  (--verbose lists them)\n");
            continue;
        }
        let mut area = "";
        for change in of_class {
            if change.area != area {
                area = &change.area;
                out.push_str(&format!("  [{area}]\n"));
            }
            out.push_str(&format!("    {}\n", line(change)));
        }
    }
    let summary = summarize(changes);
    let verdict = match summary.semver {
        "none" => "no change to the API or its docs".to_string(),
        bump => format!("a {bump} change"),
    };
    out.push_str(&format!(
        "\ndocbind diff: {} breaking, {} additive, {} docs only: {verdict}\n",
        summary.breaking, summary.additive, summary.docs_only
    ));
    out
}

fn line(change: &Change) -> String {
    let mut text = format!("{} {} {}", change.version, change.kind, change.item);
    match (&change.old, &change.new) {
        (Some(old), Some(new)) => text.push_str(&format!(": {old} → {new}")),
        (Some(old), None) => text.push_str(&format!(": was {old}")),
        (None, Some(new)) => text.push_str(&format!(": {new}")),
        (None, None) => {}
    }
    let sources: Vec<String> = [("old", &change.old_source), ("new", &change.new_source)]
        .iter()
        .filter_map(|(side, source)| source.as_ref().map(|s| format!("{side} {s}")))
        .collect();
    if !sources.is_empty() {
        text.push_str(&format!("  ({})", sources.join(", ")));
    }
    text
}

/// A pull-request comment: a summary table, then a collapsed section per area.
pub fn render_markdown(changes: &[Change]) -> String {
    let summary = summarize(changes);
    let mut out = format!(
        "### docbind diff: a {} change\n\n| | breaking | additive | docs only |\n|---|---:|---:|---:|\n| all | {} | {} | {} |\n",
        summary.semver, summary.breaking, summary.additive, summary.docs_only
    );
    for (area, counts) in &summary.by_area {
        let n = |class| counts.get(&class).copied().unwrap_or(0);
        out.push_str(&format!(
            "| `{area}` | {} | {} | {} |\n",
            n(Class::Breaking),
            n(Class::Additive),
            n(Class::DocsOnly)
        ));
    }
    for area in summary.by_area.keys() {
        let in_area: Vec<&Change> = changes.iter().filter(|c| &c.area == area).collect();
        out.push_str(&format!("\n<details><summary><code>{area}</code> ({})</summary>\n\n", in_area.len()));
        for change in in_area {
            out.push_str(&format!("- **{}** {}\n", change.class.label(), line(change).replace('`', "'")));
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// The JSON report: `{"summary": {...}, "changes": [...]}` (schema in the README).
pub fn render_json(changes: &[Change]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        summary: Summary,
        changes: &'a [Change],
    }
    serde_json::to_string_pretty(&Report { summary: summarize(changes), changes }).unwrap_or_default() + "\n"
}
