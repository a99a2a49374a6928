//! The embedded DejaVu Sans faces every chart is drawn and measured with.
//!
//! Fonts are compiled into the binary so a chart looks the same on every
//! replica: no system font lookup, no fontconfig, no "works on my machine".
//! Layout measures text with these metrics for both PNG and SVG, and the SVG
//! names the same family first so a viewer that has it draws it identically.

use ab_glyph::{Font as _, FontRef, GlyphId, PxScale};
use std::sync::OnceLock;

static REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
static BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// The `font-family` written into SVG text: our face first, then fonts with
/// close metrics, so layout measured with DejaVu still fits in a browser.
pub(crate) const SVG_FAMILY: &str = "DejaVu Sans, Verdana, Geneva, sans-serif";

/// Which embedded face to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Face {
    Regular = 0,
    Bold = 1,
}

impl Face {
    pub(crate) fn of(bold: bool) -> Face {
        if bold {
            Face::Bold
        } else {
            Face::Regular
        }
    }
}

/// The parsed face; parsing happens once per process.
pub(crate) fn font(face: Face) -> &'static FontRef<'static> {
    static FONTS: OnceLock<[FontRef<'static>; 2]> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| [parse(REGULAR), parse(BOLD)]);
    &fonts[face as usize]
}

/// The face's file, as compiled in.
pub(crate) fn bytes(face: Face) -> &'static [u8] {
    match face {
        Face::Regular => REGULAR,
        Face::Bold => BOLD,
    }
}

fn parse(bytes: &'static [u8]) -> FontRef<'static> {
    // The bytes are compiled in and covered by a unit test, so this cannot
    // fail at run time.
    FontRef::try_from_slice(bytes).expect("embedded DejaVu font parses")
}

/// ab_glyph scales so that ascent - descent spans the requested pixels, while
/// CSS font sizes are em sizes; this converts a CSS size to ab_glyph's scale.
pub(crate) fn px_scale(face: Face, em_px: f32) -> PxScale {
    let f = font(face);
    let upem = f.units_per_em().unwrap_or(2048.0);
    PxScale::from(em_px * f.height_unscaled() / upem)
}

/// Glyph ids, advances and kerning of ASCII, in font units, looked up once:
/// measuring thousands of tick labels is then table lookups, not cmap and
/// kern-table searches.
pub(crate) struct Ascii {
    pub(crate) ids: [GlyphId; 128],
    pub(crate) advance: [f32; 128],
    kern: Box<[f32]>,
}

impl Ascii {
    pub(crate) fn kern(&self, a: u8, b: u8) -> f32 {
        self.kern[usize::from(a) * 128 + usize::from(b)]
    }
}

/// The ASCII tables of `face`.
pub(crate) fn ascii(face: Face) -> &'static Ascii {
    static TABLES: [OnceLock<Ascii>; 2] = [OnceLock::new(), OnceLock::new()];
    TABLES[face as usize].get_or_init(|| {
        let f = font(face);
        let ids: [GlyphId; 128] = std::array::from_fn(|c| f.glyph_id(char::from(c as u8)));
        let advance = ids.map(|id| f.h_advance_unscaled(id));
        let mut kern = vec![0.0; 128 * 128].into_boxed_slice();
        // Control characters are never laid out; only printable pairs kern.
        for a in 32..128 {
            for b in 32..128 {
                kern[a * 128 + b] = f.kern_unscaled(ids[a], ids[b]);
            }
        }
        Ascii { ids, advance, kern }
    })
}

/// Pixels per font unit at `em_px`.
pub(crate) fn unit_scale(face: Face, em_px: f32) -> f32 {
    em_px / font(face).units_per_em().unwrap_or(2048.0)
}

/// One positioned glyph of a line: where its text starts and where it sits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Placed {
    pub(crate) byte: usize,
    pub(crate) id: GlyphId,
    pub(crate) x: f32,
}

/// Lays `text` out on one line at `em_px`: calls `f` per glyph and returns
/// the advance width. Control characters take no space. Positions add up
/// font units and scale once, so ASCII (from tables) and other text agree.
pub(crate) fn layout(face: Face, em_px: f32, text: &str, mut f: impl FnMut(Placed)) -> f32 {
    let font = font(face);
    let ascii = ascii(face);
    let k = unit_scale(face, em_px);
    let mut x = 0.0f32;
    let mut prev: Option<(GlyphId, Option<u8>)> = None;
    for (byte, c) in text.char_indices().filter(|(_, c)| !c.is_control()) {
        let a = u8::try_from(c).ok().filter(u8::is_ascii);
        let (id, advance) = match a {
            Some(a) => (ascii.ids[usize::from(a)], ascii.advance[usize::from(a)]),
            None => {
                let id = font.glyph_id(c);
                (id, font.h_advance_unscaled(id))
            }
        };
        x += match (prev, a) {
            (Some((_, Some(p))), Some(a)) => ascii.kern(p, a),
            (Some((p, _)), _) => font.kern_unscaled(p, id),
            (None, _) => 0.0,
        };
        f(Placed { byte, id, x: x * k });
        x += advance;
        prev = Some((id, a));
    }
    x * k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_parse_and_have_latin_glyphs() {
        for face in [Face::Regular, Face::Bold] {
            let f = font(face);
            assert_ne!(f.glyph_id('A').0, 0);
            assert_ne!(f.glyph_id('…').0, 0);
        }
    }

    #[test]
    fn scale_maps_em_size() {
        let s = px_scale(Face::Regular, 12.0);
        // DejaVu's ascent - descent is about 1.164 em.
        assert!((s.y - 13.97).abs() < 0.05, "{}", s.y);
    }
}
