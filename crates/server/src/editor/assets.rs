//! The editor's browser side: plain JavaScript and CSS files (`crates/server/editor/`),
//! embedded in the binary, and what is added to each served page in edit mode (the token in a
//! `<meta>` tag, the stylesheet and the script).

use crate::http::{deliver, Entity};
use crate::ServerState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::sync::Arc;

/// The editor's script.
pub const EDITOR_JS: &str = concat!(
    include_str!("../../editor/api.js"),
    "\n",
    include_str!("../../editor/form.js"),
    "\n",
    include_str!("../../editor/drafts.js"),
    "\n",
    include_str!("../../editor/problems.js"),
    "\n",
    include_str!("../../editor/publish.js"),
    "\n",
    include_str!("../../editor/editor.js"),
);

/// The editor's stylesheet.
pub const EDITOR_CSS: &str = include_str!("../../editor/editor.css");

/// Where the script is served.
pub const SCRIPT_PATH: &str = "/_folio/edit/editor.js";

/// Where the stylesheet is served.
pub const STYLE_PATH: &str = "/_folio/edit/editor.css";

/// The `<meta>` name that carries the token.
pub const TOKEN_META: &str = "folio-edit-token";

async fn asset(
    state: &ServerState,
    request: &HeaderMap,
    body: &'static str,
    kind: &'static str,
) -> Response {
    let entity = Entity {
        body: Bytes::from_static(body.as_bytes()),
        kind,
        status: StatusCode::OK,
        modified: None,
    };
    deliver(request, entity, state.compression()).await
}

/// `GET editor.js`.
pub async fn script(State(state): State<Arc<ServerState>>, request: HeaderMap) -> Response {
    asset(
        &state,
        &request,
        EDITOR_JS,
        "text/javascript; charset=utf-8",
    )
    .await
}

/// `GET editor.css`.
pub async fn style(State(state): State<Arc<ServerState>>, request: HeaderMap) -> Response {
    asset(&state, &request, EDITOR_CSS, "text/css; charset=utf-8").await
}

/// Add the token, stylesheet and script to an HTML document (before `</head>`, or at the start).
pub fn inject_editor(html: Vec<u8>, token: &str) -> Vec<u8> {
    let addition = format!(
        "<meta name=\"{TOKEN_META}\" content=\"{token}\">\
         <link rel=\"stylesheet\" href=\"{STYLE_PATH}\">\
         <script src=\"{SCRIPT_PATH}\" defer></script>"
    );
    // Before `</head>`; in a document without one (an owner's own 404 page, a fragment),
    // after its doctype, which must stay first or the page renders in quirks mode.
    let at = find(&html, b"</head>")
        .or_else(|| {
            let doctype = find(&html, b"<!doctype")?;
            let end = html[doctype..].iter().position(|&b| b == b'>')?;
            Some(doctype + end + 1)
        })
        .unwrap_or(0);
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Where `needle` (ASCII) first occurs in `html`, ignoring ASCII case.
fn find(html: &[u8], needle: &[u8]) -> Option<usize> {
    html.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::inject_editor;

    fn injected(html: &str) -> String {
        String::from_utf8(inject_editor(html.as_bytes().to_vec(), "t")).expect("UTF-8")
    }

    #[test]
    fn the_editor_goes_in_the_head_and_never_before_the_doctype() {
        let page =
            injected("<!doctype html><html><head><title>x</title></head><body></body></html>");
        assert!(page.starts_with(
            "<!doctype html><html><head><title>x</title><meta name=\"folio-edit-token\""
        ));
        let headless = injected("<!DOCTYPE html>\n<p>Not found</p>");
        assert!(
            headless.starts_with("<!DOCTYPE html><meta name=\"folio-edit-token\""),
            "{headless}"
        );
        let fragment = injected("<p>Not found</p>");
        assert!(
            fragment.starts_with("<meta name=\"folio-edit-token\""),
            "{fragment}"
        );
        assert!(fragment.ends_with("<p>Not found</p>"));
    }
}
