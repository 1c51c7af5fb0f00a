//! Graph's error shape. Handlers return a `GraphError`; the header layer fills in
//! `innerError {date, request-id, client-request-id}` once the ids are known.

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode};

use crate::odata::ODataError;

#[derive(Debug, Clone)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub retry_after: Option<String>,
}

/// Marker left in the response extensions; the header layer renders the body.
#[derive(Debug, Clone)]
pub struct PendingError {
    pub code: String,
    pub message: String,
}

impl GraphError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        GraphError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.to_string(),
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn with_retry_after(mut self, retry_after: Option<String>) -> Self {
        self.retry_after = retry_after;
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// The text Graph gives for bodies it cannot read as JSON.
    pub fn unreadable_json() -> Self {
        Self::bad_request(
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )
    }

    pub fn too_large() -> Self {
        Self::new(
            413,
            "RequestEntityTooLarge",
            "The request body exceeds the maximum size allowed.",
        )
    }

    pub fn user_not_found(id: &str) -> Self {
        Self::new(
            404,
            "Request_ResourceNotFound",
            format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    }

    pub fn unsupported_query(message: impl Into<String>) -> Self {
        Self::new(400, "Request_UnsupportedQuery", message)
    }

    pub fn throttled(retry_after: Option<String>) -> Self {
        Self::new(429, "TooManyRequests", "Please retry again later.").with_retry_after(retry_after)
    }

    /// The error a fault injects for `status`.
    pub fn for_status(status: u16, retry_after: Option<String>) -> Self {
        let (code, message) = match status {
            429 => ("TooManyRequests", "Please retry again later."),
            500 => ("InternalServerError", "An internal server error occurred."),
            502 => (
                "BadGateway",
                "The server received an invalid response from an upstream server.",
            ),
            503 => (
                "ServiceUnavailable",
                "The service is temporarily unavailable. Please retry later.",
            ),
            504 => (
                "GatewayTimeout",
                "The request timed out while waiting for an upstream server.",
            ),
            507 => (
                "InsufficientStorage",
                "Insufficient storage to complete the request.",
            ),
            400 => ("BadRequest", "The request is invalid."),
            401 => (
                "InvalidAuthenticationToken",
                "Access token validation failure.",
            ),
            403 => ("Forbidden", "Access denied."),
            404 => ("NotFound", "The resource was not found."),
            409 => (
                "Conflict",
                "The request conflicts with the current state of the resource.",
            ),
            _ => ("UnknownError", "An error occurred."),
        };
        Self::new(status, code, message).with_retry_after(retry_after)
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = self.status;
        if let Some(ra) = self.retry_after.as_deref() {
            if let Ok(v) = HeaderValue::from_str(ra) {
                resp.headers_mut().insert(http::header::RETRY_AFTER, v);
            }
        }
        resp.extensions_mut().insert(PendingError {
            code: self.code,
            message: self.message,
        });
        resp
    }
}

/// `$filter`/`$select` errors carry their own status and code.
impl From<ODataError> for GraphError {
    fn from(e: ODataError) -> Self {
        GraphError::new(e.status, e.code, e.message)
    }
}
