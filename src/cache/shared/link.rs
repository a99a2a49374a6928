//! The connection to Redis (one server, or a Cluster) behind the breaker and
//! the per-operation deadline: the only place that sends commands.
//!
//! Every operation goes through `Link::run`, which
//! - answers `Unavailable` without any I/O while the breaker is down or no
//!   connection exists yet;
//! - bounds the operation by `redis.timeout_ms`, so no request waits longer
//!   than that on Redis;
//! - reports the outcome to the breaker and counts failures by operation.
//!
//! The connection is made by the probe task in the background (`probe`, every
//! `probe_interval`), never on a request's path, so a gateway starts and
//! serves while Redis is down. A single server is reached through redis-rs's
//! `ConnectionManager`, a Cluster through its async cluster connection; both
//! reconnect by themselves, and the probe drops and rebuilds the connection
//! after `REBUILD_AFTER` failed probes in a row in case one never does.

use super::breaker::{Breaker, Transition};
use crate::labels::RedisOp;
use crate::metrics::Metrics;
use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::cluster::ClusterClient;
use ::redis::cluster_async::ClusterConnection;
use ::redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
use ::redis::{Cmd, FromRedisValue, Pipeline, RedisResult};
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Deadline of establishing a connection. Only the probe task waits on it.
const CONNECT_DEADLINE: Duration = Duration::from_secs(1);

/// Failed probes in a row after which the connection is thrown away and made
/// anew (about 5 s at the default probe interval).
const REBUILD_AFTER: u32 = 10;

/// Redis was not asked (breaker down, not connected) or did not answer in
/// time. The caller goes on without Redis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unavailable;

/// Where `redis.url` points.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    Single(String),
    Cluster(Vec<String>),
}

impl Target {
    /// The node URLs, for the pub/sub connection.
    pub(crate) fn urls(&self) -> Vec<String> {
        match self {
            Target::Single(url) => vec![url.clone()],
            Target::Cluster(urls) => urls.clone(),
        }
    }
}

/// One node to send a command to: on a Cluster, `SCAN` must visit each master.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    /// The single server.
    Only,
    /// A Cluster node by address.
    At(String, u16),
}

#[derive(Clone)]
enum Conn {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

impl Conn {
    async fn query<T: FromRedisValue>(mut self, cmd: &Cmd) -> RedisResult<T> {
        match &mut self {
            Conn::Single(c) => cmd.query_async(c).await,
            Conn::Cluster(c) => cmd.query_async(c).await,
        }
    }

    async fn pipe<T: FromRedisValue>(mut self, pipe: &Pipeline) -> RedisResult<T> {
        match &mut self {
            Conn::Single(c) => pipe.query_async(c).await,
            Conn::Cluster(c) => pipe.query_async(c).await,
        }
    }

    async fn query_on<T: FromRedisValue>(mut self, cmd: &Cmd, node: &Node) -> RedisResult<T> {
        match (&mut self, node) {
            (Conn::Cluster(c), Node::At(host, port)) => {
                let route = RoutingInfo::SingleNode(SingleNodeRoutingInfo::ByAddress {
                    host: host.clone(),
                    port: *port,
                });
                let value = c.route_command(cmd.clone(), route).await?;
                Ok(::redis::from_redis_value(value)?)
            }
            _ => self.query(cmd).await,
        }
    }
}

pub(crate) struct Link {
    target: Target,
    conn: RwLock<Option<Conn>>,
    breaker: Breaker,
    timeout: Duration,
    metrics: Arc<Metrics>,
}

impl Link {
    pub(crate) fn new(
        target: Target,
        timeout: Duration,
        threshold: u32,
        metrics: Arc<Metrics>,
    ) -> Link {
        metrics.redis_configured();
        metrics.set_redis_up(false);
        Link {
            target,
            conn: RwLock::new(None),
            breaker: Breaker::new(threshold),
            timeout,
            metrics,
        }
    }

    pub(crate) fn is_up(&self) -> bool {
        self.breaker.is_up()
    }

    pub(crate) fn target(&self) -> &Target {
        &self.target
    }

    pub(crate) fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    fn connection(&self) -> Option<Conn> {
        self.conn.read().expect("redis conn lock").clone()
    }

    /// One command, within the deadline.
    pub(crate) async fn query<T: FromRedisValue>(
        &self,
        op: RedisOp,
        cmd: &Cmd,
    ) -> Result<T, Unavailable> {
        self.run(op, |c| c.query(cmd)).await
    }

    /// A pipeline (one round trip), within the deadline. On a Cluster all its
    /// keys must share a slot, which the `{key hex}` hash tag guarantees.
    pub(crate) async fn pipe<T: FromRedisValue>(
        &self,
        op: RedisOp,
        pipe: &Pipeline,
    ) -> Result<T, Unavailable> {
        self.run(op, |c| c.pipe(pipe)).await
    }

    /// One command on one node, within the deadline.
    pub(crate) async fn query_on<T: FromRedisValue>(
        &self,
        op: RedisOp,
        cmd: &Cmd,
        node: &Node,
    ) -> Result<T, Unavailable> {
        self.run(op, |c| c.query_on(cmd, node)).await
    }

    async fn run<T, F, Fut>(&self, op: RedisOp, send: F) -> Result<T, Unavailable>
    where
        F: FnOnce(Conn) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        if !self.breaker.is_up() {
            return Err(Unavailable);
        }
        let conn = self.connection().ok_or(Unavailable)?;
        match tokio::time::timeout(self.timeout, send(conn)).await {
            Ok(Ok(value)) => {
                self.breaker.success();
                Ok(value)
            }
            Ok(Err(e)) => {
                tracing::debug!(op = op.as_str(), error = %e, "redis operation failed");
                self.failed(op);
                Err(Unavailable)
            }
            Err(_) => {
                tracing::debug!(op = op.as_str(), "redis operation timed out");
                self.failed(op);
                Err(Unavailable)
            }
        }
    }

    fn failed(&self, op: RedisOp) {
        self.metrics.redis_error(op);
        self.report(self.breaker.failure());
    }

    fn report(&self, transition: Transition) {
        match transition {
            Transition::None => {}
            Transition::WentDown => {
                self.metrics.set_redis_up(false);
                tracing::warn!("redis is down: serving from memory and rendering locally");
            }
            Transition::CameUp => {
                self.metrics.set_redis_up(true);
                tracing::info!("redis is up: sharing renders again");
            }
        }
    }

    /// The masters to visit for a keyspace scan.
    pub(crate) async fn scan_nodes(&self) -> Result<Vec<Node>, Unavailable> {
        if matches!(self.target, Target::Single(_)) {
            return Ok(vec![Node::Only]);
        }
        let nodes: String = self
            .query(RedisOp::Purge, ::redis::cmd("CLUSTER").arg("NODES"))
            .await?;
        Ok(parse_masters(&nodes))
    }

    /// One probe: connect if there is no connection, then PING. Runs on the
    /// probe task only; the result moves the breaker.
    pub(crate) async fn probe(&self) {
        let conn = match self.connection() {
            Some(conn) => conn,
            None => match tokio::time::timeout(CONNECT_DEADLINE, self.open()).await {
                Ok(Ok(conn)) => {
                    *self.conn.write().expect("redis conn lock") = Some(conn.clone());
                    conn
                }
                Ok(Err(e)) => return self.probe_failed(Some(e)),
                Err(_) => return self.probe_failed(None),
            },
        };
        let ping = ::redis::cmd("PING");
        match tokio::time::timeout(self.timeout, conn.query::<::redis::Value>(&ping)).await {
            Ok(Ok(_)) => self.report(self.breaker.probe_ok()),
            Ok(Err(e)) => self.probe_failed(Some(e)),
            Err(_) => self.probe_failed(None),
        }
    }

    fn probe_failed(&self, error: Option<::redis::RedisError>) {
        tracing::debug!(error = ?error, "redis probe failed");
        self.failed(RedisOp::Ping);
        if self.breaker.failures() >= REBUILD_AFTER {
            *self.conn.write().expect("redis conn lock") = None;
        }
    }

    async fn open(&self) -> RedisResult<Conn> {
        match &self.target {
            Target::Single(url) => {
                let client = ::redis::Client::open(url.as_str())?;
                // No retries inside the manager: the probe is the retry loop,
                // and a request must never wait on a reconnect schedule.
                let config = ConnectionManagerConfig::new()
                    .set_number_of_retries(0)
                    .set_connection_timeout(Some(CONNECT_DEADLINE))
                    .set_response_timeout(Some(CONNECT_DEADLINE));
                let manager = ConnectionManager::new_with_config(client, config).await?;
                Ok(Conn::Single(manager))
            }
            Target::Cluster(urls) => {
                let client = ClusterClient::builder(urls.iter().map(String::as_str))
                    .connection_timeout(CONNECT_DEADLINE)
                    .response_timeout(CONNECT_DEADLINE)
                    .build()?;
                Ok(Conn::Cluster(client.get_async_connection().await?))
            }
        }
    }
}

/// Masters that are not failing, from `CLUSTER NODES` lines:
/// `<id> <host:port@bus[,hostname]> <flags> …`.
fn parse_masters(nodes: &str) -> Vec<Node> {
    nodes
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let addr = fields.nth(1)?;
            let flags = fields.next()?;
            let is_master = flags.split(',').any(|f| f == "master");
            let failing = flags.split(',').any(|f| f == "fail" || f == "noaddr");
            if !is_master || failing {
                return None;
            }
            let host_port = addr.split(['@', ',']).next()?;
            let (host, port) = host_port.rsplit_once(':')?;
            let port: u16 = port.parse().ok().filter(|&p| p != 0)?;
            Some(Node::At(host.to_string(), port))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_masters_from_cluster_nodes() {
        let text = "\
a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460
b2 127.0.0.1:7002@17002,host-b master - 0 0 2 connected 5461-10922
c3 127.0.0.1:7003@17003 slave a1 0 0 1 connected
d4 127.0.0.1:7004@17004 master,fail - 0 0 3 disconnected
e5 :0@0 master,noaddr - 0 0 4 disconnected
";
        assert_eq!(
            parse_masters(text),
            vec![
                Node::At("127.0.0.1".into(), 7001),
                Node::At("127.0.0.1".into(), 7002)
            ]
        );
    }

    #[tokio::test]
    async fn answers_unavailable_without_io_while_down() {
        let metrics = Arc::new(Metrics::default());
        // Nothing listens there, and nothing is even tried: the breaker
        // starts down and no probe runs in this test.
        let link = Link::new(
            Target::Single("redis://127.0.0.1:1".into()),
            Duration::from_millis(50),
            3,
            Arc::clone(&metrics),
        );
        let got: Result<Option<Vec<u8>>, _> = link.query(RedisOp::Get, &::redis::cmd("GET")).await;
        assert_eq!(got, Err(Unavailable));
        assert_eq!(
            metrics.redis_errors(RedisOp::Get),
            0,
            "no attempt, no error"
        );
        assert!(!metrics.redis_up());
    }
}
