//! The real origin of origin mode: `examples/fastapi-origin` (FastAPI,
//! uvicorn, matplotlib) run by the Python of the test venv on a free port,
//! killed on drop. `scripts/test.sh` makes the venv (`.venv`, with
//! `examples/fastapi-origin/requirements.txt`); `CHARTGATE_ORIGIN_PYTHON`
//! names another interpreter.
#![allow(dead_code)]

use super::request;
use bytes::Bytes;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct FastApi {
    pub addr: SocketAddr,
    child: Option<Child>,
}

fn python() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("CHARTGATE_ORIGIN_PYTHON")
        .map_or_else(|| root.join(".venv/bin/python"), PathBuf::from);
    assert!(
        python.exists(),
        "{} is missing: run scripts/test.sh once (it makes .venv with \
         examples/fastapi-origin/requirements.txt), or set CHARTGATE_ORIGIN_PYTHON",
        python.display()
    );
    python
}

impl FastApi {
    /// The app on a free port, answering.
    pub async fn start() -> FastApi {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut origin = FastApi {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            child: None,
        };
        origin.spawn().await;
        origin
    }

    async fn spawn(&mut self) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/fastapi-origin");
        let child = Command::new(python())
            .args([
                "-m",
                "uvicorn",
                "app:app",
                "--host",
                "127.0.0.1",
                "--log-level",
                "warning",
            ])
            .args(["--port", &self.addr.port().to_string(), "--app-dir"])
            .arg(&dir)
            .env("MPLBACKEND", "Agg")
            .stdout(Stdio::null())
            .stderr(match std::env::var_os("TEST_GATEWAY_LOGS") {
                Some(_) => Stdio::inherit(),
                None => Stdio::null(),
            })
            .spawn()
            .expect("start uvicorn");
        self.child = Some(child);
        let addr = self.addr;
        super::poll::until("the FastAPI origin to answer", || async move {
            tokio::net::TcpStream::connect(addr).await.is_ok()
        })
        .await;
    }

    /// `http://127.0.0.1:PORT`, for `[[origin]] url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The app's own figures (`/stats`): renders, calls, in_flight,
    /// max_in_flight, open_figures, rss_kib.
    pub async fn stats(&self) -> serde_json::Value {
        request(self.addr, "GET", "/stats", &[], Bytes::new())
            .await
            .json()
    }

    pub async fn stat(&self, name: &str) -> u64 {
        self.stats().await[name].as_u64().expect("a count")
    }

    /// `POST /admin/<what>` (hold, release, reset, delay?seconds=S).
    pub async fn admin(&self, what: &str) {
        let resp = request(
            self.addr,
            "POST",
            &format!("/admin/{what}"),
            &[],
            Bytes::new(),
        )
        .await;
        assert_eq!(resp.status, 200, "/admin/{what}");
    }

    /// Waits until `n` calls are held at the origin (`admin("hold")`
    /// first), then lets them go.
    pub async fn release_when_holding(&self, n: u64) {
        super::poll::until(format_args!("{n} calls held at the origin"), || async {
            self.stat("in_flight").await == n
        })
        .await;
        self.admin("release").await;
    }

    /// SIGKILL: the origin dies; connections are refused from now on.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for FastApi {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Awaits every response, each a 200, and counts them by `X-Cache`.
pub async fn by_x_cache(
    requests: Vec<tokio::task::JoinHandle<super::Resp>>,
) -> std::collections::BTreeMap<String, usize> {
    let mut by = std::collections::BTreeMap::new();
    for r in requests {
        let resp = r.await.expect("the request task");
        assert_eq!(resp.status, 200, "{:?}", resp.body);
        *by.entry(resp.header("x-cache").to_owned()).or_insert(0) += 1;
    }
    by
}
