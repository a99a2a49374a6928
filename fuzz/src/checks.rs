//! What must hold for any input, whatever a client sends.
//!
//! Each function takes the raw fuzzer bytes and panics when a property fails;
//! a panic is what libFuzzer records as a crash. Used by the `fuzz/` targets
//! and by `tests/fuzz_regressions.rs`.

use bytes::Bytes;
use chartgate::chart::{key, literal, params, ChartError, ChartKey, ChartRequest, Format};
use chartgate::config::Limits;
use chartgate::render::{PlottersRenderer, Renderer};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The render target's deadline, and how far past it a render may return
/// (the renderer checks its deadline between drawing steps, not inside one).
pub const RENDER_BUDGET: Duration = Duration::from_secs(2);
pub const RENDER_SLACK: Duration = Duration::from_secs(1);

/// The config reader (`chart::literal::parse`) never panics, reads every
/// strict JSON document within the limits as the very value `serde_json`
/// reads (the object-literal form is a superset of JSON, not a dialect),
/// and reads the same with the datasets' points packed apart.
pub fn literal(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = literal::parse(text, &Limits::default());
    // Datasets' points read apart and put back are what was read whole.
    let packed = literal::parse_packed(text, &Limits::default()).map(|(mut value, packed)| {
        packed.unpack_into(&mut value);
        value
    });
    assert_eq!(packed, ours, "packed points read differently: {text:?}");
    let Ok(json) = serde_json::from_str::<Value>(text) else {
        return;
    };
    match ours {
        Ok(value) => assert!(
            same_value(&value, &json),
            "JSON read differently: {text:?}\n ours: {value}\n json: {json}"
        ),
        Err(ChartError::LimitExceeded(_)) => {}
        // Keys that start with NUL are the script sandbox's (functions,
        // gradients): refused from clients on purpose.
        Err(ChartError::BadRequest(m)) if m.contains("NUL character") => {}
        Err(ChartError::BadRequest(m) | ChartError::Code(m)) => {
            panic!("valid JSON refused: {text:?}: {m}")
        }
    }
}

/// JSON equality with every number compared as the f64 chartgate keeps.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

/// The query parser (`chart::params::from_query`) never panics, and what it
/// accepts is within every limit.
pub fn query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    if let Ok(req) = params::from_query(text, &limits) {
        assert_within(&req, &limits);
    }
}

fn assert_within(req: &ChartRequest, limits: &Limits) {
    let (w, h) = req.output.pixel_size();
    assert!(w <= limits.max_side && h <= limits.max_side, "{w}x{h}");
    assert!(u64::from(w) * u64::from(h) <= limits.max_pixels, "{w}x{h}");
    let chart = &req.chart;
    assert!(chart.datasets.len() <= limits.max_datasets);
    assert!(chart.labels.len() <= limits.max_labels);
    let points: usize = chart.datasets.iter().map(|d| d.data.len()).sum();
    assert!(points <= limits.max_points, "{points} points");
}

/// Normalization: the key of a parsed request is stable under
/// re-serialization (`ChartRequest` → JSON → `ChartRequest` → same key), and
/// a config sent as JSON (GET or POST) instead of the form it came in has the
/// same key. The first byte picks how the rest is read: as a whole query
/// string, or as the text of `c`.
pub fn normalize(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let limits = Limits::default();
    let req = if mode % 2 == 0 {
        params::from_query(text, &limits)
    } else {
        params::from_query(&c_query(text), &limits)
    };
    let Ok(req) = req else {
        return;
    };
    let key = ChartKey::of(&req);
    let canonical = key::canonical(&req);
    let back: ChartRequest =
        serde_json::from_slice(&canonical).expect("the canonical form reads back");
    assert_eq!(
        ChartKey::of(&back),
        key,
        "key changed through JSON: {text:?}"
    );
    assert_eq!(key::canonical(&back), canonical, "canonical form changed");
    if mode % 2 == 1 {
        same_key_as_json(text, &req, key, &limits);
    }
}

/// `c=<text>` as a browser would send it.
fn c_query(config: &str) -> String {
    form_query(&[("c", config)])
}

fn form_query(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        for b in v.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The config re-written as strict JSON, by GET and by POST (as an object),
/// names the same chart.
fn same_key_as_json(text: &str, req: &ChartRequest, key: ChartKey, limits: &Limits) {
    let config = literal::parse(text, limits).expect("from_query accepted this config");
    let json = config.to_string();
    let get = params::from_query(&c_query(&json), limits).expect("the JSON form is accepted");
    assert_eq!(&get, req, "GET with JSON config differs: {text:?}");
    assert_eq!(ChartKey::of(&get), key);
    let body = serde_json::json!({ "chart": config }).to_string();
    let post = params::from_post(body.as_bytes(), limits).expect("the POST form is accepted");
    assert_eq!(ChartKey::of(&post), key, "POST differs: {text:?}");
}

/// Small limits for the render target: every spec the parser lets through
/// must draw quickly, so a slow render is a finding, not a big input.
pub fn render_limits() -> Limits {
    Limits {
        max_side: 640,
        max_pixels: 640 * 480,
        max_points: 2_000,
        max_datasets: 16,
        max_labels: 2_000,
        ..Limits::default()
    }
}

/// The renderer: any spec the parser produces within small limits renders
/// without a panic, returns by its deadline (give or take one drawing step),
/// is a well-formed PNG or SVG, and is the same bytes when drawn again.
pub fn render(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(req) = params::from_query(text, &render_limits()) else {
        return;
    };
    let Some(first) = render_once(&req, text) else {
        return;
    };
    match req.output.format {
        Format::Png => assert!(first.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG"),
        Format::Svg => assert_svg_escaped(&first, text),
    }
    if let Some(second) = render_once(&req, text) {
        assert!(first == second, "two renders differ: {text:?}");
    }
}

/// Elements plotters' SVG backend and the Chart.js recording's SVG writer
/// (`render::canvas2d::vector`) write; anything else after a `<` is client
/// text that escaped escaping.
const SVG_TAGS: [&str; 17] = [
    "svg",
    "text",
    "circle",
    "polygon",
    "polyline",
    "rect",
    "line",
    "path",
    "ellipse",
    "g",
    "image",
    "defs",
    "clipPath",
    "pattern",
    "linearGradient",
    "radialGradient",
    "stop",
];

/// The document is `<svg …>…</svg>` whose every `<` opens or closes a known
/// element, whose every `&` starts an entity, and whose every character is
/// one XML 1.0 allows, whatever the labels and titles said.
fn assert_svg_escaped(doc: &[u8], input: &str) {
    let doc = std::str::from_utf8(doc).expect("SVG is UTF-8");
    assert!(
        doc.starts_with("<svg ") && doc.trim_end().ends_with("</svg>"),
        "not an SVG"
    );
    // The `Char` production of XML 1.0.
    let xml_char = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if let Some(bad) = doc.chars().find(|&c| !xml_char(c)) {
        panic!("{bad:?}, which XML forbids, in SVG of {input:?}");
    }
    for (i, _) in doc.match_indices('<') {
        let rest = doc[i + 1..].trim_start_matches('/');
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(
            SVG_TAGS.contains(&name.as_str()),
            "unescaped `<{name}` in SVG of {input:?}"
        );
    }
    for (i, _) in doc.match_indices('&') {
        let rest = &doc[i + 1..];
        let entity = ["amp;", "lt;", "gt;", "quot;", "apos;", "#"];
        assert!(
            entity.iter().any(|e| rest.starts_with(e)),
            "bare `&` in SVG of {input:?}"
        );
    }
}

fn render_once(req: &ChartRequest, text: &str) -> Option<Bytes> {
    let start = Instant::now();
    let result = PlottersRenderer::new().render(req, start + RENDER_BUDGET);
    let took = start.elapsed();
    assert!(
        took <= RENDER_BUDGET + RENDER_SLACK,
        "render took {took:?}, past its deadline: {text:?}"
    );
    // Every failure (invalid, a sandbox limit, the deadline) is an answer,
    // never a crash: only the body matters here.
    result.ok()
}
