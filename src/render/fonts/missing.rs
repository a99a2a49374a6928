//! Characters drawn as boxes because no loaded face has them, tallied per
//! render thread by script: the pool takes the tally after each render for
//! `chartgate_missing_glyphs_total{script}` and the response header.

use std::cell::RefCell;
use unicode_script::UnicodeScript;

thread_local! {
    /// (script name, glyphs) of the render running on this thread; a
    /// handful of entries at most, so a list beats a map.
    static TALLY: RefCell<Vec<(&'static str, u64)>> = const { RefCell::new(Vec::new()) };
}

/// Counts one box drawn for `c`.
pub(super) fn note(c: char) {
    TALLY.with(|t| crate::metrics::tally(&mut t.borrow_mut(), c.script().full_name(), 1));
}

/// The boxes drawn on this thread since the last call, by script, and
/// starts over.
pub(crate) fn take_missing() -> Vec<(&'static str, u64)> {
    TALLY.with(|t| std::mem::take(&mut *t.borrow_mut()))
}

/// Which fonts would draw `script`, for the log line that reports it.
pub(crate) fn covering(script: &str) -> &'static str {
    match script {
        "Han" | "Hiragana" | "Katakana" | "Hangul" | "Bopomofo" => {
            "Noto Sans CJK (Debian: fonts-noto-cjk); the embedded subset has the common characters only"
        }
        "Common" => {
            "an emoji or symbol font: Noto Color Emoji (fonts-noto-color-emoji) or Symbola (fonts-symbola)"
        }
        "Unknown" => "none: a private-use or unassigned character",
        _ => "the Noto Sans face of that script (Debian: fonts-noto-core or fonts-noto-extra)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_by_script_and_starts_over() {
        take_missing();
        note('\u{E000}');
        note('\u{E001}');
        note('𓀀');
        let mut got = take_missing();
        got.sort();
        assert_eq!(got, [("Egyptian_Hieroglyphs", 1), ("Unknown", 2)]);
        assert!(take_missing().is_empty());
    }
}
