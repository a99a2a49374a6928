//! The chart cache: the memory tier in front, single-flight renders behind it.
//!
//! `lookup` is the hit path: one moka read, nothing else. `fetch` is the miss
//! path: a second look under the flights lock, then one render per key on the
//! render pool, shared by every request that asks for the key meanwhile.

pub mod alias;
pub mod breaker;
pub mod flight;
pub mod frame;
pub mod lease;
pub mod link;
pub mod memory;
pub mod pubsub;
pub mod redis;
pub mod status;

pub use alias::Aliases;
pub use flight::Outcome;
pub use memory::{Entry, MemoryTier};
pub use status::CacheStatus;

use crate::chart::{ChartKey, ChartRequest};
use crate::render::pool::RenderPool;
use flight::{Flights, Role};
use std::sync::Arc;

pub struct ChartCache {
    pub memory: MemoryTier,
    flights: Arc<Flights>,
    pool: Arc<RenderPool>,
}

impl ChartCache {
    pub fn new(memory: MemoryTier, pool: RenderPool) -> ChartCache {
        ChartCache {
            memory,
            flights: Arc::new(Flights::default()),
            pool: Arc::new(pool),
        }
    }

    /// The hit path: memory only, no lock, no allocation.
    #[inline]
    pub fn lookup(&self, key: &ChartKey) -> Option<Arc<Entry>> {
        self.memory.get(key)
    }

    /// Memory, else one shared render. The status says how this request was
    /// served: `Miss` for the request that rendered, `Coalesced` for those
    /// that waited on it.
    pub async fn fetch(&self, key: ChartKey, req: Arc<ChartRequest>) -> (Outcome, CacheStatus) {
        if let Some(entry) = self.memory.get(&key) {
            return (Ok(entry), CacheStatus::HitMemory);
        }
        let pool = Arc::clone(&self.pool);
        let (outcome, role) = self
            .flights
            .get_or_fill(key, &self.memory, move || async move {
                let format = req.output.format;
                let rendered = pool.render(req).await?;
                Ok(Arc::new(Entry::new(
                    key,
                    rendered.body,
                    format,
                    rendered.took,
                )))
            })
            .await;
        let status = match role {
            Role::Hit => CacheStatus::HitMemory,
            Role::Leader => CacheStatus::Miss,
            Role::Waiter => CacheStatus::Coalesced,
        };
        (outcome, status)
    }

    /// Renders running or queued now (one per distinct key).
    pub fn fills_in_flight(&self) -> usize {
        self.flights.len()
    }
}
