//! Render threads give way to chartgate's own request path, not to the
//! whole host.
//!
//! Renders used to run under `SCHED_IDLE`, which yields to every process on
//! the machine: beside two busy processes a 0.5 s chart got a 504 after 5 s.
//! Instead, render threads run at an ordinary priority, and at every drawing
//! call (`painter` calls `checkpoint`) a render thread looks, a few thousand
//! times a second at most, whether the request path answered a hit since
//! it last looked; if so it sleeps for `PAUSE`. While hits flow, renders run
//! at about a tenth of their speed and the hits keep the cores; when no
//! request arrives, or when other processes are what keeps the cores busy,
//! renders run at full speed. Renders never starve: a render stops pausing
//! once half of its deadline has passed, and runs at full speed from there.
//! Measured alternatives are in the README ("Renders beside hits").

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a thread looks at the request counter: reading a counter the
/// request path writes costs a cache miss, so not at every call.
const LOOK_EVERY: Duration = Duration::from_micros(250);

/// How long a thread pauses once it saw requests being answered: with
/// `LOOK_EVERY`, a render keeps about a tenth of a core while hits flow.
const PAUSE: Duration = Duration::from_millis(2);

/// Counts what the request path has answered so far.
pub(crate) type Answered = Arc<dyn Fn() -> u64 + Send + Sync>;

struct Yielder {
    answered: Answered,
    seen: u64,
    next_look: Instant,
    /// When the current render started: it pauses only in the first half
    /// of the time between this and its deadline.
    started: Instant,
}

thread_local! {
    static YIELDER: RefCell<Option<Yielder>> = const { RefCell::new(None) };
}

/// Makes the calling thread pause at checkpoints while `answered` moves.
pub(crate) fn install(answered: Answered) {
    let seen = answered();
    YIELDER.with(|y| {
        *y.borrow_mut() = Some(Yielder {
            answered,
            seen,
            next_look: Instant::now(),
            started: Instant::now(),
        })
    });
}

/// Marks the start of a render on this thread.
pub(crate) fn render_started(now: Instant) {
    YIELDER.with(|y| {
        if let Some(y) = y.borrow_mut().as_mut() {
            y.started = now;
        }
    });
}

/// Called between drawing calls, at `now`, by a render that must end by
/// `deadline`: pauses while the request path is busy, in the first half of
/// the render's time only. Whether it paused.
pub(crate) fn checkpoint(now: Instant, deadline: Instant) -> bool {
    let pause = YIELDER.with(|y| {
        let mut y = y.borrow_mut();
        let Some(y) = y.as_mut() else { return false };
        if now < y.next_look {
            return false;
        }
        y.next_look = now + LOOK_EVERY;
        let answered = (y.answered)();
        if answered == y.seen {
            return false;
        }
        y.seen = answered;
        let half = y.started + deadline.saturating_duration_since(y.started) / 2;
        now + PAUSE < half
    });
    if pause {
        std::thread::sleep(PAUSE);
    }
    pause
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

    #[test]
    fn pauses_only_while_requests_are_answered() {
        let counter = Arc::new(AtomicU64::new(0));
        let c = Arc::clone(&counter);
        install(Arc::new(move || c.load(Relaxed)));
        let t0 = Instant::now();
        render_started(t0);
        let far = t0 + Duration::from_secs(3600);
        let at = |n: u32| t0 + LOOK_EVERY * n;
        // Quiet: no pause, however often it is asked.
        assert!((0..100).all(|n| !checkpoint(at(n), far)));
        // Requests answered: the next look pauses, once.
        counter.fetch_add(1, Relaxed);
        assert!(checkpoint(at(200), far));
        assert!(!checkpoint(at(202), far));
        // Not before the next look is due.
        counter.fetch_add(1, Relaxed);
        assert!(!checkpoint(at(202), far));
        // A render past half of its time never pauses.
        counter.fetch_add(1, Relaxed);
        assert!(!checkpoint(at(300), at(500)));
        counter.fetch_add(1, Relaxed);
        assert!(checkpoint(at(310), at(1000)));
        YIELDER.with(|y| *y.borrow_mut() = None);
        assert!(
            !checkpoint(at(400), far),
            "threads without a yielder never pause"
        );
    }
}
