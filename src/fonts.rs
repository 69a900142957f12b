//! Fonts shipped with the app. egui's default fonts (and the Ubuntu font the PNG export
//! embeds) have no CJK glyphs, nor some common symbols such as arrows; Droid Sans Fallback
//! (Apache 2.0, `assets/fonts/`) covers Chinese, Japanese and Korean and those symbols.

/// Droid Sans Fallback (Full), 4 MB.
pub static FALLBACK_TTF: &[u8] = include_bytes!("../assets/fonts/DroidSansFallbackFull.ttf");

/// egui's fonts with the fallback font after them in every family, so any glyph the
/// default fonts lack is drawn from it.
pub fn egui_fonts() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "droid-sans-fallback".to_string(),
        std::sync::Arc::new(egui::FontData::from_static(FALLBACK_TTF)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("droid-sans-fallback".to_string());
    }
    fonts
}
