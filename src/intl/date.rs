//! Dates written as ECMAScript's `Intl.DateTimeFormat` writes them, for the
//! sandbox's `Intl.DateTimeFormat` and `Date.prototype.toLocaleString`,
//! `toLocaleDateString` and `toLocaleTimeString` (QuickJS writes one
//! format for every locale and option and has no `Intl.DateTimeFormat`;
//! configs call both in tick and label callbacks).
//!
//! The options bag is read as ECMA-402 reads it (its defaults, its
//! `RangeError`s and `TypeError`s, in V8's words), then handed to ICU4X:
//! its `DateTimeFieldBag` mirrors the bag, and CLDR gives each locale's
//! patterns, names and calendar (`th` counts Buddhist years, as a browser
//! does). The time zone is UTC, as everywhere in chartgate, unless
//! `timeZone` names another (IANA names, from jiff's bundled database, so
//! one config gives one picture on every replica). Not written:
//! `timeZoneName` and the zone of `timeStyle: 'long' | 'full'` (the time
//! is, without the zone's name).

use super::options::{choice_of, read_locale, string_of};
use super::skeleton::{self, NumericDate, Ymd};
use icu_datetime::fieldbag::field::{
    Day, DayPeriod, Era, FractionalSecondDigits, Hour, HourKind, Minute, Month, Second, Weekday,
    Year,
};
use icu_datetime::fieldbag::DateTimeFieldBag;
use icu_datetime::fieldsets::builder::{DateFields, FieldSetBuilder};
use icu_datetime::fieldsets::enums::CompositeDateTimeFieldSet;
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::options::{Length, TimePrecision};
use icu_datetime::parts;
use icu_datetime::{DateTimeFormatter, DateTimeFormatterPreferences};
use icu_locale_core::preferences::extensions::unicode::keywords::HourCycle;
use serde_json::{Map, Value};
use std::fmt;
use std::ops::Range;
use writeable::{Part, PartsWrite, Writeable};

const WHAT: &str = "Intl.DateTimeFormat";

/// Options a browser refuses, with its message: a `TypeError` for a
/// style beside components (or one the caller cannot show), else a
/// `RangeError`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub type_error: bool,
    pub message: String,
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal {
            type_error: false,
            message,
        }
    }
}

fn type_error(message: String) -> Refusal {
    Refusal {
        type_error: true,
        message,
    }
}

/// Who formats, which decides what is filled in when the options name no
/// component (ECMA-402's `ToDateTimeOptions`, its `required` and
/// `defaults`): `new Intl.DateTimeFormat()` a date unless any component is
/// given; `toLocaleDateString` a date unless a date component is given,
/// `toLocaleTimeString` a time unless a time component is; `toLocaleString`
/// both unless any is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defaults {
    Format,
    Date,
    Time,
    All,
}

/// One `new Intl.DateTimeFormat(locale, options)`: build once, format many.
pub struct DateTimeFormat {
    formatter: DateTimeFormatter<CompositeDateTimeFieldSet>,
    zone: jiff::tz::TimeZone,
    widths: Widths,
    /// The date's pattern as ICU writes it, where it is numbers only and
    /// ICU4X's differs (`skeleton`).
    numeric: Option<NumericDate>,
}

/// Field widths the options ask for that ICU4X's semantic field sets do
/// not take, applied to its output field by field: what ICU4C's pattern
/// generator (under V8) does when it adjusts a pattern to the requested
/// skeleton.
#[derive(Clone, Copy, Debug, Default)]
struct Widths {
    /// `year: '2-digit'`: the year's last two digits.
    two_digit_year: bool,
    /// The hour with two digits (`Some(true)`) or one, whatever the
    /// locale's pattern has: where `data.rs` says what ICU writes, that;
    /// elsewhere `hour: 'numeric'` is one digit (`0:00`, as Chromium writes
    /// it where the locale's pattern has `HH`).
    hour_padded: Option<bool>,
}

impl std::fmt::Debug for DateTimeFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DateTimeFormat").finish_non_exhaustive()
    }
}

const DATE_KEYS: [&str; 4] = ["weekday", "year", "month", "day"];
const TIME_KEYS: [&str; 5] = [
    "dayPeriod",
    "hour",
    "minute",
    "second",
    "fractionalSecondDigits",
];

impl DateTimeFormat {
    /// The format `locale` (a BCP 47 tag; `None` is `en-US`) and `options`
    /// describe, filled in by `defaults`, or the message of the error a
    /// browser would throw.
    pub fn new(
        locale: Option<&str>,
        options: &Map<String, Value>,
        defaults: Defaults,
    ) -> Result<DateTimeFormat, Refusal> {
        let locale = read_locale(locale)?;
        let mut prefs: DateTimeFormatterPreferences = (&locale).into();
        let twelve = hour12(options)?;
        prefs.hour_cycle = twelve.map(|t| if t { HourCycle::H12 } else { HourCycle::H23 });
        let zone = zone(options)?;
        let (fields, widths, numeric) = match styles(options, defaults)? {
            Some(builder) => (builder, Widths::default(), None),
            None => {
                let (bag, mut widths) = bag(options, defaults, twelve)?;
                let numeric = NumericDate::of(&locale, &bag, widths.two_digit_year);
                widths.hour_padded =
                    skeleton::hour_padded(&locale, &bag, twelve).or(widths.hour_padded);
                (bag.to_field_set_builder(), widths, numeric)
            }
        };
        let field_set = fields
            .build_composite_datetime()
            .map_err(|e| format!("Invalid option combination: {e:?}"))?;
        let formatter = DateTimeFormatter::try_new(prefs, field_set).map_err(|e| e.to_string())?;
        Ok(DateTimeFormat {
            formatter,
            zone,
            widths,
            numeric,
        })
    }

    /// `format(ms)` of a time value (milliseconds since the epoch); `None`
    /// for one that is no time (NaN, or past what a date can hold): a
    /// `RangeError` from `format`, `"Invalid Date"` from `toLocaleString`.
    pub fn format(&self, ms: f64) -> Option<String> {
        if !ms.is_finite() {
            return None;
        }
        let at = jiff::Timestamp::from_millisecond(ms.floor() as i64).ok()?;
        let civil = at.to_zoned(self.zone.clone()).datetime();
        let date = Date::try_new_iso(
            i32::from(civil.year()),
            civil.month() as u8,
            civil.day() as u8,
        )
        .ok()?;
        let nanos = u32::try_from(civil.subsec_nanosecond()).ok()?;
        let time = Time::try_new(
            civil.hour() as u8,
            civil.minute() as u8,
            civil.second() as u8,
            nanos,
        )
        .ok()?;
        let input = DateTime { date, time };
        let mut out = Fields::default();
        // ICU4X 2.4 debug-asserts on a few of its own patterns (pt's
        // "MMMM 'de' y" loads no number formatter) and writes them right
        // without the assertion: a debug build gives up on that date.
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.formatter.format(&input).write_to_parts(&mut out)
        }));
        let numeric = self.numeric.map(|n| {
            let ymd = Ymd {
                year: i32::from(civil.year()),
                month: civil.month() as u8,
                day: civil.day() as u8,
            };
            (n, ymd)
        });
        matches!(written, Ok(Ok(()))).then(|| out.adjusted(self.widths, numeric))
    }
}

/// What ICU4X wrote, and where each of its fields went.
#[derive(Default)]
struct Fields {
    text: String,
    spans: Vec<(Range<usize>, Part)>,
}

impl fmt::Write for Fields {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl PartsWrite for Fields {
    type SubPartsWrite = Self;

    fn with_part(
        &mut self,
        part: Part,
        mut f: impl FnMut(&mut Self) -> fmt::Result,
    ) -> fmt::Result {
        let start = self.text.len();
        f(self)?;
        self.spans.push((start..self.text.len(), part));
        Ok(())
    }
}

impl Fields {
    /// The text with `widths` applied, the date written in its numeric
    /// pattern where there is one, and U+202F (CLDR's space before AM/PM)
    /// written as a space, as V8 writes it.
    fn adjusted(mut self, widths: Widths, numeric: Option<(NumericDate, Ymd)>) -> String {
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let date = numeric.and_then(|(n, ymd)| n.replace(&self.text, &self.spans, ymd));
        let in_date = date.is_some();
        edits.extend(date);
        for (range, part) in &self.spans {
            let field = &self.text[range.clone()];
            if *part == parts::YEAR && widths.two_digit_year && !in_date {
                let last_two = field.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
                edits.push((range.clone(), field[last_two..].to_string()));
            }
            if *part == parts::HOUR {
                match (widths.hour_padded, field.chars().count()) {
                    (Some(false), 2) => {
                        if let Some(rest) = field.strip_prefix(ZEROS) {
                            edits.push((range.clone(), rest.to_string()));
                        }
                    }
                    (Some(true), 1) if field.bytes().all(|b| b.is_ascii_digit()) => {
                        edits.push((range.clone(), format!("0{field}")));
                    }
                    _ => {}
                }
            }
        }
        edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        for (range, with) in edits {
            self.text.replace_range(range, &with);
        }
        self.text.replace('\u{202f}', " ")
    }
}

/// Zero in the digits CLDR's locales write (Latin, Arabic-Indic, Persian,
/// Devanagari, Bengali, Thai).
const ZEROS: &[char] = &['0', '\u{660}', '\u{6f0}', '\u{966}', '\u{9e6}', '\u{e50}'];

/// `hour12`, else what `hourCycle` says of it.
fn hour12(o: &Map<String, Value>) -> Result<Option<bool>, String> {
    if let Some(v) = o.get("hour12").filter(|v| !v.is_null()) {
        return Ok(Some(truthy(v)));
    }
    let cycle = choice_of(WHAT, o, "hourCycle", &["h11", "h12", "h23", "h24"])?;
    Ok(cycle.map(|c| matches!(c, "h11" | "h12")))
}

/// ECMAScript's `ToBoolean` of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

fn zone(o: &Map<String, Value>) -> Result<jiff::tz::TimeZone, String> {
    match string_of(WHAT, o, "timeZone")? {
        None => Ok(jiff::tz::TimeZone::UTC),
        Some(name) => jiff::tz::TimeZone::get(name)
            .map_err(|_| format!("Invalid time zone specified: {name}")),
    }
}

/// `dateStyle` / `timeStyle` as a field set; `None` when neither is given.
/// A component beside them is V8's `TypeError`, as is a style the caller
/// cannot show (`timeStyle` in `toLocaleDateString`).
fn styles(o: &Map<String, Value>, defaults: Defaults) -> Result<Option<FieldSetBuilder>, Refusal> {
    let styles = ["full", "long", "medium", "short"];
    let date = choice_of(WHAT, o, "dateStyle", &styles)?;
    let time = choice_of(WHAT, o, "timeStyle", &styles)?;
    if date.is_none() && time.is_none() {
        return Ok(None);
    }
    let which = if date.is_some() {
        "dateStyle"
    } else {
        "timeStyle"
    };
    let mut extra = ["era", "timeZoneName"]
        .iter()
        .chain(&DATE_KEYS)
        .chain(&TIME_KEYS);
    if let Some(key) = extra.find(|k| o.get(**k).is_some_and(|v| !v.is_null())) {
        return Err(type_error(format!(
            "Can't set option {key} when {which} is used"
        )));
    }
    match (defaults, date, time) {
        (Defaults::Date, _, Some(_)) => {
            return Err(type_error("Invalid option : timeStyle".into()))
        }
        (Defaults::Time, Some(_), _) => {
            return Err(type_error("Invalid option : dateStyle".into()))
        }
        _ => {}
    }
    let length = |s: &str| match s {
        "full" | "long" => Length::Long,
        "medium" => Length::Medium,
        _ => Length::Short,
    };
    let mut b = FieldSetBuilder::new();
    b.length = date.or(time).map(length);
    b.date_fields = date.map(|d| {
        if d == "full" {
            DateFields::YMDE
        } else {
            DateFields::YMD
        }
    });
    b.time_precision = time.map(|t| match t {
        "short" => TimePrecision::Minute,
        _ => TimePrecision::Second,
    });
    Ok(Some(b))
}

/// The components asked for, or the defaults when none is.
fn bag(
    o: &Map<String, Value>,
    defaults: Defaults,
    twelve: Option<bool>,
) -> Result<(DateTimeFieldBag, Widths), String> {
    let numeric = ["numeric", "2-digit"];
    let texts = ["narrow", "short", "long"];
    let months = ["numeric", "2-digit", "narrow", "short", "long"];
    let mut bag = DateTimeFieldBag::default();
    bag.weekday = choice_of(WHAT, o, "weekday", &texts)?.map(|w| match w {
        "narrow" => Weekday::Narrow,
        "short" => Weekday::Short,
        _ => Weekday::Long,
    });
    bag.era = choice_of(WHAT, o, "era", &texts)?.map(|e| match e {
        "narrow" => Era::Narrow,
        "short" => Era::Short,
        _ => Era::Long,
    });
    let two = |v: Option<&str>| v.map(|v| v == "2-digit");
    let year = two(choice_of(WHAT, o, "year", &numeric)?);
    // Asked for in full, then cut (`Widths`): ICU4X's field sets show a
    // two-digit year only in their short lengths.
    bag.year = year.map(|_| Year::Numeric);
    bag.month = choice_of(WHAT, o, "month", &months)?.map(|m| match m {
        "numeric" => Month::Numeric,
        "2-digit" => Month::TwoDigit,
        "narrow" => Month::Narrow,
        "short" => Month::Short,
        _ => Month::Long,
    });
    bag.day =
        two(choice_of(WHAT, o, "day", &numeric)?)
            .map(|t| if t { Day::TwoDigit } else { Day::Numeric });
    bag.day_period = choice_of(WHAT, o, "dayPeriod", &texts)?.map(|p| match p {
        "narrow" => DayPeriod::FlexibleNarrow,
        "short" => DayPeriod::FlexibleShort,
        _ => DayPeriod::FlexibleLong,
    });
    let hour = two(choice_of(WHAT, o, "hour", &numeric)?);
    bag.hour = hour.map(|t| if t { Hour::TwoDigit } else { Hour::Numeric });
    let widths = Widths {
        two_digit_year: year == Some(true),
        hour_padded: (hour == Some(false)).then_some(false),
    };
    bag.minute = two(choice_of(WHAT, o, "minute", &numeric)?).map(|t| {
        if t {
            Minute::TwoDigit
        } else {
            Minute::Numeric
        }
    });
    bag.second = two(choice_of(WHAT, o, "second", &numeric)?).map(|t| {
        if t {
            Second::TwoDigit
        } else {
            Second::Numeric
        }
    });
    bag.fractional_second_digits = fraction_digits(o)?;
    bag.hour_kind = twelve.map(|t| {
        if t {
            HourKind::Clock12
        } else {
            HourKind::Clock24
        }
    });
    let given = |keys: &[&str]| keys.iter().any(|k| o.get(*k).is_some_and(|v| !v.is_null()));
    let needed = match defaults {
        Defaults::Date => !given(&DATE_KEYS),
        Defaults::Time => !given(&TIME_KEYS),
        Defaults::Format | Defaults::All => !given(&DATE_KEYS) && !given(&TIME_KEYS),
    };
    if needed {
        if defaults != Defaults::Time {
            bag.year = Some(Year::Numeric);
            bag.month = Some(Month::Numeric);
            bag.day = Some(Day::Numeric);
        }
        if matches!(defaults, Defaults::Time | Defaults::All) {
            bag.hour = Some(Hour::Numeric);
            bag.minute = Some(Minute::Numeric);
            bag.second = Some(Second::Numeric);
        }
    }
    Ok((bag, widths))
}

fn fraction_digits(o: &Map<String, Value>) -> Result<Option<FractionalSecondDigits>, String> {
    let v = match o.get("fractionalSecondDigits") {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => v.as_f64().or_else(|| v.as_str()?.trim().parse().ok()),
    };
    match v.map(f64::floor) {
        Some(1.0) => Ok(Some(FractionalSecondDigits::F1)),
        Some(2.0) => Ok(Some(FractionalSecondDigits::F2)),
        Some(3.0) => Ok(Some(FractionalSecondDigits::F3)),
        _ => Err("fractionalSecondDigits value is out of range.".into()),
    }
}
