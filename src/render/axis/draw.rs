//! Drawing a fitted axis: grid lines and tick marks under the data, tick
//! labels and the axis title beside the chart area.

use super::{Axis, Edge, Kind, GRID, TITLE_PAD};
use crate::chart::spec::Font;
use crate::render::geom::{pt, Pt, Rect};
use crate::render::painter::{Align, Canvas, Line, Painter, Turn};
use crate::render::text;
use crate::render::RenderError;

impl Axis<'_> {
    /// Grid lines, tick marks and the axis line. `skip_start` leaves out a
    /// grid line on the chart area's edge where the other axis draws its own.
    pub(crate) fn draw_grid<B: Canvas>(
        &self,
        p: &mut Painter<B>,
        area: &Rect,
        skip_start: bool,
    ) -> Result<(), RenderError> {
        if !self.opts.display {
            return Ok(());
        }
        let line = Line::solid(GRID, 1.0);
        let tick = self.tick_len();
        if self.opts.grid {
            let zero = self.zero_line();
            for &f in &self.grid {
                let on_start = match self.edge {
                    Edge::Bottom => f * area.w() < 0.5,
                    Edge::Left | Edge::Right => f * area.h() < 0.5,
                };
                match zero {
                    // Chart.js 2 draws it over the other axis's border too.
                    Some((at, ref dark)) if at == f => self.grid_line(p, area, f, tick, dark)?,
                    _ if skip_start && on_start => {}
                    _ => self.grid_line(p, area, f, tick, &line)?,
                }
            }
        }
        let border = match self.edge {
            Edge::Bottom => {
                let y = p.crisp(area.b, 1.0);
                [pt(area.l, y), pt(area.r, y)]
            }
            Edge::Left | Edge::Right => {
                let x = p.crisp(self.edge_x(area), 1.0);
                [pt(x, area.t), pt(x, area.b)]
            }
        };
        p.polyline(&border, &line)
    }

    /// Where a vertical axis meets the chart area.
    fn edge_x(&self, area: &Rect) -> f64 {
        if self.edge == Edge::Right {
            area.r
        } else {
            area.l
        }
    }

    /// Where Chart.js 2 draws its zero line, and in what: the grid line of
    /// the tick of value 0 on a linear axis, the first grid line of a
    /// category or time axis (its `zeroLineIndex` stays 0); none on a log
    /// axis.
    fn zero_line(&self) -> Option<(f64, Line<'static>)> {
        let color = self.opts.zero_line?;
        // Chart.js 2.9.4 draws it only where `offset` is
        // `offsetGridLines`: never on a time axis's with an `offset`.
        let offset = self.opts.time.as_ref().is_some_and(|t| t.offset);
        let at = match &self.kind {
            Kind::Time { .. } if offset => return None,
            Kind::Category { .. } | Kind::Time { .. } => *self.grid.first()?,
            Kind::Value(range) if range.is_log() => return None,
            Kind::Value(_) => self.ticks.iter().find(|t| t.value == 0.0)?.at,
        };
        Some((at, Line::solid(color, 1.0)))
    }

    fn grid_line<B: Canvas>(
        &self,
        p: &mut Painter<B>,
        area: &Rect,
        f: f64,
        tick: f64,
        line: &Line,
    ) -> Result<(), RenderError> {
        // The line across the chart area, unless `drawOnChartArea` is
        // off, and the tick mark outside it.
        let on = self.opts.grid_on_area;
        let seg = match self.edge {
            Edge::Bottom => {
                let x = p.crisp(area.l + f * area.w(), 1.0);
                [
                    pt(x, if on { area.t } else { area.b }),
                    pt(x, area.b + tick),
                ]
            }
            Edge::Left => {
                let y = p.crisp(area.b - f * area.h(), 1.0);
                [
                    pt(area.l - tick, y),
                    pt(if on { area.r } else { area.l }, y),
                ]
            }
            Edge::Right => {
                let y = p.crisp(area.b - f * area.h(), 1.0);
                [
                    pt(if on { area.l } else { area.r }, y),
                    pt(area.r + tick, y),
                ]
            }
        };
        p.polyline(&seg, line)
    }

    /// Tick labels and the axis title.
    pub(crate) fn draw_labels<B: Canvas>(
        &self,
        p: &mut Painter<B>,
        area: &Rect,
    ) -> Result<(), RenderError> {
        if !self.opts.display {
            return Ok(());
        }
        let font = &self.opts.ticks;
        let lh = text::line_height(font);
        let out = self.label_offset();
        if self.edge == Edge::Bottom && self.rotation != 0.0 {
            // Chart.js: right-aligned, the middle of the line on the
            // tick's end; all drawn together.
            let turned: Vec<(&str, Pt)> = self
                .ticks
                .iter()
                .filter_map(|t| {
                    Some((
                        t.label.as_deref()?,
                        pt(area.l + t.at * area.w(), area.b + out),
                    ))
                })
                .collect();
            p.texts_turned(&turned, font, Align::End, self.rotation)?;
            return self.draw_title(p, area);
        }
        for t in &self.ticks {
            let Some(label) = &t.label else { continue };
            match self.edge {
                Edge::Bottom => {
                    let x = area.l + t.at * area.w();
                    p.text(label, font, pt(x, area.b + out), Align::Center, Turn::None)?
                }
                Edge::Left | Edge::Right => {
                    let y = area.b - t.at * area.h();
                    let (x, align) = match self.edge {
                        Edge::Right => (area.r + out, Align::Start),
                        _ => (area.l - out, Align::End),
                    };
                    p.text(label, font, pt(x, y - lh / 2.0), align, Turn::None)?
                }
            }
        }
        self.draw_title(p, area)
    }

    fn draw_title<B: Canvas>(&self, p: &mut Painter<B>, area: &Rect) -> Result<(), RenderError> {
        let Some(title) = self.opts.title.as_deref().filter(|t| !t.is_empty()) else {
            return Ok(());
        };
        let font: &Font = &self.opts.title_font;
        let c = area.center();
        // Chart.js draws a title whole, past its axis's ends where it is
        // longer (a 200x150 chart's side axis is shorter than most).
        match self.edge {
            Edge::Bottom => {
                let y =
                    area.b + self.tick_len() + self.label_across + self.line_space() + TITLE_PAD;
                p.text(title, font, pt(c.x, y), Align::Center, Turn::None)
            }
            Edge::Left => {
                let x = area.l - self.thickness + TITLE_PAD;
                p.text(title, font, pt(x, c.y), Align::Center, Turn::Up)
            }
            // Chart.js turns a right axis's title to read downwards.
            Edge::Right => {
                let x = area.r + self.thickness - TITLE_PAD;
                p.text(title, font, pt(x, c.y), Align::Center, Turn::Down)
            }
        }
    }

    /// Label boxes as drawn over `area`, for tests: (left, top, right, bottom).
    #[cfg(test)]
    pub(crate) fn label_boxes(&self, area: &Rect) -> Vec<Rect> {
        let font = &self.opts.ticks;
        let lh = text::line_height(font);
        let out = self.label_offset();
        self.ticks
            .iter()
            .filter(|t| t.label.is_some())
            .map(|t| {
                let (before, after, across) = self.tick_reach(t);
                match self.edge {
                    Edge::Bottom => {
                        let x = area.l + t.at * area.w();
                        Rect::new(x - before, area.b + out, x + after, area.b + out + across)
                    }
                    Edge::Left | Edge::Right => {
                        let y = area.b - t.at * area.h();
                        let x = match self.edge {
                            Edge::Right => area.r + out,
                            _ => area.l - out - across,
                        };
                        Rect::new(x, y - lh / 2.0, x + across, y + lh / 2.0)
                    }
                }
            })
            .collect()
    }
}
