//! When to retry and how long to wait: Retry-After in every form Graph sends, else backoff.

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};

/// Retry settings of a client.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: usize,
    /// No retry starts once this much time has passed since the first attempt.
    pub budget: Duration,
    pub min_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            budget: Duration::from_secs(300),
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Exponential delays with jitter, for answers that carry no Retry-After.
    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> + Send {
        ExponentialBuilder::default()
            .with_min_delay(self.min_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build()
    }
}

/// The longest `Retry-After` taken at its word (a day).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// Parses `Retry-After`: integer or decimal seconds (`2.128`), an HTTP-date, or a list such as
/// `30,120` (two values merged by a proxy) where the longest wins, so we never come back early.
/// Decimals are rounded up for the same reason.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(date) = httpdate::parse_http_date(v) {
        // Capped like the numeric forms: a far-off date (or a clock running behind) is not
        // a reason to wait for days.
        return Some(
            date.duration_since(now)
                .unwrap_or(Duration::ZERO)
                .min(MAX_RETRY_AFTER),
        );
    }
    v.split(',')
        .filter_map(|p| {
            let p = p.trim();
            let secs: f64 = p.parse().ok()?;
            (secs.is_finite() && secs >= 0.0)
                .then(|| Duration::from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64())))
        })
        .max()
        .map(|d| {
            // Round up to the next millisecond so a fractional value is never undercut.
            let ms = d.as_nanos().div_ceil(1_000_000);
            Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("2.128", now),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(
            parse_retry_after("30,120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after(" 120 , 30 ", now),
            Some(Duration::from_secs(120))
        );
        let later = now + Duration::from_secs(90);
        let d = parse_retry_after(&httpdate::fmt_http_date(later), now).unwrap();
        assert!(
            d <= Duration::from_secs(90) && d >= Duration::from_secs(89),
            "{d:?}"
        );
        let next_year = now + Duration::from_secs(365 * 86_400);
        assert_eq!(
            parse_retry_after(&httpdate::fmt_http_date(next_year), now),
            Some(Duration::from_secs(86_400)),
            "a far-off date is capped like a number"
        );
        assert_eq!(
            parse_retry_after("1e300", now),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        let v: Vec<Duration> = p.backoff().take(10).collect();
        assert_eq!(v.len(), 10);
        assert!(v.iter().all(|d| *d <= p.max_backoff * 2));
    }
}
