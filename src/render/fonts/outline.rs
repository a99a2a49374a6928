//! Glyph outlines as tiny-skia paths in font units (y up), made once per
//! thread: the Chart.js canvas fills text as paths, and turned tick labels
//! are rasterized from them (`glyphs::run_turned`).

use super::{font, FontId};
use ab_glyph::{Font as _, OutlineCurve};
use std::cell::RefCell;
use std::collections::HashMap;
use tiny_skia::{Path, PathBuilder};

/// Bytes of glyph outlines a thread keeps before starting over: a face has
/// ~6,000 glyphs, a chart uses a few dozen.
const OUTLINE_CACHE_BYTES: usize = 2 << 20;

/// Outlines by face and glyph, and the bytes they hold.
type Outlines = (HashMap<(FontId, u16), Option<Path>>, usize);

thread_local! {
    static OUTLINES: RefCell<Outlines> = RefCell::new((HashMap::new(), 0));
}

/// A glyph's outline in font units (y up), made once per thread.
pub(crate) fn glyph_path(face: FontId, id: u16) -> Option<Path> {
    OUTLINES.with(|cell| {
        let mut cache = cell.borrow_mut();
        if let Some(p) = cache.0.get(&(face, id)) {
            return p.clone();
        }
        let path = outline_of(face, id);
        let bytes = 64 + path.as_ref().map_or(0, |p| p.len() * 9);
        if cache.1 + bytes > OUTLINE_CACHE_BYTES {
            *cache = (HashMap::new(), 0);
        }
        cache.1 += bytes;
        cache.0.insert((face, id), path.clone());
        path
    })
}

fn outline_of(face: FontId, id: u16) -> Option<Path> {
    let outline = font(face).outline(ab_glyph::GlyphId(id))?;
    let mut pb = PathBuilder::new();
    let mut last = None;
    for curve in &outline.curves {
        let (start, end) = match curve {
            OutlineCurve::Line(a, b) | OutlineCurve::Quad(a, _, b) => (*a, *b),
            OutlineCurve::Cubic(a, _, _, b) => (*a, *b),
        };
        if last != Some(start) {
            if last.is_some() {
                pb.close();
            }
            pb.move_to(start.x, start.y);
        }
        match curve {
            OutlineCurve::Line(_, b) => pb.line_to(b.x, b.y),
            OutlineCurve::Quad(_, c, b) => pb.quad_to(c.x, c.y, b.x, b.y),
            OutlineCurve::Cubic(_, c1, c2, b) => pb.cubic_to(c1.x, c1.y, c2.x, c2.y, b.x, b.y),
        }
        last = Some(end);
    }
    if last.is_some() {
        pb.close();
    }
    pb.finish()
}
