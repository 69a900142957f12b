//! A run as a 16:9 slide (1920×1080, light): the scenario's title and the first sentence of
//! its lesson, the worker lanes, the resource tracks, the task rows (or a group's row of its
//! tasks by state), and a legend of only what is drawn. Runs of a comparison stack on one
//! time axis. Every text has an explicit `font-size` of at least [`MIN_FONT_PX`] and is
//! measured (see `measure`) so that none reaches past an edge; every element that draws a
//! poll, a state or a resource value says what it is in `data-*` attributes, so that tests
//! (ours and users') can read the picture.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::measure::{SLACK, fit, text_width, wrap};
use super::svg::{color as group_color, esc};
use crate::i18n::Language;
use crate::t;
use crate::trace::resources::group_state_field;
use crate::trace::{Counter, LaneKind, PollOutcome, Trace, WaitReason};
use crate::view::Viewport;
use crate::view::axis::{format_ns, tick_step_ns, ticks};
use crate::view::groups::{TaskGroup, task_groups};
use crate::view::lod::{RenderItem, render_items};
use crate::view::palette::{Hatch, hatch_segments, wait_hatch, wait_rgb};
use crate::view::series::{Bins, mean_levels};

pub const WIDTH: f64 = 1920.0;
pub const HEIGHT: f64 = 1080.0;
/// No text on a slide is smaller.
pub const MIN_FONT_PX: f64 = 18.0;

const MARGIN: f64 = 40.0;
const TITLE_PX: f64 = 44.0;
const LESSON_PX: f64 = 28.0;
const LABEL_PX: f64 = 20.0;
const SMALL_PX: f64 = 18.0;
/// The label column left of the plot.
const GUTTER: f64 = 320.0;
const PLOT_X0: f64 = MARGIN + GUTTER;
const PLOT_W: f64 = WIDTH - MARGIN - PLOT_X0;
const GAP: f64 = 10.0;
const LEGEND_LINE: f64 = 32.0;
const AXIS_H: f64 = 30.0;
const HEADING_H: f64 = 34.0;

const INK: &str = "#1a1a1a";
const WEAK: &str = "#555555";
const GRID: &str = "#d0d0d0";
const ROW_BG: [&str; 2] = ["#f7f7f7", "#ececec"];
const SCHEDULED: &str = "#dc8c00";
const PARKED: &str = "#a0b4dc";
const NEVER: &str = "#c0392b";
const LIBRARY_WAIT: &str = "#b4b4b4";
const OTHER_WAIT: &str = "#c8c8c8";

/// One run on the slide.
pub struct SlideRun<'a> {
    pub name: String,
    pub trace: &'a Trace,
    /// Groups shown one row per task whatever their size (the scenario's `[view] expand`).
    pub expand: Vec<String>,
    /// The resource tracks to show, in order (`[view] tracks`); None: every one the run used.
    pub tracks: Option<Vec<String>>,
}

impl<'a> SlideRun<'a> {
    pub fn new(name: impl Into<String>, trace: &'a Trace) -> Self {
        SlideRun {
            name: name.into(),
            trace,
            expand: Vec::new(),
            tracks: None,
        }
    }
}

impl SlideRun<'_> {
    /// With what `sc` (the run's scenario, when known) asks to show first (`[view]`).
    pub fn with_scenario(mut self, sc: Option<&crate::scenario::Scenario>) -> Self {
        if let Some(sc) = sc {
            self.expand = sc.view.expand.clone();
            self.tracks = sc.view.tracks.clone();
        }
        self
    }
}

/// What goes on the slide.
pub struct Slide<'a> {
    pub title: String,
    /// The lesson's first sentence (see [`first_sentence`]).
    pub lesson: String,
    pub runs: Vec<SlideRun<'a>>,
    /// The time range to show (ns); None: the whole of the longest run.
    pub range_ns: Option<(u64, u64)>,
    /// The language of the slide's words (the title and lesson come in already).
    pub lang: Language,
}

/// Names of runs with the runtime each ran on, where that tells them apart: all on tokio
/// stay as they are; otherwise each says its runtime ("Sequential awaits (asyncio)").
pub fn with_runtimes(names: Vec<String>, runtimes: &[crate::trace::Runtime]) -> Vec<String> {
    if runtimes.iter().all(|r| *r == crate::trace::Runtime::Tokio) {
        return names;
    }
    names
        .into_iter()
        .zip(runtimes)
        .map(|(n, r)| {
            let tag = format!("({})", r.as_str());
            if n.ends_with(&tag) {
                n
            } else {
                format!("{n} {tag}")
            }
        })
        .collect()
}

/// The first sentence of a lesson: up to the first full stop followed by a space (or a
/// Chinese full stop), or the first line.
pub fn first_sentence(about: &str) -> String {
    let text = about.split("\n\n").next().unwrap_or("").trim();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = [". ", "。", "! ", "? "]
        .iter()
        .filter_map(|p| text.find(p).map(|i| i + p.trim_end().len()))
        .min();
    match cut {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The fill of a wait: a pattern of its colour and hatch, or a plain colour.
fn wait_fill(w: WaitReason) -> String {
    match (wait_rgb(w), wait_hatch(w)) {
        (Some(_), Hatch::Solid) | (None, _) => wait_plain(w),
        (Some(_), _) => format!("url(#wait-{})", w.as_str()),
    }
}

fn wait_plain(w: WaitReason) -> String {
    match (wait_rgb(w), w) {
        (Some(c), _) => hex(c),
        (None, WaitReason::Never) => NEVER.into(),
        (None, WaitReason::Io) => LIBRARY_WAIT.into(),
        (None, _) => OTHER_WAIT.into(),
    }
}

/// The colour of a resource track's field.
fn field_fill(track: &str, field: &str) -> String {
    let w = |r| hex(wait_rgb(r).unwrap_or([128, 128, 128]));
    match (track.split(' ').next().unwrap_or(""), field) {
        ("http", "200") => w(WaitReason::Http),
        ("http", "429") => w(WaitReason::Permit),
        ("http", "other") => w(WaitReason::ChannelSend),
        ("http", "error") => NEVER.into(),
        ("http", _) => "#999999".into(),
        (_, "waiting") => "#f0b27a".into(),
        ("channel", _) => w(WaitReason::ChannelRecv),
        ("blocking", "running") => w(WaitReason::Blocking),
        ("cpu", "running") => w(WaitReason::CpuPool),
        _ => "#4d4d4d".into(),
    }
}

fn field_words(track: &str, field: &str, l: Language) -> String {
    match (track.split(' ').next().unwrap_or(""), field) {
        ("http", "200") => t!(l, "slide-http-200"),
        ("http", "429") => t!(l, "slide-http-429"),
        ("http", "other") => t!(l, "slide-http-other"),
        ("http", "error") => t!(l, "slide-http-error"),
        ("http", _) => t!(l, "slide-http-cancelled"),
        ("semaphore", "held") => t!(l, "slide-permit-held"),
        ("semaphore", "waiting") => t!(l, "slide-permit-waiting"),
        ("channel", _) => t!(l, "slide-message-queued"),
        ("blocking", "running") => t!(l, "slide-blocking-running"),
        ("blocking", "waiting") => t!(l, "slide-blocking-waiting"),
        ("cpu", "running") => t!(l, "slide-cpu-running"),
        ("cpu", "waiting") => t!(l, "slide-cpu-waiting"),
        (_, f) => f.into(),
    }
}

/// What a row of the slide shows.
enum Block<'g> {
    Lane(usize),
    Track(usize),
    /// A group one row per task.
    Tasks(&'g TaskGroup),
    /// A group as one row of its tasks by state.
    Area(&'g TaskGroup),
}

impl Block<'_> {
    /// (least, ideal, most) height.
    fn heights(&self) -> (f64, f64, f64) {
        match self {
            Block::Lane(_) => (24.0, 40.0, 54.0),
            Block::Track(_) => (44.0, 72.0, 110.0),
            Block::Tasks(g) => {
                let n = g.tasks.len() as f64;
                (
                    (4.0 * n).max(26.0),
                    (26.0 * n).max(30.0),
                    (40.0 * n).max(44.0),
                )
            }
            Block::Area(g) if g.library => (28.0, 44.0, 60.0),
            Block::Area(_) => (48.0, 110.0, 200.0),
        }
    }
}

/// One run's blocks and their heights.
struct RunLayout<'g> {
    blocks: Vec<(Block<'g>, f64)>,
}

fn block_list<'g>(
    run: &SlideRun<'_>,
    groups: &'g [TaskGroup],
    tracks: usize,
    collapsed: &BTreeSet<usize>,
) -> Vec<Block<'g>> {
    let mut blocks: Vec<Block<'g>> = (0..run.trace.lanes.len()).map(Block::Lane).collect();
    blocks.extend((0..tracks).map(Block::Track));
    for (i, g) in groups.iter().enumerate() {
        let open = run.expand.contains(&g.name) || g.expanded_by_default();
        blocks.push(if open && !collapsed.contains(&i) {
            Block::Tasks(g)
        } else {
            Block::Area(g)
        });
    }
    blocks
}

/// Heights for `runs`' blocks in `budget` px: groups that do not fit one row per task are
/// collapsed, largest first; then every block gets its least height plus the same share of
/// what is left, up to its ideal, and beyond it (to its most) if room remains.
fn layout<'g>(
    runs: &[SlideRun<'_>],
    groups: &'g [Vec<TaskGroup>],
    tracks: &[Vec<(Counter, Option<u64>)>],
    budget: f64,
) -> Vec<RunLayout<'g>> {
    let mut collapsed: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); runs.len()];
    let lists = loop {
        let lists: Vec<Vec<Block<'g>>> = runs
            .iter()
            .enumerate()
            .map(|(r, run)| block_list(run, &groups[r], tracks[r].len(), &collapsed[r]))
            .collect();
        let least: f64 = lists.iter().flatten().map(|b| b.heights().0 + GAP).sum();
        if least <= budget {
            break lists;
        }
        // The largest group still open, over all runs.
        let largest = lists
            .iter()
            .enumerate()
            .flat_map(|(r, bl)| {
                bl.iter().filter_map(move |b| match b {
                    Block::Tasks(g) if g.tasks.len() > 1 => Some((g.tasks.len(), r, *g)),
                    _ => None,
                })
            })
            .max_by_key(|(n, ..)| *n);
        match largest {
            Some((_, r, g)) => {
                let i = groups[r]
                    .iter()
                    .position(|x| std::ptr::eq(x, g))
                    .unwrap_or_default();
                collapsed[r].insert(i);
            }
            None => break lists,
        }
    };
    let all: Vec<(f64, f64, f64)> = lists.iter().flatten().map(Block::heights).collect();
    let gaps = GAP * all.len() as f64;
    let sum = |f: fn(&(f64, f64, f64)) -> f64| all.iter().map(f).sum::<f64>();
    let (least, ideal, most) = (sum(|h| h.0), sum(|h| h.1), sum(|h| h.2));
    let room = budget - gaps;
    let height = |h: (f64, f64, f64)| -> f64 {
        if room <= least {
            h.0 * (room / least.max(1.0)).max(0.0)
        } else if room <= ideal {
            h.0 + (h.1 - h.0) * (room - least) / (ideal - least).max(1e-9)
        } else {
            h.1 + (h.2 - h.1) * ((room - ideal) / (most - ideal).max(1e-9)).min(1.0)
        }
    };
    lists
        .into_iter()
        .map(|bl| RunLayout {
            blocks: bl
                .into_iter()
                .map(|b| {
                    let h = height(b.heights());
                    (b, h)
                })
                .collect(),
        })
        .collect()
}

/// What the legend lists: only what was drawn.
#[derive(Default)]
struct Drawn {
    /// The language the legend's words are in.
    lang: Language,
    groups: Vec<String>,
    scheduled: bool,
    waits: BTreeSet<WaitReason>,
    parked: bool,
    ready: bool,
    fields: Vec<(String, String)>,
    refused: bool,
}

impl Drawn {
    fn group(&mut self, name: &str) {
        if !self.groups.iter().any(|g| g == name) {
            self.groups.push(name.to_string());
        }
    }

    fn field(&mut self, track: &str, field: &str) {
        let key = (
            field_fill(track, field),
            field_words(track, field, self.lang),
        );
        if !self.fields.contains(&key) {
            self.fields.push(key);
        }
    }
}

/// The SVG document of the slide.
pub fn render(slide: &Slide<'_>) -> String {
    let longest = slide
        .runs
        .iter()
        .map(|r| r.trace.end_ns())
        .max()
        .unwrap_or(0);
    let (start, end) = slide.range_ns.unwrap_or((0, longest.max(1)));
    let end = end.max(start + 1);
    let mut vp = Viewport::default();
    vp.fit(start as f64, end as f64, PLOT_W, 0.0);

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" data-kind="slide">"#
    );
    defs(&mut out);
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);

    // Title, lesson, and one line of facts.
    let text_w = WIDTH - 2.0 * MARGIN;
    let mut y = MARGIN + TITLE_PX * 0.8;
    text(
        &mut out,
        "title",
        MARGIN,
        y,
        TITLE_PX,
        INK,
        &fit(&slide.title, TITLE_PX, text_w),
    );
    y += 14.0;
    for line in wrap(&slide.lesson, LESSON_PX, text_w, 2) {
        y += LESSON_PX * 1.25;
        text(&mut out, "lesson", MARGIN, y, LESSON_PX, INK, &line);
    }
    y += SMALL_PX * 1.5;
    text(
        &mut out,
        "facts",
        MARGIN,
        y,
        SMALL_PX,
        WEAK,
        &fit(&facts(slide, (start, end)), SMALL_PX, text_w),
    );
    let header_bottom = y + 12.0;

    // The legend lists what the body drew, and its height is taken from the body's room:
    // draw the body for a guess of the legend's lines until the guess is right.
    let groups: Vec<Vec<TaskGroup>> = slide.runs.iter().map(|r| task_groups(r.trace)).collect();
    let tracks: Vec<Vec<(Counter, Option<u64>)>> = slide
        .runs
        .iter()
        .map(|r| r.trace.resource_tracks(r.tracks.as_deref()))
        .collect();
    let parts = Parts {
        slide,
        groups: &groups,
        tracks: &tracks,
        vp: &vp,
        range: (start, end),
        header_bottom,
        series: Default::default(),
    };
    let mut lines = 2;
    let mut attempts = 0;
    let (body, items) = loop {
        let mut body = String::new();
        let drawn = parts.body(&mut body, lines);
        let items = legend_items(&drawn);
        let need = legend_rows(&items).len().max(1);
        attempts += 1;
        // Fewer lines than room is fine after a few tries (the guess could swing).
        if need == lines || (need < lines && attempts >= 3) {
            break (body, items);
        }
        lines = need;
    };
    out.push_str(&body);
    legend(
        &mut out,
        &items,
        HEIGHT - MARGIN - lines as f64 * LEGEND_LINE + LEGEND_LINE * 0.7,
    );
    out.push_str("</svg>\n");
    out
}

/// What the body of a slide is drawn from.
struct Parts<'s, 'a> {
    slide: &'s Slide<'a>,
    groups: &'s [Vec<TaskGroup>],
    tracks: &'s [Vec<(Counter, Option<u64>)>],
    vp: &'s Viewport,
    range: (u64, u64),
    header_bottom: f64,
    /// The group rows' series by (run, group), built once for every try at the legend.
    series: std::cell::RefCell<std::collections::HashMap<(usize, String), Counter>>,
}

impl Parts<'_, '_> {
    /// The axis, the grid and every run's blocks, above a legend of `legend_lines`; returns
    /// what was drawn.
    fn body(&self, out: &mut String, legend_lines: usize) -> Drawn {
        let (slide, groups, tracks, vp) = (self.slide, self.groups, self.tracks, self.vp);
        let (start, end) = self.range;
        let header_bottom = self.header_bottom;
        let text_w = WIDTH - 2.0 * MARGIN;
        let body_top = header_bottom + AXIS_H;
        let body_bottom = HEIGHT - MARGIN - legend_lines as f64 * LEGEND_LINE - GAP;
        let headings = if slide.runs.len() > 1 {
            HEADING_H * slide.runs.len() as f64
        } else {
            0.0
        };
        let plan = layout(
            &slide.runs,
            groups,
            tracks,
            body_bottom - body_top - headings,
        );

        // The axis, and the grid over the whole body.
        let step = tick_step_ns(vp.ns_per_px, 150.0);
        for t in ticks(start as f64, end as f64, step) {
            let x = PLOT_X0 + vp.x_from_time(t);
            let label = format_ns(t);
            let fits = x + text_width(&label, SMALL_PX) * SLACK <= WIDTH - MARGIN / 2.0;
            let _ = writeln!(
                out,
                r#"<line data-kind="grid" x1="{x:.2}" y1="{:.1}" x2="{x:.2}" y2="{body_bottom:.1}" stroke="{GRID}"/>"#,
                body_top - 6.0
            );
            if fits {
                text(
                    out,
                    "tick",
                    x + 4.0,
                    body_top - 10.0,
                    SMALL_PX,
                    WEAK,
                    &label,
                );
            }
        }

        let mut drawn = Drawn {
            lang: slide.lang,
            ..Drawn::default()
        };
        let mut y = body_top;
        for (r, (run, lay)) in slide.runs.iter().zip(&plan).enumerate() {
            let _ = writeln!(
                out,
                r#"<g data-kind="run" data-run="{}" data-name="{}">"#,
                r + 1,
                esc(&run.name)
            );
            if slide.runs.len() > 1 {
                let heading = format!(
                    "[{}] {} · {}",
                    r + 1,
                    run.name,
                    format_ns(run.trace.wall_ns as f64)
                );
                let _ = writeln!(
                    out,
                    r#"<rect x="{MARGIN}" y="{y:.1}" width="{text_w}" height="{HEADING_H}" fill="white"/>"#
                );
                text(
                    out,
                    "section",
                    MARGIN,
                    y + HEADING_H * 0.72,
                    LABEL_PX,
                    INK,
                    &fit(&heading, LABEL_PX, text_w),
                );
                y += HEADING_H;
            }
            for (i, (block, h)) in lay.blocks.iter().enumerate() {
                let ctx = Ctx {
                    lang: slide.lang,
                    trace: run.trace,
                    vp,
                    range: (start, end),
                    top: y,
                    h: *h,
                    bg: ROW_BG[i % 2],
                };
                match block {
                    Block::Lane(l) => lane(out, &ctx, *l, &mut drawn),
                    Block::Track(t) => track(out, &ctx, &tracks[r][*t], &mut drawn),
                    Block::Tasks(g) => task_rows(out, &ctx, g, &mut drawn),
                    Block::Area(g) => {
                        let mut cache = self.series.borrow_mut();
                        let series = cache
                            .entry((r, g.name.clone()))
                            .or_insert_with(|| run.trace.group_state_series(&g.name));
                        area(out, &ctx, g, series, &mut drawn);
                    }
                }
                y += h + GAP;
            }
            out.push_str("</g>\n");
        }
        drawn
    }
}

/// "3.16 s run · 4 worker threads · 21 tasks · 116 polls", per run.
fn facts(slide: &Slide<'_>, (start, end): (u64, u64)) -> String {
    let mut parts: Vec<String> = Vec::new();
    for run in &slide.runs {
        let t = run.trace;
        let workers = t
            .lanes
            .iter()
            .filter(|l| l.kind == LaneKind::Worker)
            .count();
        let of = |kind| t.lanes.iter().filter(|l| l.kind == kind).count();
        let (blocking, cpu) = (of(LaneKind::Blocking), of(LaneKind::Cpu));
        let l = slide.lang;
        let mut s = if slide.runs.len() > 1 {
            format!("{}: ", run.name)
        } else {
            String::new()
        };
        s += &t!(
            l,
            "slide-run-facts",
            wall = format_ns(t.wall_ns as f64),
            workers = workers
        );
        if blocking > 0 {
            s += &t!(l, "slide-blocking-threads", count = blocking);
        }
        if cpu > 0 {
            s += &t!(l, "slide-cpu-threads", count = cpu);
        }
        s += &t!(l, "slide-tasks", count = t.tasks.len());
        parts.push(s);
    }
    if slide.range_ns.is_some() {
        parts.push(t!(
            slide.lang,
            "slide-showing",
            from = format_ns(start as f64),
            to = format_ns(end as f64)
        ));
    }
    parts.join("   ·   ")
}

/// One wait pattern per hatched reason, and one hatch per `Hatch`.
fn defs(out: &mut String) {
    out.push_str("<defs>\n");
    const TILE: f32 = 12.0;
    for w in WaitReason::ALL {
        let (Some(rgb), hatch) = (wait_rgb(w), wait_hatch(w)) else {
            continue;
        };
        if hatch == Hatch::Solid {
            continue;
        }
        let _ = write!(
            out,
            r#"<pattern id="wait-{}" patternUnits="userSpaceOnUse" width="{TILE}" height="{TILE}"><rect width="{TILE}" height="{TILE}" fill="{}"/><path d=""#,
            w.as_str(),
            hex(rgb)
        );
        for [x0, y0, x1, y1] in hatch_segments(hatch, [0.0, 0.0, TILE, TILE], TILE / 2.0) {
            let _ = write!(out, "M{x0:.2},{y0:.2}L{x1:.2},{y1:.2}");
        }
        let width = if hatch == Hatch::Dots { 3.0 } else { 1.8 };
        let _ = writeln!(
            out,
            r#"" stroke="white" stroke-opacity="0.85" stroke-width="{width}" stroke-linecap="round"/></pattern>"#
        );
    }
    out.push_str("</defs>\n");
}

fn text(out: &mut String, class: &str, x: f64, y: f64, px: f64, fill: &str, s: &str) {
    let _ = writeln!(
        out,
        r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="{px}" fill="{fill}">{}</text>"#,
        esc(s)
    );
}

/// Where a block is drawn.
struct Ctx<'a> {
    lang: Language,
    trace: &'a Trace,
    vp: &'a Viewport,
    range: (u64, u64),
    top: f64,
    h: f64,
    bg: &'static str,
}

impl Ctx<'_> {
    fn x(&self, t: u64) -> f64 {
        PLOT_X0 + self.vp.x_from_time(t as f64)
    }

    fn background(&self, out: &mut String) {
        let _ = writeln!(
            out,
            r#"<rect x="{MARGIN}" y="{:.1}" width="{}" height="{:.1}" fill="{}"/>"#,
            self.top,
            GUTTER + PLOT_W,
            self.h,
            self.bg
        );
    }

    /// The block's label (and a second, smaller line when there is room), cut to the gutter.
    fn label(&self, out: &mut String, name: &str, detail: Option<&str>) {
        let w = GUTTER - 16.0;
        let two = detail.is_some() && self.h >= LABEL_PX + SMALL_PX + 12.0;
        let mid = self.top + self.h / 2.0;
        if two {
            let d = detail.unwrap_or_default();
            // The CJK font's line box is taller: the two lines move apart a little.
            let cjk = if d.chars().any(|c| c >= '\u{2E80}') {
                3.0
            } else {
                0.0
            };
            text(
                out,
                "label",
                MARGIN + 8.0,
                mid - 3.0 - cjk,
                LABEL_PX,
                INK,
                &fit(name, LABEL_PX, w),
            );
            text(
                out,
                "label-detail",
                MARGIN + 8.0,
                mid + SMALL_PX + cjk,
                SMALL_PX,
                WEAK,
                &fit(d, SMALL_PX, w),
            );
        } else {
            text(
                out,
                "label",
                MARGIN + 8.0,
                mid + LABEL_PX * 0.35,
                LABEL_PX,
                INK,
                &fit(name, LABEL_PX, w),
            );
        }
    }
}

fn lane(out: &mut String, c: &Ctx<'_>, li: usize, drawn: &mut Drawn) {
    let trace = c.trace;
    let lane = &trace.lanes[li];
    c.background(out);
    let (start, end) = c.range;
    let busy_ns: u64 = lane
        .polls_in(start, end)
        .iter()
        .map(|p| p.end_ns().min(end).saturating_sub(p.start_ns.max(start)))
        .sum();
    let busy = (busy_ns as f64 * 100.0 / (end - start).max(1) as f64).round();
    c.label(
        out,
        &lane.name,
        Some(&t!(c.lang, "lane-shares", busy = busy)),
    );
    let (bar_y, bar_h) = (c.top + 3.0, c.h - 6.0);
    for p in lane.parks_in(start, end) {
        let (a, b) = (c.x(p.start_ns.max(start)), c.x(p.end_ns.min(end)));
        if b - a >= 0.5 {
            drawn.parked = true;
            let _ = writeln!(
                out,
                r#"<rect data-kind="park" x="{a:.2}" y="{:.1}" width="{:.2}" height="{:.1}" fill="{PARKED}"/>"#,
                c.top + c.h * 0.7,
                b - a,
                c.h * 0.3
            );
        }
    }
    let polls = lane.polls_in(start, end);
    let gap_ns = c.vp.ns_per_px.max(1.0) as u64;
    for item in render_items(polls, gap_ns) {
        match item {
            RenderItem::Single(i) => {
                let p = &polls[i];
                let t = &trace.tasks[p.task as usize];
                let label = trace.label(t);
                drawn.group(&label);
                let (a, b) = (c.x(p.start_ns.max(start)), c.x(p.end_ns().min(end)));
                let w = (b - a).max(1.0);
                let ready = p.outcome() == PollOutcome::Ready;
                let _ = writeln!(
                    out,
                    r#"<rect data-kind="poll" data-state="running" data-task="{}" data-group="{}" data-outcome="{}" x="{a:.2}" y="{bar_y:.1}" width="{w:.2}" height="{bar_h:.1}" fill="{}"/>"#,
                    t.id,
                    esc(&label),
                    p.outcome().as_str(),
                    group_color(&label),
                );
                if ready && w >= 5.0 {
                    drawn.ready = true;
                    let _ = writeln!(
                        out,
                        r#"<rect data-kind="ready-mark" x="{:.2}" y="{bar_y:.1}" width="2.5" height="{bar_h:.1}" fill="{INK}"/>"#,
                        a + w - 2.5
                    );
                }
            }
            RenderItem::Merged {
                first,
                last,
                start_ns,
                end_ns,
            } => {
                let labels: BTreeSet<String> = polls[first..=last]
                    .iter()
                    .map(|p| trace.label(&trace.tasks[p.task as usize]))
                    .collect();
                let group = labels.iter().next().cloned().unwrap_or_default();
                for l in &labels {
                    drawn.group(l);
                }
                let group_attr = if labels.len() == 1 {
                    format!(r#" data-group="{}""#, esc(&group))
                } else {
                    String::new()
                };
                let (a, b) = (c.x(start_ns.max(start)), c.x(end_ns.min(end)));
                let _ = writeln!(
                    out,
                    r#"<rect data-kind="poll" data-state="running" data-count="{}"{group_attr} x="{a:.2}" y="{bar_y:.1}" width="{:.2}" height="{bar_h:.1}" fill="{}"/>"#,
                    last - first + 1,
                    (b - a).max(1.0),
                    group_color(&group),
                );
            }
        }
    }
}

/// Columns over the plot for the range, and the x of the first.
fn columns(c: &Ctx<'_>) -> (Bins, f64, f64) {
    let (start, end) = c.range;
    let (x0, x1) = (c.x(start), c.x(end));
    let cols = ((x1 - x0).round() as usize).clamp(1, PLOT_W as usize);
    (
        Bins::over(start as f64, end as f64, cols),
        x0,
        (x1 - x0) / cols as f64,
    )
}

/// Stacked levels per column as rects, one per run of equal (base, value) per field.
#[allow(clippy::too_many_arguments)]
fn stacked(
    out: &mut String,
    c: &Ctx<'_>,
    levels: &[Vec<f64>],
    scale_max: f64,
    (x0, col_w): (f64, f64),
    fields: &[&'static str],
    attrs: &dyn Fn(usize, f64) -> Option<(String, String)>,
) {
    let inner_h = c.h - 6.0;
    let bottom = c.top + c.h - 3.0;
    for f in 0..fields.len() {
        // (base, value) per column.
        let pairs: Vec<(f64, f64)> = levels
            .iter()
            .map(|bin| (bin[..f].iter().sum::<f64>(), bin[f]))
            .collect();
        let mut i = 0;
        while i < pairs.len() {
            let round = |v: f64| (v * 100.0).round() / 100.0;
            let (b, v) = (round(pairs[i].0), round(pairs[i].1));
            let mut j = i + 1;
            while j < pairs.len() && round(pairs[j].0) == b && round(pairs[j].1) == v {
                j += 1;
            }
            if v > 0.0
                && let Some((attr, fill)) = attrs(f, v)
            {
                let y1 = bottom - b / scale_max * inner_h;
                let h = v / scale_max * inner_h;
                let _ = writeln!(
                    out,
                    r#"<rect {attr} data-value="{v}" x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{fill}"/>"#,
                    x0 + i as f64 * col_w,
                    y1 - h,
                    (j - i) as f64 * col_w,
                    h
                );
            }
            i = j;
        }
    }
}

fn track(
    out: &mut String,
    c: &Ctx<'_>,
    (counter, size): &(Counter, Option<u64>),
    drawn: &mut Drawn,
) {
    c.background(out);
    let peak = counter.max_total();
    let detail = match size {
        Some(n) if counter.name.starts_with("semaphore") => {
            t!(c.lang, "slide-permits-peak", permits = *n, peak = peak)
        }
        Some(n) => t!(c.lang, "slide-capacity-peak", capacity = *n, peak = peak),
        None => t!(c.lang, "track-peak", peak = peak),
    };
    c.label(
        out,
        &crate::trace::resources::track_title(&counter.name, c.lang),
        Some(&detail),
    );
    let (bins, x0, col_w) = columns(c);
    let levels = mean_levels(counter, &bins);
    let scale_max = peak.max(size.unwrap_or(0)).max(1) as f64;
    let name = counter.name.clone();
    for (f, field) in counter.fields.iter().enumerate() {
        if levels.iter().any(|b| b[f] > 0.0) {
            drawn.field(&name, field);
        }
    }
    stacked(
        out,
        c,
        &levels,
        scale_max,
        (x0, col_w),
        &counter.fields,
        &|f, _| {
            Some((
                format!(
                    r#"data-kind="resource" data-resource="{}" data-field="{}""#,
                    esc(&name),
                    counter.fields[f]
                ),
                field_fill(&name, counter.fields[f]),
            ))
        },
    );
    if let Some(n) = size {
        let y = c.top + c.h - 3.0 - *n as f64 / scale_max * (c.h - 6.0);
        let _ = writeln!(
            out,
            r#"<line data-kind="capacity" data-value="{n}" x1="{PLOT_X0}" y1="{y:.2}" x2="{:.1}" y2="{y:.2}" stroke="{INK}" stroke-width="2" stroke-dasharray="8 5"/>"#,
            PLOT_X0 + PLOT_W
        );
    }
}

fn state_of_field(f: usize) -> (&'static str, Option<WaitReason>) {
    match f {
        0 => ("running", None),
        1 => ("scheduled", None),
        _ => ("waiting", WaitReason::ALL.get(f - 2).copied()),
    }
}

fn state_fill(f: usize, group: &str) -> String {
    match state_of_field(f) {
        ("running", _) => group_color(group),
        ("scheduled", _) => SCHEDULED.into(),
        (_, w) => wait_fill(w.unwrap_or(WaitReason::Other)),
    }
}

fn state_attrs(f: usize) -> String {
    match state_of_field(f) {
        (s, Some(w)) => format!(r#"data-state="{s}" data-wait="{}""#, w.as_str()),
        (s, None) => format!(r#"data-state="{s}""#),
    }
}

fn note_state(drawn: &mut Drawn, f: usize, group: &str) {
    match state_of_field(f) {
        ("running", _) => drawn.group(group),
        ("scheduled", _) => drawn.scheduled = true,
        (_, w) => {
            drawn.waits.insert(w.unwrap_or(WaitReason::Other));
        }
    }
}

/// One row per task: per pixel column the state it spent most of that column in (running
/// wins from a third, so that short polls still show), in runs of equal state.
fn task_rows(out: &mut String, c: &Ctx<'_>, g: &TaskGroup, drawn: &mut Drawn) {
    c.background(out);
    let n = g.tasks.len();
    let detail = t!(c.lang, "slide-group-tasks", count = n);
    c.label(out, &g.name, Some(&detail));
    let (bins, x0, col_w) = columns(c);
    let row_h = c.h / n.max(1) as f64;
    let fields = 2 + WaitReason::ALL.len();
    for (k, &ti) in g.tasks.iter().enumerate() {
        let task = &c.trace.tasks[ti as usize];
        let mut by_field: Vec<Vec<(u64, u64)>> = vec![Vec::new(); fields];
        for s in c.trace.task_states(ti) {
            by_field[group_state_field(s.state, s.wait)].push((s.start_ns, s.end_ns));
        }
        let mut share = vec![vec![0.0f64; fields]; bins.bins];
        for (f, spans) in by_field.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            let level = crate::view::series::mean_level(spans.iter().copied(), &bins);
            for (col, v) in level.into_iter().enumerate() {
                share[col][f] = v;
            }
        }
        let dominant: Vec<Option<usize>> = share
            .iter()
            .map(|col| {
                let total: f64 = col.iter().sum();
                if total <= 0.0 {
                    None
                } else if col[0] > 0.0 {
                    Some(0)
                } else {
                    col.iter()
                        .enumerate()
                        .max_by(|a, b| a.1.total_cmp(b.1))
                        .map(|(i, _)| i)
                }
            })
            .collect();
        let row_top = c.top + k as f64 * row_h;
        let mut i = 0;
        while i < dominant.len() {
            let mut j = i + 1;
            while j < dominant.len() && dominant[j] == dominant[i] {
                j += 1;
            }
            if let Some(f) = dominant[i] {
                note_state(drawn, f, &g.name);
                let frac = match f {
                    0 => 1.0,
                    1 => 0.8,
                    _ => 0.6,
                };
                let h = (row_h - 2.0).max(1.0) * frac;
                let _ = writeln!(
                    out,
                    r#"<rect data-kind="state" {} data-task="{}" data-group="{}" x="{:.2}" y="{:.2}" width="{:.2}" height="{h:.2}" fill="{}"/>"#,
                    state_attrs(f),
                    task.id,
                    esc(&g.name),
                    x0 + i as f64 * col_w,
                    row_top + (row_h - h) / 2.0,
                    (j - i) as f64 * col_w,
                    state_fill(f, &g.name)
                );
            }
            i = j;
        }
        refused_marks(out, c, task.id, (row_top, row_h), drawn);
    }
}

/// A red tick under each refused (429) or failed request of a task.
fn refused_marks(
    out: &mut String,
    c: &Ctx<'_>,
    task: crate::trace::TaskId,
    (row_top, row_h): (f64, f64),
    drawn: &mut Drawn,
) {
    let (start, end) = c.range;
    for h in c.trace.http.iter().filter(|h| h.task == Some(task)) {
        let (Some(e), Some(status)) = (h.end_ns, h.status) else {
            continue;
        };
        if (status == 429 || status == 0) && e > start && h.start_ns < end {
            drawn.refused = true;
            let (a, b) = (c.x(h.start_ns.max(start)), c.x(e.min(end)));
            let _ = writeln!(
                out,
                r#"<rect data-kind="refused" data-status="{status}" data-task="{task}" x="{a:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{NEVER}"/>"#,
                row_top + row_h * 0.75,
                (b - a).max(3.0),
                (row_h * 0.25).max(2.0)
            );
        }
    }
}

/// A group as one row: its tasks stacked by state, per pixel column.
fn area(out: &mut String, c: &Ctx<'_>, g: &TaskGroup, series: &Counter, drawn: &mut Drawn) {
    c.background(out);
    let n = g.tasks.len();
    let detail = t!(c.lang, "slide-group-by-state", count = n);
    c.label(out, &g.name, Some(&detail));
    let (bins, x0, col_w) = columns(c);
    let levels = mean_levels(series, &bins);
    for f in 0..series.fields.len() {
        if levels.iter().any(|b| b[f] > 0.0) {
            note_state(drawn, f, &g.name);
        }
    }
    let name = g.name.clone();
    stacked(
        out,
        c,
        &levels,
        n.max(1) as f64,
        (x0, col_w),
        &series.fields,
        &|f, _| {
            Some((
                format!(
                    r#"data-kind="group" data-group="{}" {}"#,
                    esc(&name),
                    state_attrs(f)
                ),
                state_fill(f, &name),
            ))
        },
    );
}

/// A legend item: its swatch's fill and its words.
struct Item {
    fill: String,
    words: String,
    /// A thin bar (a mark), not a block.
    mark: bool,
}

fn legend_items(d: &Drawn) -> Vec<Item> {
    let l = d.lang;
    let item = |fill: String, words: String| Item {
        fill,
        words,
        mark: false,
    };
    let mut items: Vec<Item> = d
        .groups
        .iter()
        .map(|g| {
            item(
                group_color(g),
                t!(l, "slide-group-running", group = g.as_str()),
            )
        })
        .collect();
    if d.ready {
        items.push(Item {
            fill: INK.into(),
            words: t!(l, "slide-end-mark"),
            mark: true,
        });
    }
    if d.scheduled {
        items.push(item(SCHEDULED.into(), t!(l, "legend-scheduled")));
    }
    for w in &d.waits {
        items.push(item(wait_fill(*w), w.phrase_in(l)));
    }
    if d.parked {
        items.push(item(PARKED.into(), t!(l, "slide-parked")));
    }
    for (fill, words) in &d.fields {
        items.push(item(fill.clone(), words.clone()));
    }
    if d.refused {
        items.push(Item {
            fill: NEVER.into(),
            words: t!(l, "slide-refused"),
            mark: true,
        });
    }
    items
}

const SWATCH_W: f64 = 30.0;

/// Items in rows that fit the slide's width.
fn legend_rows(items: &[Item]) -> Vec<Vec<(f64, usize, String)>> {
    let max_x = WIDTH - MARGIN;
    let mut rows: Vec<Vec<(f64, usize, String)>> = vec![Vec::new()];
    let mut x = MARGIN;
    for (i, it) in items.iter().enumerate() {
        let words = fit(&it.words, SMALL_PX, max_x - MARGIN - SWATCH_W - 8.0);
        let w = SWATCH_W + 8.0 + text_width(&words, SMALL_PX) * SLACK;
        if x + w > max_x && x > MARGIN {
            rows.push(Vec::new());
            x = MARGIN;
        }
        if let Some(row) = rows.last_mut() {
            row.push((x, i, words));
        }
        x += w + 28.0;
    }
    rows
}

fn legend(out: &mut String, items: &[Item], first_baseline: f64) {
    for (r, row) in legend_rows(items).into_iter().enumerate() {
        let y = first_baseline + r as f64 * LEGEND_LINE;
        for (x, i, words) in row {
            let it = &items[i];
            let (w, dx) = if it.mark {
                (6.0, 12.0)
            } else {
                (SWATCH_W, 0.0)
            };
            let _ = writeln!(
                out,
                r#"<rect data-kind="legend-swatch" x="{:.1}" y="{:.1}" width="{w}" height="18" fill="{}"/>"#,
                x + dx,
                y - 15.0,
                it.fill
            );
            text(out, "legend", x + SWATCH_W + 8.0, y, SMALL_PX, INK, &words);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::trace::{Batch, Event, EventKind};

    /// One task polled three times, the run ending at `end_ns`.
    fn trace(end_ns: u64) -> Trace {
        let mut t = Trace::new("Demo");
        let mut events = crate::trace::event::named_spawn(0, 1, "fetch").to_vec();
        for (s, e) in [
            (0, end_ns / 10),
            (end_ns / 2, end_ns / 2 + 1000),
            (end_ns - 5000, end_ns),
        ] {
            events.push(Event {
                ts_ns: s,
                kind: EventKind::PollStart { task: 1 },
            });
            events.push(Event {
                ts_ns: e,
                kind: EventKind::PollEnd { task: 1 },
            });
        }
        t.ingest(Batch { thread: 0, events });
        t.wall_ns = end_ns;
        t.finish();
        t
    }

    /// Every text's box, as usvg lays it out with the PNG's fonts.
    fn text_boxes(svg: &str) -> Vec<(String, f32, f32)> {
        let tree =
            resvg::usvg::Tree::from_str(svg, &super::super::png::usvg_options()).expect("parses");
        let mut out = Vec::new();
        for n in tree.root().children() {
            if let resvg::usvg::Node::Text(t) = n {
                let b = t.abs_bounding_box();
                let s: String = t.chunks().iter().map(|c| c.text()).collect();
                out.push((s, b.left(), b.right()));
            }
        }
        out
    }

    #[test]
    fn no_tick_label_reaches_past_the_right_edge() {
        // 350 ms: a tick at the very end, whose label would end past the edge.
        for end_ns in [350_000_000, 1_000_000_000, 123_456_789] {
            let t = trace(end_ns);
            let svg = render(&Slide {
                title: "Demo".into(),
                lesson: "A lesson.".into(),
                runs: vec![SlideRun::new("Demo", &t)],
                range_ns: None,
                lang: Language::English,
            });
            let boxes = text_boxes(&svg);
            assert!(
                boxes.iter().any(|b| b.0 == "0"),
                "the axis starts at 0: {boxes:?}"
            );
            for (s, left, right) in boxes {
                assert!(
                    left >= 0.0 && right <= WIDTH as f32 - 10.0,
                    "{s:?}: {left}..{right}"
                );
            }
        }
    }

    #[test]
    fn the_first_sentence_of_a_lesson() {
        assert_eq!(
            first_sentence("Fifteen clients share five permits. Each then sleeps.\n\nMore."),
            "Fifteen clients share five permits."
        );
        assert_eq!(first_sentence("No stop at all"), "No stop at all");
        assert_eq!(first_sentence("一次等待。然后"), "一次等待。");
        assert_eq!(
            first_sentence("Version 1.5 is here. Next"),
            "Version 1.5 is here."
        );
    }

    #[test]
    fn runs_on_two_runtimes_say_which_is_which() {
        use crate::trace::Runtime::{Asyncio, Tokio};
        let names = || vec!["Fan-out".to_string(), "Fan-out".to_string()];
        assert_eq!(with_runtimes(names(), &[Tokio, Tokio]), names());
        assert_eq!(
            with_runtimes(names(), &[Tokio, Asyncio]),
            ["Fan-out (tokio)", "Fan-out (asyncio)"]
        );
        assert_eq!(
            with_runtimes(vec!["Fan-out (asyncio)".into()], &[Asyncio]),
            ["Fan-out (asyncio)"],
            "said once"
        );
    }
}
