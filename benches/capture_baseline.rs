//! Baseline for `benches/capture.rs`: the same yield storm on a runtime built the same way
//! (tokio_unstable, tokio's tracing feature compiled in) with no hooks and no subscriber —
//! in its own process, because capture installs a process-wide tracing subscriber.
//! Run both: `cargo bench --bench capture_baseline --bench capture`.

#[path = "common/storm.rs"]
mod storm;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_plain() {
    storm::run(tokio::runtime::Builder::new_multi_thread());
}
