//! `CacheStatus`: how one chart request was answered. The one enum feeds the
//! `X-Cache` and `Cache-Status` headers, the metric label and the log line, so
//! they can never disagree.

use hyper::header::HeaderValue;

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

    /// Whether the request was served without rendering for it.
    pub fn is_hit(self) -> bool {
        !matches!(self, CacheStatus::Miss)
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
