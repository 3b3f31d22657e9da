//! Types: structs of optional fields with their `Model` tables, open enums, and the `Any…` enums of
//! polymorphic bases. A struct's fields are never gated: a type that compiles has all of them.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::model_impl::ModelImpl;
use super::record::{Record, RecordField};
use super::string_enum::{Member, StringEnum};
use super::{doc_attrs, doc_text, ident, is_related, Context};
use crate::areas::Gate;
use crate::ir::*;
use crate::names;

impl Context<'_> {
    /// The struct of a type.
    pub(super) fn struct_record<'a>(&'a self, def: &'a TypeDef) -> Record<'a> {
        let mut doc = doc_text(&def.description);
        if let Some(base) = &def.base {
            doc.push_str(&format!("\n\nDerived from `{base}`; inherited properties are included."));
        }
        doc.push_str(&format!("\n\nDoc type `{}`, defined at `{}`.", def.name, def.source));
        let (fields, map) = &self.names.fields[&def.name];
        let name = self.names.type_name(&def.name);
        let gate = self.type_gate(&def.name);
        self.record(name, &def.name, gate, doc, &def.properties, fields, map, def.open)
    }

    /// The `Model` impl of a type: the field table through which the runtime's shared serde,
    /// `Debug`, `Clone` and `PartialEq` implementations work (much cheaper to compile than those
    /// derives on every type).
    pub(super) fn struct_model_impl<'a>(&'a self, def: &'a TypeDef) -> ModelImpl<'a> {
        let (fields, map) = &self.names.fields[&def.name];
        ModelImpl {
            gate: self.type_gate(&def.name),
            name: self.names.type_name(&def.name),
            doc_name: &def.name,
            wires: def.properties.iter().map(|property| property.name.as_str()).collect(),
            fields,
            map,
            open: def.open,
        }
    }

    /// A struct of optional fields, and a map for the properties and annotations it has no field for.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn record<'a>(
        &self,
        name: String,
        doc_name: &str,
        gate: TokenStream,
        doc: String,
        properties: &[Property],
        fields: &'a [String],
        map: &'a str,
        open: bool,
    ) -> Record<'a> {
        let fields = properties.iter().zip(fields).map(|(property, field)| {
            let boxed = self.boxed.contains(&(doc_name.to_string(), property.name.clone()));
            let mut ty = self.value_type(&property.type_ref, boxed);
            let mut doc = if property.description.is_empty() {
                format!("`{}`", property.name)
            } else {
                doc_text(&property.description)
            };
            if is_related(property) {
                ty = quote! { ::docbind_runtime::Related<#ty> };
                doc.push_str(&format!(
                    "\n\nA relationship, sent when the request expands it (`$expand={}`); \
                     [`Related::decode`](docbind_runtime::Related::decode) reads it.",
                    property.name
                ));
            }
            RecordField { doc, name: field, ty: quote! { ::std::option::Option<#ty> } }
        });
        // Every type keeps the instance annotations it is sent (`manager@odata.bind`, `@odata.etag`);
        // an open type keeps every property it has no field for.
        let map_doc = if open {
            " Properties the docs do not list (this is an open type), and instance annotations."
        } else {
            " Instance annotations, such as `manager@odata.bind` or `@odata.etag`."
        };
        Record { gate, name, doc, fields: fields.collect(), map, map_doc }
    }

    /// An open enum: documented members plus `Undocumented` for values a newer service may send,
    /// with its conversions from and to strings.
    pub(super) fn string_enum<'d>(&'d self, def: &'d EnumDef) -> StringEnum<'d> {
        let members = self.names.variants[&def.name]
            .iter()
            .zip(&def.members)
            .map(|(variant, member)| Member {
                variant,
                doc: if member.description.is_empty() {
                    format!("`{}`", member.name)
                } else {
                    doc_text(&member.description)
                },
                wire: &member.name,
            })
            .collect();
        StringEnum {
            doc: format!("{}\n\nDoc enum `{}`, defined at `{}`.", doc_text(&def.description), def.name, def.source),
            gate: self.gate_of_type(&def.name),
            name: self.names.type_name(&def.name).to_string(),
            members,
        }
    }

    /// The enum of a base type and its descendants, read and written by `@odata.type`, and a
    /// `From` for each member, so `recipient.into()` gives an `AnyRecipient`. It is
    /// `non_exhaustive`: a variant is there when its type's area is, so turning on a feature may add
    /// one.
    pub(super) fn polymorphic_item(&self, base: &str) -> TokenStream {
        let (any, members) = &self.names.polymorphic[base];
        let any = ident(any);
        let variants: Vec<Ident> = members.iter().map(|(_, variant)| ident(variant)).collect();
        let paths: Vec<TokenStream> = members
            .iter()
            .map(|(name, _)| {
                let module = ident(&self.names.module(&self.types[name.as_str()].namespace));
                let ty = self.type_ident(name);
                quote! { crate::#module::#ty }
            })
            .collect();
        let tags: Vec<String> = members.iter().map(|(name, _)| name.to_lowercase()).collect();
        let gate = self.type_gate(base);
        // A member's gate only where it says more than the enum's: a member needed in every area
        // the base is needed in (as derived types are) is there whenever the enum is.
        let gates: Vec<TokenStream> = members
            .iter()
            .map(|(name, _)| match self.gates {
                Some(gates) if covers(gates.of_type(name), gates.of_type(base)) => quote! {},
                _ => self.type_gate(name),
            })
            .collect();
        let (base_variant, base_tag) = (&variants[0], &tags[0]);
        let (derived_variants, derived_tags) = (&variants[1..], &tags[1..]);
        let derived_names: Vec<&str> = members[1..].iter().map(|(name, _)| name.as_str()).collect();
        let derived_gates = &gates[1..];
        let undocumented = ident(names::UNDOCUMENTED_VARIANT);
        let base_path = &paths[0];
        let to_base_doc = format!(
            " This value as `{base}`: the properties every type here has (each derived type carries \
             them), as in `message.to_base()?.subject`. Fails only for an undocumented value that is \
             not a `{base}`."
        );
        let doc = doc_attrs(format!(
            "`{base}` or one of the {} types derived from it, as `@odata.type` says (absent: `{base}`).",
            members.len() - 1
        ));
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
                    fn from(value: #paths) -> Self {
                        Self::#variants(::std::boxed::Box::new(value))
                    }
                }
            )*

            #gate
            impl #any {
                #[doc = #to_base_doc]
                pub fn to_base(&self) -> ::std::result::Result<#base_path, ::docbind_runtime::serde_json::Error> {
                    ::docbind_runtime::model::to_base(self)
                }
            }

            #gate
            impl ::docbind_runtime::model::Polymorphic for #any {
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
}

/// Whether an item gated by `inner` is there whenever one gated by `outer` is: it is not gated, or
/// any feature that brings the outer one brings it too. No gate (or an empty one) is no `cfg`.
fn covers(inner: Option<&Gate>, outer: Option<&Gate>) -> bool {
    let (inner, outer) = (inner.filter(|gate| !gate.is_empty()), outer.filter(|gate| !gate.is_empty()));
    match (inner, outer) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(inner), Some(outer)) => outer.is_subset(inner),
    }
}
