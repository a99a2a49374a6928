//! Styles: dataset paints (with the Colors plugin's defaults), line style
//! (fill, tension, steps, dashes, points), fonts, title and legend.

use super::node::{color_at, num_of, wrong, Node, Res};
use super::scripted::PerPoint;
use super::shades::{color, shades, stand_in};
use super::Ctx;
use crate::chart::spec::{
    ChartKind, Dataset, Fill, Font, Legend, LegendAlign, Padding, Paint, PointStyle, Position,
    Rgba, Shade, Stepped, Title,
};
use crate::script::Call;
use serde_json::Value;
/// The Chart.js 3/4 Colors plugin palette (its border colors).
pub(super) const PALETTE: [Rgba; 7] = [
    Rgba(54, 162, 235, 255),
    Rgba(255, 99, 132, 255),
    Rgba(255, 159, 64, 255),
    Rgba(255, 205, 86, 255),
    Rgba(75, 192, 192, 255),
    Rgba(153, 102, 255, 255),
    Rgba(201, 203, 207, 255),
];

/// QuickChart's palette for Chart.js 2 configs: chartjs-plugin-colorschemes'
/// `tableau.Tableau10`, which QuickChart turns on for every v2 chart.
pub(super) const TABLEAU10: [Rgba; 10] = [
    Rgba(0x4E, 0x79, 0xA7, 255),
    Rgba(0xF2, 0x8E, 0x2B, 255),
    Rgba(0xE1, 0x57, 0x59, 255),
    Rgba(0x76, 0xB7, 0xB2, 255),
    Rgba(0x59, 0xA1, 0x4F, 255),
    Rgba(0xED, 0xC9, 0x48, 255),
    Rgba(0xB0, 0x7A, 0xA1, 255),
    Rgba(0xFF, 0x9D, 0xA7, 255),
    Rgba(0x9C, 0x75, 0x5F, 255),
    Rgba(0xBA, 0xB0, 0xAC, 255),
];

/// Chart.js 2's `defaultColor`, rgba(0, 0, 0, 0.1): the border of bars and
/// bubbles the colorschemes plugin leaves alone.
const DEFAULT_COLOR: Rgba = Rgba(0, 0, 0, 26);

/// The plugin's background colors are the palette at alpha 0.5.
pub(super) const HALF_ALPHA: u8 = 128;

/// A dataset's colors, and the gradients and patterns among them.
pub(super) struct Paints {
    pub(super) background: Paint,
    pub(super) border: Paint,
    pub(super) shades: Vec<Option<Shade>>,
    pub(super) border_shade: Option<Shade>,
    /// `Dataset::point_colors`.
    pub(super) point_colors: Option<(Rgba, Rgba)>,
}

/// The dataset's colors, falling back to the default colors of its
/// version: QuickChart's Tableau10 for v2, Chart.js's grey for v3 and for
/// a v4 chart that sets any colors, the Colors plugin for the other v4
/// charts (`Ctx::colors_plugin`).
pub(super) fn paints(
    ds: &Node,
    (k, kind): (usize, ChartKind),
    points: usize,
    ctx: &Ctx,
    run: &mut Palette,
) -> Res<Paints> {
    let defaults = if ctx.colors_plugin {
        default_paints(kind, points, &mut run.next)
    } else if ctx.v3 {
        let (fill, border) = element_colors(kind);
        (Paint::Single(fill), Paint::Single(border))
    } else {
        tableau10(kind, run.datasets)
    };
    run.datasets += 1;
    // chartjs-plugin-colorschemes gives a v2 line, radar or scatter
    // dataset's points (`pointBackgroundColor`, `pointBorderColor`) its
    // palette colors whatever colors the dataset gives its line and area.
    let scheme_points = (!ctx.v3
        && matches!(
            kind,
            ChartKind::Line | ChartKind::Radar | ChartKind::Scatter
        ))
    .then(|| (defaults.0.at(0), defaults.1.at(0)));
    let given = ctx
        .scripted
        .per_point(ds, "backgroundColor", k, Call::Option)?;
    let path = ds.path_of("backgroundColor");
    let given_border = ctx.scripted.per_point(ds, "borderColor", k, Call::Option)?;
    let border_path = ds.path_of("borderColor");
    let pad = (!ctx.v3).then(|| element_colors(kind));
    let (pad_fill, pad_border) = (pad.map(|c| c.0), pad.map(|c| c.1));
    let background = paint_of(given.as_ref(), &path, points, (Rgba::TRANSPARENT, pad_fill))?
        .unwrap_or_else(|| defaults.0.clone());
    let border = paint_of(
        given_border.as_ref(),
        &border_path,
        points,
        (Rgba::TRANSPARENT, pad_border),
    )?
    .unwrap_or_else(|| defaults.1.clone());
    let own = (&background, &border) != (&defaults.0, &defaults.1);
    Ok(Paints {
        point_colors: scheme_points.filter(|_| own),
        background,
        border,
        shades: shades(given.as_ref(), &path, points)?,
        // One stroke for the whole line: the first point's.
        border_shade: shades(given_border.as_ref(), &border_path, points)?
            .into_iter()
            .next()
            .flatten(),
    })
}

/// Chart.js 3/4 Colors plugin: one palette entry per dataset (border opaque,
/// background at half alpha); pie and doughnut take one opaque entry per data
/// point and polarArea one half-alpha entry per point, all from one counter
/// that runs across datasets. Arcs keep Chart.js's white border.
pub(super) fn default_paints(kind: ChartKind, points: usize, next: &mut usize) -> (Paint, Paint) {
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

/// Chart.js's element defaults (2, 3 and 4 alike; 3's colors and 4's
/// without its Colors plugin): `rgba(0,0,0,0.1)` fill and border; arcs
/// keep their white border.
fn element_colors(kind: ChartKind) -> (Rgba, Rgba) {
    let grey = Rgba(0, 0, 0, 26);
    let border = match kind {
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => Rgba::WHITE,
        _ => grey,
    };
    (grey, border)
}

/// Whether Chart.js 4's Colors plugin colors a chart (`beforeLayout`):
/// only when no dataset, no `options` and no `options.elements` entry sets
/// a `borderColor` or `backgroundColor`.
pub(super) fn colors_plugin(data: &Node, options: &Node) -> bool {
    // JavaScript's truthiness of a color option.
    let sets = |o: &serde_json::Map<String, Value>| {
        ["borderColor", "backgroundColor"].iter().any(|k| {
            o.get(*k)
                .is_some_and(|c| !matches!(c, Value::Null | Value::Bool(false)) && c != "")
        })
    };
    let of = |v: &Value| v.as_object().is_some_and(sets);
    let datasets = data.map.and_then(|d| d.get("datasets")?.as_array());
    let elements = options.map.and_then(|o| o.get("elements")?.as_object());
    !datasets.into_iter().flatten().any(of)
        && !options.map.is_some_and(sets)
        && !elements.into_iter().flat_map(|e| e.values()).any(of)
}

/// Where the default palettes are, dataset by dataset.
#[derive(Default)]
pub(super) struct Palette {
    /// The Colors plugin's counter (one per dataset, one per arc).
    pub(super) next: usize,
    /// Datasets read so far: colorschemes picks by dataset index.
    pub(super) datasets: usize,
}

/// chartjs-plugin-colorschemes as QuickChart runs it on v2 charts: the
/// dataset's entry (by index, datasets with their own colors counted);
/// lines, radars and scatters take it as border and at alpha 0.5 as fill;
/// pie, doughnut and polarArea one opaque entry per slice from the first;
/// bars and bubbles it as fill, their border left at Chart.js's default.
fn tableau10(kind: ChartKind, index: usize) -> (Paint, Paint) {
    let c = TABLEAU10[index % TABLEAU10.len()];
    match kind {
        ChartKind::Line | ChartKind::Radar | ChartKind::Scatter => {
            (Paint::Single(with_alpha(c, HALF_ALPHA)), Paint::Single(c))
        }
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => (
            Paint::PerPoint(TABLEAU10.to_vec()),
            Paint::Single(Rgba::WHITE),
        ),
        ChartKind::Bar | ChartKind::Bubble => (Paint::Single(c), Paint::Single(DEFAULT_COLOR)),
    }
}

pub(super) fn with_alpha(c: Rgba, alpha: u8) -> Rgba {
    Rgba(c.0, c.1, c.2, alpha)
}

/// A color option as given (`PerPoint::Same`: a color or an array of
/// them) or as a function answered it for each of `points` points (those
/// it answered nothing for take `fallback`). A list shorter than the data
/// is cycled (Chart.js 3 and 4) or, with `pad`, ends in it: Chart.js 2
/// reads a list at the point's index and gives the points past its end
/// the element's default color.
pub(super) fn paint_of(
    given: Option<&PerPoint>,
    path: &str,
    points: usize,
    (fallback, pad): (Rgba, Option<Rgba>),
) -> Res<Option<Paint>> {
    let colors = match given {
        None => return Ok(None),
        Some(PerPoint::Same(Value::String(s))) => {
            return color_at(s, path).map(|c| Some(Paint::Single(c)))
        }
        Some(PerPoint::Same(v @ Value::Object(_))) => {
            let Some(c) = stand_in(v, path) else {
                return Err(wrong(path, "a color string or an array of colors", v));
            };
            return c.map(|c| Some(Paint::Single(c)));
        }
        Some(PerPoint::Same(Value::Array(items))) if items.is_empty() => return Ok(None),
        Some(PerPoint::Same(Value::Array(items))) => {
            let mut colors = items
                .iter()
                .enumerate()
                .map(|(i, v)| color(v, &format!("{path}[{i}]")))
                .collect::<Res<Vec<Rgba>>>()?;
            if let Some(pad) = pad.filter(|_| colors.len() < points) {
                colors.resize(points, pad);
            }
            colors
        }
        Some(PerPoint::Same(other)) => {
            return Err(wrong(path, "a color string or an array of colors", other))
        }
        Some(each @ PerPoint::Each(_)) => {
            let colors = (0..points)
                .map(|i| match each.at(i) {
                    None => Ok(None),
                    Some(Value::String(s)) => color_at(s, path).map(Some),
                    Some(other) => match stand_in(other, path) {
                        Some(c) => c.map(Some),
                        None => Err(wrong(path, "a function answering a color string", other)),
                    },
                })
                .collect::<Res<Vec<Option<Rgba>>>>()?;
            if colors.iter().all(Option::is_none) {
                return Ok(None);
            }
            colors.into_iter().map(|c| c.unwrap_or(fallback)).collect()
        }
    };
    // One color listed per point draws like that color given once.
    Ok(Some(if colors.iter().all(|c| *c == colors[0]) {
        Paint::Single(colors[0])
    } else {
        Paint::PerPoint(colors)
    }))
}

pub(super) struct LineStyle {
    pub(super) fill: Fill,
    pub(super) tension: f64,
    pub(super) stepped: Stepped,
    pub(super) show_line: bool,
    /// `Dataset::span_gaps`.
    pub(super) span_gaps: bool,
    /// `Dataset::legend_solid`: v2, `fill` configured `false` or `null` on
    /// a dataset drawn as a line (bars and bubbles have no `fill` option,
    /// so `getStyle` never sees one).
    pub(super) legend_solid: bool,
}

/// Fill, tension and steps, with the version's defaults; all neutral when the
/// dataset draws no line, since then they change nothing in the picture.
pub(super) fn line_style(ds: &Node, kind: ChartKind, ctx: &Ctx) -> Res<LineStyle> {
    let show_line = show_line(ds, kind, ctx)?;
    let line = ctx.elements.child("line")?;
    let legend_solid = !ctx.v3
        && matches!(
            kind,
            ChartKind::Line | ChartKind::Scatter | ChartKind::Radar
        )
        && matches!(
            ds.get("fill").or(line.get("fill")),
            Some(Value::Bool(false) | Value::Null)
        );
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
    let tension = match tension {
        // QuickChart sets `lineTension = lineTension || 0` on every dataset
        // of a v2 line chart: straight unless the dataset asks.
        _ if !ctx.v3 && ctx.kind == ChartKind::Line => ds
            .pick(&tension_keys)
            .and_then(|(_, v)| num_of(v))
            .unwrap_or(0.0),
        Some(t) => t,
        None if ctx.v3 => 0.0,
        None => 0.4,
    };
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
            span_gaps: false,
            legend_solid,
        });
    }
    // The dataset's, else the chart's (both versions); radar outlines
    // close over gaps their own way, and stay with Chart.js.
    let span_gaps = matches!(kind, ChartKind::Line | ChartKind::Scatter)
        && ds.flag("spanGaps").or(ctx.options.flag("spanGaps")) == Some(true);
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
        span_gaps,
        legend_solid,
    })
}

pub(super) fn show_line(ds: &Node, kind: ChartKind, ctx: &Ctx) -> Res<bool> {
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
pub(super) fn fill_of(v: &Value) -> Fill {
    match v {
        Value::Bool(false) => Fill::None,
        Value::String(s) if s == "start" => Fill::Start,
        Value::String(s) if s == "end" => Fill::End,
        Value::String(s) if s.is_empty() || s == "false" => Fill::None,
        _ => Fill::Origin,
    }
}

pub(super) fn stepped_of(v: &Value, path: &str) -> Res<Stepped> {
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
pub(super) fn point_style(v: Option<&Value>) -> PointStyle {
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

pub(super) fn border_dash(ds: &Node) -> Res<Vec<f64>> {
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

pub(super) fn default_font(bold: bool) -> Font {
    Font::chartjs(bold)
}

/// v2 spells fonts as `fontSize`, `fontStyle`, `fontColor` beside the text.
pub(super) fn font_v2(node: &Node, bold: bool) -> Res<Font> {
    let d = default_font(bold);
    // Chart.js 2 writes `fontStyle` before the size in the canvas's font
    // string (`bold italic 12px …`): the CSS words decide.
    let style = node.str("fontStyle")?;
    Ok(Font {
        size: node.size(&["fontSize"])?.unwrap_or(d.size),
        bold: style.map_or(d.bold, |s| s.contains("bold")),
        italic: style.is_some_and(is_italic),
        color: node.color("fontColor")?.unwrap_or(d.color),
        family: node.str("fontFamily")?.map(str::to_owned),
    })
}

/// v3 spells fonts as `font: {size, weight}` with `color` beside it.
pub(super) fn font_v3(node: &Node, bold: bool) -> Res<Font> {
    let d = default_font(bold);
    let font = node.child("font")?;
    Ok(Font {
        size: font.size(&["size"])?.unwrap_or(d.size),
        bold: weight(&font)?.unwrap_or(d.bold),
        italic: font.str("style")?.is_some_and(is_italic),
        color: node.color("color")?.unwrap_or(d.color),
        family: font.str("family")?.map(str::to_owned),
    })
}

pub(super) fn font(node: &Node, v3: bool, bold: bool) -> Res<Font> {
    if v3 {
        font_v3(node, bold)
    } else {
        font_v2(node, bold)
    }
}

/// Whether a CSS font style (or v2's `fontStyle`, style and weight words
/// together) slants the text.
pub(super) fn is_italic(style: &str) -> bool {
    style
        .split_whitespace()
        .any(|w| w.eq_ignore_ascii_case("italic") || w.eq_ignore_ascii_case("oblique"))
}

/// CSS weights 600 and up draw bold.
pub(super) fn weight(font: &Node) -> Res<Option<bool>> {
    match font.get("weight") {
        None => Ok(None),
        Some(Value::String(s)) if s == "bold" || s == "bolder" => Ok(Some(true)),
        Some(v @ (Value::String(_) | Value::Number(_))) => {
            Ok(Some(num_of(v).is_some_and(|w| w >= 600.0)))
        }
        Some(other) => Err(wrong(&font.path_of("weight"), "a CSS font weight", other)),
    }
}

pub(super) fn position(node: &Node, legend: bool) -> Res<Position> {
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

pub(super) fn title(options: &Node, v3: bool) -> Res<Option<Title>> {
    let node = if v3 {
        options.child("plugins")?.child("title")?
    } else {
        options.child("title")?
    };
    text_block(&node, v3, true, Title::PADDING)
}

/// Chart.js 3 and 4's `plugins.subtitle`, a title in the normal weight
/// with no padding by default (Chart.js 2 has none, and draws none).
pub(super) fn subtitle(options: &Node, v3: bool) -> Res<Option<Title>> {
    if !v3 {
        return Ok(None);
    }
    text_block(
        &options.child("plugins")?.child("subtitle")?,
        v3,
        false,
        0.0,
    )
}

/// A title or subtitle: shown when `display` and some line has text.
fn text_block(node: &Node, v3: bool, bold: bool, pad: f64) -> Res<Option<Title>> {
    let font = font(node, v3, bold)?;
    let position = position(node, false)?;
    let padding = super::padding(node, v3)?.unwrap_or(Padding::even(pad));
    let lines = node.lines("text")?;
    let display = node.bool("display")?.unwrap_or(false);
    Ok(
        (display && lines.iter().any(|l| !l.is_empty())).then_some(Title {
            lines,
            position,
            font,
            padding,
        }),
    )
}

pub(super) fn legend(options: &Node, ctx: &Ctx, datasets: &[Dataset]) -> Res<Legend> {
    let node = if ctx.v3 {
        options.child("plugins")?.child("legend")?
    } else {
        options.child("legend")?
    };
    let labels = node.child("labels")?;
    if !ctx.v3 {
        // Chart.js 2.9.4 writes the legend with its `labels` font only
        // (`_parseFont(labelOpts)`): font options on the legend itself, as
        // QuickChart's fonts page sets `fontFamily`, change nothing.
        for key in ["fontFamily", "fontSize", "fontStyle", "fontColor"] {
            node.get(key);
        }
    }
    Ok(Legend {
        display: node.bool("display")?.unwrap_or(true),
        position: position(&node, true)?,
        font: font(&labels, ctx.v3, false)?,
        filtered: match labels.function("filter") {
            Some(source) => legend_filtered(&source, &labels.path_of("filter"), ctx, datasets)?,
            None => Vec::new(),
        },
        // A width no legend has room for, a negative one (Chart.js draws it
        // leftwards) or a string (Chart.js adds to it by concatenating) is
        // Chart.js's to draw.
        box_width: labels
            .read_if("boxWidth", |v| {
                v.as_f64().filter(|w| (0.0..=1000.0).contains(w))
            })
            .unwrap_or(Legend::BOX_WIDTH),
        // Chart.js 2 draws a line dataset's point (its first point's
        // colors); bars, slices and Chart.js 3/4's sizing are Chart.js's.
        use_point_style: !ctx.v3
            && !matches!(
                ctx.kind,
                ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea
            )
            && datasets
                .iter()
                .all(|d| matches!(d.kind, ChartKind::Line | ChartKind::Scatter))
            && labels.flag("usePointStyle") == Some(true),
        // Chart.js 2.9.4's `alignmentOffset` and 3/4's `_alignStartEnd`
        // take 'start' and 'end' and center anything else.
        align: match node.get("align") {
            Some(Value::String(a)) if a == "start" => LegendAlign::Start,
            Some(Value::String(a)) if a == "end" => LegendAlign::End,
            _ => LegendAlign::Center,
        },
    })
}

/// The legend items a `labels.filter(item, data)` leaves out. Items are
/// made as Chart.js makes them: one per dataset, or one per label of a
/// pie, doughnut or polarArea chart (colored by the first dataset).
fn legend_filtered(source: &str, path: &str, ctx: &Ctx, datasets: &[Dataset]) -> Res<Vec<usize>> {
    let css = |c: Rgba| format!("rgba({},{},{},{})", c.0, c.1, c.2, f64::from(c.3) / 255.0);
    let item = |text: &str, ds: &Dataset, i: usize, hidden: bool| {
        serde_json::json!({
            "text": text, "fillStyle": css(ds.background.at(i)), "strokeStyle": css(ds.border.at(i)),
            "lineWidth": ds.border_width, "hidden": hidden,
        })
    };
    let items: Vec<Value> = match ctx.kind {
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => match datasets.first() {
            Some(ds) => (ctx.labels.iter().enumerate())
                .map(|(i, l)| {
                    let mut it = item(l, ds, i, false);
                    it["index"] = i.into();
                    it["datasetIndex"] = 0.into();
                    it
                })
                .collect(),
            None => Vec::new(),
        },
        _ => (datasets.iter().enumerate())
            .map(|(k, ds)| {
                let mut it = item(&ds.label, ds, 0, ds.hidden);
                it["datasetIndex"] = k.into();
                it
            })
            .collect(),
    };
    let kept = ctx
        .scripted
        .legend_filter(source, path, &Value::from(items).to_string())?;
    Ok((0..kept.len()).filter(|i| !kept[*i]).collect())
}
