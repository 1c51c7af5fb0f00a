//! The outermost layer: request ids, Graph's response headers, rendering of error bodies,
//! counters and the request log.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue};
use serde_json::json;

use crate::graph_error::PendingError;
use crate::reply::GRAPH_JSON;
use crate::state::AppState;
use crate::sync::lock;

/// Ids of the request being served; handlers that build their own bodies read it.
#[derive(Debug, Clone)]
pub struct ReqCtx {
    pub request_id: String,
    pub client_request_id: String,
}

/// The matched route template, carried out on the response for the counters.
#[derive(Debug, Clone)]
pub struct RouteKey(pub String);

const DIAGNOSTIC: &str = r#"{"ServerInfo":{"DataCenter":"Local Emulator","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"EMULATOR0"}}"#;

pub async fn outer(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = req
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 256)
        .map(str::to_string)
        .unwrap_or_else(|| request_id.clone());
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    req.extensions_mut().insert(ReqCtx {
        request_id: request_id.clone(),
        client_request_id: client_request_id.clone(),
    });

    let mut resp = next.run(req).await;

    if let Some(p) = resp.extensions_mut().remove::<PendingError>() {
        let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
        let body = json!({"error": {
            "code": p.code,
            "message": p.message,
            "innerError": {"date": date, "request-id": request_id, "client-request-id": client_request_id}
        }});
        *resp.body_mut() = Body::from(serde_json::to_vec(&body).unwrap_or_default());
        resp.headers_mut().remove(http::header::CONTENT_LENGTH);
        resp.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(GRAPH_JSON),
        );
    }

    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert(HeaderName::from_static("request-id"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&client_request_id) {
        h.insert(HeaderName::from_static("client-request-id"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(std::time::SystemTime::now())) {
        h.insert(http::header::DATE, v);
    }
    h.insert(
        HeaderName::from_static("odata-version"),
        HeaderValue::from_static("4.0"),
    );
    h.insert(
        HeaderName::from_static("x-ms-ags-diagnostic"),
        HeaderValue::from_static(DIAGNOSTIC),
    );
    if let Ok(v) = HeaderValue::from_str(&started.elapsed().as_millis().to_string()) {
        h.insert(HeaderName::from_static("duration"), v);
    }

    let status = resp.status().as_u16();
    if !path.starts_with("/_emulator") {
        let route = resp
            .extensions()
            .get::<RouteKey>()
            .map(|r| r.0.clone())
            .unwrap_or_else(|| path.clone());
        let outcome = if resp
            .extensions()
            .get::<crate::fault_layer::DropConnection>()
            .is_some()
        {
            "dropped".to_string()
        } else {
            status.to_string()
        };
        lock(&app.counters).record(&method, &route, &outcome);
    }
    tracing::info!(
        target: "graph_emulator::request",
        %method,
        %path,
        status,
        ms = started.elapsed().as_millis() as u64,
        %request_id,
        "request"
    );
    resp
}

/// Route layer: copies the matched route template onto the response.
pub async fn mark_route(req: Request, next: Next) -> Response {
    let key = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let mut resp = next.run(req).await;
    if let Some(k) = key {
        resp.extensions_mut().insert(RouteKey(k));
    }
    resp
}
