//! The cache-hit path and key derivation, without sockets: what one hit costs
//! inside the gateway (alias lookup, memory lookup, response headers), and
//! what normalizing and hashing a chart costs when the URL was not seen.
//!
//! cargo bench --bench hit_path

use chartgate::app::App;
use chartgate::chart::{params, ChartKey, Prepared};
use chartgate::config::{Config, Limits};
use chartgate::render::PlottersRenderer;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::sync::Arc;

/// The shared reference chart as the query string of a GET.
fn reference_query() -> String {
    // A copy of ../shared/bench/reference-chart.json, so benches need no checkout beside.
    let text = include_str!("reference-chart.json");
    let config: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("c", &config.to_string())
        .append_pair("w", "800")
        .append_pair("h", "400")
        .append_pair("devicePixelRatio", "1")
        .append_pair("f", "png");
    q.finish()
}

fn benches(c: &mut Criterion) {
    let query = reference_query();
    let limits = Config::default().limits;
    c.bench_function("key: parse + normalize + blake3 (reference chart)", |b| {
        b.iter(|| {
            let req = params::from_query(black_box(&query), &limits).unwrap();
            ChartKey::of(&req)
        })
    });

    // A monitoring dashboard's POST: 20,000 {x, y} points (epoch-ms x),
    // about 450 KB of JSON, parsed, normalized and hashed.
    let points: Vec<_> = (0..20_000u64)
        .map(|i| serde_json::json!({"x": 1_709_280_000_000u64 + i * 4000, "y": (i * 37 % 1000) as f64 / 10.0}))
        .collect();
    let body = serde_json::json!({"width": 800, "height": 400, "chart": {"type": "scatter",
        "data": {"datasets": [{"label": "latency", "showLine": true, "data": points}]}}})
    .to_string();
    let mut big = limits.clone();
    big.max_body_bytes = 1 << 20;
    post_key(c, "{x, y} points", &body, &big);

    // Issue 15's big line (benches/big_charts.py): 20,000 numeric labels
    // and values, a day of 4-second samples.
    let values: Vec<f64> = (0..20_000)
        .map(|i| f64::from(i * 37 % 1000) / 10.0)
        .collect();
    let line = serde_json::json!({"width": 800, "height": 400, "chart": {"type": "line",
        "data": {"labels": (0..20_000).collect::<Vec<u32>>(),
            "datasets": [{"label": "requests", "data": values, "fill": false, "pointRadius": 0}]}}})
    .to_string();
    post_key(c, "a 20,000-point line", &line, &big);

    let rt = tokio::runtime::Runtime::new().unwrap();
    let app = rt.block_on(async { App::new(Config::default(), Arc::new(PlottersRenderer::new())) });
    let req = hyper::Request::get(format!("/chart?{query}"))
        .body(())
        .unwrap();
    // Fill the cache the way a first request does.
    rt.block_on(async {
        let chart = Prepared::new(params::from_query(&query, &limits).unwrap());
        let (key, format) = (chart.key, chart.req.output.format);
        app.aliases()
            .insert(&query, chartgate::cache::Alias { key, format });
        let (outcome, _) = app.cache().fetch(Arc::new(chart)).await;
        outcome.unwrap();
    });
    assert!(app.try_hit(&req).is_some(), "the reference chart is a hit");
    c.bench_function("hit: alias + memory + response (reference chart)", |b| {
        b.iter(|| app.try_hit(black_box(&req)).unwrap())
    });
}

/// Parse, normalize and hash a POST of `body` (`what` names it).
fn post_key(c: &mut Criterion, what: &str, body: &str, limits: &Limits) {
    let name = format!(
        "key: parse + normalize + blake3 ({} KB POST of {what})",
        body.len() / 1000
    );
    c.bench_function(&name, |b| {
        b.iter(|| {
            let req = params::from_post(black_box(body.as_bytes()), limits).unwrap();
            ChartKey::of(&req)
        })
    });
}

criterion_group!(hit_path, benches);
criterion_main!(hit_path);
