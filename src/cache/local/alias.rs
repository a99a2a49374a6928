//! Request-form aliases: the raw query string of a GET that was already
//! parsed, mapped to the key its normalized chart hashed to and its output
//! format (a picture read from Redis is checked against both).
//!
//! Normalizing a chart means parsing its config, filling defaults and hashing
//! the canonical form: tens of microseconds for a large config. Dashboards
//! repeat the very same `<img>` URL, so remembering URL → key lets a hit skip
//! all of that. The alias is keyed by the full query text (compared byte for
//! byte), so a hash collision can never alias two different requests.
//! Spellings that differ still meet at the same key through the slow path.

use crate::cache::entry::weight;
use crate::chart::{ChartKey, Format};
use std::time::Duration;

/// What a seen URL normalized to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alias {
    pub key: ChartKey,
    /// The output format: what a stored picture for `key` must be.
    pub format: Format,
}

/// Bytes counted per alias beside its text: the key and moka's node.
const ALIAS_OVERHEAD: u32 = 128;

/// Seen request text → what it normalized to: `Alias` for chart queries;
/// origin mode keeps its own map of request targets.
///
/// Hashed with foldhash: a hit hashes its whole query (12 KB for the
/// reference chart), which foldhash does at ~40 GB/s where ahash's
/// portable path (no AES without `target-cpu`) does ~20 (measured on this
/// repository's reference query). The map still compares the full text,
/// so the hash only places entries.
#[derive(Clone)]
pub struct Aliases<V = Alias> {
    cache: moka::sync::Cache<Box<str>, V, foldhash::quality::RandomState>,
}

impl<V: Clone + Send + Sync + 'static> Aliases<V> {
    pub(crate) fn new(max_bytes: u64, ttl: Duration) -> Aliases<V> {
        let cache = moka::sync::Cache::<Box<str>, V, _>::builder()
            .max_capacity(max_bytes)
            .weigher(|k, _v| weight(k.len(), ALIAS_OVERHEAD))
            .time_to_live(ttl)
            .build_with_hasher(foldhash::quality::RandomState::default());
        Aliases { cache }
    }

    #[inline]
    pub fn get(&self, query: &str) -> Option<V> {
        self.cache.get(query)
    }

    pub fn insert(&self, query: &str, alias: V) {
        self.cache.insert(query.into(), alias);
    }
}
