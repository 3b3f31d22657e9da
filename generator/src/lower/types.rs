//! Types: a resource page's property and relationship tables, its JSON representation, and the
//! type texts cells write (`String collection`, `[user](user.md)`, `Edm.Int32`).
//!
//! Takes the page; gives its [`TypeDef`]s, type references still written as doc names.

use super::*;

impl Page<'_> {
    pub(super) fn types(&self, findings: &mut Findings) -> Found {
        let resources: Vec<&CodeItem> = self.codes().filter(|c| c.block_type() == Some("resource")).collect();
        let mut found = Found::default();
        let mut properties = Vec::new();
        let mut add = |table: &Table, navigation: bool| {
            let (rows, enums) = self.property_rows(table, navigation);
            properties.extend(rows);
            found.enums.extend(enums);
        };
        for section in self.page.under(&["properties", "instance attributes"]) {
            tables(section).for_each(|table| add(table, false));
        }
        for section in self.page.under(&["relationships"]) {
            tables(section).for_each(|table| add(table, true));
        }
        let h1 = self.page.title.as_ref().map(|t| t.text.to_string()).unwrap_or_default();
        let inherits = self.inherits_from();

        if resources.is_empty() {
            // A resource page without an annotation: "x resource type" plus a Properties table.
            let Some(name) = h1.strip_suffix(" resource type").or_else(|| h1.strip_suffix(" complex type")) else {
                return found;
            };
            if properties.is_empty() {
                return found;
            }
            let name = name.trim().rsplit(' ').next().unwrap_or_default();
            found.types.push(TypeDef {
                name: self.qualify(name),
                namespace: self.namespace.clone(),
                area: self.area(),
                description: self.description(),
                base: inherits.map(|b| self.qualify(&b)),
                key: properties.iter().any(|p| p.name == "id").then(|| "id".to_string()),
                open: false,
                abstract_: false,
                properties,
                inherited: Vec::new(),
                from_request_body: false,
                source: self.at(self.page.title.as_ref().map_or(0, |t| t.offset)),
            });
            return found;
        }

        for (index, code) in resources.iter().enumerate() {
            let annotation = code.annotation.as_ref().expect("resource blocks have annotations");
            let type_name = annotation.get("@odata.type").or_else(|| annotation.get("@type")).and_then(|v| v.as_str());
            let Some(type_name) = type_name.map(|t| t.trim().trim_start_matches('#')).filter(|t| !t.is_empty()) else {
                continue;
            };
            let base = match annotation.get("baseType").and_then(|v| v.as_str()) {
                Some(base) if !base.is_empty() => Some(self.qualify(base)),
                _ => inherits.as_ref().map(|b| self.qualify(b)),
            };
            let json_body = self.read_json(code, findings);
            // Tables describe the page's first resource; further blocks only add what their JSON shows.
            let mut own = if index == 0 { properties.clone() } else { Vec::new() };
            if let Some(serde_json::Value::Object(object)) = json_body {
                let mut known: std::collections::BTreeSet<String> = own.iter().map(|p| p.name.clone()).collect();
                for (key, value) in object {
                    // `@odata.type` and friends describe the JSON, not the type; instance annotations
                    // such as `@microsoft.graph.conflictBehavior` are real properties.
                    if key.starts_with("@odata.") || !known.insert(key.clone()) {
                        continue;
                    }
                    own.push(Property {
                        name: key.clone(),
                        type_ref: type_from_json_placeholder(&value),
                        description: String::new(),
                        navigation: false,
                        from_example: true,
                        source: self.at(code.content_offset),
                    });
                }
            }
            found.types.push(TypeDef {
                name: self.qualify(type_name),
                namespace: namespace_of(&self.qualify(type_name)),
                area: self.area(),
                description: self.description(),
                base,
                key: annotation
                    .get("keyProperty")
                    .and_then(|v| v.as_str())
                    .filter(|k| !k.is_empty())
                    .map(str::to_string),
                open: flag(annotation.get("openType")),
                abstract_: flag(annotation.get("abstract")),
                properties: own,
                inherited: Vec::new(),
                from_request_body: false,
                source: self.at(code.offset),
            });
        }
        found
    }

    /// The base type the page intro names: `Inherits from [entity](entity.md).` opening a paragraph,
    /// or mid-sentence, "**mailSearchFolder** inherits from [mailFolder](mailfolder.md)" and
    /// "(is) derived from [baseItem]", "a subclass of [educationResource]", where the phrase must be
    /// followed by a link; or a paragraph opening "An [educationOutcome](…) that gives a grade".
    pub(super) fn inherits_from(&self) -> Option<String> {
        const PHRASES: [&str; 4] = ["inherits from", "derives from", "derived from", "subclass of"];
        self.page.intro.iter().find_map(|item| {
            let Item::Paragraph(p) = item else { return None };
            let lower = p.text.to_ascii_lowercase();
            // "An [educationOutcome](educationoutcome.md) that gives a numerical grade."
            let article = ["a ", "an "].iter().find(|a| lower.starts_with(*a)).map(|a| a.len());
            if let (Some(skip), Some(link)) = (article, p.links.first()) {
                let rest = p.text[skip..].trim_start_matches('*');
                let subject = link.text.trim().trim_matches('*');
                let after = rest.strip_prefix(subject).map(|r| r.trim_start_matches('*'));
                if !subject.is_empty() && after.is_some_and(|a| a.starts_with(" that ") || a.starts_with(" which ")) {
                    return Some(subject.to_string());
                }
            }
            if lower.starts_with("inherits from") {
                return p.links.first().map(|l| l.text.trim().to_string()).or_else(|| {
                    p.text["inherits from".len()..]
                        .trim()
                        .trim_end_matches('.')
                        .split_whitespace()
                        .next()
                        .map(str::to_string)
                });
            }
            PHRASES.iter().find_map(|phrase| {
                lower.match_indices(phrase).find_map(|(at, _)| {
                    let rest = p.text[at + phrase.len()..].trim_start().trim_start_matches('*');
                    p.links
                        .iter()
                        .map(|l| l.text.trim().trim_matches('*'))
                        .find(|text| !text.is_empty() && rest.starts_with(text))
                        .map(str::to_string)
                })
            })
        })
    }

    /// Rows of a Properties, Relationships or Request body table; and the enums of rows whose
    /// description lists "Possible values" for a non-primitive type.
    pub(super) fn property_rows(&self, table: &Table, navigation: bool) -> (Vec<Property>, Vec<EnumDef>) {
        let Some(name_col) = table.column(&[
            "property",
            "property name",
            "name",
            "relationship",
            "relationship name",
            "parameter",
            "parameter name",
        ]) else {
            return Default::default();
        };
        let Some(type_col) = table.column(&["type"]) else { return Default::default() };
        let description_col = table.column(&["description"]);
        let mut out = Vec::new();
        let mut enums = Vec::new();
        for row in &table.rows {
            let Some(name_cell) = row.get(name_col) else { continue };
            let name = clean_name(&name_cell.text);
            // Bold group rows (`| **Calendar** | | |`) have an empty type cell.
            let Some(type_cell) = row.get(type_col).filter(|c| !c.text.trim().is_empty()) else { continue };
            // `odata.type` without its `@` (newer resource pages) documents the annotation that
            // names a value's type, which the model handles as such: not a property `odata.type`.
            // Rows that spell `@odata.type` stay fields (change notifications carry it as data).
            if name.is_empty() || name.contains(' ') || name.eq_ignore_ascii_case("odata.type") {
                continue;
            }
            let description = description_col.and_then(|c| row.get(c)).map(|c| c.text.to_string()).unwrap_or_default();
            let type_ref = parse_type_cell(type_cell, &self.page.file);
            if let TypeTarget::Named(type_name) = &type_ref.target {
                let members = possible_values(&description);
                if !members.is_empty() {
                    enums.push(EnumDef {
                        name: self.qualify(type_name),
                        namespace: namespace_of(&self.qualify(type_name)),
                        area: self.area(),
                        description: String::new(),
                        members: members
                            .into_iter()
                            .map(|name| EnumMember { name, value: None, description: String::new() })
                            .collect(),
                        flags: false,
                        origin: EnumOrigin::PossibleValues,
                        source: self.at(type_cell.offset),
                    });
                }
            }
            out.push(Property {
                name,
                type_ref,
                description,
                navigation,
                from_example: false,
                source: self.at(name_cell.offset),
            });
        }
        (out, enums)
    }
}

/// A Type cell: `String`, `relationType`, `[term](term.md) collection`, `Collection(x)`.
pub fn parse_type_cell(cell: &Inline, from: &str) -> TypeRef {
    let mut type_ref = parse_type_text(&cell.text);
    // "[a](a.md) or [b](b.md)": a union, which no single type describes.
    if cell.text.contains(" or ") {
        type_ref.target = TypeTarget::Unknown(cell.text.trim().to_string());
        return type_ref;
    }
    if let Some(link) = cell.links.first() {
        if let TypeTarget::Named(_) | TypeTarget::Unknown(_) = type_ref.target {
            type_ref.target = named_or_primitive(link.text.trim());
            type_ref.link = link.page(from);
        }
    }
    type_ref
}

pub fn parse_type_text(text: &str) -> TypeRef {
    let written = text.trim().to_string();
    let mut name = written.as_str();
    let mut collection = false;
    if let Some(inner) = name.strip_prefix("Collection(").or_else(|| name.strip_prefix("collection(")) {
        name = inner.trim_end_matches(')');
        collection = true;
    }
    if let Some(inner) = name.strip_prefix("collection of ") {
        name = inner;
        collection = true;
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(" collection") {
        name = name[..name.len() - " collection".len()].trim_end();
        collection = true;
    }
    let target = match named_or_primitive(name.trim()) {
        TypeTarget::Unknown(text) => {
            qualified_primitive(&text).map_or(TypeTarget::Unknown(text), TypeTarget::Primitive)
        }
        target => target,
    };
    TypeRef { written, collection, target, link: None }
}

/// A primitive with a note after it, as older pages write some: `string (url)`, `String
/// (optional)`, `string, maximum size 20`; and `JSON object`.
pub(super) fn qualified_primitive(text: &str) -> Option<Primitive> {
    let lower = text.trim().to_ascii_lowercase();
    if matches!(lower.as_str(), "json object" | "untyped json object") {
        return Some(Primitive::Json);
    }
    let head = lower.split([',', '(']).next()?.trim();
    (head.len() < lower.len()).then(|| primitive(head)).flatten()
}

pub(super) fn named_or_primitive(name: &str) -> TypeTarget {
    let name = name.trim().trim_start_matches('#');
    let bare = name.strip_prefix("Edm.").or_else(|| name.strip_prefix("edm.")).unwrap_or(name);
    if let Some(primitive) = primitive(bare) {
        return TypeTarget::Primitive(primitive);
    }
    let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '_');
    if valid {
        TypeTarget::Named(name.to_string())
    } else {
        TypeTarget::Unknown(name.to_string())
    }
}

pub(super) fn primitive(name: &str) -> Option<Primitive> {
    // The longest primitive name is `datetimeoffset`; longer names are types, and need no lowercase copy.
    let mut buffer = [0u8; 14];
    let lower = buffer.get_mut(..name.len()).filter(|_| name.is_ascii())?;
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    Some(match std::str::from_utf8(lower).ok()? {
        "string" | "url" | "etag" | "range" => Primitive::String,
        "boolean" | "bool" => Primitive::Boolean,
        "int16" => Primitive::Int16,
        "int32" | "int" | "integer" | "number" => Primitive::Int32,
        "int64" | "long" => Primitive::Int64,
        "byte" | "sbyte" => Primitive::Byte,
        "double" | "single" | "float" => Primitive::Double,
        "decimal" => Primitive::Decimal,
        "datetimeoffset" | "datetime" | "timestamp" => Primitive::DateTimeOffset,
        "date" => Primitive::Date,
        "timeofday" => Primitive::TimeOfDay,
        "duration" => Primitive::Duration,
        "guid" => Primitive::Guid,
        "binary" => Primitive::Binary,
        "stream" => Primitive::Stream,
        "json" | "object" => Primitive::Json,
        _ => return None,
    })
}

/// The type a resource JSON placeholder stands for (`"String (timestamp)"`, `{"@odata.type": ...}`).
pub(super) fn type_from_json_placeholder(value: &serde_json::Value) -> TypeRef {
    use serde_json::Value;
    let (target, collection) = match value {
        Value::Array(items) => (type_from_json_placeholder(items.first().unwrap_or(&Value::Null)).target, true),
        Value::Bool(_) => (TypeTarget::Primitive(Primitive::Boolean), false),
        Value::Number(n) if n.is_i64() => (TypeTarget::Primitive(Primitive::Int32), false),
        Value::Number(_) => (TypeTarget::Primitive(Primitive::Double), false),
        Value::Object(o) => match o.get("@odata.type").and_then(|t| t.as_str()) {
            Some(t) => (named_or_primitive(t), false),
            None => (TypeTarget::Primitive(Primitive::Json), false),
        },
        Value::String(s) => {
            let lower = s.to_lowercase();
            let target = if lower.contains("timestamp") {
                TypeTarget::Primitive(Primitive::DateTimeOffset)
            } else {
                primitive(s.split_whitespace().next().unwrap_or_default())
                    .map_or(TypeTarget::Primitive(Primitive::String), TypeTarget::Primitive)
            };
            (target, false)
        }
        Value::Null => (TypeTarget::Primitive(Primitive::Json), false),
    };
    let written = match &target {
        TypeTarget::Named(name) => name.clone(),
        _ => value.to_string(),
    };
    TypeRef { written, collection, target, link: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_texts() {
        let t = parse_type_text("String collection");
        assert_eq!((t.target, t.collection), (TypeTarget::Primitive(Primitive::String), true));
        let t = parse_type_text("Collection(microsoft.graph.termStore.term)");
        assert_eq!(t.target, TypeTarget::Named("microsoft.graph.termStore.term".into()));
        assert!(t.collection);
        assert_eq!(parse_type_text("Edm.String").target, TypeTarget::Primitive(Primitive::String));
        // A primitive with a note (older pages) is that primitive; a union is no one type.
        for noted in ["string, maximum size 20", "string (url)", "String (optional)"] {
            assert_eq!(parse_type_text(noted).target, TypeTarget::Primitive(Primitive::String), "{noted}");
        }
        assert_eq!(parse_type_text("Untyped JSON object").target, TypeTarget::Primitive(Primitive::Json));
        assert!(matches!(parse_type_text("string/number").target, TypeTarget::Unknown(_)));
        assert!(matches!(parse_type_text("(boolean or string) collection").target, TypeTarget::Unknown(_)));
    }
}
