//! Cluster-wide single-flight: one replica renders a chart, the others wait
//! for its result instead of rendering it too.
//!
//! The protocol, for a chart that is in no tier:
//! 1. **Claim.** `SET <lease key> <random token> NX PX lease_ttl`. The replica
//!    that sets it holds the lease and renders (`Claim::Acquired`); the
//!    others get `Claim::Busy` and wait.
//! 2. **Hold.** While the lease is held a task renews it every `lease_ttl / 3`
//!    (`PEXPIRE` only if the value is still our token, in Lua), so a long
//!    render keeps it, and the lease of a process that died runs out within
//!    `lease_ttl`.
//! 3. **Finish.** `Lease::complete(frame)` stores the picture with the cache
//!    TTL and deletes the lease if it is still ours, atomically in one script,
//!    then publishes "done". `Lease::release()` (the render failed) only
//!    deletes the lease and publishes "done". Dropping a `Lease` releases it.
//!    Deleting is compare-and-delete, so a holder whose lease already expired
//!    never deletes the lease of the replica that took over.
//! 4. **Wait.** A waiter registers for the key's "done" message (one shared
//!    subscription per process, see `pubsub.rs`), then looks at Redis: picture
//!    there → `Wait::Landed`; no picture and no lease → `Wait::LeaseGone`;
//!    else it sleeps until "done" arrives or `poll_interval` passes (the
//!    fallback for a lost message; never a tight loop), and looks again, up
//!    to `max_wait` → `Wait::TimedOut`.
//!
//! When the holder fails: if its render failed it releases the lease and
//! the waiters see `LeaseGone` at once; if the process died, its lease
//! expires within `lease_ttl` and the next poll sees `LeaseGone`. Either way
//! a waiter that gets `LeaseGone` claims the lease again: `SET NX` lets
//! exactly one of them take over and the rest go back to waiting. Whenever
//! Redis fails (`Unavailable`) or the wait times out, the caller renders
//! locally: sharing is an optimisation, never a reason to fail a request.

use super::cached::{Cached, Stored};
use super::keys;
use super::link::{Link, Unavailable};
use super::pubsub::{self, Hub};
use crate::chart::ChartKey;
use crate::labels::RedisOp;
use ::redis::{Cmd, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::AbortHandle;

/// Extends the lease only while it is still ours.
const RENEW: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
     return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

/// Deletes the lease only while it is still ours.
const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
     return redis.call('DEL', KEYS[1]) else return 0 end";

/// Stores the picture, then deletes the lease if it is still ours: one step,
/// so no waiter ever sees "no lease" before the picture is there.
const COMPLETE: &str = "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) \
     if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end \
     return 1";

/// Polls are never closer together than this, whatever the options say.
const MIN_POLL: Duration = Duration::from_millis(20);

/// The answer to `RedisTier::acquire_lease`.
#[derive(Debug)]
pub enum Claim {
    /// This process renders; finish with `complete` or `release`.
    Acquired(Lease),
    /// Another replica renders it: `wait_for_result`.
    Busy,
    /// Redis is down or slow: render locally.
    Unavailable,
}

/// The answer to `RedisTier::wait_for_result` (a chart) and
/// `wait_for_origin` (an origin's answer).
#[derive(Debug)]
pub enum Wait<T = Cached> {
    /// The holder stored the picture.
    Landed(T),
    /// No picture and no lease: the holder gave up or died. Claim again.
    LeaseGone,
    /// `max_wait` passed: render locally.
    TimedOut,
    /// Redis is down or slow: render locally.
    Unavailable,
}

/// A held render lease. Renewed in the background until it is completed,
/// released or dropped.
pub struct Lease {
    link: Arc<Link>,
    key: ChartKey,
    token: String,
    chart_ttl: Duration,
    held: Arc<AtomicBool>,
    renew: AbortHandle,
    finished: bool,
}

impl Lease {
    /// False once a renewal found the lease gone or taken (it expired while
    /// Redis was unreachable). The render may go on; its result is still
    /// stored, only the lease is not deleted.
    pub fn is_held(&self) -> bool {
        self.held.load(Ordering::Relaxed)
    }

    /// Stores the framed picture (`RedisTier::codec().encode_entry`) with the cache TTL, ends
    /// the lease and wakes the waiters. Does not wait: runs as its own task.
    pub fn complete(self, frame: Vec<u8>) {
        let ttl = self.chart_ttl;
        self.complete_for(frame, ttl);
    }

    /// `complete` with a TTL of its own (an origin's answer lives its
    /// freshness and stale window, not the cache TTL).
    pub fn complete_for(mut self, frame: Vec<u8>, ttl: Duration) {
        self.stop();
        let (link, key, token) = (Arc::clone(&self.link), self.key, self.token.clone());
        let ttl_ms = millis(ttl);
        tokio::spawn(async move {
            let (img, lease) = (keys::img(&key), keys::lease(&key));
            let cmd = eval(COMPLETE, &[&img, &lease])
                .arg(frame)
                .arg(ttl_ms)
                .arg(token)
                .to_owned();
            if link.query::<i64>(RedisOp::Set, &cmd).await.is_ok() {
                let _ = pubsub::publish_done(&link, &key).await;
            }
        });
    }

    /// Ends the lease without a picture (the render failed), waking the
    /// waiters so one of them can try. Does not wait.
    pub fn release(mut self) {
        self.release_in_background();
    }

    /// Stops renewing and forgets the lease without deleting it: what a
    /// process that dies mid-render leaves behind. A test hook (takeover
    /// tests), built only for tests.
    #[cfg(any(test, feature = "test-support"))]
    pub fn abandon(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.renew.abort();
        self.finished = true;
    }

    fn release_in_background(&mut self) {
        if self.finished {
            return;
        }
        self.stop();
        // Without a runtime (process exit) the lease simply expires.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (link, key, token) = (Arc::clone(&self.link), self.key, self.token.clone());
        runtime.spawn(async move {
            let cmd = eval(RELEASE, &[&keys::lease(&key)]).arg(token).to_owned();
            if link.query::<i64>(RedisOp::Lease, &cmd).await.is_ok() {
                let _ = pubsub::publish_done(&link, &key).await;
            }
        });
    }
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lease")
            .field("key", &self.key)
            .field("held", &self.is_held())
            .finish_non_exhaustive()
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.release_in_background();
    }
}

/// Step 1: claim the lease for `key`.
pub(crate) async fn acquire(
    link: &Arc<Link>,
    key: ChartKey,
    lease_ttl: Duration,
    chart_ttl: Duration,
) -> Claim {
    let token = new_token();
    let cmd = ::redis::cmd("SET")
        .arg(keys::lease(&key))
        .arg(&token)
        .arg("NX")
        .arg("PX")
        .arg(millis(lease_ttl))
        .to_owned();
    match link.query::<Value>(RedisOp::Lease, &cmd).await {
        Ok(Value::Nil) => Claim::Busy,
        Ok(_) => Claim::Acquired(start(link, key, token, lease_ttl, chart_ttl)),
        Err(Unavailable) => Claim::Unavailable,
    }
}

fn start(
    link: &Arc<Link>,
    key: ChartKey,
    token: String,
    lease_ttl: Duration,
    chart_ttl: Duration,
) -> Lease {
    let held = Arc::new(AtomicBool::new(true));
    let renew = tokio::spawn(renew(
        Arc::clone(link),
        key,
        token.clone(),
        lease_ttl,
        Arc::clone(&held),
    ))
    .abort_handle();
    Lease {
        link: Arc::clone(link),
        key,
        token,
        chart_ttl,
        held,
        renew,
        finished: false,
    }
}

/// Step 2: keep the lease alive while the render runs.
async fn renew(
    link: Arc<Link>,
    key: ChartKey,
    token: String,
    lease_ttl: Duration,
    held: Arc<AtomicBool>,
) {
    let period = (lease_ttl / 3).max(Duration::from_millis(10));
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let cmd = eval(RENEW, &[&keys::lease(&key)])
        .arg(&token)
        .arg(millis(lease_ttl))
        .to_owned();
    loop {
        tick.tick().await;
        match link.query::<i64>(RedisOp::Lease, &cmd).await {
            Ok(1) => {}
            Ok(_) => {
                tracing::warn!(key = %key, "render lease lost before the render finished");
                held.store(false, Ordering::Relaxed);
                return;
            }
            // Redis is unreachable: keep trying; the lease may run out and
            // another replica take over, which costs one duplicate render.
            Err(Unavailable) => {}
        }
    }
}

/// Step 4: wait for another replica's fill of `key`; `decode` checks what
/// lands in its slot (a chart of a format, or an origin's answer) and
/// `None` counts as nothing there yet.
pub(crate) async fn wait<T>(
    link: &Link,
    hub: &Arc<Hub>,
    key: ChartKey,
    (max_wait, poll): (Duration, Duration),
    decode: impl Fn(Stored) -> Option<T>,
) -> Wait<T> {
    let deadline = Instant::now() + max_wait;
    let mut waiter = hub.register(key);
    let poll = poll.max(MIN_POLL);
    loop {
        match look(link, &key, &decode).await {
            Err(Unavailable) => return Wait::Unavailable,
            Ok(Some(Look::Landed(found))) => return Wait::Landed(found),
            Ok(Some(Look::Gone)) => return Wait::LeaseGone,
            Ok(None) => {}
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Wait::TimedOut;
        }
        tokio::select! {
            _ = waiter.woken() => {}
            _ = tokio::time::sleep(poll.min(left)) => {}
        }
    }
}

enum Look<T> {
    Landed(T),
    Gone,
}

/// One look: the value, its TTL and whether the lease exists, in one round
/// trip. `None` while the fill is still going.
async fn look<T>(
    link: &Link,
    key: &ChartKey,
    decode: &impl Fn(Stored) -> Option<T>,
) -> Result<Option<Look<T>>, Unavailable> {
    let mut pipe = ::redis::pipe();
    pipe.cmd("GET")
        .arg(keys::img(key))
        .cmd("PTTL")
        .arg(keys::img(key))
        .cmd("EXISTS")
        .arg(keys::lease(key));
    let (img, pttl, leased): (Option<Vec<u8>>, i64, bool) = link.pipe(RedisOp::Get, &pipe).await?;
    // A corrupt value counts as none: the next holder overwrites it.
    let found = img.and_then(|bytes| decode(Stored { bytes, pttl }));
    Ok(match (found, leased) {
        (Some(found), _) => Some(Look::Landed(found)),
        (None, false) => Some(Look::Gone),
        (None, true) => None,
    })
}

/// `EVAL script numkeys keys…`; the caller appends the arguments.
fn eval(script: &str, keys: &[&str]) -> Cmd {
    let mut cmd = ::redis::cmd("EVAL");
    cmd.arg(script).arg(keys.len()).arg(keys);
    cmd
}

pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// 128 random bits, hex: what makes a lease this holder's and no one else's.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness (never seen on Linux): time, pid and a counter
        // are still unique per holder, which is all the token must be.
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut hasher = blake3::Hasher::new();
        hasher.update(&std::process::id().to_le_bytes());
        hasher.update(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
        hasher.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
        bytes.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    }
    crate::chart::key::hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_hex() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn millis_never_zero() {
        assert_eq!(millis(Duration::ZERO), 1, "PX 0 is an error in Redis");
        assert_eq!(millis(Duration::from_secs(2)), 2000);
    }
}
