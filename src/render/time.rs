//! Time scale ticks as Chart.js 2.9.4 chooses and writes them (its `time`
//! scale with the moment adapter QuickChart bundles): the unit from how
//! many labels fit, ticks on the unit's boundaries, labels in moment's
//! formats. Times are milliseconds since 1970, in UTC (QuickChart's
//! servers' zone; stated in the README). Calendar arithmetic is jiff's.

use crate::chart::moment::{
    civil, start_of, tokens, utc_millis as millis, weekday_of, Piece, DAYS, MONTHS,
};
use crate::chart::spec::{TimeScale, TimeUnit};
use jiff::civil::DateTime;
use jiff::Span;

/// What Chart.js 2.9.4 knows of each unit (`INTERVALS`): whether it is a
/// unit ticks may be chosen in, its length, and how many of it make the
/// next.
struct Interval {
    common: bool,
    size: f64,
    steps: Option<f64>,
}

fn interval(unit: TimeUnit) -> Interval {
    let (common, size, steps) = match unit {
        TimeUnit::Millisecond => (true, 1.0, Some(1000.0)),
        TimeUnit::Second => (true, 1000.0, Some(60.0)),
        TimeUnit::Minute => (true, 60_000.0, Some(60.0)),
        TimeUnit::Hour => (true, 3_600_000.0, Some(24.0)),
        TimeUnit::Day => (true, 86_400_000.0, Some(30.0)),
        TimeUnit::Week => (false, 604_800_000.0, Some(4.0)),
        TimeUnit::Month => (true, 2.628e9, Some(12.0)),
        TimeUnit::Quarter => (false, 7.884e9, Some(4.0)),
        TimeUnit::Year => (true, 3.154e10, None),
    };
    Interval {
        common,
        size,
        steps,
    }
}

/// The most ticks a time axis generates: Chart.js throws past 100,000
/// units a step; a picture has no use for more than this many.
const MAX_TICKS: usize = 10_000;

/// Chart.js 2.9.4's `determineUnitForAutoTicks` (4.4.1's is the same):
/// the finest common unit from `min_unit` (`time.minUnit`) up in which the
/// range takes at most `capacity` ticks.
pub(crate) fn auto_unit(lo: f64, hi: f64, capacity: f64, min_unit: Option<TimeUnit>) -> TimeUnit {
    let last = TimeUnit::ALL[TimeUnit::ALL.len() - 1];
    let from = min_unit.unwrap_or(TimeUnit::Millisecond);
    TimeUnit::ALL[..TimeUnit::ALL.len() - 1]
        .iter()
        .copied()
        .filter(|u| *u >= from)
        .find(|u| {
            let i = interval(*u);
            let factor = i.steps.unwrap_or(f64::from(u32::MAX));
            i.common && ((hi - lo) / (factor * i.size)).ceil() <= capacity
        })
        .unwrap_or(last)
}

/// Chart.js 2.9.4's `determineUnitForFormatting` (its time axes do not
/// skip labels): the coarsest common unit, down to `min_unit`, of which
/// the range spans at least one per tick gap; else `min_unit`.
pub(crate) fn format_unit(lo: f64, hi: f64, ticks: usize, min_unit: Option<TimeUnit>) -> TimeUnit {
    let from = min_unit.unwrap_or(TimeUnit::Millisecond);
    TimeUnit::ALL
        .iter()
        .rev()
        .copied()
        .filter(|u| *u >= from)
        .find(|u| interval(*u).common && diff(hi, lo, *u) >= ticks as f64 - 1.0)
        .unwrap_or(from)
}

/// Ticks from the start of `unit` at or before `lo` while before `hi`
/// (and `hi` itself when it falls on one), every `step` units, as
/// Chart.js's `generate`; weekly ticks from the `iso_weekday` (1 Monday …
/// 7 Sunday) of `lo`'s ISO week when it is given; `None` past `MAX_TICKS`.
pub(crate) fn generate(
    (lo, hi): (f64, f64),
    unit: TimeUnit,
    step: u32,
    iso_weekday: Option<u8>,
) -> Option<Vec<f64>> {
    let mut t = match iso_weekday.filter(|_| unit == TimeUnit::Week) {
        Some(day) => start_of(weekday_of(lo, day)?, TimeUnit::Day)?,
        None => start_of(lo, unit)?,
    };
    let mut out = Vec::new();
    while t < hi {
        out.push(t);
        if out.len() > MAX_TICKS {
            return None;
        }
        t = add(t, step, unit)?;
    }
    if t == hi {
        out.push(t);
    }
    Some(out)
}

/// moment's `add(n, unit)`.
pub(crate) fn add(ms: f64, n: u32, unit: TimeUnit) -> Option<f64> {
    let n = i64::from(n);
    let span = match unit {
        TimeUnit::Millisecond => return Some(ms + n as f64),
        TimeUnit::Second => return Some(ms + n as f64 * 1000.0),
        TimeUnit::Minute => return Some(ms + n as f64 * 60_000.0),
        TimeUnit::Hour => return Some(ms + n as f64 * 3_600_000.0),
        TimeUnit::Day => Span::new().days(n),
        TimeUnit::Week => Span::new().weeks(n),
        TimeUnit::Month => Span::new().months(n),
        TimeUnit::Quarter => Span::new().months(3 * n),
        TimeUnit::Year => Span::new().years(n),
    };
    millis(civil(ms)?.checked_add(span).ok()?)
}

/// moment's `diff(unit)`: whole units from `lo` to `hi`, truncated;
/// months, quarters and years by the calendar.
fn diff(hi: f64, lo: f64, unit: TimeUnit) -> f64 {
    let months = |per: i32| -> f64 {
        let (Some(a), Some(b)) = (civil(lo), civil(hi)) else {
            return 0.0;
        };
        let mut n = (i32::from(b.year()) - i32::from(a.year())) * 12 + i32::from(b.month())
            - i32::from(a.month());
        // A month not yet complete does not count.
        let shifted = a.checked_add(Span::new().months(n)).ok();
        if shifted.is_some_and(|s| s > b) {
            n -= 1;
        }
        f64::from(n / per)
    };
    match unit {
        TimeUnit::Month => months(1),
        TimeUnit::Quarter => months(3),
        TimeUnit::Year => months(12),
        other => ((hi - lo) / interval(other).size).trunc(),
    }
}

/// Chart.js 2.9.4's default `displayFormats` (moment's tokens).
fn default_format(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Millisecond => "h:mm:ss.SSS a",
        TimeUnit::Second => "h:mm:ss a",
        TimeUnit::Minute => "h:mm a",
        TimeUnit::Hour => "hA",
        TimeUnit::Day => "MMM D",
        TimeUnit::Week => "ll",
        TimeUnit::Month => "MMM YYYY",
        TimeUnit::Quarter => "[Q]Q - YYYY",
        TimeUnit::Year => "YYYY",
    }
}

/// The format `opts` writes `unit` in.
pub(crate) fn format_of(opts: &TimeScale, unit: TimeUnit) -> &str {
    opts.formats
        .iter()
        .find(|(u, _)| *u == unit)
        .map_or(default_format(unit), |(_, f)| f.as_str())
}

/// `ms` written in moment's `format` (`chart::moment`'s tokens, `[text]`
/// literal, anything else as itself).
pub(crate) fn format(ms: f64, format: &str) -> String {
    let Some(dt) = civil(ms) else {
        return String::new();
    };
    let mut out = String::new();
    for piece in tokens(format).flatten() {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Char(c) => out.push(c),
            Piece::Token(t) => write_token(&mut out, t, dt),
        }
    }
    out
}

fn write_token(out: &mut String, token: &str, dt: DateTime) {
    use std::fmt::Write;
    let hour12 = match dt.hour() % 12 {
        0 => 12,
        h => h,
    };
    let month = MONTHS[(dt.month() - 1) as usize];
    let day = DAYS[dt.weekday().to_sunday_zero_offset() as usize];
    let _ = match token {
        "YYYY" => write!(out, "{:04}", dt.year()),
        "YY" => write!(out, "{:02}", dt.year().rem_euclid(100)),
        "Q" => write!(out, "{}", (dt.month() - 1) / 3 + 1),
        "MMMM" => write!(out, "{month}"),
        "MMM" => write!(out, "{}", &month[..3]),
        "MM" => write!(out, "{:02}", dt.month()),
        "M" => write!(out, "{}", dt.month()),
        "DD" => write!(out, "{:02}", dt.day()),
        "D" => write!(out, "{}", dt.day()),
        "Do" => write!(out, "{}{}", dt.day(), ordinal(dt.day())),
        "dddd" => write!(out, "{day}"),
        "ddd" => write!(out, "{}", &day[..3]),
        "HH" => write!(out, "{:02}", dt.hour()),
        "H" => write!(out, "{}", dt.hour()),
        "hh" => write!(out, "{hour12:02}"),
        "h" => write!(out, "{hour12}"),
        "mm" => write!(out, "{:02}", dt.minute()),
        "m" => write!(out, "{}", dt.minute()),
        "ss" => write!(out, "{:02}", dt.second()),
        "s" => write!(out, "{}", dt.second()),
        "SSS" => write!(out, "{:03}", dt.millisecond()),
        "A" => write!(out, "{}", if dt.hour() < 12 { "AM" } else { "PM" }),
        "a" => write!(out, "{}", if dt.hour() < 12 { "am" } else { "pm" }),
        // moment's `en` long date: "Jan 5, 2020".
        "ll" => write!(out, "{} {}, {}", &month[..3], dt.day(), dt.year()),
        _ => Ok(()),
    };
}

/// English ordinal suffix, as moment's `Do`.
fn ordinal(day: i8) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn utc(s: &str) -> f64 {
        let ts: Timestamp = s.parse().unwrap();
        ts.as_millisecond() as f64
    }

    #[test]
    fn moment_formats() {
        let t = utc("2020-01-05T15:04:05.006Z");
        assert_eq!(format(t, "MMM D"), "Jan 5");
        assert_eq!(format(t, "h:mm:ss.SSS a"), "3:04:05.006 pm");
        assert_eq!(format(t, "hA"), "3PM");
        assert_eq!(format(t, "ll"), "Jan 5, 2020");
        assert_eq!(format(t, "[Q]Q - YYYY"), "Q1 - 2020");
        assert_eq!(
            format(t, "dddd Do MMMM YY, HH:mm"),
            "Sunday 5th January 20, 15:04"
        );
    }

    #[test]
    fn ticks_start_on_the_unit_and_step_by_the_calendar() {
        let (lo, hi) = (utc("2020-01-01T00:00:00Z"), utc("2020-02-01T00:00:00Z"));
        let days = generate((lo, hi), TimeUnit::Day, 1, None).unwrap();
        assert_eq!(days.len(), 32, "every day and the end, which is one");
        let months = generate(
            (utc("2020-01-15T00:00:00Z"), utc("2020-05-02T00:00:00Z")),
            TimeUnit::Month,
            1,
            None,
        );
        let labels: Vec<String> = months
            .unwrap()
            .iter()
            .map(|t| format(*t, "MMM YYYY"))
            .collect();
        assert_eq!(
            labels,
            ["Jan 2020", "Feb 2020", "Mar 2020", "Apr 2020", "May 2020"]
        );
        // Weeks start on Sunday: 2020-01-01 was a Wednesday.
        let weeks = generate((lo, hi), TimeUnit::Week, 1, None).unwrap();
        assert_eq!(format(weeks[0], "YYYY-MM-DD"), "2019-12-29");
        // `isoWeekday: true`: on the Mondays, from the first's ISO week.
        let mondays = generate((lo, hi), TimeUnit::Week, 1, Some(1)).unwrap();
        assert_eq!(format(mondays[0], "YYYY-MM-DD ddd"), "2019-12-30 Mon");
        assert_eq!(format(mondays[1], "YYYY-MM-DD ddd"), "2020-01-06 Mon");
        // Only weekly ticks take it.
        assert_eq!(generate((lo, hi), TimeUnit::Day, 1, Some(1)), Some(days));
        assert_eq!(generate((0.0, 1e12), TimeUnit::Millisecond, 1, None), None);
    }

    #[test]
    fn units_as_chartjs_chooses_them() {
        let (lo, hi) = (utc("2024-03-01T00:00:00Z"), utc("2024-03-02T00:00:00Z"));
        // Chart.js counts a unit's largest steps (24 hours, 30 days): a
        // day takes one of 24 hours, so hours fit 4 labels; a week takes
        // seven, so only days fit one.
        assert_eq!(auto_unit(lo, hi, 4.0, None), TimeUnit::Hour);
        assert_eq!(
            auto_unit(lo, lo + 7.0 * 86_400_000.0, 1.0, None),
            TimeUnit::Day
        );
        assert_eq!(auto_unit(lo, hi, 1e4, None), TimeUnit::Second);
        assert_eq!(format_unit(lo, hi, 5, None), TimeUnit::Hour);
        // `time.minUnit`: nothing finer, even where it fits.
        assert_eq!(
            auto_unit(lo, hi, 1e4, Some(TimeUnit::Minute)),
            TimeUnit::Minute
        );
        assert_eq!(auto_unit(lo, hi, 4.0, Some(TimeUnit::Day)), TimeUnit::Day);
        assert_eq!(format_unit(lo, hi, 5, Some(TimeUnit::Day)), TimeUnit::Day);
        assert_eq!(
            diff(
                utc("2020-03-01T00:00:00Z"),
                utc("2020-01-31T00:00:00Z"),
                TimeUnit::Month
            ),
            1.0
        );
    }
}
