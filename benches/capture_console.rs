//! The app's console mode beside console-subscriber alone, on the yield storm of
//! `common/storm.rs`: what tokio-console costs its users, the reference point for
//! `capture`'s figures. Its own process, so that the other benches' big traces do not
//! weigh on these (in the same process they ran 4–6× slower). Run with the others:
//! `cargo bench --bench capture_baseline --bench capture_floor --bench capture
//! --bench capture_console`.

use asyncscope::capture::console::{self, Console};

#[path = "common/captured.rs"]
mod captured;
#[path = "common/storm.rs"]
mod storm;

fn main() {
    // As in the app: capture's subscriber is the process's global one.
    asyncscope::capture::install_global();
    divan::main();
}

/// The app's `--console`: capture, plus console-subscriber's layer on the run's threads,
/// serving on 127.0.0.1 (a console of its own per sample, as per run in the app; started
/// and stopped outside the timing).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn yield_storm_captured_with_console(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| Console::start(0).expect("the console starts"))
        .bench_local_values(|c| {
            let events = captured::run_full(captured::count, None, Some(c.dispatch()));
            assert!(events > 0);
            c
        });
}

/// console-subscriber alone on the runtime's threads and the thread that drives it (no
/// capture): what tokio-console costs a program.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn yield_storm_console_only(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| Console::start_alone(0).expect("the console starts"))
        .bench_local_values(|c| {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            let d = c.dispatch().clone();
            b.on_thread_start(move || console::enter(&d))
                .on_thread_stop(console::leave);
            console::enter(c.dispatch());
            storm::run(b);
            console::leave();
            c
        });
}
