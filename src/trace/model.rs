//! The trace model: tasks, per-thread lanes of poll spans, wakes and scenario marks, built
//! incrementally from capture batches. Plain data: no tokio, no egui.

// Integer keys (task ids, threads, requests): FxHash, not SipHash, which was a fifth of
// the ingest time (no untrusted keys here).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use super::event::{Batch, EventKind, SpawnLocation, TaskId};
use super::per_task::PerTask;
use super::steps::{
    OpenSteps, StepInfo, StepMark, StepSpan, WaitReason, spans_from_marks, wait_at,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    Async,
    Blocking,
    /// A job of the scenario's CPU pool (`cpu_pool_ms`): run once, on a `cpu-N` thread.
    CpuJob,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Panicked,
    /// Aborted by the scenario (`JoinHandle::abort`, `Task.cancel()`) and dropped unfinished.
    Cancelled,
    /// Still alive when the runtime shut down (pooled connections, a stopped run's tasks):
    /// dropped unfinished, but nobody cancelled it.
    Shutdown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Panicked => "panicked",
            Outcome::Cancelled => "cancelled",
            Outcome::Shutdown => "shutdown",
        }
    }
}

/// How a poll ended: the future returned `Pending` (went back to wait at an `.await`) or
/// `Ready` (the task finished in this poll).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollOutcome {
    Pending,
    Ready,
}

impl PollOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            PollOutcome::Pending => "pending",
            PollOutcome::Ready => "ready",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneKind {
    Worker,
    Blocking,
    /// A thread of the scenario's CPU pool (`cpu-N`).
    Cpu,
}

/// One poll (or one run of a blocking closure) on one thread, in 16 bytes: polls are most
/// of a trace.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PollSpan {
    pub start_ns: u64,
    /// Index into [`Trace::tasks`].
    pub task: u32,
    /// The duration (see [`encode_duration`]) with [`READY`] set when the poll was Ready.
    dur: u32,
}

/// The Ready flag in [`PollSpan::dur`].
const READY: u32 = 1 << 31;
/// Durations below 2^29 ns (0.54 s) are kept to the ns; longer ones to the µs (up to 9
/// minutes), then to the ms (up to 6 days). Rounded down, so a poll never seems to end after
/// the next one on its thread starts.
const DUR_BITS: u32 = 29;
const DUR_MAX: u64 = (1 << DUR_BITS) - 1;

fn encode_duration(ns: u64) -> u32 {
    if ns <= DUR_MAX {
        ns as u32
    } else if ns / 1_000 <= DUR_MAX {
        (1 << DUR_BITS) | (ns / 1_000) as u32
    } else {
        (2 << DUR_BITS) | (ns / 1_000_000).min(DUR_MAX) as u32
    }
}

fn decode_duration(d: u32) -> u64 {
    let value = u64::from(d) & DUR_MAX;
    match (d & !READY) >> DUR_BITS {
        0 => value,
        1 => value * 1_000,
        _ => value * 1_000_000,
    }
}

impl PollSpan {
    pub fn new(start_ns: u64, end_ns: u64, task: u32, outcome: PollOutcome) -> Self {
        let ready = if outcome == PollOutcome::Ready {
            READY
        } else {
            0
        };
        PollSpan {
            start_ns,
            task,
            dur: encode_duration(end_ns.saturating_sub(start_ns)) | ready,
        }
    }

    pub fn duration_ns(&self) -> u64 {
        decode_duration(self.dur)
    }

    pub fn end_ns(&self) -> u64 {
        self.start_ns + self.duration_ns()
    }

    pub fn set_outcome(&mut self, outcome: PollOutcome) {
        self.dur = (self.dur & !READY)
            | match outcome {
                PollOutcome::Ready => READY,
                PollOutcome::Pending => 0,
            };
    }

    pub fn outcome(&self) -> PollOutcome {
        if self.dur & READY != 0 {
            PollOutcome::Ready
        } else {
            PollOutcome::Pending
        }
    }
}

impl std::fmt::Debug for PollSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollSpan")
            .field("start_ns", &self.start_ns)
            .field("end_ns", &self.end_ns())
            .field("task", &self.task)
            .field("outcome", &self.outcome())
            .finish()
    }
}

/// A worker's sleep: it found nothing to run and parked, from `start_ns` to `end_ns`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParkSpan {
    pub start_ns: u64,
    pub end_ns: u64,
}

/// A thread of the runtime under study and everything it polled, sorted by start; for a
/// worker, also when it slept (parked).
#[derive(Clone, Debug)]
pub struct Lane {
    pub name: String,
    pub kind: LaneKind,
    pub polls: Vec<PollSpan>,
    /// The worker's sleeps, in time order (none on a blocking thread).
    pub parks: Vec<ParkSpan>,
}

impl Lane {
    /// The polls that overlap `[start_ns, end_ns)`, found by binary search (polls on one
    /// thread never overlap, so they are sorted by start and by end alike).
    pub fn polls_in(&self, start_ns: u64, end_ns: u64) -> &[PollSpan] {
        let first = self.polls.partition_point(|p| p.end_ns() <= start_ns);
        let last = self.polls.partition_point(|p| p.start_ns < end_ns);
        &self.polls[first..last.max(first)]
    }

    pub fn busy_ns(&self) -> u64 {
        self.polls.iter().map(PollSpan::duration_ns).sum()
    }

    /// Time asleep (parked), in ns.
    pub fn parked_ns(&self) -> u64 {
        self.parks.iter().map(|p| p.end_ns - p.start_ns).sum()
    }

    /// The sleeps that overlap `[start_ns, end_ns)` (binary search: they never overlap).
    pub fn parks_in(&self, start_ns: u64, end_ns: u64) -> &[ParkSpan] {
        let first = self.parks.partition_point(|p| p.end_ns <= start_ns);
        let last = self.parks.partition_point(|p| p.start_ns < end_ns);
        &self.parks[first..last.max(first)]
    }
}

/// Where a task's poll lives: lane index and index within the lane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PollRef {
    pub lane: u16,
    pub index: u32,
}

/// One task of the run, in 56 bytes (a run can have millions). Its polls and wakes are
/// listed by [`Trace::task_polls`] and [`Trace::task_wakes`]; where it was spawned and its
/// panic message by [`Trace::location`] and [`Trace::panic_message`].
#[derive(Clone, Debug)]
pub struct Task {
    pub id: TaskId,
    pub name: Option<Arc<str>>,
    /// [`NONE`] or the spawn time.
    spawn: u64,
    /// [`NONE`] or when the task completed or was dropped.
    end: u64,
    /// [`NONE`] or the id of the task that spawned it.
    parent: TaskId,
    /// [`NO_LOCATION`] or an index into the trace's spawn locations.
    location: u32,
    pub kind: TaskKind,
    pub outcome: Option<Outcome>,
}

/// [`Trace::pending_on`]'s value for `thread` at sleep count `epoch` (never 0).
fn pending_key(thread: u32, epoch: u32) -> u64 {
    (u64::from(thread) + 1) << 32 | u64::from(epoch)
}

/// "None" in a `u64` field of [`Task`].
const NONE: u64 = u64::MAX;
const NO_LOCATION: u32 = u32::MAX;

fn some(v: u64) -> Option<u64> {
    (v != NONE).then_some(v)
}

impl Task {
    pub(crate) fn new(id: TaskId) -> Self {
        Task {
            id,
            name: None,
            spawn: NONE,
            end: NONE,
            parent: NONE,
            location: NO_LOCATION,
            kind: TaskKind::Async,
            outcome: None,
        }
    }

    pub fn spawn_ns(&self) -> Option<u64> {
        some(self.spawn)
    }

    pub fn end_ns(&self) -> Option<u64> {
        some(self.end)
    }

    pub fn parent(&self) -> Option<TaskId> {
        some(self.parent)
    }

    pub fn set_spawn_ns(&mut self, ts: Option<u64>) {
        self.spawn = ts.unwrap_or(NONE);
    }

    pub fn set_end_ns(&mut self, ts: Option<u64>) {
        self.end = ts.unwrap_or(NONE);
    }

    pub fn set_parent(&mut self, parent: Option<TaskId>) {
        self.parent = parent.unwrap_or(NONE);
    }
}

/// What identifies a spawn location while interning it.
#[derive(Debug, PartialEq, Eq, Hash)]
enum LocationKey {
    Static(usize),
    Owned(Arc<str>),
}

/// `/home/u/.cargo/registry/src/index/hyper-util-0.1.10/src/client/legacy/client.rs:12:3`
/// becomes `hyper-util-0.1.10/src/client/legacy/client.rs:12`.
pub fn short_location(loc: &str) -> String {
    let without_col = match loc.rsplit_once(':') {
        Some((head, col)) if col.chars().all(|c| c.is_ascii_digit()) && head.contains(':') => head,
        _ => loc,
    };
    let Some(i) = without_col.rfind("/src/") else {
        return without_col.to_string();
    };
    let crate_start = without_col[..i].rfind('/').map_or(0, |j| j + 1);
    let crate_dir = &without_col[crate_start..i];
    // `hyper-util-0.1.21` → `hyper-util`.
    let name = match crate_dir.rsplit_once('-') {
        Some((name, version)) if version.starts_with(|c: char| c.is_ascii_digit()) => name,
        _ => crate_dir,
    };
    let path = &without_col[i + "/src/".len()..];
    if crate_start == 0 && !without_col.starts_with('/') && name == crate_dir {
        // Our own code (`src/main.rs:3`): the path says it.
        return without_col.to_string();
    }
    let file = path.rsplit_once(':').map_or(path, |(f, _)| f);
    format!("{name}: {} ({path})", library_role(name, file))
}

/// What a library's task is, by where it was spawned (the ones the scenarios meet).
fn library_role(krate: &str, file: &str) -> &'static str {
    match (krate, file) {
        ("hyper-util", "rt/tokio.rs") | ("hyper-util", "client/legacy/client.rs") => "connection",
        ("hyper", _) => "connection",
        ("reqwest", _) => "client",
        ("tokio", f) if f.starts_with("fs/") || f.starts_with("net/") => "blocking I/O",
        _ => "task",
    }
}

/// A wake, in 16 bytes: the time (48 bits, 78 hours) shares a word with the lane.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Wake {
    /// The time in the low 48 bits; the lane + 1 in the high 16 (0: none).
    ts_lane: u64,
    /// Index into [`Trace::tasks`] of the woken task.
    pub task: u32,
    /// [`NO_TASK`] or the waking task's index.
    by_task: u32,
}

const TS_BITS: u32 = 48;
const TS_MAX: u64 = (1 << TS_BITS) - 1;
const NO_TASK: u32 = u32::MAX;

impl Wake {
    /// `by`: index into [`Trace::tasks`] of the task whose poll did the waking; None for
    /// the timer / I/O driver or code outside a task. `lane`: the lane (thread) the wake
    /// happened on, if that thread ever polled.
    pub fn new(ts_ns: u64, task: u32, by: Option<u32>, lane: Option<u16>) -> Self {
        let mut w = Wake {
            ts_lane: ts_ns.min(TS_MAX),
            task,
            by_task: by.unwrap_or(NO_TASK),
        };
        w.set_lane(lane);
        w
    }

    pub fn ts_ns(&self) -> u64 {
        self.ts_lane & TS_MAX
    }

    pub fn by(&self) -> Option<u32> {
        (self.by_task != NO_TASK).then_some(self.by_task)
    }

    pub fn lane(&self) -> Option<u16> {
        match (self.ts_lane >> TS_BITS) as u16 {
            0 => None,
            l => Some(l - 1),
        }
    }

    pub fn set_lane(&mut self, lane: Option<u16>) {
        let l = lane.map_or(0, |l| u64::from(l.min(u16::MAX - 1)) + 1);
        self.ts_lane = (self.ts_lane & TS_MAX) | (l << TS_BITS);
    }
}

impl std::fmt::Debug for Wake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wake")
            .field("ts_ns", &self.ts_ns())
            .field("task", &self.task)
            .field("by", &self.by())
            .field("lane", &self.lane())
            .finish()
    }
}

#[derive(Clone, Debug)]
pub struct HttpRequest {
    /// Request number within the run.
    pub req: u64,
    pub task: Option<TaskId>,
    pub url: Arc<str>,
    pub start_ns: u64,
    pub end_ns: Option<u64>,
    /// HTTP status; 0 for a failed request (no response), [`HTTP_CANCELLED`] for one
    /// dropped before its answer (a `timeout` or `race` that dropped its step).
    pub status: Option<u16>,
}

/// CPU-pool jobs (`cpu_pool_ms`) get task ids from here up, far above tokio's, which count
/// from 1 in each process.
pub const CPU_JOB_IDS: u64 = 1 << 48;

/// The status of a request dropped before its answer came (no HTTP status is below 100).
pub const HTTP_CANCELLED: u16 = 1;

/// A line a task printed (the `print` step), at `ts_ns`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintLine {
    pub ts_ns: u64,
    /// The task that printed it (None: recorded outside any poll).
    pub task: Option<TaskId>,
    pub text: Arc<str>,
}

/// One sample of the runtime's own metrics (tokio-metrics' `RuntimeMonitor`), for the
/// interval that ends at `ts_ns`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuntimeSample {
    pub ts_ns: u64,
    /// Each worker's busy ratio over the interval, by tokio's worker index (which is not
    /// the order of our `worker-N` lanes: tokio does not say which thread is which).
    pub worker_busy: Vec<f64>,
    /// Busy time of all workers over the interval, 0..=1.
    pub busy_ratio: f64,
    /// The busiest worker's busy ratio over the interval.
    pub max_worker_busy_ratio: f64,
    pub polls: u64,
    pub steals: u64,
    pub parks: u64,
    /// Tasks waiting in the global (injection) queue.
    pub global_queue: u64,
    /// Tasks waiting in all workers' local queues.
    pub local_queue: u64,
    pub blocking_threads: u64,
    pub idle_blocking_threads: u64,
    /// Work waiting for a blocking thread.
    pub blocking_queue: u64,
    /// Polls ended by tokio's coop budget.
    pub forced_yields: u64,
}

/// tokio-metrics' `TaskMonitor` figures for one task group, over the whole run.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GroupMetrics {
    pub name: String,
    pub tasks: u64,
    pub mean_first_poll_delay_ms: f64,
    /// Woken → polled.
    pub mean_scheduled_ms: f64,
    pub mean_poll_ms: f64,
    /// Share of polls over the slow-poll threshold (10 ms).
    pub slow_poll_ratio: f64,
}

/// A poll still running while the run is live (its end, and maybe its start event, are
/// not in yet): drawn from `start_ns` to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LivePoll {
    pub lane: u16,
    /// Index into [`Trace::tasks`].
    pub task: u32,
    pub start_ns: u64,
}

#[derive(Clone, Copy, Debug)]
pub struct Heartbeat {
    pub ts_ns: u64,
    pub late_ns: u64,
}

/// Where a wake came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WakeSource {
    /// Another task's poll (index into [`Trace::tasks`]).
    Task(u32),
    /// The task itself, during its own poll (`yield_now`, the coop budget).
    SelfWake,
    /// The timer or I/O driver, between polls (or a thread outside the runtime).
    Driver,
    /// A blocking-pool thread (a `spawn_blocking` closure finishing wakes its awaiter).
    Blocking,
}

impl WakeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            WakeSource::Task(_) => "task",
            WakeSource::SelfWake => "self",
            WakeSource::Driver => "driver",
            WakeSource::Blocking => "blocking",
        }
    }
}

/// What a task is doing over an interval of its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskState {
    /// Woken (or just spawned), waiting for a worker to poll it.
    Scheduled,
    Running,
    /// Pending at an `.await`, nobody has woken it yet.
    Waiting,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Scheduled => "scheduled",
            TaskState::Running => "running",
            TaskState::Waiting => "waiting",
        }
    }
}

/// One interval of a task's life. A waiting span says what the task waits for and in which
/// step (from the interpreter's marks); a scheduled span, what woke it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateSpan {
    pub start_ns: u64,
    pub end_ns: u64,
    pub state: TaskState,
    /// Waiting: what for. Scheduled: what the wait it ended was for.
    pub wait: Option<WaitReason>,
    /// The step (an index into [`Trace::steps`]) the wait is in.
    pub step: Option<u32>,
    /// Scheduled: the wake that made it runnable (None at spawn, or unseen).
    pub woken_by: Option<WakeSource>,
}

impl StateSpan {
    fn new(start_ns: u64, end_ns: u64, state: TaskState) -> Self {
        StateSpan {
            start_ns,
            end_ns,
            state,
            wait: None,
            step: None,
            woken_by: None,
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct OpenPoll {
    task: u32,
    start_ns: u64,
    terminated: bool,
    /// It began right after a poll of the same task ended on this thread, with nothing in
    /// between: tokio's drop of a finished future looks like that (see [`ThreadState`]).
    follows_own: bool,
}

#[derive(Debug, Default)]
struct ThreadState {
    lane: Option<u16>,
    /// The async poll in progress on this thread.
    open: Option<OpenPoll>,
    /// The blocking closure running on this thread. On a multi-thread runtime each worker
    /// loop itself runs as a blocking task: async polls inside it unmask it as one.
    blocking: Option<OpenPoll>,
    /// The blocking task this thread ran last: tokio wakes its awaiting task (JoinHandle)
    /// just after the closure returns.
    last_blocking: Option<TaskId>,
    /// The worker went to sleep at this time and has not woken yet.
    parked_since: Option<u64>,
    /// Counts this worker's sleeps (see [`Trace::pending_on`]).
    park_epoch: u32,
    /// The async poll that ended last on this thread, while nothing else has run here
    /// since, and whether it followed a poll of the same task in that way. tokio enters a
    /// task's span once more to drop its future: right after the poll that returned Ready
    /// (same thread, nothing in between), or alone when a task is cancelled. Its
    /// `on_task_terminate` comes after that drop, so the terminate event tells which the
    /// last "poll" was (see [`Trace::terminate`]).
    last_closed: Option<(u32, bool)>,
    /// The wakes recorded on this thread since `last_closed` ended (indices into `wakes`):
    /// after a drop, tokio wakes the task's JoinHandle before its terminate hook, so they
    /// are the finished task's.
    wakes_after_close: Vec<u32>,
}

/// The runtime a run was on: tokio, or CPython's asyncio (through the shipped runner).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Runtime {
    #[default]
    Tokio,
    Asyncio,
}

impl Runtime {
    /// As summaries and exports spell it: `tokio`, `asyncio`.
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Tokio => "tokio",
            Runtime::Asyncio => "asyncio",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        [Runtime::Tokio, Runtime::Asyncio]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// The model of one run.
#[derive(Debug, Default)]
pub struct Trace {
    pub scenario: String,
    /// The runtime it ran on (asyncio's lanes are `event-loop` and `executor-N`).
    pub runtime: Runtime,
    pub tasks: Vec<Task>,
    pub lanes: Vec<Lane>,
    pub wakes: Vec<Wake>,
    pub http: Vec<HttpRequest>,
    pub heartbeats: Vec<Heartbeat>,
    /// The `print` steps' lines, in time order.
    pub prints: Vec<PrintLine>,
    /// Tasks the scenario aborted (their unfinished end is a cancellation).
    aborted: std::collections::HashSet<TaskId>,
    /// Events received from capture.
    pub events: u64,
    /// Events not recorded: discarded by capture (channel full) or past the memory cap;
    /// reported, never hidden.
    pub events_dropped: u64,
    /// Recording stopped at the memory cap (`max_events`): `events` were recorded, the rest
    /// of the run was not.
    pub truncated: bool,
    /// Events that arrived after the cap was reached (part of `events_dropped`).
    pub dropped_over_cap: u64,
    /// Run start to the end of the scenario's work (or to the stop).
    pub wall_ns: u64,
    /// The run was stopped (by the user or a time limit) before it finished.
    pub stopped: bool,
    /// A placeholder while the run's trace is being finished off the viewer's lock.
    pub finishing: bool,
    /// CPUs of the machine that ran it (0: unknown): more workers than CPUs means the OS
    /// pauses workers mid-poll.
    pub cpus: u32,
    /// Errors of the run itself (not of the scenario's tasks), e.g. a failed spawn.
    pub run_errors: Vec<String>,
    /// What the reader of the run should know that is not an error: e.g. on asyncio, a
    /// scenario key that has no meaning there, or what it maps to.
    pub notes: Vec<String>,
    /// The figures the scenario asked the audience to predict (`[predict]`), and the
    /// guesses typed in before the run: kept with the run (and in its trace file).
    pub predict: Vec<super::Figure>,
    pub guesses: Vec<super::Guess>,
    /// Polls in progress while the run is live (empty once it is finished).
    pub in_progress: Vec<LivePoll>,
    /// While the run is live and the collector has batches set aside (its CPU budget, see
    /// `run::collect`): every event before this time is in the model, later ones may not
    /// be. A view draws the run up to here and shows the rest as not modelled yet.
    pub live_frontier_ns: Option<u64>,
    /// Runtime metrics sampled during the run (every `metrics_interval_ns`).
    pub metrics: Vec<RuntimeSample>,
    pub metrics_interval_ns: u64,
    /// Per task group, from tokio-metrics' task monitors.
    pub group_metrics: Vec<GroupMetrics>,
    /// The scenario's step table: what the ids of step marks are.
    pub steps: Vec<StepInfo>,
    /// The scenario's semaphores and channels, with their sizes.
    pub resources: Vec<super::resources::ResourceInfo>,
    /// Every message into and out of a channel, in time order once finished.
    pub channel_ops: Vec<super::resources::ChannelOp>,
    /// Task index by id while the run is live; empty once the tasks are sorted by id (a
    /// finished trace), which binary search serves without the map's memory.
    task_index: HashMap<TaskId, u32>,
    tasks_sorted_by_id: bool,
    threads: HashMap<u32, ThreadState>,
    lane_thread: Vec<u32>,
    http_index: HashMap<u64, usize>,
    /// The latest event timestamp seen (kept so `end_ns` costs nothing: it is asked per
    /// unfinished task).
    last_ts_ns: u64,
    /// Request ends that arrived before their start (another thread's batch).
    http_early_ends: HashMap<u64, (u64, u16)>,
    /// Blocking "tasks" that turned out to host a worker loop (tokio internals).
    internal: HashSet<TaskId>,
    /// Each task's polls, in time order once the trace is finished.
    task_polls: PerTask<PollRef>,
    /// Each task's wakes (indices into `wakes`), in time order once finished.
    task_wakes: PerTask<u32>,
    /// Each task's step marks, in time order once finished.
    task_steps: PerTask<StepMark>,
    /// The distinct spawn locations; tasks refer to them by index.
    locations: Vec<SpawnLocation>,
    location_index: HashMap<LocationKey, u32>,
    /// Panic messages by task id (few tasks panic).
    panics: HashMap<TaskId, Arc<str>>,
    /// While live, per task: the thread (+ 1) whose poll of it last ended Pending, and that
    /// thread's sleep count then (0: none). tokio defers the wakes of `yield_now` and of
    /// the coop budget until the worker runs out of work, so they arrive outside any
    /// poll: a wake from outside a poll, on the thread that last polled the task, before
    /// that thread slept, is the task waking itself.
    pending_on: Vec<u64>,
}

impl Trace {
    pub fn new(scenario: impl Into<String>) -> Self {
        Trace {
            scenario: scenario.into(),
            ..Default::default()
        }
    }

    /// Rebuilds the lookup tables of a trace assembled from its parts (a loaded file).
    pub(super) fn rebuild_indices(&mut self) {
        let polls = self
            .lanes
            .iter()
            .filter_map(|l| l.polls.last().map(|p| p.end_ns()));
        let tasks = self.tasks.iter().filter_map(|t| t.end_ns());
        let wakes = self.wakes.iter().map(|w| w.ts_ns());
        let http = self
            .http
            .iter()
            .filter_map(|h| h.end_ns.or(Some(h.start_ns)));
        let beats = self.heartbeats.iter().map(|h| h.ts_ns);
        self.last_ts_ns = polls
            .chain(tasks)
            .chain(wakes)
            .chain(http)
            .chain(beats)
            .max()
            .unwrap_or(0);
        self.tasks_sorted_by_id = self.tasks.windows(2).all(|w| w[0].id < w[1].id);
        self.task_index = if self.tasks_sorted_by_id {
            HashMap::default()
        } else {
            super::data::index_of_ids(&self.tasks)
        };
        self.http_index = self
            .http
            .iter()
            .enumerate()
            .map(|(i, h)| (h.req, i))
            .collect();
        self.index_task_lists();
        self.location_index = HashMap::default();
    }

    /// Index of the task with tokio id `id`, if it appeared in this run.
    pub fn task_index(&self, id: TaskId) -> Option<u32> {
        if self.tasks_sorted_by_id {
            self.tasks
                .binary_search_by_key(&id, |t| t.id)
                .ok()
                .map(|i| i as u32)
        } else {
            self.task_index.get(&id).copied()
        }
    }

    pub fn task_by_id(&self, id: TaskId) -> Option<&Task> {
        self.task_index(id).map(|i| &self.tasks[i as usize])
    }

    /// The wakes in `[start_ns, end_ns)`, by binary search (wakes are sorted by time after
    /// [`Trace::finish`]; during a live run, batches from different threads interleave).
    pub fn wakes_in(&self, start_ns: u64, end_ns: u64) -> &[Wake] {
        let first = self.wakes.partition_point(|w| w.ts_ns() < start_ns);
        let last = self.wakes.partition_point(|w| w.ts_ns() < end_ns);
        &self.wakes[first..last.max(first)]
    }

    /// The polls of task `task` (an index into `tasks`), in time order once finished.
    pub fn task_polls(&self, task: u32) -> &[PollRef] {
        self.task_polls.get(task as usize)
    }

    /// The wakes of task `task` as indices into `wakes`, in time order once finished.
    pub fn task_wakes(&self, task: u32) -> &[u32] {
        self.task_wakes.get(task as usize)
    }

    /// Task `task`'s step marks (in time order once finished).
    pub fn task_step_marks(&self, task: u32) -> &[StepMark] {
        self.task_steps.get(task as usize)
    }

    /// Task `task`'s time in each step it entered, sorted by start; a step still open ends
    /// with the task (or the trace, while live).
    pub fn task_step_spans(&self, task: u32) -> Vec<StepSpan> {
        let t = &self.tasks[task as usize];
        spans_from_marks(
            self.task_step_marks(task),
            t.end_ns().unwrap_or_else(|| self.end_ns()),
        )
    }

    /// Sets task `task`'s step marks (a loaded file).
    pub(crate) fn set_task_step_marks(&mut self, task: u32, marks: &[StepMark]) {
        for &m in marks {
            self.task_steps.push(task as usize, m);
        }
    }

    /// The polls of `t` (a task of this trace), found by its id.
    pub fn polls_of(&self, t: &Task) -> &[PollRef] {
        self.task_index(t.id).map_or(&[], |i| self.task_polls(i))
    }

    /// The wakes of `t` (a task of this trace) as indices into `wakes`, found by its id.
    pub fn wakes_of(&self, t: &Task) -> &[u32] {
        self.task_index(t.id).map_or(&[], |i| self.task_wakes(i))
    }

    /// Where `t` was spawned, if that was seen.
    pub fn location(&self, t: &Task) -> Option<&SpawnLocation> {
        self.locations.get(t.location as usize)
    }

    /// The message `t` panicked with.
    pub fn panic_message(&self, t: &Task) -> Option<&str> {
        self.panics.get(&t.id).map(|m| &**m)
    }

    /// The scenario's name for the task, or where a library spawned it.
    /// What the GUI calls a task: "fetch #12", or "cpu_pool job 3" for a CPU-pool job (whose
    /// id is far above tokio's).
    pub fn title(&self, t: &Task) -> String {
        match t.id.checked_sub(CPU_JOB_IDS) {
            Some(n) if t.kind == TaskKind::CpuJob => format!("{} job {}", self.label(t), n + 1),
            _ => format!("{} #{}", self.label(t), t.id),
        }
    }

    pub fn label(&self, t: &Task) -> String {
        match (&t.name, self.location(t)) {
            (Some(n), _) => n.to_string(),
            (None, Some(loc)) => short_location(&loc.to_string()),
            (None, None) => format!("task {}", t.id),
        }
    }

    /// Records where task `task` (an index into `tasks`) was spawned.
    pub(crate) fn set_location(&mut self, task: u32, location: SpawnLocation) {
        let key = match &location {
            SpawnLocation::Static(l) => LocationKey::Static(std::ptr::from_ref(*l) as usize),
            SpawnLocation::Owned(s) => LocationKey::Owned(s.clone()),
        };
        let next = self.locations.len() as u32;
        let index = *self.location_index.entry(key).or_insert(next);
        if index == next {
            self.locations.push(location);
        }
        self.tasks[task as usize].location = index;
    }

    pub(crate) fn set_panic_message(&mut self, task: TaskId, message: Arc<str>) {
        self.panics.insert(task, message);
    }

    pub fn poll(&self, r: PollRef) -> &PollSpan {
        &self.lanes[r.lane as usize].polls[r.index as usize]
    }

    fn task_mut(&mut self, id: TaskId) -> (u32, &mut Task) {
        if self.tasks_sorted_by_id {
            // Events after `finish`: back to the map (a new task goes at the end).
            self.task_index = super::data::index_of_ids(&self.tasks);
            self.tasks_sorted_by_id = false;
        }
        let next = self.tasks.len() as u32;
        let idx = *self.task_index.entry(id).or_insert(next);
        if idx == next {
            self.tasks.push(Task::new(id));
        }
        (idx, &mut self.tasks[idx as usize])
    }

    fn lane_of(&mut self, thread: u32, kind: LaneKind) -> u16 {
        let state = self.threads.entry(thread).or_default();
        if let Some(l) = state.lane {
            return l;
        }
        let lane = self.lanes.len() as u16;
        state.lane = Some(lane);
        self.lanes.push(Lane {
            name: String::new(),
            kind,
            polls: Vec::new(),
            parks: Vec::new(),
        });
        self.lane_thread.push(thread);
        self.name_lanes();
        lane
    }

    /// Adds one batch of one thread's events.
    /// Ingests `batch` unless the trace holds `max_events` already: then only what fits
    /// goes in, the trace is marked truncated and the rest is counted as dropped. Returns
    /// false once the cap is reached (the caller stops recording).
    pub fn ingest_capped(&mut self, mut batch: Batch, max_events: u64) -> bool {
        let n = batch.events.len() as u64;
        let room = max_events.saturating_sub(self.events);
        if n > room || self.truncated {
            let keep = if self.truncated { 0 } else { room };
            batch.events.truncate(keep as usize);
            self.dropped_over_cap += n - keep;
            self.truncated = true;
        }
        if !batch.events.is_empty() {
            self.ingest(batch);
        }
        !self.truncated
    }

    pub fn ingest(&mut self, batch: Batch) {
        self.events += batch.events.len() as u64;
        if let Some(last) = batch.events.last() {
            // One thread's events are in time order.
            self.last_ts_ns = self.last_ts_ns.max(last.ts_ns);
        }
        let thread = batch.thread;
        for ev in batch.events {
            let ts = ev.ts_ns;
            match ev.kind {
                EventKind::Spawn { task, location } => {
                    let parent = self.running_on(thread);
                    let (i, t) = self.task_mut(task);
                    t.spawn = ts;
                    t.set_parent(parent);
                    self.set_location(i, SpawnLocation::Static(location));
                }
                EventKind::SpawnAt { task, location } => {
                    let parent = self.running_on(thread);
                    let (i, t) = self.task_mut(task);
                    t.spawn = ts;
                    t.set_parent(parent);
                    self.set_location(i, SpawnLocation::Owned(location));
                }
                EventKind::SpawnBlocking { task, location } => {
                    let parent = self.running_on(thread);
                    let (i, t) = self.task_mut(task);
                    t.kind = TaskKind::Blocking;
                    t.spawn = ts;
                    t.set_parent(parent);
                    self.set_location(i, SpawnLocation::Owned(location));
                }
                EventKind::Name { task, name } => {
                    self.task_mut(task).1.name = Some(name);
                }
                EventKind::PollStart { task } => self.open_poll(thread, task, ts, LaneKind::Worker),
                EventKind::Poll { task, end_ns } => {
                    self.open_poll(thread, task, ts, LaneKind::Worker);
                    self.close_poll(thread, task, end_ns, LaneKind::Worker);
                }
                EventKind::BlockingStart { task } => {
                    let (i, t) = self.task_mut(task);
                    t.kind = TaskKind::Blocking;
                    // tokio enters a blocking task's span again when it drops the finished
                    // closure: only the first entry is the run.
                    if self.task_polls(i).is_empty() && !self.internal.contains(&task) {
                        self.open_poll(thread, task, ts, LaneKind::Blocking);
                    }
                }
                EventKind::PollEnd { task } => self.close_poll(thread, task, ts, LaneKind::Worker),
                EventKind::BlockingEnd { task } => {
                    self.close_poll(thread, task, ts, LaneKind::Blocking)
                }
                EventKind::Terminate { task } => self.terminate(thread, task, ts),
                EventKind::Wake { task } => {
                    let by = self.running_on(thread).and_then(|id| self.task_index(id));
                    let (lane, epoch) = self
                        .threads
                        .get(&thread)
                        .map_or((None, 0), |s| (s.lane, s.park_epoch));
                    let index = self.wakes.len() as u32;
                    let (task, _) = self.task_mut(task);
                    let deferred = self
                        .pending_on
                        .get_mut(task as usize)
                        .map(std::mem::take)
                        .is_some_and(|p| p == pending_key(thread, epoch));
                    let by = by.or(deferred.then_some(task));
                    if let Some(s) = self.threads.get_mut(&thread)
                        && s.open.is_none()
                        && s.last_closed.is_some()
                    {
                        s.wakes_after_close.push(index);
                    }
                    self.task_wakes.push(task as usize, index);
                    self.wakes.push(Wake::new(ts, task, by, lane));
                }
                EventKind::Panic { message } => {
                    if let Some(task) = self.running_on(thread) {
                        self.set_panic_message(task, message);
                    }
                }
                EventKind::HttpStart { req, url } => {
                    let task = self.running_on(thread);
                    self.http_index.insert(req, self.http.len());
                    let early = self.http_early_ends.remove(&req);
                    self.http.push(HttpRequest {
                        req,
                        task,
                        url,
                        start_ns: ts,
                        end_ns: early.map(|e| e.0),
                        status: early.map(|e| e.1),
                    });
                }
                EventKind::HttpEnd { req, status } => match self.http_index.get(&req) {
                    Some(&i) => {
                        self.http[i].end_ns = Some(ts);
                        self.http[i].status = Some(status);
                    }
                    None => {
                        self.http_early_ends.insert(req, (ts, status));
                    }
                },
                EventKind::Heartbeat { late_ns } => {
                    self.heartbeats.push(Heartbeat { ts_ns: ts, late_ns })
                }
                EventKind::CpuJobQueued { job } => {
                    let parent = self.running_on(thread);
                    let (_, t) = self.task_mut(job);
                    t.kind = TaskKind::CpuJob;
                    t.spawn = ts;
                    t.set_parent(parent);
                    t.name = Some(Arc::from("cpu_pool"));
                }
                EventKind::CpuJobStart { job } => {
                    self.task_mut(job).1.kind = TaskKind::CpuJob;
                    self.open_poll(thread, job, ts, LaneKind::Cpu);
                }
                EventKind::CpuJobEnd { job } => {
                    self.close_poll(thread, job, ts, LaneKind::Cpu);
                    self.terminate(thread, job, ts);
                }
                EventKind::Abort { task } => {
                    self.aborted.insert(task);
                    // Its end may have come in first (another thread's batch).
                    if let Some(i) = self.task_index(task) {
                        let t = &mut self.tasks[i as usize];
                        if matches!(t.outcome, Some(Outcome::Shutdown | Outcome::Ok)) {
                            t.outcome = Some(Outcome::Cancelled);
                        }
                    }
                }
                EventKind::Print { text } => {
                    let task = self.running_on(thread);
                    // Batches of different threads arrive in any order: kept sorted.
                    let at = self.prints.partition_point(|p| p.ts_ns <= ts);
                    self.prints.insert(
                        at,
                        PrintLine {
                            ts_ns: ts,
                            task,
                            text,
                        },
                    );
                }
                EventKind::Park => {
                    // Only workers park: this thread is one.
                    let lane = self.lane_of(thread, LaneKind::Worker);
                    self.unmask_worker(thread, lane);
                    if let Some(s) = self.threads.get_mut(&thread) {
                        s.last_closed = None;
                        s.wakes_after_close.clear();
                        s.parked_since = Some(ts);
                        s.park_epoch = s.park_epoch.wrapping_add(1);
                    }
                }
                EventKind::Unpark => self.unpark(thread, ts),
                EventKind::StepEnter { step } => self.step_mark(thread, ts, step, true),
                EventKind::StepExit { step } => self.step_mark(thread, ts, step, false),
                EventKind::ChannelOp { channel, sent } => {
                    self.channel_ops.push(super::resources::ChannelOp {
                        ts_ns: ts,
                        channel,
                        sent,
                    })
                }
                EventKind::StepNext { exit, enter } => {
                    self.step_mark(thread, ts, exit, false);
                    self.step_mark(thread, ts, enter, true);
                }
            }
        }
    }

    /// The task running on `thread` enters (or leaves) step `step`.
    fn step_mark(&mut self, thread: u32, ts_ns: u64, step: u32, enter: bool) {
        if let Some(task) = self.running_on(thread).and_then(|id| self.task_index(id)) {
            self.task_steps
                .push(task as usize, StepMark { ts_ns, step, enter });
        }
    }

    /// The task whose code is running on `thread` now: the async poll in progress, else
    /// the blocking closure (or, on a blocking thread, the one that just returned: tokio
    /// wakes its JoinHandle right after). tokio's own task-id context is not used: outside
    /// the poll it can still hold a stale id.
    fn running_on(&self, thread: u32) -> Option<TaskId> {
        let state = self.threads.get(&thread)?;
        let lane_kind = self.lanes[state.lane? as usize].kind;
        state
            .open
            .or(state.blocking)
            .map(|o| self.tasks[o.task as usize].id)
            .filter(|id| !self.internal.contains(id))
            .or(match lane_kind {
                LaneKind::Blocking | LaneKind::Cpu => state.last_blocking,
                LaneKind::Worker => None,
            })
    }

    /// Records what each thread is polling right now, as capture sees it: `(thread, task,
    /// start_ns)`. tokio's own worker loops (blocking runs nobody was seen spawning) are
    /// left out.
    pub fn set_in_progress(&mut self, polls: impl IntoIterator<Item = (u32, TaskId, u64)>) {
        self.in_progress.clear();
        for (thread, task, start_ns) in polls {
            if self.internal.contains(&task) {
                continue;
            }
            // Only a task whose spawn is in tells which kind it is (a blocking task's spawn
            // may still sit in another thread's buffer; a worker loop has none at all).
            let Some(idx) = self.task_index(task) else {
                continue;
            };
            let t = &self.tasks[idx as usize];
            if t.spawn == NONE {
                continue;
            }
            let kind = match t.kind {
                TaskKind::Async => LaneKind::Worker,
                TaskKind::Blocking => LaneKind::Blocking,
                TaskKind::CpuJob => LaneKind::Cpu,
            };
            let lane = self.lane_of(thread, kind);
            if kind == LaneKind::Worker {
                self.unmask_worker(thread, lane);
            }
            self.in_progress.push(LivePoll {
                lane,
                task: idx,
                start_ns,
            });
        }
    }

    /// Names lanes `worker-N` / `blocking-N` / `cpu-N` in their order in `lanes` (creation
    /// order while live; `finish` sorts them by first poll first). On asyncio they are
    /// the `event-loop` and the default executor's `executor-N`.
    fn name_lanes(&mut self) {
        let (mut workers, mut blocking, mut cpu) = (0, 0, 0);
        let asyncio = self.runtime == Runtime::Asyncio;
        for lane in &mut self.lanes {
            let n = match lane.kind {
                LaneKind::Worker => &mut workers,
                LaneKind::Blocking => &mut blocking,
                LaneKind::Cpu => &mut cpu,
            };
            lane.name = match lane.kind {
                LaneKind::Worker if asyncio && *n == 0 => "event-loop".to_string(),
                LaneKind::Worker if asyncio => format!("event-loop-{n}"),
                LaneKind::Worker => format!("worker-{n}"),
                LaneKind::Blocking if asyncio => format!("executor-{n}"),
                LaneKind::Blocking => format!("blocking-{n}"),
                LaneKind::Cpu => format!("cpu-{n}"),
            };
            *n += 1;
        }
    }

    fn open_poll(&mut self, thread: u32, task: TaskId, ts: u64, kind: LaneKind) {
        let (idx, _) = self.task_mut(task);
        let lane = self.lane_of(thread, kind);
        let state = self.threads.entry(thread).or_default();
        let follows_own =
            kind == LaneKind::Worker && state.last_closed.take().is_some_and(|(t, _)| t == idx);
        if kind == LaneKind::Worker {
            state.wakes_after_close.clear();
        }
        let open = Some(OpenPoll {
            task: idx,
            start_ns: ts,
            terminated: false,
            follows_own,
        });
        match kind {
            LaneKind::Worker => {
                state.open = open;
                self.unmask_worker(thread, lane);
            }
            LaneKind::Blocking | LaneKind::Cpu => state.blocking = open,
        }
    }

    /// An async poll on `thread`: it is a worker, and the blocking run it seemed to be in
    /// is tokio's worker loop.
    fn unmask_worker(&mut self, thread: u32, lane: u16) {
        if let Some(host) = self
            .threads
            .get_mut(&thread)
            .and_then(|s| s.blocking.take())
        {
            self.internal.insert(self.tasks[host.task as usize].id);
        }
        if self.lanes[lane as usize].kind != LaneKind::Worker {
            self.lanes[lane as usize].kind = LaneKind::Worker;
            self.name_lanes();
        }
    }

    fn close_poll(&mut self, thread: u32, task: TaskId, ts: u64, kind: LaneKind) {
        let Some(state) = self.threads.get_mut(&thread) else {
            return;
        };
        let slot = match kind {
            LaneKind::Worker => &mut state.open,
            LaneKind::Blocking | LaneKind::Cpu => &mut state.blocking,
        };
        let (Some(open), Some(lane)) = (*slot, state.lane) else {
            return;
        };
        if self.tasks[open.task as usize].id != task {
            return;
        }
        *slot = None;
        let end_ns = ts.max(open.start_ns);
        let lane_polls = &mut self.lanes[lane as usize].polls;
        let index = lane_polls.len() as u32;
        // A blocking closure runs once, to the end.
        let outcome = if open.terminated || kind != LaneKind::Worker {
            PollOutcome::Ready
        } else {
            PollOutcome::Pending
        };
        lane_polls.push(PollSpan::new(open.start_ns, end_ns, open.task, outcome));
        match kind {
            LaneKind::Blocking | LaneKind::Cpu => state.last_blocking = Some(task),
            LaneKind::Worker => state.last_closed = Some((open.task, open.follows_own)),
        }
        if outcome == PollOutcome::Pending {
            let key = pending_key(thread, state.park_epoch);
            let i = open.task as usize;
            if self.pending_on.len() <= i {
                self.pending_on.resize(i + 1, 0);
            }
            self.pending_on[i] = key;
        }
        self.task_polls
            .push(open.task as usize, PollRef { lane, index });
        if open.terminated {
            // The task is complete when the poll that finished it returns.
            self.tasks[open.task as usize].end = end_ns;
        }
    }

    fn unpark(&mut self, thread: u32, ts: u64) {
        let Some(state) = self.threads.get_mut(&thread) else {
            return;
        };
        let (Some(start_ns), Some(lane)) = (state.parked_since.take(), state.lane) else {
            return;
        };
        self.lanes[lane as usize].parks.push(ParkSpan {
            start_ns,
            end_ns: ts.max(start_ns),
        });
    }

    /// Since when the worker on `lane` has been asleep, while it still is (live view).
    pub fn parked_now(&self, lane: u16) -> Option<u64> {
        let thread = *self.lane_thread.get(lane as usize)?;
        self.threads.get(&thread)?.parked_since
    }

    fn terminate(&mut self, thread: u32, task: TaskId, ts: u64) {
        if self.internal.contains(&task) {
            return;
        }
        let (idx, _) = self.task_mut(task);
        let state = self.threads.get_mut(&thread);
        let lane = state.as_ref().and_then(|s| s.lane);
        let mut finished_at = None;
        let mut finished = match state {
            // A terminate inside the poll that finished the task (tokio's poll hooks put it
            // there, and traces built by hand may).
            Some(ThreadState {
                open: Some(open), ..
            }) if open.task == idx => {
                open.terminated = true;
                true
            }
            // The span entry just before it was tokio dropping the future: not a poll.
            // Right after a poll, that poll returned Ready; alone, the task was cancelled.
            Some(s) if s.last_closed.is_some_and(|(t, _)| t == idx) => {
                let follows_own = s.last_closed.take().is_some_and(|(_, f)| f);
                for w in s.wakes_after_close.drain(..) {
                    if let Some(w) = self.wakes.get_mut(w as usize) {
                        w.by_task = idx;
                    }
                }
                let lane = lane.map_or(0, |l| l as usize);
                let polls = &mut self.lanes[lane].polls;
                if polls.pop().is_some() {
                    let r = PollRef {
                        lane: lane as u16,
                        index: polls.len() as u32,
                    };
                    self.task_polls.remove(idx as usize, &r);
                }
                match polls.last_mut() {
                    Some(p) if follows_own && p.task == idx => {
                        p.set_outcome(PollOutcome::Ready);
                        finished_at = Some(p.end_ns());
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        let last_run_end = self.task_polls(idx).last().map(|r| self.poll(*r).end_ns());
        let ran = last_run_end.is_some();
        let panicked = self.panics.contains_key(&task);
        let aborted = self.aborted.contains(&task);
        let t = &mut self.tasks[idx as usize];
        if t.kind != TaskKind::Async {
            // Its closure returned then; tokio's bookkeeping after it is not its work.
            finished_at = finished_at.or(last_run_end);
        }
        // The task is complete when the poll that finished it returns.
        t.end = finished_at.unwrap_or(ts);
        // A blocking task terminates just after its closure ran; an async task just after
        // the poll that finished it (or inside it). Anything else was dropped unfinished.
        finished |= t.kind != TaskKind::Async && ran;
        // An aborted task is cancelled whether it is dropped idle (tokio) or runs one last
        // step that raises its cancellation (asyncio's `Task.cancel()`).
        t.outcome = Some(match (finished, panicked) {
            (_, _) if aborted => Outcome::Cancelled,
            (true, true) => Outcome::Panicked,
            (true, false) => Outcome::Ok,
            (false, _) => Outcome::Shutdown,
        });
    }

    /// Sorts and resolves what arrived out of order across threads; call when the run is
    /// over (calling it again is harmless). Lanes are named in order of first use.
    pub fn finish(&mut self) {
        self.in_progress.clear();
        self.pending_on = Vec::new();
        self.prune();
        // A worker still asleep slept until the end.
        let end = self.end_ns();
        for state in self.threads.values_mut() {
            if let (Some(lane), Some(start_ns)) = (state.lane, state.parked_since.take()) {
                self.lanes[lane as usize].parks.push(ParkSpan {
                    start_ns,
                    end_ns: end.max(start_ns),
                });
            }
        }
        // Name lanes by first use: workers first, then blocking threads.
        let mut order: Vec<u16> = (0..self.lanes.len() as u16).collect();
        order.sort_by_key(|&l| {
            let lane = &self.lanes[l as usize];
            (
                lane.kind as u8,
                lane.polls.first().map_or(u64::MAX, |p| p.start_ns),
            )
        });
        let mut new_of_old = vec![0u16; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old as usize] = new as u16;
        }
        let mut lanes: Vec<Option<Lane>> = std::mem::take(&mut self.lanes)
            .into_iter()
            .map(Some)
            .collect();
        let old_threads = std::mem::take(&mut self.lane_thread);
        for &old in &order {
            if let Some(lane) = lanes[old as usize].take() {
                self.lanes.push(lane);
                self.lane_thread.push(old_threads[old as usize]);
            }
        }
        self.name_lanes();
        for state in self.threads.values_mut() {
            if let Some(l) = state.lane.as_mut() {
                *l = new_of_old[*l as usize];
            }
        }
        for w in &mut self.wakes {
            let lane = w.lane().map(|l| new_of_old[l as usize]);
            w.set_lane(lane);
        }

        // Wakes arrive per thread.
        self.wakes.sort_by_key(|w| w.ts_ns());
        self.index_task_lists();
        self.resolve_deferred_self_wakes();
        self.channel_ops.sort_by_key(|op| (op.ts_ns, op.sent));
        // Marks arrive per thread; a task's steps span the threads it was polled on.
        // Stable: marks of one instant stay in the order they were recorded.
        self.task_steps.sort_each_by_key(|m| m.ts_ns);
        self.http.sort_by_key(|h| h.start_ns);
        self.http_index = self
            .http
            .iter()
            .enumerate()
            .map(|(i, h)| (h.req, i))
            .collect();
        self.heartbeats.sort_by_key(|h| h.ts_ns);
        self.compact();
    }

    /// tokio defers the wakes of `yield_now` and of the coop budget until the worker runs
    /// out of work, so they come from outside any poll: a wake from outside a poll, on the
    /// worker whose poll of the task (the last before the wake) ended Pending, with no sleep
    /// of that worker in between, is the task waking itself. While live, `pending_on` guesses
    /// this as batches arrive, and a thread's batch can arrive after another thread's later
    /// polls of the same task; here, with everything in time order, it is decided exactly.
    fn resolve_deferred_self_wakes(&mut self) {
        for wi in 0..self.wakes.len() {
            let w = self.wakes[wi];
            let Some(lane) = w.lane() else { continue };
            if w.by().is_some() && w.by() != Some(w.task) {
                continue;
            }
            let polls = self.task_polls(w.task);
            let before = polls.partition_point(|r| self.poll(*r).start_ns <= w.ts_ns());
            let own = before.checked_sub(1).map(|i| polls[i]).is_some_and(|r| {
                let p = self.poll(r);
                let parks = &self.lanes[lane as usize].parks;
                let slept = parks[parks.partition_point(|s| s.start_ns < p.end_ns())..]
                    .first()
                    .is_some_and(|s| s.start_ns <= w.ts_ns());
                r.lane == lane
                    && p.outcome() == PollOutcome::Pending
                    && p.end_ns() <= w.ts_ns()
                    && !slept
            });
            let inside_own_poll = w.by() == Some(w.task) && {
                let p = before.checked_sub(1).map(|i| *self.poll(polls[i]));
                p.is_some_and(|p| p.end_ns() >= w.ts_ns())
            };
            if !inside_own_poll {
                self.wakes[wi].by_task = if own { w.task } else { NO_TASK };
            }
        }
    }

    /// Lists each task's polls and wakes, in time order, from the lanes and the wakes
    /// (which must be sorted by time), as flat lists.
    pub(super) fn index_task_lists(&mut self) {
        let tasks = self.tasks.len();
        let lanes = &self.lanes;
        let polls = || {
            lanes.iter().enumerate().flat_map(|(li, l)| {
                l.polls.iter().enumerate().map(move |(pi, p)| {
                    let r = PollRef {
                        lane: li as u16,
                        index: pi as u32,
                    };
                    (p.task, r)
                })
            })
        };
        // Dropped first, so the old lists and the new array are never held at once.
        self.task_polls.clear();
        self.task_polls = PerTask::flat_from(tasks, polls);
        // Listed lane by lane: a task polled on several threads needs sorting.
        self.task_polls
            .sort_each_by_key(|r| lanes[r.lane as usize].polls[r.index as usize].start_ns);
        let wakes = &self.wakes;
        self.task_wakes.clear();
        self.task_wakes = PerTask::flat_from(tasks, || {
            wakes.iter().enumerate().map(|(i, w)| (w.task, i as u32))
        });
    }

    /// Gives back what growing vectors over-allocated while the run was live (up to half
    /// of a lane): a finished trace no longer grows.
    fn compact(&mut self) {
        self.tasks.shrink_to_fit();
        for l in &mut self.lanes {
            l.polls.shrink_to_fit();
        }
        self.wakes.shrink_to_fit();
        self.threads.shrink_to_fit();
        self.task_index.shrink_to_fit();
        self.location_index = HashMap::default();
        self.locations.shrink_to_fit();
    }

    /// Removes what is not the scenario's work and renumbers the tasks in id order (then a
    /// binary search finds a task by id, with no map): tokio's own blocking runs
    /// (the multi-thread runtime runs each worker loop as a blocking task, spawned while
    /// the runtime was built, before capture saw any spawn; their threads are worker
    /// lanes), and the "polls" of a task that was cancelled meanwhile (tokio calls the poll
    /// hooks for a queued task it then finds cancelled, without polling it).
    fn prune(&mut self) {
        for t in &self.tasks {
            if t.kind == TaskKind::Blocking && t.spawn == NONE {
                self.internal.insert(t.id);
            }
        }
        // Also dropped: ids that were only ever woken (tokio's block_on future has a
        // tracing id too).
        let keep: Vec<bool> = self
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                !self.internal.contains(&t.id)
                    && (t.spawn != NONE || !self.task_polls(i as u32).is_empty())
            })
            .collect();
        let tasks = &self.tasks;
        let phantom = |p: &PollSpan| {
            let t = &tasks[p.task as usize];
            // A cancelled task was idle when it was dropped, so a "poll" still open then
            // (another worker had popped its notification) never really ran.
            matches!(t.outcome, Some(Outcome::Cancelled | Outcome::Shutdown))
                && t.end_ns().is_some_and(|end| p.end_ns() > end)
        };
        let any_phantom = self.lanes.iter().any(|l| l.polls.iter().any(phantom));
        let sorted = self.tasks.windows(2).all(|w| w[0].id < w[1].id);
        if keep.iter().all(|&k| k) && !any_phantom && sorted {
            self.task_index = HashMap::default();
            self.tasks_sorted_by_id = true;
            return;
        }
        let mut order: Vec<u32> = (0..self.tasks.len() as u32)
            .filter(|&i| keep[i as usize])
            .collect();
        order.sort_unstable_by_key(|&i| self.tasks[i as usize].id);
        let mut new_index = vec![u32::MAX; self.tasks.len()];
        for (n, &old) in order.iter().enumerate() {
            new_index[old as usize] = n as u32;
        }
        for lane in &mut self.lanes {
            let before = lane.polls.len();
            lane.polls.retain(|p| !phantom(p));
            lane.polls.retain(|p| keep[p.task as usize]);
            if lane.polls.len() != before && lane.kind == LaneKind::Blocking {
                // Only a worker loop is removed from a blocking lane.
                lane.kind = LaneKind::Worker;
            }
            for p in &mut lane.polls {
                p.task = new_index[p.task as usize];
            }
        }
        self.wakes.retain(|w| keep[w.task as usize]);
        for w in &mut self.wakes {
            w.task = new_index[w.task as usize];
            let by = w
                .by()
                .map(|b| new_index[b as usize])
                .filter(|&b| b != u32::MAX);
            w.by_task = by.unwrap_or(NO_TASK);
        }
        let mut old: Vec<Option<Task>> = std::mem::take(&mut self.tasks)
            .into_iter()
            .map(Some)
            .collect();
        self.tasks = order
            .iter()
            .filter_map(|&i| old[i as usize].take())
            .collect();
        // `finish` lists the polls and wakes of the renumbered tasks again.
        self.task_polls.clear();
        self.task_wakes.clear();
        let marks = std::mem::take(&mut self.task_steps);
        self.task_steps = PerTask::flat_from(order.len(), || {
            order.iter().enumerate().flat_map(|(new, &old)| {
                marks
                    .get(old as usize)
                    .iter()
                    .map(move |&m| (new as u32, m))
            })
        });
        self.panics
            .retain(|id, _| self.tasks.binary_search_by_key(id, |t| t.id).is_ok());
        for state in self.threads.values_mut() {
            for slot in [&mut state.open, &mut state.blocking] {
                if let Some(o) = slot.as_mut() {
                    o.task = new_index[o.task as usize];
                }
                if slot.is_some_and(|o| o.task == u32::MAX) {
                    *slot = None;
                }
            }
        }
        self.task_index = HashMap::default();
        self.tasks_sorted_by_id = true;
    }

    /// Where recording stopped in a truncated trace: the last recorded poll or wake
    /// (batches arrive per thread, so that is where the recording ended); None otherwise.
    pub fn recorded_until_ns(&self) -> Option<u64> {
        if !self.truncated {
            return None;
        }
        self.lanes
            .iter()
            .filter_map(|l| l.polls.last().map(|p| p.end_ns()))
            .chain(self.wakes.last().map(|w| w.ts_ns()))
            .max()
    }

    /// Where wake `w` came from.
    pub fn wake_source(&self, w: &Wake) -> WakeSource {
        match w.by() {
            Some(b) if b == w.task => WakeSource::SelfWake,
            Some(b)
                if self
                    .tasks
                    .get(b as usize)
                    .is_some_and(|t| t.kind == TaskKind::Blocking) =>
            {
                WakeSource::Blocking
            }
            Some(b) => WakeSource::Task(b),
            None => match w.lane().and_then(|l| self.lanes.get(l as usize)) {
                Some(l) if l.kind == LaneKind::Blocking => WakeSource::Blocking,
                _ => WakeSource::Driver,
            },
        }
    }

    /// How many of task `task`'s wakes it did itself, during its own poll.
    pub fn self_wakes(&self, task: u32) -> usize {
        self.task_wakes(task)
            .iter()
            .filter(|&&w| self.wakes[w as usize].by() == Some(task))
            .count()
    }

    /// How many times task `task` moved: a poll on another worker than its previous poll
    /// (stolen from a queue, or woken onto another worker).
    pub fn migrations(&self, task: u32) -> usize {
        let workers = self
            .task_polls(task)
            .iter()
            .filter(|r| self.lanes[r.lane as usize].kind == LaneKind::Worker)
            .map(|r| r.lane);
        let mut prev = None;
        let mut moves = 0;
        for lane in workers {
            if prev.is_some_and(|p| p != lane) {
                moves += 1;
            }
            prev = Some(lane);
        }
        moves
    }

    /// The latest timestamp anywhere in the trace.
    pub fn end_ns(&self) -> u64 {
        self.last_ts_ns.max(self.wall_ns)
    }

    /// The task's life as state intervals, from spawn to completion (or the end of the
    /// trace): scheduled (woken or spawned, not yet polled), running, waiting (pending, with
    /// what for and in which step). The spans tile the task's life without overlapping. One
    /// pass over the task's polls, wakes and step marks.
    pub fn task_states(&self, task: u32) -> Vec<StateSpan> {
        let t = &self.tasks[task as usize];
        let polls = self.task_polls(task);
        let mut out = Vec::with_capacity(polls.len() * 3 + 1);
        let end_of_life = t.end_ns().unwrap_or_else(|| self.end_ns());
        let mut cursor = match (t.spawn_ns(), polls.first()) {
            (Some(s), _) => s,
            (None, Some(p)) => self.poll(*p).start_ns,
            (None, None) => return out,
        };
        let wakes: Vec<Wake> = self
            .task_wakes(task)
            .iter()
            .map(|&w| self.wakes[w as usize])
            .collect();
        let mut wi = 0;
        let step_spans = self.task_step_spans(task);
        let mut open = OpenSteps::new(&step_spans);
        let no_steps = step_spans.is_empty();
        // What the task waits for from `at` on: its steps say, else (a library task) who
        // ends the wait.
        let mut reason_at = |at: u64, wake: Option<&Wake>| -> (WaitReason, Option<u32>) {
            match wait_at(&self.steps, open.at(at)) {
                Some((w, step)) => (w, Some(step)),
                // A library task (hyper's connection) that the driver wakes, or that sits
                // on its socket until the runtime drops it.
                None if no_steps
                    && wake.is_none_or(|w| self.wake_source(w) == WakeSource::Driver) =>
                {
                    (WaitReason::Io, None)
                }
                None => (WaitReason::Other, None),
            }
        };
        let mut state = StateSpan::new(cursor, cursor, TaskState::Scheduled);
        // Zero-length scheduled spans are kept: each poll has exactly one, so the
        // scheduling delays can be read off them.
        let push = |out: &mut Vec<StateSpan>, mut span: StateSpan, end: u64| {
            span.end_ns = end;
            if end > span.start_ns || (span.state == TaskState::Scheduled && end == span.start_ns) {
                out.push(span);
            }
        };
        for r in polls {
            let p = self.poll(*r);
            if state.state == TaskState::Waiting {
                // The wake that ended the wait: the first at or after it began.
                while wakes.get(wi).is_some_and(|w| w.ts_ns() < cursor) {
                    wi += 1;
                }
                let wake = wakes.get(wi).filter(|w| w.ts_ns() <= p.start_ns);
                let (wait, step) = reason_at(cursor, wake);
                state.wait = Some(wait);
                state.step = step;
                let woken_at = wake.map_or(cursor, Wake::ts_ns);
                if wake.is_some() {
                    push(&mut out, state, woken_at);
                }
                state = StateSpan {
                    start_ns: woken_at,
                    state: TaskState::Scheduled,
                    woken_by: wake.map(|w| self.wake_source(w)),
                    ..state
                };
            }
            push(&mut out, state, p.start_ns.max(state.start_ns));
            push(
                &mut out,
                StateSpan::new(p.start_ns, p.end_ns(), TaskState::Running),
                p.end_ns(),
            );
            cursor = p.end_ns();
            // Woken during its own poll (yield_now, the coop budget): scheduled right away.
            while wakes.get(wi).is_some_and(|w| w.ts_ns() < p.start_ns) {
                wi += 1;
            }
            let woken_in_poll = wakes.get(wi).filter(|w| w.ts_ns() <= p.end_ns());
            state = match woken_in_poll {
                Some(w) => {
                    let (wait, step) = reason_at(cursor, Some(w));
                    StateSpan {
                        start_ns: cursor,
                        end_ns: cursor,
                        state: TaskState::Scheduled,
                        wait: Some(wait),
                        step,
                        woken_by: Some(self.wake_source(w)),
                    }
                }
                None => StateSpan::new(cursor, cursor, TaskState::Waiting),
            };
            if p.outcome() == PollOutcome::Ready {
                return out;
            }
        }
        if state.state == TaskState::Waiting {
            while wakes.get(wi).is_some_and(|w| w.ts_ns() < cursor) {
                wi += 1;
            }
            let wake = wakes.get(wi).filter(|w| w.ts_ns() <= end_of_life);
            let (wait, step) = reason_at(cursor, wake);
            state.wait = Some(wait);
            state.step = step;
            if let Some(w) = wake {
                push(&mut out, state, w.ts_ns());
                state = StateSpan {
                    start_ns: w.ts_ns(),
                    state: TaskState::Scheduled,
                    woken_by: Some(self.wake_source(w)),
                    ..state
                };
            }
        }
        push(&mut out, state, end_of_life.max(state.start_ns));
        out
    }

    /// Each poll of the task with the wake that made it runnable: the first wake at or
    /// after the previous poll began and not after this poll began (None for the first
    /// poll, which the spawn made runnable, and where no wake was seen).
    pub fn polls_with_wakes(&self, task: u32) -> Vec<(PollRef, Option<Wake>)> {
        let mut wakes = self
            .task_wakes(task)
            .iter()
            .map(|&w| self.wakes[w as usize])
            .peekable();
        let mut prev_start = None;
        self.task_polls(task)
            .iter()
            .map(|&r| {
                let p = self.poll(r);
                let wake = prev_start.replace(p.start_ns).and_then(|since| {
                    while wakes.peek().is_some_and(|w| w.ts_ns() < since) {
                        wakes.next();
                    }
                    wakes.peek().copied().filter(|w| w.ts_ns() <= p.start_ns)
                });
                (r, wake)
            })
            .collect()
    }

    /// For each poll of the task: how long it waited to be polled after it became ready to
    /// run (spawn or wake, or the end of its previous poll when woken during it).
    pub fn sched_delays_ns(&self, task: u32) -> Vec<u64> {
        self.task_states(task)
            .iter()
            .filter(|s| s.state == TaskState::Scheduled)
            .map(|s| s.end_ns - s.start_ns)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::event::{Batch, Event, EventKind};

    fn ev(ts_ns: u64, kind: EventKind) -> Event {
        Event { ts_ns, kind }
    }

    fn spawn(ts: u64, task: TaskId) -> Event {
        ev(
            ts,
            EventKind::Spawn {
                task,
                location: std::panic::Location::caller(),
            },
        )
    }

    fn poll(start: u64, end: u64, task: TaskId) -> [Event; 2] {
        [
            ev(start, EventKind::PollStart { task }),
            ev(end, EventKind::PollEnd { task }),
        ]
    }

    fn batch(thread: u32, events: Vec<Event>) -> Batch {
        Batch { thread, events }
    }

    /// Task 1 spawned from outside, polled pending at 10..20, woken by the driver at 50 (its
    /// worker asleep from 30 to 55),
    /// polled to completion 60..70; it spawned task 2 during its first poll, which wakes
    /// nobody and finishes in one poll on thread 1.
    fn two_task_trace() -> Trace {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(5, 1)];
        a.push(ev(10, EventKind::PollStart { task: 1 }));
        a.push(spawn(12, 2));
        a.push(ev(20, EventKind::PollEnd { task: 1 }));
        // The worker sleeps; the I/O driver, run by the sleeping worker, wakes task 1.
        a.push(ev(30, EventKind::Park));
        a.push(ev(50, EventKind::Wake { task: 1 }));
        a.push(ev(55, EventKind::Unpark));
        a.push(ev(60, EventKind::PollStart { task: 1 }));
        a.push(ev(69, EventKind::Terminate { task: 1 }));
        a.push(ev(70, EventKind::PollEnd { task: 1 }));
        let b = vec![
            ev(30, EventKind::PollStart { task: 2 }),
            ev(34, EventKind::Wake { task: 1 }),
            ev(39, EventKind::Terminate { task: 2 }),
            ev(40, EventKind::PollEnd { task: 2 }),
        ];
        // Thread 1's batch arrives first: order across threads is not guaranteed.
        t.ingest(batch(1, b));
        t.ingest(batch(0, a));
        t.finish();
        t
    }

    #[test]
    fn a_whole_poll_event_is_a_start_and_an_end() {
        let whole = {
            let mut t = Trace::new("t");
            t.ingest(batch(
                0,
                vec![
                    spawn(0, 1),
                    ev(
                        10,
                        EventKind::Poll {
                            task: 1,
                            end_ns: 25,
                        },
                    ),
                    ev(30, EventKind::Wake { task: 1 }),
                    ev(
                        40,
                        EventKind::Poll {
                            task: 1,
                            end_ns: 44,
                        },
                    ),
                ],
            ));
            t.finish();
            t
        };
        let pairs = {
            let mut t = Trace::new("t");
            t.ingest(batch(
                0,
                vec![
                    spawn(0, 1),
                    ev(10, EventKind::PollStart { task: 1 }),
                    ev(25, EventKind::PollEnd { task: 1 }),
                    ev(30, EventKind::Wake { task: 1 }),
                    ev(40, EventKind::PollStart { task: 1 }),
                    ev(44, EventKind::PollEnd { task: 1 }),
                ],
            ));
            t.finish();
            t
        };
        assert_eq!(whole.lanes.len(), 1);
        assert_eq!(whole.lanes[0].polls, pairs.lanes[0].polls);
        assert_eq!(whole.wakes, pairs.wakes);
    }

    #[test]
    fn polls_get_outcomes_and_tasks_get_parents() {
        let t = two_task_trace();
        let t1 = t.task_by_id(1).expect("task 1");
        let t2 = t.task_by_id(2).expect("task 2");
        assert_eq!(t1.parent(), None);
        assert_eq!(t2.parent(), Some(1), "spawned during task 1's poll");
        let outcomes: Vec<_> = t
            .polls_of(t1)
            .iter()
            .map(|r| t.poll(*r).outcome())
            .collect();
        assert_eq!(outcomes, [PollOutcome::Pending, PollOutcome::Ready]);
        assert_eq!(t1.outcome, Some(Outcome::Ok));
        assert_eq!(
            t1.end_ns(),
            Some(70),
            "complete when the finishing poll returns"
        );
        assert_eq!(t2.outcome, Some(Outcome::Ok));
    }

    #[test]
    fn lanes_are_named_in_order_of_first_use() {
        let t = two_task_trace();
        let names: Vec<_> = t.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["worker-0", "worker-1"]);
        assert_eq!(t.lanes[0].polls.len(), 2, "thread 0 polled first (at 10)");
    }

    #[test]
    fn wakes_name_the_task_running_on_that_thread_or_the_driver() {
        let t = two_task_trace();
        let by: Vec<_> = t
            .wakes
            .iter()
            .map(|w| w.by().map(|b| t.tasks[b as usize].id))
            .collect();
        assert_eq!(
            by,
            [Some(2), None],
            "task 2's poll woke task 1, then the driver did"
        );
    }

    #[test]
    fn task_states_follow_spawn_polls_and_wakes() {
        let t = two_task_trace();
        let states: Vec<_> = t
            .task_states(t.task_index(1).expect("task"))
            .iter()
            .map(|s| (s.start_ns, s.end_ns, s.state))
            .collect();
        use TaskState::*;
        assert_eq!(
            states,
            [
                (5, 10, Scheduled),
                (10, 20, Running),
                (20, 34, Waiting),
                (34, 60, Scheduled),
                (60, 70, Running),
            ]
        );
        assert_eq!(t.sched_delays_ns(t.task_index(1).expect("task")), [5, 26]);
    }

    #[test]
    fn a_live_trace_has_wakes_and_states_before_finish() {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(0, 1)];
        a.extend(poll(10, 20, 1));
        a.push(ev(30, EventKind::Wake { task: 1 }));
        // Woken, but never spawned nor polled: tokio's block_on future.
        a.push(ev(31, EventKind::Wake { task: 999 }));
        a.extend(poll(40, 50, 1));
        t.ingest(batch(0, a));
        let states: Vec<_> = t.task_states(0).iter().map(|s| s.state).collect();
        use TaskState::*;
        assert_eq!(states, [Scheduled, Running, Waiting, Scheduled, Running]);
        assert_eq!(t.task_wakes(0).len(), 1);
        t.finish();
        assert!(
            t.task_by_id(999).is_none(),
            "only-woken ids are not tasks of the run"
        );
        assert_eq!(t.wakes.len(), 1);
        assert_eq!(t.task_wakes(0), [0]);
    }

    #[test]
    fn a_poll_in_progress_shows_on_its_worker_lane_before_its_events_arrive() {
        let mut t = Trace::new("t");
        // Thread 0 is a worker whose loop runs as a blocking task; nothing else from it yet.
        t.ingest(batch(
            0,
            vec![ev(1, EventKind::BlockingStart { task: 100 })],
        ));
        t.ingest(batch(1, vec![spawn(2, 7)]));
        t.set_in_progress([(0, 7, 5)]);
        assert_eq!(t.lanes[0].name, "worker-0");
        assert_eq!(t.lanes[0].kind, LaneKind::Worker);
        let lp = t.in_progress[0];
        assert_eq!(
            (lp.lane, t.tasks[lp.task as usize].id, lp.start_ns),
            (0, 7, 5)
        );
        // The worker loop itself is never shown as in progress.
        t.set_in_progress([(0, 100, 1)]);
        assert!(t.in_progress.is_empty());
        // Nor is a run whose spawn has not arrived: its kind is unknown, and guessing
        // would make a blocking thread look like a worker.
        t.set_in_progress([(3, 55, 1)]);
        assert!(t.in_progress.is_empty());
        assert_eq!(t.lanes.len(), 1);
        t.finish();
        assert!(t.in_progress.is_empty());
    }

    #[test]
    fn self_wake_during_a_poll_schedules_right_after_it() {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(0, 7)];
        a.push(ev(10, EventKind::PollStart { task: 7 }));
        a.push(ev(15, EventKind::Wake { task: 7 }));
        a.push(ev(20, EventKind::PollEnd { task: 7 }));
        a.extend(poll(25, 30, 7));
        t.ingest(batch(0, a));
        t.finish();
        let states: Vec<_> = t.task_states(0).iter().map(|s| s.state).collect();
        use TaskState::*;
        assert_eq!(states, [Scheduled, Running, Scheduled, Running]);
        assert_eq!(
            t.sched_delays_ns(0),
            [10, 5],
            "ready again when the poll returned"
        );
        assert_eq!(t.wakes[0].by(), Some(0), "a self-wake");
    }

    #[test]
    fn range_query_returns_only_overlapping_polls() {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(0, 1)];
        for i in 0..100u64 {
            a.extend(poll(i * 10, i * 10 + 5, 1));
        }
        t.ingest(batch(0, a));
        t.finish();
        let lane = &t.lanes[0];
        let hit = lane.polls_in(22, 41);
        let starts: Vec<_> = hit.iter().map(|p| p.start_ns).collect();
        assert_eq!(starts, [20, 30, 40]);
        assert!(lane.polls_in(6, 10).is_empty(), "a gap between polls");
        assert_eq!(lane.polls_in(0, u64::MAX).len(), 100);
        assert!(lane.polls_in(2000, 3000).is_empty());
    }

    #[test]
    fn cancelled_tasks_lose_phantom_polls_and_keep_their_outcome() {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(0, 1)];
        a.extend(poll(10, 20, 1));
        // Thread 1 cancels the idle task at shutdown (no poll open there)…
        let b = vec![ev(30, EventKind::Terminate { task: 1 })];
        // …and thread 0 runs the hooks for its queued notification afterwards, or had
        // just begun to when the task was dropped.
        a.extend(poll(29, 32, 1));
        t.ingest(batch(0, a));
        t.ingest(batch(1, b));
        t.finish();
        let task = t.task_by_id(1).expect("task");
        assert_eq!(
            task.outcome,
            Some(Outcome::Shutdown),
            "dropped, not aborted"
        );
        assert_eq!(t.polls_of(task).len(), 1);
        assert_eq!(t.lanes[0].polls.len(), 1);
    }

    #[test]
    fn an_aborted_task_is_cancelled_whichever_batch_comes_first() {
        for abort_first in [true, false] {
            let mut t = Trace::new("t");
            let mut a = vec![spawn(0, 1), spawn(0, 2)];
            a.extend(poll(10, 20, 1));
            a.extend(poll(21, 22, 2));
            // Thread 1 says it aborts task 1; task 1 then ends unfinished on thread 0, and
            // task 2, never aborted, is dropped at shutdown.
            let b = vec![ev(25, EventKind::Abort { task: 1 })];
            a.push(ev(30, EventKind::Terminate { task: 1 }));
            a.push(ev(40, EventKind::Terminate { task: 2 }));
            if abort_first {
                t.ingest(batch(1, b));
                t.ingest(batch(0, a));
            } else {
                t.ingest(batch(0, a));
                t.ingest(batch(1, b));
            }
            t.finish();
            let one = t.task_by_id(1).expect("task 1");
            assert_eq!(
                one.outcome,
                Some(Outcome::Cancelled),
                "abort first: {abort_first}"
            );
            let two = t.task_by_id(2).expect("task 2");
            assert_eq!(two.outcome, Some(Outcome::Shutdown));
        }
    }

    /// What capture records: tokio enters a task's span around each poll, and once more to
    /// drop the future, right after the poll that returned Ready; its terminate hook comes
    /// after that (the joiner's wake may come between).
    #[test]
    fn the_drop_after_a_ready_poll_is_not_a_poll_and_makes_it_ready() {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(0, 1), spawn(1, 2)];
        a.extend(poll(10, 20, 1));
        a.push(ev(30, EventKind::Wake { task: 1 }));
        a.extend(poll(40, 50, 1));
        a.extend(poll(50, 51, 1)); // the drop
        a.push(ev(52, EventKind::Wake { task: 2 }));
        a.push(ev(53, EventKind::Terminate { task: 1 }));
        t.ingest(batch(0, a));
        t.finish();
        let task = t.task_by_id(1).expect("task");
        let polls: Vec<_> = t.polls_of(task).iter().map(|r| *t.poll(*r)).collect();
        let outcomes: Vec<_> = polls.iter().map(PollSpan::outcome).collect();
        assert_eq!(outcomes, [PollOutcome::Pending, PollOutcome::Ready]);
        assert_eq!(
            t.lanes[0].polls.len(),
            2,
            "the drop is gone from the lane too"
        );
        assert_eq!(task.outcome, Some(Outcome::Ok));
        assert_eq!(
            task.end_ns(),
            Some(50),
            "complete when the finishing poll returned"
        );
        let joiner_woken_by: Vec<_> = t
            .wakes
            .iter()
            .filter(|w| w.task == 1)
            .map(Wake::by)
            .collect();
        assert_eq!(joiner_woken_by, [Some(0)], "the joiner's wake is task 1's");
    }

    #[test]
    fn a_drop_alone_is_an_end_at_shutdown_and_a_repoll_without_terminate_stays_a_poll() {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(0, 1), spawn(0, 2)];
        // Task 2 wakes itself during its poll and is polled again at once: two polls.
        a.push(ev(5, EventKind::PollStart { task: 2 }));
        a.push(ev(6, EventKind::Wake { task: 2 }));
        a.push(ev(7, EventKind::PollEnd { task: 2 }));
        a.extend(poll(7, 9, 2));
        a.extend(poll(10, 20, 1));
        a.push(ev(25, EventKind::Park));
        a.push(ev(30, EventKind::Unpark));
        // Runtime shutdown drops both idle tasks.
        a.extend(poll(31, 32, 1));
        a.push(ev(33, EventKind::Terminate { task: 1 }));
        a.extend(poll(34, 35, 2));
        a.push(ev(36, EventKind::Terminate { task: 2 }));
        t.ingest(batch(0, a));
        t.finish();
        let one = t.task_by_id(1).expect("task 1");
        assert_eq!(one.outcome, Some(Outcome::Shutdown));
        assert_eq!(t.polls_of(one).len(), 1);
        assert_eq!(t.poll(t.polls_of(one)[0]).outcome(), PollOutcome::Pending);
        let two = t.task_by_id(2).expect("task 2");
        assert_eq!(two.outcome, Some(Outcome::Shutdown));
        let outcomes: Vec<_> = t
            .polls_of(two)
            .iter()
            .map(|r| t.poll(*r).outcome())
            .collect();
        assert_eq!(outcomes, [PollOutcome::Pending, PollOutcome::Pending]);
        assert_eq!(t.lanes[0].polls.len(), 3);
    }

    /// The defect the poll hooks had: a task woken during its poll, stolen by another worker
    /// and polled there before the first worker's after-poll hook ran. Timed by the span,
    /// the two polls follow each other, and the drop on the thief finishes the task.
    #[test]
    fn a_task_stolen_right_after_its_poll_is_never_in_two_places() {
        let mut t = Trace::new("t");
        let mut a = vec![spawn(0, 1)];
        a.push(ev(10, EventKind::PollStart { task: 1 }));
        a.push(ev(15, EventKind::Wake { task: 1 }));
        a.push(ev(20, EventKind::PollEnd { task: 1 }));
        let mut b = poll(21, 30, 1).to_vec();
        b.extend(poll(30, 31, 1));
        b.push(ev(32, EventKind::Terminate { task: 1 }));
        t.ingest(batch(1, b));
        t.ingest(batch(0, a));
        t.finish();
        let task = t.task_by_id(1).expect("task");
        let polls: Vec<_> = t.polls_of(task).iter().map(|r| *t.poll(*r)).collect();
        assert_eq!(polls.len(), 2);
        assert!(polls[0].end_ns() <= polls[1].start_ns, "{polls:?}");
        assert_eq!(polls[1].outcome(), PollOutcome::Ready);
        assert_eq!(task.outcome, Some(Outcome::Ok));
        assert_eq!(t.migrations(0), 1);
    }

    /// Thread 0 polls the task, which yields; tokio wakes it from thread 0's deferred list
    /// later, but thread 0's batch with that wake arrives after thread 1's batch, which
    /// already holds the task's next polls (it was stolen) and its drop.
    #[test]
    fn a_deferred_self_wake_is_found_whatever_order_the_batches_arrive_in() {
        let mut t = Trace::new("t");
        let a = vec![
            spawn(0, 1),
            ev(10, EventKind::PollStart { task: 1 }),
            ev(20, EventKind::PollEnd { task: 1 }),
            ev(25, EventKind::Wake { task: 1 }),
        ];
        let mut b = poll(30, 40, 1).to_vec();
        b.extend(poll(40, 41, 1));
        b.push(ev(42, EventKind::Terminate { task: 1 }));
        t.ingest(batch(1, b));
        t.ingest(batch(0, a));
        t.finish();
        assert_eq!(t.wakes[0].by(), Some(0), "a self-wake");
        assert_eq!(t.wake_source(&t.wakes[0]), WakeSource::SelfWake);
        // The same wake after the worker slept is the driver's.
        let mut t = Trace::new("t");
        let a = vec![
            spawn(0, 1),
            ev(10, EventKind::PollStart { task: 1 }),
            ev(20, EventKind::PollEnd { task: 1 }),
            ev(22, EventKind::Park),
            ev(25, EventKind::Wake { task: 1 }),
            ev(26, EventKind::Unpark),
        ];
        t.ingest(batch(0, a));
        t.finish();
        assert_eq!(t.wake_source(&t.wakes[0]), WakeSource::Driver);
    }

    /// The interpreter marks a task's steps inside its polls; a step that follows another
    /// leaves the first in the same mark. The waits take the step open at the poll's end.
    #[test]
    fn step_marks_make_step_spans_and_give_waits_their_reason() {
        use crate::trace::{StepInfo, WaitReason};
        let info = |label: &str, wait| StepInfo {
            kind: "k".into(),
            label: label.into(),
            line: 3,
            depth: 0,
            wait,
            on: label.into(),
        };
        let mut t = Trace::new("t");
        t.steps = vec![
            info("permit api", Some(WaitReason::Permit)),
            info("sleep 5 ms", Some(WaitReason::Timer)),
        ];
        let a = vec![
            spawn(0, 1),
            ev(10, EventKind::PollStart { task: 1 }),
            ev(11, EventKind::StepEnter { step: 0 }),
            ev(12, EventKind::PollEnd { task: 1 }),
            // The worker sleeps; the driver, run by it, wakes the task.
            ev(20, EventKind::Park),
            ev(30, EventKind::Wake { task: 1 }),
            ev(35, EventKind::Unpark),
            ev(40, EventKind::PollStart { task: 1 }),
            ev(41, EventKind::StepNext { exit: 0, enter: 1 }),
            ev(42, EventKind::PollEnd { task: 1 }),
            ev(60, EventKind::Wake { task: 1 }),
            ev(70, EventKind::PollStart { task: 1 }),
            ev(71, EventKind::StepExit { step: 1 }),
            ev(72, EventKind::PollEnd { task: 1 }),
            ev(72, EventKind::PollStart { task: 1 }),
            ev(73, EventKind::PollEnd { task: 1 }),
            ev(74, EventKind::Terminate { task: 1 }),
        ];
        t.ingest(batch(0, a));
        t.finish();
        let spans: Vec<_> = t
            .task_step_spans(0)
            .iter()
            .map(|s| (s.step, s.start_ns, s.end_ns))
            .collect();
        assert_eq!(spans, [(0, 11, 41), (1, 41, 71)]);
        let waits: Vec<_> = t
            .task_states(0)
            .iter()
            .filter(|s| s.state == TaskState::Waiting)
            .map(|s| (s.start_ns, s.end_ns, s.wait, s.step))
            .collect();
        assert_eq!(
            waits,
            [
                (12, 30, Some(WaitReason::Permit), Some(0)),
                (42, 60, Some(WaitReason::Timer), Some(1))
            ]
        );
        let scheduled = t.task_states(0)[3];
        assert_eq!(
            (scheduled.state, scheduled.woken_by, scheduled.wait),
            (
                TaskState::Scheduled,
                Some(WakeSource::Driver),
                Some(WaitReason::Permit)
            ),
            "a scheduled span says what woke it and what the wait was for"
        );
    }

    #[test]
    fn a_panic_ends_the_poll_and_the_drop_follows() {
        let mut t = Trace::new("t");
        let a = vec![
            spawn(0, 1),
            ev(10, EventKind::PollStart { task: 1 }),
            ev(
                11,
                EventKind::Panic {
                    message: "boom".into(),
                },
            ),
            ev(12, EventKind::PollEnd { task: 1 }),
            ev(12, EventKind::PollStart { task: 1 }),
            ev(13, EventKind::PollEnd { task: 1 }),
            ev(14, EventKind::Terminate { task: 1 }),
        ];
        t.ingest(batch(0, a));
        t.finish();
        let task = t.task_by_id(1).expect("task");
        assert_eq!(task.outcome, Some(Outcome::Panicked));
        assert_eq!(t.panic_message(task), Some("boom"));
        assert_eq!(t.polls_of(task).len(), 1);
    }

    #[test]
    fn worker_loops_hosted_as_blocking_tasks_are_not_user_work() {
        let mut t = Trace::new("t");
        let mut a = vec![ev(1, EventKind::BlockingStart { task: 100 })];
        a.push(spawn(2, 1));
        a.extend(poll(5, 6, 1));
        a.push(ev(50, EventKind::BlockingEnd { task: 100 }));
        // An idle worker never polls: its whole loop looks like one blocking run.
        let b = vec![
            ev(1, EventKind::BlockingStart { task: 101 }),
            ev(50, EventKind::BlockingEnd { task: 101 }),
        ];
        // A real blocking task, spawned (so seen) by task 1.
        let c = vec![
            ev(
                3,
                EventKind::SpawnBlocking {
                    task: 5,
                    location: "x".into(),
                },
            ),
            ev(7, EventKind::BlockingStart { task: 5 }),
            ev(9, EventKind::BlockingEnd { task: 5 }),
            ev(10, EventKind::BlockingStart { task: 5 }),
            ev(11, EventKind::BlockingEnd { task: 5 }),
            ev(12, EventKind::Terminate { task: 5 }),
        ];
        t.ingest(batch(0, a));
        t.ingest(batch(1, b));
        t.ingest(batch(2, c));
        t.finish();
        let ids: Vec<_> = t.tasks.iter().map(|t| t.id).collect();
        assert_eq!(ids, [1, 5]);
        let lanes: Vec<_> = t
            .lanes
            .iter()
            .map(|l| (l.name.as_str(), l.polls.len()))
            .collect();
        assert_eq!(lanes, [("worker-0", 1), ("worker-1", 0), ("blocking-0", 1)]);
        let blocking = t.task_by_id(5).expect("blocking task");
        assert_eq!(blocking.kind, TaskKind::Blocking);
        assert_eq!(blocking.outcome, Some(Outcome::Ok));
        assert_eq!(
            t.polls_of(blocking).len(),
            1,
            "the drop re-entry is not a second run"
        );
        assert_eq!(
            t.poll(t.polls_of(blocking)[0]).outcome(),
            PollOutcome::Ready
        );
    }

    #[test]
    fn panics_are_attributed_to_their_task() {
        let mut t = Trace::new("t");
        let a = vec![
            spawn(0, 3),
            ev(1, EventKind::PollStart { task: 3 }),
            ev(
                2,
                EventKind::Panic {
                    message: "boom".into(),
                },
            ),
            ev(3, EventKind::Terminate { task: 3 }),
            ev(4, EventKind::PollEnd { task: 3 }),
        ];
        t.ingest(batch(0, a));
        t.finish();
        assert_eq!(t.tasks[0].outcome, Some(Outcome::Panicked));
        assert_eq!(t.panic_message(&t.tasks[0]), Some("boom"));
    }

    #[test]
    fn http_end_may_arrive_before_its_start() {
        let mut t = Trace::new("t");
        t.ingest(batch(
            1,
            vec![ev(
                9,
                EventKind::HttpEnd {
                    req: 4,
                    status: 429,
                },
            )],
        ));
        t.ingest(batch(
            0,
            vec![ev(
                2,
                EventKind::HttpStart {
                    req: 4,
                    url: "/x".into(),
                },
            )],
        ));
        t.finish();
        assert_eq!(t.http[0].end_ns, Some(9));
        assert_eq!(t.http[0].status, Some(429));
    }

    #[test]
    fn library_task_labels_are_short_locations() {
        assert_eq!(
            short_location(
                "/root/.cargo/registry/src/index.crates.io-1/hyper-util-0.1.21/src/rt/tokio.rs:127:9"
            ),
            "hyper-util: connection (rt/tokio.rs:127)"
        );
        assert_eq!(
            short_location("/home/u/.cargo/registry/src/x/tokio-1.54.1/src/fs/read.rs:50:3"),
            "tokio: blocking I/O (fs/read.rs:50)"
        );
        assert_eq!(
            short_location("/deps/some-crate/src/lib.rs:9:1"),
            "some-crate: task (lib.rs:9)"
        );
        assert_eq!(short_location("src/main.rs:3:1"), "src/main.rs:3");
    }

    #[test]
    fn the_memory_cap_keeps_what_fits_and_counts_the_rest() {
        let mut t = Trace::new("t");
        let mut events = vec![spawn(0, 1)];
        for i in 0..5 {
            events.extend(poll(10 + i * 10, 15 + i * 10, 1));
        }
        assert!(
            t.ingest_capped(batch(0, events[..4].to_vec()), 8),
            "room left"
        );
        assert!(!t.ingest_capped(batch(0, events[4..].to_vec()), 8), "full");
        assert_eq!(t.events, 8);
        assert!(t.truncated);
        assert_eq!(t.dropped_over_cap, 3);
        assert!(!t.ingest_capped(batch(1, events[..2].to_vec()), 8));
        assert_eq!(
            (t.events, t.dropped_over_cap),
            (8, 5),
            "nothing more goes in"
        );
        t.finish();
        assert_eq!(t.lanes[0].polls.len(), 3, "the complete polls are kept");
        assert_eq!(
            t.recorded_until_ns(),
            Some(35),
            "the end of the last kept poll"
        );
    }

    #[test]
    fn a_finished_trace_keeps_tasks_in_id_order_without_a_map() {
        let mut t = Trace::new("t");
        let mut events = vec![spawn(0, 9), spawn(1, 4)];
        events.extend(poll(10, 20, 9));
        events.extend(poll(30, 40, 4));
        events.push(ev(25, EventKind::Wake { task: 4 }));
        t.ingest(batch(0, events));
        assert_eq!(t.tasks[0].id, 9, "first seen first while live");
        t.finish();
        assert_eq!(t.tasks.iter().map(|t| t.id).collect::<Vec<_>>(), [4, 9]);
        assert!(t.task_index.is_empty());
        assert_eq!(
            (t.task_index(4), t.task_index(9), t.task_index(5)),
            (Some(0), Some(1), None)
        );
        let polls: Vec<(u64, u64)> = t.lanes[0]
            .polls
            .iter()
            .map(|p| (p.start_ns, t.tasks[p.task as usize].id))
            .collect();
        assert_eq!(polls, [(10, 9), (30, 4)], "polls follow their tasks");
        assert_eq!(t.wakes[0].task, 0, "the wake of task 4");
        assert_eq!(t.task_by_id(4).map(|x| t.wakes_of(x).len()), Some(1));
    }

    #[test]
    fn tasks_take_56_bytes_and_share_their_spawn_location() {
        assert_eq!(std::mem::size_of::<Task>(), 56);
        let mut t = Trace::new("t");
        let here = std::panic::Location::caller();
        let mut a = Vec::new();
        for id in 1..=3 {
            a.push(ev(
                id,
                EventKind::Spawn {
                    task: id,
                    location: here,
                },
            ));
        }
        a.push(ev(
            4,
            EventKind::SpawnBlocking {
                task: 9,
                location: "lib.rs:1:1".into(),
            },
        ));
        t.ingest(batch(0, a));
        t.finish();
        assert_eq!(t.locations.len(), 2, "one entry per distinct location");
        let third = t.task_by_id(3).expect("task 3");
        assert_eq!(
            t.location(third).map(|l| l.to_string()),
            Some(here.to_string())
        );
        let blocking = t.task_by_id(9).expect("task 9");
        assert_eq!(
            t.location(blocking).map(|l| l.to_string()).as_deref(),
            Some("lib.rs:1:1")
        );
        assert_eq!(third.parent(), None);
        assert_eq!((third.spawn_ns(), third.end_ns()), (Some(3), None));
    }

    #[test]
    fn a_finished_trace_lists_each_tasks_polls_and_wakes_in_one_flat_array() {
        let mut t = two_task_trace();
        assert!(matches!(t.task_polls, PerTask::Flat { .. }));
        assert!(matches!(t.task_wakes, PerTask::Flat { .. }));
        let one = t.task_index(1).expect("task 1");
        let starts: Vec<u64> = t
            .task_polls(one)
            .iter()
            .map(|r| t.poll(*r).start_ns)
            .collect();
        assert_eq!(starts, [10, 60]);
        let wake_times: Vec<u64> = t
            .task_wakes(one)
            .iter()
            .map(|&w| t.wakes[w as usize].ts_ns())
            .collect();
        assert_eq!(
            wake_times,
            [34, 50],
            "in time order, though thread 1's batch came first"
        );
        // Events after the finish (a late batch) still land in the right lists.
        t.ingest(batch(
            0,
            vec![
                ev(80, EventKind::Wake { task: 2 }),
                ev(81, EventKind::Wake { task: 1 }),
            ],
        ));
        assert_eq!(t.task_wakes(one).len(), 3);
        t.finish();
        assert_eq!(t.task_wakes(one).len(), 3);
        assert_eq!(t.task_polls(one).len(), 2);
    }

    #[test]
    fn workers_sleep_between_polls_and_a_sleep_at_the_end_is_closed() {
        let mut t = Trace::new("t");
        let mut a = vec![
            ev(0, EventKind::Park),
            ev(5, EventKind::Unpark),
            spawn(6, 1),
        ];
        a.extend(poll(10, 20, 1));
        a.extend([ev(21, EventKind::Park), ev(30, EventKind::Unpark)]);
        a.extend(poll(31, 40, 1));
        a.push(ev(41, EventKind::Park));
        // A second worker that never polls: it sleeps from the start.
        let b = vec![ev(1, EventKind::Park)];
        t.ingest(batch(0, a));
        t.ingest(batch(1, b));
        assert_eq!(t.lanes.len(), 2);
        assert_eq!(t.parked_now(1), Some(1), "live: asleep since 1");
        t.wall_ns = 50;
        t.finish();
        let spans = |l: &Lane| {
            l.parks
                .iter()
                .map(|p| (p.start_ns, p.end_ns))
                .collect::<Vec<_>>()
        };
        assert_eq!(t.lanes[0].name, "worker-0");
        assert_eq!(spans(&t.lanes[0]), [(0, 5), (21, 30), (41, 50)]);
        assert_eq!(
            t.lanes[1].kind,
            LaneKind::Worker,
            "an idle worker is a worker lane"
        );
        assert_eq!(spans(&t.lanes[1]), [(1, 50)]);
        assert_eq!(t.lanes[0].parked_ns(), 5 + 9 + 9);
        assert_eq!(t.lanes[0].parks_in(22, 35).len(), 1);
        assert_eq!(t.parked_now(0), None, "nothing open once finished");
    }

    #[test]
    fn wakes_say_where_they_came_from_and_tasks_count_their_moves() {
        let mut t = Trace::new("t");
        // Task 1 polls on thread 0, yields (wakes itself), is polled on thread 1 (a move),
        // woken there by task 2, polled on thread 1 again; the driver wakes task 2.
        let mut a = vec![spawn(0, 1), spawn(0, 2)];
        a.push(ev(10, EventKind::PollStart { task: 1 }));
        a.push(ev(12, EventKind::Wake { task: 1 }));
        a.push(ev(15, EventKind::PollEnd { task: 1 }));
        a.push(ev(16, EventKind::Wake { task: 2 }));
        a.extend(poll(17, 18, 2));
        let mut b = poll(20, 25, 1).to_vec();
        b.extend([
            ev(26, EventKind::PollStart { task: 2 }),
            ev(27, EventKind::Wake { task: 1 }),
            ev(28, EventKind::Terminate { task: 2 }),
            ev(29, EventKind::PollEnd { task: 2 }),
            ev(30, EventKind::PollStart { task: 1 }),
            ev(31, EventKind::Terminate { task: 1 }),
            ev(32, EventKind::PollEnd { task: 1 }),
        ]);
        t.ingest(batch(0, a));
        t.ingest(batch(1, b));
        t.finish();
        let one = t.task_index(1).expect("task 1");
        let two = t.task_index(2).expect("task 2");
        let sources: Vec<WakeSource> = t.wakes.iter().map(|w| t.wake_source(w)).collect();
        assert_eq!(
            sources,
            [
                WakeSource::SelfWake,
                WakeSource::Driver,
                WakeSource::Task(two)
            ]
        );
        assert_eq!(t.self_wakes(one), 1);
        assert_eq!(t.migrations(one), 1, "thread 0, then thread 1 twice");
        assert_eq!(t.migrations(two), 1);
    }

    #[test]
    fn a_deferred_wake_on_the_same_worker_before_it_sleeps_is_a_self_wake() {
        let mut t = Trace::new("t");
        // yield_now: tokio wakes the task after the poll, when the worker runs dry.
        let mut a = vec![spawn(0, 1), spawn(0, 2)];
        a.extend(poll(10, 11, 1));
        a.extend(poll(12, 13, 2));
        a.push(ev(14, EventKind::Wake { task: 1 }));
        // Task 2 waits on I/O: the worker sleeps, then the driver wakes it.
        a.extend([ev(15, EventKind::Park), ev(30, EventKind::Wake { task: 2 })]);
        a.push(ev(31, EventKind::Unpark));
        // Woken on another thread than the one that polled it: not a self-wake.
        a.extend(poll(40, 41, 1));
        let b = vec![ev(45, EventKind::Wake { task: 1 })];
        t.ingest(batch(0, a));
        t.ingest(batch(1, b));
        t.finish();
        let sources: Vec<WakeSource> = t.wakes.iter().map(|w| t.wake_source(w)).collect();
        assert_eq!(
            sources,
            [WakeSource::SelfWake, WakeSource::Driver, WakeSource::Driver]
        );
    }

    #[test]
    fn wakes_take_16_bytes() {
        assert_eq!(std::mem::size_of::<Wake>(), 16);
        let w = Wake::new(123_456_789, 3, Some(7), Some(2));
        assert_eq!(
            (w.ts_ns(), w.task, w.by(), w.lane()),
            (123_456_789, 3, Some(7), Some(2))
        );
        let mut n = Wake::new(TS_MAX + 5, 0, None, None);
        assert_eq!(
            (n.ts_ns(), n.by(), n.lane()),
            (TS_MAX, None, None),
            "saturates"
        );
        n.set_lane(Some(0));
        assert_eq!((n.ts_ns(), n.lane()), (TS_MAX, Some(0)));
    }

    #[test]
    fn polls_take_16_bytes_and_keep_their_durations() {
        assert_eq!(std::mem::size_of::<PollSpan>(), 16);
        for (d, kept) in [
            (0, 0),
            (1, 1),
            (536_870_911, 536_870_911),             // 0.54 s: to the ns
            (500_000_000_123, 500_000_000_000),     // 500 s: to the µs, rounded down
            (536_870_912_345, 536_870_000_000),     // 537 s: to the ms
            (3_600_000_000_123, 3_600_000_000_000), // 1 h: to the ms
            (u64::MAX / 2, DUR_MAX * 1_000_000),    // saturates (6 days)
        ] {
            for outcome in [PollOutcome::Pending, PollOutcome::Ready] {
                let p = PollSpan::new(100, 100 + d, 7, outcome);
                assert_eq!(p.duration_ns(), kept, "{d}");
                assert_eq!((p.start_ns, p.end_ns(), p.task), (100, 100 + kept, 7));
                assert_eq!(p.outcome(), outcome);
            }
        }
    }
}
