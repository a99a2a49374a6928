//! What may be kept of an origin's answer, and for how long: the origin's
//! `Cache-Control` and `Expires` as a shared cache reads them (RFC 9111,
//! with RFC 5861's `stale-while-revalidate` and `stale-if-error`), then
//! the origin's configuration where the origin says nothing. Answers that
//! are not kept are relayed as they are.
//!
//! `Vary` needs no variants here: the only request headers an origin ever
//! sees are its `key_headers`, which are in the key. Whatever else an
//! answer varies on reached the origin as nothing, the same for every
//! client, so one kept answer serves them all. (`Vary: *` is kept from no
//! one: it says the answer depends on more than headers.)

use crate::config::OriginConfig;
use hyper::header::{HeaderMap, CACHE_CONTROL, CONTENT_TYPE, DATE, EXPIRES, SET_COOKIE, VARY};
use hyper::StatusCode;
use std::time::{Duration, SystemTime};

/// The verdict on one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Kept: fresh for `fresh`; then, for `revalidate` more, served stale
    /// at once while one refresh runs; for `stale` more, served stale when
    /// the call that should replace it fails.
    For {
        fresh: Duration,
        revalidate: Duration,
        stale: Duration,
    },
    /// Relayed unstored, for this reason (logged, and on `X-Cache: bypass`).
    Not(&'static str),
}

pub(crate) fn decide(status: StatusCode, headers: &HeaderMap, cfg: &OriginConfig) -> Keep {
    let directives = Directives::of(headers);
    if directives.no_store {
        return Keep::Not("no-store");
    }
    if directives.private {
        return Keep::Not("private");
    }
    if directives.no_cache {
        return Keep::Not("no-cache");
    }
    if headers.contains_key(SET_COOKIE) {
        return Keep::Not("set-cookie");
    }
    if headers.get_all(VARY).iter().any(|v| v.as_bytes() == b"*") {
        return Keep::Not("vary");
    }
    if status.is_client_error() {
        return match cfg.error_ttl_secs {
            0 => Keep::Not("error"),
            secs => Keep::For {
                fresh: Duration::from_secs(secs),
                revalidate: Duration::ZERO,
                stale: Duration::ZERO,
            },
        };
    }
    if status != StatusCode::OK {
        return Keep::Not("status");
    }
    let stored_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| cfg.content_types.iter().any(|t| ct.starts_with(t.as_str())));
    if !stored_type {
        return Keep::Not("content-type");
    }
    let fresh = match (directives.max_age, expires(headers)) {
        (Some(secs), _) => secs,
        (None, Some(0)) => return Keep::Not("expires"),
        (None, Some(secs)) => secs,
        (None, None) => cfg.ttl_secs,
    };
    if fresh == 0 {
        return Keep::Not("max-age=0");
    }
    // The origin's own stale windows, each where it gives one, as its
    // max-age stands for `ttl_secs`.
    let secs = |given: Option<u64>| Duration::from_secs(given.unwrap_or(cfg.stale_secs));
    Keep::For {
        fresh: Duration::from_secs(fresh),
        revalidate: secs(directives.stale_while_revalidate),
        stale: secs(directives.stale_if_error),
    }
}

/// Seconds from the answer's `Date` (else now) to its `Expires`, RFC 9111
/// 4.2.1's lifetime where there is no max-age: 0 for a date past or one
/// that does not parse (`Expires: 0` is common, and means expired).
fn expires(headers: &HeaderMap) -> Option<u64> {
    let value = headers.get(EXPIRES)?;
    let date = |v: &hyper::header::HeaderValue| httpdate::parse_http_date(v.to_str().ok()?).ok();
    let Some(expires) = date(value) else {
        return Some(0);
    };
    let now = headers
        .get(DATE)
        .and_then(date)
        .unwrap_or_else(SystemTime::now);
    Some(expires.duration_since(now).map_or(0, |d| d.as_secs()))
}

/// The directives of `Cache-Control` a shared cache acts on.
#[derive(Default)]
struct Directives {
    no_store: bool,
    private: bool,
    no_cache: bool,
    /// `s-maxage`, else `max-age`.
    max_age: Option<u64>,
    /// RFC 5861's windows after freshness, in seconds.
    stale_while_revalidate: Option<u64>,
    stale_if_error: Option<u64>,
}

impl Directives {
    fn of(headers: &HeaderMap) -> Directives {
        let mut d = Directives::default();
        let (mut max_age, mut s_maxage) = (None, None);
        let values = headers.get_all(CACHE_CONTROL).iter();
        for directive in values
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
        {
            let (name, arg) = match directive.split_once('=') {
                Some((n, a)) => (n.trim(), Some(a.trim().trim_matches('"'))),
                None => (directive.trim(), None),
            };
            let secs = || arg.and_then(|a| a.parse::<u64>().ok());
            match name.to_ascii_lowercase().as_str() {
                "no-store" => d.no_store = true,
                "private" => d.private = true,
                "no-cache" => d.no_cache = true,
                "max-age" => max_age = secs().or(Some(0)),
                "s-maxage" => s_maxage = secs().or(Some(0)),
                "stale-while-revalidate" => d.stale_while_revalidate = secs(),
                "stale-if-error" => d.stale_if_error = secs(),
                _ => {}
            }
        }
        d.max_age = s_maxage.or(max_age);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn cfg() -> OriginConfig {
        OriginConfig {
            ttl_secs: 3600,
            stale_secs: 60,
            error_ttl_secs: 10,
            ..OriginConfig::default()
        }
    }

    fn answer(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_static(value));
        }
        h
    }

    /// Kept fresh for `fresh`, then stale while revalidating for
    /// `revalidate`, and on error for `stale`.
    fn kept(fresh: u64, revalidate: u64, stale: u64) -> Keep {
        let s = Duration::from_secs;
        Keep::For {
            fresh: s(fresh),
            revalidate: s(revalidate),
            stale: s(stale),
        }
    }

    #[test]
    fn the_origins_freshness_wins_else_the_configured_ttl() {
        let ok = StatusCode::OK;
        assert_eq!(decide(ok, &answer(&[]), &cfg()), kept(3600, 60, 60));
        let h = answer(&[("cache-control", "public, max-age=120")]);
        assert_eq!(decide(ok, &h, &cfg()), kept(120, 60, 60));
        let h = answer(&[("cache-control", "max-age=120, s-maxage=30")]);
        assert_eq!(decide(ok, &h, &cfg()), kept(30, 60, 60));
        let h = answer(&[("cache-control", "max-age=0")]);
        assert_eq!(decide(ok, &h, &cfg()), Keep::Not("max-age=0"));
    }

    #[test]
    fn expires_counts_from_the_answers_date_when_there_is_no_max_age() {
        let ok = StatusCode::OK;
        let date = "Mon, 07 Dec 2026 10:00:00 GMT";
        let h = answer(&[("date", date), ("expires", "Mon, 07 Dec 2026 10:05:00 GMT")]);
        assert_eq!(decide(ok, &h, &cfg()), kept(300, 60, 60));
        // max-age wins over Expires (RFC 9111 5.3).
        let h = answer(&[
            ("date", date),
            ("expires", "Mon, 07 Dec 2026 10:05:00 GMT"),
            ("cache-control", "max-age=20"),
        ]);
        assert_eq!(decide(ok, &h, &cfg()), kept(20, 60, 60));
        // A date past, or one that is not a date, is expired already.
        for past in ["Mon, 07 Dec 2026 09:00:00 GMT", "0", "-1"] {
            let h = answer(&[("date", date), ("expires", past)]);
            assert_eq!(decide(ok, &h, &cfg()), Keep::Not("expires"), "{past}");
        }
        // Without a Date, from now: a day ahead is about a day.
        let tomorrow = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(86_400));
        let mut h = answer(&[]);
        h.insert(EXPIRES, HeaderValue::from_str(&tomorrow).unwrap());
        match decide(ok, &h, &cfg()) {
            Keep::For { fresh, .. } => assert!(fresh.as_secs().abs_diff(86_400) <= 2, "{fresh:?}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_origins_stale_windows_stand_for_stale_secs() {
        let ok = StatusCode::OK;
        let h = answer(&[(
            "cache-control",
            "max-age=60, stale-while-revalidate=30, stale-if-error=86400",
        )]);
        assert_eq!(decide(ok, &h, &cfg()), kept(60, 30, 86_400));
        let h = answer(&[("cache-control", "max-age=60, stale-while-revalidate=0")]);
        assert_eq!(decide(ok, &h, &cfg()), kept(60, 0, 60));
        let h = answer(&[("cache-control", "max-age=60, stale-if-error=5")]);
        assert_eq!(decide(ok, &h, &cfg()), kept(60, 60, 5));
    }

    #[test]
    fn vary_on_headers_the_origin_never_sees_is_kept() {
        // Only `key_headers` reach the origin, and they are in the key.
        let h = answer(&[("vary", "Accept-Encoding, Accept-Language")]);
        assert_eq!(decide(StatusCode::OK, &h, &cfg()), kept(3600, 60, 60));
    }

    #[test]
    fn private_answers_are_never_kept() {
        let ok = StatusCode::OK;
        for (h, why) in [
            (answer(&[("cache-control", "no-store")]), "no-store"),
            (
                answer(&[("cache-control", "Private, max-age=60")]),
                "private",
            ),
            (answer(&[("cache-control", "no-cache")]), "no-cache"),
            (answer(&[("set-cookie", "session=1")]), "set-cookie"),
            (answer(&[("vary", "*")]), "vary"),
        ] {
            assert_eq!(decide(ok, &h, &cfg()), Keep::Not(why));
        }
        let mut html = answer(&[]);
        html.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        assert_eq!(decide(ok, &html, &cfg()), Keep::Not("content-type"));
    }

    #[test]
    fn client_errors_briefly_server_errors_never() {
        let h = answer(&[]);
        assert_eq!(decide(StatusCode::NOT_FOUND, &h, &cfg()), kept(10, 0, 0));
        for s in [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY] {
            assert_eq!(decide(s, &h, &cfg()), Keep::Not("status"));
        }
        assert_eq!(decide(StatusCode::FOUND, &h, &cfg()), Keep::Not("status"));
    }
}
