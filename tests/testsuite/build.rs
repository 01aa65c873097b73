//! `folio build`: output written on success, previous output kept on failure.

use crate::support::{build_into, devrel, fixture};

#[test]
fn builds_the_example_with_one_page_per_page_and_public_files() {
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("site");
    let run = build_into(&devrel(), &target);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("built 14 pages"), "{}", run.stdout);
    let post = std::fs::read_to_string(target.join("blog/devrel-speaking-balance/index.html"))
        .expect("post written");
    assert!(post.starts_with("<!doctype html>"));
    assert!(post.contains(">DevRel Speaking Balance</h1>"), "{post}");
    assert!(
        post.contains("11-03-2021</time> | <span>Jason</span> <span>Hand</span>"),
        "{post}"
    );
    assert!(target.join("images/bg2.jpg").is_file());
    assert!(target.join("index.html").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("site");
    let ok = build_into(&devrel(), &target);
    assert_eq!(ok.code, 0);
    let before = std::fs::read_to_string(target.join("index.html")).expect("written");
    let bad = build_into(&fixture("invalid_yaml"), &target);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("was left as it was"), "{}", bad.stderr);
    assert_eq!(
        std::fs::read_to_string(target.join("index.html")).expect("kept"),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .expect("list")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
}

/// Pages are written as they are rendered, so a template that fails on one post comes after
/// others are on disk: they must go with the temporary folder, not into the output.
#[test]
fn a_template_failing_halfway_leaves_the_previous_output_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    crate::support::copy_dir(&devrel(), &site);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let target = out.join("site");
    let build = || build_into(&site, &target);
    assert_eq!(build().code, 0);
    let before = std::fs::read_to_string(target.join("index.html")).expect("written");
    std::fs::create_dir(site.join("templates")).expect("mkdir");
    std::fs::write(
        site.join("templates/PostLayout.html"),
        "{{ obj.title }}{% if obj.title == 'DevRel Speaking Balance' %}{{ no_such_function() }}{% endif %}",
    )
    .expect("write");
    let bad = build();
    assert_eq!(bad.code, 1, "{}{}", bad.stdout, bad.stderr);
    assert!(bad.stderr.contains("no_such_function"), "{}", bad.stderr);
    assert!(bad.stderr.contains("was left as it was"), "{}", bad.stderr);
    assert_eq!(
        std::fs::read_to_string(target.join("index.html")).expect("kept"),
        before
    );
    assert!(
        std::fs::read_to_string(target.join("blog/docs-are-the-product/index.html"))
            .expect("kept")
            .starts_with("<!doctype html>"),
        "a post that did render is not swapped in either"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, ["site"], "no temporary folders left behind");
}

/// A one-off build frees the text of files with nothing to report before rendering; the files
/// it warns about keep theirs, so the warning still quotes the line.
#[test]
fn build_warnings_quote_their_lines() {
    let out = tempfile::tempdir().expect("tempdir");
    let run = build_into(&fixture("invalid_broken_link"), &out.path().join("site"));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let shown = format!("{}{}", run.stdout, run.stderr);
    assert!(
        shown.contains("--> content/pages/about.md:11:61"),
        "{shown}"
    );
    assert!(
        shown.contains(
            "11 |       We wrote [the slides](/files/slides.pdf), [the notes](/files/notes.pdf)"
        ),
        "{shown}"
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_build() {
    let out = tempfile::tempdir().expect("tempdir");
    std::fs::write(out.path().join("precious.txt"), "keep me").expect("write");
    let run = build_into(&devrel(), out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(out.path().join("precious.txt").is_file());
}

#[test]
fn unchanged_output_files_are_not_rewritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    crate::support::copy_dir(&devrel(), &site);
    let target = dir.path().join("out");
    let build = || {
        let run = build_into(&site, &target);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        run.stdout
    };
    let modified = |rel: &str| {
        std::fs::metadata(target.join(rel))
            .and_then(|m| m.modified())
            .expect("written")
    };
    assert!(build().contains("; 0 files unchanged)"));
    let (home, post) = ("index.html", "blog/docs-are-the-product/index.html");
    let (home_before, post_before) = (modified(home), modified(post));
    std::thread::sleep(std::time::Duration::from_millis(20));

    // A body edit changes the post's page only.
    let file = site.join("content/pages/blog/docs-are-the-product.md");
    let text = std::fs::read_to_string(&file).expect("readable");
    std::fs::write(
        &file,
        text.replacen("Ask a developer", "Ask any developer", 1),
    )
    .expect("writable");
    let second = build();
    assert!(!second.contains("; 0 files unchanged)"), "{second}");
    assert_eq!(
        modified(home),
        home_before,
        "the home page was kept as it was"
    );
    assert_ne!(modified(post), post_before, "the edited post was written");
    let page = std::fs::read_to_string(target.join(post)).expect("written");
    assert!(page.contains("Ask any developer"));
}

/// A build reports its stages as it works (what the CLI's bar shows on a terminal): the images
/// it resizes and the pages it renders, each counted up to its total.
#[test]
fn a_build_reports_its_stages_and_counts_each_to_its_total() {
    use folio_build::{build_site, BuildOptions, Progress, ProgressSink};
    use std::sync::{Arc, Mutex};
    #[derive(Default)]
    struct Recorded(Mutex<Vec<(&'static str, usize, usize)>>);
    impl Progress for Recorded {
        fn begin(&self, stage: &'static str, total: usize) {
            self.0.lock().expect("lock").push((stage, total, 0));
        }
        fn advance(&self, done: usize) {
            if let Some(last) = self.0.lock().expect("lock").last_mut() {
                last.2 += done;
            }
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    crate::support::copy_dir(&crate::support::portfolio(), &site);
    let _ = std::fs::remove_dir_all(site.join(".folio"));
    let recorded = Arc::new(Recorded::default());
    let report = build_site(&BuildOptions {
        site: site.clone(),
        output_dir: Some(dir.path().join("out")),
        base_url: None,
        search: false,
        keep_going: false,
        strict: false,
        progress: ProgressSink::to(recorded.clone()),
    })
    .expect("a build");
    assert!(report.written);
    let stages = recorded.0.lock().expect("lock").clone();
    let names: Vec<&str> = stages.iter().map(|s| s.0).collect();
    assert_eq!(
        names,
        ["loading", "images", "pages", "writing"],
        "{stages:?}"
    );
    for (stage, total, done) in &stages {
        assert_eq!(total, done, "{stage}: {stages:?}");
    }
    assert_eq!(stages[2].1, report.pages_written, "{stages:?}");
    assert!(
        stages[1].1 > 0,
        "the portfolio has images to resize: {stages:?}"
    );
}

/// A builder that builds again and again (`folio serve`) brackets each build's progress with a
/// start and a finish, so that the CLI's bar times each build from its own start and is gone
/// once it is over.
#[test]
fn each_build_of_a_server_starts_and_finishes_its_progress() {
    use folio_build::{Changed, Progress, ProgressSink, SiteBuilder};
    use std::sync::{Arc, Mutex};
    #[derive(Default)]
    struct Recorded(Mutex<Vec<&'static str>>);
    impl Progress for Recorded {
        fn begin(&self, stage: &'static str, _total: usize) {
            self.0.lock().expect("lock").push(stage);
        }
        fn advance(&self, _done: usize) {}
        fn start(&self) {
            self.0.lock().expect("lock").push("START");
        }
        fn finish(&self) {
            self.0.lock().expect("lock").push("FINISH");
        }
    }
    let recorded = Arc::new(Recorded::default());
    let mut builder = SiteBuilder::new(&crate::support::devrel(), None)
        .with_progress(ProgressSink::to(recorded.clone()));
    for _ in 0..2 {
        builder.build(Changed::Unknown).expect("a build");
    }
    let events = recorded.0.lock().expect("lock").clone();
    let builds: Vec<&[&str]> = events.split(|e| *e == "FINISH").collect();
    assert_eq!(builds.len(), 3, "two builds, each finished: {events:?}");
    for build in &builds[..2] {
        assert_eq!(build.first(), Some(&"START"), "{events:?}");
        assert!(build.contains(&"pages"), "{events:?}");
    }
    assert!(
        builds[2].is_empty(),
        "nothing after the last finish: {events:?}"
    );
}
