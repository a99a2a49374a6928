//! moment.js's date spellings, as Chart.js 2's time scale reads and writes
//! them through QuickChart's moment adapter: ISO 8601 strings read in UTC
//! (the zone QuickChart's servers run in), and the tokens of moment's
//! format strings. Writing a date is the renderer's (`render::time`).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

mod calendar;
mod parse;
pub(crate) use calendar::{civil, start_of, weekday_of};
pub(crate) use parse::{parse, reads};

/// moment's `en` month names: what `MMMM` writes and `MMM`/`MMMM` read.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// moment's `en` weekday names, from Sunday.
pub(crate) const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The moment tokens the renderer writes, longest first.
const TOKENS: &[&str] = &[
    "YYYY", "MMMM", "dddd", "MMM", "ddd", "SSS", "YY", "MM", "DD", "Do", "HH", "hh", "mm", "ss",
    "ll", "M", "D", "Q", "H", "h", "m", "s", "A", "a",
];

/// One piece of a moment format.
pub(crate) enum Piece<'a> {
    Token(&'static str),
    /// `[text]`: written as it is.
    Text(&'a str),
    /// Any other character but a letter: written as it is.
    Char(char),
}

/// The pieces of a moment format; `None` for a letter that is no token
/// the renderer writes.
pub(crate) fn tokens(format: &str) -> impl Iterator<Item = Option<Piece<'_>>> {
    pieces(format, TOKENS)
}

/// The pieces of a moment format cut with `table` (longest tokens first);
/// `None` for a letter that is no token of it.
fn pieces<'a>(
    format: &'a str,
    table: &'static [&'static str],
) -> impl Iterator<Item = Option<Piece<'a>>> {
    let mut rest = format;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').unwrap_or(inner.len());
            let piece = Piece::Text(&inner[..end]);
            rest = inner.get(end + 1..).unwrap_or("");
            return Some(Some(piece));
        }
        if let Some(tok) = table.iter().find(|t| rest.starts_with(**t)) {
            rest = &rest[tok.len()..];
            return Some(Some(Piece::Token(tok)));
        }
        let c = rest.chars().next()?;
        rest = &rest[c.len_utf8()..];
        Some((!c.is_ascii_alphabetic()).then_some(Piece::Char(c)))
    })
}

/// Whether the renderer writes every token of `format`.
pub(crate) fn writes(format: &str) -> bool {
    tokens(format).all(|t| t.is_some())
}

/// Milliseconds since 1970 of a civil date-time read in UTC.
pub(crate) fn utc_millis(dt: DateTime) -> Option<f64> {
    let ts = TimeZone::UTC.to_timestamp(dt).ok()?;
    Some(ts.as_millisecond() as f64)
}

/// Milliseconds since 1970 of an ISO 8601 date or date-time, with an
/// offset (`Z`, `+02:00`) or without (read as UTC); `None` for anything
/// else, which the native renderer leaves to Chart.js's moment.
pub(crate) fn iso_millis(s: &str) -> Option<f64> {
    let s = s.trim();
    // A bare year or number is no date moment reads as ISO.
    if s.len() < 10 || !s.as_bytes()[..4].iter().all(u8::is_ascii_digit) || s.as_bytes()[4] != b'-'
    {
        return None;
    }
    match s.parse::<Timestamp>() {
        Ok(ts) => Some(ts.as_millisecond() as f64),
        Err(_) => utc_millis(s.parse().ok()?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_read_in_utc() {
        assert_eq!(iso_millis("1970-01-02"), Some(86_400_000.0));
        assert_eq!(
            iso_millis("2024-03-01T00:00:00Z"),
            Some(1_709_251_200_000.0)
        );
        assert_eq!(
            iso_millis("2024-03-01T02:00:00+02:00"),
            Some(1_709_251_200_000.0)
        );
        assert_eq!(iso_millis("2024-03-01 06:00"), Some(1_709_272_800_000.0));
        assert_eq!(
            iso_millis("2024-03-01T06:00:00.500"),
            Some(1_709_272_800_500.0)
        );
        for not_iso in [
            "01/02/2021 00:00",
            "2024",
            "March 1, 2024",
            "2024-13-01",
            "",
        ] {
            assert_eq!(iso_millis(not_iso), None, "{not_iso}");
        }
    }

    #[test]
    fn formats_are_read_token_by_token() {
        assert!(writes("MMM D, YYYY") && writes("[Q]Q - YYYY") && writes("h:mm:ss.SSS a"));
        assert!(!writes("MMM D, YYYY z") && !writes("x"));
    }
}
