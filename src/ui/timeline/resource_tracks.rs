//! Resource tracks, between the worker lanes and the tasks, one per resource the run used:
//! HTTP requests in flight (stacked by outcome), each semaphore (permits held, and tasks
//! waiting, against a line at its permits), each channel (messages queued, against its
//! capacity), the blocking pool (jobs running, and waiting for a thread). Exact per pixel
//! column from `trace::resources` (time-weighted means per column, see
//! `view::series::mean_levels`); built once per trace (every 250 ms while live), binned once
//! per view.

use crate::i18n::Language;
use crate::t;
use std::collections::HashMap;

use egui::{Color32, Rect, Response, Sense, Stroke, Ui, pos2, vec2};

use super::{Viewport, row_cells};
use crate::trace::{Counter, Trace, WaitReason};
use crate::ui::theme::Theme;
use crate::view::series::{Bins, mean_levels};

pub const TRACK_H: f32 = 40.0;

type ViewKey = (u64, u64, usize);

#[derive(Default)]
pub struct ResourceTracks {
    stamp: super::TraceStamp,
    /// The run's series, with the size each is measured against (permits, capacity).
    pub series: Vec<(Counter, Option<u64>)>,
    binned: HashMap<usize, (ViewKey, Vec<Vec<f64>>)>,
    /// The scenario's `[view] tracks`, in order (None: every resource the run used).
    pub only: Option<Vec<String>>,
}

impl ResourceTracks {
    fn refresh(&mut self, trace: &Trace) {
        if !self.stamp.is_stale(trace, trace.wall_ns == 0) {
            return;
        }
        self.binned.clear();
        self.series = trace.resource_tracks(self.only.as_deref());
    }

    /// "semaphore api at 500 ms: 5 held of 5, 10 waiting".
    pub fn text_at(&self, track: usize, t_ns: u64) -> Option<String> {
        let (c, size) = self.series.get(track)?;
        let values = c.at(t_ns);
        let parts: Vec<String> = c
            .fields
            .iter()
            .zip(&values)
            .enumerate()
            .filter(|(i, (_, v))| **v > 0 || *i == 0)
            .map(|(i, (f, v))| match (i, size) {
                (0, Some(n)) => format!("{v} {f} of {n}"),
                _ => format!("{v} {f}"),
            })
            .collect();
        Some(format!(
            "{} at {}: {}",
            c.name,
            super::axis::format_ns(t_ns as f64),
            parts.join(", ")
        ))
    }
}

fn field_color(track: &str, field: &str, theme: &Theme) -> Color32 {
    match (track.split(' ').next().unwrap_or(""), field) {
        ("http", "200") => theme.wait_color(WaitReason::Http),
        ("http", "429") => theme.wait_color(WaitReason::Permit),
        ("http", "other") => theme.wait_color(WaitReason::ChannelSend),
        ("http", "error") => theme.panicked,
        ("http", _) => theme.cancelled,
        (_, "waiting") => theme.wait_color(WaitReason::Permit).gamma_multiply(0.55),
        ("channel", _) => theme.wait_color(WaitReason::ChannelRecv),
        ("blocking", "running") => theme.wait_color(WaitReason::Blocking),
        ("cpu", "running") => theme.wait_color(WaitReason::CpuPool),
        _ => theme.text.gamma_multiply(0.85),
    }
}

/// Draws the tracks; returns their canvases (for pan and zoom).
pub fn resource_tracks_ui(
    ui: &mut Ui,
    tracks: &mut ResourceTracks,
    trace: &Trace,
    vp: &Viewport,
    until: u64,
    theme: &Theme,
    lang: Language,
) -> Vec<Response> {
    tracks.refresh(trace);
    let mut out = Vec::new();
    for ti in 0..tracks.series.len() {
        let (label, canvas) = row_cells(ui, TRACK_H);
        let (c, size) = &tracks.series[ti];
        let peak = c.max_total();
        let title = crate::trace::resources::track_title(&c.name, lang);
        let detail = match size {
            Some(n) => t!(lang, "track-size-peak", size = *n, peak = peak),
            None => t!(lang, "track-peak", peak = peak),
        };
        let (name_rect, detail_rect) = label.split_top_bottom_at_fraction(0.55);
        ui.put(
            name_rect.shrink2(vec2(4.0, 0.0)),
            egui::Label::new(egui::RichText::new(&title).strong())
                .truncate()
                .selectable(false),
        );
        ui.put(
            detail_rect.shrink2(vec2(4.0, 0.0)),
            egui::Label::new(egui::RichText::new(detail).small().weak())
                .truncate()
                .selectable(false),
        );
        let painter = ui.painter_at(canvas);
        painter.rect_filled(canvas, 0.0, theme.lane_bg[ti % 2]);
        let t0 = vp.start_ns.max(0.0);
        let t1 = vp.time_from_x(canvas.width() as f64).min(until as f64);
        let scale_max = peak.max(size.unwrap_or(0)).max(1) as f32;
        let inner = canvas.shrink2(vec2(0.0, 3.0));
        let y_of = |v: f32| inner.bottom() - v / scale_max * inner.height();
        if t1 > t0 {
            let x0 = canvas.left() + vp.x_from_time(t0) as f32;
            let x1 = canvas.left() + vp.x_from_time(t1) as f32;
            let cols = ((x1 - x0).max(1.0) as usize).clamp(1, canvas.width().max(1.0) as usize);
            let key = (t0.to_bits(), t1.to_bits(), cols);
            if tracks.binned.get(&ti).is_none_or(|(k, _)| *k != key) {
                let levels = mean_levels(c, &Bins::over(t0, t1, cols));
                tracks.binned.insert(ti, (key, levels));
            }
            let colors: Vec<Color32> = c
                .fields
                .iter()
                .map(|f| field_color(&c.name, f, theme))
                .collect();
            if let Some((_, levels)) = tracks.binned.get(&ti) {
                let col_w = (x1 - x0) / levels.len().max(1) as f32;
                for (i, bin) in levels.iter().enumerate() {
                    let x = x0 + i as f32 * col_w;
                    let mut below = 0.0f32;
                    for (v, color) in bin.iter().zip(&colors) {
                        if *v <= 0.0 {
                            continue;
                        }
                        let top = below + *v as f32;
                        let r = Rect::from_min_max(
                            pos2(x, y_of(top)),
                            pos2(x + col_w.max(1.0), y_of(below)),
                        );
                        painter.rect_filled(r, 0.0, *color);
                        below = top;
                    }
                }
            }
        }
        if let Some(n) = size {
            // The permits (or the capacity): what the first field is held against.
            let y = y_of(*n as f32);
            painter.hline(canvas.x_range(), y, Stroke::new(1.5, theme.text));
        }
        let response = ui.interact(
            canvas,
            ui.make_persistent_id(("resource track", ti)),
            Sense::click_and_drag(),
        );
        let response = match response.hover_pos() {
            Some(p) => {
                let at = vp.time_from_x((p.x - canvas.left()) as f64).max(0.0) as u64;
                match tracks.text_at(ti, at) {
                    Some(text) => response.on_hover_text_at_pointer(text),
                    None => response,
                }
            }
            None => response,
        };
        out.push(response);
    }
    out
}
