//! Internal links: links that reach no page or file are warnings at their file and line
//! (`folio check`), and `#anchors` are checked against the rendered pages only with
//! `folio check --links`.

use crate::support::{check_human, fixture, folio};

#[test]
fn broken_internal_links_are_warnings_at_their_file_and_line() {
    let run = check_human(&fixture("invalid_broken_link"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("broken-anchor"), "{}", run.stdout);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn anchors_are_checked_only_with_the_links_flag() {
    let site = fixture("invalid_broken_link");
    let run = folio(&["check", "--links", site.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let anchors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("warning[content/broken-anchor]"))
        .collect();
    // `#the-team`, `#welcome`, `#intro`, `#top` and the navigation's `#main` are fine.
    assert_eq!(
        anchors,
        [
            "warning[content/broken-anchor]: `#outro` is not an anchor of the page `/blog/first-post/`",
            "warning[content/broken-anchor]: `#the-tema` is not an anchor of the page `/about/`",
            "warning[content/broken-anchor]: `#nowhere` is not an anchor of the page `/`",
        ],
        "{}",
        run.stdout
    );
    let at = run.stdout.find("#the-tema").expect("reported");
    insta::assert_snapshot!(&run.stdout[at..at + 300]);
}

#[test]
fn the_example_sites_have_no_broken_links_or_anchors() {
    for site in [crate::support::devrel(), crate::support::portfolio()] {
        let run = folio(&["check", "--links", site.to_str().expect("utf-8 path")]);
        assert_eq!(run.code, 0, "{}", run.stdout);
        for code in ["broken-link", "broken-anchor", "missing-image"] {
            assert!(!run.stdout.contains(code), "{}", run.stdout);
        }
    }
}

#[test]
fn a_link_broken_many_times_in_a_file_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = dir.path().join("content/pages");
    std::fs::create_dir_all(&pages).expect("mkdir");
    let body = "[a](/nowhere) [b](/nowhere) [c](/nowhere) [d](/elsewhere)\n";
    std::fs::write(
        pages.join("index.md"),
        format!("---\ntype: PostLayout\ntitle: Home\ndate: 2024-01-01\n---\n{body}"),
    )
    .expect("write");
    let run = check_human(dir.path());
    assert_eq!(
        run.stdout.matches("content/broken-link").count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("no such file (and 2 more times in this file)"),
        "{}",
        run.stdout
    );
}
