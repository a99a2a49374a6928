//! The application's wiring: builds every tier from the config (metrics,
//! the shared Redis tier, analytics, the render pool, the memory tier, the
//! URL aliases, the stored specs) and holds them as `App`, the state every
//! request reads. The HTTP layer (`http/`) only reads it.

use crate::analytics::Analytics;
use crate::cache::shared::RedisTier;
use crate::cache::{weight, KeyHasher};
use crate::cache::{Aliases, ChartCache, MemoryTier};
use crate::chart::ChartKey;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::origin::Origins;
use crate::render::pool::RenderPool;
use crate::render::Renderer;
use bytes::Bytes;
use hyper::header::HeaderValue;
use std::sync::Arc;
use std::time::Duration;

/// The URL alias maps (charts', origins') keep at least this much each, so
/// that even with a small or disabled memory tier a known URL skips parsing.
const ALIAS_MIN_BYTES: u64 = 8 * 1024 * 1024;

/// The gateway's shared state.
pub struct App {
    pub(crate) config: Config,
    pub(crate) cache: ChartCache,
    pub(crate) aliases: Aliases,
    /// Canonical specs stored by `/chart/create`, so `/chart/render/ID` can
    /// render again after the picture was evicted. Bounded by bytes.
    pub(crate) specs: moka::sync::Cache<ChartKey, Bytes, KeyHasher>,
    pub(crate) metrics: Arc<Metrics>,
    /// Cache-hit analytics behind `/stats` and `/dashboard`.
    pub(crate) analytics: Analytics,
    /// `public, max-age=<cache.ttl_secs>`, built once.
    pub(crate) cache_control: HeaderValue,
    /// The fronted origins (`[[origin]]`), served at `/o/<name>/`.
    pub(crate) origins: Arc<Origins>,
    /// Configs with code evaluated at once: as many as render workers, so
    /// scripts take no more of the machine than renders do.
    pub(crate) scripts: tokio::sync::Semaphore,
}

impl App {
    pub fn new(config: Config, renderer: Arc<dyn Renderer>) -> Arc<App> {
        let metrics = Arc::new(Metrics::default());
        let ttl = Duration::from_secs(config.cache.ttl_secs);
        let memory = MemoryTier::new(config.cache.memory_bytes, ttl);
        let redis = RedisTier::connect(&config.redis, ttl, Arc::clone(&metrics));
        let analytics = Analytics::new(&config, redis.clone());
        let pool = RenderPool::new(
            renderer,
            &config.render,
            &config.script,
            Arc::clone(&metrics),
            analytics.on_rendered(),
        );
        let specs = moka::sync::Cache::builder()
            .max_capacity(config.cache.stored_specs_bytes)
            .weigher(|_k: &ChartKey, v: &Bytes| weight(v.len(), 64))
            .time_to_live(ttl)
            .build_with_hasher(KeyHasher);
        let cache_control =
            HeaderValue::from_str(&format!("public, max-age={}", config.cache.ttl_secs))
                .expect("digits are a valid header value");
        let wait_limit = Duration::from_millis(config.render.timeout_ms);
        let alias_bytes = (config.cache.memory_bytes / 8).max(ALIAS_MIN_BYTES);
        let origins = Arc::new(Origins::new(&config.origin, alias_bytes, ttl));
        let figures = Arc::clone(&origins);
        analytics.set_origins(Box::new(move || figures.stats()));
        Arc::new(App {
            aliases: Aliases::new(alias_bytes, ttl),
            cache: ChartCache::new(memory, pool, redis, wait_limit),
            specs,
            metrics,
            analytics,
            cache_control,
            scripts: tokio::sync::Semaphore::new(config.render.workers.max(1)),
            origins,
            config,
        })
    }

    /// The config it was built from (test hook).
    #[cfg(any(test, feature = "test-support"))]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The chart cache (test hook).
    #[cfg(any(test, feature = "test-support"))]
    pub fn cache(&self) -> &ChartCache {
        &self.cache
    }

    /// The URL alias map (test hook).
    #[cfg(any(test, feature = "test-support"))]
    pub fn aliases(&self) -> &Aliases {
        &self.aliases
    }

    /// The analytics (test hook).
    #[cfg(any(test, feature = "test-support"))]
    pub fn analytics(&self) -> &Analytics {
        &self.analytics
    }

    /// Whether a Redis tier is configured (the `Cache-Status` header names it).
    pub(crate) fn redis_configured(&self) -> bool {
        self.config.redis.url.is_some()
    }
}
