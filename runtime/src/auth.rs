//! Sign-in: where a [`Client`](crate::Client) gets its bearer tokens. [`ClientCredentials`] signs an
//! app in with its secret (cached, renewed before it expires); with the feature `azure-identity`,
//! [`AzureIdentity`] takes any `azure_identity` credential (managed identity, certificates,
//! workload identity, the Azure CLI). The client sends a token only to its own Graph host.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::client::{Client, Cloud, Outgoing, Payload};
use crate::error::Error;
use crate::request::Method;

/// Supplies bearer tokens. [`StaticToken`] serves tests; [`ClientCredentials`] signs an app in.
pub trait TokenProvider: Send + Sync {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>>;
}

/// A fixed token. Its Debug output never shows the token.
#[derive(Clone)]
pub struct StaticToken(pub String);

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// `application/x-www-form-urlencoded` values: everything but unreserved characters escaped.
const FORM_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The OAuth 2.0 client credentials grant with a client secret: an app (daemon, service) signs in
/// as itself. The token is kept and reused until `renew_before` ahead of its expiry, and one
/// request for a new token serves every caller waiting for it.
///
/// ```no_run
/// # async fn run() -> Result<(), docbind_runtime::Error> {
/// use docbind_runtime::{Client, ClientCredentials, Cloud};
/// let secret = std::env::var("GRAPH_CLIENT_SECRET").unwrap_or_default();
/// let sign_in = ClientCredentials::new("contoso.onmicrosoft.com", "client-id", &secret).cloud(Cloud::Global);
/// let client = Client::for_cloud(Cloud::Global).with_token_provider(sign_in);
/// # Ok(()) }
/// ```
pub struct ClientCredentials {
    tenant: String,
    client_id: String,
    secret: String,
    authority: String,
    scope: String,
    renew_before: Duration,
    http: Client,
    cached: futures_util::lock::Mutex<Option<(String, Instant)>>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("authority", &self.authority)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// Signs in to `tenant` (a tenant id or domain) as the app `client_id`, for the global cloud.
    pub fn new(tenant: &str, client_id: &str, secret: &str) -> Self {
        let cloud = Cloud::Global;
        ClientCredentials {
            tenant: tenant.to_string(),
            client_id: client_id.to_string(),
            secret: secret.to_string(),
            authority: cloud.authority().to_string(),
            scope: format!("{}/.default", cloud.graph_url()),
            renew_before: Duration::from_secs(300),
            http: Client::with_base_url(cloud.authority()),
            cached: futures_util::lock::Mutex::new(None),
        }
    }

    /// Signs in at the cloud's authority, for a token to its Graph.
    pub fn cloud(self, cloud: Cloud) -> Self {
        self.authority(cloud.authority()).scope(&format!("{}/.default", cloud.graph_url()))
    }

    /// Another authority (`https://login.microsoftonline.com`, or a local test server).
    pub fn authority(mut self, url: &str) -> Self {
        self.authority = url.trim_end_matches('/').to_string();
        self.http = Client::with_base_url(&self.authority);
        self
    }

    /// The scope asked for; by default the cloud's Graph with `/.default`.
    pub fn scope(mut self, scope: &str) -> Self {
        self.scope = scope.to_string();
        self
    }

    /// How long before expiry a kept token is renewed (default five minutes).
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    async fn fetch(&self) -> Result<(String, Instant), Error> {
        let form = [
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.secret.as_str()),
            ("scope", self.scope.as_str()),
            ("grant_type", "client_credentials"),
        ]
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, FORM_VALUE)))
        .collect::<Vec<_>>()
        .join("&");
        let tenant = utf8_percent_encode(&self.tenant, FORM_VALUE);
        let outgoing = Outgoing {
            method: Method::Post,
            url: format!("{}/{tenant}/oauth2/v2.0/token", self.authority),
            template: "/{}/oauth2/v2.0/token",
            headers: &[],
            body: Payload::Replayable { content_type: "application/x-www-form-urlencoded".into(), bytes: form.into() },
            authorize: false,
        };
        let asked = Instant::now();
        let response = self.http.execute(outgoing).await.map_err(|error| match error {
            // `{"error": "invalid_client", "error_description": "..."}`: Entra ID's own error form.
            Error::Graph { status, error, .. } => {
                let body: serde_json::Value = serde_json::from_str(&error.message).unwrap_or_default();
                let code = body["error"].as_str().unwrap_or("");
                let description = body["error_description"].as_str().unwrap_or(&error.message);
                Error::Auth(format!("the token endpoint answered {status} {code}: {description}"))
            }
            other => Error::Auth(format!("the token endpoint could not be reached: {other}")),
        })?;
        let body = self.http.read_body(response.into_body()).await?;
        let body: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| Error::Auth(format!("the token response is not JSON: {e}")))?;
        let token = body["access_token"]
            .as_str()
            .ok_or_else(|| Error::Auth("the token response has no access_token".into()))?;
        // `expires_in` is seconds, a number or (from some authorities) a string.
        let lifetime = body["expires_in"]
            .as_u64()
            .or_else(|| body["expires_in"].as_str()?.parse().ok())
            .ok_or_else(|| Error::Auth("the token response has no expires_in".into()))?;
        Ok((token.to_string(), asked + Duration::from_secs(lifetime)))
    }
}

impl TokenProvider for ClientCredentials {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>> {
        Box::pin(async move {
            let mut cached = self.cached.lock().await;
            if let Some((token, expires)) = cached.as_ref() {
                if Instant::now() + self.renew_before < *expires {
                    return Ok(token.clone());
                }
            }
            let (token, expires) = self.fetch().await?;
            *cached = Some((token.clone(), expires));
            Ok(token)
        })
    }
}

/// Any credential of the Azure SDK (`azure_identity`: `ManagedIdentityCredential`,
/// `ClientCertificateCredential`, `WorkloadIdentityCredential`, `AzureCliCredential`...) as a
/// token provider, asking it for `scope` (by default Graph's `https://graph.microsoft.com/.default`).
/// The Azure SDK's credentials keep and renew their own tokens.
#[cfg(feature = "azure-identity")]
pub struct AzureIdentity {
    credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>,
    scope: String,
}

#[cfg(feature = "azure-identity")]
impl AzureIdentity {
    pub fn new(credential: std::sync::Arc<dyn azure_core::credentials::TokenCredential>) -> Self {
        AzureIdentity { credential, scope: format!("{}/.default", Cloud::Global.graph_url()) }
    }

    /// Asks for a token to this cloud's Graph.
    pub fn cloud(self, cloud: Cloud) -> Self {
        self.scope(&format!("{}/.default", cloud.graph_url()))
    }

    pub fn scope(mut self, scope: &str) -> Self {
        self.scope = scope.to_string();
        self
    }
}

#[cfg(feature = "azure-identity")]
impl fmt::Debug for AzureIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureIdentity").field("credential", &self.credential).field("scope", &self.scope).finish()
    }
}

#[cfg(feature = "azure-identity")]
impl TokenProvider for AzureIdentity {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>> {
        Box::pin(async move {
            let token = self
                .credential
                .get_token(&[self.scope.as_str()], None)
                .await
                .map_err(|e| Error::Auth(format!("the Azure credential failed: {e}")))?;
            Ok(token.token.secret().to_string())
        })
    }
}
