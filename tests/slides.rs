//! Slides of real runs (shipped scenarios on a real runtime against the lab server): the
//! size, every text's size, no text past an edge or over another (measured by usvg with the
//! fonts the PNG is drawn with), the data attributes of what is drawn, and that each slide
//! carries its scenario's lesson in the values those attributes report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use asyncscope::export::png::{png_from_svg, usvg_options};
use asyncscope::export::slide::{self, MIN_FONT_PX, Slide, SlideRun};
use asyncscope::run::{RunOptions, run};
use asyncscope::scenario::{self, Scenario};
use asyncscope::trace::Trace;
use resvg::usvg;

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    scenario::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The plot's width on a slide (1920 less the margins and the label column).
const PLOT_W: f64 = 1520.0;

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run_named(name: &str) -> (Scenario, Trace) {
    let sc = load(name);
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let trace = run(&sc, RunOptions::default()).expect("run");
    (sc, trace)
}

fn slide_of<'a>(sc: &Scenario, trace: &'a Trace) -> Slide<'a> {
    let run = SlideRun::new(sc.name.clone(), trace).with_scenario(Some(sc));
    Slide {
        title: sc.name.clone(),
        lesson: slide::first_sentence(&sc.about),
        runs: vec![run],
        range_ns: None,
        lang: asyncscope::i18n::Language::English,
    }
}

/// The boxes of every text as usvg lays it out: (text, x0, y0, x1, y1).
fn text_boxes(svg: &str) -> Vec<(String, f32, f32, f32, f32)> {
    let tree = usvg::Tree::from_str(svg, &usvg_options()).expect("usvg parses the slide");
    let mut out = Vec::new();
    fn walk(g: &usvg::Group, out: &mut Vec<(String, f32, f32, f32, f32)>) {
        for n in g.children() {
            match n {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(t) => {
                    let b = t.abs_bounding_box();
                    let s: String = t.chunks().iter().map(|c| c.text()).collect();
                    out.push((s, b.left(), b.top(), b.right(), b.bottom()));
                }
                _ => {}
            }
        }
    }
    walk(tree.root(), &mut out);
    out
}

/// Size, text sizes, edges, overlaps and attributes: what every slide must satisfy.
fn check_slide<'s>(name: &str, svg: &'s str) -> roxmltree::Document<'s> {
    let doc = roxmltree::Document::parse(svg).expect("the slide parses as XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some("1920"), "{name}");
    assert_eq!(root.attribute("height"), Some("1080"), "{name}");
    assert_eq!(root.attribute("viewBox"), Some("0 0 1920 1080"), "{name}");

    let texts: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .collect();
    assert!(texts.len() > 10, "{name}: {} texts", texts.len());
    for t in &texts {
        let px: f64 = t
            .attribute("font-size")
            .unwrap_or_else(|| panic!("{name}: a text without font-size: {:?}", t.text()))
            .parse()
            .expect("a number");
        assert!(px >= MIN_FONT_PX, "{name}: {:?} at {px} px", t.text());
    }

    let boxes = text_boxes(svg);
    assert_eq!(boxes.len(), texts.len(), "{name}: usvg drew every text");
    for (s, x0, y0, x1, y1) in &boxes {
        assert!(
            *x0 >= 0.0 && *y0 >= 0.0 && *x1 <= 1920.0 && *y1 <= 1080.0,
            "{name}: {s:?} reaches past an edge: {x0} {y0} {x1} {y1}"
        );
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap_x = a.3.min(b.3) - a.1.max(b.1);
            let overlap_y = a.4.min(b.4) - a.2.max(b.2);
            assert!(
                overlap_x <= 0.5 || overlap_y <= 0.5,
                "{name}: {:?} overlaps {:?}",
                a.0,
                b.0
            );
        }
    }

    // What each drawn element says it is.
    for n in doc
        .descendants()
        .filter(|n| n.attribute("data-kind").is_some())
    {
        let kind = n.attribute("data-kind").unwrap_or_default();
        let has = |a: &str| n.attribute(a).is_some();
        let ok = match kind {
            "poll" => {
                has("data-state") && (has("data-task") && has("data-group") || has("data-count"))
            }
            "state" => {
                has("data-state")
                    && has("data-task")
                    && has("data-group")
                    && (n.attribute("data-state") == Some("waiting")) == has("data-wait")
            }
            "group" => {
                has("data-group")
                    && has("data-state")
                    && has("data-value")
                    && (n.attribute("data-state") == Some("waiting")) == has("data-wait")
            }
            "resource" => has("data-resource") && has("data-field") && has("data-value"),
            _ => true,
        };
        assert!(
            ok,
            "{name}: {kind} element lacks attributes: {:?}",
            n.attributes().collect::<Vec<_>>()
        );
    }
    doc
}

fn of_kind<'a, 'i>(doc: &'a roxmltree::Document<'i>, kind: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.attribute("data-kind") == Some(kind))
        .collect()
}

fn num(n: &roxmltree::Node, a: &str) -> f64 {
    n.attribute(a)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn legend(doc: &roxmltree::Document) -> BTreeSet<String> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("legend"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

#[test]
fn slides_of_the_lessons_show_them() {
    let mut pngs = 0;
    for name in [
        "rate_limited_client",
        "naive_fanout_rate_limited",
        "cpu_misuse",
        "hybrid_blocking_pool",
        "join_vs_spawn",
    ] {
        let (sc, trace) = run_named(name);
        let svg = slide::render(&slide_of(&sc, &trace));
        let doc = check_slide(name, &svg);
        let lesson: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("lesson"))
            .filter_map(|n| n.text())
            .collect();
        assert!(
            !lesson.is_empty() && slide::first_sentence(&sc.about).starts_with(lesson[0]),
            "{name}: {lesson:?}"
        );
        let legend = legend(&doc);
        match name {
            "rate_limited_client" => {
                // Collapsed, the group reads as at most ten waiting for the permit, five
                // held: the semaphore track never holds more than its five permits.
                let waiting = of_kind(&doc, "group")
                    .into_iter()
                    .filter(|n| n.attribute("data-wait") == Some("permit"))
                    .map(|n| num(&n, "data-value"))
                    .fold(0.0, f64::max);
                assert!((9.5..=10.0).contains(&waiting), "{name}: {waiting} waiting");
                let held = of_kind(&doc, "resource")
                    .into_iter()
                    .filter(|n| n.attribute("data-resource") == Some("semaphore api"))
                    .filter(|n| n.attribute("data-field") == Some("held"))
                    .map(|n| num(&n, "data-value"))
                    .fold(0.0, f64::max);
                assert_eq!(held, 5.0, "{name}");
                assert_eq!(
                    of_kind(&doc, "capacity").len(),
                    1,
                    "{name}: the permits' line"
                );
                assert!(
                    legend.contains("waiting for a permit"),
                    "{name}: {legend:?}"
                );
                assert!(legend.contains("sleeping"), "{name}: {legend:?}");
            }
            "naive_fanout_rate_limited" => {
                let refused = of_kind(&doc, "resource")
                    .into_iter()
                    .filter(|n| n.attribute("data-field") == Some("429"))
                    .map(|n| num(&n, "data-value"))
                    .fold(0.0, f64::max);
                assert!(
                    refused >= 5.0,
                    "{name}: {refused} refused in flight at most"
                );
                assert!(
                    legend.contains("request refused (429)"),
                    "{name}: {legend:?}"
                );
            }
            "cpu_misuse" => {
                // Each crunch poll is 300 ms wide on the 1520 px plot of the whole run.
                let px_300_ms = 300e6 / trace.end_ns() as f64 * PLOT_W;
                let wide = of_kind(&doc, "poll")
                    .into_iter()
                    .filter(|n| n.attribute("data-group") == Some("crunch"))
                    .map(|n| num(&n, "width"))
                    .filter(|w| *w > 0.97 * px_300_ms)
                    .count();
                assert_eq!(wide, 2, "{name}: two 300 ms polls");
                // The heartbeat waits for its timer, by name.
                let beat: BTreeSet<_> = of_kind(&doc, "state")
                    .into_iter()
                    .filter(|n| n.attribute("data-group") == Some("heartbeat"))
                    .filter_map(|n| n.attribute("data-wait"))
                    .collect();
                assert_eq!(beat, BTreeSet::from(["timer"]), "{name}");
            }
            "hybrid_blocking_pool" => {
                let lanes: BTreeMap<_, _> = doc
                    .descendants()
                    .filter(|n| n.attribute("class") == Some("label"))
                    .filter_map(|n| n.text())
                    .filter(|t| t.starts_with("blocking-"))
                    .map(|t| (t.to_string(), ()))
                    .collect();
                assert_eq!(lanes.len(), 4, "{name}: the pool's four threads: {lanes:?}");
                let pool = of_kind(&doc, "resource")
                    .into_iter()
                    .filter(|n| n.attribute("data-resource") == Some("blocking pool"))
                    .filter(|n| n.attribute("data-field") == Some("running"))
                    .map(|n| num(&n, "data-value"))
                    .fold(0.0, f64::max);
                assert_eq!(pool, 4.0, "{name}");
            }
            "join_vs_spawn" => {
                // Small groups are one row per task: the five children each have theirs.
                let children: BTreeSet<_> = of_kind(&doc, "state")
                    .into_iter()
                    .filter(|n| n.attribute("data-group") == Some("child"))
                    .filter_map(|n| n.attribute("data-task"))
                    .collect();
                assert_eq!(children.len(), 5, "{name}");
            }
            _ => unreachable!(),
        }
        if pngs == 0 {
            let png = png_from_svg(&svg, 2.0).expect("renders");
            assert_eq!(
                &png[16..24],
                &[0, 0, 0x0f, 0, 0, 0, 0x08, 0x70],
                "3840×2160"
            );
            pngs += 1;
        }
    }
}

#[test]
fn a_comparison_slide_stacks_the_runs_on_one_axis() {
    let (a_sc, a) = run_named("naive_fanout_rate_limited");
    let (b_sc, b) = run_named("rate_limited_client");
    let slide = Slide {
        title: format!("{} vs {}", a_sc.name, b_sc.name),
        lesson: slide::first_sentence(&a_sc.about),
        runs: vec![
            slide_of(&a_sc, &a).runs.remove(0),
            slide_of(&b_sc, &b).runs.remove(0),
        ],
        range_ns: None,
        lang: asyncscope::i18n::Language::English,
    };
    let svg = slide::render(&slide);
    let doc = check_slide("comparison", &svg);
    let sections: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("section"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(sections.len(), 2, "{sections:?}");
    assert!(sections[0].starts_with("[1] ") && sections[1].starts_with("[2] "));
    // One axis: the 50 ms run ends far left of the 3 s one.
    let right_edge = |run: &str| {
        doc.descendants()
            .filter(|n| {
                matches!(
                    n.attribute("data-kind"),
                    Some("resource" | "poll" | "group")
                )
            })
            .filter(|n| {
                n.ancestors()
                    .find(|a| a.attribute("data-kind") == Some("run"))
                    .and_then(|a| a.attribute("data-run"))
                    == Some(run)
            })
            .map(|n| num(&n, "x") + num(&n, "width"))
            .fold(0.0, f64::max)
    };
    let (short, long) = (right_edge("1"), right_edge("2"));
    assert!(long > 1800.0, "{long}");
    assert!(short < 360.0 + 0.1 * PLOT_W, "{short}");
}

/// A slide in Chinese: its words from the catalogue, laid out with the CJK font the PNG
/// uses (no text past an edge or over another), the lesson from the file's `about_zh`.
#[test]
fn a_slide_speaks_chinese() {
    use asyncscope::i18n::Language;
    let (sc, trace) = run_named("cpu_misuse");
    let slide = Slide {
        title: sc.name_in(Language::Chinese).to_string(),
        lesson: slide::first_sentence(sc.about_zh.as_deref().expect("about_zh")),
        lang: Language::Chinese,
        ..slide_of(&sc, &trace)
    };
    let svg = slide::render(&slide);
    let doc = check_slide("cpu_misuse in Chinese", &svg);
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    let all = texts.join("\n");
    for zh in [
        "个工作线程",
        "个任务",
        "忙碌",
        "工作线程休眠",
        "异步任务里的 CPU 计算",
    ] {
        assert!(all.contains(zh), "no {zh:?} in the slide:\n{all}");
    }
    for en in [
        "worker thread",
        "busy ",
        "parked (asleep)",
        " running",
        "tasks",
    ] {
        assert!(!all.contains(en), "{en:?} in the Chinese slide:\n{all}");
    }
    assert!(!png_from_svg(&svg, 1.0).expect("the PNG draws").is_empty());
}
