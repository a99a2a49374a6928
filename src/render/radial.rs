//! Pie, doughnut and polarArea charts. Pie and doughnut datasets are
//! concentric rings (the first outermost) of slices sized by value; a
//! polarArea chart gives each label an equal wedge whose radius is its value
//! on a radial scale.

use super::data;
use super::geom::{Pt, Rect};
use super::painter::{Line, Painter};
use super::rscale::{self, Radial};
use super::RenderError;
use crate::chart::spec::{ChartKind, ChartSpec, Dataset};
use plotters_backend::DrawingBackend;
use std::f64::consts::PI;

/// Flatness of arcs, in device pixels.
const FLATNESS: f64 = 0.2;
/// Doughnut holes larger than this share of the radius leave no ring.
const MAX_CUTOUT: f64 = 0.95;

fn shown(chart: &ChartSpec) -> Vec<&Dataset> {
    chart.datasets.iter().filter(|d| !d.hidden).collect()
}

pub(crate) fn draw<B: DrawingBackend>(
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

fn rings<B: DrawingBackend>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    region: Rect,
) -> Result<(), RenderError> {
    let sets = shown(chart);
    let widest = sets.iter().fold(0.0f64, |m, d| m.max(d.border_width));
    let outer = (region.w().min(region.h()) - widest).max(0.0) / 2.0;
    let inner = outer * chart.cutout.clamp(0.0, MAX_CUTOUT);
    let ring = (outer - inner) / sets.len().max(1) as f64;
    let c = region.center();
    let tol = FLATNESS * p.hairline();
    for (k, ds) in sets.iter().enumerate() {
        p.check_deadline()?;
        let r1 = outer - k as f64 * ring;
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
        let mut a = -PI / 2.0;
        for (i, v) in values.iter().enumerate() {
            let sweep = v / total * 2.0 * PI;
            if sweep > 0.0 {
                let pts = rscale::sector(c, r0.max(0.0), r1, a, a + sweep, tol);
                slice(p, &pts, ds, i)?;
            }
            a += sweep;
        }
    }
    Ok(())
}

fn slice<B: DrawingBackend>(
    p: &mut Painter<B>,
    pts: &[Pt],
    ds: &Dataset,
    i: usize,
) -> Result<(), RenderError> {
    p.polygon(pts, ds.background.at(i))?;
    if ds.border_width > 0.0 {
        p.outline(pts, &Line::solid(ds.border.at(i), ds.border_width))?;
    }
    Ok(())
}

fn polar<B: DrawingBackend>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    region: Rect,
) -> Result<(), RenderError> {
    let sets = shown(chart);
    let ext = data::value_extent(sets.iter().copied());
    let widest = sets.iter().fold(0.0f64, |m, d| m.max(d.border_width));
    let radius = (region.w().min(region.h()) - widest).max(0.0) / 2.0;
    let scale = Radial::new(&chart.r, ext, region.center(), radius)?;
    scale.draw_grid(p, 0)?;
    let n = sets
        .iter()
        .map(|d| d.data.len())
        .fold(chart.labels.len(), usize::max);
    let tol = FLATNESS * p.hairline();
    for ds in sets.iter().rev() {
        p.check_deadline()?;
        for (i, d) in ds.data.iter().enumerate() {
            let Some(r) = data::value(d).and_then(|v| scale.dist(v)) else {
                continue;
            };
            if r > 0.0 {
                let pts = rscale::sector(
                    scale.center,
                    0.0,
                    r,
                    rscale::angle(i, n),
                    rscale::angle(i + 1, n),
                    tol,
                );
                slice(p, &pts, ds, i)?;
            }
        }
    }
    scale.draw_labels(p)
}
