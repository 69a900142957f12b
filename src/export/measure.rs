//! How wide a text is drawn, from the fonts the PNG export embeds (Ubuntu Light, then Droid
//! Sans Fallback for what it lacks), so a slide can place and cut its labels before anything
//! renders them. Other renderers use other sans-serif fonts: callers leave [`SLACK`] of room.

use std::sync::OnceLock;

use ttf_parser::Face;

/// How much wider than measured a text may come out in another renderer's sans-serif
/// (DejaVu Sans is about 12% wider than Ubuntu Light).
pub const SLACK: f64 = 1.15;

struct Fonts {
    faces: Vec<Face<'static>>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        faces: [
            epaint_default_fonts::UBUNTU_LIGHT,
            crate::fonts::FALLBACK_TTF,
        ]
        .into_iter()
        .filter_map(|data| Face::parse(data, 0).ok())
        .collect(),
    })
}

/// The advance width of `text` at `font_px`, in px (with no slack).
pub fn text_width(text: &str, font_px: f64) -> f64 {
    let faces = &fonts().faces;
    let mut em = 0.0;
    for c in text.chars() {
        let advance = faces.iter().find_map(|f| {
            let g = f.glyph_index(c).filter(|g| g.0 != 0)?;
            Some(f64::from(f.glyph_hor_advance(g)?) / f64::from(f.units_per_em()))
        });
        em += advance.unwrap_or(0.6);
    }
    em * font_px
}

/// `text` cut (with "…") so that, with slack, it fits `max_px` at `font_px`.
pub fn fit(text: &str, font_px: f64, max_px: f64) -> String {
    if text_width(text, font_px) * SLACK <= max_px {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    // The longest prefix that fits with its ellipsis.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&s, font_px) * SLACK <= max_px {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    format!("{}…", kept.trim_end())
}

/// `text` in lines that fit `max_px` (with slack), broken at spaces (or anywhere in a word
/// too long for a line, and between CJK characters); at most `max_lines`, the last cut with
/// "…" when the text goes on.
pub fn wrap(text: &str, font_px: f64, max_px: f64, max_lines: usize) -> Vec<String> {
    let fits = |s: &str| text_width(s, font_px) * SLACK <= max_px;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Words, where a CJK character is a word of its own.
    let mut words: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        let mut cur = String::new();
        for c in w.chars() {
            if c > '\u{2E80}' {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                words.push(format!("\u{0}{c}"));
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
    }
    for w in words {
        // A leading NUL marks a CJK word: it joins its line without a space.
        let (w, glue) = match w.strip_prefix('\u{0}') {
            Some(w) => (w.to_string(), ""),
            None => (w, " "),
        };
        let candidate = if line.is_empty() {
            w.clone()
        } else {
            format!("{line}{glue}{w}")
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line = if fits(&w) {
            w
        } else {
            fit(&w, font_px, max_px)
        };
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(fit(&format!("{rest}…"), font_px, max_px));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size_and_cover_cjk() {
        let a = text_width("worker-0", 20.0);
        assert!(a > 50.0 && a < 120.0, "{a}");
        assert!((text_width("worker-0", 40.0) - 2.0 * a).abs() < 1e-9);
        assert!(text_width("WWWW", 20.0) > text_width("iiii", 20.0));
        // CJK glyphs come from the fallback font: about one em each.
        let zh = text_width("下载任务", 20.0);
        assert!(zh > 60.0 && zh < 100.0, "{zh}");
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis_and_wrapping_keeps_every_line_inside() {
        let long = "hyper-util: connection (rt/tokio.rs:127)";
        let cut = fit(long, 20.0, 200.0);
        assert!(cut.ends_with('…') && cut.len() < long.len(), "{cut}");
        assert!(text_width(&cut, 20.0) * SLACK <= 200.0);
        assert_eq!(fit("short", 20.0, 200.0), "short");
        let text = "Awaiting many requests at once is fast: while one waits for the server, \
                    the event loop runs the others, so the whole batch takes about as long as \
                    the slowest request.";
        let lines = wrap(text, 26.0, 800.0, 2);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 26.0) * SLACK <= 800.0, "{l}");
        }
        assert_eq!(wrap("one line", 26.0, 800.0, 2), vec!["one line"]);
        let zh = wrap(&"并发请求".repeat(20), 26.0, 400.0, 3);
        assert_eq!(zh.len(), 3, "{zh:?}");
    }
}
