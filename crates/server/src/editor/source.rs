//! The editor's source view: the latest build's problems, and the files they point to read and
//! rewritten whole, as text. It is how a file the build could not read (so no form can show
//! it: broken YAML, invalid JSON, a bad model file) is fixed in place. A rewrite is checked
//! against the file's hash like every edit, keeps the file's line endings, and the watcher's
//! rebuild checks the site again (the `built` live event says when).

use super::api::{guarded, parse, still_has, ApiError};
use super::files::read_text;
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use folio_edit::{resolve_source, write_atomically};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// `GET problems`: the latest build's errors and warnings (`folio check --format json`'s
/// shape), and the build's `generation`.
pub async fn problems(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        let snapshot = state.snapshot();
        Ok(json!({
            "generation": snapshot.generation,
            "problems": snapshot.problems.as_slice(),
        }))
    })
}

/// `GET source?file=…`: the file's text and hash.
pub async fn read(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    guarded(&state, &method, &headers, |state, _| {
        let file = query
            .get("file")
            .ok_or_else(|| ApiError::bad_request("`file` is missing"))?;
        let (hash, text) = read_text(&resolve_source(state.site(), file)?, file)?;
        Ok(json!({ "file": file, "hash": hash, "text": text }))
    })
}

#[derive(serde::Deserialize)]
struct Rewrite {
    file: String,
    hash: String,
    text: String,
}

/// `POST source {file, hash, text}`: replace the file's text, if it still has `hash` (else
/// 409 `edit/conflict`, nothing written). Answers `{hash}`.
pub async fn write(
    State(state): State<Arc<ServerState>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    guarded(&state, &method, &headers, |state, editor| {
        let request: Rewrite = parse(&body)?;
        let path = resolve_source(state.site(), &request.file)?;
        let _writing = editor.lock_writes();
        let (hash, old) = read_text(&path, &request.file)?;
        still_has(&request.file, &request.hash, &hash)?;
        let new = with_line_endings_of(&old, &request.text);
        if new == old {
            return Ok(json!({ "hash": hash }));
        }
        let hash = write_atomically(&path, Some(&hash), new.as_bytes())?;
        editor.wrote(&request.file);
        Ok(json!({ "hash": hash }))
    })
}

/// `typed` with the line endings of `old`: a browser's text box turns every CRLF into LF, which
/// would otherwise rewrite every line of a Windows-made file.
fn with_line_endings_of(old: &str, typed: &str) -> String {
    let crlf = old.contains("\r\n") && !old.replace("\r\n", "").contains('\n');
    if crlf && !typed.contains('\r') {
        typed.replace('\n', "\r\n")
    } else {
        typed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::with_line_endings_of;

    #[test]
    fn a_crlf_file_keeps_crlf_when_rewritten_from_a_text_box() {
        assert_eq!(with_line_endings_of("a\r\nb\r\n", "a\nc\n"), "a\r\nc\r\n");
        assert_eq!(with_line_endings_of("a\nb\n", "a\nc\n"), "a\nc\n");
        // Mixed endings are the writer's own: kept as typed.
        assert_eq!(with_line_endings_of("a\r\nb\n", "a\nc\n"), "a\nc\n");
        assert_eq!(
            with_line_endings_of("a\r\nb\r\n", "a\r\nc\r\n"),
            "a\r\nc\r\n"
        );
    }
}
