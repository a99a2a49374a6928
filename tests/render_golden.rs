//! Golden images: every QuickChart POST body in `tests/gallery/*.json` is
//! parsed with `params::from_post`, drawn with `PlottersRenderer` and compared
//! with `tests/golden/<name>.png`, so a change to the renderer that moves
//! pixels shows up as a failing test with the new picture next to the old.
//!
//! The same specs make `docs/gallery.md` (`cargo run --release --example
//! gallery`), so what the gallery shows is what this test pins.
//!
//! - `UPDATE_GOLDEN=1 cargo test --test render_golden` (re)writes the goldens
//!   instead of comparing.
//! - A missing golden fails, saying how to create it.
//! - A mismatch writes `tests/golden/<name>.actual.png` (git-ignored) and
//!   fails naming it.
//!
//! Fonts are embedded and rendering is deterministic, so today the images
//! match exactly; the tolerance (`MAX_CHANNEL_DIFF`, `MIN_MATCHING`) leaves
//! room for encoder or antialiasing changes that nobody would see.

mod common;

use chartgate::chart::params;
use chartgate::chart::spec::{ChartRequest, Format};
use chartgate::config::{Limits, ScriptConfig};
use chartgate::render::{PlottersRenderer, Renderer};
use common::image::{try_decode, Image};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Largest per-channel difference for a pixel to count as matching.
const MAX_CHANNEL_DIFF: u8 = 8;
/// Share of pixels that must match.
const MIN_MATCHING: f64 = 0.995;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One gallery spec: its name (the file stem) and the request it parses to.
struct Spec {
    name: String,
    request: ChartRequest,
}

/// Every `tests/gallery/*.json`, sorted by name, parsed as a POST body.
fn gallery() -> Vec<Spec> {
    common::gallery::paths()
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let body = std::fs::read(&path).unwrap();
            let request =
                params::scripted_post(&body, &Limits::default(), Some(&ScriptConfig::default()))
                    .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            Spec { name, request }
        })
        .collect()
}

fn render(req: &ChartRequest) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(120);
    PlottersRenderer::new()
        .render(req, deadline)
        .expect("a gallery spec renders")
        .to_vec()
}

/// `None` if `actual` matches `golden` within the tolerance, else why not.
fn difference(actual: &Image, golden: &Image) -> Option<String> {
    if (actual.w, actual.h) != (golden.w, golden.h) {
        return Some(format!(
            "size {}x{}, golden {}x{}",
            actual.w, actual.h, golden.w, golden.h
        ));
    }
    let total = actual.rgba.len() / 4;
    let matching = actual
        .rgba
        .chunks_exact(4)
        .zip(golden.rgba.chunks_exact(4))
        .filter(|(a, g)| {
            a.iter()
                .zip(*g)
                .all(|(x, y)| x.abs_diff(*y) <= MAX_CHANNEL_DIFF)
        })
        .count();
    let share = matching as f64 / total.max(1) as f64;
    (share < MIN_MATCHING).then(|| {
        format!(
            "{:.3}% of pixels within {MAX_CHANNEL_DIFF} per channel, need {:.1}%",
            share * 100.0,
            MIN_MATCHING * 100.0
        )
    })
}

/// Writes to the real stderr, past the test harness's capture, so that
/// `UPDATE_GOLDEN=1` says what it wrote even when the test passes.
fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

#[test]
fn gallery_matches_goldens() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0");
    let dir = root().join("tests/golden");
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for spec in gallery() {
        if spec.request.output.format != Format::Png {
            continue;
        }
        checked += 1;
        let bytes = render(&spec.request);
        let golden_path = dir.join(format!("{}.png", spec.name));
        let actual_path = dir.join(format!("{}.actual.png", spec.name));
        if update {
            std::fs::write(&golden_path, &bytes).unwrap();
            let _ = std::fs::remove_file(&actual_path);
            say(&format!("UPDATE_GOLDEN: wrote {}", golden_path.display()));
            continue;
        }
        let Ok(golden_bytes) = std::fs::read(&golden_path) else {
            failures.push(format!(
                "{}: no golden at {}; create it with \
                 `UPDATE_GOLDEN=1 cargo test --test render_golden` and look at it",
                spec.name,
                golden_path.display()
            ));
            continue;
        };
        let actual = try_decode(&bytes).expect("the renderer writes a valid PNG");
        let why = match try_decode(&golden_bytes) {
            Ok(golden) => difference(&actual, &golden),
            Err(e) => Some(format!("the golden does not decode: {e}")),
        };
        match why {
            Some(why) => {
                std::fs::write(&actual_path, &bytes).unwrap();
                failures.push(format!(
                    "{}: differs from {} ({why}); the new render is {}. If the change is \
                     intended, rerun with UPDATE_GOLDEN=1",
                    spec.name,
                    golden_path.display(),
                    actual_path.display()
                ));
            }
            None => {
                let _ = std::fs::remove_file(&actual_path);
            }
        }
    }
    assert!(checked >= 20, "only {checked} PNG specs in tests/gallery");
    assert!(
        failures.is_empty(),
        "{} of {checked} gallery images do not match their goldens:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_gallery_spec_renders_in_its_format() {
    let specs = gallery();
    assert!(specs.len() >= 20, "only {} specs", specs.len());
    let mut svgs = 0;
    for spec in &specs {
        let bytes = render(&spec.request);
        match spec.request.output.format {
            Format::Png => {
                let img = try_decode(&bytes).unwrap();
                assert_eq!(
                    (img.w, img.h),
                    spec.request.output.pixel_size(),
                    "{}",
                    spec.name
                );
            }
            Format::Svg => {
                svgs += 1;
                let svg = String::from_utf8(bytes).unwrap();
                let (w, h) = (spec.request.output.width, spec.request.output.height);
                assert!(
                    svg.starts_with(&format!("<svg width=\"{w}\" height=\"{h}\"")),
                    "{}",
                    spec.name
                );
                assert!(svg.trim_end().ends_with("</svg>"), "{}", spec.name);
            }
        }
    }
    assert!(svgs >= 1, "the gallery has no SVG spec");
}

#[test]
fn gallery_renders_are_identical_across_threads() {
    let specs: Vec<Spec> = gallery()
        .into_iter()
        .filter(|s| {
            ["bar-stacked", "line-dash-gaps", "pie", "radar", "svg"]
                .iter()
                .any(|n| s.name.split_once('-').is_some_and(|(_, name)| name == *n))
        })
        .collect();
    assert_eq!(specs.len(), 5, "the determinism specs are in tests/gallery");
    let expected: Vec<Vec<u8>> = specs.iter().map(|s| render(&s.request)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| specs.iter().map(|s| render(&s.request)).collect::<Vec<_>>()))
            .collect();
        for h in handles {
            let got = h.join().unwrap();
            for ((spec, a), b) in specs.iter().zip(&got).zip(&expected) {
                assert!(a == b, "{}: a thread drew different bytes", spec.name);
            }
        }
    });
}
