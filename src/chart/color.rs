//! CSS colors, resolved to RGBA bytes.
//!
//! Every spelling of one color must give the same `Rgba`, because the spec
//! (and so the cache key) stores the resolved bytes: `#FFF`, `#ffffff`,
//! `rgb(255 255 255)`, `hsl(0, 0%, 100%)` and `white` are one color.

use super::spec::Rgba;
use super::ChartError;

/// Reads a CSS color: hex (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`), `rgb()`,
/// `rgba()`, `hsl()`, `hsla()`, a CSS named color or `transparent`.
/// Case and surrounding whitespace do not matter.
pub fn parse_color(s: &str) -> Result<Rgba, ChartError> {
    let lower = s.trim().to_ascii_lowercase();
    let parsed = if let Some(hex) = lower.strip_prefix('#') {
        parse_hex(hex)
    } else if let Some(args) = function_args(&lower, &["rgba", "rgb"]) {
        parse_rgb(args)
    } else if let Some(args) = function_args(&lower, &["hsla", "hsl"]) {
        parse_hsl(args)
    } else {
        named(&lower)
    };
    parsed.ok_or_else(|| bad_color(s))
}

fn bad_color(s: &str) -> ChartError {
    ChartError::bad(format!(
        "unrecognized color `{}`: use #rgb, #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla() \
         or a CSS color name such as steelblue",
        super::quoted(s.trim(), 60)
    ))
}

/// The text between the parentheses of `name(...)`, for any of `names`.
fn function_args<'a>(s: &'a str, names: &[&str]) -> Option<&'a str> {
    let name = names.iter().find(|n| s.starts_with(*n))?;
    s[name.len()..]
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')
}

fn parse_hex(hex: &str) -> Option<Rgba> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok();
    let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    // A short digit d stands for the byte 0xdd.
    let short = |i: usize| digit(i).map(|d| d * 17);
    match hex.len() {
        3 => Some(Rgba(short(0)?, short(1)?, short(2)?, 255)),
        4 => Some(Rgba(short(0)?, short(1)?, short(2)?, short(3)?)),
        6 => Some(Rgba(pair(0)?, pair(2)?, pair(4)?, 255)),
        8 => Some(Rgba(pair(0)?, pair(2)?, pair(4)?, pair(6)?)),
        _ => None,
    }
}

/// Splits function arguments in either CSS syntax: legacy commas
/// (`1, 2, 3, 0.5`) or modern spaces with a slash before alpha (`1 2 3 / 50%`).
fn split_args(args: &str) -> Option<(Vec<&str>, Option<&str>)> {
    if args.contains(',') {
        let mut parts: Vec<&str> = args.split(',').map(str::trim).collect();
        return match parts.len() {
            3 => Some((parts, None)),
            4 => {
                let alpha = parts.pop();
                Some((parts, alpha))
            }
            _ => None,
        };
    }
    let (main, alpha) = match args.split_once('/') {
        Some((m, a)) => (m, Some(a.trim())),
        None => (args, None),
    };
    let parts: Vec<&str> = main.split_whitespace().collect();
    (parts.len() == 3).then_some((parts, alpha))
}

fn parse_rgb(args: &str) -> Option<Rgba> {
    let (parts, alpha) = split_args(args)?;
    let channel = |p: &str| -> Option<u8> {
        let v = match p.strip_suffix('%') {
            Some(pct) => number(pct)? * 255.0 / 100.0,
            None => number(p)?,
        };
        Some(v.clamp(0.0, 255.0).round() as u8)
    };
    Some(Rgba(
        channel(parts[0])?,
        channel(parts[1])?,
        channel(parts[2])?,
        parse_alpha(alpha)?,
    ))
}

fn parse_hsl(args: &str) -> Option<Rgba> {
    let (parts, alpha) = split_args(args)?;
    let hue = parse_hue(parts[0])?;
    // Modern syntax allows bare numbers where percentages are expected.
    let pct = |p: &str| -> Option<f64> {
        let v = number(p.strip_suffix('%').unwrap_or(p))?;
        Some(v.clamp(0.0, 100.0) / 100.0)
    };
    let (r, g, b) = hsl_to_rgb(hue, pct(parts[1])?, pct(parts[2])?);
    let byte = |v: f64| (v * 255.0).clamp(0.0, 255.0).round() as u8;
    Some(Rgba(byte(r), byte(g), byte(b), parse_alpha(alpha)?))
}

/// A hue in degrees, from any CSS angle unit.
fn parse_hue(p: &str) -> Option<f64> {
    let units: [(&str, f64); 4] = [
        ("deg", 1.0),
        ("grad", 0.9),
        ("rad", 180.0 / std::f64::consts::PI),
        ("turn", 360.0),
    ];
    for (unit, scale) in units {
        if let Some(v) = p.strip_suffix(unit) {
            return Some(number(v)? * scale);
        }
    }
    number(p)
}

/// The CSS Color 4 conversion; channels in 0..=1.
fn hsl_to_rgb(hue: f64, s: f64, l: f64) -> (f64, f64, f64) {
    let h = hue.rem_euclid(360.0);
    let a = s * l.min(1.0 - l);
    let f = |n: f64| {
        let k = (n + h / 30.0) % 12.0;
        l - a * (k - 3.0).min(9.0 - k).clamp(-1.0, 1.0)
    };
    (f(0.0), f(8.0), f(4.0))
}

/// Alpha as a number (0..1) or a percentage; absent is opaque.
fn parse_alpha(alpha: Option<&str>) -> Option<u8> {
    let Some(a) = alpha else { return Some(255) };
    let v = match a.strip_suffix('%') {
        Some(pct) => number(pct)? / 100.0,
        None => number(a)?,
    };
    Some((v.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// A plain CSS number; rejects what `f64::from_str` would also take
/// (`inf`, `nan`) but CSS does not.
fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e'));
    let v: f64 = if plain { s.parse().ok()? } else { return None };
    v.is_finite().then_some(v)
}

fn named(name: &str) -> Option<Rgba> {
    if name == "transparent" {
        return Some(Rgba::TRANSPARENT);
    }
    let i = NAMED.binary_search_by(|(n, _)| n.cmp(&name)).ok()?;
    let rgb = NAMED[i].1;
    Some(Rgba((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8, 255))
}

/// The CSS Color 4 named colors, sorted for binary search.
const NAMED: [(&str, u32); 148] = [
    ("aliceblue", 0xf0f8ff),
    ("antiquewhite", 0xfaebd7),
    ("aqua", 0x00ffff),
    ("aquamarine", 0x7fffd4),
    ("azure", 0xf0ffff),
    ("beige", 0xf5f5dc),
    ("bisque", 0xffe4c4),
    ("black", 0x000000),
    ("blanchedalmond", 0xffebcd),
    ("blue", 0x0000ff),
    ("blueviolet", 0x8a2be2),
    ("brown", 0xa52a2a),
    ("burlywood", 0xdeb887),
    ("cadetblue", 0x5f9ea0),
    ("chartreuse", 0x7fff00),
    ("chocolate", 0xd2691e),
    ("coral", 0xff7f50),
    ("cornflowerblue", 0x6495ed),
    ("cornsilk", 0xfff8dc),
    ("crimson", 0xdc143c),
    ("cyan", 0x00ffff),
    ("darkblue", 0x00008b),
    ("darkcyan", 0x008b8b),
    ("darkgoldenrod", 0xb8860b),
    ("darkgray", 0xa9a9a9),
    ("darkgreen", 0x006400),
    ("darkgrey", 0xa9a9a9),
    ("darkkhaki", 0xbdb76b),
    ("darkmagenta", 0x8b008b),
    ("darkolivegreen", 0x556b2f),
    ("darkorange", 0xff8c00),
    ("darkorchid", 0x9932cc),
    ("darkred", 0x8b0000),
    ("darksalmon", 0xe9967a),
    ("darkseagreen", 0x8fbc8f),
    ("darkslateblue", 0x483d8b),
    ("darkslategray", 0x2f4f4f),
    ("darkslategrey", 0x2f4f4f),
    ("darkturquoise", 0x00ced1),
    ("darkviolet", 0x9400d3),
    ("deeppink", 0xff1493),
    ("deepskyblue", 0x00bfff),
    ("dimgray", 0x696969),
    ("dimgrey", 0x696969),
    ("dodgerblue", 0x1e90ff),
    ("firebrick", 0xb22222),
    ("floralwhite", 0xfffaf0),
    ("forestgreen", 0x228b22),
    ("fuchsia", 0xff00ff),
    ("gainsboro", 0xdcdcdc),
    ("ghostwhite", 0xf8f8ff),
    ("gold", 0xffd700),
    ("goldenrod", 0xdaa520),
    ("gray", 0x808080),
    ("green", 0x008000),
    ("greenyellow", 0xadff2f),
    ("grey", 0x808080),
    ("honeydew", 0xf0fff0),
    ("hotpink", 0xff69b4),
    ("indianred", 0xcd5c5c),
    ("indigo", 0x4b0082),
    ("ivory", 0xfffff0),
    ("khaki", 0xf0e68c),
    ("lavender", 0xe6e6fa),
    ("lavenderblush", 0xfff0f5),
    ("lawngreen", 0x7cfc00),
    ("lemonchiffon", 0xfffacd),
    ("lightblue", 0xadd8e6),
    ("lightcoral", 0xf08080),
    ("lightcyan", 0xe0ffff),
    ("lightgoldenrodyellow", 0xfafad2),
    ("lightgray", 0xd3d3d3),
    ("lightgreen", 0x90ee90),
    ("lightgrey", 0xd3d3d3),
    ("lightpink", 0xffb6c1),
    ("lightsalmon", 0xffa07a),
    ("lightseagreen", 0x20b2aa),
    ("lightskyblue", 0x87cefa),
    ("lightslategray", 0x778899),
    ("lightslategrey", 0x778899),
    ("lightsteelblue", 0xb0c4de),
    ("lightyellow", 0xffffe0),
    ("lime", 0x00ff00),
    ("limegreen", 0x32cd32),
    ("linen", 0xfaf0e6),
    ("magenta", 0xff00ff),
    ("maroon", 0x800000),
    ("mediumaquamarine", 0x66cdaa),
    ("mediumblue", 0x0000cd),
    ("mediumorchid", 0xba55d3),
    ("mediumpurple", 0x9370db),
    ("mediumseagreen", 0x3cb371),
    ("mediumslateblue", 0x7b68ee),
    ("mediumspringgreen", 0x00fa9a),
    ("mediumturquoise", 0x48d1cc),
    ("mediumvioletred", 0xc71585),
    ("midnightblue", 0x191970),
    ("mintcream", 0xf5fffa),
    ("mistyrose", 0xffe4e1),
    ("moccasin", 0xffe4b5),
    ("navajowhite", 0xffdead),
    ("navy", 0x000080),
    ("oldlace", 0xfdf5e6),
    ("olive", 0x808000),
    ("olivedrab", 0x6b8e23),
    ("orange", 0xffa500),
    ("orangered", 0xff4500),
    ("orchid", 0xda70d6),
    ("palegoldenrod", 0xeee8aa),
    ("palegreen", 0x98fb98),
    ("paleturquoise", 0xafeeee),
    ("palevioletred", 0xdb7093),
    ("papayawhip", 0xffefd5),
    ("peachpuff", 0xffdab9),
    ("peru", 0xcd853f),
    ("pink", 0xffc0cb),
    ("plum", 0xdda0dd),
    ("powderblue", 0xb0e0e6),
    ("purple", 0x800080),
    ("rebeccapurple", 0x663399),
    ("red", 0xff0000),
    ("rosybrown", 0xbc8f8f),
    ("royalblue", 0x4169e1),
    ("saddlebrown", 0x8b4513),
    ("salmon", 0xfa8072),
    ("sandybrown", 0xf4a460),
    ("seagreen", 0x2e8b57),
    ("seashell", 0xfff5ee),
    ("sienna", 0xa0522d),
    ("silver", 0xc0c0c0),
    ("skyblue", 0x87ceeb),
    ("slateblue", 0x6a5acd),
    ("slategray", 0x708090),
    ("slategrey", 0x708090),
    ("snow", 0xfffafa),
    ("springgreen", 0x00ff7f),
    ("steelblue", 0x4682b4),
    ("tan", 0xd2b48c),
    ("teal", 0x008080),
    ("thistle", 0xd8bfd8),
    ("tomato", 0xff6347),
    ("turquoise", 0x40e0d0),
    ("violet", 0xee82ee),
    ("wheat", 0xf5deb3),
    ("white", 0xffffff),
    ("whitesmoke", 0xf5f5f5),
    ("yellow", 0xffff00),
    ("yellowgreen", 0x9acd32),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Rgba {
        parse_color(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn named_table_is_sorted_and_complete() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(NAMED.len(), 148);
    }

    #[test]
    fn hex_forms() {
        assert_eq!(c("#FFF"), Rgba::WHITE);
        assert_eq!(c("#ffffff"), Rgba::WHITE);
        assert_eq!(c("#36a2eb"), Rgba(54, 162, 235, 255));
        assert_eq!(c("#f008"), Rgba(255, 0, 0, 0x88));
        assert_eq!(c("#36A2EB80"), Rgba(54, 162, 235, 128));
        for bad in ["#12345", "#ggg", "#", "#1234567", "#+12"] {
            assert!(parse_color(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rgb_forms() {
        assert_eq!(c("rgb(255,255,255)"), Rgba::WHITE);
        assert_eq!(c("rgb( 54 , 162 , 235 )"), Rgba(54, 162, 235, 255));
        assert_eq!(c("rgba(54, 162, 235, 0.5)"), Rgba(54, 162, 235, 128));
        assert_eq!(c("rgba(54, 162, 235, 50%)"), Rgba(54, 162, 235, 128));
        assert_eq!(c("rgb(54 162 235 / 0.5)"), Rgba(54, 162, 235, 128));
        assert_eq!(c("rgb(100%, 0%, 50%)"), Rgba(255, 0, 128, 255));
        assert_eq!(c("rgb(300, -5, 12.6)"), Rgba(255, 0, 13, 255));
        assert_eq!(c("rgba(1,2,3)"), Rgba(1, 2, 3, 255));
        assert_eq!(c("RGB(1 2 3 / 20%)"), Rgba(1, 2, 3, 51));
        for bad in [
            "rgb(1,2)",
            "rgb(1,2,3,4,5)",
            "rgb(a,b,c)",
            "rgb(1 2)",
            "rgb(1,2,3",
            "rgb(inf,0,0)",
        ] {
            assert!(parse_color(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hsl_forms() {
        assert_eq!(c("hsl(0, 100%, 50%)"), Rgba(255, 0, 0, 255));
        assert_eq!(c("hsl(120deg 100% 25%)"), Rgba(0, 128, 0, 255));
        assert_eq!(c("hsl(240, 100%, 50%)"), Rgba(0, 0, 255, 255));
        assert_eq!(c("hsla(0, 0%, 100%, 0.5)"), Rgba(255, 255, 255, 128));
        assert_eq!(c("hsl(0.5turn 100% 50% / 25%)"), Rgba(0, 255, 255, 64));
        assert_eq!(c("hsl(-120, 100%, 50%)"), Rgba(0, 0, 255, 255));
        assert!(parse_color("hsl(0, 100%)").is_err());
    }

    #[test]
    fn named_colors() {
        let cases = [
            ("white", Rgba::WHITE),
            ("Black", Rgba(0, 0, 0, 255)),
            ("RED", Rgba(255, 0, 0, 255)),
            ("steelblue", Rgba(70, 130, 180, 255)),
            ("rebeccapurple", Rgba(102, 51, 153, 255)),
            ("gray", Rgba(128, 128, 128, 255)),
            ("grey", Rgba(128, 128, 128, 255)),
            ("lightgoldenrodyellow", Rgba(250, 250, 210, 255)),
            ("tomato", Rgba(255, 99, 71, 255)),
            ("cornflowerblue", Rgba(100, 149, 237, 255)),
            ("yellowgreen", Rgba(154, 205, 50, 255)),
            ("aliceblue", Rgba(240, 248, 255, 255)),
            ("transparent", Rgba::TRANSPARENT),
            ("  teal\n", Rgba(0, 128, 128, 255)),
        ];
        for (name, want) in cases {
            assert_eq!(c(name), want, "{name}");
        }
    }

    #[test]
    fn unknown_colors_are_named_in_the_error() {
        for bad in ["notacolor", "", "blue-ish", "url(x)"] {
            match parse_color(bad) {
                Err(ChartError::BadRequest(m)) => assert!(m.contains(&format!("`{bad}`")), "{m}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
