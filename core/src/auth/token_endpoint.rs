//! The Microsoft identity platform's client-credentials token request, and its AADSTS errors.

use std::time::Duration;

use serde::Deserialize;

use super::AccessToken;
use crate::error::{Error, ErrorKind};

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const TOKEN_ATTEMPTS: u32 = 3;
const MAX_TOKEN_WAIT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub(crate) struct TokenEndpoint {
    /// `{authority}/{tenant}/oauth2/v2.0/token`; also the `aud` of client assertions.
    pub(crate) url: String,
    pub(crate) scope: String,
    pub(crate) http: reqwest::Client,
    pub(crate) timeout: Duration,
}

#[derive(Deserialize)]
struct TokenOk {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct TokenErr {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    error_codes: Vec<u32>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    correlation_id: Option<String>,
}

impl TokenEndpoint {
    /// One token request, retried a few times when the identity platform is unreachable,
    /// throttled or failing (never when it refuses the credential).
    pub(crate) async fn request(
        &self,
        client_id: &str,
        extra: &[(&str, &str)],
    ) -> Result<AccessToken, Error> {
        let mut last: Option<Error> = None;
        for attempt in 0..TOKEN_ATTEMPTS {
            if let Some(wait) = last.as_ref().and_then(Error::retry_after) {
                tokio::time::sleep(wait.min(MAX_TOKEN_WAIT)).await;
            } else if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(250 << attempt)).await;
            }
            match self.request_once(client_id, extra).await {
                Ok(t) => return Ok(t),
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::Network | ErrorKind::Service | ErrorKind::Throttled
                    ) =>
                {
                    last = Some(e)
                }
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::internal("token request: no attempt made")))
    }

    async fn request_once(
        &self,
        client_id: &str,
        extra: &[(&str, &str)],
    ) -> Result<AccessToken, Error> {
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("scope", &self.scope),
        ];
        form.extend_from_slice(extra);
        let resp = self
            .http
            .post(&self.url)
            .timeout(self.timeout)
            .form(&form)
            .send()
            .await
            .map_err(|e| {
                let kind = if e.is_timeout() {
                    ErrorKind::Timeout
                } else {
                    ErrorKind::Network
                };
                // reqwest errors never include the form body, so no secret leaks here.
                Error::new(
                    kind,
                    format!("token endpoint unreachable: {}", without_url(e)),
                )
            })?;
        let status = resp.status().as_u16();
        let retry_after = crate::http::retry_after_header(resp.headers());
        let bytes = resp.bytes().await.map_err(|e| {
            Error::network(format!(
                "token endpoint answer cut short: {}",
                without_url(e)
            ))
        })?;
        if (200..300).contains(&status) {
            let ok: TokenOk = serde_json::from_slice(&bytes).map_err(|e| {
                Error::new(
                    ErrorKind::Protocol,
                    format!("token endpoint answer is not a token: {e}"),
                )
            })?;
            let secs = match ok.expires_in {
                Some(serde_json::Value::Number(n)) => n.as_u64(),
                Some(serde_json::Value::String(s)) => s.parse().ok(),
                _ => None,
            };
            return Ok(AccessToken::new(
                ok.access_token,
                Some(Duration::from_secs(secs.unwrap_or(3599))),
            ));
        }
        let err: TokenErr = serde_json::from_slice(&bytes).unwrap_or_default();
        let desc = err
            .error_description
            .unwrap_or_else(|| format!("token endpoint answered HTTP {status}"));
        // AADSTS descriptions carry trace lines after the first; the first says what is wrong.
        let first = desc.lines().next().unwrap_or_default().to_string();
        let kind = match status {
            429 => ErrorKind::Throttled,
            s if s >= 500 => ErrorKind::Service,
            _ => ErrorKind::Auth,
        };
        Err(Error::new(kind, first)
            .with_status(status)
            .with_code(err.error.unwrap_or_else(|| "token_error".into()))
            .with_aadsts(err.error_codes.first().copied())
            .with_ids(err.trace_id, err.correlation_id, None)
            .with_retry_after(retry_after))
    }

    pub(crate) async fn request_with_assertion(
        &self,
        client_id: &str,
        assertion: &str,
    ) -> Result<AccessToken, Error> {
        self.request(
            client_id,
            &[
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", assertion),
            ],
        )
        .await
    }
}

/// A reqwest error with its causes, minus the URL (it may carry query values).
pub(crate) fn without_url(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut s = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
