//! The replay's raster surface: a tiny-skia pixmap, for PNG. Clips are
//! masks intersected as the Canvas specification says; text is filled as
//! glyph outlines, color glyphs (emoji) as their bitmaps.

use super::font::Font;
use super::replay::{self, Geometry, Ink, Style, Surface};
use crate::chart::spec::TileOp;
use crate::render::fonts;
use crate::render::shade::{color, draw_tile};
use crate::render::RenderError;
use crate::script::chartjs::Recording;
use std::rc::Rc;
use std::time::Instant;
use tiny_skia::{
    BlendMode, Color, FillRule, FilterQuality, GradientStop, LinearGradient, Mask, Paint, Path,
    PathBuilder, Pattern, Pixmap, Point, RadialGradient, Shader, SpreadMode, Stroke, StrokeDash,
    Transform,
};

/// Draws `rec` on `pixmap`, giving up at `deadline`.
pub(crate) fn replay(
    rec: &Recording,
    pixmap: &mut Pixmap,
    deadline: Instant,
) -> Result<(), RenderError> {
    replay::run(rec, &mut Raster { pixmap }, deadline)
}

struct Raster<'a> {
    pixmap: &'a mut Pixmap,
}

impl Surface for Raster<'_> {
    type Clip = Rc<Mask>;
    type Tile = Rc<Pixmap>;

    fn fill(&mut self, path: &Path, rule: FillRule, ink: Ink<'_, Self>) {
        let Some(paint) = paint(&ink) else {
            return;
        };
        let clip = ink.state.clip.as_deref();
        self.pixmap
            .fill_path(path, &paint, rule, Transform::identity(), clip);
    }

    fn stroke(&mut self, path: &Path, ink: Ink<'_, Self>) {
        let s = ink.state;
        let t = s.transform;
        let (Some(inv), Some(paint)) = (t.invert(), paint(&ink)) else {
            return;
        };
        let Some(user) = path.clone().transform(inv) else {
            return;
        };
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
        self.pixmap
            .stroke_path(&user, &paint, &stroke, t, s.clip.as_deref());
    }

    fn clear(&mut self, path: &Path, clip: Option<&Rc<Mask>>) {
        let paint = Paint {
            blend_mode: BlendMode::Clear,
            ..Paint::default()
        };
        self.pixmap.fill_path(
            path,
            &paint,
            FillRule::Winding,
            Transform::identity(),
            clip.map(|m| &**m),
        );
    }

    /// Intersected with the clip there is, never replacing it.
    fn clip(
        &mut self,
        clip: Option<&Rc<Mask>>,
        path: Option<&Path>,
        rule: FillRule,
    ) -> Option<Rc<Mask>> {
        let (w, h) = (self.pixmap.width(), self.pixmap.height());
        let mask = match (clip, path) {
            (_, None) => Mask::new(w, h),
            (Some(old), Some(p)) => {
                let mut m = (**old).clone();
                m.intersect_path(p, rule, true, Transform::identity());
                Some(m)
            }
            (None, Some(p)) => Mask::new(w, h).map(|mut m| {
                m.fill_path(p, rule, true, Transform::identity());
                m
            }),
        };
        mask.map(Rc::new)
    }

    fn text(&mut self, text: &str, font: Font, at: Transform, ink: Ink<'_, Self>) {
        let mut pb = PathBuilder::new();
        let mut glyphs = Vec::new();
        font.outline(text, at, &mut pb, &mut glyphs);
        let (state, stroke) = (ink.state, ink.stroking);
        if let Some(path) = pb.finish() {
            if stroke {
                self.stroke(&path, ink);
            } else {
                self.fill(&path, FillRule::Winding, ink);
            }
        }
        if stroke {
            return;
        }
        // Color glyphs in their own colors: the fill style's alpha and the
        // global alpha fade them, as Skia draws color glyphs with the
        // paint's alpha alone.
        let fill_alpha = match &state.fill {
            Style::Solid(c) => f32::from(c.3) / 255.0,
            _ => 1.0,
        };
        let opacity = fill_alpha * state.alpha;
        let clip = state.clip.as_deref();
        fonts::draw_color_glyphs(&glyphs, &mut self.pixmap.as_mut(), opacity, clip);
    }

    fn tile(&mut self, ops: &[TileOp], px: u32) -> Option<Rc<Pixmap>> {
        draw_tile(ops, px, 1.0).map(Rc::new)
    }
}

/// The paint of `ink` under its transform and global alpha; `None` paints
/// nothing (a gradient with no stops).
fn paint<'s>(ink: &Ink<'s, Raster<'_>>) -> Option<Paint<'s>> {
    let alpha = ink.state.alpha;
    let faded = |c| {
        let mut c: Color = color(c);
        c.apply_opacity(alpha);
        c
    };
    let shader = match ink.style() {
        Style::Solid(c) => Shader::SolidColor(faded(*c)),
        Style::Gradient(id) => {
            let g = &ink.gradients[*id];
            let stops: Vec<GradientStop> = g
                .sorted_stops()
                .into_iter()
                .map(|(o, c)| GradientStop::new(o, faded(c)))
                .collect();
            match stops.len() {
                0 => return None,
                1 => Shader::SolidColor(faded(g.stops[0].1)),
                _ => gradient_shader(&g.geometry, stops, ink.state.transform)?,
            }
        }
        // In the user space of the call, smoothed when scaled, as a
        // browser's canvas repeats a pattern.
        Style::Pattern(tile) => Pattern::new(
            tile.as_ref().as_ref(),
            SpreadMode::Repeat,
            FilterQuality::Bilinear,
            alpha,
            ink.state.transform,
        ),
    };
    Some(Paint {
        shader,
        anti_alias: true,
        ..Paint::default()
    })
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
