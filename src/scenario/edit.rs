//! Editing a scenario's parameters in place: the file's TOML document (toml_edit, so its
//! comments and layout stay), a list of knobs found in it (runtime, server, heartbeat,
//! semaphores, group counts, every duration and count in the steps), and the edited text
//! validated by the same parser as any file. No egui here.

use std::fmt;

use toml_edit::{DocumentMut, Item, Value};

use super::parse::{Defaults, Limits};
use super::{Scenario, ScenarioError, parse};

/// One step along a path in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// What a knob holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnobKind {
    /// An integer in `min..=max`; `unit` is shown after it.
    Int {
        min: u64,
        max: u64,
        unit: &'static str,
    },
    /// The runtime flavor: "multi_thread" or "current_thread".
    Flavor,
}

/// A knob's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KnobValue {
    Int(u64),
    Text(String),
}

impl fmt::Display for KnobValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KnobValue::Int(n) => write!(f, "{n}"),
            KnobValue::Text(s) => f.write_str(s),
        }
    }
}

/// One parameter of the scenario that can be turned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Knob {
    /// Where it lives in the document.
    pub path: Vec<Seg>,
    /// What the panel calls it ("workers", "fetch · count", "fetch · step 2 · cpu_ms").
    pub label: String,
    /// The section it belongs to ("runtime", "server", a task group's name…).
    pub section: String,
    pub kind: KnobKind,
    /// The value in the file (or the default, for a key the file leaves out).
    pub original: KnobValue,
    pub value: KnobValue,
}

/// A scenario file being edited.
#[derive(Clone, Debug)]
pub struct ScenarioEdit {
    /// For error messages (the file's path as shown).
    pub file: String,
    original_text: String,
    doc: DocumentMut,
    knobs: Vec<Knob>,
}

/// The step keys whose value is a duration in ms, with their limit.
const STEP_MS: [&str; 6] = [
    "sleep_ms",
    "cpu_ms",
    "block_ms",
    "offload_cpu_ms",
    "cpu_pool_ms",
    "offload_block_ms",
];

impl ScenarioEdit {
    /// Starts editing `text` (a valid scenario file's contents).
    pub fn new(file: impl Into<String>, text: &str) -> Result<Self, ScenarioError> {
        let file = file.into();
        // The same checks as loading: an edit starts from a valid scenario.
        parse(&file, text)?;
        let doc: DocumentMut =
            text.parse()
                .map_err(|e: toml_edit::TomlError| ScenarioError::Read {
                    path: file.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
        let mut edit = ScenarioEdit {
            file,
            original_text: text.to_string(),
            doc,
            knobs: Vec::new(),
        };
        edit.knobs = edit.find_knobs();
        Ok(edit)
    }

    pub fn knobs(&self) -> &[Knob] {
        &self.knobs
    }

    /// The edited file's text: the original's comments and layout, with the new values.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// The edited scenario, validated like any file.
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        parse(&self.file, &self.text())
    }

    /// Whether anything differs from the file.
    pub fn is_changed(&self) -> bool {
        self.knobs.iter().any(|k| k.value != k.original)
    }

    /// "workers 4 -> 2", "fetch · count 100 -> 20": the edits against the file.
    pub fn changes(&self) -> Vec<String> {
        self.knobs
            .iter()
            .filter(|k| k.value != k.original)
            .map(|k| format!("{} {} -> {}", k.label, k.original, k.value))
            .collect()
    }

    /// Sets knob `i` (clamped to its range; a flavor must be one of the two).
    pub fn set(&mut self, i: usize, value: KnobValue) {
        let Some(knob) = self.knobs.get(i) else {
            return;
        };
        let value = match (knob.kind, value) {
            (KnobKind::Int { min, max, .. }, KnobValue::Int(n)) => {
                KnobValue::Int(n.clamp(min, max))
            }
            (KnobKind::Flavor, KnobValue::Text(t))
                if t == "multi_thread" || t == "current_thread" =>
            {
                KnobValue::Text(t)
            }
            _ => return,
        };
        if value == knob.value {
            return;
        }
        let path = knob.path.clone();
        let new = match &value {
            KnobValue::Int(n) => Value::from(i64::try_from(*n).unwrap_or(i64::MAX)),
            KnobValue::Text(t) => Value::from(t.as_str()),
        };
        write_value(&mut self.doc, &path, new);
        self.knobs[i].value = value;
    }

    /// Back to the file's values.
    pub fn reset(&mut self) {
        if let Ok(doc) = self.original_text.parse() {
            self.doc = doc;
        }
        for k in &mut self.knobs {
            k.value = k.original.clone();
        }
    }

    fn find_knobs(&self) -> Vec<Knob> {
        let mut out = Vec::new();
        let root = self.doc.as_item();
        // A knob at `path` with the file's value, else `default` (None: only if the file
        // has the key).
        let mut add = |path: Vec<Seg>,
                       label: String,
                       section: String,
                       kind: KnobKind,
                       default: Option<KnobValue>| {
            if let Some(value) = read_value(root, &path).or(default) {
                out.push(Knob {
                    path,
                    label,
                    section,
                    kind,
                    original: value.clone(),
                    value,
                });
            }
        };
        let int = |min, max, unit| KnobKind::Int { min, max, unit };
        let top = [
            (
                "runtime",
                "flavor",
                KnobKind::Flavor,
                KnobValue::Text("multi_thread".into()),
            ),
            (
                "runtime",
                "workers",
                int(1, Limits::WORKERS, ""),
                KnobValue::Int(Defaults::WORKERS),
            ),
            (
                "runtime",
                "max_blocking_threads",
                int(1, Limits::BLOCKING_THREADS, ""),
                KnobValue::Int(Defaults::BLOCKING_THREADS),
            ),
            (
                "server",
                "latency_ms",
                int(0, Limits::LATENCY_MS, "ms"),
                KnobValue::Int(Defaults::LATENCY_MS),
            ),
            (
                "server",
                "jitter_ms",
                int(0, Limits::LATENCY_MS, "ms"),
                KnobValue::Int(0),
            ),
            (
                "server",
                "rate_limit_per_s",
                int(0, Limits::RATE_PER_S, "/s"),
                KnobValue::Int(0),
            ),
        ];
        for (section, key, kind, default) in top {
            let path = vec![Seg::Key(section.into()), Seg::Key(key.into())];
            add(path, key.into(), section.into(), kind, Some(default));
        }
        // The CPU pool's size, where the file sets it (by default the machine's CPUs).
        add(
            vec![Seg::Key("runtime".into()), Seg::Key("cpu_threads".into())],
            "cpu_threads".into(),
            "runtime".into(),
            int(1, Limits::WORKERS, ""),
            None,
        );
        if root.get("heartbeat").is_some() {
            add(
                vec![Seg::Key("heartbeat".into()), Seg::Key("period_ms".into())],
                "heartbeat period_ms".into(),
                "heartbeat".into(),
                int(1, Limits::HEARTBEAT_MS, "ms"),
                None,
            );
        }
        // Named semaphores and channels: one knob per entry.
        for (table, what, max, unit) in [
            ("semaphores", "semaphore", Limits::PERMITS, "permits"),
            ("channels", "channel", Limits::CHANNEL_CAPACITY, "messages"),
        ] {
            let Some(entries) = root.get(table).and_then(Item::as_table_like) else {
                continue;
            };
            for (name, _) in entries.iter() {
                add(
                    vec![Seg::Key(table.into()), Seg::Key(name.into())],
                    format!("{what} {name}"),
                    table.into(),
                    int(1, max, unit),
                    None,
                );
            }
        }
        let groups = root
            .get("task")
            .and_then(Item::as_array_of_tables)
            .map_or(0, |a| a.len());
        for g in 0..groups {
            let base = vec![Seg::Key("task".into()), Seg::Index(g)];
            let name = read_value(
                root,
                &[base.clone(), vec![Seg::Key("name".into())]].concat(),
            )
            .map_or_else(|| format!("group {}", g + 1), |v| v.to_string());
            let at = |key: &str| [base.clone(), vec![Seg::Key(key.into())]].concat();
            add(
                at("count"),
                format!("{name} · count"),
                name.clone(),
                int(1, Limits::GROUP_COUNT, "tasks"),
                None,
            );
            add(
                at("spawn_interval_ms"),
                format!("{name} · spawn_interval_ms"),
                name.clone(),
                int(0, Limits::LATENCY_MS, "ms"),
                None,
            );
            let mut found = |path, label, section, kind| add(path, label, section, kind, None);
            steps_knobs(root, at("steps"), &format!("{name} · "), &name, &mut found);
        }
        out
    }
}

/// The knobs inside a `steps` array at `path`, recursively (repeat, permit, spawn, join).
fn steps_knobs(
    root: &Item,
    path: Vec<Seg>,
    prefix: &str,
    section: &str,
    add: &mut impl FnMut(Vec<Seg>, String, String, KnobKind),
) {
    let Some(steps) = item_at(root, &path).and_then(Item::as_array) else {
        return;
    };
    for (i, step) in steps.iter().enumerate() {
        let Some(table) = step.as_inline_table() else {
            continue;
        };
        let here = [path.clone(), vec![Seg::Index(i)]].concat();
        let label = format!("{prefix}step {}", i + 1);
        for (key, v) in table.iter() {
            let at = [here.clone(), vec![Seg::Key(key.into())]].concat();
            let int = |min, max, unit| KnobKind::Int { min, max, unit };
            if STEP_MS.contains(&key) {
                add(
                    at,
                    format!("{label} · {key}"),
                    section.into(),
                    int(0, Limits::DURATION_MS, "ms"),
                );
                continue;
            }
            if key == "recv_ready" {
                add(
                    at,
                    format!("{label} · {key}"),
                    section.into(),
                    int(1, Limits::MESSAGES, "messages"),
                );
                continue;
            }
            let Some(inner) = v.as_inline_table() else {
                if key == "join" || key == "race" {
                    for (j, _) in v.as_array().into_iter().flatten().enumerate() {
                        let branch = [at.clone(), vec![Seg::Index(j)]].concat();
                        let p = format!("{label} · {key} {} · ", j + 1);
                        steps_knobs(root, branch, &p, section, add);
                    }
                }
                continue;
            };
            let field = |k: &str| [at.clone(), vec![Seg::Key(k.into())]].concat();
            match key {
                "repeat" => add(
                    field("times"),
                    format!("{label} · repeat times"),
                    section.into(),
                    int(1, Limits::REPEAT, "times"),
                ),
                "spawn" => {
                    add(
                        field("count"),
                        format!("{label} · spawn count"),
                        section.into(),
                        int(1, Limits::GROUP_COUNT, "tasks"),
                    );
                    for pause in ["wait_after_ms", "abort_after_ms"] {
                        if inner.contains_key(pause) {
                            add(
                                field(pause),
                                format!("{label} · spawn {pause}"),
                                section.into(),
                                int(0, Limits::DURATION_MS, "ms"),
                            );
                        }
                    }
                }
                "timeout" => add(
                    field("ms"),
                    format!("{label} · timeout ms"),
                    section.into(),
                    int(0, Limits::DURATION_MS, "ms"),
                ),
                "lazy" => add(
                    field("delay_ms"),
                    format!("{label} · lazy delay_ms"),
                    section.into(),
                    int(0, Limits::DURATION_MS, "ms"),
                ),
                "send_to" | "recv_from" => add(
                    field("count"),
                    format!("{label} · {key} count"),
                    section.into(),
                    int(1, Limits::MESSAGES, "messages"),
                ),
                _ => {}
            }
            if inner.contains_key("steps") {
                let p = format!("{label} · {key} · ");
                steps_knobs(root, field("steps"), &p, section, add);
            }
        }
    }
}

fn item_at<'a>(root: &'a Item, path: &[Seg]) -> Option<&'a Item> {
    let mut cur = root;
    for seg in path {
        cur = match seg {
            Seg::Key(k) => cur.get(k.as_str())?,
            Seg::Index(i) => cur.get(*i)?,
        };
    }
    Some(cur)
}

fn read_value(root: &Item, path: &[Seg]) -> Option<KnobValue> {
    let v = item_at(root, path)?.as_value()?;
    if let Some(n) = v.as_integer() {
        return u64::try_from(n).ok().map(KnobValue::Int);
    }
    v.as_str().map(|s| KnobValue::Text(s.to_string()))
}

/// Puts `new` at `path`, keeping the old value's surrounding whitespace and comment; a key
/// the file leaves out (a top-level table's) is added, with its table if need be.
fn write_value(doc: &mut DocumentMut, path: &[Seg], mut new: Value) {
    let mut cur = doc.as_item_mut();
    for (n, seg) in path.iter().enumerate() {
        let last = n + 1 == path.len();
        cur = match seg {
            Seg::Key(k) => {
                if cur.get(k.as_str()).is_none() {
                    if cur.is_none() {
                        *cur = toml_edit::table();
                    }
                    let Some(t) = cur.as_table_like_mut() else {
                        return;
                    };
                    t.insert(k, if last { Item::None } else { toml_edit::table() });
                }
                match cur.get_mut(k.as_str()) {
                    Some(c) => c,
                    None => return,
                }
            }
            Seg::Index(i) => match cur.get_mut(*i) {
                Some(c) => c,
                None => return,
            },
        };
    }
    if let Some(old) = cur.as_value() {
        *new.decor_mut() = old.decor().clone();
    }
    *cur = Item::Value(new);
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# A comment that must stay.
name = "Fan-out"
about = "Two sentences. Here."

[runtime]
workers = 4   # four workers
[server]
latency_ms = 100
[semaphores]
api = 5
[[task]]
name = "fetch"
count = 100 # many
steps = [ { http_get = "/items" }, { cpu_ms = 2 }, { repeat = { times = 3, steps = [ { sleep_ms = 5 } ] } } ]
"#;

    fn knob(e: &ScenarioEdit, label: &str) -> usize {
        e.knobs()
            .iter()
            .position(|k| k.label == label)
            .unwrap_or_else(|| {
                panic!(
                    "no knob {label}: {:?}",
                    e.knobs().iter().map(|k| &k.label).collect::<Vec<_>>()
                )
            })
    }

    #[test]
    fn finds_every_knob_with_its_value_or_default() {
        let e = ScenarioEdit::new("f.toml", FILE).expect("valid");
        let v = |label: &str| e.knobs()[knob(&e, label)].value.clone();
        assert_eq!(v("workers"), KnobValue::Int(4));
        assert_eq!(
            v("flavor"),
            KnobValue::Text("multi_thread".into()),
            "the default"
        );
        assert_eq!(v("max_blocking_threads"), KnobValue::Int(8), "the default");
        assert_eq!(v("latency_ms"), KnobValue::Int(100));
        assert_eq!(v("semaphore api"), KnobValue::Int(5));
        assert_eq!(v("fetch · count"), KnobValue::Int(100));
        assert_eq!(v("fetch · step 2 · cpu_ms"), KnobValue::Int(2));
        assert_eq!(v("fetch · step 3 · repeat times"), KnobValue::Int(3));
        assert_eq!(
            v("fetch · step 3 · repeat · step 1 · sleep_ms"),
            KnobValue::Int(5)
        );
        assert!(!e.is_changed());
    }

    #[test]
    fn edits_keep_comments_and_layout_and_validate() {
        let mut e = ScenarioEdit::new("f.toml", FILE).expect("valid");
        e.set(knob(&e, "workers"), KnobValue::Int(2));
        e.set(
            knob(&e, "fetch · step 3 · repeat · step 1 · sleep_ms"),
            KnobValue::Int(50),
        );
        e.set(knob(&e, "max_blocking_threads"), KnobValue::Int(2));
        let text = e.text();
        assert!(text.starts_with("# A comment that must stay.\n"), "{text}");
        assert!(text.contains("workers = 2   # four workers"), "{text}");
        assert!(text.contains("count = 100 # many"), "{text}");
        assert!(text.contains("{ sleep_ms = 50 }"), "{text}");
        assert!(
            text.contains("max_blocking_threads = 2"),
            "a key the file left out: {text}"
        );
        let sc = e.scenario().expect("still valid");
        assert_eq!(sc.runtime.workers, 2);
        assert_eq!(sc.runtime.max_blocking_threads, 2);
        assert_eq!(
            e.changes(),
            [
                "workers 4 -> 2",
                "max_blocking_threads 8 -> 2",
                "fetch · step 3 · repeat · step 1 · sleep_ms 5 -> 50"
            ]
        );
        e.reset();
        assert_eq!(e.text(), FILE);
        assert!(e.changes().is_empty());
    }

    #[test]
    fn values_are_clamped_and_an_invalid_combination_is_an_error() {
        let mut e = ScenarioEdit::new("f.toml", FILE).expect("valid");
        e.set(knob(&e, "workers"), KnobValue::Int(1000));
        assert_eq!(e.knobs()[knob(&e, "workers")].value, KnobValue::Int(64));
        e.set(knob(&e, "flavor"), KnobValue::Text("bogus".into()));
        assert_eq!(
            e.knobs()[knob(&e, "flavor")].value,
            KnobValue::Text("multi_thread".into())
        );
        // current_thread with a workers key is refused by the parser, with a position.
        e.set(knob(&e, "flavor"), KnobValue::Text("current_thread".into()));
        let err = e.scenario().expect_err("workers on current_thread");
        assert!(err.diagnostic().is_some_and(|d| d.file == "f.toml"));
    }

    #[test]
    fn lazy_and_eager_spawn_pauses_are_knobs() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/lazy_vs_task.toml");
        let text = std::fs::read_to_string(path).expect("shipped");
        let mut e = ScenarioEdit::new("lazy_vs_task.toml", &text).expect("valid");
        let lazy = knob(&e, "coroutine · step 1 · lazy delay_ms");
        let pause = knob(&e, "spawner · step 1 · spawn wait_after_ms");
        assert_eq!(e.knobs()[lazy].value, KnobValue::Int(200));
        assert_eq!(e.knobs()[pause].value, KnobValue::Int(200));
        e.set(lazy, KnobValue::Int(50));
        e.set(pause, KnobValue::Int(75));
        let sc = e.scenario().expect("still valid");
        assert!(matches!(
            &sc.groups[0].steps[0],
            super::super::Step::Lazy { delay_ms: 50, .. }
        ));
        assert!(matches!(
            &sc.groups[1].steps[0],
            super::super::Step::Spawn {
                wait_after_ms: Some(75),
                ..
            }
        ));
    }

    #[test]
    fn every_shipped_scenario_is_editable() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        for entry in std::fs::read_dir(dir).expect("scenarios") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            let e = ScenarioEdit::new(path.display().to_string(), &text).expect("editable");
            // At least the runtime's and the server's, and a count per task group.
            assert!(
                e.knobs().len() >= 5,
                "{}: {:?}",
                path.display(),
                e.knobs().iter().map(|k| &k.label).collect::<Vec<_>>()
            );
            assert_eq!(e.text(), text, "unedited text is the file");
            assert!(e.scenario().is_ok());
        }
    }
}
