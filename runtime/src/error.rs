//! What can go wrong with a request, and Graph's error body with everything a caller or a support
//! ticket needs from it.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// Response headers, as received (names compared without regard to ASCII case).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    pub(crate) fn from_map(map: &hyper::HeaderMap) -> Headers {
        Headers(
            map.iter()
                .map(|(name, value)| {
                    (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned())
                })
                .collect(),
        )
    }

    pub(crate) fn from_pairs(pairs: Vec<(String, String)>) -> Headers {
        Headers(pairs)
    }

    /// The first value of the header `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// `Retry-After` in seconds (the form Graph sends).
    pub fn retry_after(&self) -> Option<Duration> {
        self.get("Retry-After")?.trim().parse::<u64>().ok().map(Duration::from_secs)
    }
}

/// Graph's error body: `{"error": {"code", "message", "target", "details": [...], "innerError": {...}}}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GraphError {
    pub code: String,
    pub message: String,
    pub target: Option<String>,
    pub details: Vec<ErrorDetail>,
    pub inner_error: Option<InnerError>,
}

/// One entry of `details[]`: a further problem with the request, often one per invalid property.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub target: Option<String>,
}

/// `innerError`: the ids to quote to Microsoft support, and whatever else the service put there.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InnerError {
    /// `request-id`
    pub request_id: Option<String>,
    /// `client-request-id`: the id this client sent with the request.
    pub client_request_id: Option<String>,
    /// `date`, as sent.
    pub date: Option<String>,
    /// The whole object, with any members not named above (`code`, nested `innerError`...).
    pub raw: Value,
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

impl GraphError {
    /// The error object of an error body; a body that is not one is kept whole as the message.
    pub(crate) fn from_body(bytes: &[u8]) -> GraphError {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(body) if body.get("error").is_some_and(Value::is_object) => GraphError::from_value(&body["error"]),
            _ => GraphError { message: String::from_utf8_lossy(bytes).into_owned(), ..GraphError::default() },
        }
    }

    fn from_value(error: &Value) -> GraphError {
        let details = error.get("details").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        GraphError {
            code: text(error, "code").unwrap_or_default(),
            message: text(error, "message").unwrap_or_default(),
            target: text(error, "target"),
            details: details
                .iter()
                .map(|detail| ErrorDetail {
                    code: text(detail, "code").unwrap_or_default(),
                    message: text(detail, "message").unwrap_or_default(),
                    target: text(detail, "target"),
                })
                .collect(),
            // Graph spells it `innerError`; some services `innererror`.
            inner_error: error.get("innerError").or_else(|| error.get("innererror")).map(|inner| InnerError {
                request_id: text(inner, "request-id"),
                client_request_id: text(inner, "client-request-id"),
                date: text(inner, "date"),
                raw: inner.clone(),
            }),
        }
    }

    /// The request id Graph puts in `innerError`, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.inner_error.as_ref()?.request_id.as_deref()
    }
}

#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built (a bad path value, a header with CR/LF, a body that does not
    /// serialize), or it would have gone where it should not.
    InvalidRequest(String),
    /// Connecting, sending or reading failed, or an attempt took longer than the client's timeout.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// The service answered with an error status: the status, the response headers
    /// (`Retry-After`, `request-id`, `client-request-id`...) and the decoded error body.
    Graph { status: u16, headers: Headers, error: Box<GraphError> },
    /// The response body is not the documented type; `path` is where in the JSON it stopped fitting
    /// (e.g. `value[2].createdDateTime`).
    Decode { type_name: &'static str, path: String, error: serde_json::Error },
    /// The token provider failed.
    Auth(String),
    /// The service's responses do not make sense together: a `nextLink` that was already followed
    /// (which would page forever), a redirect loop, an upload session that does not advance.
    Protocol(String),
}

impl Error {
    pub(crate) fn graph(status: u16, headers: Headers, body: &[u8]) -> Error {
        Error::Graph { status, headers, error: Box::new(GraphError::from_body(body)) }
    }

    /// The HTTP status of a Graph error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Graph { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long the service asks the caller to wait, for a 429 (throttled) or 503 (unavailable).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Graph { status: 429 | 503, headers, .. } => headers.retry_after(),
            _ => None,
        }
    }

    /// Graph's `request-id` for an error: from the response headers, else from `innerError`.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Graph { headers, error, .. } => headers.get("request-id").or_else(|| error.request_id()),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(error) => write!(f, "transport error: {error}"),
            Error::Graph { status, error, .. } => {
                write!(f, "Graph returned {status} {}: {}", error.code, error.message)
            }
            Error::Decode { type_name, path, error } => write!(f, "response is not a {type_name} at `{path}`: {error}"),
            Error::Auth(message) => write!(f, "token provider failed: {message}"),
            Error::Protocol(message) => write!(f, "unexpected responses: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error.as_ref()),
            Error::Decode { error, .. } => Some(error),
            _ => None,
        }
    }
}
