//! Origin mode against the real origin it is for: the FastAPI + matplotlib
//! app of `examples/fastapi-origin`, run by uvicorn, in front of which an
//! in-process gateway (or the binary) serves `/o/reports/…`. What reaches
//! the origin is read from the origin's own counters.

mod common;

use bytes::Bytes;
use chartgate::config::{Config, OriginConfig};
use common::origin::FastApi;
use common::{poll, request, Server};
use std::sync::Arc;

fn origin_config(origin: &FastApi) -> OriginConfig {
    OriginConfig {
        name: "reports".into(),
        url: origin.url(),
        ignore_params: vec!["utm_*".into(), "ref".into(), "_".into()],
        methods: vec!["GET".into(), "POST".into()],
        ..OriginConfig::default()
    }
}

fn config_with(origin: OriginConfig) -> Config {
    let mut config = common::config();
    config.origin = vec![origin];
    config
}

/// An in-process gateway fronting `origin` as configured.
async fn gateway_with(origin: OriginConfig) -> Server {
    let renderer = Arc::new(chartgate::render::PlottersRenderer::new());
    Server::start(config_with(origin), renderer).await
}

async fn gateway(origin: &FastApi) -> Server {
    gateway_with(origin_config(origin)).await
}

const CHART: &str = "/o/reports/chart.png?kind=bar&values=3,1,4,1,5&title=Sales";

#[tokio::test]
async fn the_origin_draws_once_and_every_later_view_is_a_hit() {
    let origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    let first = gw.get(CHART).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    assert_eq!(first.header("content-type"), "image/png");
    assert_eq!(first.header("x-cache"), "miss");
    assert!(first.body.starts_with(b"\x89PNG"));
    let etag = first.header("etag").to_owned();
    assert_eq!(etag.len(), 66, "the key as ETag: {etag}");
    let again = gw.get(CHART).await;
    assert_eq!(again.header("x-cache"), "hit-memory");
    assert_eq!(again.header("cache-status"), "chartgate-memory; hit");
    assert_eq!(
        (again.body.clone(), again.header("etag")),
        (first.body.clone(), &*etag)
    );
    let head = request(gw.addr, "HEAD", CHART, &[], Bytes::new()).await;
    assert_eq!((head.status.as_u16(), head.body.len()), (200, 0));
    assert_eq!(head.header("content-length"), first.body.len().to_string());
    let revalidate = request(
        gw.addr,
        "GET",
        CHART,
        &[("if-none-match", &etag)],
        Bytes::new(),
    )
    .await;
    assert_eq!(revalidate.status, 304);
    assert_eq!(origin.stat("renders").await, 1, "one render for four views");
    assert_eq!(origin.stat("open_figures").await, 0);
}

#[tokio::test]
async fn parameter_order_encoding_and_ignored_parameters_share_one_key() {
    let origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    let first = gw.get(CHART).await;
    for same in [
        "/o/reports/chart.png?title=Sales&values=3,1,4,1,5&kind=bar",
        "/o/reports/chart.png?kind=b%61r&values=3%2C1%2C4%2C1%2C5&title=Sales&utm_source=mail",
        "/o/reports/chart.png?_=1712345&ref=home&kind=bar&values=3,1,4,1,5&title=Sales",
    ] {
        let resp = gw.get(same).await;
        assert_eq!(resp.header("x-cache"), "hit-memory", "{same}");
        assert_eq!(resp.header("etag"), first.header("etag"), "{same}");
    }
    let other = gw
        .get("/o/reports/chart.png?kind=line&values=3,1,4,1,5&title=Sales")
        .await;
    assert_eq!(other.header("x-cache"), "miss");
    assert_eq!(origin.stat("renders").await, 2);
}

#[tokio::test]
async fn key_headers_split_the_key_and_are_forwarded() {
    let origin = FastApi::start().await;
    let gw = gateway_with(OriginConfig {
        key_headers: vec!["Accept-Language".into()],
        ..origin_config(&origin)
    })
    .await;
    let lang = |l: &'static str| [("accept-language", l)];
    let de = request(gw.addr, "GET", CHART, &lang("de"), Bytes::new()).await;
    let fr = request(gw.addr, "GET", CHART, &lang("fr"), Bytes::new()).await;
    let de_again = request(gw.addr, "GET", CHART, &lang("de"), Bytes::new()).await;
    assert_eq!(
        [
            de.header("x-cache"),
            fr.header("x-cache"),
            de_again.header("x-cache")
        ],
        ["miss", "miss", "hit-memory"]
    );
    assert_ne!(de.header("etag"), fr.header("etag"));
    // Without the header: a third key, never the alias of a target seen
    // with one.
    assert_eq!(gw.get(CHART).await.header("x-cache"), "miss");
    assert_eq!(origin.stat("renders").await, 3);
    // Key headers reach the origin; other request headers do not.
    let headers = [("accept-language", "de"), ("x-session", "secret")];
    let seen = request(gw.addr, "GET", "/o/reports/headers", &headers, Bytes::new()).await;
    let seen = seen.json();
    assert_eq!(seen["accept-language"], "de", "{seen}");
    assert!(seen.get("x-session").is_none(), "{seen}");
    assert_eq!(seen["user-agent"], "chartgate");
}

#[tokio::test]
async fn concurrent_identical_requests_make_one_call() {
    let origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    // Held at the origin until every request is in: all of them share the
    // one call, whatever the machine's speed.
    origin.admin("hold").await;
    let path = "/o/reports/chart.png?values=9,8,7";
    let requests: Vec<_> = (0..300)
        .map(|_| tokio::spawn(request(gw.addr, "GET", path, &[], Bytes::new())))
        .collect();
    origin.release_when_holding(1).await;
    let by = common::origin::by_x_cache(requests).await;
    assert_eq!(origin.stat("calls").await, 1, "{by:?}");
    assert_eq!(by.get("miss"), Some(&1), "{by:?}");
}

#[tokio::test]
async fn private_answers_are_relayed_and_never_stored() {
    let origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    for _ in 0..2 {
        let resp = gw.get("/o/reports/private.png?values=1,2").await;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("x-cache"), "bypass");
        assert_eq!(resp.header("cache-control"), "no-store");
        assert!(resp.body.starts_with(b"\x89PNG"));
    }
    assert_eq!(
        origin.stat("renders").await,
        2,
        "no-store: every view calls"
    );
}

#[tokio::test]
async fn client_errors_are_remembered_server_errors_never() {
    let origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    let missing = gw.get("/o/reports/missing").await;
    assert_eq!(
        (missing.status.as_u16(), missing.header("x-cache")),
        (404, "miss")
    );
    assert_eq!(missing.json()["detail"], "no such chart");
    let again = gw.get("/o/reports/missing").await;
    assert_eq!(
        (again.status.as_u16(), again.header("x-cache")),
        (404, "hit-memory")
    );
    for _ in 0..2 {
        let boom = gw.get("/o/reports/boom").await;
        assert_eq!(
            (boom.status.as_u16(), boom.header("x-cache")),
            (500, "bypass")
        );
    }
    assert_eq!(origin.stat("calls").await, 3, "one 404 call, two 500 calls");
    for climbing in [
        "/o/reports/../stats",
        "/o/reports/a/%2E%2e/stats",
        "/o/reports/./stats",
    ] {
        let resp = gw.get(climbing).await;
        assert_eq!(resp.status, 400, "{climbing}");
    }
    let unknown = gw.get("/o/elsewhere/chart.png").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"], "not_found");
}

#[tokio::test]
async fn a_json_body_is_keyed_in_canonical_form() {
    let origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    let a = gw
        .post(
            "/o/reports/chart.png",
            r#"{"kind": "line", "values": [1, 2.5, 3]}"#,
        )
        .await;
    assert_eq!(
        (a.status.as_u16(), a.header("x-cache")),
        (200, "miss"),
        "{:?}",
        a.body
    );
    assert!(a.body.starts_with(b"\x89PNG"));
    let b = gw
        .post(
            "/o/reports/chart.png",
            r#"{"values":[1.0,2.5,3e0],"kind":"line"}"#,
        )
        .await;
    assert_eq!(b.header("x-cache"), "hit-memory");
    let bad = gw.post("/o/reports/chart.png", "{not json").await;
    assert_eq!(bad.status, 400);
    assert_eq!(origin.stat("renders").await, 1);
    let get_only = gateway_with(OriginConfig {
        methods: vec!["GET".into()],
        ..origin_config(&origin)
    })
    .await;
    let refused = get_only.post("/o/reports/chart.png", "{}").await;
    assert_eq!(
        (refused.status.as_u16(), refused.header("allow")),
        (405, "GET, HEAD")
    );
}

#[tokio::test]
async fn a_dead_origin_gets_stale_answers_and_unknown_charts_a_504() {
    let mut origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    // Fresh for one second (the origin's max-age), then stale for a day.
    let path = "/o/reports/chart.png?values=5,5,5&max_age=1";
    let first = gw.get(path).await;
    assert_eq!(first.header("x-cache"), "miss");
    assert_eq!(first.header("cache-control"), "public, max-age=1");
    origin.kill();
    let stale = poll::until("the answer to expire", || async {
        let resp = gw.get(path).await;
        (resp.header("x-cache") == "stale").then_some(resp)
    })
    .await;
    assert_eq!(
        (stale.status.as_u16(), stale.body.clone()),
        (200, first.body.clone())
    );
    assert!(
        stale.header("age").parse::<u64>().unwrap() >= 1,
        "{:?}",
        stale.headers
    );
    let unknown = gw.get("/o/reports/chart.png?values=1,1").await;
    assert_eq!(unknown.status, 504);
    assert_eq!(unknown.json()["error"], "origin_unavailable");
    // The failed refreshes are counted, never a 5xx of chartgate's own.
    poll::until("the failed refresh to be counted", || async {
        common::metric(gw.addr, "chartgate_origin_errors_total{origin=\"reports\"}").await >= 2.0
    })
    .await;
    let served_stale = "chartgate_origin_requests_total{origin=\"reports\",outcome=\"stale\"}";
    assert!(common::metric(gw.addr, served_stale).await >= 1.0);
}

#[tokio::test]
async fn an_origin_past_its_timeout_is_a_504_and_the_next_request_calls_again() {
    let origin = FastApi::start().await;
    // Long enough for one matplotlib render on a busy machine, ten times
    // over: the second call below must not time out too.
    let gw = gateway_with(OriginConfig {
        timeout_ms: 3000,
        ..origin_config(&origin)
    })
    .await;
    // Held at the origin: whatever the machine's speed, no answer comes
    // before the gateway's deadline.
    origin.admin("hold").await;
    let late = gw.get("/o/reports/chart.png?values=4,4").await;
    assert_eq!(late.status, 504);
    assert_eq!(late.json()["error"], "origin_timeout");
    origin.admin("release").await;
    // The held call finishes at the origin first (its first render, with
    // matplotlib's start-up), so the next call does not share the CPU
    // with it.
    poll::until("the held call to finish at the origin", || async {
        origin.stats().await["in_flight"] == 0
    })
    .await;
    let now = gw.get("/o/reports/chart.png?values=4,4").await;
    assert_eq!((now.status.as_u16(), now.header("x-cache")), (200, "miss"));
}

#[tokio::test]
async fn a_relay_the_origin_stalls_is_cut_off_and_frees_its_slot() {
    use http_body_util::BodyExt;
    let origin = FastApi::start().await;
    let gw = gateway_with(OriginConfig {
        timeout_ms: 300,
        ..origin_config(&origin)
    })
    .await;
    origin.admin("hold").await;
    let resp = common::get_streaming(gw.addr, "/o/reports/stall").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-cache"], "bypass");
    let mut body = resp.into_body();
    let mut got = Vec::new();
    let ended = poll::hang_guard("the stalled relay to end", async {
        loop {
            match body.frame().await {
                Some(Ok(frame)) => got.extend_from_slice(&frame.into_data().unwrap_or_default()),
                Some(Err(e)) => break Err(e),
                None => break Ok(()),
            }
        }
    })
    .await;
    assert!(ended.is_err(), "a stalled answer must not look complete");
    assert_eq!(got, b"first part;");
    poll::until("the gate slot to be free", || async {
        gw.get("/stats").await.json()["origins"][0]["calls_in_flight"] == 0
    })
    .await;
    origin.admin("release").await;
}

#[tokio::test]
async fn a_failing_origin_gets_one_refresh_per_key_per_interval_not_one_per_view() {
    let origin = FastApi::start().await;
    let gw = gateway_with(OriginConfig {
        error_ttl_secs: 3600,
        ..origin_config(&origin)
    })
    .await;
    let path = "/o/reports/chart.png?values=7,1,7&max_age=1";
    assert_eq!(gw.get(path).await.header("x-cache"), "miss");
    origin.admin("fail?on=true").await;
    poll::until("the answer to expire", || async {
        gw.get(path).await.header("x-cache") == "stale"
    })
    .await;
    poll::until("the refresh to reach the failing origin", || async {
        origin.stat("calls").await == 2
    })
    .await;
    for _ in 0..20 {
        let view = gw.get(path).await;
        assert_eq!(
            (view.status.as_u16(), view.header("x-cache")),
            (200, "stale")
        );
    }
    // One call made the answer, one refresh failed; twenty more stale views
    // started no other call within error_ttl_secs.
    assert_eq!(origin.stat("calls").await, 2);
}

#[tokio::test]
async fn an_expires_date_keeps_an_answer_and_one_past_does_not() {
    let origin = FastApi::start().await;
    let gw = gateway(&origin).await;
    // An hour ahead, and no max-age: kept for that hour.
    let ahead = "/o/reports/chart.png?values=2,7,1&expires_in=3600";
    assert_eq!(gw.get(ahead).await.header("x-cache"), "miss");
    let hit = gw.get(ahead).await;
    assert_eq!(hit.header("x-cache"), "hit-memory");
    let max_age: u64 = hit
        .header("cache-control")
        .strip_prefix("public, max-age=")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{:?}", hit.headers));
    assert!((3590..=3600).contains(&max_age), "max-age={max_age}");
    assert_eq!(origin.stat("calls").await, 1);
    // Already past: relayed, never kept, so each view calls.
    let past = "/o/reports/chart.png?values=2,7,1&expires_in=-60";
    for _ in 0..2 {
        assert_eq!(gw.get(past).await.header("x-cache"), "bypass");
    }
    assert_eq!(origin.stat("calls").await, 3);
}

#[tokio::test]
async fn past_its_revalidate_window_a_view_waits_for_the_call_and_gets_stale_only_if_it_fails() {
    let origin = FastApi::start().await;
    let gw = gateway_with(OriginConfig {
        error_ttl_secs: 3600,
        ..origin_config(&origin)
    })
    .await;
    // Fresh for a second, never served stale while revalidating, served
    // stale for a day when the origin fails.
    let path = "/o/reports/chart.png?values=4,4,2&cache_control=\
                max-age%3D1%2C%20stale-while-revalidate%3D0%2C%20stale-if-error%3D86400";
    assert_eq!(gw.get(path).await.header("x-cache"), "miss");
    let expired = || async {
        let resp = gw.get(path).await;
        (resp.header("x-cache") != "hit-memory").then_some(resp)
    };
    // Expired, the next view waits for a new answer: not stale.
    let next = poll::until("the answer to expire", expired).await;
    assert_eq!(next.header("x-cache"), "miss");
    assert_eq!(origin.stat("calls").await, 2);
    // The origin fails: the view past expiry calls, gets a 500, and is
    // answered with the stale copy instead...
    origin.admin("fail?on=true").await;
    let stale = poll::until("the new answer to expire", expired).await;
    assert_eq!(
        (stale.status.as_u16(), stale.header("x-cache")),
        (200, "stale")
    );
    assert_eq!(stale.body, next.body);
    assert_eq!(origin.stat("calls").await, 3);
    // ...and so are the views after it, at once, calling no more.
    for _ in 0..10 {
        assert_eq!(gw.get(path).await.header("x-cache"), "stale");
    }
    assert_eq!(origin.stat("calls").await, 3);
}

#[tokio::test]
async fn a_slow_origin_gets_at_most_max_concurrency_calls_and_hits_do_not_wait() {
    let origin = FastApi::start().await;
    let gw = gateway_with(OriginConfig {
        max_concurrency: 2,
        queue: 3,
        timeout_ms: 600_000,
        ..origin_config(&origin)
    })
    .await;
    let cached = gw.get("/o/reports/chart.png?values=1").await;
    assert_eq!(cached.status, 200);
    origin.admin("hold").await;
    let distinct = |i: usize| format!("/o/reports/chart.png?values={i},2,3");
    let mut pending = Vec::new();
    for i in 0..5 {
        let (addr, path) = (gw.addr, distinct(i));
        pending.push(tokio::spawn(async move {
            request(addr, "GET", &path, &[], Bytes::new()).await
        }));
    }
    poll::until("two calls at the origin and three queued", || async {
        let stats = gw.get("/stats").await.json();
        let o = &stats["origins"][0];
        origin.stat("in_flight").await == 2 && o["calls_waiting"] == 3
    })
    .await;
    // Beyond the queue: shed at once, with Retry-After.
    for i in 5..50 {
        let shed = gw.get(&distinct(i)).await;
        assert_eq!(
            (shed.status.as_u16(), shed.header("retry-after")),
            (503, "1")
        );
        assert_eq!(shed.json()["error"], "overloaded");
    }
    // A hit does not wait behind the held calls.
    let hit = gw.get("/o/reports/chart.png?values=1").await;
    assert_eq!(
        (hit.status.as_u16(), hit.header("x-cache")),
        (200, "hit-memory")
    );
    origin.admin("release").await;
    for p in pending {
        assert_eq!(p.await.unwrap().status, 200);
    }
    assert_eq!(origin.stat("max_in_flight").await, 2);
    assert_eq!(origin.stat("calls").await, 6);
}

#[tokio::test]
async fn purge_covers_origin_answers_and_metrics_name_the_origin() {
    let origin = FastApi::start().await;
    let mut config = config_with(origin_config(&origin));
    config.admin.token = Some("an-admin-token-for-tests".into());
    let gw = Server::start(config, Arc::new(chartgate::render::PlottersRenderer::new())).await;
    let first = gw.get(CHART).await;
    let purged = common::purge(gw.addr, first.header("etag"), "an-admin-token-for-tests").await;
    assert!(purged.status.is_success(), "{:?}", purged.body);
    assert_eq!(gw.get(CHART).await.header("x-cache"), "miss");
    assert_eq!(origin.stat("renders").await, 2);
    let metrics = String::from_utf8(gw.get("/metrics").await.body.to_vec()).unwrap();
    for series in [
        "chartgate_origin_requests_total{origin=\"reports\",outcome=\"miss\"} 2",
        "chartgate_origin_duration_seconds_count{origin=\"reports\"} 2",
    ] {
        assert!(metrics.contains(series), "{series} in\n{metrics}");
    }
    let auth = [("authorization", "Bearer an-admin-token-for-tests")];
    let stats = request(gw.addr, "GET", "/stats", &auth, Bytes::new())
        .await
        .json();
    assert_eq!(stats["origins"][0]["name"], "reports");
    assert_eq!(stats["origins"][0]["origin_calls"], 2);
}
