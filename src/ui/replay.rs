//! Replay: a finished run played back at 0.05×–1× of its real speed, the timeline growing
//! as it did live; pausable and scrubbable, for presenting a run step by step.

use std::time::Instant;

use egui::{Key, Ui};

use super::Command;
use super::timeline::axis::format_ns;

pub const MIN_SPEED: f64 = 0.05;
pub const MAX_SPEED: f64 = 1.0;
/// Left / Right step by this share of the run.
const STEP: f64 = 0.05;

/// A replay of the run on screen.
#[derive(Clone, Debug)]
pub struct Replay {
    pub run_id: u64,
    /// How far the replay has got, ns from run start.
    pub position_ns: f64,
    /// Run time per wall-clock time, `MIN_SPEED..=MAX_SPEED`.
    pub speed: f64,
    pub playing: bool,
    end_ns: u64,
    last_frame: Option<Instant>,
}

impl Replay {
    /// A replay from the start, playing at a quarter of the real speed.
    pub fn new(run_id: u64, end_ns: u64) -> Self {
        Replay {
            run_id,
            position_ns: 0.0,
            speed: 0.25,
            playing: true,
            end_ns: end_ns.max(1),
            last_frame: None,
        }
    }

    pub fn end_ns(&self) -> u64 {
        self.end_ns
    }

    /// What the timeline shows: everything up to this time.
    pub fn until_ns(&self) -> u64 {
        self.position_ns as u64
    }

    /// Moves on by `wall_s` seconds of real time at the replay's speed; stops at the end.
    pub fn advance(&mut self, wall_s: f64) {
        if !self.playing {
            return;
        }
        self.position_ns += wall_s.max(0.0) * self.speed * 1e9;
        if self.position_ns >= self.end_ns as f64 {
            self.position_ns = self.end_ns as f64;
            self.playing = false;
        }
    }

    /// Advances by the real time since the last frame (at most 100 ms, so a stalled frame
    /// does not jump).
    fn tick(&mut self) {
        let now = Instant::now();
        if let Some(last) = self.last_frame {
            self.advance((now - last).as_secs_f64().min(0.1));
        }
        self.last_frame = Some(now);
    }

    pub fn seek(&mut self, ns: f64) {
        self.position_ns = ns.clamp(0.0, self.end_ns as f64);
    }

    /// Play or pause; playing at the end starts again from the beginning.
    pub fn toggle(&mut self) {
        if !self.playing && self.position_ns >= self.end_ns as f64 {
            self.position_ns = 0.0;
        }
        self.playing = !self.playing;
        self.last_frame = None;
    }
}

/// The replay controls (and keys: Space play/pause, Left/Right step, Home/End); advances
/// the replay by the time since the last frame.
#[must_use]
pub fn replay_bar_ui(ui: &mut Ui, r: &mut Replay) -> Option<Command> {
    let mut command = None;
    if !ui.ctx().egui_wants_keyboard_input() {
        let step = r.end_ns as f64 * STEP;
        let (space, left, right, home, end) = ui.input(|i| {
            (
                i.key_pressed(Key::Space),
                i.key_pressed(Key::ArrowLeft),
                i.key_pressed(Key::ArrowRight),
                i.key_pressed(Key::Home),
                i.key_pressed(Key::End),
            )
        });
        if space {
            r.toggle();
        }
        if left {
            r.seek(r.position_ns - step);
        }
        if right {
            r.seek(r.position_ns + step);
        }
        if home {
            r.seek(0.0);
        }
        if end {
            r.seek(r.end_ns as f64);
        }
    }
    ui.horizontal(|ui| {
        ui.strong("Replay");
        let label = if r.playing { "Pause" } else { "Play" };
        if ui
            .button(label)
            .on_hover_text("Space: play or pause · Left/Right: step · Home/End")
            .clicked()
        {
            r.toggle();
        }
        ui.add(
            egui::Slider::new(&mut r.speed, MIN_SPEED..=MAX_SPEED)
                .logarithmic(true)
                .text("speed")
                .suffix("×")
                .fixed_decimals(2),
        )
        .on_hover_text("Run time per real time: 0.05× shows 1 ms of the run in 20 ms");
        let end_ms = r.end_ns as f64 / 1e6;
        let mut at_ms = r.position_ns / 1e6;
        if ui
            .add(
                egui::Slider::new(&mut at_ms, 0.0..=end_ms)
                    .text("position")
                    .suffix(" ms")
                    .show_value(false),
            )
            .on_hover_text("Drag to scrub through the run")
            .changed()
        {
            r.seek(at_ms * 1e6);
        }
        ui.label(format!(
            "{} of {}",
            format_ns(r.position_ns),
            format_ns(r.end_ns as f64)
        ));
        if ui.button("End replay").clicked() {
            command = Some(Command::EndReplay);
        }
    });
    if r.playing {
        r.tick();
        ui.ctx().request_repaint();
    } else {
        r.last_frame = None;
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_at_its_speed_and_stops_at_the_end() {
        let mut r = Replay::new(1, 1_000_000_000);
        r.speed = 0.05;
        r.advance(2.0);
        assert_eq!(
            r.until_ns(),
            100_000_000,
            "2 s at 0.05x is 100 ms of the run"
        );
        r.playing = false;
        r.advance(5.0);
        assert_eq!(r.until_ns(), 100_000_000, "paused");
        r.toggle();
        r.speed = 1.0;
        r.advance(5.0);
        assert_eq!(r.until_ns(), 1_000_000_000);
        assert!(!r.playing, "stops at the end");
        r.toggle();
        assert_eq!(r.until_ns(), 0, "play at the end starts again");
        r.seek(-5.0);
        assert_eq!(r.until_ns(), 0);
        r.seek(2e9);
        assert_eq!(r.until_ns(), 1_000_000_000);
    }
}
