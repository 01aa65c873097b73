//! The editor's API in process: edits, conflicts, traversal, token, origin, host and size limits.

use super::Editor;
use crate::{router, ServerState};
use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use folio_build::SiteBuilder;
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const HOST: &str = "127.0.0.1:1313";
const ORIGIN: &str = "http://127.0.0.1:1313";
const POST: &str =
    "---\ntype: PostLayout\ntitle: First post # keep me\ndate: '2024-01-02'\n---\nHello.\n";

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    state: Arc<ServerState>,
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    std::fs::write(path, text).expect("write");
}

fn site() -> Site {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    write(
        &root,
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );
    write(&root, "content/pages/blog/first.md", POST);
    write(
        &root,
        "public/images/dot.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(dir.path(), "secret.md", "---\ntitle: outside\n---\n");
    let editor = Editor::with_token(TOKEN.into());
    let state = ServerState::with_editor(&root, SiteBuilder::new(&root, None), false, editor);
    assert!(state.rebuild().succeeded);
    Site {
        _dir: dir,
        root,
        state,
    }
}

/// A request with the given headers (`None` leaves one out).
async fn send(
    state: &Arc<ServerState>,
    method: &str,
    uri: &str,
    body: Vec<u8>,
    headers: &[(&str, Option<&str>)],
) -> (StatusCode, Json) {
    let mut request = Request::builder().method(method).uri(uri);
    let defaults = [
        ("host", Some(HOST)),
        ("x-folio-token", Some(TOKEN)),
        ("origin", Some(ORIGIN)),
    ];
    for (name, default) in defaults {
        let value = headers
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(default, |(_, v)| *v);
        if let Some(value) = value {
            request = request.header(name, value);
        }
    }
    let response = router(Arc::clone(state))
        .oneshot(request.body(Body::from(body)).expect("request"))
        .await
        .expect("a response");
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Json::Null))
}

async fn object(site: &Site, file: &str) -> Json {
    let uri = format!("/_folio/edit/api/object?file={file}");
    let (status, value) = send(&site.state, "GET", &uri, Vec::new(), &[]).await;
    assert_eq!(status, StatusCode::OK, "{value}");
    value
}

async fn edit(site: &Site, request: Json, headers: &[(&str, Option<&str>)]) -> (StatusCode, Json) {
    let body = request.to_string().into_bytes();
    send(&site.state, "POST", "/_folio/edit/api/edit", body, headers).await
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root.join(rel)).expect("readable")
}

fn set_title(hash: &str, title: &str) -> Json {
    json!({
        "file": "content/pages/blog/first.md",
        "hash": hash,
        "edit": {"op": "set", "path": "title", "value": title},
    })
}

#[tokio::test]
async fn served_pages_carry_the_token_and_annotations() {
    let site = site();
    let request = Request::builder()
        .uri("/blog/first/")
        .body(Body::empty())
        .expect("request");
    let response = router(Arc::clone(&site.state))
        .oneshot(request)
        .await
        .expect("a response");
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let html = String::from_utf8_lossy(&bytes);
    assert!(html.contains(&format!(
        "<meta name=\"folio-edit-token\" content=\"{TOKEN}\">"
    )));
    assert!(html.contains("/_folio/edit/editor.js"));
    assert!(html.contains("data-sb-object-id=\"content/pages/blog/first.md\""));
    assert!(html.contains("<span data-sb-field-path=\"title\">First post</span>"));
}

#[tokio::test]
async fn an_edit_changes_only_its_value_and_returns_the_new_hash_and_its_inverse() {
    let site = site();
    let before = object(&site, "content/pages/blog/first.md").await;
    assert_eq!(before["values"]["title"], "First post");
    assert_eq!(before["values"]["markdown_content"], "Hello.\n");
    let hash = before["hash"].as_str().expect("a hash");
    let (status, answer) = edit(&site, set_title(hash, "Second thoughts"), &[]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        read(&site, "content/pages/blog/first.md"),
        POST.replace("First post", "Second thoughts")
    );
    assert_eq!(
        answer["inverse"],
        json!({"op": "set", "path": "title", "value": "First post"})
    );
    let after = object(&site, "content/pages/blog/first.md").await;
    assert_eq!(answer["hash"], after["hash"]);
}

#[tokio::test]
async fn an_edit_of_a_file_changed_meanwhile_is_a_conflict_and_writes_nothing() {
    let site = site();
    let hash = object(&site, "content/pages/blog/first.md").await["hash"]
        .as_str()
        .expect("a hash")
        .to_string();
    let changed = POST.replace("Hello.", "Changed on disk.");
    write(&site.root, "content/pages/blog/first.md", &changed);
    let (status, answer) = edit(&site, set_title(&hash, "Mine"), &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(answer["code"], "edit/conflict");
    assert_eq!(read(&site, "content/pages/blog/first.md"), changed);
}

#[tokio::test]
async fn paths_out_of_the_writable_folders_are_refused() {
    let site = site();
    for file in [
        "content/../../secret.md",
        "../secret.md",
        "/etc/passwd",
        "content/pages/%2e%2e/x.md",
        "folio.toml",
        "public/index.html",
    ] {
        let mut request = set_title("0", "x");
        request["file"] = json!(file);
        let (status, answer) = edit(&site, request, &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{file}: {answer}");
        let (status, _) = send(
            &site.state,
            "GET",
            &format!("/_folio/edit/api/object?file={file}"),
            Vec::new(),
            &[],
        )
        .await;
        assert_ne!(status, StatusCode::OK, "{file}");
    }
    assert_eq!(
        std::fs::read_to_string(site.root.join("../secret.md")).expect("still there"),
        "---\ntitle: outside\n---\n"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn symbolic_links_out_of_the_site_are_refused() {
    let site = site();
    std::os::unix::fs::symlink(
        site.root.join("../secret.md"),
        site.root.join("content/pages/link.md"),
    )
    .expect("link");
    let mut request = set_title("0", "x");
    request["file"] = json!("content/pages/link.md");
    let (status, answer) = edit(&site, request, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["code"], "edit/path-escapes");
}

#[tokio::test]
async fn requests_without_the_token_or_from_another_origin_are_refused() {
    let site = site();
    let hash = object(&site, "content/pages/blog/first.md").await["hash"]
        .as_str()
        .expect("a hash")
        .to_string();
    // Headers to send (`None`: leave the header out) and the error code expected.
    type Headers<'a> = &'a [(&'a str, Option<&'a str>)];
    let cases: [(Headers, &str); 6] = [
        (&[("x-folio-token", None)], "edit/token"),
        (
            &[("x-folio-token", Some("0123456789abcdef0123456789abcdee"))],
            "edit/token",
        ),
        (&[("origin", Some("http://evil.example"))], "edit/origin"),
        (&[("origin", Some("http://127.0.0.1:9999"))], "edit/origin"),
        (&[("origin", None)], "edit/origin"),
        (&[("host", Some("evil.example:1313"))], "edit/host"),
    ];
    for (headers, code) in cases {
        let (status, answer) = edit(&site, set_title(&hash, "Hacked"), headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(answer["code"], code, "{headers:?}");
    }
    let (status, _) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/pages",
        Vec::new(),
        &[("x-folio-token", None)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(read(&site, "content/pages/blog/first.md"), POST);
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let site = site();
    let mut request = set_title("0", &"x".repeat(super::security::EDIT_LIMIT + 1));
    request["hash"] = json!("0");
    let (status, _) = edit(&site, request, &[]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let big = vec![0u8; super::security::UPLOAD_LIMIT + 1];
    let uri = "/_folio/edit/api/upload?name=big.png";
    let (status, _) = send(&site.state, "POST", uri, big, &[]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!site.root.join("public/images/big.png").exists());
}

#[tokio::test]
async fn pages_can_be_created_listed_deleted_into_the_trash_and_restored() {
    let site = site();
    let body = json!({"type": "PostLayout", "title": "Hello World!", "date": "2024-05-06"});
    let uri = "/_folio/edit/api/create";
    let (status, answer) = send(&site.state, "POST", uri, body.to_string().into(), &[]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["file"], "content/pages/blog/hello-world.md");
    assert_eq!(answer["url"], "/blog/hello-world/");
    assert!(read(&site, "content/pages/blog/hello-world.md").contains("title: \"Hello World!\""));
    let (status, _) = send(&site.state, "POST", uri, body.to_string().into(), &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "never over an existing file");

    let (_, pages) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/pages",
        Vec::new(),
        &[],
    )
    .await;
    let files: Vec<&str> = pages["pages"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|p| p["file"].as_str())
        .collect();
    assert_eq!(
        files,
        ["content/pages/index.md", "content/pages/blog/first.md"]
    );

    let file = "content/pages/blog/hello-world.md";
    let hash = object(&site, file).await["hash"].clone();
    let stale = json!({"file": file, "hash": "0"}).to_string().into_bytes();
    let uri = "/_folio/edit/api/delete";
    let (status, _) = send(&site.state, "POST", uri, stale, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let body = json!({"file": file, "hash": hash}).to_string().into_bytes();
    let (status, deleted) = send(&site.state, "POST", uri, body, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!site.root.join(file).exists());

    // Deleted into the trash, listed there, and restored byte for byte.
    let (status, trash) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/trash",
        Vec::new(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trash["trash"][0]["file"], file, "{trash}");
    assert_eq!(trash["trash"][0]["id"], deleted["trashed"]["id"]);
    let restore = json!({"id": deleted["trashed"]["id"]})
        .to_string()
        .into_bytes();
    let uri = "/_folio/edit/api/restore";
    let (status, restored) = send(&site.state, "POST", uri, restore.clone(), &[]).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["url"], "/blog/hello-world/");
    assert_eq!(restored["hash"], hash);
    assert!(read(&site, file).contains("title: \"Hello World!\""));
    let (status, _) = send(&site.state, "POST", uri, restore, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "restored once");
    let forged = json!({"id": "../../content"}).to_string().into_bytes();
    let (status, _) = send(&site.state, "POST", uri, forged, &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn images_can_be_listed_and_uploaded_but_not_overwritten() {
    let site = site();
    let uri = "/_folio/edit/api/upload?name=new-1.png";
    let (status, answer) = send(&site.state, "POST", uri, b"png".to_vec(), &[]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["url"], "/images/new-1.png");
    let (status, _) = send(&site.state, "POST", uri, b"other".to_vec(), &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        std::fs::read(site.root.join("public/images/new-1.png")).expect("file"),
        b"png"
    );
    for name in ["../x.png", "x.html", ".hidden.png", "a/b.png"] {
        let uri = format!("/_folio/edit/api/upload?name={name}");
        let (status, _) = send(&site.state, "POST", &uri, b"x".to_vec(), &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}");
    }
    site.state.rebuild();
    let (_, images) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/images",
        Vec::new(),
        &[],
    )
    .await;
    assert_eq!(
        images["images"],
        json!(["/images/dot.svg", "/images/new-1.png"])
    );
}

#[tokio::test]
async fn without_the_editor_there_is_no_api() {
    let dir = tempfile::tempdir().expect("temporary folder");
    write(
        dir.path(),
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\n---\n",
    );
    let state = ServerState::new(dir.path(), None, false);
    state.rebuild();
    let (status, _) = send(&state, "GET", "/_folio/edit/api/pages", Vec::new(), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Every file under `root` with its bytes, in path order.
fn files_under(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable");
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

async fn preview(
    site: &Site,
    body: Vec<u8>,
    headers: &[(&str, Option<&str>)],
) -> (StatusCode, Json) {
    send(
        &site.state,
        "POST",
        "/_folio/edit/api/preview",
        body,
        headers,
    )
    .await
}

#[tokio::test]
async fn a_preview_renders_the_markdown_as_page_bodies_are_and_writes_nothing() {
    let site = site();
    let before = files_under(&site.root);
    let markdown = "# Hi\n\n*there*";
    let body = json!({ "markdown": markdown }).to_string().into_bytes();
    let (status, answer) = preview(&site, body, &[]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let html = answer["html"].as_str().expect("html");
    assert!(html.contains("<h1"), "{html}");
    assert!(html.contains("<em>there</em>"), "{html}");
    assert_eq!(html, folio_render::render_markdown(markdown));
    assert_eq!(files_under(&site.root), before);
}

#[tokio::test]
async fn a_preview_without_the_token_or_with_bad_json_is_refused() {
    let site = site();
    let body = json!({ "markdown": "# Hi" }).to_string().into_bytes();
    let (status, answer) = preview(&site, body, &[("x-folio-token", None)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["code"], "edit/token");
    let (status, answer) = preview(&site, b"{\"markdown\": 1".to_vec(), &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["code"], "edit/bad-request");
}

#[tokio::test]
async fn objects_list_pages_and_data_files_for_reference_fields() {
    let site = site();
    write(
        &site.root,
        "content/data/team/ada.json",
        r#"{"type": "Person", "firstName": "Ada", "lastName": "Lovelace"}"#,
    );
    assert!(site.state.rebuild().succeeded);
    let (status, answer) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/objects",
        Vec::new(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let found: Vec<(&str, &str, &str)> = answer["objects"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|o| {
            let text = |key: &str| o[key].as_str().unwrap_or_default();
            (text("file"), text("type"), text("label"))
        })
        .collect();
    assert_eq!(
        found,
        [
            ("content/data/team/ada.json", "Person", "Ada Lovelace"),
            ("content/pages/blog/first.md", "PostLayout", "First post"),
            ("content/pages/index.md", "PageLayout", "Home"),
        ]
    );
    let (status, _) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/objects",
        Vec::new(),
        &[("x-folio-token", None)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the token is required");
}

/// The form is built from the site's own `.stackbit` models (labels, groups, enum labels) and
/// offers the site's presets.
#[tokio::test]
async fn the_models_and_presets_are_the_sites_own() {
    let site = site();
    write(
        &site.root,
        ".stackbit/models/HeroSection.yaml",
        "type: object\nname: HeroSection\nlabel: Hero\nfieldGroups:\n  - name: styles\n    label: Styles\nfields:\n  - type: enum\n    name: colors\n    label: Colour scheme\n    group: styles\n    options:\n      - label: Midnight\n        value: colors-h\n",
    );
    write(
        &site.root,
        ".stackbit/presets/hero.json",
        r#"{"model": "HeroSection", "presets": [{"label": "Big hello", "thumbnail": "images/hero.png", "data": {"title": "Hello"}}]}"#,
    );
    assert!(site.state.rebuild().succeeded);

    let (status, models) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/models",
        Vec::new(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let hero = models["models"]
        .as_array()
        .expect("models")
        .iter()
        .find(|m| m["name"] == "HeroSection")
        .expect("the hero");
    assert_eq!(hero["label"], "Hero");
    assert_eq!(hero["fieldGroups"][0]["label"], "Styles");
    let colors = &hero["fields"][0];
    assert_eq!(colors["label"], "Colour scheme");
    assert_eq!(colors["group"], "styles");
    assert_eq!(
        colors["choices"][0],
        json!({"value": "colors-h", "label": "Midnight"})
    );
    assert!(
        hero["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .any(|f| f["name"] == "actions"),
        "the theme's fields the site's model lacks are still offered"
    );

    let (status, presets) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/presets",
        Vec::new(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{presets}");
    assert_eq!(
        presets["presets"],
        json!([{
            "model": "HeroSection",
            "label": "Big hello",
            "thumbnail": ".stackbit/presets/images/hero.png",
            "data": {"title": "Hello"},
            "file": ".stackbit/presets/hero.json",
        }])
    );
    let (status, _) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/presets",
        Vec::new(),
        &[("x-folio-token", None)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// An object written without `type` is edited with the model the build rendered it with.
#[tokio::test]
async fn objects_without_type_carry_the_model_folio_gave_them() {
    let site = site();
    write(
        &site.root,
        "content/pages/index.md",
        "---\ntype: PageLayout\ntitle: Home\nsections:\n  - type: HeroSection\n    actions:\n      - label: Go\n        url: /\n        style: primary\n      - type: Link\n        label: Also\n        url: /\n---\n",
    );
    assert!(site.state.rebuild().succeeded);
    let value = object(&site, "content/pages/index.md").await;
    assert_eq!(value["types"], json!({"sections.0.actions.0": "Button"}));
}

#[tokio::test]
async fn a_file_the_build_cannot_read_is_listed_read_and_rewritten_whole() {
    let site = site();
    write(
        &site.root,
        "content/pages/blog/broken.md",
        "---\r\ntitle: \"open\r\n---\r\n",
    );
    site.state.rebuild();
    let (status, listed) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/problems",
        Vec::new(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let problem = listed["problems"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["code"] == "yaml/syntax"))
        .unwrap_or_else(|| panic!("no yaml/syntax problem: {listed}"));
    assert_eq!(problem["file"], "content/pages/blog/broken.md");
    assert_eq!(
        (problem["line"].clone(), problem["column"].clone()),
        (json!(2), json!(8))
    );
    let generation = listed["generation"].as_u64().expect("a generation");

    let uri = "/_folio/edit/api/source?file=content/pages/blog/broken.md";
    let (status, source) = send(&site.state, "GET", uri, Vec::new(), &[]).await;
    assert_eq!(status, StatusCode::OK, "{source}");
    assert_eq!(source["text"], "---\r\ntitle: \"open\r\n---\r\n");
    let rewrite = |hash: &Json, text: &str| {
        json!({"file": "content/pages/blog/broken.md", "hash": hash, "text": text})
            .to_string()
            .into_bytes()
    };
    // A text box sends LF: the file keeps its CRLF.
    let fixed = rewrite(&source["hash"], "---\ntitle: \"open\"\n---\n");
    let (status, answer) = send(&site.state, "POST", "/_folio/edit/api/source", fixed, &[]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        read(&site, "content/pages/blog/broken.md"),
        "---\r\ntitle: \"open\"\r\n---\r\n"
    );
    // The old hash is a conflict now: nothing is written.
    let stale = rewrite(&source["hash"], "overwritten");
    let (status, _) = send(&site.state, "POST", "/_folio/edit/api/source", stale, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        read(&site, "content/pages/blog/broken.md"),
        "---\r\ntitle: \"open\"\r\n---\r\n"
    );

    site.state.rebuild();
    let (_, listed) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/problems",
        Vec::new(),
        &[],
    )
    .await;
    assert!(listed["generation"].as_u64() > Some(generation));
    assert!(
        !listed["problems"]
            .as_array()
            .expect("a list")
            .iter()
            .any(|p| p["code"] == "yaml/syntax"),
        "{listed}"
    );
    // Only the site's own files: not what lies beside it, nor any file at its root.
    for file in ["../secret.md", "package.json", "public/index.html"] {
        let uri = format!("/_folio/edit/api/source?file={file}");
        let (status, _) = send(&site.state, "GET", &uri, Vec::new(), &[]).await;
        assert!(status.is_client_error(), "{file}: {status}");
    }
}

#[tokio::test]
async fn an_edit_that_adds_a_problem_is_refused_with_what_check_would_print() {
    let site = site();
    let hash = object(&site, "content/pages/blog/first.md").await["hash"].clone();
    let request = |edit: Json, undo: bool| json!({"file": "content/pages/blog/first.md", "hash": hash, "edit": edit, "undo": undo});
    let cleared = request(json!({"op": "unset", "path": "title"}), false);
    let (status, answer) = edit(&site, cleared, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["code"], "edit/invalid");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`title` is required by `PostLayout`"),
        "{message}"
    );
    assert!(
        message.contains("content/pages/blog/first.md:"),
        "{message}"
    );
    assert_eq!(answer["problems"][0]["file"], "content/pages/blog/first.md");
    let nonsense = request(
        json!({"op": "set", "path": "type", "value": "Nonsense"}),
        false,
    );
    let (status, _) = edit(&site, nonsense, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        read(&site, "content/pages/blog/first.md"),
        POST,
        "something was written"
    );
    // An undo puts back what the file had, problems included.
    let undo = request(json!({"op": "unset", "path": "title"}), true);
    let (status, answer) = edit(&site, undo, &[]).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

#[tokio::test]
async fn the_not_found_page_in_edit_mode_is_annotated_and_shows_no_markers() {
    let site = site();
    write(
        &site.root,
        "content/data/config.json",
        r#"{"type": "Config", "header": {"type": "Header", "title": "My site", "primaryLinks": [{"type": "Link", "label": "Blog", "url": "/blog/"}]}}"#,
    );
    site.state.rebuild();
    let request = Request::builder()
        .uri("/no/such/page/")
        .body(Body::empty())
        .expect("request");
    let response = router(Arc::clone(&site.state))
        .oneshot(request)
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let html = String::from_utf8_lossy(&bytes);
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(
        !html.chars().any(|c| ('\u{E000}'..='\u{E004}').contains(&c)),
        "edit marks leaked into the 404 page"
    );
    assert!(
        !html.contains(">header.primaryLinks"),
        "a field path shows as text"
    );
    assert!(
        html.contains(r#"<span data-sb-field-path="header.primaryLinks.0.label">Blog</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/blog/""#), "{html}");
}

#[tokio::test]
async fn publish_outside_a_git_checkout_says_so_and_does_nothing() {
    let site = site();
    let (status, answer) = send(
        &site.state,
        "GET",
        "/_folio/edit/api/publish",
        Vec::new(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["git"], false, "{answer}");
    let body = json!({"message": "x", "files": ["content/pages/index.md"]}).to_string();
    let (status, answer) = send(
        &site.state,
        "POST",
        "/_folio/edit/api/publish",
        body.into_bytes(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["code"], "publish/no-git");
    assert!(!site.root.join(".git").exists());
}
