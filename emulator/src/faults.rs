//! Fault configuration (the `Faults` JSON of CONTROL_API.md) and the per-request decisions
//! taken from it: scripted answers, random failures, latency and dropped connections.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    pub throttle: Option<Throttle>,
    pub random: Vec<RandomFault>,
    pub scripted: Vec<ScriptedFault>,
    pub latency_ms: Option<Latency>,
    pub drop_rate: f64,
    pub replication_lag_ms: u64,
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Throttle {
    pub invitations: Option<Bucket>,
    pub users: Option<Bucket>,
    pub retry_after: RetryAfterFormat,
}

/// A token bucket: `limit` requests per `window_ms`, refilled continuously.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Bucket {
    pub limit: u32,
    pub window_ms: u64,
}

impl Default for Bucket {
    /// Graph's invitation manager limit: 150 requests per 5 seconds per tenant.
    fn default() -> Self {
        Bucket {
            limit: 150,
            window_ms: 5000,
        }
    }
}

/// The `Retry-After` forms seen from Graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RetryAfterFormat {
    /// `Retry-After: 3`
    #[default]
    Integer,
    /// `Retry-After: 2.128`
    Decimal,
    /// `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`
    HttpDate,
    /// `Retry-After: 30,120` (malformed, seen in the wild)
    Pair,
    /// no header at all
    Absent,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RandomFault {
    pub rate: f64,
    /// Empty: the method's chaos set (GET/PATCH 429,500,502,503,504; others add 507).
    pub statuses: Vec<u16>,
    /// Empty: every method.
    pub methods: Vec<String>,
    pub path_contains: Option<String>,
    /// Carry the request out before failing it (the invitation is really created).
    pub act_first: bool,
    /// Close the connection without an answer instead of answering `status`.
    pub drop: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ScriptedFault {
    pub method: Option<String>,
    pub path_contains: Option<String>,
    pub status: u16,
    pub times: u32,
    /// Sent verbatim as `Retry-After` (a JSON number is accepted too).
    pub retry_after: Option<serde_json::Value>,
    pub act_first: bool,
    pub drop: bool,
    /// Carry the request out, send the status line, headers and part of the body, then cut
    /// the connection (implies `actFirst`).
    pub drop_mid_response: bool,
    /// Answer `status` with this body verbatim (as JSON) instead of Graph's error body: a
    /// malformed or truncated answer. With `actFirst` the request is carried out first.
    pub body: Option<String>,
}

impl Default for ScriptedFault {
    fn default() -> Self {
        ScriptedFault {
            method: None,
            path_contains: None,
            status: 503,
            times: 1,
            retry_after: None,
            act_first: false,
            drop: false,
            drop_mid_response: false,
            body: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Latency {
    pub min: u64,
    pub max: u64,
}

impl Faults {
    /// Rejects values that cannot mean anything (rates outside 0..=1, non-error statuses).
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.drop_rate) {
            return Err("dropRate must be between 0 and 1".into());
        }
        for r in &self.random {
            if !(0.0..=1.0).contains(&r.rate) {
                return Err("random[].rate must be between 0 and 1".into());
            }
            if r.statuses.iter().any(|s| !(400..=599).contains(s)) {
                return Err("random[].statuses must be 4xx or 5xx".into());
            }
        }
        for s in &self.scripted {
            if !(100..=599).contains(&s.status) {
                return Err("scripted[].status must be an HTTP status".into());
            }
        }
        if let Some(t) = &self.throttle {
            for b in [&t.invitations, &t.users].into_iter().flatten() {
                if b.limit == 0 || b.window_ms == 0 {
                    return Err("throttle limit and windowMs must be positive".into());
                }
            }
        }
        if let Some(l) = &self.latency_ms {
            if l.min > l.max {
                return Err("latencyMs.min must not exceed latencyMs.max".into());
            }
        }
        Ok(())
    }
}

/// What the fault layer decided to do with one request.
#[derive(Debug, Clone)]
pub enum Decision {
    Pass,
    /// Answer `status` (with `Retry-After` verbatim when given) or drop the connection;
    /// `act_first` runs the request before answering.
    Scripted {
        status: u16,
        retry_after: Option<String>,
        act_first: bool,
        drop: bool,
        mid_response: bool,
        body: Option<String>,
    },
    Random(u16),
    Drop,
}

/// Mutable fault state: the configuration, what is left of scripted entries, and the RNG.
pub struct FaultState {
    pub faults: Faults,
    scripted_left: Vec<u32>,
    rng: StdRng,
}

impl FaultState {
    pub fn new(faults: Faults, seed: u64) -> Self {
        let seed = faults.seed.unwrap_or(seed);
        let scripted_left = faults.scripted.iter().map(|s| s.times).collect();
        FaultState {
            faults,
            scripted_left,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn latency(&mut self) -> Option<std::time::Duration> {
        let l = self.faults.latency_ms.as_ref()?;
        if l.max == 0 {
            return None;
        }
        let ms = if l.max > l.min {
            self.rng.random_range(l.min..=l.max)
        } else {
            l.min
        };
        Some(std::time::Duration::from_millis(ms))
    }

    /// Decides for one request. `graph` is true for `/v1.0` and `/beta` paths: random faults
    /// and random drops only hit Graph itself, scripted ones hit whatever they match.
    pub fn decide(&mut self, method: &str, path: &str, graph: bool) -> Decision {
        for (i, s) in self.faults.scripted.iter().enumerate() {
            let left = self.scripted_left.get(i).copied().unwrap_or(0);
            if left == 0 {
                continue;
            }
            if let Some(m) = &s.method {
                if !m.eq_ignore_ascii_case(method) {
                    continue;
                }
            }
            if let Some(p) = &s.path_contains {
                if !path.contains(p.as_str()) {
                    continue;
                }
            }
            if let Some(slot) = self.scripted_left.get_mut(i) {
                *slot -= 1;
            }
            let retry_after = s.retry_after.as_ref().map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            return Decision::Scripted {
                status: s.status,
                retry_after,
                act_first: s.act_first,
                drop: s.drop,
                mid_response: s.drop_mid_response,
                body: s.body.clone(),
            };
        }
        if !graph {
            return Decision::Pass;
        }
        if self.faults.drop_rate > 0.0 && self.rng.random::<f64>() < self.faults.drop_rate {
            return Decision::Drop;
        }
        for r in &self.faults.random {
            if !r.methods.is_empty() && !r.methods.iter().any(|m| m.eq_ignore_ascii_case(method)) {
                continue;
            }
            if let Some(p) = &r.path_contains {
                if !path.contains(p.as_str()) {
                    continue;
                }
            }
            if r.rate <= 0.0 || self.rng.random::<f64>() >= r.rate {
                continue;
            }
            let defaults: &[u16] = if method == "GET" || method == "PATCH" {
                &[429, 500, 502, 503, 504]
            } else {
                &[429, 500, 502, 503, 504, 507]
            };
            let set: &[u16] = if r.statuses.is_empty() {
                defaults
            } else {
                &r.statuses
            };
            let status = set
                .get(self.rng.random_range(0..set.len()))
                .copied()
                .unwrap_or(503);
            if r.act_first || r.drop {
                return Decision::Scripted {
                    status,
                    retry_after: matches!(status, 429 | 503).then(|| "1".to_string()),
                    act_first: r.act_first,
                    drop: r.drop,
                    mid_response: false,
                    body: None,
                };
            }
            return Decision::Random(status);
        }
        Decision::Pass
    }
}
