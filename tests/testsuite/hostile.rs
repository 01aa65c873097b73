//! Hostile input: sites built at runtime that try to exhaust memory, the stack or time, or to
//! read outside the site. `folio check` must answer with a diagnostic, never a panic.

use crate::support::{folio, Run};
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// A temporary site with `files` (site-relative path → bytes).
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("content/pages")).expect("content/pages");
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("folders");
        fs::write(path, bytes).expect("write");
    }
    dir
}

fn check(dir: &Path) -> Run {
    folio(&["check", dir.to_str().expect("utf-8 path")])
}

fn check_json(dir: &Path) -> (Run, serde_json::Value) {
    let run = folio(&[
        "check",
        "--format",
        "json",
        dir.to_str().expect("utf-8 path"),
    ]);
    let json = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    (run, json)
}

fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Exit code 1, no panic, and a diagnostic whose code starts with `prefix`.
fn assert_rejected(dir: &Path, prefix: &str) -> serde_json::Value {
    let human = check(dir);
    assert_eq!(
        human.code, 1,
        "stdout: {}\nstderr: {}",
        human.stdout, human.stderr
    );
    assert!(!human.stderr.contains("panicked"), "{}", human.stderr);
    let (run, json) = check_json(dir);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let codes = codes(&json);
    assert!(codes.iter().any(|c| c.starts_with(prefix)), "{codes:?}");
    json
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let mut yaml = String::from("---\ntype: PageLayout\ntitle: Bomb\n");
    yaml.push_str("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..=9 {
        let p = level - 1;
        let items = vec![format!("*a{p}"); 10].join(", ");
        yaml.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    yaml.push_str("---\n");
    let dir = site(&[("content/pages/index.md", yaml.as_bytes())]);
    assert_rejected(dir.path(), "yaml/");
}

#[test]
fn deeply_nested_yaml_flow_lists_are_refused() {
    let depth = 20_000;
    let yaml = format!(
        "---\ntype: PageLayout\ntitle: {}{}\n---\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let dir = site(&[("content/pages/index.md", yaml.as_bytes())]);
    assert_rejected(dir.path(), "yaml/");
}

#[test]
fn deeply_nested_json_arrays_are_refused() {
    let depth = 20_000;
    let json = format!(
        "{{\"type\": \"Person\", \"bio\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let dir = site(&[
        (
            "content/pages/index.md",
            b"---\ntype: PageLayout\ntitle: Home\n---\n",
        ),
        ("content/data/team/deep.json", json.as_bytes()),
    ]);
    assert_rejected(dir.path(), "json/");
}

#[test]
fn a_40_mb_markdown_body_checks_quickly() {
    let mut page = String::from("---\ntype: PostLayout\ntitle: Long\ndate: '2021-11-03'\n---\n");
    let paragraph = "Lorem *ipsum* dolor sit amet, [consectetur](/about) adipiscing elit.\n\n";
    while page.len() < 40 * 1024 * 1024 {
        page.push_str(paragraph);
    }
    // Every paragraph links to a page that exists: 600,000 links checked, none reported.
    let about =
        b"---\ntype: PageLayout\ntitle: About\nsections:\n  - type: TextSection\n    variant: variant-a\n    text: Us.\n---\n";
    let dir = site(&[
        ("content/pages/blog/long.md", page.as_bytes()),
        ("content/pages/about.md", about),
    ]);
    let started = Instant::now();
    let run = check(dir.path());
    let elapsed = started.elapsed();
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stdout.contains("0 errors, 0 warnings"),
        "{}",
        run.stdout
    );
    // A guard against a hang, not a benchmark: check renders the 40 MB page as a build does.
    assert!(elapsed < Duration::from_secs(120), "took {elapsed:?}");
}

#[test]
fn a_binary_page_is_reported_not_parsed() {
    // Deterministic pseudo-random bytes (xorshift), with NULs and invalid UTF-8.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut bytes = vec![0u8, 0xff, 0xfe, 0];
    for _ in 0..4096 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.push(state.to_le_bytes()[0]);
    }
    let dir = site(&[("content/pages/page.md", &bytes)]);
    assert_rejected(dir.path(), "content/invalid-utf8");
}

#[test]
fn numbers_beyond_u64_are_reported() {
    let page = b"---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: FeaturedItemsSection\n    columns: 99999999999999999999999999999999\n    spacingX: 1e400\n---\n";
    let dir = site(&[("content/pages/index.md", page)]);
    let json = assert_rejected(dir.path(), "content/number-out-of-range");
    let text = json.to_string();
    assert!(text.contains("sections.0.columns"), "{json:#}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_outside_the_site_are_refused() {
    use std::os::unix::fs::symlink;
    let secret = "TOP-SECRET-OUTSIDE-CONTENT-4f1c";
    let outside = tempfile::tempdir().expect("tempdir");
    let outside_file = outside.path().join("secret.md");
    fs::write(
        &outside_file,
        format!("---\ntype: PageLayout\ntitle: {secret}\n---\n{secret}\n"),
    )
    .expect("write");
    let dir = site(&[(
        "content/pages/index.md",
        b"---\ntype: PageLayout\ntitle: Home\n---\n",
    )]);
    let pages = dir.path().join("content/pages");
    // A loop: content/pages/loop/again → content/pages/loop, and a link to itself.
    fs::create_dir_all(pages.join("loop")).expect("loop folder");
    symlink(pages.join("loop"), pages.join("loop/again")).expect("loop link");
    symlink(pages.join("self.md"), pages.join("self.md")).expect("self link");
    // Outside: a file and a folder.
    symlink(&outside_file, pages.join("leak.md")).expect("file link");
    symlink(outside.path(), pages.join("leakdir")).expect("folder link");

    let json = assert_rejected(dir.path(), "fs/outside-site");
    let human = check(dir.path());
    for output in [&human.stdout, &human.stderr, &json.to_string()] {
        assert!(!output.contains(secret), "{output}");
    }
    let codes = codes(&json);
    assert!(codes.iter().any(|c| c == "fs/broken-symlink"), "{codes:?}");
}
