//! Keyboard shortcuts and the look (presentation mode, theme). One table lists every
//! shortcut for the `?` window; the app-wide ones are read here, the timeline's and the
//! replay's where those views handle them.

use egui::{Color32, Context, Key, KeyboardShortcut, Modifiers, Visuals};

use super::Command;

/// Every shortcut, as the `?` window shows it: keys, then what they do.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("F5 or Ctrl+R", "Run the selected scenario"),
    ("Shift+F5", "Stop the run (the trace so far is kept)"),
    ("Ctrl+O", "Open a scenario or a recorded run"),
    ("Ctrl+S", "Save the run on screen"),
    ("Ctrl+E", "Export the view as SVG or PNG"),
    (
        "F11 or Ctrl+P",
        "Presentation mode: large, light, high contrast, side panels hidden",
    ),
    ("Ctrl+T", "Light or dark theme"),
    (
        "Ctrl+Plus, Ctrl+Minus, Ctrl+0",
        "Bigger, smaller, normal size",
    ),
    ("?", "Show or hide these shortcuts"),
    ("Esc", "Close this window; leave presentation mode"),
    ("F", "Timeline: fit the whole run"),
    ("W, S or Ctrl+wheel", "Timeline: zoom in, out"),
    ("A, D or drag", "Timeline: pan left, right"),
    ("Space", "Replay: pause or play"),
    ("Left, Right", "Replay: step back or ahead 5%"),
    ("Home, End", "Replay: to the start, to the end"),
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
pub fn help_ui(ctx: &Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.strong(*keys);
                        ui.label(*what);
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
