//! Predict, then reveal: the figures a scenario's `[predict]` table asks the audience to
//! guess before the run, what the run measured for each, and where on the timeline the
//! evidence is.

use serde::{Deserialize, Serialize};

use super::model::{LaneKind, Trace};
use super::stats::Summary;
use crate::i18n::Language;
use crate::t;

/// A figure to predict. The names are the `[predict]` table's (`figures = ["wall_ms", …]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// The run's wall time, ms.
    WallMs,
    /// The most HTTP requests in flight at once.
    PeakInFlight,
    /// How late the heartbeat fired at worst, ms.
    HeartbeatLateMs,
    /// Requests refused with HTTP 429.
    Http429,
    /// The share of the scenario's task time spent waiting for a semaphore permit, %.
    PermitWaitPct,
    /// Polls over the 10 ms budget.
    SlowPolls,
    /// The longest poll on a worker, ms.
    LongestPollMs,
}

impl Figure {
    pub const ALL: [Figure; 7] = [
        Figure::WallMs,
        Figure::PeakInFlight,
        Figure::HeartbeatLateMs,
        Figure::Http429,
        Figure::PermitWaitPct,
        Figure::SlowPolls,
        Figure::LongestPollMs,
    ];

    /// The name the `[predict]` table uses.
    pub fn key(self) -> &'static str {
        match self {
            Figure::WallMs => "wall_ms",
            Figure::PeakInFlight => "peak_in_flight",
            Figure::HeartbeatLateMs => "heartbeat_late_ms",
            Figure::Http429 => "http_429",
            Figure::PermitWaitPct => "permit_wait_pct",
            Figure::SlowPolls => "slow_polls",
            Figure::LongestPollMs => "longest_poll_ms",
        }
    }

    pub fn from_key(key: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The question the card asks, in `lang`.
    pub fn question(self, l: Language) -> String {
        match self {
            Figure::WallMs => t!(l, "predict-wall-ms"),
            Figure::PeakInFlight => t!(l, "predict-peak-in-flight"),
            Figure::HeartbeatLateMs => t!(l, "predict-heartbeat-late-ms"),
            Figure::Http429 => t!(l, "predict-http-429"),
            Figure::PermitWaitPct => t!(l, "predict-permit-wait-pct"),
            Figure::SlowPolls => t!(l, "predict-slow-polls"),
            Figure::LongestPollMs => t!(l, "predict-longest-poll-ms"),
        }
    }

    /// A short name, for one line of the reveal ("wall time").
    pub fn short_name(self, l: Language) -> String {
        match self {
            Figure::WallMs => t!(l, "figure-wall-ms"),
            Figure::PeakInFlight => t!(l, "figure-peak-in-flight"),
            Figure::HeartbeatLateMs => t!(l, "figure-heartbeat-late-ms"),
            Figure::Http429 => t!(l, "figure-http-429"),
            Figure::PermitWaitPct => t!(l, "figure-permit-wait-pct"),
            Figure::SlowPolls => t!(l, "figure-slow-polls"),
            Figure::LongestPollMs => t!(l, "figure-longest-poll-ms"),
        }
    }

    /// The unit a guess and the result are in ("ms", "%", or none for counts).
    pub fn unit(self) -> &'static str {
        match self {
            Figure::WallMs | Figure::HeartbeatLateMs | Figure::LongestPollMs => "ms",
            Figure::PermitWaitPct => "%",
            Figure::PeakInFlight | Figure::Http429 | Figure::SlowPolls => "",
        }
    }

    /// What the run measured (None: the run has no such figure, e.g. no heartbeat).
    pub fn actual(self, s: &Summary) -> Option<f64> {
        match self {
            Figure::WallMs => Some(s.wall_ms),
            Figure::PeakInFlight => Some(s.http.max_in_flight as f64),
            Figure::HeartbeatLateMs => s.heartbeat_late_ms.as_ref().map(|h| h.max),
            Figure::Http429 => Some(s.http.status.get("429").copied().unwrap_or(0) as f64),
            Figure::PermitWaitPct => {
                // The scenario's own groups (library tasks are named by their spawn site).
                let groups = s.groups.iter().filter(|(n, _)| !n.contains(".rs:"));
                let (mut permit, mut total) = (0.0, 0.0);
                for (_, g) in groups {
                    permit += g.waits.get("permit").copied().unwrap_or(0.0);
                    total += g.states.values().sum::<f64>();
                }
                Some(if total > 0.0 {
                    permit * 100.0 / total
                } else {
                    0.0
                })
            }
            Figure::SlowPolls => Some(s.slow_polls as f64),
            Figure::LongestPollMs => s.longest_poll.as_ref().map(|p| p.ms),
        }
    }

    /// Where on the timeline the result shows (ns from the run's start): the whole run for
    /// its wall time, the worst tick for the heartbeat, the refused requests, the moment of
    /// the peak, the longest poll.
    pub fn evidence(self, trace: &Trace) -> (u64, u64) {
        let whole = (0, trace.wall_ns.max(trace.end_ns()).max(1));
        let found = match self {
            Figure::WallMs | Figure::PermitWaitPct => None,
            Figure::HeartbeatLateMs => trace
                .heartbeats
                .iter()
                .max_by_key(|h| h.late_ns)
                .map(|h| (h.ts_ns.saturating_sub(h.late_ns), h.ts_ns)),
            Figure::Http429 => {
                let refused = trace.http.iter().filter(|h| h.status == Some(429));
                let start = refused.clone().map(|h| h.start_ns).min();
                let end = refused.filter_map(|h| h.end_ns).max();
                start.zip(end)
            }
            Figure::PeakInFlight => peak_in_flight(trace),
            Figure::SlowPolls | Figure::LongestPollMs => trace
                .lanes
                .iter()
                .filter(|l| l.kind == LaneKind::Worker)
                .flat_map(|l| l.polls.iter())
                .max_by_key(|p| p.duration_ns())
                .map(|p| (p.start_ns, p.end_ns())),
        };
        match found {
            // A little room either side, so the evidence is not at the screen's edge.
            Some((a, b)) if b > a => {
                let pad = (b - a) / 4;
                (a.saturating_sub(pad), b + pad)
            }
            Some((a, _)) => (a.saturating_sub(1_000_000), a + 1_000_000),
            None => whole,
        }
    }
}

/// When the most requests were in flight: from the moment the peak was first reached to
/// the next request's end.
fn peak_in_flight(trace: &Trace) -> Option<(u64, u64)> {
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for h in &trace.http {
        edges.push((h.start_ns, 1));
        edges.push((h.end_ns.unwrap_or(trace.end_ns()), -1));
    }
    // Ends before starts at the same instant: a request that ended is not in flight.
    edges.sort_by_key(|&(t, d)| (t, d));
    let (mut now, mut peak, mut at) = (0i32, 0i32, None);
    for (i, &(t, d)) in edges.iter().enumerate() {
        now += d;
        if now > peak {
            peak = now;
            let until = edges[i + 1..].iter().find(|e| e.1 < 0).map_or(t, |e| e.0);
            at = Some((t, until));
        }
    }
    at
}

/// One guess the audience made before the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Guess {
    pub figure: Figure,
    pub value: f64,
}

/// A guess beside what the run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Reveal {
    pub figure: Figure,
    pub guess: Option<f64>,
    pub actual: Option<f64>,
}

impl Reveal {
    /// Each figure of `figures` with its guess (if one was typed) and the run's value.
    pub fn all(figures: &[Figure], guesses: &[Guess], s: &Summary) -> Vec<Reveal> {
        figures
            .iter()
            .map(|&figure| Reveal {
                figure,
                guess: guesses.iter().find(|g| g.figure == figure).map(|g| g.value),
                actual: figure.actual(s),
            })
            .collect()
    }

    /// The guess as shown, with its unit ("300 ms"), or "—" without one.
    pub fn guess_text(&self) -> String {
        self.guess
            .map_or_else(|| "—".to_string(), |v| with_unit(self.figure, v))
    }

    /// The result as shown, with its unit, or "not measured" in `l`.
    pub fn actual_text(&self, l: Language) -> String {
        self.actual.map_or_else(
            || t!(l, "reveal-not-measured"),
            |v| with_unit(self.figure, v),
        )
    }

    /// How far the guess was: the result over the guess ("×3.2"), or the difference when
    /// either is zero; None without both.
    pub fn off_by(&self) -> Option<String> {
        let (g, a) = (self.guess?, self.actual?);
        if g > 0.0 && a > 0.0 {
            let r = a / g;
            Some(if (0.9..=1.1).contains(&r) {
                "≈".to_string()
            } else if r >= 10.0 {
                format!("×{r:.0}")
            } else if r < 0.1 {
                format!("×{r:.2}")
            } else {
                format!("×{r:.1}")
            })
        } else {
            let sign = if a >= g { "+" } else { "-" };
            Some(format!("{sign}{}", format_value((a - g).abs())))
        }
    }
}

/// A typed guess as a number: "1,200", "1 200" and "1200 ms" all read as 1200; None for
/// anything else (an empty field is no guess).
pub fn parse_guess(text: &str) -> Option<f64> {
    let digits: String = text
        .trim()
        .trim_end_matches(|c: char| c.is_alphabetic() || c == '%' || c.is_whitespace())
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_' | '\u{a0}'))
        .collect();
    digits
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// A figure's value with its unit: "3179 ms", "50.1 %", "5".
pub fn with_unit(f: Figure, v: f64) -> String {
    match f.unit() {
        "" => format_value(v),
        unit => format!("{} {unit}", format_value(v)),
    }
}

/// A figure's value as the card shows it: whole numbers without decimals, small ones with
/// one.
pub fn format_value(v: f64) -> String {
    if v.abs() >= 100.0 || v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_read_as_people_type_them() {
        assert_eq!(parse_guess("1200"), Some(1200.0));
        assert_eq!(parse_guess(" 1,200 "), Some(1200.0));
        assert_eq!(parse_guess("1 200 ms"), Some(1200.0));
        assert_eq!(parse_guess("2.5"), Some(2.5));
        assert_eq!(parse_guess("40%"), Some(40.0));
        assert_eq!(parse_guess(""), None);
        assert_eq!(parse_guess("lots"), None);
        assert_eq!(parse_guess("-3"), None);
    }

    #[test]
    fn every_figure_has_a_key_that_reads_back() {
        for f in Figure::ALL {
            assert_eq!(Figure::from_key(f.key()), Some(f));
        }
        assert_eq!(Figure::from_key("wall_time"), None);
    }

    #[test]
    fn a_reveal_says_how_far_off_the_guess_was() {
        let r = |guess, actual| Reveal {
            figure: Figure::WallMs,
            guess,
            actual,
        };
        assert_eq!(
            r(Some(100.0), Some(1000.0)).off_by().as_deref(),
            Some("×10")
        );
        assert_eq!(
            r(Some(100.0), Some(320.0)).off_by().as_deref(),
            Some("×3.2")
        );
        assert_eq!(r(Some(100.0), Some(104.0)).off_by().as_deref(), Some("≈"));
        assert_eq!(
            r(Some(1000.0), Some(50.0)).off_by().as_deref(),
            Some("×0.05")
        );
        assert_eq!(r(Some(0.0), Some(12.0)).off_by().as_deref(), Some("+12"));
        assert_eq!(r(None, Some(12.0)).off_by(), None);
    }

    #[test]
    fn the_peak_in_flight_is_where_the_most_requests_overlap() {
        let mut t = Trace::new("t");
        for (start, end) in [(0, 10), (5, 20), (6, 8), (30, 40)] {
            t.http.push(crate::trace::model::HttpRequest {
                req: start,
                task: None,
                url: "/items".into(),
                start_ns: start,
                end_ns: Some(end),
                status: Some(200),
            });
        }
        // Three overlap from 6 until the first of them ends, at 8.
        assert_eq!(peak_in_flight(&t), Some((6, 8)));
    }
}
