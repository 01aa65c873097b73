//! Why an edit, a write or a path was refused: enums with a stable code and a lowercase message
//! (the server turns them into diagnostics or JSON answers).

use std::fmt;
use std::path::PathBuf;

/// Why an edit could not be applied. No text is produced when one is returned.
#[derive(Debug, Clone, PartialEq)]
pub enum EditError {
    /// The field path is malformed.
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The file name does not end in `.md`, `.yaml`, `.yml` or `.json`.
    UnsupportedFile {
        /// The file name as given.
        file_name: String,
    },
    /// The file does not parse (before the edit).
    Parse {
        /// The parser's message.
        message: String,
    },
    /// A Markdown file without front matter.
    NoFrontMatter,
    /// Nothing at this path.
    PathNotFound {
        /// The path of the edit.
        path: String,
        /// The longest part of it that exists.
        found: String,
    },
    /// A list index past the end.
    IndexOutOfRange {
        /// The path of the list.
        path: String,
        /// The index asked for.
        index: usize,
        /// How many items the list has.
        len: usize,
    },
    /// The value at the path is not of the kind the edit needs.
    TypeMismatch {
        /// The path of the value.
        path: String,
        /// What the edit needs (`a list`, `an object`, `a string`).
        expected: &'static str,
        /// What is there.
        found: &'static str,
    },
    /// The edit would have to rewrite a construct folio does not edit in place (an alias or
    /// anchor, a merge key, a flow collection spanning lines…).
    Unsupported {
        /// The path of the edit.
        path: String,
        /// What is in the way.
        construct: String,
    },
    /// After the edit the file did not parse to the old values plus the intended change.
    Verification {
        /// The path of the edit.
        path: String,
        /// What came out differently.
        detail: String,
    },
}

impl EditError {
    /// `path` does not exist past its first `depth` segments.
    pub(crate) fn not_found(path: &crate::FieldPath, depth: usize) -> EditError {
        EditError::PathNotFound {
            path: path.to_string(),
            found: path.prefix(depth).to_string(),
        }
    }

    /// The value at `path` is a `node` where `expected` was needed.
    pub(crate) fn mismatch(
        path: &crate::FieldPath,
        expected: &'static str,
        node: &folio_content::tree::Node,
    ) -> EditError {
        EditError::TypeMismatch {
            path: path.to_string(),
            expected,
            found: node.kind_name(),
        }
    }

    /// A stable code, as diagnostics have (`edit/path-not-found`).
    pub fn code(&self) -> &'static str {
        match self {
            EditError::InvalidPath { .. } => "edit/invalid-path",
            EditError::UnsupportedFile { .. } => "edit/unsupported-file",
            EditError::Parse { .. } => "edit/parse",
            EditError::NoFrontMatter => "edit/no-front-matter",
            EditError::PathNotFound { .. } => "edit/path-not-found",
            EditError::IndexOutOfRange { .. } => "edit/index-out-of-range",
            EditError::TypeMismatch { .. } => "edit/type-mismatch",
            EditError::Unsupported { .. } => "edit/unsupported",
            EditError::Verification { .. } => "edit/would-change-other-values",
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::InvalidPath { path, reason } => {
                write!(f, "invalid field path `{path}`: {reason}")
            }
            EditError::UnsupportedFile { file_name } => write!(
                f,
                "cannot edit `{file_name}`: only `.md`, `.yaml`, `.yml` and `.json` files"
            ),
            EditError::Parse { message } => write!(f, "the file does not parse: {message}"),
            EditError::NoFrontMatter => {
                write!(f, "the page has no front matter (a `---` block at the top)")
            }
            EditError::PathNotFound { path, found } if found.is_empty() => {
                write!(f, "no value at `{path}`")
            }
            EditError::PathNotFound { path, found } => {
                write!(f, "no value at `{path}` (`{found}` exists)")
            }
            EditError::IndexOutOfRange { path, index, len } => {
                write!(f, "`{path}` has {len} items, no index {index}")
            }
            EditError::TypeMismatch {
                path,
                expected,
                found,
            } => write!(f, "`{path}` is {found}, not {expected}"),
            EditError::Unsupported { path, construct } => {
                write!(f, "cannot edit `{path}` in place: {construct}")
            }
            EditError::Verification { path, detail } => write!(
                f,
                "refused: editing `{path}` would change more than that value ({detail})"
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// Why a write was refused or failed. Nothing was overwritten when one is returned.
#[derive(Debug)]
pub enum WriteError {
    /// The file changed on disk since the editor read it (or exists when it should not).
    Conflict {
        /// The file.
        path: PathBuf,
        /// The hash the editor had (`None`: it expected no file).
        expected: Option<String>,
        /// The hash of the file now (`None`: there is no file).
        found: Option<String>,
    },
    /// The filesystem refused.
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl WriteError {
    /// A stable code (`edit/conflict`, `edit/io`).
    pub fn code(&self) -> &'static str {
        match self {
            WriteError::Conflict { .. } => "edit/conflict",
            WriteError::Io { .. } => "edit/io",
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Conflict {
                path,
                expected: Some(_),
                found: Some(_),
            } => write!(
                f,
                "`{}` changed on disk since it was opened; nothing was overwritten",
                path.display()
            ),
            WriteError::Conflict {
                path, found: None, ..
            } => write!(
                f,
                "`{}` was deleted since it was opened; nothing was written",
                path.display()
            ),
            WriteError::Conflict { path, .. } => write!(
                f,
                "`{}` already exists; nothing was overwritten",
                path.display()
            ),
            WriteError::Io { path, source } => {
                write!(f, "cannot write `{}`: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io { source, .. } => Some(source),
            WriteError::Conflict { .. } => None,
        }
    }
}

/// Why a path sent by the editor is not one folio writes to.
#[derive(Debug)]
pub enum PathError {
    /// Empty, absolute, with `..`, `.`, empty segments, backslashes, NUL or percent escapes.
    Malformed {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Not under `content/` or `public/images/`.
    NotWritable {
        /// The path as given.
        path: String,
    },
    /// Following symbolic links, the path leads out of its writable folder or out of the site.
    Escapes {
        /// The path as given.
        path: String,
    },
    /// The site root or an ancestor could not be examined.
    Io {
        /// The path examined.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl PathError {
    /// A stable code (`edit/path-malformed`, `edit/path-not-writable`, `edit/path-escapes`,
    /// `edit/io`).
    pub fn code(&self) -> &'static str {
        match self {
            PathError::Malformed { .. } => "edit/path-malformed",
            PathError::NotWritable { .. } => "edit/path-not-writable",
            PathError::Escapes { .. } => "edit/path-escapes",
            PathError::Io { .. } => "edit/io",
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Malformed { path, reason } => write!(f, "refused path `{path}`: {reason}"),
            PathError::NotWritable { path } => write!(
                f,
                "refused path `{path}`: folio writes only under `content/` and `public/images/`"
            ),
            PathError::Escapes { path } => write!(
                f,
                "refused path `{path}`: it leads out of its folder through a symbolic link"
            ),
            PathError::Io { path, source } => {
                write!(f, "cannot examine `{}`: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for PathError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PathError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
