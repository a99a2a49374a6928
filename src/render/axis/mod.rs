//! Cartesian axes: fitting ticks and labels to an axis's length (Chart.js
//! tick counts; crowded category labels turned and thinned as Chart.js 2.9.4
//! turns and skips them, or shortened, so they never overlap), the room an
//! axis takes beside the chart area, and drawing its grid lines, tick labels
//! and title.

mod draw;
mod offsets;
mod series;
mod time_fit;

use super::callbacks;
use super::geom::Rect;
use super::numfmt;
use super::scale::{Categories, Range, Tick, ValueScale};
use super::text;
use super::ticks::{self, MAX_TICKS};
use super::time;
use super::RenderError;
use crate::chart::spec::{LocaleNumbers, NumberLabels, Rgba, Scale};
use offsets::Offsets;
use std::f64::consts::FRAC_PI_2;

/// Chart.js's grid color, rgba(0, 0, 0, 0.1).
pub(crate) const GRID: Rgba = Rgba(0, 0, 0, 26);
/// Grid lines reach this far past the chart area as tick marks (Chart.js
/// 2's `gridLines.tickMarkLength`); tick labels start right at their end
/// (`ticks.padding` 0).
const TICK_LEN: f64 = 10.0;
/// Chart.js 3 and 4: `grid.tickLength`, and `ticks.padding` between a
/// tick mark's end and its label, kept again beyond the labels (`fit`
/// adds `padding * 2`).
const TICK_LEN_V3: f64 = 8.0;
const TICK_PADDING_V3: f64 = 3.0;
/// What Chart.js 2.9.4's scale `fit` adds at a horizontal axis's ends "to
/// move away from canvas edges", beyond its labels' overhang.
const H_AXIS_END_PAD: f64 = 3.0;
/// Room an axis keeps beyond its tick labels, in tick line heights
/// (`lineSpace` in Chart.js 2.9.4's scale `fit`).
const LINE_SPACE: f64 = 0.4;
const TITLE_PAD: f64 = 4.0;
/// Space between neighbouring labels, in ems.
const LABEL_GAP_EM: f64 = 0.6;
/// Pixels per tick Chart.js allows a horizontal numeric axis.
const H_TICK_SPACING: f64 = 40.0;
/// Chart.js 3 and 4's `ticks.autoSkipPadding`: room between labels their
/// autoskip keeps.
const AUTO_SKIP_PAD_V3: f64 = 3.0;
/// Chart.js's default `ticks.maxRotation`, in degrees.
const MAX_ROTATION: f64 = 50.0;
/// What Chart.js keeps clear beside a flat label before it turns them: 3
/// px each side (`calculateTickRotation`).
const ROTATION_PAD: f64 = 6.0;

/// Which side of the chart area an axis runs along.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edge {
    Left,
    Bottom,
    /// A second value axis, beside the chart area's right edge.
    Right,
}

/// What an axis shows.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind<'a> {
    Category {
        labels: &'a [String],
        cats: Categories,
    },
    Value(Range),
    /// A Chart.js 2 time axis from `lo` to `hi`, milliseconds.
    Time {
        lo: f64,
        hi: f64,
    },
}

#[derive(Clone, Copy, Debug)]
enum Map {
    Category(Categories),
    Value(ValueScale),
    /// A time axis: its times edge to edge (never reversed here; the
    /// axis's `reverse` turns the whole; `Axis::series` spaces them
    /// instead when it is set), moved by its `offset`.
    Time(ValueScale, Offsets),
}

/// One axis, fitted to a length.
pub(crate) struct Axis<'a> {
    opts: &'a Scale,
    edge: Edge,
    kind: Kind<'a>,
    map: Map,
    /// Label widths of a category axis, measured once, or of a time
    /// axis's every tick, shown or skipped.
    widths: Vec<f64>,
    /// Where the first and last of those labels sit, as fractions of the
    /// axis: Chart.js 2.9.4 pads the axis for them, shown or skipped.
    ends: [f64; 2],
    /// The ticks of a time axis that bars take their width from, beside
    /// their data's gaps (`computeMinSampleSize`): 2.9.4's every tick, 3
    /// and 4's shown ones; fractions of the axis.
    samples: Vec<f64>,
    /// The x values of a time axis's data, sorted, each once: Chart.js
    /// 2.9.4's ticks with `ticks.source: 'data'`, and what `distribution:
    /// 'series'` spaces evenly.
    times: Vec<f64>,
    /// `distribution: 'series'`: the times the axis spaces evenly, the
    /// first and last its ends (`series::decimal`); empty for a linear one.
    series: Vec<f64>,
    /// Longest a label may be across the axis before it is shortened.
    max_across: f64,
    /// The most room a bottom axis may take across, as Chart.js bounds a
    /// horizontal box (half the canvas's height within its padding): what
    /// decides how far labels turn.
    room: f64,
    /// The length Chart.js 2.9.4 builds a numeric axis's ticks for, and
    /// skips their labels by. Its layout fits vertical boxes once, before
    /// the title, legend and bottom axis take their room (`updateDims` never
    /// reports the change that would fit them again): the canvas height
    /// within the layout padding, so at 200×150 it packs ten ticks into an
    /// 80 px axis. A bottom axis is fitted after the side axes, before its
    /// own end labels' overhang narrows the chart area. `None`: the axis's
    /// own length (Chart.js 3 and 4 fit again).
    layout_len: Option<f64>,
    /// The length Chart.js 2.9.4 skips a bottom category axis's labels by
    /// (`_autoSkip` reads `_length`): the layout's width less what the side
    /// boxes and the axis's own end labels take (`getMargins` with
    /// `maxPadding`), so narrower than `layout_len` by the labels' overhang.
    skip_len: Option<f64>,
    /// The canvas's CSS width, which Chart.js 2.9.4 turns labels by.
    canvas_w: f64,
    ticks: Vec<Tick>,
    grid: Vec<f64>,
    /// How far a bottom axis's category labels are turned, radians
    /// counter-clockwise; 0 flat.
    rotation: f64,
    label_across: f64,
    /// Room the axis takes beside the chart area.
    pub(crate) thickness: f64,
    /// How far labels reach past the axis's start and end.
    pub(crate) overhang: (f64, f64),
    /// What a bottom axis keeps clear past its start and end, in the
    /// chart area's sides (`end_room`).
    pub(crate) end_room: (f64, f64),
}

/// What a bottom axis keeps clear past each end when its labels reach
/// `reach` past them (negative: they stop short): Chart.js 2.9.4's `fit`
/// adds 3 px to the overhang; 3 and 4's `_calculatePadding` adds the ticks'
/// padding to the reach inside its `max(…, 0)`. Nothing for a hidden axis.
fn end_room(opts: &Scale, reach: (f64, f64)) -> (f64, f64) {
    let room = |r: f64| {
        if !opts.display {
            0.0
        } else if opts.v3 {
            (r + TICK_PADDING_V3).max(0.0)
        } else {
            r.max(0.0) + H_AXIS_END_PAD
        }
    };
    (room(reach.0), room(reach.1))
}

impl<'a> Axis<'a> {
    pub(crate) fn new(
        opts: &'a Scale,
        edge: Edge,
        kind: Kind<'a>,
        (max_across, room): (f64, f64),
    ) -> Axis<'a> {
        // Chart.js 2 hands a vertical axis's ticks to its formatter top
        // down; `reverse` turns them round, in every version.
        let descending = (edge != Edge::Bottom && !opts.v3) != opts.reverse;
        let kind = match kind {
            Kind::Value(range) => Kind::Value(range.labelled_descending(descending)),
            category => category,
        };
        let (map, widths) = match kind {
            Kind::Category { labels, cats } => {
                let font = &opts.ticks;
                let widths = (0..cats.n)
                    .map(|i| labels.get(i).map_or(0.0, |l| text::measure(font, l)))
                    .collect();
                (Map::Category(cats), widths)
            }
            Kind::Value(_) => (
                Map::Value(ValueScale {
                    log: false,
                    lo: 0.0,
                    hi: 1.0,
                    reverse: false,
                }),
                Vec::new(),
            ),
            Kind::Time { lo, hi } => (
                Map::Time(
                    ValueScale {
                        log: false,
                        lo,
                        hi,
                        reverse: false,
                    },
                    Offsets::NONE,
                ),
                Vec::new(),
            ),
        };
        Axis {
            opts,
            edge,
            kind,
            map,
            widths,
            ends: [0.0, 1.0],
            samples: Vec::new(),
            times: Vec::new(),
            series: Vec::new(),
            max_across: max_across.max(0.0),
            room: room.max(0.0),
            layout_len: None,
            skip_len: None,
            canvas_w: f64::INFINITY,
            ticks: Vec::new(),
            grid: Vec::new(),
            rotation: 0.0,
            label_across: 0.0,
            thickness: 0.0,
            overhang: (0.0, 0.0),
            // Before the labels are measured: none reaches past an end.
            end_room: end_room(opts, (0.0, 0.0)),
        }
    }

    /// Lays a Chart.js 2 axis out as its layout fits it: ticks built for
    /// `len` (`layout_len`) and category labels skipped for `narrowed`
    /// (`skip_len`), labels turned on a canvas `canvas_w` CSS pixels wide
    /// (a bottom time axis only turns its labels so; its unit and skipping
    /// keep its own length). Chart.js 3 and 4 axes and side category axes
    /// keep their own length (a 3 or 4 bottom axis takes only the canvas
    /// width its labels turn by).
    pub(crate) fn set_layout(&mut self, (len, narrowed): (f64, f64), canvas_w: f64) {
        let laid_out = match self.kind {
            Kind::Value(_) => true,
            Kind::Category { .. } | Kind::Time { .. } => self.edge == Edge::Bottom,
        };
        if !self.opts.v3 && laid_out {
            self.layout_len = Some(len.max(1.0));
            self.skip_len = Some(narrowed.max(1.0));
        }
        // Chart.js 3 and 4 update a bottom axis once, for the width beside
        // the side boxes, before its own end labels' padding narrows the
        // chart area (`fitBoxes`, then `handleMaxPadding`): its labels are
        // turned and skipped for that width.
        if self.opts.v3 && self.edge == Edge::Bottom && !matches!(self.kind, Kind::Value(_)) {
            self.skip_len = Some(len.max(1.0));
        }
        // Every version turns a bottom axis's labels for at most the
        // canvas width less the widest label (`calculateTickRotation`,
        // 3 and 4's `calculateLabelRotation`).
        if laid_out && self.edge == Edge::Bottom {
            self.canvas_w = canvas_w;
        }
    }

    /// The scale's options.
    pub(crate) fn opts(&self) -> &'a Scale {
        self.opts
    }

    /// Chooses ticks and labels for an axis `len` CSS pixels long, and
    /// measures the room it then takes.
    pub(crate) fn fit(&mut self, len: f64) -> Result<(), RenderError> {
        let len = len.max(1.0);
        match self.kind {
            Kind::Category { labels, cats } => self.fit_categories(labels, cats, len),
            Kind::Value(range) => self.fit_values(range, len)?,
            Kind::Time { lo, hi } => self.fit_time(lo, hi, len)?,
        }
        self.measure(len);
        Ok(())
    }

    /// Where `v` (a value, or a category index) falls, 0 at the axis start.
    pub(crate) fn frac(&self, v: f64) -> f64 {
        match &self.map {
            Map::Category(c) => c.frac(v),
            Map::Value(s) => s.frac(v),
            Map::Time(s, offsets) => {
                let f = offsets.apply(self.time_decimal(s, v));
                if self.opts.reverse {
                    1.0 - f
                } else {
                    f
                }
            }
        }
    }

    /// The pixel coordinate of `v` along this axis over `area`.
    pub(crate) fn px(&self, v: f64, area: &Rect) -> f64 {
        let f = self.frac(v);
        match self.edge {
            Edge::Bottom => area.l + f * area.w(),
            Edge::Left | Edge::Right => area.b - f * area.h(),
        }
    }

    pub(crate) fn value_scale(&self) -> Option<&ValueScale> {
        match &self.map {
            Map::Value(s) => Some(s),
            Map::Category(_) | Map::Time(..) => None,
        }
    }

    pub(crate) fn categories(&self) -> Option<&Categories> {
        match &self.map {
            Map::Category(c) => Some(c),
            Map::Value(_) | Map::Time(..) => None,
        }
    }

    /// The ticks bars on a time axis take their width from (`samples`).
    pub(crate) fn sample_ticks(&self) -> &[f64] {
        &self.samples
    }

    pub(crate) fn shown(&self) -> bool {
        self.opts.display
    }

    fn gap(&self) -> f64 {
        LABEL_GAP_EM * self.opts.ticks.size.max(0.0)
    }

    /// The length Chart.js 3 and 4 turn, skip and count a bottom axis's
    /// labels for (`skip_len`); Chart.js 2's own.
    fn v3_len(&self, len: f64) -> f64 {
        match self.opts.v3 {
            true => self.skip_len.unwrap_or(len),
            false => len,
        }
    }

    fn fit_categories(&mut self, labels: &[String], cats: Categories, len: f64) {
        let font = &self.opts.ticks;
        let n = cats.n;
        let (rotation, step) = match self.edge {
            Edge::Left | Edge::Right => (0.0, self.stacked_step(cats.band() * len)),
            Edge::Bottom => {
                // Chart.js 2.9.4 skips for the width its layout gave the
                // axis less the room its end labels took.
                let laid = self.skip_len.unwrap_or(len);
                let rotation = self.rotation(self.turn_len(len), cats.offset);
                let step = match (self.opts.v3, self.opts.fit.auto_skip) {
                    (true, Some(false)) => 1,
                    (true, _) => self.skip_v3(laid, rotation, cats.offset),
                    (false, _) => self.skip_step(laid, rotation, cats.offset),
                };
                (rotation, step)
            }
        };
        self.rotation = rotation;
        self.ends = [cats.frac(0.0), cats.frac(n.saturating_sub(1) as f64)];
        let cap = self.shortened_at();
        self.ticks = (0..n)
            .step_by(step)
            .map(|i| Tick {
                at: cats.frac(i as f64),
                value: i as f64,
                label: Some(
                    text::fit(font, labels.get(i).map_or("", String::as_str), cap).into_owned(),
                ),
            })
            .collect();
        self.grid = if cats.offset {
            let edge = |i: usize| {
                let f = i as f64 / n.max(1) as f64;
                if cats.flip {
                    1.0 - f
                } else {
                    f
                }
            };
            let mut g: Vec<f64> = (0..n).step_by(step).map(edge).collect();
            g.push(edge(n));
            g
        } else {
            self.ticks.iter().map(|t| t.at).collect()
        };
    }

    /// The longest a category label may be before it is shortened: on a
    /// side axis, `max_across`; on a bottom axis any length, drawn whole
    /// from its tick as Chart.js draws it, past the canvas's edge where it
    /// is that long.
    fn shortened_at(&self) -> f64 {
        match self.edge {
            Edge::Left | Edge::Right => self.max_across,
            Edge::Bottom => f64::INFINITY,
        }
    }

    /// The longest a label counts for the axis's depth: on a side axis,
    /// `max_across`; turned on a bottom axis, as long as fits the axis's
    /// room across (Chart.js caps the axis's height at what its layout
    /// allows, its labels reaching beyond); flat, any length.
    fn label_cap(&self) -> f64 {
        match self.edge {
            Edge::Left | Edge::Right => self.max_across,
            Edge::Bottom if self.rotation > 0.0 => {
                let (sin, cos) = self.rotation.sin_cos();
                let room = self.room - self.tick_len() - self.line_space() - self.title_room();
                ((room - self.turned_height() * cos) / sin).max(0.0)
            }
            Edge::Bottom => f64::INFINITY,
        }
    }

    /// The length a bottom axis `len` long turns its labels for: the width
    /// Chart.js's layout gave it (2.9.4: before its end labels narrowed it;
    /// 3 and 4: in the one update it has, `v3_len`), bounded by the canvas
    /// width less the widest label (`calculateTickRotation`, 3 and 4's
    /// `calculateLabelRotation`).
    fn turn_len(&self, len: f64) -> f64 {
        self.layout_len
            .unwrap_or_else(|| self.v3_len(len))
            .min(self.canvas_w - self.widest())
    }

    fn widest(&self) -> f64 {
        self.widths.iter().fold(0.0f64, |m, w| m.max(*w))
    }

    /// How far a bottom axis `len` long turns its category labels (Chart.js
    /// 2.9.4's `calculateTickRotation`): `ticks.minRotation` (0) when the
    /// widest label and 6 px fit between ticks; else as far as it takes for
    /// a line of text (and 6 px) to fit between ticks along the turned
    /// labels, as far as the axis's room allows, within `minRotation` and
    /// `maxRotation` (50 degrees). Chart.js 2 bounds `len` by the canvas
    /// width less the widest label too (`fit_categories`).
    fn rotation(&self, len: f64, offset: bool) -> f64 {
        let fit = &self.opts.fit;
        let min = fit.min_rotation.unwrap_or(0.0).to_radians();
        let max = fit.max_rotation.unwrap_or(MAX_ROTATION).to_radians();
        // A label turned past a quarter reads no better: Chart.js draws it
        // upside down; here it stops at a quarter.
        let min = min.clamp(0.0, FRAC_PI_2);
        let n = self.widths.len() as f64;
        if !self.opts.display || n <= 1.0 || min >= max {
            return min;
        }
        let widest = self.widest();
        let spacing = if offset { len / n } else { len / (n - 1.0) };
        if widest + ROTATION_PAD <= spacing {
            return min;
        }
        let spacing = len / (n - if offset { 0.5 } else { 1.0 });
        let lh = text::line_height(&self.opts.ticks);
        let height = self.turned_height();
        let diagonal = widest.hypot(height);
        let max_height = self.room - self.label_offset() - self.title_room();
        let by_spacing = ((lh + ROTATION_PAD) / spacing).min(1.0).asin();
        let by_height = (max_height / diagonal).min(1.0).asin() - (height / diagonal).asin();
        // `min` keeps the spacing's angle where the height's is NaN (no
        // text); the spacing's is always a number.
        by_spacing.min(by_height).clamp(min, max.min(FRAC_PI_2))
    }

    /// Every how many categories a bottom axis shows a label (Chart.js
    /// 2.9.4's `_autoSkip` without major ticks): as many as fit when each
    /// takes what the widest label, turned by `rotation`, takes along the
    /// axis (`_tickSize`). Chart.js counts one label more than fit
    /// (`ticksLimit`), which lets labels touch; on a short axis of many
    /// labels they would overlap by pixels, and there a label fewer is
    /// shown.
    fn skip_step(&self, len: f64, rotation: f64, offset: bool) -> usize {
        if self.opts.fit.auto_skip == Some(false) {
            return 1;
        }
        self.skip_every(len, rotation, offset)
    }

    /// `skip_step` whatever `autoSkip` says (a time axis's generated ticks).
    fn skip_every(&self, len: f64, rotation: f64, offset: bool) -> usize {
        let n = self.widths.len();
        let (w, h) = (self.widest(), text::line_height(&self.opts.ticks));
        let (cos, sin) = (rotation.cos().abs(), rotation.sin().abs());
        let size = if h * cos > w * sin { w / cos } else { h / sin };
        if size.is_nan() || size <= 0.0 || n < 2 {
            return 1;
        }
        let limit = match self.opts.fit.max_ticks_limit {
            Some(most) => most as f64,
            None => len / size + 1.0,
        };
        let chartjs = ((n - 1) as f64 / limit).max(1.0).ceil();
        let apart = len / if offset { n as f64 } else { (n - 1) as f64 };
        let legible = ((size - 1.0) / apart).ceil();
        (chartjs.max(legible) as usize).clamp(1, n)
    }

    /// Every how many ticks Chart.js 3 and 4 show a label (`autoSkip`
    /// without major ticks): as many as fit when each takes the widest
    /// label and `autoSkipPadding` (3 px) along the axis, turned by
    /// `rotation`, one more than fit without an `offset`
    /// (`determineMaxTicks`), at most `maxTicksLimit`; then every
    /// `ceil(ticks / limit)`th from the first.
    fn skip_v3(&self, len: f64, rotation: f64, offset: bool) -> usize {
        let n = self.widths.len();
        let w = self.widest() + AUTO_SKIP_PAD_V3;
        let h = text::line_height(&self.opts.ticks) + AUTO_SKIP_PAD_V3;
        let (cos, sin) = (rotation.cos().abs(), rotation.sin().abs());
        let size = if h * cos > w * sin { w / cos } else { h / sin };
        if size.is_nan() || size <= 0.0 || n < 2 {
            return 1;
        }
        let fits = (len / size + if offset { 0.0 } else { 1.0 })
            .floor()
            .max(1.0);
        let limit = self
            .opts
            .fit
            .max_ticks_limit
            .map_or(fits, |m| fits.min(m as f64));
        ((n as f64 / limit).max(1.0).ceil() as usize).clamp(1, n)
    }

    /// The step at which labels stacked a line apart on a vertical axis
    /// clear each other.
    fn stacked_step(&self, spacing: f64) -> usize {
        let need = text::line_height(&self.opts.ticks) + self.gap() / 2.0;
        let n = self.widths.len().max(1);
        if need <= spacing {
            1
        } else {
            ticks::nice_skip((need / spacing.max(1e-9)).ceil().min(n as f64) as usize)
        }
    }

    fn fit_values(&mut self, range: Range, len: f64) -> Result<(), RenderError> {
        let font = &self.opts.ticks;
        let lh = text::line_height(font);
        let (scale, ticks) = if range.is_log() {
            let need = match self.edge {
                Edge::Left | Edge::Right => lh + 2.0,
                Edge::Bottom => {
                    let [a, b] = range.sample_labels();
                    text::measure(font, &a).max(text::measure(font, &b)) + self.gap()
                }
            };
            range.log_ticks(len, need)
        } else {
            self.chartjs_linear(range, self.layout_len.unwrap_or(len))?
        };
        let ticks = match &self.opts.tick_callback {
            Some(cb) => callbacks::tick_labels(cb, ticks)?,
            None if range.is_log() => self.number_labels(range, ticks)?,
            // Labelled in `chartjs_linear`, before they are skipped.
            None => ticks,
        };
        self.map = Map::Value(scale);
        self.grid = ticks.iter().map(|t| t.at).collect();
        self.ticks = ticks.into_iter().filter(|t| t.label.is_some()).collect();
        self.rotation = 0.0;
        Ok(())
    }

    /// A Chart.js linear axis laid out for `len` px (`layout_len` on a
    /// Chart.js 2 vertical axis): `_computeTickLimit` / `computeTickLimit`
    /// (a tick a line of text up the axis, one per 40 px across, at most
    /// `maxTicksLimit` or 11), the labels then thinned by `_autoSkip` /
    /// `autoSkip` (one label more than `len` holds, each as tall as a line
    /// or as wide as the widest label; Chart.js 3 and 4 add their
    /// `autoSkipPadding`, 3 px, and floor the count), counted from the tick
    /// Chart.js lists first (2.9.4: the top one on a vertical axis; 3.9.1:
    /// the lowest), a grid line kept per label kept. Where the chart area is
    /// shorter than `len` the labels crowd, as they do in Chart.js.
    fn chartjs_linear(
        &self,
        range: Range,
        len: f64,
    ) -> Result<(ValueScale, Vec<Tick>), RenderError> {
        let font = &self.opts.ticks;
        let lh = text::line_height(font).max(1.0);
        let vertical = self.edge != Edge::Bottom;
        let fit = &self.opts.fit;
        let most = fit.max_ticks_limit.unwrap_or(MAX_TICKS);
        let per_tick = if vertical {
            lh.min(H_TICK_SPACING)
        } else {
            H_TICK_SPACING
        };
        let (scale, ticks) =
            range.linear_ticks(((len / per_tick).ceil() as usize).clamp(2, most))?;
        // Chart.js labels every tick, then skips by the labels' sizes.
        let mut ticks = self.number_labels(range, ticks)?;
        if fit.auto_skip == Some(false) {
            return Ok((scale, ticks));
        }
        let pad = if self.opts.v3 { AUTO_SKIP_PAD_V3 } else { 0.0 };
        let size = pad
            + if vertical {
                lh
            } else {
                let label = |t: &Tick| t.label.as_deref().map_or(0.0, |l| text::measure(font, l));
                ticks.iter().map(label).fold(0.0, f64::max)
            };
        let fits = len / size.max(1.0) + 1.0;
        let fits = if self.opts.v3 {
            fits.floor().max(1.0)
        } else {
            fits
        };
        let limit = fit.max_ticks_limit.map_or(fits, |m| m as f64);
        let every = (ticks.len() as f64 / limit).max(1.0).ceil() as usize;
        // Chart.js 2 lists the highest tick first on a vertical axis, the
        // lowest on a horizontal one; 3 and 4 the lowest on either;
        // `reverse` turns each round.
        let max_first = (vertical && !self.opts.v3) != self.opts.reverse;
        let n = ticks.len();
        let mut i = 0;
        ticks.retain(|_| {
            let listed = if max_first { n - 1 - i } else { i };
            i += 1;
            listed % every == 0
        });
        Ok((scale, ticks))
    }

    /// `ticks` labelled by QuickChart's `tickFormat`, else in Chart.js 3
    /// and 4's `locale` and `ticks.format` (linear axes), else as they are;
    /// an axis with a callback of its own is labelled by it, later.
    fn number_labels(&self, range: Range, ticks: Vec<Tick>) -> Result<Vec<Tick>, RenderError> {
        if self.opts.tick_callback.is_some() {
            return Ok(ticks);
        }
        match (&self.opts.tick_format, &self.opts.locale_numbers) {
            (Some(labels), _) => tick_format_labels(labels, ticks),
            (None, Some(numbers)) if !range.is_log() => {
                locale_labels(numbers, range.tick_format(), ticks)
            }
            _ => Ok(ticks),
        }
    }

    /// How far a tick's label reaches before and after it along the axis,
    /// and across the axis (`reach`).
    fn tick_reach(&self, t: &Tick) -> (f64, f64, f64) {
        match &t.label {
            Some(label) => self.reach(text::measure(&self.opts.ticks, label)),
            None => (0.0, 0.0, 0.0),
        }
    }

    /// How far a label `w` wide reaches before and after its tick along the
    /// axis, and across the axis. A turned label hangs from its tick, its
    /// end and the middle of its line there (Chart.js 2.9.4's
    /// `paddingLeft`, `paddingRight` and label height for a rotated bottom
    /// axis).
    fn reach(&self, w: f64) -> (f64, f64, f64) {
        let lh = text::line_height(&self.opts.ticks);
        match self.edge {
            Edge::Left | Edge::Right => (lh / 2.0, lh / 2.0, w),
            Edge::Bottom if self.rotation > 0.0 => {
                let (sin, cos) = self.rotation.sin_cos();
                let half = lh / 2.0;
                // Along the axis, 3 and 4 (`_calculatePadding`) count the
                // first label's turned width alone before its tick and a
                // whole line after the last; 2.9.4 half a line each.
                let (lead, tail) = if self.opts.v3 {
                    (0.0, lh * sin)
                } else {
                    (half * sin, half * sin)
                };
                (w * cos + lead, tail, w * sin + self.turned_height() * cos)
            }
            Edge::Bottom => (w / 2.0, w / 2.0, lh),
        }
    }

    /// The height a turned label counts across the axis (before its
    /// turn's cosine): 2.9.4 half a line (`highest.height - offset`), 3
    /// and 4 a whole line (`fit`, `calculateLabelRotation`).
    fn turned_height(&self) -> f64 {
        let lh = text::line_height(&self.opts.ticks);
        if self.opts.v3 {
            lh
        } else {
            lh / 2.0
        }
    }

    /// The reach of the first and last labels shown, at their ticks, each
    /// as far across as the widest shown (Chart.js 3 and 4's `fit` and
    /// `_calculatePadding` after `autoSkip`).
    fn shown_reach(&self) -> Vec<((f64, f64, f64), f64)> {
        let cap = self.label_cap();
        let font = &self.opts.ticks;
        let shown: Vec<(f64, f64)> = self
            .ticks
            .iter()
            .filter_map(|t| Some((text::measure(font, t.label.as_deref()?), t.at)))
            .collect();
        let widest = shown.iter().fold(0.0f64, |m, (w, _)| m.max(*w));
        let across = self.reach(widest.min(cap)).2;
        [shown.first(), shown.last()]
            .into_iter()
            .flatten()
            .map(|&(w, at)| {
                let (before, after, _) = self.reach(w.min(cap));
                ((before, after, across), at)
            })
            .collect()
    }

    /// Room beyond the tick labels: Chart.js 2 keeps 0.4 of a line when
    /// there are labels and they are not turned; 3 and 4 keep `ticks.padding`
    /// twice over (once before the labels, once after), turned or not.
    pub(crate) fn line_space(&self) -> f64 {
        let labelled = self.ticks.iter().any(|t| t.label.is_some());
        if self.opts.v3 {
            return if labelled { 2.0 * TICK_PADDING_V3 } else { 0.0 };
        }
        if self.rotation == 0.0 && labelled {
            LINE_SPACE * text::line_height(&self.opts.ticks)
        } else {
            0.0
        }
    }

    fn tick_len(&self) -> f64 {
        match (self.opts.grid, self.opts.v3) {
            (false, _) => 0.0,
            (true, false) => TICK_LEN,
            (true, true) => TICK_LEN_V3,
        }
    }

    /// From the chart area's edge to where tick labels start: the tick
    /// mark, then (Chart.js 3 and 4) `ticks.padding`.
    fn label_offset(&self) -> f64 {
        self.tick_len() + if self.opts.v3 { TICK_PADDING_V3 } else { 0.0 }
    }

    fn title_room(&self) -> f64 {
        match &self.opts.title {
            Some(t) if !t.is_empty() => 2.0 * TITLE_PAD + text::line_height(&self.opts.title_font),
            _ => 0.0,
        }
    }

    fn measure(&mut self, len: f64) {
        if !self.opts.display {
            (self.thickness, self.overhang, self.label_across) = (0.0, (0.0, 0.0), 0.0);
            self.end_room = end_room(self.opts, (0.0, 0.0));
            return;
        }
        // Each labelled tick's reach, where it is; a category or time axis
        // is sized and padded by all its labels, shown or skipped, as
        // Chart.js 2.9.4 sizes it (`_getLabelSizes`: the widest, the first,
        // the last); 3 and 4 size it after skipping, by the labels shown.
        let reaches: Vec<((f64, f64, f64), f64)> = match self.kind {
            Kind::Category { .. } | Kind::Time { .. } if self.opts.v3 => self.shown_reach(),
            Kind::Category { .. } | Kind::Time { .. } if !self.widths.is_empty() => {
                let cap = self.label_cap();
                let last = self.widths.len() - 1;
                let across = self.reach(self.widest().min(cap)).2;
                [(0, self.ends[0]), (last, self.ends[1])]
                    .map(|(i, at)| {
                        let (before, after, _) = self.reach(self.widths[i].min(cap));
                        ((before, after, across), at)
                    })
                    .into()
            }
            _ => self
                .ticks
                .iter()
                .map(|t| (self.tick_reach(t), t.at))
                .collect(),
        };
        // How far labels reach past each end: negative when they stop short.
        let (mut across, mut reach) = (0.0f64, (f64::NEG_INFINITY, f64::NEG_INFINITY));
        for ((before, after, a), at) in reaches {
            let pos = at * len;
            across = across.max(a);
            reach.0 = reach.0.max(before - pos);
            reach.1 = reach.1.max(pos + after - len);
        }
        // Without labels nothing reaches past an end.
        let finite = |r: f64| if r.is_finite() { r } else { 0.0 };
        let reach = (finite(reach.0), finite(reach.1));
        self.label_across = across;
        self.overhang = (reach.0.max(0.0), reach.1.max(0.0));
        self.end_room = end_room(self.opts, reach);
        self.thickness = self.tick_len() + across + self.line_space() + self.title_room();
    }
}

/// Chart.js 3 and 4's labels of linear `ticks` in a `locale` and with a
/// `ticks.format` (`formatters.numeric`): the decimals `format` reads from
/// the ticks, scientific beyond the magnitudes it writes plainly, and `0`
/// always `"0"`.
fn locale_labels(
    numbers: &LocaleNumbers,
    format: numfmt::TickFormat,
    mut ticks: Vec<Tick>,
) -> Result<Vec<Tick>, RenderError> {
    let values: Vec<f64> = ticks.iter().map(|t| t.value).collect();
    let places = format.places(&values);
    let scientific = numfmt::scientific_at(&values);
    // The ticks of an axis mostly share their decimals: one format each.
    let mut made: Option<(usize, crate::intl::NumberFormat)> = None;
    for t in &mut ticks {
        if t.label.is_none() {
            continue;
        }
        if t.value == 0.0 {
            t.label = Some("0".to_owned());
            continue;
        }
        let decimals = places(t.value);
        let f = match made {
            Some((d, ref f)) if d == decimals => f,
            _ => {
                let f = numbers
                    .number_format(decimals, scientific)
                    .map_err(|e| RenderError::Invalid(format!("ticks.format: {e}")))?;
                &made.insert((decimals, f)).1
            }
        };
        t.label = Some(f.format(t.value));
    }
    Ok(ticks)
}

/// The labels QuickChart's `tickFormat` gives `ticks`: a tick left
/// unlabelled (a logarithmic axis's between its decades) stays so.
fn tick_format_labels(
    labels: &NumberLabels,
    mut ticks: Vec<Tick>,
) -> Result<Vec<Tick>, RenderError> {
    let format = labels.number_format().map_err(RenderError::Invalid)?;
    for t in &mut ticks {
        if t.label.is_some() {
            t.label = Some(labels.label(&format, t.value));
        }
    }
    Ok(ticks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::{ScaleKind, TickFit, TimeScale, TimeUnit};

    fn scale() -> Scale {
        Scale {
            title: Some("axis".into()),
            ..Scale::chartjs(ScaleKind::Category)
        }
    }

    fn disjoint(boxes: &[Rect]) -> bool {
        boxes.iter().enumerate().all(|(i, a)| {
            boxes[i + 1..]
                .iter()
                .all(|b| a.r <= b.l || b.r <= a.l || a.b <= b.t || b.b <= a.t)
        })
    }

    #[test]
    fn crowded_long_labels_never_overlap() {
        let labels: Vec<String> = (0..200)
            .map(|i| format!("A rather long category label number {i}"))
            .collect();
        let opts = scale();
        for (edge, len) in [
            (Edge::Bottom, 700.0),
            (Edge::Bottom, 90.0),
            (Edge::Left, 300.0),
        ] {
            let cats = Categories {
                n: labels.len(),
                offset: false,
                flip: edge == Edge::Left,
            };
            let mut axis = Axis::new(
                &opts,
                edge,
                Kind::Category {
                    labels: &labels,
                    cats,
                },
                (120.0, 150.0),
            );
            axis.fit(len).unwrap();
            let area = Rect::new(100.0, 0.0, 100.0 + len, len);
            let boxes = axis.label_boxes(&area);
            assert!(
                boxes.len() >= 2 && boxes.len() < 200,
                "{edge:?}: {}",
                boxes.len()
            );
            if axis.rotation > 0.0 {
                // Turned labels are parallel strips a line high: apart when
                // their ticks are a line apart across the strips. Chart.js's
                // autoskip counts one tick more than fit (`ticksLimit`), so
                // it lets them touch by under a pixel; so does ours.
                let lh = text::line_height(&opts.ticks);
                let apart = axis
                    .ticks
                    .windows(2)
                    .all(|t| (t[1].at - t[0].at).abs() * len * axis.rotation.sin() >= lh - 1.0);
                assert!(apart, "{edge:?} turned labels overlap");
            } else {
                assert!(disjoint(&boxes), "{edge:?} labels overlap");
            }
            assert!(axis.label_across <= 120.0 + 1e-9);
        }
    }

    #[test]
    fn turned_bottom_labels_are_drawn_whole_past_a_shallow_axis() {
        // Chart.js 2.9.4 caps a bottom axis's depth at what its layout
        // allows and draws each turned label whole from its tick, past the
        // canvas's edge (71-vertical-labels at 200x150): never "Januar…".
        let labels: Vec<String> = ["January 2025", "February 2025", "September 2025"]
            .map(String::from)
            .into();
        let opts = scale();
        let cats = Categories {
            n: labels.len(),
            offset: true,
            flip: false,
        };
        let kind = Kind::Category {
            labels: &labels,
            cats,
        };
        let mut axis = Axis::new(&opts, Edge::Bottom, kind, (120.0, 40.0));
        axis.fit(60.0).unwrap();
        assert!(axis.rotation > 0.0);
        let shown: Vec<&str> = axis
            .ticks
            .iter()
            .filter_map(|t| t.label.as_deref())
            .collect();
        assert!(!shown.is_empty());
        assert!(
            shown.iter().all(|l| labels.iter().any(|w| w == l)),
            "{shown:?}"
        );
        assert!(axis.thickness <= 40.0, "{}", axis.thickness);
    }

    #[test]
    fn roomy_labels_are_all_shown_flat() {
        let labels: Vec<String> = ["Jan", "Feb", "Mar", "Apr"].map(String::from).into();
        let opts = scale();
        let cats = Categories {
            n: 4,
            offset: true,
            flip: false,
        };
        let mut axis = Axis::new(
            &opts,
            Edge::Bottom,
            Kind::Category {
                labels: &labels,
                cats,
            },
            (100.0, 150.0),
        );
        axis.fit(400.0).unwrap();
        assert_eq!(axis.ticks.len(), 4);
        assert_eq!(axis.rotation, 0.0);
        assert_eq!(axis.grid.len(), 5);
    }

    #[test]
    fn numeric_axes_keep_labels_apart() {
        let mut opts = scale();
        opts.kind = ScaleKind::Linear;
        // Chart.js 3 and 4 skip labels that would overlap; Chart.js 2 lets
        // them touch (below).
        opts.v3 = true;
        let mut ext = super::super::scale::Extent::default();
        ext.add(0.0);
        ext.add(123_456_789.0);
        let range = Range::new(&opts, ext).unwrap();
        for (edge, len) in [
            (Edge::Bottom, 300.0),
            (Edge::Bottom, 60.0),
            (Edge::Left, 100.0),
        ] {
            let mut axis = Axis::new(&opts, edge, Kind::Value(range), (200.0, 150.0));
            axis.fit(len).unwrap();
            let area = Rect::new(100.0, 0.0, 100.0 + len, len);
            assert!(disjoint(&axis.label_boxes(&area)), "{edge:?} at {len}");
            // Where two 12-digit labels do not fit across 60 px, Chart.js
            // 3's `autoSkip` keeps the first alone.
            let least = if len < 100.0 { 1 } else { 2 };
            assert!(axis.ticks.len() >= least, "{edge:?} at {len}");
        }
    }

    /// Chart.js 2.9.4 at 200×150 (seen in Chromium): y 31-72 drawn 30-75 by
    /// 5 (its layout builds the y axis for the canvas's 150 px, a tick a
    /// 14.4 px line), x 20-85 drawn 20-100 by 20 for the 165 px beside the y axis
    /// (a tick per 40 px), every label shown.
    #[test]
    fn chartjs2_numeric_axes_tick_as_chartjs_does() {
        let mut opts = scale();
        opts.kind = ScaleKind::Linear;
        let values = |lo: f64, hi: f64, edge: Edge, (layout, len): (f64, f64)| {
            let mut ext = super::super::scale::Extent::default();
            ext.add(lo);
            ext.add(hi);
            let range = Range::new(&opts, ext).unwrap();
            let mut axis = Axis::new(&opts, edge, Kind::Value(range), (200.0, 150.0));
            axis.set_layout((layout, layout), 200.0);
            axis.fit(len).unwrap();
            axis.ticks.iter().map(|t| t.value).collect::<Vec<f64>>()
        };
        let y: Vec<f64> = (6..=15).map(|k| f64::from(k) * 5.0).collect();
        assert_eq!(values(31.0, 72.0, Edge::Left, (150.0, 77.0)), y);
        assert_eq!(
            values(20.0, 85.0, Edge::Bottom, (165.0, 150.0)),
            [20.0, 40.0, 60.0, 80.0, 100.0]
        );
    }

    proptest::proptest! {
        /// Any time series, of any Chart.js version: each point's x pixel
        /// grows with its time, and the first and last points fall inside
        /// the plot.
        #[test]
        fn time_points_keep_their_order_inside_the_plot(
            mut times in proptest::collection::vec(-2.0e12f64..4.0e12, 1..40),
            len in 30.0f64..2500.0,
            unit in proptest::option::of(0usize..9),
            v3 in proptest::bool::ANY,
        ) {
            times.sort_by(f64::total_cmp);
            let (lo, hi) = (times[0], times[times.len() - 1].max(times[0] + 1.0));
            let opts = Scale {
                time: Some(TimeScale {
                    unit: unit.map(|u| TimeUnit::ALL[u]),
                    ..TimeScale::default()
                }),
                v3,
                ..Scale::chartjs(ScaleKind::Time)
            };
            let mut axis = Axis::new(&opts, Edge::Bottom, Kind::Time { lo, hi }, (120.0, 150.0));
            // A unit too fine for the range is refused, never drawn.
            if axis.fit(len).is_ok() {
                let area = Rect::new(50.0, 0.0, 50.0 + len, 100.0);
                let px: Vec<f64> = times.iter().map(|t| axis.px(*t, &area)).collect();
                proptest::prop_assert!(px.windows(2).all(|w| w[0] <= w[1]), "{px:?}");
                proptest::prop_assert!(px[0] >= area.l - 1e-6 && px[px.len() - 1] <= area.r + 1e-6);
                proptest::prop_assert!(axis.ticks.iter().all(|t| (0.0..=1.0).contains(&t.at)));
            } else {
                proptest::prop_assert!(unit.is_some());
            }
        }
    }

    #[test]
    fn rotation_and_skipping_follow_the_ticks_options() {
        let labels: Vec<String> = (0..40).map(|i| format!("Label {i}")).collect();
        let cats = Categories {
            n: 40,
            offset: true,
            flip: false,
        };
        let fit = |fit: TickFit| {
            let opts = Scale { fit, ..scale() };
            let kind = Kind::Category {
                labels: &labels,
                cats,
            };
            let mut axis = Axis::new(&opts, Edge::Bottom, kind, (120.0, 150.0));
            axis.fit(400.0).unwrap();
            (axis.rotation.to_degrees(), axis.ticks.len())
        };
        let (turned, shown) = fit(TickFit::default());
        assert!(turned > 0.0 && turned <= 50.0 + 1e-9, "{turned}");
        assert!(shown < 40, "crowded labels are skipped: {shown}");
        let upright = TickFit {
            min_rotation: Some(90.0),
            max_rotation: Some(90.0),
            ..TickFit::default()
        };
        assert!((fit(upright).0 - 90.0).abs() < 1e-9);
        let flat = TickFit {
            max_rotation: Some(0.0),
            ..TickFit::default()
        };
        assert_eq!(fit(flat).0, 0.0);
        let every = TickFit {
            auto_skip: Some(false),
            ..TickFit::default()
        };
        assert_eq!(fit(every).1, 40);
        let five = TickFit {
            max_ticks_limit: Some(5),
            ..TickFit::default()
        };
        assert_eq!(fit(five).1, 5);
    }
}
