//! Router tests, in process (`tower::ServiceExt::oneshot`) on small sites built into a
//! temporary folder.

use crate::live::{OVERLAY_ID, SCRIPT_PATH};
use crate::{router, ServerState};
use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    std::fs::write(path, text).expect("write");
}

/// A site with a home page, a post and a few public files, built once.
fn site() -> (tempfile::TempDir, Arc<ServerState>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let site = dir.path().join("site");
    write(
        &site,
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );
    write(
        &site,
        "content/pages/blog/first.md",
        "---\ntype: PostLayout\ntitle: First post\ndate: '2024-01-02'\n---\nHello.\n",
    );
    write(&site, "public/robots.txt", "User-agent: *\n");
    write(
        &site,
        "public/images/dot.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(&site, "public/.env", "SECRET=1\n");
    write(dir.path(), "secret.txt", "outside the site\n");
    let state = ServerState::new(&site, None, false);
    let report = state.rebuild();
    assert!(report.succeeded, "{}", report.terminal);
    (dir, state)
}

async fn get(state: &Arc<ServerState>, uri: &str) -> (StatusCode, String, String) {
    let request = Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request");
    let response = router(Arc::clone(state))
        .oneshot(request)
        .await
        .expect("a response");
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = to_bytes(response.into_body(), 16 << 20)
        .await
        .expect("body");
    (status, kind, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn serves_pages_stylesheet_and_public_files_with_their_content_types() {
    let (_dir, state) = site();
    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/blog/first/", "text/html; charset=utf-8"),
        ("/assets/site.css", "text/css; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/images/dot.svg", "image/svg+xml"),
        (SCRIPT_PATH, "text/javascript; charset=utf-8"),
    ];
    for (uri, expected) in cases {
        let (status, kind, _) = get(&state, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(kind, expected, "{uri}");
    }
    let (_, _, post) = get(&state, "/blog/first/").await;
    assert!(post.contains("First post"), "{post}");
}

#[tokio::test]
async fn a_folder_without_its_slash_redirects() {
    let (_dir, state) = site();
    let request = Request::builder()
        .uri("/blog/first?x=1")
        .body(Body::empty())
        .expect("request");
    let response = router(state).oneshot(request).await.expect("a response");
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.as_bytes()),
        Some(&b"/blog/first/?x=1"[..])
    );
}

#[tokio::test]
async fn unknown_urls_get_the_theme_404_page_with_status_404() {
    let (_dir, state) = site();
    let (status, kind, body) = get(&state, "/no/such/page/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(kind, "text/html; charset=utf-8");
    assert!(body.contains("Page not found"), "{body}");
    assert!(
        body.contains("/assets/site.css"),
        "in the site's look: {body}"
    );
    assert!(body.contains("data-not-found"), "{body}");
}

#[tokio::test]
async fn path_traversal_is_refused_encoded_or_not() {
    let (_dir, state) = site();
    for uri in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/images/..%5c..%5csecret.txt",
        "/a%00b",
        "/./robots.txt",
    ] {
        let (status, _, body) = get(&state, uri).await;
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND,
            "{uri}: {status}"
        );
        assert!(!body.contains("outside the site"), "{uri}");
    }
    let (status, _, body) = get(&state, "/.env").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "dot-files are not served");
    assert!(!body.contains("SECRET"));
}

#[cfg(unix)]
#[tokio::test]
async fn public_links_out_of_the_site_are_not_followed() {
    let (dir, state) = site();
    std::os::unix::fs::symlink(
        dir.path().join("secret.txt"),
        dir.path().join("site/public/leak.txt"),
    )
    .expect("link");
    let (status, _, body) = get(&state, "/leak.txt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("outside the site"));
}

#[tokio::test]
async fn html_gets_the_live_reload_script_and_other_files_do_not() {
    let (_dir, state) = site();
    let (_, _, page) = get(&state, "/blog/first/").await;
    assert!(
        page.contains(
            "<script src=\"/__folio/live.js\" data-page=\"/blog/first/\" defer></script></body>"
        ),
        "{page}"
    );
    assert!(!page.contains(OVERLAY_ID));
    let (_, _, css) = get(&state, "/assets/site.css").await;
    assert!(!css.contains("live.js"));
}

#[tokio::test]
async fn a_broken_file_does_not_hold_back_the_other_pages() {
    let (dir, state) = site();
    let root = dir.path().join("site");
    write(
        &root,
        "content/pages/blog/first.md",
        "---\ntype: PostLayout\ntitle: [broken\n---\n",
    );
    write(
        &root,
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: New home\n---\n",
    );
    let report = state.rebuild();
    assert!(!report.succeeded);
    let (status, _, home) = get(&state, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("New home"),
        "the page without errors is up to date"
    );
    assert!(home.contains(OVERLAY_ID), "with the errors shown");
    let (status, _, post) = get(&state, "/blog/first/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        post.contains("First post"),
        "the broken page keeps its last good version"
    );
}

#[tokio::test]
async fn a_broken_build_keeps_the_last_good_site_and_injects_the_overlay() {
    let (dir, state) = site();
    write(
        &dir.path().join("site"),
        "content/pages/blog/first.md",
        "---\ntype: PostLayout\ntitle: First post\ncolors: <colors-z>\nlabels: [a\n---\n",
    );
    let report = state.rebuild();
    assert!(!report.succeeded);
    let (status, _, page) = get(&state, "/blog/first/").await;
    assert_eq!(status, StatusCode::OK, "the last good page is still served");
    assert!(page.contains("First post"));
    assert!(page.contains(OVERLAY_ID), "{page}");
    assert!(page.contains("content/pages/blog/first.md:"), "{page}");
    assert!(page.contains("&lt;colors-z&gt;"), "escaped: {page}");
    assert!(!page.contains("<colors-z>"), "escaped: {page}");

    write(
        &dir.path().join("site"),
        "content/pages/blog/first.md",
        "---\ntype: PostLayout\ntitle: Fixed post\n---\n",
    );
    assert!(state.rebuild().succeeded);
    let (_, _, page) = get(&state, "/blog/first/").await;
    assert!(page.contains("Fixed post"));
    assert!(
        !page.contains(OVERLAY_ID),
        "the overlay clears on a good build"
    );
}

#[tokio::test]
async fn a_rebuild_announces_only_the_pages_that_changed() {
    let (dir, state) = site();
    let mut events = state.subscribe();
    write(
        &dir.path().join("site"),
        "content/pages/blog/first.md",
        "---\ntype: PostLayout\ntitle: First post\ndate: '2024-01-02'\n---\nHello again.\n",
    );
    let report = state.rebuild();
    assert_eq!(report.changed_pages, ["/blog/first/"]);
    let message = events.try_recv().expect("a message");
    assert_eq!(message.event, "reload");
    assert_eq!(message.data, r#"{"pages":["/blog/first/"]}"#);
}

#[tokio::test]
async fn the_search_index_is_built_on_its_first_request_and_again_after_a_rebuild() {
    let (dir, state) = site();
    assert!(
        state.snapshot().search.get().is_none(),
        "not built with the site"
    );
    let (status, kind, body) = get(&state, "/folio-search/index.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/json");
    assert!(body.contains("\"pages\":"), "{body}");
    let (status, _, _) = get(&state, &folio_build::search_scripts().client_url()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(state.snapshot().search.get().is_some());
    let pages = state.snapshot().indexer.pages_read();
    assert!(pages >= 2, "every page read the first time: {pages}");
    let report = state.rebuild();
    assert!(report.succeeded);
    assert!(
        state.snapshot().search.get().is_none(),
        "dropped by the rebuild"
    );
    // An edit: only the pages whose HTML it changed are read again.
    write(
        &dir.path().join("site"),
        "content/pages/blog/first.md",
        "---\ntype: PostLayout\ntitle: First post\ndate: '2024-01-02'\n---\nHello again.\n",
    );
    let report = state.rebuild();
    assert_eq!(report.changed_pages, ["/blog/first/"]);
    let (_, _, body) = get(&state, "/folio-search/index.json").await;
    assert!(body.contains(&format!("\"pages\":{pages}")), "{body}");
    assert_eq!(
        state.snapshot().indexer.pages_read(),
        1,
        "the edited page only"
    );
    let (status, _, _) = get(&state, "/folio-search/missing.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
