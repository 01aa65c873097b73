//! The default theme's rendering of posts, feeds and projects (MODEL.md §5, §6.2, §6.4), checked on the
//! built HTML of the bundled example and of the shared portfolio fixture.

use crate::support::{build_into, devrel, portfolio};
use std::path::{Path, PathBuf};

/// Build `site` into a fresh temporary folder; returns the folder (kept alive) and the output path.
fn build(site: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("site");
    let run = build_into(site, &target);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    (out, target)
}

fn read(root: &Path, url: &str) -> String {
    let file = root.join(url.trim_matches('/')).join("index.html");
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The `<main …>…</main>` element of a page (the layouts never nest another `main`).
fn main_element(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html[start..].find("</main>").expect("</main>") + start + "</main>".len();
    &html[start..end]
}

/// The part of `html` from the root of the section whose class list contains `class` to the end.
fn from_section<'a>(html: &'a str, class: &str) -> &'a str {
    let at = html
        .find(class)
        .unwrap_or_else(|| panic!("{class} in {html}"));
    let start = html[..at].rfind("<div").expect("section root div");
    &html[start..]
}

/// The hrefs of the cards with class `item_class`, in document order.
fn card_links(html: &str, item_class: &str) -> Vec<String> {
    let needle = format!("<a class=\"{item_class} block group\" href=\"");
    html.match_indices(&needle)
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').expect("closing quote")].to_string()
        })
        .collect()
}

#[test]
fn the_seed_post_renders_as_the_model_demands() {
    let (_out, root) = build(&devrel());
    let html = read(&root, "/blog/devrel-speaking-balance/");

    // Page frame: scheme and the fixed background layer (opacity 75 → 0.75).
    assert!(html.contains("<div class=\"sb-page colors-a\">"), "{html}");
    assert!(html.contains("url('/images/bg2.jpg')"), "{html}");
    assert!(html.contains("opacity: 0.75"), "{html}");

    let main = main_element(&html);
    assert!(
        main.contains("class=\"sb-layout sb-post-layout\""),
        "{main}"
    );
    // Header: date, ` | `, first and last name each in a span; then the title as the only h1.
    assert!(
        main.contains(
            "<time datetime=\"2021-11-03 00:00:00\">11-03-2021</time> | <span>Jason</span> <span>Hand</span>"
        ),
        "{main}"
    );
    assert!(main.contains("<h1>DevRel Speaking Balance</h1>"), "{main}");
    assert_eq!(main.matches("<h1").count(), 1, "{main}");
    // Media: the upload-folder prefix before the absolute URL is dropped; the featuredImage is not shown.
    assert!(
        main.contains("class=\"sb-component sb-component-block sb-component-image-block w-full\" src=\"https://picsum.photos/200/300\""),
        "{main}"
    );
    assert!(!main.contains("/images/https:"), "{main}");
    // Body: three paragraphs in the centred Markdown column.
    assert!(
        main.contains("<div class=\"sb-markdown max-w-screen-md mx-auto\">"),
        "{main}"
    );
    for start in [
        "<p>Every Developer Relations (DevRel) professional faces the classic dilemma",
        "<p>When DevRel professionals monopolize the stage",
        "<p>Ultimately, the goal isn’t about racking up personal speaking gigs",
    ] {
        assert!(main.contains(start), "{start} in {main}");
    }

    // bottomSections: Recent posts, variant-d, recentCount 2, newest first.
    let recent = from_section(main, "sb-component-recent-posts-section");
    assert!(
        recent.contains("<p class=\"text-lg sm:text-xl text-left\">Recent posts</p>"),
        "{recent}"
    );
    assert!(
        recent.contains("<div class=\"grid gap-y-12 mt-12\" data-pagefind-ignore>"),
        "variant-d list: {recent}"
    );
    assert_eq!(
        card_links(recent, "sb-post-feed-item"),
        [
            "/blog/from-talk-to-tutorial/",
            "/blog/sample-apps-that-age-well/"
        ]
    );
    assert_eq!(recent.matches("<article").count(), 2, "{recent}");
    // No section title: the card titles are h2s styled as h3, right under the page h1.
    assert_eq!(recent.matches("<h2 class=\"h3\">").count(), 2, "{recent}");
    assert_eq!(
        recent
            .matches("<div class=\"md:flex md:items-center\">")
            .count(),
        2
    );
    assert!(recent.contains("<time datetime=\"2024-02-21 00:00:00\">02-21-2024</time>"));
    assert!(recent.contains("<time datetime=\"2023-06-14 00:00:00\">06-14-2023</time>"));
    assert!(
        !recent.contains("<span>Jason</span>"),
        "showAuthor is false: {recent}"
    );
    assert_eq!(
        recent.matches("<p class=\"text-lg mt-5\">").count(),
        2,
        "excerpts"
    );
    assert_eq!(recent.matches("md:w-48").count(), 2, "thumbnails");
    assert_eq!(
        recent.matches("sb-component-image-block").count(),
        2,
        "thumbnails"
    );
    assert_eq!(
        recent
            .matches("<span class=\"sr-only\">Read more</span>")
            .count(),
        2
    );
    assert_eq!(
        recent
            .matches("sb-component-button-secondary sb-component-button-icon")
            .count(),
        2,
        "round read-more buttons"
    );
    assert_eq!(
        recent.matches("md:h-8 md:w-8").count(),
        2,
        "larger arrow in variant-d"
    );

    insta::assert_snapshot!("devrel_speaking_balance_main", main);
}

#[test]
fn the_portfolio_blog_lists_every_post_newest_first() {
    let (_out, root) = build(&portfolio());
    let html = read(&root, "/blog/");
    let main = main_element(&html);
    assert!(
        main.starts_with("<main id=\"main\" class=\"layout page-layout\">"),
        "{main}"
    );
    assert!(
        main.contains("<h1 class=\"w-full max-w-5xl text-left\">Blog</h1>"),
        "{main}"
    );
    assert_eq!(
        card_links(main, "sb-post-feed-item"),
        [
            "/blog/post-seven/",
            "/blog/post-six/",
            "/blog/post-five/",
            "/blog/post-four/",
            "/blog/post-three/",
            "/blog/post-two/",
            "/blog/post-one/",
        ]
    );
    assert_eq!(main.matches("<h2 class=\"h3\">").count(), 7);
}

#[test]
fn a_project_links_its_older_and_newer_neighbours() {
    let (_out, root) = build(&portfolio());
    let main_of = |url: &str| main_element(&read(&root, url)).to_string();
    // Dates: project-one 2021-10-15 (oldest) < project-two < project-three (newest).
    let two = main_of("/projects/project-two/");
    let nav = &two[two
        .find("<nav class=\"sb-project-nav")
        .expect("project nav")..];
    let prev = nav
        .find("href=\"/projects/project-one/\"")
        .expect("older project linked");
    let next = nav
        .find("href=\"/projects/project-three/\"")
        .expect("newer project linked");
    assert!(prev < next, "Previous (older) comes first: {nav}");
    let prev_label = nav[prev..].find("Previous project").expect("label") + prev;
    assert!(prev_label < next, "{nav}");
    assert!(nav[next..].contains("Next project"), "{nav}");

    // The newest project has only "Previous project", the oldest only "Next project".
    let three = main_of("/projects/project-three/");
    assert!(three.contains("Previous project") && !three.contains("Next project"));
    let one = main_of("/projects/project-one/");
    assert!(one.contains("Next project") && !one.contains("Previous project"));
}

/// The pager of a paginated feed marks the page being shown and links its neighbours
/// (`rel=prev/next`); page 1 stays at `/blog/`.
#[test]
fn the_pager_shows_the_current_feed_page() {
    let built =
        folio_build::build_in_memory(&crate::support::fixture("resolver"), None).expect("a site");
    let page = |path: &str| String::from_utf8(built.files[path].to_vec()).expect("utf-8");
    let current = |html: &str| {
        let at = html.find("aria-current=\"page\">").expect("a current page");
        html[at + 20..]
            .split('<')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let first = page("blog/index.html");
    assert_eq!(current(&first), "1");
    assert!(
        first.contains("href=\"/blog/page/2/\" rel=\"next\""),
        "{first}"
    );
    assert!(!first.contains("rel=\"prev\""));
    let second = page("blog/page/2/index.html");
    assert_eq!(current(&second), "2");
    assert!(second.contains("href=\"/blog/\" rel=\"prev\""), "{second}");
    assert!(second.contains("href=\"/blog/page/3/\" rel=\"next\""));
    let third = page("blog/page/3/index.html");
    assert_eq!(current(&third), "3");
    assert!(third.contains("href=\"/blog/page/2/\" rel=\"prev\""));
    assert!(!third.contains("rel=\"next\""));
}

/// Markdown between the tags of raw HTML renders, as the original's markdown-to-jsx renders it
/// (div-space/portfolio's project pages: a centred heading with a link and an image).
#[test]
fn markdown_inside_html_blocks_renders_as_the_original_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/pages/blog")).expect("mkdir");
    std::fs::write(
        site.join("content/pages/blog/a.md"),
        "---\ntype: PostLayout\ntitle: A\ndate: '2024-01-01'\n---\n\n<div style=\"text-align: center\">### [Overview](https://example.org/deck)![](https://example.org/a.jpg)</div>\n\n<pre>**kept**</pre>\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let run = crate::support::build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let post = std::fs::read_to_string(out.join("blog/a/index.html")).expect("post");
    assert!(
        post.contains("<div style=\"text-align: center\"><h3 id=\"overview\"><a href=\"https://example.org/deck\">Overview</a><img src=\"https://example.org/a.jpg\""),
        "{post}"
    );
    assert!(post.contains("<pre>**kept**</pre>"), "{post}");
}

/// A text section's `actions` (the "share this post" row real posts carry) and every CSS
/// font weight (`fontWeight: 700` is `font-bold`, `fontStyle: normal` is `not-italic`).
#[test]
fn text_section_actions_and_numeric_font_weights_render() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/pages")).expect("mkdir");
    std::fs::write(
        site.join("content/pages/index.md"),
        "---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: TextSection\n    variant: variant-a\n    title: Share this post\n    subtitle: Thanks for reading\n    actions:\n      - type: Button\n        label: Share on Bluesky\n        url: https://bsky.app/intent/compose\n        style: primary\n    styles:\n      title:\n        fontWeight: 700\n      subtitle:\n        fontStyle: normal\n        fontWeight: 600\n---\n",
    )
    .expect("write");
    let (code, json) = crate::support::check_json(&site);
    assert_eq!(json["summary"]["warnings"], 0, "{json:#}");
    assert_eq!(code, 0);
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(
        home.contains("<h2 class=\"font-bold\">Share this post</h2>"),
        "{home}"
    );
    assert!(home.contains("not-italic font-semibold"), "{home}");
    assert!(home.contains("<span>Share on Bluesky</span>"), "{home}");
    let css =
        std::fs::read_to_string(crate::support::tagged_path(&out, "assets/site.css")).expect("css");
    assert!(
        css.contains(".font-bold") && css.contains(".not-italic"),
        "the utilities exist"
    );
}

/// A footer without `styles` falls back to `py-16 px-4`, as the original's
/// `styles?.self?.padding ?? 'py-16 px-4'` (the fixture sets every field, a real site may not).
#[test]
fn a_footer_without_styles_gets_the_originals_padding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/pages")).expect("mkdir");
    std::fs::create_dir_all(site.join("content/data")).expect("mkdir");
    std::fs::write(
        site.join("content/pages/index.md"),
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    )
    .expect("write");
    std::fs::write(
        site.join("content/data/config.json"),
        r#"{"type": "Config", "footer": {"type": "Footer", "copyrightText": "(c) me"}}"#,
    )
    .expect("write");
    let out = dir.path().join("out");
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).expect("home");
    assert!(
        home.contains("<footer class=\"sb-component sb-component-footer py-16 px-4\">"),
        "{home}"
    );
}
