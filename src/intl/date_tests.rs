//! Each case as Chromium 156's `Intl.DateTimeFormat` (and `toLocale*String`)
//! writes it, the page's output copied here: the constructor for `Format`,
//! `toLocaleDateString`, `toLocaleTimeString` and `toLocaleString` for
//! `Date`, `Time` and `All`, with `timeZone: 'UTC'` added (chartgate's
//! zone) unless the case names one. 1704067200000 is
//! 2024-01-01T00:00:00Z, 1709903109123 2024-03-08T13:05:09.123Z.

use super::{DateTimeFormat, Defaults};

const CASES: &[(&str, &str, Defaults, f64, &str)] = &[
    (
        "en-US",
        r#"{}"#,
        Defaults::Date,
        1709903109123.0,
        "3/8/2024",
    ),
    (
        "en-US",
        r#"{}"#,
        Defaults::Time,
        1709903109123.0,
        "1:05:09 PM",
    ),
    (
        "en-US",
        r#"{}"#,
        Defaults::All,
        1709903109123.0,
        "3/8/2024, 1:05:09 PM",
    ),
    (
        "en-US",
        r#"{"month":"short","day":"numeric"}"#,
        Defaults::Date,
        1709903109123.0,
        "Mar 8",
    ),
    (
        "en-US",
        r#"{"month":"long","year":"numeric"}"#,
        Defaults::Date,
        1709903109123.0,
        "March 2024",
    ),
    (
        "en-US",
        r#"{"year":"numeric","month":"2-digit","day":"2-digit"}"#,
        Defaults::Date,
        1709903109123.0,
        "03/08/2024",
    ),
    (
        "en-US",
        r#"{"weekday":"long"}"#,
        Defaults::Date,
        1709903109123.0,
        "Friday",
    ),
    (
        "en-US",
        r#"{"weekday":"short","month":"short","day":"numeric"}"#,
        Defaults::Date,
        1709903109123.0,
        "Fri, Mar 8",
    ),
    (
        "en-US",
        r#"{"hour":"2-digit","minute":"2-digit"}"#,
        Defaults::Format,
        1709903109123.0,
        "01:05 PM",
    ),
    (
        "en-US",
        r#"{"hour":"numeric","minute":"2-digit","hour12":true}"#,
        Defaults::Format,
        1709903109123.0,
        "1:05 PM",
    ),
    (
        "en-US",
        r#"{"hour":"2-digit","minute":"2-digit","hour12":false}"#,
        Defaults::Time,
        1709903109123.0,
        "13:05",
    ),
    (
        "en-US",
        r#"{"dateStyle":"medium"}"#,
        Defaults::Format,
        1709903109123.0,
        "Mar 8, 2024",
    ),
    (
        "en-US",
        r#"{"dateStyle":"full"}"#,
        Defaults::Format,
        1709903109123.0,
        "Friday, March 8, 2024",
    ),
    (
        "en-US",
        r#"{"dateStyle":"short","timeStyle":"short"}"#,
        Defaults::All,
        1709903109123.0,
        "3/8/24, 1:05 PM",
    ),
    (
        "en-US",
        r#"{"dateStyle":"long"}"#,
        Defaults::All,
        1709903109123.0,
        "March 8, 2024",
    ),
    (
        "en-US",
        r#"{"timeStyle":"medium"}"#,
        Defaults::Time,
        1709903109123.0,
        "1:05:09 PM",
    ),
    (
        "en-US",
        r#"{"month":"short"}"#,
        Defaults::Date,
        1709903109123.0,
        "Mar",
    ),
    (
        "en-US",
        r#"{"year":"2-digit","month":"short"}"#,
        Defaults::Date,
        1709903109123.0,
        "Mar 24",
    ),
    (
        "en-US",
        r#"{"day":"numeric","month":"long"}"#,
        Defaults::Date,
        1709903109123.0,
        "March 8",
    ),
    (
        "en-US",
        r#"{"timeZone":"America/New_York"}"#,
        Defaults::All,
        1709903109123.0,
        "3/8/2024, 8:05:09 AM",
    ),
    (
        "en-US",
        r#"{"month":"short","day":"numeric","hour":"numeric","minute":"2-digit"}"#,
        Defaults::Format,
        1709903109123.0,
        "Mar 8, 1:05 PM",
    ),
    (
        "en-US",
        r#"{"year":"numeric"}"#,
        Defaults::Date,
        1709903109123.0,
        "2024",
    ),
    (
        "en-US",
        r#"{"month":"numeric","day":"numeric"}"#,
        Defaults::Date,
        1709903109123.0,
        "3/8",
    ),
    (
        "de-DE",
        r#"{}"#,
        Defaults::Time,
        1704067200000.0,
        "00:00:00",
    ),
    (
        "de-DE",
        r#"{"month":"short","day":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "1. Jan.",
    ),
    (
        "de-DE",
        r#"{"month":"long","year":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "Januar 2024",
    ),
    (
        "de-DE",
        r#"{"year":"numeric","month":"2-digit","day":"2-digit"}"#,
        Defaults::Date,
        1704067200000.0,
        "01.01.2024",
    ),
    (
        "de-DE",
        r#"{"weekday":"long"}"#,
        Defaults::Date,
        1704067200000.0,
        "Montag",
    ),
    (
        "de-DE",
        r#"{"weekday":"short","month":"short","day":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "Mo., 1. Jan.",
    ),
    (
        "de-DE",
        r#"{"hour":"2-digit","minute":"2-digit"}"#,
        Defaults::Format,
        1704067200000.0,
        "00:00",
    ),
    (
        "de-DE",
        r#"{"hour":"numeric","minute":"2-digit","hour12":true}"#,
        Defaults::Format,
        1704067200000.0,
        "12:00 AM",
    ),
    (
        "de-DE",
        r#"{"hour":"2-digit","minute":"2-digit","hour12":false}"#,
        Defaults::Time,
        1704067200000.0,
        "00:00",
    ),
    (
        "de-DE",
        r#"{"dateStyle":"medium"}"#,
        Defaults::Format,
        1704067200000.0,
        "01.01.2024",
    ),
    (
        "de-DE",
        r#"{"dateStyle":"full"}"#,
        Defaults::Format,
        1704067200000.0,
        "Montag, 1. Januar 2024",
    ),
    (
        "de-DE",
        r#"{"dateStyle":"short","timeStyle":"short"}"#,
        Defaults::All,
        1704067200000.0,
        "01.01.24, 00:00",
    ),
    (
        "de-DE",
        r#"{"dateStyle":"long"}"#,
        Defaults::All,
        1704067200000.0,
        "1. Januar 2024",
    ),
    (
        "de-DE",
        r#"{"timeStyle":"medium"}"#,
        Defaults::Time,
        1704067200000.0,
        "00:00:00",
    ),
    (
        "de-DE",
        r#"{"month":"short"}"#,
        Defaults::Date,
        1704067200000.0,
        "Jan",
    ),
    (
        "de-DE",
        r#"{"day":"numeric","month":"long"}"#,
        Defaults::Date,
        1704067200000.0,
        "1. Januar",
    ),
    (
        "de-DE",
        r#"{"timeZone":"America/New_York"}"#,
        Defaults::All,
        1704067200000.0,
        "31.12.2023, 19:00:00",
    ),
    (
        "de-DE",
        r#"{"month":"short","day":"numeric","hour":"numeric","minute":"2-digit"}"#,
        Defaults::Format,
        1704067200000.0,
        "1. Jan., 0:00",
    ),
    (
        "de-DE",
        r#"{"year":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "2024",
    ),
    (
        "fr-FR",
        r#"{}"#,
        Defaults::Date,
        1704067200000.0,
        "01/01/2024",
    ),
    (
        "fr-FR",
        r#"{}"#,
        Defaults::Time,
        1704067200000.0,
        "00:00:00",
    ),
    (
        "fr-FR",
        r#"{}"#,
        Defaults::All,
        1704067200000.0,
        "01/01/2024 00:00:00",
    ),
    (
        "fr-FR",
        r#"{"month":"short","day":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "1 janv.",
    ),
    (
        "fr-FR",
        r#"{"month":"long","year":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "janvier 2024",
    ),
    (
        "fr-FR",
        r#"{"year":"numeric","month":"2-digit","day":"2-digit"}"#,
        Defaults::Date,
        1704067200000.0,
        "01/01/2024",
    ),
    (
        "fr-FR",
        r#"{"weekday":"long"}"#,
        Defaults::Date,
        1704067200000.0,
        "lundi",
    ),
    (
        "fr-FR",
        r#"{"weekday":"short","month":"short","day":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "lun. 1 janv.",
    ),
    (
        "fr-FR",
        r#"{"hour":"2-digit","minute":"2-digit"}"#,
        Defaults::Format,
        1704067200000.0,
        "00:00",
    ),
    (
        "fr-FR",
        r#"{"hour":"numeric","minute":"2-digit","hour12":true}"#,
        Defaults::Format,
        1704067200000.0,
        "12:00 AM",
    ),
    (
        "fr-FR",
        r#"{"hour":"2-digit","minute":"2-digit","hour12":false}"#,
        Defaults::Time,
        1704067200000.0,
        "00:00",
    ),
    (
        "fr-FR",
        r#"{"dateStyle":"medium"}"#,
        Defaults::Format,
        1704067200000.0,
        "1 janv. 2024",
    ),
    (
        "fr-FR",
        r#"{"dateStyle":"full"}"#,
        Defaults::Format,
        1704067200000.0,
        "lundi 1 janvier 2024",
    ),
    (
        "fr-FR",
        r#"{"dateStyle":"short","timeStyle":"short"}"#,
        Defaults::All,
        1704067200000.0,
        "01/01/2024 00:00",
    ),
    (
        "fr-FR",
        r#"{"dateStyle":"long"}"#,
        Defaults::All,
        1704067200000.0,
        "1 janvier 2024",
    ),
    (
        "fr-FR",
        r#"{"timeStyle":"medium"}"#,
        Defaults::Time,
        1704067200000.0,
        "00:00:00",
    ),
    (
        "fr-FR",
        r#"{"month":"short"}"#,
        Defaults::Date,
        1704067200000.0,
        "janv.",
    ),
    (
        "fr-FR",
        r#"{"year":"2-digit","month":"short"}"#,
        Defaults::Date,
        1704067200000.0,
        "janv. 24",
    ),
    (
        "fr-FR",
        r#"{"day":"numeric","month":"long"}"#,
        Defaults::Date,
        1704067200000.0,
        "1 janvier",
    ),
    (
        "fr-FR",
        r#"{"timeZone":"America/New_York"}"#,
        Defaults::All,
        1704067200000.0,
        "31/12/2023 19:00:00",
    ),
    (
        "fr-FR",
        r#"{"month":"short","day":"numeric","hour":"numeric","minute":"2-digit"}"#,
        Defaults::Format,
        1704067200000.0,
        "1 janv., 0:00",
    ),
    (
        "fr-FR",
        r#"{"year":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "2024",
    ),
    (
        "fr-FR",
        r#"{"month":"numeric","day":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "01/01",
    ),
    (
        "es-ES",
        r#"{}"#,
        Defaults::Date,
        1704067200000.0,
        "1/1/2024",
    ),
    (
        "es-ES",
        r#"{"year":"2-digit","month":"short"}"#,
        Defaults::Date,
        1704067200000.0,
        "ene 24",
    ),
    (
        "es-ES",
        r#"{"month":"numeric","day":"numeric"}"#,
        Defaults::Date,
        1704067200000.0,
        "1/1",
    ),
    (
        "pt-BR",
        r#"{}"#,
        Defaults::All,
        1704067200000.0,
        "01/01/2024, 00:00:00",
    ),
];

#[test]
fn dates_are_written_as_chromium_writes_them() {
    for &(locale, options, defaults, ms, want) in CASES {
        let options = serde_json::from_str(options).unwrap();
        let f = DateTimeFormat::new(Some(locale), &options, defaults)
            .unwrap_or_else(|e| panic!("{locale} {options:?}: {e:?}"));
        assert_eq!(
            f.format(ms).as_deref(),
            Some(want),
            "{locale} {options:?} {defaults:?}"
        );
    }
}

#[test]
fn what_a_browser_refuses_is_refused_with_its_words() {
    let refused = |options: &str, defaults| {
        let options = serde_json::from_str(options).unwrap();
        DateTimeFormat::new(Some("en-US"), &options, defaults).unwrap_err()
    };
    let e = refused(r#"{"timeZone":"Mars/Olympus"}"#, Defaults::Format);
    assert_eq!(
        (e.type_error, e.message.as_str()),
        (false, "Invalid time zone specified: Mars/Olympus")
    );
    let e = refused(r#"{"month":"longer"}"#, Defaults::Format);
    assert_eq!(
        e.message,
        "Value longer out of range for Intl.DateTimeFormat options property month"
    );
    let e = refused(r#"{"dateStyle":"long","hour":"numeric"}"#, Defaults::Format);
    assert_eq!(
        (e.type_error, e.message.as_str()),
        (true, "Can't set option hour when dateStyle is used")
    );
    let e = refused(r#"{"timeStyle":"short"}"#, Defaults::Date);
    assert_eq!(
        (e.type_error, e.message.as_str()),
        (true, "Invalid option : timeStyle")
    );
    let e = refused(r#"{"fractionalSecondDigits":4}"#, Defaults::Format);
    assert_eq!(e.message, "fractionalSecondDigits value is out of range.");
    let bad_locale =
        DateTimeFormat::new(Some("en_US!"), &serde_json::Map::new(), Defaults::Format).unwrap_err();
    assert!(
        bad_locale
            .message
            .starts_with("Incorrect locale information provided"),
        "{bad_locale:?}"
    );
}

#[test]
fn a_time_value_that_is_no_date_formats_as_none() {
    let f = DateTimeFormat::new(None, &serde_json::Map::new(), Defaults::All).unwrap();
    assert_eq!(f.format(f64::NAN), None);
    assert_eq!(f.format(f64::INFINITY), None);
    // 1970-01-01, and the hour counted in the zone asked for.
    assert_eq!(f.format(0.0).as_deref(), Some("1/1/1970, 12:00:00 AM"));
}

#[test]
fn every_set_of_components_a_browser_takes_is_taken() {
    let components = [
        ("weekday", "short"),
        ("era", "short"),
        ("year", "numeric"),
        ("month", "long"),
        ("day", "2-digit"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
        ("second", "numeric"),
    ];
    for set in 0..1u32 << components.len() {
        let options: serde_json::Map<String, serde_json::Value> = components
            .iter()
            .enumerate()
            .filter(|(i, _)| set & (1 << i) != 0)
            .map(|(_, (k, v))| (k.to_string(), serde_json::Value::from(*v)))
            .collect();
        for defaults in [
            Defaults::Format,
            Defaults::Date,
            Defaults::Time,
            Defaults::All,
        ] {
            let f = DateTimeFormat::new(Some("en-US"), &options, defaults)
                .unwrap_or_else(|e| panic!("{options:?} {defaults:?}: {e:?}"));
            let text = f.format(1709903109123.0).unwrap_or_default();
            assert!(!text.is_empty(), "{options:?} {defaults:?}");
        }
    }
}

/// Where chartgate still writes otherwise than Chromium in
/// `chromium_dates.tsv`: `en-IN`'s `am`/`pm` (ICU4X's data has `AM`),
/// `zh-TW`'s midnight (`上午`; ICU4X writes the flexible `凌晨`), and
/// `ar-EG`'s day and month (Arabic-Indic digits: `skeleton` keeps to Latin
/// ones). A case here that comes right fails the test: take it out.
const STILL_DIFFERENT: &[(&[&str], &str, &str)] = &[
    (&["en-IN", "zh-TW"], "All", "{}"),
    (
        &["en-IN", "zh-TW"],
        "All",
        r#"{"year":"numeric","month":"2-digit","day":"2-digit","hour":"2-digit","minute":"2-digit"}"#,
    ),
    (
        &["en-IN", "zh-TW"],
        "Format",
        r#"{"year":"numeric","month":"numeric","day":"numeric","hour":"numeric","minute":"numeric"}"#,
    ),
    (
        &["en-IN", "zh-TW"],
        "Format",
        r#"{"hour":"numeric","minute":"2-digit"}"#,
    ),
    (&["ar-EG"], "Date", r#"{"month":"2-digit","day":"numeric"}"#),
];

#[test]
fn numeric_dates_and_hours_are_written_as_chromium_writes_them() {
    let at = 1704412800000.0; // the file's 2024-01-05T00:00:00Z
    let mut wrong = Vec::new();
    for line in include_str!("chromium_dates.tsv").lines().skip(1) {
        let [locale, caller, bag, want]: [&str; 4] =
            line.split('\t').collect::<Vec<_>>().try_into().expect(line);
        let want: String = serde_json::from_str(want).expect(line);
        let mut options: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(bag).expect(line);
        options.insert("timeZone".into(), "UTC".into());
        let defaults = match caller {
            "Date" => Defaults::Date,
            "All" => Defaults::All,
            _ => Defaults::Format,
        };
        let got = DateTimeFormat::new(Some(locale), &options, defaults)
            .map_err(|e| e.message)
            .map(|f| f.format(at));
        let known = STILL_DIFFERENT
            .iter()
            .any(|(locales, c, b)| locales.contains(&locale) && (*c, *b) == (caller, bag));
        if (got == Ok(Some(want.clone()))) == known {
            wrong.push(format!(
                "{locale} {caller} {bag}: Chromium {want:?}, chartgate {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_locale_asking_for_other_digits_keeps_them() {
    // `skeleton`'s patterns are for Latin digits; `-u-nu-arab` is ICU4X's
    // to write, in the digits asked for.
    let o = serde_json::Map::from_iter([("timeZone".to_string(), "UTC".into())]);
    let f = DateTimeFormat::new(Some("de-DE-u-nu-arab"), &o, Defaults::Date).unwrap();
    let written = f.format(1704412800000.0).unwrap();
    assert!(written.contains('\u{665}'), "{written}");
    assert!(!written.bytes().any(|b| b.is_ascii_digit()), "{written}");
}
