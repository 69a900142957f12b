//! Baseline for `benches/capture.rs`: the same yield storm on a runtime built the same way
//! (tokio_unstable, tokio's tracing feature compiled in) with no hooks and no subscriber —
//! in its own process, because capture installs a process-wide tracing subscriber.
//! Run both: `cargo bench --bench capture_baseline --bench capture`.

#[path = "common/captured.rs"]
mod captured;
#[path = "common/storm.rs"]
mod storm;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_plain() {
    storm::run(tokio::runtime::Builder::new_multi_thread());
}

/// The task hooks alone (spawn, poll start and end, terminate) recording into per-thread
/// buffers, with no tracing subscriber: what capture costs apart from the wakes.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_hooks_only() {
    use asyncscope::capture::{self, Capture};
    let (tx, rx) = crossbeam_channel::bounded(4096);
    let collector = std::thread::spawn(move || captured::count(rx));
    let cap = Capture::new(tx);
    let mut b = tokio::runtime::Builder::new_multi_thread();
    capture::instrument_hooks(&mut b, &cap, None);
    capture::attach_thread(&cap);
    storm::run(b);
    capture::detach_thread();
    cap.close();
    let events = collector.join().expect("collector");
    assert!(events > 0);
}
