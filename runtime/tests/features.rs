//! What the optional features add: `AzureIdentity` over an Azure SDK credential, against a local
//! server, and the `time` and `chrono` conversions of dates (the `tracing` spans are in
//! `tracing.rs`). `.ci/run` runs these with `--all-features`.

#[cfg(feature = "azure-identity")]
mod azure_identity {
    use std::sync::{Arc, Mutex};

    use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
    use docbind_runtime::{AzureIdentity, Client, Cloud, Method, PathPart, Request};
    use serde_json::{json, Value};
    use wiremock::matchers::{header, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A credential that hands out one token and remembers the scopes it was asked for.
    #[derive(Debug, Default)]
    struct Fixed(Mutex<Vec<String>>);

    #[async_trait::async_trait]
    impl TokenCredential for Fixed {
        async fn get_token(
            &self,
            scopes: &[&str],
            _: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            self.0.lock().unwrap().extend(scopes.iter().map(|s| s.to_string()));
            let expires = azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1);
            Ok(AccessToken::new("t-azure".to_string(), expires))
        }
    }

    #[tokio::test]
    async fn an_azure_credential_signs_requests_in_for_its_clouds_graph() {
        let server = MockServer::start().await;
        Mock::given(path("/v1.0/me"))
            .and(header("Authorization", "Bearer t-azure"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "1" })))
            .expect(1)
            .mount(&server)
            .await;
        let credential = Arc::new(Fixed::default());
        let provider = AzureIdentity::new(credential.clone()).cloud(Cloud::China);
        let client = Client::with_base_url(&server.uri()).with_token_provider(provider);
        let me: Value = client.send(Request::new(Method::Get, "v1.0", &[PathPart::Literal("/me")])).await.unwrap();
        assert_eq!(me["id"], "1");
        assert_eq!(*credential.0.lock().unwrap(), ["https://microsoftgraph.chinacloudapi.cn/.default"]);
    }
}

#[cfg(feature = "time")]
#[test]
fn dates_convert_to_the_time_crate_and_back() {
    use docbind_runtime::{Date, DateTimeOffset, TimeOfDay};
    let value = DateTimeOffset::parse("2021-03-04T05:06:07.1234567+05:30").unwrap();
    let converted = value.to_time().unwrap();
    assert_eq!((converted.year(), converted.hour(), converted.nanosecond()), (2021, 5, 123_456_700));
    assert_eq!(converted.offset().whole_minutes(), 330);
    assert_eq!(DateTimeOffset::from(converted).as_str(), "2021-03-04T05:06:07.123456700+05:30");
    let utc = DateTimeOffset::parse("2021-03-04T05:06:07").unwrap().to_time().unwrap();
    assert!(utc.offset().is_utc(), "no offset reads as UTC");
    assert_eq!(Date::from(Date::parse("2024-02-29").unwrap().to_time().unwrap()).as_str(), "2024-02-29");
    assert_eq!(TimeOfDay::from(TimeOfDay::parse("08:30:00").unwrap().to_time().unwrap()).as_str(), "08:30:00");
}

#[cfg(feature = "chrono")]
#[test]
fn dates_convert_to_chrono_and_back() {
    use chrono::{Datelike, Timelike};
    use docbind_runtime::{Date, DateTimeOffset, TimeOfDay};
    let value = DateTimeOffset::parse("2021-03-04T05:06:07.1234567Z").unwrap();
    let converted = value.to_chrono().unwrap();
    assert_eq!((converted.year(), converted.hour(), converted.nanosecond()), (2021, 5, 123_456_700));
    assert_eq!(DateTimeOffset::from(converted).as_str(), "2021-03-04T05:06:07.123456700Z");
    assert_eq!(Date::from(Date::parse("2021-12-31").unwrap().to_chrono().unwrap()).as_str(), "2021-12-31");
    assert_eq!(TimeOfDay::from(TimeOfDay::parse("17:45:10").unwrap().to_chrono().unwrap()).as_str(), "17:45:10");
}
