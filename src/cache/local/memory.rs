//! The memory tier: a moka cache of rendered charts, bounded by the bytes it
//! holds, with the cache TTL.
//!
//! Eviction policy: LRU, chosen on purpose. moka's default TinyLFU admission
//! can refuse a new key when the cache is full and the key's estimated
//! frequency is low, and a freshly rendered chart always looks low-frequency.
//! Refusing it would mean paying for the same render again on the very next
//! dashboard view, which is exactly what this gateway exists to avoid; scans
//! (one-off charts) are cheap to evict under LRU.

use crate::cache::entry::{Entry, KeyHasher};
use crate::chart::ChartKey;
use moka::policy::EvictionPolicy;
use std::sync::Arc;
use std::time::Duration;

/// Each entry lives its own `ttl`, else the cache TTL.
struct EntryTtl(Duration);

impl moka::Expiry<ChartKey, Arc<Entry>> for EntryTtl {
    fn expire_after_create(
        &self,
        _key: &ChartKey,
        entry: &Arc<Entry>,
        _created_at: std::time::Instant,
    ) -> Option<Duration> {
        Some(entry.ttl.unwrap_or(self.0))
    }
}

/// The byte-bounded memory tier; `None` inside when configured off.
#[derive(Clone)]
pub struct MemoryTier {
    cache: Option<moka::sync::Cache<ChartKey, Arc<Entry>, KeyHasher>>,
}

impl MemoryTier {
    /// A tier of `max_bytes`; 0 makes a tier that holds nothing.
    pub(crate) fn new(max_bytes: u64, ttl: Duration) -> MemoryTier {
        if max_bytes == 0 {
            return MemoryTier { cache: None };
        }
        let cache = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|_k: &ChartKey, e: &Arc<Entry>| e.weight())
            .expire_after(EntryTtl(ttl))
            .eviction_policy(EvictionPolicy::lru())
            .build_with_hasher(KeyHasher);
        MemoryTier { cache: Some(cache) }
    }

    #[inline]
    pub(crate) fn get(&self, key: &ChartKey) -> Option<Arc<Entry>> {
        self.cache.as_ref()?.get(key)
    }

    pub(crate) fn insert(&self, entry: Arc<Entry>) {
        if let Some(cache) = &self.cache {
            cache.insert(entry.key, entry);
        }
    }

    pub(crate) fn remove(&self, key: &ChartKey) {
        if let Some(cache) = &self.cache {
            cache.invalidate(key);
        }
    }

    pub(crate) fn clear(&self) {
        if let Some(cache) = &self.cache {
            cache.invalidate_all();
        }
    }

    /// (bytes held, entries), after applying pending bookkeeping so the figures
    /// are current.
    pub(crate) fn usage(&self) -> (u64, u64) {
        self.cache.as_ref().map_or((0, 0), |cache| {
            cache.run_pending_tasks();
            (cache.weighted_size(), cache.entry_count())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Format;
    use bytes::Bytes;

    fn entry(i: u8, size: usize) -> Arc<Entry> {
        Arc::new(Entry::new(
            ChartKey([i; 32]),
            Bytes::from(vec![0u8; size]),
            Format::Png,
            Duration::from_millis(1),
        ))
    }

    #[test]
    fn an_entry_lives_its_own_ttl() {
        let tier = MemoryTier::new(2 * 1024 * 1024, Duration::from_secs(60));
        let short = Entry::new(
            ChartKey([1; 32]),
            Bytes::from_static(b"x"),
            Format::Png,
            Duration::ZERO,
        );
        tier.insert(Arc::new(short.with_ttl(Duration::from_millis(300))));
        tier.insert(entry(2, 10));
        assert!(tier.get(&ChartKey([1; 32])).is_some());
        std::thread::sleep(Duration::from_millis(600));
        assert!(tier.get(&ChartKey([1; 32])).is_none(), "outlived its TTL");
        assert!(
            tier.get(&ChartKey([2; 32])).is_some(),
            "the cache TTL is a minute"
        );
    }

    #[test]
    fn bounded_by_bytes_and_keeps_new_entries() {
        let tier = MemoryTier::new(2 * 1024 * 1024, Duration::from_secs(60));
        for i in 0..100u8 {
            tier.insert(entry(i, 100 * 1024));
            // LRU admits every new chart: the one just rendered is always there.
            assert!(tier.get(&ChartKey([i; 32])).is_some(), "entry {i} refused");
        }
        let (bytes, entries) = tier.usage();
        assert!(bytes <= 2 * 1024 * 1024, "{bytes} bytes held");
        assert!(entries < 25, "{entries} entries");
    }
}
