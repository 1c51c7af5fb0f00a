//! Request counters exposed at `GET /_emulator/counters`.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Default, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// `"POST /v1.0/invitations 201"` → count.
    pub requests: BTreeMap<String, u64>,
    pub invitations_created: u64,
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
