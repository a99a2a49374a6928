//! Scales: the cartesian x/y axes (v2 `xAxes`/`yAxes`, v3 `scales.x/y`),
//! the radial scale, and the defaults of each.

use super::datasets::Shape;
use super::node::{num_of, wrong, Node, Res};
use super::styles::{font_v2, font_v3};
use super::tick_format;
use super::time::{time_read, time_scale, time_type, TimeRead};
use super::Ctx;
use crate::chart::route::y_and_other;
use crate::chart::spec::{Axis, Callback, ChartKind, PointLabels, Rgba, Scale, ScaleKind, TickFit};
use serde_json::Value;
/// Chart.js 2's `gridLines.zeroLineColor`, `rgba(0,0,0,0.25)`.
const ZERO_LINE: Rgba = Rgba(0, 0, 0, 64);
/// Chart.js's grid line color, `rgba(0,0,0,0.1)` (what the renderer draws).
const GRID_LINE: Rgba = Rgba(0, 0, 0, 26);

/// Axes of charts without x/y axes: not drawn, and all defaults, so that
/// stray axis options cannot split the key of a pie chart.
pub(super) fn hidden_scale() -> Scale {
    Scale {
        display: false,
        grid: false,
        ..Scale::chartjs(ScaleKind::Linear)
    }
}

/// The spec's `x` (index or horizontal) and `y` (value) axes, and its
/// second value axis when the chart has one (`Ctx::y2_id`). A horizontal
/// bar chart's index axis is its config's y axis, so the two swap.
pub(super) fn cartesian_scales(ctx: &Ctx, shape: Shape) -> Res<(Scale, Scale, Option<Scale>)> {
    use ChartKind::{Bar, Bubble, Line, Scatter};
    if !matches!(ctx.kind, Bar | Line | Scatter | Bubble) {
        return Ok((hidden_scale(), hidden_scale(), None));
    }
    let scales = ctx.options.child("scales")?;
    let (config_x, config_y) = if ctx.v3 {
        (scales.child("x")?, scales.child("y")?)
    } else {
        (scales.first_axis("xAxes")?, scales.first_axis("yAxes")?)
    };
    let (index, value) = match ctx.index_axis {
        Axis::Y => ((config_y, "left"), (config_x, "bottom")),
        Axis::X => ((config_x, "bottom"), (config_y, "left")),
    };
    let numeric_x =
        matches!(ctx.kind, Scatter | Bubble) || (ctx.kind == Line && shape.numeric_only());
    let x_default = if numeric_x {
        ScaleKind::Linear
    } else {
        ScaleKind::Category
    };
    let x = if ctx.time_x.is_some() && !shape.bad_time {
        time_axis(index.0, ctx)?
    } else {
        axis(
            index,
            ctx,
            x_default,
            !matches!(ctx.kind, Scatter | Bubble),
            false,
        )?
    };
    // Chart.js 3/4 bars start at zero. For v2 QuickChart adds `yAxes:
    // [{ticks: {beginAtZero: true}}]` when the config has no `scales` at
    // all, which reaches the value axis unless the bars are horizontal.
    let begin_at_zero = if ctx.v3 {
        ctx.kind == Bar
    } else {
        ctx.options.get("scales").is_none() && ctx.index_axis == Axis::X
    };
    let y = axis(value, ctx, ScaleKind::Linear, false, begin_at_zero)?;
    let y2 = ctx
        .y2_id
        .map(|id| {
            let node = if ctx.v3 {
                scales.child(id)?
            } else {
                scales.axis_at("yAxes", 1)?
            };
            axis(
                (node, "right"),
                ctx,
                ScaleKind::Linear,
                false,
                begin_at_zero,
            )
        })
        .transpose()?;
    Ok((x, y, y2))
}

/// One cartesian axis on `side`, the only side the native renderer draws
/// it on: a `position` naming another side stays unread, so the router
/// gives the chart to Chart.js.
pub(super) fn axis(
    (node, side): (Node, &str),
    ctx: &Ctx,
    default_kind: ScaleKind,
    category_ok: bool,
    begin_at_zero: bool,
) -> Res<Scale> {
    read_side(&node, side);
    let (mut scale, ty) = scale_options(&node, ctx, begin_at_zero)?;
    scale.kind = match ty {
        Some("logarithmic") => ScaleKind::Logarithmic,
        Some("linear") => ScaleKind::Linear,
        Some("category") if category_ok => ScaleKind::Category,
        _ => default_kind,
    };
    let numeric = matches!(scale.kind, ScaleKind::Linear | ScaleKind::Logarithmic);
    if numeric && scale.tick_callback.is_none() {
        scale.tick_format = ctx.tick_format.clone();
    }
    if ctx.v3 && scale.kind == ScaleKind::Linear {
        scale.locale_numbers = tick_format::locale_numbers(&node.child("ticks")?, ctx.locale)?;
    }
    Ok(scale)
}

/// The id of the config's second y axis, which the native renderer draws
/// on the chart area's right, when it has one: v2's second `yAxes` entry
/// (its `id`, else Chart.js's `y-axis-1`), v3/v4's y scale other than `y`.
/// The router has checked where it sits and who uses it.
pub(super) fn second_y_id<'a>(
    options: &Node<'a>,
    (kind, v3): (ChartKind, bool),
    index_axis: Axis,
) -> Option<&'a str> {
    use ChartKind::{Bar, Bubble, Line, Scatter};
    if index_axis == Axis::Y || !matches!(kind, Bar | Line | Scatter | Bubble) {
        return None;
    }
    let scales = options.map?.get("scales")?;
    if v3 {
        let [_, (other, _)] = y_and_other(scales.as_object()?)?;
        return Some(other.as_str());
    }
    match scales.get("yAxes")?.as_array()?.as_slice() {
        [_, second] => Some(
            second
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("y-axis-1"),
        ),
        _ => None,
    }
}

/// Radial scale of radar and polarArea charts: v2 `options.scale`, v3 `options.scales.r`.
pub(super) fn radial_scale(ctx: &Ctx) -> Res<Scale> {
    if !matches!(ctx.kind, ChartKind::Radar | ChartKind::PolarArea) {
        return Ok(hidden_scale());
    }
    let node = if ctx.v3 {
        ctx.options.child("scales")?.child("r")?
    } else {
        ctx.options.child("scale")?
    };
    // Chart.js (2.9.4 and 4) begins a polar area's scale at zero, a
    // radar's at its data's minimum.
    let (mut scale, ty) = scale_options(&node, ctx, ctx.kind == ChartKind::PolarArea)?;
    scale.kind = if ty == Some("logarithmic") {
        ScaleKind::Logarithmic
    } else {
        ScaleKind::Linear
    };
    scale.stacked = false;
    scale.title = None;
    // Chart.js draws a radial grid whatever `drawOnChartArea` says.
    scale.grid_on_area = true;
    // A radial scale draws its rings, not a zero line.
    scale.zero_line = None;
    Ok(scale)
}

/// A radar's point labels (v2 `scale.pointLabels`, v3/v4
/// `scales.r.pointLabels`), read as Chart.js 2.9.4 and 4 read them: a font
/// of their own, 10 px in the default color and family unless given.
/// Per-label colors are Chart.js's to draw: then nothing of them is read,
/// and the router sends the chart there.
pub(super) fn point_labels(ctx: &Ctx) -> Res<PointLabels> {
    if ctx.kind != ChartKind::Radar {
        return Ok(PointLabels::default());
    }
    let scale = if ctx.v3 {
        ctx.options.child("scales")?.child("r")?
    } else {
        ctx.options.child("scale")?
    };
    let node = scale.child("pointLabels")?;
    let Some(map) = node.map else {
        return Ok(PointLabels::default());
    };
    let color = map.get(if ctx.v3 { "color" } else { "fontColor" });
    if color.is_some_and(Value::is_array) {
        return Ok(PointLabels::default());
    }
    let (mut font, size) = if ctx.v3 {
        (font_v3(&node, false)?, node.child("font")?.get("size"))
    } else {
        (font_v2(&node, false)?, node.get("fontSize"))
    };
    if size.is_none() {
        font.size = PointLabels::SIZE;
    }
    Ok(PointLabels {
        display: node.bool("display")?.unwrap_or(true),
        font,
    })
}

/// Reads an axis's `position` when it is `side`, the side the native
/// renderer draws it on; another stays unread, for Chart.js to draw.
fn read_side(node: &Node, side: &str) {
    node.read_if("position", |v| (v.as_str() == Some(side)).then_some(()));
}

/// A time axis whose every x the parser read as a time.
fn time_axis(node: Node, ctx: &Ctx) -> Res<Scale> {
    read_side(&node, "bottom");
    node.read_if("type", |v| time_type(v, ctx.v4).then_some(()));
    let read = ctx.time_x;
    let mut scale = if ctx.v3 {
        scale_v3(&node, ctx, false, read)?
    } else {
        scale_v2(&node, ctx, false, read)?
    };
    let mut loose_bounds = [false; 2];
    if let (Some(read), false) = (read, ctx.v3) {
        // 2.9.4 takes `time.min` before `ticks.min` (its `getMin`), and
        // a bound that reads as 0 (`parse(…) || min`) as none.
        let time = node.child("time")?;
        let ticks = node.child("ticks")?;
        let bounds = [("min", &mut scale.min), ("max", &mut scale.max)];
        for ((key, bound), loose) in bounds.into_iter().zip(&mut loose_bounds) {
            if let Some(t) = time_at(&time, key, read) {
                *bound = Some(t);
                *loose = ticks.get(key).is_none();
            }
            *bound = bound.filter(|t| *t != 0.0);
        }
        // 2.9.4's time scale reads no `suggestedMin`/`suggestedMax`.
        (scale.suggested_min, scale.suggested_max) = (None, None);
    }
    let mut time = time_scale(&node, ctx.v3, ctx.kind == ChartKind::Bar)?;
    time.loose_bounds = loose_bounds;
    if ctx.v4 {
        // Chart.js 4 steps by `ticks.stepSize` (3.9.1 and 2.9.4 by
        // `time.stepSize`, which 4 ignores, and `time_scale` read for 3).
        time.step = scale
            .fit
            .step_size
            .filter(|s| s.fract() == 0.0 && *s <= 1e6)
            .map(|s| s as u32)
            .filter(|s| *s != 1);
    }
    Ok(Scale {
        kind: ScaleKind::Time,
        time: Some(time),
        ..scale
    })
}

/// The options of one scale and its `type`; the caller decides the kind.
/// A time type is left unread: the native renderer draws only the time
/// axes `time_axis` reads, and the router gives the others to Chart.js.
pub(super) fn scale_options<'a>(
    node: &Node<'a>,
    ctx: &Ctx,
    begin_at_zero: bool,
) -> Res<(Scale, Option<&'a str>)> {
    let timed = |v: &Value| matches!(v.as_str(), Some("time" | "timeseries"));
    let (ty, time) = match node.map.and_then(|m| m.get("type")) {
        // Its bounds are times (for the key: Chart.js draws it).
        Some(v) if timed(v) => (None, Some(time_read(node.map))),
        _ => (node.str("type")?, None),
    };
    let scale = if ctx.v3 {
        scale_v3(node, ctx, begin_at_zero, time)?
    } else {
        scale_v2(node, ctx, begin_at_zero, time)?
    };
    Ok((scale, ty))
}

/// v2: range options live under `ticks`, the title under `scaleLabel`.
/// `time`: how a time axis reads its bounds.
pub(super) fn scale_v2(
    node: &Node,
    ctx: &Ctx,
    begin_at_zero: bool,
    time: Option<TimeRead>,
) -> Res<Scale> {
    let ticks = node.child("ticks")?;
    let label = node.child("scaleLabel")?;
    let title_text = label.lines("labelString")?;
    Ok(Scale {
        display: display(node)?,
        kind: ScaleKind::Linear,
        stacked: stacked(node)?,
        min: bound(&ticks, "min", ctx, time)?,
        max: bound(&ticks, "max", ctx, time)?,
        suggested_min: suggested(&ticks, "suggestedMin", time)?,
        suggested_max: suggested(&ticks, "suggestedMax", time)?,
        begin_at_zero: ticks.bool("beginAtZero")?.unwrap_or(begin_at_zero),
        reverse: ticks.bool("reverse")?.unwrap_or(false),
        title: axis_title(label.bool("display")?, title_text),
        grid: node.child("gridLines")?.bool("display")?.unwrap_or(true),
        ticks: font_v2(&ticks, false)?,
        title_font: font_v2(&label, false)?,
        tick_callback: callback(&ticks, false),
        tick_format: None,
        locale_numbers: None,
        zero_line: Some(
            node.child("gridLines")?
                .color("zeroLineColor")?
                .unwrap_or(ZERO_LINE),
        )
        // In the grid's own color it is no zero line: the same picture as
        // Chart.js 3's, and the same key.
        .filter(|c| *c != GRID_LINE),
        fit: tick_fit(&ticks)?,
        grid_on_area: node
            .child("gridLines")?
            .flag("drawOnChartArea")
            .unwrap_or(true),
        v3: false,
        time: None,
    })
}

/// v3: range options sit on the scale, the title under `title`.
/// `time`: how a time axis reads its bounds.
pub(super) fn scale_v3(
    node: &Node,
    ctx: &Ctx,
    begin_at_zero: bool,
    time: Option<TimeRead>,
) -> Res<Scale> {
    let title = node.child("title")?;
    let title_text = title.lines("text")?;
    Ok(Scale {
        display: display(node)?,
        kind: ScaleKind::Linear,
        stacked: stacked(node)?,
        min: bound(node, "min", ctx, time)?,
        max: bound(node, "max", ctx, time)?,
        suggested_min: suggested(node, "suggestedMin", time)?,
        suggested_max: suggested(node, "suggestedMax", time)?,
        begin_at_zero: node.bool("beginAtZero")?.unwrap_or(begin_at_zero),
        reverse: node.bool("reverse")?.unwrap_or(false),
        title: axis_title(title.bool("display")?, title_text),
        grid: node.child("grid")?.bool("display")?.unwrap_or(true),
        ticks: font_v3(&node.child("ticks")?, false)?,
        title_font: font_v3(&title, false)?,
        tick_callback: callback(&node.child("ticks")?, true),
        tick_format: None,
        locale_numbers: None,
        zero_line: None,
        fit: tick_fit(&node.child("ticks")?)?,
        grid_on_area: node.child("grid")?.flag("drawOnChartArea").unwrap_or(true),
        v3: true,
        time: None,
    })
}

/// `ticks.minRotation`, `maxRotation`, `autoSkip`, `maxTicksLimit`,
/// `stepSize`, named alike in every version. A limit below one is no limit, as in Chart.js
/// (`maxTicksLimit || 11`).
fn tick_fit(ticks: &Node) -> Res<TickFit> {
    Ok(TickFit {
        min_rotation: ticks.num("minRotation")?,
        max_rotation: ticks.num("maxRotation")?,
        auto_skip: ticks.bool("autoSkip")?,
        max_ticks_limit: ticks
            .num("maxTicksLimit")?
            .filter(|n| *n >= 1.0)
            .map(|n| n.min(1e6) as usize),
        // 0 or less is no step, as `stepSize || 1` makes it in Chart.js.
        step_size: ticks.num("stepSize")?.filter(|s| s.is_finite() && *s > 0.0),
    })
}

fn callback(ticks: &Node, v3: bool) -> Option<Callback> {
    ticks.function("callback").map(|source| Callback {
        source,
        v3,
        labels: None,
    })
}

pub(super) fn axis_title(display: Option<bool>, lines: Vec<String>) -> Option<String> {
    let text = lines.join("\n");
    (display == Some(true) && !text.is_empty()).then_some(text)
}

/// `display` is a boolean or `'auto'` (drawn when it has something to show).
pub(super) fn display(node: &Node) -> Res<bool> {
    match node.get("display") {
        None => Ok(true),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "auto" => Ok(true),
        Some(other) => Err(wrong(
            &node.path_of("display"),
            "true, false or 'auto'",
            other,
        )),
    }
}

/// `stacked` is a boolean or `'single'` (v3: stack without grouping).
pub(super) fn stacked(node: &Node) -> Res<bool> {
    match node.get("stacked") {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "single" => Ok(true),
        Some(other) => Err(wrong(
            &node.path_of("stacked"),
            "true, false or 'single'",
            other,
        )),
    }
}

/// `suggestedMin`/`suggestedMax`: a number, or on a time axis a time read
/// as its x values are (one it cannot read stays unread, for Chart.js).
fn suggested(node: &Node, key: &str, time: Option<TimeRead>) -> Res<Option<f64>> {
    match time {
        Some(read) => Ok(time_at(node, key, read)),
        None => node.num(key),
    }
}

/// The time at `key`, read as the axis reads its x values; unread if it is
/// none it reads.
fn time_at(node: &Node, key: &str, read: TimeRead) -> Option<f64> {
    node.read_if(key, |v| read.millis(v))
}

/// `min`/`max`: a number, or on a category axis a label (its index), or
/// on a time axis a time read as its x values are (one it cannot read
/// stays unread, for Chart.js).
pub(super) fn bound(node: &Node, key: &str, ctx: &Ctx, time: Option<TimeRead>) -> Res<Option<f64>> {
    if let Some(read) = time {
        return Ok(time_at(node, key, read));
    }
    let Some(v) = node.get(key) else {
        return Ok(None);
    };
    if let Some(n) = num_of(v) {
        return Ok(Some(n));
    }
    match v {
        Value::String(s) => match ctx.label_position(s) {
            Some(i) => Ok(Some(i as f64)),
            None => Err(wrong(
                &node.path_of(key),
                "a number or one of the labels",
                v,
            )),
        },
        other => Err(wrong(&node.path_of(key), "a number", other)),
    }
}
