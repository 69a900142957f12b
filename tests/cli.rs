//! The `asyncscope` binary as a user runs it: exit codes, error messages, and the exported
//! files checked by the export-contract checker (`tools/check_trace.py`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, with an English locale whatever the machine's is (the tests read its
/// English words; the language tests set their own).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_asyncscope"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    c
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("asyncscope-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn invalid_scenario_exits_2_with_file_line_column() {
    let dir = scratch("invalid");
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        "name = \"n\"\nabout = \"a\"\n[runtime]\nworkers = 0\n[[task]]\nname = \"g\"\nsteps = [{ sleep_ms = 1 }]\n",
    )
    .expect("write");
    let out = bin().arg("run").arg(&file).output().expect("run");
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("{}:4:11:", file.display())), "{err}");
    assert!(err.contains("between 1 and 64"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unknown_step_and_missing_file_exit_2() {
    let dir = scratch("unknown");
    let file = dir.join("typo.toml");
    std::fs::write(
        &file,
        "name = \"n\"\nabout = \"a\"\n[[task]]\nname = \"g\"\nsteps = [{ htp_get = \"/x\" }]\n",
    )
    .expect("write");
    let out = bin().arg("run").arg(&file).output().expect("run");
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(":5:12:") && err.contains("htp_get") && err.contains("http_get"),
        "{err}"
    );

    let out = bin()
        .args(["run", "no/such/file.toml"])
        .output()
        .expect("run");
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no/such/file.toml") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn unwritable_export_path_is_an_error_and_the_other_export_is_written() {
    let dir = scratch("unwritable");
    let summary = dir.join("s.json");
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/naive_fanout_rate_limited.toml"))
        .args([
            "--chrome-trace",
            "/nonexistent-dir/x/trace.json",
            "--summary",
        ])
        .arg(&summary)
        .output()
        .expect("run");
    let (stdout, err) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("could not write the Chrome trace"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        stdout.contains("429: 10"),
        "the summary is still printed: {stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary written"))
            .expect("json");
    assert_eq!(json["http"]["status"]["429"], 10);
}

/// Runs every shipped scenario through the CLI and checks both exports against the
/// export contract of the core issue with the independent Python checker.
#[test]
fn every_shipped_scenario_exports_a_trace_that_passes_the_contract_checker() {
    let dir = scratch("contract");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    for scenario in entries {
        let stem = scenario
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let trace = dir.join(format!("{stem}.json"));
        let summary = dir.join(format!("{stem}-summary.json"));
        let out = bin()
            .arg("run")
            .arg(&scenario)
            .arg("--chrome-trace")
            .arg(&trace)
            .arg("--summary")
            .arg(&summary)
            .arg("--quiet")
            .output()
            .expect("run");
        assert!(out.status.success(), "{stem}: {}", text(&out).1);
        let check = Command::new("python3")
            .arg(repo().join("tools/check_trace.py"))
            .arg(&trace)
            .arg(&summary)
            .output()
            .expect("python3 is needed for the export-contract check (scripts/setup.sh)");
        let (stdout, stderr) = text(&check);
        assert!(check.status.success(), "{stem}: {stdout}{stderr}");
        assert_eq!(stdout.trim(), "ok", "{stem}");
        if stem == "stress" {
            // 280 MB of JSON: the checker has read it all; the extra checks below would
            // hold it in memory as a tree (several GB) for what the smaller runs show.
            checked += 1;
            continue;
        }

        // What the checker does not look at: flows pair up, lanes and task tracks exist.
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&trace).expect("trace")).expect("json");
        let events = json["traceEvents"].as_array().expect("traceEvents");
        let count = |ph: &str| events.iter().filter(|e| e["ph"] == ph).count();
        assert_eq!(count("s"), count("f"), "{stem}: every flow has both ends");
        assert!(count("s") > 0, "{stem}: wake → poll arrows");
        // Task state slices: `running`, `scheduled` or `waiting: <reason> <label>`, with
        // args {task, state, wait, on, step}; adjacent ones never overlap in floating point.
        let states: Vec<_> = events.iter().filter(|e| e["cat"] == "state").collect();
        assert!(
            states.iter().any(|e| e["args"]["state"] == "waiting"),
            "{stem}: per-task state tracks with waits"
        );
        for e in &states {
            let a = &e["args"];
            let state = a["state"].as_str().expect("args.state");
            let name = e["name"].as_str().expect("name");
            match state {
                "running" | "scheduled" => assert_eq!(name, state, "{stem}"),
                "waiting" => {
                    let wait = a["wait"].as_str().expect("args.wait on a waiting slice");
                    assert!(
                        name.starts_with(&format!("waiting: {wait}")),
                        "{stem}: {name}"
                    );
                    if a["step"].is_u64() {
                        assert!(a["on"].is_string(), "{stem}: {e}");
                    }
                }
                other => panic!("{stem}: state {other}"),
            }
            assert!(a["task"].is_u64() && a.get("step").is_some() && a.get("on").is_some());
        }
        // Resources as counter tracks, named and argued per the contract.
        let counters = |name: &str| -> Vec<&serde_json::Value> {
            events
                .iter()
                .filter(|e| e["ph"] == "C" && e["cat"] == "resource" && e["name"] == name)
                .collect()
        };
        let expect_fields = |name: &str, fields: &[&str]| {
            let c = counters(name);
            assert!(!c.is_empty(), "{stem}: a `{name}` counter");
            for e in c {
                for f in fields {
                    assert!(e["args"][f].is_u64(), "{stem}: {name} args.{f}: {e}");
                }
            }
        };
        let summary_json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary"))
                .expect("json");
        let resources = &summary_json["resources"];
        assert!(
            resources["http"]["max_in_flight"].is_u64(),
            "{stem}: {resources}"
        );
        assert!(resources["blocking_pool"]["max_running"].is_u64());
        assert!(summary_json["groups"].is_object());
        if resources["http"]["max_in_flight"].as_u64() > Some(0) {
            expect_fields(
                "http in flight",
                &["200", "429", "other", "error", "cancelled"],
            );
        }
        for (name, sem) in resources["semaphores"].as_object().expect("semaphores") {
            assert!(
                sem["permits"].is_u64() && sem["max_held"].is_u64() && sem["max_waiting"].is_u64()
            );
            expect_fields(&format!("semaphore {name}"), &["held", "waiting"]);
        }
        for (name, ch) in resources["channels"].as_object().expect("channels") {
            assert!(ch["capacity"].is_u64() && ch["max_queued"].is_u64());
            expect_fields(&format!("channel {name}"), &["queued"]);
        }
        if resources["blocking_pool"]["max_running"].as_u64() > Some(0) {
            expect_fields("blocking pool", &["running", "waiting"]);
        }
        let mut by_track: std::collections::BTreeMap<u64, Vec<(f64, f64)>> = Default::default();
        for e in &states {
            let (ts, dur) = (
                e["ts"].as_f64().expect("ts"),
                e["dur"].as_f64().expect("dur"),
            );
            by_track
                .entry(e["tid"].as_u64().expect("tid"))
                .or_default()
                .push((ts, dur));
        }
        for slices in by_track.values_mut() {
            slices.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in slices.windows(2) {
                assert!(
                    w[0].0 + w[0].1 <= w[1].0,
                    "{stem}: {:?} ends past {:?}",
                    w[0],
                    w[1]
                );
            }
        }
        assert!(
            events
                .iter()
                .all(|e| e["pid"].as_u64().is_some() && e["tid"].as_u64().is_some())
        );
        checked += 1;
    }
    assert!(checked >= 9);
}

#[test]
fn run_writes_an_svg_of_the_timeline() {
    let dir = scratch("svg");
    let svg = dir.join("fanout.svg");
    let png = dir.join("fanout.png");
    let summary = dir.join("fanout.json");
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/join_vs_spawn.toml"))
        .arg("--svg")
        .arg(&svg)
        .args(["--png-scale", "2", "--png"])
        .arg(&png)
        .arg("--summary")
        .arg(&summary)
        .arg("--quiet")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out).1);
    let text_svg = std::fs::read_to_string(&svg).expect("svg written");
    let doc = roxmltree::Document::parse(&text_svg).expect("the SVG parses");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    let lanes: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("lane"))
        .filter_map(|n| n.text())
        .collect();
    let expected: Vec<&str> = json["lanes"]
        .as_array()
        .expect("lanes")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(lanes, expected, "one row per lane, in order");
    let bars = doc
        .descendants()
        .filter(|n| matches!(n.attribute("class"), Some("poll" | "merged")))
        .count();
    assert!(bars > 0);
    // The PNG is the same picture at twice the size.
    let width: f64 = doc
        .root_element()
        .attribute("width")
        .and_then(|w| w.parse().ok())
        .expect("width");
    let height: f64 = doc
        .root_element()
        .attribute("height")
        .and_then(|h| h.parse().ok())
        .expect("height");
    let img = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&png).expect("png written"))
        .expect("the PNG decodes");
    assert_eq!(
        (img.width(), img.height()),
        ((width * 2.0).ceil() as u32, (height * 2.0).ceil() as u32)
    );
}

/// `--slide`: the run (and a comparison) as a 1920×1080 slide, the PNG at `--png-scale`.
#[test]
fn run_and_compare_write_slides() {
    let dir = scratch("slide");
    let (svg, png, json) = (
        dir.join("slide.svg"),
        dir.join("slide.png"),
        dir.join("run.json"),
    );
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/naive_fanout_rate_limited.toml"))
        .args(["--slide", "--svg"])
        .arg(&svg)
        .arg("--png")
        .arg(&png)
        .arg("--chrome-trace")
        .arg(&json)
        .arg("--quiet")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out).1);
    let text_svg = std::fs::read_to_string(&svg).expect("svg written");
    let doc = roxmltree::Document::parse(&text_svg).expect("the SVG parses");
    assert_eq!(doc.root_element().attribute("width"), Some("1920"));
    assert_eq!(doc.root_element().attribute("height"), Some("1080"));
    let lesson = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("lesson"))
        .and_then(|n| n.text())
        .expect("the lesson");
    assert!(lesson.starts_with("Sent all at once"), "{lesson}");
    // `[view] expand = ["client"]`: fifteen task rows, ten of them with a refused request.
    let refused: std::collections::BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.attribute("data-kind") == Some("refused"))
        .filter_map(|n| n.attribute("data-task"))
        .collect();
    assert!(refused.len() >= 5, "{refused:?}");
    let img = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&png).expect("png written"))
        .expect("the PNG decodes");
    assert_eq!((img.width(), img.height()), (3840, 2160), "2× by default");

    // A slide needs a file to go to.
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/io_fanout.toml"))
        .arg("--slide")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("--svg"), "{}", text(&out).1);

    let cmp = dir.join("cmp.png");
    let out = bin()
        .arg("compare")
        .arg(&json)
        .arg(repo().join("scenarios/rate_limited_client.toml"))
        .args(["--slide", "--png-scale", "1", "--png"])
        .arg(&cmp)
        .arg("--quiet")
        .output()
        .expect("compare");
    assert!(out.status.success(), "{}", text(&out).1);
    let img = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&cmp).expect("png written"))
        .expect("decodes");
    assert_eq!((img.width(), img.height()), (1920, 1080));
}

#[test]
fn run_saves_a_trace_that_open_checks() {
    let dir = scratch("save");
    let saved = dir.join("run.ascope");
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/join_vs_spawn.toml"))
        .arg("--save")
        .arg(&saved)
        .arg("--quiet")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out).1);
    let trace = asyncscope::export::native::load(&saved).expect("loads");
    assert_eq!(trace.scenario, "join versus spawn");
    // `open` refuses a file that is not a trace, before any window, with exit code 2.
    let not_trace = dir.join("not.ascope");
    std::fs::write(&not_trace, b"hello").expect("write");
    let out = bin().arg("open").arg(&not_trace).output().expect("open");
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not an asyncscope trace file"), "{err}");
}

/// `run --guess` is the Predict card for a terminal: the summary ends with each guess beside
/// what the run measured, `--save` keeps the guesses, and a guess for a figure the scenario
/// does not ask for, or given twice, is bad input.
#[test]
fn run_reveals_the_rooms_guesses_against_the_run() {
    let dir = scratch("guess");
    let saved = dir.join("guessed.ascope");
    let scenario = repo().join("scenarios/sequential_awaits.toml");
    let out = bin()
        .arg("run")
        .arg(&scenario)
        .args(["--guess", "wall_ms=150", "--save"])
        .arg(&saved)
        .output()
        .expect("run");
    let (stdout, err) = text(&out);
    assert!(out.status.success(), "{err}");
    let reveal = stdout
        .lines()
        .position(|l| l.starts_with("predicted"))
        .unwrap_or_else(|| panic!("no reveal in:\n{stdout}"));
    let lines: Vec<&str> = stdout.lines().skip(reveal).take(2).collect();
    // Ten 100 ms requests one after another: about 1 s, several times the guess.
    let wall = lines[0]
        .split("measured ")
        .nth(1)
        .and_then(|r| r.split(" ms").next())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no measured wall time in {lines:?}"));
    assert!((1000.0..3000.0).contains(&wall), "{lines:?}");
    assert!(lines[0].contains("wall time: guess 150 ms"), "{lines:?}");
    assert!(lines[0].contains('×'), "{lines:?}");
    // The figure nobody guessed is revealed too, with no guess; one request at a time.
    assert!(
        lines[1]
            .trim_start()
            .starts_with("peak in flight: guess —, measured 1"),
        "{lines:?}"
    );
    let trace = asyncscope::export::native::load(&saved).expect("loads");
    assert_eq!(trace.guesses.len(), 1);
    assert_eq!(trace.guesses[0].value, 150.0);
    assert_eq!(trace.predict.len(), 2);

    // In Chinese, the same reveal.
    let out = bin()
        .args(["--lang", "zh", "run"])
        .arg(&scenario)
        .args(["--guess", "peak_in_flight=10"])
        .output()
        .expect("run");
    let (stdout, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert!(stdout.contains("在途峰值：猜测 10，实测 1"), "{stdout}");

    for (args, expected) in [
        (
            vec!["--guess", "slow_polls=3"],
            "asks to predict wall_ms, peak_in_flight; `--guess slow_polls` is not one of them",
        ),
        (
            vec!["--guess", "wall_ms=1", "--guess", "wall_ms=2"],
            "`--guess wall_ms` is given twice",
        ),
        (vec!["--guess", "wall_ms=soon"], "`soon` is not a number"),
        (vec!["--guess", "wall_time=1"], "no figure `wall_time`"),
    ] {
        let out = bin()
            .arg("run")
            .arg(&scenario)
            .args(&args)
            .output()
            .expect("run");
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/join_vs_spawn.toml"))
        .args(["--guess", "wall_ms=1"])
        .output()
        .expect("run");
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("has no [predict] table"), "{err}");
}

/// `compare` takes scenario files and recorded runs (both formats), prints the table,
/// writes it as JSON and draws the runs stacked on one axis.
#[test]
fn compare_runs_scenarios_and_reads_recorded_runs() {
    let dir = scratch("compare");
    let (json, native) = (dir.join("naive.json"), dir.join("naive.ascope"));
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/naive_fanout_rate_limited.toml"))
        .arg("--chrome-trace")
        .arg(&json)
        .arg("--save")
        .arg(&native)
        .arg("--quiet")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out).1);
    let (table, svg, png) = (
        dir.join("table.json"),
        dir.join("cmp.svg"),
        dir.join("cmp.png"),
    );
    let out = bin()
        .arg("compare")
        .arg(&json)
        .arg(&native)
        .arg(repo().join("scenarios/rate_limited_client.toml"))
        .arg("--summary")
        .arg(&table)
        .arg("--svg")
        .arg(&svg)
        .arg("--png")
        .arg(&png)
        .arg("--png-scale")
        .arg("1")
        .output()
        .expect("compare");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("[3] A polite, rate-limited client"),
        "{stdout}"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&table).expect("table")).expect("json");
    let row = |key: &str| {
        doc["comparison"]["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["key"] == key))
            .cloned()
            .unwrap_or_else(|| panic!("row {key}"))
    };
    // The same run read from its two files is the same; the polite client gets no 429s.
    let s429 = row("http_429");
    assert_eq!(s429["values"][0], s429["values"][1]);
    assert!(s429["values"][0].as_f64().expect("429s") > 0.0);
    assert_eq!(s429["values"][2].as_f64(), Some(0.0));
    assert_eq!(
        s429["marks"],
        serde_json::json!(["baseline", "same", "better"])
    );
    let polls = row("polls");
    assert_eq!(polls["values"][0], polls["values"][1]);
    assert_eq!(doc["runs"].as_array().map(Vec::len), Some(3));
    let svg_text = std::fs::read_to_string(&svg).expect("svg");
    let svg_doc = roxmltree::Document::parse(&svg_text).expect("parses");
    let sections = svg_doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("section"))
        .count();
    assert_eq!(sections, 3);
    let img =
        resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&png).expect("png")).expect("decodes");
    let width: f64 = svg_doc
        .root_element()
        .attribute("width")
        .and_then(|w| w.parse().ok())
        .expect("width");
    assert_eq!(img.width(), width.ceil() as u32);

    // A bad input is refused before anything runs.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"traceEvents\": [}").expect("write");
    let out = bin()
        .arg("compare")
        .arg(repo().join("scenarios/io_fanout.toml"))
        .arg(&bad)
        .output()
        .expect("compare");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.json: line 1, column 18"), "{stderr}");
    assert!(!stdout.contains("running"), "nothing ran: {stdout}");
}

/// `--max-events` caps the recording and the summary says where; out of range is bad input.
#[test]
fn max_events_caps_the_recording() {
    let dir = scratch("cap");
    let summary = dir.join("summary.json");
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/stress.toml"))
        .arg("--max-events")
        .arg("20000")
        .arg("--summary")
        .arg(&summary)
        .output()
        .expect("run");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("truncated  at 20000 events"), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    assert_eq!(json["truncated_at_events"], 20000);
    assert_eq!(json["events"], 20000);
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/stress.toml"))
        .arg("--max-events")
        .arg("5")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("1000..=500000000"),
        "{}",
        text(&out).1
    );
}

#[test]
fn run_serves_to_tokio_console_and_a_taken_port_is_an_error() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = holder.local_addr().expect("addr").port();
    let run = || {
        bin()
            .args(["run", "--console", &port.to_string()])
            .arg(repo().join("scenarios/join_vs_spawn.toml"))
            .output()
            .expect("runs")
    };
    let out = run();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    drop(holder);
    let out = run();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!("tokio-console http://127.0.0.1:{port}")),
        "{stdout}"
    );
}

#[test]
fn run_prints_the_scenarios_print_lines_after_the_summary() {
    let out = bin()
        .arg("run")
        .arg(repo().join("scenarios/print_debugging.toml"))
        .output()
        .expect("run");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let at = stdout
        .find("output     6 lines printed")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        stdout[..at].contains("events     "),
        "the lines come after the summary"
    );
    let lines: Vec<&str> = stdout[at..].lines().skip(1).collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(lines[0].contains(" ms  slow #") && lines[0].ends_with("slow: start"));
    assert!(lines[5].ends_with("slow: got the answer"), "{stdout}");
}

#[test]
fn run_on_asyncio_prints_the_event_loop_lane_and_names_what_it_cannot_run() {
    let out = bin()
        .arg("run")
        .args(["--runtime", "asyncio"])
        .arg(repo().join("scenarios/sequential_awaits.toml"))
        .output()
        .expect("run");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("\n  event-loop "), "{stdout}");
    assert!(stdout.contains("10 requests (200: 10)"), "{stdout}");
    let hang = scratch("asyncio").join("hang.toml");
    std::fs::write(
        &hang,
        "name = \"n\"\nabout = \"a\"\n[[task]]\nname = \"g\"\nsteps = [{ forget_wake = true }]\n",
    )
    .expect("write");
    let out = bin()
        .arg("run")
        .args(["--runtime", "asyncio"])
        .arg(&hang)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("`forget_wake` is not run on asyncio yet"),
        "{}",
        text(&out).1
    );
}

#[test]
fn compare_runs_one_scenario_on_tokio_and_asyncio() {
    let dir = scratch("runtimes");
    let summary = dir.join("both.json");
    let out = bin()
        .arg("compare")
        .args(["--runtimes", "tokio,asyncio"])
        .arg(repo().join("scenarios/cpu_misuse.toml"))
        .arg("--summary")
        .arg(&summary)
        .output()
        .expect("run");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("CPU work inside async tasks (tokio)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("CPU work inside async tasks (asyncio)"),
        "{stdout}"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("written")).expect("json");
    let lanes = |i: usize| -> Vec<String> {
        doc["runs"][i]["lanes"]
            .as_array()
            .expect("lanes")
            .iter()
            .map(|l| l["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(lanes(0).iter().any(|l| l == "worker-1"), "{:?}", lanes(0));
    assert!(lanes(1).iter().any(|l| l == "event-loop"), "{:?}", lanes(1));
    // One file alone, on one runtime, is not a comparison.
    let out = bin()
        .arg("compare")
        .arg(repo().join("scenarios/cpu_misuse.toml"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("--runtimes tokio,asyncio"),
        "{}",
        text(&out).1
    );
}

/// `trace-py`: a Python asyncio program under the instrumented loop, headless like `run`:
/// its own output, then the summary and the exports; a failing script fails the command
/// once its trace is written; a missing one is an error.
#[test]
fn trace_py_runs_a_script_and_writes_its_trace() {
    let dir = scratch("trace-py");
    let chrome = dir.join("lesson.json");
    let saved = dir.join("lesson.ascope");
    let out = bin()
        .args(["trace-py", "--lab"])
        .arg(repo().join("tests/python/lesson.py"))
        .arg("--chrome-trace")
        .arg(&chrome)
        .arg("--save")
        .arg(&saved)
        .output()
        .expect("run");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("statuses [200, 200"),
        "its own output: {stdout}"
    );
    assert!(
        stdout.contains("at lesson.py:39 (`time.sleep(0.3)`)"),
        "{stdout}"
    );
    assert!(stdout.contains("event-loop"), "{stdout}");
    assert!(stdout.contains("by the loop (I/O, timers)"), "{stdout}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&chrome).expect("written")).expect("json");
    assert_eq!(doc["metadata"]["runtime"], "asyncio");
    let back = asyncscope::export::native::load(&saved).expect("loads");
    assert_eq!(back.runtime, asyncscope::trace::Runtime::Asyncio);
    assert!(back.steps.iter().any(|s| s.on == "lesson.py:21"));

    let broken = dir.join("broken.py");
    std::fs::write(
        &broken,
        "import asyncio\nasyncio.run(asyncio.sleep(0.01))\nraise SystemExit(3)\n",
    )
    .expect("written");
    let summary = dir.join("broken.json");
    let out = bin()
        .arg("trace-py")
        .arg(&broken)
        .arg("--summary")
        .arg(&summary)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("written")).expect("json");
    assert!(
        doc["run_errors"][0]
            .as_str()
            .is_some_and(|e| e.contains("the script exited with exit status: 3")),
        "{doc}"
    );

    let out = bin()
        .args(["trace-py", "no/such/script.py"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).1.contains("no/such/script.py: no such file"),
        "{:?}",
        text(&out)
    );
}

/// `--lang zh` prints the summary and the findings in Chinese; `LANG=zh_CN.UTF-8` does the
/// same without the flag, `--lang en` wins over it, and the JSON summary stays English.
#[test]
fn run_speaks_chinese_with_lang_zh_or_a_chinese_locale() {
    let dir = scratch("lang");
    let summary = dir.join("summary.json");
    let scenario = repo().join("scenarios/sequential_awaits.toml");
    let out = bin()
        .args(["run", "--lang", "zh"])
        .arg(&scenario)
        .arg("--summary")
        .arg(&summary)
        .output()
        .expect("run");
    assert!(out.status.success(), "{:?}", text(&out));
    let stdout = text(&out).0;
    // The scenario's Chinese name, the headings, and a finding with its cause and fix.
    assert!(stdout.starts_with("场景       "), "{stdout}");
    for word in [
        "总耗时",
        "诊断",
        "原因：",
        "办法：",
        "一个接一个地 await 了",
    ] {
        assert!(stdout.contains(word), "no {word:?} in {stdout}");
    }
    for word in ["wall time", "finding ", "why:", "fix:", "awaited"] {
        assert!(!stdout.contains(word), "{word:?} in {stdout}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    let message = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["kind"] == "sequential_awaits")
        .and_then(|f| f["message"].as_str())
        .expect("the sequential-awaits finding");
    assert!(message.contains("one after another"), "{message}");

    let by_env = bin()
        .env("LANG", "zh_CN.UTF-8")
        .arg("run")
        .arg(&scenario)
        .output()
        .expect("run");
    assert!(text(&by_env).0.contains("总耗时"), "{}", text(&by_env).0);
    let flag_wins = bin()
        .env("LANG", "zh_CN.UTF-8")
        .args(["run", "--lang", "en"])
        .arg(&scenario)
        .output()
        .expect("run");
    assert!(
        text(&flag_wins).0.contains("wall time"),
        "{}",
        text(&flag_wins).0
    );
    let bad = bin()
        .args(["run", "--lang", "fr"])
        .arg(&scenario)
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad).1.contains("possible values: en, zh"),
        "{}",
        text(&bad).1
    );
    // The SVG of the run says its subtitle in Chinese too.
    let svg = dir.join("zh.svg");
    let out = bin()
        .args(["run", "--lang", "zh", "-q"])
        .arg(&scenario)
        .arg("--svg")
        .arg(&svg)
        .output()
        .expect("run");
    assert!(out.status.success(), "{:?}", text(&out));
    let svg = std::fs::read_to_string(&svg).expect("svg");
    assert!(
        svg.contains("总耗时") && !svg.contains("wall time"),
        "{svg}"
    );
    // A scenario's error: where it is, in Chinese, with the line and its caret.
    let file = dir.join("typo.toml");
    std::fs::write(
        &file,
        "name = \"x\"\nabout = \"y\"\n[[task]]\nname = \"a\"\nsteps = [ { htp_get = \"/items\" } ]\n",
    )
    .expect("write");
    let out = bin()
        .args(["run", "--lang", "zh"])
        .arg(&file)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out).1;
    assert!(
        err.starts_with("错误：") && err.contains(":5:13: 未知的步骤 `htp_get`"),
        "{err}"
    );
    assert!(
        err.contains("你是想写 `http_get` 吗？") && err.contains("|             ^"),
        "{err}"
    );
}
