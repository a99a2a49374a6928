//! One counted chart answer, as the hit path hands it over: plain bytes, no
//! pointer, no allocation, so buffering it costs one copy.

use crate::chart::ChartKey;
use crate::labels::{CacheStatus, Drawer};
use std::borrow::Cow;

/// Bytes of a source kept inline. A page URL without its query is rarely
/// longer; a longer one is cut here (and marked), so two sources differing
/// only past this many bytes count as one.
pub(crate) const SOURCE_BYTES: usize = 112;

/// How one chart request was answered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    pub(crate) key: ChartKey,
    /// Unix seconds, from the coarse clock (at most a second stale).
    pub(crate) at: u32,
    /// Body bytes sent: 0 for HEAD and 304.
    pub(crate) bytes: u32,
    /// How long the render that made this picture took, in microseconds.
    pub(crate) render_us: u32,
    pub(crate) status: CacheStatus,
    /// Which renderer drew the picture answered.
    pub(crate) drawer: Drawer,
    pub(crate) source: SourceBuf,
}

/// The page that embedded the chart: the `Referer` without query or
/// fragment, copied inline.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SourceBuf {
    len: u8,
    truncated: bool,
    bytes: [u8; SOURCE_BYTES],
}

impl SourceBuf {
    pub(crate) const NONE: SourceBuf = SourceBuf {
        len: 0,
        truncated: false,
        bytes: [0; SOURCE_BYTES],
    };

    /// The page of a `Referer` value: everything before `?` or `#`.
    #[inline]
    pub(crate) fn from_referer(referer: &[u8]) -> SourceBuf {
        let page = referer
            .iter()
            .position(|&b| b == b'?' || b == b'#')
            .map_or(referer, |end| &referer[..end]);
        let len = page.len().min(SOURCE_BYTES);
        let mut buf = SourceBuf {
            len: len as u8,
            truncated: page.len() > SOURCE_BYTES,
            bytes: [0; SOURCE_BYTES],
        };
        buf.bytes[..len].copy_from_slice(&page[..len]);
        buf
    }

    pub(crate) fn is_none(&self) -> bool {
        self.len == 0
    }

    /// The source as text; a cut one ends in `…`.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        let text = String::from_utf8_lossy(&self.bytes[..usize::from(self.len)]);
        if self.truncated {
            Cow::Owned(format!("{text}…"))
        } else {
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_the_page_without_query_or_fragment() {
        let s = SourceBuf::from_referer(b"https://grafana.example/d/abc?orgId=1&token=secret");
        assert_eq!(s.text(), "https://grafana.example/d/abc");
        let s = SourceBuf::from_referer(b"https://wiki.example/page#section?x");
        assert_eq!(s.text(), "https://wiki.example/page");
        assert!(SourceBuf::from_referer(b"").is_none());
        assert!(SourceBuf::from_referer(b"?only=query").is_none());
    }

    #[test]
    fn a_long_source_is_cut_and_marked() {
        let long = format!("https://example.com/{}", "p".repeat(300));
        let s = SourceBuf::from_referer(long.as_bytes());
        let text = s.text();
        assert!(text.ends_with('…'));
        assert_eq!(text.chars().count(), SOURCE_BYTES + 1);
    }
}
