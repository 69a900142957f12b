//! The runtime's own metrics, sampled from a thread outside it with tokio-metrics'
//! `RuntimeMonitor` (every 50 ms by default), on the trace's clock, and handed to the
//! collector (the trace's only writer) like the capture's batches.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::capture::Capture;
use crate::trace::RuntimeSample;

pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(50);

/// A running sampler; [`Sampler::finish`] takes a last sample and stops it.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Sampler {
    pub fn start(
        handle: tokio::runtime::Handle,
        cap: Arc<Capture>,
        interval: Duration,
    ) -> std::io::Result<Self> {
        let interval_ns = interval.as_nanos() as u64;
        let stop = Arc::new(AtomicBool::new(false));
        let done = stop.clone();
        let thread = std::thread::Builder::new()
            .name("asyncscope-metrics".into())
            .spawn(move || {
                let monitor = tokio_metrics::RuntimeMonitor::new(&handle);
                let mut intervals = monitor.intervals();
                let _ = intervals.next(); // the baseline
                let mut workers = WorkerBusy::new(&handle);
                let mut late = LateBusy::default();
                let mut next = Instant::now() + interval;
                loop {
                    // Sleep in short slices so a finished run is not kept waiting.
                    while Instant::now() < next && !done.load(Ordering::Relaxed) {
                        std::thread::sleep((next - Instant::now()).min(Duration::from_millis(5)));
                    }
                    let Some(m) = intervals.next() else { break };
                    let mut s = sample(&m, cap.now_ns());
                    s.worker_busy = workers.next(&handle);
                    late.apply(&mut s);
                    cap.send_sample(s, interval_ns);
                    if done.load(Ordering::Relaxed) {
                        break;
                    }
                    next += interval;
                }
            })?;
        Ok(Sampler {
            stop,
            thread: Some(thread),
        })
    }

    /// Takes the last sample (of the partial interval) and stops.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Per-worker busy ratios from tokio's own runtime metrics (tokio-metrics aggregates them).
struct WorkerBusy {
    last: Vec<Duration>,
    at: Instant,
}

impl WorkerBusy {
    fn new(handle: &tokio::runtime::Handle) -> Self {
        let m = handle.metrics();
        WorkerBusy {
            last: (0..m.num_workers())
                .map(|w| m.worker_total_busy_duration(w))
                .collect(),
            at: Instant::now(),
        }
    }

    fn next(&mut self, handle: &tokio::runtime::Handle) -> Vec<f64> {
        let m = handle.metrics();
        let elapsed = self.at.elapsed().as_secs_f64().max(1e-9);
        self.at = Instant::now();
        self.last
            .iter_mut()
            .enumerate()
            .map(|(w, last)| {
                let now = m.worker_total_busy_duration(w);
                let busy = now.saturating_sub(*last).as_secs_f64();
                *last = now;
                busy / elapsed
            })
            .collect()
    }
}

/// tokio adds a poll's busy time when the poll ends, so an interval that sees a long poll
/// end can report more busy time than it lasted (a ratio above 1: 1.2157 was seen on
/// `stress`). What is over 1 was booked late: it is carried into the next intervals, so no
/// sample says more than 100% and the sum over the run (hence its mean) stays what tokio
/// counted, but for what is still carried at the end.
#[derive(Debug, Default)]
struct LateBusy {
    all: f64,
    workers: Vec<f64>,
}

impl LateBusy {
    fn apply(&mut self, s: &mut RuntimeSample) {
        fn carry(ratio: &mut f64, late: &mut f64) {
            let total = (*ratio + *late).max(0.0);
            *ratio = total.min(1.0);
            *late = total - *ratio;
        }
        carry(&mut s.busy_ratio, &mut self.all);
        self.workers
            .resize(self.workers.len().max(s.worker_busy.len()), 0.0);
        for (ratio, late) in s.worker_busy.iter_mut().zip(&mut self.workers) {
            carry(ratio, late);
        }
        // The busiest worker's share is a maximum, not a sum: nothing to carry.
        s.max_worker_busy_ratio = s.max_worker_busy_ratio.clamp(0.0, 1.0);
    }
}

fn sample(m: &tokio_metrics::RuntimeMetrics, ts_ns: u64) -> RuntimeSample {
    let elapsed = m.elapsed.as_secs_f64();
    let workers = m.workers_count.max(1) as f64;
    RuntimeSample {
        ts_ns,
        worker_busy: Vec::new(),
        // tokio-metrics' busy_ratio sums all workers' busy time.
        busy_ratio: m.busy_ratio() / workers,
        max_worker_busy_ratio: if elapsed > 0.0 {
            m.max_busy_duration.as_secs_f64() / elapsed
        } else {
            0.0
        },
        polls: m.total_polls_count,
        steals: m.total_steal_count,
        parks: m.total_park_count,
        global_queue: m.global_queue_depth as u64,
        local_queue: m.total_local_queue_depth as u64,
        blocking_threads: m.blocking_threads_count as u64,
        idle_blocking_threads: m.idle_blocking_threads_count as u64,
        blocking_queue: m.blocking_queue_depth as u64,
        forced_yields: m.budget_forced_yield_count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_booked_late_is_carried_so_no_sample_is_over_100_percent() {
        let mut late = LateBusy::default();
        let raw = [
            (0.2, vec![0.0, 0.4]),
            (1.2157, vec![1.5, 0.9]),
            (0.5, vec![0.2, 0.1]),
        ];
        let mut out = Vec::new();
        for (busy, workers) in raw {
            let mut s = sample_with(busy, workers);
            late.apply(&mut s);
            out.push(s);
        }
        for s in &out {
            assert!(s.busy_ratio <= 1.0, "{}", s.busy_ratio);
            assert!(
                s.worker_busy.iter().all(|&w| w <= 1.0),
                "{:?}",
                s.worker_busy
            );
        }
        let sum: f64 = out.iter().map(|s| s.busy_ratio).sum();
        assert!(
            (sum - (0.2 + 1.2157 + 0.5)).abs() < 1e-9,
            "the total is kept: {sum}"
        );
        assert!((out[2].busy_ratio - 0.7157).abs() < 1e-9);
        assert_eq!(out[1].worker_busy, [1.0, 0.9]);
        assert!((out[2].worker_busy[0] - 0.7).abs() < 1e-9);
    }

    fn sample_with(busy_ratio: f64, worker_busy: Vec<f64>) -> RuntimeSample {
        RuntimeSample {
            ts_ns: 0,
            worker_busy,
            busy_ratio,
            max_worker_busy_ratio: 1.3,
            polls: 0,
            steals: 0,
            parks: 0,
            global_queue: 0,
            local_queue: 0,
            blocking_threads: 0,
            idle_blocking_threads: 0,
            blocking_queue: 0,
            forced_yields: 0,
        }
    }
}
