//! The intermediate model: plain serde data, the single contract between parsing and emitting.
//!
//! `lower` produces one [`Model`] per page; `resolve` merges them into one resolved [`Model`] for the
//! whole input; `emit` reads only this. Names here are doc names (`termStore`, `relationType`); turning
//! them into Rust identifiers is the emitter's business.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Source};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub namespaces: Vec<String>,
    pub operations: Vec<Operation>,
    pub types: Vec<TypeDef>,
    pub enums: Vec<EnumDef>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A reference to a type as written in the docs, and what it resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeRef {
    /// The cell or annotation text it came from, e.g. `[relation](...) collection`.
    pub written: String,
    pub collection: bool,
    pub target: TypeTarget,
    /// The page a linked type name points to (relative to the docs root), used when the name alone
    /// does not resolve (`[tab](teamstab.md)` names `teamsTab`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum TypeTarget {
    Primitive(Primitive),
    /// A named type or enum; a simple name before resolution, fully qualified after it.
    Named(String),
    /// Nothing in the input defines it (a diagnostic says where); emitted as untyped JSON.
    Unknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Primitive {
    String,
    Boolean,
    Int16,
    Int32,
    Int64,
    Byte,
    Double,
    Decimal,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    Stream,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Property {
    pub name: String,
    pub type_ref: TypeRef,
    pub description: String,
    /// A relationship (navigation property) rather than a structural property.
    pub navigation: bool,
    /// Known only from a JSON example (no table row describes it); tables win over these.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_example: bool,
    pub source: Source,
}

/// An entity or complex type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    /// Fully qualified, e.g. `microsoft.graph.termStore.relation`.
    pub name: String,
    pub namespace: String,
    pub description: String,
    /// Fully qualified base type name.
    pub base: Option<String>,
    pub key: Option<String>,
    pub open: bool,
    pub abstract_: bool,
    /// Own properties first, in doc order; after resolution, inherited ones follow (marked).
    pub properties: Vec<Property>,
    /// Names of properties that come from the base chain (filled by resolve).
    pub inherited: Vec<String>,
    /// Only described by a request body table, not by a resource page.
    pub from_request_body: bool,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumMember {
    pub name: String,
    pub value: Option<i64>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumDef {
    pub name: String,
    pub namespace: String,
    pub description: String,
    pub members: Vec<EnumMember>,
    pub flags: bool,
    /// Where the members were read: an enum page, a `### x values` table, or a "Possible values" list.
    pub origin: EnumOrigin,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumOrigin {
    EnumPage,
    ValuesTable,
    PossibleValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn parse(word: &str) -> Option<Method> {
        match word.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A path as documented, split into literal text and placeholders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathTemplate {
    /// The template line's path, e.g. `/termStores/{termStoresId}/groups/{groupId}`.
    pub raw: String,
    pub segments: Vec<PathPiece>,
    /// A query string written into the template line, kept verbatim.
    pub query: Option<String>,
}

impl PathTemplate {
    /// Whether a concrete URL (absolute or not, with or without a query) is this path with its
    /// placeholders filled in: same segment count, literal segments equal ignoring case.
    pub fn matches(&self, url: &str) -> bool {
        self.capture(url).is_some()
    }

    /// The values a concrete URL gives this path's placeholders, in order, when the URL matches. A
    /// placeholder must fill its whole segment; segments mixing text and placeholders (functions,
    /// `root:/{path}:`) only match, capturing nothing.
    pub fn capture(&self, url: &str) -> Option<Vec<String>> {
        let path = url.split('?').next().unwrap_or_default();
        let path = match path.find("graph.microsoft.com/") {
            Some(at) => path[at + "graph.microsoft.com/".len()..].split_once('/').map_or("", |(_, rest)| rest),
            None => path,
        };
        let concrete: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let template: Vec<&str> = self.raw.split('/').filter(|s| !s.is_empty()).collect();
        if concrete.len() != template.len() {
            return None;
        }
        let mut values = Vec::new();
        for (t, c) in template.iter().zip(&concrete) {
            if t.starts_with('{') && t.ends_with('}') && t.matches('{').count() == 1 {
                values.push(c.to_string());
            } else if !t.contains('{') && !t.eq_ignore_ascii_case(c) {
                return None;
            }
        }
        Some(values)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PathPiece {
    Literal(String),
    /// Index into the operation's `path_parameters`.
    Parameter(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathParameter {
    /// The placeholder's first name, e.g. `termStoresId` of `{termStoresId}` or `id` of `{id | userPrincipalName}`.
    pub name: String,
    /// Other keys the docs accept in the same place (`userPrincipalName`).
    pub alternatives: Vec<String>,
    pub placeholder: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeaderSpec {
    pub name: String,
    pub description: String,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BodySpec {
    /// A JSON representation of a type (create, update).
    Type { type_ref: TypeRef },
    /// A JSON object of named parameters (actions).
    Parameters { parameters: Vec<Property> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseSpec {
    pub status: Option<u16>,
    pub type_ref: Option<TypeRef>,
    /// The docs say (or the example shows) that the response has no body.
    pub empty: bool,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Permission {
    pub kind: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    pub truncated: bool,
    pub source: Source,
}

/// A documented request and the response documented for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub name: String,
    pub request: Option<ExampleRequest>,
    pub response: Option<ExampleResponse>,
    /// How many places the example contradicts the docs' own tables (each is a diagnostic).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub contradictions: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Operation {
    /// Whether an example's request uses this operation's method (examples without a request match).
    pub fn method_matches(&self, example: &Example) -> bool {
        example.request.as_ref().is_none_or(|r| r.method == self.method)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// From the page title, e.g. `Update relations`; unique after resolution.
    pub name: String,
    pub namespace: String,
    pub description: String,
    /// `v1.0` or `beta`: from the example URLs or the folder.
    pub api_version: String,
    pub method: Method,
    pub path: String,
    pub path_template: PathTemplate,
    pub path_parameters: Vec<PathParameter>,
    pub query_options: Vec<String>,
    pub headers: Vec<HeaderSpec>,
    pub body: Option<BodySpec>,
    pub response: ResponseSpec,
    pub permissions: Vec<Permission>,
    pub examples: Vec<Example>,
    pub source: Source,
}
