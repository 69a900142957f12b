//! Capture: tokio's task hooks (spawn, terminate) plus a minimal tracing subscriber on
//! tokio's own instrumentation (each task's span, entered exactly around its polls; waker
//! events; blocking-task spans) append
//! typed events to a per-thread buffer; full buffers go to the collector in batches over
//! one bounded crossbeam channel, never blocking the runtime.
//!
//! Why this design (measured, see FACTS.md and `benches/capture.rs`): a channel send per
//! event costs ≈4× on a yield storm, a thread-local push ≈1.35×; tokio has no wake hook,
//! and its waker events carry the waking task, which a waker-wrapping future of ours could
//! not see for the tasks libraries spawn.

mod buffer;
pub mod console;
mod subscriber;

use std::hash::{Hash, Hasher};

pub use buffer::{
    Capture, CaptureStats, Captured, InProgress, Msg, attach_thread, detach_thread, flush,
    poll_end, poll_start, record, record_untimed, wake,
};
pub use subscriber::{install_global, muted_waker_callsites, wanted as wanted_callsite};

use crate::trace::{EventKind, TaskId};

/// tokio's `task::Id` is opaque; its `Hash` writes the number, which we read back.
pub fn task_id_u64(id: tokio::task::Id) -> TaskId {
    #[derive(Default)]
    struct Grab(u64);
    impl Hasher for Grab {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 = (self.0 << 8) | u64::from(b);
            }
        }
        fn write_u64(&mut self, n: u64) {
            self.0 = n;
        }
    }
    let mut g = Grab::default();
    id.hash(&mut g);
    g.0
}

/// The task currently being polled on this thread, if any.
pub fn current_task() -> Option<TaskId> {
    tokio::task::try_id().map(task_id_u64)
}

/// Installs the capture hooks on a runtime builder. Events of every thread of the runtime
/// go to `capture`; threads outside it (the lab server, the collector, the GUI) record
/// nothing.
///
/// With `console`, the runtime's threads use that subscriber instead of the global one
/// while they live (see [`console`]).
pub fn instrument(
    builder: &mut tokio::runtime::Builder,
    capture: &std::sync::Arc<Capture>,
    console: Option<&tracing::Dispatch>,
) {
    install_global();
    // tracing-core can leave a callsite that registered while the global subscriber was
    // being installed (on another runtime's thread) at `Interest::never`, which would
    // silently drop every wake of this process. Re-deciding all interests here mends it.
    tracing::callsite::rebuild_interest_cache();
    instrument_hooks(builder, capture, console);
}

/// Installs tokio's task and thread hooks; without `install_global` (as a benchmark calls
/// it) there are no polls, wakes or blocking tasks, which measures what each part costs.
///
/// Poll boundaries come from the subscriber (tokio enters each task's span inside its
/// poll), not from `on_before_task_poll` / `on_after_task_poll`: those wrap the state
/// transition after the poll too, and a task woken during its poll can be stolen and polled
/// by another worker before the first worker's after-poll hook runs (seen once in about 20
/// runs of a 4-worker scenario on 2 CPUs: one task polled in two places at once).
pub fn instrument_hooks(
    builder: &mut tokio::runtime::Builder,
    capture: &std::sync::Arc<Capture>,
    console: Option<&tracing::Dispatch>,
) {
    let (cap, dispatch) = (capture.clone(), console.cloned());
    builder
        .on_thread_start(move || {
            if let Some(d) = &dispatch {
                console::enter(d);
            }
            attach_thread(&cap);
        })
        .on_thread_stop(|| {
            detach_thread();
            console::leave();
        })
        // An idle worker hands its buffer over, so a live view is never far behind.
        .on_thread_park(|| {
            record(EventKind::Park);
            flush();
        })
        .on_thread_unpark(|| record(EventKind::Unpark))
        .on_task_spawn(|meta| {
            record(EventKind::Spawn {
                task: task_id_u64(meta.id()),
                location: meta.spawned_at(),
            })
        })
        .on_task_terminate(|meta| {
            record(EventKind::Terminate {
                task: task_id_u64(meta.id()),
            })
        });
}
