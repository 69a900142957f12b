//! The legend: every colour and mark of the timeline, in words a learner understands.

use egui::{CornerRadius, Rect, Sense, Stroke, Ui, pos2, vec2};

use super::theme::Theme;
use crate::t;
use crate::trace::WaitReason;

enum Swatch {
    Bar(egui::Color32),
    ReadyBar(egui::Color32),
    Thin(egui::Color32),
    /// A middle band (a wait, in its reason's colour and hatch).
    Band(WaitReason),
    /// A low bar (a worker asleep).
    Low(egui::Color32),
    /// Two worker strips with a migration tick between them.
    Strip(egui::Color32, egui::Color32),
    /// A red bar low in the row (a refused or failed request).
    Refused,
    /// A `print` line's mark on a task row.
    Print,
    /// A cancelled task's end.
    Cancelled,
    Spawn,
    Done,
    Panic,
    Arrow,
}

/// The legend; of the waits, only those in `waits` (what the run's steps wait for).
/// With `refused`, the mark of a refused or failed request too (the run had some).
pub fn legend_ui(
    ui: &mut Ui,
    theme: &Theme,
    waits: &std::collections::BTreeSet<WaitReason>,
    refused: bool,
    printed: bool,
    cancelled: bool,
    lang: crate::i18n::Language,
) {
    let sample = theme.group_color("fetch");
    let wait_items = [
        (WaitReason::Http, t!(lang, "legend-wait-http")),
        (WaitReason::Timer, t!(lang, "legend-wait-timer")),
        (WaitReason::Permit, t!(lang, "legend-wait-permit")),
        (WaitReason::Join, t!(lang, "legend-wait-join")),
        (WaitReason::ChannelSend, t!(lang, "legend-wait-send")),
        (WaitReason::ChannelRecv, t!(lang, "legend-wait-recv")),
        (WaitReason::Blocking, t!(lang, "legend-wait-blocking")),
        (WaitReason::CpuPool, t!(lang, "legend-wait-cpu-pool")),
        (WaitReason::Result, t!(lang, "legend-wait-result")),
        (WaitReason::Yield, t!(lang, "legend-wait-yield")),
        (WaitReason::Never, t!(lang, "legend-wait-never")),
        (WaitReason::Io, t!(lang, "legend-wait-io")),
    ];
    let waits_shown = wait_items
        .into_iter()
        .filter(|(w, _)| waits.contains(w))
        .map(|(w, text)| (Swatch::Band(w), text));
    let items = [
        (Swatch::Bar(sample), t!(lang, "legend-poll")),
        (Swatch::ReadyBar(sample), t!(lang, "legend-ready")),
        (Swatch::Bar(theme.scheduled), t!(lang, "legend-scheduled")),
        (
            Swatch::Bar(sample.gamma_multiply(0.55)),
            t!(lang, "legend-dimmed"),
        ),
        (Swatch::Low(theme.parked), t!(lang, "legend-parked")),
        (
            Swatch::Thin(theme.runtime_work),
            t!(lang, "legend-runtime-work"),
        ),
        (
            Swatch::Strip(theme.worker_color(0), theme.worker_color(1)),
            t!(lang, "legend-worker-strip"),
        ),
        (Swatch::Spawn, t!(lang, "legend-spawned")),
        (Swatch::Done, t!(lang, "legend-completed")),
        (Swatch::Panic, t!(lang, "legend-panicked")),
        (Swatch::Arrow, t!(lang, "legend-wake-arrow")),
    ];
    // The waits go right after "scheduled", where a task's life continues.
    let mut items = items.into_iter();
    let first: Vec<_> = items.by_ref().take(3).collect();
    let waiting = std::iter::once((Swatch::Thin(theme.idle), t!(lang, "legend-waiting")));
    let refused = refused.then_some((Swatch::Refused, t!(lang, "legend-refused")));
    let printed = printed.then_some((Swatch::Print, t!(lang, "legend-print")));
    let cancelled = cancelled.then_some((Swatch::Cancelled, t!(lang, "legend-cancelled")));
    ui.horizontal_wrapped(|ui| {
        ui.strong(t!(lang, "legend"));
        for (swatch, text) in first
            .into_iter()
            .chain(waiting)
            .chain(waits_shown)
            .chain(refused)
            .chain(printed)
            .chain(items)
            .chain(cancelled)
        {
            let (rect, _) = ui.allocate_exact_size(vec2(22.0, 14.0), Sense::hover());
            paint(ui, rect, &swatch, theme);
            ui.label(text);
            ui.add_space(8.0);
        }
    });
}

fn paint(ui: &Ui, rect: Rect, swatch: &Swatch, theme: &Theme) {
    let p = ui.painter();
    let c = rect.center();
    match *swatch {
        Swatch::Bar(color) => {
            p.rect_filled(rect.shrink2(vec2(1.0, 2.0)), CornerRadius::same(1), color);
        }
        Swatch::ReadyBar(color) => {
            let r = rect.shrink2(vec2(1.0, 2.0));
            p.rect_filled(r, CornerRadius::same(1), color);
            p.rect_filled(
                Rect::from_min_max(pos2(r.right() - 2.0, r.top()), r.max),
                0.0,
                theme.ready_cap,
            );
        }
        Swatch::Strip(a, b) => {
            let y = rect.bottom() - 4.0;
            let left = Rect::from_min_max(pos2(rect.left(), y), pos2(c.x, y + 2.0));
            let right = Rect::from_min_max(pos2(c.x, y), pos2(rect.right(), y + 2.0));
            p.rect_filled(left, 0.0, a);
            p.rect_filled(right, 0.0, b);
            p.line_segment(
                [pos2(c.x, rect.top() + 2.0), pos2(c.x, rect.bottom() - 1.0)],
                Stroke::new(1.5, theme.text),
            );
        }
        Swatch::Low(color) => {
            p.rect_filled(
                Rect::from_center_size(c, vec2(rect.width(), rect.height() * 0.4)),
                0.0,
                color,
            );
        }
        Swatch::Thin(color) => {
            p.rect_filled(
                Rect::from_center_size(c, vec2(rect.width(), 2.0)),
                0.0,
                color,
            );
        }
        Swatch::Band(w) => {
            theme.paint_wait(p, Rect::from_center_size(c, vec2(rect.width(), 8.0)), w);
        }
        Swatch::Refused => {
            p.rect_filled(
                Rect::from_min_max(pos2(rect.left(), c.y + 3.0), pos2(rect.right(), c.y + 6.0)),
                0.0,
                theme.panicked,
            );
        }
        Swatch::Print => paint_print_mark(p, pos2(c.x, rect.top() + 1.0), theme),
        Swatch::Cancelled => super::timeline::paint_cancelled_mark(p, c, theme),
        Swatch::Spawn => {
            p.add(egui::Shape::convex_polygon(
                vec![
                    pos2(c.x - 3.0, c.y - 5.0),
                    pos2(c.x + 3.0, c.y),
                    pos2(c.x - 3.0, c.y + 5.0),
                ],
                theme.spawn,
                Stroke::NONE,
            ));
        }
        Swatch::Done => {
            p.circle_filled(c, 3.0, theme.text);
        }
        Swatch::Panic => {
            let s = Stroke::new(2.5, theme.panicked);
            p.line_segment([c + vec2(-5.0, -5.0), c + vec2(5.0, 5.0)], s);
            p.line_segment([c + vec2(-5.0, 5.0), c + vec2(5.0, -5.0)], s);
        }
        Swatch::Arrow => {
            p.arrow(
                pos2(rect.left(), c.y),
                vec2(rect.width(), 0.0),
                Stroke::new(1.5, theme.wake_arrow),
            );
        }
    }
}

/// The mark of a `print` line: a small downward triangle whose tip is at `tip`'s x, hanging
/// from `tip`'s y (a task row's top).
pub fn paint_print_mark(p: &egui::Painter, tip: egui::Pos2, theme: &Theme) {
    p.add(egui::Shape::convex_polygon(
        vec![
            pos2(tip.x - 4.0, tip.y),
            pos2(tip.x + 4.0, tip.y),
            pos2(tip.x, tip.y + 7.0),
        ],
        theme.text,
        Stroke::NONE,
    ));
}
