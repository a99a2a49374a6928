//! Fitting a time axis as Chart.js fits one: its ticks (generated on the
//! unit's boundaries, or the data's own times), their unit and labels,
//! how far the labels turn and which are skipped, and where bars and grid
//! lines take their room from.

use super::offsets::{self, Offsets};
use super::{series, text, time, Axis, Map, Tick, MAX_ROTATION};
use crate::chart::spec::{Scale, TimeScale, TimeUnit};
use crate::render::scale::ValueScale;
use crate::render::RenderError;

impl<'a> Axis<'a> {
    /// Gives a time axis its data's x values (sorted, each once), which
    /// `ticks.source: 'data'` and `distribution: 'series'` need.
    pub(crate) fn set_times(&mut self, times: Vec<f64>) {
        self.times = times;
    }

    /// A time axis as Chart.js fits one (`getLabelCapacity`, `generate`,
    /// `determineUnitForFormatting`): as many ticks as labels of the first
    /// time fit, turned by `maxRotation` (3 and 4: one fewer), in the
    /// finest unit that keeps within them (or `time.unit`), or Chart.js
    /// 2.9.4's data's times (`ticks.source: 'data'`, `distribution:
    /// 'series'`); each labelled in the coarsest unit the ticks are apart
    /// (with `autoSkip`: in the ticks' unit, which Chart.js 3 and 4 have
    /// on by default), turned as category labels are and thinned
    /// (`skip_every`, `skip_v3`).
    pub(super) fn fit_time(&mut self, lo: f64, hi: f64, len: f64) -> Result<(), RenderError> {
        let opts: &'a Scale = self.opts;
        let defaults = TimeScale::default();
        let t = opts.time.as_ref().unwrap_or(&defaults);
        let capacity = self.time_capacity(t, lo, self.v3_len(len));
        let unit = t
            .unit
            .unwrap_or_else(|| time::auto_unit(lo, hi, capacity, t.min_unit));
        let step = t.step.unwrap_or(1);
        let mut generated = match t.ticks_at_data() {
            true => None,
            false => Some(generated(lo, hi, unit, step, t.iso_weekday)?),
        };
        // `bounds: 'ticks'`: one tick more past the last time, and the
        // axis from the first tick to that one, but where the scale gives
        // its `min` or `max` (2.9.4's and 4.4.1's `buildTicks`).
        let (lo, hi) = match generated.as_mut() {
            Some(all) if t.bounds_ticks && !all.is_empty() => {
                let last = all[all.len() - 1];
                if last < hi {
                    all.extend(time::add(last, step, unit));
                }
                (
                    opts.min.unwrap_or(all[0]),
                    opts.max.unwrap_or(all[all.len() - 1]),
                )
            }
            _ => (lo, hi),
        };
        self.bound(lo, hi);
        self.series = match t.series {
            true => series::table(lo, hi, &self.times),
            false => Vec::new(),
        };
        let data = match t.label_ticks {
            true => &t.labels,
            false => &self.times,
        };
        let values: Vec<f64> = generated
            .as_deref()
            .unwrap_or(data)
            .iter()
            .copied()
            .filter(|v| (lo..=hi).contains(v))
            .collect();
        let from = match (opts.v3, &generated) {
            (true, Some(all)) => all.as_slice(),
            _ => &values,
        };
        self.offset_by(t, from, step, unit);
        let auto_skip = match opts.v3 {
            true => opts.fit.auto_skip != Some(false),
            false => opts.fit.auto_skip == Some(true),
        };
        let format = time::format_of(
            t,
            t.unit.unwrap_or_else(|| match auto_skip {
                true => unit,
                false => time::format_unit(lo, hi, values.len(), t.min_unit),
            }),
        );
        let labels: Vec<String> = values.iter().map(|v| time::format(*v, format)).collect();
        self.place_time_ticks(t, &values, &labels, len, auto_skip);
        Ok(())
    }

    /// Spans a time axis's map from `lo` to `hi`.
    fn bound(&mut self, lo: f64, hi: f64) {
        if let Map::Time(scale, offsets) = self.map {
            self.map = Map::Time(ValueScale { lo, hi, ..scale }, offsets);
        }
    }

    /// How many labels fit (`getLabelCapacity`): labels of the axis's first
    /// time in the millisecond format (or `time.unit`'s), turned by
    /// `maxRotation`; Chart.js 3 and 4 one fewer.
    fn time_capacity(&self, t: &TimeScale, lo: f64, len: f64) -> f64 {
        let font = &self.opts.ticks;
        let example = time::format(
            lo,
            time::format_of(t, t.unit.unwrap_or(TimeUnit::Millisecond)),
        );
        let turn = self
            .opts
            .fit
            .max_rotation
            .unwrap_or(MAX_ROTATION)
            .to_radians();
        let size = text::measure(font, &example) * turn.cos() + font.size * turn.sin();
        let fewer = if self.opts.v3 { 1.0 } else { 0.0 };
        ((len / size).floor() - fewer).max(1.0)
    }

    /// Measures, turns and thins the labels of ticks at `values`, and
    /// keeps where bars and grid lines take their room from.
    fn place_time_ticks(
        &mut self,
        t: &TimeScale,
        values: &[f64],
        labels: &[String],
        len: f64,
        auto_skip: bool,
    ) {
        let opts = self.opts;
        let font = &opts.ticks;
        self.widths = labels.iter().map(|l| text::measure(font, l)).collect();
        if let (Some(first), Some(last)) = (values.first(), values.last()) {
            self.ends = [self.frac(*first), self.frac(*last)];
        }
        self.rotation = self.rotation(self.turn_len(len), t.offset);
        // Chart.js skips crowded labels of generated ticks (`source:
        // 'auto'`) whatever `autoSkip` says (2.9.4's `_ticksToDraw`, 4.4.1's
        // `update`); 2.9.4 draws every one of the data's with `autoSkip`
        // off, as it is by default.
        let step = match (opts.v3, t.data_ticks && !auto_skip) {
            (true, _) => self.skip_v3(self.v3_len(len), self.rotation, t.offset),
            (false, true) => 1,
            (false, false) => self.skip_every(len, self.rotation, t.offset),
        };
        let cap = self.shortened_at();
        self.ticks = values
            .iter()
            .zip(labels)
            .step_by(step)
            .map(|(&v, label)| Tick {
                at: self.frac(v),
                value: v,
                label: Some(text::fit(font, label, cap).into_owned()),
            })
            .collect();
        // 2.9.4 sizes bars by every tick, 3 and 4 by those shown.
        self.samples = match opts.v3 {
            true => self.ticks.iter().map(|t| t.at).collect(),
            false => values.iter().map(|v| self.frac(*v)).collect(),
        };
        // Chart.js 3 and 4's bar charts put grid lines between ticks
        // (`grid.offset`) as they offset them; 2.9.4's time axes do not
        // (`offsetGridLines` is false on every time axis).
        self.grid = match t.offset && opts.v3 {
            true => offsets::between(&self.samples, 0..self.ticks.len()),
            false => self.ticks.iter().map(|t| t.at).collect(),
        };
    }

    /// Moves a time axis's ticks off its ends when its `offset` asks, by
    /// the `ticks` Chart.js takes the room from: 2.9.4 those within the
    /// data, 3 and 4 every generated one, and one more when only one came
    /// before the last time (`_generate`).
    fn offset_by(&mut self, t: &TimeScale, ticks: &[f64], step: u32, unit: TimeUnit) {
        let Map::Time(scale, _) = self.map else {
            return;
        };
        let offsets = if t.offset {
            let at = |v: f64| self.time_decimal(&scale, v);
            let mut decimals: Vec<f64> = ticks.iter().map(|v| at(*v)).collect();
            if let ([only], true) = (ticks, self.opts.v3) {
                decimals.extend(time::add(*only, step, unit).map(at));
            }
            Offsets::of(&decimals, self.opts.v3)
        } else {
            Offsets::NONE
        };
        self.map = Map::Time(scale, offsets);
    }

    /// Where a time falls on the axis before its `offset`: linearly, or
    /// spaced as its `series` spaces it.
    pub(super) fn time_decimal(&self, scale: &ValueScale, v: f64) -> f64 {
        if self.series.is_empty() {
            scale.frac(v)
        } else {
            series::decimal(&self.series, v)
        }
    }
}

/// The ticks `time::generate` gives, or why there are too many.
fn generated(
    lo: f64,
    hi: f64,
    unit: TimeUnit,
    step: u32,
    iso_weekday: Option<u8>,
) -> Result<Vec<f64>, RenderError> {
    time::generate((lo, hi), unit, step, iso_weekday).ok_or_else(|| {
        RenderError::Invalid(format!(
            "the time axis would need more than 10,000 {} ticks",
            unit.name()
        ))
    })
}
