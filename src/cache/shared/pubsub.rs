//! The one pub/sub connection of a process: "done" messages wake the
//! requests waiting on another replica's render, "purge" messages drop
//! charts from this replica's memory.
//!
//! One subscriber task per `RedisTier` holds a RESP3 connection subscribed to
//! two channels, `chartgate:<version>:done` (payload: the key hex) and
//! `chartgate:<version>:purge` (payload: the key hex, or `*` for everything), and
//! dispatches each message to local waiters by key (`Hub::register`) or to
//! the purge hooks. Requests never subscribe themselves, so a thousand
//! waiting requests cost one connection.
//!
//! Pub/sub is best effort: a message published while this connection is
//! down is lost. Waiters therefore also poll (see `lease.rs`), and a missed
//! purge only lasts until the memory entry's TTL. On a Cluster, classic
//! `PUBLISH` reaches every node, so the subscriber listens on any one node
//! and moves to the next URL when that node goes away. While the breaker
//! says Redis is down the subscriber does not try to connect; it resubscribes
//! within `RESUBSCRIBE_DELAY` of the probe seeing Redis again.

use super::keys;
use super::link::{Link, Unavailable};
use crate::chart::ChartKey;
use crate::labels::RedisOp;
use ::redis::{AsyncConnectionConfig, ProtocolVersion, PushInfo, PushKind, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// Pause before the subscriber reconnects after losing its connection.
const RESUBSCRIBE_DELAY: Duration = Duration::from_millis(250);

/// How often an idle subscription is checked with a PING, so a connection
/// that died silently is noticed.
const KEEPALIVE: Duration = Duration::from_secs(1);

/// What another replica (or this one) purged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purge {
    Key(ChartKey),
    All,
}

type PurgeHook = Arc<dyn Fn(Purge) + Send + Sync>;

/// Local dispatch of pub/sub messages.
pub(crate) struct Hub {
    waiters: Mutex<HashMap<ChartKey, watch::Sender<()>>>,
    hooks: RwLock<Vec<PurgeHook>>,
    subscribed: AtomicBool,
}

/// A registration for "done" messages of one key; unregisters on drop.
pub(crate) struct Waiter {
    hub: Arc<Hub>,
    key: ChartKey,
    rx: Option<watch::Receiver<()>>,
}

impl Waiter {
    /// Resolves when a "done" message for the key arrived after `register`
    /// (or after the previous `woken`).
    pub(crate) async fn woken(&mut self) {
        let rx = self.rx.as_mut().expect("receiver lives until drop");
        if rx.changed().await.is_err() {
            // The hub dropped the sender: nothing will ever wake us.
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        let mut waiters = self.hub.waiters.lock().expect("waiters lock");
        drop(self.rx.take());
        if waiters
            .get(&self.key)
            .is_some_and(|tx| tx.receiver_count() == 0)
        {
            waiters.remove(&self.key);
        }
    }
}

impl Hub {
    pub(crate) fn new() -> Arc<Hub> {
        Arc::new(Hub {
            waiters: Mutex::new(HashMap::new()),
            hooks: RwLock::new(Vec::new()),
            subscribed: AtomicBool::new(false),
        })
    }

    /// Registers for the key's "done" message. Register before looking at
    /// Redis, so a message published after the look is never missed.
    pub(crate) fn register(self: &Arc<Self>, key: ChartKey) -> Waiter {
        let mut waiters = self.waiters.lock().expect("waiters lock");
        let rx = waiters
            .entry(key)
            .or_insert_with(|| watch::channel(()).0)
            .subscribe();
        Waiter {
            hub: Arc::clone(self),
            key,
            rx: Some(rx),
        }
    }

    pub(crate) fn add_hook(&self, hook: PurgeHook) {
        self.hooks.write().expect("hooks lock").push(hook);
    }

    pub(crate) fn is_subscribed(&self) -> bool {
        self.subscribed.load(Ordering::Acquire)
    }

    fn dispatch(&self, push: PushInfo) {
        if push.kind != PushKind::Message {
            return;
        }
        let (Some(Value::BulkString(channel)), Some(Value::BulkString(payload))) =
            (push.data.first(), push.data.get(1))
        else {
            return;
        };
        let payload = String::from_utf8_lossy(payload);
        if *channel == keys::done_channel().as_bytes() {
            if let Some(key) = ChartKey::from_hex(&payload) {
                if let Some(tx) = self.waiters.lock().expect("waiters lock").get(&key) {
                    tx.send_replace(());
                }
            }
        } else if *channel == keys::purge_channel().as_bytes() {
            let purge = match &*payload {
                "*" => Purge::All,
                hex => match ChartKey::from_hex(hex) {
                    Some(key) => Purge::Key(key),
                    None => return,
                },
            };
            let hooks = self.hooks.read().expect("hooks lock").clone();
            for hook in hooks {
                hook(purge);
            }
        }
    }
}

/// Announces that the key's render finished (stored or given up), waking
/// every replica that waits on it.
pub(crate) async fn publish_done(link: &Link, key: &ChartKey) -> Result<(), Unavailable> {
    let cmd = ::redis::cmd("PUBLISH")
        .arg(keys::done_channel())
        .arg(key.to_hex())
        .to_owned();
    link.query::<i64>(RedisOp::Publish, &cmd).await.map(drop)
}

/// Announces a purge to every replica (this one included).
pub(crate) async fn publish_purge(link: &Link, what: Purge) -> Result<(), Unavailable> {
    let payload = match what {
        Purge::Key(key) => key.to_hex(),
        Purge::All => "*".to_string(),
    };
    let cmd = ::redis::cmd("PUBLISH")
        .arg(keys::purge_channel())
        .arg(payload)
        .to_owned();
    link.query::<i64>(RedisOp::Publish, &cmd).await.map(drop)
}

/// The subscriber task: subscribe, dispatch until the connection is lost,
/// move on to the next node URL, repeat. While the breaker says Redis is
/// down it does not even try (the probe finds out when it is back). Ends
/// when the tier aborts it.
pub(crate) async fn run_subscriber(hub: Arc<Hub>, link: Arc<Link>, timeout: Duration) {
    let urls = link.target().urls();
    if urls.is_empty() {
        return; // rejected by config validation; nothing to subscribe to
    }
    let mut next = 0;
    loop {
        if link.is_up() {
            let url = &urls[next % urls.len()];
            next += 1;
            if let Err(e) = session(&hub, url, timeout).await {
                tracing::debug!(error = %e, url = %url, "redis subscription failed");
                link.metrics().redis_error(RedisOp::Subscribe);
            }
            hub.subscribed.store(false, Ordering::Release);
        }
        tokio::time::sleep(RESUBSCRIBE_DELAY).await;
    }
}

/// One subscribed connection, until it fails.
async fn session(hub: &Hub, url: &str, timeout: Duration) -> ::redis::RedisResult<()> {
    use ::redis::IntoConnectionInfo;
    let info = url.into_connection_info()?;
    let settings = info
        .redis_settings()
        .clone()
        .set_protocol(ProtocolVersion::RESP3);
    let client = ::redis::Client::open(info.set_redis_settings(settings))?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let config = AsyncConnectionConfig::new()
        .set_push_sender(tx)
        .set_connection_timeout(Some(Duration::from_secs(1)))
        .set_response_timeout(Some(Duration::from_secs(1)));
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&config)
        .await?;
    conn.subscribe(&[keys::done_channel(), keys::purge_channel()])
        .await?;
    hub.subscribed.store(true, Ordering::Release);
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    loop {
        tokio::select! {
            push = rx.recv() => match push {
                Some(push) if push.kind == PushKind::Disconnection => return Err(disconnected()),
                Some(push) => hub.dispatch(push),
                None => return Err(disconnected()),
            },
            _ = keepalive.tick() => {
                let ping = ::redis::cmd("PING");
                let answer = ping.query_async::<Value>(&mut conn);
                match tokio::time::timeout(timeout.max(Duration::from_millis(500)), answer).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => return Err(e),
                    Err(_) => return Err(disconnected()),
                }
            }
        }
    }
}

fn disconnected() -> ::redis::RedisError {
    ::redis::RedisError::from(std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "subscription connection lost",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(channel: String, payload: &str) -> PushInfo {
        PushInfo {
            kind: PushKind::Message,
            data: vec![
                Value::BulkString(channel.into_bytes()),
                Value::BulkString(payload.as_bytes().to_vec()),
            ],
        }
    }

    #[tokio::test]
    async fn done_wakes_the_waiters_of_that_key_only() {
        let hub = Hub::new();
        let key = ChartKey([1; 32]);
        let other = ChartKey([2; 32]);
        let mut waiter = hub.register(key);
        let mut bystander = hub.register(other);
        hub.dispatch(message(keys::done_channel(), &key.to_hex()));
        tokio::time::timeout(Duration::from_secs(1), waiter.woken())
            .await
            .expect("woken");
        let idle = tokio::time::timeout(Duration::from_millis(20), bystander.woken()).await;
        assert!(idle.is_err(), "another key's waiter was woken");
        drop((waiter, bystander));
        assert!(hub.waiters.lock().unwrap().is_empty(), "waiters unregister");
    }

    #[test]
    fn purge_messages_reach_hooks() {
        let hub = Hub::new();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        hub.add_hook(Arc::new(move |p| sink.lock().unwrap().push(p)));
        let key = ChartKey([3; 32]);
        hub.dispatch(message(keys::purge_channel(), &key.to_hex()));
        hub.dispatch(message(keys::purge_channel(), "*"));
        hub.dispatch(message(keys::purge_channel(), "not a key"));
        assert_eq!(*seen.lock().unwrap(), vec![Purge::Key(key), Purge::All]);
    }
}
