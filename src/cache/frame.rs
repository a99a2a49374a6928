//! The framing of a rendered chart stored in the shared Redis tier.
//!
//! Redis hands back whatever bytes it holds: a value written by another
//! release, truncated by a proxy, or simply garbage must never reach a
//! client as a picture. So every stored chart is wrapped in a frame that
//! says what it is and proves it is whole:
//!
//! ```text
//! offset  size  field
//!      0     4  magic        b"CGFR"
//!      4     1  version      FRAME_VERSION
//!      5     1  content      1 = image/png, 2 = image/svg+xml
//!      6     2  reserved     zero
//!      8     4  render_micros  u32 little-endian: what a hit saves
//!     12     4  body_len     u32 little-endian
//!     16    32  checksum     blake3 of bytes 0..16 followed by the body
//!     48     …  body         exactly body_len bytes
//! ```
//!
//! The checksum covers the header as well as the body, so a flipped bit in
//! the content type or the render time is caught, not only one in the body.
//! Anything that does not decode is a `FrameError`; the Redis tier treats it
//! as a miss, counts it, and the next render overwrites it.

use super::memory::Entry;
use crate::chart::{ChartKey, Format};
use bytes::Bytes;
use std::fmt;
use std::time::Duration;

/// First four bytes of every frame.
pub const MAGIC: [u8; 4] = *b"CGFR";

/// Bump when the layout above changes; older frames then decode as
/// `FrameError::Version` and are re-rendered.
pub const FRAME_VERSION: u8 = 1;

/// Bytes before the body.
pub const HEADER_LEN: usize = 48;

/// Bytes of the header covered by the checksum (everything before it).
const FIELDS_LEN: usize = 16;

/// A decoded, verified chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub format: Format,
    pub body: Bytes,
    /// How long the render that made it took.
    pub render_time: Duration,
}

impl Frame {
    /// The memory-tier entry for this chart.
    pub fn into_entry(self, key: ChartKey) -> Entry {
        Entry::new(key, self.body, self.format, self.render_time)
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
    /// The checksum does not match: some byte changed.
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
            FrameError::Checksum => f.write_str("checksum mismatch"),
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

fn content_format(byte: u8) -> Option<Format> {
    match byte {
        1 => Some(Format::Png),
        2 => Some(Format::Svg),
        _ => None,
    }
}

fn checksum(fields: &[u8], body: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(fields);
    hasher.update(body);
    hasher.finalize()
}

/// Frames a rendered chart. `render_micros` saturates at `u32::MAX` (71 min),
/// far beyond any render deadline.
///
/// # Panics
/// If the body is 4 GiB or more, which the pixel limits rule out.
pub fn encode(format: Format, body: &[u8], render_micros: u32) -> Vec<u8> {
    let len = u32::try_from(body.len()).expect("a chart body is under 4 GiB");
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&MAGIC);
    out.push(FRAME_VERSION);
    out.push(content_byte(format));
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&render_micros.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    let sum = checksum(&out[..FIELDS_LEN], body);
    out.extend_from_slice(sum.as_bytes());
    out.extend_from_slice(body);
    out
}

/// Frames a memory-tier entry.
pub fn encode_entry(entry: &Entry) -> Vec<u8> {
    let micros = u32::try_from(entry.render_time.as_micros()).unwrap_or(u32::MAX);
    encode(entry.format, &entry.body, micros)
}

/// Checks and unwraps a frame. The body is a slice of `bytes`, not a copy.
pub fn decode(bytes: Bytes) -> Result<Frame, FrameError> {
    if bytes.len() < HEADER_LEN {
        return Err(FrameError::Truncated);
    }
    if bytes[..4] != MAGIC {
        return Err(FrameError::Magic);
    }
    if bytes[4] != FRAME_VERSION {
        return Err(FrameError::Version(bytes[4]));
    }
    let format = content_format(bytes[5]).ok_or(FrameError::Content(bytes[5]))?;
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let render_micros = u32_at(8);
    let len = u32_at(12) as usize;
    if bytes.len() - HEADER_LEN != len {
        return Err(FrameError::Length);
    }
    let body = &bytes[HEADER_LEN..];
    // blake3::Hash compares in constant time; timing does not matter here,
    // but it is the one comparison blake3 offers.
    let expected = blake3::Hash::from_bytes(bytes[16..48].try_into().expect("32 bytes"));
    if checksum(&bytes[..FIELDS_LEN], body) != expected {
        return Err(FrameError::Checksum);
    }
    Ok(Frame {
        format,
        body: bytes.slice(HEADER_LEN..),
        render_time: Duration::from_micros(u64::from(render_micros)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        encode(Format::Svg, b"<svg>chart</svg>", 1234)
    }

    #[test]
    fn round_trips() {
        for (format, body) in [(Format::Png, &b"\x89PNG body"[..]), (Format::Svg, b"")] {
            let frame = decode(Bytes::from(encode(format, body, 42))).unwrap();
            assert_eq!(frame.format, format);
            assert_eq!(&frame.body[..], body);
            assert_eq!(frame.render_time, Duration::from_micros(42));
        }
    }

    #[test]
    fn entry_round_trips() {
        let entry = Entry::new(
            ChartKey([1; 32]),
            Bytes::from_static(b"png"),
            Format::Png,
            Duration::from_millis(7),
        );
        let frame = decode(Bytes::from(encode_entry(&entry))).unwrap();
        let back = frame.into_entry(entry.key);
        assert_eq!(back.body, entry.body);
        assert_eq!(back.render_time, entry.render_time);
        assert_eq!(back.etag, entry.etag);
    }

    #[test]
    fn every_single_byte_corruption_is_detected() {
        let good = sample();
        for i in 0..good.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                assert!(
                    decode(Bytes::from(bad)).is_err(),
                    "flip {flip:#x} at byte {i} went unnoticed"
                );
            }
        }
    }

    #[test]
    fn every_truncation_and_extension_is_detected() {
        let good = sample();
        for len in 0..good.len() {
            assert!(
                decode(Bytes::copy_from_slice(&good[..len])).is_err(),
                "cut at {len}"
            );
        }
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(decode(Bytes::from(longer)), Err(FrameError::Length));
    }

    #[test]
    fn names_what_is_wrong() {
        let mut bad = sample();
        bad[0] = b'X';
        assert_eq!(decode(Bytes::from(bad)), Err(FrameError::Magic));
        let mut bad = sample();
        bad[4] = FRAME_VERSION + 1;
        assert_eq!(
            decode(Bytes::from(bad)),
            Err(FrameError::Version(FRAME_VERSION + 1))
        );
        let mut bad = sample();
        bad[5] = 9;
        assert_eq!(decode(Bytes::from(bad)), Err(FrameError::Content(9)));
        let mut bad = sample();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(decode(Bytes::from(bad)), Err(FrameError::Checksum));
        assert_eq!(
            decode(Bytes::from_static(b"garbage")),
            Err(FrameError::Truncated)
        );
    }
}
