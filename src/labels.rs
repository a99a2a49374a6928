//! The label enums: how a request was answered (`CacheStatus`), which
//! renderer drew it (`Drawer`), which route
//! it took (`Route`), how a render ended (`RenderOutcome`) and which Redis
//! operation failed (`RedisOp`).
//!
//! A leaf module: it uses nothing of the crate, so every layer (the router,
//! the cache, the render pool, analytics and `metrics`) can name the same
//! values without depending on each other. The route table lives here too,
//! so the router and the `route` metric label are one list.

use hyper::header::HeaderValue;

/// Which renderer drew a chart. The one enum feeds the
/// `X-Chartgate-Renderer` header, the `renderer` label of
/// `chartgate_renders_total` and a byte of a Redis frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Drawer {
    /// The native renderer (plotters on tiny-skia, or SVG).
    #[default]
    Native,
    /// Chart.js itself in the sandbox, on the Rust canvas.
    ChartJs,
}

impl Drawer {
    pub const ALL: [Drawer; 2] = [Drawer::Native, Drawer::ChartJs];

    pub fn as_str(self) -> &'static str {
        match self {
            Drawer::Native => "native",
            Drawer::ChartJs => "chartjs",
        }
    }

    pub fn header(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }
}

/// How one chart request was answered. The one enum feeds the `X-Cache`
/// and `Cache-Status` headers, the metric label and the log line, so they
/// can never disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CacheStatus {
    /// Served from this process's memory tier.
    HitMemory,
    /// Served from the shared Redis tier (then kept in memory).
    HitRedis,
    /// Rendered for this request.
    Miss,
    /// Waited on a render another request had started.
    Coalesced,
}

impl CacheStatus {
    pub const ALL: [CacheStatus; 4] = [
        CacheStatus::HitMemory,
        CacheStatus::HitRedis,
        CacheStatus::Miss,
        CacheStatus::Coalesced,
    ];

    /// The `X-Cache` value and the word in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheStatus::HitMemory => "hit-memory",
            CacheStatus::HitRedis => "hit-redis",
            CacheStatus::Miss => "miss",
            CacheStatus::Coalesced => "coalesced",
        }
    }

    /// The `result` label of `chartgate_cache_lookups_total` (Prometheus label
    /// values by convention use underscores; the contract fixes both spellings).
    pub fn metric_label(self) -> &'static str {
        match self {
            CacheStatus::HitMemory => "hit_memory",
            CacheStatus::HitRedis => "hit_redis",
            CacheStatus::Miss => "miss",
            CacheStatus::Coalesced => "coalesced",
        }
    }

    pub fn x_cache(self) -> HeaderValue {
        HeaderValue::from_static(self.as_str())
    }

    /// RFC 9211 `Cache-Status`, naming each tier the request went through.
    /// `redis` says whether a Redis tier is configured.
    pub fn cache_status(self, redis: bool) -> HeaderValue {
        HeaderValue::from_static(match (self, redis) {
            (CacheStatus::HitMemory, _) => "chartgate-memory; hit",
            (CacheStatus::HitRedis, _) => "chartgate-memory; fwd=miss, chartgate-redis; hit",
            (CacheStatus::Miss, false) => "chartgate-memory; fwd=miss; stored",
            (CacheStatus::Miss, true) => {
                "chartgate-memory; fwd=miss, chartgate-redis; fwd=miss; stored"
            }
            (CacheStatus::Coalesced, false) => "chartgate-memory; fwd=miss; collapsed",
            (CacheStatus::Coalesced, true) => {
                "chartgate-memory; fwd=miss, chartgate-redis; fwd=miss; collapsed"
            }
        })
    }
}

/// How one request to a fronted origin (`/o/<name>/…`) was answered: the
/// `X-Cache` header, the `outcome` label of
/// `chartgate_origin_requests_total`, the per-origin figures of `/stats`
/// and the log word. The four cache answers are `CacheStatus`'s; an origin
/// adds answers a chart never has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OriginOutcome {
    /// Answered from a tier (or by waiting on another request's call).
    Cached(CacheStatus),
    /// An expired answer, served while one refresh runs or because the
    /// origin failed.
    Stale,
    /// Relayed from the origin unstored (`no-store`, `private`,
    /// `Set-Cookie`, a 5xx, too large, a type not stored).
    Bypass,
    /// The origin failed (refused, timed out, overloaded here) and nothing
    /// stale could stand in: chartgate's own 502/503/504.
    Error,
}

impl OriginOutcome {
    pub const ALL: [OriginOutcome; 7] = [
        OriginOutcome::Cached(CacheStatus::HitMemory),
        OriginOutcome::Cached(CacheStatus::HitRedis),
        OriginOutcome::Cached(CacheStatus::Miss),
        OriginOutcome::Cached(CacheStatus::Coalesced),
        OriginOutcome::Stale,
        OriginOutcome::Bypass,
        OriginOutcome::Error,
    ];

    /// The `X-Cache` value and the word in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            OriginOutcome::Cached(status) => status.as_str(),
            OriginOutcome::Stale => "stale",
            OriginOutcome::Bypass => "bypass",
            OriginOutcome::Error => "error",
        }
    }

    /// The metric label (underscores, as `CacheStatus::metric_label`).
    pub fn metric_label(self) -> &'static str {
        match self {
            OriginOutcome::Cached(status) => status.metric_label(),
            other => other.as_str(),
        }
    }

    /// Its place in `ALL`, for counters kept in arrays.
    pub fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|o| *o == self)
            .expect("every outcome is listed")
    }

    /// Whether the origin was spared a call.
    pub fn is_hit(self) -> bool {
        matches!(
            self,
            OriginOutcome::Stale
                | OriginOutcome::Cached(
                    CacheStatus::HitMemory | CacheStatus::HitRedis | CacheStatus::Coalesced
                )
        )
    }

    /// RFC 9211 `Cache-Status`.
    pub fn cache_status(self, redis: bool) -> HeaderValue {
        match self {
            OriginOutcome::Cached(status) => status.cache_status(redis),
            OriginOutcome::Stale => HeaderValue::from_static("chartgate-memory; hit; detail=stale"),
            OriginOutcome::Bypass | OriginOutcome::Error => {
                HeaderValue::from_static("chartgate-memory; fwd=miss; detail=not-stored")
            }
        }
    }
}

/// The routes: what the router dispatches on and the `route` label of
/// `chartgate_http_requests_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Chart,
    ChartCreate,
    ChartRender,
    Healthz,
    Readyz,
    Metrics,
    Admin,
    Stats,
    Dashboard,
    OpenApi,
    Origin,
    Other,
}

/// How a route's path is matched.
#[derive(Clone, Copy)]
enum PathMatch {
    /// Exactly this path.
    Exact,
    /// Strictly below it: `/chart/render/ID`, not `/chart/render`.
    Below,
    /// The path itself or below it: `/cache` and `/cache/KEY`.
    AtOrBelow,
}

/// The route table: each route's path (also its metric label) and how a
/// request path matches it, in `Route` order (`Other`, which matches what
/// nothing else does, is not listed).
const ROUTES: [(Route, &str, PathMatch); 11] = [
    (Route::Chart, "/chart", PathMatch::Exact),
    (Route::ChartCreate, "/chart/create", PathMatch::Exact),
    (Route::ChartRender, "/chart/render", PathMatch::Below),
    (Route::Healthz, "/healthz", PathMatch::Exact),
    (Route::Readyz, "/readyz", PathMatch::Exact),
    (Route::Metrics, "/metrics", PathMatch::Exact),
    (Route::Admin, "/cache", PathMatch::AtOrBelow),
    (Route::Stats, "/stats", PathMatch::Exact),
    (Route::Dashboard, "/dashboard", PathMatch::Exact),
    (Route::OpenApi, "/openapi.json", PathMatch::Exact),
    (Route::Origin, "/o", PathMatch::Below),
];

impl Route {
    pub(crate) const ALL: [Route; 12] = [
        Route::Chart,
        Route::ChartCreate,
        Route::ChartRender,
        Route::Healthz,
        Route::Readyz,
        Route::Metrics,
        Route::Admin,
        Route::Stats,
        Route::Dashboard,
        Route::OpenApi,
        Route::Origin,
        Route::Other,
    ];

    /// The route a request path belongs to.
    pub fn of(path: &str) -> Route {
        ROUTES
            .iter()
            .find(|(_, route_path, how)| match how {
                PathMatch::Exact => path == *route_path,
                PathMatch::Below => path
                    .strip_prefix(route_path)
                    .is_some_and(|rest| rest.starts_with('/')),
                PathMatch::AtOrBelow => path
                    .strip_prefix(route_path)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
            })
            .map_or(Route::Other, |(route, _, _)| *route)
    }

    /// The `route` label: the route's path, or `other`.
    pub fn as_str(self) -> &'static str {
        match ROUTES.get(self as usize) {
            Some((_, path, _)) => path,
            None => "other",
        }
    }
}

/// How a render ended, as the `outcome` label of `chartgate_renders_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderOutcome {
    Ok,
    Error,
    Panic,
    Timeout,
}

impl RenderOutcome {
    pub(crate) const ALL: [RenderOutcome; 4] = [
        RenderOutcome::Ok,
        RenderOutcome::Error,
        RenderOutcome::Panic,
        RenderOutcome::Timeout,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RenderOutcome::Ok => "ok",
            RenderOutcome::Error => "error",
            RenderOutcome::Panic => "panic",
            RenderOutcome::Timeout => "timeout",
        }
    }
}

/// Redis operations, as the `op` label of `chartgate_redis_errors_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedisOp {
    Get,
    Set,
    Lease,
    Publish,
    Subscribe,
    Purge,
    Ping,
}

impl RedisOp {
    pub(crate) const ALL: [RedisOp; 7] = [
        RedisOp::Get,
        RedisOp::Set,
        RedisOp::Lease,
        RedisOp::Publish,
        RedisOp::Subscribe,
        RedisOp::Purge,
        RedisOp::Ping,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RedisOp::Get => "get",
            RedisOp::Set => "set",
            RedisOp::Lease => "lease",
            RedisOp::Publish => "publish",
            RedisOp::Subscribe => "subscribe",
            RedisOp::Purge => "purge",
            RedisOp::Ping => "ping",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_table_is_in_route_order() {
        for (i, (route, _, _)) in ROUTES.iter().enumerate() {
            assert_eq!(*route as usize, i, "{route:?}");
            assert_eq!(Route::ALL[i], *route);
        }
        assert_eq!(Route::ALL.len(), ROUTES.len() + 1);
        assert_eq!(Route::Other.as_str(), "other");
    }

    #[test]
    fn paths_find_their_route() {
        for (path, route) in [
            ("/chart", Route::Chart),
            ("/chart/", Route::Other),
            ("/chart/create", Route::ChartCreate),
            ("/chart/render/abc", Route::ChartRender),
            ("/chart/render/", Route::ChartRender),
            ("/chart/render", Route::Other),
            ("/chart/renderx", Route::Other),
            ("/healthz", Route::Healthz),
            ("/readyz", Route::Readyz),
            ("/metrics", Route::Metrics),
            ("/openapi.json", Route::OpenApi),
            ("/o/reports/chart.png", Route::Origin),
            ("/o", Route::Other),
            ("/stats", Route::Stats),
            ("/dashboard", Route::Dashboard),
            ("/cache", Route::Admin),
            ("/cache/abc", Route::Admin),
            ("/cachex", Route::Other),
            ("/", Route::Other),
        ] {
            assert_eq!(Route::of(path), route, "{path}");
        }
        assert_eq!(Route::ChartRender.as_str(), "/chart/render");
        assert_eq!(Route::Admin.as_str(), "/cache");
    }
}
