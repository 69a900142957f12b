//! Colours of the timeline, derived from egui's visuals (dark or light), so views never
//! hard-code a colour of their own.

use egui::{Color32, Visuals};

/// How far apart the lines of a wait's hatch are, in points.
const HATCH_STEP: f32 = 5.0;

#[derive(Clone, Debug)]
pub struct Theme {
    pub text: Color32,
    pub weak_text: Color32,
    pub grid: Color32,
    pub lane_bg: [Color32; 2],
    /// Woken (or spawned), waiting for a worker.
    pub scheduled: Color32,
    /// Pending at an `.await`.
    pub idle: Color32,
    /// The dark cap at the end of a poll that finished its task.
    pub ready_cap: Color32,
    pub panicked: Color32,
    pub cancelled: Color32,
    pub spawn: Color32,
    pub selection: Color32,
    pub wake_arrow: Color32,
    /// A worker asleep (parked: nothing to run).
    pub parked: Color32,
    /// A worker between polls, not asleep: the runtime's own work (searching for tasks,
    /// stealing, driving timers and I/O).
    pub runtime_work: Color32,
    saturation: f32,
    value: f32,
}

impl Theme {
    /// What a waiting task waits for, by colour: the Okabe–Ito palette (safe for the
    /// colour-blind), with the reasons of library tasks in greys.
    pub fn wait_color(&self, reason: crate::trace::WaitReason) -> Color32 {
        use crate::trace::WaitReason as W;
        match (crate::view::palette::wait_rgb(reason), reason) {
            (Some([r, g, b]), _) => Color32::from_rgb(r, g, b),
            (None, W::Never) => self.panicked,
            (None, W::Io) => self.idle.gamma_multiply(1.3),
            (None, _) => self.idle,
        }
    }

    /// Fills `rect` in the colour of a wait for `reason`, with the reason's hatch over it
    /// (see `view::palette`), so that waits stay apart in grayscale and for the
    /// colour-blind. The hatch is fixed to the screen: neighbouring rectangles continue it.
    pub fn paint_wait(
        &self,
        painter: &egui::Painter,
        rect: egui::Rect,
        reason: crate::trace::WaitReason,
    ) {
        self.paint_hatched(
            painter,
            rect,
            self.wait_color(reason),
            crate::view::palette::wait_hatch(reason),
        );
    }

    /// Fills `rect` with `color` and `hatch` over it.
    pub fn paint_hatched(
        &self,
        painter: &egui::Painter,
        rect: egui::Rect,
        color: Color32,
        hatch: crate::view::palette::Hatch,
    ) {
        painter.rect_filled(rect, 0.0, color);
        if rect.width() < 2.0 && rect.height() < 2.0 {
            return;
        }
        let ink = Color32::from_white_alpha(170);
        let segments = crate::view::palette::hatch_segments(
            hatch,
            [rect.left(), rect.top(), rect.right(), rect.bottom()],
            HATCH_STEP,
        );
        for [xa, ya, xb, yb] in segments {
            if xa == xb && ya == yb {
                painter.circle_filled(egui::pos2(xa, ya), 1.1, ink);
            } else {
                painter.line_segment(
                    [egui::pos2(xa, ya), egui::pos2(xb, yb)],
                    egui::Stroke::new(1.0, ink),
                );
            }
        }
    }

    pub fn from_visuals(v: &Visuals) -> Self {
        let dark = v.dark_mode;
        let text = v.text_color();
        Theme {
            text,
            weak_text: v.weak_text_color(),
            grid: v.widgets.noninteractive.bg_stroke.color.gamma_multiply(0.6),
            lane_bg: if dark {
                [Color32::from_gray(24), Color32::from_gray(30)]
            } else {
                [Color32::from_gray(250), Color32::from_gray(240)]
            },
            scheduled: if dark {
                Color32::from_rgb(230, 160, 40)
            } else {
                Color32::from_rgb(220, 140, 0)
            },
            idle: v.weak_text_color().gamma_multiply(0.7),
            ready_cap: if dark { Color32::WHITE } else { Color32::BLACK },
            panicked: v.error_fg_color,
            cancelled: v.weak_text_color(),
            spawn: if dark {
                Color32::from_rgb(90, 200, 120)
            } else {
                Color32::from_rgb(20, 140, 60)
            },
            selection: v.selection.stroke.color,
            wake_arrow: v.warn_fg_color,
            parked: if dark {
                Color32::from_rgb(70, 90, 130)
            } else {
                Color32::from_rgb(160, 180, 220)
            },
            runtime_work: if dark {
                Color32::from_rgb(200, 200, 120)
            } else {
                Color32::from_rgb(150, 130, 20)
            },
            saturation: if dark { 0.55 } else { 0.65 },
            value: if dark { 0.85 } else { 0.75 },
        }
    }

    /// A colour per worker lane (by lane index), far apart in hue for neighbours.
    pub fn worker_color(&self, lane: usize) -> Color32 {
        let hue = (lane as f32 * 0.381_966).fract();
        let [r, g, b] = crate::view::rgb_from_hsv(hue, 0.75, self.value);
        Color32::from_rgb(r, g, b)
    }

    /// A stable colour per task group (hash of its name → hue).
    pub fn group_color(&self, group: &str) -> Color32 {
        let [r, g, b] =
            crate::view::rgb_from_hsv(crate::view::group_hue(group), self.saturation, self.value);
        Color32::from_rgb(r, g, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_colours_are_stable_and_distinct() {
        let t = Theme::from_visuals(&Visuals::dark());
        assert_eq!(t.group_color("fetch"), t.group_color("fetch"));
        assert_ne!(t.group_color("fetch"), t.group_color("crunch"));
    }
}
