//! Scales: from the data's extent and the spec's range options (`min`,
//! `max`, `suggested_*`, `begin_at_zero`) to a numeric range with ticks,
//! and from values to fractions of an axis (0 at its start, 1 at its end).

use super::numfmt::{self, TickFormat};
use super::ticks::{self, pow10};
use super::RenderError;
use crate::chart::spec::{Scale, ScaleKind};

/// The smallest and largest finite values seen, and the smallest positive
/// one (what a logarithmic scale starts from).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extent {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) lo_pos: f64,
}

impl Default for Extent {
    fn default() -> Self {
        Extent {
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            lo_pos: f64::INFINITY,
        }
    }
}

impl Extent {
    pub(crate) fn add(&mut self, v: f64) {
        if v.is_finite() {
            self.lo = self.lo.min(v);
            self.hi = self.hi.max(v);
            if v > 0.0 {
                self.lo_pos = self.lo_pos.min(v);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lo > self.hi
    }
}

/// A tick: where along the axis (0..1) and its label, if it shows one.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tick {
    pub(crate) at: f64,
    /// The value it marks (a category's index on a category axis).
    pub(crate) value: f64,
    pub(crate) label: Option<String>,
}

/// A numeric scale's resolved range: linear or logarithmic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ValueScale {
    pub(crate) log: bool,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) reverse: bool,
}

impl ValueScale {
    /// Where `v` falls, 0 at the scale's start; NaN when a log scale cannot
    /// show it.
    pub(crate) fn frac(&self, v: f64) -> f64 {
        let f = if self.log {
            if v <= 0.0 {
                return f64::NAN;
            }
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            let span = self.hi - self.lo;
            if span.is_finite() {
                (v - self.lo) / span
            } else {
                // Wider than f64::MAX: halves never overflow.
                (v / 2.0 - self.lo / 2.0) / (self.hi / 2.0 - self.lo / 2.0)
            }
        };
        if self.reverse {
            1.0 - f
        } else {
            f
        }
    }

    /// The value bars and fills grow from: zero, or the nearest end of the
    /// scale when zero is not on it (always the start of a log scale).
    pub(crate) fn base(&self) -> f64 {
        if self.log {
            self.lo
        } else {
            0.0f64.clamp(self.lo, self.hi)
        }
    }
}

/// A numeric range chosen from data and options, before ticks are known.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Range {
    log: bool,
    lo: f64,
    hi: f64,
    fixed: (Option<f64>, Option<f64>),
    reverse: bool,
    /// `ticks.stepSize`, when the config gives one.
    step: Option<f64>,
    /// How Chart.js writes its tick labels (`numfmt::TickFormat`).
    labels: TickFormat,
}

fn too_wide(lo: f64, hi: f64) -> RenderError {
    RenderError::Invalid(format!(
        "the value range {lo:e} to {hi:e} is too wide to draw (it overflows f64)"
    ))
}

/// A range around the single value `v`, as Chart.js widens one: 5% of
/// the value (1 around zero) on each side the user left open.
fn widen(
    v: f64,
    fixed: (Option<f64>, Option<f64>),
    begin_at_zero: bool,
) -> (f64, f64, (Option<f64>, Option<f64>)) {
    let off = (v * 0.05).abs();
    let off = if off > 0.0 && off.is_finite() {
        off
    } else {
        1.0
    };
    let (mut lo, mut hi) = (v, v);
    if fixed.1.is_none() {
        hi += off;
    }
    if fixed.0.is_none() && (hi == lo || !begin_at_zero) {
        lo -= off;
    }
    if lo == hi {
        // Both ends fixed at one value: the user's max gives way.
        return (lo, lo + off, (Some(lo), None));
    }
    (lo, hi, fixed)
}

impl Range {
    /// The range Chart.js would take for `ext` under `opts`.
    pub(crate) fn new(opts: &Scale, ext: Extent) -> Result<Range, RenderError> {
        if opts.kind == ScaleKind::Logarithmic {
            Ok(Self::log(opts, ext))
        } else {
            Self::linear(opts, ext)
        }
    }

    fn linear(opts: &Scale, ext: Extent) -> Result<Range, RenderError> {
        let (mut lo, mut hi) = if ext.is_empty() {
            (0.0, 1.0)
        } else {
            (ext.lo, ext.hi)
        };
        if opts.begin_at_zero {
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        }
        lo = opts.suggested_min.map_or(lo, |s| lo.min(s));
        hi = opts.suggested_max.map_or(hi, |s| hi.max(s));
        let mut fixed = (
            opts.min.filter(|v| v.is_finite()),
            opts.max.filter(|v| v.is_finite()),
        );
        if let (Some(a), Some(b)) = fixed {
            if a > b {
                fixed = (Some(b), Some(a));
            }
        }
        lo = fixed.0.unwrap_or(lo);
        hi = fixed.1.unwrap_or(hi);
        if lo > hi {
            match fixed {
                (Some(_), _) => hi = lo,
                _ => lo = hi,
            }
        }
        if lo == hi {
            (lo, hi, fixed) = widen(lo, fixed, opts.begin_at_zero);
        }
        if lo == hi {
            return Err(too_wide(lo, hi));
        }
        Ok(Range {
            log: false,
            lo,
            hi,
            fixed,
            reverse: opts.reverse,
            step: opts.fit.step_size,
            labels: TickFormat::of(opts),
        })
    }

    fn log(opts: &Scale, ext: Extent) -> Range {
        let positive = |v: &f64| v.is_finite() && *v > 0.0;
        let decade = |v: f64, up: bool| {
            let e = v.log10();
            let e = if up { e.ceil() } else { e.floor() };
            pow10(e.clamp(-307.0, 308.0) as i32)
        };
        let mut lo_data = if ext.lo_pos.is_finite() {
            ext.lo_pos
        } else {
            1.0
        };
        let mut hi_data = if ext.hi > 0.0 { ext.hi } else { 10.0 };
        lo_data = opts
            .suggested_min
            .filter(positive)
            .map_or(lo_data, |s| lo_data.min(s));
        hi_data = opts
            .suggested_max
            .filter(positive)
            .map_or(hi_data, |s| hi_data.max(s));
        let fixed = (opts.min.filter(positive), opts.max.filter(positive));
        let lo = fixed.0.unwrap_or_else(|| decade(lo_data, false));
        let mut hi = fixed.1.unwrap_or_else(|| decade(hi_data, true));
        if hi <= lo {
            hi = decade(lo * 10.0, true).max(lo * 10.0);
        }
        Range {
            log: true,
            lo,
            hi: hi.min(f64::MAX),
            fixed,
            reverse: opts.reverse,
            // Logarithmic ticks are decades, whatever the step.
            step: None,
            labels: TickFormat::of(opts),
        }
    }

    /// This range with its tick labels formatted as Chart.js formats
    /// ticks it holds largest first (`numfmt::TickFormat::descending`).
    pub(crate) fn labelled_descending(self, yes: bool) -> Range {
        Range {
            labels: TickFormat {
                descending: yes,
                ..self.labels
            },
            ..self
        }
    }

    /// How Chart.js formats this range's tick labels.
    pub(crate) fn tick_format(&self) -> TickFormat {
        self.labels
    }

    pub(crate) fn is_log(&self) -> bool {
        self.log
    }

    /// Linear ticks, at most `max_ticks`, and the scale they span.
    pub(crate) fn linear_ticks(
        &self,
        max_ticks: usize,
    ) -> Result<(ValueScale, Vec<Tick>), RenderError> {
        let stepped = self
            .step
            .and_then(|step| ticks::stepped(self.lo, self.hi, step, self.fixed));
        let t = match stepped {
            Some(t) => t,
            None => ticks::linear(self.lo, self.hi, max_ticks, self.fixed)
                .ok_or_else(|| too_wide(self.lo, self.hi))?,
        };
        let (lo, hi) = (t.values[0], t.values[t.values.len() - 1]);
        let scale = self.scale(lo, hi);
        let labels = numfmt::linear_labels(&t.values, self.labels);
        let ticks = t
            .values
            .iter()
            .zip(labels)
            .map(|(&v, label)| Tick {
                at: scale.frac(v),
                value: v,
                label: Some(label),
            })
            .collect();
        Ok((scale, ticks))
    }

    /// Logarithmic ticks for an axis `len` long whose labels need `gap`.
    pub(crate) fn log_ticks(&self, len: f64, gap: f64) -> (ValueScale, Vec<Tick>) {
        let scale = self.scale(self.lo, self.hi);
        let ticks = ticks::log(self.lo, self.hi, len, gap)
            .into_iter()
            .map(|t| Tick {
                at: scale.frac(t.value),
                value: t.value,
                label: t.labeled.then(|| numfmt::log_label(t.value, self.labels)),
            })
            .collect();
        (scale, ticks)
    }

    /// The labels the widest ticks could have, for sizing before fitting.
    pub(crate) fn sample_labels(&self) -> [String; 2] {
        if self.log {
            [
                numfmt::log_label(self.lo, self.labels),
                numfmt::log_label(self.hi, self.labels),
            ]
        } else {
            let step = ticks::nice_num((self.hi / 2.0 - self.lo / 2.0) / 5.0);
            numfmt::labels(&[self.lo, self.hi], self.labels.v3, |_| {
                numfmt::decimals(step)
            })
            .try_into()
            .unwrap_or_default()
        }
    }

    fn scale(&self, lo: f64, hi: f64) -> ValueScale {
        ValueScale {
            log: self.log,
            lo,
            hi,
            reverse: self.reverse,
        }
    }
}

/// Evenly spaced categories; with `offset` each sits in the middle of its
/// band (bar charts), else they span the axis edge to edge (line charts).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Categories {
    pub(crate) n: usize,
    pub(crate) offset: bool,
    /// Index 0 at the axis end instead of its start.
    pub(crate) flip: bool,
}

impl Categories {
    pub(crate) fn frac(&self, i: f64) -> f64 {
        let n = self.n as f64;
        let f = if self.offset {
            (i + 0.5) / n.max(1.0)
        } else if self.n > 1 {
            i / (n - 1.0)
        } else {
            0.5
        };
        if self.flip {
            1.0 - f
        } else {
            f
        }
    }

    /// Width of one category band as a fraction of the axis.
    pub(crate) fn band(&self) -> f64 {
        if self.offset || self.n <= 1 {
            1.0 / (self.n.max(1) as f64)
        } else {
            1.0 / (self.n - 1) as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(kind: ScaleKind) -> Scale {
        Scale::chartjs(kind)
    }

    fn ext(values: &[f64]) -> Extent {
        let mut e = Extent::default();
        values.iter().for_each(|v| e.add(*v));
        e
    }

    #[test]
    fn equal_values_get_a_range() {
        let r = Range::new(&opts(ScaleKind::Linear), ext(&[5.0, 5.0])).unwrap();
        let (s, ticks) = r.linear_ticks(11).unwrap();
        assert!(s.lo < 5.0 && s.hi > 5.0);
        assert!(ticks.len() >= 2);
        let empty = Range::new(&opts(ScaleKind::Linear), Extent::default()).unwrap();
        assert!(empty.linear_ticks(11).is_ok());
    }

    #[test]
    fn options_shape_the_range() {
        let mut o = opts(ScaleKind::Linear);
        o.begin_at_zero = true;
        o.suggested_max = Some(150.0);
        let (s, _) = Range::new(&o, ext(&[20.0, 90.0]))
            .unwrap()
            .linear_ticks(11)
            .unwrap();
        assert_eq!(s.lo, 0.0);
        assert!(s.hi >= 150.0);
        o.min = Some(10.0);
        o.max = Some(95.0);
        let (s, ticks) = Range::new(&o, ext(&[20.0, 90.0]))
            .unwrap()
            .linear_ticks(11)
            .unwrap();
        assert_eq!((s.lo, s.hi), (10.0, 95.0));
        assert_eq!(ticks[0].label.as_deref(), Some("10"));
    }

    #[test]
    fn any_finite_range_is_drawn() {
        for data in [
            &[-1e308, 1e308][..],
            &[0.0, f64::MAX],
            &[5e-324, 1e-323, 0.0],
        ] {
            let r = Range::new(&opts(ScaleKind::Linear), ext(data)).unwrap();
            let (s, ticks) = r.linear_ticks(11).unwrap();
            for &v in data {
                let f = s.frac(v);
                assert!((0.0..=1.0).contains(&f), "{v:e} at {f} of {s:?}");
            }
            assert!(ticks.iter().all(|t| t.at.is_finite() && t.label.is_some()));
        }
    }

    #[test]
    fn log_scales_snap_to_decades_and_skip_non_positive() {
        let v3 = Scale {
            v3: true,
            ..opts(ScaleKind::Logarithmic)
        };
        let r = Range::new(&v3, ext(&[-5.0, 0.0, 3.0, 870.0]));
        let (s, ticks) = r.unwrap().log_ticks(300.0, 20.0);
        assert_eq!((s.lo, s.hi), (1.0, 1000.0));
        assert!(s.frac(-5.0).is_nan());
        assert_eq!(ticks.first().unwrap().label.as_deref(), Some("1"));
        let huge = Range::new(&opts(ScaleKind::Logarithmic), ext(&[1e308])).unwrap();
        let (s, _) = huge.log_ticks(300.0, 20.0);
        assert!(s.hi.is_finite());
    }

    #[test]
    fn categories_center_in_bands_when_offset() {
        let c = Categories {
            n: 4,
            offset: true,
            flip: false,
        };
        assert_eq!(c.frac(0.0), 0.125);
        let line = Categories { offset: false, ..c };
        assert_eq!((line.frac(0.0), line.frac(3.0)), (0.0, 1.0));
    }
}
