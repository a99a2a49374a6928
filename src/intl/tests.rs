//! Each case as Node 20's `Intl.NumberFormat` (V8 with ICU 78, CLDR 48)
//! writes it: `node -e "console.log(new Intl.NumberFormat(locale,
//! options).format(value))"`, the output copied here.

use super::NumberFormat;

const CASES: &[(&str, &str, f64, &str)] = &[
    ("en-US", r#"{}"#, 1234567.891, "1,234,567.891"),
    ("en-US", r#"{}"#, 0.30000000000000004, "0.3"),
    ("en-US", r#"{}"#, -0.0, "-0"),
    ("en-US", r#"{}"#, -1500.0, "-1,500"),
    ("en-US", r#"{"notation":"compact"}"#, 1800000.0, "1.8M"),
    ("en-US", r#"{"notation":"compact"}"#, 50000.0, "50K"),
    ("en-US", r#"{"notation":"compact"}"#, 0.0, "0"),
    ("en-US", r#"{"notation":"compact"}"#, 1250.0, "1.3K"),
    ("en-US", r#"{"notation":"compact"}"#, 999999.0, "1M"),
    (
        "en-US",
        r#"{"notation":"compact","compactDisplay":"long"}"#,
        2500000.0,
        "2.5 million",
    ),
    (
        "en-US",
        r#"{"notation":"compact","maximumFractionDigits":2}"#,
        1234567.0,
        "1.23M",
    ),
    (
        "de-DE",
        r#"{"notation":"compact"}"#,
        1800000.0,
        "1,8\u{a0}Mio.",
    ),
    ("de-DE", r#"{"notation":"compact"}"#, 50000.0, "50.000"),
    ("de-DE", r#"{}"#, 1800000.0, "1.800.000"),
    ("de-DE", r#"{}"#, 1234.5678, "1.234,568"),
    ("fr-FR", r#"{}"#, 1234567.5, "1\u{202f}234\u{202f}567,5"),
    ("es-ES", r#"{}"#, 1234.0, "1234"),
    ("es-ES", r#"{}"#, 12345.0, "12.345"),
    ("en-IN", r#"{}"#, 12345678.0, "1,23,45,678"),
    ("de-CH", r#"{}"#, 1234567.25, "1'234'567.25"),
    ("ja-JP", r#"{}"#, 1234567.0, "1,234,567"),
    ("en-US", r#"{"useGrouping":true}"#, 40000.0, "40,000"),
    ("en-US", r#"{"useGrouping":false}"#, 40000.0, "40000"),
    (
        "en-US",
        r#"{"style":"currency","currency":"USD"}"#,
        1234.5,
        "$1,234.50",
    ),
    (
        "en-US",
        r#"{"style":"currency","currency":"USD"}"#,
        -1234.5,
        "-$1,234.50",
    ),
    (
        "en-US",
        r#"{"style":"currency","currency":"EUR"}"#,
        5.0,
        "\u{20ac}5.00",
    ),
    (
        "de-DE",
        r#"{"style":"currency","currency":"EUR"}"#,
        1800000.0,
        "1.800.000,00\u{a0}\u{20ac}",
    ),
    (
        "de-DE",
        r#"{"style":"currency","currency":"EUR"}"#,
        -3.5,
        "-3,50\u{a0}\u{20ac}",
    ),
    (
        "fr-FR",
        r#"{"style":"currency","currency":"EUR"}"#,
        1234.5,
        "1\u{202f}234,50\u{a0}\u{20ac}",
    ),
    (
        "ja-JP",
        r#"{"style":"currency","currency":"JPY"}"#,
        1234.0,
        "\u{ffe5}1,234",
    ),
    (
        "en-GB",
        r#"{"style":"currency","currency":"USD"}"#,
        10.0,
        "US$10.00",
    ),
    (
        "nl-NL",
        r#"{"style":"currency","currency":"EUR"}"#,
        -12.5,
        "\u{20ac}\u{a0}-12,50",
    ),
    (
        "de-CH",
        r#"{"style":"currency","currency":"CHF"}"#,
        -12.5,
        "CHF-12.50",
    ),
    (
        "en-US",
        r#"{"style":"currency","currency":"XYZ"}"#,
        3.0,
        "XYZ\u{a0}3.00",
    ),
    (
        "en-US",
        r#"{"style":"currency","currency":"usd","currencyDisplay":"code"}"#,
        3.0,
        "USD\u{a0}3.00",
    ),
    (
        "en-US",
        r#"{"style":"currency","currency":"CAD","currencyDisplay":"narrowSymbol"}"#,
        3.0,
        "$3.00",
    ),
    (
        "en-US",
        r#"{"style":"currency","currency":"USD","notation":"compact"}"#,
        1800000.0,
        "$1.8M",
    ),
    (
        "en-US",
        r#"{"style":"currency","currency":"USD","minimumFractionDigits":0}"#,
        70000.0,
        "$70,000",
    ),
    ("en-US", r#"{"style":"percent"}"#, 0.07, "7%"),
    ("en-US", r#"{"style":"percent"}"#, 0.125, "13%"),
    (
        "en-US",
        r#"{"style":"percent","minimumFractionDigits":1}"#,
        0.125,
        "12.5%",
    ),
    ("de-DE", r#"{"style":"percent"}"#, 0.5, "50\u{a0}%"),
    ("fr-FR", r#"{"style":"percent"}"#, -0.5, "-50\u{a0}%"),
    ("tr-TR", r#"{"style":"percent"}"#, 0.5, "%50"),
    (
        "en-US",
        r#"{"style":"unit","unit":"kilometer"}"#,
        12.0,
        "12 km",
    ),
    (
        "en-US",
        r#"{"style":"unit","unit":"megabyte"}"#,
        1536.0,
        "1,536 MB",
    ),
    (
        "de-DE",
        r#"{"style":"unit","unit":"celsius"}"#,
        -3.5,
        "-3,5 \u{b0}C",
    ),
    ("en-US", r#"{"style":"unit","unit":"hour"}"#, 1.0, "1 hr"),
    ("en-US", r#"{"minimumFractionDigits":2}"#, 5.0, "5.00"),
    ("en-US", r#"{"maximumFractionDigits":0}"#, 2.5, "3"),
    ("en-US", r#"{"maximumFractionDigits":0}"#, -2.5, "-3"),
    ("en-US", r#"{"maximumFractionDigits":2}"#, 1.005, "1.01"),
    ("en-US", r#"{"maximumFractionDigits":1}"#, -0.04, "-0"),
    (
        "en-US",
        r#"{"maximumSignificantDigits":3}"#,
        123456.0,
        "123,000",
    ),
    ("en-US", r#"{"minimumSignificantDigits":3}"#, 5.0, "5.00"),
    ("en-US", r#"{"maximumSignificantDigits":2}"#, 9.99, "10"),
    ("en-US", r#"{"minimumIntegerDigits":3}"#, 7.0, "007"),
    ("en-US", r#"{"signDisplay":"always"}"#, 5.0, "+5"),
    ("en-US", r#"{"signDisplay":"always"}"#, 0.0, "+0"),
    ("en-US", r#"{"signDisplay":"exceptZero"}"#, 0.0, "0"),
    ("en-US", r#"{"signDisplay":"exceptZero"}"#, -2.0, "-2"),
    ("en-US", r#"{"signDisplay":"never"}"#, -2.0, "2"),
    ("en-US", r#"{"signDisplay":"negative"}"#, -0.0, "0"),
    ("sv-SE", r#"{}"#, -1234.5, "\u{2212}1\u{a0}234,5"),
    ("en-US", r#"{"notation":"scientific"}"#, 123456.0, "1.235E5"),
    (
        "en-US",
        r#"{"notation":"engineering"}"#,
        123456.0,
        "123.456E3",
    ),
    ("en-US", r#"{"notation":"scientific"}"#, 0.00012, "1.2E-4"),
    ("en-US", r#"{}"#, f64::NAN, "NaN"),
    ("en-US", r#"{}"#, f64::NEG_INFINITY, "-\u{221e}"),
    ("de", r#"{}"#, 1234.5, "1.234,5"),
    (
        "pt-BR",
        r#"{"style":"currency","currency":"BRL"}"#,
        1234.5,
        "R$\u{a0}1.234,50",
    ),
    (
        "ar-EG",
        r#"{}"#,
        1234.5,
        "\u{661}\u{66c}\u{662}\u{663}\u{664}\u{66b}\u{665}",
    ),
    ("hi-IN", r#"{}"#, 1234567.0, "12,34,567"),
    (
        "zh-CN",
        r#"{"notation":"compact"}"#,
        1800000.0,
        "180\u{4e07}",
    ),
    (
        "ja-JP",
        r#"{"notation":"compact"}"#,
        1800000.0,
        "180\u{4e07}",
    ),
];

#[test]
fn numbers_are_written_as_intl_number_format_writes_them() {
    let mut wrong = Vec::new();
    for &(locale, options, value, want) in CASES {
        let parsed: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(options).unwrap();
        let got = NumberFormat::new(Some(locale), &parsed)
            .unwrap()
            .format(value);
        if got != want {
            wrong.push(format!(
                "{locale} {options} {value}: {got:?}, Intl writes {want:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn options_a_browser_refuses_are_refused_with_its_message() {
    let refused = [
        r#"{"style":"currency"}"#,
        r#"{"style":"currency","currency":"dollars"}"#,
        r#"{"style":"unit"}"#,
        r#"{"style":"fancy"}"#,
        r#"{"minimumFractionDigits":3,"maximumFractionDigits":1}"#,
        r#"{"maximumFractionDigits":101}"#,
        r#"{"maximumSignificantDigits":0}"#,
        r#"{"notation":"tiny"}"#,
    ];
    for options in refused {
        let o: serde_json::Map<String, serde_json::Value> = serde_json::from_str(options).unwrap();
        let err = NumberFormat::new(Some("en-US"), &o).unwrap_err();
        assert!(!err.is_empty(), "{options}");
    }
    let err = NumberFormat::new(Some("not a locale"), &serde_json::Map::new()).unwrap_err();
    assert!(err.contains("locale"), "{err}");
}
