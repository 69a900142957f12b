//! The Export window (Ctrl+E): the timeline as shown or a 16:9 slide, as SVG or PNG, to a
//! file picked in the system's dialog or straight into the export folder. A machine with
//! neither the desktop portal nor zenity has no dialog: the window says so, and the folder
//! still works.

use crate::i18n::Language;
use crate::t;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What an export draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportForm {
    /// The timeline as it is on screen (its range), as wide as the screen's.
    #[default]
    View,
    /// A 1920×1080 slide of the range on screen: title, lesson, lanes, tracks, tasks.
    Slide,
}

/// The choices of the Export window, kept between exports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportChoice {
    pub form: ExportForm,
    /// PNG (at 2×) rather than SVG.
    pub png: bool,
}

impl ExportChoice {
    pub fn extension(&self) -> &'static str {
        if self.png { "png" } else { "svg" }
    }

    fn what(&self) -> &'static str {
        match self.form {
            ExportForm::View => "view",
            ExportForm::Slide => "slide",
        }
    }
}

/// What the window asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportAction {
    Close,
    /// Ask for a file in the system's dialog.
    PickFile,
    /// Write into the export folder, under a new name.
    SaveToFolder,
}

/// Where exports go without a dialog: `$ASYNCSCOPE_EXPORT_DIR`, else `asyncscope-exports`
/// in the home folder (else in the current one).
pub fn export_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ASYNCSCOPE_EXPORT_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from)
        .join("asyncscope-exports")
}

/// Whether rfd can show a file dialog here: zenity on the PATH, or a session bus with the
/// desktop portal's service installed. (Without either, rfd returns "nothing picked" at
/// once, which would look like a dialog that never opened.)
pub fn file_dialog_available() -> bool {
    let on_path = |name: &str| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
    };
    if on_path("zenity") {
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return false;
    }
    let data_dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    data_dirs.split(':').any(|d| {
        Path::new(d)
            .join("dbus-1/services/org.freedesktop.portal.Desktop.service")
            .is_file()
    })
}

/// A new file in `dir` for `stem`: `stem-slide-1.png`, `-2`, … (the first free one).
pub fn new_export_path(dir: &Path, stem: &str, choice: &ExportChoice) -> PathBuf {
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = if stem.is_empty() {
        "run".to_string()
    } else {
        stem
    };
    (1..)
        .map(|n| {
            dir.join(format!(
                "{stem}-{}-{n}.{}",
                choice.what(),
                choice.extension()
            ))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.{}", choice.extension())))
}

/// The window; returns what was asked.
pub fn export_window_ui(
    ctx: &egui::Context,
    choice: &mut ExportChoice,
    (dialog_available, folder): (bool, &Path),
    l: Language,
) -> Option<ExportAction> {
    let mut action = None;
    let mut open = true;
    egui::Window::new(t!(l, "export-title"))
        .id(egui::Id::unique("export window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label(t!(l, "export-what"));
            ui.radio_value(
                &mut choice.form,
                ExportForm::View,
                t!(l, "export-view-choice"),
            )
            .on_hover_text(t!(l, "export-view-choice-hover"));
            ui.radio_value(
                &mut choice.form,
                ExportForm::Slide,
                t!(l, "export-slide-choice"),
            )
            .on_hover_text(t!(l, "export-slide-choice-hover"));
            ui.add_space(6.0);
            ui.label(t!(l, "export-format"));
            ui.horizontal(|ui| {
                ui.radio_value(&mut choice.png, false, t!(l, "export-svg"));
                ui.radio_value(&mut choice.png, true, t!(l, "export-png"));
            });
            ui.add_space(6.0);
            if !dialog_available {
                ui.colored_label(ui.visuals().warn_fg_color, t!(l, "export-no-dialog"));
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        dialog_available,
                        egui::Button::new(t!(l, "export-choose-file")),
                    )
                    .clicked()
                {
                    action = Some(ExportAction::PickFile);
                }
                if ui
                    .button(t!(
                        l,
                        "export-save-to",
                        folder = folder.display().to_string()
                    ))
                    .on_hover_text(t!(l, "export-save-to-hover"))
                    .clicked()
                {
                    action = Some(ExportAction::SaveToFolder);
                }
            });
        });
    if !open {
        action = Some(ExportAction::Close);
    }
    action
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_export_paths_never_overwrite_and_keep_names_safe() {
        let dir =
            std::env::temp_dir().join(format!("asyncscope-export-names-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let slide_png = ExportChoice {
            form: ExportForm::Slide,
            png: true,
        };
        let a = new_export_path(&dir, "rate_limited/client", &slide_png);
        assert_eq!(
            a.file_name().and_then(|n| n.to_str()),
            Some("rate_limited_client-slide-1.png")
        );
        std::fs::write(&a, b"x").expect("write");
        let b = new_export_path(&dir, "rate_limited/client", &slide_png);
        assert_eq!(
            b.file_name().and_then(|n| n.to_str()),
            Some("rate_limited_client-slide-2.png")
        );
        let view = new_export_path(&dir, "", &ExportChoice::default());
        assert_eq!(
            view.file_name().and_then(|n| n.to_str()),
            Some("run-view-1.svg")
        );
    }
}
