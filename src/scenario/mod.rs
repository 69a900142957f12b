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

pub type Steps = Arc<[Step]>;

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// GET a path on the lab server, or an absolute URL.
    HttpGet(Arc<str>),
    SleepMs(u64),
    /// Busy CPU work inside the poll.
    CpuMs(u64),
    /// `std::thread::sleep` inside the poll.
    BlockMs(u64),
    OffloadCpuMs(u64),
    OffloadBlockMs(u64),
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
    },
    Panic(Arc<str>),
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
    pub groups: Vec<TaskGroup>,
}
