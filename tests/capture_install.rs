//! Installing capture, in a process of its own (nothing has run before): tokio's waker
//! clone and drop callsites are known and turned off before the first run, so the first
//! run in a process pays for them no more than the next ones.

#[test]
fn the_waker_clone_and_drop_callsites_are_off_before_the_first_run() {
    assert!(
        asyncscope::capture::install_global(),
        "the global subscriber"
    );
    assert!(
        asyncscope::capture::muted_waker_callsites() >= 2,
        "muted before any run: {}",
        asyncscope::capture::muted_waker_callsites()
    );
}
