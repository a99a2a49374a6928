//! Stamped markers for the PNG backend: each distinct circle marker is
//! rasterized once per render, then composited at every point that uses it.
//!
//! A 20,000-point line with Chart.js's default markers draws 20,000 circles,
//! each a tiny-skia fill and a stroke of 10-20 µs; a radar with 100,000
//! labels draws 100,000. But markers repeat: the same radius, border width
//! and color at one of `sub` x `sub` sub-pixel phases (coordinates reach the
//! backend in 1/`sub` pixel units). So `SkiaBackend::draw_circle` keys each
//! fill and each stroke by all of those (`Key`), draws it once with tiny-skia
//! onto a small transparent pixmap, keeps the pixels that draw wrote
//! (`Stamp`), and writes them at each point with tiny-skia's own blend
//! arithmetic (`composite`): well under a microsecond a marker.
//!
//! Why a stamped marker is pixel-identical to the same marker drawn directly
//! (the tests below check it exactly, over a busy background):
//! - Geometry. A marker's path is built around its whole-pixel anchor and
//!   rounded to the grid tiny-skia rasterizes on (`Geometry`): 1/256 px for
//!   fills and thick strokes (its supersampled edges are 24.8 fixed point),
//!   1/64 px for hairlines (26.6). Such a path is exact in f32 at any offset
//!   on the canvas, so it rasterizes to the same coverage at every whole-pixel
//!   position. Built at absolute coordinates instead, f32 rounding differs
//!   from place to place (by a level of coverage here and there), and no
//!   stamp could match every point. Direct drawing uses the same `Geometry`.
//! - Blending. tiny-skia's 8-bit pipeline writes a pixel as
//!   `s + div255(d * (255 - sa))` for translucent paint, where `s` is the
//!   premultiplied color scaled by coverage, and as
//!   `div255(d * (255 - c) + color * c)` for opaque paint at coverage `c`
//!   (with `div255(v) = (v + 255) >> 8`). Onto a transparent pixel both leave
//!   `s` (for opaque paint, alpha `c`), which is what a stamp keeps; the
//!   composite then applies the same formula to the canvas pixel.
//! - Hairlines (strokes of at most one device pixel, Chart.js's default
//!   1 px border at devicePixelRatio 1) are drawn segment by segment, and a
//!   pixel where two segments meet is blended twice. A stamp keeps each
//!   segment's pixels in drawing order and replays them in that order, so
//!   those pixels are blended twice too, with the same rounding.
//!
//! Markers whose box is larger than `MAX_SIDE` are drawn directly: rasterizing
//! them costs far more than the lookup saves. So are markers that reach past
//! the canvas edge (tiny-skia clips their edges, which moves coverage near the
//! edge by a level), and all markers once the cache holds `CACHE_BYTES`.

use std::collections::HashMap;
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, PathSegment, Pixmap, Point, Stroke,
    Transform,
};

/// Bytes of stamps one render keeps. A default marker at devicePixelRatio 2
/// (radius 6 px, 2 px border) is ~1.2 KiB of fill and ~0.9 KiB of stroke, so
/// 256 phases of one dataset's markers take ~0.5 MiB and 4 MiB holds several
/// datasets' worth; past it markers are drawn directly, as before.
pub(crate) const CACHE_BYTES: usize = 4 << 20;

/// Widest marker box, in device pixels, that is stamped. Past this, a marker
/// covers enough pixels that rasterizing it is no longer the cost, and few
/// charts repeat such markers at every phase.
pub(crate) const MAX_SIDE: i32 = 64;

/// Hairlines of tiny-skia's stroker are curves cut into at most 2^5 lines.
const MAX_QUAD_SUBDIVIDE_LEVEL: u32 = 5;

/// One distinct marker paint: a fill or a stroke of a circle, in backend
/// units, with its color and its sub-pixel phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub(crate) radius: u32,
    /// Stroke width in backend units; `None` for a fill.
    pub(crate) stroke: Option<u32>,
    pub(crate) rgba: [u8; 4],
    /// The center's position within its device pixel, in backend units.
    pub(crate) phase: (u32, u32),
}

/// One pixel as one blit left it on a transparent pixmap, relative to the
/// marker's anchor pixel.
#[derive(Clone, Copy, Debug)]
struct Dab {
    dx: i16,
    dy: i16,
    rgba: [u8; 4],
}

/// A rasterized marker: the pixels each blit wrote, in drawing order.
#[derive(Debug)]
pub(crate) struct Stamp {
    dabs: Vec<Dab>,
    /// The paint's color when it is opaque: tiny-skia then interpolates
    /// toward it by coverage (kept as the dab's alpha) instead of blending
    /// source-over.
    opaque: Option<[u8; 4]>,
}

impl Stamp {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Stamp>() + self.dabs.len() * std::mem::size_of::<Dab>()
    }
}

thread_local! {
    /// This thread's bound on one render's stamps: `render.stamp_cache_bytes`
    /// on render threads (set by the pool), `CACHE_BYTES` elsewhere.
    static BOUND: std::cell::Cell<usize> = const { std::cell::Cell::new(CACHE_BYTES) };
}

/// Bounds the stamps of each render on the calling thread to `bytes`.
pub(crate) fn set_cache_bytes(bytes: usize) {
    BOUND.with(|b| b.set(bytes));
}

/// The stamps of one render, bounded by the thread's bound (`BOUND`).
pub(crate) struct Stamps {
    map: HashMap<Key, Stamp, ahash::RandomState>,
    bytes: usize,
    bound: usize,
    /// Markers drawn from a stamp made earlier (for the tests).
    reused: usize,
    /// Set once a stamp did not fit: no more are made this render.
    full: bool,
}

impl Default for Stamps {
    fn default() -> Self {
        Stamps {
            map: HashMap::default(),
            bytes: 0,
            bound: BOUND.with(std::cell::Cell::get),
            reused: 0,
            full: false,
        }
    }
}

impl Stamps {
    /// The stamp for `key`, made with `make` the first time it is asked
    /// for; `None` when the cache is full or `make` gives none.
    pub(crate) fn get(&mut self, key: Key, make: impl FnOnce() -> Option<Stamp>) -> Option<&Stamp> {
        if !self.map.contains_key(&key) {
            if self.full {
                return None;
            }
            let stamp = make()?;
            let bytes = stamp.bytes() + std::mem::size_of::<Key>();
            if self.bytes + bytes > self.bound {
                self.full = true;
                return None;
            }
            self.bytes += bytes;
            self.map.insert(key, stamp);
        } else {
            self.reused += 1;
        }
        self.map.get(&key)
    }

    #[cfg(test)]
    pub(crate) fn reused(&self) -> usize {
        self.reused
    }

    #[cfg(test)]
    pub(crate) fn bytes(&self) -> (usize, bool) {
        (self.bytes, self.full)
    }
}

/// What a circle marker's paint covers, around its anchor pixel, in pixels
/// and on tiny-skia's rasterization grid (see the module doc).
pub(crate) enum Geometry {
    /// A path filled with the nonzero rule: a disc, or a thick stroke's
    /// outline.
    Fill(Path),
    /// A polyline stroked as a hairline of this width.
    Hairline(Vec<Point>, f32),
}

/// A circle of `radius` px centered `phase` px right of and below its anchor
/// pixel's corner: filled, or stroked `stroke` px wide as tiny-skia strokes
/// (a hairline up to one pixel, an outline filled past that).
pub(crate) fn circle(phase: (f32, f32), radius: f32, stroke: Option<f32>) -> Option<Geometry> {
    let disc = PathBuilder::from_circle(phase.0, phase.1, radius)?;
    match stroke {
        None => snapped(&disc, 256.0).map(Geometry::Fill),
        Some(w) if w > 1.0 => {
            let outline = disc.stroke(&stroke_of(w), 1.0)?;
            snapped(&outline, 256.0).map(Geometry::Fill)
        }
        Some(w) => {
            let mut pts: Vec<Point> = Vec::new();
            for p in flatten(&disc) {
                let p = snap(p, 64.0);
                if pts.last() != Some(&p) {
                    pts.push(p);
                }
            }
            (pts.len() >= 2).then_some(Geometry::Hairline(pts, w))
        }
    }
}

impl Geometry {
    /// How far past the anchor pixel this draws, in whole pixels.
    pub(crate) fn reach(radius: f32, stroke: Option<f32>) -> i32 {
        // A hairline's antialiasing reaches a pixel past it; two more for the
        // phase and for rounding.
        let half = stroke.map_or(0.0, |w| (w / 2.0).max(1.0));
        // Capped so that no radius overflows the box arithmetic; anything
        // near the cap is far past `MAX_SIDE` anyway.
        (radius + half + 2.0).ceil().min(65_536.0) as i32 + 1
    }

    /// Draws onto `pixmap` with the anchor pixel at (`x`, `y`).
    pub(crate) fn draw(&self, pixmap: &mut Pixmap, paint: &Paint, x: i32, y: i32) {
        let at = Transform::from_translate(x as f32, y as f32);
        match self {
            Geometry::Fill(path) => {
                if let Some(path) = path.clone().transform(at) {
                    pixmap.fill_path(&path, paint, FillRule::Winding, Transform::identity(), None);
                }
            }
            Geometry::Hairline(pts, w) => {
                let mut pb = PathBuilder::new();
                pb.move_to(pts[0].x + x as f32, pts[0].y + y as f32);
                for p in &pts[1..] {
                    pb.line_to(p.x + x as f32, p.y + y as f32);
                }
                if let Some(path) = pb.finish() {
                    pixmap.stroke_path(&path, paint, &stroke_of(*w), Transform::identity(), None);
                }
            }
        }
    }

    /// Rasterizes this geometry into a stamp whose box reaches `reach`
    /// pixels around the anchor.
    pub(crate) fn stamp(&self, paint: &Paint, rgba: [u8; 4], reach: i32) -> Option<Stamp> {
        let side = u32::try_from(2 * reach + 1).ok()?;
        let mut scratch = Pixmap::new(side, side)?;
        let mut dabs = Vec::new();
        match self {
            Geometry::Fill(_) => {
                self.draw(&mut scratch, paint, reach, reach);
                harvest(&mut scratch, reach, &mut dabs);
            }
            // One segment at a time, each harvested before the next is
            // drawn: where two meet, the canvas pixel is blended twice.
            Geometry::Hairline(pts, w) => {
                for pair in pts.windows(2) {
                    Geometry::Hairline(pair.to_vec(), *w).draw(&mut scratch, paint, reach, reach);
                    harvest(&mut scratch, reach, &mut dabs);
                }
            }
        }
        let opaque = self.is_opaque(rgba[3]).then_some(rgba);
        Some(Stamp { dabs, opaque })
    }

    /// Whether tiny-skia draws this with opaque paint: a hairline thinner
    /// than a pixel has its paint's alpha scaled by its width.
    fn is_opaque(&self, alpha: u8) -> bool {
        alpha == 255
            && match self {
                Geometry::Fill(_) => true,
                Geometry::Hairline(_, w) => *w == 1.0 || *w == 0.0,
            }
    }
}

/// Moves every painted pixel of `scratch` into `dabs` (relative to the
/// anchor at (`reach`, `reach`)) and clears it.
fn harvest(scratch: &mut Pixmap, reach: i32, dabs: &mut Vec<Dab>) {
    let side = scratch.width() as usize;
    for (i, px) in scratch.data_mut().chunks_exact_mut(4).enumerate() {
        if px[3] > 0 {
            let (x, y) = ((i % side) as i32, (i / side) as i32);
            dabs.push(Dab {
                dx: (x - reach) as i16,
                dy: (y - reach) as i16,
                rgba: [px[0], px[1], px[2], px[3]],
            });
            px.fill(0);
        }
    }
}

/// Writes `stamp` onto `pixmap` with the marker's anchor pixel at (`x`, `y`),
/// as tiny-skia would have drawn it there; pixels off the canvas are skipped.
pub(crate) fn composite(pixmap: &mut Pixmap, stamp: &Stamp, x: i32, y: i32) {
    let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
    let data = pixmap.data_mut();
    for dab in &stamp.dabs {
        let (px, py) = (x + i32::from(dab.dx), y + i32::from(dab.dy));
        if px < 0 || py < 0 || px >= w || py >= h {
            continue;
        }
        let i = (py * w + px) as usize * 4;
        let dst = &mut data[i..i + 4];
        let s = dab.rgba;
        match stamp.opaque {
            Some(color) => lerp(dst, color, s[3]),
            // Source-over of the premultiplied, coverage-scaled paint.
            None => over(dst, s),
        }
    }
}

/// Blends `color` (premultiplied, as at full coverage) onto `dst` at
/// coverage `c`, as tiny-skia's pipeline does: a lerp toward an opaque
/// color, else source-over of the color scaled by the coverage.
#[inline]
pub(crate) fn cover(dst: &mut [u8], color: [u8; 4], c: u8) {
    if color[3] == 255 {
        lerp(dst, color, c);
    } else {
        over(
            dst,
            color.map(|k| div255(u32::from(k) * u32::from(c)) as u8),
        );
    }
}

/// `dst` moved toward the opaque `color` by coverage `c` (tiny-skia's
/// `lerp_1_float` and `lerp_u8`; full coverage is a plain store).
fn lerp(dst: &mut [u8], color: [u8; 4], c: u8) {
    let c = u32::from(c);
    for (d, k) in dst.iter_mut().zip(color) {
        *d = div255(u32::from(*d) * (255 - c) + u32::from(k) * c) as u8;
    }
}

/// Source-over of premultiplied `s` onto the premultiplied pixel `dst`, with
/// tiny-skia's 8-bit arithmetic.
pub(crate) fn over(dst: &mut [u8], s: [u8; 4]) {
    let inv = 255 - u32::from(s[3]);
    for (d, k) in dst.iter_mut().zip(s) {
        *d = (u32::from(k) + div255(u32::from(*d) * inv)).min(255) as u8;
    }
}

/// tiny-skia's 8-bit `div255`: not rounded, but what its pipeline computes.
fn div255(v: u32) -> u32 {
    (v + 255) >> 8
}

/// A canvas stroke `width` device pixels wide: butt caps, miter joins (the
/// canvas defaults Chart.js draws with).
pub(crate) fn stroke_of(width: f32) -> Stroke {
    Stroke {
        width,
        miter_limit: 4.0,
        line_cap: LineCap::Butt,
        line_join: LineJoin::Miter,
        dash: None,
    }
}

/// `p` on a 1/`grid` px grid, rounded down as tiny-skia's fixed-point
/// conversion rounds canvas coordinates (toward zero, and they are positive).
fn snap(p: Point, grid: f32) -> Point {
    Point::from_xy((p.x * grid).floor() / grid, (p.y * grid).floor() / grid)
}

/// `path` with every point rounded to 1/`grid` px, and every quad
/// monotonic in y. tiny-skia chops a quad at its y extremum before
/// rasterizing it, in f32 at the quad's coordinates, which would round
/// differently at each position; so quads are chopped here, around the
/// anchor, and each piece's control point is kept between its ends.
fn snapped(path: &Path, grid: f32) -> Option<Path> {
    let s = |p: Point| snap(p, grid);
    let mut pb = PathBuilder::new();
    // The last point as given, and as written.
    let (mut last, mut written) = (Point::zero(), Point::zero());
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) => {
                (last, written) = (p, s(p));
                pb.move_to(written.x, written.y);
            }
            PathSegment::LineTo(p) => {
                (last, written) = (p, s(p));
                pb.line_to(written.x, written.y);
            }
            PathSegment::QuadTo(p1, p2) => {
                for (c, end) in y_monotonic(last, p1, p2) {
                    let (c, end) = (s(c), s(end));
                    let cy = c.y.clamp(written.y.min(end.y), written.y.max(end.y));
                    pb.quad_to(c.x, cy, end.x, end.y);
                    written = end;
                }
                last = p2;
            }
            PathSegment::CubicTo(p1, p2, p) => {
                // Not made by circles or their strokes.
                (last, written) = (p, s(p));
                pb.cubic_to(s(p1).x, s(p1).y, s(p2).x, s(p2).y, written.x, written.y);
            }
            PathSegment::Close => pb.close(),
        }
    }
    pb.finish()
}

/// The quad p0-p1-p2 as one or two quads (control, end) monotonic in y.
fn y_monotonic(p0: Point, p1: Point, p2: Point) -> Vec<(Point, Point)> {
    let denom = p0.y - 2.0 * p1.y + p2.y;
    let t = if denom != 0.0 {
        (p0.y - p1.y) / denom
    } else {
        0.0
    };
    if t > 0.0 && t < 1.0 {
        let lerp =
            |a: Point, b: Point| Point::from_xy(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
        let (p01, p12) = (lerp(p0, p1), lerp(p1, p2));
        vec![(p01, lerp(p01, p12)), (p12, p2)]
    } else {
        vec![(p1, p2)]
    }
}

/// The polyline tiny-skia's hairline stroker draws for `path` (lines and
/// quads only, which is what a circle is): each quad cut into 2^level lines
/// by its own rule (`hair_quad2`), so a hairline drawn from these points
/// looks as tiny-skia draws the curve.
fn flatten(path: &Path) -> Vec<Point> {
    let mut out = Vec::new();
    let mut last = Point::zero();
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) | PathSegment::LineTo(p) => {
                out.push(p);
                last = p;
            }
            PathSegment::QuadTo(p1, p2) => {
                let pts = [last, p1, p2];
                let lines = 1u32 << quad_level(&pts);
                // (a t + b) t + c, with a, b, c as tiny-skia's QuadCoeff.
                let c = last;
                let b = Point::from_xy((p1.x - c.x) * 2.0, (p1.y - c.y) * 2.0);
                let a = Point::from_xy(p2.x - p1.x * 2.0 + c.x, p2.y - p1.y * 2.0 + c.y);
                let dt = 1.0 / lines as f32;
                let mut t = 0.0f32;
                for _ in 1..lines {
                    t += dt;
                    out.push(Point::from_xy(
                        (a.x * t + b.x) * t + c.x,
                        (a.y * t + b.y) * t + c.y,
                    ));
                }
                out.push(p2);
                last = p2;
            }
            PathSegment::CubicTo(_, _, p) => {
                // Not made by circles; drawn as its chord.
                out.push(p);
                last = p;
            }
            PathSegment::Close => {
                if let Some(&first) = out.first() {
                    out.push(first);
                }
            }
        }
    }
    out
}

/// tiny-skia's `compute_quad_level`: lines enough that each is within about
/// a pixel of the curve.
fn quad_level(pts: &[Point; 3]) -> u32 {
    let dx = ((pts[0].x + pts[2].x) * 0.5 - pts[1].x).abs();
    let dy = ((pts[0].y + pts[2].y) * 0.5 - pts[1].y).abs();
    let (idx, idy) = (dx.ceil() as u32, dy.ceil() as u32);
    let d = if idx > idy {
        idx + (idy >> 1)
    } else {
        idy + (idx >> 1)
    };
    ((33 - d.leading_zeros()) >> 1).min(MAX_QUAD_SUBDIVIDE_LEVEL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::params;
    use crate::config::Limits;
    use crate::render::compose;
    use crate::render::painter::{Painter, SUBPIXELS};
    use crate::render::skia::SkiaBackend;
    use plotters_backend::{BackendColor, BackendStyle, DrawingBackend};
    use std::time::{Duration, Instant};

    // Stamped markers are compared with directly drawn ones for exact
    // equality, not within a tolerance: tiny-skia's arithmetic is reproduced
    // exactly (see the module doc), so any difference is a bug.

    struct Style(BackendColor, u32);

    impl BackendStyle for Style {
        fn color(&self) -> BackendColor {
            self.0
        }

        fn stroke_width(&self) -> u32 {
            self.1
        }
    }

    /// A deterministic generator, so failures reproduce.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u32 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) as u32
        }

        fn below(&mut self, n: i32) -> i32 {
            (self.next() % n as u32) as i32
        }
    }

    /// A canvas of random premultiplied pixels of every opacity, so blending
    /// over it exercises every rounding path.
    fn busy(w: u32, h: u32, rng: &mut Lcg) -> Pixmap {
        let mut p = Pixmap::new(w, h).unwrap();
        for px in p.data_mut().chunks_exact_mut(4) {
            let a = rng.next() % 256;
            let mut c = || (rng.next() % (a + 1)) as u8;
            px.copy_from_slice(&[c(), c(), c(), a as u8]);
        }
        p
    }

    fn color(r: u8, g: u8, b: u8, a: u8) -> BackendColor {
        BackendColor {
            alpha: f64::from(a) / 255.0,
            rgb: (r, g, b),
        }
    }

    /// Where two pixmaps differ, as (x, y, stamped, direct), for a message.
    fn first_difference(a: &Pixmap, b: &Pixmap) -> Option<(usize, usize, [u8; 4], [u8; 4])> {
        let w = a.width() as usize;
        let (a, b) = (a.data().chunks_exact(4), b.data().chunks_exact(4));
        a.zip(b)
            .enumerate()
            .find(|(_, (p, q))| p != q)
            .map(|(i, (p, q))| (i % w, i / w, p.try_into().unwrap(), q.try_into().unwrap()))
    }

    /// Draws the same circles with and without stamps over the same busy
    /// background and returns both canvases and the number of stamp reuses.
    fn both(w: u32, h: u32, draw: impl Fn(&mut SkiaBackend)) -> (Pixmap, Pixmap, usize) {
        let background = busy(w, h, &mut Lcg(7));
        let mut stamped = SkiaBackend::new(w, h, SUBPIXELS).unwrap();
        let mut direct = SkiaBackend::new(w, h, SUBPIXELS).unwrap().without_stamps();
        for be in [&mut stamped, &mut direct] {
            be.pixmap_mut()
                .data_mut()
                .copy_from_slice(background.data());
            draw(be);
        }
        let reused = stamped.stamps_reused();
        (stamped.into_pixmap(), direct.into_pixmap(), reused)
    }

    #[test]
    fn stamped_markers_are_pixel_identical_to_direct_ones() {
        // Radii and widths in 1/16 px: fills, hairlines of 1/2 and 1 px
        // (drawn segment by segment), thick strokes; opaque and translucent
        // paint; every phase, at small and large coordinates, overlapping
        // each other and reaching past the canvas edges.
        let radii = [16u32, 40, 48, 57, 96, 136];
        let strokes = [
            None,
            Some(8u32),
            Some(12),
            Some(16),
            Some(20),
            Some(32),
            Some(40),
            Some(64),
        ];
        let colors = [
            color(200, 30, 90, 255),
            color(54, 162, 235, 128),
            color(255, 99, 132, 51),
            color(10, 200, 10, 3),
        ];
        let (w, h) = (3000u32, 48u32);
        for radius in radii {
            for stroke in strokes {
                for c in colors {
                    let style = Style(c, stroke.unwrap_or(0));
                    let mut rng = Lcg(u64::from(radius) * 31 + u64::from(stroke.unwrap_or(0)));
                    let centers: Vec<(i32, i32)> = (0..700)
                        .map(|_| {
                            let x = rng.below((w as i32 + 40) * 16) - 20 * 16;
                            let y = rng.below((h as i32 + 40) * 16) - 20 * 16;
                            (x, y)
                        })
                        .collect();
                    let (stamped, direct, reused) = both(w, h, |be| {
                        for &c in &centers {
                            be.draw_circle(c, radius, &style, stroke.is_none()).unwrap();
                        }
                    });
                    assert!(
                        reused > 0,
                        "no stamp was reused: r {radius} stroke {stroke:?}"
                    );
                    if let Some(d) = first_difference(&stamped, &direct) {
                        panic!(
                            "r {radius} stroke {stroke:?} {:?}: (x, y, stamped, direct) {d:?}",
                            (c.rgb, c.alpha)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_stamp_cache_stays_within_its_bound_and_markers_past_it_still_draw() {
        // Every marker a different color: stamps are made until the cache
        // is full, the rest drawn directly, all identical to direct drawing.
        let style = |i: u32| Style(color((i % 256) as u8, (i / 256) as u8, 77, 200), 32);
        let (w, h) = (400u32, 300u32);
        let draw = |be: &mut SkiaBackend| {
            for i in 0..6000u32 {
                let (x, y) = (
                    (i * 37 % 360 + 20) as i32 * 16,
                    (i * 91 % 260 + 20) as i32 * 16,
                );
                be.draw_circle((x + (i % 16) as i32, y), 96, &style(i), false)
                    .unwrap();
            }
        };
        let mut be = SkiaBackend::new(w, h, SUBPIXELS).unwrap();
        draw(&mut be);
        let (bytes, full) = be.stamp_bytes();
        assert!(full, "6000 distinct markers should fill the cache");
        assert!(bytes <= CACHE_BYTES && bytes > CACHE_BYTES / 2, "{bytes}");
        let (stamped, direct, _) = both(w, h, draw);
        assert_eq!(first_difference(&stamped, &direct), None);
    }

    /// Renders a QuickChart POST body to a pixmap, with or without stamps.
    fn chart(body: &str, stamps: bool) -> Pixmap {
        let req = params::from_post(body.as_bytes(), &Limits::default()).unwrap();
        let (w, h) = req.output.pixel_size();
        let mut be = SkiaBackend::new(w, h, SUBPIXELS).unwrap();
        if !stamps {
            be = be.without_stamps();
        }
        let deadline = Instant::now() + Duration::from_secs(600);
        let mut p = Painter::new(&mut be, req.output.device_pixel_ratio, deadline);
        compose::draw(&mut p, &req.chart, &req.output).unwrap();
        be.into_pixmap()
    }

    #[test]
    fn charts_with_many_markers_are_pixel_identical_with_stamps() {
        let data: Vec<String> = (0..3000).map(|i| ((i * 7919) % 1000).to_string()).collect();
        let labels: Vec<String> = (0..3000).map(|i| i.to_string()).collect();
        let (data, labels) = (data.join(","), labels.join(","));
        let line = |dpr: &str, extra: &str| {
            format!(
                r#"{{"width": 800, "height": 400, "devicePixelRatio": {dpr}, "backgroundColor": "white",
                  "chart": {{"type": "line", "data": {{"labels": [{labels}], "datasets": [
                  {{"label": "a", "data": [{data}]{extra}}}]}}}}}}"#
            )
        };
        let scatter = r#"{"width": 500, "height": 300, "chart": {"type": "scatter", "data": {"datasets": [
            {"label": "s", "pointRadius": 4, "borderWidth": 1.5,
             "backgroundColor": ["rgba(255,0,0,0.4)", "rgba(0,0,255,0.7)", "green"],
             "data": [{"x": 1, "y": 2}, {"x": 1.01, "y": 2.02}, {"x": 3, "y": 1}, {"x": 2, "y": 2.5},
                      {"x": 2.003, "y": 2.5}, {"x": 0.5, "y": 0.4}]}]}}}"#;
        let radar = format!(
            r#"{{"width": 500, "height": 300, "chart": {{"type": "radar", "data": {{"labels": [{labels}],
              "datasets": [{{"label": "r", "data": [{data}], "backgroundColor": "rgba(54,162,235,0.2)"}}]}}}}}}"#
        );
        let bodies = [
            line("1", ""),
            line("2", ""),
            line(
                "1.5",
                r#", "pointBackgroundColor": "rgba(255,99,132,0.5)", "pointRadius": 5"#,
            ),
            scatter.to_string(),
            radar,
        ];
        for body in bodies {
            let (stamped, direct) = (chart(&body, true), chart(&body, false));
            assert!(direct.pixels().iter().any(|p| p.alpha() > 0));
            if let Some(d) = first_difference(&stamped, &direct) {
                panic!(
                    "{}: (x, y, stamped, direct) {d:?}",
                    &body[..120.min(body.len())]
                );
            }
        }
    }

    #[test]
    fn hairline_markers_look_as_tiny_skia_draws_the_curve() {
        // `flatten` follows tiny-skia's own hairline rule, so a hairline
        // marker matches tiny-skia's stroke of the circle itself (here,
        // exactly: these coordinates are small enough that its f32 rounding
        // stays off the 1/64 px grid). A cruder flattening would show.
        let mut paint = Paint::default();
        paint.set_color_rgba8(30, 60, 90, 200);
        paint.anti_alias = true;
        for radius in [1.0f32, 2.5, 3.5625, 6.0, 8.5] {
            for width in [0.5f32, 1.0] {
                for k in 0..16 {
                    let phase = (k as f32 / 16.0, (k * 7 % 16) as f32 / 16.0);
                    let mut ours = Pixmap::new(40, 40).unwrap();
                    let mut theirs = Pixmap::new(40, 40).unwrap();
                    circle(phase, radius, Some(width))
                        .unwrap()
                        .draw(&mut ours, &paint, 20, 20);
                    let disc =
                        PathBuilder::from_circle(20.0 + phase.0, 20.0 + phase.1, radius).unwrap();
                    let stroke = stroke_of(width);
                    theirs.stroke_path(&disc, &paint, &stroke, Transform::identity(), None);
                    assert!(theirs.pixels().iter().any(|p| p.alpha() > 0));
                    assert_eq!(
                        first_difference(&ours, &theirs),
                        None,
                        "r {radius} w {width} {phase:?}"
                    );
                }
            }
        }
    }
}
