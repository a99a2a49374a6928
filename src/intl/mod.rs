//! Numbers written as ECMAScript's `Intl.NumberFormat` writes them, and
//! dates as its `Intl.DateTimeFormat` does (`date`), for the
//! locales, styles and options charts use: QuickChart's `tickFormat`
//! plugin on native axes, and `Intl` inside the script sandbox (Chart.js 3
//! and 4 label every number through it; configs call `toLocaleString`).
//!
//! ICU4X (`icu_decimal`) writes the number itself from CLDR: digits,
//! separators, grouping, compact forms. The patterns around it (signs,
//! percent, currency and unit symbols, their spacing) are `data.rs`, read
//! from the same CLDR by `scripts/intl-data.js`; ICU4X's own currency,
//! percent and unit formatters are still experimental and carry every
//! locale. Rounding follows ECMA-402: half away from zero, on the shortest
//! decimal that reads back as the double (what V8 does).

mod data;
mod date;
#[cfg(test)]
mod date_tests;
mod options;
mod skeleton;

pub use date::{DateTimeFormat, Defaults, Refusal};
pub use options::Options;

use fixed_decimal::{Decimal, FloatPrecision, UnsignedDecimal, UnsignedRoundingMode};
use icu_decimal::options::{CompactDecimalFormatterOptions, DecimalFormatterOptions};
use icu_decimal::{CompactDecimalFormatter, DecimalFormatter};
use options::{Digits, Notation, SignDisplay, Style};
use writeable::Writeable;

/// One `new Intl.NumberFormat(locale, options)`: build once, format many.
pub struct NumberFormat {
    options: Options,
    writer: Writer,
}

enum Writer {
    Plain(DecimalFormatter),
    Compact(CompactDecimalFormatter),
}

impl std::fmt::Debug for NumberFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NumberFormat")
            .field("options", &self.options)
            .finish()
    }
}

impl NumberFormat {
    /// The format `locale` (a BCP 47 tag; `None` is `en-US`) and `options`
    /// (an `Intl.NumberFormat` options object's properties) describe, or
    /// the message of the `RangeError`/`TypeError` a browser would throw.
    pub fn new(
        locale: Option<&str>,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<NumberFormat, String> {
        let options = Options::read(locale, options)?;
        let writer = match options.notation {
            Notation::Compact { long } => {
                let opts = CompactDecimalFormatterOptions::from(DecimalFormatterOptions::from(
                    options.grouping,
                ));
                let made = if long {
                    CompactDecimalFormatter::try_new_long((&options.locale).into(), opts)
                } else {
                    CompactDecimalFormatter::try_new_short((&options.locale).into(), opts)
                };
                Writer::Compact(made.map_err(|e| e.to_string())?)
            }
            _ => Writer::Plain(
                DecimalFormatter::try_new((&options.locale).into(), options.grouping.into())
                    .map_err(|e| e.to_string())?,
            ),
        };
        Ok(NumberFormat { options, writer })
    }

    /// `format(x)`.
    pub fn format(&self, x: f64) -> String {
        let o = &self.options;
        if x.is_nan() {
            return o.pattern(false, false).replace("{}", "NaN");
        }
        let negative = x.is_sign_negative();
        let (number, zero) = if x.is_infinite() {
            ("\u{221e}".to_string(), false)
        } else {
            self.number(x.abs())
        };
        let shown = match o.sign {
            SignDisplay::Auto => negative,
            SignDisplay::Never => false,
            SignDisplay::Negative => negative && !zero,
            SignDisplay::Always | SignDisplay::ExceptZero => negative && !zero,
        };
        let plus = match o.sign {
            SignDisplay::Always => !shown,
            SignDisplay::ExceptZero => !negative && !zero,
            _ => false,
        };
        o.pattern(shown, plus).replace("{}", &number)
    }

    /// `|x|` written by the locale, rounded as the options say, and whether
    /// it rounded to zero.
    fn number(&self, x: f64) -> (String, bool) {
        let o = &self.options;
        let Ok(mut d) = UnsignedDecimal::try_from_f64(x, FloatPrecision::RoundTrip) else {
            return (x.to_string(), x == 0.0);
        };
        // A percent is the exact decimal times 100, not the double's product
        // (0.07 * 100 is 7.000000000000001).
        if matches!(o.style, Style::Percent) {
            d.multiply_pow10(2);
        }
        match (&self.writer, o.notation) {
            (Writer::Compact(c), _) => {
                // Rounded here, not by ICU4X's `format`: it rounds half to
                // even (1250 → 1.2K) where ECMA-402 rounds half away from
                // zero (1.3K).
                if o.digits == Digits::Compact && !d.is_zero() {
                    let top = d.nonzero_magnitude_start();
                    let exponent = i16::from(c.compact_exponent_for_magnitude(top));
                    let at = if top > exponent { exponent } else { top - 1 };
                    d.round_with_mode(at, UnsignedRoundingMode::HalfExpand);
                }
                let top = if d.is_zero() {
                    0
                } else {
                    d.nonzero_magnitude_start()
                };
                let exponent = c.compact_exponent_for_magnitude(top);
                d.multiply_pow10(-i16::from(exponent));
                d.trim_end();
                round(&mut d, o.digits, o.min_integer);
                let zero = d.is_zero();
                let signed = unsigned(d);
                let text = match c.format_with_exponent(&signed, exponent) {
                    Ok(w) => w.write_to_string().into_owned(),
                    Err(_) => c.format(&signed).write_to_string().into_owned(),
                };
                (text, zero)
            }
            (Writer::Plain(f), Notation::Scientific { engineering }) => {
                scientific(f, d, o.digits, engineering)
            }
            (Writer::Plain(f), _) => {
                round(&mut d, o.digits, o.min_integer);
                let zero = d.is_zero();
                (write(f, d), zero)
            }
        }
    }
}

fn write(f: &DecimalFormatter, absolute: UnsignedDecimal) -> String {
    f.format(&unsigned(absolute)).write_to_string().into_owned()
}

/// `absolute` without a sign: the patterns of `data.rs` place it.
fn unsigned(absolute: UnsignedDecimal) -> Decimal {
    let mut d = Decimal::default();
    d.absolute = absolute;
    d
}

/// Rounds `d` to its digits, half away from zero, and pads it as
/// ECMA-402's `FormatNumericToString` does.
fn round(d: &mut UnsignedDecimal, digits: Digits, min_integer: u8) {
    match digits {
        Digits::Fraction { min, max } => {
            d.round_with_mode(-i16::from(max), UnsignedRoundingMode::HalfExpand);
            d.trim_end();
            d.pad_end(-i16::from(min));
        }
        Digits::Significant { min, max } => {
            if !d.is_zero() {
                let top = d.nonzero_magnitude_start();
                d.round_with_mode(top + 1 - i16::from(max), UnsignedRoundingMode::HalfExpand);
            }
            d.trim_end();
            // Rounding may have carried into a new digit (9.99 → 10.0).
            let top = if d.is_zero() {
                0
            } else {
                d.nonzero_magnitude_start()
            };
            d.pad_end(top + 1 - i16::from(min));
        }
        Digits::Compact => {}
    }
    d.pad_start(i16::from(min_integer));
}

/// `notation: 'scientific' | 'engineering'`: a mantissa of one digit (or
/// up to three for engineering) before the point, and `E` with the
/// exponent, as CLDR writes it for the locales here.
fn scientific(
    f: &DecimalFormatter,
    mut d: UnsignedDecimal,
    digits: Digits,
    engineering: bool,
) -> (String, bool) {
    if d.is_zero() {
        return (format!("{}E0", write(f, d)), true);
    }
    let mut exponent = d.nonzero_magnitude_start();
    if engineering {
        exponent = exponent.div_euclid(3) * 3;
    }
    d.multiply_pow10(-exponent);
    round(&mut d, digits, 1);
    // 9.9995 rounded to 10.000 moves the exponent on.
    let top = d.nonzero_magnitude_start();
    let step = if engineering { 3 } else { 1 };
    if top >= step {
        d.multiply_pow10(-step);
        exponent += step;
        round(&mut d, digits, 1);
    }
    (format!("{}E{}", write(f, d), exponent), false)
}

#[cfg(test)]
mod tests;
