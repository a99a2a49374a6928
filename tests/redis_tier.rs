//! The Redis tier against real `redis-server` processes (never the one on
//! 6379): sharing between replicas, framing, the cluster-wide lease and its
//! wake-ups, the breaker through an outage, purges, and a 3-master Cluster.
//! Each test runs its own servers, so they run in parallel.
//!
//! No test depends on the machine's speed: what a test waits for is an
//! event (a key in Redis, a command Redis has run, a counter), polled with
//! `common::poll` under a hang guard; the only time bounds asserted are
//! lower bounds that follow from the protocol (a lease cannot be taken over
//! before it expires).

mod common;

use bytes::Bytes;
use chartgate::cache::shared::frame::FrameCodec;
use chartgate::cache::shared::keys;
use chartgate::cache::shared::{Claim, Lookup, Purge, RedisTier, TierOptions, Wait};
use chartgate::chart::{ChartKey, Format};
use chartgate::config::{RedisConfig, RedisUrl, Secret};
use chartgate::labels::RedisOp;
use chartgate::metrics::{Gauges, Metrics};
use common::poll::{self, hang_guard};
use common::redis::{RedisCluster, RedisServer};
use std::future::ready;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The per-operation deadline in these tests: generous, so that a Redis
/// answering late on a busy machine is not taken for an outage. No test
/// here measures it.
const TIMEOUT_MS: u64 = 2_000;
const TTL: Duration = Duration::from_secs(60);

/// A waiter's fallback poll in the wake-up tests: longer than the hang
/// guard, so a waiter that returns at all was woken by a message.
const SLOW_POLL: Duration = Duration::from_secs(60);

/// A wait that only the event under test can end.
const FOREVER: Duration = Duration::from_secs(600);

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

async fn up(replicas: &[&Replica]) {
    for r in replicas {
        poll::until("the tier to be up", || ready(r.tier.is_up())).await;
    }
}

async fn subscribed(replicas: &[&Replica]) {
    for r in replicas {
        poll::until("the tier to be subscribed", || {
            ready(r.tier.is_subscribed())
        })
        .await;
    }
}

/// How many `EXISTS` commands the servers have run. A waiter's look ends
/// with `EXISTS <lease key>` and nothing else in these tests sends one, so a
/// new one means the waiter has registered for the "done" message and found
/// the render still going.
fn exists_calls(servers: &[&RedisServer]) -> u64 {
    servers
        .iter()
        .map(|server| {
            let stats: String = redis::cmd("INFO")
                .arg("commandstats")
                .query(&mut server.client())
                .unwrap();
            stats
                .lines()
                .find_map(|l| l.strip_prefix("cmdstat_exists:calls="))
                .and_then(|v| v.split(',').next()?.parse().ok())
                .unwrap_or(0)
        })
        .sum()
}

/// Waits until a waiter has looked once since `before` (see `exists_calls`).
async fn waiter_looked(servers: &[&RedisServer], before: u64) {
    poll::until("the waiter's first look", || {
        ready(exists_calls(servers) > before)
    })
    .await;
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
    let stored = Instant::now();
    a.tier.store_chart(k, picture(1));
    poll::until("b to see a's chart", || is_hit(&b, &k)).await;
    let Lookup::Hit(cached) = b.tier.get_chart(&k, Format::Png).await else {
        panic!("hit expected")
    };
    assert_eq!(cached.frame.format, Format::Png);
    assert_eq!(&cached.frame.body[..], &[1u8; 100][..]);
    assert_eq!(cached.frame.render_time, Duration::from_micros(1500));
    // Stored with the cache TTL after `stored`: what is left is the TTL less
    // the time since (Redis counts in whole milliseconds, hence the slack).
    assert!(cached.ttl_left <= TTL, "{:?}", cached.ttl_left);
    assert!(
        cached.ttl_left + stored.elapsed() + Duration::from_millis(5) >= TTL,
        "{:?} left after {:?}",
        cached.ttl_left,
        stored.elapsed()
    );
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
    poll::until("the signed frame to land", || is_hit(&signed, &x)).await;
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
    poll::until("the store to overwrite it", || is_hit(&a, &k)).await;
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

/// Renewals are watched happening (the lease's PTTL goes back up), and the
/// lease is still there more than a TTL after it was taken: only renewal
/// explains that. The TTL is long enough (renewal every second) that a busy
/// machine does not let it lapse between two renewals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_lease_is_renewed_past_its_ttl_and_released() {
    let server = RedisServer::start();
    let opts = TierOptions {
        lease_ttl: Duration::from_secs(3),
        ..options()
    };
    let a = replica_with(RedisUrl::One(server.url()), opts.clone());
    let b = replica(&server);
    up(&[&a, &b]).await;
    let k = key(4);
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    // The lease was set before this instant: without renewal it is gone
    // by `acquired + lease_ttl`.
    let acquired = Instant::now();
    let mut conn = server.client();
    let (mut last, mut renewals) = (i64::MAX, 0);
    poll::until("three renewals and a lease older than its TTL", || {
        let pttl: i64 = redis::cmd("PTTL")
            .arg(keys::lease(&k))
            .query(&mut conn)
            .unwrap();
        assert!(pttl > 0, "the lease lapsed after {renewals} renewals");
        renewals += usize::from(pttl > last);
        last = pttl;
        ready(renewals >= 3 && acquired.elapsed() > opts.lease_ttl)
    })
    .await;
    assert!(lease.is_held());
    assert!(matches!(b.tier.acquire_lease(k).await, Claim::Busy));
    lease.release();
    poll::until("b to claim after the release", || async {
        matches!(b.tier.acquire_lease(k).await, Claim::Acquired(_))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_holder_lets_one_other_replica_take_over() {
    let server = RedisServer::start();
    let (a, b, c) = (replica(&server), replica(&server), replica(&server));
    up(&[&a, &b, &c]).await;
    let k = key(5);
    // The lease is set after this instant, so it expires no earlier than
    // `claimed + lease_ttl`.
    let claimed = Instant::now();
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    lease.abandon();
    assert!(matches!(b.tier.acquire_lease(k).await, Claim::Busy));
    let wait = hang_guard(
        "the lease to expire",
        b.tier.wait_for_result(k, Format::Png, FOREVER),
    )
    .await;
    assert!(matches!(wait, Wait::LeaseGone), "{wait:?}");
    let waited = claimed.elapsed();
    // Redis counts expiry in whole milliseconds on its own clock: a little slack.
    assert!(
        waited + Duration::from_millis(5) >= options().lease_ttl,
        "taken over after {waited:?}, before the lease expired"
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

/// b's fallback poll is longer than the hang guard, so each wait below can
/// only end by a message. Each waiter is seen to look once (render still
/// going) before the holder finishes, so it is woken, not answered by its
/// first look.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_are_woken_by_pubsub_not_by_the_poll() {
    assert!(SLOW_POLL > poll::HANG_GUARD);
    let server = RedisServer::start();
    let a = replica(&server);
    let slow_poll = TierOptions {
        poll_interval: SLOW_POLL,
        ..options()
    };
    let b = replica_with(RedisUrl::One(server.url()), slow_poll);
    up(&[&a, &b]).await;
    subscribed(&[&b]).await;
    let wait = |k: ChartKey| {
        let tier = b.tier.clone();
        tokio::spawn(async move { tier.wait_for_result(k, Format::Png, FOREVER).await })
    };

    // Completed with a picture: the waiter gets it.
    let k = key(6);
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    let looks = exists_calls(&[&server]);
    let waiter = wait(k);
    waiter_looked(&[&server], looks).await;
    assert!(
        !waiter.is_finished(),
        "the waiter waits while the lease is held"
    );
    lease.complete(picture(6));
    let landed = hang_guard("a wake-up by the done message", waiter).await;
    let Wait::Landed(cached) = landed.unwrap() else {
        panic!("landed expected")
    };
    assert_eq!(&cached.frame.body[..], &[6u8; 100][..]);

    // Released without a picture: the waiter is told the lease is gone.
    let k = key(7);
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    let looks = exists_calls(&[&server]);
    let waiter = wait(k);
    waiter_looked(&[&server], looks).await;
    lease.release();
    let gone = hang_guard("a wake-up by the done message", waiter).await;
    assert!(matches!(gone, Ok(Wait::LeaseGone)), "{gone:?}");

    // Nobody finishes: the wait ends at max_wait, not at the (slow) poll.
    let k = key(8);
    let Claim::Acquired(_lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    let max_wait = Duration::from_millis(300);
    let start = Instant::now();
    let timed_out = hang_guard("max_wait", b.tier.wait_for_result(k, Format::Png, max_wait)).await;
    assert!(matches!(timed_out, Wait::TimedOut), "{timed_out:?}");
    assert!(start.elapsed() >= max_wait, "not before max_wait");
}

/// Redis killed: operations answer (never a hit) until the breaker trips;
/// then they answer `Unavailable` without any I/O (no operation error is
/// counted any more); after a restart sharing resumes by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_trips_the_breaker_and_sharing_resumes_after_it() {
    let mut server = RedisServer::start();
    let (a, b) = (replica(&server), replica(&server));
    up(&[&a, &b]).await;
    let k = key(10);

    server.kill();
    poll::until("the breaker to trip", || async {
        let got = hang_guard(
            "a get while Redis is dead",
            a.tier.get_chart(&k, Format::Png),
        )
        .await;
        assert!(!matches!(got, Lookup::Hit(_)));
        !a.tier.is_up()
    })
    .await;
    let op_errors =
        || [RedisOp::Get, RedisOp::Lease, RedisOp::Purge].map(|op| a.metrics.redis_errors(op));
    let before = op_errors();
    hang_guard("answers from a tripped breaker", async {
        assert!(matches!(
            a.tier.get_chart(&k, Format::Png).await,
            Lookup::Unavailable
        ));
        assert!(matches!(a.tier.acquire_lease(k).await, Claim::Unavailable));
        assert!(matches!(
            a.tier.wait_for_result(k, Format::Png, FOREVER).await,
            Wait::Unavailable
        ));
        assert_eq!(
            a.tier.purge(&k).await,
            Err(chartgate::cache::shared::Unavailable)
        );
    })
    .await;
    assert_eq!(
        op_errors(),
        before,
        "a tripped breaker answers without I/O: nothing was tried, nothing failed"
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
    poll::until("sharing to resume", || is_hit(&b, &k)).await;
    subscribed(&[&b]).await;
}

/// A tier made while Redis is down starts down without waiting, stays down
/// while its probes fail, and comes up once Redis is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tier_started_while_redis_is_down_comes_up_later() {
    let mut server = RedisServer::start();
    server.kill();
    let a = replica(&server);
    assert!(!a.tier.is_up());
    assert!(matches!(
        a.tier.get_chart(&key(11), Format::Png).await,
        Lookup::Unavailable
    ));
    poll::until("two failed probes", || {
        ready(a.metrics.redis_errors(RedisOp::Ping) >= 2)
    })
    .await;
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
        poll::until("the chart to be stored", || is_hit(&b, k)).await;
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
    let got = hang_guard("the purge message", purged.recv()).await;
    assert_eq!(got, Some(Purge::Key(charts[0])));
    assert!(is_miss(&b, &charts[0]).await);
    assert!(is_hit(&b, &charts[1]).await);

    assert_eq!(a.tier.purge_all().await, Ok(2));
    let got = hang_guard("the purge-all message", purged.recv()).await;
    assert_eq!(got, Some(Purge::All));
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
    // b's poll is longer than the hang guard: only pub/sub can wake it.
    let slow_poll = TierOptions {
        poll_interval: SLOW_POLL,
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
        poll::until("the chart to be stored on the cluster", || is_hit(&b, k)).await;
    }
    let Claim::Acquired(lease) = a.tier.acquire_lease(k).await else {
        panic!("first claim wins")
    };
    assert!(matches!(b.tier.acquire_lease(k).await, Claim::Busy));
    let nodes: Vec<&RedisServer> = cluster.nodes.iter().collect();
    let looks = exists_calls(&nodes);
    let waiter = tokio::spawn({
        let tier = b.tier.clone();
        async move { tier.wait_for_result(k, Format::Png, FOREVER).await }
    });
    waiter_looked(&nodes, looks).await;
    lease.complete(picture(30));
    let wait = hang_guard("a wake-up by the done message", waiter).await;
    assert!(matches!(wait, Ok(Wait::Landed(_))), "{wait:?}");
    assert_eq!(a.tier.purge_all().await, Ok(charts.len() as u64 + 1));
    for k in &charts {
        assert!(is_miss(&b, k).await);
    }
}
