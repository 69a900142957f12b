//! What every view of a trace shares, with no GUI toolkit in it: the time ↔ x mapping,
//! axis ticks and labels, level of detail, and task-group colours. The egui timeline and
//! the SVG export both draw from these.

pub mod axis;
pub mod groups;
pub mod lod;
pub mod palette;
pub mod series;
pub mod viewport;

pub use viewport::Viewport;

/// A stable hue (0..1) per task group: FNV-1a of its name, stable across runs and
/// platforms.
pub fn group_hue(group: &str) -> f32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in group.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h % 360) as f32 / 360.0
}

/// HSV (all 0..1) to 8-bit RGB.
pub fn rgb_from_hsv(h: f32, s: f32, v: f32) -> [u8; 3] {
    let i = (h * 6.0).floor();
    let f = h * 6.0 - i;
    let (p, q, t) = (v * (1.0 - s), v * (1.0 - f * s), v * (1.0 - (1.0 - f) * s));
    let (r, g, b) = match (i as i32).rem_euclid(6) {
        0 => (v, t, p),
        1 => (q, v, p),
        2 => (p, v, t),
        3 => (p, q, v),
        4 => (t, p, v),
        _ => (v, p, q),
    };
    let byte = |x: f32| (x.clamp(0.0, 1.0) * 255.0).round() as u8;
    [byte(r), byte(g), byte(b)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsv_primaries() {
        assert_eq!(rgb_from_hsv(0.0, 1.0, 1.0), [255, 0, 0]);
        assert_eq!(rgb_from_hsv(1.0 / 3.0, 1.0, 1.0), [0, 255, 0]);
        assert_eq!(rgb_from_hsv(2.0 / 3.0, 1.0, 1.0), [0, 0, 255]);
        assert_eq!(rgb_from_hsv(0.5, 0.0, 0.5), [128, 128, 128]);
    }
}
