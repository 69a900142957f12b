//! A plain, serializable form of a finished trace (what the native trace file stores),
//! and the conversions both ways. Times within a lane and the wakes are delta-encoded so
//! that variable-length integers stay short.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::event::SpawnLocation;
use super::model::{
    GroupMetrics, Heartbeat, HttpRequest, Lane, LaneKind, Outcome, ParkSpan, PollOutcome, PollSpan,
    RuntimeSample, Task, TaskKind, Trace, Wake,
};
use super::steps::{StepInfo, StepMark};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceData {
    pub scenario: String,
    pub wall_ns: u64,
    pub stopped: bool,
    pub events: u64,
    pub events_dropped: u64,
    /// Not in version-1 files (read as false); see `export::native`.
    #[serde(skip)]
    pub truncated: bool,
    pub run_errors: Vec<String>,
    pub tasks: Vec<TaskData>,
    pub lanes: Vec<LaneData>,
    pub wakes: Vec<WakeData>,
    pub http: Vec<HttpData>,
    /// `(ts_ns, late_ns)`
    pub heartbeats: Vec<(u64, u64)>,
    pub metrics_interval_ns: u64,
    pub metrics: Vec<RuntimeSample>,
    pub group_metrics: Vec<GroupMetrics>,
    /// Each lane's sleeps as `(start delta, duration)` in ns, the delta from the previous
    /// sleep's start. Not in version-1 or -2 files (read as none); see `export::native`.
    #[serde(skip)]
    pub parks: Vec<Vec<(u64, u64)>>,
    /// CPUs of the machine that ran it (0: unknown). Not in version-1 or -2 files.
    #[serde(skip)]
    pub cpus: u32,
    /// The scenario's step table. Not in files before version 4.
    #[serde(skip)]
    pub steps: Vec<StepInfo>,
    /// Per task (by index), its step marks as `(ts delta from the previous mark, step id,
    /// entered)`. Not in files before version 4.
    #[serde(skip)]
    pub step_marks: Vec<Vec<(u64, u32, bool)>>,
    /// The declared semaphores and channels. Not in files before version 4.
    #[serde(skip)]
    pub resources: Vec<super::resources::ResourceInfo>,
    /// Every message into and out of a channel, in time order. Not before version 4.
    #[serde(skip)]
    pub channel_ops: Vec<super::resources::ChannelOp>,
    /// The `print` lines as `(ts_ns, task id, text)`, in time order. Not before version 5.
    #[serde(skip)]
    pub prints: Vec<(u64, Option<u64>, String)>,
    /// The ids of the tasks that are CPU-pool jobs (their lanes are named `cpu-N`). Not
    /// before version 5.
    #[serde(skip)]
    pub cpu_jobs: Vec<u64>,
    /// The runtime it ran on. Not before version 6 (read as tokio).
    #[serde(skip)]
    pub runtime: super::model::Runtime,
    /// The run's notes. Not before version 6.
    #[serde(skip)]
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskData {
    pub id: u64,
    pub name: Option<String>,
    pub blocking: bool,
    pub location: Option<String>,
    pub parent: Option<u64>,
    pub spawn_ns: Option<u64>,
    pub end_ns: Option<u64>,
    /// 0 ok, 1 panicked, 2 cancelled.
    pub outcome: Option<u8>,
    pub panic_message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LaneData {
    pub name: String,
    pub blocking: bool,
    pub polls: Vec<PollData>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PollData {
    /// From the previous poll's start on this lane (the first: from 0).
    pub start_delta_ns: u64,
    pub duration_ns: u64,
    pub task: u32,
    pub ready: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WakeData {
    /// From the previous wake (the first: from 0); wakes are sorted by time.
    pub ts_delta_ns: u64,
    pub task: u32,
    pub by: Option<u32>,
    pub lane: Option<u16>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HttpData {
    pub req: u64,
    pub task: Option<u64>,
    pub url: String,
    pub start_ns: u64,
    pub end_ns: Option<u64>,
    pub status: Option<u16>,
}

/// Why a `TraceData` cannot be a trace (indices that point nowhere, times out of order).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("inconsistent trace data: {0}")]
pub struct DataError(pub String);

impl Trace {
    /// The plain form of a finished trace.
    pub fn to_data(&self) -> TraceData {
        let outcome = |o: Outcome| match o {
            Outcome::Ok => 0,
            Outcome::Panicked => 1,
            Outcome::Cancelled => 2,
            Outcome::Shutdown => 3,
        };
        let mut last_wake = 0;
        TraceData {
            scenario: self.scenario.clone(),
            runtime: self.runtime,
            wall_ns: self.wall_ns,
            stopped: self.stopped,
            events: self.events,
            events_dropped: self.events_dropped,
            truncated: self.truncated,
            run_errors: self.run_errors.clone(),
            notes: self.notes.clone(),
            tasks: self
                .tasks
                .iter()
                .map(|t| TaskData {
                    id: t.id,
                    name: t.name.as_deref().map(str::to_string),
                    blocking: t.kind == TaskKind::Blocking,
                    location: self.location(t).map(|l| l.to_string()),
                    parent: t.parent(),
                    spawn_ns: t.spawn_ns(),
                    end_ns: t.end_ns(),
                    outcome: t.outcome.map(outcome),
                    panic_message: self.panic_message(t).map(str::to_string),
                })
                .collect(),
            lanes: self
                .lanes
                .iter()
                .map(|l| {
                    let mut prev = 0;
                    LaneData {
                        name: l.name.clone(),
                        blocking: l.kind == LaneKind::Blocking,
                        polls: l
                            .polls
                            .iter()
                            .map(|p| {
                                let d = PollData {
                                    start_delta_ns: p.start_ns - prev,
                                    duration_ns: p.duration_ns(),
                                    task: p.task,
                                    ready: p.outcome() == PollOutcome::Ready,
                                };
                                prev = p.start_ns;
                                d
                            })
                            .collect(),
                    }
                })
                .collect(),
            wakes: self
                .wakes
                .iter()
                .map(|w| {
                    let d = WakeData {
                        ts_delta_ns: w.ts_ns().saturating_sub(last_wake),
                        task: w.task,
                        by: w.by(),
                        lane: w.lane(),
                    };
                    last_wake = w.ts_ns().max(last_wake);
                    d
                })
                .collect(),
            http: self
                .http
                .iter()
                .map(|h| HttpData {
                    req: h.req,
                    task: h.task,
                    url: h.url.to_string(),
                    start_ns: h.start_ns,
                    end_ns: h.end_ns,
                    status: h.status,
                })
                .collect(),
            heartbeats: self
                .heartbeats
                .iter()
                .map(|h| (h.ts_ns, h.late_ns))
                .collect(),
            metrics_interval_ns: self.metrics_interval_ns,
            metrics: self.metrics.clone(),
            group_metrics: self.group_metrics.clone(),
            cpus: self.cpus,
            steps: self.steps.clone(),
            resources: self.resources.clone(),
            channel_ops: self.channel_ops.clone(),
            prints: self
                .prints
                .iter()
                .map(|p| (p.ts_ns, p.task, p.text.to_string()))
                .collect(),
            cpu_jobs: self
                .tasks
                .iter()
                .filter(|t| t.kind == TaskKind::CpuJob)
                .map(|t| t.id)
                .collect(),
            step_marks: (0..self.tasks.len() as u32)
                .map(|i| {
                    let mut prev = 0;
                    self.task_step_marks(i)
                        .iter()
                        .map(|m| {
                            let d = (m.ts_ns.saturating_sub(prev), m.step, m.enter);
                            prev = m.ts_ns;
                            d
                        })
                        .collect()
                })
                .collect(),
            parks: self
                .lanes
                .iter()
                .map(|l| {
                    let mut prev = 0;
                    l.parks
                        .iter()
                        .map(|p| {
                            let d = (p.start_ns - prev, p.end_ns - p.start_ns);
                            prev = p.start_ns;
                            d
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// Rebuilds a finished trace, checking every index.
    pub fn from_data(d: TraceData) -> Result<Trace, DataError> {
        let n_tasks = d.tasks.len();
        let n_lanes = d.lanes.len();
        let cpu_jobs: std::collections::HashSet<u64> = d.cpu_jobs.iter().copied().collect();
        let bad = |what: String| Err(DataError(what));
        let mut t = Trace::new(d.scenario);
        t.runtime = d.runtime;
        t.wall_ns = d.wall_ns;
        t.stopped = d.stopped;
        t.events = d.events;
        t.events_dropped = d.events_dropped;
        t.truncated = d.truncated;
        t.cpus = d.cpus;
        t.run_errors = d.run_errors;
        t.notes = d.notes;
        for td in d.tasks {
            let outcome = match td.outcome {
                None => None,
                Some(0) => Some(Outcome::Ok),
                Some(1) => Some(Outcome::Panicked),
                Some(2) => Some(Outcome::Cancelled),
                Some(3) => Some(Outcome::Shutdown),
                Some(o) => return bad(format!("task {}: unknown outcome {o}", td.id)),
            };
            let mut task = Task::new(td.id);
            task.name = td.name.map(Arc::from);
            if td.blocking {
                task.kind = TaskKind::Blocking;
            }
            if cpu_jobs.contains(&td.id) {
                task.kind = TaskKind::CpuJob;
            }
            task.set_parent(td.parent);
            task.set_spawn_ns(td.spawn_ns);
            task.set_end_ns(td.end_ns);
            task.outcome = outcome;
            t.tasks.push(task);
            let index = t.tasks.len() as u32 - 1;
            if let Some(l) = td.location {
                t.set_location(index, SpawnLocation::Owned(l.into()));
            }
            if let Some(m) = td.panic_message {
                t.set_panic_message(td.id, m.into());
            }
        }
        for (li, ld) in d.lanes.into_iter().enumerate() {
            let mut start = 0u64;
            let mut polls = Vec::with_capacity(ld.polls.len());
            for (pi, p) in ld.polls.into_iter().enumerate() {
                if p.task as usize >= n_tasks {
                    return bad(format!("lane {li} poll {pi}: task {} of {n_tasks}", p.task));
                }
                start = start
                    .checked_add(p.start_delta_ns)
                    .ok_or_else(|| DataError(format!("lane {li} poll {pi}: time overflow")))?;
                let end = start
                    .checked_add(p.duration_ns)
                    .ok_or_else(|| DataError(format!("lane {li} poll {pi}: time overflow")))?;
                polls.push(PollSpan::new(
                    start,
                    end,
                    p.task,
                    if p.ready {
                        PollOutcome::Ready
                    } else {
                        PollOutcome::Pending
                    },
                ));
            }
            if polls.windows(2).any(|w| w[1].start_ns < w[0].end_ns()) {
                return bad(format!("lane {li}: polls overlap"));
            }
            let kind = if ld.blocking {
                LaneKind::Blocking
            } else if ld.name.starts_with("cpu-") {
                LaneKind::Cpu
            } else {
                LaneKind::Worker
            };
            t.lanes.push(Lane {
                name: ld.name,
                kind,
                polls,
                parks: Vec::new(),
            });
        }
        if d.parks.len() > n_lanes {
            return bad(format!("sleeps for {} lanes of {n_lanes}", d.parks.len()));
        }
        for (li, parks) in d.parks.into_iter().enumerate() {
            let mut start = 0u64;
            let mut prev_end = 0u64;
            for (pi, (delta, dur)) in parks.into_iter().enumerate() {
                let overflow = || DataError(format!("lane {li} sleep {pi}: time overflow"));
                start = start.checked_add(delta).ok_or_else(overflow)?;
                let end = start.checked_add(dur).ok_or_else(overflow)?;
                if start < prev_end {
                    return bad(format!("lane {li}: sleeps overlap"));
                }
                prev_end = end;
                t.lanes[li].parks.push(ParkSpan {
                    start_ns: start,
                    end_ns: end,
                });
            }
        }
        let mut ts = 0u64;
        for (wi, w) in d.wakes.into_iter().enumerate() {
            let task_ok = (w.task as usize) < n_tasks;
            let by_ok = w.by.is_none_or(|b| (b as usize) < n_tasks);
            let lane_ok = w.lane.is_none_or(|l| (l as usize) < n_lanes);
            if !(task_ok && by_ok && lane_ok) {
                return bad(format!("wake {wi}: index out of range"));
            }
            ts = ts
                .checked_add(w.ts_delta_ns)
                .ok_or_else(|| DataError(format!("wake {wi}: time overflow")))?;
            t.wakes.push(Wake::new(ts, w.task, w.by, w.lane));
        }
        t.http = d
            .http
            .into_iter()
            .map(|h| HttpRequest {
                req: h.req,
                task: h.task,
                url: h.url.into(),
                start_ns: h.start_ns,
                end_ns: h.end_ns,
                status: h.status,
            })
            .collect();
        t.heartbeats = d
            .heartbeats
            .into_iter()
            .map(|(ts_ns, late_ns)| Heartbeat { ts_ns, late_ns })
            .collect();
        t.metrics_interval_ns = d.metrics_interval_ns;
        t.metrics = d.metrics;
        t.group_metrics = d.group_metrics;
        if d.step_marks.len() > n_tasks {
            return bad(format!(
                "step marks for {} tasks of {n_tasks}",
                d.step_marks.len()
            ));
        }
        let n_steps = d.steps.len();
        t.steps = d.steps;
        if let Some(op) = d
            .channel_ops
            .iter()
            .find(|op| op.channel as usize >= d.resources.len())
        {
            return bad(format!(
                "a channel message names resource {} of {}",
                op.channel,
                d.resources.len()
            ));
        }
        if d.channel_ops.windows(2).any(|w| w[1].ts_ns < w[0].ts_ns) {
            return bad("channel messages out of time order".to_string());
        }
        t.resources = d.resources;
        t.channel_ops = d.channel_ops;
        if d.prints.windows(2).any(|w| w[1].0 < w[0].0) {
            return bad("print lines out of time order".to_string());
        }
        let ids = index_of_ids(&t.tasks);
        if let Some((_, Some(id), _)) = d
            .prints
            .iter()
            .find(|(_, task, _)| task.is_some_and(|id| !ids.contains_key(&id)))
        {
            return bad(format!(
                "a print line names task {id}, which the trace does not have"
            ));
        }
        t.prints = d
            .prints
            .into_iter()
            .map(|(ts_ns, task, text)| super::model::PrintLine {
                ts_ns,
                task,
                text: text.into(),
            })
            .collect();
        for (ti, marks) in d.step_marks.into_iter().enumerate() {
            let mut ts = 0u64;
            let mut out = Vec::with_capacity(marks.len());
            for (mi, (delta, step, enter)) in marks.into_iter().enumerate() {
                if step as usize >= n_steps {
                    return bad(format!(
                        "task {ti} step mark {mi}: step {step} of {n_steps}"
                    ));
                }
                ts = ts
                    .checked_add(delta)
                    .ok_or_else(|| DataError(format!("task {ti} step mark {mi}: time overflow")))?;
                out.push(StepMark {
                    ts_ns: ts,
                    step,
                    enter,
                });
            }
            t.set_task_step_marks(ti as u32, &out);
        }
        t.rebuild_indices();
        Ok(t)
    }
}

/// Task ids must be unique for lookups by id.
pub(super) fn index_of_ids(tasks: &[Task]) -> HashMap<u64, u32> {
    tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i as u32))
        .collect()
}
