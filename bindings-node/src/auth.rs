//! `tokenProvider`: an async JavaScript function as the core's `TokenSource`.
//!
//! `index.js` wraps the user's function so it always returns a promise of a `TokenAnswer`
//! (azure-identity's `AccessToken` shape) and never throws synchronously; a rejected promise
//! fails the call.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use entra_invite::{AccessToken, Error, TokenSource};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;
use napi_derive::napi;

/// What a `tokenProvider` may resolve to (the shape of azure-identity's `AccessToken`).
#[napi(object, object_to_js = false)]
pub struct TokenAnswer {
    pub token: String,
    /// Expiry in milliseconds since the epoch; without it the token is kept until Graph
    /// rejects it.
    pub expires_on_timestamp: Option<f64>,
}

/// Weak: a client holding a provider does not keep Node's event loop alive.
pub(crate) type ProviderFn = ThreadsafeFunction<(), Promise<TokenAnswer>, (), Status, false, true>;

pub(crate) struct JsTokenSource(ProviderFn);

impl JsTokenSource {
    pub(crate) fn shared(provider: ProviderFn) -> Arc<dyn TokenSource> {
        Arc::new(JsTokenSource(provider))
    }
}

impl TokenSource for JsTokenSource {
    fn token(
        &self,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<AccessToken, Error>> + Send + '_>> {
        Box::pin(async move {
            let promise = self.0.call_async(()).await.map_err(|e| {
                Error::invalid_input(
                    "tokenProvider",
                    format!("could not be called: {}", e.reason),
                )
            })?;
            // A provider that throws could not authenticate: `Auth`, keeping its explanation.
            let answer = promise
                .await
                .map_err(|e| Error::auth(format!("tokenProvider failed: {}", e.reason)))?;
            let token = answer.token.trim();
            if token.is_empty() {
                return Err(Error::invalid_input(
                    "tokenProvider",
                    "resolved to an empty token",
                ));
            }
            let expires_in = answer.expires_on_timestamp.map(|ms| {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
                Duration::from_secs_f64(((ms - now) / 1000.0).clamp(0.0, 1e9))
            });
            Ok(AccessToken::new(token, expires_in))
        })
    }
}
