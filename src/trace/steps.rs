//! Where each task is in its program: the run's step table (what each step of the scenario
//! is, the line it is written on, what a task in it waits for), the marks the interpreter
//! records when a task enters and leaves a step, and the reasons of waits. tokio knows that a
//! task is pending; only the interpreter knows at which `.await`.

use serde::{Deserialize, Serialize};

/// What a pending task waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// An HTTP request's answer (`http_get`).
    Http,
    /// A timer (`sleep_ms`).
    Timer,
    /// A semaphore's permit (`permit`).
    Permit,
    /// Futures joined inside the task (`join`), or spawned children (`spawn … wait`).
    Join,
    /// Room in a full channel (`send_to`).
    ChannelSend,
    /// A message from an empty channel (`recv_from`, `recv_ready`).
    ChannelRecv,
    /// Its offloaded job: running on the blocking pool, or waiting for a thread there.
    Blocking,
    /// `yield_now`: it gave its worker away and is ready again at once.
    Yield,
    /// `forget_wake`: nothing will ever wake it.
    Never,
    /// No step of ours: a library task woken by the I/O or timer driver (or dropped while
    /// it waited on its socket).
    Io,
    /// No step of ours, or none that waits.
    Other,
    /// A one-shot result another task has not set yet (`await_result`: a Future awaited).
    /// Last, so that older trace files keep their reasons' numbers.
    Result,
    /// Its job on the scenario's CPU pool (`cpu_pool_ms`): running, or queued for a thread.
    CpuPool,
}

impl WaitReason {
    pub const ALL: [WaitReason; 13] = [
        WaitReason::Http,
        WaitReason::Timer,
        WaitReason::Permit,
        WaitReason::Join,
        WaitReason::ChannelSend,
        WaitReason::ChannelRecv,
        WaitReason::Blocking,
        WaitReason::Yield,
        WaitReason::Never,
        WaitReason::Io,
        WaitReason::Other,
        WaitReason::Result,
        WaitReason::CpuPool,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::Http => "http",
            WaitReason::Timer => "timer",
            WaitReason::Permit => "permit",
            WaitReason::Join => "join",
            WaitReason::ChannelSend => "channel_send",
            WaitReason::ChannelRecv => "channel_recv",
            WaitReason::Blocking => "blocking",
            WaitReason::Yield => "yield",
            WaitReason::Never => "never",
            WaitReason::Io => "io",
            WaitReason::Other => "other",
            WaitReason::Result => "result",
            WaitReason::CpuPool => "cpu_pool",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// In a sentence: "62% waiting for a permit".
    pub fn phrase_in(self, l: crate::i18n::Language) -> String {
        use crate::t;
        match self {
            WaitReason::Http => t!(l, "wait-http"),
            WaitReason::Timer => t!(l, "wait-timer"),
            WaitReason::Permit => t!(l, "wait-permit"),
            WaitReason::Join => t!(l, "wait-join"),
            WaitReason::ChannelSend => t!(l, "wait-send"),
            WaitReason::ChannelRecv => t!(l, "wait-recv"),
            WaitReason::Blocking => t!(l, "wait-blocking"),
            WaitReason::Yield => t!(l, "wait-yield"),
            WaitReason::Never => t!(l, "wait-never"),
            WaitReason::Io => t!(l, "wait-io"),
            WaitReason::Other => t!(l, "wait-other"),
            WaitReason::Result => t!(l, "wait-result"),
            WaitReason::CpuPool => t!(l, "wait-cpu-pool"),
        }
    }

    /// The same in English (summaries for machines, and English texts).
    pub fn phrase(self) -> String {
        self.phrase_in(crate::i18n::Language::English)
    }
}

/// One entry of the run's step table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInfo {
    /// The step's key in the file (`http_get`, `sleep_ms`, `permit`, …).
    pub kind: String,
    /// What it does, short: `GET /items`, `sleep 1000 ms`, `permit api`, `join ×5`.
    pub label: String,
    /// The line of the scenario file it is written on (0: not from a file).
    pub line: u32,
    /// How deep it is nested in its task's steps (0: a top-level step).
    pub depth: u8,
    /// What a task pending inside this step waits for (None: the steps inside it say,
    /// or it never waits: `cpu_ms`, `block_ms`).
    pub wait: Option<WaitReason>,
    /// The resource or step it waits on: `api`, `GET /items`, `sleep 1000 ms`.
    pub on: String,
}

/// A task entered (or left) step `step` at `ts_ns`, as the interpreter recorded it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepMark {
    pub ts_ns: u64,
    pub step: u32,
    pub enter: bool,
}

/// A task's time inside one step: entered at `start_ns`, left at `end_ns`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepSpan {
    pub step: u32,
    pub start_ns: u64,
    pub end_ns: u64,
}

/// Pairs a task's marks into spans, sorted by start; a step still open at `end_ns` (the
/// task's end, or the trace's) ends there. Marks of different polls may come in any
/// order (batches of different threads), so they are sorted by time first.
pub fn spans_from_marks(marks: &[StepMark], end_ns: u64) -> Vec<StepSpan> {
    let mut sorted = marks.to_vec();
    // A stable sort by time: marks of one instant keep the order they were recorded in
    // (untimed marks share their timestamp with the event before them).
    sorted.sort_by_key(|m| m.ts_ns);
    let mut out: Vec<StepSpan> = Vec::with_capacity(sorted.len() / 2 + 1);
    let mut open: Vec<usize> = Vec::new();
    for m in sorted {
        if m.enter {
            open.push(out.len());
            out.push(StepSpan {
                step: m.step,
                start_ns: m.ts_ns,
                end_ns: u64::MAX,
            });
        } else if let Some(k) = open.iter().rposition(|&i| out[i].step == m.step) {
            out[open.remove(k)].end_ns = m.ts_ns;
        }
    }
    for i in open {
        out[i].end_ns = end_ns.max(out[i].start_ns);
    }
    out
}

/// What a task is waiting for at a moment, from the steps it is in then: inside a `join`
/// (or awaiting spawned children), the join, whatever its branches do; otherwise the
/// innermost step that waits.
pub fn wait_at(table: &[StepInfo], open: &[StepSpan]) -> Option<(WaitReason, u32)> {
    let info = |s: &StepSpan| table.get(s.step as usize).and_then(|i| i.wait);
    open.iter()
        .find(|s| info(s) == Some(WaitReason::Join))
        .or_else(|| open.iter().rev().find(|s| info(s).is_some()))
        .and_then(|s| info(s).map(|w| (w, s.step)))
}

/// A forward sweep over a task's step spans (sorted by start): which steps are open at
/// moments asked in increasing order, in time linear in the spans plus the depth per ask.
pub struct OpenSteps<'a> {
    spans: &'a [StepSpan],
    next: usize,
    open: Vec<StepSpan>,
}

impl<'a> OpenSteps<'a> {
    pub fn new(spans: &'a [StepSpan]) -> Self {
        OpenSteps {
            spans,
            next: 0,
            open: Vec::new(),
        }
    }

    /// The steps open at `t` (entered at or before it, not left by then), outermost first.
    pub fn at(&mut self, t: u64) -> &[StepSpan] {
        while let Some(s) = self.spans.get(self.next).filter(|s| s.start_ns <= t) {
            self.open.push(*s);
            self.next += 1;
        }
        self.open.retain(|s| s.end_ns > t);
        &self.open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(label: &str, wait: Option<WaitReason>) -> StepInfo {
        StepInfo {
            kind: "x".into(),
            label: label.into(),
            line: 1,
            depth: 0,
            wait,
            on: label.into(),
        }
    }

    fn mark(ts_ns: u64, step: u32, enter: bool) -> StepMark {
        StepMark { ts_ns, step, enter }
    }

    #[test]
    fn marks_in_any_order_pair_into_spans_and_open_ones_end_with_the_task() {
        let marks = [
            mark(30, 1, false),
            mark(10, 0, true),
            mark(20, 0, false),
            mark(20, 1, true),
            mark(40, 2, true),
        ];
        let spans = spans_from_marks(&marks, 100);
        let got: Vec<_> = spans
            .iter()
            .map(|s| (s.step, s.start_ns, s.end_ns))
            .collect();
        assert_eq!(got, [(0, 10, 20), (1, 20, 30), (2, 40, 100)]);
        // A permit acquired at once: entered and left in one instant (untimed marks share
        // it), then its body entered; the order they were recorded in is kept.
        let marks = [
            mark(5, 0, true),
            mark(5, 0, false),
            mark(5, 1, true),
            mark(9, 1, false),
        ];
        let got: Vec<_> = spans_from_marks(&marks, 100)
            .iter()
            .map(|s| (s.step, s.start_ns, s.end_ns))
            .collect();
        assert_eq!(got, [(0, 5, 5), (1, 5, 9)]);
    }

    #[test]
    fn a_join_hides_its_branches_and_otherwise_the_innermost_waiting_step_counts() {
        use WaitReason::*;
        let table = [
            info("holding permit api", None),
            info("GET /items", Some(Http)),
            info("join ×2", Some(Join)),
            info("sleep 5 ms", Some(Timer)),
        ];
        let span = |step, start_ns, end_ns| StepSpan {
            step,
            start_ns,
            end_ns,
        };
        let spans = [
            span(0, 0, 100),
            span(1, 10, 20),
            span(2, 30, 90),
            span(3, 31, 40),
            span(1, 32, 50),
        ];
        let mut open = OpenSteps::new(&spans);
        assert_eq!(
            wait_at(&table, open.at(5)),
            None,
            "holding a permit is no wait"
        );
        assert_eq!(wait_at(&table, open.at(15)), Some((Http, 1)));
        assert_eq!(wait_at(&table, open.at(35)), Some((Join, 2)));
        assert_eq!(open.at(45).len(), 3, "the permit, the join and its GET");
        assert_eq!(wait_at(&table, open.at(95)), None);
    }
}
