//! Browser tests: every page of the shared portfolio fixture and of `examples/devrel`, built by
//! the real binary, loads in headless Chromium with no console error, no failed local request
//! and every local image decoded, with `width` and `height` attributes.
//!
//! Needs Debian's `chromium` and `chromium-driver`; skipped with a loud message without them,
//! unless `FOLIO_REQUIRE_BROWSER=1`.

mod support;

#[test]
fn portfolio_pages_load_cleanly() {
    if !support::browser_available() {
        return;
    }
    let report = support::check_site(&support::portfolio());
    support::assert_clean("portfolio", &report);
}

#[test]
fn devrel_pages_load_cleanly() {
    if !support::browser_available() {
        return;
    }
    let report = support::check_site(&support::devrel());
    support::assert_clean("examples/devrel", &report);
}

/// The harness itself: a hand-made output with one of each problem must be caught.
#[test]
fn harness_catches_broken_pages() {
    if !support::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    std::fs::create_dir_all(root.join("bad")).expect("folder");
    std::fs::write(
        root.join("index.html"),
        "<!doctype html><title>ok</title><link rel=\"icon\" href=\"data:,\"><img src=\"/dot.svg\" width=\"1\" height=\"1\" alt=\"\">",
    )
    .expect("write");
    std::fs::write(
        root.join("dot.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
    )
    .expect("write");
    std::fs::write(
        root.join("bad/index.html"),
        "<!doctype html><title>bad</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/missing.css\">\
         <img src=\"/missing.png\" alt=\"\"><img src=\"/dot.svg\" alt=\"\">\
         <script>throw new Error('boom')</script>",
    )
    .expect("write");
    let report = support::check_output(root);
    let errors = report.errors.join("\n");
    assert!(
        errors.lines().all(|l| l.starts_with("/bad/")),
        "the clean page was flagged:\n{errors}"
    );
    for expected in [
        "failed local request: 404 ",
        "missing.css",
        "local image did not load:",
        "missing.png",
        "console error:",
        "boom",
    ] {
        assert!(
            errors.contains(expected),
            "expected {expected:?} among:\n{errors}"
        );
    }
    assert_eq!(
        report.unsized_images.len(),
        2,
        "{:?}",
        report.unsized_images
    );
}
