//! Per-thread event buffers and the batch channel to the collector.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use crossbeam_channel::{Sender, TrySendError};

use crate::trace::{Batch, Event, EventKind};

/// A buffer is handed over when it holds this many events…
const BATCH_EVENTS: usize = 4096;
/// …or when its oldest event is this old (keeps a live view current).
const BATCH_AGE_NS: u64 = 20_000_000;

/// What the collector receives: it is the only writer of the trace.
#[derive(Debug)]
pub enum Msg {
    Batch(Batch),
    /// A runtime-metrics sample (from the sampler thread), taken every `interval_ns`.
    Sample {
        sample: Box<crate::trace::RuntimeSample>,
        interval_ns: u64,
    },
    /// The run is over and every thread has flushed.
    End,
}

/// The event clock: the CPU's time-stamp counter where it is invariant (a few ns to read;
/// `clock_gettime` costs ≈20 ns here and was a quarter of the capture cost), calibrated
/// once per process; the monotonic clock elsewhere. Buffers hold raw ticks, converted to
/// ns from run start when the batch is handed over.
fn clock() -> &'static quanta::Clock {
    static CLOCK: OnceLock<quanta::Clock> = OnceLock::new();
    CLOCK.get_or_init(quanta::Clock::new)
}

/// One run's capture: the clock origin, the channel and the loss counters.
#[derive(Debug)]
pub struct Capture {
    clock: &'static quanta::Clock,
    start_raw: u64,
    /// [`BATCH_AGE_NS`] in clock ticks, so the hot path compares without converting.
    batch_age_ticks: u64,
    tx: Sender<Msg>,
    next_thread: AtomicU32,
    dropped: AtomicU64,
    sent: AtomicU64,
    closed: AtomicBool,
    /// Cleared when the trace reached its memory cap: later batches are counted as dropped.
    recording: AtomicBool,
    /// What each thread is polling right now, for a live view: a poll's start event may
    /// sit in the thread's buffer for as long as the poll lasts (minutes, for a runaway).
    markers: Mutex<Vec<Arc<ThreadMarker>>>,
}

/// The poll a thread is in, published with two relaxed atomic stores per poll.
#[derive(Debug)]
struct ThreadMarker {
    thread: u32,
    /// 0: not polling.
    task: AtomicU64,
    start_raw: AtomicU64,
}

/// A poll (or blocking closure) in progress: thread, task, start (ns from run start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InProgress {
    pub thread: u32,
    pub task: crate::trace::TaskId,
    pub start_ns: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaptureStats {
    pub sent: u64,
    pub dropped: u64,
}

impl Capture {
    pub fn new(tx: Sender<Msg>) -> Arc<Self> {
        let clock = clock();
        // ticks per ns, measured on a long span to keep the rounding error small
        let span: u64 = 1 << 40;
        let span_ns = clock.delta_as_nanos(0, span).max(1);
        let batch_age_ticks = (u128::from(BATCH_AGE_NS) * u128::from(span) / u128::from(span_ns))
            .min(u128::from(u64::MAX)) as u64;
        Arc::new(Capture {
            clock,
            start_raw: clock.raw(),
            batch_age_ticks,
            tx,
            next_thread: AtomicU32::new(0),
            dropped: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            closed: AtomicBool::new(false),
            recording: AtomicBool::new(true),
            markers: Mutex::new(Vec::new()),
        })
    }

    /// Nanoseconds since the run started, on the clock events are stamped with.
    pub fn now_ns(&self) -> u64 {
        self.clock.delta_as_nanos(self.start_raw, self.clock.raw())
    }

    pub fn stats(&self) -> CaptureStats {
        CaptureStats {
            sent: self.sent.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }

    fn send(&self, batch: Batch) {
        let n = batch.events.len() as u64;
        if self.closed.load(Ordering::Relaxed) || !self.recording.load(Ordering::Relaxed) {
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

    /// The polls in progress on every thread of the run, right now.
    pub fn in_progress(&self) -> Vec<InProgress> {
        let Ok(markers) = self.markers.lock() else {
            return Vec::new();
        };
        markers
            .iter()
            .filter_map(|m| {
                let task = m.task.load(Ordering::Acquire);
                let start = m.start_raw.load(Ordering::Relaxed);
                (task != 0).then(|| InProgress {
                    thread: m.thread,
                    task,
                    start_ns: self.clock.delta_as_nanos(self.start_raw, start),
                })
            })
            .collect()
    }

    /// Stops sending batches (the trace is full); they are counted as dropped instead.
    pub fn stop_recording(&self) {
        self.recording.store(false, Ordering::Relaxed);
    }

    /// Hands a runtime-metrics sample to the collector (from the sampler's thread, outside
    /// the runtime: it may wait a little for room, never forever).
    pub fn send_sample(&self, sample: crate::trace::RuntimeSample, interval_ns: u64) {
        if self.closed.load(Ordering::Relaxed) {
            return;
        }
        let msg = Msg::Sample {
            sample: Box::new(sample),
            interval_ns,
        };
        let _ = self
            .tx
            .send_timeout(msg, std::time::Duration::from_millis(100));
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
    /// Timestamps are raw clock ticks until [`Local::flush`].
    events: Vec<Event>,
    first_raw: u64,
    /// The clock reading of the newest event in the buffer (see [`record_untimed`]).
    last_raw: u64,
    marker: Arc<ThreadMarker>,
    /// A poll entered whose start is not in the buffer yet: `(task, start raw)`. If the
    /// poll ends before anything else is recorded on this thread, it goes in as one
    /// [`EventKind::Poll`]; otherwise its `PollStart` goes in first.
    open: Option<(crate::trace::TaskId, u64)>,
}

impl Local {
    fn flush(&mut self) {
        // Nothing is held back past a hand-over (a thread stopping mid-poll included).
        self.put_open();
        if self.events.is_empty() {
            return;
        }
        let mut events = std::mem::replace(&mut self.events, Vec::with_capacity(BATCH_EVENTS));
        let (clock, start) = (self.cap.clock, self.cap.start_raw);
        for e in &mut events {
            e.ts_ns = clock.delta_as_nanos(start, e.ts_ns);
            if let EventKind::Poll { end_ns, .. } = &mut e.kind {
                *end_ns = clock.delta_as_nanos(start, *end_ns);
            }
        }
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
    let marker = Arc::new(ThreadMarker {
        thread,
        task: AtomicU64::new(0),
        start_raw: AtomicU64::new(0),
    });
    if let Ok(mut m) = cap.markers.lock() {
        m.push(marker.clone());
    }
    let local = Local {
        cap: cap.clone(),
        thread,
        events: Vec::with_capacity(BATCH_EVENTS),
        first_raw: 0,
        last_raw: 0,
        marker,
        open: None,
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
    record_at(kind, true)
}

/// Appends an event stamped with the time of the newest event this thread recorded (the
/// clock is read only when the buffer is empty): for marks that come right after
/// another event with no work in between, which saves the clock read (a third of what an
/// event costs). The time can only be early, by whatever ran since that event.
#[inline]
pub fn record_untimed(kind: EventKind) {
    record_at(kind, false)
}

#[inline]
fn record_at(kind: EventKind, timed: bool) {
    LOCAL.with(|l| {
        let Ok(mut l) = l.try_borrow_mut() else {
            return;
        };
        let Some(local) = l.as_mut() else {
            return;
        };
        let raw = if timed || (local.events.is_empty() && local.open.is_none()) {
            local.cap.clock.raw()
        } else {
            local.last_raw
        };
        local.last_raw = raw;
        match kind {
            EventKind::PollStart { task } => {
                local.marker.start_raw.store(raw, Ordering::Relaxed);
                local.marker.task.store(task, Ordering::Release);
                // Held back: if nothing else happens in the poll, its end writes it whole.
                local.put_open();
                local.open = Some((task, raw));
                return;
            }
            EventKind::PollEnd { task } => {
                local.marker.task.store(0, Ordering::Release);
                match local.open {
                    // Nothing happened in the poll: one event, stamped with its start.
                    Some((t, start)) if t == task => {
                        local.open = None;
                        local.push(start, EventKind::Poll { task, end_ns: raw });
                    }
                    _ => {
                        local.put_open();
                        local.push(raw, EventKind::PollEnd { task });
                    }
                }
                return local.check(raw);
            }
            EventKind::BlockingStart { task } => {
                local.marker.start_raw.store(raw, Ordering::Relaxed);
                local.marker.task.store(task, Ordering::Release);
            }
            EventKind::BlockingEnd { .. } => {
                local.marker.task.store(0, Ordering::Release);
            }
            _ => {}
        }
        local.put_open();
        local.push(raw, kind);
        local.check(raw);
    });
}

impl Local {
    #[inline]
    fn push(&mut self, raw: u64, kind: EventKind) {
        if self.events.is_empty() {
            self.first_raw = raw;
        }
        self.events.push(Event { ts_ns: raw, kind });
    }

    /// Something else is recorded while a poll is open: its start goes in first.
    #[inline]
    fn put_open(&mut self) {
        if let Some((task, start)) = self.open.take() {
            self.push(start, EventKind::PollStart { task });
        }
    }

    /// Hands the buffer over when it is full or its oldest event is old.
    #[inline]
    fn check(&mut self, raw: u64) {
        if self.events.len() >= BATCH_EVENTS
            || raw.wrapping_sub(self.first_raw) > self.cap.batch_age_ticks
        {
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What one thread recorded, as the collector gets it.
    fn recorded(f: impl FnOnce() + Send + 'static) -> Vec<EventKind> {
        let (tx, rx) = crossbeam_channel::unbounded();
        let cap = Capture::new(tx);
        let c = cap.clone();
        std::thread::spawn(move || {
            attach_thread(&c);
            f();
            detach_thread();
        })
        .join()
        .expect("thread");
        cap.close();
        rx.iter()
            .take_while(|m| !matches!(m, Msg::End))
            .filter_map(|m| match m {
                Msg::Batch(b) => Some(b.events),
                _ => None,
            })
            .flatten()
            .map(|e| e.kind)
            .collect()
    }

    fn names(kinds: &[EventKind]) -> Vec<&'static str> {
        kinds
            .iter()
            .map(|k| match k {
                EventKind::Poll { .. } => "poll",
                EventKind::PollStart { .. } => "start",
                EventKind::PollEnd { .. } => "end",
                EventKind::Wake { .. } => "wake",
                _ => "other",
            })
            .collect()
    }

    #[test]
    fn a_poll_with_nothing_inside_is_one_event_and_one_with_a_wake_keeps_its_start() {
        let kinds = recorded(|| {
            record(EventKind::PollStart { task: 1 });
            record(EventKind::PollEnd { task: 1 });
            record(EventKind::PollStart { task: 2 });
            record(EventKind::Wake { task: 1 });
            record(EventKind::PollEnd { task: 2 });
            record(EventKind::Wake { task: 2 });
            // Still open when the thread stops: its start is kept.
            record(EventKind::PollStart { task: 3 });
        });
        assert_eq!(
            names(&kinds),
            ["poll", "start", "wake", "end", "wake", "start"]
        );
        let EventKind::Poll { task: 1, end_ns } = kinds[0] else {
            panic!("{:?}", kinds[0]);
        };
        assert!(
            end_ns < 60_000_000_000,
            "converted to ns from the start: {end_ns}"
        );
    }
}
