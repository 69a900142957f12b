//! The one mapping between time and screen x on the timeline.

use serde::{Deserialize, Serialize};

/// What part of the run is visible: the time at the left edge and the zoom.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// Time at the left edge of the canvas, ns from run start (may be negative: margin).
    pub start_ns: f64,
    pub ns_per_px: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            start_ns: 0.0,
            ns_per_px: 1e6 / 10.0, // 10 px per ms
        }
    }
}

/// No closer than 1 ns per 20 px, no wider than 1 hour across 100 px.
const MIN_NS_PER_PX: f64 = 0.05;
const MAX_NS_PER_PX: f64 = 3.6e12 / 100.0;

impl Viewport {
    /// Screen x (relative to the canvas' left edge) of time `t_ns`.
    pub fn x_from_time(&self, t_ns: f64) -> f64 {
        (t_ns - self.start_ns) / self.ns_per_px
    }

    /// Time at screen x (relative to the canvas' left edge).
    pub fn time_from_x(&self, x: f64) -> f64 {
        self.start_ns + x * self.ns_per_px
    }

    /// The visible time range for a canvas `width_px` wide, clamped at 0, in whole ns.
    pub fn visible_ns(&self, width_px: f64) -> (u64, u64) {
        let start = self.start_ns.max(0.0);
        let end = self.time_from_x(width_px).max(0.0);
        (start.floor() as u64, end.ceil() as u64)
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the time under `anchor_x` in place.
    pub fn zoom_at(&mut self, anchor_x: f64, factor: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let anchor_t = self.time_from_x(anchor_x);
        self.ns_per_px = (self.ns_per_px / factor).clamp(MIN_NS_PER_PX, MAX_NS_PER_PX);
        self.start_ns = anchor_t - anchor_x * self.ns_per_px;
    }

    /// Pans by `dx` pixels (positive moves the view later in time).
    pub fn pan_px(&mut self, dx: f64) {
        self.start_ns += dx * self.ns_per_px;
    }

    /// Shows `[start_ns, end_ns]` across `width_px`, with `margin` (a fraction) each side.
    pub fn fit(&mut self, start_ns: f64, end_ns: f64, width_px: f64, margin: f64) {
        let span = (end_ns - start_ns).max(1.0);
        let padded = span * (1.0 + 2.0 * margin);
        self.ns_per_px = (padded / width_px.max(1.0)).clamp(MIN_NS_PER_PX, MAX_NS_PER_PX);
        self.start_ns = start_ns - span * margin;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_and_time_are_inverse() {
        let vp = Viewport {
            start_ns: 1000.0,
            ns_per_px: 10.0,
        };
        assert_eq!(vp.x_from_time(1500.0), 50.0);
        assert_eq!(vp.time_from_x(50.0), 1500.0);
        assert_eq!(vp.visible_ns(100.0), (1000, 2000));
    }

    #[test]
    fn zoom_keeps_the_anchor_in_place() {
        let mut vp = Viewport {
            start_ns: 0.0,
            ns_per_px: 10.0,
        };
        let t = vp.time_from_x(30.0);
        vp.zoom_at(30.0, 2.0);
        assert_eq!(vp.ns_per_px, 5.0);
        assert!((vp.time_from_x(30.0) - t).abs() < 1e-9);
        vp.zoom_at(0.0, 1e-30);
        assert_eq!(vp.ns_per_px, MAX_NS_PER_PX, "zoom is clamped");
    }

    #[test]
    fn fit_shows_the_range_with_margins() {
        let mut vp = Viewport::default();
        vp.fit(100.0, 1100.0, 120.0, 0.1);
        assert_eq!(vp.x_from_time(100.0), 10.0);
        assert!((vp.x_from_time(1100.0) - 110.0).abs() < 1e-9);
    }
}
