//! The cache-key contract at the library level: spellings of one picture
//! share one key, and requests whose pictures differ never do. Each row is a
//! pair of requests through the public API (`params::from_query` /
//! `params::from_post`, then `ChartKey::of`).

use base64::Engine;
use chartgate::chart::params::{from_post, from_query};
use chartgate::chart::ChartKey;
use chartgate::config::Limits;
use serde_json::json;

/// One request as a client would send it.
enum Req {
    Get(Vec<(String, String)>),
    Post(String),
}

fn get(config: &str, extra: &[(&str, &str)]) -> Req {
    let mut pairs = vec![("c".to_owned(), config.to_owned())];
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Req::Get(pairs)
}

/// A GET whose parameters are given in full, in order (no implicit `c`).
fn get_pairs(pairs: &[(&str, &str)]) -> Req {
    Req::Get(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn post(body: serde_json::Value) -> Req {
    Req::Post(body.to_string())
}

fn key(name: &str, req: &Req) -> ChartKey {
    let limits = Limits::default();
    let parsed = match req {
        Req::Get(pairs) => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                q.append_pair(k, v);
            }
            from_query(&q.finish(), &limits)
        }
        Req::Post(body) => from_post(body.as_bytes(), &limits),
    };
    ChartKey::of(&parsed.unwrap_or_else(|e| panic!("{name}: {e}")))
}

const JSON: &str = r##"{"type":"bar","data":{"labels":["a","b"],"datasets":[{"label":"n","data":[1,2.5],"backgroundColor":"#FFF"}]}}"##;
const LITERAL: &str =
    "{data:{datasets:[{data:[1.0,25e-1],backgroundColor:'white',label:'n',}],labels:['a','b']},type:'bar'} // pasted";
const LINE: &str =
    r#"{"type":"line","data":{"labels":["a","b","c"],"datasets":[{"label":"l","data":[3,1,2]}]}}"#;

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn b64_url(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

fn bar_with(dataset_extra: &str, options: &str) -> String {
    format!(
        "{{type:'bar',data:{{labels:['a','b'],datasets:[{{label:'n',data:[1,2]{dataset_extra}}}]}},options:{{{options}}}}}"
    )
}

fn line_with(dataset_extra: &str, options: &str) -> String {
    format!(
        "{{type:'line',data:{{labels:['a','b','c'],datasets:[{{label:'l',data:[3,1,2]{dataset_extra}}}]}},options:{{{options}}}}}"
    )
}

fn same_rows() -> Vec<(&'static str, Req, Req)> {
    let object: serde_json::Value = serde_json::from_str(JSON).unwrap();
    vec![
        ("keys in another order", get(JSON, &[]), get(r##"{"data":{"datasets":[{"backgroundColor":"#FFF","data":[1,2.5],"label":"n"}],"labels":["a","b"]},"type":"bar"}"##, &[])),
        ("1 and 1.0", get(&bar_with("", ""), &[]), get(&bar_with("", "").replace("[1,2]", "[1.0,2.0]"), &[])),
        ("1 and 1e0", get(&bar_with("", ""), &[]), get(&bar_with("", "").replace("[1,2]", "[1e0,0.2e1]"), &[])),
        ("hex and JS number forms", get(&bar_with("", ""), &[]), get(&bar_with("", "").replace("[1,2]", "[0x1,+2.]"), &[])),
        ("numeric strings in data", get(&bar_with("", ""), &[]), get(&bar_with("", "").replace("[1,2]", "['1','2']"), &[])),
        ("-0 and 0", get(&bar_with("", "").replace("[1,2]", "[0,2]"), &[]), get(&bar_with("", "").replace("[1,2]", "[-0,2]"), &[])),
        ("number and string label", get(&bar_with("", "").replace("['a','b']", "[1,2]"), &[]), get(&bar_with("", "").replace("['a','b']", "['1',2.0]"), &[])),
        ("bkg #FFF and #ffffff", get(JSON, &[("bkg", "#FFF")]), get(JSON, &[("bkg", "#ffffff")])),
        ("bkg #FFF and rgb()", get(JSON, &[("bkg", "#FFF")]), get(JSON, &[("bkg", "rgb(255,255,255)")])),
        ("bkg white and #fff", get(JSON, &[("bkg", "white")]), get(JSON, &[("bkg", "#fff")])),
        ("bkg hsl and named", get(JSON, &[("bkg", "hsl(0, 0%, 100%)")]), get(JSON, &[("bkg", " WHITE ")])),
        ("bkg transparent given or not", get(JSON, &[("bkg", "transparent")]), get(JSON, &[])),
        ("bkg any clear color", get(JSON, &[("bkg", "rgba(255,0,0,0)")]), get(JSON, &[])),
        ("dataset color spellings", get(&bar_with(",backgroundColor:'#FFF'", ""), &[]), get(&bar_with(",backgroundColor:'rgb(255 255 255 / 100%)'", ""), &[])),
        ("border color spellings", get(&bar_with(",borderColor:'red'", ""), &[]), get(&bar_with(",borderColor:'#ff0000ff'", ""), &[])),
        ("one color per point or once", get(&bar_with(",backgroundColor:['red','red']", ""), &[]), get(&bar_with(",backgroundColor:'red'", ""), &[])),
        ("default palette given explicitly (v2: QuickChart's Tableau10)", get(&bar_with("", ""), &[]), get(&bar_with(",backgroundColor:'#4E79A7',borderColor:'rgba(0,0,0,0.1)'", ""), &[])),
        ("default palette given explicitly (v4: the Colors plugin)", get(&bar_with("", ""), &[("v", "4")]), get(&bar_with(",borderColor:'rgb(54, 162, 235)',backgroundColor:'rgba(54, 162, 235, 0.5)'", ""), &[("v", "4")])),
        ("width 500 given or not", get(JSON, &[("w", "500")]), get(JSON, &[])),
        ("height 300 given or not", get(JSON, &[("h", "300")]), get(JSON, &[])),
        ("ratio 2 given or not", get(JSON, &[("devicePixelRatio", "2")]), get(JSON, &[])),
        ("format png given or not", get(JSON, &[("f", "png")]), get(JSON, &[])),
        ("version 2 given or not", get(LINE, &[("v", "2")]), get(LINE, &[])),
        ("version 2.9.4 is 2", get(LINE, &[("v", "2.9.4")]), get(LINE, &[])),
        // (Colors given: Chart.js 4's Colors plugin colors what 3 leaves grey.)
        ("version 4 reads as 3", get(&line_with(",borderColor:'red',backgroundColor:'blue'", ""), &[("v", "4")]), get(&line_with(",borderColor:'red',backgroundColor:'blue'", ""), &[("v", "3.x")])),
        ("encoding url given or not", get(JSON, &[("encoding", "url")]), get(JSON, &[])),
        ("legend display true given or not", get(&bar_with("", "legend:{display:true,position:'top'}"), &[]), get(&bar_with("", ""), &[])),
        ("title hidden or absent", get(&bar_with("", "title:{display:false,text:'T'}"), &[]), get(&bar_with("", ""), &[])),
        ("v2 line straight (QuickChart) given or not", get(&line_with(",lineTension:0,fill:true", ""), &[]), get(LINE, &[])),
        ("v3 line tension 0 given or not", get(&line_with(",tension:0,fill:false", ""), &[("v", "3")]), get(LINE, &[("v", "3")])),
        ("bar begins at zero given or not", get(&bar_with("", "scales:{yAxes:[{ticks:{beginAtZero:true}}]}"), &[]), get(&bar_with("", ""), &[])),
        ("point radius 3 given or not", get(&line_with(",pointRadius:3", ""), &[]), get(&line_with("", ""), &[])),
        // QuickChart returns the config from a function: a closing `;` is fine.
        ("a closing semicolon or not", get(&format!("{LINE};\n"), &[]), get(LINE, &[])),
        ("point border width 1 given or not", get(&line_with(",pointBorderWidth:1", ""), &[]), get(&line_with("", ""), &[])),
        ("alias c and chart", get_pairs(&[("chart", JSON)]), get_pairs(&[("c", JSON)])),
        ("alias w/h and width/height", get(JSON, &[("w", "640"), ("h", "480")]), get(JSON, &[("width", "640"), ("height", "480")])),
        ("alias bkg/f/v and long names", get(LINE, &[("bkg", "red"), ("f", "svg"), ("v", "3")]), get(LINE, &[("backgroundColor", "red"), ("format", "svg"), ("version", "3")])),
        ("parameters in another order", get_pairs(&[("w", "640"), ("c", JSON), ("f", "svg")]), get_pairs(&[("f", "svg"), ("c", JSON), ("w", "640")])),
        ("JSON and object literal", get(JSON, &[]), get(LITERAL, &[])),
        ("comments and trailing commas", get(&bar_with("", ""), &[]), get(&format!("/* c */ {} // end", bar_with(",", "").replace("[1,2]", "[1,2,]")), &[])),
        ("base64 and url", get(&b64(JSON), &[("encoding", "base64")]), get(JSON, &[])),
        ("url-safe base64 without padding", get(&b64_url(LITERAL), &[("encoding", "base64")]), get(JSON, &[])),
        ("GET and POST string chart", post(json!({"chart": JSON})), get(JSON, &[])),
        ("GET and POST object chart", post(json!({"chart": object, "width": 500, "backgroundColor": "transparent", "version": "2"})), get(JSON, &[])),
        ("POST numbers as strings", post(json!({"chart": LITERAL, "width": "640", "devicePixelRatio": "1.0"})), get(JSON, &[("w", "640"), ("devicePixelRatio", "1")])),
        ("POST base64 chart", post(json!({"chart": b64(JSON), "encoding": "base64", "format": "svg"})), get(JSON, &[("f", "svg")])),
        ("ignored parameters", get(JSON, &[("ref", "dash"), ("utm_source", "x"), ("key", "k")]), get(JSON, &[])),
        ("QuickChart's donut is a doughnut", get("{type:'donut',data:{datasets:[{data:[1,2]}]}}", &[]), get("{type:'doughnut',data:{datasets:[{data:[1,2]}]}}", &[])),
        // (Axis options are not among them: Chart.js 2 draws the axes a
        // pie's `scales` name behind it, so such a pie goes to Chart.js.)
        ("options no still picture shows", get("{type:'pie',data:{datasets:[{data:[1,2]}]}}", &[]), get("{type:'pie',data:{datasets:[{data:[1,2]}]},options:{responsive:true,animation:{duration:0},tooltips:{enabled:false},hover:{mode:'nearest'}}}", &[])),
        ("unknown options ignored", get(&bar_with(",hoverBackgroundColor:'red'", "responsive:true,animation:{duration:0}"), &[]), get(&bar_with("", ""), &[])),
        ("scatter ignores line options", get("{type:'scatter',data:{datasets:[{data:[{x:1,y:2}],tension:0.8,fill:true}]}}", &[]), get("{type:'scatter',data:{datasets:[{data:[{x:1,y:2}]}]}}", &[])),
        ("null and undefined", get(&bar_with("", "").replace("[1,2]", "[null,2]"), &[]), get(&bar_with("", "").replace("[1,2]", "[undefined,2]"), &[])),
        ("duplicate key, last wins", get(&bar_with("", ""), &[]), get(&bar_with("", "").replace("label:'n'", "label:'x',label:'n'"), &[])),
    ]
}

fn different_rows() -> Vec<(&'static str, Req, Req)> {
    vec![
        (
            "a v2 zero line in another color",
            get(
                &bar_with("", "scales:{yAxes:[{gridLines:{zeroLineColor:'red'}}]}"),
                &[],
            ),
            get(&bar_with("", ""), &[]),
        ),
        (
            "different data",
            get(JSON, &[]),
            get(&JSON.replace("2.5", "3"), &[]),
        ),
        (
            "gap and zero",
            get(&bar_with("", "").replace("[1,2]", "[null,2]"), &[]),
            get(&bar_with("", "").replace("[1,2]", "[0,2]"), &[]),
        ),
        (
            "different title",
            get(&bar_with("", "title:{display:true,text:'A'}"), &[]),
            get(&bar_with("", "title:{display:true,text:'B'}"), &[]),
        ),
        (
            "title shown or not",
            get(&bar_with("", "title:{display:true,text:'A'}"), &[]),
            get(&bar_with("", ""), &[]),
        ),
        (
            "different dataset label",
            get(JSON, &[]),
            get(&JSON.replace("\"n\"", "\"m\""), &[]),
        ),
        (
            "different category labels",
            get(&bar_with("", ""), &[]),
            get(&bar_with("", "").replace("['a','b']", "['a','c']"), &[]),
        ),
        (
            "two lines or one",
            get(
                &bar_with("", "").replace("['a','b']", "[['a','x'],'b']"),
                &[],
            ),
            get(&bar_with("", "").replace("['a','b']", "['a x','b']"), &[]),
        ),
        ("width", get(JSON, &[]), get(JSON, &[("w", "501")])),
        ("height", get(JSON, &[]), get(JSON, &[("h", "301")])),
        (
            "device pixel ratio",
            get(JSON, &[]),
            get(JSON, &[("devicePixelRatio", "1")]),
        ),
        ("format", get(JSON, &[]), get(JSON, &[("f", "svg")])),
        ("background", get(JSON, &[]), get(JSON, &[("bkg", "white")])),
        (
            "background alpha",
            get(JSON, &[("bkg", "white")]),
            get(JSON, &[("bkg", "rgba(255,255,255,0.5)")]),
        ),
        (
            "chart type",
            get(&bar_with("", ""), &[]),
            get(&bar_with("", "").replace("'bar'", "'line'"), &[]),
        ),
        (
            "pie and doughnut",
            get("{type:'pie',data:{datasets:[{data:[1,2]}]}}", &[]),
            get("{type:'doughnut',data:{datasets:[{data:[1,2]}]}}", &[]),
        ),
        (
            "dataset color",
            get(&bar_with(",backgroundColor:'red'", ""), &[]),
            get(&bar_with(",backgroundColor:'blue'", ""), &[]),
        ),
        (
            "per-point colors",
            get(&bar_with(",backgroundColor:['red','blue']", ""), &[]),
            get(&bar_with(",backgroundColor:['blue','red']", ""), &[]),
        ),
        (
            "v2 and v3 line defaults",
            get(LINE, &[("v", "2")]),
            get(LINE, &[("v", "3")]),
        ),
        // Even with the same colors, zero and zero line given, Chart.js 2
        // and 3 print tick labels by their own rules (2's `toFixed` writes
        // 5000 where 3's `Intl` writes 5,000), so the spellings differ.
        (
            "horizontalBar v2 and indexAxis y v3",
            get(&bar_with(",backgroundColor:'red',borderColor:'blue'", "scales:{xAxes:[{ticks:{beginAtZero:true},gridLines:{zeroLineColor:'rgba(0,0,0,0.1)'}}],yAxes:[{gridLines:{zeroLineColor:'rgba(0,0,0,0.1)'}}]}").replace("'bar'", "'horizontalBar'"), &[]),
            get(&bar_with(",backgroundColor:'red',borderColor:'blue'", "indexAxis:'y'"), &[("v", "3")]),
        ),
        (
            "horizontal and vertical bar",
            get(&bar_with("", "").replace("'bar'", "'horizontalBar'"), &[]),
            get(&bar_with("", ""), &[]),
        ),
        (
            "v3 indexAxis",
            get(&bar_with("", "indexAxis:'y'"), &[("v", "3")]),
            get(&bar_with("", ""), &[("v", "3")]),
        ),
        (
            "stacked or not",
            get(
                &bar_with("", "scales:{xAxes:[{stacked:true}],yAxes:[{stacked:true}]}"),
                &[],
            ),
            get(&bar_with("", ""), &[]),
        ),
        (
            "legend hidden",
            get(&bar_with("", "legend:{display:false}"), &[]),
            get(&bar_with("", ""), &[]),
        ),
        (
            "legend position",
            get(&bar_with("", "legend:{position:'bottom'}"), &[]),
            get(&bar_with("", ""), &[]),
        ),
        (
            "axis minimum",
            get(&bar_with("", "scales:{yAxes:[{ticks:{min:1}}]}"), &[]),
            get(&bar_with("", ""), &[]),
        ),
        (
            "logarithmic axis",
            get(&line_with("", "scales:{yAxes:[{type:'logarithmic'}]}"), &[]),
            get(LINE, &[]),
        ),
        (
            "axis title",
            get(
                &line_with(
                    "",
                    "scales:{yAxes:[{scaleLabel:{display:true,labelString:'rpm'}}]}",
                ),
                &[],
            ),
            get(LINE, &[]),
        ),
        (
            "hidden dataset",
            get(&bar_with(",hidden:true", ""), &[]),
            get(&bar_with("", ""), &[]),
        ),
        (
            "border dash",
            get(&line_with(",borderDash:[5,5]", ""), &[]),
            get(LINE, &[]),
        ),
        (
            "border width",
            get(&bar_with(",borderWidth:2", ""), &[]),
            get(&bar_with("", ""), &[]),
        ),
        (
            "fill in v3",
            get(&line_with(",fill:true", ""), &[("v", "3")]),
            get(LINE, &[("v", "3")]),
        ),
        (
            "tension",
            get(&line_with(",lineTension:0.4", ""), &[]),
            get(LINE, &[]),
        ),
        (
            "stepped",
            get(&line_with(",steppedLine:true", ""), &[]),
            get(LINE, &[]),
        ),
        (
            "point style",
            get(&line_with(",pointStyle:'star'", ""), &[]),
            get(LINE, &[]),
        ),
        (
            "point radius",
            get(&line_with(",pointRadius:0", ""), &[]),
            get(LINE, &[]),
        ),
        (
            "dataset order",
            get("{type:'bar',data:{datasets:[{data:[1]},{data:[2]}]}}", &[]),
            get("{type:'bar',data:{datasets:[{data:[2]},{data:[1]}]}}", &[]),
        ),
        (
            "doughnut cutout",
            get("{type:'doughnut',data:{datasets:[{data:[1,2]}]}}", &[]),
            get(
                "{type:'doughnut',data:{datasets:[{data:[1,2]}]},options:{cutoutPercentage:70}}",
                &[],
            ),
        ),
        (
            "GET and POST of different charts",
            post(json!({"chart": JSON})),
            get(&JSON.replace("2.5", "2.6"), &[]),
        ),
        (
            "mixed chart dataset type",
            get(
                "{type:'bar',data:{datasets:[{data:[1]},{type:'line',data:[2]}]}}",
                &[],
            ),
            get("{type:'bar',data:{datasets:[{data:[1]},{data:[2]}]}}", &[]),
        ),
    ]
}

#[test]
fn spellings_of_one_chart_share_one_key() {
    let rows = same_rows();
    assert!(rows.len() >= 25, "{} rows", rows.len());
    for (name, a, b) in &rows {
        assert_eq!(
            key(name, a),
            key(name, b),
            "{name}: the two spellings must share a key"
        );
    }
}

#[test]
fn different_pictures_never_share_a_key() {
    let rows = different_rows();
    assert!(rows.len() >= 25, "{} rows", rows.len());
    for (name, a, b) in &rows {
        assert_ne!(
            key(name, a),
            key(name, b),
            "{name}: the two pictures differ"
        );
    }
}

#[test]
fn keys_are_stable_across_calls() {
    for (name, a, _) in same_rows().iter().chain(different_rows().iter()) {
        assert_eq!(key(name, a), key(name, a), "{name}");
    }
}
