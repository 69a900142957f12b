//! The trace model on the worst case (the yield storm of `common/storm.rs`, ≈ 3.4 M
//! events, recorded once from a real captured run): how fast the collector turns batches
//! into the model (divan's items/s is events/s), and how many bytes per event the model
//! holds (measured by a counting allocator, printed once).
//! `cargo bench --bench model`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicIsize, Ordering};

use asyncscope::capture::Msg;
use asyncscope::trace::{Batch, Trace};

#[path = "common/captured.rs"]
mod captured;
#[path = "common/storm.rs"]
mod storm;

/// Live heap bytes of the whole process.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The storm's batches as the collector received them.
fn batches() -> &'static [Batch] {
    static BATCHES: OnceLock<Vec<Batch>> = OnceLock::new();
    BATCHES.get_or_init(|| {
        captured::run(|rx| {
            let mut out = Vec::new();
            for msg in rx.iter() {
                match msg {
                    Msg::Batch(b) => out.push(b.decode()),
                    Msg::Sample { .. } => {}
                    Msg::End => break,
                }
            }
            out
        })
    })
}

fn copy(b: &Batch) -> Batch {
    Batch {
        thread: b.thread,
        events: b.events.clone(),
    }
}

fn ingest_all(batches: &[Batch]) -> Trace {
    let mut t = Trace::new("storm");
    for b in batches {
        t.ingest(copy(b));
    }
    t
}

fn main() {
    let batches = batches();
    let events: usize = batches.iter().map(|b| b.events.len()).sum();
    // Since capture writes a poll with nothing inside as one event (2026-12-01), the same
    // storm makes fewer events; counting such a poll as its two events (start and end, as
    // before) keeps the per-event figures comparable over time.
    let whole_polls = batches
        .iter()
        .flat_map(|b| &b.events)
        .filter(|e| matches!(e.kind, asyncscope::trace::EventKind::Poll { .. }))
        .count();
    let as_before = events + whole_polls;
    let before = LIVE.load(Ordering::Relaxed);
    let mut t = ingest_all(batches);
    let live = LIVE.load(Ordering::Relaxed) - before;
    t.finish();
    let finished = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "model: {events} events; {:.1} bytes/event while live, {:.1} bytes/event finished; \
         counting a whole poll as two events ({as_before}): {:.1} and {:.1}",
        live as f64 / events as f64,
        finished as f64 / events as f64,
        live as f64 / as_before as f64,
        finished as f64 / as_before as f64
    );
    drop(t);
    divan::main();
}

/// Ingest of every batch (the batches are copied in the timed loop too, as the collector
/// receives fresh ones; the copy is a memcpy of 40-byte events).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn ingest_storm(bencher: divan::Bencher) {
    let batches = batches();
    let events: usize = batches.iter().map(|b| b.events.len()).sum();
    bencher
        .counter(divan::counter::ItemsCount::new(events))
        .bench_local(|| black_box(ingest_all(batches)));
}

/// The copies alone, to subtract from `ingest_storm`.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn copy_batches_only(bencher: divan::Bencher) {
    let batches = batches();
    bencher.bench_local(|| black_box(batches.iter().map(copy).collect::<Vec<_>>()));
}

/// Ingest, then `finish` (renumbering, wake resolution), as when a run ends.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn ingest_and_finish_storm(bencher: divan::Bencher) {
    let batches = batches();
    let events: usize = batches.iter().map(|b| b.events.len()).sum();
    bencher
        .counter(divan::counter::ItemsCount::new(events))
        .bench_local(|| {
            let mut t = ingest_all(batches);
            t.finish();
            black_box(t)
        });
}
