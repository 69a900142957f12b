//! The GUI, driven like a user with egui_kittest (no display needed): pick a scenario by
//! its label, press Run, look at lanes, legend and details; Stop a runaway run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asyncscope::ui::{App, RunOutcome, State};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// The app with the findings and details panel open (most tests read it); a first launch
/// has it folded (see `a_first_launch_gives_the_timeline_the_width`).
fn harness(dir: PathBuf) -> Harness<'static, App> {
    harness_with(
        dir,
        State {
            hide_right: false,
            ..State::default()
        },
    )
}

/// The app at 1600×1000 on the scenarios in `dir`, as a launch with `state` saved.
fn harness_with(dir: PathBuf, state: State) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), App::new(dir, state))
}

fn wait_for(
    h: &mut Harness<'static, App>,
    what: &str,
    timeout: Duration,
    done: impl Fn(&App) -> bool,
) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.step();
}

/// The trace of the run on screen.
fn trace_of<'h>(
    h: &'h Harness<'static, App>,
) -> std::sync::MutexGuard<'h, asyncscope::trace::Trace> {
    h.state()
        .current_run()
        .expect("a run")
        .live
        .lock()
        .expect("the trace")
}

fn finished(app: &App) -> bool {
    app.current_run().is_some_and(|r| !r.is_running())
}

/// The resource tracks on screen, in order.
fn track_names(h: &Harness<'static, App>) -> Vec<String> {
    let tracks = &h.state().timeline.resources.series;
    tracks.iter().map(|(c, _)| c.name.clone()).collect()
}

/// Clicks the widget labelled `label` and lets two frames pass (a click takes two).
fn click(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    h.step();
}

/// Scrolls the node labelled `label` into view (the scroll is animated), then clicks it.
fn click_scrolled(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    for _ in 0..10 {
        h.step();
    }
    click(h, label);
}

/// Presses Run and waits (up to 20 s) for the run to end.
fn press_run_and_wait(h: &mut Harness<'static, App>, what: &str) {
    h.get_by_label("Run").click();
    h.step();
    wait_for(h, what, Duration::from_secs(20), finished);
}

/// Selects the scenario titled `title` in the list, scrolled into view first (the list
/// scrolls; its scroll is animated) and checked.
fn select_scenario(h: &mut Harness<'static, App>, title: &str) {
    h.query_all_by_label(title)
        .next()
        .expect("the scenario in the list")
        .scroll_to_me();
    for _ in 0..10 {
        h.step();
    }
    h.query_all_by_label(title)
        .next()
        .expect("the scenario in the list")
        .click();
    h.step();
    h.step();
    let language = h.state().state.language;
    let selected = h
        .state()
        .selected_entry()
        .and_then(|e| e.current().ok().map(|sc| sc.name_in(language).to_string()));
    assert_eq!(selected.as_deref(), Some(title), "selected");
}

/// Adds the words of `s` (runs of ASCII letters, digits and `_`) to `names`.
fn add_words(names: &mut std::collections::BTreeSet<String>, s: &str) {
    for w in s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if !w.is_empty() {
            names.insert(w.to_string());
        }
    }
}

/// The app on the shipped scenarios, with the one titled `title` selected, run to the end.
fn run_shipped(title: &str) -> Harness<'static, App> {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    select_scenario(&mut h, title);
    press_run_and_wait(&mut h, "the run to finish");
    h.step();
    h
}

#[test]
fn run_a_scenario_and_inspect_a_task() {
    let mut h = run_shipped("I/O fan-out");

    assert_eq!(
        h.state().current_run().and_then(|r| r.outcome.clone()),
        Some(RunOutcome::Finished)
    );
    h.get_by_label_contains("Finished · wall time");
    // One lane per worker thread that polled, named in order of first use.
    h.get_by_label("worker-0");
    h.get_by_label("worker-1");
    // The legend explains the marks in words.
    h.get_by_label_contains("Pending: back to wait at an .await");
    h.get_by_label_contains("scheduled: woken, waiting for a worker");
    // The exact plots and the heartbeat under the lanes; tokio-metrics' own, collapsed.
    h.get_by_label("busy % per worker");
    h.get_by_label("scheduled tasks");
    h.get_by_label("heartbeat late (ms)");
    click(&mut h, "tokio-metrics (sampled every 50 ms)");
    h.get_by_label("worker busy %");
    h.get_by_label("busy % per tokio worker");
    h.get_by_label("tokio worker 3");
    h.get_by_label("queued tasks");
    h.get_by_label("busiest worker");
    // Histograms of poll durations and scheduling delays, per run.
    click(&mut h, "Histograms");
    h.get_by_label("poll duration");
    h.get_by_label("scheduling delay");
    // tokio-metrics' task monitors, one row per group.
    click(&mut h, "Task groups (tokio-metrics)");
    h.get_by_label("woken->polled");
    // The fetch group's 100 tasks, and the reveal's peak of 100 requests in flight.
    assert_eq!(h.get_all_by_label("100").count(), 2);
    let polls_in_histogram: u64 = {
        let run = h.state().current_run().expect("run");
        run.histograms().expect("histograms").poll_duration.total()
    };
    let async_polls = {
        let trace = trace_of(&h);
        trace
            .tasks
            .iter()
            .filter(|t| t.kind == asyncscope::trace::TaskKind::Async)
            .map(|t| trace.polls_of(t).len() as u64)
            .sum::<u64>()
    };
    assert_eq!(polls_in_histogram, async_polls);
    assert!(
        h.query_all_by_label_contains(&format!("{async_polls} values"))
            .next()
            .is_some()
    );

    // Open the `fetch` group and select its first task: the details show the task's
    // poll and wake counts as the trace has them.
    click(&mut h, "+ fetch (100)");
    h.get_by_label("- fetch (100)");
    let (id, polls, wakes) = {
        let trace = trace_of(&h);
        let t = trace
            .tasks
            .iter()
            .find(|t| t.name.as_deref() == Some("fetch"))
            .expect("a fetch task");
        (t.id, trace.polls_of(t).len(), trace.wakes_of(t).len())
    };
    assert!(polls >= 2);
    // The resource tracks and plots above may leave the row below the fold.
    h.get_by_label(&format!("  fetch #{id}")).scroll_to_me();
    h.step();
    h.step();
    click(&mut h, &format!("  fetch #{id}"));
    h.get_by_label(&format!("fetch #{id}"));
    h.get_by_label_contains(&format!("{polls} polls · {wakes} wakes"));
    h.get_by_label_contains("none (spawned by the scenario)");
    // Where it was spawned, in the scenario's terms: the line of its first step, not a
    // path inside asyncscope.
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/io_fanout.toml"),
    )
    .expect("the scenario");
    let line = 1 + source
        .lines()
        .position(|l| l.contains("http_get"))
        .expect("the step's line");
    h.get_by_label(&format!("the scenario: its first step, line {line}"));
    assert!(h.query_by_label_contains("src/scenario").is_none());
}

#[test]
fn stop_keeps_the_partial_trace_and_the_app_responsive() {
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runaway.toml"),
        dir.join("runaway.toml"),
    )
    .expect("copy the fixture");
    let mut h = harness(dir);
    h.get_by_label("Run").click();
    h.step();
    wait_for(&mut h, "polls to arrive", Duration::from_secs(10), |app| {
        app.current_run()
            .and_then(|r| {
                r.live
                    .lock()
                    .ok()
                    .map(|t| t.lanes.iter().map(|l| l.polls.len()).sum::<usize>())
            })
            .unwrap_or(0)
            > 20
    });
    h.get_by_label_contains("Running");
    // Live: the spinning poll has not ended, yet it is on screen, on a worker lane, and
    // the task groups already have their names.
    wait_for(
        &mut h,
        "the spin poll to show as in progress",
        Duration::from_secs(5),
        |app| {
            app.current_run().is_some_and(|r| {
                r.live.lock().is_ok_and(|t| {
                    t.in_progress
                        .iter()
                        .any(|lp| t.tasks[lp.task as usize].name.as_deref() == Some("spin"))
                })
            })
        },
    );
    let spin_lane = {
        let trace = trace_of(&h);
        let lp = trace
            .in_progress
            .iter()
            .find(|lp| trace.tasks[lp.task as usize].name.as_deref() == Some("spin"))
            .copied()
            .expect("spin in progress");
        trace.lanes[lp.lane as usize].name.clone()
    };
    assert!(spin_lane.starts_with("worker-"), "{spin_lane}");
    h.get_by_label(&spin_lane);
    h.get_by_label("- spin (1)");
    h.get_by_label("- ticker (1)");
    h.get_by_label("Stop").click();
    let asked = Instant::now();
    h.step();
    wait_for(&mut h, "the run to stop", Duration::from_secs(5), finished);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "stopped in {:?}",
        asked.elapsed()
    );
    h.get_by_label_contains("Stopped after");
    {
        let run = h.state().current_run().expect("run");
        assert_eq!(run.outcome, Some(RunOutcome::Stopped));
        let trace = run.live.lock().expect("trace");
        assert!(trace.stopped);
        let ticker = trace
            .tasks
            .iter()
            .find(|t| t.name.as_deref() == Some("ticker"))
            .expect("ticker");
        assert!(
            trace.polls_of(ticker).len() > 10,
            "the partial trace is kept"
        );
    }
    // Responsive: the timeline still answers, and a new run can start (the old one stays).
    h.get_by_label("worker-0");
    h.get_by_label("Run").click();
    h.step();
    assert_eq!(h.state().runs().len(), 2);
    assert!(h.state().is_running());
    h.get_by_label("Stop").click();
    wait_for(
        &mut h,
        "the second run to stop",
        Duration::from_secs(5),
        finished,
    );
}

#[test]
fn open_adds_any_scenario_file_and_shows_errors_with_their_location() {
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"Bad\"\nabout = \"a\"\n[[task]]\nname = \"g\"\nsteps = [{ sleep_ms = 1, cpu_ms = 2 }]\n",
    )
    .expect("write");
    let good = dir.join("elsewhere.toml");
    std::fs::write(
        &good,
        "name = \"From elsewhere\"\nabout = \"Opened by path.\"\n[[task]]\nname = \"solo\"\nsteps = [{ sleep_ms = 5 }]\n",
    )
    .expect("write");

    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    h.get_by_label("Open…");
    h.state_mut().open_path(bad.clone());
    h.step();
    // The error names the file, line and column; in Chinese too, at the same place.
    h.get_by_label_contains(&format!("{}:5:", bad.display()));
    click(&mut h, "中文");
    h.get_by_label_contains(&format!("{}:5:10: TOML 读取错误：", bad.display()));
    click(&mut h, "English");
    h.state_mut().open_path(good.clone());
    h.step();
    // Listed and selected: its title shows in the list and above its lesson.
    assert_eq!(h.get_all_by_label("From elsewhere").count(), 2);
    h.get_by_label("Opened by path.");
    press_run_and_wait(&mut h, "the opened scenario to run");
    {
        let trace = trace_of(&h);
        assert!(
            trace
                .tasks
                .iter()
                .any(|t| t.name.as_deref() == Some("solo"))
        );
    }
    // A local scenario says where its traffic goes; one that may leave 127.0.0.1 says so
    // in a warning (it is not run here: this machine has no other network).
    h.get_by_label("127.0.0.1 only (the lab server)");
    let external = dir.join("external.toml");
    std::fs::write(
        &external,
        "name = \"Goes out\"\nabout = \"Fetches a public page.\"\nallow_external = true\n[[task]]\nname = \"g\"\nsteps = [{ http_get = \"http://example.com/\" }]\n",
    )
    .expect("write");
    h.state_mut().open_path(external);
    h.step();
    h.get_by_label("Fetches a public page.");
    h.get_by_label("allow_external = true: this scenario may send requests beyond 127.0.0.1");
    h.get_by_label("external URLs allowed (allow_external = true)");
    assert!(
        h.query_by_label("127.0.0.1 only (the lab server)")
            .is_none(),
        "the facts are the selected scenario's"
    );
}

#[test]
fn a_finding_explains_itself_and_clicking_it_shows_the_evidence() {
    let mut h = run_shipped("Naive fan-out against a rate limit");
    let finding = h
        .state()
        .current_run()
        .and_then(|r| r.findings().first().cloned())
        .expect("a finding");
    h.get_by_label_contains("were refused with 429 Too Many Requests")
        .click();
    h.step();
    h.step();
    // The remedy is spelled out, and the click selected the task and zoomed to the proof.
    h.get_by_label_contains("Fix: Bound concurrency with a Semaphore");
    let app = h.state();
    assert_eq!(app.timeline.selection.map(|s| s.task()), finding.task);
    assert!(!app.timeline.follow_live);
    let (start, end) = app.timeline.visible_range_ns();
    let (a, b) = (finding.range_ns.0 as f64, finding.range_ns.1 as f64);
    assert!(
        start <= a && end >= b,
        "view {start}..{end} shows the evidence {a}..{b}"
    );
    assert!(end - start <= (b - a) * 2.0, "and is zoomed to it");
}

/// Export view… opens the Export window: a slide (16:9) as PNG, saved to the export folder
/// without any file dialog; on a machine with none, the window says so.
#[test]
fn the_export_window_writes_a_slide_to_the_export_folder() {
    let mut h = run_shipped("Naive fan-out against a rate limit");
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-slides-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    h.state_mut().export_dir = dir.clone();
    click(&mut h, "Export view…");
    h.step(); // a new window is laid out unseen in its first frame
    h.get_by_label("Timeline view (as shown)");
    if !asyncscope::ui::export::file_dialog_available() {
        h.get_by_label_contains("No file dialog on this machine");
        assert!(
            h.get_by_label("Choose file…")
                .accesskit_node()
                .is_disabled(),
            "no dialog to choose with"
        );
    }
    click(&mut h, "Slide (16:9)");
    click(&mut h, "PNG (2×)");
    let save = format!("Save to {}", dir.display());
    click(&mut h, &save);
    assert!(
        h.query_by_label("Slide (16:9)").is_none(),
        "the window closed"
    );
    let path = dir.join("naive_fanout_rate_limited-slide-1.png");
    h.get_by_label_contains(&format!("Exported a slide to {}", path.display()));
    let img = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&path).expect("written"))
        .expect("decodes");
    assert_eq!((img.width(), img.height()), (3840, 2160));
    // The choice is kept: the next export is a slide too, under a new name.
    click(&mut h, "Export view…");
    h.step();
    click(&mut h, "SVG (vector)");
    click(&mut h, &save);
    let svg = std::fs::read_to_string(dir.join("naive_fanout_rate_limited-slide-1.svg"))
        .expect("the SVG slide");
    let doc = roxmltree::Document::parse(&svg).expect("parses");
    assert_eq!(doc.root_element().attribute("width"), Some("1920"));
    assert!(
        doc.descendants()
            .any(|n| n.attribute("data-kind") == Some("refused")),
        "[view] expand shows the refused requests on the clients' rows"
    );
    assert_eq!(
        h.state().state.export.form,
        asyncscope::ui::export::ExportForm::Slide
    );
}

#[test]
fn export_view_writes_what_is_on_screen_as_svg_and_png() {
    let mut h = run_shipped("A polite, rate-limited client");
    h.get_by_label("Export view…");
    let total_polls: usize = {
        let trace = trace_of(&h);
        trace.lanes.iter().map(|l| l.polls.len()).sum()
    };
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let count_polls = |path: &Path| {
        let text = std::fs::read_to_string(path).expect("svg");
        let doc = roxmltree::Document::parse(&text).expect("parses");
        doc.descendants()
            .filter(|n| matches!(n.attribute("class"), Some("poll" | "merged")))
            .count()
    };
    // The whole run.
    let all = dir.join("all.svg");
    h.state().export_view(&all).expect("export");
    let whole = count_polls(&all);
    assert!(whole > 0 && whole <= total_polls);
    // Zoomed to the first second: fewer bars, and only those.
    h.state_mut().timeline.zoom_to(0, 500_000_000);
    h.step();
    let part = dir.join("part.svg");
    h.state().export_view(&part).expect("export");
    assert!(count_polls(&part) < whole, "the export follows the view");
    // PNG at 2×.
    let png = dir.join("view.png");
    h.state().export_view(&png).expect("export");
    let img =
        resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&png).expect("png")).expect("decodes");
    assert_eq!(img.width(), 3200);
}

#[test]
fn earlier_runs_stay_and_can_be_shown_renamed_and_deleted() {
    let mut h = run_shipped("join versus spawn");
    h.get_by_label("Run").click();
    h.step();
    wait_for(&mut h, "the second run", Duration::from_secs(30), |app| {
        app.runs().len() == 2 && finished(app)
    });
    h.step();
    assert_eq!(
        h.get_all_by_label_contains("· join versus spawn · done")
            .count(),
        2,
        "both runs are listed"
    );
    // With their wall time.
    let wall = h.state().runs()[0].wall_ns().expect("finished");
    let with_wall = format!(
        "· join versus spawn · done · {}",
        asyncscope::view::axis::format_ns(wall as f64)
    );
    assert!(h.get_all_by_label_contains(&with_wall).count() >= 1);
    // Show the first run: it becomes the one on screen.
    let first_events = h.state().runs()[0].live.lock().expect("trace").events;
    h.get_all_by_label_contains("· join versus spawn · done")
        .last()
        .expect("the older run (listed last)")
        .click();
    h.step();
    h.step();
    let shown = h.state().current_run().expect("run");
    assert!(std::ptr::eq(shown, &h.state().runs()[0]));
    assert_eq!(shown.live.lock().expect("trace").events, first_events);
    // Rename it.
    let field = h.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(" (baseline)");
    h.step();
    h.step();
    assert_eq!(h.state().runs()[0].name, "join versus spawn (baseline)");
    h.get_by_label_contains("· join versus spawn (baseline) · done");
    // Delete the other one: one run is left.
    h.get_all_by_label("Delete")
        .next()
        .expect("a delete button")
        .click();
    h.step();
    h.step();
    assert_eq!(h.state().runs().len(), 1);
}

#[test]
fn a_saved_run_reopens_with_its_timeline_and_findings() {
    let h = run_shipped("Naive fan-out against a rate limit");
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("naive.ascope");
    h.get_by_label("Save run…");
    // An unwritable path is an error that names it; the run is still there to save.
    let err = h
        .state()
        .save_run(Path::new("/nonexistent-dir/naive.ascope"))
        .expect_err("no such directory");
    assert!(
        err.contains("Could not save to /nonexistent-dir/naive.ascope"),
        "{err}"
    );
    assert_eq!(h.state().runs().len(), 1);
    h.state().save_run(&file).expect("saved");
    let (polls, findings) = {
        let trace = trace_of(&h);
        let polls: usize = trace.lanes.iter().map(|l| l.polls.len()).sum();
        (
            polls,
            h.state().current_run().expect("run").findings().len(),
        )
    };
    // A fresh app opens it like a user would (Open… accepts .ascope files).
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    h.state_mut().open_path(file.clone());
    h.step();
    h.step();
    let run = h.state().current_run().expect("the opened run");
    assert_eq!(run.findings().len(), findings);
    assert!(run.scenario.is_none());
    assert_eq!(
        trace_of(&h)
            .lanes
            .iter()
            .map(|l| l.polls.len())
            .sum::<usize>(),
        polls
    );
    h.get_by_label("worker-0");
    h.get_by_label_contains("were refused with 429");
    h.get_by_label_contains("naive.ascope");
    // A corrupted file is refused with the reason, and nothing is added.
    let mut bytes = std::fs::read(&file).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    let bad = dir.join("bad.ascope");
    std::fs::write(&bad, bytes).expect("write");
    h.state_mut().open_path(bad);
    h.step();
    assert_eq!(h.state().runs().len(), 1);
    h.get_by_label_contains("checksum does not match");
}

/// Runs `title` in an app that already has runs, to the end.
fn run_another(h: &mut Harness<'static, App>, title: &str) {
    let before = h.state().runs().len();
    h.get_by_label(title).click();
    h.step();
    h.get_by_label("Run").click();
    h.step();
    wait_for(h, "the second run", Duration::from_secs(30), |app| {
        app.runs().len() == before + 1 && finished(app)
    });
}

#[test]
fn two_runs_compare_on_one_axis_with_a_table() {
    let mut h = run_shipped("Naive fan-out against a rate limit");
    run_another(&mut h, "A polite, rate-limited client");
    // Compare needs two ticked runs (the history is below the scenario's reveal: scrolled
    // to, as a user would).
    click_scrolled(&mut h, "Compare (0)");
    assert!(h.state().compare_view().is_none());
    click_scrolled(&mut h, "#1");
    click_scrolled(&mut h, "#2");
    click_scrolled(&mut h, "Compare (2)");
    let table = h
        .state()
        .compare_view()
        .expect("the comparison is open")
        .table
        .clone();
    assert_eq!(
        table.runs,
        [
            "Naive fan-out against a rate limit",
            "A polite, rate-limited client"
        ]
    );
    h.get_by_label("[1] Naive fan-out against a rate limit");
    h.get_by_label("[2] A polite, rate-limited client");
    for row in &table.rows {
        h.get_by_label(&row.label);
    }
    // The polite client's 429s: none, highlighted as better, with the difference shown.
    let s429 = table.row("http_429").expect("429 row");
    assert_eq!(s429.marks[1], asyncscope::trace::compare::Mark::Better);
    h.get_by_label(&format!("{} ({})", s429.value_text(1), s429.delta_text(1)));
    // Both runs' lanes are on screen, one section each, under one axis.
    assert_eq!(h.get_all_by_label("worker-0").count(), 2);
    h.get_by_label_contains("[2] A polite, rate-limited client · wall time");
    // Under each run's lanes, its resource tracks: HTTP for both, the semaphore for the
    // polite client only.
    assert_eq!(h.get_all_by_label("http in flight").count(), 2);
    assert_eq!(h.get_all_by_label("semaphore api").count(), 1);
    // Under each run, its plots on scales shared by both: busy 0–100%, and one scale for
    // the scheduled tasks of both runs.
    assert_eq!(h.get_all_by_label("busy % per worker").count(), 2);
    let shared: Vec<String> = h
        .query_all_by_label_contains(", all runs")
        .filter_map(|n| n.value())
        .collect();
    assert_eq!(shared.len(), 2, "{shared:?}");
    assert_eq!(shared[0], shared[1], "one scale for both runs");

    // One viewport: panning moves every run at once.
    let before = h.state().compare_view().expect("open").visible_range_ns();
    h.key_down(egui::Key::D);
    for _ in 0..5 {
        h.step();
    }
    h.key_up(egui::Key::D);
    h.step();
    let after = h.state().compare_view().expect("open").visible_range_ns();
    assert!(after.0 > before.0, "{before:?} -> {after:?}");
    assert!(
        ((after.1 - after.0) - (before.1 - before.0)).abs() < 1.0,
        "a pan, not a zoom"
    );

    // Export view writes the comparison: both runs and the table.
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let svg = dir.join("compare.svg");
    h.state().export_view(&svg).expect("export");
    let text = std::fs::read_to_string(&svg).expect("svg");
    let doc = roxmltree::Document::parse(&text).expect("parses");
    let count = |class: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .count()
    };
    assert_eq!(count("section"), 2);
    assert_eq!(count("cell"), 2 * table.rows.len());

    click(&mut h, "Back to the timeline");
    assert!(h.state().compare_view().is_none());
    h.get_by_label_contains("Finished · wall time");

    // The baseline is the run ticked first, not the older one.
    click(&mut h, "#1");
    click(&mut h, "#2");
    click(&mut h, "#2");
    click(&mut h, "#1");
    click(&mut h, "Compare (2)");
    let table = &h.state().compare_view().expect("open").table;
    assert_eq!(
        table.runs,
        [
            "A polite, rate-limited client",
            "Naive fan-out against a rate limit"
        ],
        "#2 was ticked first"
    );
    let s429 = table.row("http_429").expect("429 row");
    assert_eq!(s429.marks[1], asyncscope::trace::compare::Mark::Worse);
}

#[test]
fn a_finished_run_replays_slowly_pauses_and_scrubs() {
    let mut h = run_shipped("A polite, rate-limited client");
    let (end, clients) = {
        let trace = trace_of(&h);
        let clients = trace
            .tasks
            .iter()
            .filter(|t| t.name.as_deref() == Some("client"))
            .count();
        (trace.end_ns(), clients)
    };
    let header = format!("client ({clients})");
    assert_eq!(h.get_all_by_label_contains(&header).count(), 1);

    click(&mut h, "Replay");
    assert!(h.state().replay().is_some_and(|r| r.playing));
    h.get_by_label("Pause");
    // Slow: by default the whole run plays over 10 s.
    let speed = h.state().replay().expect("replay").speed;
    assert!(
        (speed - end as f64 / 1e10).abs() < 1e-9,
        "{speed}x for a run of {end} ns"
    );
    let started = Instant::now();
    for _ in 0..10 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let at = h.state().replay().expect("replay").position_ns;
    let wall = started.elapsed().as_secs_f64() + 0.1;
    assert!(at > 0.0, "it plays");
    assert!(
        at <= wall * speed * 1e9,
        "{at} ns after {wall} s at {speed}x"
    );
    // The two sliders say what they are.
    h.get_by_label("Speed");
    h.get_by_label("Position");
    h.get_by_label("whole run in");

    // Pause: the position holds.
    click(&mut h, "Pause");
    let paused = h.state().replay().expect("replay").position_ns;
    for _ in 0..5 {
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(h.state().replay().expect("replay").position_ns, paused);
    h.get_by_label("Play");

    // Scrub: End shows the whole run, Home the start, arrows step by 5%.
    h.key_press(egui::Key::End);
    h.step();
    h.step();
    assert_eq!(h.state().replay().expect("replay").until_ns(), end);
    assert_eq!(h.get_all_by_label_contains(&header).count(), 1);
    h.key_press(egui::Key::Home);
    h.step();
    h.step();
    assert_eq!(
        h.query_all_by_label_contains(&header).count(),
        0,
        "at the start no task exists yet: the timeline shows only what had happened"
    );
    h.key_press(egui::Key::ArrowRight);
    h.step();
    h.step();
    let pos = h.state().replay().expect("replay").position_ns;
    assert!((pos - end as f64 * 0.05).abs() < 1.0, "{pos}");

    click(&mut h, "End replay");
    assert!(h.state().replay().is_none());
    h.get_by_label("Replay");
}

/// The stress scenario runs live without freezing the window (frames keep coming while
/// the events pour in), and a run that hits the memory cap says so.
#[test]
fn stress_runs_live_and_the_memory_cap_is_shown() {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    select_scenario(&mut h, "Stress: a million events");
    h.get_by_label("Run").click();
    h.step();
    let mut live_frames = 0;
    let mut seen_events = Vec::new();
    let start = Instant::now();
    while !finished(h.state()) {
        // A hang detector, not a speed test: about 14 s in a debug build on an idle
        // 2-core machine, and several times that while the machine compiles too.
        assert!(start.elapsed() < Duration::from_secs(240), "the run ends");
        h.step();
        live_frames += 1;
        if let Ok(t) = h.state().current_run().expect("run").live.try_lock() {
            seen_events.push(t.events);
        }
    }
    assert!(live_frames >= 3, "{live_frames} frames while it ran");
    assert!(
        seen_events.windows(2).any(|w| w[1] > w[0]),
        "the view saw the trace grow: {seen_events:?}"
    );
    h.step();
    assert!(trace_of(&h).events >= 1_000_000);

    let dir = std::env::temp_dir().join(format!("asyncscope-ui-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let capped = dir.join("capped.toml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/stress.toml"),
    )
    .expect("stress.toml")
    .replace(
        "name = \"Stress: a million events\"",
        "name = \"Capped\"\nmax_events = 50000",
    );
    std::fs::write(&capped, text).expect("write");
    h.state_mut().open_path(capped);
    h.step();
    h.get_by_label("Run").click();
    h.step();
    wait_for(&mut h, "the capped run", Duration::from_secs(60), |app| {
        app.runs().len() == 2 && finished(app)
    });
    h.get_by_label_contains("Truncated at 50000 events");
    assert!(trace_of(&h).truncated);
}

/// Hovering a run in the history shows what was run: the scenario's parameters.
#[test]
fn a_history_row_shows_its_parameters_on_hover() {
    let mut h = run_shipped("I/O fan-out");
    // Below the reveal: scrolled into view first.
    h.get_by_label_contains("· I/O fan-out · done")
        .scroll_to_me();
    for _ in 0..10 {
        h.step();
    }
    h.get_by_label_contains("· I/O fan-out · done").hover();
    // egui shows a tooltip after a short delay.
    for _ in 0..60 {
        h.step();
    }
    h.get_by_label("runtime: multi_thread, 4 workers");
    h.get_by_label_contains("task `fetch`: 100 ×");
}

/// `asyncscope open A B` hands its files to `App::open_runs`: recorded runs in both
/// formats open side by side in the comparison.
#[test]
fn opening_two_recorded_runs_compares_them() {
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-open2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let (a, b) = (dir.join("join.ascope"), dir.join("seq.json"));
    let run = |name: &str| {
        let sc = asyncscope::scenario::load(&scenarios.join(name)).expect("scenario");
        asyncscope::run::run(&sc, asyncscope::run::RunOptions::default()).expect("run")
    };
    asyncscope::export::native::save(&run("join_vs_spawn.toml"), &a).expect("save");
    asyncscope::export::chrome::write_file(&run("sequential_awaits.toml"), &b).expect("export");
    let mut h = harness(scenarios);
    h.state_mut().open_runs(&[a, b]);
    h.step();
    h.step();
    let view = h.state().compare_view().expect("the comparison opens");
    assert_eq!(view.table.runs.len(), 2);
    assert_eq!(h.state().runs().len(), 2);
    h.get_by_label("[1] join versus spawn (join.ascope)");
    assert!(h.get_all_by_label_contains("(seq.json)").count() >= 1);
    h.get_by_label("Back to the timeline");
}

#[test]
fn edited_parameters_run_and_save_with_the_files_comments() {
    use egui::accesskit::Role;
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    select_scenario(&mut h, "I/O fan-out");
    assert!(
        h.query_by_label("As in the file.").is_none(),
        "closed at first"
    );
    // Under the Predict card: scrolled into view first.
    click_scrolled(&mut h, "Parameters");
    h.get_by_label("As in the file.");
    // Turn the workers knob from 4 to 1 and the fetch count down: the change line says so.
    h.get_by_role_and_label(Role::SpinButton, "workers")
        .set_value_accesskit(1.0);
    h.step();
    h.step();
    h.get_by_label("Changed: workers 4 -> 1");
    h.get_by_label_contains("multi_thread, 1 workers");
    // Run uses the edited values.
    press_run_and_wait(&mut h, "the edited run to finish");
    {
        let trace = trace_of(&h);
        let workers = trace
            .lanes
            .iter()
            .filter(|l| l.kind == asyncscope::trace::LaneKind::Worker)
            .count();
        assert_eq!(workers, 1, "one worker lane");
    }
    assert!(
        h.state()
            .current_run()
            .expect("run")
            .name
            .contains("(workers 4 -> 1)"),
        "the run says how it was edited"
    );
    // Save as: the original's comments stay, the new value is in.
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-edit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("one_worker.toml");
    h.get_by_label("Save as…");
    h.state_mut().save_scenario(&file).expect("saved");
    h.step();
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/io_fanout.toml"),
    )
    .expect("read");
    let saved = std::fs::read_to_string(&file).expect("read");
    assert_eq!(saved, original.replace("workers = 4", "workers = 1"));
    // The saved file is listed and selected, unchanged against itself.
    h.get_by_label("As in the file.");
    h.get_by_label_contains("multi_thread, 1 workers");
    // Back on the shipped file (the topmost of the two list entries with its title: the
    // saved copy is listed last), Reset returns to its values.
    h.get_all_by_label("I/O fan-out")
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .expect("listed")
        .click();
    h.step();
    h.step();
    h.get_by_label("Changed: workers 4 -> 1");
    // (The panel has grown with the run: the button may be scrolled out of view.)
    h.get_by_label("Reset").click_accesskit();
    h.step();
    h.step();
    h.get_by_label("As in the file.");
    h.get_by_label_contains("multi_thread, 4 workers");
}

#[test]
fn presentation_mode_hides_the_panels_and_is_large_and_light() {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    h.step();
    h.get_by_label("Scenarios");
    assert!(h.ctx.global_style().visuals.dark_mode);
    h.key_press(egui::Key::F11);
    h.step();
    h.step();
    assert!(h.state().state.presenting, "F11 presents");
    assert!(
        h.query_by_label("Scenarios").is_none() && h.query_by_label("Findings").is_none(),
        "the side panels are hidden"
    );
    assert!(
        !h.ctx.global_style().visuals.dark_mode,
        "a light theme for projectors"
    );
    assert_eq!(
        h.ctx.global_style().visuals.override_text_color,
        Some(egui::Color32::BLACK),
        "high contrast"
    );
    assert!(
        (h.ctx.zoom_factor() - 1.6).abs() < 1e-3,
        "everything larger"
    );
    // The bar runs the selected scenario (F5 works too).
    h.get_by_label("Leave (F11)");
    h.key_press(egui::Key::F5);
    h.step();
    wait_for(
        &mut h,
        "the run to finish",
        Duration::from_secs(20),
        finished,
    );
    assert_eq!(h.state().runs().len(), 1, "F5 ran the selected scenario");
    // The legend and the plots give the task rows the height; each is a click away.
    let legends = |h: &Harness<'static, App>| h.query_all_by_label("Legend").count();
    assert_eq!(legends(&h), 1, "only the bar's toggle, no legend");
    assert!(h.query_by_label("busy % per worker").is_none());
    // The heartbeat's plot stays, where the run has ticks.
    let ticks = !trace_of(&h).heartbeats.is_empty();
    assert_eq!(h.query_by_label("heartbeat late (ms)").is_some(), ticks);
    click(&mut h, "Plots");
    h.get_by_label("busy % per worker");
    click(&mut h, "Legend");
    assert_eq!(legends(&h), 2, "the toggle and the legend");
    // The bar's toggle comes first (the legend is at the bottom).
    h.query_all_by_label("Legend")
        .next()
        .expect("the toggle")
        .click();
    h.step();
    h.step();
    click(&mut h, "Plots");
    assert!(h.query_by_label("busy % per worker").is_none());
    assert!(!h.state().state.present_legend && !h.state().state.present_plots);
    // Another scenario is picked in the bar; its lesson shows, and the timeline (still the
    // first scenario's run) says whose it is.
    let first = h.state().runs()[0].name.clone();
    let picker = h.get_by_role(egui::accesskit::Role::ComboBox);
    assert_eq!(picker.value().as_deref(), Some(first.as_str()));
    picker.click();
    h.step();
    h.step();
    h.get_by_label("Sequential awaits").click();
    h.step();
    h.step();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let sequential =
        asyncscope::scenario::load(&dir.join("sequential_awaits.toml")).expect("it loads");
    h.get_by_label(&asyncscope::export::slide::first_sentence(
        &sequential.about,
    ));
    h.get_by_label(&format!(
        "On screen: run #1 of “{first}”, not of the selected “Sequential awaits”."
    ));
    h.get_by_label("Run the selected scenario");
    // The language switches in the bar too.
    click(&mut h, "中文");
    assert_eq!(h.state().state.language, asyncscope::ui::Language::Chinese);
    assert_eq!(
        h.get_by_role(egui::accesskit::Role::ComboBox).value(),
        sequential.name_zh.clone()
    );
    h.get_by_label(&asyncscope::export::slide::first_sentence(
        sequential.about_zh.as_deref().expect("a Chinese lesson"),
    ));
    click(&mut h, "English");
    // Esc leaves it, back to the dark theme at the normal size, panels back.
    h.key_press(egui::Key::Escape);
    h.step();
    h.step();
    assert!(!h.state().state.presenting);
    assert!(h.ctx.global_style().visuals.dark_mode);
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-3);
    h.get_by_label("Scenarios");
    // Ctrl+P presents too; Ctrl+T switches the theme outside it, and the choice is state
    // (eframe stores it between launches).
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    h.step();
    assert!(h.state().state.presenting);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    h.step();
    h.step();
    assert!(h.state().state.light && !h.ctx.global_style().visuals.dark_mode);
    // A new window with that state opens presenting.
    let state = asyncscope::ui::State {
        presenting: true,
        ..h.state().state.clone()
    };
    let mut again = harness_with(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        state,
    );
    again.step();
    again.step();
    again.get_by_label("Leave (F11)");
    assert!((again.ctx.zoom_factor() - 1.6).abs() < 1e-3);
}

#[test]
fn question_mark_lists_every_shortcut() {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    h.step();
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    h.event(egui::Event::Text("?".into()));
    h.step();
    h.step();
    h.get_by_label("Keyboard shortcuts");
    let en = asyncscope::ui::Language::English;
    for (keys, what) in asyncscope::ui::keys::SHORTCUTS {
        h.get_by_label(&keys(en));
        h.get_by_label(&what(en));
    }
    h.key_press(egui::Key::Escape);
    h.step();
    h.step();
    assert!(
        h.query_by_label("Keyboard shortcuts").is_none(),
        "Esc closes it"
    );
    // Ctrl+R runs the selected scenario.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::R);
    h.step();
    wait_for(
        &mut h,
        "the run to finish",
        Duration::from_secs(20),
        finished,
    );
    assert_eq!(h.state().runs().len(), 1);
}

#[test]
fn chinese_names_and_lessons_render_with_the_shipped_font() {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    click(&mut h, "I/O fan-out");
    h.get_by_label("中文").click();
    h.step();
    h.step();
    assert_eq!(h.state().state.language, asyncscope::ui::Language::Chinese);
    // The list and the lesson are in Chinese, drawn with the CJK fallback font (egui's own
    // fonts have no such glyphs: laying the text out would fail).
    assert_eq!(
        h.get_all_by_label("I/O 扇出").count(),
        2,
        "listed and as the title"
    );
    h.get_by_label_contains("100 个任务各自请求");
    h.get_by_label("单线程，一个事件循环");
    // Back to English.
    click(&mut h, "English");
    assert_eq!(h.get_all_by_label("I/O fan-out").count(), 2);
    assert!(h.query_by_label_contains("100 个任务各自请求").is_none());
}

/// A file dropped on the window, as the windowing integration hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_files(h: &mut Harness<'static, App>, paths: &[&Path]) {
    h.input_mut().dropped_files = paths
        .iter()
        .map(|p| std::sync::Arc::new(Dropped(p.to_path_buf())) as egui::DroppedFileHandle)
        .collect();
    h.step();
    h.step();
}

#[test]
fn dropped_files_open_and_are_remembered_as_recent() {
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-drop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let scenario = dir.join("dropped.toml");
    std::fs::write(
        &scenario,
        "name = \"Dropped in\"\nabout = \"Came by drag and drop.\"\n[[task]]\nname = \"solo\"\nsteps = [{ sleep_ms = 5 }]\n",
    )
    .expect("write");
    // Two recorded runs to drop together.
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut runs = Vec::new();
    for name in ["sequential_awaits", "join_vs_spawn"] {
        let sc = asyncscope::scenario::load(&shipped.join(format!("{name}.toml"))).expect("valid");
        let trace = asyncscope::run::run(&sc, asyncscope::run::RunOptions::default()).expect("run");
        let file = dir.join(format!("{name}.ascope"));
        asyncscope::export::native::save(&trace, &file).expect("save");
        runs.push(file);
    }

    let mut h = harness(shipped);
    h.step();
    drop_files(&mut h, &[&scenario]);
    // Listed and selected, as Open… would.
    assert_eq!(h.get_all_by_label("Dropped in").count(), 2);
    h.get_by_label("Came by drag and drop.");
    drop_files(&mut h, &[&runs[0], &runs[1]]);
    assert_eq!(h.state().runs().len(), 2, "both recorded runs opened");
    assert!(
        h.state().compare_view().is_some(),
        "two runs: the comparison"
    );
    // All three are in the Recent menu, newest first; one opens again from it.
    let recent = h.state().state.recent.clone();
    assert_eq!(recent.len(), 3);
    assert!(recent[2].ends_with("dropped.toml"), "{recent:?}");
    click(&mut h, "Recent");
    h.get_by_label("dropped.toml").click();
    h.step();
    h.step();
    assert!(
        h.state().state.recent[0].ends_with("dropped.toml"),
        "reopened, now first"
    );
    // A recent file that is gone is dropped from the menu with a message.
    std::fs::remove_file(&runs[0]).expect("remove");
    click(&mut h, "Recent");
    h.get_by_label("sequential_awaits.ascope").click();
    h.step();
    h.step();
    assert_eq!(h.state().state.recent.len(), 2);
    assert!(
        !h.state()
            .state
            .recent
            .iter()
            .any(|p| p.ends_with("sequential_awaits.ascope"))
    );
    h.get_by_label_contains("no longer exists");
}

#[test]
fn worker_lanes_say_how_long_they_polled_slept_and_did_runtime_work() {
    let mut h = run_shipped("I/O fan-out");
    let workers = trace_of(&h)
        .lanes
        .iter()
        .filter(|l| l.kind == asyncscope::trace::LaneKind::Worker)
        .count();
    let headers: Vec<String> = h
        .query_all_by_label_contains("% · parked ")
        .filter_map(|n| {
            use egui_kittest::kittest::NodeT as _;
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect();
    assert_eq!(headers.len(), workers, "{headers:?}");
    // The I/O fan-out's workers sleep most of the run.
    for text in &headers {
        let parked: u32 = text
            .split("parked ")
            .nth(1)
            .and_then(|s| s.split('%').next())
            .and_then(|n| n.parse().ok())
            .expect("a percentage");
        assert!(parked >= 50, "{text}");
    }
    // A task's details count its self-wakes and its moves between workers.
    click(&mut h, "+ fetch (100)");
    let (id, migrations) = {
        let trace = trace_of(&h);
        let i = trace
            .tasks
            .iter()
            .position(|t| t.name.as_deref() == Some("fetch"))
            .expect("fetch");
        (trace.tasks[i].id, trace.migrations(i as u32))
    };
    click(&mut h, &format!("  fetch #{id}"));
    h.get_by_label("migrations");
    h.get_by_label_contains("by itself)");
    assert!(
        h.query_all_by_label(&migrations.to_string())
            .next()
            .is_some(),
        "the count is shown"
    );
}

/// The details of a task list its steps, and mark the one it is in at the time under the
/// pointer: the program counter of the state machine, moving as the pointer moves.
#[test]
fn the_step_list_follows_the_cursor() {
    let mut h = run_shipped("A polite, rate-limited client");
    click(&mut h, "+ client (15)");
    // A client that queued for a permit, then did its request and its pause.
    let (id, queued_at, sleeping_at) = {
        let trace = trace_of(&h);
        let label = |l: &str| trace.steps.iter().position(|s| s.label == l).expect(l) as u32;
        let (acquire, sleep) = (label("permit api"), label("sleep 1000 ms"));
        trace
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.name.as_deref() == Some("client"))
            .find_map(|(i, t)| {
                let spans = trace.task_step_spans(i as u32);
                let mid = |step| {
                    spans
                        .iter()
                        .find(|s| s.step == step && s.end_ns - s.start_ns > 100_000_000)
                        .map(|s| (s.start_ns + s.end_ns) / 2)
                };
                Some((t.id, mid(acquire)?, mid(sleep)?))
            })
            .expect("a client that waited for its permit")
    };
    click(&mut h, &format!("  client #{id}"));
    h.get_by_label(&format!("client #{id}"));
    h.get_by_label("Steps");
    let row_y = h.get_by_label(&format!("  client #{id}")).rect().center().y;
    let point_at = |h: &mut Harness<'static, App>, t_ns: u64| {
        let x = h.state().timeline.x_of_time(t_ns);
        h.hover_at(egui::pos2(x, row_y));
        h.step();
        h.step();
    };
    point_at(&mut h, queued_at);
    h.get_by_label("> permit api");
    // The row says it too, where the pointer is.
    // The line of the file the permit is written on.
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rate_limited_client.toml"),
    )
    .expect("the scenario");
    let line = 1 + source
        .lines()
        .position(|l| l.contains("semaphore = \"api\""))
        .expect("the permit's line");
    let hover = h
        .get_by_label_contains(&format!("waiting for a permit: `permit api` (line {line})"))
        .accesskit_node()
        .label()
        .unwrap_or_default();
    // And how many are ahead in the semaphore's queue: fewer than were waiting then.
    let ahead: u64 = hover
        .split(" ahead)")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no queue position in {hover:?}"));
    let waiting = trace_of(&h).semaphore_series("api").at(queued_at)[1];
    assert!(
        ahead < waiting,
        "{ahead} ahead of {waiting} waiting: {hover}"
    );
    assert!(h.query_by_label(">    sleep 1000 ms").is_none());
    point_at(&mut h, sleeping_at);
    h.get_by_label(">    sleep 1000 ms");
    assert!(h.query_by_label("> permit api").is_none());
    // Each step says where the file has it (all on one line in this scenario).
    assert!(h.query_all_by_label(&format!("line {line}")).count() >= 4);
}

/// The busy plot is computed from the lanes' own polls: during a 300 ms poll its worker
/// reads 100%, by the lane's own name, and the plot drops when the poll ends. tokio-metrics
/// books a poll's busy time when it ends (a spike after the poll, under "tokio worker N"),
/// so its figures sit apart, collapsed, under their own name.
#[test]
fn the_busy_plot_agrees_with_the_lanes() {
    let mut h = run_shipped("CPU work inside async tasks");
    h.get_by_label("busy % per worker");
    h.get_by_label("scheduled tasks");
    // A labelled scale, fixed for a percentage.
    h.get_by_label("scale 0–100%");
    assert!(
        h.query_by_label("busy % per tokio worker").is_none(),
        "collapsed"
    );
    let (lane, start_ms, end_ms, idle_after) = {
        let trace = trace_of(&h);
        let (li, p) = trace
            .lanes
            .iter()
            .enumerate()
            .flat_map(|(li, l)| l.polls.iter().map(move |p| (li, *p)))
            .max_by_key(|(_, p)| p.duration_ns())
            .expect("a poll");
        assert!(p.duration_ns() > 250_000_000, "the 300 ms crunch");
        let lane = &trace.lanes[li];
        // How long the lane stays without polls after it (if at all).
        let next = lane
            .polls
            .iter()
            .find(|q| q.start_ns >= p.end_ns())
            .map_or(u64::MAX, |q| q.start_ns);
        let ms = |ns: u64| ns as f64 / 1e6;
        (
            lane.name.clone(),
            ms(p.start_ns),
            ms(p.end_ns()),
            ms(next.min(trace.end_ns())) - ms(p.end_ns()),
        )
    };
    let timeline = &h.state().timeline;
    let (_, points) = timeline
        .exact
        .busy
        .iter()
        .find(|(name, _)| *name == lane)
        .unwrap_or_else(|| {
            panic!(
                "a series named {lane}: {:?}",
                timeline.exact.busy.iter().map(|b| &b.0).collect::<Vec<_>>()
            )
        });
    let inside: Vec<f64> = points
        .iter()
        .filter(|p| p[0] > start_ms + 5.0 && p[0] < end_ms - 5.0)
        .map(|p| p[1])
        .collect();
    assert!(inside.len() > 10, "{} points inside the poll", inside.len());
    assert!(
        inside.iter().all(|&v| v > 99.0),
        "100% during the poll: {inside:?}"
    );
    if idle_after > 20.0 {
        let after: Vec<f64> = points
            .iter()
            .filter(|p| p[0] > end_ms + 5.0 && p[0] < end_ms + idle_after - 5.0)
            .map(|p| p[1])
            .collect();
        assert!(after.iter().all(|&v| v < 1.0), "idle after it: {after:?}");
    }
    click(&mut h, "tokio-metrics (sampled every 50 ms)");
    h.get_by_label("busy % per tokio worker");
}

/// A collapsed group's row is a stacked area of its tasks by state: collapsed,
/// `rate_limited_client` reads as five clients asleep under the permit and ten waiting for
/// it, and the row's counts at a moment are the trace's.
#[test]
fn a_collapsed_group_row_shows_its_tasks_by_state() {
    let mut h = run_shipped("A polite, rate-limited client");
    assert!(
        h.query_by_label("red bar under an HTTP wait: the request was refused (429) or failed")
            .is_none(),
        "no request of the polite client is refused"
    );
    let header = h.get_by_label("+ client (15)").rect();
    let half_second = 500_000_000;
    let x = h.state().timeline.x_of_time(half_second);
    h.hover_at(egui::pos2(x, header.center().y + 20.0));
    h.step();
    h.step();
    // The pointer's pixel is within a millisecond of 500 ms.
    let tip = h
        .get_by_label_contains(": 10 waiting for a permit, 5 sleeping")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    assert!(tip.starts_with("client: at 50"), "{tip}");
    // The same counts, from each task's own state spans.
    let expected = {
        let trace = trace_of(&h);
        let mut counts = std::collections::BTreeMap::new();
        for (i, t) in trace.tasks.iter().enumerate() {
            if t.name.as_deref() != Some("client") {
                continue;
            }
            let states = trace.task_states(i as u32);
            if let Some(s) = states
                .iter()
                .find(|s| s.start_ns <= half_second && half_second < s.end_ns)
            {
                let key = match s.state {
                    asyncscope::trace::TaskState::Waiting => s.wait.expect("a reason").as_str(),
                    other => other.as_str(),
                };
                *counts.entry(key).or_insert(0u64) += 1;
            }
        }
        counts
    };
    let shown: std::collections::BTreeMap<_, _> = h
        .state()
        .timeline
        .group_areas
        .counts_at("client", half_second)
        .into_iter()
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(shown.get("permit"), Some(&10));
}

/// Resource tracks sit under the worker lanes, one per resource the run used: the
/// semaphore's permits held against its five permits, and the clients waiting for one.
#[test]
fn resource_tracks_show_the_semaphore_held_and_waited_for() {
    let mut h = run_shipped("A polite, rate-limited client");
    h.get_by_label("http in flight");
    h.get_by_label("5 · peak 15");
    // Only the resources the run used have a track.
    let names = track_names(&h);
    assert_eq!(names, ["http in flight", "semaphore api"]);
    let y = h.get_by_label("semaphore api").rect().center().y;
    let x = h.state().timeline.x_of_time(500_000_000);
    h.hover_at(egui::pos2(x, y));
    h.step();
    h.step();
    h.get_by_label_contains("semaphore api at 500 ms: 5 held of 5, 10 waiting");
}

/// A refused request does not look like a success: the client's row says how its request
/// ended, and marks a refusal.
#[test]
fn refused_requests_are_marked_on_their_task_rows() {
    let mut h = run_shipped("Naive fan-out against a rate limit");
    // Open on the first run: the scenario's `[view] expand = ["client"]`.
    assert!(h.query_by_label("+ client (15)").is_none());
    // The legend says what the red bar is (only for runs that have one).
    h.get_by_label("red bar under an HTTP wait: the request was refused (429) or failed");
    let (id, mid) = {
        let trace = trace_of(&h);
        trace
            .http
            .iter()
            .filter(|r| r.status == Some(429))
            .find_map(|r| {
                let (id, end) = (r.task?, r.end_ns?);
                let ti = trace.task_index(id)?;
                // The middle of the task's HTTP wait during that request.
                let wait = trace.task_states(ti).into_iter().find(|s| {
                    s.wait == Some(asyncscope::trace::WaitReason::Http)
                        && s.state == asyncscope::trace::TaskState::Waiting
                        && s.start_ns < end
                        && s.end_ns > r.start_ns
                })?;
                Some((id, (wait.start_ns + wait.end_ns) / 2))
            })
            .expect("a refused request the task waited for")
    };
    let row = format!("  client #{id}");
    h.get_by_label(&row).scroll_to_me();
    h.step();
    let y = h.get_by_label(&row).rect().center().y;
    let x = h.state().timeline.x_of_time(mid);
    h.hover_at(egui::pos2(x, y));
    h.step();
    h.step();
    h.get_by_label_contains(", answered 429 Too Many Requests (refused)");
}

/// The side panels fold away so the timeline takes the width (at 1600×1000 it then gets
/// nearly all of it), and the choice is kept between launches.
#[test]
fn the_side_panels_fold_away_for_the_timeline() {
    let mut h = run_shipped("I/O fan-out");
    let before = h.state().timeline.width();
    click(&mut h, "« hide");
    click(&mut h, "hide »");
    h.step();
    let after = h.state().timeline.width();
    assert!(after > before + 400.0, "{before} -> {after}");
    assert!(
        after >= 0.9 * 1600.0,
        "the timeline gets {after} px of 1600"
    );
    let state = h.state().state.clone();
    assert!(
        state.hide_left && state.hide_right,
        "remembered in the persisted state"
    );
    // A new window with that state opens folded.
    let mut again = harness_with(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        state,
    );
    again.step();
    again.get_by_label("»");
    assert!(again.query_by_label("« hide").is_none());
    // The buttons bring the panels back.
    click(&mut h, "»");
    click(&mut h, "«");
    assert!(!h.state().state.hide_left && !h.state().state.hide_right);
    h.get_by_label("Run");
}

/// A scenario says what to show first: `[view] expand` opens a group of any size on the
/// first run, and `tracks` picks the resource tracks.
#[test]
fn a_scenarios_view_keys_pick_what_shows_first() {
    let dir = std::env::temp_dir().join(format!("asyncscope-ui-view-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let mut text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rate_limited_client.toml"),
    )
    .expect("scenario");
    text.push_str("\n[view]\nexpand = [\"client\"]\ntracks = [\"semaphore api\"]\n");
    std::fs::write(dir.join("view.toml"), text).expect("write");
    let mut h = harness(dir);
    press_run_and_wait(&mut h, "the run to finish");
    h.step();
    h.get_by_label("- client (15)");
    assert!(
        h.query_all_by_label_contains("  client #").count() >= 10,
        "one row per client"
    );
    let names = track_names(&h);
    assert_eq!(names, ["semaphore api"], "only the tracks asked for");
}

/// A first launch at 1600×1000: the timeline gets at least 70% of the width, and on the
/// first run of every shipped scenario what carries its lesson is in view with no click and
/// no scrolling: every worker and blocking-pool lane, every resource track, every group of
/// the scenario's own (and each task row of the groups shown open).
#[test]
fn a_first_launch_gives_the_timeline_the_width_and_shows_every_lesson() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut h = harness_with(dir.clone(), State::default());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 13);
    for path in files {
        let sc = asyncscope::scenario::load(&path).expect("a shipped scenario loads");
        // The list's entry (the lesson's heading below it has the same name), scrolled
        // into the list's view first: the list scrolls past half of the panel.
        h.query_all_by_label(&sc.name)
            .next()
            .expect("the scenario in the list")
            .scroll_to_me();
        // The scroll is animated: let it settle before clicking where the entry is.
        for _ in 0..10 {
            h.step();
        }
        h.query_all_by_label(&sc.name)
            .next()
            .expect("the scenario in the list")
            .click();
        h.step();
        h.step();
        assert_eq!(
            h.state().state.selected.as_deref(),
            path.file_stem().and_then(|s| s.to_str()),
            "{} is selected",
            sc.name
        );
        // Stress (a million events) takes its time in a debug build beside the other tests.
        h.get_by_label("Run").click();
        h.step();
        wait_for(&mut h, &sc.name, Duration::from_secs(240), finished);
        h.step();
        h.step();
        let width = h.state().timeline.width();
        assert!(
            width >= 0.7 * 1600.0,
            "{}: the timeline gets {width} px",
            sc.name
        );
        let lesson_rows = lesson_rows(&h, &sc);
        let bottom = h.get_by_label("Legend").rect().top();
        assert_in_view(&h, &sc.name, &lesson_rows, bottom);
        // Presentation mode shows the same rows, larger, with the lesson above them (the
        // legend is hidden there: the screen's bottom is the limit).
        h.key_press(egui::Key::F11);
        for _ in 0..3 {
            h.step();
        }
        assert_eq!(
            h.query_all_by_label("Legend").count(),
            1,
            "no legend while presenting, only the bar's toggle"
        );
        let lesson = asyncscope::export::slide::first_sentence(&sc.about);
        let bottom = h.ctx.content_rect().bottom();
        assert!(bottom < 700.0, "1000 px at 1.6x is {bottom} points");
        assert_in_view(&h, &sc.name, &[lesson], bottom);
        assert_in_view(&h, &sc.name, &lesson_rows, bottom);
        // With the plots off, a heartbeat's lateness still shows: it is the lesson's
        // evidence of a stalled loop (cpu_misuse, blocking_misuse, single_thread_loop…).
        if trace_of(&h).heartbeats.len() > 3 {
            assert_in_view(&h, &sc.name, &["heartbeat late (ms)".to_string()], bottom);
        }
        h.key_press(egui::Key::F11);
        h.step();
        h.step();
    }
}

/// The timeline's rows that carry `sc`'s lesson on its first run: the lanes, the resource
/// tracks, and each group's header and (open by default or by `[view]`) task rows.
fn lesson_rows(h: &Harness<'static, App>, sc: &asyncscope::scenario::Scenario) -> Vec<String> {
    let trace = trace_of(h);
    let mut rows: Vec<String> = trace.lanes.iter().map(|l| l.name.clone()).collect();
    rows.extend(
        trace
            .resource_tracks(sc.view.tracks.as_deref())
            .into_iter()
            .map(|(c, _)| c.name),
    );
    for g in asyncscope::view::groups::task_groups(&trace) {
        if g.library {
            continue;
        }
        let open = sc.view.expand.contains(&g.name) || g.expanded_by_default();
        let sign = if open { "-" } else { "+" };
        rows.push(format!("{sign} {} ({})", g.name, g.tasks.len()));
        if open {
            rows.extend(
                g.tasks
                    .iter()
                    .map(|&t| format!("  {}", trace.title(&trace.tasks[t as usize]))),
            );
        }
    }
    rows
}

/// Each of `labels` is on screen, above `bottom` (the timeline's, when the scenario panel
/// on its left uses the same words).
fn assert_in_view(h: &Harness<'static, App>, scenario: &str, labels: &[String], bottom: f32) {
    for label in labels {
        let r = h
            .query_all_by_label(label)
            .map(|n| n.rect())
            .max_by(|a, b| a.left().total_cmp(&b.left()))
            .unwrap_or_else(|| {
                let near: Vec<String> = h
                    .query_all_by_label_contains(label.trim().split(' ').next().unwrap_or(""))
                    .filter_map(|n| {
                        n.accesskit_node()
                            .label()
                            .map(|l| format!("{l} {:?}", n.rect()))
                    })
                    .collect();
                panic!(
                    "{scenario}: {label:?} is not on screen (view ends at {bottom}; near: {near:?})"
                )
            });
        assert!(
            r.top() >= 0.0 && r.bottom() <= bottom + 0.5,
            "{scenario}: {label:?} at {r:?}, the view ends at {bottom}"
        );
    }
}

/// The Output panel lists the `print` lines in order; clicking one selects its task and
/// marks its time on the timeline; the task's row is marked where it printed.
#[test]
fn the_output_panel_lists_the_prints_and_finds_each_one() {
    let mut h = run_shipped("Print-debugging the order");
    h.get_by_label_contains("6 lines printed");
    // The panel's lines: "  102.443 ms  fast #6          fast: got the answer".
    let lines: Vec<String> = h
        .query_all_by_label_contains(" ms  ")
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.contains(": start") || l.contains(": got the answer"))
        .collect();
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert!(lines[0].ends_with("slow: start"), "{lines:?}");
    assert!(lines[3].ends_with("fast: got the answer"), "{lines:?}");
    let (fast_id, at) = {
        let trace = trace_of(&h);
        let p = trace
            .prints
            .iter()
            .find(|p| p.text.as_ref() == "fast: got the answer")
            .expect("the line")
            .clone();
        (p.task.expect("a task"), p.ts_ns)
    };
    h.get_by_label_contains("  fast: got the answer").click();
    h.step();
    h.step();
    assert_eq!(
        h.state().timeline.selection.map(|s| s.task()),
        Some(fast_id),
        "the line's task is selected"
    );
    assert_eq!(
        h.state().timeline.marked_ns,
        Some(at),
        "and its time marked"
    );
    // The legend explains the marks on the rows.
    h.get_by_label_contains("a print line of the task");
}

/// Cancelled tasks are drawn with their own end mark, which the legend explains only when
/// the run has some.
#[test]
fn cancelled_tasks_get_their_own_mark_in_the_legend() {
    let h = run_shipped("Cancellation: timeouts, races, abort");
    h.get_by_label_contains("cancelled: aborted by the scenario");
    let cancelled = trace_of(&h)
        .tasks
        .iter()
        .filter(|t| t.outcome == Some(asyncscope::trace::Outcome::Cancelled))
        .count();
    assert_eq!(cancelled, 3);
    let mut h = run_shipped("Sequential awaits");
    h.step();
    assert!(
        h.query_by_label_contains("cancelled: aborted by the scenario")
            .is_none(),
        "no cancelled task, no such entry"
    );
}

/// "Run on both" runs the scenario on tokio, then on asyncio, and opens their comparison:
/// the tokio run first (the baseline), the asyncio run's lane the event loop.
#[test]
fn run_on_both_compares_tokio_and_asyncio() {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    h.get_by_label("Sequential awaits").click();
    h.step();
    h.step();
    h.get_by_label("Run on both").click();
    h.step();
    wait_for(
        &mut h,
        "both runs and the comparison",
        Duration::from_secs(60),
        |app| app.compare_view().is_some(),
    );
    h.step();
    let table = h.state().compare_view().expect("open").table.clone();
    assert_eq!(
        table.runs,
        ["Sequential awaits (tokio)", "Sequential awaits (asyncio)"],
        "tokio first, each named with its runtime"
    );
    assert_eq!(h.state().runs().len(), 2);
    h.get_by_label("event-loop");
    assert_eq!(
        h.get_all_by_label("worker-0").count(),
        1,
        "the tokio run's lanes"
    );
    // The runtime Run uses switches beside it (and is kept with the state).
    click(&mut h, "Back to the timeline");
    click(&mut h, "on tokio");
    assert_eq!(h.state().state.runtime, asyncscope::ui::Runtime::Asyncio);
    h.get_by_label("on asyncio");
}

/// "Trace a Python script…": the script runs live on the instrumented loop; its lanes are
/// the event loop's and the executor's, and a task's details list the lines it paused at,
/// the one under the pointer marked (the coroutine's state machine, on the attendee's code).
#[test]
fn a_traced_python_script_shows_its_loop_and_where_each_task_paused() {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    h.get_by_label("Trace a Python script…");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/lesson.py");
    let ctx = h.ctx.clone();
    h.state_mut().trace_python(script, &ctx);
    h.step();
    wait_for(
        &mut h,
        "the traced script",
        Duration::from_secs(30),
        finished,
    );
    h.get_by_label("event-loop");
    h.get_by_label("executor-0");
    h.get_by_label_contains("lesson.py (asyncio)");
    let (id, paused_at) = {
        let trace = trace_of(&h);
        let read = trace
            .steps
            .iter()
            .position(|s| s.on == "lesson.py:21")
            .expect("the read's line") as u32;
        trace
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.name.as_deref() == Some("fetch"))
            .find_map(|(i, t)| {
                let s = trace
                    .task_step_spans(i as u32)
                    .into_iter()
                    .find(|s| s.step == read && s.end_ns - s.start_ns > 50_000_000)?;
                Some((t.id, (s.start_ns + s.end_ns) / 2))
            })
            .expect("a fetch that waited for its answer")
    };
    click(&mut h, &format!("  fetch #{id}"));
    h.get_by_label("Steps");
    let row_y = h.get_by_label(&format!("  fetch #{id}")).rect().center().y;
    let x = h.state().timeline.x_of_time(paused_at);
    h.hover_at(egui::pos2(x, row_y));
    h.step();
    h.step();
    h.get_by_label("> lesson.py:21 (`answer = await reader.read()`)");
    h.get_by_label_contains("at lesson.py:21 (`answer = await reader.read()`)");
}

/// With asyncio chosen, a scenario that has an asyncio lesson shows it under its lesson
/// ("On asyncio": the GIL for threads that compute); with tokio chosen it does not.
#[test]
fn the_asyncio_lesson_shows_when_asyncio_is_chosen() {
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    click(&mut h, "Download with await, parse on the blocking pool");
    assert!(h.query_by_label("On asyncio").is_none());
    click(&mut h, "on tokio");
    h.get_by_label("On asyncio");
    h.get_by_label_contains("still stalls the loop: the threads share the GIL with it");
    click(&mut h, "中文");
    h.get_by_label("在 asyncio 上会怎样");
}

/// A live view whose model is behind the run (the collector's CPU budget) draws up to the
/// model and says so over the rest, rather than showing the workers idle there.
#[test]
fn a_live_view_behind_its_model_says_how_far_and_that_nothing_is_lost() {
    use asyncscope::trace::{Batch, Event, EventKind, Trace};
    use asyncscope::ui::theme::Theme;
    use asyncscope::ui::timeline::{RunView, TimelineState, timeline_ui};
    let mut trace = Trace::new("storm");
    let ev = |ts_ns, kind| Event { ts_ns, kind };
    trace.ingest(Batch {
        thread: 0,
        events: vec![
            ev(
                0,
                EventKind::Spawn {
                    task: 1,
                    location: std::panic::Location::caller(),
                },
            ),
            ev(1_000_000, EventKind::PollStart { task: 1 }),
            ev(2_000_000, EventKind::PollEnd { task: 1 }),
        ],
    });
    let render = |behind: Option<u64>| {
        let mut h = Harness::builder()
            .with_size(egui::vec2(1400.0, 800.0))
            .build_ui_state(
                move |ui, (trace, state): &mut (&Trace, TimelineState)| {
                    let theme = Theme::from_visuals(ui.visuals());
                    let view = RunView {
                        trace,
                        now_ns: 5_000_000,
                        catching_up_to: behind,
                        live: true,
                        until_ns: None,
                        offer_replay: false,
                    };
                    let _ = timeline_ui(ui, state, &view, &theme);
                },
                (&trace, TimelineState::default()),
            );
        h.run();
        h.query_by_label_contains("modelling:").map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value()).unwrap_or_default()
        })
    };
    let said = render(Some(50_000_000)).expect("the band says the model is behind");
    assert!(said.contains("modelling: 45 ms behind the run"), "{said}");
    assert!(said.contains("every event is kept"), "{said}");
    assert_eq!(render(None), None, "a current view says nothing");
}

/// Every English word (two or more Latin letters) in the window's accessible text, apart
/// from code in backticks, the run's own names (tasks, groups, lanes, steps, files) and
/// the technical terms and units that stay as they are in Chinese.
fn english_words(
    h: &Harness<'static, App>,
    names: &std::collections::BTreeSet<String>,
) -> Vec<String> {
    const KEPT: &[&str] = &[
        // Units and numbers' marks.
        "ms",
        "µs",
        "px",
        "pts",
        // Names of things, as Chinese texts write them.
        "tokio",
        "asyncio",
        "async",
        "await",
        "Python",
        "CPython",
        "Rust",
        "HTTP",
        "GET",
        "CPU",
        "GIL",
        "OS",
        "I/O",
        "URL",
        "Ready",
        "Pending",
        "SVG",
        "PNG",
        "TOML",
        "JSON",
        "Ctrl",
        "Shift",
        "Esc",
        "Home",
        "End",
        "Space",
        "F5",
        "F11",
        "tokio-console",
        "tokio-metrics",
        "console-subscriber",
        "reqwest",
        "aiohttp",
        "httpx",
        "rayon",
        "English",
        "asyncscope",
        "p50",
        "p99",
        "Too",
        "Many",
        "Requests",
        "id",
        "current_thread",
        "multi_thread",
        "spawn",
        "spawn_blocking",
        "yield",
        "join",
        "run_in_executor",
        "panic",
        "sleep",
        "ProcessPoolExecutor",
        "ThreadPoolExecutor",
        "Semaphore",
        "Retry-After",
        "join_all",
        "waker",
        "future",
        "Future",
        "Task",
        "print",
    ];
    let mut texts = Vec::new();
    for node in h.query_all(egui_kittest::kittest::by()) {
        let n = node.accesskit_node();
        texts.extend([n.label(), n.value()].into_iter().flatten());
    }
    let mut out = Vec::new();
    for text in &texts {
        // egui's own name for a panel's resize handle, for screen readers.
        if text == "Resize panel" {
            continue;
        }
        // A row of a wrapped text whose backticks pair up only in the whole text: the
        // whole text is read instead.
        let unpaired = text.matches('`').count() % 2 == 1;
        if unpaired
            && texts
                .iter()
                .any(|t| t.len() > text.len() && t.contains(text.as_str()))
        {
            continue;
        }
        // Code in backticks is code.
        let mut plain = String::new();
        for (i, part) in text.split('`').enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
                plain.push(' ');
            }
        }
        for word in plain
            .split(|c: char| !(c.is_ascii_alphanumeric() || "_-./:".contains(c)))
            .map(|w| w.trim_matches(|c: char| ".:-/".contains(c)))
            .filter(|w| w.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2)
        {
            let kept = KEPT.contains(&word)
                || names.contains(word)
                || word.contains(['_', '.', ':', '/'])
                || word.split('-').all(|p| {
                    names.contains(p) || KEPT.contains(&p) || p.chars().all(|c| c.is_ascii_digit())
                })
                || word.chars().next().is_some_and(|c| c.is_ascii_digit());
            if !kept {
                out.push(format!("{word:?} in {text:?}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// In Chinese, the main window after a run — the scenario panel, its facts and steps, the
/// run history, the timeline with its lanes, plots and legend, the findings, histograms and
/// a task's details — has no English word outside names, numbers and code.
#[test]
fn the_main_window_in_chinese_has_no_english_words() {
    let mut h = harness_with(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        State {
            hide_right: false,
            language: asyncscope::ui::Language::Chinese,
            ..State::default()
        },
    );
    select_scenario(&mut h, "异步任务里的 CPU 计算");
    click(&mut h, "运行");
    wait_for(
        &mut h,
        "the run to finish",
        Duration::from_secs(30),
        finished,
    );
    // A task's details, and the histograms open.
    let crunch = {
        let trace = trace_of(&h);
        let t = trace
            .tasks
            .iter()
            .find(|t| trace.label(t) == "crunch")
            .expect("a crunch task");
        t.id
    };
    h.state_mut().timeline.selection = Some(asyncscope::ui::timeline::Selection::Task(crunch));
    h.get_by_label("直方图").click();
    h.step();
    h.step();
    h.get_by_label("诊断");
    h.get_all_by_label_contains("在一次轮询里占用")
        .next()
        .expect("a slow-poll finding")
        .click();
    h.step();
    h.step();
    let names: std::collections::BTreeSet<String> = {
        let trace = trace_of(&h);
        let mut names = std::collections::BTreeSet::new();
        let mut add = |s: &str| add_words(&mut names, s);
        for t in &trace.tasks {
            add(&trace.label(t));
        }
        for l in &trace.lanes {
            add(&l.name);
        }
        for s in &trace.steps {
            add(&s.label);
        }
        add(&trace.scenario);
        names
    };
    let english = english_words(&h, &names);
    assert!(
        english.is_empty(),
        "English in the Chinese window:\n{}",
        english.join("\n")
    );
    // The words checked are really there: the findings, the legend, the lanes.
    assert!(h.get_all_by_label_contains("办法：").count() >= 1);
    h.get_by_label("图例");
    assert!(h.get_all_by_label_contains("忙碌").count() >= 2);
    h.get_by_label_contains("次轮询 · ");
}

/// In Chinese, every shipped scenario's panel — its lesson, facts, steps and Predict card —
/// has no English word outside the file's own names and code.
#[test]
fn every_shipped_scenarios_panel_speaks_chinese() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut h = harness_with(
        dir.clone(),
        State {
            language: asyncscope::ui::Language::Chinese,
            ..State::default()
        },
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "{files:?}");
    let mut english = Vec::new();
    for file in &files {
        let sc = asyncscope::scenario::load(file).expect("a shipped scenario loads");
        let shown = sc.name_in(asyncscope::ui::Language::Chinese).to_string();
        assert_ne!(shown, sc.name, "{}: no name_zh", file.display());
        select_scenario(&mut h, &shown);
        // The file's own names: its groups, steps (with what they print), semaphores,
        // channels and results.
        let mut names = std::collections::BTreeSet::new();
        let mut add = |s: &str| add_words(&mut names, s);
        add(&sc.name);
        for g in &sc.groups {
            add(&g.name);
        }
        for step in sc.step_table() {
            add(&step.label);
        }
        for n in sc
            .semaphores
            .keys()
            .chain(sc.channels.keys())
            .chain(sc.results.keys())
        {
            add(n);
        }
        english.extend(
            english_words(&h, &names)
                .into_iter()
                .map(|w| format!("{}: {w}", file.display())),
        );
    }
    assert!(
        english.is_empty(),
        "English in the Chinese scenario panels:\n{}",
        english.join("\n")
    );
}

/// In presentation mode the Predict card sits under the lesson in the bar, and the reveal
/// takes its place as one large line: guess -> result per figure, a click on a figure goes
/// to its evidence, "New guesses" brings the card back.
#[test]
fn presentation_mode_predicts_and_reveals_in_the_bar() {
    let mut h = harness_with(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        State {
            presenting: true,
            selected: Some("sequential_awaits".into()),
            ..State::default()
        },
    );
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("Leave (F11)");
    h.get_by_label("Predict");
    let wall_q = "How long will the whole run take?";
    type_guess(&mut h, wall_q, "150");
    press_run_and_wait(&mut h, "the run to finish");
    for _ in 0..3 {
        h.step();
    }
    assert!(h.query_by_label("Predict").is_none(), "the card gave way");
    h.get_by_label("Predicted vs. measured");
    let (wall, peak) = {
        let trace = trace_of(&h);
        (
            trace.wall_ns as f64 / 1e6,
            asyncscope::trace::Figure::PeakInFlight.evidence(&trace),
        )
    };
    h.get_by_label(&format!("wall time: 150 ms -> {wall:.0} ms"));
    h.get_by_label(&format!("×{:.1}", wall / 150.0));
    // No guess for the peak: a dash, the result, and no "how far off".
    click(&mut h, "peak in flight: — -> 1");
    let (a, b) = h.state().timeline.visible_range_ns();
    assert!(
        a <= peak.0 as f64 && b >= peak.1 as f64 && b - a < wall * 1e6 * 0.5,
        "the peak's evidence {peak:?}, shown {a}..{b}"
    );
    click(&mut h, &format!("wall time: 150 ms -> {wall:.0} ms"));
    let (a, b) = h.state().timeline.visible_range_ns();
    assert!(a <= 0.0 && b >= wall * 1e6 * 0.99, "whole run: {a}..{b}");
    click(&mut h, "New guesses");
    assert!(h.query_by_label("Predicted vs. measured").is_none());
    h.get_by_label("Predict");
}

/// Types `text` into the Predict card's field for `question`.
fn type_guess(h: &mut Harness<'static, App>, question: &str, text: &str) {
    guess_field(h, question).click();
    h.step();
    guess_field(h, question).type_text(text);
    h.step();
}

/// The text field the Predict card labels with `question`.
fn guess_field<'h>(h: &'h Harness<'static, App>, question: &'h str) -> egui_kittest::Node<'h> {
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, question)
}

/// Predict, then reveal: the room's guesses are typed into the card before Run; when the run
/// ends the card shows each guess beside the result, large, and the timeline goes to the
/// evidence. The guesses stay with the run: shown again from the history, and reopened from
/// its trace file.
#[test]
fn a_predict_card_takes_guesses_and_reveals_them_against_the_run() {
    use asyncscope::trace::{Figure, Guess};
    let mut h = harness(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"));
    select_scenario(&mut h, "Sequential awaits");
    h.get_by_label("Predict");
    let wall_q = "How long will the whole run take?";
    let peak_q = "How many requests will be in flight at once, at most?";
    type_guess(&mut h, wall_q, "150 ms");
    type_guess(&mut h, peak_q, "1");
    assert!(
        h.query_by_label("Predicted vs. measured").is_none(),
        "not before the run"
    );
    press_run_and_wait(&mut h, "the run to finish");
    for _ in 0..3 {
        h.step();
    }
    // The reveal: both guesses, both results, and how far off each was.
    h.get_by_label("Predicted vs. measured");
    let (wall, evidence) = {
        let trace = trace_of(&h);
        assert_eq!(
            trace.guesses,
            [
                Guess {
                    figure: Figure::WallMs,
                    value: 150.0
                },
                Guess {
                    figure: Figure::PeakInFlight,
                    value: 1.0
                }
            ]
        );
        (
            trace.wall_ns as f64 / 1e6,
            Figure::PeakInFlight.evidence(&trace),
        )
    };
    h.get_by_label("150 ms");
    h.get_by_label(&format!("{wall:.0} ms"));
    h.get_by_label(&format!("×{:.1}", wall / 150.0));
    // Ten requests awaited one after another: one in flight at a time, as guessed.
    h.get_by_label("≈");
    // The timeline went to the first figure's evidence (the whole run); "show" on the
    // second row goes to the moment of the peak.
    let (a, b) = h.state().timeline.visible_range_ns();
    assert!(a <= 0.0 && b >= wall * 1e6 * 0.99, "whole run: {a}..{b}");
    h.get_all_by_label("show")
        .nth(1)
        .expect("a second row")
        .click();
    h.step();
    h.step();
    let (a, b) = h.state().timeline.visible_range_ns();
    assert!(
        a <= evidence.0 as f64 && b >= evidence.1 as f64 && b - a < wall * 1e6 * 0.5,
        "the peak's evidence {evidence:?}, shown {a}..{b}"
    );
    // New guesses: the card again, with what was typed; another run with no wall-time
    // guess has none in its reveal.
    click(&mut h, "New guesses");
    assert!(h.query_by_label("Predicted vs. measured").is_none());
    h.get_by_label("Predict");
    guess_field(&h, wall_q).click();
    h.step();
    for _ in 0..6 {
        h.key_press(egui::Key::Backspace);
    }
    h.step();
    click(&mut h, "Run");
    wait_for(&mut h, "the second run", Duration::from_secs(30), |app| {
        app.runs().len() == 2 && finished(app)
    });
    h.step();
    assert!(
        h.query_by_label("150 ms").is_none(),
        "the second run's own guesses"
    );
    // The first run, from the history (below the card: scrolled to): its guesses again.
    h.get_all_by_label_contains("· Sequential awaits · done")
        .last()
        .expect("the first run in the history")
        .scroll_to_me();
    for _ in 0..10 {
        h.step();
    }
    h.get_all_by_label_contains("· Sequential awaits · done")
        .last()
        .expect("the first run in the history")
        .click();
    for _ in 0..3 {
        h.step();
    }
    assert_eq!(h.state().current_run().map(|r| r.id), Some(1));
    h.get_by_label("150 ms");
    // Saved and reopened: the guesses are in the trace file.
    let dir = std::env::temp_dir().join(format!("asyncscope-predict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("guessed.ascope");
    h.state().save_run(&file).expect("saved");
    let back = asyncscope::export::native::load(&file).expect("loads");
    assert_eq!(back.predict, [Figure::WallMs, Figure::PeakInFlight]);
    assert_eq!(back.guesses.len(), 2);
    h.state_mut().open_runs(std::slice::from_ref(&file));
    for _ in 0..3 {
        h.step();
    }
    assert_eq!(h.state().runs().len(), 3);
    h.get_by_label("150 ms");
}
