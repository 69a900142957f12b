//! Level of detail: the visible spans of a lane, merged where they are closer than a
//! pixel, so drawing costs what the screen can show rather than what the trace holds.

/// Something with a start and an end in ns, sorted and non-overlapping within its slice.
pub trait Span {
    fn start_ns(&self) -> u64;
    fn end_ns(&self) -> u64;
}

impl Span for crate::trace::PollSpan {
    fn start_ns(&self) -> u64 {
        self.start_ns
    }
    fn end_ns(&self) -> u64 {
        self.end_ns()
    }
}

/// `(start_ns, end_ns)`.
impl Span for (u64, u64) {
    fn start_ns(&self) -> u64 {
        self.0
    }
    fn end_ns(&self) -> u64 {
        self.1
    }
}

impl Span for crate::trace::StateSpan {
    fn start_ns(&self) -> u64 {
        self.start_ns
    }
    fn end_ns(&self) -> u64 {
        self.end_ns
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderItem {
    /// One span, by index into the slice.
    Single(usize),
    /// Spans `first..=last`, each less than the gap threshold from the next.
    Merged {
        first: usize,
        last: usize,
        start_ns: u64,
        end_ns: u64,
    },
}

impl RenderItem {
    pub fn count(&self) -> usize {
        match self {
            RenderItem::Single(_) => 1,
            RenderItem::Merged { first, last, .. } => last - first + 1,
        }
    }
}

/// The first index at or after `from` whose span starts at or after `limit`. Gallops
/// from `from` (a merge jump is usually short) before a binary search, so it touches
/// nearby memory instead of probing the whole lane.
fn first_starting_at<S: Span>(spans: &[S], from: usize, limit: u64) -> usize {
    let n = spans.len();
    // Invariant: every span in [from, lo) starts before `limit`.
    let (mut lo, mut hi) = (from, from + 1);
    while hi <= n && spans[hi - 1].start_ns() < limit {
        lo = hi;
        hi = from + (hi - from) * 2;
    }
    let hi = hi.min(n);
    lo + spans[lo..hi].partition_point(|s| s.start_ns() < limit)
}

/// The same index as [`first_starting_at`], searched around `from + hint` first: a merge
/// jump is usually about as long as the previous one (the lane's density changes slowly),
/// so the answer is a few spans from the guess and the search touches one or two cache
/// lines instead of a galloping run's dozen.
fn first_starting_at_near<S: Span>(spans: &[S], from: usize, limit: u64, hint: usize) -> usize {
    let n = spans.len();
    let guess = from.saturating_add(hint).min(n);
    if guess <= from + 1 {
        return first_starting_at(spans, from, limit);
    }
    if spans[guess - 1].start_ns() < limit {
        // Every span before `guess` starts before `limit`: gallop on from there.
        return first_starting_at(spans, guess - 1, limit);
    }
    // The answer is in [from, guess - 1]: gallop back from the guess.
    let mut hi = guess - 1; // spans[hi] starts at or after `limit`
    let mut step = 1;
    while hi >= from + step && spans[hi - step].start_ns() >= limit {
        hi -= step;
        step *= 2;
    }
    let lo = hi.saturating_sub(step).max(from);
    lo + spans[lo..hi].partition_point(|s| s.start_ns() < limit)
}

/// Merges spans thinner than `gap_ns` (one pixel, say) whose gap to the next is below it
/// too. Merging goes on until a real gap or a span that is visible on its own, so tiny
/// spans do not flicker as the view pans and a long poll is never hidden in a merge.
/// Jumps with binary search, so a dense lane costs about one step per pixel, not one per
/// span.
pub fn render_items<S: Span>(spans: &[S], gap_ns: u64) -> Vec<RenderItem> {
    let wide = |s: &S| s.end_ns() - s.start_ns() > gap_ns;
    let mut out = Vec::new();
    let mut i = 0;
    while i < spans.len() {
        if wide(&spans[i]) {
            out.push(RenderItem::Single(i));
            i += 1;
            continue;
        }
        let mut end_ns = spans[i].end_ns();
        let mut j = i + 1;
        let mut hint = 1;
        loop {
            let limit = end_ns.saturating_add(gap_ns);
            let k = first_starting_at_near(spans, j, limit, hint);
            if k == j {
                break;
            }
            hint = k - j;
            // Every span of the jump but the last lies within one gap: only the last can
            // be wide, and a wide one is drawn on its own.
            let last_wide = wide(&spans[k - 1]);
            let k = if last_wide { k - 1 } else { k };
            if k > j {
                end_ns = end_ns.max(spans[k - 1].end_ns());
                j = k;
            }
            if last_wide {
                break;
            }
        }
        out.push(if j == i + 1 {
            RenderItem::Single(i)
        } else {
            RenderItem::Merged {
                first: i,
                last: j - 1,
                start_ns: spans[i].start_ns(),
                end_ns,
            }
        });
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct S(u64, u64);
    impl Span for S {
        fn start_ns(&self) -> u64 {
            self.0
        }
        fn end_ns(&self) -> u64 {
            self.1
        }
    }

    // 1 time unit = 1 pixel, gap threshold 1 px.
    #[test]
    fn separate_spans_stay_single() {
        let spans = [S(0, 5), S(10, 12), S(20, 30)];
        assert_eq!(
            render_items(&spans, 1),
            [
                RenderItem::Single(0),
                RenderItem::Single(1),
                RenderItem::Single(2)
            ]
        );
    }

    #[test]
    fn spans_closer_than_a_pixel_merge_until_a_real_gap() {
        // 0..1, 1..2 (touching), 2.. are sub-pixel neighbours; then a gap of 8.
        let spans = [S(0, 1), S(1, 2), S(2, 3), S(3, 4), S(12, 13)];
        assert_eq!(
            render_items(&spans, 1),
            [
                RenderItem::Merged {
                    first: 0,
                    last: 3,
                    start_ns: 0,
                    end_ns: 4
                },
                RenderItem::Single(4)
            ]
        );
    }

    #[test]
    fn a_wide_span_is_never_merged_away() {
        // Sub-pixel spans right before and after a 300-pixel one.
        let spans = [S(0, 0), S(0, 1), S(1, 301), S(301, 301), S(301, 302)];
        assert_eq!(
            render_items(&spans, 1),
            [
                RenderItem::Merged {
                    first: 0,
                    last: 1,
                    start_ns: 0,
                    end_ns: 1
                },
                RenderItem::Single(2),
                RenderItem::Merged {
                    first: 3,
                    last: 4,
                    start_ns: 301,
                    end_ns: 302
                },
            ]
        );
    }

    #[test]
    fn galloping_search_finds_the_same_index_as_binary_search() {
        let spans: Vec<S> = (0..1000u64).map(|i| S(i * 3, i * 3 + 1)).collect();
        for from in [0, 1, 7, 500, 999, 1000] {
            for limit in [0, 1, 2, 3, 4, 100, 1500, 2997, 2998, 5000] {
                let expected = from + spans[from..].partition_point(|s| s.0 < limit);
                assert_eq!(
                    first_starting_at(&spans, from, limit),
                    expected,
                    "{from} {limit}"
                );
            }
        }
    }

    #[test]
    fn the_search_near_a_hint_finds_the_same_index() {
        // Uneven density: runs of close spans and far ones.
        let spans: Vec<S> = (0..2000u64)
            .map(|i| {
                let t = i * 3 + (i / 100) * 50;
                S(t, t + 1)
            })
            .collect();
        for from in [0, 1, 7, 99, 100, 500, 1998, 1999, 2000] {
            for limit in [0, 1, 3, 4, 300, 350, 1500, 3000, 6000, 99_999] {
                let expected = from + spans[from..].partition_point(|s| s.0 < limit);
                for hint in [0, 1, 2, 3, 5, 17, 64, 500, 5000] {
                    assert_eq!(
                        first_starting_at_near(&spans, from, limit, hint),
                        expected,
                        "{from} {limit} {hint}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_million_dense_spans_collapse_to_few_items() {
        let spans: Vec<S> = (0..1_000_000u64).map(|i| S(i * 10, i * 10 + 5)).collect();
        let items = render_items(&spans, 10);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].count(), 1_000_000);
        assert!(render_items::<S>(&[], 1).is_empty());
    }
}
