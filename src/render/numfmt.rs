//! Tick label text, formatted the way Chart.js prints numbers: as many
//! decimals as the tick step needs (never `0.30000000000000004`), thousands
//! separators (`1,000,000`), scientific notation only for extreme values.

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

/// Labels for the ticks `values` of a linear scale stepping by `step`.
pub(crate) fn linear_labels(values: &[f64], step: f64) -> Vec<String> {
    let biggest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let scientific = biggest >= SCIENTIFIC_ABOVE || (biggest > 0.0 && biggest < SCIENTIFIC_BELOW);
    let places = decimals(step);
    values
        .iter()
        .map(|&v| {
            if v == 0.0 {
                "0".to_string()
            } else if scientific {
                scientific_label(v)
            } else {
                number(v, places)
            }
        })
        .collect()
}

/// The label of a logarithmic tick (1, 10, 100, 1,000, 0.01 …).
pub(crate) fn log_label(v: f64) -> String {
    let a = v.abs();
    if a >= SCIENTIFIC_ABOVE || (a > 0.0 && a < SCIENTIFIC_BELOW) {
        scientific_label(v)
    } else {
        number(v, decimals(v))
    }
}

/// `v` with `places` decimals and comma thousands separators.
pub(crate) fn number(v: f64, places: usize) -> String {
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
        if i > 0 && (int.len() - i) % 3 == 0 {
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
        let labels = linear_labels(&[0.1 + 0.2, 0.6000000000000001, -0.0], 0.1);
        assert_eq!(labels, ["0.3", "0.6", "0"]);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(number(1_000_000.0, 0), "1,000,000");
        assert_eq!(number(-12345.5, 1), "-12,345.5");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-0.0001, 2), "0.00");
    }

    #[test]
    fn extremes_are_scientific() {
        assert_eq!(linear_labels(&[0.0, 2e15], 2e15), ["0", "2e15"]);
        assert_eq!(linear_labels(&[1e-5, 2e-5], 1e-5), ["1e-5", "2e-5"]);
        assert_eq!(log_label(1e20), "1e20");
    }

    #[test]
    fn log_labels_are_plain() {
        let labels: Vec<String> = [0.01, 1.0, 10.0, 1000.0, 1e6].map(log_label).into();
        assert_eq!(labels, ["0.01", "1", "10", "1,000", "1,000,000"]);
    }
}
