//! The raw events capture hands to the model: plain data, one enum, timestamps in
//! nanoseconds from run start. Each batch comes from one OS thread, in that thread's order.

use std::panic::Location;
use std::sync::Arc;

/// A tokio task id as a number (tokio's `task::Id` is opaque).
pub type TaskId = u64;

/// Where a task was spawned: a static location from tokio's hook, or an owned one read
/// from tokio's tracing span (blocking tasks).
#[derive(Clone, Debug)]
pub enum SpawnLocation {
    Static(&'static Location<'static>),
    Owned(Arc<str>),
}

impl std::fmt::Display for SpawnLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpawnLocation::Static(l) => write!(f, "{}:{}:{}", l.file(), l.line(), l.column()),
            SpawnLocation::Owned(s) => f.write_str(s),
        }
    }
}

#[derive(Clone, Debug)]
pub enum EventKind {
    /// An async task was spawned (from tokio's `on_task_spawn`, in the spawning context;
    /// the parent is the task running on this thread at the time).
    Spawn {
        task: TaskId,
        location: &'static Location<'static>,
    },
    /// A blocking-pool task was spawned (read from tokio's `runtime.spawn` span).
    SpawnBlocking {
        task: TaskId,
        location: Arc<str>,
    },
    /// An async task spawned where `location` says (a file and line of another runtime's
    /// program: the asyncio runner's tasks).
    SpawnAt {
        task: TaskId,
        location: Arc<str>,
    },
    /// The name a task was spawned with (`tokio::task::Builder::name`).
    Name {
        task: TaskId,
        name: Arc<str>,
    },
    PollStart {
        task: TaskId,
    },
    /// A whole poll in which nothing else was recorded on its thread, as one event stamped
    /// with its start: capture writes it at the poll's end instead of a `PollStart` and a
    /// `PollEnd` (half the events of a yield storm's polls).
    Poll {
        task: TaskId,
        end_ns: u64,
    },
    PollEnd {
        task: TaskId,
    },
    /// A blocking task started / stopped running its closure on this thread.
    BlockingStart {
        task: TaskId,
    },
    BlockingEnd {
        task: TaskId,
    },
    /// The task's future finished or was dropped (tokio's `on_task_terminate`).
    Terminate {
        task: TaskId,
    },
    /// `task` was woken on this thread, by whatever ran there at that moment (a task's
    /// poll, or the timer / I/O driver between polls).
    Wake {
        task: TaskId,
    },
    /// A panic on this thread (inside the task running there).
    Panic {
        message: Arc<str>,
    },
    /// Scenario-level marks recorded by the step interpreter (in the requesting task).
    HttpStart {
        req: u64,
        url: Arc<str>,
    },
    /// `status` 0 means the request failed without an HTTP status (connection error).
    HttpEnd {
        req: u64,
        status: u16,
    },
    Heartbeat {
        late_ns: u64,
    },
    /// The scenario aborts task `task` (`JoinHandle::abort`), recorded just before: when
    /// the task then ends unfinished, it was cancelled, not left at shutdown.
    Abort {
        task: TaskId,
    },
    /// The task running on this thread hands a job to the scenario's CPU pool
    /// (`cpu_pool_ms`): `job` is the job's own id, a task of kind `CpuJob` in the trace.
    CpuJobQueued {
        job: TaskId,
    },
    /// A CPU-pool thread starts job `job`…
    CpuJobStart {
        job: TaskId,
    },
    /// …and finishes it.
    CpuJobEnd {
        job: TaskId,
    },
    /// A `print` step: a line of output from the task running on this thread.
    Print {
        text: Arc<str>,
    },
    /// This worker thread goes to sleep: it found no task to run (tokio's
    /// `on_thread_park`).
    Park,
    /// This worker thread wakes from that sleep (`on_thread_unpark`).
    Unpark,
    /// The task polled on this thread enters step `step` of the run's step table (the
    /// step interpreter records it where the step begins)…
    StepEnter {
        step: u32,
    },
    /// …and leaves it (where its `.await` completed).
    StepExit {
        step: u32,
    },
    /// Leaves step `exit` and enters step `enter` at once (steps that follow each other:
    /// one event instead of two).
    StepNext {
        exit: u32,
        enter: u32,
    },
    /// A message went into (or came out of) the run's channel `channel` (an index into
    /// the run's resource table).
    ChannelOp {
        channel: u32,
        sent: bool,
    },
}

/// Kept small (40 bytes): every hook call writes one.
#[derive(Clone, Debug)]
pub struct Event {
    pub ts_ns: u64,
    pub kind: EventKind,
}

/// Events of one OS thread of the runtime under study, in the order they happened there.
#[derive(Debug)]
pub struct Batch {
    /// Per-run index of the thread (order of attachment).
    pub thread: u32,
    pub events: Vec<Event>,
}

/// Test fixture: the spawn of task `task` named `name`, at `ts_ns`.
#[cfg(test)]
pub(crate) fn named_spawn(ts_ns: u64, task: TaskId, name: &str) -> [Event; 2] {
    [
        Event {
            ts_ns,
            kind: EventKind::Spawn {
                task,
                location: Location::caller(),
            },
        },
        Event {
            ts_ns,
            kind: EventKind::Name {
                task,
                name: name.into(),
            },
        },
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn events_stay_small() {
        // Every hook call writes one; growing it costs capture time and memory.
        assert!(std::mem::size_of::<super::Event>() <= 40);
    }
}
