//! The core gateway over real sockets: headers, 304, HEAD, single-flight,
//! a leader that disconnects, a panicking render, overload shedding,
//! short URLs and the operations routes.
//!
//! Requests that must overlap a render are made to, by events: the test
//! renderer (`Seam`) holds renders once they start and tells the test, and
//! `chartgate_http_requests_in_flight` tells it which requests the gateway
//! is handling. No test here depends on how fast the machine is.
//!
//! The coalescing tests run on a single-threaded runtime, the gateway's
//! included: a chart request's handler goes from its start (counted in
//! `chartgate_http_requests_in_flight`) to waiting on the key's render
//! without awaiting anything else, so with one thread, once `/metrics`
//! counts a request, that request is already waiting on the render.

mod common;

use bytes::Bytes;
use common::{
    bar_chart, chart_path, metric, poll, raise_fd_limit, request, wait_metric, Seam, Server,
    CHART_IN_FLIGHT,
};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn miss_then_memory_hit_with_contract_headers() {
    let server = Server::default().await;
    let path = chart_path(&bar_chart("headers"), &[]);
    let first = server.get(&path).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), "image/png");
    assert_eq!(first.header("x-cache"), "miss");
    assert_eq!(
        first.header("cache-status"),
        "chartgate-memory; fwd=miss; stored"
    );
    assert_eq!(first.header("cache-control"), "public, max-age=86400");
    assert_eq!(first.header("content-length"), first.body.len().to_string());
    assert!(first.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    let etag = first.header("etag").to_owned();
    assert_eq!(etag.len(), 66, "a quoted 64-hex key: {etag}");

    let second = server.get(&path).await;
    assert_eq!(second.header("x-cache"), "hit-memory");
    assert_eq!(second.header("cache-status"), "chartgate-memory; hit");
    assert_eq!(second.header("etag"), etag);
    assert_eq!(second.body, first.body, "a hit serves the same bytes");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_none_match_gives_304_without_rendering() {
    let seam = Seam::new();
    let server = Server::start(common::config(), seam.clone()).await;
    let path = chart_path(&bar_chart("etag"), &[]);
    // The ETag is derived from the request, so a client can revalidate even
    // after the picture left the cache: no render is needed to answer 304.
    let etag = server.get(&path).await.header("etag").to_owned();
    let other = chart_path(&bar_chart("never rendered"), &[]);
    let never = {
        let app = &server.app;
        let r = chartgate::chart::params::from_query(&other[7..], &app.config().limits).unwrap();
        format!("\"{}\"", chartgate::chart::ChartKey::of(&r))
    };
    for (p, tag) in [(&path, etag.as_str()), (&other, never.as_str())] {
        let resp = request(
            server.addr,
            "GET",
            p,
            &[("if-none-match", tag)],
            Bytes::new(),
        )
        .await;
        assert_eq!(resp.status, 304);
        assert!(resp.body.is_empty());
        assert_eq!(resp.header("etag"), tag);
    }
    let weak = format!("W/{etag}");
    let resp = request(
        server.addr,
        "GET",
        &path,
        &[("if-none-match", &weak)],
        Bytes::new(),
    )
    .await;
    assert_eq!(resp.status, 304);
    let resp = request(
        server.addr,
        "GET",
        &path,
        &[("if-none-match", "\"other\"")],
        Bytes::new(),
    )
    .await;
    assert_eq!(resp.status, 200);
    assert_eq!(seam.calls(), 1, "only the first GET rendered");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_has_the_headers_and_no_body() {
    let server = Server::default().await;
    let path = chart_path(&bar_chart("head"), &[("f", "svg")]);
    let get = server.get(&path).await;
    assert_eq!(get.header("content-type"), "image/svg+xml");
    let head = request(server.addr, "HEAD", &path, &[], Bytes::new()).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), get.body.len().to_string());
    assert_eq!(head.header("etag"), get.header("etag"));
    server.stop().await;
}

/// The contract's security headers on one chart response.
fn assert_security_headers(r: &common::Resp, what: &str) {
    assert_eq!(r.status, 200, "{what}");
    assert_eq!(r.header("x-content-type-options"), "nosniff", "{what}");
    let csp = r.header("content-security-policy");
    if r.header("content-type") == "image/svg+xml" {
        assert!(csp.contains("default-src 'none'"), "{what}: {csp:?}");
        assert!(csp.contains("sandbox"), "{what}: {csp:?}");
        assert!(!csp.contains("script-src"), "{what}: {csp:?}");
    } else {
        assert_eq!(csp, "", "{what}: a PNG runs nothing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_chart_answer_says_nosniff_and_svgs_forbid_scripts() {
    let server = Server::default().await;
    for format in ["png", "svg"] {
        let path = chart_path(&bar_chart("security headers"), &[("f", format)]);
        let miss = server.get(&path).await;
        assert_eq!(miss.header("x-cache"), "miss");
        let content_type = if format == "svg" {
            "image/svg+xml"
        } else {
            "image/png"
        };
        assert_eq!(miss.header("content-type"), content_type);
        assert_security_headers(&miss, &format!("{format} miss"));
        // The memory-hit fast path (`App::try_hit`) builds its own response.
        let hit = server.get(&path).await;
        assert_eq!(hit.header("x-cache"), "hit-memory");
        assert_security_headers(&hit, &format!("{format} memory hit"));
        let head = request(server.addr, "HEAD", &path, &[], Bytes::new()).await;
        assert_security_headers(&head, &format!("{format} HEAD"));
        let body = serde_json::json!({"chart": bar_chart("posted"), "format": format});
        let post = server.post("/chart", &body.to_string()).await;
        assert_security_headers(&post, &format!("{format} POST"));
        let created = server.post("/chart/create", &body.to_string()).await.json();
        let url = created["url"].as_str().unwrap();
        let id = url.rsplit('/').next().unwrap();
        let stored = server.get(&format!("/chart/render/{id}")).await;
        assert_security_headers(&stored, &format!("{format} /chart/render/ID"));
    }
    server.stop().await;
}

/// The leader's render is held until the other 999 requests wait on it: one
/// render, one miss, 999 coalesced.
#[tokio::test(flavor = "current_thread")]
async fn a_thousand_concurrent_cold_requests_render_once() {
    raise_fd_limit();
    let seam = Seam::new();
    let server = Server::start(common::config(), seam.clone()).await;
    let path = Arc::new(chart_path(&bar_chart("stampede"), &[]));
    seam.hold();
    let get = |path: Arc<String>, barrier: Arc<tokio::sync::Barrier>, addr| async move {
        barrier.wait().await;
        let r = request(addr, "GET", &path, &[], Bytes::new()).await;
        (r.status, r.header("x-cache").to_owned(), r.body)
    };
    let mut tasks = vec![tokio::spawn(get(
        path.clone(),
        Arc::new(tokio::sync::Barrier::new(1)),
        server.addr,
    ))];
    seam.started(1).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(999));
    for _ in 0..999 {
        tasks.push(tokio::spawn(get(
            path.clone(),
            barrier.clone(),
            server.addr,
        )));
    }
    wait_metric(server.addr, CHART_IN_FLIGHT, |n| n == 1000.0).await;
    seam.release();
    let mut bodies = std::collections::HashSet::new();
    let mut statuses = std::collections::HashMap::<String, usize>::new();
    for t in tasks {
        let (status, cache, body) = t.await.unwrap();
        assert_eq!(status, 200);
        *statuses.entry(cache).or_default() += 1;
        bodies.insert(body);
    }
    assert_eq!(seam.calls(), 1, "one render for 1000 identical requests");
    assert_eq!(statuses["miss"], 1, "{statuses:?}");
    assert_eq!(statuses["coalesced"], 999, "{statuses:?}");
    assert_eq!(bodies.len(), 1, "every request got the same bytes");
    server.stop().await;
}

/// The leader's client goes away while its render is held; a request that
/// comes afterwards waits on that same render, which still finishes.
#[tokio::test(flavor = "current_thread")]
async fn a_leader_that_disconnects_does_not_cancel_the_render() {
    let seam = Seam::new();
    let server = Server::start(common::config(), seam.clone()).await;
    let path = chart_path(&bar_chart("leader leaves"), &[]);
    seam.hold();
    {
        let mut s = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let head = format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n");
        s.write_all(head.as_bytes()).await.unwrap();
        seam.started(1).await;
        // dropped here: the leader's client goes away mid-render
    }
    // The gateway noticed: the leader's handler is gone.
    wait_metric(server.addr, CHART_IN_FLIGHT, |n| n == 0.0).await;
    let follower = tokio::spawn({
        let addr = server.addr;
        async move { request(addr, "GET", &path, &[], Bytes::new()).await }
    });
    wait_metric(server.addr, CHART_IN_FLIGHT, |n| n == 1.0).await;
    seam.release();
    let follower = follower.await.unwrap();
    assert_eq!(follower.status, 200);
    assert_eq!(follower.header("x-cache"), "coalesced");
    assert_eq!(
        seam.calls(),
        1,
        "the leader's render finished for the follower"
    );
    server.stop().await;
}

/// Four requests wait on a held render that then panics: all five get the
/// same 500, and the next request renders afresh.
#[tokio::test(flavor = "current_thread")]
async fn a_panicking_render_fails_its_waiters_then_renders_afresh() {
    let seam = Seam::panicking(vec![1]);
    let server = Server::start(common::config(), seam.clone()).await;
    let path = Arc::new(chart_path(&bar_chart("panics once"), &[]));
    let get = |path: Arc<String>, addr| async move {
        request(addr, "GET", &path, &[], Bytes::new()).await
    };
    seam.hold();
    let mut tasks = vec![tokio::spawn(get(path.clone(), server.addr))];
    seam.started(1).await;
    for _ in 0..4 {
        tasks.push(tokio::spawn(get(path.clone(), server.addr)));
    }
    wait_metric(server.addr, CHART_IN_FLIGHT, |n| n == 5.0).await;
    seam.release();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 500);
        assert_eq!(r.json()["error"], "render_failed");
    }
    assert_eq!(seam.calls(), 1, "the waiters shared the failed render");
    let metrics = server.get("/metrics").await;
    let text = String::from_utf8_lossy(&metrics.body);
    assert!(
        text.contains("chartgate_renders_total{outcome=\"panic\",renderer=\"native\"} 1"),
        "{text}"
    );
    let again = server.get(&path).await;
    assert_eq!(again.status, 200, "no key stuck after a panic");
    assert_eq!(again.header("x-cache"), "miss");
    assert_eq!(seam.calls(), 2);
    server.stop().await;
}

/// One render thread and a queue of one: with one render held on the thread,
/// of five more cold charts one is queued and four are shed at once (they
/// are answered while the render is still held), and a hit is served
/// meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_sheds_with_retry_after_while_hits_are_served() {
    let mut config = common::config();
    config.render.workers = 1;
    config.render.queue = 1;
    let seam = Seam::new();
    let server = Server::start(config, seam.clone()).await;
    let hot = chart_path(&bar_chart("hot"), &[]);
    assert_eq!(server.get(&hot).await.status, 200);

    seam.hold();
    let cold = |i: usize| {
        let (path, addr) = (
            chart_path(&bar_chart(&format!("cold {i}")), &[]),
            server.addr,
        );
        tokio::spawn(async move { request(addr, "GET", &path, &[], Bytes::new()).await })
    };
    let mut tasks = vec![cold(0)];
    seam.started(2).await; // the hot chart's render, then this one's
    tasks.extend((1..6).map(cold));
    wait_metric(server.addr, "chartgate_render_rejected_total", |n| n == 4.0).await;
    assert_eq!(
        metric(server.addr, "chartgate_render_queue_depth").await,
        1.0
    );
    let hit = poll::hang_guard("a hit during the overload", server.get(&hot)).await;
    assert_eq!(hit.header("x-cache"), "hit-memory");
    seam.release();

    let (mut ok, mut shed) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.status.as_u16() {
            200 => ok += 1,
            503 => {
                shed += 1;
                assert_eq!(r.header("retry-after"), "1");
                assert_eq!(r.json()["error"], "overloaded");
            }
            s => panic!("unexpected status {s}"),
        }
    }
    assert_eq!((ok, shed), (2, 4), "one rendering, one queued, four shed");
    let counted = metric(
        server.addr,
        "chartgate_http_requests_total{route=\"/chart\",status=\"503\"}",
    )
    .await;
    assert_eq!(counted, 4.0);
    server.stop().await;
}

/// A render held past `render.timeout_ms` is answered 504.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_render_past_its_deadline_is_504() {
    let mut config = common::config();
    config.render.timeout_ms = 100;
    let seam = Seam::new();
    let server = Server::start(config, seam.clone()).await;
    seam.hold();
    let r = server.get(&chart_path(&bar_chart("slow"), &[])).await;
    seam.release();
    assert_eq!(r.status, 504);
    assert_eq!(r.json()["error"], "render_timeout");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_urls_are_the_chart_key_and_immutable() {
    let server = Server::default().await;
    let body = serde_json::json!({"chart": bar_chart("short"), "width": 400}).to_string();
    let created = server.post("/chart/create", &body).await;
    assert_eq!(created.status, 200);
    let json = created.json();
    assert_eq!(json["success"], true);
    let url = json["url"].as_str().unwrap();
    let prefix = format!("http://{}/chart/render/", server.addr);
    assert!(url.starts_with(&prefix), "{url}");
    let id = &url[prefix.len()..];
    // Same chart, same ID.
    let again = server.post("/chart/create", &body).await.json();
    assert_eq!(again["url"], json["url"]);

    let img = server.get(&format!("/chart/render/{id}")).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.header("etag"), format!("\"{id}\""));
    assert_eq!(
        img.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let direct = server.post("/chart", &body).await;
    assert_eq!(
        direct.header("etag"),
        format!("\"{id}\""),
        "the ID is the chart's key"
    );
    assert_eq!(direct.body, img.body);

    let unknown = server
        .get(&format!("/chart/render/{}", "0".repeat(64)))
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"], "not_found");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_routes() {
    let server = Server::default().await;
    assert_eq!(server.get("/healthz").await.status, 200);
    let ready = server.get("/readyz").await.json();
    assert_eq!(
        ready,
        serde_json::json!({"status": "ready", "redis": "disabled"})
    );
    server.get(&chart_path(&bar_chart("metrics"), &[])).await;
    server.get(&chart_path(&bar_chart("metrics"), &[])).await;
    let m = server.get("/metrics").await;
    assert!(m.header("content-type").starts_with("text/plain"));
    let text = String::from_utf8_lossy(&m.body);
    for needle in [
        "chartgate_http_requests_total{route=\"/chart\",status=\"200\"} 2",
        "chartgate_cache_lookups_total{result=\"hit_memory\"} 1",
        "chartgate_cache_lookups_total{result=\"miss\"} 1",
        "chartgate_renders_total{outcome=\"ok\",renderer=\"native\"} 1",
        "chartgate_render_duration_seconds_count 1",
        "chartgate_renders_in_flight 0",
        "chartgate_render_queue_depth 0",
        "chartgate_memory_cache_entries 1",
        // Nothing but this scrape is being handled.
        "chartgate_http_requests_in_flight{route=\"/chart\"} 0",
        "chartgate_http_requests_in_flight{route=\"/metrics\"} 1",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
    server.stop().await;
}
