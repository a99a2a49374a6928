//! Origin mode: chartgate in front of a chart service that already exists
//! (a FastAPI + matplotlib app, say), each `[[origin]]` served at
//! `/o/<name>/<path>`. Its answers go through the same tiers as charts —
//! the byte-bounded memory tier, Redis shared by replicas — under keys of
//! their own (`key.rs`), with one call per key at a time (the flights of
//! `cache`), at most `max_concurrency` calls and `queue` waiting per replica
//! (`gate.rs`), the origin's `Cache-Control` read as a shared cache reads it
//! (`policy.rs`), and stale answers served while one refresh runs or when
//! the origin fails (`serve.rs`). `upstream.rs` makes the call;
//! `counters.rs` keeps each origin's figures.
//!
//! The HTTP layer (`http/origin.rs`) turns a request into an `Ask` and a
//! `Served` into a response; nothing here knows of routes.

mod counters;
mod gate;
mod key;
mod policy;
mod serve;
mod upstream;

pub(crate) use gate::Refused;
pub(crate) use key::canonical_json;
pub(crate) use serve::{Ask, Failure, Served};
pub use upstream::StreamError;

use crate::analytics::OriginStat;
use crate::cache::local::flight::Flights;
use crate::cache::{Aliases, KeyHasher};
use crate::chart::ChartKey;
use crate::config::OriginConfig;
use crate::labels::OriginOutcome;
use hyper::header::HeaderName;
use std::sync::Arc;
use std::time::Duration;
use wildmatch::WildMatch;

/// Every configured origin, by name.
pub struct Origins {
    list: Vec<Arc<Origin>>,
    /// Request targets (`/o/<name>/<path>?<query>`) seen before → the
    /// origin and key they normalized to, so a hit needs no parsing (as
    /// chart URLs have). Only for origins without `key_headers`, whose key
    /// is the target's alone.
    seen: Aliases<Seen>,
}

/// What a seen target normalized to.
#[derive(Clone, Copy)]
pub(crate) struct Seen {
    origin: u16,
    key: ChartKey,
}

impl Origins {
    /// The origins of the config; the map of seen targets holds at most
    /// `alias_bytes`.
    pub fn new(configs: &[OriginConfig], alias_bytes: u64, ttl: Duration) -> Origins {
        Origins {
            list: configs
                .iter()
                .map(|c| Arc::new(Origin::new(c, alias_bytes / 16)))
                .collect(),
            seen: Aliases::new(alias_bytes, ttl),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Arc<Origin>> {
        self.list.iter().find(|o| o.cfg.name == name)
    }

    /// The origin and key of a request target seen before.
    #[inline]
    pub(crate) fn seen(&self, target: &str) -> Option<(&Origin, ChartKey)> {
        let seen = self.seen.get(target)?;
        Some((self.list.get(usize::from(seen.origin))?, seen.key))
    }

    /// Remembers that `target` is `key` of `origin`, when only the target
    /// makes the key.
    pub(crate) fn remember(&self, origin: &Origin, target: &str, key: ChartKey) {
        if !origin.key_headers.is_empty() {
            return;
        }
        if let Some(at) = self.list.iter().position(|o| std::ptr::eq(&**o, origin)) {
            let origin = u16::try_from(at).unwrap_or(u16::MAX);
            self.seen.insert(target, Seen { origin, key });
        }
    }

    /// The `chartgate_origin_*` families (nothing without origins).
    pub(crate) fn write_metrics(&self, out: &mut String) {
        if self.list.is_empty() {
            return;
        }
        let each = self.list.iter().map(|o| (o.cfg.name.as_str(), &o.counters));
        counters::write_metrics(out, each);
    }

    /// Each origin's `/stats` figures on this replica.
    pub(crate) fn stats(&self) -> Vec<OriginStat> {
        let each = self.list.iter().map(|o| {
            let gate = (o.gate.in_flight(), o.gate.waiting());
            o.counters.stat(&o.cfg.name, gate)
        });
        each.collect()
    }
}

/// One fronted origin.
pub(crate) struct Origin {
    pub(crate) cfg: OriginConfig,
    ignore: Vec<WildMatch>,
    /// `key_headers`, parsed once (validated with the config).
    key_headers: Vec<HeaderName>,
    upstream: upstream::Upstream,
    gate: gate::Gate,
    flights: Arc<Flights<serve::Fetched>>,
    counters: counters::Counters,
    /// Keys a background refresh started for, until it succeeds or for
    /// `error_ttl_secs` (at least a second) when it fails: meanwhile their
    /// stale answers start no other refresh.
    refreshed: moka::sync::Cache<ChartKey, (), KeyHasher>,
}

/// Bytes counted per key being (or lately) refreshed: the key and moka's node.
const FAILED_WEIGHT: u32 = 96;

impl Origin {
    /// Counts an answer the HTTP layer gave without `serve` (a hit of a
    /// target seen before).
    pub(crate) fn answered(&self, outcome: OriginOutcome, call_time: Duration) {
        self.counters.answered(outcome, call_time);
    }

    /// `refreshed_bytes` bounds the keys remembered as being refreshed.
    fn new(cfg: &OriginConfig, refreshed_bytes: u64) -> Origin {
        let retry = Duration::from_secs(cfg.error_ttl_secs.max(1));
        let refreshed = moka::sync::Cache::builder()
            .max_capacity(refreshed_bytes)
            .weigher(|_: &ChartKey, _: &()| FAILED_WEIGHT)
            .time_to_live(retry)
            .build_with_hasher(KeyHasher);
        Origin {
            refreshed,
            ignore: cfg
                .ignore_params
                .iter()
                .map(|g| WildMatch::new(g))
                .collect(),
            key_headers: cfg
                .key_headers
                .iter()
                .filter_map(|h| HeaderName::from_bytes(h.as_bytes()).ok())
                .collect(),
            upstream: upstream::Upstream::new(&cfg.url),
            gate: gate::Gate::new(cfg.max_concurrency, cfg.queue),
            flights: Arc::new(Flights::default()),
            counters: counters::Counters::default(),
            cfg: cfg.clone(),
        }
    }
}
