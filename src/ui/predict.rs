//! Predict, then reveal: before Run, the audience's guesses for the figures the scenario
//! names (`[predict]`) are typed into a card; when the run ends, the card shows each guess
//! beside the result, large, and the timeline goes to the evidence.

use egui::{Color32, RichText, Ui};

use super::Command;
use crate::i18n::Language;
use crate::t;
use crate::trace::predict::parse_guess;
use crate::trace::{Figure, Reveal};

/// The card before Run: a question and a field per figure.
pub fn card_ui(ui: &mut Ui, figures: &[Figure], typed: &mut Vec<(Figure, String)>, l: Language) {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.strong(RichText::new(t!(l, "predict-card-title")).size(17.0));
            ui.weak(t!(l, "predict-card-hint"));
            // A question on its own line, its field under it: the panel is narrow.
            for &f in figures {
                ui.add_space(4.0);
                let question =
                    ui.add(egui::Label::new(RichText::new(f.question(l)).size(15.0)).wrap());
                let i = match typed.iter().position(|(g, _)| *g == f) {
                    Some(i) => i,
                    None => {
                        typed.push((f, String::new()));
                        typed.len() - 1
                    }
                };
                ui.horizontal(|ui| {
                    let text = &mut typed[i].1;
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(text)
                                .hint_text(t!(l, "predict-your-guess"))
                                .font(egui::TextStyle::Heading)
                                .desired_width(120.0),
                        )
                        .labelled_by(question.id);
                    if !text.trim().is_empty() && parse_guess(text).is_none() {
                        field.on_hover_text(t!(l, "predict-not-a-number"));
                        ui.colored_label(ui.visuals().warn_fg_color, "?");
                    }
                    ui.label(RichText::new(f.unit()).size(17.0));
                });
            }
        });
}

/// The reveal, in the card's place once the run is over: each guess against the result,
/// large enough for the back of the room; a figure's "show" zooms to its evidence, and "New
/// guesses" brings the card back for the next run.
pub fn reveal_ui(ui: &mut Ui, reveals: &[Reveal], l: Language) -> Option<Command> {
    let mut command = None;
    let big = 26.0;
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .stroke(egui::Stroke::new(2.0, ui.visuals().strong_text_color()))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.strong(RichText::new(t!(l, "reveal-title")).size(20.0));
                if ui
                    .small_button(t!(l, "reveal-hide"))
                    .on_hover_text(t!(l, "reveal-hide-hover"))
                    .clicked()
                {
                    command = Some(Command::HideReveal);
                }
            });
            for r in reveals {
                ui.add_space(4.0);
                ui.add(egui::Label::new(RichText::new(r.figure.question(l)).size(15.0)).wrap());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(t!(l, "reveal-guess")).weak());
                    ui.label(RichText::new(r.guess_text()).size(big));
                    ui.label(RichText::new("->").size(big).weak());
                    ui.label(RichText::new(r.actual_text(l)).size(big).strong());
                    let off = r.off_by().unwrap_or_default();
                    let color = match off.as_str() {
                        "≈" => Color32::from_rgb(40, 160, 60),
                        _ => Color32::from_rgb(220, 120, 0),
                    };
                    if !off.is_empty() {
                        ui.label(RichText::new(off).size(big).strong().color(color));
                    }
                    if ui
                        .small_button(t!(l, "reveal-evidence"))
                        .on_hover_text(t!(l, "reveal-evidence-hover"))
                        .clicked()
                    {
                        command = Some(Command::ShowEvidence(r.figure));
                    }
                });
            }
        });
    command
}

/// The reveal in one wrapped line, for presentation mode's bar: the timeline under it keeps
/// its height for the lesson's rows.
pub fn reveal_line_ui(ui: &mut Ui, reveals: &[Reveal], l: Language) -> Option<Command> {
    let mut command = None;
    let size = 20.0;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t!(l, "reveal-title")).size(size).strong());
        for r in reveals {
            ui.separator();
            let text = t!(
                l,
                "reveal-line",
                figure = r.figure.short_name(l),
                guess = r.guess_text(),
                actual = r.actual_text(l)
            );
            if ui
                .add(egui::Button::new(RichText::new(text).size(size)).frame(false))
                .on_hover_text(r.figure.question(l))
                .clicked()
            {
                command = Some(Command::ShowEvidence(r.figure));
            }
            if let Some(off) = r.off_by() {
                let color = if off == "≈" {
                    Color32::from_rgb(40, 160, 60)
                } else {
                    Color32::from_rgb(220, 120, 0)
                };
                ui.label(RichText::new(off).size(size).strong().color(color));
            }
        }
        if ui.small_button(t!(l, "reveal-hide")).clicked() {
            command = Some(Command::HideReveal);
        }
    });
    command
}
