//! The `tracing` feature: a span per request and per attempt, against a local server. The only
//! test in its binary: tracing caches whether a callsite is wanted, and a test on another thread
//! without a subscriber could make it cache "never".
#![cfg(feature = "tracing")]

mod tracing_spans {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use docbind_runtime::{Client, Method, PathPart, Request, RetryPolicy, StaticToken};
    use serde_json::{json, Value};
    use tracing::span::{Attributes, Id, Record};
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A span's name and its fields as text.
    type Opened = (String, BTreeMap<String, String>);

    /// Every span opened.
    #[derive(Default, Clone)]
    struct Spans(Arc<Mutex<Vec<Opened>>>);

    struct Fields<'a>(&'a mut BTreeMap<String, String>);

    impl tracing::field::Visit for Fields<'_> {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            self.0.insert(field.name().to_string(), format!("{value:?}").trim_matches('"').to_string());
        }
    }

    impl tracing::Subscriber for Spans {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut fields = BTreeMap::new();
            span.record(&mut Fields(&mut fields));
            let mut spans = self.0.lock().unwrap();
            spans.push((span.metadata().name().to_string(), fields));
            Id::from_u64(spans.len() as u64)
        }
        fn record(&self, id: &Id, values: &Record<'_>) {
            let mut spans = self.0.lock().unwrap();
            values.record(&mut Fields(&mut spans[id.into_u64() as usize - 1].1));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, _: &tracing::Event<'_>) {}
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[tokio::test]
    async fn a_span_per_request_and_per_attempt_without_token_or_body() {
        let server = MockServer::start().await;
        Mock::given(path("/v1.0/users/secret-id/messages"))
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(path("/v1.0/users/secret-id/messages"))
            .respond_with(ResponseTemplate::new(201).insert_header("request-id", "req-9").set_body_json(json!({})))
            .mount(&server)
            .await;
        let spans = Spans::default();
        let _guard = tracing::subscriber::set_default(spans.clone());
        let client = Client::with_base_url(&server.uri())
            .with_token_provider(StaticToken("t-secret".into()))
            .with_retry_policy(RetryPolicy { retry_non_idempotent: true, ..RetryPolicy::default() });
        let parts = [PathPart::Literal("/users/"), PathPart::Value("secret-id"), PathPart::Literal("/messages")];
        let request = Request::<Value>::new(Method::Post, "v1.0", &parts).json(&json!({ "subject": "body-secret" }));
        client.send(request).await.unwrap();

        let spans = spans.0.lock().unwrap();
        let names: Vec<&str> = spans.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["graph.request", "graph.attempt", "graph.attempt"]);
        let request = &spans[0].1;
        assert_eq!(request["method"], "POST");
        assert_eq!(request["path"], "/users/{}/messages", "the template, not the id");
        assert_eq!((request["status"].as_str(), request["attempts"].as_str()), ("201", "2"));
        assert_eq!((spans[1].1["attempt"].as_str(), spans[1].1["status"].as_str()), ("0", "503"));
        assert_eq!((spans[2].1["status"].as_str(), spans[2].1["request_id"].as_str()), ("201", "req-9"));
        let everything = format!("{:?}", *spans);
        for secret in ["t-secret", "body-secret", "secret-id"] {
            assert!(!everything.contains(secret), "{secret} in {everything}");
        }
    }
}
