//! The editor's JSON API under `/_folio/edit/api/…`: the page list, the model registry, one
//! object's values with its file hash, edits (applied byte-preservingly by `folio_edit` and
//! written atomically only if the file still has the hash the editor read), new pages, deletion
//! into the editor's trash and restoring from it,
//! the image list, uploads, the site's presets and the live preview of Markdown being typed. Every handler first
//! passes [`super::security::check_request`]. The watcher sees each write and rebuilds; live
//! reload does the rest.

use super::files::{
    create_page, inferred_types, inverse_edit, read_object, site_images, upload_image, FileObject,
    NewPage,
};
use super::security::check_request;
use super::trash;
use super::Editor;
use crate::state::ServerState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use folio_content::edit_check::added_problems;
use folio_edit::{apply_edit, resolve_writable, write_atomically, Edit, PathError, WriteError};
use folio_render::render_markdown;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

/// A refused or failed request: an HTTP status and a diagnostic-like `{code, message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The problems of a refused value (`folio check --format json`'s shape).
    problems: Option<Json>,
}

impl ApiError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: String) -> Self {
        ApiError {
            status,
            code,
            message,
            problems: None,
        }
    }

    /// A 422 `edit/invalid`: the edit of `file` would add `problems` (located in `text`, the
    /// file as it would be). Its message is what `folio check` would print.
    fn invalid(file: &str, text: &str, problems: &[folio_diag::Diagnostic]) -> Self {
        let sources = OneFile { file, text };
        let printed = folio_diag::render_terminal(problems, &sources, false);
        let mut error = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "edit/invalid",
            format!("Not saved: {}", printed.trim_end()),
        );
        error.problems = serde_json::to_value(folio_diag::render_json(problems, &sources)).ok();
        error
    }

    /// Its HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub(super) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "edit/bad-request", message.into())
    }
}

impl From<PathError> for ApiError {
    fn from(e: PathError) -> Self {
        let status = match e {
            PathError::Io { .. } => StatusCode::NOT_FOUND,
            _ => StatusCode::FORBIDDEN,
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        let status = match e {
            WriteError::Conflict { .. } => StatusCode::CONFLICT,
            WriteError::Io { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let Some(problems) = self.problems {
            body["problems"] = problems;
        }
        json_response(self.status, &body)
    }
}

fn json_response(status: StatusCode, value: &Json) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Body::from(value.to_string()),
    )
        .into_response()
}

type Outcome = Result<Json, ApiError>;

/// One file's text, for locating diagnostics in it.
struct OneFile<'a> {
    file: &'a str,
    text: &'a str,
}

impl folio_diag::SourceLookup for OneFile<'_> {
    fn source(&self, file: &str) -> Option<&str> {
        (file == self.file).then_some(self.text)
    }
}

/// Check the request, then run `handle` with the editor.
pub(super) fn guarded(
    state: &ServerState,
    method: &Method,
    headers: &HeaderMap,
    handle: impl FnOnce(&ServerState, &Editor) -> Outcome,
) -> Response {
    let Some(editor) = state.editor() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match check_request(editor.token(), method, headers).and_then(|()| handle(state, editor)) {
        Ok(value) => json_response(StatusCode::OK, &value),
        Err(e) => e.into_response(),
    }
}

/// The JSON body of a request, or a 400.
pub(super) fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("bad request: {e}")))
}

/// `GET pages`: every page (`url`, `file`, `title`, `type`), in URL order.
pub async fn pages(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        let snapshot = state.snapshot();
        let mut list: Vec<Json> = snapshot
            .site
            .iter()
            .flat_map(|site| site.pages.iter())
            .map(|page| {
                json!({
                    "url": page.url,
                    "file": page.object.path,
                    "title": page.object.str("title").unwrap_or_default(),
                    "type": page.object.model,
                })
            })
            .collect();
        list.sort_by(|a, b| a["url"].as_str().cmp(&b["url"].as_str()));
        Ok(json!({ "pages": list }))
    })
}

/// `GET objects`: every content object (`file`, `type`, `label`: its title, else a person's
/// name, else its file), pages and data files alike, in file order: what a reference field may
/// point to (the form keeps those of the field's allowed models).
pub async fn objects(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        let snapshot = state.snapshot();
        let mut list: Vec<Json> = snapshot
            .site
            .iter()
            .flat_map(|site| site.objects.values())
            .map(|object| {
                let label = object
                    .str("title")
                    .or(object.str("name"))
                    .map(str::to_string)
                    .or_else(|| object.person_name())
                    .unwrap_or_else(|| object.path.clone());
                json!({ "file": object.path, "type": object.model, "label": label })
            })
            .collect();
        list.sort_by(|a, b| a["file"].as_str().cmp(&b["file"].as_str()));
        Ok(json!({ "objects": list }))
    })
}

/// `GET models`: the model registry (fields, types, options, allowed models…).
pub async fn models(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        let snapshot = state.snapshot();
        let models: Vec<&folio_model::Model> = snapshot
            .site
            .iter()
            .flat_map(|site| site.registry.models())
            .collect();
        serde_json::to_value(&models)
            .map(|models| json!({ "models": models }))
            .map_err(|e| ApiError::bad_request(e.to_string()))
    })
}

/// `GET presets`: the site's Stackbit presets (`.stackbit/presets/*.json` or the config's
/// `presetSource`), each with its model, label, thumbnail and data, for "add" in lists; read
/// on each request (they are small and only the editor asks).
pub async fn presets(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        let snapshot = state.snapshot();
        let Some(site) = snapshot.site.as_ref() else {
            return Ok(json!({ "presets": [] }));
        };
        let (presets, problems) = site.stackbit.presets(&site.root);
        let problems: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        serde_json::to_value(&presets)
            .map(|presets| json!({ "presets": presets, "problems": problems }))
            .map_err(|e| ApiError::bad_request(e.to_string()))
    })
}

/// `GET object?file=…`: the file's values (a page's body as `markdown_content`), its hash, and
/// the models of the objects it holds without `type` (`types`: path → model).
pub async fn object(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        let file = query
            .get("file")
            .ok_or_else(|| ApiError::bad_request("`file` is missing"))?;
        let path = resolve_writable(state.site(), file)?;
        let FileObject { hash, values, .. } = read_object(&path, file)?;
        let snapshot = state.snapshot();
        let graph = snapshot.site.as_ref().and_then(|site| site.object(file));
        let types = graph.map_or_else(serde_json::Map::new, |object| {
            inferred_types(&values, &object.data)
        });
        Ok(json!({ "file": file, "hash": hash, "values": values, "types": types }))
    })
}

#[derive(serde::Deserialize)]
struct EditRequest {
    file: String,
    hash: String,
    edit: Edit,
    /// An undo puts back bytes the file had, problems included: it is not checked.
    #[serde(default)]
    undo: bool,
}

/// `POST edit {file, hash, edit}`: apply one edit. Answers `{hash, inverse}` (the edit that
/// undoes it), 409 `edit/conflict` when the file no longer has `hash`, or 422 `edit/invalid`
/// with the problems the edit would add (a required field cleared, a value of the wrong type,
/// outside its enum or range, a reference to no file): then nothing is written.
pub async fn edit(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let request: EditRequest = parse(&body)?;
        let path = resolve_writable(state.site(), &request.file)?;
        let _writing = editor.lock_writes();
        let FileObject {
            hash,
            text: old,
            values,
        } = read_object(&path, &request.file)?;
        still_has(&request.file, &request.hash, &hash)?;
        let new = apply_edit(&request.file, &old, &request.edit).map_err(|e| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string())
        })?;
        let inverse = inverse_edit(&values, &request.edit);
        if let Some(site) = state.snapshot().site.as_ref().filter(|_| !request.undo) {
            let added = added_problems(site, &request.file, &old, &new);
            if !added.is_empty() {
                return Err(ApiError::invalid(&request.file, &new, &added));
            }
        }
        let hash = if new == old {
            hash
        } else {
            let hash = write_atomically(&path, Some(&hash), new.as_bytes())?;
            editor.wrote(&request.file);
            hash
        };
        Ok(json!({ "hash": hash, "inverse": inverse }))
    })
}

/// `POST create {type, title, date}`: a new post, page or project with valid front matter,
/// beside the site's files of that model. Answers `{file, url}`.
pub async fn create(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let request: NewPage = parse(&body)?;
        let _writing = editor.lock_writes();
        let created = create_page(state, &request)?;
        if let Some(file) = created["file"].as_str() {
            editor.wrote(file);
        }
        Ok(created)
    })
}

#[derive(serde::Deserialize)]
struct DeleteRequest {
    file: String,
    hash: String,
}

/// A conflict unless the file `file` still has the hash the browser read (`expected`).
pub(super) fn still_has(file: &str, expected: &str, found: &str) -> Result<(), ApiError> {
    if expected == found {
        return Ok(());
    }
    Err(WriteError::Conflict {
        path: file.into(),
        expected: Some(expected.to_string()),
        found: Some(found.to_string()),
    }
    .into())
}

/// `POST delete {file, hash}`: move a content file to the editor's trash (see [`trash`]), if
/// it still has `hash`. Answers `{deleted, trashed}` (`trashed`: its entry, to restore it).
pub async fn delete(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let request: DeleteRequest = parse(&body)?;
        if !request.file.starts_with("content/") {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "edit/path-not-writable",
                "only content files can be deleted".into(),
            ));
        }
        let path = resolve_writable(state.site(), &request.file)?;
        let _writing = editor.lock_writes();
        let FileObject { hash, .. } = read_object(&path, &request.file)?;
        still_has(&request.file, &request.hash, &hash)?;
        let trashed = trash::move_to_trash(state.site(), &request.file, &path)?;
        editor.wrote(&request.file);
        Ok(json!({ "deleted": request.file, "trashed": trashed }))
    })
}

/// `GET trash`: the pages deleted in the editor, the latest first (`{trash: [{id, file,
/// deleted}]}`).
pub async fn trash_list(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        Ok(json!({ "trash": trash::list(state.site()) }))
    })
}

#[derive(serde::Deserialize)]
struct RestoreRequest {
    id: String,
}

/// `POST restore {id}`: put a deleted page back where it was; 409 `edit/conflict` when a file
/// is there again (nothing is moved). Answers `{file, hash, url}`.
pub async fn restore(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let request: RestoreRequest = parse(&body)?;
        let _writing = editor.lock_writes();
        let (file, hash) = trash::restore(state.site(), &request.id)?;
        editor.wrote(&file);
        let url = file
            .starts_with("content/pages/")
            .then(|| folio_content::url::url_for_page(&file, false));
        Ok(json!({ "file": file, "hash": hash, "url": url }))
    })
}

#[derive(serde::Deserialize)]
struct PreviewRequest {
    markdown: String,
}

/// `POST preview {markdown}`: the Markdown rendered as folio renders page bodies
/// ([`render_markdown`]), for the form's live preview of the text being typed. Answers
/// `{html}`; writes nothing.
pub async fn preview(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |_, _| {
        let request: PreviewRequest = parse(&body)?;
        Ok(json!({ "html": render_markdown(&request.markdown) }))
    })
}

/// `GET images`: the URLs of the images under `public/images`.
pub async fn images(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        Ok(json!({ "images": site_images(state) }))
    })
}

/// `POST upload?name=a.png` with the image as the body: a new file under `public/images`
/// (never over an existing one). Answers `{url}`.
pub async fn upload(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let name = query
            .get("name")
            .ok_or_else(|| ApiError::bad_request("`name` is missing"))?;
        let _writing = editor.lock_writes();
        let uploaded = upload_image(state, name, &body)?;
        if let Some(url) = uploaded["url"].as_str() {
            editor.wrote(&format!("public{url}"));
        }
        Ok(uploaded)
    })
}
