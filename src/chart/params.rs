//! QuickChart request parameters, from a GET query or a POST body, into one
//! normalized `ChartRequest`.
//!
//! Both ways in fill the same `Raw` record of parameter texts, so GET and
//! POST (and every alias, and a default given or left out) end in the same
//! request. Parameters chartgate does not know (`ref`, `key`, tracking
//! parameters) are skipped, so they never reach the cache key.

use super::literal::{self, js_number, number_text};
use super::packed::Packed;
use super::spec::{ChartJs, ChartRequest, Format, Output, Rgba};
use super::{color, parse, quoted, route, ChartError};
use crate::config::{Limits, ScriptConfig};
use crate::script::{self, ScriptError};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use serde_json::Value;

type Res<T> = Result<T, ChartError>;

const DEFAULT_WIDTH: u32 = 500;
const DEFAULT_HEIGHT: u32 = 300;
const DEFAULT_RATIO: f64 = 2.0;
const MAX_RATIO: f64 = 10.0;
/// QuickChart reads configs as Chart.js 2 unless told otherwise.
const DEFAULT_VERSION: u8 = 2;

/// Reads a GET query string (the part after `?`), its config as data: code
/// is `ChartError::Code`.
pub fn from_query(query: &str, limits: &Limits) -> Result<ChartRequest, ChartError> {
    scripted_query(query, limits, None)
}

/// Reads a POST body, its config as data: code is `ChartError::Code`.
pub fn from_post(body: &[u8], limits: &Limits) -> Result<ChartRequest, ChartError> {
    scripted_post(body, limits, None)
}

/// `from_query`, with a config that holds code evaluated in the script
/// sandbox under `script`'s limits. Blocks for up to `script.time_ms`.
pub fn scripted_query(
    query: &str,
    limits: &Limits,
    script: Option<&ScriptConfig>,
) -> Result<ChartRequest, ChartError> {
    let mut raw = Raw::default();
    for piece in query.split('&') {
        let Some((name, value)) = form_urlencoded::parse(piece.as_bytes()).next() else {
            continue;
        };
        let Some(param) = param_of(&name) else {
            continue;
        };
        if raw.is_set(param) {
            continue;
        }
        // form_urlencoded decodes lossily; a replacement character that the
        // client did not send itself means the bytes were not UTF-8.
        if value.contains('\u{fffd}') && !decodes_to_utf8(piece) {
            return Err(ChartError::bad(format!(
                "the `{name}` parameter is not valid UTF-8 once percent-decoded"
            )));
        }
        raw.set(param, value.into_owned());
    }
    build(raw, limits, script)
}

/// `from_post` with code evaluated, as `scripted_query`. The body is
/// `{chart, width, height, devicePixelRatio, backgroundColor, format,
/// encoding, version}`.
pub fn scripted_post(
    body: &[u8],
    limits: &Limits,
    script: Option<&ScriptConfig>,
) -> Result<ChartRequest, ChartError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ChartError::bad("the POST body is not valid UTF-8"))?;
    if text.trim().is_empty() {
        return Err(ChartError::bad(
            "the POST body is empty: send JSON like {\"chart\": {...}, \"width\": 500}",
        ));
    }
    let (value, mut packed) = literal::parse_body(text, limits).map_err(|e| match e {
        // The envelope is data, whatever its `chart` string holds.
        ChartError::BadRequest(m) | ChartError::Code(m) => {
            ChartError::bad(format!("POST body: {m}"))
        }
        limit => limit,
    })?;
    let Value::Object(mut fields) = value else {
        return Err(ChartError::bad(
            "the POST body must be a JSON object like {\"chart\": {...}, \"width\": 500}",
        ));
    };
    let mut raw = Raw::default();
    for (param, names) in PARAMS {
        let Some(name) = names
            .iter()
            .find(|n| fields.get(**n).is_some_and(|v| !v.is_null()))
        else {
            continue;
        };
        let value = fields.remove(*name).unwrap_or(Value::Null);
        match param {
            // Only an object `chart` has points packed.
            Param::Chart => raw.chart = Some(chart_field(value, std::mem::take(&mut packed))?),
            _ => raw.set(param, scalar(&value, name)?),
        }
    }
    build(raw, limits, script)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Param {
    Chart,
    Width,
    Height,
    Ratio,
    Background,
    Format,
    Encoding,
    Version,
}

/// Each parameter's names; in a POST body the first one listed wins.
const PARAMS: [(Param, &[&str]); 8] = [
    (Param::Chart, &["chart", "c"]),
    (Param::Width, &["width", "w"]),
    (Param::Height, &["height", "h"]),
    (Param::Ratio, &["devicePixelRatio"]),
    (Param::Background, &["backgroundColor", "bkg"]),
    (Param::Format, &["format", "f"]),
    (Param::Encoding, &["encoding"]),
    (Param::Version, &["version", "v"]),
];

fn param_of(name: &str) -> Option<Param> {
    PARAMS
        .iter()
        .find(|(_, names)| names.contains(&name))
        .map(|(p, _)| *p)
}

/// The config as sent: text still to be decoded and read, or (POST) an
/// object with its datasets' points read apart.
enum ChartSource {
    Text(String),
    Object(Value, Packed),
}

/// The parameters as sent, before validation.
#[derive(Default)]
struct Raw {
    chart: Option<ChartSource>,
    width: Option<String>,
    height: Option<String>,
    ratio: Option<String>,
    background: Option<String>,
    format: Option<String>,
    encoding: Option<String>,
    version: Option<String>,
}

impl Raw {
    fn text_slot(&mut self, param: Param) -> Option<&mut Option<String>> {
        Some(match param {
            Param::Chart => return None,
            Param::Width => &mut self.width,
            Param::Height => &mut self.height,
            Param::Ratio => &mut self.ratio,
            Param::Background => &mut self.background,
            Param::Format => &mut self.format,
            Param::Encoding => &mut self.encoding,
            Param::Version => &mut self.version,
        })
    }

    fn is_set(&mut self, param: Param) -> bool {
        match self.text_slot(param) {
            Some(slot) => slot.is_some(),
            None => self.chart.is_some(),
        }
    }

    fn set(&mut self, param: Param, value: String) {
        match self.text_slot(param) {
            Some(slot) => *slot = Some(value),
            None => self.chart = Some(ChartSource::Text(value)),
        }
    }
}

/// Whether `raw` (one `name=value` of a query) percent-decodes to UTF-8.
fn decodes_to_utf8(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|b| (*b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&out).is_ok()
}

/// A POST `chart`: an object (its strings bounded as `literal::parse_body`
/// read them), or a string to read like `c=`.
fn chart_field(value: Value, packed: Packed) -> Res<ChartSource> {
    match value {
        Value::String(s) => Ok(ChartSource::Text(s)),
        Value::Object(_) => Ok(ChartSource::Object(value, packed)),
        other => Err(ChartError::bad(format!(
            "`chart` must be a Chart.js config object or a string, not {}",
            kind_name(&other)
        ))),
    }
}

/// A POST parameter other than `chart`, as the text a query would carry.
fn scalar(value: &Value, name: &str) -> Res<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(js_number(n.as_f64().unwrap_or(0.0))),
        other => Err(ChartError::bad(format!(
            "`{name}` must be a number or a string, not {}",
            kind_name(other)
        ))),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Url,
    Base64,
}

fn build(raw: Raw, limits: &Limits, script: Option<&ScriptConfig>) -> Res<ChartRequest> {
    let output = output(&raw, limits)?;
    let version = version(given(&raw.version))?;
    let encoding = encoding(given(&raw.encoding))?;
    let mut reads_clock = false;
    let (mut config, mut packed) = match raw.chart {
        None => {
            return Err(ChartError::bad(
                "missing chart config: pass it as c=... (or as \"chart\" in a POST body)",
            ))
        }
        Some(ChartSource::Object(value, packed)) => (value, packed),
        Some(ChartSource::Text(text)) => {
            let text = match encoding {
                Encoding::Base64 => decode_base64(&text)?,
                Encoding::Url => text,
            };
            let (config, packed, clock) = read_config(&text, &output, limits, script)?;
            reads_clock = clock;
            (config, packed)
        }
    };
    let scripting = script.map(|cfg| parse::Scripting {
        cfg,
        width: output.width,
        height: output.height,
    });
    if let Some(why) = route::wrong_version(&config, version) {
        return Err(ChartError::bad(why));
    }
    // A plugin's chart type stands in with its data spread (`stand_in`).
    if route::chartjs_type(&config, version).is_some() {
        std::mem::take(&mut packed).unpack_into(&mut config);
    }
    let (chart, unread) = parse::chart_spec_read(
        &route::stand_in(&config, version),
        &packed,
        version,
        limits,
        scripting,
    )?;
    // Parsed natively all the same: the budget and the limits read the
    // spec, whichever renderer draws it. An option the native parser never
    // read is one it would leave out: Chart.js draws it.
    let routed = route::needs_chartjs(&config, version).is_some() || unread.is_some();
    let chartjs = routed.then(|| {
        packed.unpack_into(&mut config);
        ChartJs {
            version,
            config: config.to_string(),
            quickchart_type: route::chartjs_type(&config, version),
        }
    });
    Ok(ChartRequest {
        chart,
        output,
        reads_clock,
        chartjs,
    })
}

/// The config evaluated whole by the sandbox.
fn evaluate_whole(
    text: &str,
    output: &Output,
    limits: &Limits,
    script: &ScriptConfig,
) -> Res<(Value, bool)> {
    let evaluated =
        script::evaluate(text, script, output.width, output.height).map_err(script_error)?;
    Ok((
        literal::parse_evaluated(&evaluated.json, limits)?,
        evaluated.reads_clock,
    ))
}

/// `skeleton` with each hole replaced by its value from `json` (the JSON
/// array `evaluate_holes` made).
fn fill_holes(skeleton: Value, json: &str, limits: &Limits) -> Res<Value> {
    let Value::Array(values) = literal::parse_evaluated(json, limits)? else {
        return Err(ChartError::bad(
            "the config's code did not evaluate to values",
        ));
    };
    Ok(fill(skeleton, values))
}

/// `skeleton` with each hole replaced by its value in `values`.
fn fill(mut skeleton: Value, mut values: Vec<Value>) -> Value {
    fn walk(v: &mut Value, values: &mut [Value]) {
        match v {
            Value::String(s) => {
                if let Some(slot) = literal::hole_index(s).and_then(|n| values.get_mut(n)) {
                    *v = std::mem::take(slot);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, values)),
            Value::Object(map) => map.values_mut().for_each(|i| walk(i, values)),
            _ => {}
        }
    }
    walk(&mut skeleton, &mut values);
    skeleton
}

fn script_error(e: ScriptError) -> ChartError {
    match e {
        ScriptError::Limit(m) => ChartError::limit(m),
        ScriptError::Failed(m) => ChartError::bad(format!("the chart config failed: {m}")),
    }
}

/// The config text as data; when it holds code and `script` is given, as
/// the sandbox evaluates it (and whether it read the clock). Code that sits
/// in value places is cut out and evaluated alone, the data around it read
/// here: QuickJS's parser reads every nested literal ahead of itself (for
/// destructuring), so a 12 KB config costs it ~2 ms, the cut-out code ~0.1.
fn read_config(
    text: &str,
    output: &Output,
    limits: &Limits,
    script: Option<&ScriptConfig>,
) -> Res<(Value, Packed, bool)> {
    // QuickChart evaluates the config as the expression of a `return`
    // statement, where a closing `;` is fine: its documentation writes
    // some configs so (the custom progress bar guide).
    let text = text.trim_end();
    let text = text.strip_suffix(';').unwrap_or(text);
    match script {
        None => literal::parse_packed(text, limits).map(|(v, packed)| (v, packed, false)),
        Some(script) => {
            let (mut value, packed, reads_clock) = evaluate_code(text, output, limits, script)?;
            script::canonical_functions(&mut value);
            Ok((value, packed, reads_clock))
        }
    }
}

/// A config read for code: data as it is; code cut out and evaluated
/// alone where that can be done, else the whole config evaluated (also when the cut-out
/// code fails, for the engine's message at its real place).
fn evaluate_code(
    text: &str,
    output: &Output,
    limits: &Limits,
    script: &ScriptConfig,
) -> Res<(Value, Packed, bool)> {
    let (skeleton, holes) = match literal::parse_with_holes(text, limits) {
        Ok((data, holes, packed)) if holes.is_empty() => return Ok((data, packed, false)),
        Ok((skeleton, holes, _)) => (skeleton, holes),
        Err(ChartError::Code(_)) => return unpacked(evaluate_whole(text, output, limits, script)),
        Err(e) => return Err(e),
    };
    if holes.iter().all(|hole| literal::is_function_literal(hole)) {
        // Functions alone evaluate to their own source: compiled to check
        // them, never run here. A syntax error is read again whole, for
        // the engine's message at its real place.
        match script::check_syntax(&holes, script) {
            Ok(()) => {}
            Err(ScriptError::Failed(_)) => {
                return unpacked(evaluate_whole(text, output, limits, script))
            }
            Err(limit) => return Err(script_error(limit)),
        }
        let values = holes
            .into_iter()
            .map(|source| serde_json::json!({ script::FUNCTION_KEY: source }))
            .collect();
        return Ok((fill(skeleton, values), Packed::default(), false));
    }
    unpacked(
        match script::evaluate_holes(text, &holes, script, output.width, output.height) {
            Ok(evaluated) => Ok((
                fill_holes(skeleton, &evaluated.json, limits)?,
                evaluated.reads_clock,
            )),
            Err(ScriptError::Failed(_)) => evaluate_whole(text, output, limits, script),
            Err(limit) => Err(script_error(limit)),
        },
    )
}

/// A config the sandbox evaluated: its data all in its value.
fn unpacked(read: Res<(Value, bool)>) -> Res<(Value, Packed, bool)> {
    read.map(|(value, clock)| (value, Packed::default(), clock))
}

/// A parameter's text, with an empty value read as not given.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn output(raw: &Raw, limits: &Limits) -> Res<Output> {
    let output = Output {
        width: side(given(&raw.width), "width", DEFAULT_WIDTH, limits)?,
        height: side(given(&raw.height), "height", DEFAULT_HEIGHT, limits)?,
        device_pixel_ratio: ratio(given(&raw.ratio))?,
        background: background(given(&raw.background))?,
        format: format(given(&raw.format))?,
    };
    check_size(&output, limits)?;
    Ok(output)
}

fn side(v: Option<&str>, name: &str, default: u32, limits: &Limits) -> Res<u32> {
    let Some(s) = v else { return Ok(default) };
    let n = number_text(s)
        .filter(|n| *n >= 1.0 && n.fract() == 0.0)
        .ok_or_else(|| {
            ChartError::bad(format!(
                "{name} must be a whole number of pixels, at least 1; got `{}`",
                quoted(s, 40)
            ))
        })?;
    if n > u32::MAX as f64 {
        return Err(ChartError::limit(format!(
            "{name} {} is over the largest side of {} pixels",
            js_number(n),
            limits.max_side
        )));
    }
    Ok(n as u32)
}

fn ratio(v: Option<&str>) -> Res<f64> {
    let Some(s) = v else { return Ok(DEFAULT_RATIO) };
    number_text(s)
        .filter(|r| *r > 0.0 && *r <= MAX_RATIO)
        .ok_or_else(|| {
            ChartError::bad(format!(
                "devicePixelRatio must be a number above 0 and at most {MAX_RATIO}; got `{}`",
                quoted(s, 40)
            ))
        })
}

/// Any fully transparent color draws the same empty canvas.
fn background(v: Option<&str>) -> Res<Rgba> {
    let Some(s) = v else {
        return Ok(Rgba::TRANSPARENT);
    };
    let c = color::parse_color(s).map_err(|e| ChartError::bad(format!("backgroundColor: {e}")))?;
    Ok(if c.3 == 0 { Rgba::TRANSPARENT } else { c })
}

fn format(v: Option<&str>) -> Res<Format> {
    match v.map(str::to_ascii_lowercase).as_deref() {
        None | Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        Some(other) => Err(ChartError::bad(format!(
            "unsupported format `{}`: chartgate renders png (the default) or svg",
            quoted(other, 40)
        ))),
    }
}

fn encoding(v: Option<&str>) -> Res<Encoding> {
    match v {
        None | Some("url") => Ok(Encoding::Url),
        Some("base64") => Ok(Encoding::Base64),
        Some(other) => Err(ChartError::bad(format!(
            "unsupported encoding `{}`: use url (the default) or base64",
            quoted(other, 40)
        ))),
    }
}

/// The Chart.js major version: `3`, `3.x` and `3.9.1` all mean 3.
fn version(v: Option<&str>) -> Res<u8> {
    let Some(s) = v else {
        return Ok(DEFAULT_VERSION);
    };
    let major = s.split('.').next().unwrap_or_default();
    match major.parse::<u8>() {
        Ok(m @ 2..=4) => Ok(m),
        _ => Err(ChartError::bad(format!(
            "unsupported Chart.js version `{}`: use 2, 3 or 4",
            quoted(s, 40)
        ))),
    }
}

/// Standard or URL-safe base64, padded or not. A `+` that was not
/// percent-encoded arrives as a space, and wrapped output brings line breaks.
fn decode_base64(text: &str) -> Res<String> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\n' | '\r' | '\t'))
        .map(|c| match c {
            ' ' | '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let bytes = LENIENT
        .decode(cleaned.trim_end_matches('='))
        .map_err(|e| ChartError::bad(format!("c is not valid base64 (encoding=base64): {e}")))?;
    String::from_utf8(bytes)
        .map_err(|_| ChartError::bad("the base64-decoded chart config is not valid UTF-8"))
}

fn check_size(output: &Output, limits: &Limits) -> Res<()> {
    let (w, h) = output.pixel_size();
    let asked = format!(
        "{}x{} at devicePixelRatio {}",
        output.width,
        output.height,
        js_number(output.device_pixel_ratio)
    );
    if w > limits.max_side || h > limits.max_side {
        return Err(ChartError::limit(format!(
            "the image would be {w}x{h} device pixels ({asked}); each side may be at most {}",
            limits.max_side
        )));
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > limits.max_pixels {
        return Err(ChartError::limit(format!(
            "the image would be {w}x{h} = {pixels} device pixels ({asked}); at most {} are allowed",
            limits.max_pixels
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    const BAR: &str = "{type:'bar',data:{labels:['a'],datasets:[{data:[1]}]}}";

    fn limits() -> Limits {
        Limits::default()
    }

    fn query(pairs: &[(&str, &str)]) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
        q.finish()
    }

    fn get(pairs: &[(&str, &str)]) -> Res<ChartRequest> {
        from_query(&query(pairs), &limits())
    }

    fn bad(r: Res<ChartRequest>) -> String {
        match r {
            Err(ChartError::BadRequest(m)) => m,
            other => panic!("expected BadRequest, got {other:?}"),
        }
    }

    fn over(r: Res<ChartRequest>) -> String {
        match r {
            Err(ChartError::LimitExceeded(m)) => m,
            other => panic!("expected LimitExceeded, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let r = get(&[("c", BAR)]).unwrap();
        let o = r.output;
        assert_eq!((o.width, o.height, o.device_pixel_ratio), (500, 300, 2.0));
        assert_eq!((o.background, o.format), (Rgba::TRANSPARENT, Format::Png));
        assert_eq!(r.chart.datasets[0].tension, 0.0);
    }

    #[test]
    fn aliases_and_first_occurrence() {
        let short = get(&[
            ("c", BAR),
            ("w", "600"),
            ("h", "400"),
            ("bkg", "red"),
            ("f", "svg"),
            ("v", "3"),
        ]);
        let long = get(&[
            ("chart", BAR),
            ("width", "600"),
            ("height", "400"),
            ("backgroundColor", "red"),
            ("format", "svg"),
            ("version", "3"),
        ]);
        assert_eq!(short.unwrap(), long.unwrap());
        let first = get(&[("w", "600"), ("c", BAR), ("width", "700"), ("w", "800")]).unwrap();
        assert_eq!(first.output.width, 600);
        let ignored = get(&[("c", BAR), ("ref", "x"), ("key", "k"), ("utm_source", "y")]).unwrap();
        assert_eq!(ignored, get(&[("c", BAR)]).unwrap());
        assert_eq!(get(&[("c", BAR), ("w", "")]).unwrap().output.width, 500);
    }

    #[test]
    fn plus_is_a_space_and_percent_decodes() {
        let r = from_query("c={type:'bar',data:{labels:['a+b%21']}}", &limits()).unwrap();
        assert_eq!(r.chart.labels, ["a b!"]);
    }

    #[test]
    fn invalid_utf8_is_refused_but_a_real_replacement_char_is_kept() {
        let m = bad(from_query("c=%FF%FE", &limits()));
        assert!(m.contains("UTF-8"), "{m}");
        let r = from_query("c={type:'bar',data:{labels:['%EF%BF%BD']}}", &limits()).unwrap();
        assert_eq!(r.chart.labels, ["\u{fffd}"]);
        // An ignored parameter cannot fail the request.
        get(&[("c", BAR)]).unwrap();
        from_query(&format!("ref=%FF&{}", query(&[("c", BAR)])), &limits()).unwrap();
    }

    #[test]
    fn base64_in_both_alphabets_with_or_without_padding() {
        let config = "{type:'bar',data:{labels:['>>>?'],datasets:[{data:[1]}]}}";
        let want = get(&[("c", config)]).unwrap();
        let std = STANDARD.encode(config);
        assert!(std.contains('+') || std.contains('/'), "{std}");
        let url = URL_SAFE_NO_PAD.encode(config);
        for text in [std.clone(), url, std.replace('+', " "), format!("{std}\n")] {
            let got = get(&[("c", &text), ("encoding", "base64")]).unwrap();
            assert_eq!(got, want, "{text}");
        }
        assert!(bad(get(&[("c", "!!!"), ("encoding", "base64")])).contains("base64"));
        let not_utf8 = STANDARD.encode([0xff, 0xfe]);
        assert!(bad(get(&[("c", &not_utf8), ("encoding", "base64")])).contains("UTF-8"));
        assert!(bad(get(&[("c", BAR), ("encoding", "hex")])).contains("encoding"));
    }

    #[test]
    fn code_cut_out_reads_as_the_whole_config_evaluated() {
        let (script, limits) = (ScriptConfig::default(), Limits::default());
        let out = output(&Raw::default(), &limits).unwrap();
        for config in [
            "{type:'bar',data:{labels:['a','b'],datasets:[{data:[1 + 1, Math.random(), Math.random()]}]}}",
            "{type:'line',data:{datasets:[{data:Array.from({length: 5}, (_, i) => i * i)}]},options:{scales:{yAxes:[{ticks:{callback: (v) => '$' + v /* , */}}]}}}",
            "{type:'doughnut',data:{datasets:[{data:[1,2]}]},options:{rotation:-Math.PI/2,circumference:Math.PI,x:`a${[1,2]}`}}",
        ] {
            assert!(literal::parse_with_holes(config, &limits).is_ok(), "{config}");
            let (cut, _, _) = read_config(config, &out, &limits, Some(&script)).unwrap();
            let (mut whole, _) = evaluate_whole(config, &out, &limits, &script).unwrap();
            script::canonical_functions(&mut whole);
            assert_eq!(cut, whole, "{config}");
        }
    }

    #[test]
    fn versions() {
        // QuickChart draws v2 lines straight; Chart.js 3/4 do too.
        for (v, want_tension) in [
            ("2", 0.0),
            ("2.9.4", 0.0),
            ("3", 0.0),
            ("3.x", 0.0),
            ("4.4.0", 0.0),
        ] {
            let line = "{type:'line',data:{datasets:[{data:[1]}]}}";
            let r = get(&[("c", line), ("v", v)]).unwrap();
            assert_eq!(r.chart.datasets[0].tension, want_tension, "{v}");
        }
        // QuickChart's dataset-level 0 wins over v2 element options.
        let elements =
            "{type:'line',data:{datasets:[{data:[1]}]},options:{elements:{line:{tension:0.3}}}}";
        let r = get(&[("c", elements), ("v", "2")]).unwrap();
        assert_eq!(r.chart.datasets[0].tension, 0.0);
        for v in ["1", "5", "x", "300", "-3"] {
            assert!(bad(get(&[("c", BAR), ("v", v)])).contains("version"), "{v}");
        }
    }

    #[test]
    fn sizes_and_ratio() {
        for w in ["0", "-5", "abc", "1.5", "NaN", "inf"] {
            assert!(bad(get(&[("c", BAR), ("w", w)])).contains("width"), "{w}");
        }
        assert_eq!(
            get(&[("c", BAR), ("w", "500.0")]).unwrap().output.width,
            500
        );
        let m = over(get(&[("c", BAR), ("w", "99999")]));
        assert!(m.contains("199998x600") && m.contains("4096"), "{m}");
        let m = over(get(&[
            ("c", BAR),
            ("w", "4096"),
            ("h", "4096"),
            ("devicePixelRatio", "1.5"),
        ]));
        assert!(m.contains("6144x6144"), "{m}");
        let small = Limits {
            max_pixels: 1_000_000,
            ..Limits::default()
        };
        let q = query(&[
            ("c", BAR),
            ("w", "1000"),
            ("h", "1001"),
            ("devicePixelRatio", "1"),
        ]);
        let m = over(from_query(&q, &small));
        assert!(m.contains("1001000") && m.contains("1000000"), "{m}");
        over(get(&[("c", BAR), ("h", "1e12")]));
        for dpr in ["0", "-1", "100", "10.5", "x"] {
            assert!(bad(get(&[("c", BAR), ("devicePixelRatio", dpr)])).contains("devicePixelRatio"));
        }
        assert_eq!(
            get(&[("c", BAR), ("devicePixelRatio", "1.5")])
                .unwrap()
                .output
                .device_pixel_ratio,
            1.5
        );
    }

    #[test]
    fn background_and_format() {
        let r = get(&[("c", BAR), ("bkg", "#FFF"), ("f", "SVG")]).unwrap();
        assert_eq!(
            (r.output.background, r.output.format),
            (Rgba::WHITE, Format::Svg)
        );
        let clear = get(&[("c", BAR), ("bkg", "rgba(255,0,0,0)")]).unwrap();
        assert_eq!(clear.output.background, Rgba::TRANSPARENT);
        assert!(bad(get(&[("c", BAR), ("bkg", "#12345")])).contains("`#12345`"));
        let m = bad(get(&[("c", BAR), ("f", "gif")]));
        assert!(m.contains("gif") && m.contains("svg"), "{m}");
    }

    #[test]
    fn missing_chart() {
        assert!(bad(from_query("w=500", &limits())).contains("missing chart config"));
        assert!(bad(from_query("", &limits())).contains("missing chart config"));
        assert!(bad(from_post(b"{\"width\": 500}", &limits())).contains("missing chart config"));
    }

    #[test]
    fn post_matches_get() {
        let want = get(&[
            ("c", BAR),
            ("w", "600"),
            ("devicePixelRatio", "1"),
            ("v", "3"),
        ])
        .unwrap();
        let string =
            serde_json::json!({"chart": BAR, "width": 600, "devicePixelRatio": 1, "version": 3});
        let object = format!("{{\"chart\": {BAR}, \"width\": \"600\", \"devicePixelRatio\": \"1.0\", \"version\": \"3.9.1\"}}");
        let b64 = serde_json::json!({"chart": STANDARD.encode(BAR), "encoding": "base64", "w": 600, "devicePixelRatio": 1, "v": "3"});
        for body in [string.to_string(), object, b64.to_string()] {
            assert_eq!(
                from_post(body.as_bytes(), &limits()).unwrap(),
                want,
                "{body}"
            );
        }
    }

    #[test]
    fn post_errors() {
        assert!(bad(from_post(b"", &limits())).contains("empty"));
        assert!(bad(from_post(b"chart=bar", &limits())).contains("POST body"));
        assert!(bad(from_post(b"[1]", &limits())).contains("JSON object"));
        assert!(bad(from_post(b"{\"chart\": 5}", &limits())).contains("`chart`"));
        assert!(bad(from_post(b"{\"chart\": \"\xff\"}", &limits())).contains("UTF-8"));
        let m = bad(from_post(
            br#"{"chart": "{type:'bar'}", "width": true}"#,
            &limits(),
        ));
        assert!(m.contains("`width`"), "{m}");
        let m = bad(from_post(
            b"{\"chart\": {\"type\": \"bar\", \"options\": {\"onClick\": function(){}}}}",
            &limits(),
        ));
        assert!(m.contains("not supported"), "{m}");
    }

    /// Configs as Chart.js's samples and QuickChart's docs write `{x, y}`
    /// points; `packs` says whether the literal parser reads their points
    /// apart (`Packed`).
    const POINT_CONFIGS: &[(&str, bool)] = &[
        ("{type: 'scatter', data: {datasets: [{label: 'Scatter Dataset', data: [{x: -10, y: 0}, {x: 0, y: 10}, {x: 10, y: 5}, {x: 0.5, y: 5.5}]}]}}", true),
        ("{\"type\": \"line\", \"data\": {\"labels\": [\"a\", \"b\", \"c\"], \"datasets\": [{\"data\": [{\"x\": 0, \"y\": 1}, {\"y\": 2, \"x\": 1}, {\"x\": 2, \"y\": -0}]}, {\"data\": [3, 1, 2]}]}}", true),
        ("{type: 'horizontalBar', data: {labels: ['a', 'b'], datasets: [{data: [{x: 5, y: 0}, {x: 7, y: 1},]}]}}", true),
        ("{type: 'bubble', data: {datasets: [{data: [{x: 1, y: 2}, {x: 3, y: 4, r: 9}]}, {data: [{x: 2, y: 2}]}]}}", true),
        ("{type: 'scatter', data: {datasets: [{data: [{x: 1, y: 2}, {'x': 2, 'y': 4} /* c */, {x: 3, y: 1}]}]}, options: {plugins: {datalabels: {display: true}}}}", true),
        ("{type: 'line', data: {datasets: [{data: [{x: 1709280000000, y: 2}, {x: 1709366400000, y: 4}]}]}, options: {scales: {xAxes: [{type: 'time'}]}}}", true),
        ("{type: 'line', data: {datasets: [{data: [{x: 1, y: 2}, {x: 2, y: 20}]}]}, options: {scales: {yAxes: [{type: 'logarithmic'}]}}}", true),
        ("{type: 'boxplot', data: {labels: ['a'], datasets: [{data: [{x: 1, y: 2}, {x: 4, y: 3}]}]}}", true),
        ("{type: 'scatter', data: {datasets: [{data: [{x: 1, y: 2}], data: [{x: 5, y: 6}]}], datasets: [{data: [{x: 7, y: 8}, {x: 9, y: 9}]}]}}", true),
        ("{type: 'scatter', data: {datasets: [{data: [{x: 1, y: 2}, {x: '3', y: 4}]}, {data: [{x: 1, y: null}]}, {data: [{x: 1, y: 2, z: 3}]}]}}", false),
    ];

    #[test]
    fn packed_points_read_as_the_objects_they_were() {
        for &(config, packs) in POINT_CONFIGS {
            for v in ["2", "3", "4"] {
                let post = |name: &str| {
                    let body = format!("{{\"{name}\": {config}, \"version\": {v}}}");
                    let packed = literal::parse_body(&body, &limits()).unwrap().1;
                    // Only an object `chart` has its points packed.
                    assert_eq!(!packed.is_empty(), packs && name == "chart", "{config}");
                    from_post(body.as_bytes(), &limits())
                };
                let whole = post("c");
                assert_eq!(post("chart"), whole, "v{v} {config}");
                assert_eq!(get(&[("c", config), ("v", v)]), whole, "v{v} {config}");
                let script = ScriptConfig::default();
                let with_script =
                    scripted_query(&query(&[("c", config), ("v", v)]), &limits(), Some(&script));
                assert_eq!(with_script, whole, "v{v} {config}");
            }
        }
    }

    #[test]
    fn a_v2_legends_own_font_options_change_nothing_as_in_chartjs_2() {
        // QuickChart's fonts page (tests/quickchart-docs/072): Chart.js 2.9.4
        // fonts the legend from `legend.labels` only.
        let docs = "{type: 'radar', data: {labels: ['January', 'February', 'March'], datasets: [{data: [15.09, 15.67, 12.5], label: 'D0'}, {data: [24.55, 28.91, 21.81], label: 'D1'}]}, options: {legend: {fontFamily: 'mono'}}}";
        let plain = docs.replace("legend: {fontFamily: 'mono'}", "legend: {}");
        let read = get(&[("c", docs)]).unwrap();
        assert_eq!(read.chartjs, None);
        assert_eq!(read, get(&[("c", &plain)]).unwrap());
        // Its labels' font is the legend's font.
        let labels = docs.replace(
            "legend: {fontFamily: 'mono'}",
            "legend: {labels: {fontSize: 20}}",
        );
        assert_ne!(
            get(&[("c", &labels)]).unwrap().chart.legend,
            read.chart.legend
        );
        // Chart.js 3 and 4 have no such options there: theirs to draw.
        assert!(get(&[("c", docs), ("v", "4")]).unwrap().chartjs.is_some());
    }

    #[test]
    fn a_legend_filter_sees_config_indices_when_datasets_are_ordered() {
        // Chart.js hands the filter each item's index in the config; the
        // item it leaves out is that dataset wherever `order` puts it.
        let config = "{type: 'line', data: {datasets: [{label: 'a', data: [1], order: 2}, {label: 'b', data: [2], order: 1}]}, options: {legend: {labels: {filter: (item) => item.datasetIndex !== 0}}}}";
        let script = ScriptConfig::default();
        let read = scripted_query(&query(&[("c", config)]), &limits(), Some(&script)).unwrap();
        let names: Vec<&str> = read
            .chart
            .datasets
            .iter()
            .map(|d| d.label.as_str())
            .collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(read.chart.legend.filtered, [1]);
    }

    #[test]
    fn post_object_configs_obey_the_config_limits() {
        let small = Limits {
            max_string_chars: 10,
            ..Limits::default()
        };
        let long = format!(
            "{{\"chart\": {{\"type\": \"bar\", \"data\": {{\"labels\": [\"{}\"]}}}}}}",
            "x".repeat(11)
        );
        assert!(matches!(
            from_post(long.as_bytes(), &small),
            Err(ChartError::LimitExceeded(_))
        ));
        // Keys too, quoted or not.
        for key in ["\"yyyyyyyyyyy\"", "yyyyyyyyyyy"] {
            let body = format!("{{\"chart\": {{\"type\": \"bar\", {key}: 1}}}}");
            assert!(
                matches!(
                    from_post(body.as_bytes(), &small),
                    Err(ChartError::LimitExceeded(_))
                ),
                "{body}"
            );
        }
        // As a string, the whole config is one long string of the body: fine.
        let as_string = serde_json::json!({"chart": "{type: 'bar', data: {labels: ['abc']}}"});
        from_post(as_string.to_string().as_bytes(), &small).unwrap();
        let deep = format!(
            "{{\"chart\": {{\"type\": \"bar\", \"x\": {}1{}}}}}",
            "[".repeat(40),
            "]".repeat(40)
        );
        let m = over(from_post(deep.as_bytes(), &limits()));
        assert!(m.contains("32 levels"), "{m}");
    }
}
