//! Path steps and request methods: a struct per node of the path tree, holding the path walked so
//! far; its methods are the steps onward (`messages()`, `id(..)`) and the requests documented there
//! (`list()`, `create(&body)`, `send_mail(&body)`). The first steps are functions at the crate root.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::function::{Body, Chain, Function, Step};
use super::layout::{Part, Unit};
use super::model_impl::ModelImpl;
use super::record::Record;
use super::{doc_text, ident, method_tokens, Context};
use crate::areas::Gate;
use crate::ir::*;
use crate::naming::body_key;
use crate::paths::{Edge, RequestMethod, StepPart};
use crate::template::{template_pieces, TemplatePiece};

impl Context<'_> {
    fn node_gate(&self, node: usize) -> Option<&Gate> {
        self.gates.map(|g| &g.nodes[node])
    }

    fn method_gate(&self, node: usize, method: usize) -> Option<&Gate> {
        self.gates.map(|g| &g.methods[node][method])
    }

    /// The units of `paths.rs`, sorted by name: the struct and impl of every step, and the body
    /// structs of actions.
    pub(super) fn path_units(&self) -> Vec<Unit<'_>> {
        let tree = &self.names.paths;
        let mut units: Vec<(&str, Unit<'_>)> = tree
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| !node.struct_name.is_empty())
            .map(|(n, node)| (node.struct_name.as_str(), Unit::Step(n)))
            .collect();
        let bodies = self.body_units();
        let plumbing: Vec<(&str, Unit<'_>)> = bodies
            .iter()
            .map(|(name, (index, gate))| (*name, Unit::Body(*index, gate.clone(), Part::Plumbing)))
            .collect();
        units.extend(bodies.into_iter().map(|(name, (index, gate))| (name, Unit::Body(index, gate, Part::Definition))));
        units.sort_by(|a, b| a.0.cmp(b.0));
        units.into_iter().chain(plumbing).map(|(_, unit)| unit).collect()
    }

    /// The struct of a path step and its impl: the steps under it and the requests there.
    pub(super) fn step(&self, n: usize) -> Step<'_> {
        let node = &self.names.paths.nodes[n];
        let doc = format!(
            "`{}`\n\nA step of the path: its methods are the steps under it and the requests documented \
             there.",
            node.template
        );
        let steps = node.edges.iter().map(|edge| self.step_fn(edge, Some(n)));
        let requests = node.methods.iter().enumerate().map(|(m, method)| self.request_fn(n, m, method, true));
        Step {
            doc,
            gate: self.node_gate(n),
            name: node.struct_name.clone(),
            functions: steps.chain(requests).collect(),
        }
    }

    /// The first steps, as functions at the crate root (`me()`, `users()`), and requests to the
    /// root itself (`batch(&body)` for `POST /$batch`).
    pub(super) fn root_functions(&self) -> TokenStream {
        let root = &self.names.paths.nodes[0];
        let steps = root.edges.iter().map(|edge| self.step_fn(edge, None).tokens());
        let requests = root.methods.iter().enumerate().map(|(m, method)| self.request_fn(0, m, method, false).tokens());
        quote! { #(#steps)* #(#requests)* }
    }

    /// The appended parts of a step or action: `.segment("/messages")` and `.key(id)` for the
    /// common steps (less code for the compiler than the general `.join(&[...])`).
    fn join(parts: &[StepPart], params: &[Ident]) -> (&'static str, Vec<TokenStream>) {
        match parts {
            [StepPart::Literal(text)] => return ("segment", vec![quote! { #text }]),
            [StepPart::Literal(slash), StepPart::Value(0)] if slash == "/" => {
                let param = &params[0];
                return ("key", vec![quote! { #param }]);
            }
            _ => {}
        }
        let parts = parts.iter().map(|part| match part {
            StepPart::Literal(text) => quote! { ::docbind_runtime::PathPart::Literal(#text) },
            StepPart::Value(i) => {
                let param = &params[*i];
                quote! { ::docbind_runtime::PathPart::Value(#param) }
            }
            StepPart::SubPath(i) => {
                let param = &params[*i];
                quote! { ::docbind_runtime::PathPart::SubPath(#param) }
            }
        });
        ("join", vec![quote! { &[#(#parts),*] }])
    }

    /// A step: a method of the node `from`, or a root function when `from` is none.
    fn step_fn(&self, edge: &Edge, from: Option<usize>) -> Function<'_> {
        let tree = &self.names.paths;
        let target = &tree.nodes[edge.target];
        let ty = ident(&target.struct_name);
        let params: Vec<Ident> = edge.params.iter().map(|p| ident(p)).collect();
        let join = Self::join(&edge.parts, &params);
        let gate = self.inner_gate(self.node_gate(edge.target), from.and_then(|n| self.node_gate(n)));
        let (receiver, ty) = match from {
            Some(_) => (quote! { self.path }, quote! { #ty }),
            None => (quote! { ::docbind_runtime::ResourcePath::root() }, quote! { crate::paths::#ty }),
        };
        let receiver_param = from.map(|_| quote! { &self });
        Function {
            doc: format!("`{}`", target.template),
            gate,
            name: edge.name.clone(),
            params: receiver_param.into_iter().chain(params.iter().map(|p| quote! { #p: &str })).collect(),
            output: ty.clone(),
            body: Body::Step { ty, path: Chain { receiver, calls: vec![join] } },
        }
    }

    /// The gate of an item inside an impl: none when the impl's gate says as much already.
    fn inner_gate<'a>(&self, own: Option<&'a Gate>, outer: Option<&Gate>) -> Option<&'a Gate> {
        own.filter(|_| own != outer)
    }

    /// A request method of node `n` (a root function when `on_self` is false).
    fn request_fn(&self, n: usize, m: usize, method: &RequestMethod, on_self: bool) -> Function<'_> {
        let call = self.model.call(method.calls[0]);
        // Values the request line's own query asks for (`startDateTime={start_datetime}`), named by
        // the naming pass in order.
        let query_params: Vec<Ident> = method.query_params.iter().map(|p| ident(p)).collect();
        let mut next_param = query_params.iter();
        let query: Vec<(&'static str, Vec<TokenStream>)> = method
            .query
            .iter()
            .map(|(key, value)| {
                let parts: Vec<TokenStream> = template_pieces(value)
                    .iter()
                    .map(|piece| match piece {
                        TemplatePiece::Text(text) => quote! { #text },
                        TemplatePiece::Placeholder(_) => {
                            let param = next_param.next().expect("one name per query placeholder");
                            quote! { #param }
                        }
                    })
                    .collect();
                let value = match parts.as_slice() {
                    [] => quote! { "" },
                    [single] => single.clone(),
                    _ => quote! { &[#(#parts),*].concat() },
                };
                ("query", vec![quote! { #key }, value])
            })
            .collect();
        let (body_params, body_call) = match &method.body {
            // A file or a photo: the caller gives the bytes and their type (`.stream(…)` on the
            // request sends a stream instead).
            _ if call.raw_request() => (
                vec![quote! { content_type: &str }, quote! { content: impl ::std::convert::Into<::std::vec::Vec<u8>> }],
                Some(("bytes", vec![quote! { content_type }, quote! { content }])),
            ),
            None => (Vec::new(), None),
            Some(BodySpec::Type { type_ref }) => {
                let ty = self.value_type(type_ref, false);
                (vec![quote! { body: &#ty }], Some(("json", vec![quote! { body }])))
            }
            Some(BodySpec::Parameters { .. }) => {
                let ty = ident(self.names.body_struct(self.model, method.calls[0]).expect("named in the naming pass"));
                (vec![quote! { body: &crate::paths::#ty }], Some(("json", vec![quote! { body }])))
            }
        };
        let (response, make) = self.response_type(method);
        let http = method_tokens(call.line.method);
        let version = &call.operation.api_version;
        let join = (!method.parts.is_empty()).then(|| Self::join(&method.parts, &[]));
        let outer = if on_self { self.node_gate(n) } else { None };
        let gate = self.inner_gate(self.method_gate(n, m), outer);
        let (receiver_param, receiver) = if on_self {
            (Some(quote! { &self }), quote! { self.path })
        } else {
            (None, quote! { ::docbind_runtime::ResourcePath::root() })
        };
        let params = receiver_param
            .into_iter()
            .chain(query_params.iter().map(|p| quote! { #p: &str }))
            .chain(body_params)
            .collect();
        let calls =
            join.into_iter().chain([(make, vec![http, quote! { #version }])]).chain(query).chain(body_call).collect();
        Function {
            doc: self.request_doc(method),
            gate,
            name: method.name.clone(),
            params,
            output: quote! { ::docbind_runtime::Request<#response> },
            body: Body::Request(Chain { receiver, calls }),
        }
    }

    fn request_doc(&self, method: &RequestMethod) -> String {
        let Call { operation, line } = self.model.call(method.calls[0]);
        let mut doc = format!("{}\n", doc_text(&operation.name));
        if !operation.description.is_empty() {
            doc.push_str(&format!("\n{}\n", doc_text(&operation.description)));
        }
        let written = match &line.path_template.query {
            Some(query) => format!("{}?{query}", line.path),
            None => line.path.clone(),
        };
        doc.push_str(&format!("\n`{} {written}` ({})\n", line.method.as_str(), operation.api_version));
        // The page's other request lines for the same request.
        let others: Vec<String> = operation
            .request_lines
            .iter()
            .filter(|other| other.method == line.method && other.path != line.path)
            .map(|other| format!("- `{}`", other.path))
            .collect();
        if !others.is_empty() {
            doc.push_str(&format!("\nThe same request at other paths:\n{}\n", others.join("\n")));
        }
        let headers: Vec<String> = operation.headers.iter().filter_map(|h| header_setter(&h.name)).collect();
        if !headers.is_empty() {
            doc.push_str(&format!("\nHeaders the docs describe: {}.\n", headers.join(", ")));
        }
        if let Some(status) = line.response.status {
            doc.push_str(&format!("\nSucceeds with status {status}.\n"));
        }
        let permissions: Vec<String> = operation
            .permissions
            .iter()
            .filter(|p| !p.scopes.is_empty() || !p.higher.is_empty())
            .map(|p| {
                let kind = match &p.resource {
                    Some(resource) => format!("{} (for a {resource})", p.kind),
                    None => p.kind.clone(),
                };
                let mut line = format!("- {}: {}", doc_text(&kind), doc_text(&p.scopes.join(", ")));
                if !p.higher.is_empty() {
                    line.push_str(&format!("; higher privileged: {}", doc_text(&p.higher.join(", "))));
                }
                line
            })
            .collect();
        if !permissions.is_empty() {
            // Today's tables split the least privileged scopes from the higher ones; older tables
            // list one set, least privileged first.
            let heading = if operation.permissions.iter().any(|p| !p.higher.is_empty()) {
                "Permissions (least privileged first; choose a higher privileged one only if the app needs it)"
            } else {
                "Permissions"
            };
            doc.push_str(&format!("\n{heading}:\n{}\n", permissions.join("\n")));
        }
        let pages: Vec<String> =
            method.calls.iter().map(|&id| format!("`{}`", self.model.call(id).line.source)).collect();
        doc.push_str(&format!("\nDocumented at {}.", pages.join(", ")));
        doc
    }

    /// The parameter structs of actions by name, sorted: the request line that documents each
    /// first, and the gate of every request method that takes it.
    fn body_units(&self) -> BTreeMap<&str, (CallId, Option<Gate>)> {
        let mut gates: BTreeMap<&str, Option<Gate>> = BTreeMap::new();
        for (n, node) in self.names.paths.nodes.iter().enumerate() {
            for (m, method) in node.methods.iter().enumerate() {
                if let Some(name) = self.names.body_struct(self.model, method.calls[0]) {
                    let gate = gates.entry(name).or_insert_with(|| self.gates.map(|_| Gate::new()));
                    if let (Some(gate), Some(more)) = (gate.as_mut(), self.method_gate(n, m)) {
                        gate.extend(more.iter().cloned());
                    }
                }
            }
        }
        let mut units = BTreeMap::new();
        for (id, call) in self.model.calls() {
            let Some(BodySpec::Parameters { .. }) = &call.operation.body else { continue };
            let Some((name, _, _)) = self.names.bodies.get(&body_key(self.model, id)) else { continue };
            // Each body once, from its first request line; one that no method takes is not emitted.
            let Some(gate) = gates.remove(name.as_str()) else { continue };
            units.insert(name.as_str(), (id, gate));
        }
        units
    }

    pub(super) fn body_record<'a>(&'a self, id: CallId, gate: Option<&'a Gate>) -> Option<Record<'a>> {
        let Call { operation, line } = self.model.call(id);
        let Some(BodySpec::Parameters { parameters }) = &operation.body else { return None };
        let (name, fields, map) = self.names.bodies.get(&body_key(self.model, id))?;
        let doc = format!(
            "The parameters of `{} {}` ({}), and of the same request at the page's other paths.",
            line.method.as_str(),
            line.path,
            doc_text(&operation.name)
        );
        Some(self.record(name.clone(), &operation.name, gate, doc, parameters, fields, map, false))
    }

    /// The `Model` impl of an action's parameter struct; nothing where [`Self::body_item`] gives
    /// no struct.
    pub(super) fn body_model_impl<'a>(&'a self, id: CallId, gate: Option<&'a Gate>) -> Option<ModelImpl<'a>> {
        let Call { operation, .. } = self.model.call(id);
        let Some(BodySpec::Parameters { parameters }) = &operation.body else { return None };
        let (name, fields, map) = self.names.bodies.get(&body_key(self.model, id))?;
        Some(ModelImpl {
            gate,
            name: name.clone(),
            doc_name: &operation.name,
            wires: parameters.iter().map(|parameter| parameter.name.as_str()).collect(),
            fields,
            map,
            open: false,
        })
    }

    /// The crate's front page: how a URL from the docs becomes a call.
    pub(super) fn crate_doc(&self, header: &str) -> String {
        let root = &self.names.paths.nodes[0];
        let firsts: Vec<String> = root.edges.iter().take(12).map(|e| format!("[`{}`]", e.name)).collect();
        let more = root.edges.len().saturating_sub(firsts.len());
        let firsts = if more > 0 { format!("{}, and {more} more", firsts.join(", ")) } else { firsts.join(", ") };
        format!(
            "Typed Microsoft Graph client.\n\n\
             The URL is the API: every documented request is reached by walking its path, one method per \
             segment, from the functions at the crate root ({firsts}). Values in the path are arguments, \
             and the request at the end is named after its HTTP method (`get`, `list`, `create`, \
             `update`, `put`, `delete`, `post`), or after its action:\n\n\
             ```text\n\
             GET  /users                                   users().list()\n\
             GET  /users/{{id}}/messages/{{id}}                users().id(u).messages().id(m).get()\n\
             POST /me/sendMail                             me().send_mail(&body)\n\
             GET  /me/drive/items/{{id}}/content             me().drive().items().id(i).content().get()\n\
             GET  /me/drive/root:/{{path}}:/content          me().drive().root().path(\"a/b.txt\").content().get()\n\
             POST /groups/{{id}}/members/$ref                 groups().id(g).members().ref_().post(&body)\n\
             ```\n\n\
             Each step's docs show its path, and each request's docs its HTTP line, the pages that document \
             it and the permissions they name. A request is a plain value, \
             [`docbind_runtime::Request`]: send it with [`docbind_runtime::Client::send`], or put it in a \
             [`docbind_runtime::Batch`]. Types are in one module per namespace of the docs; the steps are \
             in [`paths`].\n\n{header}"
        )
    }
}

/// A documented request header and the runtime setter for it; none for the headers the client
/// sets itself (`Authorization`, `Content-Type`, `Accept`, `Content-Length`).
fn header_setter(documented: &str) -> Option<String> {
    let name = documented.split(':').next().unwrap_or_default().trim();
    let setter = match name.to_ascii_lowercase().as_str() {
        "" | "authorization" | "content-type" | "accept" | "content-length" => return None,
        "if-match" => "`.if_match(..)`".to_string(),
        "if-none-match" => "`.if_none_match(..)`".to_string(),
        "consistencylevel" => "`.consistency_level_eventual()`".to_string(),
        "workbook-session-id" => "`.workbook_session_id(..)`".to_string(),
        "accept-language" => "`.accept_language(..)`".to_string(),
        "prefer" if documented.contains("outlook.timezone") => "`.outlook_timezone(..)`".to_string(),
        "prefer" if documented.contains("outlook.body-content-type") => "`.outlook_body_content_type(..)`".to_string(),
        "prefer" => "`.prefer(..)`".to_string(),
        _ => format!("`.header({name:?}, ..)`"),
    };
    Some(format!("`{}` ({setter})", documented.trim().replace('`', "'")))
}
