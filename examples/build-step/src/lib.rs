//! A Graph client from docbind's build step: `build.rs` writes it into `OUT_DIR`, and this module
//! includes it. The paths of the docs are the API: `graph::me().messages().list()`.

pub mod graph {
    include!(concat!(env!("OUT_DIR"), "/graph.rs"));
}

#[cfg(test)]
mod tests {
    use docbind_runtime::{Client, RetryPolicy};
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// The first page of the inbox, typed, from a local server.
    #[cfg(graph_corpus)]
    #[tokio::test]
    async fn the_inbox_lists_as_typed_messages() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1.0/me/mailFolders/inbox/messages"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "value": [{ "@odata.type": "#microsoft.graph.message", "subject": "Lunch?", "isRead": false }]
            })))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).with_retry_policy(RetryPolicy::none());
        let page = client.send(super::graph::me().mail_folders().id("inbox").messages().list()).await.unwrap();
        let message = page.value[0].to_base().unwrap();
        assert_eq!((message.subject.as_deref(), message.is_read), (Some("Lunch?"), Some(false)));
    }

    /// The termStore client of docs-input, when the corpus is not there.
    #[cfg(not(graph_corpus))]
    #[tokio::test]
    async fn a_term_group_comes_back_typed() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1.0/sites/s1/termStore/groups/g1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "g1", "displayName": "Departments" })))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).with_retry_policy(RetryPolicy::none());
        let group = client.send(super::graph::sites().id("s1").term_store().groups().id("g1").get()).await.unwrap();
        assert_eq!(group.display_name.as_deref(), Some("Departments"));
    }
}
