//! Findings: what went wrong in a run and why, in plain words, each pointing at the place
//! on the timeline that proves it. Computed from the trace alone.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{LaneKind, Outcome, PollOutcome, TaskKind, Trace};

/// Polls longer than this hold a worker too long (tokio's guidance: 10–100 µs between
/// awaits; 10 ms is already a stall anyone can see).
pub const POLL_BUDGET_NS: u64 = 10_000_000;
/// Offloaded work that waited longer than this for a blocking thread.
const BLOCKING_QUEUE_NS: u64 = 5_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    SlowPoll,
    NeverYielded,
    BlockingPoolSaturated,
    SequentialAwaits,
    RateLimited,
    LostWakeup,
    /// Recording stopped at the memory cap.
    Truncated,
    /// More workers than CPUs: the OS pauses workers mid-poll.
    Oversubscribed,
    /// On asyncio, executor threads running Python CPU work hold the GIL the event loop
    /// needs: the loop's timers fire late although no step of its own is long.
    SharedGil,
}

/// One diagnosis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// One sentence: what happened, with the numbers.
    pub message: String,
    /// One sentence: why it matters.
    pub cause: String,
    /// One sentence: what to do instead.
    pub remedy: String,
    /// The task at fault, if one is.
    pub task: Option<u64>,
    /// The lane the evidence is on.
    pub lane: Option<String>,
    /// Where the evidence starts, ms from run start.
    pub at_ms: f64,
    /// The evidence's time range (ns), for a viewer to zoom to.
    #[serde(skip)]
    pub range_ns: (u64, u64),
}

fn ms(ns: u64) -> f64 {
    (ns as f64 / 1e3).round() / 1e3
}

fn fmt_ms(ns: u64) -> String {
    let v = ns as f64 / 1e6;
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 1.0 {
        format!("{v:.1} ms")
    } else {
        format!("{:.0} µs", ns as f64 / 1e3)
    }
}

/// All findings of a finished trace, most severe first, then by time.
pub fn findings(trace: &Trace) -> Vec<Finding> {
    let mut out = Vec::new();
    oversubscribed(trace, &mut out);
    // On asyncio, when executor threads ran Python CPU work (both findings ask).
    let cpu_jobs = cpu_bound_executor_jobs(trace);
    slow_polls(trace, &cpu_jobs, &mut out);
    shared_gil(trace, &cpu_jobs, &mut out);
    blocking_pool(trace, &mut out);
    sequential_awaits(trace, &mut out);
    rate_limited(trace, &mut out);
    if trace.truncated {
        // The wakes after the cut were not recorded: every waiting task would look lost.
        truncated(trace, &mut out);
    } else {
        lost_wakeups(trace, &mut out);
    }
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.range_ns.0.cmp(&b.range_ns.0))
    });
    out
}

/// Worker lanes that polled, and whether there were more of them than CPUs.
fn oversubscription(trace: &Trace) -> Option<(usize, u32)> {
    let workers = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Worker && !l.polls.is_empty())
        .count();
    (trace.cpus > 0 && workers > trace.cpus as usize).then_some((workers, trace.cpus))
}

/// More busy workers than CPUs: polls can last longer than their work.
fn oversubscribed(trace: &Trace, out: &mut Vec<Finding>) {
    let Some((workers, cpus)) = oversubscription(trace) else {
        return;
    };
    out.push(Finding {
        kind: FindingKind::Oversubscribed,
        severity: Severity::Warning,
        message: format!(
            "{workers} workers ran on {cpus} CPUs: the OS paused workers in the middle of \
             polls, so polls and scheduling delays can look longer than the work in them"
        ),
        cause: "A poll's length is wall time: while the OS runs another worker on the CPU, the \
                paused worker's poll goes on counting."
            .into(),
        remedy: format!(
            "Read the slow polls with that in mind, or run with no more workers than CPUs \
             (`workers = {cpus}`) to see the work alone."
        ),
        task: None,
        lane: None,
        at_ms: 0.0,
        range_ns: (0, trace.wall_ns.max(1)),
    });
}

/// The trace stops at the memory cap: say where, and what is missing.
fn truncated(trace: &Trace, out: &mut Vec<Finding>) {
    let at = trace.recorded_until_ns().unwrap_or(0);
    out.push(Finding {
        kind: FindingKind::Truncated,
        severity: Severity::Warning,
        message: format!(
            "Recording stopped at {} events, {} into the run (the memory cap); {} more events \
             were not recorded",
            trace.events,
            fmt_ms(at),
            trace.events_dropped
        ),
        cause: "A run that makes more events than `max_events` is recorded up to the cap, so \
                memory stays bounded; what happened later is not on the timeline."
            .into(),
        remedy: "Raise `max_events` in the scenario (or `--max-events`), or make the scenario \
                 smaller; tasks still waiting at the cut are not lost wake-ups."
            .into(),
        task: None,
        lane: None,
        at_ms: ms(at),
        range_ns: (at.saturating_sub(1_000_000), at + 1_000_000),
    });
}

/// The step task `task` spent most of `[start, end)` in (the innermost of equals), as the
/// file names it ("in step `blocking GET /items` (line 12)", or for a traced script "at
/// fetch.py:9 (`time.sleep(1)`)"), and its kind.
fn step_during(trace: &Trace, task: u32, start: u64, end: u64) -> Option<(String, String)> {
    let best = trace
        .task_step_spans(task)
        .into_iter()
        .filter_map(|s| {
            let overlap = s.end_ns.min(end).saturating_sub(s.start_ns.max(start));
            let info = trace.steps.get(s.step as usize)?;
            (overlap > 0).then_some((overlap, info.depth, info))
        })
        .max_by_key(|&(overlap, depth, _)| (overlap, depth))?;
    let info = best.2;
    let text = if matches!(info.kind.as_str(), "code" | "await") {
        // A line of a traced Python script: where the step was seen stuck.
        format!("at {}", info.label)
    } else if info.line > 0 {
        format!("in step `{}` (line {})", info.label, info.line)
    } else {
        format!("in step `{}`", info.label)
    };
    Some((text, info.kind.clone()))
}

/// Polls over the budget on worker lanes: CPU work or a blocking call inside an async task.
/// A task whose only poll is such a poll never yielded at all.
fn slow_polls(trace: &Trace, cpu_jobs: &[(u64, u64, u16)], out: &mut Vec<Finding>) {
    for lane in trace.lanes.iter().filter(|l| l.kind == LaneKind::Worker) {
        for p in lane
            .polls
            .iter()
            .filter(|p| p.duration_ns() > POLL_BUDGET_NS)
        {
            let t = &trace.tasks[p.task as usize];
            // Tasks woken while this poll ran whose next poll came only after it: they
            // waited behind it (no other worker took them either).
            let mut waited = 0usize;
            let mut longest_wait = 0u64;
            for w in trace.wakes_in(p.start_ns, p.end_ns()) {
                if w.task == p.task {
                    continue;
                }
                let next = trace
                    .task_polls(w.task)
                    .iter()
                    .map(|r| trace.poll(*r).start_ns)
                    .find(|&s| s >= w.ts_ns());
                if let Some(next) = next.filter(|&n| n >= p.end_ns()) {
                    waited += 1;
                    longest_wait = longest_wait.max(next - w.ts_ns());
                }
            }
            let only_poll =
                trace.task_polls(p.task).len() == 1 && p.outcome() == PollOutcome::Ready;
            let (kind, what) = if only_poll {
                (
                    FindingKind::NeverYielded,
                    format!(
                        "Task `{}` #{} never yielded: it ran its whole life in one {} poll on {}",
                        trace.label(t),
                        t.id,
                        fmt_ms(p.duration_ns()),
                        lane.name
                    ),
                )
            } else {
                (
                    FindingKind::SlowPoll,
                    format!(
                        "Task `{}` #{} held {} for {} in one poll (budget {})",
                        trace.label(t),
                        t.id,
                        lane.name,
                        fmt_ms(p.duration_ns()),
                        fmt_ms(POLL_BUDGET_NS)
                    ),
                )
            };
            let mut behind = String::new();
            let step = step_during(trace, p.task, p.start_ns, p.end_ns());
            if let Some((text, _)) = &step {
                behind += &format!(", {text}");
            }
            let blocking_http = step.as_ref().is_some_and(|(_, k)| k == "blocking_http_get");
            let asyncio = trace.runtime == crate::trace::Runtime::Asyncio;
            let gil = asyncio
                && cpu_jobs
                    .iter()
                    .any(|&(s, e, _)| s < p.end_ns() && p.start_ns < e);
            if gil {
                behind += "; executor threads running Python held the GIL meanwhile";
            }
            if asyncio {
                behind += " (asyncio calls this a slow callback: it logs those over \
                           loop.slow_callback_duration, 100 ms, in debug mode)";
            }
            if waited > 0 {
                behind += &format!(
                    "; {waited} woken task{} waited behind it, up to {}",
                    if waited == 1 { "" } else { "s" },
                    fmt_ms(longest_wait)
                );
            }
            // Ticks due during the poll: with the worker busy, often nobody ran the timer.
            let heartbeat_late = trace
                .heartbeats
                .iter()
                .filter(|h| {
                    let due = h.ts_ns.saturating_sub(h.late_ns);
                    due >= p.start_ns && due <= p.end_ns()
                })
                .map(|h| h.late_ns)
                .max()
                .unwrap_or(0);
            if heartbeat_late > POLL_BUDGET_NS {
                behind += &format!(
                    "; the heartbeat fired up to {} late",
                    fmt_ms(heartbeat_late)
                );
            }
            if let Some((workers, cpus)) = oversubscription(trace) {
                behind += &format!(
                    " ({workers} workers on {cpus} CPUs: part of it may be the OS pausing the \
                     worker)"
                );
            }
            out.push(Finding {
                kind,
                severity: if (waited > 0 || heartbeat_late > POLL_BUDGET_NS)
                    && oversubscription(trace).is_none()
                {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                message: format!("{what}{behind}."),
                cause: if asyncio && !blocking_http {
                    "A step of a coroutine runs until it reaches an await that is not ready: \
                     CPU work or a blocking call (time.sleep, requests.get) inside it keeps the \
                     event loop from running any other task or callback."
                        .into()
                } else if blocking_http {
                    "A blocking HTTP client waits for the answer inside the poll (like \
                     requests.get() in a coroutine): the worker sleeps in read() and polls \
                     nothing else until the server answers."
                        .into()
                } else {
                    "A poll runs until the task reaches an .await that is not ready: CPU work \
                     or a blocking call inside it keeps the worker from polling anything else."
                        .into()
                },
                remedy: if asyncio && !blocking_http {
                    "Move a blocking call off the loop with await loop.run_in_executor(None, f) \
                     (or asyncio.to_thread), and CPU work to a ProcessPoolExecutor: threads \
                     share the GIL with the loop."
                        .into()
                } else if blocking_http {
                    "Use an async client and .await the request (reqwest here; aiohttp or \
                     httpx in Python); a library that only has a blocking client goes to the \
                     blocking pool (spawn_blocking, run_in_executor)."
                        .into()
                } else {
                    "Move the work to the blocking pool (tokio::task::spawn_blocking, like \
                     Python's run_in_executor) or a CPU pool, and await its result."
                        .into()
                },
                task: Some(t.id),
                lane: Some(lane.name.clone()),
                at_ms: ms(p.start_ns),
                range_ns: (p.start_ns, p.end_ns()),
            });
        }
    }
}

/// On asyncio, when each executor job that runs Python CPU work (an `offload_cpu_ms`
/// step's) ran: `(start, end, lane)`, in time order.
fn cpu_bound_executor_jobs(trace: &Trace) -> Vec<(u64, u64, u16)> {
    if trace.runtime != crate::trace::Runtime::Asyncio {
        return Vec::new();
    }
    let mut out: Vec<(u64, u64, u16)> = (0..trace.tasks.len() as u32)
        .filter(|&i| trace.tasks[i as usize].kind == TaskKind::Blocking)
        .filter(|&i| {
            let t = &trace.tasks[i as usize];
            let parent = t.parent().and_then(|p| trace.task_index(p));
            match (parent, t.spawn_ns()) {
                (Some(p), Some(at)) => step_during(trace, p, at, at + 1)
                    .is_some_and(|(_, kind)| kind == "offload_cpu_ms"),
                _ => false,
            }
        })
        .flat_map(|i| {
            trace.task_polls(i).iter().map(|r| {
                let p = trace.poll(*r);
                (p.start_ns, p.end_ns(), r.lane)
            })
        })
        .collect();
    out.sort_unstable();
    out
}

/// Heartbeat ticks late while executor threads ran Python CPU work, on asyncio: the GIL.
fn shared_gil(trace: &Trace, jobs: &[(u64, u64, u16)], out: &mut Vec<Finding>) {
    let (Some(first), Some(last_end)) = (jobs.first(), jobs.iter().map(|j| j.1).max()) else {
        return;
    };
    let during = |ts: u64| jobs.iter().any(|&(s, e, _)| s <= ts && ts <= e);
    let late: Vec<&crate::trace::model::Heartbeat> = trace
        .heartbeats
        .iter()
        .filter(|h| h.late_ns > POLL_BUDGET_NS && during(h.ts_ns.saturating_sub(h.late_ns)))
        .collect();
    let Some(worst) = late.iter().max_by_key(|h| h.late_ns) else {
        return;
    };
    let threads: std::collections::BTreeSet<u16> = jobs.iter().map(|j| j.2).collect();
    let step = trace
        .steps
        .iter()
        .find(|s| s.kind == "offload_cpu_ms")
        .map(|s| format!(" `{}` (line {})", s.label, s.line))
        .unwrap_or_default();
    out.push(Finding {
        kind: FindingKind::SharedGil,
        severity: Severity::Error,
        message: format!(
            "The heartbeat fired up to {} late ({} of its ticks over {}) while {} executor \
             thread{} ran Python CPU work{step}: they hold the GIL the event loop needs",
            fmt_ms(worst.late_ns),
            late.len(),
            fmt_ms(POLL_BUDGET_NS),
            threads.len(),
            if threads.len() == 1 { "" } else { "s" },
        ),
        cause: "CPython runs one thread's Python code at a time (the GIL): run_in_executor \
                moves CPU work off the loop's thread but not off the GIL, so the loop waits its \
                turn (sys.getswitchinterval(), 5 ms) for every step and every timer fires late."
            .into(),
        remedy: "Send CPU-bound Python work to a ProcessPoolExecutor \
                 (loop.run_in_executor(pool, f); the cpu_pool_ms step), or to code that \
                 releases the GIL; keep threads for blocking I/O, which releases it while it \
                 waits."
            .into(),
        task: None,
        lane: trace.lanes.get(first.2 as usize).map(|l| l.name.clone()),
        at_ms: ms(worst.ts_ns.saturating_sub(worst.late_ns)),
        range_ns: (first.0, last_end),
    });
}

/// Offloaded work that waited for a blocking thread because all of them were busy.
fn blocking_pool(trace: &Trace, out: &mut Vec<Finding>) {
    let threads = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Blocking)
        .count();
    let mut queued = 0usize;
    let mut worst: Option<(u64, u32, u64)> = None; // (wait, task, spawn)
    for (i, t) in trace.tasks.iter().enumerate() {
        if t.kind != TaskKind::Blocking {
            continue;
        }
        let (Some(spawn), Some(first)) = (t.spawn_ns(), trace.task_polls(i as u32).first()) else {
            continue;
        };
        let wait = trace.poll(*first).start_ns.saturating_sub(spawn);
        if wait > BLOCKING_QUEUE_NS {
            queued += 1;
            if worst.is_none_or(|(w, _, _)| wait > w) {
                worst = Some((wait, i as u32, spawn));
            }
        }
    }
    let Some((wait, task, spawn)) = worst else {
        return;
    };
    let t = &trace.tasks[task as usize];
    let asyncio = trace.runtime == crate::trace::Runtime::Asyncio;
    let pool = if asyncio { "executor" } else { "blocking" };
    out.push(Finding {
        kind: FindingKind::BlockingPoolSaturated,
        severity: Severity::Warning,
        message: format!(
            "{queued} offloaded job{} waited for {} {pool} thread, up to {} (`{}` #{}); all \
             {threads} {pool} thread{} were busy",
            if queued == 1 { "" } else { "s" },
            if asyncio { "an" } else { "a" },
            fmt_ms(wait),
            trace.label(t),
            t.id,
            if threads == 1 { "" } else { "s" }
        ),
        cause: if asyncio {
            "run_in_executor queues work when every thread of the executor is busy \
             (ThreadPoolExecutor's max_workers; max_blocking_threads in the scenario)."
        } else {
            "spawn_blocking queues work when every thread of the blocking pool is busy \
             (max_blocking_threads)."
        }
        .into(),
        remedy: if asyncio {
            "Give the executor more threads if the work blocks on I/O; for CPU work, a \
             ProcessPoolExecutor sized to the cores."
        } else {
            "Raise max_blocking_threads if the work blocks on I/O; for CPU work, size a \
             dedicated pool (e.g. rayon) to the cores instead."
        }
        .into(),
        task: Some(t.id),
        lane: None,
        at_ms: ms(spawn),
        range_ns: (spawn, spawn + wait),
    });
}

/// A task whose HTTP requests ran one after another, for most of the run.
fn sequential_awaits(trace: &Trace, out: &mut Vec<Finding>) {
    let mut by_task: BTreeMap<u64, Vec<(u64, u64)>> = BTreeMap::new();
    for h in &trace.http {
        if let (Some(task), Some(end)) = (h.task, h.end_ns) {
            by_task.entry(task).or_default().push((h.start_ns, end));
        }
    }
    let wall = trace.wall_ns.max(1);
    for (task, mut reqs) in by_task {
        if reqs.len() < 3 {
            continue;
        }
        reqs.sort_unstable();
        let sequential = reqs.windows(2).all(|w| w[1].0 >= w[0].1);
        let waited: u64 = reqs.iter().map(|(s, e)| e - s).sum();
        if !sequential || waited * 2 < wall {
            continue;
        }
        let label = trace
            .task_by_id(task)
            .map_or_else(|| format!("task {task}"), |t| trace.label(t));
        let longest = reqs.iter().map(|(s, e)| e - s).max().unwrap_or(0);
        out.push(Finding {
            kind: FindingKind::SequentialAwaits,
            severity: Severity::Warning,
            message: format!(
                "Task `{label}` #{task} awaited {} requests one after another: {} of waiting, {:.0}% of \
                 the run; overlapped, they would take about {}",
                reqs.len(),
                fmt_ms(waited),
                waited as f64 * 100.0 / wall as f64,
                fmt_ms(longest)
            ),
            cause: "Each .await waits for one response before the next request is even sent, so \
                    the latencies add up."
                .into(),
            remedy: "Start independent requests together (join_all, or spawn a task each) and \
                     await them as a group; bound the fan-out with a semaphore."
                .into(),
            task: Some(task),
            lane: None,
            at_ms: ms(reqs[0].0),
            range_ns: (reqs[0].0, reqs[reqs.len() - 1].1),
        });
    }
}

/// HTTP 429 answers: the client exceeded the server's rate limit.
fn rate_limited(trace: &Trace, out: &mut Vec<Finding>) {
    let rejected: Vec<_> = trace
        .http
        .iter()
        .filter(|h| h.status == Some(429))
        .collect();
    let Some(first) = rejected.first() else {
        return;
    };
    let peak = super::stats::http_summary(trace).max_in_flight;
    out.push(Finding {
        kind: FindingKind::RateLimited,
        severity: Severity::Error,
        message: format!(
            "{} of {} requests were refused with 429 Too Many Requests; up to {peak} were in flight \
             at once",
            rejected.len(),
            trace.http.len()
        ),
        cause: "The client sent requests faster than the server's rate limit allows.".into(),
        remedy: "Bound concurrency with a Semaphore and pace the requests (or honour Retry-After \
                 with a backoff)."
            .into(),
        task: first.task,
        lane: None,
        at_ms: ms(first.start_ns),
        range_ns: (
            first.start_ns,
            rejected.iter().filter_map(|h| h.end_ns).max().unwrap_or(first.start_ns),
        ),
    });
}

/// A scenario task left pending with no wake until the end of a run that finished: nothing
/// will ever poll it again.
fn lost_wakeups(trace: &Trace, out: &mut Vec<Finding>) {
    if trace.stopped {
        return; // a stopped run cut tasks short on purpose
    }
    for (i, t) in trace.tasks.iter().enumerate() {
        // Library tasks (pooled connections) idle until shutdown by design.
        if t.name.is_none() || t.kind != TaskKind::Async {
            continue;
        }
        let Some(last) = trace.task_polls(i as u32).last().map(|r| *trace.poll(*r)) else {
            continue;
        };
        // A cancelled task was aborted while it waited: nothing was lost.
        if last.outcome() != PollOutcome::Pending
            || matches!(t.outcome, Some(Outcome::Ok | Outcome::Cancelled))
        {
            continue;
        }
        let woken_after = trace
            .task_wakes(i as u32)
            .iter()
            .any(|&w| trace.wakes[w as usize].ts_ns() >= last.start_ns);
        if woken_after {
            continue;
        }
        let end = t.end_ns().unwrap_or_else(|| trace.end_ns());
        out.push(Finding {
            kind: FindingKind::LostWakeup,
            severity: Severity::Error,
            message: format!(
                "Task `{}` #{} went back to wait at {} and was never woken again ({} until the \
                 runtime shut down)",
                trace.label(t),
                t.id,
                fmt_ms(last.end_ns()),
                fmt_ms(end.saturating_sub(last.end_ns()))
            ),
            cause:
                "A future returned Pending without arranging a wake-up (its waker was dropped or \
                    never registered), so the task hangs forever."
                    .into(),
            remedy: "Make sure every Pending has a registered waker that something will call; \
                     prefer tokio's primitives over hand-written futures."
                .into(),
            task: Some(t.id),
            lane: None,
            at_ms: ms(last.end_ns()),
            range_ns: (last.end_ns(), end),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::event::{Batch, Event, EventKind};

    fn ev(ts_ns: u64, kind: EventKind) -> Event {
        Event { ts_ns, kind }
    }

    #[test]
    fn more_busy_workers_than_cpus_is_said_and_softens_the_slow_polls() {
        let build = |cpus: u32| {
            let mut t = Trace::new("t");
            for thread in 0..3u32 {
                let task = u64::from(thread) + 1;
                let name = format!("g{thread}");
                let mut events = crate::trace::event::named_spawn(0, task, &name).to_vec();
                // Thread 0's poll is slow (20 ms) and another task waits behind it.
                let end = if thread == 0 { 20_000_000 } else { 1_000 };
                events.push(ev(100, EventKind::PollStart { task }));
                if thread == 0 {
                    events.push(ev(200, EventKind::Wake { task: 2 }));
                }
                events.push(ev(end, EventKind::Terminate { task }));
                events.push(ev(end, EventKind::PollEnd { task }));
                t.ingest(Batch { thread, events });
            }
            t.wall_ns = 21_000_000;
            t.cpus = cpus;
            t.finish();
            findings(&t)
        };
        let f = build(2);
        let over = f
            .iter()
            .find(|f| f.kind == FindingKind::Oversubscribed)
            .expect("said");
        assert!(
            over.message.starts_with("3 workers ran on 2 CPUs"),
            "{}",
            over.message
        );
        let slow = f
            .iter()
            .find(|f| matches!(f.kind, FindingKind::SlowPoll | FindingKind::NeverYielded))
            .unwrap_or_else(|| panic!("a slow poll: {f:?}"));
        assert!(
            slow.message.contains("3 workers on 2 CPUs"),
            "{}",
            slow.message
        );
        assert_eq!(
            slow.severity,
            Severity::Warning,
            "not an error: the OS may be the cause"
        );
        let f = build(4);
        assert!(f.iter().all(|f| f.kind != FindingKind::Oversubscribed));
        let f = build(0);
        assert!(
            f.iter().all(|f| f.kind != FindingKind::Oversubscribed),
            "CPUs unknown"
        );
    }

    #[test]
    fn a_pending_task_never_woken_again_is_a_lost_wakeup() {
        let mut t = Trace::new("t");
        t.ingest(Batch {
            thread: 0,
            events: [
                crate::trace::event::named_spawn(0, 1, "stuck").to_vec(),
                vec![
                    ev(1_000, EventKind::PollStart { task: 1 }),
                    ev(2_000, EventKind::PollEnd { task: 1 }),
                    // The runtime's shutdown drops the idle task's future.
                    ev(8_999_000, EventKind::Park),
                    ev(8_999_500, EventKind::Unpark),
                    ev(8_999_600, EventKind::PollStart { task: 1 }),
                    ev(8_999_700, EventKind::PollEnd { task: 1 }),
                    ev(9_000_000, EventKind::Terminate { task: 1 }),
                ],
            ]
            .concat(),
        });
        t.wall_ns = 9_000_000;
        t.finish();
        let f = findings(&t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].kind, FindingKind::LostWakeup);
        assert_eq!(f[0].task, Some(1));
        // Not when the run was stopped by the user.
        t.stopped = true;
        assert!(findings(&t).is_empty());
    }
}
