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
/// (later ones on top, as the plugin draws them), once those that
/// `display: 'auto'` hides are gone.
pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    placed: Vec<Placed>,
) -> Result<(), RenderError> {
    let mut laid: Vec<Laid> = placed
        .into_iter()
        .filter_map(|l| {
            let labels = chart.datasets.get(l.k)?.datalabels.as_ref()?;
            let text = labels.texts.get(l.i)?.as_deref()?;
            Some(Laid::new(l, labels, text))
        })
        .collect();
    hide_collisions(&mut laid);
    laid.sort_by_key(|l| (l.k, l.i));
    p.set_clip(None);
    for l in laid.iter().filter(|l| l.visible) {
        p.check_deadline()?;
        l.draw(p)?;
    }
    Ok(())
}

/// The plugin's `display: 'auto'`: in priority order (lower data index
/// first, then lower dataset index), a label that overlaps one before it
/// is hidden if it may be; else the one before it is, if that one may.
fn hide_collisions(laid: &mut [Laid]) {
    if !laid.iter().any(|l| l.hidable) {
        return;
    }
    laid.sort_by_key(|l| (l.i, l.k));
    for a in 0..laid.len() {
        for b in a + 1..laid.len() {
            if !laid[a].visible {
                break;
            }
            if !laid[b].visible || !overlap(laid[a].frame, laid[b].frame) {
                continue;
            }
            if laid[b].hidable {
                laid[b].visible = false;
            } else if laid[a].hidable {
                laid[a].visible = false;
            }
        }
    }
}

/// Whether two boxes overlap or touch (the plugin's separating-axis test).
fn overlap(a: Rect, b: Rect) -> bool {
    !(a.r < b.l || b.r < a.l || a.b < b.t || b.b < a.t)
}

/// A label laid out: its box and lines, where it is drawn.
struct Laid<'a> {
    k: usize,
    i: usize,
    o: &'a DataLabels,
    lines: Vec<&'a str>,
    font: Font,
    /// The box, turned and in place.
    frame: Rect,
    center: Pt,
    /// Width of the widest line.
    tw: f64,
    hidable: bool,
    visible: bool,
}

impl<'a> Laid<'a> {
    /// Its box centered where the plugin's `coordinates` put it.
    fn new(l: Placed, o: &'a DataLabels, text: &'a str) -> Laid<'a> {
        let font = Font {
            size: o.size,
            bold: o.bold,
            italic: o.italic,
            color: o.color.at(l.i),
            family: o.family.clone(),
        };
        let lines: Vec<&str> = text.split('\n').collect();
        let tw = lines
            .iter()
            .map(|line| text::measure(&font, line))
            .fold(0.0, f64::max);
        let th = lines.len() as f64 * o.line_height;
        let [pt_, pr, pb, pl] = o.padding;
        let bw = o.border_width;
        let (w, h) = (tw + pl + pr + 2.0 * bw, th + pt_ + pb + 2.0 * bw);
        let turn = turn(o.rotation);
        let c = center(o, l.range, w, h);
        let c = pt(c.x.round(), c.y.round());
        // The box in the label's own frame (x along its text), then turned.
        let (left, top) = (-tw / 2.0 - pl - bw, -th / 2.0 - pt_ - bw);
        let frame = Rect {
            l: left,
            t: top,
            r: left + w,
            b: top + h,
        };
        Laid {
            k: l.k,
            i: l.i,
            o,
            lines,
            font,
            frame: turned(frame, c, turn),
            center: c,
            tw,
            hidable: o.auto.get(l.i).copied().unwrap_or(false),
            visible: true,
        }
    }

    fn draw<B: Canvas>(&self, p: &mut Painter<B>) -> Result<(), RenderError> {
        let (o, c) = (self.o, self.center);
        let (th, turn) = (self.lines.len() as f64 * o.line_height, turn(o.rotation));
        draw_frame(p, o, self.i, self.frame)?;
        let (x, align) = match o.text_align {
            LabelAnchor::Start => (-self.tw / 2.0, Align::Start),
            LabelAnchor::Center => (0.0, Align::Center),
            LabelAnchor::End => (self.tw / 2.0, Align::End),
        };
        for (n, line) in self.lines.iter().enumerate() {
            // Each line's middle, as the plugin sets `textBaseline: middle`;
            // the painter takes the top of a 1.2 em line box.
            let mid = -th / 2.0 + o.line_height * (n as f64 + 0.5);
            let top = mid - text::line_height(&self.font) / 2.0;
            let at = rotate(pt(x, top), turn);
            p.text(line, &self.font, pt(c.x + at.x, c.y + at.y), align, turn)?;
        }
        Ok(())
    }
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
