//! The scenario panel: the scenarios found in the scenarios folder, the selected one's
//! lesson and parameters, Run / Stop and the run's status.

use std::path::{Path, PathBuf};

use egui::Ui;

use super::Command;
use crate::scenario::{self, Flavor, Scenario, Step};

/// One scenario file: loaded, or the error that says why not.
pub struct ScenarioEntry {
    pub path: PathBuf,
    pub scenario: Result<Scenario, String>,
}

impl ScenarioEntry {
    pub fn title(&self) -> String {
        match &self.scenario {
            Ok(s) => s.name.clone(),
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
    Ok(paths
        .into_iter()
        .map(|path| ScenarioEntry {
            scenario: scenario::load(&path).map_err(|e| e.to_string()),
            path,
        })
        .collect())
}

/// Status of the run on screen, as the panel shows it.
pub struct RunStatus<'a> {
    pub running: bool,
    pub has_run: bool,
    pub line: &'a str,
    pub events: u64,
    pub dropped: u64,
    /// Recording stopped at the memory cap.
    pub truncated: bool,
}

#[must_use]
pub fn scenario_panel_ui(
    ui: &mut Ui,
    entries: &[ScenarioEntry],
    selected: Option<usize>,
    scan_error: Option<&str>,
    status: &RunStatus<'_>,
) -> Option<Command> {
    let mut command = None;
    ui.horizontal(|ui| {
        ui.heading("Scenarios");
        if ui
            .button("Open…")
            .on_hover_text("Open any scenario file (.toml)")
            .clicked()
        {
            command = Some(Command::OpenDialog);
        }
    });
    if let Some(e) = scan_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    egui::ScrollArea::vertical()
        .id_salt("scenario list")
        .max_height(ui.available_height() * 0.35)
        .show(ui, |ui| {
            for (i, entry) in entries.iter().enumerate() {
                let title = entry.title();
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
        let can_run = entry.is_some_and(|e| e.scenario.is_ok()) && !status.running;
        if ui
            .add_enabled(can_run, egui::Button::new("Run"))
            .on_hover_text("Run the selected scenario on a fresh runtime")
            .clicked()
        {
            command = Some(Command::Run);
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

    match entry.map(|e| &e.scenario) {
        Some(Ok(sc)) => scenario_facts_ui(ui, sc),
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        None => {
            ui.weak("Select a scenario.");
        }
    }
    command
}

fn scenario_facts_ui(ui: &mut Ui, sc: &Scenario) {
    ui.strong(&sc.name);
    ui.label(&sc.about);
    if sc.allow_external {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "allow_external = true: this scenario may send requests beyond 127.0.0.1",
        );
    }
    ui.add_space(6.0);
    egui::Grid::new("scenario params")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (k, v) in scenario_facts(sc) {
                ui.label(k);
                ui.label(v);
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
            Step::SleepMs(ms) => format!("sleep {ms} ms"),
            Step::CpuMs(ms) => format!("cpu {ms} ms"),
            Step::BlockMs(ms) => format!("block {ms} ms"),
            Step::OffloadCpuMs(ms) => format!("offload cpu {ms} ms"),
            Step::OffloadBlockMs(ms) => format!("offload block {ms} ms"),
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
            } => format!("spawn {count} `{name}` [{}]", steps_summary(steps)),
            Step::Panic(_) => "panic".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
