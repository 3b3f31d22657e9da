//! What generated example tests call (feature `testing`): compare a request value with the documented
//! request, serve the documented response from a local HTTP server, and check that the typed value
//! keeps every documented field.

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{Client, Request, RetryPolicy};

/// `@odata.*` keys are metadata (type names, contexts, etags) that the typed values do not model.
fn documented(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(k, _)| !k.starts_with("@odata.")).map(|(k, v)| (k.clone(), documented(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(documented).collect()),
        other => other.clone(),
    }
}

/// Every documented field of `expected` is in `actual` with the same value (objects may have more).
/// A documented `null` is kept by an absent field: both read as `None`. `undocumented` names the
/// JSON paths (`$.value[0].name`) that the docs' tables do not define, which no typed value keeps.
fn covers(actual: &Value, expected: &Value, at: &str, undocumented: &[&str], lost: &mut Vec<String>) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let path = format!("{at}.{key}");
                if undocumented.contains(&path.as_str()) {
                    continue;
                }
                match a.get(key) {
                    Some(found) => covers(found, value, &path, undocumented, lost),
                    None if value.is_null() => {}
                    None => lost.push(path),
                }
            }
        }
        (Value::Array(a), Value::Array(e)) if a.len() == e.len() => {
            for (i, (found, value)) in a.iter().zip(e).enumerate() {
                covers(found, value, &format!("{at}[{i}]"), undocumented, lost);
            }
        }
        (a, e) if a == e => {}
        // JSON has one number type: `99` documented and `99.0` from an `f64` field are the same value.
        (Value::Number(a), Value::Number(e)) if a.as_f64() == e.as_f64() => {}
        _ => lost.push(format!("{at} (documented {expected}, got {actual})")),
    }
}

/// Panics with the list of documented fields the value lost or changed; the `undocumented` paths
/// are fields the example shows but its type's tables lack (docbind's DB016 diagnostics).
pub fn assert_covers(actual: &Value, documented_json: &str, undocumented: &[&str], what: &str) {
    let expected: Value = serde_json::from_str(documented_json).expect("the documented JSON parses");
    let mut lost = Vec::new();
    covers(actual, &documented(&expected), "$", undocumented, &mut lost);
    assert!(lost.is_empty(), "{what} lost documented fields: {lost:#?}");
}

/// The request value is the documented request: method, encoded path, query and JSON body.
pub fn assert_request<T>(
    request: &Request<T>,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: Option<&str>,
    undocumented: &[&str],
) {
    assert_eq!(request.method().as_str(), method, "method");
    assert_eq!(request.path().expect("the path builds"), path, "path");
    // Query options are compared as a set with names in lower case: `$top=2&$select=id` is
    // `$select=id&$top=2`, and OData reads `startdatetime` as `startDateTime`.
    let normalized = |pairs: &mut dyn Iterator<Item = (&str, &str)>| {
        let mut pairs: Vec<(String, String)> = pairs.map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
        pairs.sort();
        pairs
    };
    let sent = normalized(&mut request.query_pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(sent, normalized(&mut query.iter().copied()), "query");
    match body {
        Some(body) => assert_covers(request.body().expect("a JSON body"), body, undocumented, "the request body"),
        None => assert!(request.body().is_none(), "no body is documented"),
    }
}

/// The request sends this raw content with this content type (a file for `PUT …/content`).
pub fn assert_content<T>(request: &Request<T>, content_type: &str, content: &str) {
    assert_eq!(request.body_bytes(), Some((content_type, content.as_bytes())), "the content sent");
}

/// A request built by walking a request line's steps is that line: its method, its path as the
/// docs write it (`documented`, with the walk's values filled in; ASCII case aside, since Graph's
/// paths ignore it and one spelling serves the pages that spell a segment differently; a trailing
/// `/` or the `:` closing `root:/{path}:` aside), and the query values the line asks for.
pub fn assert_walk<T>(request: Request<T>, method: &str, documented: &str, query: &[(&str, &str)]) {
    let trimmed = |path: &str| path.trim_end_matches(['/', ':']).to_ascii_lowercase();
    assert_eq!(request.method().as_str(), method, "method of {documented}");
    let path = request.path().expect("the path builds");
    assert_eq!(trimmed(path), trimmed(documented), "walked path of {documented}");
    let sent: Vec<(&str, &str)> = request.query_pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(sent, query, "query of {documented}");
}

/// Serves a documented error response and checks that the client returns it as Graph's error, with
/// the documented status and code.
pub async fn assert_graph_error<T>(request: Request<T>, status: u16, body: Option<&str>) {
    let code = body
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .and_then(|v| v.pointer("/error/code").and_then(Value::as_str).map(str::to_string));
    match serve(request, status, body).await {
        Err(crate::Error::Graph { status: got, error, .. }) => {
            assert_eq!(got, status, "status");
            if let Some(code) = code {
                assert_eq!(error.code, code, "error code");
            }
        }
        Err(other) => panic!("expected Graph's error {status}, got {other}"),
        Ok(_) => panic!("expected Graph's error {status}, the call succeeded"),
    }
}

/// Serves the documented response for this request from a server on 127.0.0.1 and returns what the
/// client made of it.
pub async fn round_trip<T>(request: Request<T>, status: u16, body: Option<&str>) -> T {
    serve(request, status, body)
        .await
        .unwrap_or_else(|error| panic!("the documented response does not decode: {error}"))
}

/// Serves the documented content (a file, a MIME message, text) for a request whose response is
/// bytes, and returns what the client hands out: the content as sent.
pub async fn round_trip_content(
    request: Request<crate::Bytes>,
    status: u16,
    content_type: &str,
    content: &str,
) -> Vec<u8> {
    let response = ResponseTemplate::new(status).set_body_raw(content.as_bytes().to_vec(), content_type);
    let (_server, client) = answering(&request, response).await;
    let bytes =
        client.send(request).await.unwrap_or_else(|error| panic!("the documented content does not arrive: {error}"));
    bytes.0
}

/// Answers the request with the documented redirect (`302` and a `Location` on the download
/// host, here the same local server at the documented URL's path) and serves some content there:
/// the client must follow the redirect and hand out that content.
pub async fn round_trip_redirect(request: Request<crate::Bytes>, status: u16, location: &str) -> Vec<u8> {
    let after_host = location.split_once("://").map_or(location, |(_, rest)| rest);
    let download_path = after_host.find('/').map_or("/", |at| &after_host[at..]).to_string();
    let server = MockServer::start().await;
    let redirect = ResponseTemplate::new(status).insert_header("Location", format!("{}{download_path}", server.uri()));
    let client = mount(&server, &request, redirect).await;
    let content = b"the downloaded content".to_vec();
    let download = ResponseTemplate::new(200).set_body_raw(content.clone(), "application/octet-stream");
    let download_at = download_path.split('?').next().unwrap_or("/");
    Mock::given(method("GET")).and(path(download_at)).respond_with(download).expect(1).mount(&server).await;
    let bytes = client.send(request).await.unwrap_or_else(|error| panic!("the redirect is not followed: {error}"));
    assert_eq!(bytes.0, content, "the content at the redirect's Location");
    bytes.0
}

async fn serve<T>(request: Request<T>, status: u16, body: Option<&str>) -> Result<T, crate::Error> {
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response.set_body_raw(body.as_bytes().to_vec(), "application/json");
    }
    let (_server, client) = answering(&request, response).await;
    client.send(request).await
}

/// A local server that answers the request (once) with `response`, and a client of it.
async fn answering<T>(request: &Request<T>, response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = mount(&server, request, response).await;
    (server, client)
}

/// Makes `server` answer the request (once) with `response`; gives a client of the server.
async fn mount<T>(server: &MockServer, request: &Request<T>, response: ResponseTemplate) -> Client {
    let served_path = format!("/{}{}", request.api_version(), request.path().expect("the path builds"));
    Mock::given(method(request.method().as_str()))
        .and(path(served_path))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
    Client::with_base_url(&server.uri()).with_retry_policy(RetryPolicy::none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_or_changed_field_is_reported_and_odata_metadata_is_not() {
        let actual = serde_json::json!({ "id": "1", "labels": [{ "name": "a" }] });
        assert_covers(&actual, r##"{ "@odata.type": "#x", "id": "1", "labels": [{ "name": "a" }] }"##, &[], "ok");
        assert_covers(&actual, r#"{ "id": "1", "color": null }"#, &[], "a documented null is an absent field");
        assert_covers(&serde_json::json!({ "size": 99.0 }), r#"{ "size": 99 }"#, &[], "numbers compare as numbers");
        let outcome = std::panic::catch_unwind(|| assert_covers(&actual, r#"{ "id": "1", "color": "red" }"#, &[], "x"));
        assert!(outcome.is_err(), "a field the type does not have is lost");
        let shown = r#"{ "id": "1", "labels": [{ "name": "a", "color": "red" }] }"#;
        assert_covers(&actual, shown, &["$.labels[0].color"], "a field the tables lack is not expected back");
        let outcome = std::panic::catch_unwind(|| assert_covers(&actual, shown, &["$.labels[1].color"], "x"));
        assert!(outcome.is_err(), "only the named path is excused");
        let outcome = std::panic::catch_unwind(|| assert_covers(&actual, r#"{ "id": "2" }"#, &[], "x"));
        assert!(outcome.is_err(), "a changed value is caught");
        let outcome = std::panic::catch_unwind(|| {
            assert_covers(&actual, r#"{ "labels": [{ "name": "a" }, { "name": "b" }] }"#, &[], "x")
        });
        assert!(outcome.is_err(), "a lost array element is caught");
    }
}
