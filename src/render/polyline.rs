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

/// Min-max decimation, as Chart.js's `decimation` plugin's `min-max`
/// algorithm: when a polyline whose x never decreases has more than two
/// points per pixel column of width `col`, each column keeps its first,
/// lowest, highest and last point, in their order. The stroke still covers
/// every column from its lowest to its highest point, so the picture is the
/// same to the eye, at a cost that grows with the columns, not the points
/// (a 100,000-point line at 4096 px took seconds). `None` when the polyline
/// is not dense or goes back in x (a radar outline, a scatter with lines).
pub(crate) fn decimate(pts: &[Pt], col: f64) -> Option<Vec<Pt>> {
    let (first, last) = (pts.first()?, pts.last()?);
    let columns = ((last.x - first.x) / col).ceil().max(1.0);
    if !(columns.is_finite() && col > 0.0) || (pts.len() as f64) <= 2.0 * columns + 2.0 {
        return None;
    }
    if !pts
        .windows(2)
        .all(|w| w[0].x.partial_cmp(&w[1].x).is_some_and(|o| o.is_le()))
    {
        return None;
    }
    let mut out = Vec::with_capacity(4 * columns as usize + 4);
    let mut i = 0;
    while i < pts.len() {
        let column = (pts[i].x / col).floor();
        let start = i;
        let (mut lo, mut hi) = (i, i);
        i += 1;
        while i < pts.len() && (pts[i].x / col).floor() == column {
            if pts[i].y < pts[lo].y {
                lo = i;
            }
            if pts[i].y > pts[hi].y {
                hi = i;
            }
            i += 1;
        }
        let mut keep = [start, lo.min(hi), lo.max(hi), i - 1];
        keep.sort_unstable();
        let mut prev = None;
        for k in keep {
            if prev != Some(k) {
                out.push(pts[k]);
                prev = Some(k);
            }
        }
    }
    Some(out)
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

/// A dash pattern ready to walk: on/off lengths with every length at least
/// one device pixel, so a stroke splits into at most one piece per pixel of
/// its length, whatever the config asked for (a pattern of 400 lengths of
/// `1e-9` would otherwise cut every pixel into hundreds of pieces).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Dashes {
    /// Draw the line unbroken.
    Solid,
    /// Draw nothing: the pattern is all gaps.
    Hidden,
    /// Alternating lengths, starting with "on" when `starts_on`.
    Pattern { lengths: Vec<f64>, starts_on: bool },
}

impl Dashes {
    /// The pattern `dash` (lengths alternate on, off; an odd list repeats
    /// twice, as on a canvas) with runs shorter than `min_len` merged into
    /// their neighbours: a merged run is on when most of it was on.
    pub(crate) fn new(dash: &[f64], min_len: f64) -> Dashes {
        // A canvas ignores a pattern with a negative or non-finite length
        // (`setLineDash` returns early), leaving the line solid.
        if dash.iter().any(|d| !d.is_finite() || *d < 0.0) {
            return Dashes::Solid;
        }
        let doubled = if dash.len() % 2 == 1 { 2 } else { 1 };
        let runs = || (0..dash.len() * doubled).map(|i| (dash[i % dash.len()], i % 2 == 0));
        let period: f64 = runs().map(|(len, _)| len).sum();
        if dash.is_empty() || period.is_nan() || period < MIN_DASH_PERIOD {
            return Dashes::Solid;
        }
        let mut merged: Vec<(f64, bool)> = Vec::new();
        let (mut on, mut off) = (0.0, 0.0);
        for (len, is_on) in runs() {
            if is_on {
                on += len;
            } else {
                off += len;
            }
            if on + off >= min_len {
                push_run(&mut merged, on + off, on >= off);
                (on, off) = (0.0, 0.0);
            }
        }
        if on + off > 0.0 {
            match merged.last_mut() {
                Some(last) => last.0 += on + off,
                None => merged.push((on + off, on >= off)),
            }
        }
        // A pattern whose last run matches its first wraps into one run.
        if merged.len() > 1 && merged[0].1 == merged[merged.len() - 1].1 {
            let (len, _) = merged.pop().expect("more than one run");
            merged[0].0 += len;
        }
        match merged.as_slice() {
            [(_, true)] => Dashes::Solid,
            [(_, false)] => Dashes::Hidden,
            _ => Dashes::Pattern {
                starts_on: merged[0].1,
                lengths: merged.into_iter().map(|(len, _)| len).collect(),
            },
        }
    }
}

fn push_run(runs: &mut Vec<(f64, bool)>, len: f64, on: bool) {
    match runs.last_mut() {
        Some(last) if last.1 == on => last.0 += len,
        _ => runs.push((len, on)),
    }
}

/// Calls `piece` with each "on" piece of polyline `pts` under the pattern
/// `lengths` (see `Dashes::Pattern`), one at a time, reusing one buffer:
/// memory stays that of one piece however many pieces a stroke has. Stops
/// at the first error `piece` returns.
pub(crate) fn each_dash<E>(
    pts: &[Pt],
    lengths: &[f64],
    starts_on: bool,
    mut piece: impl FnMut(&[Pt]) -> Result<(), E>,
) -> Result<(), E> {
    if lengths.is_empty() {
        return Ok(());
    }
    let mut cur: Vec<Pt> = Vec::new();
    let (mut k, mut left) = (0, lengths[0]);
    let on = |k: usize| k.is_multiple_of(2) == starts_on;
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
                    piece(&cur)?;
                }
                cur.clear();
            }
            len -= left;
            a = m;
            k = (k + 1) % lengths.len();
            left = lengths[k];
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
        piece(&cur)?;
    }
    Ok(())
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
    fn decimation_keeps_each_columns_extremes_in_order() {
        // 1,000 points over 10 columns: 4 points a column at most.
        let zigzag: Vec<Pt> = (0..1000)
            .map(|i| pt(f64::from(i) / 100.0, f64::from((i * 37) % 101)))
            .collect();
        let d = decimate(&zigzag, 1.0).expect("dense and monotonic");
        assert!(d.len() <= 40 && d.len() >= 20, "{} points", d.len());
        assert_eq!((d[0], *d.last().unwrap()), (zigzag[0], zigzag[999]));
        for c in 0..10 {
            let column = |p: &&Pt| (p.x.floor() as i32) == c;
            let (lo, hi) = zigzag
                .iter()
                .filter(column)
                .fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p.y), h.max(p.y)));
            let kept: Vec<f64> = d.iter().filter(column).map(|p| p.y).collect();
            assert!(kept.contains(&lo) && kept.contains(&hi), "column {c}");
        }
        assert!(d.windows(2).all(|w| w[1].x >= w[0].x));
        // Sparse, or going back in x: left alone.
        let sparse: Vec<Pt> = zigzag.iter().step_by(50).copied().collect();
        assert_eq!(decimate(&sparse, 1.0), None);
        let mut back = zigzag.clone();
        back[500].x = -1.0;
        assert_eq!(decimate(&back, 1.0), None);
        for bad in [0, 500, 999] {
            let mut nan = zigzag.clone();
            nan[bad].x = f64::NAN;
            assert_eq!(decimate(&nan, 1.0), None, "NaN at {bad}");
        }
    }

    fn dash(pts: &[Pt], pattern: &[f64]) -> Vec<Vec<Pt>> {
        let Dashes::Pattern { lengths, starts_on } = Dashes::new(pattern, 1.0) else {
            panic!("{pattern:?} is a pattern");
        };
        let mut pieces = Vec::new();
        each_dash(pts, &lengths, starts_on, |p| {
            pieces.push(p.to_vec());
            Ok::<(), ()>(())
        })
        .unwrap();
        pieces
    }

    #[test]
    fn dashes_follow_the_pattern() {
        let pieces = dash(&[pt(0.0, 0.0), pt(10.0, 0.0), pt(10.0, 10.0)], &[4.0, 2.0]);
        assert_eq!(pieces.len(), 4);
        assert_eq!(pieces[0], [pt(0.0, 0.0), pt(4.0, 0.0)]);
        assert_eq!(pieces[1], [pt(6.0, 0.0), pt(10.0, 0.0)]);
        assert_eq!(pieces[2], [pt(10.0, 2.0), pt(10.0, 6.0)]);
    }

    #[test]
    fn sub_pixel_runs_merge_into_pixel_runs() {
        // 400 runs of 1e-9 then 2: the dust merges into the 2 px run it
        // precedes, leaving plain 2-on 2-off dashes.
        let mut bomb = vec![1e-9; 400];
        bomb.push(2.0);
        let Dashes::Pattern { lengths, starts_on } = Dashes::new(&bomb, 0.5) else {
            panic!("a pattern");
        };
        assert!(starts_on);
        assert_eq!(lengths.len(), 2);
        assert!(
            lengths.iter().all(|l| (l - 2.0).abs() < 1e-6),
            "{lengths:?}"
        );
        // Every run below a pixel: one piece per pixel at most.
        let fine: Vec<f64> = (0..1000).map(|i| 0.05 + f64::from(i % 7) * 0.3).collect();
        let Dashes::Pattern { lengths, .. } = Dashes::new(&fine, 1.0) else {
            panic!("a pattern");
        };
        assert!(lengths.iter().all(|&l| l >= 1.0), "{lengths:?}");
        let mut pieces = 0;
        each_dash(&[pt(0.0, 0.0), pt(1000.0, 0.0)], &lengths, true, |_| {
            pieces += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert!(pieces <= 1000, "{pieces} pieces for 1000 px");
    }

    #[test]
    fn dashing_stops_at_the_first_error() {
        let mut calls = 0;
        let line = [pt(0.0, 0.0), pt(1e6, 0.0)];
        let out = each_dash(&line, &[1.0, 1.0], true, |_| {
            calls += 1;
            if calls == 3 {
                Err("deadline")
            } else {
                Ok(())
            }
        });
        assert_eq!((out, calls), (Err("deadline"), 3));
    }

    #[test]
    fn degenerate_patterns_are_solid_or_hidden() {
        assert_eq!(Dashes::new(&[], 1.0), Dashes::Solid);
        assert_eq!(Dashes::new(&[0.5, 0.5], 1.0), Dashes::Solid);
        assert_eq!(Dashes::new(&[f64::NAN, 3.0], 1.0), Dashes::Solid);
        assert_eq!(Dashes::new(&[-1.0, 3.0], 1.0), Dashes::Solid);
        assert_eq!(Dashes::new(&[5.0, 0.0], 1.0), Dashes::Solid);
        assert_eq!(Dashes::new(&[0.0, 5.0], 1.0), Dashes::Hidden);
        assert_eq!(Dashes::new(&[f64::INFINITY, 1.0], 1.0), Dashes::Solid);
    }
}
