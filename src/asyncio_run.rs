//! A scenario on CPython's asyncio, beside tokio: the validated scenario goes to a runner
//! (`python/asyncscope_asyncio.py`, standard library only) as JSON, the runner runs it on an
//! instrumented event loop against our lab server and writes its events to a pipe, one line
//! each, and they are ingested into the same trace model as tokio's, so every view, finding
//! and export works unchanged. The loop's thread is lane `event-loop`; the default
//! executor's threads are `executor-N`.

use std::io::{BufRead, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::lab_server::LabServer;
use crate::scenario::{Scenario, Step, Steps};
use crate::trace::{Batch, Event, EventKind, Trace};

/// The runner, shipped inside the binary and written next to the run's other files.
const RUNNER: &str = include_str!("../python/asyncscope_asyncio.py");
/// The oldest Python whose pure-Python task this instruments (`_PyTask`, `_Task__step`).
const MIN_PYTHON: (u32, u32) = (3, 11);
/// Events are handed to the model in batches of this many.
const BATCH: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum AsyncioError {
    #[error("could not start the lab server on 127.0.0.1: {0}")]
    LabServer(std::io::Error),
    #[error(
        "asyncio runs need python3 3.11 or newer on the PATH ({0}); scripts/setup.sh installs it"
    )]
    NoPython(String),
    #[error("`{0}` is not run on asyncio yet; the tokio runtime runs it")]
    Unsupported(&'static str),
    #[error("the asyncio runner failed: {0}")]
    Runner(String),
    #[error("the asyncio runner wrote line {line} that is not an event: {text:?}")]
    BadLine { line: usize, text: String },
}

/// Which python3 runs the runner, after checking its version.
fn python() -> Result<PathBuf, AsyncioError> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys; print(sys.version_info[0], sys.version_info[1])",
        ])
        .output()
        .map_err(|e| AsyncioError::NoPython(e.to_string()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) if (major, minor) >= MIN_PYTHON => Ok(PathBuf::from("python3")),
        (Some(major), Some(minor)) => Err(AsyncioError::NoPython(format!(
            "python3 is {major}.{minor}"
        ))),
        _ => Err(AsyncioError::NoPython(
            "python3 did not say its version".into(),
        )),
    }
}

/// The scenario as the runner reads it: every step with its id in the run's step table
/// (see `Scenario::step_table`), so both runtimes record the same marks.
pub fn runner_json(sc: &Scenario) -> Result<Value, AsyncioError> {
    let firsts = sc.group_first_steps();
    let groups = sc
        .groups
        .iter()
        .zip(firsts)
        .map(|(g, first)| {
            Ok(json!({
                "name": g.name.as_ref(),
                "count": g.count,
                "spawn_interval_ms": g.spawn_interval_ms,
                "steps": steps_json(&g.steps, first)?,
            }))
        })
        .collect::<Result<Vec<_>, AsyncioError>>()?;
    // The channels by name, with their index in the resource table (their marks use it).
    let channels: serde_json::Map<String, Value> = sc
        .resource_table()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == "channel")
        .map(|(i, r)| (r.name.clone(), json!({"id": i, "capacity": r.capacity})))
        .collect();
    Ok(json!({
        "name": sc.name,
        "max_blocking_threads": sc.runtime.max_blocking_threads,
        "cpu_threads": sc.runtime.cpu_threads,
        "uses_cpu_pool": sc.uses_cpu_pool(),
        "channels": channels,
        "results": sc.results.keys().collect::<Vec<_>>(),
        "heartbeat_ms": sc.heartbeat_period_ms,
        "heartbeat_step": sc.heartbeat_step(),
        "semaphores": sc.semaphores,
        "time_limit_s": sc.time_limit_s,
        "groups": groups,
    }))
}

fn steps_json(steps: &Steps, first: u32) -> Result<Vec<Value>, AsyncioError> {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| step_json(s, steps.id(first, i)))
        .collect()
}

fn step_json(step: &Step, id: u32) -> Result<Value, AsyncioError> {
    Ok(match step {
        Step::HttpGet(path) if path.starts_with('/') => {
            json!({"k": "http_get", "id": id, "path": path.as_ref()})
        }
        Step::HttpGet(_) => return Err(AsyncioError::Unsupported("http_get to another host")),
        Step::SleepMs(ms) => json!({"k": "sleep_ms", "id": id, "ms": ms}),
        Step::CpuMs(ms) => json!({"k": "cpu_ms", "id": id, "ms": ms}),
        Step::BlockMs(ms) => json!({"k": "block_ms", "id": id, "ms": ms}),
        Step::OffloadCpuMs(ms) => json!({"k": "offload_cpu_ms", "id": id, "ms": ms}),
        Step::OffloadBlockMs(ms) => json!({"k": "offload_block_ms", "id": id, "ms": ms}),
        Step::YieldNow => json!({"k": "yield_now", "id": id}),
        Step::Print(text) => json!({"k": "print", "id": id, "text": text.as_ref()}),
        Step::Permit { semaphore, steps } => json!({
            "k": "permit", "id": id, "semaphore": semaphore.as_ref(),
            "steps": steps_json(steps, step.nested_ids(id)[0])?,
        }),
        Step::Repeat { times, steps } => json!({
            "k": "repeat", "id": id, "times": times, "steps": steps_json(steps, step.nested_ids(id)[0])?,
        }),
        Step::Join(branches) => {
            let out = branches
                .iter()
                .zip(step.nested_ids(id))
                .map(|(b, first)| steps_json(b, first).map(Value::Array))
                .collect::<Result<Vec<_>, _>>()?;
            json!({"k": "join", "id": id, "branches": out})
        }
        Step::Spawn {
            name,
            count,
            steps,
            wait,
            ..
        } => {
            let pause = step.spawn_pause();
            json!({
                "k": "spawn", "id": id, "name": name.as_ref(), "count": count, "wait": wait,
                "pause_ms": pause.map(|p| p.0), "abort": pause.is_some_and(|p| p.1),
                "steps": steps_json(steps, step.nested_ids(id)[0])?,
            })
        }
        Step::BlockingHttpGet(path) => {
            json!({"k": "blocking_http_get", "id": id, "path": path.as_ref()})
        }
        Step::CpuPoolMs(ms) => json!({"k": "cpu_pool_ms", "id": id, "ms": ms}),
        Step::ForgetWake => return Err(AsyncioError::Unsupported("forget_wake")),
        Step::Panic(message) => json!({"k": "panic", "id": id, "message": message.as_ref()}),
        Step::RecvReady(n) => json!({"k": "recv_ready", "id": id, "count": n}),
        Step::SendTo { channel, count } => {
            json!({"k": "send_to", "id": id, "channel": channel.as_ref(), "count": count})
        }
        Step::RecvFrom { channel, count } => {
            json!({"k": "recv_from", "id": id, "channel": channel.as_ref(), "count": count})
        }
        Step::Lazy { delay_ms, steps } => json!({
            "k": "lazy", "id": id, "delay_ms": delay_ms, "steps": steps_json(steps, step.nested_ids(id)[0])?,
        }),
        Step::Timeout { ms, steps } => json!({
            "k": "timeout", "id": id, "ms": ms, "steps": steps_json(steps, step.nested_ids(id)[0])?,
        }),
        Step::Race(branches) => {
            let out = branches
                .iter()
                .zip(step.nested_ids(id))
                .map(|(b, first)| steps_json(b, first).map(Value::Array))
                .collect::<Result<Vec<_>, _>>()?;
            json!({"k": "race", "id": id, "branches": out})
        }
        Step::SetResult(name) => json!({"k": "set_result", "id": id, "name": name.as_ref()}),
        Step::AwaitResult(name) => json!({"k": "await_result", "id": id, "name": name.as_ref()}),
    })
}

/// Runs `sc` once on asyncio and returns its finished trace.
pub fn run_asyncio(sc: &Scenario) -> Result<Trace, AsyncioError> {
    run_asyncio_until(sc, &std::sync::atomic::AtomicBool::new(false))
}

/// The same; setting `stop` ends the runner (a runaway scenario), keeping what it wrote.
pub fn run_asyncio_until(
    sc: &Scenario,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<Trace, AsyncioError> {
    let scenario = runner_json(sc)?;
    let python = python()?;
    let lab = LabServer::start(sc.server.clone()).map_err(AsyncioError::LabServer)?;
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = TempDir(
        std::env::temp_dir().join(format!("asyncscope-asyncio-{}-{n}", std::process::id())),
    );
    std::fs::create_dir_all(&dir.0).map_err(|e| AsyncioError::Runner(e.to_string()))?;
    let runner = dir.0.join("asyncscope_asyncio.py");
    std::fs::write(&runner, RUNNER).map_err(|e| AsyncioError::Runner(e.to_string()))?;
    let mut child = Command::new(python)
        .arg(&runner)
        .arg(lab.base_url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| AsyncioError::Runner(e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(scenario.to_string().as_bytes())
            .map_err(|e| AsyncioError::Runner(e.to_string()))?;
    }
    let mut trace = Trace::new(sc.name.clone());
    trace.runtime = crate::trace::Runtime::Asyncio;
    trace.steps = sc.step_table();
    trace.resources = sc.resource_table();
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| AsyncioError::Runner("no pipe".into()))?;
    let mut reader = Ingest::default();
    let mut wall_ns = 0;
    let child = std::sync::Mutex::new(child);
    let done = std::sync::atomic::AtomicBool::new(false);
    let (lines, stopped) = std::thread::scope(|scope| {
        // Stop kills the runner: its pipe then ends, and what it wrote is kept.
        let watcher = scope.spawn(|| {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    if let Ok(mut c) = child.lock() {
                        let _ = c.kill();
                    }
                    return true;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            false
        });
        let lines: Vec<std::io::Result<String>> = BufReader::new(stdout).lines().collect();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (lines, watcher.join().unwrap_or(false))
    });
    let child = child
        .into_inner()
        .map_err(|_| AsyncioError::Runner("the runner's handle".into()))?;
    for (n, line) in lines.into_iter().enumerate() {
        let line = line.map_err(|e| AsyncioError::Runner(e.to_string()))?;
        if let Some(rest) = line.strip_prefix("END ") {
            wall_ns = rest.trim().parse().unwrap_or(0);
            continue;
        }
        reader
            .line(&line, &mut trace)
            .ok_or_else(|| AsyncioError::BadLine {
                line: n + 1,
                text: line.chars().take(120).collect(),
            })?;
    }
    reader.flush(&mut trace);
    let out = child
        .wait_with_output()
        .map_err(|e| AsyncioError::Runner(e.to_string()))?;
    if stopped {
        trace.stopped = true;
        wall_ns = trace.end_ns();
    } else if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(AsyncioError::Runner(format!("{} ({last})", out.status)));
    }
    drop(lab);
    drop(dir);
    trace.wall_ns = wall_ns;
    trace.cpus = std::thread::available_parallelism().map_or(0, |n| n.get() as u32);
    trace.finish();
    Ok(trace)
}

/// A folder of the run's own, removed when the run is over (or failed).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Lines to events, per thread, handed to the trace in batches (threads in order of first
/// appearance: the loop's is 0).
#[derive(Default)]
struct Ingest {
    threads: Vec<u64>,
    pending: Vec<(u32, Event)>,
}

impl Ingest {
    /// One line: `THREAD NS KIND ARGS…`; None when it is not one.
    fn line(&mut self, line: &str, trace: &mut Trace) -> Option<()> {
        let mut parts = line.splitn(4, ' ');
        let ident: u64 = parts.next()?.parse().ok()?;
        let ts_ns: u64 = parts.next()?.parse().ok()?;
        let kind = parts.next()?;
        let rest = parts.next().unwrap_or("");
        let num = |i: usize| -> Option<u64> { rest.split(' ').nth(i)?.parse().ok() };
        let text = |from: usize| -> Option<Arc<str>> {
            let raw = rest.splitn(from + 1, ' ').nth(from)?;
            serde_json::from_str::<String>(raw).ok().map(Arc::from)
        };
        let kind = match kind {
            "S" => EventKind::SpawnAt {
                task: num(0)?,
                location: text(1)?,
            },
            "N" => EventKind::Name {
                task: num(0)?,
                name: text(1)?,
            },
            "P" => EventKind::PollStart { task: num(0)? },
            "E" => EventKind::PollEnd { task: num(0)? },
            "D" => EventKind::Terminate { task: num(0)? },
            "W" => EventKind::Wake { task: num(0)? },
            "BS" => EventKind::SpawnBlocking {
                task: num(0)?,
                location: text(1)?,
            },
            "BB" => EventKind::BlockingStart { task: num(0)? },
            "BE" => EventKind::BlockingEnd { task: num(0)? },
            "HS" => EventKind::HttpStart {
                req: num(0)?,
                url: text(1)?,
            },
            "HE" => EventKind::HttpEnd {
                req: num(0)?,
                status: u16::try_from(num(1)?).ok()?,
            },
            "SE" => EventKind::StepEnter {
                step: u32::try_from(num(0)?).ok()?,
            },
            "SX" => EventKind::StepExit {
                step: u32::try_from(num(0)?).ok()?,
            },
            "HB" => EventKind::Heartbeat { late_ns: num(0)? },
            "PR" => EventKind::Print { text: text(0)? },
            "AB" => EventKind::Abort { task: num(0)? },
            "CO" => EventKind::ChannelOp {
                channel: u32::try_from(num(0)?).ok()?,
                sent: num(1)? == 1,
            },
            "CQ" => EventKind::CpuJobQueued { job: num(0)? },
            "CB" => EventKind::CpuJobStart { job: num(0)? },
            "CE" => EventKind::CpuJobEnd { job: num(0)? },
            "PN" => EventKind::Panic { message: text(0)? },
            "PK" => EventKind::Park,
            "UP" => EventKind::Unpark,
            _ => return None,
        };
        let thread = match self.threads.iter().position(|&t| t == ident) {
            Some(i) => i as u32,
            None => {
                self.threads.push(ident);
                self.threads.len() as u32 - 1
            }
        };
        self.pending.push((thread, Event { ts_ns, kind }));
        if self.pending.len() >= BATCH {
            self.flush(trace);
        }
        Some(())
    }

    /// Hands what is pending to the trace, one batch per thread in the order they came.
    fn flush(&mut self, trace: &mut Trace) {
        let mut by_thread: Vec<Vec<Event>> = vec![Vec::new(); self.threads.len()];
        for (thread, ev) in self.pending.drain(..) {
            by_thread[thread as usize].push(ev);
        }
        for (thread, events) in by_thread.into_iter().enumerate() {
            if !events.is_empty() {
                trace.ingest(Batch {
                    thread: thread as u32,
                    events,
                });
            }
        }
    }
}
