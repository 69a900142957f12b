//! The colours and hatches of what a task waits for, shared by the GUI and the slides: the
//! Okabe–Ito palette (safe for the colour-blind) and, on top, a hatch per reason, so that
//! two waits stay apart in grayscale and on a printed slide.

use crate::trace::WaitReason;

/// A pattern drawn over a wait's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hatch {
    Solid,
    /// Lines rising to the right: /
    Diagonal,
    /// Lines falling to the right: \
    BackDiagonal,
    Cross,
    Horizontal,
    Vertical,
    Dots,
}

/// The colour of a wait for `reason`; None for the reasons a theme colours itself (a wake
/// that never comes is an error colour; library waits are greys).
pub fn wait_rgb(reason: WaitReason) -> Option<[u8; 3]> {
    use WaitReason as W;
    Some(match reason {
        W::Http => [0x00, 0x72, 0xB2],
        W::Timer => [0x00, 0x9E, 0x73],
        W::Permit => [0xD5, 0x5E, 0x00],
        W::Join => [0xCC, 0x79, 0xA7],
        W::ChannelSend => [0xB0, 0xA0, 0x00],
        W::ChannelRecv => [0x56, 0xB4, 0xE9],
        W::Blocking => [0x88, 0x22, 0x55],
        W::Yield => [150, 150, 150],
        // Tol's indigo: apart from the Okabe–Ito colours above, and dark.
        W::Result => [0x33, 0x22, 0x88],
        // A brown: its luminance is HTTP's and the permit's, its hatch neither's.
        W::CpuPool => [0x99, 0x55, 0x11],
        W::Never | W::Io | W::Other => return None,
    })
}

/// The hatch of a wait for `reason`. The reasons whose colours are close in grayscale
/// (HTTP's blue and the blocking pool's wine; the timer's green and the permit's orange)
/// get different hatches.
pub fn wait_hatch(reason: WaitReason) -> Hatch {
    use WaitReason as W;
    match reason {
        W::Http | W::Yield | W::Io | W::Other => Hatch::Solid,
        W::Timer => Hatch::Dots,
        W::Permit => Hatch::Diagonal,
        W::Join => Hatch::Horizontal,
        W::ChannelSend | W::Result => Hatch::BackDiagonal,
        W::ChannelRecv | W::CpuPool => Hatch::Vertical,
        W::Blocking | W::Never => Hatch::Cross,
    }
}

/// The lines of `hatch` inside the rectangle `[x0, y0, x1, y1]`, as segments
/// `[xa, ya, xb, yb]` (dots are zero-length segments); empty for a solid fill. The lines sit
/// on a grid `step` apart that is fixed to the origin, not to the rectangle, so rectangles
/// side by side (a stacked area's pixel columns) continue each other's lines. The GUI draws
/// these; the SVG uses them in a pattern tile at the origin.
pub fn hatch_segments(hatch: Hatch, [x0, y0, x1, y1]: [f32; 4], step: f32) -> Vec<[f32; 4]> {
    let step = step.max(1.0);
    let mut out = Vec::new();
    if x1 <= x0 || y1 <= y0 {
        return out;
    }
    let first = |lo: f32| (lo / step).floor() * step;
    let rising = |out: &mut Vec<[f32; 4]>| {
        // x + y = c.
        let mut c = first(x0 + y0);
        while c < x1 + y1 {
            let (ya, yb) = ((c - x1).max(y0), (c - x0).min(y1));
            if yb > ya {
                out.push([c - ya, ya, c - yb, yb]);
            }
            c += step;
        }
    };
    let falling = |out: &mut Vec<[f32; 4]>| {
        // x - y = c.
        let mut c = first(x0 - y1);
        while c < x1 - y0 {
            let (ya, yb) = ((x0 - c).max(y0), (x1 - c).min(y1));
            if yb > ya {
                out.push([c + ya, ya, c + yb, yb]);
            }
            c += step;
        }
    };
    let offsets = |lo: f32, hi: f32, step: f32, shift: f32| {
        let mut v = Vec::new();
        let mut t = (((lo - shift) / step).ceil()) * step + shift;
        while t < hi {
            v.push(t);
            t += step;
        }
        v
    };
    match hatch {
        Hatch::Solid => {}
        Hatch::Diagonal => rising(&mut out),
        Hatch::BackDiagonal => falling(&mut out),
        Hatch::Cross => {
            rising(&mut out);
            falling(&mut out);
        }
        Hatch::Horizontal => {
            for y in offsets(y0, y1, step, step / 2.0) {
                out.push([x0, y, x1, y]);
            }
        }
        Hatch::Vertical => {
            for x in offsets(x0, x1, step, step / 2.0) {
                out.push([x, y0, x, y1]);
            }
        }
        Hatch::Dots => {
            // Rows `step / 2` apart, every other one shifted by half a step.
            for y in offsets(y0, y1, step / 2.0, step / 4.0) {
                let odd = ((y - step / 4.0) / (step / 2.0)).round() as i64 % 2 != 0;
                let shift = if odd { step } else { step / 2.0 };
                for x in offsets(x0, x1, step, shift % step) {
                    out.push([x, y, x, y]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_coloured_wait_has_its_own_colour_and_no_two_close_greys_share_a_hatch() {
        let coloured: Vec<_> = WaitReason::ALL
            .into_iter()
            .filter_map(|w| wait_rgb(w).map(|c| (w, c)))
            .collect();
        let colours: HashSet<_> = coloured.iter().map(|(_, c)| *c).collect();
        assert_eq!(colours.len(), coloured.len());
        // Two waits whose luminance is within 12% must differ in hatch.
        let luma = |[r, g, b]: [u8; 3]| {
            0.2126 * f32::from(r) + 0.7152 * f32::from(g) + 0.0722 * f32::from(b)
        };
        for (i, (a, ca)) in coloured.iter().enumerate() {
            for (b, cb) in &coloured[i + 1..] {
                if (luma(*ca) - luma(*cb)).abs() < 0.12 * 255.0 {
                    assert_ne!(wait_hatch(*a), wait_hatch(*b), "{a:?} and {b:?}");
                }
            }
        }
    }

    #[test]
    fn hatch_lines_stay_inside_their_box_and_continue_across_neighbours() {
        for hatch in [
            Hatch::Diagonal,
            Hatch::BackDiagonal,
            Hatch::Cross,
            Hatch::Horizontal,
            Hatch::Vertical,
            Hatch::Dots,
        ] {
            let segs = hatch_segments(hatch, [3.0, 2.0, 33.0, 10.0], 4.0);
            assert!(!segs.is_empty(), "{hatch:?}");
            for s in &segs {
                for (v, lo, hi) in [
                    (s[0], 3.0, 33.0),
                    (s[1], 2.0, 10.0),
                    (s[2], 3.0, 33.0),
                    (s[3], 2.0, 10.0),
                ] {
                    assert!((lo - 0.001..=hi + 0.001).contains(&v), "{hatch:?} {s:?}");
                }
            }
        }
        assert!(hatch_segments(Hatch::Solid, [0.0, 0.0, 30.0, 8.0], 4.0).is_empty());
        // A rising line goes from lower left to upper right: y falls as x grows.
        let s = hatch_segments(Hatch::Diagonal, [0.0, 0.0, 10.0, 10.0], 5.0)[1];
        assert!((s[2] - s[0]) * (s[3] - s[1]) < 0.0, "{s:?}");
        // Two columns side by side: where a line leaves the first, it enters the second.
        let left = hatch_segments(Hatch::Diagonal, [0.0, 0.0, 1.0, 20.0], 5.0);
        let right = hatch_segments(Hatch::Diagonal, [1.0, 0.0, 2.0, 20.0], 5.0);
        for l in &left {
            // The end of `l` on x = 1 (its lower-x end is at x = 0).
            let (x, y) = if l[0] > l[2] {
                (l[0], l[1])
            } else {
                (l[2], l[3])
            };
            if (x - 1.0).abs() < 1e-3 && y > 0.0 && y < 20.0 {
                assert!(
                    right
                        .iter()
                        .any(|r| ((r[0] - 1.0).abs() < 1e-3 && (r[1] - y).abs() < 1e-3)
                            || ((r[2] - 1.0).abs() < 1e-3 && (r[3] - y).abs() < 1e-3)),
                    "{l:?} goes on in {right:?}"
                );
            }
        }
    }
}
