//! The cache key: blake3 over the canonical serialization of a `ChartRequest`.
//!
//! The key is what the ETag, the cache tiers and `/chart/render/ID` all name,
//! so it must be the same on every replica and across restarts: it depends
//! only on the normalized request, on `KEY_CONTEXT` and on the fonts loaded
//! from `fonts.dirs` (`set_font_fingerprint`).

use super::spec::ChartRequest;
use std::fmt;
use std::sync::OnceLock;

/// blake3 `derive_key` context. Bump the version whenever the renderer's
/// output for the same `ChartRequest` changes, so that no tier ever serves a
/// picture drawn by older code under a key computed by newer code. v4: text
/// shaped with font fallback; SVG names the Noto families. v5: vertical
/// linear axes as dense as Chart.js's (a tick per line of tick text). v6:
/// Chart.js 2's darker zero line. v7: Chart.js's layout (no canvas margin,
/// 10 px tick marks, labels' line space, 3 px at a horizontal axis's ends).
/// v8: radial ticks a backdrop apart, radar point labels at 10 px. v9: a
/// side legend centered in the chart area's height. v10: the Chart.js
/// renderer runs QuickChart's colorschemes, outlabels, gauge and box plot
/// plugins and reads `em` font sizes. v11: the Chart.js renderer draws
/// QuickChart's gradients and patterns (it drew no pattern before). v12:
/// radar and polar area scales fitted as Chart.js fits them, tick labels
/// under the datasets; a side legend takes the x axis's end overhang.
/// v13: crowded category labels turned and skipped as Chart.js 2.9.4 does;
/// unfilled v2 datasets' legend boxes solid; `rectRot` a radius across.
/// v14: legend rows wrap where Chart.js 2.9.4 wraps them. v17: Chart.js 3
/// and 4's bottom axis keeps no 3 px at its ends that its labels do not need.
/// v18: a radar's scale begins at its data's minimum, its point labels in
/// the default color and family, not the ticks'. v19: areas filled as
/// Chart.js's filler plugin fills them (2.9.4: all before any dataset, so
/// a radar's lines lie over every fill; 3 and 4: each before its own).
/// v20: italic text (`fontStyle`, `font.style`) drawn in DejaVu's oblique
/// faces or slanted, where it was drawn upright. v21: Chart.js 3 and 4's
/// turned x labels take their room along the axis as 3.9.1 measures it.
/// v22: emoji drawn in color from a configured color font (whose bytes the
/// font fingerprint already held while its faces were skipped). v23:
/// Chart.js 3 and 4's x axis as deep as their `fit` makes it across
/// turned labels, sized by the labels shown. v24: their bottom category
/// labels skipped by their own `autoSkip`. v25: bars grouped by the index
/// axis's `stacked` (they were by the value axis's), and Chart.js 3 and
/// 4's bottom labels skipped for the width beside the side axes. v26: the
/// sandbox's `Intl` writes each locale's numbers (it wrote en-US's for
/// all), so Chart.js 3 and 4 configs with a `locale`, and the Chart.js
/// renderer's `tickFormat` labels, draw differently. v27: the sandbox's
/// dates are written in each locale and its options (`Intl.DateTimeFormat`,
/// `toLocale*String`), so callbacks that write dates draw differently. v28:
/// numeric dates and hours as ICU's pattern generator writes them
/// (`5.1.2024`, not `05.01.2024`, in `de`). v29: a line is clipped flush
/// with an end its scale bounds with `min`/`max` (Chart.js's `scaleClip`),
/// and Chart.js 3 and 4 charts leave the data past the x scale's `min` or
/// `max` out of the y range, so such charts draw differently.
pub const KEY_CONTEXT: &str = "chartgate 2026-12-07 chart key v29";

/// The hasher every key starts from: the context, then the fingerprint of
/// the fonts loaded beside the embedded ones, when any.
static BASE: OnceLock<blake3::Hasher> = OnceLock::new();

/// Makes the loaded fonts part of every key, so replicas with other fonts
/// never share a key for pictures that would differ and a font change never
/// serves old pictures. Call at start-up, before the first key; `Err` when
/// a key was already derived (or a fingerprint set) in this process.
pub fn set_font_fingerprint(fingerprint: [u8; 32]) -> Result<(), &'static str> {
    let mut hasher = blake3::Hasher::new_derive_key(KEY_CONTEXT);
    hasher.update(b"fonts");
    hasher.update(&fingerprint);
    BASE.set(hasher)
        .map_err(|_| "the font fingerprint must be set before the first key is derived")
}

fn base() -> &'static blake3::Hasher {
    BASE.get_or_init(|| blake3::Hasher::new_derive_key(KEY_CONTEXT))
}

/// Length of a key in hex characters.
pub const KEY_HEX_LEN: usize = 64;

/// The canonical serialization of a normalized request: what the key hashes,
/// and what `/chart/create` stores so any process can render the chart again.
pub fn canonical(req: &ChartRequest) -> Vec<u8> {
    serde_json::to_vec(req).expect("a ChartRequest always serializes")
}

/// The largest canonical form a `Prepared` keeps (for analytics to draw a
/// top chart again): a bigger one, a chart of many thousand points, is
/// hashed as it is written and never held whole beside the spec.
pub const KEPT_CANONICAL_BYTES: usize = 256 * 1024;

/// A normalized request with its key and canonical bytes, computed once per
/// miss and handed down to the render job and to analytics, which used to
/// serialize and hash the spec a second time.
#[derive(Debug)]
pub struct Prepared {
    pub key: ChartKey,
    /// `canonical(&req)`, when at most `KEPT_CANONICAL_BYTES`.
    pub canonical: Option<bytes::Bytes>,
    pub req: ChartRequest,
}

impl Prepared {
    pub fn new(req: ChartRequest) -> Prepared {
        let (key, canonical) = hash_canonical(&req, KEPT_CANONICAL_BYTES);
        Prepared {
            key,
            canonical: canonical.map(bytes::Bytes::from),
            req,
        }
    }
}

/// The key of `req`, hashed as serde_json writes its canonical form, and
/// that form when it is at most `keep` bytes.
fn hash_canonical(req: &ChartRequest, keep: usize) -> (ChartKey, Option<Vec<u8>>) {
    let mut tee = Tee {
        hasher: base().clone(),
        kept: (keep > 0).then(Vec::new),
        keep,
    };
    // serde_json writes a few bytes at a time: the buffer hands blake3 (slow
    // on short updates) whole chunks.
    let mut writer = std::io::BufWriter::with_capacity(HASH_CHUNK, &mut tee);
    serde_json::to_writer(&mut writer, req).expect("a ChartRequest always serializes");
    writer
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)
        .expect("a Tee never fails");
    (ChartKey(*tee.hasher.finalize().as_bytes()), tee.kept)
}

/// How many bytes of the canonical form blake3 is handed at once.
const HASH_CHUNK: usize = 64 * 1024;

/// Hashes what it is written, and keeps it while it fits in `keep`.
struct Tee {
    hasher: blake3::Hasher,
    kept: Option<Vec<u8>>,
    keep: usize,
}

impl std::io::Write for Tee {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(bytes);
        if let Some(kept) = &mut self.kept {
            if kept.len() + bytes.len() <= self.keep {
                kept.extend_from_slice(bytes);
            } else {
                self.kept = None;
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A chart's identity: 32 bytes of blake3.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChartKey(pub [u8; 32]);

impl ChartKey {
    /// Derives the key of a normalized request.
    pub fn of(req: &ChartRequest) -> ChartKey {
        hash_canonical(req, 0).0
    }

    /// Derives the key from `canonical(req)`, for callers that keep those bytes.
    pub fn of_canonical(canonical: &[u8]) -> ChartKey {
        let mut hasher = base().clone();
        hasher.update(canonical);
        ChartKey(*hasher.finalize().as_bytes())
    }

    /// Lower-case hex, the form used in ETags and URLs.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// Parses the hex form; `None` for anything that is not exactly 64 hex digits.
    pub fn from_hex(s: &str) -> Option<ChartKey> {
        let bytes = s.as_bytes();
        if bytes.len() != KEY_HEX_LEN {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            out[i] = (hi * 16 + lo) as u8;
        }
        Some(ChartKey(out))
    }
}

impl fmt::Debug for ChartKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChartKey({})", self.to_hex())
    }
}

impl fmt::Display for ChartKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Lower-case hex of any bytes: keys here, and the lease tokens and replica
/// ids of the Redis tier and analytics.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        use fmt::Write;
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let k = ChartKey([0xab; 32]);
        assert_eq!(ChartKey::from_hex(&k.to_hex()), Some(k));
        assert_eq!(ChartKey::from_hex("zz"), None);
        assert_eq!(ChartKey::from_hex(&"g".repeat(64)), None);
    }

    /// The key hashed as the canonical form is written is the key of the
    /// canonical bytes, whether they are kept (small) or not (big).
    #[test]
    fn a_key_hashed_as_written_is_the_key_of_the_canonical_bytes() {
        let limits = crate::config::Limits {
            max_body_bytes: 8 << 20,
            ..Default::default()
        };
        for points in [3, 30_000] {
            let data: Vec<_> = (0..points)
                .map(|i| serde_json::json!({"x": i, "y": i % 7}))
                .collect();
            let body = serde_json::json!({"chart": {"type": "scatter",
                "data": {"datasets": [{"data": data}]}}});
            let req = crate::chart::params::from_post(body.to_string().as_bytes(), &limits)
                .expect("the chart reads");
            let bytes = canonical(&req);
            let prepared = Prepared::new(req);
            assert_eq!(
                prepared.key,
                ChartKey::of_canonical(&bytes),
                "{points} points"
            );
            assert_eq!(ChartKey::of(&prepared.req), prepared.key, "{points} points");
            let kept = bytes.len() <= KEPT_CANONICAL_BYTES;
            assert_eq!(kept, points == 3, "{} bytes", bytes.len());
            assert_eq!(prepared.canonical.as_deref(), kept.then_some(&bytes[..]));
        }
    }
}
