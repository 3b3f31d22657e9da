//! The `Model` impl of a record, written as text in the layout prettyplease gives it.
//!
//! Every record has one, they differ only in names, and they are a third of the tokens of a
//! crate's `graph.rs`: made into tokens, parsed by syn and laid out by prettyplease, they took about
//! half of `generate`'s time. Their layout has few choices (a list fits on its line or takes one
//! line per element), so it is written here directly, by prettyplease's rules for those lists; a
//! test checks the text against prettyplease's for varied names, counts and gates.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{cfg_any, ident};
use crate::areas::Gate;

/// prettyplease's line width.
pub(super) const MARGIN: usize = 89;

/// What one `Model` impl is made from, as the names are in the generated source.
pub(super) struct ModelImpl<'a> {
    /// The areas that bring the type; none (or none listed) when it is not gated.
    pub gate: Option<&'a Gate>,
    pub name: String,
    /// The name in the docs, `microsoft.graph.user`.
    pub doc_name: &'a str,
    /// The properties' names in JSON, in field order.
    pub wires: Vec<&'a str>,
    pub fields: &'a [String],
    /// The field of the other properties and annotations.
    pub map: &'a str,
    pub open: bool,
}

impl ModelImpl<'_> {
    /// The impl and its `model_traits!`, each under the gate, as tokens.
    pub(super) fn tokens(&self) -> TokenStream {
        let (gate, name, doc_name, wires) = (cfg_any(self.gate), ident(&self.name), self.doc_name, &self.wires);
        let fields: Vec<Ident> = self.fields.iter().map(|field| ident(field)).collect();
        let map = ident(self.map);
        let is_open = if self.open {
            quote! { #[inline] fn is_open(&self) -> bool { true } }
        } else {
            quote! {}
        };
        quote! {
            #gate
            impl ::docbind_runtime::Model for #name {
                #[inline]
                fn type_name(&self) -> &'static str {
                    #doc_name
                }
                #[inline]
                fn field_names(&self) -> &'static [&'static str] {
                    &[#(#wires),*]
                }
                #[inline]
                fn fields(&self, visit: &mut dyn ::std::ops::FnMut(&[&dyn ::docbind_runtime::Field], &::docbind_runtime::Properties)) {
                    visit(&[#(&self.#fields),*], &self.#map)
                }
                #[inline]
                fn fields_mut(&mut self, visit: &mut dyn ::std::ops::FnMut(&mut [&mut dyn ::docbind_runtime::Field], &mut ::docbind_runtime::Properties)) {
                    visit(&mut [#(&mut self.#fields),*], &mut self.#map)
                }
                #is_open
            }

            #gate
            ::docbind_runtime::model_traits!(#name);
        }
    }

    /// The same, as prettyplease prints those tokens; none where a line of the body would pass
    /// the margin (a very long field name), since prettyplease then breaks inside it, which this
    /// does not follow.
    pub(super) fn text(&self) -> Option<String> {
        let gate = gate_text(self.gate, 0);
        let name = &self.name;
        let wires: Vec<String> = self.wires.iter().map(|wire| Literal::string(wire).to_string()).collect();
        let shared: Vec<String> = self.fields.iter().map(|field| format!("&self.{field}")).collect();
        let unique: Vec<String> = self.fields.iter().map(|field| format!("&mut self.{field}")).collect();
        let map = self.map;
        let mut out = String::with_capacity(1200 + 40 * self.fields.len());
        out.push_str(&gate);
        impl_header(&mut out, "::docbind_runtime::Model", name);
        let _ = write!(
            out,
            "    #[inline]\n    \
             fn type_name(&self) -> &'static str {{\n        {}\n    }}\n    #[inline]\n    \
             fn field_names(&self) -> &'static [&'static str] {{\n        ",
            Literal::string(self.doc_name)
        );
        list(&mut out, 8, "&[", &wires, "]");
        out.push_str(
            "\n    }\n    #[inline]\n    fn fields(\n        &self,\n        visit: &mut dyn ::std::ops::FnMut(\n            \
             &[&dyn ::docbind_runtime::Field],\n            &::docbind_runtime::Properties,\n        ),\n    ) {\n        ",
        );
        visit(&mut out, "&[", &shared, &format!("&self.{map}"));
        out.push_str(
            "\n    }\n    #[inline]\n    fn fields_mut(\n        &mut self,\n        visit: &mut dyn ::std::ops::FnMut(\n            \
             &mut [&mut dyn ::docbind_runtime::Field],\n            &mut ::docbind_runtime::Properties,\n        \
             ),\n    ) {\n        ",
        );
        visit(&mut out, "&mut [", &unique, &format!("&mut self.{map}"));
        out.push_str("\n    }\n");
        if self.open {
            out.push_str("    #[inline]\n    fn is_open(&self) -> bool {\n        true\n    }\n");
        }
        let _ = write!(out, "}}\n\n{gate}");
        // The header's `for {name} {` line may pass the margin; no other may.
        let header = format!("for {name} {{");
        let fits = out.lines().all(|line| line.len() <= MARGIN || line.ends_with(&header));
        macro_call(&mut out, "::docbind_runtime::model_traits!", name);
        fits.then_some(out)
    }
}

/// `impl {to} for {ty} {` on its line when it fits, else broken before `for` (the type may still
/// pass the margin).
pub(super) fn impl_header(out: &mut String, to: &str, ty: &str) {
    let line = format!("impl {to} for {ty} {{");
    if line.len() <= MARGIN {
        let _ = writeln!(out, "{line}");
    } else {
        let _ = writeln!(out, "impl {to}\nfor {ty} {{");
    }
}

/// `{mac}({arg});` on its line when it fits, else its argument on a line of its own.
pub(super) fn macro_call(out: &mut String, mac: &str, arg: &str) {
    let call = format!("{mac}({arg});");
    if call.len() <= MARGIN {
        let _ = writeln!(out, "{call}");
    } else {
        let _ = writeln!(out, "{mac}(\n    {arg}\n);");
    }
}

/// `visit(<fields>, <map>)` at indent 8: on one line when it fits, else one argument per line,
/// where the array of fields again fits on its line or takes one line per field.
fn visit(out: &mut String, open: &str, fields: &[String], map: &str) {
    const OPEN: &str = "visit(";
    let array = flat(open, fields, "]");
    if fits(8 + OPEN.len(), array.len() + 2 + map.len(), ")") {
        let _ = write!(out, "{OPEN}{array}, {map})");
        return;
    }
    out.push_str(OPEN);
    out.push_str("\n            ");
    list(out, 12, open, fields, "],");
    let _ = write!(out, "\n            {map},\n        )");
}

/// Whether a list whose elements take `len` columns joined, starting at `column`, stays on its
/// line: prettyplease keeps it there when it and the text up to the next possible line break
/// (its closing bracket, and a comma after it) end by the margin.
fn fits(column: usize, len: usize, rest: &str) -> bool {
    column + len + rest.len() <= MARGIN
}

/// `open` + `items` + `close`, starting at column `indent` of a line: the items on that line when
/// they fit, else one per line, four columns in, each with its comma. `close` is the text up to
/// the next line break, such as `]` or `],`.
fn list(out: &mut String, indent: usize, open: &str, items: &[String], close: &str) {
    let len = items.iter().map(String::len).sum::<usize>() + 2 * items.len().saturating_sub(1);
    if items.is_empty() || fits(indent + open.len(), len, close) {
        out.push_str(&flat(open, items, close));
        return;
    }
    out.push_str(open);
    for item in items {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent + 4));
        out.push_str(item);
        out.push(',');
    }
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', indent));
    out.push_str(close);
}

fn flat(open: &str, items: &[String], close: &str) -> String {
    // An empty list has no space between its brackets: `&[]`, `&mut []`.
    format!("{open}{}{close}", items.join(", "))
}

thread_local! {
    /// Gate attributes as prettyplease prints them, by their features and indentation: a crate
    /// has a few hundred distinct gates over thousands of items.
    static GATES: RefCell<HashMap<(String, usize), String>> = RefCell::new(HashMap::new());
}

/// The gate's attribute lines, as prettyplease prints them above an item at the crate's level
/// (`indent` 0), in an impl (4), or deeper (a match arm's, a multiple of 4): an attribute's
/// layout depends on its indentation only.
pub(super) fn gate_text(gate: Option<&Gate>, indent: usize) -> String {
    let Some(gate) = gate.filter(|gate| !gate.is_empty()) else { return String::new() };
    // Feature names hold no space: joined by one, they are the gate. The tokens are made only the
    // first time.
    let key = (gate.iter().map(String::as_str).collect::<Vec<_>>().join(" "), indent);
    GATES.with(|gates| {
        if let Some(text) = gates.borrow().get(&key) {
            return text.clone();
        }
        let gate = cfg_any(Some(gate));
        let text = if indent == 0 {
            let item = super::layout::format_tokens(quote! { #gate struct S; });
            item.strip_suffix("struct S;\n").unwrap_or(&item).to_string()
        } else if indent == 4 {
            let item = super::layout::format_tokens(quote! { impl S { #gate fn f() {} } });
            let inner = item.strip_prefix("impl S {\n").unwrap_or(&item);
            inner.strip_suffix("    fn f() {}\n}\n").unwrap_or(inner).to_string()
        } else {
            // An item nested in modules, one level per four columns.
            let mut item = quote! { #gate struct S; };
            for _ in 0..indent / 4 {
                item = quote! { mod m { #item } };
            }
            let text = super::layout::format_tokens(item);
            // The lines between the modules' openings and the struct.
            let lines = text.lines().skip(indent / 4).take_while(|line| line.trim_start() != "struct S;");
            lines.map(|line| format!("{line}\n")).collect()
        };
        gates.borrow_mut().insert(key, text.clone());
        text
    })
}

#[cfg(test)]
mod tests {
    use super::super::random::{assert_laid_out_as, type_name, Lcg};
    use super::*;

    /// Checks the text against prettyplease's layout of the tokens; whether there was text.
    fn check(model: &ModelImpl<'_>) -> bool {
        let Some(text) = model.text() else { return false };
        let reference = super::super::layout::format_tokens(model.tokens());
        assert_laid_out_as(&reference, &text);
        true
    }

    #[test]
    fn text_is_laid_out_as_prettyplease_lays_out_the_tokens() {
        let mut rng = Lcg(20261203);
        let mut texts = 0;
        for round in 0..3000 {
            // Lengths around the points where a list stops fitting on its line.
            let count = [0, 1, 2, 3, 5, 8, 20][rng.below(7)];
            let fields: Vec<String> = (0..count)
                .map(|_| {
                    let max = if rng.below(3) == 0 { 70 } else { 25 };
                    rng.name(max)
                })
                .collect();
            let wires: Vec<String> = fields
                .iter()
                .map(|field| match rng.below(8) {
                    0 => format!("{field}@odata.\"bind\"\\é"),
                    _ => field.trim_start_matches("r#").replace('_', ""),
                })
                .collect();
            let features: Gate = (0..[0, 1, 2, 4, 12][rng.below(5)]).map(|_| rng.name(20)).collect();
            // Names around the points where the header and the macro call break.
            let name = if round % 4 == 0 { type_name(&mut rng, 110) } else { rng.name(40).to_uppercase() };
            let doc_name = format!("microsoft.graph.{}", rng.name(60));
            let map = if rng.below(4) == 0 { rng.name(30) } else { "annotations".to_string() };
            texts += usize::from(check(&ModelImpl {
                gate: Some(&features),
                name: name.clone(),
                doc_name: &doc_name,
                wires: wires.iter().map(String::as_str).collect(),
                fields: &fields,
                map: &map,
                open: rng.below(2) == 0,
            }));
        }
        // Most are written as text (names in the docs are far shorter than these).
        assert!(texts > 2000, "{texts} of 3000 as text");
    }

    #[test]
    fn lists_break_at_the_margin_and_not_before() {
        // `field_names`' list starts at column 10 and stays on its line up to 78 columns of
        // elements and its `]`.
        for len in 70..=76 {
            let long = "x".repeat(len - 2);
            let fields = vec!["a".to_string(), "x".to_string()];
            assert!(check(&ModelImpl {
                gate: None,
                name: "T".to_string(),
                doc_name: "t",
                wires: vec!["a", long.as_str()],
                fields: &fields,
                map: "annotations",
                open: false,
            }));
        }
        // `visit(..)` and its array, at the lengths where each of them stops fitting.
        for len in 1..63 {
            let fields = vec!["f".repeat(len), "g".to_string()];
            assert!(check(&ModelImpl {
                gate: None,
                name: "T".to_string(),
                doc_name: "t",
                wires: vec!["f", "g"],
                fields: &fields,
                map: "annotations",
                open: false,
            }));
        }
    }

    #[test]
    fn a_long_name_breaks_the_header_and_the_macro_call_at_the_margin() {
        // `impl ::docbind_runtime::Model for {name} {` passes the margin from 50 bytes of name,
        // `::docbind_runtime::model_traits!({name});` from 55; past 89 the name passes it too.
        for len in (45..=60).chain([89, 95]) {
            let fields = vec!["a".to_string()];
            assert!(check(&ModelImpl {
                gate: None,
                name: format!("T{}", "x".repeat(len - 1)),
                doc_name: "t",
                wires: vec!["a"],
                fields: &fields,
                map: "annotations",
                open: false,
            }));
        }
    }
}
