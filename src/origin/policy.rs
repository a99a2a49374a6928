//! What may be kept of an origin's answer, and for how long: the origin's
//! `Cache-Control` as a shared cache reads it (RFC 9111), then the origin's
//! configuration. Answers that are not kept are relayed as they are.

use crate::config::OriginConfig;
use hyper::header::{HeaderMap, CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE, VARY};
use hyper::StatusCode;
use std::time::Duration;

/// The verdict on one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Kept: fresh for `fresh`, then served stale for `stale` more.
    For { fresh: Duration, stale: Duration },
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
    match directives.max_age.unwrap_or(cfg.ttl_secs) {
        0 => Keep::Not("max-age=0"),
        secs => Keep::For {
            fresh: Duration::from_secs(secs),
            stale: Duration::from_secs(cfg.stale_secs),
        },
    }
}

/// The directives of `Cache-Control` a shared cache acts on.
#[derive(Default)]
struct Directives {
    no_store: bool,
    private: bool,
    no_cache: bool,
    /// `s-maxage`, else `max-age`.
    max_age: Option<u64>,
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

    fn kept(fresh: u64, stale: u64) -> Keep {
        Keep::For {
            fresh: Duration::from_secs(fresh),
            stale: Duration::from_secs(stale),
        }
    }

    #[test]
    fn the_origins_freshness_wins_else_the_configured_ttl() {
        let ok = StatusCode::OK;
        assert_eq!(decide(ok, &answer(&[]), &cfg()), kept(3600, 60));
        let h = answer(&[("cache-control", "public, max-age=120")]);
        assert_eq!(decide(ok, &h, &cfg()), kept(120, 60));
        let h = answer(&[("cache-control", "max-age=120, s-maxage=30")]);
        assert_eq!(decide(ok, &h, &cfg()), kept(30, 60));
        let h = answer(&[("cache-control", "max-age=0")]);
        assert_eq!(decide(ok, &h, &cfg()), Keep::Not("max-age=0"));
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
        assert_eq!(decide(StatusCode::NOT_FOUND, &h, &cfg()), kept(10, 0));
        for s in [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY] {
            assert_eq!(decide(s, &h, &cfg()), Keep::Not("status"));
        }
        assert_eq!(decide(StatusCode::FOUND, &h, &cfg()), Keep::Not("status"));
    }
}
