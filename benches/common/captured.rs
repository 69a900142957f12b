//! The yield storm of `storm.rs`, captured: batches go to `collect` on a collector thread
//! as in a real run (kept apart from `storm.rs`, which the plain baseline also uses).

use std::sync::Arc;
use std::thread;

use asyncscope::capture::{self, Capture, Msg};

use super::storm;

/// Runs one captured storm; `collect` receives the batches until the capture closes.
#[allow(dead_code)] // `benches/model.rs` uses it, `benches/capture.rs` the marked one
pub fn run<R: Send + 'static>(
    collect: impl FnOnce(crossbeam_channel::Receiver<Msg>) -> R + Send + 'static,
) -> R {
    run_marked(collect, None)
}

/// The same; with `mark`, each yield is inside a step whose marks `mark` records.
pub fn run_marked<R: Send + 'static>(
    collect: impl FnOnce(crossbeam_channel::Receiver<Msg>) -> R + Send + 'static,
    mark: Option<fn(usize)>,
) -> R {
    run_full(collect, mark, None)
}

/// The same, with the runtime's threads on `console`'s subscriber (the app's `--console`).
pub fn run_full<R: Send + 'static>(
    collect: impl FnOnce(crossbeam_channel::Receiver<Msg>) -> R + Send + 'static,
    mark: Option<fn(usize)>,
    console: Option<&tracing::Dispatch>,
) -> R {
    let (tx, rx) = crossbeam_channel::bounded(4096);
    let collector = thread::spawn(move || collect(rx));
    let cap: Arc<Capture> = Capture::new(tx);
    let mut b = tokio::runtime::Builder::new_multi_thread();
    capture::instrument(&mut b, &cap, console);
    capture::attach_thread(&cap);
    // As `run::run_into` does: the thread that drives `block_on` (and spawns the storm's
    // tasks, whose spans belong to the subscriber current there) is on the console's too.
    if let Some(d) = console {
        capture::console::enter(d);
    }
    match mark {
        Some(m) => storm::run_marked(b, m),
        None => storm::run(b),
    }
    capture::console::leave();
    capture::detach_thread();
    cap.close();
    let out = collector.join().expect("collector");
    assert_eq!(cap.stats().dropped, 0, "the bench must not drop events");
    out
}

/// A collector that counts the events it receives and drops them.
#[allow(dead_code)] // `benches/model.rs` keeps its batches
pub fn count(rx: crossbeam_channel::Receiver<Msg>) -> u64 {
    let mut events = 0u64;
    for msg in rx.iter() {
        match msg {
            Msg::Batch(b) => events += b.len() as u64,
            Msg::Sample { .. } => {}
            Msg::End => break,
        }
    }
    events
}
