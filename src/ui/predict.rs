//! Predict, then reveal: before Run, the audience's guesses for the figures the scenario
//! names (`[predict]`) are typed into a card; when the run ends, the card shows each guess
//! beside the result, large, and the timeline goes to the evidence.

use egui::{Color32, RichText, Ui};

use crate::i18n::Language;
use crate::t;
use crate::trace::predict::format_value;
use crate::trace::{Figure, Reveal};

/// A typed guess as a number: "1,200", "1 200" and "1200 ms" all read as 1200; None for
/// anything else (an empty field is no guess).
pub fn parse_guess(text: &str) -> Option<f64> {
    let digits: String = text
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c == '%' || c.is_whitespace())
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_' | '\u{a0}'))
        .collect();
    digits
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// The card before Run: a question and a field per figure.
pub fn card_ui(ui: &mut Ui, figures: &[Figure], typed: &mut Vec<(Figure, String)>, l: Language) {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.strong(RichText::new(t!(l, "predict-card-title")).size(17.0));
            ui.weak(t!(l, "predict-card-hint"));
            egui::Grid::new("predict card")
                .num_columns(2)
                .show(ui, |ui| {
                    for &f in figures {
                        let question = ui.add(egui::Label::new(f.question(l)).wrap());
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
                                        .desired_width(80.0),
                                )
                                .labelled_by(question.id);
                            if !text.trim().is_empty() && parse_guess(text).is_none() {
                                field.on_hover_text(t!(l, "predict-not-a-number"));
                                ui.colored_label(ui.visuals().warn_fg_color, "?");
                            }
                            ui.label(f.unit());
                        });
                        ui.end_row();
                    }
                });
        });
}

/// What the reveal asks of the app.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RevealAction {
    /// Show this figure's evidence on the timeline.
    Evidence(Figure),
    Hide,
}

/// The reveal over the timeline: each guess against the result, large enough for the back
/// of the room; a row's button goes to its evidence.
pub fn reveal_ui(ui: &mut Ui, reveals: &[Reveal], l: Language) -> Option<RevealAction> {
    let mut action = None;
    let big = 26.0;
    egui::Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .stroke(egui::Stroke::new(2.0, ui.visuals().strong_text_color()))
        .inner_margin(egui::Margin::symmetric(12, 8))
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(RichText::new(t!(l, "reveal-title")).size(big).strong());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button(t!(l, "reveal-hide")).clicked() {
                        action = Some(RevealAction::Hide);
                    }
                });
            });
            egui::Grid::new("reveal")
                .num_columns(5)
                .spacing([24.0, 6.0])
                .show(ui, |ui| {
                    ui.label("");
                    ui.label(RichText::new(t!(l, "reveal-guess")).size(18.0).weak());
                    ui.label(RichText::new(t!(l, "reveal-result")).size(18.0).weak());
                    ui.label("");
                    ui.label("");
                    ui.end_row();
                    for r in reveals {
                        let unit = r.figure.unit();
                        let with_unit = |v: f64| {
                            if unit.is_empty() {
                                format_value(v)
                            } else {
                                format!("{} {unit}", format_value(v))
                            }
                        };
                        ui.label(RichText::new(r.figure.question(l)).size(20.0));
                        ui.label(
                            RichText::new(r.guess.map_or_else(|| "—".to_string(), with_unit))
                                .size(big),
                        );
                        ui.label(
                            RichText::new(
                                r.actual
                                    .map_or_else(|| t!(l, "reveal-not-measured"), with_unit),
                            )
                            .size(big)
                            .strong(),
                        );
                        let off = r.off_by().unwrap_or_default();
                        let color = match off.as_str() {
                            "≈" => Color32::from_rgb(40, 160, 60),
                            "" => ui.visuals().weak_text_color(),
                            _ => Color32::from_rgb(220, 120, 0),
                        };
                        ui.label(RichText::new(off).size(big).strong().color(color));
                        if ui
                            .button(t!(l, "reveal-evidence"))
                            .on_hover_text(t!(l, "reveal-evidence-hover"))
                            .clicked()
                        {
                            action = Some(RevealAction::Evidence(r.figure));
                        }
                        ui.end_row();
                    }
                });
        });
    action
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_read_as_people_type_them() {
        assert_eq!(parse_guess("1200"), Some(1200.0));
        assert_eq!(parse_guess(" 1,200 "), Some(1200.0));
        assert_eq!(parse_guess("1 200 ms"), Some(1200.0));
        assert_eq!(parse_guess("2.5"), Some(2.5));
        assert_eq!(parse_guess("40%"), Some(40.0));
        assert_eq!(parse_guess(""), None);
        assert_eq!(parse_guess("lots"), None);
        assert_eq!(parse_guess("-3"), None);
    }
}
