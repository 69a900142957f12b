//! Every shipped scenario, twice, in one process: each run tears its runtime, collector and
//! lab server down, so no thread, socket or listening port (a socket too) outlives it. A test binary of
//! its own, with one test, so that no other test's threads are counted.

use std::path::Path;
use std::time::{Duration, Instant};

use asyncscope::run::{RunOptions, run};
use asyncscope::scenario;

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

/// Open sockets of this process (file descriptors that are sockets).
fn sockets() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter_map(|e| std::fs::read_link(e.path()).ok())
            .filter(|t| t.to_string_lossy().starts_with("socket:"))
            .count()
    })
}

/// Waits up to `limit` for `f` to return at most `target` (threads left behind in blocking
/// code finish on their own after the run's shutdown grace).
fn settles(f: fn() -> usize, target: usize, limit: Duration) -> usize {
    let start = Instant::now();
    loop {
        let n = f();
        if n <= target || start.elapsed() > limit {
            return n;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn every_shipped_scenario_runs_twice_and_leaves_nothing_behind() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 9);
    // Counted from the end of the first run: process-wide state is made once (the tracing
    // subscriber; tokio's signal pipe, a socket pair, made by the first runtime).
    let mut counted: Option<(usize, usize)> = None;
    let mut requests = 0;
    for round in 1..=2 {
        for file in &files {
            let sc = scenario::load(file).unwrap_or_else(|e| panic!("{e}"));
            let trace = run(&sc, RunOptions::default())
                .unwrap_or_else(|e| panic!("{} round {round}: {e}", file.display()));
            assert!(
                trace.tasks.len() > 1 && !trace.stopped,
                "{} round {round} ran",
                file.display()
            );
            assert!(
                trace.run_errors.is_empty(),
                "{}: {:?}",
                file.display(),
                trace.run_errors
            );
            requests += trace.http.len();
            for h in &trace.http {
                assert!(
                    h.url.starts_with('/') || h.url.starts_with("http://127.0.0.1"),
                    "{}: a request to {} (only the lab server on 127.0.0.1)",
                    file.display(),
                    h.url
                );
            }
            let (threads_before, sockets_before) =
                *counted.get_or_insert_with(|| (threads(), sockets()));
            let left = settles(threads, threads_before, Duration::from_secs(5));
            assert_eq!(
                left,
                threads_before,
                "threads after {} (round {round})",
                file.display()
            );
            let open = settles(sockets, sockets_before, Duration::from_secs(5));
            assert_eq!(
                open,
                sockets_before,
                "sockets after {} (round {round})",
                file.display()
            );
        }
    }
    assert!(
        requests > 100,
        "the HTTP scenarios made requests: {requests}"
    );
}
