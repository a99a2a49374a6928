//! The whole picture: background, title and legend bands cut off the
//! canvas's sides in Chart.js's order, and the chart family's drawing in the
//! region that remains.

use super::geom::Rect;
use super::legend::{self, Item};
use super::painter::{Canvas, Painter};
use super::{cartesian, radar, radial, title, RenderError};
use crate::chart::spec::{ChartKind, ChartSpec, Output, PointStyle, Position};

/// The chart families, each drawn by its own module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    Cartesian,
    /// Pie, doughnut and polarArea: one legend entry per label.
    Radial,
    Radar,
}

pub(crate) fn family(kind: ChartKind) -> Family {
    match kind {
        ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => Family::Radial,
        ChartKind::Radar => Family::Radar,
        ChartKind::Bar | ChartKind::Line | ChartKind::Scatter | ChartKind::Bubble => {
            Family::Cartesian
        }
    }
}

/// Draws `chart` on a canvas of `out`'s CSS size.
pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    chart: &ChartSpec,
    out: &Output,
) -> Result<(), RenderError> {
    let canvas = Rect::new(0.0, 0.0, f64::from(out.width), f64::from(out.height));
    p.rect(canvas, out.background)?;
    // No margin beyond the spec's padding: Chart.js puts its title at the
    // canvas's top edge (the axes keep their own few pixels from the sides).
    let pad = &chart.padding;
    let outer = canvas.inset4(pad.left, pad.top, pad.right, pad.bottom);
    let mut region = outer;
    // Chart.js lays its boxes out by weight: the title outermost, then
    // the subtitle, then the legend.
    for t in chart.title.iter().chain(&chart.subtitle) {
        let band = cut(&mut region, t.position, title::room(t));
        title::draw(p, t, &band)?;
    }
    let items = legend_items(chart);
    let legend = legend::layout(&chart.legend, &items, &region, &outer);
    let band = cut(&mut region, chart.legend.position, legend.room);
    // Chart.js fits a side legend of a cartesian chart to the chart area's
    // height, known once the axes are fitted; any other legend is drawn
    // first, as it always was.
    let side = family(chart.kind) == Family::Cartesian
        && matches!(chart.legend.position, Position::Left | Position::Right);
    if !side {
        legend.draw(p, &band)?;
    }
    p.check_deadline()?;
    match family(chart.kind) {
        Family::Cartesian => {
            let area = cartesian::draw(p, chart, region, (outer, canvas))?;
            if side {
                legend.draw(p, &Rect::new(band.l, area.t, band.r, area.b))?;
            }
            Ok(())
        }
        Family::Radial => radial::draw(p, chart, region),
        Family::Radar => radar::draw(p, chart, region),
    }
}

/// Cuts a band `size` thick off `side` of `region`.
pub(crate) fn cut(region: &mut Rect, side: Position, size: f64) -> Rect {
    let r = *region;
    match side {
        Position::Top => {
            let size = size.clamp(0.0, r.h());
            region.t += size;
            Rect::new(r.l, r.t, r.r, r.t + size)
        }
        Position::Bottom => {
            let size = size.clamp(0.0, r.h());
            region.b -= size;
            Rect::new(r.l, r.b - size, r.r, r.b)
        }
        Position::Left => {
            let size = size.clamp(0.0, r.w());
            region.l += size;
            Rect::new(r.l, r.t, r.l + size, r.b)
        }
        Position::Right => {
            let size = size.clamp(0.0, r.w());
            region.r -= size;
            Rect::new(r.r - size, r.t, r.r, r.b)
        }
    }
}

/// One entry per dataset, or per label for pie-like charts (colored as the
/// first dataset colors that label), but those `labels.filter` left out.
fn legend_items(chart: &ChartSpec) -> Vec<Item> {
    let mut items = all_legend_items(chart);
    for &i in chart.legend.filtered.iter().rev() {
        if i < items.len() {
            items.remove(i);
        }
    }
    items
}

fn all_legend_items(chart: &ChartSpec) -> Vec<Item> {
    if family(chart.kind) == Family::Radial {
        let Some(ds) = chart.datasets.first() else {
            return Vec::new();
        };
        return chart
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| Item {
                label: label.clone(),
                fill: ds.background.at(i),
                shade: ds.shade(i).cloned(),
                stroke: ds.border.at(i),
                width: ds.border_width,
                dash: Vec::new(),
                point_style: PointStyle::Circle,
                hidden: false,
            })
            .collect();
    }
    chart
        .datasets
        .iter()
        .map(|ds| Item {
            label: ds.label.clone(),
            // Chart.js 2 colors a point-style item as the first point,
            // which keeps its colors whatever `fill` says.
            fill: match (chart.legend.use_point_style, ds.legend_solid) {
                (true, _) => ds.point_fill(0),
                (false, true) => ds.border.at(0),
                (false, false) => ds.background.at(0),
            },
            shade: ds.shade(0).filter(|_| !ds.legend_solid).cloned(),
            stroke: if chart.legend.use_point_style {
                ds.point_border(0)
            } else {
                ds.border.at(0)
            },
            width: if chart.legend.use_point_style {
                ds.point_border_width(0)
            } else {
                ds.legend_border_width.unwrap_or(ds.border_width)
            },
            dash: ds.border_dash.clone(),
            // `pointStyle: false` is drawn as Chart.js's default, a circle.
            point_style: match ds.point_style_at(0) {
                PointStyle::None => PointStyle::Circle,
                style => style,
            },
            hidden: ds.hidden,
        })
        .collect()
}
