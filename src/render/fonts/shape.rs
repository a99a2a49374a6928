//! Text that needs more than kerning: bidi reordering (unicode-bidi), a
//! face per character from the fallback chain, and OpenType shaping
//! (rustybuzz) of each run, so Arabic joins and reads right to left,
//! Devanagari and Thai cluster, and a label can mix Latin, Chinese and Hindi.
//!
//! Shaping a label costs tens of microseconds and a chart draws the same
//! labels again (measure, then draw; every tick), so each thread keeps the
//! lines it shaped, bounded in bytes (`render.layout_cache_bytes`). Lines are
//! kept in ems, so one entry serves every size.

use super::{chain::FontSet, Face, FontId, GlyphId, Placed};
use rustybuzz::{Direction, UnicodeBuffer};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use unicode_bidi::{BidiInfo, Level};
use unicode_script::{Script, UnicodeScript};

/// Bound of the line cache of a thread that was not given one (tests,
/// benches); render threads get `render.layout_cache_bytes`.
pub(crate) const DEFAULT_CACHE_BYTES: usize = 1 << 20;

/// Whether `text` is laid out without shaping: every character is one the
/// primary face draws on its own (Latin, Greek, Cyrillic, general
/// punctuation and symbols; no combining marks, no bidi controls).
pub(super) fn plain(face: Face, text: &str) -> bool {
    face.is_default()
        && (text.is_ascii() || {
            let font = super::font(face);
            let color = !super::set().color_faces().is_empty();
            text.chars().all(|c| {
                use ab_glyph::Font as _;
                c.is_control()
                    || (simple(c) && font.glyph_id(c).0 != 0 && !(color && emoji_default(c)))
            })
        })
}

/// Whether `c` presents as emoji unless told otherwise (Unicode's
/// `Emoji_Presentation`): ✅ and 📈 do, ☀ and ❤ only before U+FE0F.
fn emoji_default(c: char) -> bool {
    use unicode_properties::emoji::{EmojiStatus as S, UnicodeEmoji as _};
    matches!(
        c.emoji_status(),
        S::EmojiPresentation
            | S::EmojiPresentationAndModifierBase
            | S::EmojiPresentationAndEmojiComponent
            | S::EmojiPresentationAndModifierAndEmojiComponent
    )
}

/// Whether `c`, followed by `next`, is drawn as an emoji: by default or
/// asked for by U+FE0F, and not asked to be text by U+FE0E. Chromium draws
/// such characters from its color emoji font even where the primary font
/// has them (❤️ in color beside DejaVu Sans's ❤).
fn as_emoji(c: char, next: Option<char>) -> bool {
    match next {
        Some('\u{FE0F}') => true,
        Some('\u{FE0E}') => false,
        _ => emoji_default(c),
    }
}

fn simple(c: char) -> bool {
    matches!(u32::from(c),
        0x20..=0x2FF | 0x370..=0x482 | 0x48A..=0x58F | 0x1E00..=0x1FFF
        | 0x2010..=0x2027 | 0x2030..=0x205E | 0x2070..=0x2BFF)
}

/// Lays out `text` as `super::layout` does, through the line cache.
pub(super) fn shaped(face: Face, em_px: f32, text: &str, mut f: impl FnMut(Placed)) -> f32 {
    let line = cached(face, text);
    for g in line.glyphs.iter() {
        f(Placed {
            x: g.x * em_px,
            y: g.y * em_px,
            ..*g
        });
    }
    line.advance * em_px
}

/// A shaped line: its glyphs in visual order, left to right, placed in ems
/// (so one line serves every size).
struct Line {
    glyphs: Box<[Placed]>,
    advance: f32,
}

/// Lines by style and text, and the bytes they hold.
struct Cache {
    lines: HashMap<Face, HashMap<Box<str>, Rc<Line>>>,
    bytes: usize,
    bound: usize,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache {
        lines: Default::default(),
        bytes: 0,
        bound: DEFAULT_CACHE_BYTES,
    });
}

/// Bounds this thread's line cache to `bytes` (0: no caching).
pub(crate) fn set_cache_bytes(bytes: usize) {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        c.bound = bytes;
        if c.bytes > bytes {
            c.lines = Default::default();
            c.bytes = 0;
        }
    });
}

fn cached(face: Face, text: &str) -> Rc<Line> {
    let hit = CACHE.with(|c| c.borrow().lines.get(&face)?.get(text).cloned());
    if let Some(line) = hit {
        return line;
    }
    let line = Rc::new(shape(super::set(), face, text));
    let weight = 96 + text.len() + line.glyphs.len() * std::mem::size_of::<Placed>();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if weight > c.bound {
            return;
        }
        if c.bytes + weight > c.bound {
            // Start over: the labels change with the charts.
            c.lines = Default::default();
            c.bytes = 0;
        }
        c.bytes += weight;
        c.lines
            .entry(face)
            .or_default()
            .insert(text.into(), Rc::clone(&line));
    });
    line
}

/// A run of text one face shapes in one direction.
struct Segment {
    range: Range<usize>,
    font: FontId,
    missing: bool,
}

fn shape(set: &FontSet, face: Face, text: &str) -> Line {
    // A canvas's `direction` is `ltr` unless set, and Chart.js never sets
    // it: right-to-left runs are reordered inside a left-to-right line.
    let bidi = BidiInfo::new(text, Some(Level::ltr()));
    let mut glyphs = Vec::new();
    let mut pen = 0.0f32;
    for para in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(para, para.range.clone());
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            let mut segments = segments(set, face, text, run);
            if rtl {
                segments.reverse();
            }
            for s in &segments {
                pen = shape_segment(set, text, s, rtl, pen, &mut glyphs);
            }
        }
    }
    Line {
        glyphs: glyphs.into(),
        advance: pen,
    }
}

/// Splits `run` where the face changes: each character goes to the first
/// face of the chain that has it (as a browser falls back; emoji try the
/// color faces first, `as_emoji`), except marks, joiners and emoji
/// modifiers, which stay with the character they modify.
/// Control characters are left out, and so are invisible format characters
/// (bidi controls, zero-width space) that modify nothing: they are drawn as
/// nothing, not as boxes.
fn segments(set: &FontSet, face: Face, text: &str, run: Range<usize>) -> Vec<Segment> {
    let chain = set.chain(face);
    let mut out: Vec<Segment> = Vec::new();
    let mut chars = text[run.clone()].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_control() {
            continue;
        }
        let at = run.start + i;
        let end = at + c.len_utf8();
        let last = out.last_mut().filter(|s| s.range.end == at);
        if last.is_none() && invisible(c) {
            continue;
        }
        let (font, missing) = match last {
            Some(ref s) if modifies(c) || invisible(c) => (s.font, s.missing),
            _ => {
                let next = chars.peek().map(|&(_, n)| n);
                let color = if as_emoji(c, next) {
                    set.color_faces()
                } else {
                    &[]
                };
                color
                    .iter()
                    .chain(chain)
                    .find(|&&id| set.face(id).covers(c))
                    .map_or((chain[0], true), |&id| (id, false))
            }
        };
        match last {
            Some(s) if s.font == font && s.missing == missing => s.range.end = end,
            _ => out.push(Segment {
                range: at..end,
                font,
                missing,
            }),
        }
    }
    out
}

/// Default-ignorable format characters: no face needs a glyph for them.
fn invisible(c: char) -> bool {
    matches!(u32::from(c),
        0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFE00..=0xFE0F | 0xE0000..=0xE0FFF)
}

/// Characters that belong to the cluster before them.
fn modifies(c: char) -> bool {
    c.script() == Script::Inherited
        || matches!(u32::from(c), 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F | 0xFE0E | 0xFE0F)
}

/// Shapes one segment from `pen` (ems), appending its glyphs in visual
/// order; returns the pen after it.
fn shape_segment(
    set: &FontSet,
    text: &str,
    s: &Segment,
    rtl: bool,
    mut pen: f32,
    out: &mut Vec<Placed>,
) -> f32 {
    let face = set.face(s.font);
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(&text[s.range.clone()]);
    buffer.set_direction(if rtl {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(&face.tables, &[], buffer);
    let k = 1.0 / face.units_per_em;
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        out.push(Placed {
            byte: s.range.start + info.cluster as usize,
            font: s.font,
            id: GlyphId(u16::try_from(info.glyph_id).unwrap_or(0)),
            x: pen + pos.x_offset as f32 * k,
            y: -(pos.y_offset as f32) * k,
            // A modifier the face lacks (a skin tone after an emoji it has)
            // is its `.notdef` too.
            missing: s.missing || info.glyph_id == 0,
        });
        pen += pos.x_advance as f32 * k;
    }
    pen
}

#[cfg(test)]
mod tests {
    use super::super::{layout, set};
    use super::*;

    fn glyphs(text: &str) -> Vec<Placed> {
        let mut out = Vec::new();
        layout(Face::REGULAR, 12.0, text, |g| out.push(g));
        out
    }

    #[test]
    fn latin_stays_on_the_plain_path() {
        assert!(plain(Face::REGULAR, "Revenue (€, 2024) – Q1…"));
        assert!(plain(Face::BOLD, "Ångström Ωμέγα Привет"));
        assert!(!plain(Face::REGULAR, "销售额"));
        assert!(!plain(Face::REGULAR, "e\u{301}"));
        assert!(!plain(Face::REGULAR, "שלום"));
    }

    #[test]
    fn chinese_falls_back_to_the_cjk_face_and_latin_does_not() {
        let g = glyphs("Q1 销售");
        let cjk = set()
            .fonts
            .iter()
            .position(|f| f.family.starts_with("Noto Sans CJK"));
        let fonts: Vec<usize> = g.iter().map(|g| usize::from(g.font.0)).collect();
        assert_eq!(fonts[..3], [0, 0, 0]);
        assert_eq!(fonts[3..], [cjk.unwrap(); 2]);
        assert!(g.iter().all(|g| !g.missing && g.id.0 != 0));
    }

    #[test]
    fn arabic_is_joined_and_runs_right_to_left() {
        // Joined forms are other glyphs than the isolated letters.
        let word: Vec<u16> = glyphs("سلام").iter().map(|g| g.id.0).collect();
        let letters: Vec<u16> = ["س", "ل", "ا", "م"]
            .iter()
            .map(|l| glyphs(l)[0].id.0)
            .collect();
        assert_ne!(word.iter().rev().copied().collect::<Vec<_>>(), letters);
        // The first letter (byte 0) is drawn rightmost.
        let g = glyphs("سلام");
        assert_eq!(g.last().unwrap().byte, 0);
        assert!(g.windows(2).all(|w| w[0].x <= w[1].x));
    }

    #[test]
    fn numbers_in_right_to_left_text_keep_their_order() {
        // "Sales 2024" in Persian: the digits read left to right.
        let text = "فروش 2024";
        let g = glyphs(text);
        let digits: Vec<usize> = g
            .iter()
            .filter(|g| text.as_bytes()[g.byte].is_ascii_digit())
            .map(|g| g.byte)
            .collect();
        assert_eq!(digits.len(), 4);
        assert!(digits.windows(2).all(|w| w[0] < w[1]), "{digits:?}");
    }

    #[test]
    fn marks_and_joiners_stay_in_their_cluster() {
        // No face is chosen for a mark, a joiner or a skin tone on its own:
        // each stays in the segment of the character it modifies.
        assert!(glyphs("e\u{301}").iter().all(|g| g.font == FontId(0)));
        for text in ["ह\u{200D}ि", "👍\u{1F3FD}", "ب\u{64E}"] {
            let s = segments(set(), Face::REGULAR, text, 0..text.len());
            assert_eq!(s.len(), 1, "{text}");
        }
    }

    #[test]
    fn bidi_controls_reorder_and_are_not_drawn() {
        // A left-to-right override shows Hebrew in the order it is typed:
        // the same glyphs as the reversed word, and no boxes.
        let ids = |t: &str| glyphs(t).iter().map(|g| g.id.0).collect::<Vec<_>>();
        let forced = glyphs("\u{202D}גבא\u{202C}");
        assert!(!forced.iter().any(|g| g.missing));
        let drawn: Vec<u16> = forced
            .iter()
            .map(|g| g.id.0)
            .filter(|&id| id != ids(" ")[0])
            .collect();
        assert_eq!(drawn, ids("אבג"));
    }

    #[test]
    fn a_private_use_character_is_missing_and_others_are_not() {
        assert!(glyphs("a\u{E000}b").iter().any(|g| g.missing));
        assert!(!glyphs("一月 二月 สวัสดี हिन्दी").iter().any(|g| g.missing));
    }

    #[test]
    fn the_line_cache_serves_every_size_and_stays_bounded() {
        set_cache_bytes(4096);
        let a = super::super::layout(Face::REGULAR, 10.0, "销售额", |_| {});
        let b = super::super::layout(Face::REGULAR, 20.0, "销售额", |_| {});
        assert!((b - 2.0 * a).abs() < 1e-3);
        for i in 0..200 {
            super::super::layout(Face::REGULAR, 10.0, &format!("标签 {i}"), |_| {});
            assert!(CACHE.with(|c| c.borrow().bytes) <= 4096);
        }
        set_cache_bytes(DEFAULT_CACHE_BYTES);
    }
}
