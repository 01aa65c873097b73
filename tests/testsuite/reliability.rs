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

/// The `.folio-*` folders beside `out`.
fn leftovers_beside(out: &Path) -> Vec<String> {
    std::fs::read_dir(out.parent().expect("a parent"))
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".folio-"))
        .collect()
}

#[test]
fn unsafe_output_folders_are_refused_naming_the_setting() {
    let (dir, site) = site_copy();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "keep me").expect("write");
    let cases = [
        (file.clone(), "which is a file"),
        (
            site.join("public/out"),
            "inside the site's `public/` folder",
        ),
        (
            site.join("content/out"),
            "inside the site's `content/` folder",
        ),
        (site.clone(), "holds the site itself"),
        (dir.path().to_path_buf(), "holds the site itself"),
        // Not there yet, and back into public/ by `..`.
        (
            site.join("nowhere/../public/x"),
            "inside the site's `public/` folder",
        ),
    ];
    for (out, why) in cases {
        let build = folio_within(60, &["build", path(&site), "-o", path(&out), "--no-search"]);
        assert_eq!(build.code, 2, "{}: {}", out.display(), build.stderr);
        let said = format!("{}{}", build.stdout, build.stderr);
        assert!(said.contains("build/unsafe-output"), "{said}");
        assert!(said.contains("`-o` names"), "{said}");
        assert!(said.contains(why), "{}: {said}", out.display());
        assert!(said.contains("build failed"), "{said}");
    }
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "keep me");
    assert!(!site.join("public/out").exists() && !site.join("content/out").exists());

    // The same from folio.toml, at its line.
    std::fs::write(
        site.join("folio.toml"),
        "search = false\noutput_dir = \"public/site\"\n",
    )
    .expect("write");
    let build = folio_within(60, &["build", path(&site)]);
    assert_eq!(build.code, 2, "{}", build.stderr);
    let said = format!("{}{}", build.stdout, build.stderr);
    assert!(said.contains("`output_dir` in folio.toml names"), "{said}");
    assert!(said.contains("folio.toml:2:1"), "{said}");
}

#[test]
fn a_swap_interrupted_midway_leaves_a_whole_output_and_the_next_build_tidies_up() {
    let (dir, site) = site_copy();
    let out = dir.path().join("out");
    let args = ["build", path(&site), "-o", path(&out), "--no-search"];
    assert_eq!(folio_within(60, &args).code, 0);
    let marker = "<!-- the first build -->";
    let index = out.join("index.html");
    let first = std::fs::read_to_string(&index).expect("read");
    std::fs::write(&index, format!("{first}{marker}")).expect("write");

    // A debug build of folio aborts in the middle of the swap when told to.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("FOLIO_TEST_ABORT_IN_SWAP", "1")
        .output()
        .expect("runs");
    assert!(!run.status.success());
    // The output is whole: this build's (swapped in one step) or the previous one.
    let now = std::fs::read_to_string(&index).expect("an output is there");
    assert!(now.contains("</html>"), "{now}");
    assert!(
        !leftovers_beside(&out).is_empty(),
        "the abort left its folder"
    );

    assert_eq!(folio_within(60, &args).code, 0);
    assert_eq!(leftovers_beside(&out), Vec::<String>::new());
    assert!(!std::fs::read_to_string(&index)
        .expect("read")
        .contains(marker));
}

/// A site with `posts` generated posts, long enough to build that a test can interrupt it.
fn large_site(posts: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, site) = site_copy();
    let body = "A paragraph of text that goes on for a while. ".repeat(40);
    for n in 0..posts {
        std::fs::write(
            site.join(format!("content/pages/blog/generated-{n}.md")),
            format!("---\ntype: PostLayout\ntitle: Post {n}\ndate: '2024-01-02'\n---\n{body}\n"),
        )
        .expect("write");
    }
    (dir, site)
}

/// Start `folio build` of `site` into `out`, and wait until its temporary folder is there.
fn start_build(site: &Path, out: &Path) -> std::process::Child {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", path(site), "-o", path(out), "--no-search"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !leftovers_beside(out)
        .iter()
        .any(|n| n.starts_with(".folio-build-"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no build folder appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child
}

#[cfg(unix)]
#[test]
fn interrupted_builds_leave_the_previous_output_and_no_leftovers() {
    let (dir, site) = large_site(3000);
    let out = dir.path().join("out");
    let args = ["build", path(&site), "-o", path(&out), "--no-search"];
    assert_eq!(folio_within(300, &args).code, 0);
    let before = std::fs::read_to_string(out.join("index.html")).expect("read");

    // SIGTERM (as `timeout` sends) and SIGINT (Ctrl-C): the build cleans up and says so.
    let mut interrupted = 0;
    for signal in ["-TERM", "-INT"] {
        let child = start_build(&site, &out);
        let status = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let run = child.wait_with_output().expect("ends");
        let stderr = String::from_utf8_lossy(&run.stderr);
        if run.status.success() {
            continue; // it finished before the signal came: nothing to clean up
        }
        interrupted += 1;
        assert!(
            stderr.contains("build failed: interrupted"),
            "{signal}: {stderr}"
        );
        assert_eq!(leftovers_beside(&out), Vec::<String>::new(), "{signal}");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("read"),
            before
        );
    }
    assert!(
        interrupted > 0,
        "every build ended before its signal: make the site larger"
    );

    // kill -9 leaves its folder; the next build of the same output removes it.
    let mut child = start_build(&site, &out);
    child.kill().expect("kill -9");
    child.wait().expect("ends");
    assert!(!leftovers_beside(&out).is_empty());
    assert_eq!(folio_within(300, &args).code, 0);
    assert_eq!(leftovers_beside(&out), Vec::<String>::new());
}

#[test]
fn cr_line_ends_bom_json_and_nul_bytes_are_read_not_dropped() {
    let (dir, site) = site_copy();
    // Classic Mac OS line ends: a page like any other.
    let page = "---\rtype: PostLayout\rtitle: Written on a Mac Classic\rdate: '2024-01-02'\r---\rThe body, on its own line.\r";
    std::fs::write(site.join("content/pages/blog/mac.md"), page).expect("write");
    // A data file with a byte-order mark (the original's JSON.parse throws on it).
    let person = site.join("content/data/person-bom.json");
    std::fs::write(
        &person,
        "\u{feff}{\"type\": \"Person\", \"firstName\": \"Bom\", \"lastName\": \"Marked\"}",
    )
    .expect("write");
    // NUL bytes in a page.
    let nul =
        "---\ntype: PostLayout\ntitle: \"Null\0byte\"\ndate: '2024-01-02'\n---\nText\0here.\n";
    std::fs::write(site.join("content/pages/blog/nul.md"), nul).expect("write");

    let check = folio_within(60, &["check", path(&site)]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        !check.stdout.contains("no-front-matter"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("content/json-bom"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("content/data/person-bom.json:1:1"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("content/nul-byte"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("content/pages/blog/nul.md:3:13"),
        "{}",
        check.stdout
    );

    let out = dir.path().join("out");
    let build = folio_within(60, &["build", path(&site), "-o", path(&out), "--no-search"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let mac = std::fs::read_to_string(out.join("blog/mac/index.html")).expect("the page");
    assert!(mac.contains("Written on a Mac Classic"), "{mac}");
    assert!(mac.contains("The body, on its own line."), "{mac}");
    let nul = std::fs::read(out.join("blog/nul/index.html")).expect("the page");
    assert!(!nul.contains(&0), "a NUL byte reached the HTML");
    assert!(String::from_utf8_lossy(&nul).contains("Text here."));
}

#[test]
fn an_unreadable_config_is_one_error_not_also_a_missing_config() {
    let (_dir, site) = site_copy();
    let config = site.join("content/data/config.json");
    let text = std::fs::read_to_string(&config).expect("the config");
    std::fs::write(&config, text.replacen('{', "{,", 1)).expect("broken");
    let check = folio_within(60, &["check", path(&site)]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains("content/data/config.json:1:2"),
        "{}",
        check.stdout
    );
    assert!(
        !check.stdout.contains("content/no-config"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_deleted_config_is_reported() {
    let (_dir, site) = site_copy();
    std::fs::remove_file(site.join("content/data/config.json")).expect("remove");
    let check = folio_within(60, &["check", path(&site)]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        check.stdout.contains("content/no-config"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("no header, footer or favicon"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_huge_value_repeated_on_every_page_is_an_error_not_gigabytes_of_output() {
    let (dir, site) = site_copy();
    let huge = "x".repeat(2 * 1024 * 1024);
    let config = site.join("content/data/config.json");
    let text = std::fs::read_to_string(&config).expect("config");
    let text = text.replacen(
        "\"title\": \"Personal\"",
        &format!("\"title\": \"{huge}\""),
        1,
    );
    std::fs::write(&config, text).expect("write config");
    let post = site.join("content/pages/blog/post-five.md");
    let text = std::fs::read_to_string(&post).expect("post");
    let text = text.replacen(
        "title: NFTs are so hot right now",
        &format!("title: {huge}"),
        1,
    );
    std::fs::write(&post, text).expect("write post");

    let check = folio_within(60, &["check", path(&site)]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    let errors: Vec<&str> = check
        .stdout
        .lines()
        .filter(|line| line.contains("content/value-too-large"))
        .collect();
    assert_eq!(errors.len(), 2, "{}", check.stdout);
    assert!(
        check.stdout.contains("content/data/config.json:8:"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("content/pages/blog/post-five.md:3:"),
        "{}",
        check.stdout
    );

    let out = dir.path().join("out");
    let build = folio_within(60, &["build", path(&site), "-o", path(&out)]);
    assert_eq!(build.code, 1, "{}", build.stdout);
    assert!(!out.exists(), "a failed build writes no output");
}

/// The diagnostics of `folio check --format json` whose code is `code`.
fn diagnostics_coded(json: &serde_json::Value, code: &str) -> Vec<serde_json::Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect()
}

#[test]
fn model_and_template_errors_point_at_their_own_line() {
    let (_dir, site) = site_copy();
    let models = site.join("models");
    std::fs::create_dir_all(&models).expect("mkdir");
    std::fs::write(
        models.join("Foo.yaml"),
        "name: Foo\nkind: object\nfields:\n  - name: a\n    type: 12\n",
    )
    .expect("write");
    std::fs::write(
        models.join("Bar.json"),
        "{\n  \"name\": \"Bar\",\n  \"kind\": \"wrong\",\n  \"fields\": []\n}\n",
    )
    .expect("write");
    std::fs::create_dir_all(site.join("templates")).expect("mkdir");
    std::fs::write(
        site.join("templates/PostLayout.html"),
        "<main>\n  {{ page.title | no_such_filter }}\n</main>\n",
    )
    .expect("write");

    let (code, json) = crate::support::check_json(&site);
    assert_eq!(code, 1, "{json}");
    let at = |d: &serde_json::Value| {
        format!(
            "{}:{}:{}",
            d["file"].as_str().unwrap_or("?"),
            d["line"],
            d["column"]
        )
    };
    let mut invalid: Vec<String> = diagnostics_coded(&json, "model/invalid-model")
        .iter()
        .map(at)
        .collect();
    invalid.sort();
    assert_eq!(
        invalid,
        ["models/Bar.json:3:11", "models/Foo.yaml:5:11"],
        "{json}"
    );

    // Every post uses the broken template: one error, at its line, counting the pages.
    let template = diagnostics_coded(&json, "render/template");
    assert_eq!(template.len(), 1, "{template:?}");
    assert_eq!(at(&template[0]), "templates/PostLayout.html:2:3");
    let label = template[0]["label"].as_str().unwrap_or_default();
    assert!(
        label.starts_with("while rendering `content/pages/blog/") && label.ends_with("more pages"),
        "{label}"
    );

    // `build` reports the same faults at the same places (a model error stops it before the
    // pages are rendered, so the template's is seen once the models are fixed).
    let out = site.parent().expect("parent").join("out");
    let build = folio_within(60, &["build", path(&site), "-o", path(&out), "--no-search"]);
    assert_eq!(build.code, 1);
    assert!(
        build.stderr.contains("--> models/Foo.yaml:5:11"),
        "{}",
        build.stderr
    );
    std::fs::remove_dir_all(&models).expect("remove");
    let build = folio_within(60, &["build", path(&site), "-o", path(&out), "--no-search"]);
    assert_eq!(build.code, 1);
    assert!(
        build.stderr.contains("--> templates/PostLayout.html:2:3"),
        "{}",
        build.stderr
    );
}
