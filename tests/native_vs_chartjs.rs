//! The native renderer held against the Chart.js renderer (itself held
//! against Chart.js in Chromium by `tests/fidelity/`): every gallery chart
//! the native renderer draws, of every Chart.js version, is drawn by both
//! (Chart.js 2.9.4, 3.9.1 or 4.4.1 for the Chart.js renderer), in process,
//! and compared pixel by pixel, as the oracle test compares (a pixel
//! differs when a channel is off by more than 38, 15% of 255).
//!
//! The table it prints (`cargo test --test native_vs_chartjs -- --nocapture`)
//! is the native renderer's fidelity, chart by chart. Measured 2026-12-06
//! (stop 30), 63 of the 64 charts differ in 0.16-1.53% of pixels (median
//! 0.53%, mean 0.59%; glyph and line edges), within the 2% the Chart.js
//! renderer is held to (see the README for how each got there); the 64th,
//! 79-point-sizes (Chart.js 2's point-sizes sample), in 2.08%, its many
//! labels' edges. `CEILING` is a ratchet: each chart may differ at most
//! one point more than measured, so a change that moves the native
//! renderer further from Chart.js fails, and one that brings it closer
//! shows here and lowers the ceiling.
//!
//! Every chart is drawn again at 200×150 (issue 13's small canvas), held
//! to `CEILING_SMALL`: 0.30-20.1% there (median 1.77%, 38 of 64 within
//! 2%): Chart.js 3 and 4's label rotation and layout at that size,
//! point-style and emoji labels' room follow Chart.js at 500×300 only, and
//! 79's four legend rows leave no chart area at all.
//!
//! `NVC_DUMP=dir` writes both renderers' pictures of every chart there
//! (`name[-200]-native.png`, `-chartjs.png`), to look at side by side.
//!
//! Its own test binary, because it turns on `render.renderer = "chartjs"`
//! for the whole process to read each config for both renderers.

mod common;

use chartgate::chart::params;
use chartgate::chart::spec::{ChartRequest, Format};
use chartgate::config::{Limits, ScriptConfig};
use chartgate::render::{PlottersRenderer, Renderer};
use common::image::decode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const CHANNEL_FUZZ: u8 = 38;

/// Per gallery chart, the most pixels (percent) the native picture may
/// differ from the Chart.js renderer's: measured 2026-12-04 (38, 40, 42,
/// 45, 77 and 78: 2026-12-05), plus one point.
const CEILING: &[(&str, f64)] = &[
    ("01-bar", 1.8),
    ("02-horizontal-bar-v2", 1.6),
    // Chart.js 3.9.1 (v3 specs, measured once v3 configs were forced
    // through Chart.js too, 2026-12-05).
    ("03-horizontal-bar-v3", 1.5),
    // 0.33% since Chart.js 3 and 4's bottom axis keeps no 3 px at its ends
    // that its labels do not need (2026-12-06).
    ("04-bar-stacked", 1.4),
    ("05-bar-grouped", 1.5),
    ("06-line-tension", 1.7),
    ("07-line-stepped", 1.4),
    ("08-line-dash-gaps", 1.6),
    ("09-point-styles", 1.4),
    ("10-area", 1.6),
    ("11-scatter", 1.5),
    ("12-bubble", 1.5),
    ("13-pie", 1.3),
    ("14-doughnut", 1.6),
    ("15-polar-area", 1.6),
    ("16-radar", 1.6),
    ("17-mixed-bar-line", 1.9),
    ("19-legend-bottom", 1.6),
    ("20-legend-left", 1.5),
    ("21-legend-right", 1.5),
    ("22-axis-titles-range", 1.6),
    ("23-axis-min-max", 1.6),
    ("24-per-point-colors", 1.8),
    ("25-white-background", 1.3),
    ("26-device-pixel-ratio-1", 1.6),
    ("27-device-pixel-ratio-2", 1.3),
    ("28-greek-cyrillic", 1.8),
    ("30-tick-callbacks", 2.2),
    ("31-computed-data", 1.7),
    ("32-half-doughnut", 1.7),
    ("33-datalabels", 1.9),
    ("34-datalabels-percent", 1.6),
    ("35-scriptable-colors", 1.3),
    ("36-gradient-fill", 1.4),
    ("37-patterns", 2.2),
    ("38-time-series", 1.2),
    ("39-time-parser", 1.5),
    ("40-two-y-axes", 1.5),
    ("42-time-series-small", 1.7),
    ("45-two-axes-datalabels", 2.6),
    ("46-text-chinese", 1.8),
    ("47-text-chinese-traditional", 1.9),
    ("48-text-japanese", 1.5),
    ("49-text-korean", 1.9),
    ("50-text-arabic", 1.5),
    ("51-text-persian", 1.5),
    ("52-text-hebrew", 1.5),
    ("53-text-hindi", 1.6),
    ("54-text-thai", 1.6),
    ("55-text-emoji", 1.8),
    ("56-text-mixed-legend", 1.5),
    // Native since Chart.js 3 and 4 time axes are (stop 36).
    ("65-time-series-v4", 3.1),
    ("66-two-y-axes-v4", 1.5),
    ("68-two-y-axes-v3", 1.5),
    ("71-vertical-labels", 1.2),
    ("72-bar-thickness", 1.6),
    ("73-step-size", 1.3),
    ("74-span-gaps", 1.4),
    ("75-legend-box-width", 1.5),
    ("76-legend-point-style", 1.5),
    ("77-time-labels", 1.6),
    ("78-time-epoch-line", 1.2),
    ("79-point-sizes", 3.1),
    ("81-point-styling-v4", 1.5),
    ("82-layout-padding", 1.8),
    // `legend.align` (2026-12-06).
    ("83-legend-align-start", 1.3),
    ("84-legend-align-end-v4", 2.0),
    ("85-radar-scale-from-data", 1.4),
    ("86-area-overlap-v4", 1.3),
    ("87-mixed-order", 1.7),
    // Italic text (2026-12-06): DejaVu's oblique faces, CJK slanted.
    ("88-fonts-radar-italic", 1.6),
    ("89-italic-v4", 1.9),
    // Chart.js 4's subtitle sample (2026-12-06).
    ("90-subtitle-v4", 1.7),
    // Chart.js 4's time scale sample (stop 36): its turned labels and two
    // grid lines a pixel apart (2.1% since stop 43).
    ("91-time-scale-sample-v4", 3.1),
    // Rounded bars (stop 36): Chart.js 4's border-radius sample, and
    // rounded horizontal bars with a border.
    ("92-bar-border-radius-v4", 1.8),
    ("93-horizontal-rounded-bars-v4", 1.4),
    // `time.isoWeekday` and `time.round` (stop 36).
    ("94-time-iso-weeks", 1.6),
    // Bars on a time axis (stop 37): `{t, y}` with `offset`, Chart.js 2's
    // combo sample's `offset` on dates as labels, and Chart.js 4's own
    // offset with grid lines between ticks.
    ("41-time-epoch-callback", 1.5),
    ("95-time-bars-daily", 1.2),
    ("96-time-bars-v4", 2.9),
    // Chart.js 2's `distribution: 'series'` and `ticks.source: 'data'`.
    ("97-time-series-distribution", 1.3),
    ("98-time-data-ticks", 1.6),
    // `bounds: 'ticks'` (stop 37).
    ("99-time-bounds-ticks", 1.5),
    // QuickChart's `tickFormat`; Chart.js 3 and 4's `locale` and
    // `ticks.format` (stop 38).
    ("100-tick-format-compact", 1.4),
    ("101-tick-format-locale", 1.8),
    ("102-tick-format-percent", 1.6),
    ("103-tick-format-currency-v4", 1.4),
    ("104-ticks-format-currency-v4", 1.4),
    ("105-ticks-format-percent-v3", 1.3),
    // `time.minUnit`, Chart.js 2's `ticks.source: 'labels'`.
    ("106-time-min-unit", 1.3),
    ("107-time-ticks-labels", 1.3),
    ("108-date-callbacks-de", 1.4),
    // Time axes bounded by `ticks.min`/`max`, `time.min`/`max` (2.9.4)
    // and the scale's `min`/`max` (4.4.1), 2026-12-07.
    ("109-time-window-ticks-min-max", 1.4),
    ("110-time-bars-time-min-max", 1.4),
    ("111-time-window-v4", 1.2),
    // Chart.js 2's stacked bars on a time axis, values read at the labels.
    ("112-time-bars-stacked", 1.4),
    // Chart.js 4's `suggestedMin`/`suggestedMax` on a time scale.
    ("113-time-suggested-v4", 1.4),
];

/// The same at 200×150, measured 2026-12-05 plus one point: where Chart.js
/// 2.9.4's layout at that size is not yet the native renderer's (issue 13:
/// turned x labels' room, radial charts' size, side legends' place),
/// recorded so each step shows.
const CEILING_SMALL: &[(&str, f64)] = &[
    ("01-bar", 3.0),
    ("02-horizontal-bar-v2", 3.8),
    ("03-horizontal-bar-v3", 2.3),
    ("04-bar-stacked", 2.1),
    ("05-bar-grouped", 2.6),
    ("06-line-tension", 2.5),
    // Raised from 6.0 when turned labels' room along the axis followed
    // 3.9.1's `_calculatePadding` (stop 35): 86 14.9% -> 10.3%, 89 11.2%
    // -> 7.8%, 90 7.6% -> 6.5%, this 5.0% -> 6.8% and 84 8.8% -> 9.4% (the
    // same directions beside Chromium); its taller y axis (a 10 tick
    // Chart.js leaves out) is what is left. 5.7% since stop 43.
    ("07-line-stepped", 6.7),
    ("08-line-dash-gaps", 2.8),
    ("09-point-styles", 5.5),
    ("10-area", 2.1),
    ("11-scatter", 2.3),
    ("12-bubble", 2.8),
    ("13-pie", 1.9),
    ("14-doughnut", 2.9),
    ("15-polar-area", 2.2),
    ("16-radar", 3.3),
    ("17-mixed-bar-line", 2.9),
    ("19-legend-bottom", 3.4),
    ("20-legend-left", 2.9),
    ("21-legend-right", 2.9),
    ("22-axis-titles-range", 2.8),
    ("23-axis-min-max", 3.5),
    ("24-per-point-colors", 3.3),
    ("25-white-background", 2.1),
    ("26-device-pixel-ratio-1", 1.8),
    ("27-device-pixel-ratio-2", 2.1),
    ("28-greek-cyrillic", 2.8),
    ("30-tick-callbacks", 4.7),
    ("31-computed-data", 3.1),
    ("32-half-doughnut", 2.7),
    ("33-datalabels", 4.4),
    ("34-datalabels-percent", 2.1),
    ("35-scriptable-colors", 2.0),
    ("36-gradient-fill", 1.7),
    ("37-patterns", 3.3),
    ("38-time-series", 1.8),
    ("39-time-parser", 2.6),
    ("40-two-y-axes", 1.7),
    ("42-time-series-small", 1.7),
    ("45-two-axes-datalabels", 4.7),
    ("46-text-chinese", 3.4),
    ("47-text-chinese-traditional", 4.8),
    ("48-text-japanese", 2.9),
    ("49-text-korean", 3.1),
    ("50-text-arabic", 3.1),
    ("51-text-persian", 2.6),
    ("52-text-hebrew", 2.4),
    ("53-text-hindi", 3.4),
    ("54-text-thai", 2.7),
    ("55-text-emoji", 9.3),
    ("56-text-mixed-legend", 2.8),
    ("65-time-series-v4", 6.1),
    // Raised from 6.7 and 6.9 when Chart.js 3 and 4's x axis took a whole
    // line across for its turned labels, sized by the labels it shows, and
    // turned them for no more than the canvas width less the widest
    // (stop 36; `fit`, `calculateLabelRotation`, beside Chromium at
    // 500x300 1-1.5 points closer, and here 03, 07, 81, 84, 86 and 89
    // closer): at this size Chart.js reserves the height of an earlier
    // layout pass for the axis, which the native layout does not repeat.
    // 8.1% and 8.3% until stop 43: the x labels are now turned and skipped
    // for the width of the axis's one update (Chart.js shows every other).
    ("66-two-y-axes-v4", 3.6),
    ("68-two-y-axes-v3", 4.0),
    ("71-vertical-labels", 2.7),
    ("72-bar-thickness", 3.1),
    ("73-step-size", 1.6),
    ("74-span-gaps", 1.3),
    ("75-legend-box-width", 2.1),
    ("76-legend-point-style", 2.4),
    ("77-time-labels", 1.8),
    ("78-time-epoch-line", 1.9),
    // Its four long legend rows leave no chart area at this size: both
    // renderers draw a degenerate picture, differently.
    ("79-point-sizes", 21.2),
    ("81-point-styling-v4", 6.1),
    ("82-layout-padding", 2.8),
    ("83-legend-align-start", 1.9),
    // Chart.js 4's turned labels at this size, as 66, 68 and 81 (8.7%
    // until stop 43 left an overfull chart area empty where its boxes
    // end, as Chart.js 3 and 4 do, not centred).
    ("84-legend-align-end-v4", 8.8),
    ("85-radar-scale-from-data", 2.6),
    ("86-area-overlap-v4", 5.4),
    ("87-mixed-order", 3.1),
    ("88-fonts-radar-italic", 3.3),
    // Chart.js 4's turned labels at this size, as 84.
    ("89-italic-v4", 8.0),
    // Chart.js 4's turned labels at this size, as 84 and 89; raised from
    // 7.5 with 66 and 68 (stop 36), for the same reason; 10.6% until its
    // overfull chart area stayed where its boxes end (stop 43).
    ("90-subtitle-v4", 7.4),
    // Three legend rows leave it no chart area at this size: 8.8% until
    // stop 43 (that area where the boxes end, its y title whole).
    ("91-time-scale-sample-v4", 6.7),
    // Its two legend rows leave a strip of chart area; 5.0% until Chart.js
    // 3 and 4's category labels were skipped by their own `autoSkip`.
    ("92-bar-border-radius-v4", 3.6),
    ("93-horizontal-rounded-bars-v4", 2.2),
    // Chart.js 2.9.4 turns its long dates less at this size (its layout
    // pass), as 42 once did.
    ("94-time-iso-weeks", 12.0),
    ("41-time-epoch-callback", 3.1),
    ("95-time-bars-daily", 1.4),
    // Chart.js 4's labels a pixel lower at this size, as 91.
    ("96-time-bars-v4", 5.4),
    // 2.1% until axis titles were drawn whole, as Chart.js draws them (stop 43).
    ("97-time-series-distribution", 2.2),
    ("98-time-data-ticks", 2.5),
    ("99-time-bounds-ticks", 1.5),
    ("100-tick-format-compact", 2.6),
    ("101-tick-format-locale", 3.8),
    ("102-tick-format-percent", 2.6),
    ("103-tick-format-currency-v4", 3.9),
    ("104-ticks-format-currency-v4", 2.1),
    ("105-ticks-format-percent-v3", 3.8),
    ("106-time-min-unit", 2.4),
    ("107-time-ticks-labels", 3.1),
    ("108-date-callbacks-de", 1.7),
    ("109-time-window-ticks-min-max", 1.6),
    ("110-time-bars-time-min-max", 1.5),
    ("111-time-window-v4", 4.1),
    ("112-time-bars-stacked", 1.4),
    ("113-time-suggested-v4", 5.8),
];

fn render(req: &ChartRequest) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(120);
    PlottersRenderer::new()
        .render(req, deadline)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_vec()
}

fn differing(a: &[u8], b: &[u8]) -> f64 {
    let (a, b) = (decode(a), decode(b));
    assert_eq!((a.w, a.h), (b.w, b.h));
    let n = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.iter().zip(q).any(|(x, y)| x.abs_diff(*y) > CHANNEL_FUZZ))
        .count();
    n as f64 / f64::from(a.w * a.h)
}

/// Each gallery chart drawn by both renderers at `size` (the spec's own
/// when `None`): the table's rows, and the charts past their ceiling.
fn compare_gallery(
    size: Option<(u32, u32)>,
    ceilings: &[(&str, f64)],
) -> (Vec<String>, Vec<String>) {
    // The routing switch is the process's: one comparison at a time.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    chartgate::chart::route::draw_everything_with_chartjs(true);
    let mut table = Vec::new();
    let mut drifted = Vec::new();
    for path in common::gallery::paths() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let body = resized(&std::fs::read(&path).unwrap(), size);
        let script = ScriptConfig::default();
        let Ok(chartjs) = params::scripted_post(&body, &Limits::default(), Some(&script)) else {
            continue; // SVG specs: Chart.js writes PNG only.
        };
        if chartjs.output.format != Format::Png {
            continue;
        }
        assert!(
            chartjs.chartjs.is_some(),
            "{name}: every config to Chart.js"
        );
        chartgate::chart::route::draw_everything_with_chartjs(false);
        let native = params::scripted_post(&body, &Limits::default(), Some(&script)).unwrap();
        chartgate::chart::route::draw_everything_with_chartjs(true);
        if native.chartjs.is_some() {
            continue; // routed to Chart.js anyway: nothing native to compare.
        }
        let (a, b) = (render(&native), render(&chartjs));
        if let Ok(dir) = std::env::var("NVC_DUMP") {
            let tag = size.map_or(String::new(), |(w, _)| format!("-{w}"));
            std::fs::write(format!("{dir}/{name}{tag}-native.png"), &a).unwrap();
            std::fs::write(format!("{dir}/{name}{tag}-chartjs.png"), &b).unwrap();
        }
        let share = differing(&a, &b);
        table.push(format!("{name:32} {:6.2}%", share * 100.0));
        let ceiling = ceilings.iter().find(|(n, _)| *n == name).map(|(_, c)| *c);
        match ceiling {
            Some(c) if share * 100.0 <= c => {}
            Some(c) => drifted.push(format!("{name}: {:.2}% (ceiling {c}%)", share * 100.0)),
            None => drifted.push(format!(
                "{name}: {:.2}%, not measured yet: add it to the ceilings",
                share * 100.0
            )),
        }
    }
    (table, drifted)
}

/// The gallery spec `body` with its canvas set to `size`.
fn resized(body: &[u8], size: Option<(u32, u32)>) -> Vec<u8> {
    let Some((w, h)) = size else {
        return body.to_vec();
    };
    let mut spec: serde_json::Value = serde_json::from_slice(body).unwrap();
    spec["width"] = w.into();
    spec["height"] = h.into();
    serde_json::to_vec(&spec).unwrap()
}

/// Compares the gallery at `size` (`what` names it) and fails on any chart
/// past its ceiling, after printing the table.
fn hold_to(size: Option<(u32, u32)>, ceilings: &[(&str, f64)], what: &str) {
    let (table, drifted) = compare_gallery(size, ceilings);
    println!(
        "native vs Chart.js{what}, pixels differing:\n{}",
        table.join("\n")
    );
    assert!(
        table.len() >= 20,
        "the gallery's PNG charts: {}",
        table.len()
    );
    assert!(
        drifted.is_empty(),
        "native charts{what} further from Chart.js than measured: {drifted:?}"
    );
}

#[test]
fn native_charts_move_no_further_from_chartjs() {
    hold_to(None, CEILING, "");
}

#[test]
fn small_native_charts_move_no_further_from_chartjs() {
    hold_to(Some((200, 150)), CEILING_SMALL, " at 200x150");
}
