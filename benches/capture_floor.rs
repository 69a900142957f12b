//! tokio's own share of the capture cost, from above: the yield storm with a global
//! tracing subscriber that wants the same callsites as ours (each task's `runtime.spawn`
//! span, entered and left around every poll, and the waker events) and does nothing with
//! them. Unlike ours it leaves the waker clone and drop callsites on, so it receives twice
//! the waker events. Its own process, as the subscriber is process-wide. Run with the others:
//! `cargo bench --bench capture_baseline --bench capture_floor --bench capture`.

#[path = "common/storm.rs"]
mod storm;

use std::sync::atomic::{AtomicU64, Ordering};

use asyncscope::capture::wanted_callsite as wanted;

use tracing::level_filters::LevelFilter;
use tracing::subscriber::Interest;
use tracing::{Metadata, Subscriber, span};

/// Wants what `capture::subscriber` wants, and records nothing.
struct Null(AtomicU64);

impl Subscriber for Null {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if wanted(meta) {
            Interest::always()
        } else {
            Interest::never()
        }
    }
    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        wanted(meta)
    }
    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }
    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(self.0.fetch_add(1, Ordering::Relaxed))
    }
    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}
    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &span::Id) {}
    fn exit(&self, _: &span::Id) {}
    fn try_close(&self, _: span::Id) -> bool {
        true
    }
}

fn main() {
    tracing::subscriber::set_global_default(Null(AtomicU64::new(1)))
        .expect("the only subscriber of this process");
    divan::main();
}

/// The storm with tokio's instrumentation reaching a subscriber that does nothing.
#[divan::bench(sample_count = 15, sample_size = 1)]
fn yield_storm_null_subscriber() {
    storm::run(tokio::runtime::Builder::new_multi_thread());
}
