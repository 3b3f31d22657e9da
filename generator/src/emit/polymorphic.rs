//! The `Any…` enum of a polymorphic base (the base and the types derived from it, read and
//! written by `@odata.type`) and its impls, written as text in the layout prettyplease gives them.
//!
//! A base with many derived types makes the longest items of a crate, each variant with a gate, a
//! `From` impl and arms in two matches. Their layout has few choices (an arm's value on its line
//! or broken in its parentheses, an impl's header on its line or broken before `for`), so they are
//! written here directly, always; the tokens are kept as the reference a test checks the text
//! against, for varied names, type names and gates.

use std::fmt::Write;

use proc_macro2::Literal;

use super::docs::write_comment as doc_lines;
use super::model_impl::{gate_text, impl_header, macro_call, MARGIN};
use super::record::PathType;
use crate::areas::Gate;
use crate::names::UNDOCUMENTED_VARIANT;

/// What one `Any…` enum is made from, as the names are in the generated source.
pub(super) struct PolymorphicEnum<'a> {
    /// `AnyAttachment`.
    pub name: String,
    /// The base's name in the docs, `microsoft.graph.attachment`.
    pub base: &'a str,
    /// The gate of the enum and its impls; none when not gated.
    pub gate: Option<&'a Gate>,
    /// The base first, then the types derived from it.
    pub members: Vec<Variant<'a>>,
}

/// A member: its variant, its type's path, its name in the docs, and its own gate (none when the
/// enum's says as much).
pub(super) struct Variant<'a> {
    pub variant: &'a str,
    /// `crate::graph::FileAttachment`.
    pub path: String,
    pub doc_name: &'a str,
    pub gate: Option<&'a Gate>,
}

impl PolymorphicEnum<'_> {
    /// The enum and its impls as prettyplease prints their tokens, and their API lines under
    /// `module` when one is given.
    pub(super) fn text(&self, module: Option<&str>) -> (String, Vec<String>) {
        let any = &self.name;
        let undocumented = UNDOCUMENTED_VARIANT;
        let gate = gate_text(self.gate, 0);
        let gates: Vec<(String, String)> =
            self.members.iter().map(|member| (gate_text(member.gate, 4), gate_text(member.gate, 0))).collect();
        let mut out = String::with_capacity(4000 + self.members.iter().map(|m| 1500 + 4 * m.path.len()).sum::<usize>());
        doc_lines(&mut out, "", &doc(self));
        let _ = writeln!(out, "{gate}#[derive(Debug, Clone, PartialEq)]\n#[non_exhaustive]\npub enum {any} {{");
        for (member, (inner, _)) in self.members.iter().zip(&gates) {
            out.push_str(inner);
            let boxed = PathType::new("::std::boxed::Box", vec![PathType::new(member.path.clone(), Vec::new())]);
            let line = format!("    {}(::std::boxed::Box<{}>),", member.variant, member.path);
            if line.len() <= MARGIN {
                out.push_str(&line);
            } else {
                let _ = write!(out, "    {}(\n        ", member.variant);
                boxed.write(&mut out, 8, "", ",", 0);
                out.push_str("\n    ),");
            }
            out.push('\n');
        }
        let _ = write!(
            out,
            "    /// A type these docs do not describe, kept as JSON.\n    \
             {undocumented}(::docbind_runtime::serde_json::Value),\n}}\n"
        );
        for (member, (_, outer)) in self.members.iter().zip(&gates) {
            let _ = write!(out, "\n{gate}{outer}");
            let from = format!("::std::convert::From<{}>", member.path);
            if 5 + from.len() <= MARGIN {
                impl_header(&mut out, &from, any);
            } else {
                // Past the margin even before `for`, the header breaks in its generic argument,
                // and before `for` too when what follows passes it.
                let _ = writeln!(out, "impl ::std::convert::From<\n    {},", member.path);
                let last = format!("> for {any} {{");
                if last.len() <= MARGIN {
                    let _ = writeln!(out, "{last}");
                } else {
                    let _ = writeln!(out, ">\nfor {any} {{");
                }
            }
            out.push_str("    #[inline]\n");
            let signature = format!("    fn from(value: {}) -> Self {{", member.path);
            if signature.len() <= MARGIN {
                out.push_str(&signature);
            } else {
                let _ = write!(out, "    fn from(\n        value: {},\n    ) -> Self {{", member.path);
            }
            let body = format!("        Self::{}(::std::boxed::Box::new(value))", member.variant);
            if body.len() <= MARGIN {
                let _ = write!(out, "\n{body}\n");
            } else {
                let _ = write!(
                    out,
                    "\n        Self::{}(\n            ::std::boxed::Box::new(value),\n        )\n",
                    member.variant
                );
            }
            out.push_str("    }\n}\n");
        }
        let _ = write!(out, "\n{gate}impl {any} {{\n    ///{}\n    #[inline]\n", to_base_doc(self.base));
        let error = || PathType::new("::docbind_runtime::serde_json::Error", Vec::new());
        let result = PathType::new(
            "::std::result::Result",
            vec![PathType::new(self.members[0].path.clone(), Vec::new()), error()],
        );
        let mut signature = "    pub fn to_base(&self) -> ".to_string();
        result.flat(&mut signature);
        signature.push_str(" {");
        if signature.len() <= MARGIN {
            out.push_str(&signature);
        } else {
            out.push_str("    pub fn to_base(\n        &self,\n    ");
            result.write(&mut out, 4, ") -> ", " {", 2);
        }
        let _ = write!(out, "\n        ::docbind_runtime::model::to_base(self)\n    }}\n}}\n\n{gate}");
        impl_header(&mut out, "::docbind_runtime::model::Polymorphic", any);
        out.push_str(
            "    #[inline]\n    fn from_tagged(\n        type_name: ::std::option::Option<&str>,\n        \
             value: ::docbind_runtime::serde_json::Value,\n    \
             ) -> ::std::result::Result<Self, ::docbind_runtime::serde_json::Error> {\n        \
             ::std::result::Result::Ok(\n            match type_name {\n",
        );
        for (n, member) in self.members.iter().enumerate() {
            let tag = Literal::string(&member.doc_name.to_lowercase()).to_string();
            let some = format!("::std::option::Option::Some({tag})");
            // The pattern's last line, to which `=> …` is added.
            let last = if n == 0 {
                let pattern = format!("::std::option::Option::None | {some}");
                if 16 + pattern.len() + 4 <= MARGIN {
                    format!("                {pattern}")
                } else if 16 + 2 + some.len() + 4 <= MARGIN {
                    format!("                ::std::option::Option::None\n                | {some}")
                } else {
                    format!(
                        "                ::std::option::Option::None\n                \
                         | ::std::option::Option::Some(\n                    {tag},\n                )"
                    )
                }
            } else {
                out.push_str(&gate_text(self.members[n].gate, 16));
                if 16 + some.len() + 4 <= MARGIN {
                    format!("                {some}")
                } else {
                    format!(
                        "                ::std::option::Option::Some(\n                    {tag},\n                )"
                    )
                }
            };
            let variant = member.variant;
            arm_value(
                &mut out,
                &last,
                16,
                &format!("Self::{variant}(::docbind_runtime::serde_json::from_value(value)?)"),
                &format!(
                    "Self::{variant}(\n                        \
                     ::docbind_runtime::serde_json::from_value(value)?,\n                    )"
                ),
            );
        }
        let _ = write!(
            out,
            "                _ => Self::{undocumented}(value),\n            }},\n        )\n    }}\n    \
             #[inline]\n    fn to_tagged(\n        &self,\n    ) -> (\n        ::std::result::Result<\n            \
             ::docbind_runtime::serde_json::Value,\n            ::docbind_runtime::serde_json::Error,\n        \
             >,\n        ::std::option::Option<&'static str>,\n    ) {{\n        match self {{\n"
        );
        for (n, member) in self.members.iter().enumerate() {
            if n > 0 {
                out.push_str(&gate_text(member.gate, 12));
            }
            let pattern = format!("Self::{}(value)", member.variant);
            if 12 + pattern.len() + 4 <= MARGIN {
                let _ = writeln!(out, "            {pattern} => {{");
            } else {
                let _ =
                    writeln!(out, "            Self::{}(\n                value,\n            ) => {{", member.variant);
            }
            out.push_str("                (\n                    ::docbind_runtime::serde_json::to_value(value),\n");
            if n == 0 {
                out.push_str("                    ::std::option::Option::None,\n");
            } else {
                let name = Literal::string(member.doc_name).to_string();
                // The last of the tuple's elements: its comma is not counted.
                let line = format!("                    ::std::option::Option::Some({name})");
                if line.len() <= MARGIN {
                    let _ = writeln!(out, "{line},");
                } else {
                    let _ = writeln!(
                        out,
                        "                    ::std::option::Option::Some(\n                        {name},\n                    ),"
                    );
                }
            }
            out.push_str("                )\n            }\n");
        }
        let _ = write!(
            out,
            "            Self::{undocumented}(value) => {{\n                \
             (::std::result::Result::Ok(value.clone()), ::std::option::Option::None)\n            }}\n        \
             }}\n    }}\n}}\n\n{gate}"
        );
        macro_call(&mut out, "::docbind_runtime::polymorphic_traits!", any);
        let mut api = Vec::new();
        if let Some(module) = module {
            let owner = format!("{module}::{any}");
            let variants = self.members.iter().map(|member| member.variant).chain([undocumented]);
            crate::api::enum_lines_of(&owner, variants, &mut api);
            let mut output = String::new();
            result.flat(&mut output);
            let output = crate::api::written_type_text(&output);
            let features = super::function::features(self.gate);
            let docs = [to_base_doc(self.base)];
            api.push(crate::api::function_line_of(
                &owner,
                "to_base",
                &["&self".to_string()],
                Some(&output),
                &docs,
                features.as_deref(),
            ));
        }
        (out, api)
    }
}

/// An arm's `=> value` after `last`, its pattern's last line: on that line when it fits (its comma
/// not counted), else in a block `indent` columns in, the value on its line when it fits there or
/// else as `broken`, which is laid out for that place.
fn arm_value(out: &mut String, last: &str, indent: usize, value: &str, broken: &str) {
    let last_line = last.rsplit('\n').next().unwrap_or(last);
    if last_line.len() + 4 + value.len() <= MARGIN {
        let _ = writeln!(out, "{last} => {value},");
        return;
    }
    let inner = " ".repeat(indent + 4);
    let value = if indent + 4 + value.len() <= MARGIN { value } else { broken };
    let _ = writeln!(out, "{last} => {{\n{inner}{value}\n{}}}", " ".repeat(indent));
}

/// The enum's doc.
fn doc(def: &PolymorphicEnum<'_>) -> String {
    let base = def.base;
    format!(
        "`{base}` or one of the {} types derived from it, as `@odata.type` says (absent: `{base}`).",
        def.members.len() - 1
    )
}

/// The doc of `to_base`, a line of its own.
fn to_base_doc(base: &str) -> String {
    format!(
        " This value as `{base}`: the properties every type here has (each derived type carries \
         them), as in `message.to_base()?.subject`. Fails only for an undocumented value that is \
         not a `{base}`."
    )
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Ident, TokenStream};
    use quote::quote;

    use super::super::random::{assert_written_as, passes_margin, type_name, Lcg};
    use super::super::{doc_attrs, ident};
    use super::*;

    /// The tokens the emitter made before the text, as the reference for it.
    fn tokens(def: &PolymorphicEnum<'_>) -> TokenStream {
        let base = def.base;
        let any = ident(&def.name);
        let variants: Vec<Ident> = def.members.iter().map(|member| ident(member.variant)).collect();
        let paths: Vec<TokenStream> = def.members.iter().map(|member| member.path.parse().expect("a path")).collect();
        let tags: Vec<String> = def.members.iter().map(|member| member.doc_name.to_lowercase()).collect();
        let gate = super::super::cfg_any(def.gate);
        let gates: Vec<TokenStream> = def.members.iter().map(|member| super::super::cfg_any(member.gate)).collect();
        let (base_variant, base_tag) = (&variants[0], &tags[0]);
        let (derived_variants, derived_tags) = (&variants[1..], &tags[1..]);
        let derived_names: Vec<&str> = def.members[1..].iter().map(|member| member.doc_name).collect();
        let derived_gates = &gates[1..];
        let undocumented = ident(UNDOCUMENTED_VARIANT);
        let base_path = &paths[0];
        let to_base_doc = to_base_doc(base);
        let doc = doc_attrs(doc(def));
        quote! {
            #doc
            #gate
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #any {
                #( #gates #variants(::std::boxed::Box<#paths>), )*
                /// A type these docs do not describe, kept as JSON.
                #undocumented(::docbind_runtime::serde_json::Value),
            }

            #(
                #gate #gates
                impl ::std::convert::From<#paths> for #any {
                    #[inline]
                    fn from(value: #paths) -> Self {
                        Self::#variants(::std::boxed::Box::new(value))
                    }
                }
            )*

            #gate
            impl #any {
                #[doc = #to_base_doc]
                #[inline]
                pub fn to_base(&self) -> ::std::result::Result<#base_path, ::docbind_runtime::serde_json::Error> {
                    ::docbind_runtime::model::to_base(self)
                }
            }

            #gate
            impl ::docbind_runtime::model::Polymorphic for #any {
                #[inline]
                fn from_tagged(
                    type_name: ::std::option::Option<&str>,
                    value: ::docbind_runtime::serde_json::Value,
                ) -> ::std::result::Result<Self, ::docbind_runtime::serde_json::Error> {
                    ::std::result::Result::Ok(match type_name {
                        ::std::option::Option::None | ::std::option::Option::Some(#base_tag) => {
                            Self::#base_variant(::docbind_runtime::serde_json::from_value(value)?)
                        }
                        #( #derived_gates ::std::option::Option::Some(#derived_tags) => {
                            Self::#derived_variants(::docbind_runtime::serde_json::from_value(value)?)
                        } )*
                        _ => Self::#undocumented(value),
                    })
                }
                #[inline]
                fn to_tagged(&self) -> (
                    ::std::result::Result<::docbind_runtime::serde_json::Value, ::docbind_runtime::serde_json::Error>,
                    ::std::option::Option<&'static str>,
                ) {
                    match self {
                        Self::#base_variant(value) => (::docbind_runtime::serde_json::to_value(value), ::std::option::Option::None),
                        #( #derived_gates Self::#derived_variants(value) => {
                            (::docbind_runtime::serde_json::to_value(value), ::std::option::Option::Some(#derived_names))
                        } )*
                        Self::#undocumented(value) => (::std::result::Result::Ok(value.clone()), ::std::option::Option::None),
                    }
                }
            }

            #gate
            ::docbind_runtime::polymorphic_traits!(#any);
        }
    }

    /// Checks the text and its API lines against prettyplease's layout and the listing of the
    /// tokens; the text, when there is one.
    fn check(def: &PolymorphicEnum<'_>) -> String {
        let (text, api) = def.text(Some("graph"));
        assert_written_as(tokens(def), "graph", &text, api);
        text
    }

    #[test]
    fn text_is_laid_out_as_prettyplease_lays_out_the_tokens() {
        let mut rng = Lcg(20261204);
        let mut past_margin = 0;
        for _ in 0..1500 {
            let gates: Vec<Gate> =
                (0..3).map(|_| (0..[1, 2, 9][rng.below(3)]).map(|_| rng.name(20)).collect()).collect();
            // Names around the points where variants, headers, signatures and arms break.
            let members: Vec<(String, String, String, Option<&Gate>)> = (0..1 + [0, 1, 3, 8][rng.below(4)])
                .map(|_| {
                    let max = if rng.below(3) == 0 { 80 } else { 30 };
                    let variant = type_name(&mut rng, max);
                    let module = rng.name(12);
                    let max = if rng.below(3) == 0 { 70 } else { 30 };
                    let path = format!("crate::{module}::{}", type_name(&mut rng, max));
                    let max = if rng.below(3) == 0 { 70 } else { 30 };
                    let doc_name = format!("microsoft.graph.{}", rng.name(max).replace('_', ""));
                    (variant, path, doc_name, gates.get(rng.below(2 * gates.len())))
                })
                .collect();
            let max = if rng.below(2) == 0 { 80 } else { 30 };
            let name = format!("Any{}", type_name(&mut rng, max));
            let text = check(&PolymorphicEnum {
                name,
                base: &members[0].2,
                gate: gates.get(rng.below(2 * gates.len())),
                members: members
                    .iter()
                    .map(|(variant, path, doc_name, gate)| Variant {
                        variant,
                        path: path.clone(),
                        doc_name,
                        gate: *gate,
                    })
                    .collect(),
            });
            past_margin += usize::from(passes_margin(&text));
        }
        assert!(past_margin > 100, "{past_margin} with a line past the margin");
    }

    #[test]
    fn each_line_breaks_at_the_margin_and_not_before() {
        // Variants, paths, tags and the enum's name each walk across the lengths where a line of
        // theirs stops fitting.
        let gate: Gate = ["outlook".to_string()].into_iter().collect();
        for len in 1..=70 {
            let variants = [format!("V{}", "v".repeat(len + 10)), format!("W{}", "w".repeat(len + 30))];
            let paths = [format!("crate::graph::T{}", "t".repeat(len)), format!("crate::m::U{}", "u".repeat(len + 2))];
            let tags =
                [format!("microsoft.graph.{}", "b".repeat(len + 10)), format!("microsoft.graph.{}", "d".repeat(len))];
            let members = (0..2)
                .map(|n| Variant {
                    variant: &variants[n],
                    path: paths[n].clone(),
                    doc_name: &tags[n],
                    gate: Some(&gate),
                })
                .collect();
            let name = format!("Any{}", "x".repeat(len + 20));
            check(&PolymorphicEnum { name, base: &tags[0], gate: None, members });
        }
    }
}
