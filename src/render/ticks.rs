//! Tick values: Chart.js's "nice" linear steps (1, 2 or 5 × 10ⁿ), the label
//! thinning step for crowded category axes, and logarithmic decades.

use super::numfmt;

/// Longest tick list a linear scale makes, as Chart.js's `maxTicksLimit`.
pub(crate) const MAX_TICKS: usize = 11;

/// 10ⁿ, exact for |n| ≤ 22 (division keeps 0.1 the nearest double to 0.1).
pub(crate) fn pow10(n: i32) -> f64 {
    // Beyond ±400 the result is 0 or infinity anyway; clamping keeps `-n`
    // from overflowing for the i32::MIN that `log10(0) as i32` gives.
    let n = n.clamp(-400, 400);
    if n >= 0 {
        10f64.powi(n)
    } else {
        1.0 / 10f64.powi(-n)
    }
}

/// Chart.js `niceNum`: `range` rounded up to 1, 2, 5 or 10 × 10ⁿ.
pub(crate) fn nice_num(range: f64) -> f64 {
    let rounded = range.round();
    let range = if (range - rounded).abs() <= range / 1000.0 {
        rounded
    } else {
        range
    };
    let mag = pow10(range.log10().floor() as i32);
    let f = range / mag;
    let nice = match f {
        f if f <= 1.0 => 1.0,
        f if f <= 2.0 => 2.0,
        f if f <= 5.0 => 5.0,
        _ => 10.0,
    };
    nice * mag
}

/// The smallest step of 1, 2 or 5 × 10ⁿ that is at least `k`, so a thinned
/// category axis shows labels 0, 50, 100 rather than 0, 39, 78.
pub(crate) fn nice_skip(k: usize) -> usize {
    let mut mag = 1usize;
    loop {
        for m in [1, 2, 5] {
            let step = m * mag;
            if step >= k {
                return step;
            }
        }
        match mag.checked_mul(10) {
            Some(next) => mag = next,
            None => return k,
        }
    }
}

/// Ticks of a linear scale.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Linear {
    pub(crate) values: Vec<f64>,
    pub(crate) step: f64,
}

/// The most steps `stepped` makes: a `stepSize` that would make more (a
/// step of 0.001 over a range of millions) is left to `linear`'s nice steps.
const MAX_STEPS: f64 = 1000.0;

/// Chart.js 2.9.4's linear ticks for a `ticks.stepSize` of `step` over
/// `lo..hi`: every `step` from the step below `lo` to the one above `hi`,
/// however dense (Chart.js sizes its tick limit to the steps), a fixed
/// bound taking its end's place; a bound a whole number of steps away
/// keeps them even. `None` for a step that makes more than `MAX_STEPS`.
pub(crate) fn stepped(
    lo: f64,
    hi: f64,
    step: f64,
    fixed: (Option<f64>, Option<f64>),
) -> Option<Linear> {
    let whole = |v: f64| (v / step - (v / step).round()).abs() <= 1.0 / 1000.0;
    let nice_lo = match fixed.0 {
        Some(m) if whole(m) => m,
        _ => (lo / step).floor() * step,
    };
    let nice_hi = match fixed.1 {
        Some(m) if whole(m) => m,
        _ => (hi / step).ceil() * step,
    };
    let spaces = (nice_hi - nice_lo) / step;
    // (NaN is in no range.)
    if !(1.0 - 1e-9..=MAX_STEPS).contains(&spaces) {
        return None;
    }
    let spaces = if (spaces - spaces.round()).abs() <= 1.0 / 1000.0 {
        spaces.round()
    } else {
        spaces.ceil()
    } as usize;
    let factor = pow10(numfmt::decimals(step) as i32);
    let mut values = Vec::with_capacity(spaces + 1);
    values.push(fixed.0.unwrap_or(nice_lo));
    for j in 1..spaces {
        values.push(((nice_lo + j as f64 * step) * factor).round() / factor);
    }
    values.push(fixed.1.unwrap_or(nice_hi));
    finished(values, step)
}

/// `values` as ticks `step` apart: repeats dropped; `None` unless two or
/// more remain, all finite.
fn finished(mut values: Vec<f64>, step: f64) -> Option<Linear> {
    values.dedup();
    (values.len() >= 2 && values.iter().all(|v| v.is_finite())).then_some(Linear { values, step })
}

/// Chart.js's linear tick generation for the range `lo..hi` (lo < hi) in at
/// most `max_ticks` ticks. A bound the user fixed is a tick itself, and nice
/// ticks too close to it are dropped; otherwise the range widens to the
/// nice ticks around it. `None` when the range is too wide for f64.
pub(crate) fn linear(
    lo: f64,
    hi: f64,
    max_ticks: usize,
    fixed: (Option<f64>, Option<f64>),
) -> Option<Linear> {
    plain_linear(lo, hi, max_ticks, fixed).or_else(|| scaled_linear(lo, hi, max_ticks, fixed))
}

/// `linear` for ranges at f64's ends, where the plain arithmetic overflows
/// (a span over `f64::MAX`) or runs out of precision (subnormal spans): the
/// ticks of the range divided by a power of ten, multiplied back and kept
/// finite. Any finite range gets ticks.
fn scaled_linear(
    lo: f64,
    hi: f64,
    max_ticks: usize,
    fixed: (Option<f64>, Option<f64>),
) -> Option<Linear> {
    let span = hi / 2.0 - lo / 2.0;
    if !(span > 0.0 && lo.is_finite() && hi.is_finite()) {
        return None;
    }
    let e = span.log10().floor() as i32;
    let down = |v: f64| scale10(v, -e);
    // Back through decimal text: `1.5` and `e308` make the f64 nearest to
    // 1.5e308, where multiplying by powers of ten would print as
    // 1.5000000000000001e308.
    let up = |v: f64| {
        format!("{v}e{e}")
            .parse::<f64>()
            .unwrap_or_else(|_| scale10(v, e))
            .clamp(-f64::MAX, f64::MAX)
    };
    let t = plain_linear(
        down(lo),
        down(hi),
        max_ticks,
        (fixed.0.map(down), fixed.1.map(down)),
    )?;
    finished(t.values.into_iter().map(up).collect(), up(t.step))
}

/// `v` × 10^`e`, in two steps so that neither factor over- or underflows
/// for any `e` between the exponents of f64's smallest and largest values.
fn scale10(v: f64, e: i32) -> f64 {
    let half = e / 2;
    v * pow10(half) * pow10(e - half)
}

fn plain_linear(
    lo: f64,
    hi: f64,
    max_ticks: usize,
    fixed: (Option<f64>, Option<f64>),
) -> Option<Linear> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return None;
    }
    let max_spaces = (max_ticks.max(2) - 1) as f64;
    let mut step = nice_num(span / max_spaces);
    let spaces = (hi / step).ceil() - (lo / step).floor();
    if spaces > max_spaces {
        step = nice_num(spaces * step / max_spaces);
    }
    if !(step.is_finite() && step > 0.0) {
        return None;
    }
    let nice_lo = (lo / step).floor() * step;
    let nice_hi = (hi / step).ceil() * step;
    let factor = pow10(numfmt::decimals(step).max(numfmt::decimals(nice_lo)) as i32);
    let round = |v: f64| {
        let r = (v * factor).round() / factor;
        if r.is_finite() {
            r
        } else {
            v
        }
    };
    let count = ((nice_hi - nice_lo) / step).round().clamp(1.0, 1000.0) as usize;
    let near = |a: f64, b: f64| (a - b).abs() < step / 2.0;
    let mut values = Vec::with_capacity(count + 3);
    values.extend(fixed.0);
    for j in 0..=count {
        let v = round(nice_lo + j as f64 * step);
        let inside = fixed.0.is_none_or(|m| v > m && !near(v, m))
            && fixed.1.is_none_or(|m| v < m && !near(v, m));
        if inside && values.last() != Some(&v) {
            values.push(v);
        }
    }
    values.extend(fixed.1);
    finished(values, step)
}

/// A tick of a logarithmic scale: every 1-9 × 10ⁿ draws a grid line when
/// there is room; some carry labels.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LogTick {
    pub(crate) value: f64,
    pub(crate) labeled: bool,
    /// 10ⁿ itself.
    pub(crate) decade: bool,
}

/// Ticks between `lo` and `hi` (both > 0) on an axis `len` pixels long
/// whose labels need `gap` pixels each: 1, 2 and 5 labelled when decades
/// are roomy, powers of ten otherwise, every k-th power when crowded.
pub(crate) fn log(lo: f64, hi: f64, len: f64, gap: f64) -> Vec<LogTick> {
    let (l0, l1) = (lo.log10(), hi.log10());
    let decades = (l1 - l0).max(1e-9);
    let decade_px = len / decades;
    let thin = if decade_px > 0.0 {
        (gap / decade_px).ceil().max(1.0) as i32
    } else {
        i32::MAX
    };
    let labels_125 = decade_px >= 3.5 * gap;
    let minor = decade_px >= 40.0 && decades <= 60.0;
    let (e0, e1) = (l0.floor() as i32, l1.ceil() as i32);
    let mut ticks = Vec::new();
    for e in e0..=e1 {
        for m in 1..=9u8 {
            let value = f64::from(m) * pow10(e);
            let inside = value >= lo * (1.0 - 1e-12) && value <= hi * (1.0 + 1e-12);
            if !inside || (m > 1 && !minor && !labels_125) {
                continue;
            }
            let labeled = match m {
                1 => (e - e0) % thin == 0,
                2 | 5 => labels_125,
                _ => false,
            };
            ticks.push(LogTick {
                value,
                labeled,
                decade: m == 1,
            });
        }
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_size_is_kept_however_dense() {
        let t = stepped(0.2, 9.3, 1.0, (None, None)).unwrap();
        assert_eq!(t.values, (0..=10).map(f64::from).collect::<Vec<_>>());
        // Chart.js's docs: min 0, max 5, stepSize 0.5.
        let t = stepped(0.0, 5.0, 0.5, (Some(0.0), Some(5.0))).unwrap();
        assert_eq!(t.values.len(), 11);
        assert_eq!(t.values[3], 1.5);
        // A bound off the steps is a tick of its own.
        let t = stepped(3.0, 9.5, 2.0, (Some(3.0), Some(9.5))).unwrap();
        assert_eq!(t.values, [3.0, 4.0, 6.0, 8.0, 9.5]);
        assert_eq!(stepped(0.0, 100.0, 0.001, (None, None)), None, "too many");
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_num(0.7), 1.0);
        assert_eq!(nice_num(1.5), 2.0);
        assert_eq!(nice_num(3.0), 5.0);
        assert_eq!(nice_num(7.0), 10.0);
        assert_eq!(nice_num(0.013), 0.02);
        assert_eq!(nice_num(4200.0), 5000.0);
    }

    #[test]
    fn steps_are_nice_and_counts_bounded() {
        for (lo, hi) in [
            (0.0, 1.0),
            (-14.0, 190.0),
            (3.0, 97.0),
            (0.0, 1e6),
            (0.001, 0.0042),
        ] {
            for max in [3, 5, 8, 11] {
                let t = linear(lo, hi, max, (None, None)).unwrap();
                assert!(t.values.len() <= max, "{lo}..{hi} in {max}: {:?}", t.values);
                assert!(t.values[0] <= lo && *t.values.last().unwrap() >= hi);
                let mant = t.step / pow10(t.step.log10().floor() as i32);
                assert!(
                    [1.0, 2.0, 5.0].iter().any(|m| (mant - m).abs() < 1e-9),
                    "{}",
                    t.step
                );
            }
        }
    }

    #[test]
    fn ticks_have_no_float_noise() {
        let t = linear(0.0, 1.0, 11, (None, None)).unwrap();
        assert_eq!(t.values[3], 0.3);
        assert_eq!(t.values.len(), 11);
    }

    #[test]
    fn fixed_bounds_are_ticks() {
        let t = linear(3.0, 97.0, 11, (Some(3.0), Some(97.0))).unwrap();
        assert_eq!(t.values.first(), Some(&3.0));
        assert_eq!(t.values.last(), Some(&97.0));
        assert!(t.values.windows(2).all(|w| w[1] - w[0] >= t.step / 2.0));
    }

    #[test]
    fn ranges_at_the_ends_of_f64_get_ticks() {
        for (lo, hi) in [
            (-1e308, 1e308),
            (0.0, f64::MAX),
            (-f64::MAX, f64::MAX),
            (0.0, 1e-323),
            (5e-324, 1e-323),
            (1e-310, 3e-310),
        ] {
            let t = linear(lo, hi, 11, (None, None)).expect("finite ranges have ticks");
            assert!(t.values.len() >= 2, "{lo:e}..{hi:e}: {:?}", t.values);
            assert!(t.values.iter().all(|v| v.is_finite()));
            assert!(t.values.windows(2).all(|w| w[0] < w[1]), "{:?}", t.values);
            assert!(t.values[0] <= lo && *t.values.last().unwrap() >= hi);
        }
        // Round values, not products of powers of ten.
        let t = linear(0.0, f64::MAX, 11, (None, None)).unwrap();
        assert!(t.values.contains(&1e308), "{:?}", t.values);
        assert!(linear(1.0, 1.0, 11, (None, None)).is_none());
    }

    #[test]
    fn skips_are_nice() {
        assert_eq!([1, 3, 7, 39, 120].map(nice_skip), [1, 5, 10, 50, 200]);
    }

    #[test]
    fn log_ticks_label_decades() {
        let t = log(1.0, 1e6, 300.0, 20.0);
        let labeled: Vec<f64> = t.iter().filter(|t| t.labeled).map(|t| t.value).collect();
        assert_eq!(labeled, [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6]);
        let roomy = log(1.0, 100.0, 400.0, 20.0);
        assert!(roomy.iter().any(|t| t.value == 5.0 && t.labeled));
        let crowded = log(1e-10, 1e10, 100.0, 20.0);
        assert!(crowded.iter().filter(|t| t.labeled).count() <= 6);
    }
}
