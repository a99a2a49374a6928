//! HTTP: the routes of the contract, over hyper 1.
//!
//! `App` (built in `app.rs`) holds everything a request needs; `handle`
//! routes one request. The cache-hit path comes first and touches only the alias map, the memory tier
//! and pre-built header values; everything else goes through `routes`.

mod admin;
mod auth;
mod body;
mod chart;
mod error;
mod ops;
mod origin;
pub(crate) mod protocol_error;
mod stats;

use crate::app::App;
use crate::cache::{Alias, Entry};
use crate::chart::Format;
use crate::labels::{CacheStatus, Route};
use bytes::Bytes;
use error::ApiError;
use futures_util::future::{BoxFuture, Either};
use hyper::body::Body as _;
use hyper::body::Incoming;
use hyper::header::{
    HeaderName, HeaderValue, CACHE_CONTROL, CONNECTION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, ETAG, X_CONTENT_TYPE_OPTIONS,
};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::future::Ready;
use std::sync::Arc;

pub use body::Body;

/// `/chart/render/ID` never changes: the ID is the chart's content key.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// On every chart: a browser must take the picture for what its
/// `Content-Type` says, never sniff it into HTML or script.
pub(crate) const NOSNIFF: &str = "nosniff";

/// On every SVG: opened directly, an SVG is a document of the gateway's
/// origin. Whatever a stored value holds, it runs no script, loads nothing
/// (`default-src 'none'`), and is sandboxed; inline styles (what the
/// renderer writes) still apply.
pub(crate) const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// Headers of a chart response: content type, length, ETag, cache control,
/// X-Cache, X-Chartgate-Renderer, Cache-Status, X-Content-Type-Options and,
/// for SVG, the CSP. The
/// map is sized for all of them up front, so building a hit's response
/// allocates its table once and never grows it.
const CHART_HEADERS: usize = 9;

impl App {
    /// Builds the response for a chart, honouring `If-None-Match`.
    fn chart_response(
        &self,
        entry: &Entry,
        status: CacheStatus,
        head: bool,
        if_none_match: Option<&HeaderValue>,
        immutable: bool,
    ) -> Response<Body> {
        self.metrics.cache_lookup(status);
        tracing::debug!(key = %entry.key, cache = status.as_str(), head, "chart");
        let not_modified = if_none_match.is_some_and(|v| etag_matches(v, &entry.etag));
        let sent = if head || not_modified {
            0
        } else {
            entry.body.len()
        };
        self.analytics.record(entry, status, sent);
        let body = if head || not_modified {
            Body::default()
        } else {
            Body::new(entry.body.clone())
        };
        let mut resp = Response::new(body);
        if not_modified {
            *resp.status_mut() = StatusCode::NOT_MODIFIED;
        }
        let h = resp.headers_mut();
        h.reserve(CHART_HEADERS);
        if !not_modified {
            // Only charts come here: an origin's answer has its own keys,
            // and `/chart/render/ID` refuses them (`chart::render_stored`).
            let format = entry.format().unwrap_or(Format::Png);
            h.insert(
                CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            );
            h.insert(CONTENT_LENGTH, entry.content_length.clone());
            h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static(NOSNIFF));
            if format == Format::Svg {
                h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(SVG_CSP));
            }
        }
        h.insert(ETAG, entry.etag.clone());
        h.insert(
            CACHE_CONTROL,
            if immutable {
                HeaderValue::from_static(IMMUTABLE)
            } else {
                self.cache_control.clone()
            },
        );
        // `HeaderName::from_static`, not a `&str`: a name hyper does not know
        // given as a string is copied into a fresh allocation on every insert.
        h.insert(HeaderName::from_static("x-cache"), status.x_cache());
        h.insert(
            HeaderName::from_static("x-chartgate-renderer"),
            entry.drawer.header(),
        );
        h.insert(
            HeaderName::from_static("cache-status"),
            status.cache_status(self.redis_configured()),
        );
        if entry.missing_glyphs > 0 {
            h.insert(
                HeaderName::from_static("x-chartgate-missing-glyphs"),
                HeaderValue::from(u16::from(entry.missing_glyphs)),
            );
        }
        resp
    }
}

/// `If-None-Match` uses the weak comparison (RFC 9110 13.1.2): `W/` is ignored.
fn etag_matches(header: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(header) = header.to_str() else {
        return false;
    };
    let etag = etag.to_str().unwrap_or_default();
    header.split(',').any(|tag| {
        let tag = tag.trim();
        tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag
    })
}

/// What `handle` gives hyper: a hit already answered, or the full route's
/// future. The full route's future is large (tens of KB, for the render and
/// Redis paths inside it); boxed only when it is needed, it is neither built
/// nor copied into the connection's task for a hit.
pub type Answer = Either<
    Ready<Result<Response<Body>, Infallible>>,
    BoxFuture<'static, Result<Response<Body>, Infallible>>,
>;

/// Routes one request. Never fails: every error is a JSON response.
pub fn handle(app: Arc<App>, req: Request<Incoming>) -> Answer {
    // Only a request with a body can carry a transfer coding, and the fast
    // path answers none: the hit path pays one field read.
    let seen = if req.body().is_end_stream() {
        // The embedding page is known to `record` while the hit is answered.
        let origin = app.analytics.origin(req.headers());
        match crate::analytics::within_sync(origin, || app.fast_path(&req)) {
            Fast::Hit(resp, route) => {
                app.metrics.http_request(route, resp.status().as_u16());
                return Either::Left(std::future::ready(Ok(resp)));
            }
            Fast::Seen(alias) => Some(alias),
            Fast::Unseen => None,
        }
    } else {
        None
    };
    // The embedding page travels with the request's task to `record`.
    let origin = app.analytics.origin(req.headers());
    Either::Right(Box::pin(crate::analytics::within(
        origin,
        respond(app, req, seen),
    )))
}

async fn respond(
    app: Arc<App>,
    req: Request<Incoming>,
    seen: Option<Alias>,
) -> Result<Response<Body>, Infallible> {
    if !req.body().is_end_stream() {
        if let Some(e) = protocol_error::refused_transfer_coding(req.headers()) {
            let mut resp = e.into_response();
            // The body is left unread: the connection cannot carry another request.
            resp.headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            let route = Route::of(req.uri().path());
            app.metrics.http_request(route, resp.status().as_u16());
            return Ok(resp);
        }
    }
    let (route, result) = route(&app, req, seen).await;
    let resp = result.unwrap_or_else(ApiError::into_response);
    let status = resp.status().as_u16();
    app.metrics.http_request(route, status);
    if status >= 500 {
        tracing::warn!(route = route.as_str(), status, "request failed");
    } else {
        tracing::debug!(route = route.as_str(), status, "request");
    }
    Ok(resp)
}

/// What the fast path found for a request.
pub(super) enum Fast {
    /// A chart URL (or an origin's target) seen before whose picture (or
    /// fresh answer) is in memory: answered, on this route.
    Hit(Response<Body>, Route),
    /// A chart URL seen before whose picture is not in memory: its key and
    /// format, so the slow path neither looks it up again nor parses it.
    Seen(Alias),
    /// Anything else.
    Unseen,
}

impl App {
    /// The cache-hit path: a GET or HEAD of a chart URL seen before whose
    /// picture is in memory. Two map reads and pre-built headers; `None`
    /// sends the request down the full route.
    #[inline]
    pub fn try_hit<B>(&self, req: &Request<B>) -> Option<Response<Body>> {
        match self.fast_path(req) {
            Fast::Hit(resp, _) => Some(resp),
            Fast::Seen(_) | Fast::Unseen => None,
        }
    }

    #[inline]
    fn fast_path<B>(&self, req: &Request<B>) -> Fast {
        let head = match *req.method() {
            Method::GET => false,
            Method::HEAD => true,
            _ => return Fast::Unseen,
        };
        if req.uri().path() != "/chart" {
            return match req.uri().path().starts_with("/o/") {
                true => self.origin_hit(req, head),
                false => Fast::Unseen,
            };
        }
        let Some(query) = req.uri().query() else {
            return Fast::Unseen;
        };
        if query.len() > self.config.limits.max_url_bytes {
            return Fast::Unseen;
        }
        let Some(alias) = self.aliases.get(query) else {
            return Fast::Unseen;
        };
        let Some(entry) = self.cache.lookup(&alias.key) else {
            return Fast::Seen(alias);
        };
        let inm = req.headers().get(hyper::header::IF_NONE_MATCH);
        let resp = self.chart_response(&entry, CacheStatus::HitMemory, head, inm, false);
        Fast::Hit(resp, Route::Chart)
    }
}

/// The full route of a request; `seen` is what the fast path learnt of a
/// chart URL it had seen before.
async fn route(
    app: &Arc<App>,
    req: Request<Incoming>,
    seen: Option<Alias>,
) -> (Route, Result<Response<Body>, ApiError>) {
    let max_url = app.config.limits.max_url_bytes;
    let target_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let path = req.uri().path().to_owned();
    let route = Route::of(&path);
    // Until this request is answered (or dropped with its connection), it
    // shows on `chartgate_http_requests_in_flight`. The hit path in `try_hit`
    // never gets here, so it stays free of this shared counter.
    let _in_flight = app.metrics.request_started(route);
    if target_len > max_url {
        return (route, Err(ApiError::uri_too_long(max_url)));
    }
    let method = req.method().clone();
    let result = match (route, &method) {
        (Route::Chart, &Method::GET | &Method::HEAD) => chart::get(app, req, seen).await,
        (Route::Chart, &Method::POST) => chart::post(app, req).await,
        (Route::Chart, _) => Err(ApiError::method_not_allowed("GET, HEAD, POST")),
        (Route::ChartCreate, &Method::POST) => chart::create(app, req).await,
        (Route::ChartCreate, _) => Err(ApiError::method_not_allowed("POST")),
        (Route::ChartRender, &Method::GET | &Method::HEAD) => {
            let id = &path["/chart/render/".len()..];
            chart::render_stored(app, id, &req).await
        }
        (Route::ChartRender, _) => Err(ApiError::method_not_allowed("GET, HEAD")),
        (Route::Healthz | Route::Readyz | Route::Metrics, &Method::GET | &Method::HEAD) => {
            Ok(ops::answer(app, route))
        }
        (Route::Healthz | Route::Readyz | Route::Metrics, _) => {
            Err(ApiError::method_not_allowed("GET, HEAD"))
        }
        (Route::Admin, _) => admin::purge(app, &req).await,
        (Route::OpenApi, &Method::GET | &Method::HEAD) => Ok(openapi()),
        (Route::OpenApi, _) => Err(ApiError::method_not_allowed("GET, HEAD")),
        (Route::Stats | Route::Dashboard, &Method::GET | &Method::HEAD) => {
            stats::answer(app, route, &req).await
        }
        (Route::Stats | Route::Dashboard, _) => Err(ApiError::method_not_allowed("GET, HEAD")),
        (Route::Origin, _) => origin::serve(app, req, &path).await,
        _ => Err(ApiError::not_found(format!("no route {path}"))),
    };
    (route, result)
}

/// The OpenAPI 3 description of every route (kept true by `tests/openapi.rs`).
pub const OPENAPI: &str = include_str!("openapi.json");

fn openapi() -> Response<Body> {
    let mut resp = Response::new(Body::new(Bytes::from_static(OPENAPI.as_bytes())));
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// A JSON response.
fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    let mut resp = Response::new(Body::new(Bytes::from(value.to_string())));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_forms() {
        let etag = HeaderValue::from_static("\"abc\"");
        for (header, expect) in [
            ("\"abc\"", true),
            ("W/\"abc\"", true),
            ("\"x\", \"abc\"", true),
            ("*", true),
            ("\"abd\"", false),
            ("abc", false),
        ] {
            assert_eq!(
                etag_matches(&HeaderValue::from_static(header), &etag),
                expect,
                "{header}"
            );
        }
    }
}
