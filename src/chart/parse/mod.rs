//! Chart.js config (v2, v3 or v4 option layout) → the typed, fully defaulted
//! `ChartSpec`.
//!
//! Every default is written out here, per Chart.js major version, so that a
//! config that spells a default explicitly and one that leaves it out give
//! the same spec, and so the same cache key. Options that cannot change the
//! picture (a line's tension when no line is drawn) are normalized away for
//! the same reason. Unknown options are ignored, as Chart.js ignores them;
//! a known option with the wrong type is a `BadRequest` naming its path.

use super::literal::number_text;
use super::packed::Packed;
use super::spec::{Axis, ChartKind, ChartSpec, Datum, Padding, ScaleKind, Sweep};
use super::ChartError;
use crate::config::Limits;
use serde_json::Value;
use std::cell::OnceCell;
use std::collections::HashMap;

mod datalabels;
mod datasets;
mod marks;
mod node;
mod scales;
mod scripted;
mod shades;
mod styles;
mod tick_format;
mod time;
mod unread;

use datasets::{datasets, labels};
use node::{describe, no_negative_zero, num_of, wrong, Node, Res};
use scales::{cartesian_scales, point_labels, radial_scale, second_y_id};
use scripted::Scripted;
pub use scripted::Scripting;
use styles::{legend, subtitle, title};

const TYPES: &str = "bar, horizontalBar, line, scatter, bubble, pie, doughnut, radar, polarArea";

/// `chart_spec`, and the path of the first option set in `config` that
/// the native parser never read (`unread`): one the native renderer would
/// leave out of the picture. The datasets' points the literal parser read
/// apart are in `packed`.
pub(crate) fn chart_spec_read(
    config: &Value,
    packed: &Packed,
    version: u8,
    limits: &Limits,
    scripting: Option<Scripting>,
) -> Result<(ChartSpec, Option<String>), ChartError> {
    let (spec, reads) =
        unread::noted(|| packed_chart_spec(config, packed, version, limits, scripting));
    Ok((spec?, unread::first_unread(config, &reads)))
}

/// Builds the spec of a Chart.js config written for Chart.js `version`
/// (2, 3 or 4; 4 reads like 3). Functions in it (only a config the
/// sandbox evaluated has them) are called through `scripting`.
pub fn chart_spec(
    config: &Value,
    version: u8,
    limits: &Limits,
    scripting: Option<Scripting>,
) -> Result<ChartSpec, ChartError> {
    packed_chart_spec(config, &Packed::NONE, version, limits, scripting)
}

fn packed_chart_spec(
    config: &Value,
    packed: &Packed,
    version: u8,
    limits: &Limits,
    scripting: Option<Scripting>,
) -> Result<ChartSpec, ChartError> {
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
    let index_axis = index_axis(&options, kind, horizontal, v3)?;
    let ctx = Ctx {
        v3,
        v4: version >= 4,
        kind,
        index_axis,
        time_x: time::time_x(&options, kind, version, index_axis),
        times_elsewhere: time::times_elsewhere(&options, v3),
        y2_id: second_y_id(&options, (kind, v3), index_axis),
        colors_plugin: version >= 4 && styles::colors_plugin(&data, &options),
        labels: &labels,
        label_index: OnceCell::new(),
        elements: options.child("elements")?,
        options: options.clone(),
        scripted: Scripted::new(scripting, root.get("data")),
        packed,
        tick_format: tick_format::tick_format(&options, kind)?,
        locale: chart_locale(&options, kind, v3)?,
    };
    let (mut datasets, run) = datasets(&data, &ctx, limits)?;
    let mut shape = run.shape;
    // A time axis spans its labels too (2.9.4's `determineDataLimits`,
    // 3.9.1's and 4.4.1's `_getLabelBounds`): their times are kept where
    // some dataset has times of its own (`{x, y}`), or the ticks are the
    // labels'; not for 3/4's `timeseries`, whose table would take them.
    let mut own_times = false;
    if let Some(read) = ctx.time_x {
        own_times = datasets
            .iter()
            .any(|ds| ds.data.iter().any(|d| matches!(d, Datum::Xy(..))));
        let labels = data.get("labels");
        for ds in &mut datasets {
            shape.bad_time |= time::at_labels(&mut ds.data, labels, read).is_none();
        }
    }
    let (mut x, mut y, y2) = cartesian_scales(&ctx, shape)?;
    for scale in [&mut x, &mut y] {
        if let (ScaleKind::Category, Some(cb)) = (scale.kind, scale.tick_callback.as_mut()) {
            cb.labels = numbers_given(data.get("labels"));
        }
    }
    if let (Some(read), Some(t)) = (ctx.time_x, x.time.as_mut()) {
        if t.label_ticks || (own_times && !(v3 && t.series)) {
            t.labels = time::label_times(data.get("labels"), read);
        }
    }
    let r = radial_scale(&ctx)?;
    let point_labels = point_labels(&ctx)?;
    let mut legend = legend(&options, &ctx, &datasets)?;
    let datasets = datasets::by_order(&data, &ctx, datasets, &mut legend);
    drop(ctx);
    Ok(ChartSpec {
        kind,
        index_axis,
        labels,
        datasets,
        title: title(&options, v3)?,
        subtitle: subtitle(&options, v3)?,
        legend,
        x,
        y,
        y2,
        r,
        point_labels,
        cutout: cutout(&options, kind, v3)?,
        sweep: sweep(&options, kind, v3)?,
        padding: padding(&options.child("layout")?, v3)?.unwrap_or_default(),
        auto_padding: auto_padding(&options, v3, run.overflow)?,
    })
}

/// The labels as given (JSON) when any of them is a number: what a
/// category axis's callback is passed (`Callback::labels`).
fn numbers_given(labels: Option<&Value>) -> Option<String> {
    let items = labels?.as_array()?;
    items
        .iter()
        .any(Value::is_number)
        .then(|| Value::Array(items.clone()).to_string())
}

/// What every part of one chart's parse needs to know.
struct Ctx<'a> {
    v3: bool,
    /// Chart.js 4, where it reads an option elsewhere than 3 does (a time
    /// axis's step: 3.9.1 `time.stepSize`, 4.4.1 `ticks.stepSize`).
    v4: bool,
    kind: ChartKind,
    index_axis: Axis,
    /// Chart.js 4's Colors plugin colors the datasets that set none
    /// (`styles::colors_plugin`); else Chart.js 3's grey (v3) or
    /// QuickChart's Tableau10 (v2).
    colors_plugin: bool,
    /// The x axis is a time axis the native renderer draws
    /// (`time::time_x`): how its x values and labels are read as times.
    time_x: Option<time::TimeRead<'a>>,
    /// Time scales the router gives to Chart.js, by direction (x, y)
    /// (`time::times_elsewhere`): where their values are read as times.
    times_elsewhere: [Option<time::TimeRead<'a>>; 2],
    /// The id of the second value axis, drawn on the right, when the chart
    /// has one (`scales::second_y_id`): datasets whose `yAxisID` names it
    /// are drawn against it.
    y2_id: Option<&'a str>,
    labels: &'a [String],
    /// Label → first index, built on the first `{x: 'label'}` point.
    label_index: OnceCell<HashMap<&'a str, usize>>,
    options: Node<'a>,
    /// `options.elements`: chart-wide dataset defaults.
    elements: Node<'a>,
    /// The chart's functions, called per point.
    scripted: Scripted<'a>,
    /// The datasets' points read apart from the config's value.
    packed: &'a Packed,
    /// QuickChart's `tickFormat`, for the numeric axes without a callback.
    tick_format: Option<super::spec::NumberLabels>,
    /// Chart.js 3 and 4's `options.locale`, for their number labels.
    locale: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    /// Whether string x values name labels (everything but scatter/bubble).
    fn category_x(&self) -> bool {
        !matches!(self.kind, ChartKind::Scatter | ChartKind::Bubble)
    }

    /// `v` as a time, when it is a string that is no number and `axis`
    /// has a time scale Chart.js draws (`times_elsewhere`); `Some(None)`
    /// for a time it does not read, where Chart.js draws no point.
    fn time_elsewhere(&self, axis: Axis, v: &Value) -> Option<Option<f64>> {
        let read = self.times_elsewhere[usize::from(axis == Axis::Y)]?;
        match v {
            Value::String(s) if number_text(s).is_none() => Some(read.millis(v)),
            _ => None,
        }
    }

    /// A value on the value `axis`: a number, or a time there
    /// (`time_elsewhere`; `Some(None)`: no point); `None` when it is
    /// neither.
    fn value_on(&self, axis: Axis, v: &Value) -> Option<Option<f64>> {
        self.time_elsewhere(axis, v).or_else(|| num_of(v).map(Some))
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

/// `options.locale`, which Chart.js 3 and 4 write their tick numbers in
/// (2 has none: read and left aside). A radial scale's numbers are left to
/// the Chart.js renderer: the option stays unread there.
fn chart_locale<'a>(options: &Node<'a>, kind: ChartKind, v3: bool) -> Res<Option<&'a str>> {
    if !v3 {
        options.str("locale")?;
        return Ok(None);
    }
    if matches!(kind, ChartKind::Radar | ChartKind::PolarArea) {
        return Ok(None);
    }
    options.str("locale")
}

fn kind_of(name: &str) -> Option<(ChartKind, bool)> {
    Some(match name {
        "bar" => (ChartKind::Bar, false),
        "horizontalBar" => (ChartKind::Bar, true),
        "line" => (ChartKind::Line, false),
        "scatter" => (ChartKind::Scatter, false),
        "bubble" => (ChartKind::Bubble, false),
        "pie" => (ChartKind::Pie, false),
        // QuickChart renames `donut` before Chart.js sees it.
        "doughnut" | "donut" => (ChartKind::Doughnut, false),
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
        ChartError::bad(format!(
            "unknown chart type '{}' in `{path}`; supported types: {TYPES}",
            super::quoted(name, 40)
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

/// Doughnut hole as a fraction of the radius: v2 `cutoutPercentage` (50),
/// v3 `cutout` ('50%', a fraction, or pixels, which depend on the canvas and
/// so keep the default).
/// `rotation` and `circumference` of a pie or doughnut: radians in Chart.js
/// 2 (from -π/2, 12 o'clock), degrees from 12 o'clock in Chart.js 3/4.
/// `None` when they leave a full circle from 12 o'clock.
fn sweep(options: &Node, kind: ChartKind, v3: bool) -> Res<Option<Sweep>> {
    use std::f64::consts::{FRAC_PI_2, TAU};
    if !matches!(kind, ChartKind::Pie | ChartKind::Doughnut) {
        return Ok(None);
    }
    let (rotation, circumference) = (options.num("rotation")?, options.num("circumference")?);
    let (rotation, circumference) = if v3 {
        (
            rotation.map_or(-FRAC_PI_2, |d| d.to_radians() - FRAC_PI_2),
            circumference.map_or(TAU, f64::to_radians),
        )
    } else {
        (rotation.unwrap_or(-FRAC_PI_2), circumference.unwrap_or(TAU))
    };
    let sweep = Sweep {
        // One turn is the same picture as none: keep one key for both.
        rotation: no_negative_zero((rotation + FRAC_PI_2).rem_euclid(TAU) - FRAC_PI_2),
        circumference: circumference.clamp(0.0, TAU),
    };
    let full = (sweep.rotation + FRAC_PI_2).abs() < 1e-12 && sweep.circumference >= TAU;
    Ok((!full).then_some(sweep))
}

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

/// The room Chart.js 3 and 4 keep around the chart area for the points
/// and lines that reach past it (`layout.autoPadding`, on by default):
/// the datasets' `overflow`.
fn auto_padding(options: &Node, v3: bool, overflow: f64) -> Res<f64> {
    let on = v3
        && options
            .child("layout")?
            .bool("autoPadding")?
            .unwrap_or(true);
    Ok(if on { overflow } else { 0.0 })
}

/// `padding` of `node` (`options.layout`, a title): one number, or per
/// side (`top`, `right`, `bottom`, `left`; Chart.js 3 and 4 also read `x`
/// for left and right and `y` for top and bottom where those are not
/// given, which Chart.js 2 ignores); `None` when not given.
fn padding(node: &Node, v3: bool) -> Res<Option<Padding>> {
    match node.get("padding") {
        None => Ok(None),
        Some(Value::Object(_)) => {
            let sides = node.child("padding")?;
            let (x, y) = (sides.size(&["x"])?, sides.size(&["y"])?);
            let (x, y) = if v3 { (x, y) } else { (None, None) };
            let side = |key: &'static str, or: Option<f64>| -> Res<f64> {
                Ok(sides.size(&[key])?.or(or).unwrap_or(0.0))
            };
            Ok(Some(Padding {
                top: side("top", y)?,
                right: side("right", x)?,
                bottom: side("bottom", y)?,
                left: side("left", x)?,
            }))
        }
        Some(_) => Ok(node.size(&["padding"])?.map(Padding::even)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::literal;
    use crate::chart::spec::{
        Axis, ChartKind, ChartSpec, Datum, Fill, Font, Paint, PointLabels, PointStyle, Position,
        Rgba, Scale, ScaleKind, Stepped, TimeUnit,
    };
    use styles::default_font;

    fn spec_v(src: &str, version: u8) -> ChartSpec {
        let limits = Limits::default();
        let value = literal::parse(src, &limits).unwrap();
        chart_spec(&value, version, &limits, None).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    #[test]
    fn the_first_option_never_read_is_named_by_its_path() {
        let unread = |src: &str| read_v(src, 2).1;
        assert_eq!(
            unread("{type:'bar',data:{datasets:[{data:[1],barThickness:'flex'}]},options:{responsive:true}}"),
            Some("data.datasets[0].barThickness".to_owned())
        );
        assert_eq!(
            unread("{type:'bar',data:{datasets:[{data:[1]}]},options:{tooltips:{enabled:false}}}"),
            None,
            "no picture shows tooltips"
        );
    }

    #[test]
    fn span_gaps_is_read_as_a_boolean_and_left_to_chartjs_otherwise() {
        let read = |src: &str, version: u8| {
            read_with(src, version, |s| {
                s.datasets.iter().map(|d| d.span_gaps).collect::<Vec<_>>()
            })
        };
        let two = "datasets:[{data:[1,null,2],spanGaps:true},{data:[1,null,2]}]";
        assert_eq!(
            read(&format!("{{type:'line',data:{{{two}}}}}"), 2),
            (vec![true, false], None)
        );
        let chart_wide = "{type:'line',data:{datasets:[{data:[1,null,2]},{data:[3],spanGaps:false}]},options:{spanGaps:true}}";
        assert_eq!(read(chart_wide, 4), (vec![true, false], None));
        // Chart.js 3 and 4 also take a gap length: drawn by Chart.js.
        let length = "{type:'line',data:{datasets:[{data:[1,null,2],spanGaps:86400000}]}}";
        assert_eq!(
            read(length, 4),
            (vec![false], Some("data.datasets[0].spanGaps".to_owned()))
        );
        // Radar outlines stay with Chart.js.
        let radar =
            "{type:'radar',data:{labels:['a','b','c'],datasets:[{data:[1,null,2],spanGaps:true}]}}";
        assert_eq!(
            read(radar, 2).1,
            Some("data.datasets[0].spanGaps".to_owned())
        );
    }

    #[test]
    fn legend_box_width_is_read_where_each_version_keeps_it() {
        let read = |src: &str, version: u8| read_with(src, version, |s| s.legend.box_width);
        let data = "data:{datasets:[{label:'a',data:[1]}]}";
        let v2 = format!("{{type:'bar',{data},options:{{legend:{{labels:{{boxWidth:12}}}}}}}}");
        assert_eq!(read(&v2, 2), (12.0, None));
        let v4 = format!(
            "{{type:'bar',{data},options:{{plugins:{{legend:{{labels:{{boxWidth:20}}}}}}}}}}"
        );
        assert_eq!(read(&v4, 4), (20.0, None));
        let text = v4.replace("20", "'20'");
        assert_eq!(
            read(&text, 4),
            (
                40.0,
                Some("options.plugins.legend.labels.boxWidth".to_owned())
            )
        );
        assert_eq!(read(&format!("{{type:'bar',{data}}}"), 2), (40.0, None));
        let negative =
            format!("{{type:'bar',{data},options:{{legend:{{labels:{{boxWidth:-5}}}}}}}}");
        assert_eq!(
            read(&negative, 2),
            (40.0, Some("options.legend.labels.boxWidth".to_owned()))
        );
    }

    #[test]
    fn v2_line_points_take_the_colorschemes_palette_unless_it_is_their_own() {
        use crate::chart::parse::styles::{HALF_ALPHA, TABLEAU10};
        let half = |c: Rgba| Rgba(c.0, c.1, c.2, HALF_ALPHA);
        let own = "{type:'line',data:{datasets:[{data:[1],borderColor:'red'},{data:[2]},{data:[3],backgroundColor:'blue'}]}}";
        let points: Vec<_> = spec(own).datasets.iter().map(|d| d.point_colors).collect();
        assert_eq!(
            points,
            [
                Some((half(TABLEAU10[0]), TABLEAU10[0])),
                None,
                Some((half(TABLEAU10[2]), TABLEAU10[2]))
            ]
        );
        let d = &spec(own).datasets[0];
        assert_eq!(
            (d.point_fill(0), d.border.at(0)),
            (half(TABLEAU10[0]), Rgba(255, 0, 0, 255))
        );
        // Bars keep their element colors; Chart.js 3 and 4 run no colorschemes.
        assert_eq!(
            spec("{type:'bar',data:{datasets:[{data:[1],backgroundColor:'red'}]}}").datasets[0]
                .point_colors,
            None
        );
        assert_eq!(spec_v(own, 4).datasets[0].point_colors, None);
    }

    #[test]
    fn use_point_style_is_native_for_v2_lines_only() {
        let read = |src: &str, version: u8| read_with(src, version, |s| s.legend.use_point_style);
        let legend = "options:{legend:{labels:{usePointStyle:true}}}";
        let line = format!("{{type:'line',data:{{datasets:[{{data:[1]}}]}},{legend}}}");
        assert_eq!(read(&line, 2), (true, None));
        let bar = format!("{{type:'bar',data:{{datasets:[{{data:[1]}}]}},{legend}}}");
        let path = Some("options.legend.labels.usePointStyle".to_owned());
        assert_eq!(read(&bar, 2), (false, path));
        let v4 = "{type:'line',data:{datasets:[{data:[1]}]},options:{plugins:{legend:{labels:{usePointStyle:true}}}}}";
        assert_eq!(
            read(v4, 4),
            (
                false,
                Some("options.plugins.legend.labels.usePointStyle".to_owned())
            )
        );
    }

    #[test]
    fn a_second_y_axis_is_read_with_the_datasets_that_name_it() {
        // Chart.js 2.9.4's multi-axis sample.
        let v2 = "{type:'line',data:{labels:['a','b'],datasets:[{data:[-33,26],yAxisID:'y-axis-1'},\
            {data:[1.7,2.1],yAxisID:'y-axis-2'}]},options:{scales:{yAxes:[{type:'linear',display:true,\
            position:'left',id:'y-axis-1'},{type:'linear',display:true,position:'right',id:'y-axis-2',\
            gridLines:{drawOnChartArea:false}}]}}}";
        let (spec, unread) = read_v(v2, 2);
        assert_eq!(unread, None);
        let y2 = spec.y2.as_ref().expect("a second axis");
        assert!(!y2.grid_on_area && spec.y.grid_on_area);
        let on_y2: Vec<bool> = spec.datasets.iter().map(|d| d.on_y2).collect();
        assert_eq!(on_y2, [false, true]);
        assert!(!y2.v3 && !spec.y.v3);
        // Chart.js 3/4's sample: `y` and `y1`.
        let v3 = "{type:'line',data:{datasets:[{data:[1],yAxisID:'y'},{data:[2],yAxisID:'y1'}]},\
            options:{scales:{y:{position:'left'},y1:{position:'right',grid:{drawOnChartArea:false}}}}}";
        let (spec, unread) = read_v(v3, 4);
        assert_eq!(unread, None);
        assert!(spec.y2.as_ref().is_some_and(|y| !y.grid_on_area && y.v3));
        assert!(spec.datasets[1].on_y2 && !spec.datasets[0].on_y2);
        // One axis on the right is not drawn natively: its `position` stays unread.
        let right = "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{yAxes:[{position:'right'}]}}}";
        let (spec, unread) = read_v(right, 2);
        assert!(spec.y2.is_none());
        assert_eq!(unread.as_deref(), Some("options.scales.yAxes[0].position"));
        assert_eq!(spec_v("{type:'pie'}", 2).y2, None);
    }

    #[test]
    fn v2_time_axes_read_iso_epoch_and_label_times() {
        let jan = |d: f64| 1_577_836_800_000.0 + (d - 1.0) * 86_400_000.0;
        // Chart.js 2's time samples: ISO strings as x, `{t, y}`, dates as labels.
        let iso = "{type:'line',data:{datasets:[{data:[{x:'2020-01-01',y:1},{x:'2020-01-05T00:00:00Z',y:2}]}]},\
            options:{scales:{xAxes:[{type:'time',time:{unit:'day',displayFormats:{day:'MMM D'}}}]}}}";
        let (spec, unread) = read_v(iso, 2);
        assert_eq!(unread, None);
        assert_eq!(spec.x.kind, ScaleKind::Time);
        assert_eq!(
            spec.datasets[0].data,
            [Datum::Xy(jan(1.0), 1.0), Datum::Xy(jan(5.0), 2.0)]
        );
        let time = spec.x.time.as_ref().unwrap();
        assert_eq!(time.unit, Some(TimeUnit::Day));
        assert_eq!(time.formats, [(TimeUnit::Day, "MMM D".to_owned())]);
        let epoch = "{type:'line',data:{datasets:[{data:[{t:1577836800000,y:3}]}]},options:{scales:{xAxes:[{type:'time'}]}}}";
        assert_eq!(
            read_v(epoch, 2).0.datasets[0].data,
            [Datum::Xy(jan(1.0), 3.0)]
        );
        let labels =
            "{type:'line',data:{labels:['2020-01-01','2020-01-02'],datasets:[{data:[4,5,6]}]},\
            options:{scales:{xAxes:[{type:'time'}]}}}";
        let (spec, unread) = read_v(labels, 2);
        assert_eq!(unread, None);
        assert_eq!(
            spec.datasets[0].data,
            [
                Datum::Xy(jan(1.0), 4.0),
                Datum::Xy(jan(2.0), 5.0),
                Datum::Gap
            ]
        );
        // QuickChart's documented `time.parser`: read as moment reads it.
        let parser = |format: &str, label: &str| {
            format!(
                "{{type:'line',data:{{labels:['{label}'],datasets:[{{data:[1]}}]}},\
                 options:{{scales:{{xAxes:[{{type:'time',time:{{parser:'{format}'}}}}]}}}}}}"
            )
        };
        let (spec, unread) = read_v(&parser("MM/DD/YYYY HH:mm", "01/02/2020 06:00"), 2);
        assert_eq!(spec.x.kind, ScaleKind::Time);
        assert_eq!(spec.datasets[0].data, [Datum::Xy(jan(2.25), 1.0)]);
        assert_eq!(unread, None);
        // A format without a year (moment takes today's), or a label
        // moment calls invalid: Chart.js's.
        let (spec, unread) = read_v(&parser("MM/DD HH:mm", "01/02 06:00"), 2);
        assert_ne!(spec.x.kind, ScaleKind::Time);
        assert_eq!(unread.as_deref(), Some("options.scales.xAxes[0].time"));
        let (spec, unread) = read_v(&parser("MM/DD/YYYY", "13/45/2021"), 2);
        assert_ne!(spec.x.kind, ScaleKind::Time);
        assert!(unread.is_some());
        let zoned = "{type:'line',data:{datasets:[{data:[{x:'2020-01-01',y:1}]}]},\
            options:{scales:{xAxes:[{type:'time',time:{displayFormats:{day:'MMM D z'}}}]}}}";
        let (_, unread) = read_v(zoned, 2);
        assert_eq!(
            unread.as_deref(),
            Some("options.scales.xAxes[0].time.displayFormats.day")
        );
        // `distribution: 'series'`, `ticks.source: 'data'` and `'labels'`
        // are read; the labels' times kept for the last, sorted, each once.
        let series = "{type:'line',data:{datasets:[{data:[{x:'2020-01-01',y:1}]}]},\
            options:{scales:{xAxes:[{type:'time',distribution:'series',ticks:{source:'data'}}]}}}";
        let (spec, unread) = read_v(series, 2);
        assert_eq!(unread, None);
        let time = spec.x.time.expect("a time axis");
        assert!(time.series && time.data_ticks);
        let labels = "{type:'line',data:{labels:['2020-01-03','2020-01-01','2020-01-03'],\
            datasets:[{data:[{x:'2020-01-01',y:1}]}]},\
            options:{scales:{xAxes:[{type:'time',ticks:{source:'labels'}}]}}}";
        let (spec, unread) = read_v(labels, 2);
        assert_eq!(unread, None);
        let time = spec.x.time.expect("a time axis");
        let jan = |d: f64| 1_577_836_800_000.0 + (d - 1.0) * 86_400_000.0;
        assert_eq!(time.labels, [jan(1.0), jan(3.0)]);
        assert!(time.data_ticks && time.label_ticks);
        // Another source stays Chart.js's.
        let other = labels.replace("'labels'}", "'everywhere'}");
        assert_eq!(
            read_v(&other, 2).1.as_deref(),
            Some("options.scales.xAxes[0].ticks.source")
        );
    }

    #[test]
    fn time_axes_read_their_bounds_as_times() {
        let jan = |d: f64| 1_577_836_800_000.0 + (d - 1.0) * 86_400_000.0;
        let v2 = |axis: &str| {
            format!(
                "{{type:'line',data:{{datasets:[{{data:[{{x:'2020-01-01',y:1}},{{x:'2020-01-09',y:2}}]}}]}},\
                 options:{{scales:{{xAxes:[{{type:'time',{axis}}}]}}}}}}"
            )
        };
        let bounds = |src: &str, v: u8| {
            read_with(src, v, |s| {
                let loose = s.x.time.as_ref().unwrap().loose_bounds;
                (s.x.min, s.x.max, loose)
            })
        };
        // `ticks.min`/`max`, as the x values are read; `time.min` before
        // `ticks.min` (2.9.4's `getMin`), clipping loosely where only
        // `time` gives it.
        let ticks = v2("ticks:{min:'2020-01-03',max:1578441600000}");
        assert_eq!(
            bounds(&ticks, 2),
            ((Some(jan(3.0)), Some(jan(8.0)), [false, false]), None)
        );
        let both = v2("ticks:{min:'2020-01-03'},time:{min:'2020-01-02',max:'2020-01-06'}");
        assert_eq!(
            bounds(&both, 2),
            ((Some(jan(2.0)), Some(jan(6.0)), [false, true]), None)
        );
        // A bound at 0 is none to 2.9.4 (`parse(…) || min`).
        assert_eq!(bounds(&v2("ticks:{min:0}"), 2).0 .0, None);
        // A bound that is no time it reads stays unread, for Chart.js.
        assert_eq!(
            bounds(&v2("ticks:{min:'someday'}"), 2).1,
            Some("options.scales.xAxes[0].ticks.min".to_owned())
        );
        let v4 = "{type:'line',data:{datasets:[{data:[{x:'2020-01-01',y:1}]}]},\
                  options:{scales:{x:{type:'time',min:'2020-01-02',max:'2020-01-04'}}}}";
        assert_eq!(
            bounds(v4, 4),
            ((Some(jan(2.0)), Some(jan(4.0)), [false, false]), None)
        );
        // `suggestedMin`/`Max` too: kept by 3 and 4, read and dropped for
        // 2.9.4, whose time scale reads none.
        let suggested =
            |src: &str, v: u8| read_with(src, v, |s| (s.x.suggested_min, s.x.suggested_max));
        let v4 = v4.replace("min:", "suggestedMin:");
        assert_eq!(suggested(&v4, 4), ((Some(jan(2.0)), None), None));
        let v2 = v2("ticks:{suggestedMin:'2020-01-02'}");
        assert_eq!(suggested(&v2, 2), ((None, None), None));
    }

    #[test]
    fn v3_and_v4_time_scales_read_x_and_their_own_step() {
        let jan = |d: f64| 1_577_836_800_000.0 + (d - 1.0) * 86_400_000.0;
        // Chart.js 4's time scale sample: `{x, y}` points with ISO dates.
        let points = |x: &str| {
            format!(
                "{{type:'line',data:{{datasets:[{{data:[{{x:'2020-01-01',y:1}},{{t:'2020-01-09',x:'2020-01-05',y:2}}]}}]}},\
                 options:{{scales:{{x:{x}}}}}}}"
            )
        };
        for v in [3, 4] {
            let (spec, unread) = read_v(&points("{type:'time',time:{unit:'day'}}"), v);
            assert_eq!(unread, None);
            assert_eq!(spec.x.kind, ScaleKind::Time);
            assert!(spec.x.v3);
            // 3 and 4 read `x` alone, never Chart.js 2's `t`.
            assert_eq!(
                spec.datasets[0].data,
                [Datum::Xy(jan(1.0), 1.0), Datum::Xy(jan(5.0), 2.0)]
            );
            let labels =
                "{type:'line',data:{labels:['2020-01-01','2020-01-02'],datasets:[{data:[4,5]}]},\
                options:{scales:{x:{type:'time'}}}}";
            let spec = spec_v(labels, v);
            assert_eq!(
                spec.datasets[0].data,
                [Datum::Xy(jan(1.0), 4.0), Datum::Xy(jan(2.0), 5.0)]
            );
        }
        // `time.round` moves each time to its unit's start, before the key
        // is taken; `isoWeekday` is kept for weekly ticks.
        let rounded = points("{type:'time',time:{round:'day',isoWeekday:true}}")
            .replace("2020-01-05", "2020-01-05T18:30:00Z");
        let (spec, unread) = read_v(&rounded, 4);
        assert_eq!(unread, None);
        assert_eq!(spec.datasets[0].data[1], Datum::Xy(jan(5.0), 2.0));
        assert_eq!(spec.x.time.as_ref().unwrap().iso_weekday, Some(1));
        for odd in [
            "round:'fortnight'",
            "isoWeekday:0",
            "round:'week',isoWeekday:3",
        ] {
            let (spec, unread) = read_v(&points(&format!("{{type:'time',time:{{{odd}}}}}")), 4);
            assert!(unread.is_some(), "{odd}");
            assert_eq!(spec.datasets[0].data[1], Datum::Xy(jan(5.0), 2.0), "{odd}");
        }
        // The step: 3.9.1 reads `time.stepSize`, 4.4.1 `ticks.stepSize`.
        let stepped = points("{type:'time',time:{stepSize:2},ticks:{stepSize:3}}");
        let step = |v| spec_v(&stepped, v).x.time.unwrap().step;
        assert_eq!((step(3), step(4)), (Some(2), Some(3)));
        // `distribution` is Chart.js 2's: to 3 it means nothing the
        // native renderer promises, so Chart.js draws it.
        let series = points("{type:'time',distribution:'linear'}");
        assert_eq!(
            read_v(&series, 4).1.as_deref(),
            Some("options.scales.x.distribution")
        );
    }

    #[test]
    fn bar_border_radius_is_read_as_chartjs_3_and_4_read_it() {
        let bar = |ds: &str, opts: &str| {
            format!("{{type:'bar',data:{{labels:['a'],datasets:[{{data:[1]{ds}}}]}},options:{{{opts}}}}}")
        };
        let corners = |src: &str, v: u8| {
            let (spec, unread) = read_v(src, v);
            (
                spec.datasets[0].bar_corners,
                spec.datasets[0].border_skipped,
                unread,
            )
        };
        assert_eq!(
            corners(&bar(",borderRadius:8", ""), 4),
            ([8.0; 4], true, None)
        );
        assert_eq!(
            corners(
                &bar(
                    ",borderRadius:{topLeft:12,bottomLeft:-3},borderSkipped:false",
                    ""
                ),
                3
            ),
            ([12.0, 0.0, 0.0, 0.0], false, None)
        );
        // The bar element's, behind the dataset's.
        let element = bar(
            "",
            "elements:{bar:{borderRadius:'4',borderSkipped:'start'}}",
        );
        assert_eq!(corners(&element, 4), ([4.0; 4], true, None));
        // Chart.js 2 has no rounded bars: square, as it draws them.
        assert_eq!(
            corners(&bar(",borderRadius:8", ""), 2),
            ([0.0; 4], true, None)
        );
        // Per-bar lists, other edges and unknown corners are Chart.js's.
        for (ds, path) in [
            (",borderRadius:[4,8]", "data.datasets[0].borderRadius"),
            (",borderRadius:{top:4}", "data.datasets[0].borderRadius"),
            (",borderSkipped:'bottom'", "data.datasets[0].borderSkipped"),
        ] {
            assert_eq!(corners(&bar(ds, ""), 4).2.as_deref(), Some(path), "{ds}");
        }
    }

    #[test]
    fn a_v2_scatter_legend_box_takes_its_line_elements_width() {
        // Chart.js 2.9.4's legend reads a scatter dataset's line element
        // (3 px by default), its points the point element (1 px); Chart.js
        // 3 and 4 scatter datasets have no line element.
        let scatter = |ds: &str, opts: &str| {
            format!("{{type:'scatter',data:{{datasets:[{{data:[{{x:1,y:2}}]{ds}}}]}},options:{{{opts}}}}}")
        };
        let width = |src: &str, v: u8| {
            let ds = &spec_v(src, v).datasets[0];
            (ds.border_width, ds.legend_border_width)
        };
        assert_eq!(width(&scatter("", ""), 2), (1.0, Some(3.0)));
        assert_eq!(width(&scatter("", ""), 4), (1.0, None));
        assert_eq!(width(&scatter(",borderWidth:2", ""), 2), (2.0, None));
        let line5 = scatter("", "elements:{line:{borderWidth:5}}");
        assert_eq!(width(&line5, 2), (1.0, Some(5.0)));
        let line = "{type:'line',data:{datasets:[{data:[1,2]}]}}";
        assert_eq!(width(line, 2), (3.0, None));
    }

    /// The spec read from `src` at `version`, and its first unread option.
    fn read_v(src: &str, version: u8) -> (ChartSpec, Option<String>) {
        let limits = Limits::default();
        let value = literal::parse(src, &limits).unwrap();
        chart_spec_read(&value, &Packed::NONE, version, &limits, None).unwrap()
    }

    /// What `pick` takes from the spec read from `src`, and the first
    /// unread option.
    fn read_with<T>(src: &str, version: u8, pick: impl Fn(&ChartSpec) -> T) -> (T, Option<String>) {
        let (spec, unread) = read_v(src, version);
        (pick(&spec), unread)
    }

    fn spec(src: &str) -> ChartSpec {
        spec_v(src, 2)
    }

    fn err_v(src: &str, version: u8, limits: &Limits) -> ChartError {
        let value = literal::parse(src, &Limits::default()).unwrap();
        chart_spec(&value, version, limits, None).unwrap_err()
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
        // QuickChart: `lineTension = lineTension || 0` on v2 line charts.
        assert_eq!(
            (v2.tension, v2.fill, v2.border_width),
            (0.0, Fill::Origin, 3.0)
        );
        let curved = "{type:'line',data:{datasets:[{lineTension:0.4,data:[1,2]}]}}";
        assert_eq!(spec_v(curved, 2).datasets[0].tension, 0.4);
        // In a v2 bar chart a line dataset keeps Chart.js 2's 0.4.
        let mixed = "{type:'bar',data:{datasets:[{type:'line',data:[1,2]}]}}";
        assert_eq!(spec_v(mixed, 2).datasets[0].tension, 0.4);
        assert_eq!(
            (v2.point_radius, v2.stepped, v2.show_line),
            (3.0, Stepped::No, true)
        );
        for version in [3, 4] {
            let v3 = &spec_v(LINE, version).datasets[0];
            assert_eq!((v3.tension, v3.fill), (0.0, Fill::None));
        }
        // The same but for colors: Chart.js 3's grey, 4's Colors plugin.
        let grey = Paint::Single(Rgba(0, 0, 0, 26));
        assert_eq!(spec_v(LINE, 3).datasets[0].border, grey);
        assert_ne!(spec_v(LINE, 4).datasets[0].border, grey);
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
        let sets = ["{data:[1]}"; 11].join(",");
        // v2: QuickChart's Tableau10, by dataset index; bars keep Chart.js 2's
        // faint border; lines take it as border and half as fill.
        let s = spec_v(&format!("{{type:'bar',data:{{datasets:[{sets}]}}}}"), 2);
        assert_eq!(
            s.datasets[0].background,
            Paint::Single(Rgba(0x4E, 0x79, 0xA7, 255))
        );
        assert_eq!(s.datasets[0].border, Paint::Single(Rgba(0, 0, 0, 26)));
        assert_eq!(
            s.datasets[1].background,
            Paint::Single(Rgba(0xF2, 0x8E, 0x2B, 255))
        );
        assert_eq!(s.datasets[10].background, s.datasets[0].background);
        let own = spec_v(
            "{type:'line',data:{datasets:[{borderColor:'red',data:[1]},{data:[1]}]}}",
            2,
        );
        assert_eq!(
            own.datasets[1].border,
            Paint::Single(Rgba(0xF2, 0x8E, 0x2B, 255))
        );
        assert_eq!(
            own.datasets[1].background,
            Paint::Single(Rgba(0xF2, 0x8E, 0x2B, 128))
        );
        // v3/v4: the Colors plugin.
        let sets = ["{data:[1]}"; 8].join(",");
        let s = spec_v(&format!("{{type:'bar',data:{{datasets:[{sets}]}}}}"), 4);
        assert_eq!(s.datasets[0].border, Paint::Single(Rgba(54, 162, 235, 255)));
        assert_eq!(
            s.datasets[0].background,
            Paint::Single(Rgba(54, 162, 235, 128))
        );
        assert_eq!(s.datasets[1].border, Paint::Single(Rgba(255, 99, 132, 255)));
        assert_eq!(s.datasets[7].border, s.datasets[0].border);
        assert_eq!(s.datasets[0].border_width, 0.0);
        // Chart.js 4's plugin stands back when any color is set (one
        // dataset's, or the chart's elements'); Chart.js 3 has none.
        let grey = Paint::Single(Rgba(0, 0, 0, 26));
        let one_set = "{type:'bar',data:{datasets:[{backgroundColor:'red',data:[1]},{data:[1]}]}}";
        assert_eq!(spec_v(one_set, 4).datasets[1].background, grey);
        let elements = "{type:'bar',data:{datasets:[{data:[1]}]},options:{elements:{bar:{borderColor:'red'}}}}";
        assert_eq!(spec_v(elements, 4).datasets[0].background, grey);
        let s = spec_v(&format!("{{type:'bar',data:{{datasets:[{sets}]}}}}"), 3);
        assert_eq!(
            (&s.datasets[0].background, &s.datasets[0].border),
            (&grey, &grey)
        );
    }

    #[test]
    fn arc_charts_color_each_point() {
        // v2: Tableau10 slice by slice, from the first for every dataset.
        let q = spec_v(
            "{type:'pie',data:{labels:['a','b'],datasets:[{data:[1,2]},{data:[3]}]}}",
            2,
        );
        assert_eq!(q.datasets[0].background.at(1), Rgba(0xF2, 0x8E, 0x2B, 255));
        assert_eq!(q.datasets[1].background.at(0), Rgba(0x4E, 0x79, 0xA7, 255));
        let s = spec_v(
            "{type:'pie',data:{labels:['a','b'],datasets:[{data:[1,2]},{data:[3]}]}}",
            4,
        );
        let d = &s.datasets[0];
        assert_eq!(d.background.at(0), Rgba(54, 162, 235, 255));
        assert_eq!(d.background.at(1), Rgba(255, 99, 132, 255));
        assert_eq!(d.background.at(7), d.background.at(0));
        assert_eq!(d.border, Paint::Single(Rgba::WHITE));
        // The plugin's counter runs on across datasets.
        assert_eq!(s.datasets[1].background.at(0), Rgba(255, 159, 64, 255));
        let p = spec_v("{type:'polarArea',data:{datasets:[{data:[1,2]}]}}", 4);
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
        // Floating bars are read (their end, for the limits; Chart.js draws
        // them); an array elsewhere, or ends that are no values, are not.
        let floating = spec("{type:'bar',data:{datasets:[{data:[[1,2],[3],[null,5],['4','6']]}]}}");
        assert_eq!(
            floating.datasets[0].data,
            [Datum::Y(2.0), Datum::Gap, Datum::Gap, Datum::Y(6.0)]
        );
        assert!(bad("{type:'bar',data:{datasets:[{data:[['1e',2]]}]}}").contains("data[0][0]"));
        assert!(bad("{type:'line',data:{datasets:[{data:[[1,2]]}]}}").contains("floating"));
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
        // v2: QuickChart starts y at zero when the config has no `scales`.
        let line = spec_v("{type:'line',data:{datasets:[{data:[1]}]}}", 2);
        assert!(line.y.begin_at_zero);
        let given = spec_v(
            "{type:'line',data:{datasets:[{data:[1]}]},options:{scales:{}}}",
            2,
        );
        assert!(!given.y.begin_at_zero);
        let bars = spec_v(
            "{type:'bar',data:{datasets:[{data:[1]}]},options:{scales:{xAxes:[{}]}}}",
            2,
        );
        assert!(!bars.y.begin_at_zero);
        let across = spec_v("{type:'horizontalBar',data:{datasets:[{data:[1]}]}}", 2);
        assert!(!across.y.begin_at_zero);
        let line = spec_v("{type:'line',data:{datasets:[{data:[1]}]}}", 3);
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
        // Tick fitting reads alike in both spellings; unset, it stays out.
        let fitted = |src: &str, v| spec_v(src, v).x.fit;
        let v2_fit = fitted(
            "{type:'bar',options:{scales:{xAxes:[{ticks:{minRotation:90,maxRotation:90,\
             autoSkip:false,maxTicksLimit:8}}]}}}",
            2,
        );
        let v3_fit = fitted(
            "{type:'bar',options:{scales:{x:{ticks:{minRotation:90,maxRotation:90,\
             autoSkip:false,maxTicksLimit:8}}}}}",
            3,
        );
        assert_eq!(v2_fit, v3_fit);
        assert_eq!(
            (
                v2_fit.min_rotation,
                v2_fit.auto_skip,
                v2_fit.max_ticks_limit
            ),
            (Some(90.0), Some(false), Some(8))
        );
        assert!(fitted("{type:'bar'}", 2).is_default());
        // The same axis, but for Chart.js 2's zero line, which 3 dropped.
        assert_eq!(v2.y.zero_line, Some(Rgba(0, 0, 0, 64)));
        assert_eq!(v3.y.zero_line, None);
        let v2_as_v3 = Scale {
            zero_line: None,
            v3: true,
            ..v2.y.clone()
        };
        assert_eq!(v2_as_v3, v3.y);
        let custom =
            spec("{type:'line',options:{scales:{yAxes:[{gridLines:{zeroLineColor:'red'}}]}}}");
        assert_eq!(custom.y.zero_line, Some(Rgba(255, 0, 0, 255)));
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
        assert_eq!(
            Scale {
                v3: true,
                ..v2.r.clone()
            },
            v3.r
        );
        // Chart.js begins a radar's scale at its data's minimum, a polar
        // area's at zero (2.9.4's `polarArea` defaults, 4's likewise).
        assert!(!v2.r.begin_at_zero && v2.r.display);
        assert!(spec("{type:'polarArea'}").r.begin_at_zero);
        assert!(spec_v("{type:'polarArea'}", 4).r.begin_at_zero);
        assert_eq!(v2.r.max, Some(5.0));
        assert!(!spec("{type:'bar'}").r.display);
        assert_eq!(spec("{type:'radar'}").datasets.len(), 0);
    }

    #[test]
    fn radar_point_labels_have_a_font_of_their_own() {
        let radar = |options: &str| format!("{{type:'radar',options:{{scale:{{{options}}}}}}}");
        let default = spec(&radar("ticks:{fontColor:'blue',fontSize:20}")).point_labels;
        assert_eq!(default, PointLabels::default());
        assert_eq!(default.font.size, 10.0);
        let given = spec(&radar(
            "pointLabels:{fontSize:16,fontStyle:'bold',fontColor:'red',fontFamily:'Noto Sans Thai'}",
        ))
        .point_labels;
        assert!(given.display && given.font.bold && given.font.size == 16.0);
        assert_eq!(given.font.color, Rgba(255, 0, 0, 255));
        assert_eq!(given.font.family.as_deref(), Some("Noto Sans Thai"));
        assert!(
            !spec(&radar("pointLabels:{display:false}"))
                .point_labels
                .display
        );
        // Chart.js 3/4's spelling reads the same.
        let v4 = spec_v(
            "{type:'radar',options:{scales:{r:{pointLabels:{font:{size:16,weight:'bold'},color:'red'}}}}}",
            4,
        );
        let unnamed = Font {
            family: None,
            ..given.font.clone()
        };
        assert_eq!(v4.point_labels.font, unnamed);
        // Italic, as QuickChart's fonts page sets it, is read.
        let italic = spec(&radar("pointLabels:{fontSize:16,fontStyle:'bold italic'}"));
        let font = &italic.point_labels.font;
        assert!(font.bold && font.italic && font.size == 16.0);
        // Per-label colors are Chart.js's to draw: unread.
        let (read, unread) = read_v(&radar("pointLabels:{fontColor:['red','blue']}"), 2);
        assert_eq!(read.point_labels, PointLabels::default());
        assert!(unread.is_some_and(|p| p.contains("pointLabels")));
    }

    #[test]
    fn datasets_come_in_chartjs_order() {
        // Chart.js's mixed-chart sample: the line (order 1) drawn over the
        // bars (order 2), as the first dataset is drawn over the rest.
        let sample = "{type: 'bar', data: {datasets: [{label: 'Bar Dataset', data: [10, 20, 30, 40], order: 2}, {label: 'Line Dataset', data: [10, 10, 10, 10], type: 'line', order: 1}], labels: ['January', 'February', 'March', 'April']}}";
        for v in [2, 4] {
            let (read, unread) = read_v(sample, v);
            let names: Vec<&str> = read.datasets.iter().map(|d| d.label.as_str()).collect();
            assert_eq!(names, ["Line Dataset", "Bar Dataset"], "v{v}");
            assert_eq!(unread, None, "v{v}");
        }
        // Equal orders keep their index order; no order is order 0.
        let three = spec("{type: 'line', data: {datasets: [{label: 'a', order: 1}, {label: 'b'}, {label: 'c', order: 1}, {label: 'd', order: -1}]}}");
        let names: Vec<&str> = three.datasets.iter().map(|d| d.label.as_str()).collect();
        assert_eq!(names, ["d", "b", "a", "c"]);
        // Pies place slices and rings by index: a set order is Chart.js's.
        let (pie, unread) = read_v(
            "{type: 'pie', data: {datasets: [{label: 'a', order: 2}, {label: 'b', order: 1}]}}",
            2,
        );
        assert_eq!(pie.datasets[0].label, "a");
        assert!(unread.is_some_and(|p| p.ends_with("order")));
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

    /// Chart.js 4's subtitle sample, and title padding as a number or
    /// per side.
    #[test]
    fn subtitle_and_title_padding() {
        let v4 = spec_v(
            "{type:'line',options:{plugins:{title:{display:true,text:'Chart Title'},\
             subtitle:{display:true,text:'Chart Subtitle',color:'blue',\
             font:{size:12,family:'tahoma',weight:'normal',style:'italic'},padding:{bottom:10}}}}}",
            4,
        );
        assert_eq!(v4.title.unwrap().padding, Padding::even(10.0));
        let sub = v4.subtitle.unwrap();
        assert_eq!(sub.lines, ["Chart Subtitle"]);
        assert_eq!(sub.font.color, Rgba(0, 0, 255, 255));
        assert!(!sub.font.bold && sub.font.italic);
        assert_eq!((sub.padding.top, sub.padding.bottom), (0.0, 10.0));
        // A subtitle's defaults: normal weight, no padding, hidden.
        let plain = spec_v(
            "{type:'bar',options:{plugins:{subtitle:{display:true,text:'s'}}}}",
            3,
        );
        let sub = plain.subtitle.unwrap();
        assert_eq!((sub.font.bold, sub.padding), (false, Padding::even(0.0)));
        assert!(
            spec_v("{type:'bar',options:{plugins:{subtitle:{text:'s'}}}}", 4)
                .subtitle
                .is_none()
        );
        // Chart.js 2 has no subtitle: nothing of it is drawn.
        let v2 = spec("{type:'bar',options:{plugins:{subtitle:{display:true,text:'s'}}}}");
        assert!(v2.subtitle.is_none());
        let padded = spec("{type:'bar',options:{title:{display:true,text:'T',padding:4}}}");
        assert_eq!(padded.title.unwrap().padding, Padding::even(4.0));
    }

    #[test]
    fn pie_rotation_and_circumference_by_version() {
        use std::f64::consts::{FRAC_PI_2, PI};
        let w = |src: &str, v: u8| spec_v(src, v).sweep;
        assert_eq!(w("{type:'pie'}", 2), None);
        assert_eq!(
            w(
                "{type:'doughnut',options:{rotation:-1.5707963267948966}}",
                2
            ),
            None
        );
        // One turn more draws the same circle: the same key.
        assert_eq!(
            w("{type:'pie',options:{rotation:4.71238898038469}}", 2),
            None
        );
        let half = w("{type:'doughnut',options:{rotation:3.141592653589793,circumference:3.141592653589793}}", 2).unwrap();
        assert!((half.rotation - PI).abs() < 1e-12 && (half.circumference - PI).abs() < 1e-12);
        // v3/v4: degrees from 12 o'clock.
        let v3 = w(
            "{type:'doughnut',options:{rotation:-90,circumference:180}}",
            3,
        )
        .unwrap();
        assert!((v3.rotation + PI).abs() < 1e-12 || (v3.rotation - PI).abs() < 1e-12);
        assert!((v3.circumference - PI).abs() < 1e-12);
        assert_eq!(
            w("{type:'pie',options:{rotation:0,circumference:360}}", 3),
            None
        );
        assert_eq!(w("{type:'bar',options:{rotation:1}}", 2), None);
        // More than one turn is drawn as one.
        assert_eq!(w("{type:'pie',options:{circumference:99}}", 2), None);
        let quarter = w("{type:'pie',options:{rotation:0}}", 2).unwrap();
        assert_eq!((quarter.rotation, quarter.circumference), (0.0, 2.0 * PI));
        assert!(quarter.rotation > -FRAC_PI_2);
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
        assert_eq!(spec("{type:'bar'}").padding, Padding::even(0.0));
        assert_eq!(
            spec("{type:'bar',options:{layout:{padding:4}}}").padding,
            Padding::even(4.0)
        );
        let sides = "{type:'bar',options:{layout:{padding:{left:20,top:5,x:7,y:9}}}}";
        let at = |version| spec_v(sides, version).padding;
        let side = |top, right, bottom, left| Padding {
            top,
            right,
            bottom,
            left,
        };
        assert_eq!(
            at(2),
            side(5.0, 0.0, 0.0, 20.0),
            "Chart.js 2 reads no x or y"
        );
        assert_eq!(at(3), side(5.0, 7.0, 9.0, 20.0));
        assert!(
            bad("{type:'doughnut',options:{cutoutPercentage:'half'}}").contains("cutoutPercentage")
        );
    }

    #[test]
    fn point_options_follow_each_versions_chain() {
        let cfg = "{type:'line',data:{labels:['a','b','c'],datasets:[{data:[1,2,3],\
                   pointRadius:[2,10],radius:5,pointStyle:['rect','star'],\
                   pointBackgroundColor:'yellow',pointBorderColor:['red'],\
                   borderColor:'gray',pointBorderWidth:[4],borderWidth:6}]},\
                   options:{elements:{point:{pointStyle:'triangle'}}}}";
        let at = |version: u8, i: usize| {
            let s = spec_v(cfg, version);
            let d = &s.datasets[0];
            (
                d.point_radius_at(i),
                d.point_style_at(i),
                d.point_fill(i),
                d.point_border(i),
                d.point_border_width(i),
            )
        };
        let yellow = Rgba(255, 255, 0, 255);
        let (red, gray) = (Rgba(255, 0, 0, 255), Rgba(128, 128, 128, 255));
        // Chart.js 2 reads a list at the point's index, then goes on down
        // the chain (`radius`, the element's style, `borderColor`,
        // `borderWidth`) past its end.
        assert_eq!(at(2, 0), (2.0, PointStyle::Rect, yellow, red, 4.0));
        assert_eq!(at(2, 2), (5.0, PointStyle::Triangle, yellow, gray, 6.0));
        // Chart.js 3 and 4 start the list again.
        assert_eq!(at(3, 2), (2.0, PointStyle::Rect, yellow, red, 4.0));
        assert_eq!(at(4, 1), (10.0, PointStyle::Star, yellow, red, 4.0));
        // Nothing set: the dataset's colors (at v2 QuickChart's color
        // scheme colors the points), the element's 1 px.
        let plain = spec_v(
            "{type:'line',data:{datasets:[{data:[1],borderColor:'red'}]}}",
            3,
        );
        let d = &plain.datasets[0];
        assert!(d.marks.is_empty());
        assert_eq!((d.point_border(0), d.point_border_width(0)), (red, 1.0));
    }

    #[test]
    fn a_short_color_list_ends_or_cycles_as_each_version_reads_it() {
        let cfg = "{type:'bar',data:{labels:['a','b','c','d'],datasets:[{data:[1,2,3,4],\
                   backgroundColor:['red','blue'],borderColor:['red']}]}}";
        let (red, blue) = (Rgba(255, 0, 0, 255), Rgba(0, 0, 255, 255));
        let grey = Rgba(0, 0, 0, 26);
        // Chart.js 2: past the list's end, the element's rgba(0,0,0,0.1)
        // (seen side by side in Chromium); one color listed is not one
        // color given.
        let d = &spec_v(cfg, 2).datasets[0];
        let fills: Vec<Rgba> = (0..4).map(|i| d.background.at(i)).collect();
        assert_eq!(fills, [red, blue, grey, grey]);
        assert_eq!((d.border.at(0), d.border.at(1)), (red, grey));
        // Chart.js 3 and 4 start the list again.
        let d = &spec_v(cfg, 3).datasets[0];
        let fills: Vec<Rgba> = (0..4).map(|i| d.background.at(i)).collect();
        assert_eq!(fills, [red, blue, red, blue]);
        assert_eq!(d.border.at(3), red);
    }

    #[test]
    fn v3_keeps_room_for_the_points_at_the_chart_areas_edges() {
        let cfg = "{type:'line',data:{labels:['a','b'],datasets:[{data:[1,2],pointRadius:8,borderWidth:6}]}}";
        let padding = |version: u8| spec_v(cfg, version).auto_padding;
        // (max(8, hover 4) + 6) * 2 / 2, as `getMaxOverflow` measures it.
        assert_eq!((padding(2), padding(3), padding(4)), (0.0, 14.0, 14.0));
        let off = "{type:'line',data:{datasets:[{data:[1]}]},options:{layout:{autoPadding:false}}}";
        assert_eq!(spec_v(off, 3).auto_padding, 0.0);
        // Bars reach nowhere past their area.
        let bar = "{type:'bar',data:{datasets:[{data:[1]}]}}";
        assert_eq!(spec_v(bar, 3).auto_padding, 0.0);
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
        // A list of radii is the points' own; past its end, Chart.js 2
        // goes on to the point element's 3.
        assert_eq!(
            (d.point_style, d.marks.radius.as_slice(), d.border_width),
            (PointStyle::RectRot, [Some(4.0)].as_slice(), 2.0)
        );
        assert_eq!((d.point_radius_at(0), d.point_radius_at(1)), (4.0, 4.0));
        // The line's explicit width is its points' border too.
        assert_eq!(d.point_border_width(0), 2.0);
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
                matches!(chart_spec(&v, 2, &limits, None), Err(ChartError::BadRequest(m)) if m.contains("must be an object"))
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
        chart_spec(&value, 2, &small, None).unwrap();
    }

    #[test]
    fn negative_zero_never_reaches_the_spec() {
        let value = serde_json::json!({"type": "line", "data": {"datasets": [{"data": [-0.0, {"x": -0.0, "y": "-0"}]}]}});
        let s = chart_spec(&value, 2, &Limits::default(), None).unwrap();
        let text = serde_json::to_string(&s).unwrap();
        assert!(!text.contains("-0.0"), "{text}");
    }

    /// Chart.js 2 shows a `fill: false` line's border color in its legend
    /// box (`getStyle`), but a bar's background: bars have no `fill`.
    #[test]
    fn only_lines_unfilled_show_their_border_in_the_legend() {
        let chart = |kind: &str| {
            spec_v(
                &format!(
                    "{{type:'{kind}',data:{{labels:['a'],datasets:[{{data:[1],fill:false}}]}}}}"
                ),
                2,
            )
        };
        assert!(chart("line").datasets[0].legend_solid);
        assert!(!chart("bar").datasets[0].legend_solid);
        assert!(!chart("bubble").datasets[0].legend_solid);
    }
}
