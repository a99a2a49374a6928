//! `GET|HEAD|POST /o/<name>/<path>`: a fronted origin's answer (origin
//! mode, `crate::origin`). Reads the request into an `Ask`, answers
//! `If-None-Match` for the key without calling the origin, and writes what
//! `Origin::serve` found: kept answers with chartgate's ETag, `X-Cache`,
//! `Cache-Status` and `Age`; unkept ones as the origin sent them.

use super::chart::read_body;
use super::error::ApiError;
use super::{etag_matches, App, Body, NOSNIFF, SVG_CSP};
use crate::cache::Entry;
use crate::labels::{CacheStatus, OriginOutcome, Route};
use crate::origin::{canonical_json, Ask, Served};
use hyper::body::Incoming;
use hyper::header::{
    HeaderName, HeaderValue, AGE, CACHE_CONTROL, CONNECTION, CONTENT_LENGTH,
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, PROXY_AUTHENTICATE, TE, TRAILER,
    TRANSFER_ENCODING, UPGRADE, X_CONTENT_TYPE_OPTIONS,
};
use hyper::{Method, Request, Response, StatusCode};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Headers of the origin's answer that belong to its connection, not to
/// the answer (RFC 9110 7.6.1): never relayed.
const HOP_BY_HOP: [HeaderName; 6] = [
    CONNECTION,
    TE,
    TRAILER,
    TRANSFER_ENCODING,
    UPGRADE,
    PROXY_AUTHENTICATE,
];

/// Headers of a kept answer (content type and length, nosniff, CSP for
/// SVG, ETag, Age, Cache-Control, X-Cache, Cache-Status), reserved at once
/// so a hit's header table never grows.
const ORIGIN_HEADERS: usize = 10;

pub(super) async fn serve(
    app: &Arc<App>,
    req: Request<Incoming>,
    path: &str,
) -> Result<Response<Body>, ApiError> {
    let below = &path["/o/".len()..];
    let (name, rest) = match below.find('/') {
        Some(at) => (&below[..at], &below[at..]),
        None => (below, "/"),
    };
    let origin = app
        .origins
        .get(name)
        .ok_or_else(|| ApiError::not_found(format!("no origin named {name:?}")))?;
    if climbs(rest) {
        return Err(ApiError::bad_request(
            "a path below /o/<name>/ may not hold . or .. segments",
        ));
    }
    let method = req.method().clone();
    if !origin.cfg.allows(method.as_str()) {
        let allow = if origin.cfg.allows("POST") {
            "GET, HEAD, POST"
        } else {
            "GET, HEAD"
        };
        return Err(ApiError::method_not_allowed(allow));
    }
    let head = method == Method::HEAD;
    let query = req.uri().query().unwrap_or("").to_owned();
    let target = req.uri().path_and_query().map(|t| t.as_str().to_owned());
    let inm = req.headers().get(IF_NONE_MATCH).cloned();
    let (headers, json) = if method == Method::POST {
        let (headers, body) = read_body(app, req).await?;
        let json = canonical_json(&body)
            .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
        (headers, Some(json))
    } else {
        (req.into_parts().0.headers, None)
    };
    let ask = Ask {
        path: rest,
        query: &query,
        headers: &headers,
        json,
    };
    let (key, call) = origin.prepare(&ask);
    if method != Method::POST {
        if let Some(target) = target.as_deref() {
            app.origins.remember(origin, target, key);
        }
    }
    let etag = HeaderValue::from_str(&format!("\"{key}\"")).expect("hex header");
    if inm.as_ref().is_some_and(|v| etag_matches(v, &etag)) {
        // The ETag is the key: a client holding it holds this answer.
        origin.answered(
            OriginOutcome::Cached(CacheStatus::HitMemory),
            Duration::ZERO,
        );
        let mut resp = Response::new(Body::default());
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        resp.headers_mut().insert(ETAG, etag);
        return Ok(resp);
    }
    let redis = app.redis_configured();
    let served = origin.serve(&app.cache, key, call).await;
    let now = SystemTime::now();
    Ok(match served {
        Served::Kept(entry, outcome) => kept(&entry, outcome, head, redis, now),
        Served::Relayed(entry) => kept(&entry, OriginOutcome::Bypass, head, redis, now),
        Served::Streamed(parts, relay) => {
            let mut resp = Response::new(if head {
                Body::default()
            } else {
                Body::stream(relay.boxed())
            });
            *resp.status_mut() = parts.status;
            let h = resp.headers_mut();
            for (name, value) in &parts.headers {
                if !HOP_BY_HOP.contains(name) {
                    h.append(name, value.clone());
                }
            }
            mark(h, OriginOutcome::Bypass, redis);
            resp
        }
        Served::Failed(failure) => return Err(failure.into()),
    })
}

impl App {
    /// The fast path of a target seen before whose fresh answer is in
    /// memory: two map reads and the stored header values, as a chart hit.
    /// Anything else (a revalidation, an expired answer) takes the route.
    #[inline]
    pub(super) fn origin_hit<B>(&self, req: &Request<B>, head: bool) -> super::Fast {
        let Some(target) = req.uri().path_and_query().map(|t| t.as_str()) else {
            return super::Fast::Unseen;
        };
        if target.len() > self.config.limits.max_url_bytes
            || req.headers().contains_key(IF_NONE_MATCH)
        {
            return super::Fast::Unseen;
        }
        let Some((origin, key)) = self.origins.seen(target) else {
            return super::Fast::Unseen;
        };
        let Some(entry) = self.cache.lookup(&key) else {
            return super::Fast::Unseen;
        };
        // One clock read per hit: freshness and `Age` from the same instant.
        let now = SystemTime::now();
        match entry.answer() {
            Some(answer) if answer.is_fresh(now) => {
                let outcome = OriginOutcome::Cached(CacheStatus::HitMemory);
                origin.answered(outcome, entry.render_time);
                let resp = kept(&entry, outcome, head, self.redis_configured(), now);
                super::Fast::Hit(resp, Route::Origin)
            }
            _ => super::Fast::Unseen,
        }
    }
}

/// Whether a path has a `.` or `..` segment (plain or percent-encoded):
/// appended to the origin's URL it could reach above the configured base.
fn climbs(path: &str) -> bool {
    path.split('/').any(|segment| {
        let dots = segment.to_ascii_lowercase().replace("%2e", ".");
        dots == "." || dots == ".."
    })
}

/// An answer from the tiers (or a shared 5xx), with chartgate's headers,
/// its `Age` as of `now`.
fn kept(
    entry: &Entry,
    outcome: OriginOutcome,
    head: bool,
    redis: bool,
    now: SystemTime,
) -> Response<Body> {
    let answer = entry.answer().expect("origin entries carry their answer");
    let mut resp = Response::new(if head {
        Body::default()
    } else {
        Body::new(entry.body.clone())
    });
    *resp.status_mut() = answer.status;
    let h = resp.headers_mut();
    h.reserve(ORIGIN_HEADERS);
    h.insert(CONTENT_TYPE, answer.content_type.clone());
    h.insert(CONTENT_LENGTH, entry.content_length.clone());
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static(NOSNIFF));
    if answer.content_type.as_bytes().starts_with(b"image/svg") {
        h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(SVG_CSP));
    }
    if outcome != OriginOutcome::Bypass {
        if answer.status == StatusCode::OK {
            h.insert(ETAG, entry.etag.clone());
        }
        // As a shared cache answers (RFC 9111 5.1): the freshness the
        // origin gave, and the age; past max-age the answer is stale.
        h.insert(AGE, age_value(answer.age(now).as_secs()));
        h.insert(CACHE_CONTROL, answer.cache_control.clone());
    }
    mark(h, outcome, redis);
    resp
}

fn mark(h: &mut hyper::HeaderMap, outcome: OriginOutcome, redis: bool) {
    h.insert(
        HeaderName::from_static("x-cache"),
        HeaderValue::from_static(outcome.as_str()),
    );
    h.insert(
        HeaderName::from_static("cache-status"),
        outcome.cache_status(redis),
    );
}

/// `Age` in one allocation (the value's own bytes): `HeaderValue::from(u64)`
/// takes two, and the value changes every second, so it cannot be built once.
fn age_value(secs: u64) -> HeaderValue {
    use std::io::Write;
    let mut digits = [0u8; 20];
    let mut cursor = std::io::Cursor::new(&mut digits[..]);
    let _ = write!(cursor, "{secs}");
    let len = cursor.position() as usize;
    HeaderValue::from_bytes(&digits[..len]).expect("digits are a valid header value")
}
