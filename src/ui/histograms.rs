//! Histograms of poll durations and scheduling delays (log-scale buckets), for the whole
//! run or one task group.

use crate::i18n::Language;
use crate::t;
use egui::Ui;
use egui_plot::{Bar, BarChart, Plot};

use crate::trace::stats::{Histogram, Histograms};

/// `group`: the group shown (None = all tasks); the combo box changes it.
pub fn histograms_ui(ui: &mut Ui, hist: &Histograms, group: &mut Option<String>, l: Language) {
    let current = group.clone().unwrap_or_else(|| t!(l, "all-tasks"));
    egui::ComboBox::from_label(t!(l, "task-group"))
        .selected_text(&current)
        .show_ui(ui, |ui| {
            ui.selectable_value(group, None, t!(l, "all-tasks"));
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
        (
            &t!(l, "hist-poll-duration"),
            &t!(l, "hist-poll-duration-hover"),
        ),
        polls,
        l,
    );
    chart_ui(
        ui,
        (&t!(l, "hist-sched-delay"), &t!(l, "hist-sched-delay-hover")),
        delays,
        l,
    );
}

fn chart_ui(ui: &mut Ui, (title, help): (&str, &str), h: &Histogram, l: Language) {
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
    ui.weak(t!(l, "hist-values", count = h.total()));
}

/// tokio-metrics' task monitor figures, one row per task group.
pub fn group_metrics_ui(ui: &mut Ui, groups: &[crate::trace::GroupMetrics], l: Language) {
    egui::Grid::new("group metrics")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                t!(l, "gm-group"),
                t!(l, "gm-tasks"),
                t!(l, "gm-first-poll"),
                t!(l, "gm-woken-polled"),
                t!(l, "gm-poll"),
                t!(l, "gm-slow"),
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
        .on_hover_text(t!(l, "gm-hover"));
}
