//! The scenario panel: the scenarios found in the scenarios folder, the selected one's
//! lesson and parameters, Run / Stop and the run's status.

use std::path::{Path, PathBuf};

use egui::Ui;

use super::{Command, Language};
use crate::scenario::edit::{Knob, KnobKind, KnobValue, ScenarioEdit};
use crate::scenario::{self, Flavor, Scenario, Step};
use crate::t;

/// One scenario file: loaded, or the error that says why not; and its parameters as edited
/// in the panel.
pub struct ScenarioEntry {
    pub path: PathBuf,
    pub scenario: Result<Scenario, Problem>,
    /// The file's parameters being edited (None for a file that does not load).
    pub edit: Option<ScenarioEdit>,
    /// The edited scenario, validated, once an edit differs from the file.
    pub edited: Option<Result<Scenario, Problem>>,
}

/// Why a scenario does not load, in every language: the file, line and column, what was
/// expected, and the line with a caret under the column (the same in all).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    texts: Vec<(Language, String)>,
}

impl Problem {
    fn of(e: &scenario::ScenarioError) -> Problem {
        let texts = Language::ALL
            .into_iter()
            .map(|l| {
                let text = match e {
                    scenario::ScenarioError::Invalid(d) => d.render_in(l),
                    scenario::ScenarioError::Read { path, source } => t!(
                        l,
                        "scenario-unreadable",
                        path = path.as_str(),
                        error = source.to_string()
                    ),
                };
                (l, text)
            })
            .collect();
        Problem { texts }
    }

    fn unreadable(path: &str, error: &std::io::Error) -> Problem {
        let texts = Language::ALL
            .into_iter()
            .map(|l| {
                let text = t!(
                    l,
                    "scenario-unreadable",
                    path = path,
                    error = error.to_string()
                );
                (l, text)
            })
            .collect();
        Problem { texts }
    }

    /// The problem in `lang`.
    pub fn text(&self, lang: Language) -> &str {
        self.texts
            .iter()
            .find(|(l, _)| *l == lang)
            .or(self.texts.first())
            .map_or("", |(_, t)| t)
    }
}

impl ScenarioEntry {
    /// Reads and validates the file at `path`, ready for editing.
    pub fn load(path: PathBuf) -> Self {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| Problem::unreadable(&shown, &e));
        let scenario = text.as_deref().map_err(Clone::clone).and_then(|t| {
            let mut sc = scenario::parse(&shown, t).map_err(|e| Problem::of(&e))?;
            sc.path = Some(path.clone());
            Ok(sc)
        });
        let edit = match (&scenario, &text) {
            (Ok(_), Ok(t)) => ScenarioEdit::new(shown, t).ok(),
            _ => None,
        };
        ScenarioEntry {
            path,
            scenario,
            edit,
            edited: None,
        }
    }

    /// The scenario a Run uses: the edited one, if there are edits, else the file's.
    pub fn current(&self) -> Result<&Scenario, &Problem> {
        match &self.edited {
            Some(r) => r.as_ref(),
            None => self.scenario.as_ref(),
        }
    }

    /// Validates the edits again (after a knob moved).
    pub fn refresh_edited(&mut self) {
        self.edited = self.edit.as_ref().filter(|e| e.is_changed()).map(|e| {
            let mut sc = e.scenario().map_err(|err| Problem::of(&err))?;
            sc.path = Some(self.path.clone());
            // Runs of an edited scenario say how it differs, in the history and comparisons.
            let changes = e.changes();
            let mut what = changes
                .iter()
                .take(2)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if changes.len() > 2 {
                what += &format!(", +{}", changes.len() - 2);
            }
            sc.name = format!("{} ({what})", sc.name);
            Ok(sc)
        });
    }

    /// The scenario's name in `language` (English where the file has no translation), or
    /// the file name of a file that does not load.
    pub fn title(&self, language: Language) -> String {
        match &self.scenario {
            Ok(s) => name_in(s, language).to_string(),
            Err(_) => self
                .path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        }
    }

    pub fn stem(&self) -> String {
        self.path
            .file_stem()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }
}

/// Reads every `*.toml` in `dir`, sorted by file name. A bad file is listed with its error.
pub fn scan(dir: &Path) -> Result<Vec<ScenarioEntry>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the scenarios folder {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    Ok(paths.into_iter().map(ScenarioEntry::load).collect())
}

/// Status of the run on screen, as the panel shows it.
pub struct RunStatus<'a> {
    pub running: bool,
    /// The runtime Run uses (tokio or asyncio).
    pub runtime: super::Runtime,
    pub has_run: bool,
    pub line: &'a str,
    pub events: u64,
    pub dropped: u64,
    /// Recording stopped at the memory cap.
    pub truncated: bool,
}

pub(crate) fn name_in(sc: &Scenario, language: Language) -> &str {
    sc.name_in(language)
}

/// The lesson in `language`, in English where the file has no translation.
pub(crate) fn about_in(sc: &Scenario, language: Language) -> &str {
    match (language, &sc.about_zh) {
        (Language::Chinese, Some(a)) => a,
        _ => &sc.about,
    }
}

/// The asyncio lesson in `language` (English where untranslated), if the file has one.
pub(crate) fn asyncio_about_in(sc: &Scenario, language: Language) -> Option<&str> {
    match (language, &sc.about_asyncio_zh, &sc.about_asyncio) {
        (Language::Chinese, Some(a), _) => Some(a),
        (_, _, Some(a)) => Some(a),
        _ => None,
    }
}

/// The lesson of a run on `runtime`: on asyncio its own where the file has one.
/// The lesson a run on `runtime` shows, in `language` (in English where the file has no
/// translation).
pub fn lesson_for(sc: &Scenario, language: Language, runtime: super::Runtime) -> &str {
    match runtime {
        super::Runtime::Asyncio => asyncio_about_in(sc, language),
        super::Runtime::Tokio => None,
    }
    .unwrap_or_else(|| about_in(sc, language))
}

#[must_use]
pub fn scenario_panel_ui(
    ui: &mut Ui,
    entries: &[ScenarioEntry],
    selected: Option<usize>,
    scan_error: Option<&str>,
    status: &RunStatus<'_>,
    (language, recent): (Language, &[PathBuf]),
    (typed, reveals): (
        &mut Vec<(crate::trace::Figure, String)>,
        Option<&[crate::trace::Reveal]>,
    ),
) -> Option<Command> {
    let mut command = None;
    // Wrapped: the buttons go on a second line rather than widen the panel.
    ui.horizontal_wrapped(|ui| {
        ui.heading(t!(language, "scenarios"));
        for (l, text, hover) in [
            (
                Language::English,
                "English",
                t!(language, "language-english-hover"),
            ),
            (
                Language::Chinese,
                "中文",
                t!(language, "language-chinese-hover"),
            ),
        ] {
            if ui
                .selectable_label(language == l, text)
                .on_hover_text(hover)
                .clicked()
            {
                command = Some(Command::SetLanguage(l));
            }
        }
        if ui
            .button(t!(language, "open"))
            .on_hover_text(t!(language, "open-hover"))
            .clicked()
        {
            command = Some(Command::OpenDialog);
        }
        if ui
            .button(t!(language, "trace-python"))
            .on_hover_text(t!(language, "trace-python-hover"))
            .clicked()
        {
            command = Some(Command::TracePyDialog);
        }
        ui.add_enabled_ui(!recent.is_empty(), |ui| {
            ui.menu_button(t!(language, "recent"), |ui| {
                for (i, p) in recent.iter().enumerate() {
                    let name = p.file_name().map_or_else(
                        || p.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    if ui
                        .button(name)
                        .on_hover_text(p.display().to_string())
                        .clicked()
                    {
                        command = Some(Command::OpenRecent(i));
                        ui.close();
                    }
                }
            });
        });
    });
    if let Some(e) = scan_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    egui::ScrollArea::vertical()
        .id_salt("scenario list")
        .max_height(ui.available_height() * 0.45)
        .show(ui, |ui| {
            for (i, entry) in entries.iter().enumerate() {
                let title = entry.title(language);
                let r = ui.selectable_label(selected == Some(i), &title);
                let r = match &entry.scenario {
                    Ok(_) => r.on_hover_text(entry.path.display().to_string()),
                    Err(e) => r.on_hover_text(e.text(language)),
                };
                if r.clicked() {
                    command = Some(Command::Select(i));
                }
            }
        });
    ui.separator();

    let entry = selected.and_then(|i| entries.get(i));
    ui.horizontal(|ui| {
        let can_run = entry.is_some_and(|e| e.current().is_ok()) && !status.running;
        if ui
            .add_enabled(can_run, egui::Button::new(t!(language, "run")))
            .on_hover_text(t!(language, "run-fresh-hover"))
            .clicked()
        {
            command = Some(Command::Run);
        }
        let other = match status.runtime {
            super::Runtime::Tokio => (super::Runtime::Asyncio, t!(language, "on-tokio")),
            super::Runtime::Asyncio => (super::Runtime::Tokio, t!(language, "on-asyncio")),
        };
        if ui
            .button(other.1)
            .on_hover_text(t!(language, "runtime-hover"))
            .clicked()
        {
            command = Some(Command::SetRuntime(other.0));
        }
        if ui
            .add_enabled(can_run, egui::Button::new(t!(language, "run-both")))
            .on_hover_text(t!(language, "run-both-hover"))
            .clicked()
        {
            command = Some(Command::RunBoth);
        }
        if ui
            .add_enabled(status.running, egui::Button::new(t!(language, "stop")))
            .on_hover_text(t!(language, "stop-hover"))
            .clicked()
        {
            command = Some(Command::Stop);
        }
        if ui
            .add_enabled(
                status.has_run,
                egui::Button::new(t!(language, "export-view")),
            )
            .on_hover_text(t!(language, "export-view-hover"))
            .clicked()
        {
            command = Some(Command::ExportDialog);
        }
    });
    ui.label(status.line);
    ui.weak(t!(
        language,
        "events-captured",
        events = status.events,
        dropped = status.dropped
    ));
    if status.truncated {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            t!(language, "truncated-status", events = status.events),
        );
    } else if status.dropped > 0 {
        ui.colored_label(ui.visuals().warn_fg_color, t!(language, "dropped-status"));
    }
    ui.separator();

    match entry.map(ScenarioEntry::current) {
        Some(Ok(sc)) => {
            // Before Run, where the Run button is: the audience's guesses; once the run is
            // over, in the same place, the reveal.
            if let Some(reveals) = reveals {
                if let Some(c) = super::predict::reveal_ui(ui, reveals, language) {
                    command = Some(c);
                }
                ui.add_space(6.0);
            } else if !sc.predict.is_empty() {
                super::predict::card_ui(ui, &sc.predict, typed, language);
                ui.add_space(6.0);
            }
            scenario_facts_ui(ui, sc, language, status.runtime)
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e.text(language));
        }
        None => {
            ui.weak(t!(language, "select-scenario"));
        }
    }
    command
}

fn scenario_facts_ui(ui: &mut Ui, sc: &Scenario, language: Language, runtime: super::Runtime) {
    ui.strong(name_in(sc, language));
    match (language, &sc.about_zh) {
        (Language::Chinese, Some(about)) => {
            ui.label(about);
        }
        (Language::Chinese, None) => {
            ui.label(&sc.about);
            ui.weak(t!(language, "no-chinese-about"));
        }
        (Language::English, _) => {
            ui.label(&sc.about);
        }
    }
    // On asyncio, what the run shows there (the GIL, one loop), where the file says.
    if runtime == super::Runtime::Asyncio
        && let Some(about) = asyncio_about_in(sc, language)
    {
        ui.add_space(4.0);
        ui.strong(t!(language, "on-asyncio-heading"));
        ui.label(about);
    }
    if sc.allow_external {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            t!(language, "allow-external-warning"),
        );
    }
    ui.add_space(6.0);
    // Values wrap inside the panel: a long task description must not widen it (the
    // timeline would lose the width).
    let value_w = (ui.available_width() - 110.0).max(120.0);
    egui::Grid::new("scenario params")
        .num_columns(2)
        .striped(true)
        .max_col_width(value_w)
        .show(ui, |ui| {
            for (k, v) in scenario_facts(sc, language) {
                ui.label(k);
                ui.add(egui::Label::new(v).wrap());
                ui.end_row();
            }
        });
}

/// The scenario's parameters as (what, value) rows: runtime, pool, server, task groups.
pub fn scenario_facts(sc: &Scenario, l: Language) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |k: String, v: String| rows.push((k, v));
    row(
        t!(l, "fact-runtime"),
        match sc.runtime.flavor {
            Flavor::CurrentThread => t!(l, "fact-current-thread"),
            Flavor::MultiThread => t!(l, "fact-multi-thread", workers = sc.runtime.workers),
        },
    );
    row(
        t!(l, "fact-network"),
        if sc.allow_external {
            t!(l, "fact-network-external")
        } else {
            t!(l, "fact-network-local")
        },
    );
    row(
        t!(l, "fact-blocking-pool"),
        t!(
            l,
            "fact-blocking-threads",
            threads = sc.runtime.max_blocking_threads
        ),
    );
    let s = &sc.server;
    let mut server = format!("{} ms", s.latency_ms);
    if s.jitter_ms > 0 {
        server += &format!(" ± {} ms", s.jitter_ms);
    }
    if s.rate_limit_per_s > 0 {
        server += &t!(l, "fact-rate-limit", rate = s.rate_limit_per_s);
    }
    row(t!(l, "fact-lab-server"), server);
    if let Some(p) = sc.heartbeat_period_ms {
        row(t!(l, "fact-heartbeat"), t!(l, "fact-every", ms = p));
    }
    for (name, permits) in &sc.semaphores {
        row(
            t!(l, "fact-semaphore"),
            t!(
                l,
                "fact-permits",
                name = name.to_string(),
                permits = *permits
            ),
        );
    }
    for (name, capacity) in &sc.channels {
        row(
            t!(l, "fact-channel"),
            t!(
                l,
                "fact-room",
                name = name.to_string(),
                capacity = *capacity
            ),
        );
    }
    if sc.uses_cpu_pool() {
        row(
            t!(l, "fact-cpu-pool"),
            t!(l, "fact-cpu-threads", threads = sc.runtime.cpu_threads),
        );
    }
    for (name, what) in &sc.results {
        let what = match l {
            Language::Chinese => sc.results_zh.get(name).unwrap_or(what),
            Language::English => what,
        };
        row(
            t!(l, "fact-result"),
            t!(
                l,
                "fact-set-once",
                name = name.to_string(),
                what = what.to_string()
            ),
        );
    }
    for g in &sc.groups {
        let mut v = format!("{} × {}", g.count, steps_summary(&g.steps, l));
        if g.spawn_interval_ms > 0 {
            v += &t!(l, "fact-spawn-interval", ms = g.spawn_interval_ms);
        }
        row(t!(l, "fact-task-group", name = g.name.to_string()), v);
    }
    rows
}

/// `http_get /items, cpu 2 ms` — a short description of a step list.
pub fn steps_summary(steps: &[Step], l: Language) -> String {
    let branches = |b: &[scenario::Steps]| {
        b.iter()
            .map(|s| steps_summary(s, l))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    steps
        .iter()
        .map(|s| match s {
            Step::HttpGet(u) => format!("GET {u}"),
            Step::BlockingHttpGet(u) => t!(l, "step-blocking-get", url = u.to_string()),
            Step::SleepMs(ms) => t!(l, "step-sleep", ms = *ms),
            Step::CpuMs(ms) => t!(l, "step-cpu", ms = *ms),
            Step::BlockMs(ms) => t!(l, "step-block", ms = *ms),
            Step::OffloadCpuMs(ms) => t!(l, "step-offload-cpu", ms = *ms),
            Step::OffloadBlockMs(ms) => t!(l, "step-offload-block", ms = *ms),
            Step::CpuPoolMs(ms) => t!(l, "step-cpu-pool", ms = *ms),
            Step::YieldNow => t!(l, "step-yield"),
            Step::ForgetWake => t!(l, "step-forget-wake"),
            Step::Permit { semaphore, steps } => t!(
                l,
                "step-permit",
                semaphore = semaphore.to_string(),
                steps = steps_summary(steps, l)
            ),
            Step::Repeat { times, steps } => format!("{times} × [{}]", steps_summary(steps, l)),
            Step::Join(b) => t!(l, "step-join", branches = branches(b)),
            Step::Spawn {
                name, count, steps, ..
            } => {
                let (name, inner) = (name.to_string(), steps_summary(steps, l));
                match s.spawn_pause() {
                    Some((ms, false)) => t!(
                        l,
                        "step-spawn-await",
                        count = *count,
                        name = name.as_str(),
                        steps = inner.as_str(),
                        ms = ms
                    ),
                    Some((ms, true)) => t!(
                        l,
                        "step-spawn-abort",
                        count = *count,
                        name = name.as_str(),
                        steps = inner.as_str(),
                        ms = ms
                    ),
                    None => t!(
                        l,
                        "step-spawn",
                        count = *count,
                        name = name.as_str(),
                        steps = inner.as_str()
                    ),
                }
            }
            Step::Timeout { ms, steps } => {
                t!(l, "step-timeout", ms = *ms, steps = steps_summary(steps, l))
            }
            Step::Race(b) => t!(l, "step-race", branches = branches(b)),
            Step::Lazy { delay_ms, steps } => t!(
                l,
                "step-lazy",
                steps = steps_summary(steps, l),
                ms = *delay_ms
            ),
            Step::Panic(_) => "panic".to_string(),
            Step::Print(text) => format!("print {text:?}"),
            Step::SetResult(name) => t!(l, "step-set-result", name = name.to_string()),
            Step::AwaitResult(name) => t!(l, "step-await-result", name = name.to_string()),
            Step::RecvReady(n) => t!(l, "step-recv-ready", count = *n),
            Step::SendTo { channel, count } => {
                t!(
                    l,
                    "step-send",
                    count = *count,
                    channel = channel.to_string()
                )
            }
            Step::RecvFrom { channel, count } => {
                t!(
                    l,
                    "step-recv",
                    count = *count,
                    channel = channel.to_string()
                )
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One knob's label and field; the new value when the user changed it.
fn knob_ui(ui: &mut Ui, i: usize, k: &Knob, lang: Language) -> Option<KnobValue> {
    let short = k
        .label
        .strip_prefix(&format!("{} · ", k.section))
        .unwrap_or(&k.label);
    let label = ui.label(short);
    let label = if k.value != k.original {
        label.on_hover_text(t!(lang, "knob-in-file", value = k.original.to_string()))
    } else {
        label
    };
    match (k.kind, &k.value) {
        (KnobKind::Int { min, max, unit }, KnobValue::Int(n)) => {
            let mut v = *n;
            let speed = if max <= 1024 { 0.1 } else { 1.0 };
            let suffix = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            let r = ui
                .add(
                    egui::DragValue::new(&mut v)
                        .range(min..=max)
                        .speed(speed)
                        .suffix(suffix),
                )
                .labelled_by(label.id);
            r.changed().then_some(KnobValue::Int(v))
        }
        (KnobKind::Flavor, KnobValue::Text(t)) => {
            let mut v = t.clone();
            egui::ComboBox::from_id_salt(("flavor", i))
                .selected_text(v.clone())
                .show_ui(ui, |ui| {
                    for f in ["multi_thread", "current_thread"] {
                        ui.selectable_value(&mut v, f.to_string(), f);
                    }
                })
                .response
                .labelled_by(label.id);
            (&v != t).then_some(KnobValue::Text(v))
        }
        _ => {
            ui.label(k.value.to_string());
            None
        }
    }
}

/// The selected scenario's parameters as fields: turn a knob and Run uses it. Shows what
/// differs from the file, Reset, and Save as… (a TOML file that keeps the original's
/// comments and layout).
#[must_use]
pub fn editor_ui(ui: &mut Ui, entry: &mut ScenarioEntry, lang: Language) -> Option<Command> {
    let edit = entry.edit.as_mut()?;
    let mut command = None;
    let mut changed = false;
    // Closed at first: the run history stays in view below; the facts above already say
    // the values.
    egui::CollapsingHeader::new(t!(lang, "parameters"))
        .id_salt("parameters")
        .default_open(false)
        .show(ui, |ui| {
            ui.weak(t!(lang, "parameters-hint"));
            egui::Grid::new("knobs")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    let mut section: Option<&str> = None;
                    let mut edited = None;
                    for (i, k) in edit.knobs().iter().enumerate() {
                        if section != Some(k.section.as_str()) {
                            ui.strong(&k.section);
                            ui.end_row();
                            section = Some(&k.section);
                        }
                        if let Some(v) = knob_ui(ui, i, k, lang) {
                            edited = Some((i, v));
                        }
                        ui.end_row();
                    }
                    if let Some((i, v)) = edited {
                        edit.set(i, v);
                        changed = true;
                    }
                });
            let changes = edit.changes();
            if changes.is_empty() {
                ui.weak(t!(lang, "as-in-file"));
            } else {
                ui.label(t!(lang, "changed", changes = changes.join("; ")));
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!changes.is_empty(), egui::Button::new(t!(lang, "reset")))
                    .on_hover_text(t!(lang, "reset-hover"))
                    .clicked()
                {
                    edit.reset();
                    changed = true;
                }
                if ui
                    .button(t!(lang, "save-as"))
                    .on_hover_text(t!(lang, "save-as-hover"))
                    .clicked()
                {
                    command = Some(Command::SaveScenarioDialog);
                }
            });
        });
    if changed {
        entry.refresh_edited();
    }
    command
}

/// The tokio-console switch: serve the next runs on 127.0.0.1 at a port, and how to
/// connect.
#[must_use]
pub fn console_ui(
    ui: &mut Ui,
    port: Option<u16>,
    serving: Option<std::net::SocketAddr>,
    lang: Language,
) -> Option<Command> {
    let mut command = None;
    ui.horizontal(|ui| {
        let mut on = port.is_some();
        let r = ui
            .checkbox(&mut on, "tokio-console")
            .on_hover_text(t!(lang, "console-hover"));
        let mut p = port.unwrap_or(crate::capture::console::DEFAULT_PORT);
        let field = ui.add_enabled(
            on,
            egui::DragValue::new(&mut p)
                .range(1024..=65535)
                .prefix(t!(lang, "port-prefix")),
        );
        let field = field.labelled_by(r.id);
        if r.changed() || field.changed() {
            command = Some(Command::SetConsole(on.then_some(p)));
        }
    });
    if let Some(addr) = serving {
        ui.weak(t!(lang, "console-serving", addr = addr.to_string()));
    } else if let Some(p) = port {
        ui.weak(t!(lang, "console-next", port = p.to_string()));
    }
    command
}
