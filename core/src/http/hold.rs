//! Graph's `Retry-After` applies to what was throttled, not only to the one request that got
//! it: after a 429 or 503 carrying one, no request of the same kind (invitations, or any other
//! call) leaves this client before that time, whichever caller sends it next. Otherwise a
//! caller that reacts to the error at once (say `invite_if_absent` after a failed `invite`)
//! would come back early.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Default)]
pub(crate) struct Holds {
    invitations: Mutex<Option<Instant>>,
    other: Mutex<Option<Instant>>,
}

impl Holds {
    fn slot(&self, invitations: bool) -> &Mutex<Option<Instant>> {
        if invitations {
            &self.invitations
        } else {
            &self.other
        }
    }

    /// Graph asked for `wait` before the next request of this kind.
    pub(crate) fn hold(&self, invitations: bool, wait: Duration) {
        let until = Instant::now() + wait;
        let mut g = self
            .slot(invitations)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if g.is_none_or(|t| t < until) {
            *g = Some(until);
        }
    }

    /// Waits out any hold on this kind of request.
    pub(crate) async fn wait(&self, invitations: bool) {
        let until = *self
            .slot(invitations)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(t) = until {
            if t > Instant::now() {
                tokio::time::sleep_until(t).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hold_delays_only_its_own_kind_and_never_shrinks() {
        let h = Holds::default();
        h.hold(true, Duration::from_millis(300));
        h.hold(true, Duration::from_millis(10));
        let t0 = Instant::now();
        h.wait(false).await;
        assert!(t0.elapsed() < Duration::from_millis(100));
        h.wait(true).await;
        assert!(t0.elapsed() >= Duration::from_millis(290));
    }
}
