//! chartjs-plugin-datalabels: which datasets show labels on their points,
//! what each label says and how it looks, with the plugin's defaults
//! (0.7 for Chart.js 2, 2.x for 3 and 4, which agree on these) and
//! QuickChart's: on Chart.js 2 the plugin is always on, and a config
//! without `plugins.datalabels` shows values on pie and doughnut slices
//! only. On Chart.js 3 and 4 it is on when the config configures it.
//!
//! Options come from the dataset's `datalabels`, then the chart's
//! `options.plugins.datalabels`. `display`, `formatter`, `color`,
//! `backgroundColor` and `borderColor` may be functions, called per point;
//! any other option given as a function takes its answer for the first
//! point.

use super::node::{num_of, text_of, wrong, Node, Res};
use super::scripted::{truthy, PerPoint};
use super::styles::paint_of;
use super::Ctx;
use crate::chart::literal::js_number;
use crate::chart::packed::point_value;
use crate::chart::spec::{ChartKind, DataLabels, LabelAlign, LabelAnchor, Paint, Rgba};
use crate::script::Call;
use serde_json::Value;
use std::borrow::Cow;

/// The plugin's defaults that are not Chart.js's font defaults.
const OFFSET: f64 = 4.0;
const PADDING: f64 = 4.0;
const LINE_HEIGHT: f64 = 1.2;
/// Chart.js's default font color, which the plugin takes.
const TEXT_COLOR: Rgba = Rgba(0x66, 0x66, 0x66, 255);

/// The labels of dataset `k` (`ds`), or `None` when it shows none.
pub(super) fn datalabels(
    ds: &Node,
    k: usize,
    kind: ChartKind,
    ctx: &Ctx,
) -> Res<Option<DataLabels>> {
    let plugins = ctx.options.child("plugins")?;
    let chart_opts = match plugins.get("datalabels") {
        Some(Value::Bool(false)) => return Ok(None),
        Some(Value::Object(_)) => plugins.child("datalabels")?,
        _ if ctx.v3 => return Ok(None),
        _ => Node::new(None, plugins.path_of("datalabels")),
    };
    let own = match ds.get("datalabels") {
        Some(Value::Bool(false)) => return Ok(None),
        Some(Value::Object(_)) => ds.child("datalabels")?,
        _ => Node::new(None, ds.path_of("datalabels")),
    };
    let quickchart_default = !ctx.v3 && chart_opts.map.is_none();
    let layers = Layers {
        own,
        chart: chart_opts,
        k,
        ctx,
    };
    let Some(values) = ds.get("data").and_then(Value::as_array) else {
        return Ok(None);
    };
    let raw = match ctx.packed.points(k) {
        Some(points) => Items::Points(points),
        None => Items::Values(values),
    };
    let display = layers.per_point("display", Call::Option)?;
    let shown_by_default = !quickchart_default
        || matches!(ctx.kind, ChartKind::Pie | ChartKind::Doughnut) && kind == ctx.kind;
    // A formatter that is no function is not called (Chart.js's
    // `helpers.callback`): the default formatter prints.
    let formatted = match layers.per_point("formatter", Call::Formatter)? {
        Some(PerPoint::Each(answers)) => Some(answers),
        _ => None,
    };
    let texts: Vec<Option<String>> = (0..raw.len())
        .map(|i| {
            let shown = display.as_ref().map_or(shown_by_default, |d| {
                d.at(i)
                    .map_or(shown_by_default, |v| truthy(v) || v == "auto")
            });
            if !shown {
                return None;
            }
            let value = &*raw.get(i);
            match formatted.as_ref().map(|answers| answers.get(i)) {
                None => default_text(value),
                Some(Some(Some(answer))) => lines(answer),
                // `undefined` from a formatter shows the value itself.
                Some(Some(None)) => lines(value),
                Some(None) => None,
            }
        })
        .collect();
    if texts.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut auto: Vec<bool> = (0..raw.len())
        .map(|i| {
            let d = display.as_ref().and_then(|d| d.at(i));
            d.is_some_and(|v| v == "auto")
        })
        .collect();
    if !auto.contains(&true) {
        auto.clear();
    }
    let font_value = layers.first("font")?;
    let font = match &font_value {
        Some(Value::Object(map)) => Node::new(Some(map), layers.path("font")),
        None | Some(Value::Null) => Node::new(None, layers.path("font")),
        Some(other) => return Err(wrong(&layers.path("font"), "an object", other)),
    };
    let size = font.size(&["size"])?.unwrap_or(12.0);
    let line_height = font.num("lineHeight")?.unwrap_or(LINE_HEIGHT);
    Ok(Some(DataLabels {
        color: layers
            .paint("color", raw.len())?
            .unwrap_or(Paint::Single(TEXT_COLOR)),
        texts,
        auto,
        size,
        bold: super::styles::weight(&font)?.unwrap_or(false),
        italic: font.str("style")?.is_some_and(super::styles::is_italic),
        family: font.str("family")?.map(str::to_owned),
        line_height: line_height * size,
        anchor: anchor(layers.first("anchor")?.as_ref(), &layers.path("anchor"))?,
        align: align(layers.first("align")?.as_ref(), &layers.path("align"))?,
        offset: layers.number("offset")?.unwrap_or(OFFSET),
        padding: padding(layers.first("padding")?.as_ref(), &layers.path("padding"))?,
        background: layers.paint("backgroundColor", raw.len())?,
        border: layers.paint("borderColor", raw.len())?,
        border_width: layers.number("borderWidth")?.unwrap_or(0.0).max(0.0),
        border_radius: layers.number("borderRadius")?.unwrap_or(0.0).max(0.0),
        rotation: layers.number("rotation")?.unwrap_or(0.0),
        text_align: text_align(
            layers.first("textAlign")?.as_ref(),
            &layers.path("textAlign"),
        )?,
    }))
}

/// A dataset's data items, as its value holds them or as the literal
/// parser packed them (`Packed`): a point's value is built only when its
/// label shows.
enum Items<'a> {
    Values(&'a [Value]),
    Points(&'a [[f64; 2]]),
}

impl Items<'_> {
    fn len(&self) -> usize {
        match self {
            Items::Values(values) => values.len(),
            Items::Points(points) => points.len(),
        }
    }

    fn get(&self, i: usize) -> Cow<'_, Value> {
        match self {
            Items::Values(values) => Cow::Borrowed(&values[i]),
            Items::Points(points) => Cow::Owned(point_value(points[i])),
        }
    }
}

/// A dataset's options over the chart's.
struct Layers<'n, 'a> {
    own: Node<'n>,
    chart: Node<'n>,
    k: usize,
    ctx: &'n Ctx<'a>,
}

impl<'n> Layers<'n, '_> {
    /// The node that gives `key`: the dataset's, else the chart's.
    fn giver(&self, key: &str) -> &Node<'n> {
        if self.own.get(key).is_some() {
            &self.own
        } else {
            &self.chart
        }
    }

    fn path(&self, key: &str) -> String {
        self.giver(key).path_of(key)
    }

    fn per_point(&self, key: &str, call: Call) -> Res<Option<PerPoint<'n>>> {
        self.ctx
            .scripted
            .per_point(self.giver(key), key, self.k, call)
    }

    /// The option's value, or a function's answer for the first point.
    fn first(&self, key: &str) -> Res<Option<Value>> {
        Ok(match self.per_point(key, Call::Option)? {
            Some(PerPoint::Same(v)) => Some(v.clone()),
            Some(PerPoint::Each(items)) => items.into_iter().flatten().next(),
            None => None,
        })
    }

    fn number(&self, key: &str) -> Res<Option<f64>> {
        match self.first(key)? {
            None | Some(Value::Null) => Ok(None),
            Some(v) => num_of(&v)
                .map(Some)
                .ok_or_else(|| wrong(&self.path(key), "a number", &v)),
        }
    }

    /// A color option, per point when a function gives it (a point it
    /// answers nothing for takes the default, #666 for text).
    fn paint(&self, key: &str, points: usize) -> Res<Option<Paint>> {
        let fallback = if key == "color" {
            TEXT_COLOR
        } else {
            Rgba::TRANSPARENT
        };
        let given = self.per_point(key, Call::Option)?;
        paint_of(given.as_ref(), &self.path(key), points, (fallback, None))
    }
}

/// The plugin's default formatter: the value as text; an object's `label`,
/// else its `r`, else `key: value` pairs; nothing for `null`.
fn default_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Object(map) => {
            if let Some(v) = map.get("label").filter(|v| !v.is_null()) {
                return lines(v);
            }
            if let Some(v) = map.get("r").filter(|v| !v.is_null()) {
                return lines(v);
            }
            Some(
                map.iter()
                    .map(|(k, v)| format!("{k}: {}", js_text(v)))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }
        v => lines(v),
    }
}

/// A label's lines as the plugin reads a formatter's answer (strings split
/// at `\n`, arrays flattened, anything else as JavaScript prints it),
/// joined by `\n`; `None` for `null` or no lines.
fn lines(v: &Value) -> Option<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Null => {}
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::String(s) => out.extend(s.split('\n').map(str::to_owned)),
            other => out.push(js_text(other)),
        }
    }
    let mut out = Vec::new();
    walk(v, &mut out);
    (!out.is_empty()).then(|| out.join("\n"))
}

/// `'' + v` in JavaScript.
fn js_text(v: &Value) -> String {
    match v {
        Value::Number(n) => js_number(n.as_f64().unwrap_or(0.0)),
        Value::Object(_) => "[object Object]".into(),
        Value::Array(items) => items.iter().map(js_text).collect::<Vec<_>>().join(","),
        other => text_of(other).unwrap_or_else(|| "null".into()),
    }
}

fn anchor(v: Option<&Value>, path: &str) -> Res<LabelAnchor> {
    let Some(v) = v else {
        return Ok(LabelAnchor::Center);
    };
    Ok(match v.as_str() {
        Some("start") => LabelAnchor::Start,
        Some("end") => LabelAnchor::End,
        Some("center") => LabelAnchor::Center,
        _ => return Err(wrong(path, "'start', 'center' or 'end'", v)),
    })
}

fn text_align(v: Option<&Value>, path: &str) -> Res<LabelAnchor> {
    let Some(v) = v else {
        return Ok(LabelAnchor::Start);
    };
    Ok(match v.as_str() {
        Some("start" | "left") => LabelAnchor::Start,
        Some("end" | "right") => LabelAnchor::End,
        Some("center") => LabelAnchor::Center,
        _ => {
            return Err(wrong(
                path,
                "'start', 'center', 'end', 'left' or 'right'",
                v,
            ))
        }
    })
}

fn align(v: Option<&Value>, path: &str) -> Res<LabelAlign> {
    let Some(v) = v else {
        return Ok(LabelAlign::Center);
    };
    Ok(match v.as_str() {
        Some("center") => LabelAlign::Center,
        Some("start") => LabelAlign::Start,
        Some("end") => LabelAlign::End,
        Some("top") => LabelAlign::Top,
        Some("bottom") => LabelAlign::Bottom,
        Some("left") => LabelAlign::Left,
        Some("right") => LabelAlign::Right,
        _ => match num_of(v) {
            Some(deg) if deg.is_finite() => LabelAlign::Angle(deg),
            _ => return Err(wrong(
                path,
                "'center', 'start', 'end', 'top', 'bottom', 'left', 'right' or an angle in degrees",
                v,
            )),
        },
    })
}

/// Chart.js's padding: one number for every side, or `{top, right,
/// bottom, left}` (v3 also `x` and `y`).
fn padding(v: Option<&Value>, path: &str) -> Res<[f64; 4]> {
    let Some(v) = v else {
        return Ok([PADDING; 4]);
    };
    if let Some(n) = num_of(v) {
        return Ok([n; 4]);
    }
    let Value::Object(map) = v else {
        return Err(wrong(path, "a number or {top, right, bottom, left}", v));
    };
    let side = |keys: [&str; 2]| -> Res<f64> {
        match keys
            .iter()
            .find_map(|k| map.get(*k).filter(|v| !v.is_null()))
        {
            None => Ok(0.0),
            Some(v) => num_of(v).ok_or_else(|| wrong(path, "numbers", v)),
        }
    };
    Ok([
        side(["top", "y"])?,
        side(["right", "x"])?,
        side(["bottom", "y"])?,
        side(["left", "x"])?,
    ])
}
