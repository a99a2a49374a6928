//! Test harness: a real gateway on 127.0.0.1:0 in this process, a plain
//! HTTP/1.1 client over real sockets, a renderer seam the test controls
//! (counting, holding renders until released, panicking) around the real
//! renderer, and `poll` for waiting on conditions.
#![allow(dead_code)]

pub mod gallery;
pub mod image;
pub mod origin;
pub mod poll;
pub mod process;
pub mod redis;

use bytes::Bytes;
use chartgate::app::App;
use chartgate::chart::ChartRequest;
use chartgate::config::Config;
use chartgate::render::{PlottersRenderer, RenderError, Renderer};
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Request, StatusCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{oneshot, watch};

/// The config tests start in-process gateways with: the defaults, except
/// that a render's deadline is a hang guard (10 minutes) and a script's
/// ten seconds. Tests hold renders
/// for as long as they need, and a slow machine must not turn a render into
/// a 504; a test of the deadline sets its own.
pub fn config() -> Config {
    let mut config = Config::default();
    config.render.timeout_ms = 600_000;
    // The same for a config's script: a test of the time limit sets its own.
    config.script.time_ms = 10_000;
    config
}

pub struct Server {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    pub async fn start(config: Config, renderer: Arc<dyn Renderer>) -> Server {
        config.validate().expect("test config is valid");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = App::new(config, renderer);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(chartgate::server::run(listener, Arc::clone(&app), async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            app,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A gateway with the test config (`config()`) and the real renderer.
    pub async fn default() -> Server {
        Server::start(config(), Arc::new(PlottersRenderer::new())).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        request(self.addr, "GET", path, &[], Bytes::new()).await
    }

    pub async fn post(&self, path: &str, body: &str) -> Resp {
        request(
            self.addr,
            "POST",
            path,
            &[("content-type", "application/json")],
            Bytes::from(body.to_owned()),
        )
        .await
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(poll::HANG_GUARD, task).await;
        }
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

/// A fresh HTTP/1.1 client connection to `addr`, its driver spawned.
pub async fn connect<B>(addr: SocketAddr) -> hyper::client::conn::http1::SendRequest<B>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
    sender
}

/// `DELETE /cache/KEY` (`key` as in the ETag, quotes or not) with the
/// admin `token`.
pub async fn purge(addr: SocketAddr, key: &str, token: &str) -> Resp {
    let path = format!("/cache/{}", key.trim_matches('"'));
    let auth = format!("Bearer {token}");
    request(
        addr,
        "DELETE",
        &path,
        &[("authorization", &auth)],
        Bytes::new(),
    )
    .await
}

/// A GET on a fresh connection whose body is left to the caller to read
/// as it streams (a relayed answer too big, or too slow, to read whole).
pub async fn get_streaming(addr: SocketAddr, path: &str) -> hyper::Response<hyper::body::Incoming> {
    let mut sender = connect::<Full<Bytes>>(addr).await;
    let req = Request::get(path)
        .header("host", addr.to_string())
        .body(Full::new(Bytes::new()))
        .unwrap();
    sender.send_request(req).await.expect("the response head")
}

/// A response read whole.
async fn read_whole(resp: hyper::Response<hyper::body::Incoming>) -> Resp {
    let (parts, body) = resp.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    Resp {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// One request on a fresh connection.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> Resp {
    let mut sender = connect(addr).await;
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr.to_string());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = sender
        .send_request(req.body(Full::new(body)).unwrap())
        .await
        .expect("response");
    read_whole(resp).await
}

/// A `POST /chart` sent in two parts on its own connection: the head and the
/// first half of the body at `start`, the rest at `finish`. In between, the
/// gateway's handler is running (reading the body), which shows on
/// `CHART_IN_FLIGHT`: a request held in flight for as long as the test needs,
/// whatever the machine's speed.
pub struct SplitPost {
    tx: http_body_util::channel::Sender<Bytes>,
    rest: Bytes,
    resp: tokio::task::JoinHandle<Resp>,
}

impl SplitPost {
    pub async fn start(addr: SocketAddr, body: Bytes) -> SplitPost {
        let mut sender = connect(addr).await;
        let (mut tx, channel) = http_body_util::channel::Channel::<Bytes>::new(2);
        let half = body.len() / 2;
        tx.send_data(body.slice(..half))
            .await
            .expect("the body channel is open");
        let req = Request::post("/chart")
            .header("host", addr.to_string())
            .header("content-type", "application/json")
            .header("content-length", body.len())
            .body(channel)
            .unwrap();
        let resp = tokio::spawn(async move {
            read_whole(sender.send_request(req).await.expect("response")).await
        });
        SplitPost {
            tx,
            rest: body.slice(half..),
            resp,
        }
    }

    /// Sends the rest of the body and returns the response.
    pub async fn finish(mut self) -> Resp {
        self.tx
            .send_data(self.rest)
            .await
            .expect("the connection is still open");
        drop(self.tx);
        poll::hang_guard("the response to a split POST", self.resp)
            .await
            .expect("the request task")
    }
}

/// `/chart?…` for a Chart.js config given as JSON text, plus extra pairs.
pub fn chart_path(config: &str, extra: &[(&str, &str)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("c", config);
    for (k, v) in extra {
        q.append_pair(k, v);
    }
    format!("/chart?{}", q.finish())
}

/// A small bar chart whose title makes it distinct.
pub fn bar_chart(title: &str) -> String {
    serde_json::json!({
        "type": "bar",
        "data": {"labels": ["a", "b", "c"], "datasets": [{"label": "n", "data": [1, 2, 3]}]},
        "options": {"title": {"display": true, "text": title}}
    })
    .to_string()
}

/// The real renderer behind a seam the test controls: it counts renders,
/// tells the test when each one starts (`started`), can hold them at that
/// point until the test lets them go (`hold` / `release`), can make each one
/// take at least a given time (`taking`, for tests of measured render time),
/// and can panic on chosen calls. Tests that need renders to overlap hold
/// them: they never guess how long a render takes on this machine.
pub struct Seam {
    inner: PlottersRenderer,
    calls: AtomicUsize,
    delay: Duration,
    panic_on: Vec<usize>,
    /// Renders begun so far; the test awaits it.
    started: watch::Sender<usize>,
    /// `true` while renders may go on; they wait on `opened` otherwise.
    open: Mutex<bool>,
    opened: Condvar,
}

impl Seam {
    /// Renders at once, counting.
    pub fn new() -> Arc<Seam> {
        Seam::build(Duration::ZERO, vec![])
    }

    /// Each render takes at least `delay` (a floor on the render time the
    /// gateway measures, never a way to make requests overlap).
    pub fn taking(delay: Duration) -> Arc<Seam> {
        Seam::build(delay, vec![])
    }

    /// Panics on the listed call numbers (1-based).
    pub fn panicking(panic_on: Vec<usize>) -> Arc<Seam> {
        Seam::build(Duration::ZERO, panic_on)
    }

    fn build(delay: Duration, panic_on: Vec<usize>) -> Arc<Seam> {
        Arc::new(Seam {
            inner: PlottersRenderer::new(),
            calls: AtomicUsize::new(0),
            delay,
            panic_on,
            started: watch::channel(0).0,
            open: Mutex::new(true),
            opened: Condvar::new(),
        })
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Renders that start from now on wait, once they have signalled their
    /// start, until `release`.
    pub fn hold(&self) {
        *self.open.lock().unwrap() = false;
    }

    /// Lets every held render, and every later one, go on.
    pub fn release(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    /// Waits until `n` renders in all have started (and, if held, are
    /// waiting for `release`).
    pub async fn started(&self, n: usize) {
        let mut rx = self.started.subscribe();
        poll::hang_guard(
            format_args!("render {n} to start"),
            rx.wait_for(|&begun| begun >= n),
        )
        .await
        .expect("the seam lives as long as the test");
    }
}

impl Renderer for Seam {
    fn render(&self, req: &ChartRequest, deadline: Instant) -> Result<Bytes, RenderError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        self.started.send_modify(|begun| *begun += 1);
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.opened.wait(open).unwrap();
        }
        drop(open);
        std::thread::sleep(self.delay);
        if self.panic_on.contains(&n) {
            panic!("test seam: render {n} panics");
        }
        self.inner.render(req, deadline)
    }
}

/// The value of a series on a gateway's `/metrics`: the first sample whose
/// line is `series value` (`series` with its labels, if any); 0 when absent.
pub async fn metric(addr: SocketAddr, series: &str) -> f64 {
    let m = request(addr, "GET", "/metrics", &[], Bytes::new()).await;
    assert_eq!(m.status, 200, "/metrics answers");
    String::from_utf8_lossy(&m.body)
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().expect("a sample value"))
}

/// Waits until `series` on `/metrics` satisfies `ok`.
pub async fn wait_metric(addr: SocketAddr, series: &str, ok: impl Fn(f64) -> bool) {
    poll::until(format_args!("{series} on /metrics"), || async {
        ok(metric(addr, series).await)
    })
    .await
}

/// Waits until one render by `renderer` (`native` or `chartjs`) has ended
/// as a timeout, then checks no render is left in flight: the worker a
/// looping script held is free again. Waited on, never timed (a render
/// after it could miss a short deadline on a busy machine); the timeout is
/// counted after the worker leaves the render, so in-flight is settled.
pub async fn wait_worker_freed_by_timeout(addr: SocketAddr, renderer: &str) {
    let timed_out =
        format!("chartgate_renders_total{{outcome=\"timeout\",renderer=\"{renderer}\"}}");
    wait_metric(addr, &timed_out, |v| v == 1.0).await;
    assert_eq!(metric(addr, "chartgate_renders_in_flight").await, 0.0);
}

/// `chartgate_http_requests_in_flight` of `/chart`: chart requests whose
/// handler is running (reading a body, parsing, waiting on a render).
pub const CHART_IN_FLIGHT: &str = "chartgate_http_requests_in_flight{route=\"/chart\"}";

/// Raises this process's open-file limit to its hard limit, for tests that
/// hold a thousand connections open (both ends live in this process).
pub fn raise_fd_limit() {
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// The texts of an SVG document, in document order: the labels a test
/// reads off a chart.
pub fn svg_texts(doc: &str) -> Vec<String> {
    doc.split("<text")
        .skip(1)
        .filter_map(|t| {
            Some(
                t.split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .to_owned(),
            )
        })
        .collect()
}

/// What Chart.js `version` records for `config` (evaluated JSON) on a
/// 500×300 canvas at ratio 1, under this thread's script limits, with text
/// 6 px a character: the Chart.js renderer without its raster.
pub fn chartjs_recording(config: &str, version: u8) -> chartgate::script::chartjs::Recording {
    use chartgate::script::chartjs;
    let widths = |_: &str, text: &str| text.chars().count() as f64 * 6.0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let canvas = chartjs::Canvas {
        width: 500,
        height: 300,
        ratio: 1.0,
    };
    chartjs::record(config, version, canvas, deadline, widths).expect("Chart.js draws")
}
