//! One run of a scenario: the lab server, the collector thread, a fresh instrumented tokio
//! runtime, the scenario's task groups, then an orderly shutdown that keeps every event.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use tokio::sync::Notify;

use crate::capture::{self, Capture, Msg};
use crate::lab_server::LabServer;
use crate::scenario::{Flavor, RunContext, Scenario, TaskGroup};
use crate::trace::Trace;

/// How long shutdown waits for tasks stuck in blocking code before leaving them behind.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// Asks a run to stop; clone it to another thread.
#[derive(Clone, Default)]
pub struct StopHandle {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl StopHandle {
    pub fn stop(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_one();
    }

    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// The flag `stop` sets, for a run that watches it itself (the asyncio runner's).
    pub fn flag(&self) -> &AtomicBool {
        &self.flag
    }
}

pub struct RunOptions {
    pub stop: StopHandle,
    /// Capacity of the capture channel, in batches (of up to 4096 events).
    pub channel_batches: usize,
    /// The memory cap: recording stops after this many events (None: the scenario's
    /// `max_events`, else [`DEFAULT_MAX_EVENTS`]).
    pub max_events: Option<u64>,
    /// Serve the run to tokio-console: the subscriber of a running
    /// [`crate::capture::console::Console`].
    pub console: Option<tracing::Dispatch>,
}

/// Recording stops at this many events unless a scenario or the caller says otherwise
/// (about 30 bytes each in the model: 600 MB).
pub const DEFAULT_MAX_EVENTS: u64 = 20_000_000;

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            stop: StopHandle::default(),
            channel_batches: 4096,
            max_events: None,
            console: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not start the lab server on 127.0.0.1: {0}")]
    LabServer(std::io::Error),
    #[error("could not build the tokio runtime: {0}")]
    Runtime(std::io::Error),
    #[error("could not start the collector thread: {0}")]
    Collector(std::io::Error),
    #[error("could not build the HTTP client: {0}")]
    Client(reqwest::Error),
    #[error("the collector thread failed")]
    CollectorPanicked,
}

/// A trace shared between the collector (which fills it while the run goes) and a
/// viewer (which reads it each frame).
pub type LiveTrace = Arc<Mutex<Trace>>;

/// Runs `scenario` once on a fresh runtime and returns its finished trace. Blocks the
/// calling thread, which drives the runtime's `block_on`.
pub fn run(scenario: &Scenario, options: RunOptions) -> Result<Trace, RunError> {
    let live: LiveTrace = Arc::new(Mutex::new(Trace::new(scenario.name.clone())));
    run_live(scenario, options, &live, || {})?;
    let mut guard = live.lock().map_err(|_| RunError::CollectorPanicked)?;
    Ok(std::mem::take(&mut *guard))
}

/// Runs `scenario` once, filling `live` as events arrive and calling `on_update` after
/// each batch (a GUI asks for a repaint there). When it returns, `live` holds the
/// finished trace.
pub fn run_live(
    scenario: &Scenario,
    options: RunOptions,
    live: &LiveTrace,
    on_update: impl Fn() + Send + 'static,
) -> Result<(), RunError> {
    run_live_then(scenario, options, live, on_update, false).map(drop)
}

/// [`run_live`], and the run's summary, built before the finished trace is published (so a
/// viewer never waits for it either).
pub fn run_live_summarized(
    scenario: &Scenario,
    options: RunOptions,
    live: &LiveTrace,
    on_update: impl Fn() + Send + 'static,
) -> Result<crate::trace::Summary, RunError> {
    run_live_then(scenario, options, live, on_update, true)?.ok_or(RunError::CollectorPanicked)
}

fn run_live_then(
    scenario: &Scenario,
    options: RunOptions,
    live: &LiveTrace,
    on_update: impl Fn() + Send + 'static,
    summarize: bool,
) -> Result<Option<crate::trace::Summary>, RunError> {
    // Before any runtime of ours exists (the lab server's included): see `install_global`.
    capture::install_global();
    if let Ok(mut t) = live.lock() {
        t.steps = scenario.step_table();
        t.resources = scenario.resource_table();
    }
    let lab = LabServer::start(scenario.server.clone()).map_err(RunError::LabServer)?;

    let (tx, rx) = crossbeam_channel::bounded(options.channel_batches.max(1));
    let cap = Capture::new(tx);
    let sink = live.clone();
    let watched = Arc::downgrade(&cap);
    let max_events = options
        .max_events
        .or(scenario.max_events)
        .unwrap_or(DEFAULT_MAX_EVENTS);
    let collector = thread::Builder::new()
        .name("asyncscope-collector".into())
        .spawn(move || collect(rx, &sink, &watched, max_events, on_update))
        .map_err(RunError::Collector)?;

    let runtime =
        build_runtime(scenario, &cap, options.console.as_ref()).map_err(RunError::Runtime);
    let ctx = RunContext::new(scenario, lab.base_url(), options.stop.flag.clone())
        .map(Arc::new)
        .map_err(RunError::Client);
    let (runtime, ctx) = match (runtime, ctx) {
        (Ok(rt), Ok(ctx)) => (rt, ctx),
        (Err(e), _) | (_, Err(e)) => {
            cap.close();
            let _ = collector.join();
            return Err(e);
        }
    };

    // The CPU pool, for a scenario that sends work to it.
    if scenario.uses_cpu_pool() {
        ctx.start_cpu_pool(scenario.runtime.cpu_threads, &cap);
    }
    let sampler = crate::metrics::Sampler::start(
        runtime.handle().clone(),
        cap.clone(),
        crate::metrics::DEFAULT_INTERVAL,
    );
    if let Err(e) = &sampler {
        ctx.error(format!("could not start the metrics sampler: {e}"));
    }

    // This thread drives block_on: on a current_thread runtime it polls every task.
    if let Some(d) = &options.console {
        capture::console::enter(d);
    }
    capture::attach_thread(&cap);
    let (wall_ns, stopped) = runtime.block_on(drive(scenario, &ctx, &options.stop, &cap));
    if let Ok(s) = sampler {
        s.finish();
    }
    // cpu_ms / block_ms loops watch the flag; then shut down: pending tasks are dropped
    // (cancelled) and every thread flushes as it stops.
    if stopped {
        options.stop.flag.store(true, Ordering::SeqCst);
    }
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    ctx.stop_cpu_pool();
    capture::detach_thread();
    capture::console::leave();
    cap.close();
    drop(lab);

    collector.join().map_err(|_| RunError::CollectorPanicked)?;
    finish_live(live, summarize, |trace| {
        trace.wall_ns = wall_ns;
        trace.stopped = stopped;
        trace.events_dropped = cap.stats().dropped + trace.dropped_over_cap;
        trace.run_errors = ctx.take_errors();
        trace.group_metrics = ctx.group_metrics();
        trace.finish();
    })
    .ok_or(RunError::CollectorPanicked)
}

/// Finishes a live trace outside its lock, so a viewer never waits for it (sorting
/// millions of events takes a while): meanwhile it sees a placeholder that says so.
/// `complete` adds what the run knows and calls `Trace::finish`; the summary (if asked
/// for) is built before the finished trace is published. None: the lock was poisoned.
pub(crate) fn finish_live(
    live: &LiveTrace,
    summarize: bool,
    complete: impl FnOnce(&mut Trace),
) -> Option<Option<crate::trace::Summary>> {
    let mut trace = {
        let mut guard = live.lock().ok()?;
        let mut placeholder = Trace::new(guard.scenario.clone());
        placeholder.runtime = guard.runtime;
        placeholder.finishing = true;
        placeholder.events = guard.events;
        std::mem::replace(&mut *guard, placeholder)
    };
    trace.cpus = thread::available_parallelism().map_or(0, |n| n.get() as u32);
    complete(&mut trace);
    let summary = summarize.then(|| crate::trace::Summary::from_trace(&trace));
    *live.lock().ok()? = trace;
    Some(summary)
}

fn build_runtime(
    scenario: &Scenario,
    cap: &Arc<Capture>,
    console: Option<&tracing::Dispatch>,
) -> std::io::Result<tokio::runtime::Runtime> {
    let mut b = match scenario.runtime.flavor {
        Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        Flavor::MultiThread => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(scenario.runtime.workers);
            b
        }
    };
    let n = Arc::new(AtomicUsize::new(0));
    b.enable_all()
        .max_blocking_threads(scenario.runtime.max_blocking_threads)
        .thread_name_fn(move || format!("scenario-rt-{}", n.fetch_add(1, Ordering::Relaxed)));
    capture::instrument(&mut b, cap, console);
    b.build()
}

/// The scenario's driver, on `block_on` (not a task, so it is not on the timeline):
/// spawns the groups and the heartbeat, waits for the work or a stop. Returns the wall
/// time (run start to the end of the work) and whether the run was stopped.
async fn drive(
    scenario: &Scenario,
    ctx: &Arc<RunContext>,
    stop: &StopHandle,
    cap: &Capture,
) -> (u64, bool) {
    let heartbeat_stop = Arc::new(Notify::new());
    let heartbeat = scenario.heartbeat_period_ms.and_then(|period_ms| {
        let done = heartbeat_stop.clone();
        let monitor = ctx.monitor("heartbeat");
        tokio::task::Builder::new()
            .name("heartbeat")
            .spawn(monitor.instrument(heartbeat_loop(
                Duration::from_millis(period_ms),
                done,
                scenario.heartbeat_step(),
            )))
            .map_err(|e| ctx.error(format!("could not spawn the heartbeat: {e}")))
            .ok()
    });

    let work = async {
        let firsts = scenario.group_first_steps();
        let spawners = scenario
            .groups
            .iter()
            .zip(firsts)
            .map(|(g, first)| spawn_group(ctx, g, first));
        let handles = futures_util::future::join_all(spawners).await;
        // This thread now only waits: hand its spawn events over so a live view can
        // name the tasks.
        capture::flush();
        for h in handles.into_iter().flatten() {
            // Panics are recorded by capture; the run goes on.
            let _ = h.await;
        }
    };
    let limit = async {
        match scenario.time_limit_s {
            Some(s) => tokio::time::sleep(Duration::from_secs(s)).await,
            None => std::future::pending().await,
        }
    };
    let stopped = tokio::select! {
        _ = work => false,
        _ = stop.notify.notified() => true,
        _ = limit => true,
    } || stop.is_stopped();
    let wall_ns = cap.now_ns();

    heartbeat_stop.notify_one();
    if let (Some(h), false) = (heartbeat, stopped) {
        let _ = h.await;
    }
    (wall_ns, stopped)
}

async fn spawn_group(
    ctx: &Arc<RunContext>,
    group: &TaskGroup,
    first: u32,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut handles = Vec::with_capacity(group.count as usize);
    for i in 0..group.count {
        if i > 0 && group.spawn_interval_ms > 0 {
            tokio::time::sleep(Duration::from_millis(group.spawn_interval_ms)).await;
        }
        if ctx.stopped() {
            break;
        }
        handles.extend(ctx.spawn_task(&group.name, &group.steps, first));
        if group.spawn_interval_ms > 0 {
            capture::flush();
        }
    }
    handles
}

/// Ticks every `period`; how late each tick fires is the event loop's health signal
/// (asyncio's slow-callback warning, measured).
async fn heartbeat_loop(period: Duration, done: Arc<Notify>, step: Option<u32>) {
    let mut next = tokio::time::Instant::now() + period;
    loop {
        if let Some(step) = step {
            capture::record_untimed(crate::trace::EventKind::StepEnter { step });
        }
        let stop = tokio::select! {
            _ = tokio::time::sleep_until(next) => false,
            _ = done.notified() => true,
        };
        if let Some(step) = step {
            capture::record_untimed(crate::trace::EventKind::StepExit { step });
        }
        let now = tokio::time::Instant::now();
        // At the end, a tick that fell due while the workers were held never fired
        // (blocking_http_client: nobody ran the timers for half a second). The heartbeat
        // runs now, that late: that is its lateness, as for any tick.
        if stop && now <= next {
            return;
        }
        let late = now.saturating_duration_since(next);
        capture::record(crate::trace::EventKind::Heartbeat {
            late_ns: late.as_nanos() as u64,
        });
        if stop {
            return;
        }
        next += period;
        if next <= now {
            // Missed ticks are skipped, not replayed in a burst.
            next = now + period;
        }
    }
}

/// Lowers the calling thread's scheduling priority (nice 10), so that on a machine with
/// fewer cores than busy threads the OS preempts our collector rather than a worker in the
/// middle of a poll (which would make that poll look long). The channel absorbs the delay.
pub(crate) fn yield_to_the_runtime() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid has no preconditions; setpriority on our own thread id only changes
    // this thread's nice value, and failure (no permission) leaves it as it was.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// How often the collector refreshes the polls in progress while nothing arrives…
const LIVE_REFRESH: Duration = Duration::from_millis(50);
/// …and at most how often while batches arrive.
const LIVE_TICK: Duration = Duration::from_millis(10);

/// While a run is live, the collector builds the model for at most [`INGEST_BUDGET`] of
/// CPU time in every [`INGEST_WINDOW`] (a quarter of one core). On a machine with fewer cores than
/// busy threads, ingesting at full speed takes the CPU from the workers under study: the
/// yield storm of `benches/capture.rs` took 154–176 ms with the model built alongside at
/// full speed, 130–139 ms with this budget (131–142 ms with half of it) and 116–133 ms
/// with the batches dropped unread.
/// Batches beyond the budget wait, raw (16 bytes an event), and the view lags until the
/// run ends or its rate drops; a run of ordinary rate (up to ≈ 5 M events/s) stays
/// current. Nothing is dropped for it: the channel is drained at every wake-up.
pub const INGEST_WINDOW: Duration = Duration::from_millis(16);
pub const INGEST_BUDGET: Duration = Duration::from_millis(4);
/// The CPU time this thread has used: the budget counts work, not the time the collector
/// waits for the viewer's lock or for a core (which it does at nice 10 beside busy
/// workers). Elsewhere than Linux, the wall clock since the first call.
fn thread_cpu() -> Duration {
    #[cfg(target_os = "linux")]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes the given timespec, which outlives the call.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
        }
    }
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// Past this many events set aside, the budget is ignored (memory before fidelity).
const MAX_SET_ASIDE: usize = 8 << 20;

/// The collector: receives the run's batches and samples and builds the live trace (see
/// [`INGEST_BUDGET`]), refreshing the polls in progress, until the capture's `End`.
/// Public for the benchmarks, which measure it as the app runs it.
pub fn collect(
    rx: crossbeam_channel::Receiver<Msg>,
    live: &LiveTrace,
    capture: &std::sync::Weak<Capture>,
    max_events: u64,
    on_update: impl Fn(),
) {
    collect_budgeted(rx, live, capture, max_events, INGEST_BUDGET, on_update)
}

fn collect_budgeted(
    rx: crossbeam_channel::Receiver<Msg>,
    live: &LiveTrace,
    capture: &std::sync::Weak<Capture>,
    max_events: u64,
    budget: Duration,
    on_update: impl Fn(),
) {
    use crossbeam_channel::RecvTimeoutError;
    use std::collections::VecDeque;
    use std::time::Instant;
    yield_to_the_runtime();
    let ingest = |msg: Msg| match msg {
        Msg::Batch(b) => {
            let recording = live
                .lock()
                .is_ok_and(|mut t| t.ingest_capped(b.decode(), max_events));
            if !recording && let Some(cap) = capture.upgrade() {
                // The trace is full: the threads stop sending (and count what they drop).
                cap.stop_recording();
            }
        }
        Msg::Sample {
            sample,
            interval_ns,
        } => {
            if let Ok(mut t) = live.lock() {
                t.metrics_interval_ns = interval_ns;
                t.metrics.push(*sample);
            }
        }
        Msg::End => {}
    };
    let mut waiting: VecDeque<Msg> = VecDeque::new();
    let mut waiting_events = 0usize;
    let (mut window, mut used) = (Instant::now(), Duration::ZERO);
    let mut ended = false;
    // The viewer has not been told of what was ingested since `last_refresh`.
    let (mut last_refresh, mut owed) = (Instant::now(), false);
    while !ended {
        // Wait for a message, or for the next window when batches are waiting.
        let mut timeout = if waiting.is_empty() {
            LIVE_REFRESH
        } else {
            INGEST_WINDOW.saturating_sub(window.elapsed())
        };
        if owed {
            timeout = timeout.min(LIVE_TICK.saturating_sub(last_refresh.elapsed()));
        }
        let mut take = |msg: Msg, ended: &mut bool| match msg {
            Msg::End => *ended = true,
            msg => {
                if let Msg::Batch(b) = &msg {
                    waiting_events += b.len();
                }
                waiting.push_back(msg);
            }
        };
        match rx.recv_timeout(timeout) {
            Ok(msg) => take(msg, &mut ended),
            Err(RecvTimeoutError::Disconnected) => ended = true,
            Err(RecvTimeoutError::Timeout) => {}
        }
        while !ended && let Ok(msg) = rx.try_recv() {
            take(msg, &mut ended);
        }
        if window.elapsed() >= INGEST_WINDOW {
            (window, used) = (Instant::now(), Duration::ZERO);
        }
        while used < budget || ended || waiting_events >= MAX_SET_ASIDE {
            let Some(msg) = waiting.pop_front() else {
                break;
            };
            if let Msg::Batch(b) = &msg {
                waiting_events -= b.len();
            }
            let t0 = thread_cpu();
            ingest(msg);
            used += thread_cpu().saturating_sub(t0);
            owed = true;
        }
        if ended {
            break;
        }
        // At most every LIVE_TICK while batches flow (each refresh locks the live trace).
        if last_refresh.elapsed() < LIVE_TICK {
            continue;
        }
        // The run thread holds the capture until the run is over.
        let Some(cap) = capture.upgrade() else { break };
        let (now, dropped) = (cap.in_progress(), cap.stats().dropped);
        drop(cap);
        // Each thread's batches come in order, so whatever waits starts after the model.
        let frontier = waiting
            .iter()
            .filter_map(|m| match m {
                Msg::Batch(b) => b.first_ns(),
                _ => None,
            })
            .min();
        if let Ok(mut t) = live.lock() {
            t.set_in_progress(now.iter().map(|p| (p.thread, p.task, p.start_ns)));
            t.events_dropped = dropped + t.dropped_over_cap;
            t.live_frontier_ns = frontier;
        }
        on_update();
        (last_refresh, owed) = (Instant::now(), false);
    }
    // Batches sent before End are all in (one channel, in order); later ones were counted
    // as dropped by the capture.
    for msg in waiting {
        ingest(msg);
    }
    if let Ok(mut t) = live.lock() {
        t.live_frontier_ns = None;
    }
    on_update();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records `n` wakes on a thread of its own into a capture whose batches `collect`
    /// (with `budget`) models; returns the live trace, the capture and the collector.
    fn flood(
        n: u64,
        budget: Duration,
    ) -> (
        LiveTrace,
        Arc<Capture>,
        thread::JoinHandle<()>,
        crossbeam_channel::Receiver<Msg>,
    ) {
        let (tx, rx) = crossbeam_channel::bounded(4096);
        let cap = Capture::new(tx);
        let live: LiveTrace = Arc::new(Mutex::new(Trace::new("flood")));
        let (sink, weak, peek) = (live.clone(), Arc::downgrade(&cap), rx.clone());
        let collector =
            thread::spawn(move || collect_budgeted(rx, &sink, &weak, u64::MAX, budget, || {}));
        let c = cap.clone();
        thread::spawn(move || {
            capture::attach_thread(&c);
            for task in 1..=n {
                capture::wake(task);
            }
            capture::detach_thread();
        })
        .join()
        .expect("producer");
        (live, cap, collector, peek)
    }

    fn live_events(live: &LiveTrace) -> u64 {
        live.lock().map(|t| t.events).unwrap_or(0)
    }

    /// Waits (bounded, for a loaded machine) until `done` holds.
    fn eventually(mut done: impl FnMut() -> bool) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            if done() {
                return true;
            }
            thread::sleep(Duration::from_millis(5));
        }
        done()
    }

    #[test]
    fn beyond_its_budget_the_collector_sets_batches_aside_and_loses_none() {
        let n = 20_000;
        let (live, cap, collector, peek) = flood(n, Duration::ZERO);
        // Every batch has left the channel, and none is modelled while the run is live.
        assert!(
            eventually(|| peek.is_empty()),
            "the channel was not drained"
        );
        thread::sleep(Duration::from_millis(50));
        assert_eq!(live_events(&live), 0);
        // The viewer is told where the model stops: at the first event set aside.
        let frontier = || live.lock().ok().and_then(|t| t.live_frontier_ns);
        assert!(
            eventually(|| frontier().is_some()),
            "no frontier while live"
        );
        assert!(frontier().is_some_and(|f| f <= cap.now_ns()));
        cap.close();
        collector.join().expect("collector");
        assert_eq!(live_events(&live), n, "all of it goes in when the run ends");
        assert_eq!(frontier(), None, "a finished model has no frontier");
        assert_eq!(cap.stats().dropped, 0);
    }

    #[test]
    fn within_its_budget_the_collector_keeps_the_live_trace_current() {
        let n = 20_000;
        let (live, cap, collector, _) = flood(n, INGEST_BUDGET);
        assert!(
            eventually(|| live_events(&live) == n),
            "modelled while live: {} of {n}",
            live_events(&live)
        );
        cap.close();
        collector.join().expect("collector");
        assert_eq!(live_events(&live), n);
    }
}
