//! Radar charts: one spoke per label with its point label around the
//! chart, a polygonal grid, and each dataset as a filled, outlined polygon
//! with point markers; gaps break the outline.

use super::data;
use super::datalabels::{self, Placed, Range};
use super::geom::{pt, Pt, Rect};
use super::painter::{Align, Canvas, Line, Painter, Turn};
use super::points;
use super::rscale::{self, Radial};
use super::text;
use super::RenderError;
use crate::chart::spec::{ChartSpec, Dataset, Fill, Font};

/// Gap between the outer ring and the point labels.
const LABEL_PAD: f64 = 5.0;

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
    // Point labels have their own font in Chart.js (`pointLabels`), nothing
    // of the ticks'.
    let font = &chart.point_labels.font;
    // Whole, however long: Chart.js 2.9.4 shrinks the radius to fit them
    // (`fitWithPointLabels`) and never shortens one.
    let labels: Vec<&str> = (0..n)
        .map(|i| chart.labels.get(i).map_or("", String::as_str))
        .collect();
    let show_labels = chart.r.display && chart.point_labels.display && font.size > 0.0;
    let frame = rscale::Frame::new(&region, &chart.r);
    let reduce = show_labels.then(|| reductions(&frame, &labels, font));
    let ext = data::value_extent(sets.iter().copied());
    let scale = Radial::new(&chart.r, ext, frame.fitted(reduce), frame.radius)?;
    scale.draw_grid(p, n)?;
    if show_labels {
        let top_extra = rscale::backdrop_height(&chart.r) / 2.0;
        for (i, l) in labels.iter().enumerate() {
            let extra = if i == 0 { top_extra } else { 0.0 };
            point_label(p, &scale, l, font, (i, n), extra)?;
        }
    }
    // Tick labels under the datasets: Chart.js 2.9.4 draws a scale's
    // layers (z 0 by default) before them.
    scale.draw_labels(p)?;
    // Chart.js 2.9.4's filler plugin fills every dataset before it draws
    // any line (3 and 4, whose radars Chart.js draws, each before its own).
    let spokes: Vec<Vec<Option<Pt>>> = sets.iter().map(|ds| spokes(&scale, ds, n)).collect();
    for (ds, pts) in sets.iter().zip(&spokes).rev() {
        p.check_deadline()?;
        fill(p, ds, pts)?;
    }
    for (ds, pts) in sets.iter().zip(&spokes).rev() {
        p.check_deadline()?;
        dataset(p, ds, pts, n)?;
    }
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
            let range = Range::point(scale.center.polar(r, a), ds.point_radius_at(i), v);
            placed.push(Placed { k, i, range });
        }
    }
    placed
}

/// One dataset: its area, its outline (broken at gaps) and its markers.
/// Where each of a dataset's `n` spokes has its point (`None` for a gap).
fn spokes(scale: &Radial, ds: &Dataset, n: usize) -> Vec<Option<Pt>> {
    (0..n)
        .map(|i| {
            let r = ds
                .data
                .get(i)
                .and_then(data::value)
                .and_then(|v| scale.dist(v))?;
            Some(scale.center.polar(r, rscale::angle(i, n)))
        })
        .collect()
}

/// A dataset's area, over its points that are not gaps.
fn fill<B: Canvas>(
    p: &mut Painter<B>,
    ds: &Dataset,
    pts: &[Option<Pt>],
) -> Result<(), RenderError> {
    if ds.fill == Fill::None {
        return Ok(());
    }
    let whole: Vec<Pt> = pts.iter().flatten().copied().collect();
    p.shaded(&whole, ds.background.at(0), ds.shade(0))
}

/// A dataset's outline (broken at gaps) and its point markers.
fn dataset<B: Canvas>(
    p: &mut Painter<B>,
    ds: &Dataset,
    pts: &[Option<Pt>],
    n: usize,
) -> Result<(), RenderError> {
    let whole: Vec<Pt> = pts.iter().flatten().copied().collect();
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
    points::markers(
        p,
        ds,
        centers,
        |i| ds.point_radius_at(i),
        |i| ds.point_border_width(i),
        None,
    )
}

/// Spoke `i` of `n`'s angle in degrees clockwise from the top, as Chart.js
/// 2.9.4 compares it (`getIndexAngle`): 0 and 180 exactly on a vertical
/// spoke, 90 and 270 on a horizontal one.
fn degrees(i: usize, n: usize) -> f64 {
    (i as f64 * (360.0 / n.max(1) as f64)) % 360.0
}

/// Where a label of `size` starts along one direction from its anchor
/// `pos` (Chart.js 2.9.4's `determineLimits`): centered at the angles
/// `min` and `max`, before it outside them, after it between them.
fn limits(deg: f64, pos: f64, size: f64, (min, max): (f64, f64)) -> (f64, f64) {
    if deg == min || deg == max {
        (pos - size / 2.0, pos + size / 2.0)
    } else if deg < min || deg > max {
        (pos - size, pos)
    } else {
        (pos, pos + size)
    }
}

/// How much the point labels take off the radius on the left, right, top
/// and bottom (Chart.js 2.9.4's `fitWithPointLabels` and `setReductions`):
/// each label is measured 5 px beyond the unfitted radius, and the one
/// reaching furthest past each side sets that side's reduction, along its
/// spoke.
fn reductions(frame: &rscale::Frame, labels: &[&str], font: &Font) -> [f64; 4] {
    let (w, h) = frame.size();
    let c = frame.first_center();
    let lh = text::line_height(font);
    let n = labels.len();
    // Furthest left, right, top and bottom, and the spoke angle of each.
    let mut far = [0.0, w, 0.0, h];
    let mut angle = [f64::NAN; 4];
    for (i, l) in labels.iter().enumerate() {
        let deg = degrees(i, n);
        let q = c.polar(frame.radius + LABEL_PAD, rscale::angle(i, n));
        let (l0, r0) = limits(deg, q.x, text::measure(font, l), (0.0, 180.0));
        let (t0, b0) = limits(deg, q.y, lh, (90.0, 270.0));
        let reach = [
            (l0, l0 < far[0]),
            (r0, r0 > far[1]),
            (t0, t0 < far[2]),
            (b0, b0 > far[3]),
        ];
        for (side, (v, further)) in reach.into_iter().enumerate() {
            if further {
                (far[side], angle[side]) = (v, deg.to_radians());
            }
        }
    }
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    [
        finite(far[0] / angle[0].sin()),
        finite((far[1] - w).max(0.0) / angle[1].sin()),
        finite(-far[2] / angle[2].cos()),
        finite(-(far[3] - h).max(0.0) / angle[3].cos()),
    ]
}

/// Spoke `i` of `n`'s label, `extra` further out than the others, placed
/// as Chart.js 2.9.4's `drawPointLabels` places it: centered on a vertical
/// spoke, else starting or ending at its anchor; above the anchor on the
/// upper spokes, centered on it on a horizontal one, below it otherwise.
fn point_label<B: Canvas>(
    p: &mut Painter<B>,
    scale: &Radial,
    l: &str,
    font: &Font,
    (i, n): (usize, usize),
    extra: f64,
) -> Result<(), RenderError> {
    let deg = degrees(i, n);
    let q = scale
        .center
        .polar(scale.radius + extra + LABEL_PAD, rscale::angle(i, n));
    let (w, lh) = (text::measure(font, l), text::line_height(font));
    let left = match deg {
        d if d == 0.0 || d == 180.0 => q.x - w / 2.0,
        d if d < 180.0 => q.x,
        _ => q.x - w,
    };
    let top = match deg {
        d if d == 90.0 || d == 270.0 => q.y - lh / 2.0,
        d if !(90.0..=270.0).contains(&d) => q.y - lh,
        _ => q.y,
    };
    p.text(l, font, pt(left, top), Align::Start, Turn::None)
}
