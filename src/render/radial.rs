//! Pie, doughnut and polarArea charts. Pie and doughnut datasets are
//! concentric rings (the first outermost) of slices sized by value; a
//! polarArea chart gives each label an equal wedge whose radius is its value
//! on a radial scale.

use super::data;
use super::datalabels::{self, Placed, Range};
use super::geom::{pt, Pt, Rect};
use super::painter::{Canvas, Line, Painter};
use super::rscale::{self, Radial};
use super::RenderError;
use crate::chart::spec::{ChartKind, ChartSpec, Dataset, Sweep};
use std::f64::consts::PI;

/// Flatness of arcs, in device pixels.
const FLATNESS: f64 = 0.2;
/// Doughnut holes larger than this share of the radius leave no ring.
const MAX_CUTOUT: f64 = 0.95;

/// The shown datasets with their indices.
fn shown(chart: &ChartSpec) -> Vec<(usize, &Dataset)> {
    chart
        .datasets
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.hidden)
        .collect()
}

pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    region: Rect,
) -> Result<(), RenderError> {
    if chart.kind == ChartKind::PolarArea {
        polar(p, chart, region)
    } else {
        rings(p, chart, region)
    }
}

fn rings<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    region: Rect,
) -> Result<(), RenderError> {
    let sets = shown(chart);
    let widest = sets.iter().fold(0.0f64, |m, (_, d)| m.max(d.border_width));
    let cutout = chart.cutout.clamp(0.0, MAX_CUTOUT);
    let sweep = chart.sweep.unwrap_or(FULL);
    let fit = Fit::of(sweep, cutout);
    let outer = ((region.w() - widest) / fit.ratio.0)
        .min((region.h() - widest) / fit.ratio.1)
        .max(0.0)
        / 2.0;
    let inner = outer * cutout;
    let ring = (outer - inner) / sets.len().max(1) as f64;
    let mid = region.center();
    let c = pt(mid.x + fit.offset.0 * outer, mid.y + fit.offset.1 * outer);
    let tol = FLATNESS * p.hairline();
    let mut placed = Vec::new();
    for (ring_no, &(k, ds)) in sets.iter().enumerate() {
        p.check_deadline()?;
        let r1 = outer - ring_no as f64 * ring;
        let r0 = r1 - ring;
        let values: Vec<f64> = ds
            .data
            .iter()
            .map(|d| data::value(d).map_or(0.0, f64::abs))
            .collect();
        let total: f64 = values.iter().sum();
        if !(total.is_finite() && total > 0.0) {
            continue;
        }
        let mut a = sweep.rotation;
        for (i, v) in values.iter().enumerate() {
            let sweep = v / total * sweep.circumference;
            if sweep > 0.0 {
                let pts = rscale::sector(c, r0.max(0.0), r1, a, a + sweep, tol);
                slice(p, &pts, ds, i)?;
            }
            if ds.datalabels.is_some() {
                let range = Range::arc(c, r0.max(0.0), r1, a, a + sweep);
                placed.push(Placed { k, i, range });
            }
            a += sweep;
        }
    }
    datalabels::draw(p, chart, placed)
}

/// A full circle from 12 o'clock: Chart.js's default.
const FULL: Sweep = Sweep {
    rotation: -PI / 2.0,
    circumference: 2.0 * PI,
};

/// How a partial circle fills the chart area (Chart.js 2's doughnut
/// controller): the arc's bounding box in units of the radius, as the share
/// of a full circle's it takes on each axis, and how far its middle sits
/// from the circle's center.
struct Fit {
    ratio: (f64, f64),
    offset: (f64, f64),
}

impl Fit {
    fn of(sweep: Sweep, cutout: f64) -> Fit {
        use std::f64::consts::{FRAC_PI_2, TAU};
        if sweep.circumference >= TAU {
            return Fit {
                ratio: (1.0, 1.0),
                offset: (0.0, 0.0),
            };
        }
        let mut start = sweep.rotation % TAU;
        start += if start >= PI {
            -TAU
        } else if start < -PI {
            TAU
        } else {
            0.0
        };
        let end = start + sweep.circumference;
        let (sx, sy, ex, ey) = (start.cos(), start.sin(), end.cos(), end.sin());
        let has_0 = (start <= 0.0 && end >= 0.0) || end >= TAU;
        let has_90 = (start <= FRAC_PI_2 && end >= FRAC_PI_2) || end >= TAU + FRAC_PI_2;
        let has_180 = start == -PI || end >= PI;
        let has_270 = (start <= -FRAC_PI_2 && end >= -FRAC_PI_2) || end >= PI + FRAC_PI_2;
        let min = |a: f64, b: f64| a.min(a * cutout).min(b).min(b * cutout);
        let max = |a: f64, b: f64| a.max(a * cutout).max(b).max(b * cutout);
        let min_x = if has_180 { -1.0 } else { min(sx, ex) };
        let min_y = if has_270 { -1.0 } else { min(sy, ey) };
        let max_x = if has_0 { 1.0 } else { max(sx, ex) };
        let max_y = if has_90 { 1.0 } else { max(sy, ey) };
        Fit {
            ratio: ((max_x - min_x) / 2.0, (max_y - min_y) / 2.0),
            offset: (-(max_x + min_x) / 2.0, -(max_y + min_y) / 2.0),
        }
    }
}

fn slice<B: Canvas>(
    p: &mut Painter<B>,
    pts: &[Pt],
    ds: &Dataset,
    i: usize,
) -> Result<(), RenderError> {
    p.shaded(pts, ds.background.at(i), ds.shade(i))?;
    if ds.border_width > 0.0 {
        p.outline(pts, &Line::solid(ds.border.at(i), ds.border_width))?;
    }
    Ok(())
}

fn polar<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    region: Rect,
) -> Result<(), RenderError> {
    let sets = shown(chart);
    let ext = data::value_extent(sets.iter().map(|(_, d)| *d));
    // Where Chart.js 2.9.4's scale puts itself: the top tick's backdrop
    // kept clear, no room for point labels, none for borders.
    let frame = rscale::Frame::new(&region, &chart.r);
    let scale = Radial::new(&chart.r, ext, frame.fitted(None), frame.radius)?;
    // Tick labels under the slices: Chart.js 2.9.4 draws a scale's layers
    // (z 0 by default) before the datasets.
    scale.draw_grid(p, 0)?;
    scale.draw_labels(p)?;
    let n = sets
        .iter()
        .map(|(_, d)| d.data.len())
        .fold(chart.labels.len(), usize::max);
    let tol = FLATNESS * p.hairline();
    let mut placed = Vec::new();
    for &(k, ds) in sets.iter().rev() {
        p.check_deadline()?;
        for (i, d) in ds.data.iter().enumerate() {
            let Some(r) = data::value(d).and_then(|v| scale.dist(v)) else {
                continue;
            };
            let (a0, a1) = (rscale::angle(i, n), rscale::angle(i + 1, n));
            if r > 0.0 {
                let pts = rscale::sector(scale.center, 0.0, r, a0, a1, tol);
                slice(p, &pts, ds, i)?;
            }
            if ds.datalabels.is_some() {
                let range = Range::arc(scale.center, 0.0, r.max(0.0), a0, a1);
                placed.push(Placed { k, i, range });
            }
        }
    }
    datalabels::draw(p, chart, placed)
}
