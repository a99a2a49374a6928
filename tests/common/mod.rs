//! Test harness: a real gateway on 127.0.0.1:0 in this process, a plain
//! HTTP/1.1 client over real sockets, and renderer wrappers used as seams
//! (counting, slowing down, panicking) around the real renderer.
#![allow(dead_code)]

pub mod process;
pub mod redis;

use bytes::Bytes;
use chartgate::chart::ChartRequest;
use chartgate::config::Config;
use chartgate::http::App;
use chartgate::render::{PlottersRenderer, RenderError, Renderer};
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Request, StatusCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

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

    /// A gateway with default config and the real renderer.
    pub async fn default() -> Server {
        Server::start(Config::default(), Arc::new(PlottersRenderer::new())).await
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
            let _ = tokio::time::timeout(Duration::from_secs(15), task).await;
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

/// One request on a fresh connection.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> Resp {
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .expect("handshake");
    tokio::spawn(conn);
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
    let (parts, body) = resp.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    Resp {
        status: parts.status,
        headers: parts.headers,
        body,
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

/// Counts renders, optionally slows each one down (so concurrent requests
/// overlap), and panics on chosen calls; the picture comes from the real
/// renderer.
pub struct Seam {
    inner: PlottersRenderer,
    pub calls: AtomicUsize,
    delay: Duration,
    panic_on: Vec<usize>,
}

impl Seam {
    pub fn new(delay: Duration) -> Arc<Seam> {
        Seam::panicking(delay, vec![])
    }

    /// Panics on the listed call numbers (1-based).
    pub fn panicking(delay: Duration, panic_on: Vec<usize>) -> Arc<Seam> {
        Arc::new(Seam {
            inner: PlottersRenderer::new(),
            calls: AtomicUsize::new(0),
            delay,
            panic_on,
        })
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Renderer for Seam {
    fn render(&self, req: &ChartRequest, deadline: Instant) -> Result<Bytes, RenderError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        std::thread::sleep(self.delay);
        if self.panic_on.contains(&n) {
            panic!("test seam: render {n} panics");
        }
        self.inner.render(req, deadline)
    }
}

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
