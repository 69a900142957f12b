//! End-to-end: shipped scenarios on a real tokio runtime against the real lab server on
//! 127.0.0.1, asserting what each scenario's lesson claims, plus the trace invariants
//! every run must satisfy.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asyncscope::run::{RunOptions, StopHandle, run};
use asyncscope::scenario::{self, Scenario};
use asyncscope::trace::{
    FindingKind, LaneKind, Outcome, PollOutcome, StepSpan, Summary, Task, TaskKind, TaskState,
    Trace, WaitReason, WakeSource,
};

fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"))
}

fn load(name: &str) -> Scenario {
    scenario::load(&scenario_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One scenario at a time: these tests measure scheduling, and two runtimes competing for
/// two cores would put slow polls into runs that have none (a worker preempted mid-poll).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn run_alone(sc: &Scenario, options: RunOptions) -> Trace {
    let _turn = turn();
    run(sc, options).expect("run")
}

fn run_named(name: &str) -> (Trace, Summary) {
    let trace = run_alone(&load(name), RunOptions::default());
    assert_invariants(&trace);
    let summary = Summary::from_trace(&trace);
    (trace, summary)
}

fn tasks_named<'a>(trace: &'a Trace, name: &str) -> Vec<&'a Task> {
    trace
        .tasks
        .iter()
        .filter(|t| t.name.as_deref() == Some(name))
        .collect()
}

/// What every trace must satisfy: spawn before first poll, a wake between a pending poll
/// and the next poll, no overlapping polls on one lane nor of one task, completion after
/// the last poll.
fn assert_invariants(trace: &Trace) {
    assert_eq!(trace.events_dropped, 0, "no events dropped");
    for lane in &trace.lanes {
        for w in lane.polls.windows(2) {
            assert!(
                w[0].end_ns() <= w[1].start_ns,
                "{}: polls overlap: {:?} {:?}",
                lane.name,
                w[0],
                w[1]
            );
        }
    }
    for (ti, t) in trace.tasks.iter().enumerate() {
        let polls: Vec<_> = trace.polls_of(t).iter().map(|r| *trace.poll(*r)).collect();
        let Some(first) = polls.first() else { continue };
        for pair in polls.windows(2) {
            assert!(
                pair[0].end_ns() <= pair[1].start_ns,
                "task {} `{}` polled in two places at once: {:?} then {:?}",
                t.id,
                trace.label(t),
                pair[0],
                pair[1]
            );
        }
        let spawn = t
            .spawn_ns()
            .unwrap_or_else(|| panic!("task {} polled, never spawned", t.id));
        assert!(
            spawn <= first.start_ns,
            "task {} polled before its spawn",
            t.id
        );
        for p in &polls {
            assert_eq!(p.task as usize, ti);
        }
        let wakes: Vec<u64> = trace
            .wakes_of(t)
            .iter()
            .map(|&w| trace.wakes[w as usize].ts_ns())
            .collect();
        for pair in polls.windows(2) {
            if pair[0].outcome() == PollOutcome::Pending {
                assert!(
                    wakes
                        .iter()
                        .any(|&w| w >= pair[0].start_ns && w <= pair[1].start_ns),
                    "task {} `{}` polled again at {} with no wake since {}",
                    t.id,
                    trace.label(t),
                    pair[1].start_ns,
                    pair[0].start_ns
                );
            }
        }
        // The state spans tile the task's life: no gap, no overlap, a running span per poll.
        let states = trace.task_states(ti as u32);
        for pair in states.windows(2) {
            assert_eq!(
                pair[0].end_ns,
                pair[1].start_ns,
                "task {} `{}`: state spans {:?} then {:?}",
                t.id,
                trace.label(t),
                pair[0],
                pair[1]
            );
        }
        let running = states
            .iter()
            .filter(|s| s.state == TaskState::Running)
            .count();
        assert_eq!(
            running,
            polls.len(),
            "task {}: a running span per poll",
            t.id
        );
        if let (Some(a), Some(b)) = (states.first(), states.last()) {
            let life = t.end_ns().unwrap_or(trace.end_ns()) - spawn;
            let sum: u64 = states.iter().map(|s| s.end_ns - s.start_ns).sum();
            assert_eq!(
                (a.start_ns, sum),
                (spawn, life),
                "task {}: spans add up to its life",
                t.id
            );
            assert!(b.end_ns >= last_poll_end(&polls));
        }
        let last = polls.last().copied().unwrap_or(*first);
        if let Some(end) = t.end_ns() {
            assert!(
                end >= last.end_ns(),
                "task {} `{}` ({:?}) completes at {end} before its last poll ends: {last:?}",
                t.id,
                trace.label(t),
                t.outcome
            );
        }
        if t.outcome == Some(Outcome::Ok) {
            assert_eq!(
                last.outcome(),
                PollOutcome::Ready,
                "task {} ok but last poll pending",
                t.id
            );
        }
    }
}

fn last_poll_end(polls: &[asyncscope::trace::PollSpan]) -> u64 {
    polls.iter().map(|p| p.end_ns()).max().unwrap_or(0)
}

fn has(s: &Summary, kind: FindingKind) -> bool {
    s.findings.iter().any(|f| f.kind == kind)
}

/// No worker poll came near `ms`, the length of the work the lesson keeps off the workers.
/// A slow-poll finding for a shorter poll is allowed: on a loaded 2-core CI the OS pauses a
/// worker mid-poll for 10 ms and more (seen: `joiner` held worker-0 for 10.0 ms in a GET).
fn no_poll_near(s: &Summary, ms: f64) {
    let longest = s.longest_poll.as_ref().map_or(0.0, |p| p.ms);
    assert!(
        longest < ms,
        "a worker poll of {longest} ms: {:?}",
        s.findings
    );
    for f in s
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::SlowPoll)
    {
        let held_ms = (f.range_ns.1 - f.range_ns.0) as f64 / 1e6;
        assert!(held_ms < ms, "{held_ms} ms: {}", f.message);
    }
}

fn worker_lanes(trace: &Trace) -> usize {
    trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Worker)
        .count()
}

#[test]
fn io_fanout_requests_overlap() {
    let (trace, s) = run_named("io_fanout");
    assert_eq!(s.http.requests, 100);
    assert_eq!(s.http.status.get("200"), Some(&100));
    // 100 requests of 100 ms: one latency if they overlap, 10 s if they did not.
    assert!(
        s.wall_ms >= 100.0 && s.wall_ms < 1_000.0,
        "wall {} ms",
        s.wall_ms
    );
    assert!(
        s.http.max_in_flight >= 50,
        "in flight {}",
        s.http.max_in_flight
    );
    let fetch = tasks_named(&trace, "fetch");
    assert_eq!(fetch.len(), 100);
    assert!(
        fetch
            .iter()
            .all(|t| t.outcome == Some(Outcome::Ok) && trace.polls_of(t).len() >= 2)
    );
    assert!(
        worker_lanes(&trace) >= 2,
        "a 4-worker runtime used {} lanes",
        worker_lanes(&trace)
    );
    assert!(trace.lanes.iter().all(|l| l.name.starts_with("worker-")));
    // The workers mostly sleep while the server works: every one has park periods, and
    // they add up to most of its time.
    for l in &trace.lanes {
        assert!(!l.parks.is_empty(), "{} never parked", l.name);
    }
    let sched = &s.scheduler;
    assert_eq!(sched.park_ms_per_worker.len(), worker_lanes(&trace));
    assert!(
        sched.park_ms_per_worker.iter().sum::<f64>() > 2.0 * s.wall_ms,
        "4 workers asleep most of a {} ms run: {:?}",
        s.wall_ms,
        sched.park_ms_per_worker
    );
    // Responses wake their tasks from the I/O driver.
    assert!(
        sched.wakes_by_source.driver >= 100,
        "{:?}",
        sched.wakes_by_source
    );
    // hyper's connection tasks are captured too, named after where they were spawned.
    assert!(
        trace
            .tasks
            .iter()
            .any(|t| t.name.is_none() && trace.label(t).contains(".rs:")),
        "library tasks are in the trace"
    );
    let hb = s.heartbeat_late_ms.as_ref().expect("heartbeat");
    assert!(hb.count >= 5, "{hb:?}");
    // tokio-metrics: the runtime was sampled, and each task group has its monitor.
    assert!(s.metrics.samples >= 2, "{:?}", s.metrics);
    assert_eq!(
        s.metrics.worker_busy_ratio_mean.len(),
        4,
        "one busy ratio per worker"
    );
    let fetch_group = s
        .metrics
        .task_groups
        .iter()
        .find(|g| g.name == "fetch")
        .expect("fetch monitor");
    assert_eq!(fetch_group.tasks, 100);
    assert!(
        s.metrics
            .task_groups
            .iter()
            .any(|g| g.name == "heartbeat" && g.tasks == 1)
    );
    for kind in [
        FindingKind::SequentialAwaits,
        FindingKind::BlockingPoolSaturated,
        FindingKind::RateLimited,
        FindingKind::LostWakeup,
    ] {
        assert!(
            !has(&s, kind),
            "io_fanout has no {kind:?}: {:?}",
            s.findings
        );
    }
}

#[test]
fn sequential_awaits_take_the_sum() {
    let (trace, s) = run_named("sequential_awaits");
    assert_eq!(s.http.requests, 10);
    assert_eq!(s.http.max_in_flight, 1);
    assert!(
        s.wall_ms >= 1_000.0,
        "10 × 100 ms one after another took {} ms",
        s.wall_ms
    );
    let client = tasks_named(&trace, "client");
    assert_eq!(client.len(), 1);
    // Every request is an await the task went idle at: at least one poll per request.
    assert!(
        trace.polls_of(client[0]).len() > 10,
        "{} polls",
        trace.polls_of(client[0]).len()
    );
}

fn assert_worker_hog(name: &str, hog: &str) {
    let (trace, s) = run_named(name);
    let longest = s.longest_poll.expect("polls");
    assert_eq!(longest.name, hog);
    assert!(
        longest.ms >= 295.0,
        "the 300 ms of work is one poll: {longest:?}"
    );
    assert!(s.slow_polls >= 2);
    let hb = s.heartbeat_late_ms.expect("heartbeat");
    assert!(
        hb.max >= 100.0,
        "the heartbeat waited behind the hog: {hb:?}"
    );
    for t in tasks_named(&trace, hog) {
        let long = trace
            .polls_of(t)
            .iter()
            .map(|r| trace.poll(*r).duration_ns())
            .max()
            .unwrap_or(0);
        assert!(
            long >= 295_000_000,
            "each {hog} holds its worker for the whole 300 ms"
        );
    }
    // One finding per long poll (a preempted short poll elsewhere may add its own).
    let slow: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::SlowPoll)
        .filter(|f| {
            f.task
                .and_then(|t| trace.task_by_id(t))
                .is_some_and(|t| t.name.as_deref() == Some(hog))
        })
        .collect();
    assert_eq!(slow.len(), 2, "{:?}", s.findings);
    for f in slow {
        assert!(f.lane.as_deref().is_some_and(|l| l.starts_with("worker-")));
        assert!(f.remedy.contains("spawn_blocking"));
        assert!(
            f.message.contains("in one poll (budget 10"),
            "{}",
            f.message
        );
    }
    // tokio-metrics agrees: a worker was fully busy, and half the hog's polls were slow.
    assert!(s.metrics.max_worker_busy_ratio >= 0.9, "{:?}", s.metrics);
    let g = s
        .metrics
        .task_groups
        .iter()
        .find(|g| g.name == hog)
        .expect("monitor");
    assert!(g.slow_poll_ratio >= 0.4, "{g:?}");
}

#[test]
fn cpu_misuse_shows_a_long_poll_and_a_late_heartbeat() {
    assert_worker_hog("cpu_misuse", "crunch");
}

#[test]
fn blocking_misuse_shows_a_long_poll_and_a_late_heartbeat() {
    assert_worker_hog("blocking_misuse", "blocker");
}

#[test]
fn offloading_keeps_worker_polls_short_and_fills_blocking_lanes() {
    let (trace, s) = run_named("hybrid_blocking_pool");
    let blocking: Vec<_> = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Blocking)
        .collect();
    assert!(
        (1..=4).contains(&blocking.len()),
        "max_blocking_threads = 4, got {} blocking lanes",
        blocking.len()
    );
    assert_eq!(s.tasks.blocking, 20);
    let offload: Vec<_> = tasks_named(&trace, "offload_cpu");
    assert_eq!(offload.len(), 20);
    for t in &offload {
        assert_eq!(t.kind, TaskKind::Blocking);
        assert_eq!(t.outcome, Some(Outcome::Ok));
        let parent = t
            .parent()
            .and_then(|p| trace.task_by_id(p))
            .expect("parent");
        assert_eq!(parent.name.as_deref(), Some("download"));
        let run = trace.poll(trace.polls_of(t)[0]);
        assert!(
            run.duration_ns() >= 49_000_000,
            "the parse ran on the blocking lane"
        );
        assert_eq!(
            trace.lanes[trace.polls_of(t)[0].lane as usize].kind,
            LaneKind::Blocking
        );
    }
    // The 50 ms parses are not on the workers: no worker poll comes close.
    let longest = s.longest_poll.as_ref().expect("polls");
    assert!(longest.ms < 40.0, "worker polls stay short: {longest:?}");
    // 20 jobs of 50 ms on 4 blocking threads: most of them queue.
    assert!(
        has(&s, FindingKind::BlockingPoolSaturated),
        "{:?}",
        s.findings
    );
    assert!(
        s.metrics.max_blocking_queue > 0,
        "tokio-metrics saw the queue: {:?}",
        s.metrics
    );
}

/// Blocking calls on the blocking pool (`offload_block_ms`): four at a time on the
/// blocking lanes, the one worker free, the heartbeat on time; and no GIL finding on tokio.
#[test]
fn blocking_calls_on_the_pool_leave_the_worker_free() {
    let (trace, s) = run_named("offload_blocking");
    let blocking = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Blocking)
        .count();
    assert_eq!(blocking, 4, "max_blocking_threads = 4");
    assert_eq!(worker_lanes(&trace), 1);
    let calls = tasks_named(&trace, "offload_block");
    assert_eq!(calls.len(), 16);
    // Sixteen 100 ms calls, four at a time: four rounds, not sixteen.
    assert!(
        (390.0..1200.0).contains(&s.wall_ms),
        "{} ms for 16 calls of 100 ms on 4 threads",
        s.wall_ms
    );
    let late = s.heartbeat_late_ms.as_ref().expect("a heartbeat");
    assert!(late.max < 50.0, "the worker stays free: {late:?}");
    assert!(!has(&s, FindingKind::SharedGil));
    // The 100 ms calls are not on the worker.
    no_poll_near(&s, 50.0);
}

#[test]
fn semaphore_caps_in_flight_and_avoids_429s() {
    let (_, s) = run_named("rate_limited_client");
    assert_eq!(s.http.requests, 15);
    assert_eq!(s.http.status.get("200"), Some(&15), "{:?}", s.http.status);
    assert!(
        s.http.max_in_flight <= 5,
        "in flight {}",
        s.http.max_in_flight
    );
}

#[test]
fn naive_fanout_gets_429s() {
    let (_, s) = run_named("naive_fanout_rate_limited");
    assert_eq!(s.http.requests, 15);
    assert_eq!(s.http.status.get("200"), Some(&5), "{:?}", s.http.status);
    assert_eq!(s.http.status.get("429"), Some(&10), "{:?}", s.http.status);
    let f = s
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::RateLimited)
        .expect("the 429 finding");
    assert!(
        f.message.starts_with("10 of 15 requests were refused"),
        "{}",
        f.message
    );
    // The 429s come back at once, so the peak is between the 5 admitted and all 15.
    assert!(
        (5..=15).contains(&s.http.max_in_flight)
            && f.message
                .contains(&format!("up to {} were in flight", s.http.max_in_flight)),
        "{}",
        f.message
    );
}

#[test]
fn join_is_one_task_spawn_is_many() {
    let (trace, s) = run_named("join_vs_spawn");
    assert_eq!(s.http.requests, 10);
    assert!(
        s.wall_ms < 1_000.0,
        "both overlap their requests: {} ms",
        s.wall_ms
    );
    assert_eq!(tasks_named(&trace, "joiner").len(), 1);
    let spawner = tasks_named(&trace, "spawner");
    assert_eq!(spawner.len(), 1);
    let children = tasks_named(&trace, "child");
    assert_eq!(children.len(), 5);
    assert!(children.iter().all(|c| c.parent() == Some(spawner[0].id)));
    // The spawner is woken by its children finishing (JoinHandle), task to task.
    let woken_by_child = trace.wakes_of(spawner[0]).iter().any(|&w| {
        trace.wakes[w as usize]
            .by()
            .is_some_and(|b| trace.tasks[b as usize].name.as_deref() == Some("child"))
    });
    assert!(woken_by_child, "a child's completion wakes the spawner");
    // tokio's waker-clone and waker-drop callsites are turned off (learnt before the first
    // run), and the wakes above still came through.
    assert!(
        asyncscope::capture::muted_waker_callsites() >= 2,
        "clone and drop callsites muted: {}",
        asyncscope::capture::muted_waker_callsites()
    );
    assert!(!has(&s, FindingKind::SequentialAwaits), "{:?}", s.findings);
    // Both only await: no poll holds a worker for a request's 100 ms.
    no_poll_near(&s, 50.0);
}

#[test]
fn a_forgotten_wake_up_is_found() {
    // The parent does not wait for the child, so the run ends; the child hangs forever.
    let sc = scenario::parse(
        "inline.toml",
        r#"
name = "lost"
about = "A hand-written future forgets its waker."
[[task]]
name = "parent"
steps = [ { spawn = { name = "forgotten", steps = [ { sleep_ms = 5 }, { forget_wake = true } ], wait = false } }, { sleep_ms = 30 } ]
"#,
    )
    .expect("valid");
    let trace = run_alone(&sc, RunOptions::default());
    assert!(!trace.stopped);
    let s = Summary::from_trace(&trace);
    let lost: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::LostWakeup)
        .collect();
    assert_eq!(lost.len(), 1, "{:?}", s.findings);
    let task = trace.task_by_id(lost[0].task.expect("task")).expect("task");
    assert_eq!(task.name.as_deref(), Some("forgotten"));
    assert_eq!(
        task.outcome,
        Some(Outcome::Shutdown),
        "alive at shutdown, not cancelled"
    );
}

#[test]
fn a_task_that_never_yields_is_named() {
    let sc = scenario::parse(
        "inline.toml",
        "name = \"n\"\nabout = \"a\"\n[runtime]\nworkers = 2\n[[task]]\nname = \"hog\"\nsteps = [{ cpu_ms = 40 }]\n",
    )
    .expect("valid");
    let trace = run_alone(&sc, RunOptions::default());
    let s = Summary::from_trace(&trace);
    let f = s
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::NeverYielded)
        .expect("never-yielded finding");
    assert_eq!(
        trace
            .task_by_id(f.task.expect("task"))
            .and_then(|t| t.name.as_deref()),
        Some("hog")
    );
    assert!(f.message.contains("never yielded"), "{}", f.message);
}

#[test]
fn single_thread_loop_has_one_lane_and_stalls_on_cpu() {
    let (trace, s) = run_named("single_thread_loop");
    assert_eq!(worker_lanes(&trace), 1);
    assert_eq!(trace.lanes[0].name, "worker-0");
    assert_eq!(s.http.status.get("200"), Some(&50));
    let longest = s.longest_poll.expect("polls");
    assert_eq!(longest.name, "slow_callback");
    assert!(longest.ms >= 95.0);
    assert!(s.heartbeat_late_ms.expect("heartbeat").max >= 80.0);
}

#[test]
fn a_panicking_task_is_recorded_and_the_run_goes_on() {
    let sc = scenario::parse(
        "inline.toml",
        r#"
name = "panic"
about = "One task panics."
[[task]]
name = "bad"
steps = [ { sleep_ms = 5 }, { panic = "on purpose" } ]
[[task]]
name = "good"
count = 3
steps = [ { sleep_ms = 20 } ]
"#,
    )
    .expect("valid");
    let trace = run_alone(&sc, RunOptions::default());
    assert_invariants(&trace);
    let bad = tasks_named(&trace, "bad");
    assert_eq!(bad[0].outcome, Some(Outcome::Panicked));
    assert_eq!(trace.panic_message(bad[0]), Some("on purpose"));
    let good = tasks_named(&trace, "good");
    assert!(good.iter().all(|t| t.outcome == Some(Outcome::Ok)));
    let s = Summary::from_trace(&trace);
    assert_eq!(s.tasks.panicked, 1);
    assert_eq!(s.panics[0].message, "on purpose");
}

#[test]
fn stop_ends_a_runaway_scenario_and_keeps_the_partial_trace() {
    let sc =
        scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runaway.toml"))
            .expect("valid");
    let _turn = turn();
    let stop = StopHandle::default();
    let stopper = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let asked = Instant::now();
            stop.stop();
            asked
        })
    };
    let trace = run(
        &sc,
        RunOptions {
            stop,
            ..Default::default()
        },
    )
    .expect("run");
    let asked = stopper.join().expect("stopper");
    let latency = asked.elapsed();
    // Issue #7: a runaway run ends within 1 s of Stop, its trace finished.
    assert!(
        latency < Duration::from_secs(1),
        "stopped {latency:?} after asking"
    );
    assert!(trace.stopped);
    assert!(trace.wall_ns >= 200_000_000, "ran until the stop");
    // The partial trace is kept: the spin's long poll (it ends when the stop reaches its
    // loop) and whatever the ticker did meanwhile (the spinning worker can stall the
    // timer, so how much varies).
    let spin = tasks_named(&trace, "spin");
    let longest = trace
        .polls_of(spin[0])
        .iter()
        .map(|r| trace.poll(*r).duration_ns())
        .max()
        .unwrap_or(0);
    assert!(
        longest >= 150_000_000,
        "spin's poll is in the trace: {longest} ns"
    );
    let ticker = tasks_named(&trace, "ticker");
    assert!(
        !trace.polls_of(ticker[0]).is_empty(),
        "the partial trace is kept"
    );
    // It either saw the stop between two ticks (ok) or was dropped at shutdown.
    assert!(ticker[0].outcome.is_some());
    assert!(Summary::from_trace(&trace).stopped);
}

#[test]
fn time_limit_stops_the_run() {
    let sc = scenario::parse(
        "inline.toml",
        "name = \"t\"\nabout = \"a\"\ntime_limit_s = 1\n[[task]]\nname = \"sleeper\"\nsteps = [{ sleep_ms = 60000 }]\n",
    )
    .expect("valid");
    let _turn = turn();
    let started = Instant::now();
    let trace = run(&sc, RunOptions::default()).expect("run");
    // The limit, then at most 1 s to stop.
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(trace.stopped);
    assert_eq!(
        tasks_named(&trace, "sleeper")[0].outcome,
        Some(Outcome::Shutdown)
    );
}

#[test]
fn every_shipped_scenario_is_valid_and_local() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let sc = scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !sc.allow_external,
                "{}: shipped scenarios stay on 127.0.0.1",
                path.display()
            );
            let sentences = sc.about.matches(". ").count() + 1;
            assert!(
                (2..=5).contains(&sentences),
                "{}: about has {sentences} sentences",
                path.display()
            );
            n += 1;
        }
    }
    assert!(n >= 9, "{n} scenarios shipped");
}

/// A run exported as Chrome JSON or saved as `.ascope` reads back with the same summary
/// (findings, histograms and metrics included) and the same task states.
#[test]
fn exported_runs_reimport_unchanged() {
    let dir = std::env::temp_dir().join(format!("asyncscope-e2e-reimport-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for name in ["naive_fanout_rate_limited", "hybrid_blocking_pool"] {
        let (trace, summary) = run_named(name);
        let json = dir.join(format!("{name}.json"));
        let native = dir.join(format!("{name}.ascope"));
        asyncscope::export::chrome::write_file(&trace, &json).expect("export");
        asyncscope::export::native::save(&trace, &native).expect("save");
        for path in [&json, &native] {
            let back = asyncscope::export::load_trace(path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(Summary::from_trace(&back), summary, "{}", path.display());
            for i in 0..trace.tasks.len() as u32 {
                assert_eq!(back.task_states(i), trace.task_states(i), "task index {i}");
            }
            assert_eq!(back.wakes.len(), trace.wakes.len());
        }
    }
}

/// The stress scenario makes over a million events, and none is lost.
#[test]
fn stress_records_a_million_events() {
    let (trace, s) = run_named("stress");
    assert!(s.events >= 1_000_000, "{} events", s.events);
    assert_eq!(s.events_dropped, 0);
    assert_eq!(s.truncated_at_events, None);
    assert_eq!(tasks_named(&trace, "yielder").len(), 14_000);
    assert!(
        trace.lanes.iter().map(|l| l.polls.len()).sum::<usize>() >= 14_000 * 26,
        "every yield is a poll"
    );
    // Each yield_now is a wake by the task itself, during its own poll.
    // (A worker that sleeps before it wakes the yielders it deferred makes a few of
    // those wakes look like the driver's.)
    assert!(
        s.scheduler.self_wakes >= 14_000 * 25 * 99 / 100,
        "{:?}",
        s.scheduler
    );
    assert_eq!(s.scheduler.wakes_by_source.self_, s.scheduler.self_wakes);
}

/// At the memory cap, recording stops, the trace says where, and the run itself goes on
/// to its end.
#[test]
fn the_memory_cap_truncates_visibly() {
    let options = RunOptions {
        max_events: Some(100_000),
        ..Default::default()
    };
    let trace = run_alone(&load("stress"), options);
    let s = Summary::from_trace(&trace);
    assert!(trace.truncated);
    assert_eq!(s.events, 100_000);
    assert_eq!(s.truncated_at_events, Some(100_000));
    assert!(
        s.events_dropped > 900_000,
        "the rest is counted: {}",
        s.events_dropped
    );
    assert!(!s.stopped, "the run ran to its end");
    assert!(has(&s, FindingKind::Truncated), "{:?}", s.findings);
    assert!(
        !has(&s, FindingKind::LostWakeup),
        "tasks waiting at the cut are not lost wake-ups"
    );
    let text = asyncscope::export::text::render(&s);
    assert!(text.contains("truncated  at 100000 events"), "{text}");
    // The exports say so too, and read back the same.
    let dir = std::env::temp_dir().join(format!("asyncscope-e2e-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (json, native) = (dir.join("cap.json"), dir.join("cap.ascope"));
    asyncscope::export::chrome::write_file(&trace, &json).expect("export");
    asyncscope::export::native::save(&trace, &native).expect("save");
    for path in [&json, &native] {
        let back = asyncscope::export::load_trace(path).expect("loads");
        assert!(back.truncated, "{}", path.display());
        assert_eq!(
            Summary::from_trace(&back).truncated_at_events,
            Some(100_000)
        );
    }
}

#[test]
fn work_stealing_spreads_the_children_over_the_workers() {
    let (trace, s) = run_named("work_stealing");
    let children = tasks_named(&trace, "child");
    assert_eq!(children.len(), 200);
    let lanes: std::collections::BTreeSet<u16> = children
        .iter()
        .flat_map(|t| trace.polls_of(t).iter().map(|r| r.lane))
        .collect();
    assert!(
        lanes.len() >= 2,
        "the children ran on {} worker(s): idle workers stole them",
        lanes.len()
    );
    assert!(s.scheduler.migrations > 0, "{:?}", s.scheduler);
    // Each child's yield is a wake by itself.
    assert!(s.scheduler.self_wakes >= 200, "{:?}", s.scheduler);
}

#[test]
fn the_coop_budget_chops_a_ready_drain_into_many_polls() {
    let (trace, s) = run_named("coop_budget");
    let drainer = tasks_named(&trace, "drainer");
    let i = trace.task_index(drainer[0].id).expect("drainer");
    let polls = trace.task_polls(i).len();
    // 20 000 ready receives, 128 per poll: about 157 polls (plus the two sleeps').
    assert!(polls > 100, "{polls} polls");
    assert!(
        trace.self_wakes(i) > 100,
        "{} self-wakes",
        trace.self_wakes(i)
    );
    // No poll of the drain held the only worker for long.
    assert!(s.longest_poll_ms < 10.0, "{} ms", s.longest_poll_ms);
}

#[test]
fn producer_and_consumer_wake_each_other() {
    let (trace, s) = run_named("producer_consumer");
    let producer = trace
        .task_index(tasks_named(&trace, "producer")[0].id)
        .expect("producer");
    let consumer = trace
        .task_index(tasks_named(&trace, "consumer")[0].id)
        .expect("consumer");
    let woken_by = |task: u32, by: u32| {
        trace
            .task_wakes(task)
            .iter()
            .filter(|&&w| trace.wake_source(&trace.wakes[w as usize]) == WakeSource::Task(by))
            .count()
    };
    // In a burst the full channel makes the producer wait, and a receive that makes room
    // wakes it; between bursts the consumer waits, and a send wakes it.
    assert!(
        woken_by(producer, consumer) >= 10,
        "the consumer wakes the producer"
    );
    assert!(
        woken_by(consumer, producer) >= 1,
        "the producer wakes the consumer"
    );
    assert!(
        trace.task_polls(producer).len() > 10,
        "the producer waited many times"
    );
    assert!(s.scheduler.wakes_by_source.task >= 20, "{:?}", s.scheduler);
    assert_eq!(
        tasks_named(&trace, "consumer")[0].outcome,
        Some(Outcome::Ok),
        "200 sent, 200 received: nobody hangs"
    );
}

/// tokio's poll hooks once put a task in two places at once, about one run in twenty of a
/// 4-worker scenario on 2 CPUs (a task woken during its poll, stolen and polled by another
/// worker before the first worker's after-poll hook ran). Polls are now timed inside the
/// task's own poll; `assert_invariants` checks each task's polls never overlap, over
/// repeated runs of the scenarios that showed it.
#[test]
fn repeated_four_worker_runs_never_poll_a_task_in_two_places() {
    for name in [
        "join_vs_spawn",
        "naive_fanout_rate_limited",
        "work_stealing",
    ] {
        let sc = load(name);
        assert_eq!(sc.runtime.workers, 4, "{name}");
        for _ in 0..20 {
            let trace = run_alone(&sc, RunOptions::default());
            assert_invariants(&trace);
            let polled = trace
                .tasks
                .iter()
                .filter(|t| !trace.polls_of(t).is_empty())
                .count();
            assert!(polled > 1, "{name}: tasks were polled");
        }
    }
}

/// The id of the step labelled `label` in the run's step table.
fn step_id(trace: &Trace, label: &str) -> u32 {
    trace
        .steps
        .iter()
        .position(|s| s.label == label)
        .unwrap_or_else(|| panic!("no step `{label}` in {:?}", trace.steps)) as u32
}

/// Every task's time in step `step`.
fn spans_of_step(trace: &Trace, step: u32) -> Vec<StepSpan> {
    (0..trace.tasks.len() as u32)
        .flat_map(|i| trace.task_step_spans(i))
        .filter(|s| s.step == step)
        .collect()
}

/// The most spans open at once, over `[from_ns, to_ns)`.
fn most_at_once(spans: &[StepSpan], from_ns: u64, to_ns: u64) -> usize {
    let mut edges: Vec<(u64, i64)> = spans
        .iter()
        .filter(|s| s.end_ns > from_ns && s.start_ns < to_ns)
        .flat_map(|s| [(s.start_ns.max(from_ns), 1), (s.end_ns, -1)])
        .collect();
    // Ends before starts at one instant: a permit handed over is not held twice.
    edges.sort_by_key(|&(t, d)| (t, d));
    let (mut level, mut most) = (0i64, 0i64);
    for (_, d) in edges {
        level += d;
        most = most.max(level);
    }
    most as usize
}

/// The waiting spans of the tasks named `name`, by reason.
fn waits_of(trace: &Trace, name: &str, reason: WaitReason) -> Vec<asyncscope::trace::StateSpan> {
    trace
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.name.as_deref() == Some(name))
        .flat_map(|(i, _)| trace.task_states(i as u32))
        .filter(|s| s.state == TaskState::Waiting && s.wait == Some(reason))
        .collect()
}

#[test]
fn the_rate_limited_client_holds_five_permits_and_queues_the_rest_at_the_semaphore() {
    let (trace, s) = run_named("rate_limited_client");
    let acquire = step_id(&trace, "permit api");
    let holding = spans_of_step(&trace, step_id(&trace, "holding permit api"));
    assert_eq!(holding.len(), 15, "each client held the permit once");
    assert_eq!(
        most_at_once(&holding, 0, u64::MAX),
        5,
        "Semaphore(5): never more than five inside"
    );
    let queued = spans_of_step(&trace, acquire);
    let first_second = 1_000_000_000;
    assert!(
        most_at_once(&queued, 0, first_second) >= 10,
        "ten clients wait for a permit during the first second: {}",
        most_at_once(&queued, 0, first_second)
    );
    // Their waits say so: for the permit, in its step.
    let permit_waits = waits_of(&trace, "client", WaitReason::Permit);
    assert!(
        permit_waits.len() >= 10,
        "{} permit waits",
        permit_waits.len()
    );
    assert!(permit_waits.iter().all(|w| w.step == Some(acquire)));
    assert!(!waits_of(&trace, "client", WaitReason::Http).is_empty());
    assert!(!waits_of(&trace, "client", WaitReason::Timer).is_empty());
    // The summary's resource peaks say the same, from the semaphore's own series.
    let api = &s.resources.semaphores["api"];
    assert_eq!((api.permits, api.max_held), (5, 5));
    assert!(api.max_waiting >= 10, "{api:?}");
    assert_eq!(s.resources.http.max_in_flight, 5);
    let series = trace.semaphore_series("api");
    assert_eq!(
        series.at(first_second / 2),
        [5, 10],
        "five inside, ten queued at 0.5 s"
    );
    // The group's own series: at 0.5 s, five clients asleep under the permit and ten
    // waiting for it; the fifteen are always somewhere.
    let group = trace.group_state_series("client");
    let at = group.at(first_second / 2);
    let field = |f: &str| group.fields.iter().position(|x| *x == f).expect(f);
    assert_eq!((at[field("timer")], at[field("permit")]), (5, 10), "{at:?}");
    assert_eq!(at.iter().sum::<u64>(), 15);
    let g = &s.groups["client"];
    assert_eq!(g.tasks, 15);
    assert!(g.waits["permit"] > g.waits["http"], "{g:?}");
    assert!(
        g.sentence(asyncscope::i18n::Language::English)
            .contains("waiting for a permit (permit api)"),
        "{}",
        g.sentence(asyncscope::i18n::Language::English)
    );
}

#[test]
fn producer_and_consumer_wait_on_the_channel_both_ways() {
    let (trace, s) = run_named("producer_consumer");
    let send = waits_of(&trace, "producer", WaitReason::ChannelSend);
    let recv = waits_of(&trace, "consumer", WaitReason::ChannelRecv);
    assert!(
        send.len() >= 10,
        "the producer waits for room: {}",
        send.len()
    );
    assert!(!recv.is_empty(), "the consumer waits for messages");
    let on =
        |w: &asyncscope::trace::StateSpan| trace.steps[w.step.expect("a step") as usize].on.clone();
    assert!(send.iter().chain(&recv).all(|w| on(w) == "jobs"));
    assert!(s.groups["producer"].waits.contains_key("channel_send"));
    assert!(s.groups["consumer"].waits.contains_key("channel_recv"));
    // The channel fills to its capacity (the producer waits then) and never beyond.
    let jobs = &s.resources.channels["jobs"];
    assert_eq!(jobs.max_queued, jobs.capacity, "{jobs:?}");
    let queued = trace.channel_series("jobs");
    assert_eq!(queued.at(u64::MAX), [0], "every message was received");
}

#[test]
fn offloaded_work_is_a_blocking_wait_that_includes_queueing_for_a_thread() {
    let (trace, _) = run_named("hybrid_blocking_pool");
    let waits = waits_of(&trace, "download", WaitReason::Blocking);
    assert!(waits.len() >= 20, "{} blocking waits", waits.len());
    // 20 jobs of 50 ms on 4 threads: most wait for a thread. The parent's wait covers its
    // job's time in the queue (spawned, not yet running) and its run.
    let mut queued_inside = 0;
    for (ci, c) in trace.tasks.iter().enumerate() {
        if c.kind != TaskKind::Blocking {
            continue;
        }
        let (Some(spawn), Some(run)) = (c.spawn_ns(), trace.task_polls(ci as u32).first()) else {
            continue;
        };
        let run = trace.poll(*run);
        let Some(parent) = c.parent().and_then(|p| trace.task_index(p)) else {
            continue;
        };
        // The parent spawns the job inside a poll and waits from that poll's end.
        let wait = trace.task_states(parent).into_iter().find(|s| {
            s.wait == Some(WaitReason::Blocking)
                && s.state == TaskState::Waiting
                && s.start_ns >= spawn
                && s.start_ns <= run.start_ns
                && s.end_ns >= run.end_ns()
        });
        if wait.is_some_and(|w| run.start_ns - w.start_ns > 10_000_000) {
            queued_inside += 1;
        }
    }
    assert!(
        queued_inside >= 5,
        "{queued_inside} jobs queued >10 ms inside their parent's wait"
    );
}

#[test]
fn join_and_awaited_spawns_are_join_waits() {
    let (trace, s) = run_named("join_vs_spawn");
    let joiner = waits_of(&trace, "joiner", WaitReason::Join);
    assert!(!joiner.is_empty());
    assert!(
        joiner
            .iter()
            .all(|w| trace.steps[w.step.expect("step") as usize].kind == "join")
    );
    let spawner = waits_of(&trace, "spawner", WaitReason::Join);
    assert!(
        spawner
            .iter()
            .all(|w| trace.steps[w.step.expect("step") as usize].kind == "spawn")
    );
    assert!(!spawner.is_empty());
    assert!(
        waits_of(&trace, "joiner", WaitReason::Http).is_empty(),
        "the join hides its branches"
    );
    assert!(!waits_of(&trace, "child", WaitReason::Http).is_empty());
    assert!(s.groups["joiner"].waits["join"] > 0.0);
}

/// The trace is finished (sorted, resolved) and summarised off the viewer's lock: while it
/// is, a viewer sees a placeholder that says so, never a lock held for the whole finish.
#[test]
fn a_run_is_finished_off_the_viewers_lock() {
    use asyncscope::run::{LiveTrace, run_live_summarized};
    let sc = load("stress");
    let _turn = turn();
    let live: LiveTrace = std::sync::Arc::new(std::sync::Mutex::new(Trace::new("stress")));
    let sink = live.clone();
    let run =
        std::thread::spawn(move || run_live_summarized(&sc, RunOptions::default(), &sink, || {}));
    let mut saw_placeholder = false;
    while !run.is_finished() {
        if let Ok(t) = live.try_lock() {
            saw_placeholder |= t.finishing;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let summary = run.join().expect("run thread").expect("run");
    assert!(
        saw_placeholder,
        "a viewer saw the placeholder while the trace was finished"
    );
    let t = live.lock().expect("trace");
    assert!(!t.finishing);
    assert_eq!(summary.events, t.events);
    assert!(t.events > 1_000_000, "{} events", t.events);
}

/// A coroutine does nothing until awaited; a task starts at once: the lazy future's request
/// starts after the pause, the spawned task's at once (and is done when the pause ends).
#[test]
fn a_coroutine_waits_until_awaited_and_a_task_runs_at_once() {
    let (trace, s) = run_named("lazy_vs_task");
    assert_eq!(s.http.requests, 2);
    let request_of = |group: &str| {
        let task = tasks_named(&trace, group)[0];
        let req = trace
            .http
            .iter()
            .find(|h| h.task == Some(task.id))
            .unwrap_or_else(|| panic!("{group}'s request"));
        (task, req.start_ns, req.end_ns.expect("answered"))
    };
    let (coroutine, lazy_start, lazy_end) = request_of("coroutine");
    let (_, eager_start, eager_end) = request_of("eager");
    let spawned = coroutine.spawn_ns().expect("spawned");
    assert!(
        lazy_start >= spawned + 195_000_000,
        "nothing of the coroutine ran during its 200 ms pause: its request started at {} ms",
        (lazy_start - spawned) as f64 / 1e6
    );
    assert!(
        eager_start < 50_000_000,
        "the task ran at once: its request started at {} ms",
        eager_start as f64 / 1e6
    );
    let spawner = tasks_named(&trace, "spawner")[0];
    let spawner_end = spawner.end_ns().expect("the spawner ends");
    assert!(
        eager_end <= spawner_end,
        "the task's request was done when the spawner awaited it"
    );
    assert!(
        spawner_end < lazy_end,
        "the eager task's group ended first: {} ms against {} ms",
        spawner_end as f64 / 1e6,
        lazy_end as f64 / 1e6
    );
    // While paused, the coroutine waits on the lazy step's timer, then in HTTP.
    let states = trace.task_states(
        trace
            .tasks
            .iter()
            .position(|t| t.id == coroutine.id)
            .expect("index") as u32,
    );
    let at = |t: u64| {
        states
            .iter()
            .find(|s| s.start_ns <= t && t < s.end_ns)
            .map(|s| s.wait)
    };
    assert_eq!(at(spawned + 100_000_000), Some(Some(WaitReason::Timer)));
    assert_eq!(at(lazy_start + 75_000_000), Some(Some(WaitReason::Http)));
}

/// A blocking client inside the poll: each worker holds one request at a time, so ten
/// 100 ms requests on two workers take about 500 ms, and the findings name the step.
#[test]
fn a_blocking_http_client_sends_one_request_per_worker_at_a_time() {
    let (trace, s) = run_named("blocking_http_client");
    assert_eq!(s.http.requests, 10);
    assert_eq!(s.http.status.get("200"), Some(&10), "{:?}", s.http.status);
    assert!(
        s.http.max_in_flight <= 2,
        "one request per worker at a time: {} in flight",
        s.http.max_in_flight
    );
    assert!(
        s.wall_ms >= 450.0,
        "ten 100 ms requests, two at a time, took {} ms",
        s.wall_ms
    );
    // Each request is one poll that held its worker for the whole latency.
    for t in tasks_named(&trace, "fetch") {
        let polls = trace.polls_of(t);
        let longest = polls
            .iter()
            .map(|r| trace.poll(*r).duration_ns())
            .max()
            .unwrap_or(0);
        assert!(longest >= 95_000_000, "task {}: {longest} ns", t.id);
    }
    let named: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.message.contains("in step `blocking GET /items` (line "))
        .collect();
    assert!(named.len() >= 8, "{:#?}", s.findings);
    assert!(
        named[0].remedy.contains("async client"),
        "{}",
        named[0].remedy
    );
    // The heartbeat (every 10 ms) waited for the workers: its first tick came at least
    // 100 ms late (at the end of the run, if the workers never got to its timer: that tick
    // is counted, that late).
    let first_tick = trace.heartbeats.first();
    assert!(
        first_tick.is_some_and(|h| h.late_ns >= 100_000_000),
        "the heartbeat ticked on time, or not at all: {first_tick:?}"
    );
}

/// Print-debugging: the lines come in the order the loop ran the tasks, each with its task
/// and time, and survive the exports (Chrome JSON instants, the trace file).
#[test]
fn print_lines_show_the_order_the_loop_resumed_the_tasks() {
    let (trace, s) = run_named("print_debugging");
    let texts: Vec<&str> = s.prints.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "slow: start",
            "medium: start",
            "fast: start",
            "fast: got the answer",
            "medium: got the answer",
            "slow: got the answer"
        ]
    );
    for p in &s.prints {
        let name = p.name.as_deref().expect("printed by a task");
        assert!(p.text.starts_with(name), "{p:?}");
        assert_eq!(
            trace
                .tasks
                .iter()
                .find(|t| Some(t.id) == p.task)
                .and_then(|t| t.name.as_deref()),
            Some(name)
        );
    }
    // Each answer's line comes after its latency: 100, 200, 300 ms.
    for (i, ms) in [(3, 100.0), (4, 200.0), (5, 300.0)] {
        assert!(s.prints[i].time >= ms, "{:?}", s.prints[i]);
    }
    // The Chrome JSON has them as instants with {task, text}, and reads them back.
    let mut json = Vec::new();
    asyncscope::export::chrome::write(&trace, &mut json).expect("chrome json");
    let doc: serde_json::Value = serde_json::from_slice(&json).expect("json");
    let instants: Vec<&serde_json::Value> = doc["traceEvents"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["cat"] == "print")
        .collect();
    assert_eq!(instants.len(), 6);
    assert!(instants.iter().all(|e| e["ph"] == "i" && e["s"] == "t"));
    assert_eq!(instants[0]["args"]["text"], "slow: start");
    assert_eq!(instants[0]["args"]["task"], s.prints[0].task.expect("task"));
    let back = asyncscope::export::chrome_import::parse(std::str::from_utf8(&json).expect("utf8"))
        .expect("reads back");
    assert_eq!(back.prints.len(), 6);
    assert_eq!(back.prints[5].text.as_ref(), "slow: got the answer");
    assert_eq!(back.prints[5].task, s.prints[5].task);
    // And the trace file keeps them.
    let bytes = asyncscope::export::native::to_bytes(&trace);
    let loaded = asyncscope::export::native::from_bytes(&bytes).expect("loads");
    assert_eq!(loaded.prints, trace.prints);
}

/// A timeout, a race and an abort drop unfinished work where it waits: the requests they
/// dropped are cancelled (not failed), the aborted tasks end as cancelled (not at shutdown),
/// and the tasks that timed out or raced go on with their next step.
#[test]
fn timeouts_races_and_aborts_cancel_where_the_work_waits() {
    let (trace, s) = run_named("cancel_and_timeout");
    assert_eq!(
        s.http.status.get("cancelled"),
        Some(&2),
        "{:?}",
        s.http.status
    );
    assert_eq!(s.http.status.get("200"), Some(&1), "{:?}", s.http.status);
    let dropped_at = |group: &str| {
        let task = tasks_named(&trace, group)[0];
        let h = trace
            .http
            .iter()
            .find(|h| {
                h.task == Some(task.id) && h.status == Some(asyncscope::trace::HTTP_CANCELLED)
            })
            .unwrap_or_else(|| panic!("{group}'s cancelled request"));
        (h.end_ns.expect("ended") - h.start_ns) as f64 / 1e6
    };
    let timed_out = dropped_at("impatient");
    assert!(
        (145.0..300.0).contains(&timed_out),
        "the timeout fired after {timed_out} ms"
    );
    let lost_race = dropped_at("racer");
    assert!(
        (95.0..250.0).contains(&lost_race),
        "the race ended after {lost_race} ms"
    );
    // Both went on with their next steps.
    let texts: Vec<&str> = s.prints.iter().map(|p| p.text.as_str()).collect();
    assert!(texts.contains(&"impatient: gave up, going on"), "{texts:?}");
    assert!(texts.contains(&"racer: the sleep won"), "{texts:?}");
    // The aborted workers: cancelled at about 200 ms, counted apart from shutdown.
    let workers = tasks_named(&trace, "worker");
    assert_eq!(workers.len(), 3);
    for w in &workers {
        assert_eq!(w.outcome, Some(Outcome::Cancelled), "task {}", w.id);
        let end = w.end_ns().expect("ended") as f64 / 1e6;
        assert!((195.0..600.0).contains(&end), "aborted at {end} ms");
    }
    assert_eq!(s.tasks.cancelled, 3, "{:?}", s.tasks);
    assert!(
        trace
            .tasks
            .iter()
            .filter(|t| t.name.is_none())
            .all(|t| t.outcome != Some(Outcome::Cancelled)),
        "library tasks alive at shutdown are not cancelled"
    );
    assert!(
        !s.findings.iter().any(|f| f.kind == FindingKind::LostWakeup),
        "an aborted task lost no wake-up: {:?}",
        s.findings
    );
    // The supervisor went on after aborting them.
    let sup = s
        .prints
        .iter()
        .find(|p| p.text == "supervisor: aborted the workers")
        .expect("printed");
    assert!(sup.time >= 195.0, "{sup:?}");
}

/// A one-shot result: the awaiters wait on it (reason `result`), unpolled, until the setter
/// sets it; then they go on together.
#[test]
fn awaiters_of_a_result_wait_unpolled_until_it_is_set() {
    let (trace, s) = run_named("future_handoff");
    let loader = tasks_named(&trace, "loader")[0];
    let set_at = trace
        .http
        .iter()
        .find(|h| h.task == Some(loader.id))
        .and_then(|h| h.end_ns)
        .expect("the loader's answer");
    assert!(set_at >= 195_000_000, "the config came at {set_at} ns");
    let workers = tasks_named(&trace, "worker");
    assert_eq!(workers.len(), 3);
    for w in &workers {
        let i = trace
            .tasks
            .iter()
            .position(|t| t.id == w.id)
            .expect("index") as u32;
        // Waiting for the result halfway to it, and not polled in between.
        let states = trace.task_states(i);
        let mid = set_at / 2;
        let at_mid = states
            .iter()
            .find(|s| s.start_ns <= mid && mid < s.end_ns)
            .expect("a state at the middle");
        assert_eq!(
            (at_mid.state, at_mid.wait),
            (TaskState::Waiting, Some(WaitReason::Result)),
            "task {}",
            w.id
        );
        let polls_before: Vec<_> = trace
            .polls_of(w)
            .iter()
            .map(|r| *trace.poll(*r))
            .filter(|p| p.start_ns < set_at)
            .collect();
        assert_eq!(
            polls_before.len(),
            1,
            "polled once, then parked on the result"
        );
        // Its own request only after the result was set.
        let req = trace
            .http
            .iter()
            .find(|h| h.task == Some(w.id))
            .expect("its request");
        assert!(
            req.start_ns >= set_at,
            "task {} asked before the result",
            w.id
        );
    }
    let g = &s.groups["worker"];
    assert!(
        g.waits.get("result").copied().unwrap_or(0.0) > 0.0,
        "the summary counts the wait: {g:?}"
    );
}

/// CPU work on a pool sized to the cores: the jobs run on `cpu-N` lanes, two at a time on
/// two threads, each awaited with reason `cpu_pool`; the workers stay free and the
/// heartbeat on time. The lanes and jobs survive the exports.
#[test]
fn cpu_work_on_the_cpu_pool_leaves_the_workers_free() {
    let sc = load("cpu_pool");
    assert_eq!(sc.runtime.cpu_threads, 2);
    let (trace, s) = run_named("cpu_pool");
    let cpu: Vec<_> = trace
        .lanes
        .iter()
        .filter(|l| l.kind == LaneKind::Cpu)
        .collect();
    let names: Vec<&str> = cpu.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["cpu-0", "cpu-1"]);
    let jobs: usize = cpu.iter().map(|l| l.polls.len()).sum();
    assert_eq!(jobs, 8, "one bar per job");
    for l in &cpu {
        for p in &l.polls {
            assert!(p.duration_ns() >= 95_000_000, "{}: {p:?}", l.name);
            assert_eq!(p.outcome(), PollOutcome::Ready);
            assert_eq!(trace.tasks[p.task as usize].kind, TaskKind::CpuJob);
        }
    }
    assert_eq!(s.tasks.cpu_jobs, 8);
    // Its track: never more running than the pool's threads (the dashed line at 2), the
    // rest queued.
    let (pool, size) = trace
        .resource_tracks(None)
        .into_iter()
        .find(|(c, _)| c.name == "cpu pool")
        .expect("a cpu pool track");
    assert_eq!(size, Some(2));
    assert_eq!(pool.max("running"), 2);
    let peak = s
        .resources
        .cpu_pool
        .as_ref()
        .expect("the summary's cpu pool");
    assert_eq!((peak.threads, peak.max_running), (2, 2));
    assert!(pool.max("waiting") >= 5, "queued: {}", pool.max("waiting"));
    assert!(
        s.wall_ms >= 380.0,
        "eight 100 ms jobs on two threads take 400 ms: {}",
        s.wall_ms
    );
    // The crunch tasks wait for the pool; the workers barely work.
    let g = &s.groups["crunch"];
    assert!(
        g.waits.get("cpu_pool").copied().unwrap_or(0.0) > 0.0,
        "{g:?}"
    );
    for l in trace.lanes.iter().filter(|l| l.kind == LaneKind::Worker) {
        assert!(
            l.busy_ns() < 50_000_000,
            "{} busy {} ns",
            l.name,
            l.busy_ns()
        );
    }
    assert_eq!(s.slow_polls, 0);
    let hb = s.heartbeat_late_ms.expect("heartbeat");
    assert!(hb.max < 50.0, "the heartbeat stayed on time: {hb:?}");
    // Each job's parent is its crunch task, and a crunch task is woken by its job.
    let crunch = tasks_named(&trace, "crunch");
    for t in &trace.tasks {
        if t.kind == TaskKind::CpuJob {
            assert!(
                crunch.iter().any(|c| Some(c.id) == t.parent()),
                "job {}",
                t.id
            );
        }
    }
    // The trace file and the Chrome JSON keep the lanes and the jobs.
    let loaded =
        asyncscope::export::native::from_bytes(&asyncscope::export::native::to_bytes(&trace))
            .expect("loads");
    assert_eq!(
        loaded
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Cpu)
            .count(),
        2
    );
    assert_eq!(
        loaded
            .tasks
            .iter()
            .filter(|t| t.kind == TaskKind::CpuJob)
            .count(),
        8
    );
    let mut json = Vec::new();
    asyncscope::export::chrome::write(&trace, &mut json).expect("chrome json");
    let back = asyncscope::export::chrome_import::parse(std::str::from_utf8(&json).expect("utf8"))
        .expect("reads back");
    assert_eq!(
        back.lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Cpu)
            .count(),
        2
    );
    assert_eq!(
        back.tasks
            .iter()
            .filter(|t| t.kind == TaskKind::CpuJob)
            .count(),
        8
    );
    assert_eq!(Summary::from_trace(&back).tasks.cpu_jobs, 8);
}
