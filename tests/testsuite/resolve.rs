//! The resolver on the `resolver` fixture, through the library: page URLs, date order,
//! recent posts, prev/next projects, feed pagination and references (MODEL.md §1, §5).

use crate::support::fixture;
use folio_content::{load_site, recent_count, LoadedSite, Site};

fn load() -> LoadedSite {
    load_site(&fixture("resolver")).expect("the resolver fixture is a site")
}

/// The URL of the page whose file is `path`.
fn url_of(site: &Site, path: &str) -> String {
    let page = site
        .page_by_path(path)
        .unwrap_or_else(|| panic!("`{path}` is a page"));
    site.pages[page].url.clone()
}

/// The file paths of a list of page indexes.
fn paths(site: &Site, pages: &[usize]) -> Vec<String> {
    pages
        .iter()
        .map(|&i| site.pages[i].object.path.clone())
        .collect()
}

fn page_index(site: &Site, path: &str) -> usize {
    site.page_by_path(path)
        .unwrap_or_else(|| panic!("`{path}` is a page"))
}

const NEWEST_FIRST: [&str; 6] = [
    "content/pages/posts/x/index.md",
    "content/pages/blog/v1.2-notes.md",
    "content/pages/blog/a.md",
    "content/pages/thoughts/b.md",
    "content/pages/blog/lost-author.md",
    "content/pages/blog/undated.md",
];

#[test]
fn the_fixture_reports_only_the_missing_date_and_the_broken_author() {
    let loaded = load();
    let found: Vec<(&str, Option<&str>)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.file.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/broken-reference",
                Some("content/pages/blog/lost-author.md")
            ),
            (
                "content/missing-field",
                Some("content/pages/blog/undated.md")
            ),
        ],
        "{:#?}",
        loaded.diagnostics
    );
}

#[test]
fn index_files_take_their_folder_url_and_nested_folders_are_kept() {
    let site = load().site;
    assert_eq!(url_of(&site, "content/pages/index.md"), "/");
    assert_eq!(url_of(&site, "content/pages/blog/index.md"), "/blog/");
    assert_eq!(url_of(&site, "content/pages/posts/x/index.md"), "/posts/x/");
    assert_eq!(url_of(&site, "content/pages/thoughts/b.md"), "/thoughts/b/");
    assert_eq!(url_of(&site, "content/pages/blog/a.md"), "/blog/a/");
}

#[test]
fn urls_are_cut_at_the_first_dot_and_keep_their_case() {
    let site = load().site;
    assert_eq!(
        url_of(&site, "content/pages/blog/v1.2-notes.md"),
        "/blog/v1/"
    );
    assert_eq!(url_of(&site, "content/pages/About-Us.md"), "/About-Us/");
}

#[test]
fn legacy_layout_pages_keep_inner_dots_and_are_lower_cased() {
    let site = load().site;
    let page = page_index(&site, "content/pages/Legacy/Old.Page.md");
    assert!(site.pages[page].object.legacy, "a `layout:` file is legacy");
    assert_eq!(site.pages[page].url, "/legacy/old.page/");
}

#[test]
fn pages_are_sorted_by_url_and_every_url_is_unique() {
    let site = load().site;
    let urls: Vec<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    let mut sorted = urls.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(urls, sorted);
    assert_eq!(
        site.pages.len(),
        14,
        "every `.md` file of the fixture is a page"
    );
}

#[test]
fn posts_are_found_in_any_folder_sorted_newest_first_with_ties_by_path() {
    let site = load().site;
    assert_eq!(paths(&site, &site.posts), NEWEST_FIRST);
}

#[test]
fn a_full_timestamp_sorts_after_midnight_of_the_same_day() {
    let site = load().site;
    let x = &site.pages[page_index(&site, "content/pages/posts/x/index.md")].object;
    let notes = &site.pages[page_index(&site, "content/pages/blog/v1.2-notes.md")].object;
    let (x, notes) = (
        x.date.expect("the timestamp parses"),
        notes.date.expect("the date parses"),
    );
    assert_eq!(x.machine(), "2022-01-04 10:00:00");
    assert_eq!(x.iso_date(), notes.iso_date());
    assert!(x > notes);
}

#[test]
fn undated_posts_come_last() {
    let site = load().site;
    let last = *site.posts.last().expect("posts");
    assert_eq!(
        site.pages[last].object.path,
        "content/pages/blog/undated.md"
    );
    assert!(site.pages[last].object.date.is_none());
    assert!(site.posts[..site.posts.len() - 1]
        .iter()
        .all(|&p| site.pages[p].object.date.is_some()));
}

#[test]
fn projects_are_sorted_newest_first_not_by_name() {
    let site = load().site;
    assert_eq!(
        paths(&site, &site.projects),
        [
            "content/pages/projects/beta.md",
            "content/pages/projects/gamma.md",
            "content/pages/projects/alpha.md"
        ]
    );
}

#[test]
fn recent_posts_are_the_first_n_newest_and_never_more_than_exist() {
    let site = load().site;
    assert_eq!(paths(&site, site.recent_posts(2)), NEWEST_FIRST[..2]);
    assert_eq!(paths(&site, site.recent_posts(0)), Vec::<String>::new());
    assert_eq!(paths(&site, site.recent_posts(100)), NEWEST_FIRST);
    assert_eq!(
        paths(&site, site.recent_projects(1)),
        ["content/pages/projects/beta.md"]
    );
}

#[test]
fn recent_count_falls_back_to_three_when_missing_or_zero() {
    let site = load().site;
    let home = site.object("content/pages/index.md").expect("home page");
    let sections = home.data["sections"].as_array().expect("sections");
    let counts: Vec<usize> = sections
        .iter()
        .map(|s| recent_count(s.as_object().expect("a section object")))
        .collect();
    assert_eq!(counts, [3, 3, 2]);
    assert_eq!(
        paths(&site, site.recent_posts(counts[0])),
        NEWEST_FIRST[..3]
    );
}

#[test]
fn next_project_is_the_newer_neighbour_and_prev_the_older() {
    let site = load().site;
    let [beta, gamma, alpha] = ["beta", "gamma", "alpha"]
        .map(|n| page_index(&site, &format!("content/pages/projects/{n}.md")));
    let links = |i: usize| (site.pages[i].prev_project, site.pages[i].next_project);
    assert_eq!(
        links(beta),
        (Some(gamma), None),
        "the newest project has only a previous one"
    );
    assert_eq!(links(gamma), (Some(alpha), Some(beta)));
    assert_eq!(
        links(alpha),
        (None, Some(gamma)),
        "the oldest project has only a next one"
    );
}

#[test]
fn only_projects_get_prev_and_next() {
    let site = load().site;
    for page in site.pages.iter().filter(|p| !p.object.is("ProjectLayout")) {
        assert_eq!(
            (page.prev_project, page.next_project),
            (None, None),
            "{}",
            page.object.path
        );
    }
}

#[test]
fn a_paginated_feed_gets_page_routes_from_two_on() {
    let site = load().site;
    let blog = page_index(&site, "content/pages/blog/index.md");
    let pagination = site.pages[blog]
        .pagination
        .expect("`numOfPostsPerPage: 2` paginates");
    assert_eq!((pagination.per_page, pagination.pages), (2, 3));
    let routes: Vec<(usize, String)> = site
        .routes()
        .into_iter()
        .filter(|r| r.page == blog)
        .map(|r| (r.number, r.url))
        .collect();
    assert_eq!(
        routes,
        [
            (1, "/blog/".to_string()),
            (2, "/blog/page/2/".to_string()),
            (3, "/blog/page/3/".to_string())
        ]
    );
    assert!(site.routes().iter().all(|r| r.url != "/blog/page/1/"));
}

#[test]
fn each_feed_page_shows_its_slice_of_the_posts() {
    let site = load().site;
    let blog = page_index(&site, "content/pages/blog/index.md");
    assert_eq!(paths(&site, site.feed_items(blog, 1)), NEWEST_FIRST[0..2]);
    assert_eq!(paths(&site, site.feed_items(blog, 2)), NEWEST_FIRST[2..4]);
    assert_eq!(paths(&site, site.feed_items(blog, 3)), NEWEST_FIRST[4..6]);
    assert!(site.feed_items(blog, 4).is_empty());
}

#[test]
fn zero_per_page_means_one_page_with_every_item() {
    let site = load().site;
    let projects = page_index(&site, "content/pages/projects/index.md");
    assert_eq!(site.pages[projects].pagination, None);
    let routes: Vec<String> = site
        .routes()
        .into_iter()
        .filter(|r| r.page == projects)
        .map(|r| r.url)
        .collect();
    assert_eq!(routes, ["/projects/"]);
    assert_eq!(site.feed_items(projects, 1), site.projects.as_slice());
}

#[test]
fn every_page_has_exactly_one_first_route() {
    let site = load().site;
    let routes = site.routes();
    assert_eq!(routes.len(), site.pages.len() + 2, "two extra blog pages");
    for (i, page) in site.pages.iter().enumerate() {
        let first: Vec<_> = routes
            .iter()
            .filter(|r| r.page == i && r.number == 1)
            .collect();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].url, page.url);
    }
}

#[test]
fn references_resolve_to_the_referenced_object() {
    let site = load().site;
    let post = site.object("content/pages/blog/a.md").expect("post a");
    let author = post.str("author").expect("post a has an author");
    assert_eq!(author, "content/data/team/ada-lovelace.json");
    let person = site.object(author).expect("the author file is loaded");
    assert!(person.is("Person"));
    assert_eq!(person.str("firstName"), Some("Ada"));
    assert!(
        site.page_by_path(author).is_none(),
        "a Person is not a page"
    );
}

#[test]
fn a_missing_reference_is_a_warning_and_the_author_is_simply_absent() {
    let loaded = load();
    let file = "content/pages/blog/lost-author.md";
    let warning = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "content/broken-reference")
        .expect("a broken-reference diagnostic");
    assert_eq!(warning.file.as_deref(), Some(file));
    assert!(!warning.is_error(), "a broken reference is a warning");
    assert!(
        warning.message.contains("`content/data/team/nobody.json`"),
        "{}",
        warning.message
    );
    let site = loaded.site;
    assert!(site.page_by_path(file).is_some(), "the post is still built");
    let author = site
        .object(file)
        .and_then(|o| o.str("author"))
        .expect("the path is kept as written");
    assert!(site.object(author).is_none(), "and resolves to nothing");
}

/// A site with three posts and a blog feed whose front matter ends with `feed_extra`.
fn blog_with_three_posts(feed_extra: &str) -> (tempfile::TempDir, std::sync::Arc<Site>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let blog = dir.path().join("content/pages/blog");
    std::fs::create_dir_all(&blog).expect("create folders");
    std::fs::write(
        blog.join("index.md"),
        format!("---\ntype: PostFeedLayout\ntitle: Blog\n{feed_extra}---\n"),
    )
    .expect("write feed");
    for (name, date) in [
        ("p1", "2021-01-01"),
        ("p2", "2021-01-02"),
        ("p3", "2021-01-03"),
    ] {
        std::fs::write(
            blog.join(format!("{name}.md")),
            format!("---\ntype: PostLayout\ntitle: {name}\ndate: '{date}'\n---\n"),
        )
        .expect("write post");
    }
    let loaded = load_site(dir.path()).expect("a site");
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    (dir, loaded.site)
}

#[test]
fn zero_posts_per_page_or_none_at_all_means_one_blog_page_with_every_post() {
    for extra in ["numOfPostsPerPage: 0\n", ""] {
        let (_dir, site) = blog_with_three_posts(extra);
        let blog = page_index(&site, "content/pages/blog/index.md");
        assert_eq!(site.pages[blog].pagination, None, "{extra:?}");
        let routes: Vec<String> = site
            .routes()
            .into_iter()
            .filter(|r| r.page == blog)
            .map(|r| r.url)
            .collect();
        assert_eq!(routes, ["/blog/"], "{extra:?}");
        assert_eq!(site.feed_items(blog, 1).len(), 3, "{extra:?}");
    }
}

#[test]
fn a_page_size_at_or_above_the_post_count_gives_a_single_page() {
    for per_page in [3, 10] {
        let (_dir, site) = blog_with_three_posts(&format!("numOfPostsPerPage: {per_page}\n"));
        let blog = page_index(&site, "content/pages/blog/index.md");
        let pagination = site.pages[blog].pagination.expect("paginated");
        assert_eq!((pagination.per_page, pagination.pages), (per_page, 1));
        assert_eq!(site.routes().iter().filter(|r| r.page == blog).count(), 1);
        assert_eq!(
            paths(&site, site.feed_items(blog, 1)),
            [
                "content/pages/blog/p3.md",
                "content/pages/blog/p2.md",
                "content/pages/blog/p1.md"
            ]
        );
    }
}
