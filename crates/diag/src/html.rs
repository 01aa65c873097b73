//! The browser renderer: diagnostics as an HTML fragment, for the dev server's error overlay.
//! Same model and same excerpt as the terminal: `file:line:col`, the source lines with the span
//! marked, the label and the help. Everything from the site is escaped.

use crate::render::Excerpt;
use crate::{Diagnostic, LineIndex, SourceLookup};
use std::fmt::Write;

/// Escape text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Render diagnostics as HTML: one `<section class="folio-diagnostic folio-{severity}">` each,
/// with a heading (`error[code]: message`), the location (`file:line:col`), the snippet (a
/// `<pre>` with line numbers, the span in `<mark>`), the label and `help:`. Class names are
/// prefixed `folio-` so that the overlay's own stylesheet can target them.
pub fn render_html(diagnostics: &[Diagnostic], sources: &dyn SourceLookup) -> String {
    let mut out = String::new();
    for d in diagnostics {
        render_one(&mut out, d, sources);
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &dyn SourceLookup) {
    let severity = d.severity.as_str();
    let _ = write!(
        out,
        "<section class=\"folio-diagnostic folio-{severity}\"><h2><span class=\"folio-severity\">{severity}[{}]</span>: {}</h2>",
        escape_html(d.code),
        escape_html(&d.message)
    );
    let text = d.file.as_deref().and_then(|f| sources.source(f));
    if let Some(file) = &d.file {
        let location = match (text, d.span) {
            (Some(text), Some(span)) => {
                let p = LineIndex::new(text).position(text, span.start);
                format!("{file}:{}:{}", p.line, p.column)
            }
            _ => file.clone(),
        };
        let _ = write!(
            out,
            "<p class=\"folio-location\">{}</p>",
            escape_html(&location)
        );
    }
    if let (Some(text), Some(span)) = (text, d.span) {
        let excerpt = Excerpt::around(text, span.start, span.end);
        out.push_str("<pre class=\"folio-snippet\">");
        let mut offset = 0;
        for (i, line) in excerpt.text.split('\n').enumerate() {
            let line_end = offset + line.len();
            let number = excerpt.first_line + i;
            let _ = write!(
                out,
                "<span class=\"folio-line-number\">{number:>4} | </span>"
            );
            let from = excerpt.span.start.clamp(offset, line_end) - offset;
            let to = excerpt.span.end.clamp(offset, line_end) - offset;
            let marked = excerpt.span.start <= line_end && excerpt.span.end >= offset;
            match (line.get(..from), line.get(from..to), line.get(to..)) {
                (Some(before), Some(inner), Some(after)) if marked && !inner.is_empty() => {
                    let _ = write!(
                        out,
                        "{}<mark>{}</mark>{}",
                        escape_html(before),
                        escape_html(inner),
                        escape_html(after)
                    );
                }
                _ => out.push_str(&escape_html(line)),
            }
            out.push('\n');
            offset = line_end + 1;
        }
        out.push_str("</pre>");
    }
    if let Some(label) = &d.label {
        let _ = write!(out, "<p class=\"folio-label\">{}</p>", escape_html(label));
    }
    if let Some(help) = &d.help {
        let _ = write!(
            out,
            "<p class=\"folio-help\"><strong>help:</strong> {}</p>",
            escape_html(help)
        );
    }
    out.push_str("</section>");
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
    fn html_shows_location_snippet_label_and_help_escaped() {
        let text = "---\ntitle: x\ncolors: <b>colors-z</b>\n---\nbody\n";
        let start = text.find("<b>").expect("present");
        let d = Diagnostic::error("content/invalid-enum", "`<b>` is not a colour scheme")
            .in_file("content/pages/a.md")
            .at(Span::new(start, start + 17))
            .with_label("not one of `colors-a` … `colors-e`")
            .with_help("did you mean `colors-a`? & more");
        let html = render_html(&[d], &One("content/pages/a.md", text));
        assert!(html.contains("content/pages/a.md:3:9"), "{html}");
        assert!(html.contains("error[content/invalid-enum]"), "{html}");
        assert!(
            html.contains("<mark>&lt;b&gt;colors-z&lt;/b&gt;</mark>"),
            "{html}"
        );
        assert!(html.contains("   2 | </span>title: x"), "{html}");
        assert!(html.contains("not one of `colors-a`"), "{html}");
        assert!(html.contains("<strong>help:</strong> did you mean `colors-a`? &amp; more"));
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn html_without_source_shows_the_file_only() {
        let d = Diagnostic::warning("x/y", "m")
            .in_file("f.md")
            .at(Span::new(1, 2));
        let html = render_html(&[d], &One("other", ""));
        assert!(html.contains("<p class=\"folio-location\">f.md</p>"));
        assert!(!html.contains("<pre"));
    }
}
