//! A date read with a moment format (Chart.js 2's `time.parser`), as
//! moment 2's non-strict `moment(string, format)` reads it: each token's
//! pattern is looked for anywhere in what is left of the string (moment's
//! token regexes are not anchored, so `/` in the format finds `-` nowhere
//! and is skipped, and `DD` takes the next one or two digits wherever they
//! are), and a date moment calls invalid (month 13, 31 February, no token
//! matched) is none. moment reads in the host's zone; QuickChart's servers
//! run in UTC, and so does this reader.
//!
//! Written by hand because no date crate reads moment's lenient formats:
//! jiff's and chrono's `strptime` are anchored and strict, and reading
//! `'MM/DD/YYYY'` strictly would refuse dates moment accepts.

use super::{pieces, utc_millis, Piece, MONTHS};
use jiff::civil::{Date, DateTime, Time};
use jiff::ToSpan;

/// The tokens this reader reads, longest first.
const READ: &[&str] = &[
    "YYYY", "MMMM", "MMM", "SSS", "YY", "MM", "DD", "Do", "HH", "hh", "mm", "ss", "SS", "M", "D",
    "H", "h", "m", "s", "S", "A", "a", "X", "x",
];

/// Whether `format` is read here exactly as moment reads it: every token
/// one of `READ`, a year or a timestamp among them (without one, moment
/// takes today's year: no picture to cache), and no run of letters moment
/// cuts into other tokens (`DDD` is a day of the year, `SSSS` a fraction,
/// `Hmm` hours and minutes without a separator).
pub(crate) fn reads(format: &str) -> bool {
    let mut prev: Option<&str> = None;
    let mut dated = false;
    for piece in pieces(format, READ) {
        let token = match piece {
            None => return false,
            Some(Piece::Token(t)) => Some(t),
            Some(_) => None,
        };
        if let (Some(a), Some(b)) = (prev, token) {
            let same_letter = a.as_bytes()[0] == b.as_bytes()[0];
            if same_letter || (matches!(a, "H" | "h") && b == "mm") {
                return false;
            }
        }
        dated |= matches!(token, Some("YYYY" | "YY" | "X" | "x"));
        prev = token;
    }
    dated
}

/// Milliseconds since 1970 of `s` read with `format` (one that `reads`),
/// in UTC; `None` where moment's date would be invalid.
pub(crate) fn parse(s: &str, format: &str) -> Option<f64> {
    let mut rest = s;
    let mut fields = Fields::default();
    let mut matched = false;
    for piece in pieces(format, READ) {
        match piece? {
            Piece::Token(token) => {
                if let Some((text, after)) = find(rest, token) {
                    fields.set(token, text)?;
                    rest = after;
                    matched = true;
                }
            }
            Piece::Text(lit) => rest = skip_past(rest, lit),
            Piece::Char(c) => rest = skip_past(rest, c.encode_utf8(&mut [0; 4])),
        }
    }
    // moment: no token matched is an invalid date (`flags.empty`).
    matched.then(|| fields.millis()).flatten()
}

/// What follows the first `lit` in `rest`, or `rest` where it is not.
fn skip_past<'a>(rest: &'a str, lit: &str) -> &'a str {
    match rest.find(lit) {
        Some(i) if !lit.is_empty() => &rest[i + lit.len()..],
        _ => rest,
    }
}

/// The first match of `token`'s pattern (moment's non-strict regex for
/// it) in `rest`, and what follows it.
fn find<'a>(rest: &'a str, token: &str) -> Option<(&'a str, &'a str)> {
    let (start, end) = match token {
        "YYYY" => digits(rest, 4)?,
        "SSS" | "SS" | "S" => digits(rest, 3)?,
        "A" | "a" => meridiem(rest)?,
        "MMM" | "MMMM" => word(rest)?,
        "Do" => {
            let (start, end) = digits(rest, 2)?;
            let ordinal = ["th", "st", "nd", "rd"]
                .iter()
                .any(|o| rest[end..].starts_with(o));
            (start, end + if ordinal { 2 } else { 0 })
        }
        "X" | "x" => signed(rest, token == "X")?,
        _ => digits(rest, 2)?,
    };
    Some((&rest[start..end], &rest[end..]))
}

/// `\d{1,max}`: the first digits, at most `max` of them.
fn digits(rest: &str, max: usize) -> Option<(usize, usize)> {
    let start = rest.find(|c: char| c.is_ascii_digit())?;
    let len = rest[start..]
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    Some((start, start + len))
}

/// `[+-]?\d+`, and with `fraction` `(\.\d{1,3})?` after it.
fn signed(rest: &str, fraction: bool) -> Option<(usize, usize)> {
    let (digits_at, mut end) = digits(rest, usize::MAX)?;
    let bytes = rest.as_bytes();
    let start = match digits_at.checked_sub(1).map(|i| bytes[i]) {
        Some(b'+' | b'-') => digits_at - 1,
        _ => digits_at,
    };
    if fraction && bytes.get(end) == Some(&b'.') {
        let decimals = digits(&rest[end + 1..], 3).filter(|(at, _)| *at == 0);
        if let Some((_, n)) = decimals {
            end += 1 + n;
        }
    }
    Some((start, end))
}

/// moment's `en` meridiem pattern, `/[ap]\.?m?\.?/i`.
fn meridiem(rest: &str) -> Option<(usize, usize)> {
    let start = rest.find(['a', 'p', 'A', 'P'])?;
    let mut end = start + 1;
    for optional in [&['.'][..], &['m', 'M'], &['.']] {
        if rest[end..].starts_with(optional) {
            end += 1;
        }
    }
    Some((start, end))
}

/// moment's `matchWord`: the first run of letters, with the digits just
/// before it (which then make no month name).
fn word(rest: &str) -> Option<(usize, usize)> {
    let letter = |c: char| c.is_alphabetic() || c == '\'';
    let first = rest.find(letter)?;
    let end = rest[first..]
        .find(|c: char| !letter(c))
        .map_or(rest.len(), |n| first + n);
    let start = rest[..first]
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .len();
    Some((start, end))
}

/// The parts of a date moment gathered from the tokens it matched.
#[derive(Default)]
struct Fields {
    year: Option<i64>,
    /// 0 = January, as moment keeps it.
    month: Option<i64>,
    day: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    milli: Option<i64>,
    /// `A`/`a` matched: whether it read as after noon.
    pm: Option<bool>,
    /// `X`/`x`: the instant itself.
    stamp: Option<f64>,
}

impl Fields {
    /// Takes one matched token; `None` for a month name moment knows not.
    fn set(&mut self, token: &str, text: &str) -> Option<()> {
        // The leading digits (`Do` ends in its ordinal).
        let digits = &text[..text.bytes().take_while(u8::is_ascii_digit).count()];
        let int = || digits.parse::<i64>().ok();
        match token {
            "YYYY" if text.len() == 2 => self.year = Some(two_digit_year(int()?)),
            "YYYY" => self.year = int(),
            "YY" => self.year = Some(two_digit_year(int()?)),
            "MM" | "M" => self.month = Some(int()? - 1),
            "MMM" | "MMMM" => self.month = Some(month_named(text)?),
            "DD" | "D" | "Do" => self.day = int(),
            "HH" | "H" | "hh" | "h" => self.hour = int(),
            "mm" | "m" => self.minute = int(),
            "ss" | "s" => self.second = int(),
            // moment: `toInt(('0.' + input) * 1000)`, "5" is 500 ms.
            "SSS" | "SS" | "S" => self.milli = Some(int()? * 10i64.pow(3 - digits.len() as u32)),
            "A" | "a" => self.pm = Some(text.starts_with(['p', 'P'])),
            "X" => self.stamp = Some(text.parse::<f64>().ok()? * 1000.0),
            "x" => self.stamp = text.parse::<f64>().ok(),
            _ => return None,
        }
        Some(())
    }

    /// The instant, after moment's meridiem fix and overflow checks.
    fn millis(&self) -> Option<f64> {
        if let Some(stamp) = self.stamp {
            // A timestamp beside other fields: moment checks those too;
            // left to Chart.js's moment.
            let alone = self.year.is_none() && self.month.is_none() && self.day.is_none();
            return (alone && stamp.is_finite()).then_some(stamp);
        }
        let mut hour = self.hour.unwrap_or(0);
        match self.pm {
            Some(true) if hour < 12 => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        let (minute, second, milli) = (
            self.minute.unwrap_or(0),
            self.second.unwrap_or(0),
            self.milli.unwrap_or(0),
        );
        // Hour 24 is the next day's midnight, when nothing follows it.
        let next_day = hour == 24 && minute == 0 && second == 0 && milli == 0;
        let date = Date::new(
            i16::try_from(self.year?).ok()?,
            i8::try_from(self.month.unwrap_or(0) + 1).ok()?,
            i8::try_from(self.day.unwrap_or(1)).ok()?,
        )
        .ok()?;
        let time = Time::new(
            i8::try_from(if next_day { 0 } else { hour }).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            i32::try_from(milli * 1_000_000).ok()?,
        )
        .ok()?;
        let mut at = DateTime::from_parts(date, time);
        if next_day {
            at = at.checked_add(1.day()).ok()?;
        }
        utc_millis(at)
    }
}

/// moment's two-digit years: 69–99 are 19xx, 00–68 20xx.
fn two_digit_year(yy: i64) -> i64 {
    yy + if yy > 68 { 1900 } else { 2000 }
}

/// moment's `en` `monthsParse`, non-strict: a word that starts with a
/// month's long or short name.
fn month_named(word: &str) -> Option<i64> {
    let starts = |name: &str| {
        word.get(..name.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(name))
    };
    let index = MONTHS
        .iter()
        .position(|name| starts(name) || starts(&name[..3]))?;
    Some(index as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(iso: &str) -> Option<f64> {
        super::super::iso_millis(iso)
    }

    // Every expected value below is what moment 2.29 (the one Chart.js
    // 2.9.4 takes from npm) gives for the same string and format in Node
    // with TZ=UTC.

    #[test]
    fn quickchart_documented_parser_reads_its_labels() {
        let f = "MM/DD/YYYY HH:mm";
        assert!(reads(f));
        assert_eq!(parse("01/02/2021 00:00", f), utc("2021-01-02T00:00:00Z"));
        assert_eq!(parse("12/31/2020 23:59", f), utc("2020-12-31T23:59:00Z"));
        // Non-strict: separators need not match, single digits do.
        assert_eq!(parse("1-2-2021 7:05", f), utc("2021-01-02T07:05:00Z"));
    }

    #[test]
    fn tokens_read_as_moment_reads_them() {
        let cases = [
            ("YYYY-MM-DD", "2024-03-09", "2024-03-09T00:00:00Z"),
            ("DD.MM.YY", "09.03.24", "2024-03-09T00:00:00Z"),
            ("DD.MM.YY", "09.03.69", "1969-03-09T00:00:00Z"),
            ("MMM D, YYYY", "Mar 9, 2024", "2024-03-09T00:00:00Z"),
            ("MMM YYYY", "Sept 2024", "2024-09-01T00:00:00Z"),
            (
                "MMMM Do YYYY",
                "September 21st 2024",
                "2024-09-21T00:00:00Z",
            ),
            (
                "D MMM YYYY h:mm A",
                "9 Mar 2024 12:30 AM",
                "2024-03-09T00:30:00Z",
            ),
            (
                "D MMM YYYY h:mm a",
                "9 mar 2024 1:30 pm",
                "2024-03-09T13:30:00Z",
            ),
            ("YYYYMMDD", "20240309", "2024-03-09T00:00:00Z"),
            (
                "YYYY-MM-DD HH:mm:ss.SSS",
                "2024-03-09 10:20:30.5",
                "2024-03-09T10:20:30.500Z",
            ),
            (
                "YYYY-MM-DD HH:mm",
                "2024-03-09 24:00",
                "2024-03-10T00:00:00Z",
            ),
            ("X", "1709251200", "2024-03-01T00:00:00Z"),
            ("x", "1709251200000", "2024-03-01T00:00:00Z"),
        ];
        for (format, input, want) in cases {
            assert!(reads(format), "{format}");
            assert_eq!(parse(input, format), utc(want), "{input} as {format}");
        }
    }

    #[test]
    fn dates_moment_calls_invalid_are_none() {
        for (format, input) in [
            ("MM/DD/YYYY", "13/01/2021"),
            ("MM/DD/YYYY", "02/30/2021"),
            ("YYYY-MM-DD HH:mm", "2024-03-09 24:30"),
            ("MMM YYYY", "Foo 2024"),
            ("MMM YYYY", "12Jan 2024"),
            ("YYYY", "no digits here"),
        ] {
            assert_eq!(parse(input, format), None, "{input} as {format}");
        }
    }

    #[test]
    fn formats_moment_cuts_otherwise_or_dates_by_today_are_left_to_it() {
        for format in [
            "MM/DD",
            "HH:mm",
            "YYYY DDD",
            "YYYY HHmm",
            "YYYY Hmm",
            "LL",
            "YYYY Q",
            "YYYY Z",
        ] {
            // "YYYY HHmm" is moment's HH then mm, and ours too.
            assert_eq!(reads(format), format == "YYYY HHmm", "{format}");
        }
    }
}
