//! Replicas as separate `chartgate` processes sharing a real `redis-server`
//! (started by the test on a free port, so it can be killed, restarted and
//! corrupted): the shared tier, one render per chart across the cluster,
//! Redis failing under load, corrupt values, a lease holder dying mid-render,
//! purges, short URLs, and a Redis Cluster.
//!
//! No test depends on the machine's speed: each waits for events (a key in
//! Redis, a replica's `/readyz`, a counter) with `common::poll`, under a
//! hang guard only.

mod common;

use bytes::Bytes;
use chartgate::cache::shared::keys;
use chartgate::chart::{params, ChartKey};
use chartgate::config::Limits;
use common::poll::{self, hang_guard};
use common::process::Gateway;
use common::redis::{RedisCluster, RedisServer};
use common::{bar_chart, chart_path, metric, request, Resp};
use std::future::ready;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const TOKEN: &str = "test-admin-token";

/// The tests of this file run one at a time: each starts several replicas
/// and a Redis, and together they would crowd a 2-core machine.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn serial() -> tokio::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().await
}

/// A Redis operation's deadline: generous, so a Redis answering late on a
/// busy machine is not taken for an outage (which would cost a render the
/// tests count). No test here measures it.
const REDIS_TIMEOUT_MS: &str = "2000";

fn replica(redis_url: &str) -> Gateway {
    Gateway::start(&[
        ("CHARTGATE_REDIS__URL", redis_url),
        ("CHARTGATE_REDIS__TIMEOUT_MS", REDIS_TIMEOUT_MS),
        ("CHARTGATE_ADMIN__TOKEN", TOKEN),
    ])
}

async fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], Bytes::new()).await
}

/// Waits until the replica's `/readyz` says `redis` is `want`.
async fn wait_redis(addr: SocketAddr, want: &str) {
    poll::until(format_args!("redis to be {want} on {addr}"), || async {
        get(addr, "/readyz").await.json()["redis"] == want
    })
    .await
}

async fn renders(addr: SocketAddr) -> f64 {
    metric(
        addr,
        "chartgate_renders_total{outcome=\"ok\",renderer=\"native\"}",
    )
    .await
}

fn key_of(path: &str) -> ChartKey {
    let query = path.strip_prefix("/chart?").unwrap();
    ChartKey::of(&params::from_query(query, &Limits::default()).unwrap())
}

/// Waits until Redis holds a value for `key` that `accept` likes.
async fn wait_value(
    conn: &mut impl redis::ConnectionLike,
    key: &str,
    accept: impl Fn(&[u8]) -> bool,
) {
    poll::until(format_args!("{key} to land in Redis"), || {
        let v: Option<Vec<u8>> = redis::cmd("GET").arg(key).query(conn).unwrap();
        ready(v.as_deref().is_some_and(&accept))
    })
    .await
}

fn img_key(path: &str) -> String {
    keys::img(&key_of(path))
}

/// A POST body with a line of `points` points: too long for a URL.
fn heavy_chart(title: &str, points: i64) -> Bytes {
    let data: Vec<i64> = (0..points).map(|i| (i * 7919) % 1000).collect();
    let chart = serde_json::json!({"type": "line", "data": {"datasets": [{"label": title, "data": data}],
        "labels": (0..points).collect::<Vec<_>>()},
        "options": {"title": {"display": true, "text": title}}});
    Bytes::from(serde_json::json!({"chart": chart, "width": 1000, "height": 1000}).to_string())
}

fn key_of_post(body: &[u8]) -> ChartKey {
    ChartKey::of(&params::from_post(body, &Limits::default()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_the_redis_tier() {
    let _serial = serial().await;
    let redis = RedisServer::start();
    let (a, b) = (replica(&redis.url()), replica(&redis.url()));
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    let path = chart_path(&bar_chart("shared"), &[]);
    let first = get(a.addr, &path).await;
    assert_eq!(first.header("x-cache"), "miss");
    assert_eq!(
        first.header("cache-status"),
        "chartgate-memory; fwd=miss, chartgate-redis; fwd=miss; stored"
    );
    // The store is written after the response: wait for it to land.
    wait_value(&mut redis.client(), &img_key(&path), |_| true).await;
    let second = get(b.addr, &path).await;
    assert_eq!(second.header("x-cache"), "hit-redis");
    assert_eq!(
        second.header("cache-status"),
        "chartgate-memory; fwd=miss, chartgate-redis; hit"
    );
    assert_eq!(second.header("x-content-type-options"), "nosniff");
    assert_eq!(second.header("etag"), first.header("etag"));
    assert_eq!(second.body, first.body, "byte-identical on every replica");
    assert_eq!(get(b.addr, &path).await.header("x-cache"), "hit-memory");
    assert_eq!(renders(b.addr).await, 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_requests_over_three_replicas_render_once() {
    let _serial = serial().await;
    common::raise_fd_limit();
    let redis = RedisServer::start();
    let replicas: Vec<Gateway> = (0..3).map(|_| replica(&redis.url())).collect();
    for r in &replicas {
        wait_redis(r.addr, "up").await;
    }
    let body = heavy_chart("stampede across replicas", 1_500);
    let barrier = Arc::new(tokio::sync::Barrier::new(300));
    let mut tasks = Vec::new();
    for i in 0..300 {
        let (addr, body, barrier) = (replicas[i % 3].addr, body.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let r = request(addr, "POST", "/chart", &[], body).await;
            (r.status, r.body)
        }));
    }
    let mut bodies = std::collections::HashSet::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 200);
        bodies.insert(body);
    }
    assert_eq!(bodies.len(), 1);
    let (mut total, mut redis_errors) = (0.0, String::new());
    for r in &replicas {
        total += renders(r.addr).await;
        let text = String::from_utf8_lossy(&get(r.addr, "/metrics").await.body).into_owned();
        redis_errors.extend(
            text.lines()
                .filter(|l| l.starts_with("chartgate_redis_errors_total") && !l.ends_with(" 0"))
                .map(|l| format!("{l}\n")),
        );
    }
    assert_eq!(
        total, 1.0,
        "exactly one render in the whole cluster; redis errors:\n{redis_errors}"
    );
}

/// Load runs through a Redis outage: before it, while Redis is down (and
/// the breaker open), and after it is back; each phase lasts until the load
/// has sent a number of requests in it, not a length of time. No request
/// fails, and sharing resumes by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_under_load_fails_no_request() {
    /// Requests the load sends in each phase.
    const PER_PHASE: usize = 30;
    let _serial = serial().await;
    let mut redis = RedisServer::start();
    let (a, b) = (replica(&redis.url()), replica(&redis.url()));
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    let hot = Arc::new(chart_path(&bar_chart("hot under outage"), &[]));
    get(a.addr, &hot).await;

    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let mut load = Vec::new();
    for worker in 0..4 {
        let (addrs, hot, stop, sent) = ([a.addr, b.addr], hot.clone(), stop.clone(), sent.clone());
        load.push(tokio::spawn(async move {
            let (mut n, mut failed) = (0, Vec::new());
            while !stop.load(Ordering::Relaxed) {
                let path = if n % 3 == 0 {
                    chart_path(&bar_chart(&format!("cold {worker}-{n}")), &[])
                } else {
                    hot.to_string()
                };
                let r = hang_guard(
                    "a request during the outage",
                    request(addrs[n % 2], "GET", &path, &[], Bytes::new()),
                )
                .await;
                if r.status != 200 {
                    failed.push(r.status);
                }
                n += 1;
                sent.fetch_add(1, Ordering::Relaxed);
            }
            failed
        }));
    }
    let phase = |what: &'static str| {
        let (sent, until) = (sent.clone(), sent.load(Ordering::Relaxed) + PER_PHASE);
        poll::until(what, move || ready(sent.load(Ordering::Relaxed) >= until))
    };
    phase("load before the outage").await;
    redis.kill();
    wait_redis(a.addr, "down").await;
    let degraded = get(a.addr, "/readyz").await.json();
    assert_eq!(
        degraded,
        serde_json::json!({"status": "degraded", "redis": "down"})
    );
    // The breaker opens after a few failed operations or probes.
    poll::until("redis_up to drop to 0", || async {
        metric(a.addr, "chartgate_redis_up").await == 0.0
    })
    .await;
    phase("load while Redis is down").await;
    redis.restart();
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    phase("load after Redis is back").await;
    stop.store(true, Ordering::Relaxed);
    for t in load {
        let failed = t.await.unwrap();
        assert!(failed.is_empty(), "failed requests: {failed:?}");
    }

    // Sharing resumed by itself.
    let fresh = chart_path(&bar_chart("after the outage"), &[]);
    assert_eq!(get(a.addr, &fresh).await.header("x-cache"), "miss");
    wait_value(&mut redis.client(), &img_key(&fresh), |_| true).await;
    assert_eq!(get(b.addr, &fresh).await.header("x-cache"), "hit-redis");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_started_while_redis_is_down_serves_then_shares() {
    let _serial = serial().await;
    let mut redis = RedisServer::start();
    redis.kill();
    let a = replica(&redis.url());
    let ready = get(a.addr, "/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["status"], "degraded");
    let path = chart_path(&bar_chart("redis down at start"), &[]);
    assert_eq!(get(a.addr, &path).await.status, 200);
    redis.restart();
    wait_redis(a.addr, "up").await;
    let path = chart_path(&bar_chart("redis back"), &[]);
    get(a.addr, &path).await;
    wait_value(&mut redis.client(), &img_key(&path), |_| true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_values_are_misses_counted_and_overwritten() {
    let _serial = serial().await;
    let redis = RedisServer::start();
    let (a, b, c) = (
        replica(&redis.url()),
        replica(&redis.url()),
        replica(&redis.url()),
    );
    for r in [&a, &b, &c] {
        wait_redis(r.addr, "up").await;
    }
    let path = chart_path(&bar_chart("to be corrupted"), &[]);
    let good = get(a.addr, &path).await;
    let img = img_key(&path);
    let mut conn = redis.client();
    wait_value(&mut conn, &img, |_| true).await;
    // Flip one byte in the middle of the stored PNG.
    let mut stored: Vec<u8> = redis::cmd("GET").arg(&img).query(&mut conn).unwrap();
    let mid = stored.len() / 2;
    stored[mid] ^= 0xff;
    let _: () = redis::cmd("SET")
        .arg(&img)
        .arg(&stored)
        .arg("EX")
        .arg(600)
        .query(&mut conn)
        .unwrap();

    let fixed = get(b.addr, &path).await;
    assert_eq!(fixed.status, 200);
    assert_eq!(fixed.header("x-cache"), "miss", "a corrupt value is a miss");
    assert_eq!(fixed.body, good.body, "never the corrupt bytes");
    assert_eq!(
        metric(b.addr, "chartgate_redis_corrupt_values_total").await,
        1.0
    );
    wait_value(&mut conn, &img, |v| v != stored.as_slice()).await;
    let r = get(c.addr, &path).await;
    assert_eq!(
        r.header("x-cache"),
        "hit-redis",
        "overwritten with a good frame"
    );
    assert_eq!(r.body, good.body);
}

/// Replica a takes the render lease of a chart and dies before its picture
/// is in Redis; b, asked for the same chart, waits for the lease to expire,
/// takes over and renders.
///
/// a connects as a Redis user that may write lease keys but only read
/// everything else, so a can never store the picture (nor end the lease with
/// it), whether its render is still running when it is killed or not: the
/// test needs no guess at how long a render takes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_holder_that_dies_lets_another_replica_take_over() {
    let _serial = serial().await;
    let redis = RedisServer::start();
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "holder", "on", ">holder-pw", "+@all", "&*"][..])
        .arg(&["%R~*", "~*:lease"][..])
        .query(&mut redis.client())
        .unwrap();
    let holder_url = format!("redis://holder:holder-pw@127.0.0.1:{}", redis.port);
    let (mut a, b) = (replica(&holder_url), replica(&redis.url()));
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    let body = heavy_chart("holder dies", 50);
    let key = key_of_post(&body);
    let (addr, b2) = (a.addr, body.clone());
    let doomed = tokio::spawn(async move { request(addr, "POST", "/chart", &[], b2).await });
    let mut conn = redis.client();
    poll::until("a to take the lease", || {
        ready(
            redis::cmd("EXISTS")
                .arg(keys::lease(&key))
                .query::<bool>(&mut conn)
                .unwrap(),
        )
    })
    .await;
    // A replica that dies holding the lease, its picture never stored.
    a.kill();
    doomed.abort();
    let stored: bool = redis::cmd("EXISTS")
        .arg(keys::img(&key))
        .query(&mut conn)
        .unwrap();
    assert!(!stored, "the holder could not store its picture");
    let taken_over = request(b.addr, "POST", "/chart", &[], body).await;
    assert_eq!(taken_over.status, 200, "b rendered after a's lease expired");
    assert_eq!(taken_over.header("x-cache"), "miss");
    assert_eq!(renders(b.addr).await, 1.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purges_reach_every_replica() {
    let _serial = serial().await;
    let redis = RedisServer::start();
    let (a, b) = (replica(&redis.url()), replica(&redis.url()));
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    let auth = format!("Bearer {TOKEN}");
    let one = chart_path(&bar_chart("purge one"), &[]);
    let two = chart_path(&bar_chart("purge all"), &[]);
    for path in [&one, &two] {
        get(a.addr, path).await;
        get(b.addr, path).await;
    }
    assert_eq!(metric(b.addr, "chartgate_memory_cache_entries").await, 2.0);

    let unauthorized = request(
        a.addr,
        "DELETE",
        "/cache",
        &[("authorization", "Bearer wrong-token")],
        Bytes::new(),
    )
    .await;
    assert_eq!(unauthorized.status, 401);
    assert_eq!(unauthorized.json()["error"], "unauthorized");

    let key = key_of(&one);
    let purged = request(
        a.addr,
        "DELETE",
        &format!("/cache/{key}"),
        &[("authorization", &auth)],
        Bytes::new(),
    )
    .await;
    assert_eq!(purged.status, 204);
    // Only the purge message can drop it: memory keeps charts for a day.
    poll::until("b to drop the purged chart", || async {
        metric(b.addr, "chartgate_memory_cache_entries").await == 1.0
    })
    .await;
    assert_eq!(
        get(b.addr, &one).await.header("x-cache"),
        "miss",
        "gone from Redis too"
    );

    let all = request(
        b.addr,
        "DELETE",
        "/cache",
        &[("authorization", &auth)],
        Bytes::new(),
    )
    .await;
    assert_eq!(all.status, 204);
    poll::until("a to drop every chart", || async {
        metric(a.addr, "chartgate_memory_cache_entries").await == 0.0
    })
    .await;
    assert_eq!(get(a.addr, &two).await.header("x-cache"), "miss");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_urls_outlive_the_replica_that_made_them() {
    let _serial = serial().await;
    let redis = RedisServer::start();
    let (mut a, b) = (replica(&redis.url()), replica(&redis.url()));
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    let body = serde_json::json!({"chart": bar_chart("short across replicas")}).to_string();
    let created = request(a.addr, "POST", "/chart/create", &[], Bytes::from(body))
        .await
        .json();
    let url = created["url"].as_str().unwrap().to_owned();
    let id = url.rsplit('/').next().unwrap();
    a.kill();
    let img = get(b.addr, &format!("/chart/render/{id}")).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.header("etag"), format!("\"{id}\""));
    assert!(img.body.starts_with(b"\x89PNG"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_share_a_redis_cluster() {
    let _serial = serial().await;
    let cluster = RedisCluster::start(3);
    let urls = format!(
        "[{}]",
        cluster
            .urls()
            .iter()
            .map(|u| format!("\"{u}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let (a, b) = (replica(&urls), replica(&urls));
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    let mut conn = redis::cluster::ClusterClient::new(cluster.urls())
        .unwrap()
        .get_connection()
        .unwrap();
    // Five charts land on different slots, so on different masters.
    for i in 0..5 {
        let path = chart_path(&bar_chart(&format!("cluster {i}")), &[]);
        let first = get(a.addr, &path).await;
        assert_eq!(first.header("x-cache"), "miss");
        wait_value(&mut conn, &img_key(&path), |_| true).await;
        let r = get(b.addr, &path).await;
        assert_eq!(r.header("x-cache"), "hit-redis", "chart {i}");
        assert_eq!(r.body, first.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_memory_tier_off_every_hit_comes_from_redis() {
    let _serial = serial().await;
    let redis = RedisServer::start();
    let a = Gateway::start(&[
        ("CHARTGATE_REDIS__URL", &redis.url()),
        ("CHARTGATE_CACHE__MEMORY_BYTES", "0"),
    ]);
    wait_redis(a.addr, "up").await;
    let path = chart_path(&bar_chart("memory off"), &[]);
    let first = get(a.addr, &path).await;
    assert_eq!(first.header("x-cache"), "miss");
    wait_value(&mut redis.client(), &img_key(&path), |_| true).await;
    for _ in 0..3 {
        let r = get(a.addr, &path).await;
        assert_eq!(r.header("x-cache"), "hit-redis");
        assert_eq!(r.body, first.body);
    }
    assert_eq!(metric(a.addr, "chartgate_memory_cache_entries").await, 0.0);
    assert_eq!(renders(a.addr).await, 1.0);
}

async fn corrupt_count(addr: SocketAddr) -> f64 {
    metric(addr, "chartgate_redis_corrupt_values_total").await
}

/// Overwrites a picture's slot by hand, as anyone with write access can.
fn put(conn: &mut redis::Connection, img: &str, value: &[u8]) {
    let _: () = redis::cmd("SET")
        .arg(img)
        .arg(value)
        .arg("EX")
        .arg(600)
        .query(conn)
        .unwrap();
}

fn stored(conn: &mut redis::Connection, img: &str) -> Vec<u8> {
    redis::cmd("GET").arg(img).query(conn).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_moved_to_another_charts_slot_is_never_served() {
    let _serial = serial().await;
    let redis = RedisServer::start();
    let (a, b) = (replica(&redis.url()), replica(&redis.url()));
    wait_redis(a.addr, "up").await;
    wait_redis(b.addr, "up").await;
    let x = chart_path(&bar_chart("chart X"), &[]);
    let y = chart_path(&bar_chart("chart Y"), &[]);
    let svg = chart_path(&bar_chart("chart S, an SVG"), &[("f", "svg")]);
    let x2 = chart_path(&bar_chart("chart X2, a PNG"), &[]);
    let mut conn = redis.client();
    let mut bodies = Vec::new();
    for path in [&x, &y, &svg, &x2] {
        let r = get(a.addr, path).await;
        assert_eq!(r.status, 200);
        wait_value(&mut conn, &img_key(path), |_| true).await;
        bodies.push(r.body);
    }
    let (x_body, y_body) = (&bodies[0], &bodies[1]);
    assert_ne!(x_body, y_body);

    // Y's whole, genuine value copied into X's slot: b, which has never
    // seen X, renders X itself rather than serve Y's picture under X's ETag.
    let y_value = stored(&mut conn, &img_key(&y));
    put(&mut conn, &img_key(&x), &y_value);
    let r = get(b.addr, &x).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-cache"), "miss", "the moved value is a miss");
    assert_eq!(&r.body, x_body, "X's own picture");
    assert_ne!(&r.body, y_body);
    assert_eq!(corrupt_count(b.addr).await, 1.0);
    // The new render replaced it.
    wait_value(&mut conn, &img_key(&x), |v| v.ends_with(x_body)).await;
    assert_eq!(get(b.addr, &x).await.body, *x_body, "and memory holds X");

    // An SVG frame copied into a PNG chart's slot is not served as SVG.
    let svg_value = stored(&mut conn, &img_key(&svg));
    put(&mut conn, &img_key(&x2), &svg_value);
    let r = get(b.addr, &x2).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-cache"), "miss");
    assert_eq!(r.header("content-type"), "image/png");
    assert!(r.body.starts_with(b"\x89PNG"));
    assert_eq!(r.body, bodies[3]);
    assert_eq!(corrupt_count(b.addr).await, 2.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_signing_key_only_frames_signed_with_it_are_served() {
    use chartgate::cache::shared::frame::FrameCodec;
    use chartgate::chart::Format;
    let _serial = serial().await;
    let redis = RedisServer::start();
    let url = redis.url();
    let signed = |secret: &str| {
        Gateway::start(&[
            ("CHARTGATE_REDIS__URL", url.as_str()),
            ("CHARTGATE_REDIS__TIMEOUT_MS", "200"),
            ("CHARTGATE_REDIS__SIGNING_KEY", secret),
        ])
    };
    const SECRET: &str = "the replicas share this secret";
    let unsigned = replica(&url);
    let (s1, s2) = (signed(SECRET), signed(SECRET));
    let other = signed("another deployment's secret");
    for g in [&unsigned, &s1, &s2, &other] {
        wait_redis(g.addr, "up").await;
    }
    let mut conn = redis.client();

    // A frame forged by anyone who can write to Redis: right key, right
    // format, a valid unkeyed checksum, and a script in it.
    let svg = chart_path(&bar_chart("forgery target"), &[("f", "svg")]);
    let forged_body = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let forged = FrameCodec::unsigned().encode(&key_of(&svg), Format::Svg, forged_body, 1);
    put(&mut conn, &img_key(&svg), &forged);
    let r = get(s1.addr, &svg).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-cache"), "miss", "the forgery is a miss");
    assert!(
        !r.body.windows(7).any(|w| w == b"<script"),
        "never the forged SVG"
    );
    assert!(r.body.starts_with(b"<svg"));
    assert_eq!(corrupt_count(s1.addr).await, 1.0);

    // A frame written by a replica without the key is refused...
    let path = chart_path(&bar_chart("signed sharing"), &[]);
    let first = get(unsigned.addr, &path).await;
    wait_value(&mut conn, &img_key(&path), |_| true).await;
    let unsigned_value = stored(&mut conn, &img_key(&path));
    let r = get(s1.addr, &path).await;
    assert_eq!(r.header("x-cache"), "miss");
    assert_eq!(r.body, first.body, "rendered again, the same picture");
    assert_eq!(corrupt_count(s1.addr).await, 2.0);
    // ...s1's signed render replaces it and its peer shares it...
    wait_value(&mut conn, &img_key(&path), |v| {
        v != unsigned_value.as_slice()
    })
    .await;
    let r = get(s2.addr, &path).await;
    assert_eq!(
        r.header("x-cache"),
        "hit-redis",
        "signed with the shared key"
    );
    assert_eq!(r.body, first.body);
    assert_eq!(corrupt_count(s2.addr).await, 0.0);
    // ...and a replica with another key refuses it.
    let r = get(other.addr, &path).await;
    assert_eq!(r.header("x-cache"), "miss");
    assert_eq!(corrupt_count(other.addr).await, 1.0);
}
