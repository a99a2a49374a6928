//! The render pool: a bounded queue in front of a fixed set of render threads.
//!
//! Two separate bounds, as in imgproxy: `render.workers` threads draw at once,
//! and at most `render.queue` renders wait for one; past that a render is
//! refused at once (`Overloaded`) instead of queueing without bound. Renders
//! run on their own OS threads, never on the async workers; while the
//! request path is answering requests, render threads pause between
//! drawing calls (`yielding`), so cache hits keep the cores without renders
//! stalling when other processes load the host.
//! `render.nice` and `render.sched_idle` lower the OS priority further.
//!
//! A render that panics is caught on its thread and reported as `Panic`; the
//! thread lives on. A render past its deadline is reported as `Timeout`.

use super::yielding::Answered;
use super::{RenderError, Renderer};
use crate::chart::Prepared;
use crate::config::{RenderConfig, ScriptConfig};
use crate::labels::RenderOutcome;
use crate::metrics::Metrics;
use bytes::Bytes;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Why a render produced no image. Shared by the render's leader and every
/// request waiting on it, so it is cheap to clone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderFailure {
    /// The queue was full: shed with `overloaded` and `Retry-After`.
    Overloaded,
    /// The spec could not be drawn: the client's fault.
    Invalid(String),
    /// A script of the render reached a sandbox limit: the client's too.
    Limit(String),
    /// Past `render.timeout_ms`.
    Timeout,
    /// The renderer panicked; nothing was cached.
    Panic,
}

/// A finished render.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub took: Duration,
    /// Characters drawn as boxes: no loaded font has them.
    pub missing_glyphs: u32,
}

/// How long a render that ran past its deadline may hold its key before
/// its waiters are answered anyway (see `RenderPool::render`).
const OVERRUN_GRACE: Duration = Duration::from_secs(1);

/// Past its deadline by more than this, a render is logged: every drawing
/// call checks the deadline, so only a single huge primitive gets here.
const OVERRUN_WARN: Duration = Duration::from_millis(50);

/// Called on the render thread with each chart drawn successfully (the
/// application hands analytics' store in here).
pub type OnRendered = Arc<dyn Fn(&Prepared) + Send + Sync>;

struct Job {
    chart: Arc<Prepared>,
    deadline: Instant,
    reply: oneshot::Sender<Result<Rendered, RenderFailure>>,
}

pub struct RenderPool {
    queue: crossbeam_channel::Sender<Job>,
    timeout: Duration,
    metrics: Arc<Metrics>,
}

impl RenderPool {
    /// Starts `cfg.worker_count()` render threads. They stop when the pool is
    /// dropped and the queue drains.
    pub fn new(
        renderer: Arc<dyn Renderer>,
        cfg: &RenderConfig,
        script: &ScriptConfig,
        metrics: Arc<Metrics>,
        on_rendered: Option<OnRendered>,
    ) -> Self {
        let (queue, jobs) = crossbeam_channel::bounded::<Job>(cfg.queue);
        for i in 0..cfg.worker_count() {
            let jobs = jobs.clone();
            let renderer = Arc::clone(&renderer);
            let metrics = Arc::clone(&metrics);
            let on_rendered = on_rendered.clone();
            let cfg = cfg.clone();
            let script = script.clone();
            // Render threads give way to the request path (see `yielding`).
            let answered: Option<Answered> = cfg.yield_to_requests.then(|| {
                let m = Arc::clone(&metrics);
                Arc::new(move || m.hits_answered()) as Answered
            });
            std::thread::Builder::new()
                .name(format!("render-{i}"))
                .spawn(move || {
                    lower_priority(cfg.nice, cfg.sched_idle);
                    super::bound_thread_caches(&cfg);
                    // A render's callbacks run under the `[script]` limits.
                    crate::script::set_thread_limits(&script);
                    if let Some(answered) = answered {
                        super::yielding::install(answered);
                    }
                    for job in &jobs {
                        run_job(&*renderer, &metrics, on_rendered.as_deref(), job);
                        // After the answer, off its request's path: what a
                        // Chart.js render left in the engine is freed, and
                        // with no render waiting, the next one's context
                        // made (another idle thread takes a render that
                        // comes meanwhile).
                        crate::script::between_renders(jobs.is_empty());
                    }
                })
                .expect("spawn render thread");
        }
        RenderPool {
            queue,
            timeout: Duration::from_millis(cfg.timeout_ms),
            metrics,
        }
    }

    /// Queues one render and waits for it, at most `render.timeout_ms` from now.
    pub async fn render(&self, chart: Arc<Prepared>) -> Result<Rendered, RenderFailure> {
        let deadline = Instant::now() + self.timeout;
        let (reply, done) = oneshot::channel();
        let job = Job {
            chart,
            deadline,
            reply,
        };
        // Count before sending, so a worker's decrement never precedes it.
        self.metrics.render_queue_depth.fetch_add(1, Relaxed);
        if self.queue.try_send(job).is_err() {
            self.metrics.render_queue_depth.fetch_sub(1, Relaxed);
            self.metrics.render_rejected.fetch_add(1, Relaxed);
            return Err(RenderFailure::Overloaded);
        }
        tokio::pin!(done);
        match tokio::time::timeout_at(deadline.into(), &mut done).await {
            Ok(Ok(result)) => result,
            // The worker dropped the reply: only when it panicked outside the
            // renderer, which is still a failed render.
            Ok(Err(_)) => Err(RenderFailure::Panic),
            Err(_) => {
                // The worker stops at its next checkpoint, a few milliseconds
                // on. Waiting for it keeps this render's flight (and Redis
                // lease) in place until then, so the same chart never runs
                // twice at once, even when it is asked for again right after
                // its 504. A renderer that never checks its deadline holds
                // the flight no longer than `OVERRUN_GRACE`.
                let _ = tokio::time::timeout(OVERRUN_GRACE, done).await;
                Err(RenderFailure::Timeout)
            }
        }
    }
}

fn run_job(
    renderer: &dyn Renderer,
    metrics: &Metrics,
    on_rendered: Option<&(dyn Fn(&Prepared) + Send + Sync)>,
    job: Job,
) {
    metrics.render_queue_depth.fetch_sub(1, Relaxed);
    let start = Instant::now();
    let drawer = job.chart.req.drawer();
    if start >= job.deadline {
        metrics.render_finished(RenderOutcome::Timeout, drawer, Duration::ZERO);
        let _ = job.reply.send(Err(RenderFailure::Timeout));
        return;
    }
    metrics.renders_in_flight.fetch_add(1, Relaxed);
    super::yielding::render_started(start);
    super::fonts::take_missing();
    let result = catch_unwind(AssertUnwindSafe(|| {
        renderer.render(&job.chart.req, job.deadline)
    }));
    let missing_glyphs = count_missing(metrics);
    metrics.renders_in_flight.fetch_sub(1, Relaxed);
    let took = start.elapsed();
    let overrun = Instant::now().saturating_duration_since(job.deadline);
    if overrun > OVERRUN_WARN {
        tracing::warn!(
            overrun_ms = overrun.as_millis() as u64,
            "a render stopped late after its deadline"
        );
    }
    let (outcome, result) = match result {
        Ok(Ok(body)) if Instant::now() <= job.deadline => {
            let done = Rendered {
                body,
                took,
                missing_glyphs,
            };
            (RenderOutcome::Ok, Ok(done))
        }
        Ok(Ok(_)) | Ok(Err(RenderError::Timeout)) => {
            (RenderOutcome::Timeout, Err(RenderFailure::Timeout))
        }
        Ok(Err(RenderError::Invalid(msg))) => {
            (RenderOutcome::Error, Err(RenderFailure::Invalid(msg)))
        }
        Ok(Err(RenderError::Limit(msg))) => (RenderOutcome::Error, Err(RenderFailure::Limit(msg))),
        Err(_) => (RenderOutcome::Panic, Err(RenderFailure::Panic)),
    };
    metrics.render_finished(outcome, drawer, took);
    if let (Ok(_), Some(on_rendered)) = (&result, on_rendered) {
        on_rendered(&job.chart);
    }
    let _ = job.reply.send(result);
}

/// Counts and logs the glyphs the render on this thread drew as boxes;
/// returns how many.
fn count_missing(metrics: &Metrics) -> u32 {
    let mut total = 0;
    for (script, n) in super::fonts::take_missing() {
        metrics.missing_glyphs(script, n);
        tracing::warn!(
            script,
            glyphs = n,
            fonts = super::fonts::covering(script),
            "characters drawn as boxes: no loaded font has them (add one to fonts.dirs)"
        );
        total += n;
    }
    u32::try_from(total).unwrap_or(u32::MAX)
}

/// Gives this thread a lower scheduling priority when configured: `nice`,
/// then `SCHED_IDLE`. On Linux both apply to the calling thread alone.
/// Failure only costs fairness, so it is logged, not fatal.
///
/// Neither is on by default any more: both make renders give way to every
/// process on the host, and beside two busy processes renders then ran into
/// their deadline. Hits keep the cores by `yielding` instead (README,
/// "Renders beside hits, and beside other processes").
fn lower_priority(nice: i32, sched_idle: bool) {
    #[cfg(target_os = "linux")]
    // SAFETY: plain syscalls on the calling thread; `param` outlives the call.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        if nice != 0 && libc::setpriority(libc::PRIO_PROCESS, tid, nice) != 0 {
            tracing::warn!(nice, "could not lower render thread priority");
        }
        let param = libc::sched_param { sched_priority: 0 };
        if sched_idle && libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            tracing::warn!("could not put the render thread under SCHED_IDLE");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (nice, sched_idle);
}
