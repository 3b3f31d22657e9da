//! Types: structs of optional fields with their `Model` tables, open enums, and the `Any…` enums of
//! polymorphic bases. A struct's fields are never gated: a type that compiles has all of them.

use super::model_impl::ModelImpl;
use super::polymorphic::{PolymorphicEnum, Variant};
use super::record::{PathType, Record, RecordField};
use super::string_enum::{Member, StringEnum};
use super::{doc_text, is_related, Context};
use crate::areas::Gate;
use crate::ir::*;

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
        let gate = self.gate_of_type(&def.name);
        self.record(name, &def.name, gate, doc, &def.properties, fields, map, def.open)
    }

    /// The `Model` impl of a type: the field table through which the runtime's shared serde,
    /// `Debug`, `Clone` and `PartialEq` implementations work (much cheaper to compile than those
    /// derives on every type).
    pub(super) fn struct_model_impl<'a>(&'a self, def: &'a TypeDef) -> ModelImpl<'a> {
        let (fields, map) = &self.names.fields[&def.name];
        ModelImpl {
            gate: self.gate_of_type(&def.name),
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
        gate: Option<&'a Gate>,
        doc: String,
        properties: &[Property],
        fields: &'a [String],
        map: &'a str,
        open: bool,
    ) -> Record<'a> {
        let fields = properties.iter().zip(fields).map(|(property, field)| {
            let boxed = self.boxed.contains(&(doc_name.to_string(), property.name.clone()));
            let mut ty = self.value_path(&property.type_ref, boxed);
            let mut doc = if property.description.is_empty() {
                format!("`{}`", property.name)
            } else {
                doc_text(&property.description)
            };
            if is_related(property) {
                ty = PathType::new("::docbind_runtime::Related", vec![ty]);
                doc.push_str(&format!(
                    "\n\nA relationship, sent when the request expands it (`$expand={}`); \
                     [`Related::decode`](docbind_runtime::Related::decode) reads it.",
                    property.name
                ));
            }
            RecordField { doc, name: field, ty: PathType::new("::std::option::Option", vec![ty]) }
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
    pub(super) fn polymorphic_enum<'d>(&'d self, base: &'d str) -> PolymorphicEnum<'d> {
        let (name, members) = &self.names.polymorphic[base];
        // A member's gate only where it says more than the enum's: a member needed in every area
        // the base is needed in (as derived types are) is there whenever the enum is.
        let members = members
            .iter()
            .map(|(doc_name, variant)| Variant {
                variant,
                path: format!(
                    "crate::{}::{}",
                    self.names.module(&self.types[doc_name.as_str()].namespace),
                    self.names.type_name(doc_name)
                ),
                doc_name,
                gate: match self.gates {
                    Some(gates) if covers(gates.of_type(doc_name), gates.of_type(base)) => None,
                    _ => self.gate_of_type(doc_name),
                },
            })
            .collect();
        PolymorphicEnum { name: name.clone(), base, gate: self.gate_of_type(base), members }
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
