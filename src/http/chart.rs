//! The chart routes: `GET|HEAD|POST /chart`, `POST /chart/create` and
//! `GET|HEAD /chart/render/ID`. Each reads its parameters into a normalized
//! `ChartRequest`, derives the key, and serves it through the cache.

use super::error::ApiError;
use super::{etag_matches, json, App, Body};
use crate::cache::Alias;
use crate::chart::{key, params, ChartError, ChartKey, ChartRequest, Prepared};
use crate::config::ScriptConfig;
use crate::render::budget;
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{
    HeaderMap, HeaderValue, CACHE_CONTROL, CONTENT_LENGTH, ETAG, HOST, IF_NONE_MATCH,
};
use hyper::{Method, Request, Response, StatusCode};
use std::sync::Arc;

/// `GET|HEAD /chart?c=…`: the slow path of a GET. The fast path in `http`
/// already answered it if the same URL was seen and its chart is in memory;
/// `seen` is the alias it found when the chart was not in memory.
pub(super) async fn get(
    app: &Arc<App>,
    req: Request<Incoming>,
    seen: Option<Alias>,
) -> Result<Response<Body>, ApiError> {
    let head = req.method() == Method::HEAD;
    let query = req.uri().query().unwrap_or("");
    if let Some(alias) = seen {
        // A URL seen before whose picture left memory: Redis may have it,
        // and then the parameters need no parsing.
        if let Some((entry, status)) = app.cache.fetch_stored(alias.key, alias.format).await {
            let inm = req.headers().get(IF_NONE_MATCH);
            return Ok(app.chart_response(&entry, status, head, inm, false));
        }
    }
    let owned = query.to_owned();
    let limits = app.config.limits.clone();
    let chart =
        Prepared::new(read(app, move |s| params::scripted_query(&owned, &limits, s)).await?);
    let (key, format) = (chart.key, chart.req.output.format);
    if !chart.req.reads_clock {
        app.aliases.insert(query, Alias { key, format });
    }
    let inm = req.headers().get(IF_NONE_MATCH).cloned();
    serve(app, chart, head, inm, false).await
}

/// `POST /chart` with a JSON body.
pub(super) async fn post(
    app: &Arc<App>,
    req: Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let inm = req.headers().get(IF_NONE_MATCH).cloned();
    let (_, body) = read_body(app, req).await?;
    let limits = app.config.limits.clone();
    let chart = Prepared::new(read(app, move |s| params::scripted_post(&body, &limits, s)).await?);
    serve(app, chart, false, inm, false).await
}

/// `POST /chart/create`: stores the normalized chart and answers its
/// permanent URL. The ID is the chart's key, so the same chart always gets
/// the same URL. The picture is rendered on its first GET.
pub(super) async fn create(
    app: &Arc<App>,
    req: Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let (headers, body) = read_body(app, req).await?;
    let limits = app.config.limits.clone();
    let chart = read(app, move |s| params::scripted_post(&body, &limits, s)).await?;
    let canonical = key::canonical(&chart);
    let key = ChartKey::of_canonical(&canonical);
    if let Some(redis) = app.cache.redis() {
        // So every replica can serve the short URL, even after this one is
        // gone. Best effort: the local copy still serves it here.
        let _ = redis.store_spec(&key, &canonical).await;
    }
    // Exactly `len` bytes: `specs` weighs `len`, and `Bytes::from(Vec)`
    // would keep serde_json's spare capacity too.
    app.specs.insert(key, Bytes::copy_from_slice(&canonical));
    let url = format!(
        "http://{}/chart/render/{key}",
        host_of(&headers, &app.config.server.listen)
    );
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({"success": true, "url": url}),
    ))
}

/// `GET|HEAD /chart/render/ID`.
pub(super) async fn render_stored(
    app: &Arc<App>,
    id: &str,
    req: &Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let unknown = || {
        ApiError::not_found(format!(
            "no chart with ID {id}; create one with POST /chart/create"
        ))
    };
    let key = ChartKey::from_hex(id).ok_or_else(unknown)?;
    let head = req.method() == Method::HEAD;
    let inm = req.headers().get(IF_NONE_MATCH).cloned();
    // An origin's answer shares the tiers, never this route.
    if let Some(entry) = app.cache.lookup(&key).filter(|e| e.format().is_some()) {
        let status = crate::labels::CacheStatus::HitMemory;
        return Ok(app.chart_response(&entry, status, head, inm.as_ref(), true));
    }
    // Stored by `/chart/create`, else remembered from a render (a top
    // chart's thumbnail on `/dashboard`), else stored by another replica.
    let known = app
        .specs
        .get(&key)
        .or_else(|| app.analytics.remembered_spec(&key));
    let canonical = match known {
        Some(c) => c,
        None => stored_in_redis(app, &key).await.ok_or_else(unknown)?,
    };
    let req: ChartRequest = serde_json::from_slice(&canonical).map_err(|_| unknown())?;
    let chart = Prepared {
        key,
        canonical: Some(canonical),
        req,
    };
    serve(app, chart, head, inm, true).await
}

/// Reads a request's chart with `parse`: as data, on this task (the common
/// case, and cheap); a config that holds code is read again with the
/// sandbox on a blocking thread, at most `render.workers` at a time, so a
/// flood of scripts never stalls the tasks that answer cache hits.
async fn read<F>(app: &Arc<App>, parse: F) -> Result<ChartRequest, ApiError>
where
    F: Fn(Option<&ScriptConfig>) -> Result<ChartRequest, ChartError> + Send + 'static,
{
    match parse(None) {
        Err(ChartError::Code(m)) if !app.config.script.enabled => Err(ApiError::bad_request(
            format!("{m} (scripts are off on this server: script.enabled = false)"),
        )),
        Err(ChartError::Code(_)) => {
            let _permit = app
                .scripts
                .acquire()
                .await
                .expect("the semaphore is never closed");
            let script = app.config.script.clone();
            let evaluated = tokio::task::spawn_blocking(move || parse(Some(&script))).await;
            Ok(evaluated
                .map_err(|_| ApiError::bad_request("the chart config could not be evaluated"))??)
        }
        read => Ok(read?),
    }
}

/// A spec another replica stored; kept locally from then on.
async fn stored_in_redis(app: &App, key: &ChartKey) -> Option<Bytes> {
    match app.cache.redis()?.get_spec(key).await {
        crate::cache::shared::Lookup::Hit(spec) => {
            app.specs.insert(*key, spec.clone());
            Some(spec)
        }
        _ => None,
    }
}

/// Serves a normalized chart: 304 when the client already has it (no render
/// needed, since the ETag is derived from the request), else cache or render.
async fn serve(
    app: &Arc<App>,
    chart: Prepared,
    head: bool,
    inm: Option<HeaderValue>,
    immutable: bool,
) -> Result<Response<Body>, ApiError> {
    let key = chart.key;
    if let Some(entry) = app.cache.lookup(&key) {
        let status = crate::labels::CacheStatus::HitMemory;
        return Ok(app.chart_response(&entry, status, head, inm.as_ref(), immutable));
    }
    // Never drawn, so never cached: refuse it before it takes a worker.
    budget::check(&chart.req, app.config.render.budget_mpx)?;
    if let Some(inm) = &inm {
        let etag = HeaderValue::from_str(&format!("\"{key}\"")).expect("hex header");
        if etag_matches(inm, &etag) {
            return Ok(not_modified(app, etag, immutable));
        }
    }
    let (outcome, status) = app.cache.fill(Arc::new(chart)).await;
    let entry = outcome?;
    Ok(app.chart_response(&entry, status, head, inm.as_ref(), immutable))
}

fn not_modified(app: &App, etag: HeaderValue, immutable: bool) -> Response<Body> {
    let mut resp = Response::new(Body::default());
    *resp.status_mut() = StatusCode::NOT_MODIFIED;
    resp.headers_mut().insert(ETAG, etag);
    let cc = if immutable {
        HeaderValue::from_static(super::IMMUTABLE)
    } else {
        app.cache_control.clone()
    };
    resp.headers_mut().insert(CACHE_CONTROL, cc);
    resp
}

/// Reads a body of at most `limits.max_body_bytes`; over that, 413.
pub(super) async fn read_body(
    app: &App,
    req: Request<Incoming>,
) -> Result<(HeaderMap, Bytes), ApiError> {
    let limit = app.config.limits.max_body_bytes;
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let (parts, body) = req.into_parts();
    // The body gets the head's deadline again: hyper times only the head.
    let ms = app.config.server.header_timeout_ms;
    let within = std::time::Duration::from_millis(ms);
    if declared.is_some_and(|n| n > limit as u64) {
        let _ = tokio::time::timeout(within, drain(body, limit.saturating_mul(DRAIN_FACTOR))).await;
        return Err(ApiError::payload_too_large(limit));
    }
    let collected = tokio::time::timeout(within, Limited::new(body, limit).collect())
        .await
        .map_err(|_| ApiError::request_timeout(ms))?
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                ApiError::payload_too_large(limit)
            } else {
                ApiError::bad_request("could not read the request body")
            }
        })?;
    Ok((parts.headers, collected.to_bytes()))
}

/// How much of an oversized body is read and thrown away, in multiples of
/// the limit, before the 413 is sent.
const DRAIN_FACTOR: usize = 4;

/// Reads and discards up to `max` bytes of a body that will be refused. A
/// server that closes with unread bytes in its receive buffer makes the
/// kernel send a reset, which can destroy the 413 before the client reads it
/// (nginx's lingering close exists for the same reason). Bodies far over the
/// limit are not drained: their connection is simply closed.
async fn drain(body: Incoming, max: usize) {
    let _ = Limited::new(body, max).collect().await;
}

/// The host for absolute URLs: the request's `Host` when it is a plain
/// host[:port], else the listen address. Never echoes arbitrary input.
fn host_of<'a>(headers: &'a HeaderMap, listen: &'a str) -> &'a str {
    headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        })
        .unwrap_or(listen)
}
