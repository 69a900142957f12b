//! The Output panel: the `print` steps' lines of the run on screen, in time order, each
//! with the time and the task that printed it. Clicking a line selects that task and marks
//! the time on the timeline (panning there when it is off screen).

use crate::t;
use egui::{RichText, Ui};

use super::timeline::{Selection, TimelineState};
use crate::trace::Trace;

/// Up to this many lines are in view at once; more scroll.
const LINES_IN_VIEW: usize = 8;

/// The panel's height: its heading and up to `LINES_IN_VIEW` lines, so that a short
/// output is read whole, without scrolling.
pub fn panel_height(ui: &Ui, trace: &Trace) -> f32 {
    let line =
        ui.text_style_height(&egui::TextStyle::Monospace) + ui.spacing().button_padding.y * 2.0;
    let heading = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let lines = trace.prints.len().min(LINES_IN_VIEW) as f32;
    heading + lines * (line + ui.spacing().item_spacing.y) + 8.0
}

/// The panel's rows; `until_ns` hides lines printed after it (a replay).
pub fn output_ui(ui: &mut Ui, trace: &Trace, timeline: &mut TimelineState, until_ns: u64) {
    let shown = trace.prints.partition_point(|p| p.ts_ns <= until_ns);
    let l = timeline.lang;
    ui.horizontal(|ui| {
        ui.strong(t!(l, "output"));
        ui.weak(t!(l, "output-lines", count = shown));
    });
    egui::ScrollArea::vertical()
        .id_salt("output lines")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for line in &trace.prints[..shown] {
                let who = line
                    .task
                    .and_then(|id| trace.task_index(id))
                    .map(|i| {
                        let t = &trace.tasks[i as usize];
                        trace.title(t)
                    })
                    .unwrap_or_else(|| "-".into());
                let text = format!(
                    "{:>10.3} ms  {who:<14}  {}",
                    line.ts_ns as f64 / 1e6,
                    line.text
                );
                let marked = timeline.marked_ns == Some(line.ts_ns);
                let r = ui.add(
                    egui::Button::selectable(marked, RichText::new(text).monospace()).truncate(),
                );
                if r.clicked() {
                    if let Some(id) = line.task {
                        timeline.selection = Some(Selection::Task(id));
                    }
                    timeline.mark_time(line.ts_ns);
                }
            }
        });
}
