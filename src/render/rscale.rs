//! The radial scale of radar and polarArea charts: ticks from the center
//! outwards, the concentric grid (circles, or polygons on a radar) and its
//! spokes, and tick labels on a translucent backdrop.

use super::axis::GRID;
use super::geom::{self, pt, Pt, Rect};
use super::painter::{Align, Canvas, Line, Painter, Turn};
use super::scale::{Extent, Range, Tick, ValueScale};
use super::text;
use super::ticks::MAX_TICKS;
use super::RenderError;
use crate::chart::spec::{Rgba, Scale};
use std::f64::consts::{FRAC_PI_2, PI};

/// Backdrop behind tick labels, rgba(255, 255, 255, 0.75).
const BACKDROP: Rgba = Rgba(255, 255, 255, 191);
const BACKDROP_PAD: f64 = 2.0;

/// The height of a tick label's backdrop when tick labels are shown
/// (Chart.js 2.9.4's `getTickBackdropHeight`): the scale keeps half of it
/// clear at its top, and a radar's top point label half of it further out.
pub(crate) fn backdrop_height(opts: &Scale) -> f64 {
    if opts.display && opts.ticks.size > 0.0 {
        opts.ticks.size + 2.0 * BACKDROP_PAD
    } else {
        0.0
    }
}

/// A radial scale's frame in its region, as Chart.js 2.9.4's
/// `radialLinear` sets its dimensions before point labels are fitted: the
/// backdrop's half-height kept clear at the top, the largest radius that
/// fits below it.
pub(crate) struct Frame {
    region: Rect,
    pad: f64,
    pub(crate) radius: f64,
}

impl Frame {
    pub(crate) fn new(region: &Rect, opts: &Scale) -> Frame {
        let pad = backdrop_height(opts) / 2.0;
        let radius = ((region.h() - pad).min(region.w()) / 2.0).max(0.0);
        Frame {
            region: *region,
            pad,
            radius,
        }
    }

    /// The region's size and the height below the kept strip.
    pub(crate) fn size(&self) -> (f64, f64) {
        (self.region.w(), self.region.h() - self.pad)
    }

    /// The center before fitting, from the region's corner, where Chart.js
    /// measures point labels.
    pub(crate) fn first_center(&self) -> Pt {
        let (w, h) = self.size();
        pt((w / 2.0).floor(), (h / 2.0).floor())
    }

    /// The center and radius once point labels took `reduce` (left, right,
    /// top, bottom) off the radius (`setReductions`, whose radius is whole
    /// pixels), or as they are without point labels (`setCenterPoint(0, 0,
    /// 0, 0)` on the unfitted radius).
    pub(crate) fn fitted(&self, reduce: Option<[f64; 4]>) -> (Pt, f64) {
        let [l, r, t, b] = reduce.unwrap_or_default();
        let radius = match reduce {
            Some(_) => ((self.radius - (l + r) / 2.0).floor())
                .min((self.radius - (t + b) / 2.0).floor())
                .max(0.0),
            None => self.radius,
        };
        let (w, h) = self.size();
        let (left, right) = (l + radius, w - r - radius);
        let (top, bottom) = (t + radius, h - b - radius);
        let x = ((left + right) / 2.0 + self.region.l).floor();
        let y = ((top + bottom) / 2.0 + self.region.t + self.pad).floor();
        (pt(x, y), radius)
    }
}

/// The angle of spoke `i` of `n`, clockwise from the top.
pub(crate) fn angle(i: usize, n: usize) -> f64 {
    -FRAC_PI_2 + i as f64 * 2.0 * PI / n.max(1) as f64
}

/// A radial scale fitted to a radius.
pub(crate) struct Radial<'a> {
    opts: &'a Scale,
    pub(crate) center: Pt,
    pub(crate) radius: f64,
    scale: ValueScale,
    ticks: Vec<Tick>,
}

impl<'a> Radial<'a> {
    /// The scale of `ext` at `center`, `radius` long; as many ticks as fit
    /// along `tick_room`, the radius before point labels took their share
    /// (Chart.js 2.9.4 builds ticks before `fitWithPointLabels`).
    pub(crate) fn new(
        opts: &'a Scale,
        ext: Extent,
        (center, radius): (Pt, f64),
        tick_room: f64,
    ) -> Result<Self, RenderError> {
        let range = Range::new(opts, ext)?;
        let radius = radius.max(0.0);
        let font = &opts.ticks;
        let (scale, ticks) = if range.is_log() {
            range.log_ticks(radius, text::line_height(font))
        } else {
            // Chart.js (2.9.4 `_computeTickLimit`, 3/4 alike): a tick per
            // backdrop height, the font size and its padding above and below.
            let per = font.size.max(1.0) + 2.0 * BACKDROP_PAD;
            let most = (tick_room.max(0.0) / per).ceil() as usize;
            range.linear_ticks(most.clamp(2, MAX_TICKS))?
        };
        Ok(Radial {
            opts,
            center,
            radius,
            scale,
            ticks,
        })
    }

    /// Distance from the center of value `v`; values past the scale's ends
    /// stay on them. `None` when the scale cannot show `v`.
    pub(crate) fn dist(&self, v: f64) -> Option<f64> {
        let f = self.scale.frac(v);
        f.is_finite().then(|| f.clamp(0.0, 1.0) * self.radius)
    }

    /// Grid rings (polygons with `spokes` corners, circles when fewer than
    /// three) and, for a radar, the spokes themselves.
    pub(crate) fn draw_grid<B: Canvas>(
        &self,
        p: &mut Painter<B>,
        spokes: usize,
    ) -> Result<(), RenderError> {
        if !self.opts.display || !self.opts.grid {
            return Ok(());
        }
        let line = Line::solid(GRID, 1.0);
        for t in &self.ticks {
            let r = t.at.clamp(0.0, 1.0) * self.radius;
            if r <= 0.0 {
                continue;
            }
            if spokes >= 3 {
                let ring: Vec<Pt> = (0..spokes)
                    .map(|i| self.center.polar(r, angle(i, spokes)))
                    .collect();
                p.outline(&ring, &line)?;
            } else {
                p.circle(self.center, r, Rgba::TRANSPARENT, &line)?;
            }
        }
        if spokes >= 3 {
            for i in 0..spokes {
                p.polyline(
                    &[
                        self.center,
                        self.center.polar(self.radius, angle(i, spokes)),
                    ],
                    &line,
                )?;
            }
        }
        Ok(())
    }

    /// Tick labels up the vertical spoke, each on a backdrop; the center
    /// tick is left out, as Chart.js does.
    pub(crate) fn draw_labels<B: Canvas>(&self, p: &mut Painter<B>) -> Result<(), RenderError> {
        if !self.opts.display {
            return Ok(());
        }
        let font = &self.opts.ticks;
        let lh = text::line_height(font);
        for t in self.ticks.iter().filter(|t| t.at > 1e-9) {
            let Some(label) = &t.label else { continue };
            let y = self.center.y - t.at.clamp(0.0, 1.0) * self.radius;
            let w = text::measure(font, label);
            let back = Rect::new(
                self.center.x - w / 2.0,
                y - lh / 2.0,
                self.center.x + w / 2.0,
                y + lh / 2.0,
            );
            p.rect(back.inset(-BACKDROP_PAD), BACKDROP)?;
            p.text(
                label,
                font,
                pt(self.center.x, y - lh / 2.0),
                Align::Center,
                Turn::None,
            )?;
        }
        Ok(())
    }
}

/// Points around a circle for a filled wedge or ring sector from `a0` to
/// `a1`, between radii `inner` and `outer`.
pub(crate) fn sector(c: Pt, inner: f64, outer: f64, a0: f64, a1: f64, tol: f64) -> Vec<Pt> {
    let mut pts = Vec::new();
    geom::arc(&mut pts, c, outer, a0, a1, tol);
    if inner > 0.0 {
        geom::arc(&mut pts, c, inner, a1, a0, tol);
    } else {
        pts.push(c);
    }
    pts
}
