//! The command line: no arguments opens the GUI; `asyncscope run SCENARIO` runs a scenario
//! headless and exports it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use asyncscope::export;
use asyncscope::i18n::Language;
use asyncscope::run::{RunOptions, run};
use asyncscope::scenario;
use asyncscope::trace::Summary;
use asyncscope::ui::App;

#[derive(Parser)]
#[command(
    name = "asyncscope",
    version,
    about = "Make async scheduling visible: run tokio scenarios and capture every spawn, poll, wake and completion"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The folder of scenario files the GUI lists.
    #[arg(long, value_name = "DIR", default_value = "scenarios")]
    scenarios: PathBuf,
    /// Open the GUI and run this scenario at once: a file stem from the scenarios folder
    /// (io_fanout) or the path of any scenario file.
    #[arg(long, value_name = "SCENARIO")]
    run: Option<String>,
    /// Open the GUI and trace this Python asyncio script at once, live (as `trace-py`
    /// does headless; the lab server's URL is in ASYNCSCOPE_LAB_URL).
    #[arg(long, value_name = "SCRIPT.py", conflicts_with = "run")]
    trace_py: Option<PathBuf>,
    /// Open the GUI in presentation mode (large, light, high contrast; F11 leaves it).
    #[arg(long)]
    present: bool,
    /// Serve the GUI's runs to tokio-console on 127.0.0.1:PORT (6669 if no port is given).
    #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "6669")]
    console: Option<u16>,
    /// The language of the summary, the findings and the window: en or zh. Without it, the
    /// environment's (LC_ALL, LC_MESSAGES, LANG: zh_CN.UTF-8 means Chinese), else English;
    /// the GUI keeps the language last picked in it. JSON outputs are always English.
    #[arg(long, global = true, value_name = "LANG", value_parser = ["en", "zh"])]
    lang: Option<String>,
}

/// The language `--lang` or the environment asks for.
fn language() -> Language {
    *LANGUAGE.get().unwrap_or(&Language::English)
}

static LANGUAGE: std::sync::OnceLock<Language> = std::sync::OnceLock::new();

/// A scenario that does not load, in the language asked for: file, line, column, what was
/// expected, and the line with a caret.
fn scenario_error(e: &scenario::ScenarioError) -> String {
    asyncscope::t!(language(), "cli-error", message = scenario_message(e))
}

/// The same without the "error:" heading.
fn scenario_message(e: &scenario::ScenarioError) -> String {
    match e {
        scenario::ScenarioError::Invalid(d) => d.render_in(language()),
        scenario::ScenarioError::Read { path, source } => asyncscope::t!(
            language(),
            "scenario-unreadable",
            path = path.as_str(),
            error = source.to_string()
        ),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Open recorded runs in the GUI: `.ascope` trace files, or Chrome trace JSON that
    /// asyncscope exported. Two or more open side by side in the comparison view.
    Open {
        /// The trace files.
        #[arg(required = true)]
        traces: Vec<PathBuf>,
    },
    /// Compare two or more runs: print the comparison table, and draw them stacked on one
    /// time axis with `--svg` / `--png`.
    Compare {
        /// The runs, the first being the baseline: scenario files (run now, one after the
        /// other) or recorded runs (.ascope, or Chrome JSON exported by asyncscope).
        #[arg(required = true, num_args = 1..)]
        runs: Vec<PathBuf>,
        /// Run each scenario file on each of these runtimes (e.g. `tokio,asyncio`): one
        /// file is then enough to compare.
        #[arg(long, value_enum, value_delimiter = ',', value_name = "RUNTIMES")]
        runtimes: Vec<RuntimeChoice>,
        /// The runs stacked on one time axis, with the table.
        #[command(flatten)]
        picture: Picture,
        /// The memory cap of each scenario run: recording stops after N events.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1_000..=500_000_000))]
        max_events: Option<u64>,
        /// Write the table and every run's summary as JSON.
        #[arg(long, value_name = "FILE")]
        summary: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Run a scenario once (with its embedded lab HTTP server) and print a summary.
    Run {
        /// The scenario file (TOML), e.g. scenarios/io_fanout.toml.
        scenario: PathBuf,
        #[command(flatten)]
        outputs: Outputs,
        /// The timeline of the whole run.
        #[command(flatten)]
        picture: Picture,
        /// The memory cap: recording stops after N events (default: the scenario's
        /// `max_events`, else 20 000 000) and the summary says where.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1_000..=500_000_000))]
        max_events: Option<u64>,
        /// Serve the run to tokio-console on 127.0.0.1:PORT (6669 if no port is given);
        /// on a terminal, keep serving after the run until Enter.
        #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "6669")]
        console: Option<u16>,
        /// The runtime to run it on: tokio, or CPython's asyncio (python3 3.11+, through
        /// the shipped runner; a first set of steps).
        #[arg(long, value_enum, default_value = "tokio", conflicts_with = "console")]
        runtime: RuntimeChoice,
        /// The room's guess for one of the figures the scenario's `[predict]` table names,
        /// e.g. `--guess wall_ms=500` (repeatable): the summary ends with each guess beside
        /// what the run measured, and `--save` keeps them with the run.
        #[arg(long, value_name = "FIGURE=NUMBER", value_parser = parse_guess_arg)]
        guess: Vec<asyncscope::trace::Guess>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Run a Python asyncio program under asyncscope's instrumented event loop (its own
    /// asyncio.run included) and print a summary: every task's steps and wakes, where each
    /// paused, what blocked the loop. Needs python3 3.11+.
    TracePy {
        /// The script, e.g. fetch.py.
        script: PathBuf,
        /// The script's own arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
        /// Start the embedded lab HTTP server for the script; its URL (http://127.0.0.1:PORT)
        /// is in the environment variable ASYNCSCOPE_LAB_URL.
        #[arg(long)]
        lab: bool,
        #[command(flatten)]
        outputs: Outputs,
        /// The timeline of the whole run.
        #[command(flatten)]
        picture: Picture,
        /// Print nothing but errors (the script's own output still shows).
        #[arg(long, short)]
        quiet: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum RuntimeChoice {
    Tokio,
    Asyncio,
}

impl RuntimeChoice {
    fn name(self) -> &'static str {
        match self {
            RuntimeChoice::Tokio => "tokio",
            RuntimeChoice::Asyncio => "asyncio",
        }
    }
}

/// The files a headless run writes.
#[derive(clap::Args)]
struct Outputs {
    /// Write a Chrome trace JSON (open it in ui.perfetto.dev).
    #[arg(long, value_name = "FILE")]
    chrome_trace: Option<PathBuf>,
    /// Write the run summary as JSON.
    #[arg(long, value_name = "FILE")]
    summary: Option<PathBuf>,
    /// Save the run as a trace file (reopen it with `asyncscope open FILE`).
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
}

/// Pictures for slides.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("picture_file").multiple(true)))]
struct Picture {
    /// Write the picture as SVG (vector, light theme).
    #[arg(long, value_name = "FILE", group = "picture_file")]
    svg: Option<PathBuf>,
    /// Write the same picture as PNG (rendered from the SVG).
    #[arg(long, value_name = "FILE", group = "picture_file")]
    png: Option<PathBuf>,
    /// Draw --svg / --png as a 16:9 slide (1920×1080: title, lesson, lanes, resource
    /// tracks, tasks, legend) instead of the timeline strip.
    #[arg(long, requires = "picture_file")]
    slide: bool,
    /// PNG pixels per SVG pixel.
    #[arg(long, value_name = "N", default_value = "2", value_parser = ["1", "2", "4"])]
    png_scale: String,
}

impl Picture {
    fn wanted(&self) -> bool {
        self.svg.is_some() || self.png.is_some()
    }
}

/// Bad input (a scenario file that does not parse or validate).
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    // Before any tokio runtime (lab server, file dialog, scenario) exists in the process.
    asyncscope::capture::install_global();
    let cli = Cli::parse();
    let chosen = cli.lang.as_deref().and_then(Language::from_code);
    let _ = LANGUAGE.set(chosen.unwrap_or_else(Language::from_env));
    let Some(command) = cli.command else {
        return gui(
            cli.scenarios,
            (cli.run, cli.trace_py),
            Vec::new(),
            (cli.present, cli.console, chosen),
        );
    };
    match command {
        Command::Open { traces } => {
            // Check them before opening a window: a bad file is bad input.
            for t in &traces {
                if let Err(e) = export::load_trace(t) {
                    eprintln!("error: {e}");
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
            gui(
                cli.scenarios,
                (None, None),
                traces,
                (cli.present, cli.console, chosen),
            )
        }
        Command::Compare {
            runs,
            runtimes,
            picture,
            max_events,
            summary,
            quiet,
        } => compare_command(&runs, &runtimes, summary, &picture, (max_events, quiet)),
        Command::Run {
            scenario,
            outputs,
            picture,
            max_events,
            console,
            runtime,
            guess,
            quiet,
        } => run_command(
            &scenario,
            (outputs, guess),
            &picture,
            (max_events, console, runtime),
            quiet,
        ),
        Command::TracePy {
            script,
            args,
            lab,
            outputs,
            picture,
            quiet,
        } => {
            let program = asyncscope::asyncio_run::Program::Script {
                path: &script,
                args: &args,
                lab,
            };
            let trace = match asyncscope::asyncio_run::trace_script(
                &program,
                &std::sync::atomic::AtomicBool::new(false),
                asyncscope::asyncio_run::Streams::Inherit,
            ) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let failed = !trace.run_errors.is_empty();
            let code = finish_run(None, trace, outputs, &picture, quiet);
            // The script's failure is the command's, once what it did is written.
            if failed { ExitCode::FAILURE } else { code }
        }
    }
}

fn gui(
    scenarios: PathBuf,
    (run_now, trace_now): (Option<String>, Option<PathBuf>),
    open: Vec<PathBuf>,
    (present, console, lang): (bool, Option<u16>, Option<Language>),
) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("asyncscope")
            .with_inner_size([1600.0, 1000.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "asyncscope",
        options,
        Box::new(move |cc| {
            let saved = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY));
            let launch = asyncscope::ui::Launch {
                present,
                console,
                lang,
            };
            let state = asyncscope::ui::State::at_launch(saved, Language::from_env(), launch);
            let mut app = App::new(scenarios, state);
            if let Some(name) = run_now {
                app.run_on_start(&name, &cc.egui_ctx);
            }
            if let Some(script) = trace_now {
                app.trace_python(script, &cc.egui_ctx);
            }
            if !open.is_empty() {
                app.open_runs(&open);
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: could not open the window: {e}");
            eprintln!("(no display? `asyncscope run SCENARIO` works headless)");
            ExitCode::FAILURE
        }
    }
}

/// `--guess FIGURE=NUMBER`: a figure's `[predict]` name and a number as the card reads it.
fn parse_guess_arg(arg: &str) -> Result<asyncscope::trace::Guess, String> {
    use asyncscope::trace::{Figure, predict::parse_guess};
    let names = || Figure::ALL.map(Figure::key).join(", ");
    let (key, value) = arg.split_once('=').ok_or_else(|| {
        format!(
            "expected FIGURE=NUMBER, e.g. wall_ms=500 (figures: {})",
            names()
        )
    })?;
    let figure = Figure::from_key(key.trim())
        .ok_or_else(|| format!("no figure `{}`: expected one of {}", key.trim(), names()))?;
    let value = parse_guess(value)
        .ok_or_else(|| format!("`{value}` is not a number (a guess is a number, 0 or more)"))?;
    Ok(asyncscope::trace::Guess { figure, value })
}

/// The guesses, checked against the figures the scenario asks for: each one of them, once.
fn check_guesses(
    sc: &scenario::Scenario,
    path: &std::path::Path,
    guesses: &[asyncscope::trace::Guess],
) -> Result<(), String> {
    let l = language();
    let path = path.display().to_string();
    if !guesses.is_empty() && sc.predict.is_empty() {
        return Err(asyncscope::t!(l, "cli-guess-no-predict", path = path));
    }
    for (i, g) in guesses.iter().enumerate() {
        let figure = g.figure.key();
        if !sc.predict.contains(&g.figure) {
            let asked = sc.predict.iter().map(|f| f.key()).collect::<Vec<_>>();
            return Err(asyncscope::t!(
                l,
                "cli-guess-not-asked",
                path = path,
                figure = figure,
                asked = asked.join(", ")
            ));
        }
        if guesses[..i].iter().any(|o| o.figure == g.figure) {
            return Err(asyncscope::t!(l, "cli-guess-twice", figure = figure));
        }
    }
    Ok(())
}

fn run_command(
    path: &std::path::Path,
    (outputs, guesses): (Outputs, Vec<asyncscope::trace::Guess>),
    picture: &Picture,
    (max_events, console_port, runtime): (Option<u64>, Option<u16>, RuntimeChoice),
    quiet: bool,
) -> ExitCode {
    let sc = match scenario::load(path) {
        Ok(sc) => sc,
        Err(e) => {
            eprintln!("{}", scenario_error(&e));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    if let Err(e) = check_guesses(&sc, path, &guesses) {
        eprintln!("{}", asyncscope::t!(language(), "cli-error", message = e));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    // The figures to predict and the room's guesses go with the run (the summary, --save).
    let with_guesses = |mut trace: asyncscope::trace::Trace| {
        trace.predict = sc.predict.clone();
        trace.guesses = guesses.clone();
        trace
    };
    if runtime == RuntimeChoice::Asyncio {
        return match asyncscope::asyncio_run::run_asyncio(&sc) {
            Ok(trace) => finish_run(Some(&sc), with_guesses(trace), outputs, picture, quiet),
            Err(e @ asyncscope::asyncio_run::AsyncioError::Unsupported(_)) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_BAD_INPUT)
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let console = match console_port.map(asyncscope::capture::console::Console::start) {
        None => None,
        Some(Ok(c)) => {
            if !quiet {
                println!("tokio-console: tokio-console http://{}", c.addr());
            }
            Some(c)
        }
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = RunOptions {
        max_events,
        console: console.as_ref().map(|c| c.dispatch().clone()),
        ..Default::default()
    };
    let trace = match run(&sc, options) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = finish_run(Some(&sc), with_guesses(trace), outputs, picture, quiet);
    if let Some(c) = &console
        && std::io::IsTerminal::is_terminal(&std::io::stdin())
    {
        println!(
            "tokio-console can still look at the run on http://{}; press Enter to quit.",
            c.addr()
        );
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    code
}

/// What `run` does with a finished trace, whichever runtime made it: prints the summary,
/// writes the exports asked for.
fn finish_run(
    sc: Option<&scenario::Scenario>,
    trace: asyncscope::trace::Trace,
    Outputs {
        chrome_trace,
        summary: summary_path,
        save,
    }: Outputs,
    picture: &Picture,
    quiet: bool,
) -> ExitCode {
    let summary = Summary::from_trace(&trace);
    if !quiet {
        // The scenario's own name in the language asked for, where the file has one.
        let mut shown = summary.clone();
        if let Some(sc) = sc.filter(|sc| sc.name == summary.scenario) {
            shown.scenario = sc.name_in(language()).to_string();
        }
        if let Some(sc) = sc.filter(|_| !summary.notes.is_empty()) {
            shown.notes = asyncscope::asyncio_run::asyncio_notes_in(sc, language());
        }
        print!("{}", export::text::render_in(&shown, language()));
        if !trace.predict.is_empty() {
            let reveals = asyncscope::trace::Reveal::all(&trace.predict, &trace.guesses, &summary);
            print!("{}", export::text::render_reveal(&reveals, language()));
        }
    }
    // Write every export even if one fails: nothing recorded is lost to one bad path.
    let mut out = Writes::new(quiet);
    if let Some(p) = &chrome_trace {
        let r = export::chrome::write_file(&trace, p);
        out.report(
            "Chrome trace",
            p,
            r,
            " (open it in https://ui.perfetto.dev)",
        );
    }
    if let Some(p) = &summary_path {
        out.report("summary", p, export::write_summary(p, &summary), "");
    }
    if let Some(p) = &save {
        let r = export::native::save(&trace, p);
        out.report("run", p, r, " (reopen: asyncscope open FILE)");
    }
    if picture.wanted() {
        let doc = if picture.slide {
            let name = sc.map_or_else(
                || trace.scenario.clone(),
                |sc| sc.name_in(language()).to_string(),
            );
            export::slide::render(&export::slide::Slide {
                title: export::slide::with_runtimes(vec![name], &[trace.runtime]).remove(0),
                lesson: sc.map_or_else(String::new, |sc| {
                    export::slide::first_sentence(asyncscope::ui::scenarios::lesson_for(
                        sc,
                        language(),
                        trace.runtime,
                    ))
                }),
                runs: vec![
                    export::slide::SlideRun::new(trace.scenario.clone(), &trace).with_scenario(sc),
                ],
                range_ns: None,
                lang: language(),
            })
        } else {
            let opts = export::svg::SvgOptions {
                lang: language(),
                ..Default::default()
            };
            export::svg::render(&trace, &opts)
        };
        out.picture(&doc, picture);
    }
    out.exit_code()
}

/// Reports each file written (or why not) and remembers whether one failed.
struct Writes {
    quiet: bool,
    failed: bool,
}

impl Writes {
    fn new(quiet: bool) -> Self {
        Writes {
            quiet,
            failed: false,
        }
    }

    fn report(
        &mut self,
        what: &str,
        path: &std::path::Path,
        result: std::io::Result<()>,
        note: &str,
    ) {
        match result {
            Err(e) => {
                eprintln!(
                    "error: could not write the {what} to {}: {e}",
                    path.display()
                );
                self.failed = true;
            }
            Ok(()) if !self.quiet => println!("wrote      {}{note}", path.display()),
            Ok(()) => {}
        }
    }

    /// An SVG document, and the PNG rendered from it.
    fn picture(&mut self, doc: &str, picture: &Picture) {
        if let Some(p) = &picture.svg {
            self.report("SVG", p, export::svg::save(doc, p), "");
        }
        if let Some(p) = &picture.png {
            let scale = picture.png_scale.parse().unwrap_or(2.0);
            self.report("PNG", p, export::png::write_file(doc, scale, p), "");
        }
    }

    fn exit_code(&self) -> ExitCode {
        if self.failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// One input of `compare`, checked before anything runs.
enum Input {
    Scenario(Box<scenario::Scenario>),
    Recorded(Box<asyncscope::trace::Trace>),
}

fn compare_command(
    paths: &[PathBuf],
    runtimes: &[RuntimeChoice],
    summary_path: Option<PathBuf>,
    picture: &Picture,
    (max_events, quiet): (Option<u64>, bool),
) -> ExitCode {
    let runtimes = if runtimes.is_empty() {
        &[RuntimeChoice::Tokio][..]
    } else {
        runtimes
    };
    // Check every input first: a typo in the last file should not cost the earlier runs.
    let mut inputs = Vec::with_capacity(paths.len());
    for p in paths {
        let input = if export::is_trace_file(p) {
            export::load_trace(p).map(|t| Input::Recorded(Box::new(t)))
        } else {
            scenario::load(p)
                .map(|sc| Input::Scenario(Box::new(sc)))
                .map_err(|e| scenario_message(&e))
        };
        match input {
            Ok(i) => inputs.push(i),
            Err(e) => {
                eprintln!("{}", asyncscope::t!(language(), "cli-error", message = e));
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
    }
    let runs = inputs
        .iter()
        .map(|i| match i {
            Input::Recorded(_) => 1,
            Input::Scenario(_) => runtimes.len(),
        })
        .sum::<usize>();
    if runs < 2 {
        eprintln!(
            "error: a comparison needs two runs or more: give two files, or one scenario and \
             --runtimes tokio,asyncio"
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let mut traces = Vec::with_capacity(runs);
    // The scenario of each run, where it was run now (its lesson and `[view]` for a slide).
    let mut lessons: Vec<Option<Box<scenario::Scenario>>> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        match input {
            Input::Recorded(t) => {
                lessons.push(None);
                traces.push(*t);
            }
            Input::Scenario(sc) => {
                for &runtime in runtimes {
                    if !quiet {
                        println!("running    [{}] {}", traces.len() + 1, sc.name);
                    }
                    let result = match runtime {
                        RuntimeChoice::Tokio => run(
                            &sc,
                            RunOptions {
                                max_events,
                                ..Default::default()
                            },
                        )
                        .map_err(|e| e.to_string()),
                        RuntimeChoice::Asyncio => {
                            asyncscope::asyncio_run::run_asyncio(&sc).map_err(|e| e.to_string())
                        }
                    };
                    let mut t = match result {
                        Ok(t) => t,
                        Err(e) => {
                            eprintln!("error: {}: {e}", paths[i].display());
                            return ExitCode::FAILURE;
                        }
                    };
                    if runtimes.len() > 1 {
                        t.scenario = format!("{} ({})", t.scenario, runtime.name());
                    }
                    traces.push(t);
                    lessons.push(Some(sc.clone()));
                }
            }
        }
    }
    let named: Vec<(String, &asyncscope::trace::Trace)> =
        traces.iter().map(|t| (t.scenario.clone(), t)).collect();
    let summaries: Vec<Summary> = traces.iter().map(Summary::from_trace).collect();
    let runs: Vec<(String, &Summary)> = named
        .iter()
        .zip(&summaries)
        .map(|((n, _), s)| (n.clone(), s))
        .collect();
    // The JSON keeps English labels; the table printed is in the language asked for.
    let table = asyncscope::trace::Comparison::new(&runs);
    if !quiet {
        let shown = asyncscope::trace::Comparison::new_in(&runs, language());
        print!("{}", shown.render_text_in(language()));
    }
    let mut out = Writes::new(quiet);
    if let Some(p) = &summary_path {
        let r = export::write_atomic(p, |w| {
            let doc = serde_json::json!({ "comparison": table, "runs": summaries });
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            std::io::Write::write_all(w, b"\n")
        });
        out.report("comparison", p, r, "");
    }
    if picture.wanted() {
        let doc = if picture.slide {
            let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
            export::slide::render(&export::slide::Slide {
                title: names.join(" vs "),
                lesson: lessons
                    .iter()
                    .flatten()
                    .next()
                    .map(|sc| {
                        export::slide::first_sentence(asyncscope::ui::scenarios::lesson_for(
                            sc,
                            language(),
                            asyncscope::trace::Runtime::Tokio,
                        ))
                    })
                    .unwrap_or_default(),
                runs: traces
                    .iter()
                    .zip(&lessons)
                    .map(|(t, sc)| {
                        export::slide::SlideRun::new(t.scenario.clone(), t)
                            .with_scenario(sc.as_deref())
                    })
                    .collect(),
                range_ns: None,
                lang: language(),
            })
        } else {
            let opts = export::svg::SvgOptions {
                lang: language(),
                ..Default::default()
            };
            let shown = asyncscope::trace::Comparison::new_in(&runs, language());
            export::svg::render_compare(&named, &shown, &opts)
        };
        out.picture(&doc, picture);
    }
    out.exit_code()
}
