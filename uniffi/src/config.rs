//! `ClientOptions`: the client options of every binding (Python's keyword arguments, Node's
//! options object), mapped one to one onto the core's `Settings`, which interprets them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use entra_invite::Settings;

use crate::auth::{ForeignTokenSource, TokenProvider};
use crate::secret::Secret;

/// Give one credential: `clientSecret`, `certificatePath`, `federatedTokenFile`, `token` or
/// `tokenProvider` (the first three with `clientId`, all app credentials with `tenant`).
/// Secret values are `Secret` objects, so printing a configuration never shows them.
#[derive(uniffi::Record)]
pub struct ClientOptions {
    /// Tenant id or domain (`contoso.onmicrosoft.com`).
    #[uniffi(default = None)]
    pub tenant: Option<String>,
    #[uniffi(default = None)]
    pub client_id: Option<String>,
    #[uniffi(default = None)]
    pub client_secret: Option<Arc<Secret>>,
    /// PEM or PKCS#12 file with the app's certificate and key.
    #[uniffi(default = None)]
    pub certificate_path: Option<String>,
    /// The password of a PKCS#12 certificate file.
    #[uniffi(default = None)]
    pub certificate_password: Option<Arc<Secret>>,
    /// Workload identity: the file holding the federated token.
    #[uniffi(default = None)]
    pub federated_token_file: Option<String>,
    /// An access token obtained elsewhere, used as is.
    #[uniffi(default = None)]
    pub token: Option<Arc<Secret>>,
    /// Asked for a token whenever one is needed (delegated mode).
    #[uniffi(default = None)]
    pub token_provider: Option<Arc<dyn TokenProvider>>,
    /// `Global` (default), `UsGovL4`, `UsGovL5`, `China`.
    #[uniffi(default = None)]
    pub cloud: Option<String>,
    /// Graph's base URL, e.g. the emulator's (`http` only for loopback).
    #[uniffi(default = None)]
    pub graph_url: Option<String>,
    #[uniffi(default = None)]
    pub authority_url: Option<String>,
    /// A PEM file with an extra CA certificate to trust.
    #[uniffi(default = None)]
    pub ca_cert: Option<String>,
    /// The extra CA certificate itself (wins over `caCert`).
    #[uniffi(default = None)]
    pub ca_cert_pem: Option<String>,
    /// Per-request timeout (default 30 s).
    #[uniffi(default = None)]
    pub timeout: Option<Duration>,
    /// Retries of throttled or failed requests.
    #[uniffi(default = None)]
    pub max_retries: Option<u32>,
    /// Client-side pace of invitations per 5 s (default 150, Graph's limit); 0 turns it off.
    #[uniffi(default = None)]
    pub invitations_per5s: Option<u32>,
}

impl From<ClientOptions> for Settings {
    fn from(c: ClientOptions) -> Self {
        Settings {
            tenant: c.tenant,
            client_id: c.client_id,
            client_secret: c.client_secret.map(|s| s.expose()),
            certificate_path: c.certificate_path.map(PathBuf::from),
            certificate_password: c.certificate_password.map(|s| s.expose()),
            federated_token_file: c.federated_token_file.map(PathBuf::from),
            token: c.token.map(|s| s.expose()),
            token_source: c
                .token_provider
                .map(|p| Arc::new(ForeignTokenSource(p)) as Arc<dyn entra_invite::TokenSource>),
            cloud: c.cloud,
            graph_url: c.graph_url,
            authority_url: c.authority_url,
            ca_cert: c.ca_cert.map(PathBuf::from),
            ca_cert_pem: c.ca_cert_pem,
            timeout: c.timeout,
            max_retries: c.max_retries.map(|n| n as usize),
            invitations_per_5s: c.invitations_per5s,
        }
    }
}
