//! The `/stats` JSON: a `Snapshot` as the contract shapes it (`scope`,
//! `replicas`, `totals`, `top`, `sources`), plus the per-minute `series`,
//! render latency percentiles, the top lists' error bounds, each fronted
//! origin's figures (`origins`) and each renderer's (`renderers`).

use super::counts::Counts;
use super::snapshot::{ChartStat, OriginStat, RendererStat, Snapshot, SourceStat};
use serde_json::{json, Value};

fn secs(us: u64) -> f64 {
    us as f64 / 1e6
}

fn ratio(c: &Counts) -> f64 {
    c.hit_ratio()
}

fn origin(o: &OriginStat) -> Value {
    let lookups = o.lookups();
    json!({
        "name": o.name,
        "lookups": lookups,
        "hit_ratio": if lookups == 0 { 0.0 } else { o.hits() as f64 / lookups as f64 },
        "by_outcome": o.outcomes,
        "origin_calls": o.calls,
        "origin_errors": o.errors,
        "origin_seconds_saved": secs(o.saved_us),
        "calls_in_flight": o.in_flight,
        "calls_waiting": o.waiting,
    })
}

/// One renderer's share of the traffic: the lookups of charts it drew,
/// its renders and how long they took.
fn renderer(r: &RendererStat) -> Value {
    let c = &r.counts;
    json!({
        "renderer": r.name,
        "lookups": c.lookups(),
        "hit_ratio": ratio(c),
        "renders": c.miss,
        "render_seconds": secs(c.render_us),
        "render_ms": {
            "count": r.latency.count(),
            "p50": r.latency.quantile_ms(0.5),
            "p90": r.latency.quantile_ms(0.9),
            "p99": r.latency.quantile_ms(0.99),
        },
    })
}

/// `thumbnail(key)` says whether `/chart/render/KEY` will answer.
pub fn stats(snap: &Snapshot, scope: &str, top: usize, thumbnail: impl Fn(&str) -> bool) -> Value {
    let t = &snap.totals;
    json!({
        "scope": scope,
        "replicas": snap.replicas,
        "generated_at": snap.taken_at,
        "started_at": snap.started_at,
        "totals": {
            "lookups": t.lookups(),
            "hit_memory": t.hit_memory,
            "hit_redis": t.hit_redis,
            "miss": t.miss,
            "coalesced": t.coalesced,
            "hit_ratio": ratio(t),
            "bytes_served": t.bytes,
            "renders": t.miss,
            "render_seconds": secs(t.render_us),
            "render_seconds_saved": secs(t.saved_us),
        },
        "render_ms": {
            "count": snap.latency.count(),
            "p50": snap.latency.quantile_ms(0.5),
            "p90": snap.latency.quantile_ms(0.9),
            "p99": snap.latency.quantile_ms(0.99),
        },
        "top": snap.charts.entries.iter().take(top)
            .map(|c| chart(c, thumbnail(&c.key))).collect::<Vec<_>>(),
        "sources": snap.sources.entries.iter().take(top).map(source).collect::<Vec<_>>(),
        "series": series(snap),
        "origins": snap.origins.iter().map(origin).collect::<Vec<_>>(),
        "renderers": snap.renderers.iter().map(renderer).collect::<Vec<_>>(),
        "bounds": {
            "top_charts_tracked": snap.charts.capacity,
            "top_charts_max_error": snap.charts.floor,
            "top_sources_tracked": snap.sources.capacity,
            "top_sources_max_error": snap.sources.floor,
        },
    })
}

fn chart(c: &ChartStat, thumbnail: bool) -> Value {
    let meta = c.meta.as_ref();
    json!({
        "key": c.key,
        "type": meta.map(|m| m.kind.as_str()),
        "title": meta.map(|m| m.title.as_str()),
        "width": meta.map(|m| m.width),
        "height": meta.map(|m| m.height),
        "hits": c.counts.served_without_render(),
        "misses": c.counts.miss,
        "render_ms": f64::from(c.render_us) / 1000.0,
        "saved_seconds": secs(c.counts.saved_us),
        "lookups": c.count,
        "error": c.error,
        "hit_memory": c.counts.hit_memory,
        "hit_redis": c.counts.hit_redis,
        "coalesced": c.counts.coalesced,
        "hit_ratio": ratio(&c.counts),
        "bytes_served": c.counts.bytes,
        "first_seen": c.first_seen,
        "last_seen": c.last_seen,
        "thumbnail": thumbnail,
    })
}

fn source(s: &SourceStat) -> Value {
    json!({
        "source": s.source,
        "lookups": s.count,
        "hit_ratio": ratio(&s.counts),
        "error": s.error,
        "hits": s.counts.served_without_render(),
        "misses": s.counts.miss,
    })
}

/// Columns, one value per minute, oldest first; `hit_ratio` is null for a
/// minute without lookups.
fn series(snap: &Snapshot) -> Value {
    let p = &snap.series.points;
    let col = |f: fn(&Counts) -> u64| p.iter().map(f).collect::<Vec<_>>();
    json!({
        "start": u64::from(snap.series.start) * 60,
        "step_seconds": 60,
        "lookups": col(Counts::lookups),
        "hit_ratio": p.iter().map(|c| (c.lookups() > 0).then(|| c.hit_ratio())).collect::<Vec<_>>(),
        "hit_memory": col(|c| c.hit_memory),
        "hit_redis": col(|c| c.hit_redis),
        "miss": col(|c| c.miss),
        "coalesced": col(|c| c.coalesced),
        "bytes_served": col(|c| c.bytes),
        "render_seconds_saved": p.iter().map(|c| secs(c.saved_us)).collect::<Vec<_>>(),
    })
}
