//! Key and channel names of the shared Redis tier, in one place for the
//! tier, the lease, pub/sub and analytics (layout in `shared`'s module doc).

use crate::chart::key::KEY_CONTEXT;
use crate::chart::ChartKey;
use std::sync::OnceLock;

/// The version word of `KEY_CONTEXT` (its last word, e.g. `v2`). Keys carry
/// it, so bumping `KEY_CONTEXT` for a renderer that draws differently
/// also moves every Redis key: a new release never reads old pictures,
/// and `purge_all` of one release leaves the other's keys alone.
pub fn version() -> &'static str {
    KEY_CONTEXT.rsplit(' ').next().unwrap_or(KEY_CONTEXT)
}

/// `chartgate:<version>:`, the prefix of every key and channel.
pub fn prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| format!("chartgate:{}:", version()))
}

fn chart(key: &ChartKey, what: &str) -> String {
    format!("{}{{{}}}:{what}", prefix(), key.to_hex())
}

/// The framed picture.
pub fn img(key: &ChartKey) -> String {
    chart(key, "img")
}

/// The canonical request behind `/chart/render/ID`.
pub fn spec(key: &ChartKey) -> String {
    chart(key, "spec")
}

/// The render lease.
pub fn lease(key: &ChartKey) -> String {
    chart(key, "lease")
}

/// `SCAN MATCH` pattern of every picture of this version.
pub fn img_pattern() -> String {
    format!("{}*:img", prefix())
}

pub fn done_channel() -> String {
    format!("{}done", prefix())
}

pub fn purge_channel() -> String {
    format!("{}purge", prefix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_layout() {
        let key = ChartKey([0xab; 32]);
        let hex = key.to_hex();
        assert_eq!(version(), "v29", "the last word of KEY_CONTEXT");
        assert_eq!(img(&key), format!("chartgate:v29:{{{hex}}}:img"));
        assert_eq!(spec(&key), format!("chartgate:v29:{{{hex}}}:spec"));
        assert_eq!(lease(&key), format!("chartgate:v29:{{{hex}}}:lease"));
        assert_eq!(done_channel(), "chartgate:v29:done");
        assert_eq!(purge_channel(), "chartgate:v29:purge");
        assert_eq!(img_pattern(), "chartgate:v29:*:img");
    }
}
