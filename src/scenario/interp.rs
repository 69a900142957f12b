//! The step interpreter: what each scenario task does, as plain tokio code. It records only
//! scenario-level marks: HTTP requests, and when a task enters and leaves each step (by the
//! step's id in the run's step table, see `Scenario::step_table`), so the trace knows at
//! which `.await` a pending task waits. Spawns, polls and wakes come from capture.

use std::collections::HashMap;
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};

use super::{Scenario, Step, Steps};
use crate::capture::{record, record_untimed};
use crate::trace::EventKind;

/// A named channel of a scenario (`[channels]`).
struct Channel {
    /// Its index in the run's resource table (`Scenario::resource_table`).
    id: u32,
    tx: mpsc::Sender<u64>,
    rx: Arc<tokio::sync::Mutex<mpsc::Receiver<u64>>>,
}

/// Shared by every task of one run.
pub struct RunContext {
    /// `http://127.0.0.1:PORT`, the lab server.
    pub base_url: String,
    pub client: reqwest::Client,
    semaphores: HashMap<String, Arc<Semaphore>>,
    /// The named channels: the sending end, and the receiving end shared by the receivers.
    channels: HashMap<String, Channel>,
    /// The one-shot results: set once (true), awaited by any number of tasks.
    results: HashMap<String, tokio::sync::watch::Sender<bool>>,
    /// The CPU pool, while it runs (see [`RunContext::start_cpu_pool`]).
    cpu_pool: Mutex<Option<CpuPool>>,
    next_job: AtomicU64,
    stop: Arc<AtomicBool>,
    next_request: AtomicU64,
    errors: Mutex<Vec<String>>,
    /// tokio-metrics task monitors, one per task group (by name).
    monitors: Mutex<HashMap<String, tokio_metrics::TaskMonitor>>,
}

impl RunContext {
    pub fn new(
        scenario: &Scenario,
        base_url: String,
        stop: Arc<AtomicBool>,
    ) -> reqwest::Result<Self> {
        let client = reqwest::Client::builder()
            // Never route lab traffic through a proxy from the environment.
            .no_proxy()
            .pool_max_idle_per_host(1024)
            .build()?;
        Ok(RunContext {
            base_url,
            client,
            semaphores: scenario
                .semaphores
                .iter()
                .map(|(name, &permits)| (name.clone(), Arc::new(Semaphore::new(permits))))
                .collect(),
            channels: scenario
                .channels
                .iter()
                .enumerate()
                .map(|(i, (name, &capacity))| {
                    let (tx, rx) = mpsc::channel(capacity);
                    let rx = Arc::new(tokio::sync::Mutex::new(rx));
                    let id = (scenario.semaphores.len() + i) as u32;
                    (name.clone(), Channel { id, tx, rx })
                })
                .collect(),
            results: scenario
                .results
                .keys()
                .map(|name| (name.clone(), tokio::sync::watch::Sender::new(false)))
                .collect(),
            cpu_pool: Mutex::new(None),
            next_job: AtomicU64::new(0),
            stop,
            next_request: AtomicU64::new(0),
            errors: Mutex::new(Vec::new()),
            monitors: Mutex::new(HashMap::new()),
        })
    }

    /// Starts the scenario's CPU pool (`threads` threads recording into `cap`); a run
    /// whose steps have no `cpu_pool_ms` needs none.
    pub fn start_cpu_pool(&self, threads: usize, cap: &Arc<crate::capture::Capture>) {
        match CpuPool::start(threads, cap, self.stop.clone()) {
            Ok(pool) => {
                if let Ok(mut p) = self.cpu_pool.lock() {
                    *p = Some(pool);
                }
            }
            Err(e) => self.error(format!("could not start the CPU pool: {e}")),
        }
    }

    /// Stops the CPU pool and waits for its threads, which hand their last events over
    /// as they end (call before the capture closes).
    pub fn stop_cpu_pool(&self) {
        let pool = self.cpu_pool.lock().ok().and_then(|mut p| p.take());
        if let Some(pool) = pool {
            pool.join();
        }
    }

    /// Runs `ms` of CPU work on the CPU pool and waits for it.
    async fn cpu_pool_job(&self, ms: u64) {
        let job = crate::trace::CPU_JOB_IDS + self.next_job.fetch_add(1, Ordering::Relaxed);
        let (done, finished) = tokio::sync::oneshot::channel();
        record(EventKind::CpuJobQueued { job });
        let queued = self
            .cpu_pool
            .lock()
            .ok()
            .and_then(|p| p.as_ref().map(|p| p.submit(CpuJob { job, ms, done })));
        if queued != Some(true) {
            self.error("the CPU pool is not running".to_string());
            return;
        }
        let _ = finished.await;
    }

    /// A named channel (validation saw it declared; a run error otherwise).
    fn channel(&self, name: &str) -> Option<&Channel> {
        let c = self.channels.get(name);
        if c.is_none() {
            self.error(format!("unknown channel `{name}`"));
        }
        c
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// A problem of the run itself (not a scenario task's panic).
    pub fn error(&self, message: String) {
        if let Ok(mut e) = self.errors.lock() {
            e.push(message);
        }
    }

    pub fn take_errors(&self) -> Vec<String> {
        self.errors
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default()
    }

    /// The task monitor of the group `name` (created on first use).
    pub fn monitor(&self, name: &str) -> tokio_metrics::TaskMonitor {
        match self.monitors.lock() {
            Ok(mut m) => m
                .entry(name.to_string())
                .or_insert_with(new_monitor)
                .clone(),
            Err(_) => new_monitor(),
        }
    }

    /// What the task monitors measured, per group, sorted by name.
    pub fn group_metrics(&self) -> Vec<crate::trace::GroupMetrics> {
        let Ok(monitors) = self.monitors.lock() else {
            return Vec::new();
        };
        let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
        let mut out: Vec<_> = monitors
            .iter()
            .map(|(name, m)| {
                let c = m.cumulative();
                crate::trace::GroupMetrics {
                    name: name.clone(),
                    tasks: c.instrumented_count,
                    mean_first_poll_delay_ms: ms(c.mean_first_poll_delay()),
                    mean_scheduled_ms: ms(c.mean_scheduled_duration()),
                    mean_poll_ms: ms(c.mean_poll_duration()),
                    slow_poll_ratio: c.slow_poll_ratio(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Spawns one named scenario task running `steps`, whose first step has id `first`.
    pub fn spawn_task(
        self: &Arc<Self>,
        name: &str,
        steps: &Steps,
        first: u32,
    ) -> Option<tokio::task::JoinHandle<()>> {
        let monitor = self.monitor(name);
        match tokio::task::Builder::new()
            .name(name)
            .spawn(monitor.instrument(run_steps(self.clone(), steps.clone(), first)))
        {
            Ok(h) => Some(h),
            Err(e) => {
                self.error(format!("could not spawn task `{name}`: {e}"));
                None
            }
        }
    }

    async fn http_get(&self, target: &Arc<str>) {
        let url = if target.starts_with('/') {
            format!("{}{}", self.base_url, target)
        } else {
            target.to_string()
        };
        let req = self.next_request.fetch_add(1, Ordering::Relaxed);
        record(EventKind::HttpStart {
            req,
            url: target.clone(),
        });
        // Dropped before the answer (a timeout, a race, an abort): recorded as cancelled.
        let in_flight = InFlight(req);
        let status = match self.client.get(&url).send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                // Read the body: the request is done when its response is.
                match resp.bytes().await {
                    Ok(_) => status,
                    Err(_) => 0,
                }
            }
            Err(_) => 0,
        };
        std::mem::forget(in_flight);
        record(EventKind::HttpEnd { req, status });
    }
}

/// A request in flight: dropped before its answer, it ends as cancelled.
struct InFlight(u64);

impl Drop for InFlight {
    fn drop(&mut self) {
        record(EventKind::HttpEnd {
            req: self.0,
            status: crate::trace::HTTP_CANCELLED,
        });
    }
}

impl RunContext {
    /// A blocking GET inside the poll: recorded like any request, but the worker thread
    /// waits in `read` for the answer.
    fn blocking_http_get(&self, path: &Arc<str>) {
        let req = self.next_request.fetch_add(1, Ordering::Relaxed);
        record(EventKind::HttpStart {
            req,
            url: path.clone(),
        });
        let status = blocking_get(&self.base_url, path, &self.stop).unwrap_or(0);
        record(EventKind::HttpEnd { req, status });
    }
}

/// An HTTP/1.1 GET of `path` from `base_url` (`http://127.0.0.1:PORT`) with std's blocking
/// `TcpStream`, on this thread: the answer's status. Reads in 50 ms slices so that `stop`
/// ends it; None when the request failed or was stopped.
fn blocking_get(base_url: &str, path: &str, stop: &AtomicBool) -> Option<u16> {
    use std::io::{Read, Write};
    let addr = base_url.strip_prefix("http://").unwrap_or(base_url);
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
            }
            Err(_) => return None,
        }
        // The lab server's answers are small; a runaway one is not read to its end.
        if answer.len() > 1 << 20 {
            break;
        }
    }
    status_of(&answer)
}

/// The status code of an HTTP/1.x answer ("HTTP/1.1 200 OK…" → 200).
fn status_of(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|&b| b == b'\r' || b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    parts.next().filter(|v| v.starts_with("HTTP/1."))?;
    parts.next()?.parse().ok()
}

/// A task monitor whose "slow poll" is the findings' poll budget (10 ms), not
/// tokio-metrics' default of 50 µs.
fn new_monitor() -> tokio_metrics::TaskMonitor {
    let mut b = tokio_metrics::TaskMonitor::builder();
    b.with_slow_poll_threshold(Duration::from_nanos(crate::trace::findings::POLL_BUDGET_NS));
    b.build()
}

type BoxFuture<T = ()> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Runs `steps` in order (the first has id `first`); stops early when the run is stopped.
pub fn run_steps(ctx: Arc<RunContext>, steps: Steps, first: u32) -> BoxFuture {
    Box::pin(async move {
        drop(run_steps_after(ctx, steps, first, None).await);
    })
}

/// The same, right after step `before` (still open: its exit and the first step's entry
/// are one mark). Returns the last step, still open, for whatever comes next to leave it
/// in its own entry mark (the next step, a `repeat`'s next turn).
fn run_steps_after(
    ctx: Arc<RunContext>,
    steps: Steps,
    first: u32,
    before: Option<InStep>,
) -> BoxFuture<Option<InStep>> {
    Box::pin(async move {
        let mut open = before;
        for (i, step) in steps.iter().enumerate() {
            if ctx.stopped() {
                return open;
            }
            open = run_step(&ctx, step, steps.id(first, i), open).await;
        }
        open
    })
}

/// The running task is inside step `id` until this is dropped (the step is done, or the
/// task is dropped in it: tokio drops a cancelled task's future inside the task's span, so
/// the exit is still the task's) or handed to the next step's [`InStep::enter`].
///
/// Marks are recorded untimed (stamped with the thread's newest event, see
/// `capture::record_untimed`): a step is entered right after the previous one ends, and an
/// awaiting step ends right where the poll that resumed it began. Only the end of a step
/// that works inside the poll (`cpu_ms`, `block_ms`) reads the clock.
struct InStep {
    id: u32,
    works: bool,
}

impl InStep {
    /// Enters step `id`, leaving `before` in the same mark: one event where steps follow
    /// each other, which halves what a sequence of steps costs to record.
    fn enter(before: Option<InStep>, id: u32) -> Self {
        Self::enter_working(before, id, false)
    }

    /// The same, for a step that `works` inside the poll until it ends.
    fn enter_working(before: Option<InStep>, id: u32, works: bool) -> Self {
        match before {
            Some(b) => {
                let (exit, timed) = (b.id, b.works);
                std::mem::forget(b);
                let kind = EventKind::StepNext { exit, enter: id };
                if timed {
                    record(kind)
                } else {
                    record_untimed(kind)
                }
            }
            None => record_untimed(EventKind::StepEnter { step: id }),
        }
        InStep { id, works }
    }
}

impl Drop for InStep {
    fn drop(&mut self) {
        let kind = EventKind::StepExit { step: self.id };
        if self.works {
            record(kind)
        } else {
            record_untimed(kind)
        }
    }
}

/// Runs one step, entered right after `before`; returns it still open when nothing else
/// has to happen at its end (a permit is released, children are awaited...).
async fn run_step(
    ctx: &Arc<RunContext>,
    step: &Step,
    id: u32,
    before: Option<InStep>,
) -> Option<InStep> {
    match step {
        Step::Permit { semaphore, steps } => {
            let Some(sem) = ctx.semaphores.get(&**semaphore) else {
                ctx.error(format!("unknown semaphore `{semaphore}`"));
                return before;
            };
            let acquiring = InStep::enter(before, id);
            // The semaphore lives as long as the run: acquire cannot fail.
            let _permit = sem.acquire().await;
            let holding = InStep::enter(Some(acquiring), id + 1);
            let first = step.nested_ids(id)[0];
            drop(run_steps_after(ctx.clone(), steps.clone(), first, None).await);
            // Left as the permit is released.
            drop(holding);
            None
        }
        Step::Repeat { times, steps } => {
            let repeat = InStep::enter(before, id);
            let mut open = None;
            for _ in 0..*times {
                if ctx.stopped() {
                    break;
                }
                open =
                    run_steps_after(ctx.clone(), steps.clone(), step.nested_ids(id)[0], open).await;
            }
            drop(open);
            Some(repeat)
        }
        Step::Join(branches) => {
            let join = InStep::enter(before, id);
            let futures = branches
                .iter()
                .zip(step.nested_ids(id))
                .map(|(b, first)| run_steps(ctx.clone(), b.clone(), first));
            futures_util::future::join_all(futures.collect::<Vec<_>>()).await;
            Some(join)
        }
        Step::Spawn {
            name,
            count,
            steps,
            wait,
            ..
        } => {
            drop(before);
            let pause_ms = step.spawn_pause();
            let first_child = step.nested_ids(id)[0];
            let handles: Vec<_> = (0..*count)
                .filter_map(|_| ctx.spawn_task(name, steps, first_child))
                .collect();
            let mut pause = None;
            if let Some((ms, abort)) = pause_ms {
                // The children are tasks: they run while the parent sleeps.
                let sleeping = InStep::enter(None, id + 1);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                if abort {
                    // A child that is done by then is not cancelled by the abort.
                    for h in handles.iter().filter(|h| !h.is_finished()) {
                        // Said first, so the child's unfinished end reads as cancelled.
                        record(EventKind::Abort {
                            task: crate::capture::task_id_u64(h.id()),
                        });
                        h.abort();
                    }
                }
                pause = Some(sleeping);
            }
            if !*wait {
                return pause;
            }
            let waiting = InStep::enter(pause, id);
            for h in handles {
                // A child's panic is recorded by capture; the parent goes on.
                let _ = h.await;
            }
            Some(waiting)
        }
        Step::Timeout { ms, steps } => {
            let within = InStep::enter(before, id);
            let inner = run_steps_after(ctx.clone(), steps.clone(), step.nested_ids(id)[0], None);
            // At the deadline the steps are dropped where they are: their marks are left by
            // the drop, and an open request is recorded as cancelled.
            if let Ok(open) = tokio::time::timeout(Duration::from_millis(*ms), inner).await {
                drop(open);
            }
            Some(within)
        }
        Step::Race(branches) => {
            let race = InStep::enter(before, id);
            let futures: Vec<_> = branches
                .iter()
                .zip(step.nested_ids(id))
                .map(|(b, first)| run_steps(ctx.clone(), b.clone(), first))
                .collect();
            // The first to finish wins; the others are dropped where they are.
            let (_, _, losers) = futures_util::future::select_all(futures).await;
            drop(losers);
            Some(race)
        }
        Step::Lazy { delay_ms, steps } => {
            let waiting = InStep::enter(before, id);
            // Built, not polled: nothing of it runs (no request is sent) until it is awaited.
            let future = run_steps_after(ctx.clone(), steps.clone(), step.nested_ids(id)[0], None);
            tokio::time::sleep(Duration::from_millis(*delay_ms)).await;
            drop(waiting);
            future.await
        }
        Step::Panic(message) => {
            drop(before);
            std::panic::panic_any(message.to_string())
        }
        _ => {
            let works = matches!(
                step,
                Step::CpuMs(_) | Step::BlockMs(_) | Step::BlockingHttpGet(_)
            );
            let open = InStep::enter_working(before, id, works);
            leaf_step(ctx, step).await;
            Some(open)
        }
    }
}

/// A step that holds no other steps.
async fn leaf_step(ctx: &Arc<RunContext>, step: &Step) {
    match step {
        Step::HttpGet(target) => ctx.http_get(target).await,
        Step::BlockingHttpGet(path) => ctx.blocking_http_get(path),
        Step::SleepMs(ms) => tokio::time::sleep(Duration::from_millis(*ms)).await,
        Step::CpuMs(ms) => spin_cpu(*ms, &ctx.stop),
        Step::BlockMs(ms) => block(*ms, &ctx.stop),
        Step::OffloadCpuMs(ms) => {
            let (ms, stop) = (*ms, ctx.stop.clone());
            offload(ctx, "offload_cpu", move || spin_cpu(ms, &stop)).await
        }
        Step::CpuPoolMs(ms) => ctx.cpu_pool_job(*ms).await,
        Step::OffloadBlockMs(ms) => {
            let (ms, stop) = (*ms, ctx.stop.clone());
            offload(ctx, "offload_block", move || block(ms, &stop)).await
        }
        Step::YieldNow => tokio::task::yield_now().await,
        Step::Print(text) => record(EventKind::Print { text: text.clone() }),
        Step::SetResult(name) => match ctx.results.get(&**name) {
            Some(r) => {
                r.send_replace(true);
            }
            None => ctx.error(format!("unknown result `{name}`")),
        },
        Step::AwaitResult(name) => match ctx.results.get(&**name) {
            Some(r) => {
                // The sender lives as long as the run: the wait ends when it is set.
                let _ = r.subscribe().wait_for(|set| *set).await;
            }
            None => ctx.error(format!("unknown result `{name}`")),
        },
        // Pending, and the waker is dropped: nothing will ever poll this task again.
        Step::ForgetWake => std::future::poll_fn(|_| std::task::Poll::<()>::Pending).await,
        // Containers: run by `run_step`.
        Step::Permit { .. }
        | Step::Repeat { .. }
        | Step::Join(_)
        | Step::Spawn { .. }
        | Step::Lazy { .. }
        | Step::Timeout { .. }
        | Step::Race(_)
        | Step::Panic(_) => {}
        Step::RecvReady(n) => {
            let n = *n;
            let (tx, mut rx) = mpsc::channel(n as usize);
            for i in 0..n {
                let _ = tx.try_send(i);
            }
            drop(tx);
            // Every recv is ready: only tokio's coop budget makes this task yield.
            for i in 0..n {
                if i % 1024 == 0 && ctx.stopped() {
                    return;
                }
                if rx.recv().await.is_none() {
                    break;
                }
            }
        }
        Step::SendTo { channel, count } => {
            let Some(c) = ctx.channel(channel) else {
                return;
            };
            for i in 0..*count {
                if ctx.stopped() || c.tx.send(i).await.is_err() {
                    return;
                }
                record_untimed(EventKind::ChannelOp {
                    channel: c.id,
                    sent: true,
                });
            }
        }
        Step::RecvFrom { channel, count } => {
            let Some(c) = ctx.channel(channel) else {
                return;
            };
            for _ in 0..*count {
                if ctx.stopped() {
                    return;
                }
                // One message at a time, so several receivers share the channel.
                let mut rx = c.rx.lock().await;
                if rx.recv().await.is_none() {
                    return;
                }
                record_untimed(EventKind::ChannelOp {
                    channel: c.id,
                    sent: false,
                });
            }
        }
    }
}

/// One `cpu_pool_ms` job: its id, its work, and whom to tell when it is done.
struct CpuJob {
    job: u64,
    ms: u64,
    done: tokio::sync::oneshot::Sender<()>,
}

/// The scenario's CPU pool: `cpu-N` threads taking jobs from one queue, each recording
/// into the run's capture. Threads of our own rather than a rayon pool: the run must join
/// them before the capture closes, so that their last events are in the trace, and rayon's
/// pool does not join its threads when dropped.
struct CpuPool {
    queue: crossbeam_channel::Sender<CpuJob>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl CpuPool {
    fn start(
        threads: usize,
        cap: &Arc<crate::capture::Capture>,
        stop: Arc<AtomicBool>,
    ) -> std::io::Result<Self> {
        let (queue, jobs) = crossbeam_channel::unbounded::<CpuJob>();
        let mut pool = CpuPool {
            queue,
            threads: Vec::new(),
        };
        for i in 0..threads.max(1) {
            let (jobs, cap, stop) = (jobs.clone(), cap.clone(), stop.clone());
            let thread = std::thread::Builder::new()
                .name(format!("cpu-{i}"))
                .spawn(move || {
                    crate::capture::attach_thread(&cap);
                    for job in jobs {
                        record(EventKind::CpuJobStart { job: job.job });
                        spin_cpu(job.ms, &stop);
                        record(EventKind::CpuJobEnd { job: job.job });
                        // The awaiting task is woken from here, by this job.
                        let _ = job.done.send(());
                        crate::capture::flush();
                    }
                    crate::capture::detach_thread();
                });
            match thread {
                Ok(t) => pool.threads.push(t),
                Err(e) => {
                    pool.join();
                    return Err(e);
                }
            }
        }
        Ok(pool)
    }

    /// Queues a job; false when the pool's threads are gone.
    fn submit(&self, job: CpuJob) -> bool {
        self.queue.send(job).is_ok()
    }

    /// Closes the queue and waits for the threads (each finishes the jobs queued so far,
    /// quickly once the run's stop flag is set).
    fn join(self) {
        drop(self.queue);
        for t in self.threads {
            let _ = t.join();
        }
    }
}

async fn offload(ctx: &RunContext, name: &str, f: impl FnOnce() + Send + 'static) {
    match tokio::task::Builder::new().name(name).spawn_blocking(f) {
        Ok(h) => {
            let _ = h.await;
        }
        Err(e) => ctx.error(format!("could not spawn blocking work: {e}")),
    }
}

/// Busy work on this thread for `ms`, checking `stop` about every millisecond.
pub fn spin_cpu(ms: u64, stop: &AtomicBool) {
    let end = Instant::now() + Duration::from_millis(ms);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while Instant::now() < end && !stop.load(Ordering::Relaxed) {
        for _ in 0..2_000 {
            x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
    }
}

/// Sleeps this OS thread for `ms` (a blocking call), in slices so `stop` is honoured.
pub fn block(ms: u64, stop: &AtomicBool) {
    let end = Instant::now() + Duration::from_millis(ms);
    loop {
        let now = Instant::now();
        if now >= end || stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(10)));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_status_of_an_http_answer() {
        assert_eq!(
            super::status_of(b"HTTP/1.1 429 Too Many Requests\r\n\r\n"),
            Some(429)
        );
        assert_eq!(
            super::status_of(b"HTTP/1.0 200 OK\r\ncontent-length: 0"),
            Some(200)
        );
        assert_eq!(super::status_of(b"SSH-2.0-OpenSSH"), None);
        assert_eq!(super::status_of(b""), None);
    }
}
