//! Findings: what went wrong in a run and why, in plain words, each pointing at the place
//! on the timeline that proves it. Computed from the trace alone.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{LaneKind, Outcome, PollOutcome, TaskKind, Trace};
use crate::i18n::Language;
use crate::t;

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

/// A finding's words in one language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingText {
    pub message: String,
    pub cause: String,
    pub remedy: String,
}

/// One diagnosis. `message`, `cause` and `remedy` are English (the JSON summary's, for
/// machines); [`Finding::text`] has them in any language.
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
    /// The same in the other languages.
    #[serde(skip)]
    pub translated: Vec<(Language, FindingText)>,
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

impl Finding {
    /// A finding whose words `text` gives in each language.
    fn new(
        kind: FindingKind,
        severity: Severity,
        text: impl Fn(Language) -> FindingText,
        task: Option<u64>,
        lane: Option<String>,
        range_ns: (u64, u64),
    ) -> Finding {
        let en = text(Language::English);
        Finding {
            kind,
            severity,
            message: en.message,
            cause: en.cause,
            remedy: en.remedy,
            translated: Language::ALL
                .into_iter()
                .filter(|&l| l != Language::English)
                .map(|l| (l, text(l)))
                .collect(),
            task,
            lane,
            at_ms: ms(range_ns.0),
            range_ns,
        }
    }

    /// The finding's words in `lang`.
    pub fn text(&self, lang: Language) -> FindingText {
        match self.translated.iter().find(|(l, _)| *l == lang) {
            Some((_, text)) => text.clone(),
            None => FindingText {
                message: self.message.clone(),
                cause: self.cause.clone(),
                remedy: self.remedy.clone(),
            },
        }
    }
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
    out.push(Finding::new(
        FindingKind::Oversubscribed,
        Severity::Warning,
        |l| FindingText {
            message: t!(l, "finding-oversubscribed", workers = workers, cpus = cpus),
            cause: t!(l, "finding-oversubscribed-cause"),
            remedy: t!(l, "finding-oversubscribed-remedy", cpus = cpus),
        },
        None,
        None,
        (0, trace.wall_ns.max(1)),
    ));
}

/// The trace stops at the memory cap: say where, and what is missing.
fn truncated(trace: &Trace, out: &mut Vec<Finding>) {
    let at = trace.recorded_until_ns().unwrap_or(0);
    let mut f = Finding::new(
        FindingKind::Truncated,
        Severity::Warning,
        |l| FindingText {
            message: t!(
                l,
                "finding-truncated",
                events = trace.events,
                at = fmt_ms(at),
                dropped = trace.events_dropped
            ),
            cause: t!(l, "finding-truncated-cause"),
            remedy: t!(l, "finding-truncated-remedy"),
        },
        None,
        None,
        (at.saturating_sub(1_000_000), at + 1_000_000),
    );
    f.at_ms = ms(at);
    out.push(f);
}

/// Where a task was, as the file names it: a step and its line, or for a traced script a
/// line of code.
struct StepAt<'a> {
    label: &'a str,
    line: u32,
    /// A line of a traced Python script, where the step was seen stuck.
    code: bool,
}

impl StepAt<'_> {
    /// "in step `blocking GET /items` (line 12)", or "at fetch.py:9 (`time.sleep(1)`)".
    fn text(&self, l: Language) -> String {
        if self.code {
            t!(l, "finding-at-code", code = self.label)
        } else if self.line > 0 {
            t!(
                l,
                "finding-in-step-line",
                step = self.label,
                line = self.line
            )
        } else {
            t!(l, "finding-in-step", step = self.label)
        }
    }
}

/// The step task `task` spent most of `[start, end)` in (the innermost of equals), and its
/// kind.
fn step_during(trace: &Trace, task: u32, start: u64, end: u64) -> Option<(StepAt<'_>, &str)> {
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
    let at = StepAt {
        label: &info.label,
        line: info.line,
        code: matches!(info.kind.as_str(), "code" | "await"),
    };
    Some((at, info.kind.as_str()))
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
            let kind = if only_poll {
                FindingKind::NeverYielded
            } else {
                FindingKind::SlowPoll
            };
            let label = trace.label(t);
            let what = |l: Language| {
                if only_poll {
                    t!(
                        l,
                        "finding-never-yielded",
                        task = label.as_str(),
                        id = t.id,
                        duration = fmt_ms(p.duration_ns()),
                        lane = lane.name.as_str()
                    )
                } else {
                    t!(
                        l,
                        "finding-slow-poll",
                        task = label.as_str(),
                        id = t.id,
                        lane = lane.name.as_str(),
                        duration = fmt_ms(p.duration_ns()),
                        budget = fmt_ms(POLL_BUDGET_NS)
                    )
                }
            };
            let step = step_during(trace, p.task, p.start_ns, p.end_ns());
            let blocking_http = step
                .as_ref()
                .is_some_and(|(_, k)| *k == "blocking_http_get");
            let asyncio = trace.runtime == crate::trace::Runtime::Asyncio;
            let gil = asyncio
                && cpu_jobs
                    .iter()
                    .any(|&(s, e, _)| s < p.end_ns() && p.start_ns < e);
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
            let over = oversubscription(trace);
            let text = |l: Language| {
                let mut details = String::new();
                if let Some((at, _)) = &step {
                    details += &t!(l, "finding-detail-step", step = at.text(l));
                }
                if gil {
                    details += &t!(l, "finding-detail-gil");
                }
                if asyncio {
                    details += &t!(l, "finding-detail-slow-callback");
                }
                if waited > 0 {
                    details += &t!(
                        l,
                        "finding-detail-waited",
                        count = waited,
                        longest = fmt_ms(longest_wait)
                    );
                }
                if heartbeat_late > POLL_BUDGET_NS {
                    details += &t!(l, "finding-detail-heartbeat", late = fmt_ms(heartbeat_late));
                }
                if let Some((workers, cpus)) = over {
                    details += &t!(
                        l,
                        "finding-detail-oversubscribed",
                        workers = workers,
                        cpus = cpus
                    );
                }
                let (cause, remedy) = if asyncio && !blocking_http {
                    (
                        t!(l, "finding-slow-poll-asyncio-cause"),
                        t!(l, "finding-slow-poll-asyncio-remedy"),
                    )
                } else if blocking_http {
                    (
                        t!(l, "finding-slow-poll-blocking-http-cause"),
                        t!(l, "finding-slow-poll-blocking-http-remedy"),
                    )
                } else {
                    (
                        t!(l, "finding-slow-poll-cause"),
                        t!(l, "finding-slow-poll-remedy"),
                    )
                };
                FindingText {
                    message: t!(l, "finding-sentence", what = what(l), details = details),
                    cause,
                    remedy,
                }
            };
            let severity = if (waited > 0 || heartbeat_late > POLL_BUDGET_NS) && over.is_none() {
                Severity::Error
            } else {
                Severity::Warning
            };
            out.push(Finding::new(
                kind,
                severity,
                text,
                Some(t.id),
                Some(lane.name.clone()),
                (p.start_ns, p.end_ns()),
            ));
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
    let step = trace.steps.iter().find(|s| s.kind == "offload_cpu_ms");
    let mut f = Finding::new(
        FindingKind::SharedGil,
        Severity::Error,
        |l| FindingText {
            message: t!(
                l,
                "finding-shared-gil",
                late = fmt_ms(worst.late_ns),
                ticks = late.len(),
                budget = fmt_ms(POLL_BUDGET_NS),
                threads = threads.len(),
                step = step.map_or(String::new(), |s| t!(
                    l,
                    "finding-gil-step",
                    step = s.label.as_str(),
                    line = s.line
                ))
            ),
            cause: t!(l, "finding-shared-gil-cause"),
            remedy: t!(l, "finding-shared-gil-remedy"),
        },
        None,
        trace.lanes.get(first.2 as usize).map(|l| l.name.clone()),
        (first.0, last_end),
    );
    f.at_ms = ms(worst.ts_ns.saturating_sub(worst.late_ns));
    out.push(f);
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
    let label = trace.label(t);
    out.push(Finding::new(
        FindingKind::BlockingPoolSaturated,
        Severity::Warning,
        |l| {
            let args = (queued, fmt_ms(wait), label.as_str(), t.id, threads);
            if asyncio {
                FindingText {
                    message: t!(
                        l,
                        "finding-executor-saturated",
                        jobs = args.0,
                        wait = args.1,
                        task = args.2,
                        id = args.3,
                        threads = args.4
                    ),
                    cause: t!(l, "finding-executor-saturated-cause"),
                    remedy: t!(l, "finding-executor-saturated-remedy"),
                }
            } else {
                FindingText {
                    message: t!(
                        l,
                        "finding-blocking-saturated",
                        jobs = args.0,
                        wait = args.1,
                        task = args.2,
                        id = args.3,
                        threads = args.4
                    ),
                    cause: t!(l, "finding-blocking-saturated-cause"),
                    remedy: t!(l, "finding-blocking-saturated-remedy"),
                }
            }
        },
        Some(t.id),
        None,
        (spawn, spawn + wait),
    ));
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
        let label = trace.task_by_id(task).map(|t| trace.label(t));
        let longest = reqs.iter().map(|(s, e)| e - s).max().unwrap_or(0);
        let share = format!("{:.0}", waited as f64 * 100.0 / wall as f64);
        out.push(Finding::new(
            FindingKind::SequentialAwaits,
            Severity::Warning,
            |l| FindingText {
                message: t!(
                    l,
                    "finding-sequential-awaits",
                    task =
                        label
                            .clone()
                            .unwrap_or_else(|| t!(l, "finding-task-fallback", id = task)),
                    id = task,
                    requests = reqs.len(),
                    waited = fmt_ms(waited),
                    share = share.as_str(),
                    overlapped = fmt_ms(longest)
                ),
                cause: t!(l, "finding-sequential-awaits-cause"),
                remedy: t!(l, "finding-sequential-awaits-remedy"),
            },
            Some(task),
            None,
            (reqs[0].0, reqs[reqs.len() - 1].1),
        ));
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
    out.push(Finding::new(
        FindingKind::RateLimited,
        Severity::Error,
        |l| FindingText {
            message: t!(
                l,
                "finding-rate-limited",
                refused = rejected.len(),
                requests = trace.http.len(),
                peak = peak
            ),
            cause: t!(l, "finding-rate-limited-cause"),
            remedy: t!(l, "finding-rate-limited-remedy"),
        },
        first.task,
        None,
        (
            first.start_ns,
            rejected
                .iter()
                .filter_map(|h| h.end_ns)
                .max()
                .unwrap_or(first.start_ns),
        ),
    ));
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
        let label = trace.label(t);
        out.push(Finding::new(
            FindingKind::LostWakeup,
            Severity::Error,
            |l| FindingText {
                message: t!(
                    l,
                    "finding-lost-wakeup",
                    task = label.as_str(),
                    id = t.id,
                    at = fmt_ms(last.end_ns()),
                    waited = fmt_ms(end.saturating_sub(last.end_ns()))
                ),
                cause: t!(l, "finding-lost-wakeup-cause"),
                remedy: t!(l, "finding-lost-wakeup-remedy"),
            },
            Some(t.id),
            None,
            (last.end_ns(), end),
        ));
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
