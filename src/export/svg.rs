//! The timeline as SVG for slides: light theme, title, legend, time axis, one row per
//! thread lane with one element per visible poll (or merged run of sub-pixel polls); no UI
//! chrome. Uses the same viewport and level of detail as the GUI.

use crate::t;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use crate::trace::compare::{Comparison, Mark};
use crate::trace::{PollOutcome, Trace};
use crate::view::axis::{format_ns, tick_step_ns, ticks};
use crate::view::lod::{RenderItem, render_items};
use crate::view::{Viewport, group_hue, rgb_from_hsv};

#[derive(Clone, Debug)]
pub struct SvgOptions {
    /// Width of the whole image, px.
    pub width_px: f64,
    /// The time range to show (ns); None: the whole run.
    pub range_ns: Option<(u64, u64)>,
    /// The language of the subtitle and headings.
    pub lang: crate::i18n::Language,
}

impl Default for SvgOptions {
    fn default() -> Self {
        SvgOptions {
            width_px: 1600.0,
            range_ns: None,
            lang: crate::i18n::Language::English,
        }
    }
}

const MARGIN: f64 = 20.0;
const TITLE_H: f64 = 44.0;
const LEGEND_H: f64 = 26.0;
const AXIS_H: f64 = 24.0;
const LANE_H: f64 = 26.0;
const GUTTER: f64 = 110.0;
const TEXT: &str = "#222222";
const WEAK: &str = "#666666";
const GRID: &str = "#dddddd";
const LANE_BG: [&str; 2] = ["#fafafa", "#f0f0f0"];

/// A task group's colour on a light background (the SVG exports').
pub(super) fn color(group: &str) -> String {
    let [r, g, b] = rgb_from_hsv(group_hue(group), 0.65, 0.75);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// `s` escaped for XML text and attributes.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The SVG document.
pub fn render(trace: &Trace, opts: &SvgOptions) -> String {
    let (start, end) = opts.range_ns.unwrap_or((0, trace.end_ns().max(1)));
    let l = opts.lang;
    let on = match trace.runtime {
        crate::trace::Runtime::Tokio => String::new(),
        other => t!(l, "svg-on-runtime", runtime = other.as_str()),
    };
    let subtitle = t!(
        l,
        "svg-subtitle",
        on = on,
        wall = format_ns(trace.wall_ns as f64),
        from = format_ns(start as f64),
        to = format_ns(end as f64),
        polls = trace.lanes.iter().map(|l| l.polls.len()).sum::<usize>(),
        threads = trace.lanes.len()
    );
    let section = Section {
        heading: None,
        trace,
    };
    render_stack(
        &trace.scenario,
        &subtitle,
        &[section],
        (start, end),
        opts.width_px,
        None,
    )
}

/// Runs stacked on one time axis with the comparison table under them (`asyncscope
/// compare --svg`); the range is the longest run unless `opts` says otherwise.
pub fn render_compare(
    traces: &[(String, &Trace)],
    table: &Comparison,
    opts: &SvgOptions,
) -> String {
    let longest = traces.iter().map(|(_, t)| t.end_ns()).max().unwrap_or(0);
    let (start, end) = opts.range_ns.unwrap_or((0, longest.max(1)));
    let sections: Vec<Section<'_>> = traces
        .iter()
        .enumerate()
        .map(|(i, (name, t))| Section {
            heading: Some(t!(
                opts.lang,
                "compared-run",
                index = i + 1,
                name = name.as_str(),
                wall = format_ns(t.wall_ns as f64)
            )),
            trace: t,
        })
        .collect();
    let names: Vec<&str> = traces.iter().map(|(n, _)| n.as_str()).collect();
    render_stack(
        &t!(
            opts.lang,
            "svg-comparison-title",
            names = names.join(" vs ")
        ),
        &t!(
            opts.lang,
            "svg-comparison-subtitle",
            from = format_ns(start as f64),
            to = format_ns(end as f64)
        ),
        &sections,
        (start, end),
        opts.width_px,
        Some(table),
    )
}

/// One run's lanes in a picture.
struct Section<'a> {
    heading: Option<String>,
    trace: &'a Trace,
}

const SECTION_HEAD_H: f64 = 24.0;
const TABLE_ROW_H: f64 = 20.0;

fn render_stack(
    title: &str,
    subtitle: &str,
    sections: &[Section<'_>],
    (start, end): (u64, u64),
    width_px: f64,
    table: Option<&Comparison>,
) -> String {
    let plot_w = (width_px - 2.0 * MARGIN - GUTTER).max(100.0);
    let mut vp = Viewport::default();
    vp.fit(start as f64, end.max(start + 1) as f64, plot_w, 0.0);
    let x0 = MARGIN + GUTTER;
    let lanes_top = MARGIN + TITLE_H + LEGEND_H + AXIS_H;

    // Lanes first (the legend names the groups that appear).
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    let mut body = String::new();
    let mut y = lanes_top;
    for section in sections {
        if let Some(h) = &section.heading {
            // Over the grid lines, so the heading reads cleanly.
            let _ = writeln!(
                body,
                r#"<rect x="{MARGIN}" y="{y}" width="{}" height="{SECTION_HEAD_H}" fill="white"/>"#,
                GUTTER + plot_w
            );
            let _ = writeln!(
                body,
                r#"<text class="section" x="{MARGIN}" y="{}" font-size="14" font-weight="bold" fill="{TEXT}">{}</text>"#,
                y + SECTION_HEAD_H * 0.7,
                esc(h)
            );
            y += SECTION_HEAD_H;
        }
        y = lanes(
            &mut body,
            &mut groups,
            section.trace,
            &vp,
            (start, end),
            y,
            plot_w,
        );
    }
    let lanes_bottom = y;
    let table_h = table.map_or(0.0, |t| 16.0 + TABLE_ROW_H * (t.rows.len() + 1) as f64);
    let height = lanes_bottom + table_h + MARGIN;

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height}" viewBox="0 0 {width_px} {height}" font-family="sans-serif">"#,
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text class="title" x="{MARGIN}" y="{}" font-size="20" fill="{TEXT}">{}</text>"#,
        MARGIN + 20.0,
        esc(title)
    );
    let _ = writeln!(
        s,
        r#"<text x="{MARGIN}" y="{}" font-size="12" fill="{WEAK}">{}</text>"#,
        MARGIN + 38.0,
        esc(subtitle)
    );

    // Axis and grid.
    let axis_y = lanes_top - 6.0;
    let step = tick_step_ns(vp.ns_per_px, 90.0);
    for t in ticks(start as f64, end as f64, step) {
        let x = x0 + vp.x_from_time(t);
        let _ = writeln!(
            s,
            r#"<line x1="{x:.2}" y1="{}" x2="{x:.2}" y2="{lanes_bottom}" stroke="{GRID}"/>"#,
            lanes_top - 4.0,
        );
        let _ = writeln!(
            s,
            r#"<text class="tick" x="{:.2}" y="{axis_y}" font-size="11" fill="{WEAK}">{}</text>"#,
            x + 3.0,
            format_ns(t)
        );
    }
    s.push_str(&body);
    legend(&mut s, &groups);
    if let Some(t) = table {
        comparison_table(&mut s, t, lanes_bottom + 16.0, width_px);
    }
    s.push_str("</svg>\n");
    s
}

/// One row per lane of `trace` from `top`; returns the y under the last.
fn lanes(
    body: &mut String,
    groups: &mut BTreeMap<String, usize>,
    trace: &Trace,
    vp: &Viewport,
    (start, end): (u64, u64),
    top: f64,
    plot_w: f64,
) -> f64 {
    let x_of = |t: u64| MARGIN + GUTTER + vp.x_from_time(t as f64);
    let gap_ns = vp.ns_per_px.max(1.0) as u64;
    for (li, lane) in trace.lanes.iter().enumerate() {
        let y = top + li as f64 * LANE_H;
        let _ = writeln!(
            body,
            r#"<rect x="{MARGIN}" y="{y}" width="{}" height="{LANE_H}" fill="{}"/>"#,
            GUTTER + plot_w,
            LANE_BG[li % 2]
        );
        let _ = writeln!(
            body,
            r#"<text class="lane" x="{}" y="{}" font-size="13" fill="{TEXT}">{}</text>"#,
            MARGIN + 6.0,
            y + LANE_H * 0.65,
            esc(&lane.name)
        );
        let polls = lane.polls_in(start, end);
        let (bar_y, bar_h) = (y + 4.0, LANE_H - 8.0);
        for item in render_items(polls, gap_ns) {
            match item {
                RenderItem::Single(i) => {
                    let p = &polls[i];
                    let t = &trace.tasks[p.task as usize];
                    let label = trace.label(t);
                    *groups.entry(label.clone()).or_default() += 1;
                    let (a, b) = (x_of(p.start_ns.max(start)), x_of(p.end_ns().min(end)));
                    let w = (b - a).max(0.5);
                    let _ = writeln!(
                        body,
                        r#"<rect class="poll" x="{a:.2}" y="{bar_y}" width="{w:.2}" height="{bar_h}" fill="{}"><title>{} #{}: {} poll at {}, {}</title></rect>"#,
                        color(&label),
                        esc(&label),
                        t.id,
                        format_ns(p.duration_ns() as f64),
                        format_ns(p.start_ns as f64),
                        p.outcome().as_str()
                    );
                    if p.outcome() == PollOutcome::Ready && w >= 4.0 {
                        let _ = writeln!(
                            body,
                            r#"<rect class="ready-mark" x="{:.2}" y="{bar_y}" width="2" height="{bar_h}" fill="{TEXT}"/>"#,
                            a + w - 2.0
                        );
                    }
                }
                RenderItem::Merged {
                    first,
                    last,
                    start_ns,
                    end_ns,
                } => {
                    let label = trace.label(&trace.tasks[polls[first].task as usize]);
                    let (a, b) = (x_of(start_ns.max(start)), x_of(end_ns.min(end)));
                    let _ = writeln!(
                        body,
                        r#"<rect class="merged" x="{a:.2}" y="{}" width="{:.2}" height="{}" fill="{}" fill-opacity="0.55"><title>{} polls closer than a pixel</title></rect>"#,
                        bar_y + 2.0,
                        (b - a).max(0.5),
                        bar_h - 4.0,
                        color(&label),
                        last - first + 1
                    );
                }
            }
        }
    }
    top + trace.lanes.len() as f64 * LANE_H
}

/// The busiest groups, then what the marks mean.
fn legend(s: &mut String, groups: &BTreeMap<String, usize>) {
    let mut legend: Vec<(&String, &usize)> = groups.iter().collect();
    legend.sort_by(|a, b| b.1.cmp(a.1));
    let ly = MARGIN + TITLE_H + 8.0;
    let mut lx = MARGIN;
    for (name, _) in legend.into_iter().take(8) {
        // Library groups are named by spawn location: keep the end, which says the most.
        let shown: String = if name.chars().count() > 32 {
            let tail: String = name
                .chars()
                .rev()
                .take(31)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("…{tail}")
        } else {
            name.clone()
        };
        let _ = writeln!(
            s,
            r#"<rect x="{lx}" y="{ly}" width="14" height="10" fill="{}"/><text class="legend" x="{}" y="{}" font-size="12" fill="{TEXT}">{}</text>"#,
            color(name),
            lx + 18.0,
            ly + 9.5,
            esc(&shown)
        );
        lx += 32.0 + 7.2 * shown.chars().count() as f64;
    }
    let _ = writeln!(
        s,
        r#"<text class="legend" x="{lx}" y="{}" font-size="12" fill="{WEAK}">bar = one poll · dark end = Ready (task finished) · faded = polls closer than a pixel</text>"#,
        ly + 9.5
    );
}

const BETTER_BG: &str = "#d7f0d7";
const WORSE_BG: &str = "#f7d4d4";
const DIFFERS_BG: &str = "#fbecc4";

/// The comparison table: a row per figure, a column per run; highlighted cells are
/// filled (green: better than [1], red: worse, amber: different).
fn comparison_table(s: &mut String, table: &Comparison, top: f64, width_px: f64) {
    let label_w = 180.0;
    let col_w = ((width_px - 2.0 * MARGIN - label_w) / table.runs.len().max(1) as f64).min(260.0);
    let col_x = |i: usize| MARGIN + label_w + i as f64 * col_w;
    for (i, name) in table.runs.iter().enumerate() {
        let _ = writeln!(
            s,
            r#"<text class="table-head" x="{:.1}" y="{:.1}" font-size="12" font-weight="bold" fill="{TEXT}">[{}] {}</text>"#,
            col_x(i) + 6.0,
            top + TABLE_ROW_H * 0.7,
            i + 1,
            esc(name)
        );
    }
    for (r, row) in table.rows.iter().enumerate() {
        let y = top + TABLE_ROW_H * (r + 1) as f64;
        let _ = writeln!(
            s,
            r#"<rect x="{MARGIN}" y="{y:.1}" width="{:.1}" height="{TABLE_ROW_H}" fill="{}"/>"#,
            label_w + col_w * table.runs.len() as f64,
            LANE_BG[r % 2]
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{:.1}" font-size="12" fill="{TEXT}">{}</text>"#,
            MARGIN + 6.0,
            y + TABLE_ROW_H * 0.7,
            esc(&row.label)
        );
        for i in 0..table.runs.len() {
            let mark = row.marks[i];
            let fill = match mark {
                Mark::Better => Some(BETTER_BG),
                Mark::Worse => Some(WORSE_BG),
                Mark::Differs => Some(DIFFERS_BG),
                _ => None,
            };
            if let Some(fill) = fill {
                let _ = writeln!(
                    s,
                    r#"<rect class="highlight {}" x="{:.1}" y="{y:.1}" width="{col_w:.1}" height="{TABLE_ROW_H}" fill="{fill}"/>"#,
                    match mark {
                        Mark::Better => "better",
                        Mark::Worse => "worse",
                        _ => "differs",
                    },
                    col_x(i)
                );
            }
            let delta = row.delta_text_in(i, table.lang);
            let text = if delta.is_empty() {
                row.value_text(i)
            } else {
                format!("{} ({delta})", row.value_text(i))
            };
            let _ = writeln!(
                s,
                r#"<text class="cell" x="{:.1}" y="{:.1}" font-size="12" fill="{TEXT}">{}</text>"#,
                col_x(i) + 6.0,
                y + TABLE_ROW_H * 0.7,
                esc(&text)
            );
        }
    }
}

/// Writes an SVG document to `path` atomically.
pub fn save(doc: &str, path: &Path) -> io::Result<()> {
    super::write_atomic(path, |w| {
        use std::io::Write as _;
        w.write_all(doc.as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Batch, Event, EventKind};

    fn trace() -> Trace {
        let mut t = Trace::new("Demo <&>");
        let ev = |ts_ns, kind| Event { ts_ns, kind };
        let mut events = crate::trace::event::named_spawn(0, 1, "fetch").to_vec();
        // Three wide polls far apart, then five tiny ones back to back.
        for (s, e) in [
            (0, 100_000),
            (300_000, 400_000),
            (600_000, 700_000),
            (800_000, 800_010),
            (800_020, 800_030),
            (800_040, 800_050),
            (800_060, 800_070),
            (800_080, 800_090),
        ] {
            events.push(ev(s, EventKind::PollStart { task: 1 }));
            events.push(ev(e, EventKind::PollEnd { task: 1 }));
        }
        t.ingest(Batch { thread: 0, events });
        t.wall_ns = 1_000_000;
        t.finish();
        t
    }

    #[test]
    fn one_element_per_visible_poll_or_merged_span() {
        let svg = render(&trace(), &SvgOptions::default());
        let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
        let count = |class: &str| {
            doc.descendants()
                .filter(|n| n.attribute("class") == Some(class))
                .count()
        };
        assert_eq!(count("poll"), 3);
        assert_eq!(
            count("merged"),
            1,
            "the five sub-pixel polls are one element"
        );
        assert_eq!(count("lane"), 1);
        let title = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("title"))
            .and_then(|n| n.text());
        assert_eq!(title, Some("Demo <&>"), "text is escaped");
        assert!(count("tick") >= 3, "a time axis");
        assert!(
            doc.descendants()
                .any(|n| n.attribute("class") == Some("legend") && n.text() == Some("fetch"))
        );
    }

    #[test]
    fn a_range_shows_only_what_is_in_it() {
        let opts = SvgOptions {
            range_ns: Some((250_000, 450_000)),
            ..Default::default()
        };
        let svg = render(&trace(), &opts);
        let doc = roxmltree::Document::parse(&svg).expect("parses");
        let polls = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("poll"))
            .count();
        assert_eq!(polls, 1);
    }

    #[test]
    fn a_comparison_stacks_runs_on_one_axis_with_the_table() {
        let mut a = trace();
        a.wall_ns = 10_000_000;
        let mut b = trace();
        b.scenario = "Other".into();
        // Same polls at twice the time: the second run must reach twice as far right.
        for p in &mut b.lanes[0].polls {
            *p = crate::trace::PollSpan::new(p.start_ns * 2, p.end_ns() * 2, p.task, p.outcome());
        }
        b.wall_ns = 20_000_000;
        let (sa, sb) = (
            crate::trace::Summary::from_trace(&a),
            crate::trace::Summary::from_trace(&b),
        );
        let table = Comparison::new(&[("a".into(), &sa), ("b".into(), &sb)]);
        let svg = render_compare(
            &[("a".into(), &a), ("b".into(), &b)],
            &table,
            &SvgOptions::default(),
        );
        let doc = roxmltree::Document::parse(&svg).expect("parses");
        let of = |class: &str| {
            doc.descendants()
                .filter(|n| n.attribute("class") == Some(class))
                .collect::<Vec<_>>()
        };
        assert_eq!(of("section").len(), 2);
        assert_eq!(of("lane").len(), 2, "one lane per run");
        let x = |n: &roxmltree::Node| n.attribute("x").and_then(|x| x.parse::<f64>().ok());
        let polls = of("poll");
        assert_eq!(polls.len(), 6);
        // The third poll of each run: at 600 µs and at 1.2 ms on the same axis.
        let (xa, xb) = (x(&polls[2]).expect("x"), x(&polls[5]).expect("x"));
        let origin = MARGIN + GUTTER;
        assert!(
            ((xb - origin) / (xa - origin) - 2.0).abs() < 0.01,
            "{xa} {xb}"
        );
        assert_eq!(of("table-head").len(), 2);
        assert_eq!(of("cell").len(), 2 * table.rows.len());
        assert!(
            doc.descendants().any(|n| n
                .attribute("class")
                .is_some_and(|c| c.starts_with("highlight worse"))),
            "the slower wall time is highlighted"
        );
    }
}
