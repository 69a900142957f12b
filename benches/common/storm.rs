//! The worst case for capture: a yield storm. 100 000 tasks each yield 10 times on a
//! 2-worker runtime: ≈ 1.1 M polls, 1 M wakes and 100 k spawns and completions in ~0.1 s.

pub const TASKS: usize = 100_000;
pub const YIELDS: usize = 10;

/// Runs the storm on a runtime built by `builder`.
pub fn run(builder: tokio::runtime::Builder) {
    run_with(builder, |_| {})
}

/// The storm with `mark(i)` before yield `i` and `mark(YIELDS)` after the last (where the
/// step interpreter records entering and leaving each step).
#[allow(dead_code)] // only `benches/capture.rs` marks steps
pub fn run_marked(builder: tokio::runtime::Builder, mark: fn(usize)) {
    run_with(builder, mark)
}

fn run_with(mut builder: tokio::runtime::Builder, mark: fn(usize)) {
    let rt = builder.worker_threads(2).build().expect("runtime");
    rt.block_on(async {
        let handles: Vec<_> = (0..TASKS)
            .map(|_| {
                tokio::spawn(async move {
                    for i in 0..YIELDS {
                        mark(i);
                        tokio::task::yield_now().await;
                    }
                    mark(YIELDS);
                })
            })
            .collect();
        for h in handles {
            h.await.expect("task");
        }
    });
}
