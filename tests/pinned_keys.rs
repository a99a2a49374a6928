//! The keys (ETags) of a few charts, pinned. A chart's key is its ETag, its
//! `/chart/render/ID` and its name in every cache tier, the same on every
//! replica and across releases: a change to normalization or to the key
//! context changes them all, and must be deliberate (bump `KEY_CONTEXT` in
//! `src/chart/key.rs` when the same spec now draws differently, and update
//! the values here in the same commit). A change of defaults changes the
//! spec, and so the keys, by itself: the pins then move without a bump, as
//! when QuickChart's v2 defaults (Tableau10, straight lines, y from zero
//! without `scales`) replaced Chart.js's for these three charts, and when
//! the layout padding default became Chart.js's 0 (it was 10 px; measured
//! against the Chart.js renderer, `tests/native_vs_chartjs.rs`).

mod common;

/// The `KEY_CONTEXT` the pins below were computed with.
const PINNED_FOR: &str = "chartgate 2026-12-07 chart key v29";

use bytes::Bytes;
use common::{chart_path, request, Seam, Server};

/// The ETag of a GET of `path`, without its quotes.
async fn etag_of_get(server: &Server, path: &str) -> String {
    let r = server.get(path).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.header("etag").trim_matches('"').to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_keys_are_pinned() {
    let server = Server::start(common::config(), Seam::new()).await;

    // The README's first example, as an <img> URL (object-literal form).
    let readme_bar = chart_path(
        "{type:'bar',data:{labels:['Q1','Q2','Q3','Q4'],datasets:[{label:'Revenue',data:[50,60,70,180]}]}}",
        &[],
    );
    // The benches' reference chart, at the size the benches ask for.
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("../benches/reference-chart.json")).unwrap();
    let reference = chart_path(
        &reference.to_string(),
        &[
            ("w", "800"),
            ("h", "400"),
            ("devicePixelRatio", "1"),
            ("f", "png"),
        ],
    );
    let pinned_gets = [
        (
            "README bar",
            readme_bar,
            "11819389bc4591f8ec5081556e74bee6afbd8ca6b82bdb5e65b9c92c6e409d6b",
        ),
        (
            "reference chart",
            reference,
            "cedec625e7d3131742d00e2fa64aa8d895869663b0cfbee0f97a0eec049868c7",
        ),
    ];
    let mut wrong = Vec::new();
    for (name, path, want) in &pinned_gets {
        let got = etag_of_get(&server, path).await;
        if got != *want {
            wrong.push(format!("{name}: {got}"));
        }
    }

    // An SVG pie, POSTed. Its key moved when QuickChart's default of values
    // on v2 pie slices (datalabels) came: its spec, and picture, gained them.
    let pie = serde_json::json!({
        "width": 500,
        "height": 300,
        "format": "svg",
        "chart": {
            "type": "pie",
            "data": {
                "labels": ["Chrome", "Safari", "Edge", "Firefox", "Other"],
                "datasets": [{"data": [64, 19, 5, 3, 9]}]
            },
            "options": {"title": {"display": true, "text": "Pie"}}
        }
    });
    let r = request(
        server.addr,
        "POST",
        "/chart",
        &[("content-type", "application/json")],
        Bytes::from(pie.to_string()),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "image/svg+xml");
    let got = r.header("etag").trim_matches('"').to_owned();
    if got != "b026d34c01043d6641ff77fd053115e884954b75761fbff19bcfc1c60faaa478" {
        wrong.push(format!("SVG pie: {got}"));
    }
    assert!(
        wrong.is_empty(),
        "chart keys changed (pins are for KEY_CONTEXT {PINNED_FOR:?}); if KEY_CONTEXT was \
         bumped on purpose, update the pins, else normalization changed by accident:\n{}",
        wrong.join("\n")
    );
    server.stop().await;
}
