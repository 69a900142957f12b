//! Bad input never panics: property tests over scenario files, saved traces (`.ascope`)
//! and exported Chrome JSON. Each input starts from a real, valid one (every shipped
//! scenario; a trace with every kind of event) and is cut, corrupted or rewritten.
//! `PROPTEST_CASES=100000 cargo test --test robustness` runs longer searches.

use std::sync::{Arc, OnceLock};

use asyncscope::export::{chrome, chrome_import, native};
use asyncscope::scenario::{ScenarioError, parse};
use asyncscope::trace::{Batch, Event, EventKind, Trace};
use proptest::prelude::*;

fn scenarios() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .expect("scenarios/")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("readable");
                (p.display().to_string(), text)
            })
            .collect();
        files.sort();
        assert!(files.len() >= 9, "the shipped scenarios");
        files
    })
}

/// A finished trace with every kind of event: spawns (async and blocking, named and not),
/// polls on two workers and a blocking thread, wakes across tasks, a panic, HTTP requests
/// and heartbeats.
fn sample_trace() -> &'static Trace {
    static TRACE: OnceLock<Trace> = OnceLock::new();
    TRACE.get_or_init(|| {
        let ev = |ts_ns, kind| Event { ts_ns, kind };
        let here = std::panic::Location::caller();
        let mut t = Trace::new("sample");
        let a = vec![
            ev(
                1,
                EventKind::Spawn {
                    task: 1,
                    location: here,
                },
            ),
            ev(
                1,
                EventKind::Name {
                    task: 1,
                    name: "main".into(),
                },
            ),
            ev(10, EventKind::PollStart { task: 1 }),
            ev(
                12,
                EventKind::Spawn {
                    task: 2,
                    location: here,
                },
            ),
            ev(
                13,
                EventKind::Name {
                    task: 2,
                    name: "child".into(),
                },
            ),
            ev(
                14,
                EventKind::SpawnBlocking {
                    task: 3,
                    location: "lib.rs:3:4".into(),
                },
            ),
            ev(
                15,
                EventKind::HttpStart {
                    req: 0,
                    url: Arc::from("http://127.0.0.1:1/x"),
                },
            ),
            ev(20, EventKind::PollEnd { task: 1 }),
            ev(50, EventKind::Wake { task: 1 }),
            ev(60, EventKind::PollStart { task: 1 }),
            ev(
                61,
                EventKind::HttpEnd {
                    req: 0,
                    status: 200,
                },
            ),
            ev(62, EventKind::Heartbeat { late_ns: 7 }),
            ev(69, EventKind::Terminate { task: 1 }),
            ev(70, EventKind::PollEnd { task: 1 }),
        ];
        let b = vec![
            ev(30, EventKind::PollStart { task: 2 }),
            ev(34, EventKind::Wake { task: 1 }),
            ev(
                35,
                EventKind::Panic {
                    message: "boom".into(),
                },
            ),
            ev(39, EventKind::Terminate { task: 2 }),
            ev(40, EventKind::PollEnd { task: 2 }),
        ];
        let c = vec![
            ev(20, EventKind::BlockingStart { task: 3 }),
            ev(45, EventKind::BlockingEnd { task: 3 }),
            ev(46, EventKind::Terminate { task: 3 }),
            ev(47, EventKind::Wake { task: 1 }),
        ];
        t.ingest(Batch {
            thread: 1,
            events: b,
        });
        t.ingest(Batch {
            thread: 0,
            events: a,
        });
        t.ingest(Batch {
            thread: 2,
            events: c,
        });
        t.wall_ns = 80;
        t.finish();
        assert_eq!(t.tasks.len(), 3);
        t
    })
}

fn ascope_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| native::to_bytes(sample_trace()))
}

fn chrome_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut out = Vec::new();
        chrome::write(sample_trace(), &mut out).expect("export");
        String::from_utf8(out).expect("utf-8")
    })
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One edit of a text: positions are fractions of its length (so any text takes any edit).
#[derive(Clone, Debug)]
enum Edit {
    Truncate(f64),
    Delete(f64, usize),
    Insert(f64, String),
    /// Replaces the next number at or after the position with another token.
    Number(f64, String),
    DuplicateLine(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..1.0f64;
    let token = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:?}")),
        Just("\"\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("nan".to_string()),
        Just("1e400".to_string()),
        Just("18446744073709551616".to_string()),
    ];
    prop_oneof![
        at.clone().prop_map(Edit::Truncate),
        (at.clone(), 1..40usize).prop_map(|(a, n)| Edit::Delete(a, n)),
        (at.clone(), "[\\PC\n\\[\\]{}=\",.]{1,12}").prop_map(|(a, s)| Edit::Insert(a, s)),
        (at.clone(), token).prop_map(|(a, s)| Edit::Number(a, s)),
        at.prop_map(Edit::DuplicateLine),
    ]
}

fn apply(text: &str, e: &Edit) -> String {
    let pos = |f: f64| floor_char_boundary(text, (f * text.len() as f64) as usize);
    match e {
        Edit::Truncate(f) => text[..pos(*f)].to_string(),
        Edit::Delete(f, n) => {
            let a = pos(*f);
            let b = floor_char_boundary(text, a + n);
            format!("{}{}", &text[..a], &text[b..])
        }
        Edit::Insert(f, s) => {
            let a = pos(*f);
            format!("{}{s}{}", &text[..a], &text[a..])
        }
        Edit::Number(f, s) => {
            let a = pos(*f);
            let Some(start) = text[a..].find(|c: char| c.is_ascii_digit()).map(|i| a + i) else {
                return text.to_string();
            };
            let end = text[start..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
                .map_or(text.len(), |i| start + i);
            format!("{}{s}{}", &text[..start], &text[end..])
        }
        Edit::DuplicateLine(f) => {
            let a = pos(*f);
            let start = text[..a].rfind('\n').map_or(0, |i| i + 1);
            let end = text[a..].find('\n').map_or(text.len(), |i| a + i + 1);
            format!("{}{}", &text[..end], &text[start..])
        }
    }
}

/// A scenario error must point into the file: a line it has, a column on that line.
fn check_scenario_error(file: &str, text: &str, e: &ScenarioError) {
    let d = e.diagnostic().expect("parse errors are located");
    assert_eq!(d.file, file);
    let lines = text.lines().count().max(1);
    assert!(
        d.line >= 1 && d.line <= lines + 1,
        "line {} of {lines}: {}",
        d.line,
        d.message
    );
    assert!(d.column >= 1, "column {}", d.column);
    assert!(!d.message.trim().is_empty());
    // Rendering it (as the CLI and the GUI do) must not panic either.
    let _ = e.to_string();
}

proptest! {
    #[test]
    fn edited_scenarios_parse_or_say_where(
        which in 0..64usize,
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let files = scenarios();
        let (file, text) = &files[which % files.len()];
        let mut t = text.clone();
        for e in &edits {
            t = apply(&t, e);
        }
        if let Err(e) = parse(file, &t) {
            check_scenario_error(file, &t, &e);
        }
    }

    #[test]
    fn arbitrary_text_is_not_a_scenario_panic(text in "\\PC{0,400}") {
        if let Err(e) = parse("fuzz.toml", &text) {
            check_scenario_error("fuzz.toml", &text, &e);
        }
    }

    #[test]
    fn a_truncated_trace_file_is_refused_as_such(cut in 0..1_000_000usize) {
        let bytes = ascope_bytes();
        let cut = cut % bytes.len();
        let err = native::from_bytes(&bytes[..cut]).map(|_| ()).expect_err("a cut file is refused");
        let msg = err.to_string();
        prop_assert!(
            msg.contains("truncated") || msg.contains("not an asyncscope trace"),
            "{msg}"
        );
    }

    #[test]
    fn a_corrupted_trace_file_is_refused(at in 0..1_000_000usize, xor in 1..=255u8) {
        let mut bytes = ascope_bytes().to_vec();
        let at = at % bytes.len();
        bytes[at] ^= xor;
        // Magic, version, length, checksum or body: each is checked.
        let err = native::from_bytes(&bytes).map(|_| ()).expect_err("a corrupted file is refused");
        prop_assert!(!err.to_string().is_empty());
    }

    /// Past the checksum (a file written by a buggy or hostile tool): the decoder and the
    /// model's checks must hold on their own.
    #[test]
    fn any_body_with_a_valid_checksum_loads_or_is_refused(
        edits in prop::collection::vec((0..1_000_000usize, any::<u8>()), 1..8),
        cut in prop::option::of(0..1_000_000usize),
    ) {
        let header = 8 + 4 + 8 + 4;
        let mut body = ascope_bytes()[header..].to_vec();
        for (at, v) in edits {
            let n = body.len();
            body[at % n] = v;
        }
        if let Some(c) = cut {
            body.truncate(c % (body.len() + 1));
        }
        let mut file = ascope_bytes()[..12].to_vec();
        file.extend_from_slice(&(body.len() as u64).to_le_bytes());
        file.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        file.extend_from_slice(&body);
        if let Ok(t) = native::from_bytes(&file) {
            // Whatever loads can be used: summarised, its task states walked.
            let _ = asyncscope::trace::Summary::from_trace(&t);
            for i in 0..t.tasks.len() as u32 {
                let _ = t.task_states(i);
            }
        }
    }

    #[test]
    fn a_truncated_chrome_trace_is_refused_with_its_position(cut in 0..1_000_000usize) {
        let text = chrome_text();
        let cut = floor_char_boundary(text, cut % text.trim_end().len());
        let err = chrome_import::parse(&text[..cut]).map(|_| ()).expect_err("cut JSON is refused");
        let msg = err.to_string();
        prop_assert!(msg.contains("line") && msg.contains("column"), "{msg}");
    }

    #[test]
    fn edited_chrome_traces_load_or_are_refused(edits in prop::collection::vec(edit(), 1..4)) {
        let mut t = chrome_text().to_string();
        for e in &edits {
            t = apply(&t, e);
        }
        if let Ok(trace) = chrome_import::parse(&t) {
            let _ = asyncscope::trace::Summary::from_trace(&trace);
        }
    }

    /// Well-formed JSON with a wrong value in one field of one event.
    #[test]
    fn a_wrong_value_in_any_chrome_field_is_refused_or_survived(
        event in 0..10_000usize,
        field in 0..64usize,
        value in prop_oneof![
            Just(serde_json::Value::Null),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "\\PC{0,8}".prop_map(serde_json::Value::from),
            Just(serde_json::json!([])),
            Just(serde_json::json!({})),
        ],
    ) {
        let mut doc: serde_json::Value = serde_json::from_str(chrome_text()).expect("json");
        let events = doc["traceEvents"].as_array_mut().expect("events");
        let n = events.len();
        let ev = events[event % n].as_object_mut().expect("event object");
        let mut keys: Vec<String> = ev.keys().cloned().collect();
        if let Some(args) = ev.get("args").and_then(|a| a.as_object()) {
            keys.extend(args.keys().map(|k| format!("args.{k}")));
        }
        let key = keys[field % keys.len()].clone();
        match key.strip_prefix("args.") {
            Some(k) => {
                ev["args"][k] = value;
            }
            None => {
                ev[&key] = value;
            }
        }
        let text = serde_json::to_string(&doc).expect("json");
        if let Ok(trace) = chrome_import::parse(&text) {
            let _ = asyncscope::trace::Summary::from_trace(&trace);
        }
    }
}

#[test]
fn the_sample_trace_round_trips() {
    // The properties above start from valid inputs: check that they are.
    let t = native::from_bytes(ascope_bytes()).expect("valid .ascope");
    assert_eq!(t.tasks.len(), 3);
    let c = chrome_import::parse(chrome_text()).expect("valid chrome json");
    assert_eq!(c.tasks.len(), 3);
    for (file, text) in scenarios() {
        parse(file, text).unwrap_or_else(|e| panic!("{e}"));
    }
}
