//! The native trace file on ~1 M and ~10 M events: bytes per event, save and load time.
//! `cargo bench --bench trace_file` (the size is printed once).

use std::hint::black_box;

use asyncscope::export::native;

#[path = "common/synthetic.rs"]
mod synthetic;

fn main() {
    for t in [synthetic::trace(), synthetic::trace_10m()] {
        let bytes = native::to_bytes(t);
        println!(
            "trace file: {} events in {} bytes = {:.2} bytes/event",
            t.events,
            bytes.len(),
            bytes.len() as f64 / t.events as f64
        );
    }
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn save_1m_events(bencher: divan::Bencher) {
    let t = synthetic::trace();
    bencher.bench(|| black_box(native::to_bytes(t)));
}

#[divan::bench(sample_count = 10)]
fn load_1m_events(bencher: divan::Bencher) {
    let bytes = native::to_bytes(synthetic::trace());
    bencher.bench(|| black_box(native::from_bytes(&bytes).expect("loads")));
}

#[divan::bench(sample_count = 5)]
fn save_10m_events(bencher: divan::Bencher) {
    let t = synthetic::trace_10m();
    bencher.bench(|| black_box(native::to_bytes(t)));
}

#[divan::bench(sample_count = 5)]
fn load_10m_events(bencher: divan::Bencher) {
    let bytes = native::to_bytes(synthetic::trace_10m());
    bencher.bench(|| black_box(native::from_bytes(&bytes).expect("loads")));
}
