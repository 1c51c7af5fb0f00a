//! `x-ms-resource-unit`: what a `/users` request costs in the identity service's token
//! buckets (research §3.4, §4.3): `GET users` 2, other identity GETs 1; `$select` −1,
//! `$expand` +1, `$top` under 20 −1; never less than 1.

use axum::response::Response;
use http::request::Parts;
use http::{HeaderName, HeaderValue};

use crate::request::query_pairs;

pub const HEADER: &str = "x-ms-resource-unit";

/// The cost of a users request; `collection` for `GET /users` itself.
pub fn users_cost(parts: &Parts, collection: bool) -> i64 {
    let mut cost: i64 = if collection { 2 } else { 1 };
    for (k, v, _) in query_pairs(parts) {
        match k.trim_start_matches('$').to_ascii_lowercase().as_str() {
            "select" if !v.trim().is_empty() => cost -= 1,
            "expand" => cost += 1,
            "top" if v.trim().parse::<i64>().is_ok_and(|n| n < 20) => cost -= 1,
            _ => {}
        }
    }
    cost.max(1)
}

/// Sets the header on a response.
pub fn stamp(mut resp: Response, cost: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&cost.to_string()) {
        resp.headers_mut()
            .insert(HeaderName::from_static(HEADER), v);
    }
    resp
}
