//! The chart cache: the local tier in front, the shared tier behind it, one
//! fill per missing key.
//!
//! - `local/`: memory, URL aliases, single-flight (this process alone);
//! - `shared/`: Redis, one link with its breaker and metrics, frames,
//!   leases, pub/sub (every replica);
//! - `fill.rs`: the miss pipeline that uses both and the render pool;
//! - `entry.rs`: what both tiers hold.
//!
//! `lookup` is the hit path: one moka read, nothing else. `fill` is the miss
//! path: a second look under the flights lock, then one fill per key (Redis,
//! another replica's render, or a render on the pool), shared by every
//! request that asks for the key meanwhile.

mod entry;
mod fill;
pub(crate) mod local;
pub mod shared;

pub(crate) use entry::Answer;
pub use entry::Entry;
pub(crate) use entry::{weight, KeyHasher};
pub use local::alias::{Alias, Aliases};
pub use local::memory::MemoryTier;

use crate::chart::{ChartKey, Format, Prepared};
use crate::labels::CacheStatus;
use crate::render::pool::RenderPool;
use fill::Filler;
use local::flight::{Flights, Role, Source};
use shared::{Purge, RedisTier, Unavailable};
use std::sync::Arc;
use std::time::Duration;

pub struct ChartCache {
    memory: MemoryTier,
    flights: Arc<Flights>,
    /// Concurrent Redis reads of one key share one GET (`fetch_stored`).
    reads: Arc<Flights<Option<Arc<Entry>>>>,
    filler: Filler,
}

impl ChartCache {
    /// `redis` is the shared tier when one is configured; `wait_limit` bounds
    /// how long a replica waits on another replica's render.
    pub fn new(
        memory: MemoryTier,
        pool: RenderPool,
        redis: Option<RedisTier>,
        wait_limit: Duration,
    ) -> ChartCache {
        if let Some(redis) = &redis {
            // Another replica's purge drops this replica's memory copies too.
            let memory = memory.clone();
            redis.on_purge(move |purge| match purge {
                Purge::Key(key) => memory.remove(&key),
                Purge::All => memory.clear(),
            });
        }
        ChartCache {
            memory,
            flights: Arc::new(Flights::default()),
            reads: Arc::new(Flights::default()),
            filler: Filler {
                pool: Arc::new(pool),
                redis,
                wait_limit,
            },
        }
    }

    /// Drops `key` from this replica's memory and, with Redis, from Redis
    /// and (through pub/sub) from every replica's memory. `Err` when Redis
    /// did not take it; the memory copy is gone either way.
    pub async fn purge(&self, key: &ChartKey) -> Result<(), Unavailable> {
        self.memory.remove(key);
        match self.redis() {
            Some(r) => r.purge(key).await,
            None => Ok(()),
        }
    }

    /// `purge` of every chart.
    pub async fn purge_all(&self) -> Result<(), Unavailable> {
        self.memory.clear();
        match self.redis() {
            Some(r) => r.purge_all().await.map(|_removed| ()),
            None => Ok(()),
        }
    }

    /// Bytes and entries held by the memory tier now (`/metrics`).
    pub fn memory_usage(&self) -> (u64, u64) {
        self.memory.usage()
    }

    /// The memory tier, which origin mode shares.
    pub(crate) fn memory(&self) -> &MemoryTier {
        &self.memory
    }

    /// The shared tier, when Redis is configured.
    pub fn redis(&self) -> Option<&RedisTier> {
        self.filler.redis.as_ref()
    }

    /// The hit path: memory only, no lock, no allocation.
    #[inline]
    pub fn lookup(&self, key: &ChartKey) -> Option<Arc<Entry>> {
        self.memory.get(key)
    }

    /// Memory, else one shared fill (Redis, another replica's render, or a
    /// render here). The status says how this request was served.
    pub async fn fetch(
        &self,
        chart: Arc<Prepared>,
    ) -> (
        Result<Arc<Entry>, crate::render::pool::RenderFailure>,
        CacheStatus,
    ) {
        if let Some(entry) = self.memory.get(&chart.key) {
            return (Ok(entry), CacheStatus::HitMemory);
        }
        self.fill(chart).await
    }

    /// `fetch` for a caller that has just looked in memory itself: one
    /// shared fill, which looks again only under the flights lock.
    pub async fn fill(
        &self,
        chart: Arc<Prepared>,
    ) -> (
        Result<Arc<Entry>, crate::render::pool::RenderFailure>,
        CacheStatus,
    ) {
        let key = chart.key;
        let filler = self.filler.clone();
        let (outcome, role) = self
            .flights
            .get_or_fill(key, &self.memory, move || filler.fill(chart))
            .await;
        match outcome {
            Ok(fill) => (Ok(fill.entry), status_of(role, fill.source)),
            Err(e) => (Err(e), status_of(role, Source::Rendered)),
        }
    }

    /// A chart stored in Redis, read without rendering and then kept in
    /// memory, for a caller that has just missed memory and knows the key
    /// and format before parsing (a URL seen before): a Redis hit costs no
    /// parsing. Concurrent reads of one key share one GET, whose lock looks
    /// in memory once more.
    pub async fn fetch_stored(
        &self,
        key: ChartKey,
        format: Format,
    ) -> Option<(Arc<Entry>, CacheStatus)> {
        let redis = self.filler.redis.clone()?;
        let (found, role) = self
            .reads
            .get_or_fill(key, &self.memory, move || async move {
                match redis.get_chart(&key, format).await {
                    shared::Lookup::Hit(cached) => {
                        let entry = cached.frame.into_entry(key).with_ttl(cached.ttl_left);
                        Some(Arc::new(entry))
                    }
                    _ => None,
                }
            })
            .await;
        let status = match role {
            Role::Hit => CacheStatus::HitMemory,
            Role::Leader | Role::Waiter => CacheStatus::HitRedis,
        };
        found.map(|entry| (entry, status))
    }
}

/// The `X-Cache` of one request: the leader reports where the picture came
/// from; everyone who waited on a fill was coalesced, except that waiting on
/// a Redis read is still a Redis hit.
pub(crate) fn status_of(role: Role, source: Source) -> CacheStatus {
    match (role, source) {
        (Role::Hit, _) | (_, Source::Memory) => CacheStatus::HitMemory,
        (_, Source::Redis) => CacheStatus::HitRedis,
        (Role::Leader, Source::Rendered) => CacheStatus::Miss,
        (Role::Leader, Source::Peer) | (Role::Waiter, _) => CacheStatus::Coalesced,
    }
}
