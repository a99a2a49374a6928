//! The chart area of a cartesian chart and its two fitted axes: maps a
//! datum's (index, value) to pixels in either orientation, so bar, line and
//! point drawing never care whether the chart is horizontal.

use super::axis::Axis;
use super::geom::{pt, Pt, Rect};
use crate::chart::spec::{Dataset, Fill};

/// A chart's plots: its datasets against the first value axis, and
/// against the second where the chart has one (`Dataset::on_y2`).
pub(crate) struct Plots<'a> {
    pub(crate) main: Plot<'a>,
    pub(crate) second: Option<Plot<'a>>,
}

impl<'a> Plots<'a> {
    /// The plot `ds` is drawn in.
    pub(crate) fn of(&self, ds: &Dataset) -> &Plot<'a> {
        match &self.second {
            Some(second) if ds.on_y2 => second,
            _ => &self.main,
        }
    }
}

pub(crate) struct Plot<'a> {
    pub(crate) area: Rect,
    pub(crate) index: &'a Axis<'a>,
    pub(crate) value: &'a Axis<'a>,
    /// The index axis is vertical: bars grow rightwards.
    pub(crate) horizontal: bool,
}

impl Plot<'_> {
    pub(crate) fn index_px(&self, i: f64) -> f64 {
        self.index.px(i, &self.area)
    }

    pub(crate) fn value_px(&self, v: f64) -> f64 {
        self.value.px(v, &self.area)
    }

    /// The point at index-axis pixel `i` and value-axis pixel `v`.
    pub(crate) fn orient(&self, i: f64, v: f64) -> Pt {
        if self.horizontal {
            pt(v, i)
        } else {
            pt(i, v)
        }
    }

    /// Pixel position of a datum; `None` when the scale cannot show it
    /// (a non-positive value on a log axis).
    pub(crate) fn at(&self, index: f64, value: f64) -> Option<Pt> {
        let (i, v) = (self.index_px(index), self.value_px(value));
        (i.is_finite() && v.is_finite()).then(|| self.orient(i, v))
    }

    /// The value pixels bars and origin fills grow from.
    pub(crate) fn base_px(&self) -> f64 {
        let base = self.value.value_scale().map_or(0.0, |s| s.base());
        self.value_px(base)
    }

    /// The value pixel a line's fill reaches: the origin, or the start or end
    /// of the value axis. `None` for no fill.
    pub(crate) fn fill_px(&self, fill: Fill) -> Option<f64> {
        let (start, end) = if self.horizontal {
            (self.area.l, self.area.r)
        } else {
            (self.area.b, self.area.t)
        };
        match fill {
            Fill::None => None,
            Fill::Origin => Some(self.base_px()),
            Fill::Start => Some(start),
            Fill::End => Some(end),
        }
    }

    /// The value coordinate of a pixel point.
    pub(crate) fn value_of(&self, p: Pt) -> f64 {
        if self.horizontal {
            p.x
        } else {
            p.y
        }
    }

    /// `p` moved along the value axis to value pixel `v`.
    pub(crate) fn with_value(&self, p: Pt, v: f64) -> Pt {
        if self.horizontal {
            pt(v, p.y)
        } else {
            pt(p.x, v)
        }
    }

    /// Length of the index axis.
    pub(crate) fn index_len(&self) -> f64 {
        if self.horizontal {
            self.area.h()
        } else {
            self.area.w()
        }
    }
}
