//! The framing of a rendered chart stored in the shared Redis tier.
//!
//! Redis hands back whatever bytes it holds: a value written by another
//! release, truncated by a proxy, moved to another key by hand, forged by
//! anyone who can write to Redis, or simply garbage must never reach a
//! client as a picture. So every stored chart is wrapped in a frame that
//! says what it is, which chart it belongs to, and proves it is whole:
//!
//! ```text
//! offset  size  field
//!      0     4  magic        b"CGFR"
//!      4     1  version      FRAME_VERSION (3)
//!      5     1  content      1 = image/png, 2 = image/svg+xml,
//!                            3 = an origin's answer (origin mode)
//!      6     1  renderer     0 = native, 1 = Chart.js
//!      7     1  missing      glyphs drawn as boxes, saturating at 255
//!      8     4  render_micros  u32 little-endian: what a hit saves
//!     12     4  body_len     u32 little-endian
//!     16    32  chart_key    the key the frame was written for
//!     48    32  checksum     blake3 of bytes 0..48 followed by the body:
//!                            keyed (a MAC) when `redis.signing_key` is set
//!     80     …  body         exactly body_len bytes
//! ```
//!
//! An origin's answer starts its body with what is kept beside it:
//!
//! ```text
//!      0     2  status       u16 little-endian (200, or a remembered 4xx)
//!      2     8  stored_at    u64 little-endian: Unix milliseconds of the answer
//!     10     8  fresh_ms     u64 little-endian: how long it is fresh
//!     18     8  revalidate_ms  u64 little-endian: how long after that it
//!                            is served stale while one refresh runs
//!     26     2  type_len     u16 little-endian
//!     28     …  content type type_len bytes, then the answer's body
//! ```
//!
//! The checksum covers the header as well as the body, so a flipped bit in
//! the content type, the render time or the key is caught, not only one in
//! the body. A reader names the key and the format it expects: the value of
//! chart Y copied into chart X's slot, or an SVG frame in a PNG chart's
//! slot, is refused even though it is whole. With `redis.signing_key` the
//! checksum is `blake3::keyed_hash` under a key derived from the secret, so
//! only a holder of the secret can write a frame the replicas accept; the
//! check is in constant time. Anything that does not decode is a
//! `FrameError`; the Redis tier treats it as a miss, counts it, and the next
//! render overwrites it.

use crate::cache::entry::{Answer, Content, Entry};
use crate::chart::{ChartKey, Format};
use crate::labels::Drawer;
use bytes::Bytes;
use hyper::header::HeaderValue;
use hyper::StatusCode;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;

/// First four bytes of every frame.
pub const MAGIC: [u8; 4] = *b"CGFR";

/// Bump when the layout above changes; older frames then decode as
/// `FrameError::Version` and are re-rendered. 2: the chart key and the
/// optional MAC. 3: an origin answer's `revalidate_ms`.
pub const FRAME_VERSION: u8 = 3;

/// Bytes before the body.
pub const HEADER_LEN: usize = 80;

/// Bytes of the header covered by the checksum (everything before it).
const FIELDS_LEN: usize = 48;

/// Where the chart key sits in the header.
const KEY_AT: usize = 16;

/// blake3 `derive_key` context of the unkeyed checksum. Distinct from the
/// MAC's, so a frame written without the signing key never verifies as a
/// signed one (nor the reverse). Move both with `FRAME_VERSION`.
const CHECKSUM_CONTEXT: &str = "chartgate redis frame v3 checksum";

/// blake3 `derive_key` context that turns `redis.signing_key` into the MAC key.
const MAC_KEY_CONTEXT: &str = "chartgate redis frame v3 mac key";

/// A decoded, verified chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub format: Format,
    pub drawer: Drawer,
    pub missing_glyphs: u8,
    pub body: Bytes,
    /// How long the render that made it took.
    pub render_time: Duration,
}

impl Frame {
    /// The memory-tier entry for this chart.
    pub fn into_entry(self, key: ChartKey) -> Entry {
        Entry::new(key, self.body, self.format, self.render_time)
            .drawn_by(self.drawer)
            .with_missing_glyphs(u32::from(self.missing_glyphs))
    }
}

/// Why stored bytes are not a usable frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Shorter than a header.
    Truncated,
    /// Not a chartgate frame at all.
    Magic,
    /// A frame layout this build does not read.
    Version(u8),
    /// An unknown content type byte.
    Content(u8),
    /// The body is not as long as the header says.
    Length,
    /// A frame written for another chart: copied from another key's slot.
    Key,
    /// A picture in another format than the chart asks for.
    Format,
    /// The checksum does not match: some byte changed, or it was written
    /// without this replica's signing key (or with another one).
    Checksum,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Truncated => f.write_str("shorter than a frame header"),
            FrameError::Magic => f.write_str("wrong magic number"),
            FrameError::Version(v) => write!(f, "unknown frame version {v}"),
            FrameError::Content(c) => write!(f, "unknown content type {c}"),
            FrameError::Length => f.write_str("body length does not match the header"),
            FrameError::Key => f.write_str("written for another chart key"),
            FrameError::Format => f.write_str("another format than the chart's"),
            FrameError::Checksum => {
                f.write_str("checksum mismatch (changed, or written without this signing key)")
            }
        }
    }
}

impl std::error::Error for FrameError {}

fn content_byte(format: Format) -> u8 {
    match format {
        Format::Png => 1,
        Format::Svg => 2,
    }
}

/// The content byte of an origin's answer.
const ORIGIN_BYTE: u8 = 3;

/// Bytes of an origin answer's fields before its content type.
const ANSWER_FIELDS: usize = 28;

/// The byte after the content byte: which renderer drew the chart. Frames
/// from before there was a second renderer hold 0 there: native.
fn drawer_byte(drawer: Drawer) -> u8 {
    match drawer {
        Drawer::Native => 0,
        Drawer::ChartJs => 1,
    }
}

fn byte_drawer(byte: u8) -> Option<Drawer> {
    match byte {
        0 => Some(Drawer::Native),
        1 => Some(Drawer::ChartJs),
        _ => None,
    }
}

fn content_format(byte: u8) -> Option<Format> {
    match byte {
        1 => Some(Format::Png),
        2 => Some(Format::Svg),
        _ => None,
    }
}

fn unix_millis(t: SystemTime) -> u64 {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// An origin answer's fields, written before its body.
fn answer_prefix(answer: &Answer) -> Vec<u8> {
    let ct = answer.content_type.as_bytes();
    let ct = &ct[..ct.len().min(usize::from(u16::MAX))];
    let mut out = Vec::with_capacity(ANSWER_FIELDS + ct.len());
    out.extend_from_slice(&answer.status.as_u16().to_le_bytes());
    out.extend_from_slice(&unix_millis(answer.stored_at).to_le_bytes());
    for d in [answer.fresh_for, answer.revalidate_for] {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        out.extend_from_slice(&ms.to_le_bytes());
    }
    out.extend_from_slice(&(ct.len() as u16).to_le_bytes());
    out.extend_from_slice(ct);
    out
}

/// Reads `answer_prefix` back: the answer and where its body starts.
fn read_answer(body: &[u8]) -> Option<(Answer, usize)> {
    let fields = body.get(..ANSWER_FIELDS)?;
    let u64_at = |at: usize| u64::from_le_bytes(fields[at..at + 8].try_into().expect("8 bytes"));
    let status = StatusCode::from_u16(u16::from_le_bytes([fields[0], fields[1]])).ok()?;
    let ct_len = usize::from(u16::from_le_bytes([fields[26], fields[27]]));
    let ct = body.get(ANSWER_FIELDS..ANSWER_FIELDS + ct_len)?;
    let answer = Answer::new(
        status,
        HeaderValue::from_bytes(ct).ok()?,
        UNIX_EPOCH + Duration::from_millis(u64_at(2)),
        [u64_at(10), u64_at(18)].map(Duration::from_millis),
    );
    Some((answer, ANSWER_FIELDS + ct_len))
}

/// Writes and checks frames under one replica's `redis.signing_key`. Every
/// replica sharing a Redis needs the same one. Cheap to clone; `Debug` does
/// not show the key.
#[derive(Clone)]
pub struct FrameCodec {
    /// The MAC key derived from the signing key; `None`: unkeyed checksum.
    mac_key: Option<[u8; 32]>,
}

impl fmt::Debug for FrameCodec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameCodec")
            .field("signed", &self.mac_key.is_some())
            .finish()
    }
}

impl FrameCodec {
    /// Frames with an unkeyed checksum (no `redis.signing_key`).
    pub fn unsigned() -> FrameCodec {
        FrameCodec { mac_key: None }
    }

    /// Frames with a MAC under a key derived from `signing_key`.
    pub fn signed(signing_key: &[u8]) -> FrameCodec {
        FrameCodec {
            mac_key: Some(blake3::derive_key(MAC_KEY_CONTEXT, signing_key)),
        }
    }

    /// The codec for `redis.signing_key`.
    pub fn new(signing_key: Option<&crate::config::Secret>) -> FrameCodec {
        signing_key.map_or_else(FrameCodec::unsigned, |k| {
            FrameCodec::signed(k.expose().as_bytes())
        })
    }

    /// blake3 of the header fields followed by the body, given as the
    /// `parts` it is written from: keyed when a signing key is set.
    fn checksum(&self, fields: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut hasher = match &self.mac_key {
            Some(key) => blake3::Hasher::new_keyed(key),
            None => blake3::Hasher::new_derive_key(CHECKSUM_CONTEXT),
        };
        hasher.update(fields);
        for part in parts {
            hasher.update(part);
        }
        *hasher.finalize().as_bytes()
    }

    /// Frames a rendered chart for `key`. `render_micros` saturates at
    /// `u32::MAX` (71 min), far beyond any render deadline.
    ///
    /// # Panics
    /// If the body is 4 GiB or more, which the pixel limits rule out.
    pub fn encode(
        &self,
        key: &ChartKey,
        format: Format,
        body: &[u8],
        render_micros: u32,
    ) -> Vec<u8> {
        let content = [content_byte(format), drawer_byte(Drawer::Native), 0];
        self.frame(key, content, &[body], render_micros)
    }

    /// `content` is the content, renderer and missing-glyph bytes; the body
    /// is the concatenation of `parts`.
    fn frame(
        &self,
        key: &ChartKey,
        content: [u8; 3],
        parts: &[&[u8]],
        render_micros: u32,
    ) -> Vec<u8> {
        let body_len: usize = parts.iter().map(|p| p.len()).sum();
        let len = u32::try_from(body_len).expect("a stored body is under 4 GiB");
        let mut out = Vec::with_capacity(HEADER_LEN + body_len);
        out.extend_from_slice(&MAGIC);
        out.push(FRAME_VERSION);
        out.extend_from_slice(&content);
        out.extend_from_slice(&render_micros.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&key.0);
        let sum = self.checksum(&out[..FIELDS_LEN], parts);
        out.extend_from_slice(&sum);
        parts.iter().for_each(|p| out.extend_from_slice(p));
        out
    }

    /// Frames a memory-tier entry, for its own key.
    pub fn encode_entry(&self, entry: &Entry) -> Vec<u8> {
        let micros = u32::try_from(entry.render_time.as_micros()).unwrap_or(u32::MAX);
        match &entry.content {
            Content::Chart(format) => {
                let content = [
                    content_byte(*format),
                    drawer_byte(entry.drawer),
                    entry.missing_glyphs,
                ];
                self.frame(&entry.key, content, &[&entry.body], micros)
            }
            Content::Origin(answer) => {
                let prefix = answer_prefix(answer);
                let content = [ORIGIN_BYTE, drawer_byte(Drawer::Native), 0];
                self.frame(&entry.key, content, &[&prefix, &entry.body], micros)
            }
        }
    }

    /// Checks and unwraps a frame read from `key`'s slot for a chart in
    /// `format`. The body is a slice of `bytes`, not a copy.
    pub fn decode(
        &self,
        bytes: Bytes,
        key: &ChartKey,
        format: Format,
    ) -> Result<Frame, FrameError> {
        let opened = self.open(&bytes, key)?;
        // `open` refused unknown bytes: what is left is an origin's answer.
        let stored = content_format(opened.content).ok_or(FrameError::Format)?;
        if stored != format {
            return Err(FrameError::Format);
        }
        Ok(Frame {
            format: stored,
            drawer: opened.drawer,
            missing_glyphs: opened.missing,
            body: bytes.slice(HEADER_LEN..),
            render_time: opened.render_time,
        })
    }

    /// Checks and unwraps an origin's answer read from `key`'s slot: the
    /// memory-tier entry for it. Its body is a slice of `bytes`.
    pub(crate) fn decode_origin(&self, bytes: Bytes, key: &ChartKey) -> Result<Entry, FrameError> {
        let opened = self.open(&bytes, key)?;
        if opened.content != ORIGIN_BYTE {
            return Err(FrameError::Format);
        }
        let (answer, body_at) =
            read_answer(&bytes[HEADER_LEN..]).ok_or(FrameError::Content(ORIGIN_BYTE))?;
        let body = bytes.slice(HEADER_LEN + body_at..);
        Ok(Entry::origin(*key, body, answer, opened.render_time))
    }

    /// The checks every frame passes, whatever it holds.
    fn open(&self, bytes: &[u8], key: &ChartKey) -> Result<Opened, FrameError> {
        // Magic and version first, whatever the length: a frame of an older
        // layout (a shorter header) is a version mismatch, not a short read.
        match bytes.get(..5) {
            Some(start) if start[..4] != MAGIC => return Err(FrameError::Magic),
            Some(start) if start[4] != FRAME_VERSION => return Err(FrameError::Version(start[4])),
            Some(_) if bytes.len() >= HEADER_LEN => {}
            _ => return Err(FrameError::Truncated),
        }
        let content = bytes[5];
        if content_format(content).is_none() && content != ORIGIN_BYTE {
            return Err(FrameError::Content(content));
        }
        let drawer = byte_drawer(bytes[6]).ok_or(FrameError::Content(bytes[6]))?;
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let render_micros = u32_at(8);
        let len = u32_at(12) as usize;
        if bytes.len() - HEADER_LEN != len {
            return Err(FrameError::Length);
        }
        // Which chart and which format are public facts (the key is in the
        // Redis key name): no need to compare them in constant time.
        if bytes[KEY_AT..KEY_AT + 32] != key.0 {
            return Err(FrameError::Key);
        }
        let sum = self.checksum(&bytes[..FIELDS_LEN], &[&bytes[HEADER_LEN..]]);
        // Constant time, so the time a refusal takes tells a forger nothing
        // about how many bytes of a guessed MAC were right.
        if !bool::from(sum.ct_eq(&bytes[FIELDS_LEN..HEADER_LEN])) {
            return Err(FrameError::Checksum);
        }
        Ok(Opened {
            content,
            drawer,
            missing: bytes[7],
            render_time: Duration::from_micros(u64::from(render_micros)),
        })
    }
}

/// The header fields of a frame that passed `open`.
struct Opened {
    content: u8,
    drawer: Drawer,
    missing: u8,
    render_time: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: ChartKey = ChartKey([7; 32]);
    const SECRET: &[u8] = b"replicas share this secret";

    fn sample() -> Vec<u8> {
        FrameCodec::unsigned().encode(&KEY, Format::Svg, b"<svg>chart</svg>", 1234)
    }

    fn decode(bytes: Vec<u8>) -> Result<Frame, FrameError> {
        FrameCodec::unsigned().decode(Bytes::from(bytes), &KEY, Format::Svg)
    }

    #[test]
    fn an_origin_answer_round_trips_and_is_never_a_chart() {
        let codec = FrameCodec::signed(SECRET);
        let answer = Answer::new(
            StatusCode::NOT_FOUND,
            HeaderValue::from_static("application/json"),
            UNIX_EPOCH + Duration::from_millis(1_700_000_000_123),
            [Duration::from_secs(10), Duration::from_millis(2_500)],
        );
        let entry = Entry::origin(
            KEY,
            Bytes::from_static(b"{}"),
            answer.clone(),
            Duration::ZERO,
        );
        let bytes = Bytes::from(codec.encode_entry(&entry));
        let back = codec.decode_origin(bytes.clone(), &KEY).unwrap();
        assert_eq!((back.answer(), &back.body[..]), (Some(&answer), &b"{}"[..]));
        assert_eq!(
            codec.decode(bytes.clone(), &KEY, Format::Png),
            Err(FrameError::Format)
        );
        let chart = Bytes::from(codec.encode(&KEY, Format::Png, b"\x89PNG", 1));
        assert!(codec.decode_origin(chart, &KEY).is_err());
        let mut flipped = bytes.to_vec();
        flipped[HEADER_LEN + 3] ^= 1;
        let flipped = codec.decode_origin(Bytes::from(flipped), &KEY);
        assert_eq!(flipped.err(), Some(FrameError::Checksum));
    }

    #[test]
    fn a_frame_keeps_which_renderer_drew_it() {
        let codec = FrameCodec::unsigned();
        let entry = Entry::new(
            KEY,
            Bytes::from_static(b"\x89PNG"),
            Format::Png,
            Duration::ZERO,
        )
        .drawn_by(Drawer::ChartJs);
        let bytes = Bytes::from(codec.encode_entry(&entry));
        let frame = codec.decode(bytes, &KEY, Format::Png).unwrap();
        assert_eq!(frame.drawer, Drawer::ChartJs);
        // Frames written before there were two renderers read as native.
        let old = Bytes::from(codec.encode(&KEY, Format::Png, b"\x89PNG", 1));
        assert_eq!(
            codec.decode(old, &KEY, Format::Png).unwrap().drawer,
            Drawer::Native
        );
    }

    #[test]
    fn round_trips() {
        for codec in [FrameCodec::unsigned(), FrameCodec::signed(SECRET)] {
            for (format, body) in [(Format::Png, &b"\x89PNG body"[..]), (Format::Svg, b"")] {
                let bytes = Bytes::from(codec.encode(&KEY, format, body, 42));
                let frame = codec.decode(bytes, &KEY, format).unwrap();
                assert_eq!(frame.format, format);
                assert_eq!(&frame.body[..], body);
                assert_eq!(frame.render_time, Duration::from_micros(42));
            }
        }
    }

    #[test]
    fn entry_round_trips() {
        let codec = FrameCodec::signed(SECRET);
        let entry = Entry::new(
            ChartKey([1; 32]),
            Bytes::from_static(b"png"),
            Format::Png,
            Duration::from_millis(7),
        );
        let bytes = Bytes::from(codec.encode_entry(&entry));
        let frame = codec.decode(bytes, &entry.key, Format::Png).unwrap();
        let back = frame.into_entry(entry.key);
        assert_eq!(back.body, entry.body);
        assert_eq!(back.render_time, entry.render_time);
        assert_eq!(back.etag, entry.etag);
    }

    #[test]
    fn every_single_byte_corruption_is_detected() {
        let good = sample();
        assert!(decode(good.clone()).is_ok());
        for i in 0..good.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                assert!(
                    decode(bad).is_err(),
                    "flip {flip:#x} at byte {i} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn every_truncation_and_extension_is_detected() {
        let good = sample();
        for len in 0..good.len() {
            assert!(decode(good[..len].to_vec()).is_err(), "cut at {len}");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(decode(longer), Err(FrameError::Length));
    }

    #[test]
    fn names_what_is_wrong() {
        let mut bad = sample();
        bad[0] = b'X';
        assert_eq!(decode(bad), Err(FrameError::Magic));
        let mut bad = sample();
        bad[4] = FRAME_VERSION + 1;
        assert_eq!(decode(bad), Err(FrameError::Version(FRAME_VERSION + 1)));
        let mut bad = sample();
        bad[5] = 9;
        assert_eq!(decode(bad), Err(FrameError::Content(9)));
        let mut bad = sample();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(decode(bad), Err(FrameError::Checksum));
        assert_eq!(decode(b"garbage".to_vec()), Err(FrameError::Magic));
        assert_eq!(decode(sample()[..60].to_vec()), Err(FrameError::Truncated));
    }

    #[test]
    fn a_version_1_frame_is_a_version_mismatch() {
        // The layout before keys were bound: 48-byte header, unkeyed blake3.
        let body = b"\x89PNG old";
        let mut old = Vec::new();
        old.extend_from_slice(&MAGIC);
        old.extend_from_slice(&[1, 1, 0, 0]);
        old.extend_from_slice(&5u32.to_le_bytes());
        old.extend_from_slice(&(body.len() as u32).to_le_bytes());
        let sum = blake3::hash(&[&old[..], body].concat());
        old.extend_from_slice(sum.as_bytes());
        old.extend_from_slice(body);
        let got = FrameCodec::unsigned().decode(Bytes::from(old), &KEY, Format::Png);
        assert_eq!(got, Err(FrameError::Version(1)));
    }

    #[test]
    fn a_frame_for_another_key_is_refused() {
        for codec in [FrameCodec::unsigned(), FrameCodec::signed(SECRET)] {
            let other = ChartKey([8; 32]);
            let bytes = Bytes::from(codec.encode(&other, Format::Png, b"Y's picture", 9));
            assert_eq!(
                codec.decode(bytes.clone(), &KEY, Format::Png),
                Err(FrameError::Key)
            );
            assert!(codec.decode(bytes, &other, Format::Png).is_ok());
        }
    }

    #[test]
    fn a_frame_in_another_format_is_refused() {
        for codec in [FrameCodec::unsigned(), FrameCodec::signed(SECRET)] {
            let svg = Bytes::from(codec.encode(&KEY, Format::Svg, b"<svg/>", 9));
            assert_eq!(
                codec.decode(svg.clone(), &KEY, Format::Png),
                Err(FrameError::Format)
            );
            assert!(codec.decode(svg, &KEY, Format::Svg).is_ok());
        }
    }

    #[test]
    fn rewriting_the_key_field_breaks_the_checksum() {
        // Y's frame with X's key written over its key field: whole-looking,
        // right key, but the checksum covered Y's key.
        for codec in [FrameCodec::unsigned(), FrameCodec::signed(SECRET)] {
            let mut moved = codec.encode(&ChartKey([8; 32]), Format::Png, b"Y", 9);
            moved[KEY_AT..KEY_AT + 32].copy_from_slice(&KEY.0);
            let got = codec.decode(Bytes::from(moved), &KEY, Format::Png);
            assert_eq!(got, Err(FrameError::Checksum));
        }
    }

    #[test]
    fn with_a_signing_key_a_frame_forged_without_it_is_refused() {
        let signed = FrameCodec::signed(SECRET);
        // Anyone can compute the unkeyed checksum of a frame of their own.
        let forged = FrameCodec::unsigned().encode(&KEY, Format::Svg, b"<svg><script/></svg>", 1);
        let got = signed.decode(Bytes::from(forged), &KEY, Format::Svg);
        assert_eq!(got, Err(FrameError::Checksum));
    }

    #[test]
    fn the_right_signing_key_is_accepted_and_another_refused() {
        let writer = FrameCodec::signed(SECRET);
        let bytes = Bytes::from(writer.encode(&KEY, Format::Png, b"\x89PNG", 3));
        let same = FrameCodec::signed(SECRET);
        assert_eq!(
            &same.decode(bytes.clone(), &KEY, Format::Png).unwrap().body[..],
            b"\x89PNG"
        );
        let other = FrameCodec::signed(b"another replica's secret");
        assert_eq!(
            other.decode(bytes.clone(), &KEY, Format::Png),
            Err(FrameError::Checksum)
        );
        // A replica without the key refuses signed frames too: a mixed
        // deployment re-renders rather than trusting either side.
        assert_eq!(
            FrameCodec::unsigned().decode(bytes, &KEY, Format::Png),
            Err(FrameError::Checksum)
        );
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let shown = format!("{:?}", FrameCodec::signed(SECRET));
        assert_eq!(shown, "FrameCodec { signed: true }");
    }
}
