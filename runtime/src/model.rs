//! Shared serde machinery for generated model types.
//!
//! Deriving `Serialize` and `Deserialize` on every one of Graph's thousands of types makes the compiler
//! type-check a visitor, a field enum and a match per type: minutes of `cargo check` for v1.0. Instead
//! a generated type describes its fields once, in an impl of [`Model`] (a name → field table), and the
//! one pair of functions here, [`serialize`] and [`deserialize`], does the work for every type through
//! trait objects. Fields are read and written with `erased_serde`, so deserialization still streams
//! from the input and an error keeps its JSON path. `Debug`, `Clone` and `PartialEq` go through the
//! same table ([`model_traits!`](crate::model_traits) implements all five traits), because their
//! derives were the other half of the compile time.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;

/// JSON properties by name: what a [`Model`] keeps beyond its fields.
pub type Properties = BTreeMap<String, serde_json::Value>;

/// A generated record type: a JSON object whose documented properties are its fields.
///
/// The fields are handed out as one slice, in the order of [`Model::field_names`]: an array literal
/// per type is the cheapest shape for the compiler to check (a `match` per field was not).
pub trait Model {
    /// The documented type name, such as `microsoft.graph.user`.
    fn type_name(&self) -> &'static str;
    /// The JSON names of the fields, in declaration order.
    fn field_names(&self) -> &'static [&'static str];
    /// Calls `visit` with every field, in the order of `field_names`, and the properties kept
    /// without a field: open types keep them all, other types only instance annotations (names with
    /// an `@`, such as `manager@odata.bind` or `@odata.etag`).
    fn fields(&self, visit: &mut dyn FnMut(&[&dyn Field], &Properties));
    /// [`Model::fields`], mutably.
    fn fields_mut(&mut self, visit: &mut dyn FnMut(&mut [&mut dyn Field], &mut Properties));
    /// An open type keeps every property it has no field for, not only instance annotations.
    fn is_open(&self) -> bool {
        false
    }
}

/// One optional field of a [`Model`]: absent (`None`) fields are left out of the JSON.
pub trait Field {
    /// The value to write, or `None` to leave the property out.
    fn value(&self) -> Option<&dyn erased_serde::Serialize>;
    /// Replaces the value with one read from `input` (JSON `null` reads as absent).
    fn read(&mut self, input: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error>;
    /// The value for `Debug`, or `None` when absent.
    fn debug(&self) -> Option<&dyn fmt::Debug>;
    /// Whether `other` is a field of the same type holding an equal value.
    fn equals(&self, other: &dyn Field) -> bool;
    /// Sets `target`, a field of the same type, to a clone of this one.
    fn clone_to(&self, target: &mut dyn Field);
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T> Field for Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + fmt::Debug + Clone + PartialEq + 'static,
{
    fn value(&self) -> Option<&dyn erased_serde::Serialize> {
        self.as_ref().map(|value| value as &dyn erased_serde::Serialize)
    }

    fn read(&mut self, input: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error> {
        *self = erased_serde::deserialize::<Option<T>>(input)?;
        Ok(())
    }

    fn debug(&self) -> Option<&dyn fmt::Debug> {
        self.as_ref().map(|value| value as &dyn fmt::Debug)
    }

    fn equals(&self, other: &dyn Field) -> bool {
        other.as_any().downcast_ref::<Self>() == Some(self)
    }

    fn clone_to(&self, target: &mut dyn Field) {
        if let Some(target) = target.as_any_mut().downcast_mut::<Self>() {
            target.clone_from(self);
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// Writes a model as a JSON object of its present fields, then its additional properties.
pub fn serialize<S: serde::Serializer>(model: &dyn Model, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let mut result = Ok(());
    let names = model.field_names();
    model.fields(&mut |fields, kept| {
        let present = names.iter().zip(fields).filter_map(|(name, field)| Some((*name, field.value()?)));
        // A `null` kept for a field is written only while the field has no value.
        let has_value = |name: &str| names.iter().zip(fields).any(|(n, f)| *n == name && f.value().is_some());
        let kept = kept
            .iter()
            .filter(|(name, value)| !(value.is_null() && has_value(name)))
            .map(|(name, value)| (name.as_str(), value as &dyn erased_serde::Serialize));
        result = present.chain(kept).try_for_each(|(name, value)| map.serialize_entry(name, value));
    });
    result?;
    map.end()
}

/// `null` for a property, which an absent field cannot say: sending `"mobilePhone": null` in an
/// update clears the phone number, while leaving the field out leaves it as it is. A `null` is kept
/// in the model's [`Properties`] under the property's name; received ones are kept the same way.
///
/// ```
/// # use docbind_runtime::model::{Model, Nulls, Field, Properties};
/// # #[derive(Default)] struct User { display_name: Option<String>, mobile_phone: Option<String>, additional_properties: Properties }
/// # impl Model for User {
/// #     fn type_name(&self) -> &'static str { "microsoft.graph.user" }
/// #     fn field_names(&self) -> &'static [&'static str] { &["displayName", "mobilePhone"] }
/// #     fn fields(&self, visit: &mut dyn FnMut(&[&dyn Field], &Properties)) { visit(&[&self.display_name, &self.mobile_phone], &self.additional_properties) }
/// #     fn fields_mut(&mut self, visit: &mut dyn FnMut(&mut [&mut dyn Field], &mut Properties)) { visit(&mut [&mut self.display_name, &mut self.mobile_phone], &mut self.additional_properties) }
/// # }
/// let mut update = User { display_name: Some("x".into()), ..User::default() };
/// update.set_null(|u| &mut u.mobile_phone);
/// assert!(update.is_null(|u| &u.mobile_phone));
/// assert_eq!(docbind_runtime::model::to_json(&update), r#"{"displayName":"x","mobilePhone":null}"#);
/// ```
pub trait Nulls: Model + Sized {
    /// Makes the field `null`: `update.set_null(|u| &mut u.mobile_phone)`. Setting a value on the
    /// field later wins over the `null`.
    ///
    /// # Panics
    /// When `field` returns anything but a field of this model itself.
    fn set_null<T: 'static>(&mut self, field: impl FnOnce(&mut Self) -> &mut Option<T>) {
        let target = {
            let field = field(self);
            *field = None;
            field as *const Option<T> as *const ()
        };
        let Some(name) = json_name_at(self, target) else {
            panic!("set_null: the closure must return a field of the `{}` itself", self.type_name());
        };
        self.fields_mut(&mut |_, kept| {
            kept.insert(name.to_string(), serde_json::Value::Null);
        });
    }

    /// Whether the field is `null` (received as `null`, or set so), rather than absent or set.
    fn is_null<T: 'static>(&self, field: impl FnOnce(&Self) -> &Option<T>) -> bool {
        let field = field(self);
        if field.is_some() {
            return false;
        }
        let Some(name) = json_name_at(self, field as *const Option<T> as *const ()) else { return false };
        let mut null = false;
        self.fields(&mut |_, kept| null = kept.get(name).is_some_and(serde_json::Value::is_null));
        null
    }
}

/// The JSON name of the field of `model` at address `target`, if it is one of its fields.
fn json_name_at(model: &dyn Model, target: *const ()) -> Option<&'static str> {
    let names = model.field_names();
    let mut found = None;
    model.fields(&mut |fields, _| {
        found = fields.iter().position(|f| std::ptr::eq(*f as *const dyn Field as *const (), target));
    });
    found.map(|i| names[i])
}

impl<M: Model> Nulls for M {}

/// A model as compact JSON text, through [`serialize`].
pub fn to_json(model: &dyn Model) -> String {
    struct AsSerialize<'a>(&'a dyn Model);
    impl serde::Serialize for AsSerialize<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }
    serde_json::to_string(&AsSerialize(model)).unwrap_or_default()
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// Reads a model from a JSON object. Missing properties stay `None`; properties the type does not
/// have are kept by open types and skipped by the others.
pub fn deserialize<'de, M: Model + Default, D: serde::Deserializer<'de>>(deserializer: D) -> Result<M, D::Error> {
    let mut model = M::default();
    deserializer.deserialize_map(ModelVisitor(&mut model))?;
    Ok(model)
}

struct ModelVisitor<'a>(&'a mut dyn Model);

impl<'de> Visitor<'de> for ModelVisitor<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "a JSON object for `{}`", self.0.type_name())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let names = self.0.field_names();
        let open = self.0.is_open();
        let mut result = Ok(());
        self.0.fields_mut(&mut |fields, kept| result = read_fields(&mut map, names, fields, open, kept));
        result
    }
}

/// Reads every property of an object into the field of the same name. The ones without a field go
/// to `kept` when the type is open or the name is an instance annotation; the rest are skipped.
fn read_fields<'de, A: MapAccess<'de>>(
    map: &mut A,
    names: &[&str],
    fields: &mut [&mut dyn Field],
    open: bool,
    kept: &mut Properties,
) -> Result<(), A::Error> {
    while let Some(name) = map.next_key::<String>()? {
        match names.iter().position(|known| *known == name) {
            Some(index) => {
                map.next_value_seed(FieldSeed(&mut *fields[index]))?;
                // Only `null` leaves a field that was in the JSON without a value: keep it, so that
                // it can be told from an absent property.
                if fields[index].value().is_none() {
                    kept.insert(name, serde_json::Value::Null);
                }
            }
            None if open || name.contains('@') => {
                let value = map.next_value()?;
                kept.insert(name, value);
            }
            None => {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

struct FieldSeed<'a>(&'a mut dyn Field);

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.read(&mut erased).map_err(de::Error::custom)
    }
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// `Debug` for a model: its type name and its present fields, by JSON name.
pub fn debug(model: &dyn Model, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut out = formatter.debug_struct(model.type_name());
    let names = model.field_names();
    model.fields(&mut |fields, kept| {
        for (name, field) in names.iter().zip(fields) {
            if let Some(value) = field.debug() {
                out.field(name, value);
            }
        }
        for (name, value) in kept {
            out.field(name, value);
        }
    });
    out.finish()
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// `PartialEq` for two models of one type: every field equal.
pub fn equals<M: Model>(left: &M, right: &M) -> bool {
    let mut equal = false;
    left.fields(&mut |left, left_kept| {
        right.fields(&mut |right, right_kept| {
            equal = left_kept == right_kept && left.iter().zip(right).all(|(l, r)| l.equals(*r));
        });
    });
    equal
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// `Clone` for a model: a default value with every field cloned into it.
pub fn clone<M: Model + Default>(model: &M) -> M {
    let mut copy = M::default();
    model.fields(&mut |from, from_kept| {
        copy.fields_mut(&mut |to, to_kept| {
            from.iter().zip(to.iter_mut()).for_each(|(f, t)| f.clone_to(*t));
            to_kept.clone_from(from_kept);
        })
    });
    copy
}

/// Implements `serde::Serialize`, `serde::Deserialize`, `Debug`, `Clone` and `PartialEq` for a type
/// that implements [`Model`] and `Default`, through the functions of this module.
///
/// The impls that are not generic are `#[inline]`, as is every function docbind generates: rustc
/// then makes their code only in the crates that call them, not in the generated crate for each of
/// its thousand types (with the generated functions, four fifths of a debug build of Graph v1.0).
#[doc(hidden)]
#[macro_export]
macro_rules! model_traits {
    ($type:ty) => {
        impl $crate::serde::Serialize for $type {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::model::serialize(self, serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $type {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::model::deserialize(deserializer)
            }
        }

        impl ::std::fmt::Debug for $type {
            #[inline]
            fn fmt(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::model::debug(self, formatter)
            }
        }

        impl ::std::clone::Clone for $type {
            #[inline]
            fn clone(&self) -> Self {
                $crate::model::clone(self)
            }
        }

        impl ::std::cmp::PartialEq for $type {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                $crate::model::equals(self, other)
            }
        }
    };
}

/// Implements `serde::Serialize` and `serde::Deserialize` for a generated enum that is written as
/// a string: through its `as_str` and its `From<String>` (which keeps values the docs do not list).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum_traits {
    ($type:ty) => {
        impl $crate::serde::Serialize for $type {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $type {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::serde::Deserialize>::deserialize(deserializer).map(<$type>::from)
            }
        }
    };
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// A base type together with the types derived from it, as one generated enum with a variant per
/// type: which one a JSON object is, `@odata.type` says (absent: the base type).
pub trait Polymorphic: Sized {
    /// Reads `value` as the type whose doc name, in lowercase, is `type_name` (`None` when the object
    /// has no `@odata.type`); types these docs do not describe are kept as JSON.
    fn from_tagged(type_name: Option<&str>, value: serde_json::Value) -> Result<Self, serde_json::Error>;
    /// The value as JSON, and the doc name of its type when that is a derived one.
    fn to_tagged(&self) -> (Result<serde_json::Value, serde_json::Error>, Option<&'static str>);
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// Writes a polymorphic value, adding `@odata.type` for a derived type that does not carry it.
pub fn serialize_tagged<P: Polymorphic, S: serde::Serializer>(value: &P, serializer: S) -> Result<S::Ok, S::Error> {
    let (json, type_name) = value.to_tagged();
    let mut json = json.map_err(serde::ser::Error::custom)?;
    if let (Some(name), Some(object)) = (type_name, json.as_object_mut()) {
        object.entry("@odata.type").or_insert_with(|| format!("#{name}").into());
    }
    serde::Serialize::serialize(&json, serializer)
}

#[doc(hidden)] // Called by generated code; not part of the client's API.
/// Reads a polymorphic value: the whole object first, then the variant its `@odata.type` names.
pub fn deserialize_tagged<'de, P: Polymorphic, D: serde::Deserializer<'de>>(deserializer: D) -> Result<P, D::Error> {
    let json = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    let type_name =
        json.get("@odata.type").and_then(|tag| tag.as_str()).map(|tag| tag.trim_start_matches('#').to_lowercase());
    P::from_tagged(type_name.as_deref(), json).map_err(de::Error::custom)
}

/// A polymorphic value read as its base type: the properties every member has (derived types carry
/// their base's properties), without those of the derived type (an open base keeps them in its
/// `additional_properties`). Fails only for an undocumented value that is not the base type.
pub fn to_base<P: Polymorphic, B: serde::de::DeserializeOwned>(value: &P) -> Result<B, serde_json::Error> {
    let (json, _) = value.to_tagged();
    serde_json::from_value(json?)
}

/// Implements `serde::Serialize` and `serde::Deserialize` for a [`Polymorphic`] enum.
#[doc(hidden)]
#[macro_export]
macro_rules! polymorphic_traits {
    ($type:ty) => {
        impl $crate::serde::Serialize for $type {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::model::serialize_tagged(self, serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $type {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::model::deserialize_tagged(deserializer)
            }
        }
    };
}

/// A flags enum's value: a set of members, written in JSON as one comma-separated string
/// (`"apps,tabs,settings"`). Members the docs do not list are kept as the enum's `Undocumented`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Flags<T>(Vec<T>);

impl<T: PartialEq> Flags<T> {
    pub fn new() -> Self {
        Flags(Vec::new())
    }

    /// Adds a member; a member already in the set stays once.
    pub fn insert(&mut self, member: T) {
        if !self.0.contains(&member) {
            self.0.push(member);
        }
    }

    pub fn contains(&self, member: &T) -> bool {
        self.0.contains(member)
    }

    pub fn remove(&mut self, member: &T) {
        self.0.retain(|m| m != member);
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: PartialEq> FromIterator<T> for Flags<T> {
    fn from_iter<I: IntoIterator<Item = T>>(members: I) -> Self {
        let mut flags = Flags::new();
        members.into_iter().for_each(|member| flags.insert(member));
        flags
    }
}

impl<T: Clone> serde::Serialize for Flags<T>
where
    String: From<T>,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let names: Vec<String> = self.0.iter().cloned().map(String::from).collect();
        serializer.serialize_str(&names.join(","))
    }
}

impl<'de, T: From<String> + PartialEq> serde::Deserialize<'de> for Flags<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(text.split(',').map(str::trim).filter(|m| !m.is_empty()).map(|m| T::from(m.to_string())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What the generator emits for a small open type.
    #[derive(Default)]
    struct Label {
        name: Option<String>,
        weight: Option<i32>,
        children: Option<Vec<Label>>,
        additional_properties: Properties,
    }

    impl Model for Label {
        fn type_name(&self) -> &'static str {
            "test.label"
        }
        fn field_names(&self) -> &'static [&'static str] {
            &["name", "weight", "children"]
        }
        fn fields(&self, visit: &mut dyn FnMut(&[&dyn Field], &Properties)) {
            visit(&[&self.name, &self.weight, &self.children], &self.additional_properties)
        }
        fn fields_mut(&mut self, visit: &mut dyn FnMut(&mut [&mut dyn Field], &mut Properties)) {
            visit(&mut [&mut self.name, &mut self.weight, &mut self.children], &mut self.additional_properties)
        }
        fn is_open(&self) -> bool {
            true
        }
    }
    crate::model_traits!(Label);

    #[test]
    fn round_trips_nested_values_nulls_and_unknown_properties() {
        let input = json!({ "name": "a", "weight": null, "extra": [1], "children": [{ "name": "b" }] });
        let label: Label = serde_json::from_value(input).unwrap();
        assert_eq!(label.name.as_deref(), Some("a"));
        assert_eq!(label.weight, None);
        assert!(label.is_null(|l| &l.weight), "a null is told from an absent property");
        assert!(!label.is_null(|l| &l.children) && !label.is_null(|l| &l.name));
        assert_eq!(label.children.as_ref().unwrap()[0].name.as_deref(), Some("b"));
        assert!(!label.children.as_ref().unwrap()[0].is_null(|l| &l.weight), "absent is not null");
        assert_eq!(label.additional_properties["extra"], json!([1]));
        let output = serde_json::to_value(&label).unwrap();
        assert_eq!(output, json!({ "name": "a", "weight": null, "extra": [1], "children": [{ "name": "b" }] }));
    }

    #[test]
    fn set_null_sends_null_until_a_value_is_set() {
        let mut label = Label { name: Some("x".into()), weight: Some(2), ..Label::default() };
        label.set_null(|l| &mut l.weight);
        assert_eq!(label.weight, None);
        assert_eq!(to_json(&label), r#"{"name":"x","weight":null}"#);
        label.weight = Some(3);
        assert!(!label.is_null(|l| &l.weight));
        assert_eq!(to_json(&label), r#"{"name":"x","weight":3}"#, "the value wins over the kept null");
        let outcome = std::panic::catch_unwind(move || {
            let mut other = Label::default();
            other.set_null(|l| &mut l.children.get_or_insert_with(|| vec![Label::default()])[0].weight);
        });
        assert!(outcome.is_err(), "a field of a nested model is not the model's own");
    }

    /// What the generator emits for a closed type: its map keeps instance annotations only.
    #[derive(Default)]
    struct Note {
        text: Option<String>,
        annotations: Properties,
    }

    impl Model for Note {
        fn type_name(&self) -> &'static str {
            "test.note"
        }
        fn field_names(&self) -> &'static [&'static str] {
            &["text"]
        }
        fn fields(&self, visit: &mut dyn FnMut(&[&dyn Field], &Properties)) {
            visit(&[&self.text], &self.annotations)
        }
        fn fields_mut(&mut self, visit: &mut dyn FnMut(&mut [&mut dyn Field], &mut Properties)) {
            visit(&mut [&mut self.text], &mut self.annotations)
        }
    }
    crate::model_traits!(Note);

    #[test]
    fn closed_types_keep_only_instance_annotations() {
        let input = json!({ "text": "a", "extra": 1, "owner@odata.bind": "https://x/users/1", "@odata.etag": "W/1" });
        let note: Note = serde_json::from_value(input).unwrap();
        assert_eq!(note.annotations.keys().collect::<Vec<_>>(), ["@odata.etag", "owner@odata.bind"]);
        let output = json!({ "text": "a", "owner@odata.bind": "https://x/users/1", "@odata.etag": "W/1" });
        assert_eq!(serde_json::to_value(&note).unwrap(), output);
    }

    #[test]
    fn debug_clone_and_equality_go_through_the_fields() {
        let label: Label =
            serde_json::from_value(json!({ "name": "a", "x": 1, "children": [{ "weight": 2 }] })).unwrap();
        let copy = label.clone();
        assert_eq!(copy, label);
        assert_eq!(copy.children.as_ref().unwrap()[0].weight, Some(2));
        assert_eq!(copy.additional_properties["x"], json!(1));
        let mut other = label.clone();
        other.children.as_mut().unwrap()[0].weight = Some(3);
        assert_ne!(other, label);
        let mut other = label.clone();
        other.additional_properties.clear();
        assert_ne!(other, label);
        assert_eq!(
            format!("{label:?}"),
            r#"test.label { name: "a", children: [test.label { weight: 2 }], x: Number(1) }"#
        );
    }

    /// What the generator emits for a base type with one derived type.
    #[derive(Debug, Clone, PartialEq)]
    enum AnyLabel {
        Label(Box<Label>),
        Tag(Box<Label>),
        Undocumented(serde_json::Value),
    }

    impl Polymorphic for AnyLabel {
        fn from_tagged(type_name: Option<&str>, value: serde_json::Value) -> Result<Self, serde_json::Error> {
            Ok(match type_name {
                None | Some("test.label") => Self::Label(serde_json::from_value(value)?),
                Some("test.tag") => Self::Tag(serde_json::from_value(value)?),
                _ => Self::Undocumented(value),
            })
        }
        fn to_tagged(&self) -> (Result<serde_json::Value, serde_json::Error>, Option<&'static str>) {
            match self {
                Self::Label(value) => (serde_json::to_value(value), None),
                Self::Tag(value) => (serde_json::to_value(value), Some("test.tag")),
                Self::Undocumented(value) => (Ok(value.clone()), None),
            }
        }
    }
    crate::polymorphic_traits!(AnyLabel);

    #[test]
    fn odata_type_picks_the_variant_and_is_written_back() {
        let read = |value| serde_json::from_value::<AnyLabel>(value).unwrap();
        assert!(matches!(read(json!({ "name": "a" })), AnyLabel::Label(_)));
        let tag = read(json!({ "@odata.type": "#Test.Tag", "name": "b" }));
        assert!(matches!(&tag, AnyLabel::Tag(label) if label.name.as_deref() == Some("b")));
        // The tag as read is kept (this type is open); a value made in code gets the doc name.
        assert_eq!(serde_json::to_value(&tag).unwrap()["@odata.type"], json!("#Test.Tag"));
        let made = AnyLabel::Tag(Box::default());
        assert_eq!(serde_json::to_value(&made).unwrap(), json!({ "@odata.type": "#test.tag" }));
        let other = json!({ "@odata.type": "#test.other", "size": 3 });
        assert_eq!(read(other.clone()), AnyLabel::Undocumented(other.clone()));
        assert_eq!(serde_json::to_value(read(other.clone())).unwrap(), other);
    }

    #[test]
    fn errors_keep_their_json_path() {
        let text = r#"{ "children": [{ "name": "b" }, { "weight": "heavy" }] }"#;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let error = serde_path_to_error::deserialize::<_, Label>(&mut deserializer).unwrap_err();
        assert_eq!(error.path().to_string(), "children[1].weight");
        assert!(error.to_string().contains("invalid type: string \"heavy\""), "{error}");
        let error = serde_json::from_str::<Label>("[1]").unwrap_err();
        assert!(error.to_string().contains("a JSON object for `test.label`"), "{error}");
    }

    #[test]
    fn flags_are_sets_written_as_one_comma_separated_string() {
        #[derive(Debug, Clone, PartialEq)]
        enum Part {
            Apps,
            Tabs,
            Undocumented(String),
        }
        impl From<String> for Part {
            fn from(value: String) -> Self {
                match value.as_str() {
                    "apps" => Part::Apps,
                    "tabs" => Part::Tabs,
                    _ => Part::Undocumented(value),
                }
            }
        }
        impl From<Part> for String {
            fn from(value: Part) -> Self {
                match value {
                    Part::Apps => "apps".into(),
                    Part::Tabs => "tabs".into(),
                    Part::Undocumented(value) => value,
                }
            }
        }
        let parts: Flags<Part> = serde_json::from_value(json!("apps, tabs,apps,channels")).unwrap();
        assert!(parts.contains(&Part::Apps) && parts.contains(&Part::Tabs));
        assert_eq!(parts.len(), 3, "a repeated member counts once; an unknown one is kept");
        assert_eq!(serde_json::to_value(&parts).unwrap(), json!("apps,tabs,channels"));
        let mut parts = parts;
        parts.remove(&Part::Tabs);
        assert_eq!(serde_json::to_value(&parts).unwrap(), json!("apps,channels"));
    }
}
