//! Every SVG the renderer writes, natively or from Chart.js's canvas calls,
//! is a well-formed XML document, checked with
//! a real XML parser (`roxmltree`): each gallery chart, and charts whose
//! titles, labels, legend entries and axis titles hold every class of code
//! point (C0 controls, DEL, C1, the noncharacters U+FFFE/U+FFFF, astral
//! characters, markup characters).

mod common;

use chartgate::chart::params;
use chartgate::chart::spec::ChartRequest;
use chartgate::config::Limits;
use chartgate::render::{PlottersRenderer, Renderer};
use std::time::{Duration, Instant};

/// Draws `req` as SVG and parses it; panics naming `what` if it is not XML.
fn parsed_svg_text(mut req: ChartRequest, what: &str) -> String {
    req.output.format = chartgate::chart::Format::Svg;
    let deadline = Instant::now() + Duration::from_secs(120);
    let body = PlottersRenderer::new()
        .render(&req, deadline)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let doc = std::str::from_utf8(&body).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    let xml = roxmltree::Document::parse(doc)
        .unwrap_or_else(|e| panic!("{what}: not well-formed XML: {e}"));
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{what}");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg"),
        "{what}"
    );
    // The text as an XML reader sees it, entities resolved, without the
    // newlines plotters writes around each string.
    let texts: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim_matches('\n'))
        .collect();
    for t in &texts {
        assert!(!t.is_empty(), "{what}: an empty <text>");
        assert!(!t.contains(char::is_control), "{what}: {t:?}");
    }
    texts.join(" | ")
}

#[test]
fn every_gallery_chart_is_well_formed_svg() {
    let paths = common::gallery::paths();
    assert!(paths.len() >= 10, "the gallery is there: {}", paths.len());
    for path in paths {
        let body = std::fs::read(&path).unwrap();
        let what = path.display().to_string();
        let script = chartgate::config::ScriptConfig::default();
        let req = params::scripted_post(&body, &Limits::default(), Some(&script))
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        // Drawn natively or by Chart.js: both write SVG. QuickChart's
        // sparkline is a line alone: no text to find.
        let sparkline = req
            .chartjs
            .as_ref()
            .is_some_and(|c| c.quickchart_type == Some("sparkline"));
        let text = parsed_svg_text(req, &what);
        assert_eq!(text.trim().is_empty(), sparkline, "{what}: {text:?}");
    }
}

/// Strings that together hold every class of code point, each short enough
/// for `limits.max_string_chars`.
fn hostile_strings() -> Vec<String> {
    let range = |a: u32, b: u32| (a..=b).filter_map(char::from_u32).collect::<String>();
    vec![
        format!("C0 {} end", range(0x00, 0x1F)),
        format!("DEL \u{7F} C1 {} end", range(0x80, 0x9F)),
        "nonchars \u{FFFE}\u{FFFF} replacement \u{FFFD} \u{FDD0}".to_owned(),
        "astral 😀 \u{10000} \u{1D11E} \u{10FFFD} \u{10FFFF} edges \u{D7FF}\u{E000}".to_owned(),
        "markup <script>alert(1)</script> & ]]> \" ' <!-- &amp; <![CDATA[".to_owned(),
        "\u{0}\u{1}\u{8}\u{B}\u{C}\u{E}\u{1F}".to_owned(), // nothing visible at all
    ]
}

fn request(chart: serde_json::Value) -> ChartRequest {
    let body = serde_json::json!({"chart": chart, "width": 600, "height": 400, "format": "svg"});
    params::from_post(body.to_string().as_bytes(), &Limits::default())
        .unwrap_or_else(|e| panic!("the hostile chart is accepted: {e:?}"))
}

#[test]
fn any_text_in_any_place_gives_well_formed_svg() {
    let s = hostile_strings();
    let data: Vec<i32> = (1..=s.len() as i32).collect();
    let datasets: Vec<serde_json::Value> = s
        .iter()
        .map(|label| serde_json::json!({"label": label, "data": data}))
        .collect();
    let title = serde_json::json!({"display": true, "text": s});
    let axis = |i: usize| serde_json::json!({"scaleLabel": {"display": true, "labelString": s[i]}});
    let charts = [
        serde_json::json!({"type": "bar", "data": {"labels": s, "datasets": datasets},
            "options": {"title": title, "scales": {"xAxes": [axis(0)], "yAxes": [axis(4)]}}}),
        serde_json::json!({"type": "line", "data": {"labels": s, "datasets": datasets},
            "options": {"title": title, "scales": {"xAxes": [axis(1)], "yAxes": [axis(3)]}}}),
        serde_json::json!({"type": "pie", "data": {"labels": s,
            "datasets": [{"label": s[2], "data": data}]}, "options": {"title": title}}),
        serde_json::json!({"type": "radar", "data": {"labels": s, "datasets": datasets},
            "options": {"title": title}}),
        // Drawn by Chart.js (the doughnutlabel plugin), written from its
        // canvas calls.
        serde_json::json!({"type": "doughnut", "data": {"labels": s,
            "datasets": [{"label": s[2], "data": data}]}, "options": {"title": title,
            "plugins": {"doughnutlabel": {"labels": [{"text": s[3]}]}}}}),
    ];
    for chart in charts {
        let what = format!("{} chart", chart["type"]);
        let req = request(chart);
        assert_eq!(
            req.chartjs.is_some(),
            what == "\"doughnut\" chart",
            "{what}"
        );
        let text = parsed_svg_text(req, &what);
        // What XML allows survives, as text, not markup.
        for kept in [
            "😀",
            "\u{10FFFD}",
            "<script>alert(1)</script>",
            "&amp;",
            "]]>",
        ] {
            assert!(
                text.contains(kept),
                "{what}: {kept:?} is missing from {text:?}"
            );
        }
        assert!(
            text.contains('\u{FFFD}'),
            "{what}: U+FFFE/U+FFFF are marked"
        );
    }
}
