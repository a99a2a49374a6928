//! Radar charts: one spoke per label with its point label around the
//! chart, a polygonal grid, and each dataset as a filled, outlined polygon
//! with point markers; gaps break the outline.

use super::data;
use super::datalabels::{self, Placed, Range};
use super::geom::{pt, Pt, Rect};
use super::line::POINT_BORDER;
use super::painter::{Align, Canvas, Line, Painter, Turn};
use super::points;
use super::rscale::{self, Radial};
use super::text;
use super::RenderError;
use crate::chart::spec::{ChartSpec, Dataset, Fill, Font};

/// Chart.js's `pointLabels` font size.
const POINT_LABEL_SIZE: f64 = 10.0;
/// Gap between the outer ring and the point labels.
const LABEL_PAD: f64 = 5.0;
/// Point labels take at most this share of the chart's width.
const LABEL_SHARE: f64 = 0.3;
/// Below this |cos| or |sin| a point label is centered on its spoke.
const CENTERED: f64 = 0.05;

pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    region: Rect,
) -> Result<(), RenderError> {
    let sets: Vec<&Dataset> = chart.datasets.iter().filter(|d| !d.hidden).collect();
    let n = sets
        .iter()
        .map(|d| d.data.len())
        .fold(chart.labels.len(), usize::max);
    // Point labels have their own font in Chart.js (`pointLabels`, 10 px by
    // default in 2 and 3/4), not the ticks'.
    let point_font = Font {
        size: POINT_LABEL_SIZE,
        bold: false,
        ..chart.r.ticks.clone()
    };
    let font = &point_font;
    let labels: Vec<String> = (0..n)
        .map(|i| {
            let l = chart.labels.get(i).map_or("", String::as_str);
            text::fit(font, l, region.w() * LABEL_SHARE).into_owned()
        })
        .collect();
    let show_labels = chart.r.display && font.size > 0.0;
    let overhang = rscale::label_overhang(&chart.r);
    let radius = if show_labels {
        fit_radius(&region, &labels, font, overhang)
    } else {
        region.w().min(region.h()) / 2.0
    };
    let ext = data::value_extent(sets.iter().copied());
    let scale = Radial::new(&chart.r, ext, region.center(), radius)?;
    scale.draw_grid(p, n)?;
    if show_labels {
        for (i, l) in labels.iter().enumerate() {
            point_label(p, &scale, l, font, rscale::angle(i, n), overhang)?;
        }
    }
    for ds in sets.iter().rev() {
        p.check_deadline()?;
        dataset(p, &scale, ds, n)?;
    }
    scale.draw_labels(p)?;
    if datalabels::any(chart) {
        datalabels::draw(p, chart, label_ranges(chart, &scale, n))?;
    }
    Ok(())
}

/// Where each dataset's datalabels may sit: its points, labels moving away
/// from the center, as the plugin orients points on a radial scale.
fn label_ranges(chart: &ChartSpec, scale: &Radial, n: usize) -> Vec<Placed> {
    let mut placed = Vec::new();
    for (k, ds) in chart.datasets.iter().enumerate() {
        if ds.hidden || ds.datalabels.is_none() {
            continue;
        }
        for i in 0..n {
            let Some(r) = ds
                .data
                .get(i)
                .and_then(data::value)
                .and_then(|v| scale.dist(v))
            else {
                continue;
            };
            let a = rscale::angle(i, n);
            let v = if r > 0.0 {
                (a.cos(), a.sin())
            } else {
                (0.0, -1.0)
            };
            let range = Range::point(scale.center.polar(r, a), ds.point_radius, v);
            placed.push(Placed { k, i, range });
        }
    }
    placed
}

/// Gap between the outer ring and the point label at angle `a`: the label
/// on the upward spoke also clears the top tick label, which sits on that
/// spoke and reaches `overhang` past the ring.
fn label_gap(a: f64, overhang: f64) -> f64 {
    if a.cos().abs() <= CENTERED && a.sin() < 0.0 {
        LABEL_PAD + overhang
    } else {
        LABEL_PAD
    }
}

/// One dataset: its area, its outline (broken at gaps) and its markers.
fn dataset<B: Canvas>(
    p: &mut Painter<B>,
    scale: &Radial,
    ds: &Dataset,
    n: usize,
) -> Result<(), RenderError> {
    let pts: Vec<Option<Pt>> = (0..n)
        .map(|i| {
            let r = ds
                .data
                .get(i)
                .and_then(data::value)
                .and_then(|v| scale.dist(v))?;
            Some(scale.center.polar(r, rscale::angle(i, n)))
        })
        .collect();
    let whole: Vec<Pt> = pts.iter().flatten().copied().collect();
    if ds.fill != Fill::None {
        p.shaded(&whole, ds.background.at(0), ds.shade(0))?;
    }
    let line = Line {
        color: ds.border.at(0),
        width: ds.border_width,
        dash: &ds.border_dash,
        shade: ds.border_shade.as_ref(),
    };
    if whole.len() == n {
        p.outline(&whole, &line)?;
    } else {
        for run in pts.split(Option::is_none) {
            let run: Vec<Pt> = run.iter().flatten().copied().collect();
            p.polyline(&run, &line)?;
        }
    }
    let centers = pts.iter().enumerate().filter_map(|(i, c)| Some((i, (*c)?)));
    points::markers(p, ds, centers, |_| ds.point_radius, POINT_BORDER, None)
}

/// Where a point label's box starts relative to its anchor on the spoke,
/// along one direction: after it, centered on it, or before it.
fn offset(dir: f64, size: f64) -> f64 {
    if dir > CENTERED {
        0.0
    } else if dir < -CENTERED {
        -size
    } else {
        -size / 2.0
    }
}

/// The largest radius at which every point label fits in `region`.
fn fit_radius(region: &Rect, labels: &[String], font: &Font, overhang: f64) -> f64 {
    let c = region.center();
    let lh = text::line_height(font);
    let mut r = region.w().min(region.h()) / 2.0;
    for (i, l) in labels.iter().enumerate() {
        let a = rscale::angle(i, labels.len());
        let (cos, sin) = (a.cos(), a.sin());
        let w = text::measure(font, l);
        let gap = label_gap(a, overhang);
        let room = |far: f64, size: f64, dir: f64| (far - size) / dir.abs() - gap;
        if cos > CENTERED {
            r = r.min(room(region.r - c.x, w, cos));
        } else if cos < -CENTERED {
            r = r.min(room(c.x - region.l, w, cos));
        }
        if sin > CENTERED {
            r = r.min(room(region.b - c.y, lh, sin));
        } else if sin < -CENTERED {
            r = r.min(room(c.y - region.t, lh, sin));
        } else {
            r = r.min(region.h() / 2.0 - lh / 2.0);
        }
    }
    r.max(0.0)
}

fn point_label<B: Canvas>(
    p: &mut Painter<B>,
    scale: &Radial,
    l: &str,
    font: &Font,
    a: f64,
    overhang: f64,
) -> Result<(), RenderError> {
    let q = scale.center.polar(scale.radius + label_gap(a, overhang), a);
    let (w, lh) = (text::measure(font, l), text::line_height(font));
    let left = q.x + offset(a.cos(), w);
    let top = q.y + offset(a.sin(), lh);
    p.text(l, font, pt(left, top), Align::Start, Turn::None)
}
