//! The comparison view: the runs picked in the history, stacked on one time axis (one
//! viewport, so zoom and pan move them together), each run's lanes over its plots on y
//! scales shared by all the runs, under the table of figures with the differences from
//! the first run highlighted.

use egui::{Color32, RichText, Sense, Stroke, Ui};

use super::Command;
use super::Language;
use super::RunSlot;
use super::theme::Theme;
use super::timeline::plots::{self, SharedScales};
use super::timeline::{
    GUTTER_W, Viewport, axis, axis_ui, keys_pan_zoom, label_cell, paint_lane, pan_zoom, poll_at,
    poll_tooltip, row_cells,
};
use crate::t;
use crate::trace::compare::{Comparison, Mark};
use crate::trace::{Summary, Trace};

const LANE_H: f32 = 22.0;

/// What the comparison view keeps between frames.
pub struct CompareView {
    /// The compared runs: run id, name and summary, the baseline first.
    entries: Vec<(u64, String, Summary)>,
    pub viewport: Viewport,
    pub table: Comparison,
    canvas_w: f64,
    fit_pending: bool,
    /// Each run's exact plot series, in the order of `entries`.
    exact: Vec<plots::ExactSeries>,
    /// Each run's resource tracks (HTTP, semaphores, channels, pools).
    resources: Vec<super::timeline::resource_tracks::ResourceTracks>,
    /// The language of the table's labels (rebuilt when the window's changes).
    lang: Language,
}

impl CompareView {
    /// Compares finished runs, from the summaries they made when they ended.
    pub fn new(runs: &[&RunSlot]) -> Self {
        // Runs on different runtimes each say theirs ("… (tokio)" beside "… (asyncio)").
        let runtimes: Vec<crate::trace::Runtime> = runs.iter().map(|r| r.runtime).collect();
        let names = crate::export::slide::with_runtimes(
            runs.iter().map(|r| r.name.clone()).collect(),
            &runtimes,
        );
        let entries: Vec<(u64, String, Summary)> = runs
            .iter()
            .zip(names)
            .map(|(r, name)| {
                let summary = r
                    .summary
                    .clone()
                    .unwrap_or_else(|| Summary::from_trace(&Trace::new(r.name.clone())));
                (r.id, name, summary)
            })
            .collect();
        CompareView {
            table: table_of(&entries, Language::English),
            lang: Language::English,
            entries,
            viewport: Viewport::default(),
            canvas_w: 1000.0,
            fit_pending: true,
            exact: Vec::new(),
            resources: Vec::new(),
        }
    }

    /// The compared runs still in the history, baseline first.
    pub fn runs<'a>(&self, all: &'a [RunSlot]) -> Vec<&'a RunSlot> {
        self.entries
            .iter()
            .filter_map(|(id, ..)| all.iter().find(|r| r.id == *id))
            .collect()
    }

    /// Drops a deleted run from the comparison (the view stays where it is); false when
    /// fewer than two runs are left to compare.
    pub fn remove_run(&mut self, id: u64) -> bool {
        self.entries.retain(|(i, ..)| *i != id);
        self.table = table_of(&self.entries, self.lang);
        self.entries.len() >= 2
    }

    /// The time range on screen (as of the last frame), ns.
    pub fn visible_range_ns(&self) -> (f64, f64) {
        (
            self.viewport.start_ns,
            self.viewport.time_from_x(self.canvas_w),
        )
    }
}

fn table_of(entries: &[(u64, String, Summary)], lang: Language) -> Comparison {
    let refs: Vec<(String, &Summary)> = entries.iter().map(|(_, n, s)| (n.clone(), s)).collect();
    Comparison::new_in(&refs, lang)
}

/// Highlight colours of the table: better than the baseline, worse, or just different.
fn mark_fill(mark: Mark, dark: bool) -> Option<Color32> {
    let a = if dark { 70 } else { 90 };
    match mark {
        Mark::Better => Some(Color32::from_rgba_unmultiplied(40, 170, 60, a)),
        Mark::Worse => Some(Color32::from_rgba_unmultiplied(220, 50, 40, a)),
        Mark::Differs => Some(Color32::from_rgba_unmultiplied(230, 170, 0, a)),
        Mark::Baseline | Mark::Same => None,
    }
}

fn table_ui(ui: &mut Ui, table: &Comparison, l: Language) {
    let dark = ui.visuals().dark_mode;
    egui::Grid::new("comparison table")
        .striped(true)
        .spacing([14.0, 3.0])
        .show(ui, |ui| {
            ui.label("");
            for (i, name) in table.runs.iter().enumerate() {
                ui.strong(format!("[{}] {name}", i + 1));
            }
            ui.end_row();
            for row in &table.rows {
                ui.label(&row.label);
                for i in 0..table.runs.len() {
                    let delta = row.delta_text_in(i, l);
                    let text = if delta.is_empty() {
                        row.value_text(i)
                    } else {
                        format!("{} ({delta})", row.value_text(i))
                    };
                    let mark = row.marks[i];
                    let hover = match mark {
                        Mark::Better => t!(l, "mark-better"),
                        Mark::Worse => t!(l, "mark-worse"),
                        Mark::Differs => t!(l, "mark-differs"),
                        Mark::Same => t!(l, "mark-same"),
                        Mark::Baseline => t!(l, "mark-baseline"),
                    };
                    match mark_fill(mark, dark) {
                        Some(fill) => {
                            egui::Frame::new()
                                .fill(fill)
                                .inner_margin(egui::Margin::symmetric(4, 0))
                                .show(ui, |ui| ui.label(RichText::new(text).strong()))
                                .response
                                .on_hover_text(hover);
                        }
                        None => {
                            ui.label(text).on_hover_text(hover);
                        }
                    }
                }
                ui.end_row();
            }
        });
    ui.weak(t!(l, "compare-highlight"));
}

/// Draws the comparison and handles its input.
#[must_use]
pub fn compare_ui(
    ui: &mut Ui,
    view: &mut CompareView,
    runs: &[RunSlot],
    theme: &Theme,
    lang: Language,
) -> Option<Command> {
    let mut command = None;
    if view.lang != lang {
        view.lang = lang;
        view.table = table_of(&view.entries, lang);
    }
    let canvas_w = (ui.available_width() - GUTTER_W).max(50.0) as f64;
    view.canvas_w = canvas_w;
    let guards: Vec<_> = view
        .runs(runs)
        .into_iter()
        .filter_map(|r| Some((r, r.live.lock().ok()?)))
        .collect();
    let longest = guards
        .iter()
        .map(|(_, t)| t.end_ns())
        .max()
        .unwrap_or(1)
        .max(1);

    ui.horizontal(|ui| {
        if ui.button(t!(lang, "back-to-timeline")).clicked() {
            command = Some(Command::CloseCompare);
        }
        if ui
            .button(t!(lang, "fit"))
            .on_hover_text(t!(lang, "fit-longest-hover"))
            .clicked()
        {
            view.fit_pending = true;
        }
        let per_100px = axis::format_ns(view.viewport.ns_per_px * 100.0);
        ui.weak(t!(lang, "compare-zoom-hint", scale = per_100px));
    });
    let (_, fit) = keys_pan_zoom(ui, &mut view.viewport, canvas_w);
    if fit || view.fit_pending {
        view.fit_pending = false;
        view.viewport.fit(0.0, longest as f64, canvas_w, 0.02);
    }
    egui::CollapsingHeader::new(t!(lang, "figures"))
        .default_open(true)
        .show(ui, |ui| {
            // The runs below stay in view: the table scrolls within a third of the height.
            egui::ScrollArea::vertical()
                .id_salt("figures")
                .max_height(ui.available_height() * 0.33)
                .show(ui, |ui| table_ui(ui, &view.table, lang));
        });
    ui.separator();

    let axis_rect = axis_ui(ui, &view.viewport, theme);
    let vp = view.viewport;
    // The plots' scales are shared: the peaks of every run first.
    view.exact.resize_with(guards.len(), Default::default);
    view.resources.resize_with(guards.len(), Default::default);
    let mut shared = SharedScales::default();
    for ((_, trace), exact) in guards.iter().zip(&mut view.exact) {
        plots::update_exact(exact, trace, &vp, canvas_w, trace.end_ns());
        shared.include(trace, exact);
    }
    let mut canvases = Vec::new();
    egui::ScrollArea::vertical()
        .id_salt("compared runs")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (ri, (run, trace)) in guards.iter().enumerate() {
                ui.horizontal(|ui| {
                    ui.add_space(4.0);
                    ui.label(
                        RichText::new(t!(
                            lang,
                            "compared-run",
                            index = ri + 1,
                            name = run.name.as_str(),
                            wall = axis::format_ns(trace.wall_ns as f64)
                        ))
                        .strong()
                        .size(14.0),
                    );
                });
                for li in 0..trace.lanes.len() {
                    let (label, canvas) = row_cells(ui, LANE_H);
                    label_cell(ui, label, &trace.lanes[li].name, false);
                    let response = ui.interact(
                        canvas,
                        ui.make_persistent_id(("compare lane", ri, li)),
                        Sense::click_and_drag(),
                    );
                    let painter = ui.painter_at(canvas);
                    paint_lane(
                        &painter,
                        canvas,
                        &vp,
                        (trace, u64::MAX),
                        li,
                        theme,
                        None,
                        None,
                    );
                    // Where this run ended, on the shared axis.
                    let end_x = canvas.left() + vp.x_from_time(trace.end_ns() as f64) as f32;
                    if end_x < canvas.right() {
                        painter.vline(end_x, canvas.y_range(), Stroke::new(2.0, theme.text));
                    }
                    let hit = response
                        .hover_pos()
                        .and_then(|pos| poll_at(trace, li, &vp, (pos.x - canvas.left()) as f64));
                    let response = match hit {
                        Some(p) => response
                            .on_hover_ui_at_pointer(|ui| poll_tooltip(ui, trace, li, p, lang)),
                        None => response,
                    };
                    canvases.push(response);
                }
                // The run's resources under its lanes: the semaphore's pacing, the HTTP in
                // flight, on the shared axis.
                ui.push_id(("compared tracks", ri), |ui| {
                    canvases.extend(super::timeline::resource_tracks::resource_tracks_ui(
                        ui,
                        &mut view.resources[ri],
                        trace,
                        &vp,
                        trace.end_ns(),
                        theme,
                        lang,
                    ));
                });
                ui.push_id(("compared plots", ri), |ui| {
                    plots::plots_ui(
                        ui,
                        trace,
                        &vp,
                        canvas_w,
                        trace.end_ns(),
                        &mut view.exact[ri],
                        theme,
                        (plots::PlotSet::All, Some(&shared)),
                        lang,
                    );
                });
                ui.add_space(6.0);
            }
        });
    pan_zoom(ui, &mut view.viewport, &canvases, axis_rect.left());
    command
}
