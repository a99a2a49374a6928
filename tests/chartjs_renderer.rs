//! The Chart.js renderer over HTTP: configs the native renderer would draw
//! wrong (time scales, two y axes on one side) are drawn by Chart.js 2.9.4
//! itself in the sandbox, with the config's functions; a looping callback
//! frees its worker at the deadline; nothing a config does to Chart.js
//! outlives its render. A second y axis on the right, which the native
//! renderer draws, stays native.

mod common;

use common::image::decode;
use common::{chart_path, Server};
use std::sync::Arc;

/// Chart.js 2's "line-multi-axis" sample, its second dataset on its own
/// axis at a scale 40 times smaller (the issue's "Duration (hours)"), with
/// its second axis at `SIDE`.
const TWO_AXES: &str = "{type: 'line', data: {labels: ['January', 'February', 'March', 'April', 'May', 'June', 'July'], datasets: [{label: 'My First dataset', borderColor: 'rgb(255, 99, 132)', backgroundColor: 'rgb(255, 99, 132)', fill: false, data: [-33, 26, 29, 89, -41, 70, -84], yAxisID: 'y-axis-1'}, {label: 'My Second dataset', borderColor: 'rgb(54, 162, 235)', backgroundColor: 'rgb(54, 162, 235)', fill: false, data: [1.7, 2.1, 2.5, 1.9, 2.2, 1.8, 2.4], yAxisID: 'y-axis-2'}]}, options: {scales: {yAxes: [{type: 'linear', display: true, position: 'left', id: 'y-axis-1'}, {type: 'linear', display: true, position: 'SIDE', id: 'y-axis-2', gridLines: {drawOnChartArea: false}}]}}}";

/// `TWO_AXES` with its second axis on `side`.
fn two_axes(side: &str) -> String {
    TWO_AXES.replace("SIDE", side)
}

/// The second dataset spans more than half the picture's height: on its
/// own axis, 1.7 to 2.5 spans the plot's height; against the first axis
/// (-100 to 100) it would be a line of a few pixels.
fn on_its_own_axis(png: &[u8]) {
    let img = decode(png);
    let (_, top, _, bottom) = img.extent_of(BLUE).expect("the second dataset is drawn");
    assert!(
        bottom - top > img.h / 2,
        "the second dataset spans {top}..{bottom} of {} px",
        img.h
    );
}

/// A time series as dashboards send it: ISO strings as x, a month apart
/// at the ends, read by a `time.parser` function (which sends it to
/// Chart.js: the native renderer reads ISO dates and moment formats
/// itself, but calls no parser function).
const TIME_SERIES: &str = "{type: 'line', data: {datasets: [{label: 'Visitors', borderColor: 'rgb(54, 162, 235)', fill: false, data: [{x: '2020-01-01', y: 12}, {x: '2020-01-02', y: 19}, {x: '2020-01-03', y: 3}, {x: '2020-01-31', y: 17}]}]}, options: {legend: {display: false}, scales: {xAxes: [{type: 'time', time: {parser: (v) => Date.parse(v)}}]}}}";

/// Both axes' labels are in `svg`: the second's 1.7 to 2.5 by 0.1, as
/// Chart.js 2 prints them, and the first's.
fn axis_labels_in(svg: &[u8]) {
    let svg = std::str::from_utf8(svg).unwrap();
    let texts: Vec<&str> = svg
        .split("</text>")
        .filter_map(|t| Some(t.rsplit_once('>')?.1.trim()))
        .collect();
    for label in ["1.7", "2.1", "2.5", "-100", "100"] {
        assert!(texts.contains(&label), "no {label} in {texts:?}");
    }
}

const BLUE: [u8; 3] = [54, 162, 235];

#[tokio::test]
async fn two_y_axes_on_one_side_keep_their_own_scales() {
    let server = Server::default().await;
    let two_axes = two_axes("left");
    let resp = server
        .get(&chart_path(&two_axes, &[("bkg", "white")]))
        .await;
    assert_eq!(
        resp.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    assert_eq!(resp.header("x-chartgate-renderer"), "chartjs");
    let hit = server
        .get(&chart_path(&two_axes, &[("bkg", "white")]))
        .await;
    assert_eq!(hit.header("x-cache"), "hit-memory");
    assert_eq!(hit.header("x-chartgate-renderer"), "chartjs");
    // One axis: the native renderer's.
    let one = server
        .get(&chart_path(&common::bar_chart("one axis"), &[]))
        .await;
    assert_eq!(one.header("x-chartgate-renderer"), "native");
    let metrics = String::from_utf8(server.get("/metrics").await.body.to_vec()).unwrap();
    assert!(
        metrics.contains("chartgate_renders_total{outcome=\"ok\",renderer=\"chartjs\"} 1"),
        "{metrics}"
    );
    // Its SVG is Chart.js's too, both axes labelled.
    let svg = server.get(&chart_path(&two_axes, &[("f", "svg")])).await;
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("x-chartgate-renderer"), "chartjs");
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    axis_labels_in(&svg.body);
    on_its_own_axis(&resp.body);
    server.stop().await;
}

#[tokio::test]
async fn a_second_y_axis_on_the_right_is_native_in_png_and_svg() {
    let server = Server::default().await;
    let two_axes = two_axes("right");
    let resp = server
        .get(&chart_path(&two_axes, &[("bkg", "white")]))
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("x-chartgate-renderer"), "native");
    on_its_own_axis(&resp.body);
    let svg = server.get(&chart_path(&two_axes, &[("f", "svg")])).await;
    assert_eq!(svg.status, 200);
    axis_labels_in(&svg.body);
    server.stop().await;
}

#[tokio::test]
async fn a_time_series_is_placed_by_time() {
    let server = Server::default().await;
    // With a `time.parser` function, Chart.js draws it; without, the
    // native renderer (ISO dates).
    let native = TIME_SERIES.replace(", time: {parser: (v) => Date.parse(v)}", "");
    for (config, renderer) in [(TIME_SERIES, "chartjs"), (native.as_str(), "native")] {
        let resp = server.get(&chart_path(config, &[("bkg", "white")])).await;
        assert_eq!(
            resp.status,
            200,
            "{:?}",
            String::from_utf8_lossy(&resp.body)
        );
        assert_eq!(resp.header("x-chartgate-renderer"), renderer);
        placed_by_time(&resp.body);
    }
    server.stop().await;
}

/// Chart.js's "Floating bars" sample (values fixed): each bar spans
/// `[start, end]`, the first from 10 to 50, the second from -40 to 30.
const FLOATING: &str = "{type: 'bar', data: {labels: ['January', 'February'], datasets: [{label: 'Dataset 1', backgroundColor: 'rgb(255, 99, 132)', data: [[10, 50], [-40, 30]]}]}, options: {legend: {display: false}, scales: {yAxes: [{ticks: {min: -60, max: 60}}]}}}";

/// A Gantt chart as dashboards write it for Chart.js 4: floating bars of
/// ISO dates on a horizontal chart's time axis (a time value axis).
const GANTT: &str = "{type: 'bar', data: {labels: ['Design', 'Build'], datasets: [{label: 'Plan', backgroundColor: 'rgb(54, 162, 235)', data: [['2022-01-01', '2022-01-11'], ['2022-01-21', '2022-01-31']]}]}, options: {indexAxis: 'y', plugins: {legend: {display: false}}, scales: {x: {type: 'time', min: '2022-01-01', max: '2022-01-31'}}}}";

/// A scatter of times on Chart.js 3's `y`: its values are dates.
const TIME_ON_Y: &str = "{type: 'scatter', data: {datasets: [{label: 'Deploys', backgroundColor: 'rgb(54, 162, 235)', pointRadius: 6, data: [{x: 1, y: '2022-01-01'}, {x: 2, y: '2022-01-31'}]}]}, options: {scales: {y: {type: 'time'}}}}";

/// Chart.js 2's scale names as Chart.js 3 ids (`xAxes: {…}`, an x scale
/// by its first letter), as configs moved from 2 to 3 write them.
const TIME_BY_ID: &str = "{type: 'scatter', data: {datasets: [{label: 'Load', backgroundColor: 'rgb(54, 162, 235)', pointRadius: 6, data: [{x: '2022-01-01', y: 1}, {x: '2022-01-31', y: 1}]}]}, options: {scales: {xAxes: {type: 'time'}}}}";

/// Floating bars, a time value axis and times on `y` are Chart.js's: the
/// parser reads their values (for the limits) where it used to refuse
/// them as no numbers, and Chart.js draws them where they are.
#[tokio::test]
async fn floating_bars_and_times_on_a_value_axis_are_drawn_by_chartjs() {
    let server = Server::default().await;
    let red = [255, 99, 132];
    let floating = drawn_chartjs(&server, FLOATING, "2").await;
    // 40 units tall, then 70 (from the baseline: 50, then 30).
    let height = |x: u32| {
        (0..floating.h)
            .filter(|&y| common::image::near(floating.px(x, y), red))
            .count()
    };
    let (january, february) = (height(floating.w * 3 / 10), height(floating.w * 7 / 10));
    assert!(
        february * 3 > january * 5,
        "the bars are {january} and {february} rows tall: drawn from the baseline?"
    );
    let blue = [54, 162, 235];
    let gantt = drawn_chartjs(&server, GANTT, "4").await;
    let (left, top, right, bottom) = gantt.extent_of(blue).expect("the bars are drawn");
    let row = |y| {
        (left..=right)
            .filter(|&x| common::image::near(gantt.px(x, y), blue))
            .collect::<Vec<_>>()
    };
    // 'Design' (top) spans the month's first third, 'Build' its last.
    let (design, build) = (row(top + 2), row(bottom - 2));
    assert!(
        design.last() < build.first(),
        "Design ends at {:?}, Build starts at {:?}",
        design.last(),
        build.first()
    );
    let scatter = drawn_chartjs(&server, TIME_ON_Y, "3").await;
    let (_, top, _, bottom) = scatter.extent_of(blue).expect("the points are drawn");
    assert!(
        bottom - top > scatter.h / 2,
        "a month apart on y, the points are {top}..{bottom}"
    );
    let by_id = drawn_chartjs(&server, TIME_BY_ID, "3").await;
    let (left, _, right, _) = by_id.extent_of(blue).expect("the points are drawn");
    assert!(
        right - left > by_id.w / 2,
        "a month apart on x, the points are {left}..{right}"
    );
    server.stop().await;
}

/// `config` for Chart.js `version`, drawn by Chart.js at 500×300 on white.
async fn drawn_chartjs(server: &Server, config: &str, version: &str) -> common::image::Image {
    let resp = server
        .get(&chart_path(config, &[("bkg", "white"), ("v", version)]))
        .await;
    let body = String::from_utf8_lossy(&resp.body);
    assert_eq!(resp.status, 200, "{config}: {body}");
    assert_eq!(resp.header("x-chartgate-renderer"), "chartjs", "{config}");
    decode(&resp.body)
}

/// The time series' dip to 3 on January 3rd sits near its start.
fn placed_by_time(png: &[u8]) {
    let img = decode(png);
    let (left, _, right, bottom) = img.extent_of(BLUE).expect("the line is drawn");
    assert!(
        right - left > img.w * 3 / 4,
        "the line spans {left}..{right}"
    );
    // The dip to 3 is on January 3rd: by time, a fifteenth of the way from
    // the first point to the last (by index, two thirds of the way).
    let dip = (left..=right)
        .find(|&x| common::image::near(img.px(x, bottom), BLUE))
        .unwrap();
    let share = f64::from(dip - left) / f64::from(right - left);
    assert!(
        share < 0.15,
        "the dip sits {share:.2} of the way along: placed by index?"
    );
}

#[tokio::test]
async fn the_configs_functions_run_in_chartjs() {
    let server = Server::default().await;
    let throws = "{type: 'line', data: {datasets: [{data: [{x: '2020-01-01', y: 1}]}]}, options: {scales: {xAxes: [{type: 'time', time: {parser: (v) => Date.parse(v)}}], yAxes: [{ticks: {callback: (v) => v.nope.deeper}}]}}}";
    let message = refused(&server, throws, 400, "bad_request").await;
    assert!(
        message.contains("Chart.js could not draw this config") && message.contains("TypeError"),
        "{message}"
    );
    // A callback that keeps allocating meets the render's heap limit
    // (script.chartjs_memory_bytes): 422 naming it, as for a config's script.
    let hungry = throws.replace(
        "v.nope.deeper",
        "{ const a = []; while (true) a.push(new Array(100000).fill(v)); }",
    );
    let message = refused(&server, &hungry, 422, "limit_exceeded").await;
    assert!(message.contains("memory limit"), "{message}");
    // The same chart with a callback that works: drawn.
    let works = throws.replace("v.nope.deeper", "v + ' req'");
    assert_eq!(server.get(&chart_path(&works, &[])).await.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn a_looping_callback_frees_its_worker_at_the_deadline() {
    let mut config = common::config();
    config.render.timeout_ms = 300;
    config.render.workers = 1;
    let server = Server::start(config, Arc::new(chartgate::render::PlottersRenderer::new())).await;
    let loops = "{type: 'line', data: {datasets: [{data: [{x: '2020-01-01', y: 1}]}]}, options: {scales: {xAxes: [{type: 'time', ticks: {callback: (v) => { while (true) {} }}}]}}}";
    assert_eq!(server.get(&chart_path(loops, &[])).await.status, 504);
    // The engine stops the callback at the deadline: the only worker is free.
    common::wait_worker_freed_by_timeout(server.addr, "chartjs").await;
    server.stop().await;
}

#[tokio::test]
async fn what_a_config_does_to_chartjs_ends_with_its_render() {
    let server = Server::default().await;
    let before = server
        .get(&chart_path(TIME_SERIES, &[("bkg", "white")]))
        .await;
    assert_eq!(before.status, 200);
    // Changes Chart.js's defaults and Object.prototype from a callback,
    // inside its own render.
    let polluting = "{type: 'line', data: {datasets: [{data: [{x: '2020-01-01', y: 1}, {x: '2020-02-01', y: 2}]}]}, options: {title: {display: true, text: 'polluter'}, scales: {xAxes: [{type: 'time', time: {parser: (v) => Date.parse(v)}}], yAxes: [{ticks: {callback: (v) => { Chart.defaults.global.defaultFontColor = 'red'; Chart.defaults.global.elements.line.borderWidth = 20; Object.prototype.hidden = true; return v; }}}]}}}";
    // A second gateway (its cache empty) draws the polluting config first,
    // then the time series: byte for byte what the first one drew.
    let other = Server::default().await;
    assert_eq!(other.get(&chart_path(polluting, &[])).await.status, 200);
    let fresh = other
        .get(&chart_path(TIME_SERIES, &[("bkg", "white")]))
        .await;
    assert_eq!(fresh.header("x-cache"), "miss");
    assert_eq!(
        fresh.body, before.body,
        "drawn after a polluting render, unchanged"
    );
    server.stop().await;
    other.stop().await;
}

/// The message of `config`'s answer, asserted to be `status` with JSON
/// `error`.
async fn refused(server: &Server, config: &str, status: u16, error: &str) -> String {
    let resp = server.get(&chart_path(config, &[])).await;
    let body = String::from_utf8_lossy(&resp.body).into_owned();
    assert_eq!(resp.status, status, "{config}: {body}");
    assert_eq!(resp.json()["error"], error, "{config}: {body}");
    resp.json()["message"].as_str().unwrap().to_owned()
}

/// `config` drawn at 500×300 on white: its status and picture.
async fn drawn(server: &Server, config: &str, size: &[(&str, &str)]) -> common::image::Image {
    let mut query = vec![("bkg", "white")];
    query.extend_from_slice(size);
    let resp = server.get(&chart_path(config, &query)).await;
    assert_eq!(
        resp.status,
        200,
        "{config}: {:?}",
        String::from_utf8_lossy(&resp.body)
    );
    assert_eq!(resp.header("x-chartgate-renderer"), "chartjs", "{config}");
    decode(&resp.body)
}

/// Pixels of `rgb` outside a pie centered on the canvas whose left half, at
/// 9 o'clock, is `slice`: drawn outside the pie.
fn outside_pie(img: &common::image::Image, rgb: [u8; 3], slice: [u8; 3]) -> usize {
    let (cx, cy) = (img.w / 2, img.h / 2);
    let left = (0..cx)
        .find(|&x| common::image::near(img.px(x, cy), slice))
        .expect("the slice at 9 o'clock");
    let radius = f64::from(cx - left);
    let beyond = |i: usize| {
        let (x, y) = (i as u32 % img.w, i as u32 / img.w);
        (f64::from(x) - f64::from(cx)).hypot(f64::from(y) - f64::from(cy)) > radius + 3.0
    };
    img.pixels()
        .enumerate()
        .filter(|(i, p)| common::image::near(*p, rgb) && beyond(*i))
        .count()
}

/// How many pixels are within 3 per channel of `rgb`.
fn count(img: &common::image::Image, rgb: [u8; 3]) -> usize {
    img.pixels()
        .filter(|p| common::image::near(*p, rgb))
        .count()
}

#[tokio::test]
async fn quickchart_chart_types_are_drawn_by_chartjs_with_their_plugins() {
    let server = Server::default().await;
    // QuickChart's documented radial gauge: 70 of 100, a green arc over a
    // light track, "70%" in the middle.
    let gauge = "{type: 'radialGauge', data: {datasets: [{data: [70], backgroundColor: 'green', borderWidth: 0}]}, options: {domain: [0, 100], trackColor: '#f0f8ff', centerPercentage: 90, centerArea: {text: (val) => val + '%'}}}";
    let img = drawn(&server, gauge, &[]).await;
    let (green, track) = (count(&img, [0, 128, 0]), count(&img, [240, 248, 255]));
    // 70% of the ring is green, 30% track (antialiased edges aside).
    let share = green as f64 / (green + track) as f64;
    assert!(
        (0.6..0.8).contains(&share),
        "green share of the ring {share:.2}"
    );
    // chartjs-gauge: four colored bands, and a black needle.
    let needle = "{type: 'gauge', data: {datasets: [{value: 50, data: [20, 40, 60, 100], backgroundColor: ['green', 'yellow', 'orange', 'red'], borderWidth: 2}]}, options: {valueLabel: {display: false}}}";
    let img = drawn(&server, needle, &[]).await;
    for band in [
        [0, 128, 0],
        [255, 255, 0],
        [255, 165, 0],
        [255, 0, 0],
        [0, 0, 0],
    ] {
        assert!(count(&img, band) > 500, "{band:?} is drawn");
    }
    // Outlabels: each label in a box of its slice's color, outside the
    // pie; without outlabels options QuickChart turns them off.
    let outlabeled = "{type: 'outlabeledPie', data: {labels: ['ONE', 'TWO'], datasets: [{backgroundColor: ['#FF3784', '#36A2EB'], data: [1, 3]}]}, options: {plugins: {legend: false, outlabels: {text: '%l %p', color: 'white', stretch: 35}}}}";
    let plain = outlabeled.replace(
        ", outlabels: {text: '%l %p', color: 'white', stretch: 35}",
        "",
    );
    let (labelled, bare) = (
        drawn(&server, outlabeled, &[]).await,
        drawn(&server, &plain, &[]).await,
    );
    let (pink, blue) = ([0xFF, 0x37, 0x84], [0x36, 0xA2, 0xEB]);
    assert!(outside_pie(&labelled, pink, blue) > 500, "ONE's label box");
    assert_eq!(outside_pie(&bare, pink, blue), 0, "no labels asked for");
    // Box plots: the red box sits above the blue one where its samples are higher.
    let boxes = "{type: 'boxplot', data: {labels: ['A'], datasets: [{label: 'high', backgroundColor: 'rgb(255, 0, 0)', data: [[80, 85, 90, 95, 100]]}, {label: 'low', backgroundColor: 'rgb(0, 0, 255)', data: [[10, 15, 20, 25, 30]]}]}, options: {legend: {display: false}}}";
    let img = drawn(&server, boxes, &[]).await;
    let (_, red_top, _, red_bottom) = img.extent_of([255, 0, 0]).unwrap();
    let (_, blue_top, _, _) = img.extent_of([0, 0, 255]).unwrap();
    assert!(
        red_bottom < blue_top && red_top < blue_top,
        "high above low"
    );
    // QuickChart's progressBar: 50 of 100 fills half the bar's width.
    let bar = "{type: 'progressBar', data: {datasets: [{data: [50]}]}}";
    let img = drawn(&server, bar, &[("w", "400"), ("h", "60")]).await;
    let at = |eighths: u32| img.px(img.w * eighths / 8, img.h / 2);
    for x in [1, 3] {
        assert!(
            common::image::near(at(x), [0x4E, 0x79, 0xA7]),
            "{x}/8: {:?}",
            at(x)
        );
    }
    for x in [5, 7] {
        assert!(
            common::image::near(at(x), [255, 255, 255]),
            "{x}/8: {:?}",
            at(x)
        );
    }
    // QuickChart's sparkline: a line over the whole canvas, no axes, no
    // legend, no points; Tableau10's blue, as the colorschemes plugin
    // colors the dataset over the sparkline's black `elements.line`.
    let spark = "{type: 'sparkline', data: {datasets: [{data: [140, 60, 274, 370, 199]}]}}";
    let img = drawn(&server, spark, &[("w", "300"), ("h", "100")]).await;
    let (x0, y0, x1, y1) = img.extent_of([0x4E, 0x79, 0xA7]).expect("the line");
    assert!(
        x1 - x0 > img.w * 9 / 10 && y1 - y0 > img.h * 8 / 10,
        "spans the canvas"
    );
    assert_eq!(count(&img, [102, 102, 102]), 0, "no tick or legend text");
    server.stop().await;
}

#[tokio::test]
async fn quickchart_chart_types_refuse_what_quickchart_refuses() {
    let server = Server::default().await;
    let empty = "{type: 'sparkline', data: {datasets: []}}";
    let three = "{type: 'progressBar', data: {datasets: [{data: [1]}, {data: [2]}, {data: [3]}]}}";
    for (config, says) in [(empty, "sparkline"), (three, "1 or 2 datasets")] {
        let message = refused(&server, config, 400, "bad_request").await;
        assert!(message.contains(says), "{message}");
    }
    // Every sample of a box plot is a point under limits.max_points.
    let samples = "{type: 'violin', data: {labels: ['A'], datasets: [{data: [Array.from({length: 100001}, (_, i) => i)]}]}}";
    refused(&server, samples, 422, "limit_exceeded").await;
    // A named color scheme other than QuickChart's own is Chart.js's.
    let scheme = "{type: 'bar', data: {labels: ['a'], datasets: [{data: [1]}]}, options: {plugins: {colorschemes: {scheme: 'brewer.Paired12'}}}}";
    let resp = server.get(&chart_path(scheme, &[])).await;
    assert_eq!(resp.header("x-chartgate-renderer"), "chartjs");
    server.stop().await;
}

#[test]
fn a_quickchart_type_keeps_its_name_for_analytics() {
    let body = br#"{"chart": "{type: 'radialGauge', data: {datasets: [{data: [70]}]}}"}"#;
    let script = chartgate::config::ScriptConfig::default();
    let req = chartgate::chart::params::scripted_post(
        body,
        &chartgate::config::Limits::default(),
        Some(&script),
    )
    .unwrap();
    assert_eq!(req.type_name(), "radialGauge");
    assert_eq!(req.drawer(), chartgate::labels::Drawer::ChartJs);
}

/// The scripts issue's hostile corpus, as callbacks Chart.js itself runs
/// while it draws (a radial gauge's center text): the status each must get
/// and words its message must hold. Looping ones meet the render deadline;
/// the others a limit or an error of their own, whatever the deadline.
const HOSTILE_CALLBACKS: &[(&str, u16, &str)] = &[
    ("{ while (1) {} }", 504, "render_timeout"),
    ("/(a+)+$/.test('a'.repeat(40) + 'b')", 504, "render_timeout"),
    ("(function f() { return f() + 1; })()", 422, "stack limit"),
    ("'x'.repeat(1 << 30)", 422, "script.chartjs_memory_bytes"),
    (
        "this.constructor.constructor('return process')()",
        400,
        "process is not defined",
    ),
    ("require('fs')", 400, "require is not defined"),
];

#[tokio::test]
async fn hostile_callbacks_in_chartjs_get_a_clear_answer_and_free_their_worker() {
    let mut config = common::config();
    config.render.timeout_ms = 300;
    config.render.workers = 1;
    let deadline =
        Server::start(config, Arc::new(chartgate::render::PlottersRenderer::new())).await;
    let generous = Server::default().await;
    let gauge = |text: &str| {
        format!("{{type: 'radialGauge', data: {{datasets: [{{data: [70]}}]}}, options: {{centerArea: {{text: (v) => {text}}}}}}}")
    };
    let timed_out = "chartgate_renders_total{outcome=\"timeout\",renderer=\"chartjs\"}";
    let mut timeouts = 0.0;
    for (code, status, needle) in HOSTILE_CALLBACKS {
        let server = if *status == 504 { &deadline } else { &generous };
        let resp = server.get(&chart_path(&gauge(code), &[])).await;
        let text = String::from_utf8_lossy(&resp.body).into_owned();
        assert_eq!(resp.status, *status, "{code}: {text}");
        assert!(text.contains(needle), "{code}: {text}");
        if *status == 504 {
            // The engine stopped it at the deadline: the only worker is free.
            timeouts += 1.0;
            common::wait_metric(deadline.addr, timed_out, |v| v == timeouts).await;
            assert_eq!(
                common::metric(deadline.addr, "chartgate_renders_in_flight").await,
                0.0
            );
        }
    }
    // `import()` in a callback gives a promise, never a module: there is
    // no module loader (its rejection lands after the render).
    let import = drawn(&generous, &gauge("import('fs')"), &[]).await;
    let promise = drawn(&generous, &gauge("String(Promise.resolve())"), &[]).await;
    assert_eq!(
        import.rgba, promise.rgba,
        "import('fs') drew something else"
    );
    // What a callback can name: the sandbox's and Chart.js's globals, none
    // of the host's.
    let names = "Object.getOwnPropertyNames(globalThis).filter((n) => /process|require|std|os|fetch|performance|setTimeout|load/.test(n)).join(',') || 'none'";
    let probe = drawn(&generous, &gauge(names), &[]).await;
    let clean = drawn(&generous, &gauge("'none'"), &[]).await;
    assert_eq!(probe.rgba, clean.rgba, "a host name reached the callback");
    deadline.stop().await;
    generous.stop().await;
}

/// Chart.js 4's "Line Chart - Multi Axis" sample, its second dataset on
/// `y1` at a scale 40 times smaller, `y1` on the left too (on the right
/// the native renderer draws it).
const TWO_AXES_V4: &str = "{type: 'line', data: {labels: ['January', 'February', 'March', 'April', 'May', 'June', 'July'], datasets: [{label: 'Dataset 1', data: [-33, 26, 29, 89, -41, 70, -84], borderColor: 'rgb(255, 99, 132)', yAxisID: 'y'}, {label: 'Dataset 2', data: [1.7, 2.1, 2.5, 1.9, 2.2, 1.8, 2.4], borderColor: 'rgb(54, 162, 235)', yAxisID: 'y1'}]}, options: {scales: {y: {type: 'linear', position: 'left'}, y1: {type: 'linear', position: 'left', grid: {drawOnChartArea: false}}}}}";

#[tokio::test]
async fn v3_and_v4_configs_chartjs_draws_are_drawn_by_their_chartjs() {
    let server = Server::default().await;
    for version in ["4", "3"] {
        let img = drawn(&server, TWO_AXES_V4, &[("v", version)]).await;
        // On its own axis, 1.7 to 2.5 spans the plot's height.
        let (_, top, _, bottom) = img.extent_of(BLUE).expect("the second dataset");
        assert!(
            bottom - top > img.h / 2,
            "v{version}: {top}..{bottom} of {}",
            img.h
        );
    }
    // A v4 time scale from ISO strings: the points a month apart at the
    // ends are placed by time, not evenly. (A tick callback, which Chart.js
    // calls with tick objects, keeps a time scale on Chart.js.)
    let time = "{type: 'line', data: {datasets: [{borderColor: 'rgb(54, 162, 235)', data: [{x: '2020-01-01', y: 1}, {x: '2020-01-02', y: 2}, {x: '2020-01-31', y: 3}]}]}, options: {plugins: {legend: {display: false}}, scales: {x: {type: 'time', ticks: {callback: (v) => v}}}}}";
    let img = drawn(&server, time, &[("v", "4")]).await;
    // The line's height in a column: the mean row of its blue pixels.
    let line_y = |x: u32| {
        let rows: Vec<u32> = (0..img.h)
            .filter(|&y| common::image::near(img.px(x, y), BLUE))
            .collect();
        assert!(!rows.is_empty(), "the line crosses column {x}");
        f64::from(rows.iter().sum::<u32>()) / rows.len() as f64
    };
    let (x0, _, x1, _) = img.extent_of(BLUE).unwrap();
    let (first, last) = (line_y(x0 + 1), line_y(x1 - 1));
    // A third of the way along, by time the line has left Jan 2 (y = 2)
    // for Jan 31 (y = 3): about 65% of the way up; spaced evenly, it would
    // still be between y = 1 and 2, about 33%.
    let risen = (first - line_y(x0 + (x1 - x0) / 3)) / (first - last);
    assert!(
        risen > 0.5,
        "{risen:.2} of the rise a third of the way along"
    );
    // A pie whose option sends it to Chart.js 3 and 4 (`borderAlign`):
    // their slices end in `arc(x, y, 0, NaN, NaN)`, which the Canvas
    // specification ignores; taken as a point, it once blanked every slice.
    let pie = "{type: 'pie', data: {labels: ['a', 'b'], datasets: [{data: [1, 2], backgroundColor: ['rgb(255, 99, 132)', 'rgb(54, 162, 235)'], borderAlign: 'inner'}]}}";
    for version in ["3", "4"] {
        assert_eq!(renderer(&server, pie, version).await, "chartjs");
        let img = drawn(&server, pie, &[("v", version)]).await;
        let (red, blue) = (count(&img, [255, 99, 132]), count(&img, BLUE));
        // A third and two thirds of a disc; the legend's boxes are small.
        assert!(
            red > 5_000 && blue * 10 > red * 16,
            "v{version}: {red} red, {blue} blue pixels"
        );
    }
    // A plain v4 bar chart stays native.
    let bar = server
        .get(&chart_path(
            "{type: 'bar', data: {labels: ['a'], datasets: [{data: [1]}]}}",
            &[("v", "4")],
        ))
        .await;
    assert_eq!(bar.header("x-chartgate-renderer"), "native");
    server.stop().await;
}

#[tokio::test]
async fn sankey_is_drawn_by_chartjs_3_and_4_and_named_at_2() {
    let server = Server::default().await;
    // chartjs-chart-sankey's README: node colors are the flows' `colorFrom`
    // (a source) and `colorTo` (a sink), the flow between them fades.
    let sankey = "{type: 'sankey', data: {datasets: [{data: [{from: 'a', to: 'b', flow: 10}], colorFrom: 'rgb(255, 0, 0)', colorTo: 'rgb(0, 0, 255)'}]}}";
    for version in ["3", "4"] {
        let img = drawn(&server, sankey, &[("v", version)]).await;
        let (red_left, ..) = img.extent_of([255, 0, 0]).expect("the source node");
        let (_, _, blue_right, _) = img.extent_of([0, 0, 255]).expect("the sink node");
        assert!(
            red_left < img.w / 10 && blue_right > img.w * 9 / 10,
            "v{version}: source at {red_left}, sink to {blue_right} of {}",
            img.w
        );
    }
    let message = refused(&server, sankey, 400, "bad_request").await;
    assert!(
        message.contains("sankey") && message.contains("3 or 4"),
        "{message}"
    );
    server.stop().await;
}

#[tokio::test]
async fn quickchart_patterns_and_gradients_are_drawn_by_chartjs() {
    let server = Server::default().await;
    // The doughnutlabel plugin sends the chart to Chart.js; its one slice
    // is patternomaly's diagonal stripes, blue on red.
    let patterned = "{type: 'doughnut', data: {datasets: [{data: [1], borderWidth: 0, backgroundColor: pattern.draw('diagonal', 'rgb(255, 0, 0)', 'rgb(0, 0, 255)')}]}, options: {plugins: {datalabels: {display: false}, doughnutlabel: {labels: [{text: 'x'}]}}}}";
    let img = drawn(&server, patterned, &[]).await;
    // The stripes are 2 px lines on a 20 px tile, smoothed as a canvas
    // scales a pattern: mostly blue, not all of them pure.
    let bluish = img.pixels().filter(|p| p[2] > 150 && p[0] < 150).count();
    let red = count(&img, [255, 0, 0]);
    assert!(red > 2000 && bluish > 2000, "red {red}, bluish {bluish}");
    // A horizontal gradient from red to blue: red at the slice's left
    // edge, blue at its right.
    let graded = patterned.replace(
        "pattern.draw('diagonal', 'rgb(255, 0, 0)', 'rgb(0, 0, 255)')",
        "getGradientFillHelper('horizontal', ['rgb(255, 0, 0)', 'rgb(0, 0, 255)'])",
    );
    let img = drawn(&server, &graded, &[]).await;
    // The ring's row through the middle, its antialiased edges left out.
    let row: Vec<[u8; 4]> = (0..img.w)
        .map(|x| img.px(x, img.h / 2))
        .filter(|p| p[..3] != [255, 255, 255])
        .collect();
    assert!(row.len() > 20, "the ring crosses the middle row");
    let (first, last) = (row[4], row[row.len() - 5]);
    assert!(first[0] > first[2] + 100, "reddish at the left: {first:?}");
    assert!(last[2] > last[0] + 100, "bluish at the right: {last:?}");
    // In SVG the stripes are a <pattern> and the gradient a
    // <linearGradient>, each painting the slice.
    for (config, paint) in [
        (patterned, "<pattern id=\""),
        (&graded, "<linearGradient id=\""),
    ] {
        let resp = server.get(&chart_path(config, &[("f", "svg")])).await;
        assert_eq!(resp.header("x-chartgate-renderer"), "chartjs");
        let svg = String::from_utf8(resp.body.to_vec()).unwrap();
        let id = svg
            .split(paint)
            .nth(1)
            .and_then(|t| t.split('"').next())
            .unwrap_or_else(|| panic!("no {paint} in {svg}"));
        assert!(svg.contains(&format!("fill=\"url(#{id})\"")), "{svg}");
    }
    server.stop().await;
}

#[tokio::test]
async fn an_svg_past_max_svg_bytes_is_refused_and_its_png_drawn() {
    let mut config = common::config();
    config.render.max_svg_bytes = 64 * 1024;
    let server = Server::start(config, Arc::new(chartgate::render::PlottersRenderer::new())).await;
    // A plugin of the config's own draws 20,000 rectangles: a few hundred
    // KB of SVG, within the engine's heap.
    let busy = "{type:'bar',data:{labels:['a'],datasets:[{data:[1]}]},plugins:[{afterDraw:(c) => { for (let i = 0; i < 20000; i++) c.ctx.fillRect(i % 500, (i / 500) | 0, 1, 1); }}]}";
    let svg = server.get(&chart_path(busy, &[("f", "svg")])).await;
    assert_eq!(svg.status, 422, "{:?}", String::from_utf8_lossy(&svg.body));
    assert_eq!(svg.json()["error"], "limit_exceeded");
    let message = svg.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("render.max_svg_bytes"), "{message}");
    let png = server.get(&chart_path(busy, &[])).await;
    assert_eq!(png.status, 200);
    assert_eq!(png.header("x-chartgate-renderer"), "chartjs");
    // A chart of the usual size is far within the bound.
    let small = server
        .get(&chart_path(&two_axes("left"), &[("f", "svg")]))
        .await;
    assert_eq!(small.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn an_option_the_native_renderer_leaves_out_takes_chartjs() {
    let server = Server::default().await;
    let bars = "{type: 'bar', data: {labels: ['a', 'b'], datasets: [{data: [1, 2], backgroundColor: 'rgb(54, 162, 235)'}]}, options: {legend: {display: false}}}";
    // Options a still picture never shows keep the fast path.
    let quiet = bars.replace(
        "legend: {display: false}",
        "legend: {display: false}, responsive: true, animation: {duration: 0}, tooltips: {enabled: false}",
    );
    assert_eq!(renderer(&server, &quiet, "2").await, "native");
    // Bar sizing the native renderer draws (half-width bars take about
    // half the blue), and one it does not, which Chart.js draws.
    let narrow = bars.replace("data: [1, 2],", "data: [1, 2], barPercentage: 0.5,");
    assert_eq!(renderer(&server, &narrow, "2").await, "native");
    let (wide, thin) = (
        drawn_any(&server, bars).await,
        drawn_any(&server, &narrow).await,
    );
    let share = count(&thin, BLUE) as f64 / count(&wide, BLUE) as f64;
    assert!((0.4..0.6).contains(&share), "{share:.2} of the blue");
    let flexing = bars.replace("data: [1, 2],", "data: [1, 2], barThickness: 'flex',");
    assert_eq!(renderer(&server, &flexing, "2").await, "chartjs");
    // A v3 scale under an id of its own, and a pie's v2 axes (Chart.js 2
    // draws them behind the pie).
    let own_id = "{type: 'bar', data: {labels: ['a'], datasets: [{data: [1]}]}, options: {scales: {yAxis: {min: 0, max: 10}}}}";
    assert_eq!(renderer(&server, own_id, "4").await, "chartjs");
    let pie = "{type: 'pie', data: {datasets: [{data: [1, 2]}]}, options: {scales: {yAxes: [{stacked: true}]}}}";
    assert_eq!(renderer(&server, pie, "2").await, "chartjs");
    server.stop().await;
}

/// QuickChart hides datalabels on charts other than pies and doughnuts
/// (the plugin is then off for the chart, which costs nothing per point);
/// a dataset that asks for its own labels still shows them.
#[tokio::test]
async fn a_datasets_own_datalabels_show_where_the_charts_are_hidden() {
    let server = Server::default().await;
    // `barThickness: 'flex'` takes the chart to Chart.js.
    let bars = "{type: 'bar', data: {labels: ['a', 'b'], datasets: [{data: [40, 60], barThickness: 'flex', backgroundColor: 'rgb(54, 162, 235)'LABELS}]}, options: {legend: {display: false}}}";
    let red = [255, 0, 0];
    let hidden = drawn(&server, &bars.replace("LABELS", ""), &[]).await;
    assert_eq!(count(&hidden, red), 0, "no labels unless asked for");
    let asked = bars.replace(
        "LABELS",
        ", datalabels: {display: true, color: 'rgb(255, 0, 0)', font: {size: 20, weight: 'bold'}}",
    );
    let shown = drawn(&server, &asked, &[]).await;
    assert!(count(&shown, red) > 20, "{} red pixels", count(&shown, red));
    server.stop().await;
}

/// Which renderer draws `config` written for `version`.
async fn renderer(server: &Server, config: &str, version: &str) -> String {
    let resp = server.get(&chart_path(config, &[("v", version)])).await;
    assert_eq!(resp.status, 200, "{config}");
    resp.header("x-chartgate-renderer").to_owned()
}

/// `config` drawn at 500×300 on white, by whichever renderer takes it.
async fn drawn_any(server: &Server, config: &str) -> common::image::Image {
    let resp = server.get(&chart_path(config, &[("bkg", "white")])).await;
    assert_eq!(resp.status, 200, "{config}");
    decode(&resp.body)
}

#[tokio::test]
async fn chartjs_warnings_and_a_configs_console_go_nowhere() {
    let server = Server::default().await;
    // Chart.js 2 warns through `console` about bar options given on the
    // axis (`_deprecated`), and this config's tick callback logs; a
    // flexing bar thickness sends it to Chart.js.
    let config = "{type: 'bar', data: {labels: ['a', 'b'], datasets: [{data: [1, 2], backgroundColor: 'rgb(54, 162, 235)', barThickness: 'flex'}]}, options: {legend: {display: false}, scales: {xAxes: [{categoryPercentage: 0.5}], yAxes: [{ticks: {callback: (v) => { console.log(v); return v; }}}]}}}";
    let img = drawn(&server, config, &[]).await;
    assert!(count(&img, BLUE) > 1000, "the bars are drawn");
    server.stop().await;
}

/// A Chart.js render leaves its context (Chart.js's whole heap) for the
/// render pool to free once the answer has gone; whatever runs next on
/// that thread still starts on an empty heap. A config that needs 15/16 of
/// `script.memory_bytes` evaluates right after a Chart.js render as it
/// does alone (with the render's heap still there, it meets the limit).
#[test]
fn what_a_chartjs_render_leaves_is_freed_before_the_next_script() {
    use chartgate::script::evaluate;
    let cfg = chartgate::config::ScriptConfig::default();
    chartgate::script::set_thread_limits(&cfg);
    let most = cfg.memory_bytes / 16 * 15;
    let big = format!("(() => {{ const s = 'x'.repeat({most}); return {{type: 'bar', data: {{labels: [String(s.length)], datasets: [{{data: [1]}}]}}}}; }})()");
    evaluate(&big, &cfg, 500, 300).expect("15/16 of the limit fit alone");
    let config = r#"{"type": "line", "data": {"labels": ["a", "b", "c"], "datasets": [{"label": "x", "data": [1, 3, 2]}]}}"#;
    let drawn = common::chartjs_recording(config, 2);
    assert!(!drawn.nums.is_empty(), "Chart.js drew something");
    evaluate(&big, &cfg, 500, 300).expect("and right after a Chart.js render");
}
