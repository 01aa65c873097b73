//! The starter family's category pages (`PostFeedCategoryLayout`): each lists the posts whose
//! `category` names its file, paginated like the blog, and each post links to its category.

use crate::support::{build_into, check_json, write_file};
use std::path::Path;

/// A starter-era site (`layout:`) with two categories, three posts in `news` (one per page)
/// and one post naming a category that does not exist.
pub(crate) fn category_site(root: &Path) {
    write_file(root, "content/data/config.json", r#"{"type": "Config"}"#);
    write_file(root, "folio.toml", "base_url = \"https://example.org\"\n");
    write_file(
        root,
        "content/pages/index.md",
        "---\nlayout: PageLayout\ntitle: Home\n---\n",
    );
    write_file(
        root,
        "content/pages/blog/index.md",
        "---\nlayout: PostFeedLayout\ntitle: Blog\n---\n",
    );
    write_file(
        root,
        "content/pages/blog/category/news.md",
        "---\nlayout: PostFeedCategoryLayout\ntitle: News\nnumOfPostsPerPage: 2\n---\n",
    );
    write_file(
        root,
        "content/pages/blog/category/quiet.md",
        "---\nlayout: PostFeedCategoryLayout\ntitle: Quiet\n---\n",
    );
    for (name, date, category) in [
        ("first", "2021-01-01", "content/pages/blog/category/news.md"),
        (
            "second",
            "2021-02-01",
            "content/pages/blog/category/news.md",
        ),
        ("third", "2021-03-01", "content/pages/blog/category/news.md"),
        (
            "elsewhere",
            "2021-04-01",
            "content/pages/blog/category/gone.md",
        ),
    ] {
        write_file(
            root,
            &format!("content/pages/blog/{name}.md"),
            &format!(
                "---\nlayout: PostLayout\ntitle: Post {name}\ndate: '{date}'\ncategory: {category}\n---\nBody of {name}.\n"
            ),
        );
    }
}

/// The post titles a built page lists, in order.
fn listed(html: &str) -> Vec<&str> {
    html.split(">Post ")
        .skip(1)
        .map(|rest| &rest[..rest.find('<').unwrap_or(0)])
        .collect()
}

#[test]
fn a_category_page_lists_its_posts_newest_first_and_paginates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (site, out) = (dir.path().join("site"), dir.path().join("out"));
    category_site(&site);
    let run = build_into(&site, &out);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let read =
        |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(
        listed(&read("blog/category/news/index.html")),
        ["third", "second"]
    );
    assert_eq!(
        listed(&read("blog/category/news/page/2/index.html")),
        ["first"]
    );
    assert!(listed(&read("blog/category/quiet/index.html")).is_empty());
    assert_eq!(
        listed(&read("blog/index.html")),
        ["elsewhere", "third", "second", "first"]
    );
    let post = read("blog/third/index.html");
    assert!(
        post.contains(r#"<a href="/blog/category/news/" data-sb-field-path="category">News</a>"#),
        "{post}"
    );
    assert!(
        read("sitemap.xml").contains("/blog/category/news/page/2/"),
        "every page of a category is listed in the sitemap"
    );
}

#[test]
fn a_category_naming_no_file_is_reported_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    category_site(dir.path());
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0, "a dangling category is a warning: {json:#}");
    let found: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["code"] == "content/broken-reference")
        .map(|d| (d["file"].as_str().unwrap_or_default(), d["line"].as_u64()))
        .collect();
    assert_eq!(
        found,
        [("content/pages/blog/elsewhere.md", Some(5))],
        "{json:#}"
    );
}
