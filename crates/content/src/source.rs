//! The text of every file folio read, by site-relative path: what diagnostics point into and
//! what the editor will later patch.

use folio_diag::{Diagnostic, Severity, SourceLookup, Span};
use std::sync::Arc;

/// `bytes` of the site file `path` as text. Bytes that are not UTF-8 are read as U+FFFD, as
/// Node's `readFile(path, 'utf8')` reads them, and reported by a diagnostic `code` at the
/// first of them; the decoded text matches the file's offsets up to there, so it is what
/// the diagnostic shows its line from.
pub fn decode_text(
    path: &str,
    bytes: Vec<u8>,
    severity: Severity,
    code: &'static str,
) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let diagnostic =
                Diagnostic::new(severity, code, format!("`{path}` is not valid UTF-8 text"))
                    .in_file(path)
                    .at(Span::new(at, at + 1))
                    .with_label("not UTF-8")
                    .with_help("save the file as UTF-8");
            (text, Some(diagnostic))
        }
    }
}

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
