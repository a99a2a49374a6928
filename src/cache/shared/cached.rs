//! A chart read back from the shared tier: the checked frame and how long
//! Redis keeps it still. Used by the tier's reads and by a lease waiter's
//! poll, so it sits below both.

use super::frame::{Frame, FrameCodec, FrameError};
use super::link::Link;
use crate::chart::{ChartKey, Format};
use bytes::Bytes;
use std::time::Duration;

/// A chart read from Redis.
#[derive(Clone, Debug)]
pub struct Cached {
    pub frame: Frame,
    /// How long Redis keeps it still (at most the cache TTL): the memory copy
    /// must not live longer, or a purge-free expiry would differ by replica.
    pub ttl_left: Duration,
}

/// A value read from a picture's slot, with its `PTTL`.
pub(crate) struct Stored {
    pub(crate) bytes: Vec<u8>,
    pub(crate) pttl: i64,
}

/// Checks a stored picture against the key and format it must be; a bad
/// one is counted and logged.
pub(crate) fn decode_cached(
    link: &Link,
    codec: &FrameCodec,
    key: &ChartKey,
    format: Format,
    stored: Stored,
    chart_ttl: Duration,
) -> Result<Cached, FrameError> {
    match codec.decode(Bytes::from(stored.bytes), key, format) {
        Ok(frame) => Ok(Cached {
            frame,
            ttl_left: ttl_left(stored.pttl, chart_ttl),
        }),
        Err(e) => {
            corrupt(link, key, &e);
            Err(e)
        }
    }
}

/// Counts and logs a value of `key`'s slot that failed its frame check (a
/// chart's or an origin's answer): the tier treats it as a miss.
pub(crate) fn corrupt(link: &Link, key: &ChartKey, error: &FrameError) {
    link.metrics().redis_corrupt_value();
    tracing::warn!(key = %key, error = %error, "corrupt value in redis; treated as a miss");
}

/// `PTTL` as a duration, never beyond this process's cache TTL. `-1` (no
/// expiry, written by hand) counts as the full TTL; `-2` (expired between
/// the GET and the PTTL) as nothing left.
fn ttl_left(pttl: i64, chart_ttl: Duration) -> Duration {
    match u64::try_from(pttl) {
        Ok(ms) => Duration::from_millis(ms).min(chart_ttl),
        Err(_) if pttl == -1 => chart_ttl,
        Err(_) => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_left_never_exceeds_the_cache_ttl() {
        let ttl = Duration::from_secs(60);
        assert_eq!(ttl_left(5_000, ttl), Duration::from_secs(5));
        assert_eq!(ttl_left(120_000, ttl), ttl);
        assert_eq!(ttl_left(-1, ttl), ttl);
        assert_eq!(ttl_left(-2, ttl), Duration::ZERO);
    }
}
