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

use super::memory::MemoryTier;
use crate::cache::entry::Entry;
use crate::chart::ChartKey;
use crate::render::pool::RenderFailure;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// What a fill ends with, shared by the leader and every waiter.
pub(crate) type Outcome = Result<Fill, RenderFailure>;

/// Where a fill found its picture: the leader's `X-Cache` depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
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
pub(crate) struct Fill {
    pub(crate) entry: Arc<Entry>,
    pub(crate) source: Source,
}

/// What a flight publishes to the requests that share it: a render's
/// `Outcome`, or a plain Redis read's `Option<Arc<Entry>>`.
pub trait Flight: Clone + Send + Sync + 'static {
    /// The result for a key found in memory under the flights lock; `None`
    /// when that entry does not end the fill (an origin's expired answer).
    fn from_memory(entry: Arc<Entry>) -> Option<Self>;
    /// The entry to keep in memory before the result is published, if any.
    fn entry(&self) -> Option<&Arc<Entry>>;
    /// What waiters get when the fill task dies without publishing.
    fn died() -> Self;
}

impl Flight for Outcome {
    fn from_memory(entry: Arc<Entry>) -> Option<Self> {
        Some(Ok(Fill {
            entry,
            source: Source::Memory,
        }))
    }

    fn entry(&self) -> Option<&Arc<Entry>> {
        self.as_ref().ok().map(|fill| &fill.entry)
    }

    fn died() -> Self {
        Err(RenderFailure::Panic)
    }
}

impl Flight for Option<Arc<Entry>> {
    fn from_memory(entry: Arc<Entry>) -> Option<Self> {
        Some(Some(entry))
    }

    fn entry(&self) -> Option<&Arc<Entry>> {
        self.as_ref()
    }

    fn died() -> Self {
        None
    }
}

/// How a request took part in a fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// It found the key already in memory (a fill had just finished).
    Hit,
    /// It started the fill.
    Leader,
    /// It waited on a fill another request started.
    Waiter,
}

pub(crate) struct Flights<T = Outcome> {
    inflight: Mutex<HashMap<ChartKey, watch::Receiver<Option<T>>>>,
}

impl<T> Default for Flights<T> {
    fn default() -> Self {
        Flights {
            inflight: Mutex::default(),
        }
    }
}

impl<T: Flight> Flights<T> {
    /// Returns the key's entry, filling it with `fill` unless a fill is already
    /// running, in which case this waits on that one. `fill` runs as its own
    /// task and puts a successful result into `memory` before it is published.
    pub(crate) async fn get_or_fill<F, Fut>(
        self: &Arc<Self>,
        key: ChartKey,
        memory: &MemoryTier,
        fill: F,
    ) -> (T, Role)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T> + Send + 'static,
    {
        let (mut slot, role) = {
            let mut map = self.inflight.lock().expect("flights lock");
            // A fill that finished between the caller's lookup and this lock
            // left its entry in memory: fills insert before they leave the map.
            let found = || memory.get(&key).and_then(T::from_memory);
            if let Some(slot) = map.get(&key) {
                (slot.clone(), Role::Waiter)
            } else if let Some(found) = found() {
                return (found, Role::Hit);
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
                    if let Some(entry) = outcome.entry() {
                        memory.insert(Arc::clone(entry));
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
            Err(_) => T::died(),
        };
        (outcome, role)
    }

    /// Fills running now (unit tests check that every fill cleans up).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.inflight.lock().expect("flights lock").len()
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Removes a flight from the map when its fill ends, however it ends.
struct FlightGuard<T> {
    flights: Arc<Flights<T>>,
    key: ChartKey,
}

impl<T> Drop for FlightGuard<T> {
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
        let flights = Arc::new(Flights::<Outcome>::default());
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_reads_share_one_fetch_and_a_miss_is_not_kept() {
        let reads = Arc::new(Flights::<Option<Arc<Entry>>>::default());
        let mem = memory();
        let calls = Arc::new(AtomicUsize::new(0));
        let key = ChartKey([5; 32]);
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (reads, mem, calls) = (reads.clone(), mem.clone(), calls.clone());
            tasks.push(tokio::spawn(async move {
                let (found, _) = reads
                    .get_or_fill(key, &mem, || {
                        calls.fetch_add(1, Ordering::SeqCst);
                        async {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            None
                        }
                    })
                    .await;
                found.is_none()
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap(), "a miss is a miss for every reader");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(mem.get(&key).is_none());
        assert!(reads.is_empty());
    }

    #[tokio::test]
    async fn failure_reaches_waiters_and_is_not_cached() {
        let flights = Arc::new(Flights::<Outcome>::default());
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
        let flights = Arc::new(Flights::<Outcome>::default());
        let mem = memory();
        let key = ChartKey([3; 32]);
        let (out, _) = flights
            .get_or_fill(key, &mem, || async { panic!("fill task bug") })
            .await;
        assert_eq!(out.unwrap_err(), RenderFailure::Panic);
        assert!(flights.is_empty());
    }
}
