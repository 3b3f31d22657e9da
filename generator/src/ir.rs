//! The intermediate model: plain serde data, the single contract between parsing and emitting.
//!
//! `lower` produces one [`Model`] per page; `resolve` merges them into one resolved [`Model`] for the
//! whole input; `emit` reads only this. Names here are doc names (`termStore`, `relationType`); turning
//! them into Rust identifiers is the emitter's business. What is worked out from this data lives
//! with the stage that needs it: templates and URLs in `template`, example pairing in `pairing`.

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
    /// The product area of the defining page (`ms.prod`: `outlook`, `intune`); empty when unsaid.
    #[serde(default)]
    pub area: String,
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
    /// The product area of the defining page (`ms.prod`: `outlook`, `intune`); empty when unsaid.
    #[serde(default)]
    pub area: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PathPiece {
    Literal(String),
    /// Index into the request line's `path_parameters`.
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

impl ResponseSpec {
    /// The type of the success body: none when the docs say there is no body (204, or in words)
    /// or name no type.
    pub fn body_type(&self) -> Option<&TypeRef> {
        if self.empty || self.status == Some(204) {
            None
        } else {
            self.type_ref.as_ref()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseSpec {
    pub status: Option<u16>,
    pub type_ref: Option<TypeRef>,
    /// The docs say (or the example shows) that the response has no body.
    pub empty: bool,
    pub source: Source,
}

/// One row (or, in a per-resource table, one cell) of an operation's permission table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Permission {
    /// `Delegated (work or school account)`, `Delegated (personal Microsoft account)`, `Application`.
    pub kind: String,
    /// The least privileged scopes: the second column of today's tables; in older two-column
    /// tables, every scope listed (least privileged first).
    pub scopes: Vec<String>,
    /// The higher privileged scopes (the third column of today's tables), for when the least do
    /// not cover what the app does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub higher: Vec<String>,
    /// The resource a per-resource table's row is for (`user`, `group`, `device`); `None` when
    /// the scopes hold for every resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    /// A body that is not JSON, as written (the text of a file being uploaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The annotation says `"opaqueUrl": true`: the URL is an address a response handed out (an
    /// upload session's or a download's), not one of the page's request lines.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opaque_url: bool,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    /// A body that is not JSON, as written (a MIME message, a file's text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    pub truncated: bool,
    pub source: Source,
}

/// How a documented response of raw content answers: with the content, or with a redirect to
/// where it is downloaded.
#[derive(Debug, Clone, PartialEq)]
pub enum RawAnswer {
    /// The content type and the content as written (a JSON body as its text).
    Content { content_type: String, content: String },
    /// The status (`302`) and the `Location` the client follows.
    Redirect { status: u16, location: String },
}

impl ExampleResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
    }

    /// The answer an example test serves for a request whose response is raw content; `None` when
    /// the example shows neither content nor a redirect.
    pub fn raw_answer(&self) -> Option<RawAnswer> {
        if (300..400).contains(&self.status) {
            let location = self.header("location")?;
            return Some(RawAnswer::Redirect { status: self.status, location: location.to_string() });
        }
        let content = self.content.clone().or_else(|| self.body.as_ref().map(|b| b.to_string()))?;
        let content_type = self.header("content-type").unwrap_or("application/octet-stream").to_string();
        Some(RawAnswer::Content { content_type, content })
    }
}

/// A documented request and the response documented for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub name: String,
    pub request: Option<ExampleRequest>,
    pub response: Option<ExampleResponse>,
    /// Where the example contradicts the docs' own tables (each is also a diagnostic).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contradictions: Vec<Contradiction>,
    /// Why a request/response pair cannot become a test of the generated client (set by resolve).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untestable: Option<Untestable>,
}

/// What an example request fills in of its operation's request line.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleValues {
    /// One per path parameter, percent-decoded.
    pub path: Vec<String>,
    /// One per placeholder in the request line's query.
    pub query: Vec<String>,
    /// The example's other query pairs, decoded, in order.
    pub extra_query: Vec<(String, String)>,
    /// Graph's aliases the example's URL uses where the request line has the plain form, in
    /// order from the root: the example reaches the request through them.
    pub aliases: Vec<UrlAlias>,
}

/// One of Graph's equivalent ways to a resource, as an example URL may write it where its page's
/// request line writes the other.
#[derive(Debug, Clone, PartialEq)]
pub enum UrlAlias {
    /// `/me` for `/users/{id}`.
    Me,
    /// `/drive` (the signed-in user's) for `/users/{id}/drive`.
    Drive,
    /// A drive's `/root` for `/items/{id}`.
    DriveRoot,
    /// A drive's `/root:/{path}:` for `/items/{id}`: the item by its path (decoded).
    DriveRootPath(String),
}

/// Why a documented request/response pair has no generated test. Each is a problem of the page:
/// its example and its own tables or request lines disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Untestable {
    /// A value has another type than the tables say (DB017): a client typed by them cannot read it.
    WrongType,
    /// The example's method is not its page's.
    MethodDiffers,
    /// The example's URL is none of the request lines of its page.
    UrlMatchesNoRequestLine,
    /// The page documents a request body and the example sends none.
    NoRequestBody,
    /// The page says the response has no body (204, or in words) and the example shows one.
    ResponseBodyUndocumented,
    /// docbind found no response type on the page while the example shows a body.
    ResponseTypeUnknown,
    /// The page documents a response body and the example shows none (or JSON that does not parse).
    ResponseBodyMissing,
    /// The function hands out raw content (`Bytes`) and the example shows neither the content nor
    /// a redirect to it, so there is nothing to serve and compare.
    ResponseNotJson,
    /// Another page documents the same request line with a body or response that this page's does
    /// not fit (one says 204, the other returns the user); the request method takes the other's.
    PagesDisagree,
    /// The annotation marks the URL opaque: an upload or download address that the runtime's
    /// helpers follow, not a request line of the client.
    OpaqueUrl,
    /// The example sends a body and docbind read none on the page (no table or type it knows, or
    /// only prose): a test could not send it, and one that sent nothing would pass falsely.
    RequestBodyNotRead,
}

impl Untestable {
    pub fn explanation(self) -> &'static str {
        match self {
            Untestable::WrongType => "a value in them has another type than the docs' own tables say (DB017)",
            Untestable::MethodDiffers => "their method is not the one their page documents",
            Untestable::UrlMatchesNoRequestLine => "their URL matches no request line of their page",
            Untestable::NoRequestBody => "their page documents a request body and they send none",
            Untestable::ResponseBodyUndocumented => "their response has a body where their page documents none",
            Untestable::ResponseTypeUnknown => "docbind found no response type on their page (docbind's gap)",
            Untestable::ResponseBodyMissing => {
                "their page documents a response body and they show none, or JSON that does not parse"
            }
            Untestable::PagesDisagree => {
                "another page documents the same request with another body or response, which the method takes"
            }
            Untestable::OpaqueUrl => {
                "their URL is marked opaque: an upload or download address that the runtime's helpers follow"
            }
            Untestable::RequestBodyNotRead => {
                "they send a body that docbind read no type or table for on their page (docbind's gap)"
            }
            Untestable::ResponseNotJson => {
                "their response is not JSON (a file, text, a redirect to a download) where their page types it \
                 as JSON, or is raw content that they neither show nor redirect to"
            }
        }
    }

    /// Whether the page is to blame (its example and its own text disagree), rather than docbind.
    pub fn is_doc_problem(self) -> bool {
        !matches!(self, Untestable::ResponseTypeUnknown | Untestable::RequestBodyNotRead | Untestable::OpaqueUrl)
    }
}

/// One place where an example's JSON disagrees with the tables of its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    pub part: ExamplePart,
    /// A JSON path into the documented body: `$`, `$.value[0].name`.
    pub path: String,
    pub kind: ContradictionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExamplePart {
    Request,
    Response,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContradictionKind {
    /// A property the type's tables do not list (DB016): a typed client cannot keep it.
    UndocumentedProperty,
    /// A value of another kind than the tables say (DB017): a typed client cannot read it.
    WrongType,
}

/// What one page documents under its title: a request with its body, headers, query options and
/// permissions, callable at each of its request lines (`POST /me/messages`, `POST
/// /users/{id}/messages`). What the page says once is said here once; what each line has of its
/// own is in its [`RequestLine`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// From the page title, e.g. `Update relations`.
    pub name: String,
    pub namespace: String,
    /// The product area of the defining page (`ms.prod`: `outlook`, `intune`); empty when unsaid.
    #[serde(default)]
    pub area: String,
    pub description: String,
    /// `v1.0` or `beta`: from the example URLs or the folder.
    pub api_version: String,
    pub query_options: Vec<String>,
    pub headers: Vec<HeaderSpec>,
    pub body: Option<BodySpec>,
    pub permissions: Vec<Permission>,
    /// In the page's order; never empty.
    pub request_lines: Vec<RequestLine>,
}

/// One line of a page's `## HTTP request` block: a method and a path the operation is called at,
/// the response it gives there, and the examples whose URL is this line's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    pub method: Method,
    pub path: String,
    pub path_template: PathTemplate,
    pub path_parameters: Vec<PathParameter>,
    /// The page documents one response; resolve types it per line when the page leaves the type to
    /// the path (the extended-property pages answer with a `message` at `/me/messages` and an
    /// `event` at `/me/events`).
    pub response: ResponseSpec,
    pub examples: Vec<Example>,
    pub source: Source,
}

/// Where a request line is in a model: its operation's index and the line's index in it. Ordered
/// as the model lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId {
    pub operation: usize,
    pub line: usize,
}

/// A request line with the operation it belongs to: one request of the client.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub operation: &'a Operation,
    pub line: &'a RequestLine,
}

impl Model {
    pub fn call(&self, id: CallId) -> Call<'_> {
        let operation = &self.operations[id.operation];
        Call { operation, line: &operation.request_lines[id.line] }
    }

    /// Every request line of the model, in order.
    pub fn calls(&self) -> impl Iterator<Item = (CallId, Call<'_>)> {
        self.operations.iter().enumerate().flat_map(|(o, operation)| {
            operation
                .request_lines
                .iter()
                .enumerate()
                .map(move |(l, line)| (CallId { operation: o, line: l }, Call { operation, line }))
        })
    }

    /// How many request lines the model has.
    pub fn call_count(&self) -> usize {
        self.operations.iter().map(|o| o.request_lines.len()).sum()
    }
}
