//! Numeric dates (`5.1.2024`, `05.01.`, `1/2024`) and hours (`0:00` or
//! `00:00`) as ICU's pattern generator writes them under V8, for the
//! locales of `data.rs`.
//!
//! ICU4X 2 picks a date's pattern from its semantic field sets, which take
//! the locale's length patterns: `de` writes `05.01.2024` for year, month
//! and day where a browser writes `5.1.2024`, `pl` `05.01.2024` for
//! `5.01.2024`, `ja` `2024/01/05` for `2024/1/5`. ICU's pattern generator
//! (what V8 calls) takes CLDR's `availableFormats` for the asked skeleton
//! and widens fields as asked; `scripts/intl-data.js` writes what it gives
//! for every numeric year/month/day choice into `data::NUMERIC_DATE`, and
//! the date's part of what ICU4X wrote is replaced by that pattern filled in
//! (the rest — time, glue — stays ICU4X's). The hour's width follows the
//! same rule and depends on the minute's and second's (`{hour: 'numeric',
//! minute: 'numeric'}` is `00:00` in `de`, with `minute: '2-digit'`
//! `0:00`): `data::HOUR_WIDTH` says it per choice.

use super::data;
use super::options::listed_row;
use icu_datetime::fieldbag::field::{Day, Hour, Minute, Month, Second};
use icu_datetime::fieldbag::DateTimeFieldBag;
use icu_locale_core::Locale;
use std::ops::Range;
use writeable::Part;

/// The pattern for a bag's date fields, when they are numbers only.
#[derive(Clone, Copy, Debug)]
pub(super) struct NumericDate(&'static str);

/// A Gregorian date, as the pattern fills it in.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ymd {
    pub(super) year: i32,
    pub(super) month: u8,
    pub(super) day: u8,
}

impl NumericDate {
    /// The pattern for `bag`'s date fields in `locale`, when `data.rs` has
    /// one: no weekday, era or month name, and `two_digit_year` saying how
    /// the year was asked for (the bag always holds a numeric one).
    pub(super) fn of(
        locale: &Locale,
        bag: &DateTimeFieldBag,
        two_digit_year: bool,
    ) -> Option<NumericDate> {
        if bag.weekday.is_some() || bag.era.is_some() {
            return None;
        }
        let year = match (bag.year, two_digit_year) {
            (None, _) => 0,
            (Some(_), false) => 1,
            (Some(_), true) => 2,
        };
        let month = match bag.month {
            None => 0,
            Some(Month::Numeric) => 1,
            Some(Month::TwoDigit) => 2,
            Some(_) => return None,
        };
        let day = match bag.day {
            None => 0,
            Some(Day::Numeric) => 1,
            Some(_) => 2,
        };
        let pattern = data::NUMERIC_DATE[row(locale)?][9 * year + 3 * month + day];
        (!pattern.is_empty()).then_some(NumericDate(pattern))
    }

    /// The part of `text` the date's pattern replaces, and what goes there:
    /// all of it when it holds only the date's fields (`spans`, ICU4X's
    /// parts), else the fields and the literals around them, the rest (the
    /// time, the glue) staying ICU4X's. `None` when the fields are not
    /// `date` in Latin digits (another calendar or numbering system asked
    /// for by the locale's extensions) or another field sits among them.
    pub(super) fn replace(
        self,
        text: &str,
        spans: &[(Range<usize>, Part)],
        date: Ymd,
    ) -> Option<(Range<usize>, String)> {
        use icu_datetime::parts::{DAY, MONTH, YEAR};
        let mut fields: Vec<&Range<usize>> = Vec::with_capacity(3);
        for (range, part) in spans {
            let want = match *part {
                p if p == YEAR => date.year,
                p if p == MONTH => i32::from(date.month),
                p if p == DAY => i32::from(date.day),
                _ => continue,
            };
            let field = &text[range.clone()];
            if !field.bytes().all(|b| b.is_ascii_digit()) || field.parse::<i32>().ok()? != want {
                return None;
            }
            fields.push(range);
        }
        let first = fields.iter().map(|r| r.start).min()?;
        let last = fields.iter().map(|r| r.end).max()?;
        // Parts nested in a field (a number's digits) are the field's.
        let mut others = spans
            .iter()
            .map(|(r, _)| r)
            .filter(|r| !fields.iter().any(|f| f.start <= r.start && r.end <= f.end));
        match others.clone().next() {
            None => Some((0..text.len(), fill(self.0, date))),
            Some(_) if others.any(|r| r.start < last && r.end > first) => None,
            // The pattern's own literals before and after its fields (`ko`'s
            // `y. M. d.`) go in too, over ICU4X's where it wrote the same.
            Some(_) => {
                let is_field = |c: char| matches!(c, 'y' | 'M' | 'd');
                let (lead, tail) = (
                    &self.0[..self.0.find(is_field)?],
                    &self.0[self.0.rfind(is_field)? + 1..],
                );
                let start = first - usize::from(text[..first].ends_with(lead)) * lead.len();
                let end = last + usize::from(text[last..].starts_with(tail)) * tail.len();
                Some((start..end, fill(self.0, date)))
            }
        }
    }
}

/// `pattern` (this one or a piece of it) filled in with `date`.
fn fill(pattern: &str, date: Ymd) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        let wide = chars.next_if_eq(&c).is_some();
        match (c, wide) {
            ('y', false) => out.push_str(&date.year.to_string()),
            ('y', true) => out.push_str(&format!("{:02}", date.year.rem_euclid(100))),
            ('M', false) => out.push_str(&date.month.to_string()),
            ('M', true) => out.push_str(&format!("{:02}", date.month)),
            ('d', false) => out.push_str(&date.day.to_string()),
            ('d', true) => out.push_str(&format!("{:02}", date.day)),
            (c, false) => out.push(c),
            (c, true) => {
                out.push(c);
                out.push(c);
            }
        }
    }
    out
}

/// Whether ICU writes `bag`'s hour with two digits (`Some(true)`) or
/// one, in `locale`, as `data::HOUR_WIDTH` says; `twelve` is `hour12` (or
/// what `hourCycle` says of it). `None` for a locale not in the table.
pub(super) fn hour_padded(
    locale: &Locale,
    bag: &DateTimeFieldBag,
    twelve: Option<bool>,
) -> Option<bool> {
    let hour = match bag.hour? {
        Hour::Numeric => 0,
        _ => 1,
    };
    let minute = match bag.minute {
        None => 0,
        Some(Minute::Numeric) => 1,
        Some(_) => 2,
    };
    let second = match bag.second {
        None => 0,
        Some(Second::Numeric) => 1,
        Some(_) => 2,
    };
    let clock = match twelve {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    };
    let widths = data::HOUR_WIDTH[row(locale)?].as_bytes();
    Some(widths[27 * hour + 9 * minute + 3 * second + clock] == b'p')
}

/// `locale`'s row of `data.rs` for dates (`options::listed_row`); none
/// for a script or a region not listed: their dates differ (`zh-Hant`,
/// `en-NZ`).
fn row(locale: &Locale) -> Option<usize> {
    locale
        .id
        .script
        .is_none()
        .then(|| listed_row(locale))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_filled_in_with_their_widths() {
        let date = Ymd {
            year: 2024,
            month: 1,
            day: 5,
        };
        let write = |p: &str| fill(p, date);
        assert_eq!(write("d.M.y"), "5.1.2024");
        assert_eq!(write("dd.MM.yy"), "05.01.24");
        assert_eq!(write("y年M月"), "2024年1月");
        assert_eq!(write("y. M. d."), "2024. 1. 5.");
    }

    #[test]
    fn a_region_not_listed_or_a_script_has_no_row() {
        let row_of = |tag: &str| row(&tag.parse().unwrap());
        assert_eq!(row_of("de"), row_of("de-DE"));
        assert!(row_of("de-DE").is_some());
        assert_eq!(row_of("en-NZ"), None);
        assert_eq!(row_of("zh-Hant"), None);
        assert_eq!(row_of("xx"), None);
    }
}
