//! Charts as data: parsing what clients send into one typed, defaulted spec,
//! and the key that names it.
//!
//! `params` reads QuickChart request parameters (GET query or POST body),
//! `literal` reads the Chart.js config (strict JSON or the JavaScript object
//! literal, never executed), `color` reads CSS colors, `parse` turns the config
//! into a `spec::ChartSpec` with every default filled in, and `key` hashes the
//! canonical form of the result.

pub mod color;
pub mod key;
pub mod literal;
pub(crate) mod moment;
pub mod packed;
pub mod params;
pub mod parse;
pub mod route;
pub mod spec;

pub use key::{ChartKey, Prepared};
pub use spec::{ChartRequest, Format};

/// Why a request's chart could not be accepted. Both are the client's fault,
/// so both map to 4xx responses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartError {
    /// Malformed config or parameter, code in the config, unknown chart type,
    /// bad color: 400 `bad_request`.
    BadRequest(String),
    /// Size, pixel, dataset or point limits: 422 `limit_exceeded`.
    LimitExceeded(String),
    /// Code in a config read as data: 400 `bad_request`, unless the script
    /// sandbox is on and evaluates it instead.
    Code(String),
}

impl ChartError {
    pub fn bad(msg: impl Into<String>) -> Self {
        ChartError::BadRequest(msg.into())
    }

    pub fn limit(msg: impl Into<String>) -> Self {
        ChartError::LimitExceeded(msg.into())
    }
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChartError::BadRequest(m) | ChartError::LimitExceeded(m) | ChartError::Code(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for ChartError {}

/// Client text quoted in an error message: at most `max_chars` characters,
/// escaped so that it cannot break the message (or the header it is copied
/// into) with quotes, control characters or newlines.
pub(crate) fn quoted(text: &str, max_chars: usize) -> String {
    let cut: String = text.chars().take(max_chars).collect();
    cut.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_text_is_cut_and_escaped() {
        assert_eq!(quoted("abc", 2), "ab");
        assert_eq!(quoted("a'b\n\u{1}", 40), "a\\'b\\n\\u{1}");
        assert_eq!(quoted("ééé", 2), "éé", "counted in characters, not bytes");
    }
}
