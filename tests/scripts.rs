//! Configs with code, over HTTP against an in-process gateway: QuickChart's
//! documented configs are accepted, hostile scripts end in a 4xx that names
//! the limit while the gateway keeps serving, nothing one script does is
//! seen by the next, and keys follow what a config evaluates to.

mod common;

use common::{chart_path, Server};
use std::sync::Arc;

/// QuickChart's CI config with a tick callback (`test/ci/chart_helpers.js`,
/// `JS_CHART`), as `javascript-stringify` sends it.
const QUICKCHART_CI_JS_CHART: &str = "{type:'bar',data:{labels:['January','February','March','April','May'],datasets:[{label:'Dogs',backgroundColor:'chartreuse',data:[50,60,70,180,190]},{label:'Cats',backgroundColor:'gold',data:[100,200,300,400,500]}]},options:{title:{display:true,text:'Total Revenue',fontColor:'hotpink',fontSize:32},legend:{position:'bottom'},scales:{xAxes:[{stacked:true}],yAxes:[{stacked:true,ticks:{callback:function(value) {\n              return '$' + value;\n            }}}]},plugins:{datalabels:{display:true,font:{style:'bold'}}}}}";

/// QuickChart's documentation: the JavaScript-functions guide's POST body,
/// the custom tick format page (v3), the labels reference (currency and
/// chosen ticks), and data and constants computed in the config.
const DOCUMENTED: &[&str] = &[
    "{type:'bar',data:{labels:['January','February','March','April','May'],datasets:[{label:'Dogs',data:[50,60,70,180,190]}]},options:{scales:{yAxes:[{ticks:{callback:function(value){return'$'+value;}}}]}}}",
    "{\n  type: 'bar',\n  data: {\n    labels: ['Q1', 'Q2', 'Q3', 'Q4'],\n    datasets: [\n      {\n        label: 'Revenue',\n        data: [50000, 60000, 70000, 1800000],\n        backgroundColor: '#3300cc',\n      },\n    ],\n  },\n  options: {\n    scales: {\n      y: {\n        ticks: {\n          callback: (val) => {\n            if (!val) return 0;\n            const units = ['', 'K', 'M', 'B'];\n            const k = 1000;\n            const magnitude = Math.floor(Math.log(val) / Math.log(k));\n            return (\n              '$' + ' ' + val / Math.pow(k, magnitude) + ' ' + units[magnitude]\n            );\n          },\n        },\n      },\n    },\n  },\n}",
    "{\n  type: 'line',\n  data: {\n    labels: [2016, 2017, 2018, 2019, 2020],\n    datasets: [\n      {\n        label: 'Dollars',\n        data: [1000, 1234, 2020, 2005, 1300],\n      }\n    ],\n  },\n  options: {\n    scales: {\n      yAxes: [{\n        ticks: {\n          min: 0,\n          max: 5000,\n          callback: (val) => {\n            return '$' + val.toLocaleString();\n          },\n        }\n      }]\n    }\n  },\n}",
    "{type:'bar',data:{labels:['Q1','Q2','Q3','Q4'],datasets:[{label:'Users',data:[5,60,70,40],backgroundColor:'#be85be'}]},options:{scales:{yAxes:[{ticks:{stepSize:1,autoSkip:false,beginAtZero:true,callback:(val, idx, ticks) =>\n            [0, 10, 26, 40].includes(val) ? val : undefined}}]}}}",
    "{type:'doughnut',data:{labels:['a','b'],datasets:[{data:[3,7]}]},options:{rotation:-Math.PI/2,circumference:Math.PI}}",
    "{type:'line',data:{labels:Array.from({length:30},(_, i) => i),datasets:[{label:'sin',data:(() => { const a = []; for (let i = 0; i < 30; i++) a.push(Math.sin(i / 5)); return a; })()}]}}",
    "{type:'bar',data:{labels:[new Date('2020-06-14').toISOString().slice(0, 10)],datasets:[{data:[1]}]}}",
];

#[tokio::test]
async fn documented_configs_with_code_render() {
    let server = Server::default().await;
    for config in std::iter::once(QUICKCHART_CI_JS_CHART).chain(DOCUMENTED.iter().copied()) {
        let resp = server.get(&chart_path(config, &[])).await;
        assert_eq!(
            resp.status,
            200,
            "{config}: {:?}",
            String::from_utf8_lossy(&resp.body)
        );
        assert_eq!(resp.header("content-type"), "image/png", "{config}");
    }
    // The same config as a POST body string, and base64-encoded.
    let body = serde_json::json!({"chart": QUICKCHART_CI_JS_CHART, "width": 456, "height": 123})
        .to_string();
    assert_eq!(server.post("/chart", &body).await.status, 200);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(QUICKCHART_CI_JS_CHART);
    let resp = server
        .get(&chart_path(&b64, &[("encoding", "base64")]))
        .await;
    assert_eq!(resp.status, 200);
    server.stop().await;
}

/// A hostile script, the status it must get, and words its message must
/// hold. Scripts whose needle names the time limit run under the default
/// 50 ms; every other one under ten seconds, so it meets its own limit
/// first however slow the machine. A script that allocates forever may
/// still meet either first: its needle names neither.
struct Hostile {
    config: &'static str,
    status: u16,
    needle: &'static str,
}

const HOSTILE: &[Hostile] = &[
    Hostile { config: "(() => { while (1) {} })()", status: 422, needle: "script.time_ms" },
    Hostile { config: "{type:'bar',data:{labels:['a'],datasets:[{data:[(() => { for(;;); })()]}]}}", status: 422, needle: "time limit" },
    Hostile { config: "{type:'bar',data:{datasets:[{data:'x'.repeat(1 << 30)}]}}", status: 422, needle: "script.memory_bytes" },
    Hostile { config: "{type:'bar',data:{datasets:[{data:new Array(1e9).fill(0)}]}}", status: 422, needle: "script.memory_bytes" },
    Hostile { config: "{type:'bar',data:{datasets:[{data:(() => { const a = []; for (;;) a.push([a]); })()}]}}", status: 422, needle: "limit" },
    Hostile { config: "(function f() { return f() + 1; })()", status: 422, needle: "script.stack_bytes" },
    Hostile { config: "{type:'bar',data:{labels:[/(a+)+$/.test('a'.repeat(40) + 'b')],datasets:[{data:[1]}]}}", status: 422, needle: "time limit" },
    Hostile { config: "this.constructor.constructor('return process')()", status: 400, needle: "process is not defined" },
    Hostile { config: "{type:'bar',data:{labels:[typeof require, typeof process, typeof setTimeout].filter(t => t !== 'undefined').concat(require('fs'))}}", status: 400, needle: "require is not defined" },
    Hostile { config: "import('fs')", status: 400, needle: "import()" },
    Hostile { config: "{type:'bar',data:{labels:Object.getOwnPropertyNames(globalThis).filter(n => /process|require|std|os|fetch|performance|setTimeout/.test(n)).concat(['x']), datasets:[{data:[1]}]}}", status: 200, needle: "" },
    Hostile { config: "{type: 'bar', data: foo()}", status: 400, needle: "foo is not defined" },
    // What QuickJS throws when it cannot allocate even its out-of-memory error.
    Hostile { config: "(() => { throw null; })()", status: 422, needle: "threw null" },
    Hostile { config: "(() => { const o = {}; o.self = o; return {type: 'bar', data: o}; })()", status: 400, needle: "circular" },
];

/// A gateway whose scripts have the default time limit (50 ms).
async fn quick_timeout() -> Server {
    let mut config = common::config();
    config.script.time_ms = chartgate::config::ScriptConfig::default().time_ms;
    Server::start(config, Arc::new(chartgate::render::PlottersRenderer::new())).await
}

#[tokio::test]
async fn hostile_scripts_get_a_clear_4xx_and_the_gateway_keeps_serving() {
    let server = quick_timeout().await;
    // Scripts meant to meet another limit get the test config's ten
    // seconds, so that on a slow or busy machine they meet theirs first.
    let generous = Server::default().await;
    for h in HOSTILE {
        let server = if h.needle.contains("time") {
            &server
        } else {
            &generous
        };
        let resp = server.get(&chart_path(h.config, &[])).await;
        let text = String::from_utf8_lossy(&resp.body).into_owned();
        assert_eq!(resp.status, h.status, "{}: {text}", h.config);
        if h.status == 200 {
            continue;
        }
        assert!(text.contains(h.needle), "{}: {text}", h.config);
        let error = resp.json()["error"].as_str().unwrap().to_owned();
        let want = if h.status == 422 {
            "limit_exceeded"
        } else {
            "bad_request"
        };
        assert_eq!(error, want, "{}", h.config);
    }
    // Only the sandbox's globals: none of the host's names reached the page.
    let probe = "{type:'bar',data:{labels:Object.getOwnPropertyNames(globalThis).filter(n => /process|require|std|os|fetch|performance|setTimeout|setInterval|Deno|Bun/.test(n)),datasets:[{data:[1]}]}}";
    let leaked = "{type:'bar',data:{labels:[],datasets:[{data:[1]}]}}";
    let a = server.get(&chart_path(probe, &[])).await;
    let b = server.get(&chart_path(leaked, &[])).await;
    assert_eq!(
        a.header("etag"),
        b.header("etag"),
        "the host's names are not in the sandbox"
    );
    let after = server
        .get(&chart_path(&common::bar_chart("after the attacks"), &[]))
        .await;
    assert_eq!(after.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn nothing_one_script_does_is_seen_by_the_next() {
    let server = Server::default().await;
    let innocent = "{type:'bar',data:{labels:['a','b'],datasets:[{data:[1 + 1, 3]}]}}";
    let data_only = "{type:'bar',data:{labels:['a','b'],datasets:[{data:[2, 3]}]}}";
    let before = server.get(&chart_path(innocent, &[])).await;
    let polluters = [
        "(() => { Object.prototype.type = 'radar'; Array.prototype.push = null; Math.max = () => 1e9; JSON.stringify = () => '{}'; globalThis.Date = null; return {type:'bar',data:{datasets:[{data:[1]}]}}; })()",
        "(() => { Object.defineProperty(Object.prototype, 'data', {get() { return {datasets:[{data:[42]}]}; }}); return {type:'line'}; })()",
    ];
    for p in polluters {
        let resp = server.get(&chart_path(p, &[])).await;
        assert!(
            resp.status.is_success() || resp.status.is_client_error(),
            "{p}"
        );
    }
    let after = server.get(&chart_path(innocent, &[("w", "501")])).await;
    let expected = server.get(&chart_path(data_only, &[("w", "501")])).await;
    assert_eq!(after.status, 200);
    assert_eq!(
        after.header("etag"),
        expected.header("etag"),
        "pollution leaked into the next config"
    );
    assert_eq!(
        before.header("etag"),
        server.get(&chart_path(data_only, &[])).await.header("etag")
    );
    server.stop().await;
}

#[tokio::test]
async fn keys_follow_what_a_config_evaluates_to() {
    let server = Server::default().await;
    let etag = |config: &'static str| {
        let path = chart_path(config, &[]);
        let server = &server;
        async move {
            let resp = server.get(&path).await;
            assert_eq!(
                resp.status,
                200,
                "{config}: {:?}",
                String::from_utf8_lossy(&resp.body)
            );
            resp.header("etag").to_owned()
        }
    };
    // Code that evaluates to the same data as a literal shares its key.
    assert_eq!(
        etag("{type:'bar',data:{datasets:[{data:[1 + 1, 2 * 2, Math.max(3, 1)]}]}}").await,
        etag("{\"type\":\"bar\",\"data\":{\"datasets\":[{\"data\":[2,4,3]}]}}").await
    );
    // Functions that differ only in layout and comments share a key...
    let spaced = "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{yAxes:[{ticks:{callback: function (v) {\n  // dollars\n  return '$' + v;\n}}}]}}}";
    let tight = "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{yAxes:[{ticks:{callback:function(v){return'$'+v;}}}]}}}";
    let other = "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{yAxes:[{ticks:{callback:function(v){return'€'+v;}}}]}}}";
    assert_eq!(etag(spaced).await, etag(tight).await);
    // ... and functions that differ in a token do not.
    assert_ne!(etag(other).await, etag(tight).await);
    // A config whose only code is functions is read without running it;
    // with other code beside, evaluated: the key is the same either way.
    let evaluated = "{type:'bar',data:{datasets:[{data:[2 - 1]}]},options:{scales:{yAxes:[{ticks:{callback:function(v){return'$'+v;}}}]}}}";
    assert_eq!(etag(evaluated).await, etag(tight).await);
    // Code that evaluates to other data does not share a key.
    assert_ne!(
        etag("{type:'bar',data:{datasets:[{data:[(v => v + 1)(1)]}]}}").await,
        etag("{type:'bar',data:{datasets:[{data:[(v => v + 2)(1)]}]}}").await
    );
    // Math.random is seeded from the config: one config, one picture, on
    // this gateway and on a fresh one.
    let random = "{type:'bar',data:{datasets:[{data:[Math.random(), Math.random()]}]}}";
    let first = etag(random).await;
    let fresh = Server::default().await;
    let again = fresh.get(&chart_path(random, &[])).await;
    assert_eq!(first, again.header("etag"));
    fresh.stop().await;
    server.stop().await;
}

#[tokio::test]
async fn a_config_that_reads_the_clock_is_never_aliased_by_url() {
    let server = Server::default().await;
    let clock = "{type:'bar',data:{labels:[String(new Date().getFullYear() > 2000)],datasets:[{data:[1]}]}}";
    let fixed = "{type:'bar',data:{labels:[String(new Date('2020-06-14').getUTCFullYear())],datasets:[{data:[1]}]}}";
    for config in [clock, fixed] {
        assert_eq!(server.get(&chart_path(config, &[])).await.status, 200);
    }
    let query = |c: &str| chart_path(c, &[])["/chart?".len()..].to_owned();
    assert!(
        server.app.aliases().get(&query(clock)).is_none(),
        "a clock read is evaluated on every request"
    );
    assert!(
        server.app.aliases().get(&query(fixed)).is_some(),
        "a fixed date is an ordinary chart"
    );
    server.stop().await;
}

#[tokio::test]
async fn with_scripts_off_code_is_a_400_and_data_still_renders() {
    let mut config = common::config();
    config.script.enabled = false;
    let server = Server::start(config, Arc::new(chartgate::render::PlottersRenderer::new())).await;
    let resp = server.get(&chart_path(DOCUMENTED[0], &[])).await;
    assert_eq!(resp.status, 400);
    assert!(resp.json()["message"]
        .as_str()
        .unwrap()
        .contains("script.enabled = false"));
    let resp = server
        .get(&chart_path(&common::bar_chart("data"), &[]))
        .await;
    assert_eq!(resp.status, 200);
    server.stop().await;
}

#[tokio::test]
async fn a_client_cannot_send_what_only_the_engine_makes() {
    let server = Server::default().await;
    let forged = r#"{"type":"bar","data":{"datasets":[{"data":[1]}]},"options":{"scales":{"yAxes":[{"ticks":{"callback":{"\u0000function":"v=>v"}}}]}}}"#;
    let resp = server.get(&chart_path(forged, &[])).await;
    assert_eq!(resp.status, 400);
    assert!(resp.json()["message"].as_str().unwrap().contains("NUL"));
    let body = format!(r#"{{"chart": {forged}}}"#);
    assert_eq!(server.post("/chart", &body).await.status, 400);
    server.stop().await;
}

/// Hostile scripts evaluate on blocking threads, at most `render.workers`
/// at once: cache hits asked for meanwhile are all answered from memory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_hostile_scripts_leaves_cache_hits_answered() {
    let server = Arc::new(quick_timeout().await);
    let hit = chart_path(&common::bar_chart("cached"), &[]);
    assert_eq!(server.get(&hit).await.status, 200);
    let flood: Vec<_> = (0..16)
        .map(|i| {
            let server = Arc::clone(&server);
            tokio::spawn(async move {
                let spin = format!("(() => {{ let n = {i}; while (1) n++; }})()");
                server.get(&chart_path(&spin, &[])).await.status
            })
        })
        .collect();
    for _ in 0..200 {
        let resp = server.get(&hit).await;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("x-cache"), "hit-memory");
    }
    for task in flood {
        assert_eq!(task.await.unwrap(), 422);
    }
    let server = Arc::try_unwrap(server).ok().expect("the flood is over");
    server.stop().await;
}

/// The texts of a chart drawn as SVG: what the tick callbacks made.
async fn svg(server: &Server, config: &str) -> Vec<String> {
    svg_v(server, config, "2").await
}

async fn svg_v(server: &Server, config: &str, version: &str) -> Vec<String> {
    common::svg_texts(&svg_doc_v(server, config, version).await)
}

/// The SVG of a config, as text.
async fn svg_doc(server: &Server, config: &str) -> String {
    svg_doc_v(server, config, "2").await
}

async fn svg_doc_v(server: &Server, config: &str, version: &str) -> String {
    let resp = server
        .get(&chart_path(config, &[("f", "svg"), ("v", version)]))
        .await;
    assert_eq!(
        resp.status,
        200,
        "{config}: {:?}",
        String::from_utf8_lossy(&resp.body)
    );
    String::from_utf8(resp.body.to_vec()).unwrap()
}

fn has(texts: &[String], want: &str) -> bool {
    texts.iter().any(|t| t == want)
}

#[tokio::test]
async fn tick_callbacks_label_the_ticks_as_chartjs_calls_them() {
    let server = Server::default().await;
    // QuickChart's JavaScript-functions guide (v2: value, index, values);
    // with `scales` given, the axis starts near the data, as in Chart.js.
    let dollars = svg(&server, DOCUMENTED[0]).await;
    assert!(has(&dollars, "$40") && has(&dollars, "$200"), "{dollars:?}");
    // The labels reference: toLocaleString as en-US prints it.
    let currency = svg(&server, DOCUMENTED[2]).await;
    assert!(
        has(&currency, "$5,000") && has(&currency, "$1,000"),
        "{currency:?}"
    );
    // A tick whose callback answers undefined is not labelled.
    let chosen = svg(&server, "{type:'bar',data:{labels:['Q1','Q2'],datasets:[{data:[5,60]}]},options:{scales:{yAxes:[{ticks:{beginAtZero:true,callback:(v) => v === 20 ? 'twenty' : undefined}}]}}}").await;
    assert!(has(&chosen, "twenty") && !has(&chosen, "40"), "{chosen:?}");
    // v2 category ticks get the label; v3 gets the index, and the scale as `this`.
    let v2 = svg(&server, "{type:'bar',data:{labels:['a','b'],datasets:[{data:[1,2]}]},options:{scales:{xAxes:[{ticks:{callback:(l, i) => l + i}}]}}}").await;
    assert!(has(&v2, "a0") && has(&v2, "b1"), "{v2:?}");
    let v3 = svg_v(&server, "{type:'bar',data:{labels:['a','b'],datasets:[{data:[1,2]}]},options:{scales:{x:{ticks:{callback:function (v) { return this.getLabelForValue(v).toUpperCase() + v; }}}}}}", "3").await;
    assert!(has(&v3, "A0") && has(&v3, "B1"), "{v3:?}");
    server.stop().await;
}

#[tokio::test]
async fn dates_are_written_in_the_locale_and_options_asked_for() {
    let server = Server::default().await;
    // Epoch-millisecond labels a tick callback writes, as dashboards do:
    // 2024-01-01T00:00Z and 2024-03-08T13:05:09Z. Each expected string is
    // what Chromium writes for the same call.
    let labels = "labels:[1704067200000,1709903109123]";
    let axis = |callback: &str| {
        format!("{{type:'bar',data:{{{labels},datasets:[{{data:[1,2]}}]}},options:{{legend:{{display:false}},scales:{{xAxes:[{{ticks:{{callback:{callback}}}}}]}}}}}}")
    };
    for (callback, want) in [
        (
            "(v) => new Date(v).toLocaleDateString('de-DE', {day: 'numeric', month: 'long', year: 'numeric'})",
            ["1. Januar 2024", "8. März 2024"],
        ),
        (
            "(v) => new Intl.DateTimeFormat('en-US', {month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'America/New_York'}).format(v)",
            ["Dec 31, 7:00 PM", "Mar 8, 8:05 AM"],
        ),
        ("(v) => new Date(v).toLocaleString()", ["1/1/2024, 12:00:00 AM", "3/8/2024, 1:05:09 PM"]),
        (
            "(v) => new Date(v).toLocaleDateString('ja-JP', {year: 'numeric', month: 'long'})",
            ["2024年1月", "2024年3月"],
        ),
        (
            "(v) => new Date(v).toLocaleTimeString('fr-FR', {hour: '2-digit', minute: '2-digit'})",
            ["00:00", "13:05"],
        ),
    ] {
        let texts = svg(&server, &axis(callback)).await;
        for w in want {
            assert!(has(&texts, w), "{callback}: no {w:?} in {texts:?}");
        }
    }
    // What a browser refuses, refused alike: a 400 with its message.
    for (call, message) in [
        (
            "new Intl.DateTimeFormat('en', {timeZone: 'Mars/Olympus'})",
            "RangeError: Invalid time zone specified: Mars/Olympus",
        ),
        (
            "new Date(0).toLocaleDateString('en', {dateStyle: 'long', month: 'short'})",
            "TypeError: Can't set option month when dateStyle is used",
        ),
        (
            "new Intl.DateTimeFormat('en').format(NaN)",
            "RangeError: Invalid time value",
        ),
    ] {
        let config =
            format!("{{type:'bar',data:{{labels:[String({call})],datasets:[{{data:[1]}}]}}}}");
        let resp = server.get(&chart_path(&config, &[])).await;
        let body = String::from_utf8_lossy(&resp.body);
        assert_eq!(resp.status, 400, "{call}: {body}");
        assert!(body.contains(message), "{call}: {body}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_failing_callback_is_a_4xx_and_a_looping_one_a_504() {
    let mut config = common::config();
    config.render.timeout_ms = 300;
    let server = Server::start(config, Arc::new(chartgate::render::PlottersRenderer::new())).await;
    let throws = "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{yAxes:[{ticks:{callback:(v) => v.nope.deeper}}]}}}";
    let resp = server.get(&chart_path(throws, &[])).await;
    assert_eq!(
        resp.status,
        400,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    assert!(resp.json()["message"]
        .as_str()
        .unwrap()
        .contains("tick callback failed: TypeError"));
    let loops = "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{yAxes:[{ticks:{callback:(v) => { while (true) {} }}}]}}}";
    assert_eq!(server.get(&chart_path(loops, &[])).await.status, 504);
    // The engine stops the callback at the deadline: the thread is free.
    common::wait_worker_freed_by_timeout(server.addr, "native").await;
    server.stop().await;
}

#[tokio::test]
async fn a_syntax_error_in_any_function_is_a_400_where_it_is() {
    let server = Server::default().await;
    // Tooltip callbacks are never called in a picture, yet a config that
    // cannot be compiled is refused, as QuickChart refuses it.
    for config in [
        "{type:'bar',data:{datasets:[{data:[1]}]},options:{tooltips:{callbacks:{label:(item) => item.value +}}}}",
        "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{yAxes:[{ticks:{callback:function (v) { return v; }}}]},\n tooltips:{callbacks:{label:function (item) { return item.value + ; }}}}}",
    ] {
        let resp = server.get(&chart_path(config, &[])).await;
        let body = resp.json();
        let message = body["message"].as_str().unwrap_or_default();
        assert_eq!(resp.status, 400, "{config}: {message}");
        assert!(
            message.contains("SyntaxError") && message.contains("at line"),
            "{config}: {message}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn datalabels_show_what_the_plugin_and_quickchart_show() {
    let server = Server::default().await;
    // QuickChart draws a v2 pie's values unless told not to; a v2 bar's
    // only when the config configures the plugin.
    let pie = svg(
        &server,
        "{type:'pie',data:{labels:['a','b','c'],datasets:[{data:[37,52,11]}]}}",
    )
    .await;
    assert!(
        has(&pie, "37") && has(&pie, "52") && has(&pie, "11"),
        "{pie:?}"
    );
    let off = svg(&server, "{type:'pie',data:{labels:['a','b'],datasets:[{data:[37,52]}]},options:{plugins:{datalabels:{display:false}}}}").await;
    assert!(!has(&off, "37"), "{off:?}");
    let bar = svg(
        &server,
        "{type:'bar',data:{labels:['a','b'],datasets:[{data:[37,52]}]}}",
    )
    .await;
    assert!(!has(&bar, "37"), "{bar:?}");
    let labelled = svg(&server, "{type:'bar',data:{labels:['a','b'],datasets:[{data:[37,52]}]},options:{plugins:{datalabels:{anchor:'end',align:'top'}}}}").await;
    assert!(has(&labelled, "37") && has(&labelled, "52"), "{labelled:?}");
    // Chart.js 3 and 4 draw no labels unless the config asks for them.
    let v4 = svg_v(
        &server,
        "{type:'pie',data:{labels:['a','b'],datasets:[{data:[37,52]}]}}",
        "4",
    )
    .await;
    assert!(!has(&v4, "37"), "{v4:?}");
    // A formatter with the plugin's context; lines split; `display` per point.
    let percent = svg(&server, "{type:'doughnut',data:{labels:['A','B','C'],datasets:[{data:[1,2,3]}]},options:{plugins:{datalabels:{formatter:(value, ctx) => { const sum = ctx.dataset.data.reduce((a, b) => a + b, 0); return (value * 100 / sum).toFixed(1) + '%'; }}}}}").await;
    assert!(
        has(&percent, "16.7%") && has(&percent, "50.0%"),
        "{percent:?}"
    );
    let chosen = svg(&server, "{type:'line',data:{labels:['x','y'],datasets:[{label:'A',data:[37,52]},{label:'B',data:[41,43]}]},options:{plugins:{datalabels:{display:(ctx) => ctx.datasetIndex === 0,formatter:(v, ctx) => [ctx.chart.data.labels[ctx.dataIndex], v]}}}}").await;
    assert!(
        has(&chosen, "x") && has(&chosen, "37") && !has(&chosen, "41"),
        "{chosen:?}"
    );
    // Radar points carry labels too.
    let radar = svg(&server, "{type:'radar',data:{labels:['a','b','c'],datasets:[{data:[37,52,44]}]},options:{plugins:{datalabels:{align:'end'}}}}").await;
    assert!(
        has(&radar, "37") && has(&radar, "52") && has(&radar, "44"),
        "{radar:?}"
    );
    // `null` from a formatter hides the label; `undefined` shows the value.
    let some = svg(&server, "{type:'pie',data:{labels:['a','b'],datasets:[{data:[37,52]}]},options:{plugins:{datalabels:{formatter:(v) => v > 40 ? null : undefined}}}}").await;
    assert!(has(&some, "37") && !has(&some, "52"), "{some:?}");
    // `display: 'auto'` hides a label that overlaps one before it (lower
    // data index, then lower dataset index), as the plugin does; `true`
    // keeps both.
    let overlapping = |display: &str| {
        format!("{{type:'line',data:{{labels:['a','b'],datasets:[{{data:[10,50]}},{{data:[11,90]}}]}},options:{{scales:{{yAxes:[{{ticks:{{min:0,max:100}}}}]}},plugins:{{datalabels:{{display:{display}}}}}}}}}")
    };
    let auto = svg(&server, &overlapping("'auto'")).await;
    assert!(
        has(&auto, "10") && has(&auto, "50") && has(&auto, "90") && !has(&auto, "11"),
        "{auto:?}"
    );
    let all = svg(&server, &overlapping("true")).await;
    assert!(has(&all, "10") && has(&all, "11"), "{all:?}");
    server.stop().await;
}

#[tokio::test]
async fn scriptable_colors_and_legend_filters_are_called_per_element() {
    let server = Server::default().await;
    let fills = |doc: &str| -> Vec<String> {
        doc.split("fill=\"")
            .skip(1)
            .filter_map(|s| Some(s.split_once('"')?.0.to_ascii_uppercase()))
            .collect()
    };
    let config = "{type:'bar',data:{labels:['a','b','c'],datasets:[{label:'v',data:[5,-3,8],backgroundColor:(ctx) => ctx.dataset.data[ctx.dataIndex] < 0 ? '#ff0000' : '#0000ff'}]}}";
    let f = fills(&svg_doc(&server, config).await);
    assert!(
        f.iter().any(|c| c == "#FF0000") && f.iter().any(|c| c == "#0000FF"),
        "{f:?}"
    );
    // Two configs whose functions answer alike share a key.
    let spelled = "{type:'bar',data:{labels:['a','b','c'],datasets:[{label:'v',data:[5,-3,8],backgroundColor:['#0000ff','#ff0000','#0000ff']}]}}";
    let etag = |r: &common::Resp| r.header("etag").to_owned();
    let a = server.get(&chart_path(config, &[])).await;
    let b = server.get(&chart_path(spelled, &[])).await;
    assert_eq!(etag(&a), etag(&b));
    // labels.filter(item, data) drops legend items.
    let legend = svg(&server, "{type:'line',data:{labels:['x'],datasets:[{label:'kept',data:[1]},{label:'gone',data:[2]}]},options:{legend:{labels:{filter:(item, data) => item.text !== 'gone' && data.datasets.length === 2}}}}").await;
    assert!(has(&legend, "kept") && !has(&legend, "gone"), "{legend:?}");
    // A formatter that loops meets the script time limit: 422.
    let loops = "{type:'pie',data:{labels:['a'],datasets:[{data:[1]}]},options:{plugins:{datalabels:{formatter:() => { while (true) {} }}}}}";
    let resp = server.get(&chart_path(loops, &[])).await;
    assert_eq!(
        resp.status,
        422,
        "{:?}",
        String::from_utf8_lossy(&resp.body)
    );
    let throws = "{type:'pie',data:{labels:['a'],datasets:[{data:[1]}]},options:{plugins:{datalabels:{color:(ctx) => ctx.nope.deeper}}}}";
    let resp = server.get(&chart_path(throws, &[])).await;
    assert_eq!(resp.status, 400);
    assert!(
        resp.json()["message"]
            .as_str()
            .unwrap()
            .contains("plugins.datalabels.color"),
        "{:?}",
        resp.json()
    );
    server.stop().await;
}

#[tokio::test]
async fn quickchart_gradients_and_patterns_are_drawn_as_such() {
    let server = Server::default().await;
    // QuickChart's documentation: gradient fills and patterns.
    let helper = "{type:'bar',data:{labels:['January','February','March','April','May'],datasets:[{label:'Dogs',data:[50,60,70,180,190],backgroundColor:getGradientFillHelper('vertical',['#36a2eb','#a336eb','#eb3639'])}]}}";
    let doc = svg_doc(&server, helper).await;
    assert_eq!(
        doc.matches("<linearGradient").count(),
        1,
        "one definition for the dataset's bars"
    );
    for stop in ["#36A2EB", "#A336EB", "#EB3639"] {
        assert!(doc.contains(&format!("stop-color=\"{stop}\"")), "{stop}");
    }
    assert_eq!(
        doc.matches("url(#chartgate-shade-0)").count(),
        6,
        "every bar filled by it, and the legend box"
    );
    // The same gradient spelt with getGradientFill draws the same chart: one key.
    let spelt = "{type:'bar',data:{labels:['January','February','March','April','May'],datasets:[{label:'Dogs',data:[50,60,70,180,190],backgroundColor:getGradientFill([{offset:0,color:'#36a2eb'},{offset:0.5,color:'#a336eb'},{offset:1,color:'#eb3639'}],[0,0,0,300])}]}}";
    let etag = |r: &common::Resp| r.header("etag").to_owned();
    let a = server.get(&chart_path(helper, &[])).await;
    let b = server.get(&chart_path(spelt, &[])).await;
    assert!(a.status == 200 && b.status == 200);
    assert_eq!(etag(&a), etag(&b));
    // patternomaly's shapes, one per slice.
    let patterns = "{type:'pie',data:{labels:['a','b','c'],datasets:[{data:[1,2,3],backgroundColor:[pattern.draw('square','#ff6384'),pattern.draw('diagonal','#36a2eb'),pattern.draw('dot','#cc65fe','#ffffff',12)]}]}}";
    let doc = svg_doc(&server, patterns).await;
    assert_eq!(doc.matches("<pattern ").count(), 3, "{doc}");
    assert!(
        doc.contains("width=\"640\"") && doc.contains("width=\"384\""),
        "20 and 12 px tiles, 32 units a CSS pixel at QuickChart's ratio of 2"
    );
    // A line stroked with a gradient (QuickChart's gradient guide), and
    // the area under it filled with another.
    let line = "{type:'line',data:{labels:['a','b','c','d'],datasets:[{label:'Sales',data:[3,7,4,9],fill:true,borderColor:getGradientFillHelper('horizontal',['#eb3639','#a336eb','#36a2eb']),backgroundColor:getGradientFillHelper('vertical',['#36a2eb','#ffffff'])}]}}";
    let doc = svg_doc(&server, line).await;
    assert_eq!(doc.matches("<linearGradient ").count(), 2, "{doc}");
    assert!(
        doc.contains("stroke=\"url(#chartgate-shade-")
            && doc.contains("fill=\"url(#chartgate-shade-"),
        "{doc}"
    );
    // An unknown shape is patternomaly's own TypeError, a 400.
    let bad =
        "{type:'bar',data:{datasets:[{data:[1],backgroundColor:pattern.draw('nope','#000')}]}}";
    assert_eq!(server.get(&chart_path(bad, &[])).await.status, 400);
    server.stop().await;
}
