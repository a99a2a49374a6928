//! `GET /openapi.json` stays true: every operation in the document answers
//! as it describes (status, content type, JSON fields, error shape), every
//! method it leaves out of a path is a 405 naming the ones it lists, unknown
//! paths are 404, and every route literal in `src/http/*.rs` is a documented
//! path, so a new route cannot ship undocumented.

mod common;

use bytes::Bytes;
use chartgate::config::{Config, OriginConfig};
use chartgate::render::PlottersRenderer;
use common::origin::FastApi;
use common::{request, Resp, Server};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;

const TOKEN: &str = "openapi-test-token";
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

fn doc() -> Value {
    serde_json::from_str(chartgate::http::OPENAPI).expect("openapi.json is JSON")
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = doc
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling $ref {r}"));
            resolve(doc, target)
        }
        None => v,
    }
}

/// One operation: a path template and a method, with the operation object.
struct Op {
    template: String,
    method: String,
    op: Value,
}

fn operations(doc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if METHODS.contains(&method.to_uppercase().as_str()) {
                ops.push(Op {
                    template: template.clone(),
                    method: method.to_uppercase(),
                    op: op.clone(),
                });
            }
        }
    }
    // Purging the cache last keeps the charts the other operations use.
    ops.sort_by_key(|o| o.method == "DELETE");
    ops
}

fn documented_methods(doc: &Value, template: &str) -> BTreeSet<String> {
    doc["paths"][template]
        .as_object()
        .expect("path item")
        .keys()
        .map(|m| m.to_uppercase())
        .filter(|m| METHODS.contains(&m.as_str()))
        .collect()
}

fn documented_statuses(op: &Op) -> BTreeSet<u16> {
    op.op["responses"]
        .as_object()
        .expect("responses")
        .keys()
        .map(|k| k.parse().expect("numeric status"))
        .collect()
}

fn is_secured(op: &Op) -> bool {
    op.op["security"]
        .as_array()
        .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()))
}

/// The path with `{id}`/`{key}` filled with a real chart key.
fn concrete(template: &str, id: &str) -> String {
    template
        .replace("{id}", id)
        .replace("{key}", id)
        .replace("{origin}", "reports")
        .replace("{path}", "chart.png")
}

/// The example query of an operation: every query parameter with an example.
fn example_query(doc: &Value, op: &Op) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for p in op.op["parameters"].as_array().into_iter().flatten() {
        let p = resolve(doc, p);
        if p["in"] == "query" {
            if let Some(ex) = p.get("example") {
                let text = ex.as_str().map_or_else(|| ex.to_string(), str::to_owned);
                q.append_pair(p["name"].as_str().unwrap(), &text);
            }
        }
    }
    q.finish()
}

fn example_body(doc: &Value, op: &Op) -> Bytes {
    match op.op.get("requestBody") {
        Some(b) => {
            Bytes::from(resolve(doc, b)["content"]["application/json"]["example"].to_string())
        }
        None => Bytes::new(),
    }
}

async fn call(server: &Server, op: &Op, path: &str, body: Bytes, auth: bool) -> Resp {
    let bearer = format!("Bearer {TOKEN}");
    let mut headers = vec![("content-type", "application/json")];
    if auth {
        headers.push(("authorization", bearer.as_str()));
    }
    request(server.addr, &op.method, path, &headers, body).await
}

/// The response agrees with the document: a listed status, a listed content
/// type, the listed JSON fields; errors in the contract's JSON shape.
fn check_response(doc: &Value, op: &Op, resp: &Resp, what: &str) {
    let status = resp.status.as_u16();
    assert!(
        documented_statuses(op).contains(&status),
        "{what}: {status} is not documented; body {:?}",
        String::from_utf8_lossy(&resp.body)
    );
    let described = resolve(doc, &op.op["responses"][status.to_string()]);
    if status >= 400 && op.method != "HEAD" {
        let err = resp.json();
        let codes = &doc["components"]["schemas"]["Error"]["properties"]["error"]["enum"];
        assert!(
            codes.as_array().unwrap().contains(&err["error"]),
            "{what}: undocumented error code {}",
            err["error"]
        );
        assert!(err["message"].is_string(), "{what}: no message");
        assert!(!resp.header("x-quickchart-error").is_empty(), "{what}");
    }
    let Some(content) = described.get("content").and_then(Value::as_object) else {
        return;
    };
    if op.method == "HEAD" || resp.status == 304 {
        return;
    }
    let media = resp.header("content-type");
    let base = media.split(';').next().unwrap_or_default().trim();
    let (_, c) = content
        .iter()
        .find(|(k, _)| k.split(';').next().unwrap_or_default().trim() == base)
        .unwrap_or_else(|| panic!("{what}: content type {media} is not documented"));
    if base == "application/json" {
        check_fields(doc, &c["schema"], &resp.json(), what);
    }
}

/// Required fields and string enums, recursively: enough to catch a field
/// renamed or dropped without a JSON Schema engine.
fn check_fields(doc: &Value, schema: &Value, value: &Value, what: &str) {
    let schema = resolve(doc, schema);
    for key in schema["required"].as_array().into_iter().flatten() {
        let key = key.as_str().unwrap();
        assert!(
            value.get(key).is_some(),
            "{what}: field {key} missing in {value}"
        );
    }
    if let (Some(allowed), Some(s)) = (schema["enum"].as_array(), value.as_str()) {
        assert!(
            allowed.iter().any(|a| a == s),
            "{what}: {s} not in {allowed:?}"
        );
    }
    for (key, sub) in schema["properties"].as_object().into_iter().flatten() {
        if let Some(v) = value.get(key) {
            check_fields(doc, sub, v, &format!("{what}.{key}"));
        }
    }
}

/// A gateway fronting the real FastAPI origin as `reports` (GET and POST),
/// so `/o/{origin}/{path}` answers as documented too. Keep the origin alive
/// as long as the server.
async fn start(token: Option<&str>) -> (Server, FastApi) {
    let origin = FastApi::start().await;
    let mut config = Config::default();
    config.admin.token = token.map(str::to_owned);
    config.origin = vec![OriginConfig {
        name: "reports".into(),
        url: origin.url(),
        methods: vec!["GET".into(), "POST".into()],
        ..OriginConfig::default()
    }];
    let server = Server::start(config, Arc::new(PlottersRenderer::new())).await;
    (server, origin)
}

/// A chart stored through `/chart/create`: its ID fills `{id}` and `{key}`.
async fn created_id(server: &Server) -> String {
    let body = r#"{"chart": {"type": "bar", "data": {"datasets": [{"data": [1, 2]}]}}}"#;
    let created = server.post("/chart/create", body).await.json();
    let url = created["url"].as_str().expect("url").to_owned();
    url.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_served_and_well_formed() {
    let (server, _origin) = start(None).await;
    let resp = server.get("/openapi.json").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), "application/json");
    let doc = doc();
    assert_eq!(resp.json(), doc);
    assert_eq!(doc["openapi"], "3.0.3");
    let mut ids = BTreeSet::new();
    for op in operations(&doc) {
        let id = op.op["operationId"].as_str().expect("operationId");
        assert!(ids.insert(id.to_owned()), "operationId {id} twice");
        for (_, r) in op.op["responses"].as_object().unwrap() {
            resolve(&doc, r);
        }
        for p in op.op["parameters"].as_array().into_iter().flatten() {
            resolve(&doc, p);
        }
    }
    server.stop().await;
}

/// Every documented operation, with its examples (and the token where it
/// needs one), answers 2xx as described; without the token, 401 as described.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_as_described() {
    let (server, _origin) = start(Some(TOKEN)).await;
    let id = created_id(&server).await;
    let doc = doc();
    for op in operations(&doc) {
        let path = concrete(&op.template, &id);
        let query = example_query(&doc, &op);
        let target = if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{query}")
        };
        let what = format!("{} {}", op.method, op.template);
        let resp = call(&server, &op, &target, example_body(&doc, &op), true).await;
        assert!(resp.status.is_success(), "{what}: {}", resp.status);
        check_response(&doc, &op, &resp, &what);
        if is_secured(&op) {
            let resp = call(&server, &op, &target, example_body(&doc, &op), false).await;
            assert_eq!(resp.status, 401, "{what} without the token");
            check_response(&doc, &op, &resp, &format!("{what} without the token"));
        }
    }
    server.stop().await;
}

/// Documented errors come back as documented: bad input, unknown IDs, and,
/// with no admin token configured, admin routes off and analytics open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_errors_answer_as_described() {
    let (server, _origin) = start(None).await;
    let doc = doc();
    let zeros = "0".repeat(64);
    for op in operations(&doc) {
        let path = concrete(&op.template, &zeros);
        let what = format!("{} {} (no token configured)", op.method, op.template);
        let resp = call(&server, &op, &path, example_body(&doc, &op), false).await;
        check_response(&doc, &op, &resp, &what);
        if op.template.starts_with("/cache") {
            assert_eq!(resp.status, 404, "{what}: admin routes are off");
        }
    }
    let bad = Op {
        template: "/chart".into(),
        method: "GET".into(),
        op: doc["paths"]["/chart"]["get"].clone(),
    };
    for q in [
        "c=function(){}",
        "c={type:'bar'}&w=0",
        "c={type:'bar'}&w=5000",
        "w=1",
    ] {
        let resp = call(&server, &bad, &format!("/chart?{q}"), Bytes::new(), false).await;
        assert!(resp.status.is_client_error(), "{q}");
        check_response(&doc, &bad, &resp, q);
    }
    let long = format!("/chart?c={}", "x".repeat(20_000));
    let resp = call(&server, &bad, &long, Bytes::new(), false).await;
    assert_eq!(resp.status, 414);
    check_response(&doc, &bad, &resp, "long URL");
    // Refused while the request head is read, before any route.
    let longer = format!("/chart?c={}", "x".repeat(40_000));
    let pad = "a".repeat(30_000);
    let resp = request(
        server.addr,
        "GET",
        &longer,
        &[("x-pad", &pad)],
        Bytes::new(),
    )
    .await;
    assert_eq!(resp.status, 414);
    check_response(&doc, &bad, &resp, "URL over the head limit");
    let fields: Vec<(String, String)> = (0..101).map(|i| (format!("x-h{i}"), "v".into())).collect();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let resp = request(server.addr, "GET", "/chart?c={}", &fields, Bytes::new()).await;
    assert_eq!(resp.status, 431);
    check_response(&doc, &bad, &resp, "101 header fields");
    server.stop().await;
}

/// A method the document leaves out of a path is 405 with `Allow` listing
/// exactly the documented methods; a path it does not list is 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undocumented_methods_and_paths_are_refused() {
    let (server, _origin) = start(Some(TOKEN)).await;
    let doc = doc();
    let auth = format!("Bearer {TOKEN}");
    let headers = [("authorization", auth.as_str())];
    for template in doc["paths"].as_object().unwrap().keys() {
        let path = concrete(template, &"0".repeat(64));
        let listed = documented_methods(&doc, template);
        for method in METHODS.iter().filter(|m| !listed.contains(**m)) {
            let resp = request(server.addr, method, &path, &headers, Bytes::new()).await;
            assert_eq!(resp.status, 405, "{method} {template}");
            let allow: BTreeSet<String> = resp
                .header("allow")
                .split(',')
                .map(|m| m.trim().to_owned())
                .collect();
            assert_eq!(allow, listed, "Allow of {template}");
        }
    }
    for path in [
        "/",
        "/chart/",
        "/charts",
        "/CHART",
        "/api/chart",
        "/chart/create/x",
        "/chart/render",
        "/healthz/x",
        "/metrics.txt",
        "/openapi.yaml",
        "/cachex",
        "/stats/x",
        "/.env",
    ] {
        for method in ["GET", "POST"] {
            let resp = request(server.addr, method, path, &headers, Bytes::new()).await;
            assert_eq!(resp.status, 404, "{method} {path}");
            assert_eq!(resp.json()["error"], "not_found");
        }
    }
    server.stop().await;
}

/// Every path literal the HTTP code and the route table (`src/labels.rs`)
/// match on is a documented path (or the fixed part of a templated one:
/// `/chart/render` of `/chart/render/{id}`).
#[test]
fn every_route_in_the_code_is_documented() {
    let doc = doc();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("labels.rs")];
    for entry in std::fs::read_dir(root.join("http")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut found = 0;
    for file in files {
        if file.extension() != Some(std::ffi::OsStr::new("rs")) {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        // Unit tests try paths that are not routes on purpose.
        let source = source.split("#[cfg(test)]").next().unwrap();
        for literal in path_literals(source) {
            found += 1;
            let fixed_part = if literal.ends_with('/') {
                literal.clone()
            } else {
                format!("{literal}/")
            };
            let documented = paths
                .iter()
                .any(|p| *p == &literal || (p.starts_with(&fixed_part) && p.ends_with('}')));
            assert!(
                documented,
                "{literal} in {} is not in openapi.json",
                file.display()
            );
        }
    }
    assert!(
        found >= 7,
        "only {found} route literals found: the scan is broken"
    );
}

/// String literals that look like paths: `"/` then a lower-case letter, then
/// path characters only, up to the closing quote.
fn path_literals(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in source.match_indices("\"/") {
        let rest = &source[i + 1..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "/._-".contains(c)))
            .map_or(rest.len(), |n| n + 1);
        let literal = &rest[..end];
        let closed = rest[end..].starts_with('"');
        if closed && literal[1..].starts_with(|c: char| c.is_ascii_lowercase()) {
            out.push(literal.to_owned());
        }
    }
    out
}
