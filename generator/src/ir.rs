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

impl PathTemplate {
    /// Whether a concrete URL (absolute or not, with or without a query) is this path with its
    /// placeholders filled in.
    pub fn matches(&self, url: &str) -> bool {
        self.capture(url).is_some()
    }

    /// The values a concrete URL gives this path's placeholders, in order, when the URL matches.
    /// Literal text must be equal ignoring ASCII case; a placeholder takes the shortest non-empty
    /// text up to the literal after it and never crosses a `/`, so function segments such as
    /// `range(address={address})` and `root:/{item-path}:` capture too. Values are percent-decoded,
    /// as the documented URL is written encoded.
    pub fn capture(&self, url: &str) -> Option<Vec<String>> {
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let path = match path.find("graph.microsoft.com/") {
            Some(at) => path[at + "graph.microsoft.com/".len()..].split_once('/').map_or("", |(_, rest)| rest),
            None => path,
        };
        let concrete = format!("/{}", path.trim_matches('/'));
        // A documented trailing `/` is not part of the resource's path.
        let last = self.segments.len().saturating_sub(1);
        let pieces: Vec<TemplatePiece> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, piece)| match piece {
                PathPiece::Literal(text) if i == last && text.len() > 1 => {
                    TemplatePiece::Text(text.trim_end_matches('/'))
                }
                PathPiece::Literal(text) => TemplatePiece::Text(text),
                PathPiece::Parameter(_) => TemplatePiece::Placeholder(""),
            })
            .collect();
        let values = fill(&pieces, &concrete, true)?;
        Some(values.iter().map(|v| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned()).collect())
    }

    /// The query written into the request line (`?startDateTime={start_datetime}&$expand=manager`)
    /// as percent-decoded name/value pairs. A value may hold placeholders.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(decoded_query).unwrap_or_default()
    }
}

/// `a=1&b=x%20y` as decoded pairs.
pub fn decoded_query(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Literal text and `{placeholders}` of a template text such as a query value.
pub fn template_pieces(text: &str) -> Vec<TemplatePiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        if open > 0 {
            pieces.push(TemplatePiece::Text(&rest[..open]));
        }
        pieces.push(TemplatePiece::Placeholder(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(TemplatePiece::Text(rest));
    }
    pieces
}

/// The values a concrete text gives a template's placeholders, when it matches. Literal text must be
/// equal ignoring ASCII case; a placeholder takes the shortest non-empty text up to the literal
/// after it (and, in a path, never crosses a `/`).
fn fill(pieces: &[TemplatePiece], concrete: &str, in_path: bool) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut rest = concrete;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            TemplatePiece::Text(text) => {
                let head = rest.get(..text.len()).filter(|head| head.eq_ignore_ascii_case(text))?;
                rest = &rest[head.len()..];
            }
            TemplatePiece::Placeholder(_) => {
                let limit = if in_path { rest.find('/').unwrap_or(rest.len()) } else { rest.len() };
                // Up to the literal after it; a path placeholder followed by `/` fills its segment.
                let end = match pieces.get(i + 1) {
                    Some(TemplatePiece::Text(next)) if !(next.is_empty() || in_path && next.starts_with('/')) => {
                        rest.to_ascii_lowercase().find(&next.to_ascii_lowercase())?
                    }
                    _ => limit,
                };
                if end == 0 || end > limit {
                    return None;
                }
                values.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(values)
}

/// Template text borrowed for matching: literal text, or a placeholder with its name.
pub enum TemplatePiece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
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

impl UrlAlias {
    /// The example's URL with each alias written in the plain form (keys `alias`), for each way of
    /// reading it: first `/me` or `/drive`, then a drive's `root` (by path or not), then both.
    pub fn plain_forms(url: &str) -> Vec<(String, Vec<UrlAlias>)> {
        let (origin, rest) = match url.find("graph.microsoft.com/") {
            Some(at) => {
                let after = at + "graph.microsoft.com/".len();
                let version_end = url[after..].find('/').map_or(url.len(), |i| after + i);
                url.split_at(version_end)
            }
            None => ("", url),
        };
        let me = |path: &str| {
            let is_me = path == "/me" || path.starts_with("/me/") || path.starts_with("/me?");
            is_me.then(|| format!("/users/alias{}", &path[3..]))
        };
        let root = |path: &str| -> Option<(String, UrlAlias)> {
            let (before_query, query) = path.split_at(path.find('?').unwrap_or(path.len()));
            // `/root` right after `/drive` or `/drives/{id}`, ending the segment or opening `:/…:`.
            let at = before_query.match_indices("/root").map(|(i, _)| i).find(|&i| {
                let before = &before_query[..i];
                let drive = before.ends_with("/drive")
                    || before.rsplit_once('/').is_some_and(|(head, _)| head.ends_with("/drives"));
                drive && matches!(before_query[i + "/root".len()..].chars().next(), None | Some('/') | Some(':'))
            })?;
            let after = &before_query[at + "/root".len()..];
            if let Some(colon) = after.strip_prefix(":/") {
                let end = colon.find(':').unwrap_or(colon.len());
                let item = percent_encoding::percent_decode_str(&colon[..end]).decode_utf8_lossy().into_owned();
                let rest = colon.get(end + 1..).unwrap_or_default();
                Some((format!("{}/items/alias{rest}{query}", &before_query[..at]), UrlAlias::DriveRootPath(item)))
            } else {
                Some((format!("{}/items/alias{after}{query}", &before_query[..at]), UrlAlias::DriveRoot))
            }
        };
        let mut forms = Vec::new();
        let drive = |path: &str| {
            let is_drive = path == "/drive" || path.starts_with("/drive/") || path.starts_with("/drive?");
            is_drive.then(|| format!("/users/alias{path}"))
        };
        if let Some(plain) = me(rest) {
            forms.push((format!("{origin}{plain}"), vec![UrlAlias::Me]));
        }
        if let Some(plain) = drive(rest) {
            forms.push((format!("{origin}/me{rest}"), vec![UrlAlias::Drive]));
            forms.push((format!("{origin}{plain}"), vec![UrlAlias::Drive]));
        }
        if let Some((plain, alias)) = root(rest) {
            forms.push((format!("{origin}{plain}"), vec![alias]));
        }
        if let Some((plain, alias)) = me(rest).as_deref().and_then(root) {
            forms.push((format!("{origin}{plain}"), vec![UrlAlias::Me, alias]));
        }
        if drive(rest).is_some() {
            for plain in [format!("/me{rest}"), format!("/users/alias{rest}")] {
                if let Some((plain, alias)) = root(&plain) {
                    forms.push((format!("{origin}{plain}"), vec![UrlAlias::Drive, alias]));
                }
            }
        }
        forms
    }
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

impl Operation {
    /// Whether an example's request uses this operation's method (examples without a request match).
    pub fn method_matches(&self, example: &Example) -> bool {
        example.request.as_ref().is_none_or(|r| r.method == self.method)
    }

    /// Whether the response is the raw content of a file or value (a `Stream` response, or a GET of
    /// `…/$value`) rather than JSON: the client hands it out as bytes.
    pub fn raw_response(&self) -> bool {
        let stream = self.response.body_type().is_some_and(|t| t.target == TypeTarget::Primitive(Primitive::Stream));
        stream || (self.method == Method::Get && is_raw_content_path(&self.path))
    }

    /// The request body is raw content: `PUT …/content` (a file) or `PUT …/$value` (a photo) with
    /// no JSON body documented, or a documented `Stream`. The request function takes the content
    /// and its type.
    pub fn raw_request(&self) -> bool {
        match &self.body {
            Some(BodySpec::Type { type_ref }) => type_ref.target == TypeTarget::Primitive(Primitive::Stream),
            Some(BodySpec::Parameters { .. }) => false,
            None => self.method == Method::Put && is_raw_content_path(&self.path),
        }
    }

    /// What an example request gives this operation's request function (path values, values of
    /// the placeholders in the request line's query, further query pairs), or why the example
    /// cannot be a test of it.
    pub fn example_values(&self, example: &Example) -> Result<ExampleValues, Untestable> {
        let Some(request) = &example.request else { return Err(Untestable::UrlMatchesNoRequestLine) };
        if request.opaque_url {
            return Err(Untestable::OpaqueUrl);
        }
        if example.contradictions.iter().any(|c| c.kind == ContradictionKind::WrongType) {
            return Err(Untestable::WrongType);
        }
        if request.method != self.method {
            return Err(Untestable::MethodDiffers);
        }
        let (path, aliases) = match self.path_template.capture(&request.url) {
            Some(path) => (path, Vec::new()),
            None => UrlAlias::plain_forms(&request.url)
                .into_iter()
                .find_map(|(url, aliases)| Some((self.path_template.capture(&url)?, aliases)))
                .ok_or(Untestable::UrlMatchesNoRequestLine)?,
        };
        if path.len() != self.path_parameters.len() {
            return Err(Untestable::UrlMatchesNoRequestLine);
        }
        let mut given = request.url.split_once('?').map(|(_, q)| decoded_query(q)).unwrap_or_default();
        let mut query = Vec::new();
        for (name, template) in self.path_template.query_pairs().into_iter().filter(|(name, _)| !name.is_empty()) {
            let pieces = template_pieces(&template);
            let position = given.iter().position(|(n, _)| n.eq_ignore_ascii_case(&name));
            if pieces.iter().any(|p| matches!(p, TemplatePiece::Placeholder(_))) {
                // The request line asks for a value here: the example must give it.
                let (_, value) = position.map(|at| given.remove(at)).ok_or(Untestable::UrlMatchesNoRequestLine)?;
                query.extend(fill(&pieces, &value, false).ok_or(Untestable::UrlMatchesNoRequestLine)?);
            } else if let Some(at) = position.filter(|&at| given[at].1 == template) {
                given.remove(at);
            }
        }
        let values = ExampleValues { path, query, extra_query: given, aliases };
        if self.body.is_some() && request.body.is_none() {
            return Err(Untestable::NoRequestBody);
        }
        let sends_json =
            request.body.as_ref().is_some_and(|b| !(b.is_null() || b.as_object().is_some_and(|o| o.is_empty())));
        if self.body.is_none() && !self.raw_request() && (sends_json || request.content.is_some()) {
            return Err(Untestable::RequestBodyNotRead);
        }
        let shows_fields =
            |body: &serde_json::Value| !(body.is_null() || body.as_object().is_some_and(|o| o.is_empty()));
        let shown = example.response.as_ref().and_then(|r| r.body.as_ref()).is_some_and(shows_fields);
        let success = example.response.as_ref().is_some_and(|r| r.status < 400);
        if success && shown && self.response.body_type().is_none() {
            let says_none = self.response.empty || self.response.status == Some(204);
            return Err(if says_none { Untestable::ResponseBodyUndocumented } else { Untestable::ResponseTypeUnknown });
        }
        if let Some(response) = example.response.as_ref().filter(|_| success && self.raw_response()) {
            // The content as documented, or a redirect to a download, is what the test serves.
            return match response.raw_answer() {
                Some(_) => Ok(values),
                None => Err(Untestable::ResponseNotJson),
            };
        }
        if let Some(response) = example.response.as_ref().filter(|r| success && r.body.is_none()) {
            if self.response.body_type().is_some() {
                let empty = response.header("content-length") == Some("0");
                let not_json =
                    response.header("content-type").is_some_and(|t| !t.to_ascii_lowercase().contains("json"));
                let redirect = (300..400).contains(&response.status);
                return Err(if redirect || (not_json && !empty) {
                    Untestable::ResponseNotJson
                } else {
                    Untestable::ResponseBodyMissing
                });
            }
        }
        Ok(values)
    }

    /// The parameters the request line's query asks values for, in order (`start_datetime` of
    /// `?startDateTime={start_datetime}`).
    pub fn query_parameters(&self) -> Vec<String> {
        let pairs = self.path_template.query_pairs();
        pairs
            .iter()
            .filter(|(name, _)| !name.is_empty())
            .flat_map(|(_, value)| template_pieces(value))
            .filter_map(|piece| match piece {
                TemplatePiece::Placeholder(name) => Some(name.trim().to_string()),
                TemplatePiece::Text(_) => None,
            })
            .collect()
    }
}

/// A path whose resource is raw content rather than JSON: a file's `…/content`, a `…/$value`.
fn is_raw_content_path(path: &str) -> bool {
    path.ends_with("/content") || path.ends_with("/$value")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// From the page title, e.g. `Update relations`; unique after resolution.
    pub name: String,
    pub namespace: String,
    /// The product area of the defining page (`ms.prod`: `outlook`, `intune`); empty when unsaid.
    #[serde(default)]
    pub area: String,
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
