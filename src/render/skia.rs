//! `SkiaBackend`: a plotters `DrawingBackend` over a tiny-skia pixmap that
//! antialiases everything it draws: lines, paths, polygons, circles,
//! rectangles and text.
//!
//! plotters' own bitmap backend draws aliased lines, which look cheap next to
//! a browser's Chart.js. Coordinates are in 1/`sub` pixel units so curves and
//! thin lines keep sub-pixel precision through plotters' integer
//! `BackendCoord`; `get_size` reports the size in those units. Each stroke or
//! fill is one tiny-skia path (a 1000-point polyline is one stroke), and text
//! is blended from cached ab_glyph coverage masks. Circles up to `stamp`'s
//! size limit (point markers) are drawn once per distinct marker and stamped.

use super::canvas2d;
use super::clip::clip_polygon;
use super::fonts::{self, Face};
use super::geom::{pt, Pt, Rect as Box2};
use super::glyphs::{self, Mask};
use super::painter::Canvas;
use super::rule;
use super::shade;
use super::stamp::{self, Stamps};
use super::stroke;
use super::text::{self, TextStyle, PLOTTERS_SIZE_RATIO, TOP_BASELINE_EM};
use crate::chart::spec::Shade;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use std::convert::Infallible;
use std::time::Instant;
use tiny_skia::{FillRule, Paint, Path, PathBuilder, Pixmap, Rect, Stroke, Transform};

/// DejaVu Sans x-height in em: SVG centers text with `dy="0.5ex"`.
const X_HEIGHT_EM: f64 = 0.547;

type Result = std::result::Result<(), DrawingErrorKind<Infallible>>;

/// Segments of a polyline stroked at once (see `draw_path`).
const STROKE_PIECE: usize = 64;

/// Polygons with more vertices than this are filled in strips
/// (`fill_in_strips`), each this many device pixels wide.
const STRIP_MIN_VERTICES: usize = 256;
const STRIP_WIDTH: f64 = 32.0;

/// An antialiasing plotters backend drawing into a premultiplied RGBA pixmap.
pub(crate) struct SkiaBackend {
    pixmap: Pixmap,
    sub: u32,
    /// Pixels per backend unit.
    unit: f32,
    /// When long calls (a polyline of many pieces, a strip-filled polygon,
    /// a string of big glyphs) stop drawing part-way: the painter checks the
    /// deadline between calls, this bounds the time inside one.
    deadline: Option<Instant>,
    /// This render's marker stamps; `None` draws every marker directly
    /// (the reference the stamp tests compare with).
    stamps: Option<Stamps>,
}

impl SkiaBackend {
    /// Rasterizes the glyph masks of `s` in `face`, placed by `style`: the
    /// same anchor rules as plotters' SVG backend, so PNG and SVG text sit
    /// in the same place.
    fn text_in<T: BackendTextStyle>(
        &mut self,
        s: &str,
        face: Face,
        style: &T,
        pos: BackendCoord,
    ) -> Result {
        let color = style.color();
        let em = style.size() / PLOTTERS_SIZE_RATIO * f64::from(self.unit);
        if color.alpha <= 0.0 || em <= 0.0 || s.is_empty() {
            return Ok(());
        }
        let width = text::width(face, em, s);
        let anchor = style.anchor();
        let dx = start_dx(anchor.h_pos, width);
        let dy = baseline_dy(anchor.v_pos, em);
        // Glyph cells map to pixels exactly only from a whole-pixel origin;
        // the remainder goes into the pen position along the text.
        let t = style.transform();
        let (ox, oy) = self.px(pos);
        let (ox, oy) = (f64::from(ox), f64::from(oy));
        let origin = (ox.round(), oy.round());
        let (rx, ry) = (ox - origin.0, oy - origin.1);
        let ((xx, xy), (yx, yy)) = frame_axes(&t);
        let pen = dx + rx * xx + ry * xy;
        let baseline = (dy + rx * yx + ry * yy).round() as i32;
        let rgba = rgba_of(color);
        let (ox, oy) = (origin.0 as i32, origin.1 as i32);
        glyphs::run(face, em as f32, s, pen as f32, |mask, pen_x, dy| {
            if self.past_deadline() {
                return;
            }
            self.blit(
                mask,
                |x, y| {
                    let (cx, cy) = rotate_cell(&t, pen_x + x, baseline + dy + y);
                    (ox + cx, oy + cy)
                },
                rgba,
            );
        });
        Ok(())
    }

    /// A transparent canvas of `width` x `height` pixels addressed in
    /// 1/`sub` pixel units; `None` when tiny-skia cannot allocate it.
    pub(crate) fn new(width: u32, height: u32, sub: u32) -> Option<SkiaBackend> {
        let sub = sub.max(1);
        Some(SkiaBackend {
            pixmap: Pixmap::new(width, height)?,
            sub,
            unit: 1.0 / sub as f32,
            deadline: None,
            stamps: Some(Stamps::default()),
        })
    }

    /// Draws every marker directly instead of stamping it.
    #[cfg(test)]
    pub(crate) fn without_stamps(mut self) -> SkiaBackend {
        self.stamps = None;
        self
    }

    #[cfg(test)]
    pub(crate) fn pixmap_mut(&mut self) -> &mut Pixmap {
        &mut self.pixmap
    }

    #[cfg(test)]
    pub(crate) fn stamps_reused(&self) -> usize {
        self.stamps.as_ref().map_or(0, Stamps::reused)
    }

    /// Bytes the stamp cache holds and whether it filled up.
    #[cfg(test)]
    pub(crate) fn stamp_bytes(&self) -> (usize, bool) {
        self.stamps.as_ref().map_or((0, false), Stamps::bytes)
    }

    /// Stops long drawing calls part-way once `deadline` has passed.
    pub(crate) fn with_deadline(mut self, deadline: Instant) -> SkiaBackend {
        self.deadline = Some(deadline);
        self
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() > d)
    }

    pub(crate) fn into_pixmap(self) -> Pixmap {
        self.pixmap
    }

    fn px(&self, (x, y): BackendCoord) -> (f32, f32) {
        (x as f32 * self.unit, y as f32 * self.unit)
    }

    fn path(&self, points: impl IntoIterator<Item = BackendCoord>, close: bool) -> Option<Path> {
        let mut pb = PathBuilder::new();
        for (i, p) in points.into_iter().enumerate() {
            let (x, y) = self.px(p);
            if i == 0 {
                pb.move_to(x, y);
            } else {
                pb.line_to(x, y);
            }
        }
        if close {
            pb.close();
        }
        pb.finish()
    }

    /// Fills a polygon of many vertices (a dense area chart) strip by strip.
    /// tiny-skia's coverage runs slow down with every edge crossing a scanline
    /// of the path's bounds, so one 20,000-vertex area took seconds; clipped
    /// to narrow vertical strips, each fill sees only its own edges. Strips
    /// meet on whole device pixels, where neither side has partial coverage,
    /// so no seam shows even in translucent fills.
    fn fill_in_strips(&mut self, vert: &[BackendCoord], color: BackendColor) {
        let pts: Vec<Pt> = vert
            .iter()
            .map(|&c| {
                let (x, y) = self.px(c);
                pt(f64::from(x), f64::from(y))
            })
            .collect();
        let (mut l, mut t, mut r, mut b) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in &pts {
            (l, t, r, b) = (l.min(p.x), t.min(p.y), r.max(p.x), b.max(p.y));
        }
        let mut x0 = l.floor();
        while x0 < r && !self.past_deadline() {
            let strip = Box2::new(x0, t, x0 + STRIP_WIDTH, b);
            let piece = clip_polygon(&pts, &strip);
            if piece.len() >= 3 {
                let mut pb = PathBuilder::new();
                pb.move_to(piece[0].x as f32, piece[0].y as f32);
                for p in &piece[1..] {
                    pb.line_to(p.x as f32, p.y as f32);
                }
                pb.close();
                self.fill_path(pb.finish(), color);
            }
            x0 += STRIP_WIDTH;
        }
    }

    /// A canvas stroke `width` backend units wide.
    fn line(&self, width: u32) -> Stroke {
        stamp::stroke_of(width as f32 * self.unit)
    }

    fn stroke(&mut self, path: Option<Path>, style: &impl BackendStyle) {
        let color = style.color();
        if let (Some(path), true) = (path, color.alpha > 0.0) {
            let stroke = self.line(style.stroke_width());
            let paint = paint(color);
            self.pixmap
                .stroke_path(&path, &paint, &stroke, Transform::identity(), None);
        }
    }

    fn fill_path(&mut self, path: Option<Path>, color: BackendColor) {
        if let (Some(path), true) = (path, color.alpha > 0.0) {
            let paint = paint(color);
            self.pixmap.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    /// Draws a circle small enough to be a point marker, filled or stroked
    /// `stroke` units wide, from its stamp when it has one (see `stamp`);
    /// `false` when it is too big to be treated as a marker.
    fn marker(
        &mut self,
        center: BackendCoord,
        radius: u32,
        stroke: Option<u32>,
        color: BackendColor,
    ) -> bool {
        let (r, w) = (
            radius as f32 * self.unit,
            stroke.map(|w| w as f32 * self.unit),
        );
        let reach = stamp::Geometry::reach(r, w);
        if 2 * reach + 1 > stamp::MAX_SIDE {
            return false;
        }
        let sub = self.sub as i32;
        let (ax, ay) = (center.0.div_euclid(sub), center.1.div_euclid(sub));
        let phase = (center.0.rem_euclid(sub), center.1.rem_euclid(sub));
        let (cw, ch) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        if ax + reach < 0 || ay + reach < 0 || ax - reach >= cw || ay - reach >= ch {
            return true; // wholly off the canvas
        }
        let paint = paint(color);
        let geometry = || {
            let at = (phase.0 as f32 * self.unit, phase.1 as f32 * self.unit);
            stamp::circle(at, r, w)
        };
        let inside = ax >= reach && ay >= reach && ax + reach < cw && ay + reach < ch;
        if let (true, Some(stamps)) = (inside, &mut self.stamps) {
            let (c, a) = (color.rgb, alpha8(color.alpha));
            let key = stamp::Key {
                radius,
                stroke,
                rgba: [c.0, c.1, c.2, a],
                phase: (phase.0 as u32, phase.1 as u32),
            };
            let made = stamps.get(key, || geometry()?.stamp(&paint, key.rgba, reach));
            if let Some(made) = made {
                stamp::composite(&mut self.pixmap, made, ax, ay);
                return true;
            }
        }
        if let Some(g) = geometry() {
            g.draw(&mut self.pixmap, &paint, ax, ay);
        }
        true
    }

    fn blit(&mut self, mask: &Mask, cell: impl Fn(i32, i32) -> (i32, i32), rgba: [u32; 4]) {
        let (w, h) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        let data = self.pixmap.data_mut();
        for (row, line) in mask.rows().enumerate() {
            for (col, &c) in line.iter().enumerate().filter(|(_, c)| **c > 0) {
                let (x, y) = cell(mask.left + col as i32, mask.top + row as i32);
                if x >= 0 && y >= 0 && x < w && y < h {
                    let i = (y * w + x) as usize * 4;
                    match &mask.color {
                        // A color glyph keeps its colors; the text's alpha
                        // fades it, as a canvas's fill alpha does.
                        Some(color) => {
                            let at = (row * mask.width + col) * 4;
                            let px: [u8; 4] = std::array::from_fn(|k| {
                                div255(u32::from(color[at + k]) * rgba[3]) as u8
                            });
                            stamp::over(&mut data[i..i + 4], px);
                        }
                        None => blend(&mut data[i..i + 4], rgba, u32::from(c)),
                    }
                }
            }
        }
    }
}

fn paint(c: BackendColor) -> Paint<'static> {
    let mut p = Paint::default();
    let (r, g, b) = c.rgb;
    p.set_color_rgba8(r, g, b, alpha8(c.alpha));
    p.anti_alias = true;
    p
}

/// A text color as `blit` takes it: straight RGBA, alpha in 0-255.
fn rgba_of(c: BackendColor) -> [u32; 4] {
    let (r, g, b) = c.rgb;
    [r, g, b, alpha8(c.alpha)].map(u32::from)
}

/// How far below a text's anchor its baseline runs, for an `em` size.
fn baseline_dy(anchor: VPos, em: f64) -> f64 {
    match anchor {
        VPos::Top => em * TOP_BASELINE_EM,
        VPos::Center => em * X_HEIGHT_EM / 2.0,
        VPos::Bottom => -em * X_HEIGHT_EM / 2.0,
    }
}

/// Where a text `width` wide starts relative to its anchor point.
fn start_dx(anchor: HPos, width: f64) -> f64 {
    match anchor {
        HPos::Left => 0.0,
        HPos::Center => -width / 2.0,
        HPos::Right => -width,
    }
}

fn alpha8(a: f64) -> u8 {
    (a.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// x / 255, rounded, for x up to 255 * 255.
fn div255(x: u32) -> u32 {
    (x + 128 + ((x + 128) >> 8)) >> 8
}

/// Source-over of `rgba` (straight alpha) at coverage `c` onto a
/// premultiplied pixel.
fn blend(dst: &mut [u8], [r, g, b, a]: [u32; 4], c: u32) {
    let sa = div255(a * c);
    if sa == 0 {
        return;
    }
    let keep = 255 - sa;
    for (d, s) in dst
        .iter_mut()
        .zip([div255(r * sa), div255(g * sa), div255(b * sa), sa])
    {
        *d = (s + div255(u32::from(*d) * keep)).min(255) as u8;
    }
}

/// Where glyph cell (x, y) of a text frame rotated by `t` lands, relative to
/// the frame origin: plotters rotates text in quarter turns only.
fn rotate_cell(t: &FontTransform, x: i32, y: i32) -> (i32, i32) {
    match t {
        FontTransform::None => (x, y),
        FontTransform::Rotate90 => (-y - 1, x),
        FontTransform::Rotate180 => (-x - 1, -y - 1),
        FontTransform::Rotate270 => (y, -x - 1),
    }
}

/// Device directions of a rotated frame's x and y axes.
fn frame_axes(t: &FontTransform) -> ((f64, f64), (f64, f64)) {
    match t {
        FontTransform::None => ((1.0, 0.0), (0.0, 1.0)),
        FontTransform::Rotate90 => ((0.0, 1.0), (-1.0, 0.0)),
        FontTransform::Rotate180 => ((-1.0, 0.0), (0.0, -1.0)),
        FontTransform::Rotate270 => ((0.0, -1.0), (1.0, 0.0)),
    }
}

impl Canvas for SkiaBackend {
    fn text(&mut self, s: &str, style: &TextStyle, at: BackendCoord) -> Result {
        self.text_in(s, style.face, style, at)
    }

    /// Glyphs along the turned lines, from the glyph cache's turned masks
    /// (`glyphs::run_turned`), blended as upright text is.
    fn texts_turned(&mut self, texts: &[(&str, BackendCoord)], style: &TextStyle, angle: f64) {
        let em = (style.em * f64::from(self.unit)) as f32;
        if style.color.alpha <= 0.0 || em <= 0.0 || self.past_deadline() {
            return;
        }
        let font = canvas2d::Font {
            face: style.face,
            px: em,
        };
        let (ascent, descent) = font.em_box();
        let rgba = rgba_of(style.color);
        let turn = -angle as f32;
        for &(s, at) in texts {
            let dx = start_dx(style.anchor.h_pos, f64::from(font.width(s))) as f32;
            let shift = (dx, (ascent - descent) / 2.0);
            glyphs::run_turned(style.face, em, turn, s, self.px(at), shift, |mask, x, y| {
                self.blit(mask, |cx, cy| (x + cx, y + cy), rgba);
            });
        }
    }

    /// The glyphs' outlines, narrowed and placed by one transform and filled
    /// as one path: masks are cached per size, not per squeeze.
    fn text_squeezed(&mut self, s: &str, style: &TextStyle, at: BackendCoord, length: f64) {
        let em = style.em * f64::from(self.unit);
        if style.color.alpha <= 0.0 || em <= 0.0 || s.is_empty() || self.past_deadline() {
            return;
        }
        let font = canvas2d::Font {
            face: style.face,
            px: em as f32,
        };
        let width = length * f64::from(self.unit);
        let squeeze = width / f64::from(font.width(s)).max(f64::MIN_POSITIVE);
        let (u, v) = (
            start_dx(style.anchor.h_pos, width),
            baseline_dy(style.anchor.v_pos, em),
        );
        let ((xx, xy), (yx, yy)) = frame_axes(&style.transform);
        let (ox, oy) = self.px(at);
        // Text coordinates (along the line, across it) to device pixels:
        // the frame's transpose, as `rotate_cell` turns mask cells.
        let place = Transform::from_row(
            (xx * squeeze) as f32,
            (xy * squeeze) as f32,
            yx as f32,
            yy as f32,
            ox + (xx * u + yx * v) as f32,
            oy + (xy * u + yy * v) as f32,
        );
        let mut pb = PathBuilder::new();
        let mut color = Vec::new();
        font.outline(s, place, &mut pb, &mut color);
        self.fill_path(pb.finish(), style.color);
        fonts::draw_color_glyphs(
            &color,
            &mut self.pixmap.as_mut(),
            style.color.alpha as f32,
            None,
        );
    }

    fn fill_shade(&mut self, coords: &[BackendCoord], shade: &Shade, k: f64) {
        if let Some(path) = self.path(coords.iter().copied(), true) {
            shade::fill(&mut self.pixmap, &path, shade, (k as f32) * self.unit);
        }
    }

    fn stroke_shade(&mut self, coords: &[BackendCoord], width: u32, shade: &Shade, k: f64) {
        if let Some(path) = self.path(coords.iter().copied(), false) {
            let stroke = self.line(width);
            shade::stroke(
                &mut self.pixmap,
                &path,
                &stroke,
                shade,
                (k as f32) * self.unit,
            );
        }
    }
}

impl DrawingBackend for SkiaBackend {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        (
            self.pixmap.width().saturating_mul(self.sub),
            self.pixmap.height().saturating_mul(self.sub),
        )
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        let (x, y) = self.px(point);
        if let Some(r) = Rect::from_xywh(x, y, self.unit, self.unit) {
            self.fill_path(Some(PathBuilder::from_rect(r)), color);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        s: &S,
    ) -> Result {
        let path = self.path([from, to], false);
        self.stroke(path, s);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        let ((x0, y0), (x1, y1)) = (self.px(upper_left), self.px(bottom_right));
        let rect = Rect::from_ltrb(x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1));
        let path = rect.map(PathBuilder::from_rect);
        if fill {
            self.fill_path(path, style.color());
        } else {
            self.stroke(path, style);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        let (width, color) = (style.stroke_width() as f32 * self.unit, style.color());
        if color.alpha <= 0.0 {
            return Ok(());
        }
        let solid = paint(color);
        let points: Vec<BackendCoord> = path.into_iter().collect();
        let px: Vec<(f32, f32)> = points.iter().map(|&p| self.px(p)).collect();
        if let (&[a, b], true) = (&px[..], width == 1.0) {
            if rule::draw(&mut self.pixmap, a, b, &solid) {
                return Ok(());
            }
        }
        if stroke::draw(&mut self.pixmap, &px, width, &solid, self.deadline) {
            return Ok(());
        }
        // tiny-skia's antialiasing coverage runs get slower with every edge
        // that crosses a scanline of the path's bounds: one stroke of 20,000
        // dense points took seconds. Stroked in pieces (sharing their end
        // points, so the line stays unbroken), each piece covers a narrow
        // box and the whole line draws in linear time.
        let mut start = 0;
        while start + 1 < points.len() && !self.past_deadline() {
            let end = (start + STROKE_PIECE).min(points.len() - 1);
            let piece = self.path(points[start..=end].iter().copied(), false);
            self.stroke(piece, style);
            start = end;
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        let stroke = (!fill).then(|| style.stroke_width());
        if style.color().alpha <= 0.0 || self.marker(center, radius, stroke, style.color()) {
            return Ok(());
        }
        let (x, y) = self.px(center);
        let path = PathBuilder::from_circle(x, y, radius as f32 * self.unit);
        if fill {
            self.fill_path(path, style.color());
        } else {
            self.stroke(path, style);
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        let vert: Vec<BackendCoord> = vert.into_iter().collect();
        if vert.len() <= STRIP_MIN_VERTICES {
            let path = self.path(vert, true);
            self.fill_path(path, style.color());
        } else {
            self.fill_in_strips(&vert, style.color());
        }
        Ok(())
    }

    /// Rasterizes glyph masks directly: the same anchor rules as plotters'
    /// SVG backend, so PNG and SVG text sit in the same place.
    fn draw_text<T: BackendTextStyle>(&mut self, s: &str, style: &T, pos: BackendCoord) -> Result {
        self.text_in(s, text::face_of(style), style, pos)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        s: &str,
        style: &T,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let em = style.size() / PLOTTERS_SIZE_RATIO;
        let w = text::width(text::face_of(style), em, s);
        Ok((w.ceil() as u32, em.ceil() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters_backend::BackendColor;

    const BLUE: BackendColor = BackendColor {
        alpha: 1.0,
        rgb: (0, 0, 255),
    };

    #[test]
    fn diagonal_lines_are_antialiased() {
        let mut be = SkiaBackend::new(40, 40, 4).unwrap();
        be.draw_line((0, 0), (160, 120), &BLUE).unwrap();
        let alphas: Vec<u8> = be.pixmap.pixels().iter().map(|p| p.alpha()).collect();
        assert!(alphas.iter().any(|&a| a > 0 && a < 255));
    }

    #[test]
    fn text_lands_inside_its_anchor_box() {
        let mut be = SkiaBackend::new(100, 40, 4).unwrap();
        let style = text::TextStyle {
            face: super::super::fonts::Face::REGULAR,
            em: 48.0,
            color: BLUE,
            anchor: Default::default(),
            transform: FontTransform::None,
        };
        // A 12px top-anchored line at (10, 10): baseline at 19, the dot of
        // the 'i' reaching just above the anchor.
        be.draw_text("Hi", &style, (40, 40)).unwrap();
        let inked: Vec<(u32, u32)> = (0..40u32)
            .flat_map(|y| (0..100u32).map(move |x| (x, y)))
            .filter(|&(x, y)| be.pixmap.pixel(x, y).unwrap().alpha() > 0)
            .collect();
        assert!(!inked.is_empty());
        assert!(inked.iter().all(|&(x, y)| x >= 10 && (8..20).contains(&y)));
    }

    #[test]
    fn long_calls_stop_part_way_past_the_deadline() {
        let past = Instant::now() - std::time::Duration::from_millis(1);
        let zigzag: Vec<BackendCoord> = (0..10_000).map(|i| (i * 4, (i % 2) * 400)).collect();
        let mut be = SkiaBackend::new(100, 100, 4).unwrap().with_deadline(past);
        be.draw_path(zigzag.iter().copied(), &BLUE).unwrap();
        be.fill_polygon(zigzag.iter().copied(), &BLUE).unwrap();
        assert!(be.pixmap.pixels().iter().all(|p| p.alpha() == 0));
        // The same calls with time to spare draw.
        let mut be = SkiaBackend::new(100, 100, 4).unwrap();
        be.draw_path(zigzag.iter().copied(), &BLUE).unwrap();
        assert!(be.pixmap.pixels().iter().any(|p| p.alpha() > 0));
    }

    #[test]
    fn blend_keeps_premultiplied_invariant() {
        let mut px = [10, 20, 30, 40];
        blend(&mut px, [255, 0, 0, 128], 200);
        assert!(px[0] <= px[3] && px[1] <= px[3] && px[2] <= px[3]);
    }
}
