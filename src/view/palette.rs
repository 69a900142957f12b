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
        W::ChannelSend => Hatch::BackDiagonal,
        W::ChannelRecv => Hatch::Vertical,
        W::Blocking | W::Never => Hatch::Cross,
    }
}

/// The lines of `hatch` over a `w`×`h` rectangle at the origin, `step` apart, as segments
/// `[x0, y0, x1, y1]` clipped to the rectangle (dots are zero-length segments); empty for
/// a solid fill. The GUI draws these; the SVG uses the same geometry in a pattern tile.
pub fn hatch_segments(hatch: Hatch, w: f32, h: f32, step: f32) -> Vec<[f32; 4]> {
    let step = step.max(1.0);
    let mut out = Vec::new();
    let diagonal = |rising: bool, out: &mut Vec<[f32; 4]>| {
        // Lines x + y = c (rising) or x - y = c, for c every `step`, clipped to the box.
        let mut c = if rising { step } else { -h + step };
        let end = if rising { w + h } else { w };
        while c < end {
            let (a, b) = if rising {
                // From (c - y, y): y from max(0, c - w) to min(h, c).
                let y0 = (c - w).max(0.0);
                let y1 = c.min(h);
                ([c - y0, y0], [c - y1, y1])
            } else {
                let y0 = (-c).max(0.0);
                let y1 = (w - c).min(h);
                ([c + y0, y0], [c + y1, y1])
            };
            out.push([a[0], a[1], b[0], b[1]]);
            c += step;
        }
    };
    match hatch {
        Hatch::Solid => {}
        Hatch::Diagonal => diagonal(true, &mut out),
        Hatch::BackDiagonal => diagonal(false, &mut out),
        Hatch::Cross => {
            diagonal(true, &mut out);
            diagonal(false, &mut out);
        }
        Hatch::Horizontal => {
            let mut y = step / 2.0;
            while y < h {
                out.push([0.0, y, w, y]);
                y += step;
            }
        }
        Hatch::Vertical => {
            let mut x = step / 2.0;
            while x < w {
                out.push([x, 0.0, x, h]);
                x += step;
            }
        }
        Hatch::Dots => {
            let mut y = step / 2.0;
            let mut row = 0;
            while y < h {
                let mut x = if row % 2 == 0 { step / 2.0 } else { step };
                while x < w {
                    out.push([x, y, x, y]);
                    x += step;
                }
                y += step / 2.0;
                row += 1;
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
    fn hatch_lines_stay_inside_their_box() {
        for hatch in [
            Hatch::Diagonal,
            Hatch::BackDiagonal,
            Hatch::Cross,
            Hatch::Horizontal,
            Hatch::Vertical,
            Hatch::Dots,
        ] {
            let segs = hatch_segments(hatch, 30.0, 8.0, 4.0);
            assert!(!segs.is_empty(), "{hatch:?}");
            for s in &segs {
                for (v, max) in [(s[0], 30.0), (s[1], 8.0), (s[2], 30.0), (s[3], 8.0)] {
                    assert!((-0.001..=max + 0.001).contains(&v), "{hatch:?} {s:?}");
                }
            }
        }
        assert!(hatch_segments(Hatch::Solid, 30.0, 8.0, 4.0).is_empty());
        // A rising line goes from lower left to upper right: y falls as x grows.
        let s = hatch_segments(Hatch::Diagonal, 10.0, 10.0, 5.0)[1];
        assert!((s[2] - s[0]) * (s[3] - s[1]) < 0.0, "{s:?}");
    }
}
