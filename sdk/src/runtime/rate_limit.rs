//! Optional client-side pacing by the API's rate-limit labels, so a busy service slows itself
//! down instead of collecting 429s.

use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// The account's plan, which sets its per-second limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Free,
    Pro,
    /// Business, Education, Enterprise and Partners.
    BusinessPlus,
}

impl Plan {
    /// The shortest spacing between two requests of a label: Zoom's published per-second (or,
    /// for resource-intensive calls, per-minute) limits for the plan.
    pub fn interval(self, label: &str) -> Option<Duration> {
        let per_second = |n: u32| Some(Duration::from_secs(1) / n);
        let per_minute = |n: u32| Some(Duration::from_secs(60) / n);
        match (label, self) {
            ("light", Plan::Free) => per_second(4),
            ("light", Plan::Pro) => per_second(30),
            ("light", Plan::BusinessPlus) => per_second(80),
            ("medium", Plan::Free) => per_second(2),
            ("medium", Plan::Pro) => per_second(20),
            ("medium", Plan::BusinessPlus) => per_second(60),
            ("heavy", Plan::Free) => per_second(1),
            ("heavy", Plan::Pro) => per_second(10),
            ("heavy", Plan::BusinessPlus) => per_second(40),
            ("resource-intensive", Plan::Free | Plan::Pro) => per_minute(10),
            ("resource-intensive", Plan::BusinessPlus) => per_minute(20),
            _ => None,
        }
    }
}

/// Spaces requests of each label evenly at the plan's rate (limits count per label, account-wide).
#[derive(Debug)]
pub(crate) struct Pacer {
    plan: Plan,
    next_free: Mutex<BTreeMap<String, Instant>>,
}

impl Pacer {
    pub(crate) fn new(plan: Plan) -> Self {
        Self { plan, next_free: Mutex::new(BTreeMap::new()) }
    }

    /// Waits until a request of `label` may go.
    pub(crate) async fn wait(&self, label: &str) {
        let Some(interval) = self.plan.interval(label) else { return };
        let slot = {
            let mut next_free = self.next_free.lock().await;
            let now = Instant::now();
            let slot = next_free.get(label).copied().filter(|t| *t > now).unwrap_or(now);
            next_free.insert(label.to_owned(), slot + interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_follow_the_published_limits() {
        assert_eq!(Plan::Pro.interval("light"), Some(Duration::from_millis(33) + Duration::from_nanos(333_333)));
        assert_eq!(Plan::Free.interval("medium"), Some(Duration::from_millis(500)));
        assert_eq!(Plan::BusinessPlus.interval("resource-intensive"), Some(Duration::from_secs(3)));
        assert_eq!(Plan::Pro.interval("unknown"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn requests_of_one_label_are_spaced() {
        let pacer = Pacer::new(Plan::Free);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.wait("medium").await;
        }
        // Five requests at 2 per second: the fifth leaves 2 s after the first.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        pacer.wait("light").await;
        assert_eq!(start.elapsed(), Duration::from_secs(2), "labels do not wait for each other");
    }
}
