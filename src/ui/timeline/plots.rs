//! Runtime metrics and heartbeat lateness, plotted under the lanes on the timeline's own
//! time axis (the plots follow the timeline's zoom and pan; they do not take input).

use egui::{Rect, Ui, UiBuilder, vec2};
use egui_plot::{Corner, Legend, Line, Plot, Points};

use super::{GUTTER_W, Viewport};
use crate::trace::Trace;

const PLOT_H: f32 = 80.0;

struct Series {
    name: &'static str,
    points: Vec<[f64; 2]>,
    /// Separate events (heartbeat ticks), not a quantity over time: no connecting line.
    markers: bool,
}

/// Draws the plots that have data; returns how many it drew.
/// Samples after `until` (a replay's position) are left out.
pub fn plots_ui(ui: &mut Ui, trace: &Trace, vp: &Viewport, canvas_w: f64, until: u64) -> usize {
    let ms = |ns: u64| ns as f64 / 1e6;
    let m = &trace.metrics[..trace.metrics.partition_point(|s| s.ts_ns <= until)];
    let beats = &trace.heartbeats[..trace.heartbeats.partition_point(|h| h.ts_ns <= until)];
    let mut plots: Vec<(&'static str, &'static str, Vec<Series>)> = Vec::new();
    if !m.is_empty() {
        let workers = m.iter().map(|s| s.worker_busy.len()).max().unwrap_or(0);
        const NAMES: [&str; 8] = [
            "tokio worker 0",
            "tokio worker 1",
            "tokio worker 2",
            "tokio worker 3",
            "tokio worker 4",
            "tokio worker 5",
            "tokio worker 6",
            "tokio worker 7",
        ];
        plots.push((
            "busy % per worker",
            "tokio's metrics, per 50 ms, by tokio's own worker index (which thread is which \
             worker-N lane, tokio does not say)",
            (0..workers.min(NAMES.len()))
                .map(|w| Series {
                    name: NAMES[w],
                    points: m
                        .iter()
                        .filter_map(|s| {
                            s.worker_busy
                                .get(w)
                                .map(|b| [ms(s.ts_ns), (b * 100.0).min(100.0)])
                        })
                        .collect(),
                    markers: false,
                })
                .collect(),
        ));
        plots.push((
            "worker busy %",
            "tokio-metrics, per 50 ms: busy time of all workers and of the busiest one",
            vec![
                Series {
                    name: "all workers",
                    points: m
                        .iter()
                        .map(|s| [ms(s.ts_ns), (s.busy_ratio * 100.0).min(100.0)])
                        .collect(),
                    markers: false,
                },
                Series {
                    name: "busiest worker",
                    points: m
                        .iter()
                        .map(|s| [ms(s.ts_ns), (s.max_worker_busy_ratio * 100.0).min(100.0)])
                        .collect(),
                    markers: false,
                },
            ],
        ));
        plots.push((
            "queued tasks",
            "tokio-metrics: tasks waiting in the global queue, the workers' local queues and for a blocking thread",
            vec![
                Series {
                    name: "global",
                    points: m.iter().map(|s| [ms(s.ts_ns), s.global_queue as f64]).collect(),
                    markers: false,
                },
                Series {
                    name: "local",
                    points: m.iter().map(|s| [ms(s.ts_ns), s.local_queue as f64]).collect(),
                    markers: false,
                },
                Series {
                    name: "blocking",
                    points: m.iter().map(|s| [ms(s.ts_ns), s.blocking_queue as f64]).collect(),
                    markers: false,
                },
            ],
        ));
    }
    if !beats.is_empty() {
        plots.push((
            "heartbeat late (ms)",
            "How late each heartbeat tick fired: the event loop's health (asyncio's slow-callback warning)",
            vec![Series {
                name: "late",
                points: beats
                    .iter()
                    .map(|h| [ms(h.ts_ns), h.late_ns as f64 / 1e6])
                    .collect(),
                markers: true,
            }],
        ));
    }
    let (t0, t1) = (vp.start_ns / 1e6, vp.time_from_x(canvas_w) / 1e6);
    for (i, (title, help, series)) in plots.iter().enumerate() {
        let (rect, _) =
            ui.allocate_exact_size(vec2(ui.available_width(), PLOT_H), egui::Sense::hover());
        let label = Rect::from_min_size(rect.min, vec2(GUTTER_W, PLOT_H));
        let canvas = Rect::from_min_max(egui::pos2(rect.min.x + GUTTER_W, rect.min.y), rect.max);
        let peak = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p[1]))
            .fold(0.0f64, f64::max);
        // No y axis (it would shift the plot off the timeline's x): the peak says the scale.
        ui.put(
            label.shrink2(vec2(4.0, 0.0)),
            egui::Label::new(egui::RichText::new(*title).strong()).selectable(false),
        )
        .on_hover_text(format!("{help}\nPeak: {peak:.1}"));
        let y_max = peak.max(1.0) * 1.1;
        ui.scope_builder(UiBuilder::new().max_rect(canvas), |ui| {
            Plot::new(("metrics plot", i))
                .width(canvas.width())
                .height(PLOT_H)
                .show_axes([false, false])
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                .allow_boxed_zoom(false)
                .allow_double_click_reset(false)
                .legend(
                    Legend::default()
                        .position(Corner::LeftTop)
                        .text_style(egui::TextStyle::Small),
                )
                .show(ui, |p| {
                    p.set_plot_bounds_x(t0..=t1);
                    p.set_plot_bounds_y(0.0..=y_max);
                    for s in series {
                        if s.markers {
                            p.points(Points::new(s.name, s.points.clone()).radius(2.5).stems(0.0));
                        } else {
                            p.line(Line::new(s.name, s.points.clone()));
                        }
                    }
                });
        });
    }
    plots.len()
}
