//! The runtime that docbind-generated clients call.
//!
//! Generated code stays plain data and calls: each request function returns a [`Request`] value
//! (method, API version, encoded path, query, headers, body, and the response type as a type
//! parameter). A [`Client`] sends it over hyper and decodes the typed response, or Graph's error
//! into [`Error::Graph`] with the status, headers and error body.
//!
//! Beyond one request and its response: [`Client::download`] streams raw content (following the
//! redirect to the download host without the token), [`LargeFileUpload`] sends a file to an upload
//! session in slices and resumes after a failure, [`Client::items`] pages through a collection,
//! [`Batch`] sends many requests as `$batch`es, and [`ClientCredentials`] signs an app in.
//!
//! Cargo features: `rustls` (default) for https; `azure-identity` for [`AzureIdentity`];
//! `tracing` for a span per request and per attempt (method, path template, status, attempt,
//! `request-id`; never a token or a body); `time` and `chrono` for conversions of the [`dates`]
//! types; `testing` for what generated example tests call.

pub use serde;
pub use serde_json;

mod auth;
mod batch;
mod client;
mod connect;
pub mod dates;
mod error;
mod io;
pub mod model;
mod paging;
mod related;
mod request;
mod response;
#[cfg(feature = "testing")]
#[doc(hidden)] // What generated example tests call.
pub mod testing;
mod upload;

#[cfg(feature = "azure-identity")]
pub use auth::AzureIdentity;
pub use auth::{ClientCredentials, StaticToken, TokenProvider};
pub use batch::{Batch, BatchHandle, BatchResponses, MAX_BATCH_REQUESTS};
pub use client::{Client, Cloud, Download, RetryPolicy, MAX_REDIRECTS};
pub use dates::{Date, DateTimeOffset, TimeOfDay};
pub use error::{Error, ErrorDetail, GraphError, Headers, InnerError};
pub use model::{Field, Flags, Model, Nulls, Properties};
pub use paging::{Items, Pages};
pub use related::Related;
#[doc(hidden)]
pub use request::encode_path;
pub use request::{Method, PathPart, Request, ResourcePath};
pub use response::{Bytes, Collection};
pub use upload::{LargeFileUpload, UploadStatus, UPLOAD_SLICE_UNIT};

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
