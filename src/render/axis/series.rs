//! Chart.js 2.9.4's `distribution: 'series'`: a time axis that spaces its
//! data's times evenly whatever lies between them (`buildLookupTable` and
//! `interpolate`), as a stock chart leaves out weekends.

/// What the axis spaces evenly: its ends, and the `times` strictly between.
pub(super) fn table(lo: f64, hi: f64, times: &[f64]) -> Vec<f64> {
    let inside = times.iter().copied().filter(|t| lo < *t && *t < hi);
    std::iter::once(lo).chain(inside).chain([hi]).collect()
}

/// Where `t` falls, 0 at the first time of `table` and 1 at its last, each
/// time of the table as far from the next: linearly between two, and
/// beyond the ends as the two nearest are apart.
pub(super) fn decimal(table: &[f64], t: f64) -> f64 {
    let n = table.len();
    if n < 2 {
        return 0.0;
    }
    let after = table.partition_point(|x| *x < t);
    let i = after.clamp(1, n - 1);
    let (prev, next) = (table[i - 1], table[i]);
    let span = next - prev;
    let ratio = if span != 0.0 { (t - prev) / span } else { 0.0 };
    ((i - 1) as f64 + ratio) / (n - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_evenly_spaced_whatever_their_gaps() {
        // Friday, Monday, Tuesday: the weekend takes no room.
        let day = 86_400_000.0;
        let times = [0.0, 3.0 * day, 4.0 * day];
        let table = table(0.0, 4.0 * day, &times);
        assert_eq!(table, times);
        assert_eq!(decimal(&table, 0.0), 0.0);
        assert_eq!(decimal(&table, 3.0 * day), 0.5);
        assert_eq!(decimal(&table, 4.0 * day), 1.0);
        // Saturday: a third of the way to Monday.
        assert!((decimal(&table, day) - 1.0 / 6.0).abs() < 1e-12);
        // Beyond the ends, as the nearest two are apart.
        assert_eq!(decimal(&table, 5.0 * day), 1.5);
        assert_eq!(decimal(&table, -3.0 * day), -0.5);
    }
}
