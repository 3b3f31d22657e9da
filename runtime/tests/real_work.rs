//! What real Graph programs need beyond one JSON request, each against a local server on
//! 127.0.0.1: downloads that follow the redirect to the download host, uploads (whole and by
//! session, with a connection lost half-way), Graph's full errors, paging, sign-in, batches, `null`
//! in an update, and checked dates.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use docbind_runtime::model::{Field, Model, Nulls, Properties};
use docbind_runtime::{
    Batch, Bytes, Client, ClientCredentials, Cloud, Collection, DateTimeOffset, Error, LargeFileUpload, Method,
    PathPart, Request, RetryPolicy, StaticToken, MAX_REDIRECTS, UPLOAD_SLICE_UNIT,
};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{body_string, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

fn get<T: serde::de::DeserializeOwned>(at: &'static str) -> Request<T> {
    Request::new(Method::Get, "v1.0", &[PathPart::Literal(at)])
}

fn raw(at: &'static str) -> Request<Bytes> {
    Request::content(Method::Get, "v1.0", &[PathPart::Literal(at)])
}

fn has_authorization(request: &Received) -> bool {
    request.headers.contains_key("authorization")
}

// ---- downloads ----

#[tokio::test]
async fn a_download_follows_the_redirect_and_the_token_stays_on_the_graph_host() {
    let graph = MockServer::start().await;
    let files = MockServer::start().await;
    let content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    Mock::given(path("/v1.0/me/drive/items/1/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/dl/1?sig=abc", files.uri())))
        .mount(&graph)
        .await;
    Mock::given(path("/dl/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(content.clone(), "application/octet-stream"))
        .mount(&files)
        .await;
    let client = Client::with_base_url(&graph.uri()).with_token_provider(StaticToken("t-1".into()));

    let whole: Bytes = client.send(raw("/me/drive/items/1/content")).await.expect("the redirect is followed");
    assert_eq!(whole.0, content);

    let download = client.download(raw("/me/drive/items/1/content")).await.expect("streamed");
    assert_eq!(download.content_length(), Some(70_000));
    let chunks: Vec<_> = download.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), content);

    let mut file = Vec::new();
    let written = client.download(raw("/me/drive/items/1/content")).await.unwrap().write_to(&mut file).await.unwrap();
    assert_eq!((written, file), (70_000, content));

    assert!(graph.received_requests().await.unwrap().iter().all(has_authorization), "Graph gets the token");
    let at_files = files.received_requests().await.unwrap();
    assert_eq!(at_files.len(), 3);
    assert!(!at_files.iter().any(has_authorization), "the download host never gets the token");
}

#[tokio::test]
async fn redirects_are_bounded_and_303_turns_a_post_into_a_get() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/loop"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/v1.0/loop"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/export"))
        .respond_with(ResponseTemplate::new(303).insert_header("Location", "/v1.0/result"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/result"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"done": true})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    let outcome = client.send::<Value>(get("/loop")).await;
    assert!(matches!(outcome, Err(Error::Protocol(_))), "{outcome:?}");
    let loops = server.received_requests().await.unwrap().len();
    assert_eq!(loops as u32, MAX_REDIRECTS + 1, "the first request and ten redirects");

    let post = Request::<Value>::new(Method::Post, "v1.0", &[PathPart::Literal("/export")]).json(&json!({"a": 1}));
    assert_eq!(client.send(post).await.unwrap(), json!({"done": true}));
    let received = server.received_requests().await.unwrap();
    let last = received.last().unwrap();
    assert_eq!((last.method.as_str(), last.body.len()), ("GET", 0), "the GET after a 303 has no body");
}

// ---- uploads ----

#[tokio::test]
async fn small_uploads_send_bytes_or_a_stream_with_their_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/root:/notes.txt:/content"))
        .and(header("Content-Type", "text/plain"))
        .and(body_string("The contents of the file"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "f-1", "size": 24})))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    let at = [PathPart::Literal("/me/drive/root:/"), PathPart::SubPath("notes.txt"), PathPart::Literal(":/content")];
    let put = Request::<Value>::new(Method::Put, "v1.0", &at).bytes("text/plain", b"The contents of the file".to_vec());
    assert_eq!(put.body_bytes(), Some(("text/plain", &b"The contents of the file"[..])));
    assert_eq!(client.send(put).await.unwrap()["id"], "f-1");
    let parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"The contents ".to_vec()), Ok(b"of the file".to_vec())];
    let streamed = Request::<Value>::new(Method::Put, "v1.0", &at).stream(
        "text/plain",
        Some(24),
        futures_util::stream::iter(parts),
    );
    assert_eq!(client.send(streamed).await.unwrap()["size"], 24);
}

/// An upload session as Graph runs one: it keeps what each `PUT` brings at its `Content-Range`,
/// answers 202 with `nextExpectedRanges` until it has every byte, then 201 with the item. With
/// `drop_on`, the PUT of that number keeps the first half of its slice and loses the connection.
#[derive(Default)]
struct Session {
    received: Vec<u8>,
    total: usize,
    puts: Vec<(String, bool)>,
    statuses: usize,
    deleted: bool,
    drop_on: Option<usize>,
    always_drop: bool,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Reply = Result<hyper::Response<http_body_util::Full<hyper::body::Bytes>>, BoxError>;

fn reply(status: u16, value: Value) -> Reply {
    let mut response = hyper::Response::new(http_body_util::Full::new(hyper::body::Bytes::from(value.to_string())));
    *response.status_mut() = hyper::StatusCode::from_u16(status)?;
    Ok(response)
}

fn next_expected(session: &Session) -> Value {
    json!({ "nextExpectedRanges": [format!("{}-", session.received.len())] })
}

async fn upload_session(session: Arc<Mutex<Session>>, request: hyper::Request<hyper::body::Incoming>) -> Reply {
    use http_body_util::BodyExt;
    let method = request.method().clone();
    let range = request.headers().get("content-range").map(|v| v.to_str().unwrap_or_default().to_string());
    let authorized = request.headers().contains_key("authorization");
    let body = request.into_body().collect().await?.to_bytes();
    let mut s = session.lock().unwrap();
    match method.as_str() {
        "GET" => {
            s.statuses += 1;
            reply(200, next_expected(&s))
        }
        "DELETE" => {
            s.deleted = !authorized;
            reply(204, json!(null))
        }
        _ => {
            let range = range.unwrap_or_default();
            s.puts.push((range.clone(), authorized));
            // `bytes {start}-{end}/{total}`
            let (span, total) = range.trim_start_matches("bytes ").split_once('/').unwrap();
            let start: usize = span.split('-').next().unwrap().parse().unwrap();
            s.total = total.parse().unwrap();
            assert_eq!(start, s.received.len(), "a slice starts where the session stands");
            let dropping = s.always_drop || s.drop_on == Some(s.puts.len());
            let kept = if dropping { &body[..body.len() / 2] } else { &body[..] };
            s.received.extend_from_slice(kept);
            if dropping {
                // An error from the service makes hyper close the connection unanswered.
                return Err(Box::new(std::io::Error::other("connection lost")));
            }
            if s.received.len() == s.total {
                reply(201, json!({ "id": "item-1", "size": s.total }))
            } else {
                reply(202, next_expected(&s))
            }
        }
    }
}

async fn upload_server(session: Arc<Mutex<Session>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/upload/session-1?sig=x", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let session = session.clone();
            let service = hyper::service::service_fn(move |request| upload_session(session.clone(), request));
            tokio::spawn(async move {
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    url
}

#[tokio::test]
async fn a_large_upload_goes_in_slices_and_resumes_after_a_lost_connection() {
    let session = Arc::new(Mutex::new(Session { drop_on: Some(3), ..Session::default() }));
    let url = upload_server(session.clone()).await;
    let file: Vec<u8> = (0..(4 * UPLOAD_SLICE_UNIT + 1000)).map(|i| (i % 251) as u8).collect();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();
    let upload = LargeFileUpload::new(&url, std::io::Cursor::new(file.clone()), file.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT + 1)
        .retry_wait(Duration::ZERO)
        .on_progress(move |done, total| progress.lock().unwrap().push((done, total)));
    let client = Client::with_base_url("http://127.0.0.1:9").with_token_provider(StaticToken("t-1".into()));
    let item: Value = client.upload(upload).await.expect("the upload resumes and finishes");
    assert_eq!(item, json!({ "id": "item-1", "size": file.len() }));

    let s = session.lock().unwrap();
    assert_eq!(s.received, file, "every byte arrived once, in order");
    assert_eq!(s.statuses, 1, "after the lost connection the session was asked where to go on");
    assert!(!s.puts.iter().any(|(_, authorized)| *authorized), "the upload URL never gets the token");
    let ranges: Vec<&str> = s.puts.iter().map(|(r, _)| r.as_str()).collect();
    let unit = UPLOAD_SLICE_UNIT;
    let total = file.len();
    assert_eq!(ranges[0], format!("bytes 0-{}/{total}", unit - 1), "slices are multiples of 320 KiB");
    assert_eq!(ranges[2], format!("bytes {}-{}/{total}", 2 * unit, 3 * unit - 1), "the slice that was cut");
    assert_eq!(ranges[3], format!("bytes {}-{}/{total}", 2 * unit + unit / 2, 3 * unit + unit / 2 - 1), "resumed");
    let seen = seen.lock().unwrap();
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "progress only grows: {seen:?}");
    assert_eq!(seen.last(), Some(&(total as u64, total as u64)));
}

#[tokio::test]
async fn a_slice_that_keeps_failing_ends_the_upload_and_a_session_can_be_cancelled() {
    let session = Arc::new(Mutex::new(Session { always_drop: true, ..Session::default() }));
    let url = upload_server(session.clone()).await;
    let file = vec![7u8; 2 * UPLOAD_SLICE_UNIT as usize];
    let upload = LargeFileUpload::new(&url, std::io::Cursor::new(file), 2 * UPLOAD_SLICE_UNIT)
        .slice_size(UPLOAD_SLICE_UNIT)
        .max_slice_retries(2)
        .retry_wait(Duration::ZERO);
    let client = Client::with_base_url("http://127.0.0.1:9").with_retry_policy(RetryPolicy::none());
    let outcome = client.upload::<Value, _>(upload).await;
    assert!(matches!(outcome, Err(Error::Transport(_))), "{outcome:?}");
    assert_eq!(session.lock().unwrap().puts.len(), 3, "one try and two retries");
    client.cancel_upload(&url).await.expect("the session is deleted");
    assert!(session.lock().unwrap().deleted, "DELETE went to the upload URL, without the token");
}

// ---- errors ----

#[tokio::test]
async fn graph_errors_keep_status_headers_and_the_whole_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(400).insert_header("request-id", "req-1").set_body_json(json!({ "error": {
            "code": "Request_BadRequest", "message": "Invalid values", "target": "user",
            "details": [{ "code": "InvalidValue", "message": "mail is not valid", "target": "mail" }],
            "innerError": { "request-id": "req-1", "client-request-id": "c-1", "date": "2021-06-01T10:00:00" }
        }})))
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/throttled"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    let post = Request::<Value>::new(Method::Post, "v1.0", &[PathPart::Literal("/users")]).json(&json!({}));
    let error = client.send(post).await.unwrap_err();
    let Error::Graph { status, headers, error: graph } = &error else { panic!("{error:?}") };
    assert_eq!((*status, headers.get("Request-Id")), (400, Some("req-1")));
    assert_eq!((graph.code.as_str(), graph.target.as_deref()), ("Request_BadRequest", Some("user")));
    assert_eq!(graph.details.len(), 1);
    assert_eq!((graph.details[0].code.as_str(), graph.details[0].target.as_deref()), ("InvalidValue", Some("mail")));
    let inner = graph.inner_error.as_ref().unwrap();
    assert_eq!(inner.client_request_id.as_deref(), Some("c-1"));
    assert_eq!(inner.date.as_deref(), Some("2021-06-01T10:00:00"));
    assert_eq!(error.request_id(), Some("req-1"));
    assert_eq!(error.retry_after(), None, "only 429 and 503 ask to wait");

    // A POST answered 429 is not retried, and its caller can read how long to wait.
    let post = Request::<Value>::new(Method::Post, "v1.0", &[PathPart::Literal("/throttled")]).json(&json!({}));
    let error = client.send(post).await.unwrap_err();
    assert_eq!((error.status(), error.retry_after()), (Some(429), Some(Duration::from_secs(7))));
    let throttled = server.received_requests().await.unwrap();
    assert_eq!(throttled.iter().filter(|r| r.url.path() == "/v1.0/throttled").count(), 1);
}

#[tokio::test]
async fn every_request_has_a_fresh_client_request_id_and_names_the_runtime() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    client.send::<Value>(get("/me")).await.unwrap();
    client.send::<Value>(get("/me")).await.unwrap();
    client.send::<Value>(get::<Value>("/me").header("client-request-id", "mine")).await.unwrap();
    let received = server.received_requests().await.unwrap();
    let ids: Vec<&str> = received.iter().map(|r| r.headers["client-request-id"].to_str().unwrap()).collect();
    assert_eq!(ids.len(), 4);
    assert_eq!(ids[0], ids[1], "a retry is the same request");
    assert_ne!(ids[1], ids[2], "a new request has a new id");
    assert_eq!(ids[2].len(), 36);
    assert_eq!(ids[3], "mine", "a caller's own id is kept");
    let agent = received[0].headers["user-agent"].to_str().unwrap();
    assert_eq!(agent, format!("docbind-runtime/{}", env!("CARGO_PKG_VERSION")));
}

// ---- paging ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_is_send_keeps_headers_goes_past_empty_pages_and_keeps_the_delta_link() {
    let server = MockServer::start().await;
    let base = server.uri();
    let page = |items: Value, next: Option<&str>, delta: Option<&str>| {
        let mut body = json!({ "value": items });
        if let Some(next) = next {
            body["@odata.nextLink"] = json!(format!("{base}{next}"));
        }
        if let Some(delta) = delta {
            body["@odata.deltaLink"] = json!(format!("{base}{delta}"));
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    // Every page answers only when the first request's headers come with it.
    let with_headers = |at: &str| {
        Mock::given(path(at.to_string()))
            .and(header("ConsistencyLevel", "eventual"))
            .and(header("Prefer", "odata.maxpagesize=2"))
    };
    with_headers("/v1.0/users/delta")
        .respond_with(page(json!([{"id": "a"}]), Some("/v1.0/p2"), None))
        .mount(&server)
        .await;
    with_headers("/v1.0/p2").respond_with(page(json!([]), Some("/v1.0/p3"), None)).mount(&server).await;
    with_headers("/v1.0/p3").respond_with(page(json!([{"id": "b"}]), None, Some("/v1.0/d?t=1"))).mount(&server).await;
    let client = Client::with_base_url(&base);
    let request = get::<Collection<Value>>("/users/delta").consistency_level_eventual().prefer("odata.maxpagesize=2");
    // Moved into a task: the stream is `Send + 'static`.
    let ids = tokio::spawn(async move {
        let mut items = client.items(request);
        let mut ids = Vec::new();
        while let Some(item) = items.next().await {
            ids.push(item.unwrap()["id"].as_str().unwrap().to_string());
        }
        (ids, items.delta_link().map(str::to_string))
    })
    .await
    .unwrap();
    assert_eq!(ids, (vec!["a".to_string(), "b".to_string()], Some(format!("{base}/v1.0/d?t=1"))));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3, "the empty page was paged past");
}

#[tokio::test]
async fn a_next_link_seen_twice_ends_paging_with_an_error() {
    let server = MockServer::start().await;
    let again = format!("{}/v1.0/again", server.uri());
    for at in ["/v1.0/users", "/v1.0/again"] {
        Mock::given(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [1], "@odata.nextLink": again })))
            .mount(&server)
            .await;
    }
    let client = Client::with_base_url(&server.uri());
    let pages: Vec<Result<Collection<Value>, Error>> = client.pages(get("/users")).collect().await;
    assert_eq!(pages.len(), 3, "two pages, then the error");
    assert!(matches!(&pages[2], Err(Error::Protocol(m)) if m.contains("twice")), "{:?}", pages[2]);
}

// ---- sign-in ----

#[tokio::test]
async fn client_credentials_sign_in_once_and_renew_before_expiry() {
    let login = MockServer::start().await;
    let graph = MockServer::start().await;
    let form = "client_id=app-1&client_secret=s%3Dcret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default\
                &grant_type=client_credentials";
    Mock::given(method("POST"))
        .and(path("/contoso.example/oauth2/v2.0/token"))
        .and(header("Content-Type", "application/x-www-form-urlencoded"))
        .and(body_string(form))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "token_type": "Bearer", "expires_in": 3599, "access_token": "t-long" })),
        )
        .mount(&login)
        .await;
    Mock::given(path("/v1.0/me"))
        .and(header("Authorization", "Bearer t-long"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&graph)
        .await;
    let sign_in = ClientCredentials::new("contoso.example", "app-1", "s=cret").authority(&login.uri());
    let client = Client::with_base_url(&graph.uri()).with_token_provider(sign_in);
    for _ in 0..3 {
        client.send::<Value>(get("/me")).await.expect("signed in");
    }
    assert_eq!(login.received_requests().await.unwrap().len(), 1, "the token is kept while it is good");
    assert!(!login.received_requests().await.unwrap().iter().any(has_authorization));

    // A token that expires within the renewal margin is asked for again.
    let short = MockServer::start().await;
    Mock::given(body_string_contains("scope=https%3A%2F%2Fgraph.microsoft.us%2F.default"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "expires_in": 60, "access_token": "t-us" })))
        .mount(&short)
        .await;
    let sign_in = ClientCredentials::new("t", "app-1", "s")
        .cloud(Cloud::UsGovernment)
        .authority(&short.uri())
        .renew_before(Duration::from_secs(120));
    let us_graph = Client::with_base_url(&graph.uri()).with_token_provider(sign_in);
    let _ = us_graph.send::<Value>(get("/me")).await;
    let _ = us_graph.send::<Value>(get("/me")).await;
    assert_eq!(short.received_requests().await.unwrap().len(), 2, "renewed: it expires inside the margin");
    let sent = graph.received_requests().await.unwrap();
    assert!(sent.iter().rev().take(2).all(|r| r.headers["authorization"] == "Bearer t-us"), "the cloud's scope");
}

#[tokio::test]
async fn a_refused_sign_in_says_why() {
    let login = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({ "error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret." }),
        ))
        .mount(&login)
        .await;
    let sign_in = ClientCredentials::new("t", "app", "wrong").authority(&login.uri());
    let client = Client::with_base_url("http://127.0.0.1:9").with_token_provider(sign_in);
    match client.send::<Value>(get("/me")).await {
        Err(Error::Auth(message)) => {
            assert!(message.contains("401 invalid_client: AADSTS7000215"), "{message}");
            assert!(!message.contains("wrong"), "the secret stays out of messages");
        }
        other => panic!("{other:?}"),
    }
}

// ---- batch ----

#[tokio::test]
async fn batches_split_past_twenty_in_order_and_carry_depends_on() {
    let server = MockServer::start().await;
    // Answers each request of a batch with 200 and its own id.
    struct Echo;
    impl wiremock::Respond for Echo {
        fn respond(&self, request: &Received) -> ResponseTemplate {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            let responses: Vec<Value> = body["requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| json!({ "id": r["id"], "status": 200, "body": { "id": r["id"] } }))
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
        }
    }
    Mock::given(path("/v1.0/$batch")).respond_with(Echo).mount(&server).await;
    let mut batch = Batch::new("v1.0");
    let handles: Vec<_> = (0..45).map(|_| batch.add(get::<Value>("/me"))).collect();
    batch.depends_on(&handles[1], &handles[0]);
    batch.depends_on(&handles[21], &handles[3]);
    let responses = Client::with_base_url(&server.uri()).send_batch(batch).await.unwrap();
    for (i, handle) in handles.iter().enumerate() {
        assert_eq!(responses.get(handle).unwrap()["id"], json!((i + 1).to_string()));
    }
    let sent: Vec<Value> =
        server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    let sizes: Vec<usize> = sent.iter().map(|b| b["requests"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [20, 20, 5]);
    assert_eq!(sent[1]["requests"][0]["id"], "21", "in the order they were added");
    assert_eq!(sent[0]["requests"][1]["dependsOn"], json!(["1"]));
    assert!(sent[1]["requests"][1].get("dependsOn").is_none(), "a dependency in an earlier batch has run");
}

#[tokio::test]
async fn batch_items_answered_429_are_sent_again_after_their_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "responses": [
            { "id": "1", "status": 201, "body": { "id": "created" } },
            { "id": "2", "status": 429, "headers": { "Retry-After": "1" }, "body": { "error": { "code": "TooManyRequests" } } },
            { "id": "3", "status": 424, "body": { "error": { "code": "FailedDependency" } } }
        ]})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "responses": [
            { "id": "2", "status": 200, "body": { "id": "two" } },
            { "id": "3", "status": 200, "body": { "id": "three" } }
        ]})))
        .mount(&server)
        .await;
    let mut batch = Batch::new("v1.0");
    let create = Request::<Value>::new(Method::Post, "v1.0", &[PathPart::Literal("/groups")]).json(&json!({}));
    let first = batch.add(create);
    let second = batch.add(get::<Value>("/me"));
    let third = batch.add(get::<Value>("/me/manager"));
    batch.depends_on(&third, &second);
    let started = Instant::now();
    let responses = Client::with_base_url(&server.uri()).send_batch(batch).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited for Retry-After");
    assert_eq!(responses.get(&first).unwrap()["id"], "created");
    assert_eq!(responses.get(&second).unwrap()["id"], "two");
    assert_eq!(responses.get(&third).unwrap()["id"], "three");
    let sent = server.received_requests().await.unwrap();
    let again: Value = serde_json::from_slice(&sent[1].body).unwrap();
    let ids: Vec<&str> = again["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2", "3"], "the throttled request and the one that failed because of it, not the POST");
    assert_eq!(again["requests"][1]["dependsOn"], json!(["2"]));
}

// ---- null in an update, dates ----

/// What the generator emits for `user`, cut down to three properties.
#[derive(Default)]
struct User {
    display_name: Option<String>,
    mobile_phone: Option<String>,
    created_date_time: Option<DateTimeOffset>,
    additional_properties: Properties,
}

impl Model for User {
    fn type_name(&self) -> &'static str {
        "microsoft.graph.user"
    }
    fn field_names(&self) -> &'static [&'static str] {
        &["displayName", "mobilePhone", "createdDateTime"]
    }
    fn fields(&self, visit: &mut dyn FnMut(&[&dyn Field], &Properties)) {
        visit(&[&self.display_name, &self.mobile_phone, &self.created_date_time], &self.additional_properties)
    }
    fn fields_mut(&mut self, visit: &mut dyn FnMut(&mut [&mut dyn Field], &mut Properties)) {
        visit(
            &mut [&mut self.display_name, &mut self.mobile_phone, &mut self.created_date_time],
            &mut self.additional_properties,
        )
    }
}
docbind_runtime::model_traits!(User);

#[tokio::test]
async fn an_update_can_clear_a_property_and_a_null_is_told_from_absent() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me"))
        .and(body_string(r#"{"displayName":"x","mobilePhone":null}"#))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"displayName":"x","mobilePhone":null}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    let mut update = User { display_name: Some("x".into()), mobile_phone: Some("+1 555".into()), ..User::default() };
    update.set_null(|u| &mut u.mobile_phone);
    client.send(Request::<()>::new(Method::Patch, "v1.0", &[PathPart::Literal("/me")]).json(&update)).await.unwrap();

    let me: User = client.send(get("/me")).await.unwrap();
    assert!(me.is_null(|u| &u.mobile_phone), "sent as null");
    assert!(!me.is_null(|u| &u.created_date_time), "absent, not null");
}

#[tokio::test]
async fn dates_are_checked_on_decode_and_written_back_as_received() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"value":[{"createdDateTime":"2021-03-04T05:06:07.1234567Z"},{"createdDateTime":"not a date"}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let outcome = Client::with_base_url(&server.uri()).send::<Collection<User>>(get("/users")).await;
    match outcome {
        Err(Error::Decode { path, error, .. }) => {
            assert_eq!(path, "value[1].createdDateTime");
            assert!(error.to_string().contains("\"not a date\" is not an RFC 3339 date and time"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    let user: User = serde_json::from_str(r#"{"createdDateTime":"2021-03-04T05:06:07.1234567Z"}"#).unwrap();
    assert_eq!(user.created_date_time.as_ref().unwrap().parts().nanosecond, 123_456_700);
    assert_eq!(serde_json::to_string(&user).unwrap(), r#"{"createdDateTime":"2021-03-04T05:06:07.1234567Z"}"#);
}
