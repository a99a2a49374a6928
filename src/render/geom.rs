//! Plane geometry in CSS pixels: points, rectangles, and curves and arcs
//! flattened to points, since plotters backends draw polylines and polygons
//! only.

/// A point in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub(crate) struct Pt {
    pub(crate) x: f64,
    pub(crate) y: f64,
}

pub(crate) fn pt(x: f64, y: f64) -> Pt {
    Pt { x, y }
}

impl Pt {
    pub(crate) fn lerp(self, o: Pt, t: f64) -> Pt {
        pt(self.x + (o.x - self.x) * t, self.y + (o.y - self.y) * t)
    }

    pub(crate) fn dist(self, o: Pt) -> f64 {
        (o.x - self.x).hypot(o.y - self.y)
    }

    /// The point at `r` from `self` in direction `angle` (radians, clockwise
    /// from +x, as on a canvas).
    pub(crate) fn polar(self, r: f64, angle: f64) -> Pt {
        pt(self.x + r * angle.cos(), self.y + r * angle.sin())
    }
}

/// An axis-aligned rectangle, left/top inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub(crate) struct Rect {
    pub(crate) l: f64,
    pub(crate) t: f64,
    pub(crate) r: f64,
    pub(crate) b: f64,
}

impl Rect {
    /// A rectangle from any two corners.
    pub(crate) fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect {
            l: x0.min(x1),
            t: y0.min(y1),
            r: x0.max(x1),
            b: y0.max(y1),
        }
    }

    pub(crate) fn w(&self) -> f64 {
        self.r - self.l
    }

    pub(crate) fn h(&self) -> f64 {
        self.b - self.t
    }

    pub(crate) fn center(&self) -> Pt {
        pt((self.l + self.r) / 2.0, (self.t + self.b) / 2.0)
    }

    /// Shrunk by `d` on every side (grown when negative); never inverted.
    pub(crate) fn inset(&self, d: f64) -> Rect {
        self.inset4(d, d, d, d)
    }

    /// Shrunk by each side's inset; where the insets overlap, empty at the
    /// left and top insets (Chart.js 3 and 4's chart area: `left` and `top`
    /// where the boxes end, width and height at least 0), where `inset4`
    /// centres it.
    pub(crate) fn inset4_from_start(&self, l: f64, t: f64, r: f64, b: f64) -> Rect {
        let (l, t) = (self.l + l, self.t + t);
        Rect {
            l,
            t,
            r: (self.r - r).max(l),
            b: (self.b - b).max(t),
        }
    }

    pub(crate) fn inset4(&self, l: f64, t: f64, r: f64, b: f64) -> Rect {
        let (x0, x1) = (self.l + l, self.r - r);
        let (y0, y1) = (self.t + t, self.b - b);
        let cx = if x0 <= x1 { x0 } else { (x0 + x1) / 2.0 };
        let cy = if y0 <= y1 { y0 } else { (y0 + y1) / 2.0 };
        Rect {
            l: cx,
            t: cy,
            r: x1.max(cx),
            b: y1.max(cy),
        }
    }

    pub(crate) fn contains(&self, p: Pt) -> bool {
        p.x >= self.l && p.x <= self.r && p.y >= self.t && p.y <= self.b
    }

    pub(crate) fn intersect(&self, o: &Rect) -> Option<Rect> {
        let r = Rect {
            l: self.l.max(o.l),
            t: self.t.max(o.t),
            r: self.r.min(o.r),
            b: self.b.min(o.b),
        };
        (r.l < r.r && r.t < r.b).then_some(r)
    }

    pub(crate) fn corners(&self) -> [Pt; 4] {
        [
            pt(self.l, self.t),
            pt(self.r, self.t),
            pt(self.r, self.b),
            pt(self.l, self.b),
        ]
    }
}

/// Appends the cubic Bézier `p0 c1 c2 p3` to `out` (without `p0`), in
/// segments short enough to deviate less than `tol` from the curve.
pub(crate) fn flatten_cubic(out: &mut Vec<Pt>, p0: Pt, c1: Pt, c2: Pt, p3: Pt, tol: f64) {
    // Wang's formula: segments needed for a flatness of `tol`.
    let dd = |a: Pt, b: Pt, c: Pt| (a.x - 2.0 * b.x + c.x).hypot(a.y - 2.0 * b.y + c.y);
    let d = dd(p0, c1, c2).max(dd(c1, c2, p3));
    let n = (0.75 * d / tol).sqrt().ceil().clamp(1.0, 64.0) as usize;
    for i in 1..=n {
        let t = i as f64 / n as f64;
        let (a, b, c) = (p0.lerp(c1, t), c1.lerp(c2, t), c2.lerp(p3, t));
        let (d, e) = (a.lerp(b, t), b.lerp(c, t));
        out.push(d.lerp(e, t));
    }
}

/// Points along a circular arc from angle `a0` to `a1` (radians, clockwise),
/// both ends included, close enough to deviate less than `tol`.
pub(crate) fn arc(out: &mut Vec<Pt>, c: Pt, r: f64, a0: f64, a1: f64, tol: f64) {
    let sweep = a1 - a0;
    let step = if r > tol {
        2.0 * (1.0 - tol / r).acos()
    } else {
        std::f64::consts::PI
    };
    let n = (sweep.abs() / step).ceil().clamp(1.0, 1024.0) as usize;
    out.extend((0..=n).map(|i| c.polar(r, a0 + sweep * i as f64 / n as f64)));
}

/// The outline of `r` with corners of radius `radius` (clockwise from the
/// top right corner), within `tol` of the true arcs.
pub(crate) fn rounded_rect(r: Rect, radius: f64, tol: f64) -> Vec<Pt> {
    if radius <= 0.0 {
        return r.corners().to_vec();
    }
    use std::f64::consts::FRAC_PI_2;
    let centers = [
        pt(r.r - radius, r.t + radius),
        pt(r.r - radius, r.b - radius),
        pt(r.l + radius, r.b - radius),
        pt(r.l + radius, r.t + radius),
    ];
    let mut out = Vec::new();
    for (k, center) in centers.into_iter().enumerate() {
        let a0 = -FRAC_PI_2 + k as f64 * FRAC_PI_2;
        arc(&mut out, center, radius, a0, a0 + FRAC_PI_2, tol);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening_a_straight_cubic_takes_one_segment() {
        let mut out = Vec::new();
        flatten_cubic(
            &mut out,
            pt(0.0, 0.0),
            pt(1.0, 1.0),
            pt(2.0, 2.0),
            pt(3.0, 3.0),
            0.1,
        );
        assert_eq!(out, [pt(3.0, 3.0)]);
    }

    #[test]
    fn arcs_end_where_asked() {
        let mut out = Vec::new();
        arc(
            &mut out,
            pt(0.0, 0.0),
            100.0,
            0.0,
            std::f64::consts::PI,
            0.1,
        );
        assert!(out.len() > 10);
        assert!(out.last().unwrap().dist(pt(-100.0, 0.0)) < 1e-9);
    }

    #[test]
    fn inset_never_inverts() {
        let r = Rect::new(0.0, 0.0, 4.0, 4.0).inset(10.0);
        assert!(r.w() >= 0.0 && r.h() >= 0.0);
    }
}
