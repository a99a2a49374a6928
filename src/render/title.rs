//! The chart title (and Chart.js 3 and 4's subtitle, drawn the same way):
//! one or more centered lines in a band on any side of the chart, turned a
//! quarter for the left and right sides as Chart.js does.

use super::geom::{pt, Rect};
use super::painter::{Align, Canvas, Painter, Turn};
use super::text;
use super::RenderError;
use crate::chart::spec::{Position, Title};

/// The lines worth drawing.
fn lines(t: &Title) -> impl Iterator<Item = &str> {
    t.lines.iter().map(String::as_str)
}

/// Thickness of the title's band; 0 when it has nothing to show.
pub(crate) fn room(t: &Title) -> f64 {
    let n = lines(t).count();
    if n == 0 || t.font.size <= 0.0 {
        return 0.0;
    }
    n as f64 * text::line_height(&t.font) + t.padding.top + t.padding.bottom
}

/// Draws the title centered in `band`.
pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    t: &Title,
    band: &Rect,
) -> Result<(), RenderError> {
    let lh = text::line_height(&t.font);
    let c = band.center();
    for (k, line) in lines(t).enumerate() {
        let off = t.padding.top + k as f64 * lh;
        let (at, turn, room) = match t.position {
            Position::Top | Position::Bottom => (pt(c.x, band.t + off), Turn::None, band.w()),
            Position::Left => (pt(band.l + off, c.y), Turn::Up, band.h()),
            Position::Right => (pt(band.r - off, c.y), Turn::Down, band.h()),
        };
        // Chart.js hands the box's width to `fillText` as `maxWidth`: a
        // longer title is narrowed to it, never cut.
        p.text_within(line, &t.font, at, (Align::Center, turn), room)?;
    }
    Ok(())
}
