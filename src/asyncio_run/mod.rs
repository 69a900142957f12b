//! A scenario on CPython's asyncio, beside tokio: the validated scenario goes to a runner
//! (`python/asyncscope_asyncio.py`, standard library only) as JSON, the runner runs it on an
//! instrumented event loop against our lab server and writes its events to a pipe, one line
//! each, and they are ingested into the same trace model as tokio's, so every view, finding
//! and export works unchanged. The loop's thread is lane `event-loop`; the default
//! executor's threads are `executor-N`.

pub mod wire;

use std::io::{BufRead, BufReader, Read as _, Write as _};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::lab_server::LabServer;
use crate::run::LiveTrace;
use crate::scenario::{Scenario, Step, Steps};
use crate::trace::{Runtime, Summary, Trace};

/// The runner, shipped inside the binary and written next to the run's other files.
const RUNNER: &str = include_str!("../../python/asyncscope_asyncio.py");
/// The oldest Python whose pure-Python task this instruments (`_PyTask`, `_Task__step`).
const MIN_PYTHON: (u32, u32) = (3, 11);
/// The lines of the runner's standard error kept for an error message.
const STDERR_LINES: usize = 20;

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
    #[error("the asyncio runner stopped before it started: {0}")]
    NoStart(String),
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
    // The step's nested lists (a permit's body, a join's branches, …), each with its ids.
    let mut nested = step
        .nested()
        .iter()
        .zip(step.nested_ids(id))
        .map(|(b, first)| steps_json(b, first).map(Value::Array))
        .collect::<Result<Vec<_>, _>>()?;
    // The one list of a permit, repeat, spawn, lazy or timeout (join and race keep theirs).
    let body = match step {
        Step::Join(_) | Step::Race(_) => Value::Null,
        _ => nested.pop().unwrap_or(Value::Null),
    };
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
        Step::Permit { semaphore, .. } => json!({
            "k": "permit", "id": id, "semaphore": semaphore.as_ref(),
            "steps": body,
        }),
        Step::Repeat { times, .. } => json!({
            "k": "repeat", "id": id, "times": times, "steps": body,
        }),
        Step::Join(_) | Step::Race(_) => {
            let k = if matches!(step, Step::Join(_)) {
                "join"
            } else {
                "race"
            };
            json!({"k": k, "id": id, "branches": std::mem::take(&mut nested)})
        }
        Step::Spawn {
            name, count, wait, ..
        } => {
            let pause = step.spawn_pause();
            json!({
                "k": "spawn", "id": id, "name": name.as_ref(), "count": count, "wait": wait,
                "pause_ms": pause.map(|p| p.0), "abort": pause.is_some_and(|p| p.1),
                "steps": body,
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
        Step::Lazy { delay_ms, .. } => json!({
            "k": "lazy", "id": id, "delay_ms": delay_ms, "steps": body,
        }),
        Step::Timeout { ms, .. } => json!({
            "k": "timeout", "id": id, "ms": ms, "steps": body,
        }),
        Step::SetResult(name) => json!({"k": "set_result", "id": id, "name": name.as_ref()}),
        Step::AwaitResult(name) => json!({"k": "await_result", "id": id, "name": name.as_ref()}),
    })
}

/// What the scenario's keys and steps mean on asyncio where that differs from tokio, for
/// the run's notes: nothing of the file is silently ignored. In English, as the trace and
/// its files keep them; [`asyncio_notes_in`] has them in any language.
pub fn asyncio_notes(sc: &Scenario) -> Vec<String> {
    asyncio_notes_in(sc, crate::i18n::Language::English)
}

/// The same notes in `lang`.
pub fn asyncio_notes_in(sc: &Scenario, l: crate::i18n::Language) -> Vec<String> {
    use crate::scenario::Flavor;
    use crate::t;
    let mut notes = Vec::new();
    if sc.runtime.flavor == Flavor::MultiThread {
        notes.push(t!(l, "asyncio-note-workers", workers = sc.runtime.workers));
    }
    if sc.any_step(|s| matches!(s, Step::OffloadCpuMs(_) | Step::OffloadBlockMs(_))) {
        notes.push(t!(
            l,
            "asyncio-note-executor",
            threads = sc.runtime.max_blocking_threads
        ));
    }
    if sc.any_step(|s| matches!(s, Step::OffloadCpuMs(_))) {
        notes.push(t!(l, "asyncio-note-offload-cpu"));
    }
    if sc.uses_cpu_pool() {
        notes.push(t!(
            l,
            "asyncio-note-cpu-pool",
            threads = sc.runtime.cpu_threads
        ));
    }
    if sc.any_step(|s| matches!(s, Step::Join(_))) {
        notes.push(t!(l, "asyncio-note-join"));
    }
    if sc.any_step(|s| matches!(s, Step::RecvReady(_))) {
        notes.push(t!(l, "asyncio-note-recv-ready"));
    }
    notes
}

/// What runs on the instrumented loop.
pub enum Program<'a> {
    /// A validated scenario, against our lab server.
    Scenario(&'a Scenario),
    /// Any asyncio program (`asyncscope trace-py SCRIPT.py ARGS…`); with `lab`, our lab
    /// server runs beside it and its URL is in `$ASYNCSCOPE_LAB_URL`.
    Script {
        path: &'a Path,
        args: &'a [String],
        lab: bool,
    },
}

/// Where the script's own standard streams go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Streams {
    /// The terminal's, as if it ran alone (the CLI).
    Inherit,
    /// Kept by us: the last lines of its error output go in the run's errors (the GUI).
    Capture,
}

/// Runs `sc` once on asyncio and returns its finished trace.
pub fn run_asyncio(sc: &Scenario) -> Result<Trace, AsyncioError> {
    run_asyncio_until(sc, &AtomicBool::new(false))
}

/// The same; setting `stop` ends the runner (a runaway scenario), keeping what it wrote.
pub fn run_asyncio_until(sc: &Scenario, stop: &AtomicBool) -> Result<Trace, AsyncioError> {
    let live: LiveTrace = Arc::new(Mutex::new(Trace::new(sc.name.clone())));
    run_into(
        &Program::Scenario(sc),
        stop,
        Streams::Capture,
        &live,
        || {},
        false,
    )?;
    take(&live)
}

/// Runs an asyncio program under the instrumented loop and returns its finished trace; the
/// program's failure is in the trace's `run_errors`, with what it did until then.
pub fn trace_script(
    program: &Program,
    stop: &AtomicBool,
    streams: Streams,
) -> Result<Trace, AsyncioError> {
    let name = match program {
        Program::Scenario(sc) => sc.name.clone(),
        Program::Script { path, .. } => script_name(path),
    };
    let live: LiveTrace = Arc::new(Mutex::new(Trace::new(name)));
    run_into(program, stop, streams, &live, || {}, false)?;
    take(&live)
}

/// The name a script's run goes by: its file's name.
pub fn script_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn take(live: &LiveTrace) -> Result<Trace, AsyncioError> {
    let mut guard = live
        .lock()
        .map_err(|_| AsyncioError::Runner("the trace's lock".into()))?;
    Ok(std::mem::take(&mut *guard))
}

/// Runs `program` on asyncio with its trace built live into `live` (what a viewer shows
/// meanwhile), calling `on_update` as events arrive; when it ends, the finished trace is
/// left in `live` and its summary returned (built before the trace is published, so a
/// viewer never waits for it).
pub fn run_live(
    program: &Program,
    stop: &AtomicBool,
    streams: Streams,
    live: &LiveTrace,
    on_update: impl Fn(),
) -> Result<Summary, AsyncioError> {
    run_into(program, stop, streams, live, on_update, true)?
        .ok_or_else(|| AsyncioError::Runner("no summary".into()))
}

fn run_into(
    program: &Program,
    stop: &AtomicBool,
    streams: Streams,
    live: &LiveTrace,
    on_update: impl Fn(),
    summarize: bool,
) -> Result<Option<Summary>, AsyncioError> {
    let python = python()?;
    let (scenario_json, lab) = match program {
        Program::Scenario(sc) => {
            let json = runner_json(sc)?;
            let lab = LabServer::start(sc.server.clone()).map_err(AsyncioError::LabServer)?;
            (Some(json), Some(lab))
        }
        Program::Script { path, lab, .. } => {
            if !path.is_file() {
                return Err(AsyncioError::Runner(format!(
                    "{}: no such file",
                    path.display()
                )));
            }
            let lab = lab
                .then(|| LabServer::start(Default::default()))
                .transpose()
                .map_err(AsyncioError::LabServer)?;
            (None, lab)
        }
    };
    if let Ok(mut t) = live.lock() {
        t.runtime = Runtime::Asyncio;
        if let Program::Scenario(sc) = program {
            t.steps = sc.step_table();
            t.resources = sc.resource_table();
            t.notes = asyncio_notes(sc);
        }
    }
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = RUNS.fetch_add(1, Ordering::Relaxed);
    let dir = TempDir(
        std::env::temp_dir().join(format!("asyncscope-asyncio-{}-{n}", std::process::id())),
    );
    let io = |e: std::io::Error| AsyncioError::Runner(e.to_string());
    std::fs::create_dir_all(&dir.0).map_err(io)?;
    let runner = dir.0.join("asyncscope_asyncio.py");
    std::fs::write(&runner, RUNNER).map_err(io)?;
    let socket = dir.0.join("events.sock");
    let listener = UnixListener::bind(&socket).map_err(io)?;
    listener.set_nonblocking(true).map_err(io)?;

    let mut cmd = Command::new(python);
    cmd.arg(&runner).env("ASYNCSCOPE_SOCKET", &socket);
    match (program, &lab) {
        (Program::Scenario(_), Some(lab)) => {
            cmd.arg("scenario").arg(lab.base_url());
            cmd.stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
        }
        (Program::Script { path, args, .. }, lab) => {
            cmd.arg("script").arg(path).args(*args);
            if let Some(lab) = lab {
                cmd.env("ASYNCSCOPE_LAB_URL", lab.base_url());
            }
            match streams {
                Streams::Inherit => {}
                Streams::Capture => {
                    cmd.stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped());
                }
            }
        }
        (Program::Scenario(_), None) => unreachable!("a scenario has its lab server"),
    }
    let mut child = cmd.spawn().map_err(io)?;
    if let (Some(json), Some(mut stdin)) = (&scenario_json, child.stdin.take()) {
        stdin.write_all(json.to_string().as_bytes()).map_err(io)?;
    }
    let stderr = child.stderr.take().map(|e| {
        std::thread::spawn(move || {
            let mut last: std::collections::VecDeque<String> = Default::default();
            for line in BufReader::new(e).lines().map_while(Result::ok) {
                if last.len() == STDERR_LINES {
                    last.pop_front();
                }
                last.push_back(line);
            }
            last
        })
    });
    let child = Mutex::new(child);
    let last_stderr = |stderr: Option<std::thread::JoinHandle<_>>| -> String {
        stderr
            .and_then(|h| h.join().ok())
            .and_then(|l: std::collections::VecDeque<String>| {
                l.iter().rev().find(|l| !l.trim().is_empty()).cloned()
            })
            .unwrap_or_default()
    };

    // The runner connects first thing; until then, it may fail (a bad Python, a script
    // that is not there) or the run be stopped.
    let stream = loop {
        match listener.accept() {
            Ok((s, _)) => break s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(io(e)),
        }
        let exited = child
            .lock()
            .map_err(|_| io(std::io::Error::other("lock")))?
            .try_wait();
        if let Ok(Some(status)) = exited {
            return Err(AsyncioError::NoStart(format!(
                "{status} ({})",
                last_stderr(stderr)
            )));
        }
        if stop.load(Ordering::Relaxed) {
            kill(&child);
            return Err(AsyncioError::NoStart("stopped".into()));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    stream.set_nonblocking(false).map_err(io)?;

    let mut decoder = wire::Decoder::default();
    let mut wire_error = None;
    let done = AtomicBool::new(false);
    let stopped = std::thread::scope(|scope| {
        // Stop kills the runner: its socket then closes, and what it sent is kept.
        let watcher = scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if stop.load(Ordering::Relaxed) {
                    kill(&child);
                    return true;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            false
        });
        let mut stream = stream;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let Ok(mut t) = live.lock() else { break };
            if let Err(e) = decoder.feed(&buf[..n], &mut t) {
                wire_error = Some(e);
                drop(t);
                kill(&child);
                break;
            }
            drop(t);
            on_update();
        }
        done.store(true, Ordering::Relaxed);
        watcher.join().unwrap_or(false)
    });
    let status = child
        .into_inner()
        .map_err(|_| AsyncioError::Runner("the runner's handle".into()))?
        .wait()
        .map_err(io)?;
    let last = last_stderr(stderr);
    drop(lab);
    drop(dir);

    let errors = {
        let mut errors = Vec::new();
        if let Some(e) = wire_error {
            errors.push(format!("the asyncio runner's events: {e}"));
        } else if decoder.pending() > 0 && !stopped {
            errors.push(format!(
                "the asyncio runner's events end in the middle of a frame ({} bytes)",
                decoder.pending()
            ));
        }
        if !stopped && !status.success() {
            let what = match program {
                Program::Scenario(_) => "the asyncio runner",
                Program::Script { .. } => "the script",
            };
            errors.push(if last.is_empty() {
                format!("{what} exited with {status}")
            } else {
                format!("{what} exited with {status}: {last}")
            });
        }
        errors
    };
    crate::run::finish_live(live, summarize, |trace| {
        trace.run_errors.extend(errors);
        trace.runtime = Runtime::Asyncio;
        trace.stopped = stopped || decoder.wall_ns.is_none();
        trace.finish();
        trace.wall_ns = match decoder.wall_ns {
            Some(w) if !stopped => w,
            _ => trace.end_ns(),
        };
    })
    .ok_or_else(|| AsyncioError::Runner("the trace's lock".into()))
}

fn kill(child: &Mutex<Child>) {
    if let Ok(mut c) = child.lock() {
        let _ = c.kill();
    }
}

/// A folder of the run's own, removed when the run is over (or failed).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
