//! What the script sandbox costs, on the reference chart's config (12 KB of
//! data): read as data (no engine); with a tick callback, read as a request
//! is (the data read here, only the callback evaluated); and evaluated
//! whole by the engine, as a config that is all code is.

use chartgate::chart::params;
use chartgate::config::{Limits, ScriptConfig};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const REFERENCE: &str = include_str!("reference-chart.json");

fn reference_config() -> String {
    let chart: serde_json::Value = serde_json::from_str(REFERENCE).expect("reference chart");
    chart.get("chart").unwrap_or(&chart).to_string()
}

fn bench(c: &mut Criterion) {
    let config = reference_config();
    let script = ScriptConfig::default();
    let limits = Limits::default();
    c.bench_function("reference config evaluated whole by the engine", |b| {
        b.iter(|| chartgate::script::evaluate(black_box(&config), &script, 500, 300).unwrap())
    });
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("c", &config)
        .finish();
    c.bench_function("reference request as data (no engine)", |b| {
        b.iter(|| params::from_query(black_box(&query), &limits).unwrap())
    });
    let scripted = config.replacen(
        "{",
        "{options:{scales:{yAxes:[{ticks:{callback:(v) => '$' + v}}]}},",
        1,
    );
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("c", &scripted)
        .finish();
    c.bench_function(
        "reference request with a callback (data read, callback evaluated)",
        |b| b.iter(|| params::scripted_query(black_box(&query), &limits, Some(&script)).unwrap()),
    );
}

/// What a render pays before its first callback: a fresh context with
/// the prelude run.
fn context(c: &mut Criterion) {
    let far = || std::time::Instant::now() + std::time::Duration::from_secs(60);
    c.bench_function("a callback context made and dropped", |b| {
        b.iter(|| chartgate::script::Callbacks::new(far()).unwrap())
    });
}

/// The reference chart with datalabels read (no render), its labels by
/// the default formatter and by an identity formatter: what calling a
/// formatter on 1,000 points costs the read.
fn formatter(c: &mut Criterion) {
    let script = ScriptConfig::default();
    let limits = Limits::default();
    let mut chart: serde_json::Value = serde_json::from_str(REFERENCE).expect("reference chart");
    chart["options"]["plugins"] = serde_json::json!({"datalabels": {"formatter": "@f"}});
    let with = chart.to_string().replace("\"@f\"", "(v) => '' + v");
    chart["options"]["plugins"] = serde_json::json!({"datalabels": {}});
    let without = chart.to_string();
    for (name, config) in [("without a formatter", without), ("with a formatter", with)] {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("c", &config)
            .finish();
        c.bench_function(&format!("1,000 datalabels read, {name}"), |b| {
            b.iter(|| params::scripted_query(black_box(&query), &limits, Some(&script)).unwrap())
        });
    }
}

criterion_group!(benches, bench, context, formatter);
criterion_main!(benches);
