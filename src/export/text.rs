//! The readable summary `asyncscope run` prints, in the language asked for (`--lang`, or
//! the environment). The JSON summary is the machines' version and stays English.

use std::fmt::Write as _;

use crate::i18n::{Language, columns};
use crate::t;
use crate::trace::{Reveal, Summary};

/// The summary in English.
pub fn render(s: &Summary) -> String {
    render_in(s, Language::English)
}

/// A line's heading, padded so that what follows starts in column 12 (or two spaces
/// later, for a longer heading).
fn head(label: &str) -> String {
    let w = columns(label);
    let pad = if w < 11 { 11 - w } else { 2 };
    format!("{label}{}", " ".repeat(pad))
}

/// A line: its heading, padded, then what follows.
fn line(o: &mut String, heading: &str, body: impl std::fmt::Display) {
    let _ = writeln!(o, "{}{body}", head(heading));
}

/// The continuation lines' indent, under the headings' column.
const INDENT: &str = "           ";

/// The reveal, for the end of the summary: each figure the scenario asked the room to
/// predict, the guess (— without one), what the run measured, and how far off the guess was.
pub fn render_reveal(reveals: &[Reveal], l: Language) -> String {
    let mut o = String::new();
    for (i, r) in reveals.iter().enumerate() {
        let heading = if i == 0 {
            head(&t!(l, "sum-predicted"))
        } else {
            INDENT.to_string()
        };
        let off = r
            .off_by()
            .map_or_else(String::new, |off| format!("  {off}"));
        let text = t!(
            l,
            "sum-reveal-line",
            figure = r.figure.short_name(l),
            guess = r.guess_text(),
            actual = r.actual_text(l)
        );
        let _ = writeln!(o, "{heading}{text}{off}");
    }
    o
}

pub fn render_in(s: &Summary, l: Language) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}{}", head(&t!(l, "sum-scenario")), s.scenario);
    let stopped = if s.stopped {
        t!(l, "sum-stopped-before-end")
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "{}{:.1} ms{stopped}",
        head(&t!(l, "sum-wall-time")),
        s.wall_ms
    );
    let t = &s.tasks;
    let cpu = if t.cpu_jobs > 0 {
        t!(l, "sum-cpu-jobs", count = t.cpu_jobs)
    } else {
        String::new()
    };
    line(
        &mut o,
        &t!(l, "sum-tasks"),
        t!(
            l,
            "sum-tasks-line",
            spawned = t.spawned,
            blocking = t.blocking,
            cpu = cpu,
            completed = t.completed,
            panicked = t.panicked,
            cancelled = t.cancelled,
            shutdown = t.at_shutdown,
            unfinished = t.unfinished
        ),
    );
    if t.at_shutdown > 0 && !s.stopped {
        let _ = writeln!(o, "{INDENT}{}", t!(l, "sum-at-shutdown-note"));
    }
    line(
        &mut o,
        &t!(l, "sum-polls"),
        t!(l, "sum-polls-line", polls = s.polls, wakes = s.wakes),
    );
    let longest = match &s.longest_poll {
        Some(p) => t!(
            l,
            "sum-longest-line",
            ms = format!("{:.3}", p.ms),
            task = p.name.as_str(),
            id = p.task,
            lane = p.lane.as_str(),
            at = format!("{:.1}", p.at_ms)
        ),
        None => t!(l, "sum-no-worker-polls"),
    };
    let _ = writeln!(o, "{}{longest}", head(&t!(l, "sum-longest")));
    line(
        &mut o,
        &t!(l, "sum-slow-polls"),
        t!(
            l,
            "sum-slow-polls-line",
            count = s.slow_polls,
            threshold = s.slow_poll_threshold_ms
        ),
    );
    // p50, p99 and max in ms, three decimals, as both percentile lines show them.
    let ms3 = |p: &crate::trace::stats::Percentiles| {
        (
            format!("{:.3}", p.p50),
            format!("{:.3}", p.p99),
            format!("{:.3}", p.max),
        )
    };
    let (p50, p99, max) = ms3(&s.sched_delay_ms);
    line(
        &mut o,
        &t!(l, "sum-sched-delay"),
        t!(
            l,
            "sum-sched-delay-line",
            p50 = p50,
            p99 = p99,
            max = max,
            count = s.sched_delay_ms.count
        ),
    );
    if let Some(h) = &s.heartbeat_late_ms {
        let (p50, p99, max) = ms3(h);
        line(
            &mut o,
            &t!(l, "sum-heartbeat-late"),
            t!(
                l,
                "sum-heartbeat-line",
                p50 = p50,
                p99 = p99,
                max = max,
                count = h.count
            ),
        );
    }
    if s.http.requests > 0 {
        let statuses: Vec<String> = s
            .http
            .status
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        line(
            &mut o,
            &t!(l, "sum-http"),
            t!(
                l,
                "sum-http-line",
                requests = s.http.requests,
                statuses = statuses.join(", "),
                peak = s.http.max_in_flight
            ),
        );
    }
    let m = &s.metrics;
    if m.samples > 0 {
        let pct = |r: f64| format!("{:.0}", r * 100.0);
        line(
            &mut o,
            &t!(l, "sum-runtime"),
            t!(
                l,
                "sum-runtime-line",
                mean = pct(m.busy_ratio_mean),
                peak = pct(m.busy_ratio_max),
                busiest = pct(m.max_worker_busy_ratio),
                global = m.max_global_queue,
                local = m.max_local_queue,
                blocking = m.max_blocking_queue,
                steals = m.steals,
                parks = m.parks,
                samples = m.samples,
                interval = m.interval_ms
            ),
        );
    }
    if !m.worker_busy_ratio_mean.is_empty() {
        let per: Vec<String> = m
            .worker_busy_ratio_mean
            .iter()
            .map(|b| format!("{:.0}%", b * 100.0))
            .collect();
        let _ = writeln!(
            o,
            "{INDENT}{}",
            t!(l, "sum-busy-per-worker", busy = per.join(", "))
        );
    }
    for g in &m.task_groups {
        let _ = writeln!(
            o,
            "  {} {:<14} {:>6} {}",
            t!(l, "sum-group"),
            g.name,
            g.tasks,
            t!(
                l,
                "sum-group-line",
                first = format!("{:.3}", g.mean_first_poll_delay_ms),
                woken = format!("{:.3}", g.mean_scheduled_ms),
                poll = format!("{:.3}", g.mean_poll_ms),
                slow = format!("{:.0}", g.slow_poll_ratio * 100.0)
            )
        );
    }
    let r = &s.resources;
    for (name, p) in &r.semaphores {
        line(
            &mut o,
            &t!(l, "sum-semaphore"),
            t!(
                l,
                "sum-semaphore-line",
                name = name.as_str(),
                held = p.max_held,
                permits = p.permits,
                waiting = p.max_waiting
            ),
        );
    }
    for (name, c) in &r.channels {
        line(
            &mut o,
            &t!(l, "sum-channel"),
            t!(
                l,
                "sum-channel-line",
                name = name.as_str(),
                queued = c.max_queued,
                capacity = c.capacity
            ),
        );
    }
    if r.blocking_pool.max_running > 0 {
        line(
            &mut o,
            &t!(l, "sum-blocking"),
            t!(
                l,
                "sum-blocking-line",
                running = r.blocking_pool.max_running,
                waiting = r.blocking_pool.max_waiting
            ),
        );
    }
    if !s.groups.is_empty() {
        let _ = writeln!(o, "{}", t!(l, "sum-task-time"));
        for (name, g) in &s.groups {
            let _ = writeln!(
                o,
                "  {}",
                t!(
                    l,
                    "sum-task-time-line",
                    name = name.as_str(),
                    tasks = g.tasks,
                    sentence = g.sentence(l)
                )
            );
        }
    }
    let _ = writeln!(o, "{}", t!(l, "sum-lanes"));
    for lane in &s.lanes {
        let _ = write!(
            o,
            "  {:<12} {}",
            lane.name,
            t!(
                l,
                "sum-lane-line",
                polls = format!("{:>7}", lane.polls),
                busy = format!("{:>10.3}", lane.busy_ms)
            )
        );
        if lane.kind == "worker" {
            let _ = write!(
                o,
                "  {}",
                t!(
                    l,
                    "sum-lane-parked",
                    parked = format!("{:>10.3}", lane.parked_ms),
                    parks = lane.parks
                )
            );
        }
        let _ = writeln!(o);
    }
    let sc = &s.scheduler;
    let w = &sc.wakes_by_source;
    // On asyncio, what wakes a task between steps is the loop itself (its selector, its
    // timers), and the default executor is the blocking pool.
    let scheduler = if s.runtime == "asyncio" {
        t!(
            l,
            "sum-scheduler-asyncio",
            parks = sc.parks,
            migrations = sc.migrations,
            selfwakes = sc.self_wakes,
            task = w.task,
            itself = w.self_,
            driver = w.driver,
            pool = w.blocking
        )
    } else {
        t!(
            l,
            "sum-scheduler-tokio",
            parks = sc.parks,
            migrations = sc.migrations,
            selfwakes = sc.self_wakes,
            task = w.task,
            itself = w.self_,
            driver = w.driver,
            pool = w.blocking
        )
    };
    line(&mut o, &t!(l, "sum-scheduler"), scheduler);
    for p in &s.panics {
        line(
            &mut o,
            "panic",
            t!(
                l,
                "sum-panic-line",
                id = p.task,
                name = p.name.as_str(),
                message = p.message.as_str()
            ),
        );
    }
    if s.findings.is_empty() {
        line(
            &mut o,
            &t!(l, "findings-heading"),
            t!(l, "sum-findings-none"),
        );
    }
    for f in &s.findings {
        let sev = match f.severity {
            crate::trace::Severity::Error => t!(l, "severity-error"),
            crate::trace::Severity::Warning => t!(l, "severity-warning"),
            crate::trace::Severity::Info => t!(l, "severity-info"),
        };
        let text = f.text(l);
        line(
            &mut o,
            &t!(l, "finding-heading"),
            t!(
                l,
                "sum-finding-line",
                severity = sev,
                message = text.message,
                at = format!("{:.1}", f.at_ms)
            ),
        );
        let _ = writeln!(o, "{INDENT}{}", t!(l, "sum-why", cause = text.cause));
        let _ = writeln!(o, "{INDENT}{}", t!(l, "sum-fix", remedy = text.remedy));
    }
    for e in &s.run_errors {
        let _ = writeln!(o, "{}{e}", head(&t!(l, "sum-run-error")));
    }
    for n in &s.notes {
        let _ = writeln!(o, "{}{n}", head(&t!(l, "sum-note")));
    }
    let _ = write!(
        o,
        "{}{}",
        head(&t!(l, "sum-events")),
        t!(
            l,
            "sum-events-line",
            events = s.events,
            dropped = s.events_dropped
        )
    );
    if let Some(n) = s.truncated_at_events {
        let _ = write!(
            o,
            "\n{}{}",
            head(&t!(l, "sum-truncated")),
            t!(l, "sum-truncated-line", events = n)
        );
    } else if s.events_dropped > 0 {
        let _ = write!(o, "  {}", t!(l, "sum-dropped-note"));
    }
    o.push('\n');
    // The `print` lines come last, in time order, as a program's output would.
    if !s.prints.is_empty() {
        line(
            &mut o,
            &t!(l, "output-heading"),
            t!(l, "sum-output-line", count = s.prints.len()),
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_line_up_in_both_languages() {
        assert_eq!(head("scenario"), "scenario   ");
        assert_eq!(head("slow polls"), "slow polls ");
        assert_eq!(head("sched delay"), "sched delay  ");
        // Two columns per CJK character: 场景 is four columns wide.
        assert_eq!(head("场景"), "场景       ");
        assert_eq!(columns(&head("场景")), 11);
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        let en = Language::English;
        let line = t!(
            en,
            "sum-scheduler-tokio",
            parks = 1,
            migrations = 1,
            selfwakes = 1,
            task = 0,
            itself = 0,
            driver = 0,
            pool = 0
        );
        assert!(
            line.starts_with("1 park, 1 migration, 1 self-wake;"),
            "{line}"
        );
        let ticks = |count: u64| {
            t!(
                en,
                "sum-heartbeat-line",
                p50 = "1",
                p99 = "1",
                max = "1",
                count = count
            )
        };
        assert!(ticks(1).ends_with("(1 tick)"), "{}", ticks(1));
        assert!(ticks(3).ends_with("(3 ticks)"), "{}", ticks(3));
        let printed = t!(en, "sum-output-line", count = 1);
        assert_eq!(printed, "1 line printed");
    }
}
