//! Cartesian axes: fitting ticks and labels to an axis's length (Chart.js
//! tick counts; crowded labels thinned, turned a quarter or shortened so they
//! never overlap), the room an axis takes beside the chart area, and drawing
//! its grid lines, tick labels and title.

mod draw;

use super::callbacks;
use super::geom::Rect;
use super::scale::{Categories, Range, Tick, ValueScale};
use super::text;
use super::ticks::{self, MAX_TICKS};
use super::RenderError;
use crate::chart::spec::{Rgba, Scale};

/// Chart.js's grid color, rgba(0, 0, 0, 0.1).
pub(crate) const GRID: Rgba = Rgba(0, 0, 0, 26);
/// Grid lines reach this far past the chart area as tick marks (Chart.js's
/// `gridLines.tickMarkLength`); tick labels start right at their end
/// (`ticks.padding` 0).
const TICK_LEN: f64 = 10.0;
/// Room an axis keeps beyond its tick labels, in tick line heights
/// (`lineSpace` in Chart.js 2.9.4's scale `fit`).
const LINE_SPACE: f64 = 0.4;
const TITLE_PAD: f64 = 4.0;
/// Space between neighbouring labels, in ems.
const LABEL_GAP_EM: f64 = 0.6;
/// Pixels per tick Chart.js allows a horizontal numeric axis.
const H_TICK_SPACING: f64 = 40.0;
/// Ems per tick on a vertical numeric axis: one line of tick text, as
/// Chart.js 2.9.4 (`scale.linear`'s `_computeTickLimit`: the axis height over
/// the tick font's line height) and 3/4 (`computeTickLimit`) allow. It was
/// two ems, which gave 0-200 by 50 where Chart.js draws 0-200 by 20.
const V_TICK_SPACING_EM: f64 = text::LINE_HEIGHT_EM;
/// Flat category labels are at least this many line heights apart.
const FLAT_MIN_LINES: f64 = 1.5;
/// Category labels longer than this many line heights are turned rather
/// than thinned to a handful when crowded.
const TURN_LONG_LABELS: f64 = 3.0;

/// Which side of the chart area an axis runs along.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edge {
    Left,
    Bottom,
}

/// What an axis shows.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind<'a> {
    Category {
        labels: &'a [String],
        cats: Categories,
    },
    Value(Range),
}

#[derive(Clone, Copy, Debug)]
enum Map {
    Category(Categories),
    Value(ValueScale),
}

/// One axis, fitted to a length.
pub(crate) struct Axis<'a> {
    opts: &'a Scale,
    edge: Edge,
    kind: Kind<'a>,
    map: Map,
    /// Label widths of a category axis, measured once.
    widths: Vec<f64>,
    /// Longest a label may be across the axis before it is shortened.
    max_across: f64,
    ticks: Vec<Tick>,
    grid: Vec<f64>,
    turned: bool,
    label_across: f64,
    /// Room the axis takes beside the chart area.
    pub(crate) thickness: f64,
    /// How far labels reach past the axis's start and end.
    pub(crate) overhang: (f64, f64),
}

impl<'a> Axis<'a> {
    pub(crate) fn new(opts: &'a Scale, edge: Edge, kind: Kind<'a>, max_across: f64) -> Axis<'a> {
        let (map, widths) = match kind {
            Kind::Category { labels, cats } => {
                let font = &opts.ticks;
                let widths = (0..cats.n)
                    .map(|i| labels.get(i).map_or(0.0, |l| text::measure(font, l)))
                    .collect();
                (Map::Category(cats), widths)
            }
            Kind::Value(_) => (
                Map::Value(ValueScale {
                    log: false,
                    lo: 0.0,
                    hi: 1.0,
                    reverse: false,
                }),
                Vec::new(),
            ),
        };
        Axis {
            opts,
            edge,
            kind,
            map,
            widths,
            max_across: max_across.max(0.0),
            ticks: Vec::new(),
            grid: Vec::new(),
            turned: false,
            label_across: 0.0,
            thickness: 0.0,
            overhang: (0.0, 0.0),
        }
    }

    /// Chooses ticks and labels for an axis `len` CSS pixels long, and
    /// measures the room it then takes.
    pub(crate) fn fit(&mut self, len: f64) -> Result<(), RenderError> {
        let len = len.max(1.0);
        match self.kind {
            Kind::Category { labels, cats } => self.fit_categories(labels, cats, len),
            Kind::Value(range) => self.fit_values(range, len)?,
        }
        self.measure(len);
        Ok(())
    }

    /// Where `v` (a value, or a category index) falls, 0 at the axis start.
    pub(crate) fn frac(&self, v: f64) -> f64 {
        match &self.map {
            Map::Category(c) => c.frac(v),
            Map::Value(s) => s.frac(v),
        }
    }

    /// The pixel coordinate of `v` along this axis over `area`.
    pub(crate) fn px(&self, v: f64, area: &Rect) -> f64 {
        let f = self.frac(v);
        match self.edge {
            Edge::Bottom => area.l + f * area.w(),
            Edge::Left => area.b - f * area.h(),
        }
    }

    pub(crate) fn value_scale(&self) -> Option<&ValueScale> {
        match &self.map {
            Map::Value(s) => Some(s),
            Map::Category(_) => None,
        }
    }

    pub(crate) fn categories(&self) -> Option<&Categories> {
        match &self.map {
            Map::Category(c) => Some(c),
            Map::Value(_) => None,
        }
    }

    pub(crate) fn shown(&self) -> bool {
        self.opts.display
    }

    fn gap(&self) -> f64 {
        LABEL_GAP_EM * self.opts.ticks.size.max(0.0)
    }

    fn fit_categories(&mut self, labels: &[String], cats: Categories, len: f64) {
        let font = &self.opts.ticks;
        let n = cats.n;
        let spacing = cats.band() * len;
        let (turned, step) = match self.edge {
            Edge::Left => (false, self.stacked_step(spacing)),
            Edge::Bottom => self.choose_turn(spacing),
        };
        let cap = if turned || self.edge == Edge::Left {
            self.max_across
        } else {
            f64::INFINITY
        };
        self.turned = turned;
        self.ticks = (0..n)
            .step_by(step)
            .map(|i| Tick {
                at: cats.frac(i as f64),
                value: i as f64,
                label: Some(
                    text::fit(font, labels.get(i).map_or("", String::as_str), cap).into_owned(),
                ),
            })
            .collect();
        self.grid = if cats.offset {
            let edge = |i: usize| {
                let f = i as f64 / n.max(1) as f64;
                if cats.flip {
                    1.0 - f
                } else {
                    f
                }
            };
            let mut g: Vec<f64> = (0..n).step_by(step).map(edge).collect();
            g.push(edge(n));
            g
        } else {
            self.ticks.iter().map(|t| t.at).collect()
        };
    }

    /// Whether labels of a horizontal category axis are turned, and every
    /// how many categories one is shown. Flat labels are preferred; turned
    /// ones when that shows them all, or when they are long.
    fn choose_turn(&self, spacing: f64) -> (bool, usize) {
        let flat = self.flat_step(spacing);
        if flat == 1 {
            return (false, 1);
        }
        let turned = self.stacked_step(spacing);
        let widest = self.widths.iter().fold(0.0f64, |m, w| m.max(*w));
        let long =
            widest.min(self.max_across) > TURN_LONG_LABELS * text::line_height(&self.opts.ticks);
        if turned == 1 || long {
            (true, turned)
        } else {
            (false, flat)
        }
    }

    /// The smallest nice step at which flat labels `spacing` apart clear
    /// their neighbours. Short labels still keep some air, or grids of
    /// unlabelled categories turn into hatching.
    fn flat_step(&self, spacing: f64) -> usize {
        let n = self.widths.len();
        let min = FLAT_MIN_LINES * text::line_height(&self.opts.ticks);
        let mut step = 1;
        while step < n {
            let need = (0..n - step)
                .step_by(step)
                .map(|i| (self.widths[i] + self.widths[i + step]) / 2.0 + self.gap())
                .fold(min, f64::max);
            if need <= spacing * step as f64 {
                break;
            }
            step = ticks::nice_skip(step + 1);
        }
        step.max(1)
    }

    /// The step at which labels stacked a line apart (turned, or on a
    /// vertical axis) clear each other.
    fn stacked_step(&self, spacing: f64) -> usize {
        let need = text::line_height(&self.opts.ticks) + self.gap() / 2.0;
        let n = self.widths.len().max(1);
        if need <= spacing {
            1
        } else {
            ticks::nice_skip((need / spacing.max(1e-9)).ceil().min(n as f64) as usize)
        }
    }

    fn fit_values(&mut self, range: Range, len: f64) -> Result<(), RenderError> {
        let font = &self.opts.ticks;
        let lh = text::line_height(font);
        let (scale, ticks) = if range.is_log() {
            let need = match self.edge {
                Edge::Left => lh + 2.0,
                Edge::Bottom => {
                    let [a, b] = range.sample_labels();
                    text::measure(font, &a).max(text::measure(font, &b)) + self.gap()
                }
            };
            range.log_ticks(len, need)
        } else {
            let per_tick = match self.edge {
                Edge::Bottom => H_TICK_SPACING,
                Edge::Left => V_TICK_SPACING_EM * font.size.max(1.0),
            };
            let cap = ((len / per_tick).ceil() as usize).clamp(2, MAX_TICKS);
            let mut fitted = range.linear_ticks(cap)?;
            for max_ticks in (2..cap).rev() {
                if self.spaced(&fitted.1, len) {
                    break;
                }
                fitted = range.linear_ticks(max_ticks)?;
            }
            fitted
        };
        let ticks = match &self.opts.tick_callback {
            Some(cb) => callbacks::tick_labels(cb, ticks)?,
            None => ticks,
        };
        self.map = Map::Value(scale);
        self.grid = ticks.iter().map(|t| t.at).collect();
        self.ticks = ticks.into_iter().filter(|t| t.label.is_some()).collect();
        self.turned = false;
        Ok(())
    }

    /// Whether neighbouring tick labels stay clear of each other.
    fn spaced(&self, ticks: &[Tick], len: f64) -> bool {
        let along: Vec<f64> = ticks.iter().map(|t| self.along(t)).collect();
        ticks.windows(2).zip(along.windows(2)).all(|(t, a)| {
            ((t[1].at - t[0].at) * len).abs() >= (a[0] + a[1]) / 2.0 + self.gap() / 2.0
        })
    }

    /// A label's extent along the axis.
    fn along(&self, t: &Tick) -> f64 {
        let font = &self.opts.ticks;
        match (self.edge, self.turned, &t.label) {
            (_, _, None) => 0.0,
            (Edge::Bottom, false, Some(l)) => text::measure(font, l),
            _ => text::line_height(font),
        }
    }

    fn across(&self, t: &Tick) -> f64 {
        let font = &self.opts.ticks;
        match (self.edge, self.turned, &t.label) {
            (_, _, None) => 0.0,
            (Edge::Bottom, false, Some(_)) => text::line_height(font),
            (_, _, Some(l)) => text::measure(font, l),
        }
    }

    /// Room beyond the tick labels, when there are any.
    pub(crate) fn line_space(&self) -> f64 {
        if self.ticks.iter().any(|t| t.label.is_some()) {
            LINE_SPACE * text::line_height(&self.opts.ticks)
        } else {
            0.0
        }
    }

    fn tick_len(&self) -> f64 {
        if self.opts.grid {
            TICK_LEN
        } else {
            0.0
        }
    }

    fn title_room(&self) -> f64 {
        match &self.opts.title {
            Some(t) if !t.is_empty() => 2.0 * TITLE_PAD + text::line_height(&self.opts.title_font),
            _ => 0.0,
        }
    }

    fn measure(&mut self, len: f64) {
        if !self.opts.display {
            (self.thickness, self.overhang, self.label_across) = (0.0, (0.0, 0.0), 0.0);
            return;
        }
        let (mut across, mut over) = (0.0f64, (0.0f64, 0.0f64));
        for t in &self.ticks {
            let half = self.along(t) / 2.0;
            let pos = t.at * len;
            across = across.max(self.across(t));
            over.0 = over.0.max(half - pos);
            over.1 = over.1.max(pos + half - len);
        }
        self.label_across = across;
        self.overhang = over;
        self.thickness = self.tick_len() + across + self.line_space() + self.title_room();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::spec::ScaleKind;

    fn scale() -> Scale {
        Scale {
            title: Some("axis".into()),
            ..Scale::chartjs(ScaleKind::Category)
        }
    }

    fn disjoint(boxes: &[Rect]) -> bool {
        boxes.iter().enumerate().all(|(i, a)| {
            boxes[i + 1..]
                .iter()
                .all(|b| a.r <= b.l || b.r <= a.l || a.b <= b.t || b.b <= a.t)
        })
    }

    #[test]
    fn crowded_long_labels_never_overlap() {
        let labels: Vec<String> = (0..200)
            .map(|i| format!("A rather long category label number {i}"))
            .collect();
        let opts = scale();
        for (edge, len) in [
            (Edge::Bottom, 700.0),
            (Edge::Bottom, 90.0),
            (Edge::Left, 300.0),
        ] {
            let cats = Categories {
                n: labels.len(),
                offset: false,
                flip: edge == Edge::Left,
            };
            let mut axis = Axis::new(
                &opts,
                edge,
                Kind::Category {
                    labels: &labels,
                    cats,
                },
                120.0,
            );
            axis.fit(len).unwrap();
            let area = Rect::new(100.0, 0.0, 100.0 + len, len);
            let boxes = axis.label_boxes(&area);
            assert!(
                boxes.len() >= 2 && boxes.len() < 200,
                "{edge:?}: {}",
                boxes.len()
            );
            assert!(disjoint(&boxes), "{edge:?} labels overlap");
            assert!(axis.label_across <= 120.0 + 1e-9);
        }
    }

    #[test]
    fn roomy_labels_are_all_shown_flat() {
        let labels: Vec<String> = ["Jan", "Feb", "Mar", "Apr"].map(String::from).into();
        let opts = scale();
        let cats = Categories {
            n: 4,
            offset: true,
            flip: false,
        };
        let mut axis = Axis::new(
            &opts,
            Edge::Bottom,
            Kind::Category {
                labels: &labels,
                cats,
            },
            100.0,
        );
        axis.fit(400.0).unwrap();
        assert_eq!(axis.ticks.len(), 4);
        assert!(!axis.turned);
        assert_eq!(axis.grid.len(), 5);
    }

    #[test]
    fn numeric_axes_keep_labels_apart() {
        let mut opts = scale();
        opts.kind = ScaleKind::Linear;
        let mut ext = super::super::scale::Extent::default();
        ext.add(0.0);
        ext.add(123_456_789.0);
        let range = Range::new(&opts, ext).unwrap();
        for (edge, len) in [
            (Edge::Bottom, 300.0),
            (Edge::Bottom, 60.0),
            (Edge::Left, 100.0),
        ] {
            let mut axis = Axis::new(&opts, edge, Kind::Value(range), 200.0);
            axis.fit(len).unwrap();
            let area = Rect::new(100.0, 0.0, 100.0 + len, len);
            assert!(disjoint(&axis.label_boxes(&area)), "{edge:?} at {len}");
            assert!(axis.ticks.len() >= 2);
        }
    }
}
