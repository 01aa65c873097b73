//! The text of every file folio read, by site-relative path: what diagnostics point into and
//! what the editor will later patch.

use folio_diag::SourceLookup;
use std::sync::Arc;

/// One file's text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Site-relative path with `/` separators (`content/pages/index.md`).
    pub path: String,
    /// The full text, BOM included (spans are in these coordinates).
    pub text: Arc<str>,
}

/// All source files of a site.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: crate::FastMap<String, Arc<str>>,
}

impl SourceMap {
    /// Remember a file's text.
    pub fn insert(&mut self, path: String, text: Arc<str>) {
        self.files.insert(path, text);
    }

    /// The text of `path`.
    pub fn get(&self, path: &str) -> Option<&Arc<str>> {
        self.files.get(path)
    }

    /// The files whose path starts with `prefix` (`templates/`), in no particular order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a Arc<str>)> {
        self.files
            .iter()
            .filter(move |(path, _)| path.starts_with(prefix))
            .map(|(path, text)| (path.as_str(), text))
    }

    /// Forget the text of the files for which `keep` says no.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.files.retain(|path, _| keep(path));
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl SourceLookup for SourceMap {
    fn source(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(|t| &**t)
    }
}
