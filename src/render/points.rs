//! Point markers in Chart.js's point styles, and bubbles.

use super::geom::{self, pt, Pt, Rect};
use super::painter::{Canvas, Line, Painter};
use super::RenderError;
use crate::chart::spec::{Dataset, PointStyle, Rgba};
use std::f64::consts::{FRAC_1_SQRT_2, FRAC_PI_2, FRAC_PI_4, PI};

/// Corner radius of `rectRounded`, as a share of its half side.
const ROUNDED_CORNER: f64 = 0.45;

/// Draws `ds`'s markers at `centers` (datum index, position), each of
/// `radius(i)` with a `border(i)`-wide outline, in the datum's style and
/// colors. With `area`, markers whose shapes would stray too far outside
/// are cut.
pub(crate) fn markers<B: Canvas>(
    p: &mut Painter<B>,
    ds: &Dataset,
    centers: impl Iterator<Item = (usize, Pt)>,
    radius: impl Fn(usize) -> f64,
    border: impl Fn(usize) -> f64,
    area: Option<&Rect>,
) -> Result<(), RenderError> {
    for (i, c) in centers {
        let (r, style, width) = (radius(i), ds.point_style_at(i), border(i));
        if r <= 0.0 || style == PointStyle::None {
            continue;
        }
        p.set_clip(area.map(|a| a.inset(-(r + width + 1.0))));
        let line = Line::solid(ds.point_border(i), width);
        marker(p, c, style, r, ds.point_fill(i), &line)?;
    }
    p.set_clip(None);
    Ok(())
}

/// Draws one marker of `style` and radius `r` at `c`: filled shapes take
/// `fill` and `line`, open ones (crosses, lines) only `line`.
pub(crate) fn marker<B: Canvas>(
    p: &mut Painter<B>,
    c: Pt,
    style: PointStyle,
    r: f64,
    fill: Rgba,
    line: &Line,
) -> Result<(), RenderError> {
    if r <= 0.0 {
        return Ok(());
    }
    let open = Line {
        width: line.width.max(1.0),
        ..*line
    };
    match style {
        PointStyle::None => Ok(()),
        PointStyle::Circle => p.circle(c, r, fill, line),
        PointStyle::Rect => shape(p, &square(c, r * FRAC_1_SQRT_2, 0.0), fill, line),
        // Chart.js's diamond has its corners at the radius, as `rect` does.
        PointStyle::RectRot => shape(p, &square(c, r * FRAC_1_SQRT_2, FRAC_PI_4), fill, line),
        PointStyle::RectRounded => shape(p, &rounded(c, r), fill, line),
        PointStyle::Triangle => {
            let tri: Vec<Pt> = (0..3)
                .map(|k| c.polar(r, -FRAC_PI_2 + f64::from(k) * 2.0 * PI / 3.0))
                .collect();
            shape(p, &tri, fill, line)
        }
        PointStyle::Cross => spokes(p, c, r, 0.0, &open),
        PointStyle::CrossRot => spokes(p, c, r, FRAC_PI_4, &open),
        PointStyle::Star => {
            spokes(p, c, r, 0.0, &open)?;
            spokes(p, c, r, FRAC_PI_4, &open)
        }
        PointStyle::Line => p.polyline(&[pt(c.x - r, c.y), pt(c.x + r, c.y)], &open),
        PointStyle::Dash => p.polyline(&[c, pt(c.x + r, c.y)], &open),
    }
}

fn shape<B: Canvas>(
    p: &mut Painter<B>,
    pts: &[Pt],
    fill: Rgba,
    line: &Line,
) -> Result<(), RenderError> {
    p.polygon(pts, fill)?;
    if line.width > 0.0 {
        p.outline(pts, line)?;
    }
    Ok(())
}

/// A square around `c` with corners at distance `half * √2`, turned by `rot`.
fn square(c: Pt, half: f64, rot: f64) -> Vec<Pt> {
    let d = half * std::f64::consts::SQRT_2;
    (0..4)
        .map(|k| c.polar(d, rot - 3.0 * FRAC_PI_4 + f64::from(k) * FRAC_PI_2))
        .collect()
}

/// A `rect`-sized square with rounded corners.
fn rounded(c: Pt, r: f64) -> Vec<Pt> {
    let half = r * FRAC_1_SQRT_2;
    let square = Rect::new(c.x - half, c.y - half, c.x + half, c.y + half);
    geom::rounded_rect(square, half * ROUNDED_CORNER, 0.1)
}

fn spokes<B: Canvas>(
    p: &mut Painter<B>,
    c: Pt,
    r: f64,
    rot: f64,
    line: &Line,
) -> Result<(), RenderError> {
    for k in 0..2 {
        let a = rot + f64::from(k) * FRAC_PI_2;
        p.polyline(&[c.polar(r, a + PI), c.polar(r, a)], line)?;
    }
    Ok(())
}
