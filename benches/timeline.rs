//! CPU time to lay out and tessellate one frame of the timeline (headless egui context)
//! for a synthetic trace of ~1 M events, zoomed out (whole run) and zoomed in (1 ms).
//! `cargo bench --bench timeline`

use std::hint::black_box;
use std::sync::OnceLock;

use asyncscope::trace::{Batch, Event, EventKind, Trace};
use asyncscope::ui::theme::Theme;
use asyncscope::ui::timeline::{RunView, TimelineState, Viewport, timeline_ui};

fn main() {
    divan::main();
}

const LANES: u32 = 4;
const TASKS: u64 = 32_000;
const POLLS_PER_TASK: u64 = 10;

/// 32 000 tasks in 8 groups, 10 polls each (5 µs polls, 20 µs apart on 4 lanes) with a
/// wake before every poll after the first: ≈ 1 M events.
fn trace() -> &'static Trace {
    static TRACE: OnceLock<Trace> = OnceLock::new();
    TRACE.get_or_init(|| {
        let mut t = Trace::new("bench");
        let mut lanes: Vec<Vec<Event>> = (0..LANES).map(|_| Vec::new()).collect();
        let mut slot = vec![0u64; LANES as usize];
        let ev = |ts_ns, kind| Event { ts_ns, kind };
        let names: Vec<std::sync::Arc<str>> = (0..8).map(|g| format!("group{g}").into()).collect();
        for task in 1..=TASKS {
            let lane = (task % u64::from(LANES)) as usize;
            let first = slot[lane] * 25_000;
            let l = &mut lanes[lane];
            l.push(ev(
                first,
                EventKind::Spawn {
                    task,
                    location: std::panic::Location::caller(),
                },
            ));
            l.push(ev(
                first,
                EventKind::Name {
                    task,
                    name: names[(task % 8) as usize].clone(),
                },
            ));
            for p in 0..POLLS_PER_TASK {
                let start = slot[lane] * 25_000 + 1_000;
                slot[lane] += 1;
                if p > 0 {
                    l.push(ev(start - 500, EventKind::Wake { task }));
                }
                l.push(ev(start, EventKind::PollStart { task }));
                if p + 1 == POLLS_PER_TASK {
                    l.push(ev(start + 4_000, EventKind::Terminate { task }));
                }
                l.push(ev(start + 5_000, EventKind::PollEnd { task }));
            }
        }
        for (i, events) in lanes.into_iter().enumerate() {
            t.ingest(Batch {
                thread: i as u32,
                events,
            });
        }
        t.wall_ns = t.end_ns();
        t.finish();
        assert!(t.events > 900_000, "{} events", t.events);
        t
    })
}

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
                live: false,
            };
            timeline_ui(ui, state, &view, &theme);
        });
    });
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

fn bench_frame(bencher: divan::Bencher, viewport: impl Fn(&Trace) -> Viewport) {
    let trace = trace();
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

#[divan::bench(sample_count = 30)]
fn frame_1m_events_zoomed_out(bencher: divan::Bencher) {
    bench_frame(bencher, |t| {
        let mut vp = Viewport::default();
        vp.fit(0.0, t.end_ns() as f64, 1600.0 - 170.0, 0.02);
        vp
    });
}

#[divan::bench(sample_count = 30)]
fn frame_1m_events_zoomed_in_1ms(bencher: divan::Bencher) {
    bench_frame(bencher, |t| Viewport {
        start_ns: t.end_ns() as f64 / 2.0,
        ns_per_px: 1e6 / (1600.0 - 170.0),
    });
}
