//! moment's calendar steps in UTC, as Chart.js's moment adapter takes them:
//! the start of a unit (`startOf`, which also rounds parsed times for
//! `time.round`) and a day of an ISO week (`isoWeekday`, for
//! `time.isoWeekday`). Calendar arithmetic is jiff's.

use super::utc_millis as millis;
use crate::chart::spec::TimeUnit;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// `ms` (milliseconds since 1970) as a civil date-time in UTC.
pub(crate) fn civil(ms: f64) -> Option<DateTime> {
    let ts = Timestamp::from_millisecond(ms as i64).ok()?;
    Some(TimeZone::UTC.to_datetime(ts))
}

/// moment's `startOf(unit)` (weeks start on Sunday, as in its `en` locale).
pub(crate) fn start_of(ms: f64, unit: TimeUnit) -> Option<f64> {
    let dt = civil(ms)?;
    let day = |d: DateTime| d.date().at(0, 0, 0, 0);
    let start = match unit {
        TimeUnit::Millisecond => dt,
        TimeUnit::Second => dt.date().at(dt.hour(), dt.minute(), dt.second(), 0),
        TimeUnit::Minute => dt.date().at(dt.hour(), dt.minute(), 0, 0),
        TimeUnit::Hour => dt.date().at(dt.hour(), 0, 0, 0),
        TimeUnit::Day => day(dt),
        TimeUnit::Week => {
            let back = i64::from(dt.weekday().to_sunday_zero_offset());
            day(dt).checked_sub(Span::new().days(back)).ok()?
        }
        TimeUnit::Month => dt.date().first_of_month().at(0, 0, 0, 0),
        TimeUnit::Quarter => {
            let month = (dt.month() - 1) / 3 * 3 + 1;
            jiff::civil::date(dt.year(), month, 1).at(0, 0, 0, 0)
        }
        TimeUnit::Year => jiff::civil::date(dt.year(), 1, 1).at(0, 0, 0, 0),
    };
    millis(start)
}

/// moment's `isoWeekday(day)`: the same time on weekday `day` (1 Monday …
/// 7 Sunday) of the ISO week `ms` falls in, earlier or later.
pub(crate) fn weekday_of(ms: f64, day: u8) -> Option<f64> {
    let dt = civil(ms)?;
    let today = i64::from(dt.weekday().to_monday_one_offset());
    let shifted = dt
        .checked_add(Span::new().days(i64::from(day) - today))
        .ok()?;
    millis(shifted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> f64 {
        super::super::iso_millis(s).unwrap()
    }

    #[test]
    fn iso_weekdays_stay_in_their_week() {
        // 2024-03-06 was a Wednesday; its ISO week runs Monday 4 to Sunday 10.
        let wed = utc("2024-03-06T15:00:00Z");
        assert_eq!(weekday_of(wed, 1), Some(utc("2024-03-04T15:00:00Z")));
        assert_eq!(weekday_of(wed, 7), Some(utc("2024-03-10T15:00:00Z")));
        // A Sunday belongs to the week before (moment's `isoWeekday`).
        let sun = utc("2024-03-10T00:00:00Z");
        assert_eq!(weekday_of(sun, 1), Some(utc("2024-03-04T00:00:00Z")));
        assert_eq!(
            start_of(wed, TimeUnit::Week),
            Some(utc("2024-03-03T00:00:00Z"))
        );
    }
}
