//! Operations routes: liveness, readiness and Prometheus metrics.

use super::{json, App, Body};
use crate::labels::Route;
use crate::metrics::Gauges;
use bytes::Bytes;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

pub(super) fn answer(app: &App, route: Route) -> Response<Body> {
    match route {
        Route::Healthz => json(StatusCode::OK, &serde_json::json!({"status": "ok"})),
        Route::Readyz => {
            // Redis is an optimization: without it the gateway still serves,
            // so a down Redis is `degraded`, never not-ready.
            // `up` means fully shared: answering, and subscribed, so that
            // other replicas' purges and finished renders reach this one.
            let (status, redis) = match app.cache.redis() {
                None => ("ready", "disabled"),
                Some(r) if r.is_up() && r.is_subscribed() => ("ready", "up"),
                Some(_) => ("degraded", "down"),
            };
            json(
                StatusCode::OK,
                &serde_json::json!({"status": status, "redis": redis}),
            )
        }
        _ => metrics(app),
    }
}

fn metrics(app: &App) -> Response<Body> {
    let (bytes, entries) = app.cache.memory_usage();
    let mut text = app.metrics.render(&Gauges {
        memory_cache_bytes: bytes,
        memory_cache_entries: entries,
    });
    app.origins.write_metrics(&mut text);
    let mut resp = Response::new(Body::new(Bytes::from(text)));
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    resp
}
