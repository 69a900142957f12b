//! Exported Chrome JSON read back: any text loads or is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(t) = asyncscope::export::chrome_import::parse(text) {
        let _ = asyncscope::trace::Summary::from_trace(&t);
    }
});
