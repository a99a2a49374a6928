//! Datasets: category labels, each dataset's points (numbers, `{x, y}`
//! or bubble `{x, y, r}`), and what the points say about the x axis.

use super::datalabels::datalabels;
use super::marks::{marks, overflow};
use super::node::{num_of, text_of, wrong, Node, Res};
use super::styles::{border_dash, line_style, paints, point_style, Palette};
use super::{type_option, Ctx};
use crate::chart::literal::number_text;
use crate::chart::spec::{Axis, BarFit, ChartKind, Dataset, Datum, Legend, PointStyle};
use crate::chart::ChartError;
use crate::config::Limits;
use serde_json::Value;
pub(super) fn labels(data: &Node, limits: &Limits) -> Res<Vec<String>> {
    let Some(v) = data.get("labels") else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = v else {
        return Err(wrong(&data.path_of("labels"), "an array", v));
    };
    if items.len() > limits.max_labels {
        return Err(ChartError::limit(format!(
            "the chart has {} labels; at most {} are allowed",
            items.len(),
            limits.max_labels
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            label(item, true).ok_or_else(|| {
                wrong(
                    &format!("data.labels[{i}]"),
                    "a string, a number or an array of lines",
                    item,
                )
            })
        })
        .collect()
}

/// One category label as Chart.js shows it; an array is drawn as lines.
pub(super) fn label(v: &Value, lines_allowed: bool) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(lines) if lines_allowed => lines
            .iter()
            .map(|l| label(l, false))
            .collect::<Option<Vec<_>>>()
            .map(|l| l.join("\n")),
        other => text_of(other),
    }
}

/// What the data points say about the x axis, over all datasets.
#[derive(Clone, Copy, Default)]
pub(super) struct Shape {
    /// Some data were plain values (their x is their index).
    pub(super) plain: bool,
    /// Some points gave a numeric x.
    pub(super) numeric_x: bool,
    /// Some points named a label as x.
    pub(super) label_x: bool,
    /// On a time axis, some x (or label) was no time the parser reads.
    pub(super) bad_time: bool,
}

impl Shape {
    /// A line chart whose points all carry numeric x reads as an x/y plot.
    pub(super) fn numeric_only(self) -> bool {
        self.numeric_x && !self.plain && !self.label_x
    }
}

/// Counters that run across datasets.
#[derive(Default)]
pub(super) struct Running {
    /// Where the default palette is.
    pub(super) palette: Palette,
    pub(super) shape: Shape,
    /// How far the datasets' points and lines reach past the chart area
    /// (Chart.js 3's `getMaxOverflow`, `marks::overflow`), CSS pixels.
    pub(super) overflow: f64,
}

pub(super) fn datasets(data: &Node, ctx: &Ctx, limits: &Limits) -> Res<(Vec<Dataset>, Running)> {
    let Some(v) = data.get("datasets") else {
        return Ok((Vec::new(), Running::default()));
    };
    let Value::Array(items) = v else {
        return Err(wrong(&data.path_of("datasets"), "an array", v));
    };
    if items.len() > limits.max_datasets {
        return Err(ChartError::limit(format!(
            "the chart has {} datasets; at most {} are allowed",
            items.len(),
            limits.max_datasets
        )));
    }
    let points: usize = items
        .iter()
        .filter_map(|d| d.get("data")?.as_array().map(Vec::len))
        .sum::<usize>()
        + ctx.packed.count();
    if points > limits.max_points {
        return Err(ChartError::limit(format!(
            "the chart has {points} data points over all datasets; at most {} are allowed",
            limits.max_points
        )));
    }
    let mut run = Running::default();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("data.datasets[{i}]");
        let Value::Object(map) = item else {
            return Err(wrong(&path, "an object", item));
        };
        out.push(dataset(&Node::new(Some(map), path), i, ctx, &mut run)?);
    }
    Ok((out, run))
}

/// The datasets in Chart.js's order (2.9 and later): by their `order`, then
/// their index (`_getSortedDatasetMetas`), which is the order Chart.js
/// draws, stacks, groups bars and lists the legend in; `legend.filtered`
/// follows them. Pie, doughnut and polar area charts place rings and
/// slices by index and take the legend from the first dataset: a nonzero
/// `order` there stays unread, for Chart.js to draw.
pub(super) fn by_order(
    data: &Node,
    ctx: &Ctx,
    datasets: Vec<Dataset>,
    legend: &mut Legend,
) -> Vec<Dataset> {
    let round = matches!(
        ctx.kind,
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea
    );
    let items = data.get("datasets").and_then(Value::as_array);
    let order = |i: usize| {
        let Some(Value::Object(map)) = items.and_then(|items| items.get(i)) else {
            return 0.0;
        };
        let node = Node::new(Some(map), format!("data.datasets[{i}]"));
        node.read_if("order", |v| v.as_f64().filter(|o| !round || *o == 0.0))
            .unwrap_or(0.0)
    };
    let mut keyed: Vec<(f64, usize, Dataset)> = datasets
        .into_iter()
        .enumerate()
        .map(|(i, ds)| (order(i), i, ds))
        .collect();
    if keyed.iter().all(|(o, _, _)| *o == 0.0) {
        return keyed.into_iter().map(|(_, _, ds)| ds).collect();
    }
    // Only charts whose legend lists datasets get here (a round chart's
    // orders are all zero), so `filtered` holds dataset indices.
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let position = |old: usize| keyed.iter().position(|(_, i, _)| *i == old);
    legend.filtered = legend
        .filtered
        .iter()
        .filter_map(|&i| position(i))
        .collect();
    keyed.into_iter().map(|(_, _, ds)| ds).collect()
}

pub(super) fn dataset(ds: &Node, index: usize, ctx: &Ctx, run: &mut Running) -> Res<Dataset> {
    let (kind, _) = type_option(ds, Some(ctx.kind))?;
    let data = data_points(ds, index, kind, ctx, &mut run.shape)?;
    let paints = paints(ds, (index, kind), data.len(), ctx, &mut run.palette)?;
    let line = line_style(ds, kind, ctx)?;
    let point = ctx.elements.child("point")?;
    let marks = marks((ds, &point), (index, kind), data.len(), ctx)?;
    let border_width = ds
        .size(&["borderWidth"])?
        .or(ctx.element(kind)?.size(&["borderWidth"])?)
        .unwrap_or(default_border_width(kind));
    let out = Dataset {
        kind,
        label: ds.text("label")?.unwrap_or_default(),
        data,
        background: paints.background,
        border: paints.border,
        border_width,
        legend_border_width: legend_border_width(ds, kind, ctx)?.filter(|w| *w != border_width),
        border_dash: border_dash(ds)?,
        fill: line.fill,
        tension: line.tension,
        stepped: line.stepped,
        // Where `marks` holds a list, it has read every option given:
        // these are the point element's built-in defaults.
        point_style: match marks.style.is_empty() {
            true => point_style(ds.get("pointStyle").or(point.get("pointStyle"))),
            false => PointStyle::Circle,
        },
        point_radius: match marks.radius.is_empty() {
            true => ds
                .size(&["pointRadius", "radius"])?
                .or(point.size(&["radius"])?)
                .unwrap_or(3.0),
            false => 3.0,
        },
        show_line: line.show_line,
        legend_solid: line.legend_solid,
        span_gaps: line.span_gaps,
        point_colors: paints.point_colors,
        bar_fit: bar_fit(ds, ctx)?,
        bar_corners: bar_corners(ds, kind, ctx)?,
        border_skipped: border_skipped(ds, kind, ctx)?,
        hidden: ds.bool("hidden")?.unwrap_or(false),
        on_y2: ctx
            .y2_id
            .is_some_and(|id| axis_id(ds, "yAxisID") == Some(id)),
        stack: ds.text("stack")?.unwrap_or_default(),
        shades: paints.shades,
        border_shade: paints.border_shade,
        datalabels: datalabels(ds, index, kind, ctx)?,
        marks,
    };
    if ctx.v3 {
        run.overflow = run.overflow.max(overflow(&out, hover_radius(ds, &point)?));
    }
    Ok(out)
}

/// The radius Chart.js 3 gives a hovered point, which its layout keeps
/// room for (`PointElement.size`): `pointHoverRadius`, else `hoverRadius`,
/// else the point element's, 4.
fn hover_radius(ds: &Node, point: &Node) -> Res<f64> {
    Ok(ds
        .size(&["pointHoverRadius", "hoverRadius"])?
        .or(point.size(&["hoverRadius"])?)
        .unwrap_or(4.0))
}

/// The axis id a dataset names at `key` (`yAxisID`). Read past the node:
/// an id changes the picture only through the axis it names, which the
/// parser reads.
fn axis_id<'a>(ds: &Node<'a>, key: &str) -> Option<&'a str> {
    ds.map?.get(key)?.as_str()
}

/// What Chart.js 2.9.4 strokes a scatter dataset's legend box with: its
/// dataset element is a line (`getStyle` resolves the line's options), so
/// `borderWidth`, else `elements.line.borderWidth`, else 3. Chart.js 3 and
/// 4 scatter charts have no dataset element: their legend takes the
/// point's width, as every other kind takes its own element's.
fn legend_border_width(ds: &Node, kind: ChartKind, ctx: &Ctx) -> Res<Option<f64>> {
    if kind != ChartKind::Scatter || ctx.v3 {
        return Ok(None);
    }
    let own = ds.size(&["borderWidth"])?;
    let line = ctx.elements.child("line")?.size(&["borderWidth"])?;
    Ok(Some(own.or(line).unwrap_or(3.0)))
}

/// Chart.js element defaults: lines 3, bars 0, arcs 2, points 1.
pub(super) fn default_border_width(kind: ChartKind) -> f64 {
    match kind {
        ChartKind::Line | ChartKind::Radar => 3.0,
        ChartKind::Bar => 0.0,
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => 2.0,
        ChartKind::Scatter | ChartKind::Bubble => 1.0,
    }
}

pub(super) fn data_points(
    ds: &Node,
    index: usize,
    kind: ChartKind,
    ctx: &Ctx,
    shape: &mut Shape,
) -> Res<Vec<Datum>> {
    let path = ds.path_of("data");
    let items = match ds.get("data") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(wrong(&path, "an array", other)),
    };
    if let Some(points) = ctx.packed.points(index) {
        // Read as the `{x, y}` objects they were, without building them.
        return points
            .iter()
            .enumerate()
            .map(|(i, &[x, y])| {
                let (x, y) = (Value::from(x), Value::from(y));
                let field = |key: &str| match key {
                    "x" => Some(&x),
                    "y" => Some(&y),
                    _ => None,
                };
                point(&field, kind, ctx, shape, &|| format!("{path}[{i}]"))
            })
            .collect();
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| datum(v, kind, ctx, shape, &|| format!("{path}[{i}]")))
        .collect()
}

pub(super) fn datum(
    v: &Value,
    kind: ChartKind,
    ctx: &Ctx,
    shape: &mut Shape,
    at: &dyn Fn() -> String,
) -> Res<Datum> {
    let expected = "a number, null or an {x, y} point";
    match v {
        Value::Null => Ok(Datum::Gap),
        Value::Object(p) => point(&|key| p.get(key), kind, ctx, shape, at),
        Value::Array(ends) if kind == ChartKind::Bar => floating_bar(ends, ctx, shape, at),
        Value::Array(_) => Err(ChartError::bad(format!(
            "`{}` is an array; data points must be numbers, null or {{x, y}} points \
             ([start, end] pairs are floating bars, for bar datasets)",
            at()
        ))),
        other => {
            shape.plain = true;
            let value_axis = match ctx.index_axis {
                Axis::X => Axis::Y,
                Axis::Y => Axis::X,
            };
            let y = ctx
                .value_on(value_axis, other)
                .ok_or_else(|| wrong(&at(), expected, other))?;
            Ok(y.map_or(Datum::Gap, Datum::Y))
        }
    }
}

/// A floating bar, `[start, end]` (Chart.js 2.9 and later): the router
/// gives the chart to Chart.js (`route::floating_bars`); its ends are read
/// as Chart.js reads them (numbers, or times on a time value axis) for the
/// limits, and the datum is its end. Chart.js reads the first two items;
/// a pair it cannot read is no bar.
fn floating_bar(
    ends: &[Value],
    ctx: &Ctx,
    shape: &mut Shape,
    at: &dyn Fn() -> String,
) -> Res<Datum> {
    let [start, end, ..] = ends else {
        return Ok(Datum::Gap);
    };
    let mut value = |v: &Value, i: usize| match v {
        Value::Array(_) | Value::Object(_) => Ok(Datum::Gap),
        v => datum(v, ChartKind::Bar, ctx, shape, &|| format!("{}[{i}]", at())),
    };
    Ok(match (value(start, 0)?, value(end, 1)?) {
        (Datum::Y(_), Datum::Y(end)) => Datum::Y(end),
        _ => Datum::Gap,
    })
}

/// An `{x, y}` (or bubble `{x, y, r}`) point, by its fields. On a category
/// axis a string x names a label, and the datum's x is that label's index.
pub(super) fn point<'v>(
    fields: &dyn Fn(&str) -> Option<&'v Value>,
    kind: ChartKind,
    ctx: &Ctx,
    shape: &mut Shape,
    at: &dyn Fn() -> String,
) -> Res<Datum> {
    // Horizontal bars read their category from `y` and their value from `x`.
    let ((index_key, index_axis), (value_key, value_axis)) =
        if ctx.index_axis == Axis::Y && kind == ChartKind::Bar {
            (("y", Axis::Y), ("x", Axis::X))
        } else {
            (("x", Axis::X), ("y", Axis::Y))
        };
    let field = |key: &str| fields(key).filter(|v| !v.is_null());
    let Some(raw_value) = field(value_key) else {
        return Ok(Datum::Gap);
    };
    let Some(value) = ctx
        .value_on(value_axis, raw_value)
        .ok_or_else(|| wrong(&format!("{}.{value_key}", at()), "a number", raw_value))?
    else {
        return Ok(Datum::Gap);
    };
    // Chart.js 2's time scale reads `t` before `x`; 3 and 4 read `x` alone.
    let raw_x = match field("t") {
        Some(t) if ctx.time_x.is_some() && !ctx.v3 => Some(t),
        _ => field(index_key),
    };
    let Some(raw_x) = raw_x else {
        shape.plain = true;
        return Ok(Datum::Y(value));
    };
    let at_x = || format!("{}.{index_key}", at());
    let Some(x) = x_coordinate(raw_x, index_axis, ctx, shape, &at_x)? else {
        // A label the chart does not have: Chart.js v2 does not draw it.
        return Ok(Datum::Gap);
    };
    if kind != ChartKind::Bubble {
        return Ok(Datum::Xy(x, value));
    }
    let r = match field("r") {
        None => 3.0,
        Some(raw) => num_of(raw)
            .filter(|r| *r >= 0.0)
            .ok_or_else(|| wrong(&format!("{}.r", at()), "a non-negative number", raw))?,
    };
    Ok(Datum::Xyr(x, value, r))
}

pub(super) fn x_coordinate(
    raw: &Value,
    axis: Axis,
    ctx: &Ctx,
    shape: &mut Shape,
    at: &dyn Fn() -> String,
) -> Res<Option<f64>> {
    if let Some(read) = ctx.time_x {
        let t = read.millis(raw);
        shape.bad_time |= t.is_none();
        return Ok(t);
    }
    if let Some(t) = ctx.time_elsewhere(axis, raw) {
        return Ok(t);
    }
    if let (Value::String(s), true) = (raw, ctx.category_x()) {
        if let Some(i) = ctx.label_position(s) {
            shape.label_x = true;
            return Ok(Some(i as f64));
        }
        if number_text(s).is_none() {
            return Ok(None);
        }
    }
    let x = num_of(raw).ok_or_else(|| wrong(&at(), "a number", raw))?;
    shape.numeric_x = true;
    Ok(Some(x))
}

/// A dataset's bar sizing: its own options, else (v2, where Chart.js 2.9
/// still reads them there) its index axis's. `barThickness: 'flex'` is
/// left unread: the native renderer draws fixed thicknesses only, so the
/// router sends a flexing chart to Chart.js.
/// A bar dataset's `borderRadius`, else `elements.bar.borderRadius`
/// (Chart.js 3 and 4): one radius for every corner, or `{topLeft,
/// topRight, bottomRight, bottomLeft}` (a corner left out is square).
/// Chart.js 2.9.4 has no rounded bars: there it is read, and the bars
/// drawn square as 2.9.4 draws them. A list or a function stays unread,
/// for Chart.js to draw.
fn bar_corners(ds: &Node, kind: ChartKind, ctx: &Ctx) -> Res<[f64; 4]> {
    const KEY: &str = "borderRadius";
    if kind != ChartKind::Bar {
        return Ok([0.0; 4]);
    }
    if !ctx.v3 {
        ds.read_if(KEY, |_| Some(()));
        return Ok([0.0; 4]);
    }
    let element = ctx.element(kind)?;
    for node in [ds, &element] {
        if node.map.and_then(|m| m.get(KEY)).is_some() {
            return Ok(node.read_if(KEY, corners).unwrap_or([0.0; 4]));
        }
    }
    Ok([0.0; 4])
}

/// A Chart.js 3 or 4 bar dataset's `borderSkipped`, else the bar
/// element's: `'start'` (the default: no border on the base edge) or
/// `false` (a border all round). Other edges stay unread, for Chart.js.
fn border_skipped(ds: &Node, kind: ChartKind, ctx: &Ctx) -> Res<bool> {
    const KEY: &str = "borderSkipped";
    if kind != ChartKind::Bar || !ctx.v3 {
        return Ok(true);
    }
    let read = |v: &Value| match v {
        Value::Bool(false) => Some(false),
        Value::String(s) if s == "start" => Some(true),
        _ => None,
    };
    let element = ctx.element(kind)?;
    for node in [ds, &element] {
        if node.map.and_then(|m| m.get(KEY)).is_some() {
            return Ok(node.read_if(KEY, read).unwrap_or(true));
        }
    }
    Ok(true)
}

/// `borderRadius` as Chart.js's `toTRBLCorners` reads it, negatives square.
fn corners(v: &Value) -> Option<[f64; 4]> {
    const NAMES: [&str; 4] = ["topLeft", "topRight", "bottomRight", "bottomLeft"];
    let radius = |v: &Value| num_of(v).map(|r| r.max(0.0));
    match v {
        Value::Object(o) => {
            if o.keys().any(|k| !NAMES.contains(&k.as_str())) {
                return None;
            }
            let mut out = [0.0; 4];
            for (r, name) in out.iter_mut().zip(NAMES) {
                if let Some(v) = o.get(name) {
                    *r = radius(v)?;
                }
            }
            Some(out)
        }
        v => radius(v).map(|r| [r; 4]),
    }
}

fn bar_fit(ds: &Node, ctx: &Ctx) -> Res<BarFit> {
    let axis = if ctx.v3 {
        Node::new(None, String::new())
    } else {
        let key = if ctx.index_axis == Axis::Y {
            "yAxes"
        } else {
            "xAxes"
        };
        ctx.options.child("scales")?.first_axis(key)?
    };
    let size = |key: &str| -> Res<Option<f64>> {
        for node in [ds, &axis] {
            let given = node.map.and_then(|m| m.get(key));
            if given.is_some_and(|v| v.is_number() || v.is_string() && key != "barThickness") {
                return Ok(node.num(key)?.map(|v| v.max(0.0)));
            }
        }
        Ok(None)
    };
    Ok(BarFit {
        bar_percentage: size("barPercentage")?,
        category_percentage: size("categoryPercentage")?,
        bar_thickness: size("barThickness")?,
        max_bar_thickness: size("maxBarThickness")?,
    })
}
