//! The mail program against a local server, with only the `outlook` feature of the generated crate:
//! a message decodes whole (nothing falls into `additional_properties`), paging follows
//! `@odata.nextLink`, and sending posts the documented body.

use docbind_runtime::Client;
use graph_v1::graph::{AnyMessage, AnyRecipient, BodyType, Importance};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A message as Graph returns it, with the properties the mail program reads.
fn documented_message() -> serde_json::Value {
    json!({
        "id": "AAMkAGI2TG93AAA=",
        "createdDateTime": "2024-05-02T09:12:41Z",
        "lastModifiedDateTime": "2024-05-02T09:12:43Z",
        "changeKey": "CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAw3Vs1",
        "categories": ["Blue category"],
        "receivedDateTime": "2024-05-02T09:12:42Z",
        "sentDateTime": "2024-05-02T09:12:40Z",
        "hasAttachments": false,
        "internetMessageId": "<MW2PR00MB0327@contoso.com>",
        "subject": "Quarterly numbers",
        "bodyPreview": "The numbers are in.",
        "importance": "high",
        "parentFolderId": "AAMkAGI2AAEMAAA=",
        "conversationId": "AAQkAGI2TQAQAHE=",
        "isDeliveryReceiptRequested": false,
        "isReadReceiptRequested": false,
        "isRead": true,
        "isDraft": false,
        "webLink": "https://outlook.office365.com/owa/?ItemID=AAMkAGI2TG93AAA%3D",
        "inferenceClassification": "focused",
        "body": { "contentType": "html", "content": "<p>The numbers are in.</p>" },
        "sender": { "emailAddress": { "name": "Adele Vance", "address": "adelev@contoso.com" } },
        "from": { "emailAddress": { "name": "Adele Vance", "address": "adelev@contoso.com" } },
        "toRecipients": [{ "emailAddress": { "name": "Megan Bowen", "address": "meganb@contoso.com" } }],
        "ccRecipients": [],
        "bccRecipients": [],
        "replyTo": [],
        "flag": { "flagStatus": "notFlagged" }
    })
}

#[tokio::test]
async fn a_documented_message_decodes_whole_with_only_outlook() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        // Graph ids end in `=`, which the path encodes.
        .and(path("/v1.0/me/messages/AAMkAGI2TG93AAA%3D"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documented_message()))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    let got: AnyMessage = client.send(graph_v1::me().messages().id("AAMkAGI2TG93AAA=").get()).await.unwrap();
    let AnyMessage::Message(got) = got else { panic!("a message without `@odata.type` is a message: {got:?}") };
    assert!(
        got.additional_properties.is_empty(),
        "not typed: {:?}",
        got.additional_properties.keys().collect::<Vec<_>>()
    );
    assert_eq!(got.importance, Some(Importance::High));
    assert_eq!(got.body.as_ref().and_then(|b| b.content_type.clone()), Some(BodyType::Html));
    let to = got.to_recipients.as_ref().expect("toRecipients");
    let Some(AnyRecipient::Recipient(first)) = to.first() else { panic!("a recipient: {to:?}") };
    assert_eq!(first.email_address.as_ref().and_then(|a| a.address.as_deref()), Some("meganb@contoso.com"));
    assert_eq!(serde_json::to_value(&got).unwrap(), documented_message(), "nothing documented is lost");
}

#[tokio::test]
async fn subjects_of_every_page_and_sending() {
    let server = MockServer::start().await;
    let messages = "/v1.0/me/mailFolders/inbox/messages";
    Mock::given(method("GET"))
        .and(path(messages))
        .and(query_param("$top", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{ "subject": "one" }, { "subject": "two" }],
            "@odata.nextLink": format!("{}{messages}?$skip=2", server.uri()),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(messages))
        .and(query_param("$skip", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "value": [{ "subject": "three" }] })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .and(body_json(json!({
            "message": {
                "subject": "Hello",
                "body": { "contentType": "text", "content": "Hi there" },
                "toRecipients": [{ "emailAddress": { "address": "meganb@contoso.com" } }],
                "importance": "high"
            },
            "saveToSentItems": false
        })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    assert_eq!(mail_example::subjects(&client, "inbox").await.unwrap(), ["one", "two", "three"]);
    mail_example::send(&client, mail_example::message("meganb@contoso.com", "Hello", "Hi there")).await.unwrap();
}
