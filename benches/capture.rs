//! Capture cost on the worst case (see `common/storm.rs`). Compare with
//! `capture_baseline` (its own process): slowdown = captured / plain, and
//! ns per event = (captured − plain) / events. Divan's items/s counter is events/s.
//! Run both: `cargo bench --bench capture_baseline --bench capture`.

use asyncscope::capture::Msg;
use asyncscope::trace::Trace;

#[path = "common/captured.rs"]
mod captured;
#[path = "common/storm.rs"]
mod storm;

fn main() {
    divan::main();
}

/// One captured storm; the collector either drops batches or builds the trace model.
fn captured_storm(build_model: bool) -> u64 {
    captured_storm_marked(build_model, None)
}

fn captured_storm_marked(build_model: bool, mark: Option<fn(usize)>) -> u64 {
    captured::run_marked(
        move |rx| {
            let mut trace = Trace::new("storm");
            let mut events = 0u64;
            for msg in rx.iter() {
                match msg {
                    Msg::Batch(b) if build_model => trace.ingest(b.decode()),
                    Msg::Batch(b) => events += b.len() as u64,
                    Msg::Sample { .. } => {}
                    Msg::End => break,
                }
            }
            if build_model {
                trace.finish();
                events = trace.events;
            }
            events
        },
        mark,
    )
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
    *EVENTS.get_or_init(|| captured_storm(false))
}

#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_captured(bencher: divan::Bencher) {
    bencher
        .counter(divan::counter::ItemsCount::new(events_per_storm()))
        .bench_local(|| captured_storm(false));
}

/// The share of tokio's own tracing instrumentation, which capture needs for the wakes: our
/// subscriber installed (a span per task, entered and exited around each poll; waker
/// events), no hooks, no thread recording.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_tracing_only() {
    asyncscope::capture::install_global();
    storm::run(tokio::runtime::Builder::new_multi_thread());
}

#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_captured_and_modelled(bencher: divan::Bencher) {
    bencher
        .counter(divan::counter::ItemsCount::new(events_per_storm()))
        .bench_local(|| captured_storm(true));
}

/// The storm with each yield inside a step, as the interpreter marks it (one more event per
/// yield): the cost of the await points (target: ≤ 5% over `yield_storm_captured`).
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_captured_with_steps(bencher: divan::Bencher) {
    bencher.bench_local(|| captured_storm_marked(false, Some(step_mark)));
}
