//! Graph's error answers mapped to our kinds (research §4.2). Code against codes first; the few
//! invitation errors Graph sends without a distinctive code are told apart by their texts.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use serde::Deserialize;

use super::retry::parse_retry_after;
use crate::error::{Error, ErrorKind};

#[derive(Deserialize, Default)]
struct Body {
    #[serde(default)]
    error: Option<Inner>,
}

#[derive(Deserialize, Default)]
struct Inner {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

pub(crate) fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

pub(crate) fn retry_after(h: &HeaderMap) -> Option<Duration> {
    // Several Retry-After headers (a proxy added one) count like the `30,120` form.
    let all: Vec<&str> = h
        .get_all("retry-after")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if all.is_empty() {
        return None;
    }
    parse_retry_after(&all.join(","), SystemTime::now())
}

fn kind_for(status: u16, code: &str, message: &str) -> ErrorKind {
    let m = message.to_ascii_lowercase();
    if m.contains("verified domain of this directory") {
        return ErrorKind::VerifiedDomain;
    }
    if m.contains("already exists in the directory as object") {
        return ErrorKind::AlreadyExists;
    }
    if m.contains("blocked by cross-tenant access")
        || m.contains("can't be invited to this directory")
        || m.contains("cross cloud worker")
        || m.contains("blocked")
    {
        return ErrorKind::BlockedByPolicy;
    }
    match (status, code) {
        (401, "InvalidAuthenticationToken") => ErrorKind::Auth,
        // Graph answers a missing User.Invite.All with 401 `Unauthorized` "Insufficient privileges".
        (401, _) if m.contains("insufficient privileges") => ErrorKind::PermissionDenied,
        (401, _) => ErrorKind::Auth,
        (403, _) => ErrorKind::PermissionDenied,
        (404, _) => ErrorKind::NotFound,
        (429, _) => ErrorKind::Throttled,
        (408, _) | (504, _) => ErrorKind::Timeout,
        (s, _) if s >= 500 => ErrorKind::Service,
        (409, _) => ErrorKind::AlreadyExists,
        (s, _) if (400..500).contains(&s) => ErrorKind::InvalidInput,
        _ => ErrorKind::Protocol,
    }
}

/// The typed error for a non-success answer.
pub(crate) fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    let parsed: Body = serde_json::from_slice(body).unwrap_or_default();
    let (code, message) = match parsed.error {
        Some(Inner { code, message }) => (code, message),
        None => (None, None),
    };
    let code_s = code.clone().unwrap_or_default();
    let message = message.unwrap_or_else(|| format!("Graph answered HTTP {status}"));
    let kind = kind_for(status, &code_s, &message);
    let mut e = Error::new(kind, message).with_status(status).with_ids(
        header(headers, "request-id"),
        header(headers, "client-request-id"),
        header(headers, "date"),
    );
    if let Some(c) = code {
        e = e.with_code(c);
    }
    e.with_retry_after(retry_after(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind_for(400, "BadRequest", "This user cannot be invited because the domain of the user's email address is a verified domain of this directory."), ErrorKind::VerifiedDomain);
        assert_eq!(
            kind_for(
                400,
                "BadRequest",
                "The invited user already exists in the directory as objectID: 1."
            ),
            ErrorKind::AlreadyExists
        );
        assert_eq!(
            kind_for(
                401,
                "Unauthorized",
                "Insufficient privileges to perform requested operation by the application"
            ),
            ErrorKind::PermissionDenied
        );
        assert_eq!(
            kind_for(
                401,
                "InvalidAuthenticationToken",
                "Access token has expired."
            ),
            ErrorKind::Auth
        );
        assert_eq!(
            kind_for(
                403,
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation."
            ),
            ErrorKind::PermissionDenied
        );
        assert_eq!(
            kind_for(404, "Request_ResourceNotFound", "x"),
            ErrorKind::NotFound
        );
        assert_eq!(kind_for(429, "TooManyRequests", "x"), ErrorKind::Throttled);
        assert_eq!(kind_for(503, "ServiceUnavailable", "x"), ErrorKind::Service);
    }
}
