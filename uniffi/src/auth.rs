//! `TokenProvider`: a token source implemented in Kotlin or Swift (delegated "app + user"
//! mode, where the app already holds a user's token, or any custom way of getting one).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use entra_invite::{AccessToken, Error, TokenSource};

use crate::errors::EntraInviteError;
use crate::secret::Secret;

/// What a `TokenProvider` answers: the access token for Graph (a `Secret`, so the record never
/// prints it) and, if known, its expiry (the client then asks again shortly before it; without
/// one the token is used until Graph rejects it).
#[derive(Debug, Clone, uniffi::Record)]
pub struct ProvidedToken {
    pub token: Arc<Secret>,
    #[uniffi(default = None)]
    pub expires_on: Option<SystemTime>,
}

/// Implemented by the host program; asked for a token whenever the client needs one (at most
/// one request at a time per client; the answer is cached until shortly before `expiresOn`).
/// Throwing fails the call that needed the token.
#[uniffi::export(foreign)]
#[async_trait::async_trait]
pub trait TokenProvider: Send + Sync {
    async fn token(&self) -> Result<ProvidedToken, EntraInviteError>;
}

/// The host's provider as the core's `TokenSource`.
pub(crate) struct ForeignTokenSource(pub(crate) Arc<dyn TokenProvider>);

/// A provider that answers something unusable is a programming error: `InvalidInput`.
fn provider_error(detail: String) -> Error {
    Error::invalid_input("tokenProvider", detail)
}

impl TokenSource for ForeignTokenSource {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<AccessToken, Error>> + Send + '_>> {
        Box::pin(async move {
            // A provider that throws could not authenticate: `Auth`, keeping its explanation.
            let t = self.0.token().await.map_err(|e| {
                let d = e.details();
                Error::auth(format!("tokenProvider failed ({}): {}", d.kind, d.message))
            })?;
            let token = t.token.expose();
            let token = token.trim();
            if token.is_empty() {
                return Err(provider_error("returned an empty token".into()));
            }
            let expires_in = t
                .expires_on
                .map(|at| at.duration_since(SystemTime::now()).unwrap_or_default());
            Ok(AccessToken::new(token, expires_in))
        })
    }
}
