//! Bars: side by side per category, or stacked per `Dataset::stack` group;
//! vertical, or horizontal when the index axis is `y`. Borders are drawn
//! inside the bar and skip its base edge, as Chart.js draws them.

use super::data::{self, Span};
use super::datalabels::Range;
use super::geom::{pt, Pt, Rect};
use super::painter::{Canvas, Painter};
use super::plot::Plot;
use super::RenderError;
use crate::chart::spec::{ChartKind, ChartSpec, Dataset, Rgba, Shade};

/// Chart.js `categoryPercentage`: share of a category its bars fill.
const CATEGORY_SHARE: f64 = 0.8;
/// Chart.js `barPercentage`: share of its slot one bar fills.
const BAR_SHARE: f64 = 0.9;

/// Which slot of its category each bar dataset takes.
pub(crate) struct Slots {
    of: Vec<Option<usize>>,
    count: usize,
}

impl Slots {
    /// One slot per bar dataset, or per stack group when `stacked`.
    pub(crate) fn new(chart: &ChartSpec, stacked: bool) -> Slots {
        let mut groups: Vec<&str> = Vec::new();
        let mut of = vec![None; chart.datasets.len()];
        for (k, ds) in data::drawn(chart).filter(|(_, d)| d.kind == ChartKind::Bar) {
            let slot = match groups.iter().position(|g| stacked && *g == ds.stack) {
                Some(s) => s,
                None => {
                    groups.push(&ds.stack);
                    groups.len() - 1
                }
            };
            of[k] = Some(slot);
        }
        Slots {
            of,
            count: groups.len(),
        }
    }

    pub(crate) fn any(&self) -> bool {
        self.count > 0
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Top,
    Right,
    Bottom,
    /// No side: the base a bar skips when `borderSkipped: false`.
    None,
}

/// Draws dataset `k`'s bars; `band` is one category's width in pixels.
pub(crate) fn draw<B: Canvas>(
    p: &mut Painter<B>,
    plot: &Plot,
    ds: &Dataset,
    k: usize,
    spans: &[Option<Span>],
    slots: &Slots,
    band: f64,
) -> Result<(), RenderError> {
    let Some(place) = Place::of(plot, (k, ds), slots, band, p.hairline()) else {
        return Ok(());
    };
    p.set_clip(Some(plot.area));
    for (i, s) in spans.iter().enumerate() {
        if let Some((rect, base)) = s.as_ref().and_then(|s| place.rect(plot, s)) {
            let side = if ds.border_skipped { base } else { Side::None };
            let fill = (ds.background.at(i), ds.shade(i));
            let border = (ds.border.at(i), ds.border_width);
            bar(p, (rect, side, ds.bar_corners), fill, border)?;
        }
    }
    p.set_clip(None);
    Ok(())
}

/// Where dataset `k`'s datalabels may sit: each bar's `Range`.
pub(crate) fn label_ranges(
    plot: &Plot,
    (k, ds): (usize, &Dataset),
    spans: &[Option<Span>],
    slots: &Slots,
    band: f64,
    hairline: f64,
) -> Vec<(usize, Range)> {
    let Some(place) = Place::of(plot, (k, ds), slots, band, hairline) else {
        return Vec::new();
    };
    spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (rect, _) = place.rect(plot, s.as_ref()?)?;
            Some((i, Range::bar(rect, plot.horizontal)))
        })
        .collect()
}

/// Where one dataset's bars sit within their categories.
struct Place {
    /// From the category's center to the bar's center.
    offset: f64,
    thick: f64,
    /// Value pixel bars grow from unless stacked on another.
    base: f64,
}

impl Place {
    /// Dataset `k`'s place, `None` when it has no slot (not a bar). As
    /// Chart.js 2.9.4's `computeFitCategoryTraits`: the slots share
    /// `categoryPercentage` of the band and a bar fills `barPercentage` of
    /// its slot, or every slot is `barThickness` wide and filled; at most
    /// `maxBarThickness`.
    fn of(
        plot: &Plot,
        (k, ds): (usize, &Dataset),
        slots: &Slots,
        band: f64,
        hairline: f64,
    ) -> Option<Place> {
        let slot = slots.of.get(k).copied().flatten()?;
        let count = slots.count.max(1) as f64;
        let fit = &ds.bar_fit;
        let (group, each, fill) = match fit.bar_thickness {
            Some(thickness) => (thickness * count, thickness, 1.0),
            None => {
                let group = band * fit.category_percentage.unwrap_or(CATEGORY_SHARE);
                (
                    group,
                    group / count,
                    fit.bar_percentage.unwrap_or(BAR_SHARE),
                )
            }
        };
        let most = fit.max_bar_thickness.unwrap_or(f64::INFINITY);
        Some(Place {
            offset: (slot as f64 + 0.5) * each - group / 2.0,
            // Thinner bars would flicker in and out with the rasterizer's
            // sub-pixel grid; a device pixel keeps thousands of bars a band.
            thick: (each * fill).min(most).max(hairline),
            base: plot.base_px(),
        })
    }

    /// The bar of `s` and its base side; `None` if it cannot be shown.
    fn rect(&self, plot: &Plot, s: &Span) -> Option<(Rect, Side)> {
        let c = plot.index_px(s.index) + self.offset;
        let v0 = s
            .base
            .map(|b| plot.value_px(b))
            .filter(|v| v.is_finite())
            .unwrap_or(self.base);
        let v1 = plot.value_px(s.top);
        if !(c.is_finite() && v1.is_finite()) {
            return None;
        }
        let (lo, hi) = (c - self.thick / 2.0, c + self.thick / 2.0);
        Some(if plot.horizontal {
            let side = if v1 >= v0 { Side::Left } else { Side::Right };
            (Rect::new(v0, lo, v1, hi), side)
        } else {
            let side = if v1 <= v0 { Side::Bottom } else { Side::Top };
            (Rect::new(lo, v0, hi, v1), side)
        })
    }
}

/// A bar with its border inside, on every side but `base`, filled with
/// its color or its gradient or pattern; its corners rounded by `corners`
/// (top left, top right, bottom right, bottom left) but those on `base`.
fn bar<B: Canvas>(
    p: &mut Painter<B>,
    (r, base, corners): (Rect, Side, [f64; 4]),
    (fill, shade): (Rgba, Option<&Shade>),
    (border, width): (Rgba, f64),
) -> Result<(), RenderError> {
    let bw = width.max(0.0).min(r.w() / 2.0).min(r.h() / 2.0);
    let has = |s: Side| s != base && bw > 0.0 && border.3 > 0;
    let d = |s: Side| if has(s) { bw } else { 0.0 };
    let inner = r.inset4(d(Side::Left), d(Side::Top), d(Side::Right), d(Side::Bottom));
    let outer_radii = radii(r, base, corners);
    if outer_radii.iter().any(|r| *r > 0.0) {
        // Chart.js 3 and 4's `boundingRects`: the inner corners less the
        // wider of the two borders beside each.
        let [tl, tr, br, bl] = outer_radii;
        let (l, t, rr, b) = (d(Side::Left), d(Side::Top), d(Side::Right), d(Side::Bottom));
        let inner_radii =
            [tl - t.max(l), tr - t.max(rr), br - b.max(rr), bl - b.max(l)].map(|r| r.max(0.0));
        let step = p.hairline();
        let inside = rounded(inner, inner_radii, step);
        if inner != r {
            p.polygon(&ring(&rounded(r, outer_radii, step), &inside), border)?;
        }
        return p.shaded(&inside, fill, shade);
    }
    match shade {
        Some(_) if inner.w() > 0.0 && inner.h() > 0.0 => p.shaded(&inner.corners(), fill, shade)?,
        _ => p.rect(inner, fill)?,
    }
    let (l, rr) = (r.l + d(Side::Left), r.r - d(Side::Right));
    let strips = [
        (Side::Left, Rect::new(r.l, r.t, r.l + bw, r.b)),
        (Side::Right, Rect::new(r.r - bw, r.t, r.r, r.b)),
        (Side::Top, Rect::new(l, r.t, rr, r.t + bw)),
        (Side::Bottom, Rect::new(l, r.b - bw, rr, r.b)),
    ];
    for (side, strip) in strips {
        if has(side) {
            p.rect(strip, border)?;
        }
    }
    Ok(())
}

/// A bar's corner radii, as Chart.js 3 and 4's `parseBorderRadius` gives
/// them to a bar that is not in a stack: none on its base side, none
/// larger than half its width or height.
fn radii(r: Rect, base: Side, [tl, tr, br, bl]: [f64; 4]) -> [f64; 4] {
    let most = (r.w() / 2.0).min(r.h() / 2.0).max(0.0);
    let skip = |a: Side, b: Side| base == a || base == b;
    [
        (tl, skip(Side::Top, Side::Left)),
        (tr, skip(Side::Top, Side::Right)),
        (br, skip(Side::Bottom, Side::Right)),
        (bl, skip(Side::Bottom, Side::Left)),
    ]
    .map(|(r, skipped)| if skipped { 0.0 } else { r.clamp(0.0, most) })
}

/// The outline of `r` with rounded corners (top left, top right, bottom
/// right, bottom left), clockwise on the screen from the top edge: each
/// arc in as many chords as keep it within a fraction of a device pixel
/// (`hairline` CSS pixels).
fn rounded(r: Rect, [tl, tr, br, bl]: [f64; 4], hairline: f64) -> Vec<Pt> {
    use std::f64::consts::FRAC_PI_2;
    let mut out = Vec::new();
    let corners = [
        (pt(r.r - tr, r.t + tr), tr, -FRAC_PI_2),
        (pt(r.r - br, r.b - br), br, 0.0),
        (pt(r.l + bl, r.b - bl), bl, FRAC_PI_2),
        (pt(r.l + tl, r.t + tl), tl, 2.0 * FRAC_PI_2),
    ];
    for (c, radius, from) in corners {
        let chords = if radius > 0.0 {
            ((radius / hairline).sqrt() * 1.5).ceil().clamp(2.0, 24.0) as usize
        } else {
            0
        };
        for i in 0..=chords {
            let a = from + FRAC_PI_2 * i as f64 / chords.max(1) as f64;
            out.push(pt(c.x + radius * a.cos(), c.y + radius * a.sin()));
        }
    }
    out
}

/// The ring between `outer` and `inner` as one polygon: around the outer
/// outline, across to the inner one and around it the other way, so the
/// inside winds to zero (filled with the nonzero rule, as the bar's
/// border is `fill('evenodd')`ed by Chart.js between the two paths).
fn ring(outer: &[Pt], inner: &[Pt]) -> Vec<Pt> {
    let mut out = outer.to_vec();
    out.extend(outer.first());
    out.extend(inner.first());
    out.extend(inner.iter().rev());
    out
}
