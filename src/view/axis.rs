//! Time-axis ticks at 1-2-5 steps, labelled in readable units.

/// Tick step (ns) so that ticks are at least `min_px` apart at `ns_per_px`.
pub fn tick_step_ns(ns_per_px: f64, min_px: f64) -> f64 {
    let min_ns = (ns_per_px * min_px).max(1.0);
    let mut step = 10f64.powf(min_ns.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if step * m >= min_ns {
            step *= m;
            return step;
        }
    }
    step * 10.0
}

/// The ticks (ns) in `[start_ns, end_ns]` at multiples of `step_ns`.
pub fn ticks(start_ns: f64, end_ns: f64, step_ns: f64) -> impl Iterator<Item = f64> {
    let first = (start_ns / step_ns).ceil() as i64;
    let last = (end_ns / step_ns).floor() as i64;
    (first..=last.max(first - 1)).map(move |i| i as f64 * step_ns)
}

/// `1500000` → `"1.5 ms"`; units from ns to s, at most 3 significant decimals.
pub fn format_ns(ns: f64) -> String {
    let a = ns.abs();
    let (value, unit) = if a == 0.0 {
        return "0".to_string();
    } else if a < 1e3 {
        (ns, "ns")
    } else if a < 1e6 {
        (ns / 1e3, "µs")
    } else if a < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let s = format!("{value:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_1_2_5() {
        assert_eq!(tick_step_ns(1.0, 60.0), 100.0);
        assert_eq!(tick_step_ns(1000.0, 60.0), 100_000.0);
        assert_eq!(tick_step_ns(3000.0, 60.0), 200_000.0);
        assert_eq!(tick_step_ns(7000.0, 60.0), 500_000.0);
    }

    #[test]
    fn ticks_cover_the_range() {
        let t: Vec<f64> = ticks(150.0, 520.0, 100.0).collect();
        assert_eq!(t, [200.0, 300.0, 400.0, 500.0]);
        assert_eq!(ticks(10.0, 20.0, 100.0).count(), 0);
    }

    #[test]
    fn units_are_readable() {
        assert_eq!(format_ns(0.0), "0");
        assert_eq!(format_ns(250.0), "250 ns");
        assert_eq!(format_ns(250_000.0), "250 µs");
        assert_eq!(format_ns(1_500_000.0), "1.5 ms");
        assert_eq!(format_ns(2_000_000_000.0), "2 s");
        assert_eq!(format_ns(12_345_678.0), "12.346 ms");
    }
}
