//! A minimal tracing subscriber that listens to exactly two things tokio emits under
//! `tokio_unstable` + `tracing`: the `runtime.spawn` span of each task (names, and the
//! blocking tasks, which fire no spawn/poll hooks) and the `tokio::task::waker` events (tokio
//! has no wake hook). Every other callsite gets `Interest::never`, so it costs nothing; so
//! do tokio's waker-clone and waker-drop callsites once they are known (see [`OpCache`]).
//!
//! Span ids are chosen so no lookup table is needed: an async task's span id *is* its tokio
//! task id; blocking tasks set `BLOCKING_BIT`. tokio's waker events carry the span id.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span;
use tracing::subscriber::Interest;
use tracing::{Metadata, Subscriber};

use super::buffer::{flush, is_attached, poll_end, poll_start, record, wake};
use super::current_task;
use crate::trace::EventKind;

const BLOCKING_BIT: u64 = 1 << 62;
const OTHER_BIT: u64 = 1 << 61;
const FLAGS: u64 = BLOCKING_BIT | OTHER_BIT;

static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the subscriber as the process's global default and a panic hook that records
/// panics on captured threads, once. Returns false when another global subscriber was
/// already set (wakes and blocking tasks then go unrecorded). Call it before any tokio
/// runtime runs: tracing-core decides a callsite's interest when it is first hit, and one
/// hit while the global subscriber is being installed can keep "never" for good.
pub fn install_global() -> bool {
    *INSTALLED.get_or_init(|| {
        install_panic_hook();
        let installed = tracing::subscriber::set_global_default(ScopeSubscriber {
            other_ids: AtomicU64::new(1),
        })
        .is_ok();
        if installed {
            learn_waker_ops();
        }
        installed
    })
}

/// Runs a task that clones, drops and wakes its own waker on a throwaway runtime, so that
/// [`WAKER_OPS`] knows tokio's waker callsites before the first run, and turns the clone
/// and drop callsites off for good (tracing asks `register_callsite` again).
fn learn_waker_ops() {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().build() else {
        return;
    };
    rt.block_on(async {
        let task = tokio::spawn(std::future::poll_fn(|cx| {
            let waker = cx.waker().clone();
            waker.wake_by_ref();
            drop(waker.clone());
            waker.wake();
            std::task::Poll::Ready(())
        }));
        let _ = task.await;
    });
    drop(rt);
    tracing::callsite::rebuild_interest_cache();
}

/// How many of tokio's waker callsites are known not to be wakes (for tests).
pub fn muted_waker_callsites() -> usize {
    WAKER_OPS.muted()
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_attached() {
            return previous(info);
        }
        let payload = info.payload();
        let message: Arc<str> = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).into()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.as_str().into()
        } else {
            "(non-string panic payload)".into()
        };
        if current_task().is_none() {
            // Not inside a task: a bug of ours or of a library; say it.
            previous(info);
        }
        record(EventKind::Panic { message });
    }));
}

/// The callsites the subscriber listens to: each task's `runtime.spawn` span and tokio's
/// waker events (public for `benches/capture_floor.rs`, which wants the same).
pub fn wanted(meta: &Metadata<'_>) -> bool {
    (meta.is_span() && meta.name() == "runtime.spawn" && meta.target().starts_with("tokio::task"))
        || (meta.is_event() && meta.target() == "tokio::task::waker")
}

struct ScopeSubscriber {
    other_ids: AtomicU64,
}

/// What the process has learnt about tokio's waker callsites.
static WAKER_OPS: OpCache = OpCache::new();

/// tokio's four waker callsites (clone, drop, wake, wake_by_ref) differ only in the value
/// of their `op` field. Clones and drops are the most frequent events and of no interest:
/// learn each callsite's op once; `register_callsite` then answers `never` for the
/// uninteresting ones (tracing re-asks at each run's start, see `capture::instrument`), and
/// until then `event` skips their field visit. Each slot packs the callsite's metadata address with "is a wake" in its low bit
/// (metadata is word-aligned), so one compare-exchange publishes both.
struct OpCache {
    slots: [AtomicUsize; 8],
}

impl OpCache {
    const fn new() -> Self {
        OpCache {
            slots: [const { AtomicUsize::new(0) }; 8],
        }
    }

    fn muted(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| {
                let v = s.load(Ordering::Relaxed);
                v != 0 && v & 1 == 0
            })
            .count()
    }

    fn key(meta: &'static Metadata<'static>) -> usize {
        meta as *const Metadata<'static> as usize
    }

    fn get(&self, meta: &'static Metadata<'static>) -> Option<bool> {
        let key = Self::key(meta);
        self.slots.iter().find_map(|s| {
            let v = s.load(Ordering::Relaxed);
            (v & !1 == key).then_some(v & 1 == 1)
        })
    }

    fn learn(&self, meta: &'static Metadata<'static>, is_wake: bool) {
        let packed = Self::key(meta) | usize::from(is_wake);
        for slot in &self.slots {
            match slot.compare_exchange(0, packed, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return,
                Err(existing) if existing & !1 == packed & !1 => return,
                Err(_) => {}
            }
        }
    }
}

/// Whether a `runtime.spawn` span is a blocking task's.
pub(super) fn is_blocking(meta: &Metadata<'_>) -> bool {
    meta.target() == "tokio::task::blocking"
}

/// Reads a task's `runtime.spawn` span: records a blocking task's spawn (tokio's spawn hook
/// sees only async tasks) and the task's name, on a thread that records. Returns the task
/// id (None for a span that is not a task's).
pub(super) fn spawn_span(attrs: &span::Attributes<'_>, blocking: bool) -> Option<u64> {
    let mut f = SpanFields {
        blocking,
        ..SpanFields::default()
    };
    if is_attached() {
        attrs.record(&mut f);
    } else {
        // Not our run (the lab server's runtime): only the id matters.
        struct IdOnly<'a>(&'a mut Option<u64>);
        impl Visit for IdOnly<'_> {
            fn record_u64(&mut self, field: &Field, value: u64) {
                if field.name() == "task.id" {
                    *self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
        }
        attrs.record(&mut IdOnly(&mut f.task));
    }
    let task = f.task.filter(|&t| t != 0 && !f.block_on)?;
    if blocking {
        record(EventKind::SpawnBlocking {
            task,
            location: format!("{}:{}:{}", f.file, f.line, f.col).into(),
        });
    }
    if !f.name.is_empty() {
        record(EventKind::Name {
            task,
            name: f.name.into(),
        });
    }
    Some(task)
}

/// For one of tokio's waker events that is a wake: the tracing span id of the woken task.
pub(super) fn woken_span(event: &tracing::Event<'_>) -> Option<u64> {
    let meta = event.metadata();
    let known = WAKER_OPS.get(meta);
    if known == Some(false) {
        return None;
    }
    if known == Some(true) {
        // A known wake: only the task id is read (its `op` was read once, to learn).
        struct TaskId(Option<u64>);
        impl Visit for TaskId {
            fn record_u64(&mut self, field: &Field, value: u64) {
                if field.name() == "task.id" {
                    self.0 = Some(value);
                }
            }
            fn record_str(&mut self, _: &Field, _: &str) {}
            fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
        }
        let mut t = TaskId(None);
        event.record(&mut t);
        return t.0;
    }
    let mut f = WakerFields::default();
    event.record(&mut f);
    WAKER_OPS.learn(meta, f.wake);
    f.task.filter(|_| f.wake)
}

#[derive(Default)]
struct SpanFields {
    /// Only a blocking task's location is read (an async task's comes from the spawn hook):
    /// no string is built per async spawn.
    blocking: bool,
    task: Option<u64>,
    /// The span's `kind` is `block_on` (a runtime's root future, not a task).
    block_on: bool,
    name: String,
    file: String,
    line: u64,
    col: u64,
}

impl Visit for SpanFields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "task.id" => self.task = Some(value),
            "loc.line" if self.blocking => self.line = value,
            "loc.col" if self.blocking => self.col = value,
            _ => {}
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if self.blocking && field.name() == "loc.file" {
            self.file.push_str(value);
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "task.name" => {
                let _ = write!(self.name, "{value:?}");
            }
            "kind" => self.block_on = Equals::new("block_on").matches(value),
            _ => {}
        }
    }
}

/// Compares a value's `Debug` text with a string without allocating (it is read for every
/// spawn).
struct Equals<'a> {
    rest: &'a str,
    ok: bool,
}

impl<'a> Equals<'a> {
    fn new(expected: &'a str) -> Self {
        Equals {
            rest: expected,
            ok: true,
        }
    }

    fn matches(mut self, value: &dyn std::fmt::Debug) -> bool {
        let _ = write!(self, "{value:?}");
        self.ok && self.rest.is_empty()
    }
}

impl std::fmt::Write for Equals<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        match self.rest.strip_prefix(s) {
            Some(rest) if self.ok => self.rest = rest,
            _ => self.ok = false,
        }
        Ok(())
    }
}

#[derive(Default)]
struct WakerFields {
    wake: bool,
    task: Option<u64>,
}

impl Visit for WakerFields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "task.id" {
            self.task = Some(value);
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "op" {
            self.wake = value == "waker.wake" || value == "waker.wake_by_ref";
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl Subscriber for ScopeSubscriber {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if wanted(meta) && WAKER_OPS.get(meta) != Some(false) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        wanted(meta)
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }

    fn new_span(&self, attrs: &span::Attributes<'_>) -> span::Id {
        let blocking = is_blocking(attrs.metadata());
        // `block_on`'s future has a span too, but it is our driver, not a task.
        let Some(task) = spawn_span(attrs, blocking).filter(|&t| t & FLAGS == 0) else {
            return span::Id::from_u64(OTHER_BIT | self.other_ids.fetch_add(1, Ordering::Relaxed));
        };
        span::Id::from_u64(if blocking { task | BLOCKING_BIT } else { task })
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        if is_attached() {
            if let Some(id) = woken_span(event)
                && id & OTHER_BIT == 0
            {
                wake(id & !FLAGS);
            }
        } else if WAKER_OPS.get(event.metadata()).is_none() {
            // Outside a run (the lab server's threads, `learn_waker_ops`' probe) a waker
            // event is only read to learn its callsite: one lookup once it is known.
            woken_span(event);
        }
    }

    /// tokio's `Instrumented` wrapper enters a task's span inside the task's own poll (and
    /// again while it drops the finished future): these are the exact poll boundaries.
    /// tokio's poll hooks wrap more than the poll (the state transition after it, during
    /// which another worker may already have stolen and polled the task), so they are not
    /// used.
    fn enter(&self, span: &span::Id) {
        let id = span.into_u64();
        if id & FLAGS == 0 {
            poll_start(id);
        } else if id & BLOCKING_BIT != 0 {
            record(EventKind::BlockingStart { task: id & !FLAGS });
        }
    }

    fn exit(&self, span: &span::Id) {
        let id = span.into_u64();
        if id & FLAGS == 0 {
            poll_end(id);
        } else if id & BLOCKING_BIT != 0 {
            record(EventKind::BlockingEnd { task: id & !FLAGS });
            // A blocking thread may sit idle for seconds: hand its events over now.
            flush();
        }
    }

    fn try_close(&self, _: span::Id) -> bool {
        true
    }
}
