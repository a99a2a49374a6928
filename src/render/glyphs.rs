//! Glyph coverage masks, rasterized with ab_glyph once per thread and reused.
//!
//! Charts repeat a few glyphs (digits, axis titles) at one or two sizes, so
//! after the first render on a thread text costs little more than blending.
//! Masks are keyed by font, glyph, size and a quarter-pixel horizontal
//! offset, and a cached mask is exactly what rasterizing again would give:
//! the cache changes how long a render takes, never its bytes.
//!
//! The cache is bounded in bytes (`render.glyph_cache_bytes`, set per render
//! thread by the pool): counting entries let charts with large, varied font
//! sizes hold 4,096 masks of up to 4 MB each on every thread, and RSS went
//! from 80 MB to 1.7 GB in 25 requests.

use super::fonts::{self, Face, FontId};
use ab_glyph::{point, Font as _, GlyphId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use tiny_skia::{FillRule, Transform};

/// Horizontal positions per pixel a glyph is rasterized at.
const SUBPIXELS: f32 = 4.0;
/// Bound on the bytes of cached masks of a thread that was not given one
/// (tests, benches); render threads get `render.glyph_cache_bytes`.
pub(crate) const DEFAULT_CACHE_BYTES: usize = 4 << 20;
/// What an entry costs beyond its coverage bytes: the mask header, its key,
/// the `Rc` counts and the hash table's slot.
const ENTRY_OVERHEAD: usize = std::mem::size_of::<Mask>() + 2 * std::mem::size_of::<Key>() + 32;
/// Text larger than this (device pixels per em) is not drawn: its masks
/// would cost memory quadratic in the size, for text larger than any canvas.
const MAX_EM: f32 = 2048.0;

/// A glyph's coverage (0-255) relative to its pen position on the baseline.
#[derive(Debug)]
pub(crate) struct Mask {
    pub(crate) left: i32,
    pub(crate) top: i32,
    pub(crate) width: usize,
    pub(crate) coverage: Box<[u8]>,
    /// A color glyph's own pixels (premultiplied RGBA, row by row as
    /// `coverage`, which holds their alpha): drawn as they are, not in the
    /// text's color.
    pub(crate) color: Option<Box<[u8]>>,
}

impl Mask {
    /// A glyph with no ink (a space, or an outline that cannot be placed).
    fn empty() -> Mask {
        Mask {
            left: 0,
            top: 0,
            width: 0,
            coverage: Box::new([]),
            color: None,
        }
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = &[u8]> {
        self.coverage.chunks_exact(self.width.max(1))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    font: FontId,
    glyph: u16,
    em_64th: u32,
    sub: u8,
    /// Turned text: the angle's bits and the vertical quarter-pixel offset
    /// (a turned glyph's pen rarely sits on a whole pixel row).
    turn: Option<(u32, u8)>,
    /// Slanted, as an italic style draws an upright face (`fonts::oblique`).
    oblique: bool,
}

/// Cached masks and what they weigh.
#[derive(Default)]
struct Cache {
    masks: HashMap<Key, Rc<Mask>>,
    bytes: usize,
    bound: Option<usize>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// Bounds this thread's mask cache to `bytes` (0: no caching).
pub(crate) fn set_cache_bytes(bytes: usize) {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        c.bound = Some(bytes);
        if c.bytes > bytes {
            *c = Cache {
                bound: Some(bytes),
                ..Cache::default()
            };
        }
    });
}

/// Bytes this thread's mask cache holds now.
#[cfg(test)]
pub(crate) fn cached_bytes() -> usize {
    CACHE.with(|c| c.borrow().bytes)
}

/// Calls `f(mask, pen_x, dy)` for each glyph of `text` laid out from
/// `origin_x` (device pixels): the mask's pixels start at `pen_x + mask.left`
/// and `baseline + dy + mask.top` (`dy` is a shaped mark's offset).
pub(crate) fn run(
    face: Face,
    em: f32,
    text: &str,
    origin_x: f32,
    mut f: impl FnMut(&Mask, i32, i32),
) {
    let Some((em_64th, em)) = em_steps(em) else {
        return;
    };
    fonts::layout(face, em, text, |g| {
        let (pen_x, sub) = quarter(origin_x + g.x);
        let key = Key {
            font: g.font,
            glyph: g.id.0,
            em_64th,
            sub,
            turn: None,
            oblique: fonts::oblique(face, g.font).is_some(),
        };
        fonts::note_drawn(text, &g);
        f(&mask(key), pen_x as i32, g.y.round() as i32);
    });
}

/// Calls `f(mask, x, y)` for each glyph of `text` turned `angle` radians
/// clockwise about `origin` (device pixels), the line's pen starting
/// `shift` (device pixels, along and across the line) from it: the mask's
/// pixels start at `x + mask.left` and `y + mask.top`.
///
/// Why masks and not one filled path: the reference chart's forty turned
/// x labels cost a fifth of its render as a path across the whole axis;
/// as cached masks they cost a blend each. Pens are placed to a quarter
/// pixel both ways, as upright text is along its line.
pub(crate) fn run_turned(
    face: Face,
    em: f32,
    angle: f32,
    text: &str,
    origin: (f32, f32),
    shift: (f32, f32),
    mut f: impl FnMut(&Mask, i32, i32),
) {
    let Some((em_64th, em)) = em_steps(em).filter(|_| angle.is_finite()) else {
        return;
    };
    let (sin, cos) = angle.sin_cos();
    fonts::layout(face, em, text, |g| {
        let (u, v) = (shift.0 + g.x, shift.1 + g.y);
        let (x, sub) = quarter(origin.0 + u * cos - v * sin);
        let (y, sub_y) = quarter(origin.1 + u * sin + v * cos);
        let key = Key {
            font: g.font,
            glyph: g.id.0,
            em_64th,
            sub,
            turn: Some((angle.to_bits(), sub_y)),
            oblique: fonts::oblique(face, g.font).is_some(),
        };
        fonts::note_drawn(text, &g);
        f(&mask(key), x as i32, y as i32);
    });
}

/// The em size as masks are keyed (64ths of a pixel) and drawn; `None`
/// for sizes not drawn at all.
fn em_steps(em: f32) -> Option<(u32, f32)> {
    if !(em > 0.0 && em <= MAX_EM) {
        return None;
    }
    let em_64th = (em * 64.0).round().clamp(1.0, 1e6) as u32;
    Some((em_64th, em_64th as f32 / 64.0))
}

/// `v` (device pixels) as a whole pixel and the quarter-pixel phase past it.
fn quarter(v: f32) -> (f32, u8) {
    let steps = (v * SUBPIXELS).round();
    let whole = (steps / SUBPIXELS).floor();
    (whole, (steps - whole * SUBPIXELS) as u8)
}

fn mask(key: Key) -> Rc<Mask> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(m) = cache.masks.get(&key) {
            return Rc::clone(m);
        }
        let m = Rc::new(rasterize(key));
        let weight = m.coverage.len() * if m.color.is_some() { 5 } else { 1 } + ENTRY_OVERHEAD;
        let bound = cache.bound.unwrap_or(DEFAULT_CACHE_BYTES);
        if weight > bound {
            return m;
        }
        if cache.bytes + weight > bound {
            // Start over, releasing the table's capacity too: glyph sets
            // change with the charts, and an idle thread keeps nothing big.
            *cache = Cache {
                bound: cache.bound,
                ..Cache::default()
            };
        }
        cache.bytes += weight;
        cache.masks.insert(key, Rc::clone(&m));
        m
    })
}

fn rasterize(key: Key) -> Mask {
    if let Some(bitmap) = fonts::color_bitmap(key.font, key.glyph) {
        return rasterize_color(key, &bitmap);
    }
    if key.turn.is_some() || key.oblique {
        return rasterize_path(key);
    }
    let scale = fonts::px_scale(key.font, em(key));
    let at = point(f32::from(key.sub) / SUBPIXELS, 0.0);
    let glyph = GlyphId(key.glyph).with_scale_and_position(scale, at);
    let Some(outline) = fonts::font(key.font).outline_glyph(glyph) else {
        return Mask::empty();
    };
    let b = outline.px_bounds();
    let width = (b.max.x - b.min.x).max(0.0) as usize;
    let height = (b.max.y - b.min.y).max(0.0) as usize;
    let mut coverage = vec![0u8; width * height].into_boxed_slice();
    outline.draw(|x, y, c| {
        if let Some(px) = coverage.get_mut(y as usize * width + x as usize) {
            *px = (c.clamp(0.0, 1.0) * 255.0).round() as u8;
        }
    });
    Mask {
        left: b.min.x as i32,
        top: b.min.y as i32,
        width,
        coverage,
        color: None,
    }
}

/// Where the glyph of `key` is drawn from its pen (device pixels, y down):
/// its quarter-pixel offsets, turn and slant, before the glyph's own scale.
fn pen_transform(key: Key) -> Transform {
    let (angle, sub_y) = key.turn.map_or((0.0, 0), |(a, y)| (f32::from_bits(a), y));
    let slant = if key.oblique {
        fonts::SLANT
    } else {
        Transform::identity()
    };
    Transform::from_translate(f32::from(key.sub) / SUBPIXELS, f32::from(sub_y) / SUBPIXELS)
        .pre_rotate(angle.to_degrees())
        .pre_concat(slant)
}

fn em(key: Key) -> f32 {
    key.em_64th as f32 / 64.0
}

/// A color glyph's bitmap placed as `pen_transform` says: its pixels, and
/// their alpha as the coverage.
fn rasterize_color(key: Key, bitmap: &fonts::Bitmap) -> Mask {
    let place = pen_transform(key).pre_scale(em(key), em(key));
    let Some(b) = bitmap.bounds(place) else {
        return Mask::empty();
    };
    let (left, top) = (b.left().floor(), b.top().floor());
    let width = (b.right().ceil() - left).max(1.0) as u32;
    let height = (b.bottom().ceil() - top).max(1.0) as u32;
    let Some(mut pixmap) = tiny_skia::Pixmap::new(width, height) else {
        return Mask::empty();
    };
    let to_pixmap = place.post_translate(-left, -top);
    bitmap.draw(to_pixmap, &mut pixmap.as_mut(), 1.0, None);
    let rgba = pixmap.take();
    Mask {
        left: left as i32,
        top: top as i32,
        width: width as usize,
        coverage: rgba.chunks_exact(4).map(|p| p[3]).collect(),
        color: Some(rgba.into()),
    }
}

/// A glyph's outline turned about its pen, or slanted, filled by tiny-skia
/// (ab_glyph rasterizes upright outlines only).
fn rasterize_path(key: Key) -> Mask {
    let Some(path) = fonts::glyph_path(key.font, key.glyph) else {
        return Mask::empty();
    };
    // Outlines are in font units, y up.
    let k = fonts::unit_scale(key.font, em(key));
    let place = pen_transform(key).pre_scale(k, -k);
    let Some(placed) = path.transform(place) else {
        return Mask::empty();
    };
    let b = placed.bounds();
    let (left, top) = (b.left().floor(), b.top().floor());
    let width = (b.right().ceil() - left).max(1.0) as u32;
    let height = (b.bottom().ceil() - top).max(1.0) as u32;
    let Some(mut mask) = tiny_skia::Mask::new(width, height) else {
        return Mask::empty();
    };
    let to_mask = Transform::from_translate(-left, -top);
    mask.fill_path(&placed, FillRule::Winding, true, to_mask);
    Mask {
        left: left as i32,
        top: top as i32,
        width: width as usize,
        coverage: mask.data().into(),
        color: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_have_ink_and_spaces_do_not() {
        let mut inked = Vec::new();
        run(Face::REGULAR, 12.0, "A B", 0.0, |m, _, _| {
            inked.push(m.coverage.iter().any(|&c| c > 0));
        });
        assert_eq!(inked, [true, false, true]);
    }

    #[test]
    fn absurd_sizes_draw_nothing() {
        let mut glyphs = 0;
        run(Face::REGULAR, 1e7, "A", 0.0, |_, _, _| glyphs += 1);
        run(Face::REGULAR, f32::NAN, "A", 0.0, |_, _, _| glyphs += 1);
        assert_eq!(glyphs, 0);
    }

    #[test]
    fn cached_masks_match_fresh_ones() {
        let key = Key {
            font: Face::BOLD.into(),
            glyph: fonts::font(Face::BOLD).glyph_id('g').0,
            em_64th: 12 * 64,
            sub: 2,
            turn: None,
            oblique: false,
        };
        let cached = mask(key);
        assert_eq!(cached.coverage, rasterize(key).coverage);
        assert!(cached.top < 0 && cached.top + (cached.coverage.len() / cached.width) as i32 > 0);
    }

    #[test]
    fn turned_masks_keep_the_ink_and_follow_the_turn() {
        let ink = |m: &Mask| m.coverage.iter().map(|&c| u64::from(c)).sum::<u64>();
        let mut upright = 0;
        run(Face::REGULAR, 24.0, "208", 0.0, |m, _, _| upright += ink(m));
        for angle in [0.3f32, -0.87, -std::f32::consts::FRAC_PI_2] {
            let (mut turned, mut pens) = (0, Vec::new());
            run_turned(
                Face::REGULAR,
                24.0,
                angle,
                "208",
                (50.0, 50.0),
                (0.0, 0.0),
                |m, x, y| {
                    turned += ink(m);
                    pens.push((x, y));
                },
            );
            let ratio = turned as f64 / upright as f64;
            assert!((ratio - 1.0).abs() < 0.03, "{angle}: {ratio}");
            // Glyphs go along the turned line: up for a negative angle.
            let climbs = pens.windows(2).all(|w| (w[1].1 < w[0].1) == (angle < 0.0));
            assert!(climbs, "{angle}: {pens:?}");
        }
        let key = Key {
            font: Face::REGULAR.into(),
            glyph: fonts::font(Face::REGULAR).glyph_id('8').0,
            em_64th: 24 * 64,
            sub: 1,
            turn: Some(((-0.87f32).to_bits(), 3)),
            oblique: true,
        };
        assert_eq!(mask(key).coverage, rasterize(key).coverage);
    }

    /// How far right the ink of a mask's top half sits of its bottom
    /// half's, in pixels: a slanted glyph leans right.
    fn lean(m: &Mask) -> f64 {
        let rows: Vec<&[u8]> = m.rows().collect();
        let centroid = |rows: &[&[u8]]| {
            let (mut sum, mut ink) = (0.0, 0.0);
            for row in rows {
                for (x, &c) in row.iter().enumerate() {
                    sum += x as f64 * f64::from(c);
                    ink += f64::from(c);
                }
            }
            sum / ink
        };
        let half = rows.len() / 2;
        centroid(&rows[..half]) - centroid(&rows[half..])
    }

    #[test]
    fn italic_text_leans_in_an_italic_face_or_slanted() {
        // 'l' has DejaVu's oblique face; '中' only the upright CJK face,
        // which italic text slants as Chromium does.
        for text in ["l", "中"] {
            let mut leans = Vec::new();
            for face in [Face::REGULAR, Face::ITALIC] {
                run(face, 48.0, text, 0.0, |m, _, _| leans.push(lean(m)));
            }
            assert!(leans[0].abs() < 1.0, "{text}: upright leans {}", leans[0]);
            assert!(leans[1] > 2.0, "{text}: italic leans {}", leans[1]);
        }
        let mut heads = Vec::new();
        for face in [Face::REGULAR, Face::ITALIC] {
            fonts::layout(face, 12.0, "l中", |g| heads.push(g.font));
        }
        assert_ne!(heads[0], heads[2], "'l' in its oblique face");
        assert_eq!(heads[1], heads[3], "'中' in the one CJK face");
    }

    #[test]
    fn the_cache_stays_within_its_byte_bound() {
        let bound = 256 * 1024;
        set_cache_bytes(bound);
        for size in 10..200 {
            run(
                Face::REGULAR,
                size as f32 * 1.37,
                "Wg@%8",
                0.0,
                |_, _, _| {},
            );
            assert!(
                cached_bytes() <= bound,
                "{} bytes at {size}",
                cached_bytes()
            );
        }
        assert!(cached_bytes() > 0);
        // A mask bigger than the whole bound is drawn but never kept.
        set_cache_bytes(1024);
        let mut drawn = 0;
        run(Face::BOLD, 400.0, "W", 0.0, |m, _, _| {
            drawn += m.coverage.len()
        });
        assert!(drawn > 1024 && cached_bytes() <= 1024);
        set_cache_bytes(DEFAULT_CACHE_BYTES);
    }
}
