//! Render + encode timings: the reference chart (800×400, 1000-point line,
//! devicePixelRatio 1) to PNG and SVG, the same with tick callbacks on both
//! axes (a script context per render), and every chart family at 500×300,
//! devicePixelRatio 2; and a chart with 100 Chinese labels against the same
//! with Latin ones (what shaping and font fallback cost); and big data
//! (20,000-point lines, a 100,000-point scatter); and the reference chart
//! as a time series. Prints each
//! output's size once before timing it.
//!
//! `cargo bench --bench render -- --warm-up-time 1 --measurement-time 3`

#[path = "../tests/render_specs.rs"]
mod specs;

use chartgate::chart::params;
use chartgate::chart::spec::{ChartRequest, ChartSpec, Format};
use chartgate::config::{Limits, ScriptConfig};
use chartgate::render::{PlottersRenderer, Renderer};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn bench_one(c: &mut Criterion, group: &str, name: &str, req: ChartRequest) {
    let renderer = PlottersRenderer::new();
    let far = || Instant::now() + Duration::from_secs(60);
    let bytes = renderer.render(&req, far()).expect("bench charts render");
    println!("{group}/{name}: {} bytes", bytes.len());
    c.bench_function(&format!("{group}/{name}"), |b| {
        b.iter(|| {
            renderer
                .render(black_box(&req), far())
                .expect("bench charts render")
        })
    });
}

fn formats(
    c: &mut Criterion,
    group: &str,
    name: &str,
    chart: &ChartSpec,
    (w, h, dpr): (u32, u32, f64),
) {
    for (ext, format) in [("png", Format::Png), ("svg", Format::Svg)] {
        let req = specs::request(chart.clone(), w, h, dpr, format);
        bench_one(c, group, &format!("{name}.{ext}"), req);
    }
}

fn reference(c: &mut Criterion) {
    formats(c, "reference", "line", &specs::reference(), (800, 400, 1.0));
}

/// The reference chart as QuickChart users send it, with and without tick
/// callbacks on both axes: what the callbacks cost a render.
fn callbacks(c: &mut Criterion) {
    let mut chart: serde_json::Value =
        serde_json::from_str(include_str!("reference-chart.json")).expect("reference chart");
    let plain = chart.to_string();
    let scales = &mut chart["options"]["scales"];
    scales["yAxes"][0]["ticks"] = serde_json::json!({"callback": "@y"});
    scales["xAxes"][0]["ticks"] = serde_json::json!({"callback": "@x"});
    let with_callbacks = chart.to_string();
    // Callbacks that give the labels the chart has anyway: their cost alone.
    let identity = with_callbacks
        .replace("\"@y\"", "(v) => v")
        .replace("\"@x\"", "(v) => v");
    // Callbacks that change the labels (so the picture, too).
    let formatted = with_callbacks
        .replace("\"@y\"", "(v) => '$' + v.toLocaleString()")
        .replace("\"@x\"", "(v, i) => i % 2 ? null : 't' + v");
    for (name, config) in [
        ("without", plain),
        ("identity", identity),
        ("formatted", formatted),
    ] {
        let body = serde_json::json!({"chart": config, "width": 800, "height": 400, "devicePixelRatio": 1});
        let req = params::scripted_post(
            body.to_string().as_bytes(),
            &Limits::default(),
            Some(&ScriptConfig::default()),
        )
        .expect("the reference chart reads");
        bench_one(c, "tick callbacks", &format!("{name}.png"), req);
    }
}

/// The reference chart against the same 1,000 points as a Chart.js 2
/// time series (a minute apart, epoch-millisecond labels on a time axis)
/// and as a Chart.js 4 one, each read from its config: what the native
/// time axis costs (issue 13's bar: within 1.2× of the line).
fn time_series(c: &mut Criterion) {
    let chart: serde_json::Value =
        serde_json::from_str(include_str!("reference-chart.json")).expect("reference chart");
    let mut timed = chart.clone();
    let minutes = timed["data"]["labels"].as_array().expect("labels").len();
    timed["data"]["labels"] = (0..minutes)
        .map(|i| serde_json::json!(1_709_251_200_000u64 + i as u64 * 60_000))
        .collect();
    timed["options"]["scales"]["xAxes"][0]["type"] = "time".into();
    // The same chart as Chart.js 4 writes it (`scales: {x, y}`, titles
    // under `plugins` and `title`): its native time scale.
    let mut v4 = timed.clone();
    v4["options"] = serde_json::json!({
        "plugins": {"title": {"display": true, "text": "Reference chart"}},
        "scales": {
            "x": {"type": "time", "title": {"display": true, "text": "minute"}},
            "y": {"title": {"display": true, "text": "rpm"}}
        }
    });
    for (name, config, version) in [
        ("line", chart, "2"),
        ("time series", timed, "2"),
        ("time series v4", v4, "4"),
    ] {
        let body = serde_json::json!({"chart": config, "version": version, "width": 800, "height": 400, "devicePixelRatio": 1});
        let req = params::scripted_post(body.to_string().as_bytes(), &Limits::default(), None)
            .expect("the reference chart reads");
        assert!(req.chartjs.is_none(), "{name} is drawn natively");
        bench_one(c, "time axis", &format!("{name}.png"), req);
    }
}

/// The reference chart (1,000 points) as a request is read and drawn,
/// with a tick callback and a datalabels formatter that give the labels
/// the chart has anyway, against the same chart without them (labels by
/// the plugin's default formatter) and without labels at all: what the
/// functions cost a miss, read to drawn, the picture unchanged.
fn functions(c: &mut Criterion) {
    let mut chart: serde_json::Value =
        serde_json::from_str(include_str!("reference-chart.json")).expect("reference chart");
    let plain = chart.to_string();
    chart["options"]["plugins"] = serde_json::json!({"datalabels": {"align": "top"}});
    let labelled = chart.to_string();
    chart["options"]["plugins"]["datalabels"]["formatter"] = "@f".into();
    chart["options"]["scales"]["yAxes"][0]["ticks"] = serde_json::json!({"callback": "@y"});
    let functions = chart
        .to_string()
        .replace("\"@f\"", "(v, ctx) => ctx.dataIndex >= 0 ? '' + v : null")
        .replace("\"@y\"", "(v) => v");
    let renderer = PlottersRenderer::new();
    let script = ScriptConfig::default();
    for (name, config) in [
        ("no labels", plain),
        ("labels, no functions", labelled),
        ("labels, formatter and tick callback", functions),
    ] {
        let body = serde_json::json!({"chart": config, "width": 800, "height": 400, "devicePixelRatio": 1})
            .to_string();
        let read_and_draw = || {
            let req = params::scripted_post(body.as_bytes(), &Limits::default(), Some(&script))
                .expect("the reference chart reads");
            renderer
                .render(&req, Instant::now() + Duration::from_secs(60))
                .expect("bench charts render")
        };
        println!("functions/{name}: {} bytes", read_and_draw().len());
        c.bench_function(&format!("functions/{name}"), |b| b.iter(read_and_draw));
    }
}

/// A 100-bar chart at 1200×500 whose category labels, legend and title are
/// Chinese, against the same chart in Latin: what shaping, bidi and font
/// fallback cost once the line cache is warm (the bar: 1.3×).
fn text(c: &mut Criterion) {
    const CITIES: [&str; 10] = [
        "北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "重庆",
    ];
    let latin = |i: usize| format!("City {i}");
    let chinese = |i: usize| format!("{}{i}", CITIES[i % 10]);
    let latin: Vec<String> = (0..100).map(latin).collect();
    let chinese: Vec<String> = (0..100).map(chinese).collect();
    let cases = [
        ("latin", "Sales by city", latin),
        ("chinese", "各城市销售额", chinese),
    ];
    for (name, title, labels) in cases {
        let chart = serde_json::json!({
            "type": "bar",
            "data": {
                "labels": labels,
                "datasets": [{"label": title, "data": (0..100).map(|i| (i * 37) % 100).collect::<Vec<_>>()}]
            },
            "options": {"title": {"display": true, "text": title}}
        });
        let body = serde_json::json!({"width": 1200, "height": 500, "chart": chart});
        let req = params::scripted_post(body.to_string().as_bytes(), &Limits::default(), None)
            .expect("the text chart reads");
        bench_one(c, "text", &format!("{name}-100-labels.png"), req);
    }
}

/// Big data (the bars of the big-charts issue): a day of 4-second samples
/// as a 20,000-point line with Chart.js's default markers and without, the
/// same at 2000×1500 and devicePixelRatio 2, and a 100,000-point scatter
/// (`limits.max_points`) with radius-2 markers; 800×400 unless said.
fn big(c: &mut Criterion) {
    let wave = |i: usize| {
        let t = i as f64;
        (50.0 + 30.0 * (t / 700.0).sin() + 10.0 * (t / 37.0).sin() + (t * 7.1).sin() * 4.0).round()
    };
    let line = |radius: Option<f64>| {
        let mut ds = serde_json::json!({"label": "requests", "data": (0..20_000).map(wave).collect::<Vec<_>>(), "fill": false});
        if let Some(r) = radius {
            ds["pointRadius"] = r.into();
        }
        serde_json::json!({"type": "line", "data": {"labels": (0..20_000).collect::<Vec<_>>(), "datasets": [ds]}})
    };
    let scatter = serde_json::json!({"type": "scatter", "data": {"datasets": [{"label": "points", "pointRadius": 2,
        "data": (0..100_000).map(|i| serde_json::json!({"x": (i * 7919 % 100_000) as f64 / 1000.0, "y": wave(i)})).collect::<Vec<_>>()}]}});
    let cases = [
        ("line-20k-markers", line(None), 800, 400, 1.0),
        ("line-20k-radius0", line(Some(0.0)), 800, 400, 1.0),
        ("scatter-100k-radius2", scatter, 800, 400, 1.0),
        (
            "line-20k-radius0-2000x1500-dpr2",
            line(Some(0.0)),
            2000,
            1500,
            2.0,
        ),
    ];
    for (name, chart, w, h, dpr) in cases {
        let body =
            serde_json::json!({"width": w, "height": h, "devicePixelRatio": dpr, "chart": chart});
        let req = params::scripted_post(body.to_string().as_bytes(), &Limits::default(), None)
            .expect("the big chart reads");
        bench_one(c, "big", &format!("{name}.png"), req);
    }
}

/// Renders on one thread against two at once (the reference chart, as the
/// render pool's workers draw it): wall time per render. Two cores should
/// give close to half the time per render (the bar: 1.8x the renders).
fn scaling(c: &mut Criterion) {
    let req = specs::request(specs::reference(), 800, 400, 1.0, Format::Png);
    for threads in [1u32, 2] {
        c.bench_function(&format!("scaling/reference.png-{threads}-threads"), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|| {
                            let renderer = PlottersRenderer::new();
                            let far = Instant::now() + Duration::from_secs(600);
                            for _ in 0..iters {
                                black_box(renderer.render(&req, far).expect("renders"));
                            }
                        });
                    }
                });
                // Wall time per render: `threads` renders per iteration.
                start.elapsed() / threads
            })
        });
    }
}

fn families(c: &mut Criterion) {
    for (name, chart) in specs::all() {
        formats(c, "types", name, &chart, (500, 300, 2.0));
    }
}

criterion_group!(
    benches,
    reference,
    time_series,
    callbacks,
    functions,
    text,
    big,
    scaling,
    families
);
criterion_main!(benches);
