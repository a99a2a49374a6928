//! A context made ahead (`prepare_ahead`) must be what a render would
//! have made itself: the same picture for the same config, seeded
//! `Math.random` included, and nothing left of the render before it.

use super::chartjs::{self, Canvas, Recording};
use super::{between_renders, sandbox};
use std::time::{Duration, Instant};

/// A v2 bar whose colors come from `Math.random`, in a scriptable option
/// as Chart.js 2.9's samples write them.
const RANDOM: &str = r#"{"type":"bar","data":{"labels":["a","b","c"],"datasets":[{"label":"r","data":[3,1,2],
  "backgroundColor":{"\u0000function":"function (ctx) { return 'rgb(' + Math.floor(Math.random() * 255) + ', 99, 132)'; }"}}]}}"#;

/// A v2 line whose tick callback changes what every later chart in its
/// context would inherit: Chart.js's defaults and `Object.prototype`.
const POLLUTER: &str = r#"{"type":"line","data":{"labels":["a","b"],"datasets":[{"label":"p","data":[1,2]}]},
  "options":{"scales":{"yAxes":[{"ticks":{"callback":{"\u0000function":"function (v) { Chart.defaults.global.defaultFontColor = '#ff0000'; Chart.defaults.global.legend.display = false; Object.prototype.color = 'red'; Math.random = function () { return 0; }; return v; }"}}}]}}}"#;

fn draw(config: &str) -> Recording {
    draw_with(config, 2)
}

fn draw_with(config: &str, version: u8) -> Recording {
    let canvas = Canvas {
        width: 300,
        height: 200,
        ratio: 1.0,
    };
    let measure: fn(&str, &str) -> f64 = |_, text| text.chars().count() as f64 * 6.0;
    let deadline = Instant::now() + Duration::from_secs(120);
    chartjs::record(config, version, canvas, deadline, measure).expect("Chart.js draws it")
}

/// Runs `f` on a thread of its own: the engine and its contexts are
/// per thread, so each case starts with none.
fn on_new_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().expect("no panic")
}

#[test]
fn a_context_made_ahead_draws_what_a_fresh_one_draws() {
    let fresh = on_new_thread(|| draw(RANDOM));
    let ahead = on_new_thread(|| {
        draw(POLLUTER);
        between_renders(true);
        assert!(sandbox::is_ready(("chartjsHost", 2)), "made ahead");
        let drawn = draw(RANDOM);
        assert!(
            !sandbox::is_ready(("chartjsHost", 2)),
            "taken by the render"
        );
        // The thread ends holding one made ahead: its engine frees it.
        between_renders(true);
        assert!(sandbox::is_ready(("chartjsHost", 2)));
        drawn
    });
    // Bit for bit (the recording holds NaNs, which `==` never equals).
    let bits = |r: &Recording| r.nums.iter().map(|n| n.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&fresh), bits(&ahead));
    assert_eq!(fresh.strs, ahead.strs);
    assert!(
        ahead.strs.iter().any(|s| s.ends_with(", 99, 132)")),
        "the bars' colors came from Math.random: {:?}",
        ahead.strs
    );
    assert!(
        !ahead
            .strs
            .iter()
            .any(|s| s.contains("#ff0000") || s == "red"),
        "nothing of the polluting render reached the next: {:?}",
        ahead.strs
    );
}

#[test]
fn a_busy_thread_makes_nothing_ahead() {
    on_new_thread(|| {
        draw(RANDOM);
        between_renders(false);
        assert!(!sandbox::is_ready(("chartjsHost", 2)));
    });
}

#[test]
fn a_render_of_another_version_frees_the_context_made_ahead() {
    on_new_thread(|| {
        draw(RANDOM);
        between_renders(true);
        assert!(sandbox::is_ready(("chartjsHost", 2)));
        let v4 = r#"{"type":"bar","data":{"labels":["a"],"datasets":[{"label":"x","data":[1]}]}}"#;
        draw_with(v4, 4);
        assert!(!sandbox::is_ready(("chartjsHost", 2)), "freed, not kept");
    });
}
