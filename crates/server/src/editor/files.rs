//! What the editor's API does with files: read an object's values and hash, compute the edit
//! that undoes another, create a page, list and upload images. Paths have already been
//! checked by `folio_edit::resolve_writable` where they come from the browser.

use super::api::ApiError;
use crate::state::ServerState;
use axum::http::StatusCode;
use folio_content::front_matter::split_front_matter;
use folio_content::json::parse_json;
use folio_content::scaffold::{new_content, NewContent, NewContentError};
use folio_content::values::to_json;
use folio_content::yaml::parse_yaml;
use folio_edit::{content_hash, resolve_writable, write_atomically, Edit, FieldPath};
use serde_json::{json, Value as Json};
use std::path::Path;

fn unreadable(file: &str, detail: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "edit/parse",
        format!("`{file}` cannot be read for editing: {detail}"),
    )
}

/// A content file as the editor sees it.
pub struct FileObject {
    /// Its [`content_hash`], which a write must still find.
    pub hash: String,
    /// Its text.
    pub text: String,
    /// A page's front matter plus its body as `markdown_content`, or a data file's JSON or YAML.
    pub values: Json,
}

/// The [`content_hash`] and text of the file at `path` (site-relative `file`), read once.
pub fn read_text(path: &Path, file: &str) -> Result<(String, String), ApiError> {
    let bytes = std::fs::read(path).map_err(|e| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "edit/not-found",
            format!("cannot read `{file}`: {e}"),
        )
    })?;
    let hash = content_hash(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| unreadable(file, e))?;
    Ok((hash, text))
}

/// The file at `path` (site-relative `file`), read once: hash, text and values.
pub fn read_object(path: &Path, file: &str) -> Result<FileObject, ApiError> {
    let (hash, text) = read_text(path, file)?;
    let values = if file.ends_with(".md") {
        let parts = split_front_matter(&text).map_err(|_| unreadable(file, "no front matter"))?;
        let yaml = &text[parts.yaml.start..parts.yaml.end];
        let root = parse_yaml(yaml, parts.yaml.start).map_err(|e| unreadable(file, e.message))?;
        let mut values = to_json(&root);
        if let Json::Object(map) = &mut values {
            let body = text[parts.body.start..].to_string();
            map.insert(folio_edit::MARKDOWN_CONTENT.into(), Json::String(body));
        }
        values
    } else if file.ends_with(".json") {
        to_json(&parse_json(&text).map_err(|e| unreadable(file, e.message))?)
    } else {
        to_json(&parse_yaml(&text, 0).map_err(|e| unreadable(file, e.message))?)
    };
    Ok(FileObject { hash, text, values })
}

/// The models folio gave the objects that `values` (a file as written) holds without `type`,
/// by path (`sections.0.actions.1` → `Button`): where the site graph's normalised copy of
/// the file, `normalised`, has a `type` the file does not. The editor builds their forms
/// from these, as the build rendered them.
pub fn inferred_types(
    values: &Json,
    normalised: &serde_json::Map<String, Json>,
) -> serde_json::Map<String, Json> {
    fn walk(raw: &Json, graph: &Json, path: &str, out: &mut serde_json::Map<String, Json>) {
        let child = |key: &str| {
            if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            }
        };
        match (raw, graph) {
            (Json::Object(raw), Json::Object(graph)) => {
                if !path.is_empty() && !raw.contains_key("type") {
                    if let Some(model) = graph.get("type").filter(|t| t.is_string()) {
                        out.insert(path.to_string(), model.clone());
                    }
                }
                for (key, value) in raw {
                    if let Some(normalised) = graph.get(key) {
                        walk(value, normalised, &child(key), out);
                    }
                }
            }
            (Json::Array(raw), Json::Array(graph)) => {
                for (i, (value, normalised)) in raw.iter().zip(graph).enumerate() {
                    walk(value, normalised, &child(&i.to_string()), out);
                }
            }
            _ => {}
        }
    }
    let mut out = serde_json::Map::new();
    if let Json::Object(raw) = values {
        for (key, value) in raw {
            if let Some(graph) = normalised.get(key) {
                walk(value, graph, key, &mut out);
            }
        }
    }
    out
}

/// The value at `segments` of `values`.
pub fn find_value<'a>(values: &'a Json, segments: &[String]) -> Option<&'a Json> {
    segments
        .iter()
        .try_fold(values, |value, segment| match value {
            Json::Object(map) => map.get(segment),
            Json::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

/// The edit that undoes `edit` on a file whose values were `old`, as JSON (`null`: nothing to
/// undo).
pub fn inverse_edit(old: &Json, edit: &Edit) -> Json {
    let at = |path: &FieldPath| find_value(old, path.segments()).cloned();
    let inverse = match edit {
        Edit::Set { path, .. } => Some(match at(path) {
            Some(value) => Edit::Set {
                path: path.clone(),
                value,
            },
            None => Edit::Unset { path: path.clone() },
        }),
        Edit::Unset { path } => at(path).map(|value| Edit::Set {
            path: path.clone(),
            value,
        }),
        Edit::Insert { path, index, .. } => {
            let item = format!("{path}.{index}");
            item.parse().ok().map(|path| Edit::Remove { path })
        }
        Edit::Remove { path } => {
            let segments = path.segments();
            let index = segments.last().and_then(|s| s.parse::<usize>().ok());
            match (at(path), index) {
                (Some(value), Some(index)) => Some(Edit::Insert {
                    path: path.prefix(segments.len() - 1),
                    index,
                    value,
                }),
                _ => None,
            }
        }
        Edit::Move { path, from, to } => Some(Edit::Move {
            path: path.clone(),
            from: *to,
            to: *from,
        }),
    };
    inverse
        .and_then(|e| serde_json::to_value(e).ok())
        .unwrap_or(Json::Null)
}

/// A new page asked for by the editor.
#[derive(Debug, serde::Deserialize)]
pub struct NewPage {
    /// `PostLayout`, `PageLayout` or `ProjectLayout`.
    #[serde(rename = "type")]
    model: String,
    /// Its title (also its file name).
    title: String,
    /// Today in the browser (`YYYY-MM-DD`), for posts and projects.
    #[serde(default)]
    date: String,
}

/// Create the page `request` asks for (as `folio new` does) and answer `{file, url}`.
pub fn create_page(state: &ServerState, request: &NewPage) -> Result<Json, ApiError> {
    let bad = |m: &str| ApiError::new(StatusCode::BAD_REQUEST, "edit/bad-request", m.into());
    let date = &request.date;
    let valid_date = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if request.model != "PageLayout" && !valid_date {
        return Err(bad("`date` must be `YYYY-MM-DD`"));
    }
    let snapshot = state.snapshot();
    let Some(site) = snapshot.site.as_ref() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "edit/not-loaded",
            "the site has not loaded yet: fix the problem the toolbar lists, then create the page"
                .into(),
        ));
    };
    let NewContent { file, text } = new_content(site, &request.model, &request.title, date)
        .map_err(|e| match e {
            NewContentError::UnsupportedModel => {
                bad("only posts, pages and projects can be created here")
            }
            NewContentError::EmptyTitle => {
                bad("the title has no letters or digits to name the file with")
            }
        })?;
    let path = resolve_writable(state.site(), &file)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "edit/io",
                format!("cannot create the folder of `{file}`: {e}"),
            )
        })?;
    }
    write_atomically(&path, None, text.as_bytes())?;
    let url = folio_content::url::url_for_page(&file, false);
    Ok(json!({ "file": file, "url": url }))
}

/// The URLs of the images under `public/images`, sorted.
pub fn site_images(state: &ServerState) -> Vec<String> {
    let snapshot = state.snapshot();
    let Some(root) = snapshot.root.as_ref() else {
        return Vec::new();
    };
    let (files, _) = root.walk("public/images");
    let mut urls: Vec<String> = files
        .iter()
        .filter(|f| is_image_name(&f.rel))
        .filter_map(|f| f.rel.strip_prefix("public").map(str::to_string))
        .collect();
    urls.sort();
    urls
}

fn is_image_name(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "png" | "gif" | "webp" | "avif" | "svg")
    )
}

/// Write an uploaded image as `public/images/<name>` (never over an existing file).
pub fn upload_image(state: &ServerState, name: &str, bytes: &[u8]) -> Result<Json, ApiError> {
    let simple = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !simple || !is_image_name(name) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "edit/bad-image-name",
            format!(
                "`{name}` is not an image file name (letters, digits, `.`, `-`, `_`; jpg, png, \
                 gif, webp, avif or svg)"
            ),
        ));
    }
    let file = format!("public/images/{name}");
    // The folder may not exist yet; `resolve_writable` then checks where it really is.
    let _ = std::fs::create_dir_all(state.site().join("public/images"));
    let path = resolve_writable(state.site(), &file)?;
    write_atomically(&path, None, bytes)?;
    Ok(json!({ "url": format!("/images/{name}") }))
}
