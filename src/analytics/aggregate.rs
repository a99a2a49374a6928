//! The aggregate: where buffered events end up, off the request path. Exact
//! totals, the per-minute series and the latency histogram, plus the two
//! bounded top lists (charts, sources). Owned by one mutex that the request
//! path never takes (except to shed a backlog, see `stripes`).

use super::counts::{Counts, Histogram};
use super::event::Event;
use super::meta::{ChartMeta, MetaStore};
use super::series::Series;
use super::snapshot::{ChartStat, RendererStat, Snapshot, SourceStat, Top};
use super::topk::SpaceSaving;
use crate::chart::ChartKey;
use crate::labels::{CacheStatus, Drawer};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Minutes waiting to be flushed to Redis, at most a day's: older ones are
/// out of the series anyway.
const MAX_DIRTY_MINUTES: usize = super::series::MINUTES;

#[derive(Default)]
pub(crate) struct ChartCounts {
    counts: Counts,
    render_us: u32,
    first_seen: u32,
    last_seen: u32,
    meta: Option<Arc<ChartMeta>>,
}

pub(crate) struct Aggregate {
    pub(crate) totals: Counts,
    pub(crate) latency: Histogram,
    /// `totals` and `latency` per renderer, in `Drawer::ALL`'s order.
    renderers: [(Counts, Histogram); 2],
    pub(crate) series: Series,
    charts: SpaceSaving<ChartKey, ChartCounts, ahash::RandomState>,
    sources: SpaceSaving<String, Counts, ahash::RandomState>,
    /// Minutes counted into since the last flush to Redis; `None` without Redis.
    dirty: Option<BTreeSet<u32>>,
    started_at: u64,
}

impl Aggregate {
    pub(crate) fn new(
        top_charts: usize,
        top_sources: usize,
        started_at: u64,
        cluster: bool,
    ) -> Self {
        Aggregate {
            totals: Counts::default(),
            latency: Histogram::default(),
            renderers: Default::default(),
            series: Series::default(),
            charts: SpaceSaving::new(top_charts),
            sources: SpaceSaving::new(top_sources),
            dirty: cluster.then(BTreeSet::new),
            started_at,
        }
    }

    pub(crate) fn apply(&mut self, events: &[Event], meta: &MetaStore) {
        for ev in events {
            self.apply_one(ev, meta);
        }
    }

    fn apply_one(&mut self, ev: &Event, meta: &MetaStore) {
        self.totals.record(ev);
        // `Drawer::ALL` lists the drawers in their declared order.
        let (counts, latency) = &mut self.renderers[ev.drawer as usize];
        counts.record(ev);
        if ev.status == CacheStatus::Miss {
            self.latency.record(ev.render_us);
            latency.record(ev.render_us);
        }
        let minute = ev.at / 60;
        if let Some(c) = self.series.at(minute) {
            c.record(ev);
        }
        if let Some(dirty) = &mut self.dirty {
            if dirty.insert(minute) && dirty.len() > MAX_DIRTY_MINUTES {
                dirty.pop_first();
            }
        }
        self.count_chart(ev, meta);
        if !ev.source.is_none() {
            self.sources.offer(&*ev.source.text(), 1).value.record(ev);
        }
    }

    fn count_chart(&mut self, ev: &Event, meta: &MetaStore) {
        let c = &mut self.charts.offer(&ev.key, 1).value;
        if c.first_seen == 0 {
            c.first_seen = ev.at;
        }
        c.last_seen = c.last_seen.max(ev.at);
        c.render_us = ev.render_us;
        c.counts.record(ev);
        if c.meta.is_none() {
            c.meta = meta.get(&ev.key).map(|r| Arc::clone(&r.meta));
        }
    }

    /// Takes the minutes counted into since the last flush, with their
    /// counts so far (absolute, so writing them twice does no harm).
    pub(crate) fn take_dirty(&mut self) -> Vec<(u32, Counts)> {
        let dirty = self.dirty.as_mut().map(std::mem::take).unwrap_or_default();
        dirty
            .into_iter()
            .filter_map(|m| Some((m, *self.series.at(m)?)))
            .collect()
    }

    /// Marks minutes whose flush failed, to go with the next one.
    pub(crate) fn restore_dirty(&mut self, failed: impl IntoIterator<Item = u32>) {
        if let Some(dirty) = &mut self.dirty {
            dirty.extend(failed);
            while dirty.len() > MAX_DIRTY_MINUTES {
                dirty.pop_first();
            }
        }
    }

    /// Sizes of the bounded parts: (charts listed, sources listed, minutes to flush).
    pub(crate) fn footprint(&self) -> (usize, usize, usize) {
        let dirty = self.dirty.as_ref().map_or(0, BTreeSet::len);
        (self.charts.len(), self.sources.len(), dirty)
    }

    /// Everything, as of `now` (Unix seconds), with `minutes` of series.
    pub(crate) fn snapshot(&self, now: u64, minutes: usize) -> Snapshot {
        let mut snap = Snapshot {
            replicas: 1,
            taken_at: now,
            started_at: self.started_at,
            totals: self.totals,
            latency: self.latency.clone(),
            series: self.series.window((now / 60) as u32, minutes),
            charts: self.chart_list(),
            sources: self.source_list(),
            // Counted by the origin module, filled in by `Shared`.
            origins: Vec::new(),
            renderers: Drawer::ALL
                .iter()
                .zip(&self.renderers)
                .filter(|(_, (counts, _))| !counts.is_zero())
                .map(|(drawer, (counts, latency))| RendererStat {
                    name: drawer.as_str().to_owned(),
                    counts: *counts,
                    latency: latency.clone(),
                })
                .collect(),
        };
        snap.charts.sort();
        snap.sources.sort();
        snap
    }

    fn chart_list(&self) -> Top<ChartStat> {
        let entries = self
            .charts
            .counters()
            .map(|c| ChartStat {
                key: c.key.to_hex(),
                count: c.count,
                error: c.error,
                counts: c.value.counts,
                render_us: c.value.render_us,
                first_seen: u64::from(c.value.first_seen),
                last_seen: u64::from(c.value.last_seen),
                meta: c.value.meta.as_deref().cloned(),
            })
            .collect();
        Top {
            capacity: self.charts.capacity() as u64,
            total: self.charts.total(),
            floor: self.charts.floor(),
            entries,
        }
    }

    fn source_list(&self) -> Top<SourceStat> {
        let entries = self
            .sources
            .counters()
            .map(|c| SourceStat {
                source: c.key.clone(),
                count: c.count,
                error: c.error,
                counts: c.value,
            })
            .collect();
        Top {
            capacity: self.sources.capacity() as u64,
            total: self.sources.total(),
            floor: self.sources.floor(),
            entries,
        }
    }
}
