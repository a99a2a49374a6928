//! Replays a recording of Canvas 2D calls (`script::chartjs::Recording`)
//! on a `Surface`: the raster one (`raster`, PNG) or the SVG writer
//! (`vector`). What the calls mean — the state stack, the transform, the
//! current path, styles, gradients, patterns, text placement — is read here
//! once for both; a surface only draws what it is handed. The opcodes are
//! those `src/script/hosts/chartjs.js` writes; keep the two lists in step.

use super::font::Font;
use super::path::CanvasPath;
use crate::chart::color::parse_color;
use crate::chart::spec::{PathCmd, Rgba, TileOp};
use crate::render::RenderError;
use crate::script::chartjs::Recording;
use std::time::Instant;
use tiny_skia::{FillRule, LineCap, LineJoin, Path, Transform};

/// Calls between deadline checks: a call fills at most the canvas.
const CHECK_EVERY: usize = 256;

/// A pattern's tile is at most this many pixels a side (patternomaly's
/// largest, as `pattern.draw` in the prelude bounds it).
const MAX_TILE: f32 = 200.0;

/// Where a replay draws. Paths come in device pixels, already mapped by
/// the transform current when each point was added.
pub(super) trait Surface: Sized {
    /// What `clip()` leaves in the state, restored with `restore()`.
    type Clip: Clone;
    /// A pattern's tile, made once when the pattern is made.
    type Tile: Clone;

    fn fill(&mut self, path: &Path, rule: FillRule, ink: Ink<'_, Self>);
    /// Strokes `path` in the user space current now (`ink.state.
    /// transform`): widths and dashes scale with it, as in a browser.
    fn stroke(&mut self, path: &Path, ink: Ink<'_, Self>);
    /// `clearRect`: `path` made transparent within `clip`.
    fn clear(&mut self, path: &Path, clip: Option<&Self::Clip>);
    /// The clip narrowed to `path` (`None`: an empty path, nothing shows).
    fn clip(
        &mut self,
        clip: Option<&Self::Clip>,
        path: Option<&Path>,
        rule: FillRule,
    ) -> Option<Self::Clip>;
    /// `fillText` / `strokeText` (`ink.stroking`): `text` in `font` with
    /// its baseline's origin placed by `at`, CSS pixels of the line to
    /// device pixels.
    fn text(&mut self, text: &str, font: Font, at: Transform, ink: Ink<'_, Self>);
    /// A tile `px` pixels a side drawn with `ops`; `None` draws nothing.
    fn tile(&mut self, ops: &[TileOp], px: u32) -> Option<Self::Tile>;
    /// Past the bound of what it may hold: the replay stops with this
    /// message (422). Checked with the deadline.
    fn over(&self) -> Option<String> {
        None
    }
}

/// What a fill or stroke paints with: the state (styles, transform, alpha,
/// line and clip) it is drawn in, the gradients a style may name, and
/// which of the state's two styles it takes.
pub(super) struct Ink<'s, S: Surface> {
    pub(super) state: &'s State<S>,
    pub(super) gradients: &'s [Gradient],
    pub(super) stroking: bool,
}

impl<'s, S: Surface> Ink<'s, S> {
    /// The stroke style when stroking, else the fill style.
    pub(super) fn style(&self) -> &'s Style<S::Tile> {
        if self.stroking {
            &self.state.stroke
        } else {
            &self.state.fill
        }
    }
}

/// Draws `rec` on `surface`, giving up at `deadline`.
pub(super) fn run<S: Surface>(
    rec: &Recording,
    surface: &mut S,
    deadline: Instant,
) -> Result<(), RenderError> {
    let mut canvas = Canvas::new(surface, &rec.strs);
    let mut r = Reader {
        nums: &rec.nums,
        at: 0,
    };
    let mut calls = 0;
    while let Some(code) = r.next() {
        canvas.call(code as u8, &mut r).ok_or_else(corrupt)?;
        calls += 1;
        if calls % CHECK_EVERY == 0 {
            if Instant::now() > deadline {
                return Err(RenderError::Timeout);
            }
            canvas
                .surface
                .over()
                .map_or(Ok(()), |m| Err(RenderError::Limit(m)))?;
        }
    }
    canvas
        .surface
        .over()
        .map_or(Ok(()), |m| Err(RenderError::Limit(m)))
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
pub(super) enum Style<T> {
    Solid(Rgba),
    /// An index into the gradients made so far.
    Gradient(usize),
    /// A pattern's tile, drawn once when the pattern was made, as a
    /// canvas's `createPattern` copies its image.
    Pattern(T),
}

#[derive(Clone)]
pub(super) enum Geometry {
    Linear([f32; 4]),
    Radial([f32; 6]),
}

pub(super) struct Gradient {
    pub(super) geometry: Geometry,
    /// In the order added: stops at one offset keep it, as specified.
    pub(super) stops: Vec<(f32, Rgba)>,
}

impl Gradient {
    /// The stops sorted by offset, stably.
    pub(super) fn sorted_stops(&self) -> Vec<(f32, Rgba)> {
        let mut sorted = self.stops.clone();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        sorted
    }
}

/// What `save()` keeps and `restore()` brings back.
pub(super) struct State<S: Surface> {
    pub(super) transform: Transform,
    pub(super) fill: Style<S::Tile>,
    pub(super) stroke: Style<S::Tile>,
    pub(super) line_width: f32,
    pub(super) cap: LineCap,
    pub(super) join: LineJoin,
    pub(super) miter: f32,
    pub(super) dash: Vec<f32>,
    pub(super) dash_offset: f32,
    pub(super) alpha: f32,
    font: Font,
    align: u8,
    baseline: u8,
    /// The clip, shared until a `clip()` narrows it.
    pub(super) clip: Option<S::Clip>,
}

// By hand: a derive would ask `S: Clone` of the surface itself.
impl<S: Surface> Clone for State<S> {
    fn clone(&self) -> Self {
        State {
            transform: self.transform,
            fill: self.fill.clone(),
            stroke: self.stroke.clone(),
            line_width: self.line_width,
            cap: self.cap,
            join: self.join,
            miter: self.miter,
            dash: self.dash.clone(),
            dash_offset: self.dash_offset,
            alpha: self.alpha,
            font: self.font,
            align: self.align,
            baseline: self.baseline,
            clip: self.clip.clone(),
        }
    }
}

impl<S: Surface> Default for State<S> {
    fn default() -> Self {
        let black = Rgba(0, 0, 0, 255);
        State {
            transform: Transform::identity(),
            fill: Style::Solid(black),
            stroke: Style::Solid(black),
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

struct Canvas<'a, S: Surface> {
    surface: &'a mut S,
    strs: &'a [String],
    state: State<S>,
    saved: Vec<State<S>>,
    path: CanvasPath,
    gradients: Vec<Gradient>,
    patterns: Vec<S::Tile>,
}

impl<'a, S: Surface> Canvas<'a, S> {
    fn new(surface: &'a mut S, strs: &'a [String]) -> Canvas<'a, S> {
        Canvas {
            surface,
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
        match code {
            0..=3 => self.state_call(code, r),
            4..=13 => self.path_call(code, r),
            14 => {
                let rule = rule(r.f()?);
                if let Some(p) = self.path.finish() {
                    self.fill(&p, rule);
                }
                Some(())
            }
            15 => {
                if let Some(p) = self.path.finish() {
                    self.stroke(&p);
                }
                Some(())
            }
            16 => {
                let rule = rule(r.f()?);
                let path = self.path.finish();
                self.state.clip = self
                    .surface
                    .clip(self.state.clip.as_ref(), path.as_ref(), rule);
                Some(())
            }
            17..=19 => {
                let [x, y, w, h] = r.arr()?;
                self.rect_call(code, [x, y, w, h]);
                Some(())
            }
            20 | 21 => {
                let text = self.str(r)?;
                let [x, y, max] = r.arr()?;
                self.text(text, [x, y, max], code == 21);
                Some(())
            }
            22..=35 | 39 | 41 | 42 => self.style_call(code, r),
            36..=38 | 40 => self.paint_call(code, r),
            _ => None,
        }
    }

    /// `save`, `restore`, `transform`, `setTransform`.
    fn state_call(&mut self, code: u8, r: &mut Reader) -> Option<()> {
        match code {
            0 => self.saved.push(self.state.clone()),
            1 => {
                if let Some(s) = self.saved.pop() {
                    self.state = s;
                }
            }
            2 => {
                let [a, b, c, d, e, f] = r.arr()?;
                let t = self.state.transform;
                self.state.transform = t.pre_concat(Transform::from_row(a, b, c, d, e, f));
            }
            _ => {
                let [a, b, c, d, e, f] = r.arr()?;
                self.state.transform = Transform::from_row(a, b, c, d, e, f);
            }
        }
        Some(())
    }

    /// The calls that build the current path. Those with an infinite or
    /// NaN argument do nothing, as the Canvas specification says: Chart.js
    /// 3's pie slice ends with `arc(x, y, 0, NaN, NaN)` (its inner corner,
    /// 0 / 0).
    fn path_call(&mut self, code: u8, r: &mut Reader) -> Option<()> {
        let t = self.state.transform;
        match code {
            4 => self.path.clear(),
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
            _ => {
                if let Some(c) = finite(r.arr()?) {
                    self.path.arc_to(&t, c);
                }
            }
        }
        Some(())
    }

    /// The state's styles, line, alpha and text settings.
    fn style_call(&mut self, code: u8, r: &mut Reader) -> Option<()> {
        let s = &mut self.state;
        match code {
            22 | 24 => {
                let css = self.str(r)?;
                if let Ok(c) = parse_color(css.trim()) {
                    self.set_style(code == 22, Style::Solid(c));
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
                    s.line_width = w;
                }
            }
            27 => s.cap = [LineCap::Butt, LineCap::Round, LineCap::Square][(r.index()?).min(2)],
            28 => s.join = [LineJoin::Miter, LineJoin::Round, LineJoin::Bevel][(r.index()?).min(2)],
            29 => {
                let m = r.f()?;
                if m.is_finite() && m > 0.0 {
                    s.miter = m;
                }
            }
            30 => {
                let n = r.index()?;
                let mut dash = Vec::with_capacity(n);
                for _ in 0..n {
                    dash.push(r.f()?);
                }
                s.dash = dash;
            }
            31 => {
                let o = r.f()?;
                if o.is_finite() {
                    s.dash_offset = o;
                }
            }
            32 => {
                let a = r.f()?;
                if (0.0..=1.0).contains(&a) {
                    s.alpha = a;
                }
            }
            33 => {
                let css = self.str(r)?;
                if let Some(f) = Font::parse(css) {
                    self.state.font = f;
                }
            }
            34 => s.align = r.index()?.min(4) as u8,
            35 => s.baseline = r.index()?.min(5) as u8,
            // globalCompositeOperation: everything Chart.js draws is
            // source-over.
            39 => {
                self.str(r)?;
            }
            _ => {
                let id = r.index()?;
                if let Some(tile) = self.patterns.get(id) {
                    self.set_style(code == 41, Style::Pattern(tile.clone()));
                }
            }
        }
        Some(())
    }

    /// Gradients and patterns made, and gradients' stops.
    fn paint_call(&mut self, code: u8, r: &mut Reader) -> Option<()> {
        match code {
            36 => {
                let id = r.index()?;
                let g = Geometry::Linear(r.arr()?);
                self.new_gradient(id, g)
            }
            37 => {
                let id = r.index()?;
                let g = Geometry::Radial(r.arr()?);
                self.new_gradient(id, g)
            }
            38 => {
                let id = r.index()?;
                let offset = r.f()?;
                let css = self.str(r)?;
                if let (Some(g), Ok(c)) = (self.gradients.get_mut(id), parse_color(css.trim())) {
                    if (0.0..=1.0).contains(&offset) {
                        g.stops.push((offset, c));
                    }
                }
                Some(())
            }
            _ => {
                let id = r.index()?;
                let (ops, px) = self.tile(r)?;
                // Ids are handed out in order, one per pattern made; a
                // tile the surface cannot make paints nothing.
                (id == self.patterns.len()).then_some(())?;
                if let Some(tile) = self.surface.tile(&ops, px) {
                    self.patterns.push(tile);
                }
                Some(())
            }
        }
    }

    fn set_style(&mut self, fill: bool, style: Style<S::Tile>) {
        if fill {
            self.state.fill = style;
        } else {
            self.state.stroke = style;
        }
    }

    /// A pattern's tile as the host writes it (QuickChart's `pattern.draw`,
    /// patternomaly recorded in the sandbox): its size, then each fill or
    /// stroke with its color, width and path (0 move, 1 line, 2 close), to
    /// be drawn at its own pixel size, as on the tile canvas patternomaly
    /// draws on.
    fn tile(&self, r: &mut Reader) -> Option<(Vec<TileOp>, u32)> {
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
        Some((ops, px as u32))
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

    fn fill(&mut self, path: &Path, rule: FillRule) {
        let ink = Ink {
            state: &self.state,
            gradients: &self.gradients,
            stroking: false,
        };
        self.surface.fill(path, rule, ink);
    }

    fn stroke(&mut self, path: &Path) {
        let ink = Ink {
            state: &self.state,
            gradients: &self.gradients,
            stroking: true,
        };
        self.surface.stroke(path, ink);
    }

    /// `fillRect`, `strokeRect`, `clearRect`: on a rectangle of their own,
    /// leaving the current path as it is.
    fn rect_call(&mut self, code: u8, args: [f32; 4]) {
        let Some([x, y, w, h]) = finite(args) else {
            return;
        };
        let mut path = CanvasPath::default();
        path.rect(&self.state.transform, x, y, w, h);
        let Some(p) = path.finish() else { return };
        match code {
            17 => self.fill(&p, FillRule::Winding),
            18 => self.stroke(&p),
            _ => self.surface.clear(&p, self.state.clip.as_ref()),
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
        let ink = Ink {
            state: &self.state,
            gradients: &self.gradients,
            stroking: stroke,
        };
        self.surface.text(text, font, at, ink);
    }
}

fn rule(v: f32) -> FillRule {
    if v == 1.0 {
        FillRule::EvenOdd
    } else {
        FillRule::Winding
    }
}

/// A call's arguments when all are finite: the Canvas specification has
/// path and rectangle calls with an infinite or NaN argument do nothing.
fn finite<const N: usize>(args: [f32; N]) -> Option<[f32; N]> {
    args.iter().all(|v| v.is_finite()).then_some(args)
}
