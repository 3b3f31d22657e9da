//! The runtime that docbind-generated clients call.
//!
//! Generated code stays plain data and calls: each request function returns a [`Request`] value
//! (method, API version, encoded path, query, headers, JSON body, and the response type as a type
//! parameter). A [`Client`] sends it over hyper and decodes the typed response, or Graph's error body
//! into [`Error::Graph`].

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

pub use serde;
pub use serde_json;

mod batch;
mod connect;
pub mod model;
#[cfg(feature = "testing")]
pub mod testing;

pub use batch::{Batch, BatchHandle, BatchResponses, MAX_BATCH_REQUESTS};
pub use model::{Field, Flags, Model, Properties};

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
        ResourcePath { path: Ok(String::new()) }
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
        ResourcePath { path }
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

    /// A request to this path; the generated methods of each step call it.
    pub fn request<T>(&self, method: Method, api_version: &'static str) -> Request<T> {
        Request {
            method,
            api_version,
            path: self.path.clone().map_err(Error::InvalidRequest),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            response: PhantomData,
        }
    }
}

/// A `Collection(T)` response: one page of items and the link to the next page, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection<T> {
    pub value: Vec<T>,
    /// `@odata.nextLink`
    pub next_link: Option<String>,
    /// `@odata.deltaLink`
    pub delta_link: Option<String>,
}

impl<T: serde::Serialize> serde::Serialize for Collection<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("value", &self.value)?;
        if let Some(link) = &self.next_link {
            map.serialize_entry("@odata.nextLink", link)?;
        }
        if let Some(link) = &self.delta_link {
            map.serialize_entry("@odata.deltaLink", link)?;
        }
        map.end()
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Collection<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CollectionVisitor<T>(PhantomData<fn() -> T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for CollectionVisitor<T> {
            type Value = Collection<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a collection object with a `value` array")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut value, mut next_link, mut delta_link) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value()?),
                        "@odata.nextLink" => next_link = map.next_value()?,
                        "@odata.deltaLink" => delta_link = map.next_value()?,
                        // `@odata.context`, `@odata.count` and the like.
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                let value = value.ok_or_else(|| serde::de::Error::missing_field("value"))?;
                Ok(Collection { value, next_link, delta_link })
            }
        }
        deserializer.deserialize_map(CollectionVisitor(PhantomData))
    }
}

/// The raw content of a response (a file, a photo, `…/$value`), as the service sent it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

/// For completeness: a `Bytes` inside JSON is read from and written as a string.
impl<'de> serde::Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Bytes(text.into_bytes()))
    }
}

impl serde::Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.0))
    }
}

/// One request, ready to send; `T` is the documented response type (`()` when there is none).
pub struct Request<T> {
    method: Method,
    api_version: &'static str,
    path: Result<String, Error>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Result<serde_json::Value, Error>>,
    response: PhantomData<fn() -> T>,
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
            .finish()
    }
}

impl<T> Request<T> {
    pub fn new(method: Method, api_version: &'static str, path: &[PathPart<'_>]) -> Self {
        Request {
            method,
            api_version,
            path: encode_path(path),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            response: PhantomData,
        }
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
            serde_json::to_value(body).map_err(|e| Error::InvalidRequest(format!("body does not serialize: {e}"))),
        );
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

    pub fn body(&self) -> Option<&serde_json::Value> {
        self.body.as_ref().and_then(|b| b.as_ref().ok())
    }

    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// Supplies bearer tokens. Implement it over your identity library; [`StaticToken`] serves tests.
pub trait TokenProvider: Send + Sync {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>>;
}

/// A fixed token. Its Debug output never shows the token.
#[derive(Clone)]
pub struct StaticToken(pub String);

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Graph's error body: `{"error": {"code", "message", "innerError": {"request-id", ...}}}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GraphError {
    pub code: String,
    pub message: String,
    /// `innerError`
    pub inner_error: Option<serde_json::Value>,
}

impl GraphError {
    /// The error object of an error body; a body that is not one is kept whole as the message.
    fn from_body(bytes: &[u8]) -> GraphError {
        let text = |value: &serde_json::Value, key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(body) if body.get("error").is_some_and(serde_json::Value::is_object) => {
                let error = &body["error"];
                GraphError {
                    code: text(error, "code").unwrap_or_default(),
                    message: text(error, "message").unwrap_or_default(),
                    inner_error: error.get("innerError").cloned(),
                }
            }
            _ => GraphError { message: String::from_utf8_lossy(bytes).into_owned(), ..GraphError::default() },
        }
    }

    /// The request id Graph puts in `innerError`, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.inner_error.as_ref()?.get("request-id")?.as_str()
    }
}

#[derive(Debug)]
pub enum Error {
    /// The request could not be built (a bad path value, a header with CR/LF, a body that does not serialize).
    InvalidRequest(String),
    /// Connecting, sending or reading failed, or an attempt took longer than the client's timeout.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// The service answered with an error status; `error` is its decoded error body.
    Graph { status: u16, error: GraphError },
    /// The response body is not the documented type; `path` is where in the JSON it stopped fitting
    /// (e.g. `value[2].createdDateTime`).
    Decode { type_name: &'static str, path: String, error: serde_json::Error },
    /// The token provider failed.
    Auth(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(error) => write!(f, "transport error: {error}"),
            Error::Graph { status, error } => write!(f, "Graph returned {status} {}: {}", error.code, error.message),
            Error::Decode { type_name, path, error } => write!(f, "response is not a {type_name} at `{path}`: {error}"),
            Error::Auth(message) => write!(f, "token provider failed: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// When to send a request again: on 429, 503 and 504, honouring `Retry-After`, a bounded number of
/// times within a bounded total wait. Methods that are not idempotent (POST, PATCH) are not retried
/// unless `retry_non_idempotent` says so, since the first attempt may have taken effect.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    /// The most the client will wait across all retries of one request.
    pub max_total_wait: Duration,
    /// The wait when the response has no usable `Retry-After`; doubled on each retry.
    pub initial_backoff: Duration,
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_total_wait: Duration::from_secs(60),
            initial_backoff: Duration::from_secs(1),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }
}

type HttpClient = hyper_util::client::legacy::Client<connect::Connector, http_body_util::Full<hyper::body::Bytes>>;

fn http_client(connection: &connect::Connection) -> HttpClient {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connect::connector(connection))
}

/// Sends [`Request`]s over one connection pool. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: HttpClient,
    /// What `http` was built from, so that each setter can rebuild it with one thing changed.
    connection: connect::Connection,
    base_url: String,
    token: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    /// Why the proxy given to `with_proxy` cannot be used; every request fails with it rather than
    /// going out directly, unproxied.
    unusable_proxy: Option<String>,
    /// Why PEM given to `with_root_certificates` cannot be used; every request fails with it rather
    /// than going out without the roots the caller needs.
    unusable_roots: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    /// A client for `https://graph.microsoft.com`; each request adds its own version (`v1.0`, `beta`).
    pub fn new() -> Self {
        Client::with_base_url("https://graph.microsoft.com")
    }

    /// A client for another host, such as a national cloud or a local test server. `http://` base
    /// URLs are allowed, for tests. Connections go through the proxy that `HTTPS_PROXY` (or
    /// `HTTP_PROXY`, `ALL_PROXY`) names unless `NO_PROXY` excludes the host.
    pub fn with_base_url(base_url: &str) -> Self {
        let connection = connect::Connection::default();
        Client {
            http: http_client(&connection),
            connection,
            base_url: base_url.trim_end_matches('/').to_string(),
            token: None,
            retry: RetryPolicy::default(),
            timeout: None,
            unusable_proxy: None,
            unusable_roots: None,
        }
    }

    /// Connects through this HTTP proxy (`http://host:port`, with `user:password@` if it needs
    /// them) instead of the one the environment names. Requests go through a `CONNECT` tunnel, so
    /// the proxy never sees them or the token.
    pub fn with_proxy(mut self, url: &str) -> Self {
        let proxies = connect::Proxies::Fixed(url.to_string());
        // The URL is left out of the message: it may hold the proxy's password.
        self.unusable_proxy =
            (!proxies.is_usable()).then(|| "the proxy URL given to with_proxy is not an http:// URL".to_string());
        self.connection.proxies = proxies;
        self.http = http_client(&self.connection);
        self
    }

    /// Trusts the certificates of this PEM file (one or several) as roots, besides Mozilla's: for a
    /// company proxy that inspects TLS, or a cloud with a private certificate authority. PEM that
    /// holds no usable certificate makes every request fail with [`Error::InvalidRequest`].
    #[cfg(feature = "rustls")]
    pub fn with_root_certificates(mut self, pem: &[u8]) -> Self {
        match self.connection.add_roots(pem) {
            Ok(()) => self.http = http_client(&self.connection),
            Err(problem) => self.unusable_roots = Some(problem),
        }
        self
    }

    /// A timeout for each attempt (connect, send, and read the whole response).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn with_token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// Sends the request and decodes the documented response type.
    pub async fn send<T: serde::de::DeserializeOwned + 'static>(&self, request: Request<T>) -> Result<T, Error> {
        let path = request.path_and_query().map_err(|e| Error::InvalidRequest(e.to_string()))?;
        let url = format!("{}/{}{}", self.base_url, request.api_version, path);
        let body = match request.body {
            Some(Ok(body)) => Some(body),
            Some(Err(error)) => return Err(error),
            None => None,
        };
        let bytes = self.execute(request.method, &url, &request.headers, body.as_ref()).await?;
        decode(&bytes)
    }

    /// One request with retries; returns the body of the first success, or the error.
    async fn execute(
        &self,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>, Error> {
        if let Some(problem) = self.unusable_proxy.as_ref().or(self.unusable_roots.as_ref()) {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        for (name, value) in headers {
            if value.contains(['\r', '\n']) || name.contains(['\r', '\n', ':']) {
                return Err(Error::InvalidRequest(format!("header {name:?} has a line break or colon")));
            }
        }
        let retries_allowed =
            self.retry.retry_non_idempotent || matches!(method, Method::Get | Method::Put | Method::Delete);
        let mut waited = Duration::ZERO;
        let mut backoff = self.retry.initial_backoff;
        let mut attempt = 0;
        // Bytes, so that each attempt shares the encoded body instead of copying it.
        let body: Option<hyper::body::Bytes> = body
            .map(|body| serde_json::to_vec(body).map(Into::into))
            .transpose()
            .map_err(|e| Error::InvalidRequest(e.to_string()))?;
        loop {
            let mut builder = hyper::Request::builder().method(method.as_str()).uri(url);
            for (name, value) in headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(token) = &self.token {
                builder = builder.header("Authorization", format!("Bearer {}", token.token().await?));
            }
            if body.is_some() {
                builder = builder.header("Content-Type", "application/json");
            }
            let request = builder
                .body(http_body_util::Full::new(body.clone().unwrap_or_default()))
                .map_err(|e| Error::InvalidRequest(format!("{method:?} {url}: {e}")))?;
            let (status, retry_after, bytes) = match self.timeout {
                Some(limit) => tokio::time::timeout(limit, self.attempt(request))
                    .await
                    .map_err(|_| Error::Transport(format!("no complete response within {limit:?}").into()))??,
                None => self.attempt(request).await?,
            };
            if status < 400 {
                return Ok(bytes);
            }
            let wait = retry_after.unwrap_or(backoff);
            let retryable = matches!(status, 429 | 503 | 504) && retries_allowed;
            if retryable && attempt < self.retry.max_retries && waited + wait <= self.retry.max_total_wait {
                tokio::time::sleep(wait).await;
                waited += wait;
                backoff *= 2;
                attempt += 1;
                continue;
            }
            return Err(graph_error(status, &bytes));
        }
    }

    /// Sends one request and reads the whole response: status, `Retry-After` in seconds, body.
    async fn attempt(
        &self,
        request: hyper::Request<http_body_util::Full<hyper::body::Bytes>>,
    ) -> Result<(u16, Option<Duration>, Vec<u8>), Error> {
        use http_body_util::BodyExt;
        let response = self.http.request(request).await.map_err(|e| Error::Transport(e.into()))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(hyper::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.into_body().collect().await.map_err(|e| Error::Transport(e.into()))?;
        Ok((status, retry_after, body.to_bytes().to_vec()))
    }

    /// The pages of a collection: the first from `request`, the rest from each `@odata.nextLink`.
    /// The last page carries the `@odata.deltaLink` of a delta query.
    pub fn pages<T: serde::de::DeserializeOwned + 'static>(
        &self,
        request: Request<Collection<T>>,
    ) -> impl futures_util::Stream<Item = Result<Collection<T>, Error>> + '_ {
        enum Next<T> {
            First(Box<Request<Collection<T>>>),
            Link(String),
            Done,
        }
        futures_util::stream::try_unfold(Next::First(Box::new(request)), move |next| async move {
            let page: Collection<T> = match next {
                Next::Done => return Ok(None),
                Next::First(request) => self.send(*request).await?,
                Next::Link(url) => {
                    // Links from the service are followed only on the client's own host.
                    if !url.starts_with(&self.base_url) {
                        return Err(Error::InvalidRequest(format!("nextLink {url} leaves {}", self.base_url)));
                    }
                    decode(&self.execute(Method::Get, &url, &[], None).await?)?
                }
            };
            let next = page.next_link.clone().map_or(Next::Done, Next::Link);
            Ok(Some((page, next)))
        })
    }

    /// The items of a collection, page after page.
    pub fn items<T: serde::de::DeserializeOwned + 'static>(
        &self,
        request: Request<Collection<T>>,
    ) -> impl futures_util::Stream<Item = Result<T, Error>> + '_ {
        use futures_util::{StreamExt, TryStreamExt};
        self.pages(request)
            .map_ok(|page| futures_util::stream::iter(page.value.into_iter().map(Ok)))
            .try_flatten()
            .boxed_local()
    }
}

/// Decodes a success body; an empty body decodes as JSON `null`. A request documented to return
/// nothing (`()`) succeeds whatever body the service sends, such as the representation that
/// `Prefer: return=representation` asks for.
fn decode<T: serde::de::DeserializeOwned + 'static>(bytes: &[u8]) -> Result<T, Error> {
    // Raw content is handed out as it came, whatever it is.
    if std::any::TypeId::of::<T>() == std::any::TypeId::of::<Bytes>() {
        let raw: Box<dyn std::any::Any> = Box::new(Bytes(bytes.to_vec()));
        if let Ok(raw) = raw.downcast::<T>() {
            return Ok(*raw);
        }
    }
    let nothing_expected = std::any::TypeId::of::<T>() == std::any::TypeId::of::<()>();
    let text: &[u8] = if nothing_expected || bytes.iter().all(u8::is_ascii_whitespace) { b"null" } else { bytes };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Error::Decode {
        type_name: std::any::type_name::<T>(),
        path: error.path().to_string(),
        error: error.into_inner(),
    })
}

fn graph_error(status: u16, bytes: &[u8]) -> Error {
    Error::Graph { status, error: GraphError::from_body(bytes) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_cannot_change_the_path() {
        let path = encode_path(&[PathPart::Literal("/sites/"), PathPart::Value("a/../b?x#y z%")]).unwrap();
        assert_eq!(path, "/sites/a%2F..%2Fb%3Fx%23y%20z%25");
        assert!(encode_path(&[PathPart::Literal("/sites/"), PathPart::Value("..")]).is_err());
        assert!(encode_path(&[PathPart::Literal("/sites/"), PathPart::Value("")]).is_err());
        assert_eq!(encode_path(&[PathPart::Value("é")]).unwrap(), "%C3%A9");
        let sub = encode_path(&[PathPart::Literal("/root:/"), PathPart::SubPath("a b/c.txt"), PathPart::Literal(":")]);
        assert_eq!(sub.unwrap(), "/root:/a%20b/c.txt:");
        assert!(encode_path(&[PathPart::SubPath("a/../b")]).is_err());
        assert!(encode_path(&[PathPart::SubPath("a//b")]).is_err());
        let bad = ResourcePath::root().join(&[PathPart::Literal("/users/"), PathPart::Value("")]);
        let request: Request<()> = bad.join(&[PathPart::Literal("/messages")]).request(Method::Get, "v1.0");
        assert!(request.path().is_err(), "an error early in a chain stays to the request");
    }

    #[test]
    fn query_keeps_odata_dollar() {
        let request: Request<()> =
            Request::new(Method::Get, "v1.0", &[PathPart::Literal("/me")]).query("$select", "id,name");
        assert_eq!(request.path_and_query().unwrap(), "/me?$select=id,name");
    }

    #[test]
    fn odata_query_options_are_typed_setters() {
        let request: Request<()> = Request::new(Method::Get, "v1.0", &[PathPart::Literal("/users")])
            .select(&["id", "displayName"])
            .filter("startswith(displayName,'A')")
            .order_by(&["displayName desc"])
            .expand(&["manager"])
            .top(5)
            .skip(10)
            .count(true)
            .search("\"displayName:Al\"");
        assert_eq!(
            request.path_and_query().unwrap(),
            "/users?$select=id,displayName&$filter=startswith%28displayName,%27A%27%29&$orderby=displayName%20desc\
             &$expand=manager&$top=5&$skip=10&$count=true&$search=%22displayName%3AAl%22"
        );
        // A request line's `$expand=manager` is replaced, not repeated, when the caller sets another.
        let request = request.expand(&["manager($levels=max)"]).query("$TOP", "2");
        let query = request.path_and_query().unwrap();
        assert!(query.ends_with("$expand=manager%28$levels%3Dmax%29&$TOP=2"), "{query}");
        assert_eq!(query.matches("expand").count(), 1, "{query}");
    }

    #[test]
    fn documented_headers_are_typed_setters() {
        let request: Request<()> = Request::new(Method::Patch, "v1.0", &[PathPart::Literal("/me/events/1")])
            .if_match("W/\"1\"")
            .consistency_level_eventual()
            .workbook_session_id("s-1")
            .prefer("return=representation")
            .outlook_timezone("Pacific Standard Time")
            .outlook_body_content_type("text");
        let headers: Vec<(&str, &str)> = request.headers().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            headers,
            [
                ("If-Match", "W/\"1\""),
                ("ConsistencyLevel", "eventual"),
                ("workbook-session-id", "s-1"),
                (
                    "Prefer",
                    "return=representation, outlook.timezone=\"Pacific Standard Time\", outlook.body-content-type=\"text\""
                ),
            ]
        );
    }

    #[test]
    fn tokens_stay_out_of_debug_output() {
        let client = Client::new().with_token_provider(StaticToken("secret-token".into()));
        assert!(!format!("{client:?}").contains("secret-token"));
        assert!(!format!("{:?}", StaticToken("secret-token".into())).contains("secret-token"));
    }
}
