//! Histograms of poll durations and scheduling delays (log-scale buckets), for the whole
//! run or one task group.

use egui::Ui;
use egui_plot::{Bar, BarChart, Plot};

use crate::trace::stats::{Histogram, Histograms};

/// `group`: the group shown (None = all tasks); the combo box changes it.
pub fn histograms_ui(ui: &mut Ui, hist: &Histograms, group: &mut Option<String>) {
    let current = group.clone().unwrap_or_else(|| "all tasks".to_string());
    egui::ComboBox::from_label("task group")
        .selected_text(&current)
        .show_ui(ui, |ui| {
            ui.selectable_value(group, None, "all tasks");
            for name in hist.groups.keys() {
                ui.selectable_value(group, Some(name.clone()), name);
            }
        });
    let (polls, delays) = match group.as_ref().and_then(|g| hist.groups.get(g)) {
        Some(g) => (&g.poll_duration, &g.sched_delay),
        None => (&hist.poll_duration, &hist.sched_delay),
    };
    chart_ui(
        ui,
        "poll duration",
        "How long each poll ran (log-scale buckets)",
        polls,
    );
    chart_ui(
        ui,
        "scheduling delay",
        "Woken (or spawned) -> polled: time spent waiting for a worker",
        delays,
    );
}

fn chart_ui(ui: &mut Ui, title: &str, help: &str, h: &Histogram) {
    ui.strong(title).on_hover_text(help);
    let bars: Vec<Bar> = h
        .counts
        .iter()
        .enumerate()
        .map(|(i, &c)| Bar::new(i as f64, c as f64).name(Histogram::bucket_label(i)))
        .collect();
    Plot::new(("histogram", title))
        .height(110.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_y(true)
        .x_axis_formatter(|mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                Histogram::bucket_label(i as usize)
            } else {
                String::new()
            }
        })
        .show(ui, |p| p.bar_chart(BarChart::new(title, bars).width(0.8)));
    ui.weak(format!("{} values", h.total()));
}

/// tokio-metrics' task monitor figures, one row per task group.
pub fn group_metrics_ui(ui: &mut Ui, groups: &[crate::trace::GroupMetrics]) {
    egui::Grid::new("group metrics")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "group",
                "tasks",
                "first poll",
                "woken->polled",
                "poll",
                "slow",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for g in groups {
                ui.label(&g.name);
                ui.label(g.tasks.to_string());
                ui.label(format!("{:.3} ms", g.mean_first_poll_delay_ms));
                ui.label(format!("{:.3} ms", g.mean_scheduled_ms));
                ui.label(format!("{:.3} ms", g.mean_poll_ms));
                ui.label(format!("{:.0}%", g.slow_poll_ratio * 100.0));
                ui.end_row();
            }
        })
        .response
        .on_hover_text(
            "Means per task group from tokio-metrics' TaskMonitor: delay to the first poll, \
             time from wake to poll, poll time, and the share of polls over 10 ms",
        );
}
