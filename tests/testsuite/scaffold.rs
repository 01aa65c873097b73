//! `folio init`, `folio new` and `folio schema`.

use crate::support::{check_json, folio};

#[test]
fn init_writes_the_example_and_new_adds_valid_content_beside_its_kind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("mysite");
    let site_arg = site.to_str().expect("utf-8");
    let run = folio(&["init", site_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seed = std::fs::read(site.join("content/pages/blog/devrel-speaking-balance.md"))
        .expect("seed written");
    let original = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/devrel-speaking-balance.md"
    ))
    .expect("seed");
    assert_eq!(seed, original, "the seed post is embedded byte for byte");

    for (kind, title, path) in [
        (
            "post",
            "My First Post!",
            "content/pages/blog/my-first-post.md",
        ),
        ("page", "About us", "content/pages/about-us.md"),
        (
            "project",
            "A talk: Rust at scale",
            "content/pages/talks/a-talk-rust-at-scale.md",
        ),
    ] {
        let run = folio(&["new", kind, title, site_arg]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(site.join(path).is_file(), "{path} created: {}", run.stdout);
    }
    let (code, json) = check_json(&site);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(
        json["diagnostics"].as_array().map(Vec::len),
        Some(1),
        "{json:#}"
    );
    assert_eq!(json["summary"]["pages"], 17);

    let again = folio(&["new", "post", "My First Post!", site_arg]);
    assert_eq!(again.code, 2, "never overwrites");
    let init_again = folio(&["init", site_arg]);
    assert_eq!(init_again.code, 2, "init refuses a non-empty folder");
}

#[test]
fn schema_writes_one_json_schema_per_page_and_data_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = folio(&["schema", "-o", dir.path().to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let post: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("PostLayout.schema.json")).expect("written"),
    )
    .expect("json");
    assert_eq!(post["properties"]["type"]["const"], "PostLayout");
    assert!(post["definitions"]["RecentPostsSection"]["properties"]["recentCount"].is_object());
    let count = std::fs::read_dir(dir.path()).expect("list").count();
    assert_eq!(count, 9);
}
