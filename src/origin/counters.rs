//! One origin's figures: requests by how they were answered, calls to the
//! origin and their durations, failures, and the origin time hits saved.
//! `/metrics` writes them as `chartgate_origin_*` families and `/stats`
//! shows them per origin. Atomic adds only: no lock on any answer.

use crate::labels::OriginOutcome;
use crate::metrics::{header, Histogram};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

#[derive(Default)]
pub(crate) struct Counters {
    outcomes: [AtomicU64; OriginOutcome::ALL.len()],
    /// Every call made to the origin, however it ended.
    calls: Histogram,
    /// Calls that failed: refused, timed out, cut off, or a 5xx.
    failures: AtomicU64,
    /// Sum over answers from a tier of what the call that made them took.
    saved_micros: AtomicU64,
}

impl Counters {
    pub(crate) fn answered(&self, outcome: OriginOutcome, call_time: Duration) {
        self.outcomes[outcome.index()].fetch_add(1, Relaxed);
        if outcome.is_hit() {
            let micros = u64::try_from(call_time.as_micros()).unwrap_or(u64::MAX);
            self.saved_micros.fetch_add(micros, Relaxed);
        }
    }

    pub(crate) fn called(&self, took: Duration, failed: bool) {
        self.calls.observe(took);
        if failed {
            self.failures.fetch_add(1, Relaxed);
        }
    }

    pub(crate) fn count(&self, outcome: OriginOutcome) -> u64 {
        self.outcomes[outcome.index()].load(Relaxed)
    }

    /// The `/stats` figures of this origin.
    pub(crate) fn stats(&self, name: &str) -> serde_json::Value {
        let lookups: u64 = OriginOutcome::ALL.iter().map(|o| self.count(*o)).sum();
        let hits: u64 = OriginOutcome::ALL
            .iter()
            .filter(|o| o.is_hit())
            .map(|o| self.count(*o))
            .sum();
        let mut by = serde_json::Map::new();
        for o in OriginOutcome::ALL {
            by.insert(o.metric_label().into(), self.count(o).into());
        }
        serde_json::json!({
            "name": name,
            "lookups": lookups,
            "hit_ratio": if lookups == 0 { 0.0 } else { hits as f64 / lookups as f64 },
            "by_outcome": by,
            "origin_calls": self.calls.count(),
            "origin_errors": self.failures.load(Relaxed),
            "origin_seconds_saved": self.saved_micros.load(Relaxed) as f64 / 1e6,
        })
    }
}

/// The `chartgate_origin_*` families for every origin, in `/metrics`.
pub(crate) fn write_metrics<'a>(
    out: &mut String,
    origins: impl Iterator<Item = (&'a str, &'a Counters)> + Clone,
) {
    let name = "chartgate_origin_requests_total";
    header(
        out,
        name,
        "counter",
        "Requests to fronted origins, by origin and how they were answered.",
    );
    for (origin, c) in origins.clone() {
        for o in OriginOutcome::ALL {
            let n = c.count(o);
            let _ = writeln!(
                out,
                "{name}{{origin=\"{origin}\",outcome=\"{}\"}} {n}",
                o.metric_label()
            );
        }
    }
    let name = "chartgate_origin_duration_seconds";
    header(out, name, "histogram", "Time one call to a fronted origin took, to its answer's head (or its whole body when kept).");
    for (origin, c) in origins.clone() {
        c.calls.write(out, name, &format!("origin=\"{origin}\","));
    }
    let name = "chartgate_origin_errors_total";
    header(
        out,
        name,
        "counter",
        "Calls to a fronted origin that failed: refused, timed out, cut off, or a 5xx.",
    );
    for (origin, c) in origins {
        let _ = writeln!(
            out,
            "{name}{{origin=\"{origin}\"}} {}",
            c.failures.load(Relaxed)
        );
    }
}
