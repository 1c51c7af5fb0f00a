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

    /// How long this kind of request must still wait (`None`: it may go now).
    pub(crate) fn remaining(&self, invitations: bool) -> Option<Duration> {
        let until = (*self
            .slot(invitations)
            .lock()
            .unwrap_or_else(|p| p.into_inner()))?;
        let now = Instant::now();
        (until > now).then(|| until - now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hold_concerns_only_its_own_kind_and_never_shrinks() {
        let h = Holds::default();
        assert_eq!(h.remaining(true), None);
        h.hold(true, Duration::from_secs(30));
        h.hold(true, Duration::from_secs(1));
        assert!(h.remaining(true).unwrap() > Duration::from_secs(29));
        assert_eq!(h.remaining(false), None);
    }
}
