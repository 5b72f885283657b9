//! Median and spread of a handful of runs, and how figures are shown.

use std::time::Duration;

/// Median, minimum and maximum of some values; `n` of them.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

impl Summary {
    pub fn of(values: &[f64]) -> Option<Summary> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        Some(Summary { median, min: sorted[0], max: sorted[n - 1], n })
    }

    pub fn of_durations(values: &[Duration]) -> Option<Summary> {
        Summary::of(&values.iter().map(Duration::as_secs_f64).collect::<Vec<_>>())
    }

    /// "median (min–max)", each figure shown by `show`; the median alone when there is one figure.
    pub fn shown(&self, show: impl Fn(f64) -> String) -> String {
        if self.n == 1 {
            show(self.median)
        } else {
            format!("{} ({}–{})", show(self.median), show(self.min), show(self.max))
        }
    }

    /// "12.3 ms (11.9 ms–13.0 ms)" for seconds.
    pub fn seconds(&self) -> String {
        self.shown(seconds)
    }
}

/// A duration in seconds, in the unit that reads best.
pub fn seconds(s: f64) -> String {
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.1 {
        format!("{:.0} ms", s * 1e3)
    } else if s >= 0.01 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 0.001 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// KiB as MiB.
pub fn mib(kib: f64) -> String {
    let mib = kib / 1024.0;
    if mib >= 100.0 {
        format!("{mib:.0} MiB")
    } else {
        format!("{mib:.1} MiB")
    }
}

/// A ratio such as "41.2x".
pub fn ratio(r: f64) -> String {
    if r >= 100.0 {
        format!("{r:.0}x")
    } else if r >= 10.0 {
        format!("{r:.1}x")
    } else {
        format!("{r:.2}x")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(Summary::of(&[3.0, 1.0, 2.0]).map(|s| s.median), Some(2.0));
        assert_eq!(Summary::of(&[4.0, 1.0, 2.0, 3.0]).map(|s| s.median), Some(2.5));
        assert!(Summary::of(&[]).is_none());
    }

    #[test]
    fn units() {
        assert_eq!(seconds(0.0072), "7.20 ms");
        assert_eq!(seconds(2.7), "2.70 s");
        assert_eq!(seconds(0.00004), "40 µs");
        assert_eq!(mib(200.0 * 1024.0), "200 MiB");
    }
}
