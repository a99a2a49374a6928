//! Hardening, as CI can afford it (the long versions are `benches/soak.sh`,
//! `benches/shed.sh` and `benches/hits-under-storm.sh`):
//! - flat memory: thousands of distinct charts through the real binary with a
//!   small memory tier, and once its stores are full its RSS barely moves;
//! - shedding: past the render queue, `503 overloaded` comes back at once,
//!   without waiting behind a render, and `/metrics` counts every one;
//! - the connection cap: beyond `server.max_connections`, a new connection
//!   is not served until an open one closes;
//! - slow bodies: a POST body trickled or withheld is cut off with 408 after
//!   `server.header_timeout_ms`, as a slow head is;
//! - SIGTERM with more chart requests in flight than render threads: each
//!   is answered, new connections are refused, the process exits 0.
//!
//! Nothing here depends on the machine's speed: renders overlap requests
//! because the test renderer holds them, and requests are in flight because
//! their bodies are half sent; the only time limits are hang guards.

mod common;

use bytes::Bytes;
use common::process::Gateway;
use common::{
    bar_chart, chart_path, connect, metric, poll, wait_metric, Seam, Server, SplitPost,
    CHART_IN_FLIGHT,
};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::Request;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn get(sender: &mut SendRequest<Full<Bytes>>, path: &str) -> (u16, Bytes) {
    sender.ready().await.expect("connection open");
    let req = Request::get(path)
        .header("host", "127.0.0.1")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let resp = sender.send_request(req).await.expect("response");
    let status = resp.status().as_u16();
    (status, resp.into_body().collect().await.unwrap().to_bytes())
}

/// The i-th distinct chart of the soak: a small bar chart, PNG or SVG, whose
/// spec is about 10 KB (eight datasets with 1,000-character labels the hidden
/// legend never draws), so the byte-bounded stores that keep specs per chart
/// (the analytics' remembered specs, 16 MiB) fill within the first half and
/// the second half measures steady state, not stores still filling.
fn soak_path(i: usize) -> String {
    let datasets: Vec<_> = (0..8)
        .map(|d| serde_json::json!({"label": format!("{d:>1000}"), "data": [1 + (i + d) % 5]}))
        .collect();
    let chart = serde_json::json!({"type": "bar", "data": {"labels": ["a"], "datasets": datasets},
        "options": {"legend": {"display": false},
                    "title": {"display": true, "text": format!("soak {i}")}}});
    let format = if i.is_multiple_of(2) { "png" } else { "svg" };
    let size = [
        ("w", "200"),
        ("h", "120"),
        ("devicePixelRatio", "1"),
        ("f", format),
    ];
    chart_path(&chart.to_string(), &size)
}

/// Sends charts `from..to` over `conns` connections; all must render.
async fn send_charts(addr: SocketAddr, from: usize, to: usize, conns: usize) {
    let mut tasks = Vec::new();
    for c in 0..conns {
        tasks.push(tokio::spawn(async move {
            let mut sender = connect(addr).await;
            for i in (from + c..to).step_by(conns) {
                let (status, body) = get(&mut sender, &soak_path(i)).await;
                assert_eq!(status, 200, "chart {i}: {}", String::from_utf8_lossy(&body));
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

/// 4,500 distinct charts through a 2 MiB memory tier: the first 3,000 fill
/// every bounded store and warm the allocator; over the last 1,500 RSS may
/// grow by little (10% + 2 MiB, about 7.5 MiB: it grows 1-2.5 MiB here). A
/// leak of 6 KiB per chart would fail it; `benches/soak.sh` is the fine one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_memory_stays_flat() {
    const WARM: usize = 3_000;
    const CHARTS: usize = 4_500;
    const MEMORY: u64 = 2 * 1024 * 1024;
    let memory = MEMORY.to_string();
    let gw = Gateway::start(&[("CHARTGATE_CACHE__MEMORY_BYTES", &memory)]);
    send_charts(gw.addr, 0, WARM, 4).await;
    let warm = gw.rss_kib();
    send_charts(gw.addr, WARM, CHARTS, 4).await;
    let end = gw.rss_kib();
    let held = metric(gw.addr, "chartgate_memory_cache_bytes").await;
    let entries = metric(gw.addr, "chartgate_memory_cache_entries").await;
    eprintln!(
        "soak: RSS {warm} KiB after {WARM} charts, {end} KiB after {CHARTS}; \
         cache {held} bytes, {entries} entries"
    );
    assert!(held <= MEMORY as f64, "the memory tier holds {held} bytes");
    assert!(entries < WARM as f64, "nothing was evicted: {entries}");
    let growth = end.saturating_sub(warm);
    assert!(
        growth < warm / 10 + 2048,
        "RSS grew {growth} KiB over {} distinct charts ({warm} -> {end} KiB)",
        CHARTS - WARM
    );
}

/// One render thread, a queue of two: with one render held on the thread,
/// 39 more distinct charts at once get two places in the queue and 37 × 503,
/// all answered while the render is still held (so no 503 waited behind a
/// render), and `/metrics` counts every 503 as a rejected render.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_is_shed_fast_and_counted() {
    const REQUESTS: usize = 40;
    let mut config = common::config();
    config.render.workers = 1;
    config.render.queue = 2;
    let seam = Seam::new();
    let server = Server::start(config, seam.clone()).await;
    let addr = server.addr;
    seam.hold();
    let send = |i: usize| {
        let path = chart_path(&bar_chart(&format!("shed {i}")), &[]);
        tokio::spawn(async move {
            let mut sender = connect(addr).await;
            get(&mut sender, &path).await.0
        })
    };
    let mut accepted = vec![send(0)];
    seam.started(1).await;
    let mut others: Vec<_> = (1..REQUESTS).map(send).collect();
    // The 503s come back while the render is held: none waits behind it.
    let shed = REQUESTS - 3;
    poll::until("the 503s while the render is held", || {
        std::future::ready(others.iter().filter(|t| t.is_finished()).count() == shed)
    })
    .await;
    assert_eq!(metric(addr, "chartgate_render_queue_depth").await, 2.0);
    assert_eq!(
        metric(addr, "chartgate_render_rejected_total").await,
        shed as f64
    );
    let mut statuses = Vec::new();
    for t in std::mem::take(&mut others) {
        if t.is_finished() {
            statuses.push(t.await.unwrap());
        } else {
            accepted.push(t);
        }
    }
    assert_eq!(
        statuses,
        vec![503; shed],
        "answered while the render is held"
    );
    assert_eq!(accepted.len(), 3, "one rendering, two queued");
    seam.release();
    for t in accepted {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(seam.calls(), 3, "only accepted charts were rendered");
    let counted = metric(
        addr,
        "chartgate_http_requests_total{route=\"/chart\",status=\"503\"}",
    )
    .await;
    assert_eq!(counted, shed as f64);
    assert_eq!(metric(addr, "chartgate_render_queue_depth").await, 0.0);
    server.stop().await;
}

/// Reads whatever the server sends within `limit`; empty if nothing came.
async fn read_within(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let mut buf = vec![0u8; 1024];
    match tokio::time::timeout(limit, stream.read(&mut buf)).await {
        Ok(Ok(n)) => buf[..n].to_vec(),
        Ok(Err(e)) => panic!("read failed: {e}"),
        Err(_) => Vec::new(),
    }
}

/// `server.max_connections = 2`: with two connections open, a third is
/// accepted by the kernel but not served; once one of the two closes, the
/// third is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let mut config = common::config();
    config.server.max_connections = 2;
    let server = Server::start(config, Seam::new()).await;
    let mut first = connect(server.addr).await;
    let mut second = connect(server.addr).await;
    assert_eq!(get(&mut first, "/healthz").await.0, 200);
    assert_eq!(get(&mut second, "/healthz").await.0, 200);

    let mut third = TcpStream::connect(server.addr).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    // Half a second for a bug to show: waiting for something that must not
    // happen, this cannot fail because the machine is slow.
    let early = read_within(&mut third, Duration::from_millis(500)).await;
    assert!(
        early.is_empty(),
        "served beyond the cap: {}",
        String::from_utf8_lossy(&early)
    );

    drop(first);
    let late = read_within(&mut third, poll::HANG_GUARD).await;
    let text = String::from_utf8_lossy(&late);
    assert!(text.starts_with("HTTP/1.1 200"), "{text:?}");
    assert_eq!(get(&mut second, "/healthz").await.0, 200);
    server.stop().await;
}

/// A POST whose body trickles in (a byte every 100 ms) or never comes is
/// answered 408 once `server.header_timeout_ms` has passed, and its
/// connection closed: it cannot hold a connection slot and a body buffer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_withheld_bodies_are_cut_off() {
    let mut config = common::config();
    config.server.header_timeout_ms = 400;
    let server = Server::start(config, Seam::new()).await;
    for trickle in [true, false] {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        let head = "POST /chart HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
                    content-length: 1000\r\n\r\n{";
        stream.write_all(head.as_bytes()).await.unwrap();
        let started = Instant::now();
        let mut answer = Vec::new();
        while answer.is_empty() {
            assert!(started.elapsed() < poll::HANG_GUARD, "never cut off");
            answer = read_within(&mut stream, Duration::from_millis(100)).await;
            if trickle && answer.is_empty() {
                let _ = stream.write_all(b" ").await;
            }
        }
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("request_timeout"), "{text}");
        // Not before the deadline, which started after `started`.
        assert!(started.elapsed() >= Duration::from_millis(400));
    }
    server.stop().await;
}

/// More chart requests in flight than render threads when SIGTERM lands:
/// each has its body half sent, so all four handlers are provably running
/// (`chartgate_http_requests_in_flight`) when the signal arrives. Once the
/// listener is closed the bodies are finished, so the four renders run (two
/// at a time) during shutdown; all four are answered 200 and the process
/// exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_answers_every_request_in_flight() {
    // Deadlines far beyond anything the test waits for (the render deadline
    // already is, in `Gateway::start`): the test is about order, not speed.
    let mut gw = Gateway::start(&[
        ("CHARTGATE_RENDER__WORKERS", "2"),
        ("CHARTGATE_SERVER__HEADER_TIMEOUT_MS", "600000"),
        ("CHARTGATE_SERVER__SHUTDOWN_GRACE_MS", "600000"),
    ]);
    let addr = gw.addr;
    let mut in_flight = Vec::new();
    for i in 0..4 {
        let chart = bar_chart(&format!("in flight {i}"));
        let body = serde_json::json!({"chart": chart, "width": 300, "height": 200});
        in_flight.push(SplitPost::start(addr, Bytes::from(body.to_string())).await);
    }
    wait_metric(addr, CHART_IN_FLIGHT, |n| n == 4.0).await;
    gw.sigterm();
    poll::until("the listener to close after SIGTERM", || async {
        TcpStream::connect(addr).await.is_err()
    })
    .await;
    let answers: Vec<_> = in_flight
        .into_iter()
        .map(|post| tokio::spawn(post.finish()))
        .collect();
    for (i, t) in answers.into_iter().enumerate() {
        let resp = t.await.unwrap();
        assert_eq!(resp.status, 200, "in-flight request {i}");
        assert_eq!(resp.header("content-type"), "image/png");
    }
    let status = gw.exited().await;
    assert!(status.success(), "{status:?}");
}
