//! The cluster view: every replica flushes its figures into Redis at most
//! once a second, in one pipeline, and `/stats?scope=cluster` merges them.
//!
//! Keys (all under the hash tag `{analytics}`, so one Cluster slot holds
//! them and one pipeline reaches them all):
//!
//! ```text
//! chartgate:<version>:{analytics}:replicas:<unix minute>  hash: replica id → snapshot JSON
//!                                                  (totals, latency, top lists), 2 min TTL
//! chartgate:<version>:{analytics}:minute:<unix minute>    hash: replica id → that minute's counts, 25 h TTL
//! ```
//!
//! Both hold absolute figures (counts since the replica started, a
//! minute's counts so far), never increments, so a flush that is retried
//! or lands twice counts nothing twice. A replica is in the cluster view
//! while its latest snapshot is under a minute old. Commands go through the
//! cache's one Redis link (`RedisTier::pipeline`): its connection, its
//! breaker, its deadline (`redis.timeout_ms`) and its error counts (a flush
//! is a `set`, a merge read a `get`). Nothing here is on a chart request's
//! path.

use super::counts::Counts;
use super::series::Window;
use super::snapshot::Snapshot;
use super::Shared;
use crate::cache::shared::keys;
use crate::cache::shared::RedisTier;
use crate::labels::RedisOp;
use ::redis::{FromRedisValue, Pipeline};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// Flush period: "at most once a second".
const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// A replica whose latest flush is older than this is not counted.
const FRESH_SECS: u64 = 60;
/// Entries of each top list a replica flushes.
const FLUSH_TOP: usize = 100;
const SNAPSHOT_TTL_MS: u64 = 120_000;
const MINUTE_TTL_SECS: u64 = 25 * 3600;

/// Redis did not answer in time, or answered with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unreachable;

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redis is unreachable")
    }
}

pub(crate) struct Cluster {
    link: Arc<Link>,
    shared: Weak<Shared>,
    task: tokio::task::AbortHandle,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Cluster {
    /// Starts flushing through the shared tier's link, when there is one
    /// (`redis.url` is set; the tier lives on a Tokio runtime).
    pub fn start(tier: Option<RedisTier>, shared: Weak<Shared>) -> Option<Cluster> {
        let link = Arc::new(Link {
            tier: tier?,
            replica: replica_id(),
        });
        let task = tokio::spawn(flush_loop(Arc::clone(&link), shared.clone()));
        Some(Cluster {
            link,
            shared,
            task: task.abort_handle(),
        })
    }

    pub async fn flush(&self) -> Result<(), Unreachable> {
        match self.shared.upgrade() {
            Some(shared) => flush(&self.link, &shared).await,
            None => Ok(()),
        }
    }

    /// `local` merged with every other fresh replica's latest flush.
    pub async fn merged(&self, local: Snapshot, minutes: usize) -> Result<Snapshot, Unreachable> {
        let link = &self.link;
        let now_minute = (local.taken_at / 60) as u32;
        let first = now_minute + 1 - (minutes.max(1) as u32).min(now_minute + 1);
        let mut pipe = ::redis::pipe();
        for m in [now_minute, now_minute.saturating_sub(1)] {
            pipe.cmd("HGETALL").arg(key("replicas", m));
        }
        for m in first..=now_minute {
            pipe.cmd("HGETALL").arg(key("minute", m));
        }
        let mut hashes: Vec<HashMap<String, String>> = link.run(RedisOp::Get, &pipe).await?;
        let minute_hashes = hashes.split_off(2.min(hashes.len()));
        let mut merged = local;
        for other in fresh_replicas(&hashes, &link.replica, merged.taken_at) {
            merged.merge(&other);
        }
        merged
            .series
            .add(&others_series(first, &minute_hashes, &link.replica));
        Ok(merged)
    }
}

/// A replica's flushed snapshot.
#[derive(Serialize, Deserialize)]
struct Flushed {
    replica: String,
    snapshot: Snapshot,
}

async fn flush_loop(link: Arc<Link>, shared: Weak<Shared>) {
    let mut every = tokio::time::interval(FLUSH_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if flush(&link, &shared).await.is_err() {
            tracing::debug!("analytics flush to redis failed; retrying next second");
        }
    }
}

async fn flush(link: &Link, shared: &Shared) -> Result<(), Unreachable> {
    let now = shared.tick();
    let (mut snapshot, minutes) = {
        let mut agg = shared.settled();
        (agg.snapshot(now, 0), agg.take_dirty())
    };
    snapshot.charts.truncate(FLUSH_TOP);
    snapshot.sources.truncate(FLUSH_TOP);
    snapshot.origins = shared.origin_stats();
    let flushed = Flushed {
        replica: link.replica.clone(),
        snapshot,
    };
    let json = serde_json::to_string(&flushed).expect("a snapshot serializes");
    let bucket = key("replicas", (now / 60) as u32);
    let mut pipe = ::redis::pipe();
    pipe.cmd("HSET")
        .arg(&bucket)
        .arg(&link.replica)
        .arg(json)
        .ignore();
    pipe.cmd("PEXPIRE")
        .arg(&bucket)
        .arg(SNAPSHOT_TTL_MS)
        .ignore();
    for (minute, counts) in &minutes {
        let k = key("minute", *minute);
        pipe.cmd("HSET")
            .arg(&k)
            .arg(&link.replica)
            .arg(encode(counts))
            .ignore();
        pipe.cmd("EXPIRE").arg(&k).arg(MINUTE_TTL_SECS).ignore();
    }
    let sent = link.run::<()>(RedisOp::Set, &pipe).await;
    if sent.is_err() {
        shared
            .aggregate()
            .restore_dirty(minutes.into_iter().map(|(m, _)| m));
    }
    sent
}

/// The latest snapshot of each other replica flushed within `FRESH_SECS`.
fn fresh_replicas(hashes: &[HashMap<String, String>], me: &str, now: u64) -> Vec<Snapshot> {
    let mut latest: HashMap<String, Snapshot> = HashMap::new();
    for (id, json) in hashes.iter().flatten() {
        let Ok(f) = serde_json::from_str::<Flushed>(json) else {
            tracing::debug!(replica = %id, "unreadable analytics snapshot in redis");
            continue;
        };
        if f.replica == me || now.saturating_sub(f.snapshot.taken_at) > FRESH_SECS {
            continue;
        }
        match latest.get(&f.replica) {
            Some(have) if have.taken_at >= f.snapshot.taken_at => {}
            _ => {
                latest.insert(f.replica, f.snapshot);
            }
        }
    }
    latest.into_values().collect()
}

/// The other replicas' per-minute counts, from `first` on.
fn others_series(first: u32, hashes: &[HashMap<String, String>], me: &str) -> Window {
    let points = hashes
        .iter()
        .map(|h| {
            let mut sum = Counts::default();
            for counts in h
                .iter()
                .filter(|(id, _)| *id != me)
                .filter_map(|(_, v)| decode(v))
            {
                sum.add(&counts);
            }
            sum
        })
        .collect();
    Window {
        start: first,
        points,
    }
}

fn key(kind: &str, minute: u32) -> String {
    format!("{}{{analytics}}:{kind}:{minute}", keys::prefix())
}

/// A minute's counts as seven comma-separated numbers.
fn encode(c: &Counts) -> String {
    let f = [
        c.hit_memory,
        c.hit_redis,
        c.miss,
        c.coalesced,
        c.bytes,
        c.render_us,
        c.saved_us,
    ];
    f.map(|n| n.to_string()).join(",")
}

fn decode(text: &str) -> Option<Counts> {
    let n: Vec<u64> = text
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [hit_memory, hit_redis, miss, coalesced, bytes, render_us, saved_us] = n[..] else {
        return None;
    };
    Some(Counts {
        hit_memory,
        hit_redis,
        miss,
        coalesced,
        bytes,
        render_us,
        saved_us,
    })
}

/// A random id for this process, so a restarted replica is a new one.
fn replica_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        bytes = (std::process::id() as u64).to_le_bytes();
    }
    crate::chart::key::hex(&bytes)
}

/// The shared tier's link, with this replica's id.
struct Link {
    tier: RedisTier,
    replica: String,
}

impl Link {
    /// One pipeline through the shared link.
    async fn run<T: FromRedisValue>(&self, op: RedisOp, pipe: &Pipeline) -> Result<T, Unreachable> {
        self.tier.pipeline(op, pipe).await.map_err(|_| Unreachable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minute_counts_round_trip() {
        let c = Counts {
            hit_memory: 1,
            hit_redis: 2,
            miss: 3,
            coalesced: 4,
            bytes: 5,
            render_us: 6,
            saved_us: 7,
        };
        assert_eq!(decode(&encode(&c)), Some(c));
        assert_eq!(decode("1,2,3"), None);
        assert_eq!(decode("a,b,c,d,e,f,g"), None);
    }

    #[test]
    fn keys_share_one_cluster_slot() {
        let v = keys::version();
        assert_eq!(
            key("minute", 7),
            format!("chartgate:{v}:{{analytics}}:minute:7")
        );
        assert_eq!(
            key("replicas", 7),
            format!("chartgate:{v}:{{analytics}}:replicas:7")
        );
    }

    #[test]
    fn stale_and_own_snapshots_are_left_out() {
        let flushed = |replica: &str, taken_at: u64| {
            let f = Flushed {
                replica: replica.into(),
                snapshot: Snapshot {
                    replicas: 1,
                    taken_at,
                    ..Snapshot::default()
                },
            };
            (replica.to_string(), serde_json::to_string(&f).unwrap())
        };
        let now = 10_000;
        let this_minute: HashMap<_, _> = [flushed("a", now - 1), flushed("me", now)].into();
        let last_minute: HashMap<_, _> = [flushed("a", now - 50), flushed("old", now - 61)].into();
        let got = fresh_replicas(&[this_minute, last_minute], "me", now);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].taken_at, now - 1, "the latest of replica a");
    }
}
