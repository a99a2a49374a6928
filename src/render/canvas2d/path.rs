//! The canvas's current path, in device pixels: each point is mapped by
//! the transform current when it is added, as the Canvas specification
//! says (a path built under `rotate` keeps its shape after `restore`).

use std::f32::consts::{FRAC_PI_2, TAU};
use tiny_skia::{Path, PathBuilder, Point, Transform};

#[derive(Default)]
pub(super) struct CanvasPath {
    pb: PathBuilder,
    /// Where the open subpath started and where it is now (device pixels):
    /// `arc` draws a line from `current`, `closePath` returns to `start`.
    start: Option<Point>,
    current: Option<Point>,
}

impl CanvasPath {
    pub(super) fn clear(&mut self) {
        *self = CanvasPath::default();
    }

    pub(super) fn move_to(&mut self, t: &Transform, x: f32, y: f32) {
        let p = map(t, x, y);
        self.pb.move_to(p.x, p.y);
        self.start = Some(p);
        self.current = Some(p);
    }

    pub(super) fn line_to(&mut self, t: &Transform, x: f32, y: f32) {
        if self.current.is_none() {
            return self.move_to(t, x, y);
        }
        let p = map(t, x, y);
        self.pb.line_to(p.x, p.y);
        self.current = Some(p);
    }

    pub(super) fn cubic_to(&mut self, t: &Transform, c: [f32; 6]) {
        if self.current.is_none() {
            self.move_to(t, c[0], c[1]);
        }
        let (a, b, p) = (map(t, c[0], c[1]), map(t, c[2], c[3]), map(t, c[4], c[5]));
        self.pb.cubic_to(a.x, a.y, b.x, b.y, p.x, p.y);
        self.current = Some(p);
    }

    pub(super) fn quad_to(&mut self, t: &Transform, c: [f32; 4]) {
        if self.current.is_none() {
            self.move_to(t, c[0], c[1]);
        }
        let (a, p) = (map(t, c[0], c[1]), map(t, c[2], c[3]));
        self.pb.quad_to(a.x, a.y, p.x, p.y);
        self.current = Some(p);
    }

    pub(super) fn close(&mut self) {
        if self.current.is_some() {
            self.pb.close();
            self.current = self.start;
        }
    }

    pub(super) fn rect(&mut self, t: &Transform, x: f32, y: f32, w: f32, h: f32) {
        self.move_to(t, x, y);
        self.line_to(t, x + w, y);
        self.line_to(t, x + w, y + h);
        self.line_to(t, x, y + h);
        self.close();
        self.move_to(t, x, y);
    }

    /// `ellipse()` (and `arc()`, with equal radii and no rotation): a line
    /// from the current point to the start, then Bézier quarter arcs. A
    /// zero radius still adds its point: Chart.js draws a pie slice as
    /// `arc(r)` then `arc(0)` back at the center.
    pub(super) fn ellipse(&mut self, t: &Transform, e: [f32; 7], ccw: bool) {
        let [cx, cy, rx, ry, rotation, a0, a1] = e;
        if !(rx >= 0.0 && ry >= 0.0) {
            return;
        }
        let sweep = sweep(a0, a1, ccw);
        let frame = t.pre_translate(cx, cy).pre_rotate(rotation.to_degrees());
        let at = |a: f32| map(&frame, rx * a.cos(), ry * a.sin());
        let first = at(a0);
        if self.current.is_none() {
            self.pb.move_to(first.x, first.y);
            self.start = Some(first);
        } else {
            self.pb.line_to(first.x, first.y);
        }
        let pieces = (sweep.abs() / FRAC_PI_2).ceil().max(1.0) as usize;
        let step = sweep / pieces as f32;
        let k = 4.0 / 3.0 * (step / 4.0).tan();
        let mut a = a0;
        for _ in 0..pieces {
            let b = a + step;
            let c1 = map(
                &frame,
                rx * (a.cos() - k * a.sin()),
                ry * (a.sin() + k * a.cos()),
            );
            let c2 = map(
                &frame,
                rx * (b.cos() + k * b.sin()),
                ry * (b.sin() - k * b.cos()),
            );
            let end = at(b);
            self.pb.cubic_to(c1.x, c1.y, c2.x, c2.y, end.x, end.y);
            a = b;
        }
        self.current = Some(at(a0 + sweep));
    }

    /// `arcTo()`: the arc of radius `r` tangent to the lines from the
    /// current point to (x1, y1) and from there to (x2, y2), in user space.
    pub(super) fn arc_to(&mut self, t: &Transform, c: [f32; 5]) {
        let [x1, y1, x2, y2, r] = c;
        let (Some(cur), Some(inv)) = (self.current, t.invert()) else {
            return self.move_to(t, x1, y1);
        };
        let p0 = map(&inv, cur.x, cur.y);
        let (d0, d2) = ((p0.x - x1, p0.y - y1), (x2 - x1, y2 - y1));
        let (l0, l2) = (d0.0.hypot(d0.1), d2.0.hypot(d2.1));
        let cross = d0.0 * d2.1 - d0.1 * d2.0;
        if r <= 0.0 || l0 == 0.0 || l2 == 0.0 || cross.abs() < 1e-6 {
            return self.line_to(t, x1, y1);
        }
        let cos = ((d0.0 * d2.0 + d0.1 * d2.1) / (l0 * l2)).clamp(-1.0, 1.0);
        let half = cos.acos() / 2.0;
        let along = r / half.tan();
        let (u0, u2) = ((d0.0 / l0, d0.1 / l0), (d2.0 / l2, d2.1 / l2));
        let s = (x1 + u0.0 * along, y1 + u0.1 * along);
        let e = (x1 + u2.0 * along, y1 + u2.1 * along);
        // The center is r from both tangent points, on the bisector's side.
        let dist = r / half.sin();
        let bis = (u0.0 + u2.0, u0.1 + u2.1);
        let bl = bis.0.hypot(bis.1);
        let center = (x1 + bis.0 / bl * dist, y1 + bis.1 / bl * dist);
        let a0 = (s.1 - center.1).atan2(s.0 - center.0);
        let a1 = (e.1 - center.1).atan2(e.0 - center.0);
        self.ellipse(t, [center.0, center.1, r, r, 0.0, a0, a1], cross > 0.0);
    }

    /// The path so far (an empty path is `None`).
    pub(super) fn finish(&self) -> Option<Path> {
        self.pb.clone().finish()
    }
}

/// The angle an arc covers, signed, per the Canvas specification: a full
/// turn at most, the long way round when `ccw` says so.
fn sweep(a0: f32, a1: f32, ccw: bool) -> f32 {
    let d = a1 - a0;
    if !ccw && d >= TAU {
        return TAU;
    }
    if ccw && -d >= TAU {
        return -TAU;
    }
    let d = d.rem_euclid(TAU);
    if ccw && d != 0.0 {
        d - TAU
    } else {
        d
    }
}

fn map(t: &Transform, x: f32, y: f32) -> Point {
    let mut p = Point::from_xy(x, y);
    t.map_point(&mut p);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f32::consts::PI;

    #[test]
    fn sweeps_as_the_specification() {
        assert_eq!(sweep(0.0, PI, false), PI);
        assert!((sweep(0.0, PI, true) + PI).abs() < 1e-6);
        assert_eq!(sweep(0.0, 3.0 * TAU, false), TAU);
        assert!((sweep(-FRAC_PI_2, 3.0 * FRAC_PI_2, false) - TAU).abs() < 1e-6);
        assert_eq!(sweep(1.0, 1.0, true), 0.0);
    }

    #[test]
    fn a_zero_radius_arc_adds_its_point() {
        // A pie slice: out along the arc, back to the center with arc(0).
        let t = Transform::identity();
        let mut p = CanvasPath::default();
        p.ellipse(&t, [50.0, 50.0, 40.0, 40.0, 0.0, 0.0, FRAC_PI_2], false);
        p.ellipse(&t, [50.0, 50.0, 0.0, 0.0, 0.0, FRAC_PI_2, 0.0], true);
        p.close();
        let b = p.finish().unwrap().bounds();
        assert!((b.left() - 50.0).abs() < 1e-3 && (b.top() - 50.0).abs() < 1e-3);
        assert!((b.right() - 90.0).abs() < 1e-3 && (b.bottom() - 90.0).abs() < 1e-3);
    }

    #[test]
    fn points_take_the_transform_current_when_added() {
        let mut p = CanvasPath::default();
        p.move_to(&Transform::from_translate(10.0, 0.0), 0.0, 0.0);
        p.line_to(&Transform::identity(), 0.0, 20.0);
        let b = p.finish().unwrap().bounds();
        assert_eq!((b.left(), b.right(), b.bottom()), (0.0, 10.0, 20.0));
    }
}
