//! tokio-console: a run served through console-subscriber is seen by a console client (the
//! same gRPC API tokio-console uses) with its tasks by name, and capture still records the
//! run in full. A test binary of its own: console mode gives runtime threads a subscriber
//! of their own, which no other test should share a process with.

use std::time::{Duration, Instant};

use asyncscope::capture::console::Console;
use asyncscope::run::{RunOptions, run};
use asyncscope::scenario;
use console_api::instrument::InstrumentRequest;
use console_api::instrument::instrument_client::InstrumentClient;

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Every string a task's fields hold (its name among them).
fn task_strings(update: &console_api::instrument::Update) -> Vec<String> {
    use console_api::field::Value;
    update
        .task_update
        .iter()
        .flat_map(|u| &u.new_tasks)
        .flat_map(|t| &t.fields)
        .filter_map(|f| match &f.value {
            Some(Value::DebugVal(s) | Value::StrVal(s)) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_console_client_sees_the_runs_tasks_by_name() {
    let sc = scenario::parse(
        "console.toml",
        "name = \"Console\"\nabout = \"Tasks for tokio-console.\"\n[runtime]\nworkers = 2\n\
         [[task]]\nname = \"sleepy_fetcher\"\ncount = 3\nsteps = [{ http_get = \"/x\" }, { sleep_ms = 1500 }]\n",
    )
    .expect("valid");
    let port = free_port();
    let console = Console::start(port).expect("the console server starts");
    assert_eq!(console.addr().to_string(), format!("127.0.0.1:{port}"));
    // A second server on the same port is refused with a clear error.
    let err = Console::start(port).err().expect("port taken");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");

    // The client: a runtime of its own, connecting while the run goes on.
    let client = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let url = format!("http://127.0.0.1:{port}");
            let start = Instant::now();
            let mut client = loop {
                match InstrumentClient::connect(url.clone()).await {
                    Ok(c) => break c,
                    Err(e) if start.elapsed() > Duration::from_secs(10) => {
                        panic!("could not connect: {e}")
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            };
            let mut updates = client
                .watch_updates(InstrumentRequest {})
                .await
                .expect("watch")
                .into_inner();
            let mut seen = Vec::new();
            while start.elapsed() < Duration::from_secs(15) {
                let next = tokio::time::timeout(Duration::from_secs(5), updates.message()).await;
                match next {
                    Ok(Ok(Some(u))) => {
                        seen.extend(task_strings(&u));
                        if seen.iter().any(|s| s.contains("sleepy_fetcher")) {
                            return seen;
                        }
                    }
                    _ => break,
                }
            }
            seen
        })
    });

    let trace = run(
        &sc,
        RunOptions {
            console: Some(console.dispatch().clone()),
            ..Default::default()
        },
    )
    .expect("run");
    let seen = client.join().expect("client");
    assert!(
        seen.iter().any(|s| s.contains("sleepy_fetcher")),
        "the console saw the tasks by name: {seen:?}"
    );
    // Capture recorded the run as usual: names, polls, the wakes that ended the sleeps.
    let fetchers: Vec<_> = trace
        .tasks
        .iter()
        .filter(|t| t.name.as_deref() == Some("sleepy_fetcher"))
        .collect();
    assert_eq!(fetchers.len(), 3);
    for t in &fetchers {
        assert!(
            trace.polls_of(t).len() >= 2,
            "polled before and after the sleep"
        );
        assert!(
            !trace.wakes_of(t).is_empty(),
            "woken by the timer and the response"
        );
    }
    assert_eq!(trace.events_dropped, 0);
    drop(console);
    // The port is free again once the console is dropped.
    let again = Console::start(port).expect("the port is free again");
    drop(again);
}

#[test]
fn the_gui_switch_serves_the_next_run_and_keeps_serving_after_it() {
    use asyncscope::ui::{App, State};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    let port = free_port();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 900.0))
        .build_ui_state(
            |ui, app: &mut App| app.ui_root(ui),
            App::new(dir, State::default()),
        );
    h.step();
    // The list scrolls, and the first scenario's Predict card moves the panel: the entry
    // is scrolled into view, then clicked, and so is the checkbox.
    h.get_by_label("join versus spawn").scroll_to_me();
    for _ in 0..10 {
        h.step();
    }
    h.get_by_label("join versus spawn").click();
    h.step();
    h.step();
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "tokio-console")
        .scroll_to_me();
    for _ in 0..10 {
        h.step();
    }
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "tokio-console")
        .click_accesskit();
    h.step();
    h.step();
    h.get_by_role_and_label(egui::accesskit::Role::SpinButton, "tokio-console")
        .set_value_accesskit(f64::from(port));
    h.step();
    h.step();
    assert_eq!(h.state().state.console_port, Some(port));
    h.get_by_label(&format!("The next run is served on 127.0.0.1:{port}"));
    h.get_by_label("Run").click();
    let start = Instant::now();
    while h.state().current_run().is_none_or(|r| r.is_running()) {
        assert!(start.elapsed() < Duration::from_secs(20), "the run ends");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.step();
    h.get_by_label(&format!(
        "Serving the latest run: tokio-console http://127.0.0.1:{port}"
    ));
    // The server is still up after the run, for tokio-console to look at it.
    std::net::TcpStream::connect(("127.0.0.1", port)).expect("the console server listens");
    // Switched off, it stops and frees the port.
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "tokio-console")
        .click_accesskit();
    h.step();
    h.step();
    assert_eq!(h.state().state.console_port, None);
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free");
}
