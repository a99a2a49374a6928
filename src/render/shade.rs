//! Gradients and patterns on tiny-skia: a `Shade` (in CSS pixels) as a
//! shader for a canvas of `scale` device pixels per CSS pixel. A pattern's
//! tile is rasterized once per fill from its recorded fills and strokes,
//! and repeats from the canvas's corner, as a canvas pattern does.

use crate::chart::spec::{PathCmd, Rgba, Shade, TileOp};
use tiny_skia::{
    Color, FillRule, FilterQuality, GradientStop, LineCap, LineJoin, LinearGradient, Paint,
    PathBuilder, Pattern, Pixmap, Point, Shader, SpreadMode, Stroke, Transform,
};

/// Tiles are at most this many device pixels a side (a 200 px tile at a
/// device pixel ratio of 4).
const MAX_TILE_PX: f64 = 800.0;

/// A spec color as tiny-skia's.
pub(crate) fn color(c: Rgba) -> Color {
    Color::from_rgba8(c.0, c.1, c.2, c.3)
}

/// Fills `path` on `pixmap` with `shade` at `scale` device pixels per CSS
/// pixel.
pub(crate) fn fill(pixmap: &mut Pixmap, path: &tiny_skia::Path, shade: &Shade, scale: f32) {
    with_paint(shade, scale, |paint| {
        pixmap.fill_path(path, paint, FillRule::Winding, Transform::identity(), None);
    });
}

/// Strokes `path` on `pixmap` with `shade`, as `fill` fills.
pub(crate) fn stroke(
    pixmap: &mut Pixmap,
    path: &tiny_skia::Path,
    stroke: &Stroke,
    shade: &Shade,
    scale: f32,
) {
    with_paint(shade, scale, |paint| {
        pixmap.stroke_path(path, paint, stroke, Transform::identity(), None);
    });
}

/// Calls `draw` with a paint of `shade` (its pattern's tile drawn for the
/// call); not at all when there is nothing to paint with.
fn with_paint(shade: &Shade, scale: f32, draw: impl FnOnce(&Paint)) {
    let tile;
    let shader = match shade {
        Shade::Linear { from, to, stops } => {
            let Some(last) = stops.last() else {
                return;
            };
            let at = |(x, y): (f64, f64)| Point::from_xy(x as f32 * scale, y as f32 * scale);
            let stops = stops
                .iter()
                .map(|(o, c)| GradientStop::new(*o as f32, color(*c)))
                .collect();
            // One stop, or a line of no length: the canvas draws the last
            // stop's color.
            LinearGradient::new(
                at(*from),
                at(*to),
                stops,
                SpreadMode::Pad,
                Transform::identity(),
            )
            .unwrap_or(Shader::SolidColor(color(last.1)))
        }
        Shade::Pattern { size, ops } => {
            let px = (size * f64::from(scale)).round().clamp(1.0, MAX_TILE_PX);
            let Some(t) = draw_tile(ops, px as u32, (px / size) as f32) else {
                return;
            };
            tile = t;
            Pattern::new(
                tile.as_ref(),
                SpreadMode::Repeat,
                FilterQuality::Nearest,
                1.0,
                Transform::identity(),
            )
        }
    };
    draw(&Paint {
        shader,
        anti_alias: true,
        ..Paint::default()
    });
}

/// A pattern's tile, `px` device pixels a side, its ops scaled by `scale`.
pub(crate) fn draw_tile(ops: &[TileOp], px: u32, scale: f32) -> Option<Pixmap> {
    let mut tile = Pixmap::new(px, px)?;
    let t = Transform::from_scale(scale, scale);
    for op in ops {
        let Some(path) = tile_path(&op.path) else {
            continue;
        };
        let mut paint = Paint::default();
        paint.set_color(color(op.color));
        paint.anti_alias = true;
        if op.fill {
            tile.fill_path(&path, &paint, FillRule::Winding, t, None);
        } else {
            let stroke = Stroke {
                width: op.width as f32,
                line_cap: LineCap::Round,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            tile.stroke_path(&path, &paint, &stroke, t, None);
        }
    }
    Some(tile)
}

fn tile_path(cmds: &[PathCmd]) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    for cmd in cmds {
        match *cmd {
            PathCmd::Move(x, y) => pb.move_to(x as f32, y as f32),
            PathCmd::Line(x, y) => pb.line_to(x as f32, y as f32),
            PathCmd::Close => pb.close(),
        }
    }
    pb.finish()
}
