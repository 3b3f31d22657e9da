//! Reading and sending mail with the generated Graph client, written from the URLs in the docs:
//! `GET /me/mailFolders/{id}/messages` is `me().mail_folders().id(folder).messages().list()`,
//! `POST /me/sendMail` is `me().send_mail(&body)`.

use docbind_runtime::{Client, Error};
use futures_util::TryStreamExt;
use graph_v1::graph::{AnyMessage, BodyType, EmailAddress, Importance, ItemBody, Message, Recipient};
use graph_v1::paths::UsersItemSendMailBody;

/// The subjects of every message in a folder, page after page.
pub async fn subjects(client: &Client, folder: &str) -> Result<Vec<String>, Error> {
    let request = graph_v1::me().mail_folders().id(folder).messages().list().select(&["subject"]).top(2);
    // A folder holds messages and the types derived from them (event messages): `AnyMessage`.
    let messages: Vec<AnyMessage> = client.items(request).try_collect().await?;
    let subjects = messages.iter().filter_map(|m| m.to_base().ok()?.subject);
    Ok(subjects.collect())
}

/// A plain-text message to one address.
pub fn message(to: &str, subject: &str, text: &str) -> Message {
    let address = EmailAddress { address: Some(to.to_string()), ..Default::default() };
    Message {
        subject: Some(subject.to_string()),
        body: Some(ItemBody {
            content_type: Some(BodyType::Text),
            content: Some(text.to_string()),
            ..Default::default()
        }),
        to_recipients: Some(vec![Recipient { email_address: Some(address), ..Default::default() }.into()]),
        importance: Some(Importance::High),
        ..Default::default()
    }
}

/// Sends a message without keeping a copy in Sent Items.
pub async fn send(client: &Client, message: Message) -> Result<(), Error> {
    let body =
        UsersItemSendMailBody { message: Some(message.into()), save_to_sent_items: Some(false), ..Default::default() };
    client.send(graph_v1::me().send_mail(&body)).await
}
