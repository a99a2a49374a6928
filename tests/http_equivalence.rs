//! Spellings of one chart share one cache entry over HTTP: the second
//! spelling is a memory hit with the same ETag and the same bytes. Pictures
//! that differ never share one. (`chart_equivalence.rs` covers the full table
//! at the library level.)

mod common;

use base64::Engine;
use common::{chart_path, Server};

const JSON: &str = r##"{"type":"bar","data":{"labels":["a","b"],"datasets":[{"label":"n","data":[1,2.5],"backgroundColor":"#FFF"}]}}"##;
const LITERAL: &str = "{data:{datasets:[{data:[1.0,25e-1],backgroundColor:'white',label:'n',}],labels:['a','b']},type:'bar'} // pasted";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spellings_of_one_chart_share_one_entry() {
    let server = Server::default().await;
    let first = server.get(&chart_path(JSON, &[])).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-cache"), "miss");
    let etag = first.header("etag").to_owned();

    let b64 = base64::engine::general_purpose::STANDARD.encode(JSON);
    let post = serde_json::json!({"chart": JSON, "width": 500, "backgroundColor": "transparent"})
        .to_string();
    let post_object = serde_json::json!({"chart": serde_json::from_str::<serde_json::Value>(JSON).unwrap(), "version": "2"}).to_string();
    let spellings = [
        (
            "object literal",
            server.get(&chart_path(LITERAL, &[])).await,
        ),
        (
            "base64",
            server
                .get(&chart_path(&b64, &[("encoding", "base64")]))
                .await,
        ),
        (
            "aliases and defaults",
            server
                .get(&chart_path(
                    JSON,
                    &[
                        ("width", "500"),
                        ("height", "300"),
                        ("devicePixelRatio", "2"),
                        ("format", "png"),
                        ("v", "2"),
                    ],
                ))
                .await,
        ),
        (
            "ignored parameters",
            server
                .get(&chart_path(JSON, &[("ref", "dash"), ("utm_source", "x")]))
                .await,
        ),
        ("POST string", server.post("/chart", &post).await),
        ("POST object", server.post("/chart", &post_object).await),
    ];
    for (name, resp) in spellings {
        assert_eq!(resp.status, 200, "{name}");
        assert_eq!(resp.header("etag"), etag, "{name}");
        assert_eq!(resp.header("x-cache"), "hit-memory", "{name}");
        assert_eq!(resp.body, first.body, "{name}");
    }

    for (name, path) in [
        ("other data", chart_path(&JSON.replace("2.5", "3"), &[])),
        ("other width", chart_path(JSON, &[("w", "501")])),
        ("svg", chart_path(JSON, &[("f", "svg")])),
        ("background", chart_path(JSON, &[("bkg", "white")])),
        (
            "other label",
            chart_path(&JSON.replace("\"n\"", "\"m\""), &[]),
        ),
    ] {
        let resp = server.get(&path).await;
        assert_eq!(resp.status, 200, "{name}");
        assert_ne!(resp.header("etag"), etag, "{name} must not share the entry");
    }
    server.stop().await;
}
