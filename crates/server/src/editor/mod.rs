//! The visual editor of `folio serve --edit`: its API ([`api`], [`files`], [`source`]: the
//! build's problems and the raw text of the files they point to), who may call it
//! ([`security`]) and its browser side ([`assets`]: plain JavaScript and CSS embedded in the
//! binary and injected into every served page with the run's token).

pub mod api;
pub mod assets;
mod files;
pub mod publish;
pub mod security;
pub mod source;
mod trash;

use crate::state::ServerState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

/// Where the editor's routes live.
pub const EDIT_PREFIX: &str = "/_folio/edit";

/// The editor of one `folio serve --edit` run: its token and the lock that serializes writes.
#[derive(Debug)]
pub struct Editor {
    token: String,
    writes: Mutex<()>,
    /// The site-relative files this run's editor wrote and did not publish yet.
    written: Mutex<BTreeSet<String>>,
}

impl Editor {
    /// An editor with a new random token.
    pub fn new() -> Editor {
        Editor::with_token(security::new_token())
    }

    /// An editor with a given token (tests).
    pub fn with_token(token: String) -> Editor {
        Editor {
            token,
            writes: Mutex::new(()),
            written: Mutex::new(BTreeSet::new()),
        }
    }

    /// The token every API request must carry (the served pages have it).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Note that the editor wrote (or deleted) `file`: Publish proposes it.
    fn wrote(&self, file: &str) {
        lock(&self.written).insert(file.to_string());
    }

    /// The files the editor wrote since they were last published.
    fn written(&self) -> BTreeSet<String> {
        lock(&self.written).clone()
    }

    /// `files` were committed.
    fn published(&self, files: &[String]) {
        let mut written = lock(&self.written);
        for file in files {
            written.remove(file);
        }
    }

    /// Held while a request reads, checks and writes a file.
    fn lock_writes(&self) -> MutexGuard<'_, ()> {
        match self.writes.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

/// The editor's routes (assets and API).
pub fn routes() -> Router<Arc<ServerState>> {
    let edits = DefaultBodyLimit::max(security::EDIT_LIMIT);
    Router::new()
        .route(assets::SCRIPT_PATH, get(assets::script))
        .route(assets::STYLE_PATH, get(assets::style))
        .route("/_folio/edit/api/pages", get(api::pages))
        .route("/_folio/edit/api/objects", get(api::objects))
        .route("/_folio/edit/api/models", get(api::models))
        .route("/_folio/edit/api/presets", get(api::presets))
        .route("/_folio/edit/api/object", get(api::object))
        .route("/_folio/edit/api/images", get(api::images))
        .route("/_folio/edit/api/edit", post(api::edit).layer(edits))
        .route("/_folio/edit/api/create", post(api::create).layer(edits))
        .route("/_folio/edit/api/delete", post(api::delete).layer(edits))
        .route("/_folio/edit/api/trash", get(api::trash_list))
        .route("/_folio/edit/api/restore", post(api::restore).layer(edits))
        .route("/_folio/edit/api/preview", post(api::preview).layer(edits))
        .route("/_folio/edit/api/problems", get(source::problems))
        .route(
            "/_folio/edit/api/publish",
            get(publish::status).post(publish::publish).layer(edits),
        )
        .route(
            "/_folio/edit/api/source",
            get(source::read).post(source::write).layer(edits),
        )
        .route(
            "/_folio/edit/api/upload",
            post(api::upload).layer(DefaultBodyLimit::max(security::UPLOAD_LIMIT)),
        )
}

#[cfg(test)]
mod tests;
