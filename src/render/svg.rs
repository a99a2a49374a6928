//! SVG output through plotters' `SVGBackend`, which writes into a String
//! and escapes `<`, `>`, `&`, `"` and `'` in all text.
//!
//! Escaping is not enough for well-formed XML: XML 1.0 forbids most C0
//! control characters and U+FFFE/U+FFFF outright (no escape makes them
//! legal), and a chart's title or label may hold any of them. So the backend
//! is wrapped in `XmlText`, the one door every piece of text goes through on
//! its way into the document (titles, axis titles, tick labels, legend
//! entries, whatever draws it), which cleans it with `xml_text` first.
//!
//! The backend works in the same sub-pixel units as the PNG canvas, so one
//! layout serves both formats; its `viewBox` maps those units back, and the
//! `width`/`height` attributes are rewritten to the chart's CSS size, which
//! is how a browser sizes an SVG whatever the device pixel ratio.

use super::painter::{Canvas, SUBPIXELS};
use super::text::TextStyle;
use super::RenderError;
use crate::chart::spec::{Output, PathCmd, Rgba, Shade, TileOp};
use plotters::backend::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use std::borrow::Cow;
use std::fmt::Write;

/// Draws with `draw` onto an SVG canvas for `out` and returns the document.
pub(crate) fn render(
    out: &Output,
    draw: impl FnOnce(&mut XmlText<'_>) -> Result<(), RenderError>,
) -> Result<String, RenderError> {
    let (pw, ph) = out.pixel_size();
    let units = (pw.saturating_mul(SUBPIXELS), ph.saturating_mul(SUBPIXELS));
    let mut doc = String::new();
    let (shades, turned, squeezed, slanted) = {
        let mut be = XmlText(
            SVGBackend::with_string(&mut doc, units),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        draw(&mut be)?;
        be.present()
            .map_err(|e| RenderError::Invalid(format!("SVG output failed: {e}")))?;
        (
            std::mem::take(&mut be.1),
            std::mem::take(&mut be.2),
            std::mem::take(&mut be.3),
            std::mem::take(&mut be.4),
        )
    };
    let mut doc = resize(&doc, out.width.max(1), out.height.max(1));
    for ((x, y), angle) in turned {
        doc = doc.replacen(
            &format!("transform=\"rotate(270, {x}, {y})\""),
            &format!("transform=\"rotate({}, {x}, {y})\"", -angle.to_degrees()),
            1,
        );
    }
    for ((x, y), length) in squeezed {
        let at = format!("<text x=\"{x}\" y=\"{y}\" ");
        doc = doc.replacen(
            &at,
            &format!("{at}textLength=\"{length:.0}\" lengthAdjust=\"spacingAndGlyphs\" "),
            1,
        );
    }
    for (x, y) in slanted {
        let at = format!("<text x=\"{x}\" y=\"{y}\" ");
        doc = doc.replacen(&at, &format!("{at}font-style=\"italic\" "), 1);
    }
    Ok(if shades.is_empty() {
        doc
    } else {
        shaded(doc, &shades)
    })
}

/// plotters writes one color per shape: a shaded polygon is written with
/// a stand-in color (black at an opacity no 8-bit color has, one per
/// shade), swapped here for a reference to the shade's definition.
fn stand_in(n: usize) -> BackendColor {
    BackendColor {
        alpha: STAND_IN_ALPHA * (n + 1) as f64,
        rgb: (0, 0, 0),
    }
}

const STAND_IN_ALPHA: f64 = 1e-9;

/// `doc` with its stand-in fills and strokes pointing at the shades,
/// defined up front.
fn shaded(mut doc: String, shades: &[(Shade, f64)]) -> String {
    for n in 0..shades.len() {
        for paint in ["fill", "stroke"] {
            let written = format!("opacity=\"{}\" {paint}=\"#000000\"", stand_in(n).alpha);
            doc = doc.replace(&written, &format!("{paint}=\"url(#chartgate-shade-{n})\""));
        }
    }
    let defs: String = shades
        .iter()
        .enumerate()
        .map(|(n, (shade, k))| shade_def(n, shade, *k))
        .collect();
    match doc.find('>') {
        Some(i) => format!("{}\n<defs>{defs}</defs>{}", &doc[..=i], &doc[i + 1..]),
        None => doc,
    }
}

pub(crate) fn svg_color(c: Rgba) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

pub(crate) fn opacity(c: Rgba) -> f64 {
    f64::from(c.3) / 255.0
}

/// The definition of shade `n`, its geometry scaled by `k` into the
/// document's units.
fn shade_def(n: usize, shade: &Shade, k: f64) -> String {
    let mut out = String::new();
    match shade {
        Shade::Linear { from, to, stops } => {
            let _ = write!(
                out,
                "<linearGradient id=\"chartgate-shade-{n}\" gradientUnits=\"userSpaceOnUse\" \
                 x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\">",
                from.0 * k,
                from.1 * k,
                to.0 * k,
                to.1 * k
            );
            for (o, c) in stops {
                let _ = write!(
                    out,
                    "<stop offset=\"{o}\" stop-color=\"{}\" stop-opacity=\"{}\"/>",
                    svg_color(*c),
                    opacity(*c)
                );
            }
            out.push_str("</linearGradient>");
        }
        Shade::Pattern { size, ops } => {
            let side = size * k;
            let _ = write!(
                out,
                "<pattern id=\"chartgate-shade-{n}\" patternUnits=\"userSpaceOnUse\" \
                 width=\"{side}\" height=\"{side}\"><g transform=\"scale({k})\">"
            );
            for op in ops {
                out.push_str(&tile_op(op));
            }
            out.push_str("</g></pattern>");
        }
    }
    out
}

pub(crate) fn tile_op(op: &TileOp) -> String {
    let mut d = String::new();
    for cmd in &op.path {
        let _ = match cmd {
            PathCmd::Move(x, y) => write!(d, "M{x} {y}"),
            PathCmd::Line(x, y) => write!(d, "L{x} {y}"),
            PathCmd::Close => write!(d, "Z"),
        };
    }
    let (c, a) = (svg_color(op.color), opacity(op.color));
    if op.fill {
        format!("<path d=\"{d}\" fill=\"{c}\" fill-opacity=\"{a}\"/>")
    } else {
        format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"{c}\" stroke-opacity=\"{a}\" stroke-width=\"{}\" \
             stroke-linecap=\"round\" stroke-linejoin=\"round\"/>",
            op.width
        )
    }
}

/// Replaces the size attributes plotters writes before `viewBox`.
fn resize(doc: &str, w: u32, h: u32) -> String {
    match doc.find(" viewBox=") {
        Some(i) if doc.starts_with("<svg ") => {
            format!("<svg width=\"{w}\" height=\"{h}\"{}", &doc[i..])
        }
        _ => doc.to_string(),
    }
}

/// `text` as it may appear in an XML 1.0 document: control characters
/// (C0, DEL and C1, tab and newlines included) are dropped, and the
/// noncharacters U+FFFE and U+FFFF become U+FFFD. Dropping every control
/// character, not only those XML forbids, keeps the SVG as it was laid out:
/// layout gives control characters no width (`text::layout`). Text that
/// needs no change is borrowed, not copied.
pub(crate) fn xml_text(text: &str) -> Cow<'_, str> {
    let unfit = |c: char| c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}';
    if !text.contains(unfit) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| if unfit(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// `SVGBackend` with every string cleaned by `xml_text` before it is
/// written; everything else is passed through unchanged, but shaded fills,
/// kept here (with their scale) to be defined when the document is done,
/// and text turned by other than a quarter turn, written as a quarter turn
/// and its angle kept (with its anchor) to be set when the document is
/// done: plotters writes quarter turns only; so is the length a squeezed
/// text is narrowed to (`textLength`), which plotters cannot write either,
/// and the anchor of bold italic text, which plotters writes bold (its
/// `FontStyle` holds one of the two), to be set italic too.
pub(crate) struct XmlText<'a>(
    SVGBackend<'a>,
    Vec<(Shade, f64)>,
    Vec<(BackendCoord, f64)>,
    Vec<(BackendCoord, f64)>,
    Vec<BackendCoord>,
);

impl XmlText<'_> {
    /// Keeps the anchor of text plotters will not write italic.
    fn note_slant(&mut self, style: &TextStyle, at: BackendCoord) {
        if style.face.bold && style.face.italic {
            self.4.push(at);
        }
    }
}

impl Canvas for XmlText<'_> {
    fn texts_turned(&mut self, texts: &[(&str, BackendCoord)], style: &TextStyle, angle: f64) {
        for &(s, at) in texts {
            self.2.push((at, angle));
            self.note_slant(style, at);
            let _ = self.draw_text(s, style, at);
        }
    }

    fn text_squeezed(&mut self, s: &str, style: &TextStyle, at: BackendCoord, length: f64) {
        self.3.push((at, length));
        self.note_slant(style, at);
        let _ = self.draw_text(s, style, at);
    }

    fn text(&mut self, s: &str, style: &TextStyle, at: BackendCoord) -> Drawn<'_> {
        self.note_slant(style, at);
        self.draw_text(s, style, at)
    }

    fn fill_shade(&mut self, coords: &[BackendCoord], shade: &Shade, k: f64) {
        let style = ShapeStyle {
            color: stand_in(self.shade_index(shade, k)),
            width: 0,
        };
        let _ = self.0.fill_polygon(coords.iter().copied(), &style);
    }

    fn stroke_shade(&mut self, coords: &[BackendCoord], width: u32, shade: &Shade, k: f64) {
        let style = ShapeStyle {
            color: stand_in(self.shade_index(shade, k)),
            width,
        };
        let _ = self.0.draw_path(coords.iter().copied(), &style);
    }
}

impl XmlText<'_> {
    /// The number of `shade`'s definition: each bar of a dataset fills with
    /// the same shade, defined once.
    fn shade_index(&mut self, shade: &Shade, k: f64) -> usize {
        match self.1.iter().position(|(s, at)| s == shade && *at == k) {
            Some(n) => n,
            None => {
                self.1.push((shade.clone(), k));
                self.1.len() - 1
            }
        }
    }
}

/// A fill or stroke of one backend color.
struct ShapeStyle {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for ShapeStyle {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

type Drawn<'a> = Result<(), DrawingErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>>;

impl<'a> DrawingBackend for XmlText<'a> {
    type ErrorType = <SVGBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn<'a> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Drawn<'a> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn<'a> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<'a> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<'a> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<'a> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<'a> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<'a> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn<'a> {
        let text = xml_text(text);
        if text.is_empty() {
            // Nothing visible was left: no empty `<text>` element.
            return Ok(());
        }
        self.0.draw_text(&text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(&xml_text(text), style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Drawn<'a> {
        self.0.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_attributes_are_css_pixels() {
        let doc =
            "<svg width=\"4000\" height=\"2400\" viewBox=\"0 0 4000 2400\" xmlns=\"x\">\n</svg>\n";
        assert_eq!(
            resize(doc, 500, 300),
            "<svg width=\"500\" height=\"300\" viewBox=\"0 0 4000 2400\" xmlns=\"x\">\n</svg>\n"
        );
    }

    /// The XML 1.0 `Char` production.
    fn xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    #[test]
    fn every_code_point_comes_out_as_an_xml_character() {
        let all: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        let clean = xml_text(&all);
        assert!(clean.chars().all(xml_char));
        assert!(!clean.chars().any(char::is_control));
        // What XML allows is kept, in order, but for the replacements.
        let kept: String = all
            .chars()
            .filter(|&c| xml_char(c) && !c.is_control())
            .collect();
        assert_eq!(clean.replace('\u{FFFD}', ""), kept.replace('\u{FFFD}', ""));
        assert_eq!(
            clean.matches('\u{FFFD}').count(),
            3,
            "U+FFFD, U+FFFE, U+FFFF"
        );
    }

    #[test]
    fn clean_text_is_borrowed() {
        let text = "Sales € 2024 <&> 😀 \u{10FFFD}";
        assert!(matches!(xml_text(text), Cow::Borrowed(t) if t == text));
        assert_eq!(xml_text("a\u{0}b\u{1B}[1mc\u{7F}\u{85}d"), "ab[1mcd");
        assert_eq!(xml_text("\u{FFFE}x\u{FFFF}"), "\u{FFFD}x\u{FFFD}");
        assert_eq!(xml_text("line\r\nbreak\ttab"), "linebreaktab");
    }
}
