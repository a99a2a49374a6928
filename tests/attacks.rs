//! Small requests that used to cost unbounded time or memory, sent to the
//! real binary under an address-space limit (as `prlimit --as` sets it):
//! each is answered with a 4xx, a 504 or its picture, the process stays
//! alive and within its memory, and the render worker is free again
//! afterwards — proved by a cheap chart rendering on the single worker
//! right after, which could not happen while the worker was still busy.
//!
//! Nothing here measures wall-clock time: "the worker is free" is shown by
//! the next render succeeding, not by a stopwatch.

mod common;

use bytes::Bytes;
use common::process::Gateway;
use common::{bar_chart, chart_path, request, Resp};
use std::net::SocketAddr;

/// The address space the gateway may use. A process doing its job needs a
/// fraction of it (its 4096x4096 canvas is 64 MiB); the dash bomb used to
/// grow by 800 MB a second until the allocator aborted.
const ADDRESS_SPACE: u64 = 3 << 30;

/// Resident memory the gateway must stay under through every attack.
const RSS_BOUND_KIB: u64 = 600 * 1024;

/// One render worker and a 10 s deadline: an attack that held the worker
/// (the marker bomb drew for 44 s) would make the next chart wait past its
/// own deadline, while a cheap chart takes a small fraction of it even in a
/// debug build on a busy machine.
fn start(extra: &[(&str, &str)]) -> Gateway {
    let mut env = vec![
        ("CHARTGATE_RENDER__WORKERS", "1"),
        ("CHARTGATE_RENDER__TIMEOUT_MS", "10000"),
    ];
    env.extend_from_slice(extra);
    let gw = Gateway::start(&env);
    let limit = libc::rlimit {
        rlim_cur: ADDRESS_SPACE,
        rlim_max: ADDRESS_SPACE,
    };
    // SAFETY: prlimit on our own child with a valid, initialized struct.
    let rc = unsafe {
        libc::prlimit(
            gw.pid() as libc::pid_t,
            libc::RLIMIT_AS,
            &limit,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
    gw
}

fn line(points: usize, dataset_extra: &str) -> String {
    let labels: Vec<String> = (0..points).map(|i| i.to_string()).collect();
    let data: Vec<String> = (0..points)
        .map(|i| ((i * 7919) % 1000).to_string())
        .collect();
    format!(
        "{{type:'line',data:{{labels:[{}],datasets:[{{label:'a',data:[{}]{dataset_extra}}}]}}}}",
        labels.join(","),
        data.join(",")
    )
}

async fn get(addr: SocketAddr, config: &str, extra: &[(&str, &str)]) -> Resp {
    request(addr, "GET", &chart_path(config, extra), &[], Bytes::new()).await
}

/// POSTs `config` (too long for a URL) at 4096x4096.
async fn post_huge(addr: SocketAddr, config: &str) -> Resp {
    let body = serde_json::json!({"chart": config, "width": 4096, "height": 4096,
        "devicePixelRatio": 1});
    request(
        addr,
        "POST",
        "/chart",
        &[("content-type", "application/json")],
        Bytes::from(body.to_string()),
    )
    .await
}

const HUGE: &[(&str, &str)] = &[("w", "4096"), ("h", "4096"), ("devicePixelRatio", "1")];

/// After an attack: alive, within memory, and the worker renders a cheap
/// chart (it would time out in the queue behind a still-running attack).
async fn still_serving(gw: &Gateway, what: &str) {
    let fresh = format!("after {what}");
    let ok = get(gw.addr, &bar_chart(&fresh), &[]).await;
    assert_eq!(ok.status, 200, "a cheap chart after {what}: {:?}", ok.body);
    let rss = gw.rss_kib();
    assert!(rss < RSS_BOUND_KIB, "RSS {rss} KiB after {what}");
}

fn assert_client_or_timeout(resp: &Resp, what: &str) {
    let s = resp.status.as_u16();
    assert!(
        s == 200 || s == 504 || (400..500).contains(&s),
        "{what}: {s} {:?}",
        String::from_utf8_lossy(&resp.body)
    );
    if s != 200 {
        assert!(resp.json()["error"].is_string(), "{what}: a JSON error");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dash_bombs_draw_in_bounded_memory() {
    let gw = start(&[]);
    // 400 lengths of 1e-9 then 2: sub-pixel runs merge into 2 px dashes.
    let mut dust = vec!["1e-9"; 400];
    dust.push("2");
    let bomb = line(200, &format!(",borderDash:[{}]", dust.join(",")));
    let resp = get(gw.addr, &bomb, HUGE).await;
    assert_client_or_timeout(&resp, "the 1e-9 dash bomb");
    still_serving(&gw, "the 1e-9 dash bomb").await;
    // 1,000 pairs of (1e-3, 1.1): mostly gaps, merged per pixel.
    let pairs = vec!["1e-3,1.1"; 1000].join(",");
    let resp = get(gw.addr, &line(200, &format!(",borderDash:[{pairs}]")), HUGE).await;
    assert_client_or_timeout(&resp, "the 1e-3 dash pattern");
    // 50,000 lengths of 0.001 (a POST: too long for a URL).
    let long = vec!["0.001"; 50_000].join(",");
    let resp = post_huge(gw.addr, &line(2000, &format!(",borderDash:[{long}]"))).await;
    assert_client_or_timeout(&resp, "50,000 dash lengths");
    still_serving(&gw, "every dash pattern").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_marker_bomb_is_refused_before_it_takes_a_worker() {
    let gw = start(&[]);
    let bomb = line(2000, ",pointRadius:1e4");
    let resp = post_huge(gw.addr, &bomb).await;
    assert_eq!(resp.status, 422);
    assert_eq!(resp.json()["error"], "limit_exceeded");
    let message = resp.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("dataset 0's points"), "{message}");
    still_serving(&gw, "the refused marker bomb").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_render_past_its_deadline_frees_its_worker() {
    // A budget high enough to let the marker bomb start: then only the
    // deadline stops it (it used to run on for 44 s).
    let gw = start(&[("CHARTGATE_RENDER__BUDGET_MPX", "1e9")]);
    let bomb = line(2000, ",pointRadius:1e4");
    let first = post_huge(gw.addr, &bomb).await;
    assert_eq!(
        first.status,
        504,
        "{:?}",
        String::from_utf8_lossy(&first.body)
    );
    still_serving(&gw, "the first timed-out render").await;
    // The same chart again starts one render again, and again stops.
    let again = post_huge(gw.addr, &bomb).await;
    assert_eq!(again.status, 504);
    still_serving(&gw, "the second timed-out render").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_varied_fonts_stay_within_the_glyph_cache_bound() {
    let gw = start(&[]);
    for i in 0..25 {
        let size = 100 + i * 37;
        let config = format!(
            "{{type:'bar',data:{{labels:['Wq{i}','Mg{i}'],datasets:[{{label:'ÆØÅ{i}',data:[1,2]}}]}},\
             options:{{title:{{display:true,text:'Glyphs #{i} @%&',fontSize:{size}}},\
             legend:{{labels:{{fontSize:{}}}}}}}}}",
            size / 2
        );
        let resp = get(
            gw.addr,
            &config,
            &[("w", "2000"), ("h", "2000"), ("devicePixelRatio", "1")],
        )
        .await;
        assert_client_or_timeout(&resp, "a large font");
    }
    still_serving(&gw, "25 charts of large, varied fonts").await;
}

/// Requests refused while their head is read (too long, too many fields,
/// bad framing, a version that does not exist), over a raw socket: each is
/// the contract's JSON error with `X-Quickchart-Error`, and the process goes
/// on serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_errors_are_json_and_harmless() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let gw = start(&[]);
    let fields: String = (0..101).map(|i| format!("x-h{i}: v\r\n")).collect();
    let cases = [
        (
            format!(
                "GET /chart?c={} HTTP/1.1\r\nhost: x\r\n\r\n",
                "x".repeat(100_000)
            ),
            "414",
            "uri_too_long",
        ),
        (
            format!("GET /healthz HTTP/1.1\r\nhost: x\r\n{fields}\r\n"),
            "431",
            "header_too_large",
        ),
        (
            format!(
                "GET /healthz HTTP/1.1\r\nx-big: {}\r\n\r\n",
                "a".repeat(70_000)
            ),
            "431",
            "header_too_large",
        ),
        (
            "POST /chart HTTP/1.1\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello!".into(),
            "400",
            "bad_request",
        ),
        (
            "POST /chart HTTP/1.1\r\ntransfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n".into(),
            "400",
            "bad_request",
        ),
        ("GET /healthz HTTP/1.2\r\n\r\n".into(), "400", "bad_request"),
    ];
    for (head, status, code) in cases {
        let what = format!("{code} ({} bytes)", head.len());
        let mut stream = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        // The server closes after the answer; a reset after it is fine too
        // (what was read before it stays in `answer`).
        if let Err(e) = stream.read_to_end(&mut answer).await {
            assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{what}");
        }
        let text = String::from_utf8_lossy(&answer);
        let (head, body) = text.split_once("\r\n\r\n").expect("a whole response");
        assert!(
            head.starts_with(&format!("HTTP/1.1 {status} ")),
            "{what}: {head}"
        );
        assert!(
            head.contains("\r\ncontent-type: application/json\r\n"),
            "{what}"
        );
        assert!(head.contains("\r\nx-quickchart-error: "), "{what}");
        let json: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
        assert_eq!(json["error"], code, "{what}");
        still_serving(&gw, &what).await;
    }
}
