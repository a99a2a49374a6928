//! Replays a recording of Canvas 2D calls (`script::chartjs::Recording`)
//! on a pixmap. The opcodes are those `src/script/hosts/chartjs.js` writes;
//! keep the two lists in step.

use super::font::Font;
use super::path::CanvasPath;
use crate::chart::color::parse_color;
use crate::chart::spec::{PathCmd, TileOp};
use crate::render::fonts;
use crate::render::shade::{color, draw_tile};
use crate::render::RenderError;
use crate::script::chartjs::Recording;
use std::rc::Rc;
use std::time::Instant;
use tiny_skia::{
    BlendMode, Color, FillRule, FilterQuality, GradientStop, LineCap, LineJoin, LinearGradient,
    Mask, Paint, Path, PathBuilder, Pattern, Pixmap, Point, RadialGradient, Shader, SpreadMode,
    Stroke, StrokeDash, Transform,
};

/// Calls between deadline checks: a call fills at most the canvas.
const CHECK_EVERY: usize = 256;

/// A pattern's tile is at most this many pixels a side (patternomaly's
/// largest, as `pattern.draw` in the prelude bounds it).
const MAX_TILE: f32 = 200.0;

/// Draws `rec` on `pixmap`, giving up at `deadline`.
pub(crate) fn replay(
    rec: &Recording,
    pixmap: &mut Pixmap,
    deadline: Instant,
) -> Result<(), RenderError> {
    let mut canvas = Canvas::new(pixmap, &rec.strs);
    let mut r = Reader {
        nums: &rec.nums,
        at: 0,
    };
    let mut calls = 0;
    while let Some(code) = r.next() {
        canvas.call(code as u8, &mut r).ok_or_else(corrupt)?;
        calls += 1;
        if calls % CHECK_EVERY == 0 && Instant::now() > deadline {
            return Err(RenderError::Timeout);
        }
    }
    Ok(())
}

/// A recording this module cannot read is a bug between the two halves,
/// never the config's doing: said so, rather than drawn half.
fn corrupt() -> RenderError {
    RenderError::Invalid("the Chart.js renderer's recording could not be read".into())
}

struct Reader<'a> {
    nums: &'a [f64],
    at: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> Option<f64> {
        let v = *self.nums.get(self.at)?;
        self.at += 1;
        Some(v)
    }

    fn f(&mut self) -> Option<f32> {
        self.next().map(|v| v as f32)
    }

    fn arr<const N: usize>(&mut self) -> Option<[f32; N]> {
        let mut out = [0.0; N];
        for v in &mut out {
            *v = self.f()?;
        }
        Some(out)
    }

    fn index(&mut self) -> Option<usize> {
        let v = self.next()?;
        (v >= 0.0 && v.fract() == 0.0).then_some(v as usize)
    }
}

/// A fill or stroke style.
#[derive(Clone)]
enum Style {
    Solid(Color),
    Gradient(usize),
    /// A pattern's tile, drawn once when the pattern was made, as a
    /// canvas's `createPattern` copies its image.
    Pattern(Rc<Pixmap>),
}

#[derive(Clone)]
enum Geometry {
    Linear([f32; 4]),
    Radial([f32; 6]),
}

struct Gradient {
    geometry: Geometry,
    stops: Vec<(f32, Color)>,
}

/// What `save()` keeps and `restore()` brings back.
#[derive(Clone)]
struct State {
    transform: Transform,
    fill: Style,
    stroke: Style,
    line_width: f32,
    cap: LineCap,
    join: LineJoin,
    miter: f32,
    dash: Vec<f32>,
    dash_offset: f32,
    alpha: f32,
    font: Font,
    align: u8,
    baseline: u8,
    /// The clip, shared until a `clip()` narrows it.
    clip: Option<Rc<Mask>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            transform: Transform::identity(),
            fill: Style::Solid(Color::BLACK),
            stroke: Style::Solid(Color::BLACK),
            line_width: 1.0,
            cap: LineCap::Butt,
            join: LineJoin::Miter,
            miter: 10.0,
            dash: Vec::new(),
            dash_offset: 0.0,
            alpha: 1.0,
            font: Font::default(),
            align: 0,
            baseline: 0,
            clip: None,
        }
    }
}

struct Canvas<'a> {
    pixmap: &'a mut Pixmap,
    strs: &'a [String],
    state: State,
    saved: Vec<State>,
    path: CanvasPath,
    gradients: Vec<Gradient>,
    patterns: Vec<Rc<Pixmap>>,
}

impl<'a> Canvas<'a> {
    fn new(pixmap: &'a mut Pixmap, strs: &'a [String]) -> Canvas<'a> {
        Canvas {
            pixmap,
            strs,
            state: State::default(),
            saved: Vec::new(),
            path: CanvasPath::default(),
            gradients: Vec::new(),
            patterns: Vec::new(),
        }
    }

    fn str(&self, r: &mut Reader) -> Option<&'a str> {
        let strs = self.strs;
        strs.get(r.index()?).map(String::as_str)
    }

    /// One call; `None` when its arguments cannot be read.
    fn call(&mut self, code: u8, r: &mut Reader) -> Option<()> {
        let t = self.state.transform;
        match code {
            0 => self.saved.push(self.state.clone()),
            1 => {
                if let Some(s) = self.saved.pop() {
                    self.state = s;
                }
            }
            2 => {
                let [a, b, c, d, e, f] = r.arr()?;
                self.state.transform = t.pre_concat(Transform::from_row(a, b, c, d, e, f));
            }
            3 => {
                let [a, b, c, d, e, f] = r.arr()?;
                self.state.transform = Transform::from_row(a, b, c, d, e, f);
            }
            4 => self.path.clear(),
            // Path calls with an infinite or NaN argument do nothing, as
            // the Canvas specification says: Chart.js 3's pie slice ends
            // with `arc(x, y, 0, NaN, NaN)` (its inner corner, 0 / 0).
            5 => {
                if let Some([x, y]) = finite(r.arr()?) {
                    self.path.move_to(&t, x, y);
                }
            }
            6 => {
                if let Some([x, y]) = finite(r.arr()?) {
                    self.path.line_to(&t, x, y);
                }
            }
            7 => {
                if let Some(c) = finite(r.arr()?) {
                    self.path.cubic_to(&t, c);
                }
            }
            8 => {
                if let Some(c) = finite(r.arr()?) {
                    self.path.quad_to(&t, c);
                }
            }
            9 => {
                if let Some([x, y, radius, a0, a1, ccw]) = finite(r.arr()?) {
                    let e = [x, y, radius, radius, 0.0, a0, a1];
                    self.path.ellipse(&t, e, ccw != 0.0);
                }
            }
            10 => {
                if let Some([x, y, w, h]) = finite(r.arr()?) {
                    self.path.rect(&t, x, y, w, h);
                }
            }
            11 => self.path.close(),
            12 => {
                if let Some([x, y, rx, ry, rot, a0, a1, ccw]) = finite(r.arr()?) {
                    self.path
                        .ellipse(&t, [x, y, rx, ry, rot, a0, a1], ccw != 0.0);
                }
            }
            13 => {
                if let Some(c) = finite(r.arr()?) {
                    self.path.arc_to(&t, c);
                }
            }
            14 => {
                let rule = rule(r.f()?);
                if let Some(p) = self.path.finish() {
                    self.fill(&p, rule);
                }
            }
            15 => {
                if let Some(p) = self.path.finish() {
                    self.stroke(&p);
                }
            }
            16 => {
                let rule = rule(r.f()?);
                self.clip(rule);
            }
            17..=19 => {
                let [x, y, w, h] = r.arr()?;
                self.rect_call(code, [x, y, w, h]);
            }
            20 | 21 => {
                let text = self.str(r)?;
                let [x, y, max] = r.arr()?;
                self.text(text, [x, y, max], code == 21);
            }
            22 | 24 => {
                let css = self.str(r)?;
                if let Ok(c) = parse_color(css.trim()) {
                    self.set_style(code == 22, Style::Solid(color(c)));
                }
            }
            23 | 25 => {
                let id = r.index()?;
                if id < self.gradients.len() {
                    self.set_style(code == 23, Style::Gradient(id));
                }
            }
            26 => {
                let w = r.f()?;
                if w.is_finite() && w > 0.0 {
                    self.state.line_width = w;
                }
            }
            27 => {
                self.state.cap =
                    [LineCap::Butt, LineCap::Round, LineCap::Square][(r.index()?).min(2)]
            }
            28 => {
                self.state.join =
                    [LineJoin::Miter, LineJoin::Round, LineJoin::Bevel][(r.index()?).min(2)]
            }
            29 => {
                let m = r.f()?;
                if m.is_finite() && m > 0.0 {
                    self.state.miter = m;
                }
            }
            30 => {
                let n = r.index()?;
                let mut dash = Vec::with_capacity(n);
                for _ in 0..n {
                    dash.push(r.f()?);
                }
                self.state.dash = dash;
            }
            31 => {
                let o = r.f()?;
                if o.is_finite() {
                    self.state.dash_offset = o;
                }
            }
            32 => {
                let a = r.f()?;
                if (0.0..=1.0).contains(&a) {
                    self.state.alpha = a;
                }
            }
            33 => {
                let css = self.str(r)?;
                if let Some(f) = Font::parse(css) {
                    self.state.font = f;
                }
            }
            34 => self.state.align = r.index()?.min(4) as u8,
            35 => self.state.baseline = r.index()?.min(5) as u8,
            36 => {
                let id = r.index()?;
                let g = Geometry::Linear(r.arr()?);
                self.new_gradient(id, g)?;
            }
            37 => {
                let id = r.index()?;
                let g = Geometry::Radial(r.arr()?);
                self.new_gradient(id, g)?;
            }
            38 => {
                let id = r.index()?;
                let offset = r.f()?;
                let css = self.str(r)?;
                if let (Some(g), Ok(c)) = (self.gradients.get_mut(id), parse_color(css.trim())) {
                    if (0.0..=1.0).contains(&offset) {
                        g.stops.push((offset, color(c)));
                    }
                }
            }
            // globalCompositeOperation: everything Chart.js draws is
            // source-over.
            39 => {
                self.str(r)?;
            }
            40 => {
                let id = r.index()?;
                let tile = self.tile(r)?;
                // Ids are handed out in order, one per pattern made.
                (id == self.patterns.len()).then(|| self.patterns.push(Rc::new(tile)))?;
            }
            41 | 42 => {
                let id = r.index()?;
                if let Some(tile) = self.patterns.get(id) {
                    self.set_style(code == 41, Style::Pattern(tile.clone()));
                }
            }
            _ => return None,
        }
        Some(())
    }

    fn set_style(&mut self, fill: bool, style: Style) {
        if fill {
            self.state.fill = style;
        } else {
            self.state.stroke = style;
        }
    }

    /// A pattern's tile as the host writes it (QuickChart's `pattern.draw`,
    /// patternomaly recorded in the sandbox): its size, then each fill or
    /// stroke with its color, width and path (0 move, 1 line, 2 close),
    /// drawn at its own pixel size, as on the tile canvas patternomaly
    /// draws on.
    fn tile(&self, r: &mut Reader) -> Option<Pixmap> {
        let size = r.f()?;
        let mut ops = Vec::new();
        for _ in 0..r.index()? {
            let fill = r.f()? != 0.0;
            let css = self.str(r)?;
            let width = f64::from(r.f()?);
            let mut path = Vec::new();
            for _ in 0..r.index()? {
                path.push(match r.index()? {
                    0 => PathCmd::Move(r.next()?, r.next()?),
                    1 => PathCmd::Line(r.next()?, r.next()?),
                    2 => PathCmd::Close,
                    _ => return None,
                });
            }
            if let Ok(color) = parse_color(css.trim()) {
                ops.push(TileOp {
                    fill,
                    color,
                    width,
                    path,
                });
            }
        }
        let px = if size.is_finite() {
            size.round().clamp(1.0, MAX_TILE)
        } else {
            1.0
        };
        draw_tile(&ops, px as u32, 1.0)
    }

    fn new_gradient(&mut self, id: usize, geometry: Geometry) -> Option<()> {
        // Ids are handed out in order, one per create call.
        (id == self.gradients.len()).then(|| {
            self.gradients.push(Gradient {
                geometry,
                stops: Vec::new(),
            })
        })
    }

    /// The paint of `style` under the current transform and global alpha;
    /// `None` paints nothing (a gradient with no stops).
    fn paint<'s>(&self, style: &'s Style) -> Option<Paint<'s>> {
        let alpha = self.state.alpha;
        let faded = |mut c: Color| {
            c.apply_opacity(alpha);
            c
        };
        let shader = match style {
            Style::Solid(c) => Shader::SolidColor(faded(*c)),
            Style::Gradient(id) => {
                let g = &self.gradients[*id];
                let mut sorted = g.stops.clone();
                // Stable: stops at one offset keep their order, as specified.
                sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
                let stops: Vec<GradientStop> = sorted
                    .iter()
                    .map(|(o, c)| GradientStop::new(*o, faded(*c)))
                    .collect();
                match stops.len() {
                    0 => return None,
                    1 => Shader::SolidColor(faded(g.stops[0].1)),
                    _ => gradient_shader(&g.geometry, stops, self.state.transform)?,
                }
            }
            // In the user space of the call, smoothed when scaled, as a
            // browser's canvas repeats a pattern.
            Style::Pattern(tile) => Pattern::new(
                tile.as_ref().as_ref(),
                SpreadMode::Repeat,
                FilterQuality::Bilinear,
                alpha,
                self.state.transform,
            ),
        };
        Some(Paint {
            shader,
            anti_alias: true,
            ..Paint::default()
        })
    }

    fn fill(&mut self, path: &Path, rule: FillRule) {
        let style = self.state.fill.clone();
        let Some(paint) = self.paint(&style) else {
            return;
        };
        let clip = self.state.clip.clone();
        self.pixmap
            .fill_path(path, &paint, rule, Transform::identity(), clip.as_deref());
    }

    /// Strokes a device-space path in the user space current now: widths
    /// and dashes scale with the transform, as in a browser.
    fn stroke(&mut self, path: &Path) {
        let t = self.state.transform;
        let style = self.state.stroke.clone();
        let (Some(inv), Some(paint)) = (t.invert(), self.paint(&style)) else {
            return;
        };
        let Some(user) = path.clone().transform(inv) else {
            return;
        };
        let s = &self.state;
        let dash = if s.dash.is_empty() {
            None
        } else {
            StrokeDash::new(s.dash.clone(), s.dash_offset)
        };
        let stroke = Stroke {
            width: s.line_width,
            miter_limit: s.miter,
            line_cap: s.cap,
            line_join: s.join,
            dash,
        };
        let clip = s.clip.clone();
        self.pixmap
            .stroke_path(&user, &paint, &stroke, t, clip.as_deref());
    }

    /// Narrows the clip to the current path: intersected with the clip
    /// there is, never replacing it.
    fn clip(&mut self, rule: FillRule) {
        let (w, h) = (self.pixmap.width(), self.pixmap.height());
        let path = self.path.finish();
        let mask = match (&self.state.clip, path) {
            (_, None) => Mask::new(w, h),
            (Some(old), Some(p)) => {
                let mut m = (**old).clone();
                m.intersect_path(&p, rule, true, Transform::identity());
                Some(m)
            }
            (None, Some(p)) => Mask::new(w, h).map(|mut m| {
                m.fill_path(&p, rule, true, Transform::identity());
                m
            }),
        };
        self.state.clip = mask.map(Rc::new);
    }

    /// `fillRect`, `strokeRect`, `clearRect`: on a rectangle of their own,
    /// leaving the current path as it is.
    fn rect_call(&mut self, code: u8, args: [f32; 4]) {
        let Some([x, y, w, h]) = finite(args) else {
            return;
        };
        let t = self.state.transform;
        let mut path = CanvasPath::default();
        path.rect(&t, x, y, w, h);
        let Some(p) = path.finish() else { return };
        match code {
            17 => self.fill(&p, FillRule::Winding),
            18 => self.stroke(&p),
            _ => {
                let paint = Paint {
                    blend_mode: BlendMode::Clear,
                    ..Paint::default()
                };
                let clip = self.state.clip.clone();
                self.pixmap.fill_path(
                    &p,
                    &paint,
                    FillRule::Winding,
                    Transform::identity(),
                    clip.as_deref(),
                );
            }
        }
    }

    /// `fillText` / `strokeText` at (x, y) by the current alignment and
    /// baseline, squeezed to `max` when it is a number and the text wider.
    fn text(&mut self, text: &str, [x, y, max]: [f32; 3], stroke: bool) {
        let font = self.state.font;
        let width = font.width(text);
        let squeeze = if max.is_finite() && max >= 0.0 && width > max && width > 0.0 {
            max / width
        } else {
            1.0
        };
        let shown = width * squeeze;
        let dx = match self.state.align {
            1 | 3 => -shown,
            4 => -shown / 2.0,
            _ => 0.0,
        };
        let (ascent, descent) = font.em_box();
        let dy = match self.state.baseline {
            1 | 2 => ascent,
            3 => (ascent - descent) / 2.0,
            5 | 4 => -descent,
            _ => 0.0,
        };
        let at = self
            .state
            .transform
            .pre_translate(x + dx, y + dy)
            .pre_scale(squeeze, 1.0);
        let mut pb = PathBuilder::new();
        let mut color = Vec::new();
        font.outline(text, at, &mut pb, &mut color);
        if let Some(path) = pb.finish() {
            if stroke {
                self.stroke(&path);
            } else {
                self.fill(&path, FillRule::Winding);
            }
        }
        if !stroke {
            self.color_glyphs(&color);
        }
    }

    /// Color glyphs (emoji) of a `fillText`, in their own colors: the fill
    /// style's alpha and the global alpha fade them, as Skia draws color
    /// glyphs with the paint's alpha alone.
    fn color_glyphs(&mut self, glyphs: &[(fonts::Bitmap, Transform)]) {
        let fill_alpha = match &self.state.fill {
            Style::Solid(c) => c.alpha(),
            _ => 1.0,
        };
        let opacity = fill_alpha * self.state.alpha;
        let clip = self.state.clip.clone();
        fonts::draw_color_glyphs(glyphs, &mut self.pixmap.as_mut(), opacity, clip.as_deref());
    }
}

fn rule(v: f32) -> FillRule {
    if v == 1.0 {
        FillRule::EvenOdd
    } else {
        FillRule::Winding
    }
}

fn gradient_shader(
    g: &Geometry,
    stops: Vec<GradientStop>,
    t: Transform,
) -> Option<Shader<'static>> {
    match *g {
        Geometry::Linear([x0, y0, x1, y1]) => LinearGradient::new(
            Point::from_xy(x0, y0),
            Point::from_xy(x1, y1),
            stops,
            SpreadMode::Pad,
            t,
        ),
        // tiny-skia's radial gradient starts from a point: an inner
        // radius is drawn as zero.
        Geometry::Radial([x0, y0, _r0, x1, y1, r1]) => RadialGradient::new(
            Point::from_xy(x0, y0),
            Point::from_xy(x1, y1),
            r1,
            stops,
            SpreadMode::Pad,
            t,
        ),
    }
}

/// A call's arguments when all are finite: the Canvas specification has
/// path and rectangle calls with an infinite or NaN argument do nothing.
fn finite<const N: usize>(args: [f32; N]) -> Option<[f32; N]> {
    args.iter().all(|v| v.is_finite()).then_some(args)
}
