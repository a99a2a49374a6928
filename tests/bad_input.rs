//! Bad input over real sockets: every case is a 4xx with the JSON error shape
//! and the message in `X-Quickchart-Error`; none is a 5xx, none takes the
//! process down, and a cached chart is still served, byte for byte, after all
//! of them.

mod common;

use base64::Engine;
use bytes::Bytes;
use chartgate::config::Config;
use common::{bar_chart, chart_path, request, Server};

struct Case {
    name: &'static str,
    method: &'static str,
    path: String,
    body: Bytes,
    status: u16,
    code: &'static str,
}

fn get(
    name: &'static str,
    config: &str,
    extra: &[(&str, &str)],
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        name,
        method: "GET",
        path: chart_path(config, extra),
        body: Bytes::new(),
        status,
        code,
    }
}

/// Large configs go in a POST body (a URL that long would be a 414).
fn post(name: &'static str, config: &str, status: u16, code: &'static str) -> Case {
    let body = serde_json::json!({ "chart": config }).to_string();
    Case {
        name,
        method: "POST",
        path: "/chart".to_owned(),
        body: Bytes::from(body),
        status,
        code,
    }
}

fn raw(
    name: &'static str,
    method: &'static str,
    path: &str,
    body: &[u8],
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        name,
        method,
        path: path.to_owned(),
        body: Bytes::copy_from_slice(body),
        status,
        code,
    }
}

fn cases() -> Vec<Case> {
    let bar = bar_chart("ok");
    let deep = format!(
        "{{type:'bar',data:{{labels:[],datasets:[{{data:{}1{}}}]}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let many_points = format!(
        "{{type:'line',data:{{datasets:[{{data:[{}]}}]}}}}",
        vec!["1"; 100_001].join(",")
    );
    let many_sets = format!(
        "{{type:'line',data:{{datasets:[{}]}}}}",
        vec!["{data:[1]}"; 300].join(",")
    );
    let huge_label = format!(
        "{{type:'bar',data:{{labels:['{}'],datasets:[{{data:[1]}}]}}}}",
        "x".repeat(5000)
    );
    let b64_garbage = base64::engine::general_purpose::STANDARD.encode("{type: bar, ((");
    vec![
        get(
            "malformed JSON",
            "{\"type\": \"bar\",",
            &[],
            400,
            "bad_request",
        ),
        get(
            "unbalanced braces",
            "{type:'bar'}}",
            &[],
            400,
            "bad_request",
        ),
        // Code runs in the script sandbox; code that fails is bad input.
        get(
            "a script that throws",
            "{type:'bar',data:{datasets:[{data:[(() => { throw new Error('boom'); })()]}]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "calling what is not a function",
            "{type:'bar',data:{datasets:[{data:[1]}]},options:{f:(()=>1)()()}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "an invalid date",
            "{type:'line',data:{labels:[new Date(NaN).toISOString()],datasets:[{data:[1]}]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "unterminated template literal",
            "{type:`bar}",
            &[],
            400,
            "bad_request",
        ),
        get("bare identifier", "{type:bar}", &[], 400, "bad_request"),
        get(
            "NaN",
            "{type:'bar',data:{datasets:[{data:[NaN]}]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "Infinity",
            "{type:'bar',data:{datasets:[{data:[Infinity]}]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "overflowing number",
            "{\"type\":\"bar\",\"data\":{\"datasets\":[{\"data\":[1e999]}]}}",
            &[],
            400,
            "bad_request",
        ),
        get("empty config", "", &[], 400, "bad_request"),
        get("config is a number", "42", &[], 400, "bad_request"),
        get("config is an array", "[1,2]", &[], 400, "bad_request"),
        get(
            "unknown chart type",
            "{type:'piechart',data:{datasets:[]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "missing type",
            "{data:{datasets:[{data:[1]}]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "data not an array",
            "{type:'bar',data:{datasets:[{data:'abc'}]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "datasets not an array",
            "{type:'bar',data:{datasets:5}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "bad dataset color",
            "{type:'bar',data:{datasets:[{data:[1],backgroundColor:'notacolor'}]}}",
            &[],
            400,
            "bad_request",
        ),
        get(
            "bad hex color",
            &bar,
            &[("bkg", "#12345")],
            400,
            "bad_request",
        ),
        get(
            "bad rgb color",
            &bar,
            &[("bkg", "rgb(1,2)")],
            400,
            "bad_request",
        ),
        get("width zero", &bar, &[("w", "0")], 400, "bad_request"),
        get("width negative", &bar, &[("w", "-5")], 400, "bad_request"),
        get(
            "width not a number",
            &bar,
            &[("w", "abc")],
            400,
            "bad_request",
        ),
        get(
            "width over max_side",
            &bar,
            &[("w", "99999")],
            422,
            "limit_exceeded",
        ),
        get(
            "height over max_side",
            &bar,
            &[("h", "5000"), ("devicePixelRatio", "1")],
            422,
            "limit_exceeded",
        ),
        get(
            "ratio pushes over max_side",
            &bar,
            &[("w", "3000"), ("devicePixelRatio", "2")],
            422,
            "limit_exceeded",
        ),
        get(
            "too many pixels",
            &bar,
            &[("w", "4096"), ("h", "4096"), ("devicePixelRatio", "1.5")],
            422,
            "limit_exceeded",
        ),
        get(
            "dpr zero",
            &bar,
            &[("devicePixelRatio", "0")],
            400,
            "bad_request",
        ),
        get(
            "dpr huge",
            &bar,
            &[("devicePixelRatio", "100")],
            400,
            "bad_request",
        ),
        get(
            "unsupported format",
            &bar,
            &[("f", "gif")],
            400,
            "bad_request",
        ),
        get(
            "unsupported version",
            &bar,
            &[("v", "9")],
            400,
            "bad_request",
        ),
        post("too many points", &many_points, 422, "limit_exceeded"),
        post("too many datasets", &many_sets, 422, "limit_exceeded"),
        get("huge label", &huge_label, &[], 422, "limit_exceeded"),
        post("deep nesting", &deep, 422, "limit_exceeded"),
        get(
            "invalid base64",
            "!!!not base64!!!",
            &[("encoding", "base64")],
            400,
            "bad_request",
        ),
        get(
            "base64 of garbage",
            &b64_garbage,
            &[("encoding", "base64")],
            400,
            "bad_request",
        ),
        raw(
            "invalid UTF-8 in the query",
            "GET",
            "/chart?c=%FF%FE%FD",
            b"",
            400,
            "bad_request",
        ),
        raw(
            "missing chart parameter",
            "GET",
            "/chart?w=500",
            b"",
            400,
            "bad_request",
        ),
        raw("no query at all", "GET", "/chart", b"", 400, "bad_request"),
        raw(
            "POST body not JSON",
            "POST",
            "/chart",
            b"chart=bar",
            400,
            "bad_request",
        ),
        raw(
            "POST chart is a number",
            "POST",
            "/chart",
            b"{\"chart\": 5}",
            400,
            "bad_request",
        ),
        raw(
            "POST without chart",
            "POST",
            "/chart",
            b"{\"width\": 500}",
            400,
            "bad_request",
        ),
        raw(
            "POST invalid UTF-8",
            "POST",
            "/chart",
            b"{\"chart\": \"\xff\xfe\"}",
            400,
            "bad_request",
        ),
        raw(
            "create with bad chart",
            "POST",
            "/chart/create",
            b"{\"chart\": \"{type:'nope'}\"}",
            400,
            "bad_request",
        ),
        raw(
            "POST body over the limit",
            "POST",
            "/chart",
            &vec![b' '; 2 * 1024 * 1024],
            413,
            "payload_too_large",
        ),
        raw(
            "URL over the limit",
            "GET",
            &format!("/chart?c={}", "x".repeat(20_000)),
            b"",
            414,
            "uri_too_long",
        ),
        raw("unknown route", "GET", "/nope", b"", 404, "not_found"),
        raw(
            "unknown short URL",
            "GET",
            "/chart/render/abc",
            b"",
            404,
            "not_found",
        ),
        raw(
            "DELETE /chart",
            "DELETE",
            "/chart",
            b"",
            405,
            "method_not_allowed",
        ),
        raw(
            "GET /chart/create",
            "GET",
            "/chart/create",
            b"",
            405,
            "method_not_allowed",
        ),
        raw(
            "POST /healthz",
            "POST",
            "/healthz",
            b"",
            405,
            "method_not_allowed",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_is_a_clear_4xx_and_the_cache_survives() {
    let server = Server::start(
        Config::default(),
        std::sync::Arc::new(chartgate::render::PlottersRenderer::new()),
    )
    .await;
    let good = chart_path(&bar_chart("survivor"), &[]);
    let before = server.get(&good).await;
    assert_eq!(before.status, 200);

    let cases = cases();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    for case in cases {
        let resp = request(server.addr, case.method, &case.path, &[], case.body.clone()).await;
        assert_eq!(
            resp.status.as_u16(),
            case.status,
            "{}: {:?}",
            case.name,
            resp.body
        );
        assert_eq!(
            resp.header("content-type"),
            "application/json",
            "{}",
            case.name
        );
        let json = resp.json();
        assert_eq!(json["error"], case.code, "{}: {json}", case.name);
        let message = json["message"].as_str().unwrap_or_default();
        assert!(
            message.len() > 10,
            "{}: message too thin: {message:?}",
            case.name
        );
        assert!(
            !resp.header("x-quickchart-error").is_empty(),
            "{}",
            case.name
        );
        if case.status == 405 {
            assert!(!resp.header("allow").is_empty(), "{}: no Allow", case.name);
        }
    }
    let script = server
        .get(&chart_path(
            "{type:'bar',data:{datasets:[{data:[nothing]}]}}",
            &[],
        ))
        .await
        .json();
    assert!(
        script["message"]
            .as_str()
            .unwrap()
            .contains("ReferenceError: nothing is not defined"),
        "the message is the engine's: {script}"
    );

    let after = server.get(&good).await;
    assert_eq!(after.status, 200);
    assert_eq!(after.header("x-cache"), "hit-memory");
    assert_eq!(after.body, before.body, "the cached chart is intact");
    server.stop().await;
}
