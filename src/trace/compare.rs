//! Runs side by side: the figures a workshop compares (wall time, polls, scheduling delay,
//! 429s, …), one row per figure and one column per run, each later run marked against the
//! first (the baseline) when it differs enough to matter.

use crate::i18n::Language;
use crate::t;
use serde::Serialize;

use super::stats::Summary;

/// Which way a figure improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
    /// Neither is better (task and poll counts describe the work, they do not grade it).
    Neither,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Ms,
    Count,
    Percent,
}

/// How a run's value compares with the baseline's (the first run).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// The baseline itself, or a run with no value for this figure.
    Baseline,
    /// Within the noise margin of the baseline.
    Same,
    Better,
    Worse,
    /// Different, where neither direction is better.
    Differs,
}

impl Mark {
    pub fn is_highlighted(self) -> bool {
        matches!(self, Mark::Better | Mark::Worse | Mark::Differs)
    }
}

/// One figure across the runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub better: Better,
    /// One per run; None where the run has no such figure (no heartbeat, say).
    pub values: Vec<Option<f64>>,
    pub marks: Vec<Mark>,
}

impl Row {
    /// A run's value as the table shows it.
    pub fn value_text(&self, run: usize) -> String {
        match self.values.get(run).copied().flatten() {
            None => "-".to_string(),
            Some(v) => format_value(self.unit, v),
        }
    }

    /// How a run's value relates to the baseline's, for a highlighted cell: `×0.12`,
    /// `+3`, `+25 pts`; empty for the baseline and for unmarked cells.
    pub fn delta_text(&self, run: usize) -> String {
        self.delta_text_in(run, Language::English)
    }

    /// The same, its words ("pts", "new") in `lang`.
    pub fn delta_text_in(&self, run: usize, lang: Language) -> String {
        let (Some(Some(base)), Some(Some(v)), Some(mark)) = (
            self.values.first(),
            self.values.get(run),
            self.marks.get(run),
        ) else {
            return String::new();
        };
        if !mark.is_highlighted() {
            return String::new();
        }
        match self.unit {
            Unit::Percent => t!(lang, "delta-points", delta = format!("{:+.0}", v - base)),
            Unit::Count => format!("{:+}", v - base),
            _ if *base == 0.0 => t!(lang, "delta-new"),
            _ => {
                let r = v / base;
                if r >= 10.0 {
                    format!("×{r:.0}")
                } else {
                    format!("×{r:.2}")
                }
            }
        }
    }
}

pub fn format_value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Ms if v >= 100.0 => format!("{v:.0} ms"),
        Unit::Ms if v >= 1.0 => format!("{v:.1} ms"),
        Unit::Ms => format!("{v:.3} ms"),
        Unit::Count => format!("{v:.0}"),
        Unit::Percent => format!("{v:.0}%"),
    }
}

/// The comparison table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Run names, baseline first.
    pub runs: Vec<String>,
    pub rows: Vec<Row>,
    /// The language of the labels (and of the words a drawing of the table adds).
    #[serde(skip)]
    pub lang: Language,
}

struct Figure {
    key: &'static str,
    label: fn(Language) -> String,
    unit: Unit,
    better: Better,
    /// Differences smaller than this (in the figure's unit) are noise, whatever the ratio.
    noise: f64,
    value: fn(&Summary) -> Option<f64>,
}

/// A difference also has to be this large relative to the larger value to count.
const RELATIVE_NOISE: f64 = 0.10;

const FIGURES: &[Figure] = &[
    Figure {
        key: "wall_ms",
        label: |l| t!(l, "cmp-wall-time"),
        unit: Unit::Ms,
        better: Better::Lower,
        noise: 1.0,
        value: |s| Some(s.wall_ms),
    },
    Figure {
        key: "tasks",
        label: |l| t!(l, "cmp-tasks"),
        unit: Unit::Count,
        better: Better::Neither,
        noise: 0.5,
        value: |s| Some(s.tasks.spawned as f64),
    },
    Figure {
        key: "polls",
        label: |l| t!(l, "cmp-polls"),
        unit: Unit::Count,
        better: Better::Neither,
        noise: 0.5,
        value: |s| Some(s.polls as f64),
    },
    Figure {
        key: "wakes",
        label: |l| t!(l, "cmp-wakes"),
        unit: Unit::Count,
        better: Better::Neither,
        noise: 0.5,
        value: |s| Some(s.wakes as f64),
    },
    Figure {
        key: "longest_poll_ms",
        label: |l| t!(l, "cmp-longest-poll"),
        unit: Unit::Ms,
        better: Better::Lower,
        noise: 1.0,
        value: |s| Some(s.longest_poll_ms),
    },
    Figure {
        key: "slow_polls",
        label: |l| t!(l, "cmp-slow-polls"),
        unit: Unit::Count,
        better: Better::Lower,
        noise: 0.5,
        value: |s| Some(s.slow_polls as f64),
    },
    Figure {
        key: "sched_delay_p50_ms",
        label: |l| t!(l, "cmp-sched-p50"),
        unit: Unit::Ms,
        better: Better::Lower,
        noise: 0.05,
        value: |s| Some(s.sched_delay_ms.p50),
    },
    Figure {
        key: "sched_delay_p99_ms",
        label: |l| t!(l, "cmp-sched-p99"),
        unit: Unit::Ms,
        better: Better::Lower,
        noise: 0.2,
        value: |s| Some(s.sched_delay_ms.p99),
    },
    Figure {
        key: "worker_busy_pct",
        label: |l| t!(l, "cmp-worker-busy"),
        unit: Unit::Percent,
        better: Better::Neither,
        noise: 5.0,
        value: worker_busy_pct,
    },
    Figure {
        key: "heartbeat_late_p99_ms",
        label: |l| t!(l, "cmp-heartbeat-p99"),
        unit: Unit::Ms,
        better: Better::Lower,
        noise: 1.0,
        value: |s| s.heartbeat_late_ms.as_ref().map(|h| h.p99),
    },
    Figure {
        key: "http_429",
        label: |l| t!(l, "cmp-http-429"),
        unit: Unit::Count,
        better: Better::Lower,
        noise: 0.5,
        value: |s| (s.http.requests > 0).then(|| *s.http.status.get("429").unwrap_or(&0) as f64),
    },
    Figure {
        key: "peak_in_flight",
        label: |l| t!(l, "cmp-peak-in-flight"),
        unit: Unit::Count,
        better: Better::Neither,
        noise: 0.5,
        value: |s| (s.http.requests > 0).then_some(s.http.max_in_flight as f64),
    },
];

/// Share of the worker threads' time spent polling tasks over the run (from the lanes, so
/// it exists for every trace, imported ones included).
fn worker_busy_pct(s: &Summary) -> Option<f64> {
    let workers: Vec<f64> = s
        .lanes
        .iter()
        .filter(|l| l.kind == "worker")
        .map(|l| l.busy_ms)
        .collect();
    if workers.is_empty() || s.wall_ms <= 0.0 {
        return None;
    }
    Some((workers.iter().sum::<f64>() / (workers.len() as f64 * s.wall_ms) * 100.0).min(100.0))
}

/// Each run's value marked against the first run's.
fn marks_against_first(values: &[Option<f64>], better: Better, noise: f64) -> Vec<Mark> {
    let base = values.first().copied().flatten();
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if i == 0 {
                Mark::Baseline
            } else {
                mark(better, noise, base, v)
            }
        })
        .collect()
}

fn mark(better: Better, noise: f64, base: Option<f64>, v: Option<f64>) -> Mark {
    let (Some(base), Some(v)) = (base, v) else {
        return Mark::Baseline;
    };
    let diff = v - base;
    if diff.abs() <= noise || diff.abs() <= RELATIVE_NOISE * base.abs().max(v.abs()) {
        return Mark::Same;
    }
    match (better, diff < 0.0) {
        (Better::Neither, _) => Mark::Differs,
        (Better::Lower, true) | (Better::Higher, false) => Mark::Better,
        _ => Mark::Worse,
    }
}

impl Comparison {
    /// Compares runs by their summaries; the first is the baseline.
    pub fn new(runs: &[(String, &Summary)]) -> Self {
        Self::new_in(runs, Language::English)
    }

    /// The same, with the labels in `lang`.
    pub fn new_in(runs: &[(String, &Summary)], lang: Language) -> Self {
        let rows = FIGURES
            .iter()
            .map(|f| {
                let values: Vec<Option<f64>> = runs.iter().map(|(_, s)| (f.value)(s)).collect();
                let marks = marks_against_first(&values, f.better, f.noise);
                Row {
                    key: f.key.to_string(),
                    label: (f.label)(lang),
                    unit: f.unit,
                    better: f.better,
                    values,
                    marks,
                }
            })
            .chain(Self::group_rows(runs, lang))
            .collect();
        Comparison {
            runs: runs.iter().map(|(n, _)| n.clone()).collect(),
            rows,
            lang,
        }
    }

    /// Each task group's share of its task-time in each state and wait (`client · waiting
    /// for a permit`), for the groups the runs have (the scenario's; library tasks, named
    /// by where they were spawned, are left out).
    fn group_rows(runs: &[(String, &Summary)], lang: Language) -> Vec<Row> {
        let mut keys: std::collections::BTreeSet<(String, &'static str, String)> =
            Default::default();
        for (_, s) in runs {
            for (name, g) in &s.groups {
                if name.contains(".rs:") {
                    continue;
                }
                for state in g.states.keys().filter(|k| **k != "waiting") {
                    keys.insert((name.clone(), "state", (*state).to_string()));
                }
                for reason in g.waits.keys() {
                    keys.insert((name.clone(), "wait", (*reason).to_string()));
                }
            }
        }
        keys.into_iter()
            .map(|(group, kind, what)| {
                let share = |s: &Summary| -> Option<f64> {
                    let g = s.groups.get(&group)?;
                    let total: f64 = g.states.values().sum();
                    let v = match kind {
                        "state" => g.states.get(what.as_str()),
                        _ => g.waits.get(what.as_str()),
                    }
                    .copied()
                    .unwrap_or(0.0);
                    (total > 0.0).then(|| v * 100.0 / total)
                };
                let values: Vec<Option<f64>> = runs.iter().map(|(_, s)| share(s)).collect();
                let marks = marks_against_first(&values, Better::Neither, 2.0);
                let phrase = match (kind, what.as_str()) {
                    ("state", "running") => t!(lang, "cmp-state-running"),
                    ("state", "scheduled") => t!(lang, "cmp-state-scheduled"),
                    ("state", _) => what.clone(),
                    _ => super::steps::WaitReason::from_name(&what)
                        .map_or_else(|| what.clone(), |r| r.phrase_in(lang)),
                };
                Row {
                    key: format!("group.{group}.{what}"),
                    label: t!(lang, "cmp-group-row", group = group.as_str(), what = phrase),
                    unit: Unit::Percent,
                    better: Better::Neither,
                    values,
                    marks,
                }
            })
            .collect()
    }

    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The table as text, for the terminal: a `*` marks a highlighted cell, followed by its
    /// relation to the baseline and whether that is better or worse.
    pub fn render_text(&self) -> String {
        self.render_text_in(Language::English)
    }

    /// The same, with "better" and "worse" in `lang` (the labels are the table's own).
    pub fn render_text_in(&self, lang: Language) -> String {
        let mut cells: Vec<Vec<String>> = vec![
            std::iter::once(String::new())
                .chain(
                    self.runs
                        .iter()
                        .enumerate()
                        .map(|(i, r)| format!("[{}] {r}", i + 1)),
                )
                .collect(),
        ];
        for row in &self.rows {
            let mut line = vec![row.label.to_string()];
            for i in 0..self.runs.len() {
                let mut c = row.value_text(i);
                let m = row.marks[i];
                if m.is_highlighted() {
                    let word = match m {
                        Mark::Better => t!(lang, "table-better"),
                        Mark::Worse => t!(lang, "table-worse"),
                        _ => String::new(),
                    };
                    c = format!("{c} *{}{word}", row.delta_text_in(i, lang));
                }
                line.push(c);
            }
            cells.push(line);
        }
        let n = self.runs.len() + 1;
        let widths: Vec<usize> = (0..n)
            .map(|c| {
                cells
                    .iter()
                    .map(|l| crate::i18n::columns(&l[c]))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for line in cells {
            let mut s = String::new();
            for (c, cell) in line.iter().enumerate() {
                let pad = widths[c] - crate::i18n::columns(cell);
                s.push_str(cell);
                if c + 1 < n {
                    s.push_str(&" ".repeat(pad + 3));
                }
            }
            out.push_str(s.trim_end());
            out.push('\n');
        }
        out.push_str(&t!(lang, "table-footnote"));
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Trace;

    fn summary(wall_ms: f64, polls: u64, p99: f64, s429: u64) -> Summary {
        let mut s = Summary::from_trace(&Trace::new("x"));
        s.wall_ms = wall_ms;
        s.polls = polls;
        s.sched_delay_ms.p99 = p99;
        s.http.requests = 10;
        s.http.status.insert("429".into(), s429);
        s
    }

    #[test]
    fn later_runs_are_marked_against_the_first() {
        let a = summary(1000.0, 100, 5.0, 0);
        let b = summary(100.0, 103, 50.0, 4);
        let c = summary(1040.0, 300, 5.1, 0);
        let cmp = Comparison::new(&[("a".into(), &a), ("b".into(), &b), ("c".into(), &c)]);
        let marks = |k: &str| cmp.row(k).expect(k).marks.clone();
        use Mark::*;
        assert_eq!(marks("wall_ms"), [Baseline, Better, Same], "4% is noise");
        assert_eq!(
            marks("polls"),
            [Baseline, Same, Differs],
            "counts have no better"
        );
        assert_eq!(marks("sched_delay_p99_ms"), [Baseline, Worse, Same]);
        assert_eq!(marks("http_429"), [Baseline, Worse, Same]);
        let wall = cmp.row("wall_ms").expect("wall");
        assert_eq!(wall.delta_text(1), "×0.10");
        assert_eq!(wall.delta_text(2), "", "not highlighted");
        assert_eq!(cmp.row("http_429").expect("429").delta_text(1), "+4");
        assert_eq!(cmp.row("polls").expect("polls").delta_text(2), "+200");
    }

    #[test]
    fn missing_figures_and_small_absolute_differences_are_not_highlighted() {
        let a = summary(2.0, 10, 0.01, 0);
        let mut b = summary(2.9, 10, 0.03, 0);
        b.http.requests = 0;
        let cmp = Comparison::new(&[("a".into(), &a), ("b".into(), &b)]);
        let row = |k: &str| cmp.row(k).expect(k);
        assert_eq!(row("wall_ms").marks[1], Mark::Same, "0.9 ms is within 1 ms");
        assert_eq!(
            row("sched_delay_p99_ms").marks[1],
            Mark::Same,
            "3x but tiny"
        );
        assert_eq!(row("http_429").values, [Some(0.0), None]);
        assert_eq!(row("http_429").marks[1], Mark::Baseline);
        assert_eq!(row("heartbeat_late_p99_ms").value_text(0), "-");
    }

    #[test]
    fn the_text_table_names_runs_and_marks_differences() {
        let a = summary(1000.0, 100, 5.0, 0);
        let b = summary(100.0, 100, 5.0, 0);
        let text = Comparison::new(&[("slow".into(), &a), ("fast".into(), &b)]).render_text();
        assert!(
            text.lines()
                .next()
                .is_some_and(|l| l.contains("[1] slow") && l.contains("[2] fast"))
        );
        let wall = text
            .lines()
            .find(|l| l.starts_with("wall time"))
            .expect("row");
        assert!(
            wall.contains("1000 ms") && wall.contains("100 ms *×0.10 better"),
            "{wall}"
        );
        let polls = text.lines().find(|l| l.starts_with("polls")).expect("row");
        assert!(!polls.contains('*'), "{polls}");
    }

    #[test]
    fn group_waits_are_compared_as_shares_of_the_groups_task_time() {
        use crate::trace::stats::GroupSummary;
        let group = |waits: &[(&'static str, f64)], running: f64| {
            let mut g = GroupSummary {
                tasks: 15,
                ..Default::default()
            };
            g.states.insert("running", running);
            g.states.insert("waiting", waits.iter().map(|w| w.1).sum());
            g.waits.extend(waits.iter().copied());
            g
        };
        let mut naive = summary(50.0, 100, 1.0, 10);
        naive
            .groups
            .insert("client".into(), group(&[("http", 97.0)], 3.0));
        naive.groups.insert(
            "hyper-util/src/rt/tokio.rs:127".into(),
            group(&[("io", 10.0)], 1.0),
        );
        let mut polite = summary(3000.0, 100, 1.0, 0);
        polite.groups.insert(
            "client".into(),
            group(&[("permit", 50.0), ("timer", 48.0), ("http", 2.0)], 0.0),
        );
        let cmp = Comparison::new(&[("naive".into(), &naive), ("polite".into(), &polite)]);
        let row = |k: &str| cmp.row(k).unwrap_or_else(|| panic!("{k}"));
        assert_eq!(row("group.client.permit").values, [Some(0.0), Some(50.0)]);
        assert_eq!(
            row("group.client.permit").label,
            "client: waiting for a permit"
        );
        assert_eq!(row("group.client.http").values, [Some(97.0), Some(2.0)]);
        assert_eq!(row("group.client.http").delta_text(1), "-95 pts");
        assert!(
            cmp.rows.iter().all(|r| !r.key.contains("tokio.rs")),
            "library tasks left out"
        );
    }
}
