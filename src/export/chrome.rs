//! Chrome trace JSON, as Perfetto imports it: one track per thread lane with a slice per
//! poll, one track per task with its states, instants for spawn / wake / complete, wake →
//! poll flow arrows, HTTP requests as async slices and heartbeat lateness as a counter.
//! Timestamps are µs from run start, with ns precision.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::trace::{LaneKind, TaskKind, TaskState, Trace, WaitReason};

/// Version of the `metadata.asyncscope` block (what re-import relies on).
pub const IMPORT_FORMAT: u32 = 1;
pub(super) const THREADS_PID: u32 = 1;
pub(super) const TASKS_PID: u32 = 2;

#[derive(Serialize)]
struct Ev<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    cat: &'a str,
    ph: &'a str,
    ts: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    dur: Option<f64>,
    pid: u32,
    tid: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bp: Option<&'a str>,
    #[serde(skip_serializing_if = "Value::is_null")]
    args: Value,
}

impl<'a> Ev<'a> {
    fn new(name: &'a str, cat: &'a str, ph: &'a str, ts_ns: u64, pid: u32, tid: u64) -> Self {
        Ev {
            name,
            cat,
            ph,
            ts: us(ts_ns),
            dur: None,
            pid,
            tid,
            s: None,
            id: None,
            bp: None,
            args: Value::Null,
        }
    }
    fn args(mut self, args: Value) -> Self {
        self.args = args;
        self
    }
}

fn us(ns: u64) -> f64 {
    ns as f64 / 1000.0
}

/// The µs duration of `[start_ns, end_ns)` such that `ts + dur` in floating point never
/// lands past `us(end_ns)`, where the next slice on the track begins (speedscope warned 580
/// times on `io_fanout` when it did).
fn dur_us(start_ns: u64, end_ns: u64) -> f64 {
    let (a, b) = (us(start_ns), us(end_ns.max(start_ns)));
    let mut d = b - a;
    while d > 0.0 && a + d > b {
        d = f64::from_bits(d.to_bits() - 1);
    }
    d
}

fn lane_tid(lane: u16) -> u64 {
    u64::from(lane) + 1
}

fn task_tid(task: u32) -> u64 {
    u64::from(task) + 1
}

struct Out<W: Write> {
    w: W,
    first: bool,
}

impl<W: Write> Out<W> {
    fn push(&mut self, ev: &Ev<'_>) -> io::Result<()> {
        self.w.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.w, ev)?;
        Ok(())
    }
}

/// Writes the trace as Chrome trace JSON to `w`.
pub fn write(trace: &Trace, w: impl Write) -> io::Result<()> {
    let mut out = Out { w, first: true };
    out.w
        .write_all(b"{\"displayTimeUnit\":\"ms\",\"traceEvents\":[")?;
    metadata(trace, &mut out)?;
    polls(trace, &mut out)?;
    tasks(trace, &mut out)?;
    wakes_and_flows(trace, &mut out)?;
    http_and_heartbeat(trace, &mut out)?;
    let meta = json!({
        "scenario": trace.scenario,
        "runtime": trace.runtime.as_str(),
        "wall_ms": trace.wall_ns as f64 / 1e6,
        "events": trace.events,
        "events_dropped": trace.events_dropped,
        "truncated": trace.truncated,
        "stopped": trace.stopped,
        // What the events above leave out, so that `asyncscope open` can re-import the
        // file without losing figures (Perfetto ignores it).
        "asyncscope": {
            "format": IMPORT_FORMAT,
            "cpus": trace.cpus,
            "run_errors": trace.run_errors,
            "notes": trace.notes,
            "metrics_interval_ns": trace.metrics_interval_ns,
            "metrics": trace.metrics,
            "group_metrics": trace.group_metrics,
            "steps": trace.steps,
            "resources": trace.resources,
            // Every message into (1) and out of (0) a channel: [ns, channel index, 1 / 0].
            "channel_ops": trace.channel_ops.iter().map(|op| json!([op.ts_ns, op.channel, u8::from(op.sent)])).collect::<Vec<_>>(),
            // Each task's step marks: [task id, ns from start, step id, 1 entered / 0 left].
            "step_marks": (0..trace.tasks.len() as u32).flat_map(|i| {
                let id = trace.tasks[i as usize].id;
                trace.task_step_marks(i).iter().map(move |m| json!([id, m.ts_ns, m.step, u8::from(m.enter)]))
            }).collect::<Vec<_>>(),
            "unfinished_http": trace.http.iter().filter(|h| h.end_ns.is_none()).map(|h| json!({
                "req": h.req, "task": h.task, "url": h.url.as_ref(), "start_ns": h.start_ns,
            })).collect::<Vec<_>>(),
        },
    });
    write!(out.w, "\n],\"metadata\":{meta}}}\n")?;
    out.w.flush()
}

/// Writes the trace to `path` atomically.
pub fn write_file(trace: &Trace, path: &Path) -> io::Result<()> {
    super::write_atomic(path, |w| write(trace, w))
}

fn metadata<W: Write>(trace: &Trace, out: &mut Out<W>) -> io::Result<()> {
    let process = match trace.runtime {
        crate::trace::Runtime::Tokio => format!("{} — threads", trace.scenario),
        runtime => format!("{} — {} threads", trace.scenario, runtime.as_str()),
    };
    out.push(&Ev::new("process_name", "", "M", 0, THREADS_PID, 0).args(json!({"name": process})))?;
    out.push(
        &Ev::new("process_sort_index", "", "M", 0, THREADS_PID, 0).args(json!({"sort_index": 0})),
    )?;
    out.push(&Ev::new("process_name", "", "M", 0, TASKS_PID, 0).args(json!({"name": "tasks"})))?;
    out.push(
        &Ev::new("process_sort_index", "", "M", 0, TASKS_PID, 0).args(json!({"sort_index": 1})),
    )?;
    for (i, lane) in trace.lanes.iter().enumerate() {
        let tid = lane_tid(i as u16);
        out.push(
            &Ev::new("thread_name", "", "M", 0, THREADS_PID, tid).args(json!({"name": lane.name})),
        )?;
        out.push(
            &Ev::new("thread_sort_index", "", "M", 0, THREADS_PID, tid)
                .args(json!({"sort_index": i})),
        )?;
    }
    for (i, t) in trace.tasks.iter().enumerate() {
        let tid = task_tid(i as u32);
        let name = format!("{} #{}", trace.label(t), t.id);
        out.push(&Ev::new("thread_name", "", "M", 0, TASKS_PID, tid).args(json!({"name": name})))?;
        out.push(
            &Ev::new("thread_sort_index", "", "M", 0, TASKS_PID, tid)
                .args(json!({"sort_index": i})),
        )?;
    }
    Ok(())
}

fn polls<W: Write>(trace: &Trace, out: &mut Out<W>) -> io::Result<()> {
    for (li, lane) in trace.lanes.iter().enumerate() {
        // A worker asleep: nothing to run.
        for p in &lane.parks {
            let mut ev = Ev::new(
                "parked",
                "park",
                "X",
                p.start_ns,
                THREADS_PID,
                lane_tid(li as u16),
            );
            ev.dur = Some(dur_us(p.start_ns, p.end_ns));
            out.push(&ev)?;
        }
        let kind = match lane.kind {
            LaneKind::Worker => "async",
            LaneKind::Blocking => "blocking",
            LaneKind::Cpu => "cpu_job",
        };
        for p in &lane.polls {
            let t = &trace.tasks[p.task as usize];
            let label = trace.label(t);
            let mut ev = Ev::new(
                &label,
                "poll",
                "X",
                p.start_ns,
                THREADS_PID,
                lane_tid(li as u16),
            );
            ev.dur = Some(dur_us(p.start_ns, p.end_ns()));
            out.push(&ev.args(json!({
                "task": t.id,
                "outcome": p.outcome().as_str(),
                "kind": kind,
            })))?;
        }
    }
    Ok(())
}

fn tasks<W: Write>(trace: &Trace, out: &mut Out<W>) -> io::Result<()> {
    for (i, t) in trace.tasks.iter().enumerate() {
        let tid = task_tid(i as u32);
        let label = trace.label(t);
        if let Some(spawn) = t.spawn_ns() {
            let mut ev = Ev::new("spawn", "spawn", "i", spawn, TASKS_PID, tid);
            ev.s = Some("t");
            out.push(&ev.args(json!({
                "task": t.id,
                "name": label,
                "task_name": t.name.as_deref(),
                "kind": match t.kind { TaskKind::Async => "async", TaskKind::Blocking => "blocking", TaskKind::CpuJob => "cpu_job" },
                "parent": t.parent(),
                "location": trace.location(t).map(|l| l.to_string()),
            })))?;
        }
        for s in trace.task_states(i as u32) {
            if s.end_ns == s.start_ns && s.state != TaskState::Running {
                continue;
            }
            let step = s.step.and_then(|id| trace.steps.get(id as usize));
            let wait = s.wait.map(WaitReason::as_str);
            let on = step.map(|st| st.on.as_str());
            let name = match (s.state, wait) {
                (TaskState::Waiting, Some(w)) => match step {
                    Some(st) => format!("waiting: {w} {}", st.label),
                    None => format!("waiting: {w}"),
                },
                _ => s.state.as_str().to_string(),
            };
            let mut ev = Ev::new(&name, "state", "X", s.start_ns, TASKS_PID, tid);
            ev.dur = Some(dur_us(s.start_ns, s.end_ns));
            let mut args = json!({
                "task": t.id,
                "state": s.state.as_str(),
                "wait": wait,
                "on": on,
                "step": s.step,
            });
            if let Some(by) = s.woken_by {
                args["woken_by"] = json!(by.as_str());
            }
            out.push(&ev.args(args))?;
        }
        if let (Some(end), Some(outcome)) = (t.end_ns(), t.outcome) {
            let mut ev = Ev::new("complete", "complete", "i", end, TASKS_PID, tid);
            ev.s = Some("t");
            let mut args = json!({"task": t.id, "outcome": outcome.as_str()});
            if let Some(msg) = trace.panic_message(t) {
                args["message"] = json!(msg);
            }
            out.push(&ev.args(args))?;
        }
    }
    Ok(())
}

fn wakes_and_flows<W: Write>(trace: &Trace, out: &mut Out<W>) -> io::Result<()> {
    // Wake instants, on the thread where the wake happened (the woken task's own track
    // when that thread never polled, e.g. the thread driving block_on).
    for w in &trace.wakes {
        let t = &trace.tasks[w.task as usize];
        let (pid, tid) = match w.lane() {
            Some(l) => (THREADS_PID, lane_tid(l)),
            None => (TASKS_PID, task_tid(w.task)),
        };
        let by = match w.by() {
            Some(b) => json!(trace.tasks[b as usize].id),
            None => json!("driver"),
        };
        let mut ev = Ev::new("wake", "wake", "i", w.ts_ns(), pid, tid);
        ev.s = Some("t");
        out.push(&ev.args(json!({"task": t.id, "by": by})))?;
    }
    // One arrow per poll that followed a wake: from the waker's poll to the poll it caused,
    // or, for a driver wake, from the woken task's "scheduled" slice (a flow start must lie
    // inside a slice on its track, so it goes in the middle of that slice).
    let mut flow_id = 0u64;
    for ti in 0..trace.tasks.len() as u32 {
        let mut prev_end = 0;
        for (r, wake) in trace.polls_with_wakes(ti) {
            let p = *trace.poll(r);
            let ready_from = prev_end;
            prev_end = p.end_ns();
            let Some(w) = wake else { continue };
            let waker_lane = w.by().and(w.lane()).filter(|&l| {
                !trace.lanes[l as usize]
                    .polls_in(w.ts_ns(), w.ts_ns() + 1)
                    .is_empty()
            });
            let (pid, tid, ts) = match waker_lane {
                Some(l) => (THREADS_PID, lane_tid(l), w.ts_ns()),
                None => {
                    let ready = w.ts_ns().max(ready_from);
                    if p.start_ns <= ready {
                        continue;
                    }
                    (TASKS_PID, task_tid(ti), ready + (p.start_ns - ready) / 2)
                }
            };
            flow_id += 1;
            let mut s = Ev::new("wake", "wake_flow", "s", ts, pid, tid);
            s.id = Some(flow_id);
            out.push(&s)?;
            let mut f = Ev::new(
                "wake",
                "wake_flow",
                "f",
                p.start_ns,
                THREADS_PID,
                lane_tid(r.lane),
            );
            f.id = Some(flow_id);
            f.bp = Some("e");
            out.push(&f)?;
        }
    }
    Ok(())
}

fn http_and_heartbeat<W: Write>(trace: &Trace, out: &mut Out<W>) -> io::Result<()> {
    for (i, h) in trace.http.iter().enumerate() {
        let Some(end) = h.end_ns else { continue };
        let task_tid = h
            .task
            .and_then(|id| trace.task_index(id))
            .map_or(0, task_tid);
        let status = match h.status {
            Some(0) | None => "error".to_string(),
            Some(crate::trace::HTTP_CANCELLED) => "cancelled".to_string(),
            Some(s) => s.to_string(),
        };
        let name = format!("GET {} → {status}", h.url);
        let args = json!({"url": h.url.as_ref(), "status": status, "task": h.task});
        let mut b = Ev::new(&name, "http", "b", h.start_ns, TASKS_PID, task_tid);
        b.id = Some(i as u64 + 1);
        out.push(&b.args(args))?;
        let mut e = Ev::new(&name, "http", "e", end, TASKS_PID, task_tid);
        e.id = Some(i as u64 + 1);
        out.push(&e)?;
    }
    for s in &trace.metrics {
        let c = |name: &'static str, args| {
            Ev::new(name, "metrics", "C", s.ts_ns, THREADS_PID, 0).args(args)
        };
        out.push(&c(
            "runtime busy (%)",
            json!({"all workers": (s.busy_ratio * 100.0).min(100.0), "busiest worker": (s.max_worker_busy_ratio * 100.0).min(100.0)}),
        ))?;
        out.push(&c(
            "queued tasks",
            json!({"global": s.global_queue, "local": s.local_queue, "blocking": s.blocking_queue}),
        ))?;
        out.push(&c(
            "blocking threads",
            json!({"alive": s.blocking_threads, "idle": s.idle_blocking_threads}),
        ))?;
    }
    // Resources as counter tracks: every change, with all the fields of the series.
    for c in trace.resource_series() {
        for (ts, values) in &c.changes {
            let args: serde_json::Map<String, Value> = c
                .fields
                .iter()
                .zip(values)
                .map(|(f, v)| ((*f).to_string(), json!(v)))
                .collect();
            let ev = Ev::new(&c.name, "resource", "C", *ts, THREADS_PID, 0);
            out.push(&ev.args(Value::Object(args)))?;
        }
    }
    // Each `print` line: an instant on its task's track (`args.task` null: outside a task).
    for line in &trace.prints {
        let tid = line
            .task
            .and_then(|id| trace.task_index(id))
            .map_or(0, task_tid);
        let mut ev = Ev::new(&line.text, "print", "i", line.ts_ns, TASKS_PID, tid);
        ev.s = Some("t");
        out.push(&ev.args(json!({"task": line.task, "text": line.text.as_ref()})))?;
    }
    for hb in &trace.heartbeats {
        let ev = Ev::new(
            "heartbeat late (ms)",
            "heartbeat",
            "C",
            hb.ts_ns,
            THREADS_PID,
            0,
        );
        out.push(&ev.args(json!({"late_ms": hb.late_ns as f64 / 1e6})))?;
    }
    Ok(())
}
