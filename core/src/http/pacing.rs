//! Client-side pacing of `/invitations`: Graph allows 150 requests per 5 s per tenant for all
//! apps, so every client of one tenant in this process shares one token bucket.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Requests per window and the window, e.g. 150 per 5 s, and how many may go at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacingLimit {
    pub requests: u32,
    pub per: Duration,
    /// Requests allowed back to back before the steady rate applies. Kept well below
    /// `requests` on purpose: Graph's own bucket then keeps slack for network jitter, so the
    /// steady rate is Graph's full rate without tripping 429s.
    pub burst: u32,
}

impl Default for PacingLimit {
    fn default() -> Self {
        PacingLimit {
            requests: 150,
            per: Duration::from_secs(5),
            burst: 30,
        }
    }
}

#[derive(Clone)]
pub(crate) struct Pacer(Option<Arc<DefaultDirectRateLimiter>>);

type Registry = Mutex<HashMap<(String, u32, Duration, u32), Arc<DefaultDirectRateLimiter>>>;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Default::default)
}

impl Pacer {
    pub(crate) fn disabled() -> Self {
        Pacer(None)
    }

    /// The process-wide bucket for `tenant` (lower-cased) with this limit.
    pub(crate) fn for_tenant(tenant: &str, limit: PacingLimit) -> Self {
        let Some(n) = NonZeroU32::new(limit.requests) else {
            return Pacer::disabled();
        };
        let Some(quota) = Quota::with_period(limit.per / limit.requests) else {
            return Pacer::disabled();
        };
        let burst = NonZeroU32::new(limit.burst.clamp(1, limit.requests)).unwrap_or(n);
        let quota = quota.allow_burst(burst);
        let key = (
            tenant.to_ascii_lowercase(),
            limit.requests,
            limit.per,
            limit.burst,
        );
        let mut map = registry().lock().unwrap_or_else(|e| e.into_inner());
        let lim = map
            .entry(key)
            .or_insert_with(|| Arc::new(RateLimiter::direct(quota)))
            .clone();
        Pacer(Some(lim))
    }

    /// Waits until the bucket has a token.
    pub(crate) async fn acquire(&self) {
        let Some(lim) = &self.0 else { return };
        loop {
            match lim.check() {
                Ok(()) => return,
                Err(not_until) => {
                    let wait = not_until.wait_time_from(DefaultClock::default().now());
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
            }
        }
    }
}
