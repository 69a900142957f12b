//! The same scenarios on CPython's asyncio (the shipped runner, python3 3.11+), against the
//! real lab server on 127.0.0.1: each asserts the physics the lesson claims, on one
//! event-loop thread.

use std::path::Path;

use asyncscope::asyncio_run::{AsyncioError, run_asyncio};
use asyncscope::scenario::{self, Scenario};
use asyncscope::trace::{FindingKind, LaneKind, Summary, Trace};

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    scenario::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One run at a time: they measure scheduling on a shared 2-core machine.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run(name: &str) -> (Trace, Summary) {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let trace = run_asyncio(&load(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let summary = Summary::from_trace(&trace);
    // One loop thread, polled one step at a time.
    let loops: Vec<&str> = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Worker)
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(loops, ["event-loop"], "{name}");
    for w in trace.lanes[0].polls.windows(2) {
        assert!(w[0].end_ns() <= w[1].start_ns, "{name}: steps overlap");
    }
    assert_eq!(trace.events_dropped, 0);
    (trace, summary)
}

#[test]
fn sequential_awaits_add_up_on_asyncio() {
    let (_, s) = run("sequential_awaits");
    assert_eq!(s.http.requests, 10);
    assert_eq!(s.http.max_in_flight, 1);
    assert!(s.wall_ms >= 1_000.0, "{} ms", s.wall_ms);
    assert!(
        s.findings
            .iter()
            .any(|f| f.kind == FindingKind::SequentialAwaits),
        "{:?}",
        s.findings
    );
}

#[test]
fn a_fan_out_overlaps_on_one_event_loop() {
    let (trace, s) = run("io_fanout");
    assert_eq!(s.http.requests, 100);
    assert_eq!(s.http.status.get("200"), Some(&100), "{:?}", s.http.status);
    assert!(
        s.http.max_in_flight >= 90,
        "the requests overlap: {} in flight at most",
        s.http.max_in_flight
    );
    assert!(
        s.wall_ms < 600.0,
        "100 requests of 100 ms took {} ms on one thread",
        s.wall_ms
    );
    // Each task is named by its group and waits in HTTP most of its life.
    let fetch = &s.groups["fetch"];
    assert_eq!(fetch.tasks, 100);
    assert!(
        fetch.waits.get("http").copied().unwrap_or(0.0) > 0.0,
        "{fetch:?}"
    );
    assert!(trace.heartbeats.len() >= 5, "the heartbeat ticked on time");
}

#[test]
fn cpu_work_in_a_coroutine_stalls_the_loop_and_the_heartbeat() {
    let (_, s) = run("cpu_misuse");
    assert!(s.slow_polls >= 2, "{} slow polls", s.slow_polls);
    let longest = s.longest_poll.as_ref().expect("polls");
    assert_eq!(longest.name, "crunch");
    assert!(longest.ms >= 290.0, "{longest:?}");
    let hb = s.heartbeat_late_ms.expect("heartbeat");
    assert!(
        hb.max >= 250.0,
        "the heartbeat waited behind the crunch: {hb:?}"
    );
}

#[test]
fn the_semaphore_caps_requests_and_the_naive_burst_gets_429s() {
    let (_, polite) = run("rate_limited_client");
    assert!(
        polite.http.max_in_flight <= 5,
        "{}",
        polite.http.max_in_flight
    );
    assert_eq!(
        polite.http.status.get("429"),
        None,
        "{:?}",
        polite.http.status
    );
    let (_, naive) = run("naive_fanout_rate_limited");
    assert!(
        naive.http.status.get("429").copied().unwrap_or(0) >= 5,
        "{:?}",
        naive.http.status
    );
}

#[test]
fn a_step_asyncio_does_not_run_yet_is_named() {
    match run_asyncio(&load("cpu_pool")) {
        Err(AsyncioError::Unsupported(what)) => assert_eq!(what, "cpu_pool_ms"),
        other => panic!("{:?}", other.map(|t| t.scenario)),
    }
}
