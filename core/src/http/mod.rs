//! Every Graph call goes through `Transport::send`: auth, correlation ids, pacing, retries.

mod graph_error;
mod hold;
mod pacing;
mod retry;

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;
use serde_json::Value;
use url::Url;

pub(crate) use graph_error::retry_after as retry_after_header;
pub(crate) use hold::Holds;
pub(crate) use pacing::Pacer;
pub use pacing::PacingLimit;
pub use retry::{parse_retry_after, RetryPolicy};

/// The typed error for a Graph answer with this status and body (no headers). Public for
/// fuzzing and for tools that replay captured answers.
#[doc(hidden)]
pub fn error_from_answer(status: u16, body: &[u8]) -> Error {
    graph_error::from_response(status, &HeaderMap::new(), body)
}

use crate::auth::{Secret, SharedTokens};
use crate::error::{Error, ErrorKind};

/// One Graph call, before auth and retries.
pub(crate) struct GraphRequest {
    pub method: Method,
    pub url: Url,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
    /// `POST /invitations` is not: a resend may email again and void the last redeem URL.
    pub idempotent: bool,
    /// Counts against the `/invitations` bucket.
    pub paced: bool,
}

pub(crate) struct GraphResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
    /// A 2xx to a non-idempotent request: Graph carried it out, so an unreadable body must not
    /// read as "nothing happened".
    pub acted: bool,
}

impl GraphResponse {
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::new(
                ErrorKind::Protocol,
                format!("Graph's answer could not be read: {e}"),
            )
            .with_status(self.status)
            .with_ids(
                graph_error::header(&self.headers, "request-id"),
                graph_error::header(&self.headers, "client-request-id"),
                graph_error::header(&self.headers, "date"),
            )
            .with_maybe_applied(self.acted)
        })
    }
}

pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// `https://graph.microsoft.com/v1.0` or the emulator's equivalent, without trailing slash.
    pub(crate) graph_base: Url,
    pub(crate) tokens: SharedTokens,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) pacer: Pacer,
    /// Retry-After waits that hold back every later request of the same kind.
    pub(crate) holds: Holds,
    /// 429s seen: bulk runs watch it to shrink their concurrency.
    pub(crate) throttle_events: std::sync::atomic::AtomicU64,
}

/// What one attempt ended with.
enum Attempt {
    Done(GraphResponse),
    /// Retry after this long (at least), with the error to report if we may not.
    Retry(Option<Duration>, Error),
    Fail(Error),
}

impl Transport {
    /// `{graph_base}/{path}` where `path` is already encoded (see `odata`).
    pub(crate) fn url(&self, path_and_query: &str) -> Result<Url, Error> {
        let s = format!(
            "{}/{}",
            self.graph_base.as_str().trim_end_matches('/'),
            path_and_query.trim_start_matches('/')
        );
        Url::parse(&s).map_err(|e| Error::internal(format!("bad Graph URL built: {e}")))
    }

    /// Whether `u` is on the configured Graph origin (tokens go nowhere else).
    pub(crate) fn same_origin(&self, u: &Url) -> bool {
        u.origin() == self.graph_base.origin()
    }

    pub(crate) async fn send(&self, req: GraphRequest) -> Result<GraphResponse, Error> {
        if !self.same_origin(&req.url) {
            return Err(Error::new(
                ErrorKind::Protocol,
                format!(
                    "refusing to send a token to {}: not the Graph origin",
                    req.url.origin().ascii_serialization()
                ),
            ));
        }
        let started = Instant::now();
        let mut backoff = self.retry.backoff();
        let mut attempt: usize = 0;
        let mut refreshed_token = false;
        loop {
            self.wait_out_holds(&req, started).await?;
            if req.paced {
                self.pacer.acquire().await;
                // A 429 may have come in while this call queued for a permit.
                self.wait_out_holds(&req, started).await?;
            }
            let token = self.tokens.token().await?;
            let outcome = self.attempt(&req, &token, attempt).await;
            let (wait, err) = match outcome {
                Attempt::Done(r) => return Ok(r),
                Attempt::Fail(e) => {
                    // A rejected token is refreshed once: the server did not act on the call.
                    if e.kind() == ErrorKind::Auth
                        && e.code() == Some("InvalidAuthenticationToken")
                        && !refreshed_token
                        && self.tokens.invalidate(&token).await
                    {
                        refreshed_token = true;
                        continue;
                    }
                    return Err(e);
                }
                Attempt::Retry(wait, e) => (wait, e),
            };
            attempt += 1;
            let delay = match wait {
                Some(d) => d,
                None => backoff.next().unwrap_or(self.retry.max_backoff),
            };
            if attempt > self.retry.max_retries || started.elapsed() + delay > self.retry.budget {
                return Err(e_with_wait(err, wait));
            }
            tracing::debug!(attempt, ?delay, kind = %err.kind(), "retrying Graph call");
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt(&self, req: &GraphRequest, token: &Secret, attempt: usize) -> Attempt {
        let client_request_id = uuid::Uuid::new_v4().to_string();
        let mut b = self
            .http
            .request(req.method.clone(), req.url.clone())
            .timeout(self.timeout)
            .bearer_auth(token.expose())
            .header("client-request-id", &client_request_id)
            .header("Accept", "application/json");
        if attempt > 0 {
            b = b.header("Retry-Attempt", attempt.to_string());
        }
        for (k, v) in &req.headers {
            if let Ok(v) = HeaderValue::from_str(v) {
                b = b.header(*k, v);
            }
        }
        if let Some(body) = &req.body {
            b = b.json(body);
        }
        let resp = match b.send().await {
            Ok(r) => r,
            Err(e) => return self.transport_failure(req, e, &client_request_id),
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = match resp.bytes().await {
            Ok(b) => b,
            Err(e) => {
                // The server answered, so for a POST it has acted; the body just did not arrive.
                let err = Error::network(format!(
                    "Graph's answer was cut short: {}",
                    crate::auth::without_url(e)
                ))
                .with_status(status)
                .with_maybe_applied(!req.idempotent)
                .with_ids(
                    graph_error::header(&headers, "request-id"),
                    Some(client_request_id),
                    None,
                );
                return if req.idempotent {
                    Attempt::Retry(None, err)
                } else {
                    Attempt::Fail(err)
                };
            }
        };
        if (200..300).contains(&status) {
            return Attempt::Done(GraphResponse {
                status,
                headers,
                body,
                acted: !req.idempotent,
            });
        }
        let err = graph_error::from_response(status, &headers, &body);
        let wait = err.retry_after();
        if let (429 | 503, Some(w)) = (status, wait) {
            self.holds.hold(req.paced, w);
        }
        match status {
            // Throttled requests were not carried out, so even a POST may be resent.
            429 => {
                self.throttle_events
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Attempt::Retry(wait, err)
            }
            503 | 504 if req.idempotent => Attempt::Retry(wait, err),
            500 | 502 if req.idempotent => Attempt::Retry(wait, err),
            // A 5xx to a POST may hide a created invitation: report it, never resend blindly.
            s if s >= 500 => Attempt::Fail(err.with_maybe_applied(!req.idempotent)),
            _ => Attempt::Fail(err),
        }
    }

    /// Waits until no Retry-After holds this kind of request back, or fails at once as
    /// `Throttled` when the wait would overrun the call's time budget (never sleeps for hours).
    async fn wait_out_holds(&self, req: &GraphRequest, started: Instant) -> Result<(), Error> {
        while let Some(left) = self.holds.remaining(req.paced) {
            if started.elapsed() + left > self.retry.budget {
                return Err(Error::new(
                    ErrorKind::Throttled,
                    format!(
                        "Graph asked this client to wait {}s before its next request",
                        left.as_secs_f64().ceil()
                    ),
                )
                .with_retry_after(Some(left)));
            }
            tokio::time::sleep(left).await;
        }
        Ok(())
    }

    fn transport_failure(
        &self,
        req: &GraphRequest,
        e: reqwest::Error,
        client_request_id: &str,
    ) -> Attempt {
        let connect = e.is_connect();
        let timeout = e.is_timeout();
        let text = crate::auth::without_url(e);
        let kind = if timeout {
            ErrorKind::Timeout
        } else {
            ErrorKind::Network
        };
        let err = Error::new(kind, format!("Graph request failed: {text}")).with_ids(
            None,
            Some(client_request_id.to_string()),
            None,
        );
        if connect && !timeout {
            // Nothing reached the server: safe to resend whatever the method.
            return Attempt::Retry(None, err);
        }
        if req.idempotent {
            Attempt::Retry(None, err)
        } else {
            Attempt::Fail(err.with_maybe_applied(true))
        }
    }
}

fn e_with_wait(err: Error, wait: Option<Duration>) -> Error {
    if err.retry_after().is_none() {
        err.with_retry_after(wait)
    } else {
        err
    }
}
