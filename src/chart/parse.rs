//! Chart.js config (v2, v3 or v4 option layout) → the typed, fully defaulted
//! `ChartSpec`.
//!
//! Every default is written out here, per Chart.js major version, so that a
//! config that spells a default explicitly and one that leaves it out give
//! the same spec, and so the same cache key. Options that cannot change the
//! picture (a line's tension when no line is drawn) are normalized away for
//! the same reason. Unknown options are ignored, as Chart.js ignores them;
//! a known option with the wrong type is a `BadRequest` naming its path.

use super::color::parse_color;
use super::literal::{js_number, number_text};
use super::spec::{
    Axis, ChartKind, ChartSpec, Dataset, Datum, Fill, Font, Legend, Paint, PointStyle, Position,
    Rgba, Scale, ScaleKind, Stepped, Title,
};
use super::ChartError;
use crate::config::Limits;
use serde_json::{Map, Value};
use std::cell::OnceCell;
use std::collections::HashMap;

type Res<T> = Result<T, ChartError>;
type Obj = Map<String, Value>;

/// The Chart.js 3/4 Colors plugin palette (its border colors).
const PALETTE: [Rgba; 7] = [
    Rgba(54, 162, 235, 255),
    Rgba(255, 99, 132, 255),
    Rgba(255, 159, 64, 255),
    Rgba(255, 205, 86, 255),
    Rgba(75, 192, 192, 255),
    Rgba(153, 102, 255, 255),
    Rgba(201, 203, 207, 255),
];

/// The plugin's background colors are the palette at alpha 0.5.
const HALF_ALPHA: u8 = 128;

const TYPES: &str = "bar, horizontalBar, line, scatter, bubble, pie, doughnut, radar, polarArea";

/// Builds the spec of a Chart.js config written for Chart.js `version`
/// (2, 3 or 4; 4 reads like 3).
pub fn chart_spec(config: &Value, version: u8, limits: &Limits) -> Result<ChartSpec, ChartError> {
    let Value::Object(root) = config else {
        return Err(ChartError::bad(format!(
            "the chart config must be an object like {{type: 'bar', data: {{...}}}}, not {}",
            describe(config)
        )));
    };
    let root = Node::new(Some(root), String::new());
    let (kind, horizontal) = chart_type(&root)?;
    let v3 = version >= 3;
    let options = root.child("options")?;
    let data = root.child("data")?;
    let labels = labels(&data, limits)?;
    let ctx = Ctx {
        v3,
        kind,
        index_axis: index_axis(&options, kind, horizontal, v3)?,
        labels: &labels,
        label_index: OnceCell::new(),
        elements: options.child("elements")?,
        options: options.clone(),
    };
    let (datasets, shape) = datasets(&data, &ctx, limits)?;
    let (x, y) = cartesian_scales(&ctx, shape)?;
    let r = radial_scale(&ctx)?;
    let index_axis = ctx.index_axis;
    drop(ctx);
    Ok(ChartSpec {
        kind,
        index_axis,
        labels,
        datasets,
        title: title(&options, v3)?,
        legend: legend(&options, v3)?,
        x,
        y,
        r,
        cutout: cutout(&options, kind, v3)?,
        padding: padding(&options)?,
    })
}

/// What every part of one chart's parse needs to know.
struct Ctx<'a> {
    v3: bool,
    kind: ChartKind,
    index_axis: Axis,
    labels: &'a [String],
    /// Label → first index, built on the first `{x: 'label'}` point.
    label_index: OnceCell<HashMap<&'a str, usize>>,
    options: Node<'a>,
    /// `options.elements`: chart-wide dataset defaults.
    elements: Node<'a>,
}

impl<'a> Ctx<'a> {
    /// Whether string x values name labels (everything but scatter/bubble).
    fn category_x(&self) -> bool {
        !matches!(self.kind, ChartKind::Scatter | ChartKind::Bubble)
    }

    fn label_position(&self, label: &str) -> Option<usize> {
        let index = self.label_index.get_or_init(|| {
            let mut map = HashMap::with_capacity(self.labels.len());
            for (i, l) in self.labels.iter().enumerate() {
                map.entry(l.as_str()).or_insert(i);
            }
            map
        });
        index.get(label).copied()
    }

    /// The `options.elements` entry whose defaults apply to a dataset kind.
    fn element(&self, kind: ChartKind) -> Res<Node<'a>> {
        let name = match kind {
            ChartKind::Line | ChartKind::Radar => "line",
            ChartKind::Bar if self.v3 => "bar",
            ChartKind::Bar => "rectangle",
            ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => "arc",
            ChartKind::Scatter | ChartKind::Bubble => "point",
        };
        self.elements.child(name)
    }
}

/// An optional config object and the path that names it in messages.
#[derive(Clone)]
struct Node<'a> {
    map: Option<&'a Obj>,
    path: String,
}

impl<'a> Node<'a> {
    fn new(map: Option<&'a Obj>, path: String) -> Self {
        Node { map, path }
    }

    fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// `null` (and `undefined`) mean "not given", as in Chart.js.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map?.get(key).filter(|v| !v.is_null())
    }

    /// The first of several spellings of one option that is given.
    fn pick(&self, keys: &[&'static str]) -> Option<(&'static str, &'a Value)> {
        keys.iter().find_map(|k| self.get(k).map(|v| (*k, v)))
    }

    fn child(&self, key: &str) -> Res<Node<'a>> {
        match self.get(key) {
            None => Ok(Node::new(None, self.path_of(key))),
            Some(Value::Object(m)) => Ok(Node::new(Some(m), self.path_of(key))),
            Some(other) => Err(wrong(&self.path_of(key), "an object", other)),
        }
    }

    fn bool(&self, key: &str) -> Res<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong(&self.path_of(key), "true or false", other)),
        }
    }

    fn num(&self, key: &str) -> Res<Option<f64>> {
        self.get(key)
            .map(|v| num_of(v).ok_or_else(|| wrong(&self.path_of(key), "a number", v)))
            .transpose()
    }

    fn str(&self, key: &str) -> Res<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong(&self.path_of(key), "a string", other)),
        }
    }

    /// A string, or a number shown as JavaScript prints it.
    fn text(&self, key: &str) -> Res<Option<String>> {
        self.get(key)
            .map(|v| text_of(v).ok_or_else(|| wrong(&self.path_of(key), "a string", v)))
            .transpose()
    }

    /// Text that may be one line or an array of lines (titles).
    fn lines(&self, key: &str) -> Res<Vec<String>> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        let expected = "a string or an array of strings";
        match v {
            Value::Array(items) => items
                .iter()
                .map(|item| text_of(item).ok_or_else(|| wrong(&self.path_of(key), expected, item)))
                .collect(),
            other => {
                Ok(vec![text_of(other).ok_or_else(|| {
                    wrong(&self.path_of(key), expected, other)
                })?])
            }
        }
    }

    fn color(&self, key: &str) -> Res<Option<Rgba>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => color_at(s, &self.path_of(key)).map(Some),
            Some(other) => Err(wrong(&self.path_of(key), "a color string", other)),
        }
    }

    /// A width or radius. Chart.js also takes per-point arrays here; the spec
    /// keeps one value per dataset, the first.
    fn size(&self, keys: &[&'static str]) -> Res<Option<f64>> {
        let Some((key, v)) = self.pick(keys) else {
            return Ok(None);
        };
        let v = match v {
            Value::Array(items) => match items.first() {
                Some(first) => first,
                None => return Ok(None),
            },
            v => v,
        };
        match num_of(v) {
            Some(n) if n >= 0.0 => Ok(Some(n)),
            _ => Err(wrong(&self.path_of(key), "a non-negative number", v)),
        }
    }
}

/// A number, or a string that reads as one (Chart.js coerces "3" to 3).
fn num_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).map(no_negative_zero),
        Value::String(s) => number_text(s),
        _ => None,
    }
}

fn no_negative_zero(f: f64) -> f64 {
    if f == 0.0 {
        0.0
    } else {
        f
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) => num_of(v).map(js_number),
        _ => None,
    }
}

fn color_at(s: &str, path: &str) -> Res<Rgba> {
    parse_color(s).map_err(|e| ChartError::bad(format!("`{path}`: {e}")))
}

fn wrong(path: &str, expected: &str, got: &Value) -> ChartError {
    ChartError::bad(format!(
        "`{path}` must be {expected}, not {}",
        describe(got)
    ))
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(_) => format!("the number {}", num_of(v).map_or("?".into(), js_number)),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            let more = if shown.len() < s.len() { "..." } else { "" };
            format!("the string '{}{more}'", shown.escape_debug())
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn kind_of(name: &str) -> Option<(ChartKind, bool)> {
    Some(match name {
        "bar" => (ChartKind::Bar, false),
        "horizontalBar" => (ChartKind::Bar, true),
        "line" => (ChartKind::Line, false),
        "scatter" => (ChartKind::Scatter, false),
        "bubble" => (ChartKind::Bubble, false),
        "pie" => (ChartKind::Pie, false),
        "doughnut" => (ChartKind::Doughnut, false),
        "radar" => (ChartKind::Radar, false),
        "polarArea" => (ChartKind::PolarArea, false),
        _ => return None,
    })
}

/// A `type` option: the kind, and whether it was `horizontalBar`.
fn type_option(node: &Node, default: Option<ChartKind>) -> Res<(ChartKind, bool)> {
    let path = node.path_of("type");
    let Some(name) = node.str("type")? else {
        return default.map(|k| (k, false)).ok_or_else(|| {
            ChartError::bad(format!("missing chart type: set `type` to one of {TYPES}"))
        });
    };
    kind_of(name).ok_or_else(|| {
        let shown: String = name.chars().take(40).collect();
        ChartError::bad(format!(
            "unknown chart type '{}' in `{path}`; supported types: {TYPES}",
            shown.escape_debug()
        ))
    })
}

fn chart_type(root: &Node) -> Res<(ChartKind, bool)> {
    type_option(root, None)
}

fn index_axis(options: &Node, kind: ChartKind, horizontal: bool, v3: bool) -> Res<Axis> {
    let configured = if v3 { options.str("indexAxis")? } else { None };
    let horizontal = horizontal
        || match configured {
            None | Some("x") => false,
            Some("y") => true,
            Some(other) => {
                return Err(wrong(
                    &options.path_of("indexAxis"),
                    "'x' or 'y'",
                    &Value::String(other.into()),
                ))
            }
        };
    Ok(if horizontal && kind == ChartKind::Bar {
        Axis::Y
    } else {
        Axis::X
    })
}

fn labels(data: &Node, limits: &Limits) -> Res<Vec<String>> {
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
fn label(v: &Value, lines_allowed: bool) -> Option<String> {
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
struct Shape {
    /// Some data were plain values (their x is their index).
    plain: bool,
    /// Some points gave a numeric x.
    numeric_x: bool,
    /// Some points named a label as x.
    label_x: bool,
}

impl Shape {
    /// A line chart whose points all carry numeric x reads as an x/y plot.
    fn numeric_only(self) -> bool {
        self.numeric_x && !self.plain && !self.label_x
    }
}

/// Counters that run across datasets.
#[derive(Default)]
struct Running {
    /// Next palette entry (the Colors plugin's counter).
    palette: usize,
    shape: Shape,
}

fn datasets(data: &Node, ctx: &Ctx, limits: &Limits) -> Res<(Vec<Dataset>, Shape)> {
    let Some(v) = data.get("datasets") else {
        return Ok((Vec::new(), Shape::default()));
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
        .sum();
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
        out.push(dataset(&Node::new(Some(map), path), ctx, &mut run)?);
    }
    Ok((out, run.shape))
}

fn dataset(ds: &Node, ctx: &Ctx, run: &mut Running) -> Res<Dataset> {
    let (kind, _) = type_option(ds, Some(ctx.kind))?;
    let data = data_points(ds, kind, ctx, &mut run.shape)?;
    let (background, border) = paints(ds, kind, data.len(), &mut run.palette)?;
    let line = line_style(ds, kind, ctx)?;
    let point = ctx.elements.child("point")?;
    Ok(Dataset {
        kind,
        label: ds.text("label")?.unwrap_or_default(),
        data,
        background,
        border,
        border_width: ds
            .size(&["borderWidth"])?
            .or(ctx.element(kind)?.size(&["borderWidth"])?)
            .unwrap_or(default_border_width(kind)),
        border_dash: border_dash(ds)?,
        fill: line.fill,
        tension: line.tension,
        stepped: line.stepped,
        point_style: point_style(ds.get("pointStyle").or(point.get("pointStyle"))),
        point_radius: ds
            .size(&["pointRadius", "radius"])?
            .or(point.size(&["radius"])?)
            .unwrap_or(3.0),
        show_line: line.show_line,
        hidden: ds.bool("hidden")?.unwrap_or(false),
        stack: ds.text("stack")?.unwrap_or_default(),
    })
}

/// Chart.js element defaults: lines 3, bars 0, arcs 2, points 1.
fn default_border_width(kind: ChartKind) -> f64 {
    match kind {
        ChartKind::Line | ChartKind::Radar => 3.0,
        ChartKind::Bar => 0.0,
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => 2.0,
        ChartKind::Scatter | ChartKind::Bubble => 1.0,
    }
}

fn data_points(ds: &Node, kind: ChartKind, ctx: &Ctx, shape: &mut Shape) -> Res<Vec<Datum>> {
    let path = ds.path_of("data");
    let items = match ds.get("data") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(wrong(&path, "an array", other)),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| datum(v, kind, ctx, shape, &|| format!("{path}[{i}]")))
        .collect()
}

fn datum(
    v: &Value,
    kind: ChartKind,
    ctx: &Ctx,
    shape: &mut Shape,
    at: &dyn Fn() -> String,
) -> Res<Datum> {
    let expected = "a number, null or an {x, y} point";
    match v {
        Value::Null => Ok(Datum::Gap),
        Value::Object(p) => point(p, kind, ctx, shape, at),
        Value::Array(_) => Err(ChartError::bad(format!(
            "`{}` is an array; data points must be numbers, null or {{x, y}} points \
             (floating bars are not supported)",
            at()
        ))),
        other => {
            let y = num_of(other).ok_or_else(|| wrong(&at(), expected, other))?;
            shape.plain = true;
            Ok(Datum::Y(y))
        }
    }
}

/// An `{x, y}` (or bubble `{x, y, r}`) point. On a category axis a string x
/// names a label, and the datum's x is that label's index.
fn point(
    p: &Obj,
    kind: ChartKind,
    ctx: &Ctx,
    shape: &mut Shape,
    at: &dyn Fn() -> String,
) -> Res<Datum> {
    // Horizontal bars read their category from `y` and their value from `x`.
    let (index_key, value_key) = if ctx.index_axis == Axis::Y && kind == ChartKind::Bar {
        ("y", "x")
    } else {
        ("x", "y")
    };
    let field = |key: &str| p.get(key).filter(|v| !v.is_null());
    let Some(raw_value) = field(value_key) else {
        return Ok(Datum::Gap);
    };
    let value = num_of(raw_value)
        .ok_or_else(|| wrong(&format!("{}.{value_key}", at()), "a number", raw_value))?;
    let Some(raw_x) = field(index_key) else {
        shape.plain = true;
        return Ok(Datum::Y(value));
    };
    let Some(x) = x_coordinate(raw_x, ctx, shape, &|| format!("{}.{index_key}", at()))? else {
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

fn x_coordinate(
    raw: &Value,
    ctx: &Ctx,
    shape: &mut Shape,
    at: &dyn Fn() -> String,
) -> Res<Option<f64>> {
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

/// The dataset's colors, falling back to the Colors plugin's choice.
fn paints(ds: &Node, kind: ChartKind, points: usize, palette: &mut usize) -> Res<(Paint, Paint)> {
    let (background, border) = default_paints(kind, points, palette);
    Ok((
        paint(ds, "backgroundColor")?.unwrap_or(background),
        paint(ds, "borderColor")?.unwrap_or(border),
    ))
}

/// Chart.js 3/4 Colors plugin: one palette entry per dataset (border opaque,
/// background at half alpha); pie and doughnut take one opaque entry per data
/// point and polarArea one half-alpha entry per point, all from one counter
/// that runs across datasets. Arcs keep Chart.js's white border.
fn default_paints(kind: ChartKind, points: usize, next: &mut usize) -> (Paint, Paint) {
    let start = *next;
    let per_point = |alpha: u8| {
        Paint::PerPoint(
            (0..PALETTE.len())
                .map(|i| with_alpha(PALETTE[(start + i) % PALETTE.len()], alpha))
                .collect(),
        )
    };
    match kind {
        ChartKind::Pie | ChartKind::Doughnut => {
            *next += points;
            (per_point(255), Paint::Single(Rgba::WHITE))
        }
        ChartKind::PolarArea => {
            *next += points;
            (per_point(HALF_ALPHA), Paint::Single(Rgba::WHITE))
        }
        _ => {
            *next += 1;
            let c = PALETTE[start % PALETTE.len()];
            (Paint::Single(with_alpha(c, HALF_ALPHA)), Paint::Single(c))
        }
    }
}

fn with_alpha(c: Rgba, alpha: u8) -> Rgba {
    Rgba(c.0, c.1, c.2, alpha)
}

fn paint(ds: &Node, key: &str) -> Res<Option<Paint>> {
    let path = ds.path_of(key);
    let colors = match ds.get(key) {
        None => return Ok(None),
        Some(Value::String(s)) => return color_at(s, &path).map(|c| Some(Paint::Single(c))),
        Some(Value::Array(items)) if items.is_empty() => return Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => color_at(s, &format!("{path}[{i}]")),
                other => Err(wrong(&format!("{path}[{i}]"), "a color string", other)),
            })
            .collect::<Res<Vec<Rgba>>>()?,
        Some(other) => return Err(wrong(&path, "a color string or an array of colors", other)),
    };
    // One color listed per point draws like that color given once.
    Ok(Some(if colors.iter().all(|c| *c == colors[0]) {
        Paint::Single(colors[0])
    } else {
        Paint::PerPoint(colors)
    }))
}

struct LineStyle {
    fill: Fill,
    tension: f64,
    stepped: Stepped,
    show_line: bool,
}

/// Fill, tension and steps, with the version's defaults; all neutral when the
/// dataset draws no line, since then they change nothing in the picture.
fn line_style(ds: &Node, kind: ChartKind, ctx: &Ctx) -> Res<LineStyle> {
    let show_line = show_line(ds, kind, ctx)?;
    let line = ctx.elements.child("line")?;
    let fill = match ds.get("fill").or(line.get("fill")) {
        Some(v) => fill_of(v),
        None if ctx.v3 => Fill::None,
        None => Fill::Origin,
    };
    let tension_keys = if ctx.v3 {
        ["tension", "lineTension"]
    } else {
        ["lineTension", "tension"]
    };
    let tension = match ds.pick(&tension_keys) {
        Some((key, v)) => Some(num_of(v).ok_or_else(|| wrong(&ds.path_of(key), "a number", v))?),
        None => line.num("tension")?,
    };
    let tension = tension.unwrap_or(if ctx.v3 { 0.0 } else { 0.4 });
    let stepped_keys = if ctx.v3 {
        ["stepped", "steppedLine"]
    } else {
        ["steppedLine", "stepped"]
    };
    let stepped = match ds.pick(&stepped_keys) {
        Some((key, v)) => stepped_of(v, &ds.path_of(key))?,
        None => match line.get("stepped") {
            Some(v) => stepped_of(v, &line.path_of("stepped"))?,
            None => Stepped::No,
        },
    };
    if !show_line {
        return Ok(LineStyle {
            fill: Fill::None,
            tension: 0.0,
            stepped: Stepped::No,
            show_line,
        });
    }
    Ok(LineStyle {
        fill,
        // Chart.js clamps the bezier control points to 0..1; steps ignore it.
        tension: if stepped == Stepped::No {
            tension.clamp(0.0, 1.0)
        } else {
            0.0
        },
        stepped,
        show_line,
    })
}

fn show_line(ds: &Node, kind: ChartKind, ctx: &Ctx) -> Res<bool> {
    let own = ds.bool("showLine")?;
    let chart = match ctx.options.bool("showLine")? {
        Some(b) => Some(b),
        None => ctx.options.bool("showLines")?,
    };
    Ok(match kind {
        ChartKind::Line | ChartKind::Radar => own.or(chart).unwrap_or(true),
        ChartKind::Scatter => own.or(chart).unwrap_or(false),
        _ => false,
    })
}

/// Dataset-relative fills (`'-1'`, `'+1'`, an index, `'stack'`) are drawn
/// to the origin.
fn fill_of(v: &Value) -> Fill {
    match v {
        Value::Bool(false) => Fill::None,
        Value::String(s) if s == "start" => Fill::Start,
        Value::String(s) if s == "end" => Fill::End,
        Value::String(s) if s.is_empty() || s == "false" => Fill::None,
        _ => Fill::Origin,
    }
}

fn stepped_of(v: &Value, path: &str) -> Res<Stepped> {
    match v {
        Value::Bool(false) => Ok(Stepped::No),
        Value::Bool(true) => Ok(Stepped::Before),
        Value::String(s) => Ok(match s.as_str() {
            "" => Stepped::No,
            "after" => Stepped::After,
            "middle" => Stepped::Middle,
            // Chart.js steps "before" for any other truthy value.
            _ => Stepped::Before,
        }),
        other => Err(wrong(
            path,
            "true, false, 'before', 'after' or 'middle'",
            other,
        )),
    }
}

/// Unknown styles and images draw as circles.
fn point_style(v: Option<&Value>) -> PointStyle {
    let name = match v {
        Some(Value::Bool(false)) => return PointStyle::None,
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        _ => return PointStyle::Circle,
    };
    match name.as_str() {
        "cross" => PointStyle::Cross,
        "crossrot" => PointStyle::CrossRot,
        "dash" => PointStyle::Dash,
        "line" => PointStyle::Line,
        "rect" => PointStyle::Rect,
        "rectrounded" => PointStyle::RectRounded,
        "rectrot" => PointStyle::RectRot,
        "star" => PointStyle::Star,
        "triangle" => PointStyle::Triangle,
        _ => PointStyle::Circle,
    }
}

fn border_dash(ds: &Node) -> Res<Vec<f64>> {
    let path = ds.path_of("borderDash");
    let Some(v) = ds.get("borderDash") else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = v else {
        return Err(wrong(&path, "an array of numbers", v));
    };
    let mut dash = items
        .iter()
        .enumerate()
        .map(|(i, d)| {
            num_of(d)
                .filter(|n| *n >= 0.0)
                .ok_or_else(|| wrong(&format!("{path}[{i}]"), "a non-negative number", d))
        })
        .collect::<Res<Vec<f64>>>()?;
    // The canvas strokes an all-zero pattern solid and repeats an odd one.
    if dash.iter().all(|d| *d == 0.0) {
        return Ok(Vec::new());
    }
    if dash.len() % 2 == 1 {
        dash.extend_from_within(..);
    }
    Ok(dash)
}

fn default_font(bold: bool) -> Font {
    Font::chartjs(bold)
}

/// v2 spells fonts as `fontSize`, `fontStyle`, `fontColor` beside the text.
fn font_v2(node: &Node, bold: bool) -> Res<Font> {
    let d = default_font(bold);
    Ok(Font {
        size: node.size(&["fontSize"])?.unwrap_or(d.size),
        bold: node
            .str("fontStyle")?
            .map_or(d.bold, |s| s.contains("bold")),
        color: node.color("fontColor")?.unwrap_or(d.color),
    })
}

/// v3 spells fonts as `font: {size, weight}` with `color` beside it.
fn font_v3(node: &Node, bold: bool) -> Res<Font> {
    let d = default_font(bold);
    let font = node.child("font")?;
    Ok(Font {
        size: font.size(&["size"])?.unwrap_or(d.size),
        bold: weight(&font)?.unwrap_or(d.bold),
        color: node.color("color")?.unwrap_or(d.color),
    })
}

fn font(node: &Node, v3: bool, bold: bool) -> Res<Font> {
    if v3 {
        font_v3(node, bold)
    } else {
        font_v2(node, bold)
    }
}

/// CSS weights 600 and up draw bold.
fn weight(font: &Node) -> Res<Option<bool>> {
    match font.get("weight") {
        None => Ok(None),
        Some(Value::String(s)) if s == "bold" || s == "bolder" => Ok(Some(true)),
        Some(v @ (Value::String(_) | Value::Number(_))) => {
            Ok(Some(num_of(v).is_some_and(|w| w >= 600.0)))
        }
        Some(other) => Err(wrong(&font.path_of("weight"), "a CSS font weight", other)),
    }
}

fn position(node: &Node, legend: bool) -> Res<Position> {
    Ok(match node.str("position")? {
        None | Some("top") => Position::Top,
        Some("bottom") => Position::Bottom,
        Some("left") => Position::Left,
        Some("right") => Position::Right,
        // The legend inside the chart area is drawn at the top.
        Some("chartArea") if legend => Position::Top,
        Some(other) => {
            return Err(wrong(
                &node.path_of("position"),
                "'top', 'bottom', 'left' or 'right'",
                &Value::String(other.into()),
            ))
        }
    })
}

fn title(options: &Node, v3: bool) -> Res<Option<Title>> {
    let node = if v3 {
        options.child("plugins")?.child("title")?
    } else {
        options.child("title")?
    };
    let font = font(&node, v3, true)?;
    let position = position(&node, false)?;
    let lines = node.lines("text")?;
    let display = node.bool("display")?.unwrap_or(false);
    Ok(
        (display && lines.iter().any(|l| !l.is_empty())).then_some(Title {
            lines,
            position,
            font,
        }),
    )
}

fn legend(options: &Node, v3: bool) -> Res<Legend> {
    let node = if v3 {
        options.child("plugins")?.child("legend")?
    } else {
        options.child("legend")?
    };
    Ok(Legend {
        display: node.bool("display")?.unwrap_or(true),
        position: position(&node, true)?,
        font: font(&node.child("labels")?, v3, false)?,
    })
}

/// Axes of charts without x/y axes: not drawn, and all defaults, so that
/// stray axis options cannot split the key of a pie chart.
fn hidden_scale() -> Scale {
    Scale {
        display: false,
        grid: false,
        ..Scale::chartjs(ScaleKind::Linear)
    }
}

/// The spec's `x` (index or horizontal) and `y` (value) axes. A horizontal
/// bar chart's index axis is its config's y axis, so the two swap.
fn cartesian_scales(ctx: &Ctx, shape: Shape) -> Res<(Scale, Scale)> {
    use ChartKind::{Bar, Bubble, Line, Scatter};
    if !matches!(ctx.kind, Bar | Line | Scatter | Bubble) {
        return Ok((hidden_scale(), hidden_scale()));
    }
    let scales = ctx.options.child("scales")?;
    let (config_x, config_y) = if ctx.v3 {
        (scales.child("x")?, scales.child("y")?)
    } else {
        (first_axis(&scales, "xAxes")?, first_axis(&scales, "yAxes")?)
    };
    let (index, value) = match ctx.index_axis {
        Axis::Y => (config_y, config_x),
        Axis::X => (config_x, config_y),
    };
    let numeric_x =
        matches!(ctx.kind, Scatter | Bubble) || (ctx.kind == Line && shape.numeric_only());
    let x_default = if numeric_x {
        ScaleKind::Linear
    } else {
        ScaleKind::Category
    };
    let x = axis(
        &index,
        ctx,
        x_default,
        !matches!(ctx.kind, Scatter | Bubble),
        false,
    )?;
    let y = axis(&value, ctx, ScaleKind::Linear, false, ctx.kind == Bar)?;
    Ok((x, y))
}

/// v2 lists axes in arrays; the first one is the chart's.
fn first_axis<'a>(scales: &Node<'a>, key: &str) -> Res<Node<'a>> {
    let list_path = scales.path_of(key);
    let path = format!("{list_path}[0]");
    match scales.get(key) {
        None => Ok(Node::new(None, path)),
        Some(Value::Array(items)) => match items.first() {
            None | Some(Value::Null) => Ok(Node::new(None, path)),
            Some(Value::Object(m)) => Ok(Node::new(Some(m), path)),
            Some(other) => Err(wrong(&path, "an object", other)),
        },
        Some(other) => Err(wrong(&list_path, "an array of axes", other)),
    }
}

fn axis(
    node: &Node,
    ctx: &Ctx,
    default_kind: ScaleKind,
    category_ok: bool,
    begin_at_zero: bool,
) -> Res<Scale> {
    let (mut scale, ty) = scale_options(node, ctx, begin_at_zero)?;
    scale.kind = match ty {
        Some("logarithmic") => ScaleKind::Logarithmic,
        Some("linear") => ScaleKind::Linear,
        Some("category") if category_ok => ScaleKind::Category,
        _ => default_kind,
    };
    Ok(scale)
}

/// Radial scale of radar and polarArea charts: v2 `options.scale`, v3 `options.scales.r`.
fn radial_scale(ctx: &Ctx) -> Res<Scale> {
    if !matches!(ctx.kind, ChartKind::Radar | ChartKind::PolarArea) {
        return Ok(hidden_scale());
    }
    let node = if ctx.v3 {
        ctx.options.child("scales")?.child("r")?
    } else {
        ctx.options.child("scale")?
    };
    let (mut scale, ty) = scale_options(&node, ctx, true)?;
    scale.kind = if ty == Some("logarithmic") {
        ScaleKind::Logarithmic
    } else {
        ScaleKind::Linear
    };
    scale.stacked = false;
    scale.title = None;
    Ok(scale)
}

/// The options of one scale and its `type`; the caller decides the kind.
fn scale_options<'a>(
    node: &Node<'a>,
    ctx: &Ctx,
    begin_at_zero: bool,
) -> Res<(Scale, Option<&'a str>)> {
    let ty = node.str("type")?;
    let scale = if ctx.v3 {
        scale_v3(node, ctx, begin_at_zero)?
    } else {
        scale_v2(node, ctx, begin_at_zero)?
    };
    Ok((scale, ty))
}

/// v2: range options live under `ticks`, the title under `scaleLabel`.
fn scale_v2(node: &Node, ctx: &Ctx, begin_at_zero: bool) -> Res<Scale> {
    let ticks = node.child("ticks")?;
    let label = node.child("scaleLabel")?;
    let title_text = label.lines("labelString")?;
    Ok(Scale {
        display: display(node)?,
        kind: ScaleKind::Linear,
        stacked: stacked(node)?,
        min: bound(&ticks, "min", ctx)?,
        max: bound(&ticks, "max", ctx)?,
        suggested_min: ticks.num("suggestedMin")?,
        suggested_max: ticks.num("suggestedMax")?,
        begin_at_zero: ticks.bool("beginAtZero")?.unwrap_or(begin_at_zero),
        reverse: ticks.bool("reverse")?.unwrap_or(false),
        title: axis_title(label.bool("display")?, title_text),
        grid: node.child("gridLines")?.bool("display")?.unwrap_or(true),
        ticks: font_v2(&ticks, false)?,
        title_font: font_v2(&label, false)?,
    })
}

/// v3: range options sit on the scale, the title under `title`.
fn scale_v3(node: &Node, ctx: &Ctx, begin_at_zero: bool) -> Res<Scale> {
    let title = node.child("title")?;
    let title_text = title.lines("text")?;
    Ok(Scale {
        display: display(node)?,
        kind: ScaleKind::Linear,
        stacked: stacked(node)?,
        min: bound(node, "min", ctx)?,
        max: bound(node, "max", ctx)?,
        suggested_min: node.num("suggestedMin")?,
        suggested_max: node.num("suggestedMax")?,
        begin_at_zero: node.bool("beginAtZero")?.unwrap_or(begin_at_zero),
        reverse: node.bool("reverse")?.unwrap_or(false),
        title: axis_title(title.bool("display")?, title_text),
        grid: node.child("grid")?.bool("display")?.unwrap_or(true),
        ticks: font_v3(&node.child("ticks")?, false)?,
        title_font: font_v3(&title, false)?,
    })
}

fn axis_title(display: Option<bool>, lines: Vec<String>) -> Option<String> {
    let text = lines.join("\n");
    (display == Some(true) && !text.is_empty()).then_some(text)
}

/// `display` is a boolean or `'auto'` (drawn when it has something to show).
fn display(node: &Node) -> Res<bool> {
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
fn stacked(node: &Node) -> Res<bool> {
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

/// `min`/`max`: a number, or on a category axis a label (its index).
fn bound(node: &Node, key: &str, ctx: &Ctx) -> Res<Option<f64>> {
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

/// Doughnut hole as a fraction of the radius: v2 `cutoutPercentage` (50),
/// v3 `cutout` ('50%', a fraction, or pixels, which depend on the canvas and
/// so keep the default).
fn cutout(options: &Node, kind: ChartKind, v3: bool) -> Res<f64> {
    let default = match kind {
        ChartKind::Doughnut => 0.5,
        ChartKind::Pie => 0.0,
        _ => return Ok(0.0),
    };
    let key = if v3 { "cutout" } else { "cutoutPercentage" };
    let Some(v) = options.get(key) else {
        return Ok(default);
    };
    let path = options.path_of(key);
    let percent = |s: &str| s.trim().strip_suffix('%').and_then(number_text);
    let fraction = match v {
        Value::String(s) if v3 && percent(s).is_some() => percent(s).unwrap_or(0.0) / 100.0,
        _ => {
            let n =
                num_of(v).ok_or_else(|| wrong(&path, "a number or a percentage like '50%'", v))?;
            match (v3, (0.0..=1.0).contains(&n)) {
                (false, _) => n / 100.0,
                (true, true) => n,
                (true, false) => default,
            }
        }
    };
    Ok(no_negative_zero(fraction.clamp(0.0, 1.0)))
}

/// `options.layout.padding`: one number, or per side (the largest is kept,
/// as the spec has one padding).
fn padding(options: &Node) -> Res<f64> {
    let layout = options.child("layout")?;
    match layout.get("padding") {
        None => Ok(10.0),
        Some(Value::Object(_)) => {
            let sides = layout.child("padding")?;
            let mut widest = 0.0f64;
            for side in ["top", "right", "bottom", "left", "x", "y"] {
                widest = widest.max(sides.size(&[side])?.unwrap_or(0.0));
            }
            Ok(widest)
        }
        Some(_) => Ok(layout.size(&["padding"])?.unwrap_or(10.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::literal;

    fn spec_v(src: &str, version: u8) -> ChartSpec {
        let limits = Limits::default();
        let value = literal::parse(src, &limits).unwrap();
        chart_spec(&value, version, &limits).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn spec(src: &str) -> ChartSpec {
        spec_v(src, 2)
    }

    fn err_v(src: &str, version: u8, limits: &Limits) -> ChartError {
        let value = literal::parse(src, &Limits::default()).unwrap();
        chart_spec(&value, version, limits).unwrap_err()
    }

    fn bad(src: &str) -> String {
        match err_v(src, 2, &Limits::default()) {
            ChartError::BadRequest(m) => m,
            other => panic!("{src}: {other:?}"),
        }
    }

    const LINE: &str = "{type:'line',data:{labels:['a','b'],datasets:[{data:[1,2]}]}}";

    #[test]
    fn line_defaults_differ_by_version() {
        let v2 = &spec_v(LINE, 2).datasets[0];
        assert_eq!(
            (v2.tension, v2.fill, v2.border_width),
            (0.4, Fill::Origin, 3.0)
        );
        assert_eq!(
            (v2.point_radius, v2.stepped, v2.show_line),
            (3.0, Stepped::No, true)
        );
        for version in [3, 4] {
            let v3 = &spec_v(LINE, version).datasets[0];
            assert_eq!((v3.tension, v3.fill), (0.0, Fill::None));
        }
        assert_eq!(spec_v(LINE, 3), spec_v(LINE, 4));
    }

    #[test]
    fn tension_and_stepped_spellings() {
        let t = |src: &str, v: u8| spec_v(src, v).datasets[0].tension;
        let ds = |opts: &str| format!("{{type:'line',data:{{datasets:[{{data:[1],{opts}}}]}}}}");
        assert_eq!(t(&ds("lineTension:0.2"), 2), 0.2);
        assert_eq!(t(&ds("tension:0.2"), 2), 0.2);
        assert_eq!(t(&ds("tension:0.3"), 3), 0.3);
        assert_eq!(t(&ds("lineTension:0.3"), 3), 0.3);
        assert_eq!(t(&ds("tension:7"), 3), 1.0);
        let elements =
            "{type:'line',data:{datasets:[{data:[1]}]},options:{elements:{line:{tension:0}}}}";
        assert_eq!(t(elements, 2), 0.0);
        let s = |src: &str, v: u8| spec_v(src, v).datasets[0].stepped;
        assert_eq!(s(&ds("steppedLine:true"), 2), Stepped::Before);
        assert_eq!(s(&ds("stepped:'middle'"), 3), Stepped::Middle);
        assert_eq!(s(&ds("stepped:'after'"), 2), Stepped::After);
        assert_eq!(t(&ds("stepped:true,tension:0.5"), 3), 0.0);
        assert!(bad(&ds("steppedLine:5")).contains("steppedLine"));
    }

    #[test]
    fn fill_values() {
        let f = |fill: &str| {
            spec_v(
                &format!("{{type:'line',data:{{datasets:[{{data:[1],fill:{fill}}}]}}}}"),
                3,
            )
            .datasets[0]
                .fill
        };
        assert_eq!(f("false"), Fill::None);
        assert_eq!(f("null"), Fill::None);
        assert_eq!(f("true"), Fill::Origin);
        assert_eq!(f("'origin'"), Fill::Origin);
        assert_eq!(f("0"), Fill::Origin);
        assert_eq!(f("'-1'"), Fill::Origin);
        assert_eq!(f("'start'"), Fill::Start);
        assert_eq!(f("'end'"), Fill::End);
    }

    #[test]
    fn default_palette_cycles_per_dataset() {
        let sets = ["{data:[1]}"; 8].join(",");
        let s = spec(&format!("{{type:'bar',data:{{datasets:[{sets}]}}}}"));
        assert_eq!(s.datasets[0].border, Paint::Single(Rgba(54, 162, 235, 255)));
        assert_eq!(
            s.datasets[0].background,
            Paint::Single(Rgba(54, 162, 235, 128))
        );
        assert_eq!(s.datasets[1].border, Paint::Single(Rgba(255, 99, 132, 255)));
        assert_eq!(s.datasets[7].border, s.datasets[0].border);
        assert_eq!(s.datasets[0].border_width, 0.0);
    }

    #[test]
    fn arc_charts_color_each_point() {
        let s = spec("{type:'pie',data:{labels:['a','b'],datasets:[{data:[1,2]},{data:[3]}]}}");
        let d = &s.datasets[0];
        assert_eq!(d.background.at(0), Rgba(54, 162, 235, 255));
        assert_eq!(d.background.at(1), Rgba(255, 99, 132, 255));
        assert_eq!(d.background.at(7), d.background.at(0));
        assert_eq!(d.border, Paint::Single(Rgba::WHITE));
        // The plugin's counter runs on across datasets.
        assert_eq!(s.datasets[1].background.at(0), Rgba(255, 159, 64, 255));
        let p = spec("{type:'polarArea',data:{datasets:[{data:[1,2]}]}}");
        assert_eq!(p.datasets[0].background.at(1), Rgba(255, 99, 132, 128));
        assert_eq!(s.cutout, 0.0);
        assert!(!s.x.display && !s.y.display);
    }

    #[test]
    fn given_colors_single_and_per_point() {
        let s = spec(
            "{type:'bar',data:{datasets:[{data:[1,2],backgroundColor:['red','#00f'],borderColor:'white'},\
             {data:[1],backgroundColor:['#fff','white']}]}}",
        );
        assert_eq!(
            s.datasets[0].background,
            Paint::PerPoint(vec![Rgba(255, 0, 0, 255), Rgba(0, 0, 255, 255)])
        );
        assert_eq!(s.datasets[0].border, Paint::Single(Rgba::WHITE));
        assert_eq!(s.datasets[1].background, Paint::Single(Rgba::WHITE));
        let m = bad("{type:'bar',data:{datasets:[{data:[1],borderColor:['red','nope']}]}}");
        assert!(
            m.contains("data.datasets[0].borderColor[1]") && m.contains("`nope`"),
            "{m}"
        );
        assert!(
            bad("{type:'bar',data:{datasets:[{data:[1],backgroundColor:5}]}}")
                .contains("backgroundColor")
        );
    }

    #[test]
    fn labels_print_like_javascript() {
        let s = spec("{type:'bar',data:{labels:[1.0, 0.5, 1e21, null, 'x', ['a','b'], true]}}");
        assert_eq!(s.labels, ["1", "0.5", "1e+21", "", "x", "a\nb", "true"]);
        assert!(bad("{type:'bar',data:{labels:[{}]}}").contains("data.labels[0]"));
        assert!(bad("{type:'bar',data:{labels:'abc'}}").contains("data.labels"));
    }

    #[test]
    fn data_forms() {
        let s = spec(
            "{type:'bar',data:{labels:['a','b','c'],datasets:[{data:[1,null,'3',{x:'c',y:4},{x:'zz',y:1},{x:1,y:null}]}]}}",
        );
        assert_eq!(
            s.datasets[0].data,
            [
                Datum::Y(1.0),
                Datum::Gap,
                Datum::Y(3.0),
                Datum::Xy(2.0, 4.0),
                Datum::Gap,
                Datum::Gap
            ]
        );
        let b = spec("{type:'bubble',data:{datasets:[{data:[{x:1,y:2,r:5},{x:'3',y:4}]}]}}");
        assert_eq!(
            b.datasets[0].data,
            [Datum::Xyr(1.0, 2.0, 5.0), Datum::Xyr(3.0, 4.0, 3.0)]
        );
        assert!(
            bad("{type:'bar',data:{datasets:[{data:'abc'}]}}").contains("data.datasets[0].data")
        );
        assert!(bad("{type:'bar',data:{datasets:[{data:['abc']}]}}")
            .contains("data.datasets[0].data[0]"));
        assert!(bad("{type:'bar',data:{datasets:[{data:[[1,2]]}]}}").contains("floating"));
        assert!(bad("{type:'scatter',data:{datasets:[{data:[{x:'a',y:1}]}]}}").contains(".x"));
        assert!(bad("{type:'bar',data:{datasets:[{data:[{y:true}]}]}}").contains(".y"));
    }

    #[test]
    fn horizontal_bars_swap_axes() {
        let v2 = spec(
            "{type:'horizontalBar',data:{labels:['a'],datasets:[{data:[1]}]},\
             options:{scales:{xAxes:[{stacked:true,ticks:{beginAtZero:false}}],yAxes:[{display:false}]}}}",
        );
        assert_eq!(v2.index_axis, Axis::Y);
        assert!(!v2.x.display && v2.x.kind == ScaleKind::Category);
        assert!(v2.y.stacked && !v2.y.begin_at_zero && v2.y.kind == ScaleKind::Linear);
        let v3 = spec_v(
            "{type:'bar',data:{labels:['a','b'],datasets:[{data:[{y:'b',x:5}]}]},\
             options:{indexAxis:'y',scales:{x:{stacked:true,beginAtZero:false},y:{display:false}}}}",
            3,
        );
        assert_eq!(
            (v3.index_axis, v3.x.display, v3.y.stacked),
            (Axis::Y, false, true)
        );
        assert_eq!(v3.datasets[0].data, [Datum::Xy(1.0, 5.0)]);
        assert_eq!(
            spec_v("{type:'bar',options:{indexAxis:'y'}}", 2).index_axis,
            Axis::X
        );
        assert_eq!(
            spec_v("{type:'line',options:{indexAxis:'y'}}", 3).index_axis,
            Axis::X
        );
    }

    #[test]
    fn scale_defaults_and_kinds() {
        let bar = spec("{type:'bar',data:{datasets:[{data:[1]}]}}");
        assert_eq!(
            (bar.x.kind, bar.y.kind),
            (ScaleKind::Category, ScaleKind::Linear)
        );
        assert!(bar.y.begin_at_zero && !bar.x.begin_at_zero && bar.x.grid && bar.x.display);
        assert_eq!(bar.x.ticks, default_font(false));
        let line = spec("{type:'line',data:{datasets:[{data:[1]}]}}");
        assert!(!line.y.begin_at_zero);
        let xy = spec("{type:'line',data:{datasets:[{data:[{x:1,y:2},{x:3,y:4}]}]}}");
        assert_eq!(xy.x.kind, ScaleKind::Linear);
        let mixed =
            spec("{type:'line',data:{labels:['a'],datasets:[{data:[{x:'a',y:2},{x:3,y:4}]}]}}");
        assert_eq!(mixed.x.kind, ScaleKind::Category);
        let scatter = spec("{type:'scatter',data:{datasets:[{data:[{x:1,y:2}]}]}}");
        assert_eq!(scatter.x.kind, ScaleKind::Linear);
        assert!(!scatter.datasets[0].show_line);
        assert_eq!(scatter.datasets[0].fill, Fill::None);
        assert_eq!(scatter.datasets[0].border_width, 1.0);
        let shown = spec("{type:'scatter',data:{datasets:[{data:[{x:1,y:2}],showLine:true}]}}");
        assert!(shown.datasets[0].show_line);
        let log = spec_v(
            "{type:'line',options:{scales:{y:{type:'logarithmic'},x:{type:'linear'}}}}",
            3,
        );
        assert_eq!(
            (log.x.kind, log.y.kind),
            (ScaleKind::Linear, ScaleKind::Logarithmic)
        );
    }

    #[test]
    fn v2_and_v3_scale_options() {
        let v2 = spec(
            "{type:'line',options:{scales:{yAxes:[{gridLines:{display:false},\
             ticks:{min:1,max:9,suggestedMin:0,suggestedMax:10,reverse:true,fontSize:14,fontColor:'red'},\
             scaleLabel:{display:true,labelString:'rpm',fontSize:16}}]}}}",
        );
        let v3 = spec_v(
            "{type:'line',options:{scales:{y:{grid:{display:false},min:1,max:9,suggestedMin:0,\
             suggestedMax:10,reverse:true,ticks:{font:{size:14},color:'red'},\
             title:{display:true,text:'rpm',font:{size:16}}}}}}",
            3,
        );
        assert_eq!(v2.y, v3.y);
        assert_eq!(v2.y.title.as_deref(), Some("rpm"));
        assert_eq!(v2.y.ticks.color, Rgba(255, 0, 0, 255));
        assert_eq!(
            (v2.y.min, v2.y.max, v2.y.title_font.size),
            (Some(1.0), Some(9.0), 16.0)
        );
        let hidden = spec(
            "{type:'line',options:{scales:{yAxes:[{scaleLabel:{display:false,labelString:'x'}}]}}}",
        );
        assert_eq!(hidden.y.title, None);
        let cat = spec(
            "{type:'bar',data:{labels:['a','b','c']},options:{scales:{xAxes:[{ticks:{min:'b'}}]}}}",
        );
        assert_eq!(cat.x.min, Some(1.0));
    }

    #[test]
    fn radial_scales() {
        let v2 = spec("{type:'radar',options:{scale:{ticks:{min:0,max:5}}}}");
        let v3 = spec_v("{type:'radar',options:{scales:{r:{min:0,max:5}}}}", 3);
        assert_eq!(v2.r, v3.r);
        assert!(v2.r.begin_at_zero && v2.r.display);
        assert_eq!(v2.r.max, Some(5.0));
        assert!(!spec("{type:'bar'}").r.display);
        assert_eq!(spec("{type:'radar'}").datasets.len(), 0);
    }

    #[test]
    fn title_and_legend() {
        let v2 =
            spec("{type:'bar',options:{title:{display:true,text:'T'},legend:{position:'bottom'}}}");
        let t = v2.title.unwrap();
        assert_eq!(t.lines, ["T"]);
        assert_eq!(t.font, default_font(true));
        assert_eq!(t.position, Position::Top);
        assert_eq!(v2.legend.position, Position::Bottom);
        assert!(v2.legend.display);
        let v3 = spec_v(
            "{type:'bar',options:{plugins:{title:{display:true,text:['a','b'],font:{size:20,weight:'normal'},color:'#000'},\
             legend:{display:false,labels:{font:{size:9},color:'red'}}}}}",
            3,
        );
        let t = v3.title.unwrap();
        assert_eq!((t.lines.len(), t.font.size, t.font.bold), (2, 20.0, false));
        assert_eq!(t.font.color, Rgba(0, 0, 0, 255));
        assert!(!v3.legend.display);
        assert_eq!(v3.legend.font.size, 9.0);
        // Not shown unless displayed with text; v3 ignores the v2 location.
        assert!(spec("{type:'bar',options:{title:{text:'T'}}}")
            .title
            .is_none());
        assert!(spec("{type:'bar',options:{title:{display:true,text:''}}}")
            .title
            .is_none());
        assert!(
            spec_v("{type:'bar',options:{title:{display:true,text:'T'}}}", 3)
                .title
                .is_none()
        );
        assert!(bad("{type:'bar',options:{title:5}}").contains("`options.title`"));
        assert!(bad("{type:'bar',options:{legend:{position:'middle'}}}")
            .contains("options.legend.position"));
        assert!(
            bad("{type:'bar',options:{title:{display:'yes'}}}").contains("options.title.display")
        );
    }

    #[test]
    fn cutout_and_padding() {
        let c = |src: &str, v: u8| spec_v(src, v).cutout;
        assert_eq!(c("{type:'doughnut'}", 2), 0.5);
        assert_eq!(c("{type:'doughnut'}", 3), 0.5);
        assert_eq!(c("{type:'doughnut',options:{cutoutPercentage:70}}", 2), 0.7);
        assert_eq!(c("{type:'doughnut',options:{cutout:'70%'}}", 3), 0.7);
        assert_eq!(c("{type:'doughnut',options:{cutout:0.25}}", 3), 0.25);
        assert_eq!(c("{type:'doughnut',options:{cutout:120}}", 3), 0.5);
        assert_eq!(c("{type:'pie'}", 3), 0.0);
        assert_eq!(c("{type:'pie',options:{cutout:'50%'}}", 3), 0.5);
        assert_eq!(c("{type:'bar',options:{cutout:'50%'}}", 3), 0.0);
        assert_eq!(spec("{type:'bar'}").padding, 10.0);
        assert_eq!(
            spec("{type:'bar',options:{layout:{padding:4}}}").padding,
            4.0
        );
        assert_eq!(
            spec("{type:'bar',options:{layout:{padding:{left:20}}}}").padding,
            20.0
        );
        assert!(
            bad("{type:'doughnut',options:{cutoutPercentage:'half'}}").contains("cutoutPercentage")
        );
    }

    #[test]
    fn dataset_options() {
        let s = spec(
            "{type:'line',data:{datasets:[{data:[1],label:2020,hidden:true,stack:'s',borderDash:[5],\
             pointStyle:'rectRot',pointRadius:[4,5],borderWidth:'2'},{type:'bar',data:[1],pointStyle:false,radius:1}]}}",
        );
        let d = &s.datasets[0];
        assert_eq!(
            (d.label.as_str(), d.hidden, d.stack.as_str()),
            ("2020", true, "s")
        );
        assert_eq!(d.border_dash, [5.0, 5.0]);
        assert_eq!(
            (d.point_style, d.point_radius, d.border_width),
            (PointStyle::RectRot, 4.0, 2.0)
        );
        let b = &s.datasets[1];
        assert_eq!(
            (b.kind, b.point_style, b.point_radius),
            (ChartKind::Bar, PointStyle::None, 1.0)
        );
        assert_eq!((b.fill, b.tension, b.show_line), (Fill::None, 0.0, false));
        assert!(
            bad("{type:'line',data:{datasets:[{data:[1],borderDash:[-1]}]}}")
                .contains("borderDash[0]")
        );
        assert!(
            bad("{type:'line',data:{datasets:[{data:[1],borderWidth:-2}]}}")
                .contains("borderWidth")
        );
        assert!(
            bad("{type:'line',data:{datasets:[{data:[1],type:'area'}]}}")
                .contains("data.datasets[0].type")
        );
        assert!(bad("{type:'line',data:{datasets:[5]}}").contains("data.datasets[0]"));
    }

    #[test]
    fn type_errors() {
        let m = bad("{type:'piechart'}");
        assert!(m.contains("'piechart'") && m.contains("doughnut"), "{m}");
        assert!(bad("{data:{}}").contains("missing chart type"));
        assert!(bad("{type:5}").contains("`type`"));
        let limits = Limits::default();
        for v in [
            serde_json::json!(5),
            serde_json::json!([1]),
            serde_json::json!("bar"),
        ] {
            assert!(
                matches!(chart_spec(&v, 2, &limits), Err(ChartError::BadRequest(m)) if m.contains("must be an object"))
            );
        }
    }

    #[test]
    fn limits_are_enforced() {
        let small = Limits {
            max_datasets: 2,
            max_points: 5,
            max_labels: 3,
            ..Limits::default()
        };
        let is_limit = |src: &str, want: &str| match err_v(src, 2, &small) {
            ChartError::LimitExceeded(m) => assert!(m.contains(want), "{m}"),
            other => panic!("{src}: {other:?}"),
        };
        is_limit("{type:'bar',data:{datasets:[{},{},{}]}}", "3 datasets");
        is_limit(
            "{type:'bar',data:{datasets:[{data:[1,2,3]},{data:[4,5,6]}]}}",
            "6 data points",
        );
        is_limit("{type:'bar',data:{labels:[1,2,3,4]}}", "4 labels");
        let value = literal::parse(
            "{type:'bar',data:{labels:[1,2,3],datasets:[{data:[1,2,3,4,5]}]}}",
            &small,
        )
        .unwrap();
        chart_spec(&value, 2, &small).unwrap();
    }

    #[test]
    fn negative_zero_never_reaches_the_spec() {
        let value = serde_json::json!({"type": "line", "data": {"datasets": [{"data": [-0.0, {"x": -0.0, "y": "-0"}]}]}});
        let s = chart_spec(&value, 2, &Limits::default()).unwrap();
        let text = serde_json::to_string(&s).unwrap();
        assert!(!text.contains("-0.0"), "{text}");
    }
}
