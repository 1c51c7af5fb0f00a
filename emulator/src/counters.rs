//! Request counters exposed at `GET /_emulator/counters`.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Default, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// `"POST /v1.0/invitations 201"` → count.
    pub requests: BTreeMap<String, u64>,
    /// Every invitation Graph answered 201 to, re-invitations of an existing guest included.
    pub invitations_created: u64,
    /// Guest users created by invitations (a re-invitation creates none).
    pub users_created: u64,
    pub early_retries: u64,
    pub token_requests: u64,
    pub total_requests: u64,
}

impl Counters {
    /// `outcome` is the status code, or `dropped` for a connection closed without an answer.
    pub fn record(&mut self, method: &str, route: &str, outcome: &str) {
        self.total_requests += 1;
        *self
            .requests
            .entry(format!("{method} {route} {outcome}"))
            .or_insert(0) += 1;
    }
}
