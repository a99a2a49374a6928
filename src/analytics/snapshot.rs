//! `Snapshot`: everything `/stats` reports, as one serializable value that
//! merges with another replica's (`merge`), so the cluster view is the
//! local view folded over every replica.
//!
//! Totals, the series and the latency histogram merge exactly (addition).
//! Top lists merge as mergeable space-saving summaries: a key missing from
//! one list may still have been counted there up to that list's `floor`, so
//! it is credited that much and its `error` grows by as much. A merged
//! list's counts are thus still upper bounds, over by at most `error`, and
//! `floor` bounds every unlisted key.

use super::counts::{Counts, Histogram};
use super::meta::ChartMeta;
use super::series::Window;
use crate::labels::OriginOutcome;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// Replicas folded in.
    pub replicas: u32,
    /// Unix seconds when taken (the latest, once merged).
    pub taken_at: u64,
    /// Unix seconds since when counting (the earliest, once merged).
    pub started_at: u64,
    pub totals: Counts,
    /// Render durations of misses.
    pub latency: Histogram,
    /// Per-minute counts, oldest first.
    #[serde(default)]
    pub series: Window,
    pub charts: Top<ChartStat>,
    pub sources: Top<SourceStat>,
    /// Each fronted origin's figures (origin mode), by name.
    #[serde(default)]
    pub origins: Vec<OriginStat>,
    /// Each renderer's figures, by name: how much traffic takes the
    /// Chart.js renderer, the slow path.
    #[serde(default)]
    pub renderers: Vec<RendererStat>,
}

/// The lookups of charts one renderer drew, and its render durations.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RendererStat {
    /// `Drawer::as_str`: `native` or `chartjs`.
    pub name: String,
    pub counts: Counts,
    pub latency: Histogram,
}

/// One fronted origin's figures: counted by the origin module, carried
/// here so the cluster view sums them over replicas like everything else.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OriginStat {
    pub name: String,
    /// Requests by outcome (the metric labels: `hit_memory` … `error`).
    pub outcomes: BTreeMap<String, u64>,
    pub calls: u64,
    pub errors: u64,
    /// Origin time the hits saved, in microseconds.
    pub saved_us: u64,
    /// Calls running and waiting now.
    pub in_flight: u64,
    pub waiting: u64,
}

impl OriginStat {
    fn add(&mut self, other: &OriginStat) {
        for (outcome, n) in &other.outcomes {
            *self.outcomes.entry(outcome.clone()).or_default() += n;
        }
        self.calls += other.calls;
        self.errors += other.errors;
        self.saved_us += other.saved_us;
        self.in_flight += other.in_flight;
        self.waiting += other.waiting;
    }

    /// Requests answered, however.
    pub fn lookups(&self) -> u64 {
        self.outcomes.values().sum()
    }

    /// Requests that spared the origin a call.
    pub fn hits(&self) -> u64 {
        OriginOutcome::ALL
            .iter()
            .filter(|o| o.is_hit())
            .filter_map(|o| self.outcomes.get(o.metric_label()))
            .sum()
    }
}

/// The listed part of a space-saving summary.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Top<T> {
    /// Counters behind the list, over all replicas.
    pub capacity: u64,
    /// Lookups offered to the summary (`N`).
    pub total: u64,
    /// No key missing from `entries` has a count above this.
    pub floor: u64,
    /// Highest count first.
    pub entries: Vec<T>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartStat {
    /// The chart key, as in its ETag.
    pub key: String,
    /// Lookups, an upper bound: the true count is at least `count - error`.
    pub count: u64,
    pub error: u64,
    /// Exact, since the chart entered the summary.
    pub counts: Counts,
    /// Render time of the render that made the picture last served.
    pub render_us: u32,
    pub first_seen: u64,
    pub last_seen: u64,
    #[serde(default)]
    pub meta: Option<ChartMeta>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceStat {
    pub source: String,
    pub count: u64,
    pub error: u64,
    pub counts: Counts,
}

/// A top-list entry, as far as merging needs to know.
pub trait Ranked: Clone {
    fn id(&self) -> &str;
    fn count(&self) -> u64;
    /// Credits `n` lookups that may or may not have happened.
    fn widen(&mut self, n: u64);
    /// Adds the same key's figures from another replica.
    fn absorb(&mut self, other: &Self);
}

impl Ranked for ChartStat {
    fn id(&self) -> &str {
        &self.key
    }
    fn count(&self) -> u64 {
        self.count
    }
    fn widen(&mut self, n: u64) {
        self.count += n;
        self.error += n;
    }
    fn absorb(&mut self, other: &Self) {
        self.count += other.count;
        self.error += other.error;
        self.counts.add(&other.counts);
        if other.last_seen >= self.last_seen {
            self.render_us = other.render_us;
        }
        self.first_seen = self.first_seen.min(other.first_seen);
        self.last_seen = self.last_seen.max(other.last_seen);
        if self.meta.is_none() {
            self.meta.clone_from(&other.meta);
        }
    }
}

impl Ranked for SourceStat {
    fn id(&self) -> &str {
        &self.source
    }
    fn count(&self) -> u64 {
        self.count
    }
    fn widen(&mut self, n: u64) {
        self.count += n;
        self.error += n;
    }
    fn absorb(&mut self, other: &Self) {
        self.count += other.count;
        self.error += other.error;
        self.counts.add(&other.counts);
    }
}

impl<T: Ranked> Top<T> {
    /// Sorts by count, highest first (ties by id, so replicas agree).
    pub fn sort(&mut self) {
        self.entries
            .sort_by(|a, b| b.count().cmp(&a.count()).then_with(|| a.id().cmp(b.id())));
    }

    /// Keeps the first `len` entries; the first one dropped raises `floor`.
    pub fn truncate(&mut self, len: usize) {
        if let Some(dropped) = self.entries.get(len) {
            self.floor = self.floor.max(dropped.count());
        }
        self.entries.truncate(len);
    }

    pub fn merge(&mut self, other: &Top<T>) {
        let len = self.entries.len().max(other.entries.len());
        let at: HashMap<&str, usize> = other
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id(), i))
            .collect();
        let mut taken = vec![false; other.entries.len()];
        for mine in &mut self.entries {
            match at.get(mine.id()) {
                Some(&i) => {
                    mine.absorb(&other.entries[i]);
                    taken[i] = true;
                }
                None => mine.widen(other.floor),
            }
        }
        for (theirs, _) in other.entries.iter().zip(&taken).filter(|(_, t)| !**t) {
            let mut e = theirs.clone();
            e.widen(self.floor);
            self.entries.push(e);
        }
        self.capacity += other.capacity;
        self.total += other.total;
        self.floor += other.floor;
        self.sort();
        self.truncate(len);
    }
}

impl Snapshot {
    /// Folds another replica's snapshot into this one.
    pub fn merge(&mut self, other: &Snapshot) {
        self.replicas += other.replicas;
        self.taken_at = self.taken_at.max(other.taken_at);
        self.started_at = match (self.started_at, other.started_at) {
            (0, t) | (t, 0) => t,
            (a, b) => a.min(b),
        };
        self.totals.add(&other.totals);
        self.latency.add(&other.latency);
        self.series.add(&other.series);
        self.charts.merge(&other.charts);
        self.sources.merge(&other.sources);
        for theirs in &other.origins {
            match self.origins.iter_mut().find(|o| o.name == theirs.name) {
                Some(ours) => ours.add(theirs),
                None => self.origins.push(theirs.clone()),
            }
        }
        for theirs in &other.renderers {
            match self.renderers.iter_mut().find(|r| r.name == theirs.name) {
                Some(ours) => {
                    ours.counts.add(&theirs.counts);
                    ours.latency.add(&theirs.latency);
                }
                None => self.renderers.push(theirs.clone()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, count: u64) -> SourceStat {
        SourceStat {
            source: name.into(),
            count,
            error: 0,
            counts: Counts {
                hit_memory: count,
                ..Counts::default()
            },
        }
    }

    fn top(floor: u64, entries: Vec<SourceStat>) -> Top<SourceStat> {
        Top {
            capacity: 3,
            total: entries.iter().map(|e| e.count).sum::<u64>() + floor,
            floor,
            entries,
        }
    }

    #[test]
    fn merging_adds_shared_keys_and_widens_the_others() {
        let mut a = top(2, vec![source("x", 10), source("y", 5)]);
        let b = top(1, vec![source("x", 4), source("z", 7)]);
        a.merge(&b);
        let got: Vec<(&str, u64, u64)> = a
            .entries
            .iter()
            .map(|e| (e.source.as_str(), e.count, e.error))
            .collect();
        // x in both: exact sum. y only in a: may have had up to b.floor in b.
        // z only in b: up to a.floor in a. The list keeps the longer length.
        assert_eq!(got, [("x", 14, 0), ("z", 9, 2)]);
        assert_eq!(a.floor, 6, "y (6 at most) was dropped, above 2 + 1");
        assert_eq!(a.entries[0].counts.hit_memory, 14);
    }

    #[test]
    fn snapshots_merge_totals_exactly() {
        let mut a = Snapshot {
            replicas: 1,
            started_at: 100,
            taken_at: 200,
            ..Snapshot::default()
        };
        a.totals.miss = 3;
        let mut b = a.clone();
        b.started_at = 50;
        b.taken_at = 300;
        b.totals.hit_redis = 4;
        a.merge(&b);
        assert_eq!(a.replicas, 2);
        assert_eq!((a.started_at, a.taken_at), (50, 300));
        assert_eq!(a.totals.lookups(), 10);
    }
}
