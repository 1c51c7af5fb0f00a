//! What handlers read from a request: the Graph version, the client's own origin, the
//! bearer token, bounded bodies and query pairs. Routes and layers share these, so they
//! live here rather than in any one route.

use axum::body::Body;
use axum::extract::MatchedPath;
use http::request::Parts;

use crate::graph_error::GraphError;
use crate::jwt::AccessClaims;
use crate::state::AppState;

/// Largest request body read, as Graph's own limit for JSON payloads is 4 MB.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// `v1.0` or `beta`, from the path the client sent.
pub fn version(parts: &Parts) -> &'static str {
    // The matched route keeps the nest prefix even though the URI has it stripped.
    let path = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str())
        .unwrap_or("");
    if path.starts_with("/beta") {
        "beta"
    } else {
        "v1.0"
    }
}

/// The base URL as the client addressed us (so nextLinks stay on the client's origin).
pub fn public_base(app: &AppState, parts: &Parts) -> String {
    let scheme = if app.https { "https" } else { "http" };
    match parts
        .headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
    {
        Some(host) => format!("{scheme}://{host}"),
        None => parts
            .uri
            .authority()
            .map(|a| format!("{scheme}://{a}"))
            .unwrap_or_else(|| app.base_url()),
    }
}

/// The claims of the request's bearer token.
pub fn authorize(parts: &Parts) -> Result<AccessClaims, GraphError> {
    let header = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{1}invalid"));
    crate::jwt::validate(header)
}

/// Whether the client sent `ConsistencyLevel: eventual` (advanced queries, `$search`).
pub fn eventual(parts: &Parts) -> bool {
    parts
        .headers
        .get("consistencylevel")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("eventual"))
}

/// Reads a JSON body: the content type must say JSON, gzip is refused as Graph does, and
/// the size is bounded.
pub async fn read_json(parts: &Parts, body: Body) -> Result<serde_json::Value, GraphError> {
    let ct = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !ct.starts_with("application/json") {
        return Err(GraphError::unreadable_json());
    }
    if parts.headers.contains_key(http::header::CONTENT_ENCODING) {
        return Err(GraphError::unreadable_json());
    }
    let bytes = read_body(body).await?;
    serde_json::from_slice(&bytes).map_err(|_| GraphError::unreadable_json())
}

/// Reads a body within [`BODY_LIMIT`] and 30 s, so neither a huge nor a stalled body can
/// tie up a request.
pub async fn read_body(body: Body) -> Result<bytes::Bytes, GraphError> {
    match tokio::time::timeout(
        std::time::Duration::from_secs(30),
        axum::body::to_bytes(body, BODY_LIMIT),
    )
    .await
    {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(_)) => Err(GraphError::too_large()),
        Err(_) => Err(GraphError::new(
            408,
            "RequestTimeout",
            "The request body was not received in time.",
        )),
    }
}

/// Query pairs as (decoded key, decoded value, raw pair) for handlers that must keep the
/// client's own encoding when building nextLinks.
pub fn query_pairs(parts: &Parts) -> Vec<(String, String, String)> {
    let Some(q) = parts.uri.query() else {
        return Vec::new();
    };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|raw| {
            let (k, v) = raw.split_once('=').unwrap_or((raw, ""));
            (form_decode(k), form_decode(v), raw.to_string())
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus)
        .decode_utf8_lossy()
        .into_owned()
}
