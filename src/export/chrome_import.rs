//! Reading back the Chrome trace JSON that [`super::chrome`] writes, so an exported run
//! can be reopened (`asyncscope open run.json`) and compared. Only our own exports are
//! accepted: the lanes, tasks, polls, wakes, completions and HTTP requests come from the
//! events, the rest (runtime metrics, task-group metrics, run errors) from the
//! `metadata.asyncscope` block. Task states and flow arrows are derived, so they are
//! rebuilt rather than read.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::chrome::{IMPORT_FORMAT, TASKS_PID, THREADS_PID};
use crate::trace::data::{DataError, HttpData, LaneData, PollData, TaskData, TraceData, WakeData};
use crate::trace::{GroupMetrics, RuntimeSample, Trace};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a trace exported by asyncscope: {0}")]
    NotOurs(String),
    #[error("traceEvents[{index}] ({what}): {message}")]
    Event {
        index: usize,
        what: String,
        message: String,
    },
    #[error("{0}")]
    Data(#[from] DataError),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Doc {
    trace_events: Vec<RawEvent>,
    metadata: Option<Meta>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(default)]
    name: String,
    #[serde(default)]
    cat: String,
    ph: String,
    #[serde(default)]
    ts: f64,
    dur: Option<f64>,
    #[serde(default)]
    pid: u64,
    #[serde(default)]
    tid: u64,
    id: Option<u64>,
    #[serde(default)]
    args: Value,
}

#[derive(Deserialize)]
struct Meta {
    scenario: String,
    /// `tokio` or `asyncio`; files from before it are tokio's.
    #[serde(default)]
    runtime: Option<String>,
    wall_ms: f64,
    #[serde(default)]
    events: u64,
    #[serde(default)]
    events_dropped: u64,
    #[serde(default)]
    stopped: bool,
    #[serde(default)]
    truncated: bool,
    asyncscope: Option<Extra>,
}

#[derive(Deserialize)]
struct Extra {
    format: u32,
    #[serde(default)]
    cpus: u32,
    #[serde(default)]
    run_errors: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    metrics_interval_ns: u64,
    #[serde(default)]
    metrics: Vec<RuntimeSample>,
    #[serde(default)]
    group_metrics: Vec<GroupMetrics>,
    #[serde(default)]
    unfinished_http: Vec<UnfinishedHttp>,
    #[serde(default)]
    steps: Vec<crate::trace::StepInfo>,
    /// `[task id, ns, step, 1 entered / 0 left]`.
    #[serde(default)]
    step_marks: Vec<(u64, u64, u32, u8)>,
    #[serde(default)]
    resources: Vec<crate::trace::ResourceInfo>,
    /// `[ns, channel, 1 sent / 0 received]`.
    #[serde(default)]
    channel_ops: Vec<(u64, u32, u8)>,
}

#[derive(Deserialize)]
struct UnfinishedHttp {
    req: u64,
    task: Option<u64>,
    url: String,
    start_ns: u64,
}

/// A poll as read: start, duration (ns), task index, ended Ready.
type RawPoll = (u64, u64, u32, bool);

/// Reads an exported Chrome trace JSON file back into a trace.
pub fn load(path: &Path) -> Result<Trace, ImportError> {
    let text = std::fs::read_to_string(path)?;
    parse(&text)
}

/// Microseconds (as written, with ns precision) to ns.
fn ns(us: f64) -> Option<u64> {
    let v = (us * 1000.0).round();
    (v.is_finite() && v >= 0.0 && v < u64::MAX as f64).then_some(v as u64)
}

/// The event being read, for error messages (formatted only when there is an error).
struct Ctx<'a> {
    index: usize,
    event: &'a RawEvent,
}

impl Ctx<'_> {
    fn err(&self, message: impl Into<String>) -> ImportError {
        ImportError::Event {
            index: self.index,
            what: format!("ph {:?}, cat {:?}", self.event.ph, self.event.cat),
            message: message.into(),
        }
    }
}

fn arg<'a>(e: &'a RawEvent, key: &str) -> Option<&'a Value> {
    e.args.get(key).filter(|v| !v.is_null())
}

/// Parses the text of an exported Chrome trace.
pub fn parse(text: &str) -> Result<Trace, ImportError> {
    let doc: Doc = serde_json::from_str(text).map_err(|e| ImportError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let meta = doc.metadata.ok_or_else(|| {
        ImportError::NotOurs("it has no `metadata` object with the scenario's name".into())
    })?;
    if let Some(x) = &meta.asyncscope
        && x.format != IMPORT_FORMAT
    {
        return Err(ImportError::NotOurs(format!(
            "its metadata.asyncscope.format is {}; this build reads {IMPORT_FORMAT}",
            x.format
        )));
    }
    let events = doc.trace_events;

    // Lanes and tasks are named by metadata; a track's tid is its index + 1.
    let mut lane_names: HashMap<u64, String> = HashMap::new();
    let mut task_names: HashMap<u64, String> = HashMap::new();
    for e in events
        .iter()
        .filter(|e| e.ph == "M" && e.name == "thread_name")
    {
        let name = arg(e, "name").and_then(Value::as_str).unwrap_or_default();
        match e.pid {
            p if p == u64::from(THREADS_PID) => lane_names.insert(e.tid, name.to_string()),
            p if p == u64::from(TASKS_PID) => task_names.insert(e.tid, name.to_string()),
            _ => None,
        };
    }
    let dense = |m: &HashMap<u64, String>, what: &str| -> Result<Vec<String>, ImportError> {
        (1..=m.len() as u64)
            .map(|tid| {
                m.get(&tid).cloned().ok_or_else(|| {
                    ImportError::NotOurs(format!("{what} tracks are not numbered 1..{}", m.len()))
                })
            })
            .collect()
    };
    let lane_names = dense(&lane_names, "thread")?;
    let task_names = dense(&task_names, "task")?;
    if lane_names.is_empty() && task_names.is_empty() {
        return Err(ImportError::NotOurs(
            "it names no worker or task tracks".into(),
        ));
    }

    let mut tasks: Vec<TaskData> = task_names
        .iter()
        .map(|n| {
            let id = n
                .rsplit_once(" #")
                .and_then(|(_, id)| id.parse().ok())
                .unwrap_or(0);
            TaskData {
                id,
                ..Default::default()
            }
        })
        .collect();
    let index_of: HashMap<u64, u32> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i as u32))
        .collect();
    if index_of.len() != tasks.len() {
        return Err(ImportError::NotOurs(
            "two task tracks carry the same task id".into(),
        ));
    }
    let mut lanes: Vec<(bool, Vec<RawPoll>)> = lane_names
        .iter()
        .map(|n| {
            (
                n.starts_with("blocking") || n.starts_with("executor"),
                Vec::new(),
            )
        })
        .collect();
    let mut parks: Vec<Vec<(u64, u64)>> = vec![Vec::new(); lanes.len()];
    let mut wakes: Vec<(u64, WakeData)> = Vec::new();
    let mut http: HashMap<u64, HttpData> = HashMap::new();
    let mut heartbeats = Vec::new();
    let mut prints: Vec<(u64, Option<u64>, String)> = Vec::new();
    let mut cpu_jobs: Vec<u64> = Vec::new();

    for (index, e) in events.iter().enumerate() {
        let cx = Ctx { index, event: e };
        if e.ph == "M" {
            continue;
        }
        let ts = ns(e.ts).ok_or_else(|| cx.err(format!("bad timestamp {}", e.ts)))?;
        let task_arg = || -> Result<u32, ImportError> {
            let id = arg(e, "task")
                .and_then(Value::as_u64)
                .ok_or_else(|| cx.err("args.task (a task id) is missing"))?;
            index_of
                .get(&id)
                .copied()
                .ok_or_else(|| cx.err(format!("task {id} has no track")))
        };
        let track = |n: usize, what: &str| -> Result<usize, ImportError> {
            match e.tid.checked_sub(1) {
                Some(i) if (i as usize) < n => Ok(i as usize),
                _ => Err(cx.err(format!("tid {} is not a {what} track", e.tid))),
            }
        };
        let dur = || {
            e.dur
                .and_then(ns)
                .ok_or_else(|| cx.err("`dur` is missing or negative"))
        };
        match (e.ph.as_str(), e.cat.as_str()) {
            ("X", "park") => {
                let lane = track(lanes.len(), "thread")?;
                parks[lane].push((ts, dur()?));
            }
            ("X", "poll") => {
                let lane = track(lanes.len(), "thread")?;
                let dur = dur()?;
                let ready = match arg(e, "outcome").and_then(Value::as_str) {
                    Some("ready") => true,
                    Some("pending") => false,
                    _ => return Err(cx.err("args.outcome must be \"ready\" or \"pending\"")),
                };
                if let Some(kind) = arg(e, "kind").and_then(Value::as_str) {
                    lanes[lane].0 = kind == "blocking";
                }
                lanes[lane].1.push((ts, dur, task_arg()?, ready));
            }
            ("i", "spawn") => {
                let t = &mut tasks[track(task_names.len(), "task")?];
                t.spawn_ns = Some(ts);
                t.name = arg(e, "task_name")
                    .and_then(Value::as_str)
                    .map(String::from);
                let kind = arg(e, "kind").and_then(Value::as_str);
                t.blocking = kind == Some("blocking");
                if kind == Some("cpu_job") {
                    cpu_jobs.push(t.id);
                }
                t.parent = arg(e, "parent").and_then(Value::as_u64);
                t.location = arg(e, "location").and_then(Value::as_str).map(String::from);
            }
            ("i", "complete") => {
                let t = &mut tasks[track(task_names.len(), "task")?];
                t.end_ns = Some(ts);
                t.outcome = Some(match arg(e, "outcome").and_then(Value::as_str) {
                    Some("ok") => 0,
                    Some("panicked") => 1,
                    Some("cancelled") => 2,
                    Some("shutdown") => 3,
                    _ => {
                        return Err(cx.err(
                            "args.outcome must be \"ok\", \"panicked\", \"cancelled\" or \"shutdown\"",
                        ));
                    }
                });
                t.panic_message = arg(e, "message").and_then(Value::as_str).map(String::from);
            }
            ("i", "wake") => {
                let task = task_arg()?;
                let by = match arg(e, "by") {
                    Some(Value::String(s)) if s == "driver" => None,
                    Some(v) => Some(
                        v.as_u64()
                            .and_then(|id| index_of.get(&id).copied())
                            .ok_or_else(|| cx.err("args.by is neither a task nor \"driver\""))?,
                    ),
                    None => None,
                };
                let lane = if e.pid == u64::from(THREADS_PID) {
                    Some(track(lanes.len(), "thread")? as u16)
                } else {
                    None
                };
                wakes.push((
                    ts,
                    WakeData {
                        ts_delta_ns: 0,
                        task,
                        by,
                        lane,
                    },
                ));
            }
            ("b", "http") => {
                let id = e.id.ok_or_else(|| cx.err("`id` is missing"))?;
                let status = match arg(e, "status").and_then(Value::as_str) {
                    Some("error") | None => 0,
                    Some("cancelled") => crate::trace::HTTP_CANCELLED,
                    Some(s) => s
                        .parse()
                        .map_err(|_| cx.err(format!("args.status {s:?} is not a status")))?,
                };
                http.insert(
                    id,
                    HttpData {
                        req: id.saturating_sub(1),
                        task: arg(e, "task").and_then(Value::as_u64),
                        url: arg(e, "url")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        start_ns: ts,
                        end_ns: None,
                        status: Some(status),
                    },
                );
            }
            ("e", "http") => {
                let id = e.id.ok_or_else(|| cx.err("`id` is missing"))?;
                http.get_mut(&id)
                    .ok_or_else(|| cx.err(format!("request {id} ends before it begins")))?
                    .end_ns = Some(ts);
            }
            ("C", "heartbeat") => {
                let late = arg(e, "late_ms")
                    .and_then(Value::as_f64)
                    .and_then(|ms| ns(ms * 1000.0))
                    .ok_or_else(|| cx.err("args.late_ms is missing"))?;
                heartbeats.push((ts, late));
            }
            ("i", "print") => {
                let text = arg(e, "text")
                    .and_then(Value::as_str)
                    .ok_or_else(|| cx.err("args.text (the printed line) is missing"))?;
                let task = match arg(e, "task") {
                    None | Some(Value::Null) => None,
                    Some(_) => Some(tasks[task_arg()? as usize].id),
                };
                prints.push((ts, task, text.to_string()));
            }
            // Derived on import (task states, flows) or read from the metadata (metrics).
            _ => {}
        }
    }

    let extra = meta.asyncscope;
    let mut http: Vec<HttpData> = http.into_values().collect();
    if let Some(x) = &extra {
        http.extend(x.unfinished_http.iter().map(|h| HttpData {
            req: h.req,
            task: h.task,
            url: h.url.clone(),
            start_ns: h.start_ns,
            end_ns: None,
            status: None,
        }));
    }
    http.sort_by_key(|h| (h.req, h.start_ns));
    prints.sort_by_key(|p| p.0);
    wakes.sort_by_key(|w| w.0);
    let mut last = 0;
    let wakes = wakes
        .into_iter()
        .map(|(ts, mut w)| {
            w.ts_delta_ns = ts - last;
            last = ts;
            w
        })
        .collect();
    let parks = parks
        .into_iter()
        .map(|mut p| {
            p.sort_unstable();
            let mut prev = 0;
            p.into_iter()
                .map(|(start, dur)| {
                    let d = (start - prev, dur);
                    prev = start;
                    d
                })
                .collect()
        })
        .collect();
    let lanes = lanes
        .into_iter()
        .zip(lane_names)
        .map(|((blocking, mut polls), name)| {
            polls.sort_by_key(|p| p.0);
            let mut prev = 0;
            LaneData {
                name,
                blocking,
                polls: polls
                    .into_iter()
                    .map(|(start, dur, task, ready)| {
                        let d = PollData {
                            start_delta_ns: start - prev,
                            duration_ns: dur,
                            task,
                            ready,
                        };
                        prev = start;
                        d
                    })
                    .collect(),
            }
        })
        .collect();
    let mut resources = Vec::new();
    let mut channel_ops = Vec::new();
    let notes = extra.as_ref().map(|x| x.notes.clone()).unwrap_or_default();
    let (run_errors, metrics_interval_ns, metrics, group_metrics, cpus, steps, marks) = match extra
    {
        Some(x) => {
            resources = x.resources;
            channel_ops = x
                .channel_ops
                .into_iter()
                .map(|(ts_ns, channel, sent)| crate::trace::ChannelOp {
                    ts_ns,
                    channel,
                    sent: sent != 0,
                })
                .collect();
            (
                x.run_errors,
                x.metrics_interval_ns,
                x.metrics,
                x.group_metrics,
                x.cpus,
                x.steps,
                x.step_marks,
            )
        }
        None => Default::default(),
    };
    let mut step_marks: Vec<Vec<(u64, u32, bool)>> = vec![Vec::new(); tasks.len()];
    let task_of: std::collections::HashMap<u64, usize> =
        tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut prev = vec![0u64; tasks.len()];
    for (id, ts, step, enter) in marks {
        let Some(&ti) = task_of.get(&id) else {
            return Err(ImportError::NotOurs(format!(
                "metadata.asyncscope.step_marks names task {id}, which the trace does not have"
            )));
        };
        let delta = ts.checked_sub(prev[ti]).ok_or_else(|| {
            ImportError::NotOurs(format!(
                "metadata.asyncscope.step_marks of task {id} are not in time order"
            ))
        })?;
        prev[ti] = ts;
        step_marks[ti].push((delta, step, enter != 0));
    }
    let runtime = match meta.runtime.as_deref() {
        None => crate::trace::Runtime::Tokio,
        Some(name) => crate::trace::Runtime::from_name(name).ok_or_else(|| {
            ImportError::NotOurs(format!(
                "metadata.runtime is {name:?}; expected \"tokio\" or \"asyncio\""
            ))
        })?,
    };
    let data = TraceData {
        runtime,
        notes,
        scenario: meta.scenario,
        wall_ns: ns(meta.wall_ms * 1000.0)
            .ok_or_else(|| ImportError::NotOurs("metadata.wall_ms is not a duration".into()))?,
        stopped: meta.stopped,
        events: meta.events,
        events_dropped: meta.events_dropped,
        truncated: meta.truncated,
        run_errors,
        tasks,
        lanes,
        wakes,
        http,
        heartbeats,
        metrics_interval_ns,
        metrics,
        group_metrics,
        parks,
        cpus,
        steps,
        step_marks,
        resources,
        channel_ops,
        prints,
        cpu_jobs,
    };
    Ok(Trace::from_data(data)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(t: &Trace) -> String {
        let mut out = Vec::new();
        super::super::chrome::write(t, &mut out).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn json_errors_say_line_and_column() {
        let err = parse("{\"traceEvents\": [\n  {\"ph\": }\n]}").expect_err("bad JSON");
        let msg = err.to_string();
        assert!(msg.starts_with("line 2, column 10"), "{msg}");
    }

    #[test]
    fn other_tools_traces_are_refused() {
        let err = parse(r#"{"traceEvents": [{"ph": "X", "ts": 1, "dur": 2, "name": "x"}]}"#)
            .expect_err("not ours");
        assert!(matches!(err, ImportError::NotOurs(_)), "{err}");
        let err = parse(r#"[{"ph": "X"}]"#).expect_err("array form");
        assert!(matches!(err, ImportError::Json { .. }), "{err}");
    }

    #[test]
    fn an_asyncio_run_comes_back_as_asyncio_with_its_lane_names() {
        let mut t = Trace::new("x");
        t.runtime = crate::trace::Runtime::Asyncio;
        let mut events = crate::trace::event::named_spawn(0, 1, "fetch").to_vec();
        for (ts_ns, kind) in [
            (10, crate::trace::EventKind::PollStart { task: 1 }),
            (20, crate::trace::EventKind::PollEnd { task: 1 }),
        ] {
            events.push(crate::trace::Event { ts_ns, kind });
        }
        t.ingest(crate::trace::Batch { thread: 0, events });
        t.finish();
        assert_eq!(t.lanes[0].name, "event-loop");
        let text = export(&t);
        assert!(text.contains("\"runtime\":\"asyncio\""));
        let back = parse(&text).expect("imports");
        assert_eq!(back.runtime, crate::trace::Runtime::Asyncio);
        assert_eq!(back.lanes[0].name, "event-loop");
        let err = parse(&text.replace("\"runtime\":\"asyncio\"", "\"runtime\":\"trio\""))
            .expect_err("an unknown runtime");
        assert!(err.to_string().contains("\"trio\""), "{err}");
        // Files from before the runtime was written are tokio's.
        let old = parse(&text.replace("\"runtime\":\"asyncio\",", "")).expect("imports");
        assert_eq!(old.runtime, crate::trace::Runtime::Tokio);
    }

    #[test]
    fn a_broken_event_is_named_by_index() {
        let mut t = Trace::new("x");
        let mut events = crate::trace::event::named_spawn(0, 1, "fetch").to_vec();
        events.push(crate::trace::Event {
            ts_ns: 10,
            kind: crate::trace::EventKind::PollStart { task: 1 },
        });
        events.push(crate::trace::Event {
            ts_ns: 20,
            kind: crate::trace::EventKind::PollEnd { task: 1 },
        });
        t.ingest(crate::trace::Batch { thread: 0, events });
        t.finish();
        let text = export(&t);
        assert!(parse(&text).is_ok());
        let broken = text.replace("\"outcome\":\"pending\"", "\"outcome\":\"maybe\"");
        let err = parse(&broken).expect_err("bad outcome");
        let msg = err.to_string();
        assert!(
            msg.starts_with("traceEvents[") && msg.contains("args.outcome"),
            "{msg}"
        );
    }
}
