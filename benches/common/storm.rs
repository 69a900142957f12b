//! The worst case for capture: a yield storm. 100 000 tasks each yield 10 times on a
//! 2-worker runtime: ≈ 1.1 M polls, 1 M wakes and 100 k spawns and completions in ~0.1 s.

pub const TASKS: usize = 100_000;
pub const YIELDS: usize = 10;

/// Runs the storm on a runtime built by `builder`.
pub fn run(mut builder: tokio::runtime::Builder) {
    let rt = builder.worker_threads(2).build().expect("runtime");
    rt.block_on(async {
        let handles: Vec<_> = (0..TASKS)
            .map(|_| {
                tokio::spawn(async {
                    for _ in 0..YIELDS {
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for h in handles {
            h.await.expect("task");
        }
    });
}
