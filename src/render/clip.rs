//! Clipping polylines and polygons to a rectangle: plotters' SVG backend
//! has no clip paths, so shapes are cut here, once, for both formats.

use super::geom::{Pt, Rect};

/// The parts of polyline `pts` inside `clip`.
pub(crate) fn clip_polyline(pts: &[Pt], clip: &Rect) -> Vec<Vec<Pt>> {
    let mut runs: Vec<Vec<Pt>> = Vec::new();
    let mut cur: Vec<Pt> = Vec::new();
    for w in pts.windows(2) {
        match clip_segment(w[0], w[1], clip) {
            Some((a, b)) => {
                if cur.last() != Some(&a) {
                    if cur.len() > 1 {
                        runs.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    cur.push(a);
                }
                cur.push(b);
            }
            None => {
                if cur.len() > 1 {
                    runs.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() > 1 {
        runs.push(cur);
    }
    runs
}

/// Liang-Barsky: the part of segment `a b` inside `r`.
fn clip_segment(a: Pt, b: Pt, r: &Rect) -> Option<(Pt, Pt)> {
    if r.contains(a) && r.contains(b) {
        return Some((a, b));
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - r.l),
        (dx, r.r - a.x),
        (-dy, a.y - r.t),
        (dy, r.b - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then(|| (a.lerp(b, t0), a.lerp(b, t1)))
}

/// One side of a clip rectangle: which points are inside it, and where a
/// segment crosses it.
type ClipEdge = (fn(Pt, &Rect) -> bool, fn(Pt, Pt, &Rect) -> Pt);

/// Sutherland-Hodgman: polygon `pts` clipped to `r` (empty when outside).
pub(crate) fn clip_polygon(pts: &[Pt], r: &Rect) -> Vec<Pt> {
    if pts.iter().all(|p| r.contains(*p)) {
        return pts.to_vec();
    }
    let edges: [ClipEdge; 4] = [
        (
            |p, r| p.x >= r.l,
            |a, b, r| a.lerp(b, (r.l - a.x) / (b.x - a.x)),
        ),
        (
            |p, r| p.x <= r.r,
            |a, b, r| a.lerp(b, (r.r - a.x) / (b.x - a.x)),
        ),
        (
            |p, r| p.y >= r.t,
            |a, b, r| a.lerp(b, (r.t - a.y) / (b.y - a.y)),
        ),
        (
            |p, r| p.y <= r.b,
            |a, b, r| a.lerp(b, (r.b - a.y) / (b.y - a.y)),
        ),
    ];
    let mut poly = pts.to_vec();
    for (inside, cross) in edges {
        let input = std::mem::take(&mut poly);
        for (i, &cur) in input.iter().enumerate() {
            let prev = input[(i + input.len() - 1) % input.len()];
            match (inside(prev, r), inside(cur, r)) {
                (true, true) => poly.push(cur),
                (true, false) => poly.push(cross(prev, cur, r)),
                (false, true) => {
                    poly.push(cross(prev, cur, r));
                    poly.push(cur);
                }
                (false, false) => {}
            }
        }
    }
    poly
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::geom::pt;

    #[test]
    fn polylines_are_cut_at_the_clip() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        let runs = clip_polyline(
            &[pt(-5.0, 5.0), pt(5.0, 5.0), pt(5.0, 20.0), pt(8.0, 5.0)],
            &r,
        );
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], [pt(0.0, 5.0), pt(5.0, 5.0), pt(5.0, 10.0)]);
    }

    #[test]
    fn polygons_are_clipped() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        let tri = clip_polygon(&[pt(-10.0, 0.0), pt(20.0, 0.0), pt(5.0, 20.0)], &r);
        assert!(tri.iter().all(|p| r.contains(*p)));
        assert!(clip_polygon(&[pt(20.0, 20.0), pt(30.0, 20.0), pt(25.0, 30.0)], &r).is_empty());
    }
}
