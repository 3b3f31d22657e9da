//! Connections for the [`Client`](crate::Client): TCP, through an HTTP proxy when one is named, and
//! TLS on top (rustls with Mozilla's roots, and any the caller adds) when the `rustls` feature is on,
//! as it is by default.

use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::Uri;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use tower_service::Service;

/// Which proxy, if any, a connection goes through.
#[derive(Clone)]
pub(crate) enum Proxies {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (or their lowercase forms), read when
    /// the client is made. Loopback hosts are always reached directly: a proxy for the outside world
    /// cannot reach a test server on this machine.
    FromEnvironment,
    /// One proxy for every destination, e.g. `http://user:password@proxy:8080`.
    Fixed(String),
}

impl Proxies {
    fn matcher(&self) -> Matcher {
        match self {
            Proxies::FromEnvironment => Matcher::from_env(),
            Proxies::Fixed(url) => Self::fixed(url),
        }
    }

    /// Whether a proxy named for the client would be used at all; a URL the matcher cannot read
    /// would silently mean no proxy.
    pub(crate) fn is_usable(&self) -> bool {
        let probe = Uri::from_static("https://graph.microsoft.com/");
        match self {
            Proxies::FromEnvironment => true,
            Proxies::Fixed(url) => url.starts_with("http://") && Self::fixed(url).intercept(&probe).is_some(),
        }
    }

    fn fixed(url: &str) -> Matcher {
        Matcher::builder().all(url.to_string()).build()
    }
}

/// How a client connects: through which proxies, and trusting which roots.
#[derive(Clone)]
pub(crate) struct Connection {
    pub(crate) proxies: Proxies,
    /// Mozilla's roots, and any the caller added (a company proxy that inspects TLS, a private cloud).
    #[cfg(feature = "rustls")]
    pub(crate) roots: rustls::RootCertStore,
}

impl Default for Connection {
    fn default() -> Self {
        Connection {
            proxies: Proxies::FromEnvironment,
            #[cfg(feature = "rustls")]
            roots: rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() },
        }
    }
}

#[cfg(feature = "rustls")]
impl Connection {
    /// Adds the certificates of a PEM file (or bundle) as roots. Adds none when it holds none, or
    /// when one of them cannot be read or cannot serve as a root.
    pub(crate) fn add_roots(&mut self, pem: &[u8]) -> Result<(), String> {
        use rustls::pki_types::pem::PemObject;
        let mut roots = self.roots.clone();
        let mut added = 0;
        for certificate in rustls::pki_types::CertificateDer::pem_slice_iter(pem) {
            let certificate = certificate
                .map_err(|error| format!("the PEM given to with_root_certificates cannot be read: {error}"))?;
            roots
                .add(certificate)
                .map_err(|error| format!("a certificate given to with_root_certificates cannot be a root: {error}"))?;
            added += 1;
        }
        if added == 0 {
            return Err("the PEM given to with_root_certificates holds no certificate".to_string());
        }
        self.roots = roots;
        Ok(())
    }
}

#[cfg(feature = "rustls")]
pub(crate) type Connector = hyper_rustls::HttpsConnector<ProxyAware>;
#[cfg(not(feature = "rustls"))]
pub(crate) type Connector = ProxyAware;

pub(crate) fn connector(connection: &Connection) -> Connector {
    let tcp = ProxyAware::new(&connection.proxies);
    #[cfg(feature = "rustls")]
    {
        // The provider is named rather than taken from the process default, which is unset (and
        // building would panic) when another crate in the build enables a second rustls provider.
        // rustls 0.23.48 deprecates ring's provider (it has no post-quantum key exchange); the
        // other provider, aws-lc-rs, builds a large C library, which a client's build would pay for.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(provider))
            .with_safe_default_protocol_versions()
            .expect("ring's provider supports the safe default TLS versions (1.2 and 1.3)")
            .with_root_certificates(connection.roots.clone())
            .with_no_client_auth();
        hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp)
    }
    #[cfg(not(feature = "rustls"))]
    {
        tcp
    }
}

/// Opens a TCP connection to the destination, or a tunnel to it (`CONNECT host:port`) through the
/// proxy the matcher names for it. Tunnels serve http destinations too, so that no request is ever
/// sent to a proxy in the clear with its token.
#[derive(Clone)]
pub(crate) struct ProxyAware {
    direct: HttpConnector,
    proxies: Arc<Matcher>,
    loopback_direct: bool,
}

impl ProxyAware {
    fn new(proxies: &Proxies) -> Self {
        let mut direct = HttpConnector::new();
        // TLS is layered on top, so https destinations reach this connector too.
        direct.enforce_http(false);
        let loopback_direct = matches!(proxies, Proxies::FromEnvironment);
        ProxyAware { direct, proxies: Arc::new(proxies.matcher()), loopback_direct }
    }
}

impl ProxyAware {
    fn proxy_for(&self, destination: &Uri) -> Option<Intercept> {
        if self.loopback_direct && is_loopback(destination) {
            return None;
        }
        self.proxies.intercept(destination)
    }
}

type BoxError = Box<dyn StdError + Send + Sync>;

impl Service<Uri> for ProxyAware {
    type Response = TokioIo<tokio::net::TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.direct.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let Some(proxy) = self.proxy_for(&destination) else {
            let connecting = self.direct.call(destination);
            return Box::pin(async move { connecting.await.map_err(Into::into) });
        };
        let mut tunnel = Tunnel::new(proxy.uri().clone(), self.direct.clone());
        if let Some(credentials) = proxy.basic_auth() {
            tunnel = tunnel.with_auth(credentials.clone());
        }
        let destination = with_default_port(destination);
        Box::pin(async move {
            std::future::poll_fn(|cx| tunnel.poll_ready(cx)).await?;
            Ok(tunnel.call(destination).await?)
        })
    }
}

fn is_loopback(destination: &Uri) -> bool {
    let host = destination.host().unwrap_or_default();
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || ip.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The tunnel asks for port 443 when the URL names none; an http URL means 80.
fn with_default_port(destination: Uri) -> Uri {
    if destination.port().is_some() || destination.scheme_str() != Some("http") {
        return destination;
    }
    let Some(host) = destination.host() else { return destination };
    let authority = format!("{host}:80");
    let mut parts = destination.clone().into_parts();
    match authority.parse() {
        Ok(authority) => {
            parts.authority = Some(authority);
            Uri::from_parts(parts).unwrap_or(destination)
        }
        Err(_) => destination,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy_aware(loopback_direct: bool) -> ProxyAware {
        let proxies = Proxies::fixed("http://proxy.example:8080");
        ProxyAware { direct: HttpConnector::new(), proxies: Arc::new(proxies), loopback_direct }
    }

    #[test]
    fn environment_proxies_leave_loopback_hosts_alone() {
        let from_environment = proxy_aware(true);
        for local in ["http://127.0.0.1:8080/v1.0/me", "http://localhost/", "http://[::1]:3000/"] {
            assert!(from_environment.proxy_for(&local.parse().unwrap()).is_none(), "{local}");
            // A proxy named for the client itself is used for them too.
            assert!(proxy_aware(false).proxy_for(&local.parse().unwrap()).is_some(), "{local}");
        }
        let graph = "https://graph.microsoft.com/v1.0/me".parse().unwrap();
        let proxy = from_environment.proxy_for(&graph).expect("Graph goes through the proxy");
        assert_eq!(proxy.uri().host(), Some("proxy.example"));
    }

    #[test]
    fn only_http_proxy_urls_are_usable() {
        assert!(Proxies::Fixed("http://user:pw@proxy.example:8080".into()).is_usable());
        for unusable in ["", "proxy.example:8080", "socks5://proxy.example:1080", "http://"] {
            assert!(!Proxies::Fixed(unusable.into()).is_usable(), "{unusable:?}");
        }
    }

    #[test]
    fn tunnels_to_http_urls_name_port_80() {
        let uri = with_default_port("http://example.com/a?b".parse().unwrap());
        assert_eq!(uri.to_string(), "http://example.com:80/a?b");
        assert_eq!(with_default_port("https://example.com/".parse().unwrap()).port(), None);
    }
}
