//! The `chartgate` binary as an operator runs it: flags, config errors,
//! silent and slow clients, graceful shutdown on SIGTERM, and metrics that
//! `promtool check metrics` accepts.

mod common;

use bytes::Bytes;
use common::process::Gateway;
use common::{bar_chart, chart_path, poll, request, wait_metric, SplitPost, CHART_IN_FLIGHT};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[test]
fn a_bad_config_stops_start_up_naming_the_key() {
    for (env, key) in [
        (("CHARTGATE_CACHE__TTL_SECS", "soon"), "ttl_secs"),
        (("CHARTGATE_RENDER__QUEUE", "0"), "render.queue"),
        (("CHARTGATE_REDIS__URL", "localhost:6379"), "redis.url"),
        (("CHARTGATE_NOPE__X", "1"), "nope"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_chartgate"))
            .env(env.0, env.1)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{env:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(key), "{env:?}: {err}");
    }
    let mut file = std::env::temp_dir();
    file.push(format!("chartgate-bad-{}.toml", std::process::id()));
    std::fs::write(&file, "[limits]\nmax_side = 0\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_chartgate"))
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("limits.max_side"));
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_documented_config_file_starts_the_gateway() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chartgate"))
        .args([
            "--config",
            concat!(env!("CARGO_MANIFEST_DIR"), "/config.toml"),
        ])
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("chartgate listening on http://127.0.0.1:"),
        "{line}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// hyper's own header read timeout is 30 s; the test sets 500 ms. A close
/// before this can only come from the configured timeout, so this is a guard
/// against a hang or a lost setting (40 times the configured timeout), not a
/// claim about how fast the machine is.
const CUT_OFF_GUARD: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_slow_clients_are_cut_off() {
    let gw = Gateway::start(&[("CHARTGATE_SERVER__HEADER_TIMEOUT_MS", "500")]);
    // One connects and sends nothing; one starts its headers and never ends them.
    let connected = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
    let mut slow = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    for stream in [&mut silent, &mut slow] {
        let mut buf = [0u8; 256];
        let read = tokio::time::timeout(CUT_OFF_GUARD, stream.read(&mut buf))
            .await
            .expect("the gateway never closed the connection");
        // Closed (0 bytes), reset, or a final error response: never kept open.
        if let Ok(n) = read {
            let text = String::from_utf8_lossy(&buf[..n]);
            assert!(n == 0 || text.starts_with("HTTP/1.1 408"), "{text}");
        }
    }
    // Not before the timeout: the server's clock started after `connected`.
    assert!(connected.elapsed() >= Duration::from_millis(500));
    // The gateway still serves.
    let ok = request(gw.addr, "GET", "/healthz", &[], Bytes::new()).await;
    assert_eq!(ok.status, 200);
}

/// A request in flight when SIGTERM lands is answered, then the process
/// exits 0 and refuses new connections. "In flight" is an event, not a guess
/// at how long a render takes: the request's body is half sent, so its
/// handler is provably running (`chartgate_http_requests_in_flight`) when
/// the signal arrives, and the rest is sent only once shutdown has begun
/// (the listener is closed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_answers_in_flight_requests_then_exits() {
    // Deadlines far beyond anything the test waits for (the render deadline
    // already is, in `Gateway::start`): the test is about order, not speed.
    let mut gw = Gateway::start(&[
        ("CHARTGATE_SERVER__HEADER_TIMEOUT_MS", "600000"),
        ("CHARTGATE_SERVER__SHUTDOWN_GRACE_MS", "600000"),
    ]);
    let addr = gw.addr;
    let body = serde_json::json!({"chart": bar_chart("in flight at SIGTERM"), "width": 400});
    let post = SplitPost::start(addr, Bytes::from(body.to_string())).await;
    wait_metric(addr, CHART_IN_FLIGHT, |n| n == 1.0).await;
    gw.sigterm();
    poll::until("the listener to close after SIGTERM", || async {
        tokio::net::TcpStream::connect(addr).await.is_err()
    })
    .await;
    let resp = post.finish().await;
    assert_eq!(resp.status, 200, "the in-flight request was answered");
    assert_eq!(resp.header("content-type"), "image/png");
    assert!(resp.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    let status = gw.exited().await;
    assert!(status.success(), "{status:?}");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "new connections are refused after shutdown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_pass_promtool() {
    let gw = Gateway::start(&[]);
    let path = chart_path(&bar_chart("promtool"), &[]);
    for _ in 0..3 {
        request(gw.addr, "GET", &path, &[], Bytes::new()).await;
    }
    request(gw.addr, "GET", "/nope", &[], Bytes::new()).await;
    let metrics = request(gw.addr, "GET", "/metrics", &[], Bytes::new()).await;
    assert_eq!(metrics.status, 200);
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool is installed by scripts/test.sh (Debian package prometheus)");
    use std::io::Write;
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(&metrics.body)
        .unwrap();
    let mut out = String::new();
    promtool
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    promtool
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let status = promtool.wait().unwrap();
    assert!(
        status.success(),
        "promtool: {out}\n{}",
        String::from_utf8_lossy(&metrics.body)
    );
    assert!(out.trim().is_empty(), "promtool has remarks: {out}");
}

#[tokio::test]
async fn render_renderer_chartjs_draws_every_chart_with_chartjs() {
    let forced = Gateway::start(&[("CHARTGATE_RENDER__RENDERER", "chartjs")]);
    let auto = Gateway::start(&[]);
    let path = chart_path(&bar_chart("one axis"), &[]);
    let a = request(forced.addr, "GET", &path, &[], Bytes::new()).await;
    let b = request(auto.addr, "GET", &path, &[], Bytes::new()).await;
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (200, 200));
    assert_eq!(a.header("x-chartgate-renderer"), "chartjs");
    assert_eq!(b.header("x-chartgate-renderer"), "native");
    // The path is part of the key: the two never share a cached picture.
    assert_ne!(a.header("etag"), b.header("etag"));
    // v3 configs too, drawn by Chart.js 3 (a config the native renderer
    // draws without the switch: a v2 `options.title` is an option the v3
    // parser never reads, which would send a chart to Chart.js on its own).
    // It once forced Chart.js 2 only.
    let v3_bar = serde_json::json!({
        "type": "bar",
        "data": {"labels": ["a", "b", "c"], "datasets": [{"label": "n", "data": [1, 2, 3]}]},
        "options": {"plugins": {"title": {"display": true, "text": "v3"}}}
    });
    let v3 = chart_path(&v3_bar.to_string(), &[("v", "3")]);
    let c = request(forced.addr, "GET", &v3, &[], Bytes::new()).await;
    assert_eq!(c.header("x-chartgate-renderer"), "chartjs");
    let d = request(auto.addr, "GET", &v3, &[], Bytes::new()).await;
    assert_eq!(d.header("x-chartgate-renderer"), "native");
}
