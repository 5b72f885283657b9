//! Optional client-side pacing by the API's rate-limit labels, so a busy service slows itself
//! down instead of collecting 429s.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// The shortest spacing between two requests of each rate-limit label (the label an operation's
/// `Operation::rate_limit` names), for one account's tier of the API. A generated SDK turns its
/// description's plans into these (`.rate_limit(Plan::Pro)`); labels not listed are not paced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    intervals: &'static [(&'static str, Duration)],
}

impl RateLimits {
    pub const fn new(intervals: &'static [(&'static str, Duration)]) -> Self {
        Self { intervals }
    }

    /// The spacing for `label`, if it is paced.
    pub fn interval(&self, label: &str) -> Option<Duration> {
        self.intervals.iter().find(|(name, _)| *name == label).map(|&(_, interval)| interval)
    }
}

/// Spaces requests of each label evenly at the plan's rate (limits count per label, account-wide).
#[derive(Debug)]
pub(crate) struct Pacer {
    limits: RateLimits,
    labels: std::sync::Mutex<BTreeMap<String, Arc<Mutex<Instant>>>>,
}

impl Pacer {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self { limits, labels: std::sync::Mutex::new(BTreeMap::new()) }
    }

    /// Waits until a request of `label` may go. Waiters queue in order on the label's gate and
    /// hold it while they sleep; one that is cancelled leaves the queue without taking a slot.
    pub(crate) async fn wait(&self, label: &str) {
        let Some(interval) = self.limits.interval(label) else { return };
        let gate = {
            let mut labels = self.labels.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(labels.entry(label.to_owned()).or_insert_with(|| Arc::new(Mutex::new(Instant::now()))))
        };
        let mut next_free = gate.lock().await;
        tokio::time::sleep_until(*next_free).await;
        // Only a request that goes takes a slot.
        *next_free = Instant::now() + interval;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two requests a second for `medium`, one for `heavy`, four for `light`.
    const TIER: RateLimits = RateLimits::new(&[
        ("light", Duration::from_millis(250)),
        ("medium", Duration::from_millis(500)),
        ("heavy", Duration::from_secs(1)),
    ]);

    #[test]
    fn intervals_are_looked_up_by_label() {
        assert_eq!(TIER.interval("medium"), Some(Duration::from_millis(500)));
        assert_eq!(TIER.interval("unknown"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn requests_of_one_label_are_spaced() {
        let pacer = Pacer::new(TIER);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.wait("medium").await;
        }
        // Five requests at 2 per second: the fifth leaves 2 s after the first.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        pacer.wait("light").await;
        assert_eq!(start.elapsed(), Duration::from_secs(2), "labels do not wait for each other");
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_wait_gives_its_slot_back() {
        let pacer = Pacer::new(TIER);
        pacer.wait("heavy").await;
        // Twelve callers queue for `heavy` (1 per second) and are dropped before their turn.
        let waiting: Vec<_> = (0..12).map(|_| Box::pin(pacer.wait("heavy"))).collect();
        let mut waiting: Vec<_> = waiting.into_iter().map(poll_once).collect();
        tokio::time::advance(Duration::from_millis(999)).await;
        waiting.clear();
        let start = Instant::now();
        tokio::time::advance(Duration::from_millis(1)).await;
        pacer.wait("heavy").await;
        assert_eq!(start.elapsed(), Duration::from_millis(1), "only the one slot already due is waited for");
        let start = Instant::now();
        pacer.wait("heavy").await;
        assert_eq!(start.elapsed(), Duration::from_secs(1), "requests that go are still spaced");
    }

    /// Polls a future once, so it joins the queue, and keeps it.
    fn poll_once<F: std::future::Future + Unpin>(mut future: F) -> F {
        let waker = futures_util::task::noop_waker();
        let _ = std::pin::Pin::new(&mut future).poll(&mut std::task::Context::from_waker(&waker));
        future
    }
}
