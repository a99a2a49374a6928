//! Errors found while reading the HTTP request itself, sent as raw bytes over
//! a real socket: each one comes back in the contract's shape (JSON
//! `{"error", "message"}`, `Content-Type: application/json`,
//! `X-Quickchart-Error`, a `Content-Length` that matches, `Connection: close`
//! and the connection then closed), and the gateway goes on serving charts.
//! `server.max_header_bytes` holds for the whole head, and well-formed
//! keep-alive and pipelined connections are untouched.

mod common;

use chartgate::config::Config;
use chartgate::render::PlottersRenderer;
use common::{bar_chart, chart_path, request, Server};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A bound for reads, so a broken server fails the test instead of hanging
/// it (responses come back in milliseconds).
const READ_LIMIT: Duration = Duration::from_secs(30);

/// One response as it came over the wire.
#[derive(Debug)]
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

/// A raw HTTP/1.1 connection: bytes written as given, responses read one by
/// one (what follows one response stays buffered for the next).
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Conn {
        Conn {
            stream: TcpStream::connect(addr).await.expect("connect"),
            buf: Vec::new(),
        }
    }

    async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.expect("send");
    }

    async fn fill(&mut self) -> usize {
        let mut chunk = [0u8; 16 * 1024];
        let n = tokio::time::timeout(READ_LIMIT, self.stream.read(&mut chunk))
            .await
            .expect("the server answers")
            .expect("read");
        self.buf.extend_from_slice(&chunk[..n]);
        n
    }

    async fn response(&mut self) -> Raw {
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8(self.buf[..end].to_vec()).expect("ASCII head");
                let mut lines = head.split("\r\n");
                let status_line = lines.next().unwrap();
                assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
                let status = status_line[9..12].parse().unwrap();
                let headers: Vec<(String, String)> = lines
                    .map(|l| {
                        let (n, v) = l.split_once(':').expect("name: value");
                        (n.to_ascii_lowercase(), v.trim().to_owned())
                    })
                    .collect();
                let len: usize = headers
                    .iter()
                    .find(|(n, _)| n == "content-length")
                    .map(|(_, v)| v.parse().unwrap())
                    .expect("every response here has a Content-Length");
                while self.buf.len() < end + 4 + len {
                    let n = self.fill().await;
                    assert!(n > 0, "closed inside a body: {:?}", lossy(&self.buf));
                }
                let body = self.buf[end + 4..end + 4 + len].to_vec();
                self.buf.drain(..end + 4 + len);
                return Raw {
                    status,
                    headers,
                    body,
                };
            }
            let n = self.fill().await;
            assert!(n > 0, "closed before a response: {:?}", lossy(&self.buf));
        }
    }

    /// The server closed its side, and nothing followed the response.
    async fn assert_closed(&mut self) {
        let mut chunk = [0u8; 1024];
        let read = tokio::time::timeout(READ_LIMIT, self.stream.read(&mut chunk))
            .await
            .expect("the server closes the connection");
        match read {
            Ok(0) => assert!(self.buf.is_empty(), "bytes after the response"),
            Ok(n) => panic!("more after the response: {:?}", lossy(&chunk[..n])),
            // A reset also ends it (the client's unread bytes can cause one).
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        }
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.len().min(300)]).into_owned()
}

/// The contract's error shape, with the connection closed after it.
fn assert_error(resp: &Raw, status: u16, code: &str, what: &str) {
    assert_eq!(resp.status, status, "{what}: {resp:?}");
    assert_eq!(
        resp.header("content-type"),
        Some("application/json"),
        "{what}"
    );
    let json = resp.json();
    assert_eq!(json["error"], code, "{what}: {json}");
    let message = json["message"].as_str().expect("a message");
    assert!(message.len() > 10, "{what}: message too thin: {message:?}");
    assert_eq!(
        resp.header("x-quickchart-error"),
        Some(message),
        "{what}: the header repeats the message"
    );
    assert_eq!(resp.header("connection"), Some("close"), "{what}");
}

/// A chart still comes back, on a new connection.
async fn still_serves(addr: SocketAddr, what: &str) {
    let resp = request(
        addr,
        "GET",
        &chart_path(&bar_chart("after a protocol error"), &[]),
        &[],
        bytes::Bytes::new(),
    )
    .await;
    assert_eq!(resp.status, 200, "after {what}");
    assert_eq!(resp.header("content-type"), "image/png", "after {what}");
}

/// A GET whose head is exactly `size` bytes, padded by one header field.
fn head_of(size: usize) -> Vec<u8> {
    let start = "GET /healthz HTTP/1.1\r\nhost: x\r\nx-pad: ";
    let pad = size - start.len() - 4;
    format!("{start}{}\r\n\r\n", "a".repeat(pad)).into_bytes()
}

async fn default_server() -> Server {
    Server::start(Config::default(), Arc::new(PlottersRenderer::new())).await
}

/// Every error hyper finds while reading a head, as the contract's JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_errors_have_the_contract_shape() {
    let server = default_server().await;
    let many_headers: String = (0..101).map(|i| format!("x-h{i}: v\r\n")).collect();
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "a 100 KB URL",
            format!("GET /chart?c={} HTTP/1.1\r\nhost: x\r\n\r\n", "x".repeat(100_000)).into_bytes(),
            414,
            "uri_too_long",
        ),
        (
            "101 header fields",
            format!("GET /healthz HTTP/1.1\r\nhost: x\r\n{many_headers}\r\n").into_bytes(),
            431,
            "header_too_large",
        ),
        (
            "one 70 KB header",
            format!("GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n", "a".repeat(70_000))
                .into_bytes(),
            431,
            "header_too_large",
        ),
        (
            "conflicting Content-Length",
            b"POST /chart HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!"
                .to_vec(),
            400,
            "bad_request",
        ),
        (
            "a bogus Transfer-Encoding",
            b"POST /chart HTTP/1.1\r\nhost: x\r\ntransfer-encoding: bogus\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            "chunked not last",
            b"POST /chart HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked, gzip\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            "gzip, chunked",
            b"POST /chart HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip, chunked\r\n\r\n\
              5\r\nhello\r\n0\r\n\r\n"
                .to_vec(),
            400,
            "bad_request",
        ),
        (
            "gzip, chunked on a GET",
            format!(
                "GET {} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                chart_path(&bar_chart("te"), &[])
            )
            .into_bytes(),
            400,
            "bad_request",
        ),
        (
            "HTTP/1.2",
            b"GET /healthz HTTP/1.2\r\nhost: x\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            "a space in a header name",
            b"GET /healthz HTTP/1.1\r\nhost: x\r\nbad name: v\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
    ];
    for (what, bytes, status, code) in cases {
        let mut conn = Conn::open(server.addr).await;
        conn.send(&bytes).await;
        let resp = conn.response().await;
        assert_error(&resp, status, code, what);
        conn.assert_closed().await;
        still_serves(server.addr, what).await;
    }
    server.stop().await;
}

/// The messages say which limit was hit, and the metrics count each error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_name_the_limit_and_metrics_count_them() {
    let server = default_server().await;
    let many: String = (0..101).map(|i| format!("x-h{i}: v\r\n")).collect();
    let mut conn = Conn::open(server.addr).await;
    conn.send(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes())
        .await;
    let fields = conn.response().await.json();
    drop(conn);
    assert!(
        fields["message"]
            .as_str()
            .unwrap()
            .contains("100 header fields"),
        "{fields}"
    );

    let mut conn = Conn::open(server.addr).await;
    conn.send(&head_of(70_000)).await;
    let big = conn.response().await.json();
    drop(conn);
    assert!(big["message"].as_str().unwrap().contains("65536"), "{big}");

    let mut conn = Conn::open(server.addr).await;
    let url = format!("GET /chart?c={} HTTP/1.1\r\n\r\n", "x".repeat(100_000));
    conn.send(url.as_bytes()).await;
    let long = conn.response().await.json();
    // Closed, so the server's lingering ends now, not at its time bound.
    drop(conn);
    assert!(
        long["message"].as_str().unwrap().contains("16384"),
        "{long}"
    );

    let metrics = server.get("/metrics").await;
    let text = String::from_utf8_lossy(&metrics.body).into_owned();
    for line in [
        "chartgate_http_requests_total{route=\"other\",status=\"431\"} 2",
        "chartgate_http_requests_total{route=\"other\",status=\"414\"} 1",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    server.stop().await;
}

/// `server.max_header_bytes` is the size of the whole head, to the byte; a
/// URL over `limits.max_url_bytes` whose head fits gets the route's 414 and
/// the connection stays open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_header_bytes_holds_to_the_byte() {
    let server = default_server().await;
    let limit = server.app.config().server.max_header_bytes;
    assert_eq!(limit, 65_536);

    let mut conn = Conn::open(server.addr).await;
    conn.send(&head_of(limit)).await;
    let at = conn.response().await;
    assert_eq!(at.status, 200, "a head of exactly the limit: {at:?}");
    assert_eq!(at.header("connection"), None, "kept alive");

    let mut conn = Conn::open(server.addr).await;
    conn.send(&head_of(limit + 1)).await;
    let over = conn.response().await;
    assert_error(&over, 431, "header_too_large", "one byte over the limit");
    conn.assert_closed().await;
    drop(conn);

    // Between the URL limit and the head limit: the route answers, in JSON,
    // and the connection serves the next request.
    let max_url = server.app.config().limits.max_url_bytes;
    let mut conn = Conn::open(server.addr).await;
    let url = format!("/chart?c={}", "x".repeat(max_url + 1000));
    conn.send(format!("GET {url} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
        .await;
    let long = conn.response().await;
    assert_eq!(long.status, 414);
    assert_eq!(long.json()["error"], "uri_too_long");
    assert!(long.header("x-quickchart-error").is_some());
    conn.send(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").await;
    assert_eq!(conn.response().await.status, 200);
    server.stop().await;
}

/// The limits follow the configuration: with small ones, a head over
/// `server.max_header_bytes` is 431 unless its URL is over
/// `limits.max_url_bytes`, which is 414 whether or not the head fits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_limits_decide_414_or_431() {
    let mut config = Config::default();
    config.server.max_header_bytes = 8192;
    config.limits.max_url_bytes = 2048;
    let server = Server::start(config, Arc::new(PlottersRenderer::new())).await;
    let cases = [
        // (URL bytes, header padding, status, code)
        (3000, 0, 414, "uri_too_long"),
        (9000, 0, 414, "uri_too_long"),
        (20_000, 0, 414, "uri_too_long"),
        (100, 9000, 431, "header_too_large"),
        (2000, 7000, 431, "header_too_large"),
    ];
    for (url_len, pad, status, code) in cases {
        let what = format!("URL {url_len}, padding {pad}");
        let url = format!("/chart?c={}", "x".repeat(url_len - 9));
        let head = format!(
            "GET {url} HTTP/1.1\r\nhost: x\r\nx-pad: {}\r\n\r\n",
            "a".repeat(pad)
        );
        let mut conn = Conn::open(server.addr).await;
        conn.send(head.as_bytes()).await;
        let resp = conn.response().await;
        assert_eq!(resp.status, status, "{what}: {resp:?}");
        assert_eq!(resp.json()["error"], code, "{what}");
        assert!(resp.header("x-quickchart-error").is_some(), "{what}");
    }
    let message = {
        let mut conn = Conn::open(server.addr).await;
        conn.send(&head_of(9000)).await;
        conn.response().await.json()["message"].clone()
    };
    assert!(message.as_str().unwrap().contains("8192"), "{message}");
    server.stop().await;
}

/// Well-formed requests on one keep-alive connection, one after another and
/// pipelined: all answered in order, none closed, bodies intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_alive_and_pipelining_are_unaffected() {
    let server = default_server().await;
    let chart = chart_path(&bar_chart("keep-alive"), &[]);
    let mut conn = Conn::open(server.addr).await;
    let mut bodies = Vec::new();
    for i in 0..4 {
        conn.send(format!("GET {chart} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
            .await;
        let resp = conn.response().await;
        assert_eq!(resp.status, 200, "request {i}");
        assert_eq!(resp.header("content-type"), Some("image/png"));
        assert_eq!(resp.header("connection"), None);
        let expected = if i == 0 { "miss" } else { "hit-memory" };
        assert_eq!(resp.header("x-cache"), Some(expected), "request {i}");
        bodies.push(resp.body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));

    // An error of a route, a chunked POST and a HEAD on the same connection.
    conn.send(b"GET /nope HTTP/1.1\r\nhost: x\r\n\r\n").await;
    let missing = conn.response().await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("connection"), None);
    let body = serde_json::json!({"chart": bar_chart("chunked")}).to_string();
    conn.send(
        format!(
            "POST /chart HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
             transfer-encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .await;
    let posted = conn.response().await;
    assert_eq!(posted.status, 200, "{posted:?}");
    assert_eq!(posted.header("content-type"), Some("image/png"));

    // Three requests in one write.
    let pipelined = format!(
        "GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n\
         GET {chart} HTTP/1.1\r\nhost: x\r\n\r\n\
         GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
    );
    conn.send(pipelined.as_bytes()).await;
    assert_eq!(conn.response().await.status, 200);
    let hit = conn.response().await;
    assert_eq!(hit.status, 200);
    assert_eq!(hit.body, bodies[0]);
    let last = conn.response().await;
    assert_eq!(last.status, 200);
    assert_eq!(last.header("connection"), Some("close"));
    conn.assert_closed().await;

    // A protocol error after good requests on the same connection still
    // gets the JSON shape.
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").await;
    assert_eq!(conn.response().await.status, 200);
    conn.send(&head_of(70_000)).await;
    let over = conn.response().await;
    assert_error(&over, 431, "header_too_large", "after a good request");
    conn.assert_closed().await;
    drop(conn);
    let mut conn = Conn::open(server.addr).await;
    conn.send(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").await;
    assert_eq!(conn.response().await.status, 200);
    let url = format!("GET /chart?c={} HTTP/1.1\r\n\r\n", "x".repeat(100_000));
    conn.send(url.as_bytes()).await;
    assert_error(
        &conn.response().await,
        414,
        "uri_too_long",
        "a long URL after a good request",
    );
    drop(conn);
    server.stop().await;
}
