//! Lines and areas, and scatter (a line without its line): Chart.js's bezier
//! curve for `tension`, `stepped` steps, dashes, gaps breaking the line,
//! fills to the origin or an end of the value axis, point markers; and
//! bubbles, whose markers take their radius from the data.

use super::data::Span;
use super::datalabels::Range;
use super::geom::{self, Pt, Rect};
use super::painter::{Canvas, Line, Painter};
use super::plot::Plot;
use super::points;
use super::RenderError;
use crate::chart::spec::{ChartKind, Dataset, Datum, Scale, Stepped};

/// Curves are flattened to within this share of a device pixel.
const FLATNESS: f64 = 0.2;

/// Draws a line, scatter or area dataset.
/// The device-space points of a line dataset and the traced paths of its
/// unbroken runs (gaps split it).
fn traced<B: Canvas>(
    p: &Painter<B>,
    plot: &Plot,
    ds: &Dataset,
    spans: &[Option<Span>],
) -> (Vec<Option<Pt>>, Vec<Vec<Pt>>) {
    let pts: Vec<Option<Pt>> = spans
        .iter()
        .map(|s| s.and_then(|s| plot.at(s.index, s.top)))
        .collect();
    let tol = FLATNESS * p.hairline();
    let paths = runs(&pts, ds.span_gaps)
        .iter()
        .map(|run| trace(run, ds, plot, tol))
        .collect();
    (pts, paths)
}

/// Draws the area under a line dataset, if it has one. Every dataset's area
/// is drawn before any line (as Chart.js 2's filler does), so no fill ever
/// covers another dataset's line.
pub(crate) fn fill<B: Canvas>(
    p: &mut Painter<B>,
    plot: &Plot,
    ds: &Dataset,
    spans: &[Option<Span>],
) -> Result<(), RenderError> {
    let color = ds.background.at(0);
    let shade = ds.shade(0);
    let (Some(base), true) = (plot.fill_px(ds.fill), color.3 > 0 || shade.is_some()) else {
        return Ok(());
    };
    let (_, paths) = traced(p, plot, ds, spans);
    p.set_clip(Some(plot.area));
    for path in &paths {
        p.shaded(&area(plot, path, base), color, shade)?;
    }
    Ok(())
}

/// Draws a line dataset's line and points (its area is `fill`'s).
pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    plot: &Plot,
    ds: &Dataset,
    spans: &[Option<Span>],
) -> Result<(), RenderError> {
    let (pts, paths) = traced(p, plot, ds, spans);
    if ds.show_line {
        p.set_clip(Some(line_clip(plot, ds.border_width / 2.0)));
        let line = Line {
            color: ds.border.at(0),
            width: ds.border_width,
            dash: &ds.border_dash,
            shade: ds.border_shade.as_ref(),
        };
        for path in &paths {
            p.polyline(path, &line)?;
        }
    }
    let markers = pts.iter().enumerate().filter_map(|(i, c)| Some((i, (*c)?)));
    points::markers(
        p,
        ds,
        markers,
        |i| ds.point_radius_at(i),
        |i| ds.point_border_width(i),
        Some(&plot.area),
    )
}

/// Where a line dataset is clipped (Chart.js's `defaultClip`): `half`
/// (half the line's width) past the plot area, but flush with an end its
/// scale bounds with `min` or `max`. (Chart.js 3 and 4 take a wider margin
/// where their points are wider than the line, which matters only where a
/// curve's tension carries it past the data's range.)
fn line_clip(plot: &Plot, half: f64) -> Rect {
    let half = half.max(0.0);
    let (x, y) = match plot.horizontal {
        true => (plot.value, plot.index),
        false => (plot.index, plot.value),
    };
    let [left, right] = past_ends(x.opts(), half);
    let [bottom, top] = past_ends(y.opts(), half);
    plot.area.inset4(-left, -top, -right, -bottom)
}

/// How far past its start and end a line may reach along `scale`
/// (`scaleClip`): `half`, or nothing at a bound the scale gives.
fn past_ends(scale: &Scale, half: f64) -> [f64; 2] {
    let loose = scale.time.as_ref().map_or([false; 2], |t| t.loose_bounds);
    let past = |bound: Option<f64>, loose: bool| match bound.is_some() && !loose {
        true => 0.0,
        false => half,
    };
    let ends = [past(scale.min, loose[0]), past(scale.max, loose[1])];
    match scale.reverse {
        true => [ends[1], ends[0]],
        false => ends,
    }
}

/// Draws a bubble dataset: each datum's radius is its `r`, in CSS pixels.
pub(crate) fn bubbles<B: Canvas>(
    p: &mut Painter<B>,
    plot: &Plot,
    ds: &Dataset,
    spans: &[Option<Span>],
) -> Result<(), RenderError> {
    let centers = spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.and_then(|s| plot.at(s.index, s.top))?)));
    let radius = |i: usize| match ds.data.get(i) {
        Some(Datum::Xyr(_, _, r)) if r.is_finite() => r.max(0.0),
        _ => ds.point_radius_at(i),
    };
    points::markers(
        p,
        ds,
        centers,
        radius,
        |_| ds.border_width,
        Some(&plot.area),
    )
}

/// Where dataset `ds`'s datalabels may sit: each point's `Range`, moving
/// away from the value axis's base as the plugin orients points.
pub(crate) fn label_ranges(
    plot: &Plot,
    ds: &Dataset,
    spans: &[Option<Span>],
) -> Vec<(usize, Range)> {
    let v = if plot.horizontal {
        (1.0, 0.0)
    } else {
        (0.0, -1.0)
    };
    spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let c = s.and_then(|s| plot.at(s.index, s.top))?;
            let r = match ds.data.get(i) {
                Some(Datum::Xyr(_, _, r)) if ds.kind == ChartKind::Bubble && r.is_finite() => {
                    r.max(0.0)
                }
                _ => ds.point_radius_at(i),
            };
            Some((i, Range::point(c, r, v)))
        })
        .collect()
}

/// Consecutive drawable points, split at gaps unless the line spans them
/// (then, as Chart.js does, curves are fitted to the points either side).
fn runs(pts: &[Option<Pt>], span_gaps: bool) -> Vec<Vec<Pt>> {
    if span_gaps {
        let all: Vec<Pt> = pts.iter().flatten().copied().collect();
        return if all.is_empty() {
            Vec::new()
        } else {
            vec![all]
        };
    }
    pts.split(Option::is_none)
        .filter(|r| !r.is_empty())
        .map(|r| r.iter().flatten().copied().collect())
        .collect()
}

/// The outline of the area between `path` and value pixel `base`.
fn area(plot: &Plot, path: &[Pt], base: f64) -> Vec<Pt> {
    let mut poly = path.to_vec();
    if let (Some(&first), Some(&last)) = (path.first(), path.last()) {
        poly.push(plot.with_value(last, base));
        poly.push(plot.with_value(first, base));
    }
    poly
}

/// The drawn path through a run of points: straight, stepped or curved.
fn trace(run: &[Pt], ds: &Dataset, plot: &Plot, tol: f64) -> Vec<Pt> {
    if run.len() < 2 {
        return run.to_vec();
    }
    match ds.stepped {
        Stepped::No if ds.tension > 0.0 => curve(run, ds.tension, &plot.area, tol),
        Stepped::No => run.to_vec(),
        mode => steps(run, mode, plot),
    }
}

fn steps(run: &[Pt], mode: Stepped, plot: &Plot) -> Vec<Pt> {
    let mut out = vec![run[0]];
    for w in run.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (va, vb) = (plot.value_of(a), plot.value_of(b));
        match mode {
            Stepped::Middle => {
                let mid = geom::pt((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
                out.push(plot.with_value(mid, va));
                out.push(plot.with_value(mid, vb));
            }
            Stepped::After => out.push(plot.with_value(a, vb)),
            Stepped::Before | Stepped::No => out.push(plot.with_value(b, va)),
        }
        out.push(b);
    }
    out
}

/// Chart.js's `splineCurve`: each point's control points lie along the line
/// through its neighbours, `tension` of the way, split by the neighbours'
/// distances, and kept inside the chart area (`capBezierPoints`).
fn curve(run: &[Pt], tension: f64, area: &Rect, tol: f64) -> Vec<Pt> {
    let n = run.len();
    let cap = |q: Pt| geom::pt(q.x.clamp(area.l, area.r), q.y.clamp(area.t, area.b));
    let controls: Vec<(Pt, Pt)> = (0..n)
        .map(|i| {
            let (prev, cur, next) = (run[i.saturating_sub(1)], run[i], run[(i + 1).min(n - 1)]);
            let (d01, d12) = (prev.dist(cur), cur.dist(next));
            let sum = d01 + d12;
            let (s01, s12) = if sum > 0.0 {
                (d01 / sum, d12 / sum)
            } else {
                (0.0, 0.0)
            };
            let (fa, fb) = (tension * s01, tension * s12);
            let (dx, dy) = (next.x - prev.x, next.y - prev.y);
            let before = geom::pt(cur.x - fa * dx, cur.y - fa * dy);
            let after = geom::pt(cur.x + fb * dx, cur.y + fb * dy);
            if area.contains(cur) {
                (cap(before), cap(after))
            } else {
                (before, after)
            }
        })
        .collect();
    let mut out = Vec::with_capacity(n * 2);
    out.push(run[0]);
    for i in 0..n - 1 {
        geom::flatten_cubic(
            &mut out,
            run[i],
            controls[i].1,
            controls[i + 1].0,
            run[i + 1],
            tol,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_break_a_line_unless_it_spans_them() {
        let p = |x: f64| Some(Pt { x, y: x * 2.0 });
        let pts = [p(0.0), None, p(1.0), p(2.0), None, None];
        assert_eq!(
            runs(&pts, false).iter().map(Vec::len).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(
            runs(&pts, true).iter().map(Vec::len).collect::<Vec<_>>(),
            [3]
        );
        assert!(runs(&[None, None], true).is_empty());
    }
}
