//! One origin's figures: requests by how they were answered, calls to the
//! origin and their durations, failures, and the origin time hits saved.
//! `/metrics` writes them as `chartgate_origin_*` families and `/stats`
//! shows them per origin (summed over replicas by the analytics). Atomic adds only: no lock on any answer.

use crate::analytics::OriginStat;
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

    /// This origin's figures for `/stats` (summed over replicas there);
    /// `gate` is (calls running, calls waiting) now.
    pub(crate) fn stat(&self, name: &str, (in_flight, waiting): (usize, usize)) -> OriginStat {
        let outcomes = OriginOutcome::ALL
            .iter()
            .map(|o| (o.metric_label().to_owned(), self.count(*o)))
            .collect();
        OriginStat {
            name: name.to_owned(),
            outcomes,
            calls: self.calls.count(),
            errors: self.failures.load(Relaxed),
            saved_us: self.saved_micros.load(Relaxed),
            in_flight: in_flight as u64,
            waiting: waiting as u64,
        }
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
