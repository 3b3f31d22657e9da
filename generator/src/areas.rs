//! Which Cargo feature brings each item of a standalone crate: one feature per product area of the
//! docs, and an item compiles when any area that needs it is on.
//!
//! A type is needed by its own area, by the areas of the requests that take or return it (a request
//! belongs to the area of the page that gives it its types), and by the areas of every type that
//! has a field of it, transitively. So a type that compiles always has
//! all of its fields, and turning a feature on only adds items: `outlook` alone gives `Message` with
//! its `body` (an `itemBody`, documented on an Excel page). The `Any…` enum of a base type needs only
//! the base; each derived type's variant is there when that type is.
//!
//! Takes the model and its names; gives the gates, read by emit.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ir::{BodySpec, Model, TypeRef, TypeTarget};
use crate::names;
use crate::naming::Names;
use crate::paths::RequestMethod;

/// The areas an item needs, any one of which brings it. Empty: not gated.
pub type Gate = BTreeSet<String>;

#[derive(Debug, Clone, Default)]
pub struct Gates {
    /// Every area's feature, sorted.
    pub features: BTreeSet<String>,
    /// Doc name of each type and enum → the areas that bring it.
    pub types: HashMap<String, Gate>,
    /// Per path node: the areas of the requests at or under it.
    pub nodes: Vec<Gate>,
    /// Per path node, per request method: the area of the page that gives it its types.
    pub methods: Vec<Vec<Gate>>,
}

impl Gates {
    pub fn of_type(&self, doc_name: &str) -> Option<&Gate> {
        self.types.get(doc_name)
    }
}

fn named(type_ref: &TypeRef) -> Option<&str> {
    match &type_ref.target {
        TypeTarget::Named(name) => Some(name),
        _ => None,
    }
}

/// The types a request method's signature names: its body (or the types of its parameters) and
/// response.
pub fn request_types(method: &RequestMethod) -> Vec<&str> {
    let mut out = Vec::new();
    match &method.body {
        Some(BodySpec::Type { type_ref }) => out.extend(named(type_ref)),
        Some(BodySpec::Parameters { parameters }) => out.extend(parameters.iter().filter_map(|p| named(&p.type_ref))),
        None => {}
    }
    out.extend(method.response.as_ref().and_then(named));
    out
}

pub fn compute(model: &Model, names: &Names) -> Gates {
    let mut gates = Gates::default();
    // A corpus has a few hundred areas for thousands of items: each area's feature is made once.
    let mut features: HashMap<&str, String> = HashMap::new();
    let mut feature_of = |area| features.entry(area).or_insert_with(|| names::feature_name(area)).clone();
    // Where each area's needs start.
    let mut roots: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for def in &model.types {
        roots.entry(feature_of(&def.area)).or_default().push(&def.name);
    }
    for def in &model.enums {
        roots.entry(feature_of(&def.area)).or_default().push(&def.name);
    }
    let tree = &names.paths;
    gates.methods = tree.nodes.iter().map(|node| vec![Gate::new(); node.methods.len()]).collect();
    for (n, node) in tree.nodes.iter().enumerate() {
        for (m, method) in node.methods.iter().enumerate() {
            // The page that gives the method its types gives it its area too: an Intune page that
            // repeats `GET /users/{id}` does not make `intune-devices` compile `user` and the 258
            // types its relationships reach.
            let areas: Gate = Gate::from([feature_of(&model.call(method.calls[0]).operation.area)]);
            let signature = request_types(method);
            for area in &areas {
                roots.entry(area.clone()).or_default().extend(signature.iter().copied());
            }
            gates.methods[n][m] = areas;
        }
    }
    for operation in &model.operations {
        roots.entry(feature_of(&operation.area)).or_default();
    }
    gates.features = roots.keys().cloned().collect();

    // What each type needs directly: the types of its fields.
    let fields: HashMap<&str, Vec<&str>> = model
        .types
        .iter()
        .map(|def| (def.name.as_str(), def.properties.iter().filter_map(|p| named(&p.type_ref)).collect()))
        .collect();
    for (area, starts) in &roots {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<&str> = starts.clone();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            stack.extend(fields.get(name).into_iter().flatten().copied());
        }
        for name in seen {
            gates.types.entry(name.to_string()).or_default().insert(area.clone());
        }
    }

    // A node is there when any request at or under it is; steps that repeat (`childFolders`) make
    // cycles, so this runs until nothing changes.
    gates.nodes = gates.methods.iter().map(|methods| methods.iter().flatten().cloned().collect()).collect();
    loop {
        let mut changed = false;
        for n in (0..tree.nodes.len()).rev() {
            let below: Gate = tree.nodes[n].edges.iter().flat_map(|e| gates.nodes[e.target].clone()).collect();
            let before = gates.nodes[n].len();
            gates.nodes[n].extend(below);
            changed |= gates.nodes[n].len() != before;
        }
        if !changed {
            break;
        }
    }
    gates
}
