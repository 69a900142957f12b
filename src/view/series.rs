//! Exact series from the trace, binned at a view's resolution: a bin's value is the exact
//! share of its time covered by spans (a worker's busy %), or the exact time-weighted mean
//! of a level (how many tasks were scheduled). Computed from the same spans the lanes draw,
//! so a plot can never disagree with them (tokio-metrics books a poll's busy time when the
//! poll ends: a 300 ms poll shows as a spike after it).

use super::lod::Span;

/// Bins `[t0_ns + i·bin_ns, t0_ns + (i+1)·bin_ns)` for `i` in `0..bins`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bins {
    pub t0_ns: f64,
    pub bin_ns: f64,
    pub bins: usize,
}

impl Bins {
    /// `bins` bins over `[start_ns, end_ns)`.
    pub fn over(start_ns: f64, end_ns: f64, bins: usize) -> Self {
        let bins = bins.max(1);
        Bins {
            t0_ns: start_ns,
            bin_ns: ((end_ns - start_ns) / bins as f64).max(1e-9),
            bins,
        }
    }

    /// The middle of bin `i` (where a plot puts its point).
    pub fn mid_ns(&self, i: usize) -> f64 {
        self.t0_ns + (i as f64 + 0.5) * self.bin_ns
    }

    fn end_ns(&self) -> f64 {
        self.t0_ns + self.bins as f64 * self.bin_ns
    }

    /// Adds `weight` × the overlap of `[a, b)` with each bin, divided by the bin's length.
    fn spread(&self, out: &mut [f64], a: f64, b: f64, weight: f64) {
        let (a, b) = (a.max(self.t0_ns), b.min(self.end_ns()));
        if b <= a {
            return;
        }
        let first = ((a - self.t0_ns) / self.bin_ns).floor() as usize;
        let last = (((b - self.t0_ns) / self.bin_ns).ceil() as usize).min(self.bins);
        for (i, v) in out.iter_mut().enumerate().take(last).skip(first) {
            let lo = self.t0_ns + i as f64 * self.bin_ns;
            let hi = lo + self.bin_ns;
            let overlap = b.min(hi) - a.max(lo);
            if overlap > 0.0 {
                *v += weight * overlap / self.bin_ns;
            }
        }
    }
}

/// For each bin, the share (0..=1) of it covered by `spans` (sorted by start, not
/// overlapping: one lane's polls). Only the spans that reach into the bins are visited.
pub fn coverage<S: Span>(spans: &[S], bins: &Bins) -> Vec<f64> {
    let mut out = vec![0.0; bins.bins];
    let first = spans.partition_point(|s| (s.end_ns() as f64) <= bins.t0_ns);
    for s in &spans[first..] {
        if s.start_ns() as f64 >= bins.end_ns() {
            break;
        }
        bins.spread(&mut out, s.start_ns() as f64, s.end_ns() as f64, 1.0);
    }
    for v in &mut out {
        *v = v.min(1.0);
    }
    out
}

/// For each bin, the time-weighted mean of a level that steps up by one at each interval's
/// start and down at its end (intervals in any order, may overlap): e.g. how many tasks
/// were scheduled, on average over the bin.
pub fn mean_level(intervals: impl IntoIterator<Item = (u64, u64)>, bins: &Bins) -> Vec<f64> {
    let mut out = vec![0.0; bins.bins];
    for (a, b) in intervals {
        bins.spread(&mut out, a as f64, b as f64, 1.0);
    }
    out
}

/// For each bin, the time-weighted mean of each of `counter`'s fields over it: a stacked
/// area drawn from these is exact per pixel column (a group row: how many of its tasks
/// were in each state).
pub fn mean_levels(counter: &crate::trace::Counter, bins: &Bins) -> Vec<Vec<f64>> {
    let n = counter.fields.len();
    (0..bins.bins)
        .map(|i| {
            let lo = bins.t0_ns + i as f64 * bins.bin_ns;
            let hi = lo + bins.bin_ns;
            let (a, b) = (lo.max(0.0) as u64, hi.max(0.0) as u64);
            let mut out = vec![0.0; n];
            let mut t = lo.max(0.0);
            let mut level = counter.at(a);
            for (ts, values) in counter.changes_in(a.saturating_add(1), b.max(a + 1)) {
                let ts = *ts as f64;
                for (o, v) in out.iter_mut().zip(&level) {
                    *o += *v as f64 * (ts - t);
                }
                t = ts;
                level = values.clone();
            }
            for (o, v) in out.iter_mut().zip(&level) {
                *o += *v as f64 * (hi - t).max(0.0);
                *o /= bins.bin_ns;
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_exact_per_bin_and_follows_the_spans() {
        // Two 300-unit polls back to back, then nothing: cpu_misuse's worker.
        let spans = [(0, 300), (300, 600)];
        let bins = Bins::over(0.0, 1000.0, 10);
        let c = coverage(&spans, &bins);
        assert_eq!(c, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
        // A bin half covered.
        let c = coverage(&[(50, 150)], &Bins::over(0.0, 200.0, 2));
        assert_eq!(c, [0.5, 0.5]);
        // A view that starts inside a span, and spans past its end.
        let c = coverage(&[(0, 100), (150, 1000)], &Bins::over(50.0, 250.0, 2));
        assert_eq!(c, [0.5, 1.0]);
        assert!(coverage::<(u64, u64)>(&[], &bins).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn a_mean_level_counts_overlapping_intervals() {
        let bins = Bins::over(0.0, 100.0, 2);
        let m = mean_level([(0, 100), (0, 50), (25, 50)], &bins);
        assert_eq!(m, [2.5, 1.0]);
        assert_eq!(bins.mid_ns(1), 75.0);
    }

    #[test]
    fn mean_levels_weigh_each_field_by_its_time_in_the_bin() {
        // Two fields: 2 running until 5, then 1 running and 1 waiting.
        let c = crate::trace::Counter {
            name: "group client".into(),
            fields: vec!["running", "waiting"],
            changes: vec![(0, vec![2, 0]), (5, vec![1, 1])],
        };
        let m = mean_levels(&c, &Bins::over(0.0, 20.0, 2));
        assert_eq!(m, [vec![1.5, 0.5], vec![1.0, 1.0]]);
    }
}
