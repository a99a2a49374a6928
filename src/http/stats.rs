//! `GET /stats` (the analytics as JSON) and `GET /dashboard` (the same
//! figures as a page whose charts this gateway draws). With `admin.token`
//! set both need it: as a bearer token, or `?token=` for the page, compared
//! in constant time.

use super::auth::{bearer_matches, constant_time_eq};
use super::error::ApiError;
use super::{json, App, Body};
use crate::analytics::{self, view, Snapshot, MINUTES};
use crate::chart::ChartKey;
use crate::labels::Route;
use bytes::Bytes;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use std::sync::Arc;

/// Top entries shown unless `?top=` says otherwise.
const DEFAULT_TOP: usize = 20;
const MAX_TOP: usize = 1000;
/// Minutes of series unless `?minutes=` says otherwise.
const DEFAULT_MINUTES: usize = 60;

/// What the page may load: itself, its own charts, its own `/stats`.
const DASHBOARD_CSP: &str = "default-src 'none'; img-src 'self' data:; connect-src 'self'; \
     style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

pub(super) async fn answer<B>(
    app: &Arc<App>,
    route: Route,
    req: &Request<B>,
) -> Result<Response<Body>, ApiError> {
    let query = req.uri().query().unwrap_or("");
    if !authorized(app, req, route == Route::Dashboard) {
        return Err(ApiError::unauthorized());
    }
    if !app.analytics.enabled() {
        return Err(ApiError::not_found(
            "analytics are off (analytics.enabled = false)",
        ));
    }
    match route {
        Route::Dashboard => Ok(dashboard()),
        _ => stats(app, &Params::parse(query)?).await,
    }
}

fn authorized<B>(app: &App, req: &Request<B>, page: bool) -> bool {
    let Some(token) = app.config.admin.token.as_deref() else {
        return true;
    };
    if bearer_matches(req.headers(), Some(token)) {
        return true;
    }
    page && form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .any(|(k, v)| k == "token" && constant_time_eq(v.as_bytes(), token.as_bytes()))
}

struct Params {
    scope: Option<String>,
    top: usize,
    minutes: usize,
}

impl Params {
    fn parse(query: &str) -> Result<Params, ApiError> {
        let mut p = Params {
            scope: None,
            top: DEFAULT_TOP,
            minutes: DEFAULT_MINUTES,
        };
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match &*k {
                "scope" if v == "local" || v == "cluster" => p.scope = Some(v.into_owned()),
                "scope" => return Err(ApiError::bad_request("scope must be local or cluster")),
                "top" => p.top = number(&v, MAX_TOP, "top")?,
                "minutes" => p.minutes = number(&v, MINUTES, "minutes")?,
                _ => {}
            }
        }
        Ok(p)
    }
}

fn number(v: &str, max: usize, name: &str) -> Result<usize, ApiError> {
    v.parse()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| ApiError::bad_request(format!("{name} must be a number from 1 to {max}")))
}

async fn stats(app: &Arc<App>, p: &Params) -> Result<Response<Body>, ApiError> {
    let a = &app.analytics;
    let scope = p
        .scope
        .as_deref()
        .unwrap_or(if a.clustered() { "cluster" } else { "local" });
    let cluster = match scope {
        "cluster" => a.cluster_snapshot(p.minutes).await,
        _ => None,
    };
    // Without Redis the cluster is this replica: same figures, scope as asked.
    let (snap, scope, unreachable) = match cluster {
        Some(Ok(merged)) => (merged, scope, false),
        Some(Err(_)) => (local(app, p.minutes)?, "local", true),
        None => (local(app, p.minutes)?, scope, false),
    };
    let mut body = view::stats(&snap, scope, p.top, |hex| thumbnail(app, hex));
    if unreachable {
        body["cluster_error"] = "redis is unreachable: these are this replica's figures".into();
    }
    let mut resp = json(StatusCode::OK, &body);
    resp.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

fn local(app: &App, minutes: usize) -> Result<Snapshot, ApiError> {
    app.analytics
        .snapshot(minutes)
        .ok_or_else(|| ApiError::not_found("analytics are off"))
}

/// Whether `/chart/render/KEY` answers for a top chart: its picture is in
/// memory, or a spec to draw it again is stored (by `/chart/create`) or
/// remembered (by the analytics, from its render; reading the top charts'
/// meta for this page keeps theirs recently used). A query: it changes nothing.
fn thumbnail(app: &App, hex: &str) -> bool {
    ChartKey::from_hex(hex).is_some_and(|key| {
        app.cache.lookup(&key).is_some()
            || app.specs.contains_key(&key)
            || app.analytics.remembered_spec(&key).is_some()
    })
}

fn dashboard() -> Response<Body> {
    let mut resp = Response::new(Body::new(Bytes::from_static(
        analytics::DASHBOARD_HTML.as_bytes(),
    )));
    let h = resp.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(DASHBOARD_CSP),
    );
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    resp
}
