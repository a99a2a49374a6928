//! Tick label text, formatted the way each Chart.js version prints
//! numbers: as many decimals as its formatter reads from the ticks (never
//! `0.30000000000000004`), thousands separators (`1,000,000`) in Chart.js
//! 3/4, whose `Intl.NumberFormat` writes them, and none in 2, whose
//! `toFixed` does not; scientific notation only for extreme values.

use crate::chart::spec::Scale;

/// Magnitudes at or beyond which labels switch to scientific notation, as
/// Chart.js's numeric formatter does.
const SCIENTIFIC_ABOVE: f64 = 1e15;
const SCIENTIFIC_BELOW: f64 = 1e-4;
/// Rust's `{:.N}` and Chart.js both stop at 20 decimals.
const MAX_DECIMALS: usize = 20;

/// Decimal places in the shortest representation of `x`.
pub(crate) fn decimals(x: f64) -> usize {
    let s = format!("{}", x.abs());
    s.split_once('.')
        .map_or(0, |(_, frac)| frac.len())
        .min(MAX_DECIMALS)
}

/// Labels for the ticks `values` (ascending) of a linear scale, as
/// `format` says Chart.js labels them.
pub(crate) fn linear_labels(values: &[f64], format: TickFormat) -> Vec<String> {
    labels(values, format.v3, format.places(values))
}

/// Labels for `values`, each with the decimals `places` gives it, with
/// thousands separators when `grouped`.
pub(crate) fn labels(values: &[f64], grouped: bool, places: impl Fn(f64) -> usize) -> Vec<String> {
    let scientific = scientific_at(values);
    values
        .iter()
        .map(|&v| {
            if v == 0.0 {
                "0".to_string()
            } else if scientific {
                scientific_label(v)
            } else {
                number(v, places(v), grouped)
            }
        })
        .collect()
}

/// Whether Chart.js writes the ticks `values` in scientific notation: the
/// largest of them beyond the magnitudes it writes plainly.
pub(crate) fn scientific_at(values: &[f64]) -> bool {
    let biggest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    biggest >= SCIENTIFIC_ABOVE || (biggest > 0.0 && biggest < SCIENTIFIC_BELOW)
}

/// How a Chart.js version's numeric tick formatter labels ticks. It
/// reads a label's decimals from the difference of two neighbouring ticks,
/// as floats (the third less the second where there are more than three),
/// so `1.9 - 1.8`, which is 0.0999…, gives two decimals where the step has
/// one; for a fractional tick on a step of one or more, from the tick's
/// own fraction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct TickFormat {
    /// Chart.js 3/4: thousands separators, logarithmic ticks in plain
    /// numbers, and a step of exactly one is already large (2: above one).
    pub(crate) v3: bool,
    /// The formatter sees the ticks largest first (Chart.js 2's vertical
    /// axes, or a reversed axis), so its two neighbours are the top ones.
    pub(crate) descending: bool,
}

impl TickFormat {
    pub(crate) fn of(opts: &Scale) -> TickFormat {
        TickFormat {
            v3: opts.v3,
            descending: false,
        }
    }

    /// The decimals of each tick of `values` (ascending).
    pub(crate) fn places(self, values: &[f64]) -> impl Fn(f64) -> usize {
        let n = values.len();
        let at = |i: usize| {
            if self.descending {
                values[n - 1 - i]
            } else {
                values[i]
            }
        };
        let delta = match n {
            0 | 1 => None,
            2 | 3 => Some(at(1) - at(0)),
            _ => Some(at(2) - at(1)),
        };
        move |v: f64| {
            let mut d = delta.unwrap_or(v).abs();
            let large = if self.v3 { d >= 1.0 } else { d > 1.0 };
            if large && v != v.floor() {
                d = v - v.floor();
            }
            let places = -d.log10().floor();
            if places.is_finite() {
                places.clamp(0.0, MAX_DECIMALS as f64) as usize
            } else {
                0
            }
        }
    }
}

/// The label of a logarithmic tick: in Chart.js 3/4 a plain number (1,
/// 10, 100, 1,000, 0.01 …), in 2 JavaScript's `toExponential()` (1e+0,
/// 2e+1, 1e-2 …).
pub(crate) fn log_label(v: f64, format: TickFormat) -> String {
    let a = v.abs();
    if !format.v3 {
        js_exponential(v)
    } else if a >= SCIENTIFIC_ABOVE || (a > 0.0 && a < SCIENTIFIC_BELOW) {
        scientific_label(v)
    } else {
        number(v, decimals(v), true)
    }
}

/// `v` as JavaScript's `toExponential()` writes it: the shortest mantissa,
/// a signed exponent.
fn js_exponential(v: f64) -> String {
    let s = format!("{v:e}");
    match s.split_once('e') {
        Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
        _ => s,
    }
}

/// `v` with `places` decimals, and comma thousands separators when
/// `grouped`.
pub(crate) fn number(v: f64, places: usize, grouped: bool) -> String {
    let s = format!("{:.*}", places.min(MAX_DECIMALS), v);
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) if rest.bytes().any(|b| b.is_ascii_digit() && b != b'0') => ("-", rest),
        Some(rest) => ("", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::with_capacity(s.len() + int.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if grouped && i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn scientific_label(v: f64) -> String {
    format!("{v:e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_step() {
        assert_eq!(decimals(0.1), 1);
        assert_eq!(decimals(0.25), 2);
        assert_eq!(decimals(5.0), 0);
        assert_eq!(decimals(1e-7), 7);
    }

    #[test]
    fn no_float_noise() {
        let labels = labels(&[0.1 + 0.2, 0.6000000000000001, -0.0], true, |_| 1);
        assert_eq!(labels, ["0.3", "0.6", "0"]);
    }

    const V3: TickFormat = TickFormat {
        v3: true,
        descending: false,
    };

    #[test]
    fn decimals_follow_chartjs_float_differences() {
        // Chart.js 4 on 1.7 … 2.5 by 0.1: 1.9 - 1.8 is 0.0999…, two decimals.
        let ticks = [1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5];
        let v4 = TickFormat {
            v3: true,
            descending: false,
        };
        assert_eq!(linear_labels(&ticks, v4)[8], "2.50");
        // Chart.js 2 on a vertical axis reads 2.3 - 2.4 from the top: one.
        let v2 = TickFormat {
            v3: false,
            descending: true,
        };
        assert_eq!(linear_labels(&ticks, v2)[8], "2.5");
        // A step of one or more: a fractional tick shows its own fraction.
        let halves = [0.5, 1.5, 2.5, 3.5];
        assert_eq!(linear_labels(&halves, v4), ["0.5", "1.5", "2.5", "3.5"]);
        let whole = [0.0, 2000.0, 4000.0, 6000.0];
        assert_eq!(linear_labels(&whole, v4), ["0", "2,000", "4,000", "6,000"]);
        assert_eq!(linear_labels(&whole, v2), ["0", "2000", "4000", "6000"]);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(number(1_000_000.0, 0, true), "1,000,000");
        assert_eq!(number(-12345.5, 1, true), "-12,345.5");
        assert_eq!(number(999.0, 0, true), "999");
        assert_eq!(number(-0.0001, 2, true), "0.00");
        // Chart.js 2's `toFixed` writes none.
        assert_eq!(number(1_000_000.0, 0, false), "1000000");
    }

    #[test]
    fn extremes_are_scientific() {
        assert_eq!(labels(&[0.0, 2e15], true, |_| 0), ["0", "2e15"]);
        assert_eq!(labels(&[1e-5, 2e-5], true, |_| 5), ["1e-5", "2e-5"]);
        assert_eq!(log_label(1e20, V3), "1e20");
    }

    #[test]
    fn log_labels_are_plain() {
        let ticks = [0.01, 1.0, 10.0, 20.0, 1000.0, 1e6];
        let v3: Vec<String> = ticks.map(|v| log_label(v, V3)).into();
        assert_eq!(v3, ["0.01", "1", "10", "20", "1,000", "1,000,000"]);
        let v2: Vec<String> = ticks.map(|v| log_label(v, TickFormat::default())).into();
        assert_eq!(v2, ["1e-2", "1e+0", "1e+1", "2e+1", "1e+3", "1e+6"]);
    }
}
