//! Every input the fuzzers ever crashed on, replayed through the very checks
//! the fuzz targets run (`fuzz/src/checks.rs`, included by path), so a fixed
//! bug stays fixed on every CI run without libFuzzer.
//!
//! Crash inputs are kept as files in `fuzz/regressions/TARGET/` (a failing
//! input is added there as it is, then fixed); the seed corpus in
//! `fuzz/seeds/TARGET/` is replayed too, so the targets' properties hold on
//! the charts the fuzzers start from. Named tests below explain each bug.

#[path = "../fuzz/src/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::path::Path;

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 4] = [
    ("literal", checks::literal),
    ("query", checks::query),
    ("normalize", checks::normalize),
    ("render", checks::render),
];

/// Replays every file of `fuzz/DIR/TARGET/` through the target's check.
fn replay(dir: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(dir);
    let mut replayed = 0;
    for (target, check) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.expect("readable dir").path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).expect("readable input");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target} fails on {}", file.display());
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn every_recorded_crash_passes_its_check() {
    assert!(
        replay("regressions") >= 2,
        "the regression inputs are there"
    );
}

#[test]
fn the_seed_corpus_passes_every_check() {
    assert!(replay("seeds") >= 40, "the seed corpus is there");
}

/// serde_json's default float parser is not correctly rounded: it read
/// `1.1e39` back as `1.0999999999999999e39`, so a chart's canonical form
/// (what `/chart/create` stores and other replicas read) came back as a
/// different chart with a different key. Fixed by serde_json's
/// `float_roundtrip` feature (Cargo.toml).
#[test]
fn canonical_numbers_read_back_exactly() {
    checks::normalize(b"\x01{type:'bar',data:{labels:['a'],datasets:[{data:[11e38]}]}}");
    checks::literal(b"\n11e38");
    for n in [
        "11e38",
        "2.2250738585072014e-308",
        "9007199254740993",
        "0.1",
        "1e23",
    ] {
        let config = format!("{{type:'line',data:{{labels:[1],datasets:[{{data:[{n}]}}]}}}}");
        let mut input = vec![1u8];
        input.extend_from_slice(config.as_bytes());
        checks::normalize(&input);
    }
}

/// The render target's SVG check on hostile text in every place text goes:
/// title, axis title, category labels, dataset labels. A `<` or `&` that
/// reached the document unescaped would fail it.
#[test]
fn svg_text_stays_text() {
    let hostile = "<script>alert(1)</script> & ]]> \" ' <!-- &amp;";
    let config = serde_json::json!({"type": "bar",
        "data": {"labels": [hostile, "b"], "datasets": [{"label": hostile, "data": [1, 2]}]},
        "options": {"title": {"display": true, "text": [hostile, hostile]},
                    "scales": {"yAxes": [{"scaleLabel": {"display": true, "labelString": hostile}}]}}});
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("c", &config.to_string())
        .append_pair("f", "svg")
        .append_pair("w", "300")
        .append_pair("h", "200")
        .finish();
    checks::render(query.as_bytes());
}

/// Control characters and U+FFFE/U+FFFF in text were written raw into the
/// SVG: 200 `image/svg+xml`, not well-formed (issue 9).
#[test]
fn svg_text_holds_only_xml_characters() {
    let hostile = "a\u{0}b\u{8}\u{B}\u{C}\u{1B}[31m\u{7F}\u{85}\u{FFFE}\u{FFFF}😀";
    let config = serde_json::json!({"type": "bar",
        "data": {"labels": [hostile, "b"], "datasets": [{"label": hostile, "data": [1, 2]}]},
        "options": {"title": {"display": true, "text": hostile}}});
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("c", &config.to_string())
        .append_pair("f", "svg")
        .finish();
    checks::render(query.as_bytes());
}
