//! The fonts every chart is drawn and measured with, in one fallback chain:
//! DejaVu Sans first (the face charts were always drawn in), then embedded
//! Noto faces for the scripts it lacks (Arabic, Hebrew, Devanagari, Thai, and
//! a subset of Noto Sans CJK SC for Chinese, Japanese kana and Korean), the
//! emoji of Symbola (monochrome), then the fonts found in `fonts.dirs`,
//! loaded once at start-up. A color emoji font among those (`color`) draws
//! what presents as emoji, ahead of the chain.
//!
//! Embedded fonts make a chart look the same on every replica with no font
//! installed: no fontconfig, no "works on my machine". Configured fonts are
//! hashed into the key context (`fingerprint`), so replicas with different
//! font sets never share a key for pictures that would differ.
//!
//! Both renderers lay text out here (`layout`): the native one through
//! `text` and `glyphs`, the Chart.js canvas through `canvas2d::font`, so a
//! label looks the same whichever path drew it.

mod chain;
mod color;
mod load;
mod missing;
mod outline;
mod shape;

pub use chain::FontSet;
pub(crate) use chain::{Face, FontId};
pub(crate) use color::{bitmap as color_bitmap, draw_all as draw_color_glyphs, Bitmap};
pub use load::{load, LoadError};
pub(crate) use missing::{covering, take_missing};
pub(crate) use outline::glyph_path;
pub(crate) use shape::set_cache_bytes as set_layout_cache_bytes;

use ab_glyph::{Font as _, FontRef, GlyphId, PxScale};
use std::sync::OnceLock;

/// The `font-family` written into SVG text: our faces first, then fonts with
/// close metrics, so layout measured with DejaVu still fits in a browser;
/// the Noto families follow for the scripts DejaVu lacks.
pub(crate) const SVG_FAMILY: &str = "DejaVu Sans, Verdana, Geneva, Noto Sans, \
     Noto Sans CJK SC, Noto Sans Devanagari, Noto Sans Thai, sans-serif";

/// One face of the set: its outlines for rasterizing (ab_glyph) and its
/// tables for shaping (rustybuzz), over the same bytes.
pub(crate) struct Loaded {
    /// The family name from the font's `name` table, for logs and matching.
    pub(crate) family: String,
    pub(crate) bold: bool,
    /// An italic or oblique face: it heads italic chains, and its glyphs
    /// are not slanted again (`oblique`).
    pub(crate) italic: bool,
    /// Its glyphs are color bitmaps (CBDT or sbix, as Noto Color Emoji's):
    /// emoji ask for it first (`shape`), and it is drawn as images
    /// (`color`), not outlines.
    pub(crate) color: bool,
    pub(crate) outlines: FontRef<'static>,
    pub(crate) tables: rustybuzz::Face<'static>,
    pub(crate) units_per_em: f32,
}

impl Loaded {
    /// Parses face `index` of `bytes`; `None` when it is not a font both
    /// parsers read, or has neither outlines nor color bitmaps: such a face
    /// would claim characters and draw nothing.
    pub(crate) fn parse(bytes: &'static [u8], index: u32) -> Option<Loaded> {
        let outlines = FontRef::try_from_slice_and_index(bytes, index).ok()?;
        let tables = rustybuzz::Face::from_slice(bytes, index)?;
        let t = tables.tables();
        let color = t.cbdt.is_some() || t.sbix.is_some();
        if t.glyf.is_none() && t.cff.is_none() && t.cff2.is_none() && !color {
            return None;
        }
        let family = family_name(&tables).unwrap_or_else(|| "unnamed".into());
        let bold = tables.is_bold() || tables.weight().to_number() >= 600;
        let italic = tables.is_italic() || tables.is_oblique();
        let units_per_em = tables.units_per_em() as f32;
        Some(Loaded {
            family,
            bold,
            italic,
            color,
            outlines,
            tables,
            units_per_em,
        })
    }

    /// Whether the face draws `c` (not with its `.notdef` box).
    pub(crate) fn covers(&self, c: char) -> bool {
        self.tables.glyph_index(c).is_some()
    }
}

/// The typographic family (name id 16) or the family (1), in English.
fn family_name(face: &ttf_parser::Face) -> Option<String> {
    use ttf_parser::name_id::{FAMILY, TYPOGRAPHIC_FAMILY};
    [TYPOGRAPHIC_FAMILY, FAMILY].into_iter().find_map(|id| {
        face.names()
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    })
}

/// The loaded set: the embedded faces until `load` replaces them at
/// start-up (tests and benches use the embedded ones).
static SET: OnceLock<FontSet> = OnceLock::new();

pub(crate) fn set() -> &'static FontSet {
    SET.get_or_init(FontSet::embedded)
}

/// A face of the set.
pub(crate) fn face(id: FontId) -> &'static Loaded {
    set().face(id)
}

/// The parsed outlines of a face.
pub(crate) fn font(id: impl Into<FontId>) -> &'static FontRef<'static> {
    &face(id.into()).outlines
}

/// Chromium's slant for italic text in a face that has no italic (Skia's
/// fake italic, `setSkewX(-1/4)`): x moves left a quarter of y (y down).
pub(crate) const SLANT: tiny_skia::Transform = tiny_skia::Transform {
    sx: 1.0,
    kx: -0.25,
    ky: 0.0,
    sy: 1.0,
    tx: 0.0,
    ty: 0.0,
};

/// The slant a glyph of face `id` is drawn with in style `face`: none,
/// unless the style is italic and the face upright, as a browser slants a
/// face that has no italic.
pub(crate) fn oblique(face: Face, id: FontId) -> Option<tiny_skia::Transform> {
    (face.italic && !self::face(id).italic).then_some(SLANT)
}

/// ab_glyph scales so that ascent - descent spans the requested pixels, while
/// CSS font sizes are em sizes; this converts a CSS size to ab_glyph's scale.
pub(crate) fn px_scale(id: impl Into<FontId>, em_px: f32) -> PxScale {
    let f = face(id.into());
    PxScale::from(em_px * f.outlines.height_unscaled() / f.units_per_em)
}

/// Pixels per font unit at `em_px`.
pub(crate) fn unit_scale(id: impl Into<FontId>, em_px: f32) -> f32 {
    em_px / face(id.into()).units_per_em
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
    static TABLES: [OnceLock<Ascii>; 4] = [const { OnceLock::new() }; 4];
    TABLES[face.style()].get_or_init(|| {
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

/// One positioned glyph of a line: where its text starts, which face draws
/// it and where it sits (CSS pixels from the line's origin; `y` down).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Placed {
    pub(crate) byte: usize,
    pub(crate) font: FontId,
    pub(crate) id: GlyphId,
    pub(crate) x: f32,
    pub(crate) y: f32,
    /// No face of the set has this character: the glyph is the primary
    /// face's `.notdef` box, and drawing it is counted (`take_missing`).
    pub(crate) missing: bool,
}

/// Lays `text` out on one line at `em_px`: calls `f` per glyph and returns
/// the advance width. Control characters take no space.
///
/// Text the primary face draws without shaping (Latin, Greek, Cyrillic and
/// their punctuation) is laid out from its kerning tables: most labels are
/// ASCII, and this path costs table lookups. Anything else goes through
/// `shape`: bidi, font fallback and OpenType shaping, cached per thread.
pub(crate) fn layout(face: Face, em_px: f32, text: &str, mut f: impl FnMut(Placed)) -> f32 {
    if !shape::plain(face, text) {
        return shape::shaped(face, em_px, text, f);
    }
    // The head of the style's chain draws every glyph of plain text.
    let head = FontId::from(face);
    let font = font(head);
    let ascii = ascii(face);
    let k = unit_scale(head, em_px);
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
        f(Placed {
            byte,
            font: head,
            id,
            x: x * k,
            y: 0.0,
            missing: false,
        });
        x += advance;
        prev = Some((id, a));
    }
    x * k
}

/// Counts a glyph drawn as a box (a character no face has), once per glyph
/// drawn; measuring does not count.
pub(crate) fn note_drawn(text: &str, g: &Placed) {
    if g.missing {
        if let Some(c) = text[g.byte..].chars().next() {
            missing::note(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_parse_and_have_latin_glyphs() {
        for face in [
            Face::REGULAR,
            Face::BOLD,
            Face::ITALIC,
            Face::BOLD.italic(true),
        ] {
            let f = font(face);
            assert_ne!(f.glyph_id('A').0, 0);
            assert_ne!(f.glyph_id('…').0, 0);
        }
    }

    #[test]
    fn scale_maps_em_size() {
        let s = px_scale(Face::REGULAR, 12.0);
        // DejaVu's ascent - descent is about 1.164 em.
        assert!((s.y - 13.97).abs() < 0.05, "{}", s.y);
    }

    #[test]
    fn the_embedded_set_covers_the_scripts_it_promises() {
        let set = set();
        for c in [
            'A', 'é', 'Ж', 'ش', 'ש', 'ह', 'ก', '销', '售', '報', '売', 'あ', 'カ', '한', '📈',
        ] {
            assert!(
                set.chain(Face::REGULAR)
                    .iter()
                    .any(|&id| face(id).covers(c)),
                "nothing draws {c}"
            );
        }
        assert!(!set
            .chain(Face::REGULAR)
            .iter()
            .any(|&id| face(id).covers('\u{E000}')));
    }
}
