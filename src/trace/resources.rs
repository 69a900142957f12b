//! What the run's resources held over time, exactly: HTTP requests in flight (by outcome),
//! each semaphore's permits held and tasks waiting, each channel's queued messages, the
//! blocking pool's jobs running and waiting for a thread. Each is a step function built
//! from the trace's own spans and marks, with range queries; views reduce it per pixel.

use serde::{Deserialize, Serialize};

use super::model::{TaskKind, Trace};

/// A resource the scenario declares, whose size the series are measured against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceInfo {
    /// `semaphore` or `channel`.
    pub kind: String,
    pub name: String,
    /// Permits, or the channel's capacity.
    pub capacity: u64,
}

/// A message went into (or out of) channel `channel` (an index into
/// [`Trace::resources`]) at `ts_ns`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelOp {
    pub ts_ns: u64,
    pub channel: u32,
    pub sent: bool,
}

/// Levels that change at points in time: after `changes[i].0`, field `f` is
/// `changes[i].1[f]` (until the next change). Starts at all zeros.
#[derive(Clone, Debug, PartialEq)]
pub struct Counter {
    /// `http in flight`, `semaphore api`, `channel jobs`, `blocking pool`.
    pub name: String,
    /// What each value counts: `held`, `waiting`; `200`, `429`, …
    pub fields: Vec<&'static str>,
    pub changes: Vec<(u64, Vec<u64>)>,
}

impl Counter {
    /// From `(ts, field, +1 / -1)` steps in any order. At one instant, decreases come
    /// first: a permit handed from one task to the next is never counted twice.
    fn from_steps(
        name: String,
        fields: Vec<&'static str>,
        mut steps: Vec<(u64, usize, i64)>,
    ) -> Self {
        steps.sort_by_key(|&(ts, f, d)| (ts, d, f));
        let mut level = vec![0i64; fields.len()];
        let mut changes: Vec<(u64, Vec<u64>)> = Vec::new();
        for (ts, f, d) in steps {
            level[f] += d;
            let now: Vec<u64> = level.iter().map(|&v| v.max(0) as u64).collect();
            match changes.last_mut() {
                Some((t, v)) if *t == ts => *v = now,
                _ => changes.push((ts, now)),
            }
        }
        Counter {
            name,
            fields,
            changes,
        }
    }

    /// The values at `t_ns` (after any change at that instant).
    pub fn at(&self, t_ns: u64) -> Vec<u64> {
        let i = self.changes.partition_point(|c| c.0 <= t_ns);
        match i.checked_sub(1) {
            Some(i) => self.changes[i].1.clone(),
            None => vec![0; self.fields.len()],
        }
    }

    /// The changes in `[start_ns, end_ns)`, by binary search.
    pub fn changes_in(&self, start_ns: u64, end_ns: u64) -> &[(u64, Vec<u64>)] {
        let a = self.changes.partition_point(|c| c.0 < start_ns);
        let b = self.changes.partition_point(|c| c.0 < end_ns);
        &self.changes[a..b.max(a)]
    }

    /// The highest value field `field` reaches.
    pub fn max(&self, field: &str) -> u64 {
        let Some(f) = self.fields.iter().position(|x| *x == field) else {
            return 0;
        };
        self.changes.iter().map(|c| c.1[f]).max().unwrap_or(0)
    }

    /// The highest total over all fields.
    pub fn max_total(&self) -> u64 {
        self.changes
            .iter()
            .map(|c| c.1.iter().sum::<u64>())
            .max()
            .unwrap_or(0)
    }
}

/// The outcomes HTTP requests in flight are counted by.
pub const HTTP_OUTCOMES: [&str; 5] = ["200", "429", "other", "error", "cancelled"];

impl Trace {
    /// Requests in flight, by how each ended (`cancelled`: it never got an answer).
    pub fn http_in_flight(&self) -> Counter {
        let end = self.end_ns();
        let steps = self
            .http
            .iter()
            .flat_map(|h| {
                let f = match h.status {
                    Some(200) => 0,
                    Some(429) => 1,
                    Some(0) => 3,
                    Some(super::model::HTTP_CANCELLED) => 4,
                    Some(_) => 2,
                    None => 4,
                };
                [
                    (h.start_ns, f, 1),
                    (h.end_ns.unwrap_or(end).max(h.start_ns), f, -1),
                ]
            })
            .collect();
        Counter::from_steps("http in flight".into(), HTTP_OUTCOMES.to_vec(), steps)
    }

    /// Semaphore `name`: permits held (tasks inside its `permit` steps) and tasks waiting
    /// to acquire one.
    pub fn semaphore_series(&self, name: &str) -> Counter {
        let (wait_label, hold_label) = (format!("permit {name}"), format!("holding permit {name}"));
        let field = |label: &str| {
            if label == hold_label {
                Some(0)
            } else if label == wait_label {
                Some(1)
            } else {
                None
            }
        };
        let fields: Vec<Option<usize>> = self
            .steps
            .iter()
            .map(|s| (s.kind == "permit").then(|| field(&s.label)).flatten())
            .collect();
        let mut steps = Vec::new();
        for ti in 0..self.tasks.len() as u32 {
            for s in self.task_step_spans(ti) {
                if let Some(Some(f)) = fields.get(s.step as usize) {
                    steps.push((s.start_ns, *f, 1));
                    steps.push((s.end_ns, *f, -1));
                }
            }
        }
        Counter::from_steps(format!("semaphore {name}"), vec!["held", "waiting"], steps)
    }

    /// Channel `name`: messages sent and not yet received.
    pub fn channel_series(&self, name: &str) -> Counter {
        let id = self
            .resources
            .iter()
            .position(|r| r.kind == "channel" && r.name == name)
            .map(|i| i as u32);
        let steps = self
            .channel_ops
            .iter()
            .filter(|op| Some(op.channel) == id)
            .map(|op| (op.ts_ns, 0, if op.sent { 1 } else { -1 }))
            .collect();
        Counter::from_steps(format!("channel {name}"), vec!["queued"], steps)
    }

    /// The blocking pool: jobs running, and jobs spawned but waiting for a free thread.
    pub fn blocking_pool_series(&self) -> Counter {
        self.pool_series(TaskKind::Blocking, "blocking pool")
    }

    /// The scenario's CPU pool (`cpu_pool_ms`): jobs running, and jobs queued for a thread.
    pub fn cpu_pool_series(&self) -> Counter {
        self.pool_series(TaskKind::CpuJob, "cpu pool")
    }

    /// A pool of `kind` jobs, each run once: running, and waiting from its spawn (or queueing)
    /// to its run.
    fn pool_series(&self, kind: TaskKind, name: &str) -> Counter {
        let end = self.end_ns();
        let mut steps = Vec::new();
        for (ti, t) in self.tasks.iter().enumerate() {
            if t.kind != kind {
                continue;
            }
            let Some(spawn) = t.spawn_ns() else { continue };
            match self.task_polls(ti as u32).first().map(|r| *self.poll(*r)) {
                Some(run) => {
                    steps.push((spawn, 1, 1));
                    steps.push((run.start_ns.max(spawn), 1, -1));
                    steps.push((run.start_ns, 0, 1));
                    steps.push((run.end_ns(), 0, -1));
                }
                None => {
                    steps.push((spawn, 1, 1));
                    steps.push((t.end_ns().unwrap_or(end).max(spawn), 1, -1));
                }
            }
        }
        Counter::from_steps(name.into(), vec!["running", "waiting"], steps)
    }

    /// How many of the tasks of group `group` (tasks of that label) are in each state at
    /// each moment: `running`, `scheduled`, and waiting by reason (`http`, `timer`,
    /// `permit`, …). A collapsed group's row can draw it as a stacked area.
    pub fn group_state_series(&self, group: &str) -> Counter {
        use super::steps::WaitReason;
        let mut fields: Vec<&'static str> = vec!["running", "scheduled"];
        fields.extend(WaitReason::ALL.iter().map(|w| w.as_str()));
        let field = |s: &super::model::StateSpan| group_state_field(s.state, s.wait);
        let mut steps = Vec::new();
        for (ti, t) in self.tasks.iter().enumerate() {
            if self.label(t) != group {
                continue;
            }
            for s in self.task_states(ti as u32) {
                if s.end_ns > s.start_ns {
                    steps.push((s.start_ns, field(&s), 1));
                    steps.push((s.end_ns, field(&s), -1));
                }
            }
        }
        Counter::from_steps(format!("group {group}"), fields, steps)
    }

    /// Every series the run has: HTTP if it made requests, each declared semaphore and
    /// channel, the blocking pool if it was used.
    pub fn resource_series(&self) -> Vec<Counter> {
        let mut out = Vec::new();
        if !self.http.is_empty() {
            out.push(self.http_in_flight());
        }
        for r in &self.resources {
            match r.kind.as_str() {
                "semaphore" => out.push(self.semaphore_series(&r.name)),
                "channel" => out.push(self.channel_series(&r.name)),
                _ => {}
            }
        }
        if self.tasks.iter().any(|t| t.kind == TaskKind::Blocking) {
            out.push(self.blocking_pool_series());
        }
        if self.tasks.iter().any(|t| t.kind == TaskKind::CpuJob) {
            out.push(self.cpu_pool_series());
        }
        out
    }
}

/// The index of a state in [`Trace::group_state_series`]'s fields: `running`,
/// `scheduled`, then waiting by reason in [`WaitReason::ALL`]'s order.
pub fn group_state_field(
    state: super::model::TaskState,
    wait: Option<super::steps::WaitReason>,
) -> usize {
    use super::model::TaskState;
    use super::steps::WaitReason;
    match state {
        TaskState::Running => 0,
        TaskState::Scheduled => 1,
        TaskState::Waiting => {
            let w = wait.unwrap_or(WaitReason::Other);
            2 + WaitReason::ALL.iter().position(|x| *x == w).unwrap_or(0)
        }
    }
}

impl Trace {
    /// The tracks a view shows: the run's series (see [`Trace::resource_series`]), only those
    /// `only` names and in its order when it names some (`http` names the HTTP track), each
    /// with the size it is measured against (permits, capacity).
    pub fn resource_tracks(&self, only: Option<&[String]>) -> Vec<(Counter, Option<u64>)> {
        let mut all = self.resource_series();
        if let Some(only) = only {
            let wanted = |c: &Counter| {
                only.iter()
                    .position(|o| c.name == *o || (o == "http" && c.name == "http in flight"))
            };
            all.retain(|c| wanted(c).is_some());
            all.sort_by_key(|c| wanted(c));
        }
        all.into_iter()
            .map(|c| {
                let size = self
                    .resources
                    .iter()
                    .find(|r| c.name == format!("{} {}", r.kind, r.name))
                    .map(|r| r.capacity);
                (c, size)
            })
            .collect()
    }
}

impl Trace {
    /// How many tasks were ahead of task `ti` in the queue of a semaphore at `at_ns`, for its
    /// wait in step `step` (a permit being acquired) that began at `since_ns`: the tasks
    /// waiting for the same semaphore then that began waiting earlier. tokio's semaphore is
    /// fair (first come, first served), so these get their permits first.
    pub fn permit_waiters_ahead(&self, ti: u32, step: u32, since_ns: u64, at_ns: u64) -> usize {
        use super::steps::WaitReason;
        let Some(on) = self
            .steps
            .get(step as usize)
            .filter(|s| s.wait == Some(WaitReason::Permit))
            .map(|s| s.on.as_str())
        else {
            return 0;
        };
        let same: Vec<bool> = self
            .steps
            .iter()
            .map(|s| s.wait == Some(WaitReason::Permit) && s.on == on)
            .collect();
        (0..self.tasks.len() as u32)
            .filter(|&t| t != ti)
            .filter(|&t| {
                self.task_step_spans(t).iter().any(|s| {
                    same.get(s.step as usize).copied().unwrap_or(false)
                        && s.start_ns < since_ns
                        && s.end_ns > at_ns
                })
            })
            .count()
    }
}

/// A track's name in `lang`: the kind of resource in words, its own name as it is.
pub fn track_title(name: &str, l: crate::i18n::Language) -> String {
    let named = |prefix: &str| name.strip_prefix(prefix).map(str::to_string);
    match name {
        "http in flight" => crate::t!(l, "track-http"),
        "blocking pool" => crate::t!(l, "track-blocking-pool"),
        "cpu pool" => crate::t!(l, "track-cpu-pool"),
        _ => {
            if let Some(n) = named("semaphore ") {
                crate::t!(l, "track-semaphore", name = n)
            } else if let Some(n) = named("channel ") {
                crate::t!(l, "track-channel", name = n)
            } else if let Some(n) = named("group ") {
                crate::t!(l, "track-group", name = n)
            } else {
                name.to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_steps_at_its_changes_and_hands_over_without_double_counting() {
        // Two holders, one hands over to a waiter at 20.
        let c = Counter::from_steps(
            "semaphore api".into(),
            vec!["held", "waiting"],
            vec![
                (0, 0, 1),
                (5, 0, 1),
                (10, 1, 1),
                (20, 0, -1),
                (20, 1, -1),
                (20, 0, 1),
            ],
        );
        assert_eq!(c.at(0), [1, 0]);
        assert_eq!(c.at(12), [2, 1]);
        assert_eq!(c.at(20), [2, 0], "the permit changed hands at 20");
        assert_eq!(c.max("held"), 2, "never 3");
        assert_eq!(c.max("waiting"), 1);
        assert_eq!(c.changes_in(5, 20).len(), 2);
        assert_eq!(c.at(u64::MAX), [2, 0]);
    }
}
