//! Core errors → JavaScript. A rejected napi promise can only carry `GenericFailure`, so the
//! message carries everything: `[Kind] message`, then a record separator and the details as
//! JSON. `errors.js` turns that into `EntraInviteError` subclasses (`InvalidInputError`, ...).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::json;

/// Separates the readable message from the JSON details (never produced by the core).
pub(crate) const SEPARATOR: char = '\u{1e}';

/// The napi error for a core error (thrown synchronously or rejecting a promise).
pub(crate) fn to_napi(e: entra_invite::Error) -> napi::Error {
    let details = json!({
        "kind": e.kind().as_str(),
        "message": e.message(),
        "field": e.field(),
        "status": e.status(),
        "code": e.code(),
        "requestId": e.request_id(),
        "clientRequestId": e.client_request_id(),
        "date": e.date(),
        "retryAfter": e.retry_after().map(|d| d.as_secs_f64()),
        "aadsts": e.aadsts(),
        "maybeApplied": e.maybe_applied(),
    });
    napi::Error::new(
        Status::GenericFailure,
        format!("[{}] {}{SEPARATOR}{details}", e.kind(), e.message()),
    )
}

/// A bad argument found while converting JavaScript values (before anything is sent).
pub(crate) fn invalid(field: &str, message: impl Into<String>) -> entra_invite::Error {
    entra_invite::Error::invalid_input(field, message)
}

/// The kinds an error can have (`InvalidInput`, `Auth`, ...), for the JS classes and their tests.
#[napi(catch_unwind)]
pub fn error_kinds() -> Vec<&'static str> {
    entra_invite::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect()
}
