//! Figures derived from a finished trace: the run summary written by `asyncscope run`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{LaneKind, Outcome, TaskKind, TaskState, Trace, WakeSource};
use super::steps::WaitReason;

/// A poll longer than this is a slow poll: something that blocked a worker.
pub const SLOW_POLL_NS: u64 = 10_000_000;

fn ms(ns: u64) -> f64 {
    (ns as f64 / 1e6 * 1000.0).round() / 1000.0
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub count: u64,
}

impl Percentiles {
    /// Nearest-rank percentiles of nanosecond samples, reported in milliseconds.
    pub fn ms_from_ns(mut samples: Vec<u64>) -> Self {
        if samples.is_empty() {
            return Percentiles::default();
        }
        samples.sort_unstable();
        let rank = |q: f64| {
            let r = (q * samples.len() as f64).ceil() as usize;
            samples[r.clamp(1, samples.len()) - 1]
        };
        Percentiles {
            p50: ms(rank(0.50)),
            p99: ms(rank(0.99)),
            max: ms(*samples.last().unwrap_or(&0)),
            count: samples.len() as u64,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TaskCounts {
    pub spawned: u64,
    pub completed: u64,
    pub panicked: u64,
    /// Aborted by the scenario (`abort_after_ms`) and dropped unfinished.
    pub cancelled: u64,
    /// Dropped unfinished when the runtime shut down, without being cancelled: pooled HTTP
    /// connections, a stopped run's tasks.
    pub at_shutdown: u64,
    /// Still running when the trace ended (a stopped run).
    pub unfinished: u64,
    pub blocking: u64,
    /// Jobs of the CPU pool (`cpu_pool_ms`).
    pub cpu_jobs: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HttpSummary {
    pub requests: u64,
    /// Responses by status code; `"error"` counts requests that got no response.
    pub status: BTreeMap<String, u64>,
    pub max_in_flight: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LongestPoll {
    pub ms: f64,
    pub task: u64,
    pub name: String,
    pub lane: String,
    pub at_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LaneSummary {
    pub name: String,
    pub kind: &'static str,
    pub polls: u64,
    pub busy_ms: f64,
    /// A worker's time asleep (parked: nothing to run).
    pub parked_ms: f64,
    pub parks: u64,
}

/// What the scheduler did, beyond the polls: workers sleeping, tasks moving between
/// workers, who woke whom.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SchedulerSummary {
    /// Times a worker went to sleep (parked).
    pub parks: u64,
    /// Per worker lane, in lane order: time asleep and time polling.
    pub park_ms_per_worker: Vec<f64>,
    pub busy_ms_per_worker: Vec<f64>,
    /// Polls of a task on another worker than its previous poll.
    pub migrations: u64,
    /// Wakes of a task by itself, during its own poll.
    pub self_wakes: u64,
    pub wakes_by_source: WakeSources,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WakeSources {
    /// By another task.
    pub task: u64,
    /// By the task itself.
    #[serde(rename = "self")]
    pub self_: u64,
    /// By the timer or I/O driver.
    pub driver: u64,
    /// By a blocking-pool thread.
    pub blocking: u64,
}

impl SchedulerSummary {
    pub fn from_trace(trace: &Trace) -> Self {
        let workers = trace.lanes.iter().filter(|l| l.kind == LaneKind::Worker);
        let mut s = SchedulerSummary {
            parks: workers.clone().map(|l| l.parks.len() as u64).sum(),
            park_ms_per_worker: workers.clone().map(|l| ms(l.parked_ns())).collect(),
            busy_ms_per_worker: workers.map(|l| ms(l.busy_ns())).collect(),
            ..Default::default()
        };
        for i in 0..trace.tasks.len() as u32 {
            s.migrations += trace.migrations(i) as u64;
        }
        for w in &trace.wakes {
            let counter = match trace.wake_source(w) {
                WakeSource::Task(_) => &mut s.wakes_by_source.task,
                WakeSource::SelfWake => &mut s.wakes_by_source.self_,
                WakeSource::Driver => &mut s.wakes_by_source.driver,
                WakeSource::Blocking => &mut s.wakes_by_source.blocking,
            };
            *counter += 1;
        }
        s.self_wakes = s.wakes_by_source.self_;
        s
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PanicSummary {
    pub task: u64,
    pub name: String,
    pub message: String,
}

/// A `print` line: the task that printed it (`task` and `name` null when outside a task),
/// when (`time`, ms since the run's start) and what.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrintSummary {
    pub task: Option<u64>,
    pub name: Option<String>,
    pub time: f64,
    pub text: String,
}

/// tokio-metrics' view of the run: the sampled runtime metrics and the task monitors.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MetricsSummary {
    pub interval_ms: f64,
    pub samples: u64,
    /// Mean and peak of all workers' busy ratio over the sample intervals.
    pub busy_ratio_mean: f64,
    pub busy_ratio_max: f64,
    /// The busiest single worker in any interval.
    pub max_worker_busy_ratio: f64,
    /// Each worker's mean busy ratio over the run, by tokio's worker index.
    pub worker_busy_ratio_mean: Vec<f64>,
    pub max_global_queue: u64,
    pub max_local_queue: u64,
    pub max_blocking_threads: u64,
    pub max_blocking_queue: u64,
    pub steals: u64,
    pub parks: u64,
    pub forced_yields: u64,
    pub task_groups: Vec<super::model::GroupMetrics>,
}

impl MetricsSummary {
    pub fn from_trace(trace: &Trace) -> Self {
        let m = &trace.metrics;
        let max = |f: fn(&super::model::RuntimeSample) -> u64| m.iter().map(f).max().unwrap_or(0);
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        MetricsSummary {
            interval_ms: ms(trace.metrics_interval_ns),
            samples: m.len() as u64,
            busy_ratio_mean: round(if m.is_empty() {
                0.0
            } else {
                m.iter().map(|s| s.busy_ratio).sum::<f64>() / m.len() as f64
            }),
            // Peaks are clamped: tokio books a long poll's busy time when it ends.
            busy_ratio_max: round(m.iter().map(|s| s.busy_ratio).fold(0.0, f64::max).min(1.0)),
            max_worker_busy_ratio: round(
                m.iter()
                    .map(|s| s.max_worker_busy_ratio)
                    .fold(0.0, f64::max)
                    .min(1.0),
            ),
            worker_busy_ratio_mean: {
                let n = m.iter().map(|s| s.worker_busy.len()).max().unwrap_or(0);
                (0..n)
                    .map(|w| {
                        let v: Vec<f64> = m
                            .iter()
                            .filter_map(|s| s.worker_busy.get(w).copied())
                            .collect();
                        round(v.iter().sum::<f64>() / v.len().max(1) as f64)
                    })
                    .collect()
            },
            max_global_queue: max(|s| s.global_queue),
            max_local_queue: max(|s| s.local_queue),
            max_blocking_threads: max(|s| s.blocking_threads),
            max_blocking_queue: max(|s| s.blocking_queue),
            steals: m.iter().map(|s| s.steals).sum(),
            parks: m.iter().map(|s| s.parks).sum(),
            forced_yields: m.iter().map(|s| s.forced_yields).sum(),
            task_groups: trace.group_metrics.clone(),
        }
    }
}

/// The run summary (`--summary FILE`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub scenario: String,
    /// `tokio` or `asyncio`.
    pub runtime: &'static str,
    pub wall_ms: f64,
    pub stopped: bool,
    pub tasks: TaskCounts,
    pub polls: u64,
    pub wakes: u64,
    pub longest_poll_ms: f64,
    pub longest_poll: Option<LongestPoll>,
    pub slow_polls: u64,
    pub slow_poll_threshold_ms: f64,
    pub sched_delay_ms: Percentiles,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_late_ms: Option<Percentiles>,
    pub http: HttpSummary,
    pub events: u64,
    pub events_dropped: u64,
    /// Recording stopped at the memory cap after this many events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated_at_events: Option<u64>,
    pub lanes: Vec<LaneSummary>,
    pub scheduler: SchedulerSummary,
    pub panics: Vec<PanicSummary>,
    /// The `print` steps' lines, in time order.
    pub prints: Vec<PrintSummary>,
    pub run_errors: Vec<String>,
    /// What to know about the run that is not an error (e.g. a key asyncio has no use for).
    pub notes: Vec<String>,
    /// Diagnoses, most severe first (see `trace::findings`).
    pub findings: Vec<super::findings::Finding>,
    pub metrics: MetricsSummary,
    pub histograms: Histograms,
    /// Per task group (tasks of one name): where its task-time went.
    pub groups: BTreeMap<String, GroupSummary>,
    /// What the run's resources held at most.
    pub resources: ResourcesSummary,
}

/// The peaks of the run's resource series (see `trace::resources`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ResourcesSummary {
    pub http: HttpPeak,
    pub semaphores: BTreeMap<String, SemaphorePeak>,
    pub channels: BTreeMap<String, ChannelPeak>,
    pub blocking_pool: BlockingPoolPeak,
    /// The CPU pool (`cpu_pool_ms`), when the scenario has one: its threads, and at most
    /// how many jobs ran and waited at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_pool: Option<CpuPoolPeak>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CpuPoolPeak {
    pub threads: u64,
    pub max_running: u64,
    pub max_waiting: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HttpPeak {
    pub max_in_flight: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SemaphorePeak {
    pub permits: u64,
    pub max_held: u64,
    pub max_waiting: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChannelPeak {
    pub capacity: u64,
    pub max_queued: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BlockingPoolPeak {
    pub max_running: u64,
    pub max_waiting: u64,
}

impl ResourcesSummary {
    pub fn from_trace(trace: &Trace) -> Self {
        let mut out = ResourcesSummary {
            http: HttpPeak {
                max_in_flight: trace.http_in_flight().max_total(),
            },
            ..Default::default()
        };
        for r in &trace.resources {
            match r.kind.as_str() {
                "semaphore" => {
                    let c = trace.semaphore_series(&r.name);
                    out.semaphores.insert(
                        r.name.clone(),
                        SemaphorePeak {
                            permits: r.capacity,
                            max_held: c.max("held"),
                            max_waiting: c.max("waiting"),
                        },
                    );
                }
                "channel" => {
                    let c = trace.channel_series(&r.name);
                    out.channels.insert(
                        r.name.clone(),
                        ChannelPeak {
                            capacity: r.capacity,
                            max_queued: c.max("queued"),
                        },
                    );
                }
                "cpu" => {
                    let c = trace.cpu_pool_series();
                    out.cpu_pool = Some(CpuPoolPeak {
                        threads: r.capacity,
                        max_running: c.max("running"),
                        max_waiting: c.max("waiting"),
                    });
                }
                _ => {}
            }
        }
        let pool = trace.blocking_pool_series();
        out.blocking_pool = BlockingPoolPeak {
            max_running: pool.max("running"),
            max_waiting: pool.max("waiting"),
        };
        out
    }
}

/// Where a group's task-time went, from spawn to completion of each of its tasks, in ms:
/// by state, and the waiting part by what it waited for (and on which step).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GroupSummary {
    pub tasks: u64,
    /// `running`, `scheduled`, `waiting`: they add up to the group's task-time.
    pub states: BTreeMap<&'static str, f64>,
    /// The waiting time by reason (`http`, `timer`, `permit`, …).
    pub waits: BTreeMap<&'static str, f64>,
    /// The waiting time by step (`permit api`, `GET /items`, `sleep 1000 ms`).
    pub waits_on: BTreeMap<String, f64>,
}

impl GroupSummary {
    /// Per group, from every task's state spans.
    pub fn from_trace(trace: &Trace) -> BTreeMap<String, GroupSummary> {
        let mut ns: BTreeMap<String, GroupNs> = BTreeMap::new();
        for (i, t) in trace.tasks.iter().enumerate() {
            let states = trace.task_states(i as u32);
            if states.is_empty() {
                continue;
            }
            let g = ns.entry(trace.label(t)).or_default();
            g.tasks += 1;
            for s in states {
                let d = s.end_ns - s.start_ns;
                *g.states.entry(s.state.as_str()).or_default() += d;
                if s.state == TaskState::Waiting {
                    let reason = s.wait.unwrap_or(WaitReason::Other);
                    *g.waits.entry(reason.as_str()).or_default() += d;
                    let on = s
                        .step
                        .and_then(|id| trace.steps.get(id as usize))
                        .map_or_else(|| reason.as_str().to_string(), |i| i.label.clone());
                    *g.waits_on.entry(on).or_default() += d;
                }
            }
        }
        ns.into_iter()
            .map(|(name, g)| {
                let summary = GroupSummary {
                    tasks: g.tasks,
                    states: ms_of(g.states),
                    waits: ms_of(g.waits),
                    waits_on: ms_of(g.waits_on),
                };
                (name, summary)
            })
            .collect()
    }

    /// "62% waiting for a permit (permit api), 21% in HTTP, 17% sleeping, 0% running", the
    /// shares of the group's task-time, largest first, leaving out those under 0.5%.
    pub fn sentence(&self, l: crate::i18n::Language) -> String {
        use crate::t;
        let total: f64 = self.states.values().sum();
        if total <= 0.0 {
            return String::new();
        }
        let mut parts: Vec<(f64, String)> = Vec::new();
        for (state, &v) in &self.states {
            match *state {
                "running" => parts.push((v, t!(l, "cmp-state-running"))),
                "scheduled" => parts.push((v, t!(l, "sentence-scheduled"))),
                _ => {}
            }
        }
        for (reason, &v) in &self.waits {
            let phrase = WaitReason::from_name(reason)
                .unwrap_or(WaitReason::Other)
                .phrase_in(l);
            // The step most of it was spent in, when the reason has a resource.
            let on = self
                .waits_on
                .iter()
                .filter(|(label, _)| label_is_for(label, reason))
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(label, _)| label.as_str());
            let text = match (on, *reason) {
                (Some(on), "permit" | "channel_send" | "channel_recv") => {
                    format!("{phrase} ({on})")
                }
                _ => phrase.to_string(),
            };
            parts.push((v, text));
        }
        parts.sort_by(|a, b| b.0.total_cmp(&a.0));
        parts
            .iter()
            .filter(|(v, _)| v / total >= 0.005)
            .map(|(v, text)| format!("{:.0}% {text}", v * 100.0 / total))
            .collect::<Vec<_>>()
            .join(&t!(l, "list-separator"))
    }
}

/// Whether the step label `label` is one that waits for `reason` (as the step table
/// labels them).
fn label_is_for(label: &str, reason: &str) -> bool {
    match reason {
        "permit" => label.starts_with("permit "),
        "channel_send" => label.starts_with("send "),
        "channel_recv" => label.starts_with("recv "),
        _ => false,
    }
}

fn ms_of<K: Ord>(m: BTreeMap<K, u64>) -> BTreeMap<K, f64> {
    m.into_iter().map(|(k, v)| (k, ms(v))).collect()
}

#[derive(Default)]
struct GroupNs {
    tasks: u64,
    states: BTreeMap<&'static str, u64>,
    waits: BTreeMap<&'static str, u64>,
    waits_on: BTreeMap<String, u64>,
}

impl Summary {
    pub fn from_trace(trace: &Trace) -> Self {
        let mut tasks = TaskCounts::default();
        let mut panics = Vec::new();
        for (i, t) in trace.tasks.iter().enumerate() {
            if t.spawn_ns().is_none() && trace.task_polls(i as u32).is_empty() {
                continue;
            }
            tasks.spawned += 1;
            match t.kind {
                TaskKind::Blocking => tasks.blocking += 1,
                TaskKind::CpuJob => tasks.cpu_jobs += 1,
                TaskKind::Async => {}
            }
            match t.outcome {
                Some(Outcome::Ok) => tasks.completed += 1,
                Some(Outcome::Panicked) => {
                    tasks.panicked += 1;
                    panics.push(PanicSummary {
                        task: t.id,
                        name: trace.label(t),
                        message: trace.panic_message(t).unwrap_or("").to_string(),
                    });
                }
                Some(Outcome::Cancelled) => tasks.cancelled += 1,
                Some(Outcome::Shutdown) => tasks.at_shutdown += 1,
                None => tasks.unfinished += 1,
            }
        }

        let mut polls = 0;
        let mut slow_polls = 0;
        let mut longest: Option<(u64, usize, usize)> = None;
        for (li, lane) in trace.lanes.iter().enumerate() {
            for (pi, p) in lane.polls.iter().enumerate() {
                polls += 1;
                let d = p.duration_ns();
                if d > SLOW_POLL_NS && lane.kind == LaneKind::Worker {
                    slow_polls += 1;
                }
                if lane.kind == LaneKind::Worker && longest.is_none_or(|(best, _, _)| d > best) {
                    longest = Some((d, li, pi));
                }
            }
        }
        let longest_poll = longest.map(|(d, li, pi)| {
            let p = &trace.lanes[li].polls[pi];
            let t = &trace.tasks[p.task as usize];
            LongestPoll {
                ms: ms(d),
                task: t.id,
                name: trace.label(t),
                lane: trace.lanes[li].name.clone(),
                at_ms: ms(p.start_ns),
            }
        });

        let delays: Vec<u64> = (0..trace.tasks.len() as u32)
            .filter(|&i| trace.tasks[i as usize].kind == TaskKind::Async)
            .flat_map(|i| trace.sched_delays_ns(i))
            .collect();
        let heartbeat_late_ms = (!trace.heartbeats.is_empty())
            .then(|| Percentiles::ms_from_ns(trace.heartbeats.iter().map(|h| h.late_ns).collect()));

        Summary {
            scenario: trace.scenario.clone(),
            runtime: trace.runtime.as_str(),
            wall_ms: ms(trace.wall_ns),
            stopped: trace.stopped,
            tasks,
            polls,
            wakes: trace.wakes.len() as u64,
            longest_poll_ms: longest_poll.as_ref().map_or(0.0, |l| l.ms),
            longest_poll,
            slow_polls,
            slow_poll_threshold_ms: ms(SLOW_POLL_NS),
            sched_delay_ms: Percentiles::ms_from_ns(delays),
            heartbeat_late_ms,
            http: http_summary(trace),
            events: trace.events,
            events_dropped: trace.events_dropped,
            truncated_at_events: trace.truncated.then_some(trace.events),
            lanes: trace
                .lanes
                .iter()
                .map(|l| LaneSummary {
                    name: l.name.clone(),
                    kind: match l.kind {
                        LaneKind::Worker => "worker",
                        LaneKind::Blocking => "blocking",
                        LaneKind::Cpu => "cpu",
                    },
                    polls: l.polls.len() as u64,
                    busy_ms: ms(l.busy_ns()),
                    parked_ms: ms(l.parked_ns()),
                    parks: l.parks.len() as u64,
                })
                .collect(),
            scheduler: SchedulerSummary::from_trace(trace),
            panics,
            prints: trace
                .prints
                .iter()
                .map(|p| {
                    let task = p.task.and_then(|id| trace.task_index(id));
                    PrintSummary {
                        task: p.task,
                        name: task.map(|i| trace.label(&trace.tasks[i as usize])),
                        time: ms(p.ts_ns),
                        text: p.text.to_string(),
                    }
                })
                .collect(),
            run_errors: trace.run_errors.clone(),
            notes: trace.notes.clone(),
            findings: super::findings::findings(trace),
            metrics: MetricsSummary::from_trace(trace),
            histograms: Histograms::from_trace(trace),
            groups: GroupSummary::from_trace(trace),
            resources: ResourcesSummary::from_trace(trace),
        }
    }
}

pub(super) fn http_summary(trace: &Trace) -> HttpSummary {
    let mut out = HttpSummary {
        requests: trace.http.len() as u64,
        ..Default::default()
    };
    for h in &trace.http {
        let key = match h.status {
            Some(0) => "error".to_string(),
            Some(super::model::HTTP_CANCELLED) => "cancelled".to_string(),
            Some(s) => s.to_string(),
            None => "unfinished".to_string(),
        };
        *out.status.entry(key).or_insert(0) += 1;
    }
    // The same series the Chrome trace's `http in flight` counter and the resources block
    // come from (a request that ends as another starts is not counted twice).
    out.max_in_flight = trace.http_in_flight().max_total();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::event::{Batch, Event, EventKind};

    #[test]
    fn nearest_rank_percentiles() {
        let p = Percentiles::ms_from_ns((1..=100).map(|i| i * 1_000_000).collect());
        assert_eq!((p.p50, p.p99, p.max, p.count), (50.0, 99.0, 100.0, 100));
        assert_eq!(Percentiles::ms_from_ns(vec![]), Percentiles::default());
        let one = Percentiles::ms_from_ns(vec![2_500_000]);
        assert_eq!((one.p50, one.p99, one.max), (2.5, 2.5, 2.5));
    }

    fn http(req: u64, start: u64, end: u64, status: u16) -> [Event; 2] {
        [
            Event {
                ts_ns: start,
                kind: EventKind::HttpStart {
                    req,
                    url: "/x".into(),
                },
            },
            Event {
                ts_ns: end,
                kind: EventKind::HttpEnd { req, status },
            },
        ]
    }

    #[test]
    fn http_in_flight_and_statuses() {
        let mut t = Trace::new("t");
        let mut events = Vec::new();
        events.extend(http(0, 0, 10, 200));
        events.extend(http(1, 5, 15, 200));
        events.extend(http(2, 10, 20, 429)); // starts as #0 ends: not overlapping it
        events.extend(http(3, 30, 31, 0));
        t.ingest(Batch { thread: 0, events });
        t.finish();
        let h = Summary::from_trace(&t).http;
        assert_eq!(h.requests, 4);
        assert_eq!(h.max_in_flight, 2);
        let status: Vec<_> = h.status.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(status, [("200", 2), ("429", 1), ("error", 1)]);
    }

    #[test]
    fn slow_polls_and_longest_poll_come_from_worker_lanes() {
        let mut t = Trace::new("t");
        let mut events = vec![Event {
            ts_ns: 0,
            kind: EventKind::Spawn {
                task: 1,
                location: std::panic::Location::caller(),
            },
        }];
        for (start, dur) in [
            (0, 1_000_000),
            (2_000_000, 25_000_000),
            (30_000_000, 11_000_000),
        ] {
            events.push(Event {
                ts_ns: start,
                kind: EventKind::PollStart { task: 1 },
            });
            events.push(Event {
                ts_ns: start + dur,
                kind: EventKind::PollEnd { task: 1 },
            });
        }
        t.ingest(Batch { thread: 0, events });
        t.finish();
        let s = Summary::from_trace(&t);
        assert_eq!(s.polls, 3);
        assert_eq!(s.slow_polls, 2);
        assert_eq!(s.longest_poll_ms, 25.0);
        let l = s.longest_poll.expect("longest");
        assert_eq!((l.task, l.lane.as_str(), l.at_ms), (1, "worker-0", 2.0));
        assert_eq!(s.lanes[0].busy_ms, 37.0);
    }
}

/// Upper bounds (ns) of the log-scale histogram buckets: 1-2-5 steps from 1 µs to 1 s;
/// a last bucket takes everything longer.
pub const BUCKET_BOUNDS_NS: [u64; 19] = [
    1_000,
    2_000,
    5_000,
    10_000,
    20_000,
    50_000,
    100_000,
    200_000,
    500_000,
    1_000_000,
    2_000_000,
    5_000_000,
    10_000_000,
    20_000_000,
    50_000_000,
    100_000_000,
    200_000_000,
    500_000_000,
    1_000_000_000,
];

/// Counts per log-scale bucket; `counts[i]` holds values ≤ `BUCKET_BOUNDS_NS[i]` (and above
/// the previous bound); the last count holds values above 1 s.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Histogram {
    pub counts: Vec<u64>,
}

impl Histogram {
    pub fn from_ns(values: impl IntoIterator<Item = u64>) -> Self {
        let mut counts = vec![0u64; BUCKET_BOUNDS_NS.len() + 1];
        for v in values {
            counts[BUCKET_BOUNDS_NS.partition_point(|&b| b < v)] += 1;
        }
        Histogram { counts }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// `"≤ 5 µs"`, …, `"> 1 s"`.
    pub fn bucket_label(i: usize) -> String {
        let fmt = |ns: u64| match ns {
            n if n >= 1_000_000_000 => format!("{} s", n / 1_000_000_000),
            n if n >= 1_000_000 => format!("{} ms", n / 1_000_000),
            n => format!("{} µs", n / 1_000),
        };
        match BUCKET_BOUNDS_NS.get(i) {
            Some(&b) => format!("≤ {}", fmt(b)),
            None => format!("> {}", fmt(BUCKET_BOUNDS_NS[BUCKET_BOUNDS_NS.len() - 1])),
        }
    }
}

/// Poll durations and scheduling delays, for the run and per task group.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Histograms {
    pub bucket_bounds_ms: Vec<f64>,
    pub poll_duration: Histogram,
    pub sched_delay: Histogram,
    pub groups: BTreeMap<String, GroupHistograms>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GroupHistograms {
    pub poll_duration: Histogram,
    pub sched_delay: Histogram,
}

impl Histograms {
    /// Async tasks' polls on worker lanes, and their scheduling delays.
    pub fn from_trace(trace: &Trace) -> Self {
        let mut polls: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        let mut delays: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for (i, t) in trace.tasks.iter().enumerate() {
            let task_polls = trace.task_polls(i as u32);
            if t.kind != TaskKind::Async || task_polls.is_empty() {
                continue;
            }
            let label = trace.label(t);
            polls
                .entry(label.clone())
                .or_default()
                .extend(task_polls.iter().map(|r| trace.poll(*r).duration_ns()));
            delays
                .entry(label)
                .or_default()
                .extend(trace.sched_delays_ns(i as u32));
        }
        let all = |m: &BTreeMap<String, Vec<u64>>| {
            Histogram::from_ns(m.values().flat_map(|v| v.iter().copied()))
        };
        Histograms {
            bucket_bounds_ms: BUCKET_BOUNDS_NS.iter().map(|&b| b as f64 / 1e6).collect(),
            poll_duration: all(&polls),
            sched_delay: all(&delays),
            groups: polls
                .iter()
                .map(|(name, p)| {
                    let d = delays.get(name).map(Vec::as_slice).unwrap_or(&[]);
                    (
                        name.clone(),
                        GroupHistograms {
                            poll_duration: Histogram::from_ns(p.iter().copied()),
                            sched_delay: Histogram::from_ns(d.iter().copied()),
                        },
                    )
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod histogram_tests {
    use super::*;

    #[test]
    fn values_land_in_log_buckets() {
        let h = Histogram::from_ns([500, 1_000, 1_001, 3_000_000, 2_000_000_000]);
        assert_eq!(h.counts.len(), BUCKET_BOUNDS_NS.len() + 1);
        assert_eq!(h.counts[0], 2, "≤ 1 µs holds 500 ns and exactly 1 µs");
        assert_eq!(h.counts[1], 1, "1.001 µs is in ≤ 2 µs");
        assert_eq!(h.counts[11], 1, "3 ms is in ≤ 5 ms");
        assert_eq!(h.counts[19], 1, "above 1 s");
        assert_eq!(h.total(), 5);
        assert_eq!(Histogram::bucket_label(0), "≤ 1 µs");
        assert_eq!(Histogram::bucket_label(11), "≤ 5 ms");
        assert_eq!(Histogram::bucket_label(19), "> 1 s");
    }
}
