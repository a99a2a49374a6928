//! Prometheus metrics: fixed families of atomic counters, written out in the
//! text exposition format on `/metrics`.
//!
//! Every label set is known up front (routes, status codes, cache results,
//! render outcomes), so counting is one relaxed atomic add into an array and
//! the hit path never takes a lock or allocates. Labels come from the same
//! enums that feed the response headers and logs, so they never disagree.

use crate::labels::{CacheStatus, Drawer, RedisOp, RenderOutcome, Route};
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// Status codes the gateway answers with; anything else is counted as `other`.
/// (502 and the rarer codes come from fronted origins' answers.)
const STATUSES: [u16; 18] = [
    200, 204, 304, 400, 401, 404, 405, 408, 413, 414, 422, 429, 431, 500, 502, 503, 504, 0,
];

fn status_index(code: u16) -> usize {
    STATUSES
        .iter()
        .position(|&s| s == code)
        .unwrap_or(STATUSES.len() - 1)
}

/// Upper bounds of the render duration histogram, in seconds.
const RENDER_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// All counters of one process.
pub struct Metrics {
    http: [[AtomicU64; STATUSES.len()]; Route::ALL.len()],
    /// Requests on the slow path whose handler is running, by route (see
    /// `request_started`).
    http_in_flight: [AtomicI64; Route::ALL.len()],
    lookups: [AtomicU64; CacheStatus::ALL.len()],
    renders: [[AtomicU64; RenderOutcome::ALL.len()]; Drawer::ALL.len()],
    render_duration: Histogram,
    pub renders_in_flight: AtomicI64,
    pub render_queue_depth: AtomicI64,
    pub render_rejected: AtomicU64,
    /// Set once a Redis tier exists: the Redis families are exposed only then.
    redis_configured: AtomicBool,
    redis_up: AtomicBool,
    redis_errors: [AtomicU64; RedisOp::ALL.len()],
    redis_corrupt: AtomicU64,
    /// Glyphs drawn as boxes, by script name: a handful of scripts at most,
    /// touched only by renders that met a character no font has.
    missing_glyphs: std::sync::Mutex<Vec<(&'static str, u64)>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            http: std::array::from_fn(|_| std::array::from_fn(|_| AtomicU64::new(0))),
            http_in_flight: std::array::from_fn(|_| AtomicI64::new(0)),
            lookups: std::array::from_fn(|_| AtomicU64::new(0)),
            renders: std::array::from_fn(|_| std::array::from_fn(|_| AtomicU64::new(0))),
            render_duration: Histogram::default(),
            renders_in_flight: AtomicI64::new(0),
            render_queue_depth: AtomicI64::new(0),
            render_rejected: AtomicU64::new(0),
            redis_configured: AtomicBool::new(false),
            redis_up: AtomicBool::new(false),
            redis_errors: std::array::from_fn(|_| AtomicU64::new(0)),
            redis_corrupt: AtomicU64::new(0),
            missing_glyphs: std::sync::Mutex::default(),
        }
    }
}

/// Values read from other subsystems at scrape time.
pub struct Gauges {
    pub memory_cache_bytes: u64,
    pub memory_cache_entries: u64,
}

impl Metrics {
    /// Charts answered from a cache tier so far (memory and Redis hits):
    /// render threads watch it to give way while hits are being served.
    /// Not every chart answer: a render finishing is an answer too, and the
    /// next render would pause for it (render throughput halved when one
    /// client asked for one chart after another).
    pub fn hits_answered(&self) -> u64 {
        self.lookups(CacheStatus::HitMemory) + self.lookups(CacheStatus::HitRedis)
    }

    pub fn http_request(&self, route: Route, status: u16) {
        self.http[route as usize][status_index(status)].fetch_add(1, Relaxed);
    }

    /// Counts a request as in flight on `route` until the guard is dropped:
    /// when its handler answers, or when hyper drops it because the client
    /// went away. Only the slow path calls this; memory hits of known URLs
    /// answer without waiting and stay free of this shared counter.
    pub fn request_started(&self, route: Route) -> InFlight<'_> {
        self.http_in_flight[route as usize].fetch_add(1, Relaxed);
        InFlight {
            metrics: self,
            route,
        }
    }

    /// Requests whose handler is running now on `route`.
    pub fn requests_in_flight(&self, route: Route) -> i64 {
        self.http_in_flight[route as usize].load(Relaxed)
    }

    pub fn cache_lookup(&self, status: CacheStatus) {
        self.lookups[status as usize].fetch_add(1, Relaxed);
    }

    pub fn lookups(&self, status: CacheStatus) -> u64 {
        self.lookups[status as usize].load(Relaxed)
    }

    pub fn render_finished(&self, outcome: RenderOutcome, drawer: Drawer, took: Duration) {
        self.renders[drawer as usize][outcome as usize].fetch_add(1, Relaxed);
        self.render_duration.observe(took);
    }

    /// Counts `n` glyphs of `script` drawn as boxes.
    pub fn missing_glyphs(&self, script: &'static str, n: u64) {
        let mut m = self
            .missing_glyphs
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        tally(&mut m, script, n);
    }

    pub fn renders(&self, outcome: RenderOutcome, drawer: Drawer) -> u64 {
        self.renders[drawer as usize][outcome as usize].load(Relaxed)
    }

    /// Marks Redis as configured, so its families appear on `/metrics`.
    pub fn redis_configured(&self) {
        self.redis_configured.store(true, Relaxed);
    }

    pub fn set_redis_up(&self, up: bool) {
        self.redis_up.store(up, Relaxed);
    }

    pub fn redis_up(&self) -> bool {
        self.redis_up.load(Relaxed)
    }

    /// A Redis operation failed or ran past `redis.timeout_ms`.
    pub fn redis_error(&self, op: RedisOp) {
        self.redis_errors[op as usize].fetch_add(1, Relaxed);
    }

    pub fn redis_errors(&self, op: RedisOp) -> u64 {
        self.redis_errors[op as usize].load(Relaxed)
    }

    /// A value read from Redis failed its frame check.
    pub fn redis_corrupt_value(&self) {
        self.redis_corrupt.fetch_add(1, Relaxed);
    }

    pub fn redis_corrupt_values(&self) -> u64 {
        self.redis_corrupt.load(Relaxed)
    }

    /// The text exposition format (version 0.0.4).
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::with_capacity(8 * 1024);
        header(
            &mut out,
            "chartgate_http_requests_total",
            "counter",
            "HTTP requests answered, by route and status code.",
        );
        for route in Route::ALL {
            for (i, code) in STATUSES.iter().enumerate() {
                let n = self.http[route as usize][i].load(Relaxed);
                if n == 0 {
                    continue;
                }
                let status = if *code == 0 {
                    "other".to_string()
                } else {
                    code.to_string()
                };
                let _ = writeln!(
                    out,
                    "chartgate_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    route.as_str()
                );
            }
        }
        let name = "chartgate_http_requests_in_flight";
        header(
            &mut out,
            name,
            "gauge",
            "HTTP requests whose handler is running now, by route (memory hits of known chart URLs answer at once and are not counted).",
        );
        for route in Route::ALL {
            let _ = writeln!(
                out,
                "{name}{{route=\"{}\"}} {}",
                route.as_str(),
                self.requests_in_flight(route)
            );
        }
        header(
            &mut out,
            "chartgate_cache_lookups_total",
            "counter",
            "Chart lookups by how they were answered.",
        );
        for s in CacheStatus::ALL {
            let _ = writeln!(
                out,
                "chartgate_cache_lookups_total{{result=\"{}\"}} {}",
                s.metric_label(),
                self.lookups(s)
            );
        }
        header(
            &mut out,
            "chartgate_renders_total",
            "counter",
            "Renders by how they ended and which renderer drew them.",
        );
        for d in Drawer::ALL {
            for o in RenderOutcome::ALL {
                let _ = writeln!(
                    out,
                    "chartgate_renders_total{{outcome=\"{}\",renderer=\"{}\"}} {}",
                    o.as_str(),
                    d.as_str(),
                    self.renders(o, d)
                );
            }
        }
        self.render_histogram(&mut out);
        header(
            &mut out,
            "chartgate_missing_glyphs_total",
            "counter",
            "Characters drawn as boxes because no loaded font has them, by Unicode script.",
        );
        let mut missing = self
            .missing_glyphs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        missing.sort();
        for (script, n) in missing {
            let _ = writeln!(
                out,
                "chartgate_missing_glyphs_total{{script=\"{script}\"}} {n}"
            );
        }
        let gauges_i = [
            (
                "chartgate_renders_in_flight",
                "Renders running on the render threads now.",
                self.renders_in_flight.load(Relaxed),
            ),
            (
                "chartgate_render_queue_depth",
                "Distinct renders waiting for a render thread.",
                self.render_queue_depth.load(Relaxed),
            ),
        ];
        for (name, help, v) in gauges_i {
            header(&mut out, name, "gauge", help);
            let _ = writeln!(out, "{name} {v}");
        }
        header(
            &mut out,
            "chartgate_render_rejected_total",
            "counter",
            "Renders refused because the render queue was full.",
        );
        let _ = writeln!(
            out,
            "chartgate_render_rejected_total {}",
            self.render_rejected.load(Relaxed)
        );
        for (name, help, v) in [
            (
                "chartgate_memory_cache_bytes",
                "Bytes held by the memory tier (bodies, keys, overhead).",
                gauges.memory_cache_bytes,
            ),
            (
                "chartgate_memory_cache_entries",
                "Charts held by the memory tier.",
                gauges.memory_cache_entries,
            ),
        ] {
            header(&mut out, name, "gauge", help);
            let _ = writeln!(out, "{name} {v}");
        }
        if self.redis_configured.load(Relaxed) {
            self.render_redis(&mut out);
        }
        out
    }

    fn render_redis(&self, out: &mut String) {
        let name = "chartgate_redis_up";
        header(
            out,
            name,
            "gauge",
            "1 while the shared Redis tier answers, 0 while it is treated as down.",
        );
        let _ = writeln!(out, "{name} {}", u8::from(self.redis_up()));
        let name = "chartgate_redis_errors_total";
        header(
            out,
            name,
            "counter",
            "Redis operations that failed or timed out, by operation.",
        );
        for op in RedisOp::ALL {
            let _ = writeln!(
                out,
                "{name}{{op=\"{}\"}} {}",
                op.as_str(),
                self.redis_errors(op)
            );
        }
        let name = "chartgate_redis_corrupt_values_total";
        header(
            out,
            name,
            "counter",
            "Values read from Redis that failed their frame check (treated as misses).",
        );
        let _ = writeln!(out, "{name} {}", self.redis_corrupt_values());
    }

    fn render_histogram(&self, out: &mut String) {
        let name = "chartgate_render_duration_seconds";
        header(
            out,
            name,
            "histogram",
            "Time one render took, encoding included.",
        );
        self.render_duration.write(out, name, "");
    }
}

/// A duration histogram over `RENDER_BUCKETS` (renders, origin calls).
/// Cumulative counts are computed at scrape time; the counts are per
/// bucket so one observation is one add.
#[derive(Default)]
pub(crate) struct Histogram {
    buckets: [AtomicU64; RENDER_BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

impl Histogram {
    pub(crate) fn observe(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let bucket = RENDER_BUCKETS
            .iter()
            .position(|&b| secs <= b)
            .unwrap_or(RENDER_BUCKETS.len());
        self.buckets[bucket].fetch_add(1, Relaxed);
        self.sum_micros.fetch_add(took.as_micros() as u64, Relaxed);
    }

    /// Observations so far.
    pub(crate) fn count(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Relaxed)).sum()
    }

    /// The `_bucket`, `_sum` and `_count` lines of `name`; `labels` (e.g.
    /// `origin="reports",`) go before `le`.
    pub(crate) fn write(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        for (i, le) in RENDER_BUCKETS.iter().enumerate() {
            cumulative += self.buckets[i].load(Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{le}\"}} {cumulative}");
        }
        cumulative += self.buckets[RENDER_BUCKETS.len()].load(Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Relaxed) as f64 / 1e6;
        let bare = labels.trim_end_matches(',');
        let braces = if bare.is_empty() {
            String::new()
        } else {
            format!("{{{bare}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {sum}");
        let _ = writeln!(out, "{name}_count{braces} {cumulative}");
    }
}

/// One request in flight on the slow path; see `Metrics::request_started`.
#[must_use = "the request counts as in flight only while the guard lives"]
pub struct InFlight<'a> {
    metrics: &'a Metrics,
    route: Route,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.metrics.http_in_flight[self.route as usize].fetch_sub(1, Relaxed);
    }
}

pub(crate) fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// Adds `n` to `label`'s count in a short list of counts (a handful of
/// labels, so a list beats a map): the missing-glyph counter here and the
/// per-render tally of `render::fonts`.
pub(crate) fn tally(counts: &mut Vec<(&'static str, u64)>, label: &'static str, n: u64) {
    match counts.iter_mut().find(|(l, _)| *l == label) {
        Some((_, total)) => *total += n,
        None => counts.push((label, n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_in_exposition() {
        let m = Metrics::default();
        m.http_request(Route::Chart, 200);
        m.http_request(Route::Chart, 200);
        m.http_request(Route::Other, 404);
        m.cache_lookup(CacheStatus::HitMemory);
        m.render_finished(RenderOutcome::Ok, Drawer::Native, Duration::from_millis(3));
        let text = m.render(&Gauges {
            memory_cache_bytes: 10,
            memory_cache_entries: 1,
        });
        assert!(text.contains("chartgate_http_requests_total{route=\"/chart\",status=\"200\"} 2"));
        assert!(text.contains("chartgate_http_requests_total{route=\"other\",status=\"404\"} 1"));
        assert!(text.contains("chartgate_cache_lookups_total{result=\"hit_memory\"} 1"));
        assert!(text.contains("chartgate_render_duration_seconds_bucket{le=\"0.0025\"} 0"));
        assert!(text.contains("chartgate_render_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("chartgate_render_duration_seconds_count 1"));
        assert!(text.contains("chartgate_memory_cache_bytes 10"));
        assert!(
            !text.contains("chartgate_redis"),
            "no Redis families without Redis"
        );
    }

    #[test]
    fn requests_in_flight_follow_their_guards() {
        let m = Metrics::default();
        let gauges = Gauges {
            memory_cache_bytes: 0,
            memory_cache_entries: 0,
        };
        let text = m.render(&gauges);
        assert!(text.contains("# TYPE chartgate_http_requests_in_flight gauge"));
        assert!(text.contains("chartgate_http_requests_in_flight{route=\"/chart\"} 0"));
        let first = m.request_started(Route::Chart);
        let second = m.request_started(Route::Chart);
        let other = m.request_started(Route::Metrics);
        let text = m.render(&gauges);
        assert!(text.contains("chartgate_http_requests_in_flight{route=\"/chart\"} 2"));
        assert!(text.contains("chartgate_http_requests_in_flight{route=\"/metrics\"} 1"));
        drop(first);
        drop(other);
        assert_eq!(m.requests_in_flight(Route::Chart), 1);
        assert_eq!(m.requests_in_flight(Route::Metrics), 0);
        drop(second);
        assert_eq!(m.requests_in_flight(Route::Chart), 0);
    }

    #[test]
    fn redis_families_once_configured() {
        let m = Metrics::default();
        m.redis_configured();
        m.redis_error(RedisOp::Get);
        m.redis_corrupt_value();
        let gauges = Gauges {
            memory_cache_bytes: 0,
            memory_cache_entries: 0,
        };
        let text = m.render(&gauges);
        assert!(text.contains("chartgate_redis_up 0"));
        assert!(text.contains("chartgate_redis_errors_total{op=\"get\"} 1"));
        assert!(text.contains("chartgate_redis_errors_total{op=\"ping\"} 0"));
        assert!(text.contains("chartgate_redis_corrupt_values_total 1"));
        m.set_redis_up(true);
        assert!(m.render(&gauges).contains("chartgate_redis_up 1"));
    }
}
