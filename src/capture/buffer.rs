//! Per-thread event buffers and the batch channel to the collector.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::Instant;

use crossbeam_channel::{Sender, TrySendError};

use crate::trace::{Batch, Event, EventKind};

/// A buffer is handed over when it holds this many events…
const BATCH_EVENTS: usize = 4096;
/// …or when its oldest event is this old (keeps a live view current).
const BATCH_AGE_NS: u64 = 20_000_000;

/// What the collector receives.
#[derive(Debug)]
pub enum Msg {
    Batch(Batch),
    /// The run is over and every thread has flushed.
    End,
}

/// One run's capture: the clock origin, the channel and the loss counters.
#[derive(Debug)]
pub struct Capture {
    start: Instant,
    tx: Sender<Msg>,
    next_thread: AtomicU32,
    dropped: AtomicU64,
    sent: AtomicU64,
    closed: AtomicBool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaptureStats {
    pub sent: u64,
    pub dropped: u64,
}

impl Capture {
    pub fn new(tx: Sender<Msg>) -> Arc<Self> {
        Arc::new(Capture {
            start: Instant::now(),
            tx,
            next_thread: AtomicU32::new(0),
            dropped: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        })
    }

    pub fn start(&self) -> Instant {
        self.start
    }

    pub fn now_ns(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    pub fn stats(&self) -> CaptureStats {
        CaptureStats {
            sent: self.sent.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }

    fn send(&self, batch: Batch) {
        let n = batch.events.len() as u64;
        if self.closed.load(Ordering::Relaxed) {
            self.dropped.fetch_add(n, Ordering::Relaxed);
            return;
        }
        match self.tx.try_send(Msg::Batch(batch)) {
            Ok(()) => {
                self.sent.fetch_add(n, Ordering::Relaxed);
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.dropped.fetch_add(n, Ordering::Relaxed);
            }
        }
    }

    /// Tells the collector the run is over. Events recorded afterwards (a thread that
    /// outlived the shutdown timeout) are counted as dropped.
    pub fn close(&self) {
        if !self.closed.swap(true, Ordering::SeqCst) {
            // Blocking send: the collector is draining, and End must not be lost.
            let _ = self.tx.send(Msg::End);
        }
    }
}

struct Local {
    cap: Arc<Capture>,
    thread: u32,
    events: Vec<Event>,
}

impl Local {
    fn flush(&mut self) {
        if self.events.is_empty() {
            return;
        }
        let events = std::mem::replace(&mut self.events, Vec::with_capacity(BATCH_EVENTS));
        self.cap.send(Batch {
            thread: self.thread,
            events,
        });
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        self.flush();
    }
}

thread_local! {
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Makes this thread record into `cap` (a runtime thread starting, or the thread that
/// drives `block_on`).
pub fn attach_thread(cap: &Arc<Capture>) {
    let thread = cap.next_thread.fetch_add(1, Ordering::Relaxed);
    let local = Local {
        cap: cap.clone(),
        thread,
        events: Vec::with_capacity(BATCH_EVENTS),
    };
    LOCAL.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            // Replacing an older attachment flushes it (its Drop).
            *l = Some(local);
        }
    });
}

/// Flushes and stops recording on this thread.
pub fn detach_thread() {
    let local = LOCAL.with(|l| l.try_borrow_mut().ok().and_then(|mut l| l.take()));
    drop(local);
}

/// Hands this thread's buffer to the collector now.
pub fn flush() {
    LOCAL.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut()
            && let Some(local) = l.as_mut()
        {
            local.flush();
        }
    });
}

/// Whether this thread records into a run.
pub fn is_attached() -> bool {
    LOCAL.with(|l| l.try_borrow().map(|l| l.is_some()).unwrap_or(false))
}

/// Appends one event to this thread's buffer (a no-op on threads outside any run).
#[inline]
pub fn record(kind: EventKind) {
    LOCAL.with(|l| {
        let Ok(mut l) = l.try_borrow_mut() else {
            return;
        };
        let Some(local) = l.as_mut() else {
            return;
        };
        let ts_ns = local.cap.start.elapsed().as_nanos() as u64;
        local.events.push(Event { ts_ns, kind });
        let len = local.events.len();
        if len >= BATCH_EVENTS || ts_ns.saturating_sub(local.events[0].ts_ns) > BATCH_AGE_NS {
            local.flush();
        }
    });
}
