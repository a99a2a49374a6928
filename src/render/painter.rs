//! `Painter`: what chart code draws with. CSS-pixel geometry and spec colors
//! in, plotters `DrawingBackend` calls out, for any backend.
//!
//! It scales by the device pixel ratio and by the backend's sub-pixel units,
//! clips to the current clip rectangle (plotters' SVG backend has no clip
//! paths), splits dashed lines, places text on Chart.js-like line boxes and
//! checks the render deadline, so chart modules deal with none of that.

use super::clip;
use super::geom::{self, Pt, Rect};
use super::polyline::{self, Dashes};
use super::text::{TextStyle, TOP_BASELINE_EM};
use super::yielding;
use super::RenderError;
use crate::chart::spec::{Font, Rgba, Shade};
use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingBackend, FontTransform};
use std::time::Instant;

/// Backend units per device pixel: coordinates reach backends in 1/16
/// pixels, so curves, thin lines and sub-pixel bars keep their positions.
pub(crate) const SUBPIXELS: u32 = 16;

/// Where the baseline sits in a line box, in ems from its top: glyph ink
/// (cap height 0.73em, descenders 0.24em) then sits centered in 1.2em.
const LINE_BASELINE_EM: f64 = 0.88;

/// Paths are simplified to within this many device pixels before drawing.
const SIMPLIFY_PX: f64 = 0.1;

/// Coordinates beyond this many backend units are clamped; nothing visible
/// is that far out, and backends stay clear of integer overflow.
const COORD_LIMIT: f64 = (1 << 28) as f64;

/// A stroke in CSS pixels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'d> {
    pub(crate) color: Rgba,
    pub(crate) width: f64,
    /// On/off lengths, CSS pixels; empty for solid.
    pub(crate) dash: &'d [f64],
    /// A gradient or pattern stroked in place of `color`.
    pub(crate) shade: Option<&'d Shade>,
}

impl Line<'static> {
    pub(crate) fn solid(color: Rgba, width: f64) -> Line<'static> {
        Line {
            color,
            width,
            dash: &[],
            shade: None,
        }
    }
}

/// How text lines up with its anchor, along the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    Start,
    Center,
    End,
}

/// Text direction: plotters rotates text by quarter turns; any other angle
/// is `Painter::texts_turned`'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Turn {
    None,
    /// Reads bottom to top (a left axis title).
    Up,
    /// Reads top to bottom (a right-hand title).
    Down,
}

struct Style {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Style {
    fn color(&self) -> BackendColor {
        self.color
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

fn backend_color(c: Rgba) -> BackendColor {
    BackendColor {
        alpha: f64::from(c.3) / 255.0,
        rgb: (c.0, c.1, c.2),
    }
}

type Result = std::result::Result<(), RenderError>;

/// A plotters backend that can also fill with a gradient or a pattern,
/// which plotters' styles (one color) cannot say.
pub(crate) trait Canvas: DrawingBackend {
    /// Fills the polygon `coords` (backend units) with `shade`, whose
    /// geometry is in CSS pixels, `k` backend units each.
    fn fill_shade(&mut self, coords: &[BackendCoord], shade: &Shade, k: f64);

    /// Strokes the open polyline `coords` `width` backend units wide with
    /// `shade`, as `fill_shade` fills.
    fn stroke_shade(&mut self, coords: &[BackendCoord], width: u32, shade: &Shade, k: f64);

    /// Fills each text in `style` turned `angle` radians counter-clockwise
    /// about its point (backend units), where the text's start, center or
    /// end (the style's horizontal anchor) and the middle of its em box
    /// sit. Given together (an axis's labels), so a backend may fill them
    /// at once.
    fn texts_turned(&mut self, texts: &[(&str, BackendCoord)], style: &TextStyle, angle: f64);

    /// Fills `s` as `draw_text` does at `at`, narrowed along its line to
    /// `length` backend units about its anchor: a canvas's `fillText` with
    /// a `maxWidth` the text is wider than.
    fn text_squeezed(&mut self, s: &str, style: &TextStyle, at: BackendCoord, length: f64);

    /// `draw_text` in our own style, whose face (weight, slant, family)
    /// plotters' `FontStyle` cannot carry whole: it has no bold italic.
    fn text(
        &mut self,
        s: &str,
        style: &TextStyle,
        at: BackendCoord,
    ) -> std::result::Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>>;
}

/// Draws CSS-pixel shapes onto a plotters backend addressed in
/// `SUBPIXELS` units per device pixel.
pub(crate) struct Painter<'a, B: Canvas> {
    be: &'a mut B,
    dpr: f64,
    /// Backend units per CSS pixel.
    k: f64,
    clip: Option<Rect>,
    deadline: Instant,
}

impl<'a, B: Canvas> Painter<'a, B> {
    pub(crate) fn new(be: &'a mut B, dpr: f64, deadline: Instant) -> Self {
        Painter {
            be,
            dpr,
            k: dpr * f64::from(SUBPIXELS),
            clip: None,
            deadline,
        }
    }

    /// `Err(Timeout)` once the deadline has passed; called between steps.
    pub(crate) fn check_deadline(&self) -> Result {
        let now = Instant::now();
        if now > self.deadline {
            return Err(RenderError::Timeout);
        }
        yielding::checkpoint(now, self.deadline);
        Ok(())
    }

    /// Checks the deadline before every drawing call: one call can cover a
    /// whole 16 Mpx canvas, so checking every thousand calls let a render of
    /// big markers run 40 s past its deadline. A clock read (vDSO, tens of
    /// nanoseconds) is noise next to even the smallest call.
    fn call(&mut self) -> Result {
        self.check_deadline()
    }

    /// Shapes drawn from now on are cut to `clip` (text is never cut).
    pub(crate) fn set_clip(&mut self, clip: Option<Rect>) {
        self.clip = clip;
    }

    /// One device pixel in CSS pixels.
    pub(crate) fn hairline(&self) -> f64 {
        1.0 / self.dpr
    }

    /// `v` moved so that a line of `width` centered on it covers whole
    /// device pixels, as Chart.js aligns its grid lines.
    pub(crate) fn crisp(&self, v: f64, width: f64) -> f64 {
        let w = (width * self.dpr).round().max(1.0) / self.dpr;
        ((v - w / 2.0) * self.dpr).round() / self.dpr + w / 2.0
    }

    fn units(&self, p: Pt) -> (i32, i32) {
        units(self.k, p)
    }

    fn style(&self, c: Rgba, width: f64) -> Style {
        Style {
            color: backend_color(c),
            width: (width * self.k).round().max(1.0) as u32,
        }
    }

    fn fail<E: std::fmt::Display>(e: E) -> RenderError {
        RenderError::Invalid(format!("drawing failed: {e}"))
    }

    /// Strokes an open polyline.
    pub(crate) fn polyline(&mut self, pts: &[Pt], line: &Line) -> Result {
        self.call()?;
        if pts.len() < 2 || line.width <= 0.0 || line.color.3 == 0 {
            return Ok(());
        }
        // Dashes follow the line's length, which decimation would change.
        let dense = line
            .dash
            .is_empty()
            .then(|| polyline::decimate(pts, 1.0 / self.dpr))
            .flatten();
        let pts = polyline::simplify(dense.as_deref().unwrap_or(pts), SIMPLIFY_PX / self.dpr);
        let runs = match &self.clip {
            Some(c) => clip::clip_polyline(&pts, c),
            None => vec![pts],
        };
        let style = self.style(line.color, line.width);
        match Dashes::new(line.dash, self.hairline()) {
            Dashes::Hidden => Ok(()),
            Dashes::Solid => runs
                .iter()
                .try_for_each(|run| self.path(run, &style, line.shade)),
            Dashes::Pattern { lengths, starts_on } => runs.iter().try_for_each(|run| {
                polyline::each_dash(run, &lengths, starts_on, |piece| {
                    self.check_deadline()?;
                    self.path(piece, &style, line.shade)
                })
            }),
        }
    }

    fn path(&mut self, pts: &[Pt], style: &Style, shade: Option<&Shade>) -> Result {
        let k = self.k;
        let coords = pts.iter().map(move |p| units(k, *p));
        match shade {
            Some(shade) => {
                let coords: Vec<BackendCoord> = coords.collect();
                self.be.stroke_shade(&coords, style.width, shade, k);
                Ok(())
            }
            None => self.be.draw_path(coords, style).map_err(Self::fail),
        }
    }

    /// Strokes a closed outline; it starts and ends mid-edge so the seam
    /// is invisible with butt caps.
    pub(crate) fn outline(&mut self, pts: &[Pt], line: &Line) -> Result {
        if pts.len() < 2 {
            return Ok(());
        }
        let mid = pt_mid(pts[0], pts[1]);
        let mut ring = Vec::with_capacity(pts.len() + 2);
        ring.push(mid);
        ring.extend_from_slice(&pts[1..]);
        ring.push(pts[0]);
        ring.push(mid);
        self.polyline(&ring, line)
    }

    /// Fills a polygon.
    pub(crate) fn polygon(&mut self, pts: &[Pt], color: Rgba) -> Result {
        self.call()?;
        if color.3 == 0 {
            return Ok(());
        }
        let Some(coords) = self.fill_coords(pts) else {
            return Ok(());
        };
        let style = self.style(color, 0.0);
        self.be.fill_polygon(coords, &style).map_err(Self::fail)
    }

    /// Fills a polygon with `shade`, or with `color` when there is none.
    pub(crate) fn shaded(&mut self, pts: &[Pt], color: Rgba, shade: Option<&Shade>) -> Result {
        let Some(shade) = shade else {
            return self.polygon(pts, color);
        };
        self.call()?;
        if let Some(coords) = self.fill_coords(pts) {
            self.be.fill_shade(&coords, shade, self.k);
        }
        Ok(())
    }

    /// A polygon to fill in backend units: simplified, clipped; `None`
    /// when nothing of it is left to fill.
    fn fill_coords(&self, pts: &[Pt]) -> Option<Vec<BackendCoord>> {
        if pts.len() < 3 {
            return None;
        }
        let pts = polyline::simplify(pts, SIMPLIFY_PX / self.dpr);
        let pts = match &self.clip {
            Some(c) => clip::clip_polygon(&pts, c),
            None => pts,
        };
        (pts.len() >= 3).then(|| pts.iter().map(|p| self.units(*p)).collect())
    }

    /// Fills a rectangle.
    pub(crate) fn rect(&mut self, r: Rect, color: Rgba) -> Result {
        self.call()?;
        let r = match &self.clip {
            Some(c) => match r.intersect(c) {
                Some(r) => r,
                None => return Ok(()),
            },
            None => r,
        };
        if color.3 == 0 || r.w() <= 0.0 || r.h() <= 0.0 {
            return Ok(());
        }
        let style = self.style(color, 0.0);
        let (a, b) = (
            self.units(geom::pt(r.l, r.t)),
            self.units(geom::pt(r.r, r.b)),
        );
        self.be.draw_rect(a, b, &style, true).map_err(Self::fail)
    }

    /// A filled and stroked circle (the stroke centered on the radius).
    pub(crate) fn circle(&mut self, c: Pt, r: f64, fill: Rgba, line: &Line) -> Result {
        self.call()?;
        let reach = r + line.width;
        let visible = self.clip.is_none_or(|k| k.inset(-reach).contains(c));
        if r <= 0.0 || !visible {
            return Ok(());
        }
        let center = self.units(c);
        let radius = (r * self.k).round().max(1.0) as u32;
        if fill.3 > 0 {
            let style = self.style(fill, 0.0);
            self.be
                .draw_circle(center, radius, &style, true)
                .map_err(Self::fail)?;
        }
        if line.width > 0.0 && line.color.3 > 0 {
            let style = self.style(line.color, line.width);
            self.be
                .draw_circle(center, radius, &style, false)
                .map_err(Self::fail)?;
        }
        Ok(())
    }

    /// Draws one line of text. `at` is on the top edge of the text's line
    /// box (in the text's own frame: the left edge for `Turn::Up`), at its
    /// start, center or end as `align` says.
    pub(crate) fn text(
        &mut self,
        s: &str,
        font: &Font,
        at: Pt,
        align: Align,
        turn: Turn,
    ) -> Result {
        self.call()?;
        if s.is_empty() || font.size <= 0.0 || font.color.3 == 0 {
            return Ok(());
        }
        let (anchor, transform) = self.anchor(font, at, turn);
        let style = self.text_style(font, align, VPos::Top, transform);
        let pos = self.units(anchor);
        self.be.text(s, &style, pos).map_err(Self::fail)
    }

    /// `text`, narrowed to `max_w` CSS pixels when it is wider, as Chart.js
    /// passes a title's box width to `fillText` as its `maxWidth`.
    pub(crate) fn text_within(
        &mut self,
        s: &str,
        font: &Font,
        at: Pt,
        (align, turn): (Align, Turn),
        max_w: f64,
    ) -> Result {
        let width = super::text::measure(font, s);
        if width <= max_w || width <= 0.0 {
            return self.text(s, font, at, align, turn);
        }
        self.call()?;
        if font.size <= 0.0 || font.color.3 == 0 {
            return Ok(());
        }
        let (anchor, transform) = self.anchor(font, at, turn);
        let style = self.text_style(font, align, VPos::Top, transform);
        let pos = self.units(anchor);
        self.be
            .text_squeezed(s, &style, pos, max_w.max(0.0) * self.k);
        Ok(())
    }

    /// Where the backend anchors text whose line's top is at `at`, and how
    /// it turns it.
    fn anchor(&self, font: &Font, at: Pt, turn: Turn) -> (Pt, FontTransform) {
        let off = (LINE_BASELINE_EM - TOP_BASELINE_EM) * font.size;
        match turn {
            Turn::None => (geom::pt(at.x, at.y + off), FontTransform::None),
            Turn::Up => (geom::pt(at.x + off, at.y), FontTransform::Rotate270),
            Turn::Down => (geom::pt(at.x - off, at.y), FontTransform::Rotate90),
        }
    }

    /// `font` as a backend's text style, anchored by `align` along the text
    /// and `v_pos` across it.
    fn text_style(
        &self,
        font: &Font,
        align: Align,
        v_pos: VPos,
        transform: FontTransform,
    ) -> TextStyle {
        let h_pos = match align {
            Align::Start => HPos::Left,
            Align::Center => HPos::Center,
            Align::End => HPos::Right,
        };
        TextStyle {
            face: super::text::face_of_font(font),
            em: font.size * self.k,
            color: backend_color(font.color),
            anchor: Pos::new(h_pos, v_pos),
            transform,
        }
    }

    /// Texts in `font`, each turned `angle` radians counter-clockwise about
    /// its point, which is the middle of its em box there, not a line box's
    /// top (Chart.js's rotated tick labels: `textBaseline = 'middle'`),
    /// drawn together. Written as a quarter turn where only those exist
    /// (SVG, whose writer turns it further).
    pub(crate) fn texts_turned(
        &mut self,
        texts: &[(&str, Pt)],
        font: &Font,
        align: Align,
        angle: f64,
    ) -> Result {
        self.call()?;
        if font.size <= 0.0 || font.color.3 == 0 {
            return Ok(());
        }
        let style = self.text_style(font, align, VPos::Center, FontTransform::Rotate270);
        let placed: Vec<(&str, BackendCoord)> = texts
            .iter()
            .filter(|(s, _)| !s.is_empty())
            .map(|&(s, at)| (s, self.units(at)))
            .collect();
        self.be.texts_turned(&placed, &style, angle);
        Ok(())
    }
}

/// `p` in backend units, at `k` units per CSS pixel.
fn units(k: f64, p: Pt) -> (i32, i32) {
    let u = |v: f64| (v * k).round().clamp(-COORD_LIMIT, COORD_LIMIT) as i32;
    (u(p.x), u(p.y))
}

fn pt_mid(a: Pt, b: Pt) -> Pt {
    geom::pt((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)
}
