//! Single-flight: concurrent misses on one key share one render.
//!
//! The first request for a missing key (the leader) starts the fill as a task
//! of its own, so the render is not tied to the leader's connection: if that
//! client goes away, the render goes on for everyone waiting. Every request,
//! the leader included, then waits on the flight's `watch` channel.
//!
//! What waiters get when the fill fails: the same failure (a 4xx, 500, 503 or
//! 504 for all of them), and nothing is cached. The flight is removed from the
//! map before its outcome is published, so the next request after a failure
//! starts a fresh render and no key is ever stuck; a guard removes it even if
//! the fill task itself panics, and waiters then see `Panic`.

use super::memory::{Entry, MemoryTier};
use crate::chart::ChartKey;
use crate::render::pool::RenderFailure;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// What a fill ends with, shared by the leader and every waiter.
pub type Outcome = Result<Fill, RenderFailure>;

/// Where a fill found its picture: the leader's `X-Cache` depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Already in memory (a fill had just finished).
    Memory,
    /// Rendered by this process.
    Rendered,
    /// Read from the shared Redis tier.
    Redis,
    /// Rendered by another replica, waited for through its Redis lease.
    Peer,
}

/// A filled chart and where it came from.
#[derive(Clone, Debug)]
pub struct Fill {
    pub entry: Arc<Entry>,
    pub source: Source,
}

type Slot = watch::Receiver<Option<Outcome>>;

/// How a request took part in a fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// It found the key already in memory (a fill had just finished).
    Hit,
    /// It started the fill.
    Leader,
    /// It waited on a fill another request started.
    Waiter,
}

#[derive(Default)]
pub struct Flights {
    inflight: Mutex<HashMap<ChartKey, Slot>>,
}

impl Flights {
    /// Returns the key's entry, filling it with `fill` unless a fill is already
    /// running, in which case this waits on that one. `fill` runs as its own
    /// task and puts a successful result into `memory` before it is published.
    pub async fn get_or_fill<F, Fut>(
        self: &Arc<Self>,
        key: ChartKey,
        memory: &MemoryTier,
        fill: F,
    ) -> (Outcome, Role)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        let (mut slot, role) = {
            let mut map = self.inflight.lock().expect("flights lock");
            if let Some(slot) = map.get(&key) {
                (slot.clone(), Role::Waiter)
            } else if let Some(entry) = memory.get(&key) {
                // A fill finished between the caller's lookup and this lock:
                // fills insert into memory before they leave the map.
                let source = Source::Memory;
                return (Ok(Fill { entry, source }), Role::Hit);
            } else {
                let (tx, rx) = watch::channel(None);
                map.insert(key, rx.clone());
                let guard = FlightGuard {
                    flights: Arc::clone(self),
                    key,
                };
                let fut = fill();
                let memory = memory.clone();
                tokio::spawn(async move {
                    let outcome = fut.await;
                    if let Ok(fill) = &outcome {
                        memory.insert(Arc::clone(&fill.entry));
                    }
                    drop(guard);
                    let _ = tx.send(Some(outcome));
                });
                (rx, Role::Leader)
            }
        };
        let outcome = match slot.wait_for(Option::is_some).await {
            Ok(done) => done.clone().expect("wait_for saw Some"),
            // The fill task died before publishing (it panicked).
            Err(_) => Err(RenderFailure::Panic),
        };
        (outcome, role)
    }

    /// Fills running now.
    pub fn len(&self) -> usize {
        self.inflight.lock().expect("flights lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Removes a flight from the map when its fill ends, however it ends.
struct FlightGuard {
    flights: Arc<Flights>,
    key: ChartKey,
}

impl Drop for FlightGuard {
    fn drop(&mut self) {
        if let Ok(mut map) = self.flights.inflight.lock() {
            map.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Format;
    use bytes::Bytes;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tokio::sync::Barrier;

    fn memory() -> MemoryTier {
        MemoryTier::new(16 * 1024 * 1024, Duration::from_secs(60))
    }

    fn entry(key: ChartKey) -> Fill {
        let entry = Arc::new(Entry::new(
            key,
            Bytes::from_static(b"png"),
            Format::Png,
            Duration::from_millis(5),
        ));
        Fill {
            entry,
            source: Source::Rendered,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_misses_fill_once() {
        let flights = Arc::new(Flights::default());
        let mem = memory();
        let calls = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(64));
        let key = ChartKey([7; 32]);
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let (flights, mem, calls, barrier) =
                (flights.clone(), mem.clone(), calls.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let (out, role) = flights
                    .get_or_fill(key, &mem, || {
                        calls.fetch_add(1, Ordering::SeqCst);
                        async move {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok(entry(key))
                        }
                    })
                    .await;
                (out.unwrap().entry.body.clone(), role)
            }));
        }
        let mut leaders = 0;
        for t in tasks {
            let (body, role) = t.await.unwrap();
            assert_eq!(&body[..], b"png");
            leaders += (role == Role::Leader) as usize;
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(leaders, 1);
        assert!(flights.is_empty());
        assert!(mem.get(&key).is_some());
    }

    #[tokio::test]
    async fn failure_reaches_waiters_and_is_not_cached() {
        let flights = Arc::new(Flights::default());
        let mem = memory();
        let key = ChartKey([9; 32]);
        let (out, role) = flights
            .get_or_fill(key, &mem, || async { Err(RenderFailure::Panic) })
            .await;
        assert_eq!(out.unwrap_err(), RenderFailure::Panic);
        assert_eq!(role, Role::Leader);
        assert!(mem.get(&key).is_none());
        assert!(
            flights.is_empty(),
            "a failed fill must not leave the key stuck"
        );
        let (out, role) = flights
            .get_or_fill(key, &mem, || async move { Ok(entry(key)) })
            .await;
        assert!(out.is_ok());
        assert_eq!(role, Role::Leader, "the next request renders afresh");
    }

    #[tokio::test]
    async fn a_fill_task_that_panics_frees_its_key() {
        let flights = Arc::new(Flights::default());
        let mem = memory();
        let key = ChartKey([3; 32]);
        let (out, _) = flights
            .get_or_fill(key, &mem, || async { panic!("fill task bug") })
            .await;
        assert_eq!(out.unwrap_err(), RenderFailure::Panic);
        assert!(flights.is_empty());
    }
}
