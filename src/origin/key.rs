//! The key of an origin's answer: blake3 over the origin's name, the path,
//! the query with its parameters sorted, its percent-encoding normalized and
//! `ignore_params` removed, the `key_headers`, and for a POST the canonical
//! form of the JSON body. Two requests that can only get the same answer get
//! one key; the normalized query is also what the origin is sent, so no
//! parameter outside the key ever reaches it.

use crate::chart::ChartKey;
use hyper::header::{HeaderName, HeaderValue};
use serde_json::Value;
use std::fmt::Write;
use wildmatch::WildMatch;

/// blake3 `derive_key` context: origin keys never meet chart keys. Bump the
/// version when what is hashed changes.
const ORIGIN_KEY_CONTEXT: &str = "chartgate origin key v1";

/// What identifies one answer of one origin.
pub(crate) struct Identity<'a> {
    pub(crate) origin: &'a str,
    pub(crate) path: &'a str,
    /// `normalized_query`'s output.
    pub(crate) query: &'a str,
    /// The `key_headers` in configuration order, with the request's value
    /// (`None` when absent).
    pub(crate) headers: &'a [(HeaderName, Option<HeaderValue>)],
    /// `canonical_json` of a POST's body.
    pub(crate) body: Option<&'a str>,
}

impl Identity<'_> {
    /// The key. Every field is length-prefixed, so no two identities can
    /// hash the same bytes.
    pub(crate) fn key(&self) -> ChartKey {
        let mut h = blake3::Hasher::new_derive_key(ORIGIN_KEY_CONTEXT);
        let mut field = |bytes: &[u8]| {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(self.origin.as_bytes());
        field(self.path.as_bytes());
        field(self.query.as_bytes());
        for (name, value) in self.headers {
            field(name.as_str().as_bytes());
            field(value.as_ref().map_or(&b"\xff"[..], HeaderValue::as_bytes));
        }
        field(self.body.unwrap_or("\u{0}").as_bytes());
        ChartKey(*h.finalize().as_bytes())
    }
}

/// The query as keyed and forwarded: parameters decoded (`%41`, `A` and
/// `+`/`%20` alike), those matching an `ignore` glob dropped, sorted by
/// name (repeated names keep their order, which may matter to the origin),
/// and encoded again one way.
pub(crate) fn normalized_query(query: &str, ignore: &[WildMatch]) -> String {
    let mut pairs: Vec<_> = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| !ignore.iter().any(|glob| glob.matches(name)))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A JSON body in one spelling: object keys sorted, no whitespace, numbers
/// as chart configs read them (as f64: `1`, `1.0` and `1e0` are one number).
pub(crate) fn canonical_json(body: &[u8]) -> Result<String, serde_json::Error> {
    let value: Value = serde_json::from_slice(body)?;
    let mut out = String::with_capacity(body.len());
    write_canonical(&value, &mut out);
    Ok(out)
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        Value::Number(n) => write_number(n.as_f64().unwrap_or(f64::NAN), out),
        other => out.push_str(&other.to_string()),
    }
}

/// Whole numbers within f64's exact range as integers, the rest in the
/// shortest spelling that reads back the same.
fn write_number(n: f64, out: &mut String) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() < EXACT {
        let _ = write!(out, "{}", n as i64);
    } else {
        let _ = write!(out, "{n:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(list: &[&str]) -> Vec<WildMatch> {
        list.iter().map(|g| WildMatch::new(g)).collect()
    }

    #[test]
    fn order_encoding_and_ignored_params_do_not_change_the_query() {
        let ignore = globs(&["utm_*", "ref", "_"]);
        let a = normalized_query("kind=bar&n=10&title=Sales%20Q1", &ignore);
        let b = normalized_query(
            "title=Sales+Q1&utm_source=mail&n=10&_=123&kind=b%61r",
            &ignore,
        );
        assert_eq!(a, b);
        assert_eq!(a, "kind=bar&n=10&title=Sales+Q1");
        assert_eq!(normalized_query("x=2&x=1", &ignore), "x=2&x=1");
        assert_ne!(normalized_query("referrer=1", &ignore), "");
    }

    #[test]
    fn json_bodies_in_one_spelling() {
        let a = canonical_json(br#"{"b": [1, 2.0, 3e0], "a": {"y": true, "x": null}}"#).unwrap();
        let b = canonical_json(br#"{"a":{"x":null,"y":true},"b":[1.0,2,3]}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, r#"{"a":{"x":null,"y":true},"b":[1,2,3]}"#);
        assert_eq!(canonical_json(b"[0.1, 1e300]").unwrap(), "[0.1,1e300]");
        assert!(canonical_json(b"[1, nope").is_err());
    }

    /// Keys are pinned: a change here moves every stored origin answer.
    #[test]
    fn keys_are_pinned_and_separate_their_fields() {
        fn id<'a>(path: &'a str, query: &'a str) -> Identity<'a> {
            Identity {
                origin: "reports",
                path,
                query,
                headers: &[],
                body: None,
            }
        }
        assert_eq!(
            id("/chart.png", "n=10").key().to_hex(),
            "4c1a1937a2591f67a07e4ded61d4c2bac170a312cf856f452c67ffcdad38f676"
        );
        assert_ne!(
            id("/chart.png", "n=10").key(),
            id("/chart.pngn=10", "").key()
        );
        let lang = [(
            HeaderName::from_static("accept-language"),
            Some(HeaderValue::from_static("de")),
        )];
        let with = Identity {
            headers: &lang,
            ..id("/c", "")
        };
        assert_ne!(with.key(), id("/c", "").key());
    }
}
