//! Text: measuring strings with the embedded faces, and the text style that
//! carries them to a plotters backend.
//!
//! Layout measures every label here, in CSS pixels, for both output formats,
//! so the SVG is laid out exactly like the PNG. `TextStyle` implements
//! plotters' `BackendTextStyle`: `SVGBackend` writes it as a `<text>` element,
//! our `SkiaBackend` rasterizes the same glyphs with the same metrics.

use super::fonts::{self, layout, Face};
use super::glyphs;
use crate::chart::spec::Font;
use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendTextStyle, FontFamily, FontStyle, FontTransform,
};
use std::borrow::Cow;
use std::convert::Infallible;

/// plotters' SVG backend writes `font-size` as `size() / 1.24`, so styles
/// report their em size times this and the SVG gets the size we mean.
pub(crate) const PLOTTERS_SIZE_RATIO: f64 = 1.24;

/// plotters' SVG backend moves top-anchored text down by `dy="0.76em"`; the
/// PNG backend puts the baseline at the same place so both formats agree.
pub(crate) const TOP_BASELINE_EM: f64 = 0.76;

/// The ellipsis that ends a shortened label.
const ELLIPSIS: &str = "…";

/// Advance width of `text` in the unit of `em_px`.
pub(crate) fn width(face: Face, em_px: f64, text: &str) -> f64 {
    f64::from(layout(face, em_px as f32, text, |_| {}))
}

/// Chart.js's line height, in ems.
pub(crate) const LINE_HEIGHT_EM: f64 = 1.2;

/// The style `font` is drawn in: its weight and slant, in its `fontFamily`
/// when a loaded family matches.
pub(crate) fn face_of_font(font: &Font) -> Face {
    let face = Face::of(font.bold).italic(font.italic);
    font.family.as_deref().map_or(face, |f| face.in_family(f))
}

/// Advance width of `text` in `font`, CSS pixels.
pub(crate) fn measure(font: &Font, text: &str) -> f64 {
    width(face_of_font(font), font.size.max(0.0), text)
}

/// Height of one line of `font`, CSS pixels.
pub(crate) fn line_height(font: &Font) -> f64 {
    font.size.max(0.0) * LINE_HEIGHT_EM
}

/// `text` shortened with an ellipsis to fit `max_w` in `font`.
pub(crate) fn fit<'t>(font: &Font, text: &'t str, max_w: f64) -> Cow<'t, str> {
    truncate(face_of_font(font), font.size.max(0.0), text, max_w)
}

/// `text` itself when it fits in `max_w`, else its longest prefix that fits
/// with an ellipsis appended (just the ellipsis when nothing else fits).
pub(crate) fn truncate(face: Face, em_px: f64, text: &str, max_w: f64) -> Cow<'_, str> {
    if width(face, em_px, text) <= max_w {
        return Cow::Borrowed(text);
    }
    let room = (max_w - width(face, em_px, ELLIPSIS)) as f32;
    // A glyph that starts within the room ends the longest prefix that fits.
    let mut cut = 0;
    layout(face, em_px as f32, text, |g| {
        if g.x <= room {
            cut = g.byte;
        }
    });
    // Kerning can make a prefix a hair wider than its next glyph's start.
    while cut > 0 && width(face, em_px, &text[..cut]) > f64::from(room) {
        cut = text[..cut].char_indices().last().map_or(0, |(i, _)| i);
    }
    Cow::Owned(format!("{}{ELLIPSIS}", text[..cut].trim_end()))
}

/// A text style in backend units, understood by plotters' `SVGBackend` and by
/// `SkiaBackend`.
#[derive(Clone)]
pub(crate) struct TextStyle {
    pub(crate) face: Face,
    /// Em size in backend units.
    pub(crate) em: f64,
    pub(crate) color: BackendColor,
    pub(crate) anchor: Pos,
    pub(crate) transform: FontTransform,
}

/// The style a backend draws a plotters text style in: its weight or
/// slant, and the family its `font-family` (`TextStyle::family`, the
/// SVG's) names first.
pub(crate) fn face_of<T: BackendTextStyle>(style: &T) -> Face {
    let slanted = matches!(style.style(), FontStyle::Italic | FontStyle::Oblique);
    let face = Face::of(matches!(style.style(), FontStyle::Bold)).italic(slanted);
    match style.family() {
        FontFamily::Name(list) => face.in_family(list),
        _ => face,
    }
}

impl BackendTextStyle for TextStyle {
    type FontError = Infallible;

    fn color(&self) -> BackendColor {
        self.color
    }

    fn size(&self) -> f64 {
        self.em * PLOTTERS_SIZE_RATIO
    }

    fn transform(&self) -> FontTransform {
        self.transform.clone()
    }

    fn style(&self) -> FontStyle {
        match (self.face.bold, self.face.italic) {
            (true, _) => FontStyle::Bold,
            (false, true) => FontStyle::Italic,
            (false, false) => FontStyle::Normal,
        }
    }

    fn anchor(&self) -> Pos {
        self.anchor
    }

    fn family(&self) -> FontFamily<'_> {
        FontFamily::Name(fonts::set().svg_family(self.face))
    }

    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Infallible> {
        let w = width(self.face, self.em, text).ceil() as i32;
        let above = (self.em * TOP_BASELINE_EM).round() as i32;
        let below = (self.em * (1.0 - TOP_BASELINE_EM)).round() as i32;
        Ok(((0, -above), (w, below)))
    }

    /// Pixel-by-pixel drawing for backends without text support; the origin
    /// is on the baseline, as `layout_box` says.
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        (x, y): BackendCoord,
        mut draw: F,
    ) -> Result<Result<(), E>, Infallible> {
        let mut result = Ok(());
        glyphs::run(
            self.face,
            self.em as f32,
            text,
            x as f32,
            |mask, pen_x, dy| {
                for (row, line) in mask.rows().enumerate() {
                    for (col, &c) in line.iter().enumerate().filter(|(_, c)| **c > 0) {
                        let px = pen_x + mask.left + col as i32;
                        let py = y + dy + mask.top + row as i32;
                        let color = match &mask.color {
                            Some(rgba) => own_color(rgba, row * mask.width + col, self.color),
                            None => self.color.mix(f64::from(c) / 255.0),
                        };
                        if result.is_ok() {
                            result = draw(px, py, color);
                        }
                    }
                }
            },
        );
        Ok(result)
    }
}

/// Pixel `i` of a color glyph (premultiplied RGBA), straight, faded by
/// the text's alpha.
fn own_color(rgba: &[u8], i: usize, text: BackendColor) -> BackendColor {
    let [r, g, b, a] = std::array::from_fn(|k| rgba[i * 4 + k]);
    let straight = |v: u8| (u32::from(v) * 255 / u32::from(a.max(1))).min(255) as u8;
    BackendColor {
        rgb: (straight(r), straight(g), straight(b)),
        alpha: f64::from(a) / 255.0 * text.alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_scales_linearly() {
        let a = width(Face::REGULAR, 12.0, "Hello, world");
        let b = width(Face::REGULAR, 24.0, "Hello, world");
        assert!(a > 50.0 && a < 90.0, "{a}");
        assert!((b - 2.0 * a).abs() < 0.01);
        assert!(width(Face::BOLD, 12.0, "Hello, world") > a);
    }

    #[test]
    fn truncate_fits_and_marks() {
        let long = "A rather long category label that will not fit";
        let t = truncate(Face::REGULAR, 12.0, long, 80.0);
        assert!(t.ends_with('…'), "{t}");
        assert!(width(Face::REGULAR, 12.0, &t) <= 80.0);
        assert_eq!(truncate(Face::REGULAR, 12.0, "short", 80.0), "short");
        assert_eq!(truncate(Face::REGULAR, 12.0, long, 1.0), "…");
    }

    #[test]
    fn ascii_tables_match_the_font() {
        use ab_glyph::{Font as _, ScaleFont as _};
        let f = fonts::font(Face::REGULAR).as_scaled(fonts::px_scale(Face::REGULAR, 12.0));
        let mut expected = 0.0;
        let mut prev = None;
        for c in "AVAWAY To, 1.5é".chars() {
            let id = f.glyph_id(c);
            if let Some(p) = prev {
                expected += f.kern(p, id);
            }
            expected += f.h_advance(id);
            prev = Some(id);
        }
        let ours = width(Face::REGULAR, 12.0, "AVAWAY To, 1.5é");
        assert!(
            (ours - f64::from(expected)).abs() < 1e-3,
            "{ours} vs {expected}"
        );
    }

    #[test]
    fn control_characters_take_no_space() {
        assert_eq!(
            width(Face::REGULAR, 12.0, "a\nb"),
            width(Face::REGULAR, 12.0, "ab")
        );
    }
}
