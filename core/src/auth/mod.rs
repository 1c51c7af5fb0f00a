//! Credentials and the token cache: one refresh for all concurrent callers, early refresh,
//! and a forced refresh when Graph rejects a token.

mod certificate;
mod credential;
mod secret;
mod token_endpoint;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, RwLock};

pub use certificate::{AssertionAlgorithm, CertificateKey};
pub use credential::{Credential, TokenSource};
pub use secret::Secret;

use crate::error::Error;
use credential::Kind;
pub(crate) use token_endpoint::{without_url, TokenEndpoint};

/// An access token and when it stops working.
#[derive(Clone)]
pub struct AccessToken {
    pub(crate) token: Secret,
    pub(crate) expires_at: Option<Instant>,
    /// When to fetch a new one: 5 minutes before expiry, or at half-life for short tokens.
    pub(crate) refresh_at: Option<Instant>,
}

impl AccessToken {
    pub fn new(token: impl Into<String>, expires_in: Option<Duration>) -> Self {
        let now = Instant::now();
        AccessToken {
            token: Secret::new(token),
            expires_at: expires_in.map(|d| now + d),
            refresh_at: expires_in.map(|d| now + d.saturating_sub(EARLY_REFRESH).max(d / 2)),
        }
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"***")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Refresh this long before expiry so no request leaves with a token about to die.
const EARLY_REFRESH: Duration = Duration::from_secs(300);

pub(crate) struct TokenManager {
    credential: Credential,
    endpoint: TokenEndpoint,
    cached: RwLock<Option<AccessToken>>,
    refreshing: Mutex<()>,
}

impl TokenManager {
    pub(crate) fn new(credential: Credential, endpoint: TokenEndpoint) -> Self {
        TokenManager {
            credential,
            endpoint,
            cached: RwLock::new(None),
            refreshing: Mutex::new(()),
        }
    }

    fn fresh(t: &AccessToken) -> bool {
        t.refresh_at.is_none_or(|at| Instant::now() < at)
    }

    /// A valid token, fetching one if needed; concurrent callers share one fetch.
    pub(crate) async fn token(&self) -> Result<Secret, Error> {
        if let Some(t) = self.cached.read().await.as_ref() {
            if Self::fresh(t) {
                return Ok(t.token.clone());
            }
        }
        let _one = self.refreshing.lock().await;
        // Someone else may have refreshed while we waited.
        if let Some(t) = self.cached.read().await.as_ref() {
            if Self::fresh(t) {
                return Ok(t.token.clone());
            }
        }
        let t = self.fetch().await?;
        let s = t.token.clone();
        *self.cached.write().await = Some(t);
        Ok(s)
    }

    /// Graph said `rejected` is invalid: drop it so the next `token()` fetches a new one.
    /// Returns false when a new token cannot help (a fixed token).
    pub(crate) async fn invalidate(&self, rejected: &Secret) -> bool {
        if matches!(self.credential.kind, Kind::AccessToken(_)) {
            return false;
        }
        let mut c = self.cached.write().await;
        if c.as_ref().is_some_and(|t| &t.token == rejected) {
            *c = None;
        }
        true
    }

    async fn fetch(&self) -> Result<AccessToken, Error> {
        match &self.credential.kind {
            Kind::AccessToken(t) => Ok(AccessToken {
                token: t.clone(),
                expires_at: None,
                refresh_at: None,
            }),
            Kind::Callback(cb) => cb.token().await,
            Kind::ClientSecret { client_id, secret } => {
                self.endpoint
                    .request(client_id, &[("client_secret", secret.expose())])
                    .await
            }
            Kind::Certificate {
                client_id,
                key,
                algorithm,
            } => {
                let assertion = key.assertion(client_id, &self.endpoint.url, *algorithm)?;
                self.endpoint
                    .request_with_assertion(client_id, &assertion)
                    .await
            }
            Kind::WorkloadIdentity { client_id, file } => {
                let assertion = file.read().await?;
                self.endpoint
                    .request_with_assertion(client_id, assertion.expose())
                    .await
            }
        }
    }

    pub(crate) fn credential(&self) -> &Credential {
        &self.credential
    }
}

impl std::fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenManager")
            .field("credential", &self.credential)
            .finish()
    }
}

pub(crate) type SharedTokens = Arc<TokenManager>;
