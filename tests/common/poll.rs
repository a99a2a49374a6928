//! The one way tests wait for something they cannot be told about directly
//! (a metric reaching a value, a key landing in Redis, a process exiting):
//! look again every few milliseconds until it holds.
//!
//! There is no time limit that a slow or busy machine could miss: the only
//! limit is `HANG_GUARD`, long enough that reaching it means the condition
//! will never hold, and it exists so a broken build fails with a message
//! instead of hanging CI. Tests never assert how fast something happened.
#![allow(dead_code)]

use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, Instant};

/// How long a test waits for a condition before it declares a hang. Not a
/// speed claim: everything waited for takes milliseconds on a quiet machine.
pub const HANG_GUARD: Duration = Duration::from_secs(30);

/// Time between two looks: short, since a look is cheap.
const INTERVAL: Duration = Duration::from_millis(10);

/// What a check answers: `false`/`None` to look again, `true`/`Some(v)` when
/// done (then `until` returns `()`/`v`).
pub trait Done {
    type Value;
    fn done(self) -> Option<Self::Value>;
}

impl Done for bool {
    type Value = ();
    fn done(self) -> Option<()> {
        self.then_some(())
    }
}

impl<T> Done for Option<T> {
    type Value = T;
    fn done(self) -> Option<T> {
        self
    }
}

/// Runs `check` until it is done and returns what it found; panics naming
/// `what` after `HANG_GUARD`. A synchronous check is written
/// `|| std::future::ready(…)`.
pub async fn until<D, F, Fut>(what: impl Display, mut check: F) -> D::Value
where
    D: Done,
    F: FnMut() -> Fut,
    Fut: Future<Output = D>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await.done() {
            return value;
        }
        guard(&what, start);
        tokio::time::sleep(INTERVAL).await;
    }
}

/// `until` for code outside an async runtime (starting a redis-server).
pub fn until_blocking<D: Done>(what: impl Display, mut check: impl FnMut() -> D) -> D::Value {
    let start = Instant::now();
    loop {
        if let Some(value) = check().done() {
            return value;
        }
        guard(&what, start);
        std::thread::sleep(INTERVAL);
    }
}

/// Bounds a future that ends by itself (a response, a wake-up) by
/// `HANG_GUARD`, so a bug fails the test instead of hanging it.
pub async fn hang_guard<T>(what: impl Display, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(HANG_GUARD, fut).await {
        Ok(value) => value,
        Err(_) => panic!("hang guard: {what} did not happen within {HANG_GUARD:?}"),
    }
}

fn guard(what: &impl Display, start: Instant) {
    assert!(
        start.elapsed() < HANG_GUARD,
        "hang guard: still waiting after {HANG_GUARD:?} for {what}"
    );
}
