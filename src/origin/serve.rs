//! How one request to an origin is answered, in order:
//!
//! 1. Memory: a fresh answer is served; an expired one still within its
//!    revalidate window (the origin's `stale-while-revalidate`, else
//!    `stale_secs`) is served at once (`X-Cache: stale`) while one
//!    background refresh runs — so when the origin is down, expired answers
//!    keep being served and the failure is only counted. Past that window,
//!    but within its stale one (`stale-if-error`, else `stale_secs`), the
//!    request waits for the call (step 2) and gets the stale answer when
//!    the call fails; a key whose call failed lately is answered stale at
//!    once, so a failing origin is not called once per view.
//! 2. Otherwise one fill per key (the flights of `cache`), and with Redis
//!    one per key across every replica, as for renders: Redis's copy when
//!    fresh; else the Redis lease, whose holder calls while the other
//!    replicas wait for its "done"; the call takes a slot in the gate, and
//!    `policy` says whether its answer is kept. A kept answer goes to
//!    memory, to Redis (for its freshness and stale window) and to every
//!    request that waited on it. When the call fails and Redis held an
//!    expired copy, that copy is served stale.
//!
//! What waiters get when the answer is not kept: a 5xx (buffered, bounded)
//! is shared with them, so a failing origin is not called once per waiter;
//! an answer that is private to its request (`no-store`, `private`,
//! `Set-Cookie`, too large, a type not stored) goes to the request that
//! made the call only, and each waiter makes its own call through the gate.
//! A call that fails (refused, timed out, queue full) fails for every
//! waiter; nothing is kept, and the next request calls again.

use super::gate::Refused;
use super::policy::{self, Keep};
use super::upstream::{read_bounded, Call, Read, Relay};
use super::Origin;
use crate::cache::local::flight::{Flight, Role, Source};
use crate::cache::shared::{Claim, Lookup, RedisTier, Wait};
use crate::cache::{status_of, Answer, ChartCache, Entry};
use crate::chart::ChartKey;
use crate::labels::{CacheStatus, OriginOutcome};
use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::http::response::Parts;
use hyper::Method;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::Instant;

/// A request to an origin, as the HTTP layer read it.
pub(crate) struct Ask<'a> {
    /// The path below `/o/<name>`, starting with `/`.
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) headers: &'a HeaderMap,
    /// A POST's body in canonical JSON (`canonical_json`).
    pub(crate) json: Option<String>,
}

/// How a request was answered.
pub(crate) enum Served {
    /// An answer kept in a tier (or just kept), with how it was found.
    Kept(Arc<Entry>, OriginOutcome),
    /// A 5xx of the origin, buffered and shared with the waiters, unkept.
    Relayed(Arc<Entry>),
    /// An answer for this request only, streamed from the origin.
    Streamed(Parts, Relay),
    /// No answer: chartgate's own error.
    Failed(Failure),
}

/// Why there is no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    Refused(Refused),
    /// The origin did not answer by `timeout_ms`.
    Timeout,
    /// The origin could not be reached, or broke off.
    Unreachable(String),
}

/// What a fill publishes to the requests that share it.
#[derive(Clone)]
pub(crate) enum Fetched {
    /// Kept, and where it was found.
    Kept(Arc<Entry>, Source),
    /// The call failed; Redis's expired copy stands in (and goes to memory
    /// for the rest of its stale window).
    Stale(Arc<Entry>),
    Relayed(Arc<Entry>),
    /// For the leader only: it takes the answer out.
    Private(Arc<Mutex<Option<(Parts, Relay)>>>),
    Failed(Failure),
}

impl Flight for Fetched {
    /// Only a fresh answer ends a fill before it starts: an expired one in
    /// memory is what a refresh replaces.
    fn from_memory(entry: Arc<Entry>) -> Option<Self> {
        let fresh = entry
            .answer()
            .is_some_and(|a| a.is_fresh(SystemTime::now()));
        fresh.then_some(Fetched::Kept(entry, Source::Memory))
    }

    fn entry(&self) -> Option<&Arc<Entry>> {
        match self {
            Fetched::Kept(entry, _) | Fetched::Stale(entry) => Some(entry),
            _ => None,
        }
    }

    fn died() -> Self {
        Fetched::Failed(Failure::Unreachable("the call to the origin failed".into()))
    }
}

impl Origin {
    /// The key of `ask` and the call that answers it.
    pub(crate) fn prepare(&self, ask: &Ask<'_>) -> (ChartKey, Arc<Call>) {
        let query = super::key::normalized_query(ask.query, &self.ignore);
        let headers: Vec<_> = self
            .key_headers
            .iter()
            .map(|name| (name.clone(), ask.headers.get(name).cloned()))
            .collect();
        let key = super::key::Identity {
            origin: &self.cfg.name,
            path: ask.path,
            query: &query,
            headers: &headers,
            body: ask.json.as_deref(),
        }
        .key();
        let target = match query.is_empty() {
            true => ask.path.to_owned(),
            false => format!("{}?{query}", ask.path),
        };
        let call = Call {
            method: if ask.json.is_some() {
                Method::POST
            } else {
                Method::GET
            },
            target,
            headers: headers
                .into_iter()
                .filter_map(|(name, value)| Some((name, value?)))
                .collect(),
            body: ask.json.clone().map(Bytes::from),
        };
        (key, Arc::new(call))
    }

    /// Answers `key` (see the module doc).
    pub(crate) async fn serve(
        self: &Arc<Self>,
        cache: &ChartCache,
        key: ChartKey,
        call: Arc<Call>,
    ) -> Served {
        let mut expired = None;
        if let Some(entry) = cache.lookup(&key) {
            if let Some(answer) = entry.answer() {
                let now = SystemTime::now();
                if answer.is_fresh(now) {
                    return self.kept(entry, OriginOutcome::Cached(CacheStatus::HitMemory));
                }
                if answer.may_revalidate(now) || self.refreshed.contains_key(&key) {
                    self.refresh(cache, key, Arc::clone(&call));
                    return self.kept(entry, OriginOutcome::Stale);
                }
                expired = Some(entry);
            }
        }
        let me = Arc::clone(self);
        let fill_call = Arc::clone(&call);
        let redis = cache.redis().cloned();
        let (fetched, role) = self
            .flights
            .get_or_fill(key, cache.memory(), move || async move {
                let fetched = me.fill(key, &fill_call, redis.as_ref()).await;
                or_stale(fetched, expired)
            })
            .await;
        match (fetched, role) {
            (Fetched::Kept(entry, source), role) => {
                self.kept(entry, OriginOutcome::Cached(status_of(role, source)))
            }
            (Fetched::Stale(entry), _) => {
                // Its call failed: the views after it are answered stale
                // at once for a while (`refresh`'s interval).
                self.refreshed.insert(key, ());
                self.kept(entry, OriginOutcome::Stale)
            }
            (Fetched::Relayed(entry), _) => self.relayed(entry),
            (Fetched::Private(slot), Role::Leader) => self.take_private(&slot),
            (Fetched::Private(_), _) => self.call_alone(key, &call).await,
            (Fetched::Failed(failure), _) => self.failed(failure),
        }
    }

    fn relayed(&self, entry: Arc<Entry>) -> Served {
        self.counters
            .answered(OriginOutcome::Bypass, Duration::ZERO);
        Served::Relayed(entry)
    }

    fn failed(&self, failure: Failure) -> Served {
        self.counters.answered(OriginOutcome::Error, Duration::ZERO);
        Served::Failed(failure)
    }

    /// The answer private to the request that made the call.
    fn take_private(&self, slot: &Mutex<Option<(Parts, Relay)>>) -> Served {
        match slot.lock().expect("private answer lock").take() {
            Some((parts, relay)) => self.streamed(parts, relay),
            None => self.failed(taken()),
        }
    }

    fn kept(&self, entry: Arc<Entry>, outcome: OriginOutcome) -> Served {
        self.counters.answered(outcome, entry.render_time);
        Served::Kept(entry, outcome)
    }

    fn streamed(&self, parts: Parts, relay: Relay) -> Served {
        self.counters
            .answered(OriginOutcome::Bypass, Duration::ZERO);
        Served::Streamed(parts, relay)
    }

    /// A waiter's own call, when the leader's answer was private to it.
    async fn call_alone(&self, key: ChartKey, call: &Call) -> Served {
        match self.call_gated(key, call).await {
            Fetched::Kept(entry, _) | Fetched::Stale(entry) | Fetched::Relayed(entry) => {
                self.relayed(entry)
            }
            Fetched::Private(slot) => self.take_private(&slot),
            Fetched::Failed(failure) => self.failed(failure),
        }
    }

    /// One background refresh of an expired answer. Its outcome replaces
    /// the answer when kept; a failure leaves the stale answer in place (it
    /// is served until its stale window ends) and no refresh of that key starts
    /// again for `error_ttl_secs` (at least a second), so an origin that is
    /// down or failing gets one call per key per interval, not one per
    /// stale request; an answer the origin now says not to keep removes it.
    fn refresh(self: &Arc<Self>, cache: &ChartCache, key: ChartKey, call: Arc<Call>) {
        if self.refreshed.contains_key(&key) {
            return;
        }
        self.refreshed.insert(key, ());
        let me = Arc::clone(self);
        let memory = cache.memory().clone();
        let redis = cache.redis().cloned();
        tokio::spawn(async move {
            let filler = Arc::clone(&me);
            let (fetched, _) = me
                .flights
                .get_or_fill(key, &memory, move || async move {
                    filler.fill(key, &call, redis.as_ref()).await
                })
                .await;
            match fetched {
                Fetched::Kept(..) => me.refreshed.invalidate(&key),
                Fetched::Private(_) => {
                    memory.remove(&key);
                    me.refreshed.invalidate(&key);
                }
                // Failed: the key stays in `refreshed` for its interval.
                Fetched::Failed(_) | Fetched::Relayed(_) | Fetched::Stale(_) => {}
            }
        });
    }

    /// One fill of `key` (module doc, step 2).
    async fn fill(&self, key: ChartKey, call: &Call, redis: Option<&RedisTier>) -> Fetched {
        let Some(redis) = redis else {
            return self.call_gated(key, call).await;
        };
        let deadline = Instant::now() + self.timeout();
        let fresh = |e: &Arc<Entry>| e.answer().is_some_and(|a| a.is_fresh(SystemTime::now()));
        let stale = match redis.get_origin(&key).await {
            Lookup::Hit(entry) if fresh(&entry) => return Fetched::Kept(entry, Source::Redis),
            Lookup::Hit(entry) => Some(entry),
            _ => None,
        };
        loop {
            match redis.acquire_lease(key).await {
                Claim::Acquired(lease) => {
                    // The previous holder may have stored it since our GET.
                    if let Lookup::Hit(entry) = redis.get_origin(&key).await {
                        if fresh(&entry) {
                            lease.release();
                            return Fetched::Kept(entry, Source::Redis);
                        }
                    }
                    let fetched = self.call_gated(key, call).await;
                    match &fetched {
                        Fetched::Kept(entry, _) => {
                            let ttl = entry.ttl.unwrap_or_default();
                            lease.complete_for(redis.codec().encode_entry(entry), ttl);
                        }
                        _ => lease.release(),
                    }
                    return or_stale(fetched, stale);
                }
                Claim::Busy => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    match redis.wait_for_origin(key, left).await {
                        Wait::Landed(entry) if fresh(&entry) => {
                            return Fetched::Kept(entry, Source::Peer)
                        }
                        Wait::Landed(_) | Wait::LeaseGone if Instant::now() < deadline => {}
                        Wait::Landed(_) | Wait::LeaseGone | Wait::TimedOut => {
                            return or_stale(Fetched::Failed(Failure::Timeout), stale)
                        }
                        Wait::Unavailable => break,
                    }
                }
                Claim::Unavailable => break,
            }
        }
        // Redis is down: this replica calls on its own.
        or_stale(self.call_gated(key, call).await, stale)
    }

    /// The call, bounded by the gate and `timeout_ms`, and its verdict.
    async fn call_gated(&self, key: ChartKey, call: &Call) -> Fetched {
        let deadline = Instant::now() + self.timeout();
        let permit = match self.gate.enter(deadline).await {
            Ok(permit) => permit,
            Err(refused) => return Fetched::Failed(Failure::Refused(refused)),
        };
        let started = Instant::now();
        let fetched = self.call(key, call, deadline, permit).await;
        let failed = matches!(fetched, Fetched::Failed(_) | Fetched::Relayed(_));
        self.counters.called(started.elapsed(), failed);
        if let Fetched::Failed(f) = &fetched {
            tracing::warn!(origin = %self.cfg.name, failure = ?f, "origin call failed");
        }
        fetched
    }

    async fn call(
        &self,
        key: ChartKey,
        call: &Call,
        deadline: Instant,
        permit: OwnedSemaphorePermit,
    ) -> Fetched {
        let started = Instant::now();
        let stored_at = SystemTime::now();
        let resp = match tokio::time::timeout_at(deadline, self.upstream.send(call)).await {
            Err(_) => return Fetched::Failed(Failure::Timeout),
            Ok(Err(why)) => return Fetched::Failed(Failure::Unreachable(why)),
            Ok(Ok(resp)) => resp,
        };
        let (parts, body) = resp.into_parts();
        // Kept: (fresh, revalidate, stale); `None`: a 5xx, read to be
        // shared unkept.
        let kept = match policy::decide(parts.status, &parts.headers, &self.cfg) {
            Keep::For {
                fresh,
                revalidate,
                stale,
            } => Some((fresh, revalidate, stale)),
            Keep::Not(_) if parts.status.is_server_error() => None,
            Keep::Not(why) => {
                tracing::debug!(origin = %self.cfg.name, why, "answer relayed unkept");
                return private(parts, Relay::of(body).holding(permit, self.timeout()));
            }
        };
        let bounded = read_bounded(body, self.cfg.max_body_bytes);
        let bytes = match tokio::time::timeout_at(deadline, bounded).await {
            Err(_) => return Fetched::Failed(Failure::Timeout),
            Ok(Err(e)) => return Fetched::Failed(Failure::Unreachable(e.to_string())),
            Ok(Ok(Read::Over(relay))) => {
                return private(parts, relay.holding(permit, self.timeout()))
            }
            Ok(Ok(Read::Whole(bytes))) => bytes,
        };
        drop(permit);
        let content_type = parts
            .headers
            .get(CONTENT_TYPE)
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream"));
        let (fresh, revalidate, stale) = kept.unwrap_or_default();
        let answer = Answer::new(parts.status, content_type, stored_at, [fresh, revalidate]);
        let entry = Entry::origin(key, bytes, answer, started.elapsed());
        let ttl = fresh + revalidate.max(stale);
        match kept {
            Some(_) => Fetched::Kept(Arc::new(entry.with_ttl(ttl)), Source::Rendered),
            None => Fetched::Relayed(Arc::new(entry)),
        }
    }

    /// The deadline of a call (queue wait included), and how long a relayed
    /// answer may stall.
    fn timeout(&self) -> Duration {
        Duration::from_millis(self.cfg.timeout_ms)
    }
}

/// A failed call, or a 5xx (RFC 5861's errors), falls back on an expired
/// copy, when there is one.
fn or_stale(fetched: Fetched, stale: Option<Arc<Entry>>) -> Fetched {
    match (fetched, stale) {
        (Fetched::Failed(_) | Fetched::Relayed(_), Some(entry)) => Fetched::Stale(entry),
        (fetched, _) => fetched,
    }
}

fn private(parts: Parts, relay: Relay) -> Fetched {
    Fetched::Private(Arc::new(Mutex::new(Some((parts, relay)))))
}

/// What a request gets when the answer private to it is gone (its fill
/// task died before publishing it).
fn taken() -> Failure {
    Failure::Unreachable("the origin's answer was taken by another request".into())
}
