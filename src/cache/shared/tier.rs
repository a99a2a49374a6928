//! `RedisTier`, the shared tier's whole API: reads and writes of pictures
//! and specs, leases, purges; each call answers within `redis.timeout_ms`
//! and at once while the breaker is down (see the module doc in `mod.rs`).

use super::cached::{decode_cached, Stored};
use super::frame::FrameCodec;
use super::keys;
use super::link::{Link, Target};
use super::pubsub::{self, Hub};
use crate::chart::{ChartKey, Format};
use crate::config::{RedisConfig, RedisUrl};
use crate::labels::RedisOp;
use crate::metrics::Metrics;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::AbortHandle;

use super::cached::Cached;
use super::lease::{Claim, Wait};
use super::link::Unavailable;
use super::pubsub::Purge;
use crate::cache::entry::Entry;

/// Tunables beside `RedisConfig`; the defaults suit production, tests
/// shorten them.
#[derive(Clone, Debug)]
pub struct TierOptions {
    /// Lifetime of a render lease without renewal: how long a dead holder
    /// blocks the others. Renewed every third of it.
    pub lease_ttl: Duration,
    /// Fallback poll of a waiter, for a "done" message that got lost.
    pub poll_interval: Duration,
    /// How often the probe PINGs (and, while down, reconnects).
    pub probe_interval: Duration,
    /// Consecutive failures that mark Redis down.
    pub failure_threshold: u32,
}

impl Default for TierOptions {
    fn default() -> Self {
        TierOptions {
            lease_ttl: Duration::from_secs(2),
            poll_interval: Duration::from_millis(150),
            probe_interval: Duration::from_millis(500),
            failure_threshold: super::breaker::DEFAULT_THRESHOLD,
        }
    }
}

/// The answer to a read.
#[derive(Clone, Debug)]
pub enum Lookup<T> {
    Hit(T),
    Miss,
    /// The stored value failed its check. It was counted
    /// (`chartgate_redis_corrupt_values_total`); treat as a miss and store
    /// the new render over it.
    Corrupt,
    /// Redis is down or slow: go on without it.
    Unavailable,
}

/// The shared tier. Cheap to clone; background tasks stop when the last
/// clone is dropped.
#[derive(Clone)]
pub struct RedisTier {
    inner: Arc<Inner>,
}

struct Inner {
    link: Arc<Link>,
    hub: Arc<Hub>,
    ttl: Duration,
    opts: TierOptions,
    /// Writes and checks stored pictures under `redis.signing_key`.
    codec: FrameCodec,
    tasks: [AbortHandle; 2],
}

impl Drop for Inner {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl RedisTier {
    /// The tier for `redis.url`, or `None` when Redis is not configured.
    /// Never fails and never waits: it starts down and connects in the
    /// background, so the gateway serves even while Redis is unreachable.
    /// `ttl` is the cache TTL. Must be called within a Tokio runtime.
    pub fn connect(cfg: &RedisConfig, ttl: Duration, metrics: Arc<Metrics>) -> Option<RedisTier> {
        RedisTier::start(cfg, ttl, metrics, TierOptions::default())
    }

    /// `connect` with explicit tunables: a test hook (tests shorten the
    /// probe and poll intervals), built only for tests.
    #[cfg(any(test, feature = "test-support"))]
    pub fn connect_with(
        cfg: &RedisConfig,
        ttl: Duration,
        metrics: Arc<Metrics>,
        opts: TierOptions,
    ) -> Option<RedisTier> {
        RedisTier::start(cfg, ttl, metrics, opts)
    }

    fn start(
        cfg: &RedisConfig,
        ttl: Duration,
        metrics: Arc<Metrics>,
        opts: TierOptions,
    ) -> Option<RedisTier> {
        let target = match cfg.url.as_ref()? {
            RedisUrl::One(url) => Target::Single(url.clone()),
            RedisUrl::Cluster(urls) => Target::Cluster(urls.clone()),
        };
        warn_on_bad_urls(&target);
        let timeout = Duration::from_millis(cfg.timeout_ms());
        let link = Arc::new(Link::new(target, timeout, opts.failure_threshold, metrics));
        let hub = Hub::new();
        let probe = tokio::spawn(probe_loop(Arc::clone(&link), opts.probe_interval));
        let subscriber = tokio::spawn(pubsub::run_subscriber(
            Arc::clone(&hub),
            Arc::clone(&link),
            timeout,
        ));
        Some(RedisTier {
            inner: Arc::new(Inner {
                link,
                hub,
                ttl,
                opts,
                codec: FrameCodec::new(cfg.signing_key.as_ref()),
                tasks: [probe.abort_handle(), subscriber.abort_handle()],
            }),
        })
    }

    /// Whether Redis is in use (the breaker is closed): `/readyz` and
    /// `chartgate_redis_up`.
    pub fn is_up(&self) -> bool {
        self.inner.link.is_up()
    }

    /// Whether the pub/sub connection is subscribed (waiters are woken by
    /// message rather than by their poll).
    pub fn is_subscribed(&self) -> bool {
        self.inner.hub.is_subscribed()
    }

    /// How this tier frames pictures: `store_chart` and `Lease::complete`
    /// take `codec().encode_entry(…)`.
    pub fn codec(&self) -> &FrameCodec {
        &self.inner.codec
    }

    /// The picture of `key`, which is a chart in `format`, checked, with the
    /// time Redis keeps it still. A value written for another key or format,
    /// or without this replica's signing key, is `Corrupt`.
    pub async fn get_chart(&self, key: &ChartKey, format: Format) -> Lookup<Cached> {
        let inner = &self.inner;
        self.read_slot(key, |stored| {
            decode_cached(&inner.link, &inner.codec, key, format, stored, inner.ttl).ok()
        })
        .await
    }

    /// The value of `key`'s slot and its `PTTL`, in one round trip, checked
    /// by `decode` (`None`: corrupt, already counted).
    async fn read_slot<T>(
        &self,
        key: &ChartKey,
        decode: impl FnOnce(Stored) -> Option<T>,
    ) -> Lookup<T> {
        let mut pipe = ::redis::pipe();
        pipe.cmd("GET")
            .arg(keys::img(key))
            .cmd("PTTL")
            .arg(keys::img(key));
        match self
            .inner
            .link
            .pipe::<(Option<Vec<u8>>, i64)>(RedisOp::Get, &pipe)
            .await
        {
            Err(Unavailable) => Lookup::Unavailable,
            Ok((None, _)) => Lookup::Miss,
            Ok((Some(bytes), pttl)) => match decode(Stored { bytes, pttl }) {
                Some(found) => Lookup::Hit(found),
                None => Lookup::Corrupt,
            },
        }
    }

    /// Stores a framed picture (`codec().encode_entry`) with the cache TTL and
    /// publishes "done". Does not wait: runs as its own task, so a slow Redis
    /// never delays the response. With a lease, use `Lease::complete`.
    pub fn store_chart(&self, key: ChartKey, frame: Vec<u8>) {
        let link = Arc::clone(&self.inner.link);
        let cmd = ::redis::cmd("SET")
            .arg(keys::img(&key))
            .arg(frame)
            .arg("PX")
            .arg(super::lease::millis(self.inner.ttl))
            .to_owned();
        tokio::spawn(async move {
            if link.query::<()>(RedisOp::Set, &cmd).await.is_ok() {
                let _ = pubsub::publish_done(&link, &key).await;
            }
        });
    }

    /// The canonical request stored by `/chart/create` on any replica. Each
    /// read extends its life by the cache TTL, so a short URL in use keeps
    /// working. Verified by hashing: a spec whose key is not `key` is
    /// `Corrupt`.
    pub async fn get_spec(&self, key: &ChartKey) -> Lookup<Bytes> {
        let cmd = ::redis::cmd("GETEX")
            .arg(keys::spec(key))
            .arg("PX")
            .arg(super::lease::millis(self.inner.ttl))
            .to_owned();
        match self
            .inner
            .link
            .query::<Option<Vec<u8>>>(RedisOp::Get, &cmd)
            .await
        {
            Err(Unavailable) => Lookup::Unavailable,
            Ok(None) => Lookup::Miss,
            Ok(Some(spec)) if ChartKey::of_canonical(&spec) == *key => {
                Lookup::Hit(Bytes::from(spec))
            }
            Ok(Some(_)) => {
                self.inner.link.metrics().redis_corrupt_value();
                tracing::warn!(key = %key, "stored spec does not hash to its key");
                Lookup::Corrupt
            }
        }
    }

    /// Stores the canonical request behind `/chart/render/ID`. Awaited
    /// (within the deadline) so that the URL works on every replica as soon
    /// as `/chart/create` answers.
    pub async fn store_spec(&self, key: &ChartKey, canonical: &[u8]) -> Result<(), Unavailable> {
        let cmd = ::redis::cmd("SET")
            .arg(keys::spec(key))
            .arg(canonical)
            .arg("PX")
            .arg(super::lease::millis(self.inner.ttl))
            .to_owned();
        self.inner.link.query::<()>(RedisOp::Set, &cmd).await
    }

    /// Claims the cluster-wide render of `key` (see `lease.rs`).
    pub async fn acquire_lease(&self, key: ChartKey) -> Claim {
        let inner = &self.inner;
        super::lease::acquire(&inner.link, key, inner.opts.lease_ttl, inner.ttl).await
    }

    /// Waits up to `max_wait` for the render another replica holds the
    /// lease of (a chart in `format`): woken by its "done" message, polling
    /// as a fallback.
    pub async fn wait_for_result(&self, key: ChartKey, format: Format, max_wait: Duration) -> Wait {
        let inner = &self.inner;
        let timing = (max_wait, inner.opts.poll_interval);
        super::lease::wait(&inner.link, &inner.hub, key, timing, |stored| {
            decode_cached(&inner.link, &inner.codec, &key, format, stored, inner.ttl).ok()
        })
        .await
    }

    /// An origin's answer stored under `key` (origin mode), checked, kept
    /// in memory no longer than Redis keeps it.
    pub async fn get_origin(&self, key: &ChartKey) -> Lookup<Arc<Entry>> {
        self.read_slot(key, |stored| self.decode_origin(key, stored))
            .await
    }

    /// Waits up to `max_wait` for the origin call another replica holds the
    /// lease of, as `wait_for_result` waits for a render.
    pub async fn wait_for_origin(&self, key: ChartKey, max_wait: Duration) -> Wait<Arc<Entry>> {
        let inner = &self.inner;
        let timing = (max_wait, inner.opts.poll_interval);
        super::lease::wait(&inner.link, &inner.hub, key, timing, |stored| {
            self.decode_origin(&key, stored)
        })
        .await
    }

    fn decode_origin(&self, key: &ChartKey, stored: Stored) -> Option<Arc<Entry>> {
        let ttl = Duration::from_millis(u64::try_from(stored.pttl).unwrap_or(0));
        match self
            .inner
            .codec
            .decode_origin(Bytes::from(stored.bytes), key)
        {
            Ok(entry) => Some(Arc::new(entry.with_ttl(ttl))),
            Err(e) => {
                super::cached::corrupt(&self.inner.link, key, &e);
                None
            }
        }
    }

    /// One pipeline for another user of this Redis (the analytics cluster
    /// view), through the same link: its breaker, its deadline, its error
    /// count under `op`. All keys must share a Cluster slot.
    pub(crate) async fn pipeline<T: ::redis::FromRedisValue>(
        &self,
        op: RedisOp,
        pipe: &::redis::Pipeline,
    ) -> Result<T, Unavailable> {
        self.inner.link.pipe(op, pipe).await
    }

    /// Removes one picture from Redis and, through the purge channel, from
    /// the memory of every replica (this one's hooks included). The short-URL
    /// spec stays: purging forces a fresh render, it does not break links.
    pub async fn purge(&self, key: &ChartKey) -> Result<(), Unavailable> {
        let link = &self.inner.link;
        let cmd = ::redis::cmd("UNLINK").arg(keys::img(key)).to_owned();
        link.query::<i64>(RedisOp::Purge, &cmd).await?;
        pubsub::publish_purge(link, Purge::Key(*key)).await
    }

    /// Removes every picture of this key version (`SCAN` + `UNLINK` on every
    /// master) and tells every replica to clear its memory. Leases and specs
    /// stay. Returns how many pictures were removed.
    pub async fn purge_all(&self) -> Result<u64, Unavailable> {
        let link = &self.inner.link;
        let mut removed = 0;
        for node in link.scan_nodes().await? {
            removed += purge_node(link, &node).await?;
        }
        pubsub::publish_purge(link, Purge::All).await?;
        Ok(removed)
    }

    /// Calls `hook` for every purge message, from any replica (this one
    /// included): the HTTP layer drops the key, or everything, from memory.
    /// Runs on the subscriber task: keep it short and non-blocking.
    pub fn on_purge(&self, hook: impl Fn(Purge) + Send + Sync + 'static) {
        self.inner.hub.add_hook(Arc::new(hook));
    }
}

/// SCAN one node for pictures and UNLINK them batch by batch.
async fn purge_node(link: &Link, node: &super::link::Node) -> Result<u64, Unavailable> {
    let mut cursor = "0".to_string();
    let mut removed = 0;
    loop {
        let scan = ::redis::cmd("SCAN")
            .arg(&cursor)
            .arg("MATCH")
            .arg(keys::img_pattern())
            .arg("COUNT")
            .arg(1000)
            .to_owned();
        let (next, found): (String, Vec<String>) =
            link.query_on(RedisOp::Purge, &scan, node).await?;
        if !found.is_empty() {
            // On a Cluster the client splits a multi-key UNLINK by slot.
            let unlink = ::redis::cmd("UNLINK").arg(&found).to_owned();
            removed += link.query::<u64>(RedisOp::Purge, &unlink).await?;
        }
        if next == "0" {
            return Ok(removed);
        }
        cursor = next;
    }
}

async fn probe_loop(link: Arc<Link>, interval: Duration) {
    loop {
        link.probe().await;
        tokio::time::sleep(interval).await;
    }
}

/// A URL that does not parse keeps the tier down for good: say so once, at
/// start-up, rather than on every probe.
fn warn_on_bad_urls(target: &Target) {
    use ::redis::IntoConnectionInfo;
    for url in target.urls() {
        if let Err(e) = url.as_str().into_connection_info() {
            tracing::error!(url = %url, error = %e, "redis.url does not parse; Redis stays unused");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn not_configured_means_no_tier() {
        let metrics = Arc::new(Metrics::default());
        let tier = RedisTier::connect(&RedisConfig::default(), Duration::from_secs(1), metrics);
        assert!(tier.is_none());
    }
}
