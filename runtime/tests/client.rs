//! The runtime client against a local HTTP server on 127.0.0.1: retries, paging, delta links, typed
//! errors and refusals of requests that would go somewhere they should not.

use std::time::{Duration, Instant};

use docbind_runtime::{Bytes, Client, Collection, Error, Method, PathPart, Request, ResourcePath, RetryPolicy};
use futures_util::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn get<T: serde::de::DeserializeOwned>(at: &'static str) -> Request<T> {
    Request::new(Method::Get, "v1.0", &[PathPart::Literal(at)])
}

fn raw(at: &'static str) -> Request<Bytes> {
    Request::content(Method::Get, "v1.0", &[PathPart::Literal(at)])
}

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy { max_retries, initial_backoff: Duration::ZERO, ..RetryPolicy::default() }
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let me: Value = Client::with_base_url(&server.uri()).send(get("/me")).await.expect("retried after a 429");
    assert_eq!(me["id"], "1");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited as Retry-After said");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn retries_are_bounded_in_count() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).with_retry_policy(fast_retries(2));
    let outcome = client.send::<Value>(get("/me")).await;
    assert!(matches!(outcome, Err(Error::Graph { status: 503, .. })), "{outcome:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "one try and two retries");
}

#[tokio::test]
async fn retries_are_bounded_in_total_wait() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let outcome = Client::with_base_url(&server.uri()).send::<Value>(get("/me")).await;
    assert!(matches!(outcome, Err(Error::Graph { status: 429, .. })));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "an hour is past the total wait allowed");
}

#[tokio::test]
async fn non_idempotent_requests_are_not_retried_unless_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let post = || Request::<Value>::new(Method::Post, "v1.0", &[PathPart::Literal("/things")]).json(&json!({}));
    let client = Client::with_base_url(&server.uri()).with_retry_policy(fast_retries(3));
    assert!(client.send(post()).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let client = client.with_retry_policy(RetryPolicy { retry_non_idempotent: true, ..fast_retries(3) });
    assert!(client.send(post()).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 1 + 4);
}

#[tokio::test]
async fn paging_follows_next_links_to_the_delta_link() {
    let server = MockServer::start().await;
    let base = server.uri();
    let page = |items: Value, next: Option<String>, delta: Option<String>| {
        let mut body = json!({ "value": items });
        if let Some(next) = next {
            body["@odata.nextLink"] = json!(next);
        }
        if let Some(delta) = delta {
            body["@odata.deltaLink"] = json!(delta);
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    Mock::given(path("/v1.0/users/delta"))
        .respond_with(page(json!([{"id": "a"}, {"id": "b"}]), Some(format!("{base}/v1.0/page2")), None))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/page2"))
        .respond_with(page(json!([{"id": "c"}]), Some(format!("{base}/v1.0/page3")), None))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/page3"))
        .respond_with(page(json!([{"id": "d"}]), None, Some(format!("{base}/v1.0/users/delta?token=xyz"))))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&base);

    let pages: Vec<Collection<Value>> = client.pages(get("/users/delta")).try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].delta_link.as_deref(), Some(format!("{base}/v1.0/users/delta?token=xyz").as_str()));

    let items: Vec<Value> = client.items(get("/users/delta")).try_collect().await.unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn next_links_to_another_host_are_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "value": [], "@odata.nextLink": "https://attacker.example/steal" })),
        )
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    let outcome: Result<Vec<Collection<Value>>, Error> = client.pages(get("/users")).try_collect().await;
    assert!(matches!(outcome, Err(Error::InvalidRequest(_))), "{outcome:?}");
}

#[tokio::test]
async fn decoding_errors_name_the_type_and_the_json_path() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Group {
        id: String,
        count: i32,
    }
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/groups"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "value": [{"id": "a", "count": 1}, {"id": "b", "count": "many"}] })),
        )
        .mount(&server)
        .await;
    let outcome = Client::with_base_url(&server.uri()).send::<Collection<Group>>(get("/groups")).await;
    match outcome {
        Err(Error::Decode { type_name, path, .. }) => {
            assert!(type_name.contains("Collection") && type_name.contains("Group"), "{type_name}");
            assert_eq!(path, "value[1].count");
        }
        other => panic!("expected a decoding error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_documented_to_return_nothing_accepts_any_body() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/planner/tasks/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "1", "title": "shown anyway" })))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/groups/1")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::with_base_url(&server.uri());
    // As the generated request methods make them, and as a request of one's own.
    let documented = ResourcePath::root().segment("/planner/tasks/1").request_no_content(Method::Get, "v1.0");
    client.send(documented).await.expect("a body is ignored");
    client
        .send(Request::no_content(Method::Get, "v1.0", &[PathPart::Literal("/groups/1")]))
        .await
        .expect("no body at all");
    // Asked for as JSON, `()` is JSON `null`: a body is then an error, not silently dropped.
    assert!(client.send::<()>(get("/planner/tasks/1")).await.is_err());
    // Other types read an empty body as JSON `null`.
    let outcome = client.send::<Value>(get("/groups/1")).await.expect("an empty body reads as null");
    assert_eq!(outcome, Value::Null);
}

#[tokio::test]
async fn raw_content_comes_back_as_sent() {
    let server = MockServer::start().await;
    let photo = vec![0xFF, 0xD8, 0xFF, 0x00, b'{'];
    Mock::given(path("/v1.0/me/photo/$value"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(photo.clone(), "image/jpeg"))
        .mount(&server)
        .await;
    let got = Client::with_base_url(&server.uri()).send(raw("/me/photo/$value")).await.expect("any bytes");
    assert_eq!(got, Bytes(photo));
}

#[tokio::test]
async fn header_and_query_injection_attempts() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    for value in ["a\r\nX-Evil: 1", "a\nb", "a\rb"] {
        let outcome = client.send(get::<Value>("/me").header("Prefer", value)).await;
        assert!(matches!(outcome, Err(Error::InvalidRequest(_))), "{value:?}");
    }
    let request: Request<Value> = get("/me").query("$filter", "a eq 'b'&$top=1#frag").query("q", "ü/?%");
    assert_eq!(request.path_and_query().unwrap(), "/me?$filter=a%20eq%20%27b%27%26$top%3D1%23frag&q=%C3%BC%2F%3F%25");
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "nothing was sent");
}

#[tokio::test]
async fn batch_combines_requests_and_splits_typed_results() {
    use docbind_runtime::Batch;
    use wiremock::matchers::body_json;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct User {
        id: String,
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .and(body_json(json!({ "requests": [
            { "id": "1", "method": "GET", "url": "/me" },
            { "id": "2", "method": "PATCH", "url": "/users/a%2Fb", "body": { "city": "Utrecht" },
              "headers": { "Content-Type": "application/json" } },
            { "id": "3", "method": "GET", "url": "/users/missing" }
        ]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "responses": [
            { "id": "3", "status": 404, "body": { "error": { "code": "Request_ResourceNotFound", "message": "gone" } } },
            { "id": "1", "status": 200, "body": { "id": "me-1" } },
            { "id": "2", "status": 204 }
        ]})))
        .expect(1)
        .mount(&server)
        .await;

    let mut batch = Batch::new("v1.0");
    let me = batch.add(get::<User>("/me"));
    let update = batch.add(
        Request::<()>::new(Method::Patch, "v1.0", &[PathPart::Literal("/users/"), PathPart::Value("a/b")])
            .json(&json!({ "city": "Utrecht" })),
    );
    let missing = batch.add(get::<User>("/users/missing"));
    let responses = Client::with_base_url(&server.uri()).send_batch(batch).await.expect("the batch went through");

    assert_eq!(responses.get(&me).unwrap(), User { id: "me-1".into() });
    responses.get(&update).expect("204 is an empty success");
    match responses.get(&missing) {
        Err(Error::Graph { status: 404, error, .. }) => assert_eq!(error.code, "Request_ResourceNotFound"),
        other => panic!("expected the 404 of request 3, got {other:?}"),
    }
}

#[tokio::test]
async fn batch_refuses_mixed_versions_and_raw_bodies() {
    use docbind_runtime::Batch;
    let client = Client::with_base_url("http://127.0.0.1:9");
    let mut batch = Batch::new("v1.0");
    batch.add(Request::<Value>::new(Method::Get, "beta", &[PathPart::Literal("/me")]));
    assert!(matches!(client.send_batch(batch).await, Err(Error::InvalidRequest(_))));
    let mut batch = Batch::new("v1.0");
    batch
        .add(Request::<()>::new(Method::Put, "v1.0", &[PathPart::Literal("/me/photo/$value")]).bytes("image/png", [1]));
    assert!(matches!(client.send_batch(batch).await, Err(Error::InvalidRequest(_))));
}

#[tokio::test]
async fn an_attempt_longer_than_the_timeout_is_a_transport_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).with_timeout(Duration::from_millis(200));
    let started = Instant::now();
    let outcome = client.send::<Value>(get("/me")).await;
    assert!(matches!(&outcome, Err(Error::Transport(e)) if e.to_string().contains("200ms")), "{outcome:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "gave up at the timeout");
}

#[tokio::test]
async fn requests_carry_the_token_and_a_json_body_with_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/groups"))
        .and(wiremock::matchers::header("Authorization", "Bearer t-1"))
        .and(wiremock::matchers::header("Content-Type", "application/json"))
        .and(wiremock::matchers::body_json(json!({"displayName": "G"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "g-1"})))
        .mount(&server)
        .await;
    let request: Request<Value> =
        Request::new(Method::Post, "v1.0", &[PathPart::Literal("/groups")]).json(&json!({"displayName": "G"}));
    let client = Client::with_base_url(&server.uri()).with_token_provider(docbind_runtime::StaticToken("t-1".into()));
    let created = client.send(request).await.expect("the server matched token, content type and body");
    assert_eq!(created["id"], "g-1");
}

#[tokio::test]
async fn collections_skip_odata_annotations_and_need_a_value_array() {
    let page: Collection<Value> =
        serde_json::from_value(json!({"@odata.context": "x", "@odata.count": 2, "value": [1, 2]})).unwrap();
    assert_eq!((page.value.len(), page.next_link, page.delta_link), (2, None, None));
    let missing = serde_json::from_value::<Collection<Value>>(json!({"@odata.context": "x"}));
    assert!(missing.unwrap_err().to_string().contains("missing field `value`"));
    let written = serde_json::to_value(Collection { value: vec![1], next_link: Some("n".into()), delta_link: None });
    assert_eq!(written.unwrap(), json!({"value": [1], "@odata.nextLink": "n"}));
}

#[tokio::test]
async fn an_error_body_that_is_not_graphs_is_kept_as_the_message() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad gateway"))
        .mount(&server)
        .await;
    let outcome = Client::with_base_url(&server.uri()).send::<Value>(get("/me")).await;
    match outcome {
        Err(Error::Graph { status: 502, error, .. }) => {
            assert_eq!((error.code.as_str(), error.message.as_str()), ("", "Bad gateway"))
        }
        other => panic!("{other:?}"),
    }
}

/// A `CONNECT` proxy on 127.0.0.1 that keeps the head of each request it gets and pipes the tunnel.
async fn connect_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head.split_whitespace().nth(1).unwrap_or_default().to_string();
                seen.lock().unwrap().push(head);
                let Ok(mut upstream) = tokio::net::TcpStream::connect(&target).await else { return };
                client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.ok();
                tokio::io::copy_bidirectional(&mut client, &mut upstream).await.ok();
            });
        }
    });
    (format!("http://user:pw@{address}"), heads)
}

#[tokio::test]
async fn a_proxy_gets_a_tunnel_with_its_credentials_and_never_the_request() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .and(wiremock::matchers::header("Authorization", "Bearer t-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let (proxy, heads) = connect_proxy().await;
    let client = Client::with_base_url(&server.uri())
        .with_proxy(&proxy)
        .with_token_provider(docbind_runtime::StaticToken("t-1".into()));
    let me: Value = client.send(get("/me")).await.expect("sent through the tunnel");
    assert_eq!(me["id"], "1");
    let heads = heads.lock().unwrap().clone();
    let authority = server.uri().trim_start_matches("http://").to_string();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(heads[0].starts_with(&format!("CONNECT {authority} HTTP/1.1\r\n")), "{heads:?}");
    // `user:pw` in base64; the bearer token stays inside the tunnel.
    assert!(heads[0].to_ascii_lowercase().contains("proxy-authorization: basic dxnlcjpwdw=="), "{heads:?}");
    assert!(!heads[0].contains("t-1"), "{heads:?}");
}

#[tokio::test]
async fn a_proxy_url_that_cannot_be_used_fails_requests_instead_of_bypassing_the_proxy() {
    let server = MockServer::start().await;
    let outcome = Client::with_base_url(&server.uri())
        .with_proxy("user:secret@proxy.example:8080")
        .send::<Value>(get("/me"))
        .await;
    // The message names the problem but not the URL, which holds a password.
    assert!(
        matches!(&outcome, Err(Error::InvalidRequest(m)) if m.contains("with_proxy") && !m.contains("secret")),
        "{outcome:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// An https server on 127.0.0.1 whose certificate (for `localhost`) is signed by the test root in
/// `tests/tls/`, which no real root store holds. It answers every request with `{"id":"1"}`.
#[cfg(feature = "rustls")]
async fn https_server() -> String {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let chain = CertificateDer::pem_slice_iter(include_bytes!("tls/localhost.pem")).collect::<Result<_, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("tls/localhost.key")).unwrap();
    // Deprecated from rustls 0.23.48 on (no post-quantum key exchange); the client uses it too.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake is what the untrusting client causes; nothing to answer then.
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut request = Vec::new();
                let mut buffer = [0; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let body = r#"{"id":"1"}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}")
}

#[cfg(feature = "rustls")]
#[tokio::test]
async fn root_certificates_given_to_the_client_are_trusted_besides_mozillas() {
    let base = https_server().await;
    let untrusting = Client::with_base_url(&base).with_retry_policy(RetryPolicy::none());
    let outcome = untrusting.send::<Value>(get("/me")).await;
    assert!(matches!(&outcome, Err(Error::Transport(_))), "a private root is not trusted by default: {outcome:?}");

    let trusting = untrusting.with_root_certificates(include_bytes!("tls/ca.pem"));
    let body = trusting.send::<Value>(get("/me")).await.unwrap();
    assert_eq!(body, json!({ "id": "1" }));
}

#[cfg(feature = "rustls")]
#[tokio::test]
async fn root_certificates_that_cannot_be_read_fail_requests() {
    let server = MockServer::start().await;
    for pem in [&b"not a certificate"[..], b"-----BEGIN CERTIFICATE-----\nbm90IGRlcg==\n-----END CERTIFICATE-----\n"] {
        let outcome = Client::with_base_url(&server.uri()).with_root_certificates(pem).send::<Value>(get("/me")).await;
        assert!(
            matches!(&outcome, Err(Error::InvalidRequest(m)) if m.contains("with_root_certificates")),
            "{outcome:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
