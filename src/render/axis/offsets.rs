//! Chart.js's `offset` on a time axis (Chart.js 3 and 4's bar charts
//! default to it): room of half a tick gap before the first tick and after
//! the last (2.9.4's `computeOffsets`, 4.4.1's `initOffsets`), and grid
//! lines halfway between ticks (`getPixelForGridLine` with `grid.offset`,
//! which 3 and 4's bar charts set too). Positions are fractions of the
//! axis, 0 at its start.

/// How far Chart.js moves a tick off its edge-to-edge place: by `start`
/// and then scaled by `factor`, so that the room fits within the axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Offsets {
    start: f64,
    factor: f64,
}

/// How far past the axis's ends a grid line may fall and still be drawn
/// (Chart.js: 1e-6 px), as a fraction of an axis.
const EPSILON: f64 = 1e-9;

impl Offsets {
    /// No room: ticks edge to edge.
    pub(crate) const NONE: Offsets = Offsets {
        start: 0.0,
        factor: 1.0,
    };

    /// The room for ticks at `decimals` (edge to edge, 0 at the first
    /// time, 1 at the last): half the first gap and half the last (a lone
    /// tick: all beside it). Chart.js 3 and 4 bound each to a quarter of
    /// the axis (a half with fewer than three ticks); 2.9.4 does not.
    pub(crate) fn of(decimals: &[f64], v3: bool) -> Offsets {
        let n = decimals.len();
        let (start, end) = match n {
            0 => return Offsets::NONE,
            1 => (1.0 - decimals[0], decimals[0]),
            _ => (
                (decimals[1] - decimals[0]) / 2.0,
                (decimals[n - 1] - decimals[n - 2]) / 2.0,
            ),
        };
        let (start, end) = if v3 {
            let limit = if n < 3 { 0.5 } else { 0.25 };
            // `_limitValue`: NaN stays NaN, as in Chart.js.
            (start.min(limit).max(0.0), end.min(limit).max(0.0))
        } else {
            (start, end)
        };
        Offsets {
            start,
            factor: 1.0 / (start + 1.0 + end),
        }
    }

    /// Where a time at `decimal` (edge to edge) falls on the axis.
    pub(crate) fn apply(&self, decimal: f64) -> f64 {
        (self.start + decimal) * self.factor
    }
}

/// The grid lines of ticks at `at` (in axis order), for the ticks at the
/// indices `drawn` and one past the last: each halfway to the tick before
/// (the first: as far before as the second is after it; a lone tick: as
/// far as the axis's farther end), the last past the last tick; none that
/// falls off the axis.
pub(crate) fn between(at: &[f64], drawn: impl Iterator<Item = usize>) -> Vec<f64> {
    let n = at.len();
    if n == 0 {
        return Vec::new();
    }
    let line = |index: usize| {
        let valid = index.min(n - 1);
        let here = at[valid];
        let half = match (n, valid) {
            (1, _) => here.max(1.0 - here),
            (_, 0) => (at[1] - here) / 2.0,
            _ => (here - at[valid - 1]) / 2.0,
        };
        let f = if valid < index {
            here + half
        } else {
            here - half
        };
        (-EPSILON..=1.0 + EPSILON).contains(&f).then_some(f)
    };
    drawn.chain([n]).filter_map(line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_bars_get_half_a_day_each_side() {
        // Five days, edge to edge at quarters: Chart.js pads half a gap.
        let days = [0.0, 0.25, 0.5, 0.75, 1.0];
        let o = Offsets::of(&days, false);
        for (d, want) in days.iter().zip([0.1, 0.3, 0.5, 0.7, 0.9]) {
            assert!((o.apply(*d) - want).abs() < 1e-12);
        }
        // 3 and 4 bound the room to a quarter of the axis, which this is
        // within; a wide gap is bounded.
        assert_eq!(Offsets::of(&days, true), o);
        let wide = Offsets::of(&[0.0, 0.9, 1.0], true);
        assert_eq!(wide.apply(0.0), 0.25 / 1.3);
    }

    #[test]
    fn grid_lines_fall_between_ticks_and_past_the_last() {
        let at = [0.1, 0.3, 0.5, 0.7, 0.9];
        let lines = between(&at, 0..5);
        let want = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
        assert_eq!(lines.len(), want.len());
        for (l, w) in lines.iter().zip(want) {
            assert!((l - w).abs() < 1e-12, "{lines:?}");
        }
        // Skipped ticks draw no line; the one past the last is always asked.
        assert_eq!(between(&at, [0, 2, 4].into_iter()).len(), 4);
        // A lone tick's lines are as far off as the axis's farther end:
        // the one before it falls off the axis.
        assert_eq!(between(&[0.4], 0..1), [1.0]);
    }
}
