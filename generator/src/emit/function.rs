//! Path steps as data: a step's struct and impl, and its functions (the steps onward and the
//! requests), made into tokens or written as text in the layout prettyplease gives them.
//!
//! Steps are a third of a crate's source, and nearly all of them take one of a few shapes: a
//! signature on its line or with one parameter per line, a body that is one method chain (a
//! request) or a struct of one field (a step). Those are written here directly, as prettyplease
//! lays them out, and a test checks the text against prettyplease's for varied names, types,
//! paths, docs and gates; a name with nothing to break passes the margin, as prettyplease lets it.
//! A step with any other shape (a path of several parts, a chain's call past the margin) is made
//! into tokens as before.

use std::fmt::Write;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::quote;

use super::docs::{each_line, write_comment as doc_lines};
use super::model_impl::{gate_text, MARGIN};
use super::record::PathType;
use super::{cfg_any, ident};
use crate::areas::Gate;

/// A path step: its struct, holding the path walked so far, and an impl of its functions.
pub(super) struct Step<'a> {
    pub doc: String,
    /// The gate of the struct and impl; none when not gated.
    pub gate: Option<&'a Gate>,
    pub name: String,
    pub functions: Vec<Function<'a>>,
}

/// A step onward or a request.
pub(super) struct Function<'a> {
    pub doc: String,
    /// Its own gate; none when the impl's gate says as much.
    pub gate: Option<&'a Gate>,
    pub name: String,
    /// `&self`, `id: &str`, `body: &crate::paths::MeSendMailBody`.
    pub params: Vec<TokenStream>,
    pub output: TokenStream,
    pub body: Body,
}

pub(super) enum Body {
    /// `Ty { path: <chain> }`: the step to the struct `ty`.
    Step { ty: TokenStream, path: Chain },
    /// A request: the chain that makes it.
    Request(Chain),
}

/// `self.path.segment("/x").request(..)`: a receiver and the method calls on it.
pub(super) struct Chain {
    pub receiver: TokenStream,
    pub calls: Vec<(&'static str, Vec<TokenStream>)>,
}

impl Chain {
    fn tokens(&self) -> TokenStream {
        let receiver = &self.receiver;
        let calls = self.calls.iter().map(|(method, args)| {
            let method = ident(method);
            quote! { .#method(#(#args),*) }
        });
        quote! { #receiver #(#calls)* }
    }

    /// The receiver and each call as text, `.segment("/x")`; none for a shape of argument
    /// this does not write.
    fn pieces(&self) -> Option<(String, Vec<String>)> {
        let receiver = flat(&self.receiver)?;
        let calls = self
            .calls
            .iter()
            .map(|(method, args)| {
                let args: Vec<String> = args.iter().map(flat).collect::<Option<_>>()?;
                Some(format!(".{method}({})", args.join(", ")))
            })
            .collect::<Option<_>>()?;
        Some((receiver, calls))
    }
}

impl Function<'_> {
    pub(super) fn tokens(&self) -> TokenStream {
        let (doc, gate, name, params, output) =
            (super::doc_attrs(self.doc.clone()), cfg_any(self.gate), ident(&self.name), &self.params, &self.output);
        let body = match &self.body {
            Body::Step { ty, path } => {
                let path = path.tokens();
                quote! { #ty { path: #path } }
            }
            Body::Request(chain) => chain.tokens(),
        };
        quote! {
            #doc
            #gate
            #[inline]
            pub fn #name(#(#params),*) -> #output {
                #body
            }
        }
    }

    /// The function in an impl, four columns in; none for a shape this does not write.
    fn text(&self, out: &mut String) -> Option<()> {
        let params: Vec<String> = self.params.iter().map(flat).collect::<Option<_>>()?;
        let output = PathType::read(&self.output)?;
        doc_lines(out, "    ", &self.doc);
        out.push_str(&gate_text(self.gate, 4));
        out.push_str("    #[inline]\n");
        let name = &self.name;
        let mut signature = format!("    pub fn {name}({}) -> ", params.join(", "));
        output.flat(&mut signature);
        signature.push_str(" {");
        if signature.len() <= MARGIN {
            out.push_str(&signature);
        } else {
            let _ = write!(out, "    pub fn {name}(");
            for param in &params {
                let _ = write!(out, "\n        {param},");
            }
            out.push_str("\n    ");
            output.write(out, 4, ") -> ", " {", 2);
        }
        out.push('\n');
        match &self.body {
            Body::Step { ty, path } => {
                let ty = flat(ty)?;
                let (receiver, calls) = path.pieces()?;
                let path = format!("path: {receiver}{}", calls.concat());
                // prettyplease keeps a struct expression on one line only when it is short (35
                // columns at most), else writes one field per line.
                let one_line = ty.len() + path.len() + 5;
                if one_line <= 35 && 8 + one_line <= MARGIN {
                    let _ = writeln!(out, "        {ty} {{ {path} }}");
                } else if 12 + path.len() <= MARGIN {
                    // The field's comma is not counted.
                    let _ = write!(out, "        {ty} {{\n            {path},\n        }}\n");
                } else {
                    // Past the margin, the chain takes a line per call, the receiver's field too.
                    let field = receiver.strip_prefix("self.").filter(|field| !field.contains('.'))?;
                    let _ = write!(out, "        {ty} {{\n            path: self\n                .{field}");
                    for call in &calls {
                        if 16 + call.len() > MARGIN {
                            return None;
                        }
                        let _ = write!(out, "\n                {call}");
                    }
                    out.push_str(",\n        }\n");
                }
            }
            Body::Request(chain) => {
                let (receiver, calls) = chain.pieces()?;
                let line = format!("        {receiver}{}", calls.concat());
                if line.len() <= MARGIN {
                    out.push_str(&line);
                } else {
                    let _ = write!(out, "        {receiver}");
                    for call in &calls {
                        if 12 + call.len() > MARGIN {
                            return None;
                        }
                        let _ = write!(out, "\n            {call}");
                    }
                }
                out.push('\n');
            }
        }
        out.push_str("    }\n");
        Some(())
    }

    /// The API line of the function, of the step `owner` whose impl's gate names `outer`.
    fn api_line(&self, owner: &str, outer: Option<String>) -> String {
        // Written as text already, so not made into text from the tokens again.
        let text_of = |tokens: &TokenStream| match flat(tokens) {
            Some(text) => crate::api::written_type_text(&text),
            None => crate::api::type_text(tokens),
        };
        let inputs: Vec<String> = self.params.iter().map(text_of).collect();
        let output = text_of(&self.output);
        let mut docs = Vec::new();
        each_line(&self.doc, |line| docs.push(line.to_string()));
        let features = features(self.gate).or(outer);
        crate::api::function_line_of(owner, &self.name, &inputs, Some(&output), &docs, features.as_deref())
    }
}

impl Step<'_> {
    pub(super) fn tokens(&self) -> TokenStream {
        let (doc, gate, name) = (super::doc_attrs(self.doc.clone()), cfg_any(self.gate), ident(&self.name));
        let functions = self.functions.iter().map(Function::tokens);
        quote! {
            #doc
            #gate
            pub struct #name {
                pub(crate) path: ::docbind_runtime::ResourcePath,
            }

            #gate
            impl #name {
                #(#functions)*
            }
        }
    }

    /// The struct and impl as prettyplease prints their tokens, and their API lines under
    /// `module` when one is given; none for a shape this does not write (see the module docs).
    pub(super) fn text(&self, module: Option<&str>) -> Option<(String, Vec<String>)> {
        let name = &self.name;
        if self.functions.is_empty() {
            return None;
        }
        let gate = gate_text(self.gate, 0);
        let mut out = String::with_capacity(400 + self.functions.iter().map(|f| 300 + f.doc.len()).sum::<usize>());
        doc_lines(&mut out, "", &self.doc);
        let _ = write!(
            out,
            "{gate}pub struct {name} {{\n    pub(crate) path: ::docbind_runtime::ResourcePath,\n}}\n\n{gate}impl {name} {{\n"
        );
        for function in &self.functions {
            function.text(&mut out)?;
        }
        out.push_str("}\n");
        let mut api = Vec::new();
        if let Some(module) = module {
            let owner = format!("{module}::{name}");
            api.push(format!("{owner} (struct)"));
            for function in &self.functions {
                api.push(function.api_line(&owner, features(self.gate)));
            }
        }
        Some((out, api))
    }
}

/// The features a gate names, as the API listing writes them (`a|b`); none for no gate.
pub(super) fn features(gate: Option<&Gate>) -> Option<String> {
    let names: Vec<&str> = gate?.iter().map(String::as_str).collect();
    (!names.is_empty()).then(|| names.join("|"))
}

/// Tokens as prettyplease prints them on one line, for the few shapes of a parameter, a type or an
/// argument the emitter makes: paths, string literals, `&`, `name: type`, `impl Trait`, `()`;
/// none for anything else.
fn flat(tokens: &TokenStream) -> Option<String> {
    let mut out = String::new();
    let mut previous_word = false;
    let mut tokens = tokens.clone().into_iter();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Ident(word) => {
                if previous_word {
                    out.push(' ');
                }
                out.push_str(&word.to_string());
                previous_word = true;
                continue;
            }
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if !text.starts_with('"') {
                    return None;
                }
                out.push_str(&text);
            }
            TokenTree::Punct(punct) => match punct.as_char() {
                ':' if punct.spacing() == Spacing::Joint => {
                    let Some(TokenTree::Punct(second)) = tokens.next() else { return None };
                    if second.as_char() != ':' {
                        return None;
                    }
                    // `impl ::std::…`: a path after a keyword keeps its space.
                    if previous_word && (out.ends_with("impl") || out.ends_with("dyn")) {
                        out.push(' ');
                    }
                    out.push_str("::");
                }
                ':' => out.push_str(": "),
                ',' => out.push_str(", "),
                '&' | '<' | '>' | '.' => out.push(punct.as_char()),
                _ => return None,
            },
            TokenTree::Group(group) if group.delimiter() == Delimiter::Parenthesis && group.stream().is_empty() => {
                out.push_str("()");
            }
            TokenTree::Group(_) => return None,
        }
        previous_word = false;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::random::{assert_written_as, passes_margin, type_name, Lcg};
    use super::*;

    /// A few gates of 1 to 9 features, for the steps and functions of a round to choose from.
    fn gates(rng: &mut Lcg) -> Vec<Gate> {
        (0..4).map(|_| (0..[1, 1, 2, 9][rng.below(4)]).map(|_| rng.name(20)).collect()).collect()
    }

    /// None (half the time) or one of `gates`.
    fn pick<'a>(rng: &mut Lcg, gates: &'a [Gate]) -> Option<&'a Gate> {
        gates.get(rng.below(2 * gates.len()))
    }

    fn literal(rng: &mut Lcg, max: usize) -> TokenStream {
        let text = match rng.below(8) {
            0 => format!("/{}(a='{{x}}',\"b\"\\é)", rng.name(max)),
            _ => format!("/{}", rng.name(max)),
        };
        quote! { #text }
    }

    fn path_to(rng: &mut Lcg, params: &[TokenStream]) -> Chain {
        let receiver = quote! { self.path };
        let call = match (params.first(), rng.below(3)) {
            (Some(param), 0) => ("key", vec![param.clone()]),
            _ => {
                let max = if rng.below(3) == 0 { 75 } else { 40 };
                ("segment", vec![literal(rng, max)])
            }
        };
        Chain { receiver, calls: vec![call] }
    }

    fn function<'a>(rng: &mut Lcg, gates: &'a [Gate]) -> Function<'a> {
        let doc = (0..rng.below(30)).map(|_| rng.name(10)).collect::<Vec<_>>().join(" ");
        let own = pick(rng, gates);
        let max = if rng.below(5) == 0 { 60 } else { 20 };
        let name = rng.name(max);
        let mut params = vec![quote! { &self }];
        let values: Vec<TokenStream> = (0..[0, 0, 1, 2][rng.below(4)])
            .map(|_| {
                let name = ident(&rng.name(25));
                quote! { #name }
            })
            .collect();
        params.extend(values.iter().map(|value| quote! { #value: &str }));
        let module = ident(&rng.name(15));
        let max = if rng.below(6) == 0 { 100 } else { 60 };
        let ty = ident(&type_name(rng, max));
        if rng.below(3) == 0 {
            let path = path_to(rng, &values);
            return Function {
                doc: format!("`/{}`", rng.name(30)),
                gate: own,
                name,
                params,
                output: quote! { #ty },
                body: Body::Step { ty: quote! { #ty }, path },
            };
        }
        let body_ty = quote! { crate::#module::#ty };
        let mut calls = Vec::new();
        if rng.below(3) == 0 {
            calls.push(("segment", vec![literal(rng, 30)]));
        }
        let (output, make) = match rng.below(4) {
            0 => (quote! { ::docbind_runtime::Request<()> }, "request_no_content"),
            1 => (quote! { ::docbind_runtime::Request<::docbind_runtime::Bytes> }, "request_content"),
            2 => (quote! { ::docbind_runtime::Request<::docbind_runtime::Collection<#body_ty>> }, "request"),
            _ => (quote! { ::docbind_runtime::Request<#body_ty> }, "request"),
        };
        let version = if rng.below(2) == 0 { "v1.0" } else { "beta" };
        calls.push((make, vec![quote! { ::docbind_runtime::Method::Post }, quote! { #version }]));
        for value in &values {
            let key = rng.name(12);
            calls.push(("query", vec![quote! { #key }, value.clone()]));
        }
        match rng.below(3) {
            0 => {
                params.push(quote! { body: &#body_ty });
                calls.push(("json", vec![quote! { body }]));
            }
            1 => {
                params.push(quote! { content_type: &str });
                params.push(quote! { content: impl ::std::convert::Into<::std::vec::Vec<u8>> });
                calls.push(("bytes", vec![quote! { content_type }, quote! { content }]));
            }
            _ => {}
        }
        Function {
            doc: format!("{doc}\n\n`POST /{}` ({version})\n\nMore.", rng.name(50)),
            gate: own,
            name,
            params,
            output,
            body: Body::Request(Chain { receiver: quote! { self.path }, calls }),
        }
    }

    /// Checks the text and its API lines against prettyplease's layout and the listing of the
    /// tokens; the text, when there is one.
    fn check(step: &Step) -> Option<String> {
        let (text, api) = step.text(Some("paths"))?;
        assert_written_as(step.tokens(), "paths", &text, api);
        Some(text)
    }

    #[test]
    fn text_is_laid_out_as_prettyplease_lays_out_the_tokens() {
        let mut rng = Lcg(20261203);
        let (mut texts, mut past_margin) = (0, 0);
        for round in 0..3000 {
            let gates = gates(&mut rng);
            let name = if round % 10 == 0 { type_name(&mut rng, 110) } else { type_name(&mut rng, 70) };
            let functions = (0..1 + rng.below(4)).map(|_| function(&mut rng, &gates)).collect();
            let text = check(&Step {
                doc: format!("`/{}`\n\nA step.", rng.name(40)),
                gate: pick(&mut rng, &gates),
                name,
                functions,
            });
            texts += usize::from(text.is_some());
            past_margin += usize::from(text.is_some_and(|text| passes_margin(&text)));
        }
        assert!(texts > 2000, "{texts} of 3000 as text");
        assert!(past_margin > 200, "{past_margin} with a line past the margin");
    }

    #[test]
    fn a_short_step_stays_on_its_line() {
        for (ty, segment) in [("T", "/x"), ("T", "/xy"), ("Jh", "/x"), ("Abc", "/abcd"), ("Abcdefghij", "/x")] {
            let ty = ident(ty);
            let function = Function {
                doc: String::new(),
                gate: None,
                name: "step".to_string(),
                params: vec![quote! { &self }],
                output: quote! { #ty },
                body: Body::Step {
                    ty: quote! { #ty },
                    path: Chain { receiver: quote! { self.path }, calls: vec![("segment", vec![quote! { #segment }])] },
                },
            };
            assert!(check(&Step {
                doc: "A step.".to_string(),
                gate: None,
                name: "S".to_string(),
                functions: vec![function],
            })
            .is_some());
        }
    }
}
