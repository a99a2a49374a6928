//! Origin mode across replicas: `chartgate` processes sharing a real
//! `redis-server`, in front of the real FastAPI + matplotlib origin. One
//! call per key across all of them; purges reach every replica; an answer
//! too large to keep streams through without being held in memory.

mod common;

use bytes::Bytes;
use common::origin::FastApi;
use common::poll;
use common::process::Gateway;
use common::redis::RedisServer;
use common::{request, Resp};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

const TOKEN: &str = "test-admin-token";

/// These tests run one at a time: each starts replicas, a Redis and an
/// origin, and together they would crowd a 2-core machine.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A config file naming the origin, as an operator writes it.
fn config_file(origin: &FastApi, extra: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "chartgate-origin-{}-{}.toml",
        std::process::id(),
        origin.addr.port()
    ));
    let text = format!(
        "[[origin]]\nname = \"reports\"\nurl = \"{}\"\nignore_params = [\"utm_*\"]\n{extra}",
        origin.url()
    );
    std::fs::write(&path, text).expect("write the config");
    path
}

fn replica(config: &Path, redis: Option<&RedisServer>) -> Gateway {
    let config = config.to_str().unwrap();
    let url = redis.map(RedisServer::url);
    let mut env = vec![("CHARTGATE_ADMIN__TOKEN", TOKEN)];
    if let Some(url) = &url {
        env.push(("CHARTGATE_REDIS__URL", url));
        env.push(("CHARTGATE_REDIS__TIMEOUT_MS", "2000"));
    }
    Gateway::start_with(&["--config", config], &env)
}

async fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], Bytes::new()).await
}

async fn wait_redis_up(addr: SocketAddr) {
    poll::until(format_args!("redis up on {addr}"), || async {
        get(addr, "/readyz").await.json()["redis"] == "up"
    })
    .await
}

#[tokio::test]
async fn three_hundred_requests_over_three_replicas_make_one_origin_call() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let redis = RedisServer::start();
    let origin = FastApi::start().await;
    let config = config_file(&origin, "");
    let replicas: Vec<_> = (0..3).map(|_| replica(&config, Some(&redis))).collect();
    for r in &replicas {
        wait_redis_up(r.addr).await;
    }
    origin.admin("hold").await;
    let path = "/o/reports/chart.png?kind=line&values=2,7,1,8,2,8";
    let requests: Vec<_> = (0..300)
        .map(|i| {
            let addr = replicas[i % 3].addr;
            // Every third request adds a parameter that is not keyed.
            let path = match i % 2 {
                0 => path.to_owned(),
                _ => format!("{path}&utm_source=mail{i}"),
            };
            tokio::spawn(async move { get(addr, &path).await })
        })
        .collect();
    origin.release_when_holding(1).await;
    let by = common::origin::by_x_cache(requests).await;
    assert_eq!(origin.stat("calls").await, 1, "{by:?}");
    assert_eq!(by.get("miss"), Some(&1), "{by:?}");
    // Any replica's /stats sums every replica's origin figures (each
    // flushes its own to Redis once a second).
    let auth = [("authorization", "Bearer test-admin-token")];
    let origins = poll::until("every replica's figures in the cluster view", || async {
        let stats = request(replicas[1].addr, "GET", "/stats", &auth, Bytes::new()).await;
        let stats = stats.json();
        (stats["origins"][0]["lookups"] == 300).then_some(stats["origins"][0].clone())
    })
    .await;
    assert_eq!(origins["name"], "reports");
    assert_eq!(origins["origin_calls"], 1, "{origins}");
    assert_eq!(origins["by_outcome"]["miss"], 1, "{origins}");
    // A purge on one replica reaches every replica's memory and Redis.
    let drawn = get(replicas[0].addr, path).await;
    let purged = common::purge(replicas[1].addr, drawn.header("etag"), TOKEN).await;
    assert!(purged.status.is_success(), "{:?}", purged.body);
    poll::until("the purge to reach replica 3", || async {
        get(replicas[2].addr, path).await.header("x-cache") != "hit-memory"
    })
    .await;
    assert_eq!(origin.stat("calls").await, 2);
}

#[tokio::test]
async fn a_replica_that_never_saw_a_chart_serves_redis_stale_copy_when_the_origin_is_down() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let redis = RedisServer::start();
    let mut origin = FastApi::start().await;
    let config = config_file(&origin, "");
    let first = replica(&config, Some(&redis));
    wait_redis_up(first.addr).await;
    // Fresh for one second (the origin's max-age), then stale for a day.
    let path = "/o/reports/chart.png?values=6,2,8&max_age=1";
    let drawn = get(first.addr, path).await;
    assert_eq!(drawn.header("x-cache"), "miss");
    origin.kill();
    poll::until("the answer to expire", || async {
        get(first.addr, path).await.header("x-cache") == "stale"
    })
    .await;
    // A replica with nothing in memory finds the expired copy in Redis,
    // calls the dead origin, and serves the copy.
    let second = replica(&config, Some(&redis));
    wait_redis_up(second.addr).await;
    let stale = get(second.addr, path).await;
    assert_eq!(
        (stale.status.as_u16(), stale.header("x-cache")),
        (200, "stale")
    );
    assert_eq!(stale.body, drawn.body);
    let unknown = get(second.addr, "/o/reports/chart.png?values=0").await;
    assert_eq!(
        (unknown.status.as_u16(), unknown.json()["error"].as_str()),
        (504, Some("origin_unavailable"))
    );
}

#[tokio::test]
async fn a_two_gib_answer_streams_through_without_being_held() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let origin = FastApi::start().await;
    let config = config_file(&origin, "max_body_bytes = 1048576\n");
    let gateway = replica(&config, None);
    let before = gateway.peak_rss_kib();
    let resp = common::get_streaming(gateway.addr, "/o/reports/big?mb=2048").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-cache"], "bypass");
    assert_eq!(
        resp.headers()["content-length"],
        (2048u64 << 20).to_string()
    );
    let mut body = resp.into_body();
    let mut received = 0u64;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("the relayed body").into_data() {
            received += data.len() as u64;
        }
    }
    assert_eq!(received, 2048 << 20);
    let grew = gateway.peak_rss_kib().saturating_sub(before);
    assert!(
        grew < 64 * 1024,
        "the gateway's peak RSS grew {grew} KiB relaying 2 GiB"
    );
    // Nothing was kept: the next request calls again.
    let small = get(gateway.addr, "/o/reports/big?mb=2").await;
    assert_eq!(
        (small.status.as_u16(), small.header("x-cache")),
        (200, "bypass")
    );
    assert_eq!(origin.stat("calls").await, 2);
}
