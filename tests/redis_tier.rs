//! The Redis tier against real `redis-server` processes (never the one on
//! 6379): sharing between replicas, framing, the cluster-wide lease and its
//! wake-ups, the breaker through an outage, purges, and a 3-master Cluster.
//! Each test runs its own servers, so they run in parallel.

#[path = "common/redis.rs"]
mod redis_server;

use bytes::Bytes;
use chartgate::cache::frame::FrameCodec;
use chartgate::cache::redis::{keys, Claim, Lookup, Purge, RedisTier, TierOptions, Wait};
use chartgate::chart::{ChartKey, Format};
use chartgate::config::{RedisConfig, RedisUrl, Secret};
use chartgate::metrics::{Gauges, Metrics, RedisOp};
use redis_server::{RedisCluster, RedisServer};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The per-operation deadline in these tests: above the default 50 ms, so a
/// busy 2-core CI machine does not trip the breaker by accident.
const TIMEOUT_MS: u64 = 100;
const TTL: Duration = Duration::from_secs(60);

fn options() -> TierOptions {
    TierOptions {
        lease_ttl: Duration::from_millis(600),
        poll_interval: Duration::from_millis(150),
        probe_interval: Duration::from_millis(100),
        failure_threshold: 3,
    }
}

fn config(url: RedisUrl) -> RedisConfig {
    RedisConfig {
        url: Some(url),
        timeout_ms: Some(TIMEOUT_MS),
        signing_key: None,
    }
}

struct Replica {
    tier: RedisTier,
    metrics: Arc<Metrics>,
}

fn replica_with(url: RedisUrl, opts: TierOptions) -> Replica {
    let metrics = Arc::new(Metrics::default());
    let tier = RedisTier::connect_with(&config(url), TTL, Arc::clone(&metrics), opts)
        .expect("redis is configured");
    Replica { tier, metrics }
}

fn replica(server: &RedisServer) -> Replica {
    replica_with(RedisUrl::One(server.url()), options())
}

/// Polls `check` every 20 ms until it holds; panics after `limit`.
async fn eventually<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn up(replicas: &[&Replica]) {
    for r in replicas {
        eventually("the tier is up", Duration::from_secs(5), || async {
            r.tier.is_up()
        })
        .await;
    }
}

async fn subscribed(replicas: &[&Replica]) {
    for r in replicas {
        eventually("the tier is subscribed", Duration::from_secs(5), || async {
            r.tier.is_subscribed()
        })
        .await;
    }
}

fn key(n: u8) -> ChartKey {
    ChartKey([n; 32])
}

/// The frame of chart `key(n)`, a PNG.
fn picture(n: u8) -> Vec<u8> {
    FrameCodec::unsigned().encode(&key(n), Format::Png, &[n; 100], 1500)
}

async fn is_hit(r: &Replica, key: &ChartKey) -> bool {
    matches!(r.tier.get_chart(key, Format::Png).await, Lookup::Hit(_))
}

async fn is_miss(r: &Replica, key: &ChartKey) -> bool {
    matches!(r.tier.get_chart(key, Format::Png).await, Lookup::Miss)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chart_stored_by_one_replica_is_served_by_another() {
    let server = RedisServer::start();
    let (a, b) = (replica(&server), replica(&server));
    up(&[&a, &b]).await;
    let k = key(1);
    assert!(is_miss(&b, &k).await);
    a.tier.store_chart(k, picture(1));
    eventually("b sees a's chart", Duration::from_secs(2), || {
        is_hit(&b, &k)
    })
    .await;
    let Lookup::Hit(cached) = b.tier.get_chart(&k, Format::Png).await else {
        panic!("hit expected")
    };
    assert_eq!(cached.frame.format, Format::Png);
    assert_eq!(&cached.frame.body[..], &[1u8; 100][..]);
    assert_eq!(cached.frame.render_time, Duration::from_micros(1500));
    assert!(cached.ttl_left <= TTL && cached.ttl_left > TTL - Duration::from_secs(5));
    let pttl: i64 = redis::cmd("PTTL")
        .arg(keys::img(&k))
        .query(&mut server.client())
        .unwrap();
    assert!(
        pttl > 0 && pttl <= TTL.as_millis() as i64,
        "stored with the cache TTL"
    );

    // Short-URL specs: shared, and checked against their key.
    let spec = br#"{"chart":"bar"}"#;
    let spec_key = ChartKey::of_canonical(spec);
    a.tier.store_spec(&spec_key, spec).await.unwrap();
    let Lookup::Hit(got) = b.tier.get_spec(&spec_key).await else {
        panic!("spec hit expected")
    };
    assert_eq!(got, Bytes::from_static(spec));
    let _: () = redis::cmd("SET")
        .arg(keys::spec(&k))
        .arg("not the spec of k")
        .query(&mut server.client())
        .unwrap();
    assert!(matches!(b.tier.get_spec(&k).await, Lookup::Corrupt));
    assert!(matches!(b.tier.get_spec(&key(9)).await, Lookup::Miss));
}

/// A replica of `server` whose `redis.signing_key` is `secret`.
fn signed_replica(server: &RedisServer, secret: &str) -> Replica {
    let metrics = Arc::new(Metrics::default());
    let cfg = RedisConfig {
        signing_key: Some(Secret::new(secret)),
        ..config(RedisUrl::One(server.url()))
    };
    let tier = RedisTier::connect_with(&cfg, TTL, Arc::clone(&metrics), options())
        .expect("redis is configured");
    Replica { tier, metrics }
}

fn set_img(server: &RedisServer, k: &ChartKey, value: &[u8]) {
    let _: () = redis::cmd("SET")
        .arg(keys::img(k))
        .arg(value)
        .query(&mut server.client())
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_is_good_only_for_its_key_its_format_and_its_signing_key() {
    let server = RedisServer::start();
    let plain = replica(&server);
    let signed = signed_replica(&server, "the replicas' shared secret");
    let other = signed_replica(&server, "some other deployment's secret");
    up(&[&plain, &signed, &other]).await;
    let x = key(40);

    // Chart 41's genuine value copied into chart 40's slot.
    set_img(&server, &x, &picture(41));
    assert!(matches!(
        plain.tier.get_chart(&x, Format::Png).await,
        Lookup::Corrupt
    ));
    // Chart 40's own value, read for a chart in the other format.
    set_img(&server, &x, &picture(40));
    assert!(matches!(
        plain.tier.get_chart(&x, Format::Svg).await,
        Lookup::Corrupt
    ));
    assert!(matches!(
        plain.tier.get_chart(&x, Format::Png).await,
        Lookup::Hit(_)
    ));
    assert_eq!(plain.metrics.redis_corrupt_values(), 2);

    // With a signing key, the unkeyed frame anyone can write is refused...
    assert!(matches!(
        signed.tier.get_chart(&x, Format::Png).await,
        Lookup::Corrupt
    ));
    assert_eq!(signed.metrics.redis_corrupt_values(), 1);
    // ...and a frame signed with the shared key is accepted, by its holders only.
    let sealed = signed
        .tier
        .codec()
        .encode(&x, Format::Png, &[40; 100], 1500);
    signed.tier.store_chart(x, sealed);
    eventually("the signed frame landed", Duration::from_secs(2), || {
        is_hit(&signed, &x)
    })
    .await;
    assert!(matches!(
        other.tier.get_chart(&x, Format::Png).await,
        Lookup::Corrupt
    ));
    assert!(matches!(
        plain.tier.get_chart(&x, Format::Png).await,
        Lookup::Corrupt
    ));
    assert_eq!(other.metrics.redis_corrupt_values(), 1);
    assert_eq!(plain.metrics.redis_corrupt_values(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_value_is_a_counted_miss_and_is_overwritten() {
    let server = RedisServer::start();
    let a = replica(&server);
    up(&[&a]).await;
    let k = key(2);
    let mut good = picture(2);
    let last = good.len() - 1;
    good[last] ^= 0x01;
    for garbage in [b"garbage".to_vec(), good] {
        let _: () = redis::cmd("SET")
            .arg(keys::img(&k))
            .arg(garbage)
            .query(&mut server.client())
            .unwrap();
        assert!(matches!(
            a.tier.get_chart(&k, Format::Png).await,
            Lookup::Corrupt
        ));
    }
    assert_eq!(a.metrics.redis_corrupt_values(), 2);
    assert!(a.tier.is_up(), "corruption is not an outage");
    a.tier.store_chart(k, picture(2));
    eventually("the store overwrote it", Duration::from_secs(2), || {
        is_hit(&a, &k)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_one_of_three_replicas_acquires_the_lease() {
    let server = RedisServer::start();
    let replicas = [replica(&server), replica(&server), replica(&server)];
    up(&replicas.iter().collect::<Vec<_>>()).await;
    let k = key(3);
    let (c0, c1, c2) = tokio::join!(
        replicas[0].tier.acquire_lease(k),
        replicas[1].tier.acquire_lease(k),
        replicas[2].tier.acquire_lease(k),
    );
    let claims = [c0, c1, c2];
    let acquired = claims
        .iter()
        .filter(|c| matches!(c, Claim::Acquired(_)))
        .count();
    let busy = claims.iter().filter(|c| matches!(c, Claim::Busy)).count();
    assert_eq!((acquired, busy), (1, 2), "{claims:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_lease_is_renewed_past_its_ttl_and_released() {
    let server = RedisServer::start();
    let (a, b) = (replica(&server), replica(&server));
    up(&[&a, &b]).await;
    let k = key(4);
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    // Three lease lifetimes: without renewal it would be long gone.
    tokio::time::sleep(options().lease_ttl * 3).await;
    assert!(lease.is_held());
    assert!(matches!(b.tier.acquire_lease(k).await, Claim::Busy));
    let pttl: i64 = redis::cmd("PTTL")
        .arg(keys::lease(&k))
        .query(&mut server.client())
        .unwrap();
    assert!(pttl > 0, "lease still has a TTL: {pttl}");
    lease.release();
    eventually(
        "b can claim after release",
        Duration::from_secs(2),
        || async { matches!(b.tier.acquire_lease(k).await, Claim::Acquired(_)) },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_holder_lets_one_other_replica_take_over() {
    let server = RedisServer::start();
    let (a, b, c) = (replica(&server), replica(&server), replica(&server));
    up(&[&a, &b, &c]).await;
    let k = key(5);
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    let died = Instant::now();
    lease.abandon();
    assert!(matches!(b.tier.acquire_lease(k).await, Claim::Busy));
    let wait = b
        .tier
        .wait_for_result(k, Format::Png, Duration::from_secs(5))
        .await;
    assert!(matches!(wait, Wait::LeaseGone), "{wait:?}");
    let waited = died.elapsed();
    let ttl = options().lease_ttl;
    assert!(
        waited >= ttl - Duration::from_millis(50) && waited < ttl + Duration::from_millis(700),
        "took over after {waited:?}"
    );
    let (b_claim, c_claim) = tokio::join!(b.tier.acquire_lease(k), c.tier.acquire_lease(k));
    let winners = [&b_claim, &c_claim]
        .iter()
        .filter(|c| matches!(c, Claim::Acquired(_)))
        .count();
    assert_eq!(
        winners, 1,
        "exactly one takes over: {b_claim:?} {c_claim:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_are_woken_by_pubsub_not_by_the_poll() {
    let server = RedisServer::start();
    let a = replica(&server);
    // A poll so slow that only a message can explain a quick wake-up.
    let slow_poll = TierOptions {
        poll_interval: Duration::from_secs(5),
        ..options()
    };
    let b = replica_with(RedisUrl::One(server.url()), slow_poll);
    up(&[&a, &b]).await;
    subscribed(&[&b]).await;

    // Completed with a picture: the waiter gets it.
    let k = key(6);
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    let waiter = tokio::spawn({
        let tier = b.tier.clone();
        async move {
            (
                tier.wait_for_result(k, Format::Png, Duration::from_secs(10))
                    .await,
                Instant::now(),
            )
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiter.is_finished(),
        "the waiter waits while the lease is held"
    );
    let done = Instant::now();
    lease.complete(picture(6));
    let (wait, woke) = waiter.await.unwrap();
    let Wait::Landed(cached) = wait else {
        panic!("landed expected, got {wait:?}")
    };
    assert_eq!(&cached.frame.body[..], &[6u8; 100][..]);
    let latency = woke - done;
    assert!(
        latency < Duration::from_millis(100),
        "woken after {latency:?}"
    );

    // Released without a picture: the waiter is told the lease is gone.
    let k = key(7);
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    let waiter = tokio::spawn({
        let tier = b.tier.clone();
        async move {
            (
                tier.wait_for_result(k, Format::Png, Duration::from_secs(10))
                    .await,
                Instant::now(),
            )
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let done = Instant::now();
    lease.release();
    let (wait, woke) = waiter.await.unwrap();
    assert!(matches!(wait, Wait::LeaseGone), "{wait:?}");
    assert!(
        woke - done < Duration::from_millis(100),
        "woken after {:?}",
        woke - done
    );

    // Nobody finishes: the wait ends at max_wait.
    let k = key(8);
    let Claim::Acquired(_lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    let start = Instant::now();
    let wait = b
        .tier
        .wait_for_result(k, Format::Png, Duration::from_millis(300))
        .await;
    assert!(matches!(wait, Wait::TimedOut), "{wait:?}");
    assert!(start.elapsed() < Duration::from_millis(600));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_trips_the_breaker_and_sharing_resumes_after_it() {
    let mut server = RedisServer::start();
    let (a, b) = (replica(&server), replica(&server));
    up(&[&a, &b]).await;
    let k = key(10);

    server.kill();
    // Every operation answers within the deadline, before and after the trip.
    let deadline = Duration::from_millis(TIMEOUT_MS) + Duration::from_millis(100);
    let start = Instant::now();
    while a.tier.is_up() {
        let op = Instant::now();
        let got = a.tier.get_chart(&k, Format::Png).await;
        assert!(op.elapsed() < deadline, "a get took {:?}", op.elapsed());
        assert!(!matches!(got, Lookup::Hit(_)));
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "never marked down"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let op = Instant::now();
    assert!(matches!(
        a.tier.get_chart(&k, Format::Png).await,
        Lookup::Unavailable
    ));
    assert!(matches!(a.tier.acquire_lease(k).await, Claim::Unavailable));
    assert!(matches!(
        a.tier
            .wait_for_result(k, Format::Png, Duration::from_secs(5))
            .await,
        Wait::Unavailable
    ));
    assert_eq!(
        a.tier.purge(&k).await,
        Err(chartgate::cache::redis::Unavailable)
    );
    assert!(
        op.elapsed() < Duration::from_millis(20),
        "a tripped breaker answers without I/O: {:?}",
        op.elapsed()
    );
    a.tier.store_chart(k, picture(10)); // dropped, not queued
    assert!(!a.metrics.redis_up());
    let errors = a.metrics.redis_errors(RedisOp::Get) + a.metrics.redis_errors(RedisOp::Ping);
    assert!(errors >= 3, "failures are counted: {errors}");
    let text = a.metrics.render(&Gauges {
        memory_cache_bytes: 0,
        memory_cache_entries: 0,
    });
    assert!(text.contains("chartgate_redis_up 0"), "{text}");

    server.restart();
    up(&[&a, &b]).await;
    assert!(a.metrics.redis_up());
    a.tier.store_chart(k, picture(10));
    eventually("sharing resumes", Duration::from_secs(3), || is_hit(&b, &k)).await;
    subscribed(&[&b]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tier_started_while_redis_is_down_comes_up_later() {
    let mut server = RedisServer::start();
    server.kill();
    let start = Instant::now();
    let a = replica(&server);
    assert!(
        start.elapsed() < Duration::from_millis(50),
        "connect never waits"
    );
    assert!(!a.tier.is_up());
    assert!(matches!(
        a.tier.get_chart(&key(11), Format::Png).await,
        Lookup::Unavailable
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!a.tier.is_up(), "no server, still down");
    server.restart();
    up(&[&a]).await;
    assert!(is_miss(&a, &key(11)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purges_reach_redis_and_every_replica() {
    let server = RedisServer::start();
    let (a, b) = (replica(&server), replica(&server));
    let (tx, mut purged) = tokio::sync::mpsc::unbounded_channel();
    b.tier.on_purge(move |p| {
        let _ = tx.send(p);
    });
    up(&[&a, &b]).await;
    subscribed(&[&b]).await;
    let charts = [key(20), key(21), key(22)];
    for k in charts {
        a.tier.store_chart(k, picture(k.0[0]));
    }
    for k in &charts {
        eventually("stored", Duration::from_secs(2), || is_hit(&b, k)).await;
    }
    let spec = b"{}";
    let spec_key = ChartKey::of_canonical(spec);
    a.tier.store_spec(&spec_key, spec).await.unwrap();
    // A key of another release: purge_all must leave it alone.
    let mut raw = server.client();
    let other_release = "chartgate:v0:{00}:img";
    let _: () = redis::cmd("SET")
        .arg(other_release)
        .arg("x")
        .query(&mut raw)
        .unwrap();

    a.tier.purge(&charts[0]).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(1), purged.recv()).await;
    assert_eq!(got.unwrap(), Some(Purge::Key(charts[0])));
    assert!(is_miss(&b, &charts[0]).await);
    assert!(is_hit(&b, &charts[1]).await);

    assert_eq!(a.tier.purge_all().await, Ok(2));
    let got = tokio::time::timeout(Duration::from_secs(1), purged.recv()).await;
    assert_eq!(got.unwrap(), Some(Purge::All));
    for k in &charts {
        assert!(is_miss(&b, k).await);
    }
    assert!(
        matches!(b.tier.get_spec(&spec_key).await, Lookup::Hit(_)),
        "specs stay"
    );
    let exists: bool = redis::cmd("EXISTS")
        .arg(other_release)
        .query(&mut raw)
        .unwrap();
    assert!(exists, "another release's keys stay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_master_cluster_shares_charts_and_leases() {
    let cluster = RedisCluster::start(3);
    let urls = RedisUrl::Cluster(cluster.urls());
    // b polls so slowly that a quick wake-up can only come from pub/sub.
    let slow_poll = TierOptions {
        poll_interval: Duration::from_secs(5),
        ..options()
    };
    let (a, b) = (
        replica_with(urls.clone(), options()),
        replica_with(urls, slow_poll),
    );
    up(&[&a, &b]).await;
    subscribed(&[&b]).await;

    // One chart's keys share a slot.
    let k = key(30);
    let mut raw = cluster.nodes[0].client();
    let slots: Vec<i64> = [keys::img(&k), keys::spec(&k), keys::lease(&k)]
        .iter()
        .map(|name| {
            redis::cmd("CLUSTER")
                .arg("KEYSLOT")
                .arg(name)
                .query(&mut raw)
                .unwrap()
        })
        .collect();
    assert!(slots.iter().all(|&s| s == slots[0]), "slots {slots:?}");

    // Charts spread over the masters are shared, leased and purged.
    let charts: Vec<ChartKey> = (40..52).map(key).collect();
    for k in &charts {
        a.tier.store_chart(*k, picture(k.0[0]));
    }
    for k in &charts {
        eventually("stored on the cluster", Duration::from_secs(3), || {
            is_hit(&b, k)
        })
        .await;
    }
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    assert!(matches!(b.tier.acquire_lease(k).await, Claim::Busy));
    let waiter = tokio::spawn({
        let tier = b.tier.clone();
        async move {
            (
                tier.wait_for_result(k, Format::Png, Duration::from_secs(10))
                    .await,
                Instant::now(),
            )
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let done = Instant::now();
    lease.complete(picture(30));
    let (wait, woke) = waiter.await.unwrap();
    assert!(matches!(wait, Wait::Landed(_)), "{wait:?}");
    assert!(
        woke - done < Duration::from_millis(150),
        "woken after {:?}",
        woke - done
    );
    assert_eq!(a.tier.purge_all().await, Ok(charts.len() as u64 + 1));
    for k in &charts {
        assert!(is_miss(&b, k).await);
    }
}
