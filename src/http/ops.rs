//! Operations routes: liveness, readiness and Prometheus metrics.

use super::{json, App, Body};
use crate::metrics::{Gauges, Route};
use bytes::Bytes;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

pub(super) fn answer(app: &App, route: Route) -> Response<Body> {
    match route {
        Route::Healthz => json(StatusCode::OK, &serde_json::json!({"status": "ok"})),
        Route::Readyz => json(
            StatusCode::OK,
            &serde_json::json!({"status": "ready", "redis": "disabled"}),
        ),
        _ => metrics(app),
    }
}

fn metrics(app: &App) -> Response<Body> {
    let (bytes, entries) = app.cache.memory.usage();
    let text = app.metrics.render(&Gauges {
        memory_cache_bytes: bytes,
        memory_cache_entries: entries,
    });
    let mut resp = Response::new(Body::new(Bytes::from(text)));
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    resp
}
