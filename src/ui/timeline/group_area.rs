//! A collapsed group's row: a stacked area of its tasks by state over time (running,
//! scheduled, each wait reason), exact per pixel column from the state spans (see
//! `view::series::mean_levels`), so a group of a hundred tasks still shows what they do.
//! The series is built once per trace (see `TraceStamp`) and binned once per view.

use std::collections::HashMap;

use egui::{Color32, Painter, Rect, pos2};

use super::Viewport;
use crate::i18n::Language;
use crate::t;
use crate::trace::{Counter, Trace, WaitReason};
use crate::ui::theme::Theme;
use crate::view::series::{Bins, mean_levels};

/// How many rows a collapsed group's area spans (its header and the rows under it).
pub const AREA_ROWS: u8 = 3;

type ViewKey = (u64, u64, usize);

#[derive(Default)]
pub struct GroupAreas {
    stamp: super::TraceStamp,
    series: HashMap<String, Counter>,
    binned: HashMap<String, (ViewKey, Vec<Vec<f64>>)>,
}

impl GroupAreas {
    fn refresh(&mut self, trace: &Trace, live: bool) {
        if self.stamp.is_stale(trace, live) {
            self.series.clear();
            self.binned.clear();
        }
    }

    fn series(&mut self, trace: &Trace, group: &str) -> &Counter {
        self.series
            .entry(group.to_string())
            .or_insert_with(|| trace.group_state_series(group))
    }

    /// How many of `group`'s tasks are in each state at `t_ns`, largest first (nonzero
    /// only), as the row shows it.
    pub fn counts_at(&self, group: &str, t_ns: u64) -> Vec<(&'static str, u64)> {
        let Some(c) = self.series.get(group) else {
            return Vec::new();
        };
        let mut out: Vec<_> = c
            .fields
            .iter()
            .copied()
            .zip(c.at(t_ns))
            .filter(|(_, n)| *n > 0)
            .collect();
        out.sort_by_key(|c| std::cmp::Reverse(c.1));
        out
    }

    /// Paints part `part` (0 = the header row) of `group`'s area into `canvas`, one row of
    /// the `AREA_ROWS` the area spans; `tasks` tasks fill its height.
    #[allow(clippy::too_many_arguments)]
    pub fn paint(
        &mut self,
        painter: &Painter,
        (trace, live): (&Trace, bool),
        (group, tasks, color): (&str, usize, Color32),
        vp: &Viewport,
        canvas: Rect,
        part: u8,
        (until, theme, lang): (u64, &Theme, Language),
    ) {
        self.refresh(trace, live);
        if live && tasks > super::LIVE_TASK_LIMIT {
            if part == 0 {
                painter.text(
                    canvas.left_center(),
                    egui::Align2::LEFT_CENTER,
                    t!(lang, "group-by-state-at-end"),
                    egui::FontId::proportional(11.0),
                    theme.weak_text,
                );
            }
            return;
        }
        let width = canvas.width().max(1.0) as usize;
        let t0 = vp.start_ns.max(0.0);
        let t1 = vp.time_from_x(canvas.width() as f64).min(until as f64);
        if t1 <= t0 {
            return;
        }
        let key = (t0.to_bits(), t1.to_bits(), width);
        let x0 = canvas.left() + vp.x_from_time(t0) as f32;
        let x1 = canvas.left() + vp.x_from_time(t1) as f32;
        let cols = ((x1 - x0).max(1.0) as usize).min(width);
        if self.binned.get(group).is_none_or(|(k, _)| *k != key) {
            let bins = Bins::over(t0, t1, cols);
            let levels = mean_levels(self.series(trace, group), &bins);
            self.binned.insert(group.to_string(), (key, levels));
        }
        let Some((_, levels)) = self.binned.get(group) else {
            return;
        };
        let Some(fields) = self.series.get(group).map(|c| c.fields.clone()) else {
            return;
        };
        let colors: Vec<(Color32, Option<WaitReason>)> = fields
            .iter()
            .map(|f| match *f {
                "running" => (color, None),
                "scheduled" => (theme.scheduled, None),
                w => WaitReason::from_name(w)
                    .map_or((theme.idle, None), |r| (theme.wait_color(r), Some(r))),
            })
            .collect();
        let row_h = canvas.height();
        let full_h = row_h * f32::from(AREA_ROWS) - 2.0;
        let bottom = canvas.top() - row_h * f32::from(part) + full_h;
        let per_task = full_h / tasks.max(1) as f32;
        let col_w = (x1 - x0) / levels.len().max(1) as f32;
        // Per field, runs of columns with the same level on the same base are one rectangle
        // (fewer shapes, and a hatch that runs on).
        for (f, (c, wait)) in colors.iter().enumerate() {
            let at = |i: usize| {
                let bin = &levels[i];
                let q = |v: f64| (v * 64.0).round() as i64;
                (q(bin[..f].iter().sum::<f64>()), q(bin[f]))
            };
            let mut i = 0;
            while i < levels.len() {
                let key = at(i);
                let mut j = i + 1;
                while j < levels.len() && at(j) == key {
                    j += 1;
                }
                let (below, v) = (
                    levels[i][..f].iter().sum::<f64>() as f32,
                    levels[i][f] as f32,
                );
                if v > 0.0 {
                    let y = bottom - below * per_task;
                    let r = Rect::from_min_max(
                        pos2(x0 + i as f32 * col_w, y - v * per_task),
                        pos2(
                            x0 + j as f32 * col_w + if col_w < 1.0 { 1.0 } else { 0.0 },
                            y,
                        ),
                    )
                    .intersect(canvas);
                    match wait {
                        Some(w) if r.height() > 0.0 => theme.paint_wait(painter, r, *w),
                        _ => {
                            painter.rect_filled(r, 0.0, *c);
                        }
                    }
                }
                i = j;
            }
        }
    }
}

/// "at 512 ms: 10 waiting for a permit, 5 sleeping".
pub fn counts_text(counts: &[(&'static str, u64)], at_ns: u64, l: Language) -> String {
    let parts: Vec<String> = counts
        .iter()
        .map(|(f, n)| {
            let what = match *f {
                "running" => t!(l, "count-running"),
                "scheduled" => t!(l, "count-scheduled"),
                w => WaitReason::from_name(w)
                    .unwrap_or(WaitReason::Other)
                    .phrase_in(l),
            };
            t!(l, "count-part", count = *n, what = what)
        })
        .collect();
    t!(
        l,
        "counts-at",
        at = super::axis::format_ns(at_ns as f64),
        counts = if parts.is_empty() {
            t!(l, "count-none-alive")
        } else {
            parts.join(&t!(l, "list-separator"))
        }
    )
}
