//! Reading scenario files: serde over toml with spans, then validation. Every error names
//! file, line and column and says what was expected.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::i18n::Language;
use crate::t;
use toml::Spanned;

use super::{Flavor, RuntimeConfig, Scenario, ServerConfig, Step, Steps, TaskGroup};

/// Limits that keep a typo from spawning a billion tasks or sleeping for a day.
pub struct Limits;

impl Limits {
    pub const WORKERS: u64 = 64;
    pub const BLOCKING_THREADS: u64 = 1024;
    pub const GROUP_COUNT: u64 = 100_000;
    pub const TOTAL_TASKS: u64 = 1_000_000;
    pub const DURATION_MS: u64 = 3_600_000;
    pub const REPEAT: u64 = 1_000_000;
    pub const DEPTH: usize = 16;
    pub const PERMITS: u64 = 100_000;
    pub const LATENCY_MS: u64 = 60_000;
    pub const RATE_PER_S: u64 = 1_000_000;
    pub const TIME_LIMIT_S: u64 = 3_600;
    pub const MIN_EVENTS: u64 = 1_000;
    pub const CHANNEL_CAPACITY: u64 = 100_000;
    pub const HEARTBEAT_MS: u64 = 60_000;
    pub const MESSAGES: u64 = 1_000_000;
    pub const MAX_EVENTS: u64 = 500_000_000;
}

/// What a file that leaves a key out gets (the parameter editor shows them too).
pub struct Defaults;

impl Defaults {
    pub const WORKERS: u64 = 4;
    pub const BLOCKING_THREADS: u64 = 8;
    pub const LATENCY_MS: u64 = 50;
}

/// One located problem in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// What is wrong, in English (what `Display` prints, and the tests read).
    pub message: String,
    /// The same in the other languages.
    pub translated: Vec<(Language, String)>,
    /// The offending line of the file, for display.
    pub source_line: String,
}

impl Diagnostic {
    /// What is wrong, in `lang`.
    pub fn message_in(&self, lang: Language) -> &str {
        self.translated
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&self.message, |(_, m)| m)
    }

    /// The whole diagnostic (location, message, the line with a caret under the column),
    /// its message in `lang`.
    pub fn render_in(&self, lang: Language) -> String {
        Shown(self, lang).to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Shown(self, Language::English).fmt(f)
    }
}

/// A diagnostic as shown in one language (the caret excerpt is the same in all).
struct Shown<'a>(&'a Diagnostic, Language);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, lang) = (self.0, self.1);
        writeln!(
            f,
            "{}:{}:{}: {}",
            d.file,
            d.line,
            d.column,
            d.message_in(lang)
        )?;
        let gutter = d.line.to_string().len();
        writeln!(f, "{:gutter$} |", "")?;
        writeln!(f, "{} | {}", d.line, d.source_line)?;
        write!(f, "{:gutter$} | {:>col$}", "", "^", col = d.column.max(1))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{path}: cannot read the scenario: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Box<Diagnostic>),
}

impl ScenarioError {
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            ScenarioError::Invalid(d) => Some(d),
            ScenarioError::Read { .. } => None,
        }
    }
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let mut sc = parse(&path.display().to_string(), &text)?;
    sc.path = Some(path.to_path_buf());
    Ok(sc)
}

/// Parses and validates scenario text; `file` is used in error messages.
pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let raw: RawScenario = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        diag(file, text, span, |l| {
            format!(
                "{}{}",
                toml_message_in(&message, l),
                suggestion(&message)
                    .map(|best| t!(l, "parse-did-you-mean", name = best))
                    .unwrap_or_default()
            )
        })
    })?;
    Validator { file, text }.scenario(raw)
}

/// The candidate closest to `word`, if it is close enough to be a typo of it.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|&(d, c)| d > 0 && d <= (c.chars().count() / 3).max(1) + 1)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// "; did you mean `best`?" for the candidate nearest `word`, or nothing.
fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    l: Language,
) -> String {
    nearest(word, candidates)
        .map(|n| t!(l, "parse-did-you-mean", name = n))
        .unwrap_or_default()
}

/// The names declared, for an error that names one that is not: "api, db", or "none".
fn declared(known: &[&str], l: Language) -> String {
    if known.is_empty() {
        t!(l, "parse-declared-none")
    } else {
        known.join(", ")
    }
}

/// toml and serde's messages in `lang`: the common ones ("unknown field `x`, expected one
/// of `a`, `b`", "missing field `x`") translated, names kept; others as they are, in
/// English, after a word that says they come from the TOML reader.
fn toml_message_in(message: &str, l: Language) -> String {
    if l == Language::English {
        return message.to_string();
    }
    for (prefix, id) in [
        ("unknown field `", "unknown-field"),
        ("unknown variant `", "unknown-variant"),
        ("missing field `", "missing-field"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((name, after)) = rest.split_once('`')
        {
            let expected = after
                .trim_start_matches(',')
                .trim()
                .strip_prefix("expected one of ")
                .or_else(|| {
                    after
                        .trim_start_matches(',')
                        .trim()
                        .strip_prefix("expected ")
                })
                .unwrap_or("")
                .to_string();
            return match (id, expected.is_empty()) {
                ("unknown-field", false) => {
                    t!(l, "parse-unknown-key", name = name, expected = expected)
                }
                ("unknown-variant", false) => {
                    t!(l, "parse-unknown-step", name = name, expected = expected)
                }
                ("missing-field", _) => t!(l, "parse-missing-key", name = name),
                _ => t!(l, "parse-toml", message = message),
            };
        }
    }
    t!(l, "parse-toml", message = message)
}

/// The expected name nearest the unknown one in serde's "unknown field `x`, expected one
/// of `a`, `b`" (and "unknown variant", for steps), when it is close enough to be a typo.
fn suggestion(message: &str) -> Option<&str> {
    let start = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|p| message.find(p).map(|i| i + p.len()))?;
    let len = message[start..].find('`')?;
    let word = &message[start..start + len];
    let expected = message[start + len + 1..].split('`').skip(1).step_by(2);
    nearest(word, expected)
}

fn diag(
    file: &str,
    text: &str,
    span: Range<usize>,
    message: impl Fn(Language) -> String,
) -> ScenarioError {
    let offset = span.start.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    let source_line = text[line_start..].lines().next().unwrap_or("").to_string();
    ScenarioError::Invalid(Box::new(Diagnostic {
        file: file.to_string(),
        line,
        column,
        message: message(Language::English),
        translated: Language::ALL
            .into_iter()
            .filter(|&l| l != Language::English)
            .map(|l| (l, message(l)))
            .collect(),
        source_line,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Spanned<String>,
    about: Spanned<String>,
    name_zh: Option<Spanned<String>>,
    about_zh: Option<Spanned<String>>,
    about_asyncio: Option<Spanned<String>>,
    about_asyncio_zh: Option<Spanned<String>>,
    #[serde(default)]
    allow_external: bool,
    time_limit_s: Option<Spanned<u64>>,
    max_events: Option<Spanned<u64>>,
    #[serde(default)]
    runtime: RawRuntime,
    #[serde(default)]
    server: RawServer,
    heartbeat: Option<RawHeartbeat>,
    #[serde(default)]
    semaphores: BTreeMap<Spanned<String>, Spanned<u64>>,
    #[serde(default)]
    channels: BTreeMap<Spanned<String>, Spanned<u64>>,
    #[serde(default)]
    results: BTreeMap<Spanned<String>, Spanned<RawResult>>,
    task: Option<Spanned<Vec<Spanned<RawGroup>>>>,
    view: Option<RawView>,
    predict: Option<Spanned<RawPredict>>,
}

/// What a `[results]` entry holds, in words: `cfg = "the config"`, or in both languages,
/// `cfg = { about = "the config", about_zh = "配置" }`.
struct RawResult(RawResultWords);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResultWords {
    about: String,
    about_zh: Option<String>,
}

impl<'de> Deserialize<'de> for RawResult {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Words;
        impl<'de> serde::de::Visitor<'de> for Words {
            type Value = RawResult;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "what the result holds, in words: a string, or a table \
                     { about = \"…\", about_zh = \"…\" }",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawResult, E> {
                Ok(RawResult(RawResultWords {
                    about: v.to_string(),
                    about_zh: None,
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawResult, A::Error> {
                let map = serde::de::value::MapAccessDeserializer::new(map);
                RawResultWords::deserialize(map).map(RawResult)
            }
        }
        d.deserialize_any(Words)
    }
}

/// `[predict]`: the figures the audience guesses before the run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPredict {
    figures: Spanned<Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawView {
    #[serde(default)]
    expand: Vec<Spanned<String>>,
    tracks: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum RawFlavor {
    CurrentThread,
    #[default]
    MultiThread,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRuntime {
    #[serde(default)]
    flavor: RawFlavor,
    workers: Option<Spanned<u64>>,
    max_blocking_threads: Option<Spanned<u64>>,
    cpu_threads: Option<Spanned<u64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    latency_ms: Option<Spanned<u64>>,
    jitter_ms: Option<Spanned<u64>>,
    rate_limit_per_s: Option<Spanned<u64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeartbeat {
    period_ms: Spanned<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: Spanned<String>,
    count: Option<Spanned<u64>>,
    spawn_interval_ms: Option<Spanned<u64>>,
    steps: Spanned<Vec<Spanned<RawStep>>>,
}

type RawSteps = Vec<Spanned<RawStep>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum RawStep {
    HttpGet(String),
    BlockingHttpGet(String),
    SleepMs(u64),
    CpuMs(u64),
    BlockMs(u64),
    OffloadCpuMs(u64),
    OffloadBlockMs(u64),
    CpuPoolMs(u64),
    YieldNow(bool),
    ForgetWake(bool),
    Permit(RawPermit),
    Repeat(RawRepeat),
    Join(Vec<RawSteps>),
    Spawn(RawSpawn),
    Panic(String),
    Print(String),
    SetResult(String),
    AwaitResult(String),
    RecvReady(u64),
    SendTo(RawChannelOp),
    RecvFrom(RawChannelOp),
    Lazy(RawLazy),
    Timeout(RawTimeout),
    Race(Vec<RawSteps>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeout {
    ms: u64,
    steps: RawSteps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLazy {
    delay_ms: u64,
    steps: RawSteps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannelOp {
    channel: String,
    #[serde(default = "one")]
    count: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPermit {
    semaphore: String,
    steps: RawSteps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepeat {
    times: u64,
    steps: RawSteps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpawn {
    name: String,
    #[serde(default = "one")]
    count: u64,
    steps: RawSteps,
    #[serde(default = "yes")]
    wait: bool,
    wait_after_ms: Option<u64>,
    abort_after_ms: Option<u64>,
}

fn one() -> u64 {
    1
}

fn yes() -> bool {
    true
}

struct Validator<'a> {
    file: &'a str,
    text: &'a str,
}

type Checked<T> = Result<T, ScenarioError>;

impl Validator<'_> {
    fn err<T>(&self, span: Range<usize>, message: impl Fn(Language) -> String) -> Checked<T> {
        Err(diag(self.file, self.text, span, message))
    }

    fn range(&self, v: &Spanned<u64>, key: &str, min: u64, max: u64, unit: &str) -> Checked<u64> {
        let n = *v.get_ref();
        if n < min || n > max {
            return self.err(v.span(), |l| {
                t!(
                    l,
                    "parse-range",
                    key = key,
                    min = min,
                    max = max,
                    unit = unit,
                    got = n
                )
            });
        }
        Ok(n)
    }

    fn opt_range(
        &self,
        v: &Option<Spanned<u64>>,
        key: &str,
        default: u64,
        (min, max): (u64, u64),
        unit: &str,
    ) -> Checked<u64> {
        v.as_ref()
            .map_or(Ok(default), |v| self.range(v, key, min, max, unit))
    }

    fn scenario(&self, raw: RawScenario) -> Checked<Scenario> {
        let texts = [
            ("name", Some(&raw.name)),
            ("about", Some(&raw.about)),
            ("name_zh", raw.name_zh.as_ref()),
            ("about_zh", raw.about_zh.as_ref()),
            ("about_asyncio", raw.about_asyncio.as_ref()),
            ("about_asyncio_zh", raw.about_asyncio_zh.as_ref()),
        ];
        for (key, s) in texts {
            if let Some(s) = s.filter(|s| s.get_ref().trim().is_empty()) {
                return self.err(s.span(), |l| t!(l, "parse-empty", key = key));
            }
        }
        let flavor = match raw.runtime.flavor {
            RawFlavor::CurrentThread => Flavor::CurrentThread,
            RawFlavor::MultiThread => Flavor::MultiThread,
        };
        let workers = match (flavor, &raw.runtime.workers) {
            (Flavor::CurrentThread, Some(w)) if *w.get_ref() != 1 => {
                return self.err(w.span(), |l| {
                    t!(l, "parse-current-thread-workers", workers = *w.get_ref())
                });
            }
            (Flavor::CurrentThread, _) => 1,
            (Flavor::MultiThread, w) => {
                self.opt_range(w, "workers", Defaults::WORKERS, (1, Limits::WORKERS), "")?
            }
        };
        let runtime = RuntimeConfig {
            flavor,
            workers: workers as usize,
            max_blocking_threads: self.opt_range(
                &raw.runtime.max_blocking_threads,
                "max_blocking_threads",
                Defaults::BLOCKING_THREADS,
                (1, Limits::BLOCKING_THREADS),
                "",
            )? as usize,
            cpu_threads: self.opt_range(
                &raw.runtime.cpu_threads,
                "cpu_threads",
                std::thread::available_parallelism().map_or(1, |n| n.get() as u64),
                (1, Limits::WORKERS),
                "",
            )? as usize,
        };
        let server = ServerConfig {
            latency_ms: self.opt_range(
                &raw.server.latency_ms,
                "latency_ms",
                Defaults::LATENCY_MS,
                (0, Limits::LATENCY_MS),
                " ms",
            )?,
            jitter_ms: self.opt_range(
                &raw.server.jitter_ms,
                "jitter_ms",
                0,
                (0, Limits::LATENCY_MS),
                " ms",
            )?,
            rate_limit_per_s: self.opt_range(
                &raw.server.rate_limit_per_s,
                "rate_limit_per_s",
                0,
                (0, Limits::RATE_PER_S),
                " requests/s",
            )?,
        };
        let heartbeat_period_ms = match &raw.heartbeat {
            Some(h) => {
                Some(self.range(&h.period_ms, "period_ms", 1, Limits::HEARTBEAT_MS, " ms")?)
            }
            None => None,
        };
        let time_limit_s = match &raw.time_limit_s {
            Some(t) => Some(self.range(t, "time_limit_s", 1, Limits::TIME_LIMIT_S, " s")?),
            None => None,
        };
        let max_events = match &raw.max_events {
            Some(m) => Some(self.range(
                m,
                "max_events",
                Limits::MIN_EVENTS,
                Limits::MAX_EVENTS,
                " events",
            )?),
            None => None,
        };
        let mut semaphores = BTreeMap::new();
        for (name, permits) in &raw.semaphores {
            let n = self.range(permits, name.get_ref(), 1, Limits::PERMITS, " permits")?;
            semaphores.insert(name.get_ref().clone(), n as usize);
        }
        let mut channels = BTreeMap::new();
        let mut channel_spans = BTreeMap::new();
        for (name, capacity) in &raw.channels {
            let n = self.range(
                capacity,
                name.get_ref(),
                1,
                Limits::CHANNEL_CAPACITY,
                " messages",
            )?;
            channels.insert(name.get_ref().clone(), n as usize);
            channel_spans.insert(name.get_ref().clone(), name.span());
        }
        let mut results = BTreeMap::new();
        let mut results_zh = BTreeMap::new();
        let mut result_spans = BTreeMap::new();
        for (name, what) in &raw.results {
            if name.get_ref().trim().is_empty() {
                return self.err(name.span(), |l| t!(l, "parse-result-name-empty"));
            }
            let RawResultWords { about, about_zh } = &what.get_ref().0;
            if about.trim().is_empty() || about_zh.as_ref().is_some_and(|z| z.trim().is_empty()) {
                return self.err(what.span(), |l| t!(l, "parse-result-words-empty"));
            }
            results.insert(name.get_ref().clone(), about.clone());
            if let Some(zh) = about_zh {
                results_zh.insert(name.get_ref().clone(), zh.clone());
            }
            result_spans.insert(name.get_ref().clone(), name.span());
        }
        let ctx = StepContext {
            semaphores: &semaphores,
            channels: &channels,
            results: &results,
            first_use: std::cell::RefCell::new(BTreeMap::new()),
            allow_external: raw.allow_external,
            time_limit_s,
        };
        let Some(groups_raw) = raw.task else {
            return self.err(0..0, |l| t!(l, "parse-no-task-groups"));
        };
        if groups_raw.get_ref().is_empty() {
            return self.err(groups_raw.span(), |l| t!(l, "parse-task-empty"));
        }
        let mut groups = Vec::new();
        let mut total_tasks: u64 = 0;
        for g in groups_raw.into_inner() {
            let span = g.span();
            let g = g.into_inner();
            if g.name.get_ref().trim().is_empty() {
                return self.err(g.name.span(), |l| t!(l, "parse-group-name-empty"));
            }
            let count = self.opt_range(&g.count, "count", 1, (1, Limits::GROUP_COUNT), "")?;
            let spawn_interval_ms = self.opt_range(
                &g.spawn_interval_ms,
                "spawn_interval_ms",
                0,
                (0, Limits::LATENCY_MS),
                " ms",
            )?;
            let steps_span = g.steps.span();
            let steps = self.steps(&ctx, g.steps.into_inner(), steps_span, 1)?;
            total_tasks = total_tasks.saturating_add(count.saturating_mul(1 + tasks_in(&steps)));
            if total_tasks > Limits::TOTAL_TASKS {
                return self.err(span, |l| {
                    t!(l, "parse-too-many-tasks", limit = Limits::TOTAL_TASKS)
                });
            }
            groups.push(TaskGroup {
                name: g.name.into_inner().into(),
                count,
                spawn_interval_ms,
                steps,
            });
        }
        self.channel_totals(&ctx, &groups, &channel_spans)?;
        self.result_totals(&ctx, &groups, &result_spans)?;
        let view = self.view(
            raw.view.unwrap_or_default(),
            &groups,
            &semaphores,
            &channels,
        )?;
        let predict = match raw.predict {
            Some(p) => self.predict(p.into_inner(), heartbeat_period_ms.is_some(), &semaphores)?,
            None => Vec::new(),
        };
        Ok(Scenario {
            name: raw.name.into_inner(),
            about: raw.about.into_inner(),
            name_zh: raw.name_zh.map(Spanned::into_inner),
            about_zh: raw.about_zh.map(Spanned::into_inner),
            about_asyncio: raw.about_asyncio.map(Spanned::into_inner),
            about_asyncio_zh: raw.about_asyncio_zh.map(Spanned::into_inner),
            path: None,
            allow_external: raw.allow_external,
            time_limit_s,
            max_events,
            runtime,
            server,
            heartbeat_period_ms,
            semaphores,
            channels,
            results,
            results_zh,
            groups,
            view,
            predict,
        })
    }

    /// `[predict]`: known figures, each once, that this scenario can measure.
    fn predict(
        &self,
        raw: RawPredict,
        heartbeat: bool,
        semaphores: &BTreeMap<String, usize>,
    ) -> Checked<Vec<crate::trace::Figure>> {
        use crate::trace::Figure;
        let span = raw.figures.span();
        let list = raw.figures.into_inner();
        if list.is_empty() {
            return self.err(span, |l| t!(l, "parse-figures-empty"));
        }
        let keys: Vec<&str> = Figure::ALL.iter().map(|f| f.key()).collect();
        let mut out: Vec<Figure> = Vec::new();
        for name in list {
            let Some(f) = Figure::from_key(name.get_ref()) else {
                return self.err(name.span(), |l| {
                    t!(
                        l,
                        "parse-unknown-figure",
                        name = name.get_ref().as_str(),
                        expected = keys.join(", "),
                        hint = did_you_mean(name.get_ref(), keys.iter().copied(), l)
                    )
                });
            };
            if out.contains(&f) {
                return self.err(name.span(), |l| t!(l, "parse-figure-twice", name = f.key()));
            }
            let missing = match f {
                Figure::HeartbeatLateMs if !heartbeat => Some(true),
                Figure::PermitWaitPct if semaphores.is_empty() => Some(false),
                _ => None,
            };
            if let Some(heartbeat) = missing {
                return self.err(name.span(), |l| {
                    let what = if heartbeat {
                        t!(l, "parse-needs-heartbeat")
                    } else {
                        t!(l, "parse-needs-semaphore")
                    };
                    t!(l, "parse-figure-needs", name = f.key(), what = what)
                });
            }
            out.push(f);
        }
        Ok(out)
    }

    /// `[view]`: groups that exist (a group or a spawned child's name), tracks of resources
    /// the scenario declares.
    fn view(
        &self,
        raw: RawView,
        groups: &[TaskGroup],
        semaphores: &BTreeMap<String, usize>,
        channels: &BTreeMap<String, usize>,
    ) -> Checked<super::ViewConfig> {
        let mut names: Vec<String> = groups.iter().map(|g| g.name.to_string()).collect();
        fn spawned(steps: &[Step], out: &mut Vec<String>) {
            for s in steps {
                if let Step::Spawn { name, .. } = s {
                    out.push(name.to_string());
                }
                s.nested().iter().for_each(|b| spawned(b, out));
            }
        }
        for g in groups {
            spawned(&g.steps, &mut names);
        }
        let mut expand = Vec::new();
        for e in raw.expand {
            if !names.iter().any(|n| n == e.get_ref()) {
                return self.err(e.span(), |l| {
                    t!(
                        l,
                        "parse-expand-unknown",
                        name = e.get_ref().as_str(),
                        groups = names.join(", "),
                        hint = did_you_mean(e.get_ref(), names.iter().map(String::as_str), l)
                    )
                });
            }
            expand.push(e.into_inner());
        }
        let mut known: Vec<String> = vec!["http".into(), "blocking pool".into()];
        if groups.iter().any(|g| super::steps_use_cpu_pool(&g.steps)) {
            known.push("cpu pool".into());
        }
        known.extend(semaphores.keys().map(|s| format!("semaphore {s}")));
        known.extend(channels.keys().map(|c| format!("channel {c}")));
        let tracks = match raw.tracks {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for t in list {
                    if !known.iter().any(|k| k == t.get_ref()) {
                        return self.err(t.span(), |l| {
                            t!(
                                l,
                                "parse-unknown-track",
                                name = t.get_ref().as_str(),
                                expected = known.join(", "),
                                hint =
                                    did_you_mean(t.get_ref(), known.iter().map(String::as_str), l)
                            )
                        });
                    }
                    out.push(t.into_inner());
                }
                Some(out)
            }
        };
        Ok(super::ViewConfig { expand, tracks })
    }

    fn steps(
        &self,
        ctx: &StepContext<'_>,
        raw: RawSteps,
        span: Range<usize>,
        depth: usize,
    ) -> Checked<Steps> {
        if depth > Limits::DEPTH {
            return self.err(span, |l| t!(l, "parse-too-deep", depth = Limits::DEPTH));
        }
        if raw.is_empty() {
            return self.err(span, |l| t!(l, "parse-steps-empty"));
        }
        let lines = raw.iter().map(|s| self.line_of(s.span().start)).collect();
        raw.into_iter()
            .map(|s| self.step(ctx, s, depth))
            .collect::<Checked<Vec<Step>>>()
            .map(|steps| Steps::new(steps, lines))
    }

    /// The 1-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32
            + 1
    }

    fn duration(&self, span: &Range<usize>, key: &str, ms: u64) -> Checked<u64> {
        if ms > Limits::DURATION_MS {
            return self.err(span.clone(), |l| {
                t!(
                    l,
                    "parse-duration",
                    key = key,
                    max = Limits::DURATION_MS,
                    got = ms
                )
            });
        }
        Ok(ms)
    }

    fn step(&self, ctx: &StepContext<'_>, raw: Spanned<RawStep>, depth: usize) -> Checked<Step> {
        let span = raw.span();
        Ok(match raw.into_inner() {
            RawStep::HttpGet(url) => Step::HttpGet(self.url(ctx, &span, url)?.into()),
            RawStep::BlockingHttpGet(path) => {
                let bad = path.chars().any(|c| c.is_whitespace() || c.is_control());
                if !path.starts_with('/') || bad {
                    return self.err(span, |l| {
                        t!(l, "parse-blocking-path", got = format!("{path:?}"))
                    });
                }
                Step::BlockingHttpGet(path.into())
            }
            RawStep::SleepMs(ms) => Step::SleepMs(self.duration(&span, "sleep_ms", ms)?),
            RawStep::CpuMs(ms) => Step::CpuMs(self.duration(&span, "cpu_ms", ms)?),
            RawStep::BlockMs(ms) => Step::BlockMs(self.duration(&span, "block_ms", ms)?),
            RawStep::OffloadCpuMs(ms) => {
                Step::OffloadCpuMs(self.duration(&span, "offload_cpu_ms", ms)?)
            }
            RawStep::CpuPoolMs(ms) => Step::CpuPoolMs(self.duration(&span, "cpu_pool_ms", ms)?),
            RawStep::OffloadBlockMs(ms) => {
                Step::OffloadBlockMs(self.duration(&span, "offload_block_ms", ms)?)
            }
            RawStep::YieldNow(true) => Step::YieldNow,
            RawStep::YieldNow(false) => {
                return self.err(span, |l| t!(l, "parse-yield-true"));
            }
            RawStep::ForgetWake(true) => Step::ForgetWake,
            RawStep::ForgetWake(false) => {
                return self.err(span, |l| t!(l, "parse-forget-true"));
            }
            RawStep::Permit(p) => {
                if !ctx.semaphores.contains_key(&p.semaphore) {
                    let known: Vec<&str> = ctx.semaphores.keys().map(String::as_str).collect();
                    return self.err(span, |l| {
                        t!(
                            l,
                            "parse-unknown-semaphore",
                            name = p.semaphore.as_str(),
                            declared = declared(&known, l),
                            hint = did_you_mean(&p.semaphore, known.iter().copied(), l)
                        )
                    });
                }
                Step::Permit {
                    semaphore: p.semaphore.into(),
                    steps: self.steps(ctx, p.steps, span, depth + 1)?,
                }
            }
            RawStep::Repeat(r) => {
                if r.times == 0 || r.times > Limits::REPEAT {
                    return self.err(span, |l| {
                        t!(l, "parse-times", max = Limits::REPEAT, got = r.times)
                    });
                }
                Step::Repeat {
                    times: r.times,
                    steps: self.steps(ctx, r.steps, span, depth + 1)?,
                }
            }
            RawStep::Join(branches) => {
                Step::Join(self.branches(ctx, branches, span, depth, |l| t!(l, "parse-join-two"))?)
            }
            RawStep::Spawn(s) => {
                if s.name.trim().is_empty() {
                    return self.err(span, |l| t!(l, "parse-spawn-name"));
                }
                if s.count == 0 || s.count > Limits::GROUP_COUNT {
                    return self.err(span, |l| {
                        t!(
                            l,
                            "parse-spawn-count",
                            max = Limits::GROUP_COUNT,
                            got = s.count
                        )
                    });
                }
                let wait_after_ms = match s.wait_after_ms {
                    Some(_) if !s.wait => {
                        return self.err(span, |l| t!(l, "parse-wait-after"));
                    }
                    Some(ms) => Some(self.duration(&span, "wait_after_ms", ms)?),
                    None => None,
                };
                if s.abort_after_ms.is_some() && wait_after_ms.is_some() {
                    return self.err(span, |l| t!(l, "parse-abort-wait"));
                }
                let abort_after_ms = match s.abort_after_ms {
                    Some(ms) => Some(self.duration(&span, "abort_after_ms", ms)?),
                    None => None,
                };
                Step::Spawn {
                    name: s.name.into(),
                    count: s.count,
                    steps: self.steps(ctx, s.steps, span, depth + 1)?,
                    wait: s.wait,
                    wait_after_ms,
                    abort_after_ms,
                }
            }
            RawStep::Timeout(t) => {
                let ms = self.duration(&span, "ms", t.ms)?;
                if let Some(limit_s) = ctx.time_limit_s.filter(|&l| ms > l * 1000) {
                    return self.err(span, |l| {
                        t!(l, "parse-timeout-limit", ms = ms, limit = limit_s)
                    });
                }
                Step::Timeout {
                    ms,
                    steps: self.steps(ctx, t.steps, span, depth + 1)?,
                }
            }
            RawStep::Race(branches) => {
                Step::Race(self.branches(ctx, branches, span, depth, |l| t!(l, "parse-race-two"))?)
            }
            RawStep::Lazy(l) => Step::Lazy {
                delay_ms: self.duration(&span, "delay_ms", l.delay_ms)?,
                steps: self.steps(ctx, l.steps, span, depth + 1)?,
            },
            RawStep::Panic(msg) => Step::Panic(msg.into()),
            RawStep::SetResult(name) => {
                Step::SetResult(self.result_name(ctx, &span, name, "set_result")?)
            }
            RawStep::AwaitResult(name) => {
                Step::AwaitResult(self.result_name(ctx, &span, name, "await_result")?)
            }
            RawStep::Print(text) => {
                if text.trim().is_empty() || text.chars().count() > 200 || text.contains('\n') {
                    return self.err(span, |l| {
                        let newline = if text.contains('\n') {
                            t!(l, "parse-print-newline")
                        } else {
                            String::new()
                        };
                        t!(
                            l,
                            "parse-print",
                            count = text.chars().count(),
                            newline = newline
                        )
                    });
                }
                Step::Print(text.into())
            }
            RawStep::RecvReady(n) => {
                if n == 0 || n > Limits::MESSAGES {
                    return self.err(span, |l| {
                        t!(l, "parse-recv-ready", max = Limits::MESSAGES, got = n)
                    });
                }
                Step::RecvReady(n)
            }
            RawStep::SendTo(op) => {
                let (channel, count) = self.channel_op(ctx, &span, op, "send_to")?;
                Step::SendTo { channel, count }
            }
            RawStep::RecvFrom(op) => {
                let (channel, count) = self.channel_op(ctx, &span, op, "recv_from")?;
                Step::RecvFrom { channel, count }
            }
        })
    }

    /// A `send_to` / `recv_from` step: a declared channel and a count in range. Remembers
    /// where each channel is first sent to and received from, for [`Self::channel_totals`].
    fn channel_op(
        &self,
        ctx: &StepContext<'_>,
        span: &Range<usize>,
        op: RawChannelOp,
        key: &'static str,
    ) -> Checked<(Arc<str>, u64)> {
        if !ctx.channels.contains_key(&op.channel) {
            let known: Vec<&str> = ctx.channels.keys().map(String::as_str).collect();
            return self.err(span.clone(), |l| {
                t!(
                    l,
                    "parse-unknown-channel",
                    key = key,
                    name = op.channel.as_str(),
                    declared = declared(&known, l),
                    hint = did_you_mean(&op.channel, known.iter().copied(), l)
                )
            });
        }
        if op.count == 0 || op.count > Limits::MESSAGES {
            return self.err(span.clone(), |l| {
                t!(
                    l,
                    "parse-channel-count",
                    key = key,
                    max = Limits::MESSAGES,
                    got = op.count
                )
            });
        }
        ctx.first_use
            .borrow_mut()
            .entry((op.channel.clone(), key))
            .or_insert_with(|| span.clone());
        Ok((op.channel.into(), op.count))
    }

    /// Every channel's messages must add up: receivers waiting for messages nobody sends,
    /// or senders waiting for room nobody makes, would hang the run.
    fn channel_totals(
        &self,
        ctx: &StepContext<'_>,
        groups: &[TaskGroup],
        declared: &BTreeMap<String, Range<usize>>,
    ) -> Checked<()> {
        let totals = count_in_groups(groups, channel_op_of);
        let first = ctx.first_use.borrow();
        for (name, &capacity) in ctx.channels {
            let (sends, recvs) = totals.get(name.as_str()).copied().unwrap_or((0, 0));
            let at = |key: &'static str| {
                first
                    .get(&(name.clone(), key))
                    .or_else(|| declared.get(name))
                    .cloned()
                    .unwrap_or(0..0)
            };
            if recvs > sends {
                return self.err(at("recv_from"), |l| {
                    t!(
                        l,
                        "parse-channel-starves",
                        name = name.as_str(),
                        recvs = recvs,
                        sends = sends
                    )
                });
            }
            if sends > recvs + capacity as u64 {
                return self.err(at("send_to"), |l| {
                    t!(
                        l,
                        "parse-channel-blocks",
                        name = name.as_str(),
                        sends = sends,
                        recvs = recvs,
                        capacity = capacity
                    )
                });
            }
        }
        Ok(())
    }

    /// The step lists of a `join` or a `race`: at least two (`too_few` says why otherwise).
    fn branches(
        &self,
        ctx: &StepContext<'_>,
        raw: Vec<RawSteps>,
        span: Range<usize>,
        depth: usize,
        too_few: fn(Language) -> String,
    ) -> Checked<Vec<Steps>> {
        if raw.len() < 2 {
            return self.err(span, too_few);
        }
        raw.into_iter()
            .map(|b| self.steps(ctx, b, span.clone(), depth + 1))
            .collect()
    }

    /// A `set_result` / `await_result` step's name: declared under `[results]`. Remembers
    /// where each is first set and awaited, for [`Self::result_totals`].
    fn result_name(
        &self,
        ctx: &StepContext<'_>,
        span: &Range<usize>,
        name: String,
        key: &'static str,
    ) -> Checked<Arc<str>> {
        if !ctx.results.contains_key(&name) {
            let known: Vec<&str> = ctx.results.keys().map(String::as_str).collect();
            return self.err(span.clone(), |l| {
                t!(
                    l,
                    "parse-unknown-result",
                    name = name.as_str(),
                    declared = declared(&known, l),
                    hint = did_you_mean(&name, known.iter().copied(), l)
                )
            });
        }
        ctx.first_use
            .borrow_mut()
            .entry((name.clone(), key))
            .or_insert_with(|| span.clone());
        Ok(name.into())
    }

    /// A result is set exactly once in the whole run (counts multiplied through `count`,
    /// `repeat` and `spawn`), and one that is awaited is set: else a task would wait forever,
    /// or set it twice (asyncio's `InvalidStateError`).
    fn result_totals(
        &self,
        ctx: &StepContext<'_>,
        groups: &[TaskGroup],
        declared: &BTreeMap<String, Range<usize>>,
    ) -> Checked<()> {
        let totals = count_in_groups(groups, result_op_of);
        let first = ctx.first_use.borrow();
        for name in ctx.results.keys() {
            let (sets, awaits) = totals.get(name.as_str()).copied().unwrap_or((0, 0));
            let at = |key: &'static str| {
                first
                    .get(&(name.clone(), key))
                    .or_else(|| declared.get(name))
                    .cloned()
                    .unwrap_or(0..0)
            };
            if awaits > 0 && sets == 0 {
                return self.err(at("await_result"), |l| {
                    t!(l, "parse-result-never-set", name = name.as_str())
                });
            }
            if sets > 1 {
                return self.err(at("set_result"), |l| {
                    t!(
                        l,
                        "parse-result-set-twice",
                        name = name.as_str(),
                        sets = sets
                    )
                });
            }
        }
        Ok(())
    }

    fn url(&self, ctx: &StepContext<'_>, span: &Range<usize>, url: String) -> Checked<String> {
        if url.starts_with('/') {
            return Ok(url);
        }
        let parsed = match reqwest::Url::parse(&url) {
            Ok(u) => u,
            Err(e) => {
                return self.err(span.clone(), |l| {
                    t!(
                        l,
                        "parse-http-url",
                        url = url.as_str(),
                        error = e.to_string()
                    )
                });
            }
        };
        if parsed.scheme() != "http" {
            return self.err(span.clone(), |l| {
                t!(l, "parse-http-only", url = url.as_str())
            });
        }
        let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if !loopback && !ctx.allow_external {
            return self.err(span.clone(), |l| {
                t!(l, "parse-not-local", url = url.as_str())
            });
        }
        Ok(url)
    }
}

struct StepContext<'a> {
    semaphores: &'a BTreeMap<String, usize>,
    channels: &'a BTreeMap<String, usize>,
    results: &'a BTreeMap<String, String>,
    /// Where each channel is first sent to / received from (`send_to`, `recv_from`).
    first_use: std::cell::RefCell<BTreeMap<(String, &'static str), Range<usize>>>,
    allow_external: bool,
    /// The scenario's `time_limit_s`, which a `timeout` must not exceed.
    time_limit_s: Option<u64>,
}

/// What a step adds to a name's two counts each time it runs: a channel's messages sent
/// and received, a result's sets and awaits.
type OpOf = fn(&Step) -> Option<(&str, u64, u64)>;

fn channel_op_of(step: &Step) -> Option<(&str, u64, u64)> {
    match step {
        Step::SendTo { channel, count } => Some((channel, *count, 0)),
        Step::RecvFrom { channel, count } => Some((channel, 0, *count)),
        _ => None,
    }
}

fn result_op_of(step: &Step) -> Option<(&str, u64, u64)> {
    match step {
        Step::SetResult(name) => Some((name, 1, 0)),
        Step::AwaitResult(name) => Some((name, 0, 1)),
        _ => None,
    }
}

/// Adds up, per name, what `of` counts in `steps` run `times` times (multiplied through
/// `repeat` and `spawn`).
fn count_ops<'s>(
    steps: &'s [Step],
    times: u64,
    of: OpOf,
    totals: &mut BTreeMap<&'s str, (u64, u64)>,
) {
    for s in steps {
        if let Some((name, a, b)) = of(s) {
            let t = totals.entry(name).or_default();
            t.0 = t.0.saturating_add(times.saturating_mul(a));
            t.1 = t.1.saturating_add(times.saturating_mul(b));
            continue;
        }
        let times = match s {
            Step::Repeat { times: n, .. } => times.saturating_mul(*n),
            Step::Spawn { count, .. } => times.saturating_mul(*count),
            _ => times,
        };
        for b in s.nested() {
            count_ops(b, times, of, totals);
        }
    }
}

/// [`count_ops`] over every group (each run `count` times).
fn count_in_groups(groups: &[TaskGroup], of: OpOf) -> BTreeMap<&str, (u64, u64)> {
    let mut totals = BTreeMap::new();
    for g in groups {
        count_ops(&g.steps, g.count, of, &mut totals);
    }
    totals
}

/// How many tasks running `steps` once spawns (saturating).
fn tasks_in(steps: &[Step]) -> u64 {
    steps.iter().fold(0u64, |acc, s| {
        acc.saturating_add(match s {
            Step::Repeat { times, steps } => times.saturating_mul(tasks_in(steps)),
            Step::Spawn { count, steps, .. } => count.saturating_mul(1 + tasks_in(steps)),
            other => other
                .nested()
                .iter()
                .fold(0u64, |a, b| a.saturating_add(tasks_in(b))),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        match parse("t.toml", text) {
            Err(ScenarioError::Invalid(d)) => *d,
            Err(e) => panic!("unexpected error kind: {e}"),
            Ok(_) => panic!("accepted invalid scenario:\n{text}"),
        }
    }

    const HEAD: &str = "name = \"n\"\nabout = \"a\"\n";

    #[test]
    fn minimal_scenario_gets_the_documented_defaults() {
        let sc = parse(
            "t.toml",
            &format!("{HEAD}[[task]]\nname = \"fetch\"\nsteps = [{{ sleep_ms = 1 }}]\n"),
        )
        .expect("valid");
        assert_eq!(sc.runtime.flavor, Flavor::MultiThread);
        assert_eq!(sc.runtime.workers, 4);
        assert_eq!(sc.runtime.max_blocking_threads, 8);
        assert_eq!(sc.server, ServerConfig::default());
        assert_eq!(sc.groups[0].count, 1);
        assert_eq!(sc.groups[0].steps[0], Step::SleepMs(1));
    }

    #[test]
    fn every_step_kind_parses() {
        let sc = parse(
            "t.toml",
            &format!(
                "{HEAD}[semaphores]\napi = 2\n[[task]]\nname = \"g\"\nsteps = [\n  \
                 {{ http_get = \"/x\" }}, {{ sleep_ms = 1 }}, {{ cpu_ms = 1 }}, {{ block_ms = 1 }},\n  \
                 {{ offload_cpu_ms = 1 }}, {{ offload_block_ms = 1 }}, {{ yield_now = true }}, {{ forget_wake = true }},\n  \
                 {{ permit = {{ semaphore = \"api\", steps = [{{ sleep_ms = 1 }}] }} }},\n  \
                 {{ repeat = {{ times = 2, steps = [{{ yield_now = true }}] }} }},\n  \
                 {{ join = [[{{ sleep_ms = 1 }}], [{{ sleep_ms = 2 }}]] }},\n  \
                 {{ spawn = {{ name = \"c\", count = 3, steps = [{{ sleep_ms = 1 }}] }} }},\n  \
                 {{ panic = \"boom\" }},\n]\n"
            ),
        )
        .expect("valid");
        let steps = &sc.groups[0].steps;
        assert_eq!(steps.len(), 13);
        assert!(matches!(
            &steps[11],
            Step::Spawn {
                count: 3,
                wait: true,
                ..
            }
        ));
        assert!(matches!(&steps[10], Step::Join(b) if b.len() == 2));
        assert_eq!(steps[7], Step::ForgetWake);
    }

    #[test]
    fn the_asyncio_lesson_is_read_and_must_not_be_empty() {
        let steps = "[[task]]\nname = \"g\"\nsteps = [{ sleep_ms = 1 }]\n";
        let sc = parse(
            "t.toml",
            &format!("{HEAD}about_asyncio = \"On asyncio: the GIL.\"\n{steps}"),
        )
        .expect("valid");
        assert_eq!(sc.about_asyncio.as_deref(), Some("On asyncio: the GIL."));
        assert_eq!(sc.about_asyncio_zh, None);
        let d = err(&format!("{HEAD}about_asyncio_zh = \"  \"\n{steps}"));
        assert_eq!(
            (d.line, d.message.as_str()),
            (3, "`about_asyncio_zh` must not be empty")
        );
    }

    #[test]
    fn unknown_key_is_located_and_named() {
        let d = err(&format!("{HEAD}[runtime]\nwrokers = 2\n"));
        assert_eq!((d.line, d.column), (4, 1));
        assert!(d.message.contains("wrokers"), "{}", d.message);
        assert!(
            d.message.ends_with("did you mean `workers`?"),
            "suggests the nearest key: {}",
            d.message
        );
    }

    #[test]
    fn typos_get_the_nearest_name_and_nonsense_gets_none() {
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nstesp = [{{ sleep_ms = 1 }}]\n"
        ));
        assert!(d.message.contains("did you mean `steps`?"), "{}", d.message);
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ sleeep_ms = 1 }}]\n"
        ));
        assert!(
            d.message.contains("did you mean `sleep_ms`?"),
            "{}",
            d.message
        );
        let d = err(&format!("{HEAD}[runtime]\nzzzzzzzz = 2\n"));
        assert!(!d.message.contains("did you mean"), "{}", d.message);
        let d = err(&format!(
            "{HEAD}[semaphores]\napi = 2\n[[task]]\nname = \"g\"\nsteps = [{{ permit = {{ semaphore = \"apj\", steps = [{{ sleep_ms = 1 }}] }} }}]\n"
        ));
        assert!(d.message.contains("did you mean `api`?"), "{}", d.message);
        assert_eq!(nearest("wrokers", ["flavor", "workers"]), Some("workers"));
        assert_eq!(nearest("x", ["flavor", "workers"]), None);
    }

    #[test]
    fn zero_workers_is_refused_with_the_range() {
        let d = err(&format!(
            "{HEAD}[runtime]\nworkers = 0\n[[task]]\nname = \"g\"\nsteps = [{{ sleep_ms = 1 }}]\n"
        ));
        assert_eq!((d.line, d.column), (4, 11));
        assert!(d.message.contains("between 1 and 64"), "{}", d.message);
    }

    #[test]
    fn negative_count_is_refused() {
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\ncount = -5\nsteps = [{{ sleep_ms = 1 }}]\n"
        ));
        assert_eq!(d.line, 5);
        assert!(
            d.message.contains("-5") || d.message.contains("u64"),
            "{}",
            d.message
        );
    }

    #[test]
    fn unknown_step_lists_the_valid_ones() {
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ sleep_ms = 1 }}, {{ slep_ms = 1 }}]\n"
        ));
        assert_eq!(d.line, 5);
        assert!(d.message.contains("slep_ms"), "{}", d.message);
        assert!(d.message.contains("sleep_ms"), "{}", d.message);
    }

    #[test]
    fn errors_read_in_chinese_with_the_same_place_and_caret() {
        // A check of ours, and one of the TOML reader's (an unknown step), in both languages.
        let base = format!("{HEAD}[[task]]\nname = \"client\"\n");
        for (text, en, zh) in [
            (
                format!("{base}steps = [{{ sleep_ms = 7200000 }}]\n"),
                "must be at most 3600000 ms (one hour), got 7200000",
                "最多 3600000 ms（一小时），现在是 7200000",
            ),
            (
                format!("{base}steps = [{{ htp_get = \"/items\" }}]\n"),
                "; did you mean `http_get`?",
                "未知的步骤 `htp_get`，应为以下之一：",
            ),
        ] {
            let d = err(&text);
            assert!(d.message.contains(en), "{}", d.message);
            let zh_text = d.render_in(Language::Chinese);
            assert!(zh_text.contains(zh), "{zh_text}");
            // Same file, line and column, and the same excerpt with its caret.
            let (en_text, zh_lines) = (d.to_string(), zh_text.lines().collect::<Vec<_>>());
            let en_lines: Vec<&str> = en_text.lines().collect();
            assert!(zh_lines[0].starts_with(&format!("t.toml:{}:{}: ", d.line, d.column)));
            assert_eq!(en_lines[1..], zh_lines[1..], "the excerpt is the same");
            assert!(!d.message_in(Language::Chinese).contains("did you mean"));
        }
    }

    #[test]
    fn predict_names_figures_the_scenario_can_measure_each_once() {
        use crate::trace::Figure;
        let base = format!(
            "{HEAD}[semaphores]\napi = 5\n[[task]]\nname = \"client\"\nsteps = [{{ sleep_ms = 1 }}]\n"
        );
        let sc = parse(
            "t.toml",
            &format!("{base}[predict]\nfigures = [\"wall_ms\", \"permit_wait_pct\"]\n"),
        )
        .expect("valid");
        assert_eq!(sc.predict, [Figure::WallMs, Figure::PermitWaitPct]);
        assert!(parse("t.toml", &base).expect("valid").predict.is_empty());
        // A typo: its line and column, the names it could be, and the nearest one.
        let d = err(&format!(
            "{base}[predict]\nfigures = [\"wall_ms\", \"peak_inflight\"]\n"
        ));
        assert_eq!((d.line, d.column), (9, 23));
        assert!(
            d.message
                .contains("expected one of: wall_ms, peak_in_flight")
                && d.message.contains("did you mean `peak_in_flight`?"),
            "{}",
            d.message
        );
        // Twice.
        let d = err(&format!(
            "{base}[predict]\nfigures = [\"wall_ms\", \"wall_ms\"]\n"
        ));
        assert_eq!((d.line, d.column), (9, 23));
        assert!(d.message.contains("listed twice"), "{}", d.message);
        // A heartbeat figure without a heartbeat.
        let d = err(&format!(
            "{base}[predict]\nfigures = [\"heartbeat_late_ms\"]\n"
        ));
        assert!(d.message.contains("needs a `[heartbeat]`"), "{}", d.message);
        // None, and an unknown key.
        let d = err(&format!("{base}[predict]\nfigures = []\n"));
        assert!(d.message.contains("at least one figure"), "{}", d.message);
        let d = err(&format!("{base}[predict]\nfigure = [\"wall_ms\"]\n"));
        assert!(d.message.contains("figures"), "{}", d.message);
    }

    #[test]
    fn view_names_groups_and_tracks_the_scenario_has() {
        let base = format!(
            "{HEAD}[semaphores]\napi = 5\n[[task]]\nname = \"client\"\nsteps = [{{ spawn = {{ name = \"child\", steps = [{{ sleep_ms = 1 }}] }} }}]\n"
        );
        let sc = parse(
            "t.toml",
            &format!("{base}[view]\nexpand = [\"client\", \"child\"]\ntracks = [\"semaphore api\", \"http\"]\n"),
        )
        .expect("valid");
        assert_eq!(sc.view.expand, ["client", "child"]);
        assert_eq!(
            sc.view.tracks.as_deref(),
            Some(&["semaphore api".to_string(), "http".to_string()][..])
        );
        assert_eq!(
            parse("t.toml", &base).expect("valid").view,
            super::super::ViewConfig::default()
        );
        // A typo in a group: its line and column, and the nearest name.
        let d = err(&format!("{base}[view]\nexpand = [\"clinet\"]\n"));
        assert_eq!((d.line, d.column), (9, 11));
        assert!(
            d.message.contains("did you mean `client`?"),
            "{}",
            d.message
        );
        // A track of a resource the scenario does not declare.
        let d = err(&format!("{base}[view]\ntracks = [\"semaphore db\"]\n"));
        assert_eq!(d.line, 9);
        assert!(
            d.message
                .contains("expected one of: http, blocking pool, semaphore api"),
            "{}",
            d.message
        );
        // An unknown key of [view].
        let d = err(&format!("{base}[view]\nexpnad = []\n"));
        assert!(d.message.contains("expand"), "{}", d.message);
    }

    #[test]
    fn lazy_and_an_eager_spawn_parse_and_take_their_table_entries() {
        let sc = parse(
            "t.toml",
            &format!(
                "{HEAD}[[task]]\nname = \"g\"\nsteps = [\n  \
                 {{ lazy = {{ delay_ms = 200, steps = [{{ http_get = \"/a\" }}, {{ sleep_ms = 1 }}] }} }},\n  \
                 {{ spawn = {{ name = \"eager\", wait_after_ms = 150, steps = [{{ http_get = \"/a\" }}] }} }},\n  \
                 {{ sleep_ms = 5 }},\n]\n"
            ),
        )
        .expect("valid");
        let steps = &sc.groups[0].steps;
        assert!(matches!(&steps[0], Step::Lazy { delay_ms: 200, steps } if steps.len() == 2));
        assert!(matches!(
            &steps[1],
            Step::Spawn {
                wait: true,
                wait_after_ms: Some(150),
                ..
            }
        ));
        // lazy + its two steps; spawn + its pause + its one step; the sleep.
        let table = sc.step_table();
        let labels: Vec<&str> = table.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "lazy: built, not awaited for 200 ms",
                "GET /a",
                "sleep 1 ms",
                "spawn ×1 eager, wait",
                "sleep 150 ms before awaiting eager",
                "GET /a",
                "sleep 5 ms",
            ]
        );
        assert_eq!(steps.id(0, 1), 3, "the spawn's entry");
        assert_eq!(
            steps.id(0, 2),
            6,
            "after the spawn's pause and its child's step"
        );
        // Where each nested list starts, as the interpreters (tokio's, asyncio's) use it.
        assert_eq!(steps[0].nested_ids(0), [1]);
        assert_eq!(
            steps[1].nested_ids(3),
            [5],
            "after the spawn's entry and its pause"
        );
        assert_eq!(labels[5], "GET /a");
        assert_eq!(table[0].wait, Some(crate::trace::WaitReason::Timer));
        assert_eq!(table[4].wait, Some(crate::trace::WaitReason::Timer));
        assert_eq!(table[3].wait, Some(crate::trace::WaitReason::Join));
        assert_eq!((table[1].depth, table[5].depth), (1, 1));
    }

    #[test]
    fn lazy_and_wait_after_ms_refuse_nonsense_with_their_place() {
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [\n  {{ spawn = {{ name = \"c\", wait = false, wait_after_ms = 10, steps = [{{ sleep_ms = 1 }}] }} }},\n]\n"
        ));
        assert_eq!((d.line, d.column), (6, 3));
        assert!(d.message.contains("`wait = false`"), "{}", d.message);
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ lazy = {{ delay_ms = 5, steps = [] }} }}]\n"
        ));
        assert!(d.message.contains("at least one step"), "{}", d.message);
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ lazy = {{ delay_ms = 99999999999, steps = [{{ yield_now = true }}] }} }}]\n"
        ));
        assert!(
            d.message.contains("`delay_ms` must be at most"),
            "{}",
            d.message
        );
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ lazy = {{ dealy_ms = 5, steps = [{{ yield_now = true }}] }} }}]\n"
        ));
        assert!(d.message.contains("delay_ms"), "{}", d.message);
    }

    #[test]
    fn blocking_http_get_takes_a_path_on_the_lab_server() {
        let sc = parse(
            "t.toml",
            &format!("{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ blocking_http_get = \"/items?ms=5\" }}]\n"),
        )
        .expect("valid");
        assert_eq!(
            sc.groups[0].steps[0],
            Step::BlockingHttpGet("/items?ms=5".into())
        );
        assert_eq!(sc.step_table()[0].label, "blocking GET /items?ms=5");
        for bad in ["http://example.com/", "items", "/a b", "/a\\r\\nX: y"] {
            let d = err(&format!(
                "{HEAD}[[task]]\nname = \"g\"\nsteps = [\n  {{ blocking_http_get = \"{bad}\" }},\n]\n"
            ));
            assert_eq!((d.line, d.column), (6, 3), "{bad}");
            assert!(
                d.message.contains("a path on the lab server"),
                "{}",
                d.message
            );
        }
    }

    #[test]
    fn print_takes_one_line() {
        let sc = parse(
            "t.toml",
            &format!("{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ print = \"hello\" }}]\n"),
        )
        .expect("valid");
        assert_eq!(sc.groups[0].steps[0], Step::Print("hello".into()));
        assert_eq!(sc.step_table()[0].label, "print \"hello\"");
        let long = "x".repeat(201);
        for bad in ["", "  ", "a\\nb", long.as_str()] {
            let d = err(&format!(
                "{HEAD}[[task]]\nname = \"g\"\nsteps = [\n  {{ print = \"{bad}\" }},\n]\n"
            ));
            assert_eq!((d.line, d.column), (6, 3), "{bad:?}");
            assert!(d.message.contains("one line of 1 to 200"), "{}", d.message);
        }
    }

    #[test]
    fn timeout_race_and_abort_parse_and_refuse_nonsense() {
        let sc = parse(
            "t.toml",
            &format!(
                "{HEAD}[[task]]\nname = \"g\"\nsteps = [\n  \
                 {{ timeout = {{ ms = 150, steps = [{{ http_get = \"/a\" }}] }} }},\n  \
                 {{ race = [[{{ sleep_ms = 1 }}], [{{ sleep_ms = 2 }}, {{ yield_now = true }}]] }},\n  \
                 {{ spawn = {{ name = \"w\", count = 2, abort_after_ms = 20, steps = [{{ sleep_ms = 100 }}] }} }},\n]\n"
            ),
        )
        .expect("valid");
        let steps = &sc.groups[0].steps;
        assert!(matches!(&steps[0], Step::Timeout { ms: 150, .. }));
        assert!(matches!(&steps[1], Step::Race(b) if b.len() == 2));
        assert_eq!(steps[2].spawn_pause(), Some((20, true)));
        assert_eq!(steps[1].nested_ids(2), [3, 4], "the race's branches");
        let labels: Vec<String> = sc.step_table().into_iter().map(|s| s.label).collect();
        assert_eq!(
            labels,
            [
                "timeout 150 ms",
                "GET /a",
                "race ×2",
                "sleep 1 ms",
                "sleep 2 ms",
                "yield",
                "spawn ×2 w, wait",
                "sleep 20 ms, then abort w",
                "sleep 100 ms",
            ]
        );
        let at = |step: &str| {
            format!("{HEAD}time_limit_s = 1\n[[task]]\nname = \"g\"\nsteps = [\n  {step},\n]\n")
        };
        let d = err(&at(
            "{ timeout = { ms = 5000, steps = [{ sleep_ms = 1 }] } }",
        ));
        assert_eq!((d.line, d.column), (7, 3));
        assert!(
            d.message
                .contains("longer than the scenario's `time_limit_s = 1`"),
            "{}",
            d.message
        );
        let d = err(&at("{ race = [[{ sleep_ms = 1 }]] }"));
        assert!(d.message.contains("at least two"), "{}", d.message);
        let d = err(&at(
            "{ spawn = { name = \"w\", abort_after_ms = 5, wait_after_ms = 5, steps = [{ sleep_ms = 1 }] } }",
        ));
        assert!(d.message.contains("give one of them"), "{}", d.message);
    }

    #[test]
    fn results_are_declared_set_once_and_awaited_only_when_set() {
        let file = |results: &str, steps: &str| {
            format!(
                "{HEAD}[results]\n{results}\n[[task]]\nname = \"g\"\ncount = 2\nsteps = [\n  {steps},\n]\n"
            )
        };
        let sc = parse(
            "t.toml",
            &format!(
                "{HEAD}[results]\ncfg = \"the config\"\n[[task]]\nname = \"a\"\nsteps = [{{ set_result = \"cfg\" }}]\n\
                 [[task]]\nname = \"b\"\ncount = 3\nsteps = [{{ await_result = \"cfg\" }}]\n"
            ),
        )
        .expect("valid");
        assert_eq!(
            sc.results.get("cfg").map(String::as_str),
            Some("the config")
        );
        assert_eq!(sc.groups[1].steps[0], Step::AwaitResult("cfg".into()));
        let table = sc.step_table();
        assert_eq!(table[1].label, "await result cfg");
        assert_eq!(table[1].wait, Some(crate::trace::WaitReason::Result));
        // Awaited, never set: the await's line and column.
        let d = err(&file("cfg = \"x\"", "{ await_result = \"cfg\" }"));
        assert_eq!((d.line, d.column), (9, 3));
        assert!(d.message.contains("awaited but never set"), "{}", d.message);
        // Set by each of two tasks: twice.
        let d = err(&file("cfg = \"x\"", "{ set_result = \"cfg\" }"));
        assert!(d.message.contains("set 2 times"), "{}", d.message);
        // Undeclared, with the nearest name.
        let d = err(&file("config = \"x\"", "{ await_result = \"confg\" }"));
        assert!(
            d.message.contains("unknown result `confg`"),
            "{}",
            d.message
        );
        assert!(d.message.contains("did you mean `config`"), "{}", d.message);
    }

    #[test]
    fn a_result_says_what_it_holds_in_either_language() {
        let file = |results: &str| {
            format!(
                "{HEAD}[results]\n{results}\n[[task]]\nname = \"a\"\nsteps = [{{ set_result = \"cfg\" }}]\n"
            )
        };
        let sc = parse(
            "t.toml",
            &file("cfg = { about = \"the config\", about_zh = \"配置\" }"),
        )
        .expect("valid");
        assert_eq!(sc.results["cfg"], "the config");
        assert_eq!(sc.results_zh["cfg"], "配置");
        let sc = parse("t.toml", &file("cfg = \"the config\"")).expect("valid");
        assert!(sc.results_zh.is_empty());
        let line = HEAD.lines().count() + 2;
        // A key the table does not have, with its line and column.
        let d = err(&file("cfg = { about = \"x\", about_ja = \"y\" }"));
        assert_eq!(d.line, line, "{}", d.message);
        assert!(
            d.message.contains("unknown field `about_ja`"),
            "{}",
            d.message
        );
        // Neither a string nor a table: what was expected.
        let d = err(&file("cfg = 3"));
        assert_eq!((d.line, d.column), (line, 7), "{}", d.message);
        assert!(d.message.contains("a string, or a table"), "{}", d.message);
        let d = err(&file("cfg = { about = \"x\", about_zh = \" \" }"));
        assert!(d.message.contains("said in words"), "{}", d.message);
    }

    #[test]
    fn the_cpu_pool_is_sized_to_the_cores_unless_the_file_says() {
        let steps = "[[task]]\nname = \"g\"\nsteps = [{ cpu_pool_ms = 10 }]\n";
        let sc = parse("t.toml", &format!("{HEAD}{steps}")).expect("valid");
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(sc.runtime.cpu_threads, cpus);
        assert_eq!(sc.groups[0].steps[0], Step::CpuPoolMs(10));
        let table = sc.step_table();
        assert_eq!(table[0].label, "cpu pool 10 ms");
        assert_eq!(table[0].wait, Some(crate::trace::WaitReason::CpuPool));
        let sc = parse(
            "t.toml",
            &format!("{HEAD}[runtime]\ncpu_threads = 3\n[view]\ntracks = [\"cpu pool\"]\n{steps}"),
        )
        .expect("valid");
        assert_eq!(sc.runtime.cpu_threads, 3);
        assert_eq!(
            sc.view.tracks.as_deref(),
            Some(&["cpu pool".to_string()][..])
        );
        let r = sc.resource_table();
        assert_eq!(
            (r[0].kind.as_str(), r[0].capacity),
            ("cpu", 3),
            "its track's size"
        );
        let d = err(&format!("{HEAD}[runtime]\ncpu_threads = 0\n{steps}"));
        assert_eq!((d.line, d.column), (4, 15));
        assert!(
            d.message
                .contains("`cpu_threads` must be between 1 and 64, got 0"),
            "{}",
            d.message
        );
    }

    #[test]
    fn step_with_two_keys_is_refused() {
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ sleep_ms = 1, cpu_ms = 2 }}]\n"
        ));
        assert_eq!(d.line, 5);
    }

    #[test]
    fn undeclared_semaphore_is_named() {
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ permit = {{ semaphore = \"db\", steps = [{{ sleep_ms = 1 }}] }} }}]\n"
        ));
        assert_eq!((d.line, d.column), (5, 10));
        assert!(d.message.contains("`db`"), "{}", d.message);
    }

    #[test]
    fn absurd_totals_and_durations_are_refused() {
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\ncount = 1000\nsteps = [{{ spawn = {{ name = \"c\", count = 10000, steps = [{{ sleep_ms = 1 }}] }} }}]\n"
        ));
        assert!(d.message.contains("1000000 tasks"), "{}", d.message);
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ sleep_ms = 86400000 }}]\n"
        ));
        assert!(d.message.contains("at most 3600000 ms"), "{}", d.message);
    }

    #[test]
    fn nesting_depth_is_limited() {
        let mut steps = "{ sleep_ms = 1 }".to_string();
        for _ in 0..20 {
            steps = format!("{{ repeat = {{ times = 1, steps = [{steps}] }} }}");
        }
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"g\"\nsteps = [{steps}]\n"
        ));
        assert!(d.message.contains("nested more than 16"), "{}", d.message);
    }

    #[test]
    fn the_memory_cap_is_validated() {
        let body = "[[task]]\nname = \"g\"\nsteps = [{ yield_now = true }]\n";
        let d = err(&format!("{HEAD}max_events = 10\n{body}"));
        assert_eq!((d.line, d.column), (3, 14));
        assert!(
            d.message.contains("max_events") && d.message.contains("1000"),
            "{}",
            d.message
        );
        let sc = parse("t.toml", &format!("{HEAD}max_events = 50000\n{body}")).expect("valid");
        assert_eq!(sc.max_events, Some(50_000));
    }

    #[test]
    fn channels_are_declared_and_their_messages_add_up() {
        let ok = parse(
            "t.toml",
            &format!(
                "{HEAD}[channels]\njobs = 8\n[[task]]\nname = \"producer\"\nsteps = [{{ send_to = {{ channel = \"jobs\", count = 200 }} }}]\n\
                 [[task]]\nname = \"consumer\"\ncount = 2\nsteps = [{{ repeat = {{ times = 100, steps = [{{ recv_from = {{ channel = \"jobs\" }} }}] }} }}]\n\
                 [[task]]\nname = \"drainer\"\nsteps = [{{ recv_ready = 20000 }}]\n"
            ),
        )
        .expect("200 sent, 2 x 100 received");
        assert_eq!(ok.channels.get("jobs"), Some(&8));
        // Undeclared, with the nearest name.
        let d = err(&format!(
            "{HEAD}[channels]\njobs = 8\n[[task]]\nname = \"p\"\nsteps = [{{ send_to = {{ channel = \"job\", count = 1 }} }}]\n"
        ));
        assert_eq!(d.line, 7);
        assert!(
            d.message.contains("unknown channel `job`")
                && d.message.contains("did you mean `jobs`?"),
            "{}",
            d.message
        );
        // A zero capacity.
        let d = err(&format!(
            "{HEAD}[channels]\njobs = 0\n[[task]]\nname = \"p\"\nsteps = [{{ yield_now = true }}]\n"
        ));
        assert_eq!((d.line, d.column), (4, 8));
        assert!(d.message.contains("between 1 and 100000"), "{}", d.message);
        // More receives than sends: at the receiving step.
        let d = err(&format!(
            "{HEAD}[channels]\njobs = 8\n[[task]]\nname = \"p\"\nsteps = [{{ send_to = {{ channel = \"jobs\", count = 10 }} }}]\n\
             [[task]]\nname = \"c\"\ncount = 3\nsteps = [{{ recv_from = {{ channel = \"jobs\", count = 4 }} }}]\n"
        ));
        assert_eq!(d.line, 11);
        assert!(
            d.message.contains("receive 12 messages") && d.message.contains("only 10"),
            "{}",
            d.message
        );
        // More sends than receives plus room: at the sending step.
        let d = err(&format!(
            "{HEAD}[channels]\njobs = 2\n[[task]]\nname = \"p\"\nsteps = [{{ send_to = {{ channel = \"jobs\", count = 10 }} }}]\n"
        ));
        assert_eq!(d.line, 7);
        assert!(
            d.message.contains("sender would wait forever"),
            "{}",
            d.message
        );
        let d = err(&format!(
            "{HEAD}[[task]]\nname = \"p\"\nsteps = [{{ recv_ready = 0 }}]\n"
        ));
        assert!(
            d.message.contains("`recv_ready` must be between 1"),
            "{}",
            d.message
        );
    }

    #[test]
    fn external_urls_need_allow_external() {
        let body = "[[task]]\nname = \"g\"\nsteps = [{ http_get = \"http://example.com/\" }]\n";
        let d = err(&format!("{HEAD}{body}"));
        assert!(d.message.contains("allow_external"), "{}", d.message);
        parse("t.toml", &format!("{HEAD}allow_external = true\n{body}")).expect("allowed");
        parse(
            "t.toml",
            &format!("{HEAD}[[task]]\nname = \"g\"\nsteps = [{{ http_get = \"http://127.0.0.1:9/x\" }}]\n"),
        )
        .expect("loopback is fine");
    }

    #[test]
    fn missing_tasks_and_current_thread_workers() {
        let d = err(HEAD);
        assert!(d.message.contains("[[task]]"), "{}", d.message);
        let d = err(&format!(
            "{HEAD}[runtime]\nflavor = \"current_thread\"\nworkers = 4\n[[task]]\nname = \"g\"\nsteps = [{{ sleep_ms = 1 }}]\n"
        ));
        assert_eq!(d.line, 5);
    }

    #[test]
    fn diagnostic_display_points_at_the_column() {
        let d = err(&format!(
            "{HEAD}[runtime]\nworkers = 0\n[[task]]\nname = \"g\"\nsteps = [{{ sleep_ms = 1 }}]\n"
        ));
        let shown = d.to_string();
        assert!(shown.starts_with("t.toml:4:11: "), "{shown}");
        assert!(shown.contains("4 | workers = 0"), "{shown}");
        assert!(shown.ends_with("|           ^"), "{shown:?}");
    }
}
