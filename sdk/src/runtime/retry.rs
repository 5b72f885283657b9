//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

/// How failed requests are tried again: 429, 5xx and connection failures, with exponential
/// backoff and full jitter, honouring `Retry-After`, within a bound on attempts and total delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles on each further retry.
    pub initial_backoff: Duration,
    /// Longest single delay.
    pub max_backoff: Duration,
    /// Longest time spent waiting across all retries of one call; a `Retry-After` beyond it ends
    /// the call with the error instead of waiting.
    pub max_total_delay: Duration,
    /// Also retry requests the server may have acted on (a POST or PATCH that got a 5xx or lost
    /// its answer). Off by default: such a retry could, for example, create a user twice.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_total_delay: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The wait before attempt `attempt + 1` (`attempt` counts from 1): the server's
    /// `Retry-After` when given, else a random delay up to the exponential backoff.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
        }
        let exponent = attempt.saturating_sub(1).min(16);
        let ceiling = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        // Full jitter: spread clients that failed together so they do not retry together.
        ceiling.mul_f64(fastrand::f64())
    }
}

/// `Retry-After` as delta-seconds, an HTTP date, or an RFC 3339 timestamp (Zoom's daily limits).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok().or_else(|| humantime::parse_rfc3339_weak(value).ok())?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_http_dates_and_rfc3339() {
        let now = httpdate::parse_http_date("Sun, 31 May 2020 00:00:00 GMT").unwrap();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Sun, 31 May 2020 00:00:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("2020-05-31T01:00:00Z", now), Some(Duration::from_secs(3600)));
        assert_eq!(parse_retry_after("2020-05-30T00:00:00Z", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::default();
        for attempt in 1..40 {
            let ceiling = policy.initial_backoff.saturating_mul(1 << (attempt - 1).min(16)).min(policy.max_backoff);
            assert!(policy.delay(attempt, None) <= ceiling);
        }
        assert_eq!(policy.delay(3, Some(Duration::from_secs(9))), Duration::from_secs(9));
    }
}
