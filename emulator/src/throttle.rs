//! Throttling: token buckets per tenant and workload, the `Retry-After` forms, and the
//! detector for clients that retry before the `Retry-After` they were given has passed.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use crate::faults::{Bucket, RetryAfterFormat};

#[derive(Debug)]
struct TokenBucket {
    tokens: f64,
    last: Instant,
}

#[derive(Default)]
pub struct Throttler {
    buckets: HashMap<(String, &'static str), TokenBucket>,
    /// token+route → the instant before which a retry is "early".
    not_before: HashMap<String, Instant>,
}

impl Throttler {
    /// Takes one token from the tenant's bucket for `workload`; `Err(wait)` when empty.
    pub fn take(
        &mut self,
        tenant: &str,
        workload: &'static str,
        rule: &Bucket,
    ) -> Result<(), Duration> {
        let now = Instant::now();
        let capacity = f64::from(rule.limit.max(1));
        let per_ms = capacity / rule.window_ms.max(1) as f64;
        let b = self
            .buckets
            .entry((tenant.to_string(), workload))
            .or_insert(TokenBucket {
                tokens: capacity,
                last: now,
            });
        let elapsed = now.duration_since(b.last).as_secs_f64() * 1000.0;
        b.tokens = (b.tokens + elapsed * per_ms).min(capacity);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let ms = (1.0 - b.tokens) / per_ms;
            Err(Duration::from_secs_f64((ms / 1000.0).max(0.001)))
        }
    }

    pub fn reset_buckets(&mut self) {
        self.buckets.clear();
        self.not_before.clear();
    }

    /// Remaining wait when this key retries too early.
    pub fn early(&mut self, key: &str) -> Option<Duration> {
        let now = Instant::now();
        match self.not_before.get(key) {
            Some(t) if *t > now => Some(*t - now),
            Some(_) => {
                self.not_before.remove(key);
                None
            }
            None => None,
        }
    }

    pub fn remember(&mut self, key: String, wait: Duration) {
        if self.not_before.len() > 50_000 {
            // Bound memory under long runs: expired entries carry no information.
            let now = Instant::now();
            self.not_before.retain(|_, t| *t > now);
        }
        let until = Instant::now() + wait;
        let e = self.not_before.entry(key).or_insert(until);
        if *e < until {
            *e = until;
        }
    }
}

/// `x-ms-throttle-scope` and `x-ms-throttle-information` for a throttled answer (research
/// §3.4): scope `<Tenant_Application|Tenant>/<Read|Write>/<appId>/<tenantId>`, information
/// `ResourceUnitLimitExceeded` for reads and `WriteLimitExceeded` for writes. The invitation
/// limit is per tenant for all apps, hence `Tenant` there. `None` without a valid token.
pub fn throttle_headers(
    method: &str,
    workload: Option<&str>,
    authorization: Option<&str>,
) -> Option<[(&'static str, String); 2]> {
    let claims = crate::jwt::validate(authorization).ok()?;
    let read = matches!(method, "GET" | "HEAD");
    let limit = if workload == Some("invitations") {
        "Tenant"
    } else {
        "Tenant_Application"
    };
    let (access, info) = if read {
        ("Read", "ResourceUnitLimitExceeded")
    } else {
        ("Write", "WriteLimitExceeded")
    };
    Some([
        (
            "x-ms-throttle-scope",
            format!("{limit}/{access}/{}/{}", claims.appid, claims.tid),
        ),
        ("x-ms-throttle-information", info.to_string()),
    ])
}

/// Renders a wait in the configured form; `None` for `Absent`.
pub fn format_retry_after(format: RetryAfterFormat, wait: Duration) -> Option<String> {
    let secs = wait.as_secs_f64();
    let whole = secs.ceil().max(1.0) as u64;
    match format {
        RetryAfterFormat::Integer => Some(whole.to_string()),
        RetryAfterFormat::Decimal => Some(format!("{:.3}", secs.max(0.001))),
        RetryAfterFormat::HttpDate => Some(httpdate::fmt_http_date(
            SystemTime::now() + Duration::from_secs(whole),
        )),
        RetryAfterFormat::Pair => Some(format!("{whole},{}", whole * 4)),
        RetryAfterFormat::Absent => None,
    }
}

/// Reads any of the forms back (the first number of `30,120`); `None` when unparseable.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(d) = httpdate::parse_http_date(v) {
        return Some(
            d.duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO),
        );
    }
    let first = v.split(',').next().unwrap_or("").trim();
    let secs: f64 = first.parse().ok()?;
    if secs.is_finite() && secs >= 0.0 {
        Some(Duration::from_secs_f64(secs.min(86_400.0)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_round_trip() {
        let w = Duration::from_millis(2128);
        assert_eq!(
            format_retry_after(RetryAfterFormat::Integer, w).as_deref(),
            Some("3")
        );
        assert_eq!(
            format_retry_after(RetryAfterFormat::Decimal, w).as_deref(),
            Some("2.128")
        );
        assert_eq!(
            format_retry_after(RetryAfterFormat::Pair, w).as_deref(),
            Some("3,12")
        );
        assert!(format_retry_after(RetryAfterFormat::Absent, w).is_none());
        let d = format_retry_after(RetryAfterFormat::HttpDate, w).unwrap_or_default();
        assert!(parse_retry_after(&d).is_some());
        assert_eq!(parse_retry_after("30,120"), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("2.5"), Some(Duration::from_millis(2500)));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn bucket_empties_and_refills() {
        let mut t = Throttler::default();
        let rule = Bucket {
            limit: 2,
            window_ms: 100,
        };
        assert!(t.take("t", "invitations", &rule).is_ok());
        assert!(t.take("t", "invitations", &rule).is_ok());
        assert!(t.take("t", "invitations", &rule).is_err());
        assert!(t.take("other", "invitations", &rule).is_ok());
        std::thread::sleep(Duration::from_millis(60));
        assert!(t.take("t", "invitations", &rule).is_ok());
    }
}
