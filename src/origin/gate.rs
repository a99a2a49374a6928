//! The bound on what reaches one origin from this replica: `max_concurrency`
//! calls at once, `queue` more waiting for one of them, and beyond that a
//! refusal at once (503 `overloaded`), so a slow origin never piles up
//! requests here. Answers from the tiers never pass through the gate.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

pub(crate) struct Gate {
    permits: Arc<Semaphore>,
    max: usize,
    waiting: AtomicUsize,
    queue: usize,
}

/// Why a call did not get through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The queue was full.
    Overloaded,
    /// The deadline passed in the queue.
    TimedOut,
}

/// A place in the queue; leaving it (however) frees it.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Relaxed);
    }
}

impl Gate {
    pub(crate) fn new(max: usize, queue: usize) -> Gate {
        Gate {
            permits: Arc::new(Semaphore::new(max)),
            max,
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// A call slot, at once, after waiting in the queue until `deadline`,
    /// or refused.
    pub(crate) async fn enter(&self, deadline: Instant) -> Result<OwnedSemaphorePermit, Refused> {
        if let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() {
            return Ok(permit);
        }
        let place = self.waiting.fetch_add(1, Relaxed);
        let _waiting = Waiting(&self.waiting);
        if place >= self.queue {
            return Err(Refused::Overloaded);
        }
        let acquire = Arc::clone(&self.permits).acquire_owned();
        match tokio::time::timeout_at(deadline, acquire).await {
            Ok(permit) => Ok(permit.expect("the gate's semaphore is never closed")),
            Err(_) => Err(Refused::TimedOut),
        }
    }

    /// Calls running now.
    pub(crate) fn in_flight(&self) -> usize {
        self.max - self.permits.available_permits()
    }

    /// Calls waiting now.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn calls_beyond_the_slots_queue_and_beyond_the_queue_are_refused() {
        let gate = Arc::new(Gate::new(2, 1));
        let far = Instant::now() + Duration::from_secs(3600);
        let a = gate.enter(far).await.unwrap();
        let _b = gate.enter(far).await.unwrap();
        assert_eq!(gate.in_flight(), 2);
        let queued = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.enter(far).await.map(drop) }
        });
        while gate.waiting() == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(gate.enter(far).await.err(), Some(Refused::Overloaded));
        drop(a);
        assert_eq!(queued.await.unwrap(), Ok(()));
        assert_eq!(gate.waiting(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_holds_in_the_queue() {
        let gate = Gate::new(1, 4);
        let _held = gate.enter(Instant::now()).await.unwrap();
        let soon = Instant::now() + Duration::from_millis(100);
        assert_eq!(gate.enter(soon).await.err(), Some(Refused::TimedOut));
        assert_eq!(gate.waiting(), 0);
    }
}
