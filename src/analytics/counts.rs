//! Exact counters, one set for the totals and one per minute of the series,
//! and the render-latency histogram. Both add up across replicas by plain
//! addition, which is what makes a cluster view exact.

use super::event::Event;
use crate::labels::CacheStatus;
use serde::{Deserialize, Serialize};

/// Lookups by how they were answered, and what they cost or saved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub hit_memory: u64,
    pub hit_redis: u64,
    pub miss: u64,
    pub coalesced: u64,
    /// Body bytes sent.
    pub bytes: u64,
    /// Render time of the renders done for misses, in microseconds.
    pub render_us: u64,
    /// Render time not spent: each answer served without rendering saves
    /// the render time of the picture it was served from.
    pub saved_us: u64,
}

impl Counts {
    #[inline]
    pub(crate) fn record(&mut self, ev: &Event) {
        let render = u64::from(ev.render_us);
        match ev.status {
            CacheStatus::HitMemory => self.hit_memory += 1,
            CacheStatus::HitRedis => self.hit_redis += 1,
            CacheStatus::Miss => self.miss += 1,
            CacheStatus::Coalesced => self.coalesced += 1,
        }
        if ev.status == CacheStatus::Miss {
            self.render_us += render;
        } else {
            self.saved_us += render;
        }
        self.bytes += u64::from(ev.bytes);
    }

    pub fn add(&mut self, other: &Counts) {
        self.hit_memory += other.hit_memory;
        self.hit_redis += other.hit_redis;
        self.miss += other.miss;
        self.coalesced += other.coalesced;
        self.bytes += other.bytes;
        self.render_us += other.render_us;
        self.saved_us += other.saved_us;
    }

    pub fn lookups(&self) -> u64 {
        self.hit_memory + self.hit_redis + self.miss + self.coalesced
    }

    /// Answers served without rendering for them.
    pub fn served_without_render(&self) -> u64 {
        self.hit_memory + self.hit_redis + self.coalesced
    }

    /// `(hit_memory + hit_redis + coalesced) / lookups`; 0 with no lookups.
    pub fn hit_ratio(&self) -> f64 {
        match self.lookups() {
            0 => 0.0,
            n => self.served_without_render() as f64 / n as f64,
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Counts::default()
    }
}

/// Buckets per doubling: bucket bounds grow by 2^(1/8), so a percentile read
/// from the histogram is within 9% of the true value.
const PER_DOUBLING: f64 = 8.0;
/// 1 µs to 2^28 µs (about 4.5 minutes): past any render deadline.
const BUCKETS: usize = 28 * PER_DOUBLING as usize + 1;

/// Render durations in log-spaced buckets: fixed size, mergeable by adding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    counts: Vec<u64>,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BUCKETS],
        }
    }
}

impl Histogram {
    pub(crate) fn record(&mut self, micros: u32) {
        let i = (f64::from(micros.max(1)).log2() * PER_DOUBLING).ceil() as usize;
        self.counts[i.min(BUCKETS - 1)] += 1;
    }

    pub fn add(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub fn count(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The `q` quantile (0..=1) in milliseconds: the upper bound of the
    /// bucket it falls in; `None` with no observations.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        let i = self.counts.iter().position(|&c| {
            seen += c;
            seen >= rank
        })?;
        Some(2f64.powf(i as f64 / PER_DOUBLING) / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_the_bucket_error() {
        let mut h = Histogram::default();
        for ms in 1..=100u32 {
            h.record(ms * 1000);
        }
        for (q, want) in [(0.5, 50.0), (0.9, 90.0), (0.99, 99.0)] {
            let got = h.quantile_ms(q).unwrap();
            assert!(got >= want && got <= want * 1.091, "p{q}: {got} vs {want}");
        }
        assert_eq!(Histogram::default().quantile_ms(0.5), None);
    }

    #[test]
    fn histograms_merge_by_adding() {
        let (mut a, mut b) = (Histogram::default(), Histogram::default());
        a.record(1000);
        b.record(1000);
        b.record(u32::MAX);
        a.add(&b);
        assert_eq!(a.count(), 3);
    }

    #[test]
    fn hit_ratio_counts_coalesced_as_served() {
        let c = Counts {
            hit_memory: 5,
            hit_redis: 2,
            miss: 2,
            coalesced: 1,
            ..Counts::default()
        };
        assert_eq!(c.lookups(), 10);
        assert!((c.hit_ratio() - 0.8).abs() < 1e-12);
        assert_eq!(Counts::default().hit_ratio(), 0.0);
    }
}
