//! The failures found by breaking folio on purpose (issue 16), each reproduced: special files,
//! interrupted builds and their leftovers, `-o` mistakes, and input that used to slip through.

use crate::support::{copy_dir, folio_within, portfolio};
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A small site copied from the portfolio, in a temporary folder.
fn site_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    copy_dir(&portfolio(), &site);
    let _ = std::fs::remove_dir_all(site.join(".folio"));
    (dir, site)
}

#[cfg(unix)]
fn mkfifo(at: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(at)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", at.display());
}

#[cfg(unix)]
#[test]
fn named_pipes_and_sockets_are_reported_and_skipped_never_opened() {
    let (dir, site) = site_copy();
    mkfifo(&site.join("content/pages/blog/pipe.md"));
    mkfifo(&site.join("content/data/pipe.json"));
    mkfifo(&site.join("public/images/pipe.jpg"));
    let _socket =
        std::os::unix::net::UnixListener::bind(site.join("public/socket.txt")).expect("a socket");
    // A link to a pipe is a pipe too.
    std::os::unix::fs::symlink("pipe.md", site.join("content/pages/blog/link.md")).expect("link");

    let check = folio_within(60, &["check", path(&site)]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    for rel in [
        "content/pages/blog/pipe.md",
        "content/data/pipe.json",
        "public/images/pipe.jpg",
        "public/socket.txt",
        "content/pages/blog/link.md",
    ] {
        assert!(
            check.stdout.contains(&format!("{rel} is a ")) || check.stdout.contains(rel),
            "{rel} is not reported:\n{}",
            check.stdout
        );
    }
    assert!(check.stdout.contains("fs/special-file"), "{}", check.stdout);
    assert!(check.stdout.contains("named pipe"), "{}", check.stdout);
    assert!(check.stdout.contains("socket"), "{}", check.stdout);

    let out = dir.path().join("out");
    let build = folio_within(60, &["build", path(&site), "-o", path(&out), "--no-search"]);
    assert_eq!(build.code, 0, "{}{}", build.stdout, build.stderr);
    assert!(out.join("index.html").is_file());
    assert!(!out.join("images/pipe.jpg").exists());
    assert!(!out.join("socket.txt").exists());
}

/// `check` and `build` of `site`: their exit codes and outputs.
fn check_and_build(site: &Path, out: &Path) -> (crate::support::Run, crate::support::Run) {
    let check = folio_within(60, &["check", path(site)]);
    let build = folio_within(60, &["build", path(site), "-o", path(out), "--no-search"]);
    (check, build)
}

#[cfg(unix)]
#[test]
fn check_reports_what_build_fails_on_under_public() {
    let (dir, site) = site_copy();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "not the site's").expect("write");
    std::os::unix::fs::symlink(&outside, site.join("public/leak.txt")).expect("link");
    let (check, build) = check_and_build(&site, &dir.path().join("out"));
    assert_eq!(
        (check.code, build.code),
        (1, 1),
        "{}\n{}",
        check.stdout,
        build.stderr
    );
    assert!(check.stdout.contains("public/leak.txt"), "{}", check.stdout);
    assert!(check.stdout.contains("fs/outside-site"), "{}", check.stdout);
    std::fs::remove_file(site.join("public/leak.txt")).expect("remove");

    // An unreadable file (not testable as root, who reads it anyway).
    use std::os::unix::fs::PermissionsExt;
    let locked = site.join("public/locked.txt");
    std::fs::write(&locked, "secret").expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_err() {
        let (check, build) = check_and_build(&site, &dir.path().join("out"));
        assert_eq!((check.code, build.code), (1, 1), "{}", check.stdout);
        assert!(
            check.stdout.contains("public/locked.txt"),
            "{}",
            check.stdout
        );
    }
}
