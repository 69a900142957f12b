//! Scenarios: the TOML file format (parsed with spans, validated with limits) and the
//! validated model the interpreter runs. A scenario is data, never code.

pub mod edit;
mod interp;
mod parse;

pub use interp::{RunContext, run_steps};
pub use parse::{Defaults, Diagnostic, Limits, ScenarioError, load, parse};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::trace::{StepInfo, WaitReason};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// One thread runs every task: the asyncio model.
    CurrentThread,
    MultiThread,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeConfig {
    pub flavor: Flavor,
    /// Worker threads (1 for `current_thread`).
    pub workers: usize,
    pub max_blocking_threads: usize,
    /// Threads of the scenario's CPU pool (`cpu_pool_ms`), by default the machine's CPUs.
    pub cpu_threads: usize,
}

/// The embedded lab HTTP server's behaviour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    pub latency_ms: u64,
    pub jitter_ms: u64,
    /// Requests per second above which the server answers 429; 0 = unlimited.
    pub rate_limit_per_s: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            latency_ms: 50,
            jitter_ms: 0,
            rate_limit_per_s: 0,
        }
    }
}

/// A list of steps, with the line of the file each is written on, and where each one's
/// entries start in the run's step table (see [`Scenario::step_table`]): ids are given in
/// the order the file lists the steps, so the interpreter and the table agree without the
/// steps carrying ids.
#[derive(Clone, Debug)]
pub struct Steps {
    steps: Arc<[Step]>,
    lines: Arc<[u32]>,
    /// `offsets[i]` is the number of table entries before step `i`; one more than steps.
    offsets: Arc<[u32]>,
}

impl Steps {
    /// Steps and their lines (1-based; 0 when not from a file).
    pub fn new(steps: Vec<Step>, lines: Vec<u32>) -> Self {
        let mut offsets = Vec::with_capacity(steps.len() + 1);
        let mut n = 0u32;
        offsets.push(0);
        for s in &steps {
            n = n.saturating_add(s.table_len());
            offsets.push(n);
        }
        let mut lines = lines;
        lines.resize(steps.len(), 0);
        Steps {
            steps: steps.into(),
            lines: lines.into(),
            offsets: offsets.into(),
        }
    }

    /// The line step `i` is written on (0: unknown).
    pub fn line(&self, i: usize) -> u32 {
        self.lines.get(i).copied().unwrap_or(0)
    }

    /// Step `i`'s first id, for a list whose first step has id `first`.
    pub fn id(&self, first: u32, i: usize) -> u32 {
        first + self.offsets[i]
    }

    /// How many table entries the whole list takes.
    pub fn table_len(&self) -> u32 {
        self.offsets.last().copied().unwrap_or(0)
    }
}

impl From<Vec<Step>> for Steps {
    fn from(steps: Vec<Step>) -> Self {
        Steps::new(steps, Vec::new())
    }
}

impl std::ops::Deref for Steps {
    type Target = [Step];
    fn deref(&self) -> &[Step] {
        &self.steps
    }
}

/// Steps are equal when they do the same; where they are written is not part of it.
impl PartialEq for Steps {
    fn eq(&self, other: &Self) -> bool {
        self.steps == other.steps
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// GET a path on the lab server, or an absolute URL.
    HttpGet(Arc<str>),
    /// GET a path on the lab server with a blocking client (std's `TcpStream`) inside the
    /// poll: the worker waits for the answer and polls nothing else (Python's
    /// `requests.get()` inside a coroutine).
    BlockingHttpGet(Arc<str>),
    SleepMs(u64),
    /// Busy CPU work inside the poll.
    CpuMs(u64),
    /// `std::thread::sleep` inside the poll.
    BlockMs(u64),
    OffloadCpuMs(u64),
    OffloadBlockMs(u64),
    /// Busy CPU work on the scenario's CPU pool (threads `cpu-N`, sized to the cores),
    /// awaited through a oneshot (Python's `ProcessPoolExecutor`, a rayon pool).
    CpuPoolMs(u64),
    YieldNow,
    /// A hand-written future that returns Pending without keeping the waker: the task
    /// hangs forever (the lost wake-up bug, on purpose).
    ForgetWake,
    Permit {
        semaphore: Arc<str>,
        steps: Steps,
    },
    Repeat {
        times: u64,
        steps: Steps,
    },
    /// Sub-sequences run concurrently inside the task (futures, no spawn).
    Join(Vec<Steps>),
    Spawn {
        name: Arc<str>,
        count: u64,
        steps: Steps,
        wait: bool,
        /// Sleep this long after spawning, then await the children (the eager task: it
        /// runs during the pause).
        wait_after_ms: Option<u64>,
        /// Sleep this long after spawning, then abort the children (`JoinHandle::abort`,
        /// `Task.cancel()`).
        abort_after_ms: Option<u64>,
    },
    /// Run the nested steps; at `ms` drop them where they are (`tokio::time::timeout`,
    /// `asyncio.wait_for`) and go on with the next step.
    Timeout {
        ms: u64,
        steps: Steps,
    },
    /// Run the branches concurrently; the first to finish wins and the others are dropped
    /// (`select!`, `asyncio.wait(FIRST_COMPLETED)`).
    Race(Vec<Steps>),
    /// Build the future of `steps`, wait `delay_ms` without polling it, then await it: a
    /// coroutine does nothing until it is awaited.
    Lazy {
        delay_ms: u64,
        steps: Steps,
    },
    Panic(Arc<str>),
    /// Set the one-shot result `name` (`fut.set_result()`, a oneshot's send): the tasks
    /// awaiting it go on.
    SetResult(Arc<str>),
    /// Wait until the one-shot result `name` is set (`await fut`).
    AwaitResult(Arc<str>),
    /// Print a line: recorded with the task and the time (print-debugging, like the
    /// lesson's `print(asyncio.current_task())`).
    Print(Arc<str>),
    /// Receive `N` messages from a channel that already holds them all: every `recv` is
    /// ready at once, and tokio's coop budget makes the task yield now and then.
    RecvReady(u64),
    /// Send `count` messages into a named channel (waits while it is full).
    SendTo {
        channel: Arc<str>,
        count: u64,
    },
    /// Receive `count` messages from a named channel (waits while it is empty).
    RecvFrom {
        channel: Arc<str>,
        count: u64,
    },
}

impl Step {
    /// Entries this step takes in the step table: one, two for a permit (acquiring, then
    /// holding it), plus those of the steps inside it.
    pub fn table_len(&self) -> u32 {
        match self {
            Step::Permit { steps, .. } => 2 + steps.table_len(),
            Step::Spawn { steps, .. } => {
                1 + u32::from(self.spawn_pause().is_some()) + steps.table_len()
            }
            Step::Repeat { steps, .. } | Step::Lazy { steps, .. } | Step::Timeout { steps, .. } => {
                1 + steps.table_len()
            }
            Step::Join(branches) | Step::Race(branches) => {
                1 + branches.iter().map(Steps::table_len).sum::<u32>()
            }
            _ => 1,
        }
    }

    /// The step lists inside this step (a join's branches, a permit's, a repeat's…), in
    /// the order the file lists them; none for a step that holds no steps.
    pub fn nested(&self) -> &[Steps] {
        match self {
            Step::Permit { steps, .. }
            | Step::Repeat { steps, .. }
            | Step::Spawn { steps, .. }
            | Step::Lazy { steps, .. }
            | Step::Timeout { steps, .. } => std::slice::from_ref(steps),
            Step::Join(branches) | Step::Race(branches) => branches,
            _ => &[],
        }
    }

    /// The id of the first step of each of [`Step::nested`]'s lists, for this step at `id`:
    /// the step's own entries (one; two for a permit; one more for a spawn's pause) come
    /// first, then the lists one after the other, as [`Scenario::step_table`] lays them out.
    pub fn nested_ids(&self, id: u32) -> Vec<u32> {
        let nested = self.nested();
        let own = self.table_len() - nested.iter().map(Steps::table_len).sum::<u32>();
        let mut first = id + own;
        nested
            .iter()
            .map(|b| {
                let this = first;
                first += b.table_len();
                this
            })
            .collect()
    }

    /// A `spawn`'s pause after spawning, if it has one: `(ms, true)` to abort the children
    /// then, `(ms, false)` to await them (`abort_after_ms`, `wait_after_ms`).
    pub fn spawn_pause(&self) -> Option<(u64, bool)> {
        match self {
            Step::Spawn {
                wait_after_ms,
                abort_after_ms,
                ..
            } => abort_after_ms
                .map(|ms| (ms, true))
                .or(wait_after_ms.map(|ms| (ms, false))),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskGroup {
    pub name: Arc<str>,
    pub count: u64,
    pub spawn_interval_ms: u64,
    pub steps: Steps,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub about: String,
    /// The name in Chinese, shown when the GUI's language is Chinese.
    pub name_zh: Option<String>,
    /// The lesson in Chinese, shown when the GUI's language is Chinese.
    pub about_zh: Option<String>,
    /// What the run shows on Python's asyncio, where that is a lesson of its own (the GIL,
    /// one event loop): shown beside `about` when the scenario runs there.
    pub about_asyncio: Option<String>,
    pub about_asyncio_zh: Option<String>,
    /// The file it came from, when it came from one.
    pub path: Option<PathBuf>,
    /// Whether `http_get` may target hosts other than the lab server.
    pub allow_external: bool,
    /// Stop the run after this many seconds.
    pub time_limit_s: Option<u64>,
    /// The memory cap: recording stops after this many events.
    pub max_events: Option<u64>,
    pub runtime: RuntimeConfig,
    pub server: ServerConfig,
    pub heartbeat_period_ms: Option<u64>,
    pub semaphores: BTreeMap<String, usize>,
    /// Named bounded channels (`[channels]`): name → capacity.
    pub channels: BTreeMap<String, usize>,
    /// Named one-shot results (`[results]`): name → what it holds, in words.
    pub results: BTreeMap<String, String>,
    /// The same words in Chinese, where the file gives them (`about_zh`).
    pub results_zh: BTreeMap<String, String>,
    pub groups: Vec<TaskGroup>,
    /// What the timeline shows first (`[view]`).
    pub view: ViewConfig,
    /// The figures the audience guesses before the run (`[predict]`), in the file's order.
    pub predict: Vec<crate::trace::Figure>,
}

/// `[view]`: what a scenario's lesson needs on screen at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewConfig {
    /// Task groups shown expanded (one row per task) whatever their size.
    pub expand: Vec<String>,
    /// The resource tracks to show, in this order (`http`, `semaphore NAME`,
    /// `channel NAME`, `blocking pool`); None: every resource the run uses.
    pub tracks: Option<Vec<String>>,
}

impl Scenario {
    /// The scenario's name in `lang` (`name_zh`), in English where the file has none.
    pub fn name_in(&self, lang: crate::i18n::Language) -> &str {
        match (lang, &self.name_zh) {
            (crate::i18n::Language::Chinese, Some(n)) => n,
            _ => &self.name,
        }
    }

    /// The run's step table: every step of every group, in the order the file lists them
    /// (a permit takes two entries: acquiring it, then holding it). The interpreter records
    /// entries and exits by these ids (see [`Steps::id`]).
    pub fn step_table(&self) -> Vec<StepInfo> {
        let mut table = Vec::new();
        for g in &self.groups {
            table_of(&g.steps, 0, &mut table);
        }
        if let Some(period_ms) = self.heartbeat_period_ms {
            // The heartbeat's tick: a task of ours, but what it waits for is a timer.
            table.push(StepInfo {
                kind: "heartbeat".into(),
                label: format!("tick every {period_ms} ms"),
                line: 0,
                depth: 0,
                wait: Some(crate::trace::WaitReason::Timer),
                on: format!("heartbeat every {period_ms} ms"),
            });
        }
        table
    }

    /// Whether some step sends work to the CPU pool (`cpu_pool_ms`): the run then starts
    /// the pool, and the views have its lanes and track.
    pub fn uses_cpu_pool(&self) -> bool {
        self.groups.iter().any(|g| steps_use_cpu_pool(&g.steps))
    }

    /// Whether some step, at any depth, is one `pred` picks.
    pub fn any_step(&self, pred: impl Fn(&Step) -> bool + Copy) -> bool {
        fn any(steps: &[Step], pred: impl Fn(&Step) -> bool + Copy) -> bool {
            steps
                .iter()
                .any(|s| pred(s) || s.nested().iter().any(|b| any(b, pred)))
        }
        self.groups.iter().any(|g| any(&g.steps, pred))
    }

    /// The id of the heartbeat's step (see [`Scenario::step_table`]), when it has one.
    pub fn heartbeat_step(&self) -> Option<u32> {
        self.heartbeat_period_ms
            .map(|_| self.groups.iter().map(|g| g.steps.table_len()).sum())
    }

    /// The run's resources: the semaphores, then the channels (each in name order), with
    /// their sizes. Channel marks refer to them by index.
    pub fn resource_table(&self) -> Vec<crate::trace::ResourceInfo> {
        let semaphores = self
            .semaphores
            .iter()
            .map(|(name, &permits)| ("semaphore", name, permits));
        let channels = self
            .channels
            .iter()
            .map(|(name, &capacity)| ("channel", name, capacity));
        // The CPU pool, measured against its threads ("cpu pool", as its track is named).
        let cpu_pool = self.uses_cpu_pool();
        let pool_name = "pool".to_string();
        let cpu = cpu_pool.then_some(("cpu", &pool_name, self.runtime.cpu_threads));
        semaphores
            .chain(channels)
            .chain(cpu)
            .map(|(kind, name, capacity)| crate::trace::ResourceInfo {
                kind: kind.to_string(),
                name: name.clone(),
                capacity: capacity as u64,
            })
            .collect()
    }

    /// The id of each group's first step.
    pub fn group_first_steps(&self) -> Vec<u32> {
        let mut next = 0;
        self.groups
            .iter()
            .map(|g| {
                let first = next;
                next += g.steps.table_len();
                first
            })
            .collect()
    }
}

/// Whether `steps` (or a step inside them) has a `cpu_pool_ms`.
pub(crate) fn steps_use_cpu_pool(steps: &[Step]) -> bool {
    steps.iter().any(|s| {
        matches!(s, Step::CpuPoolMs(_)) || s.nested().iter().any(|b| steps_use_cpu_pool(b))
    })
}

fn table_of(steps: &Steps, depth: u8, table: &mut Vec<StepInfo>) {
    for (i, step) in steps.iter().enumerate() {
        let entry =
            |kind: &str, label: String, wait: Option<WaitReason>, on: Option<&str>| StepInfo {
                kind: kind.to_string(),
                on: on.map_or_else(|| label.clone(), str::to_string),
                label,
                line: steps.line(i),
                depth,
                wait,
            };
        use WaitReason as W;
        match step {
            Step::HttpGet(url) => {
                table.push(entry("http_get", format!("GET {url}"), Some(W::Http), None))
            }
            Step::SleepMs(ms) => table.push(entry(
                "sleep_ms",
                format!("sleep {ms} ms"),
                Some(W::Timer),
                None,
            )),
            Step::BlockingHttpGet(path) => table.push(entry(
                "blocking_http_get",
                format!("blocking GET {path}"),
                None,
                None,
            )),
            Step::CpuMs(ms) => table.push(entry("cpu_ms", format!("cpu {ms} ms"), None, None)),
            Step::BlockMs(ms) => {
                table.push(entry("block_ms", format!("block {ms} ms"), None, None))
            }
            Step::OffloadCpuMs(ms) => table.push(entry(
                "offload_cpu_ms",
                format!("offload cpu {ms} ms"),
                Some(W::Blocking),
                None,
            )),
            Step::CpuPoolMs(ms) => table.push(entry(
                "cpu_pool_ms",
                format!("cpu pool {ms} ms"),
                Some(W::CpuPool),
                None,
            )),
            Step::OffloadBlockMs(ms) => table.push(entry(
                "offload_block_ms",
                format!("offload block {ms} ms"),
                Some(W::Blocking),
                None,
            )),
            Step::YieldNow => table.push(entry("yield_now", "yield".into(), Some(W::Yield), None)),
            Step::ForgetWake => table.push(entry(
                "forget_wake",
                "forget_wake".into(),
                Some(W::Never),
                None,
            )),
            Step::Permit { semaphore, steps } => {
                table.push(entry(
                    "permit",
                    format!("permit {semaphore}"),
                    Some(W::Permit),
                    Some(semaphore),
                ));
                table.push(entry(
                    "permit",
                    format!("holding permit {semaphore}"),
                    None,
                    Some(semaphore),
                ));
                table_of(steps, depth + 1, table);
            }
            Step::Repeat { times, steps } => {
                table.push(entry("repeat", format!("repeat ×{times}"), None, None));
                table_of(steps, depth + 1, table);
            }
            Step::Join(branches) => {
                table.push(entry(
                    "join",
                    format!("join ×{}", branches.len()),
                    Some(W::Join),
                    None,
                ));
                for b in branches {
                    table_of(b, depth + 1, table);
                }
            }
            Step::Spawn {
                name,
                count,
                steps,
                wait,
                ..
            } => {
                let label = if *wait {
                    format!("spawn ×{count} {name}, wait")
                } else {
                    format!("spawn ×{count} {name}")
                };
                table.push(entry("spawn", label, wait.then_some(W::Join), None));
                // The pause after spawning: the children run meanwhile.
                match step.spawn_pause() {
                    Some((ms, false)) => table.push(entry(
                        "spawn",
                        format!("sleep {ms} ms before awaiting {name}"),
                        Some(W::Timer),
                        None,
                    )),
                    Some((ms, true)) => table.push(entry(
                        "spawn",
                        format!("sleep {ms} ms, then abort {name}"),
                        Some(W::Timer),
                        None,
                    )),
                    None => {}
                }
                table_of(steps, depth + 1, table);
            }
            Step::Timeout { ms, steps } => {
                table.push(entry("timeout", format!("timeout {ms} ms"), None, None));
                table_of(steps, depth + 1, table);
            }
            Step::Race(branches) => {
                table.push(entry(
                    "race",
                    format!("race ×{}", branches.len()),
                    None,
                    None,
                ));
                for b in branches {
                    table_of(b, depth + 1, table);
                }
            }
            Step::Lazy { delay_ms, steps } => {
                table.push(entry(
                    "lazy",
                    format!("lazy: built, not awaited for {delay_ms} ms"),
                    Some(W::Timer),
                    None,
                ));
                table_of(steps, depth + 1, table);
            }
            Step::Panic(_) => table.push(entry("panic", "panic".into(), None, None)),
            Step::Print(text) => table.push(entry("print", format!("print {text:?}"), None, None)),
            Step::SetResult(name) => table.push(entry(
                "set_result",
                format!("set result {name}"),
                None,
                Some(name),
            )),
            Step::AwaitResult(name) => table.push(entry(
                "await_result",
                format!("await result {name}"),
                Some(W::Result),
                Some(name),
            )),
            Step::RecvReady(n) => table.push(entry(
                "recv_ready",
                format!("recv_ready ×{n}"),
                Some(W::ChannelRecv),
                None,
            )),
            Step::SendTo { channel, .. } => table.push(entry(
                "send_to",
                format!("send {channel}"),
                Some(W::ChannelSend),
                Some(channel),
            )),
            Step::RecvFrom { channel, .. } => table.push(entry(
                "recv_from",
                format!("recv {channel}"),
                Some(W::ChannelRecv),
                Some(channel),
            )),
        }
    }
}
