//! QuickChart's `tickFormat` plugin and `Intl.NumberFormat`, as a user
//! of QuickChart's custom tick format guide tries them: the guide's four
//! configs (`tests/quickchart-docs/035…038`) label their axes as
//! `Intl.NumberFormat` writes the values, natively; the Chart.js renderer
//! writes the same numbers with the same `Intl` (its v3/v4 tick labels,
//! a config's `locale`, the plugin where the native renderer leaves it);
//! options a browser refuses are a 400 naming them.
//!
//! The expected labels are what Node's `Intl.NumberFormat` writes for
//! each value (`src/intl/tests.rs` pins the formatter itself).

mod common;

use common::{chart_path, Server};

/// One documented config's chart (its JavaScript text) and the labels its
/// value axis must show (Chart.js's ticks 0 to 1,800,000 by 200,000, or 0
/// to 40,000 by 5,000).
fn documented(n: u32) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/quickchart-docs");
    let name = format!("{n:03}-custom-tick-format-bar-img.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
    doc["chart"].as_str().unwrap().to_owned()
}

/// The texts of `config` drawn as SVG, and the renderer that drew it.
async fn drawn_texts(server: &Server, config: &str, version: &str) -> (Vec<String>, String) {
    let resp = server
        .get(&chart_path(config, &[("f", "svg"), ("v", version)]))
        .await;
    let body = String::from_utf8_lossy(&resp.body).into_owned();
    assert_eq!(resp.status, 200, "{config}: {body}");
    let renderer = resp.header("x-chartgate-renderer").to_owned();
    let texts = common::svg_texts(&body);
    (texts, renderer)
}

fn has_all(texts: &[String], want: &[&str]) -> bool {
    want.iter().all(|w| texts.iter().any(|t| t == w))
}

#[tokio::test]
async fn the_guides_tick_formats_label_the_axis_natively() {
    let server = Server::default().await;
    let cases: [(u32, &[&str]); 4] = [
        (35, &["0", "200K", "1M", "1.8M"]),
        (36, &["$0", "$400K", "$1.2M", "$1.8M"]),
        // de-DE groups with a point; the prefix is the config's.
        (37, &["€0", "€200.000", "€1.000.000", "€1.800.000"]),
        (38, &["0", "5,000", "10,000", "40,000"]),
    ];
    for (n, want) in cases {
        let (texts, renderer) = drawn_texts(&server, &documented(n), "2").await;
        assert_eq!(renderer, "native", "config {n}");
        assert!(has_all(&texts, want), "config {n}: {texts:?}");
    }
    // Chart.js 4's spelling, a currency in French.
    let v4 = "{type:'line',data:{labels:['a','b'],datasets:[{data:[12500,21400]}]},\
              options:{plugins:{tickFormat:{style:'currency',currency:'EUR',locale:'fr-FR',maximumFractionDigits:0}}}}";
    let (texts, renderer) = drawn_texts(&server, v4, "4").await;
    assert_eq!(renderer, "native");
    assert!(
        has_all(&texts, &["12\u{202f}000\u{a0}€", "22\u{202f}000\u{a0}€"]),
        "{texts:?}"
    );
    // A horizontal bar's value axis is its x axis (from near the data:
    // QuickChart's y axis from zero is the index axis here).
    let percent = "{type:'horizontalBar',data:{labels:['a','b'],datasets:[{data:[0.124,0.215]}]},\
                   options:{plugins:{tickFormat:{style:'percent'}}}}";
    let (texts, _) = drawn_texts(&server, percent, "2").await;
    assert!(has_all(&texts, &["12%", "15%", "22%"]), "{texts:?}");
    // An axis with its own callback keeps it.
    let own = "{type:'bar',data:{labels:['a'],datasets:[{data:[5]}]},options:{plugins:{tickFormat:{suffix:'!'}},\
               scales:{yAxes:[{ticks:{beginAtZero:true,callback:(v) => v + ' units'}}]}}}";
    let (texts, _) = drawn_texts(&server, own, "2").await;
    assert!(has_all(&texts, &["0 units", "5 units"]), "{texts:?}");
    server.stop().await;
}

#[tokio::test]
async fn chartjs_3_and_4_labels_take_the_locale_and_ticks_format_natively() {
    let server = Server::default().await;
    // Chart.js 4's `locale`: German grouping; 0 is always "0".
    let german = "{type:'bar',data:{labels:['Q1','Q2'],datasets:[{label:'Umsatz',data:[12500.5,21750]}]},options:{locale:'de-DE'}}";
    let (texts, renderer) = drawn_texts(&server, german, "4").await;
    assert_eq!(renderer, "native");
    assert!(has_all(&texts, &["0", "5.000", "25.000"]), "{texts:?}");
    // `ticks.format` over the decimals Chart.js reads from the ticks (a
    // step of 0.005 gives three, which a percent keeps: "97.500%").
    let percent = "{type:'line',data:{labels:['a','b','c'],datasets:[{data:[0.982,0.999,0.975]}]},\
                   options:{scales:{y:{ticks:{format:{style:'percent'}}}}}}";
    let (texts, renderer) = drawn_texts(&server, percent, "3").await;
    assert_eq!(renderer, "native");
    assert!(has_all(&texts, &["97.500%", "100.000%"]), "{texts:?}");
    let pounds = "{type:'bar',data:{labels:['Q1'],datasets:[{data:[4100]}]},\
                  options:{locale:'en-GB',scales:{y:{ticks:{format:{style:'currency',currency:'GBP'}}}}}}";
    let (texts, _) = drawn_texts(&server, pounds, "4").await;
    assert!(has_all(&texts, &["0", "£500", "£4,500"]), "{texts:?}");
    server.stop().await;
}

#[tokio::test]
async fn options_a_browser_refuses_are_a_400_naming_them() {
    let server = Server::default().await;
    for tick_format in [
        "{style:'currency'}",
        "{minimumFractionDigits:4,maximumFractionDigits:1}",
        "{locale:'not a locale'}",
    ] {
        let config = format!(
            "{{type:'bar',data:{{labels:['a'],datasets:[{{data:[5]}}]}},options:{{plugins:{{tickFormat:{tick_format}}}}}}}"
        );
        let resp = server.get(&chart_path(&config, &[])).await;
        assert_eq!(resp.status, 400, "{tick_format}");
        let message = resp.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains("tickFormat"), "{tick_format}: {message}");
    }
    // Chart.js 3 puts `ticks.format` over the decimals it chose (one, for a
    // step of 0.5): at most none is a RangeError in a browser.
    let contradicts = "{type:'line',data:{labels:['a','b'],datasets:[{data:[0.5,1.5]}]},\
                       options:{scales:{y:{ticks:{format:{maximumFractionDigits:0}}}}}}";
    let resp = server.get(&chart_path(contradicts, &[("v", "3")])).await;
    assert_eq!(resp.status, 400);
    let message = resp.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("ticks.format"), "{message}");
    server.stop().await;
}

/// The strings Chart.js `version` drew for `config` (JSON).
fn drawn_strings(config: &str, version: u8) -> Vec<String> {
    chartgate::script::set_thread_limits(&chartgate::config::ScriptConfig::default());
    common::chartjs_recording(config, version).strs
}

#[test]
fn the_chartjs_renderer_writes_numbers_with_the_same_intl() {
    // The plugin on a radar's radial scale (which the native renderer
    // leaves to Chart.js; 2.9.4 does not label its centre), and on the
    // datalabels when asked.
    let radar = r#"{"type": "radar", "data": {"labels": ["a", "b", "c"], "datasets": [{"data": [1200, 2500, 1800]}]},
        "options": {"scale": {"ticks": {"beginAtZero": true}}, "plugins": {"tickFormat": {"notation": "compact", "prefix": "$"}}}}"#;
    let strs = drawn_strings(radar, 2);
    assert!(has_all(&strs, &["$500", "$1K", "$2.5K"]), "{strs:?}");
    let labelled = r#"{"type": "bar", "data": {"labels": ["a", "b"], "datasets": [{"data": [1500, 2500]}]},
        "options": {"plugins": {"datalabels": {"display": true}, "tickFormat": {"notation": "compact", "applyToDataLabels": true}}}}"#;
    let strs = drawn_strings(labelled, 2);
    assert!(has_all(&strs, &["1.5K", "2.5K", "2K"]), "{strs:?}");
    // Chart.js 3 and 4 label every number with Intl.NumberFormat in the
    // chart's `locale`.
    for version in [3, 4] {
        let german = r#"{"type": "bar", "data": {"labels": ["a"], "datasets": [{"data": [2500.5]}]},
            "options": {"locale": "de-DE"}}"#;
        let strs = drawn_strings(german, version);
        assert!(
            has_all(&strs, &["0", "1.000", "2.500"]),
            "v{version}: {strs:?}"
        );
    }
}
