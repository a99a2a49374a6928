//! The circuit breaker in front of Redis: it decides, without touching the
//! network, whether an operation may go to Redis at all.
//!
//! A Redis that is down must cost a request nothing: not a connect attempt,
//! not a timeout. So after a few consecutive failures the breaker opens and
//! every operation answers `Unavailable` at once; a background probe (PING
//! every `probe_interval`, see `link.rs`) is the only thing that talks to
//! Redis until it answers again.
//!
//! ```text
//!            probe ok
//!   ┌──────┐ ───────────────────────────────▶ ┌────┐
//!   │ Down │                                  │ Up │ ◀─┐ success: failures = 0
//!   └──────┘ ◀─────────────────────────────── └────┘ ──┘ failure: failures += 1
//!     ▲   │    `threshold` consecutive failures
//!     └───┘    (operations or probes; an error or a timeout each count)
//!   probe fails: stay Down, operations answer Unavailable without I/O
//! ```
//!
//! The tier starts `Down` (nothing is known yet; the first probe runs at
//! once), so a gateway started while Redis is down serves from the first
//! request. There is no separate half-open state: the probe is the trial
//! request, and it never delays a client.
//!
//! The state machine is driven by events only, no clock, so it is tested
//! without sleeping; the probe task supplies the time.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Consecutive failures that open the breaker.
pub(crate) const DEFAULT_THRESHOLD: u32 = 3;

/// A change of state the caller reports (gauge, log line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transition {
    None,
    WentDown,
    CameUp,
}

#[derive(Debug)]
pub(crate) struct Breaker {
    up: AtomicBool,
    failures: AtomicU32,
    threshold: u32,
}

impl Breaker {
    /// A breaker that starts `Down` and opens after `threshold` (at least 1)
    /// consecutive failures.
    pub(crate) fn new(threshold: u32) -> Breaker {
        Breaker {
            up: AtomicBool::new(false),
            failures: AtomicU32::new(0),
            threshold: threshold.max(1),
        }
    }

    /// Whether operations may go to Redis.
    #[inline]
    pub(crate) fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    /// An operation or probe got an answer.
    pub(crate) fn success(&self) {
        self.failures.store(0, Ordering::Relaxed);
    }

    /// An operation or probe failed or timed out.
    pub(crate) fn failure(&self) -> Transition {
        let failures = self
            .failures
            .fetch_add(1, Ordering::Relaxed)
            .saturating_add(1);
        if failures >= self.threshold && self.up.swap(false, Ordering::AcqRel) {
            Transition::WentDown
        } else {
            Transition::None
        }
    }

    /// The probe got an answer: Redis is usable again.
    pub(crate) fn probe_ok(&self) -> Transition {
        self.success();
        if self.up.swap(true, Ordering::AcqRel) {
            Transition::None
        } else {
            Transition::CameUp
        }
    }

    /// Consecutive failures so far (the probe rebuilds the connection after
    /// many of them).
    pub(crate) fn failures(&self) -> u32 {
        self.failures.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_down_and_comes_up_on_probe() {
        let b = Breaker::new(3);
        assert!(!b.is_up());
        assert_eq!(b.failure(), Transition::None, "already down");
        assert_eq!(b.probe_ok(), Transition::CameUp);
        assert!(b.is_up());
        assert_eq!(b.probe_ok(), Transition::None);
    }

    #[test]
    fn opens_after_threshold_consecutive_failures() {
        let b = Breaker::new(3);
        b.probe_ok();
        assert_eq!(b.failure(), Transition::None);
        assert_eq!(b.failure(), Transition::None);
        assert!(b.is_up());
        assert_eq!(b.failure(), Transition::WentDown);
        assert!(!b.is_up());
        assert_eq!(b.failure(), Transition::None, "reported once");
    }

    #[test]
    fn a_success_resets_the_count() {
        let b = Breaker::new(3);
        b.probe_ok();
        b.failure();
        b.failure();
        b.success();
        b.failure();
        b.failure();
        assert!(b.is_up(), "failures were not consecutive");
        assert_eq!(b.failure(), Transition::WentDown);
        assert_eq!(b.probe_ok(), Transition::CameUp);
        assert_eq!(b.failures(), 0);
    }

    #[test]
    fn threshold_zero_means_one() {
        let b = Breaker::new(0);
        b.probe_ok();
        assert_eq!(b.failure(), Transition::WentDown);
    }
}
