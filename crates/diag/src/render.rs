//! Renderers: the terminal (rustc-style, with the source snippet) and JSON.

use crate::{Diagnostic, LineIndex, Position, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

/// Gives the renderers the text of a file, by its site-relative path.
pub trait SourceLookup {
    /// The full text of `file`, if it was read as text.
    fn source(&self, file: &str) -> Option<&str>;
}

/// How many lines of context to show around the primary span.
const CONTEXT_LINES: usize = 1;
/// Long lines are cut to keep snippets of minified or binary-ish files readable.
const MAX_SNIPPET_BYTES: usize = 2_000;

/// Render diagnostics for a terminal: `error[code]: message`, `--> file:line:col`, the source
/// lines with the span underlined and labelled, then `help:`. `color` adds ANSI styling. A
/// warning repeated in many places is shown once, with the list of the others (`group.rs`).
pub fn render_terminal(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceLookup,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for (diagnostic, others) in crate::group::group_repeated(diagnostics) {
        out.push_str(&render_one(diagnostic, sources, &renderer));
        if !others.is_empty() {
            out.push('\n');
            out.push_str(&crate::group::more_places(&others, sources));
        }
        out.push_str("\n\n");
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

fn render_one(d: &Diagnostic, sources: &dyn SourceLookup, renderer: &Renderer) -> String {
    let title = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.code);
    let source = d.file.as_deref().and_then(|f| sources.source(f));
    let group = match (&d.file, d.span, source) {
        (Some(file), Some(span), Some(text)) => {
            let excerpt = Excerpt::around(text, span.start, span.end);
            let mut annotation = AnnotationKind::Primary.span(excerpt.span.clone());
            if let Some(label) = &d.label {
                annotation = annotation.label(label.as_str());
            }
            Group::with_title(title).element(
                Snippet::source(excerpt.text)
                    .line_start(excerpt.first_line)
                    .path(file.as_str())
                    .annotation(annotation),
            )
        }
        (Some(file), _, _) => Group::with_title(title).element(Origin::path(file.as_str())),
        _ => Group::with_title(title),
    };
    let mut report = vec![group];
    if let Some(help) = &d.help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    renderer.render(&report)
}

/// The few lines of a file around a span, so that rendering never walks a whole large file.
pub(crate) struct Excerpt<'a> {
    pub(crate) text: &'a str,
    pub(crate) first_line: usize,
    pub(crate) span: std::ops::Range<usize>,
}

impl<'a> Excerpt<'a> {
    pub(crate) fn around(text: &'a str, start: usize, end: usize) -> Self {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let before = &text[..start];
        let mut from = start;
        for _ in 0..=CONTEXT_LINES {
            match before[..from].rfind('\n') {
                Some(nl) if from > 0 => from = nl,
                _ => {
                    from = 0;
                    break;
                }
            }
        }
        if from > 0 {
            from += 1;
        }
        // Show the primary line(s) and one more line of context after the end.
        let mut to = end;
        for _ in 0..=CONTEXT_LINES {
            match text[to..].find('\n') {
                Some(nl) => to = to + nl + 1,
                None => {
                    to = text.len();
                    break;
                }
            }
        }
        let to = floor_char_boundary(text, to.min(end.max(start) + MAX_SNIPPET_BYTES));
        let first_line = text[..from].bytes().filter(|&b| b == b'\n').count() + 1;
        let local_end = end.min(to) - from;
        Excerpt {
            text: text[from..to].trim_end_matches(['\n', '\r']),
            first_line,
            span: (start - from).min(local_end)..local_end,
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The JSON shape of one diagnostic (`folio check --format json`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic {
    /// Site-relative path, or null for site-wide problems.
    pub file: Option<String>,
    /// 1-based line of the span start.
    pub line: Option<usize>,
    /// 1-based column (characters) of the span start.
    pub column: Option<usize>,
    /// 1-based line of the span end.
    pub end_line: Option<usize>,
    /// 1-based column of the span end.
    pub end_column: Option<usize>,
    /// `error`, `warning` or `note`.
    pub severity: Severity,
    /// Stable code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Label of the span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

/// Convert diagnostics to their JSON shape, resolving spans to lines and columns.
pub fn render_json(diagnostics: &[Diagnostic], sources: &dyn SourceLookup) -> Vec<JsonDiagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let text = d.file.as_deref().and_then(|f| sources.source(f));
            let (start, end) = match (text, d.span) {
                (Some(text), Some(span)) => {
                    let index = LineIndex::new(text);
                    (
                        Some(index.position(text, span.start)),
                        Some(index.position(text, span.end)),
                    )
                }
                _ => (None, None),
            };
            JsonDiagnostic {
                file: d.file.clone(),
                line: start.map(|p: Position| p.line),
                column: start.map(|p| p.column),
                end_line: end.map(|p| p.line),
                end_column: end.map(|p| p.column),
                severity: d.severity,
                code: d.code,
                message: d.message.clone(),
                label: d.label.clone(),
                help: d.help.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    struct One(&'static str, &'static str);
    impl SourceLookup for One {
        fn source(&self, file: &str) -> Option<&str> {
            (file == self.0).then_some(self.1)
        }
    }

    #[test]
    fn terminal_output_shows_path_line_snippet_and_help() {
        let text = "---\ntitle: x\ncolors: colors-z\n---\nbody\n";
        let start = text.find("colors-z").expect("present");
        let d = Diagnostic::error("content/invalid-enum", "`colors-z` is not a colour scheme")
            .in_file("content/pages/a.md")
            .at(Span::new(start, start + 8))
            .with_label("not one of `colors-a` … `colors-e`")
            .with_help("did you mean `colors-a`?");
        let out = render_terminal(&[d], &One("content/pages/a.md", text), false);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn json_output_resolves_lines_and_columns() {
        let text = "a\nbb: ç1\n";
        let d = Diagnostic::warning("x/y", "m")
            .in_file("f")
            .at(Span::new(text.find('1').expect("present"), text.len() - 1));
        let json = render_json(&[d], &One("f", text));
        assert_eq!(json[0].line, Some(2));
        assert_eq!(json[0].column, Some(6));
    }

    #[test]
    fn excerpt_of_a_span_at_the_end_of_a_file_without_newline_is_safe() {
        let e = Excerpt::around("abc", 3, 3);
        assert_eq!(e.text, "abc");
        assert_eq!(e.span, 3..3);
    }
}
