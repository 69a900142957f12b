//! The eframe app: scenario panel (left), timeline (centre), details (right), legend
//! (bottom). Runs happen on their own threads; the UI reads the shared trace each frame and
//! never waits on a run. Panels return commands; the app applies them after the frame.

pub mod compare;
pub mod details;
pub mod export;
pub mod histograms;
pub mod keys;
pub mod legend;
pub mod output;
pub mod predict;
pub mod replay;
pub mod runs;
pub mod scenarios;
pub mod theme;
pub mod timeline;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::run::{LiveTrace, RunOptions, StopHandle, run_live_summarized};
use crate::scenario::Scenario;
use crate::t;
use crate::trace::stats::Histograms;
use crate::trace::{Finding, Severity, Summary, Trace};
use scenarios::{RunStatus, ScenarioEntry, name_in, scenario_panel_ui};
use theme::Theme;
use timeline::axis::format_ns;
use timeline::{RunView, TimelineState, timeline_ui};

/// What persists between launches (eframe storage; egui's own memory keeps the panel
/// sizes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// File stem of the selected scenario.
    pub selected: Option<String>,
    /// Presentation mode: large, light, high contrast, side panels hidden.
    pub presenting: bool,
    /// The light theme (outside presentation mode).
    pub light: bool,
    /// The size of everything outside presentation mode (Ctrl+Plus / Ctrl+Minus).
    pub zoom: f32,
    /// The language of scenario names and lessons.
    pub language: Language,
    /// Files opened or saved lately, newest first (scenarios and recorded runs).
    pub recent: Vec<PathBuf>,
    /// Serve runs to tokio-console on 127.0.0.1 at this port (None: off).
    pub console_port: Option<u16>,
    /// The scenario panel (left) and the findings and details panel (right) folded away,
    /// so the timeline takes the width.
    pub hide_left: bool,
    pub hide_right: bool,
    /// The Export window's choices (view or slide, SVG or PNG).
    pub export: export::ExportChoice,
    /// In presentation mode, the legend and the plots under the lanes (both off at first:
    /// the task rows get the height).
    pub present_legend: bool,
    pub present_plots: bool,
    /// The runtime Run uses.
    pub runtime: Runtime,
}

pub use crate::trace::Runtime;

/// How many recent files the Recent menu keeps.
pub const RECENT_FILES: usize = 10;

/// The interface's language: every word of the window, and the scenarios' names and
/// lessons (`name_zh`, `about_zh` in the files).
pub use crate::i18n::Language;

impl Default for State {
    fn default() -> Self {
        State {
            selected: None,
            presenting: false,
            light: false,
            zoom: 1.0,
            language: Language::English,
            recent: Vec::new(),
            console_port: None,
            hide_left: false,
            // The timeline first: on a first launch the findings and details wait behind
            // the "«" strip, so that at 1600 px the timeline gets three quarters of the width.
            hide_right: true,
            export: export::ExportChoice::default(),
            present_legend: false,
            present_plots: false,
            runtime: Runtime::Tokio,
        }
    }
}

/// What the command line asks of the window at launch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Launch {
    /// `--present`.
    pub present: bool,
    /// `--console [PORT]`.
    pub console: Option<u16>,
    /// `--lang en|zh`.
    pub lang: Option<Language>,
}

impl State {
    /// The state a launch starts from: what the last one left (`saved`), else the defaults
    /// in the environment's language (`env`: `LANG=zh_CN.UTF-8` opens a first launch in
    /// Chinese); the command line's choices over both.
    pub fn at_launch(saved: Option<State>, env: Language, launch: Launch) -> State {
        let mut state = saved.unwrap_or_else(|| State {
            language: env,
            ..State::default()
        });
        state.presenting |= launch.present;
        if let Some(l) = launch.lang {
            state.language = l;
        }
        if launch.console.is_some() {
            state.console_port = launch.console;
        }
        state
    }
}

/// What a panel asks the app to do.
#[must_use]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Select(usize),
    /// Show the system's file dialog to open any scenario file.
    OpenDialog,
    /// Ask where to export the timeline view as SVG or PNG (Ctrl+E).
    ExportDialog,
    /// Ask where to save the run on screen as a trace file.
    SaveDialog,
    /// Ask where to save the edited scenario as a TOML file.
    SaveScenarioDialog,
    Run,
    Stop,
    /// Show an earlier run (index into the run history).
    ShowRun(usize),
    DeleteRun(usize),
    /// Compare the runs picked in the history.
    Compare,
    CloseCompare,
    /// Play the run on screen back slowly.
    StartReplay,
    /// Presentation mode on or off (F11, Ctrl+P).
    TogglePresentation,
    /// Light or dark theme (Ctrl+T).
    ToggleTheme,
    /// The keyboard shortcuts window (?).
    ToggleHelp,
    /// Esc: close the shortcuts window, else leave presentation mode.
    Escape,
    /// Open a file of the Recent menu (index into `State::recent`).
    OpenRecent(usize),
    /// Serve the next runs to tokio-console at this port, or not (None).
    SetConsole(Option<u16>),
    SetLanguage(Language),
    /// Zoom the timeline to where the run on screen shows this predicted figure.
    ShowEvidence(crate::trace::Figure),
    /// Back from the reveal to the Predict card (new guesses for the next run).
    HideReveal,
    EndReplay,
    /// The runtime Run uses.
    SetRuntime(Runtime),
    /// Run the selected scenario on tokio, then on asyncio, and compare the two.
    RunBoth,
    /// Ask for a Python asyncio script and trace it (`trace-py`, live).
    TracePyDialog,
    /// Presentation mode: the legend, the plots under the lanes, on or off.
    TogglePresentedLegend,
    TogglePresentedPlots,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    Finished,
    Stopped,
    Failed(String),
}

/// One run, live or done. Every run is kept (the comparison view needs them).
pub struct RunSlot {
    /// Unique in the session; the history shows it as `#id`.
    pub id: u64,
    /// Ticked in the history for the comparison view.
    pub picked: bool,
    /// When it was ticked (a count across the history): the first ticked is the baseline.
    pub picked_seq: u64,
    /// What the history calls it (editable).
    pub name: String,
    /// Wall-clock time it started, `HH:MM:SS` UTC.
    pub started_at: String,
    /// None for a run opened from a trace file.
    pub scenario: Option<Scenario>,
    /// The runtime it ran on (kept here so that asking never takes the trace's lock).
    pub runtime: Runtime,
    pub live: LiveTrace,
    stop: StopHandle,
    /// The run thread; it summarises the trace when the run is over.
    thread: Option<JoinHandle<Result<Summary, String>>>,
    started: Instant,
    pub outcome: Option<RunOutcome>,
    /// Computed once, when the run is over (findings, histograms, the figures a
    /// comparison shows).
    pub summary: Option<Summary>,
}

/// Runs `program` on asyncio into `sink`, repainting as its events arrive and at its end.
fn asyncio_live(
    program: &crate::asyncio_run::Program,
    stop: &StopHandle,
    sink: &LiveTrace,
    repaint: &egui::Context,
) -> Result<Summary, String> {
    let summary = crate::asyncio_run::run_live(
        program,
        stop.flag(),
        crate::asyncio_run::Streams::Capture,
        sink,
        || repaint.request_repaint(),
    )
    .map_err(|e| e.to_string());
    repaint.request_repaint();
    summary
}

/// The time of day (UTC) a run started at, as the history shows it.
fn clock_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

impl RunSlot {
    /// The scenario's name the trace was recorded under.
    fn live_name(&self) -> String {
        self.live
            .lock()
            .map(|t| t.scenario.clone())
            .unwrap_or_default()
    }

    fn start(
        scenario: Scenario,
        ctx: &egui::Context,
        console: Option<tracing::Dispatch>,
        (runtime, lang, guesses): (Runtime, Language, Vec<crate::trace::Guess>),
    ) -> Result<Self, String> {
        let mut placeholder = Trace::new(scenario.name.clone());
        placeholder.runtime = runtime;
        // The audience's guesses go with the run (the history, the trace file).
        placeholder.predict = scenario.predict.clone();
        placeholder.guesses = guesses;
        let live: LiveTrace = Arc::new(Mutex::new(placeholder));
        let stop = StopHandle::default();
        let options = RunOptions {
            stop: stop.clone(),
            console,
            ..Default::default()
        };
        let (sc, sink, repaint) = (scenario.clone(), live.clone(), ctx.clone());
        let thread = std::thread::Builder::new()
            .name("asyncscope-run".into())
            .spawn(move || match runtime {
                // The summary is built here, not on the GUI thread, and before the
                // finished trace is published: the window never waits for either.
                Runtime::Tokio => {
                    run_live_summarized(&sc, options, &sink, move || repaint.request_repaint())
                        .map_err(|e| e.to_string())
                }
                // asyncio's events stream in from the runner as it goes.
                Runtime::Asyncio => asyncio_live(
                    &crate::asyncio_run::Program::Scenario(&sc),
                    &options.stop,
                    &sink,
                    &repaint,
                ),
            })
            .map_err(|e| format!("could not start the run thread: {e}"))?;
        // The run's name in the history, in the window's language (the trace keeps the
        // scenario's own name).
        let title = scenario.name_in(lang);
        let name = match runtime {
            Runtime::Tokio => title.to_string(),
            // The list and comparisons say where.
            other => format!("{title} ({})", other.as_str()),
        };
        Ok(RunSlot::running(
            name,
            Some(scenario),
            runtime,
            (live, stop, thread),
        ))
    }

    /// A run just started on `thread`, recording into `live`.
    fn running(
        name: String,
        scenario: Option<Scenario>,
        runtime: Runtime,
        (live, stop, thread): (LiveTrace, StopHandle, JoinHandle<Result<Summary, String>>),
    ) -> Self {
        RunSlot {
            id: 0,
            picked: false,
            picked_seq: 0,
            name,
            started_at: clock_now(),
            scenario,
            runtime,
            live,
            stop,
            thread: Some(thread),
            started: Instant::now(),
            outcome: None,
            summary: None,
        }
    }

    /// A Python asyncio script traced live on the instrumented loop, with the lab server
    /// beside it (its URL in `$ASYNCSCOPE_LAB_URL`).
    fn start_script(path: PathBuf, ctx: &egui::Context) -> Result<Self, String> {
        let name = crate::asyncio_run::script_name(&path);
        let mut placeholder = Trace::new(name.clone());
        placeholder.runtime = Runtime::Asyncio;
        let live: LiveTrace = Arc::new(Mutex::new(placeholder));
        let stop = StopHandle::default();
        let (sink, repaint, flag) = (live.clone(), ctx.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("asyncscope-run".into())
            .spawn(move || {
                let program = crate::asyncio_run::Program::Script {
                    path: &path,
                    args: &[],
                    lab: true,
                };
                asyncio_live(&program, &flag, &sink, &repaint)
            })
            .map_err(|e| format!("could not start the run thread: {e}"))?;
        Ok(RunSlot::running(
            format!("{name} (asyncio)"),
            None,
            Runtime::Asyncio,
            (live, stop, thread),
        ))
    }

    /// A finished run read from a trace file.
    fn from_trace(name: String, trace: Trace) -> Self {
        let outcome = if trace.stopped {
            RunOutcome::Stopped
        } else {
            RunOutcome::Finished
        };
        RunSlot {
            id: 0,
            picked: false,
            picked_seq: 0,
            name,
            started_at: "file".into(),
            scenario: None,
            runtime: trace.runtime,
            summary: Some(Summary::from_trace(&trace)),
            live: Arc::new(Mutex::new(trace)),
            stop: StopHandle::default(),
            thread: None,
            started: Instant::now(),
            outcome: Some(outcome),
        }
    }

    pub fn is_running(&self) -> bool {
        self.outcome.is_none()
    }

    /// The run's wall time, once it is over.
    pub fn wall_ns(&self) -> Option<u64> {
        self.summary
            .as_ref()
            .map(|s| (s.wall_ms * 1e6).round() as u64)
    }

    /// The findings, once the run is over.
    pub fn findings(&self) -> &[Finding] {
        self.summary.as_ref().map_or(&[], |s| &s.findings)
    }

    pub fn histograms(&self) -> Option<&Histograms> {
        self.summary.as_ref().map(|s| &s.histograms)
    }

    /// Collects the run thread's result once it is done; true if it just finished.
    fn poll(&mut self) -> bool {
        if !self.thread.as_ref().is_some_and(JoinHandle::is_finished) {
            return false;
        }
        let Some(thread) = self.thread.take() else {
            return false;
        };
        let (outcome, summary) = match thread.join() {
            Ok(Ok(s)) if s.stopped => (RunOutcome::Stopped, Some(s)),
            Ok(Ok(s)) => (RunOutcome::Finished, Some(s)),
            Ok(Err(e)) => (RunOutcome::Failed(e), None),
            Err(_) => (RunOutcome::Failed("the run thread panicked".into()), None),
        };
        self.outcome = Some(outcome);
        // A failed run keeps what it recorded: summarise that here (rare).
        self.summary = summary.or_else(|| self.live.lock().ok().map(|t| Summary::from_trace(&t)));
        true
    }
}

pub struct App {
    pub state: State,
    scenarios_dir: PathBuf,
    entries: Vec<ScenarioEntry>,
    scan_error: Option<String>,
    selected: Option<usize>,
    runs: Vec<RunSlot>,
    /// The run on screen; None: the latest.
    shown_run: Option<usize>,
    pub timeline: TimelineState,
    message: Option<String>,
    /// The task group the histograms show (None: all tasks).
    histogram_group: Option<String>,
    /// The file dialog runs on its own thread: the UI never waits for it.
    dialog: Option<(Dialog, DialogThread)>,
    next_run_id: u64,
    /// The comparison view, when it is open (instead of the timeline).
    compare: Option<compare::CompareView>,
    /// The replay of the run on screen, when one is going.
    replay: Option<replay::Replay>,
    /// The keyboard shortcuts window is open.
    help_open: bool,
    /// The Export window is open (Ctrl+E), with whether this machine has a file dialog
    /// (looked up once when it opens, not every frame).
    export_open: Option<bool>,
    /// Where "Save to" writes (see `export::export_dir`).
    pub export_dir: PathBuf,
    /// The look last applied to the context: (presenting, light, zoom).
    applied_look: Option<(bool, bool, f32)>,
    /// The fallback font (CJK, symbols) is installed in the context.
    fonts_installed: bool,
    /// The tokio-console server of the latest run, serving until the next run.
    console: Option<crate::capture::console::Console>,
    /// The runtime of the next Run, when it is not the chosen one ("Run on both").
    runtime_next: Option<Runtime>,
    /// "Run on both": the tokio run's id, then the asyncio run's; compared when both end.
    both: Option<(u64, Option<u64>)>,
    /// What the audience typed into the Predict card of the selected scenario, per figure
    /// (cleared when another scenario is selected).
    pub predict_typed: Vec<(crate::trace::Figure, String)>,
    /// The reveal of the run on screen is folded away (until the next run ends).
    reveal_hidden: bool,
}

/// The thread showing a file dialog: the picked path, if any, or why it failed.
type DialogThread = JoinHandle<Result<Option<PathBuf>, String>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialog {
    Open,
    TracePy,
    Export(export::ExportChoice),
    Save,
    SaveScenario,
}

/// Shows the native file dialog (xdg-desktop-portal, or zenity where there is no portal)
/// on the calling thread, inside a small tokio runtime of its own for the portal's D-Bus
/// connection.
fn file_dialog(kind: Dialog, start_dir: PathBuf, l: Language) -> Result<Option<PathBuf>, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| t!(l, "dialog-failed-to-open", error = e.to_string()))?;
    Ok(rt.block_on(async {
        let d = rfd::AsyncFileDialog::new().set_directory(start_dir);
        let (svg, png) = (t!(l, "export-svg"), t!(l, "export-png"));
        let (title, filters, name): (_, Vec<(String, &[&str])>, _) = match kind {
            Dialog::Open => {
                let picked = d
                    .set_title(t!(l, "dialog-open"))
                    .add_filter(t!(l, "dialog-open-filter"), &["toml", "ascope", "json"])
                    .pick_file()
                    .await;
                return picked.map(|f| f.path().to_path_buf());
            }
            Dialog::TracePy => {
                let picked = d
                    .set_title(t!(l, "dialog-trace-python"))
                    .add_filter(t!(l, "dialog-python-filter"), &["py"])
                    .pick_file()
                    .await;
                return picked.map(|f| f.path().to_path_buf());
            }
            Dialog::Save => (
                t!(l, "dialog-save-run"),
                vec![(t!(l, "dialog-trace-filter"), &["ascope"])],
                "run.ascope",
            ),
            Dialog::SaveScenario => (
                t!(l, "dialog-save-scenario"),
                vec![(t!(l, "dialog-scenario-filter"), &["toml"])],
                "edited.toml",
            ),
            Dialog::Export(choice) => (
                match choice.form {
                    export::ExportForm::View => t!(l, "dialog-export-view"),
                    export::ExportForm::Slide => t!(l, "dialog-export-slide"),
                },
                if choice.png {
                    vec![(png, &["png"]), (svg, &["svg"])]
                } else {
                    vec![(svg, &["svg"]), (png, &["png"])]
                },
                match (choice.form, choice.png) {
                    (export::ExportForm::View, false) => "timeline.svg",
                    (export::ExportForm::View, true) => "timeline.png",
                    (export::ExportForm::Slide, false) => "slide.svg",
                    (export::ExportForm::Slide, true) => "slide.png",
                },
            ),
        };
        let d = filters
            .iter()
            .fold(d.set_title(title), |d, (what, ext)| d.add_filter(what, ext));
        let picked = d.set_file_name(name).save_file().await;
        picked.map(|f| f.path().to_path_buf())
    }))
}

impl App {
    pub fn new(scenarios_dir: PathBuf, state: State) -> Self {
        let (entries, scan_error) = match scenarios::scan(&scenarios_dir) {
            Ok(e) => (e, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let selected = state
            .selected
            .as_ref()
            .and_then(|stem| entries.iter().position(|e| &e.stem() == stem))
            .or(if entries.is_empty() { None } else { Some(0) });
        let mut app = App {
            state,
            scenarios_dir,
            entries,
            scan_error,
            selected: None,
            runs: Vec::new(),
            shown_run: None,
            timeline: TimelineState::default(),
            message: None,
            histogram_group: None,
            dialog: None,
            next_run_id: 1,
            compare: None,
            replay: None,
            runtime_next: None,
            both: None,
            predict_typed: Vec::new(),
            reveal_hidden: false,
            help_open: false,
            export_open: None,
            export_dir: export::export_dir(),
            applied_look: None,
            fonts_installed: false,
            console: None,
        };
        if let Some(i) = selected {
            app.select(i);
        }
        app
    }

    pub fn scenarios_dir(&self) -> &PathBuf {
        &self.scenarios_dir
    }

    fn select(&mut self, i: usize) {
        if let Some(e) = self.entries.get(i) {
            if self.selected != Some(i) {
                self.predict_typed.clear();
            }
            self.selected = Some(i);
            self.state.selected = Some(e.stem());
        }
    }

    /// The reveal of the run on screen: each predicted figure, its guess and the result;
    /// None while it runs, when it asked for none, or when the reveal was put away.
    fn reveals(&self, trace: Option<&Trace>) -> Option<Vec<crate::trace::Reveal>> {
        let (run, t) = (self.current_run()?, trace?);
        if self.reveal_hidden || run.is_running() || t.predict.is_empty() {
            return None;
        }
        // In the selected scenario's card: a run of another scenario has its own.
        let selected = self.selected_entry()?.current().ok()?;
        if selected.name != t.scenario {
            return None;
        }
        let summary = run.summary.as_ref()?;
        Some(crate::trace::Reveal::all(&t.predict, &t.guesses, summary))
    }

    /// The guesses typed into the Predict card for `sc`'s figures (what parses as a number;
    /// "1,200" and "1 200" read as 1200, a trailing unit is ignored).
    fn guesses(&self, sc: &Scenario) -> Vec<crate::trace::Guess> {
        sc.predict
            .iter()
            .filter_map(|&figure| {
                let (_, text) = self.predict_typed.iter().find(|(f, _)| *f == figure)?;
                let value = crate::trace::predict::parse_guess(text)?;
                Some(crate::trace::Guess { figure, value })
            })
            .collect()
    }

    /// Selects the scenario with this file stem (from the scenarios folder), or opens the
    /// file at this path, and runs it.
    pub fn run_on_start(&mut self, name: &str, ctx: &egui::Context) {
        let path = std::path::Path::new(name);
        if path.is_file() {
            let saved_run = crate::export::is_trace_file(path);
            self.open_path(path.to_path_buf());
            if !saved_run {
                self.apply(Command::Run, ctx);
            }
            return;
        }
        match self.entries.iter().position(|e| e.stem() == name) {
            Some(i) => {
                self.select(i);
                self.apply(Command::Run, ctx);
            }
            None => {
                self.message = Some(t!(
                    self.state.language,
                    "no-such-scenario",
                    name = name,
                    dir = self.scenarios_dir.display().to_string()
                ))
            }
        }
    }

    /// Traces a Python asyncio script on the instrumented loop, live, as the next run.
    pub fn trace_python(&mut self, path: PathBuf, ctx: &egui::Context) {
        if self.is_running() {
            self.message = Some(t!(self.state.language, "run-going"));
            return;
        }
        match RunSlot::start_script(path, ctx) {
            Ok(slot) => {
                self.push_run(slot);
                self.message = None;
            }
            Err(e) => self.message = Some(e),
        }
    }

    /// Adds a run to the history (numbered) and puts it on screen.
    fn push_run(&mut self, mut slot: RunSlot) {
        // Groups opened or closed by hand stay so for the next run of the same scenario;
        // another scenario starts from its own `[view]`.
        let same_scenario = self
            .runs
            .last()
            .is_some_and(|r| r.live_name() == slot.live_name());
        slot.id = self.next_run_id;
        self.next_run_id += 1;
        self.runs.push(slot);
        self.shown_run = None;
        self.compare = None;
        self.replay = None;
        self.timeline.reset_for_new_run();
        let view = self
            .runs
            .last()
            .and_then(|r| r.scenario.as_ref())
            .map(|s| s.view.clone());
        self.timeline.apply_view(view.as_ref(), same_scenario);
    }

    /// The replay, if one is going.
    pub fn replay(&self) -> Option<&replay::Replay> {
        self.replay.as_ref()
    }

    /// Opens recorded runs; two or more open in the comparison view, the first as the
    /// baseline.
    pub fn open_runs(&mut self, paths: &[PathBuf]) {
        let first = self.runs.len();
        let mut errors = Vec::new();
        for p in paths {
            if let Err(e) = self.open_trace(p) {
                errors.push(e);
            }
        }
        if self.runs.len() - first >= 2 {
            let seq = self.runs.iter().map(|r| r.picked_seq).max().unwrap_or(0);
            for (n, r) in (seq + 1..).zip(&mut self.runs[first..]) {
                r.picked = true;
                r.picked_seq = n;
            }
            let opened: Vec<&RunSlot> = self.runs[first..].iter().collect();
            self.compare = Some(compare::CompareView::new(&opened));
        }
        if !errors.is_empty() {
            self.message = Some(errors.join("\n"));
        }
    }

    /// The comparison view, if open.
    pub fn compare_view(&self) -> Option<&compare::CompareView> {
        self.compare.as_ref()
    }

    /// Saves the run on screen as a trace file.
    pub fn save_run(&self, path: &std::path::Path) -> Result<(), String> {
        let l = self.state.language;
        let run = self.current_run().ok_or_else(|| t!(l, "no-run-to-save"))?;
        if run.is_running() {
            return Err(t!(l, "run-still-going"));
        }
        let trace = run.live.lock().map_err(|_| t!(l, "trace-unavailable"))?;
        crate::export::native::save(&trace, path).map_err(|e| {
            t!(
                l,
                "could-not-save",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })
    }

    /// Writes the selected scenario, with its edits, to `path` (comments and layout kept),
    /// and lists and selects the new file.
    pub fn save_scenario(&mut self, path: &std::path::Path) -> Result<(), String> {
        let text = self
            .selected
            .and_then(|i| self.entries.get(i))
            .and_then(|e| e.edit.as_ref())
            .map(crate::scenario::edit::ScenarioEdit::text)
            .ok_or_else(|| t!(self.state.language, "select-loading-scenario"))?;
        crate::export::write_atomic(path, |w| std::io::Write::write_all(w, text.as_bytes()))
            .map_err(|e| {
                t!(
                    self.state.language,
                    "could-not-save",
                    path = path.display().to_string(),
                    error = e.to_string()
                )
            })?;
        self.remember(path);
        self.open_path(path.to_path_buf());
        Ok(())
    }

    /// The selected scenario's entry.
    pub fn selected_entry(&self) -> Option<&ScenarioEntry> {
        self.selected.and_then(|i| self.entries.get(i))
    }

    /// The selected scenario's entry, to edit its parameters.
    pub fn selected_entry_mut(&mut self) -> Option<&mut ScenarioEntry> {
        self.selected.and_then(|i| self.entries.get_mut(i))
    }

    /// Puts `path` first in the recent files.
    fn remember(&mut self, path: &std::path::Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.state.recent.retain(|p| p != &path);
        self.state.recent.insert(0, path);
        self.state.recent.truncate(RECENT_FILES);
    }

    /// Files dropped on the window: scenarios are listed and selected, recorded runs
    /// open (two or more into the comparison).
    pub fn open_dropped(&mut self, paths: Vec<PathBuf>) {
        let (traces, others): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| crate::export::is_trace_file(p));
        for p in others {
            self.open_path(p);
        }
        for p in &traces {
            self.remember(p);
        }
        match traces.len() {
            0 => {}
            1 => self.message = self.open_trace(&traces[0]).err(),
            _ => self.open_runs(&traces),
        }
    }

    /// Opens a recorded run (a `.ascope` trace file or our Chrome JSON) as the latest run.
    pub fn open_trace(&mut self, path: &std::path::Path) -> Result<(), String> {
        let trace = crate::export::load_trace(path)?;
        let on = match trace.runtime {
            Runtime::Tokio => String::new(),
            other => format!(", {}", other.as_str()),
        };
        let name = format!(
            "{} ({}{on})",
            trace.scenario,
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        );
        self.push_run(RunSlot::from_trace(name, trace));
        self.timeline.follow_live = false;
        self.timeline.request_fit();
        Ok(())
    }

    /// Adds a scenario file from anywhere to the list (once) and selects it; a file that
    /// does not load is listed with its error. A `.ascope` file is a saved run: it opens
    /// on the timeline.
    pub fn open_path(&mut self, path: PathBuf) {
        self.remember(&path);
        if crate::export::is_trace_file(&path) {
            self.message = self.open_trace(&path).err();
            return;
        }
        let i = match self.entries.iter().position(|e| e.path == path) {
            Some(i) => {
                // Read it again: it may have been edited since.
                self.entries[i] = ScenarioEntry::load(path);
                i
            }
            None => {
                self.entries.push(ScenarioEntry::load(path));
                self.entries.len() - 1
            }
        };
        self.select(i);
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        if !self.dialog.as_ref().is_some_and(|(_, h)| h.is_finished()) {
            return;
        }
        let Some((kind, handle)) = self.dialog.take() else {
            return;
        };
        let l = self.state.language;
        match (kind, handle.join()) {
            (Dialog::Open, Ok(Ok(Some(path)))) => self.open_path(path),
            (Dialog::TracePy, Ok(Ok(Some(path)))) => self.trace_python(path, ctx),
            (Dialog::Save, Ok(Ok(Some(path)))) => {
                self.message = Some(match self.save_run(&path) {
                    Ok(()) => t!(l, "saved-run", path = path.display().to_string()),
                    Err(e) => e,
                });
            }
            (Dialog::SaveScenario, Ok(Ok(Some(path)))) => {
                self.message = Some(match self.save_scenario(&path) {
                    Ok(()) => t!(l, "saved-scenario", path = path.display().to_string()),
                    Err(e) => e,
                });
            }
            (Dialog::Export(choice), Ok(Ok(Some(path)))) => self.export_to(&path, choice.form),
            (_, Ok(Ok(None))) => {}
            (_, Ok(Err(e))) => self.message = Some(e),
            (_, Err(_)) => self.message = Some(t!(l, "dialog-failed")),
        }
    }

    /// Writes what is on screen: the timeline's view of the run on screen, or the compared
    /// runs over the comparison's visible range with the table. SVG, or PNG at 2× when
    /// `path` ends in `.png`.
    pub fn export_view(&self, path: &std::path::Path) -> Result<(), String> {
        self.export(path, export::ExportForm::View)
    }

    /// Writes a 16:9 slide (1920×1080) of the run on screen, or of the compared runs
    /// stacked, over the range on screen; SVG, or PNG at 2× when `path` ends in `.png`.
    pub fn export_slide(&self, path: &std::path::Path) -> Result<(), String> {
        self.export(path, export::ExportForm::Slide)
    }

    /// Exports, and says where (or why not) in the status line.
    fn export_to(&mut self, path: &std::path::Path, form: export::ExportForm) {
        let l = self.state.language;
        let path_text = path.display().to_string();
        self.message = Some(match (self.export(path, form), form) {
            (Ok(()), export::ExportForm::View) => t!(l, "exported-view", path = path_text),
            (Ok(()), export::ExportForm::Slide) => t!(l, "exported-slide", path = path_text),
            (Err(e), _) => e,
        });
    }

    /// What the Export window asked for.
    fn apply_export(&mut self, action: export::ExportAction, ctx: &egui::Context) {
        match action {
            export::ExportAction::Close => self.export_open = None,
            export::ExportAction::PickFile => {
                self.export_open = None;
                self.open_dialog(Dialog::Export(self.state.export), ctx);
            }
            export::ExportAction::SaveToFolder => {
                self.export_open = None;
                let dir = self.export_dir.clone();
                if let Err(e) = std::fs::create_dir_all(&dir) {
                    self.message = Some(t!(
                        self.state.language,
                        "could-not-create",
                        path = dir.display().to_string(),
                        error = e.to_string()
                    ));
                    return;
                }
                let stem = match &self.compare {
                    Some(_) => "comparison".to_string(),
                    None => self.current_run().map_or_else(String::new, |r| {
                        r.scenario
                            .as_ref()
                            .and_then(|sc| sc.path.as_ref())
                            .and_then(|p| p.file_stem())
                            .map_or_else(|| r.name.clone(), |s| s.to_string_lossy().into_owned())
                    }),
                };
                let path = export::new_export_path(&dir, &stem, &self.state.export);
                self.export_to(&path, self.state.export.form);
            }
        }
    }

    /// A slide of `runs` (with their scenarios, where known) over the visible range `(a, b)`:
    /// the whole of the runs unless the view is zoomed in.
    fn slide_of<'a>(
        &self,
        runs: Vec<crate::export::slide::SlideRun<'a>>,
        scenarios: &[Option<&Scenario>],
        (a, b): (f64, f64),
    ) -> crate::export::slide::Slide<'a> {
        use crate::export::slide;
        let language = self.state.language;
        let names: Vec<String> = runs
            .iter()
            .zip(scenarios)
            .map(|(r, sc)| {
                sc.map_or_else(
                    || r.name.clone(),
                    |sc| scenarios::name_in(sc, language).into(),
                )
            })
            .collect();
        let on: Vec<Runtime> = runs.iter().map(|r| r.trace.runtime).collect();
        let names = slide::with_runtimes(names, &on);
        let longest = runs.iter().map(|r| r.trace.end_ns()).max().unwrap_or(0);
        let whole = a <= 0.0 && b >= longest as f64;
        slide::Slide {
            title: names.join(" vs "),
            lesson: scenarios
                .iter()
                .flatten()
                .next()
                .map_or_else(String::new, |sc| {
                    // One run on asyncio: its own lesson; a comparison: the scenario's.
                    let runtime = match on.as_slice() {
                        [only] => *only,
                        _ => Runtime::Tokio,
                    };
                    slide::first_sentence(scenarios::lesson_for(sc, language, runtime))
                }),
            runs,
            range_ns: if whole {
                None
            } else {
                Some((a.max(0.0) as u64, b.max(1.0) as u64))
            },
            lang: language,
        }
    }

    fn export(&self, path: &std::path::Path, form: export::ExportForm) -> Result<(), String> {
        use crate::export::{png, slide, svg};
        let unavailable = || "the trace is unavailable".to_string();
        let range = |(a, b): (f64, f64)| Some((a.max(0.0) as u64, b.max(1.0) as u64));
        let doc = match &self.compare {
            Some(view) => {
                let compared = view.runs(&self.runs);
                let guards = compared
                    .iter()
                    .map(|r| r.live.lock().map_err(|_| unavailable()))
                    .collect::<Result<Vec<_>, _>>()?;
                let named: Vec<(String, &Trace)> = compared
                    .iter()
                    .zip(&guards)
                    .map(|(r, g)| (r.name.clone(), &**g))
                    .collect();
                match form {
                    export::ExportForm::View => {
                        let opts = svg::SvgOptions {
                            range_ns: range(view.visible_range_ns()),
                            lang: self.state.language,
                            ..Default::default()
                        };
                        svg::render_compare(&named, &view.table, &opts)
                    }
                    export::ExportForm::Slide => {
                        let scenarios: Vec<Option<&Scenario>> =
                            compared.iter().map(|r| r.scenario.as_ref()).collect();
                        let runs = named
                            .iter()
                            .zip(&scenarios)
                            .map(|((n, t), sc)| {
                                slide::SlideRun::new(n.clone(), t).with_scenario(*sc)
                            })
                            .collect();
                        slide::render(&self.slide_of(runs, &scenarios, view.visible_range_ns()))
                    }
                }
            }
            None => {
                let run = self
                    .current_run()
                    .ok_or_else(|| t!(self.state.language, "no-run-to-export"))?;
                let trace = run.live.lock().map_err(|_| unavailable())?;
                match form {
                    export::ExportForm::View => {
                        let opts = svg::SvgOptions {
                            range_ns: range(self.timeline.visible_range_ns()),
                            lang: self.state.language,
                            ..Default::default()
                        };
                        svg::render(&trace, &opts)
                    }
                    export::ExportForm::Slide => {
                        let sc = run.scenario.as_ref();
                        let runs =
                            vec![slide::SlideRun::new(run.name.clone(), &trace).with_scenario(sc)];
                        slide::render(&self.slide_of(runs, &[sc], self.timeline.visible_range_ns()))
                    }
                }
            }
        };
        let is_png = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("png"));
        let written = if is_png {
            png::write_file(&doc, 2.0, path)
        } else {
            svg::save(&doc, path)
        };
        written.map_err(|e| {
            t!(
                self.state.language,
                "could-not-export",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })
    }

    pub fn is_running(&self) -> bool {
        self.runs.last().is_some_and(RunSlot::is_running)
    }

    /// The run on screen: the one picked in the history, else the latest.
    pub fn current_run(&self) -> Option<&RunSlot> {
        shown_run(&self.runs, self.shown_run)
    }

    pub fn runs(&self) -> &[RunSlot] {
        &self.runs
    }

    /// Shows a file dialog on a thread of its own; its answer is handled when it is done.
    fn open_dialog(&mut self, kind: Dialog, ctx: &egui::Context) {
        if self.dialog.is_some() {
            return;
        }
        let dir = std::fs::canonicalize(&self.scenarios_dir)
            .unwrap_or_else(|_| self.scenarios_dir.clone());
        let repaint = ctx.clone();
        let lang = self.state.language;
        match std::thread::Builder::new()
            .name("asyncscope-dialog".into())
            .spawn(move || {
                let picked = file_dialog(kind, dir, lang);
                repaint.request_repaint();
                picked
            }) {
            Ok(h) => self.dialog = Some((kind, h)),
            Err(e) => {
                self.message = Some(t!(
                    self.state.language,
                    "dialog-failed-to-open",
                    error = e.to_string()
                ))
            }
        }
    }

    fn apply(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Select(i) => self.select(i),
            Command::ExportDialog => {
                self.export_open = Some(export::file_dialog_available());
            }
            Command::OpenDialog | Command::SaveDialog | Command::SaveScenarioDialog => {
                let kind = match command {
                    Command::OpenDialog => Dialog::Open,
                    Command::SaveScenarioDialog => Dialog::SaveScenario,
                    _ => Dialog::Save,
                };
                self.open_dialog(kind, ctx);
            }
            Command::Run => {
                if self.is_running() {
                    return;
                }
                let Some(Ok(sc)) = self
                    .selected
                    .and_then(|i| self.entries.get(i))
                    .map(ScenarioEntry::current)
                else {
                    return;
                };
                let sc = sc.clone();
                // The previous run's console server goes first: it holds the port.
                self.console = None;
                if let Some(port) = self.state.console_port {
                    match crate::capture::console::Console::start(port) {
                        Ok(c) => self.console = Some(c),
                        Err(e) => {
                            self.message = Some(e);
                            return;
                        }
                    }
                }
                let dispatch = self.console.as_ref().map(|c| c.dispatch().clone());
                let runtime = self.runtime_next.take().unwrap_or(self.state.runtime);
                let guesses = self.guesses(&sc);
                match RunSlot::start(sc, ctx, dispatch, (runtime, self.state.language, guesses)) {
                    Ok(slot) => {
                        self.push_run(slot);
                        self.message = None;
                    }
                    Err(e) => self.message = Some(e),
                }
            }
            Command::ShowRun(i) => {
                if i < self.runs.len() {
                    self.compare = None;
                    self.replay = None;
                    self.shown_run = Some(i);
                    self.timeline.reset_for_new_run();
                    self.timeline.follow_live = self.runs[i].is_running();
                    self.timeline.request_fit();
                }
            }
            Command::DeleteRun(i) => {
                if self.runs.get(i).is_some_and(|r| !r.is_running()) {
                    let gone = self.runs.remove(i);
                    self.replay = None;
                    if self
                        .compare
                        .as_mut()
                        .is_some_and(|c| !c.remove_run(gone.id))
                    {
                        self.compare = None;
                    }
                    self.shown_run = match self.shown_run {
                        Some(s) if s == i => None,
                        Some(s) if s > i => Some(s - 1),
                        other => other,
                    };
                    self.timeline.reset_for_new_run();
                    self.timeline.follow_live = false;
                    self.timeline.request_fit();
                }
            }
            Command::Compare => {
                // In the order they were ticked: the first is the baseline.
                let mut picked: Vec<&RunSlot> = self
                    .runs
                    .iter()
                    .filter(|r| r.picked && !r.is_running())
                    .collect();
                picked.sort_by_key(|r| r.picked_seq);
                if picked.len() >= 2 {
                    self.compare = Some(compare::CompareView::new(&picked));
                    self.replay = None;
                }
            }
            Command::StartReplay => {
                let Some(run) = self.current_run().filter(|r| !r.is_running()) else {
                    return;
                };
                let end = run.live.lock().map_or(0, |t| t.end_ns());
                self.replay = Some(replay::Replay::new(run.id, end));
                // The whole run across the screen, growing from the left as it did live.
                self.timeline.zoom_to(0, end);
                self.timeline.follow_live = true;
            }
            Command::EndReplay => {
                self.replay = None;
                self.timeline.follow_live = false;
                self.timeline.request_fit();
            }
            Command::CloseCompare => self.compare = None,
            Command::TogglePresentation => self.state.presenting = !self.state.presenting,
            Command::ToggleTheme => self.state.light = !self.state.light,
            Command::ToggleHelp => self.help_open = !self.help_open,
            Command::SetLanguage(l) => self.state.language = l,
            Command::ShowEvidence(f) => {
                let range = self
                    .current_run()
                    .and_then(|r| r.live.lock().ok().map(|t| f.evidence(&t)));
                if let Some((a, b)) = range {
                    self.timeline.zoom_to(a, b);
                }
            }
            Command::HideReveal => self.reveal_hidden = true,
            Command::SetRuntime(r) => self.state.runtime = r,
            Command::RunBoth => {
                if self.is_running() {
                    return;
                }
                // tokio now; when it ends, asyncio; when that ends, the comparison.
                self.runtime_next = Some(Runtime::Tokio);
                self.apply(Command::Run, ctx);
                if let Some(first) = self.runs.last().filter(|r| r.is_running()) {
                    self.both = Some((first.id, None));
                }
            }
            Command::TracePyDialog => self.open_dialog(Dialog::TracePy, ctx),
            Command::TogglePresentedLegend => {
                self.state.present_legend = !self.state.present_legend;
            }
            Command::TogglePresentedPlots => self.state.present_plots = !self.state.present_plots,
            Command::SetConsole(port) => {
                self.state.console_port = port;
                if port.is_none() && !self.is_running() {
                    self.console = None;
                }
            }
            Command::OpenRecent(i) => {
                if let Some(path) = self.state.recent.get(i).cloned() {
                    if path.exists() {
                        self.open_path(path);
                    } else {
                        self.state.recent.remove(i);
                        self.message = Some(t!(
                            self.state.language,
                            "no-longer-exists",
                            path = path.display().to_string()
                        ));
                    }
                }
            }
            Command::Escape => {
                if self.help_open {
                    self.help_open = false;
                } else {
                    self.state.presenting = false;
                }
            }
            Command::Stop => {
                if let Some(run) = self.runs.last().filter(|r| r.is_running()) {
                    run.stop.stop();
                }
            }
        }
    }

    /// Sets the context's look from the state when it changed: presentation mode (light,
    /// high contrast, 1.6× everything), else the chosen theme and size. Outside presentation
    /// mode the size the user picks with Ctrl+Plus / Ctrl+Minus is kept in the state.
    fn apply_look(&mut self, ctx: &egui::Context) {
        let (presenting, light) = (self.state.presenting, self.state.light);
        if let Some((p, l, zoom)) = self.applied_look
            && (p, l) == (presenting, light)
        {
            if !presenting && ctx.zoom_factor() != zoom {
                self.state.zoom = ctx.zoom_factor();
                self.applied_look = Some((p, l, self.state.zoom));
            }
            return;
        }
        let zoom = if presenting {
            keys::PRESENTATION_ZOOM
        } else {
            self.state.zoom.clamp(0.5, 3.0)
        };
        // The light style is the projector's while presenting.
        let light_visuals = if presenting {
            keys::presentation_visuals()
        } else {
            egui::Visuals::light()
        };
        ctx.set_visuals_of(egui::Theme::Light, light_visuals);
        ctx.set_theme(if presenting || light {
            egui::Theme::Light
        } else {
            egui::Theme::Dark
        });
        ctx.set_zoom_factor(zoom);
        self.applied_look = Some((presenting, light, zoom));
    }

    /// Whether Run can start the selected scenario now.
    fn can_run(&self) -> bool {
        !self.is_running()
            && self
                .selected
                .and_then(|i| self.entries.get(i))
                .is_some_and(|e| e.current().is_ok())
    }

    /// When the timeline shows a run of another scenario than the one selected (the
    /// lesson beside it is the selected one's): what to say over the timeline.
    fn other_scenario_note(&self, trace: Option<&Trace>) -> Option<String> {
        let trace = trace?;
        let selected = self.selected.and_then(|i| self.entries.get(i))?;
        let sc = selected.current().ok()?;
        if self.is_running() || sc.name == trace.scenario {
            return None;
        }
        let language = self.state.language;
        let shown = shown_run(&self.runs, self.shown_run)?;
        let run_title = shown
            .scenario
            .as_ref()
            .map_or(trace.scenario.as_str(), |s| name_in(s, language));
        Some(t!(
            language,
            "other-scenario-note",
            run = shown.id,
            shown = run_title,
            selected = name_in(sc, language)
        ))
    }

    /// Presentation mode's bar: the scenario (any shipped one can be picked here), Run and
    /// Stop, the status, the language, the legend and plots, the way out; under it the
    /// lesson's first sentence, large.
    fn presentation_bar_ui(
        &mut self,
        ui: &mut egui::Ui,
        line: &str,
        reveals: Option<&[crate::trace::Reveal]>,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        let language = self.state.language;
        let (can_run, running) = (self.can_run(), self.is_running());
        let (plots, legend) = (self.state.present_plots, self.state.present_legend);
        // The lesson of the run on screen's runtime (else the one Run uses).
        let runtime = self.current_run().map_or(self.state.runtime, |r| r.runtime);
        let sel = self.selected;
        let (entries, typed) = (&self.entries, &mut self.predict_typed);
        let selected = sel.and_then(|i| entries.get(i));
        egui::Panel::top("presentation").show(ui, |ui| {
            ui.horizontal(|ui| {
                let title = selected.map(|e| e.title(language)).unwrap_or_default();
                egui::ComboBox::from_id_salt("presented scenario")
                    .selected_text(egui::RichText::new(title).heading())
                    .height(600.0)
                    .show_ui(ui, |ui| {
                        for (i, e) in entries.iter().enumerate() {
                            if ui
                                .selectable_label(sel == Some(i), e.title(language))
                                .clicked()
                            {
                                commands.push(Command::Select(i));
                            }
                        }
                    })
                    .response
                    .on_hover_text(t!(language, "presented-scenario-hover"));
                if ui
                    .add_enabled(can_run, egui::Button::new(t!(language, "run")))
                    .on_hover_text(t!(language, "run-hover"))
                    .clicked()
                {
                    commands.push(Command::Run);
                }
                if ui
                    .add_enabled(running, egui::Button::new(t!(language, "stop")))
                    .clicked()
                {
                    commands.push(Command::Stop);
                }
                ui.label(line);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(t!(language, "leave-presentation"))
                        .on_hover_text(t!(language, "leave-presentation-hover"))
                        .clicked()
                    {
                        commands.push(Command::TogglePresentation);
                    }
                    let other = match language {
                        Language::English => (Language::Chinese, "中文"),
                        Language::Chinese => (Language::English, "English"),
                    };
                    if ui
                        .button(other.1)
                        .on_hover_text(t!(language, "language-hover"))
                        .clicked()
                    {
                        commands.push(Command::SetLanguage(other.0));
                    }
                    if ui
                        .selectable_label(plots, t!(language, "plots"))
                        .on_hover_text(t!(language, "plots-hover"))
                        .clicked()
                    {
                        commands.push(Command::TogglePresentedPlots);
                    }
                    if ui
                        .selectable_label(legend, t!(language, "legend"))
                        .on_hover_text(t!(language, "legend-hover"))
                        .clicked()
                    {
                        commands.push(Command::TogglePresentedLegend);
                    }
                });
            });
            if let Some(sc) = selected.and_then(|e| e.current().ok()) {
                let lesson = crate::export::slide::first_sentence(scenarios::lesson_for(
                    sc, language, runtime,
                ));
                ui.add(egui::Label::new(egui::RichText::new(lesson).size(17.0).strong()).wrap());
                // The room's guesses, then the reveal, where everyone looks.
                if let Some(reveals) = reveals {
                    commands.extend(predict::reveal_line_ui(ui, reveals, language));
                } else if !sc.predict.is_empty() && !running {
                    predict::card_ui(ui, &sc.predict, typed, language);
                }
            }
        });
        commands
    }

    /// "Run on both": when its tokio run `ended`, starts the asyncio run; when that ends,
    /// ticks the two and opens their comparison.
    fn run_both_next(&mut self, ended: u64, ctx: &egui::Context) {
        match self.both {
            Some((tokio, None)) if tokio == ended => {
                self.runtime_next = Some(Runtime::Asyncio);
                self.apply(Command::Run, ctx);
                match self.runs.last().filter(|r| r.is_running()) {
                    Some(second) => self.both = Some((tokio, Some(second.id))),
                    None => self.both = None,
                }
            }
            Some((tokio, Some(asyncio))) if asyncio == ended => {
                self.both = None;
                // tokio first: the baseline.
                let seq = self.runs.iter().map(|r| r.picked_seq).max().unwrap_or(0);
                for r in &mut self.runs {
                    r.picked = r.id == tokio || r.id == asyncio;
                    r.picked_seq = match r.id {
                        id if id == tokio => seq + 1,
                        id if id == asyncio => seq + 2,
                        _ => r.picked_seq,
                    };
                }
                self.apply(Command::Compare, ctx);
            }
            _ => {}
        }
    }

    /// The status line; `trace` is the current run's (already locked by the caller).
    fn status_line(&self, trace: Option<&Trace>) -> String {
        let lang = self.state.language;
        match (self.current_run(), &self.message) {
            (_, Some(m)) => m.clone(),
            (None, None) => t!(lang, "no-run-yet"),
            (Some(r), None) => {
                let wall = trace.map_or(0, |t| t.wall_ns) as f64;
                match &r.outcome {
                    None => t!(
                        lang,
                        "status-running",
                        elapsed = format_ns(r.started.elapsed().as_nanos() as f64)
                    ),
                    Some(RunOutcome::Finished) => {
                        t!(lang, "status-finished", wall = format_ns(wall))
                    }
                    Some(RunOutcome::Stopped) => {
                        t!(lang, "status-stopped", wall = format_ns(wall))
                    }
                    Some(RunOutcome::Failed(e)) => t!(lang, "status-failed", error = e.as_str()),
                }
            }
        }
    }

    /// The whole UI, given the root `Ui` (eframe's, or a test harness's).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_dialog(&ctx);
        for c in keys::shortcut_commands(&ctx, self.help_open || self.state.presenting) {
            let needs_run = matches!(c, Command::ExportDialog | Command::SaveDialog);
            if !needs_run || !self.runs.is_empty() {
                self.apply(c, &ctx);
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        // A dropped Python script is traced; the rest opens.
        let (scripts, dropped): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e == "py"));
        if let Some(script) = scripts.into_iter().next() {
            self.trace_python(script, &ctx);
        }
        if !dropped.is_empty() {
            self.open_dropped(dropped);
        }
        if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
            drop_hint(&ctx, self.state.language);
        }
        if !self.fonts_installed {
            ctx.set_fonts(crate::fonts::egui_fonts());
            self.fonts_installed = true;
        }
        self.apply_look(&ctx);
        keys::help_ui(&ctx, &mut self.help_open, self.state.language);
        if let Some(available) = self.export_open {
            let folder = self.export_dir.clone();
            if let Some(action) = export::export_window_ui(
                &ctx,
                &mut self.state.export,
                (available, &folder),
                self.state.language,
            ) {
                self.apply_export(action, &ctx);
            }
        }
        let mut ended = Vec::new();
        for run in &mut self.runs {
            if run.poll() {
                ended.push(run.id);
                if self.timeline.follow_live {
                    self.timeline.request_fit();
                }
            }
        }
        // A run that asked for predictions: the reveal shows, and the timeline goes to the
        // evidence of its first figure.
        if let Some(run) = self.current_run().filter(|r| ended.contains(&r.id)) {
            let evidence = run.live.lock().ok().and_then(|t| {
                let first = *t.predict.first()?;
                Some(first.evidence(&t))
            });
            if let Some((a, b)) = evidence {
                self.reveal_hidden = false;
                self.timeline.zoom_to(a, b);
            }
        }
        for id in ended {
            self.run_both_next(id, &ctx);
        }
        let theme = Theme::from_visuals(ui.visuals());
        let live = self.current_run().map(|r| r.live.clone());
        let guard = live.as_ref().and_then(|l| l.lock().ok());
        let trace: Option<&Trace> = guard.as_deref();
        let (events, dropped, truncated) =
            trace.map_or((0, 0, false), |t| (t.events, t.events_dropped, t.truncated));
        let line = self.status_line(trace);
        let lang = self.state.language;
        self.timeline.lang = lang;
        let reveals = self.reveals(trace);
        let mut commands = Vec::new();

        if self.state.presenting {
            commands.extend(self.presentation_bar_ui(ui, &line, reveals.as_deref()));
        }
        if !self.state.presenting && self.state.hide_left {
            egui::Panel::left("scenarios folded")
                .exact_size(28.0)
                .resizable(false)
                .show(ui, |ui| {
                    if ui
                        .button("»")
                        .on_hover_text(t!(lang, "show-scenario-panel"))
                        .clicked()
                    {
                        self.state.hide_left = false;
                    }
                });
        }
        if !self.state.presenting && self.state.hide_right {
            let findings = self
                .current_run()
                .and_then(|r| r.summary.as_ref())
                .map_or(0, |s| s.findings.len());
            egui::Panel::right("details folded")
                .exact_size(28.0)
                .resizable(false)
                .show(ui, |ui| {
                    if ui
                        .button("«")
                        .on_hover_text(t!(lang, "show-details-panel"))
                        .clicked()
                    {
                        self.state.hide_right = false;
                    }
                    if findings > 0 {
                        // What waits behind the strip, so it is not missed.
                        let count = ui
                            .colored_label(ui.visuals().warn_fg_color, format!("{findings}!"))
                            .on_hover_text(t!(lang, "findings-folded", count = findings));
                        if count.clicked() {
                            self.state.hide_right = false;
                        }
                    }
                });
        }
        if !self.state.presenting && !self.state.hide_left {
            egui::Panel::left("scenarios")
                .default_size(300.0)
                .min_size(240.0)
                .show(ui, |ui| {
                    if ui
                        .small_button(t!(lang, "hide-left"))
                        .on_hover_text(t!(lang, "hide-left-hover"))
                        .clicked()
                    {
                        self.state.hide_left = true;
                    }
                    egui::ScrollArea::vertical()
                        .id_salt("left panel")
                        .show(ui, |ui| {
                            let status = RunStatus {
                                running: self.is_running(),
                                runtime: self.state.runtime,
                                has_run: !self.runs.is_empty(),
                                line: &line,
                                events,
                                dropped,
                                truncated,
                            };
                            commands.extend(scenario_panel_ui(
                                ui,
                                &self.entries,
                                self.selected,
                                self.scan_error.as_deref(),
                                &status,
                                (self.state.language, &self.state.recent),
                                (&mut self.predict_typed, reveals.as_deref()),
                            ));
                            commands.extend(scenarios::console_ui(
                                ui,
                                self.state.console_port,
                                self.console.as_ref().map(|c| c.addr()),
                                lang,
                            ));
                            if let Some(entry) = self.selected.and_then(|i| self.entries.get_mut(i))
                            {
                                commands.extend(scenarios::editor_ui(ui, entry, lang));
                            }
                            ui.separator();
                            let shown = self.shown_run.or(self.runs.len().checked_sub(1));
                            commands.extend(runs::runs_ui(ui, &mut self.runs, shown, lang));
                        });
                });
        }
        if !self.state.presenting && !self.state.hide_right {
            egui::Panel::right("details")
                .default_size(320.0)
                .min_size(260.0)
                .show(ui, |ui| {
                    if ui
                        .small_button(t!(lang, "hide-right"))
                        .on_hover_text(t!(lang, "hide-right-hover"))
                        .clicked()
                    {
                        self.state.hide_right = true;
                    }
                    if let Some(run) = shown_run(&self.runs, self.shown_run) {
                        findings_ui(ui, run, &mut self.timeline, lang);
                        ui.separator();
                        if let Some(h) = run.histograms() {
                            egui::CollapsingHeader::new(t!(lang, "histograms")).show(ui, |ui| {
                                histograms::histograms_ui(ui, h, &mut self.histogram_group, lang);
                            });
                            if let Some(t) = trace {
                                egui::CollapsingHeader::new(t!(lang, "task-groups"))
                                    .show(ui, |ui| {
                                        histograms::group_metrics_ui(ui, &t.group_metrics, lang)
                                    });
                            }
                            ui.separator();
                        }
                    }
                    ui.heading(t!(lang, "details"));
                    egui::ScrollArea::vertical()
                        .id_salt("details")
                        .show(ui, |ui| match trace {
                            Some(t) => {
                                // Where the selected task is: at the time under the
                                // pointer, else (live) now.
                                let live = self.is_running();
                                let at = self.timeline.cursor_ns.or(live.then(|| t.end_ns()));
                                if let Some(sel) =
                                    details::details_ui(ui, t, self.timeline.selection, at, lang)
                                {
                                    self.timeline.selection = Some(sel);
                                }
                            }
                            None => {
                                ui.weak(t!(lang, "no-run-yet"));
                            }
                        });
                });
        }
        // The waits the scenario's steps can have (and the library tasks' I/O).
        let waits: std::collections::BTreeSet<crate::trace::WaitReason> = trace
            .map(|t| {
                let library = t.tasks.iter().any(|task| task.name.is_none());
                t.steps
                    .iter()
                    .filter_map(|s| s.wait)
                    .chain(library.then_some(crate::trace::WaitReason::Io))
                    .collect()
            })
            .unwrap_or_default();
        let refused =
            trace.is_some_and(|t| t.http.iter().any(|h| matches!(h.status, Some(429 | 0))));
        let printed = trace.is_some_and(|t| !t.prints.is_empty());
        // From the summary a finished run made (tasks are cancelled only as a run ends).
        let cancelled = shown_run(&self.runs, self.shown_run)
            .and_then(|r| r.summary.as_ref())
            .is_some_and(|s| s.tasks.cancelled > 0);
        if !self.state.presenting || self.state.present_legend {
            egui::Panel::bottom("legend").show(ui, |ui| {
                legend::legend_ui(ui, &theme, &waits, refused, printed, cancelled, lang)
            });
        }
        if let Some(t) = trace.filter(|_| printed && self.compare.is_none()) {
            // A replay shows the lines printed by its time.
            let until = self
                .replay
                .as_ref()
                .filter(|r| shown_run(&self.runs, self.shown_run).is_some_and(|s| s.id == r.run_id))
                .map_or(u64::MAX, |r| r.until_ns());
            egui::Panel::bottom("output")
                .resizable(false)
                .exact_size(output::panel_height(ui, t))
                .show(ui, |ui| output::output_ui(ui, t, &mut self.timeline, until));
        }
        self.timeline.show_plots = !self.state.presenting || self.state.present_plots;
        self.timeline.compact = self.state.presenting;
        let can_run = self.can_run();
        let other_scenario = self.other_scenario_note(trace);
        let shown = shown_run(&self.runs, self.shown_run);
        if let Some(view) = &mut self.compare {
            // The compared runs are locked inside; release the one on screen first.
            drop(guard);
            egui::CentralPanel::default().show(ui, |ui| {
                commands.extend(compare::compare_ui(ui, view, &self.runs, &theme, lang));
            });
        } else {
            let replay = &mut self.replay;
            egui::CentralPanel::default().show(ui, |ui| match (trace, shown) {
                (Some(t), Some(_)) if t.finishing => {
                    ui.centered_and_justified(|ui| {
                        ui.label(t!(lang, "finishing-run", events = t.events));
                    });
                    ui.ctx().request_repaint_after(Duration::from_millis(30));
                }
                (Some(t), Some(run)) => {
                    let live = run.is_running();
                    let mut now_ns = if live {
                        (run.started.elapsed().as_nanos() as u64).max(t.end_ns())
                    } else {
                        t.end_ns()
                    };
                    // The model may be behind a busy run: draw up to where it is.
                    let mut catching_up_to = None;
                    if let Some(frontier) = t.live_frontier_ns.filter(|&f| live && f < now_ns) {
                        catching_up_to = Some(now_ns);
                        now_ns = frontier;
                    }
                    let mut until_ns = None;
                    if let Some(r) = replay.as_mut().filter(|r| r.run_id == run.id) {
                        commands.extend(replay::replay_bar_ui(ui, r, lang));
                        now_ns = r.until_ns();
                        until_ns = Some(now_ns);
                        catching_up_to = None;
                    }
                    if let Some(text) = &other_scenario {
                        other_scenario_ui(ui, text, can_run, lang, &mut commands);
                    }
                    let view = RunView {
                        trace: t,
                        now_ns,
                        catching_up_to,
                        live: live || until_ns.is_some(),
                        until_ns,
                        offer_replay: !live && until_ns.is_none(),
                    };
                    if timeline_ui(ui, &mut self.timeline, &view, &theme) {
                        commands.push(Command::StartReplay);
                    }
                }
                _ => {
                    ui.centered_and_justified(|ui| {
                        ui.weak(t!(lang, "select-and-run"));
                    });
                }
            });
            drop(guard);
        }
        for c in commands {
            self.apply(c, &ctx);
        }
        if self.is_running() {
            // The clock moves even when no batch arrives.
            ctx.request_repaint_after(Duration::from_millis(33));
        }
    }
}

/// Over the timeline when it shows a run of another scenario than the selected one: says
/// so, with a Run button for the selected one.
fn other_scenario_ui(
    ui: &mut egui::Ui,
    text: &str,
    can_run: bool,
    lang: Language,
    commands: &mut Vec<Command>,
) {
    egui::Frame::new()
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.25))
        .inner_margin(egui::Margin::symmetric(8, 4))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(text).strong());
                if ui
                    .add_enabled(can_run, egui::Button::new(t!(lang, "run-selected")))
                    .clicked()
                {
                    commands.push(Command::Run);
                }
            });
        });
}

/// Over the whole window while files are dragged over it: what dropping them does.
fn drop_hint(ctx: &egui::Context, lang: Language) {
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop hint"),
    ));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        t!(lang, "drop-hint"),
        egui::FontId::proportional(22.0),
        egui::Color32::WHITE,
    );
}

/// The run picked in the history, else the latest (a free function so panels can borrow
/// the runs while the timeline state is borrowed mutably).
fn shown_run(runs: &[RunSlot], picked: Option<usize>) -> Option<&RunSlot> {
    picked.and_then(|i| runs.get(i)).or(runs.last())
}

/// The run's findings; clicking one selects its task and zooms to the evidence.
fn findings_ui(ui: &mut egui::Ui, run: &RunSlot, timeline: &mut TimelineState, lang: Language) {
    ui.heading(t!(lang, "findings"));
    if run.is_running() {
        ui.weak(t!(lang, "findings-when-run-ends"));
        return;
    }
    // What went wrong with the run itself (a script that failed), and what to know.
    if let Some(s) = &run.summary {
        for e in &s.run_errors {
            ui.colored_label(
                ui.visuals().error_fg_color,
                t!(lang, "run-error", error = e.as_str()),
            );
        }
        // A run of a scenario on asyncio says its notes in the window's language; a run
        // opened from a file has them as recorded.
        let notes = match (&run.scenario, run.runtime) {
            (Some(sc), Runtime::Asyncio) if !s.notes.is_empty() => {
                crate::asyncio_run::asyncio_notes_in(sc, lang)
            }
            _ => s.notes.clone(),
        };
        for n in &notes {
            let note = t!(lang, "run-note", note = n.as_str());
            ui.add(egui::Label::new(egui::RichText::new(note).weak()).wrap());
        }
    }
    if run.findings().is_empty() {
        ui.weak(t!(lang, "findings-none"));
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .max_height(ui.available_height() * 0.45)
        .show(ui, |ui| {
            for f in run.findings() {
                let (mark, color) = match f.severity {
                    Severity::Error => (t!(lang, "severity-error"), ui.visuals().error_fg_color),
                    Severity::Warning => (t!(lang, "severity-warning"), ui.visuals().warn_fg_color),
                    Severity::Info => (t!(lang, "severity-info"), ui.visuals().text_color()),
                };
                let text = f.text(lang);
                ui.colored_label(color, mark);
                let r = ui
                    .add(egui::Button::new(text.message.as_str()).wrap().frame(false))
                    .on_hover_text(t!(
                        lang,
                        "finding-hover",
                        cause = text.cause.as_str(),
                        remedy = text.remedy.as_str()
                    ));
                if r.clicked() {
                    if let Some(task) = f.task {
                        timeline.selection = Some(timeline::Selection::Task(task));
                    }
                    timeline.zoom_to(f.range_ns.0, f.range_ns.1);
                }
                ui.weak(t!(lang, "finding-fix", remedy = text.remedy.as_str()));
                ui.add_space(6.0);
            }
        });
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }

    fn on_exit(&mut self) {
        // Stop a live run so its threads end with the window.
        if let Some(run) = self.runs.last().filter(|r| r.is_running()) {
            run.stop.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_launch_keeps_the_saved_language_unless_the_command_line_names_one() {
        let zh = Language::Chinese;
        // A first launch speaks the environment's language.
        let first = State::at_launch(None, zh, Launch::default());
        assert_eq!(first.language, zh);
        assert_eq!(first.hide_right, State::default().hide_right);
        // The switch's choice, saved, wins over the environment…
        let saved = State {
            language: Language::English,
            zoom: 1.5,
            ..State::default()
        };
        let again = State::at_launch(Some(saved.clone()), zh, Launch::default());
        assert_eq!(again, saved);
        // …and --lang, --present and --console over what was saved.
        let asked = State::at_launch(
            Some(saved),
            Language::English,
            Launch {
                present: true,
                console: Some(7000),
                lang: Some(zh),
            },
        );
        assert_eq!(asked.language, zh);
        assert!(asked.presenting);
        assert_eq!(asked.console_port, Some(7000));
        assert_eq!(asked.zoom, 1.5);
    }
}
