//! What a chart is (type, title, size) and how to draw it again, learnt
//! where the spec is at hand: on the render thread, after a render.
//!
//! The hit path only knows a key, so the summary of top charts looks the
//! rest up here. The render pool hands it every chart it drew
//! (`Analytics::on_rendered`), kept in a byte-bounded LRU store; the canonical spec kept beside it lets
//! `/stats` make a top chart's `/chart/render/KEY` thumbnail answer even
//! after its picture left the memory tier.

use crate::cache::{weight, KeyHasher};
use crate::chart::{ChartKey, ChartRequest, Prepared};
use bytes::Bytes;
use moka::policy::EvictionPolicy;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Bound of the store: specs of the charts rendered most recently.
const STORE_BYTES: u64 = 16 * 1024 * 1024;
/// Characters of a title kept for display.
const MAX_TITLE_CHARS: usize = 120;

/// What the dashboard shows about a chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartMeta {
    /// The Chart.js type name.
    #[serde(rename = "type")]
    pub kind: String,
    /// The chart's title lines, joined; empty when it has none.
    pub title: String,
    /// CSS pixels, before the device pixel ratio.
    pub width: u32,
    pub height: u32,
}

impl ChartMeta {
    pub(crate) fn of(req: &ChartRequest) -> ChartMeta {
        let title = req
            .chart
            .title
            .as_ref()
            .map(|t| t.lines.join(" "))
            .unwrap_or_default();
        ChartMeta {
            kind: req.type_name().to_string(),
            title: title.chars().take(MAX_TITLE_CHARS).collect(),
            width: req.output.width,
            height: req.output.height,
        }
    }
}

pub(crate) struct Remembered {
    pub meta: Arc<ChartMeta>,
    /// `key::canonical` of the request, when small enough to keep.
    pub canonical: Option<Bytes>,
}

/// Recently rendered charts, bounded by bytes, least recently used out.
#[derive(Clone)]
pub(crate) struct MetaStore {
    cache: moka::sync::Cache<ChartKey, Arc<Remembered>, KeyHasher>,
}

impl Default for MetaStore {
    fn default() -> Self {
        let cache = moka::sync::Cache::builder()
            .max_capacity(STORE_BYTES)
            .weigher(|_k: &ChartKey, r: &Arc<Remembered>| {
                let spec = r.canonical.as_ref().map_or(0, Bytes::len);
                weight(spec + r.meta.title.len(), 160)
            })
            // LRU, not TinyLFU: a chart rendered once looks rare, yet it is
            // exactly the one whose hits are about to be counted.
            .eviction_policy(EvictionPolicy::lru())
            .build_with_hasher(KeyHasher);
        MetaStore { cache }
    }
}

impl MetaStore {
    /// Remembers a chart just drawn, from the key and canonical bytes its
    /// request already carries.
    pub fn remember(&self, chart: &Prepared) {
        let remembered = Remembered {
            meta: Arc::new(ChartMeta::of(&chart.req)),
            // A copy of exactly `len` bytes: the store weighs `len`, and
            // `Bytes::from(Vec)` would keep serde_json's spare capacity too.
            // A big spec (more than `KEPT_CANONICAL_BYTES`) is not kept: a
            // thumbnail of a 100,000-point chart is not worth a megabyte.
            canonical: chart.canonical.as_deref().map(Bytes::copy_from_slice),
        };
        self.cache.insert(chart.key, Arc::new(remembered));
    }

    pub fn get(&self, key: &ChartKey) -> Option<Arc<Remembered>> {
        self.cache.get(key)
    }

    pub fn entry_count(&self) -> u64 {
        self.cache.run_pending_tasks();
        self.cache.entry_count()
    }
}
