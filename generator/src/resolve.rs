//! Stage 4: the per-page models → one model for the whole input, resolved across pages.
//!
//! Takes every page's [`Model`] plus the list of input files; gives a single [`Model`] in which types
//! defined over several pages are merged, enums from enum pages win over "Possible values" lists,
//! every type reference names a fully qualified type or enum (or is `Unknown`, with a diagnostic),
//! derived types carry their inherited properties, and links to pages outside the input are reported.
//! Everything is sorted so the output is deterministic whatever order pages were read in.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use crate::diagnostics::{Code, Diagnostics, Source};

/// The runtime's grammar of date and time text, so that an example value the runtime would refuse
/// is a DB017 here instead of a failing example test.
#[allow(dead_code)] // The runtime uses the parts resolve does not.
#[path = "../../runtime/src/dates/grammar.rs"]
mod date_grammar;
use crate::ir::*;
use crate::sections::PageLink;

/// What resolve needs to know about one page besides its model.
pub struct PageInput {
    pub file: String,
    pub model: Model,
    pub links: Vec<(PageLink, Source)>,
}

/// How many type references resolve pass saw, and how many named something the input defines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeRefCounts {
    pub type_refs: u64,
    pub resolved: u64,
}

/// `diagnostics` holds what the earlier stages found; the model's list has those and resolve's own,
/// sorted.
pub fn resolve(pages: Vec<PageInput>, mut diagnostics: Diagnostics) -> (Model, TypeRefCounts) {
    let diagnostics = &mut diagnostics;
    let files: BTreeSet<String> = pages.iter().map(|p| p.file.to_lowercase()).collect();
    let mut namespaces = BTreeSet::new();
    // Sized up front: growing these by doubling copies every operation of the corpus several times.
    let mut types: Vec<TypeDef> = Vec::with_capacity(pages.iter().map(|p| p.model.types.len()).sum());
    let mut enums: Vec<EnumDef> = Vec::with_capacity(pages.iter().map(|p| p.model.enums.len()).sum());
    let mut operations = Vec::with_capacity(pages.iter().map(|p| p.model.operations.len()).sum());
    for page in pages {
        check_links(&page.links, &files, diagnostics);
        types.extend(page.model.types);
        enums.extend(page.model.enums);
        operations.extend(page.model.operations);
    }

    canonical_namespaces(&mut types, &mut enums, &mut operations);
    let mut enums = merge_enums(enums, diagnostics);
    let mut types = merge_types(types, diagnostics);
    // A name defined both as an enum and as a type (from a body table) is an enum; a "Possible
    // values" list for a name that a resource page defines as a type does not make it an enum.
    types.retain(|name, def| !(def.from_request_body && enums.contains_key(name)));
    enums.retain(|name, def| {
        let shadowed = def.origin == EnumOrigin::PossibleValues && types.contains_key(name);
        if shadowed {
            diagnostics.push(
                Code::ConflictingDefinition,
                &def.source,
                format!("lists values for `{}`, which is a type, not an enum", def.name),
            );
        }
        !shadowed
    });
    let mut index = NameIndex::new(&types, &enums);

    for def in types.values_mut() {
        if let Some(base) = def.base.take() {
            index.counts.type_refs += 1;
            def.base = match index.lookup(&base, &def.namespace) {
                Some(found) => {
                    index.counts.resolved += 1;
                    Some(found)
                }
                None => {
                    diagnostics.push(
                        Code::UnknownType,
                        &def.source,
                        format!("base type `{base}` is not defined by any page of the input"),
                    );
                    None
                }
            };
        }
        for property in &mut def.properties {
            index.resolve(&mut property.type_ref, &def.namespace, &property.source, diagnostics);
        }
    }
    for operation in &mut operations {
        let namespace = operation.namespace.clone();
        // The page says its body once: a problem with it is reported once, at the first line.
        let at = operation.request_lines[0].source.clone();
        match &mut operation.body {
            Some(BodySpec::Type { type_ref }) => index.resolve(type_ref, &namespace, &at, diagnostics),
            Some(BodySpec::Parameters { parameters }) => {
                for p in parameters {
                    index.resolve(&mut p.type_ref, &namespace, &p.source, diagnostics);
                }
            }
            None => {}
        }
        for line in &mut operation.request_lines {
            if let Some(type_ref) = &mut line.response.type_ref {
                index.resolve(type_ref, &namespace, &line.response.source, diagnostics);
            }
            if line.response.status.is_none() {
                diagnostics.push(
                    Code::MissingResponse,
                    &line.source,
                    format!("`{} {}` has no documented response status", line.method.as_str(), line.path),
                );
            }
        }
    }
    inherit(&mut types, diagnostics);
    for line in operations.iter_mut().flat_map(|o| &mut o.request_lines) {
        let response = &mut line.response;
        let needs_type = !matches!(response.status, Some(204) | Some(300..=399)) && !response.empty;
        let untyped = response.type_ref.as_ref().is_none_or(|t| matches!(t.target, TypeTarget::Unknown(_)));
        if needs_type && untyped {
            if let Some(type_ref) = type_of_path(&line.path, line.method, &types, &index) {
                response.type_ref = Some(type_ref);
            }
        }
    }
    for operation in &mut operations {
        widen_to_examples(operation, &types);
    }
    // With the response types final, check the examples against them.
    check_examples(&types, &enums, &mut operations, diagnostics);
    for operation in &operations {
        namespaces.insert(operation.namespace.clone());
    }
    for def in enums.values_mut() {
        namespaces.insert(def.namespace.clone());
    }
    for def in types.values() {
        namespaces.insert(def.namespace.clone());
    }

    // Operations are large; sorting their positions moves each one once instead of many times.
    let mut order: Vec<usize> = (0..operations.len()).collect();
    fn key(o: &Operation) -> (&String, &String, &Source) {
        (&o.namespace, &o.name, &o.request_lines[0].source)
    }
    order.sort_by(|&a, &b| key(&operations[a]).cmp(&key(&operations[b])));
    let mut slots: Vec<Option<Operation>> = operations.into_iter().map(Some).collect();
    // Sized up front: `filter_map` gives no length, and regrowing would move every operation again.
    let mut operations = Vec::with_capacity(order.len());
    operations.extend(order.iter().filter_map(|&i| slots[i].take()));
    let mut all = std::mem::take(&mut diagnostics.0);
    all.sort();
    all.dedup();
    let model = Model {
        namespaces: namespaces.into_iter().collect(),
        operations,
        types: types.into_values().collect(),
        enums: std::mem::take(&mut enums).into_values().collect(),
        diagnostics: all,
    };
    (model, index.counts)
}

/// Namespaces that differ only in case (`microsoft.graph.termstore` on one page, `.termStore` on
/// the rest) are one namespace, spelled as most definitions spell it.
fn canonical_namespaces(types: &mut [TypeDef], enums: &mut [EnumDef], operations: &mut [Operation]) {
    // Counted per spelling first: nearly every definition says `microsoft.graph`, so only a few
    // distinct spellings are lowercased.
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    let used = types
        .iter()
        .map(|t| &t.namespace)
        .chain(enums.iter().map(|e| &e.namespace))
        .chain(operations.iter().map(|o| &o.namespace));
    for namespace in used {
        *counts.entry(namespace.as_str()).or_default() += 1;
    }
    // Per lowercase form, the most used spelling; of equally used ones, the first in byte order.
    let mut best: BTreeMap<String, (&str, usize)> = BTreeMap::new();
    for (&spelling, &count) in &counts {
        let chosen = best.entry(spelling.to_lowercase()).or_insert((spelling, count));
        if count > chosen.1 || (count == chosen.1 && spelling < chosen.0) {
            *chosen = (spelling, count);
        }
    }
    let fixes: FxHashMap<String, String> = counts
        .keys()
        .filter_map(|&spelling| {
            let (chosen, _) = best[&spelling.to_lowercase()];
            (chosen != spelling).then(|| (spelling.to_string(), chosen.to_string()))
        })
        .collect();
    let fix = |namespace: &mut String, name: Option<&mut String>| {
        let Some(best) = fixes.get(namespace.as_str()) else { return };
        if let Some(name) = name {
            if let Some(simple) = name.strip_prefix(namespace.as_str()).and_then(|rest| rest.strip_prefix('.')) {
                *name = format!("{best}.{simple}");
            }
        }
        *namespace = best.clone();
    };
    for def in types.iter_mut() {
        fix(&mut def.namespace, Some(&mut def.name));
    }
    for def in enums.iter_mut() {
        fix(&mut def.namespace, Some(&mut def.name));
    }
    for operation in operations.iter_mut() {
        fix(&mut operation.namespace, None);
    }
}

/// Relative `.md` links must point at a page of the input. Sections lists each target once per page.
fn check_links(links: &[(PageLink, Source)], files: &BTreeSet<String>, diagnostics: &mut Diagnostics) {
    for (link, at) in links {
        if !files.contains(&link.page.to_lowercase()) {
            diagnostics.push(
                Code::BrokenLink,
                at,
                format!("link to `{}`, a page that is not in the input", link.target),
            );
        }
    }
}

fn merge_enums(defs: Vec<EnumDef>, diagnostics: &mut Diagnostics) -> BTreeMap<String, EnumDef> {
    let mut merged: BTreeMap<String, EnumDef> = BTreeMap::new();
    let mut sorted = defs;
    sorted.sort_by_cached_key(|def| (def.name.to_lowercase(), def.origin, def.source.clone()));
    for def in sorted {
        let key = def.name.to_lowercase();
        match merged.get_mut(&key) {
            None => {
                merged.insert(key, def);
            }
            Some(existing)
                if existing.origin == EnumOrigin::PossibleValues && def.origin == EnumOrigin::PossibleValues =>
            {
                for member in def.members {
                    if !existing.members.iter().any(|m| m.name == member.name) {
                        existing.members.push(member);
                    }
                }
            }
            Some(existing) => {
                // A lower-ranked source (sorted after) disagrees only if it names members the winner lacks.
                let missing: Vec<&str> = def
                    .members
                    .iter()
                    .filter(|m| !existing.members.iter().any(|e| e.name == m.name))
                    .map(|m| m.name.as_str())
                    .collect();
                if !missing.is_empty() && def.origin == existing.origin {
                    diagnostics.push(
                        Code::ConflictingDefinition,
                        &def.source,
                        format!("enum `{}` is also defined at {} with other members", def.name, existing.source),
                    );
                } else if !missing.is_empty() {
                    diagnostics.push(
                        Code::ConflictingDefinition,
                        &def.source,
                        format!(
                            "lists values {} that enum `{}` ({}) does not have",
                            missing.join(", "),
                            existing.name,
                            existing.source
                        ),
                    );
                }
            }
        }
    }
    merged
}

fn merge_types(defs: Vec<TypeDef>, diagnostics: &mut Diagnostics) -> BTreeMap<String, TypeDef> {
    let mut sorted = defs;
    // Resource pages first, request-body descriptions last; among resource pages the type's own page
    // (`user.md` for `user`, not `intune-devices-user.md`), whose area and place the type keeps;
    // then by place for determinism.
    let own_page = |def: &TypeDef| {
        let stem = def.source.file.rsplit('/').next().unwrap_or_default().trim_end_matches(".md").to_ascii_lowercase();
        stem == def.name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase()
    };
    sorted
        .sort_by_cached_key(|def| (def.name.to_lowercase(), def.from_request_body, !own_page(def), def.source.clone()));
    let mut merged: BTreeMap<String, TypeDef> = BTreeMap::new();
    for def in sorted {
        let key = def.name.to_lowercase();
        let existing = match merged.entry(key) {
            // The first definition goes through the same property merge as later ones, so a row
            // listed twice in one table is caught too.
            std::collections::btree_map::Entry::Vacant(slot) => {
                let mut def = def;
                let properties = std::mem::take(&mut def.properties);
                let existing = slot.insert(def);
                merge_properties(existing, properties, diagnostics);
                continue;
            }
            std::collections::btree_map::Entry::Occupied(slot) => slot.into_mut(),
        };
        if def.from_request_body && !existing.from_request_body {
            continue;
        }
        if let (Some(a), Some(b)) = (&existing.base, &def.base) {
            if !a.eq_ignore_ascii_case(b) {
                diagnostics.push(
                    Code::ConflictingDefinition,
                    &def.source,
                    format!("`{}` has base `{b}` here but `{a}` at {}", def.name, existing.source),
                );
            }
        }
        existing.base = existing.base.take().or(def.base);
        existing.key = existing.key.take().or(def.key);
        existing.open |= def.open;
        existing.abstract_ |= def.abstract_;
        if existing.description.is_empty() {
            existing.description = def.description;
        }
        merge_properties(existing, def.properties, diagnostics);
    }
    merged
}

fn merge_properties(existing: &mut TypeDef, properties: Vec<Property>, diagnostics: &mut Diagnostics) {
    // Name → position, so that a type with 100,000 rows merges in n log n, not n².
    let mut positions: BTreeMap<String, usize> =
        existing.properties.iter().enumerate().map(|(i, p)| (p.name.clone(), i)).collect();
    for property in properties {
        let Some(&at) = positions.get(&property.name) else {
            positions.insert(property.name.clone(), existing.properties.len());
            existing.properties.push(property);
            continue;
        };
        let known = &mut existing.properties[at];
        if known.from_example && !property.from_example {
            // A table row says more than a JSON example does.
            *known = property;
        } else if !property.from_example && !known.from_example && !same_type(&known.type_ref, &property.type_ref) {
            diagnostics.push(
                Code::ConflictingDefinition,
                &property.source,
                format!(
                    "`{}.{}` is `{}` here but `{}` at {}",
                    existing.name, property.name, property.type_ref.written, known.type_ref.written, known.source
                ),
            );
        }
    }
}

/// Whether two unresolved references name the same type: `driveItemSource` and
/// `microsoft.graph.driveItemSource` do, whatever the case.
fn same_type(a: &TypeRef, b: &TypeRef) -> bool {
    let simple = |t: &TypeRef| match &t.target {
        TypeTarget::Named(name) | TypeTarget::Unknown(name) => name.rsplit('.').next().unwrap_or(name).to_lowercase(),
        TypeTarget::Primitive(p) => format!("{p:?}"),
    };
    a.collection == b.collection && simple(a) == simple(b)
}

/// Finds types and enums by qualified or simple name (case-insensitively, as the docs are inconsistent).
/// Hash maps: names share long prefixes (`microsoft.graph.`), which every comparison in an ordered
/// map would read again, and nothing here depends on order.
struct NameIndex {
    qualified: FxHashMap<String, String>,
    simple: FxHashMap<String, Vec<String>>,
    /// Page (lowercased path) → the one type or enum it defines; pages defining several are left out.
    by_page: FxHashMap<String, Option<String>>,
    counts: TypeRefCounts,
}

impl NameIndex {
    fn new(types: &BTreeMap<String, TypeDef>, enums: &BTreeMap<String, EnumDef>) -> Self {
        let mut qualified = FxHashMap::default();
        let mut simple: FxHashMap<String, Vec<String>> = FxHashMap::default();
        let mut by_page: FxHashMap<String, Option<String>> = FxHashMap::default();
        for def in types.values().filter(|t| !t.from_request_body) {
            by_page
                .entry(def.source.file.to_lowercase())
                .and_modify(|known| {
                    if known.as_ref() != Some(&def.name) {
                        *known = None
                    }
                })
                .or_insert_with(|| Some(def.name.clone()));
        }
        for name in types.values().map(|t| &t.name).chain(enums.values().map(|e| &e.name)) {
            qualified.insert(name.to_lowercase(), name.clone());
            let short = name.rsplit('.').next().unwrap_or(name).to_lowercase();
            simple.entry(short).or_default().push(name.clone());
        }
        NameIndex { qualified, simple, by_page, counts: TypeRefCounts::default() }
    }

    /// The type defined by the page a reference links to.
    fn by_link(&self, type_ref: &TypeRef) -> Option<String> {
        self.by_page.get(&type_ref.link.as_ref()?.to_lowercase())?.clone()
    }

    /// By name; plural names in prose ("**currencies** object") fall back to their singular.
    fn lookup(&self, name: &str, namespace: &str) -> Option<String> {
        self.lookup_exact(name, namespace).or_else(|| {
            let singular = if let Some(stem) = name.strip_suffix("ies") {
                format!("{stem}y")
            } else {
                name.strip_suffix('s')?.to_string()
            };
            self.lookup_exact(&singular, namespace)
        })
    }

    fn lookup_exact(&self, name: &str, namespace: &str) -> Option<String> {
        let lower = name.to_lowercase();
        if let Some(found) = self.qualified.get(&lower) {
            return Some(found.clone());
        }
        let short = lower.rsplit('.').next().unwrap_or(&lower);
        let candidates = self.simple.get(short)?;
        if let [only] = candidates.as_slice() {
            return Some(only.clone());
        }
        let in_namespace = format!("{}.{short}", namespace.to_lowercase());
        candidates
            .iter()
            .find(|c| lowercase_equals(c, &in_namespace))
            .or_else(|| {
                candidates.iter().find(|c| {
                    c.matches('.').count() == 2
                        && c.get(..16).is_some_and(|prefix| lowercase_equals(prefix, "microsoft.graph."))
                })
            })
            .or_else(|| candidates.first())
            .cloned()
    }

    fn resolve(&mut self, type_ref: &mut TypeRef, namespace: &str, at: &Source, diagnostics: &mut Diagnostics) {
        self.counts.type_refs += 1;
        let target = match &type_ref.target {
            TypeTarget::Named(name) => match self.lookup(name, namespace).or_else(|| self.by_link(type_ref)) {
                Some(found) => {
                    self.counts.resolved += 1;
                    TypeTarget::Named(found)
                }
                None => {
                    diagnostics.push(
                        Code::UnknownType,
                        at,
                        format!("type `{name}` is not defined by any page of the input"),
                    );
                    TypeTarget::Unknown(name.clone())
                }
            },
            TypeTarget::Unknown(name) => {
                diagnostics.push(Code::UnknownType, at, format!("`{name}` is not a type name docbind can read"));
                return;
            }
            TypeTarget::Primitive(_) => {
                self.counts.resolved += 1;
                return;
            }
        };
        type_ref.target = target;
    }
}

/// Whether `text` lowercased is `lower`, without a lowercase copy when `text` is ASCII (as names are).
fn lowercase_equals(text: &str, lower: &str) -> bool {
    if text.is_ascii() {
        text.len() == lower.len() && text.bytes().zip(lower.bytes()).all(|(a, b)| a.to_ascii_lowercase() == b)
    } else {
        text.to_lowercase() == lower
    }
}

/// Appends each type's inherited properties (nearest base first) and records their names.
fn inherit(types: &mut BTreeMap<String, TypeDef>, diagnostics: &mut Diagnostics) {
    let keys: Vec<String> = types.keys().cloned().collect();
    for key in keys {
        let mut chain = Vec::new();
        let mut seen = BTreeSet::from([key.clone()]);
        let mut next = types[&key].base.clone();
        while let Some(base) = next {
            let base_key = base.to_lowercase();
            if !seen.insert(base_key.clone()) {
                let def = &types[&key];
                diagnostics.push(
                    Code::InheritanceCycle,
                    &def.source,
                    format!("the base types of `{}` loop back through `{base}`", def.name),
                );
                break;
            }
            let Some(base_def) = types.get(&base_key) else { break };
            chain.push(base_key);
            next = base_def.base.clone();
        }
        let mut added = Vec::new();
        for base_key in chain {
            for property in &types[&base_key].properties {
                let def = &types[&key];
                if !def.properties.iter().any(|p| p.name == property.name)
                    && !added.iter().any(|p: &Property| p.name == property.name)
                {
                    added.push(property.clone());
                }
            }
        }
        let def = types.get_mut(&key).expect("key from the map");
        def.inherited = added.iter().map(|p| p.name.clone()).collect();
        def.properties.extend(added);
    }
}

/// The type a request path addresses, walked through the docs' own relationships: `/me/messages/{id}`
/// is a `message` because `me` is a `user` whose `messages` are messages. Used only for operations
/// whose page names no response type ("returns the resource instance"). A POST to a collection
/// returns one element; a POST to anything else is an action, whose result the path cannot tell.
fn type_of_path(path: &str, method: Method, types: &BTreeMap<String, TypeDef>, index: &NameIndex) -> Option<TypeRef> {
    let mut segments = path.split('?').next()?.split('/').filter(|s| !s.is_empty());
    let first = segments.next()?;
    let (mut current, mut collection) = match first {
        "me" => (index.lookup_exact("user", "microsoft.graph")?, false),
        root => {
            let found = index.lookup_exact(root, "microsoft.graph");
            match found {
                Some(found) => (found, false),
                None => (index.lookup(root, "microsoft.graph")?, true),
            }
        }
    };
    for segment in segments {
        if segment.starts_with('{') {
            collection = false;
            continue;
        }
        if segment.contains(['(', ':', '$']) {
            return None;
        }
        if segment.starts_with("microsoft.graph.") {
            current = index.lookup_exact(segment, "microsoft.graph")?;
            continue;
        }
        let def = types.get(&current.to_lowercase())?;
        let property = def.properties.iter().find(|p| p.name.eq_ignore_ascii_case(segment))?;
        let TypeTarget::Named(next) = &property.type_ref.target else { return None };
        current = next.clone();
        collection = property.type_ref.collection;
    }
    if method == Method::Post {
        if !collection {
            return None;
        }
        collection = false;
    }
    types.contains_key(&current.to_lowercase()).then(|| TypeRef {
        written: format!("(the type `{path}` addresses)"),
        collection,
        target: TypeTarget::Named(current),
        link: None,
    })
}

/// A body or response typed by its first example or link (`fileAttachment`, `ipNamedLocation`)
/// while other examples show sibling types (`itemAttachment`, `countryNamedLocation`) is widened to
/// the nearest base they all derive from (`attachment`, `namedLocation`).
fn widen_to_examples(operation: &mut Operation, types: &BTreeMap<String, TypeDef>) {
    let examples = operation.request_lines.iter().flat_map(|line| &line.examples);
    let requests: Vec<&serde_json::Value> = examples.filter_map(|e| e.request.as_ref()?.body.as_ref()).collect();
    if let Some(BodySpec::Type { type_ref }) = operation.body.as_mut() {
        widen(type_ref, &requests, types);
    }
    // Each line's response against that line's examples: lines answer with different types.
    for line in &mut operation.request_lines {
        let responses: Vec<&serde_json::Value> =
            line.examples.iter().filter_map(|e| e.response.as_ref()?.body.as_ref()).collect();
        if let Some(type_ref) = line.response.type_ref.as_mut() {
            widen(type_ref, &responses, types);
        }
    }
}

fn widen(type_ref: &mut TypeRef, bodies: &[&serde_json::Value], types: &BTreeMap<String, TypeDef>) {
    let TypeTarget::Named(name) = &type_ref.target else { return };
    let ancestors = |name: &str| {
        let mut chain = vec![name.to_lowercase()];
        while let Some(base) = types.get(chain.last().unwrap()).and_then(|d| d.base.as_ref()) {
            if chain.contains(&base.to_lowercase()) || chain.len() > 16 {
                break;
            }
            chain.push(base.to_lowercase());
        }
        chain
    };
    // Worked out at the first example that names a type: most operations have none.
    let mut widened: Option<Vec<String>> = None;
    for body in bodies {
        let items = match body.get("value").and_then(|v| v.as_array()) {
            Some(items) if type_ref.collection => items.iter().collect(),
            _ => vec![*body],
        };
        for item in items {
            let Some(tag) = item.get("@odata.type").and_then(|t| t.as_str()) else { continue };
            let shown = ancestors(tag.trim_start_matches('#'));
            if !types.contains_key(&shown[0]) {
                continue;
            }
            // Keep the nearest of our chain that the shown type also derives from.
            let widened = widened.get_or_insert_with(|| ancestors(name));
            if let Some(keep) = widened.iter().position(|a| shown.contains(a)) {
                widened.drain(..keep);
            }
        }
    }
    if let Some(def) = widened.as_ref().and_then(|w| w.first()).and_then(|w| types.get(w)) {
        if !def.name.eq_ignore_ascii_case(name) {
            type_ref.target = TypeTarget::Named(def.name.clone());
        }
    }
}

/// Examples against the docs' own tables, as ApiDoctor checks them: a property the type does not
/// have (unless the type is open), or a value of the wrong kind, is a diagnostic at the example and
/// a [`Contradiction`] on it, so that example tests know what the docs cannot promise.
fn check_examples(
    types: &BTreeMap<String, TypeDef>,
    enums: &BTreeMap<String, EnumDef>,
    operations: &mut [Operation],
    diagnostics: &mut Diagnostics,
) {
    use rayon::prelude::*;
    let checker = ExampleChecker { types, enums };
    // Each operation's examples are checked on rayon's pool into a list of their own; the lists are
    // joined in order, so the diagnostics do not depend on the thread count.
    let found: Vec<Diagnostics> = operations
        .par_iter_mut()
        .map(|operation| {
            let mut diagnostics = Diagnostics::default();
            check_operation(&checker, operation, &mut diagnostics);
            diagnostics
        })
        .collect();
    for list in found {
        diagnostics.0.extend(list.0);
    }
}

/// Checks the examples of one operation's request lines against its body and their responses.
fn check_operation(checker: &ExampleChecker<'_>, operation: &mut Operation, diagnostics: &mut Diagnostics) {
    let body_spec = &operation.body;
    for line in &mut operation.request_lines {
        let response_type = &line.response.type_ref;
        for example in &mut line.examples {
            let (mut found, mut contradictions) = (Vec::new(), Vec::new());
            if let (Some(spec), Some(request)) = (body_spec, &example.request) {
                if let Some(body) = &request.body {
                    match spec {
                        BodySpec::Type { type_ref } => {
                            checker.value(body, type_ref, type_ref.collection, &mut "$".to_string(), &mut found, 0)
                        }
                        BodySpec::Parameters { parameters } => checker.parameters(body, parameters, &mut found),
                    }
                }
                record(
                    &mut found,
                    ExamplePart::Request,
                    "request body",
                    &request.source,
                    &mut contradictions,
                    diagnostics,
                );
            }
            if let (Some(type_ref), Some(response)) = (response_type, &example.response) {
                if let Some(body) = &response.body {
                    checker.response(body, type_ref, &mut found);
                }
                record(
                    &mut found,
                    ExamplePart::Response,
                    "response",
                    &response.source,
                    &mut contradictions,
                    diagnostics,
                );
            }
            example.contradictions = contradictions;
        }
    }
    // Only now, with the contradictions known, can it say which pairs can be tests.
    for index in 0..operation.request_lines.len() {
        let call = Call { operation, line: &operation.request_lines[index] };
        let verdicts: Vec<Option<Untestable>> = call
            .line
            .examples
            .iter()
            .map(|e| match e.request.is_some() && e.response.is_some() {
                true => call.example_values(e).err(),
                false => e.untestable,
            })
            .collect();
        for (example, verdict) in operation.request_lines[index].examples.iter_mut().zip(verdicts) {
            example.untestable = verdict;
        }
    }
}

/// Turns what the checker found in one part of an example into diagnostics and contradictions.
fn record(
    found: &mut Vec<Finding>,
    part: ExamplePart,
    what: &str,
    at: &Source,
    contradictions: &mut Vec<Contradiction>,
    diagnostics: &mut Diagnostics,
) {
    for finding in found.drain(..) {
        let code = match finding.kind {
            ContradictionKind::UndocumentedProperty => Code::ExampleExtraProperty,
            ContradictionKind::WrongType => Code::ExampleTypeMismatch,
        };
        diagnostics.push(code, at, format!("{what} {}", finding.message));
        contradictions.push(Contradiction { part, path: finding.path, kind: finding.kind });
    }
}

/// One contradiction at a JSON path, with the words that explain it.
struct Finding {
    kind: ContradictionKind,
    path: String,
    message: String,
}

struct ExampleChecker<'a> {
    types: &'a BTreeMap<String, TypeDef>,
    enums: &'a BTreeMap<String, EnumDef>,
}

impl ExampleChecker<'_> {
    fn response(&self, body: &serde_json::Value, type_ref: &TypeRef, found: &mut Vec<Finding>) {
        // A collection response wraps its items in `value`.
        let wrapped = body.get("value").filter(|v| v.is_array());
        match wrapped {
            Some(items) if type_ref.collection => {
                // Beside `value`, a collection has only annotations (`@odata.nextLink`).
                for key in body.as_object().into_iter().flat_map(|o| o.keys()) {
                    if key != "value" && !key.contains('@') {
                        found.push(Finding {
                            kind: ContradictionKind::UndocumentedProperty,
                            message: format!("$.{key} is not part of a collection response"),
                            path: format!("$.{key}"),
                        });
                    }
                }
                self.value(items, type_ref, true, &mut "$.value".to_string(), found, 0)
            }
            // A page that documents one object while its example shows a `value` collection
            // contradicts itself: the client, typed as the page says, cannot read the example.
            Some(_) if !self.has_property(type_ref, "value") => found.push(Finding {
                kind: ContradictionKind::WrongType,
                path: "$".to_string(),
                message: format!("$ is a collection (`value`), but the docs return one `{}`", type_ref.written.trim()),
            }),
            _ => self.value(body, type_ref, type_ref.collection, &mut "$".to_string(), found, 0),
        }
    }

    /// An action's body: a JSON object of the parameters its table lists.
    fn parameters(&self, body: &serde_json::Value, parameters: &[Property], found: &mut Vec<Finding>) {
        let serde_json::Value::Object(object) = body else {
            mismatch("$", "a JSON object of parameters", body, found);
            return;
        };
        for (key, value) in object {
            if key.contains('@') {
                continue;
            }
            let mut at = format!("$.{key}");
            match parameters.iter().find(|p| p.name == *key) {
                Some(parameter) => {
                    self.value(value, &parameter.type_ref, parameter.type_ref.collection, &mut at, found, 1)
                }
                None => found.push(Finding {
                    kind: ContradictionKind::UndocumentedProperty,
                    message: format!("{at} is not a parameter in the request body table"),
                    path: at,
                }),
            }
        }
    }

    fn has_property(&self, type_ref: &TypeRef, name: &str) -> bool {
        let TypeTarget::Named(type_name) = &type_ref.target else { return false };
        self.types.get(&type_name.to_lowercase()).is_some_and(|def| def.properties.iter().any(|p| p.name == name))
    }

    /// Checks `value` against `type_ref`. `path` is the value's JSON path; it is extended in place
    /// for each member and restored, so that only findings allocate a path of their own.
    fn value(
        &self,
        value: &serde_json::Value,
        type_ref: &TypeRef,
        collection: bool,
        path: &mut String,
        found: &mut Vec<Finding>,
        depth: usize,
    ) {
        use serde_json::Value;
        if value.is_null() || depth > 16 {
            return;
        }
        if collection {
            match value {
                Value::Array(items) => {
                    let len = path.len();
                    for (i, item) in items.iter().enumerate() {
                        path.truncate(len);
                        let _ = write!(path, "[{i}]");
                        self.value(item, type_ref, false, path, found, depth + 1);
                    }
                    path.truncate(len);
                }
                _ => mismatch(path, "a collection", value, found),
            }
            return;
        }
        let fits = match &type_ref.target {
            TypeTarget::Primitive(Primitive::Boolean) => value.is_boolean(),
            TypeTarget::Primitive(Primitive::Int16 | Primitive::Int32 | Primitive::Int64 | Primitive::Byte) => {
                value.is_i64() || value.is_u64()
            }
            TypeTarget::Primitive(Primitive::Double | Primitive::Decimal) => value.is_number() || value.is_string(),
            TypeTarget::Primitive(Primitive::Json) | TypeTarget::Unknown(_) => true,
            // The generated client reads these with the runtime's own checks (the same grammar).
            TypeTarget::Primitive(Primitive::DateTimeOffset) => {
                value.as_str().is_some_and(|t| date_grammar::date_time_offset(t).is_some())
            }
            TypeTarget::Primitive(Primitive::Date) => value.as_str().is_some_and(|t| date_grammar::date(t).is_some()),
            TypeTarget::Primitive(Primitive::TimeOfDay) => {
                value.as_str().is_some_and(|t| date_grammar::time_of_day(t).is_some())
            }
            TypeTarget::Primitive(Primitive::Duration) => {
                value.as_str().is_some_and(|t| date_grammar::duration(t).is_some())
            }
            TypeTarget::Primitive(_) => value.is_string(),
            TypeTarget::Named(name) => {
                let key = name.to_lowercase();
                if self.enums.contains_key(&key) {
                    value.is_string()
                } else if let Some(def) = self.types.get(&key) {
                    let Value::Object(object) = value else {
                        mismatch(path, &format!("a `{name}` object"), value, found);
                        return;
                    };
                    self.object(object, def, path, found, depth);
                    true
                } else {
                    true
                }
            }
        };
        if !fits {
            mismatch(path, &type_ref.written, value, found);
        }
    }

    fn object(
        &self,
        object: &serde_json::Map<String, serde_json::Value>,
        def: &TypeDef,
        path: &mut String,
        found: &mut Vec<Finding>,
        depth: usize,
    ) {
        // An object may say it is a derived type; check it against that type.
        let def = object
            .get("@odata.type")
            .and_then(|t| t.as_str())
            .and_then(|t| self.types.get(&t.trim_start_matches('#').to_lowercase()))
            .unwrap_or(def);
        let len = path.len();
        for (key, value) in object {
            if key.contains('@') {
                continue;
            }
            path.truncate(len);
            path.push('.');
            path.push_str(key);
            match def.properties.iter().find(|p| p.name == *key) {
                Some(property) => {
                    self.value(value, &property.type_ref, property.type_ref.collection, path, found, depth + 1)
                }
                // A type known only from a request-body table lists what can be set, not all it has.
                None if !def.open && !def.from_request_body => found.push(Finding {
                    kind: ContradictionKind::UndocumentedProperty,
                    message: format!("{path} is not a property of `{}`", def.name),
                    path: path.clone(),
                }),
                None => {}
            }
        }
        path.truncate(len);
    }
}

fn mismatch(path: &str, expected: &str, value: &serde_json::Value, found: &mut Vec<Finding>) {
    let mut shown = value.to_string();
    if shown.len() > 40 {
        let cut = (0..=40).rev().find(|&i| shown.is_char_boundary(i)).unwrap_or(0);
        shown.truncate(cut);
        shown.push('…');
    }
    found.push(Finding {
        kind: ContradictionKind::WrongType,
        path: path.to_string(),
        message: format!("{path} is {shown}, but the docs type it `{expected}`"),
    });
}
