//! Cache-hit analytics: which charts are hot, which pages embed them, how
//! much rendering the cache saved, and the hit ratio over time; served as
//! `/stats` (JSON) and `/dashboard` (HTML).
//!
//! Counting stays off the request path: `record` copies one fixed-size
//! `Event` into the calling thread's own buffer (`stripes`), and the
//! analytics thread folds full buffers into the `Aggregate` (exact totals,
//! the per-minute `series`, bounded `topk` summaries). Time comes from an
//! injectable `Clock` through a coarse clock the analytics thread ticks
//! every second, so recording reads one atomic instead of the system clock.
//! Snapshots merge across replicas (`snapshot`, `cluster`).
//!
//! The page an answer was embedded in travels with the request's task
//! (`within`), set from `Referer` when the request starts; requests made by
//! this gateway's own dashboard are not counted, so looking at the figures
//! does not move them.

mod aggregate;
mod clock;
mod cluster;
mod counts;
mod event;
mod meta;
mod series;
mod snapshot;
mod stripes;
mod topk;
pub(crate) mod view;

pub use clock::{Clock, ManualClock, SystemClock};
pub use counts::{Counts, Histogram};
pub use meta::ChartMeta;
pub use series::{Window, MINUTES};
pub use snapshot::{ChartStat, OriginStat, Snapshot, SourceStat, Top};

use crate::cache::shared::RedisTier;
use crate::cache::Entry;
use crate::chart::{ChartKey, Prepared};
use crate::config::Config;
use crate::labels::CacheStatus;
use crate::render::pool::OnRendered;
use aggregate::Aggregate;
use bytes::Bytes;
use event::{Event, SourceBuf};
use hyper::header::{HeaderMap, HeaderValue, HOST, REFERER};
use meta::MetaStore;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, RwLock, Weak};
use std::time::Duration;
use stripes::Stripes;

/// The `/dashboard` page: one self-contained file, its charts drawn by
/// this gateway from `/stats`.
pub const DASHBOARD_HTML: &str = include_str!("dashboard.html");

/// How often the analytics thread ticks the coarse clock and folds queued
/// batches in, at the latest.
const TICK: Duration = Duration::from_secs(1);

/// Where a request came from, as far as analytics cares.
#[derive(Clone, Debug, Default)]
pub enum Origin {
    /// No `Referer`, or sources are not counted.
    #[default]
    Unknown,
    /// The `Referer` value, query and all (stripped when recorded).
    Page(HeaderValue),
    /// This gateway's own `/dashboard`: not counted.
    Dashboard,
}

tokio::task_local! {
    static ORIGIN: Origin;
}

/// Runs `fut` (one request) with its origin known to `record`.
pub async fn within<F: Future>(origin: Origin, fut: F) -> F::Output {
    ORIGIN.scope(origin, fut).await
}

/// Runs `f` (a request answered without waiting) with its origin known to `record`.
pub fn within_sync<R>(origin: Origin, f: impl FnOnce() -> R) -> R {
    ORIGIN.sync_scope(origin, f)
}

/// The bounded parts' sizes, to check they stay bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint {
    pub charts: usize,
    pub sources: usize,
    pub unflushed_minutes: usize,
    pub remembered_specs: u64,
    pub max_buffered_events: usize,
}

pub(crate) struct Shared {
    stripes: Stripes,
    aggregate: Mutex<Aggregate>,
    meta: MetaStore,
    /// Unix seconds, ticked by the analytics thread (and by snapshots).
    now: AtomicU32,
    clock: RwLock<Arc<dyn Clock>>,
    /// Origin mode's figures, read at each snapshot (set once at start-up
    /// by `set_origins`): analytics carries them, the origin module counts.
    origins: OnceLock<OriginSource>,
}

/// What gives each fronted origin's figures now.
pub type OriginSource = Box<dyn Fn() -> Vec<OriginStat> + Send + Sync>;

impl Shared {
    fn tick(&self) -> u64 {
        let now = self
            .clock
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .now_secs();
        self.now
            .store(u32::try_from(now).unwrap_or(u32::MAX), Relaxed);
        now
    }

    fn aggregate(&self) -> MutexGuard<'_, Aggregate> {
        self.aggregate
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The aggregate with every event recorded so far folded in.
    fn settled(&self) -> MutexGuard<'_, Aggregate> {
        let mut agg = self.aggregate();
        self.stripes.drain(|batch| agg.apply(batch, &self.meta));
        agg
    }

    fn snapshot(&self, minutes: usize) -> Snapshot {
        let now = self.tick();
        let mut snap = self.settled().snapshot(now, minutes);
        snap.origins = self.origin_stats();
        snap
    }

    fn origin_stats(&self) -> Vec<OriginStat> {
        self.origins.get().map_or_else(Vec::new, |source| source())
    }
}

/// The analytics of one process.
pub struct Analytics {
    shared: Option<Arc<Shared>>,
    sources: bool,
    cluster: Option<cluster::Cluster>,
}

impl Analytics {
    /// Counting per `config.analytics`, on the system clock; with the
    /// shared Redis tier (`redis.url`), flushing through its link for the
    /// cluster view.
    pub fn new(config: &Config, tier: Option<RedisTier>) -> Analytics {
        let cfg = &config.analytics;
        if !cfg.enabled {
            return Analytics {
                shared: None,
                sources: false,
                cluster: None,
            };
        }
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let now = clock.now_secs();
        let redis = config.redis.url.is_some();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
        let (stripes, wake) = Stripes::new(threads);
        let shared = Arc::new(Shared {
            stripes,
            aggregate: Mutex::new(Aggregate::new(cfg.top_charts, cfg.top_sources, now, redis)),
            meta: MetaStore::default(),
            now: AtomicU32::new(u32::try_from(now).unwrap_or(u32::MAX)),
            clock: RwLock::new(clock),
            origins: OnceLock::new(),
        });
        spawn_thread(Arc::downgrade(&shared), wake);
        let cluster = cluster::Cluster::start(tier, Arc::downgrade(&shared));
        Analytics {
            shared: Some(shared),
            sources: cfg.sources,
            cluster,
        }
    }

    pub fn enabled(&self) -> bool {
        self.shared.is_some()
    }

    /// Where the fronted origins' figures come from (once, at start-up), so
    /// `/stats` shows them and the cluster view sums them over replicas.
    pub fn set_origins(&self, source: OriginSource) {
        if let Some(shared) = &self.shared {
            let _ = shared.origins.set(source);
        }
    }

    /// Whether a Redis is configured to merge replicas through.
    pub fn clustered(&self) -> bool {
        self.cluster.is_some()
    }

    /// The origin of a request, from its headers.
    pub fn origin(&self, headers: &HeaderMap) -> Origin {
        if self.shared.is_none() {
            return Origin::Unknown;
        }
        let Some(referer) = headers.get(REFERER) else {
            return Origin::Unknown;
        };
        if is_own_dashboard(referer.as_bytes(), headers.get(HOST)) {
            Origin::Dashboard
        } else if self.sources {
            Origin::Page(referer.clone())
        } else {
            Origin::Unknown
        }
    }

    /// Counts one chart answer: `sent` body bytes of `entry`, answered as
    /// `status`. One copy into this thread's buffer.
    #[inline]
    pub fn record(&self, entry: &Entry, status: CacheStatus, sent: usize) {
        let Some(shared) = &self.shared else {
            return;
        };
        let source = ORIGIN
            .try_with(|origin| match origin {
                Origin::Unknown => Some(SourceBuf::NONE),
                Origin::Page(referer) => Some(SourceBuf::from_referer(referer.as_bytes())),
                Origin::Dashboard => None,
            })
            .unwrap_or(Some(SourceBuf::NONE));
        let Some(source) = source else {
            return;
        };
        let ev = Event {
            key: entry.key,
            at: shared.now.load(Relaxed),
            bytes: u32::try_from(sent).unwrap_or(u32::MAX),
            render_us: u32::try_from(entry.render_time.as_micros()).unwrap_or(u32::MAX),
            status,
            drawer: entry.drawer,
            source,
        };
        if let Some(backlog) = shared.stripes.push(ev) {
            shared.aggregate().apply(&backlog, &shared.meta);
            shared.stripes.recycle(backlog);
        }
    }

    /// What the render pool calls with each chart it drew, so that what
    /// each chart is can be shown later; `None` with analytics off.
    pub fn on_rendered(&self) -> Option<OnRendered> {
        let store = self.shared.as_ref()?.meta.clone();
        Some(Arc::new(move |chart: &Prepared| store.remember(chart)))
    }

    /// Replaces the clock (tests, simulations) and ticks at once.
    pub fn set_clock(&self, clock: Arc<dyn Clock>) {
        if let Some(shared) = &self.shared {
            *shared.clock.write().unwrap_or_else(PoisonError::into_inner) = clock;
            shared.tick();
        }
    }

    /// Re-reads the clock: events recorded from now on carry its time.
    pub fn tick(&self) {
        if let Some(shared) = &self.shared {
            shared.tick();
        }
    }

    /// This process's figures, with `minutes` of series; `None` when off.
    pub fn snapshot(&self, minutes: usize) -> Option<Snapshot> {
        self.shared.as_ref().map(|s| s.snapshot(minutes))
    }

    /// Every replica's figures merged through Redis, this one's fresh.
    /// `None` without Redis (or when off); `Err` while Redis is unreachable.
    pub async fn cluster_snapshot(
        &self,
        minutes: usize,
    ) -> Option<Result<Snapshot, cluster::Unreachable>> {
        let cluster = self.cluster.as_ref()?;
        let local = self.snapshot(minutes)?;
        Some(cluster.merged(local, minutes).await)
    }

    /// Flushes this replica's counters to Redis now rather than at the next
    /// second (tests; shutdown).
    pub async fn flush(&self) -> Result<(), cluster::Unreachable> {
        match &self.cluster {
            Some(c) => c.flush().await,
            None => Ok(()),
        }
    }

    /// The canonical spec remembered from the render of `key`, if any.
    pub fn remembered_spec(&self, key: &ChartKey) -> Option<Bytes> {
        self.shared.as_ref()?.meta.get(key)?.canonical.clone()
    }

    pub fn footprint(&self) -> Option<Footprint> {
        let shared = self.shared.as_ref()?;
        let (charts, sources, unflushed_minutes) = shared.settled().footprint();
        Some(Footprint {
            charts,
            sources,
            unflushed_minutes,
            remembered_specs: shared.meta.entry_count(),
            max_buffered_events: shared.stripes.max_buffered(),
        })
    }
}

/// The analytics thread: ticks the coarse clock and folds queued batches
/// in. Ends when the `Analytics` is dropped (its wake channel closes).
fn spawn_thread(shared: Weak<Shared>, wake: crossbeam_channel::Receiver<()>) {
    let run = move || loop {
        if let Err(crossbeam_channel::RecvTimeoutError::Disconnected) = wake.recv_timeout(TICK) {
            return;
        }
        let Some(shared) = shared.upgrade() else {
            return;
        };
        shared.tick();
        let mut agg = shared.aggregate();
        shared
            .stripes
            .drain_queue(|batch| agg.apply(batch, &shared.meta));
    };
    std::thread::Builder::new()
        .name("chartgate-analytics".into())
        .spawn(run)
        .expect("spawn the analytics thread");
}

/// Whether `referer` is `http(s)://<host>/dashboard`, query aside.
fn is_own_dashboard(referer: &[u8], host: Option<&HeaderValue>) -> bool {
    let Some(host) = host else {
        return false;
    };
    let rest = referer
        .strip_prefix(b"http://")
        .or_else(|| referer.strip_prefix(b"https://"));
    let Some(path) = rest.and_then(|r| r.strip_prefix(host.as_bytes())) else {
        return false;
    };
    let end = path
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(path.len());
    &path[..end] == b"/dashboard"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Format;

    fn entry(i: u8) -> Entry {
        let body = Bytes::from_static(b"picture");
        Entry::new(
            ChartKey([i; 32]),
            body,
            Format::Png,
            Duration::from_millis(2),
        )
    }

    #[test]
    fn every_event_is_counted_while_snapshots_run_concurrently() {
        let analytics = Arc::new(Analytics::new(&Config::default(), None));
        let writers: Vec<_> = (0..4u8)
            .map(|t| {
                let analytics = Arc::clone(&analytics);
                std::thread::spawn(move || {
                    let e = entry(t);
                    for i in 0..10_000 {
                        let status = if i == 0 {
                            CacheStatus::Miss
                        } else {
                            CacheStatus::HitMemory
                        };
                        analytics.record(&e, status, 7);
                    }
                })
            })
            .collect();
        for _ in 0..20 {
            let seen = analytics.snapshot(1).unwrap().totals.lookups();
            assert!(seen <= 40_000);
        }
        for w in writers {
            w.join().unwrap();
        }
        let snap = analytics.snapshot(1).unwrap();
        assert_eq!(snap.totals.lookups(), 40_000);
        assert_eq!(snap.totals.miss, 4);
        assert_eq!(snap.totals.bytes, 280_000);
        assert_eq!(snap.totals.saved_us, 39_996 * 2_000);
        assert_eq!(snap.charts.entries.len(), 4);
        assert!(snap
            .charts
            .entries
            .iter()
            .all(|c| c.count == 10_000 && c.error == 0));
        assert!(snap.sources.entries.is_empty(), "no origin, no source");
    }

    #[test]
    fn off_means_nothing_is_kept() {
        let mut config = Config::default();
        config.analytics.enabled = false;
        let analytics = Analytics::new(&config, None);
        analytics.record(&entry(1), CacheStatus::Miss, 1);
        assert!(analytics.snapshot(60).is_none());
        assert!(analytics.footprint().is_none());
    }

    #[test]
    fn the_own_dashboard_is_recognized_by_host_and_path() {
        let host = HeaderValue::from_static("127.0.0.1:8080");
        let own = |r: &str| is_own_dashboard(r.as_bytes(), Some(&host));
        assert!(own("http://127.0.0.1:8080/dashboard"));
        assert!(own("http://127.0.0.1:8080/dashboard?token=x"));
        assert!(own("https://127.0.0.1:8080/dashboard#top"));
        assert!(!own("http://127.0.0.1:8080/dashboards"));
        assert!(!own("http://grafana.example/dashboard"));
        assert!(!own("http://127.0.0.1:8080/d/dashboard"));
        assert!(!is_own_dashboard(b"http://127.0.0.1:8080/dashboard", None));
    }
}
