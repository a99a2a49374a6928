//! Solid strokes of gently turning polylines wider than a pixel, rasterized
//! analytically: what a line chart's line is.
//!
//! tiny-skia strokes a polyline by building its outline and filling that
//! with 4×4 supersampled coverage runs; for the reference chart's
//! 1000-point, 3 px line that was two thirds of the drawing. A polyline
//! whose joints turn gently is a chain of rectangles, each extended at its
//! inner ends to the miter point, so its stroke is their union. Each pixel
//! takes the largest coverage of the rectangles near it, and a rectangle's
//! coverage is box-filtered area: exact across the line (a band is the
//! overlap of two half-planes, whose areas over a pixel have a closed
//! form), and the same formula along it at the ends. Coverage goes to a mask
//! first, so overlapping rectangles never blend twice, then onto the pixmap
//! in one pass, as one path stroke would.
//!
//! Left to tiny-skia: hairlines (1 px or less, which browsers draw as
//! hairlines too), and lines with a joint turning more than 60°
//! (`MAX_TURN_COS`),
//! where an extended rectangle would leave the stroke's outline.

use super::rule;
use super::stamp;
use std::sync::OnceLock;
use std::time::Instant;
use tiny_skia::{Paint, Pixmap};

/// The sharpest turn at a joint drawn here (radians, 60°): the extension
/// to the miter point is then at most 0.58 of the half width, and stays
/// inside the next rectangle.
const MAX_TURN_COS: f32 = 0.5;

/// Segments between two looks at the deadline.
const DEADLINE_EVERY: usize = 256;

/// Strokes `pts` (device pixels) `width` pixels wide with butt ends and
/// miter joins, in `paint`'s solid color. `false`, having drawn nothing,
/// when the line is not one this module draws (see the module doc).
pub(crate) fn draw(
    pixmap: &mut Pixmap,
    pts: &[(f32, f32)],
    width: f32,
    paint: &Paint,
    deadline: Option<Instant>,
) -> bool {
    if !(width > 1.0 && width < 1e4) || pts.iter().any(|p| !(p.0.is_finite() && p.1.is_finite())) {
        return false;
    }
    let Some(segments) = chain(pts, width / 2.0) else {
        return false;
    };
    let Some(color) = rule::full_coverage(paint) else {
        return false;
    };
    let Some(mut mask) = Mask::around(&segments, pixmap.width(), pixmap.height()) else {
        return true; // wholly off the canvas
    };
    for (i, s) in segments.iter().enumerate() {
        if i % DEADLINE_EVERY == DEADLINE_EVERY - 1 && deadline.is_some_and(|d| Instant::now() > d)
        {
            break;
        }
        s.cover(&mut mask);
    }
    mask.paint(pixmap, color);
    true
}

/// One rectangle of the chain: from `a`, `len` along unit `u`, `half` to
/// either side. Where it meets a neighbour (`joints`, before its start and
/// past its end) it is extended by the given length to the miter point and
/// cut off at the pixel centers, since the neighbour continues the line
/// there (antialiasing a joint by area would leave each of a curve's short
/// segments a fraction of a pixel). The line's own two ends (`None`) are
/// butt ends, antialiased by area.
struct Segment {
    a: (f32, f32),
    u: (f32, f32),
    len: f32,
    half: f32,
    joints: (Option<f32>, Option<f32>),
    /// How far an edge of this direction reaches into pixels (see `Profile`).
    reach: f32,
    /// The pixel area inside such an edge, by distance (see `areas`).
    areas: &'static Areas,
}

/// The rectangles of `pts`' stroke, or `None` if a joint turns too sharply
/// (or fewer than two distinct points are given).
fn chain(pts: &[(f32, f32)], half: f32) -> Option<Vec<Segment>> {
    let mut out: Vec<Segment> = Vec::with_capacity(pts.len());
    let mut a = *pts.first()?;
    for &b in &pts[1..] {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        if len < 1e-4 {
            continue;
        }
        let u = (dx / len, dy / len);
        if let Some(prev) = out.last_mut() {
            let cos = (prev.u.0 * u.0 + prev.u.1 * u.1).clamp(-1.0, 1.0);
            if cos < MAX_TURN_COS {
                return None;
            }
            // Half the miter's length past the joint: h·tan(turn / 2).
            let e = half * ((1.0 - cos) / (1.0 + cos)).sqrt();
            prev.joints.1 = Some(e);
            out.push(Segment::new(a, u, len, half, Some(e)));
        } else {
            out.push(Segment::new(a, u, len, half, None));
        }
        a = b;
    }
    (!out.is_empty()).then_some(out)
}

impl Segment {
    /// A segment meeting its predecessor at `joint` (`None`: the line's
    /// start) and ending the line until its successor says otherwise.
    fn new(a: (f32, f32), u: (f32, f32), len: f32, half: f32, joint: Option<f32>) -> Segment {
        Segment {
            a,
            u,
            len,
            half,
            joints: (joint, None),
            reach: Profile::new(u).reach,
            areas: areas(u),
        }
    }

    /// Raises `mask`'s coverage to this rectangle's wherever it is higher.
    fn cover(&self, mask: &mut Mask) {
        let (ux, uy) = self.u;
        let (nx, ny) = (-uy, ux);
        // Coverage is zero past half a pixel's diagonal from an edge, and
        // past a joint's cut-off line.
        let reach = self.reach;
        let s_lim = self.half + reach;
        let t_lo = -self.joints.0.unwrap_or(reach);
        let t_hi = self.len + self.joints.1.unwrap_or(reach);
        let corners = [
            self.at(t_lo, -s_lim),
            self.at(t_lo, s_lim),
            self.at(t_hi, -s_lim),
            self.at(t_hi, s_lim),
        ];
        let y_top = corners.iter().map(|c| c.1).fold(f32::INFINITY, f32::min);
        let y_bottom = corners
            .iter()
            .map(|c| c.1)
            .fold(f32::NEG_INFINITY, f32::max);
        let p = self.areas;
        for y in mask.rows(y_top, y_bottom) {
            let cy = y as f32 + 0.5 - self.a.1;
            // Pixel centers of this row within both slabs (across, along).
            let Some((x0, x1)) = slab(cy * ny, nx, -s_lim, s_lim)
                .and_then(|s| intersect(s, slab(cy * uy, ux, t_lo, t_hi)?))
            else {
                continue;
            };
            let first = (x0 + self.a.0 - 0.5).ceil() as i64;
            let last = (x1 + self.a.0 - 0.5).floor() as i64;
            let Some((first, cells)) = mask.row(y, first, last) else {
                continue;
            };
            let cx = first as f32 + 0.5 - self.a.0;
            let (mut s, mut t) = (cx * nx + cy * ny, cx * ux + cy * uy);
            for cell in cells {
                let across = p.area(self.half - s) + p.area(self.half + s) - 1.0;
                let start = self.joints.0.map_or_else(|| p.area(t), |_| 1.0);
                let end = self.joints.1.map_or_else(|| p.area(self.len - t), |_| 1.0);
                let c = across * (start + end - 1.0).max(0.0);
                *cell = (*cell).max(level(c));
                (s, t) = (s + nx, t + ux);
            }
        }
    }

    fn at(&self, t: f32, s: f32) -> (f32, f32) {
        (
            self.a.0 + t * self.u.0 - s * self.u.1,
            self.a.1 + t * self.u.1 + s * self.u.0,
        )
    }
}

/// Coverage as one of `LEVELS + 1` steps, as tiny-skia's 4×4 supersampling
/// gives it: a chart then has as few colors as before, and its PNG a
/// palette (1/32 finer steps are not visible, but doubled the colors of the
/// reference chart and the time to index them).
#[inline]
fn level(c: f32) -> u8 {
    const LEVELS: f32 = 16.0;
    // Truncation rounds: the value is positive. (`floor` is a libm call.)
    ((((c.clamp(0.0, 1.0) * LEVELS + 0.5) as u32) * (256 / LEVELS as u32)).min(255)) as u8
}

/// The `x` (relative to the segment's start) where `c + k·x` lies within
/// `lo..=hi`; everything or nothing when `k` is about zero.
fn slab(c: f32, k: f32, lo: f32, hi: f32) -> Option<(f32, f32)> {
    if k.abs() < 1e-6 {
        return (lo..=hi)
            .contains(&c)
            .then_some((f32::NEG_INFINITY, f32::INFINITY));
    }
    let (p, q) = ((lo - c) / k, (hi - c) / k);
    Some((p.min(q), p.max(q)))
}

fn intersect(a: (f32, f32), b: (f32, f32)) -> Option<(f32, f32)> {
    let (lo, hi) = (a.0.max(b.0), a.1.min(b.1));
    (lo <= hi).then_some((lo, hi))
}

/// How a unit pixel's area is spread across a direction: projected onto a
/// unit vector with components `a ≥ b ≥ 0` (in absolute value), the square
/// spans `a + b`, with density `1/a` over the middle `a - b` and falling
/// linearly to zero over `b` at each side.
struct Profile {
    a: f32,
    b: f32,
    /// Half the span: past this distance an edge misses the pixel.
    reach: f32,
}

impl Profile {
    fn new((x, y): (f32, f32)) -> Profile {
        let (a, b) = (x.abs().max(y.abs()), x.abs().min(y.abs()));
        Profile {
            a,
            b,
            reach: (a + b) / 2.0,
        }
    }

    /// The share of a pixel inside an edge whose line passes `d` from the
    /// pixel's center (positive: the center is inside).
    #[inline]
    fn area(&self, d: f32) -> f32 {
        let (a, b) = (self.a, self.b);
        let flat = (a - b) / 2.0;
        if d >= self.reach {
            1.0
        } else if d <= -self.reach {
            0.0
        } else if d.abs() <= flat {
            0.5 + d / a
        } else if b < 1e-6 {
            (0.5 + d).clamp(0.0, 1.0)
        } else if d < 0.0 {
            let r = d + self.reach;
            r * r / (2.0 * a * b)
        } else {
            let r = self.reach - d;
            1.0 - r * r / (2.0 * a * b)
        }
    }
}

/// `Profile::area` tabulated for one direction, by distance in steps of
/// `1 / AREA_STEPS` px from `-AREA_SPAN` to `AREA_SPAN` (past either end the
/// area is 0 or 1: a pixel reaches at most half its diagonal). The pixels
/// of a curve fall at every distance from its edges, so the formula's
/// branches mispredicted and were most of the stroke's cost; a nearest
/// entry is off by at most 0.011, a sixth of a coverage level.
struct Areas([f32; AREA_LEN]);

const AREA_STEPS: f32 = 64.0;
const AREA_SPAN: f32 = 0.75;
const AREA_LEN: usize = 2 * (AREA_SPAN * AREA_STEPS) as usize + 1;
/// Directions tabulated per eighth of a turn (by the tangent of the angle
/// to the nearest axis).
const DIRECTIONS: usize = 256;

impl Areas {
    #[inline]
    fn area(&self, d: f32) -> f32 {
        let i = ((d + AREA_SPAN) * AREA_STEPS + 0.5) as i32;
        self.0[i.clamp(0, AREA_LEN as i32 - 1) as usize]
    }
}

/// The table for unit direction `u` (its nearest tabulated direction),
/// made for every direction on first use: 99 KB, once per process.
fn areas((x, y): (f32, f32)) -> &'static Areas {
    static TABLES: OnceLock<Vec<Areas>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        (0..=DIRECTIONS)
            .map(|k| {
                let t = k as f32 / DIRECTIONS as f32;
                let a = 1.0 / (1.0 + t * t).sqrt();
                let p = Profile::new((a, t * a));
                Areas(std::array::from_fn(|i| {
                    p.area(i as f32 / AREA_STEPS - AREA_SPAN)
                }))
            })
            .collect()
    });
    let (a, b) = (x.abs().max(y.abs()), x.abs().min(y.abs()));
    let k = (b / a.max(1e-9) * DIRECTIONS as f32 + 0.5) as usize;
    &tables[k.min(DIRECTIONS)]
}

/// Coverage of the stroke's bounding box, one byte a pixel, and each row's
/// touched columns, so painting skips what the line never reached.
struct Mask {
    x: i64,
    y: i64,
    w: i64,
    h: i64,
    cover: Vec<u8>,
    /// First and last touched column of each row (relative), if any.
    spans: Vec<(i64, i64)>,
}

impl Mask {
    fn around(segments: &[Segment], width: u32, height: u32) -> Option<Mask> {
        let (mut x0, mut y0) = (f32::INFINITY, f32::INFINITY);
        let (mut x1, mut y1) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
        for s in segments {
            let ext = |j: Option<f32>| j.unwrap_or(0.0);
            let pad = s.half + ext(s.joints.0).max(ext(s.joints.1)) + 1.0;
            let b = s.at(s.len, 0.0);
            x0 = x0.min(s.a.0.min(b.0) - pad);
            y0 = y0.min(s.a.1.min(b.1) - pad);
            x1 = x1.max(s.a.0.max(b.0) + pad);
            y1 = y1.max(s.a.1.max(b.1) + pad);
        }
        let clampi = |v: f32, hi: u32| (v.floor().max(0.0) as i64).min(i64::from(hi));
        let (x0, y0) = (clampi(x0, width), clampi(y0, height));
        let (x1, y1) = (clampi(x1 + 1.0, width), clampi(y1 + 1.0, height));
        let (w, h) = (x1 - x0, y1 - y0);
        (w > 0 && h > 0).then(|| Mask {
            x: x0,
            y: y0,
            w,
            h,
            cover: vec![0; (w * h) as usize],
            spans: vec![(i64::MAX, i64::MIN); h as usize],
        })
    }

    /// The mask's rows (absolute) whose pixel centers lie in `top..=bottom`.
    fn rows(&self, top: f32, bottom: f32) -> std::ops::Range<i64> {
        let first = ((top - 0.5).ceil() as i64).max(self.y);
        let last = ((bottom - 0.5).floor() as i64 + 1).min(self.y + self.h);
        first..last.max(first)
    }

    /// Row `y`'s cells for columns `first..=last` (absolute), clipped to
    /// the mask and marked as touched, with the first one's column.
    #[inline]
    fn row(&mut self, y: i64, first: i64, last: i64) -> Option<(i64, &mut [u8])> {
        let (first, last) = (first.max(self.x), last.min(self.x + self.w - 1));
        if first > last {
            return None;
        }
        let r = (y - self.y) as usize;
        let span = &mut self.spans[r];
        *span = (span.0.min(first - self.x), span.1.max(last - self.x));
        let base = r as i64 * self.w - self.x;
        Some((
            first,
            &mut self.cover[(base + first) as usize..=(base + last) as usize],
        ))
    }

    /// Blends `color` (premultiplied, at full coverage) over `pixmap` by
    /// the mask, as tiny-skia blends a covered pixel. A curve's rows are
    /// mostly untouched between its crossings, skipped eight cells at once.
    fn paint(&self, pixmap: &mut Pixmap, color: [u8; 4]) {
        let stride = pixmap.width() as usize;
        let data = pixmap.data_mut();
        for (r, &(first, last)) in self.spans.iter().enumerate() {
            if first > last {
                continue;
            }
            let base = r * self.w as usize;
            let cells = &self.cover[base + first as usize..=base + last as usize];
            let start = (self.y as usize + r) * stride + (self.x + first) as usize;
            for (k, eight) in cells.chunks(8).enumerate() {
                let blank = match <[u8; 8]>::try_from(eight) {
                    Ok(word) => u64::from_ne_bytes(word) == 0,
                    Err(_) => eight.iter().all(|&c| c == 0),
                };
                if blank {
                    continue;
                }
                for (j, &c) in eight.iter().enumerate() {
                    if c > 0 {
                        let i = (start + k * 8 + j) * 4;
                        stamp::cover(&mut data[i..i + 4], color, c);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiny_skia::{PathBuilder, Transform};

    fn paint(rgba: [u8; 4]) -> Paint<'static> {
        let mut p = Paint::default();
        p.set_color_rgba8(rgba[0], rgba[1], rgba[2], rgba[3]);
        p.anti_alias = true;
        p
    }

    /// The same line stroked by tiny-skia.
    fn reference(pixmap: &mut Pixmap, pts: &[(f32, f32)], width: f32, paint: &Paint) {
        let mut pb = PathBuilder::new();
        pb.move_to(pts[0].0, pts[0].1);
        for p in &pts[1..] {
            pb.line_to(p.0, p.1);
        }
        let path = pb.finish().unwrap();
        pixmap.stroke_path(
            &path,
            paint,
            &stamp::stroke_of(width),
            Transform::identity(),
            None,
        );
    }

    /// Alpha of each pixel, drawn here and by tiny-skia, on a transparent
    /// canvas.
    fn both(pts: &[(f32, f32)], width: f32) -> (Vec<u8>, Vec<u8>) {
        let p = paint([0, 0, 0, 255]);
        let mut ours = Pixmap::new(120, 80).unwrap();
        assert!(draw(&mut ours, pts, width, &p, None), "drawn here");
        let mut theirs = Pixmap::new(120, 80).unwrap();
        reference(&mut theirs, pts, width, &p);
        let alpha = |m: &Pixmap| m.data().chunks_exact(4).map(|p| p[3]).collect();
        (alpha(&ours), alpha(&theirs))
    }

    /// Total coverage (pixels' worth) and the largest per-pixel difference.
    fn compare(ours: &[u8], theirs: &[u8]) -> (f32, f32, u8) {
        let sum = |v: &[u8]| v.iter().map(|&a| f32::from(a) / 255.0).sum::<f32>();
        let worst = ours
            .iter()
            .zip(theirs)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        (sum(ours), sum(theirs), worst)
    }

    #[test]
    fn a_horizontal_band_on_pixel_edges_is_exact() {
        // 3 px wide centered on y = 40.5: rows 39, 40, 41 full, from x = 10.
        let (ours, _) = both(&[(10.0, 40.5), (60.0, 40.5)], 3.0);
        let at = |x: usize, y: usize| ours[y * 120 + x];
        assert_eq!((at(10, 39), at(30, 40), at(59, 41)), (255, 255, 255));
        assert_eq!(
            (at(9, 40), at(60, 40), at(30, 38), at(30, 42)),
            (0, 0, 0, 0)
        );
        // Half a pixel: y = 40.25 ± 1.5 covers row 38 by a quarter.
        let (ours, _) = both(&[(10.0, 40.25), (60.0, 40.25)], 3.0);
        assert_eq!(ours[38 * 120 + 30], 64);
        assert_eq!(ours[41 * 120 + 30], 192);
    }

    #[test]
    fn diagonal_and_curving_lines_match_tiny_skias_stroke() {
        let curve: Vec<(f32, f32)> = (0..200)
            .map(|i| {
                let x = 5.0 + i as f32 * 0.55;
                (x, 40.0 + 25.0 * (x / 13.0).sin())
            })
            .collect();
        let jagged: Vec<(f32, f32)> = (0..60)
            .map(|i| (5.0 + i as f32 * 1.8, 40.0 + (i % 3) as f32 * 0.5 - 0.5))
            .collect();
        for (name, pts, width) in [
            ("diagonal", vec![(7.3, 9.1), (101.7, 66.4)], 3.0),
            ("steep", vec![(50.2, 3.3), (58.9, 77.0)], 2.5),
            ("sine", curve.clone(), 3.0),
            ("thick sine", curve, 8.0),
            ("jagged", jagged, 2.0),
            (
                "corner",
                vec![(10.0, 70.0), (60.0, 30.0), (110.0, 40.0)],
                4.0,
            ),
        ] {
            let (ours, theirs) = both(&pts, width);
            let (a, b, worst) = compare(&ours, &theirs);
            assert!(
                (a - b).abs() <= 0.01 * b,
                "{name}: {a} pixels' coverage here, {b} by tiny-skia"
            );
            // tiny-skia's 4×4 supersampling is itself 1/16 off here and there.
            assert!(worst <= 48, "{name}: a pixel differs by {worst}/255");
        }
    }

    #[test]
    fn sharp_turns_hairlines_and_odd_input_are_left_to_tiny_skia() {
        let p = paint([0, 0, 0, 255]);
        let mut m = Pixmap::new(40, 40).unwrap();
        let zigzag = [(5.0, 30.0), (10.0, 5.0), (15.0, 30.0)];
        assert!(!draw(&mut m, &zigzag, 3.0, &p, None));
        assert!(!draw(&mut m, &[(5.0, 5.0), (30.0, 30.0)], 1.0, &p, None));
        assert!(!draw(&mut m, &[(5.0, 5.0), (f32::NAN, 3.0)], 3.0, &p, None));
        assert!(!draw(&mut m, &[(5.0, 5.0), (5.0, 5.0)], 3.0, &p, None));
        assert!(m.data().iter().all(|&b| b == 0), "nothing drawn");
    }

    #[test]
    fn overlapping_rectangles_blend_once() {
        // A translucent line doubling back on itself gently: every pixel
        // is blended once, so no pixel is darker than the color itself.
        let p = paint([0, 0, 255, 128]);
        let pts: Vec<(f32, f32)> = (0..100).map(|i| (10.0 + i as f32 * 0.3, 20.0)).collect();
        let mut m = Pixmap::new(60, 40).unwrap();
        assert!(draw(&mut m, &pts, 6.0, &p, None));
        let max_alpha = m.data().chunks_exact(4).map(|p| p[3]).max().unwrap();
        assert_eq!(max_alpha, 128);
    }

    #[test]
    fn lines_off_the_canvas_draw_nothing_and_say_so() {
        let p = paint([0, 0, 0, 255]);
        let mut m = Pixmap::new(40, 40).unwrap();
        assert!(draw(
            &mut m,
            &[(-50.0, -50.0), (-10.0, -20.0)],
            3.0,
            &p,
            None
        ));
        assert!(m.data().iter().all(|&b| b == 0));
    }
}
