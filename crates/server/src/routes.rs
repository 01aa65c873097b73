//! The HTTP side: the built site from memory, `public/` from disk (through the site root, which
//! never leaves the site), the theme's 404 page with status 404, the live-reload script and the
//! Server-Sent Events stream. Requests whose path would climb out of the site (`..`, encoded or
//! not, backslashes, NUL) are refused with 400. What is sent follows [`crate::http`]:
//! validators and 304, ranges, and compression.

use crate::editor::assets::inject_editor;
use crate::http::{deliver, Entity};
use crate::live::{inject, EVENTS_PATH, LIVE_JS, SCRIPT_PATH};
use crate::state::{page_url, ServerState, Snapshot};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use folio_build::{NOT_FOUND_PATH, SEARCH_DIR};
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::broadcast::error::RecvError;

/// The dev server's routes over `state`.
pub fn router(state: Arc<ServerState>) -> Router {
    let base = if state.editor().is_some() {
        crate::editor::routes()
    } else {
        Router::new()
    };
    base.route(SCRIPT_PATH, get(script))
        .route(EVENTS_PATH, get(events))
        .fallback(serve_file)
        .with_state(state)
}

async fn script(State(state): State<Arc<ServerState>>, request: HeaderMap) -> Response {
    let entity = Entity {
        body: Bytes::from_static(LIVE_JS.as_bytes()),
        kind: "text/javascript; charset=utf-8",
        status: StatusCode::OK,
        modified: None,
    };
    deliver(&request, entity, state.compression()).await
}

async fn events(
    State(state): State<Arc<ServerState>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.subscribe();
    let hello = stream::once(async { Ok(Event::default().event("hello").data("{}")) });
    let updates = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(message) => {
                    let event = Event::default().event(message.event).data(message.data);
                    return Some((Ok(event), receiver));
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(hello.chain(updates)).keep_alive(KeepAlive::default())
}

/// The site-relative output path a request asks for, percent-decoded, without the leading `/`;
/// `None` when it tries to leave the site or is not UTF-8.
pub fn request_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\0', '\\']) {
        return None;
    }
    let rel = decoded.trim_start_matches('/');
    if rel
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(rel.to_string())
}

async fn serve_file(
    State(state): State<Arc<ServerState>>,
    method: Method,
    uri: Uri,
    request: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
            "only GET and HEAD",
        )
            .into_response();
    }
    let Some(rel) = request_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "this path is not allowed").into_response();
    };
    let snapshot = state.snapshot();
    let wants_folder = rel.is_empty() || rel.ends_with('/');
    let target = if wants_folder {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    if let Some(found) = lookup(&snapshot, &target).await {
        let page = page_url(&target);
        let sandboxed = found.public && state.editor().is_some() && can_script(&target);
        let entity = entity(&state, &snapshot, &target, &page, found, StatusCode::OK);
        let mut response = deliver(&request, entity, state.compression()).await;
        if sandboxed {
            // An owner's (or an upload's) HTML or SVG may carry a script; while the editor
            // runs, it gets an origin of its own, which cannot read the token or call the API.
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox"),
            );
        }
        return response;
    }
    if !wants_folder
        && lookup(&snapshot, &format!("{rel}/index.html"))
            .await
            .is_some()
    {
        let location = match uri.query() {
            Some(query) => format!("{}/?{query}", uri.path()),
            None => format!("{}/", uri.path()),
        };
        return match HeaderValue::from_str(&location) {
            Ok(location) => (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response(),
            Err(_) => StatusCode::BAD_REQUEST.into_response(),
        };
    }
    let page = format!("/{rel}");
    let found = lookup(&snapshot, NOT_FOUND_PATH).await.unwrap_or(Found {
        bytes: Bytes::from_static(
            b"<!doctype html><title>Page not found</title><h1>Page not found</h1>",
        ),
        modified: None,
        public: false,
    });
    let entity = entity(
        &state,
        &snapshot,
        NOT_FOUND_PATH,
        &page,
        found,
        StatusCode::NOT_FOUND,
    );
    deliver(&request, entity, state.compression()).await
}

/// A file found for a request.
struct Found {
    bytes: Bytes,
    /// When it last changed, for a file of `public/` (a rendered page has no file).
    modified: Option<SystemTime>,
    /// Whether it is a file of `public/` (served as it is: never given the editor).
    public: bool,
}

/// Whether a browser runs scripts in a file of this name when it is opened as a document.
fn can_script(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".html", ".htm", ".svg", ".svgz", ".xml", ".xhtml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A file of the site: `public/` first (as `folio build` copies it over the rendered files),
/// then the rendered files.
async fn lookup(snapshot: &Arc<Snapshot>, rel: &str) -> Option<Found> {
    if let Some(root) = &snapshot.root {
        if let Some(file) = snapshot.public.get(root, rel).await {
            return Some(Found {
                bytes: file.bytes,
                modified: file.modified,
                public: true,
            });
        }
    }
    if rel.starts_with(&format!("{SEARCH_DIR}/")) {
        let snapshot = Arc::clone(snapshot);
        let rel = rel.to_string();
        return tokio::task::spawn_blocking(move || snapshot.search_file(&rel))
            .await
            .ok()
            .flatten()
            .map(rendered);
    }
    if let Some(copy) = snapshot.images.get(rel).cloned() {
        // Made on its first request: decoding a photo takes a blocking thread for a while.
        return tokio::task::spawn_blocking(move || copy.bytes())
            .await
            .ok()
            .and_then(Result::ok)
            .map(rendered);
    }
    snapshot.files.get(rel).cloned().map(rendered)
}

/// A rendered file, shared with the snapshot rather than copied.
fn rendered(bytes: folio_build::FileBytes) -> Found {
    Found {
        bytes: Bytes::from_owner(bytes),
        modified: None,
        public: false,
    }
}

/// What to send for `found` at `path`: HTML with the live-reload script, the overlay and
/// the editor added, anything else as it is.
fn entity(
    state: &ServerState,
    snapshot: &Snapshot,
    path: &str,
    page: &str,
    found: Found,
    status: StatusCode,
) -> Entity {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        // The editor lists the build's problems in its own panel, beside the page.
        let overlay = match state.editor() {
            Some(_) => None,
            None => snapshot.overlay.as_deref(),
        };
        let html = inject(&found.bytes, page, overlay, status == StatusCode::NOT_FOUND);
        // The token goes only into pages folio rendered, never into a file of `public/`.
        Bytes::from(match state.editor() {
            Some(editor) if !found.public => inject_editor(html, editor.token()),
            _ => html,
        })
    } else {
        found.bytes
    };
    Entity {
        body,
        kind,
        status,
        modified: found.modified,
    }
}

/// The `Content-Type` for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" | "rss" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
