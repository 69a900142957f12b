//! A synthetic trace of about 1 M events, for benchmarks that need a big trace without
//! running one.

use std::sync::OnceLock;

use asyncscope::trace::{Batch, Event, EventKind, Trace};

const LANES: u32 = 4;
const TASKS: u64 = 32_000;
const POLLS_PER_TASK: u64 = 10;

/// 32 000 tasks in 8 groups, 10 polls each (5 µs polls, 20 µs apart on 4 lanes) with a
/// wake before every poll after the first: ≈ 1 M events.
pub fn trace() -> &'static Trace {
    static TRACE: OnceLock<Trace> = OnceLock::new();
    TRACE.get_or_init(|| build(TASKS))
}

/// The same, ten times longer: ≈ 10 M events.
#[allow(dead_code)]
pub fn trace_10m() -> &'static Trace {
    static TRACE: OnceLock<Trace> = OnceLock::new();
    TRACE.get_or_init(|| build(TASKS * 10))
}

fn build(tasks: u64) -> Trace {
    {
        let mut t = Trace::new("bench");
        let mut lanes: Vec<Vec<Event>> = (0..LANES).map(|_| Vec::new()).collect();
        let mut slot = vec![0u64; LANES as usize];
        let ev = |ts_ns, kind| Event { ts_ns, kind };
        let names: Vec<std::sync::Arc<str>> = (0..8).map(|g| format!("group{g}").into()).collect();
        for task in 1..=tasks {
            let lane = (task % u64::from(LANES)) as usize;
            let first = slot[lane] * 25_000;
            let l = &mut lanes[lane];
            l.push(ev(
                first,
                EventKind::Spawn {
                    task,
                    location: std::panic::Location::caller(),
                },
            ));
            l.push(ev(
                first,
                EventKind::Name {
                    task,
                    name: names[(task % 8) as usize].clone(),
                },
            ));
            for p in 0..POLLS_PER_TASK {
                let start = slot[lane] * 25_000 + 1_000;
                slot[lane] += 1;
                if p > 0 {
                    l.push(ev(start - 500, EventKind::Wake { task }));
                }
                l.push(ev(start, EventKind::PollStart { task }));
                if p + 1 == POLLS_PER_TASK {
                    l.push(ev(start + 4_000, EventKind::Terminate { task }));
                }
                l.push(ev(start + 5_000, EventKind::PollEnd { task }));
            }
        }
        for (i, events) in lanes.into_iter().enumerate() {
            t.ingest(Batch {
                thread: i as u32,
                events,
            });
        }
        t.wall_ns = t.end_ns();
        t.finish();
        assert!(t.events > tasks * 28, "{} events", t.events);
        t
    }
}
