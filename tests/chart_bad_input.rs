//! Bad input through the public request API: each case is refused with the
//! right `ChartError` variant (400 `BadRequest` or 422 `LimitExceeded`) and
//! a message that tells a person what was wrong. A mutation loop then feeds
//! thousands of damaged configs through and asserts that nothing panics.

use base64::Engine;
use chartgate::chart::params::{from_post, from_query};
use chartgate::chart::ChartError;
use chartgate::config::Limits;
use std::panic::{catch_unwind, AssertUnwindSafe};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Bad,
    Limit,
}

enum Input {
    /// Form-encoded pairs.
    Get(Vec<(String, String)>),
    /// A query string sent as is.
    RawQuery(String),
    Post(Vec<u8>),
}

struct Case {
    name: &'static str,
    input: Input,
    limits: Limits,
    want: Want,
    /// Something the message must say.
    needle: &'static str,
}

const BAR: &str = "{type:'bar',data:{labels:['a','b'],datasets:[{label:'n',data:[1,2]}]}}";

fn case(name: &'static str, input: Input, want: Want, needle: &'static str) -> Case {
    Case {
        name,
        input,
        limits: Limits::default(),
        want,
        needle,
    }
}

fn c(config: &str) -> Input {
    with(config, &[])
}

fn with(config: &str, extra: &[(&str, &str)]) -> Input {
    let mut pairs = vec![("c".to_owned(), config.to_owned())];
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Input::Get(pairs)
}

fn post(body: &[u8]) -> Input {
    Input::Post(body.to_vec())
}

fn small(mut case: Case, limits: Limits) -> Case {
    case.limits = limits;
    case
}

fn run(input: &Input, limits: &Limits) -> Result<chartgate::chart::ChartRequest, ChartError> {
    match input {
        Input::Get(pairs) => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                q.append_pair(k, v);
            }
            from_query(&q.finish(), limits)
        }
        Input::RawQuery(q) => from_query(q, limits),
        Input::Post(body) => from_post(body, limits),
    }
}

fn b64(s: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn config_cases() -> Vec<Case> {
    use Want::{Bad, Limit};
    let deep = format!(
        "{{type:'bar',data:{{datasets:[{{data:{}1{}}}]}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let huge_label = format!(
        "{{type:'bar',data:{{labels:['{}'],datasets:[{{data:[1]}}]}}}}",
        "x".repeat(5000)
    );
    vec![
        case("malformed JSON", c("{\"type\": \"bar\","), Bad, "expected"),
        case(
            "unbalanced braces",
            c("{type:'bar'}}"),
            Bad,
            "after the end of the config",
        ),
        case(
            "unterminated string",
            c("{type:'bar"),
            Bad,
            "unterminated string",
        ),
        case(
            "unterminated comment",
            c("{type:'bar'} /* x"),
            Bad,
            "unterminated /* comment",
        ),
        case("missing colon", c("{type 'bar'}"), Bad, "line 1, column 7"),
        case(
            "function value",
            c("{type:'bar',options:{onClick:function(){alert(1)}}}"),
            Bad,
            "found `function` at line 1, column 30",
        ),
        case(
            "arrow function",
            c("{type:'bar',options:{f:x=>1}}"),
            Bad,
            "arrow function `=>`",
        ),
        case(
            "arrow with parens",
            c("{type:'bar',options:{f:()=>1}}"),
            Bad,
            "functions and code are not supported",
        ),
        case(
            "new Date",
            c("{type:'line',data:{labels:[new Date()]}}"),
            Bad,
            "found `new`",
        ),
        case(
            "template literal",
            c("{type:`bar`}"),
            Bad,
            "template literal",
        ),
        case("bare identifier", c("{type:bar}"), Bad, "found `bar`"),
        case(
            "method shorthand",
            c("{type:'bar',options:{onClick(){}}}"),
            Bad,
            "method",
        ),
        case(
            "NaN",
            c("{type:'bar',data:{datasets:[{data:[NaN]}]}}"),
            Bad,
            "numbers must be finite",
        ),
        case(
            "Infinity",
            c("{type:'bar',data:{datasets:[{data:[Infinity]}]}}"),
            Bad,
            "numbers must be finite",
        ),
        case(
            "-Infinity",
            c("{type:'bar',data:{datasets:[{data:[-Infinity]}]}}"),
            Bad,
            "numbers must be finite",
        ),
        case(
            "overflowing number",
            c("{\"type\":\"bar\",\"data\":{\"datasets\":[{\"data\":[1e999]}]}}"),
            Bad,
            "`1e999`",
        ),
        case("empty config", c(""), Bad, "empty chart config"),
        case(
            "only a comment",
            c("// nothing here"),
            Bad,
            "empty chart config",
        ),
        case("config is a number", c("42"), Bad, "must be an object"),
        case("config is an array", c("[1,2]"), Bad, "must be an object"),
        case("config is a string", c("'bar'"), Bad, "must be an object"),
        case(
            "unknown chart type",
            c("{type:'piechart',data:{datasets:[]}}"),
            Bad,
            "unknown chart type 'piechart'",
        ),
        case(
            "unknown dataset type",
            c("{type:'bar',data:{datasets:[{type:'area',data:[1]}]}}"),
            Bad,
            "data.datasets[0].type",
        ),
        case(
            "missing type",
            c("{data:{datasets:[{data:[1]}]}}"),
            Bad,
            "missing chart type",
        ),
        case(
            "type not a string",
            c("{type:5}"),
            Bad,
            "`type` must be a string",
        ),
        case(
            "data not an array",
            c("{type:'bar',data:{datasets:[{data:'abc'}]}}"),
            Bad,
            "`data.datasets[0].data` must be an array",
        ),
        case(
            "datasets not an array",
            c("{type:'bar',data:{datasets:5}}"),
            Bad,
            "`data.datasets` must be an array",
        ),
        case(
            "labels not an array",
            c("{type:'bar',data:{labels:'a,b'}}"),
            Bad,
            "`data.labels` must be an array",
        ),
        case(
            "word in data",
            c("{type:'bar',data:{datasets:[{data:[1,'abc']}]}}"),
            Bad,
            "data.datasets[0].data[1]",
        ),
        case(
            "bad dataset color",
            c("{type:'bar',data:{datasets:[{data:[1],backgroundColor:'notacolor'}]}}"),
            Bad,
            "`notacolor`",
        ),
        case(
            "bad per-point color",
            c("{type:'bar',data:{datasets:[{data:[1],borderColor:['red','#12']}]}}"),
            Bad,
            "borderColor[1]",
        ),
        case(
            "title is a number",
            c("{type:'bar',options:{title:5}}"),
            Bad,
            "`options.title` must be an object",
        ),
        case(
            "legend display not a boolean",
            c("{type:'bar',options:{legend:{display:'yes'}}}"),
            Bad,
            "options.legend.display",
        ),
        case(
            "negative border width",
            c("{type:'bar',data:{datasets:[{data:[1],borderWidth:-1}]}}"),
            Bad,
            "borderWidth",
        ),
        case("deep nesting", c(&deep), Limit, "levels deep"),
        case(
            "very deep nesting",
            c(&"[".repeat(100_000)),
            Limit,
            "levels deep",
        ),
        case(
            "huge label",
            c(&huge_label),
            Limit,
            "longer than 1000 characters",
        ),
    ]
}

fn parameter_cases() -> Vec<Case> {
    use Want::{Bad, Limit};
    vec![
        case(
            "bad hex background",
            with(BAR, &[("bkg", "#12345")]),
            Bad,
            "`#12345`",
        ),
        case(
            "bad rgb background",
            with(BAR, &[("bkg", "rgb(1,2)")]),
            Bad,
            "`rgb(1,2)`",
        ),
        case(
            "unknown named background",
            with(BAR, &[("backgroundColor", "blurple")]),
            Bad,
            "`blurple`",
        ),
        case(
            "width zero",
            with(BAR, &[("w", "0")]),
            Bad,
            "width must be a whole number",
        ),
        case("width negative", with(BAR, &[("w", "-5")]), Bad, "`-5`"),
        case(
            "width not a number",
            with(BAR, &[("w", "abc")]),
            Bad,
            "`abc`",
        ),
        case(
            "width fractional",
            with(BAR, &[("width", "10.5")]),
            Bad,
            "whole number",
        ),
        case(
            "width over max_side",
            with(BAR, &[("w", "99999")]),
            Limit,
            "199998x600",
        ),
        case(
            "height over max_side",
            with(BAR, &[("h", "5000"), ("devicePixelRatio", "1")]),
            Limit,
            "5000",
        ),
        case(
            "ratio pushes over max_side",
            with(BAR, &[("w", "3000"), ("devicePixelRatio", "2")]),
            Limit,
            "6000x600",
        ),
        small(
            case(
                "too many pixels",
                with(
                    BAR,
                    &[("w", "2000"), ("h", "1000"), ("devicePixelRatio", "1")],
                ),
                Limit,
                "2000000",
            ),
            Limits {
                max_pixels: 1_000_000,
                ..Limits::default()
            },
        ),
        case(
            "dpr zero",
            with(BAR, &[("devicePixelRatio", "0")]),
            Bad,
            "devicePixelRatio",
        ),
        case(
            "dpr huge",
            with(BAR, &[("devicePixelRatio", "100")]),
            Bad,
            "at most 10",
        ),
        case(
            "unsupported format",
            with(BAR, &[("f", "gif")]),
            Bad,
            "`gif`",
        ),
        case(
            "unsupported version",
            with(BAR, &[("v", "9")]),
            Bad,
            "version `9`",
        ),
        case(
            "unsupported encoding",
            with(BAR, &[("encoding", "gzip")]),
            Bad,
            "encoding `gzip`",
        ),
        small(
            case(
                "too many datasets",
                c("{type:'line',data:{datasets:[{data:[1]},{data:[1]},{data:[1]}]}}"),
                Limit,
                "3 datasets",
            ),
            Limits {
                max_datasets: 2,
                ..Limits::default()
            },
        ),
        small(
            case(
                "too many points",
                c("{type:'line',data:{datasets:[{data:[1,2,3]},{data:[4,5,6]}]}}"),
                Limit,
                "6 data points",
            ),
            Limits {
                max_points: 5,
                ..Limits::default()
            },
        ),
        small(
            case(
                "too many labels",
                c("{type:'line',data:{labels:[1,2,3,4]}}"),
                Limit,
                "4 labels",
            ),
            Limits {
                max_labels: 3,
                ..Limits::default()
            },
        ),
        case(
            "invalid base64",
            with("!!!not base64!!!", &[("encoding", "base64")]),
            Bad,
            "not valid base64",
        ),
        case(
            "base64 of garbage",
            with(&b64("{type: bar, (("), &[("encoding", "base64")]),
            Bad,
            "not supported",
        ),
        case(
            "base64 of binary",
            with(&b64([0xff, 0xfe, 0x00]), &[("encoding", "base64")]),
            Bad,
            "not valid UTF-8",
        ),
        case(
            "invalid UTF-8 in the query",
            Input::RawQuery("c=%FF%FE%FD".into()),
            Bad,
            "not valid UTF-8",
        ),
        case(
            "missing chart parameter",
            Input::RawQuery("w=500".into()),
            Bad,
            "missing chart config: pass it as c=",
        ),
        case(
            "no query at all",
            Input::RawQuery(String::new()),
            Bad,
            "missing chart config",
        ),
    ]
}

fn post_cases() -> Vec<Case> {
    use Want::{Bad, Limit};
    let long_label = format!(
        "{{\"chart\": {{\"type\": \"bar\", \"data\": {{\"labels\": [\"{}\"]}}}}}}",
        "y".repeat(2000)
    );
    let deep = format!(
        "{{\"chart\": {{\"type\": \"bar\", \"data\": {}0{}}}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    vec![
        case("POST body not JSON", post(b"chart=bar"), Bad, "POST body"),
        case("POST body empty", post(b"  "), Bad, "POST body is empty"),
        case(
            "POST body an array",
            post(b"[{\"chart\": {}}]"),
            Bad,
            "must be a JSON object",
        ),
        case(
            "POST chart is a number",
            post(b"{\"chart\": 5}"),
            Bad,
            "`chart` must be a Chart.js config object or a string",
        ),
        case(
            "POST chart is an array",
            post(b"{\"chart\": [1]}"),
            Bad,
            "not an array",
        ),
        case(
            "POST without chart",
            post(b"{\"width\": 500}"),
            Bad,
            "missing chart config",
        ),
        case(
            "POST invalid UTF-8",
            post(b"{\"chart\": \"\xff\xfe\"}"),
            Bad,
            "not valid UTF-8",
        ),
        case(
            "POST width a boolean",
            post(br#"{"chart": "{type:'bar'}", "width": true}"#),
            Bad,
            "`width` must be a number",
        ),
        case(
            "POST width zero",
            post(br#"{"chart": "{type:'bar'}", "width": 0}"#),
            Bad,
            "width must be a whole number",
        ),
        case(
            "POST bad chart string",
            post(br#"{"chart": "{type:'nope'}"}"#),
            Bad,
            "unknown chart type 'nope'",
        ),
        case(
            "POST function in object",
            post(b"{\"chart\": {\"type\": \"bar\", \"options\": {\"f\": function(){}}}}"),
            Bad,
            "not supported",
        ),
        case(
            "POST bad base64 chart",
            post(br#"{"chart": "%%%", "encoding": "base64"}"#),
            Bad,
            "base64",
        ),
        case(
            "POST huge string in object",
            post(long_label.as_bytes()),
            Limit,
            "longer than 1000 characters",
        ),
        case(
            "POST deep object",
            post(deep.as_bytes()),
            Limit,
            "levels deep",
        ),
        case(
            "POST too large",
            post(br#"{"chart": "{type:'bar'}", "width": 5000, "height": 5000}"#),
            Limit,
            "10000x10000",
        ),
    ]
}

#[test]
fn every_bad_input_is_refused_with_the_right_error() {
    let cases: Vec<Case> = config_cases()
        .into_iter()
        .chain(parameter_cases())
        .chain(post_cases())
        .collect();
    assert!(cases.len() >= 45, "{} cases", cases.len());
    for case in &cases {
        let got = run(&case.input, &case.limits);
        let (variant, message) = match &got {
            Err(ChartError::BadRequest(m) | ChartError::Code(m)) => (Want::Bad, m),
            Err(ChartError::LimitExceeded(m)) => (Want::Limit, m),
            Ok(req) => panic!("{}: accepted as {req:?}", case.name),
        };
        assert_eq!(variant, case.want, "{}: {message}", case.name);
        assert!(
            message.contains(case.needle),
            "{}: {message:?} lacks {:?}",
            case.name,
            case.needle
        );
        assert!(
            message.len() > 15 && message.len() < 600,
            "{}: {message:?}",
            case.name
        );
    }
}

/// A small xorshift generator: deterministic, no crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEED_CONFIG: &str = r#"{
  type: 'line', // a comment
  data: {
    labels: ['Jan', 'Feb', 2021, null, ['two', 'lines']],
    datasets: [{
      label: 'Sales', data: [1, -2.5, .5, 0x1F, null, {x: 'Feb', y: 3}],
      backgroundColor: ['rgba(255, 99, 132, 0.2)', '#36a2eb', 'hsl(120, 50%, 50%)'],
      borderColor: "rgb(255 99 132 / 50%)", borderDash: [5, 2], fill: 'start',
      tension: 0.3, stepped: 'middle', pointStyle: 'star', pointRadius: 4, type: 'bar',
    }, {label: "B\u00e9\n", data: [{x: 1, y: 2, r: 3}], hidden: true, stack: 's'}],
  },
  options: {
    indexAxis: 'y', cutout: '50%', layout: {padding: {left: 3}},
    plugins: {title: {display: true, text: ['a', 'b'], font: {size: 14, weight: 'bold'}},
              legend: {position: 'bottom', labels: {color: '#333'}}},
    title: {display: true, text: 'v2', fontSize: 9},
    scales: {x: {stacked: true, min: 'Feb'}, y: {type: 'logarithmic', title: {display: true, text: 'y'}},
             xAxes: [{ticks: {beginAtZero: true}}], yAxes: [{scaleLabel: {display: true, labelString: 'q'}}]},
  }
}"#;

const INSERTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "'",
    "\"",
    "\\",
    "/",
    "*",
    "//",
    "/*",
    "\n",
    " ",
    "-",
    "+",
    ".",
    "e",
    "0x",
    "1e999",
    "NaN",
    "null",
    "true",
    "=>",
    "function",
    "new ",
    "`",
    "(",
    ")",
    "é",
    "\u{0}",
    "\u{feff}",
    "\\u",
    "\\x",
    "[[[[[[[[",
    "{a:{b:{c:",
    "'#zzz'",
    "undefined",
    "9",
    "0",
    "type",
    "data",
];

fn mutate(rng: &mut Rng, text: &[char]) -> Vec<char> {
    let mut out = text.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(out.len() + 1);
        match rng.below(4) {
            0 if !out.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(out.len());
                out.drain(at.min(end)..end);
            }
            1 => {
                let insert = INSERTS[rng.below(INSERTS.len())];
                out.splice(at..at, insert.chars());
            }
            2 if !out.is_empty() => {
                let from = rng.below(out.len());
                let len = rng.below(20).min(out.len() - from);
                let piece: Vec<char> = out[from..from + len].to_vec();
                out.splice(at..at, piece);
            }
            _ if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] = char::from(b' ' + rng.below(95) as u8);
            }
            _ => {}
        }
    }
    out
}

#[test]
fn mutated_configs_never_panic() {
    let limits = Limits {
        max_depth: 8,
        max_string_chars: 40,
        ..Limits::default()
    };
    let seed: Vec<char> = SEED_CONFIG.chars().collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for round in 0..4000 {
        let text: String = mutate(&mut rng, &seed).into_iter().collect();
        let version = ["2", "3", "4"][round % 3];
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("c", &text).append_pair("v", version);
            let get = from_query(&q.finish(), &limits);
            let body = serde_json::json!({"chart": text, "version": version}).to_string();
            let _ = from_post(body.as_bytes(), &limits);
            let _ = from_post(text.as_bytes(), &limits);
            get.is_ok()
        }));
        match outcome {
            Ok(ok) => accepted += usize::from(ok),
            Err(_) => panic!("round {round} panicked on {text:?}"),
        }
    }
    // The loop must exercise the accepting paths too, not only the errors.
    assert!(accepted > 100, "only {accepted} mutants were accepted");
}

#[test]
fn mutated_parameters_never_panic() {
    let mut rng = Rng(42);
    let limits = Limits::default();
    let values = [
        "0", "-1", "1e9", "4097", "2.5", "", "%FF", "abc", "10", "0.0001", "+3", "1e-9", "4096",
    ];
    for round in 0..2000 {
        let pick = |rng: &mut Rng| values[rng.below(values.len())];
        let query = format!(
            "c={BAR}&w={}&h={}&devicePixelRatio={}&bkg={}&v={}&f=png&encoding=url",
            pick(&mut rng),
            pick(&mut rng),
            pick(&mut rng),
            pick(&mut rng),
            pick(&mut rng)
        );
        let outcome = catch_unwind(AssertUnwindSafe(|| from_query(&query, &limits).is_ok()));
        assert!(outcome.is_ok(), "round {round} panicked on {query}");
    }
}
