//! `tokenProvider`: an async JavaScript function as the core's `TokenSource`.
//!
//! `index.js` wraps the user's function so it always returns a promise of
//! `{ token, expiresOnTimestamp? }` (azure-identity's `AccessToken` shape) and never throws
//! synchronously; a rejected promise fails the call.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use entra_invite::{AccessToken, Error, TokenSource};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;
use serde_json::Value;

/// Weak: a client holding a provider does not keep Node's event loop alive.
pub(crate) type ProviderFn = ThreadsafeFunction<(), Promise<Value>, (), Status, false, true>;

pub(crate) struct JsTokenSource {
    provider: ProviderFn,
}

impl JsTokenSource {
    pub(crate) fn shared(provider: ProviderFn) -> Arc<dyn TokenSource> {
        Arc::new(JsTokenSource { provider })
    }
}

/// A provider that answers something unusable is a programming error: `InvalidInput`.
fn provider_error(message: String) -> Error {
    Error::invalid_input("tokenProvider", message)
}

/// A provider that throws could not authenticate: `Auth`, keeping its explanation.
fn provider_failed(message: String) -> Error {
    Error::auth(format!("tokenProvider {message}"))
}

fn parse(v: Value) -> std::result::Result<AccessToken, Error> {
    let token = v
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| provider_error("must resolve to a non-empty string or { token }".into()))?;
    let expires_in = match v.get("expiresOnTimestamp") {
        None | Some(Value::Null) => None,
        Some(n) => {
            let ms = n.as_f64().ok_or_else(|| {
                provider_error("expiresOnTimestamp must be a number of milliseconds".into())
            })?;
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
            Some(Duration::from_secs_f64(((ms - now) / 1000.0).max(0.0)))
        }
    };
    Ok(AccessToken::new(token.trim(), expires_in))
}

impl TokenSource for JsTokenSource {
    fn token(
        &self,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<AccessToken, Error>> + Send + '_>> {
        Box::pin(async move {
            let promise = self
                .provider
                .call_async(())
                .await
                .map_err(|e| provider_error(format!("could not be called: {}", e.reason)))?;
            let v = promise
                .await
                .map_err(|e| provider_failed(format!("failed: {}", e.reason)))?;
            parse(v)
        })
    }
}
