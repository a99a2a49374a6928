//! What both tiers hold and every byte-bounded map shares: `Entry`, one
//! rendered chart with the header values a hit needs; `weight`, how a value
//! counts against a byte bound; `KeyHasher`, the hasher for blake3 keys.
//! The local tier keeps entries in memory and the shared tier frames them
//! for Redis, so this sits below both.

use crate::chart::{ChartKey, Format};
use crate::labels::Drawer;
use bytes::Bytes;
use hyper::header::HeaderValue;
use hyper::StatusCode;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

/// Bytes counted per entry beside its body and key: moka's node, the `Arc`,
/// the header value and map slots. Measured order of magnitude, kept
/// conservative so the bound holds for many tiny charts.
const ENTRY_OVERHEAD: u32 = 256;

/// What an entry's body is.
#[derive(Debug)]
pub(crate) enum Content {
    /// A chart this gateway drew.
    Chart(Format),
    /// An answer of a fronted origin (origin mode).
    Origin(Box<Answer>),
}

/// What is kept of an origin's answer beside its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    /// 200, or a 4xx remembered for `error_ttl_secs`.
    pub(crate) status: StatusCode,
    pub(crate) content_type: HeaderValue,
    /// When the origin answered: `Age` counts from it, on every replica.
    pub(crate) stored_at: SystemTime,
    /// How long after `stored_at` it is fresh; then stale until the
    /// entry's `ttl` ends.
    pub(crate) fresh_for: Duration,
    /// How long after freshness a request is answered stale at once while
    /// one refresh runs (`stale-while-revalidate`); after it, until `ttl`
    /// ends, a request waits for the call and is answered stale only when
    /// the call fails (`stale-if-error`).
    pub(crate) revalidate_for: Duration,
    /// `public, max-age=<fresh_for>`, built once: with `Age`, what a
    /// browser or CDN behind chartgate needs to age the answer itself.
    pub(crate) cache_control: HeaderValue,
}

impl Answer {
    pub(crate) fn new(
        status: StatusCode,
        content_type: HeaderValue,
        stored_at: SystemTime,
        [fresh_for, revalidate_for]: [Duration; 2],
    ) -> Answer {
        let cc = format!("public, max-age={}", fresh_for.as_secs());
        Answer {
            status,
            content_type,
            stored_at,
            fresh_for,
            revalidate_for,
            cache_control: HeaderValue::from_str(&cc).expect("digits are a valid header value"),
        }
    }

    /// Seconds since the origin answered (`Age`).
    pub(crate) fn age(&self, now: SystemTime) -> Duration {
        now.duration_since(self.stored_at).unwrap_or_default()
    }

    pub(crate) fn is_fresh(&self, now: SystemTime) -> bool {
        self.age(now) < self.fresh_for
    }

    /// Expired, but still to be served at once while one refresh runs.
    pub(crate) fn may_revalidate(&self, now: SystemTime) -> bool {
        self.age(now) < self.fresh_for.saturating_add(self.revalidate_for)
    }
}

/// One rendered chart, with the header values the hit path needs already built.
#[derive(Debug)]
pub struct Entry {
    pub(crate) key: ChartKey,
    pub(crate) body: Bytes,
    pub(crate) content: Content,
    /// `"<key hex>"`, ready to be sent as the ETag.
    pub(crate) etag: HeaderValue,
    /// The body's length, ready to be sent as `Content-Length`.
    pub(crate) content_length: HeaderValue,
    /// How long the render that made it took; what every hit saves.
    pub(crate) render_time: Duration,
    /// How long memory may keep it: `None` for the cache TTL; a copy read
    /// from Redis keeps only what Redis has left, so no replica serves a
    /// chart longer than the shared tier does.
    pub(crate) ttl: Option<Duration>,
    /// Which renderer drew it: the `X-Chartgate-Renderer` of every hit.
    pub(crate) drawer: Drawer,
    /// Characters drawn as boxes (no loaded font has them), saturating at
    /// 255: `X-Chartgate-Missing-Glyphs` when above 0.
    pub(crate) missing_glyphs: u8,
}

impl Entry {
    pub(crate) fn new(key: ChartKey, body: Bytes, format: Format, render_time: Duration) -> Entry {
        let etag = HeaderValue::from_str(&format!("\"{}\"", key.to_hex()))
            .expect("hex is a valid header value");
        Entry {
            key,
            content_length: HeaderValue::from(body.len()),
            body,
            content: Content::Chart(format),
            etag,
            render_time,
            ttl: None,
            drawer: Drawer::Native,
            missing_glyphs: 0,
        }
    }

    /// An origin's answer, kept `ttl` in all (fresh, then stale). `took`
    /// is how long the origin call took: what every hit saves.
    pub(crate) fn origin(key: ChartKey, body: Bytes, answer: Answer, took: Duration) -> Entry {
        let mut entry = Entry::new(key, body, Format::Png, took);
        entry.content = Content::Origin(Box::new(answer));
        entry
    }

    /// The chart's format; `None` for an origin's answer.
    pub(crate) fn format(&self) -> Option<Format> {
        match self.content {
            Content::Chart(format) => Some(format),
            Content::Origin(_) => None,
        }
    }

    /// The origin's answer; `None` for a chart.
    pub(crate) fn answer(&self) -> Option<&Answer> {
        match &self.content {
            Content::Chart(_) => None,
            Content::Origin(answer) => Some(answer),
        }
    }

    /// The same entry, with `n` characters drawn as boxes.
    pub(crate) fn with_missing_glyphs(mut self, n: u32) -> Entry {
        self.missing_glyphs = u8::try_from(n).unwrap_or(u8::MAX);
        self
    }

    /// The same entry, drawn by `drawer`.
    pub(crate) fn drawn_by(mut self, drawer: Drawer) -> Entry {
        self.drawer = drawer;
        self
    }

    /// The same entry, kept in memory at most `ttl`.
    pub(crate) fn with_ttl(mut self, ttl: Duration) -> Entry {
        self.ttl = Some(ttl);
        self
    }

    /// Weight in the byte-bounded cache.
    pub(crate) fn weight(&self) -> u32 {
        weight(self.body.len(), 32 + ENTRY_OVERHEAD)
    }
}

/// The weight of a cached value for a byte-bounded moka store: its bytes
/// plus a fixed `overhead` for the entry's bookkeeping, saturating at
/// `u32::MAX` (moka's weight type).
pub(crate) fn weight(bytes: usize, overhead: u32) -> u32 {
    u32::try_from(bytes)
        .unwrap_or(u32::MAX)
        .saturating_add(overhead)
}

/// Chart keys are blake3 output, already uniform: hashing them again (moka's
/// default is SipHash) would only cost time on the hit path.
#[derive(Clone, Default)]
pub(crate) struct KeyHasher;

impl BuildHasher for KeyHasher {
    type Hasher = KeyHash;
    fn build_hasher(&self) -> KeyHash {
        KeyHash(0)
    }
}

pub(crate) struct KeyHash(u64);

impl Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // `[u8; 32]` hashes as a length prefix then the bytes: keep the bytes.
        if let Some(first) = bytes.get(..8) {
            self.0 ^= u64::from_le_bytes(first.try_into().expect("8 bytes"));
        }
    }

    fn write_usize(&mut self, _len: usize) {}
}
