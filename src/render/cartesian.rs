//! Cartesian charts: bar (vertical, horizontal, grouped, stacked), line and
//! area, scatter, bubble, and any mix of them on one pair of axes.
//!
//! The axes (index, value, and a second value axis on the right when the
//! chart has one) are fitted together (each one's labels take room from
//! the others' length), then grids, datasets (the first dataset on top, as
//! in Chart.js) and labels are drawn.

use super::axis::{Axis, Edge, Kind};
use super::bar::{self, Slots};
use super::callbacks;
use super::data::{self, Span};
use super::datalabels::{self, Placed};
use super::geom::Rect;
use super::line;
use super::painter::{Canvas, Painter};
use super::plot::{Plot, Plots};
use super::scale::{Categories, Extent, Range};
use super::RenderError;
use crate::chart::spec::{self, ChartKind, ChartSpec, Dataset, Scale, ScaleKind, TimeScale};
use std::borrow::Cow;

/// Axis labels may take at most this share of the chart's width or height.
const LABEL_SHARE: f64 = 0.35;
/// Rounds of fitting the axes to each other; they settle in two or three.
const FIT_ROUNDS: usize = 4;
/// Draws the axes and datasets of `chart` in `region`, what the title and
/// legend left of `outer` (the `canvas` within the layout padding);
/// returns the chart area they were fitted to.
pub(crate) fn draw<'a, B: Canvas>(
    p: &mut Painter<B>,
    chart: &'a ChartSpec,
    region: Rect,
    (outer, canvas): (Rect, Rect),
) -> Result<Rect, RenderError> {
    let numeric_index = chart.x.kind != ScaleKind::Category;
    let horizontal = chart.index_axis == spec::Axis::Y;
    let spans = data::spans(chart, numeric_index)?;
    let (index_ext, [value_ext, second_ext]) = data::extents(chart, &spans);
    // Bars share a slot by the index axis's `stacked` (Chart.js's
    // `_getStacks`); their values stack by the value axis's (`data::spans`).
    let slots = Slots::new(chart, chart.x.stacked);
    let (index_edge, value_edge) = if horizontal {
        (Edge::Left, Edge::Bottom)
    } else {
        (Edge::Bottom, Edge::Left)
    };
    // Labels' longest extent across an axis, and the room Chart.js gives a
    // box on that side: half the canvas within its padding.
    let across = |e: Edge| match e {
        Edge::Bottom => (region.h() * LABEL_SHARE, outer.h() / 2.0),
        Edge::Left | Edge::Right => (region.w() * LABEL_SHARE, outer.w() / 2.0),
    };
    let labels = match &chart.x.tick_callback {
        Some(cb) if !numeric_index => callbacks::category_labels(cb, &chart.labels)?,
        _ => Cow::Borrowed(chart.labels.as_slice()),
    };
    // Chart.js 2.9.4 spans a time axis over its labels' times too (its
    // `determineDataLimits`); kept where they are not the data's own.
    let label_times = chart
        .x
        .time
        .as_ref()
        .map_or(&[][..], |t| t.labels.as_slice());
    let index_kind = if chart.x.kind == ScaleKind::Time {
        time_range(&chart.x, index_ext, label_times)
    } else if numeric_index {
        Kind::Value(Range::new(&chart.x, index_ext)?)
    } else {
        categories(chart, &labels, slots.any(), horizontal)
    };
    let floor = canvas.inset(chart.auto_padding);
    let mut index = Axis::new(&chart.x, index_edge, index_kind, across(index_edge));
    if chart.x.time.as_ref().is_some_and(TimeScale::ticks_at_data) {
        index.set_times(data_times(chart, &spans));
    }
    let value_axis = |opts: &'a Scale, edge: Edge, ext| -> Result<Axis<'a>, RenderError> {
        let kind = Kind::Value(Range::new(opts, ext)?);
        let mut axis = Axis::new(opts, edge, kind, across(edge));
        // A bottom value axis is laid out again in `fit`, beside the others.
        axis.set_layout((outer.h(), outer.h()), canvas.w());
        Ok(axis)
    };
    let mut value = value_axis(&chart.y, value_edge, value_ext)?;
    // The router sends a second value axis only with vertical charts.
    let mut second = match &chart.y2 {
        Some(opts) if !horizontal => Some(value_axis(opts, Edge::Right, second_ext)?),
        _ => None,
    };
    let area = if horizontal {
        fit((region, canvas, floor), (&mut value, &mut index), None)?
    } else {
        fit(
            (region, canvas, floor),
            (&mut index, &mut value),
            second.as_mut(),
        )?
    };
    p.check_deadline()?;
    let plots = Plots {
        main: Plot {
            area,
            index: &index,
            value: &value,
            horizontal,
        },
        second: second.as_ref().map(|value| Plot {
            area,
            index: &index,
            value,
            horizontal,
        }),
    };
    let value_axes = || [Some(&value), second.as_ref()].into_iter().flatten();
    for axis in value_axes() {
        axis.draw_grid(p, &area, index.shown())?;
    }
    index.draw_grid(p, &area, value.shown())?;
    let band = band_px(&plots.main, &spans);
    datasets(p, chart, &plots, &spans, (&slots, band))?;
    index.draw_labels(p, &area)?;
    for axis in value_axes() {
        axis.draw_labels(p, &area)?;
    }
    if datalabels::any(chart) {
        let placed = label_ranges(chart, &plots, &spans, (&slots, band), p.hairline());
        datalabels::draw(p, chart, placed)?;
    }
    Ok(area)
}

/// Where each drawn dataset's datalabels may sit.
fn label_ranges(
    chart: &ChartSpec,
    plots: &Plots,
    spans: &[Vec<Option<Span>>],
    (slots, band): (&Slots, f64),
    hairline: f64,
) -> Vec<Placed> {
    data::drawn(chart)
        .filter(|(_, ds)| ds.datalabels.is_some())
        .flat_map(|(k, ds)| {
            let plot = plots.of(ds);
            let ranges = match ds.kind {
                ChartKind::Bar => {
                    bar::label_ranges(plot, (k, ds), &spans[k], slots, band, hairline)
                }
                _ => line::label_ranges(plot, ds, &spans[k]),
            };
            ranges
                .into_iter()
                .map(move |(i, range)| Placed { k, i, range })
        })
        .collect()
}

/// A time axis over the data's times and `labels`' (sorted), as Chart.js
/// bounds it (2.9.4's and 4.4.1's `determineDataLimits`): from the first
/// to the last, widened to its `suggestedMin` and `suggestedMax`, or the
/// scale's `min` and `max` where it gives them, at
/// least a millisecond apart; with neither, the first second of 1970
/// stands in for Chart.js's "now".
fn time_range<'a>(scale: &Scale, mut ext: Extent, labels: &[f64]) -> Kind<'a> {
    // Sorted: the first and the last are the labels' span.
    for &t in labels.first().into_iter().chain(labels.last()) {
        ext.add(t);
    }
    let (lo, hi) = if ext.is_empty() {
        (0.0, 1000.0)
    } else {
        (ext.lo, ext.hi)
    };
    // `suggestedMin`/`suggestedMax` (3 and 4; 2.9.4's time scale reads
    // none) widen the data's span, `min`/`max` replace it.
    let (lo, hi) = (
        scale.suggested_min.map_or(lo, |s| lo.min(s)),
        scale.suggested_max.map_or(hi, |s| hi.max(s)),
    );
    let (lo, hi) = (scale.min.unwrap_or(lo), scale.max.unwrap_or(hi));
    // 2.9.4 keeps the lower of the two as the minimum, 3 and 4 the
    // minimum below the maximum.
    let lo = match scale.v3 {
        true => lo.min(hi - 1.0),
        false => lo.min(hi),
    };
    Kind::Time {
        lo,
        hi: hi.max(lo + 1.0),
    }
}

/// The x values of the drawn datasets, sorted, each once (Chart.js 2.9.4's
/// `_timestamps.data`: the labels' times only through a dataset read at
/// them; a point without a y is not among them here).
fn data_times(chart: &ChartSpec, spans: &[Vec<Option<Span>>]) -> Vec<f64> {
    let mut times: Vec<f64> = data::drawn(chart)
        .flat_map(|(k, _)| spans[k].iter().flatten().map(|s| s.index))
        .collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    times
}

/// The category axis: one category per label or datum, whichever is more.
fn categories<'a>(
    chart: &ChartSpec,
    labels: &'a [String],
    offset: bool,
    horizontal: bool,
) -> Kind<'a> {
    let n = data::drawn(chart)
        .map(|(_, d)| d.data.len())
        .fold(labels.len(), usize::max);
    let cats = Categories {
        n,
        offset,
        // Chart.js puts the first category at the top of a vertical axis.
        flip: horizontal != chart.x.reverse,
    };
    Kind::Category { labels, cats }
}

/// Draws the datasets last to first, so the first ends up on top. Areas
/// are filled as Chart.js's filler plugin fills them: Chart.js 2.9.4 fills
/// every dataset before it draws any (`beforeDatasetsDraw`), 3 and 4 each
/// just before its own dataset (`drawTime: 'beforeDatasetDraw'`).
fn datasets<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    plots: &Plots,
    spans: &[Vec<Option<Span>>],
    (slots, band): (&Slots, f64),
) -> Result<(), RenderError> {
    let drawn: Vec<_> = data::drawn(chart).collect();
    let filled = |ds: &Dataset| !matches!(ds.kind, ChartKind::Bar | ChartKind::Bubble);
    let each_before_its_own = chart.y.v3;
    if !each_before_its_own {
        for &(k, ds) in drawn.iter().rev().filter(|(_, ds)| filled(ds)) {
            p.check_deadline()?;
            line::fill(p, plots.of(ds), ds, &spans[k])?;
        }
    }
    for (k, ds) in drawn.into_iter().rev() {
        p.check_deadline()?;
        let spans = &spans[k];
        let plot = plots.of(ds);
        if each_before_its_own && filled(ds) {
            line::fill(p, plot, ds, spans)?;
        }
        match ds.kind {
            ChartKind::Bar => bar::draw(p, plot, ds, k, spans, slots, band)?,
            ChartKind::Bubble => line::bubbles(p, plot, ds, spans)?,
            _ => line::draw(p, plot, ds, spans)?,
        }
    }
    Ok(())
}

/// Fits the bottom and left axes, and a second value axis on the right,
/// to each other and returns the chart area: what `region` leaves after
/// the axes' room and their labels' overhang.
/// An overhang reaches into the layout padding and the title's and
/// legend's bands between `region` and the `canvas`'s edge (the left
/// axis's top label into those above, the bottom axis's end labels into a
/// side legend's), as Chart.js 2.9.4's layout (`handleMaxPadding`) takes
/// only the padding its boxes and `layout.padding` on that side do not
/// already give (Chart.js 3's `maxPadding` likewise). The chart area stays
/// within `floor`, as Chart.js 3's layout keeps its `minPadding` (the same
/// `maxPadding`).
fn fit(
    (region, canvas, floor): (Rect, Rect, Rect),
    (bottom, left): (&mut Axis, &mut Axis),
    mut right: Option<&mut Axis>,
) -> Result<Rect, RenderError> {
    let mut area = region;
    let (above, before, after) = (
        region.t - canvas.t,
        region.l - canvas.l,
        canvas.r - region.r,
    );
    // The left and right insets: the side axes' room, or what the bottom
    // axis keeps clear at its ends past what the region leaves beside it.
    let sides = |(left, right): (f64, f64), room: (f64, f64)| {
        (left.max(room.0 - before), right.max(room.1 - after))
    };
    let mut first_beside = (0.0, 0.0);
    for round in 0..FIT_ROUNDS {
        let beside = (
            left.thickness,
            right.as_deref().map_or(0.0, |a| a.thickness),
        );
        // Chart.js 3 and 4 update a bottom axis once, beside the side axes
        // as they first fit the whole height (`fitBoxes`: the side boxes
        // fit again for the height it leaves, it does not), or the
        // `minPadding` where that is wider (`getCombinedMax`): its labels
        // are turned and skipped for that width.
        if round == 1 {
            first_beside = (
                beside.0.max(floor.l - region.l),
                beside.1.max(region.r - floor.r),
            );
        }
        let beside_laid = match bottom.opts().v3 && round > 0 {
            true => first_beside,
            false => beside,
        };
        // The bottom axis's ticks are built for the width beside the side
        // axes, its labels skipped for the chart area as last round left it
        // (Chart.js's `maxPadding`).
        let (l, r) = sides(beside, bottom.end_room);
        let laid = (
            region.w() - beside_laid.0 - beside_laid.1,
            region.w() - l - r,
        );
        bottom.set_layout(laid, canvas.w());
        bottom.fit(area.w())?;
        left.fit(area.h())?;
        let (right_room, right_over) = match right.as_deref_mut() {
            Some(axis) => {
                axis.fit(area.h())?;
                (axis.thickness, axis.overhang)
            }
            None => (0.0, (0.0, 0.0)),
        };
        let (l, r) = sides((left.thickness, right_room), bottom.end_room);
        // Where the axes take more than the region, Chart.js 3 and 4 keep
        // an empty chart area where the boxes above and to the left end.
        let inset = match bottom.opts().v3 {
            true => Rect::inset4_from_start,
            false => Rect::inset4,
        };
        let next = inset(
            &region,
            l.max(floor.l - region.l),
            (left.overhang.1.max(right_over.1) - above)
                .max(floor.t - region.t)
                .max(0.0),
            r.max(region.r - floor.r),
            bottom
                .thickness
                .max(left.overhang.0)
                .max(right_over.0)
                .max(region.b - floor.b),
        );
        if next == area {
            return Ok(area);
        }
        area = next;
    }
    bottom.fit(area.w())?;
    left.fit(area.h())?;
    if let Some(axis) = right {
        axis.fit(area.h())?;
    }
    Ok(area)
}

/// Width of one category in pixels: a category band, or on a numeric index
/// axis the closest spacing of two bars; on a time axis, of two bars or two
/// of its ticks (`Axis::sample_ticks`), at most the axis.
fn band_px(plot: &Plot, spans: &[Vec<Option<Span>>]) -> f64 {
    let len = plot.index_len();
    if let Some(c) = plot.index.categories() {
        return c.band() * len;
    }
    let mut px: Vec<f64> = spans
        .iter()
        .flatten()
        .flatten()
        .map(|s| plot.index_px(s.index))
        .filter(|v| v.is_finite())
        .collect();
    px.sort_by(f64::total_cmp);
    let ticks = plot.index.sample_ticks();
    let widest = match ticks.is_empty() {
        true => len / px.len().max(1) as f64,
        false => len,
    };
    let tick_gaps = ticks.windows(2).map(|w| (w[1] - w[0]).abs() * len);
    px.windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .chain(tick_gaps)
        .fold(widest, f64::min)
}
