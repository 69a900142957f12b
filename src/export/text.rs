//! The readable summary `asyncscope run` prints.

use std::fmt::Write as _;

use crate::trace::Summary;

pub fn render(s: &Summary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "scenario   {}", s.scenario);
    let _ = writeln!(
        o,
        "wall time  {:.1} ms{}",
        s.wall_ms,
        if s.stopped {
            "  (stopped before the end)"
        } else {
            ""
        }
    );
    let t = &s.tasks;
    let _ = writeln!(
        o,
        "tasks      {} spawned ({} on the blocking pool{}): {} completed, {} panicked, {} cancelled, {} at shutdown, {} unfinished",
        t.spawned,
        t.blocking,
        if t.cpu_jobs > 0 {
            format!(", {} CPU-pool jobs", t.cpu_jobs)
        } else {
            String::new()
        },
        t.completed,
        t.panicked,
        t.cancelled,
        t.at_shutdown,
        t.unfinished
    );
    if t.at_shutdown > 0 && !s.stopped {
        let _ = writeln!(
            o,
            "           (at shutdown: still alive when the runtime shut down, such as pooled HTTP connections; cancelled: aborted by the scenario)"
        );
    }
    let _ = writeln!(o, "polls      {}   wakes {}", s.polls, s.wakes);
    match &s.longest_poll {
        Some(l) => {
            let _ = writeln!(
                o,
                "longest    {:.3} ms poll of `{}` (task {}) on {} at {:.1} ms",
                l.ms, l.name, l.task, l.lane, l.at_ms
            );
        }
        None => {
            let _ = writeln!(o, "longest    no worker polls");
        }
    }
    let _ = writeln!(
        o,
        "slow polls {} over {} ms (a worker was blocked that long)",
        s.slow_polls, s.slow_poll_threshold_ms
    );
    let d = &s.sched_delay_ms;
    let _ = writeln!(
        o,
        "sched delay  p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms  (wake → poll, {} polls)",
        d.p50, d.p99, d.max, d.count
    );
    if let Some(h) = &s.heartbeat_late_ms {
        let _ = writeln!(
            o,
            "heartbeat late  p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms  ({} ticks)",
            h.p50, h.p99, h.max, h.count
        );
    }
    if s.http.requests > 0 {
        let statuses: Vec<String> = s
            .http
            .status
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let _ = writeln!(
            o,
            "http       {} requests ({}), at most {} in flight",
            s.http.requests,
            statuses.join(", "),
            s.http.max_in_flight
        );
    }
    let m = &s.metrics;
    if m.samples > 0 {
        let _ = writeln!(
            o,
            "runtime    busy {:.0}% mean, {:.0}% peak (busiest worker {:.0}%); queues peak global {}, local {}, blocking {}; {} steals, {} parks ({} samples every {} ms)",
            m.busy_ratio_mean * 100.0,
            m.busy_ratio_max * 100.0,
            m.max_worker_busy_ratio * 100.0,
            m.max_global_queue,
            m.max_local_queue,
            m.max_blocking_queue,
            m.steals,
            m.parks,
            m.samples,
            m.interval_ms
        );
    }
    if !m.worker_busy_ratio_mean.is_empty() {
        let per: Vec<String> = m
            .worker_busy_ratio_mean
            .iter()
            .map(|b| format!("{:.0}%", b * 100.0))
            .collect();
        let _ = writeln!(o, "           busy per tokio worker: {}", per.join(", "));
    }
    for g in &m.task_groups {
        let _ = writeln!(
            o,
            "  group {:<14} {:>6} tasks  first poll after {:.3} ms, woken→polled {:.3} ms, poll {:.3} ms, slow polls {:.0}%",
            g.name,
            g.tasks,
            g.mean_first_poll_delay_ms,
            g.mean_scheduled_ms,
            g.mean_poll_ms,
            g.slow_poll_ratio * 100.0
        );
    }
    let r = &s.resources;
    for (name, p) in &r.semaphores {
        let _ = writeln!(
            o,
            "semaphore  {name}: at most {} of {} permits held, at most {} tasks waiting for one",
            p.max_held, p.permits, p.max_waiting
        );
    }
    for (name, c) in &r.channels {
        let _ = writeln!(
            o,
            "channel    {name}: at most {} of {} messages queued",
            c.max_queued, c.capacity
        );
    }
    if r.blocking_pool.max_running > 0 {
        let _ = writeln!(
            o,
            "blocking   at most {} jobs running, {} waiting for a thread",
            r.blocking_pool.max_running, r.blocking_pool.max_waiting
        );
    }
    if !s.groups.is_empty() {
        let _ = writeln!(o, "task time (each group's tasks, spawn to end)");
        for (name, g) in &s.groups {
            let _ = writeln!(
                o,
                "  {name} ({} task{}): {}",
                g.tasks,
                if g.tasks == 1 { "" } else { "s" },
                g.sentence()
            );
        }
    }
    let _ = writeln!(o, "lanes");
    for l in &s.lanes {
        let _ = write!(
            o,
            "  {:<12} {:>7} polls  busy {:>10.3} ms",
            l.name, l.polls, l.busy_ms
        );
        if l.kind == "worker" {
            let _ = write!(o, "  parked {:>10.3} ms ({} times)", l.parked_ms, l.parks);
        }
        let _ = writeln!(o);
    }
    let sc = &s.scheduler;
    let w = &sc.wakes_by_source;
    // On asyncio, what wakes a task between steps is the loop itself (its selector, its
    // timers), and the default executor is the blocking pool.
    let (driver, pool) = if s.runtime == "asyncio" {
        ("by the loop (I/O, timers)", "by the executor")
    } else {
        ("by the driver", "by the blocking pool")
    };
    let _ = writeln!(
        o,
        "scheduler  {} parks, {} migrations, {} self-wakes; wakes by another task {}, by itself {}, {driver} {}, {pool} {}",
        sc.parks, sc.migrations, sc.self_wakes, w.task, w.self_, w.driver, w.blocking
    );
    for p in &s.panics {
        let _ = writeln!(o, "panic      task {} `{}`: {}", p.task, p.name, p.message);
    }
    if s.findings.is_empty() {
        let _ = writeln!(
            o,
            "findings   none: nothing stalled, queued, repeated or was refused"
        );
    }
    for f in &s.findings {
        let sev = match f.severity {
            crate::trace::Severity::Error => "error",
            crate::trace::Severity::Warning => "warning",
            crate::trace::Severity::Info => "info",
        };
        let _ = writeln!(o, "finding    [{sev}] {} (at {:.1} ms)", f.message, f.at_ms);
        let _ = writeln!(o, "           why: {}", f.cause);
        let _ = writeln!(o, "           fix: {}", f.remedy);
    }
    for e in &s.run_errors {
        let _ = writeln!(o, "run error  {e}");
    }
    for n in &s.notes {
        let _ = writeln!(o, "note       {n}");
    }
    let _ = write!(
        o,
        "events     {} captured, {} dropped",
        s.events, s.events_dropped
    );
    if let Some(n) = s.truncated_at_events {
        let _ = write!(
            o,
            "\ntruncated  at {n} events: the memory cap (max_events) was reached and the rest of the run was not recorded"
        );
    } else if s.events_dropped > 0 {
        let _ = write!(
            o,
            "  (the capture channel was full: the trace is incomplete)"
        );
    }
    o.push('\n');
    // The `print` lines come last, in time order, as a program's output would.
    if !s.prints.is_empty() {
        let _ = writeln!(o, "output     {} lines printed", s.prints.len());
        for p in &s.prints {
            let who = match (&p.name, p.task) {
                (Some(name), Some(id)) => format!("{name} #{id}"),
                _ => "-".to_string(),
            };
            let _ = writeln!(o, "  {:>10.3} ms  {who:<16} {}", p.time, p.text);
        }
    }
    o
}
