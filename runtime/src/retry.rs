//! When and how long to wait before trying a request again.

use super::error::Error;
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

    /// How long to wait before attempt `attempt + 1` (`attempt` counts from 1), having waited
    /// `waited` so far, or `None` to give up: attempts used up, or the wait would pass
    /// `max_total_delay`. The server's `Retry-After` is taken when given, else a random delay up
    /// to the exponential backoff. Any input gives a wait within the policy's bounds.
    pub(crate) fn next_wait(&self, attempt: u32, waited: Duration, retry_after: Option<Duration>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
        (waited.saturating_add(wait) <= self.max_total_delay).then_some(wait)
    }

    /// Full jitter: a random delay up to `initial_backoff * 2^(attempt - 1)`, capped at
    /// `max_backoff`, so clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        let ceiling = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        // Whole nanoseconds: float arithmetic on a huge ceiling could round past it.
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// What to do after an attempt failed with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Try again after the policy's wait (or the server's `Retry-After`).
    Retry,
    /// The access token was refused: fetch a new one and try again at once.
    Reauthenticate,
    Final,
}

/// The one rule for which failures are worth another attempt. `replay_safe`: the request may be
/// sent twice without acting twice (an idempotent method, or the caller allowed it).
pub(crate) fn classify(error: &Error, replay_safe: bool) -> Decision {
    match error {
        // Invalid or expired access token, by the API's own codes (see `Profile`).
        Error::Api(e) if e.token_refused => Decision::Reauthenticate,
        // A 429 was refused before any work, so even a POST may be sent again.
        Error::Api(e) if e.status == 429 => Decision::Retry,
        Error::Api(e) if e.status >= 500 && replay_safe => Decision::Retry,
        // Not connected: the server never saw the request, so any method may be sent again.
        Error::Transport(e) if e.is_connect() => Decision::Retry,
        Error::Transport(_) | Error::Timeout(_) if replay_safe => Decision::Retry,
        _ => Decision::Final,
    }
}

/// The longest `Retry-After` that is kept as given; anything later (a daily limit reset, a
/// nonsense value) is read as this, which no policy waits for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

/// `Retry-After` as delta-seconds, an HTTP date, or an RFC 3339 timestamp (some APIs' daily limits),
/// at most [`MAX_RETRY_AFTER`].
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else {
        let at = httpdate::parse_http_date(value).ok().or_else(|| humantime::parse_rfc3339_weak(value).ok())?;
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        let policy = RetryPolicy { max_attempts: 100, max_total_delay: Duration::MAX, ..RetryPolicy::default() };
        for attempt in 1..40 {
            let ceiling = policy.initial_backoff.saturating_mul(1 << (attempt - 1).min(16)).min(policy.max_backoff);
            assert!(policy.next_wait(attempt, Duration::ZERO, None).unwrap() <= ceiling);
        }
        let nine = Some(Duration::from_secs(9));
        assert_eq!(policy.next_wait(3, Duration::ZERO, nine), nine);
    }

    #[test]
    fn a_retry_after_past_the_total_budget_ends_the_call() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.next_wait(1, Duration::from_secs(1), Some(Duration::from_secs(59))),
            Some(Duration::from_secs(59))
        );
        assert_eq!(policy.next_wait(1, Duration::from_secs(2), Some(Duration::from_secs(59))), None);
        assert_eq!(policy.next_wait(2, Duration::from_secs(1), Some(Duration::MAX)), None);
        assert_eq!(policy.next_wait(policy.max_attempts, Duration::ZERO, None), None);
    }

    fn any_duration() -> impl Strategy<Value = Duration> {
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n))
    }

    proptest! {
        #[test]
        fn retry_after_never_panics_and_stays_bounded(value in ".{0,64}", seconds in any::<u64>(), now in any::<u32>()) {
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now.into());
            for text in [value, seconds.to_string(), format!("{seconds}0"), format!(" {seconds} ")] {
                if let Some(wait) = parse_retry_after(&text, now) {
                    prop_assert!(wait <= MAX_RETRY_AFTER);
                }
            }
        }

        #[test]
        fn every_wait_is_within_the_policy(
            max_attempts in any::<u32>(),
            initial_backoff in any_duration(),
            max_backoff in any_duration(),
            max_total_delay in any_duration(),
            attempt in any::<u32>(),
            waited in any_duration(),
            retry_after in proptest::option::of(any_duration()),
        ) {
            let policy = RetryPolicy { max_attempts, initial_backoff, max_backoff, max_total_delay, retry_non_idempotent: false };
            if let Some(wait) = policy.next_wait(attempt, waited, retry_after) {
                prop_assert!(attempt < max_attempts);
                prop_assert!(waited.saturating_add(wait) <= max_total_delay);
                match retry_after {
                    Some(asked) => prop_assert_eq!(wait, asked),
                    None => prop_assert!(wait <= max_backoff),
                }
            }
        }
    }
}
