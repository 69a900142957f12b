//! Keyboard shortcuts and the look (presentation mode, theme). One table lists every
//! shortcut for the `?` window; the app-wide ones are read here, the timeline's and the
//! replay's where those views handle them.

use egui::{Color32, Context, Key, KeyboardShortcut, Modifiers, Visuals};

use super::Command;
use crate::i18n::Language;
use crate::t;

/// Every shortcut, as the `?` window shows it: keys, then what they do (in a language).
#[allow(clippy::type_complexity)]
pub const SHORTCUTS: &[(fn(Language) -> String, fn(Language) -> String)] = &[
    (|l| t!(l, "keys-run"), |l| t!(l, "keys-run-what")),
    (|l| t!(l, "keys-stop"), |l| t!(l, "keys-stop-what")),
    (|l| t!(l, "keys-open"), |l| t!(l, "keys-open-what")),
    (|l| t!(l, "keys-save"), |l| t!(l, "keys-save-what")),
    (|l| t!(l, "keys-export"), |l| t!(l, "keys-export-what")),
    (|l| t!(l, "keys-present"), |l| t!(l, "keys-present-what")),
    (|l| t!(l, "keys-theme"), |l| t!(l, "keys-theme-what")),
    (|l| t!(l, "keys-size"), |l| t!(l, "keys-size-what")),
    (|l| t!(l, "keys-help"), |l| t!(l, "keys-help-what")),
    (|l| t!(l, "keys-escape"), |l| t!(l, "keys-escape-what")),
    (|l| t!(l, "keys-fit"), |l| t!(l, "keys-fit-what")),
    (|l| t!(l, "keys-zoom"), |l| t!(l, "keys-zoom-what")),
    (|l| t!(l, "keys-pan"), |l| t!(l, "keys-pan-what")),
    (|l| t!(l, "keys-play"), |l| t!(l, "keys-play-what")),
    (|l| t!(l, "keys-step"), |l| t!(l, "keys-step-what")),
    (|l| t!(l, "keys-ends"), |l| t!(l, "keys-ends-what")),
];

/// How much bigger everything is in presentation mode.
pub const PRESENTATION_ZOOM: f32 = 1.6;

/// The app-wide shortcuts pressed this frame. `escape_wanted`: the app has something Esc
/// closes (the shortcuts window, presentation mode); otherwise Esc is left to widgets.
pub fn shortcut_commands(ctx: &Context, escape_wanted: bool) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|i| {
        let mut out = Vec::new();
        let cmd = |k| KeyboardShortcut::new(Modifiers::COMMAND, k);
        if i.consume_key(Modifiers::NONE, Key::F11) || i.consume_shortcut(&cmd(Key::P)) {
            out.push(Command::TogglePresentation);
        }
        if i.consume_key(Modifiers::SHIFT, Key::F5) {
            out.push(Command::Stop);
        } else if i.consume_key(Modifiers::NONE, Key::F5) || i.consume_shortcut(&cmd(Key::R)) {
            out.push(Command::Run);
        }
        for (key, command) in [
            (Key::O, Command::OpenDialog),
            (Key::S, Command::SaveDialog),
            (Key::E, Command::ExportDialog),
            (Key::T, Command::ToggleTheme),
        ] {
            if i.consume_shortcut(&cmd(key)) {
                out.push(command);
            }
        }
        if escape_wanted && i.consume_key(Modifiers::NONE, Key::Escape) {
            out.push(Command::Escape);
        }
        if !typing
            && i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"))
        {
            out.push(Command::ToggleHelp);
        }
        out
    })
}

/// The `?` window.
pub fn help_ui(ctx: &Context, open: &mut bool, l: Language) {
    egui::Window::new(t!(l, "shortcuts-title"))
        .id(egui::Id::unique("keyboard shortcuts"))
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.strong(keys(l));
                        ui.label(what(l));
                        ui.end_row();
                    }
                });
        });
}

/// Light, high contrast, for projectors: black on white, strong lines.
pub fn presentation_visuals() -> Visuals {
    let mut v = Visuals::light();
    v.override_text_color = Some(Color32::BLACK);
    v.panel_fill = Color32::WHITE;
    v.window_fill = Color32::WHITE;
    v.extreme_bg_color = Color32::WHITE;
    v.faint_bg_color = Color32::from_gray(235);
    v.weak_text_color = Some(Color32::from_gray(60));
    v.widgets.noninteractive.bg_stroke.color = Color32::from_gray(80);
    v.widgets.noninteractive.fg_stroke.color = Color32::BLACK;
    v.widgets.inactive.fg_stroke.color = Color32::BLACK;
    v.widgets.inactive.bg_stroke.color = Color32::from_gray(60);
    v
}
