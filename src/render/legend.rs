//! The legend: a colored box and a label per dataset (per category for
//! pie, doughnut and polarArea charts), in centered rows above or below the
//! chart or in columns beside it, as Chart.js lays it out.

use super::geom::{pt, Rect};
use super::painter::{Align, Canvas, Line, Painter, Turn};
use super::points;
use super::text;
use super::RenderError;
use crate::chart::spec::{Font, Legend, LegendAlign, PointStyle, Position, Rgba, Shade};
use std::f64::consts::FRAC_1_SQRT_2;

/// Chart.js's legend padding.
const PAD: f64 = 10.0;

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Item {
    pub(crate) label: String,
    pub(crate) fill: Rgba,
    /// The gradient or pattern the box is filled with, as its dataset is.
    pub(crate) shade: Option<Shade>,
    pub(crate) stroke: Rgba,
    pub(crate) width: f64,
    /// The box's outline is dashed as its dataset's line (`lineDash`).
    pub(crate) dash: Vec<f64>,
    /// Drawn instead of the box when the legend uses point styles.
    pub(crate) point_style: PointStyle,
    /// Hidden datasets are listed struck through, as in Chart.js.
    pub(crate) hidden: bool,
}

/// An item placed in the legend band, relative to the band's corner (for
/// a column, to the column's top, which `draw` centers in the band).
struct Placed {
    item: usize,
    x: f64,
    y: f64,
    /// The height of its column, on a left or right legend.
    column: Option<f64>,
}

/// A legend laid out for a region.
pub(crate) struct Layout<'a> {
    spec: &'a Legend,
    items: &'a [Item],
    placed: Vec<Placed>,
    /// Band thickness across the side the legend sits on.
    pub(crate) room: f64,
}

fn row_h(font: &Font) -> f64 {
    font.size.max(0.0) + PAD
}

/// Where an item's text starts: after its box and half the font size.
fn label_x(spec: &Legend) -> f64 {
    box_w(spec) + spec.font.size.max(0.0) / 2.0
}

/// The box's width: with point styles, at most the font size (Chart.js 2's
/// `getBoxWidth`).
fn box_w(spec: &Legend) -> f64 {
    if spec.use_point_style {
        spec.box_width.min(spec.font.size)
    } else {
        spec.box_width
    }
}

/// Lays `items` out for the free `region`; a left or right legend's
/// columns are as tall as `outer`, the canvas within the layout padding, as
/// Chart.js 2.9.4 fits its vertical boxes before the title takes its band.
pub(crate) fn layout<'a>(
    spec: &'a Legend,
    items: &'a [Item],
    region: &Rect,
    outer: &Rect,
) -> Layout<'a> {
    let mut l = Layout {
        spec,
        items,
        placed: Vec::new(),
        room: 0.0,
    };
    if !spec.display || items.is_empty() || spec.font.size <= 0.0 {
        return l;
    }
    match spec.position {
        Position::Top | Position::Bottom => l.rows(region),
        Position::Left | Position::Right => l.columns(outer.h()),
    }
    l
}

impl Layout<'_> {
    /// An item's width: box, half a font size, and the whole label, which
    /// Chart.js never shortens (a label wider than the canvas runs past its
    /// edges).
    fn item_w(&self, i: usize) -> f64 {
        label_x(self.spec) + text::measure(&self.spec.font, &self.items[i].label)
    }

    /// Where a row `line` wide (a column `line` tall), its items' padding
    /// in, starts in a legend `room` wide (tall): Chart.js 2.9.4's
    /// `alignmentOffset`, which 3 and 4 keep as `_alignStartEnd`.
    fn along(&self, room: f64, line: f64) -> f64 {
        match self.spec.align {
            LegendAlign::Start => PAD,
            LegendAlign::Center => (room - (line - PAD)) / 2.0,
            LegendAlign::End => room - line,
        }
    }

    /// Items flow into rows as wide as the region, each row aligned, as
    /// many rows as it takes: Chart.js drops none, however little room
    /// they leave the chart.
    fn rows(&mut self, region: &Rect) {
        let h = row_h(&self.spec.font);
        let mut rows: Vec<Vec<(usize, f64)>> = Vec::new();
        let mut used = f64::INFINITY;
        for i in 0..self.items.len() {
            let w = self.item_w(i);
            // Chart.js 2.9.4 (`fit`) wraps once an item and twice the
            // padding no longer fit after the row's items and their padding.
            if used + PAD + w + 2.0 * PAD > region.w() {
                rows.push(Vec::new());
                used = -PAD;
            }
            used += PAD + w;
            if let Some(row) = rows.last_mut() {
                row.push((i, w));
            }
        }
        for (r, row) in rows.into_iter().enumerate() {
            // Chart.js's `lineWidths`: each item with its padding.
            let line = row.iter().map(|e| e.1 + PAD).sum::<f64>();
            let mut x = self.along(region.w(), line);
            let y = PAD + r as f64 * h;
            for (item, w) in row {
                self.placed.push(Placed {
                    item,
                    x,
                    y,
                    column: None,
                });
                x += w + PAD;
            }
        }
        self.room = self.placed.last().map_or(0.0, |p| p.y + h);
    }

    /// Items fill columns `height` tall, a new column once an item and
    /// twice the padding no longer fit below the column's items (Chart.js
    /// 2.9.4's `fit`), as many columns as it takes.
    fn columns(&mut self, height: f64) {
        let h = row_h(&self.spec.font);
        let per_col = (((height - PAD) / h).floor() as usize).max(1);
        let mut x = PAD;
        let n = self.items.len();
        for start in (0..n).step_by(per_col) {
            let items = start..(start + per_col).min(n);
            let col_w = items.clone().map(|i| self.item_w(i)).fold(0.0f64, f64::max);
            let column = Some(items.len() as f64 * h);
            for (k, item) in items.enumerate() {
                self.placed.push(Placed {
                    item,
                    x,
                    y: k as f64 * h,
                    column,
                });
            }
            x += col_w + PAD;
        }
        self.room = x;
    }

    /// Draws the legend into `band`, the strip cut for it; a left or right
    /// legend's columns are centered in it, as Chart.js centers them in
    /// the chart area's height (the caller narrows the band to it).
    pub(crate) fn draw<B: Canvas>(
        &self,
        p: &mut Painter<B>,
        band: &Rect,
    ) -> Result<(), RenderError> {
        let font = &self.spec.font;
        let size = font.size;
        let lh = text::line_height(font);
        for pl in &self.placed {
            let item = &self.items[pl.item];
            // A column taller than the band starts above it.
            let top = pl.column.map_or(0.0, |h| self.along(band.h(), h));
            let (x, y) = (band.l + pl.x, band.t + top + pl.y);
            let boxr = Rect::new(x, y, x + box_w(self.spec), y + size);
            if self.spec.use_point_style {
                // Chart.js 2: the point centred in the box, its radius the
                // box's half diagonal, its border the first point's.
                let c = pt(x + boxr.w() / 2.0, y + size / 2.0);
                let line = Line::solid(item.stroke, item.width);
                points::marker(
                    p,
                    c,
                    item.point_style,
                    boxr.w() * FRAC_1_SQRT_2,
                    item.fill,
                    &line,
                )?;
            } else {
                draw_box(p, item, &boxr)?;
            }
            let tx = x + label_x(self.spec);
            let mid = y + size / 2.0;
            p.text(
                &item.label,
                font,
                pt(tx, mid - lh / 2.0),
                Align::Start,
                Turn::None,
            )?;
            if item.hidden {
                let w = text::measure(font, &item.label);
                p.polyline(
                    &[pt(tx, mid), pt(tx + w, mid)],
                    &Line::solid(font.color, 2.0),
                )?;
            }
        }
        Ok(())
    }
}

/// A legend box: filled as its dataset, outlined in its border color and
/// width on the box's edge, half of the line outside it, as Chart.js's
/// `strokeRect(x, y, boxWidth, fontSize)` draws it.
fn draw_box<B: Canvas>(p: &mut Painter<B>, item: &Item, boxr: &Rect) -> Result<(), RenderError> {
    match &item.shade {
        Some(shade) => p.shaded(&boxr.corners(), item.fill, Some(shade))?,
        None => p.rect(*boxr, item.fill)?,
    }
    if item.width > 0.0 {
        let line = Line {
            dash: &item.dash,
            ..Line::solid(item.stroke, item.width)
        };
        p.outline(&boxr.corners(), &line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(position: Position) -> Legend {
        Legend {
            display: true,
            position,
            font: Font::chartjs(false),
            filtered: Vec::new(),
            box_width: Legend::BOX_WIDTH,
            use_point_style: false,
            align: LegendAlign::Center,
        }
    }

    fn items(n: usize) -> Vec<Item> {
        (0..n)
            .map(|i| Item {
                label: format!("Dataset {i}"),
                fill: Rgba(54, 162, 235, 128),
                shade: None,
                stroke: Rgba(54, 162, 235, 255),
                width: 1.0,
                dash: Vec::new(),
                point_style: PointStyle::Circle,
                hidden: false,
            })
            .collect()
    }

    #[test]
    fn items_wrap_into_centered_rows() {
        let (s, it) = (spec(Position::Top), items(8));
        let r = Rect::new(0.0, 0.0, 500.0, 300.0);
        let l = layout(&s, &it, &r, &r);
        assert_eq!(l.placed.len(), 8);
        assert!(l.placed.iter().any(|p| p.y > PAD), "wrapped");
        assert!(l.placed.iter().all(|p| p.x >= 0.0 && p.x < 500.0));
        assert!(l.room > 2.0 * row_h(&s.font));
    }

    /// Chart.js 2.9.4's `alignmentOffset`: a row starts a padding in
    /// (`start`), ends a padding short of the edge (`end`), or is centered;
    /// a column beside the chart likewise from the top.
    #[test]
    fn rows_and_columns_align_as_chartjs_aligns_them() {
        let r = Rect::new(0.0, 0.0, 500.0, 300.0);
        let it = items(2);
        let ends = |position, align| {
            let s = Legend {
                align,
                ..spec(position)
            };
            let l = layout(&s, &it, &r, &r);
            let last = l.placed.last().unwrap();
            let (first, w) = (l.placed[0].x, l.item_w(last.item));
            (
                first,
                last.x + w,
                l.along(r.h(), last.column.unwrap_or(0.0)),
            )
        };
        let (start, _, top) = ends(Position::Top, LegendAlign::Start);
        assert_eq!((start, top), (PAD, PAD));
        let (_, end, _) = ends(Position::Top, LegendAlign::End);
        assert!((end - (500.0 - PAD)).abs() < 1e-9, "{end}");
        let (l, rr, _) = ends(Position::Top, LegendAlign::Center);
        assert!((l - (500.0 - rr)).abs() < 1e-9, "centered: {l} .. {rr}");
        let column = 2.0 * row_h(&Font::chartjs(false));
        let (_, _, bottom) = ends(Position::Right, LegendAlign::End);
        assert_eq!(bottom, 300.0 - column);
        let (_, _, mid) = ends(Position::Left, LegendAlign::Center);
        assert_eq!(mid, (300.0 - column + PAD) / 2.0);
    }

    /// Chart.js drops no item at 200×150: seven rows above the chart, or
    /// a second column beside it.
    #[test]
    fn no_item_is_dropped_on_a_small_canvas() {
        let small = Rect::new(0.0, 0.0, 200.0, 150.0);
        let (top, it) = (spec(Position::Top), items(7));
        let l = layout(&top, &it, &small, &small);
        assert_eq!(l.placed.len(), 7);
        assert_eq!(l.room, PAD + 7.0 * row_h(&top.font), "a row each");
        let right = spec(Position::Right);
        let l = layout(&right, &it, &small, &small);
        assert_eq!(l.placed.len(), 7);
        let columns: std::collections::BTreeSet<u64> =
            l.placed.iter().map(|p| p.x.to_bits()).collect();
        // 150 px holds six 22 px rows and the padding below them.
        assert_eq!(columns.len(), 2);
        assert_eq!(l.placed.iter().filter(|p| p.x == PAD).count(), 6);
    }
}
