//! Admin-token checks that leak nothing through timing.
//!
//! `/cache`, `/stats` and `/dashboard` compare what the client sent against
//! `admin.token`. A plain `==` returns at the first differing byte, so the
//! time it takes tells an attacker how many leading bytes were right and lets
//! them guess the token byte by byte. `constant_time_eq` looks at every byte
//! whatever it finds; `bearer_matches` reads the `Authorization` header with
//! it. Neither ever logs or echoes the token or the header.

use hyper::header::{HeaderMap, AUTHORIZATION};
use subtle::ConstantTimeEq;

/// Whether `a` and `b` are equal, in time that depends only on their lengths.
///
/// The length of the configured token is not a secret worth hiding (it is at
/// least 8 characters and the same for every request), so unequal lengths
/// answer at once (as `subtle` does); equal lengths are compared by the
/// `subtle` crate, the standard constant-time compare, rather than by a
/// hand-made loop the optimizer might turn back into an early exit.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Whether `headers` carry `Authorization: Bearer <token>` for this token.
/// The scheme is case-insensitive (RFC 9110 11.1); the token is compared in
/// constant time. With no token configured nothing matches.
pub(crate) fn bearer_matches(headers: &HeaderMap, token: Option<&str>) -> bool {
    let Some(token) = token else {
        return false;
    };
    let Some(value) = headers.get(AUTHORIZATION) else {
        return false;
    };
    let value = value.as_bytes();
    let Some((scheme, credentials)) = value.split_at_checked(7) else {
        return false;
    };
    scheme.eq_ignore_ascii_case(b"bearer ") && constant_time_eq(credentials, token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn equal_and_unequal_inputs() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"s3cret-token", b"s3cret-token"));
        assert!(!constant_time_eq(b"s3cret-token", b"s3cret-tokeN"));
        assert!(!constant_time_eq(b"s3cret-token", b"X3cret-token"));
        assert!(!constant_time_eq(b"s3cret-token", b"s3cret-toke"));
        assert!(!constant_time_eq(b"s3cret", b""));
        // Every single-bit difference anywhere is caught.
        let token = b"0123456789abcdef";
        for i in 0..token.len() {
            for bit in 0..8 {
                let mut other = *token;
                other[i] ^= 1 << bit;
                assert!(!constant_time_eq(token, &other), "byte {i} bit {bit}");
            }
        }
    }

    fn headers(auth: &[u8]) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_bytes(auth).unwrap());
        h
    }

    #[test]
    fn bearer_header_forms() {
        let token = Some("s3cret-token");
        assert!(bearer_matches(&headers(b"Bearer s3cret-token"), token));
        assert!(bearer_matches(&headers(b"bearer s3cret-token"), token));
        assert!(bearer_matches(&headers(b"BEARER s3cret-token"), token));
        assert!(!bearer_matches(&headers(b"Bearer s3cret-toke"), token));
        assert!(!bearer_matches(&headers(b"Bearer  s3cret-token"), token));
        assert!(!bearer_matches(&headers(b"Basic s3cret-token"), token));
        assert!(!bearer_matches(&headers(b"s3cret-token"), token));
        assert!(!bearer_matches(&headers(b"Bearer"), token));
        assert!(!bearer_matches(&HeaderMap::new(), token));
        // No token configured: admin routes are off, nothing authenticates.
        assert!(!bearer_matches(&headers(b"Bearer "), None));
        assert!(!bearer_matches(&headers(b"Bearer s3cret-token"), None));
    }
}
