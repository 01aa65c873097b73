//! The visual editor's save engine: apply one edit to a page (`.md` front matter and body), a
//! `.yaml` or a `.json` file by changing only the bytes of the edited value, check the result,
//! and write it back safely.
//!
//! - [`apply_edit`] turns the old text and an [`Edit`] into the new text. A changed scalar
//!   replaces only that value's bytes and keeps its quoting style; new keys and list items are
//!   new lines in the file's indentation and line ending; removed and moved items take their
//!   whole lines; comments, blank lines and key order stay. The result is always parsed again
//!   and compared with the old values plus the intended change (computed separately); any
//!   other difference refuses the edit with [`EditError::Verification`].
//! - [`write_atomically`] writes only if the file still has the [`content_hash`] the editor
//!   read, through a temporary file, `fsync` and rename.
//! - [`resolve_writable`] turns a path from the browser into a file folio may write
//!   ([`resolve_source`]: one its source view may rewrite as text).
#![warn(missing_docs)]

mod error;
mod expect;
mod guard;
mod json;
pub mod path;
mod scalar;
mod text;
mod write;
mod yaml;

pub use error::{EditError, PathError, WriteError};
pub use guard::{resolve_source, resolve_writable};
pub use path::{FieldPath, MARKDOWN_CONTENT};
pub use write::{content_hash, write_atomically};

use expect::{first_difference, Tree};
use folio_content::front_matter::{split_front_matter, SplitError};
use folio_content::json::parse_json;
use folio_content::tree::ParseError;
use folio_content::yaml::parse_yaml;
use serde_json::Value as Json;
use text::{apply_splices, line_ending, Splice};

/// One change the editor asks for. As JSON: `{"op": "set", "path": "title", "value": "New"}`,
/// `{"op": "insert", "path": "bottomSections", "index": 0, "value": {…}}`, and so on.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Edit {
    /// Set the value at `path`, adding the key (and missing objects on the way) if needed.
    Set {
        /// The field.
        path: FieldPath,
        /// The new value: a scalar, or a whole object or list.
        value: Json,
    },
    /// Remove the key at `path` (or the list item, as [`Edit::Remove`]).
    Unset {
        /// The field.
        path: FieldPath,
    },
    /// Insert `value` into the list at `path` before `index` (`index` = length appends); a
    /// missing or null list is created.
    Insert {
        /// The list.
        path: FieldPath,
        /// Where the new item goes.
        index: usize,
        /// The new item.
        value: Json,
    },
    /// Remove the list item at `path` (its last segment is the index).
    Remove {
        /// The item.
        path: FieldPath,
    },
    /// Move the item at `from` of the list at `path` so that it ends up at `to`.
    Move {
        /// The list.
        path: FieldPath,
        /// The item's index now.
        from: usize,
        /// Its index afterwards.
        to: usize,
    },
}

impl Edit {
    /// The field the edit is about.
    pub fn path(&self) -> &FieldPath {
        match self {
            Edit::Set { path, .. }
            | Edit::Unset { path }
            | Edit::Insert { path, .. }
            | Edit::Remove { path }
            | Edit::Move { path, .. } => path,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Markdown,
    Yaml,
    Json,
}

/// A file's values: its tree and, for a page, its Markdown body.
#[derive(Debug, Clone, PartialEq)]
struct Values {
    tree: Tree,
    body: Option<String>,
}

fn parse_failed(e: ParseError) -> EditError {
    EditError::Parse { message: e.message }
}

/// A file parsed for editing.
struct Parsed {
    /// The located tree of the YAML or JSON.
    root: folio_content::tree::Node,
    /// Byte range of the YAML or JSON in the file.
    region: (usize, usize),
    /// Where a page's Markdown body starts.
    body: Option<usize>,
}

/// Parse `source` for editing.
fn parse(kind: Kind, source: &str) -> Result<Parsed, EditError> {
    match kind {
        Kind::Markdown => {
            let parts = split_front_matter(source).map_err(|e| match e {
                SplitError::NoFrontMatter => EditError::NoFrontMatter,
                SplitError::Unclosed(_) => EditError::Parse {
                    message: "the front matter's `---` is never closed".into(),
                },
            })?;
            let (start, end) = (parts.yaml.start, parts.yaml.end);
            let root = parse_yaml(&source[start..end], start).map_err(parse_failed)?;
            Ok(Parsed {
                root,
                region: (start, end),
                body: Some(parts.body.start),
            })
        }
        Kind::Yaml | Kind::Json => Ok(Parsed {
            root: if kind == Kind::Json {
                parse_json(source).map_err(parse_failed)?
            } else {
                parse_yaml(source, 0).map_err(parse_failed)?
            },
            region: (0, source.len()),
            body: None,
        }),
    }
}

fn values(kind: Kind, source: &str) -> Result<Values, EditError> {
    let Parsed { root, body, .. } = parse(kind, source)?;
    Ok(Values {
        tree: Tree::from_node(&root),
        body: body.map(|start| source[start..].to_string()),
    })
}

/// Apply `edit` to `source`, the text of the file `file_name` (its extension picks the format:
/// `.md`, `.yaml`/`.yml` or `.json`). The field `markdown_content` of a page is its body:
/// setting it replaces everything after the closing `---` line (LF line breaks become CRLF in
/// a CRLF file). Returns the new text, or why the edit was refused; an edit that changes
/// nothing returns `source` unchanged.
pub fn apply_edit(file_name: &str, source: &str, edit: &Edit) -> Result<String, EditError> {
    let lower = file_name.to_ascii_lowercase();
    let kind = if lower.ends_with(".md") || lower.ends_with(".markdown") {
        Kind::Markdown
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Kind::Yaml
    } else if lower.ends_with(".json") {
        Kind::Json
    } else {
        return Err(EditError::UnsupportedFile {
            file_name: file_name.to_string(),
        });
    };
    let Parsed { root, region, body } = parse(kind, source)?;
    let old = Values {
        tree: Tree::from_node(&root),
        body: body.map(|start| source[start..].to_string()),
    };
    let mut expected = old.clone();
    let splices = match (body, edit) {
        (Some(start), Edit::Set { path, value }) if path.is_markdown_content() => {
            let Json::String(text) = value else {
                return Err(EditError::TypeMismatch {
                    path: path.to_string(),
                    expected: "a string",
                    found: Tree::from_json(value).kind_name(),
                });
            };
            let text = if line_ending(source) == "\r\n" && !text.contains('\r') {
                text.replace('\n', "\r\n")
            } else {
                text.clone()
            };
            expected.body = Some(text.clone());
            let lead = if start == source.len() && !source.ends_with('\n') && !text.is_empty() {
                line_ending(source)
            } else {
                ""
            };
            vec![Splice::new(start, source.len(), format!("{lead}{text}"))]
        }
        (Some(_), _) if edit.path().is_markdown_content() => {
            return Err(EditError::Unsupported {
                path: edit.path().to_string(),
                construct: "the Markdown body can only be set".into(),
            })
        }
        _ => {
            expect::apply(&mut expected.tree, edit)?;
            if expected == old {
                return Ok(source.to_string());
            }
            match kind {
                Kind::Json => json::edit_json(source, &root, edit)?,
                Kind::Markdown | Kind::Yaml => yaml::edit_yaml(source, region, &root, edit)?,
            }
        }
    };
    let refused = |detail: String| EditError::Verification {
        path: edit.path().to_string(),
        detail,
    };
    let new =
        apply_splices(source, splices).ok_or_else(|| refused("overlapping changes".into()))?;
    let actual =
        values(kind, &new).map_err(|e| refused(format!("the result would not parse: {e}")))?;
    if actual.body != expected.body {
        return Err(refused("the Markdown body would change".into()));
    }
    if let Some(detail) = first_difference(&expected.tree, &actual.tree, "") {
        return Err(refused(detail));
    }
    Ok(new)
}
