//! chartjs-plugin-datalabels' labels, drawn after every dataset as the
//! plugin draws them (`afterDatasetsDraw`), placed by its positioners: each
//! element gives a `Range` (its extent along the direction labels move in),
//! the label sits at the range's start, middle or end (`anchor`), moves
//! `offset` pixels plus half its box along `align`, and is drawn as a
//! padded box (background, border) around its lines.

use super::geom::{self, pt, Pt, Rect};
use super::painter::{Align, Canvas, Line, Painter, Turn};
use super::text;
use super::RenderError;
use crate::chart::spec::{ChartSpec, DataLabels, Font, LabelAlign, LabelAnchor};

/// Where a label may sit on one element: from `start` to `end` along the
/// element, labels moving in direction `(vx, vy)` when aligned to `end`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Range {
    start: Pt,
    end: Pt,
    v: (f64, f64),
}

impl Range {
    /// A bar: from its base to its tip, along the value axis (up, or right
    /// for horizontal bars, whatever the sign, as the plugin orients bars
    /// by their scale).
    pub(crate) fn bar(r: Rect, horizontal: bool) -> Range {
        let c = r.center();
        if horizontal {
            Range {
                start: pt(r.l, c.y),
                end: pt(r.r, c.y),
                v: (1.0, 0.0),
            }
        } else {
            Range {
                start: pt(c.x, r.b),
                end: pt(c.x, r.t),
                v: (0.0, -1.0),
            }
        }
    }

    /// An arc: from its inner to its outer radius through its middle angle.
    pub(crate) fn arc(c: Pt, r0: f64, r1: f64, a0: f64, a1: f64) -> Range {
        let a = (a0 + a1) / 2.0;
        Range {
            start: c.polar(r0, a),
            end: c.polar(r1, a),
            v: (a.cos(), a.sin()),
        }
    }

    /// A point of radius `r`, its labels moving along `v` (away from the
    /// value axis's base: up on cartesian charts).
    pub(crate) fn point(c: Pt, r: f64, v: (f64, f64)) -> Range {
        Range {
            start: pt(c.x - v.0 * r, c.y - v.1 * r),
            end: pt(c.x + v.0 * r, c.y + v.1 * r),
            v,
        }
    }
}

/// A label to draw: dataset `k`, point `i`, on `range`.
pub(crate) struct Placed {
    pub(crate) k: usize,
    pub(crate) i: usize,
    pub(crate) range: Range,
}

/// Whether any dataset of `chart` has labels to draw.
pub(crate) fn any(chart: &ChartSpec) -> bool {
    chart
        .datasets
        .iter()
        .any(|d| !d.hidden && d.datalabels.is_some())
}

/// Draws the labels of `placed`, dataset by dataset and point by point
/// (later ones on top, as the plugin draws them).
pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    mut placed: Vec<Placed>,
) -> Result<(), RenderError> {
    placed.sort_by_key(|l| (l.k, l.i));
    p.set_clip(None);
    for l in &placed {
        let Some(labels) = chart.datasets.get(l.k).and_then(|d| d.datalabels.as_ref()) else {
            continue;
        };
        if let Some(Some(text)) = labels.texts.get(l.i) {
            p.check_deadline()?;
            label(p, labels, l.i, text, l.range)?;
        }
    }
    Ok(())
}

/// One label: its box centered where the plugin's `coordinates` put it.
fn label<B: Canvas>(
    p: &mut Painter<B>,
    o: &DataLabels,
    i: usize,
    text: &str,
    range: Range,
) -> Result<(), RenderError> {
    let font = Font {
        size: o.size,
        bold: o.bold,
        color: o.color.at(i),
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let tw = lines
        .iter()
        .map(|l| text::measure(&font, l))
        .fold(0.0, f64::max);
    let th = lines.len() as f64 * o.line_height;
    let [pt_, pr, pb, pl] = o.padding;
    let bw = o.border_width;
    let (w, h) = (tw + pl + pr + 2.0 * bw, th + pt_ + pb + 2.0 * bw);
    let turn = turn(o.rotation);
    let c = center(o, range, w, h);
    let c = pt(c.x.round(), c.y.round());
    // The box in the label's own frame (x along its text), then turned.
    let (l, t) = (-tw / 2.0 - pl - bw, -th / 2.0 - pt_ - bw);
    let frame = Rect {
        l,
        t,
        r: l + w,
        b: t + h,
    };
    draw_frame(p, o, i, turned(frame, c, turn))?;
    let x = match o.text_align {
        LabelAnchor::Start => -tw / 2.0,
        LabelAnchor::Center => 0.0,
        LabelAnchor::End => tw / 2.0,
    };
    let align = match o.text_align {
        LabelAnchor::Start => Align::Start,
        LabelAnchor::Center => Align::Center,
        LabelAnchor::End => Align::End,
    };
    for (n, line) in lines.iter().enumerate() {
        // Each line's middle, as the plugin sets `textBaseline: middle`;
        // the painter takes the top of a 1.2 em line box.
        let mid = -th / 2.0 + o.line_height * (n as f64 + 0.5);
        let top = mid - text::line_height(&font) / 2.0;
        let at = rotate(pt(x, top), turn);
        p.text(line, &font, pt(c.x + at.x, c.y + at.y), align, turn)?;
    }
    Ok(())
}

/// The center of a `w` × `h` label box: the plugin's `positioners` and
/// `coordinates`.
fn center(o: &DataLabels, r: Range, w: f64, h: f64) -> Pt {
    let at = match o.anchor {
        LabelAnchor::Start => r.start,
        LabelAnchor::End => r.end,
        LabelAnchor::Center => r.start.lerp(r.end, 0.5),
    };
    let (vx, vy) = match o.align {
        LabelAlign::Center => (0.0, 0.0),
        LabelAlign::Bottom => (0.0, 1.0),
        LabelAlign::Right => (1.0, 0.0),
        LabelAlign::Left => (-1.0, 0.0),
        LabelAlign::Top => (0.0, -1.0),
        LabelAlign::Start => (-r.v.0, -r.v.1),
        LabelAlign::End => r.v,
        LabelAlign::Angle(deg) => (deg.to_radians().cos(), deg.to_radians().sin()),
    };
    if vx == 0.0 && vy == 0.0 {
        return at;
    }
    let rotation = o.rotation.to_radians();
    let (cos, sin) = (rotation.cos().abs(), rotation.sin().abs());
    let dx = w / 2.0 * cos + h / 2.0 * sin;
    let dy = w / 2.0 * sin + h / 2.0 * cos;
    let vs = 1.0 / vx.abs().max(vy.abs());
    pt(
        at.x + dx * vx * vs + o.offset * vx,
        at.y + dy * vy * vs + o.offset * vy,
    )
}

/// The painter turns text by quarter turns only: a rotation is drawn at
/// the nearest one.
fn turn(degrees: f64) -> Turn {
    match (degrees / 90.0).round().rem_euclid(4.0) as i32 {
        1 => Turn::Down,
        3 => Turn::Up,
        _ => Turn::None,
    }
}

/// `p` in the label's frame, turned as `turn` says (y down, clockwise).
fn rotate(p: Pt, turn: Turn) -> Pt {
    match turn {
        Turn::None => p,
        Turn::Down => pt(-p.y, p.x),
        Turn::Up => pt(p.y, -p.x),
    }
}

/// `frame` (in the label's frame) turned and moved to `c`.
fn turned(frame: Rect, c: Pt, turn: Turn) -> Rect {
    let a = rotate(pt(frame.l, frame.t), turn);
    let b = rotate(pt(frame.r, frame.b), turn);
    Rect::new(c.x + a.x, c.y + a.y, c.x + b.x, c.y + b.y)
}

/// The label's box: background, then border, with rounded corners.
fn draw_frame<B: Canvas>(
    p: &mut Painter<B>,
    o: &DataLabels,
    i: usize,
    frame: Rect,
) -> Result<(), RenderError> {
    let fill = o.background.as_ref().map(|b| b.at(i));
    let border = o
        .border
        .as_ref()
        .map(|b| b.at(i))
        .filter(|_| o.border_width > 0.0);
    if fill.is_none() && border.is_none() {
        return Ok(());
    }
    let bw = o.border_width;
    let r = frame.inset(bw / 2.0);
    let radius = o.border_radius.min(r.w() / 2.0).min(r.h() / 2.0);
    let outline = geom::rounded_rect(r, radius, 0.1);
    if let Some(fill) = fill {
        p.polygon(&outline, fill)?;
    }
    if let Some(color) = border {
        p.outline(&outline, &Line::solid(color, bw))?;
    }
    Ok(())
}
