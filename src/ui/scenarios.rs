//! The scenario panel: the scenarios found in the scenarios folder, the selected one's
//! lesson and parameters, Run / Stop and the run's status.

use std::path::{Path, PathBuf};

use egui::Ui;

use super::{Command, Language};
use crate::scenario::edit::{Knob, KnobKind, KnobValue, ScenarioEdit};
use crate::scenario::{self, Flavor, Scenario, Step};

/// One scenario file: loaded, or the error that says why not; and its parameters as edited
/// in the panel.
pub struct ScenarioEntry {
    pub path: PathBuf,
    pub scenario: Result<Scenario, String>,
    /// The file's parameters being edited (None for a file that does not load).
    pub edit: Option<ScenarioEdit>,
    /// The edited scenario, validated, once an edit differs from the file.
    pub edited: Option<Result<Scenario, String>>,
}

impl ScenarioEntry {
    /// Reads and validates the file at `path`, ready for editing.
    pub fn load(path: PathBuf) -> Self {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{shown}: cannot read the scenario: {e}"));
        let scenario = text.as_deref().map_err(Clone::clone).and_then(|t| {
            let mut sc = scenario::parse(&shown, t).map_err(|e| e.to_string())?;
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
    pub fn current(&self) -> Result<&Scenario, &str> {
        match &self.edited {
            Some(r) => r.as_ref().map_err(String::as_str),
            None => self.scenario.as_ref().map_err(String::as_str),
        }
    }

    /// Validates the edits again (after a knob moved).
    pub fn refresh_edited(&mut self) {
        self.edited = self.edit.as_ref().filter(|e| e.is_changed()).map(|e| {
            let mut sc = e.scenario().map_err(|err| err.to_string())?;
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
    match (language, &sc.name_zh) {
        (Language::Chinese, Some(n)) => n,
        _ => &sc.name,
    }
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
pub(crate) fn lesson_for(sc: &Scenario, language: Language, runtime: super::Runtime) -> &str {
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
    language: Language,
    recent: &[PathBuf],
) -> Option<Command> {
    let mut command = None;
    // Wrapped: the buttons go on a second line rather than widen the panel.
    ui.horizontal_wrapped(|ui| {
        ui.heading("Scenarios");
        for (l, text, hover) in [
            (
                Language::English,
                "English",
                "Scenario names and lessons in English",
            ),
            (
                Language::Chinese,
                "中文",
                "Scenario names and lessons in Chinese (where the file has them)",
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
            .button("Open…")
            .on_hover_text(
                "Open a scenario (.toml) or a recorded run (Ctrl+O; or drop files on the window)",
            )
            .clicked()
        {
            command = Some(Command::OpenDialog);
        }
        if ui
            .button("Trace a Python script…")
            .on_hover_text(
                "Run an asyncio program (.py) on the instrumented event loop and watch it live \
                 (or drop it on the window). The lab server runs beside it: its URL is in \
                 ASYNCSCOPE_LAB_URL",
            )
            .clicked()
        {
            command = Some(Command::TracePyDialog);
        }
        ui.add_enabled_ui(!recent.is_empty(), |ui| {
            ui.menu_button("Recent", |ui| {
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
                    Err(e) => r.on_hover_text(e),
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
            .add_enabled(can_run, egui::Button::new("Run"))
            .on_hover_text("Run the selected scenario on a fresh runtime")
            .clicked()
        {
            command = Some(Command::Run);
        }
        let other = match status.runtime {
            super::Runtime::Tokio => (super::Runtime::Asyncio, "on tokio"),
            super::Runtime::Asyncio => (super::Runtime::Tokio, "on asyncio"),
        };
        if ui
            .button(other.1)
            .on_hover_text("The runtime Run uses: tokio, or CPython's asyncio (click to switch)")
            .clicked()
        {
            command = Some(Command::SetRuntime(other.0));
        }
        if ui
            .add_enabled(can_run, egui::Button::new("Run on both"))
            .on_hover_text("Run it on tokio, then on asyncio, and compare the two runs")
            .clicked()
        {
            command = Some(Command::RunBoth);
        }
        if ui
            .add_enabled(status.running, egui::Button::new("Stop"))
            .on_hover_text("Stop the run; the trace so far is kept")
            .clicked()
        {
            command = Some(Command::Stop);
        }
        if ui
            .add_enabled(status.has_run, egui::Button::new("Export view…"))
            .on_hover_text("Save the timeline as you see it, as SVG or PNG, for slides (Ctrl+E)")
            .clicked()
        {
            command = Some(Command::ExportDialog);
        }
    });
    ui.label(status.line);
    ui.weak(format!(
        "{} events captured, {} dropped",
        status.events, status.dropped
    ));
    if status.truncated {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Truncated at {} events: the memory cap (max_events) was reached and the rest \
                 of the run was not recorded",
                status.events
            ),
        );
    } else if status.dropped > 0 {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Events were dropped (the capture channel was full): the trace is incomplete",
        );
    }
    ui.separator();

    match entry.map(ScenarioEntry::current) {
        Some(Ok(sc)) => scenario_facts_ui(ui, sc, language, status.runtime),
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        None => {
            ui.weak("Select a scenario.");
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
            ui.weak("(this file has no Chinese text: about_zh)");
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
        ui.strong(match language {
            Language::Chinese => "在 asyncio 上",
            Language::English => "On asyncio",
        });
        ui.label(about);
    }
    if sc.allow_external {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "allow_external = true: this scenario may send requests beyond 127.0.0.1",
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
            for (k, v) in scenario_facts(sc) {
                ui.label(k);
                ui.add(egui::Label::new(v).wrap());
                ui.end_row();
            }
        });
}

/// The scenario's parameters as (what, value) rows: runtime, pool, server, task groups.
pub fn scenario_facts(sc: &Scenario) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |k: &str, v: String| rows.push((k.to_string(), v));
    row(
        "runtime",
        match sc.runtime.flavor {
            Flavor::CurrentThread => "current_thread (one thread)".to_string(),
            Flavor::MultiThread => format!("multi_thread, {} workers", sc.runtime.workers),
        },
    );
    row(
        "network",
        if sc.allow_external {
            "external URLs allowed (allow_external = true)".to_string()
        } else {
            "127.0.0.1 only (the lab server)".to_string()
        },
    );
    row(
        "blocking pool",
        format!("up to {} threads", sc.runtime.max_blocking_threads),
    );
    let s = &sc.server;
    let mut server = format!("{} ms", s.latency_ms);
    if s.jitter_ms > 0 {
        server += &format!(" ± {} ms", s.jitter_ms);
    }
    if s.rate_limit_per_s > 0 {
        server += &format!(", 429 above {}/s", s.rate_limit_per_s);
    }
    row("lab server", server);
    if let Some(p) = sc.heartbeat_period_ms {
        row("heartbeat", format!("every {p} ms"));
    }
    for (name, permits) in &sc.semaphores {
        row("semaphore", format!("{name}: {permits} permits"));
    }
    for (name, capacity) in &sc.channels {
        row("channel", format!("{name}: room for {capacity} messages"));
    }
    if sc.uses_cpu_pool() {
        row(
            "cpu pool",
            format!("{} threads (cpu_threads)", sc.runtime.cpu_threads),
        );
    }
    for (name, what) in &sc.results {
        row("result", format!("{name}: {what} (set once)"));
    }
    for g in &sc.groups {
        let mut v = format!("{} × {}", g.count, steps_summary(&g.steps));
        if g.spawn_interval_ms > 0 {
            v += &format!(" (one every {} ms)", g.spawn_interval_ms);
        }
        row(&format!("task `{}`", g.name), v);
    }
    rows
}

/// `http_get /items, cpu 2 ms` — a short description of a step list.
pub fn steps_summary(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::HttpGet(u) => format!("GET {u}"),
            Step::BlockingHttpGet(u) => format!("blocking GET {u} (inside the poll)"),
            Step::SleepMs(ms) => format!("sleep {ms} ms"),
            Step::CpuMs(ms) => format!("cpu {ms} ms"),
            Step::BlockMs(ms) => format!("block {ms} ms"),
            Step::OffloadCpuMs(ms) => format!("offload cpu {ms} ms"),
            Step::OffloadBlockMs(ms) => format!("offload block {ms} ms"),
            Step::CpuPoolMs(ms) => format!("cpu {ms} ms on the CPU pool"),
            Step::YieldNow => "yield".to_string(),
            Step::ForgetWake => "forget its wake-up (hangs)".to_string(),
            Step::Permit { semaphore, steps } => {
                format!("with {semaphore} permit [{}]", steps_summary(steps))
            }
            Step::Repeat { times, steps } => format!("{times} × [{}]", steps_summary(steps)),
            Step::Join(b) => format!(
                "join [{}]",
                b.iter()
                    .map(|s| steps_summary(s))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
            Step::Spawn {
                name, count, steps, ..
            } => match s.spawn_pause() {
                Some((ms, false)) => format!(
                    "spawn {count} `{name}` [{}], sleep {ms} ms, await them",
                    steps_summary(steps)
                ),
                Some((ms, true)) => format!(
                    "spawn {count} `{name}` [{}], abort them after {ms} ms",
                    steps_summary(steps)
                ),
                None => format!("spawn {count} `{name}` [{}]", steps_summary(steps)),
            },
            Step::Timeout { ms, steps } => {
                format!("within {ms} ms [{}], else drop it", steps_summary(steps))
            }
            Step::Race(b) => format!(
                "race [{}], the first wins",
                b.iter()
                    .map(|s| steps_summary(s))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
            Step::Lazy { delay_ms, steps } => format!(
                "build [{}], await it after {delay_ms} ms",
                steps_summary(steps)
            ),
            Step::Panic(_) => "panic".to_string(),
            Step::Print(text) => format!("print {text:?}"),
            Step::SetResult(name) => format!("set result `{name}`"),
            Step::AwaitResult(name) => format!("await result `{name}`"),
            Step::RecvReady(n) => format!("receive {n} ready messages"),
            Step::SendTo { channel, count } => format!("send {count} to `{channel}`"),
            Step::RecvFrom { channel, count } => format!("receive {count} from `{channel}`"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One knob's label and field; the new value when the user changed it.
fn knob_ui(ui: &mut Ui, i: usize, k: &Knob) -> Option<KnobValue> {
    let short = k
        .label
        .strip_prefix(&format!("{} · ", k.section))
        .unwrap_or(&k.label);
    let label = ui.label(short);
    let label = if k.value != k.original {
        label.on_hover_text(format!("{} in the file", k.original))
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
pub fn editor_ui(ui: &mut Ui, entry: &mut ScenarioEntry) -> Option<Command> {
    let edit = entry.edit.as_mut()?;
    let mut command = None;
    let mut changed = false;
    // Closed at first: the run history stays in view below; the facts above already say
    // the values.
    egui::CollapsingHeader::new("Parameters")
        .default_open(false)
        .show(ui, |ui| {
            ui.weak("Turn a knob, then Run: the run uses these values.");
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
                        if let Some(v) = knob_ui(ui, i, k) {
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
                ui.weak("As in the file.");
            } else {
                ui.label(format!("Changed: {}", changes.join("; ")));
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!changes.is_empty(), egui::Button::new("Reset"))
                    .on_hover_text("Back to the file's values")
                    .clicked()
                {
                    edit.reset();
                    changed = true;
                }
                if ui
                    .button("Save as…")
                    .on_hover_text(
                        "Write the edited scenario to a new TOML file (comments and layout kept)",
                    )
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
) -> Option<Command> {
    let mut command = None;
    ui.horizontal(|ui| {
        let mut on = port.is_some();
        let r = ui
            .checkbox(&mut on, "tokio-console")
            .on_hover_text("Serve each run to tokio-console (console-subscriber) on 127.0.0.1");
        let mut p = port.unwrap_or(crate::capture::console::DEFAULT_PORT);
        let field = ui.add_enabled(
            on,
            egui::DragValue::new(&mut p)
                .range(1024..=65535)
                .prefix("port "),
        );
        let field = field.labelled_by(r.id);
        if r.changed() || field.changed() {
            command = Some(Command::SetConsole(on.then_some(p)));
        }
    });
    if let Some(addr) = serving {
        ui.weak(format!(
            "Serving the latest run: tokio-console http://{addr}"
        ));
    } else if let Some(p) = port {
        ui.weak(format!("The next run is served on 127.0.0.1:{p}"));
    }
    command
}
