//! The layer that applies faults: latency, early-retry detection, scripted and random
//! answers, dropped connections and the throttling buckets.

use std::hash::{Hash, Hasher};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::{Decision, RetryAfterFormat};
use crate::graph_error::GraphError;
use crate::state::AppState;
use crate::sync::lock;
use crate::throttle::{format_retry_after, parse_retry_after, throttle_headers};

/// Response marker: the server closes the connection instead of answering.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// Request marker for `$batch` items (a dropped item answers 504 instead).
#[derive(Debug, Clone, Copy)]
pub struct BatchItem;

fn dropped() -> Response {
    let mut r = GraphError::for_status(504, None).into_response();
    r.extensions_mut().insert(DropConnection);
    r
}

/// A scripted answer whose body is sent as given (malformed or truncated JSON on purpose).
fn verbatim(status: u16, retry_after: Option<String>, body: String) -> Response {
    let status = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    if let Some(v) = retry_after.and_then(|v| http::HeaderValue::from_str(&v).ok()) {
        h.insert(http::header::RETRY_AFTER, v);
    }
    r
}

/// Keeps the real status and headers but sends only half of the body, then fails the body
/// stream so the server aborts the connection mid-response.
async fn cut_mid_body(resp: Response) -> Response {
    if resp
        .extensions()
        .get::<crate::graph_error::PendingError>()
        .is_some()
    {
        // Error bodies are rendered later; cut before the response instead.
        return dropped();
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(http::header::CONTENT_LENGTH);
    // The pause lets hyper flush the head and the first half before the failure aborts.
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok(half), 1)),
                1 => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    Some((
                        Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionAborted,
                            "connection dropped mid-response by fault injection",
                        )),
                        2,
                    ))
                }
                _ => None,
            }
        }
    });
    Response::from_parts(parts, axum::body::Body::from_stream(stream))
}

/// `invitations` or `users` for `/v1.0/invitations…` and `/beta/users…`.
fn workload(path: &str) -> Option<&'static str> {
    let rest = path
        .strip_prefix("/v1.0/")
        .or_else(|| path.strip_prefix("/beta/"))?;
    let seg = rest.split('/').next().unwrap_or("");
    match seg {
        "invitations" => Some("invitations"),
        "users" => Some("users"),
        _ => None,
    }
}

/// Adds the `x-ms-throttle-*` headers to a throttled answer.
fn stamp_throttle(resp: &mut Response, method: &str, path: &str, auth: Option<&str>) {
    for (name, value) in throttle_headers(method, workload(path), auth)
        .into_iter()
        .flatten()
    {
        if let Ok(v) = http::HeaderValue::from_str(&value) {
            resp.headers_mut()
                .insert(http::HeaderName::from_static(name), v);
        }
    }
}

pub async fn apply(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_emulator") {
        return next.run(req).await;
    }
    let method = req.method().as_str().to_string();
    let graph = path.starts_with("/v1.0/") || path.starts_with("/beta/");
    let auth = req
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // A retry is the same request again: same token, method, URL and body. Other requests on
    // the route (another invitee, another page) are not retries, whatever their timing.
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, crate::request::BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return GraphError::new(
                413,
                "RequestEntityTooLarge",
                "The request body is too large.",
            )
            .into_response()
        }
    };
    let early_key = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        auth.hash(&mut h);
        body.hash(&mut h);
        let uri = parts
            .uri
            .path_and_query()
            .map_or(path.as_str(), |p| p.as_str());
        format!("{:x}|{method} {uri}", h.finish())
    };
    let req = Request::from_parts(parts, axum::body::Body::from(body));

    // An early retry is refused before anything else: it must not use up scripted faults.
    if graph {
        let early = lock(&app.throttler).early(&early_key);
        if let Some(wait) = early {
            lock(&app.counters).early_retries += 1;
            let format = lock(&app.faults)
                .faults
                .throttle
                .as_ref()
                .map(|t| t.retry_after)
                .unwrap_or(RetryAfterFormat::Integer);
            let mut resp = GraphError::throttled(format_retry_after(format, wait)).into_response();
            stamp_throttle(&mut resp, &method, &path, auth.as_deref());
            return resp;
        }
    }

    let (latency, decision, format, rule) = {
        let mut f = lock(&app.faults);
        let latency = f.latency();
        let decision = f.decide(&method, &path, graph);
        let throttle = f.faults.throttle.clone();
        let format = throttle
            .as_ref()
            .map(|t| t.retry_after)
            .unwrap_or(RetryAfterFormat::Integer);
        let rule = match (workload(&path), throttle) {
            (Some("invitations"), Some(t)) => t.invitations.map(|b| ("invitations", b)),
            (Some("users"), Some(t)) => t.users.map(|b| ("users", b)),
            _ => None,
        };
        (latency, decision, format, rule)
    };
    if let Some(d) = latency {
        tokio::time::sleep(d).await;
    }

    let resp = match decision {
        Decision::Pass => {
            let throttled = match (&rule, graph) {
                (Some((wl, bucket)), true) => match crate::jwt::peek_tid(auth.as_deref()) {
                    Some(tid) => lock(&app.throttler).take(&tid, wl, bucket).err(),
                    None => None,
                },
                _ => None,
            };
            match throttled {
                Some(wait) => {
                    GraphError::throttled(format_retry_after(format, wait)).into_response()
                }
                None => next.run(req).await,
            }
        }
        Decision::Scripted {
            mid_response: true, ..
        } => cut_mid_body(next.run(req).await).await,
        Decision::Scripted {
            status,
            retry_after,
            act_first,
            drop,
            body,
            ..
        } => {
            if act_first {
                let _ = next.run(req).await;
            }
            if drop {
                dropped()
            } else if let Some(body) = body {
                verbatim(status, retry_after, body)
            } else {
                GraphError::for_status(status, retry_after).into_response()
            }
        }
        Decision::Random(status) => {
            let ra = if status == 429 || status == 503 {
                format_retry_after(format, std::time::Duration::from_secs(1))
            } else {
                None
            };
            GraphError::for_status(status, ra).into_response()
        }
        Decision::Drop => dropped(),
    };

    let mut resp = resp;
    let status = resp.status().as_u16();
    if graph && status == 429 {
        stamp_throttle(&mut resp, &method, &path, auth.as_deref());
    }
    if graph && (status == 429 || status == 503) {
        let wait = resp
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        if let Some(wait) = wait {
            lock(&app.throttler).remember(early_key, wait);
        }
    }
    resp
}
