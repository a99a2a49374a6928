//! Cache-hit analytics over real sockets: `/stats` against the traffic the
//! test sent (as the responses' own `X-Cache` headers tell it), sources
//! without their query, time saved, top ordering, sources off, analytics
//! off, the bound under 100,000 distinct charts, the admin token, the
//! per-minute series on an injected clock, the cluster view through a real
//! Redis, and the README's alert rules under `promtool`.

mod common;

use bytes::Bytes;
use chartgate::analytics::{ManualClock, MINUTES};
use chartgate::chart::ChartRequest;
use chartgate::config::{Config, RedisUrl};
use chartgate::render::{RenderError, Renderer};
use common::poll::{self, hang_guard};
use common::redis::RedisServer;
use common::{bar_chart, chart_path, request, wait_metric, Resp, Seam, Server, CHART_IN_FLIGHT};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use serde_json::Value;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the responses said, to hold `/stats` against.
#[derive(Default, Debug)]
struct Tally {
    by_status: HashMap<String, u64>,
    bytes: u64,
}

impl Tally {
    fn add(&mut self, r: &Resp) {
        assert!(r.status == 200 || r.status == 304, "{:?}", r.status);
        *self
            .by_status
            .entry(r.header("x-cache").to_owned())
            .or_default() += 1;
        self.bytes += r.body.len() as u64;
    }

    fn n(&self, status: &str) -> u64 {
        self.by_status.get(status).copied().unwrap_or(0)
    }

    fn lookups(&self) -> u64 {
        self.by_status.values().sum()
    }
}

async fn get_with(server: &Server, path: &str, headers: &[(&str, &str)]) -> Resp {
    request(server.addr, "GET", path, headers, Bytes::new()).await
}

async fn stats(server: &Server, query: &str) -> Value {
    let r = server.get(&format!("/stats{query}")).await;
    assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), "application/json");
    r.json()
}

fn etag_key(r: &Resp) -> String {
    r.header("etag").trim_matches('"').to_owned()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Single-threaded, the gateway included, for the stampede below: a chart
/// request's handler goes from its start (counted in
/// `chartgate_http_requests_in_flight`) to waiting on the render without
/// awaiting anything else, so once `/metrics` counts it, it waits on the
/// render.
#[tokio::test(flavor = "current_thread")]
async fn stats_match_the_traffic_sent() {
    // Each render takes at least 40 ms: a floor for the render times below.
    let seam = Seam::taking(Duration::from_millis(40));
    let server = Server::start(common::config(), seam.clone()).await;
    let mut tally = Tally::default();
    let (a, b, c) = (
        chart_path(&bar_chart("Alpha"), &[]),
        chart_path(&bar_chart("Beta"), &[("w", "640"), ("h", "320")]),
        chart_path(&bar_chart("Gamma"), &[]),
    );
    let from_a = [("referer", "https://a.example/page?user=1&token=s3cret")];
    let from_b = [("referer", "https://b.example/wiki#section")];
    let first = get_with(&server, &a, &from_a).await;
    tally.add(&first);
    for _ in 0..9 {
        tally.add(&get_with(&server, &a, &from_a).await);
    }
    // A HEAD and a revalidation are lookups too, with no body sent.
    let head = request(server.addr, "HEAD", &a, &from_a, Bytes::new()).await;
    tally.add(&head);
    let etag = first.header("etag").to_owned();
    let inm = [from_a[0], ("if-none-match", etag.as_str())];
    let not_modified = get_with(&server, &a, &inm).await;
    assert_eq!(not_modified.status, 304);
    tally.add(&not_modified);
    for _ in 0..6 {
        tally.add(&get_with(&server, &b, &from_b).await);
    }
    // Five on a cold chart: the first one's render is held until the other
    // four wait on it.
    let get_c = || {
        let (addr, c) = (server.addr, c.clone());
        tokio::spawn(async move { request(addr, "GET", &c, &[], Bytes::new()).await })
    };
    seam.hold();
    let mut stampede = vec![get_c()];
    seam.started(3).await; // Alpha's, Beta's, then this one's
    stampede.extend((0..4).map(|_| get_c()));
    wait_metric(server.addr, CHART_IN_FLIGHT, |n| n == 5.0).await;
    seam.release();
    for t in stampede {
        tally.add(&t.await.unwrap());
    }
    assert_eq!(tally.n("coalesced"), 4, "{tally:?}");
    assert_eq!(seam.calls(), 3);

    let s = stats(&server, "").await;
    assert_eq!(s["scope"], "local");
    assert_eq!(s["replicas"], 1);
    let t = &s["totals"];
    assert_eq!(t["lookups"], tally.lookups(), "{t} {tally:?}");
    assert_eq!(t["lookups"], 23);
    for (field, status) in [
        ("hit_memory", "hit-memory"),
        ("hit_redis", "hit-redis"),
        ("miss", "miss"),
        ("coalesced", "coalesced"),
    ] {
        assert_eq!(t[field], tally.n(status), "{field}");
    }
    assert_eq!(t["renders"], 3);
    assert_eq!(t["bytes_served"], tally.bytes);
    let served = tally.n("hit-memory") + tally.n("coalesced");
    assert!((f(&t["hit_ratio"]) - served as f64 / 23.0).abs() < 1e-9);
    assert!(f(&t["render_seconds"]) >= 0.12, "3 renders of 40 ms: {t}");

    let top = s["top"].as_array().unwrap();
    let keys: Vec<&str> = top.iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(keys[0], etag_key(&first), "Alpha is the hottest");
    assert_eq!(top[0]["lookups"], 12);
    assert_eq!(top[1]["lookups"], 6);
    assert_eq!(top[2]["lookups"], 5);
    assert_eq!(top[0]["type"], "bar");
    assert_eq!(top[0]["title"], "Alpha");
    assert_eq!(
        (top[0]["width"].clone(), top[0]["height"].clone()),
        (500.into(), 300.into())
    );
    assert_eq!(
        (top[1]["width"].clone(), top[1]["height"].clone()),
        (640.into(), 320.into())
    );
    let mut saved = 0.0;
    for chart in top {
        let (hits, render_ms) = (f(&chart["hits"]), f(&chart["render_ms"]));
        assert!(render_ms >= 40.0, "{chart}");
        assert_eq!(chart["misses"], 1);
        let want = hits * render_ms / 1000.0;
        assert!(
            (f(&chart["saved_seconds"]) - want).abs() < 0.001 * want.max(1.0),
            "{chart}"
        );
        saved += f(&chart["saved_seconds"]);
    }
    assert_eq!(top[0]["hits"], 11);
    assert!((f(&t["render_seconds_saved"]) - saved).abs() < 1e-6);

    let sources: Vec<(&str, u64)> = s["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["source"].as_str().unwrap(),
                x["lookups"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            ("https://a.example/page", 12),
            ("https://b.example/wiki", 6)
        ],
        "no query, no fragment; no source without Referer"
    );
    assert!((f(&s["sources"][0]["hit_ratio"]) - 11.0 / 12.0).abs() < 1e-9);
    assert_eq!(s["render_ms"]["count"], 3);
    assert!(f(&s["render_ms"]["p50"]) >= 40.0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_sources_off_no_source_is_kept() {
    let mut config = common::config();
    config.analytics.sources = false;
    let server = Server::start(config, Seam::new()).await;
    let path = chart_path(&bar_chart("private"), &[]);
    for _ in 0..3 {
        get_with(
            &server,
            &path,
            &[("referer", "https://intranet.example/hr")],
        )
        .await;
    }
    let s = stats(&server, "").await;
    assert_eq!(s["totals"]["lookups"], 3);
    assert_eq!(s["sources"], serde_json::json!([]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_analytics_off_both_routes_are_404_and_charts_still_serve() {
    let mut config = common::config();
    config.analytics.enabled = false;
    let server = Server::start(config, Seam::new()).await;
    let chart = server.get(&chart_path(&bar_chart("off"), &[])).await;
    assert_eq!(chart.status, 200);
    for route in ["/stats", "/dashboard"] {
        let r = server.get(route).await;
        assert_eq!(r.status, 404, "{route}");
        assert_eq!(r.json()["error"], "not_found");
    }
    assert!(server.app.analytics().snapshot(60).is_none());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_parameters_are_checked() {
    let server = Server::default().await;
    for bad in ["?scope=everywhere", "?top=0", "?top=x", "?minutes=1441"] {
        let r = server.get(&format!("/stats{bad}")).await;
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.json()["error"], "bad_request");
    }
    let r = request(server.addr, "POST", "/stats", &[], Bytes::new()).await;
    assert_eq!(r.status, 405);
    // Without Redis the cluster is this replica.
    let s = stats(&server, "?scope=cluster&minutes=5").await;
    assert_eq!(
        (s["scope"].clone(), s["replicas"].clone()),
        ("cluster".into(), 1.into())
    );
    assert_eq!(s["series"]["lookups"].as_array().unwrap().len(), 5);
    server.stop().await;
}

/// A path, its request headers, and the status it must get.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], u16);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_token_guards_stats_and_dashboard() {
    const TOKEN: &str = "analytics-s3cret";
    let mut config = common::config();
    config.admin.token = Some(TOKEN.into());
    let server = Server::start(config, Seam::new()).await;
    let bearer = format!("Bearer {TOKEN}");
    let cases: [Case; 7] = [
        ("/stats", &[], 401),
        (
            "/stats",
            &[("authorization", "Bearer analytics-s3creT")],
            401,
        ),
        ("/stats", &[("authorization", &bearer)], 200),
        ("/stats?token=analytics-s3cret", &[], 401),
        ("/dashboard", &[], 401),
        ("/dashboard?token=analytics-s3cret", &[], 200),
        ("/dashboard", &[("authorization", &bearer)], 200),
    ];
    for (path, headers, want) in cases {
        let r = get_with(&server, path, headers).await;
        assert_eq!(r.status, want, "{path} {headers:?}");
        if want == 401 {
            assert_eq!(r.json()["error"], "unauthorized");
            assert_eq!(r.header("www-authenticate"), "Bearer");
        }
    }
    server.stop().await;

    let open = Server::default().await;
    assert_eq!(open.get("/stats").await.status, 200);
    let page = open.get("/dashboard").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(String::from_utf8_lossy(&page.body).contains("/stats"));
    open.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_minute_series_follows_the_injected_clock() {
    let server = Server::start(common::config(), Seam::new()).await;
    let t0 = 30_000_000 * 60; // a minute boundary
    let clock = Arc::new(ManualClock::new(t0 + 5));
    server.app.analytics().set_clock(clock.clone());
    let path = chart_path(&bar_chart("series"), &[]);
    let views = |n: usize| {
        let (addr, path) = (server.addr, path.clone());
        async move {
            for _ in 0..n {
                request(addr, "GET", &path, &[], Bytes::new()).await;
            }
        }
    };
    views(3).await; // minute 0: one miss, two hits
    clock.advance(Duration::from_secs(60));
    server.app.analytics().tick();
    views(3).await; // minute 1: three hits
    clock.advance(Duration::from_secs(120));
    server.app.analytics().tick();
    views(1).await; // minute 3: one hit

    let s = stats(&server, "?minutes=5").await;
    let series = &s["series"];
    assert_eq!(series["start"], (t0 / 60 - 1) * 60);
    assert_eq!(series["step_seconds"], 60);
    assert_eq!(series["lookups"], serde_json::json!([0, 3, 3, 0, 1]));
    assert_eq!(series["miss"], serde_json::json!([0, 1, 0, 0, 0]));
    let ratio: Vec<Option<f64>> = series["hit_ratio"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_f64)
        .collect();
    assert_eq!(ratio[0], None);
    assert!((ratio[1].unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(&ratio[2..], [Some(1.0), None, Some(1.0)]);
    assert_eq!(s["generated_at"], t0 + 185);

    // A day later the old minutes have left the ring.
    clock.advance(Duration::from_secs(MINUTES as u64 * 60));
    let s = stats(&server, "?minutes=1440").await;
    let lookups = s["series"]["lookups"].as_array().unwrap();
    assert_eq!(lookups.len(), MINUTES);
    assert!(lookups.iter().all(|n| n == 0), "nothing in the last 24 h");
    assert_eq!(s["totals"]["lookups"], 7, "totals are since start");
    server.stop().await;
}

/// Draws nothing: a fixed tiny body, so 100,000 charts take seconds.
struct Blank;

impl Renderer for Blank {
    fn render(&self, _req: &ChartRequest, _deadline: Instant) -> Result<Bytes, RenderError> {
        Ok(Bytes::from_static(b"\x89PNG\r\n\x1a\nblank"))
    }
}

async fn keep_alive(addr: SocketAddr) -> SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let io = hyper_util::rt::TokioIo::new(stream);
    let (sender, conn) = hyper::client::conn::http1::handshake(io).await.unwrap();
    tokio::spawn(conn);
    sender
}

async fn get_on(sender: &mut SendRequest<Full<Bytes>>, addr: SocketAddr, path: &str) {
    sender.ready().await.unwrap();
    let req = hyper::Request::get(path)
        .header("host", addr.to_string())
        .header("referer", "https://flood.example/page")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let resp = sender.send_request(req).await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.into_body().collect().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_stays_bounded_under_100k_distinct_charts() {
    const DISTINCT: usize = 100_000;
    const CONNECTIONS: usize = 4;
    const HOT_EVERY: usize = 50;
    let mut config = common::config();
    config.analytics.top_charts = 100;
    let server = Server::start(config, Arc::new(Blank)).await;
    let hot = Arc::new(chart_path(&bar_chart("hot"), &[]));
    let mut tasks = Vec::new();
    for conn in 0..CONNECTIONS {
        let (addr, hot) = (server.addr, hot.clone());
        tasks.push(tokio::spawn(async move {
            let mut sender = keep_alive(addr).await;
            for i in (conn..DISTINCT).step_by(CONNECTIONS) {
                get_on(
                    &mut sender,
                    addr,
                    &chart_path(&bar_chart(&format!("c{i}")), &[]),
                )
                .await;
                if i % HOT_EVERY == 0 {
                    get_on(&mut sender, addr, &hot).await;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let hot_views = DISTINCT / HOT_EVERY;
    let total = (DISTINCT + hot_views) as u64;

    let footprint = server.app.analytics().footprint().unwrap();
    assert_eq!(
        footprint.charts, 100,
        "charts tracked never pass top_charts"
    );
    assert_eq!(footprint.sources, 1);
    assert!(footprint.max_buffered_events <= 100_000, "{footprint:?}");
    assert!(
        footprint.remembered_specs < DISTINCT as u64 / 2,
        "the spec store is bounded by bytes: {footprint:?}"
    );

    let s = stats(&server, "?top=100").await;
    assert_eq!(s["totals"]["lookups"], total, "totals stay exact");
    assert_eq!(s["totals"]["miss"], (DISTINCT + 1) as u64);
    let bound = s["bounds"]["top_charts_max_error"].as_u64().unwrap();
    assert!(bound <= total / 100, "error bound {bound} within N/K");
    let first = &s["top"][0];
    assert_eq!(
        first["title"], "hot",
        "the hot chart stands out of the flood"
    );
    let (count, error) = (
        first["lookups"].as_u64().unwrap(),
        first["error"].as_u64().unwrap(),
    );
    assert!(count >= hot_views as u64 && count - error <= hot_views as u64);
    assert!(error <= bound);
    assert_eq!(s["top"].as_array().unwrap().len(), 100);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cluster_view_merges_replicas_through_redis() {
    let mut redis = RedisServer::start();
    let mut config = common::config();
    config.redis.url = Some(RedisUrl::One(redis.url()));
    config.redis.timeout_ms = Some(500);
    let one = Server::start(config.clone(), Seam::new()).await;
    let two = Server::start(config, Seam::new()).await;
    // Analytics flush through the cache's Redis link, which connects in the
    // background: wait until both replicas' links are up.
    for server in [&one, &two] {
        let tier = server.app.cache().redis().expect("a redis tier");
        poll::until("the redis link to be up", || async { tier.is_up() }).await;
    }
    let shared = chart_path(&bar_chart("shared"), &[]);
    let mut tallies = [Tally::default(), Tally::default()];
    for (server, tally, own) in [(&one, 0, "one"), (&two, 1, "two")] {
        let tally = &mut tallies[tally];
        let own = chart_path(&bar_chart(own), &[]);
        for path in [&shared, &shared, &own, &shared] {
            let r = get_with(
                server,
                path,
                &[("referer", "https://ops.example/board?x=1")],
            )
            .await;
            tally.add(&r);
        }
    }
    one.app.analytics().flush().await.expect("flush to redis");
    two.app.analytics().flush().await.expect("flush to redis");

    let s = stats(&one, "").await;
    assert_eq!(s["scope"], "cluster", "the default with Redis");
    assert_eq!(s["replicas"], 2);
    let t = &s["totals"];
    assert_eq!(t["lookups"], 8);
    for (field, status) in [
        ("hit_memory", "hit-memory"),
        ("hit_redis", "hit-redis"),
        ("miss", "miss"),
    ] {
        let want: u64 = tallies.iter().map(|t| t.n(status)).sum();
        assert_eq!(t[field], want, "{field}: {tallies:?}");
    }
    assert_eq!(t["bytes_served"], tallies[0].bytes + tallies[1].bytes);
    assert_eq!(s["top"][0]["title"], "shared");
    assert_eq!(s["top"][0]["lookups"], 6);
    assert_eq!(s["sources"][0]["source"], "https://ops.example/board");
    assert_eq!(s["sources"][0]["lookups"], 8);
    let per_minute: u64 = s["series"]["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(per_minute, 8, "the series is merged too");

    let local = stats(&one, "?scope=local").await;
    assert_eq!(local["replicas"], 1);
    assert_eq!(local["totals"]["lookups"], tallies[0].lookups());

    // Redis gone: the replica answers its own figures, and says so.
    redis.kill();
    let s = hang_guard("/stats without Redis", stats(&one, "?scope=cluster")).await;
    assert_eq!(s["scope"], "local");
    assert!(s["cluster_error"].is_string());
    assert_eq!(s["totals"]["lookups"], tallies[0].lookups());
    one.stop().await;
    two.stop().await;
}

#[test]
fn analytics_keys_are_validated_and_read_from_the_environment() {
    let env = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
    let c = Config::load(None, env("CHARTGATE_ANALYTICS__ENABLED", "false")).unwrap();
    assert!(!c.analytics.enabled);
    let c = Config::load(None, env("CHARTGATE_ANALYTICS__SOURCES", "false")).unwrap();
    assert!(!c.analytics.sources && c.analytics.enabled);
    let mut c = Config::default();
    c.analytics.top_charts = 5;
    assert!(c
        .validate()
        .unwrap_err()
        .0
        .starts_with("analytics.top_charts"));
    let mut c = Config::default();
    c.analytics.top_sources = 1_000_000;
    assert!(c
        .validate()
        .unwrap_err()
        .0
        .starts_with("analytics.top_sources"));
}

/// The alert rules the README documents are valid Prometheus rules.
#[test]
fn promtool_accepts_the_readme_alert_rules() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```yaml\n# chartgate-alerts.yml\n")
        .expect("README has the chartgate-alerts.yml block")
        + "```yaml\n".len();
    let len = readme[start..].find("```").unwrap();
    let rules = &readme[start..start + len];
    assert!(
        rules.contains("ChartgateHitRatioFalling") && rules.contains("ChartgateRendersRejected")
    );
    let dir = std::env::temp_dir().join(format!("chartgate-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("chartgate-alerts.yml");
    std::fs::write(&file, rules).unwrap();
    let out = std::process::Command::new("promtool")
        .args(["check", "rules"])
        .arg(&file)
        .output()
        .expect("promtool runs (scripts/test.sh installs it with the prometheus package)");
    let _ = std::fs::remove_dir_all(&dir);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("SUCCESS: 2 rules found"), "{text}");
}

/// `/stats` says how much traffic each renderer drew: the share that takes
/// the Chart.js renderer, the slow path, beside the native one's.
#[tokio::test(flavor = "current_thread")]
async fn stats_split_the_traffic_by_renderer() {
    let server = Server::default().await;
    let native = chart_path(&bar_chart("native"), &[]);
    let chartjs = chart_path(
        "{type: 'sparkline', data: {datasets: [{data: [1, 3, 2]}]}}",
        &[],
    );
    for (path, times, drawer) in [(&native, 3, "native"), (&chartjs, 2, "chartjs")] {
        for _ in 0..times {
            let r = server.get(path).await;
            assert_eq!(r.status, 200);
            assert_eq!(r.header("x-chartgate-renderer"), drawer);
        }
    }
    let s = stats(&server, "").await;
    let by_name = |name: &str| {
        s["renderers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["renderer"] == name)
            .unwrap_or_else(|| panic!("no {name} in {s}"))
            .clone()
    };
    for (name, lookups) in [("native", 3), ("chartjs", 2)] {
        let r = by_name(name);
        assert_eq!(r["lookups"], lookups, "{r}");
        assert_eq!(r["renders"], 1, "{r}");
        assert_eq!(r["render_ms"]["count"], 1, "{r}");
        assert!(f(&r["render_ms"]["p50"]) > 0.0, "{r}");
        assert!((f(&r["hit_ratio"]) - f64::from(lookups - 1) / f64::from(lookups)).abs() < 1e-9);
    }
    // The chart's own type, not its native stand-in, names it.
    let top = s["top"].as_array().unwrap();
    assert!(top.iter().any(|c| c["type"] == "sparkline"), "{top:?}");
    server.stop().await;
}
