//! Per-thread event buffers and the batch channel to the collector.

use std::cell::{RefCell, UnsafeCell};
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
    Batch(Captured),
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

    fn send(&self, batch: Captured) {
        let n = batch.len() as u64;
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

/// One record of a thread's buffer: 16 bytes, a raw clock reading and a packed word (a tag
/// in the top four bits, its payload below). Rare or large events go beside the records, in
/// the buffer's `side` list, with a [`tag::SIDE`] record keeping their place and time.
#[derive(Clone, Copy, Debug)]
struct Rec {
    raw: u64,
    word: u64,
}

/// The records' tags.
mod tag {
    pub const SHIFT: u32 = 60;
    /// A whole poll: `word` = duration in ticks << [`TASK_BITS`] | task; `raw` is its start.
    pub const POLL: u64 = 0;
    pub const POLL_START: u64 = 1;
    pub const POLL_END: u64 = 2;
    pub const WAKE: u64 = 3;
    pub const BLOCKING_START: u64 = 4;
    pub const BLOCKING_END: u64 = 5;
    pub const TERMINATE: u64 = 6;
    pub const PARK: u64 = 7;
    pub const UNPARK: u64 = 8;
    pub const STEP_ENTER: u64 = 9;
    pub const STEP_EXIT: u64 = 10;
    /// `word` = exit << 30 | enter.
    pub const STEP_NEXT: u64 = 11;
    /// The next event of the buffer's side list.
    pub const SIDE: u64 = 15;

    pub const PAYLOAD: u64 = (1 << SHIFT) - 1;
    /// A whole poll's task id fits in this many bits, its duration (ticks) in the rest.
    pub const TASK_BITS: u32 = 38;
    pub const TASK_MASK: u64 = (1 << TASK_BITS) - 1;
    pub const DUR_MAX: u64 = (1 << (SHIFT - TASK_BITS)) - 1;
    pub const STEP_BITS: u32 = 30;
    pub const STEP_MASK: u64 = (1 << STEP_BITS) - 1;
}

/// A thread's buffer as the collector receives it: raw ticks, decoded there
/// ([`Captured::decode`]), so the thread under study never converts or formats.
#[derive(Debug)]
pub struct Captured {
    /// Per-run index of the thread (order of attachment).
    pub thread: u32,
    recs: Vec<Rec>,
    side: Vec<EventKind>,
    clock: &'static quanta::Clock,
    start_raw: u64,
}

impl Captured {
    /// How many events this batch holds.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// The time of the batch's first event, in ns from the run's start.
    pub fn first_ns(&self) -> Option<u64> {
        self.recs
            .first()
            .map(|r| self.clock.delta_as_nanos(self.start_raw, r.raw))
    }

    /// The events, with times in ns from the run's start.
    pub fn decode(self) -> Batch {
        let (clock, start) = (self.clock, self.start_raw);
        let ns = |raw: u64| clock.delta_as_nanos(start, raw);
        let mut side = self.side.into_iter();
        let mut events = Vec::with_capacity(self.recs.len());
        for r in &self.recs {
            let payload = r.word & tag::PAYLOAD;
            let kind = match r.word >> tag::SHIFT {
                tag::POLL => EventKind::Poll {
                    task: payload & tag::TASK_MASK,
                    end_ns: ns(r.raw.wrapping_add(payload >> tag::TASK_BITS)),
                },
                tag::POLL_START => EventKind::PollStart { task: payload },
                tag::POLL_END => EventKind::PollEnd { task: payload },
                tag::WAKE => EventKind::Wake { task: payload },
                tag::BLOCKING_START => EventKind::BlockingStart { task: payload },
                tag::BLOCKING_END => EventKind::BlockingEnd { task: payload },
                tag::TERMINATE => EventKind::Terminate { task: payload },
                tag::PARK => EventKind::Park,
                tag::UNPARK => EventKind::Unpark,
                tag::STEP_ENTER => EventKind::StepEnter {
                    step: payload as u32,
                },
                tag::STEP_EXIT => EventKind::StepExit {
                    step: payload as u32,
                },
                tag::STEP_NEXT => EventKind::StepNext {
                    exit: (payload >> tag::STEP_BITS) as u32,
                    enter: (payload & tag::STEP_MASK) as u32,
                },
                _ => match side.next() {
                    Some(kind) => kind,
                    None => continue,
                },
            };
            events.push(Event {
                ts_ns: ns(r.raw),
                kind,
            });
        }
        Batch {
            thread: self.thread,
            events,
        }
    }
}

/// The hot half of a thread's buffer state: plain data with a const initialiser and no
/// destructor, so reaching it is one thread-pointer offset (no lazy-init check, no
/// `RefCell`), and recording is a store and one compare. `ptr` is null on threads that
/// record nothing. Everything that owns memory is in [`Local`], touched only when a buffer
/// is handed over.
struct Hot {
    /// Where the next record goes, inside `Local::recs`' allocation, and its end.
    ptr: *mut Rec,
    end: *mut Rec,
    /// The buffer is handed over at the first record after this clock reading.
    flush_at: u64,
    /// The clock reading of the newest event (see [`record_untimed`]).
    last_raw: u64,
    /// A poll entered whose start is not in the buffer yet (task 0: none). If the poll
    /// ends before anything else is recorded on this thread, it goes in as one
    /// [`EventKind::Poll`]; otherwise its `PollStart` goes in first.
    open_task: u64,
    open_raw: u64,
    clock: Option<&'static quanta::Clock>,
    marker: *const ThreadMarker,
}

impl Hot {
    const DETACHED: Hot = Hot {
        ptr: std::ptr::null_mut(),
        end: std::ptr::null_mut(),
        flush_at: 0,
        last_raw: 0,
        open_task: 0,
        open_raw: 0,
        clock: None,
        marker: std::ptr::null(),
    };
}

/// The cold half: what owns the buffer, and the side list of rare events.
struct Local {
    cap: Arc<Capture>,
    thread: u32,
    /// The records' allocation; its length is set from `Hot::ptr` at hand-over.
    recs: Vec<Rec>,
    side: Vec<EventKind>,
    marker: Arc<ThreadMarker>,
}

thread_local! {
    static HOT: UnsafeCell<Hot> = const { UnsafeCell::new(Hot::DETACHED) };
    static LOCAL: RefCell<Option<Local>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread's hot state if the thread records.
///
/// SAFETY of the `&mut`: the state is this thread's own, and nothing reached from `f`
/// records again (the hand-over sends on a channel and allocates, which records nothing),
/// so no second reference exists while `f` runs.
#[inline(always)]
fn with_hot(f: impl FnOnce(&mut Hot)) {
    let _ = HOT.try_with(|h| {
        // SAFETY: see above.
        let h = unsafe { &mut *h.get() };
        if !h.ptr.is_null() {
            f(h);
        }
    });
}

impl Hot {
    #[inline(always)]
    fn now(&mut self) -> u64 {
        let raw = self.clock.map_or(0, quanta::Clock::raw);
        self.last_raw = raw;
        raw
    }

    /// Writes a record at `ptr`. `ptr` is always below `end` between calls: a buffer is
    /// handed over as soon as `ptr` reaches `end`, and the allocation has one slot more.
    #[inline(always)]
    fn append(&mut self, raw: u64, word: u64) {
        // SAFETY: see above.
        unsafe {
            self.ptr.write(Rec { raw, word });
            self.ptr = self.ptr.add(1);
        }
    }

    /// Appends a record; hands the buffer over when it is full or old.
    #[inline(always)]
    fn push(&mut self, raw: u64, word: u64) {
        self.append(raw, word);
        if self.ptr == self.end || raw > self.flush_at {
            self.hand_over();
        }
    }

    /// A record carrying a task id, or the whole event beside the records when the id
    /// does not fit in the payload.
    #[inline(always)]
    fn push_task(&mut self, raw: u64, tag: u64, task: u64) {
        if task <= tag::PAYLOAD {
            self.push(raw, tag << tag::SHIFT | task);
        } else {
            self.push_side(raw, task_kind(tag, task));
        }
    }

    /// Something else is recorded while a poll is open: its start goes in first.
    #[inline(always)]
    fn put_open(&mut self) {
        if self.open_task != 0 {
            let (task, raw) = (self.open_task, self.open_raw);
            self.open_task = 0;
            self.push_task(raw, tag::POLL_START, task);
        }
    }

    #[inline(always)]
    fn poll_start(&mut self, task: u64) {
        let raw = self.now();
        // SAFETY: the marker lives as long as the thread's `Local`, which detaches (nulls
        // `ptr`) before it drops.
        let marker = unsafe { &*self.marker };
        marker.start_raw.store(raw, Ordering::Relaxed);
        marker.task.store(task, Ordering::Release);
        // Held back: if nothing else happens in the poll, its end writes it whole.
        self.put_open();
        self.open_task = task;
        self.open_raw = raw;
    }

    #[inline(always)]
    fn poll_end(&mut self, task: u64) {
        let raw = self.now();
        // SAFETY: as in `poll_start`.
        unsafe { &*self.marker }.task.store(0, Ordering::Release);
        let dur = raw.wrapping_sub(self.open_raw);
        if self.open_task == task && task <= tag::TASK_MASK && dur <= tag::DUR_MAX {
            // Nothing happened in the poll: one record, stamped with its start.
            self.open_task = 0;
            self.push(self.open_raw, dur << tag::TASK_BITS | task);
        } else {
            self.put_open();
            self.push_task(raw, tag::POLL_END, task);
        }
    }

    #[cold]
    #[inline(never)]
    fn push_side(&mut self, raw: u64, kind: EventKind) {
        let pushed = LOCAL.with(|l| match l.try_borrow_mut() {
            Ok(mut l) => l.as_mut().map(|l| l.side.push(kind)).is_some(),
            Err(_) => false,
        });
        if pushed {
            self.push(raw, tag::SIDE << tag::SHIFT);
        }
    }

    #[cold]
    #[inline(never)]
    fn hand_over(&mut self) {
        LOCAL.with(|l| {
            if let Ok(mut l) = l.try_borrow_mut()
                && let Some(local) = l.as_mut()
            {
                local.flush(self);
            }
        });
    }
}

/// The event of a task-carrying tag, for an id too large to pack.
fn task_kind(tag: u64, task: u64) -> EventKind {
    match tag {
        tag::POLL_START => EventKind::PollStart { task },
        tag::POLL_END => EventKind::PollEnd { task },
        tag::WAKE => EventKind::Wake { task },
        tag::BLOCKING_START => EventKind::BlockingStart { task },
        tag::BLOCKING_END => EventKind::BlockingEnd { task },
        _ => EventKind::Terminate { task },
    }
}

impl Local {
    /// Hands the buffer over and gives `hot` a fresh one. Nothing is held back past a
    /// hand-over (a thread stopping mid-poll included).
    fn flush(&mut self, hot: &mut Hot) {
        if hot.open_task != 0 {
            // Written in place (not pushed: this is the hand-over already).
            let (task, raw) = (hot.open_task, hot.open_raw);
            hot.open_task = 0;
            let word = if task <= tag::PAYLOAD {
                tag::POLL_START << tag::SHIFT | task
            } else {
                self.side.push(EventKind::PollStart { task });
                tag::SIDE << tag::SHIFT
            };
            hot.append(raw, word);
        }
        // SAFETY: `ptr` is inside (or one past) `recs`' allocation, every record before it
        // written.
        let len = unsafe { hot.ptr.offset_from(self.recs.as_ptr()) } as usize;
        hot.flush_at = hot.last_raw.saturating_add(self.cap.batch_age_ticks);
        if len == 0 {
            return;
        }
        // SAFETY: as above.
        unsafe { self.recs.set_len(len) };
        let recs = std::mem::replace(&mut self.recs, Vec::with_capacity(BATCH_EVENTS + 1));
        self.arm(hot);
        let side = std::mem::take(&mut self.side);
        self.cap.send(Captured {
            thread: self.thread,
            recs,
            side,
            clock: self.cap.clock,
            start_raw: self.cap.start_raw,
        });
    }

    /// Points `hot` at this buffer. One slot past `BATCH_EVENTS` stays free for a poll
    /// start that a hand-over writes.
    fn arm(&mut self, hot: &mut Hot) {
        let base = self.recs.as_mut_ptr();
        hot.ptr = base;
        // SAFETY: the allocation holds BATCH_EVENTS + 1 records.
        hot.end = unsafe { base.add(BATCH_EVENTS) };
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        let _ = HOT.try_with(|h| {
            // SAFETY: this thread's own state; nothing else holds it while a thread's
            // `Local` drops.
            let hot = unsafe { &mut *h.get() };
            if !hot.ptr.is_null() {
                self.flush(hot);
            }
            *hot = Hot::DETACHED;
        });
    }
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
    // Replacing an older attachment flushes it (its Drop) and detaches.
    detach_thread();
    let mut local = Local {
        cap: cap.clone(),
        thread,
        recs: Vec::with_capacity(BATCH_EVENTS + 1),
        side: Vec::new(),
        marker,
    };
    let _ = HOT.try_with(|h| {
        // SAFETY: this thread's own state, not borrowed anywhere now.
        let hot = unsafe { &mut *h.get() };
        *hot = Hot::DETACHED;
        local.arm(hot);
        hot.clock = Some(cap.clock);
        hot.marker = Arc::as_ptr(&local.marker);
        hot.last_raw = cap.clock.raw();
        hot.flush_at = hot.last_raw.saturating_add(cap.batch_age_ticks);
    });
    LOCAL.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
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
    with_hot(Hot::hand_over);
}

/// Whether this thread records into a run.
#[inline]
pub fn is_attached() -> bool {
    HOT.try_with(|h| {
        // SAFETY: a read of this thread's own state.
        !unsafe { &*h.get() }.ptr.is_null()
    })
    .unwrap_or(false)
}

/// A task's poll begins on this thread (the hot path: no event is built).
#[inline]
pub fn poll_start(task: crate::trace::TaskId) {
    with_hot(|h| h.poll_start(task));
}

/// A task's poll ends on this thread.
#[inline]
pub fn poll_end(task: crate::trace::TaskId) {
    with_hot(|h| h.poll_end(task));
}

/// `task` is woken on this thread.
#[inline]
pub fn wake(task: crate::trace::TaskId) {
    with_hot(|h| {
        let raw = h.now();
        h.put_open();
        h.push_task(raw, tag::WAKE, task);
    });
}

/// Appends one event to this thread's buffer (a no-op on threads outside any run).
#[inline]
pub fn record(kind: EventKind) {
    record_at(kind, true)
}

/// Appends an event stamped with the time of the newest event this thread recorded, so
/// the clock is not read: for marks that come right after another event with no work in
/// between, which saves the clock read (a third of what an event costs). The time can
/// only be early, by whatever ran since that event.
#[inline]
pub fn record_untimed(kind: EventKind) {
    record_at(kind, false)
}

#[inline]
fn record_at(kind: EventKind, timed: bool) {
    with_hot(|h| {
        let kind = match kind {
            EventKind::PollStart { task } => return h.poll_start(task),
            EventKind::PollEnd { task } => return h.poll_end(task),
            kind => kind,
        };
        let raw = if timed || h.last_raw == 0 {
            h.now()
        } else {
            h.last_raw
        };
        // Whatever comes next on this thread, an open poll's start goes in before it.
        h.put_open();
        let word = |t: u64, payload: u64| t << tag::SHIFT | payload;
        match kind {
            EventKind::BlockingStart { task } => {
                // SAFETY: as in `Hot::poll_start`.
                let marker = unsafe { &*h.marker };
                marker.start_raw.store(raw, Ordering::Relaxed);
                marker.task.store(task, Ordering::Release);
                h.push_task(raw, tag::BLOCKING_START, task);
            }
            EventKind::BlockingEnd { task } => {
                // SAFETY: as in `Hot::poll_start`.
                unsafe { &*h.marker }.task.store(0, Ordering::Release);
                h.push_task(raw, tag::BLOCKING_END, task);
            }
            EventKind::Wake { task } => h.push_task(raw, tag::WAKE, task),
            EventKind::Terminate { task } => h.push_task(raw, tag::TERMINATE, task),
            EventKind::Park => h.push(raw, word(tag::PARK, 0)),
            EventKind::Unpark => h.push(raw, word(tag::UNPARK, 0)),
            EventKind::StepEnter { step } => h.push(raw, word(tag::STEP_ENTER, u64::from(step))),
            EventKind::StepExit { step } => h.push(raw, word(tag::STEP_EXIT, u64::from(step))),
            EventKind::StepNext { exit, enter }
                if u64::from(exit) <= tag::STEP_MASK && u64::from(enter) <= tag::STEP_MASK =>
            {
                let packed = u64::from(exit) << tag::STEP_BITS | u64::from(enter);
                h.push(raw, word(tag::STEP_NEXT, packed));
            }
            kind => h.push_side(raw, kind),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What one thread recorded, as the collector gets it.
    fn recorded(f: impl FnOnce() + Send + 'static) -> Vec<EventKind> {
        recorded_events(f).into_iter().map(|e| e.kind).collect()
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

    /// The decoded events of one thread, as `(kind's Debug text)`, for kinds without
    /// `PartialEq`.
    fn texts(kinds: &[EventKind]) -> Vec<String> {
        kinds.iter().map(|k| format!("{k:?}")).collect()
    }

    #[test]
    fn every_kind_comes_out_of_the_compact_records_as_it_went_in_and_in_order() {
        let big = 1u64 << 40; // too large for a whole poll's packed id
        let huge = 1u64 << 61; // too large for any packed id: goes beside the records
        let kinds = recorded(move || {
            record(EventKind::Spawn {
                task: 5,
                location: std::panic::Location::caller(),
            });
            record(EventKind::Name {
                task: 5,
                name: "five".into(),
            });
            record(EventKind::Unpark);
            record(EventKind::PollStart { task: 5 });
            record_untimed(EventKind::StepEnter { step: 3 });
            record_untimed(EventKind::StepNext { exit: 3, enter: 4 });
            record(EventKind::Print {
                text: "hello".into(),
            });
            record_untimed(EventKind::StepExit { step: 4 });
            record(EventKind::Wake { task: huge });
            record(EventKind::Terminate { task: 5 });
            record(EventKind::PollEnd { task: 5 });
            record(EventKind::PollStart { task: big });
            record(EventKind::PollEnd { task: big });
            record(EventKind::PollStart { task: huge });
            record(EventKind::PollEnd { task: huge });
            record(EventKind::StepNext {
                exit: u32::MAX,
                enter: 1,
            });
            record(EventKind::BlockingStart { task: 9 });
            record(EventKind::Heartbeat { late_ns: 7 });
            record(EventKind::BlockingEnd { task: 9 });
            record(EventKind::Park);
        });
        let location = format!("{:?}", std::panic::Location::caller());
        let spawn = texts(&kinds)[0].clone();
        assert!(spawn.starts_with("Spawn { task: 5, location: "), "{spawn}");
        assert!(
            !spawn.contains(&location),
            "the spawn keeps its own location"
        );
        assert_eq!(
            texts(&kinds[1..]),
            [
                "Name { task: 5, name: \"five\" }".to_string(),
                "Unpark".into(),
                "PollStart { task: 5 }".into(),
                "StepEnter { step: 3 }".into(),
                "StepNext { exit: 3, enter: 4 }".into(),
                "Print { text: \"hello\" }".into(),
                "StepExit { step: 4 }".into(),
                format!("Wake {{ task: {huge} }}"),
                "Terminate { task: 5 }".into(),
                "PollEnd { task: 5 }".into(),
                format!("PollStart {{ task: {big} }}"),
                format!("PollEnd {{ task: {big} }}"),
                format!("PollStart {{ task: {huge} }}"),
                format!("PollEnd {{ task: {huge} }}"),
                format!("StepNext {{ exit: {}, enter: 1 }}", u32::MAX),
                "BlockingStart { task: 9 }".into(),
                "Heartbeat { late_ns: 7 }".into(),
                "BlockingEnd { task: 9 }".into(),
                "Park".into(),
            ]
        );
    }

    /// What one thread recorded, with times.
    fn recorded_events(f: impl FnOnce() + Send + 'static) -> Vec<Event> {
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
        received(&rx).into_iter().flat_map(|b| b.events).collect()
    }

    /// The batches a closed capture sent, decoded.
    fn received(rx: &crossbeam_channel::Receiver<Msg>) -> Vec<Batch> {
        rx.iter()
            .take_while(|m| !matches!(m, Msg::End))
            .filter_map(|m| match m {
                Msg::Batch(b) => Some(b.decode()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_poll_too_long_to_pack_keeps_its_start_and_end_and_times_rise() {
        let events = recorded_events(|| {
            record(EventKind::PollStart { task: 1 });
            record(EventKind::PollEnd { task: 1 });
            record(EventKind::PollStart { task: 2 });
            std::thread::sleep(std::time::Duration::from_millis(20));
            record(EventKind::PollEnd { task: 2 });
            wake(2);
        });
        assert_eq!(
            names(&events.iter().map(|e| e.kind.clone()).collect::<Vec<_>>()),
            ["poll", "start", "end", "wake"]
        );
        let EventKind::Poll { end_ns, .. } = events[0].kind else {
            panic!("{:?}", events[0]);
        };
        assert!(events[0].ts_ns <= end_ns && end_ns <= events[1].ts_ns);
        let long = events[2].ts_ns - events[1].ts_ns;
        assert!(long >= 20_000_000, "the long poll lasted {long} ns");
        assert!(events[2].ts_ns <= events[3].ts_ns);
    }

    #[test]
    fn many_buffers_arrive_whole_and_in_order_and_a_detached_thread_records_nothing() {
        let n = BATCH_EVENTS as u64 * 3 + 17;
        let (tx, rx) = crossbeam_channel::unbounded();
        let cap = Capture::new(tx);
        let c = cap.clone();
        std::thread::spawn(move || {
            attach_thread(&c);
            for task in 1..=n {
                wake(task);
            }
            // A poll open when the thread stops: its start is handed over.
            poll_start(n + 1);
            detach_thread();
            assert!(!is_attached());
            wake(1);
            record(EventKind::Park);
        })
        .join()
        .expect("thread");
        cap.close();
        let batches = received(&rx);
        assert!(batches.len() >= 4, "{} batches", batches.len());
        let tasks: Vec<u64> = batches
            .iter()
            .flat_map(|b| &b.events)
            .map(|e| match e.kind {
                EventKind::Wake { task } | EventKind::PollStart { task } => task,
                ref k => panic!("{k:?}"),
            })
            .collect();
        assert_eq!(tasks, (1..=n + 1).collect::<Vec<_>>());
        assert_eq!(cap.stats().sent, n + 1);
    }

    #[test]
    fn a_thread_that_ends_without_detaching_still_hands_its_events_over() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let cap = Capture::new(tx);
        let c = cap.clone();
        std::thread::spawn(move || {
            attach_thread(&c);
            wake(3);
        })
        .join()
        .expect("thread");
        cap.close();
        let n: usize = received(&rx).iter().map(|b| b.events.len()).sum();
        assert_eq!(n, 1);
    }
}
