//! Preparing polylines for stroking: simplification of dense data, and
//! splitting into dashes (plotters backends have no dash patterns).

use super::geom::Pt;

/// Polyline `pts` with the points dropped that a straight run passes
/// within `tol` of anyway (Zhao-Saalfeld sleeve, one pass): dense data
/// draws identically with far fewer edges to stroke and rasterize.
pub(crate) fn simplify(pts: &[Pt], tol: f64) -> Vec<Pt> {
    if pts.len() < 3 || tol.is_nan() || tol <= 0.0 {
        return pts.to_vec();
    }
    let mut out = Vec::with_capacity(pts.len());
    out.push(pts[0]);
    let mut sleeve = Sleeve::new(pts[0]);
    let mut i = 1;
    while i < pts.len() {
        if sleeve.admits(pts[i], tol) {
            i += 1;
        } else {
            // The previous point ends the run; `pts[i]` starts the next.
            out.push(pts[i - 1]);
            sleeve = Sleeve::new(pts[i - 1]);
        }
    }
    out.push(pts[pts.len() - 1]);
    out.dedup();
    out
}

/// The directions a chord from `anchor` may take and still pass within
/// tolerance of every point skipped so far.
struct Sleeve {
    anchor: Pt,
    /// Reference direction and the allowed range around it (radians).
    cone: Option<(f64, f64, f64)>,
    /// Farthest skipped point: the chord must reach that far.
    reach: f64,
}

impl Sleeve {
    fn new(anchor: Pt) -> Sleeve {
        Sleeve {
            anchor,
            cone: None,
            reach: 0.0,
        }
    }

    /// Whether `p` can end the run so far; if so, it is skipped and narrows
    /// the sleeve. The anchor's successor is always admitted.
    fn admits(&mut self, p: Pt, tol: f64) -> bool {
        let d = self.anchor.dist(p);
        if d <= tol {
            return true;
        }
        let phi = (p.y - self.anchor.y).atan2(p.x - self.anchor.x);
        let delta = (tol / d).asin();
        match self.cone {
            None => {
                self.cone = Some((phi, -delta, delta));
                self.reach = d;
                true
            }
            Some((r, lo, hi)) => {
                let rel = (phi - r + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
                    - std::f64::consts::PI;
                if rel < lo || rel > hi || d + tol < self.reach {
                    return false;
                }
                self.cone = Some((r, lo.max(rel - delta), hi.min(rel + delta)));
                self.reach = self.reach.max(d);
                true
            }
        }
    }
}

/// Dash patterns shorter than this (CSS px) are drawn solid: they would look
/// solid anyway and cost a piece per pixel.
const MIN_DASH_PERIOD: f64 = 2.0;

/// Splits polyline `pts` into the "on" pieces of dash pattern `dash`
/// (lengths alternate on, off; an odd list repeats twice, as on a canvas).
pub(crate) fn dash(pts: &[Pt], dash: &[f64]) -> Vec<Vec<Pt>> {
    let mut pattern: Vec<f64> = dash.iter().map(|d| d.max(0.0)).collect();
    if pattern.len() % 2 == 1 {
        pattern.extend_from_within(..);
    }
    let period: f64 = pattern.iter().sum();
    if pattern.is_empty() || period < MIN_DASH_PERIOD {
        return vec![pts.to_vec()];
    }
    let mut out = Vec::new();
    let mut cur: Vec<Pt> = Vec::new();
    let (mut k, mut left) = (0, pattern[0]);
    let on = |k: usize| k % 2 == 0;
    for w in pts.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        let mut len = a.dist(b);
        while len > left {
            let m = a.lerp(b, left / len);
            if on(k) {
                if cur.is_empty() {
                    cur.push(a);
                }
                if cur.last() != Some(&m) {
                    cur.push(m);
                }
                if cur.len() > 1 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
            len -= left;
            a = m;
            k = (k + 1) % pattern.len();
            left = pattern[k];
        }
        left -= len;
        if on(k) {
            if cur.is_empty() {
                cur.push(a);
            }
            cur.push(b);
        }
    }
    if cur.len() > 1 {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::geom::pt;

    #[test]
    fn simplification_keeps_shape_within_tolerance() {
        let wave: Vec<Pt> = (0..2000)
            .map(|i| pt(f64::from(i) * 0.4, (f64::from(i) / 60.0).sin() * 100.0))
            .collect();
        let simple = simplify(&wave, 0.1);
        assert!(simple.len() < wave.len() / 3, "{} points", simple.len());
        assert_eq!((simple[0], *simple.last().unwrap()), (wave[0], wave[1999]));
        for p in &wave {
            let near = simple
                .windows(2)
                .map(|w| seg_dist(*p, w[0], w[1]))
                .fold(f64::INFINITY, f64::min);
            assert!(near <= 0.1 + 1e-9, "{p:?} is {near} away");
        }
        let back = [pt(0.0, 0.0), pt(10.0, 0.0), pt(5.0, 0.0)];
        assert_eq!(simplify(&back, 0.1), back);
    }

    fn seg_dist(p: Pt, a: Pt, b: Pt) -> f64 {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        p.dist(pt(a.x + t * dx, a.y + t * dy))
    }

    #[test]
    fn dashes_follow_the_pattern() {
        let pieces = dash(&[pt(0.0, 0.0), pt(10.0, 0.0), pt(10.0, 10.0)], &[4.0, 2.0]);
        assert_eq!(pieces.len(), 4);
        assert_eq!(pieces[0], [pt(0.0, 0.0), pt(4.0, 0.0)]);
        assert_eq!(pieces[1], [pt(6.0, 0.0), pt(10.0, 0.0)]);
        assert_eq!(pieces[2], [pt(10.0, 2.0), pt(10.0, 6.0)]);
    }
}
