//! Plots under the lanes, on the timeline's own time axis (they follow its zoom and pan;
//! they do not take input). First what the trace says exactly, binned at the view's
//! resolution (each worker lane's busy %, tasks scheduled but not running, heartbeat
//! lateness); then, collapsed, tokio-metrics' own figures sampled every 50 ms.

use crate::i18n::Language;
use crate::t;
use std::time::{Duration, Instant};

use egui::{Rect, Ui, UiBuilder, vec2};
use egui_plot::{Corner, Legend, Line, Plot, Points};

use super::{GUTTER_W, Viewport};
use crate::trace::{LaneKind, TaskState, Trace};
use crate::view::series::{Bins, coverage, mean_level};

const PLOT_H: f32 = 80.0;
/// The exact plots are compact: the lanes above are the main view.
const EXACT_PLOT_H: f32 = 56.0;
/// The heartbeat's plot when it is the only one.
const HEARTBEAT_ALONE_H: f32 = 36.0;
/// A live run's exact series are recomputed at most this often.
const LIVE_REFRESH: Duration = Duration::from_millis(250);

/// The exact series for one view of one trace, kept until either changes.
#[derive(Default)]
pub struct ExactSeries {
    key: Option<(usize, u64, u64, u64, u64, usize)>,
    at: Option<Instant>,
    /// Per worker lane (by its name): busy % at the middle of each bin (ms, %).
    pub busy: Vec<(String, Vec<[f64; 2]>)>,
    /// Tasks scheduled (woken, not yet polled), mean per bin.
    pub scheduled: Vec<[f64; 2]>,
}

impl ExactSeries {
    fn update(&mut self, trace: &Trace, (t0, t1): (f64, f64), bins: usize, live: bool) {
        let key = (
            std::ptr::from_ref(trace) as usize,
            trace.events,
            trace.lanes.len() as u64,
            t0.to_bits(),
            t1.to_bits(),
            bins,
        );
        let fresh = self.key == Some(key)
            || (live
                && self.at.is_some_and(|at| at.elapsed() < LIVE_REFRESH)
                && self.key.is_some_and(|k| k.0 == key.0));
        if fresh {
            return;
        }
        self.key = Some(key);
        self.at = Some(Instant::now());
        let b = Bins::over(t0, t1, bins);
        let points = |values: Vec<f64>, scale: f64| -> Vec<[f64; 2]> {
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| [b.mid_ns(i) / 1e6, v * scale])
                .collect()
        };
        self.busy = trace
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Worker)
            .map(|l| (l.name.clone(), points(coverage(&l.polls, &b), 100.0)))
            .collect();
        // Every task's states: for a huge live run, only once it is over (the frame holds
        // the trace, and the collector waits for it).
        if live && trace.tasks.len() > super::LIVE_TASK_LIMIT {
            self.scheduled.clear();
            return;
        }
        let scheduled = (0..trace.tasks.len() as u32).flat_map(|i| {
            trace
                .task_states(i)
                .into_iter()
                .filter(|s| s.state == TaskState::Scheduled && s.end_ns > s.start_ns)
                .map(|s| (s.start_ns, s.end_ns))
        });
        self.scheduled = points(mean_level(scheduled, &b), 1.0);
    }
}

struct Series {
    name: String,
    points: Vec<[f64; 2]>,
    /// Separate events (heartbeat ticks), not a quantity over time: no connecting line.
    markers: bool,
    /// A colour of its own (a worker's, as its lane shows it); else the plot's palette.
    color: Option<egui::Color32>,
}

struct PlotSpec {
    title: String,
    help: String,
    series: Vec<Series>,
    /// The top of the y scale when it is shared with other runs (a comparison); else a
    /// round number above this plot's own peak.
    shared_top: Option<f64>,
}

impl PlotSpec {
    fn new(title: String, help: String, series: Vec<Series>) -> Self {
        PlotSpec {
            title,
            help,
            series,
            shared_top: None,
        }
    }
}

/// The peaks a comparison's plots share, over all its runs: each plot's y scale ends at a
/// round number above the largest, so equal heights mean equal values across the runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SharedScales {
    pub scheduled: f64,
    pub heartbeat_ms: f64,
}

impl SharedScales {
    /// Takes in one run's peaks (its exact series as last updated, its whole heartbeat).
    pub fn include(&mut self, trace: &Trace, exact: &ExactSeries) {
        let peak = |points: &[[f64; 2]]| points.iter().map(|p| p[1]).fold(0.0, f64::max);
        self.scheduled = self.scheduled.max(peak(&exact.scheduled));
        let late = trace
            .heartbeats
            .iter()
            .map(|h| h.late_ns)
            .max()
            .unwrap_or(0);
        self.heartbeat_ms = self.heartbeat_ms.max(late as f64 / 1e6);
    }
}

/// The time range the plots cover: the view, up to `now_ns`.
fn plot_range(vp: &Viewport, canvas_w: f64, now_ns: u64) -> (f64, f64) {
    (
        vp.start_ns.max(0.0),
        vp.time_from_x(canvas_w).min(now_ns as f64),
    )
}

/// Brings `exact` up to date for this view of `trace` (what `plots_ui` draws; a comparison
/// updates every run's first, to share their scales).
pub fn update_exact(
    exact: &mut ExactSeries,
    trace: &Trace,
    vp: &Viewport,
    canvas_w: f64,
    now_ns: u64,
) {
    let (t0, t1) = plot_range(vp, canvas_w, now_ns);
    if t1 > t0 && trace.lanes.iter().any(|l| l.kind == LaneKind::Worker) {
        let bins = (canvas_w / 2.0).clamp(16.0, 2000.0) as usize;
        exact.update(
            trace,
            (t0, t1),
            bins,
            !trace.in_progress.is_empty() || trace.wall_ns == 0,
        );
    }
}

/// Which plots [`plots_ui`] draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotSet {
    /// The exact plots, the heartbeat's, and tokio-metrics' (collapsed).
    All,
    /// Only the heartbeat's lateness, where the run has a heartbeat (presentation mode with
    /// its plots off: the lateness is the evidence of a stalled loop).
    Heartbeat,
}

/// Draws the plots that have data; returns how many it drew. Nothing after `now_ns` (the
/// live edge, or a replay's position) is shown. With `shared` (a comparison), the y scales
/// are those of all the compared runs, and the tokio-metrics plots are left out.
#[allow(clippy::too_many_arguments)]
pub fn plots_ui(
    ui: &mut Ui,
    trace: &Trace,
    vp: &Viewport,
    canvas_w: f64,
    now_ns: u64,
    exact: &mut ExactSeries,
    theme: &crate::ui::theme::Theme,
    (set, shared): (PlotSet, Option<&SharedScales>),
    l: Language,
) -> usize {
    let ms = |ns: u64| ns as f64 / 1e6;
    let (t0, t1) = plot_range(vp, canvas_w, now_ns);
    let mut shown = 0;
    if set == PlotSet::All && t1 > t0 && trace.lanes.iter().any(|l| l.kind == LaneKind::Worker) {
        update_exact(exact, trace, vp, canvas_w, now_ns);
        let busy = exact
            .busy
            .iter()
            .enumerate()
            .map(|(li, (name, points))| Series {
                name: t!(l, "series-busy", lane = name.as_str()),
                points: points.clone(),
                markers: false,
                color: Some(theme.worker_color(li)),
            })
            .collect();
        let mut scheduled = PlotSpec::new(
            t!(l, "plot-scheduled"),
            t!(l, "plot-scheduled-hover"),
            vec![Series {
                name: t!(l, "series-scheduled"),
                points: exact.scheduled.clone(),
                markers: false,
                color: None,
            }],
        );
        scheduled.shared_top = shared.map(|s| s.scheduled);
        let exact_plots = vec![
            PlotSpec::new(t!(l, "plot-busy"), t!(l, "plot-busy-hover"), busy),
            scheduled,
        ];
        shown += draw_plots(ui, "exact", &exact_plots, (vp, canvas_w, l), EXACT_PLOT_H);
    }
    let beats = &trace.heartbeats[..trace.heartbeats.partition_point(|h| h.ts_ns <= now_ns)];
    if !beats.is_empty() {
        let mut beat = PlotSpec::new(
            t!(l, "plot-heartbeat"),
            t!(l, "plot-heartbeat-hover"),
            vec![Series {
                name: t!(l, "series-late"),
                points: beats
                    .iter()
                    .map(|h| [ms(h.ts_ns), h.late_ns as f64 / 1e6])
                    .collect(),
                markers: true,
                color: None,
            }],
        );
        beat.shared_top = shared.map(|s| s.heartbeat_ms);
        // Alone (presentation mode), it is lower: the task rows keep the height.
        let height = match set {
            PlotSet::All => EXACT_PLOT_H,
            PlotSet::Heartbeat => HEARTBEAT_ALONE_H,
        };
        shown += draw_plots(ui, "heartbeat", &[beat], (vp, canvas_w, l), height);
    }
    let m = &trace.metrics[..trace.metrics.partition_point(|s| s.ts_ns <= now_ns)];
    if !m.is_empty() && shared.is_none() && set == PlotSet::All {
        egui::CollapsingHeader::new(t!(l, "tokio-metrics-plots"))
            .id_salt("tokio-metrics plots")
            .default_open(false)
            .show(ui, |ui| {
                shown += draw_plots(
                    ui,
                    "tokio-metrics",
                    &sampled_plots(m, l),
                    (vp, canvas_w, l),
                    PLOT_H,
                );
            });
    }
    shown
}

/// tokio-metrics' figures, as tokio books them.
fn sampled_plots(m: &[crate::trace::RuntimeSample], l: Language) -> Vec<PlotSpec> {
    let ms = |ns: u64| ns as f64 / 1e6;
    let mut plots: Vec<PlotSpec> = Vec::new();
    {
        let workers = m.iter().map(|s| s.worker_busy.len()).max().unwrap_or(0);
        // At most 8 series: a plot of more lines reads as none.
        plots.push(PlotSpec::new(
            t!(l, "plot-tokio-busy"),
            t!(l, "plot-tokio-busy-hover"),
            (0..workers.min(8))
                .map(|w| Series {
                    name: t!(l, "series-tokio-worker", index = w),
                    points: m
                        .iter()
                        .filter_map(|s| {
                            s.worker_busy
                                .get(w)
                                .map(|b| [ms(s.ts_ns), (b * 100.0).min(100.0)])
                        })
                        .collect(),
                    markers: false,
                    color: None,
                })
                .collect(),
        ));
        plots.push(PlotSpec::new(
            t!(l, "plot-worker-busy"),
            t!(l, "plot-worker-busy-hover"),
            vec![
                Series {
                    name: t!(l, "series-all-workers"),
                    points: m
                        .iter()
                        .map(|s| [ms(s.ts_ns), (s.busy_ratio * 100.0).min(100.0)])
                        .collect(),
                    markers: false,
                    color: None,
                },
                Series {
                    name: t!(l, "series-busiest-worker"),
                    points: m
                        .iter()
                        .map(|s| [ms(s.ts_ns), (s.max_worker_busy_ratio * 100.0).min(100.0)])
                        .collect(),
                    markers: false,
                    color: None,
                },
            ],
        ));
        plots.push(PlotSpec::new(
            t!(l, "plot-queued"),
            t!(l, "plot-queued-hover"),
            vec![
                Series {
                    name: t!(l, "series-global"),
                    points: m
                        .iter()
                        .map(|s| [ms(s.ts_ns), s.global_queue as f64])
                        .collect(),
                    markers: false,
                    color: None,
                },
                Series {
                    name: t!(l, "series-local"),
                    points: m
                        .iter()
                        .map(|s| [ms(s.ts_ns), s.local_queue as f64])
                        .collect(),
                    markers: false,
                    color: None,
                },
                Series {
                    name: t!(l, "series-blocking"),
                    points: m
                        .iter()
                        .map(|s| [ms(s.ts_ns), s.blocking_queue as f64])
                        .collect(),
                    markers: false,
                    color: None,
                },
            ],
        ));
    }
    plots
}

/// Draws `plots` one under the other, `height` px each; returns how many.
fn draw_plots(
    ui: &mut Ui,
    salt: &str,
    plots: &[PlotSpec],
    (vp, canvas_w, l): (&Viewport, f64, Language),
    height: f32,
) -> usize {
    let (t0, t1) = (vp.start_ns / 1e6, vp.time_from_x(canvas_w) / 1e6);
    for (i, spec) in plots.iter().enumerate() {
        let (title, help, series) = (&spec.title, &spec.help, &spec.series);
        let (rect, _) =
            ui.allocate_exact_size(vec2(ui.available_width(), height), egui::Sense::hover());
        let label = Rect::from_min_size(rect.min, vec2(GUTTER_W, height));
        let canvas = Rect::from_min_max(egui::pos2(rect.min.x + GUTTER_W, rect.min.y), rect.max);
        let peak = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p[1]))
            .fold(0.0f64, f64::max);
        // Percentages on a fixed scale, so 100% always looks full; others from 0 to a
        // round number above the peak. No y axis (it would shift the plot off the
        // timeline's x): the label cell says the scale.
        let (y_max, scale) = if title.contains('%') {
            (105.0, "0–100%".to_string())
        } else {
            let top = nice_ceiling(spec.shared_top.unwrap_or(peak).max(peak).max(1.0));
            let shared = if spec.shared_top.is_some() {
                t!(l, "plot-all-runs")
            } else {
                String::new()
            };
            (top * 1.05, format!("0–{top}{shared}"))
        };
        let (name_rect, scale_rect) = label.split_top_bottom_at_fraction(0.6);
        ui.put(
            name_rect.shrink2(vec2(4.0, 0.0)),
            egui::Label::new(egui::RichText::new(title.as_str()).strong()).selectable(false),
        )
        .on_hover_text(t!(
            l,
            "plot-hover",
            help = help.as_str(),
            peak = format!("{peak:.1}")
        ));
        ui.put(
            scale_rect.shrink2(vec2(4.0, 0.0)),
            egui::Label::new(
                egui::RichText::new(t!(l, "plot-scale", scale = scale))
                    .small()
                    .weak(),
            )
            .selectable(false),
        );
        // A legend over the plot hides its start; it is left out where the lines need none:
        // one line, or lines in the colours of the worker lanes they belong to.
        let needs_legend = series.len() > 1 && series.iter().any(|s| s.color.is_none());
        ui.scope_builder(UiBuilder::new().max_rect(canvas), |ui| {
            let plot = Plot::new(("metrics plot", salt, i));
            let plot = if needs_legend {
                plot.legend(
                    Legend::default()
                        .position(Corner::LeftTop)
                        .text_style(egui::TextStyle::Small),
                )
            } else {
                plot
            };
            plot.width(canvas.width())
                .height(height)
                .show_axes([false, false])
                .allow_zoom(false)
                .allow_drag(false)
                .allow_scroll(false)
                .allow_boxed_zoom(false)
                .allow_double_click_reset(false)
                .show(ui, |p| {
                    p.set_plot_bounds_x(t0..=t1);
                    p.set_plot_bounds_y(0.0..=y_max);
                    for s in series {
                        if s.markers {
                            p.points(
                                Points::new(s.name.as_str(), s.points.clone())
                                    .radius(2.5)
                                    .stems(0.0),
                            );
                        } else {
                            let line = Line::new(s.name.as_str(), s.points.clone());
                            p.line(match s.color {
                                Some(c) => line.color(c),
                                None => line,
                            });
                        }
                    }
                });
        });
    }
    plots.len()
}

/// The smallest of 1, 2 or 5 × a power of ten that is at least `v`.
fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&c| c >= v)
        .unwrap_or(10.0 * p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn scales_end_at_a_round_number_above_the_peak() {
        assert_eq!(super::nice_ceiling(1.0), 1.0);
        assert_eq!(super::nice_ceiling(1.2), 2.0);
        assert_eq!(super::nice_ceiling(8.7), 10.0);
        assert_eq!(super::nice_ceiling(193.0), 200.0);
        assert_eq!(super::nice_ceiling(3.0), 5.0);
    }
}
