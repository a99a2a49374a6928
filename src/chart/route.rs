//! Which renderer draws a chart. The native renderer draws what it has been
//! checked to draw as Chart.js does; a config that uses something it would
//! draw wrong goes to Chart.js itself (`render::canvas2d` and
//! `script::chartjs`). The path is part of the request, so of the key: one
//! config always takes the same path on every replica.
//!
//! Routed today: time scales (`type: 'time'` or `'timeseries'`; but for
//! the x axis of a line, scatter or unstacked bar chart, which it draws)
//! and
//! logarithmic scales, which the native renderer does not draw as Chart.js
//! does, several x or y axes (but for one y axis on the left and one on
//! the right, which it draws: v2 `yAxes`, v3/v4 `y` and one other), and
//! the annotation
//! plugin, in configs of any version; v3 and v4 radar charts; for Chart.js
//! 2 configs also QuickChart's other plugins the native renderer does not
//! draw and QuickChart's chart types (gauges, outlabeled pies, box and
//! violin plots, sparklines, progress bars), and for v3 and v4 configs the
//! sankey type (chartjs-chart-sankey). Chart.js 3.9.1 draws the v3 configs
//! routed, 4.4.1 the v4 ones. Besides these rules, a config with an option
//! the native parser never reads goes to Chart.js too (`chart::params`,
//! from `parse::chart_spec_read`).

use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// `render.renderer = "chartjs"`: every config to Chart.js.
static EVERY: AtomicBool = AtomicBool::new(false);

/// Sends every config, of any version, to Chart.js (`render.renderer =
/// "chartjs"`). Process-wide and set once by the binary at start-up: the
/// path is part of the key, so a process must not change it while serving.
pub fn draw_everything_with_chartjs(on: bool) {
    EVERY.store(on, Relaxed);
}

/// Why `config` (a Chart.js config for `version`) needs Chart.js itself,
/// or `None` when the native renderer draws it.
pub fn needs_chartjs(config: &Value, version: u8) -> Option<&'static str> {
    if EVERY.load(Relaxed) && wrong_version(config, version).is_none() {
        return Some("render.renderer = \"chartjs\"");
    }
    if version != 2 {
        return chart_type(config, version)
            .map(|_| "chart type of a plugin")
            .or_else(|| radar_v3(config))
            .or_else(|| scales_v3(config))
            .or_else(|| plugin_v3(config))
            .or_else(|| rounded_stacks(config))
            .or_else(|| floating_bars(config));
    }
    chart_type(config, version)
        .map(|_| "QuickChart chart type")
        .or_else(|| scales(config))
        .or_else(|| plugin(config))
        .or_else(|| floating_bars(config))
}

/// Floating bars (`data: [[start, end], …]`, Chart.js 2.9 and later): the
/// native renderer draws bars from the baseline only.
fn floating_bars(config: &Value) -> Option<&'static str> {
    datasets(config)
        .filter_map(|ds| ds.get("data")?.as_array())
        .any(|data| data.iter().any(Value::is_array))
        .then_some("floating bars")
}

/// A QuickChart v2 chart type that only Chart.js (with QuickChart's
/// plugins and rewrites) draws.
#[derive(Clone, Copy)]
struct ChartJsType {
    name: &'static str,
    /// The native type whose data has the same shape: it stands in where
    /// the native parser reads the config for the limits and the render
    /// budget (`stand_in`).
    native: &'static str,
    /// Its data items are objects or arrays (box plots' samples or
    /// `{min, q1, ...}`, sankey's `{from, to, flow}`), each number of which
    /// Chart.js reads.
    spread: bool,
    /// QuickChart's own v2 type, else a v3+ plugin's (`sankey`): each is
    /// an unknown type to the other versions' Chart.js.
    v2: bool,
}

const CHARTJS_TYPES: &[ChartJsType] = &[
    ChartJsType {
        name: "sparkline",
        native: "line",
        spread: false,
        v2: true,
    },
    ChartJsType {
        name: "progressBar",
        native: "horizontalBar",
        spread: false,
        v2: true,
    },
    ChartJsType {
        name: "radialGauge",
        native: "doughnut",
        spread: false,
        v2: true,
    },
    ChartJsType {
        name: "gauge",
        native: "doughnut",
        spread: false,
        v2: true,
    },
    ChartJsType {
        name: "outlabeledPie",
        native: "pie",
        spread: false,
        v2: true,
    },
    ChartJsType {
        name: "outlabeledDoughnut",
        native: "doughnut",
        spread: false,
        v2: true,
    },
    ChartJsType {
        name: "boxplot",
        native: "bar",
        spread: true,
        v2: true,
    },
    ChartJsType {
        name: "horizontalBoxplot",
        native: "horizontalBar",
        spread: true,
        v2: true,
    },
    ChartJsType {
        name: "violin",
        native: "bar",
        spread: true,
        v2: true,
    },
    ChartJsType {
        name: "horizontalViolin",
        native: "horizontalBar",
        spread: true,
        v2: true,
    },
    ChartJsType {
        name: "sankey",
        native: "bar",
        spread: true,
        v2: false,
    },
];

/// `config`'s type when it is one of `CHARTJS_TYPES` for `version`.
fn chart_type(config: &Value, version: u8) -> Option<ChartJsType> {
    named(config).filter(|t| t.v2 == (version == 2))
}

/// `config`'s type when it is one of `CHARTJS_TYPES`, for any version.
fn named(config: &Value) -> Option<ChartJsType> {
    let name = config.get("type")?.as_str()?;
    CHARTJS_TYPES.iter().find(|t| t.name == name).copied()
}

/// Why `config` cannot be drawn at `version` when its type is one that only
/// another Chart.js version has (`sankey` at v2, a gauge at v4): said
/// rather than reported as an unknown type.
pub fn wrong_version(config: &Value, version: u8) -> Option<String> {
    let found = named(config)?;
    let name = found.name;
    (found.v2 != (version == 2)).then(|| {
        let wanted = if found.v2 {
            "2 (the default)"
        } else {
            "3 or 4"
        };
        format!("chart type '{name}' is drawn by Chart.js {wanted}: set `version` accordingly")
    })
}

/// The name of `config`'s type when it is a QuickChart type only Chart.js
/// draws (for analytics and the gallery, where its stand-in would mislead).
pub fn chartjs_type(config: &Value, version: u8) -> Option<&'static str> {
    chart_type(config, version).map(|t| t.name)
}

/// `config` as the native parser reads it for a chart only Chart.js draws:
/// its type replaced by its stand-in and, for box and violin plots and
/// sankey flows, each item's numbers (a sample array, `{min, q1, median,
/// ...}`, `{from, to, flow}`) spread into the dataset, so the point limits count every number Chart.js will
/// read. Any other config as it is.
pub fn stand_in(config: &Value, version: u8) -> Cow<'_, Value> {
    let Some(found) = chart_type(config, version) else {
        return Cow::Borrowed(config);
    };
    let mut config = config.clone();
    config["type"] = Value::from(found.native);
    if found.spread {
        if let Some(sets) = config
            .pointer_mut("/data/datasets")
            .and_then(Value::as_array_mut)
        {
            for set in sets {
                if let Some(Value::Array(items)) = set.get_mut("data") {
                    let mut numbers = Vec::with_capacity(items.len());
                    items
                        .iter()
                        .for_each(|item| spread_numbers(item, &mut numbers));
                    *items = numbers;
                }
            }
        }
    }
    Cow::Owned(config)
}

/// Every number in `item` (itself, or within its arrays and objects) into
/// `out`; `null` kept as a gap.
fn spread_numbers(item: &Value, out: &mut Vec<Value>) {
    match item {
        Value::Number(_) | Value::Null => out.push(item.clone()),
        Value::Array(items) => items.iter().for_each(|v| spread_numbers(v, out)),
        Value::Object(map) => map.values().for_each(|v| spread_numbers(v, out)),
        _ => {}
    }
}

/// Time scales and several axes (v2 `xAxes`/`yAxes`), but for a second
/// y axis the native renderer draws (`native_second_y`).
fn scales(config: &Value) -> Option<&'static str> {
    let scales = config.pointer("/options/scales")?;
    let axes = |name: &str| scales.get(name).and_then(Value::as_array);
    let (xs, ys) = (axes("xAxes"), axes("yAxes"));
    let time_ys = ys.into_iter().flatten().any(time_typed);
    let time_xs: Vec<&Value> = xs.into_iter().flatten().filter(|a| time_typed(a)).collect();
    if time_ys || (!time_xs.is_empty() && !native_time(config, &time_xs, xs)) {
        return Some("time scale");
    }
    let radial = config.pointer("/options/scale").into_iter();
    if xs
        .into_iter()
        .chain(ys)
        .flatten()
        .chain(radial)
        .any(logarithmic)
    {
        return Some("logarithmic scale");
    }
    let several_y = match ys.map(Vec::as_slice) {
        Some([first, second]) => !native_second_y(config, [first, second], xs),
        Some(ys) => ys.len() > 1,
        None => false,
    };
    (xs.is_some_and(|a| a.len() > 1) || several_y).then_some("several axes")
}

/// Whether the native renderer draws a v2 chart's time axis: the only x
/// axis of a line, scatter or unstacked bar chart (`timed_kinds`), with
/// no tick callback (Chart.js calls it with tick objects). What else it
/// cannot draw (a `time.parser` function or a format it does not read, a
/// `min` or `max` that is no date it reads, an x that is no date it reads)
/// the parser leaves unread (`parse::time`).
fn native_time(config: &Value, time_xs: &[&Value], xs: Option<&Vec<Value>>) -> bool {
    let [axis] = time_xs else {
        return false;
    };
    let ticks = axis.get("ticks");
    let set = |key: &str| ticks.and_then(|t| t.get(key)).is_some_and(|v| !v.is_null());
    let ys = config
        .pointer("/options/scales/yAxes")
        .and_then(Value::as_array);
    // Chart.js 2 stacks bars on a time axis by their index, not by time:
    // the same, where every value is read at its label.
    let stacks_by_index =
        xs.into_iter().chain(ys).flatten().any(stacked) && !read_at_labels(config);
    xs.is_some_and(|a| a.len() == 1) && timed_kinds(config, stacks_by_index) && !set("callback")
}

/// Whether every dataset's values are plain numbers (or gaps), each read
/// at the label of its index. (Points packed by the literal parser show
/// here as an empty array: not these.)
fn read_at_labels(config: &Value) -> bool {
    datasets(config).all(|ds| {
        ds.get("data")
            .and_then(Value::as_array)
            .is_some_and(|d| !d.is_empty() && d.iter().all(|v| v.is_number() || v.is_null()))
    })
}

/// Whether a scale is a time scale (`type: 'time'` or `'timeseries'`).
pub(super) fn time_typed(scale: &Value) -> bool {
    matches!(str_at(scale, "type"), Some("time" | "timeseries"))
}

/// Whether a chart's kinds are those the native renderer draws on a time
/// axis: a line or scatter chart of lines, or a bar chart of bars and
/// lines, unless they `stack_by_index` (Chart.js 2's stacked bars and
/// lines; 3 and 4, as the native renderer, stack by time).
fn timed_kinds(config: &Value, stack_by_index: bool) -> bool {
    let all = |kinds: &[&str]| {
        datasets(config).all(|ds| str_at(ds, "type").is_none_or(|t| kinds.contains(&t)))
    };
    let kinds = match str_at(config, "type") {
        Some("line" | "scatter") => all(&["line", "scatter"]),
        Some("bar") => all(&["bar", "line"]),
        _ => false,
    };
    kinds && !stack_by_index
}

/// Whether the native renderer draws a v2 chart's two y axes: the first
/// on the left, the second on the right (`position: 'right'`), for a
/// vertical chart whose datasets each name one of them or none (the
/// first), with nothing stacked: Chart.js stacks per value axis, which the
/// native renderer does not.
fn native_second_y(config: &Value, [first, second]: [&Value; 2], xs: Option<&Vec<Value>>) -> bool {
    let ids = [
        str_at(first, "id").unwrap_or("y-axis-0"),
        str_at(second, "id").unwrap_or("y-axis-1"),
    ];
    matches!(str_at(first, "position"), None | Some("left"))
        && str_at(second, "position") == Some("right")
        && ids[0] != ids[1]
        && str_at(config, "type") != Some("horizontalBar")
        && !xs.into_iter().flatten().chain([first, second]).any(stacked)
        && datasets(config).all(|ds| str_at(ds, "yAxisID").is_none_or(|id| ids.contains(&id)))
}

/// A logarithmic scale: the native renderer's decades are not yet the
/// ticks and range Chart.js chooses (2.9.4 labels 2e+1, 5e+1 … up to the
/// data's leading digit), so Chart.js draws them.
fn logarithmic(scale: &Value) -> bool {
    str_at(scale, "type") == Some("logarithmic")
}

/// Whether a scale stacks its datasets (`stacked` set, and not `false`).
fn stacked(scale: &Value) -> bool {
    scale
        .get("stacked")
        .is_some_and(|s| s != &Value::Bool(false))
}

/// The string at `key` of `v`, if one is there.
fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// The datasets of a config (none when it has none, or not as an array).
fn datasets(config: &Value) -> impl Iterator<Item = &Value> {
    config
        .pointer("/data/datasets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// Which axis a v3/v4 scale is: its `axis`, else its id's first letter,
/// else its `position`'s (as Chart.js 3 and 4 decide it).
pub(super) fn scale_axis(id: &str, scale: &Value) -> Option<char> {
    let position = scale.get("position").and_then(Value::as_str);
    match (
        scale.get("axis").and_then(Value::as_str),
        id.chars().next(),
        position,
    ) {
        (Some(axis), _, _) => axis.chars().next(),
        (None, Some(c @ ('x' | 'y')), _) => Some(c),
        (None, _, Some("left" | "right")) => Some('y'),
        (None, _, Some("top" | "bottom")) => Some('x'),
        _ => None,
    }
}

/// Time scales and several axes in a v3/v4 config (`scales: {x, y, y1}`),
/// but for a second y axis the native renderer draws (`native_second_y_v3`).
fn scales_v3(config: &Value) -> Option<&'static str> {
    let scales = config.pointer("/options/scales")?.as_object()?;
    if scales.values().any(time_typed) && !native_time_v3(config, scales) {
        return Some("time scale");
    }
    if scales.values().any(logarithmic) {
        return Some("logarithmic scale");
    }
    let of_axis = |axis: char| {
        scales
            .iter()
            .filter(move |(id, scale)| scale_axis(id, scale) == Some(axis))
    };
    let several_y = of_axis('y').count() > 1
        && !y_and_other(scales).is_some_and(|pair| native_second_y_v3(config, pair));
    (of_axis('x').count() > 1 || several_y).then_some("several axes")
}

/// Whether the native renderer draws a v3/v4 chart's time scale: the `x`
/// scale, of type `time` or `timeseries`, the only time scale, of a
/// vertical chart of the kinds `timed_kinds` allows, with no tick
/// callback. What else it does not draw (3.9.1's
/// `timeseries`, `minUnit`, `ticks.source`, …) the parser leaves unread
/// (`parse::time`).
fn native_time_v3(config: &Value, scales: &Map<String, Value>) -> bool {
    let Some(x) = scales.get("x") else {
        return false;
    };
    let set = |v: &Value, key: &str| v.get(key).is_some_and(|v| !v.is_null());
    time_typed(x)
        && scales.values().filter(|s| time_typed(s)).count() == 1
        && timed_kinds(config, false)
        && config
            .pointer("/options/indexAxis")
            .is_none_or(|a| a == "x")
        && !x.get("ticks").is_some_and(|t| set(t, "callback"))
}

/// A v3/v4 config's two y scales, `y` first, when it has exactly two and
/// one of them is `y`: the pair the native renderer may draw left and
/// right (the router checks the rest, the parser reads the other's id).
pub(crate) fn y_and_other(scales: &Map<String, Value>) -> Option<[(&String, &Value); 2]> {
    let mut ys = scales
        .iter()
        .filter(|(id, scale)| scale_axis(id, scale) == Some('y'));
    let (a, b) = (ys.next()?, ys.next()?);
    match (ys.next(), a.0 == "y", b.0 == "y") {
        (None, true, false) => Some([a, b]),
        (None, false, true) => Some([b, a]),
        _ => None,
    }
}

/// Whether the native renderer draws a v3/v4 chart's two y scales
/// (`y_and_other`): `y` on the left and the other on the right, for a vertical chart whose
/// datasets each name theirs (`yAxisID`; a dataset naming none takes the
/// first y scale in the config's key order, which a parsed config no longer
/// has), with nothing stacked. (Routed to Chart.js from 2026-12-05 while
/// the native v3 axes kept Chart.js 2's tick length and padding, 5.2% off;
/// native again since they keep Chart.js 3's.)
fn native_second_y_v3(config: &Value, ys: [(&String, &Value); 2]) -> bool {
    let [(_, left), (_, right)] = ys;
    let vertical = config
        .pointer("/options/indexAxis")
        .is_none_or(|a| a == "x");
    let any_stacked = config
        .pointer("/options/scales")
        .and_then(Value::as_object)
        .is_some_and(|all| all.values().any(stacked));
    matches!(str_at(left, "position"), None | Some("left"))
        && str_at(right, "position") == Some("right")
        && vertical
        && !any_stacked
        && datasets(config).all(|ds| {
            str_at(ds, "yAxisID").is_some_and(|id| ys.iter().any(|(name, _)| *name == id))
        })
}

/// Rounded bars in stacks: Chart.js 3 and 4 round only the top and bottom
/// bar of each stack (`enableBorderRadius`), which the native renderer
/// does not follow.
fn rounded_stacks(config: &Value) -> Option<&'static str> {
    let rounded = |v: Option<&Value>| v.is_some_and(|r| r != &Value::from(0) && !r.is_null());
    let any_rounded = rounded(config.pointer("/options/elements/bar/borderRadius"))
        || datasets(config).any(|ds| rounded(ds.get("borderRadius")));
    let any_stacked = config
        .pointer("/options/scales")
        .and_then(Value::as_object)
        .is_some_and(|all| all.values().any(stacked));
    (any_rounded && any_stacked).then_some("rounded bars in stacks")
}

/// Chart.js 4's plugins the native renderer does not draw, by the options
/// that turn them on.
fn plugin_v3(config: &Value) -> Option<&'static str> {
    let annotation = config.pointer("/options/plugins/annotation")?;
    (!annotation.is_null()).then_some("annotation plugin")
}

/// A v3/v4 radar chart: Chart.js 3's radial scale (its point labels'
/// fit, ticks from the data's minimum, label backdrops) is not the one the
/// native renderer draws (Chart.js 2's); side by side with Chart.js 3.9.1
/// the web is a fifth larger and the ticks start elsewhere.
fn radar_v3(config: &Value) -> Option<&'static str> {
    let radar = |v: &Value| v.get("type").and_then(Value::as_str) == Some("radar");
    let datasets = config.pointer("/data/datasets").and_then(Value::as_array);
    (radar(config) || datasets.is_some_and(|d| d.iter().any(radar)))
        .then_some("Chart.js 3's radial scale")
}

/// QuickChart's v2 plugins the native renderer does not draw, by the
/// options that turn them on.
fn plugin(config: &Value) -> Option<&'static str> {
    let options = config.get("options")?;
    if options.get("annotation").is_some_and(|a| !a.is_null()) {
        return Some("annotation plugin");
    }
    let plugins = options.get("plugins");
    let set = |id: &str| {
        plugins
            .and_then(|p| p.get(id))
            .is_some_and(|a| !a.is_null())
    };
    if set("doughnutlabel") {
        return Some("doughnutlabel plugin");
    }
    if set("outlabels") {
        return Some("outlabels plugin");
    }
    if set("padBelowLegend") {
        return Some("QuickChart's padBelowLegend");
    }
    // The native renderer draws QuickChart's own choice, Tableau10; any
    // other scheme, or the plugin turned off, is Chart.js's to draw.
    match plugins.and_then(|p| p.get("colorschemes")) {
        None | Some(Value::Null) => None,
        Some(Value::Object(o))
            if o.len() == 1 && o.get("scheme").is_some_and(|s| s == "tableau.Tableau10") =>
        {
            None
        }
        Some(_) => Some("colorschemes plugin"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v3_and_v4_radar_charts_take_chartjs() {
        let radar = json!({"type": "radar", "data": {"datasets": [{"data": [1, 2, 3]}]}});
        assert_eq!(needs_chartjs(&radar, 2), None);
        assert_eq!(needs_chartjs(&radar, 3), Some("Chart.js 3's radial scale"));
        assert_eq!(needs_chartjs(&radar, 4), Some("Chart.js 3's radial scale"));
        let mixed = json!({"type": "bar", "data": {"datasets": [{"type": "radar", "data": [1]}]}});
        assert_eq!(needs_chartjs(&mixed, 3), Some("Chart.js 3's radial scale"));
        let polar = json!({"type": "polarArea", "data": {"datasets": [{"data": [1, 2]}]}});
        assert_eq!(needs_chartjs(&polar, 3), None);
    }

    #[test]
    fn floating_bars_take_chartjs() {
        // Chart.js's "Floating bars" sample: `[start, end]` per bar.
        let floating = json!({"type": "bar", "data": {"labels": ["a", "b"],
            "datasets": [{"data": [[-20, 40], [10, 70]]}]}});
        for version in [2, 3, 4] {
            assert_eq!(needs_chartjs(&floating, version), Some("floating bars"));
        }
        let plain = json!({"type": "bar", "data": {"datasets": [{"data": [40, 70]}]}});
        assert_eq!(needs_chartjs(&plain, 2), None);
    }

    #[test]
    fn time_scales_and_second_axes_take_chartjs() {
        let time = json!({"type": "bar", "options": {"scales": {"xAxes": [{"type": "time"}]}}});
        assert_eq!(needs_chartjs(&time, 2), None);
        // Stacked bars on a Chart.js 2 time axis (stacked by index), but
        // for values read at their labels (where that is by time), or a bar
        // dataset in a line chart (no `offset` there), are Chart.js's.
        let stacked = json!({"type": "bar", "data": {"datasets": [{"data": [{"x": "2020-01-02", "y": 3}]}]},
            "options": {"scales": {"xAxes": [{"type": "time", "stacked": true}]}}});
        assert_eq!(needs_chartjs(&stacked, 2), Some("time scale"));
        let mut at_labels = stacked.clone();
        at_labels["data"] = json!({"labels": ["2020-01-01", "2020-01-02"],
            "datasets": [{"data": [1, 2]}, {"data": [3, null]}]});
        assert_eq!(needs_chartjs(&at_labels, 2), None);
        at_labels["data"]["datasets"][1]["data"] = json!([{"x": "2020-01-02", "y": 3}]);
        assert_eq!(needs_chartjs(&at_labels, 2), Some("time scale"));
        // Lines too: 2.9.4 stacks a point on the points of the same index.
        at_labels["type"] = json!("line");
        assert_eq!(needs_chartjs(&at_labels, 2), Some("time scale"));
        let mixed = json!({"type": "line", "data": {"datasets": [{"type": "bar"}]}, "options": {"scales": {"xAxes": [{"type": "time"}]}}});
        assert_eq!(needs_chartjs(&mixed, 2), Some("time scale"));
        // A line's time axis is native, bounded too (the parser reads the
        // bounds as it reads times), but for a tick callback.
        let line = json!({"type": "line", "options": {"scales": {"xAxes": [{"type": "time"}]}}});
        assert_eq!(needs_chartjs(&line, 2), None);
        let called = json!({"type": "line", "options": {"scales": {"xAxes": [{"type": "time", "ticks": {"callback": "f"}}]}}});
        assert_eq!(needs_chartjs(&called, 2), Some("time scale"));
        let bounded = json!({"type": "line", "options": {"scales": {"xAxes": [{"type": "time", "ticks": {"min": "2020-01-01"}}]}}});
        assert_eq!(needs_chartjs(&bounded, 2), None);
        let on_y = json!({"type": "line", "options": {"scales": {"yAxes": [{"type": "time"}]}}});
        assert_eq!(needs_chartjs(&on_y, 2), Some("time scale"));
        let two = json!({"type": "bar", "options": {"scales": {"yAxes": [{"id": "A"}, {"id": "B", "position": "left"}]}}});
        assert_eq!(needs_chartjs(&two, 2), Some("several axes"));
        let log =
            json!({"type": "line", "options": {"scales": {"yAxes": [{"type": "logarithmic"}]}}});
        assert_eq!(needs_chartjs(&log, 2), Some("logarithmic scale"));
        let log = json!({"type": "line", "options": {"scales": {"y": {"type": "logarithmic"}}}});
        assert_eq!(needs_chartjs(&log, 4), Some("logarithmic scale"));
        let plain = json!({"type": "bar", "options": {"scales": {"yAxes": [{"ticks": {"beginAtZero": true}}]}}});
        assert_eq!(needs_chartjs(&plain, 2), None);
        assert_eq!(needs_chartjs(&json!({"type": "pie"}), 2), None);
        let annotated = json!({"type": "line", "options": {"annotation": {"annotations": []}}});
        assert_eq!(needs_chartjs(&annotated, 2), Some("annotation plugin"));
        let labelled =
            json!({"type": "doughnut", "options": {"plugins": {"doughnutlabel": {"labels": []}}}});
        assert_eq!(needs_chartjs(&labelled, 2), Some("doughnutlabel plugin"));
        // The v2 spelling means nothing to Chart.js 3 and 4.
        assert_eq!(needs_chartjs(&time, 4), None);
        // Chart.js 3 and 4: a line's or a bar's `x` time scale is native,
        // stacked or not, bounded or not, and so is a `timeseries`; not a
        // callback's.
        let v4 = |chart: &str, x: Value| json!({"type": chart, "options": {"scales": {"x": x}}});
        let x = json!({"type": "time", "time": {"unit": "day"}});
        assert_eq!(needs_chartjs(&v4("line", x.clone()), 4), None);
        assert_eq!(needs_chartjs(&v4("scatter", x.clone()), 3), None);
        assert_eq!(needs_chartjs(&v4("bar", x.clone()), 4), None);
        // Stacked bars too: 3 and 4 stack by time, as the native renderer.
        let mut stacked = v4("bar", x);
        stacked["options"]["scales"]["y"] = json!({"stacked": true});
        assert_eq!(needs_chartjs(&stacked, 4), None);
        assert_eq!(
            needs_chartjs(&v4("line", json!({"type": "timeseries"})), 4),
            None
        );
        let called = json!({"type": "time", "ticks": {"callback": "f"}});
        assert_eq!(needs_chartjs(&v4("line", called), 4), Some("time scale"));
        let bounded = json!({"type": "time", "min": "2021-01-01", "max": 1612137600000.0});
        assert_eq!(needs_chartjs(&v4("line", bounded), 4), None);
        let widened = json!({"type": "time", "suggestedMin": "2021-01-01"});
        assert_eq!(needs_chartjs(&v4("line", widened), 4), None);
        let on_y = json!({"type": "line", "options": {"scales": {"y": {"type": "time"}}}});
        assert_eq!(needs_chartjs(&on_y, 4), Some("time scale"));
    }

    #[test]
    fn rounded_bars_are_native_but_in_stacks() {
        let bars = |radius: Value, stacked: bool| {
            json!({"type": "bar", "data": {"datasets": [{"data": [1], "borderRadius": radius}]},
                "options": {"scales": {"x": {"stacked": stacked}, "y": {"stacked": stacked}}}})
        };
        assert_eq!(needs_chartjs(&bars(json!(8), false), 4), None);
        assert_eq!(needs_chartjs(&bars(json!(0), true), 4), None);
        assert_eq!(
            needs_chartjs(&bars(json!({"topLeft": 4}), true), 3),
            Some("rounded bars in stacks")
        );
    }

    #[test]
    fn a_second_y_axis_on_the_right_is_native() {
        // Chart.js 2.9.4's multi-axis sample and QuickChart's docs.
        let sample = |first: Value, second: Value, ids: [Value; 2]| {
            json!({"type": "line", "data": {"datasets": [
                {"data": [1, 2], "yAxisID": ids[0]}, {"data": [3, 4], "yAxisID": ids[1]}
            ]}, "options": {"scales": {"yAxes": [first, second]}}})
        };
        let (left, right) = (
            json!({"id": "y-axis-1", "position": "left"}),
            json!({"id": "y-axis-2", "position": "right"}),
        );
        let ids = || [json!("y-axis-1"), json!("y-axis-2")];
        assert_eq!(
            needs_chartjs(&sample(left.clone(), right.clone(), ids()), 2),
            None
        );
        let unnamed = sample(
            json!({}),
            json!({"position": "right"}),
            [json!(null), json!("y-axis-1")],
        );
        assert_eq!(needs_chartjs(&unnamed, 2), None, "Chart.js's default ids");
        let both_left = sample(left.clone(), json!({"id": "y-axis-2"}), ids());
        assert_eq!(needs_chartjs(&both_left, 2), Some("several axes"));
        let stranger = sample(left.clone(), right.clone(), [json!("y-axis-1"), json!("z")]);
        assert_eq!(needs_chartjs(&stranger, 2), Some("several axes"));
        let stacked = sample(
            json!({"id": "y-axis-1", "stacked": true}),
            right.clone(),
            ids(),
        );
        assert_eq!(needs_chartjs(&stacked, 2), Some("several axes"));
        let mut horizontal = sample(left, right, ids());
        horizontal["type"] = json!("horizontalBar");
        assert_eq!(needs_chartjs(&horizontal, 2), Some("several axes"));
        // Chart.js 3/4: `y` and a scale on the right, each dataset naming its own.
        let v3 = |y1: Value, ids: [Value; 2]| {
            json!({"type": "line", "data": {"datasets": [
                {"data": [1, 2], "yAxisID": ids[0]}, {"data": [3, 4], "yAxisID": ids[1]}
            ]}, "options": {"scales": {"y": {"position": "left"}, "y1": y1}}})
        };
        let named = || [json!("y"), json!("y1")];
        let right = json!({"position": "right", "grid": {"drawOnChartArea": false}});
        assert_eq!(needs_chartjs(&v3(right.clone(), named()), 4), None);
        assert_eq!(needs_chartjs(&v3(right.clone(), named()), 3), None);
        let default_axis = v3(right.clone(), [json!(null), json!("y1")]);
        assert_eq!(needs_chartjs(&default_axis, 4), Some("several axes"));
        let left_too = v3(json!({"position": "left"}), named());
        assert_eq!(needs_chartjs(&left_too, 3), Some("several axes"));
    }

    #[test]
    fn v3_time_scales_second_axes_and_annotations_take_chartjs() {
        let time = json!({"type": "bar", "options": {"scales": {"y": {"type": "timeseries"}}}});
        assert_eq!(needs_chartjs(&time, 4), Some("time scale"));
        assert_eq!(needs_chartjs(&time, 3), Some("time scale"));
        let two = json!({"type": "line", "data": {"datasets": [{"data": [1]}]}, "options": {"scales": {"y": {}, "y1": {"position": "right"}}}});
        assert_eq!(needs_chartjs(&two, 4), Some("several axes"));
        let by_position = json!({"type": "bar", "options": {"scales": {"a": {"position": "left"}, "b": {"position": "right"}}}});
        assert_eq!(needs_chartjs(&by_position, 4), Some("several axes"));
        let by_axis =
            json!({"type": "bar", "options": {"scales": {"left": {"axis": "y"}, "y": {}}}});
        assert_eq!(needs_chartjs(&by_axis, 4), Some("several axes"));
        let one_each = json!({"type": "bar", "options": {"scales": {"x": {"stacked": true}, "y": {"beginAtZero": true}}}});
        assert_eq!(needs_chartjs(&one_each, 4), None);
        let annotated =
            json!({"type": "line", "options": {"plugins": {"annotation": {"annotations": {}}}}});
        assert_eq!(needs_chartjs(&annotated, 4), Some("annotation plugin"));
        assert_eq!(needs_chartjs(&json!({"type": "bar"}), 4), None);
    }

    #[test]
    fn quickchart_plugins_take_chartjs_unless_native_draws_them() {
        let with = |plugins: Value| json!({"type": "bar", "options": {"plugins": plugins}});
        let paired = with(json!({"colorschemes": {"scheme": "brewer.Paired12"}}));
        assert_eq!(needs_chartjs(&paired, 2), Some("colorschemes plugin"));
        let off = with(json!({"colorschemes": false}));
        assert_eq!(needs_chartjs(&off, 2), Some("colorschemes plugin"));
        let tableau = with(json!({"colorschemes": {"scheme": "tableau.Tableau10"}}));
        assert_eq!(needs_chartjs(&tableau, 2), None);
        let outlabels = with(json!({"outlabels": {"text": "%l"}}));
        assert_eq!(needs_chartjs(&outlabels, 2), Some("outlabels plugin"));
    }

    #[test]
    fn quickchart_types_take_chartjs_and_stand_in_for_the_parser() {
        let gauge = json!({"type": "radialGauge", "data": {"datasets": [{"data": [70]}]}});
        assert_eq!(needs_chartjs(&gauge, 2), Some("QuickChart chart type"));
        assert_eq!(stand_in(&gauge, 2)["type"], "doughnut");
        assert_eq!(
            stand_in(&gauge, 3),
            Cow::Borrowed(&gauge),
            "v2's types only"
        );
        let boxes = json!({"type": "horizontalBoxplot", "data": {"datasets": [{"data": [
            [1, 2, 3], {"min": 1, "q1": 2, "median": 3, "q3": 4, "max": 5, "outliers": [9]}, null
        ]}]}});
        let read = stand_in(&boxes, 2);
        assert_eq!(read["type"], "horizontalBar");
        let numbers = read["data"]["datasets"][0]["data"].as_array().unwrap();
        assert_eq!(numbers.len(), 10, "every number is a point: {numbers:?}");
        assert_eq!(numbers.last(), Some(&Value::Null), "gaps stay");
        let bar = json!({"type": "bar"});
        assert!(matches!(stand_in(&bar, 2), Cow::Borrowed(_)));
        let sankey = json!({"type": "sankey", "data": {"datasets": [{"data": [
            {"from": "Oil", "to": "Fossil Fuels", "flow": 15},
            {"from": "Coal", "to": "Fossil Fuels", "flow": 25}
        ]}]}});
        assert_eq!(needs_chartjs(&sankey, 4), Some("chart type of a plugin"));
        assert_eq!(needs_chartjs(&sankey, 3), Some("chart type of a plugin"));
        assert_eq!(needs_chartjs(&sankey, 2), None, "no sankey for Chart.js 2");
        assert!(wrong_version(&sankey, 2).is_some_and(|m| m.contains("3 or 4")));
        assert_eq!(wrong_version(&sankey, 4), None);
        assert!(wrong_version(&gauge, 4).is_some_and(|m| m.contains("2 (the default)")));
        assert_eq!(wrong_version(&bar, 4), None);
        let read = stand_in(&sankey, 4);
        assert_eq!(read["data"]["datasets"][0]["data"], json!([15, 25]));
        assert_eq!(needs_chartjs(&bar, 2), None);
    }
}
