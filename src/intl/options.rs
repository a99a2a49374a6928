//! An `Intl.NumberFormat` options object, resolved as ECMA-402 resolves
//! it (`SetNumberFormatDigitOptions`, ES2023): which digits, which style,
//! which grouping; with the errors a browser throws for what it refuses.

use super::data;
use icu_decimal::options::GroupingStrategy;
use icu_locale_core::Locale;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The resolved options of one number format.
#[derive(Debug)]
pub struct Options {
    pub(super) locale: Locale,
    /// The locale's row in `data`: its own, else its language's first,
    /// else `en-US`'s (row 0).
    row: usize,
    pub(super) style: Style,
    pub(super) digits: Digits,
    pub(super) min_integer: u8,
    pub(super) grouping: GroupingStrategy,
    pub(super) notation: Notation,
    pub(super) sign: SignDisplay,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Style {
    Decimal,
    Percent,
    /// A currency of `data::CURRENCIES` by index, or another ISO code.
    Currency(Currency, Display),
    /// A unit of `data::UNITS` by index, or another unit's identifier.
    Unit(Result<usize, String>),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Currency {
    Known(usize),
    Other(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Display {
    Symbol,
    Narrow,
    Code,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Digits {
    Fraction {
        min: u8,
        max: u8,
    },
    Significant {
        min: u8,
        max: u8,
    },
    /// Compact notation's own rounding: whole numbers, or two significant
    /// digits below ten.
    Compact,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Notation {
    Standard,
    Scientific { engineering: bool },
    Compact { long: bool },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum SignDisplay {
    Auto,
    Never,
    Always,
    ExceptZero,
    Negative,
}

impl Options {
    pub(super) fn read(locale: Option<&str>, o: &Map<String, Value>) -> Result<Options, String> {
        let locale = read_locale(locale)?;
        let row = row_of(&locale);
        let style = style(o)?;
        let notation = match choice(
            o,
            "notation",
            &["standard", "scientific", "engineering", "compact"],
        )? {
            Some("scientific") => Notation::Scientific { engineering: false },
            Some("engineering") => Notation::Scientific { engineering: true },
            Some("compact") => Notation::Compact {
                long: choice(o, "compactDisplay", &["short", "long"])? == Some("long"),
            },
            _ => Notation::Standard,
        };
        let digits = digits(o, &style, notation)?;
        let min_integer = integer(o, "minimumIntegerDigits", 1, 21)?.unwrap_or(1);
        let sign = match choice(
            o,
            "signDisplay",
            &["auto", "never", "always", "exceptZero", "negative"],
        )? {
            Some("never") => SignDisplay::Never,
            Some("always") => SignDisplay::Always,
            Some("exceptZero") => SignDisplay::ExceptZero,
            Some("negative") => SignDisplay::Negative,
            _ => SignDisplay::Auto,
        };
        let compact = matches!(notation, Notation::Compact { .. });
        Ok(Options {
            locale,
            row,
            style,
            digits,
            min_integer,
            grouping: grouping(o.get("useGrouping"), compact)?,
            notation,
            sign,
        })
    }

    /// The pattern around the number: `{}` where it goes, with the minus
    /// sign when `negative`, the plus sign when `plus`.
    pub(super) fn pattern(&self, negative: bool, plus: bool) -> Cow<'static, str> {
        let which = usize::from(negative) + 2 * usize::from(plus && !negative);
        match &self.style {
            Style::Decimal => Cow::Borrowed(data::DECIMAL[self.row][which]),
            Style::Percent => signed(self.row, data::PERCENT[self.row], which),
            Style::Currency(Currency::Known(c), display) => {
                let each = &data::CURRENCY[self.row][*c];
                let p = match display {
                    Display::Symbol => each[0],
                    Display::Narrow if each[1].is_empty() => each[0],
                    Display::Narrow => each[1],
                    Display::Code => each[2],
                };
                signed(self.row, p, which)
            }
            // Another currency is written as its code, where the locale
            // writes the code of the first currency (`USD`).
            Style::Currency(Currency::Other(code), _) => {
                let usd = signed(self.row, data::CURRENCY[self.row][0][2], which);
                Cow::Owned(usd.replace(data::CURRENCIES[0].0, code))
            }
            Style::Unit(Ok(u)) => signed(self.row, data::UNIT[self.row][*u], which),
            Style::Unit(Err(unit)) => {
                Cow::Owned(format!("{} {unit}", data::DECIMAL[self.row][which]))
            }
        }
    }
}

/// One of a packed pattern's three forms (`data.rs`): the positive pattern
/// alone stands for all three, signed by the locale's decimal signs.
fn signed(row: usize, packed: &'static str, which: usize) -> Cow<'static, str> {
    if packed.contains('\0') {
        return Cow::Borrowed(packed.split('\0').nth(which).unwrap_or(packed));
    }
    if which == 0 {
        return Cow::Borrowed(packed);
    }
    let sign = data::DECIMAL[row][which].trim_end_matches("{}");
    Cow::Owned(format!("{sign}{packed}"))
}

/// `locale`'s row of `data.rs` for numbers: its own, else its language's
/// first, else en-US's (a language's regions write numbers alike).
fn row_of(locale: &Locale) -> usize {
    listed_row(locale)
        .or_else(|| language_row(locale.id.language.as_str()))
        .unwrap_or(0)
}

/// `locale`'s own row of `data.rs`: its language and region as listed, or,
/// with no region given, its language's first (`de` for `de-DE`: ICU's
/// data for a bare language is its likeliest region's). `None` for a
/// region not listed.
pub(super) fn listed_row(locale: &Locale) -> Option<usize> {
    let lang = locale.id.language.as_str();
    match locale.id.region {
        Some(region) => data::LOCALES
            .iter()
            .position(|l| l.split_once('-') == Some((lang, region.as_str()))),
        None => language_row(lang),
    }
}

fn language_row(lang: &str) -> Option<usize> {
    data::LOCALES
        .iter()
        .position(|l| l.split('-').next() == Some(lang))
}

fn style(o: &Map<String, Value>) -> Result<Style, String> {
    match choice(o, "style", &["decimal", "percent", "currency", "unit"])? {
        Some("percent") => Ok(Style::Percent),
        Some("currency") => {
            let code =
                string(o, "currency")?.ok_or("Currency code is required with currency style.")?;
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(format!("Invalid currency code : {code}"));
            }
            let code = code.to_ascii_uppercase();
            let currency = match data::CURRENCIES.iter().position(|(c, _)| *c == code) {
                Some(i) => Currency::Known(i),
                None => Currency::Other(code),
            };
            let display = match choice(
                o,
                "currencyDisplay",
                &["symbol", "narrowSymbol", "code", "name"],
            )? {
                Some("narrowSymbol") => Display::Narrow,
                Some("code") | Some("name") => Display::Code,
                _ => Display::Symbol,
            };
            Ok(Style::Currency(currency, display))
        }
        Some("unit") => {
            let unit = string(o, "unit")?.ok_or("Unit is required with unit style.")?;
            if unit.is_empty() || !unit.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                return Err(format!(
                    "Invalid unit argument for Intl.NumberFormat() '{unit}'"
                ));
            }
            Ok(Style::Unit(
                data::UNITS
                    .iter()
                    .position(|u| *u == unit)
                    .ok_or(unit.to_string()),
            ))
        }
        _ => Ok(Style::Decimal),
    }
}

/// ECMA-402's digit options: significant digits when either bound is
/// given, else fraction digits from the style's defaults (a currency's
/// own digits, none for a percent, up to three otherwise); compact
/// notation's own rounding when neither is given.
fn digits(o: &Map<String, Value>, style: &Style, notation: Notation) -> Result<Digits, String> {
    let (min_sd, max_sd) = (
        integer(o, "minimumSignificantDigits", 1, 21)?,
        integer(o, "maximumSignificantDigits", 1, 21)?,
    );
    if min_sd.is_some() || max_sd.is_some() {
        let min = min_sd.unwrap_or(1);
        let max = max_sd.unwrap_or(21);
        if min > max {
            return Err("maximumSignificantDigits value is out of range.".into());
        }
        return Ok(Digits::Significant { min, max });
    }
    let (min_fd, max_fd) = (
        integer(o, "minimumFractionDigits", 0, 100)?,
        integer(o, "maximumFractionDigits", 0, 100)?,
    );
    if min_fd.is_none() && max_fd.is_none() && matches!(notation, Notation::Compact { .. }) {
        return Ok(Digits::Compact);
    }
    let (default_min, default_max) = match style {
        Style::Currency(Currency::Known(i), _) => (data::CURRENCIES[*i].1, data::CURRENCIES[*i].1),
        Style::Currency(Currency::Other(_), _) => (2, 2),
        Style::Percent => (0, 0),
        _ => (0, 3),
    };
    let (min, max) = match (min_fd, max_fd) {
        (Some(min), None) => (min, default_max.max(min)),
        (None, Some(max)) => (default_min.min(max), max),
        (Some(min), Some(max)) if min > max => {
            return Err("maximumFractionDigits value is out of range.".into())
        }
        (Some(min), Some(max)) => (min, max),
        (None, None) => (default_min, default_max),
    };
    Ok(Digits::Fraction { min, max })
}

/// `useGrouping`: `true` is `'always'`, a false value never groups, and
/// the strings name ICU's strategies; the default is `'auto'` (`'min2'`
/// in compact notation).
fn grouping(v: Option<&Value>, compact: bool) -> Result<GroupingStrategy, String> {
    let default = if compact {
        GroupingStrategy::Min2
    } else {
        GroupingStrategy::Auto
    };
    Ok(match v {
        None | Some(Value::Null) => default,
        Some(Value::Bool(true)) => GroupingStrategy::Always,
        Some(Value::Bool(false)) => GroupingStrategy::Never,
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => GroupingStrategy::Never,
        Some(Value::String(s)) => match s.as_str() {
            "" => GroupingStrategy::Never,
            "always" => GroupingStrategy::Always,
            "auto" => GroupingStrategy::Auto,
            "min2" => GroupingStrategy::Min2,
            "true" | "false" => default,
            other => {
                return Err(format!(
                    "Value {other} out of range for Intl.NumberFormat options property useGrouping"
                ))
            }
        },
        Some(_) => GroupingStrategy::Always,
    })
}

/// The locale of a tag (`None` or empty: `en-US`), or the browser's
/// `RangeError` message.
pub(super) fn read_locale(tag: Option<&str>) -> Result<Locale, String> {
    match tag {
        None | Some("") => "en-US".parse().map_err(|_| "en-US".to_string()),
        Some(tag) => tag
            .parse()
            .map_err(|_| format!("Incorrect locale information provided: {tag:?}")),
    }
}

const NUMBER_FORMAT: &str = "Intl.NumberFormat";

fn string<'a>(o: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    string_of(NUMBER_FORMAT, o, key)
}

fn choice<'a>(
    o: &'a Map<String, Value>,
    key: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, String> {
    choice_of(NUMBER_FORMAT, o, key, allowed)
}

/// Option `key` of `what`'s options (`Intl.NumberFormat`, ...) when a
/// string; V8's `RangeError` message for another value.
pub(super) fn string_of<'a>(
    what: &str,
    o: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "Value {other} out of range for {what} options property {key}"
        )),
    }
}

/// `string_of`, one of `allowed`.
pub(super) fn choice_of<'a>(
    what: &str,
    o: &'a Map<String, Value>,
    key: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, String> {
    match string_of(what, o, key)? {
        Some(s) if !allowed.contains(&s) => Err(format!(
            "Value {s} out of range for {what} options property {key}"
        )),
        s => Ok(s),
    }
}

fn integer(o: &Map<String, Value>, key: &str, lo: u8, hi: u8) -> Result<Option<u8>, String> {
    let v = match o.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(f64::NAN),
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(_) => f64::NAN,
    };
    if !(f64::from(lo)..=f64::from(hi)).contains(&v) {
        return Err(format!("{key} value is out of range."));
    }
    Ok(Some(v.floor() as u8))
}
