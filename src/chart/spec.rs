//! The typed chart: what one request asks to be drawn, with every default filled in.
//!
//! This is the seam between parsing and drawing. The parser turns any accepted
//! spelling of a chart (Chart.js v2/v3/v4 option layouts, JSON or object literal,
//! GET or POST) into one `ChartRequest`; the renderer draws a `ChartRequest` and
//! knows nothing of how it was spelt. Because every default is explicit here, two
//! requests that draw the same picture serialize to the same bytes, and the cache
//! key (`chart::key`) hashes exactly those bytes.
//!
//! Rules that keep the serialization canonical:
//! - every field is a plain value (no maps, whose order could vary);
//! - floats are finite and never `-0.0` (the parser normalizes `-0` to `0`);
//! - colors are resolved to RGBA bytes, so `#FFF`, `white` and `rgb(255,255,255)` agree;
//! - options the renderer does not draw are not stored, so they cannot split a key.
//!
//! Whenever the renderer's output for a given `ChartRequest` changes, bump
//! `chart::key::KEY_CONTEXT` so old pictures are never served for new code.

use crate::labels::Drawer;
use serde::{Deserialize, Serialize};

/// One chart request: the chart and how it is to be encoded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartRequest {
    pub chart: ChartSpec,
    pub output: Output,
    /// Its config read the clock (`new Date()`): the same URL may evaluate
    /// to another chart later, so it is never aliased by URL. Not part of
    /// the key: the chart itself is.
    #[serde(skip)]
    pub reads_clock: bool,
    /// Drawn by Chart.js itself rather than natively (`route`): what it
    /// draws. Left out when `None`, so natively drawn charts keep their keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chartjs: Option<ChartJs>,
}

impl ChartRequest {
    /// Which renderer draws it.
    pub fn drawer(&self) -> Drawer {
        match self.chartjs {
            Some(_) => Drawer::ChartJs,
            None => Drawer::Native,
        }
    }

    /// The chart type as the config names it: a QuickChart type only
    /// Chart.js draws (`radialGauge`), else the parsed kind.
    pub fn type_name(&self) -> &'static str {
        self.chartjs
            .as_ref()
            .and_then(|c| c.quickchart_type)
            .unwrap_or_else(|| self.chart.kind.as_str())
    }
}

/// A chart for the Chart.js renderer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartJs {
    /// The Chart.js major version that draws it.
    pub version: u8,
    /// The config as evaluated JSON, functions as their canonical source.
    pub config: String,
    /// Its type when QuickChart's own (`route::chartjs_type`), which the
    /// spec names by its native stand-in. Read from `config`, so no part of
    /// the key.
    #[serde(skip)]
    pub quickchart_type: Option<&'static str>,
}

/// Canvas and encoding parameters (the QuickChart query parameters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// CSS width in pixels, before `device_pixel_ratio`.
    pub width: u32,
    /// CSS height in pixels, before `device_pixel_ratio`.
    pub height: u32,
    /// Output pixels are `width * ratio` by `height * ratio`; everything drawn
    /// (text, line widths, margins) scales with it, as in a browser.
    pub device_pixel_ratio: f64,
    /// Canvas background; fully transparent by default, as QuickChart.
    pub background: Rgba,
    pub format: Format,
}

impl Output {
    /// Output size in device pixels (what the PNG measures).
    pub fn pixel_size(&self) -> (u32, u32) {
        let scale = |v: u32| ((v as f64) * self.device_pixel_ratio).round().max(1.0) as u32;
        (scale(self.width), scale(self.height))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Svg => "image/svg+xml",
        }
    }
}

/// A color as 8-bit RGBA; alpha 0 is fully transparent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    pub const TRANSPARENT: Rgba = Rgba(0, 0, 0, 0);
    pub const WHITE: Rgba = Rgba(255, 255, 255, 255);
}

/// The chart families the renderer knows. A dataset may override the chart's
/// family (mixed charts), so datasets carry their own resolved `ChartKind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChartKind {
    Bar,
    Line,
    Scatter,
    Bubble,
    Pie,
    Doughnut,
    Radar,
    PolarArea,
}

impl ChartKind {
    /// The Chart.js type name, for analytics and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::Line => "line",
            ChartKind::Scatter => "scatter",
            ChartKind::Bubble => "bubble",
            ChartKind::Pie => "pie",
            ChartKind::Doughnut => "doughnut",
            ChartKind::Radar => "radar",
            ChartKind::PolarArea => "polarArea",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    X,
    Y,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    Top,
    Bottom,
    Left,
    Right,
}

/// Text style shared by titles, legends and ticks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Font {
    /// CSS pixels (scaled by the device pixel ratio when drawn).
    pub size: f64,
    pub bold: bool,
    /// CSS `italic` or `oblique` in v2's `fontStyle` or v3's `font.style`.
    /// Left out of the canonical form when upright, as most text is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
    pub color: Rgba,
    /// The CSS family list of `fontFamily` / `font.family`, as given: a
    /// loaded family it names is drawn first. Left out of the canonical
    /// form when absent, so keys of charts without it did not move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
}

impl Font {
    /// Chart.js's default text: 12 px in #666.
    pub fn chartjs(bold: bool) -> Font {
        Font {
            size: 12.0,
            bold,
            italic: false,
            color: Rgba(0x66, 0x66, 0x66, 255),
            family: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Title {
    /// One entry per line (Chart.js accepts a string or an array of lines).
    pub lines: Vec<String>,
    pub position: Position,
    pub font: Font,
    /// Space above and below the lines (`padding`; its left and right
    /// change nothing), CSS pixels. Left out of the canonical form at a
    /// title's 10, so charts that set none kept their keys.
    #[serde(
        default = "Title::padding_default",
        skip_serializing_if = "Title::padding_is_default"
    )]
    pub padding: Padding,
}

impl Title {
    /// Chart.js's title padding, 10 on every side (a subtitle's is 0).
    pub const PADDING: f64 = 10.0;

    fn padding_default() -> Padding {
        Padding::even(Title::PADDING)
    }

    fn padding_is_default(p: &Padding) -> bool {
        *p == Title::padding_default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Legend {
    pub display: bool,
    pub position: Position,
    pub font: Font,
    /// The items `labels.filter` leaves out, by index (datasets, or labels
    /// of pie-like charts); left out of the canonical form when none are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filtered: Vec<usize>,
    /// `labels.boxWidth`, CSS pixels; left out of the canonical form at
    /// Chart.js's 40, so charts that set none kept their keys.
    #[serde(
        default = "Legend::box_width_default",
        skip_serializing_if = "Legend::box_width_is_default"
    )]
    pub box_width: f64,
    /// `labels.usePointStyle` (Chart.js 2, line and scatter datasets): each
    /// item shows its dataset's point style instead of a box. Left out of
    /// the canonical form when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub use_point_style: bool,
    /// `align`: where the rows (columns, beside the chart) sit along the
    /// legend. Left out of the canonical form when centered, Chart.js's
    /// default, so charts that set none kept their keys.
    #[serde(default, skip_serializing_if = "LegendAlign::is_center")]
    pub align: LegendAlign,
}

/// A legend's `align`, as Chart.js reads it: `'start'` and `'end'`, and
/// anything else centered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LegendAlign {
    Start,
    #[default]
    Center,
    End,
}

impl LegendAlign {
    fn is_center(&self) -> bool {
        *self == LegendAlign::Center
    }
}

impl Legend {
    pub const BOX_WIDTH: f64 = 40.0;

    fn box_width_default() -> f64 {
        Self::BOX_WIDTH
    }

    fn box_width_is_default(w: &f64) -> bool {
        *w == Self::BOX_WIDTH
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScaleKind {
    /// Evenly spaced labels (the x axis of bar and line charts).
    Category,
    Linear,
    Logarithmic,
    /// Time (`type: 'time'`): values are milliseconds since 1970 UTC;
    /// `Scale::time` says how its ticks are chosen and written.
    Time,
}

/// A time scale's options (Chart.js 2's `time`), `None` or empty where the
/// config leaves Chart.js's default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeScale {
    /// `time.unit`: every tick is one; else chosen as Chart.js chooses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<TimeUnit>,
    /// `time.minUnit`: the finest unit Chart.js may choose for the ticks
    /// and their labels; `None` for its default, the millisecond.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_unit: Option<TimeUnit>,
    /// `time.stepSize`: units between ticks (Chart.js: 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// `time.displayFormats`: a moment format per unit, where the config
    /// replaces Chart.js's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<(TimeUnit, String)>,
    /// `time.isoWeekday`: weekly ticks fall on this day of the ISO week
    /// (1 Monday … 7 Sunday; `true` is 1), not on Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso_weekday: Option<u8>,
    /// `offset`: room of half a tick gap before the first tick and after
    /// the last, and grid lines between ticks, as Chart.js's bar charts
    /// default to (`offset`, `gridLines.offsetGridLines` / `grid.offset`).
    /// Left out of the canonical form when false, so line charts kept
    /// their keys.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub offset: bool,
    /// Chart.js 2's `ticks.source: 'data'`: a tick at each of the data's
    /// times, not on the unit's boundaries. Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub data_ticks: bool,
    /// Chart.js 2's `ticks.source: 'labels'`: the ticks are the times of
    /// `labels` rather than every time of the data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub label_ticks: bool,
    /// The times of `data.labels` (sorted, each once), where they are not
    /// all among the data's: Chart.js 2.9.4 spans the axis over them
    /// whatever its ticks. Empty (and left out of the canonical form) where
    /// the data are read at the labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<f64>,
    /// Chart.js 2's `distribution: 'series'`: the data's times evenly
    /// apart, each a tick (as with `data_ticks`). Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub series: bool,
    /// `bounds: 'ticks'`: the axis runs from the tick at or before the
    /// first time to the tick at or after the last, not from time to time.
    /// Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bounds_ticks: bool,
    /// Chart.js 2's `time.min` / `time.max` (the scale's `min` and `max`,
    /// first and second) bound the axis as `ticks.min` / `max` do, but a
    /// line is still clipped half its width past that end (2.9.4's
    /// `scaleClip` reads only `ticks`). Left out when neither.
    #[serde(default, skip_serializing_if = "is_neither")]
    pub loose_bounds: [bool; 2],
}

fn is_neither(pair: &[bool; 2]) -> bool {
    *pair == [false, false]
}

impl TimeScale {
    /// Whether its ticks are the data's own times (Chart.js 2's
    /// `ticks.source: 'data'`, or its `distribution: 'series'`).
    pub fn ticks_at_data(&self) -> bool {
        self.series || self.data_ticks
    }
}

/// Chart.js's time units, finest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 9] = [
        TimeUnit::Millisecond,
        TimeUnit::Second,
        TimeUnit::Minute,
        TimeUnit::Hour,
        TimeUnit::Day,
        TimeUnit::Week,
        TimeUnit::Month,
        TimeUnit::Quarter,
        TimeUnit::Year,
    ];

    /// The unit Chart.js names `name`.
    pub fn named(name: &str) -> Option<TimeUnit> {
        Self::ALL.into_iter().find(|u| u.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Millisecond => "millisecond",
            TimeUnit::Second => "second",
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Quarter => "quarter",
            TimeUnit::Year => "year",
        }
    }
}

/// One axis (`x`, `y`) or the radial scale `r` of radar and polarArea charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub display: bool,
    pub kind: ScaleKind,
    pub stacked: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub suggested_min: Option<f64>,
    pub suggested_max: Option<f64>,
    pub begin_at_zero: bool,
    pub reverse: bool,
    /// Axis title, drawn beside the axis when present.
    pub title: Option<String>,
    pub grid: bool,
    pub ticks: Font,
    pub title_font: Font,
    /// `ticks.callback`: the label of each tick, from a function of the
    /// config. Left out of the canonical form when absent, so charts
    /// without one keep their keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tick_callback: Option<Callback>,
    /// QuickChart's `tickFormat` plugin, on a numeric axis without a
    /// callback: each label as `Intl.NumberFormat` writes its value. Left
    /// out of the canonical form when absent, so other charts kept their
    /// keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tick_format: Option<NumberLabels>,
    /// Chart.js 3 and 4's own labels in the chart's `locale`, with the
    /// scale's `ticks.format`; `None` (left out of the canonical form) for
    /// en-US's without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale_numbers: Option<LocaleNumbers>,
    /// Chart.js 2's zero line: the grid line of value 0 (the first grid
    /// line of a category axis) drawn in `gridLines.zeroLineColor`, darker
    /// than the rest. `None` for Chart.js 3/4, which have none; left out of
    /// the canonical form then, so their keys did not move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_line: Option<Rgba>,
    /// How its tick labels are fitted; left out of the canonical form at
    /// Chart.js's defaults, so charts that set none kept their keys.
    #[serde(default, skip_serializing_if = "TickFit::is_default")]
    pub fit: TickFit,
    /// `gridLines.drawOnChartArea` (v3/v4 `grid.drawOnChartArea`): false
    /// keeps only the tick marks outside the chart area, as a second axis
    /// usually asks so that two grids do not cross. Left out of the
    /// canonical form when true, so charts that set none kept their keys.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub grid_on_area: bool,
    /// Read for Chart.js 3 or 4, whose rules differ from 2's where the
    /// picture shows it (how many decimals tick labels get). Left out of
    /// the canonical form when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub v3: bool,
    /// A time scale's options (`kind` is `Time`); left out of the
    /// canonical form for other scales.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeScale>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Chart.js's tick-fitting options (`ticks.minRotation`, `maxRotation`,
/// `autoSkip`, `maxTicksLimit`, `stepSize`, in v2 and v3/v4 alike), `None` where the
/// config leaves Chart.js's default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TickFit {
    /// Degrees (Chart.js: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_rotation: Option<f64>,
    /// Degrees (Chart.js: 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rotation: Option<f64>,
    /// Whether crowded labels are skipped (Chart.js: true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_skip: Option<bool>,
    /// The most ticks shown (Chart.js: 11 on a numeric axis, as many as
    /// fit on a category axis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ticks_limit: Option<usize>,
    /// A numeric axis's tick step (`ticks.stepSize`), positive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_size: Option<f64>,
}

/// How a dataset's bars fill their category: Chart.js's `barPercentage`,
/// `categoryPercentage`, `barThickness` (pixels; not `'flex'`) and
/// `maxBarThickness`, `None` where the config leaves Chart.js's default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BarFit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bar_percentage: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_percentage: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bar_thickness: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bar_thickness: Option<f64>,
}

fn square(corners: &[f64; 4]) -> bool {
    corners.iter().all(|r| *r == 0.0)
}

impl BarFit {
    pub fn is_default(&self) -> bool {
        *self == BarFit::default()
    }
}

impl TickFit {
    pub fn is_default(&self) -> bool {
        *self == TickFit::default()
    }
}

/// Numbers labelled as QuickChart's `tickFormat` plugin labels them:
/// `prefix + new Intl.NumberFormat(locale, options).format(value) + suffix`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberLabels {
    pub locale: Option<String>,
    /// The `Intl.NumberFormat` options the plugin was given (those the
    /// parser read), in key order.
    pub options: serde_json::Map<String, serde_json::Value>,
    pub prefix: String,
    pub suffix: String,
}

impl NumberLabels {
    /// The number format it names, or the error a browser would throw.
    pub fn number_format(&self) -> Result<crate::intl::NumberFormat, String> {
        crate::intl::NumberFormat::new(self.locale.as_deref(), &self.options)
    }

    /// The label of `value`.
    pub fn label(&self, format: &crate::intl::NumberFormat, value: f64) -> String {
        format!("{}{}{}", self.prefix, format.format(value), self.suffix)
    }
}

/// How Chart.js 3 and 4 write a linear scale's numbers (`formatters.numeric`):
/// `new Intl.NumberFormat(locale, {minimumFractionDigits: d,
/// maximumFractionDigits: d, ...format})`, `d` the decimals it reads from
/// the ticks, and `0` always as `"0"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocaleNumbers {
    pub locale: Option<String>,
    /// `ticks.format`: the options read, in key order.
    pub format: serde_json::Map<String, serde_json::Value>,
}

impl LocaleNumbers {
    /// The number format for a tick with `decimals`, in scientific notation
    /// when Chart.js switches to it; or the error a browser would throw
    /// (a `format` whose digits contradict the decimals).
    pub fn number_format(
        &self,
        decimals: usize,
        scientific: bool,
    ) -> Result<crate::intl::NumberFormat, String> {
        let mut options = serde_json::Map::new();
        if scientific {
            options.insert("notation".into(), "scientific".into());
        }
        options.insert("minimumFractionDigits".into(), decimals.into());
        options.insert("maximumFractionDigits".into(), decimals.into());
        options.extend(self.format.iter().map(|(k, v)| (k.clone(), v.clone())));
        crate::intl::NumberFormat::new(self.locale.as_deref(), &options)
    }
}

/// A function of the config, called at render as Chart.js calls it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    /// Its canonical source (`script::canonical_source`).
    pub source: String,
    /// Called as Chart.js 3/4 does (tick objects, a category's index as its
    /// value), else as Chart.js 2.
    pub v3: bool,
    /// On a category axis whose labels hold numbers: the labels as given
    /// (JSON). Chart.js passes a label to the callback as it is, so
    /// `new Date(label)` of an epoch number is that time; `labels` holds
    /// them as printed. `None`: the printed labels are what was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<String>,
}

impl Scale {
    /// A shown axis with Chart.js's defaults: grid lines, no bounds, not
    /// stacked, no title, default fonts.
    pub fn chartjs(kind: ScaleKind) -> Scale {
        Scale {
            display: true,
            kind,
            stacked: false,
            min: None,
            max: None,
            suggested_min: None,
            suggested_max: None,
            begin_at_zero: false,
            reverse: false,
            title: None,
            grid: true,
            ticks: Font::chartjs(false),
            title_font: Font::chartjs(false),
            tick_callback: None,
            tick_format: None,
            locale_numbers: None,
            zero_line: None,
            fit: TickFit::default(),
            grid_on_area: true,
            v3: false,
            time: None,
        }
    }
}

/// A pie's or doughnut's arc, in radians on the canvas (0 at 3 o'clock,
/// growing clockwise), as Chart.js 2 takes them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    pub rotation: f64,
    pub circumference: f64,
}

/// Chart-wide layout options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// The chart's own type; datasets may override it (mixed charts).
    pub kind: ChartKind,
    /// `Y` draws bars horizontally (v2 `horizontalBar`, v3+ `indexAxis: 'y'`).
    pub index_axis: Axis,
    /// Category labels; numbers are stored as Chart.js would print them.
    pub labels: Vec<String>,
    pub datasets: Vec<Dataset>,
    pub title: Option<Title>,
    /// Chart.js 3 and 4's `plugins.subtitle`: a second title, between the
    /// title and the legend. Left out of the canonical form when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<Title>,
    pub legend: Legend,
    /// The category (index) axis for bar/line; the horizontal one for scatter.
    pub x: Scale,
    /// The value axis.
    pub y: Scale,
    /// A second value axis, on the chart area's right (v2 `yAxes[1]` at
    /// `position: 'right'`, v3/v4 a second y scale there), for the
    /// datasets that name it (`Dataset::on_y2`). Left out of the canonical
    /// form when absent, so charts of one value axis kept their keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y2: Option<Scale>,
    /// Radial scale of radar and polarArea charts.
    pub r: Scale,
    /// A radar's point labels; left out of the canonical form at Chart.js's
    /// defaults, so charts that set none kept their keys.
    #[serde(default, skip_serializing_if = "PointLabels::is_default")]
    pub point_labels: PointLabels,
    /// Doughnut hole as a fraction of the radius (0 for pie).
    pub cutout: f64,
    /// Where a pie's or doughnut's first slice starts and how far the
    /// slices reach (`rotation`, `circumference`); `None` for a full circle
    /// from 12 o'clock, left out of the canonical form so those keep keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<Sweep>,
    /// `layout.padding`: room left free inside the canvas's edges.
    pub padding: Padding,
    /// How near the canvas's edges the chart area may come, CSS pixels:
    /// Chart.js 3 and 4 keep room for the points and lines that reach
    /// past it (`layout.autoPadding`). Left out of the canonical form when
    /// 0, so Chart.js 2 charts kept their keys.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub auto_padding: f64,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// A radar's labels around its scale (`pointLabels`): whether they show,
/// and their own font, which takes nothing from the ticks'.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointLabels {
    pub display: bool,
    pub font: Font,
}

impl PointLabels {
    /// Chart.js's point label size (2.9.4's and 4's defaults).
    pub const SIZE: f64 = 10.0;

    fn is_default(&self) -> bool {
        *self == PointLabels::default()
    }
}

impl Default for PointLabels {
    /// Shown, 10 px in the default color and family.
    fn default() -> Self {
        PointLabels {
            display: true,
            font: Font {
                size: PointLabels::SIZE,
                ..Font::chartjs(false)
            },
        }
    }
}

/// Padding on each side, CSS pixels. Written in the canonical form as one
/// number when the sides are equal (as every chart's was before sides
/// were read, so those kept their keys), else as `[top, right, bottom,
/// left]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Sides", into = "Sides")]
pub struct Padding {
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub left: f64,
}

impl Padding {
    pub fn even(v: f64) -> Padding {
        Padding {
            top: v,
            right: v,
            bottom: v,
            left: v,
        }
    }
}

/// `Padding` as the canonical form writes it.
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(untagged)]
enum Sides {
    Even(f64),
    Each([f64; 4]),
}

impl From<Sides> for Padding {
    fn from(s: Sides) -> Padding {
        match s {
            Sides::Even(v) => Padding::even(v),
            Sides::Each([top, right, bottom, left]) => Padding {
                top,
                right,
                bottom,
                left,
            },
        }
    }
}

impl From<Padding> for Sides {
    fn from(p: Padding) -> Sides {
        if p == Padding::even(p.top) {
            Sides::Even(p.top)
        } else {
            Sides::Each([p.top, p.right, p.bottom, p.left])
        }
    }
}

/// A fill or stroke color: one for the dataset, or one per data point
/// (Chart.js cycles a shorter list).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Paint {
    Single(Rgba),
    PerPoint(Vec<Rgba>),
}

impl Paint {
    /// The color of point `i`, cycling a per-point list.
    pub fn at(&self, i: usize) -> Rgba {
        match self {
            Paint::Single(c) => *c,
            Paint::PerPoint(v) if v.is_empty() => Rgba::TRANSPARENT,
            Paint::PerPoint(v) => v[i % v.len()],
        }
    }
}

/// One data value. Category charts use `Y` (the x is the label's index);
/// scatter and line charts with numeric x use `Xy`; bubble uses `Xyr`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Datum {
    /// `null`: a gap in a line, an empty bar.
    Gap,
    Y(f64),
    Xy(f64, f64),
    /// Bubble: `r` is the radius in CSS pixels.
    Xyr(f64, f64, f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    None,
    /// To the value axis zero (Chart.js `true` / `'origin'`).
    Origin,
    /// To the bottom of the chart area.
    Start,
    /// To the top of the chart area.
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stepped {
    No,
    Before,
    After,
    Middle,
}

/// The point element's border width, Chart.js's default for markers.
pub const POINT_BORDER: f64 = 1.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PointStyle {
    Circle,
    Cross,
    CrossRot,
    Dash,
    Line,
    Rect,
    RectRounded,
    RectRot,
    Star,
    Triangle,
    /// `false` in Chart.js: no point drawn.
    None,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Resolved family: the dataset's own `type`, else the chart's.
    pub kind: ChartKind,
    pub label: String,
    pub data: Vec<Datum>,
    pub background: Paint,
    pub border: Paint,
    /// CSS pixels.
    pub border_width: f64,
    /// Dash pattern in CSS pixels; empty for a solid line.
    pub border_dash: Vec<f64>,
    pub fill: Fill,
    /// Bezier tension of lines, 0 (straight) to 1.
    pub tension: f64,
    pub stepped: Stepped,
    pub point_style: PointStyle,
    /// CSS pixels; 0 draws no points.
    pub point_radius: f64,
    /// Whether line segments are drawn (false for plain scatter).
    pub show_line: bool,
    /// Chart.js 2's rule (`getStyle`): a dataset configured with `fill:
    /// false` (or `null`) shows its border color in its legend box, not
    /// its background. Left out of the canonical form when false, so the
    /// keys of charts without it did not move.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legend_solid: bool,
    /// `spanGaps`: the line runs on over missing values instead of
    /// breaking. Left out of the canonical form when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub span_gaps: bool,
    /// Fill and border of its point markers where they are not its
    /// `background` and `border`: QuickChart's colorschemes plugin colors
    /// v2 line points from its palette even when the dataset sets its own
    /// colors. Left out of the canonical form when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_colors: Option<(Rgba, Rgba)>,
    /// How its bars fill their category; left out of the canonical form at
    /// Chart.js's defaults, so charts that set none kept their keys.
    #[serde(default, skip_serializing_if = "BarFit::is_default")]
    pub bar_fit: BarFit,
    /// Its bars' corner radii (Chart.js 3 and 4's `borderRadius`), CSS
    /// pixels: top left, top right, bottom right, bottom left. Left out of
    /// the canonical form when all are square.
    #[serde(default, skip_serializing_if = "square")]
    pub bar_corners: [f64; 4],
    /// Its bars leave the border off their base edge (`borderSkipped:
    /// 'start'`, Chart.js's default), or draw it all round (`false`). Left
    /// out of the canonical form when true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub border_skipped: bool,
    pub hidden: bool,
    /// Drawn against the chart's second value axis (`ChartSpec::y2`): its
    /// `yAxisID` names it. Left out of the canonical form when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_y2: bool,
    /// Stack group: bars stack with the bars of the same group when the
    /// value axis is stacked.
    pub stack: String,
    /// Gradients and patterns that fill this dataset's bars, slices or
    /// area in place of `background` (which keeps a color of each for
    /// legends and markers): one for all points, or one per point
    /// (cycling); left out of the canonical form when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shades: Vec<Option<Shade>>,
    /// The gradient or pattern a line or radar outline is stroked with in
    /// place of `border` (which keeps a color for legends); left out of the
    /// canonical form when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub border_shade: Option<Shade>,
    /// The width Chart.js strokes the dataset's legend box with, where it
    /// is not `border_width`: a Chart.js 2 scatter dataset's legend takes
    /// its line element's (`borderWidth`, else `elements.line.borderWidth`,
    /// 3), its points the point element's. Left out of the canonical form
    /// when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legend_border_width: Option<f64>,
    /// The datalabels plugin's labels on this dataset's points; left out
    /// of the canonical form when none are drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datalabels: Option<DataLabels>,
    /// Its point markers' own options (`pointRadius: [...]`,
    /// `pointBackgroundColor`, `pointBorderWidth`, ...) where the config
    /// sets them; left out of the canonical form when it sets none.
    #[serde(default, skip_serializing_if = "Marks::is_empty")]
    pub marks: Marks,
}

/// A line, scatter or radar dataset's point options that are not the
/// dataset's own, each resolved at parse time for the config's Chart.js
/// version: one value for every point, or one per point (a list or a
/// function; Chart.js 2 goes on to the next option past a list's end, 3
/// and 4 start the list again), `None` where the dataset's own default
/// holds; empty when the config sets none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Marks {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub radius: Vec<Option<f64>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub style: Vec<Option<PointStyle>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fill: Vec<Option<Rgba>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stroke: Vec<Option<Rgba>>,
    /// CSS pixels; the default is the point element's 1 px.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub width: Vec<Option<f64>>,
}

impl Marks {
    pub fn is_empty(&self) -> bool {
        self == &Marks::default()
    }
}

/// Point `i`'s value of a `Marks` option: the one value, the point's own,
/// or `default` where the option does not set it.
fn mark<T: Copy>(values: &[Option<T>], i: usize, default: T) -> T {
    match values {
        [one] => one.unwrap_or(default),
        many => many.get(i).copied().flatten().unwrap_or(default),
    }
}

impl ChartSpec {
    /// The value axis `ds` is drawn against.
    pub fn value_scale(&self, ds: &Dataset) -> &Scale {
        match &self.y2 {
            Some(y2) if ds.on_y2 => y2,
            _ => &self.y,
        }
    }

    /// Whether a dataset is filled or stroked with a gradient.
    pub fn has_gradient(&self) -> bool {
        let linear = |s: &Shade| matches!(s, Shade::Linear { .. });
        self.datasets.iter().any(|d| {
            d.shades.iter().flatten().any(linear) || d.border_shade.as_ref().is_some_and(linear)
        })
    }
}

impl Dataset {
    /// The fill of point `i`'s marker.
    /// (The color scheme's point colors stand only where the config sets
    /// none: the plugin fills in only what is undefined.)
    pub fn point_fill(&self, i: usize) -> Rgba {
        match self.point_colors {
            Some(scheme) if self.marks.fill.is_empty() => scheme.0,
            _ => mark(&self.marks.fill, i, self.background.at(i)),
        }
    }

    /// The border of point `i`'s marker.
    pub fn point_border(&self, i: usize) -> Rgba {
        match self.point_colors {
            Some(scheme) if self.marks.stroke.is_empty() => scheme.1,
            _ => mark(&self.marks.stroke, i, self.border.at(i)),
        }
    }

    /// The radius of point `i`'s marker, CSS pixels.
    pub fn point_radius_at(&self, i: usize) -> f64 {
        mark(&self.marks.radius, i, self.point_radius)
    }

    /// The style of point `i`'s marker.
    pub fn point_style_at(&self, i: usize) -> PointStyle {
        mark(&self.marks.style, i, self.point_style)
    }

    /// The width of point `i`'s marker's border, CSS pixels.
    pub fn point_border_width(&self, i: usize) -> f64 {
        mark(&self.marks.width, i, POINT_BORDER)
    }

    /// The gradient or pattern that fills point `i`, if any.
    pub fn shade(&self, i: usize) -> Option<&Shade> {
        match self.shades.len() {
            0 => None,
            n => self.shades[i % n].as_ref(),
        }
    }
}

/// A fill that is not one color: QuickChart's `getGradientFill` and
/// `pattern.draw` helpers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Shade {
    /// A linear gradient along the line from `from` to `to` (CSS pixels of
    /// the canvas), colors at offsets 0 to 1 along it, padded beyond.
    Linear {
        from: (f64, f64),
        to: (f64, f64),
        stops: Vec<(f64, Rgba)>,
    },
    /// A tile of `size` CSS pixels, repeated from the canvas's corner,
    /// drawn by these fills and strokes (patternomaly's shapes).
    Pattern { size: f64, ops: Vec<TileOp> },
}

/// One fill or stroke of a pattern's tile: a path of lines (`Move` starts
/// a sub-path) in tile pixels; strokes have round caps and joins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TileOp {
    pub fill: bool,
    pub color: Rgba,
    pub width: f64,
    pub path: Vec<PathCmd>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum PathCmd {
    Move(f64, f64),
    Line(f64, f64),
    Close,
}

/// chartjs-plugin-datalabels' labels of one dataset, each option resolved
/// (scriptable ones per point, when the config is read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataLabels {
    /// Each data point's label, its lines joined by `\n`; `None` draws
    /// none (`display: false`, or the formatter answered `null`).
    pub texts: Vec<Option<String>>,
    /// Points whose `display` is `'auto'`: hidden where they overlap a
    /// label before them (the plugin's collision hiding); empty when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auto: Vec<bool>,
    pub color: Paint,
    /// CSS pixels.
    pub size: f64,
    pub bold: bool,
    /// `font.style` italic or oblique; left out of the canonical form when
    /// upright, as `family` when unset, so charts without them kept their
    /// keys.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
    /// `font.family`, the CSS family list (see `Font::family`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Distance between two lines' baselines, CSS pixels.
    pub line_height: f64,
    pub anchor: LabelAnchor,
    pub align: LabelAlign,
    /// From the anchor along the align direction, CSS pixels.
    pub offset: f64,
    /// Inside the label's box: top, right, bottom, left.
    pub padding: [f64; 4],
    pub background: Option<Paint>,
    pub border: Option<Paint>,
    pub border_width: f64,
    pub border_radius: f64,
    /// Degrees, clockwise.
    pub rotation: f64,
    /// Lines within the box: start, center or end.
    pub text_align: LabelAnchor,
}

/// Where on its element a label is anchored (and, for `text_align`, where
/// in its box a line sits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelAnchor {
    Start,
    Center,
    End,
}

/// Which way a label moves from its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelAlign {
    Center,
    Start,
    End,
    Top,
    Bottom,
    Left,
    Right,
    /// Degrees, clockwise from 3 o'clock.
    Angle(f64),
}
