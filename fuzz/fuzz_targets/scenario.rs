//! Scenario files: any text parses or gives an error that points into it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = asyncscope::scenario::parse("fuzz.toml", text) {
        let d = e.diagnostic().expect("parse errors are located");
        assert!(d.line >= 1 && d.line <= text.lines().count().max(1) + 1);
        assert!(d.column >= 1);
        let _ = e.to_string();
    }
});
