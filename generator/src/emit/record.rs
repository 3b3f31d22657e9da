//! The definition of a record (a type's struct, an action's parameter struct), written as text in
//! the layout prettyplease gives it.
//!
//! Records are most of a crate's types, and their layout has one choice: a field's type stays on
//! its line when it fits, else its generic argument takes lines of its own, and so on inward. So,
//! like [`super::model_impl`], they are written here directly, and a test checks the text against
//! prettyplease's for varied names, types, docs and gates. A name with nothing to break passes the
//! margin, as prettyplease lets it. Field types come as data ([`PathType`], from
//! `Context::value_path`), so a record is always text; its tokens are the tests' reference.

use std::fmt::Write;

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use super::docs::write_comment as doc_lines;
use super::ident;
use super::model_impl::{gate_text, MARGIN};
use crate::areas::Gate;

/// What one record's definition is made from, as the names are in the generated source.
pub(super) struct Record<'a> {
    /// The areas that bring the record; none (or none listed) when it is not gated.
    pub gate: Option<&'a Gate>,
    pub name: String,
    pub doc: String,
    pub fields: Vec<RecordField<'a>>,
    /// The field of the other properties and annotations, and its doc (with its leading space).
    pub map: &'a str,
    pub map_doc: &'static str,
}

pub(super) struct RecordField<'a> {
    pub doc: String,
    pub name: &'a str,
    /// The field's whole type, `::std::option::Option<..>`.
    pub ty: PathType,
}

impl Record<'_> {
    /// The struct as tokens, its docs as placeholders (see [`super::docs`]): the reference the
    /// text is tested against.
    #[cfg(test)]
    pub(super) fn tokens(self) -> TokenStream {
        let Record { gate, name, doc, fields, map, map_doc } = self;
        let declarations = fields.into_iter().map(|RecordField { doc, name, ty }| {
            let doc = super::doc_attrs(doc);
            let name = ident(name);
            let ty = ty.tokens();
            quote! {
                #doc
                pub #name: #ty,
            }
        });
        let (doc, name, map) = (super::doc_attrs(doc), ident(&name), ident(map));
        let gate = super::cfg_any(gate);
        quote! {
            #doc
            #gate
            #[derive(Default)]
            pub struct #name {
                #(#declarations)*
                #[doc = #map_doc]
                pub #map: ::docbind_runtime::Properties,
            }
        }
    }

    /// The struct as prettyplease prints its tokens, and its API lines under `module` when one is
    /// given.
    pub(super) fn text(&self, module: Option<&str>) -> (String, Vec<String>) {
        let name = &self.name;
        let mut out =
            String::with_capacity(300 + self.doc.len() + self.fields.iter().map(|f| 80 + f.doc.len()).sum::<usize>());
        doc_lines(&mut out, "", &self.doc);
        out.push_str(&gate_text(self.gate, 0));
        let _ = writeln!(out, "#[derive(Default)]\npub struct {name} {{");
        for field in &self.fields {
            doc_lines(&mut out, "    ", &field.doc);
            out.push_str("    ");
            field.ty.write(&mut out, 4, &format!("pub {}: ", field.name), ",", 1);
            out.push('\n');
        }
        let _ = write!(out, "    ///{}\n    pub {}: ::docbind_runtime::Properties,\n}}\n", self.map_doc, self.map);
        let mut api = Vec::new();
        if let Some(module) = module {
            let owner = format!("{module}::{name}");
            let mut flat = String::new();
            for field in &self.fields {
                flat.clear();
                field.ty.flat(&mut flat);
                api.push(format!("{owner}.{}: {}", field.name, crate::api::written_type_text(&flat)));
            }
            let map_type = crate::api::written_type_text("::docbind_runtime::Properties");
            api.push(format!("{owner}.{}: {map_type}", self.map));
            api.push(format!("{owner} (struct)"));
        }
        (out, api)
    }
}

/// A type that is a path, with generic arguments on its last segment (every type of a field or
/// a request), or `()`.
pub(super) struct PathType {
    /// `::std::option::Option`.
    path: String,
    args: Vec<PathType>,
}

impl PathType {
    /// `path<args>`, or the plain path when there are none.
    pub(super) fn new(path: impl Into<String>, args: Vec<PathType>) -> PathType {
        PathType { path: path.into(), args }
    }

    /// The type as tokens (a record's, a function's, when they are made as tokens).
    pub(super) fn tokens(&self) -> TokenStream {
        if self.path == "()" {
            return quote! { () };
        }
        let mut tokens = TokenStream::new();
        for (n, segment) in self.path.split("::").enumerate() {
            if n > 0 {
                tokens.extend(quote! { :: });
            }
            if !segment.is_empty() {
                tokens.extend([TokenTree::Ident(ident(segment))]);
            }
        }
        if !self.args.is_empty() {
            let args = self.args.iter().map(PathType::tokens);
            tokens.extend(quote! { <#(#args),*> });
        }
        tokens
    }

    /// The type of `tokens`; none for any other shape of type.
    pub(super) fn read(tokens: &TokenStream) -> Option<PathType> {
        let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let (ty, rest) = Self::parse(&tokens)?;
        rest.is_empty().then_some(ty)
    }

    fn parse(mut tokens: &[TokenTree]) -> Option<(PathType, &[TokenTree])> {
        if let [TokenTree::Group(unit), rest @ ..] = tokens {
            if unit.delimiter() == proc_macro2::Delimiter::Parenthesis && unit.stream().is_empty() {
                return Some((PathType { path: "()".to_string(), args: Vec::new() }, rest));
            }
        }
        let mut path = String::new();
        loop {
            match tokens {
                [TokenTree::Punct(a), TokenTree::Punct(b), rest @ ..] if a.as_char() == ':' && b.as_char() == ':' => {
                    path.push_str("::");
                    tokens = rest;
                }
                [TokenTree::Ident(word), rest @ ..] if path.is_empty() || path.ends_with("::") => {
                    path.push_str(&word.to_string());
                    tokens = rest;
                }
                _ => break,
            }
        }
        if path.is_empty() || path.ends_with("::") {
            return None;
        }
        let mut args = Vec::new();
        if let [TokenTree::Punct(open), rest @ ..] = tokens {
            if open.as_char() == '<' {
                tokens = rest;
                loop {
                    let (arg, rest) = Self::parse(tokens)?;
                    args.push(arg);
                    match rest {
                        [TokenTree::Punct(p), rest @ ..] if p.as_char() == ',' => tokens = rest,
                        [TokenTree::Punct(p), rest @ ..] if p.as_char() == '>' => {
                            tokens = rest;
                            break;
                        }
                        _ => return None,
                    }
                }
            }
        }
        Some((PathType { path, args }, tokens))
    }

    pub(super) fn flat(&self, out: &mut String) {
        out.push_str(&self.path);
        if !self.args.is_empty() {
            out.push('<');
            for (n, arg) in self.args.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                arg.flat(out);
            }
            out.push('>');
        }
    }

    /// `lead`, the type and `trail`, from column `indent` of a line already indented: on the line
    /// when it fits, else the arguments one per line, four columns in, each with its comma. Of
    /// `trail`, `counted` bytes count toward fitting: the comma after a last argument does not, as
    /// prettyplease writes it only once the list is broken. A path with nothing to break passes
    /// the margin, as prettyplease lets it.
    pub(super) fn write(&self, out: &mut String, indent: usize, lead: &str, trail: &str, counted: usize) {
        let mut flat = String::new();
        self.flat(&mut flat);
        if self.args.is_empty() || indent + lead.len() + flat.len() + counted <= MARGIN {
            let _ = write!(out, "{lead}{flat}{trail}");
            return;
        }
        let _ = write!(out, "{lead}{}<", self.path);
        for (n, arg) in self.args.iter().enumerate() {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent + 4));
            arg.write(out, indent + 4, "", ",", usize::from(n + 1 < self.args.len()));
        }
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent));
        let _ = write!(out, ">{trail}");
    }
}

#[cfg(test)]
mod tests {
    use super::super::random::{assert_written_as, doc, passes_margin, type_name, Lcg};
    use super::*;

    /// A type the emitter could give a value: a path, or paths nested as generic arguments.
    fn ty(rng: &mut Lcg, depth: usize) -> TokenStream {
        let leaf = |rng: &mut Lcg| -> TokenStream {
            match rng.below(5) {
                0 => quote! { ::std::string::String },
                1 => quote! { i64 },
                2 => quote! { ::docbind_runtime::serde_json::Value },
                _ => {
                    let module = ident(&rng.name(20));
                    let max = if rng.below(8) == 0 { 100 } else { 50 };
                    let name = ident(&type_name(rng, max));
                    quote! { crate::#module::#name }
                }
            }
        };
        if depth == 0 {
            return leaf(rng);
        }
        let inner = ty(rng, depth - 1);
        match rng.below(6) {
            0 => quote! { ::std::vec::Vec<#inner> },
            1 => quote! { ::docbind_runtime::Related<#inner> },
            2 => quote! { ::std::boxed::Box<#inner> },
            3 => quote! { ::docbind_runtime::Flags<#inner> },
            4 => {
                let key = leaf(rng);
                quote! { ::std::collections::BTreeMap<#key, #inner> }
            }
            _ => leaf(rng),
        }
    }

    /// The type of `tokens`, which it must give back as they were (but for the spacing of a
    /// `>>`, which no printer keeps).
    fn path_type(tokens: TokenStream) -> PathType {
        let ty = PathType::read(&tokens).expect("a path type");
        let unspaced = |tokens: TokenStream| tokens.to_string().replace(' ', "");
        assert_eq!(unspaced(ty.tokens()), unspaced(tokens));
        ty
    }

    /// Checks the text and its API lines against prettyplease's layout and the listing of the
    /// tokens; the text.
    fn check(record: Record<'_>) -> String {
        let (text, api) = record.text(Some("graph"));
        assert_written_as(record.tokens(), "graph", &text, api);
        text
    }

    #[test]
    fn text_is_laid_out_as_prettyplease_lays_out_the_tokens() {
        let mut rng = Lcg(20261203);
        let mut past_margin = 0;
        for round in 0..3000 {
            let count = [0, 1, 2, 3, 6][rng.below(5)];
            let names: Vec<String> = (0..count)
                .map(|_| {
                    let max = if rng.below(4) == 0 { 60 } else { 20 };
                    rng.name(max)
                })
                .collect();
            let fields = names
                .iter()
                .map(|name| {
                    let depth = rng.below(4);
                    let inner = ty(&mut rng, depth);
                    let ty = path_type(quote! { ::std::option::Option<#inner> });
                    RecordField { doc: doc(&mut rng, 40), name, ty }
                })
                .collect();
            let features: Gate = (0..[0, 1, 2, 12][rng.below(4)]).map(|_| rng.name(20)).collect();
            let map = if rng.below(4) == 0 { rng.name(100) } else { "annotations".to_string() };
            let name = if round % 10 == 0 { type_name(&mut rng, 110) } else { type_name(&mut rng, 50) };
            let text = check(Record {
                gate: Some(&features),
                name,
                doc: doc(&mut rng, 40),
                fields,
                map: &map,
                map_doc: " Instance annotations, such as `manager@odata.bind` or `@odata.etag`.",
            });
            past_margin += usize::from(passes_margin(&text));
        }
        assert!(past_margin > 300, "{past_margin} with a line past the margin");
    }

    #[test]
    fn a_type_breaks_at_the_margin_and_not_before() {
        // `    pub f: ::std::option::Option<crate::m::T>,`: 4 + 7 + 31 + len + 2 columns.
        for len in 40..=52 {
            let name = ident(&format!("T{}", "x".repeat(len - 1)));
            let fields = vec![RecordField {
                doc: String::new(),
                name: "f",
                ty: path_type(quote! { ::std::option::Option<::docbind_runtime::Related<crate::m::#name>> }),
            }];
            check(Record {
                gate: None,
                name: "T".to_string(),
                doc: "A type.".to_string(),
                fields,
                map: "annotations",
                map_doc: " Instance annotations.",
            });
        }
    }
}
