//! A documented enum (its values are strings in JSON) and its conversions, made into tokens or
//! written as text in the layout prettyplease gives them.
//!
//! Enums are a third of a crate's items, and their layout has few choices: a match arm on its
//! line or its value in a block, an impl's header on its line or broken before `for`, a
//! signature on its line or its parameter on its own. Those are written here directly, and a test
//! checks the text against prettyplease's for varied names, values, docs and gates. An enum whose
//! name would break inside `From<..>` (over 62 bytes: one in the beta docs) is made into tokens.

use std::fmt::Write;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::write_comment as doc_lines;
use super::model_impl::{gate_text, impl_header, macro_call, MARGIN};
use super::{cfg_any, doc_attrs, ident};
use crate::areas::Gate;
use crate::names::UNDOCUMENTED_VARIANT;

/// What one enum is made from, as the names are in the generated source.
pub(super) struct StringEnum<'a> {
    pub doc: String,
    /// The gate of the enum and its impls; none when not gated.
    pub gate: Option<&'a Gate>,
    pub name: String,
    pub members: Vec<Member<'a>>,
}

/// A documented value: its variant, its doc and its text in JSON.
pub(super) struct Member<'a> {
    pub variant: &'a str,
    pub doc: String,
    pub wire: &'a str,
}

impl StringEnum<'_> {
    pub(super) fn tokens(&self) -> TokenStream {
        let (doc, gate, name) = (doc_attrs(self.doc.clone()), cfg_any(self.gate), ident(&self.name));
        let variants: Vec<_> = self.members.iter().map(|member| ident(member.variant)).collect();
        let docs = self.members.iter().map(|member| doc_attrs(member.doc.clone()));
        let wires: Vec<&str> = self.members.iter().map(|member| member.wire).collect();
        let undocumented = ident(UNDOCUMENTED_VARIANT);
        quote! {
            #doc
            #gate
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#docs #variants,)*
                #[doc = " A value that these docs do not list."]
                #undocumented(::std::string::String),
            }
            #gate
            impl #name {
                /// The value as it appears in JSON.
                #[inline]
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#variants => #wires,)*
                        Self::#undocumented(value) => value,
                    }
                }
            }
            #gate
            impl ::std::convert::From<::std::string::String> for #name {
                #[inline]
                fn from(value: ::std::string::String) -> Self {
                    match value.as_str() {
                        #(#wires => Self::#variants,)*
                        _ => Self::#undocumented(value),
                    }
                }
            }
            #gate
            ::docbind_runtime::string_enum_traits!(#name);
            #gate
            impl ::std::convert::From<#name> for ::std::string::String {
                #[inline]
                fn from(value: #name) -> Self {
                    match value {
                        #name::#undocumented(value) => value,
                        known => known.as_str().to_owned(),
                    }
                }
            }
        }
    }

    /// The enum and its impls as prettyplease prints their tokens, and their API lines under
    /// `module` when one is given; none for a name this does not lay out (see the module docs).
    pub(super) fn text(&self, module: Option<&str>) -> Option<(String, Vec<String>)> {
        let name = &self.name;
        let undocumented = UNDOCUMENTED_VARIANT;
        // `impl ::std::convert::From<{name}>`, the line a broken header starts with.
        if 27 + name.len() > MARGIN {
            return None;
        }
        let gate = gate_text(self.gate, 0);
        let wires: Vec<String> = self.members.iter().map(|member| Literal::string(member.wire).to_string()).collect();
        let mut out = String::with_capacity(
            1200 + self.doc.len() + self.members.iter().map(|m| 3 * m.variant.len() + 100 + m.doc.len()).sum::<usize>(),
        );
        doc_lines(&mut out, "", &self.doc);
        let _ = writeln!(out, "{gate}#[derive(Debug, Clone, PartialEq, Eq, Hash)]\npub enum {name} {{");
        for member in &self.members {
            doc_lines(&mut out, "    ", &member.doc);
            let _ = writeln!(out, "    {},", member.variant);
        }
        let _ = write!(
            out,
            "    /// A value that these docs do not list.\n    {undocumented}(::std::string::String),\n}}\n\n\
             {gate}impl {name} {{\n    /// The value as it appears in JSON.\n    #[inline]\n    pub fn as_str(&self) -> &str {{\n        \
             match self {{\n"
        );
        for (member, wire) in self.members.iter().zip(&wires) {
            arm(&mut out, &format!("Self::{}", member.variant), wire);
        }
        let _ = write!(out, "            Self::{undocumented}(value) => value,\n        }}\n    }}\n}}\n\n{gate}");
        impl_header(&mut out, "::std::convert::From<::std::string::String>", name);
        out.push_str(
            "    #[inline]\n    fn from(value: ::std::string::String) -> Self {\n        match value.as_str() {\n",
        );
        for (member, wire) in self.members.iter().zip(&wires) {
            arm(&mut out, wire, &format!("Self::{}", member.variant));
        }
        let _ = write!(out, "            _ => Self::{undocumented}(value),\n        }}\n    }}\n}}\n\n{gate}");
        macro_call(&mut out, "::docbind_runtime::string_enum_traits!", name);
        let _ = write!(out, "\n{gate}");
        impl_header(&mut out, &format!("::std::convert::From<{name}>"), "::std::string::String");
        out.push_str("    #[inline]\n");
        let signature = format!("    fn from(value: {name}) -> Self {{");
        if signature.len() <= MARGIN {
            out.push_str(&signature);
        } else {
            let _ = write!(out, "    fn from(\n        value: {name},\n    ) -> Self {{");
        }
        out.push_str("\n        match value {\n");
        let pattern = format!("{name}::{undocumented}(value)");
        // Past the margin even with its value in a block (its brace not counted), the pattern
        // breaks in its parentheses.
        if 12 + pattern.len() + 4 <= MARGIN {
            arm(&mut out, &pattern, "value");
        } else {
            let _ =
                writeln!(out, "            {name}::{undocumented}(\n                value,\n            ) => value,");
        }
        out.push_str("            known => known.as_str().to_owned(),\n        }\n    }\n}\n");
        let mut api = Vec::new();
        if let Some(module) = module {
            let owner = format!("{module}::{name}");
            let variants = self.members.iter().map(|member| member.variant).chain([undocumented]);
            crate::api::enum_lines_of(&owner, variants, &mut api);
            let features = super::function::features(self.gate);
            let docs = [" The value as it appears in JSON.".to_string()];
            api.push(crate::api::function_line_of(
                &owner,
                "as_str",
                &["&self".to_string()],
                Some("&str"),
                &docs,
                features.as_deref(),
            ));
        }
        Some((out, api))
    }
}

/// A match arm, twelve columns in: on its line when it fits (its comma, written only when the
/// arm is on one line, not counted), else its value in a block.
fn arm(out: &mut String, pattern: &str, value: &str) {
    if 12 + pattern.len() + 4 + value.len() <= MARGIN {
        let _ = writeln!(out, "            {pattern} => {value},");
    } else {
        let _ = writeln!(out, "            {pattern} => {{\n                {value}\n            }}");
    }
}

#[cfg(test)]
mod tests {
    use super::super::random::{assert_written_as, doc, passes_margin, type_name, Lcg};
    use super::*;

    /// Checks the text and its API lines against prettyplease's layout and the listing of the
    /// tokens; the text, when there is one.
    fn check(def: &StringEnum<'_>) -> Option<String> {
        let (text, api) = def.text(Some("graph"))?;
        assert_written_as(def.tokens(), "graph", &text, api);
        Some(text)
    }

    #[test]
    fn text_is_laid_out_as_prettyplease_lays_out_the_tokens() {
        let mut rng = Lcg(20261204);
        let (mut texts, mut past_margin) = (0, 0);
        for _ in 0..3000 {
            let count = [0, 1, 2, 4, 9][rng.below(5)];
            // Names and values around the points where arms, headers and signatures break.
            let values: Vec<(String, String)> = (0..count)
                .map(|_| {
                    let max = if rng.below(3) == 0 { 90 } else { 25 };
                    let variant = type_name(&mut rng, max);
                    let wire = match rng.below(8) {
                        0 => format!("{}\"\\é", variant.to_lowercase()),
                        1 => rng.name(90),
                        _ => variant.to_lowercase(),
                    };
                    (variant, wire)
                })
                .collect();
            let features: Vec<Gate> = vec![(0..[1, 2, 9][rng.below(3)]).map(|_| rng.name(20)).collect()];
            let max = if rng.below(2) == 0 { 100 } else { 40 };
            let name = type_name(&mut rng, max);
            let text = check(&StringEnum {
                doc: doc(&mut rng, 30),
                gate: features.get(rng.below(2)),
                name,
                members: values
                    .iter()
                    .map(|(variant, wire)| Member { variant, doc: doc(&mut rng, 30), wire })
                    .collect(),
            });
            texts += usize::from(text.is_some());
            past_margin += usize::from(text.is_some_and(|text| passes_margin(&text)));
        }
        assert!(texts > 2500, "{texts} of 3000 as text");
        assert!(past_margin > 300, "{past_margin} with a line past the margin");
    }

    #[test]
    fn each_line_breaks_at_the_margin_and_not_before() {
        // An arm `Self::{variant} => "{wire}",` fits up to 89 columns, its comma not counted; the
        // headers, the macro call, the signature and the undocumented arm break from names of
        // about 30 to 50 bytes, and the name itself would break in `From<{name}>` past 62.
        for len in 20..=62 {
            let variant = format!("V{}", "v".repeat(len - 1));
            let wires: Vec<String> = (56..66).map(|n| "w".repeat(n - len.min(n - 1))).collect();
            let text = check(&StringEnum {
                doc: "An enum.".to_string(),
                gate: None,
                name: format!("T{}", "x".repeat(len - 1)),
                members: wires.iter().map(|wire| Member { variant: &variant, doc: String::new(), wire }).collect(),
            });
            assert!(text.is_some(), "a name of {len} bytes is written as text");
        }
    }
}
