//! Which renderer draws a chart. The native renderer draws what it has been
//! checked to draw as Chart.js does; a config that uses something it would
//! draw wrong goes to Chart.js itself (`render::canvas2d` and
//! `script::chartjs`). The path is part of the request, so of the key: one
//! config always takes the same path on every replica.
//!
//! Routed today, for Chart.js 2 configs (the version whose Chart.js the
//! binary embeds): time scales (`type: 'time'` or `'timeseries'`), which
//! the native renderer does not draw, and several x or y axes, of which it
//! draws one. Configs for v3/v4 stay native until their Chart.js is in.

use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// `render.renderer = "chartjs"`: every Chart.js 2 config to Chart.js.
static EVERY_V2: AtomicBool = AtomicBool::new(false);

/// Sends every Chart.js 2 config to Chart.js (`render.renderer =
/// "chartjs"`). Process-wide and set once by the binary at start-up: the
/// path is part of the key, so a process must not change it while serving.
pub fn draw_every_v2_with_chartjs(on: bool) {
    EVERY_V2.store(on, Relaxed);
}

/// Why `config` (a Chart.js config for `version`) needs Chart.js itself,
/// or `None` when the native renderer draws it.
pub fn needs_chartjs(config: &Value, version: u8) -> Option<&'static str> {
    if version != 2 {
        return None;
    }
    if EVERY_V2.load(Relaxed) {
        return Some("render.renderer = \"chartjs\"");
    }
    scales(config).or_else(|| plugin(config))
}

/// Time scales and second axes (v2 `xAxes`/`yAxes`).
fn scales(config: &Value) -> Option<&'static str> {
    let scales = config.pointer("/options/scales")?;
    let axes = |name: &str| scales.get(name).and_then(Value::as_array);
    let (xs, ys) = (axes("xAxes"), axes("yAxes"));
    let timed = xs.into_iter().chain(ys).flatten().any(|axis| {
        matches!(
            axis.get("type").and_then(Value::as_str),
            Some("time" | "timeseries")
        )
    });
    if timed {
        return Some("time scale");
    }
    if xs.is_some_and(|a| a.len() > 1) || ys.is_some_and(|a| a.len() > 1) {
        return Some("several axes");
    }
    None
}

/// QuickChart's v2 plugins the native renderer does not draw, by the
/// options that turn them on.
fn plugin(config: &Value) -> Option<&'static str> {
    let options = config.get("options")?;
    if options.get("annotation").is_some_and(|a| !a.is_null()) {
        return Some("annotation plugin");
    }
    if options
        .pointer("/plugins/doughnutlabel")
        .is_some_and(|a| !a.is_null())
    {
        return Some("doughnutlabel plugin");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn time_scales_and_second_axes_take_chartjs() {
        let time = json!({"type": "line", "options": {"scales": {"xAxes": [{"type": "time"}]}}});
        assert_eq!(needs_chartjs(&time, 2), Some("time scale"));
        let two = json!({"type": "bar", "options": {"scales": {"yAxes": [{"id": "A"}, {"id": "B", "position": "right"}]}}});
        assert_eq!(needs_chartjs(&two, 2), Some("several axes"));
        let plain = json!({"type": "bar", "options": {"scales": {"yAxes": [{"ticks": {"beginAtZero": true}}]}}});
        assert_eq!(needs_chartjs(&plain, 2), None);
        assert_eq!(needs_chartjs(&json!({"type": "pie"}), 2), None);
        let annotated = json!({"type": "line", "options": {"annotation": {"annotations": []}}});
        assert_eq!(needs_chartjs(&annotated, 2), Some("annotation plugin"));
        let labelled =
            json!({"type": "doughnut", "options": {"plugins": {"doughnutlabel": {"labels": []}}}});
        assert_eq!(needs_chartjs(&labelled, 2), Some("doughnutlabel plugin"));
        // No Chart.js 3 or 4 in the binary yet: those stay native.
        assert_eq!(needs_chartjs(&time, 3), None);
    }
}
