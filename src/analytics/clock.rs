//! Time for analytics, injectable: production reads the system clock, tests
//! and simulations set it by hand, so the per-minute series can be tested
//! without sleeping.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall-clock time in Unix seconds. Replicas bucket their counts by Unix
/// minute, so their series line up when merged.
pub trait Clock: Send + Sync + 'static {
    fn now_secs(&self) -> u64;
}

/// The system's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_secs(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// A clock that moves only when told to.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    pub fn new(unix_secs: u64) -> ManualClock {
        ManualClock(AtomicU64::new(unix_secs))
    }

    pub fn set(&self, unix_secs: u64) {
        self.0.store(unix_secs, Relaxed);
    }

    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_secs(), Relaxed);
    }
}

impl Clock for ManualClock {
    fn now_secs(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(600);
        assert_eq!(clock.now_secs(), 600);
        clock.advance(Duration::from_secs(90));
        assert_eq!(clock.now_secs(), 690);
        clock.set(5);
        assert_eq!(clock.now_secs(), 5);
        assert!(SystemClock.now_secs() > 1_700_000_000);
    }
}
