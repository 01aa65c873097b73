//! Incremental builds (`folio serve`'s rebuilds): after every kind of edit, a rebuild that reuses
//! the previous build's files and pages gives exactly what a build from scratch gives; and
//! reusing components between pages changes no page.

use crate::support::{copy_dir, devrel, fixture, portfolio};
use folio_build::{build_in_memory, Changed, FileBytes, SiteBuilder};
use folio_content::load_site;
use folio_render::{RenderOptions, Renderer};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

fn sorted(files: &HashMap<String, FileBytes>) -> BTreeMap<&str, &[u8]> {
    files.iter().map(|(k, v)| (k.as_str(), &**v)).collect()
}

/// Rebuild with `builder` after `changed` were written (`None`: without saying what changed),
/// and compare with a build from scratch. Returns how many pages the rebuild rendered.
fn rebuild_matches_fresh(
    builder: &mut SiteBuilder,
    site: &Path,
    changed: Option<&[&str]>,
) -> usize {
    rebuild_and_compare(builder, site, changed).0
}

/// [`rebuild_matches_fresh`], also telling whether the rebuild patched the previous site graph
/// rather than resolving every file again.
fn rebuild_and_compare(
    builder: &mut SiteBuilder,
    site: &Path,
    changed: Option<&[&str]>,
) -> (usize, bool) {
    let paths: HashSet<String> = changed
        .unwrap_or_default()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let incremental = builder
        .build(match changed {
            Some(_) => Changed::Paths(&paths),
            None => Changed::Unknown,
        })
        .expect("a site");
    let fresh = build_in_memory(site, None).expect("a site");
    assert_eq!(incremental.succeeded(), fresh.succeeded());
    let (a, b) = (sorted(&incremental.files), sorted(&fresh.files));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files after {changed:?}"
    );
    for (path, bytes) in &a {
        assert!(
            *bytes == b[path],
            "`{path}` differs from a fresh build after {changed:?}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
    let diagnostics = |d: &[folio_diag::Diagnostic]| {
        d.iter()
            .map(|d| format!("{} {:?} {:?}", d.code, d.file, d.span))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        diagnostics(&incremental.loaded.diagnostics),
        diagnostics(&fresh.loaded.diagnostics)
    );
    (incremental.rendered, incremental.loaded.patched)
}

fn edit(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains(from), "`{from}` in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("writable");
}

#[test]
fn every_kind_of_edit_rebuilds_to_what_a_fresh_build_gives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    copy_dir(&devrel(), &site);
    let mut builder = SiteBuilder::new(&site, None);
    let first = rebuild_matches_fresh(&mut builder, &site, None);
    assert_eq!(first, 14, "the first build renders every page");
    assert_eq!(
        rebuild_matches_fresh(&mut builder, &site, None),
        0,
        "nothing changed, nothing rendered"
    );
    assert_eq!(
        rebuild_matches_fresh(&mut builder, &site, Some(&[])),
        0,
        "nothing changed, nothing rendered"
    );

    let post = "content/pages/blog/docs-are-the-product.md";
    edit(&site, post, "Ask a developer", "Ask any developer");
    let (rendered, patched) = rebuild_and_compare(&mut builder, &site, Some(&[post]));
    assert_eq!(
        rendered, 1,
        "a body edit renders the post only: the feed and recent-posts cards do not show the body"
    );
    assert!(patched, "a body edit patches the site graph");

    // The same length, reported by the watcher: read again although the size is equal. The
    // title is on the post's cards, so the pages that show them are rendered too.
    edit(&site, post, "Docs Are the Product", "Docs Are the Produce");
    let (rendered, patched) = rebuild_and_compare(&mut builder, &site, Some(&[post]));
    assert!(
        patched,
        "so does a title edit (the references move, their targets do not)"
    );
    assert!(
        (2..14).contains(&rendered),
        "a title edit renders the post and the pages that show its card ({rendered})"
    );

    let steps: &[(&str, &str, &str)] = &[
        // a referenced author (a data file)
        ("content/data/team/maya-okafor.json", "\"Maya\"", "\"Maia\""),
        // a date that moves the post to the top of every recent-posts list
        (post, "date: '2021-09-08'", "date: '2030-01-01'"),
        // the site configuration (header, footer, title suffix on every page)
        (
            "content/data/config.json",
            "\"type\"",
            "\"titleSuffix\": \"Edited\", \"type\"",
        ),
        // the theme style (the stylesheet)
        (
            "content/data/style.json",
            "\"type\"",
            "\"unknownButHarmless\": 1, \"type\"",
        ),
        // a broken file: the build fails, then the fix
        (post, "type: PostLayout", "type: [PostLayout"),
        (post, "type: [PostLayout", "type: PostLayout"),
    ];
    // Which of these keep the site's shape (and so patch the graph).
    let patches = [true, false, false, false, false, false];
    for ((rel, from, to), patches) in steps.iter().zip(patches) {
        edit(&site, rel, from, to);
        let (_, patched) = rebuild_and_compare(&mut builder, &site, Some(&[rel]));
        assert_eq!(patched, patches, "{rel}: {from} → {to}");
    }

    // A new post, then its removal.
    let new_post = "content/pages/blog/a-new-post.md";
    std::fs::write(
        site.join(new_post),
        "---\ntype: PostLayout\ntitle: A New Post\ndate: '2031-01-01'\n---\nHello.\n",
    )
    .expect("writable");
    rebuild_matches_fresh(&mut builder, &site, Some(&[new_post]));
    std::fs::remove_file(site.join(new_post)).expect("removable");
    rebuild_matches_fresh(&mut builder, &site, Some(&[new_post]));

    // A new folder of posts (listed by a walk), then its removal.
    std::fs::create_dir_all(site.join("content/pages/blog/2031")).expect("folder");
    std::fs::write(
        site.join("content/pages/blog/2031/later.md"),
        "---\ntype: PostLayout\ntitle: Later\ndate: '2031-02-01'\n---\nLater.\n",
    )
    .expect("writable");
    rebuild_matches_fresh(&mut builder, &site, Some(&["content/pages/blog/2031"]));
    std::fs::remove_dir_all(site.join("content/pages/blog/2031")).expect("removable");
    rebuild_matches_fresh(&mut builder, &site, Some(&["content/pages/blog/2031"]));

    // A template of the site's own.
    std::fs::create_dir_all(site.join("templates")).expect("folder");
    std::fs::write(
        site.join("templates/Footer.html"),
        "<footer>{{ obj.copyrightText }} (site footer)</footer>",
    )
    .expect("writable");
    rebuild_matches_fresh(&mut builder, &site, Some(&["templates/Footer.html"]));
}

#[test]
fn files_whose_size_changed_are_read_again_without_being_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    copy_dir(&devrel(), &site);
    let mut builder = SiteBuilder::new(&site, None);
    rebuild_matches_fresh(&mut builder, &site, None);
    edit(
        &site,
        "content/pages/blog/docs-are-the-product.md",
        "Docs Are the Product",
        "Docs Are Really the Product",
    );
    rebuild_matches_fresh(&mut builder, &site, None);
}

/// Render every route of `site` with and without reusing components between pages.
fn assert_reuse_changes_nothing(site: &Path) {
    let loaded = load_site(site).expect("a site");
    let options = RenderOptions {
        base_url: Some("https://example.org".into()),
        stylesheet: "/assets/site.css".into(),
        editing: false,
        feeds: true,
        ..RenderOptions::default()
    };
    let (reusing, _) = Renderer::new(Arc::clone(&loaded.site), options.clone());
    let (fresh, _) = Renderer::without_reuse(Arc::clone(&loaded.site), options);
    for route in loaded.site.routes() {
        let a = reusing.render_route(&route).expect("renders");
        let b = fresh.render_route(&route).expect("renders");
        assert!(a == b, "{} differs when components are reused", route.url);
    }
}

#[test]
fn reusing_components_between_pages_changes_no_page() {
    assert_reuse_changes_nothing(&devrel());
    assert_reuse_changes_nothing(&portfolio());
    assert_reuse_changes_nothing(&fixture("resolver"));
    assert_reuse_changes_nothing(&fixture("site_types"));
}

#[test]
fn a_long_feed_is_whole_and_rebuilds_to_what_a_fresh_build_gives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    copy_dir(&devrel(), &site);
    std::fs::create_dir_all(site.join("content/pages/blog/many")).expect("folder");
    let excerpt = "A sentence that makes the card long enough to matter. ".repeat(6);
    for i in 0..150 {
        std::fs::write(
            site.join(format!("content/pages/blog/many/post-{i:03}.md")),
            format!(
                "---\ntype: PostLayout\ntitle: Many post {i:03}\ndate: '2020-01-{:02}'\n\
                 excerpt: {excerpt}\n---\nBody {i}.\n",
                i % 28 + 1
            ),
        )
        .expect("writable");
    }
    let mut builder = SiteBuilder::new(&site, None);
    rebuild_matches_fresh(&mut builder, &site, None);
    let built = build_in_memory(&site, None).expect("a site");
    let feed = String::from_utf8_lossy(&built.files["blog/index.html"]).into_owned();
    // Long enough for the cards to be held out of the templates and put in place afterwards.
    assert!(feed.len() > 128 * 1024, "{} bytes", feed.len());
    assert!(
        !feed.contains('\u{FDD0}'),
        "no placeholder is left in the page"
    );
    for i in 0..150 {
        assert_eq!(
            feed.matches(&format!(">Many post {i:03}<")).count(),
            1,
            "post {i} is listed once"
        );
    }

    let post = "content/pages/blog/many/post-042.md";
    edit(&site, post, "Body 42.", "Body forty-two.");
    assert_eq!(rebuild_matches_fresh(&mut builder, &site, Some(&[post])), 1);
    edit(&site, post, "Many post 042", "Many post 0042");
    rebuild_matches_fresh(&mut builder, &site, Some(&[post]));
}

/// Whether the last build of `builder` warns about the link `url` (built again, nothing changed).
fn warns_of_broken_link(builder: &mut SiteBuilder, url: &str) -> bool {
    let build = builder
        .build(Changed::Paths(&HashSet::new()))
        .expect("a site");
    build
        .loaded
        .diagnostics
        .iter()
        .any(|d| d.code == "content/broken-link" && d.message.contains(url))
}

#[test]
fn link_warnings_follow_the_pages_they_point_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    copy_dir(&devrel(), &site);
    let mut builder = SiteBuilder::new(&site, None);
    rebuild_matches_fresh(&mut builder, &site, None);
    let post = "content/pages/blog/docs-are-the-product.md";
    edit(
        &site,
        post,
        "Ask a developer",
        "Ask [a developer](/blog/later/)",
    );
    rebuild_matches_fresh(&mut builder, &site, Some(&[post]));
    assert!(warns_of_broken_link(&mut builder, "/blog/later/"));

    // The linking file is unchanged; the page it links to appears, then goes again.
    let later = "content/pages/blog/later.md";
    std::fs::write(
        site.join(later),
        "---\ntype: PostLayout\ntitle: Later\ndate: '2031-02-01'\n---\nLater.\n",
    )
    .expect("writable");
    rebuild_matches_fresh(&mut builder, &site, Some(&[later]));
    assert!(!warns_of_broken_link(&mut builder, "/blog/later/"));
    std::fs::remove_file(site.join(later)).expect("removable");
    rebuild_matches_fresh(&mut builder, &site, Some(&[later]));
    assert!(warns_of_broken_link(&mut builder, "/blog/later/"));
}

/// A post moved to another category leaves the first category's pages and enters the other's,
/// however the rebuild is told of the change; editing a category page's title renames its link.
#[test]
fn moving_a_post_between_categories_rebuilds_both_category_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    crate::categories::category_site(site);
    let mut builder = SiteBuilder::new(site, None);
    builder.build(Changed::Unknown).expect("a site");
    let post = "content/pages/blog/third.md";
    edit(site, post, "category/news.md", "category/quiet.md");
    assert!(rebuild_matches_fresh(&mut builder, site, Some(&[post])) > 0);
    edit(site, post, "category/quiet.md", "category/news.md");
    rebuild_matches_fresh(&mut builder, site, None);
    let category = "content/pages/blog/category/news.md";
    edit(site, category, "title: News", "title: Tidings");
    rebuild_matches_fresh(&mut builder, site, Some(&[category]));
}

/// A feed page of the site's own model (`TestimonialFeedLayout`, drawn generically) lists the
/// pages of its item model, newest first; a page added or removed later changes that list in
/// a rebuild as in a fresh build.
#[test]
fn a_generic_feed_of_the_sites_own_pages_lists_them_and_follows_new_ones() {
    use crate::support::write_file;
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    write_file(site, "content/data/config.json", r#"{"type": "Config"}"#);
    write_file(
        site,
        "content/pages/testimonials/index.md",
        "---\ntype: TestimonialFeedLayout\ntitle: What clients say\n---\n",
    );
    let testimonial = |name: &str, date: &str, body: &str| {
        write_file(
            site,
            &format!("content/pages/testimonials/{name}.md"),
            &format!("---\ntype: TestimonialLayout\ntitle: {name}\ndate: '{date}'\n---\n{body}\n"),
        );
    };
    testimonial("alan", "2024-01-01", "He rescued me when I was in need.");
    testimonial("brent", "2024-03-01", "The best of the best.");
    let mut builder = SiteBuilder::new(site, None);
    let first = builder.build(Changed::Unknown).expect("a site");
    let feed = String::from_utf8_lossy(&first.files["testimonials/index.html"]).to_string();
    let (brent, alan) = (
        feed.find(r#"href="/testimonials/brent/">brent</a>"#)
            .expect("brent"),
        feed.find(r#"href="/testimonials/alan/">alan</a>"#)
            .expect("alan"),
    );
    assert!(brent < alan, "newest first: {feed}");
    assert!(
        feed.contains("<p class=\"mt-4\">The best of the best.</p>"),
        "{feed}"
    );

    testimonial("cara", "2024-05-01", "Calm and clear.");
    rebuild_matches_fresh(
        &mut builder,
        site,
        Some(&["content/pages/testimonials/cara.md"]),
    );
    std::fs::remove_file(site.join("content/pages/testimonials/alan.md")).expect("remove");
    rebuild_matches_fresh(
        &mut builder,
        site,
        Some(&["content/pages/testimonials/alan.md"]),
    );
}
