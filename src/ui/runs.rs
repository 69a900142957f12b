//! The run history: every run of this session, newest first; show one, rename it, delete
//! it, or tick two or more and compare them.

use egui::Ui;

use super::scenarios::scenario_facts;
use super::timeline::axis::format_ns;
use super::{Command, Language, RunOutcome, RunSlot};
use crate::t;

#[must_use]
pub fn runs_ui(
    ui: &mut Ui,
    runs: &mut [RunSlot],
    shown: Option<usize>,
    lang: Language,
) -> Option<Command> {
    let mut command = None;
    ui.heading(t!(lang, "runs"));
    if runs.is_empty() {
        ui.weak(t!(lang, "no-runs-yet"));
        return None;
    }
    // No scroll of its own (the panel scrolls): an inner scroll shrank to three rows when
    // the parameters above it were open. Each row keeps to the panel's width: the name is
    // cut, never widening the panel, and Delete sits at the far end, away from the tick box.
    let mut next_seq = runs.iter().map(|r| r.picked_seq).max().unwrap_or(0) + 1;
    for (i, r) in runs.iter_mut().enumerate().rev() {
        let status = match &r.outcome {
            None => t!(lang, "run-status-running"),
            Some(RunOutcome::Finished) => t!(lang, "run-status-done"),
            Some(RunOutcome::Stopped) => t!(lang, "run-status-stopped"),
            Some(RunOutcome::Failed(_)) => t!(lang, "run-status-failed"),
        };
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    r.outcome.is_some(),
                    egui::Checkbox::new(&mut r.picked, format!("#{}", r.id)),
                )
                .on_hover_text(t!(lang, "pick-run-hover"))
                .changed()
                && r.picked
            {
                r.picked_seq = next_seq;
                next_seq += 1;
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .add_enabled(
                        r.outcome.is_some(),
                        egui::Button::new(t!(lang, "delete")).small(),
                    )
                    .on_hover_text(t!(lang, "delete-hover"))
                    .clicked()
                {
                    command = Some(Command::DeleteRun(i));
                }
                ui.add_space(12.0);
                let wall = r
                    .wall_ns()
                    .map(|w| format!(" · {}", format_ns(w as f64)))
                    .unwrap_or_default();
                let text = format!("{} · {} · {status}{wall}", r.started_at, r.name);
                let (scenario, outcome) = (&r.scenario, &r.outcome);
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    if ui
                        .add(egui::Button::selectable(shown == Some(i), text.as_str()).truncate())
                        .on_hover_ui(|ui| {
                            ui.label(&text);
                            // What was run: the parameters, or where it came from.
                            if let Some(RunOutcome::Failed(e)) = outcome {
                                ui.colored_label(ui.visuals().error_fg_color, e);
                            }
                            match scenario {
                                Some(sc) => {
                                    for (k, v) in scenario_facts(sc, lang) {
                                        ui.label(format!("{k}: {v}"));
                                    }
                                }
                                None => {
                                    ui.label(t!(lang, "opened-from-file"));
                                }
                            }
                        })
                        .clicked()
                    {
                        command = Some(Command::ShowRun(i));
                    }
                });
            });
        });
    }
    let picked = runs
        .iter()
        .filter(|r| r.picked && r.outcome.is_some())
        .count();
    if ui
        .add_enabled(
            picked >= 2,
            egui::Button::new(t!(lang, "compare-button", count = picked)),
        )
        .on_hover_text(t!(lang, "compare-hover"))
        .clicked()
    {
        command = Some(Command::Compare);
    }
    if let Some(r) = shown.and_then(|i| runs.get_mut(i)) {
        ui.horizontal(|ui| {
            ui.label(t!(lang, "run-name"));
            ui.text_edit_singleline(&mut r.name)
                .on_hover_text(t!(lang, "run-name-hover"));
        });
        if ui
            .add_enabled(r.outcome.is_some(), egui::Button::new(t!(lang, "save-run")))
            .on_hover_text(t!(lang, "save-run-hover"))
            .clicked()
        {
            command = Some(Command::SaveDialog);
        }
    }
    command
}
