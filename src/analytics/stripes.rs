//! The hand-off from request threads to the aggregate.
//!
//! Each request thread appends its event to a buffer of its own stripe (one
//! per thread, chosen once per thread): a lock no other thread normally
//! takes, one copy, no allocation. A full buffer is swapped for a recycled
//! empty one and queued for the analytics thread, which folds it into the
//! aggregate. Queued batches are only ever removed under the aggregate's
//! lock, so a snapshot that drains the queue and the stripes under that lock
//! sees every event counted so far: the figures are exact, not sampled.
//!
//! If the analytics thread falls behind by `QUEUED_BATCHES`, the request
//! thread folds its batch in itself: slower, but nothing is lost.

use super::event::Event;
use crossbeam_channel::{bounded, Receiver, Sender, TrySendError};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Events per buffer.
pub(crate) const BATCH: usize = 256;
/// Full buffers that may wait for the analytics thread.
const QUEUED_BATCHES: usize = 64;

/// A stripe on a cache line of its own, so two threads never share one.
#[repr(align(128))]
struct Stripe(Mutex<Vec<Event>>);

pub(crate) struct Stripes {
    stripes: Box<[Stripe]>,
    queue_tx: Sender<Vec<Event>>,
    queue_rx: Receiver<Vec<Event>>,
    spare_tx: Sender<Vec<Event>>,
    spare_rx: Receiver<Vec<Event>>,
    wake_tx: Sender<()>,
}

/// Numbers the threads that record, so each gets a stripe of its own.
static NEXT_THREAD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static THREAD: usize = NEXT_THREAD.fetch_add(1, Relaxed);
}

fn lock(stripe: &Stripe) -> MutexGuard<'_, Vec<Event>> {
    stripe.0.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Stripes {
    /// Stripes for `threads` request threads; the receiver wakes the
    /// analytics thread when a batch is queued.
    pub(crate) fn new(threads: usize) -> (Stripes, Receiver<()>) {
        let n = threads.clamp(1, 256).next_power_of_two();
        let (queue_tx, queue_rx) = bounded(QUEUED_BATCHES);
        let (spare_tx, spare_rx) = bounded(QUEUED_BATCHES + n);
        let (wake_tx, wake_rx) = bounded(1);
        let stripes = (0..n)
            .map(|_| Stripe(Mutex::new(Vec::with_capacity(BATCH))))
            .collect();
        let stripes = Stripes {
            stripes,
            queue_tx,
            queue_rx,
            spare_tx,
            spare_rx,
            wake_tx,
        };
        (stripes, wake_rx)
    }

    /// Buffers one event. Returns a full batch only when the queue is full:
    /// the caller then folds it in itself.
    #[inline]
    pub(crate) fn push(&self, ev: Event) -> Option<Vec<Event>> {
        let i = THREAD.with(|t| *t) & (self.stripes.len() - 1);
        let mut buf = lock(&self.stripes[i]);
        buf.push(ev);
        if buf.len() < BATCH {
            return None;
        }
        let spare = self
            .spare_rx
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let full = std::mem::replace(&mut *buf, spare);
        // Queued before the stripe is unlocked: a snapshot that finds this
        // stripe empty finds the batch in the queue.
        match self.queue_tx.try_send(full) {
            Ok(()) => {
                let _ = self.wake_tx.try_send(());
                None
            }
            Err(TrySendError::Full(batch) | TrySendError::Disconnected(batch)) => Some(batch),
        }
    }

    /// Hands every partial buffer, then every queued batch, to `fold`. Call
    /// with the aggregate locked. Stripes first: a batch queued meanwhile is
    /// still caught by the queue drain.
    pub(crate) fn drain(&self, mut fold: impl FnMut(&[Event])) {
        for stripe in self.stripes.iter() {
            let mut buf = lock(stripe);
            fold(&buf);
            buf.clear();
        }
        self.drain_queue(fold);
    }

    /// Hands the queued batches only (the analytics thread's share).
    pub(crate) fn drain_queue(&self, mut fold: impl FnMut(&[Event])) {
        while let Ok(batch) = self.queue_rx.try_recv() {
            fold(&batch);
            self.recycle(batch);
        }
    }

    pub(crate) fn recycle(&self, mut batch: Vec<Event>) {
        batch.clear();
        let _ = self.spare_tx.try_send(batch);
    }

    /// Most events that can sit in buffers and the queue at once.
    pub(crate) fn max_buffered(&self) -> usize {
        (self.stripes.len() + QUEUED_BATCHES) * BATCH
    }
}
