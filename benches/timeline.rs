//! CPU time to lay out and tessellate one frame of the timeline (headless egui context)
//! for synthetic traces of ~1 M and ~10 M events, zoomed out (whole run) and zoomed in
//! (1 ms).
//! `cargo bench --bench timeline`

use std::hint::black_box;

use asyncscope::trace::Trace;
use asyncscope::ui::theme::Theme;
use asyncscope::ui::timeline::{RunView, TimelineState, Viewport, timeline_ui};

fn main() {
    divan::main();
}

#[path = "common/synthetic.rs"]
mod synthetic;

fn frame(ctx: &egui::Context, state: &mut TimelineState, trace: &Trace) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            let theme = Theme::from_visuals(ui.visuals());
            let view = RunView {
                trace,
                now_ns: trace.end_ns(),
                catching_up_to: None,
                live: false,
                until_ns: None,
                offer_replay: true,
            };
            let _ = timeline_ui(ui, state, &view, &theme);
        });
    });
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

fn bench_frame(
    bencher: divan::Bencher,
    trace: &'static Trace,
    viewport: impl Fn(&Trace) -> Viewport,
) {
    let ctx = egui::Context::default();
    let mut state = TimelineState::default();
    state.follow_live = false;
    state.viewport = viewport(trace);
    // Warm up: fonts, group cache.
    frame(&ctx, &mut state, trace);
    frame(&ctx, &mut state, trace);
    bencher.bench_local(|| {
        state.viewport = viewport(trace);
        black_box(frame(&ctx, &mut state, trace))
    });
}

fn zoomed_out(t: &Trace) -> Viewport {
    let mut vp = Viewport::default();
    vp.fit(0.0, t.end_ns() as f64, 1600.0 - 170.0, 0.02);
    vp
}

fn zoomed_in_1ms(t: &Trace) -> Viewport {
    Viewport {
        start_ns: t.end_ns() as f64 / 2.0,
        ns_per_px: 1e6 / (1600.0 - 170.0),
    }
}

#[divan::bench(sample_count = 30)]
fn frame_1m_events_zoomed_out(bencher: divan::Bencher) {
    bench_frame(bencher, synthetic::trace(), zoomed_out);
}

#[divan::bench(sample_count = 30)]
fn frame_1m_events_zoomed_in_1ms(bencher: divan::Bencher) {
    bench_frame(bencher, synthetic::trace(), zoomed_in_1ms);
}

#[divan::bench(sample_count = 30)]
fn frame_10m_events_zoomed_out(bencher: divan::Bencher) {
    bench_frame(bencher, synthetic::trace_10m(), zoomed_out);
}

#[divan::bench(sample_count = 30)]
fn frame_10m_events_zoomed_in_1ms(bencher: divan::Bencher) {
    bench_frame(bencher, synthetic::trace_10m(), zoomed_in_1ms);
}
