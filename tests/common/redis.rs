//! Real `redis-server` processes for tests, never the one on 6379: each on a
//! free port of 127.0.0.1, in a temp dir of its own, without persistence
//! (`--save "" --appendonly no`), killed (SIGKILL) and its dir removed on
//! drop. `RedisServer` can be killed and restarted on the same port, to test
//! an outage; `RedisCluster` builds a Cluster of masters with
//! `redis-cli --cluster create`.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct RedisServer {
    pub port: u16,
    dir: PathBuf,
    cluster: bool,
    child: Option<Child>,
}

impl RedisServer {
    /// A standalone server on a free port, answering PING.
    pub fn start() -> RedisServer {
        RedisServer::start_mode(false)
    }

    fn start_mode(cluster: bool) -> RedisServer {
        let mut last_error = String::new();
        // Another process may take the free port between the check and the
        // server's bind: try a few ports.
        for _ in 0..5 {
            let port = free_port(cluster);
            let mut server = RedisServer {
                port,
                dir: temp_dir(port),
                cluster,
                child: None,
            };
            match server.spawn() {
                Ok(()) => return server,
                Err(e) => last_error = e,
            }
        }
        panic!("could not start redis-server: {last_error}");
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// A plain synchronous connection, to look at or tamper with keys.
    pub fn client(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|c| c.get_connection_with_timeout(super::poll::HANG_GUARD))
            .expect("connect to the test redis")
    }

    /// SIGKILL, as a crash: no shutdown, connections reset.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port (empty: nothing persisted).
    pub fn restart(&mut self) {
        self.kill();
        self.spawn().expect("restart redis-server on its port");
    }

    fn spawn(&mut self) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        let port = self.port.to_string();
        let mut cmd = Command::new("redis-server");
        cmd.args(["--port", &port, "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .args(["--logfile", "redis.log", "--daemonize", "no"]);
        if self.cluster {
            cmd.args(["--cluster-enabled", "yes"])
                .args(["--cluster-config-file", "nodes.conf"])
                .args(["--cluster-node-timeout", "5000"]);
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("redis-server: {e}"))?;
        self.child = Some(child);
        self.wait_ready()
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let port = self.port;
        let ready = super::poll::until_blocking(
            format_args!("redis-server on {port} to answer PING"),
            || match self.child.as_mut().map(Child::try_wait) {
                Some(Ok(Some(status))) => Some(Err(status)),
                _ => self.ping().then_some(Ok(())),
            },
        );
        ready.map_err(|status| {
            self.child = None;
            format!("redis-server on {port} exited: {status}")
        })
    }

    fn ping(&self) -> bool {
        let Ok(client) = redis::Client::open(self.url()) else {
            return false;
        };
        let Ok(mut conn) = client.get_connection_with_timeout(Duration::from_millis(200)) else {
            return false;
        };
        redis::cmd("PING").query::<String>(&mut conn).is_ok()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A Redis Cluster of masters only, every slot assigned.
pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
}

impl RedisCluster {
    pub fn start(masters: usize) -> RedisCluster {
        let nodes: Vec<RedisServer> = (0..masters)
            .map(|_| RedisServer::start_mode(true))
            .collect();
        let addrs: Vec<String> = nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        let out = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addrs)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdin(Stdio::null())
            .output()
            .expect("run redis-cli --cluster create");
        assert!(
            out.status.success(),
            "redis-cli --cluster create failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let cluster = RedisCluster { nodes };
        cluster.wait_ok();
        cluster
    }

    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(RedisServer::url).collect()
    }

    /// Until every node says `cluster_state:ok`.
    fn wait_ok(&self) {
        for node in &self.nodes {
            super::poll::until_blocking("the cluster to reach state ok", || {
                let info: String = redis::cmd("CLUSTER")
                    .arg("INFO")
                    .query(&mut node.client())
                    .unwrap_or_default();
                info.contains("cluster_state:ok")
            });
        }
    }
}

/// A port nothing listens on; for a Cluster node, its bus port (+10000) too.
fn free_port(cluster: bool) -> u16 {
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().expect("local addr").port();
        if port == 6379 {
            continue;
        }
        if !cluster {
            return port;
        }
        let bus_free = port
            .checked_add(10_000)
            .is_some_and(|bus| TcpListener::bind(("127.0.0.1", bus)).is_ok());
        if bus_free {
            return port;
        }
    }
}

fn temp_dir(port: u16) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "chartgate-redis-{}-{port}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}
