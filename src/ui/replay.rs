//! Replay: a finished run played back at 0.001×–1× of its real speed, or over a chosen
//! number of seconds, the timeline growing as it did live; pausable and scrubbable, for
//! presenting a run step by step.

use crate::i18n::Language;
use crate::t;
use std::time::Instant;

use egui::{Key, Ui};

use super::Command;
use super::timeline::axis::format_ns;

pub const MIN_SPEED: f64 = 0.001;
pub const MAX_SPEED: f64 = 1.0;
/// By default the whole run plays over this many seconds (at most at 1×): a 60 ms fan-out
/// as slowly as a 3 s rate-limited client, so each can be followed.
pub const DEFAULT_PLAY_S: f64 = 10.0;
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
    /// A replay from the start, playing the whole run over `DEFAULT_PLAY_S` seconds.
    pub fn new(run_id: u64, end_ns: u64) -> Self {
        let mut r = Replay {
            run_id,
            position_ns: 0.0,
            speed: MAX_SPEED,
            playing: true,
            end_ns: end_ns.max(1),
            last_frame: None,
        };
        r.play_over(DEFAULT_PLAY_S);
        r
    }

    /// How long the whole run takes to play at this speed, in seconds of real time.
    pub fn play_s(&self) -> f64 {
        self.end_ns as f64 / 1e9 / self.speed
    }

    /// Sets the speed so that the whole run plays over `seconds` (within the speed limits).
    pub fn play_over(&mut self, seconds: f64) {
        self.speed = (self.end_ns as f64 / 1e9 / seconds.max(1e-3)).clamp(MIN_SPEED, MAX_SPEED);
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
pub fn replay_bar_ui(ui: &mut Ui, r: &mut Replay, l: Language) -> Option<Command> {
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
        ui.strong(t!(l, "replay"));
        let label = if r.playing {
            t!(l, "replay-pause")
        } else {
            t!(l, "replay-play")
        };
        if ui
            .button(label)
            .on_hover_text(t!(l, "replay-keys-hover"))
            .clicked()
        {
            r.toggle();
        }
        ui.separator();
        ui.label(t!(l, "replay-speed"));
        ui.add(
            egui::Slider::new(&mut r.speed, MIN_SPEED..=MAX_SPEED)
                .logarithmic(true)
                .suffix("×")
                .custom_formatter(|v, _| format_speed(v)),
        )
        .on_hover_text(t!(l, "replay-speed-hover"));
        ui.label(t!(l, "replay-whole-run-in"));
        let mut play_s = r.play_s();
        if ui
            .add(
                egui::DragValue::new(&mut play_s)
                    .range(r.end_ns as f64 / 1e9..=r.end_ns as f64 / 1e9 / MIN_SPEED)
                    .speed(0.1)
                    .max_decimals(1)
                    .suffix(" s"),
            )
            .on_hover_text(t!(l, "replay-seconds-hover"))
            .changed()
        {
            r.play_over(play_s);
        }
        ui.separator();
        ui.label(t!(l, "replay-position"));
        let end_ms = r.end_ns as f64 / 1e6;
        let mut at_ms = r.position_ns / 1e6;
        if ui
            .add(egui::Slider::new(&mut at_ms, 0.0..=end_ms).show_value(false))
            .on_hover_text(t!(l, "replay-position-hover"))
            .changed()
        {
            r.seek(at_ms * 1e6);
        }
        ui.label(t!(
            l,
            "replay-at-of",
            at = format_ns(r.position_ns),
            end = format_ns(r.end_ns as f64)
        ));
        if ui.button(t!(l, "replay-end")).clicked() {
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

/// A speed with the decimals it needs: "0.25", "0.01", "0.002".
fn format_speed(v: f64) -> String {
    if v >= 0.1 {
        format!("{v:.2}")
    } else if v >= 0.01 {
        format!("{v:.3}")
    } else {
        format!("{v:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_the_whole_run_over_ten_seconds_by_default() {
        // A 60 ms fan-out: 0.006x, so its first 2 ms take a third of a second.
        let r = Replay::new(1, 60_000_000);
        assert!((r.speed - 0.006).abs() < 1e-9, "{}", r.speed);
        assert!((r.play_s() - 10.0).abs() < 1e-9);
        // A 3 s run at 0.3x; a 20 s run at no more than real time.
        assert!((Replay::new(1, 3_000_000_000).speed - 0.3).abs() < 1e-9);
        let mut long = Replay::new(1, 20_000_000_000);
        assert_eq!(long.speed, MAX_SPEED);
        assert!((long.play_s() - 20.0).abs() < 1e-9);
        long.play_over(1e6);
        assert_eq!(long.speed, MIN_SPEED, "as slow as it goes");
        let mut r = Replay::new(1, 100_000_000);
        r.play_over(30.0);
        assert!((r.play_s() - 30.0).abs() < 1e-9);
        assert_eq!(format_speed(0.25), "0.25");
        assert_eq!(format_speed(0.006), "0.0060");
    }

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
