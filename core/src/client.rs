//! `Client` and its builder: where configuration is checked and the transport assembled.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::auth::{Credential, TokenEndpoint, TokenManager};
use crate::cloud::Cloud;
use crate::error::{Error, ErrorKind};
use crate::http::{Pacer, PacingLimit, RetryPolicy, Transport};

/// Graph API version to call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiVersion {
    #[default]
    V1,
    Beta,
}

impl ApiVersion {
    fn segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// A Graph client for one tenant. Cheap to clone; all clones share state.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) transport: Transport,
    pub(crate) tenant: String,
    /// The tenant's verified domains, fetched once (`None` inside: not readable with our roles).
    pub(crate) domains: tokio::sync::OnceCell<Option<Vec<String>>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("tenant", &self.inner.tenant)
            .field("graph", &self.inner.transport.graph_base.as_str())
            .field("credential", self.inner.transport.tokens.credential())
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct ClientBuilder {
    tenant: Option<String>,
    credential: Option<Credential>,
    cloud: Cloud,
    graph_url: Option<String>,
    authority_url: Option<String>,
    ca_cert_pem: Option<Vec<u8>>,
    timeout: Duration,
    retry: RetryPolicy,
    pacing: Option<PacingLimit>,
    api_version: ApiVersion,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            tenant: None,
            credential: None,
            cloud: Cloud::Global,
            graph_url: None,
            authority_url: None,
            ca_cert_pem: None,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            pacing: Some(PacingLimit::default()),
            api_version: ApiVersion::V1,
        }
    }
}

impl ClientBuilder {
    /// Tenant id or domain (`contoso.onmicrosoft.com`).
    pub fn tenant(mut self, t: impl Into<String>) -> Self {
        self.tenant = Some(t.into());
        self
    }
    pub fn credential(mut self, c: Credential) -> Self {
        self.credential = Some(c);
        self
    }
    pub fn cloud(mut self, c: Cloud) -> Self {
        self.cloud = c;
        self
    }
    /// Graph's base URL (scheme and host, e.g. the emulator's); `http` only for loopback.
    pub fn graph_url(mut self, u: impl Into<String>) -> Self {
        self.graph_url = Some(u.into());
        self
    }
    /// The identity platform's base URL (defaults to the cloud's, or to `graph_url` if set).
    pub fn authority_url(mut self, u: impl Into<String>) -> Self {
        self.authority_url = Some(u.into());
        self
    }
    /// An extra CA certificate (PEM) to trust, e.g. the emulator's own.
    pub fn ca_cert_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_cert_pem = Some(pem.into());
        self
    }
    /// Per-request timeout (each attempt).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    pub fn max_retries(mut self, n: usize) -> Self {
        self.retry.max_retries = n;
        self
    }
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = p;
        self
    }
    /// Client-side pacing of `/invitations`; `None` turns it off.
    pub fn invitation_pacing(mut self, p: Option<PacingLimit>) -> Self {
        self.pacing = p;
        self
    }
    pub fn api_version(mut self, v: ApiVersion) -> Self {
        self.api_version = v;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let credential = self
            .credential
            .ok_or_else(|| Error::invalid_input("credential", "is required (client secret, certificate, federated token, token or token provider)"))?;
        let tenant = self.tenant.unwrap_or_default().trim().to_string();
        if credential.needs_token_endpoint() || !tenant.is_empty() {
            check_tenant(&tenant)?;
        }
        if self.timeout.is_zero() {
            return Err(Error::invalid_input("timeout", "must be more than zero"));
        }
        let graph_root = match &self.graph_url {
            Some(u) => checked_base("graph_url", u)?,
            None => checked_base("graph_url", self.cloud.graph_host())?,
        };
        let authority = match (&self.authority_url, &self.graph_url) {
            (Some(a), _) => checked_base("authority_url", a)?,
            // The emulator serves Graph and the token endpoint on one origin.
            (None, Some(_)) => graph_root.clone(),
            (None, None) => checked_base("authority_url", self.cloud.authority_host())?,
        };
        let graph_base = Url::parse(&format!(
            "{}/{}",
            graph_root.as_str().trim_end_matches('/'),
            self.api_version.segment()
        ))
        .map_err(|e| Error::invalid_input("graph_url", e.to_string()))?;
        let http = match &self.ca_cert_pem {
            None => crate::runtime::http_client()?,
            Some(pem) => custom_http_client(pem)?,
        };
        let endpoint = TokenEndpoint {
            url: format!(
                "{}/{}/oauth2/v2.0/token",
                authority.as_str().trim_end_matches('/'),
                tenant
            ),
            scope: self.cloud.scope(),
            http: http.clone(),
            timeout: self.timeout,
        };
        let pacer = match self.pacing {
            Some(p) if !tenant.is_empty() => Pacer::for_tenant(&tenant, p),
            Some(p) => Pacer::for_tenant(graph_base.as_str(), p),
            None => Pacer::disabled(),
        };
        let transport = Transport {
            http,
            graph_base,
            tokens: Arc::new(TokenManager::new(credential, endpoint)),
            retry: self.retry,
            timeout: self.timeout,
            pacer,
            holds: Default::default(),
            throttle_events: Default::default(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                tenant,
                domains: tokio::sync::OnceCell::new(),
            }),
        })
    }
}

fn check_tenant(t: &str) -> Result<(), Error> {
    if t.is_empty() {
        return Err(Error::invalid_input(
            "tenant",
            "is required (a tenant id or domain)",
        ));
    }
    let ok = t.len() <= 253
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !ok {
        return Err(Error::invalid_input(
            "tenant",
            format!("'{t}' is not a tenant id or domain name"),
        ));
    }
    Ok(())
}

/// A base URL: https anywhere, http only to a loopback host (the emulator).
fn checked_base(field: &str, raw: &str) -> Result<Url, Error> {
    let raw = raw.trim().trim_end_matches('/');
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let mut u = Url::parse(&with_scheme)
        .map_err(|e| Error::invalid_input(field, format!("'{raw}' is not a URL ({e})")))?;
    match u.scheme() {
        "https" => {}
        "http" if is_loopback(&u) => {}
        "http" => {
            return Err(Error::invalid_input(
                field,
                format!(
                    "plain http is allowed only to a loopback host, not {}",
                    u.host_str().unwrap_or("")
                ),
            ))
        }
        s => {
            return Err(Error::invalid_input(
                field,
                format!("unsupported scheme {s}"),
            ))
        }
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(field, "has no host"));
    }
    if u.query().is_some()
        || u.fragment().is_some()
        || !u.username().is_empty()
        || u.password().is_some()
    {
        return Err(Error::invalid_input(
            field,
            "must be a plain base URL without query, fragment or credentials",
        ));
    }
    // Accept a base given with the version segment (".../v1.0"); the client adds its own.
    let path = u.path().trim_end_matches('/').to_string();
    let path = path
        .strip_suffix("/v1.0")
        .or_else(|| path.strip_suffix("/beta"))
        .unwrap_or(&path)
        .to_string();
    u.set_path(&path);
    Ok(u)
}

fn is_loopback(u: &Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn custom_http_client(pem: &[u8]) -> Result<reqwest::Client, Error> {
    let certs = reqwest::Certificate::from_pem_bundle(pem)
        .map_err(|e| Error::invalid_input("ca_cert", format!("not a PEM certificate: {e}")))?;
    if certs.is_empty() {
        return Err(Error::invalid_input("ca_cert", "holds no certificate"));
    }
    let merged = crate::runtime::http_builder()
        .tls_certs_merge(certs.clone())
        .build();
    match merged {
        Ok(c) => Ok(c),
        // Machines without a system trust store (minimal containers) still trust the given CA.
        Err(_) => crate::runtime::http_builder()
            .tls_certs_only(certs)
            .build()
            .map_err(|e| Error::new(ErrorKind::Network, format!("cannot set up TLS: {e}"))),
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Configuration from the azure-identity variables (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
    /// `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH`, `AZURE_CLIENT_CERTIFICATE_PASSWORD`,
    /// `AZURE_FEDERATED_TOKEN_FILE`, `AZURE_AUTHORITY_HOST`) plus `ENTRA_INVITE_GRAPH_URL` and
    /// `ENTRA_INVITE_CA_CERT` (a PEM file) for the emulator.
    pub fn from_env() -> Result<Client, Error> {
        crate::Settings::from_env().build()
    }

    /// The tenant this client works in.
    pub fn tenant(&self) -> &str {
        &self.inner.tenant
    }

    /// The Graph base URL in use (`https://graph.microsoft.com/v1.0`).
    pub fn graph_base(&self) -> &str {
        self.inner.transport.graph_base.as_str()
    }
}
