//! The [`Client`]: sends [`Request`]s over hyper with retries, redirects, a fresh
//! `client-request-id` each, and the bearer token only for the Graph host it was made for.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Uri;

use crate::auth::TokenProvider;
use crate::connect;
use crate::error::{Error, Headers};
use crate::request::{ByteStream, Content, Method, Request};
use crate::response::Bytes;

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

/// A Microsoft cloud: where Graph is, and where its tokens come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Cloud {
    /// `graph.microsoft.com`, tokens from `login.microsoftonline.com`.
    #[default]
    Global,
    /// US Government L4: `graph.microsoft.us`, tokens from `login.microsoftonline.us`.
    UsGovernment,
    /// US Government L5 (DoD): `dod-graph.microsoft.us`, tokens from `login.microsoftonline.us`.
    UsGovernmentDod,
    /// Operated by 21Vianet: `microsoftgraph.chinacloudapi.cn`, tokens from `login.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// The Graph service root of the cloud.
    pub fn graph_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovernment => "https://graph.microsoft.us",
            Cloud::UsGovernmentDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The sign-in authority of the cloud (Microsoft Entra ID).
    pub fn authority(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGovernment | Cloud::UsGovernmentDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }
}

/// Redirects followed for one request before it fails: more means a loop.
pub const MAX_REDIRECTS: u32 = 10;

/// Sent with every request.
const USER_AGENT: &str = concat!("docbind-runtime/", env!("CARGO_PKG_VERSION"));

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;
type OutgoingBody = http_body_util::combinators::UnsyncBoxBody<hyper::body::Bytes, BoxError>;
type HttpClient = hyper_util::client::legacy::Client<connect::Connector, OutgoingBody>;

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
    pub(crate) base_url: String,
    /// The scheme and host of `base_url`: the only place the token goes.
    origin: Option<(String, String)>,
    token: Option<Arc<dyn TokenProvider>>,
    pub(crate) retry: RetryPolicy,
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
            .finish_non_exhaustive()
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

/// The scheme and authority of a URL, lower-cased.
fn origin_of(url: &str) -> Option<(String, String)> {
    let uri: Uri = url.parse().ok()?;
    Some((uri.scheme_str()?.to_ascii_lowercase(), uri.authority()?.as_str().to_ascii_lowercase()))
}

/// One request as it goes out: the parts of a [`Request`] that sending needs, with the full URL.
pub(crate) struct Outgoing<'a> {
    pub method: Method,
    pub url: String,
    /// The path template, for traces.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub template: &'a str,
    pub headers: &'a [(String, String)],
    pub body: Payload,
    /// Whether the client's token may go with it at all. Upload URLs carry their own authorization
    /// and must not get the token even though they may be on a Graph host.
    pub authorize: bool,
}

/// The body of one attempt, with its content type and length when it has them.
type AttemptBody<'a> = (OutgoingBody, Option<(&'a str, Option<u64>)>);

/// A body ready to send.
pub(crate) enum Payload {
    Empty,
    /// Sent again on a retry or redirect.
    Replayable {
        content_type: String,
        bytes: hyper::body::Bytes,
    },
    /// Sent once.
    Stream {
        content_type: String,
        length: Option<u64>,
        stream: Option<ByteStream>,
    },
}

impl Payload {
    pub(crate) fn from_content(content: Option<Result<Content, Error>>) -> Result<Payload, Error> {
        Ok(match content.transpose()? {
            None => Payload::Empty,
            Some(Content::Json(value)) => Payload::Replayable {
                content_type: "application/json".into(),
                bytes: serde_json::to_vec(&value).map_err(|e| Error::InvalidRequest(e.to_string()))?.into(),
            },
            Some(Content::Bytes { content_type, bytes }) => Payload::Replayable { content_type, bytes },
            Some(Content::Stream { content_type, length, stream }) => {
                let stream = stream.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
                Payload::Stream { content_type, length, stream }
            }
        })
    }

    fn is_replayable(&self) -> bool {
        !matches!(self, Payload::Stream { .. })
    }

    /// The body of one attempt, its content type and length.
    fn take(&mut self) -> Result<AttemptBody<'_>, Error> {
        use futures_util::TryStreamExt;
        let full =
            |bytes: hyper::body::Bytes| http_body_util::Full::new(bytes).map_err(|never| match never {}).boxed_unsync();
        Ok(match self {
            Payload::Empty => (full(hyper::body::Bytes::new()), None),
            Payload::Replayable { content_type, bytes } => {
                let length = bytes.len() as u64;
                (full(bytes.clone()), Some((content_type.as_str(), Some(length))))
            }
            Payload::Stream { content_type, length, stream } => {
                let stream = stream.take().ok_or_else(|| {
                    Error::InvalidRequest("a streamed body cannot be sent twice (a retry or redirect)".into())
                })?;
                let frames = stream
                    .map_ok(|chunk| hyper::body::Frame::data(hyper::body::Bytes::from(chunk)))
                    .map_err(|e| Box::new(e) as BoxError);
                (http_body_util::StreamBody::new(frames).boxed_unsync(), Some((content_type.as_str(), *length)))
            }
        })
    }
}

impl Client {
    /// A client for `https://graph.microsoft.com`; each request adds its own version (`v1.0`, `beta`).
    pub fn new() -> Self {
        Client::with_base_url(Cloud::Global.graph_url())
    }

    /// A client for Graph in a national cloud. Its token goes only to that cloud's Graph host.
    pub fn for_cloud(cloud: Cloud) -> Self {
        Client::with_base_url(cloud.graph_url())
    }

    /// A client for another host, such as a local test server. `http://` base URLs are allowed, for
    /// tests. Connections go through the proxy that `HTTPS_PROXY` (or `HTTP_PROXY`, `ALL_PROXY`)
    /// names unless `NO_PROXY` excludes the host.
    pub fn with_base_url(base_url: &str) -> Self {
        let connection = connect::Connection::default();
        let base_url = base_url.trim_end_matches('/').to_string();
        Client {
            http: http_client(&connection),
            connection,
            origin: origin_of(&base_url),
            base_url,
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

    /// A timeout for each attempt: connecting and receiving the response headers, and again for
    /// reading a whole response body (not for a streamed download, which reads at its caller's pace).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Signs requests in with tokens from `provider` (see [`ClientCredentials`](crate::ClientCredentials)).
    pub fn with_token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// Whether `url` is on the Graph host this client was made for.
    pub(crate) fn is_own_host(&self, url: &str) -> bool {
        self.origin.is_some() && origin_of(url) == self.origin
    }

    pub(crate) fn url_of<T>(&self, request: &Request<T>) -> Result<String, Error> {
        let path = request.path_and_query().map_err(|e| Error::InvalidRequest(e.to_string()))?;
        Ok(format!("{}/{}{}", self.base_url, request.api_version, path))
    }

    /// Sends the request and decodes the documented response type (`Bytes` for raw content).
    pub async fn send<T>(&self, request: Request<T>) -> Result<T, Error> {
        let decode = request.decode;
        let response = self.respond(request).await?;
        decode(self.read_body(response.into_body()).await?)
    }

    /// Sends a request for raw content (a file's `…/content`, a photo's `…/$value`) and hands the
    /// content out as it arrives, so memory stays flat however large the file. A redirect to a
    /// download host is followed without the token.
    pub async fn download(&self, request: Request<Bytes>) -> Result<Download, Error> {
        let response = self.respond(request).await?;
        let headers = Headers::from_map(response.headers());
        Ok(Download { headers, body: http_body_util::BodyDataStream::new(response.into_body()) })
    }

    /// Sends a request value and returns the success response, its body unread.
    async fn respond<T>(&self, request: Request<T>) -> Result<hyper::Response<Incoming>, Error> {
        let url = self.url_of(&request)?;
        let outgoing = Outgoing {
            method: request.method,
            url,
            template: &request.template,
            headers: &request.headers,
            body: Payload::from_content(request.body)?,
            authorize: true,
        };
        self.execute(outgoing).await
    }

    /// A whole response body, within the timeout.
    pub(crate) async fn read_body(&self, body: Incoming) -> Result<Vec<u8>, Error> {
        self.within_timeout(async {
            body.collect().await.map(|b| Vec::from(b.to_bytes())).map_err(|e| Error::Transport(e.into()))
        })
        .await
    }

    /// Sends one request ([`Client::execute`]) and reads its whole body: the success status and body.
    pub(crate) async fn exchange(&self, outgoing: Outgoing<'_>) -> Result<(u16, Vec<u8>), Error> {
        let response = self.execute(outgoing).await?;
        let status = response.status().as_u16();
        Ok((status, self.read_body(response.into_body()).await?))
    }

    /// `work`, failing as a transport error when it takes longer than the client's timeout.
    async fn within_timeout<T>(&self, work: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
        match self.timeout {
            Some(limit) => tokio::time::timeout(limit, work)
                .await
                .map_err(|_| Error::Transport(format!("no complete response within {limit:?}").into()))?,
            None => work.await,
        }
    }

    /// Sends one request with retries and redirects; returns the first success response (status
    /// under 300, or a 3xx that is not a redirect), or the error.
    pub(crate) async fn execute(&self, outgoing: Outgoing<'_>) -> Result<hyper::Response<Incoming>, Error> {
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "graph.request",
            method = outgoing.method.as_str(),
            path = outgoing.template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let mut attempts = 0;
        let work = self.execute_inner(outgoing, &mut attempts);
        #[cfg(feature = "tracing")]
        let work = tracing::Instrument::instrument(work, span.clone());
        let outcome = work.await;
        #[cfg(feature = "tracing")]
        {
            let status = match &outcome {
                Ok(response) => Some(response.status().as_u16()),
                Err(error) => error.status(),
            };
            span.record("status", status).record("attempts", attempts);
        }
        outcome
    }

    /// [`Client::execute`]; `attempts` counts the requests sent, redirects included.
    async fn execute_inner(
        &self,
        outgoing: Outgoing<'_>,
        attempts: &mut u32,
    ) -> Result<hyper::Response<Incoming>, Error> {
        if let Some(problem) = self.unusable_proxy.as_ref().or(self.unusable_roots.as_ref()) {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        for (name, value) in outgoing.headers {
            if value.contains(['\r', '\n']) || name.contains(['\r', '\n', ':']) {
                return Err(Error::InvalidRequest(format!("header {name:?} has a line break or colon")));
            }
        }
        let Outgoing { mut method, mut url, headers, mut body, authorize, .. } = outgoing;
        // One id for every attempt of this request, so the service's logs tie them together.
        let has_own_id = headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("client-request-id"));
        let request_id = (!has_own_id).then(new_request_id);
        let mut waited = Duration::ZERO;
        let mut backoff = self.retry.initial_backoff;
        let mut attempt = 0;
        let mut redirects = 0;
        loop {
            let retries_allowed = body.is_replayable()
                && (self.retry.retry_non_idempotent || matches!(method, Method::Get | Method::Put | Method::Delete));
            let mut builder = hyper::Request::builder()
                .method(method.as_str())
                .uri(url.as_str())
                .header(hyper::header::USER_AGENT, USER_AGENT);
            for (name, value) in headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(id) = &request_id {
                builder = builder.header("client-request-id", id.as_str());
            }
            if authorize && self.is_own_host(&url) {
                if let Some(token) = &self.token {
                    builder = builder.header(hyper::header::AUTHORIZATION, format!("Bearer {}", token.token().await?));
                }
            }
            let (sent, content) = body.take()?;
            if let Some((content_type, length)) = content {
                builder = builder.header(hyper::header::CONTENT_TYPE, content_type);
                if let Some(length) = length {
                    builder = builder.header(hyper::header::CONTENT_LENGTH, length);
                }
            }
            let request = builder.body(sent).map_err(|e| Error::InvalidRequest(format!("{method:?} {url}: {e}")))?;
            let response = self.attempt(request, *attempts).await?;
            *attempts += 1;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                if let Some(location) = response.headers().get(hyper::header::LOCATION).and_then(|v| v.to_str().ok()) {
                    redirects += 1;
                    if redirects > MAX_REDIRECTS {
                        return Err(Error::Protocol(format!("more than {MAX_REDIRECTS} redirects from {url}")));
                    }
                    url = resolve_location(&url, location)?;
                    // 303, and 301/302 after a POST as browsers do, continue as a GET without the body.
                    if status == 303 || (matches!(status, 301 | 302) && method == Method::Post) {
                        method = Method::Get;
                        body = Payload::Empty;
                    }
                    continue;
                }
            }
            if status < 400 {
                return Ok(response);
            }
            let response_headers = Headers::from_map(response.headers());
            let bytes = self.read_body(response.into_body()).await.unwrap_or_default();
            let wait = response_headers.retry_after().unwrap_or(backoff);
            let retryable = matches!(status, 429 | 503 | 504) && retries_allowed;
            if retryable && attempt < self.retry.max_retries && waited + wait <= self.retry.max_total_wait {
                tokio::time::sleep(wait).await;
                waited += wait;
                backoff *= 2;
                attempt += 1;
                continue;
            }
            return Err(Error::graph(status, response_headers, &bytes));
        }
    }

    /// Sends one attempt and waits for the response headers, within the timeout.
    async fn attempt(
        &self,
        request: hyper::Request<OutgoingBody>,
        attempt: u32,
    ) -> Result<hyper::Response<Incoming>, Error> {
        #[cfg(feature = "tracing")]
        let span = tracing::debug_span!(
            "graph.attempt",
            attempt,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty
        );
        #[cfg(not(feature = "tracing"))]
        let _ = attempt;
        let sending = async {
            let response = self.http.request(request).await.map_err(|e| Error::Transport(e.into()))?;
            #[cfg(feature = "tracing")]
            {
                span.record("status", response.status().as_u16());
                if let Some(id) = response.headers().get("request-id").and_then(|v| v.to_str().ok()) {
                    span.record("request_id", id);
                }
            }
            Ok(response)
        };
        #[cfg(feature = "tracing")]
        let sending = tracing::Instrument::instrument(sending, span.clone());
        self.within_timeout(sending).await
    }
}

/// The URL a `Location` header names, read against the URL that answered with it.
fn resolve_location(current: &str, location: &str) -> Result<String, Error> {
    if location.contains("://") {
        return Ok(location.to_string());
    }
    let uri: Uri = current.parse().map_err(|_| Error::Protocol(format!("cannot follow a redirect from {current}")))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(Error::Protocol(format!("cannot follow a redirect from {current}")));
    };
    if let Some(rest) = location.strip_prefix("//") {
        return Ok(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{location}"));
    }
    let directory = uri.path().rsplit_once('/').map_or("", |(dir, _)| dir);
    Ok(format!("{scheme}://{authority}{directory}/{location}"))
}

/// A fresh `client-request-id`: a random UUID (version 4 layout). It only has to be unique, not
/// secret, so the standard library's randomly keyed hasher serves as its source.
pub(crate) fn new_request_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let keys = std::collections::hash_map::RandomState::new();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let mut first = keys.build_hasher();
    first.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    first.write_u128(now.as_nanos());
    let high = first.finish();
    let mut second = keys.build_hasher();
    second.write_u64(high);
    let low = second.finish();
    let bits = (u128::from(high) << 64 | u128::from(low)) & !(0xF000 << 64) & !(0xC << 60);
    let bits = bits | (0x4000 << 64) | (0x8 << 60);
    let hex = format!("{bits:032x}");
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Raw content as it arrives: a [`Stream`](futures_util::Stream) of chunks, with the response
/// headers. [`Download::bytes`] reads it whole; [`Download::write_to`] copies it to a file.
pub struct Download {
    headers: Headers,
    body: http_body_util::BodyDataStream<Incoming>,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download").field("headers", &self.headers).finish_non_exhaustive()
    }
}

impl Download {
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// `Content-Length`, when the server sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get("Content-Length")?.parse().ok()
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers.get("Content-Type")
    }

    /// The whole content in memory.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        use futures_util::TryStreamExt;
        let mut all = Vec::with_capacity(self.content_length().unwrap_or(0).min(1 << 26) as usize);
        let mut chunks = self;
        while let Some(chunk) = chunks.try_next().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(Bytes(all))
    }

    /// Copies the content to `out` chunk by chunk and returns how many bytes it wrote.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin>(self, out: &mut W) -> Result<u64, Error> {
        use futures_util::TryStreamExt;
        let mut written = 0;
        let mut chunks = self;
        while let Some(chunk) = chunks.try_next().await? {
            crate::io::write_all(out, &chunk).await.map_err(|e| Error::Transport(e.into()))?;
            written += chunk.len() as u64;
        }
        crate::io::flush(out).await.map_err(|e| Error::Transport(e.into()))?;
        Ok(written)
    }
}

impl futures_util::Stream for Download {
    type Item = Result<hyper::body::Bytes, Error>;

    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        std::pin::Pin::new(&mut self.body)
            .poll_next(cx)
            .map(|chunk| chunk.map(|c| c.map_err(|e| Error::Transport(e.into()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_fresh_uuids() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_ne!(a, b);
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{a}");
        assert_eq!(&a[14..15], "4", "version 4: {a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "RFC 4122 variant: {a}");
    }

    #[test]
    fn locations_resolve_against_the_url_that_answered() {
        let from = "https://graph.microsoft.com/v1.0/me/drive/items/1/content";
        assert_eq!(resolve_location(from, "https://files.example/a?s=1").unwrap(), "https://files.example/a?s=1");
        assert_eq!(resolve_location(from, "/v1.0/x").unwrap(), "https://graph.microsoft.com/v1.0/x");
        assert_eq!(resolve_location(from, "//cdn.example/x").unwrap(), "https://cdn.example/x");
        assert_eq!(resolve_location(from, "other").unwrap(), "https://graph.microsoft.com/v1.0/me/drive/items/1/other");
    }

    #[test]
    fn the_token_goes_only_to_the_clients_own_host() {
        let client = Client::new();
        assert!(client.is_own_host("https://graph.microsoft.com/v1.0/me"));
        assert!(client.is_own_host("https://GRAPH.microsoft.com/beta/me"));
        assert!(!client.is_own_host("http://graph.microsoft.com/v1.0/me"), "not over plain http");
        assert!(!client.is_own_host("https://graph.microsoft.com.evil.example/v1.0/me"));
        assert!(!client.is_own_host("https://public.sn.files.1drv.com/y4m"));
        assert!(Client::for_cloud(Cloud::China).is_own_host("https://microsoftgraph.chinacloudapi.cn/v1.0/me"));
        assert!(!Client::for_cloud(Cloud::China).is_own_host("https://graph.microsoft.com/v1.0/me"));
    }
}
