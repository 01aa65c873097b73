//! Site outputs besides the pages: `folio.toml` (base URL and pagination, and its diagnostics),
//! the RSS and Atom feeds (read back with a real feed parser), `sitemap.xml`, `robots.txt`,
//! `404.html`, and `rel=prev/next` on paginated feed pages.

use crate::support::{check_human, copy_dir, devrel, fixture, tagged_path, untagged};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of `examples/devrel` in a temporary folder, with `folio.toml` when given.
fn devrel_copy(folio_toml: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("devrel");
    copy_dir(&devrel(), &site);
    if let Some(text) = folio_toml {
        std::fs::write(site.join("folio.toml"), text).expect("write folio.toml");
    }
    (dir, site)
}

/// `folio build SITE -o OUT [args]` with `URL` set to `url` (or unset); panics on failure.
fn build(site: &Path, out: &Path, args: &[&str], url: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
    command
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .args(args)
        .env("NO_COLOR", "1");
    match url {
        Some(url) => command.env("URL", url),
        None => command.env_remove("URL"),
    };
    let output = command.output().expect("folio runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "build failed:\n{text}");
    text
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn canonical(html: &str) -> Option<&str> {
    let at = html.find("<link rel=\"canonical\" href=\"")? + 28;
    html[at..].split('"').next()
}

#[test]
fn folio_toml_sets_the_base_url_and_splits_the_blog() {
    let (dir, site) = devrel_copy(Some(
        "base_url = \"https://toml.example/\"\n[pagination]\nposts_per_page = 3\n",
    ));
    let out = dir.path().join("out");
    build(&site, &out, &[], None);
    assert_eq!(
        canonical(&read(&out, "blog/index.html")),
        Some("https://toml.example/blog/")
    );
    // 7 posts, 3 per page: /blog/, /blog/page/2/, /blog/page/3/.
    assert!(out.join("blog/page/3/index.html").is_file());
    assert!(!out.join("blog/page/4").exists());
    let page2 = read(&out, "blog/page/2/index.html");
    let head = &page2[..page2.find("</head>").expect("a head")];
    assert!(
        head.contains("<link rel=\"prev\" href=\"https://toml.example/blog/\">"),
        "{head}"
    );
    assert!(
        head.contains("<link rel=\"next\" href=\"https://toml.example/blog/page/3/\">"),
        "{head}"
    );
    let first = read(&out, "blog/index.html");
    assert!(!first.contains("rel=\"prev\""));
    let last = read(&out, "blog/page/3/index.html");
    assert!(last.contains("rel=\"prev\"") && !last.contains("<link rel=\"next\""));
}

#[test]
fn a_feed_page_field_wins_over_folio_toml() {
    let (dir, site) = devrel_copy(Some("[pagination]\nposts_per_page = 3\n"));
    let blog = site.join("content/pages/blog/index.md");
    let text = std::fs::read_to_string(&blog).expect("blog");
    let text = text.replacen(
        "type: PostFeedLayout\n",
        "type: PostFeedLayout\nnumOfPostsPerPage: 0\n",
        1,
    );
    std::fs::write(&blog, text).expect("write");
    let out = dir.path().join("out");
    build(&site, &out, &["--base-url", "https://example.org"], None);
    assert!(
        !out.join("blog/page").exists(),
        "numOfPostsPerPage: 0 is one page"
    );
}

#[test]
fn the_base_url_flag_beats_the_environment_which_beats_folio_toml() {
    let (dir, site) = devrel_copy(Some("base_url = \"https://toml.example\"\n"));
    let out = dir.path().join("out");
    let cases = [
        (
            vec!["--base-url", "https://flag.example/"],
            Some("https://env.example"),
            "https://flag.example/",
        ),
        (vec![], Some("https://env.example"), "https://env.example/"),
        (vec![], None, "https://toml.example/"),
    ];
    for (args, env, expected) in cases {
        build(&site, &out, &args, env);
        assert_eq!(
            canonical(&read(&out, "index.html")),
            Some(expected),
            "{args:?} with URL={env:?}"
        );
    }
}

#[test]
fn an_invalid_base_url_on_the_command_line_stops_the_build() {
    let (dir, site) = devrel_copy(None);
    let run = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .arg(&site)
        .arg("-o")
        .arg(dir.path().join("out"))
        .args(["--base-url", "example.org"])
        .env("NO_COLOR", "1")
        .output()
        .expect("folio runs");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("config/invalid-base-url"), "{stderr}");
    assert!(stderr.contains("`--base-url`"), "{stderr}");
}

#[test]
fn invalid_folio_toml_is_reported_at_its_lines() {
    let run = check_human(&fixture("invalid_folio_toml"));
    assert_eq!(run.code, 1, "{}", run.stdout);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn feeds_carry_every_post_with_its_fields() {
    let (dir, site) = devrel_copy(None);
    let out = dir.path().join("out");
    build(&site, &out, &["--base-url", "https://example.org"], None);
    for (file, kind) in [
        ("feed.xml", feed_rs::model::FeedType::RSS2),
        ("atom.xml", feed_rs::model::FeedType::Atom),
    ] {
        let bytes = std::fs::read(out.join(file)).expect("a feed");
        let feed = feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(feed.feed_type, kind);
        assert_eq!(
            feed.title.as_ref().map(|t| t.content.as_str()),
            Some("DevRel Field Notes")
        );
        assert_eq!(feed.entries.len(), 7, "{file}: every post");
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published).collect();
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted, "{file}: newest first");
        let docs = feed
            .entries
            .iter()
            .find(|e| {
                e.title
                    .as_ref()
                    .is_some_and(|t| t.content == "Docs Are the Product")
            })
            .unwrap_or_else(|| panic!("{file}: the docs post"));
        assert_eq!(
            docs.links.first().map(|l| l.href.as_str()),
            Some("https://example.org/blog/docs-are-the-product/")
        );
        assert_eq!(
            docs.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2021-09-08T00:00:00+00:00")
        );
        let authors: Vec<_> = docs
            .authors
            .iter()
            .filter_map(|a| a.name.as_deref())
            .collect();
        assert_eq!(authors, ["Maya Okafor"], "{file}");
        let summary = docs
            .summary
            .as_ref()
            .map(|s| s.content.as_str())
            .unwrap_or_default();
        assert!(
            summary.starts_with("For a developer tool, the documentation"),
            "{file}: {summary}"
        );
        let content = docs
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .unwrap_or_default();
        assert!(
            content.contains("<h2 id=\"what-changed-when-we-gave-docs-an-owner\">"),
            "{file}: full HTML content"
        );
        assert!(
            !content.contains("href=\"/"),
            "{file}: site-relative link left"
        );
    }
    let home = read(&out, "index.html");
    assert!(home.contains(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"DevRel Field Notes (RSS)\" href=\"https://example.org/feed.xml\">"
    ));
    assert!(home.contains("type=\"application/atom+xml\""));
    assert!(read(&out, "404.html").contains("href=\"https://example.org/atom.xml\""));
}

#[test]
fn the_sitemap_lists_every_page_with_absolute_urls() {
    let (dir, site) = devrel_copy(Some("[pagination]\nposts_per_page = 4\n"));
    let out = dir.path().join("out");
    build(&site, &out, &["--base-url", "https://example.org"], None);
    let sitemap = read(&out, "sitemap.xml");
    let listed: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    let mut pages: Vec<String> = page_urls(&out, "")
        .into_iter()
        .map(|p| format!("https://example.org{p}"))
        .collect();
    pages.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, pages);
    assert!(listed.contains(&"https://example.org/blog/page/2/"));
    assert!(sitemap.contains(
        "<loc>https://example.org/blog/docs-are-the-product/</loc><lastmod>2021-09-08</lastmod>"
    ));
    // Outside a git checkout an undated page has no lastmod (a checkout's file times change
    // with every clone).
    assert!(
        sitemap.contains("<loc>https://example.org/</loc></url>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404"));
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
    );

    // In a git checkout, it is the date of the file's last commit.
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(&site)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .env("GIT_COMMITTER_DATE", "2022-03-04T05:06:07Z")
            .env("GIT_AUTHOR_DATE", "2022-03-04T05:06:07Z")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if git(&["init", "-q"]) && git(&["add", "-A"]) && git(&["commit", "-qm", "site"]) {
        build(&site, &out, &["--base-url", "https://example.org"], None);
        let sitemap = read(&out, "sitemap.xml");
        assert!(
            sitemap.contains("<loc>https://example.org/</loc><lastmod>2022-03-04</lastmod>"),
            "{sitemap}"
        );
        assert_eq!(
            sitemap.matches("<lastmod>").count(),
            listed.len(),
            "every page has a lastmod"
        );
    }
}

/// A site's own `content/pages/404.md` is its 404 page: written as `404.html`, not published
/// at `/404/`, not in the sitemap.
#[test]
fn a_sites_own_404_page_is_the_404_page() {
    let (dir, site) = devrel_copy(None);
    std::fs::write(
        site.join("content/pages/404.md"),
        "---\ntype: PageLayout\ntitle: Lost?\nsections:\n  - type: TextSection\n    title: Nothing here\n    text: Try the [blog](/blog/).\n---\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    build(&site, &out, &["--base-url", "https://example.org"], None);
    let not_found = read(&out, "404.html");
    assert!(not_found.contains("Nothing here"), "{not_found}");
    assert!(!out.join("404/index.html").exists());
    assert!(!read(&out, "sitemap.xml").contains("404"));
}

/// The URL of every `index.html` under `out`.
fn page_urls(dir: &Path, rel: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for entry in std::fs::read_dir(dir.join(rel.trim_start_matches('/')))
        .expect("list")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            urls.extend(page_urls(dir, &format!("{rel}/{name}")));
        } else if name == "index.html" {
            urls.push(format!("{rel}/"));
        }
    }
    urls
}

#[test]
fn without_a_base_url_feeds_and_sitemap_are_skipped_with_a_warning() {
    let (dir, site) = devrel_copy(None);
    let out = dir.path().join("out");
    let text = build(&site, &out, &[], None);
    assert!(text.contains("warning[build/no-base-url]"), "{text}");
    for file in ["feed.xml", "atom.xml", "sitemap.xml"] {
        assert!(
            !out.join(file).exists(),
            "{file} written without a base URL"
        );
    }
    assert_eq!(read(&out, "robots.txt"), "User-agent: *\nAllow: /\n");
    assert!(!read(&out, "index.html").contains("rel=\"alternate\""));
}

#[test]
fn the_not_found_page_is_in_the_site_look() {
    let (dir, site) = devrel_copy(None);
    let out = dir.path().join("out");
    build(&site, &out, &["--base-url", "https://example.org"], None);
    let page = read(&out, "404.html");
    assert!(page.contains("Page not found"));
    assert!(
        page.contains("sb-component-header"),
        "with the site's header"
    );
    let css = tagged_path(&out, "assets/site.css");
    let name = css.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(page.contains(&format!("/assets/{name}")), "{page}");
}

#[test]
fn folio_toml_output_dir_is_where_the_build_goes() {
    let (_dir, site) = devrel_copy(Some("output_dir = \"public_html\"\n"));
    let run = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .arg(&site)
        .env("NO_COLOR", "1")
        .env_remove("URL")
        .output()
        .expect("folio runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(site.join("public_html/index.html").is_file());
}

/// Whether `out` has a search index and its home page the search box and script.
fn has_search(out: &Path) -> (bool, bool) {
    let home = read(out, "index.html");
    let client = std::fs::read_dir(out.join("folio-search")).is_ok_and(|mut entries| {
        entries.any(|e| e.is_ok_and(|e| e.path().join("search.js").is_file()))
    });
    (
        client,
        home.contains("data-folio-search") && untagged(&home).contains("/assets/search.js"),
    )
}

#[test]
fn search_indexes_each_page_once_and_can_be_turned_off() {
    let (dir, site) = devrel_copy(None);
    let out = dir.path().join("out");
    build(&site, &out, &[], None);
    assert_eq!(has_search(&out), (true, true));
    let index: serde_json::Value =
        serde_json::from_str(&read(&out, "folio-search/index.json")).expect("index.json");
    let pages = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .count();
    assert_eq!(index["pages"], pages, "every page once: {index}");
    let folder = out
        .join("folio-search")
        .join(index["folder"].as_str().expect("folder"));
    let fragments = std::fs::read_dir(folder.join("p")).expect("p/").count();
    let per = index["fragments_per_file"]
        .as_u64()
        .expect("fragments_per_file") as usize;
    assert_eq!(
        fragments,
        pages.div_ceil(per),
        "every page's text, {per} a file"
    );
    // Lists of posts are left out: a word finds its post, not every page that lists it.
    assert!(read(&out, "blog/index.html").contains("data-pagefind-ignore>"));
    // Files named by their hash are cached for ever, each by a rule that names it exactly (or
    // its hashed folder), and nothing else is.
    let headers = read(&out, "_headers");
    let rules: Vec<&str> = headers.lines().filter(|l| l.starts_with('/')).collect();
    assert!(rules.contains(&"/folio-search/:hash/*"), "{headers}");
    for file in [
        "assets/site.css",
        "assets/search.js",
        "assets/fonts/dm-mono-latin-400-normal.woff2",
    ] {
        let path = tagged_path(&out, file);
        let rel = path
            .strip_prefix(&out)
            .expect("in out")
            .to_string_lossy()
            .into_owned();
        assert!(
            rules.contains(&format!("/{rel}").as_str()),
            "{rel}: {headers}"
        );
    }
    for rule in rules.iter().filter(|r| !r.ends_with('*')) {
        assert!(out.join(&rule[1..]).is_file(), "{rule}");
        assert_ne!(untagged(rule), *rule, "{rule} is named by its hash");
    }
    assert_eq!(
        headers
            .matches("Cache-Control: public, max-age=31536000, immutable")
            .count(),
        rules.len()
    );
    std::fs::write(
        site.join("public/_headers"),
        "/*\n  X-Frame-Options: DENY\n",
    )
    .expect("write");
    build(&site, &out, &[], None);
    assert_eq!(
        read(&out, "_headers"),
        "/*\n  X-Frame-Options: DENY\n",
        "the owner's is kept"
    );
    std::fs::remove_file(site.join("public/_headers")).expect("remove");

    build(&site, &out, &["--no-search"], None);
    assert_eq!(has_search(&out), (false, false), "--no-search");
    assert!(!read(&out, "_headers").contains("folio-search"), "no index");

    std::fs::write(site.join("folio.toml"), "search = false\n").expect("write folio.toml");
    build(&site, &out, &[], None);
    assert_eq!(has_search(&out), (false, false), "search = false");
}

/// Link previews: `og:type` (`article` for posts), `og:site_name` and `twitter:card`, and a
/// description from the page's own words when it has no `metaDescription`.
#[test]
fn pages_carry_link_preview_tags_and_a_description_in_words() {
    let out = tempfile::tempdir().expect("tempdir");
    let run = crate::support::build_into(&crate::support::portfolio(), out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let post = std::fs::read_to_string(out.path().join("blog/post-one/index.html")).expect("post");
    assert!(
        post.contains(r#"<meta property="og:type" content="article">"#),
        "{post}"
    );
    assert!(post.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    assert!(post.contains(r#"<meta property="og:site_name" content="#));
    let home = std::fs::read_to_string(out.path().join("index.html")).expect("home");
    assert!(home.contains(r#"<meta property="og:type" content="website">"#));
    let description = home
        .split("<meta name=\"description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a description");
    assert!(
        !description.contains(": ") && description.split(' ').count() > 4,
        "a sentence from the page, not `Title: Site`: {description}"
    );
}
