//! The replay's SVG surface: the same recording the raster surface draws,
//! written as an SVG document, so `format=svg` works for charts Chart.js
//! draws too. Fills are paths in device pixels; strokes keep the user
//! space they were stroked in (`transform`), so widths and dashes scale as
//! in a browser; clips are `<clipPath>`s, each nested one clipped by the
//! one before (an intersection, as `clip()` narrows); gradients and
//! patterns are paint servers in the user space of the call that used
//! them. Text is `<text>` in the faces' family names, placed where the
//! raster surface places it (alignment and baseline from the same
//! metrics), shaped by the viewer, as the native renderer's SVG is.

use super::font::Font;
use super::replay::{self, Geometry, Ink, Style, Surface};
use crate::chart::spec::{Output, Rgba, TileOp};
use crate::render::fonts;
use crate::render::svg::{opacity, svg_color, tile_op, xml_text};
use crate::render::RenderError;
use crate::script::chartjs::Recording;
use std::collections::HashMap;
use std::fmt::Write;
use std::time::Instant;
use tiny_skia::{FillRule, LineCap, LineJoin, Path, PathSegment, Transform};

/// The default of `render.max_svg_bytes`, for threads the pool has not
/// bounded (tests, benches).
const MAX_BYTES: usize = 16 << 20;

thread_local! {
    /// This thread's bound on one document: `render.max_svg_bytes` on
    /// render threads (set by the pool).
    static BOUND: std::cell::Cell<usize> = const { std::cell::Cell::new(MAX_BYTES) };
}

/// Bounds the SVG documents written on the calling thread to `bytes`.
pub(crate) fn set_max_svg_bytes(bytes: usize) {
    BOUND.with(|b| b.set(bytes));
}

/// Writes `rec` as an SVG document for `out`, giving up at `deadline`, or
/// past `render.max_svg_bytes`.
pub(crate) fn svg(rec: &Recording, out: &Output, deadline: Instant) -> Result<String, RenderError> {
    let (w, h) = out.pixel_size();
    let mut doc = Svg {
        size: (w as f32, h as f32),
        bound: BOUND.with(|b| b.get()),
        ..Svg::default()
    };
    replay::run(rec, &mut doc, deadline)?;
    Ok(doc.finish(out))
}

#[derive(Default)]
struct Svg {
    /// The canvas in device pixels: the `viewBox`.
    size: (f32, f32),
    defs: String,
    body: String,
    /// The clip of the `<g>` left open in `body`: elements in a row under
    /// one clip share a group.
    group: Option<usize>,
    clips: usize,
    /// Paint servers written, by style and the transform they were used
    /// in: a gradient used for every bar is defined once.
    paints: HashMap<(Paint, [u32; 6]), usize>,
    /// Each pattern's tile: its side and its content.
    tiles: Vec<(u32, String)>,
    /// Most bytes `defs` and `body` may hold together.
    bound: usize,
}

/// A paint server's source: a gradient or a pattern tile, by index.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Paint {
    Gradient(usize),
    Tile(usize),
}

impl Surface for Svg {
    /// A `<clipPath>`'s number.
    type Clip = usize;
    /// An index into `tiles`.
    type Tile = usize;

    fn fill(&mut self, path: &Path, rule: FillRule, ink: Ink<'_, Self>) {
        let mut attrs = String::new();
        if !self.paint(&mut attrs, &ink, Transform::identity()) {
            return;
        }
        if rule == FillRule::EvenOdd {
            attrs.push_str(" fill-rule=\"evenodd\"");
        }
        self.group(ink.state.clip);
        self.body.push_str("<path d=\"");
        path_data(&mut self.body, path);
        let _ = write!(self.body, "\"{attrs}/>");
    }

    fn stroke(&mut self, path: &Path, ink: Ink<'_, Self>) {
        let s = ink.state;
        let t = s.transform;
        let Some(user) = t.invert().and_then(|inv| path.clone().transform(inv)) else {
            return;
        };
        let mut attrs = String::from(" fill=\"none\"");
        if !self.paint(&mut attrs, &ink, t) {
            return;
        }
        line_attrs(&mut attrs, &ink);
        self.group(s.clip);
        self.body.push_str("<path d=\"");
        path_data(&mut self.body, &user);
        self.body.push('"');
        matrix(&mut self.body, t);
        let _ = write!(self.body, "{attrs}/>");
    }

    /// Chart.js clears its whole canvas before it draws: what was written
    /// goes. A smaller clear has nothing to show through to in a document
    /// drawn over its background and is left out.
    fn clear(&mut self, path: &Path, clip: Option<&usize>) {
        let b = path.bounds();
        let (w, h) = self.size;
        let whole = b.left() <= 0.0 && b.top() <= 0.0 && b.right() >= w && b.bottom() >= h;
        if whole && clip.is_none() {
            self.body.clear();
            self.group = None;
        }
    }

    /// A `<clipPath>` clipped by the one before: SVG intersects them.
    fn clip(&mut self, clip: Option<&usize>, path: Option<&Path>, rule: FillRule) -> Option<usize> {
        let id = self.clips;
        self.clips += 1;
        let _ = write!(self.defs, "<clipPath id=\"chartgate-clip-{id}\"");
        if let Some(outer) = clip {
            let _ = write!(self.defs, " clip-path=\"url(#chartgate-clip-{outer})\"");
        }
        self.defs.push('>');
        if let Some(p) = path {
            self.defs.push_str("<path d=\"");
            path_data(&mut self.defs, p);
            self.defs.push('"');
            if rule == FillRule::EvenOdd {
                self.defs.push_str(" clip-rule=\"evenodd\"");
            }
            self.defs.push_str("/>");
        }
        self.defs.push_str("</clipPath>");
        Some(id)
    }

    fn text(&mut self, text: &str, font: Font, at: Transform, ink: Ink<'_, Self>) {
        let text = xml_text(text);
        if text.trim().is_empty() {
            return;
        }
        let mut attrs = String::new();
        if ink.stroking {
            attrs.push_str(" fill=\"none\"");
        }
        if !self.paint(&mut attrs, &ink, at) {
            return;
        }
        if ink.stroking {
            line_attrs(&mut attrs, &ink);
        }
        self.group(ink.state.clip);
        self.body.push_str("<text");
        matrix(&mut self.body, at);
        self.body.push_str(" font-family=\"");
        escape(&mut self.body, fonts::set().svg_family(font.face));
        let _ = write!(self.body, "\" font-size=\"{}\"", font.px);
        if font.face.bold {
            self.body.push_str(" font-weight=\"bold\"");
        }
        if font.face.italic {
            self.body.push_str(" font-style=\"italic\"");
        }
        let _ = write!(self.body, "{attrs}>");
        escape(&mut self.body, &text);
        self.body.push_str("</text>");
    }

    fn over(&self) -> Option<String> {
        (self.defs.len() + self.body.len() > self.bound).then(|| {
            format!(
                "this chart's SVG would be larger than render.max_svg_bytes ({} bytes): \
                 ask for format=png",
                self.bound
            )
        })
    }

    /// The tile's content, written into a `<pattern>` for each transform
    /// it is painted in.
    fn tile(&mut self, ops: &[TileOp], px: u32) -> Option<usize> {
        let content = ops.iter().map(tile_op).collect();
        self.tiles.push((px, content));
        Some(self.tiles.len() - 1)
    }
}

impl Svg {
    /// Writes ` fill="…"` (` stroke="…"` when `ink` strokes) and its
    /// opacity into `attrs`, for an element drawn in the user space
    /// `element` maps to device pixels; `false` when the style paints
    /// nothing (a gradient with no stops).
    fn paint(&mut self, attrs: &mut String, ink: &Ink<'_, Self>, element: Transform) -> bool {
        let attr = if ink.stroking { "stroke" } else { "fill" };
        let alpha = ink.state.alpha;
        let (server, opacity) = match ink.style() {
            Style::Solid(c) => return solid(attrs, attr, *c, alpha),
            Style::Gradient(id) => match ink.gradients[*id].stops.as_slice() {
                [] => return false,
                [(_, c)] => return solid(attrs, attr, *c, alpha),
                _ => (Paint::Gradient(*id), alpha),
            },
            Style::Pattern(tile) => (Paint::Tile(*tile), alpha),
        };
        // The paint is in the canvas's user space at the call; the
        // element's user space is `element`'s.
        let Some(to_element) = element.invert() else {
            return false;
        };
        let t = to_element.pre_concat(ink.state.transform);
        let id = self.server(server, t, ink);
        let _ = write!(attrs, " {attr}=\"url(#chartgate-paint-{id})\"");
        if opacity < 1.0 {
            let _ = write!(attrs, " {attr}-opacity=\"{opacity}\"");
        }
        true
    }

    /// The number of `paint`'s server in transform `t`, defined on first use.
    fn server(&mut self, paint: Paint, t: Transform, ink: &Ink<'_, Self>) -> usize {
        let bits = [t.sx, t.ky, t.kx, t.sy, t.tx, t.ty].map(f32::to_bits);
        let next = self.paints.len();
        let id = *self.paints.entry((paint, bits)).or_insert(next);
        if id != next {
            return id;
        }
        let d = &mut self.defs;
        match paint {
            Paint::Gradient(g) => {
                let g = &ink.gradients[g];
                let _ = match g.geometry {
                    Geometry::Linear([x1, y1, x2, y2]) => write!(
                        d,
                        "<linearGradient id=\"chartgate-paint-{id}\" gradientUnits=\"userSpaceOnUse\" \
                         x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\""
                    ),
                    Geometry::Radial([fx, fy, fr, cx, cy, r]) => write!(
                        d,
                        "<radialGradient id=\"chartgate-paint-{id}\" gradientUnits=\"userSpaceOnUse\" \
                         cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fx=\"{fx}\" fy=\"{fy}\" fr=\"{fr}\""
                    ),
                };
                matrix_attr(d, "gradientTransform", t);
                d.push('>');
                for (o, c) in g.sorted_stops() {
                    let _ = write!(
                        d,
                        "<stop offset=\"{o}\" stop-color=\"{}\" stop-opacity=\"{}\"/>",
                        svg_color(c),
                        opacity(c)
                    );
                }
                d.push_str(match g.geometry {
                    Geometry::Linear(_) => "</linearGradient>",
                    Geometry::Radial(_) => "</radialGradient>",
                });
            }
            Paint::Tile(tile) => {
                let (px, content) = &self.tiles[tile];
                let _ = write!(
                    d,
                    "<pattern id=\"chartgate-paint-{id}\" patternUnits=\"userSpaceOnUse\" \
                     width=\"{px}\" height=\"{px}\""
                );
                matrix_attr(d, "patternTransform", t);
                let _ = write!(d, ">{content}</pattern>");
            }
        }
        id
    }

    /// Puts what follows under `clip`: closes the open group when its
    /// clip differs, opens one for `clip`.
    fn group(&mut self, clip: Option<usize>) {
        if self.group == clip {
            return;
        }
        if self.group.is_some() {
            self.body.push_str("</g>");
        }
        if let Some(id) = clip {
            let _ = write!(self.body, "<g clip-path=\"url(#chartgate-clip-{id})\">");
        }
        self.group = clip;
    }

    fn finish(mut self, out: &Output) -> String {
        self.group(None);
        let (w, h) = self.size;
        let mut doc = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" \
             viewBox=\"0 0 {w} {h}\" xml:space=\"preserve\">",
            out.width.max(1),
            out.height.max(1)
        );
        if !self.defs.is_empty() {
            let _ = write!(doc, "<defs>{}</defs>", self.defs);
        }
        let bg = out.background;
        if bg.3 > 0 {
            let _ = write!(doc, "<rect width=\"{w}\" height=\"{h}\"");
            solid(&mut doc, "fill", bg, 1.0);
            doc.push_str("/>");
        }
        doc.push_str(&self.body);
        doc.push_str("</svg>\n");
        doc
    }
}

/// ` {attr}="#RRGGBB"` and its opacity, faded by `alpha`; `false` for a
/// color that shows nothing.
fn solid(attrs: &mut String, attr: &str, c: Rgba, alpha: f32) -> bool {
    let a = opacity(c) * f64::from(alpha);
    if a <= 0.0 {
        return false;
    }
    let _ = write!(attrs, " {attr}=\"{}\"", svg_color(c));
    if a < 1.0 {
        let _ = write!(attrs, " {attr}-opacity=\"{}\"", round(a as f32, 1000.0));
    }
    true
}

/// Width, caps, joins and dashes, where they differ from SVG's defaults
/// (which are the canvas's, but for `miter` 4 against 10).
fn line_attrs(attrs: &mut String, ink: &Ink<'_, Svg>) {
    let s = ink.state;
    let _ = write!(attrs, " stroke-width=\"{}\"", round(s.line_width, 1000.0));
    match s.cap {
        LineCap::Round => attrs.push_str(" stroke-linecap=\"round\""),
        LineCap::Square => attrs.push_str(" stroke-linecap=\"square\""),
        LineCap::Butt => {}
    }
    match s.join {
        LineJoin::Round => attrs.push_str(" stroke-linejoin=\"round\""),
        LineJoin::Bevel => attrs.push_str(" stroke-linejoin=\"bevel\""),
        _ => {
            let _ = write!(attrs, " stroke-miterlimit=\"{}\"", s.miter);
        }
    }
    if !s.dash.is_empty() {
        attrs.push_str(" stroke-dasharray=\"");
        for (i, v) in s.dash.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            let _ = write!(attrs, "{sep}{}", round(*v, 100.0));
        }
        let _ = write!(
            attrs,
            "\" stroke-dashoffset=\"{}\"",
            round(s.dash_offset, 100.0)
        );
    }
}

/// A path's `d`, in hundredths of a pixel.
fn path_data(out: &mut String, path: &Path) {
    let pt = |out: &mut String, cmd: char, ps: &[tiny_skia::Point]| {
        out.push(cmd);
        for (i, p) in ps.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            let _ = write!(out, "{sep}{} {}", round(p.x, 100.0), round(p.y, 100.0));
        }
    };
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(p) => pt(out, 'M', &[p]),
            PathSegment::LineTo(p) => pt(out, 'L', &[p]),
            PathSegment::QuadTo(a, p) => pt(out, 'Q', &[a, p]),
            PathSegment::CubicTo(a, b, p) => pt(out, 'C', &[a, b, p]),
            PathSegment::Close => out.push('Z'),
        }
    }
}

/// ` transform="matrix(…)"`, or nothing for the identity.
fn matrix(out: &mut String, t: Transform) {
    matrix_attr(out, "transform", t);
}

fn matrix_attr(out: &mut String, attr: &str, t: Transform) {
    if t.is_identity() {
        return;
    }
    let k = 10_000.0;
    let _ = write!(
        out,
        " {attr}=\"matrix({} {} {} {} {} {})\"",
        round(t.sx, k),
        round(t.ky, k),
        round(t.kx, k),
        round(t.sy, k),
        round(t.tx, k),
        round(t.ty, k)
    );
}

/// `v` to the nearest 1/`k`: shorter documents, drawn the same.
fn round(v: f32, k: f32) -> f32 {
    let r = (v * k).round() / k;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Text and attribute values with XML's five special characters escaped.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}
