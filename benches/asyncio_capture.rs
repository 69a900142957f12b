//! What recording costs an asyncio program, on the worst case (`python/yield_storm.py`:
//! 20 000 tasks × 10 `await asyncio.sleep(0)`, nothing but steps and wakes):
//! - `asyncio_yield_storm_plain`: the script on CPython's own loop and C task;
//! - `asyncio_yield_storm_captured`: the same under `trace-py`'s instrumented loop, with the
//!   events streamed to us and the trace model built from them as they come (what the GUI
//!   gets), and the trace finished.
//!
//! Both start a python3 process (≈ 30 ms of each figure). Slowdown = captured / plain.
//! Run: `cargo bench --bench asyncio_capture`.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use asyncscope::asyncio_run::{Program, Streams, trace_script};

fn main() {
    divan::main();
}

fn storm() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/python/yield_storm.py"
    ))
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn asyncio_yield_storm_plain() {
    let status = Command::new("python3")
        .arg(storm())
        .status()
        .expect("python3");
    assert!(status.success());
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn asyncio_yield_storm_captured() -> usize {
    let program = Program::Script {
        path: storm(),
        args: &[],
        lab: false,
    };
    let trace = trace_script(&program, &AtomicBool::new(false), Streams::Capture).expect("runs");
    assert!(trace.run_errors.is_empty(), "{:?}", trace.run_errors);
    // Every step is there: 20 000 tasks × 11 steps, plus main's.
    let polls: usize = trace.lanes.iter().map(|l| l.polls.len()).sum();
    assert!(polls >= 220_000, "{polls} polls");
    polls
}
