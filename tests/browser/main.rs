//! Browser tests: every page of the shared portfolio fixture and of `examples/devrel`, built by
//! the real binary, loads in headless Chromium with no console error, no failed local request
//! and every local image decoded, with `width` and `height` attributes.
//!
//! Needs Debian's `chromium` and `chromium-driver`; skipped with a loud message without them,
//! unless `FOLIO_REQUIRE_BROWSER=1`.

mod editing;
mod editor_content;
mod editor_form;
mod editor_problems;
mod editor_publish;
mod editor_work;
mod fallbacks;
mod navigation;
mod support;

use std::time::{Duration, Instant};

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

/// Live reload end to end: a page open in the browser shows a title edited in its file without
/// anyone reloading it, and keeps its scroll position.
#[test]
fn an_edited_title_appears_without_a_manual_reload() {
    if !support::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    copy_tree(&support::devrel(), &site);
    let file = site.join("content/pages/info.md");
    let text = std::fs::read_to_string(&file).expect("info.md");
    assert!(
        text.contains("title: About the team"),
        "the fixture changed"
    );
    let server = support::dev_server(&site);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let result = async {
            client.goto(&format!("{}/info/", server.base)).await?;
            let title = client.title().await?;
            assert!(title.contains("About the team"), "{title}");
            // Wait for the live-reload connection, then scroll down a little.
            client
                .execute(
                    "return await new Promise((done) => { \
                       const s = new EventSource('/__folio/events'); \
                       s.addEventListener('hello', () => { s.close(); done(true); }); \
                       setTimeout(() => done(false), 5000); });",
                    Vec::new(),
                )
                .await?;
            let scrolled = client
                .execute(
                    "window.scrollTo(0, 200); return window.scrollY;",
                    Vec::new(),
                )
                .await?
                .as_f64()
                .unwrap_or(0.0);
            std::fs::write(
                &file,
                text.replacen("title: About the team", "title: About the live team", 1),
            )
            .expect("edit");
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let title = client.title().await.unwrap_or_default();
                if title.contains("About the live team") {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "the page still shows {title:?} 20 s after the edit"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // The scroll position is restored after the reload (on load, so poll a little).
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                let y = client
                    .execute("return window.scrollY;", Vec::new())
                    .await?
                    .as_f64()
                    .unwrap_or(0.0);
                if (y - scrolled).abs() < 2.0 {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "scroll position {y} after the reload, {scrolled} before"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok::<(), fantoccini::error::CmdError>(())
        }
        .await;
        let _ = client.close().await;
        if let Err(error) = result {
            panic!("WebDriver command failed: {error}");
        }
    });
    drop(driver);
}

#[test]
fn the_editor_saves_a_title_typed_in_place() {
    if !support::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    copy_tree(&support::devrel(), &site);
    let file = site.join("content/pages/blog/devrel-speaking-balance.md");
    let before = std::fs::read_to_string(&file).expect("the seed post");
    assert!(
        before.contains("\ntitle: DevRel Speaking Balance\n"),
        "the fixture changed"
    );
    let server = support::dev_server_with(&site, &["--edit"]);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let result = async {
            client
                .goto(&format!("{}/blog/devrel-speaking-balance/", server.base))
                .await?;
            let deadline = Instant::now() + Duration::from_secs(15);
            while client
                .execute(
                    "return document.documentElement.getAttribute('data-folio-editor');",
                    Vec::new(),
                )
                .await?
                .as_str()
                != Some("ready")
            {
                assert!(Instant::now() < deadline, "the editor did not start");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let title = client
                .find(fantoccini::Locator::Css(
                    "h1 span[data-sb-field-path=\"title\"]",
                ))
                .await?;
            title.click().await?;
            client
                .execute(
                    "const s = document.querySelector('h1 span[data-sb-field-path=\"title\"]'); \
                     const r = document.createRange(); r.selectNodeContents(s); \
                     const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); \
                     return s.isContentEditable;",
                    Vec::new(),
                )
                .await?;
            let enter = char::from(fantoccini::key::Key::Enter).to_string();
            title.send_keys(&format!("A Balanced Stage{enter}")).await?;
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let title = client.title().await.unwrap_or_default();
                // Its text as in the document (the theme's CSS shows it in capitals).
                let h1 = client
                    .execute(
                        "const h = document.querySelector('main h1'); \
                         return h ? h.textContent.trim() : '';",
                        Vec::new(),
                    )
                    .await?
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                if title.contains("A Balanced Stage") && h1 == "A Balanced Stage" {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "the page shows {title:?} / {h1:?} 20 s after saving"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok::<(), fantoccini::error::CmdError>(())
        }
        .await;
        let _ = client.close().await;
        if let Err(error) = result {
            panic!("WebDriver command failed: {error}");
        }
    });
    drop(driver);
    let after = std::fs::read_to_string(&file).expect("the seed post");
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [("title: DevRel Speaking Balance", "title: A Balanced Stage")]
    );
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(
        after,
        before.replacen(
            "\ntitle: DevRel Speaking Balance\n",
            "\ntitle: A Balanced Stage\n",
            1
        )
    );
}

pub(crate) fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable").flatten() {
        let name = entry.file_name();
        if name == "out" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

/// Search end to end, from the built files only: a word from one post, in another form than the
/// post's (`rehearsing` for `rehearse`), typed into the header's search box lists that post with
/// the word marked in its excerpt; and the client's stemmer agrees with the index's on every word
/// of the site (the index is stemmed in Rust, queries in JavaScript).
#[test]
fn searching_a_word_from_a_post_lists_that_post() {
    if !support::browser_available() {
        return;
    }
    let built = support::build(&support::devrel());
    let client_url = folio_build::search_scripts().client_url();
    assert!(
        built.out.join(&client_url[1..]).is_file(),
        "no search bundle in the build"
    );
    let base = support::serve(&built.out);
    let driver = support::start_chromedriver();
    let profile = tempfile::tempdir().expect("temporary profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let client = support::connect(&driver.url, profile.path()).await;
        let result = async {
            client.goto(&format!("{base}/info/")).await?;
            let input = client
                .find(fantoccini::Locator::Css("[data-folio-search] input"))
                .await?;
            input.click().await?;
            input.send_keys("rehearsing").await?;
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let titles = client
                    .execute(
                        "return [...document.querySelectorAll('[data-folio-search-results] a')]\
                         .map((a) => [a.textContent, a.getAttribute('href')]);",
                        Vec::new(),
                    )
                    .await?;
                let found = titles.as_array().into_iter().flatten().any(|t| {
                    t[0].as_str() == Some("Live Demos Without the Panic")
                        && t[1].as_str() == Some("/blog/live-demos-without-panic/")
                });
                if found {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "no result for the post 20 s after typing; results: {titles}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let visible = client
                .execute(
                    "return !document.querySelector('[data-folio-search-results]').hidden;",
                    Vec::new(),
                )
                .await?;
            assert_eq!(visible.as_bool(), Some(true), "the results list is shown");
            let marked = client
                .execute(
                    "return [...document.querySelectorAll('[data-folio-search-results] mark')]\
                     .map((m) => m.textContent);",
                    Vec::new(),
                )
                .await?;
            assert!(
                marked.as_array().into_iter().flatten().any(|m| m
                    .as_str()
                    .is_some_and(|m| m.to_lowercase().starts_with("rehears"))),
                "the word is marked in an excerpt: {marked}"
            );
            let words = support::site_words(&support::devrel());
            let stemmer = client_url.replace("/search.js", "/stemmer-en.js");
            let stems = client
                .execute_async(
                    &format!(
                        "const [words, done] = arguments;\
                     import('{stemmer}').then(({{ default: English }}) => {{\
                       const s = new English(); done(words.map((w) => s.stemWord(w)));\
                     }});"
                    ),
                    vec![serde_json::json!(words)],
                )
                .await?;
            let english = pagefind_stem::Stemmer::create(pagefind_stem::Algorithm::English);
            let disagree: Vec<String> = words
                .iter()
                .zip(stems.as_array().into_iter().flatten())
                .filter(|(w, js)| js.as_str() != Some(&*english.stem(w)))
                .map(|(w, js)| format!("{w}: {} in Rust, {js} in JavaScript", english.stem(w)))
                .collect();
            assert!(words.len() > 1000, "{} words", words.len());
            assert!(disagree.is_empty(), "stemmers disagree: {disagree:?}");
            Ok::<(), fantoccini::error::CmdError>(())
        }
        .await;
        let _ = client.close().await;
        if let Err(error) = result {
            panic!("WebDriver command failed: {error}");
        }
    });
    drop(driver);
}
