//! The naming pass: after resolve, every Rust name the client will have is made here, once: modules,
//! types, their fields, enum variants, the `Any…` enums of polymorphic bases, the path steps and the
//! request methods. Emit only reads the table; name collisions (DB012) are reported from it, with
//! the name each item really got.
//!
//! No name is numbered. A name that another item of its scope took falls back to a longer name that
//! says more (a field spelled `printerID` beside `printerId` becomes `printer_i_d`; a step
//! `microsoft.graph.delta()` beside `delta()` becomes `microsoft_graph_delta`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::FxHashMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Source};
use crate::ir::{BodySpec, Call, CallId, Model, TypeRef, TypeTarget};
use crate::names::{self, Scope};
use crate::paths::PathTree;

/// The module of the path steps (`paths::MeMessages`) and of the request bodies of actions.
pub const PATHS_MODULE: &str = "paths";

/// The private module of the first steps (`me()`, `users()`), which the crate root re-exports.
pub const ROOT_MODULE: &str = "root";

#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Doc name of each type and enum → its Rust name, unique within its module.
    pub types: HashMap<String, String>,
    /// Doc name of each type → its fields' Rust names, one per property, in order; then the name
    /// of its map of further properties (`annotations` or `additional_properties`).
    pub fields: HashMap<String, (Vec<String>, String)>,
    /// Doc name of each enum → its variants' Rust names, one per member.
    pub variants: HashMap<String, Vec<String>>,
    /// Referenced base types that have derived types: doc name → the Rust name of the enum holding
    /// the base or any descendant, and the members (base first, then descendants sorted) with their
    /// variant names.
    pub polymorphic: BTreeMap<String, (String, Vec<(String, String)>)>,
    /// Namespace → module name.
    pub modules: BTreeMap<String, String>,
    /// Every documented request line as a walk from the root.
    pub paths: PathTree,
    /// Request body structs of actions, keyed by operation and method so that one page's request
    /// lines share one: the struct's name in [`PATHS_MODULE`], its fields' names (one per
    /// parameter) and the name of its map of further properties.
    pub bodies: BTreeMap<BodyKey, (String, Vec<String>, String)>,
    /// DB012: where a wanted name was taken and another was given.
    pub diagnostics: Vec<Diagnostic>,
}

/// The request lines of one operation with one method share their body struct: the operation's
/// index in the model, and the method.
pub type BodyKey = (usize, crate::ir::Method);

pub fn body_key(model: &Model, id: CallId) -> BodyKey {
    (id.operation, model.call(id).line.method)
}

impl Names {
    pub fn type_name(&self, doc_name: &str) -> String {
        self.types.get(doc_name).cloned().unwrap_or_else(|| names::type_name(doc_name))
    }

    pub fn module(&self, namespace: &str) -> String {
        self.modules.get(namespace).cloned().unwrap_or_else(|| names::module_name(namespace))
    }

    /// The action-parameter struct of a request line, when its body is a list of parameters.
    pub fn body_struct(&self, model: &Model, id: CallId) -> Option<&str> {
        self.bodies.get(&body_key(model, id)).map(|(name, _, _)| name.as_str())
    }
}

/// Claims `best`, or when another item took it, the first free of it and `second()`; a DB012 at
/// `at` then says which was given instead, of the item `what()` describes.
fn claim(
    scope: &mut Scope,
    best: String,
    second: impl FnOnce() -> String,
    what: impl FnOnce() -> String,
    at: &Source,
    diagnostics: &mut Diagnostics,
) -> String {
    let best = match scope.claim_free(best) {
        Ok(name) => return name,
        Err(best) => best,
    };
    let wanted = [best, second()];
    let (name, _) = scope.claim_first(&wanted);
    diagnostics.push(
        Code::NameCollision,
        at,
        format!("{} would be `{}` in Rust, which another one took; it is `{name}`", what(), wanted[0]),
    );
    name
}

/// Names everything in a resolved model.
pub fn assign(model: &Model) -> Names {
    let mut diagnostics = Diagnostics::default();
    let mut out = Names::default();
    // The path tree needs only the model: it is built while the items are named.
    let (tree, ()) = rayon::join(|| path_tree(model), || name_items(model, &mut out, &mut diagnostics));
    out.paths = tree;
    for renamed in &out.paths.renamed {
        let crate::paths::Renamed { call, template, wanted, given } = renamed;
        diagnostics.push(
            Code::NameCollision,
            &model.call(*call).line.source,
            format!("the step or request `{wanted}` under `{template}` is taken by another; it is `{given}`"),
        );
    }
    // Action bodies, in the paths module beside the step structs.
    let mut paths_scope = Scope::default();
    for node in out.paths.nodes.iter().filter(|node| !node.struct_name.is_empty()) {
        paths_scope.claim(node.struct_name.clone());
    }
    // Only the first page of each request method gives its signature, so only those bodies exist.
    let signatures: Vec<(usize, usize, CallId)> = out
        .paths
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(n, node)| node.methods.iter().enumerate().map(move |(m, method)| (n, m, method.calls[0])))
        .collect();
    for (n, m, id) in signatures {
        let Call { operation, line } = model.call(id);
        let Some(BodySpec::Parameters { parameters }) = &operation.body else { continue };
        let key = body_key(model, id);
        if out.bodies.contains_key(&key) {
            continue;
        }
        let node = &out.paths.nodes[n];
        let method = &node.methods[m].name;
        let method = names::type_name(method);
        let name = claim(
            &mut paths_scope,
            format!("{}{method}Body", node.struct_name),
            || format!("{}{method}Parameters", node.struct_name),
            || format!("the request body of `{} {}`", line.method.as_str(), line.path),
            &line.source,
            &mut diagnostics,
        );
        let mut scope = Scope::default();
        let fields = parameters
            .iter()
            .map(|p| {
                claim(
                    &mut scope,
                    names::field_name(&p.name),
                    || names::field_name_exact(&p.name),
                    || format!("parameter `{}` of `{name}`", p.name),
                    &p.source,
                    &mut diagnostics,
                )
            })
            .collect();
        let map = claim(
            &mut scope,
            "annotations".to_string(),
            || "odata_annotations".to_string(),
            || "the map of annotations".to_string(),
            &line.source,
            &mut diagnostics,
        );
        out.bodies.insert(key, (name, fields, map));
    }
    out.diagnostics = diagnostics.0;
    out
}

/// Modules, types, enums and their variants, the `Any…` enums, and fields.
fn name_items(model: &Model, out: &mut Names, diagnostics: &mut Diagnostics) {
    for namespace in model.namespaces.iter().chain(model.types.iter().map(|t| &t.namespace)) {
        out.modules.entry(namespace.clone()).or_insert_with(|| names::module_name(namespace));
    }
    // Types, then enums, then the `Any…` enums, each unique in its module.
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    let named = model
        .types
        .iter()
        .map(|t| (&t.name, &t.namespace, &t.source))
        .chain(model.enums.iter().map(|e| (&e.name, &e.namespace, &e.source)));
    for (name, namespace, source) in named {
        let module = out.module(namespace);
        let scope = scopes.entry(module.clone()).or_default();
        let given = claim(
            scope,
            names::type_name(name),
            || names::type_name_exact(name),
            || format!("type `{name}` of module `{module}`"),
            source,
            diagnostics,
        );
        out.types.insert(name.clone(), given);
    }
    let by_name: FxHashMap<&str, &crate::ir::TypeDef> = model.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (base, descendants) in descendants(model) {
        let def = by_name[base];
        let module = out.module(&def.namespace);
        let scope = scopes.entry(module).or_default();
        let base_name = &out.types[base];
        let any = claim(
            scope,
            format!("Any{base_name}"),
            || format!("AnyOf{base_name}"),
            || format!("the enum of `{base}` and its derived types"),
            &def.source,
            diagnostics,
        );
        let mut variant_scope = Scope::default();
        variant_scope.claim(names::UNDOCUMENTED_VARIANT.to_string());
        let members = std::iter::once(base)
            .chain(descendants)
            .map(|member| {
                let type_name = &out.types[member];
                let given = claim(
                    &mut variant_scope,
                    type_name.clone(),
                    || format!("{type_name}Type"),
                    || format!("variant `{member}` of `{any}`"),
                    &by_name[member].source,
                    diagnostics,
                );
                (member.to_string(), given)
            })
            .collect();
        out.polymorphic.insert(base.to_string(), (any, members));
    }
    // Fields: inherited properties repeat their base's names many times over, so each doc name is
    // converted once.
    let mut converted: FxHashMap<&str, String> = FxHashMap::default();
    for def in &model.types {
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(def.properties.len());
        for property in &def.properties {
            let first = converted.entry(&property.name).or_insert_with(|| names::field_name(&property.name)).clone();
            fields.push(claim(
                &mut scope,
                first,
                || names::field_name_exact(&property.name),
                || format!("property `{}` of `{}`", property.name, def.name),
                &property.source,
                diagnostics,
            ));
        }
        let map = if def.open { "additional_properties" } else { "annotations" };
        let map = claim(
            &mut scope,
            map.to_string(),
            || format!("odata_{map}"),
            || "the map of further properties".to_string(),
            &def.source,
            diagnostics,
        );
        out.fields.insert(def.name.clone(), (fields, map));
    }
    for def in &model.enums {
        let mut scope = Scope::default();
        scope.claim(names::UNDOCUMENTED_VARIANT.to_string());
        let variants = def
            .members
            .iter()
            .map(|member| {
                claim(
                    &mut scope,
                    names::variant_name(&member.name),
                    || names::variant_name_exact(&member.name),
                    || format!("member `{}` of `{}`", member.name, def.name),
                    &def.source,
                    diagnostics,
                )
            })
            .collect();
        out.variants.insert(def.name.clone(), variants);
    }
}

/// The path tree, its request signatures widened to the types their pages share.
fn path_tree(model: &Model) -> PathTree {
    let cast_types: BTreeSet<String> =
        model.types.iter().map(|t| t.name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase()).collect();
    let mut tree = PathTree::build(model, &cast_types);
    widen_signatures(model, &mut tree);
    tree
}

/// A request that several pages document with different derived types (`iosLobApp`,
/// `androidStoreApp` for `POST /deviceAppManagement/mobileApps`) takes and returns their nearest
/// common base, whose `Any…` enum holds each of them.
fn widen_signatures(model: &Model, tree: &mut PathTree) {
    let bases: FxHashMap<&str, &str> =
        model.types.iter().filter_map(|t| Some((t.name.as_str(), t.base.as_deref()?))).collect();
    let properties: FxHashMap<&str, usize> =
        model.types.iter().map(|t| (t.name.as_str(), t.properties.len())).collect();
    let ancestors = |name: &str| {
        let mut chain = vec![name.to_string()];
        while let Some(base) = bases.get(chain.last().map(String::as_str).unwrap_or_default()) {
            if chain.iter().any(|c| c == base) {
                break;
            }
            chain.push(base.to_string());
        }
        chain
    };
    let common = |refs: &[&TypeRef]| -> Option<TypeRef> {
        let first = refs.first()?;
        let TypeTarget::Named(name) = &first.target else { return None };
        let mut chain = ancestors(name);
        for other in &refs[1..] {
            let TypeTarget::Named(other_name) = &other.target else { return None };
            if other.collection != first.collection {
                return None;
            }
            let theirs = ancestors(other_name);
            let keep = chain.iter().position(|a| theirs.contains(a))?;
            chain.drain(..keep);
        }
        let widest = chain.first()?;
        // A base with nothing but an id (`entity`) says nothing of the request: pages that disagree
        // that much keep the first page's type.
        let says_nothing = properties.get(widest.as_str()).is_none_or(|&count| count <= 1);
        (widest != name && !says_nothing)
            .then(|| TypeRef { target: TypeTarget::Named(widest.clone()), ..(*first).clone() })
    };
    for node in &mut tree.nodes {
        for method in node.methods.iter_mut().filter(|m| m.calls.len() > 1) {
            // Lines with OData options show one use of the request and are often typed by the page's
            // subject (an extension), and pages of other areas are guests (the extension pages that
            // show `POST /groups/{id}/events`): only plain lines of the first page's area widen it.
            let area = &model.call(method.calls[0]).operation.area;
            let calls: Vec<Call> = method
                .calls
                .iter()
                .map(|&id| model.call(id))
                .filter(|c| !crate::paths::has_option_query(c.line) && c.operation.area == *area)
                .collect();
            let bodies: Vec<&TypeRef> = calls
                .iter()
                .filter_map(|c| match &c.operation.body {
                    Some(BodySpec::Type { type_ref }) => Some(type_ref),
                    _ => None,
                })
                .collect();
            if let (Some(BodySpec::Type { type_ref }), Some(widened)) = (&mut method.body, common(&bodies)) {
                *type_ref = widened;
            }
            let responses: Vec<&TypeRef> = calls.iter().filter_map(|c| c.line.response.body_type()).collect();
            if let (Some(response), Some(widened)) = (&mut method.response, common(&responses)) {
                *response = widened;
            }
        }
    }
}

/// Base types that some type derives from (directly or not) and that some property, body or response
/// refers to, each with all its descendants, sorted.
fn descendants(model: &Model) -> BTreeMap<&str, Vec<&str>> {
    let defined: BTreeSet<&str> = model.types.iter().map(|def| def.name.as_str()).collect();
    let bases: BTreeMap<&str, &str> =
        model.types.iter().filter_map(|def| Some((def.name.as_str(), def.base.as_deref()?))).collect();
    let mut referenced = BTreeSet::new();
    let mut refer = |target: &TypeTarget| {
        if let TypeTarget::Named(name) = target {
            referenced.insert(name.clone());
        }
    };
    for def in &model.types {
        def.properties.iter().for_each(|p| refer(&p.type_ref.target));
    }
    for operation in &model.operations {
        match &operation.body {
            Some(BodySpec::Type { type_ref }) => refer(&type_ref.target),
            Some(BodySpec::Parameters { parameters }) => parameters.iter().for_each(|p| refer(&p.type_ref.target)),
            None => {}
        }
        for line in &operation.request_lines {
            line.response.type_ref.iter().for_each(|t| refer(&t.target));
        }
    }
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &derived in bases.keys() {
        // Walk up the chain; `seen` stops at a cycle (reported by resolve).
        let mut seen = BTreeSet::from([derived]);
        let mut current = derived;
        while let Some(&base) = bases.get(current) {
            if !seen.insert(base) {
                break;
            }
            if referenced.contains(base) && defined.contains(base) {
                out.entry(base).or_default().push(derived);
            }
            current = base;
        }
    }
    for list in out.values_mut() {
        list.sort_unstable();
    }
    out
}
