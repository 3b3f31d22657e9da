//! Request values: what generated code builds and a [`Client`](crate::Client) sends. A request is
//! plain data (method, API version, encoded path, query, headers, body) with its documented
//! response type as a type parameter; nothing is sent until a client sends it.

use std::fmt;
use std::pin::Pin;
use std::sync::Mutex;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::{Bytes, Error};

/// Everything but RFC 3986 unreserved characters and `,` is escaped in a path value, so an id such as
/// `a/../b` or `x?y#z` stays one segment and cannot change the path. The comma is a legal segment
/// character and is part of every SharePoint site id (`host,site-guid,web-guid`), so it stays readable.
const PATH_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b',');

/// Query values escape what the path escapes, keeping OData's `$` readable in keys.
const QUERY: &AsciiSet = &PATH_VALUE.remove(b'$');

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
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

/// A piece of a request path: literal text from the docs, or a caller's value to encode.
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'a> {
    Literal(&'static str),
    Value(&'a str),
    /// A relative path inside a path (`root:/{item-path}:` addressing): each of its `/`-separated
    /// segments is encoded as a value, and the `/` between them stay.
    SubPath(&'a str),
}

/// Builds a path from its parts, percent-encoding every value. Empty values and the dot segments
/// `.` and `..` are refused: each would change which resource the path names.
pub fn encode_path(parts: &[PathPart<'_>]) -> Result<String, Error> {
    let mut path = String::new();
    for part in parts {
        match part {
            PathPart::Literal(text) => path.push_str(text),
            PathPart::Value(value) => {
                if value.is_empty() || *value == "." || *value == ".." {
                    return Err(Error::InvalidRequest(format!("path value {value:?} would change the request path")));
                }
                path.extend(utf8_percent_encode(value, PATH_VALUE));
            }
            PathPart::SubPath(value) => {
                let segments = value.trim_matches('/').split('/');
                if value.trim_matches('/').is_empty() || segments.clone().any(|s| s.is_empty() || s == "." || s == "..")
                {
                    return Err(Error::InvalidRequest(format!("path {value:?} would change the request path")));
                }
                for (i, segment) in segments.enumerate() {
                    if i > 0 {
                        path.push('/');
                    }
                    path.extend(utf8_percent_encode(segment, PATH_VALUE));
                }
            }
        }
    }
    Ok(path)
}

/// The path a chain of path steps has walked so far (`/me/mailFolders/inbox/messages`), already
/// encoded. Generated step types wrap one; they are how a URL from the docs is typed in Rust
/// (`me().mail_folders().id("inbox").messages()`). A value that would change the path (empty, `.`,
/// `..`) is kept as an error, and a request built from such a path fails before it is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct ResourcePath {
    path: Result<String, String>,
    /// The path with each value written `{}` (`/users/{}/messages`): what traces name a request by,
    /// since it never holds an id or a file name.
    template: String,
}

impl fmt::Debug for ResourcePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Ok(path) => write!(f, "ResourcePath({path:?})"),
            Err(error) => write!(f, "ResourcePath(error: {error})"),
        }
    }
}

impl ResourcePath {
    /// The service root, `""`.
    pub fn root() -> Self {
        ResourcePath { path: Ok(String::new()), template: String::new() }
    }

    /// This path with the parts appended: literal text as is, values percent-encoded.
    pub fn join(&self, parts: &[PathPart<'_>]) -> Self {
        let path = match &self.path {
            Ok(path) => encode_path(parts).map(|tail| format!("{path}{tail}")).map_err(|e| match e {
                Error::InvalidRequest(message) => message,
                other => other.to_string(),
            }),
            Err(error) => Err(error.clone()),
        };
        ResourcePath { path, template: format!("{}{}", self.template, template_of(parts)) }
    }

    /// This path with literal text appended (`/messages`): the most common step.
    pub fn segment(&self, text: &'static str) -> Self {
        self.join(&[PathPart::Literal(text)])
    }

    /// This path with `/` and an encoded key appended (`/{message-id}`): the next most common step.
    pub fn key(&self, value: &str) -> Self {
        self.join(&[PathPart::Literal("/"), PathPart::Value(value)])
    }

    /// The encoded path, or why a value in it was refused.
    pub fn as_str(&self) -> Result<&str, &str> {
        self.path.as_deref().map_err(String::as_str)
    }

    /// A request to this path that answers JSON; the generated methods of each step call it.
    pub fn request<T: serde::de::DeserializeOwned>(&self, method: Method, api_version: &'static str) -> Request<T> {
        self.request_decoded(method, api_version, decode_json::<T>)
    }

    /// A request to this path that answers raw content (`…/content`, `…/$value`).
    pub fn request_content(&self, method: Method, api_version: &'static str) -> Request<Bytes> {
        self.request_decoded(method, api_version, decode_content)
    }

    /// A request to this path documented to answer nothing: whatever body comes is not read.
    pub fn request_no_content(&self, method: Method, api_version: &'static str) -> Request<()> {
        self.request_decoded(method, api_version, decode_nothing)
    }

    fn request_decoded<T>(&self, method: Method, api_version: &'static str, decode: Decoder<T>) -> Request<T> {
        let path = self.path.clone().map_err(Error::InvalidRequest);
        Request::from_parts(method, api_version, path, self.template.clone(), decode)
    }
}

/// How a success body becomes a request's response type. It is chosen where the request is made
/// (the generated code knows whether a request answers JSON, raw content or nothing), so sending
/// needs no bound on the type.
pub(crate) type Decoder<T> = fn(Vec<u8>) -> Result<T, Error>;

/// JSON; an empty body decodes as JSON `null`.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(bytes: Vec<u8>) -> Result<T, Error> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"null" } else { &bytes };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Error::Decode {
        type_name: std::any::type_name::<T>(),
        path: error.path().to_string(),
        error: error.into_inner(),
    })
}

/// Raw content, handed out as it came, without a copy.
fn decode_content(bytes: Vec<u8>) -> Result<Bytes, Error> {
    Ok(Bytes(bytes))
}

/// Nothing was documented, so any body is accepted, such as the representation that
/// `Prefer: return=representation` asks for.
fn decode_nothing(_: Vec<u8>) -> Result<(), Error> {
    Ok(())
}

/// One request, ready to send; `T` is the documented response type (`()` when there is none).
pub struct Request<T> {
    pub(crate) method: Method,
    pub(crate) api_version: &'static str,
    pub(crate) path: Result<String, Error>,
    pub(crate) template: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Option<Result<Content, Error>>,
    pub(crate) decode: Decoder<T>,
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("api_version", &self.api_version)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned> Request<T> {
    /// A request of your own that answers JSON (`Request::<serde_json::Value>::new` for any).
    pub fn new(method: Method, api_version: &'static str, path: &[PathPart<'_>]) -> Self {
        Request::decoded(method, api_version, path, decode_json::<T>)
    }
}

impl Request<Bytes> {
    /// A request of your own that answers raw content.
    pub fn content(method: Method, api_version: &'static str, path: &[PathPart<'_>]) -> Self {
        Request::decoded(method, api_version, path, decode_content)
    }
}

impl Request<()> {
    /// A request of your own whose answer is not read.
    pub fn no_content(method: Method, api_version: &'static str, path: &[PathPart<'_>]) -> Self {
        Request::decoded(method, api_version, path, decode_nothing)
    }
}

impl<T> Request<T> {
    fn decoded(method: Method, api_version: &'static str, path: &[PathPart<'_>], decode: Decoder<T>) -> Self {
        Request::from_parts(method, api_version, encode_path(path), template_of(path), decode)
    }

    fn from_parts(
        method: Method,
        api_version: &'static str,
        path: Result<String, Error>,
        template: String,
        decode: Decoder<T>,
    ) -> Self {
        Request { method, api_version, path, template, query: Vec::new(), headers: Vec::new(), body: None, decode }
    }

    /// Adds a query option, e.g. `.query("$select", "id,name")`.
    pub fn query(mut self, key: &str, value: &str) -> Self {
        // OData takes each option once: setting one again replaces it (names ignore ASCII case).
        self.query.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
        self.query.push((key.to_string(), value.to_string()));
        self
    }

    /// `$select`: only these properties in the response.
    pub fn select(self, properties: &[&str]) -> Self {
        self.query("$select", &properties.join(","))
    }

    /// `$expand`: include these relationships.
    pub fn expand(self, relationships: &[&str]) -> Self {
        self.query("$expand", &relationships.join(","))
    }

    /// `$filter`: an OData filter expression, e.g. `startswith(displayName,'A')`.
    pub fn filter(self, expression: &str) -> Self {
        self.query("$filter", expression)
    }

    /// `$orderby`: e.g. `&["displayName desc"]`.
    pub fn order_by(self, keys: &[&str]) -> Self {
        self.query("$orderby", &keys.join(","))
    }

    /// `$top`: at most this many items per page.
    pub fn top(self, count: u32) -> Self {
        self.query("$top", &count.to_string())
    }

    /// `$skip`: skip this many items.
    pub fn skip(self, count: u32) -> Self {
        self.query("$skip", &count.to_string())
    }

    /// `$count`: include the total count of items.
    pub fn count(self, include: bool) -> Self {
        self.query("$count", if include { "true" } else { "false" })
    }

    /// `$search`: e.g. `"displayName:Team"` (directory objects also need `ConsistencyLevel: eventual`).
    pub fn search(self, terms: &str) -> Self {
        self.query("$search", terms)
    }

    /// Adds a header. Values with CR or LF are refused when the request is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// `If-Match`: only if the resource still has this ETag (updates and deletes).
    pub fn if_match(self, etag: &str) -> Self {
        self.header("If-Match", etag)
    }

    /// `If-None-Match`: only if the resource no longer has this ETag.
    pub fn if_none_match(self, etag: &str) -> Self {
        self.header("If-None-Match", etag)
    }

    /// `ConsistencyLevel: eventual`, which advanced directory queries (`$search`, `$count`) need.
    pub fn consistency_level_eventual(self) -> Self {
        self.header("ConsistencyLevel", "eventual")
    }

    /// `workbook-session-id`: run an Excel request in a workbook session.
    pub fn workbook_session_id(self, id: &str) -> Self {
        self.header("workbook-session-id", id)
    }

    /// `Accept-Language`, e.g. `fr-FR`.
    pub fn accept_language(self, language: &str) -> Self {
        self.header("Accept-Language", language)
    }

    /// Adds a preference to the `Prefer` header (several are sent comma-separated), e.g.
    /// `return=representation`.
    pub fn prefer(mut self, preference: &str) -> Self {
        match self.headers.iter_mut().find(|(name, _)| name.eq_ignore_ascii_case("Prefer")) {
            Some((_, value)) => {
                value.push_str(", ");
                value.push_str(preference);
                self
            }
            None => {
                self.headers.push(("Prefer".to_string(), preference.to_string()));
                self
            }
        }
    }

    /// `Prefer: outlook.timezone="…"`: dates in Outlook responses in this time zone.
    pub fn outlook_timezone(self, zone: &str) -> Self {
        self.prefer(&format!("outlook.timezone=\"{zone}\""))
    }

    /// `Prefer: outlook.body-content-type="text"` or `"html"`: the form of message bodies.
    pub fn outlook_body_content_type(self, kind: &str) -> Self {
        self.prefer(&format!("outlook.body-content-type=\"{kind}\""))
    }

    /// Sets the JSON body.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(
            serde_json::to_value(body)
                .map(Content::Json)
                .map_err(|e| Error::InvalidRequest(format!("body does not serialize: {e}"))),
        );
        self
    }

    /// Sets a body of raw content, such as a file for `PUT …/content` (`text/plain`,
    /// `application/octet-stream`, `image/png`…).
    pub fn bytes(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = hyper::body::Bytes::from(bytes.into());
        self.body = Some(Ok(Content::Bytes { content_type: content_type.to_string(), bytes }));
        self
    }

    /// Sets a body read from a stream as it is sent, so a large file never sits in memory whole.
    /// `length` is sent as `Content-Length` when known. A stream can be sent once: a request with
    /// one is not retried.
    pub fn stream<S>(mut self, content_type: &str, length: Option<u64>, stream: S) -> Self
    where
        S: futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static,
    {
        self.body = Some(Ok(Content::Stream {
            content_type: content_type.to_string(),
            length,
            stream: Mutex::new(Some(Box::pin(stream))),
        }));
        self
    }

    pub fn method(&self) -> Method {
        self.method
    }

    pub fn api_version(&self) -> &'static str {
        self.api_version
    }

    /// The encoded path, e.g. `/termStores/a%2Fb/groups`, or why it could not be built.
    pub fn path(&self) -> Result<&str, &Error> {
        self.path.as_deref()
    }

    /// The encoded path and query, as sent after the version segment.
    pub fn path_and_query(&self) -> Result<String, &Error> {
        let mut url = self.path.as_ref()?.clone();
        for (i, (key, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(key, QUERY));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY));
        }
        Ok(url)
    }

    /// The query options, unencoded, in the order they were added.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The JSON body, if the body is JSON.
    pub fn body(&self) -> Option<&serde_json::Value> {
        match self.body.as_ref()?.as_ref().ok()? {
            Content::Json(value) => Some(value),
            _ => None,
        }
    }

    /// The content type and bytes of a raw body set with [`Request::bytes`].
    pub fn body_bytes(&self) -> Option<(&str, &[u8])> {
        match self.body.as_ref()?.as_ref().ok()? {
            Content::Bytes { content_type, bytes } => Some((content_type, bytes)),
            _ => None,
        }
    }

    /// The path with its values written `{}`, e.g. `/users/{}/messages`.
    pub fn template(&self) -> &str {
        &self.template
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// The path of `parts` with each value written `{}`.
fn template_of(parts: &[PathPart<'_>]) -> String {
    parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text,
            PathPart::Value(_) | PathPart::SubPath(_) => "{}",
        })
        .collect()
}

pub(crate) type ByteStream = Pin<Box<dyn futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send>>;

/// A request body.
pub(crate) enum Content {
    Json(serde_json::Value),
    Bytes {
        content_type: String,
        bytes: hyper::body::Bytes,
    },
    /// Taken out when sent (the `Mutex` only makes the request `Sync`; nothing else holds it).
    Stream {
        content_type: String,
        length: Option<u64>,
        stream: Mutex<Option<ByteStream>>,
    },
}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Content::Json(value) => write!(f, "Json({value})"),
            Content::Bytes { content_type, bytes } => write!(f, "Bytes({content_type}, {} bytes)", bytes.len()),
            Content::Stream { content_type, length, .. } => write!(f, "Stream({content_type}, {length:?} bytes)"),
        }
    }
}
