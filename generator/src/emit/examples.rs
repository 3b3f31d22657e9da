//! `examples.rs`: the documented examples as tests of the generated client, and every request line
//! walked through its steps.
//!
//! An example test calls the steps with the example's values; the request it builds must be the
//! documented request, and the documented response, served from a local server, must come back
//! typed without losing a documented field. The walk tests check the path tree itself: for every
//! request line, the chain of steps builds exactly the line's path (values filled in), worked out
//! here from the line as documented, not from the tree.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use rayon::prelude::*;

use super::layout::{file_text, format_tokens};
use super::{ident, Context};
use crate::ir::*;
use crate::names;
use crate::paths::{Route, RouteStep, StepArg};
use crate::template::{decoded_query, template_pieces, TemplatePiece};

/// Request lines per walk test: one function with thousands of statements compiles slowly.
const WALKS_PER_TEST: usize = 200;

/// The name each test is formatted under before the names are claimed. Names go, in order, only to
/// the pairs that become tests, which is known once all are made; the name stands alone on the
/// line `async fn …() {`, so putting the claimed name in its place changes no layout.
const STAND_IN: &str = "docbind_example_test_name";

pub(super) fn file(cx: &Context<'_>, header: &str) -> String {
    let pairs: Vec<(CallId, &Example)> = cx
        .model
        .calls()
        .flat_map(|(id, call)| call.line.examples.iter().map(move |example| (id, example)))
        .filter(|(_, example)| example.request.is_some() && example.response.is_some())
        .collect();
    // Made and formatted on rayon's pool, like the units of every other file.
    let made: Vec<Result<String, Untestable>> = pairs
        .par_iter()
        .map(|&(id, example)| {
            let tokens = cx.example_test(id, example)?;
            let (gate, test) = (cx.route_gate(id), ident(STAND_IN));
            Ok(format_tokens(quote! { #gate #[tokio::test] async fn #test() { #tokens } }))
        })
        .collect();
    let mut tests: Vec<(String, String)> = Vec::new();
    let mut scope = names::Scope::default();
    let mut skipped: BTreeMap<Untestable, Vec<String>> = BTreeMap::new();
    for (&(id, example), made) in pairs.iter().zip(made) {
        match made {
            Ok(text) => {
                let operation = cx.model.call(id).operation;
                let name = scope.claim_numbered(names::function_name(&format!("{} {}", operation.name, example.name)));
                let text = text.replacen(STAND_IN, &name, 1);
                tests.push((name, text));
            }
            Err(skip) => {
                let source = example.request.as_ref().map(|r| r.source.to_string()).unwrap_or_default();
                skipped.entry(skip).or_default().push(format!("{} ({source})", example.name));
            }
        }
    }
    tests.sort_by(|a, b| a.0.cmp(&b.0));
    let examples = tests.len();
    let ids: Vec<CallId> = cx.model.calls().map(|(id, _)| id).collect();
    let lines = ids.len();
    let walks: Vec<String> = ids
        .par_chunks(WALKS_PER_TEST)
        .enumerate()
        .map(|(chunk, ids)| {
            let walks = ids.iter().map(|&id| cx.walk(id));
            let test = ident(&format!("request_lines_walk_to_their_paths_{:03}", chunk + 1));
            format_tokens(quote! { #[test] fn #test() { #(#walks)* } })
        })
        .collect();
    let mut doc = format!(
        "The documented examples as tests: {examples} examples; and each of the {lines} request lines walked \
         through its steps.\n\nProperties that an example shows but its type's tables do not list (DB016 \
         diagnostics) are not expected back: the tests name them."
    );
    for (skip, examples) in &skipped {
        doc.push_str(&format!("\n\nSkipped, {}: {}.", skip.explanation(), examples.join(", ")));
    }
    let items = tests.into_iter().map(|(_, text)| text).chain(walks).collect();
    file_text(format!("{doc}\n\n{header}"), items)
}

/// A placeholder's value in the walk tests: `p0`, `p1`, … by path parameter, so that a value in the
/// wrong place shows.
fn marker(index: usize) -> String {
    format!("p{index}")
}

impl Context<'_> {
    /// The gate of the request method that a request line's route ends in.
    fn route_gate(&self, id: CallId) -> TokenStream {
        let route = &self.names.paths.routes[&id];
        super::cfg_any(self.gates.map(|g| &g.methods[route.node][route.method]))
    }

    /// `crate::me().messages().id(..)` up to and including the request method's name, with the
    /// step values `value` gives for each path parameter.
    fn chain(&self, id: CallId, value: &dyn Fn(usize) -> String) -> TokenStream {
        self.chain_of(&self.names.paths.routes[&id], value)
    }

    fn chain_of(&self, route: &Route, value: &dyn Fn(usize) -> String) -> TokenStream {
        let tree = &self.names.paths;
        let mut chain = quote! { crate };
        for (at, step) in route.steps.iter().enumerate() {
            let edge = &tree.nodes[step.node].edges[step.edge];
            let name = ident(&edge.name);
            let args = step.args.iter().map(|arg| arg.fill(value));
            chain = if at == 0 {
                quote! { #chain::#name(#(#args),*) }
            } else {
                quote! { #chain.#name(#(#args),*) }
            };
        }
        let method = ident(&tree.nodes[route.node].methods[route.method].name);
        if route.steps.is_empty() {
            quote! { #chain::#method }
        } else {
            quote! { #chain.#method }
        }
    }

    /// The request method a request line's route ends in, and its first request line (whose query
    /// and body struct the method has).
    fn signature_of(&self, id: CallId) -> (&crate::paths::RequestMethod, CallId) {
        let route = &self.names.paths.routes[&id];
        let method = &self.names.paths.nodes[route.node].methods[route.method];
        (method, method.calls[0])
    }

    /// Whether a request line's own body and response fit the request method's (which another page
    /// of the same request may have given): the same shape, and types equal to the method's or
    /// derived from them.
    fn fits(&self, call: Call, method: &crate::paths::RequestMethod) -> bool {
        let signature = self.model.call(method.calls[0]);
        let type_fits = |own: &TypeRef, theirs: &TypeRef| {
            own.collection == theirs.collection
                && match (&own.target, &theirs.target) {
                    (TypeTarget::Named(own), TypeTarget::Named(theirs)) => self.derives_from(own, theirs),
                    (own, theirs) => own == theirs,
                }
        };
        let body = call.raw_request() == signature.raw_request();
        let body = body
            && match (&call.operation.body, &method.body) {
                (None, None) => true,
                (Some(BodySpec::Type { type_ref: own }), Some(BodySpec::Type { type_ref: theirs })) => {
                    type_fits(own, theirs)
                }
                (Some(BodySpec::Parameters { parameters: own }), Some(BodySpec::Parameters { parameters: theirs })) => {
                    own.len() == theirs.len()
                        && own.iter().zip(theirs).all(|(a, b)| a.name == b.name && a.type_ref == b.type_ref)
                }
                _ => false,
            };
        let response = match (call.line.response.body_type(), &method.response) {
            (None, None) => call.raw_response() == signature.raw_response(),
            (Some(own), Some(theirs)) => type_fits(own, theirs),
            _ => false,
        };
        body && response
    }

    /// Whether `name` is `ancestor` or derives from it.
    fn derives_from(&self, name: &str, ancestor: &str) -> bool {
        let mut current = Some(name);
        for _ in 0..32 {
            match current {
                Some(c) if c == ancestor => return true,
                Some(c) => current = self.types.get(c).and_then(|t| t.base.as_deref()),
                None => return false,
            }
        }
        false
    }

    /// One request line walked with marker values; the expected path comes from the line as
    /// documented (`...` left out: the walk takes the repeated steps once).
    fn walk(&self, id: CallId) -> TokenStream {
        let line = self.model.call(id).line;
        let (method, signature) = self.signature_of(id);
        let chain = self.chain(id, &|i| marker(i));
        let mut expected = String::new();
        for piece in &line.path_template.segments {
            match piece {
                // Spaces are left out of a URL (`resizedRange(deltaRows={n}, deltaColumns={n})`).
                PathPiece::Literal(text) => expected.extend(text.chars().filter(|c| *c != ' ')),
                PathPiece::Parameter(i) => expected.push_str(&marker(*i)),
            }
        }
        let expected = expected.replace("/.../", "/");
        // The method's own query values, in order.
        let mut args = Vec::new();
        let mut query = Vec::new();
        let mut next = 0;
        for (key, value) in &method.query {
            let mut filled = String::new();
            for piece in template_pieces(value) {
                match piece {
                    TemplatePiece::Text(text) => filled.push_str(text),
                    TemplatePiece::Placeholder(_) => {
                        let value = format!("q{next}");
                        next += 1;
                        filled.push_str(&value);
                        args.push(quote! { #value });
                    }
                }
            }
            query.push(quote! { (#key, #filled) });
        }
        if self.model.call(signature).raw_request() {
            args.extend([quote! { "text/plain" }, quote! { "content" }]);
        } else if let Some(body) = &method.body {
            args.push(self.placeholder_body(body));
        }
        let method = line.method.as_str();
        let gate = self.route_gate(id);
        quote! {
            #gate
            ::docbind_runtime::testing::assert_walk(#chain(#(#args),*), #method, #expected, &[#(#query),*]);
        }
    }

    /// Some value of a request's body type, for a walk that only looks at the path.
    fn placeholder_body(&self, body: &BodySpec) -> TokenStream {
        let polymorphic_or_enum = |type_ref: &TypeRef| match &type_ref.target {
            TypeTarget::Named(name) if !type_ref.collection && !self.flags.contains(name.as_str()) => {
                self.names.polymorphic.contains_key(name) || self.enums.contains(name.as_str())
            }
            _ => false,
        };
        match body {
            BodySpec::Type { type_ref } if polymorphic_or_enum(type_ref) => {
                let is_enum = matches!(&type_ref.target, TypeTarget::Named(name) if self.enums.contains(name.as_str()));
                let json = if is_enum { "\"x\"" } else { "{}" };
                quote! { &::docbind_runtime::serde_json::from_str(#json).expect("a value of the body type") }
            }
            BodySpec::Type { .. } | BodySpec::Parameters { .. } => quote! { &::std::default::Default::default() },
        }
    }

    /// One example as a test: the request the steps build from the example's values must be the
    /// documented request, and the documented response served from a local server must come back
    /// typed with every documented field.
    fn example_test(&self, id: CallId, example: &Example) -> Result<TokenStream, Untestable> {
        let call = self.model.call(id);
        let values = call.example_values(example)?;
        let (method, signature) = self.signature_of(id);
        let (Some(request), Some(response)) = (&example.request, &example.response) else {
            return Err(Untestable::UrlMatchesNoRequestLine);
        };
        if !self.fits(call, method) {
            return Err(Untestable::PagesDisagree);
        }
        let undocumented = |part: ExamplePart| {
            let paths = example.contradictions.iter().filter(|c| c.part == part).map(|c| c.path.as_str());
            quote! { &[#(#paths),*] }
        };
        let (request_undocumented, response_undocumented) =
            (undocumented(ExamplePart::Request), undocumented(ExamplePart::Response));
        let body_value = match (&method.body, &request.body) {
            (Some(BodySpec::Type { type_ref }), Some(json)) => Some((self.value_type(type_ref, false), json)),
            (Some(BodySpec::Parameters { .. }), Some(json)) => {
                let name = ident(self.names.body_struct(self.model, signature).expect("named in the naming pass"));
                Some((quote! { crate::paths::#name }, json))
            }
            // example_values turned these away.
            (Some(_), None) | (None, _) => None,
        };
        let raw_request = call.raw_request();
        let (body_let, body_arg, body_json) = match &body_value {
            // Content as the example sends it, with its type.
            _ if raw_request => {
                let content_type = request
                    .headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                    .map_or("application/octet-stream", |(_, v)| v.trim());
                let content = request.content.as_deref().unwrap_or_default();
                (quote! {}, quote! { #content_type, #content }, quote! { ::std::option::Option::None })
            }
            Some((ty, json)) => {
                let text = json.to_string();
                (
                    quote! {
                        let body: #ty = ::docbind_runtime::serde_json::from_str(#text)
                            .expect("the documented body fits the body type");
                    },
                    quote! { &body },
                    quote! { ::std::option::Option::Some(#text) },
                )
            }
            None => (quote! {}, quote! {}, quote! { ::std::option::Option::None }),
        };
        // The values of the request line's query placeholders, in order: those of the method's own
        // query are its arguments; the others are OData options, set as the example sets them.
        let method_keys: Vec<String> = method.query.iter().map(|(key, _)| key.to_ascii_lowercase()).collect();
        let mut query_args = Vec::new();
        let mut next = values.query.iter();
        for (key, value) in call.line.path_template.query_pairs().iter().filter(|(key, _)| !key.is_empty()) {
            for piece in template_pieces(value) {
                if let TemplatePiece::Placeholder(_) = piece {
                    let value = next.next().cloned().unwrap_or_default();
                    if method_keys.contains(&key.to_ascii_lowercase()) {
                        query_args.push(value);
                    }
                }
            }
        }
        let documented_query = request.url.split_once('?').map(|(_, q)| decoded_query(q)).unwrap_or_default();
        let query_calls = documented_query
            .iter()
            .filter(|(k, _)| !method_keys.contains(&k.to_ascii_lowercase()))
            .map(|(k, v)| quote! { .query(#k, #v) });
        let query_pairs = documented_query.iter().map(|(k, v)| quote! { (#k, #v) });
        let (route, path_values) =
            self.route_through_aliases(id, &values).ok_or(Untestable::UrlMatchesNoRequestLine)?;
        let expected_path = self.expected_path(&route, &path_values);
        let chain = self.chain_of(&route, &|i| path_values[i].clone());
        let http = call.line.method.as_str();
        let status = response.status;
        let response_body = match &response.body {
            Some(json) => {
                let text = json.to_string();
                quote! { ::std::option::Option::Some(#text) }
            }
            None => quote! { ::std::option::Option::None },
        };
        let content_check = if raw_request {
            quote! { ::docbind_runtime::testing::assert_content(&request, #body_arg); }
        } else {
            quote! {}
        };
        let build = quote! {
            #body_let
            let request = #chain(#(#query_args,)* #body_arg) #(#query_calls)*;
            ::docbind_runtime::testing::assert_request(
                &request, #http, #expected_path, &[#(#query_pairs),*], #body_json, #request_undocumented,
            );
            #content_check
        };
        if status >= 400 {
            // An error example: the client must return Graph's error, decoded.
            return Ok(quote! {
                #build
                ::docbind_runtime::testing::assert_graph_error(request, #status, #response_body).await;
            });
        }
        if self.model.call(signature).raw_response() {
            // The function hands out bytes: the documented content must arrive as served, and a
            // documented redirect to a download must be followed to its content.
            if !call.raw_response() {
                return Err(Untestable::PagesDisagree);
            }
            return Ok(match response.raw_answer().ok_or(Untestable::ResponseNotJson)? {
                RawAnswer::Content { content_type, content } => quote! {
                    #build
                    let content = ::docbind_runtime::testing::round_trip_content(request, #status, #content_type, #content).await;
                    ::std::assert_eq!(content, #content.as_bytes(), "the documented content");
                },
                RawAnswer::Redirect { status, location } => quote! {
                    #build
                    ::docbind_runtime::testing::round_trip_redirect(request, #status, #location).await;
                },
            });
        }
        // `()` responses keep nothing; example_values made sure the example shows no fields then.
        let check_response = response.body.as_ref().filter(|_| method.response.is_some()).map(|json| {
            let text = json.to_string();
            quote! {
                let typed = ::docbind_runtime::serde_json::to_value(&typed).expect("the response serializes");
                ::docbind_runtime::testing::assert_covers(&typed, #text, #response_undocumented, "the typed response");
            }
        });
        let binding = if check_response.is_some() {
            quote! { let typed = }
        } else {
            quote! { let _ = }
        };
        Ok(quote! {
            #build
            #binding ::docbind_runtime::testing::round_trip(request, #status, #response_body).await;
            #check_response
        })
    }

    /// The route an example takes to its request line's request method, and the values of its
    /// steps: the line's own, with the steps of each of Graph's aliases the example's URL uses in
    /// place of the plain ones (`me()` for `users().id(..)`, a drive's `root()` or
    /// `root().path(..)` for `items().id(..)`). `None` when the tree has no such alias.
    fn route_through_aliases(&self, id: CallId, values: &ExampleValues) -> Option<(Route, Vec<String>)> {
        let tree = &self.names.paths;
        let mut route = tree.routes[&id].clone();
        let mut path_values = values.path.clone();
        let target = |step: &RouteStep| tree.nodes[step.node].edges[step.edge].target;
        let alias_to = |node: usize, name: &str, to: usize| {
            tree.nodes[node].edges.iter().position(|e| e.alias && e.name == name && e.target == to)
        };
        let plain = |step: &RouteStep, name: &str| tree.nodes[step.node].edges[step.edge].name == name;
        for alias in &values.aliases {
            // The plain steps the alias stands for: `users` and its key (and `drive`), or `items`
            // and its key.
            // (`/drive` may stand for `/me/drive` too, when the request line writes that.)
            let (name, plain_forms): (&str, &[(&str, usize)]) = match alias {
                UrlAlias::Me => ("me", &[("users", 2)]),
                UrlAlias::Drive => ("drive", &[("users", 3), ("me", 2)]),
                UrlAlias::DriveRoot | UrlAlias::DriveRootPath(_) => ("root", &[("items", 2)]),
            };
            let (at, len) = plain_forms.iter().find_map(|&(first, len)| {
                let at = (0..(route.steps.len() + 1).saturating_sub(len)).find(|&i| {
                    plain(&route.steps[i], first)
                        && alias_to(route.steps[i].node, name, target(&route.steps[i + len - 1])).is_some()
                })?;
                Some((at, len))
            })?;
            let (node, item) = (route.steps[at].node, target(&route.steps[at + len - 1]));
            let mut steps = vec![RouteStep { node, edge: alias_to(node, name, item)?, args: Vec::new() }];
            if let UrlAlias::DriveRootPath(item_path) = alias {
                let by_path = alias_to(item, "path", item)?;
                steps.push(RouteStep { node: item, edge: by_path, args: vec![StepArg::Param(path_values.len())] });
                path_values.push(item_path.clone());
            }
            route.steps.splice(at..at + len, steps);
        }
        Some((route, path_values))
    }

    /// The path the steps build with the example's values, each percent-encoded as the runtime does
    /// (computed here independently, so that the tests check the runtime rather than repeat it). The
    /// literal text is the steps' spelling, which may differ in case from the example's page.
    fn expected_path(&self, route: &Route, values: &[String]) -> String {
        let tree = &self.names.paths;
        let mut path = String::new();
        let mut push = |parts: &[crate::paths::StepPart], args: &[String]| {
            for part in parts {
                match part {
                    crate::paths::StepPart::Literal(text) => path.push_str(text),
                    crate::paths::StepPart::Value(i) => path.push_str(&encode_path_value(&args[*i])),
                    crate::paths::StepPart::SubPath(i) => {
                        let segments: Vec<String> =
                            args[*i].trim_matches('/').split('/').map(encode_path_value).collect();
                        path.push_str(&segments.join("/"));
                    }
                }
            }
        };
        for step in &route.steps {
            let args: Vec<String> = step.args.iter().map(|arg| arg.fill(&|i| values[i].clone())).collect();
            push(&tree.nodes[step.node].edges[step.edge].parts, &args);
        }
        push(&tree.nodes[route.node].methods[route.method].parts, &[]);
        path
    }
}

/// The runtime's path-value encoding (RFC 3986 unreserved characters and `,` stay), computed here
/// independently so that the example tests check the runtime rather than repeat it.
fn encode_path_value(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
