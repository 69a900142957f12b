//! Capture cost on the worst case (see `common/storm.rs`). Compare with
//! `capture_baseline` (its own process): slowdown = captured / plain, and
//! ns per event = (captured − plain) / events. Divan's items/s counter is events/s.
//! Run both: `cargo bench --bench capture_baseline --bench capture`.

use asyncscope::trace::Trace;

#[path = "common/captured.rs"]
mod captured;
#[path = "common/storm.rs"]
mod storm;

fn main() {
    divan::main();
}

/// One captured storm; the collector counts the batches and drops them.
fn captured_storm(mark: Option<fn(usize)>) -> u64 {
    captured::run_marked(captured::count, mark)
}

/// What the step interpreter records for `repeat ×10 [yield_now]`: entering the first
/// yield, one mark from each yield to the next, leaving the last, all untimed (stamped
/// with the thread's newest event, as the interpreter's marks are).
fn step_mark(i: usize) {
    use asyncscope::trace::EventKind;
    asyncscope::capture::record_untimed(match i {
        0 => EventKind::StepEnter { step: 7 },
        storm::YIELDS => EventKind::StepExit { step: 7 },
        _ => EventKind::StepNext { exit: 7, enter: 7 },
    });
}

fn events_per_storm() -> u64 {
    static EVENTS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *EVENTS.get_or_init(|| captured_storm(None))
}

/// The plain storm in this process, seconds before the captured ones: divan runs a file's
/// benches in name order, so this runs first, before any capture installs the global
/// subscriber (it checks that none is set: then tokio's instrumentation reaches nothing, as
/// in `capture_baseline`). A ratio against it is free of the drift between processes.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_anchor_plain() {
    assert!(
        !tracing::dispatcher::has_been_set(),
        "the anchor must run before any capture installs its subscriber"
    );
    storm::run(tokio::runtime::Builder::new_multi_thread());
}

#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_captured(bencher: divan::Bencher) {
    bencher
        .counter(divan::counter::ItemsCount::new(events_per_storm()))
        .bench_local(|| captured_storm(None));
}

/// The share of tokio's own tracing instrumentation, which capture needs for the wakes: our
/// subscriber installed (a span per task, entered and exited around each poll; waker
/// events), no hooks, no thread recording.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_tracing_only() {
    asyncscope::capture::install_global();
    storm::run(tokio::runtime::Builder::new_multi_thread());
}

/// What a user of the GUI gets while a run is live: the storm's own time while the app's
/// collector (`run::collect`, budgeted, at the priority the app gives it) builds the model
/// alongside. The collector's catch-up after the run and `finish` happen when divan drops
/// the output, outside the timing; `yield_storm_captured_and_modelled_to_the_end` times them.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_captured_and_modelled(bencher: divan::Bencher) {
    bencher
        .counter(divan::counter::ItemsCount::new(events_per_storm()))
        .bench_local(live_storm);
}

/// The same, until the model is complete: the storm, the collector's catch-up and
/// `finish` (what `yield_storm_captured_and_modelled` measured up to 2026-12-01).
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_captured_and_modelled_to_the_end(bencher: divan::Bencher) {
    bencher
        .counter(divan::counter::ItemsCount::new(events_per_storm()))
        .bench_local(|| live_storm().finish());
}

/// A storm whose batches the app's collector is modelling; dropping it (or `finish`) waits
/// for the model.
struct LiveStorm(Option<std::thread::JoinHandle<u64>>);

impl LiveStorm {
    fn finish(mut self) -> u64 {
        self.0.take().map_or(0, |h| h.join().expect("collector"))
    }
}

impl Drop for LiveStorm {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            let events = h.join().expect("collector");
            assert!(events > 0);
        }
    }
}

fn live_storm() -> LiveStorm {
    use std::sync::{Arc, Mutex};
    let (tx, rx) = crossbeam_channel::bounded(4096);
    let cap = asyncscope::capture::Capture::new(tx);
    let weak = Arc::downgrade(&cap);
    let collector = std::thread::spawn(move || {
        let live = Arc::new(Mutex::new(Trace::new("storm")));
        asyncscope::run::collect(rx, &live, &weak, u64::MAX, || {});
        let mut t = live.lock().expect("trace");
        t.finish();
        t.events
    });
    let mut b = tokio::runtime::Builder::new_multi_thread();
    asyncscope::capture::instrument(&mut b, &cap, None);
    asyncscope::capture::attach_thread(&cap);
    storm::run(b);
    asyncscope::capture::detach_thread();
    cap.close();
    assert_eq!(cap.stats().dropped, 0, "the bench must not drop events");
    LiveStorm(Some(collector))
}

/// The storm with each yield inside a step, as the interpreter marks it (one more event per
/// yield): the cost of the await points (target: ≤ 5% over `yield_storm_captured`).
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_captured_with_steps(bencher: divan::Bencher) {
    bencher.bench_local(|| captured_storm(Some(step_mark)));
}
