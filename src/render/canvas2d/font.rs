//! CSS font strings (`bold 12px 'Helvetica Neue', Arial, sans-serif`, as
//! Chart.js writes them) read into a style of the font set and a size, and
//! text measured and outlined in it (laid out by `fonts`, as the native
//! renderer's text is).

use crate::render::fonts::{self, Face};
use ab_glyph::Font as _;
use tiny_skia::{PathBuilder, Transform};

/// A font as the canvas uses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Font {
    pub(crate) face: Face,
    /// The em size in CSS pixels.
    pub(crate) px: f32,
}

impl Default for Font {
    /// The canvas's initial font, `10px sans-serif`.
    fn default() -> Self {
        Font {
            face: Face::REGULAR,
            px: 10.0,
        }
    }
}

impl Font {
    /// Reads a CSS `font` shorthand; `None` for one a canvas would ignore
    /// (no size, or a size that is not a positive length). The family list
    /// after the size picks a loaded family when one matches (`Face::
    /// in_family`); else the default chain, DejaVu Sans first.
    pub(super) fn parse(css: &str) -> Option<Font> {
        let (mut bold, mut italic) = (false, false);
        let mut rest = css.trim_start();
        while let Some(word) = rest.split_whitespace().next() {
            rest = rest[word.len()..].trim_start();
            if let Some(px) = size(word) {
                return Some(Font {
                    face: Face::of(bold).italic(italic).in_family(rest),
                    px,
                });
            }
            italic |= matches!(word, "italic" | "oblique");
            bold |= match word {
                "bold" | "bolder" => true,
                w => w.parse::<u16>().is_ok_and(|n| n >= 600),
            };
        }
        None
    }

    /// The advance width of `text`, in CSS pixels.
    pub(crate) fn width(&self, text: &str) -> f32 {
        fonts::layout(self.face, self.px, text, |_| {})
    }

    /// The em box's ascent and descent below the baseline, in CSS pixels:
    /// where `top`, `middle` and `bottom` baselines sit. Chromium takes the
    /// OS/2 typographic ascent and descent, scaled so they span one em
    /// (hhea's, which text layout uses, put `middle` text ~1 px lower).
    pub(crate) fn em_box(&self) -> (f32, f32) {
        let (a, d) = typo_metrics(self.face);
        (self.px * a / (a + d), self.px * d / (a + d))
    }

    /// The outlines of `text` laid out from the origin on the baseline,
    /// each glyph's path already placed by `at` (a transform from CSS
    /// pixels of the line to device pixels); color glyphs go to `color`
    /// instead, each with its transform from ems of the line.
    pub(crate) fn outline(
        &self,
        text: &str,
        at: Transform,
        out: &mut PathBuilder,
        color: &mut Vec<(fonts::Bitmap, Transform)>,
    ) {
        fonts::layout(self.face, self.px, text, |g| {
            fonts::note_drawn(text, &g);
            let slant = fonts::oblique(self.face, g.font).unwrap_or_default();
            let pen = at.pre_translate(g.x, g.y).pre_concat(slant);
            if let Some(bitmap) = fonts::color_bitmap(g.font, g.id.0) {
                color.push((bitmap, pen.pre_scale(self.px, self.px)));
                return;
            }
            let k = fonts::unit_scale(g.font, self.px);
            let place = pen.pre_scale(k, -k);
            if let Some(path) = fonts::glyph_path(g.font, g.id.0) {
                if let Some(placed) = path.transform(place) {
                    out.push_path(&placed);
                }
            }
        });
    }
}

/// The OS/2 typographic ascent and descent (font units, both positive) of
/// the head of the style's chain; hhea's where the font has no OS/2 table.
/// Both are fields of tables parsed at load: no cache needed.
fn typo_metrics(face: Face) -> (f32, f32) {
    let head = fonts::face(face.into());
    let f = &head.outlines;
    match head.tables.tables().os2 {
        Some(os2) if os2.typographic_ascender() > 0 => (
            f32::from(os2.typographic_ascender()),
            -f32::from(os2.typographic_descender()),
        ),
        _ => (f.ascent_unscaled(), -f.descent_unscaled()),
    }
}

/// The font size relative sizes are of: Chromium's canvas, in a page,
/// inherits the body's `medium`, 16 px (chartjs-chart-radial-gauge sizes
/// its center text in `em`).
const MEDIUM_PX: f32 = 16.0;

/// `12px`, `12.5px`, `9pt`, `1.5em`, `1rem`, `120%` (and `12px/1.2`): the
/// size in CSS pixels.
fn size(word: &str) -> Option<f32> {
    let word = word.split('/').next()?;
    let units = [
        ("px", 1.0),
        ("pt", 4.0 / 3.0),
        ("rem", MEDIUM_PX),
        ("em", MEDIUM_PX),
        ("%", MEDIUM_PX / 100.0),
    ];
    let (number, per) = units
        .iter()
        .find_map(|(unit, per)| word.strip_suffix(unit).map(|n| (n, *per)))?;
    let v: f32 = number.parse().ok()?;
    (v.is_finite() && v > 0.0).then_some(v * per)
}

/// What Chart.js's `measureText` answers: the width of `text` in `css`.
pub(crate) fn measure(css: &str, text: &str) -> f64 {
    f64::from(Font::parse(css).unwrap_or_default().width(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chartjs_font_strings() {
        let f = Font::parse("normal 12px 'Helvetica Neue', 'Helvetica', 'Arial', sans-serif");
        assert_eq!(
            f,
            Some(Font {
                face: Face::REGULAR,
                px: 12.0
            })
        );
        let f = Font::parse("bold 16px sans-serif").unwrap();
        assert_eq!((f.face, f.px), (Face::BOLD, 16.0));
        // Relative sizes, as the radial gauge writes its center text.
        let em = |css: &str| Font::parse(css).map(|f| f.px);
        assert_eq!(em("2.70em 'Helvetica Neue', Arial"), Some(43.2));
        assert_eq!(em("1rem sans-serif"), Some(16.0));
        assert_eq!(em("150% sans-serif"), Some(24.0));
        assert_eq!(em("12ex sans-serif"), None, "not a unit read");
        assert_eq!(
            Font::parse("italic 700 9pt serif").unwrap().face,
            Face::BOLD.italic(true)
        );
        assert_eq!(Font::parse("12px/1.5 Arial").unwrap().px, 12.0);
        assert_eq!(Font::parse("bold sans-serif"), None);
        assert_eq!(Font::parse("-3px Arial"), None);
    }

    #[test]
    fn measures_as_it_draws() {
        let f = Font::parse("12px Arial").unwrap();
        assert!(measure("12px Arial", "January") > measure("12px Arial", "Jan"));
        assert_eq!(measure("12px Arial", "abc") as f32, f.width("abc"));
        let (a, d) = f.em_box();
        assert!((a + d - 12.0).abs() < 1e-3 && a > d);
    }
}
