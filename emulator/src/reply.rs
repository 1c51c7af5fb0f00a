//! Building answers: JSON bodies with Graph's or a plain content type, and the answer of a
//! handler that may fail with a [`GraphError`] (whose body the header layer renders).

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};

use crate::graph_error::GraphError;

/// Graph's JSON content type, as sent on every Graph JSON body.
pub const GRAPH_JSON: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// A Graph JSON response.
pub fn graph_json(status: StatusCode, value: &serde_json::Value) -> Response {
    json_with_type(status, value, GRAPH_JSON)
}

/// Plain JSON (control API, token endpoint).
pub fn plain_json(status: StatusCode, value: &serde_json::Value) -> Response {
    json_with_type(status, value, "application/json; charset=utf-8")
}

fn json_with_type(
    status: StatusCode,
    value: &serde_json::Value,
    content_type: &'static str,
) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    resp
}

/// The answer of a fallible handler: axum renders the error as [`respond`] does.
pub type Reply = Result<Response, GraphError>;

/// Runs a fallible handler body.
pub fn respond(r: Result<Response, GraphError>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}
