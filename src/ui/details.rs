//! The details panel: everything the trace knows about the selected task or poll.

use egui::Ui;

use super::timeline::axis::format_ns;
use super::timeline::{Selection, task_kind};
use crate::i18n::Language;
use crate::t;
use crate::trace::{Outcome, PollOutcome, TaskState, Trace, WakeSource};

/// Facts about one task, computed from the trace (kept apart from drawing for tests).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskFacts {
    pub polls: usize,
    pub wakes: usize,
    /// Wakes by the task itself, during its own poll.
    pub self_wakes: usize,
    /// Polls on another worker than the previous poll.
    pub migrations: usize,
    pub busy_ns: u64,
    pub longest_poll_ns: u64,
    pub mean_sched_delay_ns: u64,
    pub max_sched_delay_ns: u64,
}

pub fn task_facts(trace: &Trace, task: u32) -> TaskFacts {
    let durations: Vec<u64> = trace
        .task_polls(task)
        .iter()
        .map(|r| trace.poll(*r).duration_ns())
        .collect();
    let delays = trace.sched_delays_ns(task);
    TaskFacts {
        polls: trace.task_polls(task).len(),
        wakes: trace.task_wakes(task).len(),
        self_wakes: trace.self_wakes(task),
        migrations: trace.migrations(task),
        busy_ns: durations.iter().sum(),
        longest_poll_ns: durations.iter().copied().max().unwrap_or(0),
        mean_sched_delay_ns: if delays.is_empty() {
            0
        } else {
            delays.iter().sum::<u64>() / delays.len() as u64
        },
        max_sched_delay_ns: delays.iter().copied().max().unwrap_or(0),
    }
}

/// One step of a task's program, as the details list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRow {
    pub step: u32,
    pub label: String,
    pub line: u32,
    pub depth: u8,
    /// Time the task spent inside it, over all its entries.
    pub time_ns: u64,
    /// How many times it was entered (a `repeat` enters its steps many times).
    pub entries: u32,
    /// Inside it at the moment asked about.
    pub open: bool,
    /// The innermost step open then: where the state machine is (its program counter).
    pub current: bool,
}

/// The steps task `task` entered, in the order the file lists them, with the time spent
/// in each and which are open at `at_ns`.
pub fn step_rows(trace: &Trace, task: u32, at_ns: Option<u64>) -> Vec<StepRow> {
    let spans = trace.task_step_spans(task);
    let mut rows: Vec<StepRow> = Vec::new();
    for s in &spans {
        let i = match rows.binary_search_by_key(&s.step, |r| r.step) {
            Ok(i) => i,
            Err(i) => {
                let info = trace.steps.get(s.step as usize);
                rows.insert(
                    i,
                    StepRow {
                        step: s.step,
                        label: info.map_or_else(|| format!("step {}", s.step), |i| i.label.clone()),
                        line: info.map_or(0, |i| i.line),
                        depth: info.map_or(0, |i| i.depth),
                        time_ns: 0,
                        entries: 0,
                        open: false,
                        current: false,
                    },
                );
                i
            }
        };
        let row = &mut rows[i];
        row.time_ns += s.end_ns - s.start_ns;
        row.entries += 1;
        if at_ns.is_some_and(|t| s.start_ns <= t && t < s.end_ns) {
            row.open = true;
        }
    }
    // The innermost open step: the one entered last among those open.
    let current = at_ns.and_then(|t| {
        spans
            .iter()
            .filter(|s| s.start_ns <= t && t < s.end_ns)
            .max_by_key(|s| s.start_ns)
            .map(|s| s.step)
    });
    for r in &mut rows {
        r.current = Some(r.step) == current;
    }
    rows
}

/// The step list: a row per step, indented as in the file, the current one marked.
fn steps_ui(ui: &mut Ui, rows: &[StepRow], at_ns: Option<u64>, l: Language) {
    ui.separator();
    ui.strong(t!(l, "steps"));
    ui.weak(match at_ns {
        Some(at) => t!(l, "steps-marker", at = format_ns(at as f64)),
        None => t!(l, "steps-point"),
    });
    egui::Grid::new("task steps")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for r in rows {
                let indent = "   ".repeat(r.depth as usize);
                let text = if r.current {
                    format!("> {indent}{}", r.label)
                } else {
                    format!("   {indent}{}", r.label)
                };
                let label = egui::RichText::new(text);
                let label = if r.current {
                    label.strong()
                } else if r.open {
                    label
                } else {
                    label.weak()
                };
                ui.label(label);
                ui.weak(if r.line > 0 {
                    t!(l, "step-line", line = r.line)
                } else {
                    String::new()
                });
                let entries = if r.entries > 1 {
                    format!(" ×{}", r.entries)
                } else {
                    String::new()
                };
                ui.label(format!("{}{entries}", format_ns(r.time_ns as f64)));
                ui.end_row();
            }
        });
}

/// Returns a selection to switch to (clicking the parent). `at_ns` is the moment whose
/// step the step list marks.
#[must_use]
pub fn details_ui(
    ui: &mut Ui,
    trace: &Trace,
    selection: Option<Selection>,
    at_ns: Option<u64>,
    l: Language,
) -> Option<Selection> {
    let Some(sel) = selection else {
        ui.weak(t!(l, "details-hint"));
        return None;
    };
    let Some(ti) = trace.task_index(sel.task()) else {
        ui.weak(t!(l, "details-not-in-run"));
        return None;
    };
    let t = &trace.tasks[ti as usize];
    let mut jump = None;
    ui.heading(trace.title(t));
    let facts = task_facts(trace, ti);
    ui.label(t!(
        l,
        "details-summary",
        polls = facts.polls,
        wakes = facts.wakes,
        busy = format_ns(facts.busy_ns as f64)
    ));
    egui::Grid::new("task facts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let row = |ui: &mut Ui, k: String, v: String| {
                ui.label(k);
                ui.label(v);
                ui.end_row();
            };
            row(ui, "id".into(), t.id.to_string());
            row(ui, t!(l, "fact-kind"), task_kind(t.kind, l));
            if let Some(loc) = trace.location(t) {
                row(
                    ui,
                    t!(l, "fact-spawned-at"),
                    spawned_at(trace, t, &loc.to_string(), l),
                );
            }
            if let Some(s) = t.spawn_ns() {
                row(ui, t!(l, "fact-spawn-time"), format_ns(s as f64));
            }
            ui.label(t!(l, "fact-parent"));
            match t.parent().and_then(|p| trace.task_by_id(p)) {
                Some(p) => {
                    if ui.link(trace.title(p)).clicked() {
                        jump = Some(Selection::Task(p.id));
                    }
                }
                None => {
                    ui.label(t!(l, "fact-no-parent"));
                }
            }
            ui.end_row();
            row(ui, t!(l, "fact-polls"), facts.polls.to_string());
            row(
                ui,
                t!(l, "fact-wakes"),
                t!(
                    l,
                    "fact-wakes-value",
                    wakes = facts.wakes,
                    itself = facts.self_wakes
                ),
            );
            row(ui, t!(l, "fact-migrations"), facts.migrations.to_string());
            row(ui, t!(l, "fact-busy"), format_ns(facts.busy_ns as f64));
            row(
                ui,
                t!(l, "fact-longest-poll"),
                format_ns(facts.longest_poll_ns as f64),
            );
            row(
                ui,
                t!(l, "fact-scheduling-delay"),
                t!(
                    l,
                    "fact-mean-max",
                    mean = format_ns(facts.mean_sched_delay_ns as f64),
                    max = format_ns(facts.max_sched_delay_ns as f64)
                ),
            );
            let outcome = match (t.outcome, t.end_ns()) {
                (Some(o), Some(end)) => t!(
                    l,
                    "fact-outcome-at",
                    outcome = outcome_word(o, l),
                    at = format_ns(end as f64)
                ),
                _ => t!(l, "fact-still-running"),
            };
            row(ui, t!(l, "fact-outcome"), outcome);
            if t.outcome == Some(Outcome::Panicked) {
                row(
                    ui,
                    "panic".into(),
                    trace
                        .panic_message(t)
                        .map_or_else(|| t!(l, "fact-no-message"), str::to_string),
                );
            }
        });

    let rows = step_rows(trace, ti, at_ns);
    if !rows.is_empty() {
        steps_ui(ui, &rows, at_ns, l);
    }

    if let Selection::Poll { start_ns, .. } = sel
        && let Some(r) = trace
            .task_polls(ti)
            .iter()
            .find(|r| trace.poll(**r).start_ns == start_ns)
    {
        let p = trace.poll(*r);
        ui.separator();
        ui.strong(t!(l, "selected-poll"));
        ui.label(t!(
            l,
            "selected-poll-text",
            lane = trace.lanes[r.lane as usize].name.as_str(),
            at = format_ns(p.start_ns as f64),
            duration = format_ns(p.duration_ns() as f64),
            ended = match p.outcome() {
                PollOutcome::Pending => t!(l, "selected-poll-pending"),
                PollOutcome::Ready => t!(l, "selected-poll-ready"),
            }
        ));
        let wake = trace
            .polls_with_wakes(ti)
            .into_iter()
            .find(|(pr, _)| pr == r)
            .and_then(|(_, w)| w);
        let delay = trace
            .task_states(ti)
            .into_iter()
            .find(|s| s.state == TaskState::Scheduled && s.end_ns == start_ns)
            .map_or(0, |s| s.end_ns - s.start_ns);
        let who = match wake.map(|w| (w, trace.wake_source(&w))) {
            Some((_, WakeSource::Task(b))) => {
                let b = &trace.tasks[b as usize];
                if b.kind == crate::trace::TaskKind::CpuJob {
                    t!(l, "woken-by-cpu-job", task = trace.title(b))
                } else {
                    t!(l, "woken-by-other-task", task = trace.title(b))
                }
            }
            Some((_, WakeSource::SelfWake)) => t!(l, "woken-by-itself"),
            Some((w, WakeSource::Blocking)) => match w.by() {
                Some(b) => {
                    let b = &trace.tasks[b as usize];
                    t!(l, "woken-by-blocking-task", task = trace.title(b))
                }
                None => t!(l, "woken-by-blocking-thread"),
            },
            Some((_, WakeSource::Driver)) => t!(l, "woken-by-driver"),
            None => t!(l, "woken-by-spawn"),
        };
        let at = wake.map_or(t.spawn_ns().unwrap_or(0), |w| w.ts_ns());
        ui.label(t!(
            l,
            "selected-poll-wake",
            who = who,
            at = format_ns(at as f64),
            delay = format_ns(delay as f64),
            lane = trace.lanes[r.lane as usize].name.as_str()
        ));
    }
    jump
}

/// A task's outcome in words.
fn outcome_word(o: Outcome, l: Language) -> String {
    match o {
        Outcome::Ok => t!(l, "outcome-ok"),
        Outcome::Panicked => t!(l, "outcome-panicked"),
        Outcome::Cancelled => t!(l, "outcome-cancelled"),
        Outcome::Shutdown => t!(l, "outcome-shutdown"),
    }
}

/// Where a task was spawned, in the learner's terms: for the tasks of the scenario (which
/// our interpreter spawns from its own source, a path under `src/`) the line of the
/// scenario file its first step is written on; for a library's task, its spawn location.
fn spawned_at(trace: &Trace, t: &crate::trace::Task, location: &str, l: Language) -> String {
    if !location.starts_with("src/") {
        return location.to_string();
    }
    let first_step = trace
        .task_index(t.id)
        .and_then(|ti| trace.task_step_marks(ti).first())
        .and_then(|m| trace.steps.get(m.step as usize));
    match first_step {
        Some(st) if st.kind == "heartbeat" => t!(l, "spawned-by-heartbeat"),
        Some(st) if st.line > 0 => t!(l, "spawned-by-scenario-line", line = st.line),
        _ => t!(l, "spawned-by-scenario"),
    }
}
