//! PNG of the SVG export, rendered with resvg at 1×, 2× or 4×. The text uses the font egui
//! ships (Ubuntu Light), with Droid Sans Fallback for what it lacks (CJK), so a machine
//! without system fonts renders the same image.

use std::io;
use std::path::Path;

use resvg::{tiny_skia, usvg};

#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("the SVG did not parse: {0}")]
    Svg(#[from] usvg::Error),
    #[error("an image of {0}×{1} px at scale {2} is too large")]
    Size(f32, f32, f32),
    #[error("could not encode the PNG: {0}")]
    Encode(String),
}

/// usvg's options with the fonts the PNG is drawn with (tests read an SVG's text boxes
/// through the same).
pub fn usvg_options() -> usvg::Options<'static> {
    let mut opt = usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    let family = db
        .faces()
        .next()
        .and_then(|f| f.families.first())
        .map(|(name, _)| name.clone());
    if let Some(family) = family {
        db.set_sans_serif_family(family);
    }
    // For the glyphs Ubuntu lacks (Chinese task names, arrows): usvg falls back to any
    // loaded face that has them.
    db.load_font_data(crate::fonts::FALLBACK_TTF.to_vec());
    opt
}

/// Renders `svg` at `scale` (1, 2, 4: pixels per SVG unit) to PNG bytes.
pub fn png_from_svg(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    let tree = usvg::Tree::from_str(svg, &usvg_options())?;
    let size = tree.size();
    let (w, h) = (size.width() * scale, size.height() * scale);
    let too_big = || PngError::Size(size.width(), size.height(), scale);
    if !(w.is_finite() && h.is_finite()) || w > 32_000.0 || h > 32_000.0 {
        return Err(too_big());
    }
    let mut pixmap =
        tiny_skia::Pixmap::new(w.ceil() as u32, h.ceil() as u32).ok_or_else(too_big)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

/// Writes the PNG to `path` atomically.
pub fn write_file(svg: &str, scale: f32, path: &Path) -> io::Result<()> {
    let png = png_from_svg(svg, scale).map_err(io::Error::other)?;
    super::write_atomic(path, |w| {
        use std::io::Write as _;
        w.write_all(&png)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_at_the_requested_scale_with_text() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="5" y="30" font-size="20" fill="#000000">asyncscope</text></svg>"##;
        for scale in [1.0, 2.0, 4.0] {
            let png = png_from_svg(svg, scale).expect("renders");
            let img = tiny_skia::Pixmap::decode_png(&png).expect("decodes");
            assert_eq!(
                (img.width(), img.height()),
                (200 * scale as u32, 50 * scale as u32)
            );
            // The text drew: some pixels are dark (the font is embedded, not looked up).
            let dark = img.pixels().iter().filter(|p| p.red() < 100).count();
            assert!(dark > 50, "{dark} dark pixels at scale {scale}");
        }
        assert!(matches!(png_from_svg("<svg", 1.0), Err(PngError::Svg(_))));
    }

    #[test]
    fn chinese_text_draws_from_the_fallback_font() {
        // Only CJK glyphs: with Ubuntu alone nothing would be drawn.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="5" y="30" font-size="20" fill="#000000">下载任务</text></svg>"##;
        let png = png_from_svg(svg, 1.0).expect("renders");
        let img = tiny_skia::Pixmap::decode_png(&png).expect("decodes");
        let dark = img.pixels().iter().filter(|p| p.red() < 100).count();
        assert!(dark > 50, "{dark} dark pixels");
    }
}
