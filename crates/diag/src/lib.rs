//! Diagnostics as data: what went wrong, where (file and byte span), and how to fix it.
//!
//! One model, several renderers: [`render_terminal`] (with the source snippet),
//! [`render_json`] (machine-readable) and [`render_html`] (the dev server's browser overlay).
//! Every stage of folio reports problems as [`Diagnostic`] values and keeps going;
//! the exit code comes from the worst [`Severity`] collected.
#![warn(missing_docs)]

mod group;
mod html;
mod line_index;
mod render;

pub use html::{escape_html, render_html};
pub use line_index::{LineIndex, Position};
pub use render::{render_json, render_terminal, JsonDiagnostic, SourceLookup};

use serde::Serialize;

/// A half-open byte range `start..end` in whole-file coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given in the wrong order).
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// An empty span at `offset`.
    pub fn point(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// This span moved right by `offset` bytes.
    pub fn shifted(self, offset: usize) -> Self {
        Span {
            start: self.start + offset,
            end: self.end + offset,
        }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// How bad a diagnostic is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information that needs no action (e.g. a file that folio ignores).
    Note,
    /// Something probably wrong that does not stop the build.
    Warning,
    /// Something that stops `folio build` and makes `folio check` exit 1.
    Error,
}

impl Severity {
    /// The lowercase name used in every renderer.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found in a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Stable identifier, `area/kebab-name` (e.g. `content/unknown-type`).
    pub code: &'static str,
    /// What is wrong, lowercase, no trailing period, values in backticks.
    pub message: String,
    /// Site-relative path of the file at fault, with `/` separators.
    pub file: Option<String>,
    /// Where in the file, in bytes.
    pub span: Option<Span>,
    /// Short text shown under the highlighted span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic with no location.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            span: None,
            label: None,
            help: None,
        }
    }

    /// A new error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// A new note.
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    /// Attach the file the problem is in.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Attach the span the problem is at.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Attach a label for the span.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Attach a fix hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic fails a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Counts of diagnostics by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of notes.
    pub notes: usize,
}

impl Tally {
    /// Count the diagnostics in `diagnostics`.
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut tally = Tally::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Note => tally.notes += 1,
            }
        }
        tally
    }
}

/// A value as messages show it: in backticks, and `''` when it is empty (so that an empty
/// value is seen, not a pair of backticks around nothing).
pub fn code(value: &str) -> String {
    if value.is_empty() {
        "`''`".to_string()
    } else {
        format!("`{value}`")
    }
}

/// Sort diagnostics for display: by file, then position, then code (stable and deterministic
/// whatever order the parallel stages produced them in).
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then_with(|| a.span.map(|s| s.start).cmp(&b.span.map(|s| s.start)))
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}
