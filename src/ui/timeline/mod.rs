//! The timeline: a time axis, one lane per worker / blocking thread with a bar per poll,
//! and one row per task with its states, grouped by task name. Reads the trace through
//! range queries; merges what is thinner than a pixel.

pub mod group_area;
pub mod plots;
pub mod resource_tracks;

pub use crate::view::{axis, lod};

use std::collections::HashMap;

use egui::{
    Align2, CornerRadius, FontId, Key, Rect, Response, Sense, Stroke, StrokeKind, Ui, pos2, vec2,
};

use crate::i18n::Language;
use crate::t;
use crate::trace::{
    LaneKind, Outcome, PollOutcome, PollSpan, TaskId, TaskKind, TaskState, Trace, WaitReason,
    WakeSource,
};
use crate::ui::theme::Theme;
pub use crate::view::Viewport;
use lod::{RenderItem, render_items};

const AXIS_H: f32 = 22.0;
const LANE_H: f32 = 32.0;
const ROW_H: f32 = 18.0;
/// Presentation mode shrinks task rows down to this to fit them all on the screen.
const MIN_ROW_H: f32 = 12.0;
pub const GUTTER_W: f32 = 170.0;
/// What reads every task's states (the scheduled plot, group rows) waits for the end of a
/// live run with more tasks than this: the frame holds the trace, and the collector waits.
const LIVE_TASK_LIMIT: usize = 20_000;

/// What the user selected: a task, or one poll of it (kept by task id and start time, which
/// survive the renumbering when a run finishes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Task(TaskId),
    Poll { task: TaskId, start_ns: u64 },
}

impl Selection {
    pub fn task(&self) -> TaskId {
        match *self {
            Selection::Task(t) | Selection::Poll { task: t, .. } => t,
        }
    }
}

use crate::view::groups::TaskGroup as Group;

#[derive(Clone, Copy, Debug)]
enum Row {
    Header(usize),
    /// Part 1.. of a collapsed group's stacked area (part 0 is its header row).
    Area(usize, u8),
    Task(u32),
}

#[derive(Default)]
struct GroupCache {
    key: (usize, u64),
    groups: Vec<Group>,
}

/// When a cache built from a whole trace must be rebuilt: another trace, or the same one
/// grown (more events, or finished); while live, at most every 250 ms, since rebuilding
/// reads every task while the frame holds the trace.
#[derive(Default)]
pub(crate) struct TraceStamp {
    key: Option<(usize, u64, u64)>,
    at: Option<std::time::Instant>,
}

impl TraceStamp {
    /// True when the cache is stale (and it is taken as rebuilt from now on).
    pub(crate) fn is_stale(&mut self, trace: &Trace, live: bool) -> bool {
        const LIVE_REFRESH: std::time::Duration = std::time::Duration::from_millis(250);
        let key = (
            std::ptr::from_ref(trace) as usize,
            trace.events,
            trace.wall_ns,
        );
        let same_trace = self.key.is_some_and(|k| k.0 == key.0);
        let fresh = self.key == Some(key)
            || (live && same_trace && self.at.is_some_and(|at| at.elapsed() < LIVE_REFRESH));
        if !fresh {
            self.key = Some(key);
            self.at = Some(std::time::Instant::now());
        }
        !fresh
    }
}

/// The state spans of the task rows on screen, computed once per task while the trace
/// stays the same (a live trace changes with each batch; a finished one never), instead
/// of once per row per frame.
#[derive(Default)]
pub struct StateCache {
    key: (usize, u64, u64),
    by_task: HashMap<u32, std::rc::Rc<[crate::trace::StateSpan]>>,
}

impl StateCache {
    pub fn get(&mut self, trace: &Trace, ti: u32) -> std::rc::Rc<[crate::trace::StateSpan]> {
        let key = (
            std::ptr::from_ref(trace) as usize,
            trace.events,
            trace.wall_ns,
        );
        if self.key != key {
            self.key = key;
            self.by_task.clear();
        }
        self.by_task
            .entry(ti)
            .or_insert_with(|| trace.task_states(ti).into())
            .clone()
    }
}

/// The timeline's state between frames.
pub struct TimelineState {
    pub viewport: Viewport,
    /// The language of the timeline's words (the app sets it every frame).
    pub lang: Language,
    /// Keep the newest time in view while a run is live.
    pub follow_live: bool,
    pub selection: Option<Selection>,
    hovered_task: Option<TaskId>,
    expanded: HashMap<String, bool>,
    cache: GroupCache,
    fit_pending: bool,
    /// A range asked for by `zoom_to`, fitted again on the next frame at that frame's
    /// width (a selection can change the panels' widths).
    zoom_pending: Option<(u64, u64)>,
    /// The canvas width of the last frame, for zooms asked from outside the timeline.
    canvas_w: f64,
    /// Per lane, busy and parked time so far, summed incrementally as the lanes grow; for
    /// the trace at this address.
    lane_totals: (usize, Vec<LaneTotals>),
    /// The time under the pointer on the timeline, kept when the pointer leaves it: the
    /// details' step list shows where the selected task was then.
    pub cursor_ns: Option<u64>,
    /// The screen x of the canvases' left edge (time 0 of the viewport's mapping).
    canvas_left: f32,
    /// The exact series the plots under the lanes show, for the view on screen.
    pub exact: plots::ExactSeries,
    states: std::cell::RefCell<StateCache>,
    /// The collapsed groups' stacked areas.
    pub group_areas: group_area::GroupAreas,
    /// The resource tracks under the lanes.
    pub resources: resource_tracks::ResourceTracks,
    /// All the plots under the lanes; else only the heartbeat's (presentation mode with
    /// its plots off).
    pub show_plots: bool,
    /// The toolbar without its zoom and pan hint (presentation mode).
    pub compact: bool,
    /// A moment marked with a line across the timeline (a clicked Output line).
    pub marked_ns: Option<u64>,
}

/// A lane's busy and parked time up to a moment (now while live, the replay's time), with
/// a cursor over the polls and sleeps that ended by then: it moves forward as the lane
/// grows and the moment advances, and starts over for anything else (a replay going back,
/// the lanes reordered when a run finishes).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct LaneTotals {
    /// Which lane the sums are of: its first poll's and first sleep's start.
    first_poll_ns: Option<u64>,
    first_park_ns: Option<u64>,
    until_ns: u64,
    /// Polls and sleeps counted in full: the first `polls` and `parks` of the lane.
    polls: usize,
    busy_ns: u64,
    parks: usize,
    parked_ns: u64,
}

/// A lane's time up to `total_ns`: busy + parked never exceed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LaneShares {
    busy_ns: u64,
    parked_ns: u64,
    total_ns: u64,
}

impl LaneTotals {
    /// The lane's shares of `[0, until_ns)`; `open` is what the lane is in at `until_ns`
    /// that its lists do not hold yet (a live poll's start, a live sleep's start).
    fn shares(
        &mut self,
        lane: &crate::trace::Lane,
        until_ns: u64,
        open: (Option<u64>, Option<u64>),
    ) -> LaneShares {
        let first_poll_ns = lane.polls.first().map(|p| p.start_ns);
        let first_park_ns = lane.parks.first().map(|p| p.start_ns);
        let same_lane = (self.first_poll_ns.is_none() || self.first_poll_ns == first_poll_ns)
            && (self.first_park_ns.is_none() || self.first_park_ns == first_park_ns);
        if !same_lane
            || until_ns < self.until_ns
            || self.polls > lane.polls.len()
            || self.parks > lane.parks.len()
        {
            *self = LaneTotals::default();
        }
        self.first_poll_ns = first_poll_ns;
        self.first_park_ns = first_park_ns;
        self.until_ns = until_ns;
        while let Some(p) = lane
            .polls
            .get(self.polls)
            .filter(|p| p.end_ns() <= until_ns)
        {
            self.busy_ns += p.duration_ns();
            self.polls += 1;
        }
        while let Some(p) = lane.parks.get(self.parks).filter(|p| p.end_ns <= until_ns) {
            self.parked_ns += p.end_ns - p.start_ns;
            self.parks += 1;
        }
        let since = |start: u64| until_ns.saturating_sub(start);
        let busy_ns = self.busy_ns
            + lane.polls.get(self.polls).map_or(0, |p| since(p.start_ns))
            + open.0.map_or(0, since);
        let parked_ns = self.parked_ns
            + lane.parks.get(self.parks).map_or(0, |p| since(p.start_ns))
            + open.1.map_or(0, since);
        let busy_ns = busy_ns.min(until_ns);
        LaneShares {
            busy_ns,
            parked_ns: parked_ns.min(until_ns - busy_ns),
            total_ns: until_ns,
        }
    }
}

impl LaneShares {
    /// "busy 40% · parked 55% · other 5%" (a worker), or "busy 12%": rounded so that the
    /// three add up to 100.
    fn text(&self, kind: LaneKind, l: Language) -> String {
        let total = self.total_ns.max(1) as f64;
        let pct = |ns: u64| (ns as f64 * 100.0 / total).round().min(100.0) as u32;
        let (busy, parked) = (pct(self.busy_ns), pct(self.parked_ns));
        match kind {
            LaneKind::Worker => {
                let parked = parked.min(100 - busy);
                let other = 100 - busy - parked;
                t!(
                    l,
                    "lane-shares-worker",
                    busy = busy,
                    parked = parked,
                    other = other
                )
            }
            LaneKind::Blocking | LaneKind::Cpu => t!(l, "lane-shares", busy = busy),
        }
    }
}

impl TimelineState {
    /// The width of the timeline (its label column and canvases) in the last frame.
    pub fn width(&self) -> f32 {
        self.canvas_w as f32 + GUTTER_W
    }

    /// Marks `t_ns` with a line across the timeline, panning it to the middle of the view
    /// when it is off screen (the zoom stays).
    pub fn mark_time(&mut self, t_ns: u64) {
        self.marked_ns = Some(t_ns);
        self.follow_live = false;
        let span = self.canvas_w * self.viewport.ns_per_px;
        let (a, b) = (self.viewport.start_ns, self.viewport.start_ns + span);
        let t = t_ns as f64;
        if t < a || t > b {
            self.viewport.start_ns = t - span / 2.0;
        }
    }

    /// The screen x where time `t_ns` is drawn on the timeline's canvases.
    pub fn x_of_time(&self, t_ns: u64) -> f32 {
        self.canvas_left + self.viewport.x_from_time(t_ns as f64) as f32
    }
}

impl Default for TimelineState {
    fn default() -> Self {
        TimelineState {
            viewport: Viewport {
                start_ns: 0.0,
                ns_per_px: 1e9 / 1000.0,
            },
            lang: Language::English,
            follow_live: true,
            selection: None,
            hovered_task: None,
            expanded: HashMap::new(),
            cache: GroupCache::default(),
            fit_pending: false,
            zoom_pending: None,
            canvas_w: 1000.0,
            lane_totals: (0, Vec::new()),
            cursor_ns: None,
            canvas_left: 0.0,
            exact: plots::ExactSeries::default(),
            states: Default::default(),
            group_areas: Default::default(),
            resources: Default::default(),
            show_plots: true,
            compact: false,
            marked_ns: None,
        }
    }
}

impl TimelineState {
    /// A new run is on screen: follow it, forget the old selection.
    pub fn reset_for_new_run(&mut self) {
        self.follow_live = true;
        self.selection = None;
        self.marked_ns = None;
        self.hovered_task = None;
        self.cache = GroupCache::default();
        self.viewport = TimelineState::default().viewport;
        self.lane_totals = (0, Vec::new());
        self.cursor_ns = None;
    }

    /// What the scenario asks to show first (`[view]`): its `expand` groups open, and only
    /// its `tracks` (all the run's resources when it names none). Groups opened or closed by
    /// hand are forgotten for another scenario than the last run's.
    pub fn apply_view(&mut self, view: Option<&crate::scenario::ViewConfig>, same_scenario: bool) {
        if !same_scenario {
            self.expanded.clear();
        }
        let view = view.cloned().unwrap_or_default();
        for g in &view.expand {
            self.expanded.insert(g.clone(), true);
        }
        self.resources.only = view.tracks;
    }

    /// Shows `[start_ns, end_ns]` (with a margin) and stops following the live end.
    pub fn zoom_to(&mut self, start_ns: u64, end_ns: u64) {
        self.follow_live = false;
        self.fit_pending = false;
        self.zoom_pending = Some((start_ns, end_ns));
        self.fit_zoom();
    }

    fn fit_zoom(&mut self) {
        if let Some((start_ns, end_ns)) = self.zoom_pending {
            self.viewport.fit(
                start_ns as f64,
                end_ns.max(start_ns + 1) as f64,
                self.canvas_w,
                0.15,
            );
        }
    }

    /// The time range on screen (as of the last frame), ns.
    pub fn visible_range_ns(&self) -> (f64, f64) {
        (
            self.viewport.start_ns,
            self.viewport.time_from_x(self.canvas_w),
        )
    }

    /// Fit the whole run on the next frame.
    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    fn groups(&mut self, trace: &Trace) -> &[Group] {
        let key = (trace.tasks.len(), trace.wall_ns);
        if self.cache.key != key || self.cache.groups.is_empty() {
            let groups = crate::view::groups::task_groups(trace);
            self.cache = GroupCache { key, groups };
        }
        &self.cache.groups
    }

    fn is_expanded(&self, g: &Group) -> bool {
        *self
            .expanded
            .get(&g.name)
            .unwrap_or(&g.expanded_by_default())
    }
}

/// What the timeline needs to know about the run besides its trace.
pub struct RunView<'a> {
    pub trace: &'a Trace,
    /// ns since run start "now" (the run's latest time while it is live): what is drawn.
    pub now_ns: u64,
    /// While the live model is behind the run (the collector's CPU budget): the run's own
    /// "now". The view follows it and shows `now_ns..` as not modelled yet.
    pub catching_up_to: Option<u64>,
    pub live: bool,
    /// Replay: show only what had happened by this time, as it looked live then.
    pub until_ns: Option<u64>,
    /// A Replay button at the start of the toolbar (a finished run, not replaying).
    pub offer_replay: bool,
}

/// Draws the timeline and handles its input; true when its Replay button was clicked.
#[must_use]
pub fn timeline_ui(
    ui: &mut Ui,
    state: &mut TimelineState,
    run: &RunView<'_>,
    theme: &Theme,
) -> bool {
    let trace = run.trace;
    let until = run.until_ns.unwrap_or(u64::MAX);
    let canvas_w = (ui.available_width() - GUTTER_W).max(50.0) as f64;
    state.canvas_w = canvas_w;
    state.fit_zoom();
    state.zoom_pending = None;

    let replay = toolbar_ui(ui, state, run);
    keyboard(ui, state, run, canvas_w);

    if state.fit_pending {
        state.fit_pending = false;
        state
            .viewport
            .fit(0.0, run.now_ns.max(1_000) as f64, canvas_w, 0.02);
    }
    if state.follow_live && run.live {
        // Keep the newest time near the right edge; never scroll before 0.
        let span = canvas_w * state.viewport.ns_per_px;
        let newest = run.catching_up_to.unwrap_or(run.now_ns).max(run.now_ns);
        state.viewport.start_ns = (newest as f64 - span * 0.95).max(-span * 0.02);
    }

    // Set again below by whatever row or poll the pointer is over.
    state.hovered_task = None;
    let mut canvases: Vec<Response> = Vec::new();
    let axis_rect = axis_ui(ui, &state.viewport, theme);
    let lane_rects = lanes_ui(ui, state, trace, (run.now_ns, until), theme, &mut canvases);
    ui.add_space(2.0);
    let vp = state.viewport;
    canvases.extend(resource_tracks::resource_tracks_ui(
        ui,
        &mut state.resources,
        trace,
        &vp,
        run.now_ns.min(until),
        theme,
        state.lang,
    ));
    let set = if state.show_plots {
        plots::PlotSet::All
    } else {
        plots::PlotSet::Heartbeat
    };
    plots::plots_ui(
        ui,
        trace,
        &state.viewport,
        canvas_w,
        run.now_ns.min(until),
        &mut state.exact,
        theme,
        (set, None),
        state.lang,
    );
    ui.add_space(4.0);
    ui.separator();
    tasks_ui(ui, state, trace, (run.now_ns, until), theme, &mut canvases);

    wake_arrows(ui, state, trace, &lane_rects, theme, until);
    recording_stopped_mark(ui, state, trace, &lane_rects, theme);
    if let Some(wall) = run.catching_up_to {
        catching_up_band(
            ui,
            &state.viewport,
            axis_rect,
            (run.now_ns, wall),
            theme,
            state.lang,
        );
    }
    pointer(ui, state, &canvases, axis_rect);
    if let Some(t) = state.marked_ns {
        let x = axis_rect.left() + state.viewport.x_from_time(t as f64) as f32;
        if (axis_rect.left()..=axis_rect.right()).contains(&x) {
            let bottom = ui.min_rect().bottom();
            ui.painter().vline(
                x,
                axis_rect.top()..=bottom,
                Stroke::new(1.5, theme.text.gamma_multiply(0.8)),
            );
        }
    }
    replay
}

/// The part of a live run that the model has not reached yet (the collector models
/// within a CPU budget, so as not to slow the run it shows): shaded over the whole
/// timeline, and said in words, so that no lane reads as idle there.
fn catching_up_band(
    ui: &mut Ui,
    vp: &Viewport,
    axis_rect: Rect,
    (modelled, wall): (u64, u64),
    theme: &Theme,
    lang: Language,
) {
    if wall <= modelled {
        return;
    }
    let bottom = ui.min_rect().bottom();
    let x0 = (axis_rect.left() + vp.x_from_time(modelled as f64) as f32).max(axis_rect.left());
    let x1 = (axis_rect.left() + vp.x_from_time(wall as f64) as f32).min(axis_rect.right());
    if x1 <= x0 {
        return;
    }
    let band = Rect::from_min_max(pos2(x0, axis_rect.bottom()), pos2(x1, bottom));
    let painter = ui.painter_at(band);
    painter.rect_filled(band, 0.0, ui.visuals().panel_fill.gamma_multiply(0.92));
    painter.vline(
        x0,
        band.y_range(),
        Stroke::new(1.5, theme.text.gamma_multiply(0.6)),
    );
    let text = t!(
        lang,
        "catching-up",
        behind = axis::format_ns((wall - modelled) as f64)
    );
    let at = Rect::from_min_max(band.left_top() + vec2(8.0, 8.0), band.right_bottom());
    ui.put(
        at,
        egui::Label::new(egui::RichText::new(text).size(14.0).color(theme.text))
            .wrap()
            .selectable(false),
    );
}

/// Replay (when offered), Follow live, Fit and the zoom hint; true when Replay was clicked.
fn toolbar_ui(ui: &mut Ui, state: &mut TimelineState, run: &RunView<'_>) -> bool {
    let mut replay = false;
    ui.horizontal(|ui| {
        if run.offer_replay {
            replay = ui
                .button(t!(state.lang, "replay"))
                .on_hover_text(t!(state.lang, "replay-hover"))
                .clicked();
        }
        if ui
            .checkbox(&mut state.follow_live, t!(state.lang, "follow-live"))
            .on_hover_text(t!(state.lang, "follow-live-hover"))
            .changed()
            && state.follow_live
            && !run.live
        {
            state.request_fit();
        }
        if ui
            .button(t!(state.lang, "fit"))
            .on_hover_text(t!(state.lang, "fit-hover"))
            .clicked()
        {
            state.follow_live = false;
            state.request_fit();
        }
        let per_100px = axis::format_ns(state.viewport.ns_per_px * 100.0);
        if state.compact {
            ui.weak(format!("100 px = {per_100px}"));
        } else {
            ui.weak(t!(state.lang, "zoom-hint", scale = per_100px));
        }
    });
    replay
}

fn keyboard(ui: &Ui, state: &mut TimelineState, run: &RunView<'_>, canvas_w: f64) {
    let (moved, fit) = keys_pan_zoom(ui, &mut state.viewport, canvas_w);
    if moved {
        state.follow_live = false;
    }
    if fit {
        state.follow_live = run.live && state.follow_live;
        state.request_fit();
    }
}

/// W/S zoom, A/D pan (held keys, smooth); returns (the view moved, F was pressed).
pub(crate) fn keys_pan_zoom(ui: &Ui, vp: &mut Viewport, canvas_w: f64) -> (bool, bool) {
    if ui.ctx().egui_wants_keyboard_input() {
        return (false, false);
    }
    let (zoom_in, zoom_out, left, right, fit) = ui.input(|i| {
        (
            i.key_down(Key::W),
            i.key_down(Key::S),
            i.key_down(Key::A),
            i.key_down(Key::D),
            i.key_pressed(Key::F),
        )
    });
    let dt = ui.input(|i| i.stable_dt).clamp(0.0, 0.1) as f64;
    let anchor = canvas_w / 2.0;
    if zoom_in {
        vp.zoom_at(anchor, (1.0 + 4.0 * dt).max(1.01));
    }
    if zoom_out {
        vp.zoom_at(anchor, 1.0 / (1.0 + 4.0 * dt).max(1.01));
    }
    if left {
        vp.pan_px(-canvas_w * dt);
    }
    if right {
        vp.pan_px(canvas_w * dt);
    }
    let moved = zoom_in || zoom_out || left || right;
    if moved {
        ui.ctx().request_repaint();
    }
    (moved, fit)
}

/// A row: a label cell in the gutter and a canvas cell for the time range.
pub(crate) fn row_cells(ui: &mut Ui, height: f32) -> (Rect, Rect) {
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::hover());
    let label = Rect::from_min_size(rect.min, vec2(GUTTER_W, height));
    let canvas = Rect::from_min_max(pos2(rect.min.x + GUTTER_W, rect.min.y), rect.max);
    (label, canvas)
}

pub(crate) fn axis_ui(ui: &mut Ui, vp: &Viewport, theme: &Theme) -> Rect {
    let (_, canvas) = row_cells(ui, AXIS_H);
    let painter = ui.painter_at(canvas);
    let step = axis::tick_step_ns(vp.ns_per_px, 80.0);
    let end = vp.time_from_x(canvas.width() as f64);
    for t in axis::ticks(vp.start_ns.max(0.0), end, step) {
        let x = canvas.left() + vp.x_from_time(t) as f32;
        painter.vline(x, canvas.y_range(), Stroke::new(1.0, theme.grid));
        painter.text(
            pos2(x + 3.0, canvas.center().y),
            Align2::LEFT_CENTER,
            axis::format_ns(t),
            FontId::proportional(11.0),
            theme.weak_text,
        );
    }
    canvas
}

pub(crate) fn label_cell(ui: &mut Ui, rect: Rect, text: &str, strong: bool) -> Response {
    let rich = if strong {
        egui::RichText::new(text).strong()
    } else {
        egui::RichText::new(text)
    };
    ui.put(
        rect.shrink2(vec2(4.0, 0.0)),
        egui::Label::new(rich).truncate().selectable(false),
    )
}

fn lanes_ui(
    ui: &mut Ui,
    state: &mut TimelineState,
    trace: &Trace,
    (now_ns, until): (u64, u64),
    theme: &Theme,
    canvases: &mut Vec<Response>,
) -> Vec<Rect> {
    let mut rects = Vec::with_capacity(trace.lanes.len());
    let selected = state.selection.map(|s| s.task());
    let selected_poll = match state.selection {
        Some(Selection::Poll { task, start_ns }) => Some((task, start_ns)),
        _ => None,
    };
    let key = std::ptr::from_ref(trace) as usize;
    if state.lane_totals.0 != key {
        state.lane_totals = (key, Vec::new());
    }
    state
        .lane_totals
        .1
        .resize(trace.lanes.len(), LaneTotals::default());
    for (li, lane) in trace.lanes.iter().enumerate() {
        let (label, canvas) = row_cells(ui, LANE_H);
        let at_ns = now_ns.min(until);
        let live_poll = trace
            .in_progress
            .iter()
            .find(|p| p.lane as usize == li && p.start_ns < at_ns)
            .map(|p| p.start_ns);
        let live_park = trace.parked_now(li as u16).filter(|&s| s < at_ns);
        let shares = state.lane_totals.1[li].shares(lane, at_ns, (live_poll, live_park));
        let (name_rect, detail_rect) = label.split_top_bottom_at_fraction(0.55);
        label_cell(ui, name_rect, &lane.name, true).on_hover_text(match lane.kind {
            LaneKind::Worker => t!(state.lang, "lane-worker-hover"),
            LaneKind::Blocking => t!(state.lang, "lane-blocking-hover"),
            LaneKind::Cpu => t!(state.lang, "lane-cpu-hover"),
        });
        if lane.kind == LaneKind::Worker {
            // The worker's colour, as the strips under the task rows use it.
            let swatch = Rect::from_min_size(
                label.left_top() + vec2(1.0, 4.0),
                vec2(3.0, label.height() - 8.0),
            );
            ui.painter()
                .rect_filled(swatch, 0.0, theme.worker_color(li));
        }
        let detail = shares.text(lane.kind, state.lang);
        ui.put(
            detail_rect.shrink2(vec2(4.0, 0.0)),
            egui::Label::new(egui::RichText::new(detail).small().weak())
                .truncate()
                .selectable(false),
        );
        let response = ui.interact(
            canvas,
            ui.make_persistent_id(("timeline lane", li)),
            Sense::click_and_drag(),
        );
        let painter = ui.painter_at(canvas);
        let vp = state.viewport;
        // Live, nothing is known past `at_ns` (a worker's line must not run on to the edge).
        paint_lane(
            &painter,
            canvas,
            &vp,
            (trace, at_ns),
            li,
            theme,
            selected,
            selected_poll,
        );
        let mut response = response;
        let hit = response
            .hover_pos()
            .or(response.interact_pointer_pos())
            .and_then(|pos| poll_at(trace, li, &vp, (pos.x - canvas.left()) as f64))
            .filter(|p| p.start_ns < until);
        if let Some(p) = hit {
            let task = &trace.tasks[p.task as usize];
            if response.hovered() {
                state.hovered_task = Some(task.id);
                response = response
                    .on_hover_ui_at_pointer(|ui| poll_tooltip(ui, trace, li, p, state.lang));
            }
            if response.clicked() {
                state.selection = Some(Selection::Poll {
                    task: task.id,
                    start_ns: p.start_ns,
                });
            }
            if response.double_clicked() {
                state.follow_live = false;
                state.viewport.fit(
                    p.start_ns as f64,
                    p.end_ns() as f64,
                    canvas.width() as f64,
                    0.25,
                );
            }
        } else if response.clicked() {
            state.selection = None;
        }
        // Polls still running (live): from their start to now.
        for lp in trace.in_progress.iter().filter(|lp| lp.lane as usize == li) {
            let t = &trace.tasks[lp.task as usize];
            let bar = canvas.shrink2(vec2(0.0, 3.0));
            let r = span_rect(&vp, bar, lp.start_ns, now_ns.max(lp.start_ns), 1.0);
            painter.rect_filled(r, CornerRadius::same(1), theme.group_color(&trace.label(t)));
            painter.rect_stroke(
                r,
                CornerRadius::same(1),
                Stroke::new(1.0, theme.text),
                StrokeKind::Inside,
            );
            if response.hover_pos().is_some_and(|p| r.contains(p)) {
                state.hovered_task = Some(t.id);
                response = response.on_hover_text_at_pointer(t!(
                    state.lang,
                    "live-poll-hover",
                    task = trace.label(t),
                    id = t.id,
                    duration = axis::format_ns(now_ns.saturating_sub(lp.start_ns) as f64)
                ));
            }
        }
        rects.push(canvas);
        canvases.push(response);
    }
    if trace.lanes.is_empty() {
        ui.weak(t!(state.lang, "no-polls-yet"));
    }
    rects
}

/// One lane's background, grid and polls (merging what is thinner than a pixel) up to
/// `until` (a poll running then is drawn to it, outlined, as live); the selected task's
/// polls are outlined.
#[allow(clippy::too_many_arguments)]
pub(crate) fn paint_lane(
    painter: &egui::Painter,
    canvas: Rect,
    vp: &Viewport,
    (trace, until): (&Trace, u64),
    li: usize,
    theme: &Theme,
    selected: Option<TaskId>,
    selected_poll: Option<(TaskId, u64)>,
) {
    let Some(lane) = trace.lanes.get(li) else {
        return;
    };
    painter.rect_filled(canvas, 0.0, theme.lane_bg[li % 2]);
    grid(painter, canvas, vp, theme);
    let (t0, t1) = vp.visible_ns(canvas.width() as f64);
    let polls = lane.polls_in(t0, t1.min(until));
    let gap_ns = vp.ns_per_px.max(1.0) as u64;
    let bar = canvas.shrink2(vec2(0.0, 3.0));
    if lane.kind == LaneKind::Worker {
        paint_worker_states(painter, vp, bar, (trace, until), li, theme);
    }
    for item in render_items(polls, gap_ns) {
        match item {
            RenderItem::Single(i) => {
                let p = &polls[i];
                let t = &trace.tasks[p.task as usize];
                let running = p.end_ns() > until;
                let r = span_rect(vp, bar, p.start_ns, p.end_ns().min(until), 1.0);
                let color = theme.group_color(&trace.label(t));
                painter.rect_filled(r, CornerRadius::same(1), color);
                if running {
                    painter.rect_stroke(
                        r,
                        CornerRadius::same(1),
                        Stroke::new(1.0, theme.text),
                        StrokeKind::Inside,
                    );
                } else if p.outcome() == PollOutcome::Ready && r.width() >= 4.0 {
                    let cap = Rect::from_min_max(pos2(r.right() - 2.0, r.top()), r.max);
                    painter.rect_filled(cap, 0.0, theme.ready_cap);
                }
                if selected == Some(t.id) {
                    let strong = selected_poll == Some((t.id, p.start_ns));
                    painter.rect_stroke(
                        r.expand(1.0),
                        CornerRadius::same(1),
                        Stroke::new(if strong { 2.5 } else { 1.5 }, theme.selection),
                        StrokeKind::Outside,
                    );
                }
            }
            RenderItem::Merged {
                first,
                start_ns,
                end_ns,
                ..
            } => {
                // Coloured like its first poll's group, dimmed: "more here, zoom in".
                let t = &trace.tasks[polls[first].task as usize];
                let r = span_rect(
                    vp,
                    bar.shrink2(vec2(0.0, 2.0)),
                    start_ns,
                    end_ns.min(until),
                    1.0,
                );
                painter.rect_filled(
                    r,
                    0.0,
                    theme.group_color(&trace.label(t)).gamma_multiply(0.55),
                );
            }
        }
    }
}

pub(crate) fn poll_tooltip(ui: &mut Ui, trace: &Trace, lane: usize, p: &PollSpan, l: Language) {
    let t = &trace.tasks[p.task as usize];
    ui.strong(trace.title(t));
    ui.label(t!(
        l,
        "poll-tooltip",
        lane = trace.lanes[lane].name.as_str(),
        at = axis::format_ns(p.start_ns as f64),
        duration = axis::format_ns(p.duration_ns() as f64)
    ));
    ui.label(match p.outcome() {
        PollOutcome::Pending => t!(l, "poll-ended-pending"),
        PollOutcome::Ready => t!(l, "poll-ended-ready"),
    });
    ui.weak(t!(l, "poll-click-hint"));
}

/// A worker's two states besides polling: asleep (a low bar) and in between (a thin line:
/// the runtime's own work), from its first poll or sleep on. Polls are drawn over them.
fn paint_worker_states(
    painter: &egui::Painter,
    vp: &Viewport,
    bar: Rect,
    (trace, until): (&Trace, u64),
    li: usize,
    theme: &Theme,
) {
    let lane = &trace.lanes[li];
    // A finished run's workers end with it: the line must not go on to the right edge.
    let until = if trace.wall_ns > 0 {
        until.min(trace.end_ns())
    } else {
        until
    };
    let width = bar.width() as f64;
    let (t0, t1) = vp.visible_ns(width);
    let first = [
        lane.polls.first().map(|p| p.start_ns),
        lane.parks.first().map(|p| p.start_ns),
    ]
    .into_iter()
    .flatten()
    .min();
    let Some(first) = first.filter(|&f| f < until.min(t1)) else {
        return;
    };
    let mid = bar.center().y;
    let line = Rect::from_min_max(pos2(bar.left(), mid - 1.0), pos2(bar.right(), mid + 1.0));
    painter.rect_filled(
        span_rect(vp, line, first.max(t0), until.min(t1), 0.0),
        0.0,
        theme.runtime_work,
    );
    let low = Rect::from_min_max(
        pos2(bar.left(), mid - bar.height() * 0.22),
        pos2(bar.right(), mid + bar.height() * 0.22),
    );
    let live = trace
        .parked_now(li as u16)
        .map(|since| crate::trace::ParkSpan {
            start_ns: since,
            end_ns: until,
        });
    for p in lane.parks_in(t0, t1.min(until)).iter().chain(live.as_ref()) {
        let r = span_rect(vp, low, p.start_ns.max(t0), p.end_ns.min(until), 0.0);
        if r.width() >= 0.5 {
            painter.rect_filled(r, 0.0, theme.parked);
        }
    }
}

fn span_rect(vp: &Viewport, row: Rect, start_ns: u64, end_ns: u64, min_w: f32) -> Rect {
    let x0 = row.left() + vp.x_from_time(start_ns as f64) as f32;
    let x1 = row.left() + vp.x_from_time(end_ns as f64) as f32;
    let x0 = x0.max(row.left() - 10.0);
    let x1 = x1.min(row.right() + 10.0).max(x0 + min_w);
    Rect::from_min_max(pos2(x0, row.top()), pos2(x1, row.bottom()))
}

fn grid(painter: &egui::Painter, canvas: Rect, vp: &Viewport, theme: &Theme) {
    let step = axis::tick_step_ns(vp.ns_per_px, 80.0);
    let end = vp.time_from_x(canvas.width() as f64);
    for t in axis::ticks(vp.start_ns.max(0.0), end, step) {
        let x = canvas.left() + vp.x_from_time(t) as f32;
        painter.vline(
            x,
            canvas.y_range(),
            Stroke::new(1.0, theme.grid.gamma_multiply(0.5)),
        );
    }
}

fn tasks_ui(
    ui: &mut Ui,
    state: &mut TimelineState,
    trace: &Trace,
    (now_ns, until): (u64, u64),
    theme: &Theme,
    canvases: &mut Vec<Response>,
) {
    state.groups(trace);
    // Taken out for the frame (the rows borrow it while the state is updated), put back below.
    let cache = std::mem::take(&mut state.cache);
    let groups = &cache.groups;
    // In a replay, only the tasks that exist by then.
    let started = |&ti: &u32| {
        let t = &trace.tasks[ti as usize];
        until == u64::MAX
            || t.spawn_ns()
                .or_else(|| {
                    trace
                        .task_polls(ti)
                        .first()
                        .map(|r| trace.poll(*r).start_ns)
                })
                .is_some_and(|s| s <= until)
    };
    let live = trace.wall_ns == 0;
    let mut rows = Vec::new();
    let mut counts = Vec::with_capacity(groups.len());
    for (gi, g) in groups.iter().enumerate() {
        let shown = g.tasks.iter().filter(|t| started(t));
        let header = rows.len();
        rows.push(Row::Header(gi));
        let n = if state.is_expanded(g) {
            rows.extend(shown.map(|&t| Row::Task(t)));
            rows.len() - header - 1
        } else if until == u64::MAX {
            g.tasks.len()
        } else {
            shown.count()
        };
        counts.push(n);
        if n == 0 {
            rows.pop(); // a group none of whose tasks exists yet (replay)
        } else if !state.is_expanded(g) {
            rows.extend((1..group_area::AREA_ROWS).map(|part| Row::Area(gi, part)));
        }
    }
    // Presentation mode fits the rows to the screen (down to MIN_ROW_H) rather than scroll.
    let row_h = if state.compact && !rows.is_empty() {
        ((ui.available_height() - 4.0) / rows.len() as f32).clamp(MIN_ROW_H, ROW_H)
    } else {
        ROW_H
    };
    // The rows touch: show_rows counts the item spacing into each row's height, so it is
    // zero here too, or it would think fewer rows fit and leave the last ones undrawn.
    let spacing = std::mem::replace(&mut ui.spacing_mut().item_spacing.y, 0.0);
    egui::ScrollArea::vertical()
        .id_salt("task rows")
        .auto_shrink([false, false])
        .show_rows(ui, row_h, rows.len(), |ui, range| {
            ui.spacing_mut().item_spacing.y = 0.0;
            if row_h < ROW_H {
                // The name buttons fit the rows (a taller button would push the next row).
                ui.spacing_mut().interact_size.y = row_h;
                ui.spacing_mut().button_padding.y = 0.0;
            }
            for row in &rows[range] {
                match *row {
                    Row::Header(gi) => {
                        let g = &groups[gi];
                        let (label, canvas) = row_cells(ui, row_h);
                        let open = state.is_expanded(g);
                        let text = format!(
                            "{} {} ({})",
                            if open { "-" } else { "+" },
                            g.name,
                            counts[gi]
                        );
                        let header = ui.put(
                            label.shrink2(vec2(2.0, 0.0)),
                            egui::Button::new(egui::RichText::new(text).strong())
                                .frame(false)
                                .truncate(),
                        );
                        if header.clicked() {
                            state.expanded.insert(g.name.clone(), !open);
                        }
                        let painter = ui.painter_at(canvas);
                        let c = theme.group_color(&g.name);
                        if open {
                            painter.hline(
                                canvas.x_range(),
                                canvas.bottom() - 1.0,
                                Stroke::new(1.0, theme.grid),
                            );
                        } else {
                            canvases.push(group_area_row(
                                ui,
                                state,
                                (trace, live),
                                (g, counts[gi]),
                                (canvas, 0),
                                (until, theme),
                            ));
                        }
                        painter.rect_filled(
                            Rect::from_min_size(
                                pos2(label.left() - 0.0, label.top() + 4.0),
                                vec2(3.0, label.height() - 8.0),
                            ),
                            0.0,
                            c,
                        );
                    }
                    Row::Area(gi, part) => {
                        let g = &groups[gi];
                        let (_, canvas) = row_cells(ui, row_h);
                        canvases.push(group_area_row(
                            ui,
                            state,
                            (trace, live),
                            (g, counts[gi]),
                            (canvas, part),
                            (until, theme),
                        ));
                        if part + 1 == group_area::AREA_ROWS {
                            ui.painter_at(canvas).hline(
                                canvas.x_range(),
                                canvas.bottom() - 1.0,
                                Stroke::new(1.0, theme.grid),
                            );
                        }
                    }
                    Row::Task(ti) => {
                        let t = &trace.tasks[ti as usize];
                        let (label, canvas) = row_cells(ui, row_h);
                        let selected = state.selection.map(|s| s.task()) == Some(t.id);
                        let mut name = egui::RichText::new(format!("  {}", trace.title(t)));
                        if row_h < ROW_H {
                            // Rows fitted to the screen: the names shrink with them.
                            name = name.size(row_h - 3.0);
                        }
                        let r = ui.put(
                            label.shrink2(vec2(2.0, 0.0)),
                            egui::Button::selectable(selected, name).truncate(),
                        );
                        if r.clicked() {
                            state.selection = Some(Selection::Task(t.id));
                        }
                        if r.hovered() {
                            state.hovered_task = Some(t.id);
                        }
                        let response = ui.interact(
                            canvas,
                            ui.make_persistent_id(("timeline task row", ti)),
                            Sense::click_and_drag(),
                        );
                        if response.hovered() {
                            state.hovered_task = Some(t.id);
                        }
                        if response.clicked() {
                            state.selection = Some(Selection::Task(t.id));
                        }
                        let at = response.hover_pos().map(|p| {
                            state
                                .viewport
                                .time_from_x((p.x - canvas.left()) as f64)
                                .max(0.0) as u64
                        });
                        let states = state.states.borrow_mut().get(trace, ti);
                        let response = match at
                            .and_then(|at| state_text(trace, &states, ti, at, state.lang))
                        {
                            Some(text) => response.on_hover_text_at_pointer(text),
                            None => response,
                        };
                        paint_task_row(ui, state, trace, ti, canvas, (now_ns, until), theme);
                        canvases.push(response);
                    }
                }
            }
        });
    ui.spacing_mut().item_spacing.y = spacing;
    state.cache = cache;
}

/// One row's part of a collapsed group's stacked area, with what the group's tasks are
/// doing under the pointer.
fn group_area_row(
    ui: &mut Ui,
    state: &mut TimelineState,
    (trace, live): (&Trace, bool),
    (g, tasks): (&Group, usize),
    (canvas, part): (Rect, u8),
    (until, theme): (u64, &Theme),
) -> Response {
    let painter = ui.painter_at(canvas);
    let color = theme.group_color(&g.name);
    let vp = state.viewport;
    state.group_areas.paint(
        &painter,
        (trace, live),
        (&g.name, tasks, color),
        &vp,
        canvas,
        part,
        (until, theme, state.lang),
    );
    let response = ui.interact(
        canvas,
        ui.make_persistent_id(("timeline group area", &g.name, part)),
        Sense::click_and_drag(),
    );
    match response.hover_pos() {
        Some(p) => {
            let at = vp.time_from_x((p.x - canvas.left()) as f64).max(0.0) as u64;
            let text = if live && tasks > LIVE_TASK_LIMIT {
                t!(state.lang, "group-counted-at-end")
            } else {
                group_area::counts_text(&state.group_areas.counts_at(&g.name, at), at, state.lang)
            };
            response.on_hover_text_at_pointer(format!("{}: {text}", g.name))
        }
        None => response,
    }
}

/// What task `ti` is doing at `at_ns`, in words: "waiting for a permit: `permit api`
/// (line 22)", "scheduled: woken by the timer / I/O driver", "running on worker-1".
pub fn state_text(
    trace: &Trace,
    states: &[crate::trace::StateSpan],
    ti: u32,
    at_ns: u64,
    l: Language,
) -> Option<String> {
    let s = states
        .iter()
        .find(|s| s.start_ns <= at_ns && at_ns < s.end_ns)?;
    let step = s.step.and_then(|id| trace.steps.get(id as usize));
    let step_text = step.map_or_else(String::new, |st| {
        if matches!(st.kind.as_str(), "await" | "code") {
            // A traced script's line: "at fetch.py:14 (`await session.get(…)`)".
            t!(l, "state-at-code", code = st.label.as_str())
        } else if st.line > 0 {
            t!(
                l,
                "state-step-line",
                step = st.label.as_str(),
                line = st.line
            )
        } else {
            t!(l, "state-step", step = st.label.as_str())
        }
    });
    let took = t!(
        l,
        "state-took",
        duration = axis::format_ns((s.end_ns - s.start_ns) as f64)
    );
    Some(match s.state {
        TaskState::Running => {
            let lane = trace
                .task_polls(ti)
                .iter()
                .find(|r| trace.poll(**r).start_ns == s.start_ns)
                .map_or_else(
                    || t!(l, "state-a-worker"),
                    |r| trace.lanes[r.lane as usize].name.clone(),
                );
            t!(l, "state-running", lane = lane, took = took)
        }
        TaskState::Scheduled => {
            let by = match s.woken_by {
                Some(WakeSource::Task(b)) => t!(
                    l,
                    "state-woken-by-task",
                    task = trace.label(&trace.tasks[b as usize])
                ),
                Some(WakeSource::SelfWake) => t!(l, "state-woken-by-itself"),
                Some(WakeSource::Driver) => t!(l, "state-woken-by-driver"),
                Some(WakeSource::Blocking) => t!(l, "state-woken-by-blocking"),
                None => t!(l, "state-spawned"),
            };
            t!(l, "state-scheduled", by = by, took = took)
        }
        TaskState::Waiting => {
            let phrase = s.wait.unwrap_or(WaitReason::Other).phrase_in(l);
            // An HTTP wait says how its request ended.
            let answer = (s.wait == Some(WaitReason::Http))
                .then(|| {
                    let id = trace.tasks[ti as usize].id;
                    trace.http.iter().find(|h| {
                        h.task == Some(id)
                            && h.start_ns <= s.end_ns
                            && h.end_ns.is_none_or(|e| e >= s.start_ns)
                    })
                })
                .flatten()
                .map_or_else(String::new, |h| {
                    t!(l, "state-answered", outcome = http_outcome(h.status, l))
                });
            // A permit's queue is first come, first served: say how many are ahead.
            let ahead = match (s.wait, s.step) {
                (Some(WaitReason::Permit), Some(step)) => {
                    t!(
                        l,
                        "state-ahead",
                        count = trace.permit_waiters_ahead(ti, step, s.start_ns, at_ns)
                    )
                }
                _ => String::new(),
            };
            format!("{phrase}{step_text}{ahead}{took}{answer}")
        }
    })
}

/// "200", "429 Too Many Requests (refused)", "nothing: the request failed", "not yet".
fn http_outcome(status: Option<u16>, l: Language) -> String {
    match status {
        Some(429) => t!(l, "http-refused"),
        Some(0) => t!(l, "http-failed"),
        Some(s) => s.to_string(),
        None => t!(l, "http-not-yet"),
    }
}

/// Under a task's HTTP waits, a red bar where its request was refused (429) or failed, so
/// they do not look like successes.
fn paint_refused_requests(
    painter: &egui::Painter,
    vp: &Viewport,
    canvas: Rect,
    (trace, ti, until): (&Trace, u32, u64),
    theme: &Theme,
    lang: Language,
) {
    let id = trace.tasks[ti as usize].id;
    let bar = Rect::from_min_max(
        pos2(canvas.left(), canvas.center().y + 4.0),
        pos2(canvas.right(), canvas.center().y + 7.0),
    );
    for h in trace.http.iter().filter(|h| h.task == Some(id)) {
        let (Some(end), Some(status)) = (h.end_ns, h.status) else {
            continue;
        };
        if (status == 429 || status == 0) && h.start_ns < until {
            let r = span_rect(vp, bar, h.start_ns, end.min(until), 2.0);
            painter.rect_filled(r, 0.0, theme.panicked);
            if r.width() > 28.0 {
                painter.text(
                    pos2(r.left() + 2.0, canvas.top()),
                    Align2::LEFT_TOP,
                    if status == 429 {
                        "429".to_string()
                    } else {
                        t!(lang, "http-failed-mark")
                    },
                    FontId::proportional(10.0),
                    theme.panicked,
                );
            }
        }
    }
}

/// Under each poll of a task, a strip in the colour of the worker that polled it, and a
/// tick where the task moved to another worker than its previous poll's (a migration).
fn paint_task_workers(
    painter: &egui::Painter,
    vp: &Viewport,
    canvas: Rect,
    (trace, ti, until): (&Trace, u32, u64),
    (t0, t1): (u64, u64),
    theme: &Theme,
) {
    let polls = trace.task_polls(ti);
    let strip = Rect::from_min_max(
        pos2(canvas.left(), canvas.bottom() - 3.0),
        pos2(canvas.right(), canvas.bottom() - 1.0),
    );
    // Polls are in time order once the run is finished: start at the first visible one.
    let first = polls
        .partition_point(|r| trace.poll(*r).end_ns() < t0)
        .saturating_sub(1);
    let mut prev_lane = first.checked_sub(1).map(|i| polls[i].lane);
    for r in &polls[first..] {
        let p = trace.poll(*r);
        if p.start_ns > t1.min(until) {
            break;
        }
        if trace.lanes[r.lane as usize].kind != LaneKind::Worker {
            continue;
        }
        let rect = span_rect(vp, strip, p.start_ns, p.end_ns().min(until), 1.0);
        painter.rect_filled(rect, 0.0, theme.worker_color(r.lane as usize));
        if prev_lane.is_some_and(|l| l != r.lane) {
            let x = rect.left();
            painter.line_segment(
                [pos2(x, canvas.top() + 1.0), pos2(x, canvas.bottom() - 1.0)],
                Stroke::new(1.5, theme.text),
            );
        }
        prev_lane = Some(r.lane);
    }
}

fn paint_task_row(
    ui: &Ui,
    state: &TimelineState,
    trace: &Trace,
    ti: u32,
    canvas: Rect,
    (now_ns, until): (u64, u64),
    theme: &Theme,
) {
    let t = &trace.tasks[ti as usize];
    let vp = state.viewport;
    let painter = ui.painter_at(canvas);
    if state.selection.map(|s| s.task()) == Some(t.id) {
        painter.rect_filled(canvas, 0.0, theme.selection.gamma_multiply(0.15));
    }
    let color = theme.group_color(&trace.label(t));
    let mid = canvas.center().y;
    let (t0, t1) = vp.visible_ns(canvas.width() as f64);
    let cached = state.states.borrow_mut().get(trace, ti);
    let end_ns = t.end_ns().filter(|&e| e <= until);
    // A finished task shown whole is drawn from the cache as it is; a replay cuts it at
    // its time, and a live task's last state lasts until now.
    let adjusted: Vec<crate::trace::StateSpan>;
    let states: &[crate::trace::StateSpan] = if until == u64::MAX && end_ns.is_some() {
        &cached
    } else {
        let mut v: Vec<_> = cached
            .iter()
            .filter(|s| s.start_ns < until)
            .map(|s| crate::trace::StateSpan {
                end_ns: s.end_ns.min(until),
                ..*s
            })
            .collect();
        if end_ns.is_none()
            && let Some(last) = v.last_mut()
        {
            last.end_ns = last.end_ns.max(now_ns.min(until));
        }
        adjusted = v;
        &adjusted
    };
    let first = states.partition_point(|s| s.end_ns < t0);
    let last = states.partition_point(|s| s.start_ns <= t1);
    let visible = &states[first..last.max(first)];
    let gap_ns = vp.ns_per_px.max(1.0) as u64;
    for item in render_items(visible, gap_ns) {
        match item {
            RenderItem::Single(i) => {
                let s = &visible[i];
                let (h, c, wait) = match (s.state, s.wait) {
                    (TaskState::Running, _) => (canvas.height() - 6.0, color, None),
                    (TaskState::Scheduled, _) => (canvas.height() - 10.0, theme.scheduled, None),
                    // A wait that says what for: a band in its reason's colour and hatch.
                    (TaskState::Waiting, Some(w)) if !matches!(w, WaitReason::Other) => {
                        (8.0, theme.wait_color(w), Some(w))
                    }
                    (TaskState::Waiting, _) => (2.0, theme.idle, None),
                };
                let row =
                    Rect::from_center_size(pos2(canvas.center().x, mid), vec2(canvas.width(), h));
                let min_w = if s.state == TaskState::Waiting {
                    0.0
                } else {
                    1.0
                };
                let r = span_rect(&vp, row, s.start_ns, s.end_ns, min_w);
                match wait {
                    Some(w) => theme.paint_wait(&painter, r, w),
                    None => {
                        painter.rect_filled(r, 0.0, c);
                    }
                }
            }
            RenderItem::Merged {
                start_ns, end_ns, ..
            } => {
                let row = Rect::from_center_size(
                    pos2(canvas.center().x, mid),
                    vec2(canvas.width(), canvas.height() - 8.0),
                );
                painter.rect_filled(
                    span_rect(&vp, row, start_ns, end_ns, 1.0),
                    0.0,
                    color.gamma_multiply(0.55),
                );
            }
        }
    }
    paint_task_workers(&painter, &vp, canvas, (trace, ti, until), (t0, t1), theme);
    paint_refused_requests(&painter, &vp, canvas, (trace, ti, until), theme, state.lang);
    // The task's print lines in view (the lines are in time order: a range, not a scan).
    let id = trace.tasks[ti as usize].id;
    let prints = &trace.prints;
    let (lo, hi) = (
        prints.partition_point(|p| p.ts_ns < t0),
        prints.partition_point(|p| p.ts_ns <= t1.min(until)),
    );
    for line in prints[lo..hi.max(lo)].iter().filter(|p| p.task == Some(id)) {
        let x = canvas.left() + vp.x_from_time(line.ts_ns as f64) as f32;
        crate::ui::legend::paint_print_mark(&painter, pos2(x, canvas.top()), theme);
    }
    if let Some(lp) = trace.in_progress.iter().find(|lp| lp.task == ti) {
        let row = Rect::from_center_size(
            pos2(canvas.center().x, mid),
            vec2(canvas.width(), canvas.height() - 6.0),
        );
        painter.rect_filled(
            span_rect(&vp, row, lp.start_ns, now_ns.max(lp.start_ns), 1.0),
            0.0,
            color,
        );
    }
    let x_of = |ns: u64| canvas.left() + vp.x_from_time(ns as f64) as f32;
    if let Some(s) = t.spawn_ns().filter(|&s| s <= until) {
        let x = x_of(s);
        painter.add(egui::Shape::convex_polygon(
            vec![pos2(x, mid - 5.0), pos2(x + 6.0, mid), pos2(x, mid + 5.0)],
            theme.spawn,
            Stroke::NONE,
        ));
    }
    if let (Some(end), Some(outcome)) = (end_ns, t.outcome) {
        let x = x_of(end);
        match outcome {
            Outcome::Ok => {
                painter.circle_filled(pos2(x, mid), 3.0, theme.text);
            }
            Outcome::Panicked => {
                let s = Stroke::new(2.5, theme.panicked);
                painter.line_segment([pos2(x - 5.0, mid - 5.0), pos2(x + 5.0, mid + 5.0)], s);
                painter.line_segment([pos2(x - 5.0, mid + 5.0), pos2(x + 5.0, mid - 5.0)], s);
            }
            Outcome::Cancelled => paint_cancelled_mark(&painter, pos2(x, mid), theme),
            Outcome::Shutdown => {
                let s = Stroke::new(1.5, theme.cancelled);
                painter.line_segment([pos2(x - 3.0, mid - 3.0), pos2(x + 3.0, mid + 3.0)], s);
                painter.line_segment([pos2(x - 3.0, mid + 3.0), pos2(x + 3.0, mid - 3.0)], s);
            }
        }
    }
}

/// A cancelled task's end (aborted by the scenario): a struck-through circle.
pub(crate) fn paint_cancelled_mark(painter: &egui::Painter, c: egui::Pos2, theme: &Theme) {
    let s = Stroke::new(2.0, theme.text);
    painter.circle_stroke(c, 5.0, s);
    painter.line_segment([c + vec2(-3.5, 3.5), c + vec2(3.5, -3.5)], s);
}

/// In a truncated trace, a line across the lanes where recording stopped: nothing after it
/// is on the timeline.
fn recording_stopped_mark(
    ui: &Ui,
    state: &TimelineState,
    trace: &Trace,
    lanes: &[Rect],
    theme: &Theme,
) {
    let (Some(at), Some(area)) = (
        trace.recorded_until_ns(),
        lanes.iter().copied().reduce(|a, b| a.union(b)),
    ) else {
        return;
    };
    let x = area.left() + state.viewport.x_from_time(at as f64) as f32;
    if !area.x_range().contains(x) {
        return;
    }
    let painter = ui.painter().with_clip_rect(area);
    painter.vline(x, area.y_range(), Stroke::new(2.0, theme.panicked));
    painter.text(
        pos2(x + 4.0, area.top() + 2.0),
        Align2::LEFT_TOP,
        t!(state.lang, "recording-stopped"),
        FontId::proportional(11.0),
        theme.panicked,
    );
}

/// Wake arrows for the hovered task, else the selected one: from where the wake happened
/// (the waking thread's lane) to the poll it caused. Wakes by the driver start on the lane
/// of the thread that ran it.
fn wake_arrows(
    ui: &Ui,
    state: &TimelineState,
    trace: &Trace,
    lanes: &[Rect],
    theme: &Theme,
    until: u64,
) {
    let Some(task_id) = state.hovered_task.or(state.selection.map(|s| s.task())) else {
        return;
    };
    let Some(ti) = trace.task_index(task_id) else {
        return;
    };
    let Some(area) = lanes.iter().copied().reduce(|a, b| a.union(b)) else {
        return;
    };
    let vp = state.viewport;
    let (t0, t1) = vp.visible_ns(area.width() as f64);
    let painter = ui.painter().with_clip_rect(area);
    let stroke = Stroke::new(1.5, theme.wake_arrow);
    for (r, wake) in trace.polls_with_wakes(ti) {
        let Some(w) = wake else { continue };
        let p = trace.poll(r);
        if p.start_ns < t0 || w.ts_ns() > t1 || p.start_ns > until {
            continue;
        }
        let to_lane = lanes.get(r.lane as usize);
        let from_lane = w.lane().and_then(|l| lanes.get(l as usize));
        let (Some(to_lane), Some(from_lane)) = (to_lane, from_lane) else {
            continue;
        };
        let from = pos2(
            to_lane.left() + vp.x_from_time(w.ts_ns() as f64) as f32,
            from_lane.center().y,
        );
        let to = pos2(
            to_lane.left() + vp.x_from_time(p.start_ns as f64) as f32,
            to_lane.center().y,
        );
        painter.circle_filled(from, 2.5, theme.wake_arrow);
        let v = to - from;
        if v.length() > 4.0 {
            painter.arrow(from, v, stroke);
        }
    }
}

/// Zoom, pan, hover and click over every canvas cell.
fn pointer(ui: &Ui, state: &mut TimelineState, canvases: &[Response], axis: Rect) {
    state.canvas_left = axis.left();
    if let Some(pos) = canvases.iter().find_map(|r| r.hover_pos()) {
        let t = state.viewport.time_from_x((pos.x - axis.left()) as f64);
        state.cursor_ns = Some(t.max(0.0) as u64);
    }
    if pan_zoom(ui, &mut state.viewport, canvases, axis.left()) {
        state.follow_live = false;
    }
}

/// Drag or wheel pans, Ctrl+wheel (or pinch) zooms at the pointer, over any of `canvases`
/// (whose left edge is at `left`); true if the view moved.
pub(crate) fn pan_zoom(ui: &Ui, vp: &mut Viewport, canvases: &[Response], left: f32) -> bool {
    let mut moved = false;
    let dragged: f32 = canvases.iter().map(|r| r.drag_delta().x).sum();
    if dragged != 0.0 {
        vp.pan_px(-dragged as f64);
        moved = true;
    }
    if let Some(pos) = canvases.iter().find_map(|r| r.hover_pos()) {
        let (zoom, scroll) = ui.input(|i| (i.zoom_delta(), i.smooth_scroll_delta));
        if zoom != 1.0 {
            vp.zoom_at((pos.x - left) as f64, zoom as f64);
            moved = true;
        }
        if scroll.x != 0.0 {
            vp.pan_px(-scroll.x as f64);
            moved = true;
        }
    }
    moved
}

/// The poll under `pos` on a lane canvas, if any (within 3 px).
pub fn poll_at<'t>(trace: &'t Trace, lane: usize, vp: &Viewport, x: f64) -> Option<&'t PollSpan> {
    let lane = trace.lanes.get(lane)?;
    let t = vp.time_from_x(x);
    let slack = 3.0 * vp.ns_per_px;
    let (a, b) = ((t - slack).max(0.0) as u64, (t + slack).max(0.0) as u64 + 1);
    lane.polls_in(a, b).iter().min_by_key(|p| {
        let mid = (p.start_ns + p.end_ns()) as f64 / 2.0;
        ((mid - t).abs()) as u64
    })
}

/// Summary line for a task's kind and outcome.
pub fn task_kind(kind: TaskKind, l: Language) -> String {
    match kind {
        TaskKind::Async => t!(l, "task-kind-async"),
        TaskKind::Blocking => t!(l, "task-kind-blocking"),
        TaskKind::CpuJob => t!(l, "task-kind-cpu-job"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Lane, ParkSpan, PollOutcome, PollSpan};

    fn lane(polls: &[(u64, u64)], parks: &[(u64, u64)]) -> Lane {
        Lane {
            name: "worker-0".into(),
            kind: LaneKind::Worker,
            polls: polls
                .iter()
                .map(|&(s, e)| PollSpan::new(s, e, 0, PollOutcome::Pending))
                .collect(),
            parks: parks
                .iter()
                .map(|&(start_ns, end_ns)| ParkSpan { start_ns, end_ns })
                .collect(),
        }
    }

    #[test]
    fn lane_shares_count_up_to_the_moment_shown_and_never_pass_100_percent() {
        let a = lane(&[(0, 300), (300, 600)], &[(600, 1000)]);
        let mut totals = LaneTotals::default();
        // A replay at 450: half of the second poll, no sleep yet.
        let s = totals.shares(&a, 450, (None, None));
        assert_eq!((s.busy_ns, s.parked_ns), (450, 0));
        assert_eq!(
            s.text(LaneKind::Worker, Language::English),
            "busy 100% · parked 0% · other 0%"
        );
        // Forward, then back (a replay restarted): the sums follow.
        assert_eq!(totals.shares(&a, 800, (None, None)).parked_ns, 200);
        let back = totals.shares(&a, 100, (None, None));
        assert_eq!((back.busy_ns, back.parked_ns), (100, 0));
        let end = totals.shares(&a, 1000, (None, None));
        assert_eq!(
            end.text(LaneKind::Worker, Language::English),
            "busy 60% · parked 40% · other 0%"
        );
        // The lanes are reordered when a run finishes: another lane at this index starts
        // over instead of adding to the first lane's sums.
        let b = lane(&[(700, 800)], &[(0, 700)]);
        let s = totals.shares(&b, 1000, (None, None));
        assert_eq!((s.busy_ns, s.parked_ns), (100, 700));
        assert_eq!(
            s.text(LaneKind::Worker, Language::English),
            "busy 10% · parked 70% · other 20%"
        );
    }

    #[test]
    fn a_live_lane_counts_the_sleep_and_the_poll_it_is_in() {
        let a = lane(&[(0, 100)], &[]);
        let mut totals = LaneTotals::default();
        let asleep = totals.shares(&a, 1000, (None, Some(200)));
        assert_eq!(
            asleep.text(LaneKind::Worker, Language::English),
            "busy 10% · parked 80% · other 10%"
        );
        let polling = totals.shares(&a, 1000, (Some(500), None));
        assert_eq!(polling.busy_ns, 600);
        // Overlapping reports (a sleep and a live poll from different sources) are cut so
        // the shares add up to at most the time shown.
        let both = totals.shares(&a, 1000, (Some(100), Some(100)));
        assert_eq!(both.busy_ns + both.parked_ns, 1000);
    }
}
